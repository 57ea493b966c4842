/**
 * Null directions of H on conv l under the stack above it (docs/cnn.md#null-directions-of-a-convolution-under-the-stack-above-it):
 *
 *   ρ_l = rank_generic[b ↦ (W T_{L-1} ⋯ T_{l+1} T_l(b) B,  ⟨T_j(·), T_{j-1} ⋯ T_{l+1} T_l(b) V · W T_{L-1} ⋯ T_{j+1}⟩ (j = l+1..L−1),
 *                            T_{L-1} ⋯ T_{l+1} T_l(b) V)],   V = B M_1 M_2,
 *
 * on used rows and columns: b a kernel of conv l, T_j = T_j(w_j) the convolutions above it, W the dense layer
 * (K rows; K − 1 for cross-entropy), B a c_{l-1} u_{l-1} × ζ matrix (a basis of the column space of Z_{l-1} =
 * T_{l-1} ⋯ T_1 X, ζ = min(r, t_1, …, t_{l-1}, c_{l-1} u_{l-1})), M_1 ζ × σ and M_2 σ × K (σ = min(ζ, s): V is
 * Z_{l-1} Gᵀ, the images of the residual's rows at map l−1). The first block is J v (up to the data's
 * coefficients), the others are the blocks of H_F v on conv j > l (its pairing with the kernel entries of T_j)
 * and on the dense layer. The b it annihilates are null directions of H_O and of H_F's blocks above conv l;
 * those of H are at least c_l c_{l-1} e_l − ρ_l − (x_l − 1)_+ (the coupling to the layers below, less the
 * Euler direction; nothing for conv 1).
 *
 * Every entry is a sum of products of entries of W, the kernels above, B, M_1, M_2 with coefficient 1, of
 * degree ≤ L − l + 2 (L − 1 convolutions, l ≥ 1): genericPolynomialRank (src/linalg/genericRank.ts) draws them
 * at seeded integer points and ranks the matrix modulo primes, never above the generic rank, below it with
 * probability ≤ 1e-9. The actual point (the kernels, W, and B, M_1 M_2 from the data and residual) is one point
 * of this family, so the rank there never exceeds ρ_l. Matrices beyond `largestStack` entries, or needing more
 * than `largestWork` multiplications per prime, are not built (undefined).
 *
 * With bias (docs/cnn.md#bias-null-directions-of-a-convolution-under-the-stack-above-it), ρ̃_l is the generic rank of
 * (b, β) ↦ (W T_{L-1} ⋯ T_{l+1} T̃_l(b, β) B̃, the same blocks with T̃_l(b, β) Ṽ): T̃_l(b, β) = [T_l(b) | B_l β] acts on the
 * augmented map [z_{l-1}; 1], B̃ = T̃_{l-1} ⋯ T̃_1 B̃_0 with T̃_j = [[T_j(w_j), B_j b_j], [0, 1]] (the kernels and biases
 * below conv l are variables), B̃_0 a generic (c_0 u_0 + 1) × ζ̃ basis, ζ̃ = min(r̃, c_0 u_0 + 1), Ṽ = B̃ M_1 M_2 (σ̃ = min(ζ̃, s̃)
 * columns in between: Ṽ = Z̃_{l-1} Gᵀ, the s̃ augmented images). The biases above conv l multiply nothing below them,
 * so they enter neither J v nor these blocks.
 */
import type { Convolutional } from '../architecture/convolutional.js';
import { genericPolynomialRank } from '../linalg/index.js';
import { zeros, type Matrix } from '../numeric/matrix.js';
import { exactSumLimit, reduceEntries, type PrimeField } from '../numeric/ring.js';
import { convolutionalGeometry, usedLayer } from './geometry.js';
import { convolutionPattern } from './toeplitz.js';
import { boundedMemo, layersKey } from './memo.js';

/** Largest matrix (rows × columns) whose generic rank is computed. */
export const largestStack = 250_000;
/** Largest number of multiply-adds of one evaluation. */
export const largestWork = 1_000_000;

const stackSeed = 0x57ac;

const cached = boundedMemo<number | undefined>(1024);

/**
 * ρ_l for conv `l` (1-based) with K outputs, s images and data rank r; with `bias`, ρ̃_l over conv l's kernel and bias
 * with s = s̃ augmented images and r = r̃ the rank of the augmented data [X; 1ᵀ]. undefined when too large.
 */
export function stackNullRank(net: Convolutional, l: number, K: number, s: number, r: number, bias = false): number | undefined {
  return cached(`stack ${l} ${K} ${s} ${r} ${bias} ${layersKey(net)}`, () => compute(net, l, K, s, r, bias));
}

/** The entries of T_j on used rows and columns: T_j[i, a] = w_j[param]. */
interface UsedEntries {
  rows: number;
  cols: number;
  parameters: number;
  i: Int32Array;
  a: Int32Array;
  param: Int32Array;
}

