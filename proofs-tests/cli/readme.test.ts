/**
 * Every command the README shows (`bin/hessian-rank …` lines of its code blocks) runs on a fresh
 * clone and exits 0: a new user's first commands. kronecker --act relu exited 2 once the exact
 * section (linear mse only) was tried on every network with an integral Hessian.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/** The README's command lines, split as a POSIX shell would (double quotes only). */
function readmeCommands(): string[][] {
  const lines = readFileSync(`${root}README.md`, 'utf8').split('\n').filter((line) => line.startsWith('bin/hessian-rank '));
  return lines.map((line) => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!));
}

describe("the README's commands", () => {
  const commands = readmeCommands();
  it('are there', () => expect(commands.length).toBeGreaterThanOrEqual(5));
  for (const [bin, ...args] of commands) {
    it(`${bin} ${args.join(' ')}`, () => {
      const result = spawnSync(process.execPath, [`${root}${bin}`, ...args], { encoding: 'utf8', timeout: 120_000 });
      expect(result.status, result.stderr).toBe(0);
    }, 150_000);
  }
});
