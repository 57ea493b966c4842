/**
 * derive --depth, --uniform, --asymptotic: rank expressions of deep linear networks derived from
 * structure, with symbolic widths (d, M1, …, M_{L−1}, K, data rank r), each step in text or LaTeX,
 * simplified under assumptions, and proven equal to the catalog by the min-polynomial decision
 * procedure; the uniform family (depth L, width M) and the leading-order growth of rank, p and
 * rank/p. Imported by derive (./derive.ts) only for these flags: derive --cnn does without it.
 */
import type { Loss } from '../../architecture/fullyConnected.js';
import { InputError } from '../../errors.js';
import { asymptotics, growthTex, growthText, type Regime } from '../../symbolic/asymptotics.js';
import { parseAssumption } from '../../symbolic/assumptions.js';
import { proveAgainstCatalog, requireQuantity, type CatalogProof, type Derivation, type Quantity } from '../../symbolic/derivation.js';
import { derive } from '../../symbolic/deriveRank.js';
import { symbolTex, toTex, toText } from '../../symbolic/expression.js';
import { caseText, identityTex, proofSummary, stepLines, stepTexLines } from '../../symbolic/proofText.js';
import { simplifyRank, type SimplifiedRank } from '../../symbolic/simplifiedRank.js';
import { derivationJson, stepJson } from '../../symbolic/symbolicJson.js';
import { networkSymbols, type SymbolicNetwork } from '../../symbolic/symbolicNetwork.js';
import { deriveUniformFamily, proveFamilyAgainstCatalog } from '../../symbolic/uniformFamily.js';
import type { CommandIO } from '../command.js';

/** The flags of the linear derivations. */
export interface LinearFlags {
  quantity?: string;
  bias?: boolean;
  uniform?: boolean;
  latex?: boolean;
  json?: boolean;
  proof?: boolean;
  brief?: boolean;
}

const quantityName: Record<Quantity, string> = { H: 'H', HO: 'H_O', HF: 'H_F', HO_block: 'the diagonal blocks of H_O' };
const quantityTex: Record<Quantity, string> = { H: 'H', HO: 'H_O', HF: 'H_F', HO_block: 'H_O[l,l]' };

function catalogLine(p: CatalogProof): string {
  const where = p.layer !== undefined ? ` (layer ${p.layer})` : '';
  const conditions = p.conditions.length > 0 ? ` under ${p.conditions.map(toText).join(', ')}` : '';
  return `catalog ${p.id}${where}${conditions}: ${proofSummary(p.result)}`;
}

function describeNetwork(net: SymbolicNetwork): string {
  const widths = ['d', ...networkSymbols(net.depth).slice(1, net.depth), 'K'].join(', ');
  return `depth-${net.depth} linear network (widths ${widths}; data rank r${net.bias ? '; with bias' : ''}; ${net.loss === 'mse' ? 'MSE' : 'cross-entropy'})`;
}

interface Derived {
  derivation: Derivation;
  catalog: CatalogProof[];
  simplified: (SimplifiedRank | undefined)[];
}

function printText(io: CommandIO, net: SymbolicNetwork, derived: Derived[], assumptions: string[], values: { proof?: boolean; brief?: boolean }): void {
  for (const { derivation, catalog, simplified } of derived) {
    io.out(`rank of ${quantityName[derivation.quantity]} for a ${describeNetwork(net)}, derived from structure`);
    if (!values.brief) derivation.steps.forEach((step, i) => stepLines(step, i, values.proof ?? false).forEach((line) => io.out(line)));
    derivation.results.forEach((result, i) => {
      const defs = result.definitions.map(([n, v]) => `${n} = ${toText(v)}`).join(', ');
      const label = result.layer !== undefined ? `rank H_O[${result.layer},${result.layer}]` : `rank ${quantityName[result.quantity]}`;
      io.out(`${label} ${result.kind === 'upper-bound' ? '≤' : '='} ${toText(result.closedForm)}${defs ? `,  ${defs}` : ''}   (${result.kind})`);
      const s = simplified[i];
      if (s) {
        const sdefs = s.definitions.map(([n, v]) => `${n} = ${toText(v)}`).join(', ');
        io.out(`  under ${assumptions.join(', ')}: ${toText(s.closedForm)}${sdefs ? `,  ${sdefs}` : ''}`);
        if (toText(s.explicit) !== toText(s.closedForm)) io.out(`    = ${toText(s.explicit)}`);
        if (s.polynomial && s.polynomial.toString() !== toText(s.explicit)) io.out(`    = ${s.polynomial}   (a polynomial)`);
        io.out(`    equal to the general form under the assumptions: ${proofSummary(s.proof)}`);
      }
      for (const p of catalog.filter((c) => c.layer === result.layer)) {
        io.out(`  ${catalogLine(p)}`);
        if (values.proof && p.result.verdict === 'proven') p.result.cases.forEach((c, k) => io.out(`      ${caseText(c, k)}`));
      }
    });
    io.out('');
  }
}

