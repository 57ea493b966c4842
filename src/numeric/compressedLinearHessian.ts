/**
 * Qᵀ H Q, Qᵀ H_F Q and the Gram matrix of H_O's factor for a linear network, built from the block
 * formulas of its Hessian (linearNetworkHessian.ts) without any p × p matrix.
 *
 * Coordinates of S (rangeCompression.ts): layer m's parameter block Θ_m (M_m × M̃_{m-1}) is
 *   Θ_m = U_m Ξ_m + N_m Η_m V_mᵀ,   Ξ_m: k_m × M̃_{m-1} ("outer" coordinates), Η_m: (M_m − k_m) × v_m,
 * with U_m spanning col(A_mᵀ), N_m a complement of it inside ker A_m (U_m^⊥ in float64), V_m spanning
 * col(Z_{m-1} Gᵀ). For l < m, with C = W̃_{m-1:l+1} (its first M_l columns) and R = A_mᵀ G Z_{l-1}ᵀ,
 * H_F maps Θ_l to R Θ_lᵀ Cᵀ in block m and Θ_m to Cᵀ Θ_mᵀ R in block l. As N_mᵀ R = 0 (A_m N_m = 0):
 *   (Qᵀ H_F Q)[(m,Ξ,i,b), (l,Ξ,j,e)] = (U_mᵀ R)[i,e] · (C U_l)[b,j]
 *   (Qᵀ H_F Q)[(m,Ξ,i,b), (l,Η,j,c)] = (U_mᵀ R V_l)[i,c] · (C N_l)[b,j]
 * with their transposes; blocks between two Η coordinates, and diagonal layer blocks, are 0.
 * H_O = Fᵀ F, F's rows S_i J_i (S_iᵀ S_i = ∇²ℓ, S_i = I for mse). J Q is 0 on Η coordinates
 * (A_l N_l = 0) and (J Q)[(i,k), (l,Ξ,j,b)] = B_l[k,j] · Z_{l-1}[b,i] with B_l = A_l U_l, so
 *   (Qᵀ H_O Q)[(l,Ξ,j,b), (m,Ξ,j',e)] = Σ_i (B_lᵀ S_iᵀ S_i B_m)[j,j'] Z_{l-1}[b,i] Z_{m-1}[e,i]
 * (for mse the Kronecker product (B_lᵀ B_m) ⊗ (Z_{l-1} Z_{m-1}ᵀ)). H_O's nonzero eigenvalues are
 * also those of F Fᵀ (NK × NK), an identity that needs no subspace:
 *   (F Fᵀ)[(i,s), (i',s')] = Σ_l (S_i A_l A_lᵀ S_{i'}ᵀ)[s,s'] · (Z_{l-1}ᵀ Z_{l-1})[i,i'].
 * Nothing above uses that Q is orthonormal: the same code builds Qᵀ P Q over Z/PZ, where
 * rank(Qᵀ P Q) = rank(P) once Qᵀ Q is invertible (exactRangeBasis).
 *
 * Certificate (float64). K = Qᵀ P Q as built here is checked against P itself, applied matrix-free
 * from the block formulas of linearNetworkHessian.ts (not through Q): for random probes x,
 *   ‖P x − Q K Qᵀ x‖ ≤ ε √p · ‖K‖_F ‖x‖.
 * With E = P − Q K Qᵀ this bounds the part of P that the compressed spectrum misses; since
 * ‖K‖_F ≤ √p σ_max, it is below τ = ε p σ_max, and P's eigenvalues are those of K (and zeros)
 * moved by at most ‖E‖₂ (Weyl). This one check covers both range(P) ⊆ S and the build of K.
 */
import { parameterCount, type FullyConnected } from '../architecture/fullyConnected.js';
import { kernelMatrixBytes, rankModPrime } from '../linalg/index.js';
import type { MeasurementCost } from './measurementCost.js';
import { costRates, eigenvalueFlops, eliminationUpdates, expectedPrimes } from './costModel.js';
import { LinearNetworkHessian } from './linearNetworkHessian.js';
import { multiply, multiplyTransposed, transpose, zeros, type Matrix } from './matrix.js';
import type { NetworkInstance } from './networkInstance.js';
import { spectraOfBoth } from './parallelSpectra.js';
import { applyBasis, applyBasisTranspose, exactRangeBasis, type RangeBasis } from './rangeCompression.js';
import { singularValueDecomposition, symmetricEigenvalues } from '../linalg/index.js';
import type { Spectrum } from './symmetricSpectrum.js';
import { RandomStream } from './random.js';
import { workMatrix } from './workspace.js';
import type { PrimeField, Ring } from './ring.js';

