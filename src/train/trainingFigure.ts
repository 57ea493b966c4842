/**
 * Ranks along training as a figure (rendered by the shared SVG and pgfplots writers): the measured
 * ranks of H, H_O and H_F against the training step, one series per part; p is given in the note.
 */
import { quantityLabels, type Figure, type Series } from '../report/figure.js';
import { reportQuantities } from '../report/subject.js';
import type { Quantity } from '../numeric/measure.js';

export interface TrackedPoint {
  step: number;
  loss: number;
  /** null where float64 cannot decide the rank (not drawn) */
  ranks: Record<Quantity, number | null>;
}

const marks = { H: 'circle', HO: 'square', HF: 'triangle' } as const;

export function trainingFigure(points: readonly TrackedPoint[], description: string, p: number): Figure {
  const series: Series[] = reportQuantities.map((q) => ({
    id: `${q}-measured`,
    label: quantityLabels[q],
    role: 'measured',
    color: q,
    mark: marks[q],
    points: points.filter((point) => point.ranks[q] !== null).map((point) => [point.step, point.ranks[q]!] as [number, number]),
  }));
  const last = points[points.length - 1];
  return {
    title: `Hessian ranks during training: ${description}`,
    x: { label: { text: 'training step', latex: 'training step' }, log: false },
    y: { label: { text: 'rank', latex: 'rank' }, log: false },
    series,
    note: `p = ${p}; float64 ranks at τ = σ_max·p·ε` + (last ? `; loss ${last.loss.toPrecision(3)} at step ${last.step}` : ''),
  };
}
