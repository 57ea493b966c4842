/**
 * The diagonal blocks of H_O (and of H, since H_F's diagonal blocks vanish), layer by layer:
 *
 *   H_O[l, l] = (A_lᵀ A_l) ⊗ (B_l Σ_xx B_lᵀ),  A_l = W_{L:l+1},  B_l = W_{l−1:1},
 *   rank H_O[l, l] = rank(A_l) · rank(B_l X) = u_l · v_l,
 *
 * using rank(A ⊗ B) = rank A · rank B and rank(AᵀA) = rank A. With bias the input factor is the
 * Gram matrix of [Z_{l−1}; 1ᵀ] and v_l is the bias row dimension. MSE only: for cross-entropy a
 * block is a sum over samples of Kronecker products, not one.
 */
import { InputError } from '../errors.js';
import { product, toTex, toText } from './expression.js';
import type { Derivation, DerivationStep, DerivedRank } from './derivation.js';
import { chainDimensionsLatex, setupStep } from './outerProductDerivation.js';
import { columnDimension, rowDimension } from './subspaceChains.js';
import type { SymbolicNetwork } from './symbolicNetwork.js';

export function layerBlockRank(net: SymbolicNetwork, l: number): DerivedRank {
  const rank = product(columnDimension(net, l), rowDimension(net, l));
  return { quantity: 'HO_block', layer: l, kind: 'exact', structural: rank, closedForm: rank, definitions: [] };
}

export function deriveLayerBlocks(net: SymbolicNetwork): Derivation {
  if (net.loss !== 'mse') throw new InputError('the layer-block derivation is for MSE: with cross-entropy a diagonal block is a sum over samples of Kronecker products');
  const steps: DerivationStep[] = [setupStep(net)];
  steps.push({
    kind: 'theorem',
    title: 'each diagonal block is a Kronecker product',
    text: net.bias
      ? 'The block of H_O for layer l (weights and bias together) is (A_lᵀA_l) ⊗ (Z̃_{l−1} Z̃_{l−1}ᵀ), A_l = W_{L:l+1}, Z̃_{l−1} = [Z_{l−1}; 1ᵀ] the layer input over the data with a row of ones.'
      : 'The block of H_O for layer l is (A_lᵀA_l) ⊗ (B_l Σ_xx B_lᵀ) with A_l = W_{L:l+1}, B_l = W_{l−1:1} (the order of the factors depends on the vec convention).',
    latex: net.bias
      ? `H_O[l,l] = \\big(W_{L:l+1}^{\\top}W_{L:l+1}\\big) \\otimes \\big(\\tilde Z_{l-1}\\tilde Z_{l-1}^{\\top}\\big)`
      : `H_O[l,l] = \\big(W_{L:l+1}^{\\top}W_{L:l+1}\\big) \\otimes \\big(W_{l-1:1}\\,\\Sigma_{xx}\\,W_{l-1:1}^{\\top}\\big)`,
    cites: ['SBH21', 'WZWWG20'],
  });
  steps.push({
    kind: 'computation',
    title: 'ranks multiply',
    text: 'rank(A ⊗ B) = rank A · rank B, rank(AᵀA) = rank A and rank(B X Xᵀ Bᵀ) = rank(B X), so rank H_O[l,l] = dim U_l · dim V_l = u_l v_l (U_l, V_l the column and row spaces of the H_O derivation).',
    latex: `\\operatorname{rank} H_O[l,l] = \\operatorname{rank} W_{L:l+1}\\cdot\\operatorname{rank} ${net.bias ? '\\tilde Z_{l-1}' : 'W_{l-1:1}X'} = u_l\\,v_l`,
  });
  const dims = chainDimensionsLatex(net);
  steps.push({
    kind: net.bias ? 'computation' : 'theorem',
    title: 'generic dimensions',
    text: `As in the H_O derivation${net.bias ? ' (row dimensions with bias derived there)' : ''}: ${dims.text}`,
    latex: dims.latex,
    ...(net.bias ? {} : { cites: ['SBH21'] }),
  });
  const results: DerivedRank[] = [];
  for (let l = 1; l <= net.depth; l++) results.push(layerBlockRank(net, l));
  steps.push({
    kind: 'result',
    title: 'rank of each diagonal block',
    text: results.map((r) => `rank H_O[${r.layer},${r.layer}] = ${toText(r.structural)}`).join('; ') + '. H has the same diagonal blocks: those of H_F vanish.',
    latex: `\\begin{aligned} ${results.map((r) => `\\operatorname{rank} H_O[${r.layer},${r.layer}] &= ${toTex(r.structural)}`).join(' \\\\ ')} \\end{aligned}`,
  });
  return { network: net, quantity: 'HO_block', steps, results };
}
