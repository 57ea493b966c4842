/**
 * Convolutional network f(x) = W_L σ(T_{L-1} ⋯ σ(T_1 x + b_1) ⋯) + b_L.
 *
 * The input has c_0 channels on a 1D or 2D grid (n_0 positions). Layer l = 1..L-1 is a convolution
 * with c_l output channels, kernel k_l (one size per spatial dimension, κ_l = ∏ k_l elements), stride
 * s_l and zero padding pad_l; its output grid has, per dimension, ⌊(size + 2·pad − k)/s⌋ + 1 positions
 * (n_l in all). T_l ∈ R^{c_l n_l × c_{l-1} n_{l-1}} is its (block / doubly-block) Toeplitz matrix
 * (src/cnn/toeplitz.ts). Layer L is fully connected, W_L ∈ R^{K × c_{L-1} n_{L-1}} on the flattened
 * (channel-major) feature map. σ acts after every convolution; the bias of a convolution is one number
 * per output channel, shared by all positions.
 * Parameters (weight sharing): p = Σ_l c_l (c_{l-1} κ_l [+1]) + K (c_{L-1} n_{L-1} [+1]).
 * Loss over N samples: mse ½ Σ_i ‖f(x_i) − y_i‖², or ce, softmax cross-entropy.
 */
import { InputError } from '../errors.js';
import { limits } from '../family/limits.js';
import { activations, losses, type Activation, type Loss } from '../family/vocabulary.js';

export interface ConvolutionLayer {
  /** c_l, output channels */
  readonly channels: number;
  /** kernel size per spatial dimension */
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  /** zero padding on both sides, per spatial dimension */
  readonly padding: readonly number[];
}

export interface Convolutional {
  readonly kind: 'convolutional';
  /** spatial size of the input: [length] (1D) or [height, width] (2D) */
  readonly input: readonly number[];
  /** c_0 */
  readonly inputChannels: number;
  readonly layers: readonly ConvolutionLayer[];
  /** K */
  readonly outputs: number;
  readonly bias: boolean;
  readonly activation: Activation;
  readonly loss: Loss;
  /** N */
  readonly samples: number;
}

export interface ConvolutionLayerSpec {
  channels: number;
  /** one number (the same in every dimension) or one per dimension */
  kernel: number | readonly number[];
  stride?: number | readonly number[];
  padding?: number | readonly number[];
}

export interface ConvolutionalSpec {
  input: number | readonly number[];
  inputChannels?: number;
  layers: readonly ConvolutionLayerSpec[];
  outputs: number;
  bias?: boolean;
  activation?: Activation;
  loss?: Loss;
  samples?: number;
}

function integerAtLeast(value: unknown, min: number, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InputError(`${what} must be an integer ≥ ${min} and below 2^53, got ${String(value)}`);
  }
  return value;
}

/**
 * Largest input (channels × positions) whose geometry (used positions, effective kernels) is
 * computed position by position; far beyond any network the dense oracle can measure.
 */
export const maximumInputSize = 2 ** 24;

function perDimension(value: number | readonly number[] | undefined, fallback: number, dims: number, min: number, what: string): number[] {
  const list = value === undefined ? [fallback] : typeof value === 'number' ? [value] : [...value];
  if (list.length === 1) while (list.length < dims) list.push(list[0]!);
  if (list.length !== dims) throw new InputError(`${what} has ${list.length} sizes for a ${dims}D input`);
  return list.map((v) => integerAtLeast(v, min, what));
}

/** Output size of a convolution along one dimension: ⌊(n + 2·pad − k)/s⌋ + 1. */
export function convolvedSize(size: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}

