/**
 * The WebAssembly kernels (linalg.wasm, built from src/linalg/c by src/linalg/build.sh and committed,
 * so `npm ci` needs no compiler): loaded once per thread, synchronously, on a shared
 * WebAssembly.Memory that worker threads attach to (threads.ts).
 *
 * Memory discipline: calls are synchronous and not re-entrant, so each call takes its buffers from
 * an arena that starts at __heap_base and is released when the call returns. The memory grows on
 * demand and never shrinks (wasm32: at most 4 GiB).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TooLargeError } from '../errors.js';
import { keepToOneThread, startHelper, threadsWanted } from './threads.js';

export interface KernelExports {
  __heap_base: WebAssembly.Global;
  __stack_pointer: WebAssembly.Global;
  gemm_work_size(): number;
  gemm(
    m: number, n: number, K: number, alpha: number,
    A: number, ars: number, acs: number, B: number, brs: number, bcs: number,
    C: number, crs: number, ccs: number, lower: number, modulus: number, work: number,
  ): void;
  mirror_lower(n: number, C: number, crs: number, ccs: number): void;
  symmetric_eigenvalues_work(n: number): number;
  symmetric_eigenvalues(n: number, A: number, values: number, work: number): number;
  symmetric_eigensystem_work(n: number): number;
  symmetric_eigensystem(n: number, A: number, values: number, Z: number, work: number): number;
  tridiagonal_bisection_only(n: number, d: number, e: number, work: number, values: number): void;
  tridiagonal_ql_only(n: number, d: number, e: number): number;
  set_ql_sweeps(sweeps: number): void;
  one_sided_jacobi(k: number, n: number, B: number, Q: number): number;
  rank_mod_prime_work(m: number, n: number): number;
  rank_mod_prime(m: number, n: number, A: number, P: number, work: number, pivots: number): number;
  set_threads(enabled: number): void;
  helper_is_ready(): number;
}

/** Where linalg.wasm is: next to this module (sources, tests) or in src/linalg of the package (dist). */
export function wasmPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [join(dir, 'linalg.wasm'), join(dir, 'src', 'linalg', 'linalg.wasm')]) {
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find src/linalg/linalg.wasm of hessian-rank');
    dir = parent;
  }
}

const pageBytes = 65536;
const maximumPages = 65536;

/** wasm32's address space: the most any kernel call can hold. */
export const wasmMemoryLimit = maximumPages * 65536;

/** WebAssembly memory one kernel call on an n × n matrix takes: the matrix, 2·64 panel columns, 64 MiB of the rest. */
export function kernelMatrixBytes(n: number): number {
  return 8 * (n * n + 2 * 64 * n) + 64 * 2 ** 20;
}

export interface Kernels {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  exports: KernelExports;
}

let loaded: Kernels | undefined;
let compiled: WebAssembly.Module | undefined;

export function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(wasmPath()));
  return compiled;
}

/** Instantiates the kernels on `memory` (a new shared memory when none is given). */
export function instantiate(module: WebAssembly.Module, memory?: WebAssembly.Memory): Kernels {
  memory ??= new WebAssembly.Memory({ initial: 64, maximum: maximumPages, shared: true });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { module, memory, exports: instance.exports as unknown as KernelExports };
}

let threads: 'off' | 'starting' | 'on' = 'off';
let threadsAllowed = true;

/**
 * This thread's kernels. The first call also starts the helper thread (threads.ts); later calls
 * switch the two-thread shares on as soon as it is ready.
 */
export function kernels(): Kernels {
  if (!loaded) {
    loaded = instantiate(kernelModule());
    const base = Number(loaded.exports.__heap_base.value);
    if (threadsWanted() && startHelper(loaded, { stackTop: align(base + workerStackBytes - 16), work: align(base + workerStackBytes) })) threads = 'starting';
  }
  if (threads === 'starting' && threadsAllowed && loaded.exports.helper_is_ready()) {
    loaded.exports.set_threads(1);
    threads = 'on';
  }
  return loaded;
}

/** Whether GEMMs and matrix–vector products are currently split over two threads. */
export function threadsActive(): boolean {
  return threads === 'on';
}

/** Test and benchmark hook: run on one thread (false) or two when the helper is ready (true). */
export function useThreads(on: boolean): void {
  threadsAllowed = on;
  const k = kernels();
  if (!on) {
    k.exports.set_threads(0);
    if (threads === 'on') threads = 'starting';
  } else if (threads !== 'off' && k.exports.helper_is_ready()) {
    k.exports.set_threads(1);
    threads = 'on';
  }
}

/**
 * From now on this thread's measurements run on it alone: no helper thread for the kernels (paused if
 * it runs, not started if not), no second core for a pair of spectra (src/numeric/parallelSpectra.ts),
 * as HESSIAN_RANK_THREADS=1 does. For a caller that keeps both cores busy with whole measurements
 * (src/cli/measureBatch.ts).
 */
export function oneThreadPerMeasurement(): void {
  keepToOneThread();
  if (loaded) useThreads(false);
}

/** Waits (blocking, at most `seconds`) until the helper thread is ready; false if it never was. */
export function awaitHelper(seconds = 5): boolean {
  const k = kernels();
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; threads === 'starting' && !k.exports.helper_is_ready() && waited < seconds * 1000; waited += 5) {
    Atomics.wait(pause, 0, 0, 5);
    kernels();
  }
  return threads !== 'off' && k.exports.helper_is_ready() === 1;
}

/**
 * Buffers for one call, carved from the linear memory above the heap base (8-byte aligned offsets,
 * 16-byte aligned starts). `f64(offset, length)` views must be re-taken after any allocation, since
 * growing the memory replaces its buffer.
 */
export class Arena {
  private top: number;
  constructor(private readonly k: Kernels = kernels()) {
    this.top = align(Number(k.exports.__heap_base.value) + arenaStart);
  }

  /** Byte offset of a fresh array of `length` doubles (contents undefined). */
  allocate(length: number): number {
    const offset = this.top;
    const end = align(offset + 8 * Math.max(length, 1));
    const needed = Math.ceil(end / pageBytes);
    const current = this.k.memory.buffer.byteLength / pageBytes;
    if (needed > current) {
      if (needed > maximumPages) throw new TooLargeError(`this needs ${(end / 2 ** 30).toFixed(1)} GiB inside the linear-algebra kernels, beyond WebAssembly's 4 GiB`);
      this.k.memory.grow(needed - current);
    }
    this.top = end;
    return offset;
  }

  /** Allocates and copies `values` in. */
  put(values: ArrayLike<number>): number {
    const offset = this.allocate(values.length);
    this.f64(offset, values.length).set(values);
    return offset;
  }

  f64(offset: number, length: number): Float64Array {
    return new Float64Array(this.k.memory.buffer, offset, length);
  }

  /** A copy out of linear memory. */
  take(offset: number, length: number): Float64Array {
    return this.f64(offset, length).slice();
  }
}

/** Space kept above the heap base for the helper thread: its stack, then its GEMM work space. */
export const workerStackBytes = 1 << 20;
const arenaStart = workerStackBytes + (8 << 20);

function align(offset: number): number {
  return Math.ceil(offset / 16) * 16;
}
