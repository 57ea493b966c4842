/**
 * The generic rank of a matrix M(w) whose entries are linear in parameters w with integer
 * coefficients: max over w of rank M(w), found at seeded random integer points.
 *
 *   Every entry of M(w) is a sum of at most m entries of w (0/1 coefficients), so a ρ × ρ minor is a
 *   polynomial in w of degree ρ ≤ u = min(rows, cols, a proven bound). A point w drawn uniformly
 *   from [1, B]^n, B = min(2^40, ⌊(2^53 − 1)/m⌋) (entries stay exact in float64), lowers the rank
 *   below the generic one with probability ≤ u/B (Schwartz–Zippel); the rank over Q at that point
 *   comes from exactRanks (src/linalg/exactRank.ts), understated with probability ≤ 1e-10. Points are
 *   drawn until one reaches u (then the rank is u with certainty) or until (u/B + 1e-10)^t ≤ 1e-9.
 *
 * The result is never above the generic rank, and below it with probability ≤ 1e-9. Used for the
 * CNN geometry's per-layer quantities (src/cnn/inputSymmetry.ts, src/cnn/toeplitzRank.ts).
 *
 * Polynomial entries (`degree` d > 1): every entry a sum of at most m monomials of degree ≤ d in w with
 * coefficient 1 (products of 0/1 pattern entries, counted with multiplicity). Then a ρ × ρ minor has degree
 * ≤ dρ ≤ du, a point from [1, B]^n with B^d m ≤ 2^53 − 1 keeps every entry exact in float64, and one point
 * fails with probability ≤ du/B (src/cnn/patchSpan.ts: the patches of a feature map below several layers).
 */
import type { Matrix } from './denseMatrix.js';
import { drawPrimes, exactFailureProbability, exactRanks, log2MatrixMinorBound, primeSeed, rankModPrime, type ExactRank } from './exactRank.js';
import { intoRing } from '../numeric/matrix.js';
import { primeField, type PrimeField } from '../numeric/ring.js';
import { RandomStream } from '../numeric/random.js';

export interface GenericRank {
  /** max over the points drawn of rank_Q M(w): never above the generic rank */
  rank: number;
  /** u: a proven bound on the generic rank (at most min(rows, cols)) */
  upperBound: number;
  /** the exact rank of M at each point drawn (primes, ranks modulo each, its own bound) */
  draws: ExactRank[];
  /** P(rank < generic rank) ≤ this: 0 when rank = u, else (u/B + 1e-10)^(draws) ≤ 1e-9 */
  wrongAtMost: number;
}

/** The failure budget of one point: Schwartz–Zippel u/B plus the primes' 1e-10. */
const primeFailurePerPoint = 1e-10;

/** An entry is drawn uniformly from [1, B], B = min(2^40, ⌊(2^53 − 1)/m⌋): sums of m entries stay exact in float64. */
export function pointRange(m: number, degree = 1): number {
  if (degree === 1) return Math.min(2 ** 40, Math.floor((2 ** 53 - 1) / Math.max(m, 1)));
  // the largest B ≤ 2^40 with B^d m ≤ 2^53 − 1, checked in integers (a float root can round up)
  let B = Math.min(2 ** 40, Math.floor(((2 ** 53 - 1) / Math.max(m, 1)) ** (1 / degree)));
  const limit = 2n ** 53n - 1n;
  while (B > 1 && BigInt(B) ** BigInt(degree) * BigInt(Math.max(m, 1)) > limit) B--;
  return B;
}

/**
 * The generic rank of w ↦ M(w): `parameters` entries of w, each entry of M a sum of at most `terms`
 * of them (with `degree` d > 1: of at most `terms` monomials of degree ≤ d, coefficient 1); `upperBound`
 * a proven bound on the rank (default min(rows, cols) of the first M built).
 */
export function genericRank(parameters: number, terms: number, build: (w: number[]) => Matrix, seed: number, upperBound?: number, degree = 1): GenericRank {
  const B = pointRange(terms, degree);
  const random = new RandomStream(seed);
  const draws: ExactRank[] = [];
  let u = upperBound ?? Infinity;
  let points = 1;
  for (let t = 0; t < points; t++) {
    const M = build(Array.from({ length: parameters }, () => random.integer(1, B)));
    u = Math.min(u, M.rows, M.cols);
    points = Math.max(1, Math.ceil(Math.log(exactFailureProbability) / Math.log((degree * u) / B + primeFailurePerPoint)));
    const { M: exact } = exactRanks({ M: { log2H: log2MatrixMinorBound(M, u), upperBound: u } }, primeSeed(seed + t), (field) => ({ M: rankModPrime(intoRing(M, field), field) }), primeFailurePerPoint);
    draws.push(exact);
    if (exact.rank >= u) break;
  }
  const rank = Math.max(0, ...draws.map((d) => d.rank));
  return { rank, upperBound: u, draws, wrongAtMost: rank >= u ? 0 : ((degree * u) / B + primeFailurePerPoint) ** draws.length };
}