/**
 * From the geometry alone (no index list built): rows c_j u_j, columns c_{j-1} u_{j-1}, kernel entries and a bound on the
 * used pattern entries (rows times c_{j-1} κ_j) of conv j, so that a large layer is refused before its pattern is listed.
 */
function shapeOf(net: Convolutional, j: number): { rows: number; cols: number; parameters: number; entries: number } {
  const G = convolutionalGeometry(net);
  const rows = G.channels[j]! * G.used[j]!;
  const cols = G.channels[j - 1]! * G.used[j - 1]!;
  const parameters = G.channels[j]! * G.channels[j - 1]! * G.kernel[j - 1]!;
  return { rows, cols, parameters, entries: rows * G.channels[j - 1]! * G.kernel[j - 1]! };
}

/** The work of a stack of layers of these shapes, bounded before anything is built (the same expressions as below, with the bounds). */
function tooLarge(height: number, width: number, work: number): boolean {
  return height * width > largestStack || work > largestWork || !Number.isFinite(work);
}

const entriesMemo = boundedMemo<UsedEntries>(256);

function usedEntries(net: Convolutional, j: number): UsedEntries {
  return entriesMemo(`${j} ${layersKey(net)}`, () => computeUsedEntries(net, j));
}

function computeUsedEntries(net: Convolutional, j: number): UsedEntries {
  const { layer, rows, cols } = usedLayer(net, j);
  const pattern = convolutionPattern(layer, false);
  // position among the used rows and columns, −1 when unused
  const rowOf = new Int32Array(pattern.rows).fill(-1);
  rows.forEach((row, i) => (rowOf[row] = i));
  const colOf = new Int32Array(pattern.cols).fill(-1);
  cols.forEach((col, a) => (colOf[col] = a));
  let count = 0;
  for (let e = 0; e < pattern.param.length; e++) if (rowOf[pattern.row[e]!]! >= 0 && colOf[pattern.col[e]!]! >= 0) count++;
  const i = new Int32Array(count);
  const a = new Int32Array(count);
  const param = new Int32Array(count);
  for (let e = 0, x = 0; e < pattern.param.length; e++) {
    const ii = rowOf[pattern.row[e]!]!;
    const aa = colOf[pattern.col[e]!]!;
    if (ii < 0 || aa < 0) continue;
    i[x] = ii;
    a[x] = aa;
    param[x] = pattern.param[e]!;
    x++;
  }
  return { rows: rows.length, cols: cols.length, parameters: pattern.parameters, i, a, param };
}

