/**
 * table --columns: the user's columns, in the user's order, in every format, each cell the record's
 * own number; a part's verdict is compare's (src/family/verdict.ts) and a row's the worst of its
 * parts' (a contradiction is named and set in bold, never hidden); an unknown name is one line
 * listing the valid ones. sweep takes the same flag for the table it prints and keeps (--table),
 * while its log keeps every field.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConvolutional } from '../../src/architecture/convolutional.js';
import { fullyConnected } from '../../src/architecture/fullyConnected.js';
import { main } from '../../src/cli/main.js';
import { rankRecord, type RankRecord } from '../../src/report/rankRecord.js';
import { parseColumns, partVerdict, rankTableCsv, rankTableJson, rankTableLatex, rankTableMarkdown, rankTableText, rowVerdict, tableColumnNames } from '../../src/report/rankTable.js';
import { reportQuantities, subject } from '../../src/report/subject.js';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const records: RankRecord[] = [
  rankRecord(subject(fullyConnected({ widths: [4, 3, 3], samples: 6 })), { seed: 1 }),
  rankRecord(subject(fullyConnected({ widths: [4, 3, 3], samples: 6, activation: 'tanh', loss: 'ce' })), { seed: 1 }),
  rankRecord(subject(parseConvolutional('in=6; conv k=2 c=2; K=2', { samples: 5 })), { seed: 1 }),
];
const selection = 'arch,p,H,HO,HF,rank/p,verdict';
const columns = parseColumns(selection);

describe('table --columns', () => {
  it('CSV: the chosen names as header, then each record\'s label, p, measured ranks, rank(H)/p and verdict', () => {
    const lines = rankTableCsv(records, { columns }).trimEnd().split('\n');
    expect(lines[0]).toBe(selection);
    lines.slice(1).forEach((line, i) => {
      const r = records[i]!;
      const quoted = (cell: string): string => (cell.includes(',') ? `"${cell}"` : cell);
      expect(line).toBe([quoted(r.label), r.p, r.measured.H, r.measured.HO, r.measured.HF, r.measured.H! / r.p, quoted(rowVerdict(r))].join(','));
    });
  });

  it('JSON: rows with exactly the chosen keys, in order', () => {
    const rows = JSON.parse(rankTableJson(records, { columns })).rows as Record<string, unknown>[];
    rows.forEach((row, i) => {
      expect(Object.keys(row)).toEqual(selection.split(','));
      expect(row.HF).toBe(records[i]!.measured.HF);
      expect(row.p).toBe(records[i]!.p);
    });
  });

  it('Markdown and text: the chosen headers in order, one row per record', () => {
    const header = ['architecture', 'p', 'H measured', 'H_O measured', 'H_F measured', 'rank(H)/p', 'verdict'];
    const markdown = rankTableMarkdown(records, { columns }).split('\n').filter((l) => l.startsWith('|'));
    expect(markdown[0]!.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim())).toEqual(header);
    expect(markdown).toHaveLength(records.length + 2);
    const text = rankTableText(records, { columns }).split('\n');
    expect(text[0]!.split(/\s{2,}/)).toEqual(header);
    records.forEach((r, i) => expect(text[i + 1]!.startsWith(r.label)).toBe(true));
  });

  it('LaTeX: one alignment letter and one cell per chosen column; neighbouring measured ranks share a head', () => {
    const latex = rankTableLatex(records, { columns });
    expect(latex).toContain('\\begin{tabular}{@{}lrrrrrl@{}}');
    expect(latex).toContain('\\multicolumn{3}{c}{measured rank}');
    expect(latex).toContain('\\cmidrule(lr){3-5}');
    const body = latex.slice(latex.indexOf('\\midrule'), latex.indexOf('\\bottomrule')).split('\n').filter((l) => l.endsWith('\\\\'));
    expect(body).toHaveLength(records.length);
    for (const row of body) expect(row.split(' & ')).toHaveLength(columns.length);
    // predicted next to measured of one part: headed "rank H" over pred. | meas.
    expect(rankTableLatex(records, { columns: parseColumns('arch,H-pred,H') })).toContain('\\multicolumn{2}{c}{$\\operatorname{rank} H$}');
  });

  it('a row\'s verdict is its worst part\'s; a contradiction is named and bold in every format', () => {
    const measured = records[0]!;
    const honest: RankRecord = { ...measured, predicted: { ...measured.measured }, kinds: { H: 'exact', HO: 'exact', HF: 'exact' } };
    expect(rowVerdict(honest)).toBe('equal');
    const bound: RankRecord = { ...honest, predicted: { ...honest.predicted, H: honest.measured.H! + 2 }, kinds: { ...honest.kinds, H: 'upper-bound' } };
    expect(reportQuantities.map((q) => partVerdict(bound, q).text)).toEqual(['bound holds (2 above)', 'equal', 'equal']);
    expect(rowVerdict(bound)).toBe('bound holds (H)');
    const contradicted: RankRecord = { ...bound, measured: { ...honest.measured, HO: honest.measured.HO! + 1 } };
    expect(rowVerdict(contradicted)).toBe('DIFFERS (H_O)');
    expect(rankTableLatex([contradicted], { columns })).toContain('\\textbf{DIFFERS ($H_O$)}');
    expect(rankTableMarkdown([contradicted], { columns })).toContain('**DIFFERS (H_O)**');
    expect(rankTableCsv([contradicted], { columns })).toContain('DIFFERS (H_O)');
    const undetermined: RankRecord = { ...honest, measured: { ...honest.measured, H: null } };
    expect(rowVerdict(undetermined)).toBe('undetermined (H)');
    expect(rankTableText([undetermined], { columns })).toMatch(/undetermined .*—/);
  });

  it('through the CLI: the chosen columns; an unknown name is one line listing every valid one', async () => {
    const ok = await run('table', '--widths', '4,3,3', '--samples', '6', '--columns', 'arch,p,H', '--format', 'csv');
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n')[0]).toBe('arch,p,H');
    const bad = await run('table', '--widths', '4,3,3', '--columns', 'arch,rank');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    for (const name of tableColumnNames) expect(bad.stderr).toContain(name);
    const twice = await run('table', '--widths', '4,3,3', '--columns', 'p,p');
    expect(twice.code).toBe(2);
  });

  it('sweep --columns: the printed table and --table FILE hold the chosen columns, the log every field; an unknown name stops it before any point', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hessian-rank-columns-'));
    const [log, table] = [join(dir, 'sweep.jsonl'), join(dir, 'table.csv')];
    const sweep = ['sweep', '--vary', 'width', '--values', '2:3', '--widths', '6,3,2', '--samples', '8'];
    const ok = await run(...sweep, '--columns', 'x,p,H', '--format', 'csv', '--out', log, '--table', table);
    expect(ok.code, ok.stderr).toBe(0);
    const printed = ok.stdout.split('\n');
    expect(printed[0]).toBe('x,p,H');
    const kept = readFileSync(table, 'utf8').trimEnd().split('\n');
    expect(kept).toEqual(printed.slice(0, 3));
    // each row: the swept width, p and the measured rank of H of the log's record
    const records = readFileSync(log, 'utf8').trimEnd().split('\n').slice(1).map((l) => JSON.parse(l) as RankRecord);
    expect(kept.slice(1)).toEqual(records.map((r) => [r.x, r.p, r.measured.H].join(',')));
    expect(Object.keys(records[0]!)).toEqual(expect.arrayContaining(['label', 'predicted', 'kinds', 'measured', 'method']));
    const badLog = join(dir, 'bad.jsonl');
    const bad = await run(...sweep, '--columns', 'x,rank', '--out', badLog);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(badLog)).toBe(false);
  });
});
