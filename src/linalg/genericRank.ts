/**
 * The generic rank of a matrix M(w) whose entries are polynomials in parameters w with integer coefficients:
 * max over w of rank M(w), from its ranks over Z/PZ at seeded random points of (Z/PZ)^n.
 *
 *   Draw j takes a prime P_j from S (the primes in (2^22, 2^23), distinct across draws: drawPrimes) and a point
 *   w̄_j uniform in (Z/PZ)^n, and ranks M(w̄_j) over Z/PZ. Every minor of M mod P is that minor of M reduced, so
 *   rank_P M(w̄_j) is never above the generic rank r over Q. It is below r only if D(w̄_j) ≡ 0 (mod P_j) for a
 *   nonzero r × r minor D of M, a polynomial of degree ≤ d r ≤ d u (d the entries' degree, u a proven bound on r):
 *   either P_j divides a fixed nonzero coefficient c of D (at most log₂|c| / 22 primes of S do), or D mod P_j is
 *   nonzero and vanishes at w̄_j (probability ≤ d u / P_j < d u / 2^22, Schwartz–Zippel). With
 *   q = log₂C / (22 |S|) + d u / 2^22, C ≥ |c|, the draws all fall below r with probability ≤ q^k (the primes are
 *   drawn without replacement, so any t of them all divide c with probability ≤ (log₂C / (22 |S|))^t, and the points
 *   are independent given the primes).
 *
 *   C: every coefficient of D is at most, in absolute value, the permanent of the r × r matrix of its entries'
 *   absolute coefficient sums, ≤ the product of their row sums (or column sums). So log₂C is the sum of the u
 *   largest log₂(row sums) (or column sums) of that matrix: for entries with nonnegative coefficients, M at
 *   w = (1, …, 1) (genericPolynomialRank's `magnitude`, in float64, widened by 10⁻⁶ against rounding); for entries
 *   that are sums of at most m entries of w with coefficients ±1 (`genericRank`), every row sum is at most m · cols
 *   and every column sum at most m · rows.
 *
 * A draw reaching u gives the rank with certainty; otherwise draws continue until q^k ≤ 1e-9. The result is
 * never above the generic rank, and below it with probability ≤ 1e-9. Used for the CNN geometry's per-layer
 * quantities (src/cnn/toeplitzRank.ts, src/cnn/inputSymmetry.ts, ...) and for the products of structured matrices
 * along a stack (src/cnn/stackNull.ts, src/cnn/columnDifferential.ts, src/cnn/patchSpan.ts).
 */
import type { Matrix } from './denseMatrix.js';
import { drawPrimes, exactFailureProbability, log2MinorBound, primeSeed, primeSetBounds, rankModPrime } from './exactRank.js';
import { primeField, type PrimeField } from '../numeric/ring.js';
import { RandomStream } from '../numeric/random.js';

export interface GenericRank {
  /** max over the draws of rank_P M(w̄): never above the generic rank */
  rank: number;
  /** u: a proven bound on the generic rank (at most min(rows, cols)) */
  upperBound: number;
  /** each draw's prime and the rank of M modulo it at its point */
  draws: { prime: number; rank: number }[];
  /** P(rank < generic rank) ≤ this: 0 when rank = u, else q^k ≤ 1e-9 (see the top) */
  wrongAtMost: number;
}

/** The polynomial matrix, as the draws read it. */
interface Evaluation {
  /** M(w̄) with integer entries congruent to it modulo the field's prime (|x| < 2^52), w̄ ∈ [0, P)^n */
  modular: (field: PrimeField, w: Float64Array) => Matrix;
  /** log₂C (see the top) for a bound u on the rank, given M's shape */
  log2Coefficients: (u: number, rows: number, cols: number) => number;
}

/** q: the chance that one draw falls below the generic rank (see the top). */
export function drawFailure(log2C: number, degree: number, u: number): number {
  return Math.max(log2C, 1) / (22 * primeSetBounds.count) + (degree * u) / primeSetBounds.above;
}

