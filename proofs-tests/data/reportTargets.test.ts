/**
 * --targets FILE.npy on the report commands (table, sweep, plot), through the same data-flag layer as
 * measure. At a zero residual (targets = the network's own outputs f(x_i)) the functional part
 * H_F = Σ_i Σ_k (f_k(x_i) − y_ik) ∇²f_k(x_i) vanishes, so rank H = rank H_O; with targets drawn from
 * the seed it does not (6-4-3, N = 12: rank H = 33 > rank H_O = 18). So a report that ignored the
 * file would fail here. A file of the wrong shape is one line on stderr and exit code 2.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fullyConnected } from '../../src/architecture/fullyConnected.js';
import { main } from '../../src/cli/main.js';
import { encodeNpy } from '../../src/data/npy.js';
import { multiply } from '../../src/numeric/matrix.js';
import { sampleInstance } from '../../src/numeric/networkInstance.js';

/** The CLI's main() in this process (the same dispatch and error handling as bin/hessian-rank). */
async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'hessian-rank-report-targets-'));
function npy(name: string, shape: number[], values: ArrayLike<number>, dtype: '<f8' | '<i8' = '<f8'): string {
  const path = join(dir, name);
  writeFileSync(path, encodeNpy(shape, values, dtype));
  return path;
}

// 6-4-3, linear, mse, N = 12, seed 0: the instance every report measures (given targets leave the
// weights and inputs drawn from the seed unchanged)
const N = 12;
const instance = sampleInstance(fullyConnected({ widths: [6, 4, 3], samples: N }), { seed: 0 });
const outputs = multiply(instance.layers[1]!, multiply(instance.layers[0]!, instance.inputs)); // K × N
const rows: number[] = [];
for (let i = 0; i < N; i++) for (let k = 0; k < 3; k++) rows.push(outputs.data[k * N + i]!);
const zeroResidual = npy('outputs.npy', [N, 3], rows);
const arch = ['--widths', '6,4,3', '--samples', String(N)];

describe('--targets on table, sweep and plot', async () => {
  it('table: targets = f(x_i) give rank H = rank H_O (H_F = 0); drawn targets do not', async () => {
    const given = JSON.parse((await run('table', ...arch, '--targets', zeroResidual, '--json')).stdout).rows[0];
    const drawn = JSON.parse((await run('table', ...arch, '--json')).stdout).rows[0];
    expect(given.targets).toBe(zeroResidual);
    expect(given.measured.H).toBe(given.measured.HO);
    expect(drawn.measured.H).toBeGreaterThan(drawn.measured.HO);
    expect(drawn.targets).toBeUndefined();
  });

  it('table rows on --targets equal measure --targets on the same file', async () => {
    const table = JSON.parse((await run('table', ...arch, '--targets', zeroResidual, '--json')).stdout).rows[0];
    const measured = JSON.parse((await run('measure', ...arch, '--targets', zeroResidual, '--json')).stdout);
    expect(table.measured).toEqual(measured.ranks);
  });

  it('sweep and plot measure on the file too, and their log records it', async () => {
    const log = join(dir, 'sweep.jsonl');
    const sweep = await run('sweep', '--vary', 'samples', '--values', String(N), '--widths', '6,4,3', '--targets', zeroResidual, '--out', log, '--json');
    expect(sweep.code, sweep.stderr).toBe(0);
    const [header, record] = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(header.sweep.targets).toBe(zeroResidual);
    expect(record.measured.H).toBe(record.measured.HO);
    const plot = await run('plot', '--vary', 'samples', '--values', String(N), '--widths', '6,4,3', '--targets', zeroResidual, '--out', join(dir, 'plot'));
    expect(plot.code, plot.stderr).toBe(0);
    const plotted = JSON.parse(readFileSync(join(dir, 'plot.jsonl'), 'utf8').trim().split('\n')[1]!);
    expect(plotted.measured).toEqual(record.measured);
  });

  it('ce: N class indices as targets measure like the same labels given to measure', async () => {
    const labels = npy('labels.npy', [N], Array.from({ length: N }, (_, i) => i % 3), '<i8');
    const flags = [...arch, '--loss', 'ce', '--act', 'tanh', '--targets', labels];
    const table = JSON.parse((await run('table', ...flags, '--json')).stdout).rows[0];
    expect(table.measured).toEqual(JSON.parse((await run('measure', ...flags, '--json')).stdout).ranks);
  });

  const wrongK = npy('wrong-k.npy', [N, 2], new Array(2 * N).fill(0));
  const tooFew = npy('too-few.npy', [4, 3], new Array(12).fill(0));
  const notProbabilities = npy('not-probabilities.npy', [N, 3], new Array(3 * N).fill(1));
  it.each([
    ['an N×K file with the wrong K', ['table', ...arch, '--targets', wrongK], /K = 3, got shape \(12, 2\)/],
    ['fewer rows than samples', ['table', ...arch, '--targets', tooFew], /targets for 4 samples; the network has N = 12/],
    ['a sweep whose largest N exceeds the rows', ['sweep', '--vary', 'samples', '--values', '2,4,8', '--widths', '6,4,3', '--targets', tooFew], /N = 8/],
    ['ce with rows that are not probabilities', ['table', ...arch, '--loss', 'ce', '--targets', notProbabilities], /probability rows.*row 0 sums to 3/],
    ['labels without a labelled data set', ['plot', '--vary', 'samples', '--values', '4', '--widths', '6,4,3', '--targets', 'labels', '--svg', join(dir, 'x.svg')], /needs --data digits or fashion-mnist/],
    ['--targets with --predict-only', ['table', '--predict-only', ...arch, '--targets', zeroResidual], /measures nothing: drop --targets/],
    ['--targets with a paper figure', ['plot', '--figure', 'rank-vs-samples', '--targets', zeroResidual, '--svg', join(dir, 'y.svg')], /drop --targets/],
  ])('%s: one line, exit 2', async (_, args, message) => {
    const out = await run(...(args as string[]));
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(message as RegExp);
  });
});
