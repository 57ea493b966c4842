/**
 * Exact rank of an integer matrix A (m × n) from its ranks modulo primes.
 *
 * Elimination (c/modrank.c, WebAssembly): recursive blocked Gaussian elimination over Z/PZ whose
 * updates are float64 GEMMs on centered residues (|x| ≤ P/2) with delayed reduction: a float64 holds
 * kmax = ⌊(2^53 − 2P) / (P/2 + 1)²⌋ products exactly before one reduction x − P·round(x/P)
 * (P < 2^23: kmax ≥ 511; P = 65521: kmax ≈ 8·10^6), as in FFLAS-FFPACK.
 *
 * Why the answer can only be too small, and how rarely. Let r = rank_Q(A). A minor reduced mod P is
 * the reduction of the integer minor, so rank_P(A) ≤ r, with equality unless P divides every r × r
 * minor — in particular a fixed nonzero one, D. By Hadamard's inequality |D| ≤ H := ∏_i max(1, ‖a_i‖₂)
 * over the rows of A, so at most log₂H / log₂P_min primes P ≥ P_min divide D. For a prime drawn
 * uniformly from the set S of primes in (2^22, 2^23) (|S| = 268,216, counted by a sieve in
 * proofs-tests/linalg/exactRank.test.ts), P(rank_P(A) < r) ≤ q := log₂H / (22 · 268,216); for k
 * primes drawn independently the reported rank max_P rank_P(A) is wrong with probability ≤ q^k.
 * `primesForFailureProbability` gives the smallest such k: for P(wrong) < 1e-9 it is 4 primes when
 * log₂H ≤ 10^4, 6 when log₂H ≤ 10^5 and 12 when log₂H ≤ 10^6 (e.g. n = 4,000 rows of norm ≤ 2^250).
 * Only the r rows of D count: with r ≤ u (a proven bound on the rank) log₂H is at most the sum of
 * the u largest log₂ max(1, ‖a_i‖) (`log2MinorBound`). And when the rank modulo some prime reaches u,
 * the rank is u with certainty (rank_P ≤ rank_Q ≤ u): no further prime is needed.
 * `drawPrimes(count, seed)` draws the primes (seeded). `exactRanks` is the one way every exact rank
 * of an integer matrix the tool reports is found (`measure --exact`, the Kronecker report's exact section;
 * generic ranks of polynomial matrices draw a point per prime instead, src/linalg/genericRank.ts): given each matrix's log₂H and u and a seed, it draws the primes, stops a matrix at u,
 * and states P(wrong) for each. `exactFields` (the two largest primes below 2^23) are fixed, not
 * drawn, so they carry no such bound: only tests use them, to compare ranks prime by prime.
 */
import type { Matrix } from './denseMatrix.js';
import { TooLargeError } from '../errors.js';
import { exactPrimes, isPrime, primeField, type PrimeField } from '../numeric/ring.js';
import { RandomStream } from '../numeric/random.js';
import { Arena, kernels } from './wasm.js';

/** Rank of `m` (integer entries of absolute value below 2^52: residues, or any such integers) over Z/PZ. The input is not modified. */
export function rankModPrime(m: Matrix, field: PrimeField): number {
  return rankProfileModPrime(m, field.prime).length;
}

/** The column rank profile of `m` over Z/PZ: the pivot columns, increasing (its length is the rank). */
export function rankProfileModPrime(m: Matrix, prime: number): number[] {
  const { rows, cols } = m;
  if (rows === 0 || cols === 0) return [];
  if (!isPrime(prime) || prime >= 2 ** 26) throw new Error(`rankModPrime: ${prime} is not a prime below 2^26`);
  const k = kernels();
  const arena = new Arena(k);
  const A = arena.put(m.data);
  const work = arena.allocate(k.exports.rank_mod_prime_work(rows, cols));
  const pivots = arena.allocate(Math.ceil(cols / 2));
  const rank = k.exports.rank_mod_prime(rows, cols, A, prime, work, pivots);
  return Array.from(new Int32Array(k.memory.buffer, pivots, rank));
}

export interface ExactRank {
  rank: number;
  primes: number[];
  /** the rank modulo each prime */
  ranksModPrimes: number[];
  /** a proven upper bound u of the rank over Q (when known) */
  upperBound?: number;
  /** the bound on P(rank understated) from the primes drawn: 0 when rank = u, else q^k (see the top) */
  wrongAtMost?: number;
}

/** Combines per-prime ranks: the true rank over Q is at least their maximum. */
export function combineExactRanks(primes: readonly number[], ranksModPrimes: number[]): ExactRank {
  return { rank: Math.max(...ranksModPrimes), primes: [...primes], ranksModPrimes };
}

export const exactFields: readonly PrimeField[] = exactPrimes.map(primeField);

/** S: the primes in (2^22, 2^23), from which `drawPrimes` draws. */
export const primeSetBounds = { above: 2 ** 22, below: 2 ** 23, count: 268_216 } as const;

/**
 * The smallest k with (log₂H / (22 |S|))^k ≤ failure: primes drawn from S that make a wrong exact
 * rank at most that likely, for a matrix whose Hadamard bound is 2^log2H (see the top).
 */
