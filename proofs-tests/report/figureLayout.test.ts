/**
 * Paper layout of figures: log axes over at most three decades get 1-2-5 ticks inside the data range
 * (more than the two powers of ten), wider ranges keep the powers of ten; the pgfplots axis takes the
 * requested width (height 0.72 × width) and legend placement; the SVG puts its legend in the same
 * places (right of the axis box, inside it, under it, nowhere), every entry on the canvas.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderPgfplots } from '../../src/report/pgfplotsPlot.js';
import { logTicks, renderSvg } from '../../src/report/svgPlot.js';
import type { Figure } from '../../src/report/figure.js';

const isPowerOfTen = (v: number) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-12;

describe('log ticks', () => {
  it('every tick is a power of ten or a 2·10^k, 5·10^k inside the range; short ranges get 2 and 5', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), fc.double({ min: 1.01, max: 1e5, noNaN: true }), (min, factor) => {
        const max = min * factor;
        const ticks = logTicks(min, max);
        for (const t of ticks) expect(isPowerOfTen(t) || (t >= min && t <= max)).toBe(true);
        const decades = Math.ceil(Math.log10(max)) - Math.floor(Math.log10(min));
        if (decades > 3) expect(ticks.every(isPowerOfTen)).toBe(true);
      }),
    );
    expect(logTicks(100, 1000)).toEqual([100, 200, 500, 1000]);
    expect(logTicks(150, 3000)).toEqual([100, 200, 500, 1000, 2000, 10000]);
  });
});

const figure: Figure = {
  title: 't',
  note: 'n',
  x: { label: { text: 'N', latex: '$N$' }, log: true },
  y: { label: { text: 'rank', latex: 'rank' }, log: false },
  series: [{ id: 'a', label: { text: 'a', latex: 'a' }, role: 'measured', color: 'H', mark: 'circle', points: [[120, 3], [900, 5]] }],
};

describe('pgfplots layout', () => {
  it('defaults to 9 cm with the legend outside, right of the axis', () => {
    const tex = renderPgfplots(figure);
    expect(tex).toContain('width=9cm, height=6.48cm');
    expect(tex).toContain('legend pos=outer north east');
    expect(tex).toContain('xtick={100,200,500,1000}');
  });
  it.each([
    ['below', 'legend columns=2'],
    ['inside', 'legend pos=north west'],
  ] as const)('puts the legend %s', (legend, option) => {
    const tex = renderPgfplots({ ...figure, layout: { width: 7, legend } });
    expect(tex).toContain('width=7cm, height=5.04cm');
    expect(tex).toContain(option);
  });
  it('below: under the x label (from the tick labels down), three columns from 10 cm on', () => {
    const tex = renderPgfplots({ ...figure, layout: { width: 12, legend: 'below' } });
    expect(tex).toContain('at={(xticklabel cs:0.5)}, anchor=north, yshift=-3.5ex');
    expect(tex).toContain('legend columns=3');
  });
  it('draws no legend with none', () => {
    expect(renderPgfplots({ ...figure, layout: { legend: 'none' } })).not.toContain('addlegendentry');
  });
});

/** The SVG's canvas, its axis box, and each legend entry's text position and label. */
function svgLayout(svg: string) {
  const canvas = /<svg [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
  const box = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="none" stroke="black"\/>/.exec(svg)!;
  const legend = /<g class="legend"[^>]*>([\s\S]*?)<\/g>/.exec(svg)?.[1] ?? '';
  const entries = [...legend.matchAll(/<text x="([\d.]+)" y="([\d.]+)">([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), label: m[3]! }));
  const [x0, y0, w, h] = box.slice(1, 5).map(Number) as [number, number, number, number];
  return { width: Number(canvas[1]), height: Number(canvas[2]), box: { x0, y0, x1: x0 + w, y1: y0 + h }, entries, hasLegend: legend !== '' };
}

describe('SVG legend placement (the same choices as pgfplots)', () => {
  const series = ['rank H measured', 'rank H predicted', 'rank H_O measured', 'rank H_O predicted', 'rank H_F measured', 'rank H_F predicted', 'parameters p'];
  const many: Figure = {
    ...figure,
    series: series.map((label, i) => ({ id: `s${i}`, label: { text: label, latex: label }, role: i % 2 === 0 ? 'measured' : 'predicted', color: 'H', mark: 'circle', points: [[120, 3 + i], [900, 5 + i]] })),
  };
  // about 6.6 pixels a character at 12 px Helvetica
  const right = (e: { x: number; label: string }) => e.x + 6.6 * e.label.length;

  it('outside (default): every entry right of the axis box, on the canvas', () => {
    const layout = svgLayout(renderSvg(many));
    expect(layout.entries.map((e) => e.label)).toEqual(series);
    for (const e of layout.entries) {
      expect(e.x).toBeGreaterThan(layout.box.x1);
      expect(right(e)).toBeLessThanOrEqual(layout.width);
    }
  });
  it('inside: every entry inside the axis box, and the canvas no wider than the box and its left margin plus 24 px', () => {
    const layout = svgLayout(renderSvg({ ...many, layout: { legend: 'inside' } }));
    expect(layout.entries).toHaveLength(series.length);
    for (const e of layout.entries) {
      expect(e.x).toBeGreaterThan(layout.box.x0);
      expect(right(e)).toBeLessThan(layout.box.x1);
      expect(e.y).toBeGreaterThan(layout.box.y0);
      expect(e.y).toBeLessThan(layout.box.y1);
    }
    expect(layout.width).toBe(layout.box.x1 + 24);
  });
  it('below: every entry under the axis box, within its width, above the canvas bottom; entries in columns', () => {
    const layout = svgLayout(renderSvg({ ...many, layout: { legend: 'below' } }));
    expect(layout.entries).toHaveLength(series.length);
    for (const e of layout.entries) {
      expect(e.y).toBeGreaterThan(layout.box.y1 + 20);
      expect(e.y).toBeLessThan(layout.height);
      expect(right(e)).toBeLessThanOrEqual(layout.box.x1 + 24);
    }
    expect(new Set(layout.entries.map((e) => e.x)).size).toBeGreaterThan(1);
    expect(layout.width).toBe(layout.box.x1 + 24);
  });
  it('none: no legend, and no room kept for one', () => {
    const layout = svgLayout(renderSvg({ ...many, layout: { legend: 'none' } }));
    expect(layout.hasLegend).toBe(false);
    expect(layout.width).toBe(layout.box.x1 + 24);
  });
});
