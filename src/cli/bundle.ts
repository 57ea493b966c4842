/**
 * Build step (`npm run build`, after tsc and ../catalog/mathjsCodeCache.ts): the CLI as one file,
 *
 *   dist/hessian-rank.cjs       = esbuild's CommonJS bundle of dist/src/cli/main.js and every module it
 *                                 imports (the command modules too), mathjs left to ../catalog/mathjsBuild.ts;
 *   dist/hessian-rank.codecache = V8's code cache of it after a warm-up run of a few commands (../codeCache.ts).
 *
 * bin/hessian-rank runs the bundle when it is at least as new as dist/src/cli/main.js (else, after a bare
 * tsc, the compiled modules): without Node's ES module loader resolving, reading, linking and compiling
 * ~180 files, `predict --cnn` and `derive --cnn` start 0.16-0.19 s sooner, `--help` 0.05 s later
 * (docs/benchmarks.md, "The CLI as one file"). In the bundle every `import.meta.url` is the URL of the module's own compiled file under
 * dist/src, so files found next to a module (mathjs.codecache, the worker scripts of measure --batch and
 * the parallel eigenvalues) and the package root are found as without the bundle; the workers run the
 * compiled modules.
 * Usage: node dist/src/cli/bundle.js
 */
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { runCommonJs } from '../codeCache.js';
import type { CommandIO } from './command.js';

const dist = fileURLToPath(new URL('../../', import.meta.url));
const entry = join(dist, 'src', 'cli', 'main.js');
const bundlePath = join(dist, 'hessian-rank.cjs');
const bundleCachePath = join(dist, 'hessian-rank.codecache');

/**
 * Each of our modules' `import.meta.url`: its compiled file's URL, found from the bundle's folder at run
 * time (the function is the banner's). A package's import.meta stays, and fails the build (below).
 */
const moduleUrl = '__hessianRankModuleUrl';
const moduleUrls: Plugin = {
  name: 'module-urls',
  setup(plugin) {
    plugin.onLoad({ filter: /\.js$/ }, async ({ path }) => {
      if (relative(join(dist, 'src'), path).startsWith('..')) return undefined;
      const source = await readFile(path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      const file = JSON.stringify(relative(dirname(bundlePath), path).split('\\').join('/'));
      return { contents: source.replaceAll('import.meta.url', `${moduleUrl}(${file})`), loader: 'js' };
    });
  },
};

await build({
  entryPoints: [entry],
  outfile: bundlePath,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // ES modules are strict code: the bundle stays so (esbuild's own "use strict" comes after the banner)
  banner: { js: `"use strict";\nconst ${moduleUrl} = (file) => require("node:url").pathToFileURL(require("node:path").join(__dirname, file)).href;` },
  external: ['mathjs'],
  plugins: [moduleUrls],
  // an import.meta left over would be {} in CommonJS: refuse it
  logOverride: { 'empty-import-meta': 'error' },
  // smaller and ASCII: read and compiled faster (a non-ASCII byte makes the whole source a two-byte string)
  minifyWhitespace: true,
  charset: 'ascii',
  // no keepNames: it wraps every function and closure the bundle creates in a defineProperty call (0.04-0.06 s of a derive
  // --cnn, where expressions are rendered through closures); nothing reads a function's name (errors set theirs)
  logLevel: 'warning',
});

// Warm-up: the commands whose start-up counts (predict, derive --cnn), output discarded; V8 then keeps
// the code of every function they compiled. (Measured: docs/benchmarks.md, start-up.)
rmSync(bundleCachePath, { force: true });
const quiet: CommandIO = { out: () => undefined, err: () => undefined, isTTY: false };
const cli = runCommonJs(bundlePath, bundleCachePath);
const { main } = cli.exports as { main(argv: string[], io: CommandIO): Promise<number> };
for (const argv of [
  ['predict', '--widths', '5,3,4'],
  ['predict', '--cnn', 'in=8; conv k=2 c=2; K=1', '--samples', '3'],
  ['derive', '--cnn', 'in=6x6 ch=2; conv k=3x3 c=2; conv k=2x2 c=2 s=2x2; K=2', '--samples', '8', '--bias'],
]) {
  const code = await main(argv, quiet);
  if (code !== 0) throw new Error(`the bundle's warm-up run hessian-rank ${argv.join(' ')} exited with ${code}`);
}
const bytes = cli.writeCache();
console.log(`CLI bundle: ${relative(process.cwd(), bundlePath)}, code cache ${(bytes / 1e6).toFixed(2)} MB`);