/** The draws: as many as q^k ≤ 1e-9 needs, stopping at the first that reaches u (see the top). */
function drawRanks(parameters: number, degree: number, evaluation: Evaluation, seed: number, upperBound = Infinity, lowerBoundOnly = false): GenericRank {
  const random = new RandomStream(seed);
  const draws: { prime: number; rank: number }[] = [];
  let u = upperBound;
  let count = 1;
  let q = 1;
  for (let j = 0; j < count; j++) {
    // the first `count` primes of one seeded stream: the first draw's prime is drawn before count is known
    const prime = drawPrimes(j + 1, primeSeed(seed))[j]!;
    const field = primeField(prime);
    const point = new Float64Array(parameters);
    for (let i = 0; i < parameters; i++) point[i] = random.integer(0, prime - 1);
    const M = evaluation.modular(field, point);
    u = Math.min(u, M.rows, M.cols);
    const rank = rankModPrime(M, field);
    draws.push({ prime, rank });
    // rank_P ≤ rank_Q ≤ u: reaching u is certain; a caller that needs only a value never above the generic rank stops here
    if (rank >= u || lowerBoundOnly) break;
    if (j === 0) {
      q = drawFailure(evaluation.log2Coefficients(u, M.rows, M.cols), degree, u);
      if (q >= 1) throw new RangeError(`genericRank: a draw fails with probability ${q.toFixed(2)} (degree ${degree}, rank bound ${u}): primes below 2^23 give no bound`);
      count = Math.max(1, Math.ceil(Math.log(exactFailureProbability) / Math.log(q)));
    }
  }
  const rank = Math.max(0, ...draws.map((d) => d.rank));
  return { rank, upperBound: u, draws, wrongAtMost: rank >= u ? 0 : q ** draws.length };
}

/**
 * The generic rank of w ↦ M(w): `parameters` entries of w, each entry of M(w) (from `build`, in float64) a sum of
 * at most `terms` entries of w with coefficients ±1; `upperBound` a proven bound on the rank (default min(rows,
 * cols) of M). At a point of [0, P)^n, P < 2^23, M(w̄) is exact in float64 (terms < 2^29), and ranked modulo P as it is.
 */
export function genericRank(parameters: number, terms: number, build: (w: Float64Array) => Matrix, seed: number, upperBound?: number): GenericRank {
  if (!(terms < 2 ** 29)) throw new RangeError(`genericRank: ${terms} terms per entry leave float64 inexact`);
  return drawRanks(
    parameters,
    1,
    {
      // entries below terms · 2^23 < 2^53: rankModPrime reduces them itself
      modular: (_, w) => build(w),
      // every row sum of the absolute coefficient sums is at most terms · cols, every column sum at most terms · rows
      log2Coefficients: (u, rows, cols) => u * Math.log2(Math.max(1, Math.max(terms, 1) * Math.min(rows, cols))),
    },
    seed,
    upperBound,
  );
}

/**
 * The generic rank of w ↦ M(w) whose entries are polynomials in w of degree ≤ `degree` with nonnegative integer
 * coefficients (sums of products of entries of w, as products of structured matrices give): `modular(field, w̄)`
 * gives M(w̄) modulo the prime (w̄ residues in [0, P): taken as they are), and `magnitude(w)` M(w) in float64 (every entry a sum of products of nonnegative
 * numbers, computed with relative error below 10⁻¹²), read at w = (1, …, 1) for the coefficient sums (see the top).
 *
 * With `lowerBoundOnly` (for quantities a bound only ever reads as a lower bound, where understating them loosens the
 * bound) the first draw's rank is returned: never above the generic rank, with no failure probability, and
 * `wrongAtMost` then bounds nothing.
 */
export function genericPolynomialRank(
  parameters: number,
  degree: number,
  evaluate: { modular: (field: PrimeField, w: Float64Array) => Matrix; magnitude: (w: Float64Array) => Matrix },
  seed: number,
  upperBound?: number,
  lowerBoundOnly = false,
): GenericRank {
  return drawRanks(
    parameters,
    degree,
    {
      modular: evaluate.modular,
      log2Coefficients: (u) => {
        const sums = evaluate.magnitude(new Float64Array(parameters).fill(1));
        const rows = new Float64Array(sums.rows);
        const cols = new Float64Array(sums.cols);
        for (let i = 0; i < sums.rows; i++)
          for (let j = 0; j < sums.cols; j++) {
            const x = sums.data[i * sums.cols + j]! * (1 + 1e-6);
            rows[i]! += x;
            cols[j]! += x;
          }
        return Math.min(log2MinorBound(rows, u), log2MinorBound(cols, u));
      },
    },
    seed,
    upperBound,
    lowerBoundOnly,
  );
}
