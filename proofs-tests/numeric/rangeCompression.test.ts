/**
 * Range compression (src/numeric/rangeCompression.ts, checked on dense matrices with
 * referenceRangeCompression.ts): for linear networks the ranges of H, H_F and
 * the rows of the H_O factor lie in S = ⊕_m (U_m ⊗ R^{M̃}) ⊕ (U_m^⊥ ⊗ V_m), so
 *   (1) the certificate residual is at rounding level,
 *   (2) the eigenvalues of Qᵀ P Q are the nonzero eigenvalues of P (same numerical rank, same spectrum),
 *   (3) a matrix whose range leaves S fails the certificate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullyConnected } from '../../src/architecture/fullyConnected.js';
import { hessianParts } from '../../src/numeric/measure.js';
import { sampleInstance } from '../../src/numeric/networkInstance.js';
import { numericalRank } from '../../src/numeric/numericalRank.js';
import { compress, linearRangeBasis, rangeResidual } from './referenceRangeCompression.js';
import { RandomStream } from '../../src/numeric/random.js';
import { symmetricEigenvalues } from '../../src/linalg/index.js';
import { fullyConnectedArbitrary } from '../../src/verify/arbitraries.js';

describe('range compression for linear networks', () => {
  it('range(H), range(H_F) ⊆ S and Qᵀ P Q has the nonzero spectrum of P', () => {
    fc.assert(
      fc.property(fullyConnectedArbitrary({ depth: [1, 4], width: [1, 7], bias: 'any', loss: 'any' }), fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const instance = sampleInstance(net, { seed });
        const parts = hessianParts(instance);
        const basis = linearRangeBasis(instance);
        const p = parts.parameters;
        for (const P of [parts.hessian, parts.functional]) {
          expect(rangeResidual(P, basis)).toBeLessThan(Number.EPSILON * Math.sqrt(p));
          const full = Array.from(symmetricEigenvalues(P)).sort((a, b) => Math.abs(b) - Math.abs(a));
          const reduced = Array.from(symmetricEigenvalues(compress(P, basis))).sort((a, b) => Math.abs(b) - Math.abs(a));
          const scale = Math.abs(full[0] ?? 0);
          // every eigenvalue of the compressed matrix matches one of P's (sorted by magnitude)
          reduced.forEach((v, i) => expect(Math.abs(Math.abs(v) - Math.abs(full[i]!))).toBeLessThan(1e-9 * Math.max(1, scale)));
          const padded = new Float64Array(p);
          padded.set(reduced);
          expect(numericalRank(padded, p).rank).toBe(numericalRank(full, p).rank);
        }
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('a symmetric matrix with range outside S fails the certificate', () => {
    const net = fullyConnected({ widths: [6, 6, 6, 2], samples: 12 });
    const instance = sampleInstance(net, { seed: 1 });
    const basis = linearRangeBasis(instance);
    expect(basis.dimension).toBeLessThan(basis.parameters);
    const p = basis.parameters;
    const stream = new RandomStream(3);
    const B = stream.gaussianArray(p * p);
    const S = { rows: p, cols: p, data: B.map((_, k) => B[k]! + B[(k % p) * p + Math.floor(k / p)]!) };
    expect(rangeResidual(S, basis)).toBeGreaterThan(0.01);
  });
});