/** Builds and validates a convolutional architecture; bad sizes throw one InputError line. */
export function convolutional(spec: ConvolutionalSpec): Convolutional {
  const input = typeof spec.input === 'number' ? [spec.input] : [...(spec.input ?? [])];
  if (input.length < 1 || input.length > 2) throw new InputError(`the input must be 1D (length) or 2D (height×width), got ${input.length} sizes`);
  input.forEach((v, i) => integerAtLeast(v, 1, `input size ${i + 1}`));
  const dims = input.length;
  const inputChannels = integerAtLeast(spec.inputChannels ?? 1, 1, 'input channels');
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) throw new InputError('a CNN needs at least one convolution layer');
  if (spec.layers.length > limits.depth - 1) throw new InputError(`a CNN has at most ${limits.depth - 1} convolutions (${limits.depth} weight layers), got ${spec.layers.length}`);
  if (typeof (spec.bias ?? false) !== 'boolean') throw new InputError(`bias must be true or false, got ${String(spec.bias)}`);
  let grid = input;
  const layers = spec.layers.map((layer, index) => {
    const where = `conv layer ${index + 1}`;
    const channels = integerAtLeast(layer.channels, 1, `${where}: channels`);
    const kernel = perDimension(layer.kernel, 1, dims, 1, `${where}: kernel`);
    const stride = perDimension(layer.stride, 1, dims, 1, `${where}: stride`);
    const padding = perDimension(layer.padding, 0, dims, 0, `${where}: padding`);
    const next = grid.map((size, j) => {
      if (kernel[j]! > size + 2 * padding[j]!) {
        throw new InputError(
          `${where}: kernel ${kernel.join('x')} is larger than its input ${grid.join('x')}` + (padding[j]! > 0 ? ` padded by ${padding.join('x')}` : ''),
        );
      }
      // a window lying entirely in the padding would be an output that never sees the input
      if (padding[j]! >= kernel[j]!) throw new InputError(`${where}: padding ${padding.join('x')} must be smaller than the kernel ${kernel.join('x')}`);
      return convolvedSize(size, kernel[j]!, stride[j]!, padding[j]!);
    });
    grid = next;
    return { channels, kernel, stride, padding };
  });
  const outputs = integerAtLeast(spec.outputs, 1, 'outputs K');
  const activation = spec.activation ?? 'linear';
  if (!activations.includes(activation)) throw new InputError(`activation must be one of ${activations.join(', ')}, got ${String(activation)}`);
  const loss = spec.loss ?? 'mse';
  if (!losses.includes(loss)) throw new InputError(`loss must be one of ${losses.join(', ')}, got ${String(loss)}`);
  if (loss === 'ce' && outputs < 2) throw new InputError('cross-entropy needs at least K = 2 outputs');
  const d = inputChannels * input.reduce((a, b) => a * b, 1);
  if (d > maximumInputSize) {
    throw new InputError(`the input has d = ${d} values (channels × positions); predictions and measurements handle up to 2^24 = ${maximumInputSize}`);
  }
  const samples = integerAtLeast(spec.samples ?? 2 * d, 1, 'samples N');
  return { kind: 'convolutional', input, inputChannels, layers, outputs, bias: spec.bias ?? false, activation, loss, samples };
}

/** Spatial shape of the feature map after each layer: index 0 is the input, index l after conv layer l. */
export function featureShapes(net: Convolutional): number[][] {
  const shapes = [[...net.input]];
  for (const layer of net.layers) {
    const prev = shapes[shapes.length - 1]!;
    shapes.push(prev.map((size, j) => convolvedSize(size, layer.kernel[j]!, layer.stride[j]!, layer.padding[j]!)));
  }
  return shapes;
}

const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1);

/** n_l, the number of positions of feature map l (n_0 for the input). */
export function positions(net: Convolutional): number[] {
  return featureShapes(net).map(product);
}

/** c_0, c_1, …, c_{L-1}. */
export function channels(net: Convolutional): number[] {
  return [net.inputChannels, ...net.layers.map((l) => l.channels)];
}

/** κ_l = ∏ kernel sizes, for conv layers 1..L-1. */
export function kernelElements(net: Convolutional): number[] {
  return net.layers.map((l) => product(l.kernel));
}

/** L: the convolution layers and the final fully-connected layer. */
export function convolutionalDepth(net: Convolutional): number {
  return net.layers.length + 1;
}

/** d = c_0 n_0. */
export function convolutionalInputDimension(net: Convolutional): number {
  return net.inputChannels * product(net.input);
}

/** Widths of the equivalent fully-connected network (the Toeplitz expansion): [c_0 n_0, c_1 n_1, …, K]. */
export function expandedWidths(net: Convolutional): number[] {
  const n = positions(net);
  return [...channels(net).map((c, l) => c * n[l]!), net.outputs];
}

/** Parameters of layer l (1..L) in θ: c_l (c_{l-1} κ_l [+1]) for convolutions, K (c_{L-1} n_{L-1} [+1]) for the last. */
export function layerParameterCounts(net: Convolutional): number[] {
  const c = channels(net);
  const kappa = kernelElements(net);
  const n = positions(net);
  const b = net.bias ? 1 : 0;
  const counts = net.layers.map((layer, i) => layer.channels * (c[i]! * kappa[i]! + b));
  counts.push(net.outputs * (c[c.length - 1]! * n[n.length - 1]! + b));
  return counts;
}

export function convolutionalParameterCount(net: Convolutional): number {
  return layerParameterCounts(net).reduce((a, b) => a + b, 0);
}

function sizeText(values: readonly number[]): string {
  return values.every((v) => v === values[0]) ? String(values[0]) : values.join('x');
}

/**
 * The canonical --cnn text of an architecture (parsed back by parseConvolutional):
 * "in=8x8 ch=1; conv k=3 c=4 pad=1; conv k=3 c=4 s=2; K=3".
 */
