/**
 * The Toeplitz representation of a convolution layer: T(w) = Σ_j w_j E_j, a 0/1 pattern per kernel entry.
 *
 * Input: c_in channels on a grid (1D [n] or 2D [h, w]), flattened channel-major, positions row-major:
 * column (i, u) = i·n_in + u. Output channel o at position t (grid index t⃗) reads, for every input
 * channel i and kernel offset e⃗, the input at u⃗ = s⃗ ⊙ t⃗ + e⃗ − pad⃗ (skipped when outside the grid:
 * zero padding). Row (o, t) = o·n_out + t. So
 *   T[(o,t), (i,u)] = w[o, i, e⃗]  when u⃗ = s⃗⊙t⃗ + e⃗ − pad⃗,  0 otherwise:
 * 1D, one channel, stride 1, no padding: row t holds w at columns t..t+k−1 (Toeplitz); several
 * channels: a c_out × c_in block matrix of such blocks; 2D: each block is doubly-block Toeplitz;
 * stride keeps every s-th row; padding deletes the columns that would fall on padded zeros.
 * (This is cross-correlation, as in deep-learning libraries; flipping the kernel gives convolution.)
 *
 * Layer parameters are laid out like a fully-connected layer's [W | b]: c_out rows of
 * (c_in κ [+1]) entries, kernel entry (o, i, e⃗) at o·(c_in κ + [1]) + i·κ + e, the channel bias b_o
 * last in its row. The bias is the augmented column c_in·n_in: W̃ = [T | B b], B[(o,t), o] = 1.
 * A fully-connected layer is the dense pattern where every entry of [W | b] is its own parameter
 * (src/numeric/sharedWeightNetwork.ts).
 */
import type { Matrix } from '../numeric/matrix.js';
import { patternMatrix, type WeightPattern } from '../numeric/sharedWeightNetwork.js';

export interface ConvolutionGeometry {
  inputChannels: number;
  outputChannels: number;
  /** spatial input shape */
  input: readonly number[];
  kernel: readonly number[];
  stride: readonly number[];
  padding: readonly number[];
}

export function outputShape(g: ConvolutionGeometry): number[] {
  return g.input.map((n, j) => Math.floor((n + 2 * g.padding[j]! - g.kernel[j]!) / g.stride[j]!) + 1);
}

const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1);

/** Row-major multi-indices of a grid. */
function gridIndices(shape: readonly number[]): number[][] {
  const all: number[][] = [];
  const index = shape.map(() => 0);
  const total = product(shape);
  for (let t = 0; t < total; t++) {
    all.push([...index]);
    for (let j = shape.length - 1; j >= 0; j--) {
      if (++index[j]! < shape[j]!) break;
      index[j] = 0;
    }
  }
  return all;
}

/** The Toeplitz pattern of a convolution layer (with the channel-bias column when `bias`). */
export function convolutionPattern(g: ConvolutionGeometry, bias: boolean): WeightPattern {
  const out = outputShape(g);
  const nIn = product(g.input);
  const nOut = product(out);
  const kappa = product(g.kernel);
  const rowLength = g.inputChannels * kappa + (bias ? 1 : 0);
  const row: number[] = [];
  const col: number[] = [];
  const param: number[] = [];
  const offsets = gridIndices(g.kernel);
  const strides = g.input.map((_, j) => product(g.input.slice(j + 1)));
  gridIndices(out).forEach((t, tIndex) => {
    // input position of every kernel offset, or −1 on the padding
    const reads = offsets.map((e) => {
      let u = 0;
      for (let j = 0; j < t.length; j++) {
        const coordinate = g.stride[j]! * t[j]! + e[j]! - g.padding[j]!;
        if (coordinate < 0 || coordinate >= g.input[j]!) return -1;
        u += coordinate * strides[j]!;
      }
      return u;
    });
    for (let o = 0; o < g.outputChannels; o++) {
      const r = o * nOut + tIndex;
      for (let i = 0; i < g.inputChannels; i++) {
        reads.forEach((u, e) => {
          if (u < 0) return;
          row.push(r);
          col.push(i * nIn + u);
          param.push(o * rowLength + i * kappa + e);
        });
      }
      if (bias) {
        row.push(r);
        col.push(g.inputChannels * nIn);
        param.push(o * rowLength + rowLength - 1);
      }
    }
  });
  return {
    rows: g.outputChannels * nOut,
    cols: g.inputChannels * nIn + (bias ? 1 : 0),
    parameters: g.outputChannels * rowLength,
    row: Int32Array.from(row),
    col: Int32Array.from(col),
    param: Int32Array.from(param),
  };
}

/** The Toeplitz matrix T(w) of a convolution (no bias column); `kernel` laid out c_out × c_in × κ. */
export function toeplitzMatrix(g: ConvolutionGeometry, kernel: ArrayLike<number>): Matrix {
  return patternMatrix(convolutionPattern(g, false), kernel);
}
