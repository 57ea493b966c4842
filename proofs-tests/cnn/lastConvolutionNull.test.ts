/**
 * Theorem check for the null directions of the dense layer and the last convolution at a generic kernel
 * (docs/cnn.md#null-directions-of-the-dense-layer-and-the-last-convolution-at-a-generic-kernel):
 *
 *   when Z_{L-2} has full row rank on its used coordinates (t_j = c_j u_j for conv j < L−1, r ≥ c_{L-2} u_{L-2}),
 *   the dense layer has at least K(m − z) − min(s(m − z) − fam₂, x_L − 1, min(c_{L-1} min(c_{L-2} e_{L-1}, s n_{L-1}) − 1 + s(t_{L-1} − z), ω))
 *   null directions of H (m = c_{L-1} n_{L-1}), ω = rank_generic[(b, R) ↦ T_{L-1}(b)V − T_{L-1}(w)R] − min(s, c_{L-2} u_{L-2}) t_{L-1}
 *   (the symbol ot; src/cnn/topTangent.ts);
 *   the last convolution has at least nt = c_{L-1} c_{L-2} e_{L-1} − rank_generic[b ↦ (W T_{L-1}(b), T_{L-1}(b) V)]
 *   null directions of H; and so rank H ≤ cnn-last-conv-null-H.
 *
 * Checked on exact Hessians over Z/PZ: the null spaces of the dense layer's and the last convolution's column blocks of H (a rank over
 * Z/PZ never exceeds the rank over Q, so a count below the bound is a real counterexample), and the catalog
 * entry against exact ranks of H. A failure prints the shrunk CNN.
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
import type { Scope } from '../../src/catalog/expression.js';

/** two or three convolutions, narrow, full-rank data: Z_{L-2} often has full row rank */
const fullRank = convolutionalArbitrary({ convolutions: [2, 3], channels: [1, 3], outputs: [1, 3], fullRankData: true });
const anyData = convolutionalArbitrary({ convolutions: [2, 3] });
/** two convolutions, full-rank data, where the count with ω is larger than without (about 4 in 100 draws) */
const sharpened = convolutionalArbitrary({ convolutions: [2, 2], channels: [1, 3], outputs: [1, 4], fullRankData: true }).filter((net) => {
  const scope = convolutionalScope(net);
  return denseCount(scope, true) > denseCount(scope, false);
});

function columns(m: Matrix, from: number, to: number): Matrix {
  const out = zeros(m.rows, to - from);
  for (let i = 0; i < m.rows; i++) out.data.set(m.data.subarray(i * m.cols + from, i * m.cols + to), i * (to - from));
  return out;
}

function v(scope: Scope, name: string): number[] {
  return scope[name] as number[];
}

/** The dense layer's null directions the count gives, with the third term also bounded by ot. */
function denseCount(scope: Scope, withTangent: boolean): number {
  const K = scope.K as number;
  const s = scope.s as number;
  const c = v(scope, 'c');
  const n = v(scope, 'n');
  const e = v(scope, 'e');
  const t = v(scope, 't');
  const Lc = c.length;
  const z = Math.min(scope.r as number, ...t);
  const m = c[Lc - 1]! * n[Lc - 1]!;
  const window = c[Lc - 2]! * e[Lc - 1]!;
  const third = c[Lc - 1]! * Math.min(window, s * n[Lc - 1]!) - 1 + s * (t[Lc - 1]! - z);
  const projected = Math.min(
    s * (m - z) - Math.max(0, c[Lc - 1]! - window) * Math.max(0, s * n[Lc - 1]! - window),
    v(scope, 'x')[Lc]! - 1,
    withTangent ? Math.min(third, scope.ot as number) : third,
  );
  return K * (m - z) - projected;
}

