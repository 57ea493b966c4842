// direct imports, not the package's index: measure starts without the symbolic layer's modules
import { InputError } from '../../errors.js';
import { measurementJson } from '../../serialize.js';
import type { AnyFamily, Architecture } from '../../family/family.js';
import type { Measurement } from '../../numeric/measure.js';
import { readBatchText } from '../batch.js';
import { runMeasureBatch } from '../measureBatch.js';
import type { Command, CommandIO } from '../command.js';
import { architectureFromFlags, architectureOptions, architectureUsage, commonOptions, parseFlags, parseInteger, type FlagValues } from '../flags.js';
import { formatMeasurement } from '../rankText.js';
import { dataFromFlags, dataOptions, dataUsage, withSamples } from '../dataFlags.js';
import { modelFromFlags, modelOptions, modelUsage } from '../modelFlags.js';
import { textTable } from '../table.js';
import { quantities } from '../../family/vocabulary.js';
import { rankDistributions } from '../../report/rankDistribution.js';
import { ProgressLine } from '../../report/progressLine.js';
import type { MeasureProgress } from '../../numeric/measure.js';

export const measureOptions = {
  ...architectureOptions,
  ...commonOptions,
  seed: { type: 'string' },
  exact: { type: 'boolean' },
  force: { type: 'boolean' },
  ...dataOptions,
  ...modelOptions,
} as const;

/**
 * The measurement measure and compare make from their flags: the named architecture on a seeded
 * instance, on --data/--targets when given (N from --samples, --subset or the data).
 */
export function measureFromFlags(values: FlagValues<typeof measureOptions>): { family: AnyFamily; net: Architecture; measurement: Measurement<Architecture>; data?: string; model?: string } {
  const flags = withSamples(values);
  const model = modelFromFlags(flags);
  const { family, net } = model ?? architectureFromFlags(flags);
  const loaded = dataFromFlags(values, { ...family.shape(net), loss: net.loss });
  // the phases of a long measurement on one line of a terminal (nothing when stderr is not one)
  const line = new ProgressLine(process.stderr);
  let measurement: Measurement<Architecture>;
  try {
    measurement = family.measure(net, {
      seed: parseInteger(values.seed, '--seed') ?? 0,
      exact: values.exact,
      force: values.force,
      inputs: loaded.inputs,
      targets: loaded.targets,
      weights: model?.weights,
      progress: line.report,
    });
  } finally {
    line.finish();
  }
  return { family, net, measurement, data: loaded.data?.name, model: model?.file };
}

/** Most instances one --seeds range may measure. */
export const maximumSeeds = 10_000;

/** "A:B" → [A, B] (inclusive), one clear line otherwise. */
export function parseSeedRange(text: string): [number, number] {
  const match = /^\s*(-?\d+)\s*:\s*(-?\d+)\s*$/.exec(text);
  if (!match) throw new InputError(`--seeds must be a range A:B of integer seeds (both included), got "${text.slice(0, 60)}"`);
  const from = Number(match[1]);
  const to = Number(match[2]);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) throw new InputError(`--seeds ${text.slice(0, 60)}: need integers A ≤ B`);
  if (to - from + 1 > maximumSeeds) throw new InputError(`--seeds ${text.slice(0, 60)} asks for ${to - from + 1} instances; at most ${maximumSeeds}`);
  return [from, to];
}

/** measure --seeds A:B: each part's rank distribution over the instances of seeds A..B. */
function runSeeds(
  family: AnyFamily,
  net: Architecture,
  range: [number, number],
  measureAt: (seed: number, force: boolean, progress: MeasureProgress) => Measurement<Architecture>,
  json: boolean,
  io: CommandIO,
): number {
  const measured: Measurement<Architecture>[] = [];
  // one progress line across the seeds on a terminal: the seed, how many are done, the time left
  const line = new ProgressLine(process.stderr);
  const count = range[1] - range[0] + 1;
  try {
    for (let seed = range[0]; seed <= range[1]; seed++) {
      line.next(`seed ${seed}`, seed - range[0], count);
      // the size guard applies to the first instance; the others are the same size
      measured.push(measureAt(seed, seed > range[0], line.report));
    }
  } finally {
    line.finish();
  }
  const distributions = rankDistributions(measured.map((m) => m.ranks), quantities);
  const redraws = measured.reduce((n, m) => n + (m.redraws ?? 0), 0);
  const first = measured[0]!;
  if (json) {
    io.out(JSON.stringify({ architecture: family.json(net), p: first.p, method: first.method, seeds: range, redraws, distributions: Object.fromEntries(quantities.map((q) => [q, { ...distributions[q], histogram: Object.fromEntries(distributions[q].histogram) }])) }));
    return 0;
  }
  const show = (v: number | null) => (v === null ? '—' : v);
  io.out(`${family.describe(net)}: p = ${first.p}, ${first.method}, ranks over seeds ${range[0]}..${range[1]} (${measured.length} instances${redraws > 0 ? `, ${redraws} redrawn off the ReLU kink` : ''})`);
  io.out(
    textTable(
      ['', 'min', 'median', 'max', 'undetermined', 'rank × instances'],
      quantities.map((q) => {
        const d = distributions[q];
        return [q, show(d.min), show(d.median), show(d.max), d.undetermined, d.histogram.map(([rank, n]) => `${rank}×${n}`).join(' ')];
      }),
    ),
  );
  if (first.method === 'exact' && net.activation === 'relu') io.out('each exact ReLU rank is the rank at one integer instance, its activation pattern fixed (docs/theory.md#exact-relu-ranks)');
  return 0;
}

