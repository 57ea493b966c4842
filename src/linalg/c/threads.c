/*
 * Two threads inside one call: the caller's thread and one helper (a worker thread that attached to
 * the same shared memory and sits in helper_loop). A job is a GEMM row range or a share of a
 * symmetric matrix–vector product; the caller publishes it, wakes the helper (memory.atomic.notify),
 * does its own share and waits (memory.atomic.wait32) for the helper's. Shares write disjoint memory.
 * Without a helper (threads_enabled = 0) everything runs on the caller's thread.
 */
#include "common.h"

void gemm_rows(int row0, int row1, int n, int K, double alpha, const double *A, int ars, int acs, const double *B, int brs,
               int bcs, double *C, int crs, int ccs, int lower, double modulus, double *work);
void symv_columns(int m, int j0, int j1, const double *A, int lda, const double *x, double *y);

enum { JOB_GEMM = 1, JOB_SYMV = 2 };

typedef struct {
  int kind;
  int row0, row1, n, K, ars, acs, brs, bcs, crs, ccs, lower, m, j0, j1, lda;
  double alpha, modulus;
  const double *A, *B, *x;
  double *C, *y;
} Job;

static Job job;
static int job_sequence; /* incremented by the caller for each job */
static int job_done;     /* set to the sequence number by the helper when its share is done */
static int helper_ready;
static int threads_enabled;
static double *helper_work;

/* Work below this many flops stays on one thread (the wake-up costs ~10–50 µs). */
#define PARALLEL_FLOPS 4e6

EXPORT(set_threads) void set_threads(int enabled) { threads_enabled = enabled && __atomic_load_n(&helper_ready, __ATOMIC_SEQ_CST); }
EXPORT(helper_is_ready) int helper_is_ready(void) { return __atomic_load_n(&helper_ready, __ATOMIC_SEQ_CST); }

static void run(const Job *j, double *work) {
  if (j->kind == JOB_GEMM) {
    gemm_rows(j->row0, j->row1, j->n, j->K, j->alpha, j->A, j->ars, j->acs, j->B, j->brs, j->bcs, j->C, j->crs, j->ccs, j->lower,
              j->modulus, work);
  } else if (j->kind == JOB_SYMV) {
    fill(j->m - j->j0, 0, j->y + j->j0);
    symv_columns(j->m, j->j0, j->j1, j->A, j->lda, j->x, j->y);
  }
}

/* The helper thread's entry: never returns. work: gemm_work_size() doubles of its own. */
EXPORT(helper_loop) void helper_loop(double *work) {
  helper_work = work;
  int seen = __atomic_load_n(&job_sequence, __ATOMIC_SEQ_CST);
  __atomic_store_n(&helper_ready, 1, __ATOMIC_SEQ_CST);
  __builtin_wasm_memory_atomic_notify(&helper_ready, 1);
  for (;;) {
    int now;
    while ((now = __atomic_load_n(&job_sequence, __ATOMIC_SEQ_CST)) == seen) __builtin_wasm_memory_atomic_wait32(&job_sequence, seen, -1);
    seen = now;
    run(&job, work);
    __atomic_store_n(&job_done, seen, __ATOMIC_SEQ_CST);
    __builtin_wasm_memory_atomic_notify(&job_done, 1);
  }
}

static int start_helper(void) {
  int sequence = __atomic_add_fetch(&job_sequence, 1, __ATOMIC_SEQ_CST);
  __builtin_wasm_memory_atomic_notify(&job_sequence, 1);
  return sequence;
}

static void wait_helper(int sequence) {
  /* spin briefly (the shares are balanced), then sleep */
  for (int spin = 0; spin < 2000; spin++)
    if (__atomic_load_n(&job_done, __ATOMIC_SEQ_CST) == sequence) return;
  int done;
  while ((done = __atomic_load_n(&job_done, __ATOMIC_SEQ_CST)) != sequence) __builtin_wasm_memory_atomic_wait32(&job_done, done, -1);
}

/* C += α A Bᵀ on rows [0, m) (as gemm_rows), split between the two threads when worth it. */
void gemm_parallel(int m, int n, int K, double alpha, const double *A, int ars, int acs, const double *B, int brs, int bcs, double *C,
                   int crs, int ccs, int lower, double modulus, double *work) {
  double flops = 2.0 * m * n * K * (lower ? 0.5 : 1);
  if (!threads_enabled || flops < PARALLEL_FLOPS || m < 16) {
    gemm_rows(0, m, n, K, alpha, A, ars, acs, B, brs, bcs, C, crs, ccs, lower, modulus, work);
    return;
  }
  /* lower: rows [0, s) hold s²/2 of the m²/2 entries, so s = m/√2 balances */
  int split = lower ? (int)(m * 0.7071067811865476) : m / 2;
  split &= ~3;
  Job j = {JOB_GEMM, split, m, n, K, ars, acs, brs, bcs, crs, ccs, lower, 0, 0, 0, 0, alpha, modulus, A, B, 0, C, 0};
  job = j;
  int sequence = start_helper();
  gemm_rows(0, split, n, K, alpha, A, ars, acs, B, brs, bcs, C, crs, ccs, lower, modulus, work);
  wait_helper(sequence);
}

/* y = A x for the lower-stored symmetric A (m × m); y2 is m doubles of scratch for the helper. */
void symv_parallel(int m, const double *A, int lda, const double *x, double *y, double *y2) {
  fill(m, 0, y);
  if (!threads_enabled || (double)m * m < PARALLEL_FLOPS / 2) {
    symv_columns(m, 0, m, A, lda, x, y);
    return;
  }
  /* columns [s, m) hold (m − s)²/2 entries: s = m (1 − 1/√2) balances */
  int split = (int)(m * (1 - 0.7071067811865476));
  Job j = {JOB_SYMV, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, m, split, m, lda, 0, 0, A, 0, x, 0, y2};
  job = j;
  int sequence = start_helper();
  symv_columns(m, 0, split, A, lda, x, y);
  wait_helper(sequence);
  axpy(m - split, 1.0, y2 + split, y + split);
}
