/**
 * Prediction: the catalog's closed forms evaluated for one architecture.
 * For each quantity the applicable formula is the one whose domain matches; an exact formula is
 * preferred to a bound, a bound to an estimate. For relu and tanh networks rank(H_O) has a bound
 * that holds at every instance (nonlinear-*-HO-bound); for relu the linear formulas listed with
 * `estimateFor` are reported as estimates, the linear network's ranks, with a note that they are not
 * bounds; tanh has no H and H_F formula (docs/formulas.md#relu-and-tanh-networks).
 */
import { describe, depth, parameterCount, type FullyConnected } from '../architecture/fullyConnected.js';
import type { Convolutional } from '../architecture/convolutional.js';
import { InputError } from '../errors.js';
import { evaluateRankExpression, type Scope } from './expression.js';
import { loadCatalog, type CompiledFormula, type FormulaKind, type FormulaStatus } from './catalog.js';
import { architectureScope, genericDataRank } from './vocabulary.js';
import { quantities } from '../family/vocabulary.js';

export interface PredictedRank {
  value: number;
  formula: string;
  kind: FormulaKind;
  /**
   * how the value is known: the catalog `status` of the formula, or `conjectured` when the formula (even a
   * derived one) reads a rank that a conjectured entry predicts (CNNs: HO and HF in H formulas, the merged
   * CNN's HOm, HFm, Hm, the CNN above conv 1's HFt)
   */
  status: FormulaStatus;
  /** the conjectured entries the value reads, when the formula itself is not conjectured */
  via?: string[];
  latex: string;
}

export interface Prediction {
  architecture: FullyConnected;
  description: string;
  p: number;
  r: number;
  q: number;
  s: number;
  /** H, HO, HF (undefined when no formula applies) */
  ranks: Partial<Record<'H' | 'HO' | 'HF', number>>;
  formulas: Partial<Record<'H' | 'HO' | 'HF', PredictedRank>>;
  /** per-layer predictions for block quantities, e.g. HO_block[l-1] */
  blocks: Record<string, PredictedRank[]>;
  /** what the prediction means for a relu or tanh network (nonlinearNotes), when it applies */
  note?: string;
}

/** What a relu or tanh prediction means (docs/formulas.md#relu-and-tanh-networks). */
export const nonlinearNotes = {
  relu:
    "relu: rank(H_O) ≤ its bound at every instance; the estimates are the linear network's ranks, not bounds: " +
    'a ReLU network\'s rank depends on the instance (its activation pattern), measure --exact --seeds A:B gives the distribution',
  tanh:
    "tanh: rank(H_O) ≤ its bound at every instance; no formula for H and H_F: the linear network's ranks do not " +
    "estimate them (tanh'' adds second-order terms inside every layer, and each sample has its own slopes)",
} as const;

/** A data rank must be a non-negative integer (InputError otherwise); undefined stays undefined. */
export function checkDataRank(dataRank: unknown): number | undefined {
  if (dataRank === undefined) return undefined;
  if (typeof dataRank !== 'number' || !Number.isSafeInteger(dataRank) || dataRank < 0) {
    throw new InputError(`the data rank r must be a non-negative integer, got ${String(dataRank)}`);
  }
  return dataRank;
}

const kindOrder: FormulaKind[] = ['exact', 'upper-bound', 'lower-bound', 'estimate'];

/** The kind a formula has for this architecture, or undefined if it does not apply (its family is the architecture's kind). */
export function applicableKind(formula: CompiledFormula, net: FullyConnected | Convolutional, scope: Scope): FormulaKind | undefined {
  const { domain, estimateFor } = formula.entry;
  if (formula.entry.family !== net.kind) return undefined;
  if (domain.loss && !domain.loss.includes(net.loss)) return undefined;
  if (domain.bias !== undefined && domain.bias !== net.bias) return undefined;
  let kind: FormulaKind | undefined = formula.entry.kind;
  if (domain.activation && !domain.activation.includes(net.activation)) {
    kind = estimateFor?.includes(net.activation) ? 'estimate' : undefined;
  }
  if (kind && formula.condition && evaluateRankExpression(formula.condition, scope) === 0) return undefined;
  return kind;
}

