/**
 * The tree walk that evaluates rank expressions (src/catalog/evaluation.ts) is mathjs's evaluate:
 * on random expressions over scalars and vectors — arithmetic, powers, comparisons (also chained, and
 * nearly equal values within mathjs's relTol 1e-12), and/or/not, "c ? a : b", min, max, sum, abs,
 * cumsum, elementwise .* ./ .^, indices and ranges — whenever it gives a value, mathjs gives the same
 * value (the same float64, bit for bit; the same boolean), and where mathjs fails or leaves the
 * numbers (complex, empty vectors, indices out of range) it gives none and mathjs decides. It gives a
 * value on most expressions and on every catalog formula at a CNN's and a deep linear network's scope.
 * A failure prints the expression and the scope.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { math, parseMath, type RankExpression, type Scope } from '../../src/catalog/expression.js';
import { evaluateTree } from '../../src/catalog/evaluation.js';
import { architectureScope } from '../../src/catalog/vocabulary.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';
import { parseConvolutional } from '../../src/architecture/convolutional.js';
import { fullyConnected } from '../../src/architecture/fullyConnected.js';

/** mathjs's own evaluation: its value, or "error". */
function mathjsValue(source: string, scope: Scope): unknown {
  try {
    const map = new Map<string, unknown>(Object.entries(scope).map(([k, v]) => [k, Array.isArray(v) ? math.matrix(v) : v]));
    return math.parse(source).compile().evaluate(map);
  } catch {
    return 'error';
  }
}

const scalar = fc.oneof(
  fc.integer({ min: -3, max: 6 }),
  fc.constantFrom(0.5, -0.5, 0.1 + 0.2, 0.3, 1 + 1e-13, 1e-16, 2.5, 1 / 3),
);
const vector = fc.oneof({ arbitrary: fc.array(scalar, { minLength: 1, maxLength: 4 }), weight: 9 }, { arbitrary: fc.constant([]), weight: 1 });

const binaryOperator = fc.constantFrom('+', '-', '*', '/', '^', '.*', './', '.^', '<', '<=', '>', '>=', '==', '!=', 'and', 'or');
const index = (tie: (name: string) => fc.Arbitrary<unknown>) => fc.oneof(fc.constantFrom('1', '2', '3', '0', '1.5'), tie('scalar') as fc.Arbitrary<string>);

/** Scalar expressions (vectors only under min, max, sum and indices) and vector expressions. */
const { scalar: scalarExpr, vector: vectorExpr } = fc.letrec<{ scalar: string; vector: string }>((tie) => ({
  scalar: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'c', '0', '1', '2', '3', '0.5', '0.3', '1e-13'),
    fc.tuple(tie('scalar'), binaryOperator, tie('scalar')).map(([x, op, y]) => `(${x} ${op} ${y})`),
    fc.tuple(fc.constantFrom('-', '+', 'not '), tie('scalar')).map(([op, x]) => `(${op}${x})`),
    fc.tuple(fc.constantFrom('min', 'max', 'sum'), fc.array(tie('scalar'), { minLength: 1, maxLength: 3 })).map(([f, xs]) => `${f}(${xs.join(', ')})`),
    fc.tuple(fc.constantFrom('min', 'max', 'sum', 'abs'), tie('vector')).map(([f, x]) => `${f}(${x})`),
    fc.tuple(tie('scalar'), tie('scalar'), tie('scalar')).map(([c, x, y]) => `(${c} ? ${x} : ${y})`),
    fc.tuple(tie('scalar'), fc.constantFrom('<', '<='), tie('scalar'), fc.constantFrom('<', '<=', '=='), tie('scalar')).map(([x, o, y, p, z]) => `(${x} ${o} ${y} ${p} ${z})`),
    fc.tuple(tie('vector'), index(tie)).map(([v, i]) => `(${v})[${i}]`),
  ),
  vector: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('u', 'v'),
    fc.tuple(fc.constantFrom('1', '2', 'a'), fc.constantFrom('1', '2', '3', 'b')).map(([i, j]) => `(${i}:${j})`),
    fc.tuple(tie('vector'), binaryOperator, tie('scalar')).map(([x, op, y]) => `(${x} ${op} ${y})`),
    fc.tuple(tie('scalar'), binaryOperator, tie('vector')).map(([x, op, y]) => `(${x} ${op} ${y})`),
    fc.tuple(tie('vector'), binaryOperator, tie('vector')).map(([x, op, y]) => `(${x} ${op} ${y})`),
    fc.tuple(fc.constantFrom('abs', 'cumsum', '-', '+'), tie('vector')).map(([f, x]) => `${f}(${x})`),
    fc.tuple(tie('vector'), index(tie), index(tie)).map(([v, i, j]) => `(${v})[${i}:${j}]`),
  ),
}));
const expr = fc.oneof({ arbitrary: scalarExpr, weight: 9 }, { arbitrary: vectorExpr, weight: 1 });

