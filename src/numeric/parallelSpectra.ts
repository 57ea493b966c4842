/**
 * The spectra of two symmetric matrices at once on the machine's two cores: one on this thread, one
 * on a persistent worker thread (shared memory, Atomics.wait), so callers stay synchronous. Meanwhile
 * the linear-algebra kernels run on one thread each (src/linalg's two-thread shares are paused here
 * and off in the worker), so that two cores carry two jobs, not four threads.
 * Falls back to sequential work when no worker can run (e.g. under the TypeScript test runner, where
 * the compiled worker does not exist, with HESSIAN_RANK_THREADS=1 or after oneThreadPerMeasurement) or when the matrices are too
 * small to pay for the copy.
 */
import { Worker } from 'node:worker_threads';
import { useThreads } from '../linalg/index.js';
import { threadsWanted } from '../linalg/threads.js';
import type { Matrix } from './matrix.js';
import { symmetricSpectrum, type Spectrum } from './symmetricSpectrum.js';
import { workMatrix } from './workspace.js';

/** Below this size the copy into shared memory costs more than it saves. */
const minimumParallelSize = 150;

let worker: Worker | null | undefined;

function spectrumWorker(): Worker | null {
  if (worker !== undefined) return worker;
  worker = null;
  if (!import.meta.url.endsWith('.js') || !threadsWanted()) return worker;
  try {
    const created = new Worker(new URL('./eigenWorker.js', import.meta.url), { env: { ...process.env, HESSIAN_RANK_THREADS: '1' } });
    created.unref();
    created.on('error', () => {
      worker = null;
    });
    worker = created;
  } catch {
    worker = null;
  }
  return worker;
}

export function spectraOfBoth(a: Matrix, b: Matrix): [Spectrum, Spectrum] {
  const w = threadsWanted() ? spectrumWorker() : null;
  if (!w || b.rows < minimumParallelSize) return [symmetricSpectrum(a), symmetricSpectrum(b)];
  const n = b.rows;
  // b in place when it starts a shared buffer (workspace.ts), else copied into the reused transfer matrix
  let source = b.data;
  if (!(source.buffer instanceof SharedArrayBuffer) || source.byteOffset !== 0) source = workMatrix('transfer', n, n, b.data).data;
  const matrix = source.buffer as SharedArrayBuffer;
  const result = new SharedArrayBuffer((n + 1) * 8);
  const flag = new SharedArrayBuffer(4);
  w.postMessage({ matrix, n, result, flag });
  useThreads(false);
  let first: Spectrum;
  try {
    first = symmetricSpectrum(a);
  } finally {
    useThreads(true);
  }
  const state = new Int32Array(flag);
  Atomics.wait(state, 0, 0);
  if (Atomics.load(state, 0) !== 1) return [first, symmetricSpectrum(b)];
  const out = new Float64Array(result);
  return [first, { eigenvalues: out.slice(0, out[n]!) }];
}
