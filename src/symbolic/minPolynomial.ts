/**
 * Min-polynomial expressions compiled for the decision procedure: a polynomial skeleton over
 * atoms, where an atom is min(a₁, …, aₙ), max(a₁, …, aₙ), |a| or an Iverson bracket [a ⋈ b]
 * (⋈ ∈ <, ≤, >, ≥, =, ≠) whose arguments are themselves min-polynomial expressions.
 * Once every atom is replaced by a polynomial (the argument it selects in a case), the skeleton
 * is a polynomial. Atoms are shared: the same atom in both sides of an identity is one atom.
 */
import { InputError } from '../errors.js';
import { Polynomial } from './polynomial.js';
import * as Q from './rational.js';
import type { Rational } from './rational.js';
import { math } from '../catalog/expression.js';
import { call, compare, constant, power, product, relationOf, substitute, sum, toTex, toText, view, type Expr, type Relation } from './expression.js';

/** bounds that keep a typo from expanding forever */
const maximumExponent = 64;
const maximumSumTerms = 10_000;
/** a polynomial of more terms, or a product of more term pairs, is refused as input */
const maximumPolynomialTerms = 20_000;
const maximumProductPairs = 2_000_000;

/** a·b, refused (InputError) when the product would be too large to expand */
export function guardedTimes(a: Polynomial, b: Polynomial, what = 'expression'): Polynomial {
  if (a.termCount() * b.termCount() > maximumProductPairs) {
    throw new InputError(`${what}: expanding a product of polynomials with ${a.termCount()} and ${b.termCount()} terms is beyond the cap (${maximumProductPairs} term pairs)`);
  }
  const product = a.times(b);
  if (product.termCount() > maximumPolynomialTerms) throw new InputError(`${what}: a polynomial expands to ${product.termCount()} terms, beyond the cap of ${maximumPolynomialTerms}`);
  return product;
}

function guardedPower(a: Polynomial, exponent: number, what: string): Polynomial {
  let result = Polynomial.one;
  for (let i = 0; i < exponent; i++) result = guardedTimes(result, a, what);
  return result;
}

export type Skeleton =
  | { kind: 'poly'; poly: Polynomial }
  | { kind: 'add'; terms: Skeleton[] }
  | { kind: 'mul'; factors: Skeleton[] }
  | { kind: 'pow'; base: Skeleton; exponent: number }
  | { kind: 'atom'; id: number };

export interface Atom {
  id: number;
  type: 'min' | 'max' | 'abs' | 'compare';
  relation?: Relation;
  args: Skeleton[];
  /** the atom as an expression, for display */
  expr: Expr;
  text: string;
  tex: string;
}

const isPoly = (s: Skeleton): s is { kind: 'poly'; poly: Polynomial } => s.kind === 'poly';

function combine(kind: 'add' | 'mul', parts: Skeleton[]): Skeleton {
  if (parts.every(isPoly)) {
    const polys = parts.map((p) => p.poly);
    return { kind: 'poly', poly: kind === 'add' ? polys.reduce((a, b) => a.plus(b), Polynomial.zero) : polys.reduce((a, b) => guardedTimes(a, b), Polynomial.one) };
  }
  return kind === 'add' ? { kind, terms: parts } : { kind, factors: parts };
}

const scaled = (s: Skeleton, factor: Rational): Skeleton => combine('mul', [s, { kind: 'poly', poly: Polynomial.constant(factor) }]);

export class MinPolynomialCompiler {
  readonly atoms: Atom[] = [];
  private readonly byKey = new Map<string, number>();

