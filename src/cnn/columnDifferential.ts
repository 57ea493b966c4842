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
 * probability (a nonzero minor of size min(bound, generic rank) has degree ≤ L · bound).
 *
 * undefined (not computed: the column keeps col̃_l) for l < 2 or l > L − 1, when a pass has more than `largestForward`
 * multiplications, or the matrix more than `largestSpan` entries.
 */
import type { Convolutional } from '../architecture/convolutional.js';
import { genericPolynomialRank } from '../linalg/index.js';
import { zeros, type Matrix } from '../numeric/matrix.js';
import type { PrimeField } from '../numeric/ring.js';
import { convolutionalGeometry, usedLayer } from './geometry.js';
import { boundedMemo, layersKey } from './memo.js';
import { largestForward, largestSpan } from './patchSpan.js';
import { convolutionPattern } from './toeplitz.js';

const differentialSeed = 0x7d3a;

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
  // conv l's pattern entries by the map-(l−1) row they read, increasing
  const ownByCol: number[][] = [];
  own.col.forEach((j, x) => (ownByCol[j] ??= []).push(x));
  const evaluate = (w: number[], p: number): Matrix => {
    const reduce = Number.isFinite(p) ? (x: number) => x % p : (x: number) => x;
    const v = Number.isFinite(p) ? w.map((x) => x % p) : w;
    const sigma = Array.from({ length: images }, (_, k) => v[imageAt + k * (inputSize + 1) + inputSize]!);
    const forward = (j: number, z: number[], k: number): number[] => {
      const { row, col, param, rows } = patterns[j - 1]!;
      const out = new Array<number>(rows).fill(0);
      for (let x = 0; x < row.length; x++) out[row[x]!] = reduce(out[row[x]!]! + reduce(v[kernelAt[j - 1]! + param[x]!]! * z[col[x]!]!));
      const positions = rows / c[j]!;
      for (let y = 0; y < rows; y++) out[y] = reduce(out[y]! + reduce(v[biasAt[j - 1]! + Math.floor(y / positions)]! * sigma[k]!));
      return out;
    };
    const backward = (j: number, a: number[]): number[] => {
      const { row, col, param, cols } = patterns[j - 1]!;
      const out = new Array<number>(cols).fill(0);
      for (let x = 0; x < row.length; x++) out[col[x]!] = reduce(out[col[x]!]! + reduce(v[kernelAt[j - 1]! + param[x]!]! * a[row[x]!]!));
      return out;
    };
    // maps 0..l−1 on each image; a_k at map l
    const z: number[][][] = [Array.from({ length: images }, (_, k) => v.slice(imageAt + k * (inputSize + 1), imageAt + k * (inputSize + 1) + inputSize))];
    for (let j = 1; j < l; j++) z.push(z[j - 1]!.map((map, k) => forward(j, map, k)));
    let a = Array.from({ length: images }, (_, k) => {
      const out = new Array<number>(top).fill(0);
      for (let o = 0; o < K; o++) for (let i = 0; i < top; i++) out[i] = reduce(out[i]! + reduce(v[WAt + o * top + i]! * v[gAt + k * K + o]!));
      return out;
    });
    for (let m = Lc; m > l; m--) a = a.map((array) => backward(m, array));
    const M = zeros(height, width);
    let column = 0;
    const add = (r: number, value: number) => {
      const at = r * width + column;
      M.data[at] = reduce(M.data[at]! + value);
    };
    // G(a_k, [Δ; 0]) of one map-(l−1) array Δ on image k, added to the current column; Δ is zero off the rows `support`
    // (entries of conv l reading a zero add nothing: the others in their order)
    const pair = (k: number, delta: number[], support: Iterable<number>) => {
      const { row, col, param } = own;
      const entries: number[] = [];
      for (const r of support) for (const x of ownByCol[r] ?? []) entries.push(x);
      entries.sort((x, y) => x - y);
      for (const x of entries) add(param[x]!, reduce(a[k]![row[x]!]! * delta[col[x]!]!));
    };
    // α: a unit array at (image k, used row r): the patch z̃_{k, t} in output channel o's row block
    const byRow = new Map<number, number[]>();
    own.row.forEach((r, x) => (byRow.get(r) ?? byRow.set(r, []).get(r)!).push(x));
    for (let k = 0; k < images; k++)
      for (const r of usedRows) {
        for (const x of byRow.get(r) ?? []) add(own.param[x]!, z[l - 1]![k]![own.col[x]!]!);
        add(own.parameters + Math.floor(r / ownPositions), sigma[k]!);
        column++;
      }
    // Δ at map l−2 pushed through conv l−1's linear part (l ≥ 3: conv 1's input is not perturbed)
    if (l >= 3) {
      const byCol = new Map<number, number[]>();
      below.col.forEach((j, x) => (byCol.get(j) ?? byCol.set(j, []).get(j)!).push(x));
      for (let k = 0; k < images; k++)
        for (let j = 0; j < below.cols; j++) {
          const delta = new Array<number>(below.rows).fill(0);
          for (const x of byCol.get(j) ?? []) delta[below.row[x]!] = reduce(delta[below.row[x]!]! + v[kernelAt[l - 2]! + below.param[x]!]!);
          pair(k, delta, new Set((byCol.get(j) ?? []).map((x) => below.row[x]!)));
          column++;
        }
    }
    // conv l−1's own directions on every image: a kernel entry (T_{l-1}(e) z_{l-2}) or a bias (B e_o σ)
    const byParam = new Map<number, number[]>();
    below.param.forEach((q, x) => (byParam.get(q) ?? byParam.set(q, []).get(q)!).push(x));
    for (let q = 0; q < belowParameters; q++) {
      for (let k = 0; k < images; k++) {
        const delta = new Array<number>(below.rows).fill(0);
        const support = new Set<number>();
        if (q < below.parameters)
          for (const x of byParam.get(q) ?? []) {
            delta[below.row[x]!] = reduce(delta[below.row[x]!]! + z[l - 2]![k]![below.col[x]!]!);
            support.add(below.row[x]!);
          }
        else
          for (let y = (q - below.parameters) * belowPositions; y < (q - below.parameters + 1) * belowPositions; y++) {
            delta[y] = sigma[k]!;
            support.add(y);
          }
        pair(k, delta, support);
      }
      column++;
    }
    return M;
  };
  const modular = (field: PrimeField, w: number[]): Matrix => evaluate(w, field.prime);
  const magnitude = (w: number[]): Matrix => evaluate(w, Infinity);
  return genericPolynomialRank(parameters, Lc + 1, { modular, magnitude }, differentialSeed + l, bound).rank;
}
