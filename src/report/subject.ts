/**
 * A report's subject: one architecture (of any family) on one data source, whose Hessian ranks are
 * predicted (the catalog's closed forms, evaluated at the measured data rank r) and measured (the
 * family's oracle, float64 or exact over Z/PZ). Tables, sweeps and figures see only this, so every
 * family renders the same; the family supplies everything (src/family/family.ts).
 */
import type { FormulaKind } from '../catalog/catalog.js';
import { type AnyFamily, type Architecture, type Shape } from '../family/family.js';
import { familyOf } from '../family/registry.js';
import { quantities, type Quantity } from '../family/vocabulary.js';
import type { Measurement } from '../numeric/measure.js';
import type { Matrix } from '../numeric/matrix.js';
import { InputError } from '../errors.js';
import { loadDataSet, loadTargets, namedDataSets, type DataSet } from '../data/dataSet.js';

export const reportQuantities: readonly Quantity[] = quantities;

/** Where the inputs x_1..x_N come from: gaussian (drawn from the seed), digits, fashion-mnist or a FILE.npy (src/data/dataSet.ts). */
export type DataSource = string;
export const dataSources: readonly DataSource[] = ['gaussian', ...namedDataSets];

export interface PredictedValue {
  value: number;
  kind: FormulaKind;
  /** catalog id of the formula */
  formula: string;
}

export type PredictedRanks = Partial<Record<Quantity, PredictedValue>>;

export interface MeasuredRanks {
  /** null: undetermined in float64 (docs/theory.md#when-float64-decides-a-rank) */
  ranks: Record<Quantity, number | null>;
  /** measured r = rank Σ_xx */
  r: number;
  method: 'float64' | 'exact';
  seconds: number;
  /** float64 only: decades of the spectral gap of H at the cut (null: no gap, full rank; Infinity: exact zeros) */
  gapDecades?: number | null;
}

/** A measurement (any architecture family) as the reports record it. */
export function measuredRanks(m: Pick<Measurement<unknown>, 'ranks' | 'r' | 'method' | 'seconds' | 'parts'>): MeasuredRanks {
  const gap = m.parts.H.numerical?.gap;
  return {
    ranks: { ...m.ranks },
    r: m.r,
    method: m.method,
    seconds: m.seconds,
    ...(m.method === 'float64' ? { gapDecades: gap ? gap.decades : null } : {}),
  };
}

export interface MeasureRequest {
  seed: number;
  exact?: boolean;
  force?: boolean;
}

export interface RankSubject {
  family: string;
  /** one line naming the architecture and its data, e.g. "25-5-10-10, N=50" */
  description: string;
  /** the architecture alone, for a table's first column, e.g. "25,5,10,10" or "64,16,10, relu" */
  label: string;
  /** the architecture as JSON (its family's one shape) */
  architecture: Record<string, unknown>;
  data: DataSource;
  /** the targets' source (--targets FILE.npy or labels); undefined: drawn from the seed */
  targets?: string;
  p: number;
  /** N, d, K and L (depth) for tables */
  samples: number;
  inputDimension: number;
  outputs: number;
  depth: number;
  /** r for generic data: the largest rank the data the network reads can have */
  genericDataRank: number;
  predict(dataRank: number): PredictedRanks;
  measure(request: MeasureRequest): MeasuredRanks;
}

/** The inputs for `data`: undefined means Gaussian inputs drawn from the seed. */
export function dataInputs(data: DataSource, d: number, N: number): Matrix | undefined {
  return loadedData(data, d, N)?.inputs;
}

function loadedData(data: DataSource, d: number, N: number): DataSet | undefined {
  if (data === 'gaussian') return undefined;
  const set = loadDataSet(data, N);
  if (set.inputs.rows !== d) {
    throw new InputError(`${set.name} has d = ${set.inputs.rows} values per sample (${set.sampleShape.join('×')}); the network has d = ${d}`);
  }
  return set;
}

/** Inputs (d × N, undefined: Gaussian) and targets (K × N, undefined: drawn) of a subject's instance. */
function subjectData(net: Architecture, shape: Shape, data: DataSource, targets: string | undefined): { inputs?: Matrix; targets?: Matrix } {
  const set = loadedData(data, shape.inputDimension, net.samples);
  return { inputs: set?.inputs, targets: targets === undefined ? undefined : loadTargets(targets, shape.outputs, net.samples, set, net.loss) };
}

/**
 * The subject for any architecture: everything comes from its family. `targets` (a FILE.npy or
 * labels) replaces the drawn targets; it is read once here, so a wrong shape is refused before
 * anything is measured.
 */
export function subject(net: Architecture, data: DataSource = 'gaussian', family: AnyFamily = familyOf(net), targets?: string): RankSubject {
  const shape = family.shape(net);
  if (targets !== undefined) {
    if (targets === 'labels' && data === 'gaussian') throw new InputError('--targets labels needs --data digits or fashion-mnist');
    loadTargets(targets, shape.outputs, net.samples, targets === 'labels' ? loadedData(data, shape.inputDimension, net.samples) : undefined, net.loss);
  }
  return {
    family: family.name,
    description: family.describe(net) + (data === 'gaussian' ? '' : `, ${data}`) + (targets === undefined ? '' : `, targets ${targets}`),
    label: family.label(net),
    architecture: family.json(net),
    data,
    ...(targets !== undefined ? { targets } : {}),
    p: family.parameters(net),
    ...shape,
    genericDataRank: family.dataRank(net),
    predict(dataRank) {
      const prediction = family.predict(net, dataRank);
      const out: PredictedRanks = {};
      for (const q of quantities) {
        const f = prediction.formulas[q];
        if (f) out[q] = { value: f.value, kind: f.kind, formula: f.formula };
      }
      return out;
    },
    measure({ seed, exact, force }) {
      return measuredRanks(family.measure(net, { seed, exact, force, ...subjectData(net, shape, data, targets) }));
    },
  };
}
