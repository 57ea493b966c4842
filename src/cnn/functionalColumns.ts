/**
 * The columns of H_F (docs/cnn.md#several-convolutions-the-columns-of-h_f): rank H_F ≤ Σ_l col_l, col_l the
 * rank of layer l's column block (every row of H_F, layer l's columns), for conv l = 1..L−1 and the dense
 * layer l = L. Layer l's column block is the Jacobian of its gradient g_l = G(a, z) = Σ_k Σ_t a_k[·, t] ⊗ patch_t(z_k)
 * in the other layers: a_k = (W T_{L-1} ⋯ T_{l+1})ᵀ g_k from the layers above, z_k = T_{l-1} ⋯ T_1 b_k the s
 * images at map l−1 from the layers below, so its range is 𝒰 + 𝒟, 𝒰 = G(da, z) (above), 𝒟 = G(a, dz) (below):
 *
 *   π_l = min(c_{l-1} e_l, h_{l-1} e_l, s u_l, c_0 g_l, π°_l)  the patches of the s images at map l−1 (R^{c_{l-1} e_l});
 *                                                         π°_l their rank at generic kernels (./patchSpan.ts), where computed
 *   n_l = c_{l-1} e_l,  w_l = h_{l-1} e_l
 *   ρ_l = Σ_{j<l} (c_j − h_j) h_{j-1} e_j                    directions below that leave the channel spaces 𝒞_j
 *   ρ̂_l = (c_{L-1} − ĥ_{L-1}) s u_{L-1} + Σ_{l<m<L} (c_{m-1} − ĥ_{m-1}) ĥ_m e_m    directions above that leave V_m
 *   U_l = min(c_l π_l, (Σ_{m>l} x_m − Σ_{l<m<L} κ_{l,m})_+)    bound on dim 𝒰: the blocks of layers m and m + 1 share
 *                                                         G(da(N), z) for every mixing N of map m, of dimension κ_{l,m} ≥ 1
 *                                                         (./aboveMixing.ts; N = I gives g_l; 1 where not computed)
 *   col_1 = min(U_1, ĥ_1 π_1 + min(U_1, ρ̂_1))
 *   col_l = min(c_l n_l, (U_l + x_l − 1)_+, ĥ_l n_l + min(U_l, (c_l − ĥ_l) π_l, ρ̂_l), c_l π_l + min(x_l, ĥ_l (n_l − π_l)),
 *               c_l π_l + min(x_l, ĥ_l (w_l − π_l)) + min(x_l, ρ_l), ĥ_l w_l + min(x_l, ρ_l) + min(U_l, ρ̂_l))   (1 < l < L)
 *   col_L = x_L
 *
 * Inputs are 1-based by layer, as the catalog's vectors: c[0..L-1], e[1..L-1], h[0..L-1], u[0..L-1],
 * x[1..L], hd[1..L-1], g[1..L-1] (Infinity where a layer 2..l pads: then no composed-kernel term).
 */
export interface ColumnSizes {
  /** L: convolutions + the dense layer */
  L: number;
  s: number;
  c: readonly number[];
  e: readonly number[];
  h: readonly number[];
  u: readonly number[];
  x: readonly number[];
  hd: readonly number[];
  g: readonly number[];
  /** π°_l, the patches at generic kernels (src/cnn/patchSpan.ts), 1-based; Infinity or absent where not computed */
  pg?: readonly number[];
  /** κ_{l,m} (./aboveMixing.ts): kappa[l][m] for l < m ≤ L − 1; absent or undefined where not computed (then 1) */
  kappa?: readonly (readonly (number | undefined)[])[];
}

const positive = (v: number): number => Math.max(0, v);

/** π_l for l = 1..L−1 (index l − 1) */
export function columnPatchSpans(z: ColumnSizes): number[] {
  const { L, s, c, e, h, u, g } = z;
  return Array.from({ length: L - 1 }, (_, i) => {
    const l = i + 1;
    return Math.min(c[l - 1]! * e[l]!, h[l - 1]! * e[l]!, s * u[l]!, c[0]! * g[l]!, z.pg?.[l] ?? Infinity);
  });
}

