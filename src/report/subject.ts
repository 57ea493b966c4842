/**
 * A report's subject: one architecture on one data source whose Hessian ranks can be predicted
 * (closed forms of the catalog, evaluated at the measured data rank r = rank Σ_xx) and measured
 * (the numerical oracle, float64 or exact over Z/PZ). Tables, sweeps and figures see only this
 * interface, so every family of networks (fully-connected here; CNNs when they exist) renders the same.
 */
import { describe, depth, inputDimension, outputDimension, type FullyConnected } from '../architecture/fullyConnected.js';
import type { FormulaKind } from '../catalog/catalog.js';
import { predict } from '../catalog/predict.js';
import { genericDataRank } from '../catalog/vocabulary.js';
import { measure, type Measurement, type Quantity } from '../numeric/measure.js';
import type { Matrix } from '../numeric/matrix.js';
import { InputError } from '../errors.js';
import { architectureJson } from '../serialize.js';
import { digitImages } from './digits.js';

export const reportQuantities: readonly Quantity[] = ['H', 'HO', 'HF'];

/** Where the inputs x_1..x_N come from. */
export type DataSource = 'gaussian' | 'digits';
export const dataSources: readonly DataSource[] = ['gaussian', 'digits'];

export interface PredictedValue {
  value: number;
  kind: FormulaKind;
  /** catalog id of the formula */
  formula: string;
}

export type PredictedRanks = Partial<Record<Quantity, PredictedValue>>;

export interface MeasuredRanks {
  ranks: Record<Quantity, number>;
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
  /** the architecture alone, for a table's first column, e.g. "25-5-10-10" or "64-16-10, relu" */
  label: string;
  /** the architecture as JSON (its family's own shape) */
  architecture: Record<string, unknown>;
  data: DataSource;
  p: number;
  /** N, d, K and L (depth) for tables */
  samples: number;
  inputDimension: number;
  outputs: number;
  depth: number;
  /** r for generic data, min(N, d) */
  genericDataRank: number;
  predict(dataRank: number): PredictedRanks;
  measure(request: MeasureRequest): MeasuredRanks;
}

function predictedRanks(net: FullyConnected, dataRank: number): PredictedRanks {
  const prediction = predict(net, { dataRank });
  const out: PredictedRanks = {};
  for (const q of reportQuantities) {
    const f = prediction.formulas[q];
    if (f) out[q] = { value: f.value, kind: f.kind, formula: f.formula };
  }
  return out;
}

/** The inputs for `data`: undefined means Gaussian inputs drawn from the seed. */
export function dataInputs(data: DataSource, d: number, N: number): Matrix | undefined {
  if (data === 'gaussian') return undefined;
  const images = digitImages(N);
  if (images.rows !== d) {
    throw new InputError(`the digits data set has d = ${images.rows} pixels (8 × 8 images); the network has d = ${d}: use --widths 64,…`);
  }
  return images;
}

export function fullyConnectedSubject(net: FullyConnected, data: DataSource = 'gaussian'): RankSubject {
  return {
    family: 'fully-connected',
    description: describe(net) + (data === 'gaussian' ? '' : `, ${data}`),
    label: [net.widths.join('-'), net.bias ? 'bias' : '', net.activation === 'linear' ? '' : net.activation, net.loss === 'mse' ? '' : net.loss]
      .filter((part) => part !== '')
      .join(', '),
    architecture: architectureJson(net),
    data,
    p: predict(net).p,
    samples: net.samples,
    inputDimension: inputDimension(net),
    outputs: outputDimension(net),
    depth: depth(net),
    genericDataRank: genericDataRank(net),
    predict: (dataRank) => predictedRanks(net, dataRank),
    measure({ seed, exact, force }) {
      return measuredRanks(measure(net, { seed, exact, force, inputs: dataInputs(data, inputDimension(net), net.samples) }));
    },
  };
}
