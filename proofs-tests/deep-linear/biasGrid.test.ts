/**
 * Exhaustive check of the bias formulas (opt-in: HESSIAN_RANK_SWEEP=1 npx vitest run proofs-tests/deep-linear/biasGrid.test.ts).
 * Every hidden-width tuple up to a bound (L = 2: M ≤ 8; L = 3: M ≤ 6; L = 4: M ≤ 4; L = 5: M ≤ 3),
 * every K ≤ 5 and every data shape below (r̃ = 1..4 with N ≤ d, r̃ = 2..4 with N > d): rank H, H_O, H_F
 * measured exactly over Z/PZ equal the catalog's bias formulas. H_F and H depend on the data only
 * through r̃ = rank[X; 1ᵀ], so these shapes cover every relative order of r̃, K and the hidden widths
 * up to the bounds. The conjectured formula for H_F (docs/formulas.md#bias) was found on such grids.
 */
import { describe, expect, it } from 'vitest';
import { fullyConnected } from '../../src/architecture/fullyConnected.js';
import { biasFormulasHold } from './biasFormulas.js';

const enabled = Boolean(process.env.HESSIAN_RANK_SWEEP);

/** [d, N]: N ≤ d (r̃ = N) and N > d (r̃ = d + 1). */
const dataShapes: [number, number][] = [
  [4, 1], [4, 2], [4, 3], [4, 4],
  [1, 3], [2, 5], [3, 6],
];

function hiddenTuples(count: number, max: number): number[][] {
  if (count === 0) return [[]];
  return hiddenTuples(count - 1, max).flatMap((t) => Array.from({ length: max }, (_, i) => [...t, i + 1]));
}

describe.skipIf(!enabled)('bias formulas on an exhaustive grid of small architectures (exact ranks)', () => {
  for (const [L, maxWidth] of [[2, 8], [3, 6], [4, 4], [5, 3]] as const) {
    it(`L = ${L}, hidden widths 1..${maxWidth}, K 1..5, N on both sides of d`, () => {
      let checked = 0;
      for (const hidden of hiddenTuples(L - 1, maxWidth)) {
        for (let K = 1; K <= 5; K++) {
          for (const [d, N] of dataShapes) {
            biasFormulasHold(fullyConnected({ widths: [d, ...hidden, K], bias: true, samples: N }), 7);
            checked++;
          }
        }
      }
      expect(checked).toBe(maxWidth ** (L - 1) * 5 * dataShapes.length);
    });
  }
});