function printLatex(io: CommandIO, net: SymbolicNetwork, derived: Derived[], values: { proof?: boolean }): void {
  for (const { derivation, catalog, simplified } of derived) {
    io.out(`% rank of ${quantityName[derivation.quantity]} for a ${describeNetwork(net)}`);
    derivation.steps.forEach((step, i) => {
      stepTexLines(step, i).forEach((line) => io.out(line));
      if (values.proof && step.proof) identityTex(step.proof).slice(1).forEach((line) => io.out(`%   \\( ${line} \\)`));
    });
    derivation.results.forEach((result, i) => {
      const label = result.layer !== undefined ? `\\operatorname{rank} H_O[${result.layer},${result.layer}]` : `\\operatorname{rank} ${quantityTex[result.quantity]}`;
      const defs = result.definitions.map(([n, v]) => `${n} = ${toTex(v)}`).join(',\\ ');
      const s = simplified[i];
      if (s) io.out(`\\[ ${label} ${result.kind === 'upper-bound' ? '\\le' : '='} ${toTex(result.closedForm)}${defs ? `,\\quad ${defs}` : ''} \\]`);
      if (s) io.out(`\\[ ${label} = ${toTex(s.explicit)}${s.polynomial ? ` = ${s.polynomial.toTex(symbolTex)}` : ''} \\]`);
      for (const p of catalog.filter((c) => c.layer === result.layer)) io.out(`% ${catalogLine(p)}`);
    });
  }
}

export function runAsymptotic(regime: string, loss: Loss, depth: number | undefined, values: { latex?: boolean; json?: boolean }, io: CommandIO): number {
  if (regime !== 'width' && regime !== 'depth') throw new InputError(`--asymptotic must be width or depth, got "${regime}"`);
  const report = asymptotics(regime as Regime, loss, depth);
  if (values.json) {
    io.out(
      JSON.stringify({
        asymptotic: report.regime,
        variable: report.variable,
        loss: report.loss,
        ...(report.depth !== undefined ? { depth: report.depth } : {}),
        assumptions: report.assumptions,
        growth: report.growth.map((g) => ({ name: g.name, exact: g.exact.toString(), leadingCoefficient: g.coefficient.toString(), degree: g.degree, latex: growthTex(g, report.variable) })),
        ratio: report.ratio,
        law: report.law,
      }),
    );
    return 0;
  }
  if (values.latex) {
    io.out(`% leading-order growth of the uniform family as ${report.variable} → ∞ (${report.assumptions.join('; ')})`);
    for (const g of report.growth) io.out(`\\[ ${growthTex(g, report.variable)} \\]`);
    io.out(`\\[ \\frac{\\operatorname{rank} H}{p} \\sim ${report.ratio.tex} \\]`);
    io.out(`\\[ ${report.law.tex} \\]`);
    return 0;
  }
  io.out(`leading-order growth of the uniform family (depth L, hidden width M) as ${report.variable} → ∞`);
  report.assumptions.forEach((a) => io.out(`  ${a}`));
  for (const g of report.growth) io.out(`  ${growthText(g, report.variable)}`);
  io.out(`  rank H / p  ~  ${report.ratio.text}${report.ratio.degree < 0 ? '  → 0' : ''}`);
  io.out(`  ${report.law.text}${report.law.exponent === '1/2' ? '   (the √p law)' : report.law.exponent === '1' ? '   (rank linear in p)' : ''}`);
  return 0;
}

