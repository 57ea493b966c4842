/*
 * Singular value decomposition by one-sided Jacobi (Hestenes 1958; Demmel & Veselić 1992).
 * B is k × n (k ≤ n), rows contiguous; plane rotations orthogonalise its rows until every pair satisfies
 * |⟨b_i, b_j⟩| ≤ n ε ‖b_i‖ ‖b_j‖, rows of squared norm ≤ ε² ‖B‖_F² being rounding noise left alone.
 * Then B = Qᵀ R with R's rows orthogonal: the row norms of R are the singular values, the normalised
 * rows the right singular vectors, the rows of Q the left ones. Singular values come out with small
 * relative error. At most MAX_SWEEPS sweeps: the result is then still an exact orthogonal
 * factorisation B = Qᵀ R (up to rounding), with R's rows orthogonal to the tolerance reached, so it
 * always returns (the sweep count is reported).
 */
#include "common.h"

#define MAX_SWEEPS 80

/* B (k × n, overwritten by R), Q (k × k, set); returns the sweeps used, or −1 when the cap was hit. */
EXPORT(one_sided_jacobi) int one_sided_jacobi(int k, int n, double *B, double *Q) {
  fill(k * k, 0, Q);
  for (int i = 0; i < k; i++) Q[i * k + i] = 1;
  double total = dot(k * n, B, B);
  double negligible = EPS * EPS * total;
  double tolerance = n * EPS;
  if (k < 2) return 0;
  for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    int converged = 1;
    for (int i = 0; i < k - 1; i++) {
      for (int j = i + 1; j < k; j++) {
        double *x = B + i * n, *y = B + j * n;
        double alpha = dot(n, x, x), beta = dot(n, y, y), gamma = dot(n, x, y);
        if (alpha <= negligible || beta <= negligible || fabs_(gamma) <= tolerance * sqrt_(alpha * beta)) continue;
        converged = 0;
        double zeta = (beta - alpha) / (2 * gamma);
        double t = copysign_(1, zeta) / (fabs_(zeta) + sqrt_(1 + zeta * zeta));
        double c = 1 / sqrt_(1 + t * t), s = c * t;
        v128_t cv = wasm_f64x2_splat(c), sv = wasm_f64x2_splat(s);
        int q = 0;
        for (; q + 2 <= n; q += 2) {
          v128_t a = wasm_v128_load(x + q), b = wasm_v128_load(y + q);
          wasm_v128_store(x + q, wasm_f64x2_sub(wasm_f64x2_mul(cv, a), wasm_f64x2_mul(sv, b)));
          wasm_v128_store(y + q, wasm_f64x2_add(wasm_f64x2_mul(sv, a), wasm_f64x2_mul(cv, b)));
        }
        for (; q < n; q++) {
          double a = x[q], b = y[q];
          x[q] = c * a - s * b;
          y[q] = s * a + c * b;
        }
        double *qx = Q + i * k, *qy = Q + j * k;
        for (q = 0; q < k; q++) {
          double a = qx[q], b = qy[q];
          qx[q] = c * a - s * b;
          qy[q] = s * a + c * b;
        }
      }
    }
    if (converged) return sweep + 1;
  }
  return -1;
}
