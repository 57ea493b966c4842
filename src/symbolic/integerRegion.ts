/**
 * The region of positive-integer points a case of the decision procedure lives in: every
 * constraint p ≤ 0 a case split or an assumption adds, kept in the strongest form that applies:
 *
 *     p = k·(x − y) + c          a difference constraint (OrderRegion: closed, exact),
 *     p = Σ aᵢxᵢ + c             a linear inequality (Fourier–Motzkin with integer tightening:
 *                                emptiness and implications are sound, not complete),
 *     p of degree ≥ 2            a bound lo ≤ S ≤ hi on p's shape S (p = g·S + c), used by the
 *                                positivity certificates (src/symbolic/positivity.ts).
 *
 * Every answer is sound at integer points: "empty" means no integer point; decideNonpositive(p)
 * = true means p ≤ 0 at every point, false means p > 0 at every point, undefined means not
 * decided. Strictness is exact because p is first scaled to coprime integer coefficients (p < 0
 * ⟺ p ≤ −1 at integer points). With only difference constraints the region is an OrderRegion and
 * every answer is exact (the fragment of src/symbolic/orderRegion.ts).
 */
import type { RandomStream } from '../numeric/random.js';
import {
  floorDivide,
  inequalityOf,
  inequalityPolynomial,
  provablyEmpty,
  primitive,
  satisfies,
  variableRange,
  type LinearInequality,
} from './linearInequalities.js';
import { differenceForm, OrderRegion } from './orderRegion.js';
import { Polynomial } from './polynomial.js';
import { nonnegativeCertificate, type PositivityFacts } from './positivity.js';
import * as Q from './rational.js';

/** lo ≤ shape ≤ hi, shape with coprime integer coefficients, positive leading term, no constant */
interface ShapeBound {
  shape: Polynomial;
  lo?: bigint;
  hi?: bigint;
}

/** p = g·shape + c with g a nonzero integer and shape as in ShapeBound (p integral, nonconstant) */
function shapeOf(p: Polynomial): { shape: Polynomial; g: bigint; c: bigint } {
  const constant = p.entries().find((t) => t.monomial.length === 0)?.coefficient.n ?? 0n;
  const rest = p.minus(Polynomial.constant(constant));
  const shape0 = primitive(rest);
  const lead = shape0.entries()[0]!.coefficient.n;
  const shape = lead < 0n ? shape0.negate() : shape0;
  // rest = g · shape
  const ratio = Q.divide(rest.entries()[0]!.coefficient, shape.entries()[0]!.coefficient);
  return { shape, g: ratio.n, c: constant };
}

const ceilDivide = (a: bigint, b: bigint): bigint => -floorDivide(-a, b);

export class IntegerRegion {
  private constructor(
    readonly order: OrderRegion,
    private linear: LinearInequality[],
    private bounds: Map<string, ShapeBound>,
    private feasible: boolean,
  ) {}

  static positive(symbols: Iterable<string>): IntegerRegion {
    return new IntegerRegion(OrderRegion.positive(symbols), [], new Map(), true);
  }

  clone(): IntegerRegion {
    return new IntegerRegion(
      this.order.clone(),
      [...this.linear],
      new Map([...this.bounds].map(([k, b]) => [k, { ...b }])),
      this.feasible,
    );
  }

  get symbols(): readonly string[] {
    return this.order.symbols;
  }

  isFeasible(): boolean {
    return this.feasible && this.order.isFeasible();
  }

  /** only difference constraints: every answer of the region is exact */
  isOrderOnly(): boolean {
    return this.linear.length === 0 && this.bounds.size === 0;
  }

  equalities(): Map<string, Polynomial> {
    return this.order.equalities();
  }

  normalize(p: Polynomial, equalities = this.equalities()): Polynomial {
    return this.order.normalize(p, equalities);
  }

  /** the difference constraints among the given symbols (the exact projection of a closed system) */
  private differenceInequalities(names: Iterable<string>): LinearInequality[] {
    const list: (string | undefined)[] = [undefined, ...new Set(names)];
    const result: LinearInequality[] = [];
    for (const x of list) {
      for (const y of list) {
        if (x === y) continue;
        const c = this.order.upperBound(x, y); // y − x ≤ c
        if (c === Infinity) continue;
        const coefficients = new Map<string, bigint>();
        if (y !== undefined) coefficients.set(y, 1n);
        if (x !== undefined) coefficients.set(x, -1n);
        result.push({ coefficients, bound: BigInt(c) });
      }
    }
    return result;
  }

