/**
 * A network read from an ONNX file as torch.onnx.export writes it: a chain of
 *   Gemm | MatMul [+ Add] | Conv (1D/2D, stride, symmetric padding, bias)   affine layers
 *   Relu | Tanh                                                            activations
 *   Flatten | Reshape (to N × d) | Identity                                shape only
 * in float32 or float64. It must be one of the tool's architectures: a fully-connected network
 * (affine layers only) or a CNN (convolutions, then one fully-connected layer), the same activation
 * after every layer but the last, biases in every layer or in none. Any other operator or shape is
 * refused with one line naming it.
 *
 * The weights come out in the layouts the instances use: [W_l | b_l] row by row for a dense layer
 * (W_l ∈ R^{out × in}), and for a convolution per output channel its c_in · κ kernel values
 * (ONNX's [c_out, c_in, k…] order) followed by its bias (src/cnn/toeplitz.ts).
 */
import { readFileSync } from 'node:fs';
import { convolutional, type Convolutional } from '../architecture/convolutional.js';
import { fullyConnected, type Activation, type FullyConnected, type Loss } from '../architecture/fullyConnected.js';
import { InputError } from '../errors.js';
import { decodeModel, tensorTypes, type AttributeObject, type NodeObject, type TensorObject } from './onnxSchema.js';

export const supportedOperators = ['Gemm', 'MatMul', 'Add', 'Conv', 'Relu', 'Tanh', 'Flatten', 'Reshape', 'Identity', 'Constant'] as const;

export interface DenseLayer {
  readonly kind: 'dense';
  readonly outputs: number;
  readonly inputs: number;
  /** [W | b] row by row, out × (in [+1]) */
  readonly values: Float64Array;
  readonly bias: boolean;
}

export interface ConvolutionLayerWeights {
  readonly kind: 'conv';
  readonly channels: number;
  readonly inputChannels: number;
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  /** per output channel: c_in · κ kernel values, then the bias */
  readonly values: Float64Array;
  readonly bias: boolean;
}

export type LayerWeights = DenseLayer | ConvolutionLayerWeights;

export interface OnnxNetwork {
  readonly file: string;
  /** the shape of one input sample: [d], [C, L] or [C, H, W] */
  readonly inputShape: readonly number[];
  readonly layers: readonly LayerWeights[];
  readonly activation: Activation;
  readonly bias: boolean;
  /** 'float32' or 'float64', the precision of the stored weights */
  readonly precision: 'float32' | 'float64';
}

interface Tensor {
  dims: number[];
  data: Float64Array;
  type: number;
}

function tensorValues(t: TensorObject, what: string): Tensor {
  const dims = (t.dims ?? []).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const type = t.dataType ?? 0;
  const data = new Float64Array(count);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  const size = type === tensorTypes.float ? 4 : type === tensorTypes.double || type === tensorTypes.int64 ? 8 : 0;
  if (size === 0) throw new InputError(`${what}: tensor ${t.name ?? ''} has ONNX data type ${type}; supported: float32 (1), float64 (11), int64 shapes (7)`);
  if (view) {
    if (raw!.length !== count * size) throw new InputError(`${what}: tensor ${t.name ?? ''} holds ${raw!.length} bytes for shape [${dims.join(', ')}]`);
    for (let i = 0; i < count; i++) {
      data[i] = type === tensorTypes.float ? view.getFloat32(i * 4, true) : type === tensorTypes.double ? view.getFloat64(i * 8, true) : Number(view.getBigInt64(i * 8, true));
    }
  } else {
    const list = type === tensorTypes.float ? t.floatData : type === tensorTypes.double ? t.doubleData : t.int64Data;
    if ((list?.length ?? 0) !== count) throw new InputError(`${what}: tensor ${t.name ?? ''} holds ${list?.length ?? 0} values for shape [${dims.join(', ')}]`);
    list!.forEach((v, i) => (data[i] = Number(v)));
  }
  if (type !== tensorTypes.int64 && !data.every(Number.isFinite)) throw new InputError(`${what}: tensor ${t.name ?? ''} holds NaN or infinite values`);
  return { dims, data, type };
}

function attribute(node: NodeObject, name: string): AttributeObject | undefined {
  return node.attribute?.find((a) => a.name === name);
}

function intsAttribute(node: NodeObject, name: string): number[] | undefined {
  const a = attribute(node, name);
  return a?.ints?.map(Number);
}

const describeNode = (node: NodeObject): string => `${node.opType}${node.name ? ` (${node.name})` : ''}`;

