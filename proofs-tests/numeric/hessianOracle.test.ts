/**
 * The numerical oracle computes the Hessian it claims to:
 *   H_O + H_F equals the finite-difference Hessian of ℒ (central differences of the analytic gradient),
 *   H_O equals Σ_i J_iᵀ ∇²ℓ J_i with J_i from finite differences of f,
 *   the structured linear-network builder equals the general forward-over-reverse builder;
 *   the library's oracle (src/numeric/measure.ts hessianParts) equals this independent reference.
 */
import { describe, expect, it } from 'vitest';
import { fullyConnected, type FullyConnectedSpec } from '../../src/architecture/fullyConnected.js';
import { addGramInto } from '../../src/numeric/hessianParts.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';
import { sampleInstance, type NetworkInstance } from '../../src/numeric/networkInstance.js';
import { NetworkHessian } from './referenceNetworkHessian.js';
import { hessianParts } from '../../src/numeric/measure.js';
import { float64Ring } from '../../src/numeric/ring.js';

/** Instance with the parameter θ_j moved by h. */
function shifted(instance: NetworkInstance, j: number, h: number): NetworkInstance {
  let offset = 0;
  const layers = instance.layers.map((layer) => {
    const copy = { rows: layer.rows, cols: layer.cols, data: layer.data.slice() };
    if (j >= offset && j < offset + layer.data.length) copy.data[j - offset]! += h;
    offset += layer.data.length;
    return copy;
  });
  return { ...instance, layers };
}

function finiteDifferenceHessian(instance: NetworkInstance, h = 1e-5): Matrix {
  const p = new NetworkHessian(instance).parameters;
  const H = zeros(p, p);
  for (let j = 0; j < p; j++) {
    const plus = new NetworkHessian(shifted(instance, j, h)).gradient();
    const minus = new NetworkHessian(shifted(instance, j, -h)).gradient();
    for (let i = 0; i < p; i++) H.data[i * p + j] = (plus[i]! - minus[i]!) / (2 * h);
  }
  return H;
}

function maxAbsDifference(a: Matrix, b: Matrix): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

function maxAbs(a: Matrix): number {
  let m = 0;
  for (const v of a.data) m = Math.max(m, Math.abs(v));
  return m;
}

const cases: FullyConnectedSpec[] = [
  { widths: [3, 4, 2], samples: 5 },
  { widths: [3, 2, 3, 2], samples: 4, bias: true },
  { widths: [4, 3, 3], samples: 6, activation: 'tanh' },
  { widths: [3, 4, 3], samples: 5, activation: 'relu', bias: true },
  { widths: [3, 3, 2, 3], samples: 4, activation: 'tanh', loss: 'ce', bias: true },
  { widths: [2, 4, 3], samples: 6, loss: 'ce' },
];

describe('the analytic Hessian equals finite differences of the analytic gradient', () => {
  for (const spec of cases) {
    const net = fullyConnected(spec);
    it(`${JSON.stringify(spec)}`, () => {
      const instance = sampleInstance(net, { seed: 7 });
      const builder = new NetworkHessian(instance);
      const parts = builder.parts();
      const fd = finiteDifferenceHessian(instance);
      // central differences: truncation O(h²) and rounding O(ε/h) ≈ 1e-10 relative; 1e-6 leaves margin
      expect(maxAbsDifference(parts.hessian, fd)).toBeLessThan(1e-6 * Math.max(1, maxAbs(fd)));
    });
  }
});

describe('H_O = Σ_i J_iᵀ ∇²ℓ J_i with J_i from finite differences of the network output', () => {
  for (const spec of cases) {
    const net = fullyConnected(spec);
    it(`${JSON.stringify(spec)}`, () => {
      const instance = sampleInstance(net, { seed: 3 });
      const builder = new NetworkHessian(instance);
      const p = builder.parameters;
      const HO = zeros(p, p);
      addGramInto(HO, builder.jacobian(), float64Ring);
      // Gauss–Newton from the finite-difference Hessian of the loss linearised in f: ℒ_lin(θ) has
      // Hessian exactly H_O, so compare with (H_fd − H_F) where H_F comes from the independent sum.
      const fd = finiteDifferenceHessian(instance);
      const HF = builder.functional();
      const residual = zeros(p, p);
      for (let i = 0; i < p * p; i++) residual.data[i] = fd.data[i]! - HF.data[i]!;
      expect(maxAbsDifference(HO, residual)).toBeLessThan(1e-6 * Math.max(1, maxAbs(fd)));
    });
  }
});

describe('the structured linear-network builder equals the general builder', () => {
  for (const spec of [
    { widths: [5, 3, 4, 2], samples: 7 },
    { widths: [3, 4, 2, 3, 2], samples: 2, bias: true },
    { widths: [4, 6], samples: 3, bias: true },
  ] satisfies FullyConnectedSpec[]) {
    it(`${JSON.stringify(spec)}`, () => {
      const instance = sampleInstance(fullyConnected(spec), { seed: 11 });
      const structured = new LinearNetworkHessian(instance).parts();
      const general = new NetworkHessian(instance).parts();
      const scale = Math.max(1, maxAbs(general.hessian));
      expect(maxAbsDifference(structured.functional, general.functional)).toBeLessThan(1e-12 * scale);
      expect(maxAbsDifference(structured.hessian, general.hessian)).toBeLessThan(1e-12 * scale);
      expect(maxAbsDifference(structured.jacobian, general.jacobian)).toBeLessThan(1e-12 * scale);
    });
  }
});

describe("the library's oracle for fully-connected networks (the shared-weight builder on dense patterns) equals this reference", () => {
  for (const spec of cases) {
    it(`${JSON.stringify(spec)}`, () => {
      const instance = sampleInstance(fullyConnected(spec), { seed: 5 });
      const reference = new NetworkHessian(instance).parts();
      const library = hessianParts(instance);
      // same sums in possibly another order: 1e-12 relative to the largest entry
      const scale = Math.max(1, maxAbs(reference.hessian));
      for (const part of ['hessian', 'functional', 'jacobian'] as const) {
        expect(maxAbsDifference(library[part], reference[part]), part).toBeLessThan(1e-12 * scale);
      }
    });
  }
});
