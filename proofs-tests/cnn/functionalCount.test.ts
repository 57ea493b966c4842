/**
 * Theorem check for the two reductions of the H_F block recursion of several convolutions
 * (docs/cnn.md#several-convolutions-functional-hessian):
 *
 *   the parameters H_F sees: conv 1's filters act only through the span of the patches of the s images,
 *     P^f_j = P_j − c_1 (c_0 e_1 − π_1),  π_1 = min(c_0 e_1, s u_1)   (with bias: c_0 e_1 + 1, s̃);
 *   the two lowest convolutions: dim(range C ∩ range Eᵀ) ≥ rank E − (m − ρ) min(c_1, π_1) − (π_1 − ρ) min(c_1, m),
 *     so hf_3 = min(2x_3 + min(P^f_3 − x_3, 2x_2 − 1), x_3 + γ),
 *     γ = 2 c_1 ρ + (m − ρ) min(c_1, π_1) + (π_1 − ρ) min(c_1, m),  m = c_2 e_2,  ρ = min(m, π_1)
 *     (with bias x̃_3 + γ̃ + c_2 and no Euler direction).
 *
 * Both are in cnn-two-conv-HF … cnn-four-conv-HF (and their bias versions). And the elimination from
 * the bottom (cnn-above-first-HF): φ is linear in conv 1's kernel, so
 *   rank H_F ≤ 2 c_1 π_1 + min(P_L − P_2 + K c_{L-1} n_{L-1} − c_1 π_1, HFt − 1),
 * HFt the prediction of the CNN above conv 1 on conv 1's output (src/cnn/tail.ts). Checked against exact
 * ranks over two prime fields on random one-sample CNNs — where the reductions matter — and on the
 * examples of docs/cnn.md, each measured; a failure prints the shrunk CNN and the command that reproduces it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutional, convolvedSize, parseConvolutional, type Convolutional } from '../../src/architecture/convolutional.js';
import { findFormula } from '../../src/catalog/catalog.js';
import { evaluateFormula } from '../../src/catalog/predict.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';
import { formulaClaim } from '../../src/verify/claim.js';
import { claimProperty } from '../../src/verify/verify.js';

/** Random 1D/2D CNNs with 2–3 convolutions and one sample (s = 1, where the count matters most). */
function oneSample(bias: boolean): fc.Arbitrary<Convolutional> {
  const layer = fc.record({ kernel: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 2 }), padding: fc.integer({ min: 0, max: 1 }), channels: fc.integer({ min: 1, max: 4 }) });
  return fc
    .record({
      dims: fc.constantFrom(1, 2),
      length: fc.integer({ min: 4, max: 12 }),
      side: fc.tuple(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 3, max: 6 })),
      inputChannels: fc.integer({ min: 1, max: 2 }),
      layers: fc.array(layer, { minLength: 2, maxLength: 3 }),
      outputs: fc.integer({ min: 1, max: 4 }),
    })
    .map((d) => {
      const input = d.dims === 1 ? [d.length] : [...d.side];
      let grid = input;
      const layers = d.layers.map((l) => {
        const padding = Math.min(l.padding, l.kernel - 1);
        const kernel = Math.min(l.kernel, Math.min(...grid) + 2 * padding);
        grid = grid.map((size) => convolvedSize(size, kernel, l.stride, padding));
        return { kernel, stride: l.stride, padding, channels: l.channels };
      });
      return convolutional({ input, inputChannels: d.inputChannels, layers, outputs: d.outputs, samples: 1, bias });
    });
}

const exactHF = (net: Convolutional): number => measureConvolutional(net, { exact: true, quantities: ['HF'] }).ranks.HF!;

