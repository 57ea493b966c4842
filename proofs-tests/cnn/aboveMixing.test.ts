/**
 * Theorem check for the channel mixings the layers above conv l share
 * (docs/cnn.md#several-convolutions-the-layers-above-share-a-channel-mixing, src/cnn/aboveMixing.ts):
 *
 *   for l < m < L the blocks (H_F)_{m,l} and (H_F)_{m+1,l} (rows of layer m or m + 1, columns of conv l) have row
 *   spaces 𝒰_m, 𝒰_{m+1} that share G(da(N), z) for every mixing N of map m: dim(𝒰_m ∩ 𝒰_{m+1}) ≥ κ_{l,m}; so
 *   conv l's column block restricted to the rows above it has rank ≤ U_l = min(c_l π_l, Σ_{m>l} x_m − Σ_{l<m<L} κ_{l,m}).
 *
 * Checked on exact functional Hessians over two prime fields: dim(𝒰_m ∩ 𝒰_{m+1}) = rank B_m + rank B_{m+1} −
 * rank [B_m; B_{m+1}] (ranks modulo a prime never exceed those over Q; the intersection is read at the prime that
 * gives the largest ranks); a failure prints the shrunk CNN. And the CNNs where it gives the exact rank.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { aboveMixingRanks } from '../../src/cnn/aboveMixing.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { sampleConvolutionalInstance } from '../../src/cnn/convolutionalInstance.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';
import { exactFields, rankModPrime } from '../../src/linalg/exactRank.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';

const stacks = convolutionalArbitrary({ convolutions: [2, 3], channels: [1, 4], outputs: [1, 4] });

function block(m: Matrix, rows: [number, number][], cols: [number, number]): Matrix {
  const height = rows.reduce((a, [from, to]) => a + to - from, 0);
  const out = zeros(height, cols[1] - cols[0]);
  let at = 0;
  for (const [from, to] of rows)
    for (let i = from; i < to; i++, at++) out.data.set(m.data.subarray(i * m.cols + cols[0], i * m.cols + cols[1]), at * (cols[1] - cols[0]));
  return out;
}

describe('the blocks of layers m and m + 1 above conv l share κ_{l,m} dimensions', () => {
  it('on 40 random CNNs with 2–3 convolutions (exact functional Hessians, two primes)', () => {
    let above = 0;
    fc.assert(
      fc.property(stacks, (net) => {
        const instance = sampleConvolutionalInstance(net, { seed: 37, integer: true });
        const functional = exactFields.slice(0, 2).map((field) => ({ field, HF: new LinearNetworkHessian(instance, field).parts().functional }));
        const scope = convolutionalScope(net);
        const Lc = net.layers.length;
        const layers = Array.from({ length: Lc - 1 }, (_, i) => i + 1);
        const kappa = aboveMixingRanks(net, net.outputs, scope.s as number, layers);
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
            expect(k, `${describeConvolutional(net)}, N = ${net.samples}: layers ${m} and ${m + 1} share ${best.shared} dimensions in conv ${l}'s column, κ = ${k}`).toBeLessThanOrEqual(best.shared);
          }
        }
      }),
      { numRuns: 40, seed: 41 },
    );
    // more than the gradient g_l alone is shared on some of them
    expect(above).toBeGreaterThan(5);
  });

  const cases: [string, number, number, number][] = [
    // conv 1's column: the blocks of conv 2 (36) and the dense layer (24) share the c_2² = 9 mixings of map 2: U_1 = 51 (54 = c_1 π_1 before)
    ['in=5x4 ch=2; conv k=3 c=3 s=2 pad=1; conv k=2 c=3; K=4', 28, 111, 114],
    // conv 1's column under a 1×1 conv 2: the layers above overlap on it (19 of c_1 π_1 = 24)
    ['in=12 ch=2; conv k=3 c=4; conv k=1 c=4; conv k=3 c=1 s=2; K=2', 41, 54, 59],
    ['in=6 ch=2; conv k=3 c=3 s=2 pad=1; conv k=1 c=2 s=2; conv k=2 c=3 s=2; K=2', 9, 32, 34],
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
