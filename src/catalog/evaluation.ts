/**
 * The evaluation of a parsed rank expression over numbers, booleans and vectors, with mathjs's own
 * semantics (its default configuration: float64 numbers, comparisons equal within relTol = 1e-12 and
 * absTol = 1e-15, booleans counting as 0/1 in arithmetic, 1-based inclusive indices and ranges):
 *
 *   value(e) = mathjs's evaluate(e)   whenever value(e) is not `unhandled`.
 *
 * It covers what the catalogs and rank expressions use: + − × / ^ and unary ±, comparisons (also
 * chained), and/or/not, "c ? a : b", min, max, sum, abs, cumsum, elementwise .* ./ .^, indices and
 * ranges of vectors. Anything else — another function, a product of two vectors, an empty vector, an
 * index out of range, a complex or non-number result, an error — is `unhandled`, and
 * evaluateRankExpression (./expression.ts) lets mathjs evaluate the expression. The point is speed at
 * start-up: mathjs builds its typed functions at the first evaluation of a process (about 0.3 s);
 * this walk over the tree needs none of them. proofs-tests/catalog/evaluation.test.ts checks the two
 * agree on random expressions, bit for bit.
 */
import type { MathNode } from 'mathjs';

/** Symbol values: numbers, and vectors (1-based in expressions). */
export type Scope = Record<string, number | number[]>;

type Scalar = number | boolean;
/** a vector: never empty here (an empty one is unhandled) */
type Vector = readonly Scalar[];
type Value = Scalar | Vector;

/** mathjs's default tolerances (config.relTol, config.absTol) for == < <= > >= and min/max. */
const relTol = 1e-12;
const absTol = 1e-15;

/** Thrown inside the walk: mathjs evaluates the expression instead. */
const unhandled = Symbol('unhandled');

function bail(): never {
  throw unhandled;
}

/** mathjs's nearlyEqual (src/utils/number.js) at relTol, absTol. */
function nearlyEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  if (a === b) return true;
  return Math.abs(a - b) <= Math.max(relTol * Math.max(Math.abs(a), Math.abs(b)), absTol);
}

/** a boolean in arithmetic is 0 or 1 (mathjs converts boolean → number) */
const num = (x: Scalar): number => (typeof x === 'boolean' ? (x ? 1 : 0) : x);

/** mathjs's pow on numbers where the result is real; a complex result is unhandled. */
function pow(x: number, y: number): number {
  if (!(Number.isInteger(y) || x >= 0)) bail();
  if ((x * x < 1 && y === Infinity) || (x * x > 1 && y === -Infinity)) return 0;
  return Math.pow(x, y);
}

const smaller = (x: number, y: number): boolean => x < y && !nearlyEqual(x, y);
const larger = (x: number, y: number): boolean => x > y && !nearlyEqual(x, y);

/** The scalar functions of the binary operators (mathjs's number signatures). */
const binaryScalar: Record<string, (x: number, y: number) => Scalar> = {
  add: (x, y) => x + y,
  subtract: (x, y) => x - y,
  multiply: (x, y) => x * y,
  divide: (x, y) => x / y,
  pow,
  dotMultiply: (x, y) => x * y,
  dotDivide: (x, y) => x / y,
  dotPow: pow,
  smaller,
  larger,
  smallerEq: (x, y) => x <= y || nearlyEqual(x, y),
  largerEq: (x, y) => x >= y || nearlyEqual(x, y),
  equal: nearlyEqual,
  unequal: (x, y) => !nearlyEqual(x, y),
};

/** Operators applied element by element when one side is a vector (with a scalar, or one of equal length). */
const elementwise = new Set(['add', 'subtract', 'dotMultiply', 'dotDivide', 'dotPow', 'smaller', 'larger', 'smallerEq', 'largerEq', 'equal', 'unequal']);
/** Operators applied element by element only between a vector and a scalar (× and / of two vectors are matrix operations). */
const withScalar = new Set(['multiply']);

function binary(fn: string, a: Value, b: Value): Value {
  const f = binaryScalar[fn] ?? bail();
  const av = Array.isArray(a);
  const bv = Array.isArray(b);
  if (!av && !bv) return f(num(a as Scalar), num(b as Scalar));
  if (av && bv) {
    if (!elementwise.has(fn) || a.length !== b.length) bail();
    return a.map((x, i) => f(num(x), num(b[i]!)));
  }
  if (!elementwise.has(fn) && !withScalar.has(fn) && !(fn === 'divide' && av)) bail();
  return av ? a.map((x) => f(num(x), num(b as Scalar))) : (b as Vector).map((y) => f(num(a as Scalar), num(y)));
}

/** unary minus, unary plus, abs: on a vector element by element, zeros left as they are (mathjs's deepMap skipping zeros) */
function unary(f: (x: number) => number, a: Value): Value {
  if (!Array.isArray(a)) return f(num(a as Scalar));
  return a.map((x) => (x === 0 ? x : f(num(x))));
}

const isNaNValue = (x: Scalar): boolean => typeof x === 'number' && Number.isNaN(x);

/** min or max of scalars, or of one vector: mathjs's _min/_max (a NaN wins, the first of nearly equal values stays). */
function extreme(args: Value[], better: (x: number, y: number) => boolean): Scalar {
  let items: readonly Scalar[];
  if (args.length === 1 && Array.isArray(args[0])) items = args[0];
  else if (args.length >= 1 && args.every((x) => !Array.isArray(x))) items = args as Scalar[];
  else bail();
  let best: Scalar | undefined;
  for (const x of items) {
    if (isNaNValue(x)) best = x;
    else if (best === undefined || better(num(x), num(best))) best = x;
  }
  return best!;
}

