/**
 * A claim about a Hessian rank: a catalog formula, or a researcher's conjecture, with its quantity
 * and kind. `predictFor` gives the claimed value for an architecture, or undefined where the claim
 * does not apply (outside the formula's domain, or the expression is undefined there, e.g. min(M)
 * with no hidden layer).
 */
import type { FullyConnected } from '../architecture/fullyConnected.js';
import { findFormula, type CompiledFormula, type FormulaKind } from '../catalog/catalog.js';
import { parseRankExpression, evaluateRankExpression, type Scope } from '../catalog/expression.js';
import { applicableKind, evaluateFormula } from '../catalog/predict.js';
import { architectureScope, vocabulary } from '../catalog/vocabulary.js';
import { InputError } from '../errors.js';
import type { Quantity } from '../numeric/measure.js';
import type { ArchitectureClaim } from './verify.js';

/** name: the formula id, or the conjecture's text */
export type Claim = ArchitectureClaim<FullyConnected>;

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

/**
 * A conjecture "EXPR" over `symbols`, evaluated in `scopeOf(net, r)`, about `quantity` of any
 * architecture family. Where the expression is undefined (e.g. min(M) with L = 1) it does not apply.
 */
export function expressionClaim<A>(
  source: string,
  quantity: Quantity,
  kind: FormulaKind,
  symbols: readonly string[],
  scopeOf: (net: A, dataRank: number) => Scope,
): ArchitectureClaim<A> {
  const expression = parseRankExpression(source, symbols, 'conjecture');
  return {
    name: source,
    quantity,
    kind,
    predictFor(net, dataRank) {
      try {
        return { value: evaluateRankExpression(expression, scopeOf(net, dataRank), 'conjecture'), kind };
      } catch (error) {
        if (error instanceof InputError) return undefined;
        throw error;
      }
    },
  };
}

/** A conjecture "EXPR" about `quantity`, claimed exact (or a bound) on every architecture tried. */
export function conjectureClaim(source: string, quantity: Quantity, kind: FormulaKind = 'exact'): Claim {
  return expressionClaim(source, quantity, kind, vocabulary.filter((s) => s !== 'l'), architectureScope);
}
