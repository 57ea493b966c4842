/**
 * Theorem check for the bias bounds read at a generic point (docs/cnn.md#bias-the-patches-and-the-mixings-at-a-generic-point):
 *
 *   π̃°_l (src/cnn/patchSpan.ts, bias): the augmented patches [patch_t(z_k); σ_k] of s̃ generic augmented images at map l−1 under
 *   the affine stack span π̃°_l dimensions, so conv l's own (kernel, bias) directions on the images span c_l π̃°_l;
 *   μ̃_i (ownMixingRank): the mixings and shifts of map i−1 pushed into conv i's own directions, so τ̃_i ≤ τ̃_{i-1} + c_i π̃°_i − μ̃_i;
 *   κ̃_{l,m} (src/cnn/aboveMixing.ts, bias): the blocks of layers m and m + 1 share the mixings of map m in conv l's (kernel,
 *   bias) column, dim(𝒰_m ∩ 𝒰_{m+1}) ≥ κ̃_{l,m};
 *   ϑ_l (src/cnn/columnDifferential.ts): conv l's column lies in the image of the differential of its gradient over every array
 *   above and the directions below of the form T_{l-1}(w_{l-1}) Δ + T_{l-1}(dw) z_{l-2} + B db σ, so its rank is ≤ ϑ_l
 *   (docs/cnn.md#bias-the-differential-of-a-convolutions-gradient).
 *
 * π̃°_l is checked against the augmented patch matrix built independently (dense Toeplitz products, the biases, the unit
 * kernels of conv l) at random integer points (a rank at a point never exceeds the generic rank); κ̃_{l,m} against
 * rank B_m + rank B_{m+1} − rank [B_m; B_{m+1}] of exact bias functional Hessians (two primes); x̃_L, which reads μ̃, against
 * the rank of the dense column block (also in biasColumns.test.ts); and the bounds on CNNs where they give the exact rank
 * (each fails when its term is raised by one). A failure prints the shrunk CNN.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeConvolutional, parseConvolutional, type Convolutional } from '../../src/architecture/convolutional.js';
import { aboveMixingRanks } from '../../src/cnn/aboveMixing.js';
import { columnDifferentialRank } from '../../src/cnn/columnDifferential.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { sampleConvolutionalInstance } from '../../src/cnn/convolutionalInstance.js';
import { convolutionalGeometry, usedLayer } from '../../src/cnn/geometry.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { patchSpanRank } from '../../src/cnn/patchSpan.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { toeplitzMatrix } from '../../src/cnn/toeplitz.js';
import { biasGenericPatchSpans, convolutionalScope } from '../../src/cnn/vocabulary.js';
import { exactFields, rankModPrime } from '../../src/linalg/exactRank.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';
import { RandomStream } from '../../src/numeric/random.js';

const stacks = convolutionalArbitrary({ convolutions: [2, 3], channels: [1, 4], outputs: [1, 4], bias: true });

function multiply(a: Matrix, b: Matrix): Matrix {
  const out = zeros(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const v = a.data[i * a.cols + k]!;
      if (v !== 0) for (let j = 0; j < b.cols; j++) out.data[i * b.cols + j]! += v * b.data[k * b.cols + j]!;
    }
  return out;
}

/** The augmented patch matrix of `images` random augmented images at map l−1 under random kernels and biases: rows (image, used window of conv l), columns (channel, offset), then σ. */
function augmentedPatchesAtPoint(net: Convolutional, l: number, images: number, random: RandomStream): Matrix {
  const c = convolutionalGeometry(net).channels;
  let Z = zeros(c[0]! * net.input.reduce((a, b) => a * b, 1), images);
  for (let i = 0; i < Z.data.length; i++) Z.data[i] = random.integer(1, 9);
  const sigma = Array.from({ length: images }, () => random.integer(1, 9));
  for (let j = 1; j < l; j++) {
    const { layer } = usedLayer(net, j);
    const kernel = Array.from({ length: layer.outputChannels * layer.inputChannels * layer.kernel.reduce((a, b) => a * b, 1) }, () => random.integer(1, 9));
    Z = multiply(toeplitzMatrix(layer, kernel), Z);
    // B_j b_j σ_k: channel o's bias at every position of map j
    const positions = Z.rows / layer.outputChannels;
    const bias = Array.from({ length: layer.outputChannels }, () => random.integer(1, 9));
    for (let row = 0; row < Z.rows; row++) for (let k = 0; k < images; k++) Z.data[row * images + k]! += bias[Math.floor(row / positions)]! * sigma[k]!;
  }
  const { layer, rows } = usedLayer(net, l);
  const positions = rows.length / layer.outputChannels;
  const window = layer.inputChannels * layer.kernel.reduce((a, b) => a * b, 1);
  const P = zeros(images * positions, window + 1);
  for (let column = 0; column < window; column++) {
    // the unit kernel of output channel 0 at (input channel, offset) = column reads that patch entry at every window
    const unit = new Array<number>(layer.outputChannels * window).fill(0);
    unit[column] = 1;
    const read = multiply(toeplitzMatrix(layer, unit), Z);
    for (let k = 0; k < images; k++) for (let t = 0; t < positions; t++) P.data[(k * positions + t) * (window + 1) + column] = read.data[rows[t]! * images + k]!;
  }
  for (let k = 0; k < images; k++) for (let t = 0; t < positions; t++) P.data[(k * positions + t) * (window + 1) + window] = sigma[k]!;
  return P;
}

