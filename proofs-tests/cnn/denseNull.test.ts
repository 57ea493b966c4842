/**
 * Theorem check for the null directions of H in the dense layer (docs/cnn.md#null-directions-of-the-dense-layer):
 *
 *   rank H ≤ P_L + K z + s(c_{L-1} n_{L-1} − z) − (c_{L-1} − c_{L-2} e_{L-1})_+ (s n_{L-1} − c_{L-2} e_{L-1})_+,
 *
 * z = min(r, t_1, …, t_{L-1}) (the last terms of cnn-one-conv-H and cnn-dense-null-H). Checked against
 * exact ranks over two prime fields on random CNNs drawn where the second family exists (more channels
 * than kernel entries, more sample-positions than kernel entries); a failure prints the shrunk CNN.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutional, convolvedSize, describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';

/** wide last convolutions with small kernels and a few samples: c_{L-1} > c_{L-2} e_{L-1} and s n_{L-1} > c_{L-2} e_{L-1} are common */
const arbitrary = fc
  .record({
    length: fc.integer({ min: 5, max: 10 }),
    c0: fc.integer({ min: 1, max: 2 }),
    layers: fc.array(fc.record({ k: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 2, max: 6 }) }), { minLength: 1, maxLength: 2 }),
    K: fc.integer({ min: 1, max: 3 }),
    samples: fc.integer({ min: 1, max: 12 }),
  })
  .map((d) => {
    let size = d.length;
    const layers = d.layers.map((l) => {
      const kernel = Math.min(l.k, size);
      size = convolvedSize(size, kernel, l.s, 0);
      return { kernel, stride: l.s, channels: l.c };
    });
    return convolutional({ input: [d.length], inputChannels: d.c0, layers, outputs: d.K, samples: d.samples });
  });

describe('H annihilates the dense-layer directions dW with dW Z = 0 and no coupling to the kernels', () => {
  it('rank H ≤ P_L + K z + s(c_{L-1} n_{L-1} − z) − (c_{L-1} − c_{L-2} e_{L-1})_+ (s n_{L-1} − c_{L-2} e_{L-1})_+ (exact ranks, one and two convolutions)', () => {
    let withSecondFamily = 0;
    fc.assert(
      fc.property(arbitrary, (net) => {
        const m = measureConvolutional(net, { exact: true, seed: 9 });
        const scope = convolutionalScope(net, m.r);
        const c = [net.inputChannels, ...net.layers.map((l) => l.channels)];
        const L = net.layers.length; // index of the last convolution
        const e = scope.e as number[];
        const n = scope.n as number[];
        const s = scope.s as number;
        const K = scope.K as number;
        const z = Math.min(m.r, ...(scope.t as number[]));
        const outputs = c[L]! * n[L - 1]!;
        const second = Math.max(0, c[L]! - c[L - 1]! * e[L - 1]!) * Math.max(0, s * n[L - 1]! - c[L - 1]! * e[L - 1]!);
        if (second > 0) withSecondFamily++;
        const bound = (scope.P as number[])[L]! + K * z + s * (outputs - z) - second;
        expect(m.ranks.H, `${describeConvolutional(net)}: rank H = ${m.ranks.H}, bound ${bound}`).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 60, seed: 21 },
    );
    expect(withSecondFamily).toBeGreaterThan(5);
  });

  it('the one-convolution miss it explains: in=6; conv k=3 c=4 s=2; K=2, N = 14 has rank H = 27 = 28 − 1 (one null direction in W)', () => {
    const net = parseConvolutional('in=6; conv k=3 c=4 s=2; K=2', { samples: 14 });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(27);
    expect(predictConvolutional(net).ranks.H).toBe(27);
  });
});
