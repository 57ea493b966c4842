/**
 * The rank table: for each architecture, predicted (catalog) next to measured ranks of H, H_O and
 * H_F, with N, r = rank Σ_xx, p and rank(H)/p, rendered as a LaTeX booktabs tabular, Markdown, CSV
 * or JSON; or the columns a user chooses by name (table --columns, `tableColumns`).
 *
 * A predicted cell shows the formula's kind: "≤ v" an upper bound, "≥ v" a lower bound, "≈ v" an
 * estimate (the linear formula for a relu/tanh network), "v" exact, "—" no formula. A measured cell
 * that contradicts an exact formula or a bound is set in bold (Markdown **v**, CSV/JSON: agreement
 * "differs"), so a table never hides a refutation.
 */
import type { FormulaKind } from '../catalog/catalog.js';
import type { Quantity } from '../numeric/measure.js';
import { InputError } from '../errors.js';
import { verdict, type Verdict, type VerdictStatus } from '../family/verdict.js';
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

/** rank(H)/p to three significant digits ("—" when rank(H) is undetermined). */
export function formatFraction(x: number, style: 'text' | 'latex' = 'text'): string {
  if (Number.isNaN(x)) return style === 'latex' ? '---' : '—';
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
    const how = methods.map((m) => (m === 'exact' ? 'exactly over $\\mathbf{Z}/P\\mathbf{Z}$ (primes drawn so that each rank is wrong with probability $\\le 10^{-9}$)' : 'in float64 at $\\tau = \\sigma_{\\max}\\, p\\, \\varepsilon$')).join(' and ');
    return [
      'Predicted at the measured $r$: $\\le$ upper bound, $\\approx$ estimate, --- no formula; bold: the measurement contradicts the formula.',
      `Measured ${how}, seed ${seeds}${escapeText(given)}.`,
    ];
  }
  const how = methods.map((m) => (m === 'exact' ? 'exactly over Z/PZ (primes drawn so that each rank is wrong with probability ≤ 1e-9)' : 'in float64 at τ = σ_max·p·ε')).join(' and ');
  return [
    'Predicted at the measured r: ≤ upper bound, ≈ estimate, — no formula; **bold**: the measurement contradicts the formula.',
    `Measured ${how}, seed ${seeds}${given}.`,
  ];
}

/**
 * A column of the table: its name (for --columns, and the key in CSV/JSON of a chosen selection),
 * its headers, its cell as text or LaTeX, and its raw value. Columns of one part (H, H_O, H_F) carry
 * the part and their role, so that LaTeX can head neighbours together: a run of one part's columns
 * under "rank H" (pred. | meas.), a run of one role's columns under "measured rank" (H | H_O | H_F).
 */
export interface TableColumn {
  name: string;
  header: string;
  /** the LaTeX header of a column heading itself */
  latexHeader: string;
  align: 'l' | 'r';
  part?: { quantity: Quantity; role: PartRole };
  cell(record: RankRecord, style: 'text' | 'latex'): string;
  value(record: RankRecord): string | number | null;
}

type PartRole = 'predicted' | 'measured' | 'predicted/p' | 'kind' | 'verdict';

/** How each role heads a run of one part's columns (sub) and a run of one role's columns (title). */
const roleHeaders: Record<PartRole, { sub: string; title: string; alone: (q: string) => string }> = {
  predicted: { sub: 'pred.', title: 'predicted rank', alone: (q) => `pred.\\ $\\operatorname{rank} ${q}$` },
  measured: { sub: 'meas.', title: 'measured rank', alone: (q) => `$\\operatorname{rank} ${q}$` },
  'predicted/p': { sub: '$/p$', title: 'predicted rank$/p$', alone: (q) => `pred.\\ $\\operatorname{rank} ${q}/p$` },
  kind: { sub: 'kind', title: 'formula kind', alone: (q) => `kind $${q}$` },
  verdict: { sub: 'verdict', title: 'verdict', alone: (q) => `verdict $${q}$` },
};

/** One part's verdict, as compare gives it (src/family/verdict.ts); "not measured" for a predicted-only row. */
export function partVerdict(record: RankRecord, q: Quantity): Verdict | { status: 'not measured'; holds: true; text: string } {
  if (record.method === 'predicted') return { status: 'not measured', holds: true, text: 'not measured' };
  return verdict(record.kinds[q], record.predicted[q], record.measured[q]);
}

