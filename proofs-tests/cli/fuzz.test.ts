/**
 * The CLI's contract under hostile input (fast-check, in-process through main, plus a few real runs
 * of bin/hessian-rank): whatever the arguments or batch lines,
 *   - the exit code is 0, 1 or 2 — never 3 (an internal error);
 *   - exit 2 comes with exactly one line on stderr, and no output anywhere shows a stack trace;
 *   - every run ends within a time bound (no hang; caps refuse what would not end);
 *   - a batch answers every non-empty line, in order, with a result or {"line": n, "error": "…"};
 *   - nothing that is not a regular file is written over (/dev/full, a directory, a symbolic link).
 * A failure prints the shrunk arguments.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { commands } from '../../src/cli/commands/index.js';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hessian-rank-fuzz-'));
const batchFile = join(dir, 'batch.jsonl');
symlinkSync(join(dir, 'elsewhere'), join(dir, 'link'));

/** Seconds a single hostile run may take (generous: the machine is shared). */
const timeBound = 30;

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const started = performance.now();
  const code = await main(args, { out: (line) => out.push(line), err: (line) => err.push(line), isTTY: false });
  return { code, stdout: out.join('\n'), stderr: err.join('\n'), seconds: (performance.now() - started) / 1000 };
}

const stackTrace = /\n\s+at .+\(.*:\d+:\d+\)|^\s+at /m;

function expectContract(args: string[], r: Awaited<ReturnType<typeof run>>): void {
  const shown = JSON.stringify(args).slice(0, 300);
  expect([0, 1, 2], `${shown}: exit ${r.code}, stderr ${r.stderr.slice(0, 300)}`).toContain(r.code);
  if (r.code === 2) expect(r.stderr.split('\n').filter((l) => l !== ''), `${shown}: stderr`).toHaveLength(1);
  expect(stackTrace.test(r.stderr) || stackTrace.test(r.stdout), `${shown}: a stack trace`).toBe(false);
  expect(r.seconds, `${shown}: took ${r.seconds.toFixed(1)} s`).toBeLessThan(timeBound);
}

const long = (entry: string, n: number) => Array.from({ length: n }, () => entry).join(',');

// hostile values: empty, negative, fractional, huge, wrong type, long lists, deep nesting, operators
const numbers = ['0', '-1', '1.5', '1e3', 'abc', '', ' ', '2', '3', '99999999999999999999', 'Infinity', 'NaN', '0x10', '100000000'];
const widthTexts = ['3,2', '3,2,2', '1,1', '4-3-2', '3', '3,0,2', '3,-1,2', 'a,b', ',', '3,,2', long('1', 300), long('2', 30), '1,1,1,1,1,1,1,1,1,1,1,1', '999999,999999'];
const cnnTexts = [
  'in=6; conv k=2 c=1; K=1',
  'in=4x4; conv k=2 c=2 s=2; K=2',
  'in=8x8; conv k=2 c=2 s=3; K=2',
  'in=4; conv k=5 c=1; K=1',
  'in=4; conv k=2 c=0; K=1',
  'in=; conv; K=',
  'in=4 ch=2; conv k=2 c=1 pad=9; K=1',
  ['in=8', ...Array.from({ length: 300 }, () => 'conv k=1 c=1'), 'K=1'].join('; '),
  'in=99999999x99999999; conv k=1 c=1; K=1',
  'garbage',
];
const expressions = ['q', 'q*(r+K-q)', 'q!', 'q % 2', 'q & 1', 'q ? 1 : 2', 'evaluate("1")', 'x+1', '((((q', '(' .repeat(200) + 'q' + ')'.repeat(200), long('q', 5000).replace(/,/g, '+'), '1/0', '"s"', 'min(M)', 'q = 1'];
const paths = ['/dev/full', '/dev/null', dir, join(dir, 'link'), join(dir, 'out.txt'), join(dir, 'sub', 'out'), '/nonexistent/dir/file'];

