/**
 * A deep linear network of depth L with symbolic widths: input d, hidden widths M1, …, M_{L−1},
 * outputs K, data rank r = rank Σ_xx (r ≤ d; r = min(N, d) for N generic samples), samples N.
 *
 * Also writes the catalog's vocabulary in these symbols for one depth: the vectors M = [M1, …]
 * and w = [d, M1, …, K] (mathjs: 1-based, ranges inclusive, elementwise .* and comparisons),
 * L, the layer index l, the bottleneck q = min(r, M1, …, K), s = min(r, K), the parameter count
 * p = Σ_l M_l (M_{l−1} + [bias]) and each entry's own definitions — so a catalog formula becomes a
 * scalar min-polynomial expression the decision procedure can compare with a derivation.
 */
import type { Loss } from '../architecture/fullyConnected.js';
import type { CompiledFormula } from '../catalog/catalog.js';
import { InputError } from '../errors.js';
import {
  call,
  constant,
  binary,
  compare,
  difference,
  maximum,
  minimum,
  negate,
  parseExpression,
  product,
  relationOf,
  substitute,
  sum,
  symbol,
  symbolsOf,
  toText,
  view,
  type Expr,
  type Relation,
} from './expression.js';
import { MinPolynomialCompiler, evaluateSkeleton } from './minPolynomial.js';
import * as Q from './rational.js';

export interface SymbolicNetwork {
  /** number of weight matrices L ≥ 1 */
  depth: number;
  loss: Loss;
  bias: boolean;
}

export const hiddenWidths = (L: number): string[] => Array.from({ length: L - 1 }, (_, i) => `M${i + 1}`);
export const allWidths = (L: number): string[] => ['d', ...hiddenWidths(L), 'K'];

/** The symbols a depth-L network's formulas are written in. */
export function networkSymbols(L: number): string[] {
  return ['d', ...hiddenWidths(L), 'K', 'r', 'N'];
}

/** K for MSE; K − 1 for cross-entropy (the softmax Hessian has rank K − 1). */
export function outputRank(net: SymbolicNetwork): Expr {
  return net.loss === 'ce' ? difference(symbol('K'), constant(1)) : symbol('K');
}

/** q = min(r, M1, …, M_{L−1}, K) (K − 1 for cross-entropy). */
export function bottleneck(net: SymbolicNetwork): Expr {
  return minimum([symbol('r'), ...hiddenWidths(net.depth).map(symbol), outputRank(net)]);
}

/** s = min(r, K) (K − 1 for cross-entropy). */
export function dataOutputRank(net: SymbolicNetwork): Expr {
  return minimum([symbol('r'), outputRank(net)]);
}

/** p = Σ_l M_l (M_{l−1} + [bias]). */
export function parameterCount(net: SymbolicNetwork): Expr {
  const w = allWidths(net.depth).map(symbol);
  const terms: Expr[] = [];
  for (let l = 1; l <= net.depth; l++) terms.push(product(w[l]!, net.bias ? sum(w[l - 1]!, constant(1)) : w[l - 1]!));
  return sum(...terms);
}

/**
 * Facts every generic instance satisfies, used as assumptions in proofs: r ≤ d, and r = min(N, d)
 * when N occurs; K ≥ 2 for cross-entropy.
 */
export function backgroundFacts(net: SymbolicNetwork, usesSamples: boolean): Expr[] {
  const facts = [parseExpression('r <= d')];
  if (usesSamples) facts.push(parseExpression('r == min(N, d)'));
  if (net.loss === 'ce') facts.push(parseExpression('K >= 2'));
  return facts;
}

// ---------------------------------------------------------------- catalog instantiation

/** A vocabulary symbol's value while a catalog formula is written symbolically: a scalar or a vector. */
export type Value = { kind: 'scalar'; e: Expr } | { kind: 'vector'; items: Expr[] };

