/**
 * The min-polynomial decision procedure decides identities over positive integers:
 *   planted identities are proven and planted non-identities refuted with a point where they differ
 *   (including differences only at ties, and thin regions where a nonzero polynomial vanishes);
 *   on random min/max-polynomial expressions its verdict agrees with numerical evaluation by mathjs
 *   (an independent evaluator): a proven identity holds at random integer points, a counterexample
 *   is a positive-integer point where mathjs finds the two sides different;
 *   rewriting an expression by valid identities (min(x, y) = x + y − max(x, y), …) is always proven.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { math } from '../../src/catalog/expression.js';
import { InputError } from '../../src/errors.js';
import { equalsAsComparison, parseExpression, toText } from '../../src/symbolic/expression.js';
import { assumptionRegion, simplifyUnder } from '../../src/symbolic/assumptions.js';
import { decideIdentity, type IdentityResult } from '../../src/symbolic/minPolynomialIdentity.js';
import { identityText } from '../../src/symbolic/proofText.js';

const P = (s: string) => parseExpression(s);

function decide(lhs: string, rhs: string, assumptions: string[] = [], seed = 1): IdentityResult {
  return decideIdentity(P(lhs), P(rhs), { assumptions: assumptions.map((a) => P(equalsAsComparison(a))), seed });
}

/** mathjs's own evaluation (booleans count as 0/1) */
function mathjsValue(source: string, point: Record<string, number>): number {
  const value = math.evaluate(source, { ...point }) as number | boolean;
  const n = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  return n === 0 ? 0 : n; // −0 and 0 are the same integer
}

function expectProven(lhs: string, rhs: string, assumptions: string[] = []): IdentityResult {
  const result = decide(lhs, rhs, assumptions);
  expect(result.verdict, identityText(result).join('\n')).toBe('proven');
  return result;
}

function expectRefuted(lhs: string, rhs: string, assumptions: string[] = []): Record<string, number> {
  const result = decide(lhs, rhs, assumptions);
  expect(result.verdict, identityText(result).join('\n')).toBe('refuted');
  if (result.verdict !== 'refuted') throw new Error('unreachable');
  for (const v of Object.values(result.point)) expect(Number.isInteger(v) && v >= 1).toBe(true);
  for (const a of assumptions) expect(mathjsValue(equalsAsComparison(a), result.point)).toBe(1);
  expect(mathjsValue(lhs, result.point)).not.toBe(mathjsValue(rhs, result.point));
  return result.point;
}

describe('planted identities and counterexamples', () => {
  it('min(a, b) + max(a, b) = a + b is proven in two cases', () => {
    expect((expectProven('min(a, b) + max(a, b)', 'a + b') as { cases: unknown[] }).cases).toHaveLength(2);
  });

  it('min(a, b) = a is refuted at a point with b < a', () => {
    const point = expectRefuted('min(a, b)', 'a');
    expect(point.b!).toBeLessThan(point.a!);
  });

  it('max(a, b) − min(a, b) = |a − b|, and adding [a = b] is refuted exactly at a tie', () => {
    expectProven('max(a, b) - min(a, b)', 'abs(a - b)');
    const point = expectRefuted('max(a, b) - min(a, b)', 'abs(a - b) + (a == b)');
    expect(point.a).toBe(point.b);
  });

  it('min(r, K) · (r + K − min(r, K)) = r K (the one-layer H_O), and not with a bottleneck M', () => {
    expectProven('min(r, K) * (r + K - min(r, K))', 'r * K');
    const point = expectRefuted('min(r, M, K) * (r + K - min(r, M, K))', 'r * K');
    expect(point.M!).toBeLessThan(Math.min(point.r!, point.K!));
  });

  it('constants inside min: min(a, b + 2) ≠ min(a, b), min(r, K − 1) = r when r < K', () => {
    expectRefuted('min(a, b + 2)', 'min(a, b)');
    expectProven('min(r, K - 1)', 'r', ['r < K']);
    expectRefuted('min(r, K - 1)', 'r', ['r <= K']);
  });

  it('a nonzero polynomial that vanishes on a thin region: (a − b)(a − b − 1) = 0 iff b ≤ a ≤ b + 1', () => {
    expectProven('(a - b) * (a - b - 1)', '0', ['b <= a', 'a <= b + 1']);
    expectRefuted('(a - b) * (a - b - 1)', '0', ['b <= a', 'a <= b + 2']);
  });

  it('nested min/max, comparisons and finite sums', () => {
    expectProven('max(min(a, b), min(a, c))', 'min(a, max(b, c))');
    expectProven('(a < b) + (a >= b)', '1');
    expectProven('sum(i * x, i, 1, 4)', '10 * x');
    expectProven('sum(x, i, 1, n)', 'n * x');
    expectProven('sum(x, i, 2, n)', 'max(n - 1, 0) * x');
    expectRefuted('sum(x, i, 2, n)', '(n - 1) * x + 1');
  });

  it('assumptions with chains and equalities', () => {
    expectProven('min(a, b, c)', 'a', ['a <= b <= c']);
    expectProven('max(a, b) * min(a, b)', 'a^2', ['a = b']);
    expectRefuted('max(a, b)', 'b', ['a != b']);
  });

  it('comparisons beyond differences are decided (min(a·b, c) ≠ c, min(a + b, c) ≠ c), and division by a symbol is bad input', () => {
    expectRefuted('min(a * b, c)', 'c');
    expectRefuted('min(a + b, c)', 'c');
    expectRefuted('a', 'b', ['a <= b * b']);
    expect(() => decide('a / b', 'a')).toThrow(InputError);
  });

  it('derive --assume reads a strict comparison with fractional coefficients at integer points: M1/2 < d/2 is M1 ≤ d − 1', () => {
    const region = assumptionRegion(['M1', 'd'], [P('M1 / 2 < d / 2')]);
    expect(region.decide({ plus: 'M1', minus: 'd', bound: -1 })).toBe(true); // M1 − d ≤ −1 holds everywhere
    expect(region.decide({ plus: 'M1', minus: 'd', bound: -2 })).toBeUndefined(); // M1 = d − 1 is allowed
    expect(toText(simplifyUnder(P('min(M1, d - 1)'), region))).toBe('M1');
  });

  it('a strict comparison with a fractional coefficient keeps its integer points: min(x/2, 1) ≠ min(x/2, 1, [x ≠ 3]) at x = 3', () => {
    const point = expectRefuted('min(x / 2, 1)', 'min(x / 2, 1, (x != 3))');
    expect(point.x).toBe(3);
  });

  it('contradictory assumptions leave nothing to prove', () => {
    expect(() => decide('a', 'b', ['a < b', 'b < a'])).toThrow(InputError);
  });
});

