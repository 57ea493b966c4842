/**
 * npm run bench: the timings the issues set targets for, on this machine.
 *   measure (H, H_O, H_F) of 30-30-30-10 (N = 2d, linear, mse, float64)
 *   the scale targets of the compressed linear path: 100-100-100-10 (N = 100, float64, peak memory),
 *   50-50-50-10 --exact (N = 100), and the largest d-M-M-10 (d = M, N = 2d) measured within 60 s
 *   a batch of 50 random small architectures (p ≤ 1000; seeded; written to bench/out/batch-50.jsonl
 *   so that a reference implementation can run the very same ones: `hessian-rank measure --batch`)
 *   predict: mean time per architecture over 2,000 random architectures (catalog already loaded)
 *   eigenvalues and exact rank (src/linalg) against LAPACK (PyTorch) and FFLAS-FFPACK (bench/linalg.ts)
 *   measure against the PyTorch float64 pipeline on 48 small linear architectures and on 50-50-50-10
 *   (bench/pipeline.ts, bench/pytorchPipeline.py)
 * Options: --quick (skip 50-50-50-10, the scale targets and the n = 4,000 kernels), --only NAME (a
 * width list such as 30-30-30-10, 100-100-100-10, exact-50-50-50-10, largest, batch, predict,
 * pipeline, pipeline-batch, pipeline-50-50-50-10, eigenvalues, rank).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fullyConnected, parameterCount, type FullyConnected } from '../src/architecture/fullyConnected.js';
import { predict } from '../src/catalog/predict.js';
import { measure } from '../src/numeric/measure.js';
import { compressedCost } from '../src/numeric/compressedLinearHessian.js';
import { RandomStream } from '../src/numeric/random.js';
import { architectureJson } from '../src/serialize.js';
import { packageRoot } from '../src/catalog/catalog.js';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { benchEigenvalues, benchExactRank } from './linalg.js';
import { benchPipeline } from './pipeline.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

function randomArchitecture(stream: RandomStream, maxParameters: number): FullyConnected {
  for (;;) {
    const L = stream.integer(1, 4);
    const widths = Array.from({ length: L + 1 }, () => stream.integer(2, 24));
    const net = fullyConnected({
      widths,
      samples: stream.integer(1, 2 * widths[0]! + 2),
      bias: stream.integer(0, 1) === 1,
      loss: stream.integer(0, 2) === 0 ? 'ce' : 'mse',
      activation: (['linear', 'relu', 'tanh'] as const)[stream.integer(0, 2)],
    });
    if (parameterCount(net) <= maxParameters) return net;
  }
}

const rows: string[][] = [];
function report(name: string, detail: string, time: string): void {
  rows.push([name, detail, time]);
  console.log(`${name.padEnd(34)} ${detail.padEnd(44)} ${time}`);
}

console.log(`hessian-rank bench, node ${process.version}, ${new Date().toISOString()}, load average ${loadavg()[0]!.toFixed(1)}`);
// (50-50-50-10, N = 100, is timed beside the PyTorch pipeline below)
for (const widths of [[30, 30, 30, 10]]) {
  const name = `measure ${widths.join('-')}`;
  if (only && only !== widths.join('-')) continue;
  const net = fullyConnected({ widths });
  const start = performance.now();
  const m = measure(net, { seed: 0 });
  const t = seconds(start);
  const dim = m.parts.H.compression?.dimension;
  report(name, `p=${m.p} N=${net.samples} H=${m.ranks.H} HO=${m.ranks.HO} HF=${m.ranks.HF}${dim ? ` (dim S ${dim})` : ''}`, `${t.toFixed(2)} s`);
}

// scale targets (compressed linear path): time, and the peak resident memory of the process so far
for (const target of [
  { widths: [100, 100, 100, 10], samples: 100, exact: false },
  { widths: [50, 50, 50, 10], samples: 100, exact: true },
]) {
  const label = `${target.exact ? 'exact-' : ''}${target.widths.join('-')}`;
  if (quick || (only && only !== label)) continue;
  const net = fullyConnected({ widths: target.widths, samples: target.samples });
  const start = performance.now();
  const m = measure(net, { seed: 0, exact: target.exact });
  const t = seconds(start);
  const dim = m.parts.H.compression?.dimension;
  const peak = process.resourceUsage().maxRSS / 2 ** 20;
  report(
    `measure ${target.exact ? '--exact ' : ''}${target.widths.join('-')}`,
    `p=${m.p} N=${net.samples} H=${m.ranks.H} HO=${m.ranks.HO} HF=${m.ranks.HF}${dim ? ` (dim S ${dim})` : ''}`,
    `${t.toFixed(2)} s (peak RSS ${peak.toFixed(2)} GiB)`,
  );
}

// the largest d-M-M-10 with d = M, N = 2d, whose three ranks take at most 60 s: start 20 below the
// largest M the size guard's estimate (compressedCost) admits in 60 s; go up by 10 while runs fit,
// down by 10 (to 20 at least) while they do not
if (!quick && (!only || only === 'largest')) {
  const estimate = (M: number): number => compressedCost(fullyConnected({ widths: [M, M, M, 10] }))?.seconds ?? Infinity;
  const run = (M: number): { M: number; p: number; t: number } => {
    const net = fullyConnected({ widths: [M, M, M, 10] });
    const start = performance.now();
    const m = measure(net, { seed: 0, force: true });
    const t = seconds(start);
    console.log(`  ${M}-${M}-${M}-10 N=${net.samples} p=${m.p}: ${t.toFixed(1)} s (estimate ${estimate(M).toFixed(0)} s, load average ${loadavg()[0]!.toFixed(1)})`);
    return { M, p: m.p, t };
  };
  let M = 30;
  while (estimate(M + 10) <= 60) M += 10;
  M = Math.max(20, M - 20);
  let largest: { M: number; p: number; t: number } | undefined;
  let result = run(M);
  if (result.t <= 60) {
    for (; result.t <= 60; result = run(result.M + 10)) largest = result;
  } else {
    while (result.t > 60 && result.M > 20) result = run(result.M - 10);
    if (result.t <= 60) largest = result;
  }
  report('largest d-M-M-10 within 60 s', largest ? `${largest.M}-${largest.M}-${largest.M}-10, N=${2 * largest.M}, p=${largest.p}` : 'none from 20 up', largest ? `${largest.t.toFixed(2)} s` : '-');
}

if (!only || only === 'batch') {
  const stream = new RandomStream(2026);
  const batch = Array.from({ length: 50 }, () => randomArchitecture(stream, 1000));
  const out = join(packageRoot(), 'bench', 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'batch-50.jsonl'),
    batch.map((net, i) => JSON.stringify({ ...architectureJson(net), seed: i })).join('\n') + '\n',
  );
  const start = performance.now();
  let totalP = 0;
  batch.forEach((net, i) => {
    totalP += parameterCount(net);
    measure(net, { seed: i });
  });
  const t = seconds(start);
  report('measure batch of 50 (p ≤ 1000)', `mean p=${(totalP / 50).toFixed(0)}, bench/out/batch-50.jsonl`, `${t.toFixed(2)} s (${((1000 * t) / 50).toFixed(0)} ms each)`);
}

if (!only || only === 'predict') {
  const stream = new RandomStream(7);
  const nets = Array.from({ length: 2000 }, () => randomArchitecture(stream, 100_000));
  predict(nets[0]!); // load the catalog once
  const start = performance.now();
  for (const net of nets) predict(net);
  const ms = (1000 * seconds(start)) / nets.length;
  report('predict (catalog loaded)', '2000 random architectures', `${ms.toFixed(3)} ms each`);
}

if (!only || only.startsWith('pipeline')) {
  const sets = only === 'pipeline-batch' || quick ? (['batch'] as const) : only === 'pipeline-50-50-50-10' ? (['large'] as const) : (['batch', 'large'] as const);
  benchPipeline(report, packageRoot(), [...sets]);
}
if (!only || only === 'eigenvalues') benchEigenvalues(report, packageRoot(), quick ? [1000, 2300] : [1000, 2300, 4000]);
if (!only || only === 'rank') benchExactRank(report, packageRoot(), quick ? [2000] : [2000, 4000]);
process.exit(0);
