/**
 * Assumptions on the symbols ("M1 <= d", "r = d", "N > d", "M1 < M2 <= K"): parsed with mathjs
 * (never evaluated as JavaScript), checked to lie in the fragment the decision procedure decides
 * (each side a symbol plus an integer, or any two sides differing by k(x − y) + c), and turned
 * into a region of integer points. Under a region, min/max/|·|/comparisons that the region
 * decides are simplified away: with a bottleneck assumed, q = min(r, M1, …, K) becomes a single
 * symbol and a rank formula becomes a polynomial.
 */
import { InputError } from '../errors.js';
import {
  call,
  constant,
  equalsAsComparison,
  maximum,
  minimum,
  negate,
  parseExpression,
  relationOf,
  symbolsOf,
  toText,
  view,
  type Expr,
  type Relation,
} from './expression.js';
import { MinPolynomialCompiler } from './minPolynomial.js';
import { primitive } from './linearInequalities.js';
import { differenceForm, OrderRegion } from './orderRegion.js';
import { Polynomial } from './polynomial.js';

/** Parses one assumption; `=` means equality. */
export function parseAssumption(source: string, isSymbol: (name: string) => boolean, known: string): Expr {
  const e = parseExpression(equalsAsComparison(source), {
    symbols: isSymbol,
    what: "assumption",
  });
  const pairs = relationPairs(e);
  if (pairs.length === 0) throw new InputError(`assumption "${source}" is not a comparison; write e.g. "M1 <= d" or "r = d" (symbols: ${known})`);
  return e;
}

/** The relations a (possibly chained) comparison states: a < b <= c gives (a < b), (b <= c). */
export function relationPairs(e: Expr): [Relation, Expr, Expr][] {
  let node = e;
  while (node.type === 'ParenthesisNode') node = view.parenthesis(node).content;
  if (node.type === 'RelationalNode') {
    const { conditionals, params } = view.relational(node);
    return conditionals.map((fn, i) => [relationOf(fn)!, params[i]!, params[i + 1]!]);
  }
  if (node.type === 'OperatorNode' && relationOf(view.operator(node).fn)) {
    const { fn, args } = view.operator(node);
    return [[relationOf(fn)!, args[0]!, args[1]!]];
  }
  return [];
}

function polynomialOf(e: Expr): Polynomial | undefined {
  const compiler = new MinPolynomialCompiler();
  const skeleton = compiler.compile(e);
  return skeleton.kind === 'poly' ? skeleton.poly : undefined;
}

/**
 * The region of positive-integer points satisfying the assumptions. Throws InputError for an
 * assumption outside the fragment (e.g. M1 * M2 <= d, or a min inside) or a contradictory set.
 */
export function assumptionRegion(symbols: Iterable<string>, assumptions: Expr[]): OrderRegion {
  const all = new Set(symbols);
  for (const a of assumptions) for (const s of symbolsOf(a)) all.add(s);
  const region = OrderRegion.positive(all);
  for (const assumption of assumptions) {
    for (const [relation, left, right] of relationPairs(assumption)) {
      const a = polynomialOf(left);
      const b = polynomialOf(right);
      const where = `assumption "${toText(assumption)}"`;
      if (!a || !b) throw new InputError(`${where}: use polynomials on both sides (no min/max) in assumptions`);
      // x < y at integer points is x − y ≤ −1 once x − y has coprime integer coefficients (x/2 < y/2 is x ≤ y − 1)
      const below = (x: Polynomial, y: Polynomial): [Polynomial, Polynomial] => [primitive(x.minus(y)).plus(Polynomial.one), Polynomial.zero];
      const constraints: [Polynomial, Polynomial][] =
        relation === '<=' ? [[a, b]] : relation === '<' ? [below(a, b)] : relation === '>=' ? [[b, a]] : relation === '>' ? [below(b, a)] : relation === '==' ? [[a, b], [b, a]] : [];
      if (relation === '!=') throw new InputError(`${where}: ≠ is a disjunction; state the case you mean with < or >`);
      for (const [x, y] of constraints) {
        const form = differenceForm(x, y);
        if (!form) throw new InputError(`${where}: compare symbols plus constants (e.g. M1 <= d, K >= M2 + 1); ${toText(left)} − ${toText(right)} is not of the form x − y + c`);
        if (!region.addLessEqual(form)) throw new InputError(`the assumptions contradict each other (or that every symbol is ≥ 1) at ${toText(assumption)}`);
      }
    }
  }
  return region;
}

/** Replaces every min/max/abs/comparison the region decides; keeps only arguments that can still be extremal. */
export function simplifyUnder(e: Expr, region: OrderRegion): Expr {
  const decideLessEqual = (a: Polynomial, b: Polynomial): boolean | undefined => {
    const form = differenceForm(a, b);
    if (!form) return undefined;
    for (const name of [form.plus, form.minus]) if (name !== undefined && !region.symbols.includes(name)) return undefined;
    return region.decide(form);
  };
  const walk = (node: Expr): Expr => {
    if (node.type === 'ParenthesisNode') return walk(view.parenthesis(node).content);
    if (node.type === 'FunctionNode') {
      const f = view.func(node);
      const name = f.fn.name;
      const args = f.args.map(walk);
      if (name === 'min' || name === 'max') {
        const flat = args.flatMap((a) => (a.type === 'FunctionNode' && view.func(a).fn.name === name ? view.func(a).args : [a]));
        const polys = flat.map(polynomialOf);
        if (polys.some((p) => !p)) return call(name, flat);
        const below = (x: Polynomial, y: Polynomial) => (name === 'min' ? decideLessEqual(x, y) : decideLessEqual(y, x)) === true;
        const kept: number[] = [];
        polys.forEach((p, i) => {
          if (kept.some((k) => polys[k]!.equals(p!))) return;
          kept.push(i);
        });
        const extremal = kept.filter((i) => !kept.some((j) => j !== i && below(polys[j]!, polys[i]!)));
        const items = extremal.map((i) => flat[i]!);
        return name === 'min' ? minimum(items) : maximum(items);
      }
      if (name === 'abs') {
        const p = polynomialOf(args[0]!);
        const sign = p ? decideLessEqual(Polynomial.zero, p) : undefined;
        return sign === undefined ? call('abs', args) : sign ? args[0]! : negate(args[0]!);
      }
      return call(name, args);
    }
    const mapped = node.map((child) => walk(child));
    const pairs = relationPairs(mapped);
    if (pairs.length === 1) {
      const [relation, left, right] = pairs[0]!;
      const a = polynomialOf(left);
      const b = polynomialOf(right);
      if (a && b) {
        const le = decideLessEqual(a, b);
        const ge = decideLessEqual(b, a);
        const lt = decideLessEqual(primitive(a.minus(b)).plus(Polynomial.one), Polynomial.zero);
        const gt = decideLessEqual(primitive(b.minus(a)).plus(Polynomial.one), Polynomial.zero);
        const truth = { '<=': le, '>=': ge, '<': lt, '>': gt, '==': le && ge ? true : le === false || ge === false ? false : undefined, '!=': le && ge ? false : le === false || ge === false ? true : undefined }[relation];
        if (truth !== undefined) return constant(truth ? 1 : 0);
      }
    }
    return mapped;
  };
  return walk(e);
}

export { polynomialOf };
