/**
 * kronecker --model: the layer blocks at a model's weights; with the same model as --second-model the
 * top-k eigenspaces of the two are the same subspace (overlap 1 to 1e-9 in every layer); a second
 * model needs a first one of the same architecture.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;
const fixtures = new URL('../fixtures/onnx/', import.meta.url).pathname;
function run(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const f = (name: string) => join(fixtures, name);

describe('kronecker --model', () => {
  it('a model against itself: top-k eigenspace overlap 1 in every layer', () => {
    const out = run('kronecker', '--model', f('mlp-relu-ce-bias.onnx'), '--second-model', f('mlp-relu-ce-bias.onnx'), '--data', f('mlp-relu-ce-bias-x.npy'), '--targets', f('mlp-relu-ce-bias-y.npy'), '--loss', 'ce', '--json');
    expect(out.stderr).toBe('');
    const report = JSON.parse(out.stdout);
    expect(report.layers.length).toBe(2);
    for (const layer of report.layers) expect(Math.abs(layer.seedOverlap - 1)).toBeLessThan(1e-9);
  });

  it.each([
    ['--second-model without --model', ['kronecker', '--widths', '5,4,3', '--second-model', f('mlp-relu-ce-bias.onnx')]],
    ['models of different architectures', ['kronecker', '--model', f('mlp-relu-ce-bias.onnx'), '--second-model', f('mlp-tanh-ce.onnx')]],
  ])('%s: one line, exit 2', (_, args) => {
    const out = run(...args);
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });
});