describe('one sample: rank H_F ≤ the recursion with P^f_j and the count x_3 + γ', () => {
  for (const bias of [false, true]) {
    it(`on 60 random one-sample CNNs with 2–3 convolutions${bias ? ' and bias' : ''} (exact ranks)`, () => {
      let tight = 0;
      fc.assert(
        fc.property(oneSample(bias), (net) => {
          const measured = measureConvolutional(net, { exact: true, quantities: ['HF'] });
          const id = `cnn-${bias ? 'bias-' : ''}${net.layers.length === 2 ? 'two' : 'three'}-conv-HF`;
          const bound = evaluateFormula(findFormula(id), convolutionalScope(net, measured.r));
          expect(measured.ranks.HF!, `${id} on ${JSON.stringify(net.layers)}: measured ${measured.ranks.HF}, bound ${bound}`).toBeLessThanOrEqual(bound);
          if (measured.ranks.HF === bound) tight++;
        }),
        { numRuns: 60, seed: bias ? 42 : 41 },
      );
      console.log(`one sample${bias ? ', bias' : ''}: the recursion equals the exact rank on ${tight} of 60`);
    });
  }
});

describe('the examples of docs/cnn.md (N = 1): the bound equals the exact rank', () => {
  const cases: [string, boolean, number, number][] = [
    // CNN, bias, exact rank H_F, the bound before P^f and the count
    ['in=10; conv k=3 c=4 s=2 pad=1; conv k=2 c=4 pad=1; K=3', false, 63, 68],
    ['in=5x5 ch=2; conv k=1 c=4; conv k=2 c=2 s=2 pad=1; K=4', false, 44, 47],
    ['in=4x4 ch=2; conv k=3 c=1 s=2 pad=1; conv k=2 c=1 pad=1; K=3', false, 15, 21],
    ['in=3x6 ch=2; conv k=3 c=3; conv k=2 c=1 pad=1; K=4', false, 34, 43],
    ['in=6; conv k=1 c=4 s=2; conv k=2 c=2 pad=1; K=4', true, 30, 32],
  ];
  for (const [text, bias, rank, before] of cases) {
    it(`${text}${bias ? ', bias' : ''}: rank H_F = ${rank} (was bounded by ${before})`, () => {
      const net = parseConvolutional(text, { samples: 1, bias });
      expect(exactHF(net)).toBe(rank);
      expect(evaluateFormula(findFormula(bias ? 'cnn-bias-two-conv-HF' : 'cnn-two-conv-HF'), convolutionalScope(net))).toBe(rank);
      expect(predictConvolutional(net).ranks.HF).toBe(rank);
    });
  }
});

describe('block elimination on conv 1: rank H_F ≤ 2 c_1 π_1 + min(·, HFt − 1)', () => {
  it('cnn-above-first-HF holds on 60 random CNNs with 2–3 convolutions (exact ranks, N on both sides of d)', () => {
    fc.assert(claimProperty(formulaClaim(findFormula('cnn-above-first-HF')), { depth: [2, 3] }), { numRuns: 60, seed: 43 });
  });

  it('and on 60 one-sample CNNs', () => {
    fc.assert(
      fc.property(oneSample(false), (net) => {
        const measured = measureConvolutional(net, { exact: true, quantities: ['HF'] });
        const bound = evaluateFormula(findFormula('cnn-above-first-HF'), convolutionalScope(net, measured.r));
        expect(measured.ranks.HF!, `${JSON.stringify(net.layers)}: bound ${bound}`).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 60, seed: 44 },
    );
  });

  it('in=12; conv k=3 c=1 pad=1; conv k=2 c=4 s=2 pad=1; conv k=2 c=4; K=4, N = 1: HFt = 44, rank H_F = 6 + min(133, 43) = 49 (the recursion gives 56)', () => {
    const net = parseConvolutional('in=12; conv k=3 c=1 pad=1; conv k=2 c=4 s=2 pad=1; conv k=2 c=4; K=4', { samples: 1 });
    const above = parseConvolutional('in=12 ch=1; conv k=2 c=4 s=2 pad=1; conv k=2 c=4; K=4', { samples: 1 });
    expect(exactHF(above)).toBe(44);
    expect(convolutionalScope(net).HFt).toBe(44);
    expect(exactHF(net)).toBe(49);
    expect(evaluateFormula(findFormula('cnn-above-first-HF'), convolutionalScope(net))).toBe(49);
    expect(evaluateFormula(findFormula('cnn-three-conv-HF'), convolutionalScope(net))).toBe(56);
    expect(predictConvolutional(net).ranks.HF).toBe(49);
  });
});