export function convolutionalSyntax(net: Convolutional): string {
  const parts = [`in=${net.input.join('x')}${net.inputChannels !== 1 ? ` ch=${net.inputChannels}` : ''}`];
  for (const layer of net.layers) {
    let text = `conv k=${sizeText(layer.kernel)} c=${layer.channels}`;
    if (layer.stride.some((s) => s !== 1)) text += ` s=${sizeText(layer.stride)}`;
    if (layer.padding.some((s) => s !== 0)) text += ` pad=${sizeText(layer.padding)}`;
    parts.push(text);
  }
  parts.push(`K=${net.outputs}`);
  return parts.join('; ');
}

/** "in=16; conv k=3 c=4; K=3, bias, relu, ce, N=32": how the architecture is named in output. */
export function describeConvolutional(net: Convolutional): string {
  const parts = [convolutionalSyntax(net)];
  if (net.bias) parts.push('bias');
  if (net.activation !== 'linear') parts.push(net.activation);
  if (net.loss !== 'mse') parts.push(net.loss);
  parts.push(`N=${net.samples}`);
  return parts.join(', ');
}

const syntaxHelp = 'e.g. "in=16; conv k=3 c=4; conv k=3 c=4 s=2; K=3" or "in=8x8 ch=2; conv k=3 c=4 pad=1; K=10"';

function parseSize(text: string, what: string): number[] {
  if (!/^\d+(x\d+)?$/.test(text)) throw new InputError(`${what} "${text}" must be a size like 3 or 3x2`);
  return text.split('x').map(Number);
}

function parseCount(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new InputError(`${what} "${text}" must be a non-negative integer`);
  return Number(text);
}

function keyValues(segment: string, allowed: readonly string[], where: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const token of segment.split(/[\s,]+/).filter((t) => t !== '')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(token);
    if (!match) throw new InputError(`${where}: "${token}" is not key=value (${syntaxHelp})`);
    const [, key, value] = match as unknown as [string, string, string];
    if (!allowed.includes(key)) throw new InputError(`${where}: unknown key "${key}"; allowed: ${allowed.join(', ')}`);
    if (values.has(key)) throw new InputError(`${where}: "${key}" given twice`);
    values.set(key, value);
  }
  return values;
}

/**
 * Parses the CNN syntax into a spec (validated by `convolutional`):
 *   in=SIZE [ch=C] ; conv k=SIZE c=C [s=SIZE] [pad=SIZE] ; … ; K=K
 * SIZE is n (1D, or n×n for a 2D input's kernel/stride/padding) or hxw.
 */
export function parseConvolutionalLayers(text: string): Pick<ConvolutionalSpec, 'input' | 'inputChannels' | 'layers' | 'outputs'> {
  if (typeof text !== 'string') throw new InputError(`a CNN is given as text in the --cnn syntax, ${syntaxHelp}`);
  const segments = text.split(';').map((s) => s.trim()).filter((s) => s !== '');
  if (segments.length - 2 > limits.depth - 1) throw new InputError(`a CNN has at most ${limits.depth - 1} convolutions (${limits.depth} weight layers), got ${segments.length - 2}`);
  if (segments.length < 3) throw new InputError(`--cnn needs an input, at least one conv layer and K, ${syntaxHelp}`);
  const head = keyValues(segments[0]!, ['in', 'ch'], 'input');
  const inText = head.get('in');
  if (inText === undefined) throw new InputError(`the first part must give the input size in=…, ${syntaxHelp}`);
  const input = parseSize(inText, 'input size');
  const chText = head.get('ch');
  const inputChannels = chText === undefined ? 1 : parseCount(chText, 'input channels ch');
  const tail = keyValues(segments[segments.length - 1]!, ['K'], 'the last part');
  const kText = tail.get('K');
  if (kText === undefined) throw new InputError(`the last part must give the outputs K=…, ${syntaxHelp}`);
  const layers = segments.slice(1, -1).map((segment, i) => {
    const where = `conv layer ${i + 1}`;
    const body = segment.replace(/^conv\b/, '').trim();
    if (body === segment) throw new InputError(`${where}: "${segment}" must start with conv, ${syntaxHelp}`);
    const kv = keyValues(body, ['k', 'c', 's', 'pad'], where);
    if (!kv.has('k') || !kv.has('c')) throw new InputError(`${where}: needs a kernel k=… and channels c=…`);
    const layer: ConvolutionLayerSpec = { kernel: parseSize(kv.get('k')!, `${where}: kernel`), channels: parseCount(kv.get('c')!, `${where}: channels`) };
    if (kv.has('s')) layer.stride = parseSize(kv.get('s')!, `${where}: stride`);
    if (kv.has('pad')) layer.padding = parseSize(kv.get('pad')!, `${where}: padding`);
    return layer;
  });
  return { input, inputChannels, layers, outputs: parseCount(kText, 'outputs K') };
}

export function parseConvolutional(text: string, rest: Omit<ConvolutionalSpec, 'input' | 'inputChannels' | 'layers' | 'outputs'> = {}): Convolutional {
  return convolutional({ ...parseConvolutionalLayers(text), ...rest });
}
