/**
 * The command registry: each command is one module, loaded only when it runs (a command's modules,
 * and the libraries under them, are not read by the others: `--version` or `derive` start without
 * the measurement machinery). Add yours here, one entry: its name, the one-line summary of the usage
 * list, and the module.
 */
import type { Command } from '../command.js';

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'predict', summary: 'closed-form ranks of H, H_O, H_F from the formula catalog', load: async () => (await import('./predict.js')).predictCommand },
  { name: 'measure', summary: 'measured ranks of H, H_O, H_F on a random network (float64 or --exact)', load: async () => (await import('./measure.js')).measureCommand },
  { name: 'compare', summary: 'predicted next to measured ranks of H, H_O, H_F for one architecture', load: async () => (await import('./compare.js')).compareCommand },
  { name: 'verify', summary: 'property-test a catalog formula or a conjecture against measured ranks', load: async () => (await import('./verify.js')).verifyCommand },
  { name: 'kronecker', summary: 'layer-wise Hessian blocks: exact Kronecker factors (linear mse), decoupling errors, overlaps, outliers', load: async () => (await import('./kronecker.js')).kroneckerCommand },
  { name: 'table', summary: 'predicted against measured ranks (H, H_O, H_F, p, rank/p) as LaTeX booktabs, Markdown, CSV or JSON', load: async () => (await import('./table.js')).tableCommand },
  { name: 'catalog', summary: 'list the formula catalog; --latex typesets it (quantity, formula, kind, domain, source)', load: async () => (await import('./catalog.js')).catalogCommand },
  { name: 'sweep', summary: 'vary N, width, depth or channels; measured and predicted ranks and p per point, logged as it runs', load: async () => (await import('./sweep.js')).sweepCommand },
  { name: 'plot', summary: 'figures of the papers: rank vs N, width, depth, channels, or p (√p law), as SVG and pgfplots', load: async () => (await import('./plot.js')).plotCommand },
  { name: 'derive', summary: 'derive rank expressions with symbolic widths from structure, proven equal to the catalog', load: async () => (await import('./derive.js')).deriveCommand },
  { name: 'prove', summary: 'decide whether two min/max-polynomial rank expressions are equal (or ordered); print the proof, a counterexample or why it is unknown', load: async () => (await import('./prove.js')).proveCommand },
  { name: 'train', summary: 'full-batch GD or Adam on real data; writes the trained model as ONNX and tracks the ranks along training', load: async () => (await import('./train.js')).trainCommand },
];

/** Commands folded into another, refused with the spelling that replaces them. */
export const retiredCommands: Record<string, string> = {
  'cnn-sweep':
    'cnn-sweep is now `sweep --vary channels`, which also prints how p and the ranks grow, e.g. ' +
    'hessian-rank sweep --vary channels --values 1:8 --cnn "in=16; conv k=3 c=1; conv k=3 c=1; K=4"',
};
