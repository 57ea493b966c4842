/**
 * mathjs's single-file build (mathjs/lib/browser/math.js), loaded as CommonJS loads it, compiled through
 * V8's code cache when there is one (../codeCache.ts):
 *
 *   mathjs.codecache (next to this module) = V8's compiled code of the bundle after a warm-up run,
 *   written by `npm run build` (./mathjsCodeCache.ts).
 *
 * Compiling the 0.6 MB bundle and the functions the CLI runs is about 0.07 s of every start-up that
 * reads an expression (docs/benchmarks.md, derive --cnn). Without the cache (sources run by vitest, a
 * cache V8 rejects) it loads as before.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as MathJs from 'mathjs';
import { runCommonJs, type CodeCachedModule } from '../codeCache.js';

const cachePath = fileURLToPath(new URL('./mathjs.codecache', import.meta.url));

let loaded: CodeCachedModule | undefined;

function load(): CodeCachedModule {
  return (loaded ??= runCommonJs(createRequire(import.meta.url).resolve('mathjs/lib/browser/math.js'), cachePath));
}

/** The bundle's exports, loaded once. */
export function mathjsBuild(): typeof MathJs {
  return load().exports as typeof MathJs;
}

/** Whether V8 compiled the bundle from the cache (false: from its source). */
export function mathjsFromCache(): boolean {
  return load().fromCache;
}

/** Writes V8's code cache of the bundle as compiled so far (call it after a warm-up), replacing the file atomically. */
export function writeMathjsCodeCache(): number {
  return load().writeCache();
}
