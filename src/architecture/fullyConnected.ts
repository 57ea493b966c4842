/**
 * Fully-connected network f(x) = W_L σ(⋯ σ(W_1 x + b_1) ⋯) + b_L.
 *
 * widths = [d, M_1, …, M_{L-1}, K]: input dimension d, hidden widths M_1..M_{L-1}, K outputs,
 * depth L = widths.length − 1 ≥ 1. W_l ∈ R^{M_l × M_{l-1}}; the biases b_l exist when `bias`.
 * Parameter count p = Σ_l M_l M_{l-1} (+ Σ_l M_l with bias).
 * Loss over N samples: mse ½ Σ_i ‖f(x_i) − y_i‖² (so ∇²ℓ = I), or ce, softmax cross-entropy.
 */
import { InputError } from '../errors.js';
import { limits } from '../family/limits.js';

import { activations, losses, type Activation, type Loss } from '../family/vocabulary.js';
export { activations, losses, type Activation, type Loss };

export interface FullyConnected {
  readonly kind: 'fully-connected';
  /** [d, M_1, …, M_{L-1}, K] */
  readonly widths: readonly number[];
  readonly bias: boolean;
  readonly activation: Activation;
  readonly loss: Loss;
  /** N, the number of samples */
  readonly samples: number;
}

export interface FullyConnectedSpec {
  widths: readonly number[];
  bias?: boolean;
  activation?: Activation;
  loss?: Loss;
  samples?: number;
}

/** Default N: twice the input dimension, so that generic data have full rank r = d. */
export function defaultSamples(widths: readonly number[]): number {
  return 2 * widths[0]!;
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InputError(`${what} must be a positive integer below 2^53, got ${String(value)}`);
  }
  return value;
}

/** Builds and validates a fully-connected architecture. */
export function fullyConnected(spec: FullyConnectedSpec): FullyConnected {
  if (!Array.isArray(spec.widths) || spec.widths.length < 2) {
    throw new InputError('widths must list at least the input dimension d and the outputs K, e.g. 25,5,10,10');
  }
  if (spec.widths.length > limits.depth + 1) {
    throw new InputError(`widths lists ${spec.widths.length} sizes: at most ${limits.depth} weight layers (${limits.depth + 1} widths)`);
  }
  const widths = spec.widths.map((w, i) => positiveInteger(w, `width ${i} (of ${spec.widths.slice(0, 12).join(',')}${spec.widths.length > 12 ? ',…' : ''})`));
  const activation = spec.activation ?? 'linear';
  if (!activations.includes(activation)) {
    throw new InputError(`activation must be one of ${activations.join(', ')}, got ${String(activation)}`);
  }
  const loss = spec.loss ?? 'mse';
  if (!losses.includes(loss)) throw new InputError(`loss must be one of ${losses.join(', ')}, got ${String(loss)}`);
  if (loss === 'ce' && widths[widths.length - 1]! < 2) {
    throw new InputError('cross-entropy needs at least K = 2 outputs');
  }
  const samples = positiveInteger(spec.samples ?? defaultSamples(widths), 'samples N');
  if (typeof (spec.bias ?? false) !== 'boolean') throw new InputError(`bias must be true or false, got ${String(spec.bias)}`);
  return { kind: 'fully-connected', widths, bias: spec.bias ?? false, activation, loss, samples };
}

/** L, the number of weight matrices. */
export function depth(net: FullyConnected): number {
  return net.widths.length - 1;
}

export function inputDimension(net: FullyConnected): number {
  return net.widths[0]!;
}

export function outputDimension(net: FullyConnected): number {
  return net.widths[net.widths.length - 1]!;
}

/** M_1..M_{L-1}. */
export function hiddenWidths(net: FullyConnected): number[] {
  return net.widths.slice(1, -1);
}

/** p = Σ_l M_l M_{l-1} (+ Σ_l M_l with bias). */
export function parameterCount(net: FullyConnected): number {
  let p = 0;
  for (let l = 1; l < net.widths.length; l++) {
    p += net.widths[l]! * (net.widths[l - 1]! + (net.bias ? 1 : 0));
  }
  return p;
}

/** "25-5-10-10, bias, relu, ce, N=50": how the architecture is named in output. */
export function describe(net: FullyConnected): string {
  const parts = [net.widths.join('-')];
  if (net.bias) parts.push('bias');
  if (net.activation !== 'linear') parts.push(net.activation);
  if (net.loss !== 'mse') parts.push(net.loss);
  parts.push(`N=${net.samples}`);
  return parts.join(', ');
}
