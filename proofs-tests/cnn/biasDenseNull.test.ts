/**
 * Theorem check for cnn-bias-dense-null-H (docs/cnn.md#bias-the-dense-layers-coupling-at-a-generic-point): with bias, a direction
 * V = [dW | db] of the dense layer is a null direction of H exactly when V Z̃_{L-1} = 0 and its coupling tr(V [dZ_{L-1}(dθ); 0] Gᵀ)
 * to the convolutions vanishes; the rank of V ↦ (J v, coupling) is K z + dim(𝒯 mod col Z̃_{L-1} ⊗ R^{s̃′}) ≤ K z + R̃_g − s̃′ z, so
 *
 *   rank of H's dense column block ≤ K z̃ + ω̃_g,   ω̃_g = R̃_g − s̃′ ẑ̃_{L-1} (symbol owb_{L-1}),
 *
 * R̃_g the generic rank of the augmented stack's tangent at s̃′ augmented images together with col Z̃_{L-1} ⊗ R^{s̃′}. Checked on exact
 * Hessians over Z/PZ (a rank over Z/PZ never exceeds the rank over Q, so a block rank above the bound is a real counterexample),
 * against exact ranks of H, and on the two-convolution CNNs the earlier entries missed. A failure prints the shrunk CNN.
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

function columns(m: Matrix, from: number, to: number): Matrix {
  const out = zeros(m.rows, to - from);
  for (let i = 0; i < m.rows; i++) out.data.set(m.data.subarray(i * m.cols + from, i * m.cols + to), i * (to - from));
  return out;
}

/** the theorem's bound on the rank of the dense layer's column block: K z̃ + ω̃_g */
function denseBound(net: Convolutional): { bound: number; first: number } {
  const scope = convolutionalScope(net);
  const t = scope.t as number[];
  const c = scope.c as number[];
  const n = scope.n as number[];
  const K = scope.K as number;
  const rt = Math.min(net.samples, (scope.r as number) + 1);
  const zt = Math.min(rt, Math.min(...t) + 1);
  const st = Math.min(rt, K);
  const ogb = (scope.owb as number[]).at(-1)!;
  return { bound: K * zt + ogb, first: K * zt + st * (c[c.length - 1]! * n[n.length - 1]! + 1 - zt) };
}

/** the rank of H's column block on the dense layer (the larger over two primes) */
function denseBlockRank(net: Convolutional, seed: number): number {
  const instance = sampleConvolutionalInstance(net, { seed, integer: true });
  const from = instance.offsets[instance.offsets.length - 1]!;
  return Math.max(...exactFields.slice(0, 2).map((field) => rankModPrime(columns(new LinearNetworkHessian(instance, field).parts().hessian, from, instance.parameters), field)));
}

const twoOrThree = convolutionalArbitrary({ convolutions: [2, 3], bias: true, channels: [1, 3], outputs: [1, 4] });

describe('with bias, the dense layer’s coupling at a generic point bounds its null directions', () => {
  it('the rank of H’s dense column block is at most K z̃ + ω̃_g (exact Hessians, two primes)', () => {
    let lowered = 0;
    fc.assert(
      fc.property(twoOrThree, fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const { bound, first } = denseBound(net);
        if (bound < first) lowered++;
        const rank = denseBlockRank(net, seed);
        expect(rank, `${describeConvolutional(net)}: H's dense block has rank ${rank}, bound K z̃ + ω̃_g = ${bound}`).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 40, seed: 71 },
    );
    expect(lowered).toBeGreaterThan(5);
  });

  it('rank H ≤ cnn-bias-dense-null-H (exact ranks)', () => {
    fc.assert(
      fc.property(twoOrThree, (net) => {
        const measured = measureConvolutional(net, { exact: true, seed: 9 });
        const predicted = predictConvolutional(net, { dataRank: measured.r });
        const value = evaluateFormula(findFormula('cnn-bias-dense-null-H'), { ...convolutionalScope(net, measured.r), HO: predicted.ranks.HO!, HF: predicted.ranks.HF! });
        expect(measured.ranks.H, `${describeConvolutional(net)}: rank H = ${measured.ranks.H}, bound ${value}`).toBeLessThanOrEqual(value);
      }),
      { numRuns: 40, seed: 73 },
    );
  });

  it.each([
    // the dense layer: K (c_2 n_2 + 1) = 57 parameters, 16 null directions (K z̃ = 27, ω̃_g = 14; the coupling was counted 17)
    ['in=3x3 ch=2; conv k=1 c=2 s=2; conv k=2 c=2 pad=1; K=3', 26, 65, 68, 16],
    // 36 parameters, 12 null (K z̃ = 16, ω̃_g = 8; x̃_3 = 10)
    ['in=6; conv k=1 c=4 s=2; conv k=2 c=2 pad=1; K=4', 9, 46, 48, 12],
    // 32 parameters, 7 null (K z̃ = 22, ω̃_g = 3; counted 6)
    ['in=5 ch=2; conv k=3 c=2 pad=1; conv k=1 c=3; K=2', 13, 48, 51, 7],
    // 20 parameters, 2 null (K z̃ = 12, ω̃_g = 6; counted 7)
    ['in=6; conv k=3 c=1 s=2; conv k=3 c=2 pad=1; K=4', 10, 30, 31, 2],
    // 182 parameters, 132 null (K z̃ = 42, ω̃_g = 8; x̃_3 = 9)
    ['in=5x4; conv k=2 c=1 pad=1; conv k=1 c=3; K=2', 40, 61, 62, 132],
    // 122 parameters, 20 null (K z̃ = 82, ω̃_g = 20; counted 26)
    ['in=4x5 ch=2; conv k=1 c=3; conv k=2 c=2 pad=1; K=2', 73, 137, 143, 20],
  ] as const)('%s with bias, N = %i: rank H = %i (was predicted %i), %i null directions on the dense layer', (arch, samples, H, before, nullDense) => {
    const net = parseConvolutional(arch, { samples, bias: true });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(H);
    const prediction = predictConvolutional(net);
    const dense = (net.outputs * (prediction.scope.c as number[]).at(-1)! * (prediction.scope.n as number[]).at(-1)! + net.outputs);
    expect(dense - denseBound(net).bound).toBe(nullDense);
    expect(dense - denseBlockRank(net, 3)).toBe(nullDense);
    expect(evaluateFormula(findFormula('cnn-bias-shift-null-H'), { ...prediction.scope, HO: prediction.ranks.HO!, HF: prediction.ranks.HF! })).toBe(before);
    expect(evaluateFormula(findFormula('cnn-bias-dense-null-H'), { ...prediction.scope, HO: prediction.ranks.HO!, HF: prediction.ranks.HF! })).toBe(H);
    expect(prediction.ranks.H).toBe(H);
  });
});
