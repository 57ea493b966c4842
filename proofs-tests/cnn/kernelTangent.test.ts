/**
 * Theorem check for the one-convolution H_O bound through κ_t (docs/cnn.md#one-convolution-outer-product-hessian):
 *
 *   κ_t = dim({W T(dw)} + R^K ⊗ row T(w)) − K rank T(w)   (src/cnn/kernelTangent.ts, a generic rank on full-rank data)
 *   rank H_O ≤ K z + min(a(r − z), κ_t)            (cnn-one-conv-tangent-HO),
 *   rank H_O ≤ K z̃ + min(a(r̃ − z̃), κ_t)           (cnn-bias-one-conv-tangent-HO, with bias),
 *
 * with equality on full-rank data (N > c_0 u_0), where the tangent space is all of {W T(dw) + dW T(w)} (and the
 * dense bias): rank H_O = K t_1 + κ_t (K (t_1 + 1) + κ_t with bias). Checked against exact ranks of random 1D
 * and 2D one-convolution CNNs with strides and paddings; and the example whose windows meet at one input,
 * where κ_t is below the count c_1 max(0, c_0 e_1 − c_1). A failure prints the shrunk case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutional, describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { findFormula } from '../../src/catalog/catalog.js';
import { evaluateFormula } from '../../src/catalog/predict.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';

const oneConvolution = (fullRankData: boolean) =>
  fc
    .record({
      dims: fc.constantFrom(1, 2),
      sides: fc.tuple(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 2, max: 4 })),
      kernels: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })),
      strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 })),
      pads: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
      c0: fc.integer({ min: 1, max: 2 }),
      c1: fc.integer({ min: 1, max: 3 }),
      K: fc.integer({ min: 1, max: 3 }),
      fraction: fc.integer({ min: 0, max: 999 }),
      bias: fc.boolean(),
    })
    .map((x) => {
      const axes = x.dims === 1 ? [0] : [0, 1];
      const kernel = axes.map((a) => x.kernels[a]!);
      const padding = axes.map((a) => Math.min(x.pads[a]!, kernel[a]! - 1));
      const input = axes.map((a) => Math.max(x.sides[a]!, kernel[a]! - 2 * padding[a]!));
      const d = x.c0 * input.reduce((a, b) => a * b, 1);
      const samples = fullRankData ? d + 2 : 1 + Math.floor((x.fraction / 1000) * (2 * d + 2));
      return convolutional({ input, inputChannels: x.c0, layers: [{ kernel, stride: axes.map((a) => x.strides[a]!), padding, channels: x.c1 }], outputs: x.K, samples, bias: x.bias });
    });

const entry = (bias: boolean) => findFormula(bias ? 'cnn-bias-one-conv-tangent-HO' : 'cnn-one-conv-tangent-HO');

describe('one convolution: the kernel adds κ_t directions to the dense layer', () => {
  it('on full-rank data rank H_O = K t_1 + κ_t (K (t_1 + 1) + κ_t with bias), and the entry equals it (exact ranks)', () => {
    fc.assert(
      fc.property(oneConvolution(true), (net) => {
        const measured = measureConvolutional(net, { exact: true, seed: 5 });
        const scope = convolutionalScope(net, measured.r);
        const t1 = (scope.t as number[])[0]!;
        const expected = net.outputs * (t1 + (net.bias ? 1 : 0)) + (scope.kt as number);
        const text = `${describeConvolutional(net)}: t_1 = ${t1}, κ_t = ${scope.kt}, rank H_O = ${measured.ranks.HO}`;
        expect(measured.ranks.HO, text).toBe(expected);
        expect(evaluateFormula(entry(net.bias), scope), text).toBe(expected);
      }),
      { numRuns: 50, seed: 61 },
    );
  });

  it('the bound holds for every number of samples (exact ranks)', () => {
    fc.assert(
      fc.property(oneConvolution(false), (net) => {
        const measured = measureConvolutional(net, { exact: true, seed: 6 });
        const bound = evaluateFormula(entry(net.bias), convolutionalScope(net, measured.r));
        expect(measured.ranks.HO, `${describeConvolutional(net)}: bound ${bound}`).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 50, seed: 62 },
    );
  });

  it('in=5x3 ch=2; conv k=3 c=1 s=2 pad=1; K=1, N = 51: κ_t = 13 below the count 17, rank H_O = 6 + 13 = 19 (20 with bias)', () => {
    for (const bias of [false, true]) {
      const net = parseConvolutional('in=5x3 ch=2; conv k=3 c=1 s=2 pad=1; K=1', { samples: 51, bias });
      const measured = measureConvolutional(net, { exact: true });
      const scope = convolutionalScope(net, measured.r);
      expect(scope.kt).toBe(13);
      expect(evaluateFormula(findFormula(bias ? 'cnn-bias-one-conv-HO' : 'cnn-one-conv-HO'), scope)).toBe(bias ? 24 : 23);
      expect(measured.ranks.HO).toBe(bias ? 20 : 19);
      expect(evaluateFormula(entry(bias), scope)).toBe(bias ? 20 : 19);
    }
  });
});
