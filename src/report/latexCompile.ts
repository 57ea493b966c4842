/**
 * Compiling LaTeX for real: pdflatex (TeX Live: texlive-latex-recommended + texlive-pictures) turns a
 * document into a PDF, pdftotext and pdftoppm (poppler-utils) read it back as text or render it as
 * PNG. Used by `plot --png`, the docs' figures and the test suite, which checks that every LaTeX
 * output compiles and shows the expected numbers.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '../errors.js';
import { writeFileAtomic } from './atomicFile.js';

const run = promisify(execFile);

export const latexTools = {
  pdflatex: 'texlive-latex-recommended and texlive-pictures',
  pdftotext: 'poppler-utils',
  pdftoppm: 'poppler-utils',
} as const;

export class LatexError extends Error {
  constructor(message: string, readonly log: string) {
    super(message);
    this.name = 'LatexError';
  }
}

/** The first error of a pdflatex log ("! ..." and the line after it). */
function firstError(log: string): string {
  const lines = log.split('\n');
  const at = lines.findIndex((line) => line.startsWith('!'));
  return at < 0 ? 'pdflatex failed (no "!" line in the log)' : lines.slice(at, at + 3).join(' ').trim();
}

/** Compiles `source` (a complete document) and returns the PDF's bytes. */
export async function compileLatex(source: string): Promise<Uint8Array> {
  return (await compileLatexWithLog(source)).pdf;
}

/** Compiles `source` and returns the PDF's bytes and pdflatex's log (e.g. to look for "Overfull \hbox"). */
export async function compileLatexWithLog(source: string): Promise<{ pdf: Uint8Array; log: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'hessian-rank-latex-'));
  try {
    writeFileSync(join(dir, 'document.tex'), source);
    try {
      await run('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', '-no-shell-escape', 'document.tex'], {
        cwd: dir,
        maxBuffer: 64 * 2 ** 20,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new InputError(`pdflatex is not installed (Debian: apt-get install ${latexTools.pdflatex})`);
      }
      const logFile = join(dir, 'document.log');
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : String((error as { stdout?: string }).stdout ?? '');
      throw new LatexError(`LaTeX does not compile: ${firstError(log)}`, log);
    }
    return { pdf: readFileSync(join(dir, 'document.pdf')), log: readFileSync(join(dir, 'document.log'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withPdf<T>(pdf: Uint8Array, work: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'hessian-rank-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    return await work(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The PDF's text: 'layout' keeps the physical layout (a table row on one line), 'raw' the order of
 * the content stream (a table cell's text stays together even when it wraps).
 */
export function pdfText(pdf: Uint8Array, mode: 'layout' | 'raw' = 'layout'): Promise<string> {
  return withPdf(pdf, async (file) => (await run('pdftotext', [`-${mode}`, file, '-'], { maxBuffer: 64 * 2 ** 20 })).stdout);
}

/** Renders the PDF's first page to a PNG file at `dpi`. */
export function pdfToPng(pdf: Uint8Array, pngFile: string, dpi = 150): Promise<void> {
  return withPdf(pdf, async (file, dir) => {
    await run('pdftoppm', ['-png', '-r', String(dpi), '-singlefile', '-f', '1', file, join(dir, 'page')]);
    writeFileAtomic(pngFile, readFileSync(join(dir, 'page.png')));
  });
}
