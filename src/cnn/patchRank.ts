/**
 * π_1: the rank of conv 1's patch matrix at generic images, which is rank H_F / (2 c_1) for one convolution:
 *
 *   P[(j, t), (i, e⃗)] = b_j[i, s⃗⊙t⃗ + e⃗ − pad⃗]   (0 where the window reads padding)
 *
 * rows: the `images` generic images b_j (s = min(r, K) of them: the rows of Σ = G Xᵀ) times the n_1 output
 * positions t; columns: the c_0 input channels i times the effective offsets e⃗ of the kernel. With bias
 * (`augmented`) P has one more column, σ_j on every row of image j (the residual sums: Σ̃ = G X̃ᵀ = [Σ | σ]),
 * and the images are the s̃ = min(r̃, K) rows of Σ̃.
 *
 *   π_1 ≤ ν, the term rank of P (largest set of nonzero entries, no two in a row or column): a nonzero
 *   minor needs a nonzero term. In 1D without bias π_1 = ν (docs/cnn.md#one-convolution-functional-hessian).
 *
 * ν is a maximum flow (source → window t: capacity `images`; window → offset e⃗ where the window reads a real
 * input, and → the bias column; offset → sink: capacity c_0; bias column → sink: 1), since every image and
 * every channel has the same zero pattern. Otherwise π_1 is found by genericRank (src/linalg/genericRank.ts,
 * the mechanism of t_l and A_l) at seeded random integer images, with ν as its proven bound: when a draw
 * reaches ν, π_1 = ν with certainty; else the value is never above the generic rank and below it with
 * probability ≤ 1e-9. A matrix beyond `largestPatch` entries is first tried on the rows a maximum flow
 * uses (reaching ν there is a certificate too); if that does not reach ν, π_1 is left undetermined.
 */
import { genericRank } from '../linalg/index.js';
import { zeros } from '../numeric/matrix.js';
import { outputShape, type ConvolutionGeometry } from './toeplitz.js';

/** Largest patch matrix (rows × columns) whose generic rank is computed whole. */
export const largestPatch = 1_000_000;

/** The seed of the random images and of their primes: π_1 is a property of the architecture. */
const patchSeed = 0x9a7c;

export interface PatchRank {
  /** π_1, or undefined when the matrix is too large and the flow's rows did not reach ν */
  rank: number | undefined;
  /** ν, the term rank: a proven upper bound on π_1 */
  termRank: number;
  /** π_1 = ν proven (the 1D theorem, or a draw reaching ν) */
  certain: boolean;
}

const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1);

/** Row-major multi-indices of a grid. */
function grid(shape: readonly number[]): number[][] {
  let all: number[][] = [[]];
  for (const size of shape) all = all.flatMap((prefix) => Array.from({ length: size }, (_, x) => [...prefix, x]));
  return all;
}

interface Pattern {
  /** flat input position read by window t at offset column e, or −1 on the padding: reads[t][e] */
  reads: number[][];
  /** the effective offsets (kernel-flat indices) */
  offsets: number[];
}

function patchPattern(layer: ConvolutionGeometry): Pattern {
  const windows = grid(outputShape(layer));
  const kernel = grid(layer.kernel);
  const all = windows.map((t) =>
    kernel.map((e) => {
      let u = 0;
      for (let a = 0; a < t.length; a++) {
        const x = layer.stride[a]! * t[a]! + e[a]! - layer.padding[a]!;
        if (x < 0 || x >= layer.input[a]!) return -1;
        u = u * layer.input[a]! + x;
      }
      return u;
    }),
  );
  const offsets = kernel.map((_, e) => e).filter((e) => all.some((row) => row[e]! >= 0));
  return { reads: all.map((row) => offsets.map((e) => row[e]!)), offsets };
}

/**
 * ν and the flow on every window → column edge (columns: offsets, then the bias column when augmented):
 * a maximum flow by shortest augmenting paths.
 */
