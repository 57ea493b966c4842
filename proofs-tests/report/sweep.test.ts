/**
 * Sweeps and figures.
 *   - each swept variable changes exactly what it names (N; every hidden width; the depth with the
 *     base's hidden width; every convolution's channels) and nothing else;
 *   - the SVG's marks and the pgfplots coordinates are the records' numbers, point for point;
 *   - the √p guide passes through the measured rank of H at the largest p, and for the width sweep
 *     of a deep linear network rank(H)/p falls while p grows (the √p law's rank deficiency);
 *   - real data: the digits data set has r < d, and the prediction at the measured r equals the
 *     measured ranks while the generic r = min(N, d) would overstate them;
 *   - the progress bar draws only on a TTY.
 */
import { describe, expect, it } from 'vitest';
import { measure } from '../../src/numeric/measure.js';
import { exactRanks, log2MatrixMinorBound, rankModPrime } from '../../src/linalg/index.js';
import { intoRing } from '../../src/numeric/matrix.js';
import { digitImages, loadDigits } from '../../src/report/digits.js';
import { parameterCountFigure, squareRootGuideConstant, sweepFigure } from '../../src/report/figure.js';
import { paperFigures } from '../../src/report/paperFigures.js';
import { renderPgfplots } from '../../src/report/pgfplotsPlot.js';
import { ProgressBar } from '../../src/report/progressBar.js';
import { renderSvg } from '../../src/report/svgPlot.js';
import { parseValues, runSweep, sweepSubject, sweepSubjects, type SweepSpec } from '../../src/report/sweep.js';
import { InputError } from '../../src/errors.js';
import { fullyConnected } from '../../src/architecture/fullyConnected.js';

const linear = { bias: false, act: 'linear', loss: 'mse' } as const;
const spec = (over: Partial<SweepSpec>): SweepSpec => ({
  vary: 'width',
  values: [2, 3],
  base: { widths: [5, 4, 4, 3], samples: 9, ...linear },
  data: 'gaussian',
  seed: 0,
  exact: false,
  ...over,
});

describe('a sweep varies exactly its variable', () => {
  it('samples: N = value, widths unchanged', () => {
    const s = spec({ vary: 'samples', values: [1, 7] });
    expect(sweepSubjects(s).map((x) => [x.samples, x.architecture.widths])).toEqual([
      [1, [5, 4, 4, 3]],
      [7, [5, 4, 4, 3]],
    ]);
  });
  it('width: every hidden width = value, d, K and N unchanged', () => {
    expect(sweepSubject(spec({}), 6).architecture).toMatchObject({ widths: [5, 6, 6, 3], samples: 9 });
  });
  it('depth: L − 1 hidden layers of the base\'s first hidden width', () => {
    const s = spec({ vary: 'depth', base: { widths: [5, 4, 3], samples: 9, ...linear } });
    expect([1, 2, 4].map((L) => sweepSubject(s, L).architecture.widths)).toEqual([[5, 3], [5, 4, 3], [5, 4, 4, 4, 3]]);
    expect([1, 2, 4].map((L) => sweepSubject(s, L).depth)).toEqual([1, 2, 4]);
  });
  it('channels: every convolution of a CNN gets c = value', () => {
    const s = spec({ vary: 'channels', base: { cnn: 'in=9; conv k=3 c=1; conv k=2 c=1; K=2', samples: 5, ...linear } });
    expect(sweepSubject(s, 4).architecture.cnn).toBe('in=9; conv k=3 c=4; conv k=2 c=4; K=2');
  });
  it('impossible sweeps are input errors: width without hidden layer, channels of a dense network', () => {
    expect(() => sweepSubject(spec({ base: { widths: [5, 3], ...linear } }), 2)).toThrow(InputError);
    expect(() => sweepSubject(spec({ vary: 'channels' }), 2)).toThrow(InputError);
    expect(() => sweepSubject(spec({ vary: 'depth', base: { cnn: 'in=9; conv k=3 c=1; K=2', ...linear } }), 2)).toThrow(InputError);
  });
  it('--values: lists and inclusive ranges; malformed ones are input errors', () => {
    expect(parseValues('2,4,8')).toEqual([2, 4, 8]);
    expect(parseValues('2:10:4')).toEqual([2, 6, 10]);
    expect(parseValues('3:5')).toEqual([3, 4, 5]);
    for (const bad of ['', '5:1', '0,1', '2,2', 'a', '1.5', '1:9:0']) expect(() => parseValues(bad), bad).toThrow(InputError);
  });
  it('every paper figure names a valid sweep', () => {
    for (const f of paperFigures) expect(sweepSubjects(f.spec)).toHaveLength(f.spec.values.length);
  });
});

