import { describe } from '../../architecture/fullyConnected.js';
import { predict } from '../../catalog/predict.js';
import { predictionJson } from '../../serialize.js';
import type { Command } from '../command.js';
import { architectureFromFlags, architectureOptions, commonOptions, parseFlags, parseInteger } from '../flags.js';
import { textTable } from '../table.js';
import { cnnOption, cnnUsage, convolutionalFromFlags, convolutionalPredictionJson, formatConvolutionalPrediction } from '../convolutional.js';
import { predictConvolutional } from '../../cnn/predict.js';

export const predictCommand: Command = {
  name: 'predict',
  summary: 'closed-form ranks of H, H_O, H_F from the formula catalog',
  usage: `usage: hessian-rank predict --widths d,M1,...,K [--samples N] [--bias] [--loss mse|ce] [--act linear|relu|tanh]
                             [--data-rank r] [--json]
  --widths     input dimension, hidden widths, outputs (e.g. 25,5,10,10)
  --samples    N (default 2d)
  --data-rank  r = rank(Σ_xx) when the data are not generic (default min(N, d))
  --json       machine-readable output (docs/cli.md)
${cnnUsage}
               (--data-rank is then the rank of the data the network reads)`,
  run(argv, io) {
    const { values } = parseFlags(argv, { ...architectureOptions, ...commonOptions, ...cnnOption, 'data-rank': { type: 'string' } });
    if (values.cnn !== undefined) {
      const prediction = predictConvolutional(convolutionalFromFlags(values), { dataRank: parseInteger(values['data-rank'], '--data-rank', 0) });
      io.out(values.json ? JSON.stringify(convolutionalPredictionJson(prediction)) : formatConvolutionalPrediction(prediction));
      return 0;
    }
    const net = architectureFromFlags(values);
    const prediction = predict(net, { dataRank: parseInteger(values['data-rank'], '--data-rank', 0) });
    if (values.json) {
      io.out(JSON.stringify(predictionJson(prediction)));
      return 0;
    }
    io.out(`${describe(net)}: p = ${prediction.p}, r = ${prediction.r}, q = ${prediction.q}, s = ${prediction.s}`);
    const rows = (['H', 'HO', 'HF'] as const).map((q) => {
      const f = prediction.formulas[q];
      return f ? [q, f.value, f.kind, f.status, f.formula] : [q, '—', 'no formula', '', ''];
    });
    io.out(textTable(['', 'rank', 'kind', 'status', 'formula'], rows));
    for (const [quantity, blocks] of Object.entries(prediction.blocks)) {
      const label = quantity === 'HO_block' ? 'H_O diagonal blocks' : quantity;
      io.out(`${label} (layer 1..L): ${blocks.map((b) => b.value).join(', ')}  [${[...new Set(blocks.map((b) => b.kind))].join(', ')}]`);
    }
    return 0;
  },
};
