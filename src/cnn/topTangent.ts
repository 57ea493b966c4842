/**
 * The last convolution's directions modulo the column space of its output (docs/cnn.md#null-directions-of-the-dense-layer-and-the-last-convolution-at-a-generic-kernel):
 *
 *   ω = rank_generic[(b, R) ↦ T(b) V − T(w) R] − s′ · t_{L-1},   s′ = min(s, c_{L-2} u_{L-2}),
 *
 * T = T_{L-1} on used rows and columns, b its kernel, w a kernel, V a c_{L-2} u_{L-2} × s′ matrix (the s
 * images at map L−2), R a matrix of the same shape; ω = dim{Π T(b) V}, Π the projector onto (col T(w))^⊥,
 * at generic w and V (the pairs with T(b)V = T(w)R are exactly the b whose T(b)V lies in col T(w), and
 * R ↦ T(w)R has rank s′ rank T(w)).
 *
 * When Z_{L-2} has full row rank on used coordinates (`fr`, src/cnn/vocabulary.ts), col Z_{L-1} = col T(w)
 * and V ranges over all matrices as the targets vary, so ω bounds the dimension of the dense layer's
 * coupling projected off col Z_{L-1} (the count of null directions of the dense layer). The rank comes from
 * genericRank (src/linalg/genericRank.ts): never above the generic rank, below it with probability ≤ 1e-9;
 * t_{L-1} never above its generic value, so ω is an upper bound except with that probability. Every entry
 * of the matrix is one entry of V (the columns of b) or minus one entry of w (the columns of R), or 0.
 * Matrices beyond `largestTangent` entries are not built (undefined).
 */
import type { Convolutional } from '../architecture/convolutional.js';
import { genericRank } from '../linalg/index.js';
import { zeros } from '../numeric/matrix.js';
import { convolutionalGeometry, usedLayer } from './geometry.js';
import { convolutionPattern } from './toeplitz.js';
import { boundedMemo, layersKey } from './memo.js';

/** Largest matrix (rows × columns) whose generic rank is computed. */
export const largestTangent = 250_000;

/** The seed of the random kernels, images and primes: ω is a property of the architecture and s. */
const tangentSeed = 0x70a7;

/** Ranks computed so far, per layers and arguments (src/cnn/memo.ts). */
const cached = boundedMemo<number | undefined>(1024);

/** ω for conv `l` (the last convolution) with `s` images; `t` its generic Toeplitz rank t_l. undefined when too large. */
export function topTangentRank(net: Convolutional, l: number, s: number, t: number): number | undefined {
  return cached(`omega ${l} ${s} ${layersKey(net)}`, () => compute(net, l, s, t));
}

/** Rows (c_l u_l) and columns (c_{l-1} u_{l-1}) of T_l on used coordinates, from the geometry: no index list is built for a large layer. */
function usedShape(net: Convolutional, l: number): { m: number; nIn: number } {
  const G = convolutionalGeometry(net);
  return { m: G.channels[l]! * G.used[l]!, nIn: G.channels[l - 1]! * G.used[l - 1]! };
}

function compute(net: Convolutional, l: number, s: number, t: number): number | undefined {
  const shape = usedShape(net, l);
  const kernelCount = net.layers[l - 1]!.channels * convolutionalGeometry(net).channels[l - 1]! * net.layers[l - 1]!.kernel.reduce((a, b) => a * b, 1);
  const shapeImages = Math.min(s, shape.nIn);
  if (shape.m * shapeImages * (kernelCount + shape.nIn * shapeImages) > largestTangent) return undefined;
  const { layer, rows, cols } = usedLayer(net, l);
  const images = Math.min(s, cols.length);
  if (images === 0) return 0;
  const pattern = convolutionPattern(layer, false);
  const kernelEntries = pattern.parameters;
  const m = rows.length;
  const nIn = cols.length;
  const height = m * images;
  const width = kernelEntries + nIn * images;
  if (height * width > largestTangent) return undefined;
  const rowOf = new Map(rows.map((row, i) => [row, i]));
  const colOf = new Map(cols.map((col, a) => [col, a]));
  // pattern entries on used rows and columns: T(b)[i, a] = b_j
  const entries: { i: number; a: number; j: number }[] = [];
  for (let e = 0; e < pattern.param.length; e++) {
    const i = rowOf.get(pattern.row[e]!);
    const a = colOf.get(pattern.col[e]!);
    if (i !== undefined && a !== undefined) entries.push({ i, a, j: pattern.param[e]! });
  }
  // variables: the kernel w (kernelEntries), then V (nIn × images, row-major)
  const build = (x: Float64Array) => {
    const w = x.slice(0, kernelEntries);
    const V = x.slice(kernelEntries);
    const F = zeros(height, width);
    for (const { i, a, j } of entries) {
      for (let k = 0; k < images; k++) {
        // (T(b) V)[i, k] = Σ_a b_j V[a, k]: column of b_j
        F.data[(i * images + k) * width + j] = V[a * images + k]!;
        // −(T(w) R)[i, k] = −Σ_a T(w)[i, a] R[a, k]: column of R[a, k]
        F.data[(i * images + k) * width + kernelEntries + a * images + k] = -w[j]!;
      }
    }
    return F;
  };
  const rank = genericRank(kernelEntries + nIn * images, 1, build, tangentSeed).rank;
  return Math.max(0, rank - images * t);
}

