/**
 * mathjs's single-file build (mathjs/lib/browser/math.js), loaded as CommonJS loads it, compiled through
 * V8's code cache when there is one:
 *
 *   mathjs.codecache (next to this module) = V8's compiled code of the bundle after a warm-up run,
 *   written by `npm run build` (./mathjsCodeCache.ts).
 *
 * V8 takes the cache only for the same source, V8 version and flags; otherwise it compiles the source,
 * so the cache changes nothing but the time: compiling the 0.6 MB bundle and the functions the CLI runs
 * is about 0.07 s of every start-up that reads an expression (docs/benchmarks.md, derive --cnn).
 * Without the cache (sources run by vitest, a cache V8 rejects) it loads as before.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type * as MathJs from 'mathjs';

const cachePath = fileURLToPath(new URL('./mathjs.codecache', import.meta.url));

let script: Script | undefined;
let build: typeof MathJs | undefined;

/** The bundle's exports, loaded once. */
export function mathjsBuild(): typeof MathJs {
  if (build) return build;
  const file = createRequire(import.meta.url).resolve('mathjs/lib/browser/math.js');
  let cachedData: Uint8Array | undefined;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined; // no cache: compiled from the source
  }
  // CommonJS's own wrapper, so the bundle sees exports, require, module as under require()
  script = new Script(`(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'utf8')}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  const wrapper = script.runInThisContext() as (this: unknown, ...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return (build = module.exports as typeof MathJs);
}

/** Whether V8 compiled the bundle from the cache (false: from its source). */
export function mathjsFromCache(): boolean {
  mathjsBuild();
  return script!.cachedDataRejected === false;
}

/** Writes V8's code cache of the bundle as compiled so far (call it after a warm-up), replacing the file atomically. */
export function writeMathjsCodeCache(): number {
  mathjsBuild();
  const data = script!.createCachedData();
  const temporary = `${cachePath}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, cachePath);
  return data.length;
}
