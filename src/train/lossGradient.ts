/**
 * The mean loss L(θ) = (1/N) Σ_i ℓ(f(x_i; θ), y_i) and its gradient, by backpropagation through a
 * network whose layer l has weights W̃_l linear in θ through a 0/1 pattern (src/numeric/sharedWeightNetwork.ts):
 *   Z_l = W̃_l [A_{l-1}; 1],  A_l = σ(Z_l) (A_0 = X, no σ after the last layer, F = Z_L),
 *   G_L = ∂L/∂F = (1/N) [g_1 … g_N],  G_{l-1} = (W̃_lᵀ G_l)_{rows of A_{l-1}} ⊙ σ'(Z_{l-1}),
 *   ∂L/∂θ[param_e] += (G_l [A_{l-1}; 1]ᵀ)[row_e, col_e].
 * A fully-connected layer is the dense pattern (θ = [W | b] row by row), a convolution its Toeplitz
 * pattern, so one routine trains both families.
 */
import type { Activation, Loss } from '../architecture/fullyConnected.js';
import { activationDerivatives } from '../numeric/activation.js';
import { lossDerivatives } from '../numeric/lossFunction.js';
import type { Matrix } from '../numeric/matrix.js';
import type { WeightLayout, WeightPattern } from '../numeric/sharedWeightNetwork.js';

/** The weights' layout with the activation and loss: what training needs besides θ and the data. */
export interface PatternNetwork extends WeightLayout {
  readonly activation: Activation;
  readonly loss: Loss;
}

export interface LossAndGradient {
  /** the mean loss (1/N) Σ ℓ_i */
  loss: number;
  /** the share of samples whose largest output is the target's largest entry */
  accuracy: number;
  gradient: Float64Array;
}

/** W̃ (rows × cols) from θ through the pattern, dense row-major. */
function layerWeights(pattern: WeightPattern, theta: Float64Array, offset: number): Float64Array {
  const w = new Float64Array(pattern.rows * pattern.cols);
  for (let e = 0; e < pattern.param.length; e++) w[pattern.row[e]! * pattern.cols + pattern.col[e]!] = theta[offset + pattern.param[e]!]!;
  return w;
}

export function lossAndGradient(network: PatternNetwork, theta: Float64Array, X: Matrix, Y: Matrix): LossAndGradient {
  const N = X.cols;
  const sigma = activationDerivatives[network.activation];
  const L = network.patterns.length;
  const weights = network.patterns.map((p, l) => layerWeights(p, theta, network.offsets[l]!));
  // activations A_l (rows × N) and pre-activations Z_l
  const A: Float64Array[] = [X.data];
  const Z: Float64Array[] = [];
  for (let l = 0; l < L; l++) {
    const { rows, cols } = network.patterns[l]!;
    const inputs = cols - (network.bias ? 1 : 0);
    const w = weights[l]!;
    const a = A[l]!;
    const z = new Float64Array(rows * N);
    for (let i = 0; i < rows; i++) {
      const zi = z.subarray(i * N, (i + 1) * N);
      if (network.bias) zi.fill(w[i * cols + inputs]!);
      for (let j = 0; j < inputs; j++) {
        const wij = w[i * cols + j]!;
        if (wij === 0) continue;
        const aj = a.subarray(j * N, (j + 1) * N);
        for (let n = 0; n < N; n++) zi[n] = zi[n]! + wij * aj[n]!;
      }
    }
    Z.push(z);
    A.push(l < L - 1 ? z.map((v) => sigma.value(v)) : z);
  }
  const F = A[L]!;
  const K = network.patterns[L - 1]!.rows;
  let G = new Float64Array(K * N);
  let loss = 0;
  let correct = 0;
  const f = new Float64Array(K);
  const y = new Float64Array(K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      f[k] = F[k * N + n]!;
      y[k] = Y.data[k * N + n]!;
    }
    const derivatives = lossDerivatives(network.loss, f, y);
    loss += derivatives.value;
    for (let k = 0; k < K; k++) G[k * N + n] = derivatives.gradient[k]! / N;
    if (argmax(f) === argmax(y)) correct++;
  }
  const gradient = new Float64Array(network.parameters);
  for (let l = L - 1; l >= 0; l--) {
    const pattern = network.patterns[l]!;
    const { rows, cols } = pattern;
    const inputs = cols - (network.bias ? 1 : 0);
    const a = A[l]!;
    // dW̃ entries only where the pattern has parameters
    const offset = network.offsets[l]!;
    for (let e = 0; e < pattern.param.length; e++) {
      const g = G.subarray(pattern.row[e]! * N, (pattern.row[e]! + 1) * N);
      const c = pattern.col[e]!;
      let s = 0;
      if (c === inputs) for (let n = 0; n < N; n++) s += g[n]!;
      else {
        const ac = a.subarray(c * N, (c + 1) * N);
        for (let n = 0; n < N; n++) s += g[n]! * ac[n]!;
      }
      gradient[offset + pattern.param[e]!] = gradient[offset + pattern.param[e]!]! + s;
    }
    if (l === 0) break;
    const w = weights[l]!;
    const next = new Float64Array(inputs * N);
    for (let i = 0; i < rows; i++) {
      const gi = G.subarray(i * N, (i + 1) * N);
      for (let j = 0; j < inputs; j++) {
        const wij = w[i * cols + j]!;
        if (wij === 0) continue;
        const nj = next.subarray(j * N, (j + 1) * N);
        for (let n = 0; n < N; n++) nj[n] = nj[n]! + wij * gi[n]!;
      }
    }
    const z = Z[l - 1]!;
    for (let t = 0; t < next.length; t++) next[t] = next[t]! * sigma.first(z[t]!);
    G = next;
  }
  return { loss: loss / N, accuracy: correct / N, gradient };
}

function argmax(v: Float64Array): number {
  let best = 0;
  for (let k = 1; k < v.length; k++) if (v[k]! > v[best]!) best = k;
  return best;
}
