/**
 * Theorem check for the patches at a generic point (docs/cnn.md#several-convolutions-the-patches-at-a-generic-point,
 * src/cnn/patchSpan.ts):
 *
 *   conv i's own directions on the s images, T_i(dw_i) Z_{i-1}, span c_i π°_i, π°_i the generic rank of the patch
 *   matrix of the s images at map i−1; so τ_i ≤ Σ_{l<i} y_l + c_i π°_i, τ_i ≤ τ_{i-1} + c_i π°_i − 1 and, the channel
 *   mixings of conv l being absorbed by conv l+1, τ_i ≤ Σ_{l<i} c_l (π_l − c_l)_+ + c_i π_i; and every
 *   block bound x_j and column bound col_l that reads them holds.
 *
 * π°_l is checked against the patch matrix built independently (dense Toeplitz products and the unit kernels of
 * conv l) at random integer points: a rank at a point never exceeds the generic rank, and reaches it at almost every
 * point. The bounds are checked against exact functional Hessians (two primes; a failure prints the shrunk CNN), and
 * on the CNNs where the new terms give the exact rank.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { sampleConvolutionalInstance } from '../../src/cnn/convolutionalInstance.js';
import { convolutionalGeometry, usedLayer } from '../../src/cnn/geometry.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { toeplitzMatrix } from '../../src/cnn/toeplitz.js';
import { convolutionalScope, patchSpans } from '../../src/cnn/vocabulary.js';
import { exactFields, rankModPrime } from '../../src/linalg/exactRank.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';
import { RandomStream } from '../../src/numeric/random.js';

const stacks = convolutionalArbitrary({ convolutions: [2, 3], channels: [1, 4], outputs: [1, 4] });

function multiply(a: Matrix, b: Matrix): Matrix {
  const out = zeros(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const v = a.data[i * a.cols + k]!;
      if (v !== 0) for (let j = 0; j < b.cols; j++) out.data[i * b.cols + j]! += v * b.data[k * b.cols + j]!;
    }
  return out;
}

/** The patch matrix of `images` random images at map l−1 under random kernels: rows (image, used window of conv l), columns (channel, offset). */
function patchMatrixAtPoint(net: ReturnType<typeof parseConvolutional>, l: number, images: number, random: RandomStream): Matrix {
  const c = convolutionalGeometry(net).channels;
  let Z = zeros(c[0]! * net.input.reduce((a, b) => a * b, 1), images);
  for (let i = 0; i < Z.data.length; i++) Z.data[i] = random.integer(1, 9);
  for (let j = 1; j < l; j++) {
    const { layer } = usedLayer(net, j);
    const kernel = Array.from({ length: layer.outputChannels * layer.inputChannels * layer.kernel.reduce((a, b) => a * b, 1) }, () => random.integer(1, 9));
    Z = multiply(toeplitzMatrix(layer, kernel), Z);
  }
  const { layer, rows } = usedLayer(net, l);
  const positions = rows.length / layer.outputChannels;
  const width = layer.inputChannels * layer.kernel.reduce((a, b) => a * b, 1);
  const P = zeros(images * positions, width);
  for (let column = 0; column < width; column++) {
    // the unit kernel of output channel 0 at (input channel, offset) = column reads that patch entry at every window
    const unit = new Array<number>(layer.outputChannels * width).fill(0);
    unit[column] = 1;
    const read = multiply(toeplitzMatrix(layer, unit), Z);
    for (let k = 0; k < images; k++) for (let t = 0; t < positions; t++) P.data[(k * positions + t) * width + column] = read.data[rows[t]! * images + k]!;
  }
  return P;
}

describe('π°_l is the rank of the patches of the s images at map l−1 at generic kernels', () => {
  it('never below the rank at a random integer point, and equal to it at almost every point (60 random CNNs)', () => {
    let compared = 0;
    let equal = 0;
    let belowCount = 0;
    fc.assert(
      fc.property(stacks, fc.integer({ min: 1, max: 4 }), (net, images) => {
        const G = convolutionalGeometry(net);
        const spans = patchSpans(net, G, images);
        const random = new RandomStream(net.samples * 7919 + images);
        for (let l = 2; l <= net.layers.length; l++) {
          if (!Number.isFinite(spans[l]!)) continue;
          const P = patchMatrixAtPoint(net, l, images, random);
          const rank = rankModPrime(P, exactFields[0]!);
          compared++;
          if (rank === spans[l]) equal++;
          const count = Math.min(G.channels[l - 1]! * G.effectiveKernel[l - 1]!, G.effectiveChannels[l - 1]! * G.effectiveKernel[l - 1]!, images * G.used[l]!);
          if (spans[l]! < count) belowCount++;
          expect(rank, `${describeConvolutional(net)}, ${images} images: the patches at map ${l - 1} have rank ${rank} at a point, π°_${l} = ${spans[l]}`).toBeLessThanOrEqual(spans[l]!);
        }
      }),
      { numRuns: 60, seed: 23 },
    );
    expect(compared).toBeGreaterThan(50);
    expect(equal).toBeGreaterThanOrEqual(compared - 2);
    // the generic rank is below the count min(c_{l-1} e_l, h_{l-1} e_l, s u_l) on some of them: it is not the count restated
    expect(belowCount).toBeGreaterThan(0);
  });
});