function compute(net: Convolutional, l: number, K: number, s: number, r: number, bias: boolean): number | undefined {
  const Lc = net.layers.length;
  if (K < 1) return 0;
  {
    const shapes = Array.from({ length: Lc }, (_, i) => shapeOf(net, i + 1));
    const zeta = Math.min(r, shapes[0]!.cols);
    const mine = shapes[l - 1]!;
    const height = K * zeta + shapes.slice(l).reduce((t, x) => t + x.parameters, 0) + shapes[Lc - 1]!.rows * K;
    const work = K * shapes.slice(l - 1).reduce((t, x) => t + 2 * x.entries, 0) * mine.parameters + K * mine.entries * zeta + zeta * shapes.slice(0, l - 1).reduce((t, x) => t + x.entries, 0);
    if (tooLarge(height, mine.parameters, work)) return undefined;
  }
  const lower = Array.from({ length: l - 1 }, (_, i) => usedEntries(net, i + 1)); // conv 1..l−1
  const layers = Array.from({ length: Lc - l + 1 }, (_, i) => usedEntries(net, l + i)); // conv l..L−1
  const own = layers[0]!;
  // with bias every map carries the constant coordinate last (the augmented map [z; 1])
  const extra = bias ? 1 : 0;
  const inputs = (lower[0] ?? own).cols + extra; // c_0 u_0 (+ 1)
  // the channel of each used row of conv j (rows are channel-major, u_j per channel)
  const channelOf = (layer: UsedEntries, channels: number, i: number): number => Math.floor(i / (layer.rows / channels));
  const channelsOf = (j: number): number => net.layers[j - 1]!.channels;
  const zeta = Math.min(r, inputs);
  const sigma = Math.min(zeta, s);
  // the kernel entries of conv l that act on used coordinates (the effective ones), and their entries
  const byParam = new Map<number, number[]>();
  for (let e = 0; e < own.param.length; e++) {
    const list = byParam.get(own.param[e]!) ?? [];
    list.push(e);
    byParam.set(own.param[e]!, list);
  }
  const kernelEntries = [...byParam.keys()].sort((x, y) => x - y);
  // with bias, conv l's bias β_o adds β_o at every used row of channel o
  const biasRows: number[][] = bias && own.rows > 0 ? Array.from({ length: channelsOf(l) }, (_, o) => Array.from({ length: own.rows / channelsOf(l) }, (_, t) => o * (own.rows / channelsOf(l)) + t)) : [];
  const top = layers[layers.length - 1]!;
  const above = layers.slice(1);
  const height = K * zeta + above.reduce((t, x) => t + x.parameters, 0) + top.rows * K;
  const width = kernelEntries.length + biasRows.length;
  if (width === 0 || height === 0 || zeta === 0) return 0;
  if (height * width > largestStack) return undefined;
  const work =
    K * layers.reduce((t, x) => t + 2 * x.param.length, 0) * width +
    K * (own.param.length + own.rows) * zeta +
    zeta * lower.reduce((t, x) => t + x.param.length + x.rows, 0) +
    (own.cols + extra) * zeta * (sigma + K);
  if (work > largestWork) return undefined;
  // variables: W (K × top.rows), the kernels of conv l+1..L−1, of conv 1..l−1 (each followed by its c_j biases with bias),
  // B_0 (c_0 u_0 (+ 1) × ζ), M_1 (ζ × σ), M_2 (σ × K)
  const offsets: number[] = [K * top.rows];
  for (const layer of above) offsets.push(offsets[offsets.length - 1]! + layer.parameters);
  const lowerAt: number[] = [offsets[offsets.length - 1]!];
  lower.forEach((layer, x) => lowerAt.push(lowerAt[lowerAt.length - 1]! + layer.parameters + (bias ? channelsOf(x + 1) : 0)));
  const bAt = lowerAt[lowerAt.length - 1]!;
  const m1At = bAt + inputs * zeta;
  const m2At = m1At + zeta * sigma;
  const parameters = m2At + sigma * K;
  // J: W, L−1−l kernels above, conv l's 0/1 entry, l−1 kernels below, B_0: degree L; the blocks of H_F one more (M_1 M_2 for B_0)
  const degree = Lc + 2;

  // a column of conv l: its (used row i, column a of B and V) pairs, flat (pairStart[column] … pairStart[column + 1]); a bias
  // column reads the constant row
  const pairLists: (readonly [number, number])[][] = [
    ...kernelEntries.map((q) => byParam.get(q)!.map((e) => [own.i[e]!, own.a[e]!] as const)),
    ...biasRows.map((rows) => rows.map((i) => [i, own.cols] as const)),
  ];
  const pairStart = new Int32Array(width + 1);
  pairLists.forEach((pairs, column) => (pairStart[column + 1] = pairStart[column]! + pairs.length));
  const pairRow = Int32Array.from(pairLists.flat(), ([i]) => i);
  const pairColumn = Int32Array.from(pairLists.flat(), ([, a]) => a);
  // p a prime (entries modulo p) or Infinity (float64 values: x % Infinity = x)
  const evaluate = (w: Float64Array, p: number): Matrix => {
    // w: residues modulo p (genericPolynomialRank draws them so), or the ones of the coefficient sums (p = Infinity)
    const value = w;
    // B = T_{l-1} ⋯ T_1 B_0 (own.cols × ζ): a basis of the data span at map l−1 (with bias T̃_j and the constant row last)
    let B = value.slice(bAt, bAt + inputs * zeta);
    lower.forEach((layer, x) => {
      const next = new Float64Array((layer.rows + extra) * zeta);
      for (let e = 0; e < layer.param.length; e++) {
        const t = value[lowerAt[x]! + layer.param[e]!]!;
        const i = layer.i[e]! * zeta;
        const a = layer.a[e]! * zeta;
        for (let c = 0; c < zeta; c++) { const v = next[i + c]! + t * B[a + c]!; next[i + c] = v >= exactSumLimit ? v % p : v; }
      }
      if (bias) {
        const one = layer.cols * zeta;
        const channels = channelsOf(x + 1);
        for (let i = 0; i < layer.rows; i++) {
          const t = value[lowerAt[x]! + layer.parameters + channelOf(layer, channels, i)]!;
          for (let c = 0; c < zeta; c++) { const v = next[i * zeta + c]! + t * B[one + c]!; next[i * zeta + c] = v >= exactSumLimit ? v % p : v; }
        }
        for (let c = 0; c < zeta; c++) next[layer.rows * zeta + c] = B[one + c]!;
      }
      B = reduceEntries(next, p);
    });
    // V = B M_1 M_2 (own.cols (+ 1) × K): the images of the residual's rows at map l−1
    const rowsB = own.cols + extra;
    const BM = new Float64Array(rowsB * sigma);
    for (let a = 0; a < rowsB; a++)
      for (let c = 0; c < zeta; c++) {
        const x = B[a * zeta + c]!;
        for (let d = 0; d < sigma; d++) { const v = BM[a * sigma + d]! + x * value[m1At + c * sigma + d]!; BM[a * sigma + d] = v >= exactSumLimit ? v % p : v; }
      }
    reduceEntries(BM, p);
    const V = new Float64Array(rowsB * K);
    for (let a = 0; a < rowsB; a++)
      for (let d = 0; d < sigma; d++) {
        const x = BM[a * sigma + d]!;
        for (let k = 0; k < K; k++) { const v = V[a * K + k]! + x * value[m2At + d * K + k]!; V[a * K + k] = v >= exactSumLimit ? v % p : v; }
      }
    reduceEntries(V, p);
    // U_j = W T_{L-1} ⋯ T_{j+1} (K × rows of conv j), j = L−1 down to l; U[0] = A_l
    const U: Float64Array[] = new Array(layers.length);
    U[layers.length - 1] = Float64Array.from(value.slice(0, K * top.rows));
    for (let x = layers.length - 2; x >= 0; x--) {
      const next = layers[x + 1]!;
      const from = U[x + 1]!;
      const to = new Float64Array(K * next.cols);
      const kernel = offsets[x]!;
      for (let e = 0; e < next.param.length; e++) {
        const t = value[kernel + next.param[e]!]!;
        const i = next.i[e]!;
        const a = next.a[e]!;
        for (let k = 0; k < K; k++) { const v = to[k * next.cols + a]! + from[k * next.rows + i]! * t; to[k * next.cols + a] = v >= exactSumLimit ? v % p : v; }
      }
      U[x] = reduceEntries(to, p);
    }
    const A = U[0]!;
    const F = zeros(height, width);
    const J = new Float64Array(K * zeta);
    for (let column = 0; column < width; column++) {
      // J v: A_l T_l(e_q) B, K × ζ (with bias A_l T̃_l(e_q) B̃)
      J.fill(0);
      for (let pair = pairStart[column]!; pair < pairStart[column + 1]!; pair++) {
        const i = pairRow[pair]!;
        const a = pairColumn[pair]! * zeta;
        for (let k = 0; k < K; k++) {
          const x = A[k * own.rows + i]!;
          for (let c = 0; c < zeta; c++) { const v = J[k * zeta + c]! + x * B[a + c]!; J[k * zeta + c] = v >= exactSumLimit ? v % p : v; }
        }
      }
      reduceEntries(J, p);
      for (let idx = 0; idx < K * zeta; idx++) F.data[idx * width + column] = J[idx]!;
    }
    // Y = T_l(e_q) V at map l for every column q at once, Y[(i·K + k)·width + q], pushed through conv l+1..L−1; the block of
    // H_F on conv j pairs T_j(·) with Y_j U_j (per column the same sums, in the same order, as one column at a time)
    let row = K * zeta;
    let Y = new Float64Array(own.rows * K * width);
    for (let column = 0; column < width; column++)
      for (let pair = pairStart[column]!; pair < pairStart[column + 1]!; pair++) {
        const i = pairRow[pair]!;
        const a = pairColumn[pair]!;
        for (let k = 0; k < K; k++) Y[(i * K + k) * width + column] = (Y[(i * K + k) * width + column]! + V[a * K + k]!) % p;
      }
    const sums = new Float64Array(width);
    above.forEach((layer, x) => {
      const Uj = U[x + 1]!;
      const kernel = offsets[x]!;
      for (let e = 0; e < layer.param.length; e++) {
        const i = layer.i[e]!;
        const a = layer.a[e]!;
        sums.fill(0);
        for (let k = 0; k < K; k++) {
          const u = Uj[k * layer.rows + i]!;
          const from = (a * K + k) * width;
          for (let q = 0; q < width; q++) {
            let sum = sums[q]! + Y[from + q]! * u;
            if (sum >= exactSumLimit) sum %= p;
            sums[q] = sum;
          }
        }
        const at = (row + layer.param[e]!) * width;
        for (let q = 0; q < width; q++) F.data[at + q] = (F.data[at + q]! + (sums[q]! % p)) % p;
      }
      row += layer.parameters;
      const next = new Float64Array(layer.rows * K * width);
      for (let e = 0; e < layer.param.length; e++) {
        const t = value[kernel + layer.param[e]!]!;
        const to = layer.i[e]! * K * width;
        const from = layer.a[e]! * K * width;
        for (let q = 0; q < K * width; q++) { const v = next[to + q]! + t * Y[from + q]!; next[to + q] = v >= exactSumLimit ? v % p : v; }
      }
      Y = reduceEntries(next, p);
    });
    // the block on the dense layer: T_{L-1} ⋯ T_l(e_q) V
    F.data.set(Y.subarray(0, top.rows * K * width), row * width);
    return F;
  };
  const modular = (field: PrimeField, w: Float64Array): Matrix => evaluate(w, field.prime);
  const magnitude = (w: Float64Array): Matrix => evaluate(w, Infinity);
  return genericPolynomialRank(parameters, degree, { modular, magnitude }, stackSeed + l).rank;
}

