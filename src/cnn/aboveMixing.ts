/**
 * κ_{l,m}: how much the column blocks of two adjacent layers above conv l overlap in conv l's column of H_F
 * (docs/cnn.md#several-convolutions-the-layers-above-share-a-channel-mixing):
 *
 *   κ_{l,m} = rank[N ↦ G(da(N), z)],  N ∈ R^{c_m × c_m},  l < m ≤ L − 1,
 *   da_k(N) = (W T_{L-1} ⋯ T_{m+1} (N ⊗ I) T_m ⋯ T_{l+1})ᵀ g_k,  z_k = T_{l-1} ⋯ T_1 b_k,
 *   G(a, z) = Σ_k Σ_t a_k[·, t] ⊗ patch_t(z_k)  (conv l's gradient; (o, i, e) = Σ over its pattern entries a[row] z[col]).
 *
 * Mixing map m's channels by N is a direction of conv m (dw_m = N w_m) and of the layer above it (dw_{m+1} =
 * w_{m+1} ∘ N, or dW = W (N ⊗ I) under the dense layer) that moves the layers above conv l in the same way, so the
 * block of each with conv l contains G(da(N), z): the row spaces 𝒰_m and 𝒰_{m+1} share a space of dimension κ_{l,m}
 * (N = I gives conv l's gradient g_l, the overlap the columns of H_F counted before).
 *
 * The rank is taken at one seeded random point (kernels, W, the s residual directions g_k ∈ R^K and images b_k)
 * modulo the prime 65521: a rank modulo a prime never exceeds the rank over Q, which never exceeds the generic
 * rank, so the value is never above the overlap at a generic point — which is the direction the bound needs (it is
 * subtracted). No failure probability enters; a value below the generic one only loosens the bound.
 * Not computed (undefined: the bound keeps 1) when a pass has more than `largestMixing` multiplications.
 *
 * With bias (docs/cnn.md#bias-the-patches-and-the-mixings-at-a-generic-point) the same mixings are shared: (dw_m, db_m) =
 * N(w_m, b_m) and dw_{m+1} = w_{m+1} ∘ N move the layers above conv l alike (the biases above multiply nothing below), and
 * conv l's gradient is G(a, z̃) = Σ_k Σ_t a_k[·, t] ⊗ [patch_t(z_k); σ_k] on the s̃ augmented images (b_k, σ_k), z_k map l−1
 * of the affine stack (every map carries its bias at every position); κ̃_{l,m} is its rank over N, computed the same way.
 */
import type { Convolutional } from '../architecture/convolutional.js';
import { rankModPrime } from '../linalg/exactRank.js';
import { primeField } from '../numeric/ring.js';
import { zeros } from '../numeric/matrix.js';
import { RandomStream } from '../numeric/random.js';
import { convolutionalGeometry, usedLayer } from './geometry.js';
import { boundedMemo, layersKey } from './memo.js';
import { convolutionPattern } from './toeplitz.js';

/** Largest amount of work (pattern entries × images × c_m² passes) computed (each accumulation stays below 2^21 terms). */
export const largestMixing = 2_000_000;

const mixingSeed = 0x3c1f;

/** Z/65521Z, the largest prime below 2^16 */
const mixingField = primeField(65_521);

const cached = boundedMemo<(number | undefined)[][]>(256);

/**
 * κ[l][m] for the conv l in `layers` (1-based, l ≤ L − 2) and conv m = l+1..L−1 (other entries undefined), with K outputs
 * and `images` = s residual images.
 */
export function aboveMixingRanks(net: Convolutional, K: number, images: number, layers: readonly number[], bias = false): (number | undefined)[][] {
  return cached(`mixing ${bias ? 'bias ' : ''}${K} ${images} ${layers.join(',')} ${layersKey(net)}`, () => compute(net, K, images, new Set(layers), bias));
}

