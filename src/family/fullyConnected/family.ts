/**
 * Fully-connected networks f(x) = W_L σ(⋯ σ(W_1 x + b_1) ⋯) + b_L as a family
 * (src/architecture/fullyConnected.ts): named by --widths d,M_1,…,M_{L-1},K, predicted by the
 * catalog's fully-connected formulas (src/catalog/predict.ts), measured by src/numeric/measure.ts.
 */
import {
  depth,
  describe,
  fullyConnected,
  inputDimension,
  outputDimension,
  parameterCount,
  type FullyConnected,
} from '../../architecture/fullyConnected.js';
import { predict } from '../../catalog/predict.js';
import { architectureScope, genericDataRank, vocabulary } from '../../catalog/vocabulary.js';
import { InputError } from '../../errors.js';
import { limits } from '../limits.js';
import { estimateCost, measure } from '../../numeric/measure.js';
import { fullyConnectedArbitrary } from '../../verify/arbitraries.js';
import { withSettings, type Family } from '../family.js';

/** "25,5,10,10", or the papers' "25-5-10-10" when there is no comma (so "3,-1,2" keeps its minus sign). */
export function parseWidths(text: string): number[] {
  const parts = (text.includes(',') ? text.split(',') : text.split(/[-x]/)).map((s) => s.trim());
  if (parts.length < 2) throw new InputError(`--widths needs at least d and K, got "${text}"`);
  return parts.map((part, i) => {
    if (!/^\d+$/.test(part)) throw new InputError(`--widths: entry ${i + 1} "${part}" of "${text.slice(0, 80)}" is not a positive integer`);
    const value = Number(part);
    if (value < 1) throw new InputError(`--widths: entry ${i + 1} is ${value}; widths must be at least 1`);
    return value;
  });
}

export const fullyConnectedFamily: Family<FullyConnected> = {
  name: 'fully-connected',
  flag: 'widths',
  flagUsage: '--widths d,M1,...,K',
  flagHelp: 'a fully-connected network: input dimension, hidden widths, outputs (e.g. 25,5,10,10)',
  plural: 'architectures',
  depthFlag: 'depth',
  sweepVariables: ['width', 'depth'],
  parse: (text, shared) => fullyConnected({ widths: parseWidths(text), ...shared }),
  fromJson(value, shared) {
    if (!Array.isArray(value)) throw new InputError(`"widths" must be a list of positive integers, got ${JSON.stringify(value)?.slice(0, 60)}`);
    return fullyConnected({ widths: value as number[], ...shared });
  },
  syntax: (net) => net.widths.join(','),
  label: (net) => withSettings(net.widths.join('-'), net),
  describe,
  json: (net) => ({ widths: [...net.widths], samples: net.samples, bias: net.bias, loss: net.loss, act: net.activation }),
  parameters: parameterCount,
  shape: (net) => ({ samples: net.samples, inputDimension: inputDimension(net), outputs: outputDimension(net), depth: depth(net) }),
  symbols: vocabulary.filter((s) => s !== 'l'),
  scope: (net, dataRank) => architectureScope(net, dataRank),
  dataRank: genericDataRank,
  predict(net, dataRank) {
    const prediction = predict(net, { dataRank });
    return {
      architecture: net,
      description: prediction.description,
      p: prediction.p,
      r: prediction.r,
      s: prediction.s,
      ranks: prediction.ranks,
      formulas: prediction.formulas,
      facts: { q: prediction.q },
      json: {
        blocks: Object.fromEntries(Object.entries(prediction.blocks).map(([q, list]) => [q, list.map((b) => b.value)])),
        ...(prediction.note ? { note: prediction.note } : {}),
      },
      notes: [
        ...Object.entries(prediction.blocks).map(
          ([quantity, blocks]) =>
            `${quantity === 'HO_block' ? 'H_O diagonal blocks' : quantity} (layer 1..L): ${blocks.map((b) => b.value).join(', ')}  [${[...new Set(blocks.map((b) => b.kind))].join(', ')}]`,
        ),
        ...(prediction.note ? [prediction.note] : []),
      ],
    };
  },
  measure: (net, options) => measure(net, options),
  cost: estimateCost,
  arbitrary: (ranges) => fullyConnectedArbitrary(ranges),
  layers: depth,
  layersName: (count) => `L=${count}`,
  layersAt: (L) => L,
  vary(net, variable, value) {
    const hidden = net.widths.slice(1, -1);
    const d = net.widths[0]!;
    const K = net.widths[net.widths.length - 1]!;
    const same = { samples: net.samples, bias: net.bias, activation: net.activation, loss: net.loss };
    switch (variable) {
      case 'samples':
        return fullyConnected({ ...same, widths: net.widths, samples: value });
      case 'width':
        if (hidden.length === 0) throw new InputError('a width sweep needs at least one hidden layer in --widths, e.g. 10,5,10');
        return fullyConnected({ ...same, widths: [d, ...hidden.map(() => value), K] });
      case 'depth':
        if (hidden.length === 0) throw new InputError('a depth sweep takes its hidden width M from --widths d,M,K');
        if (value > limits.depth) throw new InputError(`--values includes L = ${value}: a depth sweep goes up to L = ${limits.depth} weight layers`);
        return fullyConnected({ ...same, widths: [d, ...Array.from({ length: value - 1 }, () => hidden[0]!), K] });
      default:
        throw new InputError(`a fully-connected sweep varies samples, width or depth, not ${variable}`);
    }
  },
};