/** Reads an ONNX file into its layers; `what` names it in errors. */
export function parseOnnxNetwork(bytes: Uint8Array, file: string): OnnxNetwork {
  const model = decodeModel(bytes, file);
  const graph = model.graph;
  if (!graph || !graph.node || graph.node.length === 0) throw new InputError(`${file}: the ONNX model has no graph nodes`);
  const constants = new Map<string, Tensor>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? '', tensorValues(t, file));
  const inputs = (graph.input ?? []).filter((v) => !constants.has(v.name));
  if (inputs.length !== 1) throw new InputError(`${file}: the model must have one data input, it has ${inputs.length} (${inputs.map((v) => v.name).join(', ')})`);
  const input = inputs[0]!;
  const tensorType = input.type?.tensorType;
  if (tensorType?.elemType !== tensorTypes.float && tensorType?.elemType !== tensorTypes.double) {
    throw new InputError(`${file}: the input ${input.name} has ONNX element type ${tensorType?.elemType}; supported: float32 (1), float64 (11)`);
  }
  const dims = tensorType.shape?.dim ?? [];
  const inputShape = dims.slice(1).map((d, i) => {
    if (d.dimValue === undefined || Number(d.dimValue) < 1) throw new InputError(`${file}: input dimension ${i + 1} of ${input.name} is not a fixed size (${d.dimParam ?? '?'})`);
    return Number(d.dimValue);
  });
  if (dims.length < 2 || dims.length > 4) throw new InputError(`${file}: the input ${input.name} must be N×d, N×C×L or N×C×H×W, it has ${dims.length} dimensions`);

  let current = input.name;
  /** shape of one sample of `current` */
  let shape = [...inputShape];
  const layers: LayerWeights[] = [];
  const activations: (Activation | undefined)[] = [];
  let pendingActivation: Activation | undefined;
  let lastMatMul: DenseLayer | undefined;
  const constant = (name: string | undefined, node: NodeObject): Tensor => {
    const t = constants.get(name ?? '');
    if (!t) throw new InputError(`${file}: ${describeNode(node)} reads ${name}, which is not a stored weight; only weights stored in the file are supported`);
    return t;
  };
  const addLayer = (layer: LayerWeights) => {
    if (layers.length > 0) activations.push(pendingActivation);
    pendingActivation = undefined;
    layers.push(layer);
  };
  const precision = new Set<number>();

  for (const node of graph.node) {
    const op = node.opType;
    if (node.domain && node.domain !== 'ai.onnx') throw new InputError(`${file}: operator ${op} of domain ${node.domain} is not supported`);
    if (!(supportedOperators as readonly string[]).includes(op)) {
      throw new InputError(`${file}: operator ${describeNode(node)} is not supported; supported: Gemm, MatMul, Add, Conv, Relu, Tanh, Flatten, Reshape`);
    }
    if (op === 'Constant') {
      const value = attribute(node, 'value')?.t;
      if (!value) throw new InputError(`${file}: ${describeNode(node)} has no tensor value`);
      constants.set(node.output?.[0] ?? '', tensorValues(value, file));
      continue;
    }
    const data = node.input?.[op === 'Add' && node.input?.[0] !== current ? 1 : 0];
    if (data !== current) throw new InputError(`${file}: ${describeNode(node)} does not read the previous layer's output; only a chain of layers is supported`);
    const flat = shape.reduce((a, b) => a * b, 1);
    switch (op) {
      case 'Gemm': {
        if ((attribute(node, 'transA')?.i ?? 0) !== 0) throw new InputError(`${file}: ${describeNode(node)} with transA = 1 is not supported`);
        if ((attribute(node, 'alpha')?.f ?? 1) !== 1 || (attribute(node, 'beta')?.f ?? 1) !== 1) throw new InputError(`${file}: ${describeNode(node)} with alpha or beta ≠ 1 is not supported`);
        if (shape.length !== 1) throw new InputError(`${file}: ${describeNode(node)} reads a ${shape.join('×')} feature map; flatten it first`);
        const W = constant(node.input?.[1], node);
        precision.add(W.type);
        const transposed = (attribute(node, 'transB')?.i ?? 0) === 1;
        const [rows, cols] = W.dims as [number, number];
        const outputs = transposed ? rows : cols;
        if (W.dims.length !== 2 || (transposed ? cols : rows) !== flat) throw new InputError(`${file}: ${describeNode(node)} has weight [${W.dims.join(', ')}] for ${flat} inputs`);
        const b = node.input?.[2] ? constant(node.input[2], node) : undefined;
        if (b && b.data.length !== outputs) throw new InputError(`${file}: ${describeNode(node)} has a bias of ${b.data.length} values for ${outputs} outputs (broadcast biases are not supported)`);
        addLayer(denseLayer(outputs, flat, (a, j) => (transposed ? W.data[a * cols + j]! : W.data[j * cols + a]!), b?.data));
        shape = [outputs];
        break;
      }
      case 'MatMul': {
        if (shape.length !== 1) throw new InputError(`${file}: ${describeNode(node)} reads a ${shape.join('×')} feature map; flatten it first`);
        const W = constant(node.input?.[1], node);
        precision.add(W.type);
        if (W.dims.length !== 2 || W.dims[0] !== flat) throw new InputError(`${file}: ${describeNode(node)} has weight [${W.dims.join(', ')}] for ${flat} inputs`);
        const outputs = W.dims[1]!;
        lastMatMul = denseLayer(outputs, flat, (a, j) => W.data[j * outputs + a]!);
        addLayer(lastMatMul);
        shape = [outputs];
        break;
      }
      case 'Add': {
        const last = layers[layers.length - 1];
        if (!lastMatMul || last !== lastMatMul || pendingActivation) throw new InputError(`${file}: ${describeNode(node)} must add a bias right after a MatMul`);
        const other = node.input?.[0] === current ? node.input?.[1] : node.input?.[0];
        const b = constant(other, node);
        if (b.data.length !== lastMatMul.outputs) throw new InputError(`${file}: ${describeNode(node)} adds ${b.data.length} values to ${lastMatMul.outputs} outputs`);
        const W = (a: number, j: number) => lastMatMul!.values[a * lastMatMul!.inputs + j]!;
        layers[layers.length - 1] = denseLayer(lastMatMul.outputs, lastMatMul.inputs, W, b.data);
        lastMatMul = undefined;
        break;
      }
      case 'Conv': {
        if (shape.length < 2) throw new InputError(`${file}: ${describeNode(node)} reads a flat vector; a convolution needs a C×L or C×H×W input`);
        const W = constant(node.input?.[1], node);
        precision.add(W.type);
        const spatial = shape.slice(1);
        const kernel = W.dims.slice(2);
        if (W.dims.length !== shape.length + 1 || W.dims[1] !== shape[0]) throw new InputError(`${file}: ${describeNode(node)} has weight [${W.dims.join(', ')}] for a ${shape.join('×')} input`);
        if ((attribute(node, 'group')?.i ?? 1) !== 1) throw new InputError(`${file}: ${describeNode(node)} is a grouped convolution; only group = 1 is supported`);
        if ((intsAttribute(node, 'dilations') ?? []).some((d) => d !== 1)) throw new InputError(`${file}: ${describeNode(node)} is dilated; only dilation 1 is supported`);
        const autoPad = attribute(node, 'auto_pad')?.s;
        if (autoPad && new TextDecoder().decode(autoPad) !== 'NOTSET') throw new InputError(`${file}: ${describeNode(node)} uses auto_pad; give explicit pads`);
        const stride = intsAttribute(node, 'strides') ?? kernel.map(() => 1);
        const pads = intsAttribute(node, 'pads') ?? [...kernel.map(() => 0), ...kernel.map(() => 0)];
        const padding = kernel.map((_, j) => pads[j]!);
        if (kernel.some((_, j) => pads[j] !== pads[j + kernel.length])) throw new InputError(`${file}: ${describeNode(node)} pads [${pads.join(', ')}] unevenly; only the same padding on both sides is supported`);
        const channels = W.dims[0]!;
        const b = node.input?.[2] ? constant(node.input[2], node) : undefined;
        if (b && b.data.length !== channels) throw new InputError(`${file}: ${describeNode(node)} has a bias of ${b.data.length} values for ${channels} channels`);
        const rowLength = W.data.length / channels;
        const values = new Float64Array(channels * (rowLength + (b ? 1 : 0)));
        for (let o = 0; o < channels; o++) {
          values.set(W.data.subarray(o * rowLength, (o + 1) * rowLength), o * (rowLength + (b ? 1 : 0)));
          if (b) values[o * (rowLength + 1) + rowLength] = b.data[o]!;
        }
        addLayer({ kind: 'conv', channels, inputChannels: shape[0]!, kernel, stride, padding, values, bias: Boolean(b) });
        shape = [channels, ...spatial.map((n, j) => Math.floor((n + 2 * padding[j]! - kernel[j]!) / stride[j]!) + 1)];
        break;
      }
      case 'Relu':
      case 'Tanh': {
        if (layers.length === 0) throw new InputError(`${file}: ${describeNode(node)} acts on the input; the first layer must be affine`);
        if (pendingActivation) throw new InputError(`${file}: two activations in a row (${pendingActivation}, ${op})`);
        pendingActivation = op === 'Relu' ? 'relu' : 'tanh';
        break;
      }
      case 'Flatten': {
        if ((attribute(node, 'axis')?.i ?? 1) !== 1) throw new InputError(`${file}: ${describeNode(node)} flattens from axis ${attribute(node, 'axis')?.i}; only axis 1 (keep the batch) is supported`);
        shape = [flat];
        break;
      }
      case 'Reshape': {
        const target = constant(node.input?.[1], node);
        const sizes = Array.from(target.data);
        const ok = sizes.length === 2 && (sizes[1] === -1 || sizes[1] === flat) && (sizes[0] === -1 || sizes[0] === 0 || sizes[1] === -1 || sizes[0]! >= 1);
        if (!ok) throw new InputError(`${file}: ${describeNode(node)} to shape [${sizes.join(', ')}] is not supported; only flattening to N × d`);
        shape = [flat];
        break;
      }
      case 'Identity':
        break;
    }
    current = node.output?.[0] ?? '';
  }
  if (pendingActivation) throw new InputError(`${file}: the output passes through ${pendingActivation}; the last layer must be affine (the loss applies softmax itself)`);
  const outputs = graph.output ?? [];
  if (outputs.length !== 1 || outputs[0]!.name !== current) throw new InputError(`${file}: the model's output must be the last layer's output`);
  if (layers.length === 0) throw new InputError(`${file}: the model has no Gemm, MatMul or Conv layer`);
  if (new Set(activations.map((a) => a ?? 'linear')).size > 1) {
    throw new InputError(`${file}: the layers use different activations (${activations.map((a) => a ?? 'none').join(', ')}); the tool's architectures have the same one after every layer but the last`);
  }
  const bias = layers[0]!.bias;
  if (layers.some((l) => l.bias !== bias)) throw new InputError(`${file}: some layers have a bias and some not (${layers.map((l) => (l.bias ? 'bias' : 'none')).join(', ')}); the tool's architectures have biases in every layer or none`);
  const firstDense = layers.findIndex((l) => l.kind === 'dense');
  if (layers.slice(firstDense).some((l) => l.kind === 'conv')) throw new InputError(`${file}: a convolution after a fully-connected layer is not supported`);
  if (firstDense > 0 && firstDense !== layers.length - 1) throw new InputError(`${file}: a CNN must end with exactly one fully-connected layer, this one has ${layers.length - firstDense}`);
  if (firstDense === -1) throw new InputError(`${file}: a CNN must end with a fully-connected (Gemm or MatMul) layer`);
  if (firstDense === 0 && inputShape.length !== 1) throw new InputError(`${file}: a fully-connected network must read N × d inputs, this one reads ${inputShape.join('×')} samples`);
  return {
    file,
    inputShape,
    layers,
    activation: activations[0] ?? 'linear',
    bias,
    precision: precision.has(tensorTypes.double) ? 'float64' : 'float32',
  };
}

