/**
 * ϑ_l: with bias, a bound on the rank of conv l's (kernel, bias) column block of H_F through the differential of its gradient
 * (docs/cnn.md#bias-the-differential-of-a-convolutions-gradient):
 *
 *   g_l = G(a, z̃) = Σ_{k≤s̃} Σ_t a_k[·, t] ⊗ [patch_t(z_k); σ_k],  range of the column = 𝒰 + 𝒟,
 *   𝒰 = G(da, z̃) ⊆ {G(α, z̃) : α any s̃ arrays at the used positions of map l},
 *   𝒟 = G(a, [dz_{l-1}; 0]),  dz_{l-1} = T_{l-1}(w_{l-1}) dz_{l-2} + T_{l-1}(dw_{l-1}) z_{l-2} + B_{l-1} db_{l-1} σ
 *     ⊆ {G(a, [T_{l-1}(w_{l-1}) Δ + T_{l-1}(dw) z_{l-2} + B db σ; 0]) : Δ any s̃ arrays at map l−2 (none for l = 2), (dw, db)},
 *
 * so col_l ≤ ϑ_l, the rank of the linear map (α, Δ, dw, db) ↦ G(α, z̃) + G(a, [T_{l-1}(w_{l-1}) Δ + T_{l-1}(dw) z_{l-2} + B db σ; 0])
 * at the point, which never exceeds its generic rank. Its entries are polynomials with nonnegative integer coefficients, of
 * degree ≤ L, in the kernels, the biases of conv 1..l−1, W, the s̃ residual directions g_k and augmented images (b_k, σ_k)
 * (a_k = (W T_{L-1} ⋯ T_{l+1})ᵀ g_k has degree L − l + 1, z_{l-1} degree l), so the generic rank comes from
 * genericPolynomialRank (src/linalg/genericRank.ts): never above it, below it with probability ≤ 1e-9, `bound` (a proven bound on
 * the column, col̃_l) handed over: a draw reaching it stops, and a value below it is below the generic rank only with that
 * probability (a nonzero minor of size min(bound, generic rank) has degree ≤ L · bound). Conv l's own columns G(α, z̃) are ranked
 * first, at the first draw (a point modulo a prime): columns only add rank, so where they reach min(bound, rows, columns) that is
 * the rank with certainty, and the rest of the matrix is not built.
 *
 * undefined (not computed: the column keeps col̃_l) for l < 2 or l > L − 1, when a pass has more than `largestForward`
 * multiplications, or the matrix more than `largestSpan` entries.
 */
import type { Convolutional } from '../architecture/convolutional.js';
import { genericPolynomialRank } from '../linalg/index.js';
import { zeros, type Matrix } from '../numeric/matrix.js';
import { exactSumLimit, reduceEntries, type PrimeField } from '../numeric/ring.js';
import { convolutionalGeometry, usedLayer } from './geometry.js';
import { boundedMemo, layersKey } from './memo.js';
import { largestForward, largestSpan } from './patchSpan.js';
import { convolutionPattern } from './toeplitz.js';

const differentialSeed = 0x7d3a;

interface Grouped {
  /** group k is index[start[k] .. start[k + 1]) */
  start: Int32Array;
  index: Int32Array;
}

/** The positions x of `keys` grouped by keys[x] ∈ [0, size), increasing within each group. */
function groupBy(keys: ArrayLike<number>, size: number): Grouped {
  const start = new Int32Array(size + 1);
  for (let x = 0; x < keys.length; x++) start[keys[x]! + 1]!++;
  for (let k = 0; k < size; k++) start[k + 1]! += start[k]!;
  const next = start.slice(0, size);
  const index = new Int32Array(keys.length);
  for (let x = 0; x < keys.length; x++) index[next[keys[x]!]!++] = x;
  return { start, index };
}

const cached = boundedMemo<number | undefined>(1024);

/** ϑ_l for conv `l` (1-based, 2 ≤ l ≤ L − 1) with K outputs on `images` = s̃ augmented images, bounded by `bound`. */
export function columnDifferentialRank(net: Convolutional, l: number, K: number, images: number, bound: number): number | undefined {
  const Lc = net.layers.length;
  if (!net.bias || l < 2 || l > Lc || images <= 0 || K <= 0 || bound <= 0) return undefined;
  return cached(`differential ${l} ${K} ${images} ${bound} ${layersKey(net)}`, () => compute(net, l, K, images, bound));
}

