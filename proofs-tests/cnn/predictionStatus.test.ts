/**
 * A prediction is only as established as what it reads (src/cnn/catalogRanks.ts): a formula evaluated on the
 * rank another catalog entry predicts — HO and HF in an H formula, HOm, HFm, Hm of the merged CNN
 * (src/cnn/merge.ts), HFt of the CNN above conv 1 (src/cnn/tail.ts) — is reported `conjectured`, with the
 * conjectured entries it reads (`via`), whenever one of those predictions is conjectured; otherwise it has its
 * own entry's status. Checked on the predictions of random CNNs (with and without bias, ReLU included) by
 * recomputing the predictions each formula reads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { findFormula, loadCatalog } from '../../src/catalog/catalog.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { convolutionalGeometry } from '../../src/cnn/geometry.js';
import { mergeOneByOne } from '../../src/cnn/merge.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { aboveFirstConvolution } from '../../src/cnn/tail.js';

const catalog = loadCatalog();
const readsOf = (id: string): Set<string> => {
  const formula = catalog.find((f) => f.entry.id === id)!;
  return new Set([...formula.expression.symbols, ...formula.definitions.flatMap(([, d]) => d.symbols)]);
};

describe('the status of a prediction: conjectured when it reads a conjectured prediction', () => {
  it('every predicted rank is conjectured exactly when its entry is, or when a prediction it reads is', () => {
    fc.assert(
      fc.property(convolutionalArbitrary({ convolutions: [1, 4], bias: 'any', activation: 'any' }), (net) => {
        const predicted = predictConvolutional(net);
        const linear = net.activation === 'linear' ? predicted : predictConvolutional({ ...net, activation: 'linear' });
        const merge = mergeOneByOne(net, convolutionalGeometry(net).effectiveKernel);
        const merged = merge ? predictConvolutional(merge.merged) : undefined;
        const above = !net.bias && net.layers.length >= 2 && net.layers.length <= 3 ? predictConvolutional(aboveFirstConvolution(net, predicted.r)!) : undefined;
        for (const quantity of ['HO', 'HF', 'H'] as const) {
          const chosen = predicted.formulas[quantity];
          if (!chosen) continue;
          const reads = readsOf(chosen.formula);
          const inputs = [
            ...(quantity === 'H' && reads.has('HO') ? [linear.formulas.HO] : []),
            ...(quantity === 'H' && reads.has('HF') ? [linear.formulas.HF] : []),
            ...(reads.has('HOm') ? [merged?.formulas.HO] : []),
            ...(reads.has('HFm') ? [merged?.formulas.HF] : []),
            ...(reads.has('Hm') ? [merged?.formulas.H] : []),
            ...(reads.has('HFt') ? [above?.formulas.HF] : []),
          ];
          const own = findFormula(chosen.formula).entry.status;
          const conjecturedInput = inputs.some((f) => f?.status === 'conjectured');
          const where = `${describeConvolutional(net)}${net.bias ? ', bias' : ''}, ${net.activation}: ${quantity} by ${chosen.formula} (${own}), status ${chosen.status}, via ${chosen.via?.join(', ') ?? '—'}; it reads ${inputs.map((f) => (f ? `${f.formula} (${f.status})` : '—')).join(', ') || 'no prediction'}`;
          expect(chosen.status, where).toBe(own === 'conjectured' || conjecturedInput ? 'conjectured' : own);
          expect(chosen.via !== undefined, where).toBe(own !== 'conjectured' && conjecturedInput);
        }
      }),
      { numRuns: 60, seed: 61 },
    );
  });

  it('a derived merge bound reading a conjectured merged prediction says so (bias CNNs merging into one bias convolution, H by cnn-bias-merged-H)', () => {
    // only cnn-bias-merged-H for H: it reads Hm, the merged one-convolution bias CNN's prediction
    const restricted = catalog.filter((f) => f.entry.quantity !== 'H' || f.entry.id === 'cnn-bias-merged-H');
    let conjecturedMerged = 0;
    for (const [c1, c2, K, samples] of [[2, 1, 1, 10], [2, 1, 2, 10], [2, 3, 2, 3], [4, 1, 1, 40], [1, 3, 2, 1], [2, 5, 4, 40]] as const) {
      const net = parseConvolutional(`in=4; conv k=1 c=${c1}; conv k=1 c=${c2}; K=${K}`, { samples, bias: true });
      const merged = predictConvolutional(mergeOneByOne(net, convolutionalGeometry(net).effectiveKernel)!.merged).formulas.H!;
      const H = predictConvolutional(net, {}, restricted).formulas.H!;
      const where = `${describeConvolutional(net)}, bias: H by ${H.formula} (${H.status}, via ${H.via?.join(', ') ?? '—'}), Hm by ${merged.formula} (${merged.status})`;
      expect(H.formula, where).toBe('cnn-bias-merged-H');
      if (merged.status === 'conjectured') {
        conjecturedMerged++;
        expect(H.status, where).toBe('conjectured');
        expect(H.via, where).toEqual([merged.formula]);
      } else expect([H.status, H.via], where).toEqual(['derived', undefined]);
    }
    // while the one-convolution bias H entry is conjectured, some of these merged CNNs are predicted by it
    if (findFormula('cnn-bias-one-conv-H').entry.status === 'conjectured') expect(conjecturedMerged).toBeGreaterThan(0);
  });
});
