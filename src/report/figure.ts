/**
 * A figure as plain data: axes (linear or log) and series of (x, y) points, built from a sweep's
 * records and rendered by the SVG and pgfplots writers alike.
 *
 *   sweepFigure           rank against the swept variable (N, M, L or c): measured ranks of H, H_O,
 *                         H_F as marks, the catalog's predictions as lines; optionally p (log y);
 *                         for a samples sweep the measured data rank r; for real data the
 *                         prediction at the generic r = min(N, d), which real data do not reach.
 *   parameterCountFigure  log-log rank against p with the guides rank = p and c·√p (c through the
 *                         measured rank of H at the largest p): the √p law of [SBH21, SHS23].
 */
import type { Quantity } from '../numeric/measure.js';
import type { RankRecord } from './rankRecord.js';
import { reportQuantities } from './subject.js';
import { variableLabels, type SweepSpec } from './sweep.js';

export interface Label {
  text: string;
  latex: string;
}

export type SeriesRole = 'measured' | 'predicted' | 'reference';

export interface Series {
  id: string;
  label: Label;
  role: SeriesRole;
  /** a key of `palette` */
  color: PaletteColor;
  /** marks of measured series (distinct per quantity, for black-and-white print) */
  mark?: 'circle' | 'square' | 'triangle' | 'diamond';
  dash?: 'dashed' | 'dotted';
  points: [number, number][];
}

export interface Axis {
  label: Label;
  log: boolean;
  /** explicit tick positions (e.g. every swept value), else automatic */
  ticks?: number[];
}

/** Where the legend goes (pgfplots and SVG alike): right of the axis (default), inside its top left corner, under it, or nowhere. */
export type LegendPlacement = 'outside' | 'inside' | 'below' | 'none';
export const legendPlacements: readonly LegendPlacement[] = ['outside', 'inside', 'below', 'none'];

/** How a figure is laid out in a paper (pgfplots): axis width in cm (height 0.72 × width) and legend placement. */
export interface FigureLayout {
  width?: number;
  legend?: LegendPlacement;
}

export interface Figure {
  layout?: FigureLayout;
  title: string;
  x: Axis;
  y: Axis;
  series: Series[];
  /** how the numbers were made, one line (seed, method, architecture) */
  note: string;
}

export const palette = {
  H: '1F4E9E',
  HO: 'C0392B',
  HF: '2E8B57',
  p: '555555',
  r: '7D3C98',
  guide: '888888',
} as const;
export type PaletteColor = keyof typeof palette;

const marks: Record<Quantity, Series['mark']> = { H: 'circle', HO: 'square', HF: 'triangle' };

export const quantityLabels: Record<Quantity, Label> = {
  H: { text: 'rank H', latex: '$\\operatorname{rank} H$' },
  HO: { text: 'rank H_O', latex: '$\\operatorname{rank} H_O$' },
  HF: { text: 'rank H_F', latex: '$\\operatorname{rank} H_F$' },
};

function predictedPoints(records: readonly RankRecord[], q: Quantity, x: (r: RankRecord) => number, generic = false): [number, number][] {
  const points: [number, number][] = [];
  for (const record of records) {
    const value = generic ? record.predictedGeneric?.[q] : record.predicted[q];
    if (value !== null && value !== undefined) points.push([x(record), value]);
  }
  return points;
}

function rankSeries(records: readonly RankRecord[], x: (r: RankRecord) => number): Series[] {
  const series: Series[] = [];
  for (const q of reportQuantities) {
    series.push({
      id: `${q}-measured`,
      label: { text: `${quantityLabels[q].text} measured`, latex: `${quantityLabels[q].latex} measured` },
      role: 'measured',
      color: q,
      mark: marks[q],
      points: records.flatMap((r): [number, number][] => (r.measured[q] === null ? [] : [[x(r), r.measured[q]]])),
    });
    const predicted = predictedPoints(records, q, x);
    if (predicted.length > 0) {
      const kinds = new Set(records.map((r) => r.kinds[q]).filter((k) => k !== null));
      const word = kinds.size === 1 && kinds.has('estimate') ? 'estimate' : 'predicted';
      series.push({
        id: `${q}-predicted`,
        label: { text: `${quantityLabels[q].text} ${word}`, latex: `${quantityLabels[q].latex} ${word}` },
        role: 'predicted',
        color: q,
        points: predicted,
      });
    }
  }
  return series;
}