function block(m: Matrix, rows: [number, number][], cols: [number, number]): Matrix {
  const height = rows.reduce((a, [from, to]) => a + to - from, 0);
  const out = zeros(height, cols[1] - cols[0]);
  let at = 0;
  for (const [from, to] of rows)
    for (let i = from; i < to; i++, at++) out.data.set(m.data.subarray(i * m.cols + cols[0], i * m.cols + cols[1]), at * (cols[1] - cols[0]));
  return out;
}

describe('π̃°_l is the rank of the augmented patches of s̃ augmented images at map l−1 at generic kernels and biases', () => {
  it('never below the rank at a random integer point, and equal to it at almost every point (40 random bias CNNs)', () => {
    let compared = 0;
    let equal = 0;
    fc.assert(
      fc.property(stacks, fc.integer({ min: 1, max: 4 }), (net, images) => {
        const random = new RandomStream(net.samples * 7919 + images);
        for (let l = 2; l <= net.layers.length; l++) {
          const G = convolutionalGeometry(net);
          // the count handed over: the augmented patch matrix's columns and rows
          const span = patchSpanRank(net, l, images, Math.min(G.channels[l - 1]! * G.kernel[l - 1]! + 1, images * G.used[l]!), true);
          if (span === undefined) continue;
          const rank = rankModPrime(augmentedPatchesAtPoint(net, l, images, random), exactFields[0]!);
          compared++;
          if (rank === span) equal++;
          expect(rank, `${describeConvolutional(net)}, conv ${l}, ${images} images: the augmented patches have rank ${rank} at a point, π̃° = ${span}`).toBeLessThanOrEqual(span);
        }
      }),
      { numRuns: 40, seed: 43 },
    );
    expect(compared).toBeGreaterThan(30);
    expect(equal).toBeGreaterThanOrEqual(compared - 2);
  });
});

describe('with bias, the blocks of layers m and m + 1 above conv l share κ̃_{l,m} dimensions of its (kernel, bias) column', () => {
  it('on 30 random bias CNNs with 2–3 convolutions (exact functional Hessians, two primes)', () => {
    let above = 0;
    fc.assert(
      fc.property(stacks, (net) => {
        const instance = sampleConvolutionalInstance(net, { seed: 37, integer: true });
        const functional = exactFields.slice(0, 2).map((field) => ({ field, HF: new LinearNetworkHessian(instance, field).parts().functional }));
        const Lc = net.layers.length;
        const sb = Math.min(net.samples, (convolutionalScope(net).r as number) + 1, net.outputs);
        const kappa = aboveMixingRanks(net, net.outputs, sb, Array.from({ length: Lc - 1 }, (_, i) => i + 1), true);
        const o = [...instance.offsets, instance.parameters];
        const range = (layer: number): [number, number] => [o[layer - 1]!, o[layer]!];
        for (let l = 1; l < Lc; l++) {
          for (let m = l + 1; m <= Lc; m++) {
            const k = kappa[l]?.[m];
            if (k === undefined) continue;
            const dims = functional.map(({ field, HF }) => {
              const a = rankModPrime(block(HF, [range(m)], range(l)), field);
              const b = rankModPrime(block(HF, [range(m + 1)], range(l)), field);
              const both = rankModPrime(block(HF, [range(m), range(m + 1)], range(l)), field);
              return { sum: a + b, shared: a + b - both };
            });
            const best = dims.reduce((x, y) => (y.sum > x.sum ? y : x));
            if (k > 1) above++;
            expect(k, `${describeConvolutional(net)}, bias, N = ${net.samples}: layers ${m} and ${m + 1} share ${best.shared} dimensions in conv ${l}'s column, κ̃ = ${k}`).toBeLessThanOrEqual(best.shared);
          }
        }
      }),
      { numRuns: 30, seed: 47 },
    );
    // more than the gradient g_l alone is shared on some of them
    expect(above).toBeGreaterThan(5);
  });
});

