/**
 * Theorem check for the null directions of a convolution under the stack above it
 * (docs/cnn.md#null-directions-of-a-convolution-under-the-stack-above-it):
 *
 *   the kernel directions b of conv l that J and the blocks of H_F on the layers above conv l annihilate number at
 *   least c_l c_{l-1} e_l − ρ_l (ρ_l = rs_l, the generic rank of that map: src/cnn/stackNull.ts);
 *   on them the blocks of H_F on the layers below have rank ≤ min((x_l − 1)_+, s (c_{l-1} u_{l-1} − ẑ_{l-1}));
 *   so conv l has at least ns_l null directions of H, and rank H ≤ cnn-stack-null-H.
 *
 * Checked on exact Hessians over Z/PZ (a rank over Z/PZ never exceeds the rank over Q, so a count below the bound is
 * a real counterexample): the null space of [J; the blocks of H_F above conv l] restricted to conv l's column block,
 * the null space of conv l's column block of H, and the entry against exact ranks of H. A failure prints the shrunk CNN.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { sampleConvolutionalInstance } from '../../src/cnn/convolutionalInstance.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { catalogRanks } from '../../src/cnn/catalogRanks.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';
import { exactFields, rankModPrime } from '../../src/linalg/exactRank.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { evaluateFormula } from '../../src/catalog/predict.js';

const anyData = convolutionalArbitrary({ convolutions: [2, 3] });
const fullRank = convolutionalArbitrary({ convolutions: [2, 3], channels: [1, 3], outputs: [1, 3], fullRankData: true });

/** rows `rows` (ranges) and columns [from, to) of m */
function block(m: Matrix, rows: [number, number][], from: number, to: number): Matrix {
  const list = rows.flatMap(([a, b]) => Array.from({ length: b - a }, (_, i) => a + i));
  const out = zeros(list.length, to - from);
  list.forEach((r, i) => out.data.set(m.data.subarray(r * m.cols + from, r * m.cols + to), i * (to - from)));
  return out;
}

function stacked(a: Matrix, b: Matrix): Matrix {
  const out = zeros(a.rows + b.rows, a.cols);
  out.data.set(a.data);
  out.data.set(b.data, a.data.length);
  return out;
}

/** columns [from, to) of m */
function block0(m: Matrix, from: number, to: number): Matrix {
  return block(m, [[0, m.rows]], from, to);
}

