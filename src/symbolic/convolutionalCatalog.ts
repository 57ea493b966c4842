/**
 * A CNN derivation against formulas/cnn.json: each bound the structure gives that names a catalog
 * entry is compared with that entry, written in the same symbols (the catalog vocabulary of
 * src/cnn/vocabulary.ts expressed by src/symbolic/convolutionalNetwork.ts), by the strongest method
 * that applies:
 *
 *   identical    the same polynomial over the same min/max/comparison atoms (atomIdentity.ts): an
 *                identity for all values of the symbols (fast; the default)
 *   proven       the min-polynomial decision procedure, case by case (with `decide`: slow beyond one convolution)
 *   evaluated    equal at this architecture's numbers only (exact rational arithmetic), when the
 *                entry cannot be written symbolically here (an infinite composed kernel)
 *   differs      the symbolic forms differ and so do the values here: the derivation and the entry disagree
 *
 * and every bound is evaluated at the architecture (its rank bound, in numbers).
 */
import { loadCatalog, type CompiledFormula } from '../catalog/catalog.js';
import type { Scope } from '../catalog/expression.js';
import { applicableKind, evaluateFormula } from '../catalog/predict.js';
import { convolutionalScope } from '../cnn/vocabulary.js';
import { InputError } from '../errors.js';
import { identicalOverAtoms } from './atomIdentity.js';
import { deriveConvolutional, deriveConvolutionalRanks, type ConvolutionalBound, type ConvolutionalDerivation } from './convolutionalDerivation.js';
import { convolutionalVocabulary, symbolValues, type SymbolicConvolutional } from './convolutionalNetwork.js';
import { constant, symbolsOf, type Expr } from './expression.js';
import { decideIdentity, type IdentityResult } from './minPolynomialIdentity.js';
import { exactValue } from './exactValue.js';
import * as Q from './rational.js';
import { instantiateInScope, scalar } from './symbolicNetwork.js';

export type ComparisonMethod = 'proven' | 'identical' | 'evaluated' | 'differs';

export interface CatalogComparison {
  id: string;
  status: string;
  method: ComparisonMethod;
  /** the entry in the network's symbols (undefined when it cannot be written symbolically) */
  expression?: Expr;
  /** the decision procedure's proof, when it gave one */
  proof?: IdentityResult;
  /** the derived bound and the entry at this architecture */
  derivedValue: number;
  catalogValue: number;
  /** the derivation states the bound as a conjecture (a measured step), not as derived */
  conjectured?: true;
}

/** Ranks an expression may name: the bounds on H_O and H_F (H bounds), and a merged CNN's (merge bounds). */
export type Parts = Partial<Record<'HO' | 'HF' | 'HOm' | 'HFm' | 'Hm' | 'HFt', number>>;

/** The finite symbol values of a network (symbolValues), computed once per network: every bound is evaluated at them. */
const points = new WeakMap<SymbolicConvolutional, Readonly<Record<string, number>>>();
function finiteSymbolValues(net: SymbolicConvolutional): Readonly<Record<string, number>> {
  let point = points.get(net);
  if (!point) points.set(net, (point = Object.fromEntries(Object.entries(symbolValues(net)).filter(([, v]) => v !== undefined && Number.isFinite(v)))));
  return point;
}

/** The value of an expression at the architecture (HO, HF, HOm, HFm, Hm as given). */
export function evaluateAt(net: SymbolicConvolutional, e: Expr, parts: Parts = {}): number {
  // symbols that are infinite here (a composed kernel across padding) never occur in the expressions; a part
  // given as undefined or infinite is left out too
  const point: Record<string, number> = { ...finiteSymbolValues(net) };
  for (const [name, v] of Object.entries(parts)) {
    if (v !== undefined && Number.isFinite(v)) point[name] = v;
    else delete point[name];
  }
  const value = exactValue(e, point);
  if (!Q.isInteger(value)) throw new Error(`internal: a rank bound evaluated to ${Q.toString(value)}`);
  return Number(value.n);
}

/** The entries of formulas/cnn.json a bound names, with their applicability at this architecture. */
export function catalogEntry(id: string, catalog: CompiledFormula[] = loadCatalog()): CompiledFormula {
  const entry = catalog.find((f) => f.entry.id === id);
  if (!entry) throw new Error(`internal: no catalog entry ${id}`);
  return entry;
}

/** The derived minimum of each quantity at the architecture: the bounds' values (HO and HF first, for H). */
export function derivedValues(derivations: ConvolutionalDerivation[]): Partial<Record<'HO' | 'HF' | 'H', number>> {
  const values: Partial<Record<'HO' | 'HF' | 'H', number>> = {};
  const merged = { ...mergedValues(derivations[0]!.network), ...aboveValues(derivations[0]!.network) };
  for (const quantity of ['HO', 'HF', 'H'] as const) {
    const d = derivations.find((x) => x.quantity === quantity);
    if (!d) continue;
    const parts = { HO: values.HO, HF: values.HF, ...merged };
    values[quantity] = Math.min(...d.bounds.map((b) => evaluateAt(d.network, b.expression, parts)));
  }
  return values;
}

const merged = new WeakMap<SymbolicConvolutional, Parts>();
const above = new WeakMap<SymbolicConvolutional, Parts>();