function describeRun(spec: SweepSpec, records: readonly RankRecord[]): string {
  const methods = [...new Set(records.map((r) => r.method))].join('/');
  const arch = spec.base.cnn ?? spec.base.widths?.join('-') ?? '';
  return `base ${arch} (${spec.base.act}, ${spec.base.loss}${spec.base.bias ? ', bias' : ''}), ${spec.data} data, seed ${spec.seed}, ${methods || 'float64'}`;
}

/** The swept values as x ticks when there are few and none would overlap its neighbour, else automatic ticks. */
function readableTicks(values: readonly number[]): number[] | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  const range = sorted[sorted.length - 1]! - sorted[0]!;
  const closest = Math.min(...sorted.slice(1).map((v, i) => v - sorted[i]!));
  return sorted.length <= 12 && (sorted.length === 1 || closest >= range / 16) ? sorted : undefined;
}

function xValue(record: RankRecord): number {
  if (record.x === undefined) throw new Error('a sweep figure needs records with x (the swept value)');
  return record.x;
}

export function sweepFigure(spec: SweepSpec, records: readonly RankRecord[], options: { withParameters?: boolean } = {}): Figure {
  const label = variableLabels[spec.vary];
  const series = rankSeries(records, xValue);
  const realData = records.some((r) => r.predictedGeneric);
  if (realData) {
    const generic = predictedPoints(records, 'H', xValue, true);
    if (generic.length > 0) {
      series.push({
        id: 'H-predicted-generic',
        label: { text: 'rank H at r = min(N, d)', latex: '$\\operatorname{rank} H$ at $r = \\min(N, d)$' },
        role: 'reference',
        color: 'H',
        dash: 'dotted',
        points: generic,
      });
    }
  }
  if (spec.vary === 'samples') {
    series.push({
      id: 'r-measured',
      label: { text: 'data rank r', latex: 'data rank $r$' },
      role: 'measured',
      color: 'r',
      mark: 'diamond',
      points: records.map((r) => [xValue(r), r.r]),
    });
  }
  if (options.withParameters) {
    series.push({
      id: 'p',
      label: { text: 'parameters p', latex: 'parameters $p$' },
      role: 'reference',
      color: 'p',
      dash: 'dashed',
      points: records.map((r) => [xValue(r), r.p]),
    });
  }
  const logY = Boolean(options.withParameters);
  return {
    title: `Hessian rank against ${label.text}`,
    x: { label: { text: label.text, latex: label.latex }, log: false, ticks: readableTicks(spec.values) },
    y: { label: { text: logY ? 'rank, p' : 'rank', latex: logY ? 'rank, $p$' : 'rank' }, log: logY },
    series: logY ? positive(series) : series.filter((s) => s.points.length > 0),
    note: describeRun(spec, records),
  };
}

/** Log axes cannot show rank 0 (e.g. H_F of a one-layer network): such points are left out. */
function positive(series: Series[]): Series[] {
  return series.map((s) => ({ ...s, points: s.points.filter(([x, y]) => x > 0 && y > 0) })).filter((s) => s.points.length > 0);
}

/** c with c·√p through the measured rank of H at the largest p. */
export function squareRootGuideConstant(records: readonly RankRecord[]): number {
  const decided = records.filter((r) => r.measured.H !== null);
  if (decided.length === 0) return NaN;
  const last = decided.reduce((a, b) => (b.p > a.p ? b : a));
  return last.measured.H! / Math.sqrt(last.p);
}

export function parameterCountFigure(spec: SweepSpec, records: readonly RankRecord[]): Figure {
  const byP = [...records].sort((a, b) => a.p - b.p);
  const series = rankSeries(byP, (r) => r.p);
  if (byP.length > 0) {
    const c = squareRootGuideConstant(byP);
    const ps = [byP[0]!.p, byP[byP.length - 1]!.p];
    series.push(
      {
        id: 'sqrt-p',
        label: { text: `${c.toPrecision(3)}·√p`, latex: `$${c.toPrecision(3)}\\sqrt{p}$` },
        role: 'reference',
        color: 'guide',
        dash: 'dashed',
        points: ps.map((p) => [p, c * Math.sqrt(p)]),
      },
      {
        id: 'full-rank',
        label: { text: 'rank = p', latex: 'rank $= p$' },
        role: 'reference',
        color: 'p',
        dash: 'dotted',
        points: ps.map((p) => [p, p]),
      },
    );
  }
  const varied = variableLabels[spec.vary].text;
  return {
    title: `Hessian rank against the number of parameters p (${varied} varied)`,
    x: { label: { text: 'parameters p', latex: 'parameters $p$' }, log: true },
    y: { label: { text: 'rank', latex: 'rank' }, log: true },
    series: positive(series),
    note: describeRun(spec, records),
  };
}
