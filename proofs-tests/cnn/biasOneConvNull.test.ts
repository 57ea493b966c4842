/**
 * Theorem check for cnn-bias-one-conv-null-H (docs/cnn.md#bias-one-convolution-null-directions-on-each-layer): for one
 * convolution with bias, a direction on one layer is a null direction of H exactly when J v = 0 and H_F v = 0, and
 *
 *   dense layer   ν_dense ≥ max((K − s̃)(m + 1 − z̃) + (c_1 − c_0 e_1)_+ (s̃ n_1 − c_0 e_1 − 1)_+,
 *                               K(m + 1 − z̃) − min(s̃(m + 1 − z̃), min(P̃_2 − c_1 − 1, β̃ − c_1) + min(c_1 + 1 − ε, m + 1 − z̃))),
 *                 ε = max([N > r], r̃ − c_0 u_0 + min(c_1, c_0 R_1)),  m = c_1 n_1,  β̃ = rank H_F / 2
 *   convolution   ν_conv ≥ max(ν̂̃_1, P̃_2 − β̃ − min(K, m)(r̃ − s̃))
 *
 * so rank H ≤ P̃_2 + K(m + 1) − ν_dense − ν_conv (cnn-bias-one-conv-null-H takes the second count of each, with the
 * conv count's positive part; cnn-bias-one-conv-kernel-null-H the first of each). Checked on exact Hessians over Z/PZ (a rank over Z/PZ never exceeds
 * the rank over Q, so a null count below the bound is a real counterexample), against exact ranks of H, and on the
 * examples of the derivation. A failure prints the shrunk CNN.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeConvolutional, parseConvolutional, type Convolutional } from '../../src/architecture/convolutional.js';
import { findFormula } from '../../src/catalog/catalog.js';
import { evaluateFormula } from '../../src/catalog/predict.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { sampleConvolutionalInstance } from '../../src/cnn/convolutionalInstance.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';
import { exactFields, rankModPrime } from '../../src/linalg/exactRank.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';

const oneConvolution = convolutionalArbitrary({ convolutions: [1, 1], channels: [1, 4], outputs: [1, 4], bias: true });
const fullRank = convolutionalArbitrary({ convolutions: [1, 1], channels: [1, 4], outputs: [1, 4], bias: true, fullRankData: true });

function columns(m: Matrix, from: number, to: number): Matrix {
  const out = zeros(m.rows, to - from);
  for (let i = 0; i < m.rows; i++) out.data.set(m.data.subarray(i * m.cols + from, i * m.cols + to), i * (to - from));
  return out;
}

const positive = (x: number): number => Math.max(0, x);

/** the theorem's counts at the architecture (generic data rank, the catalog's rank H_F) */
function counts(net: Convolutional) {
  const scope = convolutionalScope(net);
  const HF = predictConvolutional(net).ranks.HF!;
  const [c1] = scope.c as number[];
  const [n1] = scope.n as number[];
  const [e1] = scope.e as number[];
  const [t1] = scope.t as number[];
  const [R1] = scope.R as number[];
  const [, Pt2] = scope.Pb as number[];
  const [nkb1] = scope.nkb as number[];
  const c0 = scope.c0 as number;
  const u0 = scope.u0 as number;
  const K = scope.K as number;
  const N = scope.N as number;
  const r = scope.r as number;
  const rt = Math.min(N, r + 1);
  const st = Math.min(rt, K);
  const zt = Math.min(rt, t1! + 1);
  const m = c1! * n1!;
  const beta = HF / 2;
  const free = m + 1 - zt;
  const epsilon = Math.max(N > r ? 1 : 0, rt - c0 * u0 + Math.min(c1!, c0 * R1!));
  const conditions = Math.min(st * free, Math.min(Pt2! - c1! - 1, beta - c1!) + Math.min(c1! + 1 - epsilon, free));
  const dense = Math.max((K - st) * free + positive(c1! - c0 * e1!) * positive(st * n1! - c0 * e1! - 1), K * free - conditions);
  const conv = Math.max(nkb1!, Pt2! - beta - Math.min(K, m) * (rt - st));
  return { dense, conv, bound: Pt2! + K * (m + 1) - dense - conv };
}