/**
 * ẑ_l = the generic rank of Z_l = T_l ⋯ T_1 X on used coordinates, X with a data span of dimension r:
 * rank_generic[T_l ⋯ T_1 B_0], B_0 a c_0 u_0 × min(r, c_0 u_0) basis (entries of degree l + 1 in the kernels and
 * B_0; genericPolynomialRank with lowerBoundOnly: the rank modulo one prime at one point). Never above the generic
 * rank; every count reads it as a lower bound (where it is below, the count that reads it only gets smaller). undefined
 * when too large.
 */
export function dataSpanRank(net: Convolutional, l: number, r: number): number | undefined {
  return cached(`span ${l} ${r} ${layersKey(net)}`, () => computeSpan(net, l, r, undefined));
}

/**
 * With bias, ẑ̃_l = the generic rank of Z̃_l = [Z_l; 1ᵀ] = T̃_l ⋯ T̃_1 X̃ on used coordinates (T̃_j = [[T_j, B_j b_j], [0, 1]],
 * X̃ = [X; 1ᵀ], N samples of data of rank r): the columns of X̃ span a generic N-dimensional subspace when N ≤ r (any
 * subspace not inside the hyperplane of last coordinate 0 has a basis [x_i; 1]), and S ⊕ span(e_last), S a generic
 * r-dimensional data span, when N > r; B̃_0 is drawn in that family (entries of degree l + 1 in the kernels, biases and
 * B̃_0). Never above the generic rank. undefined when too large.
 */
