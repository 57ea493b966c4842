/**
 * The family interface (src/family): for every registered family and random architectures of it,
 *   - the flag text and the JSON value name the architecture: parse(syntax(net)) = net = fromJson(json(net)[flag]);
 *   - predict and measure agree on p, and the measured data rank never exceeds the family's dataRank;
 * (exactly on integral Hessians, float64 otherwise); the one verdict says "holds" exactly when the kind's relation holds (a lower bound that holds is not
 * DIFFERS); and a CNN read by the report commands on real data takes its data rank from the family
 * (table --cnn … --data digits, which once exited 2); and no CLI module reads a family's flag
 * itself (derive --cnn once did): the flags reach a family only through the registry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { families } from '../../src/family/registry.js';
import { verdict } from '../../src/family/verdict.js';
import { isIntegral } from '../../src/family/vocabulary.js';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (line) => out.push(line), err: (line) => err.push(line), isTTY: false });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('every family names, predicts and measures its architectures consistently', () => {
  for (const family of families) {
    it(`${family.name}: flag text and JSON round-trip; p agrees; measured r ≤ dataRank`, () => {
      fc.assert(
        fc.property(family.arbitrary({ depth: [1, 2], width: [1, 3], bias: 'any', activation: 'any', loss: 'any' }), fc.nat(1000), (net, seed) => {
          const shared = { samples: net.samples, bias: net.bias, loss: net.loss, activation: net.activation };
          expect(family.parse(family.syntax(net), shared)).toEqual(net);
          expect(family.fromJson(family.json(net)[family.flag], shared)).toEqual(net);
          // exactly where the Hessian is integral, in float64 otherwise (once an eigen solver failure:
          // measure --cnn "in=3x3; conv k=2 c=3 pad=1; K=2" --bias --act relu --loss ce --samples 1 --seed 5)
          const m = family.measure(net, { seed, exact: isIntegral(net) });
          expect(m.p).toBe(family.parameters(net));
          expect(family.predict(net, m.r).p).toBe(m.p);
          expect(m.r).toBeLessThanOrEqual(family.dataRank(net));
        }),
        { numRuns: 30, seed: 4 },
      );
    });
  }
});

describe('one verdict', () => {
  it('holds exactly when the relation of its kind holds; DIFFERS otherwise', () => {
    const kinds = ['exact', 'upper-bound', 'lower-bound', 'estimate'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.nat(20), fc.nat(20), (kind, predicted, measured) => {
        const relation = { exact: measured === predicted, 'upper-bound': measured <= predicted, 'lower-bound': measured >= predicted, estimate: true }[kind];
        const v = verdict(kind, predicted, measured);
        expect(v.holds).toBe(relation);
        expect(v.text === 'DIFFERS').toBe(!relation);
      }),
    );
    expect(verdict('lower-bound', 3, 5).text).toBe('bound holds (2 below)');
  });
});

describe('the report commands take a CNN data rank from its family', () => {
  it('table --cnn "in=8x8; conv k=2 c=2 s=3; K=2" --data digits --samples 100: exit 0, r ≤ what the network reads', async () => {
    const { code, stdout, stderr } = await run('table', '--cnn', 'in=8x8; conv k=2 c=2 s=3; K=2', '--data', 'digits', '--samples', '100', '--format', 'json');
    expect(code, stderr).toBe(0);
    const [row] = (JSON.parse(stdout) as { rows: { r: number; genericR: number }[] }).rows;
    // stride 3 with kernel 2 reads 6 × 6 = 36 of the 64 pixels
    expect(row!.genericR).toBe(36);
    expect(row!.r).toBeLessThanOrEqual(36);
  });
});

describe('the CLI meets families only through the registry', () => {
  it('no module under src/cli reads a family flag (values.cnn, values.widths, …) itself', () => {
    const root = new URL('../../src/cli/', import.meta.url).pathname;
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const flag = new RegExp(`values(\\.|\\[['"])(${families.map((f) => f.flag).join('|')})\\b`);
    const offenders = files.flatMap((f) =>
      readFileSync(join(root, f), 'utf8')
        .split('\n')
        .map((line, i) => `${f}:${i + 1}: ${line.trim()}`)
        .filter((line) => flag.test(line)),
    );
    expect(offenders).toEqual([]);
  });
});
