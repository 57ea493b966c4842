import type { Convolutional } from '../../architecture/convolutional.js';
import type { FullyConnected } from '../../architecture/fullyConnected.js';
import { InputError } from '../../errors.js';
import { exportOnnx } from '../../model/onnxExport.js';
import { appendLine, checkOutputs, writeFileAtomic } from '../../report/atomicFile.js';
import { renderPgfplots } from '../../report/pgfplotsPlot.js';
import { renderSvg } from '../../report/svgPlot.js';
import { initialInstance, patternNetwork } from '../../train/patternNetwork.js';
import { optimizers, train, type Optimizer } from '../../train/train.js';
import { trainingFigure, type TrackedPoint } from '../../train/trainingFigure.js';
import type { Command } from '../command.js';
import { dataFromFlags, dataOptions, dataUsage, withSamples } from '../dataFlags.js';
import { architectureFromFlags, architectureOptions, architectureUsage, commonOptions, parseChoice, parseFlags, parseInteger } from '../flags.js';
import { rmSync } from 'node:fs';
import { layoutFromFlags } from './plot.js';

function parsePositive(text: string | undefined, what: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^[0-9.eE+-]+$/.test(text) || !Number.isFinite(value) || value <= 0) throw new InputError(`${what} must be a positive number, got "${text.slice(0, 60)}"`);
  return value;
}

export const trainCommand: Command = {
  usage: `usage: hessian-rank train ARCHITECTURE [--data …] [--targets …] [--optimizer gd|adam] [--lr η] [--steps S]
                           [--seed S] [--track K] [--out PREFIX] [--overwrite] [--force] [--json]
  ARCHITECTURE, one of:
${architectureUsage('    ')}
${dataUsage}
               (a labelled set without --targets trains on its labels; Gaussian data on targets drawn from the seed)
  --optimizer  gd (θ ← θ − η∇L) or adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8; default)
  --lr         η (default 0.01 for adam, 0.1 for gd); L is the mean loss (1/N)Σℓ_i
  --steps      full-batch steps (default 500)
  --seed       seed of the initial weights (N(0, 1/fan-in)) and of drawn data (default 0)
  --track K    measure the ranks of H, H_O, H_F (float64, τ = σ_max·p·ε) at step 0, every K steps and at the end
  --overwrite  replace PREFIX.* files that exist (refused otherwise)
  --out PREFIX write PREFIX.onnx (the trained model, float64) and with --track PREFIX.jsonl (one JSON line
               per tracked step), PREFIX.svg and PREFIX.tex (the ranks against the step)
  --width CM, --legend outside|inside|below|none   the figure's layout, as for plot (--legend: SVG too)
  --force      run the rank measurements even when the size guard estimates too much`,
  run(argv, io) {
    const { values } = parseFlags(argv, {
      ...architectureOptions,
      ...commonOptions,
      ...dataOptions,
      optimizer: { type: 'string' },
      lr: { type: 'string' },
      steps: { type: 'string' },
      seed: { type: 'string' },
      track: { type: 'string' },
      out: { type: 'string' },
      overwrite: { type: 'boolean' },
      force: { type: 'boolean' },
      width: { type: 'string' },
      legend: { type: 'string' },
    });
    const layout = layoutFromFlags(values);
    const { family, net } = architectureFromFlags(withSamples(values));
    const optimizer = parseChoice<Optimizer>(values.optimizer, optimizers, '--optimizer') ?? 'adam';
    const learningRate = parsePositive(values.lr, '--lr', optimizer === 'adam' ? 0.01 : 0.1);
    const steps = parseInteger(values.steps, '--steps', 0, 1e7) ?? 500;
    const seed = parseInteger(values.seed, '--seed') ?? 0;
    const track = parseInteger(values.track, '--track', 1);
    if (track !== undefined && values.out === undefined && !values.json) throw new InputError('--track needs --out PREFIX (where the log and figure go) or --json');
    if (values.out !== undefined) {
      const tracked = track !== undefined ? ['jsonl', 'svg', 'tex'] : [];
      checkOutputs(['onnx', ...tracked].map((ext) => `${values.out}.${ext}`), values.overwrite);
    }
    const shape = family.shape(net);
    const labelled = values.data !== undefined && values.targets === undefined && (values.data === 'digits' || values.data === 'fashion-mnist');
    const loaded = dataFromFlags(labelled ? { ...values, targets: 'labels' } : values, { ...shape, loss: net.loss });
    const typed = net as FullyConnected | Convolutional;
    const network = patternNetwork(typed);
    const start = initialInstance(typed, seed, { inputs: loaded.inputs, targets: loaded.targets });
    const description = family.describe(net) + (loaded.data ? `, data ${loaded.data.name}` : '');
    const log = values.out !== undefined && track !== undefined ? `${values.out}.jsonl` : undefined;
    if (log) rmSync(log, { force: true });
    const tracked: TrackedPoint[] = [];
    const started = performance.now();
    const measureAt = (step: number, loss: number, accuracy: number, theta: Float64Array) => {
      const m = family.measure(net, { seed, weights: Float64Array.from(theta), inputs: start.inputs, targets: start.targets, force: values.force });
      const point = { step, loss, accuracy, p: m.p, r: m.r, ranks: m.ranks, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) };
      tracked.push(point);
      const line = JSON.stringify(point);
      if (log) appendLine(log, line);
      if (values.json) io.out(line);
      else io.out(`step ${step}: loss ${loss.toPrecision(4)}, accuracy ${accuracy.toFixed(3)}; rank H ${m.ranks.H ?? 'undetermined'}, H_O ${m.ranks.HO ?? 'undetermined'}, H_F ${m.ranks.HF ?? 'undetermined'} of p = ${m.p} (${point.seconds} s)`);
    };
    const result = train(network, start.theta, start.inputs, start.targets, { optimizer, learningRate, steps }, (step, theta) => {
      if (track !== undefined && (step.step % track === 0 || step.step === steps)) measureAt(step.step, step.loss, step.accuracy, theta);
    });
    const final = result.history[result.history.length - 1]!;
    const summary = `${description}: ${optimizer}, η = ${learningRate}, ${steps} steps, seed ${seed}: loss ${result.history[0]!.loss.toPrecision(4)} → ${final.loss.toPrecision(4)}, accuracy ${final.accuracy.toFixed(3)} (${((performance.now() - started) / 1000).toFixed(1)} s)`;
    if (values.out !== undefined) {
      writeFileAtomic(`${values.out}.onnx`, exportOnnx(typed, result.theta));
      if (track !== undefined) {
        const figure = { ...trainingFigure(tracked, description, network.parameters), ...(layout ? { layout } : {}) };
        writeFileAtomic(`${values.out}.svg`, renderSvg(figure));
        writeFileAtomic(`${values.out}.tex`, renderPgfplots(figure));
      }
    }
    if (values.json) io.out(JSON.stringify({ summary: { optimizer, learningRate, steps, seed, loss: final.loss, accuracy: final.accuracy, model: values.out ? `${values.out}.onnx` : null } }));
    else {
      io.out(summary);
      if (values.out !== undefined) io.out(`wrote ${values.out}.onnx${track !== undefined ? `, ${values.out}.jsonl, ${values.out}.svg, ${values.out}.tex` : ''}`);
    }
    return 0;
  },
};
