/**
 * The compressed build of a linear network's Hessian (src/numeric/compressedLinearHessian.ts) never
 * forms a p × p matrix; against the dense builders on small random architectures (mse and ce, with
 * and without bias):
 *   (1) Qᵀ H Q, Qᵀ H_F Q and Qᵀ H_O Q built from the blocks equal Qᵀ P Q computed from the dense P
 *       (the general forward-over-reverse builder for ce, the structured one for mse);
 *   (2) the matrix-free products equal the dense P x, and the certificate holds;
 *   (3) the ranks read from the compressed spectra equal the dense ranks;
 *   (4) over Z/PZ, the ranks of the compressed matrices equal the dense exact ranks prime by prime;
 *   (5) a wrong compressed matrix fails the certificate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullyConnected, parameterCount } from '../../src/architecture/fullyConnected.js';
import {
  applyFunctional,
  applyOuterProduct,
  certificateThreshold,
  certify,
  compressedExactRanks,
  compressedFunctional,
  compressedOuterProduct,
  compressedSpectra,
  outerGram,
  outerGramSize,
} from '../../src/numeric/compressedLinearHessian.js';
import { exactFields, gramOfRows, rankModPrime } from '../../src/linalg/index.js';
import { addGramInto } from '../../src/numeric/hessianParts.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';
import { exactPartRanks, floatPartRanks, fullyConnectedEvidence, hessianParts, measureInstance, quantities } from '../../src/numeric/measure.js';
import { sampleInstance } from '../../src/numeric/networkInstance.js';
import { numericalRank } from '../../src/numeric/numericalRank.js';
import { floatRangeBasis } from '../../src/numeric/rangeCompression.js';
import { compress } from './referenceRangeCompression.js';
import { RandomStream } from '../../src/numeric/random.js';
import { symmetricEigenvalues } from '../../src/linalg/index.js';
import { spectrumValues } from '../../src/numeric/symmetricSpectrum.js';
import { fullyConnectedArbitrary } from '../../src/verify/arbitraries.js';

function maxAbs(m: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < m.length; i++) s = Math.max(s, Math.abs(m[i]!));
  return s;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i]! - b[i]!));
  return s;
}

function times(P: Matrix, x: Float64Array): Float64Array {
  const y = new Float64Array(P.rows);
  for (let i = 0; i < P.rows; i++) {
    let s = 0;
    for (let j = 0; j < P.cols; j++) s += P.data[i * P.cols + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

const architectures = fullyConnectedArbitrary({ depth: [1, 4], width: [1, 7], bias: 'any', loss: 'any' });

describe('compressed Hessian of a linear network, built without p × p matrices', () => {
  it('equals Qᵀ P Q of the dense H, H_F and H_O, and its matrix-free products equal P x', () => {
    fc.assert(
      fc.property(architectures, fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const instance = sampleInstance(net, { seed });
        const dense = hessianParts(instance);
        const h = new LinearNetworkHessian(instance);
        const basis = floatRangeBasis(h);
        const outerDense = zeros(dense.parameters, dense.parameters);
        addGramInto(outerDense, dense.jacobian, dense.ring);
        const KF = compressedFunctional(h, basis);
        const KO = compressedOuterProduct(h, basis);
        const scale = Math.max(1, maxAbs(dense.hessian.data), maxAbs(outerDense.data));
        expect(maxAbsDifference(KF.data, compress(dense.functional, basis).data)).toBeLessThan(1e-10 * scale);
        expect(maxAbsDifference(KO.data, compress(outerDense, basis).data)).toBeLessThan(1e-10 * scale);
        const x = new RandomStream(seed + 1).gaussianArray(dense.parameters);
        const yF = new Float64Array(dense.parameters);
        applyFunctional(h, x, yF);
        const yO = new Float64Array(dense.parameters);
        applyOuterProduct(h, x, yO);
        expect(maxAbsDifference(yF, times(dense.functional, x))).toBeLessThan(1e-10 * scale * dense.parameters);
        expect(maxAbsDifference(yO, times(outerDense, x))).toBeLessThan(1e-10 * scale * dense.parameters);
        const p = dense.parameters;
        const KH = { rows: KF.rows, cols: KF.cols, data: KF.data.map((v, i) => v + KO.data[i]!) };
        const certificate = certify((v, out) => {
          applyFunctional(h, v, out);
          applyOuterProduct(h, v, out);
        }, KH, basis);
        expect(certificate.residual).toBeLessThanOrEqual(certificateThreshold(p));
        // F Fᵀ (for mse with N > M̃_0 over the M̃_0 virtual samples) has the nonzero eigenvalues of H_O:
        // the same values, and every eigenvalue of J Jᵀ it leaves out is zero
        const gram = symmetricEigenvalues(outerGram(h));
        expect(gram.length).toBe(outerGramSize(h));
        const reference = symmetricEigenvalues(gramOfRows(dense.jacobian));
        const sorted = (a: Float64Array): number[] => Array.from(a).sort((u, v) => Math.abs(v) - Math.abs(u));
        const padded = [...sorted(gram), ...new Array<number>(reference.length - gram.length).fill(0)];
        expect(maxAbsDifference(padded, sorted(reference))).toBeLessThan(1e-9 * Math.max(1, maxAbs(reference)));
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('gives the dense ranks of H, H_O and H_F (float64)', () => {
    fc.assert(
      fc.property(architectures, fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const instance = sampleInstance(net, { seed });
        const p = parameterCount(net);
        const dense = hessianParts(instance);
        const h = new LinearNetworkHessian(instance);
        const spectra = compressedSpectra(h, floatRangeBasis(h), quantities)!;
        expect(spectra).toBeDefined();
        const outerDense = zeros(p, p);
        addGramInto(outerDense, dense.jacobian, dense.ring);
        const denseRank = { H: dense.hessian, HF: dense.functional, HO: outerDense };
        for (const q of quantities) {
          const want = numericalRank(symmetricEigenvalues(denseRank[q]), p);
          const got = numericalRank(spectrumValues(spectra[q]!, p), p);
          // a rank float64 cannot decide (gap under 3 decades at the cut) is not compared
          if (want.gap && want.gap.decades < 3) continue;
          expect({ part: q, rank: got.rank }).toEqual({ part: q, rank: want.rank });
        }
      }),
      { numRuns: 60, seed: 12 },
    );
  });

  it('over Z/PZ, the compressed matrices have the ranks of the dense H, H_O and H_F, prime by prime', () => {
    const mse = fullyConnectedArbitrary({ depth: [1, 4], width: [1, 7], bias: 'any', loss: 'mse' });
    fc.assert(
      fc.property(mse, fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const instance = sampleInstance(net, { seed, integer: true });
        for (const field of exactFields) {
          const compressed = compressedExactRanks(instance, field, quantities);
          if (!compressed) continue; // a basis Gram matrix singular modulo P: the dense path decides
          const dense = new LinearNetworkHessian(instance, field);
          const p = dense.parameters;
          const F = zeros(p, p);
          dense.addFunctional(F);
          const H = { rows: p, cols: p, data: F.data.slice() };
          dense.addOuterProduct(H);
          expect(compressed).toEqual({ H: rankModPrime(H, field), HO: rankModPrime(dense.jacobian(), field), HF: rankModPrime(F, field) });
        }
      }),
      { numRuns: 60, seed: 13 },
    );
  });

  it('measure takes the compressed path from p = 200 on and agrees with the dense path (float64 and exact)', () => {
    for (const spec of [
      { widths: [12, 12, 12, 3], samples: 10 },
      { widths: [9, 14, 11, 4], samples: 30, bias: true },
      { widths: [10, 12, 12, 3], samples: 7, loss: 'ce' as const },
    ]) {
      const net = fullyConnected(spec);
      const instance = sampleInstance(net, { seed: 5 });
      const compressed = measureInstance(instance, false);
      expect(compressed.parts.H.compression?.dimension).toBeLessThan(parameterCount(net));
      expect(compressed.ranks).toEqual(floatPartRanks(hessianParts(instance), quantities, instance.inputs).ranks);
      if (net.loss !== 'mse') continue;
      const integer = sampleInstance(net, { seed: 5, integer: true });
      const dense = exactPartRanks(parameterCount(net), quantities, (field) => new LinearNetworkHessian(integer, field), integer.inputs, fullyConnectedEvidence(integer));
      expect(measureInstance(integer, true).parts).toEqual(dense.parts);
    }
  });

  it('a compressed matrix that is not Qᵀ P Q fails the certificate', () => {
    const net = fullyConnected({ widths: [6, 6, 6, 2], samples: 12 });
    const h = new LinearNetworkHessian(sampleInstance(net, { seed: 1 }));
    const basis = floatRangeBasis(h);
    const K = compressedFunctional(h, basis);
    const apply = (x: Float64Array, out: Float64Array): void => applyFunctional(h, x, out);
    expect(certify(apply, K, basis).residual).toBeLessThanOrEqual(certificateThreshold(basis.parameters));
    const wrong = { rows: K.rows, cols: K.cols, data: K.data.slice() };
    wrong.data[0] += 1e-6 * maxAbs(K.data);
    expect(certify(apply, wrong, basis).residual).toBeGreaterThan(certificateThreshold(basis.parameters));
  });
});
