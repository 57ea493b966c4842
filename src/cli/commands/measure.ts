import { readFileSync } from 'node:fs';
import { describe, fullyConnected, type Activation, type FullyConnected, type Loss } from '../../architecture/fullyConnected.js';
import { describeConvolutional, parseConvolutional, type Convolutional } from '../../architecture/convolutional.js';
import { measureConvolutional } from '../../cnn/measure.js';
import { cnnOption, cnnUsage, convolutionalFromFlags } from '../convolutional.js';
import { InputError } from '../../errors.js';
import { measure, type Measurement } from '../../numeric/measure.js';
import { measurementJson } from '../../serialize.js';
import type { Command, CommandIO } from '../command.js';
import { architectureFromFlags, architectureOptions, commonOptions, parseFlags, parseInteger } from '../flags.js';
import { textTable } from '../table.js';

export const measureOptions = {
  ...architectureOptions,
  ...commonOptions,
  seed: { type: 'string' },
  exact: { type: 'boolean' },
  force: { type: 'boolean' },
  batch: { type: 'string' },
  ...cnnOption,
} as const;

export function formatMeasurement(m: Measurement<FullyConnected | Convolutional>): string {
  const rows = (['H', 'HO', 'HF'] as const).map((q) => {
    const part = m.parts[q];
    if (part.exact) return [q, part.rank, `mod ${part.exact.primes.join(', ')}: ${part.exact.ranksModPrimes.join(', ')}`];
    const n = part.numerical!;
    const gap = n.gap ? (Number.isFinite(n.gap.decades) ? `${n.gap.decades.toFixed(1)} decades` : 'exact zeros below') : '—';
    return [q, part.rank, n.tolerance.toExponential(2), gap, n.largestGapRank];
  });
  const header = m.method === 'exact' ? ['', 'rank', 'exact (rank mod each prime)'] : ['', 'rank', 'tolerance τ', 'gap at cut', 'rank at largest gap'];
  const compression = m.parts.H?.compression ?? m.parts.HF?.compression ?? m.parts.HO?.compression;
  return [
    `${m.architecture.kind === 'convolutional' ? describeConvolutional(m.architecture) : describe(m.architecture)}: p = ${m.p}, measured r = ${m.r}, ${m.method}, seed ${m.seed}, ${m.seconds.toFixed(2)} s`,
    textTable(header, rows),
    ...(compression
      ? [`eigenvalues taken on the ${compression.dimension}-dimensional subspace that contains the ranges (docs/theory.md#range-compression); containment certified to a relative residual ≤ ${(Number.EPSILON * Math.sqrt(m.p)).toExponential(1)}`]
      : []),
  ].join('\n');
}

interface BatchLine {
  widths?: number[];
  samples?: number;
  loss?: Loss;
  bias?: boolean;
  act?: Activation;
  seed?: number;
  exact?: boolean;
  /** a CNN in the --cnn syntax instead of widths */
  cnn?: string;
}

function runBatch(file: string, io: CommandIO, force: boolean): number {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read batch file ${file}: ${(error as Error).message}`);
  }
  let failures = 0;
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      let spec: BatchLine;
      try {
        spec = JSON.parse(line) as BatchLine;
      } catch {
        throw new InputError('not valid JSON');
      }
      if (spec.cnn !== undefined) {
        const cnn = parseConvolutional(spec.cnn, { samples: spec.samples, bias: spec.bias, loss: spec.loss, activation: spec.act });
        io.out(JSON.stringify(measurementJson(measureConvolutional(cnn, { seed: spec.seed ?? 0, exact: spec.exact, force }))));
        return;
      }
      const net = fullyConnected({ widths: spec.widths ?? [], samples: spec.samples, bias: spec.bias, loss: spec.loss, activation: spec.act });
      io.out(JSON.stringify(measurementJson(measure(net, { seed: spec.seed ?? 0, exact: spec.exact, force }))));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      failures++;
      io.out(JSON.stringify({ line: index + 1, error: error.message }));
    }
  });
  if (failures > 0) io.err(`hessian-rank measure: ${failures} line(s) of ${file} were refused (see their "error")`);
  return failures > 0 ? 2 : 0;
}

export const measureCommand: Command = {
  name: 'measure',
  summary: 'measured ranks of H, H_O, H_F on a random network (float64 or --exact)',
  usage: `usage: hessian-rank measure --widths d,M1,...,K [--samples N] [--bias] [--loss mse|ce] [--act linear|relu|tanh]
                             [--seed S] [--exact] [--force] [--json]
       hessian-rank measure --batch FILE       (one JSON architecture per line; - reads stdin)
  --seed    seed of weights, data and targets (default 0)
  --exact   integer instance, exact rank over two prime fields (linear networks, mse)
  --force   run even when the size guard estimates too much memory or time
  float64 ranks use τ = σ_max · p · ε (numpy's default) for each part
${cnnUsage}
            (a batch line may give "cnn" instead of "widths")`,
  run(argv, io) {
    const { values } = parseFlags(argv, measureOptions);
    if (values.batch !== undefined) return runBatch(values.batch, io, values.force ?? false);
    if (values.cnn !== undefined) {
      const m = measureConvolutional(convolutionalFromFlags(values), { seed: parseInteger(values.seed, '--seed') ?? 0, exact: values.exact, force: values.force });
      io.out(values.json ? JSON.stringify(measurementJson(m)) : formatMeasurement(m));
      return 0;
    }
    const net = architectureFromFlags(values);
    const m = measure(net, { seed: parseInteger(values.seed, '--seed') ?? 0, exact: values.exact, force: values.force });
    io.out(values.json ? JSON.stringify(measurementJson(m)) : formatMeasurement(m));
    return 0;
  },
};