/**
 * The generic rank of w ↦ M(w) whose entries are polynomials in w of degree ≤ `degree` with nonnegative
 * integer coefficients (sums of products of entries of w, as products of structured matrices give).
 *
 *   A ρ × ρ minor is then a polynomial of degree ≤ ρ · degree ≤ u · degree, so a point drawn uniformly from
 *   [1, B]^n, B = 2^40, lowers the rank with probability ≤ u · degree / B (Schwartz–Zippel). M(w) is an
 *   integer matrix too large for float64: `modular(field, w)` gives it modulo a prime (entries residues),
 *   and `magnitude(w)` gives it in float64 (rounded: every entry is a sum of products of positive numbers,
 *   computed with relative error below 10⁻¹², and widened by 10⁻⁶ before Hadamard's bound), which bounds
 *   its minors: its rank over Q at the point comes from exactRanks exactly as for genericRank
 *   (understated with probability ≤ 1e-10). Points are drawn until one reaches u or until
 *   (u·degree/B + 1e-10)^t ≤ 1e-9. The first prime of each point is tried alone first: a rank u there is
 *   certain (rank_P ≤ rank_Q ≤ u), and the float64 values are then not computed; otherwise exactRanks draws that
 *   same prime first, and its rank is not computed again.
 *
 * As for genericRank, the result is never above the generic rank, and below it with probability ≤ 1e-9. With
 * `lowerBoundOnly` (for quantities a bound only ever reads as a lower bound, where understating them loosens the
 * bound) the first prime's rank at the first point is returned: never above the generic rank, with no failure
 * probability, and `wrongAtMost` then bounds nothing but the chance it is below.
 * genericRank with `degree` keeps the entries exact in float64 by shrinking B (B^d m ≤ 2^53), which for the degrees
 * of a whole stack of layers (src/cnn/stackNull.ts, degree up to L + 1) leaves B so small that many points are needed;
 * here B stays 2^40 and the entries are only ever formed modulo primes.
 */
export function genericPolynomialRank(
  parameters: number,
  degree: number,
  evaluate: { modular: (field: PrimeField, w: number[]) => Matrix; magnitude: (w: number[]) => Matrix },
  seed: number,
  upperBound?: number,
  lowerBoundOnly = false,
): GenericRank {
  const B = 2 ** 40;
  const random = new RandomStream(seed);
  const draws: ExactRank[] = [];
  let u = upperBound ?? Infinity;
  let points = 1;
  for (let t = 0; t < points; t++) {
    // uniform on [1, 2^40]: the 53-bit uniform float64 times 2^40, floored (2^40 divides 2^53)
    const w = Array.from({ length: parameters }, () => 1 + Math.floor(random.uniform() * B));
    // the first prime exactRanks would draw: a rank reaching u there is certain, and the float64 pass is not needed
    const [first] = drawPrimes(1, primeSeed(seed + t));
    const firstField = primeField(first!);
    const modular = evaluate.modular(firstField, w);
    u = Math.min(u, modular.rows, modular.cols);
    const firstRank = rankModPrime(modular, firstField);
    // a caller that only needs a value never above the generic rank (a quantity its bounds may understate) stops
    // here: rank mod p ≤ rank_Q at the point ≤ the generic rank, with no failure probability
    if (firstRank >= u || lowerBoundOnly) {
      draws.push({ rank: firstRank, primes: [first!], ranksModPrimes: [firstRank], upperBound: u, wrongAtMost: 0 });
      break;
    }
    const magnitude = evaluate.magnitude(w);
    const perPoint = (u * degree) / B + primeFailurePerPoint;
    points = Math.max(1, Math.ceil(Math.log(exactFailureProbability) / Math.log(perPoint)));
    const widened = { rows: magnitude.rows, cols: magnitude.cols, data: magnitude.data.map((x) => x * (1 + 1e-6)) };
    const { M: exact } = exactRanks({ M: { log2H: log2MatrixMinorBound(widened, u), upperBound: u } }, primeSeed(seed + t), (field) => ({ M: field.prime === first ? firstRank : rankModPrime(evaluate.modular(field, w), field) }), primeFailurePerPoint);
    draws.push(exact);
    if (exact.rank >= u) break;
  }
  const rank = Math.max(0, ...draws.map((d) => d.rank));
  return { rank, upperBound: u, draws, wrongAtMost: rank >= u ? 0 : ((u * degree) / B + primeFailurePerPoint) ** draws.length };
}
