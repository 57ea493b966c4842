/**
 * Theorem check for the one-convolution functional Hessian (docs/cnn.md#one-convolution-functional-hessian):
 *
 *   rank H_F = 2 c_1 · rank P, P the patch matrix of s generic images (rows (image j, position t), columns
 *   (channel i, effective offset e), entry b_j[i, s t + e − pad], zero where the window reads padding);
 *   in 1D, rank P = ν, the term rank of P (largest set of nonzero entries, no two in a row or column);
 *   so cnn-one-conv-HF = 2 c_1 min(c_0 e_1, s n_1) is an upper bound, not the rank where ν is smaller.
 *
 * Checked: the term-rank theorem on random 1D patch matrices (integer images, rank over Z/PZ, which never
 * exceeds the rank over Q); rank H_F = 2 c_1 ν on random 1D one-convolution CNNs (exact Hessians); and the two
 * counterexamples to the former exact entries (with and without bias). The catalog's exact entries
 * cnn-one-conv-patch-HF = 2 c_1 π_1 and cnn-bias-one-conv-patch-HF = 2 c_1 π̃_1 (π_1 from src/cnn/patchRank.ts:
 * the term rank by a maximum flow, the rank by genericRank) against exact ranks of random 1D and 2D
 * one-convolution CNNs with strides and paddings up to the kernel, with and without bias (MSE: exact ranks need
 * it; cross-entropy is checked by verify --loss ce); the flow's term rank against a matching in the expanded pattern. A failure prints the shrunk case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutional, describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { findFormula } from '../../src/catalog/catalog.js';
import { evaluateFormula } from '../../src/catalog/predict.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';
import { exactFields, rankModPrime } from '../../src/linalg/exactRank.js';
import { RandomStream } from '../../src/numeric/random.js';
import { zeros } from '../../src/numeric/matrix.js';
import { patchRank } from '../../src/cnn/patchRank.js';
import { predictConvolutional } from '../../src/cnn/predict.js';

interface Geometry1D {
  n0: number;
  k: number;
  stride: number;
  pad: number;
}

const outputs = (g: Geometry1D): number => Math.floor((g.n0 + 2 * g.pad - g.k) / g.stride) + 1;
const real = (g: Geometry1D, t: number, e: number): boolean => {
  const u = g.stride * t + e - g.pad;
  return u >= 0 && u < g.n0;
};
/** offsets that read a real input for some output */
const effective = (g: Geometry1D): number[] => Array.from({ length: g.k }, (_, e) => e).filter((e) => Array.from({ length: outputs(g) }, (_, t) => t).some((t) => real(g, t, e)));

/**
 * Term rank of the (images × positions) × (channels × effective offsets) pattern: a maximum matching
 * (`augmented`: one more column, the bias column, nonzero on every row).
 */
function termRank(g: Geometry1D, images: number, channels: number, augmented = false): number {
  const E = effective(g);
  const rows: [number, number][] = [];
  for (let j = 0; j < images; j++) for (let t = 0; t < outputs(g); t++) rows.push([j, t]);
  const cols: [number, number][] = [];
  for (let i = 0; i < channels; i++) for (const e of E) cols.push([i, e]);
  if (augmented) cols.push([-1, -1]);
  const match = new Array<number>(cols.length).fill(-1);
  const augment = (r: number, seen: boolean[]): boolean => {
    for (let c = 0; c < cols.length; c++) {
      if (seen[c] || (cols[c]![0] >= 0 && !real(g, rows[r]![1], cols[c]![1]))) continue;
      seen[c] = true;
      if (match[c]! < 0 || augment(match[c]!, seen)) {
        match[c] = r;
        return true;
      }
    }
    return false;
  };
  return rows.reduce((n, _, r) => n + (augment(r, new Array<boolean>(cols.length).fill(false)) ? 1 : 0), 0);
}

