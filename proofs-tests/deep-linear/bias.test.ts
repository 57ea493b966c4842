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
import { describe, expect, it } from 'vitest';
import { fullyConnected, type FullyConnected, type Loss } from '../../src/architecture/fullyConnected.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { applicableKind, evaluateFormula, predict } from '../../src/catalog/predict.js';
import { architectureScope } from '../../src/catalog/vocabulary.js';
import { measure, quantities } from '../../src/numeric/measure.js';

const biasFormulas = loadCatalog().filter(
  (f) => f.entry.family === 'fully-connected' && f.entry.domain.bias === true && (quantities as readonly string[]).includes(f.entry.quantity),
);

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

function describeNet(net: FullyConnected, seed: number, exact: boolean): string {
  return (
    `widths ${net.widths.join(',')}, N = ${net.samples}, bias, ${net.loss}, instance seed ${seed} ` +
    `(hessian-rank measure --widths ${net.widths.join(',')} --samples ${net.samples} --bias` +
    `${net.loss === 'ce' ? ' --loss ce' : ''} --seed ${seed}${exact ? ' --exact' : ''})`
  );
}

/** Every applicable bias formula equals the measured rank; predict picks a bias formula for H, H_O, H_F. */
function biasFormulasHold(net: FullyConnected, seed: number): void {
  const exact = net.loss === 'mse';
  const m = measure(net, { seed, exact, force: true });
  const scope = architectureScope(net, m.r);
  const where = describeNet(net, seed, exact);
  let applied = 0;
  for (const formula of biasFormulas) {
    if (!applicableKind(formula, net, scope)) continue;
    applied++;
    const quantity = formula.entry.quantity as (typeof quantities)[number];
    const predicted = evaluateFormula(formula, scope);
    expect(m.ranks[quantity], `${formula.entry.id}: rank ${quantity} = ${predicted} predicted, ${m.ranks[quantity]} measured (r = ${m.r}) on ${where}`).toBe(predicted);
  }
  expect(applied, `no bias formula applies to ${where}`).toBeGreaterThan(0);
  const prediction = predict(net, { dataRank: m.r });
  for (const quantity of quantities) {
    const chosen = prediction.formulas[quantity];
    expect(chosen, `predict has no formula for ${quantity} on ${where}`).toBeDefined();
    // H_F for L = 1 is the bias-agnostic "f is affine in θ" entry; everything else must be a bias entry
    if (!(quantity === 'HF' && net.widths.length === 2)) {
      expect(chosen!.formula, `predict chose ${chosen!.formula} for ${quantity} on ${where}`).toMatch(/^linear-bias-/);
    }
    expect(m.ranks[quantity], `predict: rank ${quantity} = ${chosen!.value} (${chosen!.formula}), measured ${m.ranks[quantity]} on ${where}`).toBe(chosen!.value);
  }
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
