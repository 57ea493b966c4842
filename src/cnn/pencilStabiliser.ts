/**
 * ς: two convolutions, no bias, one residual direction (s = 1): the stabiliser of conv 2's patch pencil, as directions
 * of conv 1 and the dense layer that H_F's conv-2 rows annihilate (docs/cnn.md#two-convolutions-the-pencil-of-conv-2s-patches).
 *
 *   With s = 1, φ = Σ_j tr(V A_j w_1 P_j): j over conv 2's kernel offsets, A_j = conv 2's kernel at offset j (c_2 × c_1),
 *   w_1 conv 1's kernel (c_1 × m, m = c_0 κ_1), P_j the m × n_2 matrix whose column t is conv 1's patch of the image x̄ at
 *   the map-1 position offset j of output t reads (0 on the padding), V the dense layer seen through the residual (n_2 × c_2).
 *   Every (Q, R) with Q P_j = P_j R for all j gives the direction (dw_1, dV) = (w_1 Q, −R V), on which H_F's conv-2 rows
 *   vanish: w_1 (Q P_j − P_j R) V = 0. Modulo the directions H_F does not see at all (dw_1 P = 0 on the used patches
 *   P = [patch_q], dV = 0), these span
 *
 *     ς = dim{(w_1 Q P, R V) : Q P_j = P_j R ∀j} = rank [L; Φ] − rank L,
 *     L(Q, R) = (Q P_j − P_j R)_j,   Φ(Q, R) = (w_1 Q P, R V),
 *
 *   at a generic x̄ (the residual-weighted data: generic in the data span), w_1 and V. (Q, R) = (I, I) always stabilises,
 *   so ς ≥ 1; a square pencil (two offsets, P_0, P_1 of size m × m) has an m-dimensional stabiliser.
 *
 * rank L is a generic rank (entries ± one entry of x̄: genericRank, below it with probability ≤ 1e-9), rank [L; Φ] one
 * draw of genericPolynomialRank (never above its generic rank), so ς is never above its value at a generic point
 * (except with probability ≤ 1e-9), and at least 1. 1 (not computed) for other architectures, or when the matrix has more
 * than `largestSpan` entries.
 */
import type { Convolutional } from '../architecture/convolutional.js';
import { genericPolynomialRank, genericRank } from '../linalg/index.js';
import { zeros, type Matrix } from '../numeric/matrix.js';
import { convolutionalGeometry, usedLayer } from './geometry.js';
import { boundedMemo, layersKey } from './memo.js';
import { largestSpan } from './patchSpan.js';
import { convolutionPattern } from './toeplitz.js';

const stabiliserSeed = 0x57ab;

const cached = boundedMemo<number>(256);

/** ς for a CNN of two convolutions without bias and s = 1 residual direction; 1 otherwise (see the top). */
export function pencilStabiliser(net: Convolutional, s: number): number {
  if (net.layers.length !== 2 || net.bias || s !== 1) return 1;
  return cached(`pencil ${layersKey(net)}`, () => compute(net));
}

