/**
 * Calibration of the size guard (docs/benchmarks.md#size-guard-calibration): for each path — dense
 * float64 and dense exact (ReLU mse, fully connected and CNN), compressed linear float64 and
 * compressed exact (linear mse) — and a few N, the measured time and peak memory next to the
 * estimate (src/numeric/measure.ts estimateCost, src/cnn/measure.ts estimateConvolutionalCost).
 * Each case runs in a fresh process: time of `measure` inside it, memory = its peak resident set
 * minus the peak of a process that loads everything and measures a tiny network (the baseline).
 *   npm run build && node dist/bench/sizeGuard.js [--only PATH]     (PATH: float, exact, compressed, compressed-exact, cnn)
 *   node dist/bench/sizeGuard.js --case I                          (one case, one JSON line: what the first runs)
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseConvolutional } from '../src/architecture/convolutional.js';
import { fullyConnected, parameterCount } from '../src/architecture/fullyConnected.js';
import { estimateConvolutionalCost, measureConvolutional } from '../src/cnn/measure.js';
import { convolutionalParameterCount } from '../src/architecture/convolutional.js';
import { estimateCost, measure, type MeasurementCost } from '../src/numeric/measure.js';

interface Case {
  path: 'float' | 'exact' | 'compressed' | 'compressed-exact' | 'cnn';
  label: string;
  p: () => number;
  estimate: () => MeasurementCost;
  run: () => void;
}

function fullyConnectedCase(path: Case['path'], widths: number[], samples: number, activation: 'relu' | 'linear', exact: boolean): Case {
  const net = fullyConnected({ widths, samples, activation, loss: 'mse' });
  return {
    path,
    label: `${widths.join('-')} ${activation}, N=${samples}${exact ? ', exact' : ''}`,
    p: () => parameterCount(net),
    estimate: () => estimateCost(net, exact),
    run: () => void measure(net, { seed: 1, exact, force: true }),
  };
}

function convolutionalCase(spec: string, samples: number, exact: boolean): Case {
  const net = parseConvolutional(spec, { samples, activation: 'relu' });
  return {
    path: 'cnn',
    label: `CNN "${spec}" relu, N=${samples}${exact ? ', exact' : ''}`,
    p: () => convolutionalParameterCount(net),
    estimate: () => estimateConvolutionalCost(net, exact),
    run: () => void measureConvolutional(net, { seed: 1, exact, force: true }),
  };
}

export const cases: Case[] = [
  fullyConnectedCase('float', [10, 20, 15, 5], 10, 'relu', false),
  fullyConnectedCase('float', [20, 30, 30, 5], 10, 'relu', false),
  fullyConnectedCase('float', [20, 30, 30, 5], 40, 'relu', false),
  fullyConnectedCase('float', [30, 30, 40, 5], 10, 'relu', false),
  fullyConnectedCase('exact', [10, 20, 15, 5], 10, 'relu', true),
  fullyConnectedCase('exact', [20, 30, 30, 5], 10, 'relu', true),
  fullyConnectedCase('exact', [20, 30, 30, 5], 40, 'relu', true),
  fullyConnectedCase('compressed', [30, 30, 30, 10], 60, 'linear', false),
  fullyConnectedCase('compressed', [50, 50, 50, 10], 50, 'linear', false),
  fullyConnectedCase('compressed', [50, 50, 50, 10], 100, 'linear', false),
  fullyConnectedCase('compressed', [70, 70, 70, 10], 140, 'linear', false),
  fullyConnectedCase('compressed-exact', [30, 30, 30, 10], 60, 'linear', true),
  fullyConnectedCase('compressed-exact', [50, 50, 50, 10], 50, 'linear', true),
  fullyConnectedCase('compressed-exact', [50, 50, 50, 10], 100, 'linear', true),
  convolutionalCase('in=10x10; conv k=3 c=4; conv k=3 c=4; K=4', 20, false),
  convolutionalCase('in=10x10; conv k=3 c=4; conv k=3 c=4; K=4', 20, true),
];

const args = process.argv.slice(2);
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

if (args[0] === '--case') {
  const index = Number(args[1]);
  const started = performance.now();
  if (index < 0) measure(fullyConnected({ widths: [3, 3, 2] }), { seed: 1, exact: false });
  else cases[index]!.run();
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ seconds, peak: process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
} else {
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const self = fileURLToPath(import.meta.url);
  const child = (index: number): { seconds: number; peak: number } => {
    const run = spawnSync(process.execPath, [self, '--case', String(index)], { encoding: 'utf8', timeout: 1_800_000 });
    if (run.status !== 0) throw new Error(`case ${index} failed: ${run.stderr.trim().split('\n').pop()}`);
    return JSON.parse(run.stdout.trim().split('\n').pop()!) as { seconds: number; peak: number };
  };
  const baseline = child(-1).peak;
  console.log(`size guard calibration, ${new Date().toISOString()}, baseline peak RSS ${mib(baseline)} MiB`);
  console.log('| path | case | p | measured | estimate | estimate / measured | memory estimate | peak RSS − baseline | load average |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  cases.forEach((c, index) => {
    if (only && c.path !== only) return;
    const estimate = c.estimate();
    const measured = child(index);
    console.log(
      `| ${c.path} | ${c.label} | ${c.p()} | ${measured.seconds.toFixed(2)} s | ${estimate.seconds.toFixed(2)} s | ${(estimate.seconds / measured.seconds).toFixed(2)} | ` +
        `${mib(estimate.bytes)} MiB | ${mib(measured.peak - baseline)} MiB | ${loadavg()[0]!.toFixed(1)} |`,
    );
  });
}