describe('null directions of the dense layer and the last convolution at a generic kernel', () => {
  it('the last convolution has at least nt null directions of H (exact Hessians, two primes)', () => {
    let counted = 0;
    fc.assert(
      fc.property(anyData, (net) => {
        const instance = sampleConvolutionalInstance(net, { seed: 9, integer: true });
        const scope = convolutionalScope(net);
        const Lc = net.layers.length;
        const [from, to] = [instance.offsets[Lc - 1]!, instance.offsets[Lc]!];
        const block = Math.max(...exactFields.slice(0, 2).map((field) => rankModPrime(columns(new LinearNetworkHessian(instance, field).parts().hessian, from, to), field)));
        // kernel entries that only read padding are zero columns: count the effective ones
        const effective = v(scope, 'c')[Lc - 1]! * (Lc > 1 ? v(scope, 'c')[Lc - 2]! : (scope.c0 as number)) * v(scope, 'e')[Lc - 1]!;
        const nullDirections = effective - block;
        if ((scope.nt as number) > 0) counted++;
        expect(nullDirections, `${describeConvolutional(net)}, N = ${net.samples}: conv ${Lc} has ${nullDirections} null directions of H, nt = ${scope.nt}`).toBeGreaterThanOrEqual(scope.nt as number);
      }),
      { numRuns: 40, seed: 54 },
    );
    expect(counted).toBeGreaterThan(5);
  });

  it('the dense layer has at least the counted null directions, the last convolution’s coupling bounded by ω, where that raises the count (exact Hessians, two primes)', () => {
    fc.assert(
      fc.property(sharpened, (net) => {
        const instance = sampleConvolutionalInstance(net, { seed: 8, integer: true });
        const scope = convolutionalScope(net);
        const dense = instance.offsets[net.layers.length]!;
        const block = Math.max(...exactFields.slice(0, 2).map((field) => rankModPrime(columns(new LinearNetworkHessian(instance, field).parts().hessian, dense, instance.parameters), field)));
        const nullDirections = instance.parameters - dense - block;
        const count = denseCount(scope, true);
        expect(nullDirections, `${describeConvolutional(net)}, N = ${net.samples}: the dense layer has ${nullDirections} null directions of H, counted ${count} (ot = ${scope.ot})`).toBeGreaterThanOrEqual(count);
      }),
      { numRuns: 12, seed: 51 },
    );
  });

  it('rank H ≤ cnn-last-conv-null-H (exact ranks; full-rank data and the default sample)', () => {
    const entry = loadCatalog().find((f) => f.entry.id === 'cnn-last-conv-null-H')!;
    expect(entry.entry.status).toBe('derived');
    for (const [arbitrary, seed] of [[fullRank, 52], [anyData, 53]] as const) {
      fc.assert(
        fc.property(arbitrary, (net) => {
          const m = measureConvolutional(net, { exact: true, seed: 4 });
          const prediction = predictConvolutional(net, { dataRank: m.r });
          const bound = evaluateFormula(entry, { ...prediction.scope, HO: prediction.ranks.HO!, HF: prediction.ranks.HF! });
          expect(m.ranks.H, `${describeConvolutional(net)}, N = ${net.samples}: rank H = ${m.ranks.H}, cnn-last-conv-null-H ${bound}`).toBeLessThanOrEqual(bound);
        }),
        { numRuns: 30, seed },
      );
    }
  });

  it.each([
    ['in=3x3 ch=2; conv k=1 c=2 s=2; conv k=2 c=2 pad=1; K=3', 26, 56, 59],
    ['in=3x6 ch=2; conv k=1 c=2; conv k=2 c=1; conv k=2 c=3 s=2 pad=1; K=2', 69, 50, 54],
    ['in=6; conv k=3 c=1 s=2; conv k=3 c=2 pad=1; K=4', 10, 21, 22],
    ['in=5x4; conv k=3 c=3; conv k=3 c=3 s=2 pad=1; K=2', 42, 77, 93],
  ])('%s, N = %i: rank H = %i, the bound (was %i)', (cnn, samples, rank, before) => {
    const net = parseConvolutional(cnn, { samples });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(rank);
    const prediction = predictConvolutional(net);
    expect(prediction.ranks.H).toBe(rank);
    expect(prediction.formulas.H?.formula).toBe('cnn-last-conv-null-H');
    // the prediction without this entry (the catalog selection: src/cnn/catalogRanks.ts), nor cnn-stack-null-H, which contains its counts
    const without = loadCatalog().filter((f) => f.entry.id !== 'cnn-last-conv-null-H' && f.entry.id !== 'cnn-stack-null-H');
    expect(catalogRanks(net, prediction.scope, without).ranks.H).toBe(before);
  });
});
