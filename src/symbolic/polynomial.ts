/**
 * Multivariate polynomials with exact rational coefficients: Σ_m c_m x^m, kept in normal form
 * (monomials sorted, zero terms dropped), so two polynomials are equal iff their normal forms are.
 * The decision procedure reduces every case of a min-polynomial identity to one such comparison.
 */
import * as Q from './rational.js';
import type { Rational } from './rational.js';

/** A monomial: [symbol, exponent ≥ 1] pairs sorted by symbolOrder. */
export type Monomial = readonly (readonly [string, number])[];

interface Term {
  readonly monomial: Monomial;
  readonly coefficient: Rational;
  readonly key?: string;
}

/**
 * The order symbols are printed in: depth, input, hidden widths, outputs, data, then the rest
 * alphabetically — so results read d, M1, M2, K, r as in the papers.
 */
const leadingSymbols = ['L', 'l', 'd', 'M'];
const trailingSymbols = ['K', 'r', 'N', 'q', 's', 'p'];

const rankCache = new Map<string, [number, number, string]>();

function symbolRank(name: string): [number, number, string] {
  let rank = rankCache.get(name);
  if (!rank) {
    rank = computeSymbolRank(name);
    rankCache.set(name, rank);
  }
  return rank;
}

function computeSymbolRank(name: string): [number, number, string] {
  const lead = leadingSymbols.indexOf(name);
  if (lead >= 0) return [0, lead, ''];
  const hidden = /^M(\d+)$/.exec(name);
  if (hidden) return [1, Number(hidden[1]), ''];
  const trail = trailingSymbols.indexOf(name);
  if (trail >= 0) return [2, trail, ''];
  return [3, 0, name];
}

export function symbolOrder(a: string, b: string): number {
  if (a === b) return 0;
  // the inner loop of every product and sum: no destructuring, no allocation
  const ra = symbolRank(a);
  const rb = symbolRank(b);
  return ra[0] - rb[0] || ra[1] - rb[1] || (ra[2] < rb[2] ? -1 : ra[2] > rb[2] ? 1 : 0);
}

/** "M1^2*d": the key of a monomial in a polynomial's map of terms. */
function monomialKey(monomial: Monomial): string {
  let key = '';
  for (let i = 0; i < monomial.length; i++) {
    const [s, e] = monomial[i]!;
    key += (i === 0 ? '' : '*') + (e === 1 ? s : `${s}^${e}`);
  }
  return key;
}

/** merges two sorted monomials */
function multiplyMonomials(a: Monomial, b: Monomial): Monomial {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  // the factors' [symbol, exponent] pairs are immutable: shared, not copied
  const result: (readonly [string, number])[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length) result.push(a[i++]!);
    else if (i >= a.length) result.push(b[j++]!);
    else {
      const order = symbolOrder(a[i]![0], b[j]![0]);
      if (order < 0) result.push(a[i++]!);
      else if (order > 0) result.push(b[j++]!);
      else result.push([a[i]![0], a[i++]![1] + b[j++]![1]]);
    }
  }
  return result;
}

const totalDegree = (m: Monomial): number => m.reduce((sum, [, e]) => sum + e, 0);

function compareMonomials(a: Monomial, b: Monomial): number {
  const byDegree = totalDegree(b) - totalDegree(a);
  if (byDegree !== 0) return byDegree;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const bySymbol = symbolOrder(a[i]![0], b[i]![0]);
    if (bySymbol !== 0) return bySymbol;
    const byExponent = b[i]![1] - a[i]![1];
    if (byExponent !== 0) return byExponent;
  }
  return b.length - a.length;
}

export interface LinearForm {
  constant: Rational;
  coefficients: Map<string, Rational>;
}

export class Polynomial {
  private constructor(private readonly terms: ReadonlyMap<string, Term>) {}

  static constant(value: Rational | number | bigint): Polynomial {
    const c = typeof value === 'object' ? value : Q.rational(value);
    return new Polynomial(Q.isZero(c) ? new Map() : new Map([['', { monomial: [], coefficient: c }]]));
  }

  static symbol(name: string): Polynomial {
    return new Polynomial(new Map([[name, { monomial: [[name, 1]], coefficient: Q.one }]]));
  }

  static readonly zero = Polynomial.constant(0);
  static readonly one = Polynomial.constant(1);

  private static fromTerms(terms: Iterable<Term>): Polynomial {
    const map = new Map<string, Term>();
    for (const term of terms) Polynomial.addTerm(map, term.key ?? monomialKey(term.monomial), term.monomial, term.coefficient);
    return new Polynomial(map);
  }

  /** adds c·m to the terms (key: m's key), dropping a term that cancels */
  private static addTerm(map: Map<string, Term>, key: string, monomial: Monomial, c: Rational): void {
    const previous = map.get(key);
    const coefficient = previous ? Q.add(previous.coefficient, c) : c;
    if (Q.isZero(coefficient)) map.delete(key);
    else map.set(key, { monomial, coefficient, key });
  }

