/**
 * The catalog's CNN ranks at a scope: for H_O, H_F and then H (whose formulas may use the two, e.g.
 * rank H ≤ rank H_O + rank H_F − 1), the formula that src/catalog/predict.ts selects (exact before
 * bounds; the tightest of several bounds), evaluated on the scope (./vocabulary.ts).
 * Read by the prediction of a CNN (./predict.ts) and by the scope itself, whose merge symbols are the
 * ranks of the CNN with a 1×1 convolution merged (./merge.ts): kept apart from both so that neither
 * imports the other.
 */
import type { Convolutional } from '../architecture/convolutional.js';
import type { CompiledFormula } from '../catalog/catalog.js';
import type { Scope } from '../catalog/expression.js';
import { evaluateFormula, selectFormula, type PredictedRank } from '../catalog/predict.js';

/**
 * The catalog predictions behind a scope's symbols that are themselves predicted ranks (HOm, HFm, Hm of the
 * merged CNN, HFt of the CNN above conv 1), registered by src/cnn/vocabulary.ts when it builds the scope: a
 * formula reading one is only as established as the entry that predicted it.
 */
export const scopeSources = new WeakMap<Scope, Partial<Record<string, PredictedRank>>>();

/** The conjectured entries a value read through `symbols` depends on (with what they depend on). */
function conjecturedInputs(symbols: Iterable<string>, sources: Partial<Record<string, PredictedRank>>): string[] {
  const ids = new Set<string>();
  for (const name of symbols) {
    const source = sources[name];
    if (!source) continue;
    if (source.status === 'conjectured' && !source.via) ids.add(source.formula);
    for (const id of source.via ?? []) ids.add(id);
  }
  return [...ids];
}

export type ConvolutionalPart = 'H' | 'HO' | 'HF';

export interface CatalogRanks {
  ranks: Partial<Record<ConvolutionalPart, number>>;
  formulas: Partial<Record<ConvolutionalPart, PredictedRank>>;
}

export function catalogRanks(net: Convolutional, scope: Scope, catalog: CompiledFormula[]): CatalogRanks {
  const formulas: CatalogRanks['formulas'] = {};
  const ranks: CatalogRanks['ranks'] = {};
  // a relu network's H estimate is the linear CNN's rank H: its H formulas read the linear HO and HF
  // (not the nonlinear H_O bound, docs/cnn.md#relu-and-tanh-cnns)
  const linear = net.activation === 'linear' ? { ranks, formulas } : catalogRanks({ ...net, activation: 'linear' }, scope, catalog);
  const inputs = linear.ranks;
  for (const quantity of ['HO', 'HF', 'H'] as const) {
    const local = quantity === 'H' && inputs.HO !== undefined && inputs.HF !== undefined ? { ...scope, HO: inputs.HO, HF: inputs.HF } : scope;
    const chosen = selectFormula(quantity, net, local, catalog);
    if (!chosen) continue;
    const value = evaluateFormula(chosen.formula, local);
    const { entry } = chosen.formula;
    const symbols = [...chosen.formula.expression.symbols, ...chosen.formula.definitions.flatMap(([, d]) => d.symbols)];
    const sources = { ...scopeSources.get(scope), ...(quantity === 'H' ? { HO: linear.formulas.HO, HF: linear.formulas.HF } : {}) };
    const via = entry.status === 'conjectured' ? [] : conjecturedInputs(symbols, sources);
    formulas[quantity] = { value, formula: entry.id, kind: chosen.kind, status: via.length ? 'conjectured' : entry.status, ...(via.length ? { via } : {}), latex: entry.latex };
    ranks[quantity] = value;
  }
  return { ranks: { H: ranks.H, HO: ranks.HO, HF: ranks.HF }, formulas };
}
