/**
 * Exact Kronecker structure of the outer-product Hessian's layer blocks for linear networks with MSE
 * loss ([SBH21]): with A_l = W̃_{L:l+1} (K × M_l, free rows) and Z_{l-1} = W̃_{l-1:1} X̃,
 *   (H_O)_l = (A_lᵀ A_l) ⊗ (Z_{l-1} Z_{l-1}ᵀ),     rank (H_O)_l = rank(A_lᵀA_l) · rank(Z_{l-1}Z_{l-1}ᵀ).
 * Checked exactly on an integer instance in Z/PZ: the block is formed from the Jacobian as F_lᵀ F_l
 * (no Kronecker structure assumed), compared entry by entry with the Kronecker product of the two
 * factors, and all three ranks are found by elimination, through exactRanks (src/linalg/exactRank.ts):
 * primes drawn from the stream of primeSeed(seed), as many as P(rank understated) ≤ 1e-9 needs.
 *
 * What the primes rest on (docs/theory.md#exact-rank-over-zpz). log₂H: the factors and F of the
 * absolute instance (hadamardBound.ts) bound |A_lᵀA_l| ≤ A⁺ᵀA⁺, |ZZᵀ| ≤ Z⁺Z⁺ᵀ and |F_lᵀF_l| ≤ F⁺_lᵀF⁺_l
 * entry by entry, so their rows bound the rows' norms. u, proven without the Kronecker structure
 * (rank of a product ≤ the rank of each factor; a row of ones adds at most 1):
 *   rank A_lᵀA_l ≤ min(M_l, …, M_L),
 *   rank Z̃_{l-1}Z̃_{l-1}ᵀ ≤ v_{l-1},  v_0 = min(N, d + b),  v_j = min(N, min(M_j, v_{j-1}) + b)  (b = 1 with bias),
 *   rank F_lᵀF_l ≤ min(NK, p_l).
 * The entry-by-entry comparison is a rank too: D = block − A⊗B is zero iff the row vec(D) has rank 0
 * (u = 1, a single row; its 1 × 1 minors are entries, |δ| ≤ 2B with B the largest entry bound), so it
 * goes through exactRanks the same way: a difference is missed only if every drawn prime divides a
 * nonzero entry, with probability ≤ (log₂(2B) / (22 · 268,216))^k ≤ 1e-9; a difference seen modulo
 * one prime is certain (rank 1 = u).
 */
import { InputError } from '../errors.js';
import { exactRanks, log2MatrixMinorBound, primeSeed, rankModPrime, type ExactRank, type ExactRankTarget } from '../linalg/index.js';
import { absoluteHessian } from '../numeric/hadamardBound.js';
import { LinearNetworkHessian } from '../numeric/linearNetworkHessian.js';
import type { Matrix } from '../numeric/matrix.js';
import type { NetworkInstance } from '../numeric/networkInstance.js';
import type { PrimeField } from '../numeric/ring.js';
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
  /** (H_O)_l = (A_lᵀA_l) ⊗ (Z_{l-1}Z_{l-1}ᵀ) entry by entry, modulo every prime drawn */
  blockIsKronecker: boolean;
  /** the primes the entry-by-entry comparison ran on */
  comparedPrimes: number[];
  /** P(the comparison says equal while block ≠ A⊗B over Z) ≤ this; 0 when a difference was seen (certain) */
  comparisonWrongAtMost: number;
  /** every prime drawn for the instance (each matrix used a prefix of them) */
  primes: number[];
}

type Matrices = 'output' | 'input' | 'block';
type Key = `${Matrices | 'difference'}:${number}`;

/** Proven upper bounds of the three ranks of layer l (see the top). */
function rankBounds(instance: NetworkInstance, shape: LayerShape): Record<Matrices, number> {
  const { widths, bias } = instance.net;
  const N = instance.inputs.cols;
  const K = instance.targets.rows;
  const b = bias ? 1 : 0;
  const l = shape.layer;
  let v = Math.min(N, instance.inputs.rows + b);
  for (let j = 1; j < l; j++) v = Math.min(N, Math.min(widths[j]!, v) + b);
  return { output: Math.min(...widths.slice(l)), input: v, block: Math.min(N * K, shape.size) };
}

const largest = (m: Matrix): number => m.data.reduce((a, v) => Math.max(a, v), 0);

export function exactKroneckerStructure(instance: NetworkInstance): ExactLayerKronecker[] {
  const net = instance.net;
  if (net.activation !== 'linear' || net.loss !== 'mse' || !instance.integer) {
    throw new InputError('the exact Kronecker structure needs an integer instance of a linear network with mse loss');
  }
  const shapes = layerShapes(net);
  // entrywise bounds of the three matrices of every layer, from the absolute instance (float64, widened by 1e-6)
  const absolute = absoluteHessian(instance);
  const absoluteJacobian = absolute.jacobian();
  const targets = {} as Record<Key, ExactRankTarget>;
  for (const shape of shapes) {
    const l = shape.layer;
    const u = rankBounds(instance, shape);
    const bounds: Record<Matrices, Matrix> = {
      output: absolute.outputFactor(l, l),
      input: absolute.inputFactor(l, l),
      block: outerProductBlock(absoluteJacobian, shape),
    };
    for (const m of ['output', 'input', 'block'] as const) targets[`${m}:${l}`] = { log2H: log2MatrixMinorBound(bounds[m], u[m]), upperBound: u[m] };
    const entryBound = (1 + 1e-6) * Math.max(largest(bounds.block), largest(bounds.output) * largest(bounds.input));
    targets[`difference:${l}`] = { log2H: Math.log2(2 * Math.max(1, entryBound)), upperBound: 1 };
  }
  const primes: number[] = [];
  const ranks = exactRanks<Key>(targets, primeSeed(instance.seed), (field: PrimeField, todo) => {
    primes.push(field.prime);
    const builder = new LinearNetworkHessian(instance, field);
    const F = builder.jacobian();
    const got: Partial<Record<Key, number>> = {};
    for (const shape of shapes) {
      const l = shape.layer;
      const outputFactor = builder.outputFactor(l, l);
      const inputFactor = builder.inputFactor(l, l);
      const block = outerProductBlock(F, shape, field);
      const product = kroneckerProduct(outputFactor, inputFactor, field);
      if (todo.includes(`difference:${l}`)) got[`difference:${l}`] = block.data.every((v, i) => v === product.data[i]) ? 0 : 1;
      const matrices: Record<Matrices, Matrix> = { output: outputFactor, input: inputFactor, block };
      for (const m of ['output', 'input', 'block'] as const) if (todo.includes(`${m}:${l}`)) got[`${m}:${l}`] = rankModPrime(matrices[m], field);
    }
    return got;
  });
  return shapes.map((shape) => {
    const l = shape.layer;
    const difference = ranks[`difference:${l}`]!;
    return {
      shape,
      outputFactorRank: ranks[`output:${l}`]!,
      inputFactorRank: ranks[`input:${l}`]!,
      blockRank: ranks[`block:${l}`]!,
      blockIsKronecker: difference.rank === 0,
      comparedPrimes: difference.primes,
      comparisonWrongAtMost: difference.wrongAtMost!,
      primes: [...primes],
    };
  });
}
