/**
 * The report commands through the CLI's main() (in process), and through the built CLI
 * (bin/hessian-rank; npm test builds dist/ first) where a real process is needed (signals).
 *   - an interrupted plot leaves a complete log, SVG and .tex of the points it finished, and
 *     --resume continues from them without measuring them again;
 *   - table --format json and catalog --json are machine-readable and hold the right things;
 *   - sweep --out logs one line per point; plot --from redraws a log without measuring;
 *   - bad input: one line on stderr, exit code 2.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { main } from '../../src/cli/main.js';
import { readSweepLog } from '../../src/report/sweepLog.js';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;

/** The CLI in a child process (for signals). */
function spawnRun(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI's main() in this process: the same dispatch and error handling, without Node's start-up. */
async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an interrupted plot keeps what it finished', () => {
  it('SIGINT during the second point: the log holds the first, SVG and .tex show it; --resume reuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-interrupt-'));
    const prefix = join(dir, 'width');
    // M = 2 takes milliseconds, M = 40 (p = 2080) many seconds: the kill lands inside the second point
    const sweep = ['--vary', 'width', '--widths', '6,2,2,6', '--samples', '12', '--seed', '7', '--out', prefix];
    const child = spawn(process.execPath, [bin, 'plot', ...sweep, '--values', '2,40'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    try {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (existsSync(`${prefix}.jsonl`) && readFileSync(`${prefix}.jsonl`, 'utf8').trim().split('\n').length >= 2) break;
        await sleep(50);
      }
      child.kill('SIGINT');
      expect(await exited, 'the plot was interrupted, not finished').toBe('SIGINT');
    } finally {
      child.kill('SIGKILL');
    }
    const log = readSweepLog(`${prefix}.jsonl`);
    expect(log.records.map((r) => r.x)).toEqual([2]);
    expect(log.skipped).toBe(0);
    const svg = readFileSync(`${prefix}.svg`, 'utf8');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/data-series="H-measured" data-x="2"/g)).toHaveLength(1);
    expect(svg).not.toMatch(/data-x="40"/);
    const tex = readFileSync(`${prefix}.tex`, 'utf8');
    expect(tex.trimEnd().endsWith('\\end{tikzpicture}')).toBe(true);
    expect(tex).toContain(`(2,${log.records[0]!.measured.H})`);

    const resumed = spawnRun('plot', ...sweep, '--values', '2,3', '--resume');
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = readSweepLog(`${prefix}.jsonl`);
    expect(after.records.map((r) => r.x)).toEqual([2, 3]);
    // the first point is the one measured before the interruption, not a new measurement
    expect(after.records[0]).toEqual(log.records[0]);
    expect(readFileSync(`${prefix}.svg`, 'utf8')).toMatch(/data-x="3"/);
  });

  it('--resume refuses a log of a different sweep', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-resume-'));
    const prefix = join(dir, 'a');
    expect((await run('plot', '--vary', 'width', '--values', '2', '--widths', '3,2,2', '--out', prefix)).code).toBe(0);
    const other = await run('plot', '--vary', 'width', '--values', '2', '--widths', '4,2,2', '--out', prefix, '--resume');
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/different sweep/);
  });

  it('--resume refuses a record that does not belong to the sweep (another seed), and keeps the log as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-forged-'));
    const log = join(dir, 'n.jsonl');
    const sweep = ['--vary', 'samples', '--values', '2,3', '--widths', '3,2,2', '--seed', '4', '--out', log];
    expect((await run('sweep', ...sweep)).code).toBe(0);
    const [header, first, second] = readFileSync(log, 'utf8').trim().split('\n');
    const forged = JSON.stringify({ ...JSON.parse(first!), seed: 5 });
    writeFileSync(log, [header, forged, second].join('\n') + '\n');
    const resumed = await run('sweep', ...sweep, '--resume');
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toMatch(/record 1 does not belong to this sweep \(seed 5, not 4\)/);
    expect(readFileSync(log, 'utf8')).toContain(forged);
  });

  it('a second sweep on a log another sweep is writing is refused (LOG.lock)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-lock-'));
    const log = join(dir, 'w.jsonl');
    // the second point (M = 40, p = 2080) takes seconds: the first sweep holds the lock meanwhile
    const child = spawn(process.execPath, [bin, 'sweep', '--vary', 'width', '--values', '2,40', '--widths', '6,2,2,6', '--samples', '12', '--out', log], { stdio: 'ignore' });
    try {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !(existsSync(log) && readFileSync(log, 'utf8').trim().split('\n').length >= 2)) await sleep(50);
      const second = await run('sweep', '--vary', 'width', '--values', '2', '--widths', '6,2,2,6', '--samples', '12', '--seed', '9', '--out', log, '--overwrite');
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/another sweep \(pid \d+\) is writing/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('machine-readable output', () => {
  it('table --format json: one row per --widths, with p, r and ranks', async () => {
    const { code, stdout, stderr } = await run('table', '--widths', '4,3,2', '--widths', '3,2,2,2', '--samples', '5', '--format', 'json');
    expect(code, stderr).toBe(0);
    const { rows } = JSON.parse(stdout) as { rows: { label: string; p: number; r: number; measured: Record<string, number> }[] };
    expect(rows.map((r) => [r.label, r.p, r.r])).toEqual([
      ['4-3-2', 18, 4],
      ['3-2-2-2', 14, 3],
    ]);
    for (const row of rows) expect(Object.keys(row.measured).sort()).toEqual(['H', 'HF', 'HO']);
  });

  it('catalog --json lists every catalog entry', async () => {
    const { code, stdout } = await run('catalog', '--json');
    expect(code).toBe(0);
    const entries = JSON.parse(stdout) as { id: string }[];
    expect(entries.map((e) => e.id)).toEqual(loadCatalog().map((f) => f.entry.id));
  });

  it('sweep --out logs a header and one record per value; plot --from redraws it without measuring', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-sweep-'));
    const log = join(dir, 'n.jsonl');
    const table = join(dir, 'n.csv');
    const sweep = await run('sweep', '--vary', 'samples', '--values', '1:4', '--widths', '3,2,2', '--out', log, '--table', table, '--format', 'csv');
    expect(sweep.code, sweep.stderr).toBe(0);
    const { header, records } = readSweepLog(log);
    expect(header.sweep.vary).toBe('samples');
    expect(records.map((r) => [r.x, r.N])).toEqual([1, 2, 3, 4].map((n) => [n, n]));
    expect(readFileSync(table, 'utf8').trim().split('\n')).toHaveLength(5);
    const svg = join(dir, 'n.svg');
    const redraw = await run('plot', '--from', log, '--svg', svg);
    expect(redraw.code, redraw.stderr).toBe(0);
    expect(readFileSync(svg, 'utf8').match(/data-series="r-measured" data-x=/g)).toHaveLength(4);
  });
});

