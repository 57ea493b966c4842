/**
 * `measure` side by side with the PyTorch float64 pipeline (bench/pytorchPipeline.py: autograd
 * Hessian, H_O = JᵀJ, H_F as its own sum, torch.linalg.eigvalsh, τ = σ_max · p · ε), in one run:
 *   a batch of 48 random small linear mse architectures (seeded, p ≤ 1000, bias on and off;
 *   bench/out/linear-48.jsonl), and 50-50-50-10 with N = 100 (bench/out/50-50-50-10.jsonl).
 * Times, both sides wall-clock:
 *   per network: the sum over the networks of each side's own time for build + ranks, process
 *     start-up and imports excluded (ours in this process, PyTorch's as the script reports it);
 *   process: the whole command, start-up and imports included (ours `hessian-rank measure --batch`,
 *     PyTorch `python3 bench/pytorchPipeline.py`).
 * Each side draws its own Gaussian instance from the seed, so the ranks compared are generic ranks:
 * every rank where the two differ is printed (ours undetermined in float64 is counted apart).
 * Skipped with one line when python3 cannot import torch (Debian python3-torch).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { fullyConnected, parameterCount, type FullyConnected } from '../src/architecture/fullyConnected.js';
import { measure, quantities, type Measurement } from '../src/numeric/measure.js';
import { RandomStream } from '../src/numeric/random.js';
import { architectureJson } from '../src/serialize.js';
import { torchPython, type Report } from './linalg.js';

/** The batch: 48 linear mse networks, depth 1 to 4, widths 2 to 24, N from 1 to 2d + 2, p ≤ 1000. */
export function linearBatch(count = 48, seed = 2027, maxParameters = 1000): FullyConnected[] {
  const stream = new RandomStream(seed);
  const batch: FullyConnected[] = [];
  while (batch.length < count) {
    const L = stream.integer(1, 4);
    const widths = Array.from({ length: L + 1 }, () => stream.integer(2, 24));
    const net = fullyConnected({ widths, samples: stream.integer(1, 2 * widths[0]! + 2), bias: stream.integer(0, 1) === 1 });
    if (parameterCount(net) <= maxParameters) batch.push(net);
  }
  return batch;
}

interface TorchRanks {
  line: number;
  p: number;
  H: number;
  HO: number;
  HF: number;
  seconds: number;
  /** of `seconds`, LAPACK's eigvalsh on the p × p matrices H and H_F alone */
  eigenSeconds?: number;
}

const load = (): string => `load average ${loadavg()[0]!.toFixed(1)}`;

function timed<T>(f: () => T): { value: T; seconds: number } {
  const start = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - start) / 1000 };
}

