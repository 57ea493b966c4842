/**
 * derive(network, quantity): the derivation of rank(H), rank(H_O), rank(H_F) or the ranks of the
 * diagonal blocks of H_O for a deep linear network of a given depth with symbolic widths.
 */
import { InputError } from '../errors.js';
import type { Derivation, Quantity } from './derivation.js';
import { deriveFunctional } from './functionalDerivation.js';
import { deriveLayerBlocks } from './layerBlockDerivation.js';
import { deriveLossHessian } from './lossHessianDerivation.js';
import { deriveOuterProduct } from './outerProductDerivation.js';
import type { SymbolicNetwork } from './symbolicNetwork.js';

export function derive(net: SymbolicNetwork, quantity: Quantity): Derivation {
  if (!Number.isInteger(net.depth) || net.depth < 1) throw new InputError(`the depth must be an integer ≥ 1, got ${net.depth}`);
  if (net.bias && (quantity === 'HF' || quantity === 'H') && net.depth > 1) {
    throw new InputError('with bias, the structural derivation covers H_O and its diagonal blocks (--quantity HO or HO_block); H_F and H with bias are catalog conjectures (docs/formulas.md#bias)');
  }
  switch (quantity) {
    case 'HO':
      return deriveOuterProduct(net);
    case 'HO_block':
      return deriveLayerBlocks(net);
    case 'HF':
      return deriveFunctional(net);
    case 'H':
      return deriveLossHessian(net);
  }
}