/** From worst to best, with the word a row's verdict uses: a row's verdict is the worst of its parts'. */
const rowWords: [VerdictStatus | 'not measured', string][] = [
  ['differs', 'DIFFERS'],
  ['undetermined', 'undetermined'],
  ['not measured', 'not measured'],
  ['none', 'no formula'],
  ['off', 'estimate off'],
  ['holds', 'bound holds'],
  ['equal', 'equal'],
];

/** The row's verdict: its worst part's, naming those parts unless all three share it, e.g. "DIFFERS (H_F)". */
export function rowVerdict(record: RankRecord, style: 'text' | 'latex' = 'text'): string {
  const statuses = reportQuantities.map((q) => partVerdict(record, q).status);
  const [worst, word] = rowWords.find(([status]) => statuses.includes(status))!;
  const parts = reportQuantities.filter((_, i) => statuses[i] === worst);
  if (parts.length === reportQuantities.length || worst === 'equal') return word;
  return `${word} (${parts.map((q) => (style === 'latex' ? `$${quantityLatex[q]}$` : quantityLatex[q])).join(', ')})`;
}

/** A verdict cell: a contradiction in bold (a table never hides a refutation); "−" in LaTeX math. */
function verdictCell(text: string, style: 'text' | 'latex'): string {
  // U+2212 (−), escaped: the CLI's bundle stays ASCII, which reads faster (src/cli/bundle.ts)
  const shown = style === 'latex' ? text.replace(/\u2212/g, '$-$') : text;
  if (!text.startsWith('DIFFERS')) return shown;
  return style === 'latex' ? `\\textbf{${shown}}` : `**${shown}**`;
}

