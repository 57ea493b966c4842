/**
 * Test reference: the rank over Q of an integer matrix, by fraction-free (Bareiss) elimination in
 * BigInt, so no prime and no rounding is involved. Entries must be integers exactly held in float64.
 */
import type { Matrix } from '../../../src/numeric/matrix.js';

export function rankOverQ(m: Matrix): number {
  const a: bigint[][] = Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols), (v) => {
    if (!Number.isSafeInteger(v)) throw new Error(`rankOverQ: entry ${v} is not an exact integer`);
    return BigInt(v);
  }));
  let rank = 0;
  let previous = 1n;
  for (let col = 0; col < m.cols && rank < m.rows; col++) {
    const pivot = a.findIndex((row, i) => i >= rank && row[col] !== 0n);
    if (pivot < 0) continue;
    [a[rank], a[pivot]] = [a[pivot]!, a[rank]!];
    const top = a[rank]!;
    for (let i = rank + 1; i < m.rows; i++) {
      const row = a[i]!;
      for (let j = col + 1; j < m.cols; j++) row[j] = (row[j]! * top[col]! - row[col]! * top[j]!) / previous;
      row[col] = 0n;
    }
    previous = top[col]!;
    rank++;
  }
  return rank;
}