function denseLayer(outputs: number, inputs: number, weight: (a: number, j: number) => number, bias?: Float64Array): DenseLayer {
  const cols = inputs + (bias ? 1 : 0);
  const values = new Float64Array(outputs * cols);
  for (let a = 0; a < outputs; a++) {
    for (let j = 0; j < inputs; j++) values[a * cols + j] = weight(a, j);
    if (bias) values[a * cols + inputs] = bias[a]!;
  }
  return { kind: 'dense', outputs, inputs, values, bias: Boolean(bias) };
}

export function readOnnxNetwork(file: string): OnnxNetwork {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseOnnxNetwork(bytes, file);
}

/** The model's architecture for N samples and a loss. */
export function onnxArchitecture(network: OnnxNetwork, options: { samples?: number; loss?: Loss }): FullyConnected | Convolutional {
  const { layers, activation, bias } = network;
  if (layers[0]!.kind === 'dense') {
    const widths = [(layers[0] as DenseLayer).inputs, ...layers.map((l) => (l as DenseLayer).outputs)];
    return fullyConnected({ widths, bias, activation, loss: options.loss, samples: options.samples });
  }
  const convs = layers.slice(0, -1) as ConvolutionLayerWeights[];
  return convolutional({
    input: network.inputShape.slice(1),
    inputChannels: network.inputShape[0],
    layers: convs.map((l) => ({ channels: l.channels, kernel: l.kernel, stride: l.stride, padding: l.padding })),
    outputs: (layers[layers.length - 1] as DenseLayer).outputs,
    bias,
    activation,
    loss: options.loss,
    samples: options.samples,
  });
}