  private linearSystem(extra: LinearInequality[] = [], also: string[] = []): LinearInequality[] {
    const names = new Set<string>(also);
    for (const c of [...this.linear, ...extra]) for (const x of c.coefficients.keys()) names.add(x);
    return [...this.differenceInequalities(names), ...this.linear, ...extra];
  }

  /** Adds p ≤ 0. Returns false if the region is shown to have no integer point. */
  addNonpositive(p0: Polynomial): boolean {
    if (!this.isFeasible()) return false;
    const p = primitive(p0);
    const constant = p.constantValue();
    if (constant) {
      if (Q.compare(constant, Q.zero) > 0) this.feasible = false;
      return this.feasible;
    }
    const form = differenceForm(p, Polynomial.zero);
    if (form) {
      if (!this.order.addLessEqual(form)) return (this.feasible = false);
      if (this.linear.length > 0 && provablyEmpty(this.linearSystem())) this.feasible = false;
      return this.feasible && this.boundsConsistent();
    }
    const inequality = inequalityOf(p);
    if (inequality) {
      this.linear.push(inequality);
      if (provablyEmpty(this.linearSystem())) this.feasible = false;
      return this.feasible && this.boundsConsistent();
    }
    const decided = this.decideNonpositive(p);
    if (decided === false) return (this.feasible = false);
    if (decided === true) return true;
    const { shape, g, c } = shapeOf(p);
    // g·shape + c ≤ 0
    const key = shape.toString();
    const bound = this.bounds.get(key) ?? { shape };
    if (g > 0n) {
      const hi = floorDivide(-c, g);
      if (bound.hi === undefined || hi < bound.hi) bound.hi = hi;
    } else {
      const lo = ceilDivide(c, -g);
      if (bound.lo === undefined || lo > bound.lo) bound.lo = lo;
    }
    this.bounds.set(key, bound);
    if (bound.lo !== undefined && bound.hi !== undefined && bound.lo > bound.hi) this.feasible = false;
    return this.feasible;
  }

  /**
   * Whether the bounds on products still leave room after a new constraint: a bound S ≤ hi is
   * contradicted when the rest of the region certifies S ≥ hi + 1 (then there is no point).
   */
  private boundsConsistent(): boolean {
    for (const b of this.bounds.values()) {
      if (b.hi !== undefined && this.nonnegative(b.shape.minus(Polynomial.constant(Q.rational(b.hi + 1n))))) return (this.feasible = false);
      if (b.lo !== undefined && this.nonnegative(Polynomial.constant(Q.rational(b.lo - 1n)).minus(b.shape))) return (this.feasible = false);
    }
    return true;
  }

  /** true: p ≤ 0 at every point; false: p > 0 at every point; undefined: not decided */
  decideNonpositive(p0: Polynomial): boolean | undefined {
    const p = primitive(p0);
    const constant = p.constantValue();
    if (constant) return Q.compare(constant, Q.zero) <= 0;
    const form = differenceForm(p, Polynomial.zero);
    if (form) {
      const decided = this.order.decide(form);
      if (decided !== undefined || this.linear.length === 0) return decided;
    }
    if (p.degree() <= 1) {
      // p ≤ 0 everywhere ⟺ no point with p ≥ 1; p > 0 everywhere ⟺ no point with p ≤ 0
      if (provablyEmpty(this.linearSystem([inequalityOf(Polynomial.one.minus(p))!]))) return true;
      if (provablyEmpty(this.linearSystem([inequalityOf(p)!]))) return false;
      return undefined;
    }
    if (this.nonnegative(p.negate())) return true;
    if (this.nonnegative(p.minus(Polynomial.one))) return false;
    return undefined;
  }

  /** p ≥ 0 at every point (sound), with a readable reason, or undefined */
  nonnegative(p0: Polynomial): string | undefined {
    const p = primitive(p0);
    const constant = p.constantValue();
    if (constant) return Q.compare(constant, Q.zero) >= 0 ? (p0.isZero() ? 'equal' : `${p0} >= 0`) : undefined;
    if (p.degree() <= 1) return this.decideNonpositive(p.negate()) === true ? `${p0} >= 0 follows linearly from the conditions` : undefined;
    const normalized = this.normalize(p);
    if (!normalized.equals(p)) return this.nonnegative(normalized);
    const { shape, g, c } = shapeOf(p);
    const bound = this.bounds.get(shape.toString());
    if (bound) {
      // p = g·shape + c ≥ g·lo + c (g > 0) or ≥ g·hi + c (g < 0)
      if (g > 0n && bound.lo !== undefined && g * bound.lo + c >= 0n) return `${p0} >= 0 since ${shape} >= ${bound.lo} (a condition of the case)`;
      if (g < 0n && bound.hi !== undefined && g * bound.hi + c >= 0n) return `${p0} >= 0 since ${shape} <= ${bound.hi} (a condition of the case)`;
    }
    return nonnegativeCertificate(p, this.positivityFacts());
  }

