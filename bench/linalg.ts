/**
 * The linear-algebra kernels side by side with the references, in one run, as ratios:
 *   symmetric eigenvalues (src/linalg) vs LAPACK through PyTorch's torch.linalg.eigvalsh (float64),
 *     n = 1,000, 2,300, 4,000, on random symmetric Gaussian matrices (each side draws its own);
 *   rank modulo 65521 (src/linalg) vs FFLAS-FFPACK's FFPACK::Rank, n = 2,000, 4,000, on random
 *     matrices (full rank, the most work), through a small C++ driver compiled here with g++.
 * Each reference is skipped with one line when it is not installed (Debian: python3-torch;
 * fflas-ffpack, libgivaro-dev, g++). Times are wall-clock, best of two runs on each side; ours with
 * its two threads and on one thread (useThreads(false), what HESSIAN_RANK_THREADS=1 does), with the
 * ratio one thread / two threads: the second core's share.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { awaitHelper, rankModPrime, symmetricEigenvalues, useThreads } from '../src/linalg/index.js';
import type { Matrix } from '../src/numeric/matrix.js';
import { RandomStream } from '../src/numeric/random.js';
import { primeField } from '../src/numeric/ring.js';

export type Report = (name: string, detail: string, time: string) => void;

function best(runs: number, f: () => void): number {
  let t = Infinity;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    f();
    t = Math.min(t, (performance.now() - start) / 1000);
  }
  return t;
}

const load = (): string => `load average ${loadavg()[0]!.toFixed(1)}`;

function randomSymmetric(n: number, seed: number): Matrix {
  const b = new RandomStream(seed).gaussianArray(n * n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = (b[i * n + j]! + b[j * n + i]!) / 2;
  return { rows: n, cols: n, data: a };
}

/** The first python3 that imports torch, or undefined: the one detection of the PyTorch references. */
export function torchPython(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

function jsonLines(stdout: string): { n: number; seconds: number; rank?: number; threads?: number }[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { n: number; seconds: number });
}

export function benchEigenvalues(report: Report, root: string, sizes = [1000, 2300, 4000]): void {
  const python = torchPython();
  let lapack = new Map<number, number>();
  if (!python) console.log('eigenvalues: PyTorch not installed (Debian python3-torch), LAPACK reference skipped');
  else {
    const run = spawnSync(python, [join(root, 'bench', 'eigvalsh.py'), '1', ...sizes.map(String)], { encoding: 'utf8', timeout: 1_800_000 });
    if (run.status !== 0) console.log(`eigenvalues: the PyTorch reference failed (${run.stderr.trim().split('\n').pop()}), skipped`);
    else lapack = new Map(jsonLines(run.stdout).map((r) => [r.n, r.seconds]));
  }
  awaitHelper(10);
  for (const n of sizes) {
    const A = randomSymmetric(n, n);
    const runs = n >= 4000 ? 1 : 2;
    useThreads(false);
    const one = best(runs, () => symmetricEigenvalues(A));
    useThreads(true);
    const two = best(runs, () => symmetricEigenvalues(A));
    const reference = lapack.get(n);
    const ratio = reference ? `, ${(two / reference).toFixed(1)}x LAPACK's ${reference.toFixed(2)} s` : '';
    report(`eigenvalues n=${n}`, `1 thread ${one.toFixed(2)} s (${(one / two).toFixed(2)}x 2 threads' time)${ratio}; ${load()}`, `${two.toFixed(2)} s`);
  }
}

export function benchExactRank(report: Report, root: string, sizes = [2000, 4000], prime = 65521): void {
  const out = join(root, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  const driver = join(out, 'fflasRank');
  let fflas = new Map<number, number>();
  const headers = existsSync('/usr/include/fflas-ffpack/fflas-ffpack.h');
  const flags = spawnSync('pkg-config', ['--cflags', '--libs', 'fflas-ffpack'], { encoding: 'utf8' });
  if (!headers || flags.status !== 0 || spawnSync('g++', ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.log('exact rank: FFLAS-FFPACK or g++ not installed (Debian fflas-ffpack, libgivaro-dev, g++), reference skipped');
  } else {
    const build = spawnSync('g++', ['-O3', '-march=native', '-o', driver, join(root, 'bench', 'fflasRank.cpp'), ...flags.stdout.trim().split(/\s+/)], {
      encoding: 'utf8',
    });
    if (build.status !== 0) console.log(`exact rank: the FFLAS-FFPACK driver did not compile (${build.stderr.trim().split('\n')[0]}), skipped`);
    else {
      const run = spawnSync(driver, ['1', String(prime), ...sizes.map(String)], { encoding: 'utf8', timeout: 1_800_000 });
      if (run.status !== 0) console.log('exact rank: the FFLAS-FFPACK driver failed, skipped');
      else fflas = new Map(jsonLines(run.stdout).map((r) => [r.n, r.seconds]));
    }
  }
  awaitHelper(10);
  const field = primeField(prime);
  for (const n of sizes) {
    const stream = new RandomStream(n);
    const A = { rows: n, cols: n, data: Float64Array.from({ length: n * n }, () => stream.integer(0, prime - 1)) };
    let rank = 0;
    useThreads(false);
    const one = best(n >= 4000 ? 1 : 2, () => (rank = rankModPrime(A, field)));
    useThreads(true);
    const ours = best(2, () => (rank = rankModPrime(A, field)));
    const reference = fflas.get(n);
    const ratio = reference ? `, ${(ours / reference).toFixed(1)}x FFLAS-FFPACK's ${reference.toFixed(2)} s` : '';
    report(`rank mod ${prime} n=${n}`, `rank ${rank}, 1 thread ${one.toFixed(2)} s (${(one / ours).toFixed(2)}x 2 threads' time)${ratio}; ${load()}`, `${ours.toFixed(2)} s`);
  }
}