type Part = 'H' | 'HO' | 'HF';

/** Where layer m's coordinates start in S: Ξ_m at `outer`, Η_m at `inner`. */
interface LayerCoordinates {
  outer: number;
  inner: number;
}

function coordinates(basis: RangeBasis): LayerCoordinates[] {
  let position = 0;
  return basis.layers.map((layer) => {
    const c = { outer: position, inner: position + layer.U.cols * layer.cols };
    position += layer.dimension;
    return c;
  });
}

/** The first `cols` columns of a. */
function leadingColumns(a: Matrix, cols: number): Matrix {
  if (cols === a.cols) return a;
  const out = zeros(a.rows, cols);
  for (let i = 0; i < a.rows; i++) out.data.set(a.data.subarray(i * a.cols, i * a.cols + cols), i * cols);
  return out;
}

/**
 * The coordinate groups where H_O can be nonzero, in order: Ξ_l of every layer, and Η_l of an "inputs"
 * layer (rangeCompression.ts; an "outputs" layer has A_l N_l = 0). Group g holds `count` × `width`
 * coordinates from `start` (coordinate (j, b) at start + j · width + b), and J Q on it is
 *   (J Q)[(i,k), (g, j, b)] = B_g[k, j] · Ẑ_g[b, i],
 * B = A_l U_l, Ẑ = Z_{l-1} on Ξ; B = A_l N_l, Ẑ = V_lᵀ Z_{l-1} on Η.
 */
interface OuterGroup {
  start: number;
  count: number;
  width: number;
  B: Matrix;
  Z: Matrix;
}

function outerGroups(h: LinearNetworkHessian, basis: RangeBasis): OuterGroup[] {
  const ring = h.ring;
  const at = coordinates(basis);
  const groups: OuterGroup[] = [];
  basis.layers.forEach((layer, index) => {
    const A = h.outputMap(index + 1);
    const Z = h.outputs[index]!;
    groups.push({ start: at[index]!.outer, count: layer.U.cols, width: layer.cols, B: multiply(A, layer.U, ring), Z });
    if (layer.kind === 'inputs' && layer.complement.cols > 0 && layer.V.cols > 0) {
      groups.push({ start: at[index]!.inner, count: layer.complement.cols, width: layer.V.cols, B: multiply(A, layer.complement, ring), Z: multiply(transpose(layer.V), Z, ring) });
    }
  });
  return groups;
}

/** The coordinates of the outer groups, in order: the rows and columns of H_O's compressed block. */
function outerCoordinates(basis: RangeBasis): number[] {
  const out: number[] = [];
  const at = coordinates(basis);
  basis.layers.forEach((layer, m) => {
    for (let t = 0; t < layer.U.cols * layer.cols; t++) out.push(at[m]!.outer + t);
    if (layer.kind === 'inputs') for (let t = 0; t < layer.complement.cols * layer.V.cols; t++) out.push(at[m]!.inner + t);
  });
  return out;
}

/** The prime of a ring (0 for float64): the builders below reduce products inline modulo it. */
function primeOf(ring: Ring): number {
  return 'prime' in ring ? (ring as PrimeField).prime : 0;
}

/** a · b, reduced modulo P when P > 0 (a, b residues below 2^26: the product is exact in float64). */
function product(a: number, b: number, P: number, invP: number): number {
  let v = a * b;
  if (P > 0) {
    v -= P * Math.floor(v * invP);
    if (v < 0) v += P;
    else if (v >= P) v -= P;
  }
  return v;
}

/** Copies the lower triangle onto the upper one, tile by tile (row-major, cache-friendly). */
function symmetrizeFromLower(K: Matrix): void {
  const n = K.rows;
  const d = K.data;
  const tile = 64;
  for (let i0 = 0; i0 < n; i0 += tile) {
    for (let j0 = 0; j0 <= i0; j0 += tile) {
      const iEnd = Math.min(i0 + tile, n);
      for (let i = i0; i < iEnd; i++) {
        const jEnd = Math.min(j0 + tile, i);
        for (let j = j0; j < jEnd; j++) d[j * n + i] = d[i * n + j]!;
      }
    }
  }
}