  /** each symbol written through the largest lower bound the order implies (a forest), and the known facts G ≥ 0 */
  private positivityFacts(): PositivityFacts {
    const equalities = this.equalities();
    const symbols = this.symbols.filter((s) => !equalities.has(s));
    const parent = new Map<string, { y?: string; c: number }>();
    for (const x of symbols) {
      // x − y ≥ c ⟺ y − x ≤ −c; parents with c ≥ 0 form a forest (two-way would mean x = y)
      const candidates = symbols.filter((y) => y !== x && this.order.upperBound(x, y) <= 0);
      const maximal = candidates.filter((y) => !candidates.some((y2) => y2 !== y && this.order.upperBound(y2, y) <= 0));
      const y = maximal[0];
      if (y !== undefined) parent.set(x, { y, c: -this.order.upperBound(x, y) });
      else parent.set(x, { c: -this.order.upperBound(x, undefined) });
    }
    const parents = new Map<string, Polynomial>();
    // only symbols below another symbol: a product such as K·c1·n1 keeps K and c1 and becomes K·c1·u1 + K·c1·δ_n1
    for (const [x, { y, c }] of parent) if (y !== undefined) parents.set(x, Polynomial.symbol(y).plus(Polynomial.constant(c)).plus(Polynomial.symbol(`δ_${x}`)));
    const shifts = new Map<string, Polynomial>();
    const shiftText = new Map<string, string>();
    const resolve = (x: string): Polynomial => {
      const known = shifts.get(x);
      if (known) return known;
      const { y, c } = parent.get(x)!;
      const delta = Polynomial.symbol(`δ_${x}`);
      const base = y === undefined ? Polynomial.constant(c) : resolve(y).plus(Polynomial.constant(c));
      const value = base.plus(delta);
      shifts.set(x, value);
      shiftText.set(x, `${x} = ${y === undefined ? c : c === 0 ? y : `${y} + ${c}`} + δ_${x}`);
      return value;
    };
    symbols.forEach(resolve);
    const nonnegative: { poly: Polynomial; text: string }[] = [];
    for (const c of this.linear) nonnegative.push({ poly: inequalityPolynomial(c).negate(), text: 'a linear condition' });
    for (const b of this.bounds.values()) {
      if (b.lo !== undefined) nonnegative.push({ poly: b.shape.minus(Polynomial.constant(Q.rational(b.lo))), text: 'a condition of the case' });
      if (b.hi !== undefined) nonnegative.push({ poly: Polynomial.constant(Q.rational(b.hi)).minus(b.shape), text: 'a condition of the case' });
    }
    return { shifts, parents, shiftText, nonnegative };
  }

  /** whether an integer point satisfies every constraint (exact evaluation) */
  contains(point: ReadonlyMap<string, number>): boolean {
    if (!this.order.contains(point)) return false;
    if (!this.linear.every((c) => satisfies(c, point))) return false;
    const exact = new Map([...point].map(([s, v]) => [s, Q.rational(v)]));
    for (const b of this.bounds.values()) {
      const v = b.shape.evaluate(exact);
      if (b.lo !== undefined && Q.compare(v, Q.rational(b.lo)) < 0) return false;
      if (b.hi !== undefined && Q.compare(v, Q.rational(b.hi)) > 0) return false;
    }
    return true;
  }

  /** a random point of the difference constraints (check `contains` for the others) */
  samplePoint(stream: RandomStream, spread: number): Map<string, number> {
    return this.order.samplePoint(stream, spread);
  }

  boundedPair(): ReturnType<OrderRegion['boundedPair']> {
    return this.order.boundedPair();
  }

  /** bounds on x valid at every point, from the difference and linear constraints */
  rangeOf(x: string): { lo: number; hi: number } | undefined {
    const lo = -this.order.upperBound(x, undefined);
    const hi = this.order.upperBound(undefined, x);
    if (this.linear.length === 0) return { lo, hi };
    const range = variableRange(this.linearSystem([], [x]), x);
    return range && { lo: Math.max(lo, range.lo), hi: Math.min(hi, range.hi) };
  }
}
