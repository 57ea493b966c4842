/**
 * What predict claims for relu and tanh CNNs is what the measurements show
 * (docs/cnn.md#relu-and-tanh-cnns):
 *   rank(H_O) ≤ min(p, N K, N min(K, c_1 n_1) + p − c_1 c_0 κ_1 [− c_1], N min(K, c_{L-1} n_{L-1}) + K (c_{L-1} n_{L-1} [+ 1]))
 * at every instance (K − 1 for cross-entropy, [·] with bias), checked against exact ReLU ranks (mse,
 * integer instances with their exact activation pattern) and float64 tanh ranks (mse and ce, where
 * float64 decides them); relu's H and H_F are the linear CNN's ranks labelled as estimates; tanh's
 * have no formula; the note says which. A failure prints the shrunk CNN and instance seed.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convolutionalSyntax, parseConvolutional, type Convolutional } from '../../src/architecture/convolutional.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { nonlinearNotes } from '../../src/catalog/predict.js';
import { convolutionalFamily } from '../../src/family/convolutional/family.js';

const label = (net: Convolutional, seed: number): string =>
  `--cnn "${convolutionalSyntax(net)}" --samples ${net.samples}${net.bias ? ' --bias' : ''} --loss ${net.loss} --act ${net.activation} --seed ${seed}`;

describe('relu and tanh CNN predictions against measurements', () => {
  it('relu: rank(H_O) ≤ the bound on exact ranks; H and H_F are the linear CNN’s ranks, labelled estimates', () => {
    fc.assert(
      fc.property(convolutionalArbitrary({ convolutions: [1, 3], activation: 'relu', bias: 'any' }), fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const m = measureConvolutional(net, { seed, exact: true, quantities: ['HO'] });
        const prediction = predictConvolutional(net, { dataRank: m.r });
        expect(prediction.formulas.HO?.kind, label(net, seed)).toBe('upper-bound');
        expect(m.ranks.HO!, label(net, seed)).toBeLessThanOrEqual(prediction.ranks.HO!);
        const linear = predictConvolutional({ ...net, activation: 'linear' }, { dataRank: m.r });
        for (const q of ['H', 'HF'] as const) {
          expect(prediction.formulas[q]?.kind, label(net, seed)).toBe('estimate');
          expect(prediction.ranks[q], label(net, seed)).toBe(linear.ranks[q]);
        }
        expect(convolutionalFamily.predict(net, m.r).notes).toContain(nonlinearNotes.relu);
      }),
      { numRuns: 30, seed: 11 },
    );
  });

  it('tanh: rank(H_O) ≤ the bound wherever float64 decides it; no H or H_F formula', () => {
    fc.assert(
      fc.property(convolutionalArbitrary({ convolutions: [1, 3], activation: 'tanh', bias: 'any', loss: 'any' }), fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const m = measureConvolutional(net, { seed, quantities: ['HO'] });
        const prediction = predictConvolutional(net, { dataRank: m.r });
        expect(prediction.formulas.HO?.kind, label(net, seed)).toBe('upper-bound');
        if (m.ranks.HO !== null) expect(m.ranks.HO, label(net, seed)).toBeLessThanOrEqual(prediction.ranks.HO!);
        expect(prediction.formulas.H, label(net, seed)).toBeUndefined();
        expect(prediction.formulas.HF, label(net, seed)).toBeUndefined();
        expect(convolutionalFamily.predict(net, m.r).notes).toContain(nonlinearNotes.tanh);
      }),
      { numRuns: 30, seed: 12 },
    );
  });

  it('no catalog entry gives a linear formula as an estimate for tanh (tanh has no H or H_F formula)', () => {
    for (const file of ['formulas/cnn.json', 'formulas/deep-linear.json']) {
      const entries = (JSON.parse(readFileSync(file, 'utf8')) as { formulas: { id: string; estimateFor?: string[] }[] }).formulas;
      const tanh = entries.filter((f) => f.estimateFor?.includes('tanh')).map((f) => f.id);
      expect(tanh, `${file}: "estimateFor" lists tanh (docs/cnn.md#relu-and-tanh-cnns: the linear values undercount tanh networks); list relu only`).toEqual([]);
    }
  });

  it('in=16; conv k=3 c=4; conv k=3 c=4 s=2; K=3, tanh, N = 32: the bound N K = 96 is the measured rank; the linear estimate was 45', () => {
    const net = parseConvolutional('in=16; conv k=3 c=4; conv k=3 c=4 s=2; K=3', { activation: 'tanh' });
    const prediction = predictConvolutional(net);
    expect(prediction.ranks.HO).toBe(96);
    expect(predictConvolutional({ ...net, activation: 'linear' }).ranks.HO).toBe(45);
    expect(measureConvolutional(net, { seed: 0, quantities: ['HO'] }).ranks.HO).toBe(96);
  });
});
