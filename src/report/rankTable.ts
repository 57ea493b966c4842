/**
 * The rank table: for each architecture, predicted (catalog) next to measured ranks of H, H_O and
 * H_F, with N, r = rank Σ_xx, p and rank(H)/p, rendered as a LaTeX booktabs tabular, Markdown, CSV
 * or JSON.
 *
 * A predicted cell shows the formula's kind: "≤ v" an upper bound, "≥ v" a lower bound, "≈ v" an
 * estimate (the linear formula for a relu/tanh network), "v" exact, "—" no formula. A measured cell
 * that contradicts an exact formula or a bound is set in bold (Markdown **v**, CSV/JSON: agreement
 * "differs"), so a table never hides a refutation.
 */
import type { FormulaKind } from '../catalog/catalog.js';
import type { Quantity } from '../numeric/measure.js';
import { croppedDocument, escapeText, fragmentPackages } from './latexDocument.js';
import { agreement, rankFraction, type RankRecord } from './rankRecord.js';
import { reportQuantities } from './subject.js';

export type TableFormat = 'latex' | 'markdown' | 'csv' | 'json' | 'text';
export const tableFormats: readonly TableFormat[] = ['latex', 'markdown', 'csv', 'json', 'text'];

const quantityLatex: Record<Quantity, string> = { H: 'H', HO: 'H_O', HF: 'H_F' };

const kindPrefix: Record<FormulaKind, { text: string; latex: string }> = {
  exact: { text: '', latex: '' },
  'upper-bound': { text: '≤ ', latex: '$\\le$\\,' },
  'lower-bound': { text: '≥ ', latex: '$\\ge$\\,' },
  estimate: { text: '≈ ', latex: '$\\approx$\\,' },
};

/** rank(H)/p to three significant digits. */
export function formatFraction(x: number): string {
  return x === 0 ? '0' : x.toPrecision(3);
}

function predictedText(record: RankRecord, q: Quantity, style: 'text' | 'latex'): string {
  const value = record.predicted[q];
  const kind = record.kinds[q];
  if (value === null || kind === null) return style === 'latex' ? '---' : '—';
  return kindPrefix[kind][style] + String(value);
}

function hasRealData(records: readonly RankRecord[]): boolean {
  return records.some((r) => r.data !== 'gaussian');
}

/** What the symbols mean and how the ranks were measured: two sentences, as text or LaTeX. */
export function tableNote(records: readonly RankRecord[], style: 'text' | 'latex' = 'text'): string[] {
  if (records.every((r) => r.method === 'predicted')) {
    return style === 'latex'
      ? ['Predicted only (nothing measured), at the generic data rank $r$: $\\le$ upper bound, $\\approx$ estimate, --- no formula.']
      : ['Predicted only (nothing measured), at the generic data rank r: ≤ upper bound, ≈ estimate, — no formula.'];
  }
  const methods = [...new Set(records.map((r) => r.method))];
  const seeds = [...new Set(records.map((r) => r.seed))].join(', ');
  const targets = [...new Set(records.flatMap((r) => (r.targets !== undefined ? [r.targets] : [])))].join(', ');
  const given = targets === '' ? '' : `, targets ${targets}`;
  if (style === 'latex') {
    const how = methods.map((m) => (m === 'exact' ? 'exactly over $\\mathbf{Z}/P\\mathbf{Z}$ (two primes)' : 'in float64 at $\\tau = \\sigma_{\\max}\\, p\\, \\varepsilon$')).join(' and ');
    return [
      'Predicted at the measured $r$: $\\le$ upper bound, $\\approx$ estimate, --- no formula; bold: the measurement contradicts the formula.',
      `Measured ${how}, seed ${seeds}${escapeText(given)}.`,
    ];
  }
  const how = methods.map((m) => (m === 'exact' ? 'exactly over Z/PZ (two primes)' : 'in float64 at τ = σ_max·p·ε')).join(' and ');
  return [
    'Predicted at the measured r: ≤ upper bound, ≈ estimate, — no formula; **bold**: the measurement contradicts the formula.',
    `Measured ${how}, seed ${seeds}${given}.`,
  ];
}

interface Column {
  header: string;
  latexHeader: string;
  align: 'l' | 'r';
  cell(record: RankRecord, style: 'text' | 'latex'): string;
}

function columns(records: readonly RankRecord[]): Column[] {
  const cols: Column[] = [
    { header: 'architecture', latexHeader: 'architecture', align: 'l', cell: (r, s) => (s === 'latex' ? escapeText(r.label) : r.label) },
  ];
  if (hasRealData(records)) {
    cols.push({ header: 'data', latexHeader: 'data', align: 'l', cell: (r) => r.data });
  }
  cols.push(
    { header: 'N', latexHeader: '$N$', align: 'r', cell: (r) => String(r.N) },
    { header: 'r', latexHeader: '$r$', align: 'r', cell: (r) => String(r.r) },
    { header: 'p', latexHeader: '$p$', align: 'r', cell: (r) => String(r.p) },
  );
  if (records.every((r) => r.method === 'predicted')) {
    // prediction only: each part's predicted rank and rank/p
    for (const q of reportQuantities) {
      cols.push(
        { header: `${q === 'H' ? 'H' : quantityLatex[q]} predicted`, latexHeader: 'pred.', align: 'r', cell: (r, s) => predictedText(r, q, s) },
        { header: `${q === 'H' ? 'H' : quantityLatex[q]} rank/p`, latexHeader: '$/p$', align: 'r', cell: (r) => (r.predicted[q] === null ? '—' : formatFraction(r.predicted[q]! / r.p)) },
      );
    }
    return cols;
  }
  for (const q of reportQuantities) {
    cols.push(
      { header: `${q === 'H' ? 'H' : quantityLatex[q]} predicted`, latexHeader: 'pred.', align: 'r', cell: (r, s) => predictedText(r, q, s) },
      {
        header: `${q === 'H' ? 'H' : quantityLatex[q]} measured`,
        latexHeader: 'meas.',
        align: 'r',
        cell: (r, s) => {
          const v = r.measured[q] === null ? 'undetermined' : String(r.measured[q]);
          if (agreement(r, q) !== 'differs') return v;
          return s === 'latex' ? `\\textbf{${v}}` : `**${v}**`;
        },
      },
    );
  }
  cols.push({ header: 'rank(H)/p', latexHeader: '$\\operatorname{rank} H / p$', align: 'r', cell: (r) => formatFraction(rankFraction(r)) });
  return cols;
}

