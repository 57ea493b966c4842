/**
 * Worker thread for parallelSpectra.ts: the spectrum of a symmetric matrix held in shared memory
 * (with an optional range basis), written back into shared memory; an Int32 flag signals completion
 * (1 done, 2 failed).
 */
import { parentPort } from 'node:worker_threads';
import type { RangeBasis } from './rangeCompression.js';
import { symmetricSpectrum } from './symmetricSpectrum.js';

interface Job {
  matrix: SharedArrayBuffer;
  n: number;
  basis?: RangeBasis;
  /** n eigenvalues, then [count, compressed (0/1), dimension, residual, outside] */
  result: SharedArrayBuffer;
  flag: SharedArrayBuffer;
}

parentPort?.on('message', (job: Job) => {
  const flag = new Int32Array(job.flag);
  try {
    const spectrum = symmetricSpectrum({ rows: job.n, cols: job.n, data: new Float64Array(job.matrix) }, job.basis);
    const out = new Float64Array(job.result);
    out.set(spectrum.eigenvalues);
    const c = spectrum.compression;
    out.set([spectrum.eigenvalues.length, c ? 1 : 0, c?.dimension ?? 0, c?.residual ?? 0, c?.outside ?? 0], job.n);
    Atomics.store(flag, 0, 1);
  } catch {
    Atomics.store(flag, 0, 2);
  }
  Atomics.notify(flag, 0);
});
