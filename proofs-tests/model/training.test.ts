/**
 * Training: the backpropagated gradient of the mean loss equals its central finite differences
 * (relative error ≤ 1e-5 at step h = 1e-6; fully-connected and CNN, every activation and loss, with
 * and without bias); full-batch training is deterministic and lowers the loss.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { fullyConnectedArbitrary } from '../../src/verify/arbitraries.js';
import { lossAndGradient } from '../../src/train/lossGradient.js';
import { initialInstance, patternNetwork } from '../../src/train/patternNetwork.js';
import { train } from '../../src/train/train.js';

const networks = fc.oneof(fullyConnectedArbitrary({ depth: [1, 3], width: [1, 4] }), convolutionalArbitrary({ convolutions: [1, 2], channels: [1, 2] }));

describe('loss gradient', () => {
  it('equals central finite differences of the mean loss', () => {
    fc.assert(
      fc.property(networks, fc.nat(1000), (net, seed) => {
        const network = patternNetwork(net);
        const { theta, inputs, targets } = initialInstance(net, seed, {});
        const { gradient } = lossAndGradient(network, theta, inputs, targets);
        const h = 1e-6;
        let scale = 0;
        for (const g of gradient) scale = Math.max(scale, Math.abs(g));
        for (let i = 0; i < theta.length; i += Math.max(1, Math.floor(theta.length / 12))) {
          const plus = Float64Array.from(theta);
          const minus = Float64Array.from(theta);
          plus[i] = plus[i]! + h;
          minus[i] = minus[i]! - h;
          const numeric = (lossAndGradient(network, plus, inputs, targets).loss - lossAndGradient(network, minus, inputs, targets).loss) / (2 * h);
          expect(Math.abs(numeric - gradient[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, scale));
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('full-batch training', () => {
  it.each(['gd', 'adam'] as const)('%s is deterministic and lowers the loss', (optimizer) => {
    const net = fullyConnectedArbitrary({ depth: [2, 2], width: [3, 3] });
    const sample = fc.sample(net, { seed: 7, numRuns: 1 })[0]!;
    const network = patternNetwork(sample);
    const start = initialInstance(sample, 3, {});
    const options = { optimizer, learningRate: optimizer === 'gd' ? 0.05 : 0.01, steps: 200 };
    const a = train(network, start.theta, start.inputs, start.targets, options);
    const b = train(network, start.theta, start.inputs, start.targets, options);
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
    expect(a.history[200]!.loss).toBeLessThan(a.history[0]!.loss);
  });
});
