/**
 * A model exported from PyTorch (torch.onnx.export) with its data and targets as .npy gives the same p
 * and the same ranks of H, H_O and H_F at the exported weights as PyTorch float64 autograd
 * (proofs-tests/fixtures/make_onnx_fixtures.py computed them: H by torch.autograd.functional.hessian,
 * H_O = Σ J_iᵀ∇²ℓ J_i, H_F as its own sum; ranks by numpy's matrix_rank, τ = σ_max · p · ε, the tool's
 * tolerance). MLPs and CNNs (1D, 2D, stride, padding), linear / relu / tanh, mse / ce, with and
 * without bias, float32 and float64 weights.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;
const fixtures = new URL('../fixtures/onnx/', import.meta.url).pathname;
function run(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Case {
  name: string;
  model: string;
  data: string;
  targets: string;
  loss: 'mse' | 'ce';
  act: string;
  bias: boolean;
  dtype: string;
  N: number;
  p: number;
  r: number;
  ranks: { H: number; HO: number; HF: number };
}
const fixture = JSON.parse(readFileSync(join(fixtures, 'fixtures.json'), 'utf8')) as { torch: string; cases: Case[] };

describe(`ranks at a PyTorch model's weights equal PyTorch ${fixture.torch} float64 autograd's`, () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const out = run('measure', '--model', join(fixtures, c.model), '--data', join(fixtures, c.data), '--targets', join(fixtures, c.targets), '--loss', c.loss, '--json');
    expect(out.stderr).toBe('');
    const m = JSON.parse(out.stdout);
    expect(m.architecture.act).toBe(c.act);
    expect(m.architecture.bias).toBe(c.bias);
    expect(m.architecture.samples).toBe(c.N);
    expect({ p: m.p, r: m.r, ...m.ranks }).toEqual({ p: c.p, r: c.r, ...c.ranks });
  });

  it('predict --model reads the architecture alone', () => {
    const c = fixture.cases.find((x) => x.name.startsWith('cnn2d-relu'))!;
    const out = run('predict', '--model', join(fixtures, c.model), '--samples', String(c.N), '--loss', 'ce', '--json');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).p).toBe(c.p);
  });

  it.each([
    ['an operator outside the supported set, named', ['measure', '--model', join(fixtures, 'unsupported-sigmoid.onnx')], /operator Sigmoid/],
    ['--model with --widths', ['measure', '--model', join(fixtures, 'mlp-tanh-ce.onnx'), '--widths', '6,3,4'], /drop --widths/],
    ['--model with --act', ['predict', '--model', join(fixtures, 'mlp-tanh-ce.onnx'), '--act', 'relu'], /drop --act/],
    ['a file that is not ONNX', ['measure', '--model', join(fixtures, 'mlp-tanh-ce-x.npy')], /--model must be a FILE.onnx/],
    ['data of the wrong dimension', ['measure', '--model', join(fixtures, 'mlp-relu-ce-bias.onnx'), '--data', join(fixtures, 'mlp-tanh-ce-x.npy')], /d = 6 .*reads d = 5/],
  ])('%s: one line, exit 2', (_, args, message) => {
    const out = run(...(args as string[]));
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(message as RegExp);
  });
});
