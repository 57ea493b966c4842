/*
 * GEMM: C(i, j) ← C(i, j) + α Σ_k A(i, k) B(j, k)   (C += α A Bᵀ), every operand given by a base
 * pointer and its row and column strides, so that one kernel serves A B, A Aᵀ, AᵀA and the rank-2k
 * update of the tridiagonal reduction. GotoBLAS layout: B is packed in NC × KC panels, A in MC × KC
 * panels of 4-row slivers, and a 4 × 4 register block (8 f64x2 accumulators) runs over KC.
 *
 * Exact mode (modulus P > 0): every entry of A, B and C is a centered residue, |x| ≤ P/2 + 1; a KC
 * slice adds at most kmax products of size ≤ (P/2 + 1)² to C, exactly representable while
 * kmax (P/2 + 1)² + 2P < 2^53, then C is reduced once, x − P·round(x/P), back to a centered residue
 * (delayed reduction, as in FFLAS).
 */
#include "common.h"

void gemm_parallel(int m, int n, int K, double alpha, const double *A, int ars, int acs, const double *B, int brs, int bcs, double *C,
                   int crs, int ccs, int lower, double modulus, double *work);

#define MC 128
#define NC 2048
#define KC 256

/* Doubles of work space gemm needs. */
EXPORT(gemm_work_size) int gemm_work_size(void) { return (MC + 4) * KC + (NC + 4) * KC; }

/* rows × kc block of X (X(i, k) = X[i rs + k cs]) packed as 4-row slivers [k][4], zero padded. */
__attribute__((noinline)) static void pack(int rows, int kc, const double *X, int rs, int cs, double *out) {
  for (int i0 = 0; i0 < rows; i0 += 4) {
    int r = imin(4, rows - i0);
    const double *base = X + i0 * rs;
    if (r == 4 && rs == 1) {
      for (int k = 0; k < kc; k++) {
        const double *x = base + k * cs;
        wasm_v128_store(out, wasm_v128_load(x));
        wasm_v128_store(out + 2, wasm_v128_load(x + 2));
        out += 4;
      }
    } else if (r == 4) {
      for (int k = 0; k < kc; k++) {
        const double *x = base + k * cs;
        out[0] = x[0];
        out[1] = x[rs];
        out[2] = x[2 * rs];
        out[3] = x[3 * rs];
        out += 4;
      }
    } else {
      for (int k = 0; k < kc; k++) {
        for (int t = 0; t < 4; t++) out[t] = t < r ? base[t * rs + k * cs] : 0;
        out += 4;
      }
    }
  }
}

/* acc (4 × 4, column-major) = Σ_k a[k][0..3] ⊗ b[k][0..3] */
__attribute__((noinline)) static void kernel4x4(int kc, const double *a, const double *b, double *acc) {
  v128_t c00 = wasm_f64x2_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int k = 0; k < kc; k++) {
    v128_t a0 = wasm_v128_load(a), a1 = wasm_v128_load(a + 2);
    v128_t b0 = wasm_f64x2_splat(b[0]), b1 = wasm_f64x2_splat(b[1]);
    c00 = wasm_f64x2_add(c00, wasm_f64x2_mul(a0, b0));
    c01 = wasm_f64x2_add(c01, wasm_f64x2_mul(a1, b0));
    c10 = wasm_f64x2_add(c10, wasm_f64x2_mul(a0, b1));
    c11 = wasm_f64x2_add(c11, wasm_f64x2_mul(a1, b1));
    v128_t b2 = wasm_f64x2_splat(b[2]), b3 = wasm_f64x2_splat(b[3]);
    c20 = wasm_f64x2_add(c20, wasm_f64x2_mul(a0, b2));
    c21 = wasm_f64x2_add(c21, wasm_f64x2_mul(a1, b2));
    c30 = wasm_f64x2_add(c30, wasm_f64x2_mul(a0, b3));
    c31 = wasm_f64x2_add(c31, wasm_f64x2_mul(a1, b3));
    a += 4;
    b += 4;
  }
  wasm_v128_store(acc, c00);
  wasm_v128_store(acc + 2, c01);
  wasm_v128_store(acc + 4, c10);
  wasm_v128_store(acc + 6, c11);
  wasm_v128_store(acc + 8, c20);
  wasm_v128_store(acc + 10, c21);
  wasm_v128_store(acc + 12, c30);
  wasm_v128_store(acc + 14, c31);
}