  compile(e: Expr, what = 'expression'): Skeleton {
    switch (e.type) {
      case 'ParenthesisNode':
        return this.compile(view.parenthesis(e).content, what);
      case 'ConstantNode':
        return { kind: 'poly', poly: Polynomial.constant(Number(view.constant(e).value)) };
      case 'SymbolNode':
        return { kind: 'poly', poly: Polynomial.symbol(view.symbol(e).name) };
      case 'RelationalNode': {
        const { conditionals, params } = view.relational(e);
        const brackets = conditionals.map((fn, i) => this.atom('compare', [this.compile(params[i]!, what), this.compile(params[i + 1]!, what)], e, relationOf(fn)!));
        return combine('mul', brackets);
      }
      case 'OperatorNode': {
        const { fn, args } = view.operator(e);
        const relation = relationOf(fn);
        if (relation) return this.atom('compare', [this.compile(args[0]!, what), this.compile(args[1]!, what)], e, relation);
        const [a, b] = args.map((x) => this.compile(x, what)) as [Skeleton, Skeleton | undefined];
        switch (fn) {
          case 'add':
            return combine('add', [a, b!]);
          case 'subtract':
            return combine('add', [a, scaled(b!, Q.rational(-1))]);
          case 'multiply':
            return combine('mul', [a, b!]);
          case 'unaryMinus':
            return scaled(a, Q.rational(-1));
          case 'unaryPlus':
            return a;
          case 'divide': {
            const divisor = b!.kind === 'poly' ? b!.poly.constantValue() : undefined;
            if (!divisor || Q.isZero(divisor)) throw new InputError(`${what}: "${toText(e)}" divides by something other than a nonzero constant`);
            return scaled(a, Q.divide(Q.one, divisor));
          }
          case 'pow': {
            const exponent = b!.kind === 'poly' ? b!.poly.constantValue() : undefined;
            if (!exponent || !Q.isInteger(exponent) || exponent.n < 0n || exponent.n > BigInt(maximumExponent)) {
              throw new InputError(`${what}: "${toText(e)}" raises to a power that is not a constant integer in 0..${maximumExponent}`);
            }
            return a.kind === 'poly' ? { kind: 'poly', poly: guardedPower(a.poly, Number(exponent.n), what) } : { kind: 'pow', base: a, exponent: Number(exponent.n) };
          }
        }
        throw new InputError(`${what}: operator ${fn} is not allowed`);
      }
      case 'FunctionNode': {
        const f = view.func(e);
        const name = f.fn.name;
        if (name === 'min' || name === 'max') {
          if (f.args.length === 0) throw new InputError(`${what}: ${name}() needs at least one argument`);
          // min(a, min(b, c)) = min(a, b, c): flatten so one split decides the whole minimum
          const flat: Expr[] = [];
          const collect = (x: Expr) => {
            let y = x;
            while (y.type === 'ParenthesisNode') y = view.parenthesis(y).content;
            if (y.type === 'FunctionNode' && view.func(y).fn.name === name) view.func(y).args.forEach(collect);
            else flat.push(y);
          };
          f.args.forEach(collect);
          if (flat.length === 1) return this.compile(flat[0]!, what);
          return this.atom(name, flat.map((x) => this.compile(x, what)), call(name, flat));
        }
        if (name === 'abs') {
          if (f.args.length !== 1) throw new InputError(`${what}: abs() takes one argument`);
          return this.atom('abs', [this.compile(f.args[0]!, what)], e);
        }
        if (name === 'sum') return this.compileSum(e, what);
        throw new InputError(`${what}: ${name}() is not allowed in a min-polynomial expression`);
      }
    }
    throw new InputError(`${what}: "${toText(e)}" (${e.type}) is not a min-polynomial expression; give a depth to expand vectors`);
  }

  /** Σ_{i=a}^{b} body: expanded when a, b are constants; (b − a + 1)⁺ · body when body does not use i. */
  private compileSum(e: Expr, what: string): Skeleton {
    const args = view.func(e).args;
    if (args.length !== 4 || args[1]!.type !== 'SymbolNode') {
      throw new InputError(`${what}: sum() needs the form sum(body, i, from, to) here (vectors need a depth)`);
    }
    const [body, indexNode, fromNode, toNode] = args as [Expr, Expr, Expr, Expr];
    const index = view.symbol(indexNode).name;
    const from = this.compile(fromNode, what);
    const to = this.compile(toNode, what);
    const a = from.kind === 'poly' ? from.poly.constantValue() : undefined;
    const b = to.kind === 'poly' ? to.poly.constantValue() : undefined;
    let usesIndex = false;
    body.traverse((node) => {
      if (node.type === 'SymbolNode' && view.symbol(node).name === index) usesIndex = true;
    });
    if (a && b && (usesIndex || b.n - a.n < 64n)) {
      if (!Q.isInteger(a) || !Q.isInteger(b)) throw new InputError(`${what}: sum bounds must be integers`);
      if (b.n - a.n >= BigInt(maximumSumTerms)) throw new InputError(`${what}: the sum "${toText(e)}" has more than ${maximumSumTerms} terms`);
      const terms: Skeleton[] = [];
      for (let i = a.n; i <= b.n; i++) terms.push(this.compile(substitute(body, { [index]: constant(Number(i)) }), what));
      return terms.length === 0 ? { kind: 'poly', poly: Polynomial.zero } : combine('add', terms);
    }
    if (usesIndex) {
      throw new InputError(`${what}: the sum "${toText(e)}" has symbolic bounds and a body that depends on ${index}; it is outside the decidable fragment`);
    }
    const count = combine('add', [to, scaled(from, Q.rational(-1)), { kind: 'poly', poly: Polynomial.one }]);
    const countExpr = call('max', [toExprOf(count, this), constant(0)]);
    const positiveCount = this.atom('max', [count, { kind: 'poly', poly: Polynomial.zero }], countExpr);
    return combine('mul', [positiveCount, this.compile(body, what)]);
  }

