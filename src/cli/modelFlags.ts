/**
 * --model FILE.onnx: the architecture (and, for measure, compare, kronecker, the weights θ) of a
 * network exported from PyTorch or written by `train` (src/model/onnxModel.ts). The model fixes the
 * widths or convolutions, the activation and the biases; N and the loss come from the other flags.
 */
import type { AnyFamily, Architecture } from '../family/family.js';
import { familyOf, families } from '../family/registry.js';
import { losses, type Loss } from '../family/vocabulary.js';
import { InputError } from '../errors.js';
import { onnxArchitecture, readOnnxNetwork, type OnnxNetwork } from '../model/onnxModel.js';
import { parseChoice, parseInteger, type Options } from './flags.js';

export const modelOptions = { model: { type: 'string' } } as const satisfies Options;

export const modelUsage = `  --model FILE.onnx   a network exported by torch.onnx.export or written by train: its layers and
                      weights (Gemm, MatMul+Add, Conv, Relu, Tanh, Flatten; docs/models.md)`;

/** θ in the instances' layout: the layers' values one after the other. */
export function modelWeights(network: OnnxNetwork): Float64Array {
  const theta = new Float64Array(network.layers.reduce((total, l) => total + l.values.length, 0));
  let offset = 0;
  for (const layer of network.layers) {
    theta.set(layer.values, offset);
    offset += layer.values.length;
  }
  return theta;
}

export interface NamedModel {
  family: AnyFamily;
  net: Architecture;
  weights: Float64Array;
  file: string;
}

/** The model named by --model, or undefined; refuses the flags the model decides itself. */
export function modelFromFlags(values: Record<string, unknown>): NamedModel | undefined {
  const file = values.model as string | undefined;
  if (file === undefined) return undefined;
  for (const flag of [...families.map((f) => f.flag), 'bias', 'act']) {
    if (values[flag] !== undefined) throw new InputError(`--model gives the architecture, its activation and biases: drop --${flag}`);
  }
  if (!file.endsWith('.onnx')) throw new InputError(`--model must be a FILE.onnx, got "${file}"`);
  const network = readOnnxNetwork(file);
  const net = onnxArchitecture(network, {
    samples: parseInteger(values.samples as string | undefined, '--samples', 1),
    loss: parseChoice<Loss>(values.loss as string | undefined, losses, '--loss'),
  });
  return { family: familyOf(net), net, weights: modelWeights(network), file };
}
