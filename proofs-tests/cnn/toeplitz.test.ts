/**
 * The Toeplitz representation is the convolution: for random shapes (1D and 2D, several input and
 * output channels, stride, zero padding), T(w)·x equals the convolution computed directly — pad the
 * input with zeros, slide the kernel with the stride, sum channel by channel.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outputShape, toeplitzMatrix, type ConvolutionGeometry } from '../../src/cnn/toeplitz.js';
import { multiply } from '../../src/numeric/matrix.js';

/** Direct multi-channel cross-correlation on an explicitly zero-padded input (2D; 1D is height 1). */
function directConvolution(g: ConvolutionGeometry, kernel: number[], x: number[]): number[] {
  const [h, w] = g.input.length === 1 ? [1, g.input[0]!] : [g.input[0]!, g.input[1]!];
  const [kh, kw] = g.kernel.length === 1 ? [1, g.kernel[0]!] : [g.kernel[0]!, g.kernel[1]!];
  const [sh, sw] = g.stride.length === 1 ? [1, g.stride[0]!] : [g.stride[0]!, g.stride[1]!];
  const [ph, pw] = g.padding.length === 1 ? [0, g.padding[0]!] : [g.padding[0]!, g.padding[1]!];
  const H = h + 2 * ph;
  const W = w + 2 * pw;
  const padded = new Array(g.inputChannels * H * W).fill(0);
  for (let i = 0; i < g.inputChannels; i++)
    for (let a = 0; a < h; a++) for (let b = 0; b < w; b++) padded[i * H * W + (a + ph) * W + (b + pw)] = x[i * h * w + a * w + b]!;
  const out: number[] = [];
  for (let o = 0; o < g.outputChannels; o++) {
    for (let top = 0; top + kh <= H; top += sh) {
      for (let left = 0; left + kw <= W; left += sw) {
        let sum = 0;
        for (let i = 0; i < g.inputChannels; i++)
          for (let a = 0; a < kh; a++)
            for (let b = 0; b < kw; b++) sum += kernel[((o * g.inputChannels + i) * kh + a) * kw + b]! * padded[i * H * W + (top + a) * W + (left + b)]!;
        out.push(sum);
      }
    }
  }
  return out;
}

/** A random convolution: sizes 1–7, kernel fitting its padded input, padding below the kernel. */
const geometry = fc
  .record({
    dims: fc.constantFrom(1, 2),
    inputChannels: fc.integer({ min: 1, max: 3 }),
    outputChannels: fc.integer({ min: 1, max: 3 }),
    sizes: fc.array(fc.record({ n: fc.integer({ min: 1, max: 7 }), k: fc.integer({ min: 1, max: 4 }), s: fc.integer({ min: 1, max: 3 }), pad: fc.integer({ min: 0, max: 3 }) }), {
      minLength: 2,
      maxLength: 2,
    }),
  })
  .map(({ dims, inputChannels, outputChannels, sizes }): ConvolutionGeometry => {
    const used = sizes.slice(0, dims).map(({ n, k, s, pad }) => {
      const padding = Math.min(pad, k - 1);
      return { n, k: Math.min(k, n + 2 * padding), s, padding };
    });
    return {
      inputChannels,
      outputChannels,
      input: used.map((u) => u.n),
      kernel: used.map((u) => u.k),
      stride: used.map((u) => u.s),
      padding: used.map((u) => u.padding),
    };
  });

describe('Toeplitz matrix of a convolution layer', () => {
  it('T(w) x equals the direct convolution (random 1D/2D shapes, channels, stride, padding)', () => {
    fc.assert(
      fc.property(geometry, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (g, seed) => {
        const random = fc.sample(fc.integer({ min: -9, max: 9 }), { seed, numRuns: 2000 });
        const kappa = g.kernel.reduce((a, b) => a * b, 1);
        const n = g.input.reduce((a, b) => a * b, 1);
        const kernel = random.slice(0, g.outputChannels * g.inputChannels * kappa);
        const x = random.slice(1000, 1000 + g.inputChannels * n);
        const T = toeplitzMatrix(g, kernel);
        const nOut = outputShape(g).reduce((a, b) => a * b, 1);
        expect([T.rows, T.cols]).toEqual([g.outputChannels * nOut, g.inputChannels * n]);
        const product = Array.from(multiply(T, { rows: x.length, cols: 1, data: Float64Array.from(x) }).data);
        expect(product).toEqual(directConvolution(g, kernel, x));
      }),
      { numRuns: 300, seed: 2023 },
    );
  });

  it('1D, one channel, stride 1, no padding: row j holds w at columns j..j+k−1', () => {
    const T = toeplitzMatrix({ inputChannels: 1, outputChannels: 1, input: [5], kernel: [3], stride: [1], padding: [0] }, [1, 2, 3]);
    expect(Array.from(T.data)).toEqual([1, 2, 3, 0, 0, 0, 1, 2, 3, 0, 0, 0, 1, 2, 3]);
  });
});
