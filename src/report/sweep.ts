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
import { convolutional, parseConvolutionalLayers } from '../architecture/convolutional.js';
import { fullyConnected, type Activation, type Loss } from '../architecture/fullyConnected.js';
import { InputError } from '../errors.js';
import { convolutionalSubject } from './convolutionalSubject.js';
import { rankRecord, type RankRecord } from './rankRecord.js';
import { fullyConnectedSubject, type DataSource, type RankSubject } from './subject.js';

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

/** The architecture at one value of the swept variable. */
export function sweepSubject(spec: SweepSpec, value: number): RankSubject {
  const { base, vary } = spec;
  if (base.cnn !== undefined) {
    const layers = parseConvolutionalLayers(base.cnn);
    let samples = base.samples;
    if (vary === 'samples') samples = value;
    else if (vary === 'channels') layers.layers = layers.layers.map((layer) => ({ ...layer, channels: value }));
    else throw new InputError(`a CNN sweep varies samples or channels, not ${vary}`);
    const net = convolutional({ ...layers, samples, bias: base.bias, activation: base.act, loss: base.loss });
    return convolutionalSubject(net, spec.data);
  }
  if (!base.widths) throw new InputError('a sweep needs a base architecture: --widths d,M,…,K or --cnn "…"');
  let widths = [...base.widths];
  let samples = base.samples;
  const hidden = widths.slice(1, -1);
  switch (vary) {
    case 'samples':
      samples = value;
      break;
    case 'width':
      if (hidden.length === 0) throw new InputError('a width sweep needs at least one hidden layer in --widths, e.g. 10,5,10');
      widths = [widths[0]!, ...hidden.map(() => value), widths[widths.length - 1]!];
      break;
    case 'depth': {
      if (hidden.length === 0) throw new InputError('a depth sweep takes its hidden width M from --widths d,M,K');
      widths = [widths[0]!, ...Array.from({ length: value - 1 }, () => hidden[0]!), widths[widths.length - 1]!];
      break;
    }
    case 'channels':
      throw new InputError('a channels sweep needs a CNN: --cnn "in=16; conv k=3 c=4; K=3"');
  }
  // N defaults to 2d of the base, so a width or depth sweep keeps the same data
  const net = fullyConnected({ widths, samples: samples ?? 2 * widths[0]!, bias: base.bias, activation: base.act, loss: base.loss });
  return fullyConnectedSubject(net, spec.data);
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