function runUniform(loss: Loss, quantities: Quantity[], values: { latex?: boolean; json?: boolean; proof?: boolean; brief?: boolean }, io: CommandIO): number {
  const results = quantities.map((q) => {
    const derivation = deriveUniformFamily(loss, q);
    return { derivation, catalog: proveFamilyAgainstCatalog(derivation) };
  });
  if (values.json) {
    io.out(
      JSON.stringify({
        family: 'uniform',
        loss,
        parameters: toText(results[0]!.derivation.parameters),
        derivations: results.map(({ derivation, catalog }) => ({
          quantity: derivation.quantity,
          steps: derivation.steps.map((s) => stepJson(s, values.proof ?? false)),
          result: { kind: derivation.result.kind, closedForm: toText(derivation.result.closedForm), latex: toTex(derivation.result.closedForm), definitions: Object.fromEntries(derivation.result.definitions.map(([n, v]) => [n, toText(v)])) },
          catalog: catalog.map((c) => ({ id: c.id, depth: c.depth, verdict: c.result.verdict, ...(c.result.verdict === 'proven' ? { caseCount: c.result.cases.length } : c.result.verdict === 'refuted' ? { point: c.result.point } : { reason: c.result.reason }) })),
        })),
      }),
    );
    return 0;
  }
  for (const { derivation, catalog } of results) {
    const steps = derivation.steps;
    if (values.latex) {
      io.out(`% rank of ${quantityName[derivation.quantity]} for the uniform family (depth L, hidden width M; ${loss})`);
      steps.forEach((step, i) => stepTexLines(step, i).forEach((line) => io.out(line)));
    } else {
      io.out(`rank of ${quantityName[derivation.quantity]} for the uniform family: depth L, input d, every hidden width M, outputs K (${loss === 'mse' ? 'MSE' : 'cross-entropy'})`);
      if (!values.brief) steps.slice(0, -1).forEach((step, i) => stepLines(step, i, values.proof ?? false).forEach((line) => io.out(line)));
      io.out(steps.at(-1)!.text);
    }
    const byId = new Map<string, number[]>();
    const refuted = catalog.filter((c) => c.result.verdict !== 'proven');
    for (const c of catalog) if (c.result.verdict === 'proven') byId.set(c.id, [...(byId.get(c.id) ?? []), c.depth]);
    for (const [id, depths] of byId) io.out(`${values.latex ? '% ' : '  '}catalog ${id}: proven equal at depths ${depths.join(', ')} (every M_i = M)`);
    for (const c of refuted) io.out(`${values.latex ? '% ' : '  '}catalog ${c.id} at depth ${c.depth}: ${proofSummary(c.result)}`);
    io.out('');
  }
  return 0;
}

/** derive --uniform or derive --depth L (the flags checked by derive up to here). */
export function runLinear(loss: Loss, depth: number | undefined, assume: string[] | undefined, values: LinearFlags, io: CommandIO): number {
  const quantities: Quantity[] = values.quantity !== undefined ? [requireQuantity(values.quantity)] : ['HO', 'HF', 'H'];
  if (values.uniform) {
    if (depth !== undefined) throw new InputError('--uniform keeps the depth L symbolic; drop --depth');
    if (assume?.length) throw new InputError('--assume works with --depth (the family is already simplified: q = min(r, M, K))');
    if (values.bias) throw new InputError('--uniform is derived without bias');
    return runUniform(loss, quantities, values, io);
  }
  if (depth === undefined) throw new InputError('give --depth L (e.g. --depth 3), --uniform, or --asymptotic width|depth');
  const net: SymbolicNetwork = { depth, loss, bias: values.bias ?? false };
  const known = networkSymbols(depth);
  const assumptionSources = assume ?? [];
  const assumptions = assumptionSources.map((a) => parseAssumption(a, (name) => known.includes(name), known.join(', ')));
  const derived: Derived[] = quantities.map((quantity) => {
    const derivation = derive(net, quantity);
    return {
      derivation,
      catalog: proveAgainstCatalog(derivation),
      simplified: derivation.results.map((r) => (assumptions.length > 0 ? simplifyRank(r, net, assumptions) : undefined)),
    };
  });
  if (values.json) {
    io.out(
      JSON.stringify({
        depth,
        loss,
        bias: net.bias,
        symbols: known,
        assumptions: assumptions.map(toText),
        derivations: derived.map((d) => derivationJson(d.derivation, d.catalog, d.simplified, values.proof ?? false)),
      }),
    );
  } else if (values.latex) {
    printLatex(io, net, derived, values);
  } else {
    printText(io, net, derived, assumptions.map(toText), values);
  }
  const refuted = derived.flatMap((d) => d.catalog).filter((c) => c.result.verdict !== 'proven');
  if (refuted.length > 0) {
    io.err(`hessian-rank derive: ${refuted.length} catalog entr${refuted.length === 1 ? 'y is' : 'ies are'} not proven equal to the derivation (refuted or undecided): ${refuted.map((c) => c.id).join(', ')}`);
    return 1;
  }
  return 0;
}
