/**
 * Per-sample loss ℓ(f, y), its gradient g = ∂ℓ/∂f and a factor S with Sᵀ S = ∇²ℓ.
 *   mse: ℓ = ½‖f − y‖², g = f − y, ∇²ℓ = I, S = I.
 *   ce:  ℓ = −Σ_k y_k log π_k with π = softmax(f), g = π − y, ∇²ℓ = diag(π) − ππᵀ (rank K − 1),
 *        S = diag(√π)(I − 1πᵀ): (I − π1ᵀ) diag(π) (I − 1πᵀ) = diag(π) − ππᵀ since Σπ = 1.
 */
import type { Loss } from '../architecture/fullyConnected.js';

export interface LossDerivatives {
  value: number;
  gradient: Float64Array;
  /** S, K × K row-major, Sᵀ S = ∇²ℓ */
  hessianFactor: Float64Array;
}

export function softmax(f: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of f) max = Math.max(max, v);
  const pi = f.map((v) => Math.exp(v - max));
  let total = 0;
  for (const v of pi) total += v;
  return pi.map((v) => v / total);
}

export function lossDerivatives(loss: Loss, f: Float64Array, y: Float64Array): LossDerivatives {
  const K = f.length;
  const hessianFactor = new Float64Array(K * K);
  if (loss === 'mse') {
    const gradient = f.map((v, k) => v - y[k]!);
    let value = 0;
    for (const g of gradient) value += 0.5 * g * g;
    for (let k = 0; k < K; k++) hessianFactor[k * K + k] = 1;
    return { value, gradient, hessianFactor };
  }
  const pi = softmax(f);
  const gradient = pi.map((v, k) => v - y[k]!);
  let value = 0;
  for (let k = 0; k < K; k++) if (y[k]! !== 0) value -= y[k]! * Math.log(pi[k]!);
  for (let i = 0; i < K; i++) {
    const root = Math.sqrt(pi[i]!);
    for (let j = 0; j < K; j++) hessianFactor[i * K + j] = root * ((i === j ? 1 : 0) - pi[j]!);
  }
  return { value, gradient, hessianFactor };
}
