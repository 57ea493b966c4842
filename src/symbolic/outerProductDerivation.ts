/**
 * rank(H_O) of a deep linear network, derived from structure:
 *
 *   rank H_O = dim Σ_{l=1}^{L} U_l ⊗ V_l = Σ_{l=1}^{L} (u_l − u_{l−1}) v_l = q (r + K − q),
 *
 * the image of the Jacobian is a sum of one Kronecker-structured subspace per layer; the column
 * spaces U_l grow and the row spaces V_l shrink, so in adapted bases the sum is a staircase of
 * rectangles u_l × v_l whose area the decision procedure proves equal to q(r + K − q).
 */
import { difference, product, sum, symbol, toTex, toText } from './expression.js';
import { explicitClosedForm, proveForNetwork, type Derivation, type DerivationStep, type DerivedRank } from './derivation.js';
import { columnDimension, rowDimension, staircaseArea } from './subspaceChains.js';
import { allWidths, bottleneck, outputRank, type SymbolicNetwork } from './symbolicNetwork.js';
import { proofSummary } from './proofText.js';

export function setupStep(net: SymbolicNetwork): DerivationStep {
  const widths = allWidths(net.depth);
  const affine = net.bias ? ' + b_l' : '';
  return {
    kind: 'setup',
    title: 'the network',
    text:
      `f(x) = W_L ⋯ W_1 x${net.bias ? ' with biases (each layer x ↦ W_l x + b_l)' : ''}, depth L = ${net.depth}, ` +
      `W_l ∈ R^{M_l × M_{l−1}} with (M_0, …, M_L) = (${widths.join(', ')}); data X ∈ R^{d×N} of rank r; ` +
      `${net.loss === 'mse' ? 'MSE loss' : 'softmax cross-entropy loss'}; W_{a:b} = W_a ⋯ W_b (W_{a:a+1} = I).`,
    latex:
      `f(x) = ${net.bias ? `W_{L}(\\cdots(W_{1}x + b_{1})\\cdots)${affine}` : 'W_{L}\\cdots W_{1}\\,x'},\\quad ` +
      `(M_0, \\dots, M_L) = (${widths.map((w) => toTex(symbol(w))).join(', ')}),\\quad \\operatorname{rank} X = r`,
  };
}

export function chainDimensionsLatex(net: SymbolicNetwork): { text: string; latex: string } {
  const ls = Array.from({ length: net.depth }, (_, i) => i + 1);
  return {
    text: `${ls.map((l) => `u_${l} = ${toText(columnDimension(net, l))}`).join(', ')}; ${ls.map((l) => `v_${l} = ${toText(rowDimension(net, l))}`).join(', ')}`,
    latex: `\\begin{aligned} ${ls.map((l) => `u_{${l}} &= ${toTex(columnDimension(net, l))}`).join(',&\\ ')} \\\\ ${ls
      .map((l) => `v_{${l}} &= ${toTex(rowDimension(net, l))}`)
      .join(',&\\ ')} \\end{aligned}`,
  };
}

export function outerProductRank(net: SymbolicNetwork): DerivedRank {
  const q = bottleneck(net);
  const K = outputRank(net);
  const closed = product(symbol('q'), difference(sum(symbol('r'), K), symbol('q')));
  return {
    quantity: 'HO',
    kind: 'exact',
    structural: staircaseArea(net),
    closedForm: net.bias ? staircaseArea(net) : closed,
    definitions: net.bias ? [] : [['q', q]],
  };
}

