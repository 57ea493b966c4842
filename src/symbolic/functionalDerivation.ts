/**
 * rank(H_F) of a deep linear network, as far as the structure carries:
 *
 *   H_F = ∇²_θ ⟨Ω, W_L ⋯ W_1⟩ with Ω = E Xᵀ fixed (E the residuals), rank Ω = s = min(r, K);
 *   diagonal blocks vanish; block (l, m), l < m, is Δ_l ↦ W_{L:m+1}ᵀ Ω W_{l−1:1}ᵀ Δ_lᵀ W_{m−1:l+1}ᵀ
 *   of rank min(s, M_1..M_{l−1}, M_m..M_{L−1}) · min(M_l..M_{m−1})  ("Z-like" blocks);
 *   block row l lies in P_l = R^{M_l} ⊗ R_l + C_l ⊗ R^{M_{l−1}}, so rank H_F ≤ Σ_l dim P_l;
 *   L = 2: H_F = [[0, B], [Bᵀ, 0]], rank 2 rank B = 2 s M_1 (exact);
 *   L ≥ 3: [SBH21] rank H_F = 2q Σ_i M_i + 2qs − Lq², which the structural bound attains when
 *   no hidden layer is narrower than s (proven; not always otherwise), and which splits per layer as
 *   Σ_l q(M'_l + M'_{l−1} − q), M'_0 = M'_L = s (block-row ranks; measured, not proven).
 * For cross-entropy K is replaced by K − 1 (the residuals π − y sum to zero).
 */
import {
  constant,
  difference,
  minimum,
  power,
  product,
  substitute,
  sum,
  symbol,
  toTex,
  toText,
  compare,
  type Expr,
} from './expression.js';
import { explicitClosedForm, proveForNetwork, type Derivation, type DerivationStep, type DerivedRank } from './derivation.js';
import { setupStep } from './outerProductDerivation.js';
import { proofSummary } from './proofText.js';
import { bottleneck, dataOutputRank, hiddenWidths, type SymbolicNetwork } from './symbolicNetwork.js';

const s = symbol('s');
const q = symbol('q');

/** block (l, m) of H_F, l < m: rank min(s, M_1..M_{l−1}, M_m..M_{L−1}) · min(M_l..M_{m−1}) */
export function functionalBlockRank(net: SymbolicNetwork, l: number, m: number): Expr {
  const M = hiddenWidths(net.depth).map(symbol);
  const outer = minimum([s, ...M.slice(0, l - 1), ...M.slice(m - 1)]);
  const inner = minimum(M.slice(l - 1, m - 1));
  return product(outer, inner);
}

/** Σ_l dim P_l, the structural upper bound on rank H_F (in terms of s). */
export function functionalStructuralBound(net: SymbolicNetwork): Expr {
  const L = net.depth;
  const M = hiddenWidths(L).map(symbol);
  const terms: Expr[] = [];
  for (let l = 1; l <= L; l++) {
    if (l === 1) terms.push(product(M[0]!, s));
    else if (l === L) terms.push(product(s, M[L - 2]!));
    else {
      const rho = minimum([s, ...M.slice(0, l - 1)]);
      const gamma = minimum([s, ...M.slice(l - 1)]);
      terms.push(difference(sum(product(M[l - 1]!, rho), product(gamma, M[l - 2]!)), product(gamma, rho)));
    }
  }
  return sum(...terms);
}

/** Σ_l q (M'_l + M'_{l−1} − q) with M'_0 = M'_L = s: the per-layer reading of [SBH21]'s count. */
export function functionalPerLayer(net: SymbolicNetwork): Expr {
  const widths = [s, ...hiddenWidths(net.depth).map(symbol), s];
  const terms: Expr[] = [];
  for (let l = 1; l <= net.depth; l++) terms.push(product(q, difference(sum(widths[l]!, widths[l - 1]!), q)));
  return sum(...terms);
}

const definitionsOf = (net: SymbolicNetwork): [string, Expr][] => [
  ['q', bottleneck(net)],
  ['s', dataOutputRank(net)],
];

export function functionalRank(net: SymbolicNetwork): DerivedRank {
  if (net.depth === 1) return { quantity: 'HF', kind: 'exact', structural: constant(0), closedForm: constant(0), definitions: [] };
  const M = hiddenWidths(net.depth).map(symbol);
  const closedForm = difference(sum(product(constant(2), q, sum(...M)), product(constant(2), q, s)), product(constant(net.depth), power(q, 2)));
  const definitions = definitionsOf(net);
  const structural = net.depth === 2 ? substitute(product(constant(2), s, M[0]!), { s: dataOutputRank(net) }) : explicitClosedForm({ closedForm, definitions });
  return { quantity: 'HF', kind: 'exact', structural, closedForm, definitions };
}

