/**
 * The progress line of one measurement: both families report their phases (building, eigenvalues or
 * ranks mod P, with the matrices' sizes) through MeasureOptions.progress, the callback changes no
 * rank, and the line is drawn only on a terminal: to a pipe measure and compare print exactly what
 * they print without it. measure --seeds keeps one line across the seeds (seed, count, time left),
 * and kronecker reports its phases the same way; on a pseudo-terminal (script(1)) both draw it.
 */
import { spawnSync } from 'node:child_process';
import { kroneckerStructure } from '../../src/kronecker/kroneckerStructure.js';
import { describe, expect, it } from 'vitest';
import { parseConvolutional } from '../../src/architecture/convolutional.js';
import { fullyConnected } from '../../src/architecture/fullyConnected.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { measure } from '../../src/numeric/measure.js';
import { ProgressLine } from '../../src/report/progressLine.js';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;

function terminal(isTTY: boolean, columns = 80) {
  const written: string[] = [];
  return { isTTY, columns, write: (text: string) => written.push(text), written };
}

describe('ProgressLine', () => {
  it('on a terminal: one line rewritten with \\r, the phases and the seconds, cleared at the end', () => {
    const stream = terminal(true);
    const line = new ProgressLine(stream);
    line.report('building H, H_O, H_F (p = 21)');
    line.report('eigenvalues of H and H_F (21×21)');
    line.finish();
    expect(stream.written).toHaveLength(3);
    expect(stream.written[1]).toMatch(/^\rbuilding H, H_O, H_F \(p = 21\)… eigenvalues of H and H_F \(21×21\)… \d+ s\x1b\[K$/);
    expect(stream.written[2]).toBe('\r\x1b[K');
    for (const text of stream.written) expect(text).not.toContain('\n');
  });

  it('keeps to the terminal width, dropping the oldest phases first', () => {
    const stream = terminal(true, 50);
    const line = new ProgressLine(stream);
    line.report('building H, H_O, H_F (p = 2300)');
    line.report('eigenvalues of H and H_F (2300×2300)');
    const last = stream.written[1]!.replace(/^\r|\x1b\[K$/g, '');
    expect(last.length).toBeLessThanOrEqual(49);
    expect(last).toMatch(/^eigenvalues of H and H_F \(2300×2300\)… \d+ s$/);
  });

  it('several measurements share one line: the label with its count and time left, the phases afresh', () => {
    const stream = terminal(true, 200);
    const line = new ProgressLine(stream);
    line.next('seed 5', 0, 3);
    line.report('eigenvalues of H and H_F (21×21)');
    line.next('seed 6', 1, 3);
    line.report('rank of H_O');
    line.finish();
    const shown = stream.written.map((t) => t.replace(/^\r|\x1b\[K$/g, ''));
    expect(shown[0]).toMatch(/^seed 5 \(1 of 3\): \d+ s$/);
    expect(shown[1]).toMatch(/^seed 5 \(1 of 3\): eigenvalues of H and H_F \(21×21\)… \d+ s$/);
    expect(shown[2]).toMatch(/^seed 6 \(2 of 3, ~\d+ s left\): \d+ s$/);
    // the phases of seed 5 are gone from seed 6's line
    expect(shown[3]).toMatch(/^seed 6 \(2 of 3, ~\d+ s left\): rank of H_O… \d+ s$/);
    expect(stream.written.at(-1)).toBe('\r\x1b[K');
  });

  it('not on a terminal: writes nothing', () => {
    const stream = terminal(false);
    const line = new ProgressLine(stream);
    line.report('building H');
    line.finish();
    expect(stream.written).toEqual([]);
  });
});

describe('both families report their phases, and the callback changes no rank', () => {
  const cases = [
    ['fully-connected, float64', () => fullyConnected({ widths: [4, 3, 3], samples: 6, activation: 'tanh' }), false, [/^building H, H_O, H_F \(p = 21\)$/, /^eigenvalues of H and H_F \(21×21\)$/, /^rank of H_O/]],
    ['fully-connected, exact', () => fullyConnected({ widths: [4, 3, 3], samples: 6 }), true, [/^mod \d+: rank of J \(18×21\)$/, /^mod \d+: rank of H_F \(21×21\)$/, /^mod \d+: rank of H \(21×21\)$/]],
    ['CNN, float64', () => parseConvolutional('in=6; conv k=2 c=2; K=2', { samples: 5, activation: 'relu' }), false, [/^building H, H_O, H_F \(p = \d+\)$/, /^eigenvalues of H and H_F/]],
    ['CNN, exact', () => parseConvolutional('in=6; conv k=2 c=2; K=2', { samples: 5 }), true, [/^mod \d+: rank of H_F/, /^mod \d+: rank of H /]],
  ] as const;
  it.each(cases)('%s', (_, make, exact, expected) => {
    const net = make();
    const phases: string[] = [];
    const run = (options: object) => ('widths' in net ? measure(net, { seed: 2, exact, ...options }) : measureConvolutional(net, { seed: 2, exact, ...options }));
    const withProgress = run({ progress: (phase: string) => phases.push(phase) });
    for (const pattern of expected) expect(phases.some((p) => pattern.test(p)), `${pattern} in ${JSON.stringify(phases)}`).toBe(true);
    expect(withProgress.ranks).toEqual(run({}).ranks);
  });
});

describe('kronecker reports its phases, and the callback changes no result', () => {
  it.each([
    ['fully-connected, linear (exact section)', () => fullyConnected({ widths: [4, 3, 3], samples: 6 }), [/^layer blocks of H \(seeds 0 and 1\)$/, /^exact Kronecker factors over Z\/PZ$/, /^layer 1 of 2 \(12×12\)/, /^layer 2 of 2 \(9×9\)/]],
    ['CNN', () => parseConvolutional('in=6; conv k=2 c=2; K=2', { samples: 5 }), [/^layer blocks of H/, /^layer 1 of 2 /, /^layer 2 of 2 /]],
  ] as const)('%s', (_, make, expected) => {
    const net = make();
    const phases: string[] = [];
    const withProgress = kroneckerStructure(net, { progress: (phase) => phases.push(phase) });
    for (const pattern of expected) expect(phases.some((p) => pattern.test(p)), `${pattern} in ${JSON.stringify(phases)}`).toBe(true);
    const without = kroneckerStructure(net);
    expect(withProgress.layers.map((l) => [l.blockRank.rank, l.outerProductRank.rank, l.decoupling.relativeError])).toEqual(without.layers.map((l) => [l.blockRank.rank, l.outerProductRank.rank, l.decoupling.relativeError]));
  });
});

const piped: string[][] = [
  ['measure', '--widths', '4,3,3', '--samples', '6'],
  ['compare', '--widths', '4,3,3', '--samples', '6'],
  ['measure', '--widths', '4,3,3', '--samples', '6', '--seeds', '0:2'],
  ['kronecker', '--widths', '4,3,3', '--samples', '6'],
];

it('to a pipe, measure, compare, measure --seeds and kronecker write nothing on stderr', () => {
  for (const args of piped) {
    const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    expect(result.status, args.join(' ')).toBe(0);
    expect(result.stderr, args.join(' ')).toBe('');
    expect(result.stdout, args.join(' ')).not.toContain('\r');
  }
});

// script(1) runs the command on a pseudo-terminal and copies what it writes (util-linux)
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasScript) console.log('script(1) not found: the on-a-terminal check of the progress line is skipped');

it.skipIf(!hasScript)('on a terminal, measure --seeds draws one line across the seeds and kronecker its phases, then clears it', () => {
  const onTerminal = (args: string[]) => {
    const command = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '200' } });
    expect(result.status, args.join(' ')).toBe(0);
    return result.stdout;
  };
  const seeds = onTerminal(['measure', '--widths', '4,3,3', '--samples', '6', '--seeds', '0:2']);
  for (const seed of [0, 1, 2]) expect(seeds).toMatch(new RegExp(`\\rseed ${seed} \\(${seed + 1} of 3[^)]*\\):`));
  // cleared before the table: the table starts on a fresh line
  expect(seeds).toMatch(/\r\x1b\[K4-3-3, N=6: p = 21/);
  const kronecker = onTerminal(['kronecker', '--widths', '4,3,3', '--samples', '6']);
  expect(kronecker).toMatch(/\rlayer blocks of H \(seeds 0 and 1\)…/);
  expect(kronecker).toMatch(/layer 2 of 2 \(9×9\): eigenvectors, nearest A⊗B…/);
  expect(kronecker).toMatch(/\r\x1b\[K4-3-3, N=6: layer-wise Kronecker structure/);
});
