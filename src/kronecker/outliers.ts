/**
 * Outlier eigenvalues of a layer block: the top eigenvalues separated from the rest by the largest
 * relative gap. With λ_1 ≥ λ_2 ≥ … the eigenvalues, n₊ = #{λ_i > τ} (τ = λ_max · n · ε, the numerical-
 * rank tolerance) and a window w,
 *   outliers = the k ∈ {1, …, min(w, n₊ − 1)} maximising λ_k / λ_{k+1}   (the smallest such k on ties),
 * so the count is where the largest gap among the top w + 1 positive eigenvalues lies; eigenvalues at or
 * below τ are excluded so that the cut at the block's rank is not taken for an outlier gap. Default
 * window: 3K (a count up to three times the number of classes can be found; [WZWWG20] expect ≈ K).
 * With n₊ ≤ 1 the count is n₊ and there is no gap.
 */

export interface OutlierCount {
  count: number;
  /** λ_count / λ_{count+1}; null when there is no gap to measure */
  gapRatio: number | null;
  window: number;
  /** n₊ */
  positive: number;
}

export function defaultOutlierWindow(K: number): number {
  return 3 * K;
}

export function outlierCount(valuesDescending: ArrayLike<number>, window: number): OutlierCount {
  const n = valuesDescending.length;
  const top = n > 0 ? valuesDescending[0]! : 0;
  const tolerance = Math.max(top, 0) * n * Number.EPSILON;
  let positive = 0;
  while (positive < n && valuesDescending[positive]! > tolerance) positive++;
  if (positive <= 1) return { count: positive, gapRatio: null, window, positive };
  let count = 1;
  let best = -Infinity;
  for (let k = 1; k <= Math.min(window, positive - 1); k++) {
    const ratio = valuesDescending[k - 1]! / valuesDescending[k]!;
    if (ratio > best) {
      best = ratio;
      count = k;
    }
  }
  return { count, gapRatio: best, window, positive };
}
