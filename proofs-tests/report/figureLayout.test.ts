/**
 * Paper layout of figures: log axes over at most three decades get 1-2-5 ticks inside the data range
 * (more than the two powers of ten), wider ranges keep the powers of ten; the pgfplots axis takes the
 * requested width (height 0.72 × width) and legend placement.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderPgfplots } from '../../src/report/pgfplotsPlot.js';
import { logTicks } from '../../src/report/svgPlot.js';
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
    ['below', 'legend columns=3'],
    ['inside', 'legend pos=north west'],
  ] as const)('puts the legend %s', (legend, option) => {
    const tex = renderPgfplots({ ...figure, layout: { width: 7, legend } });
    expect(tex).toContain('width=7cm, height=5.04cm');
    expect(tex).toContain(option);
  });
  it('draws no legend with none', () => {
    expect(renderPgfplots({ ...figure, layout: { legend: 'none' } })).not.toContain('addlegendentry');
  });
});