const badInputs: [string, string[]][] = [
  ['table without architecture', ['table']],
  ['table with an unknown format', ['table', '--widths', '3,2', '--format', 'docx']],
  ['table --standalone without latex', ['table', '--widths', '3,2', '--standalone']],
  ['table from a missing log', ['table', '--from', '/nonexistent/log.jsonl']],
  ['digits data with d ≠ 64', ['table', '--widths', '10,3', '--data', 'digits']],
  ['unknown data source', ['table', '--widths', '3,2', '--data', 'mnist']],
  ['more digit images than the data set has', ['table', '--widths', '64,2', '--data', 'digits', '--samples', '5000']],
  ['a sweep of an unknown variable', ['sweep', '--vary', 'height', '--values', '1,2', '--widths', '3,2,2']],
  ['a sweep with an empty range', ['sweep', '--vary', 'width', '--values', '9:2', '--widths', '3,2,2']],
  ['a sweep of two architectures', ['sweep', '--vary', 'width', '--values', '2', '--widths', '3,2,2', '--widths', '3,2,2']],
  ['a width sweep without hidden layer', ['sweep', '--vary', 'width', '--values', '2', '--widths', '3,2']],
  ['a channels sweep of a dense network', ['sweep', '--vary', 'channels', '--values', '2', '--widths', '3,2,2']],
  ['an unknown figure', ['plot', '--figure', 'rank-vs-moon', '--out', '/tmp/x']],
  ['a figure with its sweep overridden', ['plot', '--figure', 'rank-vs-width', '--widths', '3,2,2', '--out', '/tmp/x']],
  ['a plot without output', ['plot', '--vary', 'width', '--values', '2', '--widths', '3,2,2']],
  ['plot --against something else', ['plot', '--vary', 'width', '--values', '2', '--widths', '3,2,2', '--svg', '/tmp/x.svg', '--against', 'N']],
  ['catalog --standalone without --latex', ['catalog', '--standalone']],
  ['catalog with two formats', ['catalog', '--latex', '--markdown']],
  ['a malformed CNN', ['table', '--cnn', 'in=8; conv c=2; K=2']],
];

describe('report commands: bad input is one clear line and exit code 2', () => {
  for (const [what, args] of badInputs) {
    it(what, async () => {
      const { code, stderr } = await run(...args);
      expect(code, `hessian-rank ${args.join(' ')}: ${stderr}`).toBe(2);
      expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
      expect(stderr).toMatch(/^hessian-rank \w+: /);
    });
  }
});
