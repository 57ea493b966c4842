/**
 * The spectrum a symmetric Hessian part's rank is read from: the eigenvalues of P itself, or of
 * Qᵀ P Q for a basis Q of a subspace S certified to contain range(P) (compressedLinearHessian.ts).
 * Then the eigenvalues of Qᵀ P Q are P's nonzero eigenvalues; the p − dim S others are zero up to the
 * certified residual, and enter the rank computation at that value (`outside`), so the gap at the
 * cut is never overstated.
 */
import type { Matrix } from './matrix.js';
import { symmetricEigenvalues } from '../linalg/index.js';

export interface Spectrum {
  /** eigenvalues of P, or of Qᵀ P Q */
  eigenvalues: Float64Array;
  compression?: { dimension: number; residual: number; outside: number };
}

export function symmetricSpectrum(P: Matrix): Spectrum {
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
