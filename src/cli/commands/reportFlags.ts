/**
 * Flags shared by the report commands (table, sweep, plot): which architectures, which data, which
 * sweep, and where outputs go. Not a command itself (the registry does not list it).
 */
import { InputError, families } from '../../index.js';
import { findPaperFigure, type PaperFigure } from '../../report/paperFigures.js';
import { parseColumns, tableColumnNames, tableFormats, type TableColumn, type TableFormat } from '../../report/rankTable.js';
import { dataSources, subject, type DataSource, type RankSubject } from '../../report/subject.js';
import { parseValues, sweepVariables, type SweepSpec, type SweepVariable } from '../../report/sweep.js';
import { readSweepLog, type SweepLog } from '../../report/sweepLog.js';
import { parseBatchLine, readBatchText } from '../batch.js';
import { architecturesFromFlags, parseFlags, parseInteger, type Options } from '../flags.js';
import { isDataSource } from '../../data/dataSet.js';
import { samplesFromFlags } from '../dataFlags.js';

/** Like FlagValues, with string[] for repeatable (multiple) flags. */
export type ReportFlagValues<T extends Options> = {
  [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : T[K] extends { multiple: true } ? string[] : string;
};

export function parseReportFlags<T extends Options>(argv: string[], options: T): ReportFlagValues<T> {
  return parseFlags(argv, options).values as unknown as ReportFlagValues<T>;
}

/** Every family's flag, repeatable (typed for the two families the report commands name in their usage). */
const repeatableFamilyOptions = Object.fromEntries(families.map((f) => [f.flag, { type: 'string', multiple: true }])) as {
  widths: { type: 'string'; multiple: true };
  cnn: { type: 'string'; multiple: true };
};

export const subjectOptions = {
  ...repeatableFamilyOptions,
  samples: { type: 'string' },
  bias: { type: 'boolean' },
  loss: { type: 'string' },
  act: { type: 'string' },
  data: { type: 'string' },
  targets: { type: 'string' },
  subset: { type: 'string' },
  seed: { type: 'string' },
  exact: { type: 'boolean' },
  force: { type: 'boolean' },
} as const satisfies Options;

export const sweepOptions = {
  vary: { type: 'string' },
  values: { type: 'string' },
  figure: { type: 'string' },
} as const satisfies Options;

export interface SubjectFlags {
  widths?: string[];
  cnn?: string[];
  samples?: string;
  bias?: boolean;
  loss?: string;
  act?: string;
  data?: string;
  targets?: string;
  subset?: string;
  seed?: string;
  exact?: boolean;
  force?: boolean;
}

export function parseData(text: string | undefined): DataSource {
  if (text === undefined) return 'gaussian';
  if (text !== 'gaussian' && !isDataSource(text)) throw new InputError(`--data must be one of ${dataSources.join(', ')} or a FILE.npy, got "${text}"`);
  return text;
}

export function parseSeed(text: string | undefined): number {
  return parseInteger(text, '--seed') ?? 0;
}

/** The flags of a printed rank table, for every command that prints one (table, sweep). */
export const tableOptions = {
  format: { type: 'string' },
  json: { type: 'boolean' },
  columns: { type: 'string' },
} as const satisfies Options;

/** The usage lines of --columns. */
export const columnsUsage = `  --columns     the columns, in order, e.g. arch,p,H,HO,HF,rank/p,verdict (a paper column); one of
                ${tableColumnNames.join(', ')}
                (H, HO, HF: measured ranks; -pred: predicted; -pred/p: predicted rank/p; rank/p: measured
                rank(H)/p; verdict: the worst part's verdict; CSV and JSON then hold just these columns)`;

/** --format (or --json) and --columns. */
export function tableFromFlags(values: { format?: string; json?: boolean; columns?: string }): { format: TableFormat; columns?: TableColumn[] } {
  const columns = values.columns === undefined ? undefined : parseColumns(values.columns);
  return { format: parseFormat(values.format, values.json), ...(columns ? { columns } : {}) };
}

export function parseFormat(text: string | undefined, json: boolean | undefined, fallback: TableFormat = 'text'): TableFormat {
  if (json) return 'json';
  if (text === undefined) return fallback;
  if (!tableFormats.includes(text as TableFormat)) throw new InputError(`--format must be one of ${tableFormats.join(', ')}, got "${text}"`);
  return text as TableFormat;
}

/** The flags with --samples set from --subset or a .npy file's rows (gaussian data: --samples alone). */
function withDataSamples(values: SubjectFlags): SubjectFlags {
  const N = samplesFromFlags(values.data === 'gaussian' ? { ...values, data: undefined } : values);
  return { ...values, samples: N === undefined ? undefined : String(N) };
}

/** Every architecture named by the family flags (repeatable: --widths, --cnn), sharing the other flags. */
export function subjectsFromFlags(values: SubjectFlags): RankSubject[] {
  const data = parseData(values.data);
  const subjects = architecturesFromFlags(withDataSamples(values) as Record<string, unknown>).map(({ family, net }) => subject(net, data, family, values.targets));
  if (subjects.length === 0) {
    throw new InputError(`name at least one architecture: ${families.map((f) => `${f.flagUsage} (repeatable)`).join(', ')}, or --batch FILE`);
  }
  return subjects;
}

/** A JSON Lines file of architectures, one per line: {"widths": [25,5,10], "act": "relu", "data": "digits"} or {"cnn": "…"}. */
export function subjectsFromBatch(file: string): RankSubject[] {
  const subjects: RankSubject[] = [];
  readBatchText(file)
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        const { family, net, fields } = parseBatchLine<{ data?: string }>(line, { data: 'string' });
        subjects.push(subject(net, parseData(fields.data), family));
      } catch (error) {
        if (error instanceof InputError) throw new InputError(`${file}:${index + 1}: ${error.message}`);
        throw error;
      }
    });
  if (subjects.length === 0) throw new InputError(`${file} names no architecture`);
  return subjects;
}

