/**
 * `hessian-rank kronecker`: every figure printed next to what it is compared against; --json parses;
 * bad input is one line and exit code 2. (Runs the built CLI, bin/hessian-rank; npm test builds dist/.)
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, 'kronecker', ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('hessian-rank kronecker', () => {
  it('linear mse: the exact section holds on every layer and matches the catalog', () => {
    const { code, stdout } = run('--widths', '5,4,3,2', '--samples', '8', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.layers).toHaveLength(3);
    for (const layer of report.layers) {
      expect(layer.exact.claimsHold).toBe(true);
      expect(layer.exact.blockRank).toBe(layer.catalog.HO_block.value);
      // every exact rank states its chance of being understated: ≤ 1e-9, or 0 at its proven bound
      for (const m of ['outputFactor', 'inputFactor', 'block']) {
        const wrong = layer.exact.wrongAtMost[m];
        expect(wrong === 0 ? layer.exact[`${m}Rank`] === layer.exact.upperBounds[m] : wrong > 0 && wrong <= 1e-9).toBe(true);
        for (const P of layer.exact.primes[m]) expect(report.primes).toContain(P);
      }
      expect(layer.exact.comparison.wrongAtMost).toBeLessThanOrEqual(1e-9);
    }
    for (const P of report.primes) expect(P > 2 ** 22 && P < 2 ** 23).toBe(true);
  });

  it('relu ce: text output names each comparison', () => {
    const { code, stdout } = run('--widths', '4,5,3', '--samples', '10', '--act', 'relu', '--loss', 'ce', '--top', '2');
    expect(code).toBe(0);
    for (const label of ['catalog HO_block', 'instance bound', 'err nearest A⊗B', 'baseline k/p_l', 'rank-one energy', 'outliers', 'seed overlap']) {
      expect(stdout).toContain(label);
    }
  });

  it('a CNN: every convolution and the dense layer get a row', () => {
    const { code, stdout } = run('--cnn', 'in=8; conv k=3 c=2; conv k=2 c=2 s=2; K=2', '--samples', '6', '--act', 'tanh', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.layers.map((l: { shape: { out: number; in: number } }) => [l.shape.out, l.shape.in])).toEqual([[2, 3], [2, 4], [2, 6]]);
  });

  const badInputs: [string, string[]][] = [
    ['an unknown part', ['--widths', '3,2', '--part', 'HF']],
    ['a zero top', ['--widths', '3,2', '--top', '0']],
    ['equal seeds', ['--widths', '3,2', '--seed', '4', '--second-seed', '4']],
    ['a too large network', ['--widths', '60,60,10']],
    ['both --widths and --cnn', ['--widths', '3,2', '--cnn', 'in=4; conv k=2 c=1; K=2']],
  ];
  for (const [what, args] of badInputs) {
    it(`bad input, ${what}: one line, exit 2`, () => {
      const { code, stdout, stderr } = run(...args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});