/** Qᵀ H_F Q (dim S × dim S), in `allocate`'s matrix (default a fresh one). */
export function compressedFunctional(h: LinearNetworkHessian, basis: RangeBasis, allocate: (rows: number, cols: number) => Matrix = zeros): Matrix {
  const ring = h.ring;
  const P = primeOf(ring);
  const invP = P > 0 ? 1 / P : 0;
  const n = basis.dimension;
  const K = allocate(n, n);
  const at = coordinates(basis);
  // layer l's coordinates precede layer m's (l < m): every block below is in the lower triangle
  for (let m = 2; m <= h.L; m++) {
    for (let l = 1; l < m; l++) {
      const bm = basis.layers[m - 1]!;
      const bl = basis.layers[l - 1]!;
      const C = leadingColumns(h.between(m, l), h.outWidth(l));
      const R = h.residualFactor(m, l);
      const RU = multiply(transpose(bm.U), R, ring); // k_m × M̃_{l-1}
      const RUV = multiply(RU, bl.V, ring); // k_m × v_l
      const CU = multiply(C, bl.U, ring); // M̃_{m-1} × k_l
      const CN = multiply(C, bl.complement, ring); // M̃_{m-1} × (M_l − k_l)
      const km = bm.U.cols;
      const kl = bl.U.cols;
      const nl = bl.complement.cols;
      const vl = bl.V.cols;
      const wm = bm.cols;
      const wl = bl.cols;
      for (let i = 0; i < km; i++) {
        for (let b = 0; b < wm; b++) {
          const row = (at[m - 1]!.outer + i * wm + b) * n;
          for (let j = 0; j < kl; j++) {
            const c = CU.data[b * kl + j]!;
            const col = row + at[l - 1]!.outer + j * wl;
            const source = i * wl;
            for (let e = 0; e < wl; e++) K.data[col + e] = product(RU.data[source + e]!, c, P, invP);
          }
          for (let j = 0; j < nl; j++) {
            const c = CN.data[b * nl + j]!;
            const col = row + at[l - 1]!.inner + j * vl;
            const source = i * vl;
            for (let e = 0; e < vl; e++) K.data[col + e] = product(RUV.data[source + e]!, c, P, invP);
          }
        }
      }
    }
  }
  symmetrizeFromLower(K);
  return K;
}

/** Per-sample loss Hessian ∇²ℓ = S_iᵀ S_i (K × K) for cross-entropy; undefined for mse. */
function lossHessians(h: LinearNetworkHessian): Float64Array[] | undefined {
  if (!h.lossFactors) return undefined;
  const K = h.residuals.rows;
  return h.lossFactors.map((S) => {
    const out = new Float64Array(K * K);
    for (let s = 0; s < K; s++) for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) out[a * K + b]! += S[s * K + a]! * S[s * K + b]!;
    return out;
  });
}

/**
 * Adds Qᵀ H_O Q (nonzero only on the outer groups) into the lower triangle and diagonal blocks of
 * `out` (dim S × dim S) and copies the lower triangle onto the upper one.
 */
