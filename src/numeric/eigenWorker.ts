/**
 * Worker thread for parallelEigenvalues.ts: computes the eigenvalues of a symmetric matrix held in
 * shared memory and signals completion through an Int32 flag (1 done, 2 failed).
 */
import { parentPort } from 'node:worker_threads';
import { symmetricEigenvalues } from './symmetricEigenvalues.js';

interface Job {
  matrix: SharedArrayBuffer;
  n: number;
  result: SharedArrayBuffer;
  flag: SharedArrayBuffer;
}

parentPort?.on('message', (job: Job) => {
  const flag = new Int32Array(job.flag);
  try {
    const values = symmetricEigenvalues({ rows: job.n, cols: job.n, data: new Float64Array(job.matrix) });
    new Float64Array(job.result).set(values);
    Atomics.store(flag, 0, 1);
  } catch {
    Atomics.store(flag, 0, 2);
  }
  Atomics.notify(flag, 0);
});