  private atom(type: Atom['type'], args: Skeleton[], expr: Expr, relation?: Relation): Skeleton {
    const display = type === 'compare' && args.length === 2 && expr.type === 'RelationalNode' ? undefined : expr;
    const shown = display ?? relationExpr(relation!, args, this);
    const text = toText(shown);
    const key = `${type}:${relation ?? ''}:${text}`;
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.atoms.length;
      this.atoms.push({ id, type, relation, args, expr: shown, text, tex: toTex(shown) });
      this.byKey.set(key, id);
    }
    return { kind: 'atom', id };
  }
}

/** A skeleton written back as an expression (for display of derived atoms). */
function toExprOf(s: Skeleton, compiler: MinPolynomialCompiler): Expr {
  switch (s.kind) {
    case 'poly':
      return polynomialExpr(s.poly);
    case 'atom':
      return compiler.atoms[s.id]!.expr;
    case 'add':
      return sum(...s.terms.map((t) => toExprOf(t, compiler)));
    case 'mul':
      return product(...s.factors.map((t) => toExprOf(t, compiler)));
    case 'pow':
      return power(toExprOf(s.base, compiler), s.exponent);
  }
}

function relationExpr(relation: Relation, args: Skeleton[], compiler: MinPolynomialCompiler): Expr {
  const [a, b] = args.map((x) => toExprOf(x, compiler)) as [Expr, Expr];
  return compare(relation, a, b);
}

/** A polynomial as an expression tree (parsing its mathjs text). */
export function polynomialExpr(p: Polynomial): Expr {
  return math.parse(p.toString());
}

/** The skeleton's polynomial once every atom it reaches has a value. */
export function skeletonPolynomial(s: Skeleton, value: (atom: number) => Polynomial): Polynomial {
  switch (s.kind) {
    case 'poly':
      return s.poly;
    case 'atom':
      return value(s.id);
    case 'add':
      return s.terms.reduce((acc, t) => acc.plus(skeletonPolynomial(t, value)), Polynomial.zero);
    case 'mul':
      return s.factors.reduce((acc, t) => guardedTimes(acc, skeletonPolynomial(t, value)), Polynomial.one);
    case 'pow':
      return guardedPower(skeletonPolynomial(s.base, value), s.exponent, 'expression');
  }
}

/** Atoms reachable from s, stopping at atoms `stop` says are settled. */
export function atomsIn(s: Skeleton, atoms: readonly Atom[], stop: (id: number) => boolean, into = new Set<number>()): Set<number> {
  switch (s.kind) {
    case 'poly':
      break;
    case 'atom':
      if (!stop(s.id) && !into.has(s.id)) {
        into.add(s.id);
        for (const arg of atoms[s.id]!.args) atomsIn(arg, atoms, stop, into);
      }
      break;
    case 'add':
      s.terms.forEach((t) => atomsIn(t, atoms, stop, into));
      break;
    case 'mul':
      s.factors.forEach((t) => atomsIn(t, atoms, stop, into));
      break;
    case 'pow':
      atomsIn(s.base, atoms, stop, into);
      break;
  }
  return into;
}

/** Exact value at an integer point, evaluating every atom directly (independent of any case split). */
export function evaluateSkeleton(s: Skeleton, atoms: readonly Atom[], point: ReadonlyMap<string, Rational>): Rational {
  switch (s.kind) {
    case 'poly':
      return s.poly.evaluate(point);
    case 'add':
      return s.terms.reduce((acc, t) => Q.add(acc, evaluateSkeleton(t, atoms, point)), Q.zero);
    case 'mul':
      return s.factors.reduce((acc, t) => Q.multiply(acc, evaluateSkeleton(t, atoms, point)), Q.one);
    case 'pow':
      return Q.power(evaluateSkeleton(s.base, atoms, point), s.exponent);
    case 'atom': {
      const atom = atoms[s.id]!;
      const values = atom.args.map((a) => evaluateSkeleton(a, atoms, point));
      switch (atom.type) {
        case 'min':
          return values.reduce((a, b) => (Q.compare(a, b) <= 0 ? a : b));
        case 'max':
          return values.reduce((a, b) => (Q.compare(a, b) >= 0 ? a : b));
        case 'abs':
          return Q.compare(values[0]!, Q.zero) < 0 ? Q.negate(values[0]!) : values[0]!;
        case 'compare': {
          const c = Q.compare(values[0]!, values[1]!);
          const holds = { '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0, '==': c === 0, '!=': c !== 0 }[atom.relation!];
          return holds ? Q.one : Q.zero;
        }
      }
    }
  }
}


/** The exact value of an expression at an integer point (every symbol needs a value). */
export function evaluateExpression(e: Expr, point: Record<string, number>): Rational {
  const compiler = new MinPolynomialCompiler();
  const skeleton = compiler.compile(e);
  return evaluateSkeleton(skeleton, compiler.atoms, new Map(Object.entries(point).map(([s, v]) => [s, Q.rational(v)])));
}
