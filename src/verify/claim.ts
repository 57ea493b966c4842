/**
 * A claim about a Hessian rank: a catalog formula, or a researcher's conjecture, with its quantity
 * and kind. `predictFor` gives the claimed value for an architecture, or undefined where the claim
 * does not apply (outside the formula's domain, or the expression is undefined there, e.g. min(M)
 * with no hidden layer).
 */
import type { FullyConnected } from '../architecture/fullyConnected.js';
import { findFormula, type CompiledFormula, type FormulaKind } from '../catalog/catalog.js';
import { parseRankExpression, evaluateRankExpression } from '../catalog/expression.js';
import { applicableKind, evaluateFormula } from '../catalog/predict.js';
import { architectureScope, vocabulary } from '../catalog/vocabulary.js';
import { InputError } from '../errors.js';
import type { Quantity } from '../numeric/measure.js';

export interface Claim {
  /** formula id, or the conjecture's text */
  name: string;
  quantity: Quantity;
  kind: FormulaKind;
  predictFor(net: FullyConnected, dataRank: number): { value: number; kind: FormulaKind } | undefined;
}

export const claimQuantities: readonly Quantity[] = ['H', 'HO', 'HF'];

export function formulaClaim(formula: CompiledFormula): Claim {
  const quantity = formula.entry.quantity as Quantity;
  if (!claimQuantities.includes(quantity)) {
    throw new InputError(`formula ${formula.entry.id} is about ${formula.entry.quantity}; verify checks H, HO and HF formulas`);
  }
  return {
    name: formula.entry.id,
    quantity,
    kind: formula.entry.kind,
    predictFor(net, dataRank) {
      const scope = architectureScope(net, dataRank);
      const kind = applicableKind(formula, net, scope);
      return kind ? { value: evaluateFormula(formula, scope), kind } : undefined;
    },
  };
}

export function catalogClaim(id: string): Claim {
  return formulaClaim(findFormula(id));
}

/** A conjecture "EXPR" about `quantity`, claimed exact (or a bound) on every architecture tried. */
export function conjectureClaim(source: string, quantity: Quantity, kind: FormulaKind = 'exact'): Claim {
  const expression = parseRankExpression(source, vocabulary.filter((s) => s !== 'l'), 'conjecture');
  return {
    name: source,
    quantity,
    kind,
    predictFor(net, dataRank) {
      try {
        return { value: evaluateRankExpression(expression, architectureScope(net, dataRank), 'conjecture'), kind };
      } catch (error) {
        if (error instanceof InputError) return undefined; // undefined for this architecture, e.g. min(M) with L = 1
        throw error;
      }
    },
  };
}
