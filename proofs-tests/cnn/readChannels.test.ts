/**
 * Theorem check for the channels the layers above read (docs/cnn.md#several-convolutions-functional-hessian):
 *
 *   the block of H_F coupling conv j < L to the layers below it is ⟨Λ_j, T_j(dw_j) d(T_{j-1} ⋯ T_1)⟩ with
 *   Λ_j = (W T_{L-1} ⋯ T_{j+1})ᵀ Σ held at the point. Its channel vectors lie in a space of dimension
 *   ĥ_j (ĥ_{L-1} = min(c_{L-1}, s u_{L-1}), ĥ_l = min(c_l, ĥ_{l+1} e_{l+1})) and it has rank ≤ s_j =
 *   min(s, ĥ_l u_l, l ≥ j), so the block has rank ≤ x_j = min(ĥ_j c_{j-1} e_j, τ_{j-1} on s_j images).
 *
 * Checked on exact functional Hessians over two prime fields (a rank over Z/PZ never exceeds the rank
 * over Q, so a block rank above x_j is a real counterexample), and the recursion's bound on exact
 * ranks; a failure prints the shrunk CNN.
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

/** 2–3 convolutions, thin layers common (1–3 channels, 1×1 kernels), N on both sides of d */
const stacks = convolutionalArbitrary({ convolutions: [2, 3], channels: [1, 3], outputs: [1, 4] });

function block(m: Matrix, rows: [number, number], cols: [number, number]): Matrix {
  const out = zeros(rows[1] - rows[0], cols[1] - cols[0]);
  for (let i = rows[0]; i < rows[1]; i++) out.data.set(m.data.subarray(i * m.cols + cols[0], i * m.cols + cols[1]), (i - rows[0]) * (cols[1] - cols[0]));
  return out;
}

describe('the block of H_F coupling conv j < L to the layers below has rank ≤ x_j', () => {
  it('on 50 random CNNs with 2–3 convolutions (exact functional Hessians, two primes)', () => {
    let reduced = 0;
    fc.assert(
      fc.property(stacks, (net) => {
        const instance = sampleConvolutionalInstance(net, { seed: 8, integer: true });
        const functional = exactFields.slice(0, 2).map((field) => ({ field, HF: new LinearNetworkHessian(instance, field).parts().functional }));
        const scope = convolutionalScope(net);
        const [x, hd, c, e] = (['x', 'hd', 'c', 'e'] as const).map((k) => scope[k] as number[]);
        const channels = [net.inputChannels, ...c];
        const offsets = [...instance.offsets, instance.parameters];
        for (let j = 2; j <= net.layers.length; j++) {
          const rank = Math.max(...functional.map(({ field, HF }) => rankModPrime(block(HF, [0, offsets[j - 1]!], [offsets[j - 1]!, offsets[j]!]), field)));
          if (hd[j - 1]! < channels[j]! && x[j - 1]! < channels[j]! * channels[j - 1]! * e[j - 1]!) reduced++;
          expect(rank, `${describeConvolutional(net)}, N = ${net.samples}: conv ${j}'s coupling block has rank ${rank}, x_${j} = ${x[j - 1]}`).toBeLessThanOrEqual(x[j - 1]!);
        }
      }),
      { numRuns: 50, seed: 61 },
    );
    // the reduction by ĥ_j is exercised, not only the old count
    expect(reduced).toBeGreaterThan(3);
  });
});

describe('a one-channel 1×1 top: conv 2 is read through one channel', () => {
  // ĥ_3 = 1, ĥ_2 = min(4, 1·1) = 1, ĥ_1 = min(4, 1·1) = 1: x_2 = 1·4·1 = 4 (16 before), and the recursion gives the exact rank
  it('in=7 ch=2; conv k=2 c=4 s=2 pad=1; conv k=1 c=4; conv k=1 c=1 s=2; K=4, N = 7: rank H_F = 22 = predicted (31 before)', () => {
    const net = parseConvolutional('in=7 ch=2; conv k=2 c=4 s=2 pad=1; conv k=1 c=4; conv k=1 c=1 s=2; K=4', { samples: 7 });
    const scope = convolutionalScope(net);
    expect(scope.hd).toEqual([1, 1, 1]);
    expect((scope.x as number[])[1]).toBe(4);
    const measured = measureConvolutional(net, { exact: true, quantities: ['HF'] });
    expect(measured.ranks.HF).toBe(22);
    expect(predictConvolutional(net, { dataRank: measured.r }).ranks.HF).toBe(22);
  });
});
