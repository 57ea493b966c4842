/**
 * The words every family shares, defined once: the Hessian parts a rank is about (H = H_O + H_F),
 * the activations σ and losses ℓ, and when a Hessian is integral (a linear or ReLU network with mse
 * loss: then an integer instance has an integer Hessian and ranks are exact over Z/PZ).
 */
export type Quantity = 'H' | 'HO' | 'HF';
export const quantities: readonly Quantity[] = ['H', 'HO', 'HF'];

export type Activation = 'linear' | 'relu' | 'tanh';
export const activations: readonly Activation[] = ['linear', 'relu', 'tanh'];

export type Loss = 'mse' | 'ce';
export const losses: readonly Loss[] = ['mse', 'ce'];

/**
 * The activations whose mse Hessian is integral on an integer instance (then --exact applies):
 * linear, and relu (σ' ∈ {0, 1} and σ'' = 0 away from the kink; src/numeric/activationPattern.ts).
 */
export const exactActivations: readonly Activation[] = ['linear', 'relu'];

/** mse and an activation of exactActivations ⇒ the Hessian of an integer instance is integral (exact ranks over Z/PZ). */
export function isIntegral(net: { activation: Activation; loss: Loss }): boolean {
  return net.loss === 'mse' && exactActivations.includes(net.activation);
}

/** linear && mse: the Hessian has the block structure of the linear builders (src/numeric/linearNetworkHessian.ts). */
export function isLinearMse(net: { activation: Activation; loss: Loss }): boolean {
  return net.activation === 'linear' && net.loss === 'mse';
}
