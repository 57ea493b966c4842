import { describe } from '../../architecture/fullyConnected.js';
import { predict } from '../../catalog/predict.js';
import { measure } from '../../numeric/measure.js';
import { measurementJson, predictionJson } from '../../serialize.js';
import type { Command } from '../command.js';
import { architectureFromFlags, parseFlags, parseInteger } from '../flags.js';
import { textTable } from '../table.js';
import { measureOptions } from './measure.js';
import { compareConvolutional, compareConvolutionalJson, cnnUsage, convolutionalFromFlags } from '../convolutional.js';
import { measureConvolutional } from '../../cnn/measure.js';
import { predictConvolutional } from '../../cnn/predict.js';

export const compareCommand: Command = {
  name: 'compare',
  summary: 'predicted next to measured ranks of H, H_O, H_F for one architecture',
  usage: `usage: hessian-rank compare --widths d,M1,...,K [--samples N] [--bias] [--loss mse|ce] [--act linear|relu|tanh]
                             [--seed S] [--exact] [--force] [--json]
  Predicts from the catalog, measures on a random instance (r measured from the data) and shows both.
${cnnUsage}`,
  run(argv, io) {
    const { values } = parseFlags(argv, measureOptions);
    if (values.cnn !== undefined) {
      const cnn = convolutionalFromFlags(values);
      const measuredCnn = measureConvolutional(cnn, { seed: parseInteger(values.seed, '--seed') ?? 0, exact: values.exact, force: values.force });
      const predictedCnn = predictConvolutional(cnn, { dataRank: measuredCnn.r });
      io.out(values.json ? JSON.stringify(compareConvolutionalJson(predictedCnn, measuredCnn)) : compareConvolutional(predictedCnn, measuredCnn));
      return 0;
    }
    const net = architectureFromFlags(values);
    const measured = measure(net, { seed: parseInteger(values.seed, '--seed') ?? 0, exact: values.exact, force: values.force });
    const predicted = predict(net, { dataRank: measured.r });
    if (values.json) {
      io.out(JSON.stringify({ predicted: predictionJson(predicted), measured: measurementJson(measured) }));
      return 0;
    }
    io.out(`${describe(net)}: p = ${predicted.p}, r = ${measured.r}, q = ${predicted.q}, s = ${predicted.s}`);
    const rows = (['H', 'HO', 'HF'] as const).map((q) => {
      const f = predicted.formulas[q];
      const m = measured.ranks[q];
      const verdict = !f ? 'no formula' : f.value === m ? 'equal' : f.kind === 'upper-bound' && m <= f.value ? 'bound holds' : f.kind === 'estimate' ? `off by ${m - f.value}` : 'DIFFERS';
      return [q, f ? f.value : '—', m, f ? f.kind : '', f ? f.status : '', verdict, f ? f.formula : ''];
    });
    io.out(textTable(['', 'predicted', 'measured', 'kind', 'status', 'verdict', 'formula'], rows));
    io.out(
      measured.method === 'exact'
        ? `measured exactly over Z/PZ, P = ${measured.parts.H.exact!.primes.join(', ')} (seed ${measured.seed}, ${measured.seconds.toFixed(2)} s)`
        : `measured in float64, τ = σ_max·p·ε per part (seed ${measured.seed}, ${measured.seconds.toFixed(2)} s); rank(H) gap at the cut: ${
            measured.parts.H.numerical!.gap ? measured.parts.H.numerical!.gap.decades.toFixed(1) + ' decades' : 'none (full rank)'
          }`,
    );
    return 0;
  },
};
