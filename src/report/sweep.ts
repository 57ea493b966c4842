/**
 * A sweep: one architecture with one variable varied over a list of values, each point measured
 * (seeded) and predicted at its measured r. The variables of the papers' figures:
 *   samples   N, the number of data points (rank grows with r = min(N, d), then saturates)
 *   width     every hidden width M_1 = … = M_{L-1} = M of a fully-connected network
 *   depth     L, the number of weight matrices: widths [d, M, …, M, K] with L − 1 hidden layers of
 *             the base's first hidden width M
 *   channels  every convolution's output channels c_1 = … = c_{L-1} = c of a CNN
 * The spec is plain JSON (it heads the sweep's log file, so a resumed sweep can check it is the same).
 */
import { InputError } from '../errors.js';
import type { AnyFamily, Architecture } from '../family/family.js';
import { families } from '../family/registry.js';
import type { Activation, Loss } from '../family/vocabulary.js';
import { rankRecord, type RankRecord } from './rankRecord.js';
import { subject, type DataSource, type RankSubject } from './subject.js';

export type SweepVariable = 'samples' | 'width' | 'depth' | 'channels';
export const sweepVariables: readonly SweepVariable[] = ['samples', 'width', 'depth', 'channels'];

/** The architecture a sweep starts from: a fully-connected network (widths) or a CNN (--cnn syntax). */
export interface BaseArchitecture {
  widths?: number[];
  cnn?: string;
  samples?: number;
  bias: boolean;
  act: Activation;
  loss: Loss;
}

export interface SweepSpec {
  vary: SweepVariable;
  values: number[];
  base: BaseArchitecture;
  data: DataSource;
  /** --targets FILE.npy or labels (absent: targets drawn from the seed) */
  targets?: string;
  seed: number;
  exact: boolean;
}

/** What each variable is called on an axis. */
export const variableLabels: Record<SweepVariable, { text: string; latex: string; symbol: string }> = {
  samples: { text: 'sample size N', latex: 'sample size $N$', symbol: 'N' },
  width: { text: 'hidden width M', latex: 'hidden width $M$', symbol: 'M' },
  depth: { text: 'depth L', latex: 'depth $L$', symbol: 'L' },
  channels: { text: 'channels c', latex: 'channels $c$', symbol: 'c' },
};

/** "2,4,8" or "2:40:2" (from:to:step, inclusive) into a list of positive integers. */
export function parseValues(text: string | undefined, what = '--values'): number[] {
  if (text === undefined || text.trim() === '') throw new InputError(`${what} is required, e.g. ${what} 2,4,8 or ${what} 2:40:2 (from:to:step)`);
  const range = /^\s*(\d+)\s*:\s*(\d+)\s*(?::\s*(\d+)\s*)?$/.exec(text);
  let values: number[];
  if (range) {
    const [from, to, step] = [Number(range[1]), Number(range[2]), Number(range[3] ?? '1')];
    if (step < 1) throw new InputError(`${what}: the step of ${text} must be at least 1`);
    if (to < from) throw new InputError(`${what}: ${text} is an empty range (from > to)`);
    if ((to - from) / step + 1 > 1000) throw new InputError(`${what}: ${text} has more than 1000 values`);
    values = [];
    for (let v = from; v <= to; v += step) values.push(v);
  } else {
    values = text.split(',').map((part) => {
      if (!/^\s*\d+\s*$/.test(part)) throw new InputError(`${what}: "${part}" is not a positive integer (use 2,4,8 or 2:40:2)`);
      return Number(part);
    });
  }
  if (values.some((v) => v < 1)) throw new InputError(`${what}: values must be at least 1, got ${text}`);
  if (new Set(values).size !== values.length) throw new InputError(`${what}: ${text} repeats a value`);
  return values;
}

/** The family and architecture a sweep starts from. */
export function sweepBase(spec: SweepSpec): { family: AnyFamily; net: Architecture } {
  const { base } = spec;
  const named = families.filter((f) => (base as unknown as Record<string, unknown>)[f.flag] !== undefined);
  if (named.length !== 1) throw new InputError(`a sweep needs one base architecture: ${families.map((f) => f.flagUsage).join(' or ')}`);
  const family = named[0]!;
  const net = family.fromJson((base as unknown as Record<string, unknown>)[family.flag], { samples: base.samples, bias: base.bias, activation: base.act, loss: base.loss });
  return { family, net };
}

/** The architecture at one value of the swept variable. */
export function sweepSubject(spec: SweepSpec, value: number): RankSubject {
  const { family, net } = sweepBase(spec);
  if (spec.vary !== 'samples' && !family.sweepVariables.includes(spec.vary)) {
    const owner = families.find((f) => f.sweepVariables.includes(spec.vary));
    throw new InputError(`a ${family.name} sweep varies samples${family.sweepVariables.map((v) => ` or ${v}`).join('')}, not ${spec.vary}` + (owner ? ` (a ${spec.vary} sweep needs ${owner.flagUsage})` : ''));
  }
  return subject(family.vary(net, spec.vary, value), spec.data, family, spec.targets);
}

/** Checks every point's architecture before any measurement starts (bad input fails at once). */
export function sweepSubjects(spec: SweepSpec): RankSubject[] {
  if (spec.values.length === 0) throw new InputError('a sweep needs at least one value');
  return spec.values.map((v) => sweepSubject(spec, v));
}

export interface SweepHooks {
  /** records already measured (a resumed sweep), by value */
  done?: ReadonlyMap<number, RankRecord>;
  /** called before measuring point `index` */
  onStart?(index: number, total: number, subject: RankSubject): void;
  /** called after each new record, in order */
  onRecord?(record: RankRecord, index: number, total: number): void;
  force?: boolean;
}

/** Measures every point not already done, in order of `values`; returns all records. */
export function runSweep(spec: SweepSpec, hooks: SweepHooks = {}): RankRecord[] {
  const subjects = sweepSubjects(spec);
  const records: RankRecord[] = [];
  subjects.forEach((subject, index) => {
    const value = spec.values[index]!;
    const previous = hooks.done?.get(value);
    if (previous) {
      records.push(previous);
      return;
    }
    hooks.onStart?.(index, subjects.length, subject);
    const record = rankRecord(subject, { seed: spec.seed, exact: spec.exact, force: hooks.force }, value);
    records.push(record);
    hooks.onRecord?.(record, index, subjects.length);
  });
  return records;
}
