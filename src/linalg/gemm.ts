/**
 * Dense products in WebAssembly (c/gemm.c: packed panels, a 4 × 4 SIMD register block), in float64
 * or over Z/PZ (centered residues, delayed reduction):
 *   multiply(A, B) = A B,   multiplyTransposedModulo(A, B, P) = A Bᵀ mod P,   gramOfRows(A) = A Aᵀ,   gramOfColumns(A) = Aᵀ A,
 *   out += Fᵀ F.
 * Row-major matrices as in numeric/matrix.ts. The Gram matrices compute each entry of the lower
 * triangle once and mirror it, so they are exactly symmetric.
 */
import type { Matrix } from './denseMatrix.js';
import { Arena, kernels } from './wasm.js';

function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** A B in float64, or over Z/PZ when `prime` is given (entries residues in [0, P), result too). */
export function multiply(a: Matrix, b: Matrix, prime?: number): Matrix {
  if (a.cols !== b.rows) throw new Error(`multiply: ${a.rows}×${a.cols} · ${b.rows}×${b.cols}`);
  return product(a, b, false, prime);
}

/** A Bᵀ over Z/PZ (entries residues in [0, P), result too): B's rows are the columns of the product. */
export function multiplyTransposedModulo(a: Matrix, b: Matrix, prime: number): Matrix {
  if (a.cols !== b.cols) throw new Error(`multiplyTransposedModulo: ${a.rows}×${a.cols} · (${b.rows}×${b.cols})ᵀ`);
  return product(a, b, true, prime);
}

/** A B, or A Bᵀ when `transposed`, in float64 or over Z/PZ (the kernel reads B through its strides). */
function product(a: Matrix, b: Matrix, transposed: boolean, prime?: number): Matrix {
  const m = a.rows;
  const n = transposed ? b.rows : b.cols;
  const K = a.cols;
  const c = zeros(m, n);
  if (m === 0 || n === 0 || K === 0) return c;
  const k = kernels();
  const arena = new Arena(k);
  // over Z/PZ the kernel takes centered residues (|x| ≤ P/2)
  const centered = (data: Float64Array): Float64Array => {
    if (prime === undefined) return data;
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i]! > prime / 2 ? data[i]! - prime : data[i]!;
    return out;
  };
  const A = arena.put(centered(a.data));
  const B = arena.put(centered(b.data));
  const C = arena.allocate(m * n);
  arena.f64(C, m * n).fill(0);
  const work = arena.allocate(k.exports.gemm_work_size());
  // C(i, j) += Σ_k A(i, k) B(k, j): B's "rows" j have stride 1, its "columns" k stride n; for A Bᵀ, B(j, k): strides K and 1
  const [brs, bcs] = transposed ? [K, 1] : [1, n];
  k.exports.gemm(m, n, K, 1, A, K, 1, B, brs, bcs, C, n, 1, 0, prime ?? 0, work);
  const result = arena.f64(C, m * n);
  if (prime === undefined) c.data.set(result);
  else for (let i = 0; i < m * n; i++) c.data[i] = result[i]! < 0 ? result[i]! + prime : result[i]!;
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

/**
 * out ← out + Fᵀ F (p × p, F is rows × p), in float64, or over Z/PZ when `prime` is given (entries of
 * out and F residues in [0, P), result too; centered residues with delayed reduction inside).
 */
export function addGramOfColumnsInto(out: Matrix, factor: Matrix, prime?: number): void {
  const p = factor.cols;
  const K = factor.rows;
  if (out.rows !== p || out.cols !== p) throw new Error(`addGramOfColumnsInto: ${out.rows}×${out.cols} += Fᵀ F with F ${K}×${p}`);
  if (p === 0 || K === 0) return;
  const k = kernels();
  const arena = new Arena(k);
  const center = (x: number): number => (prime !== undefined && x > prime / 2 ? x - prime : x);
  const F = arena.put(prime === undefined ? factor.data : factor.data.map(center));
  const C = arena.put(prime === undefined ? out.data : out.data.map(center));
  const work = arena.allocate(k.exports.gemm_work_size());
  // C(i, j) += Σ_r F(r, i) F(r, j): "A(i, r)" = F[r p + i], strides (1, p)
  k.exports.gemm(p, p, K, 1, F, 1, p, F, 1, p, C, p, 1, 0, prime ?? 0, work);
  const result = arena.f64(C, p * p);
  if (prime === undefined) out.data.set(result);
  else for (let i = 0; i < p * p; i++) out.data[i] = result[i]! < 0 ? result[i]! + prime : result[i]!;
}
