/**
 * Never a wrong verdict, on a wider sweep (opt-in: HESSIAN_RANK_SWEEP=1 npx vitest run
 * proofs-tests/symbolic/decisionSweep.test.ts; about 20 s): 2,000 random claims E1 ⋈ E2 over four
 * symbols, ⋈ ∈ {=, ≤, <, ≥}, built from min, max, abs, comparisons, products and linear forms with
 * fractional coefficients, each with an optional assumption, against brute force on {1..7}⁴
 * (exact evaluation of the original expressions, no case logic):
 *   proven ⇒ the claim holds at every box point satisfying the assumption;
 *   refuted ⇒ the point satisfies the assumption and violates the claim;
 *   unknown ⇒ no box point violates the claim (a violation there must have been found).
 * The always-on property with three symbols is in cnnFragment.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseExpression } from '../../src/symbolic/expression.js';
import { MinPolynomialCompiler, evaluateSkeleton } from '../../src/symbolic/minPolynomial.js';
import { decideIdentity, type SideRelation } from '../../src/symbolic/minPolynomialIdentity.js';
import * as Q from '../../src/symbolic/rational.js';

const enabled = Boolean(process.env.HESSIAN_RANK_SWEEP);
const symbols = ['a', 'b', 'c', 'd'] as const;

const leaf = fc.oneof(
  fc.constantFrom(...symbols),
  fc.integer({ min: 1, max: 5 }).map(String),
  fc.tuple(fc.constantFrom(...symbols), fc.constantFrom(...symbols)).map(([x, y]) => `${x} * ${y}`),
  fc
    .tuple(fc.integer({ min: -3, max: 3 }), fc.constantFrom(...symbols), fc.integer({ min: -3, max: 3 }), fc.constantFrom(...symbols), fc.integer({ min: -4, max: 4 }), fc.constantFrom(1, 2, 3))
    .map(([p, x, q, y, k, den]) => `(${p} * ${x} + ${q} * ${y} + ${k}) / ${den}`),
);

const expression: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.tuple(fc.constantFrom('min', 'max'), tie('e'), tie('e')).map(([f, x, y]) => `${f}(${x}, ${y})`),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([x, op, y]) => `(${x}) ${op} (${y})`),
    tie('e').map((x) => `abs(${x})`),
    fc.tuple(tie('e'), fc.constantFrom('<', '<=', '==', '!='), tie('e')).map(([x, op, y]) => `((${x}) ${op} (${y}))`),
  ),
})).e;

const assumption = fc.option(fc.tuple(leaf, fc.constantFrom('<', '<=', '=='), leaf), { nil: undefined });

const box: Map<string, Q.Rational>[] = [];
for (let a = 1; a <= 7; a++) for (let b = 1; b <= 7; b++) for (let c = 1; c <= 7; c++) for (let d = 1; d <= 7; d++) box.push(new Map([['a', a], ['b', b], ['c', c], ['d', d]].map(([s, v]) => [s as string, Q.rational(v as number)])));

const holds = (relation: string, l: Q.Rational, r: Q.Rational): boolean => {
  const c = Q.compare(l, r);
  return ({ '==': c === 0, '<=': c <= 0, '<': c < 0, '>=': c >= 0, '>': c > 0, '!=': c !== 0 } as Record<string, boolean>)[relation]!;
};

/** exact value of an expression at a point, by direct evaluation */
function evaluator(source: string): (point: Map<string, Q.Rational>) => Q.Rational {
  const compiler = new MinPolynomialCompiler();
  const skeleton = compiler.compile(parseExpression(source));
  return (point) => evaluateSkeleton(skeleton, compiler.atoms, point);
}

describe.skipIf(!enabled)('never a wrong verdict: 2,000 claims over four symbols against brute force on {1..7}⁴', () => {
  it('proven holds on the box, refuted is a real counterexample, unknown has no violation in the box', () => {
    const counts = { proven: 0, refuted: 0, unknown: 0, 'bad input': 0 };
    fc.assert(
      fc.property(expression, expression, fc.constantFrom<SideRelation>('==', '<=', '<', '>='), assumption, fc.integer(), (lhs, rhs, relation, assumed, seed) => {
        const assumptions = assumed ? [parseExpression(`${assumed[0]} ${assumed[1]} ${assumed[2]}`)] : [];
        let result;
        try {
          result = decideIdentity(parseExpression(lhs), parseExpression(rhs), { relation, seed, assumptions });
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          counts['bad input']++; // e.g. an assumption no positive-integer point satisfies
          return;
        }
        counts[result.verdict]++;
        const [left, right] = [evaluator(lhs), evaluator(rhs)];
        const [x, y] = assumed ? [evaluator(assumed[0]), evaluator(assumed[2])] : [undefined, undefined];
        const allowed = (p: Map<string, Q.Rational>) => !assumed || holds(assumed[1], x!(p), y!(p));
        const claim = `${lhs} ${relation} ${rhs}${assumed ? ` given ${assumed.join(' ')}` : ''}`;
        if (result.verdict === 'refuted') {
          const point = new Map(symbols.map((s) => [s, Q.rational(result.point[s] ?? 1)]));
          expect(allowed(point) && !holds(relation, left(point), right(point)), `${claim}: ${JSON.stringify(result.point)} is no counterexample`).toBe(true);
        } else {
          const violation = box.find((p) => allowed(p) && !holds(relation, left(p), right(p)));
          expect(violation && Object.fromEntries([...violation].map(([s, v]) => [s, Q.toString(v)])), `${claim}: ${result.verdict} but fails at`).toBeUndefined();
        }
      }),
      { numRuns: 2000, seed: 11 },
    );
    console.log(`decision sweep: ${JSON.stringify(counts)}`);
  });
});
