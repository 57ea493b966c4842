/**
 * The second core: one helper worker thread that instantiates the same kernels on the same shared
 * memory and waits inside helper_loop (c/threads.c) for shares of GEMMs and symmetric matrix–vector
 * products. Started with the kernels; used once it reports ready. HESSIAN_RANK_THREADS=1, or a
 * machine with one core, keeps everything on the calling thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** The helper's program (CommonJS, evaluated in the worker): attach, take its own stack, loop. */
const helperSource = `
const { workerData } = require('node:worker_threads');
const instance = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } });
instance.exports.__stack_pointer.value = workerData.stackTop;
instance.exports.helper_loop(workerData.work);
`;

export interface HelperLayout {
  /** top of the helper's stack (it grows down) and the start of its GEMM work space (byte offsets) */
  stackTop: number;
  work: number;
}

/** Set by wasm.ts oneThreadPerMeasurement: this thread's measurements keep to it (its caller runs several at once). */
let oneThread = false;

export function threadsWanted(): boolean {
  return !oneThread && availableParallelism() >= 2 && process.env.HESSIAN_RANK_THREADS !== '1';
}

/** wasm.ts oneThreadPerMeasurement: from now on threadsWanted() is false on this thread. */
export function keepToOneThread(): void {
  oneThread = true;
}

/** Starts the helper on the kernels' module and memory; an error in it turns the two-thread shares off. */
export function startHelper(k: { module: WebAssembly.Module; memory: WebAssembly.Memory; exports: { set_threads(enabled: number): void } }, layout: HelperLayout): Worker | null {
  try {
    const worker = new Worker(helperSource, { eval: true, workerData: { module: k.module, memory: k.memory, ...layout } });
    worker.unref();
    worker.on('error', () => k.exports.set_threads(0));
    return worker;
  } catch {
    return null;
  }
}