const geometry = fc
  .record({ n0: fc.integer({ min: 1, max: 8 }), k: fc.integer({ min: 1, max: 5 }), stride: fc.integer({ min: 1, max: 3 }), pad: fc.integer({ min: 0, max: 4 }) })
  .map((g) => ({ ...g, pad: Math.min(g.pad, g.k - 1) }))
  .filter((g) => outputs(g) >= 1);

describe('the patch matrix of generic images has the rank of its term rank (1D)', () => {
  it('rank P over Z/PZ = ν on random 1D patterns with random integer images (1–3 images, 1–3 channels)', () => {
    const field = exactFields[0]!;
    fc.assert(
      fc.property(geometry, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1000 }), (g, images, channels, seed) => {
        const random = new RandomStream(seed);
        const x = random.integerArray(images * channels * g.n0, 2 ** 20);
        const E = effective(g);
        const n1 = outputs(g);
        const P = zeros(images * n1, channels * E.length);
        for (let j = 0; j < images; j++)
          for (let t = 0; t < n1; t++)
            for (let i = 0; i < channels; i++)
              E.forEach((e, a) => {
                if (real(g, t, e)) P.data[(j * n1 + t) * P.cols + i * E.length + a] = field.fromInteger(x[(j * channels + i) * g.n0 + g.stride * t + e - g.pad]!);
              });
        const nu = termRank(g, images, channels);
        expect(rankModPrime(P, field), `n0 = ${g.n0}, k = ${g.k}, stride ${g.stride}, pad ${g.pad}, ${images} images, ${channels} channels: ν = ${nu}`).toBe(nu);
      }),
      { numRuns: 200, seed: 51 },
    );
  });

  it('rank H_F = 2 c_1 ν on random 1D one-convolution CNNs (exact), ν the term rank for s = min(r, K) images', () => {
    fc.assert(
      fc.property(geometry, fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 30 }), (g, c0, c1, K, N) => {
        const net = convolutional({ input: [g.n0], inputChannels: c0, layers: [{ kernel: g.k, stride: g.stride, padding: g.pad, channels: c1 }], outputs: K, samples: N });
        const measured = measureConvolutional(net, { exact: true, seed: 1 });
        const s = Math.min(measured.r, K);
        const nu = termRank(g, s, c0);
        expect(measured.ranks.HF, `${describeConvolutional(net)}: rank H_F = ${measured.ranks.HF}, ν = ${nu}`).toBe(2 * c1 * nu);
        const bound = evaluateFormula(findFormula('cnn-one-conv-HF'), convolutionalScope(net, measured.r))!;
        expect(2 * c1 * nu).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 60, seed: 52 },
    );
  });
});

describe('the former exact entries are upper bounds only', () => {
  it('in=2 ch=2; conv k=3 c=1 s=2 pad=2; K=3, N = 8: rank H_F = 10 < 12 = cnn-one-conv-HF (ν = 3·1 + 2·1 = 5)', () => {
    const net = parseConvolutional('in=2 ch=2; conv k=3 c=1 s=2 pad=2; K=3', { samples: 8 });
    const measured = measureConvolutional(net, { exact: true });
    expect(measured.ranks.HF).toBe(10);
    expect(termRank({ n0: 2, k: 3, stride: 2, pad: 2 }, 3, 2)).toBe(5);
    expect(evaluateFormula(findFormula('cnn-one-conv-HF'), convolutionalScope(net, measured.r))).toBe(12);
    expect(findFormula('cnn-one-conv-HF').entry.kind).toBe('upper-bound');
  });

  it('in=4 ch=2; conv k=4 c=1 s=3 pad=3; K=3 with bias, N = 20: rank H_F = 16 < 18 = cnn-bias-one-conv-HF', () => {
    const net = parseConvolutional('in=4 ch=2; conv k=4 c=1 s=3 pad=3; K=3', { samples: 20, bias: true });
    const measured = measureConvolutional(net, { exact: true });
    expect(measured.ranks.HF).toBe(16);
    expect(evaluateFormula(findFormula('cnn-bias-one-conv-HF'), convolutionalScope(net, measured.r))).toBe(18);
    expect(findFormula('cnn-bias-one-conv-HF').entry.kind).toBe('upper-bound');
  });
});

