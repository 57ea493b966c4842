/**
 * Theorem check for the null directions of a convolution under the stack above it, with bias
 * (docs/cnn.md#bias-null-directions-of-a-convolution-under-the-stack-above-it):
 *
 *   the (kernel, bias) directions (b, β) of conv l that J and the blocks of H_F on the layers above conv l annihilate
 *   number at least c_l (c_{l-1} e_l + 1) − ρ̃_l (ρ̃_l = rsb_l, the generic rank of that map on the augmented maps:
 *   src/cnn/stackNull.ts); on them the blocks of H_F on the layers below have rank ≤ min(x̃_l, s̃ (c_{l-1} u_{l-1} + 1 − ẑ̃_{l-1}));
 *   so conv l has at least nsb_l null directions of H, and rank H ≤ cnn-bias-stack-null-H.
 *
 * Checked on exact Hessians over Z/PZ (a rank over Z/PZ never exceeds the rank over Q, so a count below the bound is
 * a real counterexample): the null space of [J; the blocks of H_F above conv l] restricted to conv l's column block
 * (kernel and bias), the null space of conv l's column block of H, and the entry against exact ranks of H. A failure
 * prints the shrunk CNN.
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

const anyData = convolutionalArbitrary({ convolutions: [2, 3], bias: true });
const fullRank = convolutionalArbitrary({ convolutions: [2, 3], channels: [1, 3], outputs: [1, 3], fullRankData: true, bias: true });

/** rows [from, to) of m (the whole of m when to ≤ from is not asked), columns [a, b) */
function block(m: Matrix, rows: [number, number], a: number, b: number): Matrix {
  const [from, to] = rows;
  const out = zeros(to - from, b - a);
  for (let i = from; i < to; i++) out.data.set(m.data.subarray(i * m.cols + a, i * m.cols + b), (i - from) * (b - a));
  return out;
}

function stacked(a: Matrix, b: Matrix): Matrix {
  const out = zeros(a.rows + b.rows, a.cols);
  out.data.set(a.data);
  out.data.set(b.data, a.data.length);
  return out;
}

describe('null directions of a convolution under the stack above it, with bias', () => {
  it('conv l has ≥ c_l (c_{l-1} e_l + 1) − ρ̃_l (kernel, bias) directions that J and H_F above annihilate, and ≥ nsb_l null directions of H (exact Hessians, two primes)', () => {
    let counted = 0;
    fc.assert(
      fc.property(anyData, (net) => {
        const instance = sampleConvolutionalInstance(net, { seed: 13, integer: true });
        const scope = convolutionalScope(net);
        const Lc = net.layers.length;
        const c = [scope.c0 as number, ...(scope.c as number[])];
        const [e, k, rsb, nsb, nkb] = (['e', 'k', 'rsb', 'nsb', 'nkb'] as const).map((key) => scope[key] as number[]);
        const offsets = [...instance.offsets, instance.parameters];
        const parts = exactFields.slice(0, 2).map((field) => ({ field, parts: new LinearNetworkHessian(instance, field).parts() }));
        for (let l = 1; l <= Lc; l++) {
          const [from, to] = [offsets[l - 1]!, offsets[l]!];
          // kernel entries at offsets that only read padding are zero columns: count the others
          const padding = c[l]! * c[l - 1]! * (k[l - 1]! - e[l - 1]!);
          const entries = c[l]! * (c[l - 1]! * e[l - 1]! + 1);
          expect(to - from - padding).toBe(entries);
          const aboveNull = Math.min(
            ...parts.map(({ field, parts: p }) => entries - rankModPrime(stacked(block(p.jacobian, [0, p.jacobian.rows], from, to), block(p.functional, [to, p.functional.rows], from, to)), field)),
          );
          const hessianNull = Math.min(...parts.map(({ field, parts: p }) => entries - rankModPrime(block(p.hessian, [0, p.hessian.rows], from, to), field)));
          const label = `${describeConvolutional(net)}, N = ${net.samples}: conv ${l}`;
          expect(aboveNull, `${label}: ${aboveNull} directions annihilated by J and H_F above, ρ̃_l leaves ${entries - rsb[l - 1]!}`).toBeGreaterThanOrEqual(entries - rsb[l - 1]!);
          expect(hessianNull, `${label}: ${hessianNull} null directions of H, nsb = ${nsb[l - 1]}`).toBeGreaterThanOrEqual(nsb[l - 1]!);
          if (nsb[l - 1]! > nkb[l - 1]!) counted++;
        }
      }),
      { numRuns: 40, seed: 71 },
    );
    // the count is larger than the earlier ones on some of these
    expect(counted).toBeGreaterThan(1);
  });

  it('rank H ≤ cnn-bias-stack-null-H (exact ranks; full-rank data and the default sample)', () => {
    const entry = loadCatalog().find((f) => f.entry.id === 'cnn-bias-stack-null-H')!;
    expect(entry.entry.status).toBe('derived');
    for (const [arbitrary, seed] of [[fullRank, 72], [anyData, 73]] as const) {
      fc.assert(
        fc.property(arbitrary, (net) => {
          const m = measureConvolutional(net, { exact: true, seed: 4 });
          const prediction = predictConvolutional(net, { dataRank: m.r });
          const bound = evaluateFormula(entry, prediction.scope);
          expect(m.ranks.H, `${describeConvolutional(net)} with bias, N = ${net.samples}: rank H = ${m.ranks.H}, cnn-bias-stack-null-H ${bound}`).toBeLessThanOrEqual(bound);
        }),
        { numRuns: 30, seed },
      );
    }
  });

  it.each([
    // conv 2 over a full-row-rank Z̃_1: the coupling below vanishes on all 24 directions J and H_F above annihilate
    ['in=5x5; conv k=2 c=4 s=2; conv k=2 c=3 s=2 pad=1; conv k=2 c=2 s=2; K=1', 51, 64],
    ['in=6x5; conv k=3 c=3 s=2 pad=1; conv k=3 c=3; conv k=2 c=4 pad=1; K=2', 12, 156],
    ['in=3x4 ch=2; conv k=3 c=3 s=2 pad=1; conv k=3 c=2 s=2 pad=1; K=2', 50, 85],
  ])('%s with bias, N = %i: rank H = %i, the bound (the other entries give more)', (cnn, samples, rank) => {
    const net = parseConvolutional(cnn, { samples, bias: true });
    expect(measureConvolutional(net, { exact: true }).ranks.H).toBe(rank);
    const prediction = predictConvolutional(net);
    expect(prediction.ranks.H).toBe(rank);
    expect(evaluateFormula(loadCatalog().find((f) => f.entry.id === 'cnn-bias-stack-null-H')!, prediction.scope)).toBe(rank);
    // without it and the entries that contain or add to its counts
    const extensions = ['cnn-bias-stack-null-H', 'cnn-bias-stack-tangent-null-H', 'cnn-bias-shift-null-H', 'cnn-bias-dense-null-H'];
    const without = loadCatalog().filter((f) => !extensions.includes(f.entry.id));
    expect(catalogRanks(net, prediction.scope, without).ranks.H).toBeGreaterThan(rank);
  });
});