  plus(other: Polynomial): Polynomial {
    if (other.terms.size === 0) return this;
    if (this.terms.size === 0) return other;
    // this polynomial's terms are distinct and nonzero: fromTerms would copy them as they are, then add the other's
    const map = new Map(this.terms);
    for (const [key, t] of other.terms) Polynomial.addTerm(map, key, t.monomial, t.coefficient);
    return new Polynomial(map);
  }

  minus(other: Polynomial): Polynomial {
    if (other.terms.size === 0) return this;
    if (this.terms.size === 0) return other.negate();
    // this + (−other) without building −other
    const map = new Map(this.terms);
    for (const [key, t] of other.terms) Polynomial.addTerm(map, key, t.monomial, Q.negate(t.coefficient));
    return new Polynomial(map);
  }

  negate(): Polynomial {
    return this.scale(Q.rational(-1));
  }

  scale(factor: Rational): Polynomial {
    if (Q.isZero(factor)) return Polynomial.zero;
    if (Q.equals(factor, Q.one)) return this;
    const map = new Map<string, Term>();
    for (const [k, t] of this.terms) map.set(k, { monomial: t.monomial, coefficient: Q.multiply(t.coefficient, factor), key: k });
    return new Polynomial(map);
  }

  times(other: Polynomial): Polynomial {
    if (this.terms.size === 0 || other.terms.size === 0) return Polynomial.zero;
    const c = other.constantValue();
    if (c) return this.scale(c);
    const d = this.constantValue();
    if (d) return other.scale(d);
    // the products added in order, as fromTerms would
    const map = new Map<string, Term>();
    for (const a of this.terms.values()) {
      for (const b of other.terms.values()) {
        const monomial = multiplyMonomials(a.monomial, b.monomial);
        Polynomial.addTerm(map, monomialKey(monomial), monomial, Q.multiply(a.coefficient, b.coefficient));
      }
    }
    return new Polynomial(map);
  }

  pow(exponent: number): Polynomial {
    if (!Number.isInteger(exponent) || exponent < 0) throw new RangeError(`polynomial power needs an integer exponent ≥ 0, got ${exponent}`);
    let result = Polynomial.one;
    for (let i = 0; i < exponent; i++) result = result.times(this);
    return result;
  }

  /** the terms, leading (highest degree) first */
  entries(): { monomial: Monomial; coefficient: Rational }[] {
    return this.sortedTerms().map((t) => ({ monomial: t.monomial, coefficient: t.coefficient }));
  }

  /** Σ c·m from terms (like monomials are added) */
  static fromEntries(terms: Iterable<{ monomial: Monomial; coefficient: Rational }>): Polynomial {
    return Polynomial.fromTerms([...terms].map((t) => ({ monomial: t.monomial, coefficient: t.coefficient })));
  }

  /** every coefficient is ≥ 0 (the terms in any order: no sorting) */
  nonnegativeCoefficients(): boolean {
    for (const t of this.terms.values()) if (Q.compare(t.coefficient, Q.zero) < 0) return false;
    return true;
  }

  termCount(): number {
    return this.terms.size;
  }

  isZero(): boolean {
    return this.terms.size === 0;
  }

  /** the constant value, or undefined if the polynomial depends on a symbol */
  constantValue(): Rational | undefined {
    if (this.terms.size === 0) return Q.zero;
    if (this.terms.size === 1 && this.terms.has('')) return this.terms.get('')!.coefficient;
    return undefined;
  }

  equals(other: Polynomial): boolean {
    return this.minus(other).isZero();
  }

  symbols(): string[] {
    const names = new Set<string>();
    for (const t of this.terms.values()) for (const [s] of t.monomial) names.add(s);
    return [...names].sort(symbolOrder);
  }

  degree(): number {
    let degree = 0;
    for (const t of this.terms.values()) degree = Math.max(degree, totalDegree(t.monomial));
    return degree;
  }

  /** highest power of `name` occurring */
  degreeIn(name: string): number {
    let degree = 0;
    for (const t of this.terms.values()) for (const [s, e] of t.monomial) if (s === name) degree = Math.max(degree, e);
    return degree;
  }

  /** the coefficient of name^k, a polynomial in the other symbols */
  coefficientOf(name: string, k: number): Polynomial {
    const terms: Term[] = [];
    for (const t of this.terms.values()) {
      const e = t.monomial.find(([s]) => s === name)?.[1] ?? 0;
      if (e === k) terms.push({ monomial: t.monomial.filter(([s]) => s !== name), coefficient: t.coefficient });
    }
    return Polynomial.fromTerms(terms);
  }

  /** c + Σ a_x x when the degree is at most 1, else undefined */
  linearForm(): LinearForm | undefined {
    if (this.degree() > 1) return undefined;
    const coefficients = new Map<string, Rational>();
    let constant = Q.zero;
    for (const t of this.terms.values()) {
      if (t.monomial.length === 0) constant = t.coefficient;
      else coefficients.set(t.monomial[0]![0], t.coefficient);
    }
    return { constant, coefficients };
  }

