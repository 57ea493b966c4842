/**
 * Upper bounds of the row 1-norms of H_F and H_O on an integer instance (linear or ReLU, mse): what
 * the number of primes of an exact rank rests on (src/linalg/exactRank.ts, docs/theory.md).
 *
 * Every entry of H_F = Σ_i Σ_k e_ik ∇²f_ik and of H_O = Σ_i J_iᵀ J_i is a sum of terms, each a product
 * of weights, inputs and residuals e = f − y, where f is a sum of products of weights and inputs with
 * coefficient +1 (a ReLU network at a fixed activation pattern keeps a subset of the linear network's
 * terms). On the absolute instance — weights |θ|, inputs |X|, targets −|Y|, linear activation — every
 * such term is the absolute value of the original term (e becomes f(|θ|,|X|) + |Y| ≥ |e|), so
 *   |H_F[a,b]| ≤ H_F⁺[a,b],   |H_O[a,b]| ≤ H_O⁺[a,b],
 * with H⁺ the Hessian parts of the absolute instance, entrywise nonnegative. Their row 1-norms are
 * H⁺ 𝟙, and ‖row‖₂ ≤ ‖row‖₁ feeds Hadamard's bound. H⁺ 𝟙 is computed in float64, a sum of
 * nonnegative terms: its relative rounding error is below (terms) · ε, covered by `margin`.
 */
import type { SharedWeightNetwork } from './sharedWeightNetwork.js';
import { applyFunctional, applyOuterProduct } from './compressedLinearHessian.js';
import { LinearNetworkHessian } from './linearNetworkHessian.js';
import { zeros, type Matrix } from './matrix.js';
import type { NetworkInstance } from './networkInstance.js';

/** H_F⁺ 𝟙 and H_O⁺ 𝟙 (length p each). */
export interface AbsoluteRowSums {
  functional: Float64Array;
  outer: Float64Array;
}

/** Relative slack on the float64 sums of nonnegative terms (far above p · ε for any p we measure). */
export const margin = 1 + 1e-6;

const absolute = (m: Matrix): Matrix => ({ rows: m.rows, cols: m.cols, data: m.data.map(Math.abs) });
const negativeAbsolute = (m: Matrix): Matrix => ({ rows: m.rows, cols: m.cols, data: m.data.map((v) => -Math.abs(v)) });

function widen(sums: AbsoluteRowSums): AbsoluteRowSums {
  return { functional: sums.functional.map((v) => v * margin), outer: sums.outer.map((v) => v * margin) };
}

/**
 * The absolute instance of a fully-connected one (weights |θ|, inputs |X|, targets −|Y|, linear, mse),
 * in float64: every matrix it yields (H⁺_F, H⁺_O, J⁺, the Kronecker factors A⁺ᵀA⁺ and Z⁺Z⁺ᵀ) bounds
 * the integer instance's matrix entry by entry (see the top).
 */
export function absoluteHessian(instance: NetworkInstance): LinearNetworkHessian {
  return new LinearNetworkHessian({
    ...instance,
    net: { ...instance.net, activation: 'linear' as const, loss: 'mse' as const },
    integer: false,
    layers: instance.layers.map(absolute),
    inputs: absolute(instance.inputs),
    targets: negativeAbsolute(instance.targets),
  });
}

/** Fully connected (linear or ReLU): matrix-free, from the block formulas (no p × p matrix). */
export function fullyConnectedRowSums(instance: NetworkInstance): AbsoluteRowSums {
  const h = absoluteHessian(instance);
  const ones = new Float64Array(h.parameters).fill(1);
  const functional = new Float64Array(h.parameters);
  const outer = new Float64Array(h.parameters);
  applyFunctional(h, ones, functional);
  applyOuterProduct(h, ones, outer);
  return widen({ functional, outer });
}

/** Any shared-weight network (CNN, linear or ReLU): H_F⁺ built densely, H_O⁺ 𝟙 = J⁺ᵀ (J⁺ 𝟙). */
export function sharedWeightRowSums(network: SharedWeightNetwork): AbsoluteRowSums {
  const h = new LinearNetworkHessian({
    ...network,
    net: { activation: 'linear', loss: 'mse' },
    theta: network.theta.map(Math.abs),
    inputs: absolute(network.inputs),
    targets: negativeAbsolute(network.targets),
  });
  const p = network.parameters;
  const F = zeros(p, p);
  h.addFunctional(F);
  const functional = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    let s = 0;
    for (let b = 0; b < p; b++) s += F.data[a * p + b]!;
    functional[a] = s;
  }
  const J = h.jacobian();
  const outer = new Float64Array(p);
  for (let r = 0; r < J.rows; r++) {
    let s = 0;
    for (let b = 0; b < p; b++) s += J.data[r * p + b]!;
    for (let a = 0; a < p; a++) outer[a]! += J.data[r * p + a]! * s;
  }
  return widen({ functional, outer });
}