function addCompressedOuterProduct(h: LinearNetworkHessian, basis: RangeBasis, out: Matrix): Matrix {
  const ring = h.ring;
  const P = primeOf(ring);
  const invP = P > 0 ? 1 / P : 0;
  const n = basis.dimension;
  const groups = outerGroups(h, basis);
  const hessians = lossHessians(h);
  const N = h.residuals.cols;
  const K = h.residuals.rows;
  for (let g = 0; g < groups.length; g++) {
    for (let f = 0; f <= g; f++) {
      // rows (g, jj, e), columns (f, j, b): Σ_i (B_gᵀ Λ_i B_f)[jj,j] Ẑ_g[e,i] Ẑ_f[b,i]
      const { B: Bm, Z: Zm, count: km, width: wm, start: rowStart } = groups[g]!;
      const { B: Bl, Z: Zl, count: kl, width: wl, start: columnStart } = groups[f]!;
      const weightedGram = (jj: number, j: number): Matrix => {
        const weighted = zeros(wl, N);
        for (let i = 0; i < N; i++) {
          const Li = hessians![i]!;
          let w = 0;
          for (let a = 0; a < K; a++) for (let c = 0; c < K; c++) w += Bm.data[a * km + jj]! * Li[a * K + c]! * Bl.data[c * kl + j]!;
          for (let b = 0; b < wl; b++) weighted.data[b * N + i] = w * Zl.data[b * N + i]!;
        }
        return multiplyTransposed(Zm, weighted);
      };
      const outputFactor = hessians ? undefined : multiply(transpose(Bm), Bl, ring); // km × kl
      const inputFactor = hessians ? undefined : multiplyTransposed(Zm, Zl, ring); // wm × wl
      for (let jj = 0; jj < km; jj++) {
        for (let j = 0; j < kl; j++) {
          const W = inputFactor ?? weightedGram(jj, j);
          const scale = outputFactor ? outputFactor.data[jj * kl + j]! : 1;
          for (let e = 0; e < wm; e++) {
            const row = (rowStart + jj * wm + e) * n + columnStart + j * wl;
            const source = e * wl;
            for (let b = 0; b < wl; b++) {
              let v = out.data[row + b]! + product(scale, W.data[source + b]!, P, invP);
              if (P > 0 && v >= P) v -= P;
              out.data[row + b] = v;
            }
          }
        }
      }
    }
  }
  symmetrizeFromLower(out);
  return out;
}

/** Qᵀ H_O Q (dim S × dim S; nonzero only on the outer groups). */
export function compressedOuterProduct(h: LinearNetworkHessian, basis: RangeBasis): Matrix {
  return addCompressedOuterProduct(h, basis, zeros(basis.dimension, basis.dimension));
}

/** Qᵀ H Q = Qᵀ H_F Q + Qᵀ H_O Q, from Qᵀ H_F Q (copied into workspace.ts's 'hessian' matrix). */
function compressedHessian(h: LinearNetworkHessian, basis: RangeBasis, functional: Matrix): Matrix {
  return addCompressedOuterProduct(h, basis, workMatrix('hessian', functional.rows, functional.cols, functional.data));
}

/** workspace.ts's 'functional' matrix: the compressed builders use it before they return. */
const reusedFunctional = (rows: number, cols: number): Matrix => workMatrix('functional', rows, cols);

/**
 * The samples H_O's Gram matrix runs over: the N samples, or for mse with N > M̃_0 the M̃_0 columns of
 * Y = U Σ from the SVD X̃ = U Σ Vᵀ (src/linalg's one-sided Jacobi; V has orthonormal columns). Then
 * Z_{l-1} = Ẑ_{l-1} Vᵀ with Ẑ_{l-1} = W̃_{l-1:1} Y, so F Fᵀ = (V ⊗ I) F̂ F̂ᵀ (V ⊗ I)ᵀ has the nonzero
 * eigenvalues of F̂ F̂ᵀ (M̃_0 K × M̃_0 K), the Gram matrix of the Jacobian at the virtual inputs Y.
 * (Cross-entropy: ∇²ℓ differs per sample, so the N samples are kept.)
 */
function gramSamples(h: LinearNetworkHessian): Matrix[] {
  const X = h.outputs[0]!;
  if (h.lossFactors || X.rows >= X.cols) return h.outputs;
  const { values, left } = singularValueDecomposition(X); // X wide: left[i] = u_i (orthonormal rotations)
  const Y = zeros(X.rows, X.rows);
  for (let i = 0; i < X.rows; i++) for (let a = 0; a < X.rows; a++) Y.data[a * X.rows + i] = values[i]! * left[i]![a]!;
  return h.outputsOn(Y);
}

/** The size of outerGram(h): K · min(N, M̃_0) for mse, NK for cross-entropy. */
export function outerGramSize(h: LinearNetworkHessian): number {
  const X = h.outputs[0]!;
  return h.residuals.rows * (h.lossFactors ? X.cols : Math.min(X.rows, X.cols));
}

/**
 * F Fᵀ (float64) over the samples of gramSamples (NK × NK, or M̃_0 K × M̃_0 K for mse when N > M̃_0):
 * its nonzero eigenvalues are those of H_O = Fᵀ F.
 */
