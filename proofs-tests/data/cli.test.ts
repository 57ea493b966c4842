/**
 * --data, --targets and --subset on the CLI: on real data the closed forms, evaluated at the measured
 * data rank r < d, equal the exact ranks; misuse is one line on stderr and exit code 2.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/data/npy.js';
import { loadDataSet } from '../../src/data/dataSet.js';
import { spawnSync } from 'node:child_process';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;
function run(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'hessian-rank-cli-data-'));
const file = (name: string, bytes: Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

describe('--data on measure and compare', () => {
  it('digits, linear mse: the exact ranks equal the closed forms at the measured r < d', () => {
    const out = run('compare', '--widths', '64,4,10', '--data', 'digits', '--subset', '60', '--exact', '--json');
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.data).toBe('digits');
    expect(result.measured.r).toBeLessThan(60);
    for (const q of ['H', 'HO', 'HF']) expect(result.measured.ranks[q]).toBe(result.predicted.ranks[q]);
  });

  it('a .npy data file and class-index targets measure the same as the same numbers given as digits and labels', () => {
    const N = 30;
    const set = loadDataSet('digits', N);
    const rows: number[] = [];
    for (let i = 0; i < N; i++) for (let j = 0; j < 64; j++) rows.push(set.inputs.data[j * N + i]!);
    const data = file('digits30.npy', encodeNpy([N, 1, 8, 8], rows));
    const labels = file('labels30.npy', encodeNpy([N], Array.from(set.labels!), '<i8'));
    const flags = ['--widths', '64,3,10', '--loss', 'ce', '--act', 'tanh', '--json'];
    const named = JSON.parse(run('measure', ...flags, '--data', 'digits', '--subset', String(N), '--targets', 'labels').stdout);
    const fromFiles = JSON.parse(run('measure', ...flags, '--data', data, '--targets', labels).stdout);
    expect(fromFiles.architecture.samples).toBe(N);
    expect(fromFiles.r).toBe(named.r);
    expect(fromFiles.ranks).toEqual(named.ranks);
  });

  it.each([
    ['an unknown data set', ['measure', '--widths', '64,10', '--data', 'mnist']],
    ['--subset without --data', ['measure', '--widths', '64,10', '--subset', '10']],
    ['--samples and --subset disagreeing', ['measure', '--widths', '64,10', '--data', 'digits', '--samples', '10', '--subset', '20']],
    ['data of the wrong dimension', ['measure', '--widths', '60,10', '--data', 'digits']],
    ['more samples than the set holds', ['measure', '--widths', '64,10', '--data', 'digits', '--subset', '5000']],
    ['labels without a labelled set', ['measure', '--widths', '2,2', '--targets', 'labels']],
    ['a missing .npy file', ['measure', '--widths', '2,2', '--data', '/nonexistent/x.npy']],
    ['a big-endian .npy file', ['measure', '--widths', '2,2', '--data', 'BIGENDIAN']],
    ['class indices beyond K', ['measure', '--widths', '64,2', '--data', 'digits', '--subset', '20', '--targets', 'labels', '--loss', 'ce']],
  ])('%s: one line, exit 2', (_, args) => {
    const big = encodeNpy([2, 2], [1, 2, 3, 4]);
    big[new TextDecoder('latin1').decode(big).indexOf('<f8') - 0] = '>'.charCodeAt(0);
    const argv = args.map((a) => (a === 'BIGENDIAN' ? file('big.npy', big) : a));
    const out = run(...argv);
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).not.toMatch(/at .*\.js/);
  });
});
