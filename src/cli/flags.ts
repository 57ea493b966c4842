/**
 * Flag parsing on top of node:util parseArgs (strict: unknown flags are errors), plus the
 * architecture flags every fully-connected command shares.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fullyConnected, type Activation, type FullyConnected, type Loss } from '../architecture/fullyConnected.js';
import { InputError } from '../errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export type FlagValues<T extends Options> = { [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : string };

export function parseFlags<T extends Options>(
  argv: string[],
  options: T,
  allowPositionals = false,
): { values: FlagValues<T>; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals }) as { values: FlagValues<T>; positionals: string[] };
  } catch (error) {
    throw new InputError((error as Error).message.split('\n')[0]!);
  }
}

export const architectureOptions = {
  widths: { type: 'string' },
  samples: { type: 'string' },
  bias: { type: 'boolean' },
  loss: { type: 'string' },
  act: { type: 'string' },
} as const satisfies Options;

export const commonOptions = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** A strict integer: "12" yes, "1.5", "1e3", "abc", "" no. */
export function parseInteger(text: string | undefined, what: string, min = -Infinity): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw new InputError(`${what} must be an integer, got "${text}"`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new InputError(`${what} must be an integer ≥ ${min}, got "${text}"`);
  return value;
}

export function parseWidths(text: string | undefined): number[] {
  if (text === undefined) throw new InputError('--widths is required, e.g. --widths 25,5,10,10 (d, hidden widths, K)');
  // "25,5,10,10", or the papers' "25-5-10-10" when there is no comma (so "3,-1,2" keeps its minus sign)
  const parts = (text.includes(',') ? text.split(',') : text.split(/[-x]/)).map((s) => s.trim());
  if (parts.length < 2) throw new InputError(`--widths needs at least d and K, got "${text}"`);
  return parts.map((part, i) => {
    if (!/^\d+$/.test(part)) throw new InputError(`--widths: entry ${i + 1} "${part}" of "${text}" is not a positive integer`);
    const value = Number(part);
    if (value < 1) throw new InputError(`--widths: entry ${i + 1} is ${value}; widths must be at least 1`);
    return value;
  });
}

export function architectureFromFlags(values: { widths?: string; samples?: string; bias?: boolean; loss?: string; act?: string }): FullyConnected {
  return fullyConnected({
    widths: parseWidths(values.widths),
    samples: parseInteger(values.samples, '--samples', 1),
    bias: values.bias ?? false,
    loss: values.loss as Loss | undefined,
    activation: values.act as Activation | undefined,
  });
}
