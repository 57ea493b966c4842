/**
 * Build step (`npm run build`, after tsc): runs what the CLI runs of mathjs — the shared instance,
 * parsing and checking every catalog expression, walking and rebuilding the trees — then writes V8's
 * code cache of the bundle next to ./mathjsBuild.ts (its module comment says why).
 * Usage: node dist/src/catalog/mathjsCodeCache.js
 */
import { loadCatalog } from './catalog.js';
import { mathjsBuild, writeMathjsCodeCache } from './mathjsBuild.js';

// a fresh cache is compiled from the source, with the functions the warm-up below runs
mathjsBuild();
for (const formula of loadCatalog()) {
  for (const e of [formula.expression, formula.condition, ...formula.definitions.map(([, d]) => d)]) {
    if (!e) continue;
    e.tree.forEach(() => undefined);
    e.tree.map((node) => node).toString();
    e.tree.transform((node) => node);
  }
}
const bytes = writeMathjsCodeCache();
console.log(`mathjs code cache: ${(bytes / 1e6).toFixed(2)} MB`);