function measuredCell(record: RankRecord, q: Quantity, style: 'text' | 'latex'): string {
  if (record.method === 'predicted') return style === 'latex' ? '---' : '—';
  const v = record.measured[q] === null ? 'undetermined' : String(record.measured[q]);
  if (agreement(record, q) !== 'differs') return v;
  return style === 'latex' ? `\\textbf{${v}}` : `**${v}**`;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function plain(name: string, header: string, latexHeader: string, align: 'l' | 'r', value: (r: RankRecord) => string | number | null | undefined): TableColumn {
  const text = (r: RankRecord): string => {
    const v = value(r);
    return v === null || v === undefined ? '' : String(v);
  };
  return { name, header, latexHeader, align, cell: (r, s) => (s === 'latex' ? escapeText(text(r)) : text(r)), value: (r) => value(r) ?? null };
}

/** Every column a table can show, by name (table --columns). */
export const tableColumns: readonly TableColumn[] = [
  plain('arch', 'architecture', 'architecture', 'l', (r) => r.label),
  plain('family', 'family', 'family', 'l', (r) => r.family),
  plain('data', 'data', 'data', 'l', (r) => r.data),
  plain('targets', 'targets', 'targets', 'l', (r) => r.targets ?? 'drawn'),
  plain('x', 'x', '$x$', 'r', (r) => r.x),
  plain('N', 'N', '$N$', 'r', (r) => r.N),
  plain('d', 'd', '$d$', 'r', (r) => r.d),
  plain('K', 'K', '$K$', 'r', (r) => r.K),
  plain('L', 'L', '$L$', 'r', (r) => r.L),
  plain('r', 'r', '$r$', 'r', (r) => r.r),
  plain('p', 'p', '$p$', 'r', (r) => r.p),
  ...reportQuantities.flatMap((q): TableColumn[] => {
    const Q = quantityLatex[q];
    return [
      { name: `${q}-pred`, header: `${Q} predicted`, latexHeader: roleHeaders.predicted.alone(Q), align: 'r', part: { quantity: q, role: 'predicted' }, cell: (r, s) => predictedText(r, q, s), value: (r) => r.predicted[q] },
      { name: q, header: `${Q} measured`, latexHeader: roleHeaders.measured.alone(Q), align: 'r', part: { quantity: q, role: 'measured' }, cell: (r, s) => measuredCell(r, q, s), value: (r) => (r.method === 'predicted' ? null : r.measured[q]) },
      {
        name: `${q}-pred/p`,
        header: `${Q} rank/p`,
        latexHeader: roleHeaders['predicted/p'].alone(Q),
        align: 'r',
        part: { quantity: q, role: 'predicted/p' },
        cell: (r, s) => (r.predicted[q] === null ? (s === 'latex' ? '---' : '—') : formatFraction(r.predicted[q]! / r.p)),
        value: (r) => (r.predicted[q] === null ? null : r.predicted[q]! / r.p),
      },
      { name: `${q}-kind`, header: `${Q} kind`, latexHeader: roleHeaders.kind.alone(Q), align: 'l', part: { quantity: q, role: 'kind' }, cell: (r) => r.kinds[q] ?? 'none', value: (r) => r.kinds[q] },
      { name: `${q}-verdict`, header: `${Q} verdict`, latexHeader: roleHeaders.verdict.alone(Q), align: 'l', part: { quantity: q, role: 'verdict' }, cell: (r, s) => verdictCell(partVerdict(r, q).text, s), value: (r) => partVerdict(r, q).text },
    ];
  }),
  { name: 'rank/p', header: 'rank(H)/p', latexHeader: '$\\operatorname{rank} H / p$', align: 'r', cell: (r, s) => formatFraction(rankFraction(r), s), value: (r) => finite(rankFraction(r)) },
  { name: 'verdict', header: 'verdict', latexHeader: 'verdict', align: 'l', cell: (r, s) => verdictCell(rowVerdict(r, s), s), value: (r) => rowVerdict(r) },
  plain('method', 'method', 'method', 'l', (r) => r.method),
  plain('seed', 'seed', 'seed', 'r', (r) => r.seed),
  plain('seconds', 'seconds', 's', 'r', (r) => r.seconds.toFixed(3)),
];

export const tableColumnNames: readonly string[] = tableColumns.map((c) => c.name);

function column(name: string): TableColumn {
  return tableColumns.find((c) => c.name === name)!;
}

/** "arch,p,H,HO,HF,rank/p,verdict" into those columns; one line naming the valid ones otherwise. */
export function parseColumns(text: string): TableColumn[] {
  const names = text.split(',').map((n) => n.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (!tableColumnNames.includes(name)) throw new InputError(`--columns: unknown column "${name.slice(0, 40)}"; columns: ${tableColumnNames.join(', ')}`);
    if (seen.has(name)) throw new InputError(`--columns: "${name}" is given twice`);
    seen.add(name);
  }
  return names.map(column);
}

/** The default columns: architecture, (data), N, r, p, then predicted and measured rank of each part and rank(H)/p (predictions alone: predicted rank and rank/p of each part). */
export function defaultColumns(records: readonly RankRecord[]): TableColumn[] {
  const names = ['arch', ...(hasRealData(records) ? ['data'] : []), 'N', 'r', 'p'];
  if (records.every((r) => r.method === 'predicted')) names.push(...reportQuantities.flatMap((q) => [`${q}-pred`, `${q}-pred/p`]));
  else names.push(...reportQuantities.flatMap((q) => [`${q}-pred`, q]), 'rank/p');
  return names.map(column);
}

export interface TableOptions {
  command?: string;
  /** the columns to show (default: defaultColumns) */
  columns?: readonly TableColumn[];
}

/**
 * The two LaTeX header rows: runs of neighbouring columns of one part (or else of one role) share a
 * title over a \cmidrule and show their sub-headers below; every other column heads itself.
 */
function latexHeaders(cols: readonly TableColumn[]): string[] {
  const top: string[] = [];
  const rules: string[] = [];
  const bottom: string[] = [];
  const run = (from: number, same: (a: TableColumn, b: TableColumn) => boolean): number => {
    let to = from;
    while (to + 1 < cols.length && cols[to + 1]!.part && same(cols[from]!, cols[to + 1]!)) to++;
    return to;
  };
  for (let i = 0; i < cols.length; ) {
    const c = cols[i]!;
    if (c.part) {
      const byPart = run(i, (a, b) => a.part!.quantity === b.part!.quantity);
      const byRole = byPart > i ? i : run(i, (a, b) => a.part!.role === b.part!.role);
      const to = Math.max(byPart, byRole);
      if (to > i) {
        const title = byPart > i ? `$\\operatorname{rank} ${quantityLatex[c.part.quantity]}$` : roleHeaders[c.part.role].title;
        top.push(`\\multicolumn{${to - i + 1}}{c}{${title}}`);
        rules.push(`\\cmidrule(lr){${i + 1}-${to + 1}}`);
        for (let j = i; j <= to; j++) bottom.push(byPart > i ? roleHeaders[cols[j]!.part!.role].sub : `$${quantityLatex[cols[j]!.part!.quantity]}$`);
        i = to + 1;
        continue;
      }
    }
    top.push('');
    bottom.push(c.latexHeader);
    i++;
  }
  const row = (cells: string[]): string => cells.join(' & ') + ' \\\\';
  return rules.length > 0 ? [row(top), rules.join(''), row(bottom)] : [row(bottom)];
}

export function rankTableLatex(records: readonly RankRecord[], options: TableOptions = {}): string {
  const cols = options.columns ?? defaultColumns(records);
  const row = (cells: string[]): string => cells.join(' & ') + ' \\\\';
  const lines = [
    '% hessian-rank table: predicted (catalog) against measured Hessian ranks.',
    ...(options.command ? [`% Regenerate: ${options.command}`] : []),
    ...tableNote(records).map((line) => `% ${line}`),
    '% Needs \\usepackage{booktabs,amsmath}.',
    `\\begin{tabular}{@{}${cols.map((c) => c.align).join('')}@{}}`,
    '\\toprule',
    ...latexHeaders(cols),
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

export function rankTableMarkdown(records: readonly RankRecord[], options: TableOptions = {}): string {
  const cols = options.columns ?? defaultColumns(records);
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

export function rankTableCsv(records: readonly RankRecord[], options: TableOptions = {}): string {
  if (options.columns) {
    const cols = options.columns;
    const chosen = [cols.map((c) => c.name), ...records.map((r) => cols.map((c) => c.value(r)))];
    return chosen.map((fields) => fields.map(csvField).join(',')).join('\n') + '\n';
  }
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

/** JSON: { rows: [record + agreement + rankOverP] }; with chosen columns { rows: [{ name: value }] }. */
export function rankTableJson(records: readonly RankRecord[], options: TableOptions = {}): string {
  if (options.columns) {
    const cols = options.columns;
    return JSON.stringify({ rows: records.map((r) => Object.fromEntries(cols.map((c) => [c.name, c.value(r)]))) }, null, 2) + '\n';
  }
  const rows = records.map((r) => ({
    ...r,
    agreement: Object.fromEntries(reportQuantities.map((q) => [q, agreement(r, q)])),
    rankOverP: rankFraction(r),
  }));
  return JSON.stringify({ rows }, null, 2) + '\n';
}

/** Plain aligned text for the terminal. */
export function rankTableText(records: readonly RankRecord[], options: TableOptions = {}): string {
  const cols = options.columns ?? defaultColumns(records);
  const cells = [cols.map((c) => c.header), ...records.map((r) => cols.map((c) => c.cell(r, 'text')))];
  const widths = cols.map((_, j) => Math.max(...cells.map((row) => [...row[j]!].length)));
  const pad = (text: string, j: number): string => {
    const gap = ' '.repeat(widths[j]! - [...text].length);
    return cols[j]!.align === 'l' ? text + gap : gap + text;
  };
  return [...cells.map((row) => row.map(pad).join('  ').trimEnd()), ...tableNote(records), ''].join('\n');
}

/** A complete document: the tabular with its notes below, cropped to size. */
export function rankTableDocument(records: readonly RankRecord[], options: TableOptions = {}): string {
  const body = [
    '\\begin{tabular}{@{}l@{}}',
    rankTableLatex(records, options).trimEnd() + '\\\\[3pt]',
    ...tableNote(records, 'latex').map((line) => `\\footnotesize ${line}\\\\`),
    '\\end{tabular}',
  ].join('\n');
  return croppedDocument(body, { packages: fragmentPackages.table });
}

export function renderRankTable(records: readonly RankRecord[], format: TableFormat, options: TableOptions = {}): string {
  switch (format) {
    case 'latex':
      return rankTableLatex(records, options);
    case 'markdown':
      return rankTableMarkdown(records, options);
    case 'csv':
      return rankTableCsv(records, options);
    case 'json':
      return rankTableJson(records, options);
    case 'text':
      return rankTableText(records, options);
  }
}
