/**
 * Symbolic rank expressions: mathjs expression trees (the catalog's own representation) over
 * integer symbols with +, −, ×, /, integer powers, min, max, abs, comparisons (Iverson brackets,
 * [a < b] ∈ {0, 1}) and finite sums sum(body, i, a, b) = Σ_{i=a}^{b} body.
 *
 * This module parses with an allow-list (never JS eval, never mathjs evaluate), builds trees,
 * substitutes symbols, and renders trees as mathjs text (which parses back) and as LaTeX.
 */
import type { MathNode } from 'mathjs';
import { mathInstance, parseMath } from '../catalog/expression.js';
import { InputError } from '../errors.js';

export type Expr = MathNode;

/** Functions a symbolic expression may call. */
export const symbolicFunctions: readonly string[] = ['min', 'max', 'abs', 'sum'];

const relationalFunctions: Record<string, string> = {
  smaller: '<',
  smallerEq: '<=',
  larger: '>',
  largerEq: '>=',
  equal: '==',
  unequal: '!=',
};
export type Relation = '<' | '<=' | '>' | '>=' | '==' | '!=';

// mathjs node views (the types package models them as interfaces on MathNode)
interface OperatorView { type: 'OperatorNode'; op: string; fn: string; args: Expr[] }
interface FunctionView { type: 'FunctionNode'; fn: { name: string }; args: Expr[] }
interface RelationalView { type: 'RelationalNode'; conditionals: string[]; params: Expr[] }
interface ConstantView { type: 'ConstantNode'; value: unknown }
interface SymbolView { type: 'SymbolNode'; name: string }
interface ParenthesisView { type: 'ParenthesisNode'; content: Expr }
interface AccessorView { type: 'AccessorNode'; object: Expr; index: { dimensions: Expr[] } }
interface RangeView { type: 'RangeNode'; start: Expr; end: Expr; step: Expr | null }

export const view = {
  operator: (e: Expr) => e as unknown as OperatorView,
  func: (e: Expr) => e as unknown as FunctionView,
  relational: (e: Expr) => e as unknown as RelationalView,
  constant: (e: Expr) => e as unknown as ConstantView,
  symbol: (e: Expr) => e as unknown as SymbolView,
  parenthesis: (e: Expr) => e as unknown as ParenthesisView,
  accessor: (e: Expr) => e as unknown as AccessorView,
  range: (e: Expr) => e as unknown as RangeView,
};

/** The relation of a comparison node (`a < b` is an OperatorNode, `a < b <= c` a RelationalNode). */
export function relationOf(fn: string): Relation | undefined {
  return relationalFunctions[fn] as Relation | undefined;
}

// ---------------------------------------------------------------- building

// the instance itself, not the lazy proxy: node building is this module's inner loop
const nodes = mathInstance() as unknown as {
  ConstantNode: new (value: number) => Expr;
  SymbolNode: new (name: string) => Expr;
  OperatorNode: new (op: string, fn: string, args: Expr[]) => Expr;
  FunctionNode: new (fn: Expr, args: Expr[]) => Expr;
  ParenthesisNode: new (content: Expr) => Expr;
};

const fnOfOperator: Record<string, string> = {
  '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '^': 'pow',
  '<': 'smaller', '<=': 'smallerEq', '>': 'larger', '>=': 'largerEq', '==': 'equal', '!=': 'unequal',
};

export const constant = (value: number): Expr => (value < 0 ? negate(new nodes.ConstantNode(-value)) : new nodes.ConstantNode(value));
export const symbol = (name: string): Expr => new nodes.SymbolNode(name);
export const negate = (e: Expr): Expr => new nodes.OperatorNode('-', 'unaryMinus', [e]);
export const call = (name: string, args: Expr[]): Expr => new nodes.FunctionNode(symbol(name), args);
export const binary = (op: string, a: Expr, b: Expr): Expr => new nodes.OperatorNode(op, fnOfOperator[op]!, [a, b]);
export const compare = (op: Relation, a: Expr, b: Expr): Expr => binary(op, a, b);

export function isConstant(e: Expr, value?: number): boolean {
  if (e.type !== 'ConstantNode') return false;
  return value === undefined || view.constant(e).value === value;
}

