/**
 * A real image data set: the UCI optical-recognition handwritten digits (E. Alpaydin, C. Kaynak 1998),
 * 1797 images of 8 × 8 pixels, each pixel the count of set bits in a 4 × 4 block of a 32 × 32 NIST
 * bitmap (an integer 0..16): MNIST-like digits downscaled to d = 64.
 *
 * Real data have r = rank(Σ_xx) < d: three pixels (the left corners (0,0), (4,0) and (4,7) in
 * row-major order 0, 32, 39) are 0 in every image, so r ≤ 61 for any number of samples. The file
 * data/digits/digits.csv.gz is the copy scikit-learn ships (Debian package python3-sklearn
 * 1.2.1+dfsg-1, sklearn/datasets/data/digits.csv.gz, BSD-3-Clause); data/digits/README.md records
 * its provenance and checksum. No npm package in the registry lists ships MNIST or digits images.
 *
 * `digitImages(N)` is the d × N matrix X of the first N images in file order (column i = image i),
 * pixel counts unscaled, so that X is integral and exact prime-field ranks apply.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { packageRoot } from '../catalog/catalog.js';
import { InputError } from '../errors.js';
import type { Matrix } from '../numeric/matrix.js';

export const digitsPixels = 64;
export const digitsImageCount = 1797;

export interface DigitsDataSet {
  /** 64 × 1797, column i = image i (pixel counts 0..16) */
  images: Matrix;
  /** the digit 0..9 of each image */
  labels: Int8Array;
}

let cached: DigitsDataSet | undefined;

export function digitsFile(): string {
  return join(packageRoot(), 'data', 'digits', 'digits.csv.gz');
}

/** Parses digits.csv.gz: 1797 lines of 64 pixel counts and the label. */
export function loadDigits(): DigitsDataSet {
  if (cached) return cached;
  const text = gunzipSync(readFileSync(digitsFile())).toString('utf8');
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length !== digitsImageCount) throw new Error(`digits.csv.gz: expected ${digitsImageCount} images, found ${lines.length}`);
  const images = { rows: digitsPixels, cols: lines.length, data: new Float64Array(digitsPixels * lines.length) };
  const labels = new Int8Array(lines.length);
  lines.forEach((line, i) => {
    const values = line.split(',').map(Number);
    if (values.length !== digitsPixels + 1 || values.some((v) => !Number.isInteger(v))) {
      throw new Error(`digits.csv.gz: line ${i + 1} is not 64 pixel counts and a label`);
    }
    for (let j = 0; j < digitsPixels; j++) images.data[j * lines.length + i] = values[j]!;
    labels[i] = values[digitsPixels]!;
  });
  cached = { images, labels };
  return cached;
}

/** X = the first N digit images as a 64 × N matrix. */
export function digitImages(N: number): Matrix {
  if (!Number.isInteger(N) || N < 1 || N > digitsImageCount) {
    throw new InputError(`the digits data set has ${digitsImageCount} images; N must be 1..${digitsImageCount}, got ${N}`);
  }
  const all = loadDigits().images;
  const out = { rows: digitsPixels, cols: N, data: new Float64Array(digitsPixels * N) };
  for (let j = 0; j < digitsPixels; j++) out.data.set(all.data.subarray(j * all.cols, j * all.cols + N), j * N);
  return out;
}