export function outerGram(h: LinearNetworkHessian): Matrix {
  const samples = gramSamples(h);
  const N = samples[0]!.cols;
  const K = h.residuals.rows;
  const out = zeros(N * K, N * K);
  for (let l = 1; l <= h.L; l++) {
    const A = h.outputMap(l);
    const D = multiplyTransposed(A, A); // K × K
    const Z = samples[l - 1]!;
    const ZtZ = multiply(transpose(Z), Z); // N × N
    // per sample: S_i D (K × K), then (S_i D S_{i'}ᵀ)
    const SD = h.lossFactors ? h.lossFactors.map((S) => multiply({ rows: K, cols: K, data: S }, D).data) : undefined;
    for (let i = 0; i < N; i++) {
      for (let ii = 0; ii < N; ii++) {
        const z = ZtZ.data[i * N + ii]!;
        for (let s = 0; s < K; s++) {
          const row = (i * K + s) * N * K + ii * K;
          for (let ss = 0; ss < K; ss++) {
            let d: number;
            if (SD) {
              const S = h.lossFactors![ii]!;
              d = 0;
              for (let c = 0; c < K; c++) d += SD[i]![s * K + c]! * S[ss * K + c]!;
            } else {
              d = D.data[s * K + ss]!;
            }
            out.data[row + ss]! += d * z;
          }
        }
      }
    }
  }
  return out;
}

/** The parameter block of layer l inside θ (a view). */
function block(h: LinearNetworkHessian, x: Float64Array, l: number): Matrix {
  const rows = h.outWidth(l);
  const cols = h.inWidth(l);
  const offset = h.offsets[l - 1]!;
  return { rows, cols, data: x.subarray(offset, offset + rows * cols) };
}

function addInto(out: Float64Array, m: Matrix): void {
  for (let i = 0; i < m.data.length; i++) out[i]! += m.data[i]!;
}

/** Matrix-free H_F x (float64): block m gets R Θ_lᵀ Cᵀ, block l gets Cᵀ Θ_mᵀ R, for l < m. */
export function applyFunctional(h: LinearNetworkHessian, x: Float64Array, out: Float64Array): void {
  for (let m = 2; m <= h.L; m++) {
    for (let l = 1; l < m; l++) {
      const C = leadingColumns(h.between(m, l), h.outWidth(l));
      const R = h.residualFactor(m, l);
      addInto(block(h, out, m).data, multiply(multiply(R, transpose(block(h, x, l))), transpose(C)));
      addInto(block(h, out, l).data, multiply(multiply(transpose(C), transpose(block(h, x, m))), R));
    }
  }
}

/** Matrix-free H_O x = Jᵀ Λ J x (float64): J x = Σ_l A_l Θ_l Z_{l-1} (K × N), block l of Jᵀ y is A_lᵀ y Z_{l-1}ᵀ. */
export function applyOuterProduct(h: LinearNetworkHessian, x: Float64Array, out: Float64Array): void {
  const K = h.residuals.rows;
  const N = h.residuals.cols;
  const y = zeros(K, N);
  for (let l = 1; l <= h.L; l++) addInto(y.data, multiply(multiply(h.outputMap(l), block(h, x, l)), h.outputs[l - 1]!));
  const hessians = lossHessians(h);
  if (hessians) {
    const column = new Float64Array(K);
    for (let i = 0; i < N; i++) {
      for (let a = 0; a < K; a++) {
        let s = 0;
        for (let c = 0; c < K; c++) s += hessians[i]![a * K + c]! * y.data[c * N + i]!;
        column[a] = s;
      }
      for (let a = 0; a < K; a++) y.data[a * N + i] = column[a]!;
    }
  }
  for (let l = 1; l <= h.L; l++) addInto(block(h, out, l).data, multiply(multiply(transpose(h.outputMap(l)), y), transpose(h.outputs[l - 1]!)));
}

export interface Certificate {
  /** max over probes of ‖P x − Q K Qᵀ x‖ / (‖K‖_F ‖x‖) */
  residual: number;
  /** max over probes of ‖P x − Q K Qᵀ x‖ / ‖x‖: the size at which the p − dim S remaining eigenvalues are entered */
  outside: number;
}

/** ε √p: the largest residual that certifies P = Q K Qᵀ (see the module comment). */
export function certificateThreshold(p: number): number {
  return Number.EPSILON * Math.sqrt(p);
}