export function augmentedSpanRank(net: Convolutional, l: number, r: number, samples: number): number | undefined {
  return cached(`augmented span ${l} ${r} ${samples} ${layersKey(net)}`, () => computeSpan(net, l, r, samples));
}

/** ẑ_l, or with `samples` (bias) ẑ̃_l on the augmented maps */
function computeSpan(net: Convolutional, l: number, r: number, samples: number | undefined): number | undefined {
  const bias = samples !== undefined;
  const extra = bias ? 1 : 0;
  {
    // sizes from the geometry before any pattern is listed
    const shapes = Array.from({ length: l }, (_, i) => shapeOf(net, i + 1));
    const zeta = Math.min(r + extra, shapes[0]!.cols + extra);
    if (tooLarge(shapes[l - 1]!.rows + extra, zeta, zeta * shapes.reduce((t, x) => t + x.entries + extra * x.rows, 0))) return undefined;
  }
  const lower = Array.from({ length: l }, (_, i) => usedEntries(net, i + 1)); // conv 1..l
  const inputs = lower[0]!.cols + extra;
  // the data span: r (bias: r̃ = min(N, r + 1), with e_last in it when N > r)
  const structured = bias && samples > r;
  const zeta = Math.min(bias ? Math.min(samples, r + 1) : r, inputs);
  const top = lower[lower.length - 1]!;
  if (zeta === 0 || top.rows === 0) return 0;
  if ((top.rows + extra) * zeta > largestStack || zeta * lower.reduce((t, x) => t + x.param.length + extra * x.rows, 0) > largestWork) return undefined;
  const channelsOf = (j: number): number => net.layers[j - 1]!.channels;
  const at: number[] = [0];
  lower.forEach((layer, x) => at.push(at[at.length - 1]! + layer.parameters + (bias ? channelsOf(x + 1) : 0)));
  const bAt = at[at.length - 1]!;
  const evaluate = (w: Float64Array, p: number): Matrix => {
    // w: residues modulo p (genericPolynomialRank draws them so), or the ones of the coefficient sums (p = Infinity)
    const value = w;
    let B = value.slice(bAt, bAt + inputs * zeta);
    if (structured) {
      // [[B_0, 0], [0, 1]]: the data span S and the constant direction
      for (let a = 0; a < inputs; a++) B[a * zeta + zeta - 1] = 0;
      for (let c = 0; c < zeta; c++) B[(inputs - 1) * zeta + c] = c === zeta - 1 ? 1 : 0;
    }
    lower.forEach((layer, x) => {
      const next = new Float64Array((layer.rows + extra) * zeta);
      for (let e = 0; e < layer.param.length; e++) {
        const t = value[at[x]! + layer.param[e]!]!;
        const i = layer.i[e]! * zeta;
        const a = layer.a[e]! * zeta;
        for (let c = 0; c < zeta; c++) { const v = next[i + c]! + t * B[a + c]!; next[i + c] = v >= exactSumLimit ? v % p : v; }
      }
      if (bias) {
        // the bias of channel o at its used rows times the constant row, which is carried up
        const one = layer.cols * zeta;
        const perChannel = layer.rows / channelsOf(x + 1);
        for (let i = 0; i < layer.rows; i++) {
          const t = value[at[x]! + layer.parameters + Math.floor(i / perChannel)]!;
          for (let c = 0; c < zeta; c++) { const v = next[i * zeta + c]! + t * B[one + c]!; next[i * zeta + c] = v >= exactSumLimit ? v % p : v; }
        }
        for (let c = 0; c < zeta; c++) next[layer.rows * zeta + c] = B[one + c]!;
      }
      B = reduceEntries(next, p);
    });
    const F = zeros(top.rows + extra, zeta);
    F.data.set(B);
    return F;
  };
  // every count reads ẑ as a lower bound (a smaller ẑ only raises β_l and ω_g): the first draw's rank suffices
  return genericPolynomialRank(bAt + inputs * zeta, l + 1, { modular: (field, w) => evaluate(w, field.prime), magnitude: (w) => evaluate(w, Infinity) }, stackSeed - l, undefined, true).rank;
}

