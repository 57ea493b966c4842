/**
 * t_l is the rank of T_l at a generic kernel (src/cnn/toeplitzRank.ts): for random one-convolution
 * CNNs (1D and 2D, channels, stride, padding), rank T(w) on the used rows and columns, taken exactly
 * at an independent random integer kernel, never exceeds t_1 and equals it (a random point of
 * [−2^20, 2^20] attains the generic rank with probability ≥ 1 − u/2^20 per case; the draws are
 * seeded). And t_1 is below the count of rows, columns and window blocks where two 2D kernel
 * polynomials share zeros.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConvolutional } from '../../src/architecture/convolutional.js';
import { convolutionalGeometry } from '../../src/cnn/geometry.js';
import { outputShape, toeplitzMatrix } from '../../src/cnn/toeplitz.js';
import { exactFields, rankModPrime } from '../../src/linalg/index.js';
import { intoRing, zeros } from '../../src/numeric/matrix.js';
import { RandomStream } from '../../src/numeric/random.js';

const oneConvolution = fc
  .record({
    twoD: fc.boolean(),
    n: fc.tuple(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 2, max: 7 })),
    k: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    s: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    pad: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
    cin: fc.integer({ min: 1, max: 3 }),
    cout: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ twoD, n, k, s, pad, cin, cout }) => {
    const axes = twoD ? [0, 1] : [0];
    const kernel = axes.map((j) => Math.min(k[j]!, n[j]!));
    const padding = axes.map((j) => Math.min(pad[j]!, kernel[j]! - 1));
    const size = (v: number[]) => v.join('x');
    return `in=${size(axes.map((j) => n[j]!))} ch=${cin}; conv k=${size(kernel)} c=${cout} s=${size(axes.map((j) => s[j]!))} pad=${size(padding)}; K=2`;
  });

/** rank of T(w) on its read columns over Z/PZ for both fixed primes, at a random integer kernel */
function rankAtRandomKernel(text: string, seed: number): number {
  const net = parseConvolutional(text);
  const layer = net.layers[0]!;
  const g = { inputChannels: net.inputChannels, outputChannels: layer.channels, input: net.input, kernel: layer.kernel, stride: layer.stride, padding: layer.padding };
  const random = new RandomStream(seed);
  const kappa = layer.kernel.reduce((a, b) => a * b, 1);
  const T = toeplitzMatrix(g, Array.from({ length: layer.channels * net.inputChannels * kappa }, () => random.integer(-(2 ** 20), 2 ** 20)));
  // one convolution: the used input positions are the ones some window reads (a column of the pattern)
  const pattern = toeplitzMatrix(g, new Array(layer.channels * net.inputChannels * kappa).fill(1));
  const cols = Array.from({ length: T.cols }, (_, j) => j).filter((j) => Array.from({ length: T.rows }, (_, i) => pattern.data[i * T.cols + j]).some((v) => v !== 0));
  const M = zeros(T.rows, cols.length);
  for (let i = 0; i < T.rows; i++) cols.forEach((j, b) => (M.data[i * cols.length + b] = T.data[i * T.cols + j]!));
  expect(T.rows).toBe(layer.channels * outputShape(g).reduce((a, b) => a * b, 1));
  return Math.max(...exactFields.map((field) => rankModPrime(intoRing(M, field), field)));
}

describe('t_l: the rank of T_l at a generic kernel', () => {
  it('rank T(w) at an independent random integer kernel equals t_1 (random 1D/2D convolutions)', () => {
    fc.assert(
      fc.property(oneConvolution, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (text, seed) => {
        expect({ text, rank: rankAtRandomKernel(text, seed) }).toEqual({ text, rank: convolutionalGeometry(parseConvolutional(text)).toeplitzRank[0] });
      }),
      { seed: 3, numRuns: 150 },
    );
  });

  it('is below the count where two 2D kernel polynomials share zeros', () => {
    // full padding, two input channels, one output: 42 rows and count 42, two common zeros of K_1, K_2
    expect(convolutionalGeometry(parseConvolutional('in=6x5 ch=2; conv k=2 c=1 pad=1; K=2')).toeplitzRank).toEqual([40]);
    expect(rankAtRandomKernel('in=6x5 ch=2; conv k=2 c=1 pad=1; K=2', 1)).toBe(40);
    // no padding, one input channel, two outputs: 36 columns, count 36
    expect(convolutionalGeometry(parseConvolutional('in=6x6; conv k=2 c=2; K=2')).toeplitzRank).toEqual([34]);
    // 1D: the count
    expect(convolutionalGeometry(parseConvolutional('in=10 ch=2; conv k=3 c=1 pad=2; K=2')).toeplitzRank).toEqual([12]);
  });
});