/**
 * Checks P = Q K Qᵀ on `probes` Gaussian vectors, P applied matrix-free by `apply` (out += P x).
 * `rows` restricts K to a subset of S's coordinates (K is then |rows| × |rows|).
 */
export function certify(
  apply: (x: Float64Array, out: Float64Array) => void,
  K: Matrix,
  basis: RangeBasis,
  options: { probes?: number; seed?: number; rows?: readonly number[] } = {},
): Certificate {
  const p = basis.parameters;
  const n = basis.dimension;
  const stream = new RandomStream(options.seed ?? 1);
  let frobenius = 0;
  for (const v of K.data) frobenius += v * v;
  frobenius = Math.sqrt(frobenius);
  const coordinatesOf = new Float64Array(n);
  const image = new Float64Array(n);
  const projected = new Float64Array(p);
  const Px = new Float64Array(p);
  const rows = options.rows;
  let worst = 0;
  for (let t = 0; t < (options.probes ?? 3); t++) {
    const x = stream.gaussianArray(p);
    let xNorm = 0;
    for (const v of x) xNorm += v * v;
    xNorm = Math.sqrt(xNorm);
    Px.fill(0);
    apply(x, Px);
    applyBasisTranspose(basis, x, coordinatesOf);
    image.fill(0);
    const index = rows ?? Array.from({ length: n }, (_, i) => i);
    const m = index.length;
    for (let a = 0; a < m; a++) {
      let s = 0;
      const row = a * m;
      for (let b = 0; b < m; b++) s += K.data[row + b]! * coordinatesOf[index[b]!]!;
      image[index[a]!] = s;
    }
    applyBasis(basis, image, projected);
    let miss = 0;
    for (let i = 0; i < p; i++) miss += (Px[i]! - projected[i]!) ** 2;
    worst = Math.max(worst, Math.sqrt(miss) / xNorm);
  }
  return { outside: worst, residual: frobenius === 0 ? (worst === 0 ? 0 : Infinity) : worst / frobenius };
}

/** The submatrix of K on the given coordinates. */
function submatrix(K: Matrix, index: readonly number[]): Matrix {
  const m = index.length;
  const out = zeros(m, m);
  for (let a = 0; a < m; a++) {
    const row = index[a]! * K.cols;
    for (let b = 0; b < m; b++) out.data[a * m + b] = K.data[row + index[b]!]!;
  }
  return out;
}

/** J Q restricted to the outer groups (NK × n_O): rank(H_O) = rank(J) = rank(J Q) when Qᵀ Q is invertible. */
function compressedJacobian(h: LinearNetworkHessian, basis: RangeBasis): Matrix {
  const ring = h.ring;
  const N = h.residuals.cols;
  const K = h.network.targets.rows;
  const columns = outerCoordinates(basis).length;
  const out = zeros(N * K, columns);
  let start = 0;
  outerGroups(h, basis).forEach(({ B, Z, count: k, width: w }) => {
    for (let i = 0; i < N; i++) {
      for (let s = 0; s < K; s++) {
        const row = (i * K + s) * columns + start;
        for (let j = 0; j < k; j++) {
          const bj = B.data[s * k + j]!;
          for (let b = 0; b < w; b++) out.data[row + j * w + b] = ring.mul(bj, Z.data[b * N + i]!);
        }
      }
    }
    start += k * w;
  });
  return out;
}

/**
 * Exact ranks of H, H_O and H_F modulo one prime from the compressed matrices, or undefined when the
 * basis check fails (then the dense builder decides, see exactRangeBasis).
 */
export function compressedExactRanks(
  instance: NetworkInstance,
  field: PrimeField,
  wanted: readonly Part[],
): Partial<Record<Part, number>> | undefined {
  const h = new LinearNetworkHessian(instance, field);
  const basis = exactRangeBasis(h, field);
  if (!basis) return undefined;
  const ranks: Partial<Record<Part, number>> = {};
  if (wanted.includes('HO')) ranks.HO = rankModPrime(compressedJacobian(h, basis), field);
  if (wanted.includes('H') || wanted.includes('HF')) {
    const functional = compressedFunctional(h, basis, reusedFunctional);
    if (wanted.includes('HF')) ranks.HF = rankModPrime(functional, field);
    if (wanted.includes('H')) ranks.H = rankModPrime(compressedHessian(h, basis, functional), field);
  }
  return ranks;
}

