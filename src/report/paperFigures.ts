/**
 * The figures of the papers, one preset each: a sweep and how to draw it. `hessian-rank plot
 * --figure NAME --out docs/figures/NAME --png` regenerates one (docs/figures.md lists them).
 * Sizes are chosen so that each figure's dense measurements take at most a few minutes on 2 cores.
 */
import { InputError } from '../errors.js';
import type { SweepSpec } from './sweep.js';

export type FigureKind = 'sweep' | 'parameters';

export interface PaperFigure {
  name: string;
  /** what it shows, one line */
  summary: string;
  /** which figure of which paper it reproduces (in kind) */
  reproduces: string;
  spec: SweepSpec;
  kind: FigureKind;
  /** draw p beside the ranks (log y) */
  withParameters?: boolean;
}

const linear = { bias: false, act: 'linear', loss: 'mse' } as const;

export const paperFigures: readonly PaperFigure[] = [
  {
    name: 'rank-vs-samples',
    summary: 'deep linear network 16-12-12-8: rank of H, H_O, H_F against the sample size N; it grows with r = min(N, d) and saturates at N = d = 16',
    reproduces: '[SBH21], rank against the number of samples for linear networks',
    spec: { vary: 'samples', values: [1, 2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 32], base: { widths: [16, 12, 12, 8], ...linear }, data: 'gaussian', seed: 1, exact: false },
    kind: 'sweep',
  },
  {
    name: 'rank-vs-width',
    summary: 'deep linear network 16-M-M-4 (N = 32): rank against the hidden width M, beside p; rank is linear in M, p quadratic',
    reproduces: '[SBH21], rank against the hidden width for linear networks',
    spec: { vary: 'width', values: [1, 2, 3, 4, 6, 8, 12, 16, 20, 24, 28], base: { widths: [16, 4, 4, 4], samples: 32, ...linear }, data: 'gaussian', seed: 1, exact: false },
    kind: 'sweep',
    withParameters: true,
  },
  {
    name: 'rank-vs-depth',
    summary: 'deep linear network 16-8-…-8-4 (N = 32): rank against the depth L = 1..8; every hidden layer adds the same number of directions',
    reproduces: '[SBH21], rank against the depth for linear networks',
    spec: { vary: 'depth', values: [1, 2, 3, 4, 5, 6, 7, 8], base: { widths: [16, 8, 4], samples: 32, ...linear }, data: 'gaussian', seed: 1, exact: false },
    kind: 'sweep',
  },
  {
    name: 'rank-vs-parameters',
    summary: 'deep linear network 16-M-M-2 (N = 32), M = 2..40: log-log rank against p with the guide c·√p; rank(H)/p → 0',
    reproduces: '[SBH21] and [SHS23], the √p law of the Hessian rank',
    spec: { vary: 'width', values: [2, 3, 4, 6, 8, 12, 16, 20, 24, 32, 40], base: { widths: [16, 2, 2, 2], samples: 32, ...linear }, data: 'gaussian', seed: 1, exact: false },
    kind: 'parameters',
  },
  {
    name: 'rank-vs-channels',
    summary: 'linear 1D CNN in=12; conv k=3 c; conv k=3 c; K=4 (N = 24): rank against the channels c, beside p',
    reproduces: '[SHS23], rank against the number of channels for linear CNNs',
    spec: {
      vary: 'channels',
      values: [1, 2, 3, 4, 6, 8, 10, 12],
      base: { cnn: 'in=12; conv k=3 c=1; conv k=3 c=1; K=4', samples: 24, ...linear },
      data: 'gaussian',
      seed: 1,
      exact: false,
    },
    kind: 'sweep',
    withParameters: true,
  },
  {
    name: 'digits-rank-vs-samples',
    summary: 'deep linear network 64-16-10 on the first N real digit images (8 × 8): r = rank Σ_xx stays below min(N, d), and the formulas at the measured r match',
    reproduces: '[SBH21], rank against the number of samples, on real data (r < d)',
    spec: { vary: 'samples', values: [5, 10, 20, 30, 40, 60, 80, 100, 150, 200], base: { widths: [64, 16, 10], ...linear }, data: 'digits', seed: 1, exact: false },
    kind: 'sweep',
  },
];

export function findPaperFigure(name: string): PaperFigure {
  const figure = paperFigures.find((f) => f.name === name);
  if (!figure) throw new InputError(`no figure "${name}"; figures: ${paperFigures.map((f) => f.name).join(', ')}`);
  return figure;
}