/** HFt: the derived H_F bound of the CNN above conv 1 (nothing unless two or three convolutions), derived once per network. */
export function aboveValues(net: SymbolicConvolutional): Parts {
  if (!net.above) return {};
  let values = above.get(net);
  if (!values) {
    const d = deriveConvolutional(net.above, 'HF');
    const parts = { ...mergedValues(net.above), ...aboveValues(net.above) };
    above.set(net, (values = { HFt: Math.min(...d.bounds.map((b) => evaluateAt(d.network, b.expression, parts))) }));
  }
  return values;
}

/**
 * The merged CNN's derived ranks, as HOm, HFm, Hm (nothing when no 1×1 convolution merges); derived
 * once per network (every bound of every quantity asks for them: a CNN with two 1×1 convolutions
 * derived its merged CNNs about 20 times per comparison, 1.2–1.7 s).
 */
export function mergedValues(net: SymbolicConvolutional): Parts {
  if (!net.merge) return {};
  let values = merged.get(net);
  if (!values) {
    const ranks = derivedValues(deriveConvolutionalRanks(net.merge.net));
    merged.set(net, (values = { HOm: ranks.HO, HFm: ranks.HF, Hm: ranks.H }));
  }
  return values;
}

/**
 * Compares one named bound with its catalog entry. H bounds use HO and HF: symbolically they stay
 * symbols on both sides; in numbers both sides get the same values `parts`. Merge bounds use the
 * merged CNN's ranks HOm, HFm, Hm: symbols on both sides; in numbers the derivation uses the merged
 * CNN's derived bounds and the catalog its predictions (equal when the derivation reproduces them).
 */
export function compareWithCatalog(
  net: SymbolicConvolutional,
  bound: ConvolutionalBound,
  parts: { HO: number; HF: number } & Parts,
  catalog: CompiledFormula[] = loadCatalog(),
  architectureScope: Scope = convolutionalScope(net.architecture),
  options: ComparisonOptions = {},
): CatalogComparison | undefined {
  if (!bound.catalogId) return undefined;
  const formula = catalogEntry(bound.catalogId, catalog);
  const numericScope: Scope = { ...architectureScope, HO: parts.HO, HF: parts.HF };
  if (!applicableKind(formula, net.architecture, numericScope)) return undefined;
  const catalogValue = evaluateFormula(formula, numericScope);
  const derivedValue = evaluateAt(net, bound.expression, { ...mergedValues(net), ...aboveValues(net), ...parts });
  const base = { id: formula.entry.id, status: formula.entry.status, derivedValue, catalogValue, ...(bound.conjectured ? { conjectured: true as const } : {}) };
  const scope = vocabularyOf(net);
  let expression: Expr | undefined;
  try {
    const instance = instantiateInScope(formula, scope, `formula ${formula.entry.id}`);
    expression = symbolsOf(instance.expression).includes('infinity') ? undefined : instance.expression;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
  }
  if (expression) {
    const identical = identicalOverAtoms(bound.expression, expression);
    if (options.decide) {
      try {
        const proof = decideIdentity(bound.expression, expression, { maxCases: 20_000 });
        if (proof.verdict === 'proven') return { ...base, method: 'proven', expression, proof };
      } catch (error) {
        if (!(error instanceof InputError)) throw error; // outside what the procedure decides, or too many cases
      }
    }
    if (identical) return { ...base, method: 'identical', expression };
  }
  return { ...base, method: derivedValue === catalogValue ? 'evaluated' : 'differs', ...(expression ? { expression } : {}) };
}

/** convolutionalVocabulary, built once per network (every named bound is instantiated in it). */
const vocabularies = new WeakMap<SymbolicConvolutional, ReturnType<typeof convolutionalVocabulary>>();
function vocabularyOf(net: SymbolicConvolutional): ReturnType<typeof convolutionalVocabulary> {
  let vocabulary = vocabularies.get(net);
  if (!vocabulary) vocabularies.set(net, (vocabulary = convolutionalVocabulary(net)));
  return vocabulary;
}

export interface ComparisonOptions {
  /**
   * run the decision procedure on every identity (it orders products by positivity certificates):
   * a case-by-case proof, about 2 s for one convolution, 10–80 s per entry for two; by default only
   * where the atoms differ
   */
  decide?: boolean;
}

/** Every named bound of the derivations against its catalog entry (HO and HF values for the H bounds). */
export function compareDerivations(
  derivations: ConvolutionalDerivation[],
  parts: { HO: number; HF: number },
  catalog: CompiledFormula[] = loadCatalog(),
  options: ComparisonOptions = {},
): CatalogComparison[] {
  const scopes = new Map<SymbolicConvolutional, Scope>();
  const scopeOf = (net: SymbolicConvolutional): Scope => scopes.get(net) ?? scopes.set(net, convolutionalScope(net.architecture)).get(net)!;
  return derivations.flatMap((d) => d.bounds.map((b) => compareWithCatalog(d.network, b, parts, catalog, scopeOf(d.network), options)).filter((c): c is CatalogComparison => c !== undefined));
}

export const methodText: Record<ComparisonMethod, string> = {
  proven: 'proven equal by the decision procedure',
  identical: 'identical (the same polynomial over the same min/max atoms: equal for every value of the symbols)',
  evaluated: 'equal at this architecture (evaluated exactly; not compared symbolically)',
  differs: 'DIFFERS from the derivation',
};
