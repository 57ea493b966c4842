/**
 * Theorem check for the cross-entropy and bias CNN formulas (formulas/cnn.json, docs/cnn.md#bias,
 * docs/cnn.md#cross-entropy): on random CNNs every bound holds and every exact formula equals the
 * measured rank — bias exactly over two prime fields, cross-entropy in float64 (τ = σ_max·p·ε) — and
 * the one-convolution predictions are tight. A failure prints the shrunk CNN and the command that
 * reproduces it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutional, describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { convolutionalFamily } from '../../src/family/convolutional/family.js';
import { predictionClaim } from '../../src/verify/claim.js';
import { verify } from '../../src/verify/verify.js';

describe('bias CNNs (affine augmentation), exact ranks', () => {
  for (const quantity of ['HO', 'HF', 'H'] as const) {
    it(`predicted rank(${quantity}) holds on 40 random bias CNNs and equals the rank on every one-convolution CNN`, () => {
      const result = verify(predictionClaim(convolutionalFamily, quantity), { bias: true, runs: 40, seed: 3 });
      expect(result.holds, result.reproduce).toBe(true);
      const [checked, equal] = result.byDepth[1] ?? [0, 0];
      expect(checked).toBeGreaterThan(5);
      expect(equal).toBe(checked);
    });
  }
});

describe('cross-entropy CNNs: the mse formulas with K − 1 outputs, float64 ranks', () => {
  it('s = min(r, K − 1) in the scope', () => {
    const prediction = predictConvolutional(parseConvolutional('in=10 ch=2; conv k=2 c=5; K=3', { samples: 23, loss: 'ce' }));
    expect(prediction.s).toBe(2);
  });
  for (const quantity of ['HO', 'HF', 'H'] as const) {
    it(`predicted rank(${quantity}) holds on 20 random cross-entropy CNNs (bias or not) and is tight on one convolution`, () => {
      const result = verify(predictionClaim(convolutionalFamily, quantity), { loss: 'ce', bias: 'any', runs: 20, seed: 4 });
      expect(result.holds, result.reproduce).toBe(true);
      const [checked, equal] = result.byDepth[1] ?? [0, 0];
      expect(equal).toBe(checked);
    });
  }
});

describe('cross-entropy CNNs are the mse CNNs with K − 1 outputs (measured)', () => {
  it('on 16 random cross-entropy CNNs (bias or not) the float64 ranks of H_O, H_F, H equal the exact ranks of the same CNN with mse loss and K − 1 outputs, and so do the predictions', () => {
    let compared = 0;
    fc.assert(
      fc.property(convolutionalArbitrary({ convolutions: [1, 3], loss: 'ce', bias: 'any', outputs: [2, 4] }), fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const ce = measureConvolutional(net, { seed });
        const mse = convolutional({ input: [...net.input], inputChannels: net.inputChannels, layers: net.layers, outputs: net.outputs - 1, samples: net.samples, bias: net.bias, loss: 'mse', activation: 'linear' });
        const exact = measureConvolutional(mse, { exact: true, seed });
        for (const quantity of ['HO', 'HF', 'H'] as const) {
          if (ce.ranks[quantity] === null) continue; // undetermined in float64: contradicts nothing
          compared++;
          expect(ce.ranks[quantity], `${describeConvolutional(net)}, ${quantity}: cross-entropy ${ce.ranks[quantity]}, mse with K − 1 outputs ${exact.ranks[quantity]}`).toBe(exact.ranks[quantity]);
        }
        expect(predictConvolutional(net, { dataRank: ce.r }).ranks).toEqual(predictConvolutional(mse, { dataRank: exact.r }).ranks);
      }),
      { numRuns: 16, seed: 12 },
    );
    expect(compared).toBeGreaterThan(30);
  });
});