/**
 * float64 spectra of the wanted parts from the compressed matrices: H and H_F from Qᵀ P Q (on both
 * cores), H_O from F Fᵀ (outerGram) when its size ≤ n_O, else from its Ξ block of Qᵀ H_O Q. Undefined when a
 * certificate fails (the caller then takes the dense path).
 */
export function compressedSpectra(h: LinearNetworkHessian, basis: RangeBasis, wanted: readonly Part[]): Partial<Record<Part, Spectrum>> | undefined {
  const p = basis.parameters;
  const threshold = certificateThreshold(p);
  const out: Partial<Record<Part, Spectrum>> = {};
  const needH = wanted.includes('H');
  const needF = wanted.includes('HF');
  const functional = needH || needF ? compressedFunctional(h, basis, reusedFunctional) : undefined;
  const symmetric: { part: Part; K: Matrix; apply: (x: Float64Array, y: Float64Array) => void }[] = [];
  if (needH) {
    symmetric.push({
      part: 'H',
      K: compressedHessian(h, basis, functional!),
      apply: (x, y) => {
        applyOuterProduct(h, x, y);
        applyFunctional(h, x, y);
      },
    });
  }
  if (needF) symmetric.push({ part: 'HF', K: functional!, apply: (x, y) => applyFunctional(h, x, y) });
  const certificates = symmetric.map(({ K, apply }) => certify(apply, K, basis));
  if (certificates.some((c) => !(c.residual <= threshold))) return undefined;
  const spectra = symmetric.length === 2 ? spectraOfBoth(symmetric[0]!.K, symmetric[1]!.K) : symmetric.map(({ K }) => ({ eigenvalues: symmetricEigenvalues(K) }));
  symmetric.forEach(({ part }, i) => {
    const c = certificates[i]!;
    out[part] = { eigenvalues: spectra[i]!.eigenvalues, compression: { dimension: basis.dimension, residual: c.residual, outside: c.outside } };
  });
  if (wanted.includes('HO')) {
    const index = outerCoordinates(basis);
    if (outerGramSize(h) <= index.length) {
      out.HO = { eigenvalues: symmetricEigenvalues(outerGram(h)) };
    } else {
      const K = submatrix(compressedOuterProduct(h, basis), index);
      const c = certify((x, y) => applyOuterProduct(h, x, y), K, basis, { rows: index });
      if (!(c.residual <= threshold)) return undefined;
      out.HO = { eigenvalues: symmetricEigenvalues(K), compression: { dimension: index.length, residual: c.residual, outside: c.outside } };
    }
  }
  return out;
}

/** dim S and n_O (the coordinates where H_O can be nonzero) of one choice of layer subspaces. */
export interface SubspaceDimension {
  dimension: number;
  outer: number;
}

/**
 * dim S for an architecture before any instance exists (rangeCompression.ts): k_m = min(K, M_m, …,
 * M_{L-1}) bounds rank A_m, v_m = min(K, N, ρ_{m-1}) bounds dim col(Z_{m-1} Gᵀ), with ρ_j the rank
 * bound of Z_j (augmented): ρ_0 = min(N, M̃_0), ρ_j = min(N, min(M_j, ρ_{j-1}) + [bias]) (a narrow
 * layer caps every later one). S_m has k_m M̃_{m-1} + (M_m − k_m) v_m coordinates, n_O counting its
 * Ξ part k_m M̃_{m-1}; S'_m has k'_m M̃_{m-1} + (M_m − k'_m) ρ_{m-1}, all of them in n_O, with
 * k'_m = min(k_m, K, N, M̃_0) bounding rank A_mᵀ G X̃ᵀ. `dimension`/`outer`: each layer the smaller
 * (S_m on a tie), as floatRangeBasis chooses; `exact`: S alone, as exactRangeBasis builds. Each is
 * a bound over Q, so `dimension` bounds rank H and rank H_F.
 */
