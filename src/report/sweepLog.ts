/**
 * A sweep's log: JSON Lines, written as the sweep runs, so an interrupted sweep keeps every point it
 * finished. Line 1 is the header {"sweep": spec, "command": …}; every further line is one RankRecord.
 * The header is written atomically, each record as one appended line; a last line cut short by a
 * kill is ignored on reading. `--resume` reuses the records of a log whose spec is the same.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { appendLine, writeFileAtomic } from './atomicFile.js';
import type { RankRecord } from './rankRecord.js';
import type { SweepSpec } from './sweep.js';

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
    for (const record of log.records) if (record.x !== undefined) done.set(record.x, record);
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
