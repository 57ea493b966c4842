/**
 * The CNN oracle computes the Hessian it claims to, with weight sharing handled exactly:
 *   H_O + H_F equals the finite-difference Hessian of ℒ (central differences of the analytic gradient);
 *   the structured Toeplitz builder (linear, mse) equals the forward-over-reverse shared-weight builder;
 *   both equal the fully-connected oracle on the Toeplitz-expanded network pulled back by the
 *   weight-sharing map Φ (θ_FC = Φθ): J = J_FC Φ, H_F = Φᵀ H_F^FC Φ;
 *   exact ranks over Z/PZ equal float64 ranks of the same architecture.
 */
import { describe, expect, it } from 'vitest';
import { convolutional, parseConvolutional, type ConvolutionalSpec } from '../../src/architecture/convolutional.js';
import { expandedInstance, sampleConvolutionalInstance, type ConvolutionalInstance } from '../../src/cnn/convolutionalInstance.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { SharedWeightHessian } from '../../src/numeric/sharedWeightHessian.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';
import { quantities } from '../../src/numeric/measure.js';
import { NetworkHessian } from '../numeric/referenceNetworkHessian.js';

function hessianBuilder(instance: ConvolutionalInstance): SharedWeightHessian {
  return new SharedWeightHessian(instance, instance.net.activation, instance.net.loss);
}

function finiteDifferenceHessian(instance: ConvolutionalInstance, h = 1e-5): Matrix {
  const p = instance.parameters;
  const H = zeros(p, p);
  for (let j = 0; j < p; j++) {
    const gradientAt = (step: number) => {
      const theta = instance.theta.slice();
      theta[j]! += step;
      return hessianBuilder({ ...instance, theta }).gradient();
    };
    const plus = gradientAt(h);
    const minus = gradientAt(-h);
    for (let i = 0; i < p; i++) H.data[i * p + j] = (plus[i]! - minus[i]!) / (2 * h);
  }
  return H;
}

