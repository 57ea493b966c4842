/**
 * Numerical rank of a matrix from its singular values σ_1 ≥ σ_2 ≥ … ≥ σ_n:
 *   rank = #{ i : σ_i > τ },  τ = σ_1 · n · ε   (numpy.linalg.matrix_rank's default, ε = 2^-52)
 * n is the matrix's dimension (p for every Hessian part), so τ is relative to ‖H‖₂ = σ_1.
 * The gap at the cut is σ_rank / σ_{rank+1}, in decades. The rank at the largest gap is the k that
 * maximises σ_k / max(σ_{k+1}, σ_1 ε): where a spectrum's largest drop is (relevant for relu/tanh,
 * whose tiny eigenvalues are numerically nonzero).
 */

export interface SpectralGap {
  /** σ_rank */
  above: number;
  /** σ_{rank+1} */
  below: number;
  /** log10(σ_rank / σ_{rank+1}); Infinity when σ_{rank+1} = 0 exactly */
  decades: number;
}

export interface NumericalRank {
  rank: number;
  /** τ = σ_max · n · ε */
  tolerance: number;
  sigmaMax: number;
  dimension: number;
  /** null when the rank is 0 or n */
  gap: SpectralGap | null;
  largestGapRank: number;
  largestGapDecades: number;
}

/** `values`: singular values (or |eigenvalues|) in any order; missing ones, up to `dimension`, are 0. */
export function numericalRank(values: ArrayLike<number>, dimension: number): NumericalRank {
  const sigma = Float64Array.from(values, Math.abs).sort().reverse();
  const sigmaMax = sigma.length > 0 ? sigma[0]! : 0;
  const tolerance = sigmaMax * dimension * Number.EPSILON;
  const at = (i: number): number => (i < sigma.length ? sigma[i]! : 0);
  let rank = 0;
  while (rank < sigma.length && sigma[rank]! > tolerance) rank++;
  const gap =
    rank === 0 || rank === dimension
      ? null
      : {
          above: at(rank - 1),
          below: at(rank),
          decades: at(rank) === 0 ? Infinity : Math.log10(at(rank - 1) / at(rank)),
        };
  const floor = sigmaMax * Number.EPSILON;
  let largestGapRank = sigmaMax > 0 ? dimension : 0;
  let largestGapDecades = 0;
  for (let k = 1; k < dimension && sigmaMax > 0; k++) {
    const ratio = Math.log10(Math.max(at(k - 1), floor) / Math.max(at(k), floor));
    if (ratio > largestGapDecades) {
      largestGapDecades = ratio;
      largestGapRank = k;
    }
  }
  return { rank, tolerance, sigmaMax, dimension, gap, largestGapRank, largestGapDecades };
}
