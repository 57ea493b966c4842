/**
 * Theorem check for the columns of H_F with bias (docs/cnn.md#bias-the-columns-of-h_f,
 * src/cnn/functionalColumns.ts biasFunctionalColumns):
 *
 *   for every layer l (conv 1..L−1 with its bias, then the dense layer) the column block of H_F (every row,
 *   layer l's columns) has rank ≤ col̃_l, so rank H_F ≤ Σ_l col̃_l (cnn-bias-columns-HF); the last block is
 *   Eᵀ, so this also checks x̃_L and the stack tangent τ̃_{L-1} with its two new terms: conv i's own directions
 *   less the mixings and shifts of map i−1, c_i(ϖ e_i + 1) − min(c_i e_i, c_{i-1}) ϖ − [unpadded] min(c_i, c_{i-1}),
 *   and for a 1×1 conv i, (c_i − c_{i-1})_+ min(ω*_{i-1} + 1, s̃ u_i).
 *
 * Checked on exact functional Hessians over two prime fields (a rank over Z/PZ never exceeds the rank
 * over Q, so a block rank above col̃_l is a real counterexample; a failure prints the shrunk CNN), and the
 * bound against exact ranks of H_F on named CNNs where it is the exact rank and the other entries were not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { sampleConvolutionalInstance } from '../../src/cnn/convolutionalInstance.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';
import { exactFields, rankModPrime } from '../../src/linalg/exactRank.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';

/** 2–3 convolutions with bias, thin layers and 1×1 kernels common, N on both sides of d */
const stacks = convolutionalArbitrary({ convolutions: [2, 3], channels: [1, 4], outputs: [1, 4], bias: true });

function columns(m: Matrix, from: number, to: number): Matrix {
  const out = zeros(m.rows, to - from);
  for (let i = 0; i < m.rows; i++) out.data.set(m.data.subarray(i * m.cols + from, i * m.cols + to), i * (to - from));
  return out;
}

describe('with bias, each (kernel, bias) column block of H_F has rank ≤ col̃_l', () => {
  it('on 50 random bias CNNs with 2–3 convolutions (exact functional Hessians, two primes)', () => {
    let belowParameters = 0;
    let belowOthers = 0;
    fc.assert(
      fc.property(stacks, (net) => {
        const instance = sampleConvolutionalInstance(net, { seed: 14, integer: true });
        const functional = exactFields.slice(0, 2).map((field) => ({ field, HF: new LinearNetworkHessian(instance, field).parts().functional }));
        const cfb = convolutionalScope(net).cfb as number[];
        const offsets = [...instance.offsets, instance.parameters];
        expect(cfb.length).toBe(offsets.length - 1);
        let total = 0;
        for (let l = 1; l < offsets.length; l++) {
          const rank = Math.max(...functional.map(({ field, HF }) => rankModPrime(columns(HF, offsets[l - 1]!, offsets[l]!), field)));
          total += cfb[l - 1]!;
          if (cfb[l - 1]! < offsets[l]! - offsets[l - 1]!) belowParameters++;
          expect(rank, `${describeConvolutional(net)}, N = ${net.samples}: layer ${l}'s column block has rank ${rank}, col̃_${l} = ${cfb[l - 1]}`).toBeLessThanOrEqual(cfb[l - 1]!);
        }
        const rankHF = Math.max(...functional.map(({ field, HF }) => rankModPrime(HF, field)));
        expect(rankHF, `${describeConvolutional(net)}, N = ${net.samples}: rank H_F ${rankHF} > Σ col̃_l = ${total}`).toBeLessThanOrEqual(total);
        const prediction = predictConvolutional(net);
        if (prediction.formulas.HF?.formula === 'cnn-bias-columns-HF') belowOthers++;
      }),
      { numRuns: 50, seed: 21 },
    );
    // the bounds cut below the parameter counts, and the entry is the smallest bias H_F bound on some of them
    expect(belowParameters).toBeGreaterThan(30);
    expect(belowOthers).toBeGreaterThan(3);
  });
});

describe('cnn-bias-columns-HF and the new terms of τ̃ give the exact rank where the bias entries did not', () => {
  // [CNN, N, exact rank H_F, the smallest bound before, x̃_L = rank E when the example is about τ̃]
  const cases: [string, number, number, number, number?][] = [
    // conv 2's column: its augmented patches span the 3-dimensional model space [w1 α + b1 γ; w1 β + b1 γ; γ], and only the
    // (c1 − ω*_1)(c0 e1 + 1) = 4 directions of conv 1 off span(w1) take G(a, dz̃) out of R^4 ⊗ it: 12 + 4 = 16 of 28
    ['in=8; conv k=1 c=3; conv k=2 c=4; K=1', 3, 34, 36],
    // conv 1's column: the layers above conv 2 reach it only through the s̃ c2 u2 = 3 values they send to the one-channel map 2
    ['in=11 ch=2; conv k=2 c=4 s=2; conv k=3 c=1; conv k=1 c=4; K=1', 1, 44, 50],
    // the dense column: the one-channel conv 3 pads, ϖ = 2, its 1·(2·4 + 1) own directions contain min(4, 2)·2 mixings of map 2
    ['in=6x4; conv k=1 c=3; conv k=2 c=2 s=2; conv k=2 c=1 pad=1; K=4', 50, 44, 59, 15],
    // a widening 1×1 conv 3 adds (c3 − c2) min(ω*_2 + 1, s̃ u_3) = 2·3 to τ̃_2: x̃_4 = 30 (35 before), through the recursion
    ['in=4x3; conv k=3 c=1 pad=1; conv k=3 c=2 pad=1; conv k=1 c=4; K=3', 1, 72, 77, 30],
  ];
  for (const [text, samples, exact, before, dense] of cases) {
    it(`${text}, bias, N = ${samples}: rank H_F = ${exact} (${before} before)`, () => {
      const net = parseConvolutional(text, { samples, bias: true });
      const measured = measureConvolutional(net, { exact: true, quantities: ['HF'] });
      expect(measured.ranks.HF).toBe(exact);
      const prediction = predictConvolutional(net, { dataRank: measured.r });
      expect(prediction.ranks.HF).toBe(exact);
      expect(before).toBeGreaterThan(exact);
      if (dense !== undefined) {
        const xb = prediction.scope.xb as number[];
        expect(xb[xb.length - 1]).toBe(dense);
        // the dense layer's column block is Eᵀ: its exact rank is x̃_L here
        const instance = sampleConvolutionalInstance(net, { seed: 3, integer: true });
        const HF = new LinearNetworkHessian(instance, exactFields[0]!).parts().functional;
        expect(rankModPrime(columns(HF, instance.offsets[instance.offsets.length - 1]!, instance.parameters), exactFields[0]!)).toBe(dense);
      } else {
        expect((prediction.scope.cfb as number[]).reduce((a, b) => a + b, 0)).toBe(exact);
      }
    });
  }
});
