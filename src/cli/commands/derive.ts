/**
 * derive: rank expressions of deep linear networks derived from structure, with symbolic widths
 * (d, M1, …, M_{L−1}, K, data rank r), each step in text or LaTeX, simplified under assumptions,
 * and proven equal to the catalog by the min-polynomial decision procedure. Also the uniform
 * family (depth L, width M) and the leading-order growth of rank, p and rank/p.
 */
import type { Loss } from '../../architecture/fullyConnected.js';
import { InputError } from '../../errors.js';
import { families, familyNames } from '../../family/registry.js';
import { quantities as parts, type Quantity as Part } from '../../family/vocabulary.js';
import { asymptotics, growthTex, growthText, type Regime } from '../../symbolic/asymptotics.js';
import { parseAssumption } from '../../symbolic/assumptions.js';
import { proveAgainstCatalog, requireQuantity, type CatalogProof, type Derivation, type DerivationStep, type Quantity } from '../../symbolic/derivation.js';
import { derive } from '../../symbolic/deriveRank.js';
import { symbol, symbolTex, toTex, toText } from '../../symbolic/expression.js';
import { caseText, identityTex, proofSummary, stepLines, stepTexLines } from '../../symbolic/proofText.js';
import { simplifyRank, type SimplifiedRank } from '../../symbolic/simplifiedRank.js';
import { derivationJson, stepJson } from '../../symbolic/symbolicJson.js';
import { networkSymbols, type SymbolicNetwork } from '../../symbolic/symbolicNetwork.js';
import { deriveUniformFamily, proveFamilyAgainstCatalog } from '../../symbolic/uniformFamily.js';
import type { Command, CommandIO } from '../command.js';
import { parseFlags, parseInteger, sharedFromFlags } from '../flags.js';

/** The families the symbolic layer derives per architecture (derive --cnn …): their flags name one. */
const derivable = families.filter((f) => f.derive !== undefined);
const derivableFlags = derivable.map((f) => `--${f.flag}`).join(' or ');

