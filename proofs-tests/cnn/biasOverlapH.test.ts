/**
 * Theorem check for cnn-bias-one-conv-H (docs/cnn.md#bias): for one convolution with bias,
 *
 *   rank H ≤ min(p′, rank H_O + rank H_F − f max(0, A_1 + c_0 R_1 − K(t_1 + 1 − r̃)_+)),  f = [rank H_F = 2c_1(c_0 e_1 + 1), c_1 ≥ c_0 R_1]:
 *
 * the ranges of H_O and H_F meet in B̃ of the input-side symmetries of the augmented convolution [T | B b] (channel and
 * position maps: A_1; per-channel shifts the bias absorbs: c_0 R_1), which B̃ keeps independent when it is injective,
 * all of them with full-rank augmented data and all but K(t_1 + 1 − r̃)_+ with r̃ = min(N, r + 1) augmented samples. Checked against exact ranks of random 1D and 2D one-convolution bias CNNs
 * (full-rank data, where f can be 1, and any N), with the catalog's own H_O and H_F; and on the CNN where the
 * overlap is the whole gap between rank H_O + rank H_F and rank H. A failure prints the shrunk case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutional, describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { findFormula } from '../../src/catalog/catalog.js';
import { evaluateFormula } from '../../src/catalog/predict.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';

const biasConvolution = fc
  .record({
    dims: fc.constantFrom(1, 2),
    sides: fc.tuple(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 2, max: 4 })),
    kernels: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })),
    strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 })),
    pads: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1 })),
    c0: fc.integer({ min: 1, max: 2 }),
    c1: fc.integer({ min: 1, max: 4 }),
    K: fc.integer({ min: 1, max: 5 }),
    // 0: full-rank data (N = d + 2); otherwise N uniform on 1..2d+2
    fraction: fc.integer({ min: 0, max: 999 }),
  })
  .map((x) => {
    const axes = x.dims === 1 ? [0] : [0, 1];
    const kernel = axes.map((a) => x.kernels[a]!);
    const padding = axes.map((a) => Math.min(x.pads[a]!, kernel[a]! - 1));
    const input = axes.map((a) => Math.max(x.sides[a]!, kernel[a]! - 2 * padding[a]!));
    const d = x.c0 * input.reduce((a, b) => a * b, 1);
    const samples = x.fraction < 500 ? d + 2 : 1 + Math.floor(((x.fraction - 500) / 500) * (2 * d + 2));
    return convolutional({ input, inputChannels: x.c0, layers: [{ kernel, stride: axes.map((a) => x.strides[a]!), padding, channels: x.c1 }], outputs: x.K, samples, bias: true });
  });

const bound = (net: ReturnType<typeof convolutional>, r: number): number => {
  const predicted = predictConvolutional(net, { dataRank: r });
  return evaluateFormula(findFormula('cnn-bias-one-conv-H'), { ...convolutionalScope(net, r), HO: predicted.ranks.HO!, HF: predicted.ranks.HF! });
};

describe('one convolution with bias: the ranges of H_O and H_F meet in the input-side symmetries', () => {
  it('rank H ≤ the bound on random 1D and 2D CNNs, half of them with full-rank data (exact ranks)', () => {
    let overlaps = 0;
    fc.assert(
      fc.property(biasConvolution, (net) => {
        const measured = measureConvolutional(net, { exact: true, seed: 4 });
        const value = bound(net, measured.r);
        const predicted = predictConvolutional(net, { dataRank: measured.r });
        if (value < Math.min(predicted.ranks.HO! + predicted.ranks.HF!, convolutionalScope(net, measured.r).p as number)) overlaps++;
        expect(measured.ranks.H, `${describeConvolutional(net)}: bound ${value}`).toBeLessThanOrEqual(value);
      }),
      { numRuns: 60, seed: 71 },
    );
    // the overlap term is exercised, not only the trivial HO + HF
    expect(overlaps).toBeGreaterThan(5);
  });

  it('in=8; conv k=3 c=2; K=2 with bias, N = 10: rank H = 32 = 18 + 16 − (A_1 + c_0 R_1) = 34 − 2', () => {
    const net = parseConvolutional('in=8; conv k=3 c=2; K=2', { samples: 10, bias: true });
    const measured = measureConvolutional(net, { exact: true });
    const scope = convolutionalScope(net, measured.r);
    expect([measured.ranks.HO, measured.ranks.HF, measured.ranks.H]).toEqual([18, 16, 32]);
    expect((scope.A as number[])[0]! + (scope.c0 as number) * (scope.R as number[])[0]!).toBe(2);
    expect(bound(net, measured.r)).toBe(32);
  });

  it('in=3x5; conv k=2 c=3 s=2 pad=1; K=2 with bias, N = 12 = r < c_0 u_0 = 15: rank H = 49 = the bound, 4 below rank H_O + rank H_F = 53', () => {
    const net = parseConvolutional('in=3x5; conv k=2 c=3 s=2 pad=1; K=2', { samples: 12, bias: true });
    const measured = measureConvolutional(net, { exact: true, seed: 4 });
    expect(measured.r).toBe(12);
    expect([measured.ranks.HO, measured.ranks.HF, measured.ranks.H]).toEqual([24, 30, 49]);
    expect(bound(net, measured.r)).toBe(49);
  });
});
