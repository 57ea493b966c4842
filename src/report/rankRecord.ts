/**
 * One row of a report: an architecture's predicted and measured ranks of H, H_O and H_F, its
 * parameter count p and the rank deficiency rank(H)/p.
 *
 * The prediction is evaluated at the measured data rank r (so real data with r < d are predicted
 * correctly); for real data the row also keeps the prediction at the generic r = min(N, d), which
 * shows what assuming generic data would have claimed.
 */
import type { FormulaKind } from '../catalog/catalog.js';
import type { Quantity } from '../numeric/measure.js';
import { reportQuantities, type DataSource, type MeasureRequest, type RankSubject } from './subject.js';

export type RankTriple = Record<Quantity, number | null>;

export interface RankRecord {
  family: string;
  description: string;
  label: string;
  architecture: Record<string, unknown>;
  data: DataSource;
  /** the targets' source (--targets FILE.npy or labels), when not drawn from the seed */
  targets?: string;
  /** the swept variable's value, when the row belongs to a sweep */
  x?: number;
  p: number;
  N: number;
  d: number;
  K: number;
  L: number;
  /** measured r = rank Σ_xx */
  r: number;
  /** predicted ranks at the measured r (null: no catalog formula applies) */
  predicted: RankTriple;
  kinds: Record<Quantity, FormulaKind | null>;
  formulas: Record<Quantity, string | null>;
  /** real data only: the generic r = min(N, d) and the prediction there */
  genericR?: number;
  predictedGeneric?: RankTriple;
  /** null: undetermined in float64 */
  measured: RankTriple;
  /** 'predicted': a row of table --predict-only, nothing measured (r generic, measured all null) */
  method: 'float64' | 'exact' | 'predicted';
  seed: number;
  seconds: number;
  /** float64: decades of the spectral gap of H at the cut (null: full rank, no gap) */
  gapDecades?: number | null;
}

/** Measures the subject and predicts at the measured r. */
export function rankRecord(subject: RankSubject, request: MeasureRequest, x?: number): RankRecord {
  const measured = subject.measure(request);
  const predicted = subject.predict(measured.r);
  const triple = (f: (q: Quantity) => number | null): RankTriple =>
    Object.fromEntries(reportQuantities.map((q) => [q, f(q)])) as RankTriple;
  const record: RankRecord = {
    family: subject.family,
    description: subject.description,
    label: subject.label,
    architecture: subject.architecture,
    data: subject.data,
    ...(subject.targets !== undefined ? { targets: subject.targets } : {}),
    ...(x !== undefined ? { x } : {}),
    p: subject.p,
    N: subject.samples,
    d: subject.inputDimension,
    K: subject.outputs,
    L: subject.depth,
    r: measured.r,
    predicted: triple((q) => predicted[q]?.value ?? null),
    kinds: Object.fromEntries(reportQuantities.map((q) => [q, predicted[q]?.kind ?? null])) as Record<Quantity, FormulaKind | null>,
    formulas: Object.fromEntries(reportQuantities.map((q) => [q, predicted[q]?.formula ?? null])) as Record<Quantity, string | null>,
    measured: { ...measured.ranks },
    method: measured.method,
    seed: request.seed,
    seconds: measured.seconds,
  };
  if (measured.gapDecades !== undefined) record.gapDecades = Number.isFinite(measured.gapDecades) ? measured.gapDecades : null;
  if (subject.data !== 'gaussian') {
    const generic = subject.predict(subject.genericDataRank);
    record.genericR = subject.genericDataRank;
    record.predictedGeneric = triple((q) => generic[q]?.value ?? null);
  }
  return record;
}

/**
 * A row that is only predicted (table --predict-only): the catalog at the generic data rank
 * r = min(N, what the network reads), for networks far beyond what the dense oracle can measure.
 */
export function predictionRecord(subject: RankSubject): RankRecord {
  const r = subject.genericDataRank;
  const predicted = subject.predict(r);
  const triple = (f: (q: Quantity) => number | null): RankTriple =>
    Object.fromEntries(reportQuantities.map((q) => [q, f(q)])) as RankTriple;
  return {
    family: subject.family,
    description: subject.description,
    label: subject.label,
    architecture: subject.architecture,
    data: subject.data,
    p: subject.p,
    N: subject.samples,
    d: subject.inputDimension,
    K: subject.outputs,
    L: subject.depth,
    r,
    predicted: triple((q) => predicted[q]?.value ?? null),
    kinds: Object.fromEntries(reportQuantities.map((q) => [q, predicted[q]?.kind ?? null])) as Record<Quantity, FormulaKind | null>,
    formulas: Object.fromEntries(reportQuantities.map((q) => [q, predicted[q]?.formula ?? null])) as Record<Quantity, string | null>,
    measured: triple(() => null),
    method: 'predicted',
    seed: 0,
    seconds: 0,
  };
}

/** rank(H)/p, the fraction of directions the Hessian sees (NaN when rank(H) is undetermined). */
export function rankFraction(record: RankRecord): number {
  return record.measured.H === null ? NaN : record.measured.H / record.p;
}

/**
 * How the measurement stands to the prediction: 'equal'; 'within' (an upper bound that holds, or an
 * estimate that is off); 'differs' (an exact formula or a bound that the measurement contradicts);
 * 'none' (no formula); 'undetermined' (float64 could not decide the measured rank).
 */
export type Agreement = 'equal' | 'within' | 'differs' | 'none' | 'undetermined' | 'not measured';

export function agreement(record: RankRecord, q: Quantity): Agreement {
  const predicted = record.predicted[q];
  const kind = record.kinds[q];
  const measured = record.measured[q];
  if (predicted === null || kind === null) return 'none';
  if (record.method === 'predicted') return 'not measured';
  if (measured === null) return 'undetermined';
  if (predicted === measured) return 'equal';
  if (kind === 'estimate') return 'within';
  if (kind === 'upper-bound') return measured <= predicted ? 'within' : 'differs';
  if (kind === 'lower-bound') return measured >= predicted ? 'within' : 'differs';
  return 'differs';
}
