/**
 * Every seed gives a well-mixed stream from its first draw. Across seeds 0..999 the first draw of
 * each stream is distributed as the stream promises: uniform on [0, 1) and standard normal pass a
 * Kolmogorov–Smirnov test at level 0.001 (critical value 1.949/√n), the first integers of
 * integer(-3, 3) fill each of the 7 values (χ² with 6 d.o.f. below 22.46, level 0.001), and no first
 * Gaussian weight is as small as the 1.8e-13 that seed 0 drew before the seed was expanded.
 */
import { describe, expect, it } from 'vitest';
import { expandSeed, RandomStream } from '../../src/numeric/random.js';

const seeds = Array.from({ length: 1000 }, (_, s) => s);
const ksCritical = 1.949 / Math.sqrt(seeds.length);

/** sup_x |F_n(x) − F(x)| of a sample against a continuous CDF. */
function kolmogorovSmirnov(sample: number[], cdf: (x: number) => number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs((i + 1) / n - f), Math.abs(f - i / n));
  });
  return d;
}

/** Standard normal CDF via erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

describe('seeding: the first draws of seeds 0..999 follow the distribution', () => {
  it('first uniform draws pass Kolmogorov–Smirnov against U[0, 1)', () => {
    const first = seeds.map((s) => new RandomStream(s).uniform());
    const d = kolmogorovSmirnov(first, (x) => Math.min(1, Math.max(0, x)));
    expect(d, `KS distance ${d} of the first uniforms of seeds 0..999 exceeds ${ksCritical}`).toBeLessThan(ksCritical);
  });

  it('first and second Gaussian draws pass Kolmogorov–Smirnov against N(0, 1)', () => {
    const streams = seeds.map((s) => new RandomStream(s));
    const first = streams.map((r) => r.gaussian());
    const second = streams.map((r) => r.gaussian());
    for (const [name, sample] of [['first', first], ['second', second]] as const) {
      const d = kolmogorovSmirnov(sample, normalCdf);
      expect(d, `KS distance ${d} of the ${name} Gaussians of seeds 0..999 exceeds ${ksCritical}`).toBeLessThan(ksCritical);
    }
    const smallest = Math.min(...first.map(Math.abs));
    expect(smallest, 'a first Gaussian weight is numerically zero').toBeGreaterThan(1e-6);
  });

  it('first integers of integer(-3, 3) pass χ² against the uniform law on 7 values', () => {
    const counts = new Array<number>(7).fill(0);
    for (const s of seeds) counts[new RandomStream(s).integer(-3, 3) + 3]!++;
    const expected = seeds.length / 7;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi2, `χ² = ${chi2} for counts ${counts.join(', ')}`).toBeLessThan(22.46);
  });

  it('the state is SplitMix64 of the seed (the reference outputs 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4 for seed 0)', () => {
    const hex = (w: number) => (w >>> 0).toString(16).padStart(8, '0');
    const [a, b, c, d] = expandSeed(0);
    expect(hex(a!) + hex(b!)).toBe('e220a8397b1dcdaf');
    expect(hex(c!) + hex(d!)).toBe('6e789e6aa1b965f4');
  });

  it('neighbouring seeds give unrelated streams (first 64 uniforms of seeds s, s+1 correlate below 0.5)', () => {
    for (const s of [0, 1, 2, 41, 999]) {
      const a = new RandomStream(s);
      const b = new RandomStream(s + 1);
      const x = Array.from({ length: 64 }, () => a.uniform() - 0.5);
      const y = Array.from({ length: 64 }, () => b.uniform() - 0.5);
      const dot = x.reduce((t, v, i) => t + v * y[i]!, 0);
      const norm = Math.sqrt(x.reduce((t, v) => t + v * v, 0) * y.reduce((t, v) => t + v * v, 0));
      expect(Math.abs(dot / norm), `seeds ${s}, ${s + 1}`).toBeLessThan(0.5);
    }
  });
});
