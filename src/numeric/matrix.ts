/**
 * Dense row-major matrices over a Ring: entry (i, j) of an m × n matrix is data[i·n + j].
 * Small products (weights, partial products W_{b:a}, data) go through here; the p × p Hessians
 * are filled directly by the builders. Float64 products and Gram matrices run in src/linalg.
 */
import type { Matrix } from '../linalg/denseMatrix.js';
import { multiply as multiplyFloat64 } from '../linalg/gemm.js';
import { float64Ring, residues, type PrimeField, type Ring } from './ring.js';

export type { Matrix };

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function identity(n: number): Matrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const m = zeros(rows.length, rows[0]?.length ?? 0);
  rows.forEach((row, i) => row.forEach((v, j) => (m.data[i * m.cols + j] = v)));
  return m;
}

export function toRows(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

export function transpose(a: Matrix): Matrix {
  const t = zeros(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j]!;
  return t;
}

/** A · B over `ring` (float64 and Z/PZ: the WebAssembly GEMM of src/linalg). */
export function multiply(a: Matrix, b: Matrix, ring: Ring = float64Ring): Matrix {
  if (a.cols !== b.rows) throw new Error(`multiply: ${a.rows}×${a.cols} · ${b.rows}×${b.cols}`);
  if (ring === float64Ring) return multiplyFloat64(a, b);
  if ('prime' in ring && typeof ring.prime === 'number') return multiplyFloat64(a, b, ring.prime);
  const c = zeros(a.rows, b.cols);
  const n = b.cols;
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) {
        c.data[i * n + j] = ring.add(c.data[i * n + j]!, ring.mul(aik, b.data[k * n + j]!));
      }
    }
  }
  return c;
}

/** A · Bᵀ over `ring`. */
export function multiplyTransposed(a: Matrix, b: Matrix, ring: Ring = float64Ring): Matrix {
  return multiply(a, transpose(b), ring);
}

export function subtract(a: Matrix, b: Matrix, ring: Ring = float64Ring): Matrix {
  const c = zeros(a.rows, a.cols);
  for (let i = 0; i < c.data.length; i++) c.data[i] = ring.sub(a.data[i]!, b.data[i]!);
  return c;
}

/** Maps every entry through `ring.fromInteger` (integer matrices into Z/PZ). */
export function intoRing(a: Matrix, ring: Ring): Matrix {
  const prime = (ring as Partial<PrimeField>).prime;
  // Z/PZ: the whole array at once (the same residues as fromInteger)
  if (prime !== undefined) return { rows: a.rows, cols: a.cols, data: residues(a.data, prime) };
  const data = new Float64Array(a.data.length);
  for (let i = 0; i < data.length; i++) data[i] = ring.fromInteger(a.data[i]!);
  return { rows: a.rows, cols: a.cols, data };
}

/** Frobenius norm. */
export function frobeniusNorm(a: Matrix): number {
  let s = 0;
  for (const v of a.data) s += v * v;
  return Math.sqrt(s);
}
