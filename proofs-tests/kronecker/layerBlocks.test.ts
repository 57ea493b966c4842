/**
 * Theorem: the layer block of the loss Hessian is a sum of Kronecker products over the samples,
 *   H[θ_l, θ_l] = Σ_i M_{l,i} ⊗ x̃_{l,i} x̃_{l,i}ᵀ,   M_{l,i} = ∂²ℓ_i/∂z_l²   (row-major vec of [W_l | b_l]),
 * and the same holds for H_O with the Gauss–Newton M^O_{l,i}. Checked against the general oracle
 * (forward-over-reverse, no Kronecker structure assumed). Consequences checked too: for linear and relu
 * networks σ'' = 0, so H and H_O share their diagonal blocks (H_F's diagonal blocks vanish), while
 * tanh networks do not; with MSE the last layer's block is exactly I_K ⊗ Σ_i x̃_i x̃_iᵀ for every
 * activation, so the decoupling is exact there. The same for CNN layers (convolutions over the kernel's
 * [W | b] layout, checked against the shared-weight oracle of src/cnn).
 */
import { describe, expect, it } from 'vitest';
import { fullyConnected, type FullyConnectedSpec } from '../../src/architecture/fullyConnected.js';
import { parseConvolutional } from '../../src/architecture/convolutional.js';
import { sampleConvolutionalInstance } from '../../src/cnn/convolutionalInstance.js';
import { convolutionalHessianParts } from '../../src/cnn/measure.js';
import { convolutionalLayerHessians } from '../../src/kronecker/convolutionalLayerHessian.js';
import { decoupledApproximation } from '../../src/kronecker/decoupling.js';
import { relativeKroneckerError } from '../../src/kronecker/kroneckerPair.js';
import { diagonalBlock, outerProductBlock } from '../../src/kronecker/layerBlock.js';
import { layerHessians } from '../../src/kronecker/layerHessian.js';
import type { Matrix } from '../../src/numeric/matrix.js';
import { sampleInstance } from '../../src/numeric/networkInstance.js';
import { NetworkHessian } from '../numeric/referenceNetworkHessian.js';

function maxAbs(a: Matrix): number {
  return a.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

function maxAbsDifference(a: Matrix, b: Matrix): number {
  expect([a.rows, a.cols]).toEqual([b.rows, b.cols]);
  return a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);
}

const cases: FullyConnectedSpec[] = [
  { widths: [3, 4, 2], samples: 5 },
  { widths: [3, 2, 3, 2], samples: 4, bias: true },
  { widths: [4, 3, 3], samples: 6, activation: 'tanh' },
  { widths: [3, 4, 3], samples: 5, activation: 'relu', bias: true },
  { widths: [3, 3, 2, 3], samples: 4, activation: 'tanh', loss: 'ce', bias: true },
  { widths: [2, 4, 3, 3], samples: 6, activation: 'relu', loss: 'ce' },
];

describe('H_l = Σ_i M_i ⊗ x̃_i x̃_iᵀ is the diagonal block of the oracle’s H and H_O', () => {
  for (const spec of cases) {
    it(JSON.stringify(spec), () => {
      const instance = sampleInstance(fullyConnected(spec), { seed: 11 });
      const parts = new NetworkHessian(instance).parts();
      for (const layer of layerHessians(instance, 'H')) {
        const oracle = diagonalBlock(parts.hessian, layer.shape);
        // both sides are sums of O(N·M²) rounded products: 1e-12 relative to the largest entry
        expect(maxAbsDifference(layer.block, oracle), `layer ${layer.shape.layer}`).toBeLessThan(1e-12 * Math.max(1, maxAbs(oracle)));
      }
      for (const layer of layerHessians(instance, 'HO')) {
        const oracle = outerProductBlock(parts.jacobian, layer.shape);
        expect(maxAbsDifference(layer.block, oracle), `layer ${layer.shape.layer}`).toBeLessThan(1e-12 * Math.max(1, maxAbs(oracle)));
      }
    });
  }
});

