/**
 * Theorem check for formulas/cnn.json: on random linear CNNs (1D and 2D, 1–3 convolutions, stride,
 * zero padding, N on both sides of d), every bound holds and every exact formula equals the rank,
 * measured exactly over two prime fields. A failure names the shrunk CNN and the measure command that
 * reproduces it. The catalog's prediction (the tightest applicable bound) must equal the exact rank on
 * most CNNs: the shares below are regressions guards, the measured shares are printed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutional } from '../../src/architecture/convolutional.js';
import { fullyConnected } from '../../src/architecture/fullyConnected.js';
import { predict } from '../../src/catalog/predict.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { convolutionalFamily } from '../../src/family/convolutional/family.js';
import { formulaClaim, predictionClaim } from '../../src/verify/claim.js';
import { claimProperty, verify } from '../../src/verify/verify.js';

const formulas = loadCatalog().filter((f) => f.entry.family === 'convolutional');

describe('every CNN catalog formula holds on random linear CNNs', () => {
  for (const formula of formulas) {
    for (const dims of [[1], [2]] as (1 | 2)[][]) {
      const relation = formula.entry.kind === 'exact' ? '=' : '≤';
      it(`${formula.entry.id}, ${dims[0]}D: rank(${formula.entry.quantity}) ${relation} ${formula.entry.expression}`, () => {
        fc.assert(claimProperty(formulaClaim(formula), { dims }), { numRuns: 40, seed: 2023 });
      });
    }
  }
});

describe('the predicted ranks are tight on most random CNNs', () => {
  // re-measured at this seed (docs/cnn.md#tightness) after the sampling fix, cnn-dense-tangent-H and the H_F reductions (P^f, the count, the block elimination on conv 1): 118/120, 111/120 (was 106), 108/120 (99 before the kernel null directions of cnn-kernel-null-H, 95 before cnn-layer-null-H, 94)
  const floors = { HO: 0.9, HF: 0.7, H: 0.65 } as const;
  for (const quantity of ['HO', 'HF', 'H'] as const) {
    it(`predicted rank(${quantity}) holds everywhere and equals the exact rank on ≥ ${floors[quantity] * 100}% of 120 CNNs`, () => {
      const result = verify(predictionClaim(convolutionalFamily, quantity), { runs: 120, seed: 11 });
      const byDepth = Object.entries(result.byDepth).map(([depth, [checked, equal]]) => `${depth} conv ${equal}/${checked}`);
      console.log(`predicted rank(${quantity}): tight on ${result.equal}/${result.checked} (${byDepth.join(', ')})`);
      expect(result.holds, result.reproduce).toBe(true);
      expect(result.equal / result.checked).toBeGreaterThanOrEqual(floors[quantity]);
    });
  }
});

describe('with full-rank data and narrow CNNs (where K·r is tight on about half) the predictions hold and are mostly tight', () => {
  // re-measured at this seed after cnn-dense-tangent-H and the H_F reductions: 94/100, 92/100 (was 91), 93/100 (88 before the kernel null directions of cnn-kernel-null-H, 85 before cnn-layer-null-H) tight (docs/cnn.md#tightness)
  const floors = { HO: 0.85, HF: 0.65, H: 0.5 } as const;
  const ranges = { fullRankData: true, width: [1, 3] as [number, number] };
  for (const quantity of ['HO', 'HF', 'H'] as const) {
    it(`predicted rank(${quantity}) on 100 narrow CNNs with N = 2d + 2`, () => {
      const result = verify(predictionClaim(convolutionalFamily, quantity), { ...ranges, runs: 100, seed: 5 });
      console.log(`full-rank data, predicted rank(${quantity}): tight on ${result.equal}/${result.checked}`);
      expect(result.holds, result.reproduce).toBe(true);
      expect(result.equal / result.checked).toBeGreaterThanOrEqual(floors[quantity]);
    });
  }
});

describe('a CNN whose first kernel covers the input and whose later kernels are 1×1 is a fully-connected network', () => {
  it('its CNN prediction equals the deep-linear prediction for the widths d, c_1, …, K', () => {
    const widths = fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 3, maxLength: 5 });
    fc.assert(
      fc.property(widths, fc.integer({ min: 1, max: 20 }), (w, samples) => {
        const [d, ...rest] = w;
        const K = rest.pop()!;
        const cnn = convolutional({ input: d!, layers: rest.map((c, i) => ({ kernel: i === 0 ? d! : 1, channels: c })), outputs: K, samples });
        const fcNet = fullyConnected({ widths: w, samples });
        expect(predictConvolutional(cnn).ranks).toEqual(predict(fcNet).ranks);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