/** One set of networks on both sides: two report lines (per network, process), mismatches printed. */
function sideBySide(report: Report, root: string, python: string | undefined, name: string, nets: FullyConnected[]): void {
  const out = join(root, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  const file = join(out, `${name}.jsonl`);
  writeFileSync(file, nets.map((net, i) => JSON.stringify({ ...architectureJson(net), seed: i })).join('\n') + '\n');
  const meanP = nets.reduce((s, net) => s + parameterCount(net), 0) / nets.length;
  const label = nets.length === 1 ? name : `batch of ${nets.length} linear (mean p ${meanP.toFixed(0)})`;

  // ours, in this process (modules loaded, kernels compiled: the first network pays nothing extra)
  measure(fullyConnected({ widths: [2, 2] }), { seed: 0 });
  const ours = timed(() => nets.map((net, i) => measure(net, { seed: i })));
  const oursProcess = timed(() =>
    spawnSync(process.execPath, [join(root, 'bin', 'hessian-rank'), 'measure', '--batch', file], { encoding: 'utf8', maxBuffer: 1 << 28 }),
  );
  const oursLoad = load();
  if (oursProcess.value.status !== 0) console.log(`${label}: hessian-rank measure --batch failed (${oursProcess.value.stderr.trim().split('\n').pop()})`);
  if (!python) {
    report(`pipeline ${label}`, `ours per network, ${oursLoad}; PyTorch skipped`, `${ours.seconds.toFixed(2)} s`);
    return;
  }
  const torch = timed(() => spawnSync(python, [join(root, 'bench', 'pytorchPipeline.py'), file], { encoding: 'utf8', timeout: 3_600_000 }));
  const torchLoad = load();
  if (torch.value.status !== 0) {
    console.log(`${label}: the PyTorch pipeline failed (${torch.value.stderr.trim().split('\n').pop()}), skipped`);
    return;
  }
  const lines = torch.value.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Partial<TorchRanks> & { import?: number });
  const imported = lines.find((l) => l.import !== undefined)?.import ?? NaN;
  const reference = lines.filter((l): l is TorchRanks => l.line !== undefined);
  const torchPerNetwork = reference.reduce((s, r) => s + r.seconds, 0);
  const torchEigen = reference.reduce((s, r) => s + (r.eigenSeconds ?? NaN), 0);
  const { mismatches, undetermined } = compareRanks(ours.value, reference);
  for (const m of mismatches) console.log(`  MISMATCH ${m}`);
  const compared = `${nets.length * 3 - undetermined} ranks compared, ${mismatches.length} differ${undetermined ? `, ${undetermined} undetermined in float64 on our side` : ''}`;
  report(
    `pipeline ${label}, per network`,
    `PyTorch ${torchPerNetwork.toFixed(2)} s (${torchLoad}), ours ${oursLoad}: ${(torchPerNetwork / ours.seconds).toFixed(1)}x faster`,
    `${ours.seconds.toFixed(2)} s`,
  );
  // the ceiling: a pipeline that diagonalises H and H_F at LAPACK's speed cannot beat this ratio
  if (Number.isFinite(torchEigen))
    console.log(
      `  ${label}: PyTorch's eigvalsh on H and H_F alone took ${torchEigen.toFixed(2)} s of its ${torchPerNetwork.toFixed(2)} s; ` +
        `a pipeline that diagonalises those two p × p matrices at LAPACK's speed is at most ${(torchPerNetwork / torchEigen).toFixed(1)}x faster`,
    );
  report(
    `pipeline ${label}, process`,
    `PyTorch ${torch.seconds.toFixed(2)} s (import ${imported.toFixed(2)} s): ${(torch.seconds / oursProcess.seconds).toFixed(1)}x faster; ${compared}`,
    `${oursProcess.seconds.toFixed(2)} s`,
  );
}

function compareRanks(ours: Measurement[], reference: TorchRanks[]): { mismatches: string[]; undetermined: number } {
  const mismatches: string[] = [];
  let undetermined = 0;
  ours.forEach((m, i) => {
    const r = reference.find((t) => t.line === i + 1);
    if (!r) {
      mismatches.push(`line ${i + 1}: no PyTorch result`);
      return;
    }
    for (const q of quantities) {
      if (m.ranks[q] === null) undetermined++;
      else if (m.ranks[q] !== r[q]) mismatches.push(`line ${i + 1} ${JSON.stringify(architectureJson(m.architecture))} ${q}: ours ${m.ranks[q]}, PyTorch ${r[q]}`);
    }
  });
  return { mismatches, undetermined };
}

export function benchPipeline(report: Report, root: string, sets: ('batch' | 'large')[] = ['batch', 'large']): void {
  const python = torchPython();
  if (!python) console.log('pipeline: PyTorch not installed (Debian python3-torch), the PyTorch pipeline is skipped');
  if (sets.includes('batch')) sideBySide(report, root, python, 'linear-48', linearBatch());
  if (sets.includes('large')) sideBySide(report, root, python, '50-50-50-10', [fullyConnected({ widths: [50, 50, 50, 10], samples: 100 })]);
}