const options = {
  ...Object.fromEntries(derivable.map((f) => [f.flag, { type: 'string' } as const])),
  depth: { type: 'string' },
  uniform: { type: 'boolean' },
  samples: { type: 'string' },
  act: { type: 'string' },
  // refused: --family names an architecture family (verify); the uniform family is --uniform
  family: { type: 'string' },
  quantity: { type: 'string' },
  loss: { type: 'string' },
  bias: { type: 'boolean' },
  assume: { type: 'string', multiple: true },
  asymptotic: { type: 'string' },
  latex: { type: 'boolean' },
  json: { type: 'boolean' },
  proof: { type: 'boolean' },
  brief: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Deeper networks are fine for the engine; the bound keeps a typo from starting a long case split. */
export const maximumDepth = 12;

const quantityName: Record<Quantity, string> = { H: 'H', HO: 'H_O', HF: 'H_F', HO_block: 'the diagonal blocks of H_O' };
const quantityTex: Record<Quantity, string> = { H: 'H', HO: 'H_O', HF: 'H_F', HO_block: 'H_O[l,l]' };

function requireLoss(text: string | undefined): Loss {
  if (text === undefined) return 'mse';
  if (text !== 'mse' && text !== 'ce') throw new InputError(`--loss must be mse or ce, got "${text}"`);
  return text;
}

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

function runAsymptotic(regime: string, loss: Loss, depth: number | undefined, values: { latex?: boolean; json?: boolean }, io: CommandIO): number {
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

export const deriveCommand: Command = {
  usage: `usage: hessian-rank derive --depth L [--quantity H|HO|HF|HO_block] [--loss mse|ce] [--bias]
                            [--assume "M1 <= d"]... [--latex] [--json] [--proof] [--brief]
       hessian-rank derive --uniform [--quantity H|HO|HF] [--loss mse|ce] [--latex] [--json]
       hessian-rank derive --asymptotic width|depth [--depth L] [--loss mse|ce] [--latex] [--json]
       hessian-rank derive --cnn "in=10 ch=2; conv k=2 c=5; K=3" [--samples N] [--quantity H|HO|HF] [--loss mse|ce] [--bias]
                            [--latex] [--json] [--proof] [--brief]
  --depth       number of weight matrices L (1..${maximumDepth}); symbols d, M1, …, M{L-1}, K, data rank r, samples N
  --quantity    one quantity (default: HO, HF and H); HO_block gives the diagonal blocks of H_O
  --assume      a relation between symbols, repeatable ("M1 <= d", "r = d", "N > d", "M1 < M2 <= K");
                the result is simplified under it (a bottleneck makes q one symbol and the rank a polynomial)
  --uniform     the uniform family: depth L and hidden width M as symbols
  --asymptotic  width (M → ∞) or depth (L → ∞): leading order of rank, p, rank/p and the √p law
  --cnn         a linear CNN (the syntax of measure --cnn): its ranks derived from the Toeplitz structure with
                symbolic channels c0.., kernel elements k1.., positions n0.. (2D: per axis), K, r; evaluated at
                its sizes (--samples N, default 2d) and compared with formulas/cnn.json; with --proof every
                identity is also decided case by case (seconds for one convolution, minutes for more)
  --latex       each step as LaTeX (display math), ready for a paper
  --proof       print every case of every proof
  --brief       results and catalog proofs only
  --json        machine-readable (docs/cli.md#derive)
Background facts in every proof: symbols are positive integers, r ≤ d, r = min(N, d) when N occurs.`,
  async run(argv, io) {
    const { values } = parseFlags(argv, options);
    const flags = values as typeof values & { assume?: string[] };
    if (values.family !== undefined) {
      throw new InputError(`derive --family is now --uniform (depth L and hidden width M symbolic); --family names an architecture family (${familyNames()}) in verify`);
    }
    const loss = requireLoss(values.loss);
    const depth = parseInteger(values.depth, '--depth', 1);
    if (depth !== undefined && depth > maximumDepth) throw new InputError(`--depth ${depth} is beyond ${maximumDepth}; the case split grows about 2.2× per layer`);
    const named = derivable.filter((f) => (values as Record<string, unknown>)[f.flag] !== undefined);
    if (values.asymptotic !== undefined) {
      if (values.uniform || named.length > 0 || values.quantity !== undefined || flags.assume?.length) {
        throw new InputError('--asymptotic takes only --depth (for width), --loss, --latex, --json');
      }
      return runAsymptotic(values.asymptotic, loss, depth, values, io);
    }
    if (named.length > 1) throw new InputError(`give either ${named.map((f) => `--${f.flag}`).join(' or ')}, not both`);
    const family = named[0];
    if (family !== undefined) {
      // the family derives the ranks of one architecture, evaluated at its sizes
      if (depth !== undefined || values.uniform || values.asymptotic !== undefined || flags.assume?.length) {
        throw new InputError(`--${family.flag} takes --samples, --quantity, --loss, --latex, --json, --proof, --brief (not --depth, --uniform, --asymptotic, --assume)`);
      }
      if (values.act !== undefined && values.act !== 'linear') throw new InputError(`derive --${family.flag} derives linear ${family.plural}; --act ${values.act} has no derivation (its ranks are estimates)`);
      const quantity = values.quantity;
      if (quantity !== undefined && !parts.includes(quantity as Part)) throw new InputError(`--quantity must be one of ${parts.join(', ')} with --${family.flag}, got "${quantity}"`);
      const net = family.parse((values as Record<string, string>)[family.flag]!, sharedFromFlags({ samples: values.samples, bias: values.bias, loss }));
      const derivation = await family.derive!(net, {
        quantities: quantity !== undefined ? [quantity as Part] : parts,
        format: values.json ? 'json' : values.latex ? 'latex' : 'text',
        proof: values.proof ?? false,
        brief: values.brief ?? false,
      });
      derivation.lines.forEach((line) => io.out(line));
      const differing = derivation.differing;
      if (differing.length > 0) {
        io.err(`hessian-rank derive: ${differing.length} catalog entr${differing.length === 1 ? 'y differs' : 'ies differ'} from the derivation: ${differing.join(', ')}`);
        return 1;
      }
      return 0;
    }
    if (values.samples !== undefined || values.act !== undefined) throw new InputError(`--samples and --act go with ${derivableFlags}`);
    const quantities: Quantity[] = values.quantity !== undefined ? [requireQuantity(values.quantity)] : ['HO', 'HF', 'H'];
    if (values.uniform) {
      if (depth !== undefined) throw new InputError('--uniform keeps the depth L symbolic; drop --depth');
      if (flags.assume?.length) throw new InputError('--assume works with --depth (the family is already simplified: q = min(r, M, K))');
      if (values.bias) throw new InputError('--uniform is derived without bias');
      return runUniform(loss, quantities, values, io);
    }
    if (depth === undefined) throw new InputError('give --depth L (e.g. --depth 3), --uniform, or --asymptotic width|depth');
    const net: SymbolicNetwork = { depth, loss, bias: values.bias ?? false };
    const known = networkSymbols(depth);
    const assumptionSources = flags.assume ?? [];
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
  },
};
