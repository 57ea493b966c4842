/**
 * Shared by the bias property test and the exhaustive grid: every bias formula of the catalog that
 * applies to an architecture must equal the measured rank (exact over Z/PZ for mse, float64 at
 * τ = σ_max·p·ε for ce), and `predict` must answer with a bias formula for H, H_O and H_F.
 * Formulas are evaluated at the measured data rank r, as `verify` does.
 */
import { expect } from 'vitest';
import type { FullyConnected } from '../../src/architecture/fullyConnected.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { applicableKind, evaluateFormula, predict } from '../../src/catalog/predict.js';
import { architectureScope } from '../../src/catalog/vocabulary.js';
import { measure, quantities } from '../../src/numeric/measure.js';

export const biasFormulas = loadCatalog().filter(
  (f) => f.entry.family === 'fully-connected' && f.entry.domain.bias === true && (quantities as readonly string[]).includes(f.entry.quantity),
);

export function describeNet(net: FullyConnected, seed: number, exact: boolean): string {
  return (
    `widths ${net.widths.join(',')}, N = ${net.samples}, bias, ${net.loss}, instance seed ${seed} ` +
    `(hessian-rank measure --widths ${net.widths.join(',')} --samples ${net.samples} --bias` +
    `${net.loss === 'ce' ? ' --loss ce' : ''} --seed ${seed}${exact ? ' --exact' : ''})`
  );
}

/** Every applicable bias formula equals the measured rank; predict picks a bias formula for H, H_O, H_F. */
export function biasFormulasHold(net: FullyConnected, seed: number): void {
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