/**
 * The columns of every kernel direction of conv 1..n (with `biasChannels`, each conv's kernel then its channel biases),
 * pushed through the convolutions above it to map n, written into F from column 0 in that order:
 *   F[(row·σ + c)·width + column] = d(map n)[row, image c] / d(parameter)  (images[i]: map i−1 on σ images, X[a·σ + c],
 *   with bias the constant row last; a direction moves map i, not its constant row, and the layers above carry it linearly).
 * All directions of one conv go through each layer together (one pass over its entries), with the sums, and their
 * order, of pushing each direction alone. Returns the next free column.
 */
function directionColumns(F: Matrix, layers: readonly UsedEntries[], images: readonly Float64Array[], value: Float64Array, at: readonly number[], sigma: number, p: number, biasChannels?: readonly number[]): number {
  const width = F.cols;
  let column = 0;
  layers.forEach((layer, i) => {
    const channels = biasChannels?.[i] ?? 0;
    const nd = layer.parameters + channels;
    const k = sigma * nd;
    const X = images[i]!;
    // Y[(row·σ + c)·nd + q]: direction q at row `row` of map i on image c
    let Y = new Float64Array(layer.rows * k);
    for (let e = 0; e < layer.param.length; e++) {
      const row = layer.i[e]! * k + layer.param[e]!;
      const a = layer.a[e]! * sigma;
      for (let c = 0; c < sigma; c++) { const v = Y[row + c * nd]! + X[a + c]!; Y[row + c * nd] = v >= exactSumLimit ? v % p : v; }
    }
    if (channels > 0) {
      const one = layer.cols * sigma;
      const perChannel = layer.rows / channels;
      for (let row = 0; row < layer.rows; row++) {
        const q = row * k + layer.parameters + Math.floor(row / perChannel);
        for (let c = 0; c < sigma; c++) { const v = Y[q + c * nd]! + X[one + c]!; Y[q + c * nd] = v >= exactSumLimit ? v % p : v; }
      }
    }
    reduceEntries(Y, p);
    for (let x = i + 1; x < layers.length; x++) {
      const above = layers[x]!;
      const out = new Float64Array(above.rows * k);
      for (let e = 0; e < above.param.length; e++) {
        const t = value[at[x]! + above.param[e]!]!;
        if (t === 0) continue;
        const row = above.i[e]! * k;
        const a = above.a[e]! * k;
        for (let c = 0; c < k; c++) { const v = out[row + c]! + t * Y[a + c]!; out[row + c] = v >= exactSumLimit ? v % p : v; }
      }
      Y = reduceEntries(out, p);
    }
    const rowsY = Y.length / nd;
    for (let idx = 0; idx < rowsY; idx++) for (let q = 0; q < nd; q++) F.data[idx * width + column + q] = Y[idx * nd + q]!;
    column += nd;
  });
  return column;
}

/** Largest matrix (rows × columns) whose ω_g is computed: its rank needs several draws (it is below min(rows, columns)), so the cap is lower than ρ_l's. */
export const largestDense = 10_000;

/**
 * ω_g = rank_generic[(b, R) ↦ dP(b) V_0 + P B_0 R] − s′ ẑ_{L-1}  (docs/cnn.md#null-directions-of-a-convolution-under-the-stack-above-it):
 * the dense layer's coupling {dP(b) V_0 : b a kernel direction of any convolution} modulo col Z_{L-1} = col P B_0, V_0 = B_0 M the s′ =
 * min(s, ζ) images of the residual's rows at the input, B_0 a c_0 u_0 × ζ basis of the data span (ζ = min(r, c_0 u_0)), P = T_{L-1} ⋯ T_1,
 * on used rows and columns (R ∈ R^{ζ × s′}). Entries are sums of products of kernel entries, B_0 and M with coefficient 1 (the sign of the
 * R columns does not change the rank), of degree ≤ L: genericPolynomialRank, never above the generic rank, below it with probability
 * ≤ 1e-9; ẑ_{L-1} = dataSpanRank, the same. undefined when too large.
 */
export function denseProjectedRank(net: Convolutional, s: number, r: number): number | undefined {
  return cached(`dense ${s} ${r} ${layersKey(net)}`, () => computeDense(net, s, r));
}

