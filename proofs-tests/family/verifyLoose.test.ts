/**
 * verify's list of loose architectures (`verify --loose`): a bound is not tight on an architecture exactly when that
 * architecture is listed, and measuring a listed architecture again at its instance seed gives the rank verify saw.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { conjectureClaim, convolutionalFamily, measure, predictionClaim, verify, verifyResultJson } from '../../src/index.js';

describe('verify lists every architecture where a bound is not tight, and nothing else', () => {
  it('K·r ≥ rank H_O on 40 deep linear networks: listed = checked − tight, each with bound ≠ rank, each re-measured alike', () => {
    const result = verify(conjectureClaim('K * r', 'HO', 'upper-bound'), { runs: 40, seed: 3 });
    expect(result.holds).toBe(true);
    expect(result.loose.length).toBe(result.checked - result.equal);
    expect(result.loose.length).toBeGreaterThan(0);
    for (const o of result.loose) {
      expect(o.predicted, JSON.stringify(o)).not.toBe(o.measured);
      expect(measure(o.architecture, { seed: o.instanceSeed, exact: o.method === 'exact' }).ranks.HO).toBe(o.measured);
    }
    expect(verifyResultJson(result).loose.length).toBe(result.loose.length);
  });

  it('the CNN prediction of H_F on 30 CNNs: the same count, and the CLI prints one measure command per loose CNN', async () => {
    const result = verify(predictionClaim(convolutionalFamily, 'HF'), { runs: 30, seed: 0 });
    expect(result.loose.length).toBe(result.checked - result.equal);
    const lines: string[] = [];
    const code = await main(['verify', '--formula', 'cnn-columns-HF', '--runs', '30', '--loose'], { out: (line: string) => lines.push(line), err: () => {}, isTTY: false });
    expect(code).toBe(0);
    const summary = lines.find((line) => line.startsWith('holds: cnn-columns-HF'))!;
    const tight = /tight \(bound = measured rank\) on (\d+) of them/.exec(summary)![1]!;
    const checked = /on all (\d+) CNNs/.exec(summary)![1]!;
    const listed = lines.filter((line) => line.includes('hessian-rank measure --cnn'));
    expect(listed.length).toBe(Number(checked) - Number(tight));
    expect(listed.length).toBeGreaterThan(0);
    for (const line of listed) {
      const [, bound, rank] = /bound (\d+), rank (\d+)/.exec(line)!;
      expect(Number(bound)).toBeGreaterThan(Number(rank));
    }
  });
});