/** a + b + …, dropping zeros; a + (−b) becomes a − b */
export function sum(...terms: Expr[]): Expr {
  const kept = terms.filter((t) => !isConstant(t, 0));
  if (kept.length === 0) return constant(0);
  return kept.slice(1).reduce((acc, t) => {
    if (t.type === 'OperatorNode' && view.operator(t).fn === 'unaryMinus') return binary('-', acc, view.operator(t).args[0]!);
    return binary('+', acc, t);
  }, kept[0]!);
}

export const difference = (a: Expr, b: Expr): Expr => (isConstant(b, 0) ? a : binary('-', a, b));

/** a · b · …, dropping ones; any zero factor gives 0 */
export function product(...factors: Expr[]): Expr {
  if (factors.some((f) => isConstant(f, 0))) return constant(0);
  const flat = factors.flatMap((f) => (f.type === 'OperatorNode' && view.operator(f).fn === 'multiply' ? view.operator(f).args : [f]));
  const kept = flat.filter((f) => !isConstant(f, 1));
  if (kept.length === 0) return constant(1);
  return kept.slice(1).reduce((acc, f) => binary('*', acc, f), kept[0]!);
}

export const power = (base: Expr, exponent: number): Expr => (exponent === 1 ? base : binary('^', base, constant(exponent)));

/** min(args), with a single argument standing for itself */
export const minimum = (args: Expr[]): Expr => (args.length === 1 ? args[0]! : call('min', args));
export const maximum = (args: Expr[]): Expr => (args.length === 1 ? args[0]! : call('max', args));

/** Σ_{index=from}^{to} body */
export const finiteSum = (body: Expr, index: string, from: Expr, to: Expr): Expr => call('sum', [body, symbol(index), from, to]);

// ---------------------------------------------------------------- parsing

export interface ParseOptions {
  /** which symbol names are allowed (default: any identifier) */
  symbols?: (name: string) => boolean;
  /** a phrase naming the expression in error messages */
  what?: string;
  /**
   * allow the catalog's vector syntax (before a depth is fixed): M[1], w[a:b], 1:(L-1),
   * elementwise .* ./ .^, and/or/not, prod()
   */
  catalog?: boolean;
}

/** `r = d` in an assumption means equality: mathjs would read `=` as assignment. */
export function equalsAsComparison(source: string): string {
  return source.replace(/(?<![<>=!])=(?!=)/g, '==');
}

/**
 * Parses a symbolic expression. Throws InputError with one line naming the problem: a parse
 * error, an unknown symbol, a function outside min/max/abs/sum, or a node type rank expressions
 * do not use.
 */
export function parseExpression(source: string, options: ParseOptions = {}): Expr {
  const what = options.what ?? 'expression';
  const tree: Expr = parseMath(source, what);
  tree.traverse((node, _path, parent) => {
    switch (node.type) {
      case 'SymbolNode': {
        const name = view.symbol(node).name;
        const isCallee = parent?.type === 'FunctionNode' && view.func(parent).fn === (node as unknown);
        if (isCallee) {
          if (!symbolicFunctions.includes(name) && !(options.catalog && name === 'prod')) {
            throw new InputError(`${what} "${source}" calls ${name}(); symbolic expressions allow ${symbolicFunctions.join(', ')}`);
          }
        } else if (options.symbols && !options.symbols(name)) {
          throw new InputError(`${what} "${source}" uses unknown symbol "${name}"`);
        }
        break;
      }
      case 'ConstantNode': {
        const value = view.constant(node).value;
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw new InputError(`${what} "${source}" contains the constant ${String(value)}; only finite numbers are allowed`);
        }
        if (!Number.isInteger(value)) throw new InputError(`${what} "${source}" contains ${value}; write non-integer constants as fractions, e.g. 1/2`);
        break;
      }
      case 'OperatorNode': {
        const fn = view.operator(node).fn;
        const vectorOperators = ['dotMultiply', 'dotDivide', 'dotPow', 'and', 'or', 'not'];
        if (!['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus'].includes(fn) && !relationOf(fn) && !(options.catalog && vectorOperators.includes(fn))) {
          throw new InputError(`${what} "${source}" uses the operator "${view.operator(node).op}", which symbolic expressions do not allow`);
        }
        break;
      }
      case 'RelationalNode':
      case 'ParenthesisNode':
      case 'FunctionNode':
        break;
      case 'AccessorNode':
      case 'IndexNode':
      case 'RangeNode':
        if (options.catalog) break;
        throw new InputError(`${what} "${source}" indexes a vector; give a depth (--depth) or write the entries (M1, M2, …)`);
      case 'ConditionalNode':
        // the catalog's `cond ? a : b` (written as Iverson brackets when the formula is instantiated)
        if (options.catalog) break;
        throw new InputError(`${what} "${source}" contains a ConditionalNode, which symbolic expressions do not allow`);
      case 'AssignmentNode':
        throw new InputError(`${what} "${source}" is an assignment; write equality as ==`);
      default:
        throw new InputError(`${what} "${source}" contains a ${node.type}, which symbolic expressions do not allow`);
    }
  });
  return tree;
}