function computeDense(net: Convolutional, s: number, r: number): number | undefined {
  const Lc = net.layers.length;
  // the matrix's shape from the geometry first (the used entries of a large layer are many: a 4096 × 4096 input listed them for 30 s)
  const shapes = Array.from({ length: Lc }, (_, i) => shapeOf(net, i + 1));
  const inputs = shapes[0]!.cols;
  const zeta = Math.min(r, inputs);
  const sigma = Math.min(s, zeta);
  if (zeta === 0 || sigma === 0) return 0;
  const kernels = shapes.reduce((t, x) => t + x.parameters, 0);
  const width = kernels + zeta * sigma;
  const height = shapes[Lc - 1]!.rows * sigma;
  if (height * width > largestDense) return undefined;
  const layers = Array.from({ length: Lc }, (_, i) => usedEntries(net, i + 1));
  const top = layers[Lc - 1]!;
  const pushes = layers.reduce((t, x) => t + x.param.length, 0);
  if (pushes * sigma * kernels + pushes * (zeta + sigma) > largestWork) return undefined;
  const zhat = dataSpanRank(net, Lc, r);
  if (zhat === undefined) return undefined;
  const at: number[] = [0];
  for (const layer of layers) at.push(at[at.length - 1]! + layer.parameters);
  const bAt = at[at.length - 1]!;
  const mAt = bAt + inputs * zeta;
  const parameters = mAt + zeta * sigma;
  const push = (layer: UsedEntries, kernel: Float64Array, from: number, X: Float64Array, k: number, p: number): Float64Array => {
    const out = new Float64Array(layer.rows * k);
    for (let e = 0; e < layer.param.length; e++) {
      const t = kernel[from + layer.param[e]!]!;
      if (t === 0) continue;
      const i = layer.i[e]! * k;
      const a = layer.a[e]! * k;
      for (let c = 0; c < k; c++) { const v = out[i + c]! + t * X[a + c]!; out[i + c] = v >= exactSumLimit ? v % p : v; }
    }
    return reduceEntries(out, p);
  };
  const evaluate = (w: Float64Array, p: number): Matrix => {
    // w: residues modulo p (genericPolynomialRank draws them so), or the ones of the coefficient sums (p = Infinity)
    const value = w;
    const B0 = value.slice(bAt, mAt);
    const V0 = new Float64Array(inputs * sigma);
    for (let a = 0; a < inputs; a++)
      for (let c = 0; c < zeta; c++) {
        const x = B0[a * zeta + c]!;
        for (let d = 0; d < sigma; d++) { const v = V0[a * sigma + d]! + x * value[mAt + c * sigma + d]!; V0[a * sigma + d] = v >= exactSumLimit ? v % p : v; }
      }
    reduceEntries(V0, p);
    // the images at map j−1 below conv j
    const images: Float64Array[] = [V0];
    for (let j = 0; j < Lc - 1; j++) images.push(push(layers[j]!, value, at[j]!, images[j]!, sigma, p));
    let PB: Float64Array = B0;
    for (let j = 0; j < Lc; j++) PB = push(layers[j]!, value, at[j]!, PB, zeta, p);
    const F = zeros(height, width);
    let column = directionColumns(F, layers, images, value, at, sigma, p);
    // P B_0 R: R[c, d] puts column c of P B_0 into image d
    for (let c = 0; c < zeta; c++)
      for (let d = 0; d < sigma; d++, column++) for (let i = 0; i < top.rows; i++) F.data[(i * sigma + d) * width + column] = PB[i * zeta + c]!;
    return F;
  };
  const rank = genericPolynomialRank(parameters, Lc + 1, { modular: (field, w) => evaluate(w, field.prime), magnitude: (w) => evaluate(w, Infinity) }, stackSeed + 97).rank;
  return Math.max(0, rank - sigma * zhat);
}

/**
 * With bias, ω̃_j = rank_generic[(dθ, R) ↦ [dZ_j(dθ) V_0; 0] + B̃_j R] − σ̃ ẑ̃_j  (docs/cnn.md#bias-the-lower-stacks-tangent-off-col-z_j):
 * the affine stack's tangent {dZ_j(dθ) : dθ a kernel or bias direction of conv 1..j} at the σ̃ augmented images V_0 = B̃_0 M
 * (σ̃ = min(s̃, ζ̃)), each column taken as [d; 0] modulo col Z̃_j = col B̃_j, B̃_j = T̃_j ⋯ T̃_1 B̃_0 the augmented data span at map j
 * (R ∈ R^{ζ̃ × σ̃}). B̃_0 is drawn in the data's own family, as for ẑ̃_j (augmentedSpanRank): a generic ζ̃-dimensional subspace
 * when N ≤ r, S ⊕ span(e_last) when N > r. Entries are sums of products of kernel entries, biases, B̃_0 and M with coefficient
 * 1, of degree ≤ j + 2: genericPolynomialRank, never above the generic rank, below it with probability ≤ 1e-9 (which makes ω̃_j
 * too small); ẑ̃_j = augmentedSpanRank (below its generic value only raises ω̃_j). undefined when too large.
 */
export function augmentedProjectedRank(net: Convolutional, j: number, s: number, r: number, samples: number): number | undefined {
  return cached(`augmented projected ${j} ${s} ${r} ${samples} ${layersKey(net)}`, () => computeAugmentedProjected(net, j, s, r, samples));
}

/** Largest matrix (rows × columns) whose ω̃_j is computed (its rank is below min(rows, columns): several draws). */
export const largestProjected = 60_000;

