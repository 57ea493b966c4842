/**
 * The one batch reader: a JSON Lines file (or stdin for "-"), one architecture per line, e.g.
 *   {"widths": [25, 5, 10], "act": "relu", "seed": 3}     {"cnn": "in=8; conv k=3 c=2; K=2", "exact": true}
 * Each line is checked field by field (a family key, samples, bias, loss, act, and the fields the
 * caller allows, each of its type); a line that fails becomes {"line": n, "error": "…"} and the
 * batch goes on.
 */
import { InputError } from '../errors.js';
import { families } from '../family/registry.js';
import type { SharedSettings } from '../family/family.js';
import { activations, losses, type Activation, type Loss } from '../family/vocabulary.js';
import { readFileSync } from 'node:fs';
import type { Named } from './flags.js';

/** Longest batch file read (bytes) and most lines. */
const batchLimits = { bytes: 64 * 2 ** 20, lines: 100_000 };

export type FieldType = 'integer' | 'boolean' | 'string';

export function readBatchText(file: string): string {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read batch file ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (text.length > batchLimits.bytes) throw new InputError(`batch file ${file} is longer than ${batchLimits.bytes / 2 ** 20} MiB`);
  return text;
}

function typed(value: unknown, type: FieldType, key: string): unknown {
  const ok = type === 'integer' ? Number.isSafeInteger(value) : typeof value === type;
  if (!ok) throw new InputError(`"${key}" must be ${type === 'integer' ? 'an integer' : `a ${type}`}, got ${JSON.stringify(value)?.slice(0, 40)}`);
  return value;
}

/** One line into an architecture and the extra fields (InputError on anything else). */
export function parseBatchLine<T extends Record<string, unknown>>(line: string, extra: Record<string, FieldType>): Named & { fields: T } {
  let spec: unknown;
  try {
    spec = JSON.parse(line);
  } catch {
    throw new InputError('not valid JSON');
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new InputError('a line must be a JSON object, e.g. {"widths": [25, 5, 10]}');
  const o = spec as Record<string, unknown>;
  const shared = { samples: 'integer', bias: 'boolean', loss: 'string', act: 'string' } as const;
  for (const key of Object.keys(o)) {
    if (!(key in shared) && !(key in extra) && !families.some((f) => f.flag === key)) {
      throw new InputError(`unknown field "${key.slice(0, 40)}"; fields: ${[...families.map((f) => f.flag), ...Object.keys(shared), ...Object.keys(extra)].join(', ')}`);
    }
  }
  const named = families.filter((f) => o[f.flag] !== undefined);
  if (named.length !== 1) throw new InputError(`give exactly one of ${families.map((f) => `"${f.flag}"`).join(', ')}`);
  const settings: SharedSettings = {};
  if (o.samples !== undefined) settings.samples = typed(o.samples, 'integer', 'samples') as number;
  if (o.bias !== undefined) settings.bias = typed(o.bias, 'boolean', 'bias') as boolean;
  if (o.loss !== undefined) {
    if (!losses.includes(o.loss as Loss)) throw new InputError(`"loss" must be one of ${losses.join(', ')}, got ${JSON.stringify(o.loss)?.slice(0, 40)}`);
    settings.loss = o.loss as Loss;
  }
  if (o.act !== undefined) {
    if (!activations.includes(o.act as Activation)) throw new InputError(`"act" must be one of ${activations.join(', ')}, got ${JSON.stringify(o.act)?.slice(0, 40)}`);
    settings.activation = o.act as Activation;
  }
  const fields = {} as Record<string, unknown>;
  for (const [key, type] of Object.entries(extra)) if (o[key] !== undefined) fields[key] = typed(o[key], type, key);
  const family = named[0]!;
  return { family, net: family.fromJson(o[family.flag], settings), fields: fields as T };
}

/** The batch's non-empty lines with their 1-based numbers (at most batchLimits.lines lines). */
export function batchLines(text: string): { line: number; text: string }[] {
  const lines = text.split('\n');
  if (lines.length > batchLimits.lines) throw new InputError(`a batch has at most ${batchLimits.lines} lines, this one ${lines.length}`);
  return lines.flatMap((line, index) => (line.trim() === '' ? [] : [{ line: index + 1, text: line }]));
}

/** The first line of a failed line's error: its InputError's message, or "internal error: …". */
export function batchError(error: unknown): string {
  const message = error instanceof InputError ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
  return message.split('\n')[0]!;
}

/**
 * Every non-empty line of `text`, parsed; `use` runs on each parsed line. A line that fails to parse
 * or whose `use` throws becomes an error record (its message's first line), and the batch goes on.
 */
export function forEachBatchLine<T extends Record<string, unknown>>(
  text: string,
  extra: Record<string, FieldType>,
  use: (item: Named & { fields: T }, line: number) => void,
  onError: (line: number, message: string) => void,
): void {
  for (const { line, text: source } of batchLines(text)) {
    try {
      use(parseBatchLine<T>(source, extra), line);
    } catch (error) {
      onError(line, batchError(error));
    }
  }
}
