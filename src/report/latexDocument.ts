/**
 * LaTeX plumbing shared by every LaTeX writer: escaping plain text, and wrapping a fragment (a
 * booktabs tabular, a tikzpicture) into a complete document.
 *
 * Fragments are what a paper \input's. A standalone document crops the page to the fragment with
 * pdfTeX's page-size primitives (no standalone.cls, which is not in texlive-latex-recommended), so
 * it compiles with texlive-latex-recommended + texlive-pictures alone.
 */

/** The packages a fragment needs in the preamble, by writer. */
export const fragmentPackages = {
  table: ['booktabs', 'amsmath'],
  plot: ['pgfplots', 'amsmath'],
  catalog: ['booktabs', 'longtable', 'amsmath', 'amssymb'],
} as const;

const textSpecials: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '^': '\\textasciicircum{}',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '%': '\\%',
};

/** Non-ASCII characters the engine's own text uses, in LaTeX (pdflatex's default fonts are OT1). */
const unicodeText: Record<string, string> = {
  '×': '$\\times$',
  '·': '$\\cdot$',
  '≤': '$\\le$',
  '≥': '$\\ge$',
  '≠': '$\\ne$',
  '−': '$-$',
  '–': '--',
  '—': '---',
  '…': '\\dots{}',
  '→': '$\\to$',
  '⊗': '$\\otimes$',
  '∑': '$\\sum$',
  'Σ': '$\\Sigma$',
  'θ': '$\\theta$',
  'σ': '$\\sigma$',
  'τ': '$\\tau$',
  'π': '$\\pi$',
  'ε': '$\\varepsilon$',
  '∇': '$\\nabla$',
  '²': '$^2$',
  '√': '$\\surd$',
  'ℓ': '$\\ell$',
  'ℒ': '$\\mathcal{L}$',
  '₁': '$_1$',
  '₂': '$_2$',
  'ᵀ': '$^{\\top}$',
  '∼': '$\\sim$',
  '≈': '$\\approx$',
  '∈': '$\\in$',
};

/** Plain text (names, descriptions) typeset literally. Unknown non-ASCII characters become '?'. */
export function escapeText(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch in textSpecials) out += textSpecials[ch];
    else if (ch in unicodeText) out += unicodeText[ch];
    else if (ch.charCodeAt(0) > 126) out += '?';
    else out += ch;
  }
  return out;
}

export interface DocumentOptions {
  packages: readonly string[];
  /** extra preamble lines */
  preamble?: readonly string[];
}

function preamble(options: DocumentOptions): string[] {
  const lines = ['\\documentclass{article}', ...options.packages.map((p) => `\\usepackage{${p}}`)];
  if (options.packages.includes('pgfplots')) lines.push('\\pgfplotsset{compat=1.16}');
  return [...lines, ...(options.preamble ?? []), '\\pagestyle{empty}'];
}

/** A one-page PDF exactly the size of `fragment` plus a 4pt margin. */
export function croppedDocument(fragment: string, options: DocumentOptions): string {
  return [
    ...preamble(options),
    '\\newsavebox{\\hessianrankbox}',
    '\\begin{document}',
    '\\begin{lrbox}{\\hessianrankbox}%',
    fragment.trimEnd() + '%',
    '\\end{lrbox}%',
    '\\pdfhorigin=4pt \\pdfvorigin=4pt',
    '\\pdfpagewidth=\\dimexpr\\wd\\hessianrankbox+8pt\\relax',
    '\\pdfpageheight=\\dimexpr\\ht\\hessianrankbox+\\dp\\hessianrankbox+8pt\\relax',
    '\\shipout\\hbox{\\usebox{\\hessianrankbox}}',
    '\\end{document}',
    '',
  ].join('\n');
}

/** An article page (for fragments that break across pages, such as a longtable). */
export function articleDocument(body: string, options: DocumentOptions): string {
  return [
    ...preamble({ ...options, packages: [...options.packages, 'geometry'] }).map((line) =>
      line === '\\usepackage{geometry}' ? '\\usepackage[margin=1.5cm,landscape]{geometry}' : line,
    ),
    '\\begin{document}',
    body.trimEnd(),
    '\\end{document}',
    '',
  ].join('\n');
}