function sum(args: Value[]): Scalar {
  let items: readonly Scalar[];
  if (args.length === 1 && Array.isArray(args[0])) items = args[0];
  else if (args.length >= 1 && args.every((x) => !Array.isArray(x))) items = args as Scalar[];
  else bail();
  let total: Scalar | undefined;
  for (const x of items) total = total === undefined ? x : num(total) + num(x);
  return total!;
}

function cumsum(args: Value[]): Vector {
  const v = args.length === 1 ? args[0] : undefined;
  if (!Array.isArray(v)) bail();
  const sums: number[] = [num(v[0]!)];
  for (let i = 1; i < v.length; i++) sums.push(sums[i - 1]! + num(v[i]!));
  return sums;
}

const truthy = (x: Value): boolean => (Array.isArray(x) ? bail() : Boolean(x));

/** start:end (1-based, inclusive) over integers; an empty range or a step is unhandled. */
function range(start: Value, end: Value): Vector {
  if (typeof start !== 'number' || typeof end !== 'number' || !Number.isInteger(start) || !Number.isInteger(end) || end < start) bail();
  if (end - start > 1e6) bail();
  const out: number[] = [];
  for (let i = start; i <= end; i++) out.push(i);
  return out;
}

interface Node {
  type: string;
  [key: string]: unknown;
}

function walk(node: Node, scope: Scope): Value {
  switch (node.type) {
    case 'ConstantNode': {
      const value = node.value;
      return typeof value === 'number' ? value : bail();
    }
    case 'SymbolNode': {
      const name = node.name as string;
      if (!Object.hasOwn(scope, name)) bail();
      const value = scope[name]!;
      if (typeof value === 'number') return value;
      if (!Array.isArray(value) || value.length === 0 || !value.every((x) => typeof x === 'number')) bail();
      return value;
    }
    case 'ParenthesisNode':
      return walk(node.content as Node, scope);
    case 'OperatorNode': {
      const fn = node.fn as string;
      const args = node.args as Node[];
      if (args.length === 1) {
        if (fn === 'unaryMinus') return unary((x) => -x, walk(args[0]!, scope));
        if (fn === 'unaryPlus') return unary((x) => x, walk(args[0]!, scope));
        if (fn === 'not') return !truthy(walk(args[0]!, scope));
        bail();
      }
      if (args.length !== 2) bail();
      // and/or: the second operand only when the first does not decide (mathjs's transforms)
      if (fn === 'and') return truthy(walk(args[0]!, scope)) && truthy(walk(args[1]!, scope));
      if (fn === 'or') return truthy(walk(args[0]!, scope)) || truthy(walk(args[1]!, scope));
      return binary(fn, walk(args[0]!, scope), walk(args[1]!, scope));
    }
    case 'RelationalNode': {
      const conditionals = node.conditionals as string[];
      const params = node.params as Node[];
      let right = walk(params[0]!, scope);
      for (let i = 0; i < conditionals.length; i++) {
        const left = right;
        right = walk(params[i + 1]!, scope);
        if (Array.isArray(left) || Array.isArray(right)) bail();
        if (!binary(conditionals[i]!, left, right)) return false;
      }
      return true;
    }
    case 'ConditionalNode':
      return truthy(walk(node.condition as Node, scope)) ? walk(node.trueExpr as Node, scope) : walk(node.falseExpr as Node, scope);
    case 'RangeNode':
      if (node.step) bail();
      return range(walk(node.start as Node, scope), walk(node.end as Node, scope));
    case 'FunctionNode': {
      const fn = node.fn as Node;
      if (fn.type !== 'SymbolNode') bail();
      const name = fn.name as string;
      // a scope value of that name would be called instead (never, with the vocabularies)
      if (Object.hasOwn(scope, name)) bail();
      const args = (node.args as Node[]).map((a) => walk(a, scope));
      switch (name) {
        case 'min':
          return extreme(args, smaller);
        case 'max':
          return extreme(args, larger);
        case 'sum':
          return sum(args);
        case 'cumsum':
          return cumsum(args);
        case 'abs':
          return args.length === 1 ? unary(Math.abs, args[0]!) : bail();
        default:
          bail();
      }
    }
    case 'AccessorNode': {
      const object = walk(node.object as Node, scope);
      const index = node.index as Node;
      const dimensions = index.dimensions as Node[];
      if (!Array.isArray(object) || index.type !== 'IndexNode' || dimensions.length !== 1) bail();
      const at = walk(dimensions[0]!, scope);
      const element = (i: Scalar): Scalar => (typeof i === 'number' && Number.isInteger(i) && i >= 1 && i <= object.length ? object[i - 1]! : bail());
      return Array.isArray(at) ? at.map(element) : element(at as Scalar);
    }
    default:
      bail();
  }
}

/** The value of `tree` in `scope` as mathjs evaluates it (a number or boolean), or `undefined` when this walk does not handle it. */
export function evaluateTree(tree: MathNode, scope: Scope): number | boolean | undefined {
  try {
    const value = walk(tree as unknown as Node, scope);
    return Array.isArray(value) ? undefined : (value as Scalar);
  } catch {
    // unhandled, or a RangeError (deep nesting): mathjs decides, and reports its own error
    return undefined;
  }
}
