/**
 * A top eigenvector v of a layer block, reshaped to the weight's shape: V[a, b] = v[a·in + b]
 * (out × in). If H_l = A ⊗ B then v = u ⊗ w and V = u wᵀ has rank 1 ([WZWWG20]: under the
 * decoupling the top eigenvectors are ≈ u_i ⊗ w_1, so V ≈ rank 1).
 *
 * Numerical rank of V: #{ σ_k(V) > τ }, with τ the eigenvector's own error bound. The computed pair
 * is exact for H + E with ‖E‖₂ ≤ η = n ε ‖H‖₂ (backward stability); by Davis–Kahan the computed v is
 * within η / δ of the invariant subspace of its cluster (eigenvalues chained by gaps ≤ η), δ the
 * distance from the cluster to the rest of the spectrum; singular values of V move by at most that:
 *   τ = max(η / δ, max(out, in) · ε)     (‖V‖_F = 1).
 * Singular values by one-sided Jacobi (src/linalg/singularValueDecomposition.ts). Also reported: σ_2/σ_1 and the rank-one energy σ_1² / Σ σ_k² (1 for an exact rank-one V).
 */
import type { LayerShape } from './layerBlock.js';
import { singularValueDecomposition } from '../linalg/index.js';

export interface ReshapedEigenvector {
  /** j: the j-th largest eigenvalue's eigenvector (1-based) */
  index: number;
  eigenvalue: number;
  /** #{σ_k(V) > τ} */
  rank: number;
  tolerance: number;
  /** σ_2 / σ_1 (0 if V is a vector) */
  secondRatio: number;
  /** σ_1² / Σ σ_k² */
  rankOneEnergy: number;
  singularValues: Float64Array;
}

/** The separation δ_j of eigenvalue j's cluster from the rest of the spectrum (Infinity if none). */
export function clusterSeparation(values: ArrayLike<number>, j: number, eta: number): number {
  let first = j;
  while (first > 0 && values[first - 1]! - values[first]! <= eta) first--;
  let last = j;
  while (last < values.length - 1 && values[last]! - values[last + 1]! <= eta) last++;
  const above = first > 0 ? values[first - 1]! - values[first]! : Infinity;
  const below = last < values.length - 1 ? values[last]! - values[last + 1]! : Infinity;
  return Math.min(above, below);
}

export function reshapedEigenvector(
  v: Float64Array,
  shape: Pick<LayerShape, 'out' | 'in'>,
  values: ArrayLike<number>,
  j: number,
): ReshapedEigenvector {
  const n = values.length;
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(values[i]!));
  const eta = n * Number.EPSILON * norm;
  const delta = clusterSeparation(values, j, eta);
  const tolerance = Math.max(eta / delta, Math.max(shape.out, shape.in) * Number.EPSILON);
  const V = { rows: shape.out, cols: shape.in, data: v };
  const sigma = singularValueDecomposition(V).values;
  let total = 0;
  for (const s of sigma) total += s * s;
  return {
    index: j + 1,
    eigenvalue: values[j]!,
    rank: sigma.filter((s) => s > tolerance).length,
    tolerance,
    secondRatio: sigma.length > 1 && sigma[0]! > 0 ? sigma[1]! / sigma[0]! : 0,
    rankOneEnergy: total > 0 ? (sigma[0]! * sigma[0]!) / total : 0,
    singularValues: sigma,
  };
}
