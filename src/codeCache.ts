/**
 * A CommonJS file run as require() runs it, its source compiled through V8's code cache when there is one:
 *
 *   runCommonJs(file, cache).exports = the file's module.exports, compiled from `cache` (V8's compiled
 *   code of the same source after a warm-up run, written at build time by writeCache) if V8 takes it,
 *   else from the source.
 *
 * V8 takes a cache only for the same source, V8 version and flags; otherwise it compiles the source, so
 * the cache changes nothing but the time. Node 20's require() has no code cache, hence vm.Script. Used
 * for mathjs's single-file build (./catalog/mathjsBuild.ts) and for the CLI's own bundle
 * (dist/hessian-rank.cjs, run by bin/hessian-rank; ./cli/bundle.ts builds it). Figures:
 * docs/benchmarks.md, start-up.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

export interface CodeCachedModule {
  /** the file's module.exports */
  exports: unknown;
  /** whether V8 compiled the file from the cache (false: from its source) */
  fromCache: boolean;
  /** Writes V8's code cache of the file as compiled so far (call it after a warm-up), replacing the cache file atomically; returns its bytes. */
  writeCache(): number;
}

export function runCommonJs(file: string, cachePath: string): CodeCachedModule {
  let cachedData: Uint8Array | undefined;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined; // no cache: compiled from the source
  }
  // CommonJS's own wrapper, so the file sees exports, require, module as under require()
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'utf8')}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  const wrapper = script.runInThisContext() as (this: unknown, ...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    fromCache: cachedData !== undefined && script.cachedDataRejected === false,
    writeCache(): number {
      const data = script.createCachedData();
      const temporary = `${cachePath}.${process.pid}.tmp`;
      writeFileSync(temporary, data);
      renameSync(temporary, cachePath);
      return data.length;
    },
  };
}
