/**
 * Theorem check for the whole fully-connected catalog: on random architectures (depth 1–5, widths
 * 1–12, N on both sides of d, each formula's losses and bias setting), every exact formula equals the
 * measured rank and every bound holds. Linear mse networks are measured exactly over two prime fields;
 * cross-entropy in float64 at τ = σ_max·p·ε. A failure names the shrunk architecture and the command
 * that reproduces it.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.js';
import type { Quantity } from '../../src/numeric/measure.js';
import { formulaClaim } from '../../src/verify/claim.js';
import { quantities } from '../../src/family/vocabulary.js';
import { claimProperty } from '../../src/verify/verify.js';

const formulas = loadCatalog().filter(
  (f) => f.entry.family === 'fully-connected' && quantities.includes(f.entry.quantity as Quantity) && f.entry.kind !== 'estimate',
);

describe('every fully-connected catalog formula holds on random architectures', () => {
  for (const formula of formulas) {
    const float = formula.entry.domain.loss?.includes('ce');
    it(`${formula.entry.id}: rank(${formula.entry.quantity}) ${formula.entry.kind === 'exact' ? '=' : formula.entry.kind === 'upper-bound' ? '≤' : '≥'} ${formula.entry.expression}`, () => {
      fc.assert(claimProperty(formulaClaim(formula), { depth: [1, 5], width: [1, float ? 8 : 12] }), {
        numRuns: float ? 25 : 40,
        seed: 2026,
      });
    });
  }
});
