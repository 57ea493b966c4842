/**
 * Full-batch training of θ on the mean loss L(θ) = (1/N) Σ_i ℓ(f(x_i; θ), y_i):
 *   gd:   θ ← θ − η ∇L
 *   adam: m ← β₁m + (1−β₁)∇L, v ← β₂v + (1−β₂)(∇L)², θ ← θ − η m̂/(√v̂ + ε) (Kingma & Ba 2015,
 *         β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸, m̂, v̂ bias-corrected)
 * from the seeded initial weights of the instance (src/numeric/networkInstance.ts,
 * src/cnn/convolutionalInstance.ts). Deterministic: the same seed, data and settings give the same θ.
 * `onStep` sees θ after every step (step 0 is the initialisation), so a caller can record ranks.
 */
import { InputError } from '../errors.js';
import type { Matrix } from '../numeric/matrix.js';
import { lossAndGradient, type PatternNetwork } from './lossGradient.js';

export type Optimizer = 'gd' | 'adam';
export const optimizers: readonly Optimizer[] = ['gd', 'adam'];

export interface TrainingOptions {
  optimizer: Optimizer;
  /** η */
  learningRate: number;
  steps: number;
}

export interface TrainingStep {
  step: number;
  loss: number;
  accuracy: number;
  /** ‖∇L‖₂ */
  gradientNorm: number;
}

export interface TrainingResult {
  theta: Float64Array;
  history: TrainingStep[];
}

const adamMoments = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

export function train(
  network: PatternNetwork,
  initial: Float64Array,
  X: Matrix,
  Y: Matrix,
  options: TrainingOptions,
  onStep?: (step: TrainingStep, theta: Float64Array) => void,
): TrainingResult {
  if (!(options.learningRate > 0) || !Number.isFinite(options.learningRate)) throw new InputError(`the learning rate must be a positive number, got ${options.learningRate}`);
  if (!Number.isSafeInteger(options.steps) || options.steps < 0) throw new InputError(`the number of steps must be a non-negative integer, got ${options.steps}`);
  const theta = Float64Array.from(initial);
  const m = new Float64Array(theta.length);
  const v = new Float64Array(theta.length);
  const history: TrainingStep[] = [];
  const { beta1, beta2, epsilon } = adamMoments;
  for (let step = 0; ; step++) {
    const { loss, accuracy, gradient } = lossAndGradient(network, theta, X, Y);
    let norm = 0;
    for (const g of gradient) norm += g * g;
    const record = { step, loss, accuracy, gradientNorm: Math.sqrt(norm) };
    if (!Number.isFinite(loss)) throw new InputError(`training diverged at step ${step} (loss ${loss}); lower the learning rate (--lr)`);
    history.push(record);
    onStep?.(record, theta);
    if (step === options.steps) break;
    if (options.optimizer === 'gd') {
      for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! - options.learningRate * gradient[i]!;
    } else {
      const t = step + 1;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      for (let i = 0; i < theta.length; i++) {
        const g = gradient[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * g;
        v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
        theta[i] = theta[i]! - (options.learningRate * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + epsilon);
      }
    }
  }
  return { theta, history };
}
