/**
 * A relu or tanh rank is said for what it is: measure and compare say that a ReLU rank is the rank at
 * the instance measured (float64 or exact), and compare repeats what the prediction means (the H_O
 * bound holds at every instance; relu's H and H_F are the linear network's ranks; tanh has none),
 * for fully-connected networks and CNNs alike.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nonlinearNotes } from '../../src/catalog/predict.js';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('relu and tanh ranks are described as what they are', () => {
  it('measure --act relu (float64): the rank at this instance', () => {
    const { status, stdout } = run('measure', '--widths', '8,6,4', '--samples', '1', '--act', 'relu', '--seed', '23');
    expect(status).toBe(0);
    expect(stdout).toContain('a ReLU rank is the rank at this instance, its activation pattern fixed');
  });

  for (const arch of [['--widths', '8,6,6,4'], ['--cnn', 'in=12; conv k=3 c=2; conv k=3 c=2; K=3']]) {
    it(`compare ${arch.join(' ')} --act relu: the prediction's note and the instance`, () => {
      const { status, stdout } = run('compare', ...arch, '--act', 'relu');
      expect(status).toBe(0);
      expect(stdout).toContain(nonlinearNotes.relu);
      expect(stdout).toContain('a ReLU rank is the rank at this instance');
      expect(stdout).toMatch(/^HO .* upper-bound /m);
      expect(stdout).toMatch(/^H .* estimate /m);
    });
    it(`compare ${arch.join(' ')} --act tanh: no H or H_F formula, and why`, () => {
      const { status, stdout } = run('compare', ...arch, '--act', 'tanh');
      expect(status).toBe(0);
      expect(stdout).toContain(nonlinearNotes.tanh);
      expect(stdout).toMatch(/^H +— .*no formula/m);
      expect(stdout).toMatch(/^HF +— .*no formula/m);
    });
  }

  // verify --family convolutional --act relu said "holds: predicted rank(H) (upper-bound, H) … bound − rank: median -16"
  it('verify of a linear formula on relu networks reports an estimate, not a bound that held', () => {
    const json = run('verify', '--formula', 'linear-mse-H', '--act', 'relu', '--runs', '12', '--json');
    expect(json.status).toBe(0);
    const r = JSON.parse(json.stdout) as { kind: string; checked: number; estimates: number };
    expect(r.kind).toBe('estimate');
    expect(r.estimates).toBe(r.checked);
    expect(r.checked).toBeGreaterThan(0);
    const text = run('verify', '--formula', 'linear-mse-H', '--act', 'relu', '--runs', '12');
    expect(text.stdout).toMatch(/^estimate, not checked: linear-mse-H \(H\) is the linear network's rank/);
    expect(text.stdout).not.toMatch(/holds|bound − rank/);
  });
});