function compute(net: Convolutional): number {
  const G = convolutionalGeometry(net);
  const [c0, c1, c2] = G.channels as [number, number, number];
  const [n0, n1, n2] = G.positions as [number, number, number];
  const [kappa1, kappa2] = G.kernel as [number, number];
  const m = c0 * kappa1;
  // the size first, from the geometry (the patterns of a large layer are large too)
  if ((kappa2 * m * n2 + c1 * G.used[1]! + n2 * c2) * (m * m + n2 * n2) > largestSpan) return 1;
  const first = convolutionPattern(usedLayer(net, 1).layer, false);
  const second = convolutionPattern(usedLayer(net, 2).layer, false);
  // reads[t κ_2 + j]: the map-1 position offset j of output t reads (−1 on the padding), from output channel 0, input channel 0
  const reads = new Int32Array(n2 * kappa2).fill(-1);
  for (let x = 0; x < second.row.length; x++) {
    if (second.row[x]! < n2 && second.col[x]! < n1 && second.param[x]! < kappa2) reads[second.row[x]! * kappa2 + second.param[x]!] = second.col[x]!;
  }
  // patch q: conv 1's output channel 0 at map-1 position q reads x̄[input index] with kernel entry (i, e) = param < m
  const patchEntries: { at: number; input: number }[][] = Array.from({ length: n1 }, () => []);
  for (let x = 0; x < first.row.length; x++) {
    if (first.row[x]! < n1 && first.param[x]! < m) patchEntries[first.row[x]!]!.push({ at: first.param[x]!, input: first.col[x]! });
  }
  const usedPositions = [...new Set(Array.from(reads).filter((q) => q >= 0))].sort((a, b) => a - b);
  const cols = m * m + n2 * n2;
  const lRows = kappa2 * m * n2;
  const rows = lRows + c1 * usedPositions.length + n2 * c2;
  const Q = (a: number, b: number) => a * m + b;
  const R = (u: number, t: number) => m * m + u * n2 + t;
  // the variables: x̄ (c_0 n_0), then w_1 (c_1 m), then V (n_2 c_2)
  const wAt = c0 * n0;
  const vAt = wAt + c1 * m;
  const parameters = vAt + n2 * c2;
  const patch = (w: Float64Array, q: number): Float64Array => {
    const out = new Float64Array(m);
    for (const { at, input } of patchEntries[q]!) out[at] = w[input]!;
    return out;
  };
  // L (and, with `phi`, Φ below it); `sign` −1 gives −P_j R, +1 its magnitude
  const build = (w: Float64Array, phi: boolean, sign: number): Matrix => {
    const M = zeros(phi ? rows : lRows, cols);
    const d = M.data;
    const patches = new Map<number, Float64Array>();
    const at = (q: number) => {
      let p = patches.get(q);
      if (!p) patches.set(q, (p = patch(w, q)));
      return p;
    };
    for (let j = 0; j < kappa2; j++) {
      for (let t = 0; t < n2; t++) {
        const q = reads[t * kappa2 + j]!;
        if (q < 0) continue;
        const column = at(q);
        for (let a = 0; a < m; a++) {
          const row = (j * m + a) * n2 + t;
          // (Q P_j)[a, t] = Σ_b Q[a, b] P_j[b, t]
          for (let b = 0; b < m; b++) d[row * cols + Q(a, b)] = column[b]!;
        }
      }
      for (let u = 0; u < n2; u++) {
        const q = reads[u * kappa2 + j]!;
        if (q < 0) continue;
        const column = at(q);
        // (P_j R)[a, t] = Σ_u P_j[a, u] R[u, t]
        for (let a = 0; a < m; a++) for (let t = 0; t < n2; t++) d[((j * m + a) * n2 + t) * cols + R(u, t)] = sign * column[a]!;
      }
    }
    if (!phi) return M;
    let row = lRows;
    // (w_1 Q P)[o, q] = Σ_{b,c} w_1[o, b] Q[b, c] patch_q[c]
    for (let o = 0; o < c1; o++)
      for (const q of usedPositions) {
        const column = at(q);
        for (let b = 0; b < m; b++) {
          const wob = w[wAt + o * m + b]!;
          for (let c = 0; c < m; c++) d[row * cols + Q(b, c)] = wob * column[c]!;
        }
        row++;
      }
    // (R V)[t, e] = Σ_u R[t, u] V[u, e]
    for (let t = 0; t < n2; t++)
      for (let e = 0; e < c2; e++) {
        for (let u = 0; u < n2; u++) d[row * cols + R(t, u)] = w[vAt + u * c2 + e]!;
        row++;
      }
    return M;
  };
  const stabilisers = genericRank(parameters, 1, (w) => build(w, false, -1), stabiliserSeed).rank;
  const images = genericPolynomialRank(parameters, 2, { modular: (_, w) => build(w, true, -1), magnitude: (w) => build(w, true, 1) }, stabiliserSeed + 1, undefined, true).rank;
  return Math.max(1, images - stabilisers);
}
