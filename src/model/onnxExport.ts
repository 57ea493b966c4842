/**
 * Writes a network and its weights θ as an ONNX model (opset 13, IR version 7, float64 tensors so no
 * weight is rounded), in the shape torch.onnx.export gives the same network:
 *   Conv (kernel_shape, strides, pads) [→ Relu | Tanh] … → Flatten → Gemm (transB = 1)   (CNN)
 *   Gemm (transB = 1) [→ Relu | Tanh] … → Gemm                                            (fully connected)
 * with input x (1 × d, or 1 × C × L / 1 × C × H × W) and output f (1 × K). θ is in the instances'
 * layout (src/model/onnxModel.ts reads it back to the same θ).
 */
import { channels, featureShapes, kernelElements, type Convolutional } from '../architecture/convolutional.js';
import type { FullyConnected } from '../architecture/fullyConnected.js';
import { encodeModel, tensorTypes, type NodeObject, type TensorObject } from './onnxSchema.js';

function doubleTensor(name: string, dims: number[], values: ArrayLike<number>): TensorObject {
  const raw = new Uint8Array(8 * values.length);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(8 * i, values[i]!, true);
  return { name, dims, dataType: tensorTypes.double, rawData: raw };
}

const ints = (name: string, values: number[]) => ({ name, type: 7, ints: values });
const int = (name: string, value: number) => ({ name, type: 2, i: value });

/** The ONNX bytes of `net` at weights θ. */
export function exportOnnx(net: FullyConnected | Convolutional, theta: Float64Array, producer = 'hessian-rank'): Uint8Array {
  const nodes: NodeObject[] = [];
  const initializer: TensorObject[] = [];
  let current = 'x';
  let offset = 0;
  let counter = 0;
  const fresh = (what: string) => `/${what}_${counter++}`;
  const activate = () => {
    if (net.activation === 'linear') return;
    const op = net.activation === 'relu' ? 'Relu' : 'Tanh';
    const out = fresh(op);
    nodes.push({ opType: op, name: out, input: [current], output: [out] });
    current = out;
  };
  const dense = (l: number, outputs: number, inputs: number, last: boolean) => {
    const cols = inputs + (net.bias ? 1 : 0);
    const W = new Float64Array(outputs * inputs);
    const b = new Float64Array(outputs);
    for (let a = 0; a < outputs; a++) {
      for (let j = 0; j < inputs; j++) W[a * inputs + j] = theta[offset + a * cols + j]!;
      if (net.bias) b[a] = theta[offset + a * cols + inputs]!;
    }
    offset += outputs * cols;
    initializer.push(doubleTensor(`layer${l}.weight`, [outputs, inputs], W));
    if (net.bias) initializer.push(doubleTensor(`layer${l}.bias`, [outputs], b));
    const out = last ? 'f' : fresh('Gemm');
    nodes.push({
      opType: 'Gemm',
      name: `/layer${l}/Gemm`,
      input: [current, `layer${l}.weight`, ...(net.bias ? [`layer${l}.bias`] : [])],
      output: [out],
      attribute: [{ name: 'alpha', type: 1, f: 1 }, { name: 'beta', type: 1, f: 1 }, int('transB', 1)],
    });
    current = out;
  };
  let inputDims: number[];
  if (net.kind === 'fully-connected') {
    inputDims = [1, net.widths[0]!];
    const L = net.widths.length - 1;
    for (let l = 1; l <= L; l++) {
      dense(l, net.widths[l]!, net.widths[l - 1]!, l === L);
      if (l < L) activate();
    }
  } else {
    inputDims = [1, net.inputChannels, ...net.input];
    const c = channels(net);
    const kappa = kernelElements(net);
    net.layers.forEach((layer, i) => {
      const rowLength = c[i]! * kappa[i]!;
      const cols = rowLength + (net.bias ? 1 : 0);
      const W = new Float64Array(layer.channels * rowLength);
      const b = new Float64Array(layer.channels);
      for (let o = 0; o < layer.channels; o++) {
        W.set(theta.subarray(offset + o * cols, offset + o * cols + rowLength), o * rowLength);
        if (net.bias) b[o] = theta[offset + o * cols + rowLength]!;
      }
      offset += layer.channels * cols;
      const l = i + 1;
      initializer.push(doubleTensor(`layer${l}.weight`, [layer.channels, c[i]!, ...layer.kernel], W));
      if (net.bias) initializer.push(doubleTensor(`layer${l}.bias`, [layer.channels], b));
      const out = fresh('Conv');
      nodes.push({
        opType: 'Conv',
        name: `/layer${l}/Conv`,
        input: [current, `layer${l}.weight`, ...(net.bias ? [`layer${l}.bias`] : [])],
        output: [out],
        attribute: [
          ints('dilations', layer.kernel.map(() => 1)),
          int('group', 1),
          ints('kernel_shape', [...layer.kernel]),
          ints('pads', [...layer.padding, ...layer.padding]),
          ints('strides', [...layer.stride]),
        ],
      });
      current = out;
      activate();
    });
    const flat = fresh('Flatten');
    nodes.push({ opType: 'Flatten', name: flat, input: [current], output: [flat], attribute: [int('axis', 1)] });
    current = flat;
    const shapes = featureShapes(net);
    const last = shapes[shapes.length - 1]!.reduce((a, b) => a * b, 1) * net.layers[net.layers.length - 1]!.channels;
    dense(net.layers.length + 1, net.outputs, last, true);
  }
  const outputs = net.kind === 'fully-connected' ? net.widths[net.widths.length - 1]! : net.outputs;
  const valueInfo = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: tensorTypes.double, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  return encodeModel({
    irVersion: 7,
    producerName: producer,
    opsetImport: [{ domain: '', version: 13 }],
    graph: { name: 'network', node: nodes, initializer, input: [valueInfo('x', inputDims)], output: [valueInfo('f', [1, outputs])] },
  });
}
