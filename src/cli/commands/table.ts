import { InputError, rankRecord, rankTableDocument, renderRankTable, runSweep, type RankRecord } from '../../index.js';
import { checkOutputs, writeFileAtomic } from '../../report/atomicFile.js';
import { compileLatex, pdfToPng } from '../../report/latexCompile.js';
import { predictionRecord } from '../../report/rankRecord.js';
import type { Command } from '../command.js';
import { columnsUsage, commandLine, parseReportFlags, parseSeed, readLog, subjectOptions, subjectsFromBatch, subjectsFromFlags, sweepFromFlags, sweepOptions, tableFromFlags, tableOptions } from './reportFlags.js';

export const tableCommand: Command = {
  usage: `usage: hessian-rank table ARCHITECTURES [--seed S] [--exact] [--force]
                          [--format text|latex|markdown|csv|json] [--columns LIST] [--standalone] [--out FILE] [--png FILE]
  ARCHITECTURES, one of:
    --widths d,M1,...,K  (repeatable)  fully-connected networks      --cnn "in=16; conv k=3 c=4; K=3"  (repeatable) CNNs
        sharing [--samples N] [--bias] [--loss mse|ce] [--act linear|relu|tanh] [--data gaussian|digits|fashion-mnist|FILE.npy] [--subset N]
                [--targets FILE.npy|labels]  (N×K targets, or N class indices: one-hot; ce: class indices or probability rows)
    --batch FILE           one architecture per line: {"widths": [25,5,10], "act": "relu", "data": "digits"} or {"cnn": "…"}
    --vary samples|width|depth|channels --values 2,4,8|2:40:2 with one --widths or --cnn: a sweep
    --figure NAME          the sweep of a paper figure (hessian-rank plot --list)
    --from LOG             the records of a sweep log (hessian-rank sweep --out LOG), nothing measured
  Each architecture is measured on a seeded random instance (--data digits: the first N real digit
  images, d = 64) and predicted by the catalog at the measured r = rank Σ_xx.
  --format      text (default), latex (a booktabs tabular to \\input; needs booktabs, amsmath), markdown, csv, json
${columnsUsage}
  --standalone  with latex: a complete document (pdflatex compiles it to a one-page PDF)
  --out FILE    write there (atomically) instead of stdout
  --png FILE    also render the LaTeX table to PNG (needs pdflatex and pdftoppm)
  --predict-only  rows from the catalog alone (each part's predicted rank and rank/p at generic data),
                for networks beyond what can be measured, e.g. --widths 784,256,128,10 --samples 60000`,
  async run(argv, io) {
    const values = parseReportFlags(argv, {
      ...subjectOptions,
      ...sweepOptions,
      ...tableOptions,
      batch: { type: 'string' },
      from: { type: 'string' },
      standalone: { type: 'boolean' },
      out: { type: 'string' },
      png: { type: 'string' },
      overwrite: { type: 'boolean' },
      'predict-only': { type: 'boolean' },
    });
    const { format, columns } = tableFromFlags(values);
    checkOutputs([values.out, values.png], values.overwrite);
    if (values.standalone && format !== 'latex') throw new InputError('--standalone goes with --format latex');
    const sources = [values.from !== undefined, values.batch !== undefined, values.vary !== undefined || values.figure !== undefined].filter(Boolean).length;
    if (sources > 1) throw new InputError('give one source of rows: architectures, --batch, --vary/--figure, or --from');
    if (values.targets !== undefined && (values.batch !== undefined || values.from !== undefined)) throw new InputError(`--targets goes with architectures (--widths, --cnn) or a sweep (--vary), not --${values.batch !== undefined ? 'batch' : 'from'}`);
    let records: RankRecord[];
    if (values['predict-only']) {
      if (values.from !== undefined || values.vary !== undefined || values.figure !== undefined) throw new InputError('--predict-only goes with architectures (--widths, --cnn) or --batch');
      for (const flag of ['data', 'targets', 'exact', 'seed', 'force'] as const) if (values[flag] !== undefined) throw new InputError(`--predict-only measures nothing: drop --${flag}`);
      const subjects = values.batch !== undefined ? subjectsFromBatch(values.batch) : subjectsFromFlags(values);
      records = subjects.map(predictionRecord);
    } else if (values.from !== undefined) {
      records = readLog(values.from).records;
    } else if (values.vary !== undefined || values.figure !== undefined) {
      const { spec } = sweepFromFlags(values);
      records = runSweep(spec, { force: values.force });
    } else {
      const subjects = values.batch !== undefined ? subjectsFromBatch(values.batch) : subjectsFromFlags(values);
      const request = { seed: parseSeed(values.seed), exact: values.exact, force: values.force };
      records = subjects.map((subject) => rankRecord(subject, request));
    }
    const command = commandLine('table', argv);
    const text = format === 'latex' && values.standalone ? rankTableDocument(records, { command, columns }) : renderRankTable(records, format, { command, columns });
    if (values.out !== undefined) writeFileAtomic(values.out, text);
    else io.out(text.trimEnd());
    if (values.png !== undefined) await pdfToPng(await compileLatex(rankTableDocument(records, { command, columns })), values.png);
    return 0;
  },
};
