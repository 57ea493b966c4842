/**
 * Rank expressions in mathjs syntax: parsed into a tree, checked against a vocabulary and an
 * allow-list of functions, then evaluated over integer scopes. Never evaluated as JavaScript, and
 * mathjs's own powerful functions (import, evaluate, parse, createUnit, …) are not reachable.
 */
import type * as MathJs from 'mathjs';
import type { MathNode } from 'mathjs';
import { InputError } from '../errors.js';
import { limits } from '../family/limits.js';
import { evaluateTree, type Scope } from './evaluation.js';
import { mathjsBuild } from './mathjsBuild.js';

// mathjs's single-file build loads in ~80 ms against ~800 ms for its ES module tree: the CLI starts
// that much sooner. Same library, same version, same API (./mathjsBuild.ts loads it, through V8's code
// cache when the build wrote one). It is loaded on first use (the proxies below): commands that never
// read an expression, e.g. `measure --batch`, start without it.

/** An object that stands for `target()`, which is called on the first use of one of its properties. */
function onFirstUse<T extends object>(target: () => T): T {
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(target(), key),
    has: (_, key) => Reflect.has(target(), key),
  });
}

let created: MathJs.MathJsInstance | undefined;

/**
 * The one mathjs instance of the package (parsing, expression nodes, and evaluateRankExpression's
 * fallback), created on first call. The single-file build exports an instance, whose `create` is
 * bound to all of mathjs's factories: it takes the configuration only. Every function is built
 * lazily, when first used. The unit system is left out: rank expressions have no units (a symbol
 * outside the vocabulary is refused), and building it — which the first SymbolNode does, to tell
 * "cm" from a symbol — builds with it pow, multiply, inv, det and the rest of the typed functions
 * units need, about 0.3 s of every start-up (measured: docs/benchmarks.md, derive --cnn). Without it
 * a name is always a symbol.
 */
export function mathInstance(): MathJs.MathJsInstance {
  if (!created) {
    created = (mathjsBuild().create as unknown as (config: MathJs.ConfigOptions) => MathJs.MathJsInstance)({ number: 'number' });
    // lazy until read (configurable); SymbolNode takes Unit as an optional dependency
    delete (created as unknown as { Unit?: unknown }).Unit;
  }
  return created;
}

/** mathInstance(), created when one of its properties is first read. */
export const math: MathJs.MathJsInstance = onFirstUse(mathInstance);

/**
 * The single-file build's own instance, with units: only to typeset catalog conditions in LaTeX
 * (src/report/catalogTable.ts), where mathjs sets a unit's name upright (L, N) and the table has
 * always turned those into italics; its unit system is built when that first runs.
 */
export const mathWithUnits: typeof MathJs = onFirstUse(mathjsBuild);

/** Functions a rank expression may call. */
const allowedFunctions: readonly string[] = ['min', 'max', 'sum', 'abs', 'floor', 'ceil', 'sqrt', 'log', 'log2', 'log10', 'mod', 'prod'];

export interface RankExpression {
  readonly source: string;
  readonly tree: MathNode;
  /** the vocabulary symbols it uses */
  readonly symbols: readonly string[];
}

/** The operators a rank expression may use: arithmetic, comparisons (0/1) and and/or/not. */
const allowedOperators: readonly string[] = [
  'add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus',
  'smaller', 'smallerEq', 'larger', 'largerEq', 'equal', 'unequal', 'and', 'or', 'not',
];

/** What the catalog's own formulas may use besides: elementwise vector operators, and cumulative sums of a vector. */
const catalogOperators: readonly string[] = ['dotMultiply', 'dotDivide', 'dotPow'];
const catalogFunctions: readonly string[] = ['cumsum'];

/** Deepest nesting of brackets and of consecutive prefix operators (what mathjs parses recursively). */
function nesting(source: string): number {
  let depth = 0;
  let deepest = 0;
  let prefix = 0;
  for (const ch of source) {
    if (ch === '(' || ch === '[' || ch === '{') deepest = Math.max(deepest, ++depth);
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (ch === '-' || ch === '+' || ch === '^') deepest = Math.max(deepest, ++prefix);
    else if (ch !== ' ') prefix = 0;
  }
  return deepest;
}

/**
 * Trees by source text: each text is parsed once (the catalog repeats its definitions: 226 texts, 105
 * different). Trees are never changed in place (transforms build new ones), so they can be shared.
 */
const parsed = new Map<string, MathNode>();

/**
 * The one front end of every user expression (rank expressions here, symbolic ones in
 * src/symbolic/expression.ts): a string of at most limits.expressionLength characters nested at
 * most limits.expressionNesting deep, parsed by mathjs into a tree (never evaluated as code).
 */