describe('the stack tangent with c_i π°_i bounds the dense column of H_F and every coupling block', () => {
  it('on 40 random CNNs with 2–3 convolutions (exact functional Hessians, two primes)', () => {
    let reduced = 0;
    fc.assert(
      fc.property(stacks, (net) => {
        const instance = sampleConvolutionalInstance(net, { seed: 29, integer: true });
        const functional = exactFields.slice(0, 2).map((field) => ({ field, HF: new LinearNetworkHessian(instance, field).parts().functional }));
        const scope = convolutionalScope(net);
        const x = scope.x as number[];
        const G = convolutionalGeometry(net);
        const spans = patchSpans(net, G, scope.s as number);
        for (let l = 2; l <= net.layers.length; l++) if (spans[l]! < G.effectiveChannels[l - 1]! * G.effectiveKernel[l - 1]!) reduced++;
        const offsets = [...instance.offsets, instance.parameters];
        for (let j = 2; j < offsets.length; j++) {
          // the block coupling layer j (conv j, or the dense layer) to the layers below it
          const rank = Math.max(
            ...functional.map(({ field, HF }) => {
              const B = zeros(offsets[j - 1]!, offsets[j]! - offsets[j - 1]!);
              for (let i = 0; i < offsets[j - 1]!; i++) B.data.set(HF.data.subarray(i * HF.cols + offsets[j - 1]!, i * HF.cols + offsets[j]!), i * B.cols);
              return rankModPrime(B, field);
            }),
          );
          expect(rank, `${describeConvolutional(net)}, N = ${net.samples}: layer ${j}'s coupling to the layers below has rank ${rank}, x_${j} = ${x[j - 1]}`).toBeLessThanOrEqual(x[j - 1]!);
        }
      }),
      { numRuns: 40, seed: 31 },
    );
    expect(reduced).toBeGreaterThan(3);
  });

  const cases: [string, number, number, number][] = [
    // map 2's patches read five entries of the one-channel map 1: π°_3 = 5 < h_2 e_3 = 6, τ_3 ≤ y_1 + y_2 + 4·5 = 23 = rank E (27 before)
    ['in=11 ch=2; conv k=2 c=1 s=2; conv k=3 c=4 s=2 pad=1; conv k=2 c=4 pad=1; K=3', 41, 66, 70],
    // conv 2 and conv 3 pad fully over the one-channel map 1: map 2's patches read three of its entries, π°_3 = 3, τ_3 ≤ 5 + 0 + 3 = 8 (9 before)
    ['in=7 ch=2; conv k=3 c=1 pad=1; conv k=2 c=2 pad=1; conv k=2 c=1 pad=1; K=3', 16, 22, 23],
    // map 1 carries one channel (h_1 = 1): conv 3's windows read three of its positions, π°_3 = 3, τ_3 ≤ 0 + 0 + 3·3 = 9 = rank E (12 before)
    ['in=8; conv k=1 c=2 s=2; conv k=2 c=2 pad=1; conv k=2 c=3 s=2; K=2', 17, 28, 31],
    // conv 1's own directions span c_1 π_1 = 2·4 on the s = 2 images, of which its c_1² = 4 mixings are conv 2's:
    // τ_2 ≤ c_1 (π_1 − c_1) + c_2 π_2 = 4 + 16 = 20 = rank E (23 before: y_1 = c_1 (c_0 e_1 − c_1) = 8)
    ['in=6 ch=2; conv k=3 c=2 s=2; conv k=2 c=4 pad=1; K=2', 20, 44, 47],
  ];
  for (const [text, samples, exact, before] of cases) {
    it(`${text}, N = ${samples}: rank H_F = ${exact} = predicted (${before} before)`, () => {
      const net = parseConvolutional(text, { samples });
      const measured = measureConvolutional(net, { exact: true, quantities: ['HF'] });
      expect(measured.ranks.HF).toBe(exact);
      expect(predictConvolutional(net, { dataRank: measured.r }).ranks.HF).toBe(exact);
    });
  }
});
