/**
 * prove: decides whether two min-polynomial expressions are equal (or, with --relation, ordered)
 * for all positive-integer values of their symbols (under assumptions), printing the proof (its
 * cases), a counterexample, or "unknown" with the reason.
 * Exit 0 proven, 1 not proven (refuted, or unknown), 2 bad input (a parse error, a cap).
 * With --depth the catalog vocabulary (q, s, p, L, M, w, sum(M), M[i], …) is written in the
 * symbols of a depth-L network and the background facts r ≤ d (r = min(N, d)) are assumed;
 * --formula ID takes the second side from the catalog.
 */
import type { Loss } from '../../architecture/fullyConnected.js';
import { findFormula } from '../../catalog/catalog.js';
import { InputError } from '../../errors.js';
import { parseAssumption } from '../../symbolic/assumptions.js';
import { parseExpression, symbolsOf, toText, type Expr } from '../../symbolic/expression.js';
import { decideIdentity, type SideRelation } from '../../symbolic/minPolynomialIdentity.js';
import { identityTex, identityText } from '../../symbolic/proofText.js';
import { identityJson } from '../../symbolic/symbolicJson.js';
import { backgroundFacts, instantiateExpression, instantiateFormula, type SymbolicNetwork } from '../../symbolic/symbolicNetwork.js';
import type { Command } from '../command.js';
import { parseFlags, parseInteger } from '../flags.js';
import { maximumDepth } from './derive.js';

const options = {
  assume: { type: 'string', multiple: true },
  depth: { type: 'string' },
  layer: { type: 'string' },
  loss: { type: 'string' },
  bias: { type: 'boolean' },
  formula: { type: 'string' },
  seed: { type: 'string' },
  relation: { type: 'string' },
  latex: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const identifier = (name: string): boolean => /^[A-Za-z][A-Za-z0-9_]*$/.test(name);

const relations: Record<string, SideRelation> = { '=': '==', '==': '==', '<=': '<=', '<': '<', '>=': '>=', '>': '>' };

/** caps that keep a typo from running for long: source length, and the cases of a proof */
export const maximumExpressionLength = 2000;
export const maximumCases = 50_000;

export const proveCommand: Command = {
  usage: `usage: hessian-rank prove "EXPR1" "EXPR2" [--relation = | <= | < | >= | >] [--assume "a <= b"]... [--seed n] [--latex] [--json]
       hessian-rank prove --depth L [--layer l] [--loss mse|ce] [--bias] "EXPR1" ("EXPR2" | --formula ID) [--assume ...]...
  Expressions: integers, symbols (positive integers), + - * /(by constants) ^(integer powers), min, max, abs,
  comparisons as 0/1 ((a < b)), finite sums sum(body, i, from, to). min/max may compare any polynomials: differences
  k·(x − y) + c are decided exactly, other linear forms by Fourier–Motzkin, products by positivity certificates.
  --relation EXPR1 = EXPR2 (default), or <=, <, >=, > (an inequality for all positive integers)
  --assume   a relation assumed to hold, repeatable ("r <= d", "M1 < M2 <= K", "a == b + 1", "c * k <= n")
  --depth    read q, s, p, L, M, w, sum(M), M[i], w[a:b] as for a depth-L network (symbols d, M1.., K, r, N)
             and assume r ≤ d (r = min(N, d) when N occurs)
  --formula  take the right side from the catalog (with --depth; its domain condition becomes an assumption)
  --seed     seed of the counterexample search (default 1)
exit code: 0 proven, 1 not proven: refuted (a counterexample is printed) or unknown (the reason is printed), 2 bad input`,
  run(argv, io) {
    const { values, positionals } = parseFlags(argv, options, true);
    const flags = values as typeof values & { assume?: string[] };
    const depth = parseInteger(values.depth, '--depth', 1);
    const layer = parseInteger(values.layer, '--layer', 1);
    const seed = parseInteger(values.seed, '--seed') ?? 1;
    const relation = relations[values.relation ?? '='];
    if (relation === undefined) throw new InputError(`--relation must be one of =, <=, <, >=, >; got "${values.relation}"`);
    for (const source of [...positionals, ...(flags.assume ?? [])]) {
      if (source.length > maximumExpressionLength) throw new InputError(`an expression of ${source.length} characters is beyond the cap of ${maximumExpressionLength}`);
    }
    if (depth !== undefined && depth > maximumDepth) throw new InputError(`--depth ${depth} is beyond ${maximumDepth}`);
    if (depth === undefined && (values.formula || values.layer || values.loss || values.bias)) {
      throw new InputError('--formula, --layer, --loss and --bias need --depth');
    }
    if (layer !== undefined && depth !== undefined && layer > depth) throw new InputError(`--layer ${layer} is beyond the depth ${depth}`);
    const expected = values.formula ? 1 : 2;
    if (positionals.length !== expected) {
      throw new InputError(`prove needs ${expected === 2 ? 'two expressions' : 'one expression (the other is --formula)'}, got ${positionals.length}: e.g. prove "min(a,b) + max(a,b)" "a + b"`);
    }
    if (values.loss !== undefined && values.loss !== 'mse' && values.loss !== 'ce') throw new InputError(`--loss must be mse or ce, got "${values.loss}"`);
    const net: SymbolicNetwork | undefined = depth !== undefined ? { depth, loss: (values.loss ?? 'mse') as Loss, bias: values.bias ?? false } : undefined;
    const read = (source: string, what: string): Expr => {
      const e = parseExpression(source, { symbols: identifier, what, catalog: net !== undefined });
      return net ? instantiateExpression(e, net, layer, what) : e;
    };
    const lhs = read(positionals[0]!, 'the first expression');
    let rhs: Expr;
    const assumptions = (flags.assume ?? []).map((a) => {
      const e = parseAssumption(a, identifier, 'any identifier');
      return net ? instantiateExpression(e, net, layer, `assumption "${a}"`) : e;
    });
    if (values.formula) {
      const formula = findFormula(values.formula);
      const instance = instantiateFormula(formula, net!, layer);
      if (!instance.applies) throw new InputError(`formula ${values.formula} does not apply at depth ${depth} (its condition: ${formula.entry.domain.condition})`);
      if (formula.entry.quantity.startsWith('HO_block') && layer === undefined) throw new InputError(`formula ${values.formula} is per layer: give --layer`);
      rhs = instance.expression;
      assumptions.push(...instance.conditions);
    } else {
      rhs = read(positionals[1]!, 'the second expression');
    }
    if (net) {
      const usesSamples = [lhs, rhs, ...assumptions].some((e) => symbolsOf(e).includes('N'));
      assumptions.unshift(...backgroundFacts(net, usesSamples));
    }
    const result = decideIdentity(lhs, rhs, { assumptions, seed, relation, maxCases: maximumCases });
    if (values.json) io.out(JSON.stringify(identityJson(result)));
    else if (values.latex) identityTex(result).forEach((line) => io.out(`\\[ ${line} \\]`));
    else identityText(result).forEach((line) => io.out(line));
    if (result.verdict === 'refuted' && !values.json && !values.latex) {
      const negated = { '==': '≠', '<=': '>', '<': '>=', '>=': '<', '>': '<=' }[relation];
      io.err(`hessian-rank prove: refuted — ${toText(result.lhs)} ${negated} ${toText(result.rhs)} at ${Object.entries(result.point).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
    }
    if (result.verdict === 'unknown' && !values.json && !values.latex) io.err(`hessian-rank prove: unknown — ${result.reason}`);
    return result.verdict === 'proven' ? 0 : 1;
  },
};