/**
 * The kernel directions of the last convolution (conv `l`) that H annihilates, counted at a generic point
 * (docs/cnn.md#null-directions-of-the-dense-layer-and-the-last-convolution-at-a-generic-kernel):
 *
 *   g = rank_generic[b ↦ (W T_l(b), T_l(b) V)],   W ∈ R^{K × c_l u_l},  V ∈ R^{c_{l-1} u_{l-1} × s′},  s′ = min(s, c_{l-1} u_{l-1}),
 *
 * on used rows and columns. A b with W T_l(b) = 0 and T_l(b) V = 0 has J v = W T_l(b) Z_{l-1} = 0 and no
 * coupling to the dense layer (it reads T_l(b) Z_{l-1} Gᵀ) nor to the layers below (⟨G, W T_l(b) dZ_{l-1}⟩). Every entry is one entry of W or of V (a kernel entry and an input column fix the output row), so
 * genericRank applies as for ω; the rank is never above the generic one (the null count never below it),
 * except with probability ≤ 1e-9. undefined beyond `largestTangent` entries.
 */
export function topKernelRank(net: Convolutional, l: number, K: number, s: number): number | undefined {
  return cached(`kernel ${l} ${K} ${s} ${layersKey(net)}`, () => computeKernelRank(net, l, K, s));
}

function computeKernelRank(net: Convolutional, l: number, K: number, s: number): number | undefined {
  const shape = usedShape(net, l);
  const kernelCount = net.layers[l - 1]!.channels * convolutionalGeometry(net).channels[l - 1]! * net.layers[l - 1]!.kernel.reduce((a, b) => a * b, 1);
  if ((K * shape.nIn + shape.m * Math.min(s, shape.nIn)) * kernelCount > largestTangent) return undefined;
  const { layer, rows, cols } = usedLayer(net, l);
  const images = Math.min(s, cols.length);
  const pattern = convolutionPattern(layer, false);
  const kernelEntries = pattern.parameters;
  const m = rows.length;
  const nIn = cols.length;
  const height = K * nIn + m * images;
  if (height * kernelEntries > largestTangent) return undefined;
  if (height === 0) return 0;
  const rowOf = new Map(rows.map((row, i) => [row, i]));
  const colOf = new Map(cols.map((col, a) => [col, a]));
  const entries: { i: number; a: number; j: number }[] = [];
  for (let e = 0; e < pattern.param.length; e++) {
    const i = rowOf.get(pattern.row[e]!);
    const a = colOf.get(pattern.col[e]!);
    if (i !== undefined && a !== undefined) entries.push({ i, a, j: pattern.param[e]! });
  }
  // variables: W (K × m, row-major), then V (nIn × images)
  const build = (x: Float64Array) => {
    const F = zeros(height, kernelEntries);
    for (const { i, a, j } of entries) {
      // (W T(b))[k, a] = Σ_i W[k, i] b_j: one W entry per (j, a)
      for (let k = 0; k < K; k++) F.data[(k * nIn + a) * kernelEntries + j] = x[k * m + i]!;
      // (T(b) V)[i, k] = Σ_a b_j V[a, k]
      for (let k = 0; k < images; k++) F.data[(K * nIn + i * images + k) * kernelEntries + j] = x[K * m + a * images + k]!;
    }
    return F;
  };
  return genericRank(K * m + nIn * images, 1, build, tangentSeed + 1).rank;
}
