/**
 * Every LaTeX output compiles with a real pdflatex, and the PDF shows the numbers it was made from.
 *   - the rank table (fragment with its stated packages, and the standalone document): each row of
 *     the PDF's text holds N, r, p and the predicted and measured ranks of that record;
 *   - the catalog (fragment and standalone): every formula id and source in the catalog appears;
 *   - the pgfplots figures (fragment, standalone, and the file `plot --standalone` writes): the axis
 *     label, the legend and every swept value as an x tick appear.
 *   - a narrow choice of columns (table --columns) fits a paper's text width at \small, where the
 *     default twelve columns overflow.
 * All documents compile in parallel (pdflatex takes about a second each).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConvolutional } from '../../src/architecture/convolutional.js';
import { fullyConnected } from '../../src/architecture/fullyConnected.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { catalogDocument, catalogLatex } from '../../src/report/catalogTable.js';
import { parameterCountFigure, sweepFigure } from '../../src/report/figure.js';
import { compileLatex, compileLatexWithLog, pdfText } from '../../src/report/latexCompile.js';
import { articleDocument, croppedDocument, fragmentPackages } from '../../src/report/latexDocument.js';
import { pgfplotsDocument, renderPgfplots } from '../../src/report/pgfplotsPlot.js';
import { rankRecord, type RankRecord } from '../../src/report/rankRecord.js';
import { formatFraction, parseColumns, rankTableDocument, rankTableLatex } from '../../src/report/rankTable.js';
import { subject, reportQuantities } from '../../src/report/subject.js';
import { runSweep, type SweepSpec } from '../../src/report/sweep.js';
import { inCI, missingTools, runLatexTests } from './latexTools.js';

const bin = new URL('../../bin/hessian-rank', import.meta.url).pathname;

it('pdflatex, pdftotext and pdftoppm are installed (required in CI)', () => {
  if (!inCI && missingTools.length > 0) return; // locally: the warning printed by latexTools.ts
  expect(missingTools, 'install texlive-latex-recommended texlive-pictures poppler-utils').toEqual([]);
});

const sweep: SweepSpec = {
  vary: 'width',
  values: [2, 3, 5],
  base: { widths: [4, 4, 4, 3], samples: 8, bias: false, act: 'linear', loss: 'mse' },
  data: 'gaussian',
  seed: 5,
  exact: false,
};

describe.runIf(runLatexTests)('LaTeX outputs compile with pdflatex and show their numbers', () => {
  let records: RankRecord[];
  let sweepRecords: RankRecord[];
  const text: Record<string, string> = {};
  const rawText: Record<string, string> = {};

  beforeAll(async () => {
    records = [
      rankRecord(subject(fullyConnected({ widths: [6, 4, 4, 3], samples: 12 })), { seed: 3 }),
      rankRecord(subject(fullyConnected({ widths: [6, 4, 4, 3], samples: 4 })), { seed: 3, exact: true }),
      rankRecord(subject(fullyConnected({ widths: [5, 4, 3], samples: 10, activation: 'relu' })), { seed: 3 }),
      rankRecord(subject(fullyConnected({ widths: [64, 3, 2], samples: 30 }), 'digits'), { seed: 3 }),
      rankRecord(subject(parseConvolutional('in=8; conv k=3 c=2; K=2', { samples: 10 })), { seed: 3 }),
    ];
    sweepRecords = runSweep(sweep);
    const dir = mkdtempSync(join(tmpdir(), 'report-latex-'));
    const cliTex = join(dir, 'cli-figure.tex');
    execFileSync(process.execPath, [bin, 'plot', '--vary', 'depth', '--values', '1,2,3', '--widths', '3,2,2', '--samples', '4', '--tex', cliTex, '--standalone']);
    const cliTable = join(dir, 'cli-table.tex');
    execFileSync(process.execPath, [bin, 'table', '--widths', '4,3,2', '--samples', '6', '--format', 'latex', '--standalone', '--out', cliTable]);
    const documents: Record<string, string> = {
      tableFragment: croppedDocument(rankTableLatex(records), { packages: fragmentPackages.table }),
      tableStandalone: rankTableDocument(records),
      catalogFragment: articleDocument(catalogLatex(loadCatalog()), { packages: fragmentPackages.catalog }),
      catalogStandalone: catalogDocument(loadCatalog()),
      figureFragment: croppedDocument(renderPgfplots(sweepFigure(sweep, sweepRecords, { withParameters: true })), { packages: fragmentPackages.plot }),
      figureStandalone: pgfplotsDocument(parameterCountFigure(sweep, sweepRecords)),
      cliFigure: readFileSync(cliTex, 'utf8'),
      cliTable: readFileSync(cliTable, 'utf8'),
    };
    await Promise.all(
      Object.entries(documents).map(async ([name, source]) => {
        const pdf = await compileLatex(source);
        expect(pdf.subarray(0, 5).toString('latin1'), `${name} is a PDF`).toBe('%PDF-');
        text[name] = await pdfText(pdf);
        rawText[name] = await pdfText(pdf, 'raw');
      }),
    );
  });

  /** The numbers of a table row as the PDF shows them, in column order. */
  function expectedRow(record: RankRecord): string[] {
    const cells = [record.N, record.r, record.p].map(String);
    for (const q of reportQuantities) {
      if (record.predicted[q] !== null) cells.push(String(record.predicted[q]));
      cells.push(String(record.measured[q]));
    }
    cells.push(formatFraction(record.measured.H / record.p));
    return cells;
  }

  function rowsOf(pdf: string): string[][] {
    // a row: a line starting with an architecture label, then its numbers
    return pdf
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => records.some((r) => line.startsWith(r.label.split(';')[0]!)))
      .map((line) => {
        const label = records.find((r) => line.replace(/\s+/g, ' ').startsWith(r.label))?.label ?? '';
        return line.replace(/\s+/g, ' ').slice(label.length).match(/\d+(\.\d+)?/g) ?? [];
      });
  }

  for (const name of ['tableFragment', 'tableStandalone']) {
    it(`${name}: every row shows N, r, p, predicted and measured ranks and rank/p`, () => {
      const rows = rowsOf(text[name]!);
      expect(rows, text[name]).toEqual(records.map(expectedRow));
    });
  }

  it('tableStandalone: the note under the table states the method and seed', () => {
    expect(text.tableStandalone).toMatch(/seed 3/);
    expect(text.tableStandalone).toMatch(/float64/);
  });

  for (const name of ['catalogFragment', 'catalogStandalone']) {
    it(`${name}: every formula id and paper of the catalog appears`, () => {
      // a long id wraps inside its cell ("…-HO-" / "many-samples"): rejoin at the hyphen
      const joined = rawText[name]!.replace(/-\s+/g, '-').replace(/\s+/g, ' ');
      for (const f of loadCatalog()) {
        expect(joined, f.entry.id).toContain(f.entry.id);
        if (f.entry.source.paper) expect(joined).toContain(`[${f.entry.source.paper}]`);
      }
    });
  }

  it('figureFragment: axis label, legend entries and every swept width as an x tick', () => {
    const pdf = text.figureFragment!;
    expect(pdf).toMatch(/hidden width M/);
    expect(pdf).toMatch(/rank H measured/);
    expect(pdf).toMatch(/rank HO predicted/);
    expect(pdf).toMatch(/parameters p/);
    const numbers = new Set(pdf.match(/\d+/g));
    for (const v of sweep.values) expect(numbers.has(String(v)), `x tick ${v}`).toBe(true);
  });

  it('figureStandalone: the √p guide and the rank = p guide are in the legend', () => {
    expect(text.figureStandalone).toMatch(/√p|p\s*$/m);
    expect(text.figureStandalone).toMatch(/rank = p/);
    expect(text.figureStandalone).toMatch(/parameters p/);
  });

  it('table --columns arch,p,H,HO,HF,rank/p fits a one-column article at \\small; the twelve default columns do not', async () => {
    // the paper's setting: a table float in the text width of \\documentclass{article} (345pt), \\small
    const inArticle = (tabular: string): string =>
      ['\\documentclass{article}', '\\usepackage{booktabs,amsmath}', '\\begin{document}', '\\begin{table}', '\\small\\centering', tabular.trimEnd(), '\\end{table}', '\\end{document}', ''].join('\n');
    const columns = parseColumns('arch,p,H,HO,HF,rank/p');
    const [chosen, full] = await Promise.all([compileLatexWithLog(inArticle(rankTableLatex(records, { columns }))), compileLatexWithLog(inArticle(rankTableLatex(records)))]);
    expect(chosen.log.match(/Overfull \\hbox.*/g) ?? []).toEqual([]);
    // the default table (with a data column: 12 columns) is too wide there, so the check can fail
    expect(full.log).toMatch(/Overfull \\hbox \(\d+(\.\d+)?pt too wide\)/);
    // and the PDF shows each row's p, measured ranks and rank/p
    const rows = rowsOf(await pdfText(chosen.pdf));
    expect(rows).toEqual(records.map((r) => [r.p, r.measured.H, r.measured.HO, r.measured.HF, formatFraction(r.measured.H! / r.p)].map(String)));
  });

  it('the files the CLI writes compile: plot --standalone and table --format latex --standalone', () => {
    expect(text.cliFigure).toMatch(/depth L/);
    for (const v of [1, 2, 3]) expect(text.cliFigure).toContain(String(v));
    expect(text.cliTable).toMatch(/4-3-2/);
  });
});
