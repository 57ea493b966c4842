/**
 * The symbols a rank expression may use, and their values for an architecture.
 *
 *   d  input dimension            K  outputs                 N  samples
 *   r  rank of the data, rank Σ_xx (min(N, d) for generic data)
 *   L  depth (number of weight matrices)
 *   p  number of parameters
 *   q  bottleneck min(r, M_1, …, M_{L-1}, K)                 s  min(r, K)
 *   M  vector of hidden widths [M_1, …, M_{L-1}] (mathjs: sum(M), min(M), M[1], 1-based)
 *   w  vector of all widths [d, M_1, …, M_{L-1}, K] (w[1] = d, w[L+1] = K)
 *   l  layer index, in formulas for layer blocks (1..L)
 */
import { depth, hiddenWidths, inputDimension, outputDimension, parameterCount, type FullyConnected } from '../architecture/fullyConnected.js';
import type { Scope } from './expression.js';

export const vocabulary: readonly string[] = ['d', 'K', 'N', 'r', 'L', 'p', 'q', 's', 'M', 'w', 'l'];

/** Generic data rank: min(N, d). */
export function genericDataRank(net: FullyConnected): number {
  return Math.min(net.samples, inputDimension(net));
}

export function architectureScope(net: FullyConnected, dataRank = genericDataRank(net)): Scope {
  const M = hiddenWidths(net);
  const K = outputDimension(net);
  const r = dataRank;
  return {
    d: inputDimension(net),
    K,
    N: net.samples,
    r,
    L: depth(net),
    p: parameterCount(net),
    q: Math.min(r, ...M, K),
    s: Math.min(r, K),
    M,
    w: [...net.widths],
  };
}