function computeAugmentedProjected(net: Convolutional, j: number, s: number, r: number, samples: number): number | undefined {
  {
    const shapes = Array.from({ length: j }, (_, i) => shapeOf(net, i + 1));
    const zeta = Math.min(samples, r + 1, shapes[0]!.cols + 1);
    const sigma = Math.min(s, zeta);
    const width = shapes.reduce((t, x, i) => t + x.parameters + net.layers[i]!.channels, 0) + zeta * sigma;
    if ((shapes[j - 1]!.rows + 1) * sigma * width > largestProjected) return undefined;
  }
  const layers = Array.from({ length: j }, (_, i) => usedEntries(net, i + 1)); // conv 1..j
  const channelsOf = (i: number): number => net.layers[i - 1]!.channels;
  const inputs = layers[0]!.cols + 1;
  const structured = samples > r;
  const zeta = Math.min(samples, r + 1, inputs);
  const sigma = Math.min(s, zeta);
  const top = layers[j - 1]!;
  if (zeta === 0 || sigma === 0) return 0;
  const directions = layers.reduce((t, x, i) => t + x.parameters + channelsOf(i + 1), 0);
  const width = directions + zeta * sigma;
  const height = (top.rows + 1) * sigma;
  if (height * width > largestProjected) return undefined;
  const pushes = layers.reduce((t, x) => t + x.param.length + x.rows, 0);
  if (pushes * sigma * directions + pushes * (zeta + sigma) > largestWork) return undefined;
  const zhat = augmentedSpanRank(net, j, r, samples);
  if (zhat === undefined) return undefined;
  const at: number[] = [0];
  layers.forEach((layer, i) => at.push(at[at.length - 1]! + layer.parameters + channelsOf(i + 1)));
  const bAt = at[at.length - 1]!;
  const mAt = bAt + inputs * zeta;
  const parameters = mAt + zeta * sigma;
  // T̃_i X on the augmented map (constant row last): the kernel and bias of conv i from `kernel` at `from`; `carry` keeps the constant row
  const push = (i: number, kernel: Float64Array, from: number, X: Float64Array, k: number, p: number, carry: boolean): Float64Array => {
    const layer = layers[i]!;
    const out = new Float64Array((layer.rows + 1) * k);
    for (let e = 0; e < layer.param.length; e++) {
      const t = kernel[from + layer.param[e]!]!;
      if (t === 0) continue;
      const row = layer.i[e]! * k;
      const a = layer.a[e]! * k;
      for (let c = 0; c < k; c++) { const v = out[row + c]! + t * X[a + c]!; out[row + c] = v >= exactSumLimit ? v % p : v; }
    }
    const one = layer.cols * k;
    const perChannel = layer.rows / channelsOf(i + 1);
    for (let row = 0; row < layer.rows; row++) {
      const t = kernel[from + layer.parameters + Math.floor(row / perChannel)]!;
      if (t === 0) continue;
      for (let c = 0; c < k; c++) { const v = out[row * k + c]! + t * X[one + c]!; out[row * k + c] = v >= exactSumLimit ? v % p : v; }
    }
    if (carry) for (let c = 0; c < k; c++) out[layer.rows * k + c] = X[one + c]!;
    return reduceEntries(out, p);
  };
  const evaluate = (w: Float64Array, p: number): Matrix => {
    // w: residues modulo p (genericPolynomialRank draws them so), or the ones of the coefficient sums (p = Infinity)
    const value = w;
    const B0 = value.slice(bAt, mAt);
    if (structured) {
      // [[B_0, 0], [0, 1]]: the data span S and the constant direction
      for (let a = 0; a < inputs; a++) B0[a * zeta + zeta - 1] = 0;
      for (let c = 0; c < zeta; c++) B0[(inputs - 1) * zeta + c] = c === zeta - 1 ? 1 : 0;
    }
    const V0 = new Float64Array(inputs * sigma);
    for (let a = 0; a < inputs; a++)
      for (let c = 0; c < zeta; c++) {
        const x = B0[a * zeta + c]!;
        for (let d = 0; d < sigma; d++) { const v = V0[a * sigma + d]! + x * value[mAt + c * sigma + d]!; V0[a * sigma + d] = v >= exactSumLimit ? v % p : v; }
      }
    reduceEntries(V0, p);
    // the augmented images at map i−1 below conv i
    const images: Float64Array[] = [V0];
    for (let i = 0; i < j - 1; i++) images.push(push(i, value, at[i]!, images[i]!, sigma, p, true));
    let PB: Float64Array = B0;
    for (let i = 0; i < j; i++) PB = push(i, value, at[i]!, PB, zeta, p, true);
    const F = zeros(height, width);
    let column = directionColumns(F, layers, images, value, at, sigma, p, layers.map((_, i) => channelsOf(i + 1)));
    // B̃_j R: R[c, d] puts column c of B̃_j into image d
    for (let c = 0; c < zeta; c++)
      for (let d = 0; d < sigma; d++, column++) for (let row = 0; row <= top.rows; row++) F.data[(row * sigma + d) * width + column] = PB[row * zeta + c]!;
    return F;
  };
  const rank = genericPolynomialRank(parameters, j + 2, { modular: (field, w) => evaluate(w, field.prime), magnitude: (w) => evaluate(w, Infinity) }, stackSeed + 211 + j).rank;
  return Math.max(0, rank - sigma * zhat);
}
