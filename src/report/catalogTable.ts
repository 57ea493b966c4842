/**
 * The formula catalog typeset as a table of theorems: for every entry its quantity, formula (the
 * entry's own LaTeX), kind (exact, upper or lower bound, estimate), domain (activations, losses, bias,
 * condition) and source (paper or derived here). LaTeX: a booktabs longtable, grouped by family, to
 * \input into a paper (it breaks across pages); Markdown and plain text for the terminal and docs.
 */
import { mathWithUnits } from '../catalog/expression.js';
import type { CompiledFormula, FormulaEntry } from '../catalog/catalog.js';
import { articleDocument, escapeText, fragmentPackages } from './latexDocument.js';

const quantityNames: Record<string, { text: string; latex: string }> = {
  H: { text: 'rank H', latex: '$\\operatorname{rank} H$' },
  HO: { text: 'rank H_O', latex: '$\\operatorname{rank} H_O$' },
  HF: { text: 'rank H_F', latex: '$\\operatorname{rank} H_F$' },
  HO_block: { text: 'rank of H_O block (l,l)', latex: '$\\operatorname{rank} [H_O]_{ll}$' },
  HF_block: { text: 'rank of H_F block (l,l)', latex: '$\\operatorname{rank} [H_F]_{ll}$' },
  H_block: { text: 'rank of H block (l,l)', latex: '$\\operatorname{rank} [H]_{ll}$' },
};

/** An identifier in typewriter type that may break after '-' and '_' (ids are long). */
function breakableCode(id: string): string {
  return `\\texttt{${escapeText(id).replace(/(-|\\_)/g, '$1\\allowbreak{}')}}`;
}

function quantityName(quantity: string, style: 'text' | 'latex'): string {
  return quantityNames[quantity]?.[style] ?? (style === 'latex' ? breakableCode(quantity) : quantity);
}

/** A mathjs condition such as "L >= 2" in LaTeX, single letters in italics as in the formulas. */
export function conditionLatex(condition: string): string {
  return mathWithUnits
    .parse(condition)
    .toTex()
    .replace(/\\mathrm\{([A-Za-z])\}/g, '{$1}');
}

const listText = (values: readonly string[] | undefined): string | undefined => (values && values.length > 0 ? values.join('/') : undefined);

/** The domain in words: "linear; mse; no bias; L ≥ 2". */
export function domainParts(entry: FormulaEntry): { text: string[]; latex: string[] } {
  const text: string[] = [];
  const latex: string[] = [];
  const activations = listText(entry.domain.activation);
  const losses = listText(entry.domain.loss);
  for (const part of [activations, losses]) {
    if (part) {
      text.push(part);
      latex.push(escapeText(part));
    }
  }
  if (entry.estimateFor && entry.estimateFor.length > 0) {
    text.push(`estimate for ${entry.estimateFor.join('/')}`);
    latex.push(`estimate for ${escapeText(entry.estimateFor.join('/'))}`);
  }
  if (entry.domain.bias !== undefined) {
    text.push(entry.domain.bias ? 'bias' : 'no bias');
    latex.push(entry.domain.bias ? 'bias' : 'no bias');
  }
  if (entry.domain.condition) {
    text.push(entry.domain.condition);
    latex.push(`$${conditionLatex(entry.domain.condition)}$`);
  }
  return { text, latex };
}

function sourceText(entry: FormulaEntry, style: 'text' | 'latex'): string {
  const e = style === 'latex' ? escapeText : (s: string) => s;
  if (entry.source.paper) return `[${e(entry.source.paper)}]${entry.source.statement ? ' ' + e(entry.source.statement) : ''}`;
  return `derived here (${e(entry.source.derivedHere ?? '')})`;
}

function byFamily(catalog: readonly CompiledFormula[]): [string, FormulaEntry[]][] {
  const families = new Map<string, FormulaEntry[]>();
  for (const f of catalog) {
    const list = families.get(f.entry.family) ?? [];
    list.push(f.entry);
    families.set(f.entry.family, list);
  }
  return [...families.entries()];
}

/** The longtable fragment. */
export function catalogLatex(catalog: readonly CompiledFormula[], options: { command?: string } = {}): string {
  const header = 'id & quantity & formula & kind & domain & source \\\\';
  const lines = [
    '% hessian-rank catalog: the closed forms in formulas/*.json.',
    ...(options.command ? [`% Regenerate: ${options.command}`] : []),
    '% Needs \\usepackage{booktabs,longtable,amsmath,amssymb}.',
    '\\begin{longtable}{@{}p{3.2cm}p{2.3cm}p{6.4cm}p{1.7cm}p{3.6cm}p{5.4cm}@{}}',
    '\\toprule',
    header,
    '\\midrule',
    '\\endfirsthead',
    '\\toprule',
    header,
    '\\midrule',
    '\\endhead',
    '\\bottomrule',
    '\\endfoot',
  ];
  byFamily(catalog).forEach(([family, entries], i) => {
    if (i > 0) lines.push('\\midrule');
    lines.push(`\\multicolumn{6}{@{}l}{\\textbf{${escapeText(family)}}} \\tabularnewline[2pt]`);
    for (const entry of entries) {
      lines.push(
        [
          `\\raggedright\\footnotesize ${breakableCode(entry.id)}`,
          `\\raggedright ${quantityName(entry.quantity, 'latex')}`,
          `\\raggedright $${entry.latex}$`,
          `\\raggedright ${escapeText(entry.kind.replace('-', ' '))}, ${entry.status}`,
          `\\raggedright\\footnotesize ${domainParts(entry).latex.join('; ')}`,
          `\\raggedright\\footnotesize ${sourceText(entry, 'latex')}`,
        ].join(' & ') + ' \\tabularnewline',
      );
    }
  });
  lines.push('\\end{longtable}', '');
  return lines.join('\n');
}

export function catalogDocument(catalog: readonly CompiledFormula[], options: { command?: string } = {}): string {
  return articleDocument(catalogLatex(catalog, options), { packages: fragmentPackages.catalog });
}

export function catalogMarkdown(catalog: readonly CompiledFormula[]): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  const lines: string[] = [];
  for (const [family, entries] of byFamily(catalog)) {
    lines.push(`### ${family}`, '', '| id | quantity | formula | kind | domain | source |', '|:---|:---|:---|:---|:---|:---|');
    for (const entry of entries) {
      lines.push(
        `| \`${entry.id}\` | ${cell(quantityName(entry.quantity, 'text'))} | $${cell(entry.latex)}$ | ${entry.kind}, ${entry.status} | ${cell(domainParts(entry).text.join('; '))} | ${cell(sourceText(entry, 'text'))} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** The terminal listing: id, quantity, kind (status), expression, domain, source. */
export function catalogText(catalog: readonly CompiledFormula[]): string[][] {
  return catalog.map((f) => [
    f.entry.id,
    f.entry.quantity,
    `${f.entry.kind} (${f.entry.status})`,
    f.entry.expression,
    domainParts(f.entry).text.join('; '),
    f.entry.source.paper ?? 'derived here',
  ]);
}