/** The symbol names a subtree uses and the sum indices it binds, in first-visit order, once per node. */
interface Occurrences {
  names: readonly string[];
  bound: readonly string[];
}
const occurrences = new WeakMap<Expr, Occurrences>();
const noOccurrences: Occurrences = { names: [], bound: [] };

function occurrencesOf(node: Expr): Occurrences {
  let found = occurrences.get(node);
  if (found) return found;
  if (node.type === 'SymbolNode') {
    found = { names: [view.symbol(node).name], bound: [] };
  } else {
    const names = new Set<string>();
    const bound = new Set<string>();
    if (node.type === 'FunctionNode' && view.func(node).fn.name === 'sum' && view.func(node).args.length === 4) {
      bound.add(view.symbol(view.func(node).args[1]!).name);
    }
    node.forEach((child) => {
      // a function's name is no symbol
      if (child.type === 'SymbolNode' && node.type === 'FunctionNode' && view.func(node).fn === (child as unknown)) return;
      const inner = occurrencesOf(child);
      inner.names.forEach((n) => names.add(n));
      inner.bound.forEach((b) => bound.add(b));
    });
    found = names.size === 0 && bound.size === 0 ? noOccurrences : { names: [...names], bound: [...bound] };
  }
  occurrences.set(node, found);
  return found;
}

/**
 * Names of the symbols an expression uses (not function names, not sum indices), in the order a
 * depth-first walk first meets them. Expressions are immutable and share subtrees, so each node's
 * names are collected once (a walk of the tree would visit a shared subtree once per path to it).
 */
export function symbolsOf(e: Expr): string[] {
  const { names, bound } = occurrencesOf(e);
  return bound.length === 0 ? [...names] : names.filter((n) => !bound.includes(n));
}

/** Replaces symbols by expressions (simultaneously). Sum indices are not replaced inside their sum. */
export function substitute(e: Expr, values: ReadonlyMap<string, Expr> | Record<string, Expr>): Expr {
  const lookup = values instanceof Map ? values : new Map(Object.entries(values));
  const walk = (node: Expr, shadowed: ReadonlySet<string>): Expr => {
    if (node.type === 'SymbolNode') {
      const name = view.symbol(node).name;
      return !shadowed.has(name) && lookup.has(name) ? lookup.get(name)! : node;
    }
    if (node.type === 'FunctionNode') {
      const f = view.func(node);
      if (f.fn.name === 'sum' && f.args.length === 4) {
        const index = view.symbol(f.args[1]!).name;
        const inner = new Set(shadowed).add(index);
        return call('sum', [walk(f.args[0]!, inner), f.args[1]!, walk(f.args[2]!, shadowed), walk(f.args[3]!, shadowed)]);
      }
      return call(f.fn.name, f.args.map((a) => walk(a, shadowed)));
    }
    return node.map((child) => walk(child, shadowed));
  };
  return walk(e, new Set());
}

/** Drops ParenthesisNodes (precedence lives in the tree). */
export function stripParentheses(e: Expr): Expr {
  return e.transform((node) => {
    let n = node;
    while (n.type === 'ParenthesisNode') n = view.parenthesis(n).content;
    return n === node ? node : stripParentheses(n);
  });
}

// ---------------------------------------------------------------- rendering

const precedence = { relation: 1, sum: 2, product: 3, unary: 4, power: 5, atom: 6 } as const;

