/**
 * Dense float64 products in WebAssembly (c/gemm.c: packed panels, a 4 × 4 SIMD register block):
 *   multiply(A, B) = A B,   gramOfRows(A) = A Aᵀ,   gramOfColumns(A) = Aᵀ A.
 * Row-major matrices as in numeric/matrix.ts. The Gram matrices compute each entry of the lower
 * triangle once and mirror it, so they are exactly symmetric.
 */
import type { Matrix } from '../numeric/matrix.js';
import { Arena, kernels } from './wasm.js';

function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function multiply(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new Error(`multiply: ${a.rows}×${a.cols} · ${b.rows}×${b.cols}`);
  const m = a.rows;
  const n = b.cols;
  const K = a.cols;
  const c = zeros(m, n);
  if (m === 0 || n === 0 || K === 0) return c;
  const k = kernels();
  const arena = new Arena(k);
  const A = arena.put(a.data);
  const B = arena.put(b.data);
  const C = arena.allocate(m * n);
  arena.f64(C, m * n).fill(0);
  const work = arena.allocate(k.exports.gemm_work_size());
  // C(i, j) += Σ_k A(i, k) B(k, j): B's "rows" j have stride 1, its "columns" k stride n.
  k.exports.gemm(m, n, K, 1, A, K, 1, B, 1, n, C, n, 1, 0, 0, work);
  c.data.set(arena.f64(C, m * n));
  return c;
}

function gram(a: Matrix, ofRows: boolean): Matrix {
  const n = ofRows ? a.rows : a.cols;
  const K = ofRows ? a.cols : a.rows;
  const g = zeros(n, n);
  if (n === 0 || K === 0) return g;
  const k = kernels();
  const arena = new Arena(k);
  const A = arena.put(a.data);
  const C = arena.allocate(n * n);
  arena.f64(C, n * n).fill(0);
  const work = arena.allocate(k.exports.gemm_work_size());
  const [rs, cs] = ofRows ? [a.cols, 1] : [1, a.cols];
  k.exports.gemm(n, n, K, 1, A, rs, cs, A, rs, cs, C, n, 1, 1, 0, work);
  k.exports.mirror_lower(n, C, n, 1);
  g.data.set(arena.f64(C, n * n));
  return g;
}

/** A Aᵀ */
export function gramOfRows(a: Matrix): Matrix {
  return gram(a, true);
}

/** Aᵀ A */
export function gramOfColumns(a: Matrix): Matrix {
  return gram(a, false);
}
