/**
 * Theorem check for the kernel null directions λ ⊗ μ (docs/cnn.md#null-directions-of-the-kernels-tensor-products):
 *
 *   a kernel direction b = λ ⊗ μ of conv l with A_l (λ ⊗ I) = 0 (A_l = W T_{L-1} ⋯ T_{l+1}) and μ orthogonal
 *   to the patches of the s images at map l−1 is a null direction of H; with ν_l (channels map l−1 cannot
 *   carry) conv l has at least
 *     ν̂_l = max((c_l − a_l)_+ (c_{l-1} e_l − π_l)_+,  c_l (c_{l-1} e_l − π_l)_+ − K(z_{l-1} − s)_+ − (x_l − 1)_+,
 *              ν′_l + (c_l − a_l)_+ (h_{l-1} e_l − π_l)_+,  (c_l − c_{l+1} e_{l+1})_+ (c_{l-1} e_l − min(c_{l+1} e_{l+1}, π_l))_+),
 *   ν′_l = (c_l (c_{l-1} − h_{l-1}) e_l − min((x_l − 1)_+, Σ_{j<l} (c_j − h_j) h_{j-1} e_j))_+ ≥ ν_l (the coupling below reaches
 *   only the part of dw_j that leaves the channel space of map j),
 *   a_l = min(c_l, K u_l, c_{l+1} e_{l+1}), π_l = min(h_{l-1} e_l, s u_l), z_{l-1} = min(r, t_1, …, t_{l-1});
 *   so rank H ≤ (p less the dense layer's null directions) − Σ_l ν̂_l.
 *
 * Checked on exact Hessians over Z/PZ: the null space of each convolution's column block of H (its rank
 * over Z/PZ never exceeds the rank over Q, so a count below ν̂_l is a real counterexample), and the
 * catalog's bounds (cnn-one-conv-kernel-null-H, cnn-kernel-null-H) against exact ranks of H. A failure
 * prints the shrunk CNN.
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
import { loadCatalog } from '../../src/catalog/catalog.js';
import { evaluateFormula } from '../../src/catalog/predict.js';

/** 1–3 convolutions, wide layers under narrow ones and K small, so that λ with A_l (λ ⊗ I) = 0 are common */
const cnns = convolutionalArbitrary({ convolutions: [1, 3], channels: [1, 4], outputs: [1, 2] });

function columns(m: Matrix, from: number, to: number): Matrix {
  const out = zeros(m.rows, to - from);
  for (let i = 0; i < m.rows; i++) out.data.set(m.data.subarray(i * m.cols + from, i * m.cols + to), i * (to - from));
  return out;
}

describe('null directions λ ⊗ μ in the kernels', () => {
  it('conv l has at least ν̂_l null directions of H (exact Hessians, two primes)', () => {
    let withDirections = 0;
    fc.assert(
      fc.property(cnns, (net) => {
        const instance = sampleConvolutionalInstance(net, { seed: 6, integer: true });
        const hessians = exactFields.slice(0, 2).map((field) => ({ field, H: new LinearNetworkHessian(instance, field).parts().hessian }));
        const scope = convolutionalScope(net);
        const nk = scope.nk as number[];
        const e = scope.e as number[];
        const c = [net.inputChannels, ...net.layers.map((l) => l.channels)];
        const offsets = [...instance.offsets, instance.parameters];
        for (let l = 1; l <= net.layers.length; l++) {
          const block = hessians.map(({ field, H }) => rankModPrime(columns(H, offsets[l - 1]!, offsets[l]!), field));
          // kernel entries at offsets that only read padding are zero columns: count the others
          const nullDirections = c[l]! * c[l - 1]! * e[l - 1]! - Math.max(...block);
          if (nk[l - 1]! > (scope.nu as number[])[l - 1]!) withDirections++;
          expect(nullDirections, `${describeConvolutional(net)}: conv ${l} has ${nullDirections} null directions of H, ν̂ = ${nk[l - 1]}`).toBeGreaterThanOrEqual(nk[l - 1]!);
        }
      }),
      { numRuns: 50, seed: 41 },
    );
    expect(withDirections).toBeGreaterThan(3);
  });

  it('rank H ≤ cnn-one-conv-kernel-null-H and cnn-kernel-null-H (exact ranks)', () => {
    const catalog = loadCatalog();
    const entries = catalog.filter((f) => f.entry.id === 'cnn-one-conv-kernel-null-H' || f.entry.id === 'cnn-kernel-null-H');
    expect(entries).toHaveLength(2);
    fc.assert(
      fc.property(cnns, (net) => {
        const m = measureConvolutional(net, { exact: true, seed: 4 });
        const prediction = predictConvolutional(net, { dataRank: m.r });
        const scope = { ...prediction.scope, HO: prediction.ranks.HO!, HF: prediction.ranks.HF! };
        const entry = entries.find((f) => f.entry.id === (net.layers.length === 1 ? 'cnn-one-conv-kernel-null-H' : 'cnn-kernel-null-H'))!;
        const bound = evaluateFormula(entry, scope);
        expect(m.ranks.H, `${describeConvolutional(net)}: rank H = ${m.ranks.H}, ${entry.entry.id} ${bound}`).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 60, seed: 43 },
    );
  });

  it('in=6 ch=2; conv k=3 c=4 s=2 pad=1; K=1, N = 14: λ ⊥ W (4 channels, 3 outputs) times 6 − 3 patch directions, rank H = 36 − 3 = 33', () => {
    const net = parseConvolutional('in=6 ch=2; conv k=3 c=4 s=2 pad=1; K=1', { samples: 14 });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(33);
    const prediction = predictConvolutional(net);
    expect(prediction.scope.nk).toEqual([3]);
    expect(prediction.ranks.H).toBe(33);
    expect(prediction.formulas.H?.formula).toBe('cnn-one-conv-kernel-null-H');
  });
});
