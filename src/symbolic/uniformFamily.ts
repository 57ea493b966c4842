/**
 * The uniform family: depth L (a symbol, L ≥ 2), every hidden width M, input d, outputs K.
 *
 *   u_l = min(M, K) (l < L), u_L = K;  v_1 = r, v_l = min(r, M) (l ≥ 2): only the first and the
 *   last step of the staircase are nonzero, so rank H_O = min(M, K) r + (K − min(M, K)) min(r, M)
 *   = q(r + K − q) with q = min(r, M, K), independent of L;
 *   rank H_F = 2q(L − 1)M + 2qs − Lq²  ([SBH21]; here the structural bound equals it, proven);
 *   rank H ≤ 2q(L − 1)M + q(r + K) − Lq²  ([SBH21]);   p = dM + (L − 2)M² + MK.
 *
 * Cross-entropy: K → K − 1 in u_l, q and s. The family is checked against the catalog at each
 * concrete depth 2–6 (every M_i set to M), since the catalog's vectors need a depth.
 */
import { InputError } from '../errors.js';
import type { CompiledFormula } from '../catalog/catalog.js';
import { loadCatalog } from '../catalog/catalog.js';
import { constant, difference, minimum, parseExpression, power, product, substitute, sum, symbol, symbolsOf, toTex, toText, type Expr } from './expression.js';
import { catalogEntriesFor, explicitClosedForm, proveForNetwork, type DerivationStep, type DerivedRank, type Quantity } from './derivation.js';
import type { IdentityResult } from './minPolynomialIdentity.js';
import { proofSummary } from './proofText.js';
import { hiddenWidths, instantiateFormula, type SymbolicNetwork } from './symbolicNetwork.js';
import type { Loss } from '../architecture/fullyConnected.js';
import { decideIdentity } from './minPolynomialIdentity.js';

export interface FamilyDerivation {
  loss: Loss;
  quantity: Exclude<Quantity, 'HO_block'>;
  steps: DerivationStep[];
  result: DerivedRank;
  /** p = dM + (L − 2)M² + MK */
  parameters: Expr;
}

const [L, M, r, K, d, q, s] = ['L', 'M', 'r', 'K', 'd', 'q', 's'].map(symbol) as [Expr, Expr, Expr, Expr, Expr, Expr, Expr];

export const familyOutputRank = (loss: Loss): Expr => (loss === 'ce' ? difference(K, constant(1)) : K);
export const familyBottleneck = (loss: Loss): Expr => minimum([r, M, familyOutputRank(loss)]);
export const familyDataOutputRank = (loss: Loss): Expr => minimum([r, familyOutputRank(loss)]);

/** p = dM + (L − 2)M² + MK for L ≥ 2 */
export function familyParameters(): Expr {
  return sum(product(d, M), product(difference(L, constant(2)), power(M, 2)), product(M, K));
}

/** the family's closed forms, abbreviated with q and s */
export function familyRank(loss: Loss, quantity: Exclude<Quantity, 'HO_block'>): DerivedRank {
  const Kp = familyOutputRank(loss);
  const definitions: [string, Expr][] = [
    ['q', familyBottleneck(loss)],
    ['s', familyDataOutputRank(loss)],
  ];
  const hiddenSum = product(difference(L, constant(1)), M);
  const closedForm =
    quantity === 'HO'
      ? product(q, difference(sum(r, Kp), q))
      : quantity === 'HF'
        ? difference(sum(product(constant(2), q, hiddenSum), product(constant(2), q, s)), product(L, power(q, 2)))
        : difference(sum(product(constant(2), q, hiddenSum), product(q, sum(r, Kp))), product(L, power(q, 2)));
  const used = definitions.filter(([name]) => symbolsOf(closedForm).includes(name));
  return {
    quantity,
    kind: quantity === 'H' ? 'upper-bound' : 'exact',
    structural: explicitClosedForm({ closedForm, definitions: used }),
    closedForm,
    definitions: used,
  };
}

const familyAssumptions = () => [parseExpression('L >= 2'), parseExpression('r <= d')];

function familyProof(lhs: Expr, rhs: Expr, extra: Expr[] = []): IdentityResult {
  return decideIdentity(lhs, rhs, { assumptions: [...familyAssumptions(), ...extra] });
}

