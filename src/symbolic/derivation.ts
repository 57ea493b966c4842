/**
 * Derivations of Hessian ranks from structure: each is a list of steps (text and LaTeX) that ends
 * in a closed form, with the expression the structure gives kept explicit so the decision
 * procedure can prove it equal to the closed form and to the catalog entry. Steps that are
 * theorems rather than computations cite their source ([SBH21], [WZWWG20]).
 *
 *   rank(H_O)            outerProductDerivation.ts   dim Σ_l U_l ⊗ V_l  (a staircase)
 *   rank(H_O block l)    layerBlockDerivation.ts     rank(A_lᵀA_l ⊗ B_lXXᵀB_lᵀ) = u_l v_l
 *   rank(H_F)            functionalDerivation.ts     Z-like blocks; exact for L ≤ 2, [SBH21] beyond
 *   rank(H)              lossHessianDerivation.ts    H = H_O + H_F; [SBH21] bound for L ≥ 2
 */
import { loadCatalog, type CompiledFormula } from '../catalog/catalog.js';
import { InputError } from '../errors.js';
import { substitute, symbolsOf, type Expr } from './expression.js';
import { decideIdentity, type IdentityResult } from './minPolynomialIdentity.js';
import { backgroundFacts, instantiateFormula, type SymbolicNetwork } from './symbolicNetwork.js';

export type Quantity = 'HO' | 'HF' | 'H' | 'HO_block';
export const quantities: readonly Quantity[] = ['H', 'HO', 'HF', 'HO_block'];

/**
 * setup: notation; computation: follows by linear algebra; theorem: cited; proof: established by
 * the decision procedure; measured: observed in exact measurements (a test), not proven; result.
 */
export type StepKind = 'setup' | 'computation' | 'theorem' | 'proof' | 'measured' | 'result';

export interface DerivationStep {
  kind: StepKind;
  title: string;
  /** plain text (Unicode mathematics) */
  text: string;
  /** the step's statement in LaTeX math mode (a getter in the CNN derivations: written only when read, for --latex and --json) */
  latex: string;
  /** sources of a theorem step */
  cites?: string[];
  /** the identity a proof step establishes */
  proof?: IdentityResult;
}

export interface DerivedRank {
  quantity: Quantity;
  /** layer of a block quantity */
  layer?: number;
  kind: 'exact' | 'upper-bound';
  /** the expression the structure (or the cited theorem) gives, explicit in d, M1, …, K, r, N */
  structural: Expr;
  /** the closed form, abbreviated with the definitions (q, s) */
  closedForm: Expr;
  definitions: [string, Expr][];
}

export interface Derivation {
  network: SymbolicNetwork;
  quantity: Quantity;
  steps: DerivationStep[];
  results: DerivedRank[];
}

/** The closed form with its definitions substituted (last definition first, so later ones may use earlier ones). */
export function explicitClosedForm(result: Pick<DerivedRank, 'closedForm' | 'definitions'>): Expr {
  let e = result.closedForm;
  for (const [name, value] of [...result.definitions].reverse()) e = substitute(e, { [name]: value });
  return e;
}

/** Proves `lhs = rhs` under the network's background facts (r ≤ d, …) and extra assumptions. */
export function proveForNetwork(net: SymbolicNetwork, lhs: Expr, rhs: Expr, extra: Expr[] = []): IdentityResult {
  const usesSamples = [lhs, rhs, ...extra].some((e) => symbolsOf(e).includes('N'));
  return decideIdentity(lhs, rhs, { assumptions: [...backgroundFacts(net, usesSamples), ...extra] });
}

export interface CatalogProof {
  id: string;
  layer?: number;
  conditions: Expr[];
  result: IdentityResult;
}

/** Catalog entries for this quantity that apply to a linear network of this depth, loss and bias. */
export function catalogEntriesFor(net: SymbolicNetwork, quantity: Quantity, catalog: CompiledFormula[] = loadCatalog()): CompiledFormula[] {
  return catalog.filter((f) => {
    const { domain } = f.entry;
    if (f.entry.family !== 'fully-connected' || f.entry.quantity !== quantity) return false;
    if (domain.loss && !domain.loss.includes(net.loss)) return false;
    if (domain.bias !== undefined && domain.bias !== net.bias) return false;
    if (domain.activation && !domain.activation.includes('linear')) return false;
    return true;
  });
}

/** Proves each derived result equal to every catalog entry that applies to it. */
export function proveAgainstCatalog(derivation: Derivation, catalog: CompiledFormula[] = loadCatalog()): CatalogProof[] {
  const proofs: CatalogProof[] = [];
  for (const result of derivation.results) {
    for (const formula of catalogEntriesFor(derivation.network, result.quantity, catalog)) {
      const instance = instantiateFormula(formula, derivation.network, result.layer);
      if (!instance.applies) continue;
      proofs.push({
        id: formula.entry.id,
        layer: result.layer,
        conditions: instance.conditions,
        result: proveForNetwork(derivation.network, result.structural, instance.expression, instance.conditions),
      });
    }
  }
  return proofs;
}

export function requireQuantity(text: string | undefined): Quantity {
  const quantity = (text ?? 'H') as Quantity;
  if (!quantities.includes(quantity)) throw new InputError(`--quantity must be one of ${quantities.join(', ')}, got "${text}"`);
  return quantity;
}
