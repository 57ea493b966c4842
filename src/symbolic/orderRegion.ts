/**
 * A region of integer points described by how the symbols are ordered: constraints
 * x_j − x_i ≤ c (c ∈ Z) between symbols and a zero point z (so bounds x ≤ c and x ≥ c are
 * constraints against z). Every symbol is a positive integer (x ≥ 1).
 *
 * Stored as a difference-bound matrix closed under shortest paths: dist[i][j] is the tightest
 * upper bound on x_j − x_i. Over the integers such a system is feasible iff it has no negative
 * cycle, it implies x_j = x_i + c iff dist[i][j] = c = −dist[j][i], and a closed system is
 * backtrack-free: values chosen one symbol at a time within the bounds from the symbols already
 * chosen always extend to a point of the region (used to sample points).
 */
import type { RandomStream } from '../numeric/random.js';
import { Polynomial, symbolOrder } from './polynomial.js';
import * as Q from './rational.js';

/** A comparison a ≤ b in the fragment: a − b = k·(x − y) + c with k > 0 (x or y may be absent). */
export interface DifferenceForm {
  /** symbol with coefficient +k, or undefined */
  plus?: string;
  /** symbol with coefficient −k, or undefined */
  minus?: string;
  /** a − b ≤ 0  ⟺  x_plus − x_minus ≤ bound */
  bound: number;
}

/**
 * a ≤ b as a difference constraint, or undefined when a − b is not of the form k(x − y) + c
 * (the comparison then falls outside the decidable fragment).
 */
export function differenceForm(a: Polynomial, b: Polynomial): DifferenceForm | undefined {
  const linear = a.minus(b).linearForm();
  if (!linear) return undefined;
  const entries = [...linear.coefficients.entries()];
  const c = linear.constant;
  const floorDiv = (num: Q.Rational, k: Q.Rational): number => {
    const q = Q.divide(num, k);
    const f = q.n >= 0n ? q.n / q.d : -((-q.n + q.d - 1n) / q.d);
    return Number(f);
  };
  if (entries.length === 0) return { bound: Q.compare(c, Q.zero) <= 0 ? 0 : -1 };
  if (entries.length === 1) {
    const [name, k] = entries[0]!;
    // k x + c ≤ 0
    if (k.n > 0n) return { plus: name, bound: floorDiv(Q.negate(c), k) };
    return { minus: name, bound: floorDiv(Q.negate(c), Q.negate(k)) };
  }
  if (entries.length === 2) {
    const [[x, kx], [y, ky]] = entries as [[string, Q.Rational], [string, Q.Rational]];
    if (!Q.equals(kx, Q.negate(ky))) return undefined;
    const [plus, minus, k] = kx.n > 0n ? [x, y, kx] : [y, x, ky];
    return { plus, minus, bound: floorDiv(Q.negate(c), k) };
  }
  return undefined;
}

export class OrderRegion {
  /** index of the zero point */
  private readonly z: number;

  private constructor(
    readonly symbols: readonly string[],
    private readonly dist: Float64Array,
    private feasible: boolean,
  ) {
    this.z = symbols.length;
  }

  /** All symbols positive integers, otherwise unconstrained. */
  static positive(symbols: Iterable<string>): OrderRegion {
    const names = [...new Set(symbols)].sort(symbolOrder);
    const n = names.length + 1;
    const dist = new Float64Array(n * n).fill(Infinity);
    for (let i = 0; i < n; i++) dist[i * n + i] = 0;
    const region = new OrderRegion(names, dist, true);
    for (let i = 0; i < names.length; i++) region.addEdge(i, region.z, -1); // z − x ≤ −1
    return region;
  }

  clone(): OrderRegion {
    return new OrderRegion(this.symbols, this.dist.slice(), this.feasible);
  }

  isFeasible(): boolean {
    return this.feasible;
  }

  private get size(): number {
    return this.symbols.length + 1;
  }

  private indexOf(name: string | undefined): number {
    if (name === undefined) return this.z;
    const i = this.symbols.indexOf(name);
    if (i < 0) throw new Error(`symbol ${name} is not in this region`);
    return i;
  }

  private d(i: number, j: number): number {
    return this.dist[i * this.size + j]!;
  }

