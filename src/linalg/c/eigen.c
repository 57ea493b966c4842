/*
 * Symmetric eigenvalues (and eigenvectors) of a real symmetric n × n matrix A.
 *
 * 1. Scaling: A ← 2^−e A with 2^(e−1) ≤ max|a_ij| < 2^e (exact), so that no square overflows.
 * 2. Blocked Householder tridiagonalisation Qᵀ A Q = T (LAPACK dsytrd/dlatrd, lower triangle):
 *    for each panel of nb columns, the reflectors H_i = I − τ_i v_i v_iᵀ and W with
 *    A − V Wᵀ − W Vᵀ = (H_1 ⋯ H_nb)ᵀ A (H_1 ⋯ H_nb) on the trailing block are formed column by column
 *    (one symmetric matrix–vector product each), then the trailing block is updated by one rank-2nb
 *    GEMM, C ← C − [V W] [W V]ᵀ: half of the (4/3) n³ flops run in the GEMM kernel.
 * 3. Eigenvalues of T: eigenvalues only by the root-free QL/QR iteration (Pal, Walker, Kahan; LAPACK
 *    dsterf), at most 30 n iterations in all; with eigenvectors by implicit QL with Wilkinson shifts
 *    (EISPACK tql2), at most 30 sweeps per eigenvalue. If that budget runs out, the eigenvalues of T
 *    are computed by bisection on Sturm
 *    counts (count(x) = #{λ < x} = number of negative pivots of T − x I; Kahan 1966, LAPACK dstebz),
 *    which always terminates: each eigenvalue to |λ̂ − λ| ≤ 2 ε max|λ| + pivmin in ≤ 2100 halvings.
 *    For eigenvectors the fallback is the cyclic Jacobi method on A (converges quadratically; capped).
 * Backward stable: the computed eigenvalues are those of A + E, ‖E‖₂ ≤ c(n) ε ‖A‖₂.
 *
 * Storage: A column-major with leading dimension n; only the lower triangle (row ≥ column) is read.
 * A row-major symmetric matrix is its own column-major transpose, so callers pass it as it is.
 */
#include "common.h"

void gemm_rows(int row0, int row1, int n, int K, double alpha, const double *A, int ars, int acs, const double *B, int brs,
               int bcs, double *C, int crs, int ccs, int lower, double modulus, double *work);
int gemm_work_size(void);

#define NB 32
/* sweeps per eigenvalue before QL gives up (settable for tests of the fallback) */
static int ql_sweeps = 30;
EXPORT(set_ql_sweeps) void set_ql_sweeps(int sweeps) { ql_sweeps = sweeps; }

void gemm_parallel(int m, int n, int K, double alpha, const double *A, int ars, int acs, const double *B, int brs, int bcs, double *C,
                   int crs, int ccs, int lower, double modulus, double *work);
void symv_parallel(int m, const double *A, int lda, const double *x, double *y, double *y2);

/* y[0, m) += (A x) restricted to the columns [j0, j1) of the lower triangle: the part of y = A x
 * that reads columns j0..j1−1 (entries on and below the diagonal of those columns). */
