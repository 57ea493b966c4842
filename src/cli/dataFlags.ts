/**
 * The data flags of measure, compare, kronecker, train and the report commands:
 *   --data digits|fashion-mnist|FILE.npy   real inputs instead of Gaussian ones (src/data/dataSet.ts)
 *   --targets FILE.npy|labels              real targets instead of drawn ones
 *   --subset N                             the first N samples (the same as --samples N)
 * N is --samples or --subset; without either, a .npy file gives all its rows and a named set the
 * architecture's default 2d.
 */
import { InputError } from '../errors.js';
import { isDataSource, loadDataSet, loadTargets, sampleCount, type DataSet } from '../data/dataSet.js';
import type { Matrix } from '../numeric/matrix.js';
import type { Loss } from '../family/vocabulary.js';
import { parseInteger, type Options } from './flags.js';

export const dataOptions = {
  data: { type: 'string' },
  targets: { type: 'string' },
  subset: { type: 'string' },
} as const satisfies Options;

export const dataUsage = `  --data digits|fashion-mnist|FILE.npy   real inputs (N×d, or N×C×H×W for --cnn; docs/models.md); r is measured
  --targets FILE.npy|labels   N class indices (one-hot) or an N×K array (ce: rows of probabilities);
                              labels: the data set's classes
  --subset N                  the first N samples of --data (same as --samples N; default: all rows of a
                              .npy file, 2d images of digits or fashion-mnist)`;

export interface DataFlags {
  data?: string;
  targets?: string;
  subset?: string;
  samples?: string;
}

/** The samples N the flags ask for (undefined: the architecture's default). */
export function samplesFromFlags(values: DataFlags): number | undefined {
  const samples = parseInteger(values.samples, '--samples', 1);
  const subset = parseInteger(values.subset, '--subset', 1);
  if (samples !== undefined && subset !== undefined && samples !== subset) throw new InputError(`--samples ${samples} and --subset ${subset} disagree; give one of them`);
  if (values.data !== undefined && !isDataSource(values.data)) throw new InputError(`--data must be digits, fashion-mnist or a FILE.npy, got "${values.data}"`);
  if (subset !== undefined && values.data === undefined) throw new InputError('--subset needs --data');
  if (values.targets !== undefined && values.data === undefined && values.targets === 'labels') throw new InputError('--targets labels needs --data digits or fashion-mnist');
  const N = samples ?? subset;
  if (N === undefined && values.data?.endsWith('.npy')) return sampleCount(values.data);
  return N;
}

export interface LoadedData {
  data?: DataSet;
  inputs?: Matrix;
  targets?: Matrix;
}

/** Inputs (d × N) and targets (K × N) for a network with d inputs, K outputs and N samples. */
export function dataFromFlags(values: DataFlags, shape: { inputDimension: number; outputs: number; samples: number; loss?: Loss }): LoadedData {
  const data = values.data === undefined ? undefined : loadDataSet(values.data, shape.samples);
  if (data && data.inputs.rows !== shape.inputDimension) {
    throw new InputError(`${data.name} has d = ${data.inputs.rows} values per sample (shape ${data.sampleShape.join('×')}); the network reads d = ${shape.inputDimension}`);
  }
  const targets = values.targets === undefined ? undefined : loadTargets(values.targets, shape.outputs, shape.samples, data, shape.loss);
  return { data, inputs: data?.inputs, targets };
}

/** The flags with --samples set to N when the data decide it. */
export function withSamples<T extends DataFlags>(values: T): T {
  const N = samplesFromFlags(values);
  return { ...values, samples: N === undefined ? undefined : String(N) };
}
