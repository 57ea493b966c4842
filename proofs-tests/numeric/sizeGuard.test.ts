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

  it('estimates the dense memory as three p × p matrices and the NK × p Jacobian, growing with N', () => {
    expect(denseCost(1000, 50, false).bytes).toBe(8 * (3 * 1000 * 1000 + 50 * 1000));
    expect(denseCost(1000, 50, true, 50).seconds).toBeGreaterThan(denseCost(1000, 50, true, 1).seconds);
  });
});