/** A sweep from --figure NAME, or from --vary/--values and one architecture. */
export function sweepFromFlags(values: SubjectFlags & { vary?: string; values?: string; figure?: string }): { spec: SweepSpec; figure?: PaperFigure } {
  if (values.figure !== undefined) {
    const figure = findPaperFigure(values.figure);
    const spec: SweepSpec = { ...figure.spec, seed: values.seed !== undefined ? parseSeed(values.seed) : figure.spec.seed, exact: values.exact ?? figure.spec.exact };
    for (const flag of ['widths', 'cnn', 'vary', 'values', 'samples', 'subset', 'data', 'targets', 'act', 'loss'] as const) {
      if (values[flag] !== undefined) throw new InputError(`--figure ${figure.name} fixes its own sweep; drop --${flag} (or give the sweep with --vary instead of --figure)`);
    }
    return { spec, figure };
  }
  if (values.vary === undefined) throw new InputError(`give --figure NAME or --vary ${sweepVariables.join('|')} with --values`);
  if (!sweepVariables.includes(values.vary as SweepVariable)) throw new InputError(`--vary must be one of ${sweepVariables.join(', ')}, got "${values.vary}"`);
  const named = architecturesFromFlags(values as Record<string, unknown>);
  if (named.length !== 1) throw new InputError(`a sweep varies one architecture: give exactly one of ${families.map((f) => `--${f.flag}`).join(', ')}`);
  const { family, net } = named[0]!;
  const spec: SweepSpec = {
    vary: values.vary as SweepVariable,
    values: parseValues(values.values),
    base: {
      // the family's JSON value of its key (widths: a list, cnn: the --cnn text)
      [family.flag]: family.json(net)[family.flag],
      ...(values.samples !== undefined || values.subset !== undefined ? { samples: samplesFromFlags(values.data === 'gaussian' ? { ...values, data: undefined } : values) } : {}),
      bias: values.bias ?? false,
      act: net.activation,
      loss: net.loss,
    },
    data: parseData(values.data),
    ...(values.targets !== undefined ? { targets: values.targets } : {}),
    seed: parseSeed(values.seed),
    exact: values.exact ?? false,
  };
  return { spec };
}

export function readLog(file: string): SweepLog {
  const log = readSweepLog(file);
  if (log.records.length === 0) throw new InputError(`${file} holds no finished point yet`);
  return log;
}

/** The command line, quoted for a POSIX shell, to write into generated files. */
export function commandLine(name: string, argv: readonly string[]): string {
  const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  return ['hessian-rank', name, ...argv.map(quote)].join(' ');
}
