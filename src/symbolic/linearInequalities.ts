/**
 * Systems of linear inequalities over the integers,
 *
 *     Σᵢ aᵢ xᵢ ≤ b      (aᵢ, b ∈ Z),
 *
 * and a sound emptiness test: Fourier–Motzkin elimination with integer tightening. Eliminating x
 * from a x + r ≤ b (a > 0) and −a′x + r′ ≤ b′ (a′ > 0) gives a′r + a r′ ≤ a′b + a b′, a nonnegative
 * combination, so it holds at every point of the system; dividing a constraint by the gcd g of its
 * coefficients and rounding b/g down keeps every *integer* point (Σ (aᵢ/g) xᵢ is an integer). A
 * derived 0 ≤ b with b < 0 therefore proves that no integer point exists. The converse fails (a
 * rational point may exist without an integer one), so the test answers "empty" or "not shown
 * empty", never "nonempty"; callers treat the latter as "keep the case". Work is capped: a system
 * that grows beyond `maximumConstraints` while eliminating is reported "not shown empty".
 */
import { Polynomial } from './polynomial.js';
import * as Q from './rational.js';

/** Σ coefficients[x]·x ≤ bound, integer coefficients, no zero coefficient */
export interface LinearInequality {
  readonly coefficients: ReadonlyMap<string, bigint>;
  readonly bound: bigint;
}

export const maximumConstraints = 400;

const abs = (a: bigint): bigint => (a < 0n ? -a : a);

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** ⌊a / b⌋ for b > 0 */
export function floorDivide(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** divides by the gcd of the coefficients and rounds the bound down (valid at integer points) */
export function tighten(coefficients: Map<string, bigint>, bound: bigint): LinearInequality {
  let g = 0n;
  for (const a of coefficients.values()) g = gcd(g, a);
  if (g <= 1n) return { coefficients, bound };
  const scaled = new Map([...coefficients].map(([x, a]) => [x, a / g]));
  return { coefficients: scaled, bound: floorDivide(bound, g) };
}

/** The positive multiple of p with coprime integer coefficients (p itself if p = 0). */
export function primitive(p: Polynomial): Polynomial {
  const terms = p.entries();
  if (terms.length === 0) return p;
  let denominators = 1n;
  for (const { coefficient } of terms) denominators = (denominators * coefficient.d) / gcd(denominators, coefficient.d);
  let g = 0n;
  for (const { coefficient } of terms) g = gcd(g, (coefficient.n * denominators) / coefficient.d);
  return p.scale(Q.rational(denominators, g));
}

/**
 * p ≤ 0 as an inequality, when p has degree ≤ 1 (undefined otherwise). p is first made integral
 * (a positive multiple), so the inequality has exactly the same integer points.
 */
export function inequalityOf(p: Polynomial): LinearInequality | undefined {
  const linear = primitive(p).linearForm();
  if (!linear) return undefined;
  const coefficients = new Map<string, bigint>();
  for (const [x, a] of linear.coefficients) coefficients.set(x, a.n);
  return tighten(coefficients, -linear.constant.n);
}

export function inequalityKey(c: LinearInequality): string {
  return [...c.coefficients].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([x, a]) => `${a}${x}`).join(' ');
}

/** the constraint holds at the integer point */
export function satisfies(c: LinearInequality, point: ReadonlyMap<string, number>): boolean {
  let sum = 0n;
  for (const [x, a] of c.coefficients) sum += a * BigInt(point.get(x)!);
  return sum <= c.bound;
}

/** keeps the tightest bound per left-hand side; false if some constraint reads 0 ≤ b < 0 */
function addTo(system: Map<string, LinearInequality>, c: LinearInequality): boolean {
  if (c.coefficients.size === 0) return c.bound >= 0n;
  const key = inequalityKey(c);
  const previous = system.get(key);
  if (!previous || c.bound < previous.bound) system.set(key, c);
  return true;
}

