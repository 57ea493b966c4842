/**
 * What the number of primes of an exact rank rests on (src/numeric/hadamardBound.ts,
 * src/linalg/exactRank.ts, docs/theory.md#exact-rank-over-zpz):
 *   the Hessian parts of the absolute instance bound every entry of |H_F| and |H_O| of an integer
 *   instance, so their row sums bound the rows' norms — fully connected (linear and ReLU) and CNN,
 *   with and without bias, checked against the float64 Hessian of small integer instances (every
 *   operation exact);
 *   log2MinorBound bounds every r × r minor (exact BigInt determinant of integer matrices);
 *   measure --exact reports, for every part, primes of (2^22, 2^23) and either the rank at its
 *   proven upper bound or P(understated) ≤ 1e-9.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { sampleConvolutionalInstance } from '../../src/cnn/convolutionalInstance.js';
import { convolutionalHessianParts, measureConvolutional } from '../../src/cnn/measure.js';
import { log2MinorBound, primeSetBounds } from '../../src/linalg/exactRank.js';
import { fullyConnectedRowSums, sharedWeightRowSums, type AbsoluteRowSums } from '../../src/numeric/hadamardBound.js';
import type { HessianParts } from '../../src/numeric/hessianParts.js';
import type { Matrix } from '../../src/numeric/matrix.js';
import { hessianParts, measure, quantities, type Measurement } from '../../src/numeric/measure.js';
import { sampleInstance } from '../../src/numeric/networkInstance.js';
import { isPrime } from '../../src/numeric/ring.js';
import { fullyConnectedArbitrary } from '../../src/verify/arbitraries.js';

/** Entries reduced to [−6, 6]: every float64 Hessian entry of the small networks below is an exact integer. */
const small = (m: Matrix): Matrix => ({ rows: m.rows, cols: m.cols, data: m.data.map((v) => v % 7) });

/** Row a of |H_F| and of |H_O| = |H − H_F| summed, against the bounds. */
function expectRowsBounded(parts: HessianParts, bounds: AbsoluteRowSums): void {
  const p = parts.parameters;
  for (let a = 0; a < p; a++) {
    let functional = 0;
    let outer = 0;
    for (let b = 0; b < p; b++) {
      functional += Math.abs(parts.functional.data[a * p + b]!);
      outer += Math.abs(parts.hessian.data[a * p + b]! - parts.functional.data[a * p + b]!);
    }
    if (functional > bounds.functional[a]! || outer > bounds.outer[a]!) {
      throw new Error(`row ${a}: |H_F| sums to ${functional} (bound ${bounds.functional[a]}), |H_O| to ${outer} (bound ${bounds.outer[a]})`);
    }
  }
}

describe('the absolute instance bounds the rows of |H_F| and |H_O|', () => {
  it('fully connected, linear and ReLU, with and without bias', () => {
    fc.assert(
      fc.property(
        fc.oneof(fullyConnectedArbitrary({ depth: [1, 4], width: [1, 6], bias: 'any' }), fullyConnectedArbitrary({ depth: [1, 4], width: [1, 6], bias: 'any', activation: 'relu' })),
        fc.integer({ min: 0, max: 10_000 }),
        (net, seed) => {
          const drawn = sampleInstance(net, { seed, integer: true });
          const instance = { ...drawn, layers: drawn.layers.map(small), inputs: small(drawn.inputs), targets: small(drawn.targets) };
          expectRowsBounded(hessianParts(instance), fullyConnectedRowSums(instance));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('CNN, linear and ReLU, with and without bias', () => {
    fc.assert(
      fc.property(
        fc.oneof(convolutionalArbitrary({ convolutions: [1, 2], channels: [1, 3], bias: 'any' }), convolutionalArbitrary({ convolutions: [1, 2], channels: [1, 3], bias: 'any', activation: 'relu' })),
        fc.integer({ min: 0, max: 10_000 }),
        (net, seed) => {
          const drawn = sampleConvolutionalInstance(net, { seed, integer: true });
          const instance = { ...drawn, theta: drawn.theta.map((v) => v % 7), inputs: small(drawn.inputs), targets: small(drawn.targets) };
          expectRowsBounded(convolutionalHessianParts(instance), sharedWeightRowSums(instance));
        },
      ),
      { numRuns: 30 },
    );
  });
});

/** det of an integer matrix (Bareiss, exact in BigInt). */
function determinant(a: bigint[][]): bigint {
  const m = a.map((row) => [...row]);
  const n = m.length;
  let sign = 1n;
  let previous = 1n;
  for (let k = 0; k < n - 1; k++) {
    if (m[k]![k] === 0n) {
      const swap = m.findIndex((row, i) => i > k && row[k] !== 0n);
      if (swap < 0) return 0n;
      [m[k], m[swap]] = [m[swap]!, m[k]!];
      sign = -sign;
    }
    for (let i = k + 1; i < n; i++) for (let j = k + 1; j < n; j++) m[i]![j] = (m[i]![j]! * m[k]![k]! - m[i]![k]! * m[k]![j]!) / previous;
    previous = m[k]![k]!;
  }
  return sign * m[n - 1]![n - 1]!;
}

describe('log2MinorBound', () => {
  it('bounds log₂|det| of every square integer matrix by its rows’ 1-norms (Hadamard)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }).chain((n) => fc.array(fc.array(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), { minLength: n, maxLength: n }), { minLength: n, maxLength: n })),
        (rows) => {
          const det = determinant(rows.map((row) => row.map(BigInt)));
          const norms = rows.map((row) => row.reduce((s, v) => s + Math.abs(v), 0));
          const bound = log2MinorBound(norms, rows.length);
          const abs = det < 0n ? -det : det;
          if (abs > 0n) expect(abs.toString(2).length - 1).toBeLessThanOrEqual(bound);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('measure --exact states its chance of a wrong rank', () => {
  const check = (m: Measurement<unknown>): void => {
    for (const q of quantities) {
      const e = m.parts[q].exact!;
      for (const P of e.primes) expect(isPrime(P) && P > primeSetBounds.above && P < primeSetBounds.below).toBe(true);
      expect(new Set(e.primes).size).toBe(e.primes.length);
      expect(e.rank).toBe(Math.max(...e.ranksModPrimes));
      if (e.wrongAtMost === 0) expect(e.rank).toBe(e.upperBound);
      else expect(e.wrongAtMost).toBeLessThanOrEqual(1e-9);
    }
  };
  it('fully connected (linear, ReLU) and CNN', () => {
    fc.assert(
      fc.property(fc.oneof(fullyConnectedArbitrary({ depth: [1, 4], width: [1, 8], bias: 'any' }), fullyConnectedArbitrary({ depth: [1, 4], width: [1, 8], bias: 'any', activation: 'relu' })), fc.nat(1000), (net, seed) =>
        check(measure(net, { seed, exact: true })),
      ),
      { numRuns: 25 },
    );
    fc.assert(
      fc.property(convolutionalArbitrary({ convolutions: [1, 2], channels: [1, 3], bias: 'any' }), fc.nat(1000), (net, seed) => check(measureConvolutional(net, { seed, exact: true }))),
      { numRuns: 10 },
    );
  });
});
