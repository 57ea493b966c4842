/**
 * A CNN as a report subject: measured by the CNN oracle (src/cnn/measure.ts: Toeplitz / shared-weight
 * Hessians, float64 or exact), predicted by the catalog's convolutional formulas (formulas/cnn.json
 * through src/cnn/predict.ts) at the measured r. Where no formula applies a table shows "—" and a
 * figure draws the measurement alone.
 */
import {
  convolutionalDepth,
  convolutionalInputDimension,
  convolutionalParameterCount,
  convolutionalSyntax,
  describeConvolutional,
  type Convolutional,
} from '../architecture/convolutional.js';
import { measureConvolutional } from '../cnn/measure.js';
import { predictConvolutional } from '../cnn/predict.js';
import type { Quantity } from '../numeric/measure.js';
import { dataInputs, measuredRanks, type DataSource, type PredictedRanks, type RankSubject } from './subject.js';

/** The architecture as JSON: its --cnn syntax plus the shared flags. */
export function convolutionalJson(net: Convolutional): Record<string, unknown> {
  return { cnn: convolutionalSyntax(net), samples: net.samples, bias: net.bias, loss: net.loss, act: net.activation };
}

function predictedRanks(net: Convolutional, dataRank: number): PredictedRanks {
  const prediction = predictConvolutional(net, { dataRank });
  const out: PredictedRanks = {};
  for (const q of ['H', 'HO', 'HF'] as Quantity[]) {
    const f = prediction.formulas[q];
    if (f) out[q] = { value: f.value, kind: f.kind, formula: f.formula };
  }
  return out;
}

export function convolutionalSubject(net: Convolutional, data: DataSource = 'gaussian'): RankSubject {
  const d = convolutionalInputDimension(net);
  return {
    family: 'convolutional',
    description: describeConvolutional(net) + (data === 'gaussian' ? '' : `, ${data}`),
    label: [convolutionalSyntax(net), net.bias ? 'bias' : '', net.activation === 'linear' ? '' : net.activation, net.loss === 'mse' ? '' : net.loss]
      .filter((part) => part !== '')
      .join(', '),
    architecture: convolutionalJson(net),
    data,
    p: convolutionalParameterCount(net),
    samples: net.samples,
    inputDimension: d,
    outputs: net.outputs,
    depth: convolutionalDepth(net),
    genericDataRank: Math.min(net.samples, d),
    predict: (dataRank) => predictedRanks(net, dataRank),
    measure({ seed, exact, force }) {
      return measuredRanks(measureConvolutional(net, { seed, exact, force, inputs: dataInputs(data, d, net.samples) }));
    },
  };
}
