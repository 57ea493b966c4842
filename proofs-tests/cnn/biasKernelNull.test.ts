/**
 * Theorem check for the kernel null directions of H in a CNN with bias
 * (docs/cnn.md#bias-null-directions-of-the-kernels): a (kernel, bias) direction (λ ⊗ μ, λ γ) of conv l acts
 * through the channel combination λ and μ̃ = (μ, γ); it is a null direction of H when A_l (λ ⊗ I) = 0
 * (A_l = W T_{L-1} ⋯ T_{l+1}) and μ̃ is orthogonal to the augmented patches [patch_t(v); σ] of the s̃
 * augmented images Z̃_{l-1} Gᵀ. With π*_l ≤ π̂_l the span of the augmented patches through the linear part of map l−1
 * (an unpadded convolution maps a per-channel constant to one: ω*_l = min(c_l, ω*_{l-1} e_l)), π̃_l = min(π*_l, s̃ u_l) and ã_l = min(c_l, K u_l, c_j ∏_{i=l+1}^{j} e_i for
 * j > l), conv l has at least
 *
 *   ν̂̃_l = max(ν̃_l,  c_l (c_{l-1} e_l + 1 − min(c_{l-1} e_l + 1, N u_l, π*_l)) − x̃_l,
 *              (c_l − ã_l)_+ (c_{l-1} e_l + 1 − π̃_l)_+,  c_l (c_{l-1} e_l + 1 − π̃_l)_+ − K(z̃_{l-1} − s̃)_+ − x̃_l,
 *              κ_j (c_{l-1} e_l + 1 − m_j)_+,  ν̃ᵃ_l + max((c_l − ã_l)_+ (ϱ_{l-1} e_l + 1 − π̃_l)_+, κ_j (ϱ_{l-1} e_l + 1 − m_j)_+))
 *
 * null directions of H, where κ_j λ's are killed by the kernels above (w_{l+1} λ = 0: κ = (c_l − c_{l+1} e_{l+1})_+,
 * m = min(c_{l+1} e_{l+1}, π̃_l); or a chain of one-offset convolutions l+1..j: κ = (c_l − min c_i)_+, m = min(c_j, π̃_l)),
 * ν̃ᵃ_l the directions reading no channel of map l−1 (dimension ≤ ϱ_{l-1} = min(c_{l-1}, ω*_{l-1} + 1));
 * so rank H ≤ (cnn-bias-layer-null-H's dense count) − Σ_l ν̂̃_l (cnn-bias-kernel-null-H).
 *
 * Checked on exact Hessians over Z/PZ: the null space of each convolution's column block of H (a rank over
 * Z/PZ never exceeds the rank over Q, so a count below ν̂̃_l is a real counterexample), and the catalog bound
 * against exact ranks of H. A failure prints the shrunk CNN.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { evaluateFormula } from '../../src/catalog/predict.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { sampleConvolutionalInstance } from '../../src/cnn/convolutionalInstance.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';
import { exactFields, rankModPrime } from '../../src/linalg/exactRank.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';

/** 1–3 convolutions with bias, wide layers under narrow ones and K small, so that unseen λ are common */
const cnns = convolutionalArbitrary({ convolutions: [1, 3], channels: [1, 4], outputs: [1, 2], bias: true });
const deeper = convolutionalArbitrary({ convolutions: [2, 3], channels: [1, 4], outputs: [1, 3], bias: true });

function columns(m: Matrix, from: number, to: number): Matrix {
  const out = zeros(m.rows, to - from);
  for (let i = 0; i < m.rows; i++) out.data.set(m.data.subarray(i * m.cols + from, i * m.cols + to), i * (to - from));
  return out;
}