describe('one convolution with bias: null directions of H on the convolution and on the dense layer', () => {
  it('each layer has at least the counted null directions (exact Hessians, two primes)', () => {
    let counted = 0;
    fc.assert(
      fc.property(fc.oneof(oneConvolution, fullRank), fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const instance = sampleConvolutionalInstance(net, { seed, integer: true });
        const hessians = exactFields.slice(0, 2).map((field) => ({ field, H: new LinearNetworkHessian(instance, field).parts().hessian }));
        const { dense, conv } = counts(net);
        const offsets = [...instance.offsets, instance.parameters];
        const nullity = (l: number) => offsets[l]! - offsets[l - 1]! - Math.max(...hessians.map(({ field, H }) => rankModPrime(columns(H, offsets[l - 1]!, offsets[l]!), field)));
        const scope = convolutionalScope(net);
        // kernel entries at offsets that only read padding are zero columns: count the others
        const unread = (scope.c as number[])[0]! * (scope.c0 as number) * ((scope.k as number[])[0]! - (scope.e as number[])[0]!);
        const foundConv = nullity(1) - unread;
        const foundDense = nullity(2);
        if (dense > 0 || conv > 0) counted++;
        expect(foundConv, `${describeConvolutional(net)}: the convolution has ${foundConv} null directions of H, counted ${conv}`).toBeGreaterThanOrEqual(conv);
        expect(foundDense, `${describeConvolutional(net)}: the dense layer has ${foundDense} null directions of H, counted ${dense}`).toBeGreaterThanOrEqual(dense);
      }),
      { numRuns: 40, seed: 51 },
    );
    expect(counted).toBeGreaterThan(5);
  });

  it('rank H ≤ cnn-bias-one-conv-null-H and cnn-bias-one-conv-kernel-null-H (exact ranks), the smaller tight on most', () => {
    let tight = 0;
    fc.assert(
      fc.property(fc.oneof(oneConvolution, fullRank), (net) => {
        const measured = measureConvolutional(net, { exact: true, seed: 6 });
        const predicted = predictConvolutional(net, { dataRank: measured.r });
        const scope = { ...convolutionalScope(net, measured.r), HO: predicted.ranks.HO!, HF: predicted.ranks.HF! };
        const values = ['cnn-bias-one-conv-null-H', 'cnn-bias-one-conv-kernel-null-H'].map((id) => evaluateFormula(findFormula(id), scope));
        if (Math.min(...values) === measured.ranks.H) tight++;
        for (const value of values) expect(measured.ranks.H, `${describeConvolutional(net)}: rank H = ${measured.ranks.H}, bound ${value}`).toBeLessThanOrEqual(value);
      }),
      { numRuns: 60, seed: 53 },
    );
    expect(tight).toBeGreaterThan(40);
  });

  it.each([
    // conv: 38 − 24 − 3·(4 − 3) = 11 (the dense layer and the residual see 27 of the 38 (kernel, bias) directions)
    ['in=5x5 ch=2; conv k=3 c=2 s=2; K=3', 4, 'mse', 54, 11, 0],
    // with cross-entropy the network the loss sees has K − 1 = 2 outputs: 38 − 16 − 2·(4 − 2) = 18
    ['in=5x5 ch=2; conv k=3 c=2 s=2; K=3', 4, 'ce', 38, 18, 0],
    // dense: one left null vector of the 3 × 2 kernel times the 6 − 3 solutions of the augmented patch system
    ['in=11; conv k=2 c=3 s=2 pad=1; K=1', 12, 'mse', 25, 0, 3],
    // dense: N = r = c_0 u_0 — the input shift (R_1 = 1) lies in col X̃, ε = 1: 10 − (3 + 2) = 5
    ['in=6; conv k=2 c=2; K=2', 6, 'mse', 23, 0, 5],
    // conv: λ unseen by the 1 × 12 dense layer (c_1 = 4 > K u_1 = 3) times μ̃ orthogonal to 3 augmented patches of 4 entries
    ['in=5; conv k=3 c=4; K=1', 10, 'mse', 28, 1, 0],
  ] as const)('%s with bias, N = %i, %s: rank H = %i, %i null directions on the convolution, %i on the dense layer', (arch, samples, loss, H, conv, dense) => {
    const net = parseConvolutional(arch, { samples, bias: true, loss });
    const measured = measureConvolutional(net, { exact: loss === 'mse' });
    expect(measured.ranks.H).toBe(H);
    expect(counts(net)).toMatchObject({ conv, dense, bound: H });
    const prediction = predictConvolutional(net);
    expect(prediction.ranks.H).toBe(H);
    expect(['cnn-bias-one-conv-null-H', 'cnn-bias-one-conv-kernel-null-H']).toContain(prediction.formulas.H?.formula);
  });
});
