/**
 * Reused storage for the large work matrices of a measurement: H and H_F (or Qᵀ H Q and Qᵀ H_F Q),
 * the copy handed to the second core (parallelSpectra.ts) and the scratch block of the linear
 * builder (linearNetworkHessian.ts addFunctional).
 *
 * Why: the first write to freshly allocated memory costs far more than a rewrite (page faults). On
 * the project's 2-core machine (a virtual machine) filling a new 900 × 900 float64 matrix took 50 to
 * 280 ms, refilling it 0.2 ms; a batch of networks would otherwise fault in new p × p matrices for
 * each one. Measured with `node -e` (allocate, fill, fill again), 2026-11-29.
 *
 * A slot's matrix is zero-filled and valid until the same slot is taken again, so only code that is
 * done with it before it returns takes one (measure.ts measureInstance and its exact ranks,
 * compressedLinearHessian.ts, parallelSpectra.ts, the builder's scratch block); hessianParts()
 * without `reuse` allocates afresh. Each slot
 * reserves `retainedBytes` of address space once (pages are only committed where written); a
 * larger matrix is allocated afresh and not kept.
 */
import type { Matrix } from './matrix.js';

export type WorkSlot = 'hessian' | 'functional' | 'transfer' | 'block';

/** Most bytes a slot keeps (a p × p matrix up to p = 2,896). */
export const retainedBytes = 64 * 2 ** 20;

const buffers = new Map<WorkSlot, Float64Array>();

/**
 * A rows × cols matrix in `slot` (on shared memory: the worker thread reads it in place), zero-filled,
 * or a copy of `copyOf` (rows · cols values) when given.
 */
export function workMatrix(slot: WorkSlot, rows: number, cols: number, copyOf?: Float64Array): Matrix {
  const length = rows * cols;
  let data: Float64Array;
  if (8 * length > retainedBytes) {
    data = new Float64Array(new SharedArrayBuffer(8 * length));
  } else {
    let buffer = buffers.get(slot);
    if (!buffer) {
      buffer = new Float64Array(new SharedArrayBuffer(retainedBytes));
      buffers.set(slot, buffer);
    }
    data = buffer.subarray(0, length);
    if (!copyOf) data.fill(0);
  }
  if (copyOf) data.set(copyOf.subarray(0, length));
  return { rows, cols, data };
}