function precedenceOf(e: Expr): number {
  switch (e.type) {
    case 'ParenthesisNode':
      return precedenceOf(view.parenthesis(e).content);
    case 'RelationalNode':
      return precedence.atom; // nested comparisons render as Iverson brackets
    case 'OperatorNode': {
      const { fn, args } = view.operator(e);
      if (relationOf(fn)) return precedence.atom;
      if (fn === 'add' || fn === 'subtract') return precedence.sum;
      if (fn === 'multiply' || fn === 'divide') return precedence.product;
      if (fn === 'unaryMinus' || fn === 'unaryPlus') return precedence.unary;
      if (fn === 'pow') return precedence.power;
      return args.length === 1 ? precedence.unary : precedence.sum;
    }
    case 'ConstantNode':
      return Number(view.constant(e).value) < 0 ? precedence.unary : precedence.atom;
    default:
      return precedence.atom;
  }
}

interface Style {
  symbol(name: string): string;
  constant(value: number): string;
  paren(inner: string): string;
  times(left: Expr, right: Expr, l: string, r: string): string;
  divide(l: string, r: string): string;
  power(base: string, exponent: string): string;
  relation(op: Relation): string;
  iverson(inner: string): string;
  call(name: string, args: string[]): string;
  finiteSum(body: string, index: string, from: string, to: string): string;
  index(object: string, dimensions: string[]): string;
  range(start: string, end: string): string;
  minus: string;
  plus: string;
}

function render(e: Expr, style: Style, context: 'top' | 'inner' = 'top'): string {
  const wrap = (child: Expr, minimum: number, strict = false): string => {
    const p = precedenceOf(child);
    const text = render(child, style, 'inner');
    return p < minimum || (strict && p === minimum) ? style.paren(text) : text;
  };
  switch (e.type) {
    case 'ParenthesisNode':
      return render(view.parenthesis(e).content, style, context);
    case 'ConstantNode':
      return style.constant(Number(view.constant(e).value));
    case 'SymbolNode':
      return style.symbol(view.symbol(e).name);
    case 'RelationalNode': {
      const { conditionals, params } = view.relational(e);
      const text = params.map((p, i) => (i === 0 ? wrap(p, precedence.sum) : `${style.relation(relationOf(conditionals[i - 1]!)!)}${wrap(p, precedence.sum)}`)).join('');
      return context === 'top' ? text : style.iverson(text);
    }
    case 'OperatorNode': {
      const { fn, args } = view.operator(e);
      const relation = relationOf(fn);
      if (relation) {
        const text = `${wrap(args[0]!, precedence.sum)}${style.relation(relation)}${wrap(args[1]!, precedence.sum)}`;
        return context === 'top' ? text : style.iverson(text);
      }
      switch (fn) {
        case 'add':
          return `${wrap(args[0]!, precedence.sum)}${style.plus}${wrap(args[1]!, precedence.sum)}`;
        case 'subtract':
          return `${wrap(args[0]!, precedence.sum)}${style.minus}${wrap(args[1]!, precedence.sum, true)}`;
        case 'multiply':
          return style.times(args[0]!, args[1]!, wrap(args[0]!, precedence.product), wrap(args[1]!, precedence.product, true));
        case 'divide':
          return style.divide(wrap(args[0]!, precedence.product), wrap(args[1]!, precedence.product, true));
        case 'pow':
          return style.power(wrap(args[0]!, precedence.power, true), render(args[1]!, style, 'inner'));
        case 'unaryMinus':
          return `-${wrap(args[0]!, precedence.product)}`;
        case 'unaryPlus':
          return wrap(args[0]!, precedence.product);
      }
      throw new Error(`cannot render operator ${fn}`);
    }
    case 'FunctionNode': {
      const f = view.func(e);
      if (f.fn.name === 'sum' && f.args.length === 4) {
        const [body, index, from, to] = f.args as [Expr, Expr, Expr, Expr];
        return style.finiteSum(wrap(body, precedence.product), view.symbol(index).name, render(from, style, 'inner'), render(to, style, 'inner'));
      }
      return style.call(f.fn.name, f.args.map((a) => render(a, style, 'top')));
    }
    case 'AccessorNode': {
      const a = view.accessor(e);
      return style.index(render(a.object, style, 'inner'), a.index.dimensions.map((d) => render(d, style, 'inner')));
    }
    case 'RangeNode': {
      const r = view.range(e);
      return style.range(render(r.start, style, 'inner'), render(r.end, style, 'inner'));
    }
  }
  throw new Error(`cannot render a ${e.type}`);
}