/** The scope with the formula's own definitions applied (e.g. q with K − 1 for cross-entropy). */
function formulaScope(formula: CompiledFormula, scope: Scope): Scope {
  const local = { ...scope };
  for (const [name, definition] of formula.definitions) local[name] = evaluateRankExpression(definition, local);
  return local;
}

export function evaluateFormula(formula: CompiledFormula, scope: Scope): number {
  return evaluateRankExpression(formula.expression, formulaScope(formula, scope), `formula ${formula.entry.id}`);
}

/**
 * The best applicable formula for `quantity`, with its kind: exact before bounds before estimates;
 * among several of the best kind, the tightest here: the largest lower bound, else the smallest value
 * (of upper bounds, and of estimates, which come from the linear formulas).
 */
export function selectFormula(quantity: string, net: FullyConnected | Convolutional, scope: Scope, catalog = loadCatalog()): { formula: CompiledFormula; kind: FormulaKind } | undefined {
  const candidates = catalog
    .filter((f) => f.entry.quantity === quantity)
    .map((formula) => ({ formula, kind: applicableKind(formula, net, scope) }))
    .filter((c): c is { formula: CompiledFormula; kind: FormulaKind } => c.kind !== undefined)
    .sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind));
  const best = candidates.filter((c) => c.kind === candidates[0]?.kind);
  if (best.length < 2 || best[0]!.kind === 'exact') return candidates[0];
  const sign = best[0]!.kind === 'lower-bound' ? -1 : 1;
  // a formula undefined here (e.g. min over no hidden widths) cannot be the tightest
  const valueOf = (c: (typeof best)[number]): number => {
    try {
      return sign * evaluateFormula(c.formula, scope);
    } catch (error) {
      if (error instanceof InputError) return Infinity;
      throw error;
    }
  };
  return best.map((c) => ({ c, value: valueOf(c) })).reduce((x, y) => (y.value < x.value ? y : x)).c;
}

/** The per-layer quantities: those whose formulas use the layer index l (HO_block, its factors, …). */
function blockQuantities(catalog = loadCatalog()): string[] {
  return [...new Set(catalog.filter((f) => f.expression.symbols.includes('l')).map((f) => f.entry.quantity))];
}

export function predict(net: FullyConnected, options: { dataRank?: number } = {}): Prediction {
  const r = checkDataRank(options.dataRank) ?? genericDataRank(net);
  if (r > genericDataRank(net)) {
    throw new InputError(`data rank r = ${r} exceeds min(N, d) = ${genericDataRank(net)}: X is d × N, so rank Σ_xx ≤ min(N, d)`);
  }
  const scope = architectureScope(net, r);
  const formulas: Prediction['formulas'] = {};
  const ranks: Prediction['ranks'] = {};
  for (const quantity of quantities) {
    const chosen = selectFormula(quantity, net, scope);
    if (!chosen) continue;
    const value = evaluateFormula(chosen.formula, scope);
    formulas[quantity] = { value, formula: chosen.formula.entry.id, kind: chosen.kind, status: chosen.formula.entry.status, latex: chosen.formula.entry.latex };
    ranks[quantity] = value;
  }
  const blocks: Prediction['blocks'] = {};
  for (const quantity of blockQuantities()) {
    const perLayer: PredictedRank[] = [];
    for (let l = 1; l <= depth(net); l++) {
      const layerScope = { ...scope, l };
      const chosen = selectFormula(quantity, net, layerScope);
      if (!chosen) break;
      perLayer.push({
        value: evaluateFormula(chosen.formula, layerScope),
        formula: chosen.formula.entry.id,
        kind: chosen.kind,
        status: chosen.formula.entry.status,
        latex: chosen.formula.entry.latex,
      });
    }
    if (perLayer.length === depth(net)) blocks[quantity] = perLayer;
  }
  const activation = net.activation;
  return {
    architecture: net,
    description: describe(net),
    p: parameterCount(net),
    r,
    q: scope.q as number,
    s: scope.s as number,
    ranks,
    formulas,
    blocks,
    ...(activation !== 'linear' && depth(net) >= 2 ? { note: nonlinearNotes[activation] } : {}),
  };
}
