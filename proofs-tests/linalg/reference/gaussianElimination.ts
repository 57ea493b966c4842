/**
 * Test reference (the project's former TypeScript elimination, kept to check src/linalg against).
 * Exact rank of an integer matrix: Gaussian elimination in Z/PZ (any nonzero entry is a pivot, so
 * no pivot search), for the primes in `exactPrimes`. rank_P ≤ rank_Q for every prime, so the rank is
 * the largest of the ranks modulo the primes; they disagree only if a prime divides every maximal
 * nonzero minor, which is reported.
 */
import type { Matrix } from '../../../src/numeric/matrix.js';
import type { PrimeField } from '../../../src/numeric/ring.js';

/** Rank of `m` (entries already residues in [0, P)) over Z/PZ. */
export function rankModPrime(m: Matrix, field: PrimeField): number {
  const { rows, cols } = m;
  const a = m.data.slice();
  const P = field.prime;
  const invP = 1 / P;
  let rank = 0;
  for (let col = 0; col < cols && rank < rows; col++) {
    let pivot = -1;
    for (let r = rank; r < rows; r++) {
      if (a[r * cols + col] !== 0) {
        pivot = r;
        break;
      }
    }
    if (pivot < 0) continue;
    const top = rank * cols;
    if (pivot !== rank) {
      const other = pivot * cols;
      for (let j = col; j < cols; j++) {
        const t = a[top + j]!;
        a[top + j] = a[other + j]!;
        a[other + j] = t;
      }
    }
    const scale = field.inverse(a[top + col]!);
    for (let j = col; j < cols; j++) a[top + j] = field.mul(a[top + j]!, scale);
    for (let r = rank + 1; r < rows; r++) {
      const row = r * cols;
      const f = a[row + col]!;
      if (f === 0) continue;
      const negated = P - f;
      for (let j = col + 1; j < cols; j++) {
        let t = a[row + j]! + negated * a[top + j]!;
        t -= P * Math.floor(t * invP);
        if (t < 0) t += P;
        else if (t >= P) t -= P;
        a[row + j] = t;
      }
      a[row + col] = 0;
    }
    rank++;
  }
  return rank;
}