// ---- random min/max-polynomial expressions over a, b, c

const symbols = ['a', 'b', 'c'] as const;

/** expressions that resolve to "symbol + constant" once their min/max are split: valid min/max arguments */
const linearAtom: fc.Arbitrary<string> = fc.letrec((tie) => ({
  atom: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom(...symbols), fc.integer({ min: -2, max: 2 })).map(([s, c]) => (c === 0 ? s : `${s} + ${c}`)),
    fc.integer({ min: 1, max: 4 }).map(String),
    fc.tuple(fc.constantFrom('min', 'max'), tie('atom'), tie('atom')).map(([f, x, y]) => `${f}(${x}, ${y})`),
    fc.tuple(tie('atom'), fc.integer({ min: 1, max: 3 })).map(([x, c]) => `(${x}) + ${c}`),
  ),
})).atom;

const expression: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    linearAtom,
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([x, op, y]) => `(${x}) ${op} (${y})`),
    fc.tuple(fc.integer({ min: -3, max: 3 }), tie('e')).map(([c, x]) => `${c} * (${x})`),
  ),
})).e;

const point = fc.record({ a: fc.integer({ min: 1, max: 12 }), b: fc.integer({ min: 1, max: 12 }), c: fc.integer({ min: 1, max: 12 }) });

describe('agreement with numerical evaluation (fast-check)', () => {
  it('proven ⇒ equal at random positive integer points; refuted ⇒ the point differs (mathjs evaluation)', () => {
    fc.assert(
      fc.property(expression, expression, fc.array(point, { minLength: 8, maxLength: 8 }), fc.integer(), (lhs, rhs, points, seed) => {
        const result = decide(lhs, rhs, [], seed);
        if (result.verdict === 'proven') {
          for (const x of points) expect(mathjsValue(lhs, x), `${lhs} vs ${rhs} at ${JSON.stringify(x)}`).toBe(mathjsValue(rhs, x));
        } else {
          const at = { a: 1, b: 1, c: 1, ...result.point };
          expect(mathjsValue(lhs, at), `${lhs} vs ${rhs} at ${JSON.stringify(at)}`).not.toBe(mathjsValue(rhs, at));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a difference found by sampling is always found by the procedure', () => {
    fc.assert(
      fc.property(expression, expression, fc.array(point, { minLength: 10, maxLength: 10 }), (lhs, rhs, points) => {
        const differs = points.some((x) => mathjsValue(lhs, x) !== mathjsValue(rhs, x));
        if (differs) expect(decide(lhs, rhs).verdict, `${lhs} vs ${rhs}`).toBe('refuted');
      }),
      { numRuns: 150 },
    );
  });

  /** rewrites by identities valid over the integers */
  function rewrite(source: string, choice: number): string {
    const rules: [RegExp, string][] = [
      [/min\(([^(),]+), ([^(),]+)\)/, '($1 + $2 - max($1, $2))'],
      [/max\(([^(),]+), ([^(),]+)\)/, '(-min(-($1), -($2)))'],
      [/min\(([^(),]+), ([^(),]+)\)/, 'min($2, $1)'],
      [/max\(([^(),]+), ([^(),]+)\)/, '(min($1, $2) + abs(($1) - ($2)))'],
      [/min\(([^(),]+), ([^(),]+)\)/, '(min(($1) + 5, ($2) + 5) - 5)'],
    ];
    const [pattern, replacement] = rules[choice % rules.length]!;
    return source.replace(pattern, replacement);
  }

  it('an expression rewritten by valid identities is proven equal to itself', () => {
    fc.assert(
      fc.property(expression, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (e, choices) => {
        const rewritten = choices.reduce(rewrite, e);
        const result = decide(e, rewritten);
        expect(result.verdict, `${e} vs ${rewritten}: ${identityText(result).join('\n')}`).toBe('proven');
      }),
      { numRuns: 150 },
    );
  });
});

describe('proofs are reproducible', () => {
  it('the same seed gives the same counterexample', () => {
    const first = decide('min(a, b) * c', 'a * c', [], 7);
    const second = decide('min(a, b) * c', 'a * c', [], 7);
    expect(first).toEqual(second);
    expect(toText(first.lhs)).toBe('min(a, b) * c');
  });
});