describe('figures show the records\' numbers', () => {
  const s = spec({ values: [3, 5, 8, 12] });
  const records = runSweep(s);

  it('SVG: one mark per record and quantity, carrying its exact x and measured rank', () => {
    const svg = renderSvg(sweepFigure(s, records));
    for (const q of ['H', 'HO', 'HF'] as const) {
      const marks = [...svg.matchAll(new RegExp(`data-series="${q}-measured" data-x="([^"]+)" data-y="([^"]+)"`, 'g'))].map((m) => [Number(m[1]), Number(m[2])]);
      expect(marks).toEqual(records.map((r) => [r.x, r.measured[q]]));
    }
    // well formed: every opened element is closed
    const opened = [...svg.matchAll(/<(\w+)[^>]*?(\/?)>/g)].filter((m) => m[2] !== '/' && !m[0].startsWith('<?')).map((m) => m[1]);
    const closed = [...svg.matchAll(/<\/(\w+)>/g)].map((m) => m[1]);
    expect(closed.sort()).toEqual(opened.sort());
  });

  it('pgfplots: coordinates of measured and predicted series are the records\' values', () => {
    const tex = renderPgfplots(sweepFigure(s, records, { withParameters: true }));
    const plots = [...tex.matchAll(/\\addplot\[[^\]]*\] coordinates \{([^}]*)\};\n\\addlegendentry\{([^\n]*)\}/g)].map((m) => ({
      legend: m[2]!,
      points: [...m[1]!.matchAll(/\(([^,]+),([^)]+)\)/g)].map((p) => [Number(p[1]), Number(p[2])]),
    }));
    const find = (legend: string) => plots.find((p) => p.legend === legend)!.points;
    expect(find('$\\operatorname{rank} H$ measured')).toEqual(records.map((r) => [r.x, r.measured.H]));
    expect(find('$\\operatorname{rank} H_F$ predicted')).toEqual(records.map((r) => [r.x, r.predicted.HF]));
    expect(find('parameters $p$')).toEqual(records.map((r) => [r.x, r.p]));
    expect(tex).toContain('ymode=log');
  });

  it('rank against p: log-log, the √p guide through the largest measured point, rank(H)/p falling', () => {
    const figure = parameterCountFigure(s, records);
    expect(figure.x.log && figure.y.log).toBe(true);
    const last = records[records.length - 1]!;
    const guide = figure.series.find((x) => x.id === 'sqrt-p')!;
    const [pEnd, yEnd] = guide.points[guide.points.length - 1]!;
    expect(pEnd).toBe(last.p);
    expect(yEnd).toBeCloseTo(last.measured.H, 9);
    expect(squareRootGuideConstant(records)).toBeCloseTo(last.measured.H / Math.sqrt(last.p), 12);
    const fractions = records.map((r) => r.measured.H / r.p);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeLessThan(fractions[i - 1]!);
  });
});

describe('real data: the digits data set', () => {
  it('has 1797 images of 64 pixels, pixels 0, 32 and 39 always 0, so r = 61 < d = 64 (exact rank, certain: it reaches the bound 61 the zero rows give)', () => {
    const { images } = loadDigits();
    expect([images.rows, images.cols]).toEqual([64, 1797]);
    for (const pixel of [0, 32, 39]) expect(images.data.subarray(pixel * 1797, (pixel + 1) * 1797).every((v) => v === 0)).toBe(true);
    const { X } = exactRanks({ X: { log2H: log2MatrixMinorBound(images, 61), upperBound: 61 } }, 0, (field) => ({ X: rankModPrime(intoRing(images, field), field) }));
    expect(X).toMatchObject({ rank: 61, wrongAtMost: 0 });
  });

  it('N = 100 images: measured r = 53 < min(N, d); the formulas at r = 53 match the measurement, at min(N, d) = 64 they do not', () => {
    const s = spec({ vary: 'samples', values: [100], base: { widths: [64, 3, 4], ...linear }, data: 'digits', exact: true });
    const [record] = runSweep(s);
    expect(record!.r).toBe(53);
    const net = fullyConnected({ widths: [64, 3, 4], samples: 100 });
    expect(record!.measured).toEqual(measure(net, { seed: 0, exact: true, inputs: digitImages(100) }).ranks);
    expect(record!.predicted.HO).toBe(record!.measured.HO);
    expect(record!.predicted.HF).toBe(record!.measured.HF);
    expect(record!.genericR).toBe(64);
    expect(record!.predictedGeneric!.HO).toBeGreaterThan(record!.measured.HO);
  });

  it('a network whose d is not 64 cannot take the digits: one input error', () => {
    const s = spec({ vary: 'samples', values: [10], data: 'digits' });
    expect(() => runSweep(s)).toThrow(InputError);
  });
});

describe('progress bar', () => {
  const sink = (isTTY: boolean) => {
    const writes: string[] = [];
    return { stream: { isTTY, columns: 80, write: (t: string) => writes.push(t) }, writes };
  };
  it('draws on a TTY, within the terminal width, and clears its line at the end', () => {
    const { stream, writes } = sink(true);
    const bar = new ProgressBar(stream, 4);
    bar.update(2, 'M = 8, p = 120');
    bar.finish();
    expect(writes[0]).toMatch(/^\r\[#{10}\.{10}\] 2\/4 {2}M = 8, p = 120/);
    expect(writes[0]!.replace('\x1b[K', '').length).toBeLessThanOrEqual(80);
    expect(writes[writes.length - 1]).toBe('\r\x1b[K');
  });
  it('writes nothing when the stream is not a TTY (pipes, CI logs)', () => {
    const { stream, writes } = sink(false);
    const bar = new ProgressBar(stream, 4);
    bar.update(1, 'x');
    bar.finish();
    expect(writes).toEqual([]);
  });
});