describe('null directions λ ⊗ μ̃ in the kernels of a CNN with bias', () => {
  it('conv l has at least ν̂̃_l ≥ ν̃_l null directions of H (exact Hessians, two primes)', () => {
    let beyond = 0;
    fc.assert(
      fc.property(cnns, fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const instance = sampleConvolutionalInstance(net, { seed, integer: true });
        const hessians = exactFields.slice(0, 2).map((field) => ({ field, H: new LinearNetworkHessian(instance, field).parts().hessian }));
        const scope = convolutionalScope(net);
        const [nkb, nub, e, k] = (['nkb', 'nub', 'e', 'k'] as const).map((key) => scope[key] as number[]);
        const c = [net.inputChannels, ...net.layers.map((l) => l.channels)];
        const offsets = [...instance.offsets, instance.parameters];
        for (let l = 1; l <= net.layers.length; l++) {
          const block = Math.max(...hessians.map(({ field, H }) => rankModPrime(columns(H, offsets[l - 1]!, offsets[l]!), field)));
          // kernel entries at offsets that only read padding are zero columns: count the others
          const found = offsets[l]! - offsets[l - 1]! - block - c[l]! * c[l - 1]! * (k[l - 1]! - e[l - 1]!);
          expect(nkb[l - 1]!, `ν̂̃ ≥ ν̃ on conv ${l}`).toBeGreaterThanOrEqual(nub[l - 1]!);
          if (nkb[l - 1]! > nub[l - 1]!) beyond++;
          expect(found, `${describeConvolutional(net)} with bias, N = ${net.samples}: conv ${l} has ${found} null directions of H, ν̂̃ = ${nkb[l - 1]}`).toBeGreaterThanOrEqual(nkb[l - 1]!);
        }
      }),
      { numRuns: 60, seed: 47 },
    );
    expect(beyond).toBeGreaterThan(5);
  });

  it('rank H ≤ cnn-bias-kernel-null-H (exact ranks)', () => {
    const entry = loadCatalog().find((f) => f.entry.id === 'cnn-bias-kernel-null-H')!;
    expect(entry).toBeDefined();
    fc.assert(
      fc.property(deeper, (net) => {
        const m = measureConvolutional(net, { exact: true, seed: 9 });
        const prediction = predictConvolutional(net, { dataRank: m.r });
        const bound = evaluateFormula(entry, prediction.scope);
        expect(m.ranks.H, `${describeConvolutional(net)} with bias, N = ${net.samples}: rank H = ${m.ranks.H}, cnn-bias-kernel-null-H ${bound}`).toBeLessThanOrEqual(bound);
        expect(prediction.ranks.H!).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 50, seed: 53 },
    );
  });

  it('in=6x4 ch=2; conv k=1 c=4; conv k=1 c=1 s=2; conv k=2 c=4 s=2; K=1 with bias, N = 16: 6 null directions in conv 1 (λ killed by w_2), 12 in conv 3 (λ unseen by W), rank H = 24', () => {
    const net = parseConvolutional('in=6x4 ch=2; conv k=1 c=4; conv k=1 c=1 s=2; conv k=2 c=4 s=2; K=1', { samples: 16, bias: true });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(24);
    const prediction = predictConvolutional(net);
    // conv 1: (c_1 − c_2 e_2)(c_0 e_1 + 1 − min(c_2 e_2, π̃_1)) = 3 (3 − 1); conv 3: (c_3 − K u_3)(c_2 e_3 + 1 − s̃ u_3) = 3 (5 − 1)
    expect(prediction.scope.nub).toEqual([0, 0, 0]);
    expect(prediction.scope.nkb).toEqual([6, 0, 12]);
    expect(prediction.ranks.H).toBe(24);
    expect(prediction.formulas.H?.formula).toBe('cnn-bias-kernel-null-H');
  });

  it('in=7 ch=2; conv k=2 c=4 s=2 pad=1; conv k=1 c=4; conv k=1 c=1 s=2; K=4 with bias, N = 7: the 1×1 chain w_3 w_2 kills 3 λ of conv 1, rank H = 33', () => {
    const net = parseConvolutional('in=7 ch=2; conv k=2 c=4 s=2 pad=1; conv k=1 c=4; conv k=1 c=1 s=2; K=4', { samples: 7, bias: true });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(33);
    const prediction = predictConvolutional(net);
    // conv 1: (c_1 − min(c_2, c_3))(c_0 e_1 + 1 − min(c_3, π̃_1)) = 3 (5 − 1); conv 2: (c_2 − c_3 e_3)(c_1 e_2 + 1 − min(c_3 e_3, π̃_2)) = 3 (5 − 1)
    expect(prediction.scope.nkb).toEqual([12, 12, 0]);
    expect(prediction.ranks.H).toBe(33);
    expect(prediction.formulas.H?.formula).toBe('cnn-bias-kernel-null-H');
  });

  it('in=4 ch=2; conv k=3 c=4 s=2; conv k=1 c=4 s=2; K=2 with bias, N = 4: 16 null directions in conv 1 (12 before), 6 in conv 2, rank H = 36', () => {
    const net = parseConvolutional('in=4 ch=2; conv k=3 c=4 s=2; conv k=1 c=4 s=2; K=2', { samples: 4, bias: true });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(36);
    const prediction = predictConvolutional(net);
    // conv 1: c_1 (c_0 e_1 + 1 − π̃_1) − K(r̃ − s̃) = 4 (7 − 2) − 2 (4 − 2); conv 2: (c_2 − K u_2)(c_1 e_2 + 1 − s̃ u_2) = 2 (5 − 2)
    expect(prediction.scope.nub).toEqual([12, 0]);
    expect(prediction.scope.nkb).toEqual([16, 6]);
    expect(prediction.ranks.H).toBe(36);
  });
});
