/**
 * Packaging: the typings a user's project reads (dist/src/index.d.ts and every declaration it
 * imports) name no Node.js type, so they compile without @types/node; fast-check is a peer
 * dependency (one copy shared with the user's suite); the tarball ships the runtime files only (the
 * CLI's bundle among them);
 * --version prints package.json's version. (npm test builds dist/ first.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every .d.ts reachable from the entry through relative imports. */
function declarations(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*['"](\.[^'"]+)\.js['"]/g)) queue.push(resolve(dirname(file), `${match[1]}.d.ts`));
  }
  return [...seen];
}

describe('packaging', () => {
  it('the typings reachable from the entry point name no Node.js type', () => {
    const files = declarations(join(root, pkg.types));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => /from ['"]node:|\bNodeJS\.|\bBuffer\b/.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')));
    expect(offenders).toEqual([]);
  });

  it('fast-check is a peer dependency, and the tarball lists only runtime files', () => {
    expect(pkg.peerDependencies['fast-check']).toBeDefined();
    expect(pkg.dependencies['fast-check']).toBeUndefined();
    // dist/hessian-rank.cjs and its code cache: the CLI's bundle, which bin/hessian-rank runs (src/cli/bundle.ts)
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/src', 'dist/hessian-rank.cjs', 'dist/hessian-rank.codecache', 'bin', 'formulas', 'data']));
    expect(pkg.files.some((f: string) => /proofs-tests|\.ci|bench/.test(f))).toBe(false);
  });

  it('--version prints the package version', () => {
    const out = spawnSync(process.execPath, [join(root, 'bin/hessian-rank'), '--version'], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout.trim()).toBe(`hessian-rank ${pkg.version}`);
  });
});
