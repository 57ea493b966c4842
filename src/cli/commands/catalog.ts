import { loadCatalog } from '../../catalog/catalog.js';
import { InputError } from '../../errors.js';
import { checkOutputs, writeFileAtomic } from '../../report/atomicFile.js';
import { catalogDocument, catalogLatex, catalogMarkdown, catalogText } from '../../report/catalogTable.js';
import { compileLatex, pdfToPng } from '../../report/latexCompile.js';
import type { Command } from '../command.js';
import { parseFlags } from '../flags.js';
import { commandLine } from './reportFlags.js';

/** Columns of text, left-aligned (expressions and domains read better so than right-aligned). */
function leftAligned(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, j) => Math.max(...all.map((row) => [...(row[j] ?? '')].length)));
  return all.map((row) => row.map((cell, j) => cell + ' '.repeat(widths[j]! - [...cell].length)).join('  ').trimEnd()).join('\n');
}

export const catalogCommand: Command = {
  usage: `usage: hessian-rank catalog [--latex [--standalone] | --markdown | --json] [--out FILE] [--png FILE]
  Lists every closed form in formulas/*.json.
  --latex       a booktabs longtable to \\input (needs booktabs, longtable, amsmath, amssymb)
  --standalone  with --latex: a complete document (landscape article)
  --markdown    a Markdown table per family
  --json        the catalog entries as JSON
  --out FILE    write there (atomically) instead of stdout
  --png FILE    render the typeset catalog's first page to PNG (needs pdflatex and pdftoppm)
  --overwrite   replace --out/--png files that exist (refused otherwise)`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      latex: { type: 'boolean' },
      standalone: { type: 'boolean' },
      markdown: { type: 'boolean' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      png: { type: 'string' },
      overwrite: { type: 'boolean' },
    });
    checkOutputs([values.out, values.png], values.overwrite);
    if ([values.latex, values.markdown, values.json].filter(Boolean).length > 1) throw new InputError('choose one of --latex, --markdown, --json');
    if (values.standalone && !values.latex) throw new InputError('--standalone goes with --latex');
    const catalog = loadCatalog();
    const command = commandLine('catalog', argv);
    let text: string;
    if (values.latex) text = values.standalone ? catalogDocument(catalog, { command }) : catalogLatex(catalog, { command });
    else if (values.markdown) text = catalogMarkdown(catalog);
    else if (values.json) text = JSON.stringify(catalog.map((f) => f.entry), null, 2);
    else text = leftAligned(['id', 'quantity', 'kind', 'expression', 'domain', 'source'], catalogText(catalog));
    if (values.out !== undefined) writeFileAtomic(values.out, text.endsWith('\n') ? text : text + '\n');
    else io.out(text.trimEnd());
    if (values.png !== undefined) await pdfToPng(await compileLatex(catalogDocument(catalog, { command })), values.png);
    return 0;
  },
};
