/**
 * Theorem check for the null directions of H on one layer of a CNN with bias
 * (docs/cnn.md#bias-null-directions-on-one-layer): F is affine in each layer's (w_l, b_l), so a direction
 * on one layer alone is a null direction of H exactly when J v = 0 and H_F v = 0, and
 *
 *   dense layer   ≥ K(c_{L-1} n_{L-1} + 1 − z̃) − min(s̃(c_{L-1} n_{L-1} + 1 − z̃), x̃_L,
 *                     c_{L-1} min(π̂_{L-1}, s̃ n_{L-1}) + s̃(min(c_{L-1} n_{L-1} + 1, t_{L-1} + 1) − z̃) − δ),
 *                 δ = 1 + [R_{L-1} ≥ 1] (min(c_{L-1}, c_{L-2}) + [n_{L-1} ≥ 2] − 1)
 *   conv 1        ≥ ν̃_1 = c_1 (c_0 e_1 + 1 − min(c_0 e_1 + 1, N u_1, r u_1 + 1))
 *   conv l ≥ 2    ≥ ν̃_l = max(0, c_l (c_{l-1} − min(c_{l-1}, ω_{l-1} + 1)) e_l − (x̃_l − 1)_+   (conv 2: less
 *                             min((x̃_2 − 1)_+, (c_1 − min(c_1, ω_1 + 1)) min(c_0 e_1 + 1, s̃ u_1))),
 *                             c_l (c_{l-1} e_l + 1 − min(c_{l-1} e_l + 1, N u_l, π̂_l)) − x̃_l)
 *
 * so rank H ≤ P̃_L + K(c_{L-1} n_{L-1} + 1) − (those counts) (cnn-bias-layer-null-H).
 * Checked on exact Hessians over Z/PZ (a rank over Z/PZ never exceeds the rank over Q, so a null count
 * below the bound is a real counterexample) and against exact ranks of H. A failure prints the shrunk CNN.
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

/** 2–3 convolutions with bias, 1–3 channels, N on both sides of d */
const deeper = convolutionalArbitrary({ convolutions: [2, 3], channels: [1, 3], outputs: [1, 3], bias: true });

function columns(m: Matrix, from: number, to: number): Matrix {
  const out = zeros(m.rows, to - from);
  for (let i = 0; i < m.rows; i++) out.data.set(m.data.subarray(i * m.cols + from, i * m.cols + to), i * (to - from));
  return out;
}

/** the theorem's counts at a scope: [dense, ν̃_1, …, ν̃_{L-1}] and the bound on rank H */
function counts(scope: ReturnType<typeof convolutionalScope>) {
  const L = scope.L as number;
  const [c, n, t, xb, Pb, pb, nub] = (['c', 'n', 't', 'xb', 'Pb', 'pb', 'nub'] as const).map((k) => scope[k] as number[]);
  const K = scope.K as number;
  const N = scope.N as number;
  const rt = Math.min(N, (scope.r as number) + 1);
  const st = Math.min(rt, K);
  const zt = Math.min(rt, Math.min(...t) + 1);
  const last = L - 2;
  const width = c[last]! * n[last]! + 1;
  // the last convolution's directions landing in the lower layers' part: dw = w, and with a per-channel input
  // shift (R ≥ 1) the biases in the range of Σ_e α_e w_e (independent of the first when n_{L-1} ≥ 2)
  const R = scope.R as number[];
  const delta = 1 + (R[last]! >= 1 ? Math.min(c[last]!, c[last - 1]!) + (n[last]! >= 2 ? 1 : 0) - 1 : 0);
  const projected = Math.min(st * (width - zt), xb[L - 1]!, c[last]! * Math.min(pb[last]!, st * n[last]!) + st * (Math.min(width, t[last]! + 1) - zt) - delta);
  const dense = K * (width - zt) - projected;
  const bound = Pb[L - 1]! + K * width - dense - nub.reduce((a, b) => a + b, 0);
  return { dense, nub, bound };
}

