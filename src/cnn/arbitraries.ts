/**
 * fast-check arbitraries for CNN architectures, for `verify` and for a researcher's own tests:
 *
 *   fc.assert(fc.property(convolutionalArbitrary({ convolutions: [1, 3] }), (net) => …))
 *
 * 1D inputs of length 4–12 or 2D inputs of 3–6 × 3–6, 1–2 input channels, per layer kernel 1–3,
 * stride 1–2, zero padding 0–1 (below the kernel), 1–4 channels; K 1–4; N on both sides of d (1..2d+2).
 * A kernel larger than its padded input is shrunk to fit, so every draw is a valid architecture.
 */
import fc from 'fast-check';

/** resolution of the sample-count draw: N = 1 + ⌊(k / 2^20)(2d + 2)⌋, k uniform on 0..2^20 − 1 */
const sampleDenominator = 2 ** 20;
import { convolutional, convolvedSize, type Convolutional, type ConvolutionLayerSpec } from '../architecture/convolutional.js';
import type { Activation, Loss } from '../architecture/fullyConnected.js';
import { activations, losses } from '../family/vocabulary.js';

export interface ConvolutionalRanges {
  /** [min, max] number of convolution layers (default [1, 3]) */
  convolutions?: [number, number];
  /** spatial dimensions to draw from (default both) */
  dims?: (1 | 2)[];
  /** [min, max] channels of every convolution (default [1, 4]) */
  channels?: [number, number];
  /** [min, max] K (default [1, 4]) */
  outputs?: [number, number];
  bias?: boolean | 'any';
  loss?: Loss | 'any';
  activation?: Activation | 'any';
  /** N = 2d + 2 (generic data of full rank r = c_0 u_0) instead of N drawn on both sides of d */
  fullRankData?: boolean;
}

export function convolutionalArbitrary(ranges: ConvolutionalRanges = {}): fc.Arbitrary<Convolutional> {
  const [minConv, maxConv] = ranges.convolutions ?? [1, 3];
  const [minCh, maxCh] = ranges.channels ?? [1, 4];
  const [minK, maxK] = ranges.outputs ?? [1, 4];
  const bias = ranges.bias ?? false;
  const loss = ranges.loss ?? 'mse';
  const activation = ranges.activation ?? 'linear';
  const layer = fc.record({
    kernel: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 2 }),
    padding: fc.integer({ min: 0, max: 1 }),
    channels: fc.integer({ min: minCh, max: maxCh }),
  });
  return fc
    .record({
      dims: fc.constantFrom(...(ranges.dims ?? [1, 2])),
      length: fc.integer({ min: 4, max: 12 }),
      side: fc.tuple(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 3, max: 6 })),
      inputChannels: fc.integer({ min: 1, max: 2 }),
      layers: fc.array(layer, { minLength: minConv, maxLength: maxConv }),
      outputs: fc.integer({ min: minK, max: maxK }),
      bias: bias === 'any' ? fc.boolean() : fc.constant(bias),
      loss: loss === 'any' ? fc.constantFrom<Loss>(...losses) : fc.constant(loss),
      activation: activation === 'any' ? fc.constantFrom<Activation>(...activations) : fc.constant(activation),
      // N uniform on 1..2d+2: an integer numerator, since fc.double draws uniformly over the
      // representable doubles of [0, 1] (almost all of them below 1e-3, so N would almost always be 1)
      sampleFraction: fc.integer({ min: 0, max: sampleDenominator - 1 }).map((k) => k / sampleDenominator),
    })
    .map((draw) => {
      const input = draw.dims === 1 ? [draw.length] : [...draw.side];
      let grid = input;
      const layers: ConvolutionLayerSpec[] = draw.layers.map((l) => {
        const padding = Math.min(l.padding, l.kernel - 1);
        const kernel = Math.min(l.kernel, Math.min(...grid) + 2 * padding);
        grid = grid.map((size) => convolvedSize(size, kernel, l.stride, padding));
        return { kernel, stride: l.stride, padding, channels: l.channels };
      });
      const outputs = draw.loss === 'ce' ? Math.max(2, draw.outputs) : draw.outputs;
      const d = draw.inputChannels * input.reduce((a, b) => a * b, 1);
      const samples = ranges.fullRankData ? 2 * d + 2 : 1 + Math.floor(draw.sampleFraction * (2 * d + 2));
      return convolutional({ input, inputChannels: draw.inputChannels, layers, outputs, samples, bias: draw.bias, loss: draw.loss, activation: draw.activation });
    });
}
