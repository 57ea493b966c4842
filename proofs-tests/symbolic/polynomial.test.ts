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

/** positive exponents only: nerdamer leaves 0^0 undefined */
const polynomialExpression: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'M1', 'K'),
    fc.integer({ min: -5, max: 5 }).map((c) => `(${c})`),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([x, op, y]) => `(${x}) ${op} (${y})`),
    fc.tuple(tie('e'), fc.integer({ min: 1, max: 3 })).map(([x, k]) => `(${x})^${k}`),
    fc.tuple(tie('e'), fc.integer({ min: 1, max: 4 })).map(([x, k]) => `(${x}) / ${k}`),
  ),
})).e;

describe('polynomial normal form agrees with nerdamer', () => {
  it('expand(E − normalForm(E)) = 0', () => {
    fc.assert(
      fc.property(polynomialExpression, (e) => {
        const form = normalForm(e).toString();
        expect(nerdamerIsZero(`(${e}) - (${form})`), `${e} → ${form}`).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('equal normal forms ⇔ nerdamer expands the difference to 0', () => {
    fc.assert(
      fc.property(polynomialExpression, polynomialExpression, (x, y) => {
        expect(normalForm(x).equals(normalForm(y)), `${x} vs ${y}`).toBe(nerdamerIsZero(`(${x}) - (${y})`));
      }),
      { numRuns: 200 },
    );
  });
});
