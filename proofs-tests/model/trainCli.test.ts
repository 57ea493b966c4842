/**
 * train: the ONNX model it writes, measured with measure --model on the same data and targets, has the
 * ranks it tracked at its last step; the linear network's ranks equal the closed forms at the measured
 * r all along training (generic weights stay generic); misuse is one line and exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;
function run(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const dir = mkdtempSync(join(tmpdir(), 'hessian-rank-train-'));

describe('train', () => {
  it('tracks ranks, writes a model whose measured ranks are the last tracked ones', () => {
    const prefix = join(dir, 'linear');
    const out = run('train', '--widths', '64,4,10', '--data', 'digits', '--subset', '40', '--loss', 'mse', '--steps', '60', '--track', '30', '--out', prefix);
    expect(out.stderr).toBe('');
    const log = readFileSync(`${prefix}.jsonl`, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(log.map((l) => l.step)).toEqual([0, 30, 60]);
    expect(log[2].loss).toBeLessThan(log[0].loss);
    const predicted = JSON.parse(run('predict', '--widths', '64,4,10', '--samples', '40', '--data-rank', String(log[0].r), '--json').stdout);
    for (const point of log) for (const q of ['H', 'HO', 'HF']) expect(point.ranks[q]).toBe(predicted.ranks[q]);
    const measured = JSON.parse(run('measure', '--model', `${prefix}.onnx`, '--data', 'digits', '--subset', '40', '--targets', 'labels', '--json').stdout);
    expect(measured.ranks).toEqual(log[2].ranks);
    expect(readFileSync(`${prefix}.svg`, 'utf8')).toContain('<svg');
  });

  it('is deterministic: the same flags give the same model bytes', () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    for (const prefix of [a, b]) expect(run('train', '--cnn', 'in=8x8; conv k=3 c=2 s=2; K=10', '--act', 'relu', '--loss', 'ce', '--data', 'digits', '--subset', '30', '--steps', '20', '--seed', '4', '--out', prefix).code).toBe(0);
    expect(readFileSync(`${a}.onnx`)).toEqual(readFileSync(`${b}.onnx`));
  });

  it.each([
    ['an unknown optimizer', ['train', '--widths', '64,10', '--data', 'digits', '--optimizer', 'sgd']],
    ['a negative learning rate', ['train', '--widths', '64,10', '--data', 'digits', '--lr', '-1']],
    ['--track without --out', ['train', '--widths', '64,10', '--data', 'digits', '--track', '10']],
    ['a divergent learning rate', ['train', '--widths', '64,10', '--data', 'digits', '--optimizer', 'gd', '--lr', '1e6', '--steps', '50']],
  ])('%s: one line, exit 2', (_, args) => {
    const out = run(...args);
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });
});
