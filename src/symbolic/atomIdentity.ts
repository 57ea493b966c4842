/**
 * A sound, incomplete identity test for expressions outside the decision procedure's fragment:
 *
 *   E₁ = E₂ when both are the same polynomial in the same atoms,
 *
 * atoms being the min, max, |·| and comparison subexpressions, each named by its own normal form:
 * min and max flattened, their arguments' normal forms sorted and repeats dropped, comparisons by
 * their two sides. Then E₁ − E₂ is the zero polynomial whatever values the atoms take, so the
 * identity holds for every value of the symbols, including where the atoms compare products
 * (c_0 n_0 against c_1 n_1), which the case split cannot order. A false answer proves nothing:
 * equal expressions can differ as polynomials in their atoms.
 */
import { relationOf, view, type Expr } from './expression.js';
import { Polynomial } from './polynomial.js';
import * as Q from './rational.js';

class Unsupported extends Error {}

const forms = new WeakMap<Expr, Polynomial>();

/** The normal form: a polynomial whose variables are the symbols and the atoms' names (memoised per tree). */
function normalForm(e: Expr): Polynomial {
  let form = forms.get(e);
  if (!form) forms.set(e, (form = computeNormalForm(e)));
  return form;
}

function computeNormalForm(e: Expr): Polynomial {
  switch (e.type) {
    case 'ParenthesisNode':
      return normalForm(view.parenthesis(e).content);
    case 'ConstantNode':
      return Polynomial.constant(Number(view.constant(e).value));
    case 'SymbolNode':
      return Polynomial.symbol(view.symbol(e).name);
    case 'RelationalNode': {
      const { conditionals, params } = view.relational(e);
      return conditionals.reduce((acc, fn, i) => acc.times(comparison(relationOf(fn)!, params[i]!, params[i + 1]!)), Polynomial.one);
    }
    case 'OperatorNode': {
      const { fn, args } = view.operator(e);
      const relation = relationOf(fn);
      if (relation) return comparison(relation, args[0]!, args[1]!);
      const [a, b] = args.map(normalForm) as [Polynomial, Polynomial | undefined];
      switch (fn) {
        case 'add':
          return a.plus(b!);
        case 'subtract':
          return a.plus(b!.times(Polynomial.constant(-1)));
        case 'multiply':
          return a.times(b!);
        case 'unaryMinus':
          return a.times(Polynomial.constant(-1));
        case 'unaryPlus':
          return a;
        case 'divide': {
          const c = b!.constantValue();
          if (!c || Q.isZero(c)) throw new Unsupported();
          return a.times(Polynomial.constant(Q.divide(Q.one, c)));
        }
        case 'pow': {
          const c = b!.constantValue();
          if (!c || !Q.isInteger(c) || c.n < 0n || c.n > 64n) throw new Unsupported();
          return a.pow(Number(c.n));
        }
      }
      throw new Unsupported();
    }
    case 'FunctionNode': {
      const f = view.func(e);
      const name = f.fn.name;
      if (name === 'min' || name === 'max') {
        const flat: Expr[] = [];
        const collect = (x: Expr): void => {
          let y = x;
          while (y.type === 'ParenthesisNode') y = view.parenthesis(y).content;
          if (y.type === 'FunctionNode' && view.func(y).fn.name === name) view.func(y).args.forEach(collect);
          else flat.push(y);
        };
        f.args.forEach(collect);
        const forms = new Map(flat.map((x) => normalForm(x)).map((p) => [p.toString(), p] as const));
        if (forms.size === 1) return [...forms.values()][0]!;
        return Polynomial.symbol(`${name}{${[...forms.keys()].sort().join('; ')}}`);
      }
      if (name === 'abs' && f.args.length === 1) return Polynomial.symbol(`abs{${normalForm(f.args[0]!).toString()}}`);
      throw new Unsupported();
    }
  }
  throw new Unsupported();
}

function comparison(relation: string, a: Expr, b: Expr): Polynomial {
  return Polynomial.symbol(`[${normalForm(a).toString()} ${relation} ${normalForm(b).toString()}]`);
}

/** true when the two expressions are the same polynomial over the same atoms (hence equal everywhere). */
export function identicalOverAtoms(lhs: Expr, rhs: Expr): boolean {
  try {
    return normalForm(lhs).equals(normalForm(rhs));
  } catch (error) {
    if (error instanceof Unsupported) return false;
    throw error;
  }
}
