/**
 * Upper bounds on rank H_l read off one instance's per-sample terms H_l = Σ_i M_i ⊗ x̃_i x̃_iᵀ
 * (M_i symmetric out × out, x̃_i the layer input). range(Σ_i T_i) ⊂ Σ_i range(T_i) and
 * range(M ⊗ x xᵀ) = range(M) ⊗ x give
 *   sample bound    rank H_l ≤ Σ_i rank M_i
 *   support bound   rank H_l ≤ Σ_a dim span{ x̃_i : i ∈ S_a },   S_a = { i : row a of M_i ≠ 0 }
 *   factor bound    rank H_l ≤ dim(Σ_i range M_i) · dim span{ x̃_i }
 * (range M_i ⊂ span{e_a : a ∈ S_a's of i}, and range M_i ⊗ x̃_i ⊂ (Σ_j range M_j) ⊗ span{x̃_j}).
 * For relu networks row a of M_i is exactly zero when unit a is inactive on sample i, so a unit active
 * on fewer samples than its fan-in leaves part of its row of W_l outside the range; for cross-entropy
 * at the last layer every M_i kills the all-ones vector, so dim Σ range M_i ≤ K − 1. For positive
 * semi-definite M_i (the H_O part) dim Σ_i range M_i = rank Σ_i M_i. Every rank here is numerical,
 * τ = σ_max · n · ε of the matrix it is taken of (numericalRank.ts).
 */
import { multiply, multiplyTransposed, transpose, type Matrix } from '../numeric/matrix.js';
import { numericalRank } from '../numeric/numericalRank.js';
import { symmetricEigenvalues } from '../linalg/index.js';
import type { LayerSamples } from './layerOutputHessian.js';

export interface InstanceBounds {
  sampleBound: number;
  supportBound: number;
  factorBound: number;
  /** min of the three and p_l */
  bound: number;
}

/** Numerical rank of the rows of X (n × m) from the smaller Gram matrix. */
function rowRank(X: Matrix): number {
  if (X.rows === 0 || X.cols === 0) return 0;
  const gram = X.rows <= X.cols ? multiplyTransposed(X, X) : multiply(transpose(X), X);
  return numericalRank(symmetricEigenvalues(gram), gram.rows).rank;
}

function stackRows(vectors: readonly Float64Array[], width: number): Matrix {
  const X = { rows: vectors.length, cols: width, data: new Float64Array(vectors.length * width) };
  vectors.forEach((v, i) => X.data.set(v, i * width));
  return X;
}

export function instanceBounds(samples: LayerSamples): InstanceBounds {
  const { outputHessians, inputs } = samples;
  const out = outputHessians[0]?.rows ?? 0;
  const inWidth = inputs[0]?.length ?? 0;
  let sampleBound = 0;
  for (const M of outputHessians) sampleBound += numericalRank(symmetricEigenvalues(M), M.rows).rank;
  let supportBound = 0;
  for (let a = 0; a < out; a++) {
    const support = inputs.filter((_, i) => outputHessians[i]!.data.subarray(a * out, (a + 1) * out).some((v) => v !== 0));
    supportBound += rowRank(stackRows(support, inWidth));
  }
  // Σ_i range M_i is the column space of [M_1 ⋯ M_N]: the row space of the stacked M_i (symmetric).
  const ranges = stackRows(outputHessians.flatMap((M) => Array.from({ length: out }, (_, a) => M.data.subarray(a * out, (a + 1) * out))), out);
  const factorBound = rowRank(ranges) * rowRank(stackRows(inputs, inWidth));
  return { sampleBound, supportBound, factorBound, bound: Math.min(out * inWidth, sampleBound, supportBound, factorBound) };
}
