/**
 * A report's subject: one architecture (of any family) on one data source, whose Hessian ranks are
 * predicted (the catalog's closed forms, evaluated at the measured data rank r) and measured (the
 * family's oracle, float64 or exact over Z/PZ). Tables, sweeps and figures see only this, so every
 * family renders the same; the family supplies everything (src/family/family.ts).
 */
import type { FormulaKind } from '../catalog/catalog.js';
import { type AnyFamily, type Architecture } from '../family/family.js';
import { familyOf } from '../family/registry.js';
import { quantities, type Quantity } from '../family/vocabulary.js';
import type { Measurement } from '../numeric/measure.js';
import type { Matrix } from '../numeric/matrix.js';
import { InputError } from '../errors.js';
import { loadDataSet, namedDataSets } from '../data/dataSet.js';

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
  if (data === 'gaussian') return undefined;
  const set = loadDataSet(data, N);
  if (set.inputs.rows !== d) {
    throw new InputError(`${set.name} has d = ${set.inputs.rows} values per sample (${set.sampleShape.join('×')}); the network has d = ${d}`);
  }
  return set.inputs;
}

/** The subject for any architecture: everything comes from its family. */
export function subject(net: Architecture, data: DataSource = 'gaussian', family: AnyFamily = familyOf(net)): RankSubject {
  const shape = family.shape(net);
  return {
    family: family.name,
    description: family.describe(net) + (data === 'gaussian' ? '' : `, ${data}`),
    label: family.label(net),
    architecture: family.json(net),
    data,
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
      return measuredRanks(family.measure(net, { seed, exact, force, inputs: dataInputs(data, shape.inputDimension, net.samples) }));
    },
  };
}

