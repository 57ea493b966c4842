/**
 * Worker thread for parallelSpectra.ts: the eigenvalues of a symmetric matrix held in shared memory,
 * written back into shared memory; an Int32 flag signals completion (1 done, 2 failed). Once it listens for jobs it sets
 * workerData.running to 1: the thread that waits for it learns so that the worker started.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { symmetricSpectrum } from './symmetricSpectrum.js';

interface Job {
  /** the matrix in its first n² values (the buffer may be longer: workspace.ts) */
  matrix: SharedArrayBuffer;
  n: number;
  /** n eigenvalues, then their count */
  result: SharedArrayBuffer;
  flag: SharedArrayBuffer;
}

parentPort?.on('message', (job: Job) => {
  const flag = new Int32Array(job.flag);
  try {
    const spectrum = symmetricSpectrum({ rows: job.n, cols: job.n, data: new Float64Array(job.matrix, 0, job.n * job.n) });
    const out = new Float64Array(job.result);
    out.set(spectrum.eigenvalues);
    out[job.n] = spectrum.eigenvalues.length;
    Atomics.store(flag, 0, 1);
  } catch {
    Atomics.store(flag, 0, 2);
  }
  Atomics.notify(flag, 0);
});

// listening: the job the parent posted before this point is delivered now
const running = (workerData as { running?: SharedArrayBuffer } | null)?.running;
if (running) {
  const flag = new Int32Array(running);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
