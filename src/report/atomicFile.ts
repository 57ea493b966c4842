/**
 * Files that an interruption cannot leave half-written, and that are only ever regular files:
 * a target that exists as anything else (a device such as /dev/full, a directory, a symbolic link,
 * a FIFO) is refused before anything is written, and an existing file is replaced only when the
 * user asks (--overwrite; a resumed sweep continues its own files): checkOutputs, before any work.
 *   writeFileAtomic: write a sibling temporary file, then rename it over the target (rename is
 *     atomic on POSIX file systems), so a reader sees the old file or the new one, never a part.
 *   appendLine: one complete line per write(2) call, flushed, for incremental JSON Lines logs.
 */
import { appendFileSync, closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';

function ensureDirectory(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (error) {
    throw new InputError(`cannot create the folder of ${file}: ${(error as Error).message}`);
  }
}

/** Refuses a target that exists and is not a regular file (lstat: a symbolic link is not followed). */
export function checkRegularTarget(file: string): void {
  let stats;
  try {
    stats = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new InputError(`cannot write ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (stats.isFile()) return;
  const what = stats.isSymbolicLink() ? 'a symbolic link' : stats.isDirectory() ? 'a directory' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'not a regular file';
  throw new InputError(`${file} is ${what}; hessian-rank writes only regular files (give a file path)`);
}

/**
 * A command's output files, checked before it measures or writes anything: each must be absent or a
 * regular file (checkRegularTarget), and one that exists is refused unless `replace` (--overwrite).
 */
export function checkOutputs(files: readonly (string | undefined)[], replace: boolean | undefined): void {
  for (const file of files) {
    if (file === undefined) continue;
    checkRegularTarget(file);
    if (!replace && existsSync(file)) throw new InputError(`${file} exists; give --overwrite to replace it (nothing was written)`);
  }
}

export function writeFileAtomic(file: string, contents: string | Uint8Array): void {
  checkRegularTarget(file);
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
    checkRegularTarget(file); // again, just before replacing it
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new InputError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

export function appendLine(file: string, line: string): void {
  checkRegularTarget(file);
  ensureDirectory(file);
  try {
    appendFileSync(file, line.replace(/\n/g, ' ') + '\n');
  } catch (error) {
    throw new InputError(`cannot append to ${file}: ${(error as Error).message}`);
  }
}