const valuesOf: Record<string, string[]> = {
  widths: widthTexts,
  cnn: cnnTexts,
  conjecture: expressions,
  quantity: ['H', 'HO', 'HF', 'XX', ''],
  kind: ['exact', 'upper-bound', 'lower-bound', 'estimate', 'maybe'],
  loss: ['mse', 'ce', 'hinge', ''],
  act: ['linear', 'relu', 'tanh', 'gelu'],
  family: ['fully', 'foo', ''],
  formula: ['no-such-formula', 'linear-mse-HO', 'cnn-one-conv-HF', ''],
  vary: ['samples', 'width', 'depth', 'channels', 'nope'],
  values: ['2', '2,3', '1:500:100', '0', '3,3', '1:100000', 'a', '2:1'],
  format: ['text', 'json', 'csv', 'latex', 'markdown', 'pdf'],
  data: ['gaussian', 'digits', 'mnist'],
  figure: ['nope', ''],
  part: ['H', 'HO', 'HF'],
  against: ['p', 'q'],
  dims: ['1', '2', '3'],
  channels: ['1-3', '3-1', '1-100000', 'x'],
  out: paths,
  table: paths,
  svg: paths,
  tex: paths,
  log: paths,
  png: paths,
  batch: [batchFile, '/nonexistent/file', dir],
  from: [batchFile, '/nonexistent/file', dir],
};
const booleans = ['exact', 'bias', 'json', 'force', 'resume', 'standalone', 'parameters', 'full-rank-data', 'list', 'brief', 'latex'];
const numeric = ['samples', 'seed', 'runs', 'data-rank', 'depth', 'width', 'convolutions', 'top', 'window', 'second-seed', 'measure-up-to'];

/** A flag and its value: hostile values for `name`, from the pools above. */
function flagWithValue(name: string): fc.Arbitrary<string[]> {
  if (booleans.includes(name) || name === 'help') return fc.constant([`--${name}`]);
  const pool = valuesOf[name] ?? [...numbers, '1-3', '1-100000'];
  return fc.constantFrom(...pool).map((v) => [`--${name}`, v]);
}

/** Each command's usage text (the command modules load on demand). */
const usages = new Map(await Promise.all(commands.map(async (c) => [c.name, (await c.load()).usage] as const)));

/** The flags a command documents in its usage (most draws reach its own option table), and some it does not. */
function flagsOf(command: string): fc.Arbitrary<string[]> {
  const usage = usages.get(command) ?? '';
  const names = [...new Set([...usage.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]!))].filter((n) => n !== 'help' && n !== 'all');
  const own = names.length > 0 ? fc.constantFrom(...names).chain(flagWithValue) : fc.constant([] as string[]);
  return fc.oneof(
    { weight: 8, arbitrary: own },
    { weight: 1, arbitrary: fc.constantFrom(...Object.keys(valuesOf)).chain(flagWithValue) },
    { weight: 1, arbitrary: fc.constantFrom(['--frobnicate'], ['--widths'], ['-x'], ['--'], ['positional'], ['--help']) },
  );
}

// every command (verify always gets few runs: what is hostile is the input, not the number of draws;
// verify --all, every family's claims, is left to proofs-tests/cli/badInput.test.ts)
const argv: fc.Arbitrary<string[]> = fc
  .constantFrom(...commands.map((c) => c.name), 'nope', '-v')
  .chain((command) => fc.array(flagsOf(command), { maxLength: 5 }).map((flags) => [command, ...flags.flat()]))
  .map((args) => (args[0] === 'verify' ? [...args.filter((a, i) => a !== '--runs' && args[i - 1] !== '--runs'), '--runs', '2'] : args));

