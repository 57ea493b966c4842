/**
 * table --predict-only: rows from the catalog alone for networks far beyond the dense oracle
 * (784-256-128-10 on N = 60000, p = 234752): each part's predicted rank and rank/p = rank / p, at the
 * generic r; the LaTeX table has as many cells in its group row as in its header; flags that would
 * measure are refused.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;
function run(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('table --predict-only', () => {
  it('gives rank and rank/p of every part for 784-256-128-10 without measuring', () => {
    const out = run('table', '--predict-only', '--widths', '784,256,128,10', '--samples', '60000', '--format', 'json');
    expect(out.code).toBe(0);
    const [row] = JSON.parse(out.stdout).rows ?? JSON.parse(out.stdout);
    expect(row.p).toBe(784 * 256 + 256 * 128 + 128 * 10);
    expect(row.r).toBe(784);
    expect(row.measured).toEqual({ H: null, HO: null, HF: null });
    const predict = JSON.parse(run('predict', '--widths', '784,256,128,10', '--samples', '60000', '--json').stdout);
    expect(row.predicted).toEqual(predict.ranks);
    const text = run('table', '--predict-only', '--widths', '784,256,128,10', '--samples', '60000').stdout;
    expect(text).toContain((predict.ranks.H / row.p).toPrecision(3).replace(/^0\./, '0.'));
  });

  it('writes a LaTeX table whose rows all have the header\'s number of cells', () => {
    const latex = run('table', '--predict-only', '--widths', '784,256,128,10', '--widths', '64,16,10', '--format', 'latex').stdout;
    const rows = latex.split('\n').filter((line) => line.endsWith('\\\\'));
    const cells = rows.map((line) => line.replace(/\\multicolumn\{2\}/g, '& ').split('&').length);
    expect(new Set(cells).size).toBe(1);
  });

  it.each([['--data', 'digits'], ['--exact'], ['--seed', '3']])('refuses %s with one line', (...flag) => {
    const out = run('table', '--predict-only', '--widths', '64,16,10', ...flag);
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });
});
