/**
 * A claim about a Hessian rank of one architecture family: a catalog formula, the catalog's
 * prediction (the tightest applicable formula), or a researcher's conjecture, with its quantity and
 * kind. `predictFor` gives the claimed value for an architecture, or undefined where the claim does
 * not apply (outside the formula's domain, or the expression is undefined there, e.g. min(M) with
 * no hidden layer).
 */
import { findFormula, loadCatalog, type CompiledFormula, type FormulaKind } from '../catalog/catalog.js';
import { parseRankExpression, evaluateRankExpression } from '../catalog/expression.js';
import { applicableKind, evaluateFormula } from '../catalog/predict.js';
import { InputError } from '../errors.js';
import type { AnyFamily, Architecture } from '../family/family.js';
import { familyNamed } from '../family/registry.js';
import { fullyConnectedFamily } from '../family/fullyConnected/family.js';
import { quantities, type Quantity } from '../family/vocabulary.js';

export interface ArchitectureClaim<A extends Architecture = Architecture> {
  /** the formula id, or the conjecture's text */
  name: string;
  family: AnyFamily;
  quantity: Quantity;
  kind: FormulaKind;
  predictFor(net: A, dataRank: number): { value: number; kind: FormulaKind } | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Claim = ArchitectureClaim<any>;

/** A catalog formula, checked on its family where its domain applies. */
export function formulaClaim(formula: CompiledFormula): Claim {
  const quantity = formula.entry.quantity as Quantity;
  if (!quantities.includes(quantity)) {
    throw new InputError(`formula ${formula.entry.id} is about ${formula.entry.quantity}; verify checks H, HO and HF formulas`);
  }
  const family = familyNamed(formula.entry.family);
  const usesParts = formula.expression.symbols.includes('HO') || formula.expression.symbols.includes('HF');
  return {
    name: formula.entry.id,
    family,
    quantity,
    kind: formula.entry.kind,
    predictFor(net, dataRank) {
      const scope = family.scope(net, dataRank);
      if (usesParts) {
        // H formulas may use the catalog's own predictions of rank(H_O) and rank(H_F)
        const prediction = family.predict(net, dataRank);
        if (prediction.ranks.HO === undefined || prediction.ranks.HF === undefined) return undefined;
        Object.assign(scope, { HO: prediction.ranks.HO, HF: prediction.ranks.HF });
      }
      const kind = applicableKind(formula, net, scope);
      return kind ? { value: evaluateFormula(formula, scope), kind } : undefined;
    },
  };
}

export function catalogClaim(id: string): Claim {
  return formulaClaim(findFormula(id));
}

/** The catalog's prediction of `quantity` (the tightest applicable formula): the number `predict` shows. */
export function predictionClaim(family: AnyFamily, quantity: Quantity): Claim {
  return {
    name: `predicted rank(${quantity})`,
    family,
    quantity,
    kind: 'upper-bound',
    predictFor(net, dataRank) {
      const chosen = family.predict(net, dataRank).formulas[quantity];
      return chosen ? { value: chosen.value, kind: chosen.kind } : undefined;
    },
  };
}

/** Everything verify --all checks of a family: its predictions and each of its H, HO, HF formulas. */
export function familyClaims(family: AnyFamily): Claim[] {
  const formulas = loadCatalog()
    .filter((f) => f.entry.family === family.name && quantities.includes(f.entry.quantity as Quantity))
    .map(formulaClaim);
  return [...(['HO', 'HF', 'H'] as Quantity[]).map((q) => predictionClaim(family, q)), ...formulas];
}

/**
 * A conjecture "EXPR" over the family's symbols about `quantity`, claimed exact (or a bound) on
 * every architecture tried. Where the expression is undefined (e.g. min(M) with L = 1) it does not apply.
 */
export function conjectureClaim(source: string, quantity: Quantity, kind: FormulaKind = 'exact', family: AnyFamily = fullyConnectedFamily): Claim {
  if (!quantities.includes(quantity)) throw new InputError(`a conjecture is about H, HO or HF, got "${String(quantity)}"`);
  if (!['exact', 'upper-bound', 'lower-bound'].includes(kind)) throw new InputError(`a conjecture's kind is exact, upper-bound or lower-bound, got "${String(kind)}"`);
  const expression = parseRankExpression(source, family.symbols, 'conjecture');
  return {
    name: source,
    family,
    quantity,
    kind,
    predictFor(net, dataRank) {
      try {
        return { value: evaluateRankExpression(expression, family.scope(net, dataRank), 'conjecture'), kind };
      } catch (error) {
        if (error instanceof InputError) return undefined;
        throw error;
      }
    },
  };
}