__attribute__((noinline)) void symv_columns(int m, int j0, int j1, const double *A, int lda, const double *x, double *y) {
  int j = j0;
  for (; j + 4 <= j1; j += 4) {
    const double *c0 = A + j * lda, *c1 = c0 + lda, *c2 = c1 + lda, *c3 = c2 + lda;
    for (int jj = 0; jj < 4; jj++) {
      const double *c = A + (j + jj) * lda;
      double xj = x[j + jj], s = c[j + jj] * xj;
      for (int r = j + jj + 1; r < j + 4; r++) {
        y[r] += c[r] * xj;
        s += c[r] * x[r];
      }
      y[j + jj] += s;
    }
    v128_t x0 = wasm_f64x2_splat(x[j]), x1 = wasm_f64x2_splat(x[j + 1]), x2 = wasm_f64x2_splat(x[j + 2]),
           x3 = wasm_f64x2_splat(x[j + 3]);
    v128_t d0 = wasm_f64x2_splat(0), d1 = d0, d2 = d0, d3 = d0;
    int r = j + 4;
    for (; r + 2 <= m; r += 2) {
      v128_t a0 = wasm_v128_load(c0 + r), a1 = wasm_v128_load(c1 + r), a2 = wasm_v128_load(c2 + r), a3 = wasm_v128_load(c3 + r);
      v128_t xv = wasm_v128_load(x + r);
      v128_t yv = wasm_v128_load(y + r);
      yv = wasm_f64x2_add(yv, wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_mul(a0, x0), wasm_f64x2_mul(a1, x1)),
                                             wasm_f64x2_add(wasm_f64x2_mul(a2, x2), wasm_f64x2_mul(a3, x3))));
      wasm_v128_store(y + r, yv);
      d0 = wasm_f64x2_add(d0, wasm_f64x2_mul(a0, xv));
      d1 = wasm_f64x2_add(d1, wasm_f64x2_mul(a1, xv));
      d2 = wasm_f64x2_add(d2, wasm_f64x2_mul(a2, xv));
      d3 = wasm_f64x2_add(d3, wasm_f64x2_mul(a3, xv));
    }
    double s0 = horizontal_sum(d0), s1 = horizontal_sum(d1), s2 = horizontal_sum(d2), s3 = horizontal_sum(d3);
    for (; r < m; r++) {
      double xr = x[r];
      y[r] += c0[r] * x[j] + c1[r] * x[j + 1] + c2[r] * x[j + 2] + c3[r] * x[j + 3];
      s0 += c0[r] * xr;
      s1 += c1[r] * xr;
      s2 += c2[r] * xr;
      s3 += c3[r] * xr;
    }
    y[j] += s0;
    y[j + 1] += s1;
    y[j + 2] += s2;
    y[j + 3] += s3;
  }
  for (; j < j1; j++) {
    const double *c = A + j * lda;
    double xj = x[j];
    y[j] += c[j] * xj + dot(m - j - 1, c + j + 1, x + j + 1);
    axpy(m - j - 1, xj, c + j + 1, y + j + 1);
  }
}

/* LAPACK dlarfg: H = I − τ v vᵀ, v = [1; x'], with H [α; x] = [β; 0]; x ← x', α ← β; returns τ. */
static double larfg(int n, double *alpha, double *x) {
  if (n <= 1) return 0;
  double xnorm = norm2(n - 1, x);
  if (xnorm == 0) return 0;
  double a = *alpha;
  double beta = -copysign_(hypot_(a, xnorm), a);
  int rescaled = 0;
  const double up = 4.149515568880993e180; /* 2^600 */
  while (fabs_(beta) < 1e-280 && rescaled < 3) {
    scale(n - 1, up, x);
    a *= up;
    beta *= up;
    rescaled++;
  }
  double tau = (beta - a) / beta;
  scale(n - 1, 1 / (a - beta), x);
  while (rescaled-- > 0) beta /= up;
  *alpha = beta;
  return tau;
}

/*
 * LAPACK dlatrd (lower): reduces the first nb columns of the m × m trailing matrix A and returns W
 * (m × nb, leading dimension ldw) such that the trailing (m − nb) block is then A − V Wᵀ − W Vᵀ.
 * d[i], e[i], tau[i] for the panel's columns; v_i is left in A(i+1:m, i) with A(i+1, i) = 1.
 */
