/**
 * A data set X = [x_1 … x_N] (d × N, column i = sample i) read from one of:
 *   digits         the embedded 8 × 8 UCI digits (1797 images, pixel counts 0..16, src/report/digits.ts)
 *   fashion-mnist  Fashion-MNIST's 60 000 training images, 28 × 28 bytes 0..255, from Debian's
 *                  dataset-fashion-mnist package (IDX files under /usr/share/datasets/fashion-mnist)
 *   FILE.npy       an N × d array (fully-connected networks) or N × C × L / N × C × H × W (CNNs;
 *                  flattened channel-major, as the CNN reads it)
 * Named sets keep their integer pixel values, so exact prime-field ranks apply; only the first N
 * samples are read (N = --samples or --subset). Targets (K × N) come from a .npy file: N class
 * indices (one-hot), or an N × K array taken as it is (for ce: probability rows); `labels` takes the
 * named set's classes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { zeros, type Matrix } from '../numeric/matrix.js';
import { digitsImageCount, loadDigits } from '../report/digits.js';
import { readIdx, type IdxArray } from './idx.js';
import { readNpy } from './npy.js';

export interface DataSet {
  /** 'digits', 'fashion-mnist' or the file name */
  readonly name: string;
  /** X, d × N */
  readonly inputs: Matrix;
  /** shape of one sample: [d] for a table, [C, L] or [C, H, W] for images */
  readonly sampleShape: readonly number[];
  /** the class of each sample, when the set has them */
  readonly labels?: Int32Array;
  /** number of classes, when labelled */
  readonly classes?: number;
}

export const namedDataSets = ['digits', 'fashion-mnist'] as const;

export const fashionMnistDirectory = '/usr/share/datasets/fashion-mnist';
export const fashionMnistInstall = 'Fashion-MNIST is not installed: run `apt-get install dataset-fashion-mnist` (Debian/Ubuntu; IDX files under /usr/share/datasets/fashion-mnist)';

/** Whether Debian's dataset-fashion-mnist files are present. */
export function fashionMnistAvailable(directory = fashionMnistDirectory): boolean {
  return existsSync(join(directory, 'train-images-idx3-ubyte.gz')) && existsSync(join(directory, 'train-labels-idx1-ubyte.gz'));
}

/** Whether `source` names a data set this module reads (a named set or a .npy file). */
export function isDataSource(source: string): boolean {
  return (namedDataSets as readonly string[]).includes(source) || source.endsWith('.npy');
}

/** How many samples `source` holds (reads a .npy file's header and data). */
export function sampleCount(source: string): number {
  if (source === 'digits') return digitsImageCount;
  if (source === 'fashion-mnist') return 60000;
  return npyDataSet(source).inputs.cols;
}

function firstColumns(all: Matrix, N: number): Matrix {
  if (N === all.cols) return all;
  const out = zeros(all.rows, N);
  for (let j = 0; j < all.rows; j++) out.data.set(all.data.subarray(j * all.cols, j * all.cols + N), j * N);
  return out;
}

function checkCount(name: string, available: number, N: number | undefined): number {
  const count = N ?? available;
  if (!Number.isSafeInteger(count) || count < 1 || count > available) {
    throw new InputError(`${name} holds ${available} samples; N must be 1..${available}, got ${count}`);
  }
  return count;
}

function digitsDataSet(N: number | undefined): DataSet {
  const set = loadDigits();
  const count = checkCount('digits', digitsImageCount, N);
  return { name: 'digits', inputs: firstColumns(set.images, count), sampleShape: [1, 8, 8], labels: Int32Array.from(set.labels.subarray(0, count)), classes: 10 };
}

const fashionMnistCache = new Map<string, { images: IdxArray; labels: IdxArray }>();

function fashionMnistDataSet(N: number | undefined, directory: string): DataSet {
  if (!fashionMnistAvailable(directory)) throw new InputError(fashionMnistInstall);
  let files = fashionMnistCache.get(directory);
  if (!files) {
    files = { images: readIdx(join(directory, 'train-images-idx3-ubyte.gz')), labels: readIdx(join(directory, 'train-labels-idx1-ubyte.gz')) };
    fashionMnistCache.set(directory, files);
  }
  const { images, labels } = files;
  const [available, height, width] = images.shape as [number, number, number];
  const count = checkCount('fashion-mnist', available, N);
  const d = height * width;
  const inputs = zeros(d, count);
  for (let i = 0; i < count; i++) for (let j = 0; j < d; j++) inputs.data[j * count + i] = images.data[i * d + j]!;
  return { name: 'fashion-mnist', inputs, sampleShape: [1, height, width], labels: Int32Array.from(labels.data.subarray(0, count)), classes: 10 };
}

