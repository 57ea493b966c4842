/**
 * The spectra of two symmetric matrices at once on the machine's two cores: one on this thread, one
 * on a persistent worker thread (shared memory, Atomics.wait), so callers stay synchronous. Meanwhile
 * the linear-algebra kernels run on one thread each (src/linalg's two-thread shares are paused here
 * and off in the worker), so that two cores carry two jobs, not four threads.
 * Falls back to sequential work when no worker can run (e.g. under the TypeScript test runner, where
 * the compiled worker does not exist, with HESSIAN_RANK_THREADS=1 or after oneThreadPerMeasurement) or when the matrices are too
 * small to pay for the copy. The worker reports that it runs through a shared flag (its 'error' event cannot reach a thread
 * that waits): a worker that has not reported within `startTimeout` of the first job, e.g. because its script failed to load,
 * is given up and the second spectrum is computed here, so a broken worker costs that wait once and never hangs.
 */
import { Worker } from 'node:worker_threads';
import { useThreads } from '../linalg/index.js';
import { threadsWanted } from '../linalg/threads.js';
import type { Matrix } from './matrix.js';
import { symmetricSpectrum, type Spectrum } from './symmetricSpectrum.js';
import { workMatrix } from './workspace.js';

/** Below this size the copy into shared memory costs more than it saves. */
const minimumParallelSize = 150;

/** How long the first job waits for a worker that has not reported running (its start takes well under a second). */
const startTimeout = 5_000;

let worker: Worker | null | undefined;
/** Set to 1 by the worker once it listens for jobs (src/numeric/eigenWorker.ts). */
let running: Int32Array | undefined;

function spectrumWorker(): Worker | null {
  if (worker !== undefined) return worker;
  worker = null;
  if (!import.meta.url.endsWith('.js') || !threadsWanted()) return worker;
  try {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const created = new Worker(new URL('./eigenWorker.js', import.meta.url), { env: { ...process.env, HESSIAN_RANK_THREADS: '1' }, workerData: { running: flag.buffer } });
    created.unref();
    created.on('error', () => {
      worker = null;
    });
    worker = created;
    running = flag;
  } catch {
    worker = null;
  }
  return worker;
}

/** The worker gives no sign of running after `startTimeout`: no more jobs for it. */
function giveUp(w: Worker): void {
  worker = null;
  void w.terminate();
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
  // a worker that has not started by now (its script did not load, or it crashed on start) would never answer
  if (Atomics.wait(running!, 0, 0, startTimeout) === 'timed-out') {
    giveUp(w);
    return [first, symmetricSpectrum(b)];
  }
  const state = new Int32Array(flag);
  Atomics.wait(state, 0, 0);
  if (Atomics.load(state, 0) !== 1) return [first, symmetricSpectrum(b)];
  const out = new Float64Array(result);
  return [first, { eigenvalues: out.slice(0, out[n]!) }];
}
