/**
 * The convolutional family's derivation (derive --cnn): the ranks of a linear CNN derived from the
 * Toeplitz structure with symbolic channels c_0.., kernel elements k_1.., positions n_0.. (2D: per
 * axis), K and r (src/symbolic/convolutionalDerivation.ts), evaluated at the architecture's sizes and
 * compared with the catalog (formulas/cnn.json), as text, LaTeX or JSON. docs/cnn.md#derive---cnn-the-symbolic-layer.
 */
import type { Convolutional } from '../../architecture/convolutional.js';
import { InputError } from '../../errors.js';
import { predictConvolutional } from '../../cnn/predict.js';
import { aboveValues, compareDerivations, derivedValues, evaluateAt, mergedValues, methodText, type CatalogComparison } from '../../symbolic/convolutionalCatalog.js';
import { deriveConvolutionalRanks, describeConvolutionalShape, type ConvolutionalQuantity } from '../../symbolic/convolutionalDerivation.js';
import { symbolicConvolutional, symbolValues } from '../../symbolic/convolutionalNetwork.js';
import { abbreviate, cachedQuantities, definitionsFor } from '../../symbolic/convolutionalAbbreviations.js';
import { symbol, toTex, toText } from '../../symbolic/expression.js';
import { caseText, stepLines, stepTexLines } from '../../symbolic/proofText.js';
import { stepJson } from '../../symbolic/symbolicJson.js';
import type { DeriveOptions, FamilyDerivation } from '../family.js';

const partName: Record<ConvolutionalQuantity, string> = { H: 'H', HO: 'H_O', HF: 'H_F' };

function comparisonLine(c: CatalogComparison): string {
  const cases = c.proof?.verdict === 'proven' ? ` (${c.proof.cases.length} case${c.proof.cases.length === 1 ? '' : 's'})` : '';
  return `catalog ${c.id} (${c.status}): ${methodText[c.method]}${cases}; here ${c.derivedValue}${c.derivedValue === c.catalogValue ? '' : ` ≠ ${c.catalogValue}`}`;
}