/** col_l for l = 1..L (index l − 1): conv 1..L−1, then the dense layer */
export function functionalColumns(z: ColumnSizes): number[] {
  const { L, s, c, e, h, u, x, hd } = z;
  const pi = [0, ...columnPatchSpans(z)];
  const columns: number[] = [];
  for (let l = 1; l < L; l++) {
    const n = c[l - 1]! * e[l]!;
    const w = h[l - 1]! * e[l]!;
    let above = 0;
    for (let m = l + 1; m <= L; m++) above += x[m]!;
    // the blocks of layers m and m + 1 share G(da(N), z) for every mixing N of map m: κ_{l,m} ≥ 1 (N = I gives g_l)
    let shared = 0;
    for (let m = l + 1; m <= L - 1; m++) shared += Math.max(1, z.kappa?.[l]?.[m] ?? 1);
    const U = Math.min(c[l]! * pi[l]!, positive(above - shared));
    let leaveAbove = (c[L - 1]! - hd[L - 1]!) * s * u[L - 1]!;
    for (let m = l + 1; m < L; m++) leaveAbove += (c[m - 1]! - hd[m - 1]!) * hd[m]! * e[m]!;
    if (l === 1) {
      columns.push(Math.min(U, hd[1]! * pi[1]! + Math.min(U, leaveAbove)));
      continue;
    }
    let leaveBelow = 0;
    for (let j = 1; j < l; j++) leaveBelow += (c[j]! - h[j]!) * h[j - 1]! * e[j]!;
    const D = x[l]!;
    columns.push(
      Math.min(
        c[l]! * n,
        positive(U + D - 1),
        hd[l]! * n + Math.min(U, (c[l]! - hd[l]!) * pi[l]!, leaveAbove),
        c[l]! * pi[l]! + Math.min(D, hd[l]! * (n - pi[l]!)),
        c[l]! * pi[l]! + Math.min(D, hd[l]! * (w - pi[l]!)) + Math.min(D, leaveBelow),
        hd[l]! * w + Math.min(D, leaveBelow) + Math.min(U, leaveAbove),
      ),
    );
  }
  columns.push(x[L]!);
  return columns;
}

/**
 * With bias (docs/cnn.md#bias-the-columns-of-h_f): the same sum over the layers' column blocks. Layer l's (kernel, bias)
 * gradient is G(a, z̃) = Σ_{k≤s̃} Σ_t a_k[·, t] ⊗ [patch_t(z_k); σ_k] on the s̃ augmented images (z_k map l−1 on image k, σ_k
 * its residual sum), so its range is 𝒰 + 𝒟 with 𝒟 ⊆ V_l ⊗ (R^{c_{l-1} e_l} ⊕ 0) (a direction below never moves σ):
 *
 *   n̄_l = c_{l-1} e_l + 1,  ϖ_{l-1} = ω*_{l-1} (conv l unpadded) or min(c_{l-1}, ω*_{l-1} + 1) (padded)
 *   w̃_l = ϖ_{l-1} e_l + 1 (c_0 e_1 + 1 for l = 1)    the model space 𝒲_l of the augmented patches
 *   π̃_l = min(n̄_l, s̃ u_l, w̃_l, π̂_l, c_0 g_l + 1, π̃°_l)  their span on the s̃ images (π̃°_l: at generic kernels, ./patchSpan.ts)
 *   ρ̃_l = Σ_{j<l} (c_j − ω*_j) w̃_j                      directions below that leave the linear channel spaces 𝒰*_j
 *   ρ̂̃_l = (c_{L-1} − ĥ̃_{L-1}) s̃ u_{L-1} + Σ_{l<m<L} (c_{m-1} − ĥ̃_{m-1}) ĥ̃_m e_m
 *   U_l = min(c_l π̃_l, (Σ_{m>l} x̃_m − Σ_{l<m<L} κ̃_{l,m})_+, (x̃_{l+1} + A_l − κ̃_{l,l+1})_+),
 *         A_l = min((Σ_{m>l+1} x̃_m − Σ_{l+1<m<L} κ̃_{l,m})_+, s̃ c_{l+1} u_{l+1})   (l + 1 < L; the layers above conv l+1 reach
 *         conv l only through the s̃ arrays they send to map l+1; κ̃_{l,m} ≥ 1 the mixings of map m the blocks of layers m
 *         and m + 1 share, ./aboveMixing.ts with bias, 1 where not computed)
 *   col_1 = min(U_1, ĥ̃_1 π̃_1 + min(U_1, ρ̂̃_1))
 *   col_l = min(c_l n̄_l, U_l + x̃_l, c_l π̃_l + min(x̃_l, ĥ̃_l (n̄_l − π̃_l)), c_l π̃_l + min(x̃_l, ĥ̃_l (w̃_l − π̃_l)) + min(x̃_l, ρ̃_l),
 *               ĥ̃_l w̃_l + min(x̃_l, ρ̃_l) + min(U_l, ρ̂̃_l), ĥ̃_l n̄_l + min(U_l, (c_l − ĥ̃_l) π̃_l, ρ̂̃_l), ϑ_l)   (1 < l < L;
 *               ϑ_l the rank of the differential of conv l's gradient, ./columnDifferential.ts, where computed)
 *   col_L = x̃_L
 *
 * Inputs 1-based by layer as above, with s the augmented image count s̃, x = x̃, hd = ĥ̃, and
 * linear[0..L-1] = ω*, pb[1..L-1] = π̂, padded[1..L-1].
 */
