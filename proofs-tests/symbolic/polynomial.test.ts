/**
 * The polynomial normal form that decides every case of an identity agrees with nerdamer's expand
 * (an independent computer-algebra implementation): for random polynomial expressions E,
 * expand(E − normalForm(E)) = 0 in nerdamer, and two expressions have the same normal form iff
 * nerdamer expands their difference to 0.
 */
import fc from 'fast-check';
import nerdamer from 'nerdamer';
import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../src/symbolic/expression.js';
import { MinPolynomialCompiler } from '../../src/symbolic/minPolynomial.js';
import type { Polynomial } from '../../src/symbolic/polynomial.js';

function normalForm(source: string): Polynomial {
  const skeleton = new MinPolynomialCompiler().compile(parseExpression(source));
  if (skeleton.kind !== 'poly') throw new Error(`${source} is not a polynomial`);
  return skeleton.poly;
}

const nerdamerIsZero = (source: string): boolean => nerdamer(`expand(${source})`).toString() === '0';

/**
 * Random polynomial expressions, each written twice: `ours` with powers, `theirs` with every power
 * spelled out as a product. nerdamer 1.1.13 expands a power of a power of a product wrongly
 * (expand(((a*K)^3)^2) gives K^2*a^2), so nerdamer only ever sees products. Positive exponents only:
 * nerdamer leaves 0^0 undefined.
 */
type Written = { ours: string; theirs: string };
const polynomialExpression: fc.Arbitrary<Written> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'M1', 'K').map((v) => ({ ours: v, theirs: v })),
    fc.integer({ min: -5, max: 5 }).map((c) => ({ ours: `(${c})`, theirs: `(${c})` })),
    fc
      .tuple(tie('e') as fc.Arbitrary<Written>, fc.constantFrom('+', '-', '*'), tie('e') as fc.Arbitrary<Written>)
      .map(([x, op, y]) => ({ ours: `(${x.ours}) ${op} (${y.ours})`, theirs: `(${x.theirs}) ${op} (${y.theirs})` })),
    fc
      .tuple(tie('e') as fc.Arbitrary<Written>, fc.integer({ min: 1, max: 3 }))
      .map(([x, k]) => ({ ours: `(${x.ours})^${k}`, theirs: `(${Array.from({ length: k }, () => `(${x.theirs})`).join('*')})` })),
    fc
      .tuple(tie('e') as fc.Arbitrary<Written>, fc.integer({ min: 1, max: 4 }))
      .map(([x, k]) => ({ ours: `(${x.ours}) / ${k}`, theirs: `(${x.theirs}) / ${k}` })),
  ),
})).e as fc.Arbitrary<Written>;

describe('polynomial normal form agrees with nerdamer', () => {
  it('nerdamer, our reference, is given products only: it expands ((a*K)^3)^2 wrongly', () => {
    expect(nerdamer('expand(((a*K)^3)^2)').toString()).not.toBe(nerdamer('expand(a^6*K^6)').toString());
    expect(nerdamer('expand(((a*K)*(a*K)*(a*K))*((a*K)*(a*K)*(a*K)))').toString()).toBe(nerdamer('expand(a^6*K^6)').toString());
  });

  it('expand(E − normalForm(E)) = 0', () => {
    fc.assert(
      fc.property(polynomialExpression, (e) => {
        const form = normalForm(e.ours).toString();
        expect(nerdamerIsZero(`(${e.theirs}) - (${form})`), `${e.ours} → ${form}`).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('equal normal forms ⇔ nerdamer expands the difference to 0', () => {
    fc.assert(
      fc.property(polynomialExpression, polynomialExpression, (x, y) => {
        expect(normalForm(x.ours).equals(normalForm(y.ours)), `${x.ours} vs ${y.ours}`).toBe(nerdamerIsZero(`(${x.theirs}) - (${y.theirs})`));
      }),
      { numRuns: 200 },
    );
  });
});
