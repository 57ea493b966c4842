/**
 * Theorem check for src/cnn/merge.ts: a CNN with a 1×1 unpadded convolution l ≥ 2 is a
 * reparametrisation of the CNN with that convolution merged into the one below, so
 *   rank H_O ≤ rank H′_O,  rank H_F ≤ rank H′_F + mc,  rank H ≤ rank H′ + mc,
 * mc = 2 c_{l-1} min(c_l, c_{l-2} e_{l-1}) — checked with exact ranks of both CNNs (not predictions) on
 * random 1D and 2D CNNs, and the catalog's merged bounds hold on the CNN that motivated them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutional, convolvedSize, describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { convolutionalGeometry } from '../../src/cnn/geometry.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { mergeOneByOne } from '../../src/cnn/merge.js';
import { predictConvolutional } from '../../src/cnn/predict.js';

const arbitrary = fc
  .record({
    dims: fc.constantFrom(1, 2),
    size: fc.integer({ min: 4, max: 9 }),
    c0: fc.integer({ min: 1, max: 2 }),
    k1: fc.integer({ min: 1, max: 3 }),
    s1: fc.integer({ min: 1, max: 2 }),
    p1: fc.integer({ min: 0, max: 1 }),
    c1: fc.integer({ min: 1, max: 4 }),
    s2: fc.integer({ min: 1, max: 2 }),
    c2: fc.integer({ min: 1, max: 3 }),
    third: fc.option(fc.record({ k: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 3 }) }), { nil: undefined }),
    K: fc.integer({ min: 1, max: 3 }),
    full: fc.boolean(),
  })
  .map((d) => {
    const size = d.dims === 2 ? Math.min(d.size, 5) : d.size;
    const p1 = Math.min(d.p1, d.k1 - 1);
    const input = Array.from({ length: d.dims }, () => size);
    let grid = convolvedSize(size, d.k1, d.s1, p1);
    grid = convolvedSize(grid, 1, d.s2, 0);
    const layers = [
      { kernel: d.k1, stride: d.s1, padding: p1, channels: d.c1 },
      { kernel: 1, stride: d.s2, padding: 0, channels: d.c2 },
      ...(d.third && d.third.k <= grid ? [{ kernel: d.third.k, stride: 1, padding: 0, channels: d.third.c }] : []),
    ];
    const inputs = d.c0 * size ** d.dims;
    return convolutional({ input, inputChannels: d.c0, layers, outputs: d.K, samples: d.full ? 2 * inputs + 2 : Math.max(1, Math.floor(inputs / 2)) });
  });

describe('merging a 1×1 convolution into the one below (reparametrisation)', () => {
  it('rank H_O ≤ rank H′_O, rank H_F ≤ rank H′_F + mc, rank H ≤ rank H′ + mc, exact ranks of both CNNs', () => {
    fc.assert(
      fc.property(arbitrary, (net) => {
        const merge = mergeOneByOne(net, convolutionalGeometry(net).effectiveKernel);
        expect(merge, describeConvolutional(net)).toBeDefined();
        const original = measureConvolutional(net, { exact: true, seed: 3 }).ranks;
        const merged = measureConvolutional(merge!.merged, { exact: true, seed: 3 }).ranks;
        const where = `${describeConvolutional(net)} → ${describeConvolutional(merge!.merged)}, mc = ${merge!.cost}`;
        expect(original.HO, where).toBeLessThanOrEqual(merged.HO);
        expect(original.HF, where).toBeLessThanOrEqual(merged.HF + merge!.cost);
        expect(original.H, where).toBeLessThanOrEqual(merged.H + merge!.cost);
      }),
      { numRuns: 40, seed: 12 },
    );
  });

  it('a first 1×1 stride-1 convolution merged into the second: the same three inequalities, exact ranks', () => {
    const first = fc
      .record({ dims: fc.constantFrom(1, 2), size: fc.integer({ min: 3, max: 8 }), c0: fc.integer({ min: 1, max: 3 }), c1: fc.integer({ min: 1, max: 3 }), k2: fc.integer({ min: 2, max: 3 }), s2: fc.integer({ min: 1, max: 2 }), p2: fc.integer({ min: 0, max: 1 }), c2: fc.integer({ min: 1, max: 3 }), K: fc.integer({ min: 1, max: 3 }), full: fc.boolean() })
      .map((d) => {
        const size = d.dims === 2 ? Math.min(d.size, 5) : d.size;
        const k2 = Math.min(d.k2, size);
        const inputs = d.c0 * size ** d.dims;
        return convolutional({
          input: Array.from({ length: d.dims }, () => size),
          inputChannels: d.c0,
          layers: [{ kernel: 1, channels: d.c1 }, { kernel: k2, stride: d.s2, padding: Math.min(d.p2, k2 - 1), channels: d.c2 }],
          outputs: d.K,
          samples: d.full ? 2 * inputs + 2 : Math.max(1, Math.floor(inputs / 2)),
        });
      });
    fc.assert(
      fc.property(first, (net) => {
        const merge = mergeOneByOne(net, convolutionalGeometry(net).effectiveKernel)!;
        expect(merge.layer).toBe(1);
        const original = measureConvolutional(net, { exact: true, seed: 3 }).ranks;
        const merged = measureConvolutional(merge.merged, { exact: true, seed: 3 }).ranks;
        const where = `${describeConvolutional(net)} → ${describeConvolutional(merge.merged)}, mc = ${merge.cost}`;
        expect(original.HO, where).toBeLessThanOrEqual(merged.HO);
        expect(original.HF, where).toBeLessThanOrEqual(merged.HF + merge.cost);
        expect(original.H, where).toBeLessThanOrEqual(merged.H + merge.cost);
      }),
      { numRuns: 40, seed: 13 },
    );
  });

  it('a one-channel 1×1 layer: the merged bounds are within 1 of the exact ranks (were 24, 15, 18 above)', () => {
    const net = parseConvolutional('in=7x6; conv k=3x3 c=4 s=1x3 pad=2x0; conv k=1x1 c=1; conv k=2x2 c=3; K=1', { samples: 46 });
    const predicted = predictConvolutional(net);
    const measured = measureConvolutional(net, { exact: true }).ranks;
    expect(measured).toEqual({ H: 52, HO: 26, HF: 48 });
    expect(predicted.ranks).toEqual({ H: 53, HO: 26, HF: 49 });
  });
});