export interface BiasColumnSizes extends Omit<ColumnSizes, 'h'> {
  linear: readonly number[];
  pb: readonly number[];
  padded: readonly boolean[];
  /** ϑ_l (./columnDifferential.ts), 1-based for 1 < l < L; absent or undefined where not computed */
  theta?: readonly (number | undefined)[];
}

/** w̃_l: the dimension of the model space of conv l's augmented patches (l = 1..L−1) */
function augmentedModel(z: BiasColumnSizes, l: number): number {
  const { c, e, linear, padded } = z;
  if (l === 1) return c[0]! * e[1]! + 1;
  const varpi = padded[l] ? Math.min(c[l - 1]!, linear[l - 1]! + 1) : linear[l - 1]!;
  return Math.min(c[l - 1]! * e[l]! + 1, varpi * e[l]! + 1);
}

/** col_l with bias for l = 1..L (index l − 1): conv 1..L−1, then the dense layer */
export function biasFunctionalColumns(z: BiasColumnSizes): number[] {
  const { L, s, c, e, u, x, hd, g, linear, pb } = z;
  const columns: number[] = [];
  for (let l = 1; l < L; l++) {
    const row = c[l - 1]! * e[l]! + 1;
    const w = augmentedModel(z, l);
    const pi = Math.min(row, s * u[l]!, w, pb[l]!, Number.isFinite(g[l]!) ? c[0]! * g[l]! + 1 : Infinity, z.pg?.[l] ?? Infinity);
    let above = 0;
    for (let m = l + 1; m <= L; m++) above += x[m]!;
    // the blocks of layers m and m + 1 share the mixings of map m, κ̃_{l,m} ≥ 1 (N = I gives g_l; ./aboveMixing.ts)
    const shared = (m: number): number => Math.max(1, z.kappa?.[l]?.[m] ?? 1);
    let sharedAbove = 0;
    for (let m = l + 2; m <= L - 1; m++) sharedAbove += shared(m);
    let U = Math.min(c[l]! * pi, positive(above - (l + 1 <= L - 1 ? shared(l + 1) : 0) - sharedAbove));
    if (l + 1 < L) U = Math.min(U, positive(x[l + 1]! + Math.min(positive(above - x[l + 1]! - sharedAbove), s * c[l + 1]! * u[l + 1]!) - shared(l + 1)));
    let leaveAbove = (c[L - 1]! - hd[L - 1]!) * s * u[L - 1]!;
    for (let m = l + 1; m < L; m++) leaveAbove += (c[m - 1]! - hd[m - 1]!) * hd[m]! * e[m]!;
    if (l === 1) {
      columns.push(Math.min(U, hd[1]! * pi + Math.min(U, leaveAbove)));
      continue;
    }
    let leaveBelow = 0;
    for (let j = 1; j < l; j++) leaveBelow += (c[j]! - linear[j]!) * augmentedModel(z, j);
    const D = x[l]!;
    columns.push(
      Math.min(
        c[l]! * row,
        U + D,
        c[l]! * pi + Math.min(D, hd[l]! * (row - pi)),
        c[l]! * pi + Math.min(D, hd[l]! * (w - pi)) + Math.min(D, leaveBelow),
        hd[l]! * w + Math.min(D, leaveBelow) + Math.min(U, leaveAbove),
        hd[l]! * row + Math.min(U, (c[l]! - hd[l]!) * pi, leaveAbove),
        // the rank of the differential of conv l's gradient over every array above and the directions below (./columnDifferential.ts)
        z.theta?.[l] ?? Infinity,
      ),
    );
  }
  columns.push(x[L]!);
  return columns;
}