export function compressedDimension(net: FullyConnected): SubspaceDimension & { parameters: number; exact: SubspaceDimension } {
  const w = net.widths;
  const L = w.length - 1;
  const K = w[L]!;
  const N = net.samples;
  const extra = net.bias ? 1 : 0;
  const chosen = { dimension: 0, outer: 0 };
  const exact = { dimension: 0, outer: 0 };
  let rho = Math.min(N, w[0]! + extra);
  for (let m = 1; m <= L; m++) {
    const k = Math.min(K, ...w.slice(m, L));
    const inWidth = w[m - 1]! + extra;
    const v = Math.min(K, N, rho);
    const outputs = k * inWidth + (w[m]! - k) * v;
    const kInputs = Math.min(k, K, N, w[0]! + extra);
    const inputs = kInputs * inWidth + (w[m]! - kInputs) * Math.min(rho, inWidth);
    exact.dimension += outputs;
    exact.outer += k * inWidth;
    chosen.dimension += Math.min(outputs, inputs);
    chosen.outer += inputs < outputs ? inputs : k * inWidth;
    rho = Math.min(N, Math.min(w[m]!, rho) + extra);
  }
  return { ...chosen, exact, parameters: parameterCount(net) };
}

/**
 * The size of H_O's Gram matrix before any instance exists (outerGramSize): K · min(N, M̃_0) for mse,
 * NK for cross-entropy.
 */
export function outerGramDimension(net: FullyConnected): number {
  const K = net.widths[net.widths.length - 1]!;
  return K * (net.loss === 'mse' ? Math.min(net.samples, net.widths[0]! + (net.bias ? 1 : 0)) : net.samples);
}

/**
 * Resources of the compressed path (undefined where it cannot run or gains nothing: relu/tanh,
 * p < 200, or dim S ≥ p), n = dim S, n_O its part where H_O can be nonzero (compressedDimension: the
 * float64 path's subspaces, or the exact path's), g = min(outerGramDimension, n_O). float64:
 * Qᵀ H Q and Qᵀ H_F Q plus their copies for the two eigenvalue solves (about 5 matrices of n²,
 * float64) and costRates.startBytes; time: a start-up, the build (3 n² entries), the eigenvalues of
 * both ((4/3) n³ each) and of H_O's g × g Gram. Exact: for each prime the build and the eliminations
 * of the two n × n matrices and of J Q (NK × n_O), with the expected number of primes of each part
 * (costModel.ts expectedPrimes; u = n, and min(NK, n_O) for H_O). Rates: costModel.ts costRates,
 * calibrated in docs/benchmarks.md#size-guard-calibration. measure.ts takes this path in float64
 * when its time is below the dense path's (linearPath).
 */
export function compressedCost(net: FullyConnected, exact = false): MeasurementCost | undefined {
  if (net.activation !== 'linear' || (exact && net.loss !== 'mse')) return undefined;
  const S = compressedDimension(net);
  const { dimension: n, outer } = exact ? S.exact : S;
  const p = S.parameters;
  if (p < compressionLimits.minimumParameters || n >= p) return undefined;
  const NK = net.samples * net.widths[net.widths.length - 1]!;
  const layers = net.widths.length - 1;
  const r = costRates;
  const build = (3 * n * n) / r.compressedEntriesPerSecond;
  if (exact) {
    const primes = expectedPrimes(n, layers);
    const outerPrimes = expectedPrimes(Math.min(NK, outer), layers);
    const updates = 2 * primes * eliminationUpdates(n, n) + outerPrimes * eliminationUpdates(NK, outer);
    return {
      bytes: r.startBytes + 8 * (3 * n * n + 2 * NK * outer),
      seconds: r.startSeconds + primes * build + updates / r.eliminationUpdatesPerSecond,
      kernelBytes: kernelMatrixBytes(Math.max(n, Math.sqrt(NK * outer))),
    };
  }
  const gram = Math.min(outerGramDimension(net), outer);
  return {
    bytes: r.startBytes + 8 * (5 * n * n + 2 * gram * gram),
    seconds: r.startSeconds + build + (2 * eigenvalueFlops(n) + eigenvalueFlops(gram)) / r.eigenvalueFlopsPerSecond,
    kernelBytes: kernelMatrixBytes(Math.max(n, gram)),
  };
}

/** The compressed path needs p ≥ minimumParameters (below it its fixed costs outweigh the gain). */
export const compressionLimits = { minimumParameters: 200 };
