/**
 * Exact Kronecker structure of the outer-product Hessian's layer blocks for linear networks with MSE
 * loss ([SBH21]): with A_l = W̃_{L:l+1} (K × M_l, free rows) and Z_{l-1} = W̃_{l-1:1} X̃,
 *   (H_O)_l = (A_lᵀ A_l) ⊗ (Z_{l-1} Z_{l-1}ᵀ),     rank (H_O)_l = rank(A_lᵀA_l) · rank(Z_{l-1}Z_{l-1}ᵀ).
 * Checked exactly on an integer instance in Z/PZ for the primes of src/linalg/exactRank.ts: the block is formed
 * from the Jacobian as F_lᵀ F_l (no Kronecker structure assumed), compared entry by entry with the
 * Kronecker product of the two factors, and all three ranks are found by elimination.
 */
import { InputError } from '../errors.js';
import { combineExactRanks, exactFields, rankModPrime, type ExactRank } from '../linalg/index.js';
import { LinearNetworkHessian } from '../numeric/linearNetworkHessian.js';
import type { NetworkInstance } from '../numeric/networkInstance.js';
import { kroneckerProduct } from './kroneckerProduct.js';
import { layerShapes, outerProductBlock, type LayerShape } from './layerBlock.js';

export interface ExactLayerKronecker {
  shape: LayerShape;
  /** rank of A_lᵀ A_l */
  outputFactorRank: ExactRank;
  /** rank of Z_{l-1} Z_{l-1}ᵀ */
  inputFactorRank: ExactRank;
  /** rank of (H_O)_l */
  blockRank: ExactRank;
  /** (H_O)_l = (A_lᵀA_l) ⊗ (Z_{l-1}Z_{l-1}ᵀ) entry by entry, modulo every prime */
  blockIsKronecker: boolean;
}

export function exactKroneckerStructure(instance: NetworkInstance): ExactLayerKronecker[] {
  const net = instance.net;
  if (net.activation !== 'linear' || net.loss !== 'mse' || !instance.integer) {
    throw new InputError('the exact Kronecker structure needs an integer instance of a linear network with mse loss');
  }
  const shapes = layerShapes(net);
  const per = shapes.map(() => ({ output: [] as number[], input: [] as number[], block: [] as number[], equal: true }));
  for (const field of exactFields) {
    const builder = new LinearNetworkHessian(instance, field);
    const F = builder.jacobian();
    shapes.forEach((shape, index) => {
      const l = shape.layer;
      const outputFactor = builder.outputFactor(l, l);
      const inputFactor = builder.inputFactor(l, l);
      const block = outerProductBlock(F, shape, field);
      const product = kroneckerProduct(outputFactor, inputFactor, field);
      const entry = per[index]!;
      entry.equal &&= block.data.every((v, i) => v === product.data[i]);
      entry.output.push(rankModPrime(outputFactor, field));
      entry.input.push(rankModPrime(inputFactor, field));
      entry.block.push(rankModPrime(block, field));
    });
  }
  const primes = exactFields.map((f) => f.prime);
  return shapes.map((shape, index) => {
    const entry = per[index]!;
    return {
      shape,
      outputFactorRank: combineExactRanks(primes, entry.output),
      inputFactorRank: combineExactRanks(primes, entry.input),
      blockRank: combineExactRanks(primes, entry.block),
      blockIsKronecker: entry.equal,
    };
  });
}
