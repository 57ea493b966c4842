/**
 * The arithmetic a Hessian is built in: float64, or the prime field Z/PZ for exact ranks.
 *
 * Integer weights, data and targets make every entry of H, H_O and H_F of a linear MSE network an
 * integer; building them in Z/PZ for a few primes gives their rank with no tolerance at all
 * (rank over Z/PZ ≤ rank over Q, with equality unless P divides a maximal nonzero minor).
 * Any P < 2^26 keeps every product of two residues below 2^52, exact in a float64; the primes used
 * are below 2^23, so that the elimination (src/linalg/exactRank.ts) accumulates at least 511 products of
 * centered residues exactly before it reduces.
 */

export interface Ring {
  readonly name: string;
  /** The image of an integer (float64 ring: the number itself). */
  fromInteger(n: number): number;
  add(a: number, b: number): number;
  sub(a: number, b: number): number;
  mul(a: number, b: number): number;
}

export const float64Ring: Ring = {
  name: 'float64',
  fromInteger: (n) => n,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
};

export interface PrimeField extends Ring {
  readonly prime: number;
  inverse(a: number): number;
}

/** Every entry of `values` (integers below 2^53) as its residue in [0, P): primeField's fromInteger over a whole array. */
export function residues(values: ArrayLike<number>, prime: number): Float64Array {
  const inv = 1 / prime;
  const out = new Float64Array(values.length);
  for (let i = 0; i < out.length; i++) {
    const x = values[i]!;
    let r = x - prime * Math.floor(x * inv);
    if (r < 0) r += prime;
    else if (r >= prime) r -= prime;
    out[i] = r;
  }
  return out;
}

/**
 * Delayed reduction in float64 over Z/PZ, P < 2^23: every product of two residues is below 2^46, so an accumulator may grow to
 * 2^52 before it is reduced (x % P) and every sum stays exact; reducing every entry at the end then gives the residues of
 * reducing after every operation (the generic ranks of src/cnn/stackNull.ts and src/cnn/columnDifferential.ts).
 */
export const exactSumLimit = 2 ** 52;

/** Every entry modulo p, in place (p = Infinity: x % Infinity = x, float64 values left as they are). */
export function reduceEntries<T extends Float64Array>(values: T, p: number): T {
  if (p !== Infinity) for (let i = 0; i < values.length; i++) values[i] = values[i]! % p;
  return values;
}

/** Z/PZ with residues stored as numbers in [0, P). */
export function primeField(prime: number): PrimeField {
  if (!isPrime(prime) || prime >= 2 ** 26) throw new Error(`primeField: ${prime} is not a prime below 2^26`);
  const inv = 1 / prime;
  const reduce = (x: number): number => {
    let r = x - prime * Math.floor(x * inv);
    if (r < 0) r += prime;
    else if (r >= prime) r -= prime;
    return r;
  };
  return {
    name: `Z/${prime}Z`,
    prime,
    fromInteger: (n) => reduce(n),
    add: (a, b) => {
      const s = a + b;
      return s >= prime ? s - prime : s;
    },
    sub: (a, b) => {
      const s = a - b;
      return s < 0 ? s + prime : s;
    },
    mul: (a, b) => reduce(a * b),
    inverse: (a) => {
      // Fermat: a^(P-2)
      let result = 1;
      let base = reduce(a);
      let e = prime - 2;
      while (e > 0) {
        if (e & 1) result = reduce(result * base);
        base = reduce(base * base);
        e = Math.floor(e / 2);
      }
      return result;
    },
  };
}

export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let f = 3; f * f <= n; f += 2) if (n % f === 0) return false;
  return true;
}

/** The largest `count` primes below `limit`, found by trial division (no magic constants). */
export function largestPrimesBelow(limit: number, count: number): number[] {
  const found: number[] = [];
  for (let n = limit - 1; found.length < count && n > 1; n--) if (isPrime(n)) found.push(n);
  return found;
}

/** The two primes used for exact ranks: the largest below 2^23 (8388593 and 8388587). */
export const exactPrimes: readonly number[] = largestPrimesBelow(2 ** 23, 2);
