/**
 * Reference operations on the range basis Q of src/numeric/rangeCompression.ts, for the tests: Qᵀ P Q
 * of a dense symmetric P, and the probe certificate of range(P) ⊆ S on a dense P. The measurement
 * never forms P; it builds Qᵀ P Q from the block formulas (src/numeric/compressedLinearHessian.ts).
 */
import { applyBasis, applyBasisTranspose, floatRangeBasis, type RangeBasis } from '../../src/numeric/rangeCompression.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';
import type { NetworkInstance } from '../../src/numeric/networkInstance.js';
import { RandomStream } from '../../src/numeric/random.js';

/** The subspace S for a linear network instance. */
export function linearRangeBasis(instance: NetworkInstance): RangeBasis {
  return floatRangeBasis(new LinearNetworkHessian(instance));
}

/** Qᵀ P Q for a symmetric p × p matrix P (dim S × dim S). */
export function compress(P: Matrix, basis: RangeBasis): Matrix {
  const p = basis.parameters;
  const n = basis.dimension;
  // (P Q)ᵀ = Qᵀ P: row i of P Q is Qᵀ (row i of P), since P is symmetric
  const PQt = zeros(n, p);
  const row = new Float64Array(n);
  for (let i = 0; i < p; i++) {
    applyBasisTranspose(basis, P.data.subarray(i * p, (i + 1) * p), row);
    for (let c = 0; c < n; c++) PQt.data[c * p + i] = row[c]!;
  }
  const C = zeros(n, n);
  for (let c = 0; c < n; c++) applyBasisTranspose(basis, PQt.data.subarray(c * p, (c + 1) * p), C.data.subarray(c * n, (c + 1) * n));
  return C;
}

/**
 * Certificate for range(P) ⊆ S: for `probes` Gaussian vectors x, the part of P x outside S,
 * ‖P x − Q Qᵀ P x‖ / ‖P‖_F‖x‖ (largest over the probes). Exact containment gives rounding level (~1e-15).
 */
export function rangeResidual(P: Matrix, basis: RangeBasis, probes = 3, seed = 1): number {
  const p = basis.parameters;
  const stream = new RandomStream(seed);
  let frobenius = 0;
  for (const v of P.data) frobenius += v * v;
  frobenius = Math.sqrt(frobenius);
  if (frobenius === 0) return 0;
  let worst = 0;
  const y = new Float64Array(p);
  const coordinates = new Float64Array(basis.dimension);
  const projected = new Float64Array(p);
  for (let t = 0; t < probes; t++) {
    const x = stream.gaussianArray(p);
    let xNorm = 0;
    for (const v of x) xNorm += v * v;
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += P.data[i * p + j]! * x[j]!;
      y[i] = s;
    }
    applyBasisTranspose(basis, y, coordinates);
    applyBasis(basis, coordinates, projected);
    let outside = 0;
    for (let i = 0; i < p; i++) outside += (y[i]! - projected[i]!) ** 2;
    worst = Math.max(worst, Math.sqrt(outside) / (frobenius * Math.sqrt(xNorm)));
  }
  return worst;
}
