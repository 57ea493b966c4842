/**
 * pgfplots for papers: a Figure as a tikzpicture fragment to \input (needs \usepackage{pgfplots}),
 * with the data inline as coordinates, colours defined inside the picture, measured ranks as marks
 * and predictions as lines. `pgfplotsDocument` wraps it into a cropped one-page document.
 */
import { croppedDocument, fragmentPackages } from './latexDocument.js';
import { palette, type Axis, type Figure, type LegendPlacement, type Series } from './figure.js';
import { logTicks } from './svgPlot.js';

const markNames: Record<NonNullable<Series['mark']>, string> = {
  circle: '*',
  square: 'square*',
  triangle: 'triangle*',
  diamond: 'diamond*',
};

/** A number as pgfplots reads it: integers exactly, others to 6 significant digits. */
export function coordinate(value: number): string {
  return Number.isInteger(value) ? String(value) : Number(value.toPrecision(6)).toString();
}

function axisOptions(name: 'x' | 'y', axis: Axis, values: number[]): string[] {
  const options = [`${name}label={${axis.label.latex}}`];
  if (axis.log) options.push(`${name}mode=log`, `log basis ${name}=10`);
  if (axis.ticks) options.push(`${name}tick={${axis.ticks.map(coordinate).join(',')}}`);
  else if (axis.log && values.length > 0) {
    // 1-2-5 ticks over a short range, labelled 200 rather than 2·10^2
    const positive = values.filter((v) => v > 0);
    if (positive.length > 0) options.push(`${name}tick={${logTicks(Math.min(...positive), Math.max(...positive)).map(coordinate).join(',')}}`, `log ticks with fixed point`);
  }
  return options;
}

/**
 * The legend's axis options. `below`: under the x label (placed from the tick labels down by the
 * label's height, so the two never overlap), in as many columns as the axis width holds: three from
 * 10 cm, two below (an entry such as "rank H_O predicted" in \footnotesize takes about 3.4 cm).
 */
function legendOptions(placement: LegendPlacement, width: number): string {
  switch (placement) {
    case 'outside':
      return 'legend pos=outer north east,';
    case 'inside':
      return 'legend pos=north west,';
    case 'below':
      return `legend style={at={(xticklabel cs:0.5)}, anchor=north, yshift=-3.5ex}, legend columns=${width >= 10 ? 3 : 2},`;
    case 'none':
      return '';
  }
}

function plotOptions(series: Series): string {
  const color = `hr${series.color}`;
  if (series.role === 'measured') return `only marks, mark=${markNames[series.mark ?? 'circle']}, mark size=1.8pt, color=${color}`;
  const dash = series.dash ? `, ${series.dash}` : '';
  return `${series.role === 'predicted' ? 'thick' : 'semithick'}, no marks, color=${color}${dash}`;
}

export function renderPgfplots(figure: Figure, options: { command?: string } = {}): string {
  const width = figure.layout?.width ?? 9;
  const legend = figure.layout?.legend ?? 'outside';
  const used = [...new Set(figure.series.map((s) => s.color))];
  const lines = [
    `% hessian-rank figure: ${figure.title}`,
    `% ${figure.note}`,
    ...(options.command ? [`% Regenerate: ${options.command}`] : []),
    '% Needs \\usepackage{pgfplots} (and amsmath for \\operatorname).',
    '\\begin{tikzpicture}',
    ...used.map((c) => `\\definecolor{hr${c}}{HTML}{${palette[c]}}`),
    '\\begin{axis}[',
    `  width=${coordinate(width)}cm, height=${coordinate(Number((0.72 * width).toFixed(2)))}cm,`,
    ...[
      ...axisOptions('x', figure.x, figure.series.flatMap((s) => s.points.map((p) => p[0]))),
      ...axisOptions('y', figure.y, figure.series.flatMap((s) => s.points.map((p) => p[1]))),
    ].map((o) => `  ${o},`),
    '  grid=major, grid style={gray!20},',
    ...(legend === 'none' ? [] : [`  ${legendOptions(legend, width)} legend cell align=left, legend style={font=\\footnotesize, draw=none},`]),
    '  scaled ticks=false, tick label style={font=\\footnotesize},',
    ']',
  ];
  for (const series of figure.series) {
    const points = series.role === 'measured' ? series.points : [...series.points].sort((a, b) => a[0] - b[0]);
    lines.push(`\\addplot[${plotOptions(series)}] coordinates {${points.map(([x, y]) => `(${coordinate(x)},${coordinate(y)})`).join(' ')}};`);
    if (legend !== 'none') lines.push(`\\addlegendentry{${series.label.latex}}`);
  }
  lines.push('\\end{axis}', '\\end{tikzpicture}', '');
  return lines.join('\n');
}

/** The figure as a complete one-page document (for pdflatex and the PNGs of the docs). */
export function pgfplotsDocument(figure: Figure, options: { command?: string } = {}): string {
  return croppedDocument(renderPgfplots(figure, options), { packages: fragmentPackages.plot });
}