  /** adds x_j − x_i ≤ c and restores closure */
  private addEdge(i: number, j: number, c: number): void {
    const n = this.size;
    if (c >= this.d(i, j)) return;
    for (let a = 0; a < n; a++) {
      const ai = this.d(a, i);
      if (ai === Infinity) continue;
      for (let b = 0; b < n; b++) {
        const jb = this.d(j, b);
        if (jb === Infinity) continue;
        const via = ai + c + jb;
        if (via < this.dist[a * n + b]!) this.dist[a * n + b] = via;
      }
    }
    for (let a = 0; a < n; a++) if (this.d(a, a) < 0) this.feasible = false;
  }

  /** Adds a ≤ b (must be in the fragment). Returns false if the region becomes empty. */
  addLessEqual(form: DifferenceForm): boolean {
    // x_plus − x_minus ≤ bound: edge minus → plus
    this.addEdge(this.indexOf(form.minus), this.indexOf(form.plus), form.bound);
    return this.feasible;
  }

  /** true if a ≤ b everywhere in the region, false if a > b everywhere, undefined otherwise */
  decide(form: DifferenceForm): boolean | undefined {
    const plus = this.indexOf(form.plus);
    const minus = this.indexOf(form.minus);
    if (this.d(minus, plus) <= form.bound) return true;
    // a > b everywhere ⟺ x_plus − x_minus ≥ bound + 1 ⟺ x_minus − x_plus ≤ −bound − 1
    if (this.d(plus, minus) <= -form.bound - 1) return false;
    return undefined;
  }

  /** the tightest upper bound the region implies on y − x (x or y undefined: the zero point), Infinity if none */
  upperBound(x: string | undefined, y: string | undefined): number {
    return this.d(this.indexOf(x), this.indexOf(y));
  }

  /** whether the integer point satisfies every constraint */
  contains(point: ReadonlyMap<string, number>): boolean {
    const value = (k: number): number => (k === this.z ? 0 : point.get(this.symbols[k]!)!);
    for (let i = 0; i < this.size; i++) {
      for (let j = 0; j < this.size; j++) if (value(j) - value(i) > this.d(i, j)) return false;
    }
    return true;
  }

  /**
   * The equalities the region implies, as substitutions: each symbol tied to an earlier one
   * (in symbol order) or to a constant is replaced by it.
   */
  equalities(): Map<string, Polynomial> {
    const result = new Map<string, Polynomial>();
    const order = [this.z, ...this.symbols.map((_, i) => i)];
    for (let i = 0; i < this.symbols.length; i++) {
      for (const j of order) {
        if (j === i) break;
        const c = this.d(j, i); // x_i − x_j ≤ c
        if (c !== Infinity && this.d(i, j) === -c) {
          result.set(this.symbols[i]!, j === this.z ? Polynomial.constant(c) : Polynomial.symbol(this.symbols[j]!).plus(Polynomial.constant(c)));
          break;
        }
      }
    }
    return result;
  }

  /** the polynomial with the region's equalities substituted */
  normalize(p: Polynomial, equalities = this.equalities()): Polynomial {
    return equalities.size === 0 ? p : p.substitute(equalities);
  }

  /**
   * Pairs (x, y) whose difference is bounded on both sides but not fixed: lo ≤ y − x ≤ hi, lo < hi.
   * Splitting them into the finitely many values of y − x makes every remaining pair unbounded on
   * one side, where a polynomial that is not identically zero cannot vanish on all integer points.
   */
  boundedPair(): { x?: string; y?: string; lo: number; hi: number } | undefined {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const hi = this.d(i, j);
        const lo = -this.d(j, i);
        if (hi !== Infinity && -lo !== Infinity && lo < hi) {
          const name = (k: number) => (k === this.z ? undefined : this.symbols[k]);
          return { x: name(i), y: name(j), lo, hi };
        }
      }
    }
    return undefined;
  }

  /** A random integer point of the region (values at most about `spread` above their lower bounds). */
  samplePoint(stream: RandomStream, spread: number): Map<string, number> {
    const n = this.symbols.length;
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const k = stream.integer(0, i);
      [order[i], order[k]] = [order[k]!, order[i]!];
    }
    const value = new Map<number, number>([[this.z, 0]]);
    for (const x of order) {
      let lo = -Infinity;
      let hi = Infinity;
      for (const [y, v] of value) {
        lo = Math.max(lo, v - this.d(x, y));
        hi = Math.min(hi, v + this.d(y, x));
      }
      const top = Math.min(hi, lo + spread);
      value.set(x, lo + stream.integer(0, top - lo));
    }
    return new Map(this.symbols.map((s, i) => [s, value.get(i)!]));
  }
}
