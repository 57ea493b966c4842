import { renderRankTable, runSweepToFiles } from '../../index.js';
import { growthText, sweepGrowth } from '../../report/growth.js';
import { variableLabels } from '../../report/sweep.js';
import type { Command } from '../command.js';
import { columnsUsage, commandLine, parseReportFlags, subjectOptions, sweepFromFlags, sweepOptions, tableFromFlags, tableOptions } from './reportFlags.js';

export const sweepCommand: Command = {
  usage: `usage: hessian-rank sweep (--figure NAME | --vary samples|width|depth|channels --values LIST ARCHITECTURE)
                          [--out LOG.jsonl] [--resume | --overwrite] [--table FILE] [--format text|latex|markdown|csv|json]
                          [--columns LIST] [--seed S] [--exact] [--force]
  ARCHITECTURE  one --widths d,M1,...,K or --cnn "in=12; conv k=3 c=2; K=4", with [--samples N] [--bias]
                [--loss mse|ce] [--act linear|relu|tanh] [--data gaussian|digits|fashion-mnist|FILE.npy] [--subset N]
                [--targets FILE.npy|labels]  (N×K targets, or N class indices: one-hot; ce: class indices or
                probability rows; at least the sweep's largest N rows)
  --vary        samples: N; width: every hidden width M; depth: L (hidden layers of the first hidden
                width); channels: every convolution's channels (CNN)
  --values      2,4,8 or 2:40:2 (from:to:step)
  --figure      the sweep of a paper figure instead (hessian-rank plot --list)
  --out         JSON Lines log: a header, then one line per finished point, written at once
  --resume      keep the points an existing log of the same sweep already holds
  --overwrite   replace --out/--table files that exist (refused otherwise)
  --table FILE  also keep a table of the points so far (in --format), rewritten after each point
  --format      text (default), latex, markdown, csv, json: the printed table and --table FILE
${columnsUsage}
                (the printed table and --table FILE; the log keeps every field)
  Prints the table (--format, default text) at the end; under a text table of 3 or more equally
  spaced values, how p and the ranks grow (p's second differences, the ranks' first differences,
  rank(H)/√p: the √p law). A progress bar shows on a terminal.`,
  async run(argv, io) {
    const values = parseReportFlags(argv, {
      ...subjectOptions,
      ...sweepOptions,
      ...tableOptions,
      out: { type: 'string' },
      resume: { type: 'boolean' },
      overwrite: { type: 'boolean' },
      table: { type: 'string' },
    });
    const { format, columns } = tableFromFlags(values);
    const { spec } = sweepFromFlags(values);
    const command = commandLine('sweep', argv);
    const records = await runSweepToFiles(spec, {
      outputs: { log: values.out, ...(values.table !== undefined ? { table: { file: values.table, format, columns } } : {}) },
      resume: values.resume,
      overwrite: values.overwrite,
      force: values.force,
      command,
      progress: process.stderr,
    });
    io.out(renderRankTable(records, format, { command, columns }).trimEnd());
    const growth = format === 'text' ? sweepGrowth(records) : undefined;
    if (growth) io.out(growthText(growth, variableLabels[spec.vary].symbol).join('\n'));
    return 0;
  },
};