describe('hostile arguments: exit 0/1/2, one line on error, no stack trace, no hang', () => {
  writeFileSync(batchFile, ['{"widths":[3,2]}', 'null', '{"cnn":5}', '[1,2]', '{"widths":"3,2"}', 'not json'].join('\n') + '\n');
  it('in-process, 200 random command lines', async () => {
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        expectContract(args, await run(args));
      }),
      { numRuns: 200, seed: 11 },
    );
    // nothing that is not a regular file was replaced by any of those runs
    expect(lstatSync(join(dir, 'link')).isSymbolicLink(), 'the symbolic link is still one').toBe(true);
    expect(lstatSync(dir).isDirectory()).toBe(true);
    expect(lstatSync('/dev/full').isCharacterDevice()).toBe(true);
  }, 600_000);
});

const hostileLine = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 30 }),
  fc.record(
    {
      widths: fc.oneof(fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 5 }), fc.jsonValue()),
      cnn: fc.oneof(fc.constantFrom(...cnnTexts), fc.jsonValue()),
      samples: fc.oneof(fc.integer({ min: -1, max: 8 }), fc.jsonValue()),
      seed: fc.oneof(fc.integer(), fc.jsonValue()),
      exact: fc.oneof(fc.boolean(), fc.jsonValue()),
      loss: fc.constantFrom('mse', 'ce', 'foo', 5),
      act: fc.constantFrom('linear', 'relu', 'tanh', null),
      extra: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ).map((o) => JSON.stringify(o)),
);

describe('hostile batch lines: every line answered, in order, and the batch goes on', () => {
  it('measure --batch with random lines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileLine, { minLength: 1, maxLength: 6 }), async (lines) => {
        const text = lines.map((l) => l.replace(/\n/g, ' ')).join('\n') + '\n';
        writeFileSync(batchFile, text);
        const args = ['measure', '--batch', batchFile];
        const r = await run(args);
        expectContract(args, r);
        expect([0, 2]).toContain(r.code);
        const answered = r.stdout.split('\n').filter((l) => l !== '');
        const asked = text.split('\n').map((l, i) => [l, i + 1] as const).filter(([l]) => l.trim() !== '');
        expect(answered, text).toHaveLength(asked.length);
        answered.forEach((line, i) => {
          const o = JSON.parse(line) as { line?: number; error?: string; ranks?: unknown };
          if (o.error !== undefined) expect(o.line).toBe(asked[i]![1]);
          else expect(o.ranks).toBeDefined();
        });
      }),
      { numRuns: 60, seed: 12 },
    );
  }, 600_000);
});

describe('the built CLI', () => {
  const spawn = (args: string[], input?: string) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', input, timeout: timeBound * 1000 });
  it('no command: the usage on stderr, exit 2; --version: exit 0', () => {
    const none = spawn([]);
    expect(none.status).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/usage: hessian-rank <command>/);
    const v = spawn(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^hessian-rank \d+\.\d+\.\d+/);
  });
  it('a batch on stdin with null and {"cnn":5} lines goes on to the end', () => {
    const r = spawn(['measure', '--batch', '-'], ['null', '{"cnn":5}', '{"widths":[3,2],"seed":"x"}', '{"widths":[3,2]}'].join('\n') + '\n');
    expect(r.status).toBe(2);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { line?: number; ranks?: unknown });
    expect(lines.map((l) => l.line ?? 'ok')).toEqual([1, 2, 3, 'ok']);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('--out /dev/full, a directory or a symbolic link: refused, nothing replaced', () => {
    const own = mkdtempSync(join(tmpdir(), 'hessian-rank-targets-'));
    symlinkSync(join(own, 'elsewhere'), join(own, 'link'));
    for (const target of ['/dev/full', own, join(own, 'link')]) {
      const before = lstatSync(target);
      const r = spawn(['table', '--widths', '3,2', '--out', target]);
      expect(r.status, `table --out ${target}: ${r.stderr}${r.error ? String(r.error) : ''}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      const after = lstatSync(target);
      expect([after.mode, after.ino]).toEqual([before.mode, before.ino]);
    }
  });
});