export function deriveConvolutional(architecture: Convolutional, options: DeriveOptions): FamilyDerivation {
  const lines: string[] = [];
  const out = (line: string) => lines.push(line);
  const loss = architecture.loss;
  // the decision procedure on every identity: seconds for one convolution; two took 17 s (1D) to over
  // 100 s (2D with bias), three over 150 s, four over 10 minutes (measured): refused rather than a hang
  if (options.proof && architecture.layers.length > 1) {
    throw new InputError(
      `--proof with --cnn is for one convolution (this CNN has ${architecture.layers.length}: two took 17 s to over 100 s, four over 10 minutes); without it each identity is still checked over its min/max atoms; prove one with hessian-rank prove "LHS" "RHS"`,
    );
  }
  const net = symbolicConvolutional(architecture);
  // H needs the bounds on H_O and H_F: derive all three, print the ones asked for
  const all = deriveConvolutionalRanks(net);
  const derived = derivedValues(all);
  const prediction = predictConvolutional(architecture);
  const parts = { HO: prediction.ranks.HO ?? derived.HO!, HF: prediction.ranks.HF ?? derived.HF! };
  // proof: every identity case by case by the decision procedure
  const comparisons = compareDerivations(all, parts, undefined, { decide: options.proof });
  const point = symbolValues(net);
  const shown = all.filter((d) => options.quantities.includes(d.quantity));
  const merged = { ...mergedValues(net), ...aboveValues(net) };
  const valueOf = (e: Parameters<typeof evaluateAt>[1]) => evaluateAt(net, e, { HO: derived.HO, HF: derived.HF, ...merged });
  const predicted = (q: ConvolutionalQuantity): string => {
    const f = prediction.formulas[q];
    return f ? `predict --cnn: ${f.value} (${f.formula})` : 'predict --cnn: none';
  };
  if (options.format === 'json') {
    out(
      JSON.stringify({
        cnn: describeConvolutionalShape(net),
        loss,
        samples: architecture.samples,
        symbols: point,
        derivations: shown.map((d) => ({
          quantity: d.quantity,
          steps: d.steps.map((step) => stepJson(step, options.proof)),
          bounds: d.bounds.map((b) => ({ name: b.name, kind: b.kind, catalogId: b.catalogId ?? null, expression: toText(b.expression), latex: toTex(b.expression), value: valueOf(b.expression) })),
          value: derived[d.quantity],
          predicted: prediction.ranks[d.quantity] ?? null,
          catalog: comparisons
            .filter((c) => d.bounds.some((b) => b.catalogId === c.id))
            .map((c) => ({ id: c.id, status: c.status, method: c.method, derivedValue: c.derivedValue, catalogValue: c.catalogValue })),
        })),
      }),
    );
  } else {
    for (const d of shown) {
      const name = partName[d.quantity];
      const mine = comparisons.filter((c) => d.bounds.some((b) => b.catalogId === c.id));
      if (options.format === 'latex') {
        out(`% rank of ${name} for the linear CNN ${describeConvolutionalShape(net)}`);
        d.steps.forEach((step, i) => stepTexLines(step, i).forEach(out));
        const named = cachedQuantities(net);
        const used = new Set<string>();
        for (const b of d.bounds.filter((x) => x.name !== 'the smallest of the bounds')) {
          const short = abbreviate(b.expression, named);
          short.used.forEach((n) => used.add(n));
          out(`% ${b.name}${b.catalogId ? ` (${b.catalogId})` : ''}: ${valueOf(b.expression)} here`);
          out(`\\[ \\operatorname{rank} ${name} \\le ${toTex(short.shown)} \\]`);
        }
        for (const [n, e] of definitionsFor(used, named)) out(`\\[ ${toTex(symbol(n))} = ${toTex(e)} \\]`);
        for (const c of mine) out(`% ${comparisonLine(c)}`);
        out('');
        continue;
      }
      out(`rank of ${name} for the linear CNN ${describeConvolutionalShape(net)}${architecture.bias ? ' with bias' : ''}, ${loss === 'mse' ? 'MSE' : 'cross-entropy'}, derived from the Toeplitz structure`);
      if (!options.brief) d.steps.forEach((step, i) => stepLines(step, i, options.proof).forEach(out));
      const named = cachedQuantities(net);
      const used = new Set<string>();
      for (const b of d.bounds) {
        // the minimum of the bounds above is named, not written out again
        const smallest = b.name === 'the smallest of the bounds';
        const short = abbreviate(b.expression, named);
        if (!smallest) short.used.forEach((n) => used.add(n));
        const shownExpression = smallest ? 'the smallest of the bounds above' : toText(short.shown);
        out(`  rank ${name} ≤ ${shownExpression}   [${smallest ? '' : b.name}${b.catalogId ? `${smallest ? '' : ': '}${b.catalogId}` : ''}] = ${valueOf(b.expression)}`);
      }
      const definitions = definitionsFor(used, named);
      if (definitions.length > 0) out(`  where ${definitions.map(([n, e]) => `${n} = ${toText(e)}`).join('\n        ')}`);
      const mergedText =
        (net.merge ? `, ${{ HO: 'HOm', HF: 'HFm', H: 'Hm' }[d.quantity]} = ${merged[({ HO: 'HOm', HF: 'HFm', H: 'Hm' } as const)[d.quantity]]}` : '') +
        (net.above && d.quantity === 'HF' ? `, HFt = ${merged.HFt}` : '');
      out(`at N = ${architecture.samples} (r = ${point.r}${d.quantity === 'H' ? `, HO = ${derived.HO}, HF = ${derived.HF}` : ''}${mergedText}): rank ${name} ≤ ${derived[d.quantity]}   (${predicted(d.quantity)})`);
      for (const c of mine) {
        out(`  ${comparisonLine(c)}`);
        if (options.proof && c.proof?.verdict === 'proven') c.proof.cases.forEach((x, k) => out(`      ${caseText(x, k)}`));
      }
      out('');
    }
  }
  return { lines, differing: comparisons.filter((c) => c.method === 'differs').map((c) => c.id) };
}
