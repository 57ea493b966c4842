/*
 * Rank of an m × n matrix over Z/PZ (P prime, P < 2^26) by recursive blocked Gaussian elimination
 * with delayed modular reduction (Dumas, Giorgi & Pernet, FFLAS-FFPACK; Jeannerod, Pernet & Storjohann,
 * "Rank-profile revealing Gaussian elimination", 2013, recursive column splitting).
 *
 * Residues are held centered, in (−P/2, P/2], as float64. A product of two is at most P²/4 in size,
 * so a float64 accumulates kmax = ⌊(2^53 − P) / (P²/4)⌋ of them on top of a residue exactly
 * (P < 2^23: kmax ≥ 511; P = 65521: kmax ≈ 8·10^6), and is reduced once, x − P·round(x/P), after.
 *
 * factor(columns [c0, c1), rows [r0, m)):
 *   leaf (≤ LEAF columns): column by column, a nonzero pivot is searched below the pivots found so
 *     far, its whole row swapped up, and the rows below eliminated within the leaf's columns; the
 *     multipliers l_i = a_ij / a_pj are stored in place of the eliminated entries;
 *   otherwise: factor the left half (k1 pivots, pivot columns J1); apply its transformation to the
 *     right half — X_top ← L11⁻¹ X_top (recursive TRSM, GEMM-rich), X_bottom ← X_bottom − L21 X_top
 *     (one GEMM) — then factor the right half on the rows below the k1 pivots.
 * The pivots found are the rank; the left-to-right column order makes them the column rank profile.
 * Row swaps move whole rows, so multipliers to the left and unprocessed columns to the right follow.
 */
#include "common.h"

void gemm_parallel(int m, int n, int K, double alpha, const double *A, int ars, int acs, const double *B, int brs, int bcs, double *C,
                   int crs, int ccs, int lower, double modulus, double *work);
int gemm_work_size(void);

#define LEAF 32
#define TRSM_BASE 16

typedef struct {
  double *A;
  int lda, m, n;
  double P, invP, kmax;
  double *L;     /* packed multipliers, up to m × min(m, n) */
  double *gwork; /* gemm work */
  int *pivcols;  /* pivot columns, in order */
} Elimination;

static inline double centered(double x, double P, double invP) {
  return x - P * __builtin_nearbyint(x * invP);
}

static inline v128_t centered2(v128_t x, v128_t P, v128_t invP) {
  return wasm_f64x2_sub(x, wasm_f64x2_mul(P, wasm_f64x2_nearest(wasm_f64x2_mul(x, invP))));
}

/* a⁻¹ mod P for a ≢ 0 (extended Euclid on integers), centered */
static double inverse_mod(double a, double P) {
  long long p = (long long)P, x = (long long)a % p;
  if (x < 0) x += p;
  long long r0 = p, r1 = x, s0 = 0, s1 = 1;
  while (r1 != 0) {
    long long q = r0 / r1, t = r0 - q * r1;
    r0 = r1;
    r1 = t;
    t = s0 - q * s1;
    s0 = s1;
    s1 = t;
  }
  double inv = (double)(s0 % p);
  return centered(inv, P, 1 / P);
}

static void swap_rows(Elimination *e, int a, int b) {
  if (a == b) return;
  double *x = e->A + a * e->lda, *y = e->A + b * e->lda;
  int j = 0;
  for (; j + 2 <= e->n; j += 2) {
    v128_t t = wasm_v128_load(x + j);
    wasm_v128_store(x + j, wasm_v128_load(y + j));
    wasm_v128_store(y + j, t);
  }
  for (; j < e->n; j++) {
    double t = x[j];
    x[j] = y[j];
    y[j] = t;
  }
}

/* Unblocked elimination of columns [c0, c1) on rows [r0, m); returns the pivots found. */
static int factor_leaf(Elimination *e, int c0, int c1, int r0, int *pivcols) {
  double P = e->P, invP = e->invP;
  v128_t Pv = wasm_f64x2_splat(P), invPv = wasm_f64x2_splat(invP);
  int k = 0;
  for (int j = c0; j < c1 && r0 + k < e->m; j++) {
    int row = r0 + k, found = -1;
    for (int i = row; i < e->m; i++)
      if (e->A[i * e->lda + j] != 0) {
        found = i;
        break;
      }
    if (found < 0) continue;
    swap_rows(e, row, found);
    const double *prow = e->A + row * e->lda;
    double inv = inverse_mod(prow[j], P);
    int width = c1 - j - 1;
    for (int i = row + 1; i < e->m; i++) {
      double *a = e->A + i * e->lda;
      if (a[j] == 0) continue;
      double l = centered(a[j] * inv, P, invP);
      a[j] = l;
      v128_t lv = wasm_f64x2_splat(l);
      int t = 0;
      for (; t + 2 <= width; t += 2) {
        v128_t x = wasm_f64x2_sub(wasm_v128_load(a + j + 1 + t), wasm_f64x2_mul(lv, wasm_v128_load(prow + j + 1 + t)));
        wasm_v128_store(a + j + 1 + t, centered2(x, Pv, invPv));
      }
      for (; t < width; t++) a[j + 1 + t] = centered(a[j + 1 + t] - l * prow[j + 1 + t], P, invP);
    }
    pivcols[k++] = j;
  }
  return k;
}

