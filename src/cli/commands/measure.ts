import { InputError, measurementJson, type AnyFamily, type Architecture, type Measurement } from '../../index.js';
import { forEachBatchLine, readBatchText } from '../batch.js';
import type { Command, CommandIO } from '../command.js';
import { architectureFromFlags, architectureOptions, architectureUsage, commonOptions, parseFlags, parseInteger, type FlagValues } from '../flags.js';
import { formatMeasurement } from '../rankText.js';
import { dataFromFlags, dataOptions, dataUsage, withSamples } from '../dataFlags.js';
import { modelFromFlags, modelOptions, modelUsage } from '../modelFlags.js';

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
  const loaded = dataFromFlags(values, family.shape(net));
  const measurement = family.measure(net, {
    seed: parseInteger(values.seed, '--seed') ?? 0,
    exact: values.exact,
    force: values.force,
    inputs: loaded.inputs,
    targets: loaded.targets,
    weights: model?.weights,
  });
  return { family, net, measurement, data: loaded.data?.name, model: model?.file };
}

function runBatch(file: string, io: CommandIO, force: boolean): number {
  let failures = 0;
  forEachBatchLine<{ seed?: number; exact?: boolean }>(
    readBatchText(file),
    { seed: 'integer', exact: 'boolean' },
    ({ family, net, fields }) => {
      io.out(JSON.stringify(measurementJson(family.measure(net, { seed: fields.seed ?? 0, exact: fields.exact, force }))));
    },
    (line, error) => {
      failures++;
      io.out(JSON.stringify({ line, error }));
    },
  );
  if (failures > 0) io.err(`hessian-rank measure: ${failures} line(s) of ${file} were refused (see their "error")`);
  return failures > 0 ? 2 : 0;
}

export const measureCommand: Command = {
  name: 'measure',
  summary: 'measured ranks of H, H_O, H_F on a random network (float64 or --exact)',
  usage: `usage: hessian-rank measure ARCHITECTURE [--seed S] [--exact] [--force] [--json]
       hessian-rank measure --batch FILE [--force]   (one JSON architecture per line; - reads stdin)
  ARCHITECTURE, one of:
${architectureUsage('    ')}
  --seed    seed of weights, data and targets (default 0)
  --exact   integer instance, exact rank over two prime fields (linear networks, mse)
  --force   run even when the size guard estimates too much memory or time
${dataUsage}
${modelUsage}
                (then the weights are the model's, the seed draws only Gaussian data and targets)
  --batch   lines like {"widths": [25,5,10], "act": "relu", "seed": 3} or {"cnn": "in=8; conv k=3 c=2; K=2", "exact": true};
            each prints its JSON measurement, or {"line": n, "error": "…"} (exit 2 if any line failed)
  float64 ranks use τ = σ_max · p · ε (numpy's default) for each part`,
  run(argv, io) {
    const { values } = parseFlags(argv, { ...measureOptions, batch: { type: 'string' } });
    if (values.batch !== undefined) {
      const conflicting = Object.keys(values).filter((k) => k !== 'batch' && k !== 'force');
      if (conflicting.length > 0) throw new InputError(`--batch reads every setting from its lines: drop --${conflicting[0]}`);
      return runBatch(values.batch, io, values.force ?? false);
    }
    const { family, net, measurement: m, data, model } = measureFromFlags(values);
    const sources = { ...(model ? { model } : {}), ...(data ? { data } : {}) };
    io.out(values.json ? JSON.stringify({ ...measurementJson(m), ...sources }) : formatMeasurement(m, family.describe(net) + (model ? `, model ${model}` : '') + (data ? `, data ${data}` : '')));
    return 0;
  },
};
