/**
 * Files that an interruption cannot leave half-written.
 *   writeFileAtomic: write a sibling temporary file, then rename it over the target (rename is
 *     atomic on POSIX file systems), so a reader sees the old file or the new one, never a part.
 *   appendLine: one complete line per write(2) call, flushed, for incremental JSON Lines logs.
 */
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';

function ensureDirectory(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (error) {
    throw new InputError(`cannot create the folder of ${file}: ${(error as Error).message}`);
  }
}

export function writeFileAtomic(file: string, contents: string | Uint8Array): void {
  ensureDirectory(file);
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, typeof contents === 'string' ? Buffer.from(contents) : contents);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new InputError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

export function appendLine(file: string, line: string): void {
  ensureDirectory(file);
  try {
    appendFileSync(file, line.replace(/\n/g, ' ') + '\n');
  } catch (error) {
    throw new InputError(`cannot append to ${file}: ${(error as Error).message}`);
  }
}