export function primesForFailureProbability(log2H: number, failure = 1e-9): number {
  const q = Math.max(log2H, 1) / (22 * primeSetBounds.count);
  if (q >= 1) throw new RangeError(`primesForFailureProbability: log2 H = ${log2H} is too large for primes below 2^23`);
  return Math.max(1, Math.ceil(Math.log(failure) / Math.log(q)));
}

/** q^k: the chance that k primes drawn from S all understate the rank (see the top). */
export function failureProbability(log2H: number, primes: number): number {
  return (Math.max(log2H, 1) / (22 * primeSetBounds.count)) ** primes;
}

/**
 * log₂ of a bound on every nonzero r × r minor with r ≤ `rank`, from upper bounds of the rows' norms:
 * the sum of the `rank` largest log₂ max(1, bound_i) (Hadamard over the minor's r rows).
 */
export function log2MinorBound(rowNorms: ArrayLike<number>, rank: number): number {
  const logs = Float64Array.from(rowNorms, (v) => Math.max(0, Math.log2(v))).sort().reverse();
  let total = 0;
  for (let i = 0; i < Math.min(rank, logs.length); i++) total += logs[i]!;
  return total;
}

/** The seed of the primes of a measurement of seed `seed`: a stream apart from the instance's. */
export function primeSeed(seed: number): number {
  return seed < Number.MAX_SAFE_INTEGER ? seed + 1 : seed - 1;
}

/** `count` distinct primes drawn uniformly from S with the seeded generator. */
export function drawPrimes(count: number, seed: number): number[] {
  const stream = new RandomStream(seed);
  const chosen = new Set<number>();
  while (chosen.size < count) {
    const candidate = stream.integer(primeSetBounds.above + 1, primeSetBounds.below - 1);
    if (isPrime(candidate)) chosen.add(candidate);
  }
  return [...chosen];
}

/** The stated bound on the chance of a wrong exact rank. */
export const exactFailureProbability = 1e-9;

/** What the primes of one exact rank rest on. */
export interface ExactRankTarget {
  /** log₂ of a bound on every nonzero r × r minor of the integer matrix, r ≤ upperBound (log2MinorBound) */
  log2H: number;
  /** a proven upper bound u of its rank over Q */
  upperBound: number;
}

/**
 * Ranks over Q of integer matrices built together modulo each prime (keys K), each with
 * P(rank understated) ≤ `failure`: matrix q gets k_q = primesForFailureProbability(log₂H_q) primes,
 * the first k_q of one seeded draw from S (`drawPrimes(max k_q, seed)`), and stops once its rank
 * modulo a prime reaches u_q (then it is certain, wrongAtMost = 0). `ranksModPrime(field, todo)`
 * returns the ranks of the matrices `todo` over Z/PZ. Refuses (TooLargeError) a log₂H for which
 * primes below 2^23 give no bound.
 */
export function exactRanks<K extends string>(
  targets: Readonly<Record<K, ExactRankTarget>>,
  seed: number,
  ranksModPrime: (field: PrimeField, todo: readonly K[]) => Partial<Record<K, number>>,
  failure = exactFailureProbability,
): Record<K, ExactRank> {
  const keys = Object.keys(targets) as K[];
  const count = {} as Record<K, number>;
  for (const q of keys) {
    const { log2H } = targets[q];
    if (!(log2H < 22 * primeSetBounds.count)) {
      throw new TooLargeError(`the exact matrix's entries are too large (log₂ of the Hadamard bound ${log2H.toFixed(0)}) for primes below 2^23 to give its rank`);
    }
    count[q] = primesForFailureProbability(log2H, failure);
  }
  const primes = drawPrimes(Math.max(0, ...keys.map((q) => count[q])), seed);
  const per = Object.fromEntries(keys.map((q) => [q, { primes: [] as number[], ranks: [] as number[] }])) as Record<K, { primes: number[]; ranks: number[] }>;
  const reached = (q: K): boolean => per[q].ranks.length > 0 && Math.max(...per[q].ranks) >= targets[q].upperBound;
  for (const [j, prime] of primes.entries()) {
    const todo = keys.filter((q) => j < count[q] && !reached(q));
    if (todo.length === 0) break;
    const got = ranksModPrime(primeField(prime), todo);
    for (const q of todo) {
      const rank = got[q];
      if (rank === undefined) throw new Error(`exactRanks: no rank of ${q} modulo ${prime}`);
      per[q].primes.push(prime);
      per[q].ranks.push(rank);
    }
  }
  const out = {} as Record<K, ExactRank>;
  for (const q of keys) {
    const e = combineExactRanks(per[q].primes, per[q].ranks);
    const u = targets[q].upperBound;
    out[q] = { ...e, upperBound: u, wrongAtMost: e.rank >= u ? 0 : failureProbability(targets[q].log2H, e.primes.length) };
  }
  return out;
}

/**
 * log₂H of an integer matrix given exactly in float64 (entries below 2^53) whose rank is at most
 * `upperBound`: log2MinorBound of its rows' 2-norms, each widened by 10⁻⁶ against the rounding of
 * its float64 sum of squares (relative error below cols · 2^-52).
 */
export function log2MatrixMinorBound(m: Matrix, upperBound = Math.min(m.rows, m.cols)): number {
  const norms = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = 0; j < m.cols; j++) s += m.data[i * m.cols + j]! ** 2;
    norms[i] = Math.sqrt(s) * (1 + 1e-6);
  }
  return log2MinorBound(norms, upperBound);
}
