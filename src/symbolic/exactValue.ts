/**
 * The exact value of a min-polynomial expression at an integer point (bigint rationals), evaluating
 * each subtree once: derived CNN bounds share subtrees (z, x_j, τ_j recur), so a memoised walk over
 * the tree is linear in its distinct nodes where compiling it (minPolynomial.ts) is not.
 * Comparisons are 0/1 (Iverson brackets); division only by a nonzero constant.
 */
import { InputError } from '../errors.js';
import { relationOf, toText, view, type Expr } from './expression.js';
import * as Q from './rational.js';
import type { Rational } from './rational.js';

function holds(relation: string, a: Rational, b: Rational): boolean {
  const c = Q.compare(a, b);
  return { '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0, '==': c === 0, '!=': c !== 0 }[relation as '<']!;
}

export function exactValue(e: Expr, point: Readonly<Record<string, number>>): Rational {
  const memo = new Map<Expr, Rational>();
  const value = (node: Expr): Rational => {
    const known = memo.get(node);
    if (known) return known;
    const v = compute(node);
    memo.set(node, v);
    return v;
  };
  const compute = (node: Expr): Rational => {
    switch (node.type) {
      case 'ParenthesisNode':
        return value(view.parenthesis(node).content);
      case 'ConstantNode':
        return Q.rational(Number(view.constant(node).value));
      case 'SymbolNode': {
        const name = view.symbol(node).name;
        const v = point[name];
        if (v === undefined) throw new InputError(`no value for the symbol ${name}`);
        return Q.rational(v);
      }
      case 'RelationalNode': {
        const { conditionals, params } = view.relational(node);
        const values = params.map(value);
        return conditionals.every((fn, i) => holds(relationOf(fn)!, values[i]!, values[i + 1]!)) ? Q.one : Q.zero;
      }
      case 'OperatorNode': {
        const { fn, args } = view.operator(node);
        const relation = relationOf(fn);
        const [a, b] = args.map(value) as [Rational, Rational];
        if (relation) return holds(relation, a, b) ? Q.one : Q.zero;
        switch (fn) {
          case 'add':
            return Q.add(a, b);
          case 'subtract':
            return Q.subtract(a, b);
          case 'multiply':
            return Q.multiply(a, b);
          case 'unaryMinus':
            return Q.negate(a);
          case 'unaryPlus':
            return a;
          case 'divide':
            if (Q.isZero(b)) throw new InputError(`"${toText(node)}" divides by zero`);
            return Q.divide(a, b);
          case 'pow':
            if (!Q.isInteger(b) || b.n < 0n) throw new InputError(`"${toText(node)}" raises to a power that is not a non-negative integer`);
            return Q.power(a, Number(b.n));
        }
        break;
      }
      case 'FunctionNode': {
        const f = view.func(node);
        const values = f.args.map(value);
        if (f.fn.name === 'min') return values.reduce((x, y) => (Q.compare(x, y) <= 0 ? x : y));
        if (f.fn.name === 'max') return values.reduce((x, y) => (Q.compare(x, y) >= 0 ? x : y));
        if (f.fn.name === 'abs') return Q.compare(values[0]!, Q.zero) < 0 ? Q.negate(values[0]!) : values[0]!;
        break;
      }
    }
    throw new InputError(`"${toText(node)}" cannot be evaluated here`);
  };
  return value(e);
}
