/**
 * Numerical rank of a matrix from its singular values σ_1 ≥ σ_2 ≥ … ≥ σ_n:
 *   rank = #{ i : σ_i > τ },  τ = σ_1 · n · ε   (numpy.linalg.matrix_rank's default, ε = 2^-52)
 * n is the matrix's dimension (p for every Hessian part), so τ is relative to ‖H‖₂ = σ_1.
 * The gap at the cut is σ_rank / σ_{rank+1}, in decades. The rank at the largest gap is the k that
 * maximises σ_k / max(σ_{k+1}, σ_1 ε): where a spectrum's largest drop is (relevant for relu/tanh,
 * whose tiny eigenvalues are numerically nonzero).
 *
 * Decision rule (docs/theory.md#when-float64-decides-a-rank): the rank at τ is decided in float64 when
 *   σ_rank ≥ A · τ   and   σ_rank / σ_{rank+1} ≥ 10^G     (A = floatDecision.keptOverTolerance,
 *                                                          G = floatDecision.gapDecades)
 * (the first alone when rank = n; rank 0 only for the zero matrix). Otherwise it is undetermined, with
 * the candidate ranks [#{σ_i ≥ A·τ}, #{σ_i ≥ σ_rank / 10^G}]: the values that are surely kept, up to
 * every value too close to the smallest kept one to be told apart from it.
 */
import { InputError } from '../errors.js';

export interface SpectralGap {
  /** σ_rank */
  above: number;
  /** σ_{rank+1} */
  below: number;
  /** log10(σ_rank / σ_{rank+1}); Infinity when σ_{rank+1} = 0 exactly */
  decades: number;
}

/** The stated thresholds of the decision rule, chosen by measurement (docs/theory.md). */
export const floatDecision = {
  /** the gap at the cut, σ_rank / σ_{rank+1}, must span at least this many decades */
  gapDecades: 3,
  /** the smallest kept singular value must be at least this multiple of τ */
  keptOverTolerance: 10,
} as const;

/** Why float64 cannot decide a rank, and between which ranks. */
export interface Undetermined {
  /** the rank at τ, which is not reported as the rank */
  rankAtTolerance: number;
  /** [lowest, highest] rank the spectrum allows (see the module comment) */
  candidates: [number, number];
  tolerance: number;
  /** σ_rank / τ (null at rank 0) */
  keptOverTolerance: number | null;
  /** log10 σ_rank / σ_{rank+1} (null when rank = 0 or n; Infinity above an exact zero) */
  gapDecades: number | null;
  /** the thresholds it failed */
  rule: typeof floatDecision;
}

export interface NumericalRank {
  rank: number;
  /** τ = σ_max · n · ε */
  tolerance: number;
  sigmaMax: number;
  /** σ_rank, the smallest value kept (0 at rank 0) */
  smallestKept: number;
  dimension: number;
  /** null when the rank is 0 or n */
  gap: SpectralGap | null;
  largestGapRank: number;
  largestGapDecades: number;
  /** set when the rank at τ is not decided by the rule above */
  undetermined?: Undetermined;
}

/** `values`: singular values (or |eigenvalues|) in any order; missing ones, up to `dimension`, are 0. */
export function numericalRank(values: ArrayLike<number>, dimension: number): NumericalRank {
  if (!Number.isSafeInteger(dimension) || dimension < values.length) {
    throw new InputError(`numericalRank: the dimension must be an integer ≥ the ${values.length} values given, got ${String(dimension)}`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new InputError(`numericalRank: value ${i} is ${String(values[i])}, not a finite number`);
  }
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
  const result: NumericalRank = { rank, tolerance, sigmaMax, smallestKept: at(rank - 1), dimension, gap, largestGapRank, largestGapDecades };
  const undetermined = decide(sigma, dimension, rank, tolerance, gap);
  if (undetermined) result.undetermined = undetermined;
  return result;
}

/** undefined when the rank at τ is decided, else the evidence (see the module comment). */
function decide(sigma: Float64Array, dimension: number, rank: number, tolerance: number, gap: SpectralGap | null): Undetermined | undefined {
  if (rank === 0) return undefined; // σ_max ≤ n ε σ_max: only the zero matrix (for n ε < 1)
  const { gapDecades: G, keptOverTolerance: A } = floatDecision;
  const smallestKept = sigma[rank - 1]!;
  const kept = smallestKept / tolerance;
  const decided = kept >= A && (gap === null || gap.decades >= G);
  if (decided) return undefined;
  const count = (bound: number): number => {
    let k = 0;
    while (k < sigma.length && sigma[k]! >= bound) k++;
    return k;
  };
  const low = count(A * tolerance);
  const high = Math.min(dimension, Math.max(rank, count(smallestKept / 10 ** G)));
  return {
    rankAtTolerance: rank,
    candidates: [Math.min(low, rank), high],
    tolerance,
    keptOverTolerance: kept,
    gapDecades: gap ? gap.decades : null,
    rule: floatDecision,
  };
}
