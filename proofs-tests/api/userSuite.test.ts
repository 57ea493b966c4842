/**
 * The example of docs/api.md, as a researcher's own vitest suite would write it (imports from the
 * package entry). If this file changes, change docs/api.md with it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conjectureClaim, claimProperty, fullyConnected, fullyConnectedArbitrary, measure, predict, verify } from '../../src/index.js';

describe('my theory of deep linear networks', () => {
  it('rank(H_O) = q(r + K − q) on 50 random architectures', () => {
    const claim = conjectureClaim('q * (r + K - q)', 'HO');
    fc.assert(claimProperty(claim, { depth: [1, 4], width: [1, 8] }), { numRuns: 50, seed: 1 });
  });

  it('a wrong conjecture is refuted, with a minimal counterexample', () => {
    const result = verify(conjectureClaim('q * (r + K)', 'HO'), { runs: 50 });
    expect(result.holds).toBe(false);
    expect(result.counterexample!.architecture.widths).toEqual([1, 1]);
  });

  it('predicted and measured ranks of one architecture', () => {
    const net = fullyConnected({ widths: [25, 5, 10, 10], samples: 50 });
    const measured = measure(net, { seed: 3, exact: true });
    expect(measured.ranks).toEqual(predict(net, { dataRank: measured.r }).ranks);
  });

  it('rank(H_F) ≤ rank(H) + rank(H_O) for relu networks (float64)', () => {
    fc.assert(
      fc.property(fullyConnectedArbitrary({ depth: [2, 3], width: [2, 6], activation: 'relu' }), (net) => {
        const m = measure(net, { seed: 0 });
        const { H, HO, HF } = m.ranks;
        // null: float64 cannot decide that rank for this draw, so there is nothing to compare
        return H === null || HO === null || HF === null || HF <= H + HO;
      }),
      { numRuns: 20, seed: 2 },
    );
  });
});
