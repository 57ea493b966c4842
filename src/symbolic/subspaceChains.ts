/**
 * The two chains of subspaces behind the outer-product Hessian of a deep linear network:
 *
 *   U_l = col(W_{L:l+1}) ⊆ R^K      (column spaces grow: U_1 ⊆ U_2 ⊆ … ⊆ U_L = R^K)
 *   V_l = row(W_{l−1:1} X) ⊆ R^N     (row spaces shrink: row X = V_1 ⊇ V_2 ⊇ … ⊇ V_L)
 *
 * with generic dimensions, mins of width suffixes and prefixes:
 *
 *   u_l = min(M_l, …, M_{L−1}, K)     v_l = min(r, M_1, …, M_{l−1})
 *
 * For cross-entropy K is replaced by K − 1. With bias, V_l = row[Z_{l−1}; 1ᵀ] (Z the hidden
 * representation), v_1 = r + [N > d] (the ones vector lies in row X iff N ≤ d for generic data)
 * and v_{l+1} = min(v_l, M_l + 1).
 */
import { constant, compare, difference, minimum, product, sum, symbol, type Expr } from './expression.js';
import { hiddenWidths, outputRank, type SymbolicNetwork } from './symbolicNetwork.js';

/** u_l = dim U_l (u_0 = 0). */
export function columnDimension(net: SymbolicNetwork, l: number): Expr {
  if (l === 0) return constant(0);
  const M = hiddenWidths(net.depth).map(symbol);
  return minimum([...M.slice(l - 1), outputRank(net)]);
}

/** v_l = dim V_l. */
export function rowDimension(net: SymbolicNetwork, l: number): Expr {
  const M = hiddenWidths(net.depth).map(symbol).slice(0, l - 1);
  if (!net.bias) return minimum([symbol('r'), ...M]);
  const first = sum(symbol('r'), compare('>', symbol('N'), symbol('d')));
  return minimum([first, ...M.map((m) => sum(m, constant(1)))]);
}

/** The staircase area Σ_l (u_l − u_{l−1}) v_l = dim Σ_l U_l ⊗ V_l. */
export function staircaseArea(net: SymbolicNetwork): Expr {
  const terms: Expr[] = [];
  for (let l = 1; l <= net.depth; l++) {
    terms.push(product(difference(columnDimension(net, l), columnDimension(net, l - 1)), rowDimension(net, l)));
  }
  return sum(...terms);
}
