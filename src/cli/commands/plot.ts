import { legendPlacements, type FigureLayout, type LegendPlacement } from '../../report/figure.js';
import { InputError } from '../../errors.js';
import { families } from '../../family/registry.js';
import { findPaperFigure, paperFigures, type FigureKind } from '../../report/paperFigures.js';
import { checkOutputs } from '../../report/atomicFile.js';
import { renderPng, runSweepToFiles, writeSweepOutputs, type SweepOutputs, type SweepRunOptions } from '../../report/sweepRunner.js';
import type { Command } from '../command.js';
import { textTable } from '../table.js';
import { commandLine, parseReportFlags, readLog, subjectOptions, sweepFromFlags, sweepOptions } from './reportFlags.js';

export const plotCommand: Command = {
  usage: `usage: hessian-rank plot (--figure NAME | --vary samples|width|depth|channels --values LIST ARCHITECTURE | --from LOG)
                         [--out PREFIX] [--svg FILE] [--tex FILE] [--log FILE] [--png FILE] [--standalone]
                         [--against p] [--parameters] [--resume | --overwrite] [--seed S] [--exact] [--force]
       hessian-rank plot --list
  --figure NAME   a figure of the papers (--list shows them); its sweep and drawing are fixed
  --vary …        any sweep, as for hessian-rank sweep (--widths or --cnn, --values, --data digits,
                  --targets FILE.npy, …)
  --from LOG      redraw a sweep log without measuring (with --figure NAME: drawn as that figure)
  --out PREFIX    write PREFIX.jsonl (the log), PREFIX.svg (web) and PREFIX.tex (pgfplots, to \\input)
  --svg/--tex/--log FILE  the same outputs one by one
  --png FILE      compile the pgfplots figure with pdflatex and render it with pdftoppm
  --standalone    the .tex is a complete document instead of a tikzpicture to \\input
  --against p     log-log rank against the parameter count p, with c·√p and rank = p guides
  --parameters    draw p beside the ranks (log y)
  --resume        keep the points an existing log of the same sweep already holds
  --overwrite     replace output files that exist (refused otherwise)
  --width CM      width of the pgfplots axis in cm (default 9; height 0.72 × width), e.g. 7 for a paper column
  --legend outside|inside|below|none   where the legend goes, in the pgfplots and the SVG figure alike
                  (default outside, right of the axis; the SVG canvas shrinks or grows around the same axis)
  Every output is rewritten after each measured point, so an interrupted plot leaves complete files
  of the points so far; --resume continues. A progress bar shows on a terminal.`,
  async run(argv, io) {
    const values = parseReportFlags(argv, {
      ...subjectOptions,
      ...sweepOptions,
      from: { type: 'string' },
      out: { type: 'string' },
      svg: { type: 'string' },
      tex: { type: 'string' },
      log: { type: 'string' },
      png: { type: 'string' },
      standalone: { type: 'boolean' },
      against: { type: 'string' },
      parameters: { type: 'boolean' },
      resume: { type: 'boolean' },
      overwrite: { type: 'boolean' },
      list: { type: 'boolean' },
      width: { type: 'string' },
      legend: { type: 'string' },
    });
    if (values.list) {
      io.out(textTable(['figure', 'shows', 'reproduces'], paperFigures.map((f) => [f.name, f.summary, f.reproduces])));
      return 0;
    }
    if (values.against !== undefined && values.against !== 'p') throw new InputError(`--against takes p (rank against the parameter count), got "${values.against}"`);
    const prefix = values.out;
    const outputs: SweepOutputs = {
      log: values.log ?? (prefix !== undefined && values.from === undefined ? `${prefix}.jsonl` : undefined),
      svg: values.svg ?? (prefix !== undefined ? `${prefix}.svg` : undefined),
      tex: values.tex ?? (prefix !== undefined ? `${prefix}.tex` : undefined),
      png: values.png,
      standalone: values.standalone,
    };
    if (!outputs.svg && !outputs.tex && !outputs.png) throw new InputError('say where the figure goes: --out PREFIX, or --svg FILE, --tex FILE, --png FILE');
    const command = commandLine('plot', argv);
    const preset = values.figure !== undefined ? findPaperFigure(values.figure) : undefined;
    const kind: FigureKind = values.against === 'p' ? 'parameters' : (preset?.kind ?? 'sweep');
    const options: SweepRunOptions = {
      outputs,
      figure: { kind, withParameters: values.parameters ?? preset?.withParameters, layout: layoutFromFlags(values) },
      resume: values.resume,
      overwrite: values.overwrite,
      force: values.force,
      command,
      progress: process.stderr,
    };
    let points: number;
    if (values.from !== undefined) {
      if (values.vary !== undefined || families.some((f) => (values as Record<string, unknown>)[f.flag] !== undefined)) throw new InputError('--from redraws a log: drop the sweep flags');
      const log = readLog(values.from);
      checkOutputs([outputs.svg, outputs.tex, outputs.png], values.overwrite);
      writeSweepOutputs(log.header.sweep, log.records, options);
      if (outputs.png) await renderPng(log.header.sweep, log.records, options, outputs.png);
      points = log.records.length;
    } else {
      const { spec } = sweepFromFlags(values);
      points = (await runSweepToFiles(spec, options)).length;
    }
    const written = [outputs.log, outputs.svg, outputs.tex, outputs.png].filter((f): f is string => f !== undefined);
    io.out(`${points} points; wrote ${written.join(', ')}`);
    return 0;
  },
};

/** --width and --legend: the figure's layout in a paper. */
export function layoutFromFlags(values: { width?: string; legend?: string }): FigureLayout | undefined {
  if (values.width === undefined && values.legend === undefined) return undefined;
  const layout: FigureLayout = {};
  if (values.width !== undefined) {
    const width = Number(values.width);
    if (!/^\d+(\.\d+)?$/.test(values.width) || width < 2 || width > 40) throw new InputError(`--width is the axis width in cm, 2 to 40, got "${values.width.slice(0, 40)}"`);
    layout.width = width;
  }
  if (values.legend !== undefined) {
    if (!legendPlacements.includes(values.legend as LegendPlacement)) throw new InputError(`--legend must be one of ${legendPlacements.join(', ')}, got "${values.legend.slice(0, 40)}"`);
    layout.legend = values.legend as LegendPlacement;
  }
  return layout;
}
