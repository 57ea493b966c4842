/**
 * Theorem check for the null directions of H on one layer (docs/cnn.md#null-directions-of-the-kernels):
 *
 *   a direction on layer l alone is a null direction of H exactly when J v = 0 and H_F v = 0; for conv
 *   l ≥ 2 at least ν_l = max(0, c_l (c_{l-1} − h_{l-1}) e_l − max(0, x_l − 1)) of them exist, and
 *   rank H ≤ P_L + K z + min(s(m − z) − (c_{L-1} − c_{L-2} e_{L-1})_+ (s n_{L-1} − c_{L-2} e_{L-1})_+,
 *                            x_L − 1, c_{L-1} min(c_{L-2} e_{L-1}, s n_{L-1}) − 1 + s(t_{L-1} − z)) − Σ_l ν_l.
 *
 * Checked on exact Hessians over Z/PZ: the null space of each layer's column block of H (its rank over
 * Z/PZ never exceeds the rank over Q, so a count below ν_l is a real counterexample), and the bound
 * against exact ranks of H. A failure prints the shrunk CNN.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { sampleConvolutionalInstance } from '../../src/cnn/convolutionalInstance.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';
import { exactFields, rankModPrime } from '../../src/linalg/exactRank.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';

/** 2–3 convolutions with 1–3 channels (narrow layers below wider ones are common), N on both sides of d */
const deeper = convolutionalArbitrary({ convolutions: [2, 3], channels: [1, 3], outputs: [1, 3] });

function columns(m: Matrix, from: number, to: number): Matrix {
  const out = zeros(m.rows, to - from);
  for (let i = 0; i < m.rows; i++) out.data.set(m.data.subarray(i * m.cols + from, i * m.cols + to), i * (to - from));
  return out;
}

describe('null directions of H supported on one convolution', () => {
  it('conv l ≥ 2 has at least c_l (c_{l-1} − h_{l-1}) e_l − (x_l − 1) of them (exact Hessians, two primes)', () => {
    let withDirections = 0;
    fc.assert(
      fc.property(deeper, (net) => {
        const instance = sampleConvolutionalInstance(net, { seed: 6, integer: true });
        const hessians = exactFields.slice(0, 2).map((field) => ({ field, H: new LinearNetworkHessian(instance, field).parts().hessian }));
        const scope = convolutionalScope(net);
        const nu = scope.nu as number[];
        const e = scope.e as number[];
        const c = [net.inputChannels, ...net.layers.map((l) => l.channels)];
        const offsets = [...instance.offsets, instance.parameters];
        for (let l = 2; l <= net.layers.length; l++) {
          const block = hessians.map(({ field, H }) => rankModPrime(columns(H, offsets[l - 1]!, offsets[l]!), field));
          // kernel entries at offsets that only read padding are zero columns: count the others
          const nullDirections = c[l]! * c[l - 1]! * e[l - 1]! - Math.max(...block);
          if (nu[l - 1]! > 0) withDirections++;
          expect(nullDirections, `${describeConvolutional(net)}: conv ${l} has ${nullDirections} null directions of H, ν = ${nu[l - 1]}`).toBeGreaterThanOrEqual(nu[l - 1]!);
        }
      }),
      { numRuns: 40, seed: 31 },
    );
    expect(withDirections).toBeGreaterThan(3);
  });

  it('rank H ≤ the dense layer count − Σ_l ν_l (exact ranks)', () => {
    fc.assert(
      fc.property(deeper, (net) => {
        const m = measureConvolutional(net, { exact: true, seed: 4 });
        const scope = convolutionalScope(net, m.r);
        const L = scope.L as number;
        const [c, e, n, t, x, P, nu] = (['c', 'e', 'n', 't', 'x', 'P', 'nu'] as const).map((k) => scope[k] as number[]);
        const s = scope.s as number;
        const K = scope.K as number;
        const z = Math.min(m.r, ...t);
        const last = L - 2; // the last convolution in c, e, n, t (0-based)
        const width = c[last]! * n[last]!;
        const window = c[last - 1]! * e[last]!;
        const second = Math.max(0, c[last]! - window) * Math.max(0, s * n[last]! - window);
        const dense = Math.min(s * (width - z) - second, x[L - 1]! - 1, c[last]! * Math.min(window, s * n[last]!) - 1 + s * (t[last]! - z));
        const bound = P[L - 1]! + K * z + dense - nu.reduce((a, b) => a + b, 0);
        expect(m.ranks.H, `${describeConvolutional(net)}: rank H = ${m.ranks.H}, bound ${bound}`).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 60, seed: 29 },
    );
  });

  it('in=3x5; conv k=1 c=2 s=2; conv k=2 c=3; K=2, N = 32: conv 2 reads one channel in 2, 12 − 1 = 11 null directions, rank H = 27', () => {
    const net = parseConvolutional('in=3x5; conv k=1 c=2 s=2; conv k=2 c=3; K=2', { samples: 32 });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(27);
    const prediction = predictConvolutional(net);
    expect(prediction.scope.nu).toEqual([0, 11]);
    expect(prediction.ranks.H).toBe(27);
    expect(prediction.formulas.H?.formula).toBe('cnn-layer-null-H');
  });
});
