import { measurementJson, predictionJson } from '../../serialize.js';
import type { Command } from '../command.js';
import { architectureFromFlags, architectureOptions, architectureUsage, commonOptions, parseFlags, parseInteger } from '../flags.js';
import { formatComparison } from '../rankText.js';

export const compareCommand: Command = {
  name: 'compare',
  summary: 'predicted next to measured ranks of H, H_O, H_F for one architecture',
  usage: `usage: hessian-rank compare ARCHITECTURE [--seed S] [--exact] [--force] [--json]
  ARCHITECTURE, one of:
${architectureUsage('    ')}
  Measures a random instance (seed S; --exact over two prime fields for linear mse networks), predicts
  from the catalog at the measured data rank r, and shows both with a verdict per part: equal,
  bound holds (n above/below), off by n (estimates), DIFFERS.`,
  run(argv, io) {
    const { values } = parseFlags(argv, {
      ...architectureOptions,
      ...commonOptions,
      seed: { type: 'string' },
      exact: { type: 'boolean' },
      force: { type: 'boolean' },
    });
    const { family, net } = architectureFromFlags(values);
    const measured = family.measure(net, { seed: parseInteger(values.seed, '--seed') ?? 0, exact: values.exact, force: values.force });
    const predicted = family.predict(net, measured.r);
    io.out(values.json ? JSON.stringify({ predicted: predictionJson(predicted), measured: measurementJson(measured) }) : formatComparison(predicted, measured));
    return 0;
  },
};
