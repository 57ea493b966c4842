/**
 * Overlap of two k-dimensional subspaces with orthonormal bases U, V ∈ R^{n×k}:
 *   overlap(U, V) = ‖Uᵀ V‖_F² / k = tr(P_U P_V) / k ∈ [0, 1]
 * ([WZWWG20]'s measure): 1 iff the subspaces are equal, 0 iff orthogonal; two independent uniformly
 * random k-dimensional subspaces of R^n overlap k/n in expectation (the baseline it is compared to).
 * A top-k eigenspace is well defined only when λ_k > λ_{k+1}; `eigengap` reports λ_k / λ_{k+1}.
 */

export function subspaceOverlap(U: readonly Float64Array[], V: readonly Float64Array[]): number {
  const k = U.length;
  if (k === 0 || V.length !== k) throw new Error(`subspaceOverlap: bases of ${U.length} and ${V.length} vectors`);
  let total = 0;
  for (const u of U) {
    for (const v of V) {
      let dot = 0;
      for (let i = 0; i < u.length; i++) dot += u[i]! * v[i]!;
      total += dot * dot;
    }
  }
  return total / k;
}

/** The expected overlap of two random k-dimensional subspaces of R^n. */
export function randomOverlapBaseline(k: number, n: number): number {
  return k / n;
}

/** λ_k / λ_{k+1} of a descending spectrum (Infinity when λ_{k+1} = 0, null when k ≥ n). */
export function eigengap(values: ArrayLike<number>, k: number): number | null {
  if (k < 1 || k >= values.length) return null;
  const below = values[k]!;
  return below === 0 ? Infinity : values[k - 1]! / below;
}