/* X (k rows, stride ldx, columns [0, w)) ← L⁻¹ X for L unit lower triangular (k × k, stride ldl). */
static void trsm(Elimination *e, int k, const double *L, int ldl, double *X, int ldx, int w) {
  if (k <= 1 || w <= 0) return;
  if (k <= TRSM_BASE) {
    double P = e->P, invP = e->invP;
    v128_t Pv = wasm_f64x2_splat(P), invPv = wasm_f64x2_splat(invP);
    int step = e->kmax < 1 ? 1 : e->kmax > 1e6 ? 1000000 : (int)e->kmax;
    for (int i = 1; i < k; i++) {
      double *xi = X + i * ldx;
      int pending = 0;
      for (int t = 0; t < i; t++) {
        double l = L[i * ldl + t];
        if (l == 0) continue;
        const double *xt = X + t * ldx;
        v128_t lv = wasm_f64x2_splat(l);
        int q = 0;
        for (; q + 2 <= w; q += 2) wasm_v128_store(xi + q, wasm_f64x2_sub(wasm_v128_load(xi + q), wasm_f64x2_mul(lv, wasm_v128_load(xt + q))));
        for (; q < w; q++) xi[q] -= l * xt[q];
        if (++pending >= step) {
          int r = 0;
          for (; r + 2 <= w; r += 2) wasm_v128_store(xi + r, centered2(wasm_v128_load(xi + r), Pv, invPv));
          for (; r < w; r++) xi[r] = centered(xi[r], P, invP);
          pending = 0;
        }
      }
      int r = 0;
      for (; r + 2 <= w; r += 2) wasm_v128_store(xi + r, centered2(wasm_v128_load(xi + r), Pv, invPv));
      for (; r < w; r++) xi[r] = centered(xi[r], P, invP);
    }
    return;
  }
  int h = k / 2;
  trsm(e, h, L, ldl, X, ldx, w);
  /* X[h..k) −= L[h..k, 0..h) X[0..h) */
  gemm_parallel(k - h, w, h, -1.0, L + h * ldl, ldl, 1, X, 1, ldx, X + h * ldx, ldx, 1, 0, e->P, e->gwork);
  trsm(e, k - h, L + h * ldl + h, ldl, X + h * ldx, ldx, w);
}

/*
 * Applies the elimination of pivot columns J (k of them, pivot rows r0..r0+k) to columns [x0, x1):
 * X_top ← L11⁻¹ X_top, X_bottom ← X_bottom − L21 X_top, with L gathered from the pivot columns.
 */
static void apply_elimination(Elimination *e, const int *J, int k, int r0, int x0, int x1) {
  int rows = e->m - r0, w = x1 - x0;
  if (k == 0 || w <= 0) return;
  double *L = e->L; /* rows × k, packed */
  for (int i = 0; i < rows; i++) {
    const double *a = e->A + (r0 + i) * e->lda;
    for (int t = 0; t < k; t++) L[i * k + t] = (i < k && t >= i) ? (t == i ? 1 : 0) : a[J[t]];
  }
  double *X = e->A + r0 * e->lda + x0;
  trsm(e, k, L, k, X, e->lda, w);
  if (rows > k) gemm_parallel(rows - k, w, k, -1.0, L + k * k, k, 1, X, 1, e->lda, X + k * e->lda, e->lda, 1, 0, e->P, e->gwork);
}

static int factor(Elimination *e, int c0, int c1, int r0, int *pivcols) {
  if (r0 >= e->m || c1 <= c0) return 0;
  if (c1 - c0 <= LEAF) return factor_leaf(e, c0, c1, r0, pivcols);
  int mid = c0 + (c1 - c0) / 2;
  int k1 = factor(e, c0, mid, r0, pivcols);
  apply_elimination(e, pivcols, k1, r0, mid, c1);
  int k2 = factor(e, mid, c1, r0 + k1, pivcols + k1);
  return k1 + k2;
}

/* Doubles of work space rank_mod_prime needs: packed multipliers and the GEMM's panels. */
EXPORT(rank_mod_prime_work) int rank_mod_prime_work(int m, int n) { return m * (n < m ? n : m) + gemm_work_size(); }

/*
 * Rank of A (m × n, row-major, integers of absolute value below 2^52; overwritten) over Z/PZ, P < 2^26 prime.
 * Every entry is first reduced to its centered residue, |x| ≤ P/2.
 * pivots (n ints): the pivot columns (the column rank profile) in increasing order.
 */
EXPORT(rank_mod_prime) int rank_mod_prime(int m, int n, double *A, double P, double *work, int *pivots) {
  if (m == 0 || n == 0) return 0;
  Elimination e;
  e.A = A;
  e.lda = n;
  e.m = m;
  e.n = n;
  e.P = P;
  e.invP = 1 / P;
  e.kmax = (9007199254740992.0 - 2 * P) / ((P / 2 + 1) * (P / 2 + 1));
  e.L = work;
  e.gwork = work + m * (n < m ? n : m);
  e.pivcols = pivots;
  double half = P / 2;
  for (int i = 0; i < m * n; i++) {
    double x = A[i];
    // x − P ⌊x/P⌋ is exact (|x| < 2^52, P ⌊x/P⌋ within P of x) and within one P of [0, P) after the rounding of x/P
    if (x < 0 || x >= P) {
      x -= P * __builtin_floor(x * e.invP);
      if (x < 0) x += P;
      else if (x >= P) x -= P;
    }
    if (x >= half) x -= P;
    A[i] = x;
  }
  return factor(&e, 0, n, 0, e.pivcols);
}