__attribute__((noinline)) static void latrd(int m, int nb, double *A, int lda, double *d, double *e, double *tau, double *W, int ldw, double *t, double *y2) {
  for (int i = 0; i < nb; i++) {
    double *ai = A + i * lda;
    for (int j = 0; j < i; j++) {
      axpy(m - i, -W[j * ldw + i], A + j * lda + i, ai + i);
      axpy(m - i, -A[j * lda + i], W + j * ldw + i, ai + i);
    }
    d[i] = ai[i];
    if (i >= m - 1) {
      e[i] = 0;
      tau[i] = 0;
      continue;
    }
    double alpha = ai[i + 1];
    tau[i] = larfg(m - i - 1, &alpha, ai + i + 2);
    e[i] = alpha;
    ai[i + 1] = 1;
    int len = m - i - 1;
    const double *v = ai + i + 1;
    double *w = W + i * ldw + i + 1;
    if (tau[i] == 0) {
      fill(len, 0, w);
      continue;
    }
    symv_parallel(len, A + (i + 1) * lda + i + 1, lda, v, w, y2);
    for (int j = 0; j < i; j++) t[j] = dot(len, W + j * ldw + i + 1, v);
    for (int j = 0; j < i; j++) axpy(len, -t[j], A + j * lda + i + 1, w);
    for (int j = 0; j < i; j++) t[j] = dot(len, A + j * lda + i + 1, v);
    for (int j = 0; j < i; j++) axpy(len, -t[j], W + j * ldw + i + 1, w);
    scale(len, tau[i], w);
    double a = -0.5 * tau[i] * dot(len, w, v);
    axpy(len, a, v, w);
  }
}

/* Doubles of work space tridiagonalize needs for order n. */
static int tridiagonal_work(int n) { return 2 * n * NB + 2 * NB + 4 * n * NB + n + gemm_work_size(); }

/* Qᵀ A Q = T: diagonal d (n), off-diagonal e (n, e[n−1] = 0), reflectors in A and tau. */
static void tridiagonalize(int n, double *A, double *d, double *e, double *tau, double *work) {
  double *W = work, *t = W + 2 * n * NB, *P = t + 2 * NB, *Q = P + 2 * n * NB, *y2 = Q + 2 * n * NB, *gw = y2 + n;
  int k = 0;
  while (k < n) {
    int m = n - k;
    int b = m <= 2 * NB ? m : NB;
    double *Ak = A + k * n + k;
    latrd(m, b, Ak, n, d + k, e + k, tau + k, W, m, t, y2);
    int m2 = m - b;
    if (m2 > 0) {
      /* C ← C − V Wᵀ − W Vᵀ = C − P Qᵀ with P = [V W], Q = [W V] (m2 × 2b, column-major) */
      for (int j = 0; j < b; j++) {
        copy(m2, Ak + j * n + b, P + j * m2);
        copy(m2, W + j * m + b, P + (b + j) * m2);
        copy(m2, W + j * m + b, Q + j * m2);
        copy(m2, Ak + j * n + b, Q + (b + j) * m2);
      }
      gemm_parallel(m2, m2, 2 * b, -1.0, P, 1, m2, Q, 1, m2, Ak + b * n + b, 1, n, 1, 0, gw);
    }
    k += b;
  }
  e[n - 1] = 0;
}

/*
 * Implicit QL with Wilkinson shifts on T = (d, e), e[k] coupling k and k + 1. Eigenvalues left in d;
 * with Z (column-major, ldz rows) the rotations are applied to its columns. Returns 0, or −1 when
 * some eigenvalue needs more than ql_sweeps sweeps. e[m] is negligible when
 * |e[m]| ≤ ε (|d[m]| + |d[m+1]|) or |e[m]| ≤ ε ‖T‖ (the latter is within the reduction's backward error).
 */
