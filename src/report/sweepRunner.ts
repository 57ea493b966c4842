/**
 * Runs a sweep to files, safe to interrupt: every finished point is appended to the JSON Lines log
 * at once, and every output (SVG, pgfplots .tex, table) is rewritten atomically after each point, so
 * a killed sweep leaves complete files showing the points finished so far; `resume` continues from
 * the log. The PNG (pdflatex + pdftoppm) is rendered once, at the end.
 */
import { compileLatex, pdfToPng } from './latexCompile.js';
import { checkOutputs, writeFileAtomic } from './atomicFile.js';
import { parameterCountFigure, sweepFigure, type Figure, type FigureLayout } from './figure.js';
import type { FigureKind } from './paperFigures.js';
import { pgfplotsDocument, renderPgfplots } from './pgfplotsPlot.js';
import { ProgressBar, type ProgressStream } from './progressBar.js';
import type { RankRecord } from './rankRecord.js';
import { rankTableDocument, renderRankTable, type TableColumn, type TableFormat } from './rankTable.js';
import { renderSvg } from './svgPlot.js';
import { runSweep, sweepSubjects, variableLabels, type SweepSpec } from './sweep.js';
import { appendRecord, lockSweepLog, openSweepLog } from './sweepLog.js';

export interface SweepOutputs {
  /** JSON Lines log of the sweep (header + one record per line) */
  log?: string;
  svg?: string;
  /** pgfplots fragment */
  tex?: string;
  /** write the .tex as a complete cropped document instead of a fragment */
  standalone?: boolean;
  png?: string;
  /** a table of the records, of the chosen columns (default: all) */
  table?: { file: string; format: TableFormat; columns?: readonly TableColumn[] };
}

export interface SweepRunOptions {
  outputs: SweepOutputs;
  figure?: { kind: FigureKind; withParameters?: boolean; layout?: FigureLayout };
  resume?: boolean;
  /** replace output files that exist (--overwrite); a resumed sweep continues its own */
  overwrite?: boolean;
  force?: boolean;
  /** the command line that regenerates the outputs (written into them) */
  command?: string;
  progress?: ProgressStream;
}

export function buildFigure(spec: SweepSpec, records: readonly RankRecord[], figure: SweepRunOptions['figure'] = { kind: 'sweep' }): Figure {
  const built = figure.kind === 'parameters' ? parameterCountFigure(spec, records) : sweepFigure(spec, records, { withParameters: figure.withParameters });
  return figure.layout ? { ...built, layout: figure.layout } : built;
}

/** Writes every output except the PNG, atomically. */
export function writeSweepOutputs(spec: SweepSpec, records: readonly RankRecord[], options: SweepRunOptions): void {
  const { outputs } = options;
  const fig = () => buildFigure(spec, records, options.figure);
  if (outputs.svg) writeFileAtomic(outputs.svg, renderSvg(fig()));
  if (outputs.tex) {
    const figure = fig();
    writeFileAtomic(outputs.tex, outputs.standalone ? pgfplotsDocument(figure, { command: options.command }) : renderPgfplots(figure, { command: options.command }));
  }
  if (outputs.table) {
    const { file, format, columns } = outputs.table;
    const how = { command: options.command, columns };
    writeFileAtomic(file, format === 'latex' && outputs.standalone ? rankTableDocument(records, how) : renderRankTable(records, format, how));
  }
}

export async function renderPng(spec: SweepSpec, records: readonly RankRecord[], options: SweepRunOptions, file: string): Promise<void> {
  const pdf = await compileLatex(pgfplotsDocument(buildFigure(spec, records, options.figure), { command: options.command }));
  await pdfToPng(pdf, file);
}

export async function runSweepToFiles(spec: SweepSpec, options: SweepRunOptions): Promise<RankRecord[]> {
  sweepSubjects(spec); // bad input fails before any file is touched
  const { outputs } = options;
  checkOutputs([outputs.log, outputs.svg, outputs.tex, outputs.png, outputs.table?.file], options.overwrite || options.resume);
  const release = outputs.log ? lockSweepLog(outputs.log) : undefined;
  try {
    return await runLocked(spec, options);
  } finally {
    release?.();
  }
}

async function runLocked(spec: SweepSpec, options: SweepRunOptions): Promise<RankRecord[]> {
  const { outputs } = options;
  const done = outputs.log ? openSweepLog(outputs.log, spec, { resume: options.resume, command: options.command }) : new Map<number, RankRecord>();
  const finished: RankRecord[] = spec.values.flatMap((v) => (done.has(v) ? [done.get(v)!] : []));
  const bar = options.progress ? new ProgressBar(options.progress, spec.values.length) : undefined;
  const symbol = variableLabels[spec.vary].symbol;
  // the outputs exist from the start (with the points a resumed log already holds)
  writeSweepOutputs(spec, finished, options);
  const records = runSweep(spec, {
    done,
    force: options.force,
    onStart(index, total, subject) {
      bar?.update(finished.length, `${symbol} = ${spec.values[index]}, p = ${subject.p}`);
    },
    onRecord(record) {
      finished.push(record);
      // in the order of the values, whatever order they finished in
      finished.sort((a, b) => spec.values.indexOf(a.x!) - spec.values.indexOf(b.x!));
      // figures first, then the log: a point in the log is always in the figures too
      writeSweepOutputs(spec, finished, options);
      if (outputs.log) appendRecord(outputs.log, record);
    },
  });
  bar?.finish();
  writeSweepOutputs(spec, records, options);
  if (outputs.png) await renderPng(spec, records, options, outputs.png);
  return records;
}
