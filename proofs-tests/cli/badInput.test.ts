/**
 * Bad input never produces a stack trace: one line on stderr and exit code 2.
 * (Runs the built CLI, bin/hessian-rank; npm test builds dist/ first.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;

export function run(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const badInputs: [string, string[]][] = [
  ['a zero width', ['predict', '--widths', '3,0,2']],
  ['a negative width', ['predict', '--widths', '3,-1,2']],
  ['a non-integer width', ['measure', '--widths', '3,2.5,2']],
  ['a single width', ['predict', '--widths', '3']],
  ['no widths', ['measure']],
  ['an unknown flag', ['measure', '--widths', '3,2', '--frobnicate']],
  ['an unknown command', ['frobnicate']],
  ['an unknown loss', ['predict', '--widths', '3,2', '--loss', 'hinge']],
  ['an unknown activation', ['measure', '--widths', '3,2', '--act', 'gelu']],
  ['a non-integer sample count', ['measure', '--widths', '3,2', '--samples', '1e3']],
  ['exact ranks of a tanh network (not integral)', ['measure', '--widths', '3,2,2', '--act', 'tanh', '--exact']],
  ['exact ranks with cross-entropy (not integral)', ['measure', '--widths', '3,2,2', '--loss', 'ce', '--exact']],
  ['a reversed seed range', ['measure', '--widths', '3,2,2', '--seeds', '5:3']],
  ['a malformed seed range', ['measure', '--widths', '3,2,2', '--seeds', '5-9']],
  ['too many seeds', ['measure', '--widths', '3,2,2', '--seeds', '0:20000']],
  ['both --seed and --seeds', ['measure', '--widths', '3,2,2', '--seed', '1', '--seeds', '0:3']],
  ['a malformed conjecture', ['verify', '--conjecture', 'q*(r+K', '--quantity', 'HO']],
  ['a conjecture with an unknown symbol', ['verify', '--conjecture', 'x + 1', '--quantity', 'HO']],
  ['a conjecture calling code', ['verify', '--conjecture', 'evaluate("1")', '--quantity', 'HO']],
  ['a conjecture assigning', ['verify', '--conjecture', 'q = 3', '--quantity', 'HO']],
  ['a conjecture without quantity', ['verify', '--conjecture', 'q']],
  ['an unknown formula id', ['verify', '--formula', 'no-such-formula']],
  ['a network too large to measure', ['measure', '--widths', '400,400,400,10']],
  ['a missing batch file', ['measure', '--batch', '/nonexistent/file.jsonl']],
  ['cross-entropy with one output', ['predict', '--widths', '3,2,1', '--loss', 'ce']],
  ['a data rank above min(N, d)', ['predict', '--widths', '3,2', '--data-rank', '99']],
  ['a width beyond 2^53', ['predict', '--widths', '99999999999999999999,2']],
  ['a CNN input beyond 2^53', ['predict', '--cnn', 'in=99999999999999999999; conv k=3 c=2; K=2']],
  ['a CNN input beyond 2^24 values', ['predict', '--cnn', 'in=5000x5000; conv k=3 c=2; K=2']],
  ['a CNN data rank above what its inputs allow', ['predict', '--cnn', 'in=8; conv k=3 c=2; K=2', '--data-rank', '99']],
];

describe('bad input: one clear line, exit code 2', () => {
  for (const [what, args] of badInputs) {
    it(what, () => {
      const { code, stderr } = run(...args);
      expect(code, `hessian-rank ${args.join(' ')}`).toBe(2);
      const lines = stderr.trim().split('\n');
      expect(lines, stderr).toHaveLength(1);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stderr).toMatch(/^hessian-rank/);
    });
  }

  // parseArgs reads "-1" after a flag as another flag ("argument is ambiguous"): the flag's own check must answer
  for (const [args, message] of [
    [['verify', '--formula', 'linear-mse-HO', '--runs', '-1'], '--runs must be an integer ≥ 1, got "-1"'],
    [['measure', '--widths', '3,2', '--samples', '-3'], '--samples must be an integer ≥ 1, got "-3"'],
    [['predict', '--widths', '3,2', '--data-rank', '-1'], '--data-rank must be an integer ≥ 0, got "-1"'],
    [['measure', '--widths', '3,2', '--seed', '99999999999999999999'], '--seed must be an integer of at most 15 digits'],
    // the depth cap once answered with the widths list it built ("widths lists 202 sizes")
    [['sweep', '--vary', 'depth', '--values', '1:300', '--widths', '3,3,3'], 'a depth sweep goes up to L = 200 weight layers'],
  ] as const) {
    it(`a negative or huge number names the flag's rule: ${args.join(' ')}`, () => {
      const { code, stderr } = run(...args);
      expect(code).toBe(2);
      expect(stderr).toContain(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('a too-large request is refused with an estimate of memory and time', () => {
    const { stderr } = run('measure', '--widths', '400,400,400,10');
    expect(stderr).toMatch(/GiB/);
    expect(stderr).toMatch(/--force/);
  });

  it('a matrix beyond WebAssembly memory (4 GiB) is refused even with --force, before any work', () => {
    // relu 200-110-10: p = 23,100, one dense p × p matrix alone is 4.0 GiB
    const { code, stderr } = run('measure', '--widths', '200,110,10', '--act', 'relu', '--samples', '1', '--force');
    expect(code).toBe(2);
    expect(stderr).toMatch(/WebAssembly's 4\.0 GiB: not run, even with --force/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('JSON output keys', () => {
  it('predict --json has p, r, ranks.H, ranks.HO, ranks.HF and formula ids', () => {
    const { code, stdout } = run('predict', '--widths', '25,5,10,10', '--samples', '50', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out.ranks).sort()).toEqual(['H', 'HF', 'HO']);
    expect(out.p).toBe(25 * 5 + 5 * 10 + 10 * 10);
    expect(out.formulas.HO.id).toBe('linear-mse-HO');
  });

  it('measure --batch writes one JSON result per input line, in order, and flags bad lines', () => {
    const input = ['{"widths":[4,3,2],"samples":5,"seed":1}', 'not json', '{"widths":[3,2],"samples":2,"exact":true}'].join('\n');
    const result = spawnSync(process.execPath, [bin, 'measure', '--batch', '-'], { input, encoding: 'utf8' });
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0].architecture.widths).toEqual([4, 3, 2]);
    expect(lines[1]).toEqual({ line: 2, error: 'not valid JSON' });
    expect(lines[2].method).toBe('exact');
    expect(result.status).toBe(2);
  });
});

describe('verify exit codes', () => {
  it('exit 0 when a catalog formula holds', () => {
    expect(run('verify', '--formula', 'linear-mse-HO', '--runs', '10').code).toBe(0);
  });
  it('exit 1 with a shrunk counterexample when a conjecture is false', () => {
    const { code, stdout } = run('verify', '--conjecture', 'q*(r+K)', '--quantity', 'HO', '--runs', '20');
    expect(code).toBe(1);
    expect(stdout).toMatch(/REFUTED/);
    expect(stdout).toMatch(/reproduce: hessian-rank measure --widths/);
  });

  it('measure --seeds A:B gives the exact ReLU rank distribution of each part, as text and JSON', () => {
    const text = run('measure', '--widths', '2,10,1', '--samples', '20', '--act', 'relu', '--exact', '--seeds', '0:4');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/ranks over seeds 0\.\.4 \(5 instances/);
    expect(text.stdout).toMatch(/rank at one integer instance, its activation pattern fixed/);
    const json = run('measure', '--widths', '2,10,1', '--samples', '20', '--act', 'relu', '--exact', '--seeds', '0:4', '--json');
    const parsed = JSON.parse(json.stdout) as { seeds: number[]; distributions: Record<string, { count: number; min: number; max: number; histogram: Record<string, number> }> };
    expect(parsed.seeds).toEqual([0, 4]);
    for (const q of ['H', 'HO', 'HF']) {
      const d = parsed.distributions[q]!;
      expect(d.count).toBe(5);
      expect(Object.values(d.histogram).reduce((a, b) => a + b, 0)).toBe(5);
      expect(d.min).toBeLessThanOrEqual(d.max);
    }
    // each instance's rank is what measure --seed S --exact reports
    const single = JSON.parse(run('measure', '--widths', '2,10,1', '--samples', '20', '--act', 'relu', '--exact', '--seed', '3', '--json').stdout) as { ranks: Record<string, number> };
    expect(parsed.distributions.HO!.histogram[String(single.ranks.HO)]).toBeGreaterThanOrEqual(1);
  });
});

describe('an output file that exists is replaced only when asked (--overwrite)', () => {
  const cases: [string, (file: string) => string[], string][] = [
    ['table --out', (f) => ['table', '--widths', '3,2', '--out', f], ''],
    ['catalog --out', (f) => ['catalog', '--out', f], ''],
    ['sweep --out (another sweep\'s log)', (f) => ['sweep', '--vary', 'samples', '--values', '2,3', '--widths', '3,2', '--out', f], ''],
    ['plot --svg', (f) => ['plot', '--vary', 'samples', '--values', '2', '--widths', '3,2', '--svg', f], ''],
    ['train --out PREFIX (PREFIX.onnx)', (f) => ['train', '--widths', '3,2', '--steps', '2', '--out', f.replace(/\.onnx$/, '')], '.onnx'],
  ];
  for (const [what, args, ext] of cases) {
    it(`${what}: refused with one line, the file kept; replaced with --overwrite`, () => {
      const file = join(mkdtempSync(join(tmpdir(), 'overwrite-')), `existing${ext || '.txt'}`);
      writeFileSync(file, 'keep me\n');
      const refused = run(...args(file));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/exists; give --overwrite to replace it/);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(readFileSync(file, 'utf8')).toBe('keep me\n');
      const replaced = run(...args(file), '--overwrite');
      expect(replaced.code, replaced.stderr).toBe(0);
      expect(readFileSync(file, 'utf8')).not.toBe('keep me\n');
    });
  }

  it('sweep --resume continues its own log without --overwrite', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'overwrite-')), 'n.jsonl');
    expect(run('sweep', '--vary', 'samples', '--values', '2,3', '--widths', '3,2', '--out', log).code).toBe(0);
    expect(run('sweep', '--vary', 'samples', '--values', '2,3,4', '--widths', '3,2', '--out', log, '--resume').code).toBe(0);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(4);
  });
});

describe('float64 overflow from finite but huge data is bad input, not an internal error', () => {
  /** A little-endian float64 .npy file of the given shape, every entry `value`. */
  function npy(shape: number[], value: number): string {
    let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
    header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
    const count = shape.reduce((a, b) => a * b, 1);
    const body = Buffer.alloc(8 * count);
    for (let i = 0; i < count; i++) body.writeDoubleLE(value, 8 * i);
    const head = Buffer.alloc(10);
    Buffer.from('\x93NUMPY', 'latin1').copy(head);
    head[6] = 1;
    head.writeUInt16LE(header.length, 8);
    const file = join(mkdtempSync(join(tmpdir(), 'overflow-')), 'x.npy');
    writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), body]));
    return file;
  }
  // measure --widths 3,2 --data (entries 1e308) exited 3: "symmetricEigenvalues: the matrix has a non-finite entry"
  for (const args of [['measure', '--widths', '3,2'], ['measure', '--widths', '3,2,2', '--act', 'relu'], ['measure', '--cnn', 'in=6; conv k=3 c=2; K=2']]) {
    it(`${args.join(' ')} --data (entries 1e200)`, () => {
      const shape = args.includes('--cnn') ? [10, 1, 6] : [4, 3];
      const { code, stderr } = run(...args, '--data', npy(shape, 1e200));
      expect(code, stderr).toBe(2);
      expect(stderr).toMatch(/float64 overflowed/);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});