static int tridiagonal_ql(int n, double *d, double *e, double *Z, int zrows, int ldz) {
  if (n == 0) return 0;
  e[n - 1] = 0;
  double norm = 0;
  for (int i = 0; i < n; i++) norm = max_(norm, fabs_(d[i]) + fabs_(e[i]) + (i > 0 ? fabs_(e[i - 1]) : 0));
  double negligible = EPS * norm;
  for (int l = 0; l < n; l++) {
    int iterations = 0, m;
    do {
      for (m = l; m < n - 1; m++) {
        double dd = fabs_(d[m]) + fabs_(d[m + 1]);
        if (fabs_(e[m]) <= EPS * dd || fabs_(e[m]) <= negligible) break;
      }
      if (m != l) {
        if (iterations++ >= ql_sweeps) return -1;
        double g = (d[l + 1] - d[l]) / (2 * e[l]);
        double r = hypot_(g, 1);
        g = d[m] - d[l] + e[l] / (g + copysign_(r, g));
        double s = 1, c = 1, p = 0;
        int i;
        int underflow = 0;
        for (i = m - 1; i >= l; i--) {
          double f = s * e[i], b = c * e[i];
          r = hypot_(f, g);
          e[i + 1] = r;
          if (r == 0) {
            d[i + 1] -= p;
            e[m] = 0;
            underflow = 1;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - p;
          r = (d[i] - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
          if (Z) {
            double *zi = Z + i * ldz, *zi1 = zi + ldz;
            v128_t sv = wasm_f64x2_splat(s), cv = wasm_f64x2_splat(c);
            int k = 0;
            for (; k + 2 <= zrows; k += 2) {
              v128_t a = wasm_v128_load(zi + k), b2 = wasm_v128_load(zi1 + k);
              wasm_v128_store(zi1 + k, wasm_f64x2_add(wasm_f64x2_mul(sv, a), wasm_f64x2_mul(cv, b2)));
              wasm_v128_store(zi + k, wasm_f64x2_sub(wasm_f64x2_mul(cv, a), wasm_f64x2_mul(sv, b2)));
            }
            for (; k < zrows; k++) {
              double a = zi[k], b2 = zi1[k];
              zi1[k] = s * a + c * b2;
              zi[k] = c * a - s * b2;
            }
          }
        }
        if (underflow) continue;
        d[l] -= p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m != l);
  }
  return 0;
}

/* Eigenvalues of the 2 × 2 symmetric [[a, b], [b, c]] (LAPACK dlae2): rt1 of larger absolute value. */
static void eigenvalues_2x2(double a, double b, double c, double *rt1, double *rt2) {
  double sm = a + c, df = a - c, adf = fabs_(df), tb = b + b, ab = fabs_(tb);
  double acmx = fabs_(a) > fabs_(c) ? a : c, acmn = fabs_(a) > fabs_(c) ? c : a;
  double rt = adf > ab ? adf * sqrt_(1 + (ab / adf) * (ab / adf)) : adf < ab ? ab * sqrt_(1 + (adf / ab) * (adf / ab)) : ab * 1.4142135623730951;
  if (sm < 0) {
    *rt1 = 0.5 * (sm - rt);
    *rt2 = (acmx / *rt1) * acmn - (b / *rt1) * b;
  } else if (sm > 0) {
    *rt1 = 0.5 * (sm + rt);
    *rt2 = (acmx / *rt1) * acmn - (b / *rt1) * b;
  } else {
    *rt1 = 0.5 * rt;
    *rt2 = -0.5 * rt;
  }
}

/*
 * Eigenvalues of T = (d, e) (e[k] couples k and k + 1) by the root-free QL/QR iteration of Pal,
 * Walker and Kahan (LAPACK dsterf, what LAPACK's eigenvalues-only drivers run): on the squares e_k²,
 * no square root per rotation. Each unreduced block is scaled into [√safmin/ε², √safmax/3] when it
 * is outside, and iterated by QL or QR as its larger end value lies at its top or bottom. e[k] is
 * negligible when e_k² ≤ ε² |d_k d_{k+1}| (LAPACK's test) or |e_k| ≤ ε ‖T‖ (within the reduction's
 * backward error; what lets the many near-zero eigenvalues of a rank-deficient matrix deflate at
 * once). Eigenvalues left in d (unordered); e is destroyed. Returns 0, or −1 after ql_sweeps · n
 * iterations in all (d then holds no meaningful values: the caller bisects a copy of T).
 */
static int tridiagonal_root_free(int n, double *d, double *e) {
  if (n <= 1) return 0;
  const double eps2 = EPS * EPS, safmax = 1 / SAFE_MIN;
  const double ssfmax = sqrt_(safmax) / 3, ssfmin = sqrt_(SAFE_MIN) / eps2;
  double norm = 0;
  for (int i = 0; i < n; i++) norm = max_(norm, fabs_(d[i]) + (i < n - 1 ? fabs_(e[i]) : 0) + (i > 0 ? fabs_(e[i - 1]) : 0));
  const long long budget = (long long)ql_sweeps * n;
  long long iterations = 0;
  e[n - 1] = 0;
  int l1 = 0;
  while (l1 < n) {
    if (l1 > 0) e[l1 - 1] = 0;
    int m = l1;
    for (; m < n - 1; m++) {
      double t = fabs_(e[m]);
      if (t == 0) break;
      if (t <= sqrt_(fabs_(d[m])) * sqrt_(fabs_(d[m + 1])) * EPS || t <= EPS * norm) {
        e[m] = 0;
        break;
      }
    }
    int l = l1, lsv = l, lend = m, lendsv = lend;
    l1 = m + 1;
    if (lend == l) continue;
    /* scale the block l..lend */
    double anorm = 0;
    for (int i = l; i <= lend; i++) anorm = max_(anorm, fabs_(d[i]));
    for (int i = l; i < lend; i++) anorm = max_(anorm, fabs_(e[i]));
    if (anorm == 0) continue;
    double factor = 1;
    if (anorm > ssfmax) factor = ssfmax / anorm;
    if (anorm < ssfmin) factor = ssfmin / anorm;
    if (factor != 1) {
      for (int i = l; i <= lend; i++) d[i] *= factor;
      for (int i = l; i < lend; i++) e[i] *= factor;
    }
    double negligible = EPS * norm * factor, negligible2 = negligible * negligible;
    for (int i = l; i < lend; i++) e[i] *= e[i];
    if (fabs_(d[lend]) < fabs_(d[l])) {
      lend = lsv;
      l = lendsv;
    }
    if (lend >= l) {
      /* QL: eigenvalues found at the top, l rising */
      while (l <= lend) {
        int mm = l;
        for (; mm < lend; mm++)
          if (fabs_(e[mm]) <= eps2 * fabs_(d[mm] * d[mm + 1]) || e[mm] <= negligible2) break;
        if (mm < lend) e[mm] = 0;
        double p = d[l];
        if (mm == l) {
          l++;
          continue;
        }
        if (mm == l + 1) {
          double rt1, rt2;
          eigenvalues_2x2(d[l], sqrt_(e[l]), d[l + 1], &rt1, &rt2);
          d[l] = rt1;
          d[l + 1] = rt2;
          e[l] = 0;
          l += 2;
          continue;
        }
        if (iterations++ >= budget) return -1;
        double rte = sqrt_(e[l]);
        double sigma = (d[l + 1] - p) / (2 * rte);
        double r = hypot_(sigma, 1);
        sigma = p - (rte / (sigma + copysign_(r, sigma)));
        double c = 1, s = 0, gamma = d[mm] - sigma;
        p = gamma * gamma;
        for (int i = mm - 1; i >= l; i--) {
          double bb = e[i];
          r = p + bb;
          if (i != mm - 1) e[i + 1] = s * r;
          double oldc = c;
          c = p / r;
          s = bb / r;
          double oldgam = gamma, alpha = d[i];
          gamma = c * (alpha - sigma) - s * oldgam;
          d[i + 1] = oldgam + (alpha - gamma);
          p = c != 0 ? (gamma * gamma) / c : oldc * bb;
        }
        e[l] = s * p;
        d[l] = sigma + gamma;
      }
    } else {
      /* QR: eigenvalues found at the bottom, l falling */
      while (l >= lend) {
        int mm = l;
        for (; mm > lend; mm--)
          if (fabs_(e[mm - 1]) <= eps2 * fabs_(d[mm] * d[mm - 1]) || e[mm - 1] <= negligible2) break;
        if (mm > lend) e[mm - 1] = 0;
        double p = d[l];
        if (mm == l) {
          l--;
          continue;
        }
        if (mm == l - 1) {
          double rt1, rt2;
          eigenvalues_2x2(d[l], sqrt_(e[l - 1]), d[l - 1], &rt1, &rt2);
          d[l] = rt1;
          d[l - 1] = rt2;
          e[l - 1] = 0;
          l -= 2;
          continue;
        }
        if (iterations++ >= budget) return -1;
        double rte = sqrt_(e[l - 1]);
        double sigma = (d[l - 1] - p) / (2 * rte);
        double r = hypot_(sigma, 1);
        sigma = p - (rte / (sigma + copysign_(r, sigma)));
        double c = 1, s = 0, gamma = d[mm] - sigma;
        p = gamma * gamma;
        for (int i = mm; i < l; i++) {
          double bb = e[i];
          r = p + bb;
          if (i != mm) e[i - 1] = s * r;
          double oldc = c;
          c = p / r;
          s = bb / r;
          double oldgam = gamma, alpha = d[i + 1];
          gamma = c * (alpha - sigma) - s * oldgam;
          d[i] = oldgam + (alpha - gamma);
          p = c != 0 ? (gamma * gamma) / c : oldc * bb;
        }
        e[l - 1] = s * p;
        d[l] = sigma + gamma;
      }
    }
    if (factor != 1)
      for (int i = lsv; i <= lendsv; i++) d[i] /= factor;
  }
  return 0;
}

/* #{eigenvalues of T < x}: the number of negative pivots of T − x I (Sturm sequence). */
static int sturm_count(int n, const double *d, const double *e2, double x, double pivmin) {
  int count = 0;
  double q = d[0] - x;
  if (fabs_(q) < pivmin) q = -pivmin;
  if (q < 0) count++;
  for (int i = 1; i < n; i++) {
    q = d[i] - x - e2[i - 1] / q;
    if (fabs_(q) < pivmin) q = -pivmin;
    if (q < 0) count++;
  }
  return count;
}

/* Eigenvalues of T = (d, e) by bisection, ascending, into values; work is 2n doubles. T is first
 * scaled by a power of two to max |t_ij| ∈ [1/2, 1), so that no e_k² underflows or overflows. */
static void tridiagonal_bisection(int n, const double *d_in, const double *e_in, double *work, double *values) {
  double *d = work, *e2 = work + n;
  double big = 0;
  for (int i = 0; i < n; i++) big = max_(big, max_(fabs_(d_in[i]), i < n - 1 ? fabs_(e_in[i]) : 0));
  if (big == 0) {
    fill(n, 0, values);
    return;
  }
  int ex = exponent_of(big);
  ex = ex < -1000 ? -1000 : ex > 1000 ? 1000 : ex;
  double down = power_of_two(-ex);
  double lo = 0, hi = 0, emax = 0;
  for (int i = 0; i < n; i++) {
    d[i] = d_in[i] * down;
    double left = i > 0 ? fabs_(e_in[i - 1]) * down : 0, right = i < n - 1 ? fabs_(e_in[i]) * down : 0;
    if (i == 0 || d[i] - left - right < lo) lo = d[i] - left - right;
    if (i == 0 || d[i] + left + right > hi) hi = d[i] + left + right;
    if (i < n - 1) {
      e2[i] = right * right;
      emax = max_(emax, e2[i]);
    }
  }
  double pivmin = SAFE_MIN * max_(1, emax);
  double spread = max_(fabs_(lo), fabs_(hi));
  lo -= 2 * EPS * spread * n + pivmin;
  hi += 2 * EPS * spread * n + pivmin;
  for (int k = 0; k < n; k++) {
    /* λ_k (0-based, ascending) is the smallest x with count(x) > k */
    double a = k > 0 ? values[k - 1] : lo, b = hi;
    if (k > 0 && sturm_count(n, d, e2, a, pivmin) > k) a = lo;
    for (int it = 0; it < 2100; it++) {
      double mid = 0.5 * (a + b);
      if (b - a <= 2 * EPS * max_(fabs_(a), fabs_(b)) + pivmin || mid == a || mid == b) break;
      if (sturm_count(n, d, e2, mid, pivmin) > k) b = mid;
      else a = mid;
    }
    values[k] = 0.5 * (a + b);
  }
  double up = power_of_two(ex);
  for (int k = 0; k < n; k++) values[k] *= up;
}

/* largest |a_ij| over the lower triangle; −1 when some entry is not finite */
static double lower_max(int n, const double *A) {
  double big = 0;
  for (int j = 0; j < n; j++)
    for (int i = j; i < n; i++) {
      double v = fabs_(A[j * n + i]);
      if (!(v <= 1.7976931348623157e308)) return -1;
      big = max_(big, v);
    }
  return big;
}

static int scaling_exponent(double big) {
  int e = exponent_of(big);
  return e < -1000 ? -1000 : e > 1000 ? 1000 : e;
}

static void scale_lower(int n, double *A, double factor) {
  for (int j = 0; j < n; j++)
    for (int i = j; i < n; i++) A[j * n + i] *= factor;
}

EXPORT(symmetric_eigenvalues_work) int symmetric_eigenvalues_work(int n) { return 6 * n + tridiagonal_work(n); }

/*
 * Eigenvalues of A (n × n, overwritten) into values (unordered). work: symmetric_eigenvalues_work(n)
 * doubles. Returns 0 (QL), 1 (QL did not converge: bisection), −1 (A has a non-finite entry),
 * −2 (T came out non-finite: the caller falls back to symmetric_eigensystem, whose Jacobi always returns).
 */
EXPORT(symmetric_eigenvalues) int symmetric_eigenvalues(int n, double *A, double *values, double *work) {
  if (n == 0) return 0;
  double big = lower_max(n, A);
  if (big < 0) return -1;
  if (big == 0) {
    fill(n, 0, values);
    return 0;
  }
  int ex = scaling_exponent(big);
  scale_lower(n, A, power_of_two(-ex));
  double *e = work, *tau = e + n, *d0 = tau + n, *e0 = d0 + n, *e2 = e0 + n, *rest = e2 + 2 * n;
  tridiagonalize(n, A, values, e, tau, rest);
  for (int i = 0; i < n; i++)
    if (!(fabs_(values[i]) <= 1.7976931348623157e308 && fabs_(e[i]) <= 1.7976931348623157e308)) return -2;
  copy(n, values, d0);
  copy(n, e, e0);
  int status = 0;
  if (tridiagonal_root_free(n, values, e) != 0) {
    tridiagonal_bisection(n, d0, e0, e2, values);
    status = 1;
  }
  scale(n, power_of_two(ex), values);
  return status;
}

/* Cyclic Jacobi on the symmetric S (n × n, both triangles, overwritten); V (column-major) ← V R. */
static void jacobi_eigen(int n, double *S, double *V, double *values) {
  for (int sweep = 0; sweep < 100; sweep++) {
    double off = 0, total = 0;
    for (int i = 0; i < n; i++)
      for (int j = 0; j < n; j++) {
        double v = S[i * n + j] * S[i * n + j];
        total += v;
        if (i != j) off += v;
      }
    if (off <= EPS * EPS * total) break;
    for (int p = 0; p < n - 1; p++)
      for (int q = p + 1; q < n; q++) {
        double apq = S[p * n + q];
        if (apq == 0) continue;
        double app = S[p * n + p], aqq = S[q * n + q];
        double theta = (aqq - app) / (2 * apq);
        double t = copysign_(1, theta) / (fabs_(theta) + sqrt_(theta * theta + 1));
        if (fabs_(theta) > 1e150) t = 1 / (2 * theta);
        double c = 1 / sqrt_(t * t + 1), s = t * c;
        for (int k = 0; k < n; k++) {
          double skp = S[k * n + p], skq = S[k * n + q];
          S[k * n + p] = c * skp - s * skq;
          S[k * n + q] = s * skp + c * skq;
        }
        for (int k = 0; k < n; k++) {
          double spk = S[p * n + k], sqk = S[q * n + k];
          S[p * n + k] = c * spk - s * sqk;
          S[q * n + k] = s * spk + c * sqk;
        }
        double *vp = V + p * n, *vq = V + q * n;
        for (int k = 0; k < n; k++) {
          double a = vp[k], b = vq[k];
          vp[k] = c * a - s * b;
          vq[k] = s * a + c * b;
        }
      }
  }
  for (int i = 0; i < n; i++) values[i] = S[i * n + i];
}

EXPORT(symmetric_eigensystem_work) int symmetric_eigensystem_work(int n) { return n * n + 3 * n + tridiagonal_work(n); }

/*
 * Eigenpairs of A (n × n, overwritten): values (unordered) and Z (column j = unit eigenvector of
 * values[j], column-major n × n). Returns 0 (QL), 1 (Jacobi fallback), −1 (non-finite entry).
 */
EXPORT(symmetric_eigensystem) int symmetric_eigensystem(int n, double *A, double *values, double *Z, double *work) {
  if (n == 0) return 0;
  double big = lower_max(n, A);
  if (big < 0) return -1;
  fill(n * n, 0, Z);
  for (int i = 0; i < n; i++) Z[i * n + i] = 1;
  if (big == 0) {
    fill(n, 0, values);
    return 0;
  }
  int ex = scaling_exponent(big);
  scale_lower(n, A, power_of_two(-ex));
  double *S = work, *e = S + n * n, *tau = e + n, *rest = tau + 2 * n;
  for (int j = 0; j < n; j++)
    for (int i = j; i < n; i++) S[i * n + j] = S[j * n + i] = A[j * n + i];
  tridiagonalize(n, A, values, e, tau, rest);
  /* Z = H_0 H_1 ⋯ H_{n−2}, applied right to left onto I */
  for (int i = n - 2; i >= 0; i--) {
    if (tau[i] == 0) continue;
    int len = n - i - 1;
    const double *v = A + i * n + i + 1;
    for (int c = i + 1; c < n; c++) {
      double *z = Z + c * n + i + 1;
      axpy(len, -tau[i] * dot(len, v, z), v, z);
    }
  }
  int status = 0;
  if (tridiagonal_ql(n, values, e, Z, n, n) != 0) {
    fill(n * n, 0, Z);
    for (int i = 0; i < n; i++) Z[i * n + i] = 1;
    jacobi_eigen(n, S, Z, values);
    status = 1;
  }
  scale(n, power_of_two(ex), values);
  return status;
}

/* Test hook: eigenvalues of the tridiagonal (d, e) by bisection alone (values ascending). */
EXPORT(tridiagonal_bisection_only) void tridiagonal_bisection_only(int n, const double *d, const double *e, double *work, double *values) {
  tridiagonal_bisection(n, d, e, work, values);
}

/* Test hook: the eigenvalues-only iteration alone (root-free QL/QR) on (d, e) (overwritten); returns 0 or −1 (budget exhausted). */
EXPORT(tridiagonal_ql_only) int tridiagonal_ql_only(int n, double *d, double *e) { return tridiagonal_root_free(n, d, e); }
