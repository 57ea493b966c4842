import { predictionJson } from '../../index.js';
import type { Command } from '../command.js';
import { architectureFromFlags, architectureOptions, architectureUsage, commonOptions, parseFlags, parseInteger } from '../flags.js';
import { formatPrediction } from '../rankText.js';
import { modelFromFlags, modelOptions, modelUsage } from '../modelFlags.js';

export const predictCommand: Command = {
  usage: `usage: hessian-rank predict ARCHITECTURE [--data-rank r] [--json]
  ARCHITECTURE, one of:
${architectureUsage('    ')}
  --data-rank  r = rank(Σ_xx) when the data are not generic (default: generic data, min(N, d)
               for fully-connected networks, the rank of the data a CNN reads)
  --json       machine-readable output (docs/cli.md)
${modelUsage}
  rank/p is each part's predicted rank over the parameter count p`,
  run(argv, io) {
    const { values } = parseFlags(argv, { ...architectureOptions, ...commonOptions, ...modelOptions, 'data-rank': { type: 'string' } });
    const { family, net } = modelFromFlags(values) ?? architectureFromFlags(values);
    const prediction = family.predict(net, parseInteger(values['data-rank'], '--data-rank', 0));
    io.out(values.json ? JSON.stringify(predictionJson(prediction)) : formatPrediction(prediction));
    return 0;
  },
};
