/**
 * The size guard (src/numeric/measure.ts checkSize): a run that needs more memory than the machine
 * has is refused even with --force; beyond the default limits it is refused unless forced; times are
 * printed in human units. The time constants are calibrated against measured runs in
 * docs/benchmarks.md#size-guard-calibration (no timed assertion here: timings flake on a shared machine).
 */
import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { TooLargeError } from '../../src/errors.js';
import { checkSize, denseCost, humanDuration, sizeLimits } from '../../src/numeric/measure.js';
import { costRates, expectedPrimes } from '../../src/numeric/costModel.js';
import { compressedDimension } from '../../src/numeric/compressedLinearHessian.js';
import { fullyConnected } from '../../src/architecture/fullyConnected.js';

describe('the size guard', () => {
  it('refuses more memory than the machine has, even with --force', () => {
    const cost = { bytes: 2 * 2 ** 30, seconds: 1 };
    expect(() => checkSize('a network', 10, cost, true, 2 ** 30)).toThrow(TooLargeError);
    expect(() => checkSize('a network', 10, cost, true, 2 ** 30)).toThrow(/needs about 2\.0 GiB .* this machine has 1\.0 GiB .*not run, even with --force/);
    expect(() => checkSize('a network', 10, cost, true, 4 * 2 ** 30)).not.toThrow();
  });

  it('refuses beyond the default limits unless forced, with time in human units', () => {
    const slow = { bytes: 1000, seconds: 2 * 3600 };
    expect(() => checkSize('a network', 10, slow)).toThrow(/about 2 h .*--force/);
    expect(() => checkSize('a network', 10, slow, true)).not.toThrow();
    expect(sizeLimits.bytes).toBeLessThanOrEqual(0.75 * totalmem());
  });

  it('prints durations in human units', () => {
    expect(humanDuration(0.2)).toBe('about 1 s');
    expect(humanDuration(42)).toBe('about 42 s');
    expect(humanDuration(190)).toBe('about 3 min');
    expect(humanDuration(2 * 3600 + 100)).toBe('about 2 h');
    expect(humanDuration(5 * 86400)).toBe('about 5 days');
  });

  it('estimates grow with N and p (cubically), exact ones with the primes the stated 1e-9 needs', () => {
    const shape = { parameters: 1000, jacobianRows: 50, samples: 10, layers: 3, patternEntries: 1000, units: 60 };
    for (const exact of [false, true]) {
      const base = denseCost(shape, exact);
      const moreSamples = denseCost({ ...shape, samples: 50, jacobianRows: 250 }, exact);
      expect(moreSamples.seconds).toBeGreaterThan(base.seconds);
      expect(moreSamples.bytes).toBeGreaterThan(base.bytes);
      expect(denseCost({ ...shape, parameters: 2000, patternEntries: 2000 }, exact).seconds - costRates.startSeconds).toBeGreaterThan(6 * (base.seconds - costRates.startSeconds));
      expect(base.bytes).toBeGreaterThanOrEqual(8 * (5 * 1000 * 1000 + 50 * 1000));
    }
    expect(expectedPrimes(2000, 6)).toBeGreaterThan(expectedPrimes(2000, 1));
  });

  it('the exact estimate of 50-50-50-10 (N = 100) counts the 8 primes H_F needs and the 6 of H_O, as measured (docs/theory.md); H is counted at 8 too, though it stops after one when its rank reaches dim S', () => {
    expect(expectedPrimes(compressedDimension(fullyConnected({ widths: [50, 50, 50, 10], samples: 100 })).dimension, 3)).toBe(8);
    expect(expectedPrimes(1000, 3)).toBe(6);
  });
});
