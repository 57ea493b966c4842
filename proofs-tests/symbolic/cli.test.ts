/**
 * derive and prove from the command line: exit codes (prove: 0 proven, 1 refuted, 2 bad input),
 * the catalog proof in derive's output, simplification under assumptions (a bottleneck turns the
 * ranks into polynomials), JSON that parses, and bad input as one line with exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('prove', () => {
  it('exits 0 with the cases of a proof', async () => {
    const r = await run('prove', 'min(a, b) + max(a, b)', 'a + b');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PROVEN: 2 cases');
  });

  it('exits 1 with a counterexample', async () => {
    const r = await run('prove', 'min(a, b)', 'a', '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { verdict: string; point: { a: number; b: number } };
    expect(json.verdict).toBe('refuted');
    expect(json.point.b).toBeLessThan(json.point.a);
  });

  it('--relation decides inequalities; unknown exits 1 with the reason on one stderr line and "unknown" in JSON', async () => {
    const le = await run('prove', 'min(a + b, c)', 'min(a, c) + min(b, c)', '--relation', '<=');
    expect(le.code, le.stderr).toBe(0);
    expect(le.stdout).toContain('PROVEN: 5 cases');
    const ge = await run('prove', 'min(c * k, n)', 'n', '--relation', '>=', '--json');
    expect(ge.code).toBe(1);
    const refuted = JSON.parse(ge.stdout) as { verdict: string; relation: string; point: Record<string, number> };
    expect([refuted.verdict, refuted.relation]).toEqual(['refuted', '>=']);
    expect(Math.min(refuted.point.c! * refuted.point.k!, refuted.point.n!)).toBeLessThan(refuted.point.n!);
    const open = await run('prove', 'a^2 - 3*a*b + 3*b^2', '1', '--relation', '>=');
    expect(open.code).toBe(1);
    expect(open.stdout).toContain('UNKNOWN');
    expect(open.stderr.split('\n')).toHaveLength(1);
    expect(open.stderr).toMatch(/^hessian-rank prove: unknown — /);
    const json = JSON.parse((await run('prove', 'a^2 - 3*a*b + 3*b^2', '1', '--relation', '>=', '--json')).stdout) as { verdict: string; open: unknown[] };
    expect(json.verdict).toBe('unknown');
    expect(json.open).toHaveLength(1);
  });

  it('reads the catalog vocabulary at a depth and proves against a catalog formula', async () => {
    const r = await run('prove', '--depth', '4', 'min(r, M1, M2, M3, K) * (r + K - min(r, M1, M2, M3, K))', '--formula', 'linear-mse-HO');
    expect(r.code, r.stderr).toBe(0);
    const block = await run('prove', '--depth', '3', '--layer', '2', 'min(M2, K) * min(r, M1)', '--formula', 'linear-mse-HO-block');
    expect(block.code, block.stderr).toBe(0);
    const sums = await run('prove', '--depth', '3', '2 * q * sum(M) + 2 * q * s - L * q^2', '--formula', 'linear-mse-HF');
    expect(sums.code, sums.stderr).toBe(0);
  });

  const bad: [string, string[]][] = [
    ['a parse error', ['prove', 'min(a, b', 'a']],
    ['one expression', ['prove', 'a']],
    ['a function outside the allow-list', ['prove', 'evaluate("1")', 'a']],
    ['division by a symbol', ['prove', 'a / b', 'a']],
    ['an unknown relation', ['prove', 'a', 'b', '--relation', '=>']],
    ['an expression beyond the length cap', ['prove', 'a + '.repeat(600) + 'a', 'a']],
    ['an assumption that is not a comparison', ['prove', 'a', 'b', '--assume', 'a + b']],
    ['a formula without depth', ['prove', 'a', '--formula', 'linear-mse-HO']],
    ['an unknown formula', ['prove', '--depth', '2', 'a', '--formula', 'no-such-formula']],
    ['contradictory assumptions', ['prove', 'a', 'b', '--assume', 'a < b', '--assume', 'b < a']],
  ];
  for (const [what, argv] of bad) {
    it(`bad input: ${what} → exit 2, one line`, async () => {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\s+at\s/);
    });
  }
});

describe('derive', () => {
  it('derives rank H_O at depth 3 and proves it equal to the catalog', async () => {
    const r = await run('derive', '--depth', '3', '--quantity', 'HO');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rank H_O = q * (r + K - q),  q = min(r, M1, M2, K)');
    expect(r.stdout).toMatch(/catalog linear-mse-HO: proven by the decision procedure \(\d+ cases\)/);
  });

  it('a bottleneck assumption makes q one symbol and the ranks polynomials', async () => {
    const r = await run('derive', '--depth', '3', '--brief', '--assume', 'M1 <= r', '--assume', 'M1 <= M2 <= K');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('q = M1');
    expect(r.stdout).toContain('-M1^2 + M1 * K + M1 * r   (a polynomial)');
    expect(r.stdout).not.toContain('refuted');
  });

  it('N ≥ d pins r = d', async () => {
    const r = await run('derive', '--depth', '2', '--quantity', 'HO', '--brief', '--assume', 'N >= d', '--assume', 'M1 <= d');
    expect(r.stdout).toContain('q * (d + K - q),  q = min(M1, K)');
  });

  it('--json parses and carries steps, results and catalog proofs', async () => {
    const r = await run('derive', '--depth', '2', '--json');
    const json = JSON.parse(r.stdout) as { derivations: { quantity: string; steps: unknown[]; results: { catalog: { proof: { verdict: string } }[] }[] }[] };
    expect(json.derivations.map((d) => d.quantity)).toEqual(['HO', 'HF', 'H']);
    for (const d of json.derivations) {
      expect(d.steps.length).toBeGreaterThan(2);
      for (const c of d.results[0]!.catalog) expect(c.proof.verdict).toBe('proven');
    }
  });

  it('the family and the asymptotics', async () => {
    const family = await run('derive', '--uniform', '--quantity', 'HF', '--brief');
    expect(family.code).toBe(0);
    expect(family.stdout).toContain('proven equal at depths 2, 3, 4, 5, 6');
    const width = await run('derive', '--asymptotic', 'width');
    expect(width.stdout).toContain('rank H ≈ 2 * s * (L - 1) / sqrt(L - 2) * sqrt(p)   (the √p law)');
    const depth = await run('derive', '--asymptotic', 'depth');
    expect(depth.stdout).toContain('(rank linear in p)');
  });

  const bad: [string, string[]][] = [
    ['no depth', ['derive']],
    ['depth 0', ['derive', '--depth', '0']],
    ['a depth beyond the limit', ['derive', '--depth', '40']],
    ['an unknown quantity', ['derive', '--depth', '2', '--quantity', 'HX']],
    ['an unknown symbol in an assumption', ['derive', '--depth', '2', '--assume', 'M5 <= d']],
    ['a malformed assumption', ['derive', '--depth', '2', '--assume', 'M1 <== d']],
    ['an assumption outside the fragment', ['derive', '--depth', '2', '--assume', 'M1 * K <= d']],
    ['an assumption calling code', ['derive', '--depth', '2', '--assume', 'import("fs") <= d']],
    ['contradictory assumptions', ['derive', '--depth', '2', '--assume', 'M1 < K', '--assume', 'K < M1']],
    ['an unknown family', ['derive', '--family', 'pyramid']],
    ['an unknown regime', ['derive', '--asymptotic', 'time']],
    ['H_F with bias', ['derive', '--depth', '3', '--quantity', 'HF', '--bias']],
    ['blocks for cross-entropy', ['derive', '--depth', '3', '--quantity', 'HO_block', '--loss', 'ce']],
  ];
  for (const [what, argv] of bad) {
    it(`bad input: ${what} → exit 2, one line`, async () => {
      const r = await run(...argv);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr.split('\n')).toHaveLength(1);
    });
  }
});

describe('the built binary', () => {
  const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;
  it('prove exits 1 on a refutation and derive exits 0 (npm test builds dist/ first)', () => {
    const refuted = spawnSync(process.execPath, [bin, 'prove', 'min(r, K)', 'r'], { encoding: 'utf8' });
    expect(refuted.status, refuted.stderr).toBe(1);
    const derived = spawnSync(process.execPath, [bin, 'derive', '--depth', '2', '--brief'], { encoding: 'utf8' });
    expect(derived.status, derived.stderr).toBe(0);
  });
});