export function rankTableLatex(records: readonly RankRecord[], options: { command?: string } = {}): string {
  const cols = columns(records);
  const first = cols.findIndex((c) => c.latexHeader === 'pred.') + 1;
  const groups = reportQuantities.map((q, i) => ({ q, from: first + 2 * i, to: first + 2 * i + 1 }));
  const lead = first - 1;
  const row = (cells: string[]): string => cells.join(' & ') + ' \\\\';
  const lines = [
    '% hessian-rank table: predicted (catalog) against measured Hessian ranks.',
    ...(options.command ? [`% Regenerate: ${options.command}`] : []),
    ...tableNote(records).map((line) => `% ${line}`),
    '% Needs \\usepackage{booktabs,amsmath}.',
    `\\begin{tabular}{@{}${cols.map((c) => c.align).join('')}@{}}`,
    '\\toprule',
    row([
      ...Array.from({ length: lead }, () => ''),
      ...groups.map((g) => `\\multicolumn{2}{c}{$\\operatorname{rank} ${quantityLatex[g.q]}$}`),
      ...Array.from({ length: cols.length - lead - 2 * groups.length }, () => ''),
    ]),
    groups.map((g) => `\\cmidrule(lr){${g.from}-${g.to}}`).join(''),
    row(cols.map((c) => c.latexHeader)),
    '\\midrule',
    ...records.map((r) => row(cols.map((c) => c.cell(r, 'latex')))),
    '\\bottomrule',
    '\\end{tabular}',
    '',
  ];
  return lines.join('\n');
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function rankTableMarkdown(records: readonly RankRecord[]): string {
  const cols = columns(records);
  const lines = [
    `| ${cols.map((c) => c.header).join(' | ')} |`,
    `|${cols.map((c) => (c.align === 'r' ? '---:' : ':---')).join('|')}|`,
    ...records.map((r) => `| ${cols.map((c) => markdownCell(c.cell(r, 'text'))).join(' | ')} |`),
    '',
    ...tableNote(records),
    '',
  ];
  return lines.join('\n');
}

/** RFC 4180 quoting. */
function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvHeader = [
  'architecture', 'family', 'data', 'x', 'N', 'd', 'K', 'L', 'r', 'p',
  ...reportQuantities.flatMap((q) => [`${q}_predicted`, `${q}_kind`, `${q}_measured`, `${q}_agreement`]),
  'rank_over_p', 'method', 'seed', 'seconds',
];

export function rankTableCsv(records: readonly RankRecord[]): string {
  const lines = [csvHeader.join(',')];
  for (const r of records) {
    const fields: (string | number | null | undefined)[] = [
      r.label, r.family, r.data, r.x, r.N, r.d, r.K, r.L, r.r, r.p,
      ...reportQuantities.flatMap((q) => [r.predicted[q], r.kinds[q], r.measured[q], agreement(r, q)]),
      rankFraction(r), r.method, r.seed, r.seconds.toFixed(3),
    ];
    lines.push(fields.map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

/** JSON: { rows: [record + agreement + rankOverP] }. */
export function rankTableJson(records: readonly RankRecord[]): string {
  const rows = records.map((r) => ({
    ...r,
    agreement: Object.fromEntries(reportQuantities.map((q) => [q, agreement(r, q)])),
    rankOverP: rankFraction(r),
  }));
  return JSON.stringify({ rows }, null, 2) + '\n';
}

/** Plain aligned text for the terminal. */
export function rankTableText(records: readonly RankRecord[]): string {
  const cols = columns(records);
  const cells = [cols.map((c) => c.header), ...records.map((r) => cols.map((c) => c.cell(r, 'text')))];
  const widths = cols.map((_, j) => Math.max(...cells.map((row) => [...row[j]!].length)));
  const pad = (text: string, j: number): string => {
    const gap = ' '.repeat(widths[j]! - [...text].length);
    return cols[j]!.align === 'l' ? text + gap : gap + text;
  };
  return [...cells.map((row) => row.map(pad).join('  ').trimEnd()), ...tableNote(records), ''].join('\n');
}

/** A complete document: the tabular with its notes below, cropped to size. */
export function rankTableDocument(records: readonly RankRecord[], options: { command?: string } = {}): string {
  const body = [
    '\\begin{tabular}{@{}l@{}}',
    rankTableLatex(records, options).trimEnd() + '\\\\[3pt]',
    ...tableNote(records, 'latex').map((line) => `\\footnotesize ${line}\\\\`),
    '\\end{tabular}',
  ].join('\n');
  return croppedDocument(body, { packages: fragmentPackages.table });
}

export function renderRankTable(records: readonly RankRecord[], format: TableFormat, options: { command?: string } = {}): string {
  switch (format) {
    case 'latex':
      return rankTableLatex(records, options);
    case 'markdown':
      return rankTableMarkdown(records);
    case 'csv':
      return rankTableCsv(records);
    case 'json':
      return rankTableJson(records);
    case 'text':
      return rankTableText(records);
  }
}