describe('null directions of a convolution under the stack above it', () => {
  it('conv l has ≥ c_l c_{l-1} e_l − ρ_l directions that J and H_F above annihilate, and ≥ ns_l null directions of H (exact Hessians, two primes)', () => {
    let counted = 0;
    fc.assert(
      fc.property(anyData, (net) => {
        const instance = sampleConvolutionalInstance(net, { seed: 11, integer: true });
        const scope = convolutionalScope(net);
        const Lc = net.layers.length;
        const c = [scope.c0 as number, ...(scope.c as number[])];
        const e = scope.e as number[];
        const rs = scope.rs as number[];
        const ns = scope.ns as number[];
        const layers = Array.from({ length: Lc + 1 }, (_, j) => [instance.offsets[j]!, instance.offsets[j + 1] ?? instance.parameters] as [number, number]);
        const parts = exactFields.slice(0, 2).map((field) => ({ field, parts: new LinearNetworkHessian(instance, field).parts() }));
        for (let l = 1; l <= Lc; l++) {
          const [from, to] = layers[l - 1]!;
          // entries that only read padding are zero columns: count the effective ones
          const padding = to - from - c[l]! * c[l - 1]! * e[l - 1]!;
          const aboveNull = Math.min(
            ...parts.map(({ field, parts: p }) => to - from - padding - rankModPrime(stacked(block(p.jacobian, [[0, p.jacobian.rows]], from, to), block(p.functional, layers.slice(l), from, to)), field)),
          );
          const hessianNull = Math.min(...parts.map(({ field, parts: p }) => to - from - padding - rankModPrime(block(p.hessian, [[0, p.hessian.rows]], from, to), field)));
          const label = `${describeConvolutional(net)}, N = ${net.samples}: conv ${l}`;
          expect(aboveNull, `${label}: ${aboveNull} directions annihilated by J and H_F above, ρ_l leaves ${c[l]! * c[l - 1]! * e[l - 1]! - rs[l - 1]!}`).toBeGreaterThanOrEqual(c[l]! * c[l - 1]! * e[l - 1]! - rs[l - 1]!);
          expect(hessianNull, `${label}: ${hessianNull} null directions of H, ns = ${ns[l - 1]}`).toBeGreaterThanOrEqual(ns[l - 1]!);
          if (ns[l - 1]! > (scope.nk as number[])[l - 1]! && !(l === Lc && ns[l - 1]! <= (scope.nt as number))) counted++;
        }
      }),
      { numRuns: 40, seed: 61 },
    );
    // the count is larger than the earlier ones on some of these
    expect(counted).toBeGreaterThan(2);
  });

  it('the dense layer has ≥ K(m − z) − min(…, min(third, ot, og)) null directions of H, og = ω_g at a generic point (exact Hessians, two primes)', () => {
    fc.assert(
      fc.property(anyData, (net) => {
        const scope = convolutionalScope(net);
        const K = scope.K as number;
        const s = scope.s as number;
        const c = scope.c as number[];
        const n = scope.n as number[];
        const e = scope.e as number[];
        const t = scope.t as number[];
        const x = scope.x as number[];
        const Lc = c.length;
        const z = Math.min(scope.r as number, ...t);
        const m = c[Lc - 1]! * n[Lc - 1]!;
        const window = (Lc > 1 ? c[Lc - 2]! : (scope.c0 as number)) * e[Lc - 1]!;
        const third = c[Lc - 1]! * Math.min(window, s * n[Lc - 1]!) - 1 + s * (t[Lc - 1]! - z);
        const first = s * (m - z) - Math.max(0, c[Lc - 1]! - window) * Math.max(0, s * n[Lc - 1]! - window);
        const count = K * (m - z) - Math.min(first, x[Lc]! - 1, third, scope.ot as number, scope.og as number);
        const instance = sampleConvolutionalInstance(net, { seed: 12, integer: true });
        const dense = instance.offsets[Lc]!;
        const block = Math.max(...exactFields.slice(0, 2).map((field) => rankModPrime(block0(new LinearNetworkHessian(instance, field).parts().hessian, dense, instance.parameters), field)));
        const nullDirections = instance.parameters - dense - block;
        expect(nullDirections, `${describeConvolutional(net)}, N = ${net.samples}: the dense layer has ${nullDirections} null directions of H, counted ${count} (og = ${scope.og})`).toBeGreaterThanOrEqual(count);
      }),
      { numRuns: 40, seed: 64 },
    );
  });

  it('rank H ≤ cnn-stack-null-H (exact ranks; full-rank data and the default sample)', () => {
    const entry = loadCatalog().find((f) => f.entry.id === 'cnn-stack-null-H')!;
    expect(entry.entry.status).toBe('derived');
    for (const [arbitrary, seed] of [[fullRank, 62], [anyData, 63]] as const) {
      fc.assert(
        fc.property(arbitrary, (net) => {
          const m = measureConvolutional(net, { exact: true, seed: 4 });
          const prediction = predictConvolutional(net, { dataRank: m.r });
          const bound = evaluateFormula(entry, { ...prediction.scope, HO: prediction.ranks.HO!, HF: prediction.ranks.HF! });
          expect(m.ranks.H, `${describeConvolutional(net)}, N = ${net.samples}: rank H = ${m.ranks.H}, cnn-stack-null-H ${bound}`).toBeLessThanOrEqual(bound);
        }),
        { numRuns: 30, seed },
      );
    }
  });

  it.each([
    // conv 2 under a one-channel conv 3: 28 directions J and H_F above annihilate, 15 = x_2 − 1 reached below
    ['in=5x4; conv k=2 c=4 pad=1; conv k=2 c=4; conv k=3 c=1; K=4', 9, 127, 140],
    // conv 2 over a full-row-rank Z_1 (ẑ_1 = c_1 u_1 = 16): the coupling below vanishes on all 24
    ['in=5x5; conv k=2 c=4 s=2; conv k=2 c=3 s=2 pad=1; conv k=2 c=2 s=2; K=1', 51, 55, 73],
    // conv 1 under two 1×1 layers, the last with one channel
    ['in=7 ch=2; conv k=2 c=4 s=2 pad=1; conv k=1 c=4; conv k=1 c=1 s=2; K=4', 7, 26, 32],
    ['in=6; conv k=2 c=2 pad=1; conv k=3 c=4; conv k=2 c=3; K=1', 9, 59, 64],
    // the dense layer: Z_2 has no full row rank, ω_g = 4 against the count
    ['in=4 ch=2; conv k=2 c=2; conv k=1 c=4; conv k=1 c=4; K=4', 12, 56, 63],
  ])('%s, N = %i: rank H = %i, the bound (was %i)', (cnn, samples, rank, before) => {
    const net = parseConvolutional(cnn, { samples });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(rank);
    const prediction = predictConvolutional(net);
    expect(prediction.ranks.H).toBe(rank);
    expect(prediction.formulas.H?.formula).toBe('cnn-stack-null-H');
    const without = loadCatalog().filter((f) => f.entry.id !== 'cnn-stack-null-H');
    expect(catalogRanks(net, prediction.scope, without).ranks.H).toBe(before);
  });
});
