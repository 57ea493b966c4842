/**
 * A derived rank under the user's assumptions: the definitions (q, s) and the closed form with
 * every min/max/comparison the assumptions decide replaced, its polynomial normal form when no
 * min/max is left, and a proof (decision procedure) that it equals the general closed form at
 * every point satisfying the assumptions and the background facts (r ≤ d, …).
 *
 * N enters through r = min(N, d) (generic data): when the assumptions order N and d, r is
 * replaced by N or d.
 */
import { explicitClosedForm, proveForNetwork, type DerivedRank } from './derivation.js';
import { assumptionRegion, polynomialOf, simplifyUnder } from './assumptions.js';
import { compare, parseExpression, substitute, symbol, symbolsOf, type Expr } from './expression.js';
import { polynomialExpr } from './minPolynomial.js';
import type { IdentityResult } from './minPolynomialIdentity.js';
import { differenceForm } from './orderRegion.js';
import { Polynomial } from './polynomial.js';
import { backgroundFacts, networkSymbols, type SymbolicNetwork } from './symbolicNetwork.js';

export interface SimplifiedRank {
  closedForm: Expr;
  definitions: [string, Expr][];
  /** the closed form with the definitions substituted */
  explicit: Expr;
  /** the normal form, when no min/max/comparison is left */
  polynomial?: Polynomial;
  /** explicit = the general closed form under the assumptions */
  proof: IdentityResult;
}

/** Background facts plus the user's assumptions, with r pinned when N and d are ordered. */
export function networkAssumptions(net: SymbolicNetwork, user: Expr[], extraSymbols: string[] = []): Expr[] {
  const usesSamples = user.some((e) => symbolsOf(e).includes('N'));
  const facts = [...backgroundFacts(net, false), ...user];
  if (usesSamples) {
    const region = assumptionRegion([...networkSymbols(net.depth), ...extraSymbols], facts);
    const N = Polynomial.symbol('N');
    const d = Polynomial.symbol('d');
    const decide = (a: Polynomial, b: Polynomial) => region.decide(differenceForm(a, b)!);
    if (decide(d, N) === true) facts.push(compare('==', symbol('r'), symbol('d')));
    else if (decide(N, d) === true) facts.push(compare('==', symbol('r'), symbol('N')));
    else facts.push(parseExpression('r <= N'));
  }
  return facts;
}

export function simplifyRank(result: DerivedRank, net: SymbolicNetwork, user: Expr[]): SimplifiedRank {
  const facts = networkAssumptions(net, user);
  const symbols = new Set([...networkSymbols(net.depth), ...symbolsOf(explicitClosedForm(result))]);
  const region = assumptionRegion(symbols, facts);
  // equalities the assumptions imply (r = d, M1 = K, …) are substituted, later symbols by earlier ones
  const equal = new Map([...region.equalities()].map(([name, p]) => [name, polynomialExpr(p)]));
  const settle = (e: Expr) => simplifyUnder(substitute(e, equal), region);
  const definitions = result.definitions.map(([name, value]) => [name, settle(value)] as [string, Expr]);
  const closedForm = settle(result.closedForm);
  const explicit = settle(explicitClosedForm({ closedForm, definitions }));
  const polynomial = polynomialOf(explicit);
  const proof = proveForNetwork(net, explicit, explicitClosedForm(result), user);
  return { closedForm, definitions, explicit, polynomial, proof };
}
