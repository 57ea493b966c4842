/**
 * SVG for the web: a Figure drawn as a self-contained SVG 1.1 document (no scripts, no external
 * fonts or styles). Linear axes get "nice" ticks (1, 2, 5 × 10^k), log axes one tick per decade.
 * Every data mark carries data-series, data-x and data-y attributes with the exact values, so the
 * picture can be checked against the numbers it shows. The legend goes where the figure's layout
 * says, as for pgfplots (plot --legend): right of the axis (default), inside its top left corner,
 * under it in up to three columns, or nowhere; the canvas grows or shrinks around the same axis.
 */
import { palette, type Axis, type Figure, type LegendPlacement, type Series } from './figure.js';

/** The axis box (pixels) and the margins around it; the right margin holds an outside legend. */
const plotSize = { width: 458, height: 338 };
const margin = { left: 72, right: 230, top: 44, bottom: 58 };
/** Without a legend on the right: room for the last x tick label. */
const narrowRight = 24;
const legendRow = 20;
/** Width of a legend entry: its 32-pixel sample and about 6.6 pixels a character at 12 px Helvetica. */
const entryWidth = (series: Series): number => 32 + 6.6 * [...series.label.text].length + 16;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Ticks 1, 2 or 5 × 10^k apart, about `count` of them, the first ≤ min and the last ≥ max. */
export function linearTicks(min: number, max: number, count = 6): number[] {
  if (min === max) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  // from the last tick at or below min to the first at or above max, so the data sit inside
  const first = Math.floor(min / step + 1e-9) * step;
  const last = Math.ceil(max / step - 1e-9) * step;
  for (let t = first; t <= last + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * Ticks of a log axis: the powers of ten around [min, max], and when that spans at most three
 * decades also 2 and 5 times them (1, 2, 5, 10, 20, 50, …) inside [min, max], so that a short range
 * gets more than two labels.
 */
export function logTicks(min: number, max: number): number[] {
  const from = Math.floor(Math.log10(min));
  const to = Math.ceil(Math.log10(max));
  const ticks: number[] = [];
  for (let k = from; k <= to; k++) {
    const power = 10 ** k;
    ticks.push(Number(power.toPrecision(12)));
    if (to - from <= 3 && k < to) for (const m of [2, 5]) if (m * power >= min && m * power <= max) ticks.push(Number((m * power).toPrecision(12)));
  }
  return ticks;
}

interface Scale {
  domain: [number, number];
  ticks: number[];
  map(value: number): number;
}

function scale(axis: Axis, values: number[], range: [number, number]): Scale {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  let ticks: number[];
  if (axis.log) {
    ticks = logTicks(lo, hi);
    lo = Math.min(lo, ticks[0]!);
    hi = Math.max(hi, ticks[ticks.length - 1]!);
    const [a, b] = [Math.log10(lo), Math.log10(hi)];
    return { domain: [lo, hi], ticks, map: (v) => range[0] + ((Math.log10(v) - a) / (b - a || 1)) * (range[1] - range[0]) };
  }
  if (axis.ticks) {
    ticks = axis.ticks;
    const pad = (hi - lo) * 0.04 || 1;
    lo -= pad;
    hi += pad;
  } else {
    lo = Math.min(lo, 0);
    ticks = linearTicks(lo, hi);
    lo = Math.min(lo, ticks[0]!);
    hi = Math.max(hi, ticks[ticks.length - 1]!);
  }
  return { domain: [lo, hi], ticks, map: (v) => range[0] + ((v - lo) / (hi - lo || 1)) * (range[1] - range[0]) };
}

function tickText(v: number): string {
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) {
    const k = Math.round(Math.log10(Math.abs(v)));
    if (Math.abs(v - 10 ** k) < 1e-9 * Math.abs(v)) return `10^${k}`;
    return v.toExponential(1);
  }
  return String(Number(v.toPrecision(6)));
}

function markShape(series: Series, x: number, y: number): string {
  const color = `#${palette[series.color]}`;
  const attrs = `fill="${color}" stroke="${color}"`;
  switch (series.mark) {
    case 'square':
      return `<rect x="${(x - 3.5).toFixed(2)}" y="${(y - 3.5).toFixed(2)}" width="7" height="7" ${attrs}`;
    case 'triangle':
      return `<polygon points="${x.toFixed(2)},${(y - 4.5).toFixed(2)} ${(x + 4.2).toFixed(2)},${(y + 3).toFixed(2)} ${(x - 4.2).toFixed(2)},${(y + 3).toFixed(2)}" ${attrs}`;
    case 'diamond':
      return `<polygon points="${x.toFixed(2)},${(y - 4.5).toFixed(2)} ${(x + 4.5).toFixed(2)},${y.toFixed(2)} ${x.toFixed(2)},${(y + 4.5).toFixed(2)} ${(x - 4.5).toFixed(2)},${y.toFixed(2)}" ${attrs}`;
    default:
      return `<circle cx="${x.toFixed(2)}" cy="${y.toFixed(2)}" r="3.5" ${attrs}`;
  }
}

const dashArray = { dashed: '7 4', dotted: '2 3' } as const;

/** Where the legend's entries go, and the canvas around the axis box. */
function legendLayout(figure: Figure, placement: LegendPlacement) {
  const entries = figure.series.length;
  const right = placement === 'outside' ? margin.right : narrowRight;
  const widest = Math.max(0, ...figure.series.map(entryWidth));
  // below: as many columns (at most three) as fit under the axis
  const columns = placement === 'below' ? Math.max(1, Math.min(3, entries, Math.floor(plotSize.width / Math.max(widest, 1)))) : 1;
  const rows = placement === 'below' ? Math.ceil(entries / columns) : entries;
  const below = placement === 'below' && entries > 0 ? rows * legendRow + 8 : 0;
  const width = margin.left + plotSize.width + right;
  const height = margin.top + plotSize.height + margin.bottom + below;
  const plot = { x0: margin.left, x1: margin.left + plotSize.width, y0: margin.top + plotSize.height, y1: margin.top };
  /** The top left corner of entry i (its sample starts there, vertically centred on y). */
  const at = (i: number): { x: number; y: number } => {
    switch (placement) {
      case 'inside':
        return { x: plot.x0 + 14, y: plot.y1 + 18 + i * legendRow };
      case 'below':
        return { x: plot.x0 + (i % columns) * (plotSize.width / columns), y: plot.y0 + margin.bottom - 6 + Math.floor(i / columns) * legendRow };
      default:
        return { x: plot.x1 + 16, y: plot.y1 + 8 + i * legendRow };
    }
  };
  return { width, height, plot, at, widest, rows };
}

export function renderSvg(figure: Figure): string {
  const placement = figure.layout?.legend ?? 'outside';
  const layout = legendLayout(figure, placement);
  const size = { width: layout.width, height: layout.height };
  const plot = layout.plot;
  const all = figure.series.flatMap((s) => s.points);
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(figure.title)}</title>`,
    `<desc>${escapeXml(figure.note)}</desc>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${(plot.x0 + plot.x1) / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(figure.title)}</text>`,
  ];
  if (all.length === 0) {
    out.push(`<text x="${size.width / 2}" y="${size.height / 2}" text-anchor="middle">no points yet</text>`, '</svg>', '');
    return out.join('\n');
  }
  const xs = scale(figure.x, all.map((p) => p[0]), [plot.x0, plot.x1]);
  const ys = scale(figure.y, all.map((p) => p[1]), [plot.y0, plot.y1]);
  // grid and ticks
  out.push('<g class="axes" stroke="#dddddd" stroke-width="1">');
  for (const t of xs.ticks) out.push(`<line x1="${xs.map(t).toFixed(2)}" y1="${plot.y0}" x2="${xs.map(t).toFixed(2)}" y2="${plot.y1}"/>`);
  for (const t of ys.ticks) out.push(`<line x1="${plot.x0}" y1="${ys.map(t).toFixed(2)}" x2="${plot.x1}" y2="${ys.map(t).toFixed(2)}"/>`);
  out.push('</g>');
  out.push(`<rect x="${plot.x0}" y="${plot.y1}" width="${plot.x1 - plot.x0}" height="${plot.y0 - plot.y1}" fill="none" stroke="black"/>`);
  out.push('<g class="tick-labels" fill="black">');
  for (const t of xs.ticks) out.push(`<text x="${xs.map(t).toFixed(2)}" y="${plot.y0 + 16}" text-anchor="middle">${escapeXml(tickText(t))}</text>`);
  for (const t of ys.ticks) out.push(`<text x="${plot.x0 - 6}" y="${(ys.map(t) + 4).toFixed(2)}" text-anchor="end">${escapeXml(tickText(t))}</text>`);
  out.push('</g>');
  out.push(`<text x="${(plot.x0 + plot.x1) / 2}" y="${plot.y0 + margin.bottom - 18}" text-anchor="middle">${escapeXml(figure.x.label.text)}</text>`);
  out.push(
    `<text x="18" y="${(plot.y0 + plot.y1) / 2}" text-anchor="middle" transform="rotate(-90 18 ${(plot.y0 + plot.y1) / 2})">${escapeXml(figure.y.label.text)}</text>`,
  );
  // series: lines first, marks on top
  const ordered = [...figure.series.filter((s) => s.role !== 'measured'), ...figure.series.filter((s) => s.role === 'measured')];
  for (const series of ordered) {
    const color = `#${palette[series.color]}`;
    out.push(`<g class="series" data-series="${escapeXml(series.id)}">`);
    if (series.role === 'measured') {
      for (const [x, y] of series.points) {
        out.push(`${markShape(series, xs.map(x), ys.map(y))} data-series="${escapeXml(series.id)}" data-x="${x}" data-y="${y}"/>`);
      }
    } else {
      const points = [...series.points].sort((a, b) => a[0] - b[0]).map(([x, y]) => `${xs.map(x).toFixed(2)},${ys.map(y).toFixed(2)}`);
      const dash = series.dash ? ` stroke-dasharray="${dashArray[series.dash]}"` : '';
      out.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="${series.role === 'predicted' ? 2 : 1.5}"${dash}/>`);
    }
    out.push('</g>');
  }
  // legend
  if (placement !== 'none') {
    out.push(`<g class="legend" data-placement="${placement}">`);
    if (placement === 'inside') {
      out.push(`<rect x="${plot.x0 + 6}" y="${plot.y1 + 6}" width="${layout.widest.toFixed(0)}" height="${layout.rows * legendRow + 4}" fill="white" fill-opacity="0.85" stroke="#bbbbbb"/>`);
    }
    figure.series.forEach((series, i) => {
      const { x: lx, y } = layout.at(i);
      const color = `#${palette[series.color]}`;
      if (series.role === 'measured') out.push(`${markShape(series, lx + 12, y)}/>`);
      else {
        const dash = series.dash ? ` stroke-dasharray="${dashArray[series.dash]}"` : '';
        out.push(`<line x1="${lx}" y1="${y}" x2="${lx + 24}" y2="${y}" stroke="${color}" stroke-width="2"${dash}/>`);
      }
      out.push(`<text x="${lx + 32}" y="${y + 4}">${escapeXml(series.label.text)}</text>`);
    });
    out.push('</g>');
  }
  out.push(`<text x="${plot.x0}" y="${size.height - 4}" font-size="10" fill="#555555">${escapeXml(figure.note)}</text>`);
  out.push('</svg>', '');
  return out.join('\n');
}