export function deriveFunctional(net: SymbolicNetwork): Derivation {
  const steps: DerivationStep[] = [setupStep(net)];
  const result = functionalRank(net);
  const K = net.loss === 'ce' ? 'K − 1' : 'K';
  const Ktex = net.loss === 'ce' ? 'K-1' : 'K';
  if (net.depth === 1) {
    steps.push({
      kind: 'computation',
      title: 'no hidden layer',
      text: 'With L = 1, f(x) = W_1 x is linear in θ, so every ∇²_θ f_k vanishes and H_F = 0.',
      latex: `\\nabla^2_\\theta f_k = 0 \\;\\Rightarrow\\; H_F = 0,\\quad \\operatorname{rank} H_F = 0`,
    });
    return { network: net, quantity: 'HF', steps, results: [result] };
  }
  steps.push({
    kind: 'computation',
    title: 'H_F is the Hessian of a multilinear function',
    text:
      'H_F = Σ_i Σ_k (∂ℓ/∂f_k) ∇²_θ f_k(x_i) and ∂ℓ/∂f(x_i) is the residual e_i, so H_F = ∇²_θ ⟨Ω, W_L ⋯ W_1⟩ with Ω = E Xᵀ held fixed ' +
      `(E = [e_1 … e_N]). Generic targets make rank Ω = s = min(r, ${K})${net.loss === 'ce' ? ' (the residuals π_i − y_i sum to zero, so col E ⊆ 1^⊥)' : ''}.`,
    latex: `H_F = \\nabla^2_\\theta\\,\\langle \\Omega,\\, W_{L}\\cdots W_{1}\\rangle\\big|_{\\Omega = EX^{\\top}},\\quad \\operatorname{rank}\\Omega = s = \\min(r, ${Ktex})`,
  });
  const pairs: [number, number][] = [];
  for (let l = 1; l <= net.depth; l++) for (let m = l + 1; m <= net.depth; m++) pairs.push([l, m]);
  steps.push({
    kind: 'computation',
    title: 'Z-like blocks',
    text:
      'f is linear in each W_l, so the diagonal blocks of H_F vanish. Block (l, m), l < m, is the bilinear form (Δ_l, Δ_m) ↦ ⟨Ω, W_{L:m+1} Δ_m W_{m−1:l+1} Δ_l W_{l−1:1}⟩; ' +
      'as the map Δ_l ↦ A Δ_lᵀ C with A = W_{L:m+1}ᵀ Ω W_{l−1:1}ᵀ, C = W_{m−1:l+1}ᵀ it has rank rank A · rank C. Generically: ' +
      pairs.map(([l, m]) => `rank H_F[${l},${m}] = ${toText(functionalBlockRank(net, l, m))}`).join('; '),
    latex: `H_F[l,l] = 0,\\quad \\begin{aligned} ${pairs.map(([l, m]) => `\\operatorname{rank} H_F[${l},${m}] &= ${toTex(functionalBlockRank(net, l, m))}`).join(' \\\\ ')} \\end{aligned}`,
    cites: ['SBH21'],
  });
  const bound = functionalStructuralBound(net);
  steps.push({
    kind: 'computation',
    title: 'a structural upper bound',
    text:
      'Block row l of H_F Δ is Σ_{m>l} W_{m−1:l+1}ᵀ Δ_mᵀ W_{L:m+1}ᵀ (Ω W_{l−1:1}ᵀ) + Σ_{m<l} (W_{L:l+1}ᵀ Ω) W_{m−1:1}ᵀ Δ_mᵀ W_{l−1:m+1}ᵀ: it lies in ' +
      'P_l = R^{M_l} ⊗ R_l + C_l ⊗ R^{M_{l−1}}, R_l = row(Ω W_{l−1:1}ᵀ) of dimension ρ_l = min(s, M_1, …, M_{l−1}), C_l = col(W_{L:l+1}ᵀ Ω) of dimension γ_l = min(s, M_l, …, M_{L−1}) ' +
      `(only the first term for l = 1, only the second for l = L). So rank H_F ≤ Σ_l dim P_l = ${toText(bound)}`,
    latex: `\\operatorname{rank} H_F \\le \\sum_{l=1}^{L} \\dim P_l = ${toTex(bound)}`,
  });
  const explicitBound = substitute(bound, { s: dataOutputRank(net) });
  if (net.depth === 2) {
    steps.push({
      kind: 'computation',
      title: 'two layers: the bound is attained',
      text: `For L = 2, H_F = [[0, B], [Bᵀ, 0]] with B: Δ_1 ↦ Ω Δ_1ᵀ, so rank H_F = 2 rank B = 2 s M_1, which is the bound.`,
      latex: `H_F = \\begin{bmatrix} 0 & B \\\\ B^{\\top} & 0 \\end{bmatrix},\\quad \\operatorname{rank} H_F = 2\\operatorname{rank} B = 2\\,s\\,M_{1}`,
    });
    const proof = proveForNetwork(net, result.structural, explicitClosedForm(result));
    steps.push({
      kind: 'proof',
      title: 'in the catalog form',
      text: `${proofSummary(proof)}: 2 s M1 = 2q M1 + 2qs − 2q² with q = ${toText(bottleneck(net))}, s = ${toText(dataOutputRank(net))}.`,
      latex: `2\\,s\\,M_{1} = 2q\\,M_{1} + 2qs - 2q^{2}`,
      proof,
    });
  } else {
    steps.push({
      kind: 'theorem',
      title: 'the exact count',
      text: `[SBH21]: rank H_F = 2q Σ_i M_i + 2qs − Lq² with q = ${toText(bottleneck(net))}, s = ${toText(dataOutputRank(net))}.`,
      latex: `\\operatorname{rank} H_F = ${toTex(result.closedForm)}`,
      cites: ['SBH21'],
    });
    const wide = hiddenWidths(net.depth).map((m) => compare('>=', symbol(m), dataOutputRank(net)));
    const attained = proveForNetwork(net, explicitBound, result.structural, wide);
    steps.push({
      kind: 'proof',
      title: 'the structural bound is attained without a narrow layer',
      text: `Assuming every hidden width ≥ s: ${proofSummary(attained)}: Σ_l dim P_l = 2qΣM + 2qs − Lq².`,
      latex: `M_i \\ge s\\ \\forall i \\;\\Rightarrow\\; \\sum_{l} \\dim P_l = ${toTex(result.closedForm)}`,
      proof: attained,
    });
    const loose = proveForNetwork(net, explicitBound, result.structural);
    steps.push({
      kind: 'proof',
      title: 'but not in general',
      text: `Without that assumption: ${proofSummary(loose)}${loose.verdict === 'refuted' ? ' (with a hidden layer narrower than s the bound can count too much)' : ''}.`,
      latex: loose.verdict === 'refuted' ? `\\text{counterexample: } ${Object.entries(loose.point).map(([k, v]) => `${toTex(symbol(k))} = ${v}`).join(',\\ ')}` : `\\sum_{l} \\dim P_l = ${toTex(result.closedForm)}`,
      proof: loose,
    });
  }
  const perLayer = functionalPerLayer(net);
  const split = proveForNetwork(net, perLayer, result.closedForm);
  steps.push({
    kind: 'measured',
    title: 'per-layer reading',
    text:
      `The count splits over the block rows as Σ_l q(M'_l + M'_{l−1} − q) with M'_0 = M'_L = s (${proofSummary(split)}): each term is the dimension of the tangent space of ` +
      'rank-q matrices of size M\'_l × M\'_{l−1}. Exact measurements find block row l of H_F at exactly that rank and rank H_F equal to their sum (proofs-tests/symbolic/structureMeasured.test.ts); not proven here.',
    latex: `\\operatorname{rank} H_F = \\sum_{l=1}^{L} q\\,(M'_l + M'_{l-1} - q),\\quad M'_0 = M'_L = s`,
    proof: split,
  });
  steps.push({
    kind: 'result',
    title: 'rank of the functional Hessian',
    text: `rank H_F = ${toText(result.closedForm)}, q = ${toText(bottleneck(net))}, s = ${toText(dataOutputRank(net))}`,
    latex: `\\operatorname{rank} H_F = ${toTex(result.closedForm)},\\quad q = ${toTex(bottleneck(net))},\\ s = ${toTex(dataOutputRank(net))}`,
  });
  return { network: net, quantity: 'HF', steps, results: [result] };
}