export function deriveOuterProduct(net: SymbolicNetwork): Derivation {
  const K = net.loss === 'ce' ? 'K − 1' : 'K';
  const Ktex = net.loss === 'ce' ? 'K-1' : 'K';
  const steps: DerivationStep[] = [setupStep(net)];
  if (net.loss === 'mse') {
    steps.push({
      kind: 'computation',
      title: 'H_O is a Gram matrix',
      text: 'For MSE ∇²ℓ = I, so H_O = Σ_i J_iᵀ J_i = JᵀJ and rank H_O = rank J: the dimension of the image of the Jacobian map δθ ↦ δf(X).',
      latex: `\\operatorname{rank} H_O = \\operatorname{rank} J = \\dim\\Big\\{\\sum_{l=1}^{L} W_{L:l+1}\\,\\Delta_l\\,${net.bias ? 'Z_{l-1}' : 'W_{l-1:1}X'}${net.bias ? ' + W_{L:l+1}\\,\\delta_l\\,\\mathbf{1}^{\\top}' : ''}\\Big\\}`,
    });
  } else {
    steps.push({
      kind: 'theorem',
      title: 'cross-entropy: K becomes K − 1',
      text:
        'H_O = Σ_i J_iᵀ (diag π_i − π_i π_iᵀ) J_i; the softmax Hessian annihilates the ones vector and has rank K − 1, ' +
        'so the output space is effectively the (K − 1)-dimensional complement of 1: the MSE derivation holds with K replaced by K − 1.',
      latex: `\\nabla^2\\ell = \\operatorname{diag}\\pi - \\pi\\pi^{\\top},\\quad (\\nabla^2\\ell)\\,\\mathbf{1} = 0,\\quad \\operatorname{rank}\\nabla^2\\ell = K-1`,
      cites: ['SBH21'],
    });
  }
  steps.push({
    kind: 'computation',
    title: 'one Kronecker-structured subspace per layer',
    text: net.bias
      ? 'Layer l contributes W_{L:l+1}(Δ_l Z_{l−1} + δ_l 1ᵀ), Z_{l−1} the input of layer l over the data: the matrices with columns in U_l = col(W_{L:l+1}) and rows in V_l = row[Z_{l−1}; 1ᵀ], i.e. U_l ⊗ V_l. The image is their sum.'
      : 'Layer l contributes {A Δ B : Δ} with A = W_{L:l+1}, B = W_{l−1:1}X: the K × N matrices with columns in U_l = col(A) and rows in V_l = row(B), i.e. the subspace U_l ⊗ V_l. The image is their sum.',
    latex: `\\operatorname{rank} H_O = \\dim \\sum_{l=1}^{L} U_l \\otimes V_l,\\quad U_l = \\operatorname{col} W_{L:l+1},\\ V_l = ${net.bias ? '\\operatorname{row}\\begin{bmatrix} Z_{l-1} \\\\ \\mathbf{1}^{\\top}\\end{bmatrix}' : '\\operatorname{row} W_{l-1:1}X'}`,
  });
  steps.push({
    kind: 'computation',
    title: 'column spaces grow, row spaces shrink',
    text: net.bias
      ? 'W_{L:l+1} = W_{L:l+2} W_{l+1} gives U_l ⊆ U_{l+1}; Z_l = W_l Z_{l−1} + b_l 1ᵀ gives row Z_l ⊆ V_l, so V_{l+1} ⊆ V_l.'
      : 'W_{L:l+1} = W_{L:l+2} W_{l+1} gives U_l ⊆ U_{l+1}; W_{l:1}X = W_l (W_{l−1:1}X) gives V_{l+1} ⊆ V_l.',
    latex: `U_1 \\subseteq U_2 \\subseteq \\cdots \\subseteq U_L = \\mathbb{R}^{K},\\qquad V_1 \\supseteq V_2 \\supseteq \\cdots \\supseteq V_L`,
  });
  const dims = chainDimensionsLatex(net);
  if (net.bias) {
    steps.push({
      kind: 'theorem',
      title: 'generic column dimensions',
      text: `For generic weights a product has the rank of its narrowest factor: u_l = min(M_l, …, M_{L−1}, ${K}).`,
      latex: `u_l = \\dim U_l = \\min(M_l, \\dots, M_{L-1}, ${Ktex})`,
      cites: ['SBH21'],
    });
    steps.push({
      kind: 'computation',
      title: 'generic row dimensions with bias (derived here)',
      text:
        'For generic data row X is an r-dimensional subspace of R^N (r = min(N, d)): all of R^N when N ≤ d, and otherwise one that misses 1, so v_1 = r + [N > d]; ' +
        'row Z_l is spanned by M_l generic combinations of the rows of [Z_{l−1}; 1ᵀ], a generic min(M_l, v_l)-dimensional subspace of V_l, which contains 1 only if it is all of V_l, so v_{l+1} = min(v_l, M_l + 1). ' +
        `(Exact ranks agree: proofs-tests/symbolic/structureMeasured.test.ts.) ${dims.text}`,
      latex: dims.latex,
    });
  } else {
    steps.push({
      kind: 'theorem',
      title: 'generic dimensions',
      text: `For generic weights a product has the rank of its narrowest factor, and rank(W X) = min(rank W, r): u_l = min(M_l, …, M_{L−1}, ${K}), v_l = min(r, M_1, …, M_{l−1}). ${dims.text}`,
      latex: dims.latex,
      cites: ['SBH21'],
    });
  }
  const area = staircaseArea(net);
  steps.push({
    kind: 'computation',
    title: 'the sum is a staircase',
    text:
      'In a basis of R^K adapted to U_1 ⊆ … ⊆ U_L and a basis of R^N adapted to V_L ⊆ … ⊆ V_1, U_l ⊗ V_l is spanned by the basis tensors e_a ⊗ f_b with a ≤ u_l, b ≤ v_l; ' +
      `the sum is the union of these rectangles, a staircase of area Σ_l (u_l − u_{l−1}) v_l (u_0 = 0): rank H_O = ${toText(area)}`,
    latex: `\\operatorname{rank} H_O = \\sum_{l=1}^{L} (u_l - u_{l-1})\\,v_l = ${toTex(area)}`,
  });
  const result = outerProductRank(net);
  if (!net.bias) {
    const explicit = explicitClosedForm(result);
    const proof = proveForNetwork(net, area, explicit);
    steps.push({
      kind: 'proof',
      title: 'the staircase area in closed form',
      text: `${proofSummary(proof)}: ${toText(area)} = q (r + ${K} − q) with q = ${toText(bottleneck(net))}.`,
      latex: `${toTex(area)} = q\\,(r + ${Ktex} - q),\\quad q = ${toTex(bottleneck(net))}`,
      proof,
    });
    steps.push({
      kind: 'result',
      title: 'rank of the outer-product Hessian',
      text: `rank H_O = q (r + ${K} − q), q = ${toText(bottleneck(net))}`,
      latex: `\\operatorname{rank} H_O = q\\,(r + ${Ktex} - q),\\quad q = ${toTex(bottleneck(net))}`,
    });
  } else {
    steps.push({
      kind: 'result',
      title: 'rank of the outer-product Hessian (with bias)',
      text: `rank H_O = ${toText(area)}, with r = min(N, d) for generic data`,
      latex: `\\operatorname{rank} H_O = ${toTex(area)},\\quad r = \\min(N, d)`,
    });
  }
  return { network: net, quantity: 'HO', steps, results: [result] };
}
