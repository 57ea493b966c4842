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
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';

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

/** 2–3 convolutions, 1D or 2D, stride and padding, narrow layers, N on both sides of d: where the dense layer's null directions are many */
const deeper = convolutionalArbitrary({ convolutions: [2, 3], channels: [1, 3], outputs: [1, 3] });

describe('counting the null directions of the dense layer (docs/cnn.md#counting-the-null-directions-of-the-dense-layer)', () => {
  it('rank H ≤ P_L + K z + min(s(m − z), x_L − 1, c_{L-1} min(c_{L-2} e_{L-1}, s n_{L-1}) − 1 + s(t_{L-1} − z)), m = c_{L-1} n_{L-1} (exact ranks)', () => {
    let tight = 0;
    fc.assert(
      fc.property(deeper, (net) => {
        const m = measureConvolutional(net, { exact: true, seed: 4 });
        const scope = convolutionalScope(net, m.r);
        const L = scope.L as number;
        const [c, e, n, t, x, P] = (['c', 'e', 'n', 't', 'x', 'P'] as const).map((k) => scope[k] as number[]);
        const s = scope.s as number;
        const K = scope.K as number;
        const z = Math.min(m.r, ...t);
        const last = L - 2; // 0-based index of the last convolution in c, e, n, t
        const width = c[last]! * n[last]!;
        const top = c[last]! * Math.min(c[last - 1]! * e[last]!, s * n[last]!) - 1 + s * (t[last]! - z);
        const bound = P[L - 1]! + K * z + Math.min(s * (width - z), x[L - 1]! - 1, top);
        expect(m.ranks.H, `${describeConvolutional(net)}: rank H = ${m.ranks.H}, bound ${bound}`).toBeLessThanOrEqual(bound);
        if (m.ranks.H === bound) tight++;
      }),
      { numRuns: 60, seed: 23 },
    );
    // the count is the exact rank on a share of them (it cannot be everywhere: the other layers have null directions too)
    expect(tight).toBeGreaterThan(5);
  });

  it('in=9; conv k=2 c=1; conv k=2 c=3 pad=1; K=2, N = 20: 33 null directions in W, rank H = 62 − 33 = 29, the prediction', () => {
    const net = parseConvolutional('in=9; conv k=2 c=1; conv k=2 c=3 pad=1; K=2', { samples: 20 });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(29);
    const prediction = predictConvolutional(net);
    expect(prediction.ranks.H).toBe(29);
    expect(prediction.formulas.H?.formula).toBe('cnn-dense-tangent-H');
  });
});
