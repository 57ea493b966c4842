/**
 * The pieces of the loss Hessian H = ∇²_θ ℒ that the oracle measures.
 *
 *   H_O = Σ_i J_iᵀ (∇²ℓ) J_i            outer-product (Gauss–Newton) part
 *   H_F = Σ_i Σ_k (∂ℓ/∂f_k) ∇²_θ f_k(x_i)   functional part, built as its own sum
 *   H   = H_O + H_F
 *
 * `jacobian` is the stacked factor F with rows Λ_iᵀ J_i, where Λ_i Λ_iᵀ = ∇²ℓ at sample i
 * (Λ = I for mse), so H_O = Fᵀ F and rank(H_O) = rank(F): the NK × p factor is far smaller than H_O.
 */
import type { Matrix } from './matrix.js';
import { addGramOfColumnsInto } from '../linalg/gemm.js';
import type { PrimeField, Ring } from './ring.js';

export interface HessianParts {
  /** p */
  readonly parameters: number;
  readonly ring: Ring;
  /** F, NK × p, with H_O = Fᵀ F. */
  readonly jacobian: Matrix;
  /** H_F, p × p. */
  readonly functional: Matrix;
  /** H = H_O + H_F, p × p. */
  readonly hessian: Matrix;
  /** a symmetric matrix smaller than J's Gram with the nonzero eigenvalues of H_O (linear mse: compressedLinearHessian.ts outerGram) */
  readonly outerGram?: () => Matrix;
}

/** Fᵀ F over a ring (float64 or Z/PZ), added into `out` (p × p): the GEMM of src/linalg. */
export function addGramInto(out: Matrix, factor: Matrix, ring: Ring): void {
  addGramOfColumnsInto(out, factor, ring.name === 'float64' ? undefined : (ring as PrimeField).prime);
}
