/**
 * The progress line of one measurement: both families report their phases (building, eigenvalues or
 * ranks mod P, with the matrices' sizes) through MeasureOptions.progress, the callback changes no
 * rank, and the line is drawn only on a terminal: to a pipe measure and compare print exactly what
 * they print without it.
 */
import { spawnSync } from 'node:child_process';
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

it('to a pipe, measure and compare write nothing on stderr', () => {
  for (const command of ['measure', 'compare']) {
    const result = spawnSync(process.execPath, [bin, command, '--widths', '4,3,3', '--samples', '6'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toContain('\r');
  }
});
