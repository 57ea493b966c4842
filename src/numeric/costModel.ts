/**
 * The size guard's cost model: the measured rates of the kernels (one table for every path) and the
 * operation counts they multiply.
 *   symmetric eigenvalues of an n × n matrix:        (4/3) n³ flops          at eigenvalueFlopsPerSecond
 *   elimination modulo P of an m × n matrix, r = min(m, n) (an upper bound: it stops at the rank):
 *     m n r − (m + n) r²/2 + r³/3 multiply-adds                              at eliminationUpdatesPerSecond
 *   primes an exact part of rank ≤ u needs (src/numeric/measure.ts exactPartRanks):
 *     primesForFailureProbability(u · b),  b = 40 (L + 1) + 10 bits a row for an L-layer network
 *     (its Hessian entries are products of about 2(L + 1) numbers below 2^20; measured 150 bits a row
 *     for 50-50-50-10, L = 3, where b = 170)
 * Calibration: docs/benchmarks.md#size-guard-calibration (bench/sizeGuard.ts); recalibrate the rates
 * when a kernel changes.
 */
import { primeSetBounds, primesForFailureProbability } from '../linalg/exactRank.js';

export const costRates = {
  /** symmetric eigenvalues (src/linalg; the spectra of H and H_F on both cores), (4/3) n³ flops per solve */
  eigenvalueFlopsPerSecond: 6e9,
  /** elimination modulo P (src/linalg rankModPrime), multiply-adds per second */
  eliminationUpdatesPerSecond: 7e9,
  /** dense builders: N · (Σ_l nnz W̃_l) · p steps per second (forward-over-reverse), float64 and over Z/PZ */
  denseFloatStepsPerSecond: 1e8,
  denseExactStepsPerSecond: 4e7,
  /** entries of Qᵀ P Q built per second (compressedLinearHessian.ts), float64 or Z/PZ */
  compressedEntriesPerSecond: 7e7,
  /** fixed time of one measurement in a fresh process: kernels, worker threads, instance */
  startSeconds: 0.9,
  /** fixed memory: the worker threads and the kernels' WebAssembly memory */
  startBytes: 32 * 2 ** 20,
};

/** (4/3) n³: the flops of one symmetric eigenvalue solve. */
export function eigenvalueFlops(n: number): number {
  return (4 / 3) * n ** 3;
}

/** m n r − (m + n) r²/2 + r³/3 with r = min(m, n): multiply-adds of eliminating an m × n matrix. */
export function eliminationUpdates(m: number, n: number): number {
  const r = Math.min(m, n);
  return m * n * r - ((m + n) * r * r) / 2 + r ** 3 / 3;
}

/** The primes an exact part of rank at most u of an L-layer network is expected to need (see the top). */
export function expectedPrimes(rankBound: number, layers: number): number {
  const log2H = Math.max(1, rankBound) * (40 * (layers + 1) + 10);
  return log2H >= 22 * primeSetBounds.count ? Infinity : primesForFailureProbability(log2H);
}