function compute(net: Convolutional, K: number, images: number, layers: ReadonlySet<number>, bias: boolean): (number | undefined)[][] {
  const G = convolutionalGeometry(net);
  const Lc = net.layers.length;
  const c = G.channels;
  const result: (number | undefined)[][] = Array.from({ length: Lc + 1 }, () => []);
  if (Lc < 2 || images <= 0 || K <= 0) return result;
  // sizes from the geometry first: nothing of a large layer is built
  let work = 0;
  for (let j = 1; j <= Lc; j++) work += c[j]! * G.positions[j]! * c[j - 1]! * G.kernel[j - 1]!;
  const fewest = Math.min(...[...layers].map((l) => c[l + 1]!));
  if (work * images * fewest * fewest > largestMixing) return result;
  const patterns = Array.from({ length: Lc }, (_, j) => convolutionPattern(usedLayer(net, j + 1).layer, false));
  const entries = patterns.reduce((a, p) => a + p.row.length, 0);
  // a prime below 2^16: every product of two residues is below 2^32, so sums of up to 2^21 of them stay exact in
  // float64 and are reduced once, at the end of each accumulation
  const field = mixingField;
  const p = field.prime;
  const reduce = (v: Float64Array): Float64Array => {
    for (let i = 0; i < v.length; i++) v[i] = v[i]! % p;
    return v;
  };
  const random = new RandomStream(mixingSeed);
  const draw = (n: number): Float64Array => Float64Array.from({ length: n }, () => random.integer(1, p - 1));
  const kernels = patterns.map((pattern) => draw(pattern.parameters));
  const top = patterns[Lc - 1]!.rows;
  const W = draw(K * top);
  const inputs = Array.from({ length: images }, () => draw(patterns[0]!.cols));
  const residuals = Array.from({ length: images }, () => draw(K));
  // with bias: each layer's biases and each image's σ_k (drawn after the rest: the bias-free point is unchanged)
  const biases = bias ? patterns.map((_, j) => draw(c[j + 1]!)) : [];
  const sigma = bias ? draw(images) : new Float64Array(images);
  const forward = (j: number, z: Float64Array, k: number): Float64Array => {
    const { row, col, param, rows } = patterns[j - 1]!;
    const w = kernels[j - 1]!;
    const out = new Float64Array(rows);
    for (let x = 0; x < row.length; x++) out[row[x]!]! += w[param[x]!]! * z[col[x]!]!;
    if (bias) {
      // B_j b_j σ_k: channel o's bias at every position of map j
      const positions = rows / c[j]!;
      for (let y = 0; y < rows; y++) out[y]! += ((biases[j - 1]![Math.floor(y / positions)]! * sigma[k]!) % p);
    }
    return reduce(out);
  };
  const backward = (j: number, a: Float64Array): Float64Array => {
    const { row, col, param, cols } = patterns[j - 1]!;
    const w = kernels[j - 1]!;
    const out = new Float64Array(cols);
    for (let x = 0; x < row.length; x++) out[col[x]!]! += w[param[x]!]! * a[row[x]!]!;
    return reduce(out);
  };
  // maps below: z[j][k] = map j of image k; backpropagated residuals: beta[m][k] = (W T_{L-1} ⋯ T_{m+1})ᵀ g_k at map m
  const z: Float64Array[][] = [inputs];
  for (let j = 1; j < Lc; j++) z.push(z[j - 1]!.map((v, k) => forward(j, v, k)));
  const beta: Float64Array[][] = [];
  beta[Lc] = residuals.map((g) => {
    const a = new Float64Array(top);
    for (let k = 0; k < K; k++) for (let i = 0; i < top; i++) a[i]! += W[k * top + i]! * g[k]!;
    return reduce(a);
  });
  for (let m = Lc - 1; m >= 1; m--) beta[m] = beta[m + 1]!.map((a) => backward(m + 1, a));
  for (let m = 2; m <= Lc; m++) {
    if (![...layers].some((l) => l < m)) continue;
    const cm = c[m]!;
    const positions = patterns[m - 1]!.rows / cm;
    if (entries * images * cm * cm > largestMixing) continue;
    // for each N = E_{ab}: (Nᵀ ⊗ I) β moves channel a of β into channel b
    const moved: Float64Array[][] = [];
    for (let a = 0; a < cm; a++)
      for (let b = 0; b < cm; b++)
        moved.push(
          beta[m]!.map((v) => {
            const out = new Float64Array(v.length);
            out.set(v.subarray(a * positions, (a + 1) * positions), b * positions);
            return out;
          }),
        );
    // push each down to map l and read conv l's gradient G(da, z)
    let current = moved;
    const lowest = Math.min(...[...layers].filter((l) => l < m));
    for (let l = m - 1; l >= lowest; l--) {
      // current: da at map m … then at map l after T_m ⋯ T_{l+1}
      current = current.map((perImage) => perImage.map((v) => backward(l + 1, v)));
      if (!layers.has(l)) continue;
      const { row, col, param, parameters, rows: outputs } = patterns[l - 1]!;
      const columns = current.length;
      // with bias, conv l's c_l biases follow its kernel: the bias row of output channel o is Σ_k σ_k Σ_t da_k[o, t]
      const M = zeros(parameters + (bias ? c[l]! : 0), columns);
      const positions = outputs / c[l]!;
      for (let column = 0; column < columns; column++) {
        for (let k = 0; k < images; k++) {
          const da = current[column]![k]!;
          const zk = z[l - 1]![k]!;
          for (let x = 0; x < row.length; x++) M.data[param[x]! * columns + column]! += da[row[x]!]! * zk[col[x]!]!;
          if (bias) for (let y = 0; y < outputs; y++) M.data[(parameters + Math.floor(y / positions)) * columns + column]! += da[y]! * sigma[k]!;
        }
      }
      for (let i = 0; i < M.data.length; i++) M.data[i] = M.data[i]! % p;
      result[l]![m] = rankModPrime(M, field);
    }
  }
  return result;
}
