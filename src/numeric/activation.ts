/**
 * Activations σ with the derivatives the Hessian needs: σ', σ''.
 * relu: σ'(0) = 0 and σ'' = 0 (the a.e. derivative; random data never hit the kink).
 */
import type { Activation } from '../architecture/fullyConnected.js';

export interface ActivationDerivatives {
  value(z: number): number;
  first(z: number): number;
  second(z: number): number;
}

export const activationDerivatives: Record<Activation, ActivationDerivatives> = {
  linear: { value: (z) => z, first: () => 1, second: () => 0 },
  relu: { value: (z) => (z > 0 ? z : 0), first: (z) => (z > 0 ? 1 : 0), second: () => 0 },
  tanh: {
    value: (z) => Math.tanh(z),
    first: (z) => {
      const t = Math.tanh(z);
      return 1 - t * t;
    },
    second: (z) => {
      const t = Math.tanh(z);
      return -2 * t * (1 - t * t);
    },
  },
};
