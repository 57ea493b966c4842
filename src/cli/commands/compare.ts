import { measurementJson, predictionJson } from '../../index.js';
import type { Command } from '../command.js';
import { architectureUsage, parseFlags } from '../flags.js';
import { dataUsage } from '../dataFlags.js';
import { modelUsage } from '../modelFlags.js';
import { measureFromFlags, measureOptions } from './measure.js';
import { formatComparison } from '../rankText.js';

export const compareCommand: Command = {
  usage: `usage: hessian-rank compare ARCHITECTURE [--seed S] [--exact] [--force] [--json]
  ARCHITECTURE, one of:
${architectureUsage('    ')}
  Measures a random instance (seed S; --exact over two prime fields for linear mse networks), predicts
  from the catalog at the measured data rank r, and shows both with a verdict per part: equal,
  bound holds (n above/below), off by n (estimates), DIFFERS.
${dataUsage}
${modelUsage}`,
  run(argv, io) {
    const { values } = parseFlags(argv, measureOptions);
    const { family, net, measurement: measured, data, model } = measureFromFlags(values);
    const predicted = family.predict(net, measured.r);
    predicted.description += (model ? `, model ${model}` : '') + (data ? `, data ${data}` : '');
    io.out(
      values.json
        ? JSON.stringify({ predicted: predictionJson(predicted), measured: measurementJson(measured), ...(model ? { model } : {}), ...(data ? { data } : {}) })
        : formatComparison(predicted, measured),
    );
    return 0;
  },
};
