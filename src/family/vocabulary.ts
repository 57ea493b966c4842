/**
 * The words every family shares, defined once: the Hessian parts a rank is about (H = H_O + H_F),
 * the activations σ and losses ℓ, and when a Hessian is integral (a linear network with mse loss:
 * then an integer instance has an integer Hessian and ranks are exact over Z/PZ).
 */
export type Quantity = 'H' | 'HO' | 'HF';
export const quantities: readonly Quantity[] = ['H', 'HO', 'HF'];

export type Activation = 'linear' | 'relu' | 'tanh';
export const activations: readonly Activation[] = ['linear', 'relu', 'tanh'];

export type Loss = 'mse' | 'ce';
export const losses: readonly Loss[] = ['mse', 'ce'];

/** The activations whose mse Hessian is integral on an integer instance (then --exact applies). */
export const exactActivations: readonly Activation[] = ['linear'];

/** mse and an activation of exactActivations ⇒ the Hessian of an integer instance is integral (exact ranks over Z/PZ). */
export function isIntegral(net: { activation: Activation; loss: Loss }): boolean {
  return net.loss === 'mse' && exactActivations.includes(net.activation);
}
