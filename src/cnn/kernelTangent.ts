/**
 * κ_t: the directions conv 1's kernel adds to the dense layer's in the tangent space of a one-convolution CNN
 * f(x) = W T(w) x, on full-rank data (the identity on the used inputs):
 *
 *   κ_t = dim({W T(dw)} + R^K ⊗ row T(w)) − K rank T(w)
 *       = rank J′(W, w) − K′ t_1,   J′ = [dw ↦ W′ T(dw) | dW′ ↦ dW′ T(w)],  W′ ∈ R^{K′ × c_1 n_1},  K′ = min(K, c_1 n_1)
 *
 * at a generic point (docs/cnn.md#one-convolution-outer-product-hessian). Modulo R^K ⊗ row T(w), W T(dw) is
 * W applied to T(dw) modulo R^{c_1 n_1} ⊗ row T(w), so K outputs beyond c_1 n_1 (W injective) add nothing:
 * K′ outputs give the same κ_t. Every entry of J′ is one entry of W′ or of w (T's pattern reads each kernel
 * entry at most once per row and column), so J′ is linear in (W′, w) with 0/1 coefficients and its generic
 * rank is found by genericRank (src/linalg/genericRank.ts, the mechanism of t_l): never above the generic
 * rank, below it with probability ≤ 1e-9; t_1 is the generic rank of T_1 (src/cnn/toeplitzRank.ts).
 * κ_t ≤ c_1 max(0, c_0 e_1 − c_1) (channel mixing is absorbed, offsets reading only padding act on nothing),
 * which is returned where J′ has more than `largestKernelTangent` entries (or T_1's rank was not computed).
 * The count is above κ_t where offsets reach the same inputs from different windows in ways the dense
 * layer can undo (stride with padding): in=5x3 ch=2; conv k=3 c=1 s=2 pad=1; K=1 has count 17, κ_t = 13.
 */
import { genericRank } from '../linalg/index.js';
import { zeros } from '../numeric/matrix.js';
import { convolutionPattern, outputShape, type ConvolutionGeometry } from './toeplitz.js';
import { largestToeplitz } from './toeplitzRank.js';

/** Largest J′ (rows × columns) whose generic rank is computed. */
export const largestKernelTangent = 250_000;

/** The seed of the random points and of their primes: κ_t is a property of the architecture. */
const kernelTangentSeed = 0x4b71;

const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1);

/**
 * κ_t of conv `layer` read by K dense outputs, `usedInputs` the flat input indices (channel-major) some output
 * reads, `toeplitz` t_1 and `count` = c_1 max(0, c_0 e_1 − c_1).
 */
export function kernelTangent(layer: ConvolutionGeometry, K: number, usedInputs: readonly number[], toeplitz: number, count: number): number {
  const m = layer.outputChannels * product(outputShape(layer));
  const Kp = Math.min(K, m);
  if (Kp <= 0 || count === 0) return 0;
  const kernelParameters = layer.outputChannels * layer.inputChannels * product(layer.kernel);
  const rows = Kp * usedInputs.length;
  const cols = kernelParameters + Kp * m;
  // T_1 must have had its generic rank computed (src/cnn/toeplitzRank.ts), else t_1 may be the count
  const toeplitzComputed = m * usedInputs.length <= largestToeplitz && m * layer.inputChannels * product(layer.input) <= 16 * largestToeplitz;
  // checked before the pattern is built: a large layer's pattern alone is large
  if (rows * cols > largestKernelTangent || !toeplitzComputed) return count;
  const pattern = convolutionPattern(layer, false);
  const position = new Map(usedInputs.map((c, i) => [c, i]));
  const n = usedInputs.length;
  // parameters: W′ (K′ × m, row-major), then the kernel w
  const build = (v: Float64Array) => {
    const J = zeros(rows, cols);
    for (let x = 0; x < pattern.row.length; x++) {
      const c = position.get(pattern.col[x]!);
      if (c === undefined) continue;
      const r = pattern.row[x]!;
      const j = pattern.param[x]!;
      for (let k = 0; k < Kp; k++) {
        J.data[(k * n + c) * cols + j] = v[k * m + r]!; // ∂(W′ T(w))[k, c]/∂w_j
        J.data[(k * n + c) * cols + kernelParameters + k * m + r] = v[Kp * m + j]!; // ∂(W′ T(w))[k, c]/∂W′[k, r]
      }
    }
    return J;
  };
  const rank = genericRank(Kp * m + kernelParameters, 1, build, kernelTangentSeed, Kp * toeplitz + count).rank;
  return Math.max(0, Math.min(count, rank - Kp * toeplitz));
}
