/**
 * The CLI's bundle (dist/hessian-rank.cjs, src/cli/bundle.ts) is the CLI: bin/hessian-rank running the
 * bundle and the compiled modules (dist/src/cli/main.js) print the same stdout and stderr and exit with
 * the same code, bad input and the worker threads of measure included (every worker script they start
 * exists; a preload reports each Worker started and whether its script file is there); an eigenvalue worker whose script
 * does not load is given up, with the same output, where the thread that waited for it used to hang.
 * Measured times ("0.03 s", "seconds") are the only text allowed to differ.
 * Skipped, with one line, when `npm run build` did not make the bundle after the last tsc run (then
 * bin/hessian-rank runs the compiled modules itself).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'bin', 'hessian-rank');
const modified = (file: string): number => statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? -1;
// bin/hessian-rank's own rule
const bundled = modified('dist/hessian-rank.cjs') >= Math.max(0, modified('dist/src/cli/main.js'));
if (!bundled) console.log('dist/hessian-rank.cjs is missing or older than dist/src/cli/main.js (run npm run build): the bundle checks are skipped');

const work = mkdtempSync(join(tmpdir(), 'hessian-rank-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
// bin/hessian-rank as it was before the bundle: the compiled modules
const unbundled = join(work, 'unbundled.mjs');
writeFileSync(
  unbundled,
  `import { main, processIO } from ${JSON.stringify(pathToFileURL(join(root, 'dist/src/cli/main.js')).href)};
process.stdout.on('error', (error) => { if (error.code === 'EPIPE') process.exit(0); });
main(process.argv.slice(2), processIO).then((code) => { process.exitCode = code; });
`,
);
const watchWorkers = join(work, 'watchWorkers.cjs');
writeFileSync(
  watchWorkers,
  `const threads = require('node:worker_threads');
const { existsSync } = require('node:fs');
const { relative } = require('node:path');
const { fileURLToPath } = require('node:url');
const Worker = threads.Worker;
threads.Worker = class extends Worker {
  constructor(script, options) {
    if (!options?.eval) {
      const file = script instanceof URL ? fileURLToPath(script) : String(script);
      process.stderr.write('worker ' + relative(${JSON.stringify(root)}, file) + ': ' + (existsSync(file) ? 'found' : 'missing') + '\\n');
    }
    super(script, options);
  }
};
require('node:module').syncBuiltinESMExports();
`,
);
// the eigenvalue worker pointed at a script that does not exist: its 'error' event cannot reach a thread that waits for it
const breakEigenWorker = join(work, 'breakEigenWorker.cjs');
writeFileSync(
  breakEigenWorker,
  `const threads = require('node:worker_threads');
const Worker = threads.Worker;
threads.Worker = class extends Worker {
  constructor(script, options) {
    super(String(script).endsWith('eigenWorker.js') ? new URL('file:///nonexistent/eigenWorker.js') : script, options);
  }
};
require('node:module').syncBuiltinESMExports();
`,
);
const batch = join(work, 'batch.jsonl');
writeFileSync(batch, ['{"widths":[4,3,2],"samples":5,"seed":1}', 'not json', '{"widths":[3,2],"samples":2,"exact":true}', '{"cnn":"in=8; conv k=3 c=2; K=2","exact":true}'].join('\n'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(entry: string, args: string[], preload = watchWorkers): Promise<Run> {
  const times = (text: string): string => text.replace(/\b\d+\.\d+ s\b/g, '<t> s').replace(/"seconds":[-+.\de]+/g, '"seconds":<t>');
  return new Promise((resolve, reject) => {
    // killed after 60 s: a worker that cannot start must fail the check, not hang it
    const child = spawn(process.execPath, ['--require', preload, entry, ...args], { timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: times(stdout), stderr: times(stderr) }));
  });
}

const threads = availableParallelism() >= 2 && process.env.HESSIAN_RANK_THREADS !== '1';

describe.skipIf(!bundled)('the bundle prints what the compiled modules print', () => {
  const cases: [string, string[], number][] = [
    ['--version', ['--version'], 0],
    ['predict --cnn', ['predict', '--cnn', 'in=8; conv k=2 c=2; K=1', '--samples', '3'], 0],
    ['derive --cnn --bias', ['derive', '--cnn', 'in=6x6 ch=2; conv k=3x3 c=2; conv k=2x2 c=2 s=2x2; K=2', '--samples', '8', '--bias'], 0],
    ['measure (the eigenvalue worker: p = 192)', ['measure', '--widths', '10,8,8,6', '--samples', '10'], 0],
    ['measure --batch (its worker), a bad line included', ['measure', '--batch', batch], 2],
    ['a kernel larger than its input', ['predict', '--cnn', 'in=8; conv k=9 c=2; K=1'], 2],
    ['an unknown flag', ['derive', '--cnn', 'in=8; conv k=2 c=2; K=1', '--frobnicate'], 2],
  ];
  const bundleStderr: string[] = [];
  it.each(cases)('%s', async (_, args, code) => {
    // both at once: a correctness check, not a timing
    const [fromBundle, fromModules] = await Promise.all([run(bin, args), run(unbundled, args)]);
    bundleStderr.push(fromBundle.stderr);
    expect(fromBundle).toEqual(fromModules);
    expect(fromBundle.code).toBe(code);
    if (code === 2) expect(fromBundle.stderr.split('\n').filter((line) => line && !line.startsWith('worker '))).toHaveLength(1);
  });

  // after the cases above (their stderr)
  it.runIf(threads)('the workers start from the bundle, on their compiled scripts', () => {
    const started = bundleStderr.join('').split('\n').filter((line) => line.startsWith('worker '));
    expect(new Set(started)).toEqual(new Set(['worker dist/src/cli/measureBatchWorker.js: found', 'worker dist/src/numeric/eigenWorker.js: found']));
  });

  it.runIf(threads)('an eigenvalue worker whose script does not load: measure gives it up and prints the same ranks', async () => {
    const args = ['measure', '--widths', '10,8,8,6', '--samples', '10'];
    const [broken, working] = await Promise.all([run(bin, args, breakEigenWorker), run(bin, args)]);
    // before, the thread waited for its answer forever (the run was killed at 60 s: code null)
    expect(broken.code).toBe(0);
    expect(broken.stdout).toBe(working.stdout);
  });
});
