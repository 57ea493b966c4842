/**
 * A sweep's log: JSON Lines, written as the sweep runs, so an interrupted sweep keeps every point it
 * finished. Line 1 is the header {"sweep": spec, "command": …}; every further line is one RankRecord.
 * The header is written atomically, each record as one appended line; a last line cut short by a
 * kill is ignored on reading. `--resume` reuses the records of a log whose spec is the same, after
 * checking every record against the spec (its value, seed, method, data, architecture, p and the
 * prediction at its r): a record that does not belong is refused, not kept.
 * One writer per log: LOG.lock holds the writer's pid; a second sweep on the same log is refused
 * while that process lives (a lock left by a killed sweep is taken over).
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { InputError } from '../errors.js';
import { appendLine, checkRegularTarget, writeFileAtomic } from './atomicFile.js';
import type { RankRecord } from './rankRecord.js';
import { sweepSubject, type SweepSpec } from './sweep.js';
import { quantities } from '../family/vocabulary.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes LOG.lock for this process; returns its release. */
export function lockSweepLog(file: string): () => void {
  const lock = `${file}.lock`;
  checkRegularTarget(lock);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(lock, { force: true });
      process.once('exit', release);
      return () => {
        process.removeListener('exit', release);
        release();
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new InputError(`cannot lock ${file}: ${(error as Error).message.split('\n')[0]}`);
      const pid = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new InputError(`another sweep (pid ${pid}) is writing ${file}; wait for it, or give another --out`);
      }
      rmSync(lock, { force: true }); // left by a sweep that no longer runs
    }
  }
  throw new InputError(`cannot lock ${file}: ${lock} keeps reappearing`);
}

export interface SweepLogHeader {
  sweep: SweepSpec;
  command?: string;
  version: 1;
}

export interface SweepLog {
  header: SweepLogHeader;
  records: RankRecord[];
  /** lines that did not parse (a write cut short by an interruption) */
  skipped: number;
}

export function readSweepLog(file: string): SweepLog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read sweep log ${file}: ${(error as Error).message}`);
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  let header: SweepLogHeader;
  try {
    header = JSON.parse(lines[0] ?? '') as SweepLogHeader;
  } catch {
    throw new InputError(`${file} is not a sweep log (its first line is not JSON)`);
  }
  if (!header || typeof header !== 'object' || !header.sweep || !Array.isArray(header.sweep.values)) {
    throw new InputError(`${file} is not a sweep log (no "sweep" header; write one with hessian-rank sweep --out)`);
  }
  const records: RankRecord[] = [];
  let skipped = 0;
  for (const line of lines.slice(1)) {
    try {
      const record = JSON.parse(line) as RankRecord;
      if (typeof record.p === 'number' && record.measured) records.push(record);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { header, records, skipped };
}

/** JSON with sorted keys, to compare specs. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Same sweep except possibly the list of values (a resumed sweep may extend it). */
export function sameSweep(a: SweepSpec, b: SweepSpec): boolean {
  return canonical({ ...a, values: [] }) === canonical({ ...b, values: [] });
}

/** Why a record cannot be a point of `spec` (undefined: it can). Its measurement is trusted only this far. */
export function foreignRecord(record: RankRecord, spec: SweepSpec): string | undefined {
  if (typeof record.x !== 'number' || !spec.values.includes(record.x)) return `its value ${String(record.x)} is not among the sweep's`;
  if (record.seed !== spec.seed) return `seed ${String(record.seed)}, not ${spec.seed}`;
  if (record.method !== (spec.exact ? 'exact' : 'float64')) return `measured ${String(record.method)}`;
  if (record.data !== spec.data) return `data ${String(record.data)}, not ${spec.data}`;
  if (record.targets !== spec.targets) return `targets ${record.targets ?? 'drawn from the seed'}, not ${spec.targets ?? 'drawn from the seed'}`;
  let subject;
  try {
    subject = sweepSubject(spec, record.x);
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  if (JSON.stringify(record.architecture) !== JSON.stringify(subject.architecture)) return 'another architecture';
  if (record.p !== subject.p) return `p = ${String(record.p)}, not ${subject.p}`;
  if (!Number.isSafeInteger(record.r) || record.r < 0 || record.r > subject.genericDataRank) return `data rank r = ${String(record.r)} is impossible here`;
  for (const q of quantities) {
    const m = record.measured?.[q];
    // null: undetermined in float64
    if (m !== null && (!Number.isSafeInteger(m) || m! < 0 || m! > subject.p)) return `rank(${q}) = ${String(m)} is impossible for p = ${subject.p}`;
  }
  const predicted = subject.predict(record.r);
  for (const q of quantities) {
    if ((record.predicted?.[q] ?? null) !== (predicted[q]?.value ?? null)) return `its predicted rank(${q}) is not the catalog's at r = ${record.r}`;
  }
  return undefined;
}

/**
 * Opens the log for `spec`: with `resume`, an existing log of the same sweep keeps its records
 * (returned by value); otherwise the file starts afresh with the header.
 */
export function openSweepLog(file: string, spec: SweepSpec, options: { resume?: boolean; command?: string } = {}): Map<number, RankRecord> {
  const done = new Map<number, RankRecord>();
  if (options.resume && existsSync(file)) {
    const log = readSweepLog(file);
    if (!sameSweep(log.header.sweep, spec)) {
      throw new InputError(`${file} holds a different sweep (${log.header.command ?? 'another spec'}); remove it or drop --resume`);
    }
    log.records.forEach((record, i) => {
      const problem = foreignRecord(record, spec);
      if (problem) throw new InputError(`${file}: record ${i + 1} does not belong to this sweep (${problem}); remove the log or drop --resume`);
      if (done.has(record.x!)) throw new InputError(`${file}: record ${i + 1} repeats the point ${record.x}; remove the log or drop --resume`);
      done.set(record.x!, record);
    });
    // rewrite without any cut-short line, keeping the finished records
    writeFileAtomic(file, [JSON.stringify({ ...log.header, sweep: spec, ...(options.command ? { command: options.command } : {}) }), ...log.records.map((r) => JSON.stringify(r))].join('\n') + '\n');
    return done;
  }
  const header: SweepLogHeader = { sweep: spec, ...(options.command ? { command: options.command } : {}), version: 1 };
  writeFileAtomic(file, JSON.stringify(header) + '\n');
  return done;
}

export function appendRecord(file: string, record: RankRecord): void {
  appendLine(file, JSON.stringify(record));
}
