/**
 * Theorem check for the pencil of conv 2's patches (docs/cnn.md#two-convolutions-the-pencil-of-conv-2s-patches):
 *
 *   two convolutions, no bias: rank H_F ≤ min(2U − ς, U + c_2 c_1 e_2),  U = c_1 π_1 + s c_2 n_2   (cnn-two-conv-pencil-HF),
 *
 * ς the stabiliser {(Q, R): Q P_j = P_j R} of the pencil of patches conv 2's offsets read (one residual direction, s = 1),
 * as directions (w_1 Q, −R V) modulo those H_F does not see (src/cnn/pencilStabiliser.ts); ς = 1 for s > 1. A square
 * pencil of two offsets (m = c_0 κ_1 = n_2) has ς = m, and there (c_1, c_2 ≥ m) rank H_F = 2U − m, m − 1 below the block
 * recursion cnn-two-conv-HF. Checked against exact ranks over Z/PZ of random 1D and 2D CNNs with channels, strides and
 * paddings; a failure prints the shrunk CNN.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeConvolutional, parseConvolutional } from '../../src/architecture/convolutional.js';
import { findFormula } from '../../src/catalog/catalog.js';
import { evaluateFormula } from '../../src/catalog/predict.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';

const pencil = findFormula('cnn-two-conv-pencil-HF');
const recursion = findFormula('cnn-two-conv-HF');

describe('two convolutions: the stabiliser of conv 2’s patch pencil', () => {
  // [CNN, m]: two offsets of conv 2 reading m × m patch matrices (trees of windows, and overlapping windows)
  const square: [string, number][] = [
    ['in=8; conv k=2 c=4 s=2; conv k=2 c=2 s=2; K=1', 2],
    ['in=18; conv k=3 c=3 s=3; conv k=2 c=3 s=2; K=1', 3],
    ['in=32; conv k=4 c=4 s=4; conv k=2 c=4 s=2; K=1', 4],
    ['in=8; conv k=3 c=4 s=2 pad=1; conv k=2 c=4; K=1', 3],
  ];
  for (const [text, m] of square) {
    it(`${text}, N = 1: ς = ${m} and rank H_F = 2U − ${m}, ${m - 1} below cnn-two-conv-HF (exact ranks)`, () => {
      const net = parseConvolutional(text, { samples: 1 });
      const measured = measureConvolutional(net, { exact: true, seed: 3 });
      const scope = convolutionalScope(net, measured.r);
      expect(scope.sg).toBe(m);
      expect(measured.ranks.HF).toBe(evaluateFormula(pencil, scope));
      expect(evaluateFormula(recursion, scope) - measured.ranks.HF!).toBe(m - 1);
    });
  }

  it('a pencil that is not square, or three offsets, or two residual directions: ς = 1', () => {
    expect(convolutionalScope(parseConvolutional('in=12; conv k=3 c=3 s=3; conv k=2 c=3 s=2; K=1', { samples: 1 })).sg).toBe(1);
    expect(convolutionalScope(parseConvolutional('in=24; conv k=3 c=3 s=3; conv k=3 c=3 s=3; K=1', { samples: 1 })).sg).toBe(1);
    expect(convolutionalScope(parseConvolutional('in=8; conv k=2 c=4 s=2; conv k=2 c=2 s=2; K=2', { samples: 3 })).sg).toBe(1);
  });

  for (const [name, outputs] of [['one residual direction (K = 1)', [1, 1]], ['any K', [1, 4]]] as const) {
    it(`rank H_F ≤ cnn-two-conv-pencil-HF on random two-convolution CNNs, ${name} (exact ranks)`, () => {
      fc.assert(
        fc.property(convolutionalArbitrary({ convolutions: [2, 2], outputs: [outputs[0], outputs[1]] }), (net) => {
          const measured = measureConvolutional(net, { exact: true, seed: 11 });
          const scope = convolutionalScope(net, measured.r);
          const bound = evaluateFormula(pencil, scope);
          expect(measured.ranks.HF, `${describeConvolutional(net)}: ς = ${scope.sg}, bound ${bound}`).toBeLessThanOrEqual(bound);
        }),
        { numRuns: 120, seed: 71 },
      );
    });
  }
});
