/** Test reference (the project's former TypeScript Gram matrix, kept to check src/linalg against). */
import { zeros, type Matrix } from '../../../src/numeric/matrix.js';

/** A Aᵀ (float64), symmetric: each entry once, as a dot product of two contiguous rows. */
export function gramOfRows(a: Matrix): Matrix {
  const n = a.rows;
  const m = a.cols;
  const g = zeros(n, n);
  for (let i = 0; i < n; i++) {
    const ri = i * m;
    for (let j = 0; j <= i; j++) {
      const rj = j * m;
      let s = 0;
      for (let k = 0; k < m; k++) s += a.data[ri + k]! * a.data[rj + k]!;
      g.data[i * n + j] = s;
      g.data[j * n + i] = s;
    }
  }
  return g;
}