const maxAbs = (a: Matrix): number => a.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
function maxAbsDifference(a: Matrix | Float64Array, b: Matrix | Float64Array): number {
  const x = 'data' in a ? a.data : a;
  const y = 'data' in b ? b.data : b;
  expect(x.length).toBe(y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

const cases: [string, Omit<ConvolutionalSpec, 'input' | 'inputChannels' | 'layers' | 'outputs'>][] = [
  ['in=6; conv k=3 c=2; K=2', { samples: 4 }],
  ['in=7 ch=2; conv k=3 c=2 s=2 pad=1; conv k=2 c=2; K=2', { samples: 3, bias: true }],
  ['in=4x4; conv k=2 c=2 s=2; K=3', { samples: 3, activation: 'tanh' }],
  ['in=4x3 ch=2; conv k=3x2 c=2 pad=1; conv k=2 c=1 s=2; K=2', { samples: 2, activation: 'relu', bias: true }],
  ['in=5; conv k=2 c=2; conv k=2 c=2; K=3', { samples: 3, activation: 'tanh', loss: 'ce', bias: true }],
  ['in=3x3; conv k=2 c=3; K=3', { samples: 4, loss: 'ce' }],
];

describe('the CNN Hessian equals finite differences of the analytic gradient', () => {
  for (const [cnn, rest] of cases) {
    it(`${cnn} ${JSON.stringify(rest)}`, () => {
      const instance = sampleConvolutionalInstance(parseConvolutional(cnn, rest), { seed: 11 });
      const parts = hessianBuilder(instance).parts();
      const fd = finiteDifferenceHessian(instance);
      // central differences: truncation O(h²) and rounding O(ε/h) ≈ 1e-10 relative; 1e-6 leaves margin
      expect(maxAbsDifference(parts.hessian, fd)).toBeLessThan(1e-6 * Math.max(1, maxAbs(fd)));
    });
  }
});

describe('weight sharing: the CNN Hessian is the fully-connected Hessian of the Toeplitz expansion pulled back by Φ', () => {
  for (const [cnn, rest] of cases) {
    it(`${cnn} ${JSON.stringify(rest)}`, () => {
      const instance = sampleConvolutionalInstance(parseConvolutional(cnn, rest), { seed: 5 });
      const parts = hessianBuilder(instance).parts();
      const { fc, expandedIndex } = expandedInstance(instance);
      const fcParts = new NetworkHessian(fc).parts();
      const pFC = fcParts.parameters;
      const p = instance.parameters;
      // Φ: column j of θ_FC-space gathers the pattern entries of parameter j
      const phi: [number, number][] = [];
      instance.patterns.forEach((pattern, l) => pattern.param.forEach((j, e) => phi.push([instance.offsets[l]! + j, expandedIndex[l]![e]!])));
      const pulledJ = zeros(fcParts.jacobian.rows, p);
      for (let row = 0; row < pulledJ.rows; row++) for (const [j, a] of phi) pulledJ.data[row * p + j]! += fcParts.jacobian.data[row * pFC + a]!;
      const pulledHF = zeros(p, p);
      for (const [i, a] of phi) for (const [j, b] of phi) pulledHF.data[i * p + j]! += fcParts.functional.data[a * pFC + b]!;
      expect(maxAbsDifference(parts.jacobian, pulledJ)).toBeLessThan(1e-10 * Math.max(1, maxAbs(pulledJ)));
      expect(maxAbsDifference(parts.functional, pulledHF)).toBeLessThan(1e-10 * Math.max(1, maxAbs(pulledHF)));
    });
  }
});

describe('the structured linear builder on Toeplitz patterns equals the forward-over-reverse builder (linear; mse, ce)', () => {
  const linear = ['in=6; conv k=3 c=2; conv k=2 c=3; K=2', 'in=7 ch=2; conv k=3 c=2 s=2 pad=1; conv k=2 c=2; conv k=1 c=2; K=2', 'in=4x4; conv k=2 c=2 s=2 pad=1; conv k=2 c=2; K=3'];
  for (const cnn of linear) {
    for (const [bias, loss] of [[false, 'mse'], [true, 'mse'], [true, 'ce']] as const) {
      it(`${cnn}${bias ? ', bias' : ''}, ${loss}`, () => {
        const instance = sampleConvolutionalInstance(parseConvolutional(cnn, { samples: 5, bias, loss }), { seed: 3 });
        const structured = new LinearNetworkHessian(instance).parts();
        const general = hessianBuilder(instance).parts();
        for (const part of ['jacobian', 'functional', 'hessian'] as const) {
          expect(maxAbsDifference(structured[part], general[part]), part).toBeLessThan(1e-9 * Math.max(1, maxAbs(general[part])));
        }
      });
    }
  }
});

describe('a CNN whose kernels cover their whole input is the fully-connected network of the same widths', () => {
  it('in=5; conv k=5 c=3; conv k=1 c=4; K=2 has the Hessian of the 5-3-4-2 network, parameter for parameter', () => {
    for (const bias of [false, true]) {
      const instance = sampleConvolutionalInstance(convolutional({ input: 5, layers: [{ kernel: 5, channels: 3 }, { kernel: 1, channels: 4 }], outputs: 2, samples: 6, bias, activation: 'tanh' }), { seed: 8 });
      const { fc } = expandedInstance(instance);
      expect(fc.net.widths).toEqual([5, 3, 4, 2]);
      const ours = hessianBuilder(instance).parts();
      const theirs = new NetworkHessian(fc).parts();
      expect(maxAbsDifference(ours.hessian, theirs.hessian)).toBeLessThan(1e-10 * Math.max(1, maxAbs(theirs.hessian)));
    }
  });
});

describe('exact ranks over Z/PZ equal float64 ranks', () => {
  for (const cnn of ['in=8; conv k=3 c=3; conv k=3 c=2; K=3', 'in=5x5; conv k=3 c=2 s=2 pad=1; K=3']) {
    it(cnn, () => {
      const net = parseConvolutional(cnn, { samples: 12 });
      const exact = measureConvolutional(net, { seed: 1, exact: true });
      const float = measureConvolutional(net, { seed: 1 });
      expect(float.ranks).toEqual(exact.ranks);
      for (const q of quantities) expect(new Set(exact.parts[q].exact!.ranksModPrimes).size).toBe(1);
    });
  }
});
