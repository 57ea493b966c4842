/**
 * Whether pdflatex, pdftotext and pdftoppm are installed. In CI (CI set) they must be: the LaTeX
 * tests then fail instead of skipping. Locally a missing TeX Live skips them with one clear line.
 */
import { spawnSync } from 'node:child_process';

export const missingTools = ['pdflatex', 'pdftotext', 'pdftoppm'].filter((tool) => {
  const result = spawnSync(tool, ['-v'], { encoding: 'utf8' });
  return (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
});

export const inCI = Boolean(process.env.CI);

/** Run the LaTeX tests: tools present, or in CI (where their absence must fail loudly). */
export const runLatexTests = missingTools.length === 0 || inCI;

if (!runLatexTests) {
  console.warn(
    `proofs-tests/report: SKIPPING the LaTeX compile tests: ${missingTools.join(', ')} not installed ` +
      '(apt-get install texlive-latex-recommended texlive-pictures poppler-utils); CI installs them and fails without them.',
  );
}