/* the centered residue of an integer-valued |x| < 2^53: |result| ≤ P/2 + 1 (round(x/P) may be off
 * by one when x/P is within 2^-53 |x/P| of a half-integer) */
static inline double reduce(double x, double P, double invP) { return x - P * __builtin_nearbyint(x * invP); }

/*
 * C += α A Bᵀ on the rows [row0, row1) of C (a thread's share), with A m × K, B n × K, C m × n.
 * lower ≠ 0: only the blocks that meet the lower triangle i ≥ j are computed (entries above the
 * diagonal inside a diagonal block may be written too). modulus > 0: exact mode (see the top).
 */
void gemm_rows(int row0, int row1, int n, int K, double alpha, const double *A, int ars, int acs, const double *B, int brs,
               int bcs, double *C, int crs, int ccs, int lower, double modulus, double *work) {
  double *Ap = work, *Bp = work + (MC + 4) * KC;
  double acc[16];
  int kstep = KC;
  double invP = 0;
  if (modulus > 0) {
    double pm = modulus / 2 + 1;
    double kmax = (9007199254740992.0 - 2 * modulus) / (pm * pm);
    if (kmax < kstep) kstep = kmax < 1 ? 1 : (int)kmax;
    invP = 1 / modulus;
  }
  for (int jc = 0; jc < n; jc += NC) {
    int nc = imin(NC, n - jc);
    if (lower && jc >= row1) break;
    for (int pc = 0; pc < K; pc += kstep) {
      int kc = imin(kstep, K - pc);
      pack(nc, kc, B + jc * brs + pc * bcs, brs, bcs, Bp);
      for (int ic = row0; ic < row1; ic += MC) {
        int mc = imin(MC, row1 - ic);
        if (lower && ic + mc - 1 < jc) continue;
        pack(mc, kc, A + ic * ars + pc * acs, ars, acs, Ap);
        for (int jr = 0; jr < nc; jr += 4) {
          int j0 = jc + jr;
          int nj = imin(4, n - j0);
          for (int ir = 0; ir < mc; ir += 4) {
            int i0 = ic + ir;
            if (lower && i0 + 3 < j0) continue;
            int ni = imin(4, row1 - i0);
            kernel4x4(kc, Ap + ir * kc, Bp + jr * kc, acc);
            if (modulus > 0) {
              for (int jj = 0; jj < nj; jj++) {
                double *c = C + i0 * crs + (j0 + jj) * ccs;
                for (int ii = 0; ii < ni; ii++) c[ii * crs] = reduce(c[ii * crs] + alpha * acc[jj * 4 + ii], modulus, invP);
              }
            } else if (crs == 1 && ni == 4) {
              v128_t al = wasm_f64x2_splat(alpha);
              for (int jj = 0; jj < nj; jj++) {
                double *c = C + i0 + (j0 + jj) * ccs;
                wasm_v128_store(c, wasm_f64x2_add(wasm_v128_load(c), wasm_f64x2_mul(al, wasm_v128_load(acc + jj * 4))));
                wasm_v128_store(c + 2, wasm_f64x2_add(wasm_v128_load(c + 2), wasm_f64x2_mul(al, wasm_v128_load(acc + jj * 4 + 2))));
              }
            } else {
              for (int jj = 0; jj < nj; jj++) {
                double *c = C + i0 * crs + (j0 + jj) * ccs;
                for (int ii = 0; ii < ni; ii++) c[ii * crs] += alpha * acc[jj * 4 + ii];
              }
            }
          }
        }
      }
    }
  }
}

EXPORT(gemm) void gemm(int m, int n, int K, double alpha, const double *A, int ars, int acs, const double *B, int brs, int bcs,
                       double *C, int crs, int ccs, int lower, double modulus, double *work) {
  gemm_parallel(m, n, K, alpha, A, ars, acs, B, brs, bcs, C, crs, ccs, lower, modulus, work);
}

/* Copies the lower triangle (i > j) of C onto the upper one. */
EXPORT(mirror_lower) void mirror_lower(int n, double *C, int crs, int ccs) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < i; j++) C[j * crs + i * ccs] = C[i * crs + j * ccs];
}