export const scalar = (e: Expr): Value => ({ kind: 'scalar', e });
export const vector = (items: Expr[]): Value => ({ kind: 'vector', items });

/** The exact value of a symbol-free expression (comparisons count as 0/1). */
export function constantValue(e: Expr): Q.Rational | undefined {
  if (symbolsOf(e).length > 0) return undefined;
  const compiler = new MinPolynomialCompiler();
  return evaluateSkeleton(compiler.compile(e), compiler.atoms, new Map());
}

function integerValue(e: Expr, what: string): number {
  const v = constantValue(e);
  if (!v || !Q.isInteger(v)) throw new InputError(`${what}: "${toText(e)}" is not a constant integer at this depth`);
  return Number(v.n);
}

const elementwise: Record<string, string> = { dotMultiply: 'multiply', dotDivide: 'divide', dotPow: 'pow' };
const operatorOf: Record<string, string> = { add: '+', subtract: '-', multiply: '*', divide: '/', pow: '^' };

/** The catalog vocabulary of a depth-L network (layer l for block formulas) in its symbols. */
function deepLinearScope(net: SymbolicNetwork, layer?: number): Map<string, Value> {
  const L = net.depth;
  const scope = new Map<string, Value>();
  scope.set('M', vector(hiddenWidths(L).map(symbol)));
  scope.set('w', vector(allWidths(L).map(symbol)));
  scope.set('L', scalar(constant(L)));
  if (layer !== undefined) scope.set('l', scalar(constant(layer)));
  scope.set('q', scalar(minimum([symbol('r'), ...hiddenWidths(L).map(symbol), symbol('K')])));
  scope.set('s', scalar(minimum([symbol('r'), symbol('K')])));
  scope.set('p', scalar(parameterCount(net)));
  return scope;
}

/**
 * Writes catalog expressions in the symbols of one network: the scope gives each vocabulary symbol
 * its value (a scalar or a vector of expressions); vectors are indexed, summed and minimised here.
 */
export class Instantiator {
  private readonly scope: Map<string, Value>;

  constructor(
    scope: ReadonlyMap<string, Value>,
    private readonly what: string,
  ) {
    this.scope = new Map(scope);
  }

  define(name: string, e: Expr): void {
    this.scope.set(name, this.value(e));
  }

  scalarOf(e: Expr): Expr {
    const v = this.value(e);
    if (v.kind !== 'scalar') throw new InputError(`${this.what}: "${toText(e)}" is a vector, not a number`);
    return v.e;
  }

  private combine(fn: string, a: Value, b: Value, node: Expr): Value {
    const op = (x: Expr, y: Expr): Expr => {
      const relation = relationOf(fn);
      if (relation) return compare(relation, x, y);
      if (fn === 'and') return product(x, y);
      if (fn === 'or') return maximum([x, y]);
      const base = elementwise[fn] ?? fn;
      if (!operatorOf[base]) throw new InputError(`${this.what}: operator ${fn} is not supported`);
      return binary(operatorOf[base]!, x, y);
    };
    if (a.kind === 'scalar' && b.kind === 'scalar') return scalar(op(a.e, b.e));
    if (fn === 'multiply' && a.kind === 'vector' && b.kind === 'vector') {
      throw new InputError(`${this.what}: "${toText(node)}" multiplies two vectors; use .* for elementwise products`);
    }
    const n = a.kind === 'vector' ? a.items.length : (b as { items: Expr[] }).items.length;
    const at = (v: Value, i: number): Expr => {
      if (v.kind === 'scalar') return v.e;
      if (v.items.length !== n) throw new InputError(`${this.what}: "${toText(node)}" combines vectors of different lengths`);
      return v.items[i]!;
    };
    return vector(Array.from({ length: n }, (_, i) => op(at(a, i), at(b, i))));
  }

  private flatten(args: Expr[]): Expr[] {
    return args.flatMap((a) => {
      const v = this.value(a);
      return v.kind === 'scalar' ? [v.e] : v.items;
    });
  }