const textStyle: Style = {
  symbol: (name) => name,
  constant: (value) => String(value),
  paren: (inner) => `(${inner})`,
  times: (_a, _b, l, r) => `${l} * ${r}`,
  divide: (l, r) => `${l} / ${r}`,
  power: (base, exponent) => `${base}^${/^\w+$/.test(exponent) ? exponent : `(${exponent})`}`,
  relation: (op) => ` ${op} `,
  iverson: (inner) => `(${inner})`,
  call: (name, args) => `${name}(${args.join(', ')})`,
  finiteSum: (body, index, from, to) => `sum(${body}, ${index}, ${from}, ${to})`,
  index: (object, dims) => `${object}[${dims.join(', ')}]`,
  range: (start, end) => `${start}:${end}`,
  minus: ' - ',
  plus: ' + ',
};

/** mathjs syntax that parses back to the same tree (up to parentheses). */
export function toText(e: Expr): string {
  return render(e, textStyle);
}

/** LaTeX for a symbol: M1 → M_{1}, M_l → M_{l}, multi-letter names upright. */
const namedTex: Record<string, string> = { zp: "z'", rt: '\\tilde r', st: '\\tilde s', zt: '\\tilde z', mc: '\\mathrm{mc}', mq: '\\mathrm{mq}', gamma: '\\gamma', gammat: '\\tilde\\gamma', pi1: '\\pi_{1}', pit1: '\\tilde\\pi_{1}' };

export function symbolTex(name: string): string {
  if (namedTex[name]) return namedTex[name]!;
  // the bias recursion's P̃_j, τ̃_i, x̃_j
  const tilde = /^(tau|x|P)t(\d+)$/.exec(name);
  if (tilde) return `\\tilde ${tilde[1] === 'tau' ? '\\tau' : tilde[1]}_{${tilde[2]}}`;
  // the H_F recursion's parameters H_F sees, P^f_j (with bias P̃^f_j)
  const seen = /^Pf(t?)(\d+)$/.exec(name);
  if (seen) return `${seen[1] ? '\\tilde P' : 'P'}^{f}_{${seen[2]}}`;
  const greek = /^(tau|rho)(\d+)$/.exec(name);
  if (greek) return `\\${greek[1]}_{${greek[2]}}`;
  // per-axis sizes of a 2D CNN: kh1 → k^{h}_{1}
  const axis = /^([a-z])([hw])(\d+)$/.exec(name);
  if (axis) return `${axis[1]}^{${axis[2]}}_{${axis[3]}}`;
  const indexed = /^([A-Za-z])_?(\d+|[a-z])$/.exec(name);
  if (indexed) return `${indexed[1]}_{${indexed[2]}}`;
  if (/^[A-Za-z]$/.test(name)) return name;
  return `\\mathrm{${name}}`;
}

const startsWithDigit = (s: string): boolean => /^[-\d]/.test(s);

const texStyle: Style = {
  symbol: symbolTex,
  constant: (value) => String(value),
  paren: (inner) => `\\left(${inner}\\right)`,
  times: (_a, _b, l, r) => (startsWithDigit(r) ? `${l} \\cdot ${r}` : `${l}\\,${r}`),
  divide: (l, r) => `\\frac{${l}}{${r}}`,
  power: (base, exponent) => `${base}^{${exponent}}`,
  relation: (op) => ({ '<': ' < ', '<=': ' \\le ', '>': ' > ', '>=': ' \\ge ', '==': ' = ', '!=': ' \\ne ' })[op],
  iverson: (inner) => `\\left[${inner}\\right]`,
  call: (name, args) =>
    name === 'abs' ? `\\left|${args.join(', ')}\\right|` : `${name === 'min' || name === 'max' ? `\\${name}` : `\\operatorname{${name}}`}\\left(${args.join(', ')}\\right)`,
  finiteSum: (body, index, from, to) => `\\sum_{${index}=${from}}^{${to}} ${body}`,
  index: (object, dims) => `${object}_{${dims.join(',')}}`,
  range: (start, end) => `${start}:${end}`,
  minus: ' - ',
  plus: ' + ',
};

/** LaTeX (math mode); KaTeX renders it (checked in proofs-tests/symbolic). */
export function toTex(e: Expr): string {
  return render(e, texStyle);
}
