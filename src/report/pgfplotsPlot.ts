/**
 * pgfplots for papers: a Figure as a tikzpicture fragment to \input (needs \usepackage{pgfplots}),
 * with the data inline as coordinates, colours defined inside the picture, measured ranks as marks
 * and predictions as lines. `pgfplotsDocument` wraps it into a cropped one-page document.
 */
import { croppedDocument, fragmentPackages } from './latexDocument.js';
import { palette, type Axis, type Figure, type Series } from './figure.js';

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

function axisOptions(name: 'x' | 'y', axis: Axis): string[] {
  const options = [`${name}label={${axis.label.latex}}`];
  if (axis.log) options.push(`${name}mode=log`, `log basis ${name}=10`);
  if (axis.ticks) options.push(`${name}tick={${axis.ticks.map(coordinate).join(',')}}`);
  return options;
}

function plotOptions(series: Series): string {
  const color = `hr${series.color}`;
  if (series.role === 'measured') return `only marks, mark=${markNames[series.mark ?? 'circle']}, mark size=1.8pt, color=${color}`;
  const dash = series.dash ? `, ${series.dash}` : '';
  return `${series.role === 'predicted' ? 'thick' : 'semithick'}, no marks, color=${color}${dash}`;
}

export function renderPgfplots(figure: Figure, options: { command?: string } = {}): string {
  const used = [...new Set(figure.series.map((s) => s.color))];
  const lines = [
    `% hessian-rank figure: ${figure.title}`,
    `% ${figure.note}`,
    ...(options.command ? [`% Regenerate: ${options.command}`] : []),
    '% Needs \\usepackage{pgfplots} (and amsmath for \\operatorname).',
    '\\begin{tikzpicture}',
    ...used.map((c) => `\\definecolor{hr${c}}{HTML}{${palette[c]}}`),
    '\\begin{axis}[',
    '  width=9cm, height=6.5cm,',
    ...[...axisOptions('x', figure.x), ...axisOptions('y', figure.y)].map((o) => `  ${o},`),
    '  grid=major, grid style={gray!20},',
    '  legend pos=outer north east, legend cell align=left, legend style={font=\\footnotesize, draw=none},',
    '  scaled ticks=false, tick label style={font=\\footnotesize},',
    ']',
  ];
  for (const series of figure.series) {
    const points = series.role === 'measured' ? series.points : [...series.points].sort((a, b) => a[0] - b[0]);
    lines.push(`\\addplot[${plotOptions(series)}] coordinates {${points.map(([x, y]) => `(${coordinate(x)},${coordinate(y)})`).join(' ')}};`);
    lines.push(`\\addlegendentry{${series.label.latex}}`);
  }
  lines.push('\\end{axis}', '\\end{tikzpicture}', '');
  return lines.join('\n');
}

/** The figure as a complete one-page document (for pdflatex and the PNGs of the docs). */
export function pgfplotsDocument(figure: Figure, options: { command?: string } = {}): string {
  return croppedDocument(renderPgfplots(figure, options), { packages: fragmentPackages.plot });
}