describe('each (kernel, bias) column of conv l ≥ 2 has rank ≤ ϑ_l', () => {
  it('on 30 random bias CNNs with 2–3 convolutions (exact functional Hessians, two primes)', () => {
    let below = 0;
    fc.assert(
      fc.property(stacks, (net) => {
        const instance = sampleConvolutionalInstance(net, { seed: 53, integer: true });
        const functional = exactFields.slice(0, 2).map((field) => ({ field, HF: new LinearNetworkHessian(instance, field).parts().functional }));
        const sb = Math.min(net.samples, (convolutionalScope(net).r as number) + 1, net.outputs);
        const o = [...instance.offsets, instance.parameters];
        for (let l = 2; l <= net.layers.length; l++) {
          const columns = o[l]! - o[l - 1]!;
          const theta = columnDifferentialRank(net, l, net.outputs, sb, columns);
          if (theta === undefined) continue;
          if (theta < columns) below++;
          const rank = Math.max(...functional.map(({ field, HF }) => rankModPrime(block(HF, [[0, HF.rows]], [o[l - 1]!, o[l]!]), field)));
          expect(rank, `${describeConvolutional(net)}, bias, N = ${net.samples}: conv ${l}'s column has rank ${rank}, ϑ = ${theta}`).toBeLessThanOrEqual(theta);
        }
      }),
      { numRuns: 30, seed: 59 },
    );
    expect(below).toBeGreaterThan(10);
  });
});

describe('the bias H_F bounds with π̃°, μ̃, κ̃ and ϑ give the exact rank where they did not', () => {
  // [CNN, N, exact rank H_F, the prediction before, x̃_L = the rank of the dense column when the example is about μ̃]
  const cases: [string, number, number, number, number?][] = [
    // conv 3's augmented patches span π̃°_3 = 8 of 9 (the one-channel map 1 read through conv 2's padded windows), and the
    // c_2² = 16 mixings of map 2 lie in conv 3's own 4·8 directions: x̃_4 = τ̃_2 + 32 − 16 = 36 (40 before)
    ['in=11 ch=2; conv k=2 c=1 s=2; conv k=3 c=4 s=2 pad=1; conv k=2 c=4 pad=1; K=3', 41, 93, 97, 36],
    // conv 2's augmented patches span π̃°_2 = 12 of 13, of which the mixings of map 1 fill μ̃_2: x̃_3 = 24 (26 before)
    ['in=5x5 ch=2; conv k=1 c=4; conv k=2 c=2 s=2 pad=1; K=4', 34, 65, 67, 24],
    // conv 1's column: the blocks of conv 2 and conv 3 share the c_2² = 4 mixings of map 2, the blocks of conv 3 and the dense layer
    // those of map 3 (the bias-free example of the shared mixings)
    ['in=6 ch=2; conv k=3 c=3 s=2 pad=1; conv k=1 c=2 s=2; conv k=2 c=3 s=2; K=2', 9, 36, 38],
    // ϑ_3: conv 3's column 16 = c_3 π̃°_3 + 8 (18 before): conv 1 reaches every value of map 1 on the one image, and the
    // differential of conv 3's gradient counts what those directions add to R^2 ⊗ Π̃_3
    ['in=5x3 ch=2; conv k=3 c=4 s=2 pad=1; conv k=3 c=2 pad=1; conv k=2 c=2 s=2 pad=1; K=4', 1, 84, 86],
    // ϑ_3: conv 3's column 26 = 24 + 6 − 4 (30 before), the directions below sharing 4 dimensions with R^3 ⊗ Π̃_3
    ['in=4x4; conv k=3 c=1 s=2; conv k=2 c=1 pad=1; conv k=3 c=3 pad=1; K=2', 20, 57, 61],
    // ϑ_2: conv 2's column 58 (60 before)
    ['in=5x4; conv k=2 c=4 pad=1; conv k=2 c=4; conv k=3 c=1; K=4', 9, 139, 141],
  ];
  for (const [text, samples, exact, before, dense] of cases) {
    it(`${text}, bias, N = ${samples}: rank H_F = ${exact} = predicted (${before} before)`, () => {
      const net = parseConvolutional(text, { samples, bias: true });
      const measured = measureConvolutional(net, { exact: true, quantities: ['HF'] });
      expect(measured.ranks.HF).toBe(exact);
      const prediction = predictConvolutional(net, { dataRank: measured.r });
      expect(prediction.ranks.HF).toBe(exact);
      expect(before).toBeGreaterThan(exact);
      if (dense !== undefined) {
        const xb = prediction.scope.xb as number[];
        expect(xb[xb.length - 1]).toBe(dense);
        const instance = sampleConvolutionalInstance(net, { seed: 3, integer: true });
        const HF = new LinearNetworkHessian(instance, exactFields[0]!).parts().functional;
        expect(rankModPrime(block(HF, [[0, HF.rows]], [instance.offsets[instance.offsets.length - 1]!, instance.parameters]), exactFields[0]!)).toBe(dense);
      }
      expect(biasGenericPatchSpans(net, measured.r).length).toBe(net.layers.length + 1);
    });
  }
});
