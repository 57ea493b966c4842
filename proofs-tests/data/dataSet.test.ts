/**
 * Data sets: a .npy file N×d or N×C×H×W becomes X (d × N, column i = sample i, channel-major);
 * class-index targets become one-hot columns; Fashion-MNIST (when installed) has constant border
 * pixels, so its measured data rank r stays below d = 784.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fashionMnistAvailable, loadDataSet, loadTargets } from '../../src/data/dataSet.js';
import { encodeNpy } from '../../src/data/npy.js';
import { numericalRank } from '../../src/numeric/numericalRank.js';
import { gramEigenvalues } from '../../src/numeric/measure.js';
import { transpose } from '../../src/numeric/matrix.js';

const dir = mkdtempSync(join(tmpdir(), 'hessian-rank-data-'));
function npy(name: string, shape: number[], values: number[], dtype: '<f8' | '<i8' = '<f8'): string {
  const file = join(dir, name);
  writeFileSync(file, encodeNpy(shape, values, dtype));
  return file;
}

describe('data sets', () => {
  it('reads an N×C×H×W array as X with column i = sample i flattened channel-major', () => {
    const values = Array.from({ length: 3 * 2 * 2 * 2 }, (_, i) => i);
    const set = loadDataSet(npy('images.npy', [3, 2, 2, 2], values));
    expect(set.sampleShape).toEqual([2, 2, 2]);
    expect(set.inputs.rows).toBe(8);
    expect(set.inputs.cols).toBe(3);
    // X[j, i] = sample i's value j = values[8 i + j]
    for (let i = 0; i < 3; i++) for (let j = 0; j < 8; j++) expect(set.inputs.data[j * 3 + i]).toBe(8 * i + j);
    expect(loadDataSet(npy('images2.npy', [3, 2, 2, 2], values), 2).inputs.cols).toBe(2);
    expect(() => loadDataSet(npy('images3.npy', [3, 2, 2, 2], values), 4)).toThrow(/holds 3 samples/);
  });

  it('turns class indices into one-hot targets and checks an N×K array', () => {
    const Y = loadTargets(npy('labels.npy', [4], [2, 0, 1, 2], '<i8'), 3, 4);
    expect(Array.from(Y.data)).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1]);
    expect(() => loadTargets(npy('bad-labels.npy', [2], [0, 3], '<i8'), 3, 2)).toThrow(/class 3 of sample 1 is outside 0..2/);
    const soft = loadTargets(npy('soft.npy', [2, 3], [0.5, 0.25, 0.25, 0, 0, 1]), 3, 2);
    expect(Array.from(soft.data)).toEqual([0.5, 0, 0.25, 0, 0.25, 1]);
    expect(() => loadTargets(npy('wrongK.npy', [2, 4], new Array(8).fill(0)), 3, 2)).toThrow(/K = 3/);
  });

  it('ce takes class indices or probability rows (Σ_k y_k = 1, as the gradient π − y assumes), nothing else', () => {
    expect(Array.from(loadTargets(npy('soft-ce.npy', [2, 3], [0.5, 0.25, 0.25, 0, 0, 1]), 3, 2, undefined, 'ce').data)).toEqual([0.5, 0, 0.25, 0, 0.25, 1]);
    expect(() => loadTargets(npy('sum2.npy', [2, 3], [1, 1, 0, 0, 0, 1]), 3, 2, undefined, 'ce')).toThrow(/row 0 sums to 2/);
    expect(() => loadTargets(npy('negative.npy', [2, 3], [1.5, -0.5, 0, 0, 0, 1]), 3, 2, undefined, 'ce')).toThrow(/row 0 has a negative entry/);
    // mse takes any N×K array
    expect(loadTargets(npy('sum2-mse.npy', [2, 3], [1, 1, 0, 0, 0, 1]), 3, 2, undefined, 'mse').rows).toBe(3);
  });

  it('gives the digits labels as one-hot targets', () => {
    const set = loadDataSet('digits', 10);
    const Y = loadTargets('labels', 10, 10, set);
    for (let i = 0; i < 10; i++) expect(Y.data[set.labels![i]! * 10 + i]).toBe(1);
  });

  it('without the Fashion-MNIST files: one line saying how to install them', () => {
    expect(() => loadDataSet('fashion-mnist', 10, { fashionMnistDirectory: join(dir, 'no-such-directory') })).toThrow(/^Fashion-MNIST is not installed: run `apt-get install dataset-fashion-mnist`/);
  });

  it.skipIf(!fashionMnistAvailable())('Fashion-MNIST: 28×28 images with constant border pixels, so r < d = 784', () => {
    const set = loadDataSet('fashion-mnist', 2000);
    expect(set.sampleShape).toEqual([1, 28, 28]);
    const X = set.inputs;
    let constant = 0;
    for (let j = 0; j < 784; j++) {
      const row = X.data.subarray(j * 2000, (j + 1) * 2000);
      if (row.every((v) => v === row[0])) constant++;
    }
    expect(constant).toBeGreaterThan(0);
    const r = numericalRank(gramEigenvalues(transpose(X)), 2000).rank;
    expect(r).toBeLessThanOrEqual(784 - constant);
  });
});
if (!fashionMnistAvailable()) console.log('Fashion-MNIST test skipped: apt-get install dataset-fashion-mnist');