  value(e: Expr): Value {
    switch (e.type) {
      case 'ParenthesisNode':
        return this.value(view.parenthesis(e).content);
      case 'ConstantNode':
        return scalar(e);
      case 'SymbolNode': {
        const name = view.symbol(e).name;
        return this.scope.get(name) ?? scalar(e);
      }
      case 'OperatorNode': {
        const { fn, args } = view.operator(e);
        if (args.length === 1) {
          const a = this.value(args[0]!);
          if (fn === 'unaryPlus') return a;
          if (fn === 'unaryMinus') return a.kind === 'scalar' ? scalar(negate(a.e)) : vector(a.items.map(negate));
          if (fn === 'not') {
            const not = (x: Expr) => difference(constant(1), x);
            return a.kind === 'scalar' ? scalar(not(a.e)) : vector(a.items.map(not));
          }
          throw new InputError(`${this.what}: operator ${fn} is not supported`);
        }
        return this.combine(fn, this.value(args[0]!), this.value(args[1]!), e);
      }
      case 'RelationalNode': {
        const { conditionals, params } = view.relational(e);
        const values = params.map((p) => this.value(p));
        const parts = conditionals.map((fn, i) => this.combine(fn, values[i]!, values[i + 1]!, e));
        return parts.reduce((acc, part) => this.combine('and', acc, part, e));
      }
      case 'RangeNode': {
        const r = view.range(e);
        const from = integerValue(this.scalarOf(r.start), this.what);
        const to = integerValue(this.scalarOf(r.end), this.what);
        return vector(Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => constant(from + i)));
      }
      case 'AccessorNode': {
        const a = view.accessor(e);
        const object = this.value(a.object);
        if (object.kind !== 'vector') throw new InputError(`${this.what}: "${toText(e)}" indexes a number`);
        if (a.index.dimensions.length !== 1) throw new InputError(`${this.what}: "${toText(e)}" must index one dimension`);
        const dim = a.index.dimensions[0]!;
        const pick = (k: number) => {
          const item = object.items[k - 1];
          if (!item) throw new InputError(`${this.what}: "${toText(e)}" indexes entry ${k} of a vector of length ${object.items.length}`);
          return item;
        };
        const index = this.value(dim);
        if (index.kind === 'scalar') return scalar(pick(integerValue(index.e, this.what)));
        return vector(index.items.map((k) => pick(integerValue(k, this.what))));
      }
      case 'ConditionalNode': {
        // cond ? a : b — a constant condition picks its branch; otherwise [cond]·a + (1 − [cond])·b
        const { condition, trueExpr, falseExpr } = e as unknown as { condition: Expr; trueExpr: Expr; falseExpr: Expr };
        const test = this.scalarOf(condition);
        const known = constantValue(test);
        if (known !== undefined) return this.value(Q.isZero(known) ? falseExpr : trueExpr);
        const [a, b] = [this.scalarOf(trueExpr), this.scalarOf(falseExpr)];
        return scalar(sum(product(test, a), product(difference(constant(1), test), b)));
      }
      case 'FunctionNode': {
        const f = view.func(e);
        const name = f.fn.name;
        if (name === 'sum' && f.args.length === 4) {
          const [body, index, fromNode, toNode] = f.args as [Expr, Expr, Expr, Expr];
          const from = constantValue(this.scalarOf(fromNode));
          const to = constantValue(this.scalarOf(toNode));
          if (from && to && Q.isInteger(from) && Q.isInteger(to)) {
            // constant bounds: expand before indexing, so w[i + 1] picks a width
            const terms: Expr[] = [];
            for (let k = from.n; k <= to.n; k++) terms.push(this.scalarOf(substitute(body, { [view.symbol(index).name]: constant(Number(k)) })));
            return scalar(sum(...terms));
          }
          return scalar(call('sum', [this.scalarOf(body), index, this.scalarOf(fromNode), this.scalarOf(toNode)]));
        }
        if (name === 'sum') return scalar(sum(...this.flatten(f.args)));
        if (name === 'prod') return scalar(product(...this.flatten(f.args)));
        if (name === 'min' || name === 'max') {
          // min(r, min(M), K) = min(r, M1, …, K): nested minima flatten, so an empty M drops out
          const nested = (args: Expr[]): Expr[] =>
            args.flatMap((a) => {
              let x = a;
              while (x.type === 'ParenthesisNode') x = view.parenthesis(x).content;
              return x.type === 'FunctionNode' && view.func(x).fn.name === name ? nested(view.func(x).args) : [x];
            });
          const items = this.flatten(nested(f.args));
          if (items.length === 0) throw new InputError(`${this.what}: ${name} of an empty vector`);
          return scalar(name === 'min' ? minimum(items) : maximum(items));
        }
        if (name === 'abs') {
          const a = this.value(f.args[0]!);
          return a.kind === 'scalar' ? scalar(call('abs', [a.e])) : vector(a.items.map((x) => call('abs', [x])));
        }
        throw new InputError(`${this.what}: ${name}() has no symbolic meaning here`);
      }
    }
    throw new InputError(`${this.what}: "${toText(e)}" (${e.type}) cannot be written symbolically`);
  }
}