export function parseMath(source: string, what = 'expression'): MathNode {
  if (typeof source !== 'string' || source.trim() === '') throw new InputError(`${what} is empty`);
  const shown = source.length > 80 ? `${source.slice(0, 80)}…` : source;
  if (source.length > limits.expressionLength) throw new InputError(`${what} "${shown}" is ${source.length} characters long; at most ${limits.expressionLength}`);
  if (nesting(source) > limits.expressionNesting) throw new InputError(`${what} "${shown}" nests deeper than ${limits.expressionNesting} levels`);
  const known = parsed.get(source);
  if (known) return known;
  try {
    const tree = math.parse(source);
    parsed.set(source, tree);
    return tree;
  } catch (error) {
    throw new InputError(`${what} "${shown}" does not parse: ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * Parses `source` and checks every symbol is in `vocabulary`, every call and every operator is
 * allowed (the catalog may also use "c ? a : b", elementwise .* ./ .^ and cumsum: options.catalog). Throws InputError with one line naming the problem.
 */
export function parseRankExpression(source: string, vocabulary: readonly string[], what = 'expression', options: { catalog?: boolean } = {}): RankExpression {
  const tree = parseMath(source, what);
  const symbols = new Set<string>();
  tree.traverse((node, _path, parent) => {
    switch (node.type) {
      case 'SymbolNode': {
        const name = (node as unknown as { name: string }).name;
        const isCallee = parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === node;
        if (isCallee) {
          if (!allowedFunctions.includes(name) && !(options.catalog && catalogFunctions.includes(name))) {
            throw new InputError(`${what} "${source}" calls ${name}(), which is not allowed; allowed: ${allowedFunctions.join(', ')}`);
          }
        } else if (!vocabulary.includes(name)) {
          throw new InputError(`${what} "${source}" uses unknown symbol "${name}"; known symbols: ${vocabulary.join(', ')}`);
        } else {
          symbols.add(name);
        }
        break;
      }
      case 'OperatorNode': {
        const { fn, op } = node as unknown as { fn: string; op: string };
        if (!allowedOperators.includes(fn) && !(options.catalog && catalogOperators.includes(fn))) {
          throw new InputError(`${what} "${source}" uses the operator "${op}", which is not allowed; allowed: + - * / ^ < <= > >= == != and or not`);
        }
        break;
      }
      case 'ConstantNode': {
        const value = (node as unknown as { value: unknown }).value;
        if (typeof value !== 'number') throw new InputError(`${what} "${source}" contains the constant ${String(value)}; only numbers are allowed`);
        break;
      }
      case 'ParenthesisNode':
      case 'FunctionNode':
      case 'IndexNode':
      case 'AccessorNode':
      case 'RangeNode':
      case 'RelationalNode':
        break;
      case 'ConditionalNode':
        // "c ? a : b": the catalog's own definitions use it; user conjectures do not (docs/cli.md)
        if (options.catalog) break;
        throw new InputError(`${what} "${source}" uses "?:", which is not allowed; allowed: + - * / ^ < <= > >= == != and or not`);
      default:
        throw new InputError(`${what} "${source}" contains a ${node.type}, which rank expressions do not allow`);
    }
  });
  return { source, tree, symbols: [...symbols] };
}

export type { Scope };

/** Evaluates to a number; booleans count as 0/1. Throws InputError if the value is not a finite number. */
export function evaluateRankExpression(expression: RankExpression, scope: Scope, what = 'expression'): number {
  // the tree walk of ./evaluation.ts gives mathjs's value without building mathjs's typed functions;
  // what it does not handle, mathjs evaluates
  let value: unknown = evaluateTree(expression.tree, scope);
  if (value === undefined) value = evaluateWithMathjs(expression, scope, what);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InputError(`${what} "${expression.source}" evaluates to ${String(value)}, not a number`);
  }
  return value;
}

/** Compiled trees, each compiled once (catalog formulas are evaluated at many scopes). */
const compiled = new WeakMap<MathNode, MathJs.EvalFunction>();

function evaluateWithMathjs(expression: RankExpression, scope: Scope, what: string): unknown {
  let value: unknown;
  try {
    let code = compiled.get(expression.tree);
    if (code === undefined) compiled.set(expression.tree, (code = expression.tree.compile()));
    const mathScope = new Map<string, unknown>(Object.entries(scope).map(([k, v]) => [k, Array.isArray(v) ? math.matrix(v) : v]));
    value = code.evaluate(mathScope);
  } catch (error) {
    throw new InputError(`${what} "${expression.source}" cannot be evaluated here: ${(error as Error).message}`);
  }
  return value;
}
