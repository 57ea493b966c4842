/**
 * The one flag layer: parsing on top of node:util parseArgs (strict: unknown flags are errors; a flag
 * given twice is refused unless its table marks it `multiple`), strict numbers, and the architecture
 * flags every command shares, generated from the family registry (src/family/registry.ts).
 */
// the public API's names, from their own modules: every command reads its flags here, and a command
// that needs little of the library (derive, prove, catalog) then does not load all of it
import { InputError } from '../errors.js';
import type { AnyFamily, Architecture, SharedSettings } from '../family/family.js';
import { activations, losses, type Activation, type Loss } from '../family/vocabulary.js';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { families, familyFlags } from '../family/registry.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export type FlagValues<T extends Options> = { [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : string };

export function parseFlags<T extends Options>(
  argv: string[],
  options: T,
  allowPositionals = false,
): { values: FlagValues<T>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: negativeValuesJoined(argv, options), options, strict: true, allowPositionals, tokens: true });
  } catch (error) {
    throw new InputError((error as Error).message.split('\n')[0]!);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name) && !(options[token.name] as { multiple?: boolean } | undefined)?.multiple) {
      throw new InputError(`--${token.name} is given twice; give it once`);
    }
    seen.add(token.name);
  }
  return { values: parsed.values, positionals: parsed.positionals } as { values: FlagValues<T>; positionals: string[] };
}

/**
 * `--seed -1` as `--seed=-1`: parseArgs reads a value starting with "-" as a flag ("argument is
 * ambiguous"); a negative number after a flag that takes a value is that flag's value, so the
 * flag's own check names the problem (e.g. "--runs must be an integer ≥ 1, got "-1"").
 */
function negativeValuesJoined(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const name = token.startsWith('--') && !token.includes('=') ? token.slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && Object.hasOwn(options, name) && options[name]!.type === 'string' && next !== undefined && /^-(\d|\.\d|Infinity)/.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

/** One string flag per family (--widths, --cnn, …). */
export const familyOptions: Options = Object.fromEntries(families.map((f) => [f.flag, { type: 'string' }]));

export const sharedOptions = {
  samples: { type: 'string' },
  bias: { type: 'boolean' },
  loss: { type: 'string' },
  act: { type: 'string' },
} as const satisfies Options;

/** The family flags and the shared settings (typed as the shared settings: family flags are read through architectureFromFlags). */
export const architectureOptions = { ...familyOptions, ...sharedOptions } as typeof sharedOptions;

export const commonOptions = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** The usage lines of the architecture flags. */
export function architectureUsage(indent = '  '): string {
  return [
    ...families.map((f) => `${indent}${f.flagUsage}\n${indent}    ${f.flagHelp}`),
    `${indent}--samples N  (default 2d)   --bias   --loss ${losses.join('|')}   --act ${activations.join('|')}`,
  ].join('\n');
}

/** A strict integer: "12" yes, "1.5", "1e3", "abc", "" no. */
export function parseInteger(text: string | undefined, what: string, min = -Infinity, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw new InputError(`${what} must be an integer, got "${text.slice(0, 60)}"`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new InputError(`${what} must be an integer of at most 15 digits (|n| < 2^53), got "${text.slice(0, 60)}"`);
  if (value < min) throw new InputError(`${what} must be an integer ≥ ${min}, got "${text.slice(0, 60)}"`);
  if (value > max) throw new InputError(`${what} must be at most ${max}, got ${text.slice(0, 60)}`);
  return value;
}

export function parseChoice<T extends string>(text: string | undefined, choices: readonly T[], what: string): T | undefined {
  if (text === undefined) return undefined;
  if (!choices.includes(text as T)) throw new InputError(`${what} must be one of ${choices.join(', ')}, got "${text.slice(0, 60)}"`);
  return text as T;
}

/** --samples, --bias, --loss, --act. */
export function sharedFromFlags(values: { samples?: string; bias?: boolean; loss?: string; act?: string }): SharedSettings {
  return {
    samples: parseInteger(values.samples, '--samples', 1),
    bias: values.bias ?? false,
    loss: parseChoice<Loss>(values.loss, losses, '--loss'),
    activation: parseChoice<Activation>(values.act, activations, '--act'),
  };
}

export interface Named<A extends Architecture = Architecture> {
  family: AnyFamily;
  net: A;
}

/** The families whose flag is among `values`, with the flag's texts. */
function namedFamilies(values: Record<string, unknown>): { family: AnyFamily; texts: string[] }[] {
  return families
    .filter((f) => values[f.flag] !== undefined)
    .map((f) => ({ family: f, texts: ([] as string[]).concat(values[f.flag] as string | string[]) }));
}

/** The one architecture named by the flags: exactly one family flag (--widths or --cnn), plus the shared settings. */
export function architectureFromFlags(values: Record<string, unknown>): Named {
  const named = namedFamilies(values);
  if (named.length === 0) throw new InputError(`name an architecture: ${families.map((f) => f.flagUsage).join(' or ')}`);
  if (named.length > 1) throw new InputError(`give either ${named.map((n) => `--${n.family.flag} (${n.family.name})`).join(' or ')}, not both`);
  const { family, texts } = named[0]!;
  return { family, net: family.parse(texts[0]!, sharedFromFlags(values as Parameters<typeof sharedFromFlags>[0])) };
}

/** Every architecture named by repeatable family flags, sharing --samples, --bias, --loss, --act. */
export function architecturesFromFlags(values: Record<string, unknown>): Named[] {
  const shared = sharedFromFlags(values as Parameters<typeof sharedFromFlags>[0]);
  return namedFamilies(values).flatMap(({ family, texts }) => texts.map((text) => ({ family, net: family.parse(text, shared) })));
}

export { familyFlags };
