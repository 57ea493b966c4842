/**
 * measure --batch on both cores (src/cli/measureBatch.ts) is the sequential batch, faster: the same
 * JSON lines in the same order (each measurement's "seconds" aside), whichever core took each line,
 * error records included. HESSIAN_RANK_THREADS=1 gives the sequential run.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;

function batch(input: string, env: Record<string, string>): { status: number | null; lines: unknown[]; stderr: string } {
  const result = spawnSync(process.execPath, [bin, 'measure', '--batch', '-'], { input, encoding: 'utf8', env: { ...process.env, ...env } });
  const lines = result.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      delete record.seconds;
      return record;
    });
  return { status: result.status, lines, stderr: result.stderr };
}

describe('measure --batch, two lines at a time', () => {
  it('prints what the sequential batch prints, in the same order', () => {
    const input = [
      '{"widths":[12,10,8,9],"samples":20,"seed":3}',
      '{"widths":[4,3,2],"samples":5,"seed":1}',
      'not json',
      '{"widths":[3,2],"samples":2,"exact":true}',
      '{"widths":[6,5,4],"samples":7,"act":"relu","seed":2}',
      '{"cnn":"in=8; conv k=3 c=2; K=2","exact":true}',
      '{"widths":[20,14,2,10,12],"samples":2,"bias":true,"seed":5}',
      '{"widths":[5,4],"loss":"ce","act":"tanh","seed":4}',
    ].join('\n');
    const parallel = batch(input, {});
    const sequential = batch(input, { HESSIAN_RANK_THREADS: '1' });
    expect(parallel.lines).toHaveLength(8);
    expect(parallel.lines[2]).toEqual({ line: 3, error: 'not valid JSON' });
    expect(parallel.lines).toEqual(sequential.lines);
    expect([parallel.status, sequential.status]).toEqual([2, 2]);
    expect(parallel.stderr).toBe(sequential.stderr);
  });
});