const same = (a: unknown, b: unknown): boolean => (typeof a === 'number' && typeof b === 'number' ? Object.is(a, b) : a === b);

describe("evaluating a rank expression without mathjs gives mathjs's value", () => {
  it('on random expressions over scalars and vectors: the same value, or none', () => {
    let handled = 0;
    let runs = 0;
    fc.assert(
      fc.property(expr, fc.record({ a: scalar, b: scalar, c: scalar, u: vector, v: vector }), (source, scope) => {
        let tree;
        try {
          tree = parseMath(source);
        } catch {
          return; // not an expression mathjs parses
        }
        runs++;
        const fast = evaluateTree(tree, scope);
        if (fast === undefined) return;
        handled++;
        const reference = mathjsValue(source, scope);
        expect(same(fast, reference), `${source} at ${JSON.stringify(scope)}: walk ${String(fast)}, mathjs ${String(reference)}`).toBe(true);
      }),
      { numRuns: Number(process.env.RANK_EVALUATION_RUNS ?? 4000) },
    );
    // most expressions get a value from the walk (an empty vector, an index out of range or a
    // complex power leave the rest to mathjs): the property above is not vacuous
    expect(handled / runs).toBeGreaterThan(0.3);
  });

  it("on every catalog formula at CNNs and deep linear networks: mathjs's value, and a value for every CNN formula", () => {
    const cnn = (text: string, bias: boolean, loss: 'mse' | 'ce') =>
      ({ net: parseConvolutional(text, { samples: 20, bias, loss }), scope: { ...convolutionalScope(parseConvolutional(text, { samples: 20, bias, loss })), HO: 40, HF: 50 } });
    const cases = [
      cnn('in=16; conv k=3 c=2; conv k=3 c=3; conv k=2 c=2; conv k=2 c=3; K=4', false, 'mse'),
      cnn('in=16; conv k=3 c=2; conv k=3 c=3; conv k=2 c=2; conv k=2 c=3; K=4', true, 'ce'),
      cnn('in=8x8 ch=2; conv k=3x3 c=3; conv k=2x2 c=2 s=2x2; K=3', true, 'mse'),
      cnn('in=10 ch=2; conv k=2 c=5; K=3', false, 'mse'),
    ];
    for (const bias of [false, true]) {
      const net = fullyConnected({ widths: [6, 4, 5, 3], samples: 9, bias, loss: 'mse' });
      cases.push({ net, scope: architectureScope(net) } as never);
    }
    const unhandled: string[] = [];
    for (const { net, scope } of cases) {
      for (const formula of loadCatalog().filter((f) => f.entry.family === net.kind)) {
        const local: Scope = { ...scope };
        if (formula.condition && !mathjsValue(formula.condition.source, local)) continue; // not for this architecture
        const steps: [string, RankExpression][] = [...formula.definitions, ['value', formula.expression]];
        for (const [name, expression] of steps) {
          const reference = mathjsValue(expression.source, local);
          const fast = evaluateTree(expression.tree, local);
          if (fast === undefined) unhandled.push(`${formula.entry.id} (${name}) at ${net.kind}`);
          else expect(same(fast, reference), `${formula.entry.id}: ${expression.source} at ${JSON.stringify(local)}`).toBe(true);
          if (typeof reference !== 'number' && typeof reference !== 'boolean') break;
          local[name] = Number(reference);
        }
      }
    }
    expect(unhandled.filter((u) => u.endsWith('convolutional')), 'CNN formulas the walk leaves to mathjs').toEqual([]);
  });
});