describe('σ″ = 0 (linear, relu): H_F has zero diagonal blocks, so H and H_O share them; tanh: they differ', () => {
  for (const spec of cases) {
    const net = fullyConnected(spec);
    if (net.widths.length < 3) continue;
    it(JSON.stringify(spec), () => {
      const instance = sampleInstance(net, { seed: 5 });
      const parts = new NetworkHessian(instance).parts();
      const scale = maxAbs(parts.hessian);
      const full = layerHessians(instance, 'H');
      const outer = layerHessians(instance, 'HO');
      // H_F from the oracle, its own sum; the hidden layers carry the σ″ terms (layer L has M_L = ∇²ℓ)
      const functionalBlocks = full.slice(0, -1).map((layer) => maxAbs(diagonalBlock(parts.functional, layer.shape)) / scale);
      const differences = full.slice(0, -1).map((layer, i) => maxAbsDifference(layer.block, outer[i]!.block) / scale);
      if (net.activation === 'tanh') {
        expect(Math.max(...functionalBlocks)).toBeGreaterThan(1e-6);
        expect(Math.max(...differences)).toBeGreaterThan(1e-6);
      } else {
        // rounding of the oracle's tangent sums: 1e-13 relative to the largest entry of H
        expect(Math.max(...functionalBlocks)).toBeLessThan(1e-13);
        expect(Math.max(...differences)).toBeLessThan(1e-13);
      }
    });
  }
});

describe('MSE: the last layer’s block is exactly N·E[M] ⊗ E[x̃x̃ᵀ] = I_K ⊗ Σ_i x̃_i x̃_iᵀ, for every activation', () => {
  for (const spec of cases.filter((s) => (s.loss ?? 'mse') === 'mse')) {
    it(JSON.stringify(spec), () => {
      const instance = sampleInstance(fullyConnected(spec), { seed: 3 });
      const last = layerHessians(instance, 'H').at(-1)!;
      // E[M] = I exactly; the two sides differ by the rounding of N additions: 1e-14 relative
      expect(relativeKroneckerError(last.block, decoupledApproximation(last))).toBeLessThan(1e-14);
    });
  }
});

describe('CNN: H_l = Σ_i U_iᵀ M_i U_i is the diagonal block of the shared-weight oracle’s H and H_O', () => {
  const specs = [
    'in=7; conv k=3 c=2; K=2',
    'in=8; conv k=3 c=2 s=2 pad=1; conv k=2 c=3; K=3',
    'in=4x4 ch=2; conv k=2 c=2; K=2',
  ];
  const variants = [
    { activation: 'linear', loss: 'mse', bias: false },
    { activation: 'relu', loss: 'ce', bias: true },
    { activation: 'tanh', loss: 'mse', bias: true },
  ] as const;
  for (const spec of specs) {
    for (const variant of variants) {
      it(`${spec}, ${JSON.stringify(variant)}`, () => {
        const net = parseConvolutional(spec, { ...variant, samples: 5 });
        const instance = sampleConvolutionalInstance(net, { seed: 13 });
        const parts = convolutionalHessianParts(instance);
        for (const layer of convolutionalLayerHessians(instance, 'H')) {
          const oracle = diagonalBlock(parts.hessian, layer.shape);
          expect(maxAbsDifference(layer.block, oracle), `layer ${layer.shape.layer}`).toBeLessThan(1e-12 * Math.max(1, maxAbs(oracle)));
        }
        for (const layer of convolutionalLayerHessians(instance, 'HO')) {
          const oracle = outerProductBlock(parts.jacobian, layer.shape);
          expect(maxAbsDifference(layer.block, oracle), `layer ${layer.shape.layer}`).toBeLessThan(1e-12 * Math.max(1, maxAbs(oracle)));
        }
        const last = convolutionalLayerHessians(instance, 'H').at(-1)!;
        // the dense last layer with mse: I_K ⊗ Σ_i x̃_i x̃_iᵀ, as for fully-connected networks
        if (net.loss === 'mse') expect(relativeKroneckerError(last.block, decoupledApproximation(last))).toBeLessThan(1e-14);
      });
    }
  }
});