/** 1D and 2D one-convolution geometries with strides up to 3 and every padding below the kernel. */
const oneConvolution = fc
  .record({
    dims: fc.constantFrom(1, 2),
    sides: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 })),
    kernels: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })),
    strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    pads: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 })),
    c0: fc.integer({ min: 1, max: 2 }),
    c1: fc.integer({ min: 1, max: 2 }),
    K: fc.integer({ min: 1, max: 3 }),
    N: fc.integer({ min: 1, max: 30 }),
    bias: fc.boolean(),
  })
  .map((x) => {
    const axes = x.dims === 1 ? [0] : [0, 1];
    const kernel = axes.map((a) => x.kernels[a]!);
    const padding = axes.map((a) => Math.min(x.pads[a]!, kernel[a]! - 1));
    // the input must hold the kernel with its padding
    const input = axes.map((a) => Math.max(x.sides[a]!, kernel[a]! - 2 * padding[a]!, 1));
    return convolutional({
      input,
      inputChannels: x.c0,
      layers: [{ kernel, stride: axes.map((a) => x.strides[a]!), padding, channels: x.c1 }],
      outputs: x.K,
      samples: x.N,
      bias: x.bias,
    });
  });

describe('the exact one-convolution H_F: rank H_F = 2 c_1 π_1 (π̃_1 with bias)', () => {
  it('the maximum flow of src/cnn/patchRank.ts gives the term rank of a maximum matching, and π_1 = ν in 1D (with and without the bias column)', () => {
    fc.assert(
      fc.property(geometry, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (g, images, channels, augmented) => {
        const layer = { inputChannels: channels, outputChannels: 1, input: [g.n0], kernel: [g.k], stride: [g.stride], padding: [g.pad] };
        const found = patchRank(layer, images, augmented);
        const nu = termRank(g, images, channels, augmented);
        expect(found.termRank, `n0 = ${g.n0}, k = ${g.k}, stride ${g.stride}, pad ${g.pad}, ${images} images, ${channels} channels${augmented ? ', bias column' : ''}`).toBe(nu);
        expect(found.rank).toBe(nu);
      }),
      { numRuns: 300, seed: 53 },
    );
  });

  it('predict --cnn gives the exact rank H_F on random 1D and 2D one-convolution CNNs (strides ≤ 3, padding < kernel, bias or not; exact ranks)', () => {
    fc.assert(
      fc.property(oneConvolution, (net) => {
        const measured = measureConvolutional(net, { exact: true, seed: 3 });
        const predicted = predictConvolutional(net, { dataRank: measured.r });
        const id = net.bias ? 'cnn-bias-one-conv-patch-HF' : 'cnn-one-conv-patch-HF';
        expect(predicted.formulas.HF?.formula, describeConvolutional(net)).toBe(id);
        expect(predicted.ranks.HF, `${describeConvolutional(net)}: predicted ${predicted.ranks.HF}, measured ${measured.ranks.HF}`).toBe(measured.ranks.HF);
      }),
      { numRuns: 80, seed: 54 },
    );
  });

  it('the two counterexamples to the former exact entries are predicted exactly: 10 and 16', () => {
    const plain = parseConvolutional('in=2 ch=2; conv k=3 c=1 s=2 pad=2; K=3', { samples: 8 });
    expect(predictConvolutional(plain).formulas.HF).toMatchObject({ value: 10, formula: 'cnn-one-conv-patch-HF', kind: 'exact' });
    const biased = parseConvolutional('in=4 ch=2; conv k=4 c=1 s=3 pad=3; K=3', { samples: 20, bias: true });
    expect(predictConvolutional(biased).formulas.HF).toMatchObject({ value: 16, formula: 'cnn-bias-one-conv-patch-HF', kind: 'exact' });
  });
});
