/**
 * The formula catalog: plain data in formulas/*.json, one file per family of architectures.
 * Each entry states a quantity (H, HO, HF, or a layer block such as HO_block), a mathjs expression
 * over the vocabulary, its LaTeX, its kind (exact, upper-bound, lower-bound, estimate), the domain
 * where it applies, its assumptions and its source. Loading validates every entry's fields; its
 * expressions (formula, condition, definitions) are parsed and checked when first read, so a command
 * parses only the entries it uses (derive --cnn reads about a fifth of them).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Activation, Loss } from '../architecture/fullyConnected.js';
import { InputError } from '../errors.js';
import { parseRankExpression, type RankExpression } from './expression.js';
import { vocabulary } from './vocabulary.js';

export type FormulaKind = 'exact' | 'upper-bound' | 'lower-bound' | 'estimate';
const formulaKinds: readonly FormulaKind[] = ['exact', 'upper-bound', 'lower-bound', 'estimate'];

/**
 * How a formula is known: proven (in the cited paper), derived (here, with the proof in
 * docs/formulas.md), conjectured (confirmed by measurement on every architecture tried, no proof).
 */
export type FormulaStatus = 'proven' | 'derived' | 'conjectured';
const formulaStatuses: readonly FormulaStatus[] = ['proven', 'derived', 'conjectured'];

export interface FormulaDomain {
  activation?: Activation[];
  loss?: Loss[];
  bias?: boolean;
  /** mathjs boolean expression over the vocabulary, e.g. "L >= 2" or "N <= d" */
  condition?: string;
}

export interface FormulaSource {
  paper?: string;
  statement?: string;
  derivedHere?: string;
}

export interface FormulaEntry {
  id: string;
  /** the family (file) it belongs to, e.g. fully-connected */
  family: string;
  quantity: string;
  expression: string;
  latex: string;
  kind: FormulaKind;
  status: FormulaStatus;
  domain: FormulaDomain;
  /** symbols redefined for this formula (mathjs expressions over the vocabulary) */
  definitions?: Record<string, string>;
  /** activations for which the same expression is reported as an estimate of the numerical rank */
  estimateFor?: Activation[];
  assumptions: string[];
  source: FormulaSource;
  derivation?: string;
}

export interface CompiledFormula {
  entry: FormulaEntry;
  expression: RankExpression;
  condition?: RankExpression;
  definitions: [string, RankExpression][];
}

let root: string | undefined;

/** The package root: the nearest folder above this module holding formulas/ (looked up once). */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'formulas')) && existsSync(join(dir, 'package.json'))) return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the formulas/ folder of hessian-rank');
    dir = parent;
  }
}

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new InputError(`${what} must be a non-empty string`);
  return value;
}

function compileFormula(entry: FormulaEntry, extraVocabulary: readonly string[] = []): CompiledFormula {
  const where = `formula ${entry.id}`;
  requireString(entry.id, 'a formula id');
  requireString(entry.quantity, `${where}: quantity`);
  requireString(entry.latex, `${where}: latex`);
  if (!formulaKinds.includes(entry.kind)) throw new InputError(`${where}: kind must be one of ${formulaKinds.join(', ')}`);
  if (!formulaStatuses.includes(entry.status)) throw new InputError(`${where}: status must be one of ${formulaStatuses.join(', ')}`);
  if (!entry.source || (!entry.source.paper && !entry.source.derivedHere)) {
    throw new InputError(`${where}: source needs a paper or a derivedHere pointer`);
  }
  const symbols = [...vocabulary, ...extraVocabulary];
  // parsed and checked on first read, once
  let expression: RankExpression | undefined;
  let condition: { value: RankExpression | undefined } | undefined;
  let definitions: [string, RankExpression][] | undefined;
  return {
    entry,
    get expression() {
      return (expression ??= parseRankExpression(entry.expression, symbols, where, { catalog: true }));
    },
    get condition() {
      condition ??= { value: entry.domain?.condition ? parseRankExpression(entry.domain.condition, symbols, `${where}: condition`, { catalog: true }) : undefined };
      return condition.value;
    },
    get definitions() {
      return (definitions ??= Object.entries(entry.definitions ?? {}).map(
        ([name, source]) => [name, parseRankExpression(source, symbols, `${where}: definition of ${name}`, { catalog: true })] as [string, RankExpression],
      ));
    },
  };
}

interface CatalogFile {
  family: string;
  description?: string;
  /** extra symbols this family's formulas use (e.g. kernel sizes for CNNs) */
  vocabulary?: string[];
  formulas: Omit<FormulaEntry, 'family'>[];
}

let cached: CompiledFormula[] | undefined;

/** All formulas in formulas/*.json (validated; duplicate ids rejected). */
export function loadCatalog(folder = join(packageRoot(), 'formulas')): CompiledFormula[] {
  if (cached && folder === join(packageRoot(), 'formulas')) return cached;
  const compiled: CompiledFormula[] = [];
  const seen = new Set<string>();
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
    const path = resolve(folder, file);
    let data: CatalogFile;
    try {
      data = JSON.parse(readFileSync(path, 'utf8')) as CatalogFile;
    } catch (error) {
      throw new InputError(`formulas/${file} is not valid JSON: ${(error as Error).message}`);
    }
    for (const raw of data.formulas ?? []) {
      const entry = { ...raw, family: data.family } as FormulaEntry;
      if (seen.has(entry.id)) throw new InputError(`formulas/${file}: duplicate formula id ${entry.id}`);
      seen.add(entry.id);
      compiled.push(compileFormula(entry, data.vocabulary ?? []));
    }
  }
  if (folder === join(packageRoot(), 'formulas')) cached = compiled;
  return compiled;
}

export function findFormula(id: string): CompiledFormula {
  const found = loadCatalog().find((f) => f.entry.id === id);
  if (!found) {
    throw new InputError(`no formula with id "${id}"; known ids: ${loadCatalog().map((f) => f.entry.id).join(', ')}`);
  }
  return found;
}
