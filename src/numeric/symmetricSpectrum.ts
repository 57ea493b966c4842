/**
 * The spectrum a symmetric Hessian part's rank is read from.
 *
 * With a basis Q of a subspace S that contains range(P) — certified by random probes: the part of
 * P x outside S, relative to ‖P‖_F ‖x‖, is at most ε √p, hence below ε √p ‖P‖_F ≤ ε p σ_max = τ —
 * the eigenvalues of Qᵀ P Q are P's nonzero eigenvalues; the p − dim S others are zero up to the
 * certified residual, and enter the rank computation at that value (`outside`), so the gap at the
 * cut is never overstated. Without a certified basis: the eigenvalues of P itself.
 */
import type { Matrix } from './matrix.js';
import { compress, rangeResidual, type RangeBasis } from './rangeCompression.js';
import { symmetricEigenvalues } from '../linalg/index.js';

export interface Spectrum {
  /** eigenvalues of P, or of Qᵀ P Q */
  eigenvalues: Float64Array;
  compression?: { dimension: number; residual: number; outside: number };
}

/** ε √p: the largest probe residual that certifies range(P) ⊆ S. */
export function rangeCertificateThreshold(p: number): number {
  return Number.EPSILON * Math.sqrt(p);
}

export function symmetricSpectrum(P: Matrix, basis?: RangeBasis): Spectrum {
  const p = P.rows;
  if (basis) {
    const residual = rangeResidual(P, basis);
    if (residual <= rangeCertificateThreshold(p)) {
      let frobenius = 0;
      for (const v of P.data) frobenius += v * v;
      return {
        eigenvalues: symmetricEigenvalues(compress(P, basis)),
        compression: { dimension: basis.dimension, residual, outside: Math.sqrt(frobenius) * residual },
      };
    }
  }
  return { eigenvalues: symmetricEigenvalues(P) };
}

/** The p values whose singular values decide the rank: the spectrum, padded with `outside`. */
export function spectrumValues(spectrum: Spectrum, p: number): Float64Array {
  if (!spectrum.compression) return spectrum.eigenvalues;
  const values = new Float64Array(p);
  values.set(spectrum.eigenvalues);
  values.fill(spectrum.compression.outside, spectrum.eigenvalues.length);
  return values;
}