describe('null directions of H on one layer of a CNN with bias', () => {
  it('each layer has at least the counted null directions (exact Hessians, two primes)', () => {
    let counted = 0;
    fc.assert(
      fc.property(deeper, fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const instance = sampleConvolutionalInstance(net, { seed, integer: true });
        const hessians = exactFields.slice(0, 2).map((field) => ({ field, H: new LinearNetworkHessian(instance, field).parts().hessian }));
        const scope = convolutionalScope(net);
        const { dense, nub } = counts(scope);
        const e = scope.e as number[];
        const k = scope.k as number[];
        const c = [net.inputChannels, ...net.layers.map((l) => l.channels)];
        const offsets = [...instance.offsets, instance.parameters];
        const nullity = (l: number) => offsets[l]! - offsets[l - 1]! - Math.max(...hessians.map(({ field, H }) => rankModPrime(columns(H, offsets[l - 1]!, offsets[l]!), field)));
        for (let l = 1; l <= net.layers.length; l++) {
          // kernel entries at offsets that only read padding are zero columns: count the others
          const found = nullity(l) - c[l]! * c[l - 1]! * (k[l - 1]! - e[l - 1]!);
          if (nub[l - 1]! > 0) counted++;
          expect(found, `${describeConvolutional(net)}: conv ${l} has ${found} null directions of H, ν̃ = ${nub[l - 1]}`).toBeGreaterThanOrEqual(nub[l - 1]!);
        }
        const denseFound = nullity(net.layers.length + 1);
        expect(denseFound, `${describeConvolutional(net)}: the dense layer has ${denseFound} null directions of H, counted ${dense}`).toBeGreaterThanOrEqual(dense);
      }),
      { numRuns: 30, seed: 41 },
    );
    expect(counted).toBeGreaterThan(3);
  });

  it('rank H ≤ P̃_L + K(c_{L-1} n_{L-1} + 1) − the counts (exact ranks)', () => {
    fc.assert(
      fc.property(deeper, (net) => {
        const m = measureConvolutional(net, { exact: true, seed: 8 });
        const { bound } = counts(convolutionalScope(net, m.r));
        expect(m.ranks.H, `${describeConvolutional(net)}: rank H = ${m.ranks.H}, bound ${bound}`).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 40, seed: 43 },
    );
  });

  it('in=10; conv k=2 c=1; conv k=1 c=2; K=1 with bias, N = 15: δ = 2, 7 null directions in the dense layer, rank H = 19', () => {
    const net = parseConvolutional('in=10; conv k=2 c=1; conv k=1 c=2; K=1', { samples: 15, bias: true });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(19);
    const prediction = predictConvolutional(net);
    // K(m + 1 − z̃) − min(9, x̃_3 = 5, c_2 π̂_2 + 0 − δ = 4 − 2) = 9 − 2
    expect(counts(prediction.scope).dense).toBe(7);
    expect(prediction.ranks.H).toBe(19);
    expect(prediction.formulas.H?.formula).toBe('cnn-bias-layer-null-H');
  });

  it('in=3x6 ch=2; conv k=3 c=3; conv k=2 c=1 pad=1; K=4 with bias, N = 3: 21 null directions in conv 1, 8 in the dense layer, rank H = 85', () => {
    const net = parseConvolutional('in=3x6 ch=2; conv k=3 c=3; conv k=2 c=1 pad=1; K=4', { samples: 3, bias: true });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(85);
    const prediction = predictConvolutional(net);
    // conv 1: 3 (2·9 + 1 − N u_1) = 3 (19 − 12); dense: (K − s̃)(c_2 n_2 + 1 − z̃) = 1 · 8
    expect(prediction.scope.nub).toEqual([21, 0]);
    expect(counts(prediction.scope).dense).toBe(8);
    expect(prediction.ranks.H).toBe(85);
    expect(prediction.formulas.H?.formula).toBe('cnn-bias-layer-null-H');
  });
});