function termRankFlow(pattern: Pattern, images: number, channels: number, augmented: boolean): { value: number; flow: number[][] } {
  const windows = pattern.reads.length;
  const columns = pattern.offsets.length + (augmented ? 1 : 0);
  const capacity = (c: number) => (c < pattern.offsets.length ? channels : 1);
  const edge = (t: number, c: number) => c === pattern.offsets.length || pattern.reads[t]![c]! >= 0;
  const flow = Array.from({ length: windows }, () => new Array<number>(columns).fill(0));
  const out = new Array<number>(windows).fill(0);
  const into = new Array<number>(columns).fill(0);
  let value = 0;
  for (;;) {
    // BFS over windows and columns in the residual graph, from windows with spare capacity to a column with spare capacity
    const parentOfColumn = new Array<number>(columns).fill(-2);
    const parentOfWindow = new Array<number>(windows).fill(-2);
    const queue: number[] = [];
    for (let t = 0; t < windows; t++) if (out[t]! < images) (parentOfWindow[t] = -1), queue.push(t);
    let end = -1;
    for (let head = 0; head < queue.length && end < 0; head++) {
      const t = queue[head]!;
      for (let c = 0; c < columns; c++) {
        if (parentOfColumn[c] !== -2 || !edge(t, c)) continue;
        parentOfColumn[c] = t;
        if (into[c]! < capacity(c)) {
          end = c;
          break;
        }
        // go back along an edge with flow into c
        for (let t2 = 0; t2 < windows; t2++) {
          if (parentOfWindow[t2] === -2 && flow[t2]![c]! > 0) {
            parentOfWindow[t2] = c;
            queue.push(t2);
          }
        }
      }
    }
    if (end < 0) return { value, flow };
    let c = end;
    into[c]!++;
    for (;;) {
      const t = parentOfColumn[c]!;
      flow[t]![c]!++;
      const back = parentOfWindow[t]!;
      if (back === -1) {
        out[t]!++;
        break;
      }
      flow[t]![back]!--;
      c = back;
    }
    value++;
  }
}

/**
 * π_1 for conv `layer` (its input grid, channels, kernel, stride, padding) at `images` generic images,
 * `augmented` with the bias column.
 */
export function patchRank(layer: ConvolutionGeometry, images: number, augmented: boolean): PatchRank {
  const pattern = patchPattern(layer);
  const windows = pattern.reads.length;
  const channels = layer.inputChannels;
  const E = pattern.offsets.length;
  const columns = channels * E + (augmented ? 1 : 0);
  if (images <= 0 || columns === 0) return { rank: 0, termRank: 0, certain: true };
  const { value: termRank, flow } = termRankFlow(pattern, images, channels, augmented);
  if (layer.input.length === 1 && !augmented) return { rank: termRank, termRank, certain: true };
  const nIn = product(layer.input);
  // rows (image j, window t); all of them, or (too large) those a maximum flow uses: window t's first Σ_c flow[t][c] images
  const rows: [number, number][] = [];
  const whole = images * windows * columns <= largestPatch;
  if (whole) {
    for (let j = 0; j < images; j++) for (let t = 0; t < windows; t++) rows.push([j, t]);
  } else {
    flow.forEach((row, t) => {
      const through = row.reduce((a, b) => a + b, 0);
      for (let j = 0; j < through; j++) rows.push([j, t]);
    });
  }
  // parameters: the images b_j[i, u] (j-major), then σ_j
  const parameters = images * channels * nIn + (augmented ? images : 0);
  const build = (b: Float64Array) => {
    const M = zeros(rows.length, columns);
    rows.forEach(([j, t], row) => {
      const reads = pattern.reads[t]!;
      for (let i = 0; i < channels; i++)
        for (let e = 0; e < E; e++) if (reads[e]! >= 0) M.data[row * columns + i * E + e] = b[(j * channels + i) * nIn + reads[e]!]!;
      if (augmented) M.data[row * columns + columns - 1] = b[images * channels * nIn + j]!;
    });
    return M;
  };
  const rank = genericRank(parameters, 1, build, patchSeed, termRank).rank;
  if (rank >= termRank) return { rank: termRank, termRank, certain: true };
  return { rank: whole ? rank : undefined, termRank, certain: false };
}
