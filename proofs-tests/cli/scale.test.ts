/**
 * predict needs no measurement, so it answers at any admitted scale: the CNN geometry (used
 * positions, position symmetries, Toeplitz block sums) costs about the number of positions along
 * each axis, not their product nor its square. Before, a 100,000-position 1D input took over
 * 2 minutes (every pair of windows compared) and 4096 × 4096 took 24 s (every 2D window listed).
 * Each case is given 60 s on a loaded 2-core machine; it takes a few seconds.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;

function predict(cnn: string, ...flags: string[]) {
  const result = spawnSync(process.execPath, [bin, 'predict', '--cnn', cnn, '--json', ...flags], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

describe('predict --cnn answers on large inputs in seconds', () => {
  it('a 1D input of 100,000 positions with 100,000 channels', () => {
    const { code, signal, stdout, stderr } = predict('in=100000; conv k=3 c=100000; K=3');
    expect(signal, 'killed after 60 s').toBeNull();
    expect(code, stderr).toBe(0);
    // p = c·k + K·c·(n − k + 1) = 300,000 + 3·100,000·99,998
    expect(JSON.parse(stdout).p).toBe(100000 * 3 + 3 * 100000 * 99998);
  }, 90_000);

  it('a 4096 × 4096 input with two convolutions', () => {
    const { code, signal, stdout, stderr } = predict('in=4096x4096; conv k=3 c=1; conv k=5 c=2 s=2; K=3');
    expect(signal, 'killed after 60 s').toBeNull();
    expect(code, stderr).toBe(0);
    // p = 9 + 2·25 + 3·2·2045²
    expect(JSON.parse(stdout).p).toBe(9 + 50 + 3 * 2 * 2045 * 2045);
  }, 90_000);

  // one sample (r = 1): the dense layer's projected tangent listed every used Toeplitz entry before refusing the matrix by
  // its size (33–38 s and 9.3 GB); the size comes from the geometry now
  it('the same with one sample', () => {
    const { code, signal, stdout, stderr } = predict('in=4096x4096; conv k=3 c=1; conv k=5 c=2 s=2; K=3', '--samples', '1');
    expect(signal, 'killed after 60 s').toBeNull();
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).r).toBe(1);
  }, 90_000);

  // the position symmetries grow about as kernel⁴ per axis: in=400 with k = 200 ran on for minutes
  for (const cnn of ['in=400; conv k=200 c=1; K=3', 'in=28x28; conv k=13 c=4 pad=6; K=10']) {
    it(`a kernel too large for the position symmetries is refused with one line: ${cnn}`, () => {
      const { code, signal, stderr } = predict(cnn);
      expect(signal, 'killed after 60 s').toBeNull();
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/too large for the position symmetries .* steps, limit/);
    }, 90_000);
  }
});
