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
import { boundedMemo } from './memo.js';

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

const patterns = boundedMemo<WeightPattern>(64);

/**
 * The Toeplitz pattern of a convolution layer (with the channel-bias column when `bias`), computed once per geometry
 * (src/cnn/memo.ts: the generic ranks of a CNN list the same layers' patterns many times); never modified.
 */
export function convolutionPattern(g: ConvolutionGeometry, bias: boolean): WeightPattern {
  const { inputChannels, outputChannels, input, kernel, stride, padding } = g;
  return patterns(JSON.stringify([inputChannels, outputChannels, input, kernel, stride, padding, bias]), () => computePattern(g, bias));
}

function computePattern(g: ConvolutionGeometry, bias: boolean): WeightPattern {
  const out = outputShape(g);
  const nIn = product(g.input);
  const nOut = product(out);
  const kappa = product(g.kernel);
  const dims = g.input.length;
  const rowLength = g.inputChannels * kappa + (bias ? 1 : 0);
  // reads[t·κ + e]: the input position kernel offset e reads at output position t (row-major), or −1 on the padding
  const reads = new Int32Array(nOut * kappa);
  const t = new Array<number>(dims).fill(0);
  const e = new Array<number>(dims).fill(0);
  let valid = 0;
  for (let tIndex = 0; tIndex < nOut; tIndex++) {
    e.fill(0);
    for (let eIndex = 0; eIndex < kappa; eIndex++) {
      let u = 0;
      for (let j = 0; j < dims; j++) {
        const coordinate = g.stride[j]! * t[j]! + e[j]! - g.padding[j]!;
        if (coordinate < 0 || coordinate >= g.input[j]!) {
          u = -1;
          break;
        }
        u = u * g.input[j]! + coordinate;
      }
      reads[tIndex * kappa + eIndex] = u;
      if (u >= 0) valid++;
      for (let j = dims - 1; j >= 0; j--) {
        if (++e[j]! < g.kernel[j]!) break;
        e[j] = 0;
      }
    }
    for (let j = dims - 1; j >= 0; j--) {
      if (++t[j]! < out[j]!) break;
      t[j] = 0;
    }
  }
  // entries ordered by output position, then output channel, input channel, kernel offset; the bias last in its row
  const entries = g.outputChannels * (g.inputChannels * valid + (bias ? nOut : 0));
  const row = new Int32Array(entries);
  const col = new Int32Array(entries);
  const param = new Int32Array(entries);
  let x = 0;
  for (let tIndex = 0; tIndex < nOut; tIndex++) {
    for (let o = 0; o < g.outputChannels; o++) {
      const r = o * nOut + tIndex;
      for (let i = 0; i < g.inputChannels; i++) {
        for (let eIndex = 0; eIndex < kappa; eIndex++) {
          const u = reads[tIndex * kappa + eIndex]!;
          if (u < 0) continue;
          row[x] = r;
          col[x] = i * nIn + u;
          param[x] = o * rowLength + i * kappa + eIndex;
          x++;
        }
      }
      if (bias) {
        row[x] = r;
        col[x] = g.inputChannels * nIn;
        param[x] = o * rowLength + rowLength - 1;
        x++;
      }
    }
  }
  return { rows: g.outputChannels * nOut, cols: g.inputChannels * nIn + (bias ? 1 : 0), parameters: g.outputChannels * rowLength, row, col, param };
}

/** The Toeplitz matrix T(w) of a convolution (no bias column); `kernel` laid out c_out × c_in × κ. */
export function toeplitzMatrix(g: ConvolutionGeometry, kernel: ArrayLike<number>): Matrix {
  return patternMatrix(convolutionPattern(g, false), kernel);
}
