/*
 * Shared helpers of the WebAssembly kernels: no libc, float64 only, SIMD through wasm_simd128.h
 * (f64x2, two lanes). Matrices are passed as byte offsets into the module's linear memory.
 */
#ifndef LINALG_COMMON_H
#define LINALG_COMMON_H
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define EPS 2.220446049250313e-16
#define SAFE_MIN 2.2250738585072014e-308

static inline double fabs_(double x) { return __builtin_fabs(x); }
static inline double sqrt_(double x) { return __builtin_sqrt(x); }
static inline double copysign_(double x, double y) { return __builtin_copysign(x, y); }
static inline double max_(double a, double b) { return a > b ? a : b; }
static inline double min_(double a, double b) { return a < b ? a : b; }
static inline int imin(int a, int b) { return a < b ? a : b; }
static inline int imax(int a, int b) { return a > b ? a : b; }

/* √(a² + b²) without overflow or harmful underflow. */
static inline double hypot_(double a, double b) {
  a = fabs_(a);
  b = fabs_(b);
  double big = max_(a, b), small = min_(a, b);
  if (big == 0) return 0;
  double r = small / big;
  return big * sqrt_(1 + r * r);
}

static inline double horizontal_sum(v128_t v) { return wasm_f64x2_extract_lane(v, 0) + wasm_f64x2_extract_lane(v, 1); }

/* x · y over n entries */
static double dot(int n, const double *x, const double *y) {
  v128_t s0 = wasm_f64x2_splat(0), s1 = wasm_f64x2_splat(0);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(wasm_v128_load(x + i), wasm_v128_load(y + i)));
    s1 = wasm_f64x2_add(s1, wasm_f64x2_mul(wasm_v128_load(x + i + 2), wasm_v128_load(y + i + 2)));
  }
  double s = horizontal_sum(wasm_f64x2_add(s0, s1));
  for (; i < n; i++) s += x[i] * y[i];
  return s;
}

/* y += a x over n entries */
static void axpy(int n, double a, const double *x, double *y) {
  v128_t av = wasm_f64x2_splat(a);
  int i = 0;
  for (; i + 2 <= n; i += 2) wasm_v128_store(y + i, wasm_f64x2_add(wasm_v128_load(y + i), wasm_f64x2_mul(av, wasm_v128_load(x + i))));
  for (; i < n; i++) y[i] += a * x[i];
}

static void scale(int n, double a, double *x) {
  for (int i = 0; i < n; i++) x[i] *= a;
}

/* ‖x‖₂ without overflow: scaled by the largest |x_i|. */
static double norm2(int n, const double *x) {
  double big = 0;
  for (int i = 0; i < n; i++) big = max_(big, fabs_(x[i]));
  if (big == 0) return 0;
  double s = 0;
  if (big > 1e-290 && big < 1e290) {
    double inv = 1 / big;
    for (int i = 0; i < n; i++) {
      double t = x[i] * inv;
      s += t * t;
    }
  } else {
    for (int i = 0; i < n; i++) {
      double t = x[i] / big;
      s += t * t;
    }
  }
  return big * sqrt_(s);
}

/* 2^e as a double, for −1022 ≤ e ≤ 1023 (exact scaling by powers of two). */
static double power_of_two(int e) {
  union { double d; unsigned long long u; } v;
  v.u = (unsigned long long)(e + 1023) << 52;
  return v.d;
}

/* the exponent e with 2^(e−1) ≤ x < 2^e, for finite x > 0 (normal numbers) */
static int exponent_of(double x) {
  union { double d; unsigned long long u; } v;
  v.d = x;
  return (int)((v.u >> 52) & 0x7ff) - 1022;
}

static void copy(int n, const double *from, double *to) {
  for (int i = 0; i < n; i++) to[i] = from[i];
}

static void fill(int n, double value, double *to) {
  for (int i = 0; i < n; i++) to[i] = value;
}

#endif
