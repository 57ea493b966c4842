/**
 * rank T_l at a generic kernel, on the used rows and columns:
 *
 *   t_l = max_w rank T_l(w)[used outputs, used inputs]   (w ∈ R^{c_l × c_{l-1} × κ_l})
 *       ≤ min(c_{l-1} u_{l-1}, c_l u_l, Σ_{used windows} min(c_l, c_{l-1} · real inputs of the window)).
 *
 * rank T_l(w) ≤ t_l at every kernel, so every bound stated with t_l holds at every instance. The count
 * on the right (columns, rows, row blocks of one window) is what the geometry knew before; the generic
 * rank is below it when the kernel polynomials share zeros. 2D, two input channels, one output, full
 * padding: Y(s, t) = K_1(s, t) X_1(s, t) + K_2(s, t) X_2(s, t), and two generic polynomials of bidegree
 * (k_h − 1, k_w − 1) have 2(k_h − 1)(k_w − 1) common zeros, at each of which every output vanishes:
 * `in=6x5 ch=2; conv k=2 c=1 pad=1` has 42 rows, count 42, t = 40 (docs/cnn.md#toeplitz-rank).
 *
 * Found by genericRank (src/linalg/genericRank.ts) at seeded random integer kernels: never above the
 * generic rank, below it with probability ≤ 1e-9. Layers whose matrix has more than
 * `largestToeplitz` entries keep the count.
 */
import { boundedMemo } from './memo.js';
import { convolutionPattern, type ConvolutionGeometry } from './toeplitz.js';
import { genericRank } from '../linalg/index.js';
import { zeros } from '../numeric/matrix.js';

/** Largest T_l (used rows × used columns) whose generic rank is computed. */
export const largestToeplitz = 250_000;

/** The seed of the random kernels and of their primes: t_l is a property of the architecture. */
const toeplitzSeed = 0x7e91;

const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1);

/** Flat row-major indices of the product grid of per-axis coordinate lists. */
function gridIndices(coordinates: readonly number[][], shape: readonly number[]): number[] {
  let flat = [0];
  coordinates.forEach((axis, j) => {
    flat = flat.flatMap((prefix) => axis.map((x) => prefix * shape[j]! + x));
  });
  return flat;
}

/**
 * t_l for one layer: `usedIn`, `usedOut` the used coordinates per axis of its input and output maps,
 * `count` the combinatorial bound. Returns the count itself when the matrix is too large.
 */
export function toeplitzRank(layer: ConvolutionGeometry, outShape: readonly number[], usedIn: readonly number[][], usedOut: readonly number[][], count: number): number {
  if (count === 0) return 0;
  // once per layer and used coordinates: the CNNs a bound derives from one architecture (the CNN above conv 1, the merged
  // CNN) share most of its layers (src/cnn/memo.ts)
  return ranks(JSON.stringify([layer, outShape, usedIn, usedOut, count]), () => compute(layer, outShape, usedIn, usedOut, count));
}

const ranks = boundedMemo<number>(256);

function compute(layer: ConvolutionGeometry, outShape: readonly number[], usedIn: readonly number[][], usedOut: readonly number[][], count: number): number {
  const size = layer.outputChannels * product(usedOut.map((a) => a.length)) * layer.inputChannels * product(usedIn.map((a) => a.length));
  const nIn = product(layer.input);
  const nOut = product(outShape);
  // its pattern is listed whole before the used rows and columns are taken
  if (size > largestToeplitz || layer.outputChannels * nOut * layer.inputChannels * nIn > 16 * largestToeplitz) return count;
  const inPositions = gridIndices(usedIn as number[][], layer.input);
  const outPositions = gridIndices(usedOut as number[][], outShape);
  const cols = Array.from({ length: layer.inputChannels }, (_, i) => inPositions.map((x) => i * nIn + x)).flat();
  const rows = Array.from({ length: layer.outputChannels }, (_, o) => outPositions.map((x) => o * nOut + x)).flat();
  // T_l restricted to the used rows and columns, entry by entry of its pattern (each (row, column) holds one kernel entry)
  const pattern = convolutionPattern(layer, false);
  const rowOf = new Int32Array(pattern.rows).fill(-1);
  rows.forEach((i, a) => (rowOf[i] = a));
  const colOf = new Int32Array(pattern.cols).fill(-1);
  cols.forEach((j, b) => (colOf[j] = b));
  const build = (w: Float64Array) => {
    const M = zeros(rows.length, cols.length);
    for (let x = 0; x < pattern.param.length; x++) {
      const a = rowOf[pattern.row[x]!]!;
      const b = colOf[pattern.col[x]!]!;
      if (a >= 0 && b >= 0) M.data[a * cols.length + b] = w[pattern.param[x]!]!;
    }
    return M;
  };
  return genericRank(layer.outputChannels * layer.inputChannels * product(layer.kernel), 1, build, toeplitzSeed, count).rank;
}
