/**
 * The modules of src/ form no import cycle: following the static imports (`import … from './x.js'`,
 * `export … from`, type-only ones included) from any module never leads back to it. A cycle once
 * joined src/cnn/predict.ts and src/cnn/vocabulary.ts (the scope's merge symbols read the merged
 * CNN's prediction); src/cnn/catalogRanks.ts now serves both. A dynamic `import()` is not followed:
 * it defers loading (the CLI loads each command that way), and it is where a cycle would have to be
 * deliberate. A failure prints the cycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { expect, it } from 'vitest';

const src = new URL('../../src/', import.meta.url).pathname;

/** Each module's static relative imports, as paths relative to src/ (".js" read as the ".ts" source). */
function importGraph(): Map<string, string[]> {
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(src, file), 'utf8');
    const targets = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) =>
      normalize(relative(src, join(src, dirname(file), m[1]!.replace(/\.js$/, '.ts')))),
    );
    graph.set(normalize(file), targets);
  }
  return graph;
}

/** A cycle of the graph (a list of modules, the first repeated at the end), or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

it('no module of src/ imports itself through others', () => {
  const graph = importGraph();
  expect(graph.size).toBeGreaterThan(100);
  // every relative import names a module that exists (else the walk would miss edges)
  for (const [file, targets] of graph) for (const target of targets) expect(graph.has(target), `${file} imports ${target}`).toBe(true);
  expect(findCycle(graph)?.join(' → ')).toBeUndefined();
});

it('the walk finds a cycle where there is one', () => {
  const graph = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts', 'd.ts']],
    ['d.ts', []],
  ]);
  expect(findCycle(graph)).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  graph.set('c.ts', ['d.ts']);
  expect(findCycle(graph)).toBeUndefined();
});