async function runBatch(file: string, io: CommandIO, force: boolean): Promise<number> {
  const failures = await runMeasureBatch(readBatchText(file), force, (line) => io.out(line));
  if (failures > 0) io.err(`hessian-rank measure: ${failures} line(s) of ${file} were refused (see their "error")`);
  return failures > 0 ? 2 : 0;
}

export const measureCommand: Command = {
  usage: `usage: hessian-rank measure ARCHITECTURE [--seed S | --seeds A:B] [--exact] [--force] [--json]
       hessian-rank measure --batch FILE [--force]   (one JSON architecture per line; - reads stdin)
  ARCHITECTURE, one of:
${architectureUsage('    ')}
  --seed    seed of weights, data and targets (default 0)
  --seeds A:B   measure the instances of seeds A..B (both included, at most ${maximumSeeds}) and print each
            part's rank distribution: min, median, max, rank × instances (JSON: "distributions")
  --exact   integer instance, exact rank over two prime fields (mse, linear or relu networks; a relu
            rank is the rank at that instance, its activation pattern fixed)
  --force   run even when the size guard estimates too much memory or time
${dataUsage}
${modelUsage}
                (then the weights are the model's, the seed draws only Gaussian data and targets)
  --batch   lines like {"widths": [25,5,10], "act": "relu", "seed": 3} or {"cnn": "in=8; conv k=3 c=2; K=2", "exact": true};
            each prints its JSON measurement, or {"line": n, "error": "…"} (exit 2 if any line failed)
  float64 ranks use τ = σ_max · p · ε (numpy's default) for each part. On a terminal a progress line
  shows the phases of the measurement (with --seeds: one line across the seeds, with the seed, how
  many are done and the time left); nothing when stderr is a pipe or file.`,
  run(argv, io) {
    const { values } = parseFlags(argv, { ...measureOptions, batch: { type: 'string' }, seeds: { type: 'string' } });
    if (values.batch !== undefined) {
      const conflicting = Object.keys(values).filter((k) => k !== 'batch' && k !== 'force');
      if (conflicting.length > 0) throw new InputError(`--batch reads every setting from its lines: drop --${conflicting[0]}`);
      return runBatch(values.batch, io, values.force ?? false);
    }
    if (values.seeds !== undefined) {
      if (values.seed !== undefined) throw new InputError('give either --seed S or --seeds A:B, not both');
      if (values.model !== undefined) throw new InputError('--seeds draws random instances; it does not combine with --model');
      const range = parseSeedRange(values.seeds);
      const { family, net } = architectureFromFlags(withSamples(values));
      const loaded = dataFromFlags(values, { ...family.shape(net), loss: net.loss });
      const measureAt = (seed: number, force: boolean, progress: MeasureProgress) =>
        family.measure(net, { seed, exact: values.exact, force: (values.force ?? false) || force, inputs: loaded.inputs, targets: loaded.targets, progress });
      return runSeeds(family, net, range, measureAt, values.json ?? false, io);
    }
    const { family, net, measurement: m, data, model } = measureFromFlags(values);
    const sources = { ...(model ? { model } : {}), ...(data ? { data } : {}) };
    io.out(values.json ? JSON.stringify({ ...measurementJson(m), ...sources }) : formatMeasurement(m, family.describe(net) + (model ? `, model ${model}` : '') + (data ? `, data ${data}` : '')));
    return 0;
  },
};