  substitute(values: ReadonlyMap<string, Polynomial>): Polynomial {
    if (!this.symbols().some((s) => values.has(s))) return this;
    // every term's product is collected and summed once (adding term by term copies the growing
    // sum each time: quadratic in its size); powers of a substituted symbol are computed once
    const powers = new Map<string, Polynomial>();
    const power = (s: string, e: number): Polynomial => {
      const key = `${s}^${e}`;
      let value = powers.get(key);
      if (!value) powers.set(key, (value = e === 1 ? (values.get(s) ?? Polynomial.symbol(s)) : power(s, e - 1).times(power(s, 1))));
      return value;
    };
    const terms: Term[] = [];
    for (const t of this.terms.values()) {
      let product = Polynomial.constant(t.coefficient);
      for (const [s, e] of t.monomial) product = product.times(power(s, e));
      for (const term of product.terms.values()) terms.push(term);
    }
    return Polynomial.fromTerms(terms);
  }

  evaluate(point: ReadonlyMap<string, Rational> | Record<string, number | bigint>): Rational {
    const lookup = (s: string): Rational => {
      const v = point instanceof Map ? point.get(s) : (point as Record<string, number | bigint>)[s];
      if (v === undefined) throw new RangeError(`no value for symbol ${s}`);
      return typeof v === 'object' ? v : Q.rational(v);
    };
    let sum = Q.zero;
    for (const t of this.terms.values()) {
      let product = t.coefficient;
      for (const [s, e] of t.monomial) product = Q.multiply(product, Q.power(lookup(s), e));
      sum = Q.add(sum, product);
    }
    return sum;
  }

  /**
   * The content: the largest monomial times the gcd of the integer coefficients dividing every
   * term (sign taken from the leading term), and the quotient — so 2Ls − 2s reads 2s · (L − 1).
   */
  content(): { factor: Polynomial; quotient: Polynomial } {
    const terms = this.sortedTerms();
    if (terms.length === 0 || terms.some((t) => !Q.isInteger(t.coefficient))) return { factor: Polynomial.one, quotient: this };
    let g = 0n;
    for (const t of terms) {
      let a = t.coefficient.n < 0n ? -t.coefficient.n : t.coefficient.n;
      let b = g;
      while (b !== 0n) [a, b] = [b, a % b];
      g = a;
    }
    if (terms[0]!.coefficient.n < 0n) g = -g;
    const common = new Map<string, number>(terms[0]!.monomial.map(([sym, e]) => [sym, e]));
    for (const t of terms.slice(1)) {
      for (const [sym, e] of [...common]) {
        const here = t.monomial.find(([x]) => x === sym)?.[1] ?? 0;
        if (here === 0) common.delete(sym);
        else common.set(sym, Math.min(e, here));
      }
    }
    const monomial: Monomial = [...common.entries()].sort((a, b) => symbolOrder(a[0], b[0]));
    const factor = Polynomial.fromTerms([{ monomial, coefficient: Q.rational(g) }]);
    const quotient = Polynomial.fromTerms(
      terms.map((t) => ({
        monomial: t.monomial.map(([sym, e]) => [sym, e - (common.get(sym) ?? 0)] as const).filter(([, e]) => e > 0),
        coefficient: Q.divide(t.coefficient, Q.rational(g)),
      })),
    );
    return { factor, quotient };
  }

  private sortedTerms(): Term[] {
    return [...this.terms.values()].sort((a, b) => compareMonomials(a.monomial, b.monomial));
  }

  /** mathjs syntax, e.g. "-M1^2 + K * M1 + M1 * r" (parses back to the same polynomial) */
  toString(): string {
    return this.render(
      (m) => m.map(([s, e]) => (e === 1 ? s : `${s}^${e}`)).join(' * '),
      (c) => Q.toString(c),
      ' * ',
    );
  }

  toTex(symbolTex: (name: string) => string): string {
    return this.render(
      (m) => m.map(([s, e]) => (e === 1 ? symbolTex(s) : `${symbolTex(s)}^{${e}}`)).join(' '),
      (c) => (c.d === 1n ? c.n.toString() : `\\frac{${c.n}}{${c.d}}`),
      ' ',
    );
  }

  private render(monomial: (m: Monomial) => string, coefficient: (c: Rational) => string, times: string): string {
    const terms = this.sortedTerms();
    if (terms.length === 0) return '0';
    return terms
      .map((t, i) => {
        const negative = t.coefficient.n < 0n;
        const magnitude = negative ? Q.negate(t.coefficient) : t.coefficient;
        const unit = Q.equals(magnitude, Q.one);
        const body =
          t.monomial.length === 0 ? coefficient(magnitude) : unit ? monomial(t.monomial) : `${coefficient(magnitude)}${times}${monomial(t.monomial)}`;
        if (i === 0) return negative ? `-${body}` : body;
        return negative ? ` - ${body}` : ` + ${body}`;
      })
      .join('');
  }
}