export interface InstantiatedFormula {
  /** the formula as a scalar min-polynomial expression in d, M1.., K, r, N */
  expression: Expr;
  /** the domain condition's relations that remain symbolic (e.g. N > d), as assumptions */
  conditions: Expr[];
  /** false when the condition fails at this depth (e.g. L >= 2 at depth 1) */
  applies: boolean;
}

/**
 * A user's expression in the catalog vocabulary (q, s, p, L, l, M, w, sum(M), M[i], …) written in
 * the symbols of a depth-L network; symbols outside the vocabulary stay as they are.
 */
export function instantiateExpression(e: Expr, net: SymbolicNetwork, layer?: number, what = 'expression'): Expr {
  return new Instantiator(deepLinearScope(net, layer), what).scalarOf(e);
}

/** Splits `a and b and …` into its conjuncts. */
function conjuncts(e: Expr): Expr[] {
  let node = e;
  while (node.type === 'ParenthesisNode') node = view.parenthesis(node).content;
  if (node.type === 'OperatorNode' && view.operator(node).fn === 'and') return view.operator(node).args.flatMap(conjuncts);
  return [node];
}

/**
 * A catalog formula written in the symbols of a depth-L network (layer l for block formulas).
 * Nested minima flatten, so empty vectors drop out (the vocabulary's q at depth 1 is min(r, K)).
 */
export function instantiateFormula(formula: CompiledFormula, net: SymbolicNetwork, layer?: number): InstantiatedFormula {
  return instantiateInScope(formula, deepLinearScope(net, layer), `formula ${formula.entry.id} at depth ${net.depth}`);
}

/** A catalog formula written in the scope's symbols (any family: the scope gives its vocabulary). */
export function instantiateInScope(formula: CompiledFormula, scope: ReadonlyMap<string, Value>, what: string): InstantiatedFormula {
  const instantiator = new Instantiator(scope, what);
  const read = (source: string) => parseExpression(source, { catalog: true, what });
  let applies = true;
  const conditions: Expr[] = [];
  if (formula.entry.domain.condition) {
    for (const part of conjuncts(read(formula.entry.domain.condition))) {
      const relation = instantiator.scalarOf(part);
      const value = constantValue(relation);
      if (value === undefined) conditions.push(relation);
      else if (Q.isZero(value)) applies = false;
    }
  }
  if (!applies) return { expression: constant(0), conditions, applies };
  for (const [name, source] of Object.entries(formula.entry.definitions ?? {})) instantiator.define(name, read(source));
  const expression = instantiator.scalarOf(read(formula.entry.expression));
  return { expression, conditions, applies };
}

export type { Relation };
