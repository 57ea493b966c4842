/**
 * Certificates that a polynomial is nonnegative at every integer point of a region:
 *
 *     P(x) ≥ 0 on the region   ⇐   P(T(δ)) has only nonnegative coefficients,
 *
 * where T writes every symbol through a lower bound the region implies: x = y + c + δ_x (the
 * region implies x − y ≥ c) or x = lo + δ_x, with δ_x ≥ 0 an integer at every point of the region.
 * Every point of the region is T(δ) for some δ ≥ 0, and a polynomial with nonnegative
 * coefficients is nonnegative at δ ≥ 0. This is how monotone products of positive integers are
 * compared: with b = a + δ_b and a = 1 + δ_a, b² − a² = 2δ_aδ_b + 2δ_b + δ_b² ≥ 0, so a ≤ b gives
 * a² ≤ b², and c·k ≤ c′·k′ follows from c ≤ c′ and k ≤ k′ in the same way.
 * If the shifted polynomial has a negative coefficient, a known fact G ≥ 0 of the region (a
 * linear constraint, or a bound on a product recorded by an earlier case split) is used once or
 * twice: P = μ·m·G + R with μ > 0 and m a monomial (m ≥ 0, the symbols are positive), and R is
 * certified as above. Sound but not complete: a polynomial without a certificate is left undecided.
 */
import { Polynomial, type Monomial } from './polynomial.js';
import * as Q from './rational.js';

export interface PositivityFacts {
  /** x ↦ T(x), a polynomial in the shift variables δ_x, for every symbol of the region */
  shifts: ReadonlyMap<string, Polynomial>;
  /** x ↦ its parent symbol plus c plus δ_x (one level of T, for symbols above another), e.g. n1 ↦ u1 + δ_n1 */
  parents: ReadonlyMap<string, Polynomial>;
  /** how each symbol was written, e.g. "b = a + δ_b" */
  shiftText: ReadonlyMap<string, string>;
  /** polynomials known to be ≥ 0 on the region, with the reason (e.g. "a condition of the case") */
  nonnegative: readonly { poly: Polynomial; text: string }[];
}

/** how many m·G subtractions a certificate may use, and how many it tries */
const maximumSteps = 2;
const maximumTries = 400;
/**
 * polynomials beyond these sizes get no certificate: at most this many terms, and at most
 * `maximumShiftedTerms` monomials of its degree in the shift variables (C(degree + n, n) for n shifts)
 */
const maximumTerms = 400;
const maximumShiftedTerms = 50_000;

function tooLarge(p: Polynomial, shifts: number): boolean {
  if (p.termCount() > maximumTerms) return true;
  let monomials = 1;
  for (let i = 1; i <= shifts; i++) {
    monomials = (monomials * (p.degree() + i)) / i;
    if (monomials > maximumShiftedTerms) return true;
  }
  return false;
}

function divideMonomial(a: Monomial, b: Monomial): Monomial | undefined {
  const result: [string, number][] = [];
  for (const [s, e] of a) {
    const f = b.find(([t]) => t === s)?.[1] ?? 0;
    if (f > e) return undefined;
    if (e > f) result.push([s, e - f]);
  }
  for (const [t] of b) if (!a.some(([s]) => s === t)) return undefined;
  return result;
}

function shiftsUsed(p: Polynomial, facts: PositivityFacts): string {
  const used = p.symbols().filter((s) => facts.shiftText.has(s));
  return used.map((s) => facts.shiftText.get(s)!).join(', ');
}

/**
 * A readable certificate that p ≥ 0 everywhere on the region, or undefined when none was found.
 *
 * T is a ring homomorphism, so each try is incremental: T(q − m·G) = T(q) − T(m)·T(G), with T(q)
 * computed once per polynomial searched and T(G) once per fact (substituting T into the whole
 * polynomial at every try made one search cost seconds on the CNN identities of degree 3–4). A
 * level of q (written through `parents`) is the same function as q, and T maps it to T(q).
 */
export function nonnegativeCertificate(p: Polynomial, facts: PositivityFacts): string | undefined {
  if (tooLarge(p, facts.shifts.size)) return undefined;
  let tries = 0;
  const shiftedFacts = new Map<number, Polynomial>();
  const shiftedFact = (i: number): Polynomial => shiftedFacts.get(i) ?? shiftedFacts.set(i, facts.nonnegative[i]!.poly.substitute(facts.shifts)).get(i)!;
  const factTerms = facts.nonnegative.map((fact) => fact.poly.entries().filter((g) => g.coefficient.n > 0n && g.monomial.length > 0));
  // T(m)·T(G) by fact and monomial, once per certificate: the tries below the first step meet the same
  // monomials and facts again (the terms of q − μ·m·G are mostly q's), and the product of two shifted
  // polynomials is the search's largest cost (T(μ·m·G) = μ·T(m)·T(G))
  const shiftedProducts = new Map<string, Polynomial>();
  const shiftedProduct = (m: Monomial, index: number): Polynomial => {
    const key = `${index}|${m.map(([s, e]) => `${s}^${e}`).join('*')}`;
    let product = shiftedProducts.get(key);
    if (!product) shiftedProducts.set(key, (product = Polynomial.fromEntries([{ monomial: m, coefficient: Q.one }]).substitute(facts.shifts).times(shiftedFact(index))));
    return product;
  };
  const search = (q: Polynomial, shiftedQ: Polynomial, steps: number): string | undefined => {
    if (tooLarge(q, facts.shifts.size)) return undefined;
    if (shiftedQ.nonnegativeCoefficients()) return `${q} = ${shiftedQ} ≥ 0 with ${shiftsUsed(q, facts) || 'no shift'} (δ ≥ 0)`;
    if (steps === 0) return undefined;
    // q written one level of shifts at a time (n1 → u1 + δ_n1 → …): the same function on the
    // region, whose terms may be multiples of a known fact's terms that q's own terms are not
    const levels = [q];
    for (let i = 0; i < 4; i++) {
      const next = levels.at(-1)!.substitute(facts.parents);
      if (next.equals(levels.at(-1)!)) break;
      levels.push(next);
    }
    for (const level of levels) {
      for (const term of level.entries()) {
        if (term.coefficient.n <= 0n) continue;
        for (const [index, fact] of facts.nonnegative.entries()) {
          for (const g of factTerms[index]!) {
            const m = divideMonomial(term.monomial, g.monomial);
            if (!m) continue;
            if (++tries > maximumTries) return undefined;
            const mu = Q.divide(term.coefficient, g.coefficient);
            const multiplier = Polynomial.fromEntries([{ monomial: m, coefficient: mu }]);
            const rest = level.minus(multiplier.times(fact.poly));
            const shiftedRest = shiftedQ.minus(shiftedProduct(m, index).scale(mu));
            const certificate = search(rest, shiftedRest, steps - 1);
            if (certificate) return `${level} = ${multiplier} · (${fact.poly}) + ${rest}, where ${fact.poly} >= 0 (${fact.text}); ${certificate}`;
          }
        }
      }
    }
    return undefined;
  };
  return search(p, p.substitute(facts.shifts), maximumSteps);
}
