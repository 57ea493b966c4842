/**
 * Properties of the approximate measures on random networks (linear, relu, tanh; mse, ce; bias):
 *   the nearest Kronecker product (the Frobenius optimum) is never farther from H_l than the
 *   decoupling N·E[M] ⊗ E[x̃x̃ᵀ];
 *   rank (H_O)_l ≤ the instance bound (sample/support/factor) ≤ the catalog's HO_block bound;
 *   overlaps lie in [0, 1];
 * the first and the last also on random CNNs;
 * and every measure is a deterministic function of the seed (the same seed gives the same report,
 * another seed another one).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullyConnected } from '../../src/architecture/fullyConnected.js';
import { kroneckerJson } from '../../src/kronecker/kroneckerJson.js';
import { kroneckerStructure } from '../../src/kronecker/kroneckerStructure.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { fullyConnectedArbitrary } from '../../src/verify/arbitraries.js';

const randomNetworks = fullyConnectedArbitrary({ depth: [1, 3], width: [1, 8], bias: 'any', loss: 'any', activation: 'any' });

describe('approximate measures on random networks', () => {
  it('nearest-Kronecker error ≤ decoupling error; rank ≤ instance bound ≤ catalog bound; overlaps in [0, 1]', () => {
    fc.assert(
      fc.property(randomNetworks, fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const report = kroneckerStructure(net, { seed, skipExact: true });
        for (const layer of report.layers) {
          const where = `layer ${layer.shape.layer}`;
          // the optimum up to the SVD's rounding, 1e-12 relative
          expect(layer.nearest.relativeError, where).toBeLessThanOrEqual(layer.decoupling.relativeError + 1e-12);
          expect(layer.outerProductRank.rank, where).toBeLessThanOrEqual(layer.outerProductBounds.bound);
          expect(layer.blockRank.rank, where).toBeLessThanOrEqual(layer.blockBounds.bound);
          const catalog = layer.catalog.HO_block;
          if (catalog) expect(layer.outerProductBounds.bound, `${where}: ${catalog.formula}`).toBeLessThanOrEqual(catalog.value);
          for (const overlap of [layer.decoupling.overlap, layer.nearest.overlap, layer.seedOverlap]) {
            // sums of squared cosines of unit vectors: [0, 1] up to rounding
            expect(overlap, where).toBeGreaterThanOrEqual(0);
            expect(overlap, where).toBeLessThanOrEqual(1 + 1e-12);
          }
        }
      }),
      { numRuns: 60, seed: 2026 },
    );
  });
});

describe('approximate measures on random CNNs', () => {
  it('nearest-Kronecker error ≤ decoupling error; overlaps in [0, 1]', () => {
    fc.assert(
      fc.property(convolutionalArbitrary({ convolutions: [1, 2], channels: [1, 3], bias: 'any', loss: 'any', activation: 'any' }), fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        for (const layer of kroneckerStructure(net, { seed }).layers) {
          const where = `layer ${layer.shape.layer}`;
          expect(layer.nearest.relativeError, where).toBeLessThanOrEqual(layer.decoupling.relativeError + 1e-12);
          for (const overlap of [layer.decoupling.overlap, layer.nearest.overlap, layer.seedOverlap]) {
            expect(overlap, where).toBeGreaterThanOrEqual(0);
            expect(overlap, where).toBeLessThanOrEqual(1 + 1e-12);
          }
        }
      }),
      { numRuns: 25, seed: 2026 },
    );
  });
});

describe('every measure is a deterministic function of the seed', () => {
  const net = fullyConnected({ widths: [5, 6, 4, 3], samples: 12, activation: 'relu', loss: 'ce', bias: true });
  const strip = (seed: number) => ({ ...kroneckerJson(kroneckerStructure(net, { seed })), seconds: 0 });
  it('the same seed gives the same report, bit for bit', () => {
    expect(strip(4)).toEqual(strip(4));
  });
  it('another seed gives another report', () => {
    expect(strip(4).layers[0]!.decoupling.relativeError).not.toBe(strip(5).layers[0]!.decoupling.relativeError);
  });
});
