/**
 * The packed package in a user's project (docs/api.md, "Installing it into your project"): the
 * tarball `npm pack` makes, unpacked where npm installs it in a fresh project that has only vitest
 * and typescript beside it, type-checks the docs/api.md example (strict, NodeNext, no @types/node)
 * and passes its 4 tests, with nothing else set up. This once failed: the tarball lacked
 * src/linalg/linalg.wasm, and every measurement threw "cannot find src/linalg/linalg.wasm".
 *
 * No download: the project's node_modules links the packages of this clone's node_modules (the
 * versions package-lock.json pins), except hessian-rank, which is the unpacked tarball, and @types,
 * which a project with only vitest and typescript does not have. (npm test builds dist/ first.)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const project = mkdtempSync(join(tmpdir(), 'hessian-rank-user-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** The first ```ts block of docs/api.md: the example a user copies. */
function docsExample(): string {
  const docs = readFileSync(join(root, 'docs/api.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(docs);
  if (!block) throw new Error('docs/api.md has no ```ts example');
  return block[1]!;
}

function run(command: string, args: string[], cwd: string) {
  // a child vitest, not a worker of ours: none of our runner's variables, no colours
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|TINYPOOL|NODE_OPTIONS)/.test(k)));
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 300_000 });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

describe('the packed tarball in a fresh vitest project', () => {
  it('npm pack, unpack as npm installs it; tsc --noEmit and vitest run the docs/api.md example', () => {
    const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], root);
    expect(pack.status, pack.output).toBe(0);
    const tarball = join(project, (JSON.parse(pack.output.slice(pack.output.indexOf('['))) as { filename: string }[])[0]!.filename);

    const modules = join(project, 'node_modules');
    mkdirSync(join(modules, 'hessian-rank'), { recursive: true });
    const untar = run('tar', ['-xzf', tarball, '--strip-components=1', '-C', join(modules, 'hessian-rank')], project);
    expect(untar.status, untar.output).toBe(0);
    for (const name of readdirSync(join(root, 'node_modules'))) {
      if (name === '@types' || name.startsWith('.')) continue;
      symlinkSync(join(root, 'node_modules', name), join(modules, name));
    }
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-project', private: true, type: 'module' }));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true }, include: ['test'] }),
    );
    mkdirSync(join(project, 'test'));
    writeFileSync(join(project, 'test', 'user.test.ts'), docsExample());

    const tsc = run(process.execPath, [join(modules, 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
    expect(tsc.status, tsc.output).toBe(0);
    const vitest = run(process.execPath, [join(modules, 'vitest', 'vitest.mjs'), 'run', '--root', project], project);
    expect(vitest.status, vitest.output).toBe(0);
    expect(vitest.output).toMatch(/Tests\s+\S*4 passed/);
  });
});
