/**
 * Theorem check for deep linear networks with bias, f(x) = W_L(⋯(W_1 x + b_1)⋯) + b_L:
 * on random architectures (depth 1–5, widths 1–8, N drawn on both sides of d), every bias formula of
 * the catalog that applies equals the measured rank of H, H_O and H_F, and `predict` answers with a
 * bias formula for each of them.
 *   mse: ranks exact, over Z/PZ for two primes (integer instance);
 *   ce:  ranks in float64 at τ = σ_max·p·ε (the softmax Hessian is not integral).
 * Formulas are evaluated at the measured data rank r, as `verify` does. A failure names the shrunk
 * architecture, the instance seed and the command that reproduces the measurement.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { fullyConnected, type FullyConnected, type Loss } from '../../src/architecture/fullyConnected.js';
import { biasFormulasHold } from './biasFormulas.js';

/** widths 1..maxWidth, depth 1..5; N ≤ d or N > d with equal probability. */
function biasArchitecture(loss: Loss, maxWidth: number): fc.Arbitrary<FullyConnected> {
  return fc
    .record({
      widths: fc.array(fc.integer({ min: 1, max: maxWidth }), { minLength: 2, maxLength: 6 }),
      manySamples: fc.boolean(),
      extra: fc.integer({ min: 0, max: 8 }),
    })
    .map(({ widths, manySamples, extra }) => {
      const w = loss === 'ce' ? [...widths.slice(0, -1), Math.max(2, widths[widths.length - 1]!)] : widths;
      const d = w[0]!;
      const samples = manySamples ? d + 1 + (extra % (d + 3)) : 1 + (extra % d);
      return fullyConnected({ widths: w, bias: true, loss, samples });
    });
}

describe('deep linear networks with bias: the catalog formulas are the Hessian ranks', () => {
  it('mse, exact ranks over Z/PZ: rank H, H_O, H_F equal the bias formulas (N ≤ d and N > d)', () => {
    fc.assert(
      fc.property(biasArchitecture('mse', 8), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (net, seed) => biasFormulasHold(net, seed)),
      { numRuns: 400, seed: 20260701 },
    );
  });

  it('cross-entropy, float64 ranks: the mse formulas with K − 1 outputs', () => {
    fc.assert(
      fc.property(biasArchitecture('ce', 6), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (net, seed) => biasFormulasHold(net, seed)),
      { numRuns: 150, seed: 20260702 },
    );
  });
});