/** Fourier–Motzkin: the system with y eliminated, or 'empty' if a contradiction appears. */
function eliminate(system: Map<string, LinearInequality>, y: string): Map<string, LinearInequality> | 'empty' {
  const upper: LinearInequality[] = [];
  const lower: LinearInequality[] = [];
  const next = new Map<string, LinearInequality>();
  for (const [key, c] of system) {
    const a = c.coefficients.get(y);
    if (a === undefined) next.set(key, c);
    else (a > 0n ? upper : lower).push(c);
  }
  for (const u of upper) {
    for (const l of lower) {
      const a = u.coefficients.get(y)!;
      const b = -l.coefficients.get(y)!;
      const combined = new Map<string, bigint>();
      for (const [z, k] of u.coefficients) if (z !== y) combined.set(z, b * k);
      for (const [z, k] of l.coefficients) {
        if (z === y) continue;
        const v = (combined.get(z) ?? 0n) + a * k;
        if (v === 0n) combined.delete(z);
        else combined.set(z, v);
      }
      if (!addTo(next, tighten(combined, b * u.bound + a * l.bound))) return 'empty';
      if (next.size > maximumConstraints) return next; // the caller stops at the cap
    }
  }
  return next;
}

function systemOf(constraints: Iterable<LinearInequality>): Map<string, LinearInequality> | 'empty' {
  const system = new Map<string, LinearInequality>();
  for (const c of constraints) if (!addTo(system, tighten(new Map(c.coefficients), c.bound))) return 'empty';
  return system;
}

/**
 * true when the system provably has no integer point; false when emptiness was not shown (the
 * system may or may not have integer points), including when the work cap is reached.
 */
export function provablyEmpty(constraints: Iterable<LinearInequality>): boolean {
  let system = systemOf(constraints);
  for (;;) {
    if (system === 'empty') return true;
    const variables = new Map<string, [number, number]>();
    for (const c of system.values()) {
      for (const [x, a] of c.coefficients) {
        const counts = variables.get(x) ?? [0, 0];
        counts[a > 0n ? 0 : 1]++;
        variables.set(x, counts);
      }
    }
    if (variables.size === 0) return false;
    // eliminate the variable that creates the fewest new constraints
    let best: string | undefined;
    let cost = Infinity;
    for (const [x, [plus, minus]] of variables) {
      const c = plus * minus - plus - minus;
      if (c < cost) [best, cost] = [x, c];
    }
    system = eliminate(system, best!);
    if (system !== 'empty' && system.size > maximumConstraints) return false;
  }
}

/**
 * Bounds lo ≤ x ≤ hi valid at every integer point of the system (±Infinity when none was
 * derived): Fourier–Motzkin eliminates every other variable. undefined if the system is shown empty.
 */
export function variableRange(constraints: Iterable<LinearInequality>, x: string): { lo: number; hi: number } | undefined {
  let system = systemOf(constraints);
  for (;;) {
    if (system === 'empty') return undefined;
    const others = new Set<string>();
    for (const c of system.values()) for (const y of c.coefficients.keys()) if (y !== x) others.add(y);
    if (others.size === 0) break;
    system = eliminate(system, [...others][0]!);
    if (system !== 'empty' && system.size > maximumConstraints) return { lo: -Infinity, hi: Infinity };
  }
  let lo = -Infinity;
  let hi = Infinity;
  for (const c of system.values()) {
    const a = c.coefficients.get(x);
    if (a === undefined) continue;
    // a x ≤ b
    if (a > 0n) hi = Math.min(hi, Number(floorDivide(c.bound, a)));
    else lo = Math.max(lo, Number(-floorDivide(c.bound, -a)));
  }
  return lo > hi ? undefined : { lo, hi };
}

/** The constraint as a polynomial p with p ≤ 0 exactly on its points: Σ aᵢxᵢ − b. */
export function inequalityPolynomial(c: LinearInequality): Polynomial {
  let p = Polynomial.constant(Q.rational(-c.bound));
  for (const [x, a] of c.coefficients) p = p.plus(Polynomial.symbol(x).scale(Q.rational(a)));
  return p;
}
