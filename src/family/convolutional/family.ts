/**
 * Convolutional networks (src/architecture/convolutional.ts) as a family: named by
 * --cnn "in=SIZE [ch=C]; conv k=SIZE c=C [s=SIZE] [pad=SIZE]; …; K=K" (docs/cnn.md), predicted by
 * the catalog's CNN formulas (formulas/cnn.json through src/cnn/predict.ts), measured by
 * src/cnn/measure.ts (Toeplitz / shared-weight Hessians), derived from the Toeplitz structure by the
 * symbolic layer (./derive.ts, derive --cnn). Their data rank is the rank of the input
 * coordinates the network reads: min(N, c_0 u_0).
 */
import {
  convolutional,
  convolutionalDepth,
  convolutionalInputDimension,
  convolutionalParameterCount,
  convolutionalSyntax,
  describeConvolutional,
  parseConvolutional,
  parseConvolutionalLayers,
  type Convolutional,
} from '../../architecture/convolutional.js';
import { convolutionalArbitrary } from '../../cnn/arbitraries.js';
import { estimateConvolutionalCost, measureConvolutional } from '../../cnn/measure.js';
import { predictConvolutional } from '../../cnn/predict.js';
import { convolutionalDataRank, convolutionalScope, convolutionalSymbols } from '../../cnn/vocabulary.js';
import { vocabulary } from '../../catalog/vocabulary.js';
import { nonlinearNotes } from '../../catalog/predict.js';
import { InputError } from '../../errors.js';
import { withSettings, type Family } from '../family.js';

/** The geometry a CNN prediction was computed from, as one line. */
function geometryLine(scope: Record<string, number | number[]>): string {
  const list = (v: number | number[] | undefined) => (Array.isArray(v) ? v.map((x) => (Number.isFinite(x) ? x : '∞')).join(',') : String(v));
  return `channels c = ${scope.c0},${list(scope.c)}; positions n = ${scope.n0},${list(scope.n)} (used ${scope.u0},${list(scope.u)}); kernel elements ${list(scope.k)} (effective ${list(scope.e)})`;
}

export const convolutionalFamily: Family<Convolutional> = {
  name: 'convolutional',
  flag: 'cnn',
  flagUsage: '--cnn "in=SIZE [ch=C]; conv k=SIZE c=C [s=SIZE] [pad=SIZE]; …; K=K"',
  flagHelp: 'a CNN (docs/cnn.md), e.g. "in=8x8 ch=2; conv k=3 c=4 pad=1; K=10"; --data-rank is then the rank of the data the network reads',
  plural: 'CNNs',
  depthFlag: 'convolutions',
  sweepVariables: ['channels'],
  parse: (text, shared) => parseConvolutional(text, shared),
  fromJson(value, shared) {
    if (typeof value !== 'string') throw new InputError(`"cnn" must be a string in the --cnn syntax, got ${JSON.stringify(value)?.slice(0, 60)}`);
    return parseConvolutional(value, shared);
  },
  syntax: convolutionalSyntax,
  label: (net) => withSettings(convolutionalSyntax(net), net),
  describe: describeConvolutional,
  json: (net) => ({
    cnn: convolutionalSyntax(net),
    input: [...net.input],
    inputChannels: net.inputChannels,
    layers: net.layers.map((l) => ({ kernel: [...l.kernel], channels: l.channels, stride: [...l.stride], padding: [...l.padding] })),
    K: net.outputs,
    samples: net.samples,
    bias: net.bias,
    loss: net.loss,
    act: net.activation,
  }),
  parameters: convolutionalParameterCount,
  shape: (net) => ({ samples: net.samples, inputDimension: convolutionalInputDimension(net), outputs: net.outputs, depth: convolutionalDepth(net) }),
  // formulas may define z, a, zp; HO and HF exist only inside H formulas
  symbols: [...vocabulary.filter((s) => s !== 'l'), ...Object.keys(convolutionalSymbols).filter((s) => !['z', 'a', 'zp', 'HO', 'HF'].includes(s))],
  scope: (net, dataRank) => convolutionalScope(net, dataRank),
  dataRank: (net) => convolutionalDataRank(net),
  predict(net, dataRank) {
    const prediction = predictConvolutional(net, { dataRank });
    // what a relu or tanh prediction means, as for fully-connected networks (docs/cnn.md#relu-and-tanh-cnns)
    const note = net.activation === 'linear' ? undefined : nonlinearNotes[net.activation];
    return {
      architecture: net,
      description: prediction.description,
      p: prediction.p,
      r: prediction.r,
      s: prediction.s,
      ranks: prediction.ranks,
      formulas: prediction.formulas,
      facts: {},
      json: note ? { note } : {},
      notes: [geometryLine(prediction.scope), ...(note ? [note] : [])],
    };
  },
  measure: (net, options) => measureConvolutional(net, options),
  // the symbolic layer is imported only by derive --cnn
  derive: async (net, options) => (await import('./derive.js')).deriveConvolutional(net, options),
  cost: estimateConvolutionalCost,
  arbitrary: ({ depth, width, ...rest }) =>
    convolutionalArbitrary({ convolutions: depth, channels: width, outputs: width, ...(rest as Parameters<typeof convolutionalArbitrary>[0]) }),
  layers: (net) => net.layers.length,
  layersName: (count) => `${count} conv`,
  layersAt: (L) => L - 1,
  vary(net, variable, value) {
    const same = { samples: net.samples, bias: net.bias, activation: net.activation, loss: net.loss };
    const layers = parseConvolutionalLayers(convolutionalSyntax(net));
    switch (variable) {
      case 'samples':
        return convolutional({ ...layers, ...same, samples: value });
      case 'channels':
        return convolutional({ ...layers, layers: layers.layers.map((layer) => ({ ...layer, channels: value })), ...same });
      default:
        throw new InputError(`a CNN sweep varies samples or channels, not ${variable}`);
    }
  },
};
