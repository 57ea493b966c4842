/**
 * Writing a network as ONNX and reading it back gives the same architecture and the same θ, bit for
 * bit (float64 tensors), for random fully-connected networks and CNNs; the reader refuses what the
 * architectures cannot hold with one line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { fullyConnectedArbitrary } from '../../src/verify/arbitraries.js';
import { familyOf } from '../../src/family/registry.js';
import { exportOnnx } from '../../src/model/onnxExport.js';
import { onnxArchitecture, parseOnnxNetwork } from '../../src/model/onnxModel.js';
import { modelWeights } from '../../src/cli/modelFlags.js';
import { InputError } from '../../src/errors.js';

const networks = fc.oneof(fullyConnectedArbitrary({ depth: [1, 3], width: [1, 5] }), convolutionalArbitrary({}));

describe('ONNX export and import', () => {
  it('read(write(net, θ)) = (net, θ)', () => {
    fc.assert(
      fc.property(networks, fc.integer(), (net, seed) => {
        const p = familyOf(net).parameters(net);
        const theta = Float64Array.from({ length: p }, (_, i) => Math.sin(seed + 1.37 * i) * 3);
        const network = parseOnnxNetwork(exportOnnx(net, theta), 'test.onnx');
        expect(onnxArchitecture(network, { samples: net.samples, loss: net.loss })).toEqual(net);
        expect(Array.from(modelWeights(network))).toEqual(Array.from(theta));
      }),
      { numRuns: 60 },
    );
  });

  it('refuses bytes that are not a model with one line', () => {
    expect(() => parseOnnxNetwork(new Uint8Array([0xff, 0xff, 0xff, 0x01]), 'bad.onnx')).toThrow(InputError);
  });
});