function npyDataSet(file: string, N?: number): DataSet {
  const array = readNpy(file);
  if (array.shape.length < 2 || array.shape.length > 4) {
    throw new InputError(`${file}: data must be N×d, N×C×L or N×C×H×W, got shape (${array.shape.join(', ')})`);
  }
  const [available, ...sampleShape] = array.shape as number[];
  const count = checkCount(file, available!, N);
  const d = sampleShape.reduce((a, b) => a * b, 1);
  const inputs = zeros(d, count);
  for (let i = 0; i < count; i++) for (let j = 0; j < d; j++) inputs.data[j * count + i] = array.data[i * d + j]!;
  if (!inputs.data.every(Number.isFinite)) throw new InputError(`${file}: the data hold NaN or infinite values`);
  return { name: file, inputs, sampleShape };
}

/** The first N samples (all of a .npy file when N is undefined) of a named set or .npy file. */
export function loadDataSet(source: string, N?: number, options: { fashionMnistDirectory?: string } = {}): DataSet {
  if (source === 'digits') return digitsDataSet(N);
  if (source === 'fashion-mnist') return fashionMnistDataSet(N, options.fashionMnistDirectory ?? fashionMnistDirectory);
  if (source.endsWith('.npy')) return npyDataSet(source, N);
  throw new InputError(`--data must be digits, fashion-mnist or a FILE.npy, got "${source}"`);
}

/** One-hot K × N targets from class indices 0..K−1. */
export function oneHot(labels: ArrayLike<number>, K: number, what: string): Matrix {
  const N = labels.length;
  const targets = zeros(K, N);
  for (let i = 0; i < N; i++) {
    const c = labels[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= K) throw new InputError(`${what}: class ${c} of sample ${i} is outside 0..${K - 1} (K = ${K} outputs)`);
    targets.data[c * N + i] = 1;
  }
  return targets;
}

/** How far a ce target row's sum may be from 1 (float32 probabilities sum to 1 within ~1e-7 · K). */
export const probabilityRowTolerance = 1e-6;

/**
 * Targets Y (K × N) for the first N samples: `labels` (the data set's classes, one-hot) or a .npy
 * file holding N (or more) class indices, or an N × K array. With `loss` ce an N × K array must hold
 * probability vectors (entries ≥ 0, each row summing to 1 within probabilityRowTolerance): the
 * softmax cross-entropy's gradient π − y and Hessian diag π − ππᵀ assume Σ_k y_k = 1.
 */
export function loadTargets(source: string, K: number, N: number, data?: DataSet, loss?: 'mse' | 'ce'): Matrix {
  if (source === 'labels') {
    if (!data?.labels) throw new InputError(`--targets labels needs a labelled data set (digits or fashion-mnist)${data ? `; ${data.name} has no labels` : ''}`);
    return oneHot(data.labels.subarray(0, N), K, `${data.name} labels`);
  }
  if (!source.endsWith('.npy')) throw new InputError(`--targets must be a FILE.npy or labels, got "${source}"`);
  const array = readNpy(source);
  const rows = array.shape[0] ?? 0;
  if (rows < N) throw new InputError(`${source} holds targets for ${rows} samples; the network has N = ${N}`);
  if (array.shape.length === 1 || (array.shape.length === 2 && array.shape[1] === 1 && K > 1)) {
    const labels = array.data.subarray(0, N);
    if (!labels.every(Number.isInteger)) throw new InputError(`${source}: a one-dimensional target file must hold class indices (integers 0..K−1)`);
    return oneHot(labels, K, source);
  }
  if (array.shape.length !== 2 || array.shape[1] !== K) {
    throw new InputError(`${source}: targets must be N class indices or an N×K array with K = ${K}, got shape (${array.shape.join(', ')})`);
  }
  const targets = zeros(K, N);
  for (let i = 0; i < N; i++) for (let k = 0; k < K; k++) targets.data[k * N + i] = array.data[i * K + k]!;
  if (!targets.data.every(Number.isFinite)) throw new InputError(`${source}: the targets hold NaN or infinite values`);
  if (loss === 'ce') {
    for (let i = 0; i < N; i++) {
      let sum = 0;
      let negative = false;
      for (let k = 0; k < K; k++) {
        const y = array.data[i * K + k]!;
        sum += y;
        if (y < 0) negative = true;
      }
      if (negative || Math.abs(sum - 1) > probabilityRowTolerance) {
        throw new InputError(
          `${source}: --loss ce takes N class indices or an N×K array of probability rows (≥ 0, summing to 1); row ${i} ${negative ? 'has a negative entry' : `sums to ${sum}`} (use --loss mse for other targets)`,
        );
      }
    }
  }
  return targets;
}