function compute(net: Convolutional, l: number, K: number, images: number, bound: number): number | undefined {
  const G = convolutionalGeometry(net);
  const c = G.channels;
  const Lc = net.layers.length;
  let work = 0;
  for (let j = 1; j <= Lc; j++) work += c[j]! * G.positions[j]! * c[j - 1]! * G.kernel[j - 1]! * images;
  if (work > largestForward) return undefined;
  const patterns = net.layers.map((_, j) => convolutionPattern(usedLayer(net, j + 1).layer, false));
  const own = patterns[l - 1]!;
  const below = patterns[l - 2]!;
  const usedRows = usedLayer(net, l).rows;
  const belowParameters = below.parameters + c[l - 1]!;
  const width = images * usedRows.length + (l >= 3 ? images * below.cols : 0) + belowParameters;
  const height = own.parameters + c[l]!;
  if (width * height > largestSpan) return undefined;
  // the variables: kernels of conv 1..L−1, biases of conv 1..l−1, W, the g_k, the images and σ_k
  const kernelAt: number[] = [];
  let n = 0;
  for (const pattern of patterns) {
    kernelAt.push(n);
    n += pattern.parameters;
  }
  const biasAt: number[] = [];
  for (let j = 1; j < l; j++) {
    biasAt.push(n);
    n += c[j]!;
  }
  const top = patterns[Lc - 1]!.rows;
  const WAt = n;
  n += K * top;
  const gAt = n;
  n += K * images;
  const imageAt = n;
  const inputSize = patterns[0]!.cols;
  n += images * (inputSize + 1);
  const parameters = n;
  const ownPositions = own.rows / c[l]!;
  const belowPositions = below.rows / c[l - 1]!;
  // the structure of the columns, from the patterns alone (the same at every point and prime)
  const ownByCol = groupBy(own.col, own.cols);
  // the entries of conv l reading a set of map-(l−1) rows, increasing (an array Δ zero off those rows reaches only them:
  // the other entries add nothing)
  // each row once (marked with the number of the set being read)
  const mark = new Int32Array(own.cols);
  let set = 0;
  const reading = (rows: readonly number[]): Int32Array => {
    set++;
    const distinct: number[] = [];
    for (const r of rows) {
      if (mark[r] === set) continue;
      mark[r] = set;
      distinct.push(r);
    }
    let count = 0;
    for (const r of distinct) count += ownByCol.start[r + 1]! - ownByCol.start[r]!;
    const entries = new Int32Array(count);
    let at = 0;
    for (const r of distinct) {
      entries.set(ownByCol.index.subarray(ownByCol.start[r]!, ownByCol.start[r + 1]!), at);
      at += ownByCol.start[r + 1]! - ownByCol.start[r]!;
    }
    return entries.sort();
  };
  const byRow = groupBy(own.row, own.rows);
  const byCol = groupBy(below.col, below.cols);
  const byParam = groupBy(below.param, below.parameters);
  const members = (g: Grouped, key: number): Int32Array => g.index.subarray(g.start[key]!, g.start[key + 1]!);
  // Δ columns (l ≥ 3): the entries of conv l−1 from map-(l−2) row j, and the entries of conv l they reach
  const deltaColumns = l >= 3 ? Array.from({ length: below.cols }, (_, j) => members(byCol, j)) : [];
  // conv l−1's own directions: a kernel entry's pattern entries, or a bias's rows; and the entries of conv l they reach
  const ownEntries = Array.from({ length: below.parameters }, (_, q) => members(byParam, q));
  const ownRows = (q: number): number[] =>
    q < below.parameters ? Array.from(ownEntries[q]!, (x) => below.row[x]!) : Array.from({ length: belowPositions }, (_, y) => (q - below.parameters) * belowPositions + y);
  // the entries each Δ column and each own direction of conv l−1 reach, listed when the whole matrix is first built
  let reach: { delta: Int32Array[]; own: Int32Array[] } | undefined;
  const reached = () =>
    (reach ??= {
      delta: deltaColumns.map((xs) => reading(Array.from(xs, (x) => below.row[x]!))),
      own: Array.from({ length: belowParameters }, (_, q) => reading(ownRows(q))),
    });
  const used = Int32Array.from(usedRows);
  // `own`: conv l's own directions G(α, z̃) alone (the first images · u_l columns)
  const ownColumns = images * used.length;
  const evaluate = (w: Float64Array, p: number, ownOnly = false): Matrix => {
    const columns = ownOnly ? ownColumns : width;
    // every product and sum reduced modulo p (p = Infinity: x % Infinity = x, the float64 values)
    // w: residues modulo p (genericPolynomialRank draws them so), or the ones of the coefficient sums (p = Infinity)
    const v = w;
    const sigma = Float64Array.from({ length: images }, (_, k) => v[imageAt + k * (inputSize + 1) + inputSize]!);
    const forward = (j: number, z: Float64Array, k: number): Float64Array => {
      const { row, col, param, rows } = patterns[j - 1]!;
      const at = kernelAt[j - 1]!;
      const out = new Float64Array(rows);
      for (let x = 0; x < row.length; x++) {
        const sum = out[row[x]!]! + v[at + param[x]!]! * z[col[x]!]!;
        out[row[x]!] = sum >= exactSumLimit ? sum % p : sum;
      }
      const positions = rows / c[j]!;
      for (let y = 0; y < rows; y++) out[y] = (out[y]! + v[biasAt[j - 1]! + Math.floor(y / positions)]! * sigma[k]!) % p;
      return out;
    };
    const backward = (j: number, a: Float64Array): Float64Array<ArrayBufferLike> => {
      const { row, col, param, cols } = patterns[j - 1]!;
      const at = kernelAt[j - 1]!;
      const out = new Float64Array(cols);
      for (let x = 0; x < row.length; x++) {
        const sum = out[col[x]!]! + v[at + param[x]!]! * a[row[x]!]!;
        out[col[x]!] = sum >= exactSumLimit ? sum % p : sum;
      }
      return reduceEntries(out, p);
    };
    // maps 0..l−1 on each image; a_k at map l
    const z: Float64Array[][] = [Array.from({ length: images }, (_, k) => v.slice(imageAt + k * (inputSize + 1), imageAt + k * (inputSize + 1) + inputSize))];
    for (let j = 1; j < l; j++) z.push(z[j - 1]!.map((map, k) => forward(j, map, k)));
    let a: Float64Array<ArrayBufferLike>[] = Array.from({ length: ownOnly ? 0 : images }, (_, k) => {
      const out = new Float64Array(top);
      for (let o = 0; o < K; o++) for (let i = 0; i < top; i++) out[i] = (out[i]! + ((v[WAt + o * top + i]! * v[gAt + k * K + o]!) % p)) % p;
      return out;
    });
    for (let m = Lc; m > l; m--) a = a.map((array) => backward(m, array));
    const M = zeros(height, columns);
    const data = M.data;
    let column = 0;
    // G(a_k, [Δ; 0]) of one map-(l−1) array Δ on image k (zero off the rows the entries `reach` read), added to the current column
    const pair = (k: number, delta: Float64Array, reach: Int32Array) => {
      const ak = a[k]!;
      for (let i = 0; i < reach.length; i++) {
        const x = reach[i]!;
        const at = own.param[x]! * columns + column;
        const sum = data[at]! + ak[own.row[x]!]! * delta[own.col[x]!]!;
        data[at] = sum >= exactSumLimit ? sum % p : sum;
      }
    };
    // α: a unit array at (image k, used row r): the patch z̃_{k, t} in output channel o's row block
    for (let k = 0; k < images; k++) {
      const zk = z[l - 1]![k]!;
      for (let u = 0; u < used.length; u++) {
        const r = used[u]!;
        for (let i = byRow.start[r]!; i < byRow.start[r + 1]!; i++) {
          const x = byRow.index[i]!;
          const at = own.param[x]! * columns + column;
          const sum = data[at]! + zk[own.col[x]!]!;
          data[at] = sum >= exactSumLimit ? sum % p : sum;
        }
        const at = (own.parameters + Math.floor(r / ownPositions)) * columns + column;
        const sum = data[at]! + sigma[k]!;
        data[at] = sum >= exactSumLimit ? sum % p : sum;
        column++;
      }
    }
    if (ownOnly) {
      reduceEntries(data, p);
      return M;
    }
    // Δ at map l−2 pushed through conv l−1's linear part (l ≥ 3: conv 1's input is not perturbed)
    const delta = new Float64Array(below.rows);
    for (let k = 0; k < images && l >= 3; k++)
      for (let j = 0; j < below.cols; j++) {
        const xs = deltaColumns[j]!;
        for (let i = 0; i < xs.length; i++) delta[below.row[xs[i]!]!] = 0;
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i]!;
          delta[below.row[x]!] = (delta[below.row[x]!]! + v[kernelAt[l - 2]! + below.param[x]!]!) % p;
        }
        pair(k, delta, reached().delta[j]!);
        column++;
      }
    // conv l−1's own directions on every image: a kernel entry (T_{l-1}(e) z_{l-2}) or a bias (B e_o σ)
    for (let q = 0; q < belowParameters; q++) {
      for (let k = 0; k < images; k++) {
        if (q < below.parameters) {
          const xs = ownEntries[q]!;
          const zk = z[l - 2]![k]!;
          for (let i = 0; i < xs.length; i++) delta[below.row[xs[i]!]!] = 0;
          for (let i = 0; i < xs.length; i++) {
            const x = xs[i]!;
            delta[below.row[x]!] = (delta[below.row[x]!]! + zk[below.col[x]!]!) % p;
          }
        } else for (let y = (q - below.parameters) * belowPositions; y < (q - below.parameters + 1) * belowPositions; y++) delta[y] = sigma[k]!;
        pair(k, delta, reached().own[q]!);
      }
      column++;
    }
    reduceEntries(data, p);
    return M;
  };
  const modular = (field: PrimeField, w: Float64Array): Matrix => evaluate(w, field.prime);
  const magnitude = (w: Float64Array): Matrix => evaluate(w, Infinity);
  // conv l's own directions alone first, at the first draw (a point modulo a prime): columns only add rank, so where they reach
  // the bound u = min(bound, height, width) the rank is u with certainty (the whole matrix is not built)
  const u = Math.min(bound, height, width);
  const ownRank = genericPolynomialRank(parameters, Lc + 1, { modular: (field, w) => evaluate(w, field.prime, true), magnitude: (w) => evaluate(w, Infinity, true) }, differentialSeed + l, u, true);
  if (ownRank.rank >= u) return u;
  return genericPolynomialRank(parameters, Lc + 1, { modular, magnitude }, differentialSeed + l, bound).rank;
}
