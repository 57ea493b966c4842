/**
 * The --cnn syntax on the command line (the CLI's main in-process; one run of the built bin/hessian-rank): bad CNNs give one clear line and
 * exit 2; predict, measure and compare --json carry the fully-connected keys (p, r, ranks.H/HO/HF);
 * verify reports the tightness of the CNN bounds; cnn-sweep shows p quadratic and the rank linear.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;

/** The CLI in-process (same dispatch and error handling as bin/hessian-rank), output captured. */
async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (line) => out.push(line), err: (line) => err.push(line), isTTY: false });
  return { code, stdout: out.join('\n') + '\n', stderr: err.join('\n') + '\n' };
}

const badCnns: [string, string, RegExp][] = [
  ['a kernel larger than its input', 'in=4; conv k=5 c=2; K=2', /kernel 5 is larger than its input 4/],
  ['a kernel larger than its padded input, second layer', 'in=3; conv k=2 c=2 pad=1; conv k=9 c=2; K=2', /conv layer 2: kernel 9 is larger/],
  ['zero channels', 'in=8; conv k=3 c=0; K=2', /channels must be an integer ≥ 1/],
  ['zero input channels', 'in=8 ch=0; conv k=3 c=2; K=2', /input channels must be an integer ≥ 1/],
  ['a stride that leaves no output (0)', 'in=8; conv k=3 c=2 s=0; K=2', /stride must be an integer ≥ 1/],
  ['padding as large as the kernel', 'in=8; conv k=3 c=2 pad=3; K=2', /padding 3 must be smaller than the kernel 3/],
  ['no outputs', 'in=8; conv k=3 c=2', /needs an input, at least one conv layer and K/],
  ['zero outputs', 'in=8; conv k=3 c=2; K=0', /outputs K must be an integer ≥ 1/],
  ['a 3D kernel on a 2D input', 'in=8x8; conv k=3x3x3 c=2; K=2', /must be a size like 3 or 3x2/],
  ['a 2D kernel on a 1D input', 'in=8; conv k=3x3 c=2; K=2', /has 2 sizes for a 1D input/],
  ['an unknown key', 'in=8; conv k=3 c=2 dilation=2; K=2', /unknown key "dilation"/],
  ['a layer without conv', 'in=8; k=3 c=2; K=2', /must start with conv/],
];

describe('bad --cnn input: one clear line, exit code 2', () => {
  for (const [what, cnn, message] of badCnns) {
    it(what, async () => {
      const { code, stderr } = await run('predict', '--cnn', cnn);
      expect(code, `predict --cnn "${cnn}"`).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
    });
  }
  it('--widths and --cnn together', async () => {
    const { code, stderr } = await run('measure', '--cnn', 'in=8; conv k=3 c=2; K=2', '--widths', '3,2');
    expect(code).toBe(2);
    expect(stderr).toMatch(/either --widths .* or --cnn/);
  });
  it('exact ranks of a tanh CNN (not integral)', async () => {
    const { code, stderr } = await run('measure', '--cnn', 'in=8; conv k=3 c=2; K=2', '--act', 'tanh', '--exact');
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/--exact needs mse loss and a linear or relu network .*tanh with mse is not/);
  });
  it('a CNN too large for the dense oracle', async () => {
    const { code, stderr } = await run('measure', '--cnn', 'in=32x32 ch=3; conv k=3 c=64 pad=1; conv k=3 c=64 pad=1; K=10');
    expect(code).toBe(2);
    expect(stderr).toMatch(/GiB.*--force/);
  });
});

describe('JSON keys as for fully-connected networks', () => {
  const cnn = 'in=8; conv k=3 c=2; conv k=2 c=2 s=2; K=2';
  it('predict --cnn --json', async () => {
    const { code, stdout } = await run('predict', '--cnn', cnn, '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json.ranks).sort()).toEqual(['H', 'HF', 'HO']);
    expect(json).toHaveProperty('p');
    expect(json).toHaveProperty('r');
    expect(json.architecture.cnn).toBe(cnn);
  });
  it('measure --cnn --exact --json, and compare: the measured ranks respect the predicted bounds', async () => {
    const measured = JSON.parse((await run('measure', '--cnn', cnn, '--exact', '--json')).stdout);
    expect(Object.keys(measured.ranks).sort()).toEqual(['H', 'HF', 'HO']);
    expect(measured.method).toBe('exact');
    const compared = JSON.parse((await run('compare', '--cnn', cnn, '--exact', '--json')).stdout);
    for (const q of ['H', 'HO', 'HF']) expect(compared.measured.ranks[q]).toBeLessThanOrEqual(compared.predicted.ranks[q]);
    expect(compared.measured.ranks).toEqual(measured.ranks);
  });
  it('bin/hessian-rank measure --batch accepts a "cnn" line', async () => {
    const result = spawnSync(process.execPath, [bin, 'measure', '--batch', '-'], { encoding: 'utf8', input: JSON.stringify({ cnn, exact: true }) + '\n' });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).architecture.cnn).toBe(cnn);
  });
});

describe('verify and the channel sweep', () => {
  it('verify --formula cnn-one-conv-HF (an upper bound) holds; verify of a bound reports its tightness', async () => {
    expect((await run('verify', '--formula', 'cnn-one-conv-HF', '--runs', '15')).stdout).toMatch(/^holds: cnn-one-conv-HF \(upper-bound, HF\) on all 15 CNNs/);
    expect((await run('verify', '--formula', 'cnn-HO', '--runs', '15')).stdout).toMatch(/tight \(bound = measured rank\) on \d+ of them \(\d+%/);
  });
  it('a false CNN conjecture is refuted with a reproducing command', async () => {
    const { code, stdout } = await run('verify', '--family', 'convolutional', '--conjecture', 'K * r', '--quantity', 'HO', '--runs', '30');
    expect(code).toBe(1);
    expect(stdout).toMatch(/REFUTED/);
    expect(stdout).toMatch(/reproduce: hessian-rank measure --cnn "/);
  });
  it('sweep --vary channels: p has constant second differences, the measured rank(H) constant first differences for large C (the √p law)', async () => {
    const { code, stdout } = await run('sweep', '--vary', 'channels', '--values', '4:7', '--cnn', 'in=16; conv k=3 c=1; conv k=3 c=1; K=4', '--format', 'json');
    expect(code).toBe(0);
    const points = (JSON.parse(stdout) as { rows: { p: number; measured: { H: number } }[] }).rows;
    const diff = (v: number[]) => v.slice(1).map((x, i) => x - v[i]!);
    expect(new Set(diff(diff(points.map((pt) => pt.p)))).size).toBe(1);
    expect(new Set(diff(points.map((pt) => pt.measured.H))).size).toBe(1);
    const text = await run('sweep', '--vary', 'channels', '--values', '4:7', '--cnn', 'in=16; conv k=3 c=1; conv k=3 c=1; K=4');
    expect(text.stdout).toContain('growth along c (step 1): p second differences 6 (constant)');
    expect(text.stdout).toContain('measured rank(H) first differences 16 (constant)');
  });
  it('the retired cnn-sweep is refused with the sweep that replaces it', async () => {
    const { code, stdout, stderr } = await run('cnn-sweep', '--channels', '1-8');
    expect(code).toBe(2);
    expect(stdout.trim()).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('sweep --vary channels');
  });
});
