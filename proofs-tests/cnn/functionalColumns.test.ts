/**
 * Theorem check for the columns of H_F (docs/cnn.md#several-convolutions-the-columns-of-h_f,
 * src/cnn/functionalColumns.ts):
 *
 *   for every layer l (conv 1..L−1, then the dense layer) the column block of H_F (every row, layer l's
 *   columns) has rank ≤ col_l, so rank H_F ≤ Σ_l col_l (cnn-columns-HF).
 *
 * Checked on exact functional Hessians over two prime fields (a rank over Z/PZ never exceeds the rank
 * over Q, so a block rank above col_l is a real counterexample; a failure prints the shrunk CNN), and the
 * bound against exact ranks of H_F on named CNNs where it is the exact rank and the other entries are not.
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

/** 2–3 convolutions, thin layers and 1×1 kernels common, N on both sides of d */
const stacks = convolutionalArbitrary({ convolutions: [2, 3], channels: [1, 4], outputs: [1, 4] });

function columns(m: Matrix, from: number, to: number): Matrix {
  const out = zeros(m.rows, to - from);
  for (let i = 0; i < m.rows; i++) out.data.set(m.data.subarray(i * m.cols + from, i * m.cols + to), i * (to - from));
  return out;
}

describe('each column block of H_F has rank ≤ col_l', () => {
  it('on 40 random CNNs with 2–3 convolutions (exact functional Hessians, two primes)', () => {
    let belowParameters = 0;
    fc.assert(
      fc.property(stacks, (net) => {
        const instance = sampleConvolutionalInstance(net, { seed: 12, integer: true });
        const functional = exactFields.slice(0, 2).map((field) => ({ field, HF: new LinearNetworkHessian(instance, field).parts().functional }));
        const cf = convolutionalScope(net).cf as number[];
        const offsets = [...instance.offsets, instance.parameters];
        expect(cf.length).toBe(offsets.length - 1);
        let total = 0;
        for (let l = 1; l < offsets.length; l++) {
          const rank = Math.max(...functional.map(({ field, HF }) => rankModPrime(columns(HF, offsets[l - 1]!, offsets[l]!), field)));
          total += rank;
          if (cf[l - 1]! < offsets[l]! - offsets[l - 1]!) belowParameters++;
          expect(rank, `${describeConvolutional(net)}, N = ${net.samples}: layer ${l}'s column block has rank ${rank}, col_${l} = ${cf[l - 1]}`).toBeLessThanOrEqual(cf[l - 1]!);
        }
        const rankHF = Math.max(...functional.map(({ field, HF }) => rankModPrime(HF, field)));
        expect(rankHF, `${describeConvolutional(net)}, N = ${net.samples}: rank H_F ${rankHF} > Σ col_l`).toBeLessThanOrEqual(total);
      }),
      { numRuns: 40, seed: 17 },
    );
    // the bounds cut below the parameter counts, not only restate them
    expect(belowParameters).toBeGreaterThan(20);
  });
});

describe('cnn-columns-HF is the exact rank where the block recursions were not', () => {
  const cases: [string, number, number, number][] = [
    // the counterexample to counting only conv 3's directions: conv 2's column block has rank 14 < 24
    ['in=5 ch=2; conv k=1 c=4 s=2; conv k=2 c=3 s=2; conv k=2 c=2 s=2 pad=1; K=4', 9, 36, 39],
    // conv 2 between a 4-channel conv 1 and a one-channel conv 3: its upper block is what conv 3 reaches
    ['in=9; conv k=2 c=3 s=2 pad=1; conv k=2 c=4 s=2 pad=1; conv k=3 c=1 pad=1; K=4', 20, 47, 54],
    // the patches of map 1 are conv 1 applied to windows of c_0 g_2 = 4 inputs: π_2 = 4, not 5
    ['in=6; conv k=2 c=2 pad=1; conv k=3 c=4; conv k=2 c=3; K=1', 9, 59, 62],
    // map 2 carries one channel of two (h_2 = 1): conv 3's block leaves R^3 ⊗ 𝒲 through ρ_3 = 1 direction only
    ['in=3x4; conv k=3 c=1 pad=1; conv k=1 c=2; conv k=2 c=3 s=2; K=3', 7, 42, 44],
    // a widening 1×1 conv 3 adds (c_3 − c_2) min(h_2, s u_3) = 4 to the stack tangent: x_4 = 28 = rank E (31 before)
    ['in=4x3; conv k=2 c=3; conv k=2 c=2 pad=1; conv k=1 c=4; K=1', 7, 72, 75],
    // conv 2's values on s = 3 images are a 3 × 3 matrix of rank ≤ h_2 = 2: τ_2 ≤ 2·(3 + 3 − 2) = 8 = rank E (9 before)
    ['in=5 ch=2; conv k=2 c=1 s=2; conv k=2 c=3; K=3', 20, 18, 19],
  ];
  for (const [text, samples, exact, before] of cases) {
    it(`${text}, N = ${samples}: rank H_F = ${exact} (${before} before)`, () => {
      const net = parseConvolutional(text, { samples });
      const measured = measureConvolutional(net, { exact: true, quantities: ['HF'] });
      expect(measured.ranks.HF).toBe(exact);
      const prediction = predictConvolutional(net, { dataRank: measured.r });
      expect(prediction.ranks.HF).toBe(exact);
      const cf = prediction.scope.cf as number[];
      expect(cf.reduce((a, b) => a + b, 0)).toBe(exact);
    });
  }
});
