/**
 * Test reference: eigenvalues of a symmetric matrix by the cyclic Jacobi method (Golub & Van Loan,
 * Alg. 8.5.3), an algorithm independent of Householder + QL. Sweeps until the off-diagonal part is
 * below ε² of the total, at most 100 sweeps. O(n³) per sweep: small matrices only. Values ascending.
 */
import type { Matrix } from '../../../src/numeric/matrix.js';

export function jacobiEigenvalues(m: Matrix): Float64Array {
  const n = m.rows;
  const S = m.data.slice();
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n * n; i++) {
      total += S[i]! * S[i]!;
      if (Math.floor(i / n) !== i % n) off += S[i]! * S[i]!;
    }
    if (off <= Number.EPSILON ** 2 * total) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = S[p * n + q]!;
        if (apq === 0) continue;
        const theta = (S[q * n + q]! - S[p * n + p]!) / (2 * apq);
        const t = Math.abs(theta) > 1e150 ? 1 / (2 * theta) : Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const kp = S[k * n + p]!;
          const kq = S[k * n + q]!;
          S[k * n + p] = c * kp - s * kq;
          S[k * n + q] = s * kp + c * kq;
        }
        for (let k = 0; k < n; k++) {
          const pk = S[p * n + k]!;
          const qk = S[q * n + k]!;
          S[p * n + k] = c * pk - s * qk;
          S[q * n + k] = s * pk + c * qk;
        }
      }
    }
  }
  return Float64Array.from({ length: n }, (_, i) => S[i * n + i]!).sort();
}