export function deriveUniformFamily(loss: Loss, quantity: Quantity): FamilyDerivation {
  if (quantity === 'HO_block') throw new InputError('the uniform family covers H, HO and HF');
  const Kp = familyOutputRank(loss);
  const Ktext = toText(Kp);
  const result = familyRank(loss, quantity);
  const steps: DerivationStep[] = [
    {
      kind: 'setup',
      title: 'the family',
      text: `Depth L ≥ 2 (a symbol), input d, every hidden width M, outputs K; data rank r; ${loss === 'mse' ? 'MSE' : 'cross-entropy'} loss. p = ${toText(familyParameters())}.`,
      latex: `(M_0, M_1, \\dots, M_{L-1}, M_L) = (d, M, \\dots, M, K),\\quad p = ${toTex(familyParameters())}`,
    },
  ];
  if (quantity === 'HO') {
    const uFirst = minimum([M, Kp]);
    const area = sum(product(uFirst, r), product(difference(Kp, uFirst), minimum([r, M])));
    steps.push({
      kind: 'computation',
      title: 'the staircase of a uniform network',
      text:
        `From the depth-L derivation (rank H_O = Σ_l (u_l − u_{l−1}) v_l): u_l = min(M, ${Ktext}) for l < L, u_L = ${Ktext}; v_1 = r, v_l = min(r, M) for l ≥ 2. ` +
        `Only the first and last steps are nonzero: rank H_O = ${toText(area)}, for every L.`,
      latex: `\\operatorname{rank} H_O = u_1 v_1 + (u_L - u_{L-1})\\,v_L = ${toTex(area)}`,
    });
    const proof = familyProof(area, result.structural);
    steps.push({
      kind: 'proof',
      title: 'in closed form',
      text: `${proofSummary(proof)}: ${toText(area)} = q(r + ${Ktext} − q), q = ${toText(familyBottleneck(loss))}.`,
      latex: `${toTex(area)} = ${toTex(result.closedForm)}`,
      proof,
    });
  } else if (quantity === 'HF') {
    const sm = minimum([s, M]);
    const bound = sum(product(constant(2), s, M), product(difference(L, constant(2)), difference(product(constant(2), M, sm), power(sm, 2))));
    steps.push({
      kind: 'computation',
      title: 'the structural bound of a uniform network',
      text: `From the depth-L derivation: dim P_1 = dim P_L = sM and dim P_l = 2M·min(s, M) − min(s, M)² for 1 < l < L, so rank H_F ≤ ${toText(bound)}.`,
      latex: `\\operatorname{rank} H_F \\le ${toTex(bound)}`,
    });
    steps.push({
      kind: 'theorem',
      title: 'the exact count',
      text: `[SBH21]: rank H_F = ${toText(result.closedForm)} with q = ${toText(familyBottleneck(loss))}, s = ${toText(familyDataOutputRank(loss))}.`,
      latex: `\\operatorname{rank} H_F = ${toTex(result.closedForm)}`,
      cites: ['SBH21'],
    });
    const proof = familyProof(substitute(bound, { s: familyDataOutputRank(loss) }), result.structural);
    steps.push({
      kind: 'proof',
      title: 'for uniform widths the bound is exact',
      text: `${proofSummary(proof)}: the structural bound equals the [SBH21] count for every L ≥ 2.`,
      latex: `${toTex(bound)} = ${toTex(result.closedForm)}`,
      proof,
    });
  } else {
    steps.push({
      kind: 'theorem',
      title: 'the bound',
      text: `[SBH21] with Σ_i M_i = (L − 1)M: rank H ≤ ${toText(result.closedForm)}, q = ${toText(familyBottleneck(loss))}.`,
      latex: `\\operatorname{rank} H \\le ${toTex(result.closedForm)}`,
      cites: ['SBH21'],
    });
  }
  const definitions = result.definitions.map(([name, value]) => `${name} = ${toText(value)}`).join(', ');
  steps.push({
    kind: 'result',
    title: `rank of ${quantity === 'HO' ? 'H_O' : quantity === 'HF' ? 'H_F' : 'H'} for the uniform family`,
    text: `rank ${quantity === 'HO' ? 'H_O' : quantity === 'HF' ? 'H_F' : 'H'} ${quantity === 'H' ? '≤' : '='} ${toText(result.closedForm)}${definitions ? `, ${definitions}` : ''}`,
    latex: `\\operatorname{rank} ${quantity === 'HO' ? 'H_O' : quantity === 'HF' ? 'H_F' : 'H'} ${quantity === 'H' ? '\\le' : '='} ${toTex(result.closedForm)}`,
  });
  return { loss, quantity, steps, result, parameters: familyParameters() };
}

export interface FamilyCatalogProof {
  id: string;
  depth: number;
  result: IdentityResult;
}

/** The family at depth k (every M_i = M) against each applicable catalog entry, k = 2..maxDepth. */
export function proveFamilyAgainstCatalog(family: FamilyDerivation, maxDepth = 6, catalog: CompiledFormula[] = loadCatalog()): FamilyCatalogProof[] {
  const proofs: FamilyCatalogProof[] = [];
  for (let k = 2; k <= maxDepth; k++) {
    const net: SymbolicNetwork = { depth: k, loss: family.loss, bias: false };
    const uniform = Object.fromEntries(hiddenWidths(k).map((name) => [name, M]));
    const atDepth = substitute(family.result.structural, { L: constant(k) });
    for (const formula of catalogEntriesFor(net, family.quantity, catalog)) {
      const instance = instantiateFormula(formula, net);
      if (!instance.applies) continue;
      proofs.push({ id: formula.entry.id, depth: k, result: proveForNetwork(net, atDepth, substitute(instance.expression, uniform), instance.conditions) });
    }
  }
  return proofs;
}
