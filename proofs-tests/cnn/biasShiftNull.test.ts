/**
 * Theorem check for cnn-bias-shift-null-H (docs/cnn.md#bias-the-shift-absorbed-by-conv-2): with bias and an unpadded
 * conv 2, map 1 is U_1 + b_1 at every position (U_1's channel vectors in the column space 𝒰_1 of w_1, dimension
 * ω*_1 = min(c_1, c_0 e_1)); the (kernel, bias) directions (b, −Σ_e ⟨b_e, b_1⟩), b ∈ 𝒰_1^⊥ ⊗ R^{e_2}, leave z_2 unchanged, and
 * their coupling to conv 1 reads it only through its c_1 − ω*_1 channels off 𝒰_1:
 *
 *   conv 2 has ≥ nab_2 = max(ν̃^s_2, c_2 (c_1 − ω*_1) e_2 − min(x̃_2, (c_1 − ω*_1) min(c_0 e_1 + 1, s̃ u_1))) null directions of H,
 *
 * so rank H ≤ cnn-bias-stack-null-H with ν̃^s_2 (nsb_2) raised to nab_2. Checked on exact Hessians over Z/PZ (a rank over Z/PZ never
 * exceeds the rank over Q, so a null count below the bound is a real counterexample), against exact ranks of H, and on
 * the examples of the derivation. A failure prints the shrunk CNN.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutional, describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { findFormula } from '../../src/catalog/catalog.js';
import { evaluateFormula } from '../../src/catalog/predict.js';
import { sampleConvolutionalInstance } from '../../src/cnn/convolutionalInstance.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';
import { exactFields, rankModPrime } from '../../src/linalg/exactRank.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';

/** two or three convolutions with bias, conv 2 unpadded, conv 1 often narrower than c_1 (1×1 or one input channel) */
const unpaddedSecond = fc
  .record({
    length: fc.integer({ min: 5, max: 10 }),
    c0: fc.integer({ min: 1, max: 2 }),
    k1: fc.integer({ min: 1, max: 2 }),
    c1: fc.integer({ min: 2, max: 4 }),
    k2: fc.integer({ min: 1, max: 3 }),
    s2: fc.integer({ min: 1, max: 2 }),
    c2: fc.integer({ min: 1, max: 3 }),
    third: fc.boolean(),
    K: fc.integer({ min: 1, max: 3 }),
    fraction: fc.integer({ min: 0, max: 999 }),
  })
  .map((x) => {
    const layers = [
      { kernel: [x.k1], stride: [1], padding: [0], channels: x.c1 },
      { kernel: [x.k2], stride: [x.s2], padding: [0], channels: x.c2 },
      ...(x.third ? [{ kernel: [1], stride: [1], padding: [0], channels: 2 }] : []),
    ];
    const d = x.c0 * x.length;
    return convolutional({ input: [x.length], inputChannels: x.c0, layers, outputs: x.K, samples: 1 + Math.floor((x.fraction / 1000) * (2 * d + 2)), bias: true });
  });

function columns(m: Matrix, from: number, to: number): Matrix {
  const out = zeros(m.rows, to - from);
  for (let i = 0; i < m.rows; i++) out.data.set(m.data.subarray(i * m.cols + from, i * m.cols + to), i * (to - from));
  return out;
}

/** the theorem's count on conv 2, from the geometry */
function shiftCount(net: ReturnType<typeof convolutional>): number {
  const scope = convolutionalScope(net);
  const [c1, c2] = scope.c as number[];
  const [e1, e2] = scope.e as number[];
  const [u1] = scope.u as number[];
  const c0 = scope.c0 as number;
  const K = scope.K as number;
  const st = Math.min(net.samples, (scope.r as number) + 1, K);
  const off = c1! - Math.min(c1!, c0 * e1!);
  return Math.max((scope.nsb as number[])[1]!, c2! * off * e2! - Math.min((scope.xb as number[])[1]!, off * Math.min(c0 * e1! + 1, st * u1!)));
}

describe('with bias, conv 2 absorbs the shift of map 1: null directions off its linear part', () => {
  it('conv 2 has at least nab_2 null directions of H (exact Hessians, two primes), and nab_2 is the scope value', () => {
    let raised = 0;
    fc.assert(
      fc.property(unpaddedSecond, fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const scope = convolutionalScope(net);
        const count = shiftCount(net);
        expect((scope.nab as number[])[1]).toBe(count);
        if (count > (scope.nsb as number[])[1]!) raised++;
        const instance = sampleConvolutionalInstance(net, { seed, integer: true });
        const hessians = exactFields.slice(0, 2).map((field) => ({ field, H: new LinearNetworkHessian(instance, field).parts().hessian }));
        const offsets = [...instance.offsets, instance.parameters];
        const found = offsets[2]! - offsets[1]! - Math.max(...hessians.map(({ field, H }) => rankModPrime(columns(H, offsets[1]!, offsets[2]!), field)));
        expect(found, `${describeConvolutional(net)}: conv 2 has ${found} null directions of H, counted ${count}`).toBeGreaterThanOrEqual(count);
      }),
      { numRuns: 40, seed: 61 },
    );
    expect(raised).toBeGreaterThan(3);
  });

  it('rank H ≤ cnn-bias-shift-null-H (exact ranks)', () => {
    fc.assert(
      fc.property(unpaddedSecond, (net) => {
        const measured = measureConvolutional(net, { exact: true, seed: 9 });
        const predicted = predictConvolutional(net, { dataRank: measured.r });
        const value = evaluateFormula(findFormula('cnn-bias-shift-null-H'), { ...convolutionalScope(net, measured.r), HO: predicted.ranks.HO!, HF: predicted.ranks.HF! });
        expect(measured.ranks.H, `${describeConvolutional(net)}: rank H = ${measured.ranks.H}, bound ${value}`).toBeLessThanOrEqual(value);
      }),
      { numRuns: 40, seed: 63 },
    );
  });

  it.each([
    // 2 (2 − 1) 3 − min(x̃_2 = 4, 1 · min(2, 8)) = 4 null directions on conv 2 (ν̃^s_2 = 2)
    ['in=8; conv k=1 c=2; conv k=3 c=2 s=2; K=1', 11, 21, 4],
    // 2 (3 − 1) 9 − min(6, 2 · 2) = 32 (ν̃^s_2 = 30)
    ['in=5x6; conv k=1 c=3; conv k=3 c=2 s=2; K=1', 61, 39, 32],
    // 4 (3 − 1) 2 − min(6, 2 · 2) = 12 (ν̃^s_2 = 10)
    ['in=8; conv k=1 c=3; conv k=2 c=4; K=1', 3, 37, 12],
  ] as const)('%s with bias, N = %i: rank H = %i, %i null directions on conv 2', (arch, samples, H, conv2) => {
    const net = parseConvolutional(arch, { samples, bias: true });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(H);
    const prediction = predictConvolutional(net);
    expect((prediction.scope.nab as number[])[1]).toBe(conv2);
    expect(evaluateFormula(findFormula('cnn-bias-shift-null-H'), { ...prediction.scope, HO: prediction.ranks.HO!, HF: prediction.ranks.HF! })).toBe(H);
    expect(prediction.ranks.H).toBe(H);
  });
});
