/**
 * A proof is a checkable object: for the depth-4 H_O identity (staircase area = q(r + K − q)), at
 * random points with r ≤ d exactly one case's conditions hold (the cases partition the region:
 * ties go to the first argument), and there both sides, evaluated by mathjs, equal the case's
 * polynomial. A refutation's point satisfies the assumptions and the two sides differ there.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { math } from '../../src/catalog/expression.js';
import { deriveOuterProduct } from '../../src/symbolic/outerProductDerivation.js';
import { toText } from '../../src/symbolic/expression.js';
import type { Proof } from '../../src/symbolic/minPolynomialIdentity.js';

const evaluate = (source: string, point: Record<string, number>): number => {
  const v = math.evaluate(source, { ...point }) as number | boolean;
  return typeof v === 'boolean' ? Number(v) : v;
};

describe('the cases of a proof partition the region and carry the right polynomials', () => {
  const derivation = deriveOuterProduct({ depth: 4, loss: 'mse', bias: false });
  const proof = derivation.steps.find((s) => s.proof)!.proof as Proof;
  const lhs = toText(proof.lhs);
  const rhs = toText(proof.rhs);

  it('is a proof with cases', () => {
    expect(proof.verdict).toBe('proven');
    expect(proof.cases.length).toBeGreaterThan(1);
  });

  it('at random points exactly one case applies, and both sides equal its polynomial there', () => {
    const width = fc.integer({ min: 1, max: 9 });
    fc.assert(
      fc.property(fc.record({ d: width, M1: width, M2: width, M3: width, K: width, r: width }), (x) => {
        const point = { ...x, d: Math.max(x.d, x.r) }; // background fact r ≤ d
        const holding = proof.cases.filter((c) => c.conditions.every((condition) => evaluate(condition.text, point) === 1));
        expect(holding.length, `cases holding at ${JSON.stringify(point)}`).toBe(1);
        const value = evaluate(holding[0]!.lhs.toString(), point);
        expect(evaluate(lhs, point)).toBe(value);
        expect(evaluate(rhs, point)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});
