/**
 * The symbols CNN rank expressions use (formulas/cnn.json declares them), and their values for an
 * architecture. Vectors are indexed by layer, 1-based as in mathjs: c[l] = c_l for l = 1..L-1.
 *
 *   base symbols, as for fully-connected networks, on the Toeplitz expansion restricted to used positions:
 *   d = c_0 n_0  K (outputs the loss sees: K − 1 for cross-entropy)  N  L (conv layers + the dense layer)  p (parameters)
 *   r  rank of the data the network reads (X restricted to the used input positions; min(N, c_0 u_0) generic)
 *   s = min(r, K)   M = [c_1 u_1, …, c_{L-1} u_{L-1}]   w = [c_0 u_0, M, K]   q = min(r, M, K)
 *
 *   c0, c  input channels; channels of conv 1..L-1        n0, n  positions of the input; of conv outputs
 *   u0, u  used positions (src/cnn/geometry.ts)           k, e   kernel elements; effective ones
 *   t      bound on rank T_l (used rows/columns)          h      effective channels h_l
 *   g      effective elements of the composed kernel of conv 1..j (Infinity if a later layer pads)
 *   b      kernel-rank bottleneck of conv 1..j: min_i c_i ∏_{l=i+1}^{j} k_l
 *   y      symmetry-reduced parameters of conv l: c_l · max(0, h_{l-1} e_l − c_l)
 *   P      parameters below layer j that H_F sees: Σ_{l<j} c_l c_{l-1} e_l   (j = 1..L)
 *   x      bound on the rank of H_F's block coupling layer j to the layers below (j = 1..L, x[1] = 0)
 *   nu     null directions of H in conv l's kernel: c_l (c_{l-1} − h_{l-1}) e_l read no reachable channel, less x_l − 1
 *   nk     ≥ nu: with the null directions λ ⊗ μ (λ unseen above, μ orthogonal to the patches of the s images)
 *   xb, Pb x and P for a CNN with bias (each convolution affine: c_l more parameters); xb reads ĥ̃ channels
 *          (ĥ with s̃) and the affine stack on s̃_j images, with the bias shifts and a 1×1 conv 1 in its tangent
 *   nfb    with bias, null directions of H_F on conv j−1 at level j ≥ 3 of the block recursion (λ ⊗ μ, λ off the
 *          channels read above, μ orthogonal to the augmented patches below)
 *   pb     with bias, the augmented patches [patch_t(z); 1] conv l reads span ≤ pb_l dimensions (c_0 e_1 + 1 for conv 1;
 *          ω_{l-1} e_l + 1, or min(c_{l-1}, ω_{l-1} + 1) e_l + 1 when conv l pads)
 *   nub    with bias, null directions of H on conv l alone (docs/cnn.md#bias-null-directions-on-one-layer)
 *   nkb    ≥ nub: with the bias λ ⊗ μ̃ kernel null directions (docs/cnn.md#bias-null-directions-of-the-kernels)
 *   hd     channels the layers above conv l read: ĥ_{L-1} = min(c_{L-1}, s u_{L-1}), ĥ_l = min(c_l, ĥ_{l+1} e_{l+1});
 *          x_j (j < L) counts ĥ_j of conv j's output channels and evaluates the stack below on s_j = min(s, ĥ_l u_l, l ≥ j) images
 *   pz     π_l = min(c_{l-1} e_l, h_{l-1} e_l, s u_l, c_0 g_l): the span of the patches of the s images at map l−1
 *   cf     bound on the rank of layer l's column block of H_F (l = 1..L: conv 1..L−1, then the dense layer; ./functionalColumns.ts)
 *   cfb    the same with bias: layer l's (kernel, bias) column block, read through the augmented patches (./functionalColumns.ts)
 *   hb     with bias, the channel space of map l less its bias: ω_0 = c_0, ω_1 = min(c_1, c_0 e_1),
 *          ω_l = min(c_l, e_l min(c_{l-1}, ω_{l-1} + 1)) (map l−1 with its bias spans ω_{l-1} + 1 directions)
 *   yb     with bias, conv l's kernel directions left after its channel mixing is absorbed by layer l+1 and
 *          everything along 1ᵀ by the dense bias: c_l max(0, ω_{l-1} e_l − c_l)
 *   ot     bound on the dimension of the last convolution's directions T_{L-1}(b) V on the s images, projected off
 *          col Z_{L-1} (plus the lower layers', s(t_{L-1} − rank Z_{L-1})): ω (src/cnn/topTangent.ts) when Z_{L-2} has
 *          full row rank (conv 1..L−2 with t_j = c_j u_j, r ≥ c_{L-2} u_{L-2}), else c_{L-1} c_{L-2} e_{L-1} + s t_{L-1}
 *   nt     null directions of H in the last convolution's kernel at a generic point: c_{L-1} c_{L-2} e_{L-1} less the generic
 *          rank of b ↦ (W T_{L-1}(b), T_{L-1}(b) V) (src/cnn/topTangent.ts; 0 when too large to compute)
 *   og     ω_g: the dense layer's coupling projected off col Z_{L-1} at a generic point, all kernels (src/cnn/stackNull.ts; c_{L-1} c_{L-2} e_{L-1} + s t_{L-1} where not computed)
 *   rs     ρ_l: the generic rank of b ↦ (J v, the blocks of H_F v on the layers above conv l), on a generic basis of the data
 *          span pushed to map l−1 and generic images there (src/cnn/stackNull.ts); c_l c_{l-1} e_l where not computed
 *   rsb    with bias, ρ̃_l: the generic rank of (b, β) ↦ (J v, the blocks of H_F v above conv l) on the augmented maps
 *          (src/cnn/stackNull.ts); c_l (c_{l-1} e_l + 1) where not computed
 *   rzb    with bias, ẑ̃_l: the generic rank of Z̃_l = [Z_l; 1ᵀ] on used coordinates (l = 1..L−2; 0 where not computed)
 *   nsb    with bias, null directions of H on conv l alone: max(nkb_l, c_l (c_{l-1} e_l + 1) − ρ̃_l − min(x̃_l, s̃ (c_{l-1} u_{l-1} + 1 − ẑ̃_{l-1})))
 *   owb    with bias, ω̃_j: the lower stack's tangent at the s̃ augmented images modulo col Z̃_j, a generic rank (maps 1..L−1;
 *          three convolutions; s̃ (c_j u_j + 1) where not computed)
 *   nsp    with bias, null directions of H on conv l alone: max(nsb_l, c_l (c_{l-1} e_l + 1) − ρ̃_l − ω̃_{l-1})
 *   nab    ≥ nsb: on an unpadded conv 2, the (kernel, bias) directions off the linear part of map 1 with the bias
 *          absorbing the shift, coupled to conv 1 only through its channels off that part (docs/cnn.md#bias-the-shift-absorbed-by-conv-2)
 *   rz     ẑ_l: the generic rank of Z_l = T_l ⋯ T_1 X on used coordinates (l = 1..L−2; src/cnn/stackNull.ts; 0 where not computed)
 *   ns     null directions of H on conv l alone: max(nk_l, nt for the last convolution,
 *          c_l c_{l-1} e_l − ρ_l − min((x_l − 1)_+, s (c_{l-1} u_{l-1} − ẑ_{l-1})))
 *   D      spatial dimensions (1 or 2)
 *   Q      dim 𝒬_pos of conv l: position maps of its used input that T_l absorbs (src/cnn/inputSymmetry.ts)
 *   A      dim w·𝒬 of conv l: kernels v with T_l(w) Q = T_l(v) for an input-side symmetry Q (generic w)
 *   R      input shifts per channel that conv l maps to a bias (1 for a sliding convolution without padding)
 *   merges, HOm, HFm, Hm, mc   merging a 1×1 convolution into the one below (src/cnn/merge.ts): whether
 *          one can be merged, the merged CNN's predictions (src/cnn/catalogRanks.ts), and the rank of the reparametrisation's
 *          second-order term
 *   HFt    the predicted rank(H_F) of the CNN above conv 1 on conv 1's output (src/cnn/tail.ts; with bias on r̃ samples)
 *   pt, ptb  one convolution: π_1, the rank of conv 1's patch matrix at s generic images (rank H_F = 2 c_1 π_1),
 *          and π̃_1 with the bias column at s̃ augmented images (src/cnn/patchRank.ts); Infinity when not determined
 *   kt     one convolution: κ_t, the directions conv 1's kernel adds to the dense layer's tangent on full-rank data
 *          (src/cnn/kernelTangent.ts)
 *   sg     two convolutions, s = 1: ς, the stabiliser of conv 2's patch pencil in conv 1 and the dense layer, modulo the
 *          directions H_F does not see (src/cnn/pencilStabiliser.ts); 1 elsewhere
 *   mup, mw, mq   for a merge of conv l ≥ 2 into conv l−1: 1 (else 0), c_{l-1}, and
 *          min(c_{l-1}, c_l, c_{l-2} e_{l-1}, s u_l) ≥ the overlap q of the two terms of H_F
 *          (with bias min(c_{l-1}, c_l, c_{l-2} e_{l-1} + 1, s̃ u_l): G has the merged bias column)
 * Formulas may define more symbols (z, a, …) in their `definitions`; H formulas may use HO and HF,
 * the catalog's own predictions for rank(H_O) and rank(H_F). docs/cnn.md derives each quantity.
 */
import { convolutionalInputDimension, convolutionalParameterCount, type Convolutional } from '../architecture/convolutional.js';
import type { Scope } from '../catalog/expression.js';
import { convolutionalGeometry, usedInputIndices, type ConvolutionalGeometry } from './geometry.js';
import { mergeOneByOne } from './merge.js';
import { loadCatalog } from '../catalog/catalog.js';
import { catalogRanks, scopeSources } from './catalogRanks.js';
import type { PredictedRank } from '../catalog/predict.js';
import { aboveFirstConvolution } from './tail.js';
import { biasFunctionalColumns, columnPatchSpans, functionalColumns, type BiasColumnSizes, type ColumnSizes } from './functionalColumns.js';
import { topKernelRank, topTangentRank } from './topTangent.js';
import { augmentedProjectedRank, augmentedSpanRank, dataSpanRank, denseProjectedRank, stackNullRank } from './stackNull.js';
import { largestPatch, patchRank } from './patchRank.js';
import { kernelTangent } from './kernelTangent.js';
import { ownMixingRank, patchSpanRank } from './patchSpan.js';
import { columnDifferentialRank } from './columnDifferential.js';
import { pencilStabiliser } from './pencilStabiliser.js';
import { aboveMixingRanks } from './aboveMixing.js';
import type { ConvolutionGeometry } from './toeplitz.js';
import { boundedMemo } from './memo.js';

export const convolutionalSymbols: Record<string, string> = {
  c0: 'input channels c_0',
  c: 'channels of conv layers 1..L-1, c[l] = c_l',
  n0: 'input positions n_0',
  n: 'positions of the output of conv l, n[l]',
  u0: 'input positions some output depends on',
  u: 'used positions of conv l’s output',
  k: 'kernel elements κ_l of conv l',
  e: 'effective kernel elements of conv l (offsets that ever read a used, real input)',
  t: 'upper bound on rank T_l restricted to used rows and columns',
  h: 'effective channels of conv l’s output, h_l = min(c_l, h_{l-1} e_l)',
  g: 'effective elements of the composed kernel of conv 1..j (Infinity when a later layer pads)',
  b: 'kernel-rank bottleneck of conv 1..j: min_i c_i ∏_{l=i+1}^{j} k_l',
  y: 'symmetry-reduced parameters of conv l: c_l max(0, h_{l-1} e_l − c_l)',
  P: 'parameters of conv layers below layer j that H_F sees, Σ_{l<j} c_l c_{l-1} e_l (j = 1..L)',
  x: 'bound on the rank of the H_F block coupling layer j to the layers below it (j = 1..L)',
  nk: 'null directions of H in the kernel of conv l (≥ nu): λ ⊗ μ with λ unseen by the layers above and μ orthogonal to the patches of the s images at map l−1, added to nu; also c_l (c_{l-1} e_l − π_l) − K(z_{l-1} − s)_+ − (x_l − 1)_+',
  nu: 'null directions of H in the kernel of conv l that reads only channels map l−1 cannot carry: max(0, c_l (c_{l-1} − h_{l-1}) e_l − max(0, x_l − 1))',
  xb: 'x with bias: bound on the rank of the H_F block coupling layer j to the (affine) layers below it (j = 1..L)',
  nfb: 'with bias, null directions of H_F on conv j−1 at level j ≥ 3 of the block recursion: (c_{j-1} − ĥ̃_{j-1}) (c_{j-2} e_{j-1} + 1 − min(π̂_{j-1}, s̃_j u_{j-1}))_+, s̃_L = s̃ (j = 1..L)',
  pb: 'with bias, bound on the span of the augmented patches [patch_t(z); 1] conv l reads from map l−1: c_0 e_1 + 1 for conv 1, ω_{l-1} e_l + 1 (min(c_{l-1}, ω_{l-1} + 1) e_l + 1 when conv l pads)',
  nub: 'with bias, null directions of H on conv l alone: conv 1 vanishing on the augmented patches of the N samples; l ≥ 2 reading no channel of map l−1, less x̃_l − 1, or vanishing on its augmented patches, less x̃_l',
  nkb: 'with bias, null directions of H on conv l alone (≥ nub): λ ⊗ μ̃ with λ unseen above or killed by the next kernel and μ̃ = (kernel, bias) orthogonal to the augmented patches of the s̃ augmented images; all of R^{c_l} ⊗ (augmented patch span)^⊥ less K(z̃_{l-1} − s̃)_+ and x̃_l',
  hd: 'channels the layers above conv l read: the channel vectors of Λ_l = (W T_{L-1} ⋯ T_{l+1})ᵀ Σ lie in a space of dimension ĥ_l; ĥ_{L-1} = min(c_{L-1}, s u_{L-1}), ĥ_l = min(c_l, ĥ_{l+1} e_{l+1})',
  pz: 'span of the patches of the s images at map l−1 that conv l reads: π_l = min(c_{l-1} e_l, h_{l-1} e_l, s u_l, c_0 g_l)',
  cf: 'bound on the rank of layer l’s column block of H_F (l = 1..L: conv 1..L−1, then the dense layer; src/cnn/functionalColumns.ts)',
  cfb: 'with bias, bound on the rank of layer l’s (kernel, bias) column block of H_F (l = 1..L: conv 1..L−1, then the dense layer; src/cnn/functionalColumns.ts)',
  hb: 'with bias, dimension ω_l of the channel space of conv l’s output less its bias: ω_1 = min(c_1, c_0 e_1), ω_l = min(c_l, e_l min(c_{l-1}, ω_{l-1} + 1))',
  yb: 'with bias, conv l’s kernel directions left after channel mixing and the directions along 1ᵀ are absorbed: c_l max(0, ω_{l-1} e_l − c_l)',
  Pb: 'parameters below layer j with their biases, Σ_{l<j} c_l (c_{l-1} e_l + 1) (j = 1..L)',
  ot: 'bound on dim of the dense coupling projected off col Z_{L-1}: the generic rank ω of b ↦ T_{L-1}(b)V modulo col T_{L-1}(w) when Z_{L-2} has full row rank (t_j = c_j u_j below the last convolution, r ≥ c_{L-2} u_{L-2}), else c_{L-1} c_{L-2} e_{L-1} + s t_{L-1}',
  nt: 'null directions of H in the last convolution’s kernel: its c_{L-1} c_{L-2} e_{L-1} effective entries less the generic rank of b ↦ (W T_{L-1}(b), T_{L-1}(b) V) (V the s images at map L−2; 0 when the matrix is too large)',
  og: 'ω_g: the generic rank of (b, R) ↦ dP(b) V_0 + P B_0 R over every convolution’s kernel b, less s′ ẑ_{L-1}: the dense layer’s coupling projected off col Z_{L-1} (src/cnn/stackNull.ts); c_{L-1} c_{L-2} e_{L-1} + s t_{L-1} where not computed',
  rs: 'ρ_l: the generic rank of b ↦ (J v, the blocks of H_F v on the layers above conv l) at generic kernels and a generic basis of the data span (src/cnn/stackNull.ts); c_l c_{l-1} e_l where not computed (too large, or where the count it gives cannot exceed nk_l)',
  rz: 'ẑ_l: the generic rank of Z_l = T_l ⋯ T_1 X on used coordinates, l = 1..L−2 (src/cnn/stackNull.ts); 0 where not computed',
  rsb: 'with bias, ρ̃_l: the generic rank of (b, β) ↦ (J v, the blocks of H_F v on the layers above conv l) over conv l’s kernel and bias, on the augmented maps at generic kernels, biases and a generic basis of the augmented data span (src/cnn/stackNull.ts); c_l (c_{l-1} e_l + 1) where not computed',
  rzb: 'with bias, ẑ̃_l: the generic rank of Z̃_l = [Z_l; 1ᵀ] on used coordinates, l = 1..L−2 (src/cnn/stackNull.ts); 0 where not computed',
  nsb: 'with bias, null directions of H on conv l alone: the larger of nkb and c_l (c_{l-1} e_l + 1) − ρ̃_l − min(x̃_l, s̃ (c_{l-1} u_{l-1} + 1 − ẑ̃_{l-1})) (conv 1: nothing below), ρ̃_l = rsb_l',
  owb: 'with bias, ω̃_j (maps j = 1..L−1): the generic rank of the affine stack’s tangent dθ ↦ dZ_j(dθ) at the s̃ augmented images modulo col Z̃_j, (dθ, R) ↦ [dZ_j(dθ) V_0; 0] + B̃_j R less σ̃ ẑ̃_j (src/cnn/stackNull.ts); three convolutions, where it can matter; s̃ (c_j u_j + 1) elsewhere',
  nsp: 'with bias, null directions of H on conv l alone: max(nsb_l, c_l (c_{l-1} e_l + 1) − ρ̃_l − ω̃_{l-1}) (conv 1: nsb_1), ρ̃_l = rsb_l, ω̃_{l-1} = owb_{l-1}',
  nab: 'with bias, null directions of H on conv l alone (≥ nsb): on an unpadded conv 2, kernels b ∈ 𝒰_1^⊥ ⊗ R^{e_2} (𝒰_1 the channel space of the linear part of map 1, dim ω*_1) with the bias −Σ_e ⟨b_e, b_1⟩, less their coupling to conv 1, ≤ min(x̃_2, (c_1 − ω*_1) min(c_0 e_1 + 1, s̃ u_1))',
  ns: 'null directions of H on conv l alone: the largest of nk, nt (the last convolution) and c_l c_{l-1} e_l − ρ_l − min((x_l − 1)_+, s (c_{l-1} u_{l-1} − ẑ_{l-1})), ρ_l the generic rank of b ↦ (J v, the blocks of H_F v on the layers above conv l) (src/cnn/stackNull.ts; not counted when the matrix is too large)',
  D: 'spatial dimensions (1 or 2)',
  Q: 'input-side symmetries of conv l: dim of the position maps its Toeplitz pattern absorbs (1 when windows slide)',
  A: 'kernels conv l’s input-side symmetries reach: dim{v : T_l(w) Q = T_l(v)} at generic w',
  R: 'input shifts per channel that conv l maps to a bias (T_l(w) ρ constant on each output channel)',
  merges: '1 when a 1×1 unpadded convolution can be merged into its neighbour (l ≥ 2 into the one below, or a stride-1 first one into the second; src/cnn/merge.ts), else 0',
  HOm: 'predicted rank(H_O) of the CNN with that 1×1 convolution merged (Infinity when none)',
  HFm: 'predicted rank(H_F) of the merged CNN (Infinity when none)',
  Hm: 'predicted rank(H) of the merged CNN (Infinity when none)',
  mc: 'merge cost 2 c_{l-1} min(c_l, c_{l-2} e_{l-1}) (with bias c_{l-2} e_{l-1} + 1): rank of the second-order term of the reparametrisation',
  mup: '1 when the merge is of a 1×1 convolution l ≥ 2 into conv l−1 (not a first-layer merge), else 0',
  mw: 'channels c_{l-1} the merge of conv l ≥ 2 removes (Infinity when none)',
  mq: 'min(c_{l-1}, c_l, c_{l-2} e_{l-1}, s u_l) (with bias min(c_{l-1}, c_l, c_{l-2} e_{l-1} + 1, s̃ u_l)): bound on the overlap rank q of the merge of conv l ≥ 2 (Infinity when none)',
  z: 'defined per formula',
  a: 'defined per formula',
  zp: 'defined per formula',
  pt: 'π_1: rank of conv 1’s patch matrix at s generic images (rank H_F = 2 c_1 π_1 for one convolution; src/cnn/patchRank.ts); Infinity when not determined',
  ptb: 'π̃_1: rank of conv 1’s patch matrix with the bias column at s̃ generic augmented images (rank H_F = 2 c_1 π̃_1 for one convolution with bias); Infinity when not determined',
  kt: 'κ_t: directions conv 1’s kernel adds to the dense layer’s tangent on full-rank data (one convolution; src/cnn/kernelTangent.ts), ≤ c_1 max(0, c_0 e_1 − c_1); Infinity for several convolutions',
  sg: 'ς: two convolutions, no bias, s = 1: the dimension of the stabiliser {(Q, R): Q P_j = P_j R} of conv 2’s patch pencil as directions (w_1 Q, −R V) of conv 1 and the dense layer modulo those H_F does not see (src/cnn/pencilStabiliser.ts); 1 elsewhere',
  HFt: 'predicted rank(H_F) of the CNN above conv 1 (conv 2 … dense on conv 1’s output, src/cnn/tail.ts; with bias on r̃ samples), for two or three convolutions (Infinity otherwise)',
  HO: 'the catalog’s prediction of rank(H_O) (H formulas only)',
  HF: 'the catalog’s prediction of rank(H_F) (H formulas only)',
};

/** Generic data rank of what the network reads: min(N, c_0 u_0). */
export function convolutionalDataRank(net: Convolutional, geometry = convolutionalGeometry(net)): number {
  return Math.min(net.samples, net.inputChannels * geometry.used[0]!);
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Scopes built so far, per architecture and data rank (src/cnn/memo.ts): a scope is never modified after it is built. */
const scopes = boundedMemo<Scope>(256);

export function convolutionalScope(net: Convolutional, dataRank?: number, geometry?: ConvolutionalGeometry): Scope {
  return scopes(JSON.stringify([net, dataRank ?? null]), () => computeScope(net, dataRank, geometry ?? convolutionalGeometry(net)));
}

function computeScope(net: Convolutional, dataRank: number | undefined, geometry: ConvolutionalGeometry): Scope {
  const G = geometry;
  const Lc = net.layers.length;
  const L = Lc + 1;
  // cross-entropy: the loss is invariant along the all-ones output, so the network it sees has K − 1
  // outputs (docs/cnn.md#cross-entropy); every formula is the mse one with K − 1
  const K = net.loss === 'ce' ? net.outputs - 1 : net.outputs;
  const r = dataRank ?? convolutionalDataRank(net, G);
  const s = Math.min(r, K);
  const c = G.channels;
  const u = G.used;
  const n = G.positions;
  const e = G.effectiveKernel;
  const h = G.effectiveChannels;
  const g = G.composedKernel;
  const M = c.slice(1).map((cl, i) => cl * u[i + 1]!);
  const b = c.slice(1).map((_, j) => {
    // conv 1..j+1
    let best = Infinity;
    for (let i = 1; i <= j + 1; i++) {
      let bound = c[i]!;
      for (let l = i + 1; l <= j + 1; l++) bound *= G.kernel[l - 1]!;
      best = Math.min(best, bound);
    }
    return best;
  });
  const y = c.slice(1).map((cl, i) => cl * Math.max(0, h[i]! * e[i]! - cl));
  const P = Array.from({ length: L }, (_, j) => sum(c.slice(1, j + 1).map((cl, i) => cl * c[i]! * e[i]!)));
  const oneByOne = (i: number): boolean => net.layers[i - 1]!.kernel.every((k) => k === 1);
  // π°_i (i ≥ 2): the patches of the s images at map i−1 at generic kernels (src/cnn/patchSpan.ts), bounded by the
  // count π_i; Infinity where not computed. conv i's own directions on the images, T_i(dw_i) Z_{i-1}, span c_i π°_i
  const pg = patchSpans(net, G, s);
  // π_l = min(c_{l-1} e_l, h_{l-1} e_l, s u_l, c_0 g_l, π°_l), 1-based: conv l's own directions on the images span
  // ≤ c_l π_l, of which its channel mixings, c_l min(c_l, π_l), are absorbed by conv l+1
  // (docs/cnn.md#several-convolutions-the-patches-at-a-generic-point)
  const patchCounts = [0, ...columnPatchSpans({ L, s, c, e: [0, ...e], h, u, x: [], hd: [], g: [0, ...g], pg })];
  const mixedOut = patchCounts.map((pi, l) => (l === 0 ? 0 : c[l]! * Math.max(0, pi - c[l]!)));
  // tangent dimension of conv 1..i evaluated on `images` inputs (H_F's coupling blocks factor through it)
  const tangents = new Map<string, number>();
  const stackTangent = (i: number, images: number): number => {
    const key = `${i},${images}`;
    const known = tangents.get(key);
    if (known !== undefined) return known;
    const rank = Math.min(b[i - 1]!, c[i]!, c[0]! * g[i - 1]!);
    const value = Math.min(
      images * c[i]! * u[i]!,
      sum(y.slice(0, i - 1)) + c[i]! * h[i - 1]! * e[i - 1]!,
      // dP_i = T_i dP_{i-1} + T_i(dw_i) P_{i-1}: the stack below, pushed through, plus conv i's own directions
      // (both parts contain P_i V, from scaling w_i and from scaling w_{i-1}: their sum has one dimension less)
      i > 1 ? stackTangent(i - 1, images) + c[i]! * h[i - 1]! * e[i - 1]! - 1 : Infinity,
      // the same two counts with conv i's own directions T_i(dw_i) Z_{i-1} counted exactly: c_i π°_i (≤ c_i h_{i-1} e_i;
      // fewer images span fewer patches, so π°_i at s images serves every `images` ≤ s)
      // (docs/cnn.md#several-convolutions-the-patches-at-a-generic-point)
      i > 1 ? sum(y.slice(0, i - 1)) + c[i]! * pg[i]! : Infinity,
      i > 1 ? sum(mixedOut.slice(1, i)) + c[i]! * patchCounts[i]! : Infinity,
      i > 1 ? stackTangent(i - 1, images) + c[i]! * pg[i]! - 1 : Infinity,
      c[i]! * Math.min(c[0]! * g[i - 1]!, images * u[i]!),
      rank * (c[i]! + c[0]! * g[i - 1]! - rank),
      // a 1×1 conv i ≥ 2: T_i(dw_i) Z = dw_i Z′ lies in R^{c_i} ⊗ row Z′, of which w_i M Z′ (M mixing map i−1's
      // channels, a direction of the stack below) covers col w_i ⊗ row Z′: (c_i − c_{i-1})_+ rank Z′ more
      // (rank Z′ ≤ min(h_{i-1}, images · u_i)) (docs/cnn.md#several-convolutions-the-columns-of-h_f)
      i > 1 && oneByOne(i) ? stackTangent(i - 1, images) + Math.max(0, c[i]! - c[i - 1]!) * Math.min(h[i - 1]!, images * u[i]!) : Infinity,
      // the values, a c_i × (images · u_i) matrix, have rank ≤ h_i (channel vectors in 𝒞_i) at every point: the
      // stack maps into the matrices of rank ≤ ρ, whose tangent space has dimension ρ(c_i + images u_i − ρ)
      // (docs/cnn.md#several-convolutions-the-columns-of-h_f)
      Math.min(h[i]!, images * u[i]!) * (c[i]! + images * u[i]! - Math.min(h[i]!, images * u[i]!)),
    );
    tangents.set(key, value);
    return value;
  };
  // channels the layers above read (docs/cnn.md#the-channels-the-layers-above-read): Λ_l = (W T_{L-1} ⋯ T_{l+1})ᵀ Σ
  // has its channel vectors in a space of dimension ĥ_l, ĥ_{L-1} = min(c_{L-1}, s u_{L-1}),
  // ĥ_l = min(c_l, ĥ_{l+1} e_{l+1}); and rank Λ_l ≤ s_l = min(s, ĥ_l u_l, …, ĥ_{L-1} u_{L-1})
  const hd: number[] = [];
  const sd: number[] = [];
  for (let l = Lc; l >= 1; l--) {
    hd[l] = l === Lc ? Math.min(c[l]!, s * u[l]!) : Math.min(c[l]!, hd[l + 1]! * e[l]!);
    sd[l] = Math.min(l === Lc ? s : sd[l + 1]!, hd[l]! * u[l]!);
  }
  const x = [0];
  for (let j = 2; j <= L; j++) {
    // conv j < L: its block couples to the layers below through Λ_j, which reads ĥ_j of its c_j output
    // channels and has rank ≤ s_j (the images the stack below is evaluated on)
    const parameters = j === L ? K * c[Lc]! * n[Lc]! : hd[j]! * c[j - 1]! * e[j - 1]!;
    x.push(Math.min(parameters, stackTangent(j - 1, j === L ? s : sd[j]!)));
  }
  // with bias (docs/cnn.md#bias): the same recursion on the affine stack, seen through Σ̃ = G X̃ᵀ of
  // rank s̃ = min(r̃, K), r̃ = min(N, r + 1); every convolution has c_l more parameters (its bias)
  const sb = Math.min(net.samples, r + 1, K);
  // with bias (docs/cnn.md#bias-several-convolutions-outer-product-hessian) every bias direction moves the
  // output by v 1ᵀ, absorbed by the dense bias, and so does conv l's kernel acting on map l−1's bias: what
  // is left acts on the channel space of map l−1 less its bias, of dimension ω_{l-1}:
  // ω_0 = c_0, ω_1 = min(c_1, c_0 e_1), ω_l = min(c_l, e_l min(c_{l-1}, ω_{l-1} + 1)) (map l−1 with its bias)
  const hb = [c[0]!];
  for (let l = 1; l <= Lc; l++) hb.push(Math.min(c[l]!, e[l - 1]! * (l === 1 ? c[0]! : Math.min(c[l - 1]!, hb[l - 1]! + 1))));
  // per output channel, conv i's own directions (kernel and bias) on the s̃ augmented images take values
  // ⟨[dw_o; db_o], [patch_t(z); σ]⟩: the augmented patches of map i−1 span ≤ ω_{i-1} e_i + 1 dimensions when
  // conv i does not pad (z = u + b σ at every slot), ≤ min(c_{i-1}, ω_{i-1} + 1) e_i + 1 when it pads
  const augmentedPatches = (i: number): number => {
    if (i === 1) return c[0]! * e[0]! + 1;
    const padded = net.layers[i - 1]!.padding.some((pad) => pad > 0);
    return Math.min(c[i - 1]!, padded ? hb[i - 1]! + 1 : hb[i - 1]!) * e[i - 1]! + 1;
  };
  const Pb = Array.from({ length: L }, (_, j) => sum(c.slice(1, j + 1).map((cl, i) => cl * (c[i]! * e[i]! + 1))));
  // the linear part of map l (map l less its per-channel constant β̄_l): an unpadded convolution maps the constant of
  // map l−1 to a constant, so its channel vectors lie in a space 𝒰*_l of dimension ω*_l = min(c_l, ω*_{l-1} e_l), and in
  // min(c_l, min(c_{l-1}, ω*_{l-1} + 1) e_l) when conv l pads (ω*_0 = c_0) (docs/cnn.md#bias-null-directions-of-the-kernels)
  const linear = [c[0]!];
  for (let l = 1; l <= Lc; l++) {
    const padded = net.layers[l - 1]!.padding.some((pad) => pad > 0);
    linear.push(Math.min(c[l]!, e[l - 1]! * (padded ? Math.min(c[l - 1]!, linear[l - 1]! + 1) : linear[l - 1]!)));
  }
  // conv i ≥ 2's own directions modulo those the stack below gives (mixings M of map i−1: T_i(w_i)(M z) = T_i(w_i M) z; unpadded, the
  // shifts db_{i-1} = δ: T_i(w_i)(δ σ) = (Σ_e w_i[·,·,e] δ) σ), on the model space of its augmented patches: 𝒰*_{i-1}^{e_i} ⊕ 0 +
  // span[β̄; …; β̄; 1] (unpadded, ϖ = ω*_{i-1}) or (𝒰*_{i-1} + span β̄_{i-1})^{e_i} ⊕ R (padded, ϖ = min(c_{i-1}, ω*_{i-1} + 1))
  const ownBeyondBelow = (i: number): number => {
    const padded = net.layers[i - 1]!.padding.some((pad) => pad > 0);
    const varpi = padded ? Math.min(c[i - 1]!, linear[i - 1]! + 1) : linear[i - 1]!;
    return c[i]! * (varpi * e[i - 1]! + 1) - Math.min(c[i]! * e[i - 1]!, c[i - 1]!) * varpi - (padded ? 0 : Math.min(c[i]!, c[i - 1]!));
  };
  // π̃°_i (i ≥ 2): the augmented patches of the s̃ augmented images at map i−1 under the affine stack at generic kernels and
  // biases (src/cnn/patchSpan.ts), bounded by the count min(c_{i-1} e_i + 1, s̃ u_i, π̂_i, ϖ_{i-1} e_i + 1, c_0 g_i + 1); Infinity
  // where not computed. Conv i's own (kernel, bias) directions on the images span exactly c_i π̃°_i
  // (docs/cnn.md#bias-the-patches-and-the-mixings-at-a-generic-point)
  const pgb = biasPatchSpans(net, G, sb, (i) => {
    const padded = net.layers[i - 1]!.padding.some((pad) => pad > 0);
    const varpi = padded ? Math.min(c[i - 1]!, linear[i - 1]! + 1) : linear[i - 1]!;
    return Math.min(c[i - 1]! * e[i - 1]! + 1, sb * u[i]!, augmentedPatches(i), varpi * e[i - 1]! + 1, c[0]! * g[i - 1]! + 1);
  });
  const oneByOneFirst = net.layers[0]!.kernel.every((k) => k === 1);
  // conv l (1-based) without padding maps a per-channel constant of map l−1 to a per-channel constant of map l
  const shiftAbsorbed = (l: number): boolean => net.layers[l - 1]!.padding.every((pad) => pad === 0);
  const biasTangents = new Map<string, number>();
  const biasStackTangent = (i: number, images: number = sb): number => {
    const key = `${i},${images}`;
    const known = biasTangents.get(key);
    if (known !== undefined) return known;
    const rank = Math.min(b[i - 1]!, c[i]!, c[0]! * g[i - 1]!);
    const own = c[i]! * Math.min(augmentedPatches(i), images * u[i]!, pgb[i] ?? Infinity);
    const value = Math.min(
      images * c[i]! * u[i]!,
      // dz_i = T_i dz_{i-1} + T_i(dw_i) z_{i-1} + B_i db_i: per output channel, c_{i-1} e_i + 1 directions on s̃ u_i values
      // (the two parts share T_i z_{i-1}: scaling w_1 and b_1..b_{i-1} gives dz_{i-1} = z_{i-1}, and so does dw_i = w_i)
      // (conv i's own directions also contain the mixings w_i M and, unpadded, the shifts (0, Σ_e w_i[·,·,e] δ) of map i−1, which the
      // stack below gives: on the model space of its augmented patches it adds ≤ ownBeyondBelow(i); a 1×1 conv i adds its own
      // [dw_i | db_i][Z′; σ] modulo col w_i ⊗ row[Z′; σ], rank[Z′; σ] ≤ ω*_{i-1} + 1) (docs/cnn.md#bias-the-columns-of-h_f)
      i > 1
        ? biasStackTangent(i - 1, images) +
          Math.min(
            own - 1,
            ownBeyondBelow(i),
            oneByOne(i) ? Math.max(0, c[i]! - c[i - 1]!) * Math.min(linear[i - 1]! + 1, images * u[i]!) : Infinity,
            // conv i's own directions on the images (c_i π̃°_i) less the mixings and shifts of map i−1 pushed into them, μ̃_i at
            // these images (src/cnn/patchSpan.ts; docs/cnn.md#bias-the-patches-and-the-mixings-at-a-generic-point); only the bias
            // entries read τ̃, so without bias it is not computed
            own - Math.max(1, (net.bias ? ownMixingRank(net, i, images) : undefined) ?? 1),
          )
        : own,
      // no padding after the first layer: one affine convolution (composed kernel, one bias per channel)
      c[i]! * Math.min(c[0]! * g[i - 1]! + 1, images * u[i]!),
      rank * (c[i]! + c[0]! * g[i - 1]! - rank) + c[i]!,
      // a 1×1 conv 1 under conv 2: z_2 = T_2(w_2 [w_1 | b_1]) x̃ + B b_2 on the augmented input x̃ = [x; σ] (padded
      // by conv 2 with zeros, constant channel included), so dz_2 = T_2(V) x̃ + B β: per output channel the augmented
      // patches of x̃, ≤ (c_0 + [conv 2 pads]) e_2 + 1 (unpadded, the constant channel joins the bias)
      i === 2 && oneByOneFirst ? c[2]! * Math.min((c[0]! + (net.layers[1]!.padding.some((pad) => pad > 0) ? 1 : 0)) * e[1]! + 1, images * u[2]!) : Infinity,
      // parameters of conv 1..i less the channel mixings of feature maps 1..i−1, which leave z_i fixed:
      // A ∈ R^{c_l×c_l} moves [w_l | b_l] by A[w_l | b_l] and w_{l+1} by −w_{l+1}A (rank c_l min(c_l, c_{l-1} e_l + 1))
      // (and, when conv l+1 does not pad, the bias shifts b_l ↦ b_l + δ, b_{l+1} ↦ b_{l+1} − Σ_e w_{l+1}[·,·,e] δ, which
      // with the mixings reach row[w_l | b_l] + e_bias on layer l: c_l min(c_l + 1, c_{l-1} e_l + 1))
      i > 1 ? Pb[i]! - sum(c.slice(1, i).map((cl, l) => cl * Math.min(cl + (shiftAbsorbed(l + 2) ? 1 : 0), c[l]! * e[l]! + 1))) : Infinity,
    );
    biasTangents.set(key, value);
    return value;
  };
  // the channels the layers above read, with bias (docs/cnn.md#bias-the-channels-read-a-11-conv-1-and-the-block-elimination-on-conv-1): Λ_l =
  // (W T_{L-1} ⋯ T_{l+1})ᵀ Σ̃ (the biases above multiply nothing below) has its channel vectors in a space of
  // dimension ĥ̃_{L-1} = min(c_{L-1}, s̃ u_{L-1}), ĥ̃_l = min(c_l, ĥ̃_{l+1} e_{l+1}), and rank ≤ s̃_l = min(s̃, ĥ̃_l u_l, …)
  const hdb: number[] = [];
  const sdb: number[] = [];
  for (let l = Lc; l >= 1; l--) {
    hdb[l] = l === Lc ? Math.min(c[l]!, sb * u[l]!) : Math.min(c[l]!, hdb[l + 1]! * e[l]!);
    sdb[l] = Math.min(l === Lc ? sb : sdb[l + 1]!, hdb[l]! * u[l]!);
  }
  const yb = c.slice(1).map((cl, i) => cl * Math.max(0, hb[i]! * e[i]! - cl));
  // kernel directions of conv l that read only the complement of the h_{l-1}-dimensional channel space of
  // map l−1 (zero on every input), less the coupling to the layers below (docs/cnn.md#null-directions-of-the-kernels)
  const nu = c.slice(1).map((cl, i) => Math.max(0, cl * (c[i]! - h[i]!) * e[i]! - Math.max(0, x[i]! - 1)));
  // null directions λ ⊗ μ of conv l's kernel (docs/cnn.md#null-directions-of-the-kernels-tensor-products): λ an
  // output-channel combination the layers above cannot see (A_l (λ ⊗ I) = 0: at least c_l − a_l of them),
  // μ orthogonal to the patches of the s images at map l−1 (at most min(h_{l-1} e_l, s u_l) of them);
  // for l ≥ 2 added to ν_l less the part both families share; and all of R^{c_l} ⊗ (patch span)^⊥ less the
  // K(z_{l-1} − s)_+ dimensions J can reach from it and the x_l − 1 of the coupling to the layers below
  const nk = c.slice(1).map((cl, i) => {
    const l = i + 1;
    const seen = Math.min(cl, K * u[l]!, l < Lc ? c[l + 1]! * e[l]! : Infinity);
    const patches = Math.min(h[l - 1]! * e[l - 1]!, s * u[l]!);
    const tensor = Math.max(0, cl - seen) * Math.max(0, c[l - 1]! * e[l - 1]! - patches);
    // R^{c_l} ⊗ (patch span)^⊥ less what J (≤ K(z_{l-1} − s)_+) and the coupling below (≤ x_l − 1) can reach
    const below = Math.min(r, ...G.toeplitzRank.slice(0, l - 1));
    const unseen = cl * Math.max(0, c[l - 1]! * e[l - 1]! - patches) - K * Math.max(0, below - s) - Math.max(0, x[i]! - 1);
    if (l === 1) return Math.max(tensor, unseen, l < Lc ? Math.max(0, cl - c[l + 1]! * e[l]!) * Math.max(0, c[l - 1]! * e[l - 1]! - Math.min(c[l + 1]! * e[l]!, patches)) : 0);
    // ν_l with the coupling below counted through the channels it can reach: only the part of dw_j (j < l) that
    // leaves 𝒞_j, (c_j − h_j) h_{j-1} e_j, reaches the directions reading 𝒞_{l-1}^⊥ (h_l = dim 𝒞_l for generic kernels)
    let reach = 0;
    for (let j = 1; j < l; j++) reach += (c[j]! - h[j]!) * h[j - 1]! * e[j - 1]!;
    const unreached = Math.max(0, cl * (c[i]! - h[i]!) * e[i]! - Math.min(Math.max(0, x[i]! - 1), reach));
    // λ killed by conv l+1's kernel (w_{l+1} λ = 0): only couplings through dw_{l+1} remain, ≤ min(c_{l+1} e_{l+1}, π_l) conditions on μ
    const next = l < Lc ? Math.max(0, cl - c[l + 1]! * e[l]!) * Math.max(0, c[l - 1]! * e[l - 1]! - Math.min(c[l + 1]! * e[l]!, patches)) : 0;
    return Math.max(tensor, unseen, next, unreached + Math.max(0, cl - seen) * Math.max(0, h[l - 1]! * e[l - 1]! - patches));
  });
  // the columns of H_F (docs/cnn.md#several-convolutions-the-columns-of-h_f), 1-based by layer
  // κ_{l,m}: the blocks of layers m and m + 1 above conv l share the mixings of map m (src/cnn/aboveMixing.ts)
  const withoutMixings = { L, s, c, e: [0, ...e], h, u, x: [0, ...x], hd, g: [0, ...g], pg };
  const kappa = net.bias ? undefined : columnMixingsOf(net, K, withoutMixings);
  const columnSizes = { ...withoutMixings, kappa };
  const xb = [0];
  for (let j = 2; j <= L; j++) {
    const parameters = j === L ? K * c[Lc]! * n[Lc]! : hdb[j]! * c[j - 1]! * e[j - 1]!;
    xb.push(Math.min(parameters, biasStackTangent(j - 1, j === L ? sb : sdb[j]!)));
  }
  // with bias, null directions of H on conv l alone (docs/cnn.md#bias-null-directions-on-one-layer): conv 1's
  // (kernel, bias) directions that vanish on the augmented patches [patch_t(x_i); 1] of the N samples; for
  // l ≥ 2 the larger of the kernel directions reading no channel of map l−1 (with its bias: ≤ ω_{l-1} + 1 of
  // c_{l-1}), less x̃_l − 1, and the (kernel, bias) directions vanishing on map l−1's augmented patches, less x̃_l
  const nub = c.slice(1).map((cl, i) => {
    const l = i + 1;
    const row = c[i]! * e[i]! + 1;
    if (l === 1) return cl * (row - Math.min(row, net.samples * u[1]!, r * u[1]! + 1));
    const reach = Math.min(c[i]!, hb[i]! + 1);
    // conv 2: these directions read conv 1's directions only through the c_1 − reach channels they see
    const through = l === 2 ? (c[1]! - reach) * Math.min(augmentedPatches(1), sb * u[1]!) : Infinity;
    const unreached = cl * (c[i]! - reach) * e[i]! - Math.min(Math.max(0, xb[i]! - 1), through);
    const silent = cl * (row - Math.min(row, net.samples * u[l]!, augmentedPatches(l))) - xb[i]!;
    return Math.max(0, unreached, silent);
  });
  // with bias, more null directions of H on conv l alone (docs/cnn.md#bias-null-directions-of-the-kernels): the
  // λ ⊗ μ̃ of the bias-free count with μ̃ = (kernel, bias) orthogonal to the augmented patches of the s̃ augmented
  // images, π̃_l = min(π̂_l, s̃ u_l); λ unseen by the layers above (A_l (λ ⊗ I) = 0: at least c_l − ã_l), or killed by
  // the next kernel; all of R^{c_l} ⊗ Π̃_l^⊥ less K(z̃_{l-1} − s̃)_+ (J) and x̃_l (the coupling below); ≥ nub
  // the augmented patches conv l reads span ≤ π*_l (through the linear part ω* of map l−1)
  const patchSpan = (l: number): number => {
    if (l === 1) return c[0]! * e[0]! + 1;
    const padded = net.layers[l - 1]!.padding.some((pad) => pad > 0);
    return Math.min(augmentedPatches(l), (padded ? Math.min(c[l - 1]!, linear[l - 1]! + 1) : linear[l - 1]!) * e[l - 1]! + 1);
  };
  const nkb = c.slice(1).map((cl, i) => {
    const l = i + 1;
    const row = c[i]! * e[i]! + 1;
    const patches = Math.min(patchSpan(l), sb * u[l]!);
    // (kernel, bias) directions vanishing on map l−1's augmented patches of every input (ν̃_l's second count with π*_l)
    const silent = cl * (row - Math.min(row, net.samples * u[l]!, patchSpan(l))) - xb[i]!;
    // λ ↦ A_l (λ ⊗ I) factors through the composed kernels of conv l+1..j applied to λ: ≤ c_j ∏_{i=l+1}^{j} e_i
    let seen = Math.min(cl, K * u[l]!);
    for (let j = l + 1, elements = 1; j <= Lc; j++) {
      elements *= e[j - 1]!;
      seen = Math.min(seen, c[j]! * elements);
    }
    const unseen = Math.max(0, cl - seen);
    const tensor = unseen * Math.max(0, row - patches);
    const below = Math.min(Math.min(net.samples, r + 1), ...G.toeplitzRank.slice(0, l - 1).map((t) => t + 1));
    const orthogonal = cl * Math.max(0, row - patches) - K * Math.max(0, below - sb) - xb[i]!;
    // λ killed by the kernels above: w_{l+1} λ = 0 (conditions on μ̃ through dw_{l+1} λ ∈ R^{c_{l+1} e_{l+1}}), or, through a
    // chain of convolutions l+1..j with one effective offset each, w_j ⋯ w_{l+1} λ = 0 (conditions through R^{c_j})
    const killed: [number, number][] = [];
    if (l < Lc) killed.push([Math.max(0, cl - c[l + 1]! * e[l]!), Math.min(c[l + 1]! * e[l]!, patches)]);
    for (let j = l + 1, narrowest = Infinity; j <= Lc && e[j - 1] === 1; j++) {
      narrowest = Math.min(narrowest, c[j]!);
      killed.push([Math.max(0, cl - narrowest), Math.min(c[j]!, patches)]);
    }
    const next = Math.max(0, ...killed.map(([lambdas, conditions]) => lambdas * Math.max(0, row - conditions)));
    let reading = 0;
    if (l >= 2) {
      // the directions reading no channel of map l−1 (nub's first count) meet Λ ⊗ M (M ⊇ Π̃_l^⊥) only in Λ ⊗ ((𝒞 ⊗ R^{e_l})^⊥ ⊕ 0)
      const reach = Math.min(c[i]!, linear[i]! + 1);
      const through = l === 2 ? (c[1]! - reach) * Math.min(augmentedPatches(1), sb * u[1]!) : Infinity;
      const unreached = Math.max(0, cl * (c[i]! - reach) * e[i]! - Math.min(Math.max(0, xb[i]! - 1), through));
      const window = reach * e[i]! + 1;
      reading = unreached + Math.max(unseen * Math.max(0, window - patches), ...killed.map(([lambdas, conditions]) => lambdas * Math.max(0, window - conditions)));
    }
    return Math.max(nub[i]!, silent, tensor, orthogonal, next, reading);
  });
  // with bias (docs/cnn.md#bias-the-columns-of-h_f), κ̃_{l,m} where it can lower U_l (docs/cnn.md#bias-the-patches-and-the-mixings-at-a-generic-point)
  const biasWithoutMixings: BiasColumnSizes = {
    L,
    s: sb,
    c,
    e: [0, ...e],
    u,
    x: [0, ...xb],
    hd: hdb,
    g: [0, ...g],
    linear,
    pg: pgb,
    pb: [0, ...c.slice(1).map((_, i) => augmentedPatches(i + 1))],
    padded: [false, ...net.layers.map((layer) => layer.padding.some((pad) => pad > 0))],
  };
  const kappaBias = net.bias ? biasColumnMixingsOf(net, K, biasWithoutMixings) : undefined;
  const biasCounted = { ...biasWithoutMixings, kappa: kappaBias };
  // ϑ_l: the differential of conv l's gradient (src/cnn/columnDifferential.ts), bounded by col̃_l
  // (docs/cnn.md#bias-the-differential-of-a-convolutions-gradient)
  const counted = net.bias ? biasFunctionalColumns(biasCounted) : [];
  const theta = net.bias ? Array.from({ length: L }, (_, l) => (l >= 2 ? columnDifferentialRank(net, l, K, sb, counted[l - 1]!) : undefined)) : undefined;
  const biasColumnSizes = { ...biasCounted, theta };
  // on an unpadded conv 2 (docs/cnn.md#bias-the-shift-absorbed-by-conv-2): map 1 is U_1 + b_1 at every position, U_1's channel
  // vectors in 𝒰_1 (dimension ω*_1 = rank w_1); a kernel b ∈ 𝒰_1^⊥ ⊗ R^{e_2} maps map 1 to the per-channel constant Σ_e ⟨b_e, b_1⟩,
  // which the bias −Σ_e ⟨b_e, b_1⟩ cancels: c_2 (c_1 − ω*_1) e_2 directions with dz_2 = 0, coupled to conv 1 only through its c_1 − ω*_1
  // channels off 𝒰_1 (on the s̃ augmented images: ≤ (c_1 − ω*_1) min(c_0 e_1 + 1, s̃ u_1)) and ≤ x̃_2
  const stacked = biasStackNull(net, G, K, sb, r, nkb, xb);
  const nab = stacked.nsb.map((value, i) => {
    if (i !== 1 || net.layers[1]!.padding.some((pad) => pad > 0)) return value;
    const off = c[1]! - linear[1]!;
    return Math.max(value, c[2]! * off * e[1]! - Math.min(xb[1]!, off * Math.min(c[0]! * e[0]! + 1, sb * u[1]!)));
  });
    // the predictions behind HOm, HFm, Hm and HFt (./catalogRanks.ts: a formula reading them inherits their status)
  const sources: Partial<Record<string, PredictedRank>> = {};
  const scope: Scope = {
    d: convolutionalInputDimension(net),
    K,
    N: net.samples,
    r,
    L,
    p: convolutionalParameterCount(net),
    q: Math.min(r, ...M, K),
    s,
    M,
    w: [c[0]! * u[0]!, ...M, K],
    c0: c[0]!,
    c: c.slice(1),
    n0: n[0]!,
    n: n.slice(1),
    u0: u[0]!,
    u: u.slice(1),
    k: G.kernel,
    e,
    t: G.toeplitzRank,
    h: h.slice(1),
    g,
    b,
    y,
    P,
    x,
    nu,
    nk,
    xb,
    pb: c.slice(1).map((_, i) => augmentedPatches(i + 1)),
    // with bias, null directions of H_F at level j ≥ 3 (docs/cnn.md#bias-null-directions-of-h_f-on-the-top-convolution-of-a-block):
    // conv j−1's λ ⊗ μ, λ off the ĥ̃_{j-1} channels Λ_{j-1} reads, μ orthogonal to map j−2's augmented patches on
    // the s̃_j images the stack below layer j is read on (in ker E_j and in the kernel of the Hessian below)
    nfb: Array.from({ length: L }, (_, i) => {
      const j = i + 1;
      if (j < 3) return 0;
      const l = j - 1;
      const images = j === L ? sb : sdb[j]!;
      return (c[l]! - hdb[l]!) * Math.max(0, c[l - 1]! * e[l - 1]! + 1 - Math.min(augmentedPatches(l), images * u[l]!));
    }),
    nub,
    nkb,
    nab,
    Pb,
    hb: hb.slice(1),
    yb,
    hd: hd.slice(1),
    pz: columnPatchSpans(columnSizes),
    cf: functionalColumns(columnSizes),
    // with bias (docs/cnn.md#bias-the-columns-of-h_f)
    cfb: biasFunctionalColumns(biasColumnSizes),
    ot: lastConvolutionTangent(net, G, r),
    nt: lastKernelNull(net, G, K, s),
    ...stackNull(net, G, K, s, r, nk, x, lastKernelNull(net, G, K, s)),
    og: denseProjected(net, G, K, s, r, x),
    ...stacked,
    D: G.dims,
    Q: G.positionSymmetry,
    A: G.absorbedKernel,
    R: G.shifts,
    // with bias the overlap bound of a merge reads the s̃ augmented images
    ...mergeSymbols(net, dataRank, e, net.bias ? sb : s, u, sources),
    HFt: aboveFirstRank(net, r, sources),
    // two convolutions, s = 1: the stabiliser of conv 2's patch pencil (src/cnn/pencilStabiliser.ts)
    sg: pencilStabiliser(net, s),
    ...firstConvolutionSymbols(net, G, K, s, sb),
  };
  scopeSources.set(scope, sources);
  scopeMixings.set(scope, kappa ?? kappaBias ?? []);
  scopeBiasSpans.set(scope, pgb);
  scopeDifferentials.set(scope, theta ?? []);
  // μ̃_i at the s̃ images (the dense coupling x̃_L) and at the s̃_j images of each block x̃_j (j < L), as τ̃ read them
  if (net.bias)
    scopeOwnMixings.set(scope, {
      full: Array.from({ length: Lc + 1 }, (_, i) => (i >= 2 ? ownMixingRank(net, i, sb) : undefined)),
      read: Array.from({ length: L + 1 }, (_, j) => Array.from({ length: j }, (_, i) => (i >= 2 && j >= 3 && j < L ? ownMixingRank(net, i, sdb[j]!) : undefined))),
    });
  return scope;
}

/**
 * Z_{L-2} =
 * T_{L-2} ⋯ T_1 X restricted to used coordinates has full row rank c_{L-2} u_{L-2} for generic kernels and data
 * when every T_j (j ≤ L−2) has full row rank on used coordinates — t_j = c_j u_j, the generic rank, certain since it
 * is the row count — (the product of full-row-rank matrices has full row rank; used columns of map j are exactly
 * those its used rows read) and the data span has dimension r ≥ c_{L-2} u_{L-2} (rank(P U) = min(rank P, r) for a
 * generic basis U of the data span). For one convolution the condition is r = c_0 u_0.
 */
/**
 * κ_{l,m} (src/cnn/aboveMixing.ts) where it can lower U_l = min(c_l π_l, Σ_{m>l} x_m − Σ_{l<m<L} κ_{l,m}): it is computed
 * only for the conv l with Σ_{m>l} x_m − Σ_{l<m<L} min(c_m², x_m, x_{m+1}) < c_l π_l (κ_{l,m} ≤ c_m², and ≤ the ranks x_m,
 * x_{m+1} of the two blocks that share it); elsewhere undefined (1).
 */
function columnMixingsOf(net: Convolutional, K: number, z: ColumnSizes): (number | undefined)[][] {
  const { L, c, x } = z;
  const pi = [0, ...columnPatchSpans(z)];
  const needed: number[] = [];
  for (let l = 1; l <= L - 2; l++) {
    let above = 0;
    let most = 0;
    for (let m = l + 1; m <= L; m++) above += x[m]!;
    for (let m = l + 1; m <= L - 1; m++) most += Math.max(1, Math.min(c[m]! * c[m]!, x[m]!, x[m + 1]!));
    if (above - most < c[l]! * pi[l]!) needed.push(l);
  }
  return needed.length === 0 ? [] : aboveMixingRanks(net, K, z.s, needed);
}

/**
 * With bias, κ̃_{l,m} (src/cnn/aboveMixing.ts on the augmented images) where it can lower U_l: for the conv l whose column
 * bound falls when every κ̃_{l,m} takes its largest possible value min(c_m², x̃_m, x̃_{m+1}); elsewhere undefined (1).
 */
function biasColumnMixingsOf(net: Convolutional, K: number, z: BiasColumnSizes): (number | undefined)[][] {
  const { L, c, x } = z;
  const most: number[][] = Array.from({ length: L }, () => []);
  for (let l = 1; l <= L - 2; l++) for (let m = l + 1; m <= L - 1; m++) most[l]![m] = Math.max(1, Math.min(c[m]! * c[m]!, x[m]!, x[m + 1]!));
  const before = biasFunctionalColumns(z);
  const best = biasFunctionalColumns({ ...z, kappa: most });
  const needed: number[] = [];
  for (let l = 1; l <= L - 2; l++) if (best[l - 1]! < before[l - 1]!) needed.push(l);
  return needed.length === 0 ? [] : aboveMixingRanks(net, K, z.s, needed, true);
}

/**
 * The κ_{l,m} (κ̃_{l,m} with bias) the columns of H_F read at this architecture and data rank (what convolutionalScope used; `derive --cnn`
 * names them): kappa[l][m], undefined where not computed.
 */
export function columnMixings(net: Convolutional, dataRank?: number): (number | undefined)[][] {
  return scopeMixings.get(convolutionalScope(net, dataRank)) ?? [];
}

/** The κ_{l,m} each scope's columns read. */
const scopeMixings = new WeakMap<Scope, (number | undefined)[][]>();

/** The μ̃_i each scope's τ̃ read: full[i] at the s̃ images, read[j][i] at the s̃_j images of x̃_j (j < L); undefined where not computed. */
const scopeOwnMixings = new WeakMap<Scope, { full: (number | undefined)[]; read: (number | undefined)[][] }>();

/**
 * μ̃_i (src/cnn/patchSpan.ts ownMixingRank) as τ̃ read it at this architecture and data rank (`derive --cnn` names them mub{i} and
 * mub{i}j{j}): full[i] at the s̃ images, read[j][i] at the s̃_j images of the block x̃_j; undefined where not computed.
 */
export function biasOwnMixings(net: Convolutional, dataRank?: number): { full: (number | undefined)[]; read: (number | undefined)[][] } {
  return scopeOwnMixings.get(convolutionalScope(net, dataRank)) ?? { full: [], read: [] };
}

/** The ϑ_l each scope's bias columns read (index l; undefined where not computed). */
const scopeDifferentials = new WeakMap<Scope, (number | undefined)[]>();

/** ϑ_l (src/cnn/columnDifferential.ts) at this architecture and data rank, index l (`derive --cnn` names them cdb{l}); undefined where not computed. */
export function biasColumnDifferentials(net: Convolutional, dataRank?: number): (number | undefined)[] {
  return scopeDifferentials.get(convolutionalScope(net, dataRank)) ?? [];
}

/** The π̃°_l each scope's bias bounds read (index l; Infinity where not computed). */
const scopeBiasSpans = new WeakMap<Scope, number[]>();

/**
 * π̃°_l, l = 1..L−1, at this architecture and data rank (what convolutionalScope used; `derive --cnn` names them pgb{l}):
 * index l, Infinity where not computed (and at l ≤ 1: π̃_1 is conv 1's own count).
 */
export function biasGenericPatchSpans(net: Convolutional, dataRank?: number): number[] {
  return scopeBiasSpans.get(convolutionalScope(net, dataRank)) ?? [];
}

/**
 * π̃°_l, l = 2..L−1 (index l; indices 0 and 1 Infinity): the rank of the augmented patches of s̃ generic augmented images at
 * map l−1 under the affine stack at generic kernels and biases (src/cnn/patchSpan.ts), bounded by count(l).
 */
function biasPatchSpans(net: Convolutional, G: ConvolutionalGeometry, sb: number, count: (l: number) => number): number[] {
  if (!net.bias) return [];
  const spans = [Infinity, Infinity];
  for (let l = 2; l <= net.layers.length; l++) spans.push(patchSpanRank(net, l, sb, count(l), true) ?? Infinity);
  return spans;
}

/**
 * π°_l, l = 1..L−1 (index l; index 0 and 1 Infinity: π_1 is pz's own count): the rank of the patches of s generic
 * images at map l−1 at generic kernels (src/cnn/patchSpan.ts), bounded by the count
 * π_l = min(c_{l-1} e_l, h_{l-1} e_l, s u_l, c_0 g_l); Infinity where it is not computed.
 */
export function patchSpans(net: Convolutional, G: ConvolutionalGeometry, s: number): number[] {
  const c = G.channels;
  const spans = [Infinity, Infinity];
  for (let l = 2; l <= net.layers.length; l++) {
    const e = G.effectiveKernel[l - 1]!;
    const count = Math.min(c[l - 1]! * e, G.effectiveChannels[l - 1]! * e, s * G.used[l]!, c[0]! * G.composedKernel[l - 1]!);
    spans.push(patchSpanRank(net, l, s, count) ?? Infinity);
  }
  return spans;
}

function fullRowRankBelowTop(c: readonly number[], u: readonly number[], t: readonly number[], r: number): boolean {
  const top = c.length - 1;
  for (let j = 1; j < top; j++) if (t[j - 1]! < c[j]! * u[j]!) return false;
  return r >= c[top - 1]! * u[top - 1]!;
}

/**
 * ot: with Z_{L-2} of full row rank, col Z_{L-1} = col T_{L-1}(w) and the dense coupling projected off it is
 * the last convolution's T_{L-1}(b)V modulo col T_{L-1}(w), of dimension ω (src/cnn/topTangent.ts); otherwise
 * the count c_{L-1} c_{L-2} e_{L-1} (its kernel entries) + s t_{L-1} (the lower layers, s copies of col T_{L-1}).
 */
export function lastConvolutionTangent(net: Convolutional, G: ConvolutionalGeometry, r: number): number {
  const K = net.loss === 'ce' ? net.outputs - 1 : net.outputs;
  const s = Math.min(r, K);
  const { channels: c, used: u, effectiveKernel: e, toeplitzRank: t } = G;
  const top = c.length - 1;
  const count = c[top]! * c[top - 1]! * e[top - 1]! + s * t[top - 1]!;
  if (!fullRowRankBelowTop(c, u, t, r)) return count;
  return Math.min(count, topTangentRank(net, top, s, t[top - 1]!) ?? Infinity);
}

/**
 * nt: the b of the last convolution with W T_{L-1}(b) = 0 and T_{L-1}(b) V = 0 (J v = 0, no coupling to the dense
 * layer) number c_{L-1} c_{L-2} e_{L-1} − g at a generic point, g = topKernelRank (src/cnn/topTangent.ts); their
 * coupling to the layers below, ⟨G, W T_{L-1}(b) dZ_{L-2}⟩, vanishes too (W T_{L-1}(b) = 0): all are null directions of H.
 */
/** nt at the architecture's generic data rank (what convolutionalScope gives without a data rank), without the rest of the scope. */
export function lastConvolutionNull(net: Convolutional, G: ConvolutionalGeometry = convolutionalGeometry(net)): number {
  const K = net.loss === 'ce' ? net.outputs - 1 : net.outputs;
  return lastKernelNull(net, G, K, Math.min(convolutionalDataRank(net, G), K));
}

function lastKernelNull(net: Convolutional, G: ConvolutionalGeometry, K: number, s: number): number {
  const top = G.channels.length - 1;
  const g = topKernelRank(net, top, K, s);
  if (g === undefined) return 0;
  return Math.max(0, G.channels[top]! * G.channels[top - 1]! * G.effectiveKernel[top - 1]! - g);
}

/**
 * rs: per convolution l, ρ_l = the generic rank of b ↦ (J v, the blocks of H_F v on the layers above conv l)
 * (src/cnn/stackNull.ts), or its c_l c_{l-1} e_l effective entries where it is not computed (too large, or where the
 * count cannot exceed nk_l, and nt for the last convolution). rz: per map l = 1..L−2 below a convolution, ẑ_l = the
 * generic rank of Z_l = T_l ⋯ T_1 X (src/cnn/stackNull.ts), or 0 where not computed.
 * ns: the larger of nk_l (nt) and c_l c_{l-1} e_l − ρ_l − min((x_l − 1)_+, s (c_{l-1} u_{l-1} − ẑ_{l-1})): on these b the
 * blocks of H_F on the layers below have rank ≤ x_l − 1 (Euler) and read only the lower stack's tangent at the s images
 * off col Z_{l-1} (J v = 0 makes W T_{L-1} ⋯ T_l(b) vanish on col Z_{l-1})
 * (docs/cnn.md#null-directions-of-a-convolution-under-the-stack-above-it).
 */
function stackNull(net: Convolutional, G: ConvolutionalGeometry, K: number, s: number, r: number, nk: readonly number[], x: readonly number[], nt: number): { rs: number[]; rz: number[]; ns: number[] } {
  const { channels: c, effectiveKernel: e, used: u } = G;
  const Lc = c.length - 1;
  const rs: number[] = [];
  const rz: number[] = Array.from({ length: Math.max(0, Lc - 1) }, () => 0);
  const ns: number[] = [];
  nk.forEach((counted, i) => {
    const l = i + 1;
    const known = l === Lc ? Math.max(counted, nt) : counted;
    const entries = c[l]! * c[l - 1]! * e[l - 1]!;
    // the coupling below on them: ≤ x_l − 1 (Euler) and ≤ s (c_{l-1} u_{l-1} − ẑ_{l-1}), ẑ_{l-1} computed only where it can matter
    let below = l === 1 ? 0 : Math.min(Math.max(0, x[i]! - 1), s * c[l - 1]! * u[l - 1]!);
    // ẑ_{l-1} ≤ min(r, t_1, …, t_{l-1}, c_{l-1} u_{l-1}): computed only where that can lower the bound
    const spanBound = Math.min(r, c[l - 1]! * u[l - 1]!, ...G.toeplitzRank.slice(0, l - 1));
    // (a bias CNN reads nsb instead: not computed)
    if (!net.bias && Lc >= 2 && entries - 1 > known && s * (c[l - 1]! * u[l - 1]! - spanBound) < below) {
      // the coupling below reads the lower stack's tangent off col Z_{l-1}: ≤ s (c_{l-1} u_{l-1} − ẑ_{l-1})
      rz[l - 2] = dataSpanRank(net, l - 1, r) ?? 0;
      below = Math.min(below, s * (c[l - 1]! * u[l - 1]! - rz[l - 2]!));
    }
    // ρ_l ≥ 1: the Euler direction b = w_l has J v = W T_{L-1} ⋯ T_1 X ≠ 0
    const rho = net.bias || Lc < 2 || entries - 1 - below <= known ? undefined : stackNullRank(net, l, K, s, r);
    rs.push(rho ?? entries);
    ns.push(Math.max(known, entries - (rho ?? entries) - below));
  });
  return { rs, rz, ns };
}

/**
 * With bias (docs/cnn.md#bias-null-directions-of-a-convolution-under-the-stack-above-it): rsb_l = ρ̃_l, the generic rank of
 * (b, β) ↦ (J v, the blocks of H_F v on the layers above conv l) over conv l's kernel and bias (src/cnn/stackNull.ts, on
 * the augmented maps), or its c_l (c_{l-1} e_l + 1) entries where not computed (too large, or where the count cannot
 * exceed nkb_l); rzb_{l-1} = ẑ̃_{l-1} (0 where not computed); nsb_l = max(nkb_l, c_l (c_{l-1} e_l + 1) − ρ̃_l − β̃_l),
 * β̃_l = min(x̃_l, s̃ (c_{l-1} u_{l-1} + 1 − ẑ̃_{l-1})): on these directions the blocks of H_F on the layers below have rank ≤ x̃_l
 * (no Euler direction is subtracted with bias; conv 1 has none below) and read the lower stack's tangent at the s̃ augmented
 * images only off col Z̃_{l-1}, which has codimension c_{l-1} u_{l-1} + 1 − ẑ̃_{l-1}. Without bias: nkb.
 * With three convolutions (docs/cnn.md#bias-the-lower-stacks-tangent-off-col-z_j): owb_j = ω̃_j, the dimension of that tangent
 * modulo col Z̃_j at a generic point (src/cnn/stackNull.ts; s̃ (c_j u_j + 1) where not computed), for j = l − 1 where conv l's
 * count can gain and for j = L − 1 where the dense layer couples; nsp_l = max(nsb_l, c_l (c_{l-1} e_l + 1) − ρ̃_l − ω̃_{l-1}),
 * ρ̃_l computed also where ω̃_{l-1} lets that count exceed nkb_l.
 */
/** Deepest bias CNN (convolutions) whose ρ̃_l are computed. */
const largestBiasStack = 3;
/** The bias CNNs (convolutions) whose ω̃_j are computed (docs/cnn.md#bias-the-lower-stacks-tangent-off-col-z_j). */
const tangentDepth = 3;

function biasStackNull(net: Convolutional, G: ConvolutionalGeometry, K: number, sb: number, r: number, nkb: readonly number[], xb: readonly number[]): { rsb: number[]; rzb: number[]; nsb: number[]; owb: number[]; nsp: number[] } {
  const { channels: c, effectiveKernel: e, used: u } = G;
  const Lc = c.length - 1;
  const rb = Math.min(net.samples, r + 1);
  const rsb: number[] = [];
  const rzb: number[] = Array.from({ length: Math.max(0, Lc - 1) }, () => 0);
  const nsb: number[] = [];
  // ω̃_j (maps j = 1..L−1): the lower stack's tangent at the s̃ augmented images off col Z̃_j, three convolutions only; the count
  // s̃ (c_j u_j + 1) where not computed (never below s̃ (c_j u_j + 1 − ẑ̃_j))
  const owb = c.slice(1).map((cj, j) => sb * (cj * u[j + 1]! + 1));
  const tangent = net.bias && Lc === tangentDepth;
  const nsp: number[] = [];
  nkb.forEach((known, i) => {
    const l = i + 1;
    const entries = c[l]! * (c[l - 1]! * e[l - 1]! + 1);
    // the coupling below on them: ≤ x̃_l, and ≤ s̃ (c_{l-1} u_{l-1} + 1 − ẑ̃_{l-1}) (the lower stack's tangent at the s̃
    // augmented images, off col Z̃_{l-1}); ẑ̃_{l-1} computed only where it can lower the count's bound
    let below = l === 1 ? 0 : Math.max(0, xb[i]!);
    // the least the coupling below can be: s̃ (c_{l-1} u_{l-1} + 1 − ẑ̃_{l-1}) with ẑ̃_{l-1} at its largest, min(r̃, t_j + 1, c_{l-1} u_{l-1} + 1)
    const rows = l === 1 ? 0 : c[l - 1]! * u[l - 1]! + 1;
    const least = l === 1 ? 0 : Math.min(below, sb * (rows - Math.min(rb, rows, ...G.toeplitzRank.slice(0, l - 1).map((t) => t + 1))));
    // ρ̃_l ≥ 1 (the direction (w_l, b_l) moves the output), so the count exceeds nkb_l only if entries − 1 − least does
    // (computed for two and three convolutions: with four, derive --cnn --bias keeps its time)
    // ω̃_{l-1} (three convolutions), computed where the count with no other coupling could exceed nkb_l
    if (tangent && l >= 2 && least > 0 && entries - 1 > known) owb[l - 2] = Math.min(owb[l - 2]!, augmentedProjectedRank(net, l - 1, sb, r, net.samples) ?? Infinity);
    const lowest = l === 1 ? 0 : Math.min(least, owb[l - 2]!);
    const rho = !net.bias || Lc < 2 || Lc > largestBiasStack || entries - 1 - lowest <= known ? undefined : stackNullRank(net, l, K, sb, rb, true);
    // ẑ̃_{l-1}, computed only where it can lower the coupling below enough for the count to exceed nkb_l
    if (rho !== undefined && least < below && entries - rho - least > known) {
      rzb[l - 2] = augmentedSpanRank(net, l - 1, r, net.samples) ?? 0;
      below = Math.min(below, sb * (rows - rzb[l - 2]!));
    }
    rsb.push(rho ?? entries);
    nsb.push(Math.max(known, entries - (rho ?? entries) - below));
    nsp.push(Math.max(nsb[i]!, l === 1 ? 0 : entries - (rho ?? entries) - owb[l - 2]!));
  });
  // the dense layer's coupling off col Z̃_{L-1}: where it couples (x̃_L > 0) and J leaves it directions (s̃ (c_{L-1} u_{L-1} + 1 − z̃) > 0);
  // also for two convolutions (cnn-bias-dense-null-H, docs/cnn.md#bias-the-dense-layers-coupling-at-a-generic-point)
  const zt = Math.min(rb, ...G.toeplitzRank.map((t) => t + 1));
  if ((tangent || (net.bias && Lc === 2)) && xb[Lc - 1 + 1]! > 0 && sb * (c[Lc]! * u[Lc]! + 1 - zt) > 0) owb[Lc - 1] = Math.min(owb[Lc - 1]!, augmentedProjectedRank(net, Lc, sb, r, net.samples) ?? Infinity);
  return { rsb, rzb, nsb, owb, nsp };
}

/**
 * og: ω_g, the dense layer's coupling projected off col Z_{L-1} at a generic point, over every convolution's kernel
 * (src/cnn/stackNull.ts); computed only where Z_{L-2} may lack full row rank (else ot is the same count) and the other
 * counts leave something to gain; elsewhere the count c_{L-1} c_{L-2} e_{L-1} + s t_{L-1}, which never wins the third term (docs/cnn.md#null-directions-of-a-convolution-under-the-stack-above-it).
 */
function denseProjected(net: Convolutional, G: ConvolutionalGeometry, K: number, s: number, r: number, x: readonly number[]): number {
  const { channels: c, used: u, toeplitzRank: t, positions: n, effectiveKernel: e } = G;
  const Lc = c.length - 1;
  // the count that never wins the third term (as ot's): the last convolution's entries and s copies of col T_{L-1}
  const count = c[Lc]! * c[Lc - 1]! * e[Lc - 1]! + s * t[Lc - 1]!;
  if (Lc < 2 || fullRowRankBelowTop(c, u, t, r)) return count;
  const z = Math.min(r, ...t);
  const m = c[Lc]! * n[Lc]!;
  if (K * (m - z) <= 0 || Math.min(s * (m - z), x[Lc]! - 1) <= 0) return count;
  return Math.min(count, denseProjectedRank(net, s, r) ?? Infinity);
}

/** Conv 1 as a layer (its input grid, channels, kernel, stride, padding). */
function firstLayer(net: Convolutional): ConvolutionGeometry {
  const layer = net.layers[0]!;
  return { inputChannels: net.inputChannels, outputChannels: layer.channels, input: net.input, kernel: layer.kernel, stride: layer.stride, padding: layer.padding };
}

/** pt, ptb, kt at the architecture's generic data rank (or `dataRank`): the values the symbolic layer gives its symbols. */
export function firstConvolutionValues(net: Convolutional, dataRank?: number): { pt: number; ptb: number; kt: number } {
  const G = convolutionalGeometry(net);
  const K = net.loss === 'ce' ? net.outputs - 1 : net.outputs;
  const r = dataRank ?? convolutionalDataRank(net, G);
  return firstConvolutionSymbols(net, G, K, Math.min(r, K), Math.min(net.samples, r + 1, K)) as { pt: number; ptb: number; kt: number };
}

const firstConvolutionCache = new WeakMap<Convolutional, Map<string, number>>();

/**
 * pt, ptb (π_1 at s images without bias, π̃_1 at s̃ augmented images with bias: src/cnn/patchRank.ts) and kt
 * (κ_t: src/cnn/kernelTangent.ts), for one convolution (Infinity otherwise), computed once per architecture and argument.
 */
function firstConvolutionSymbols(net: Convolutional, G: ConvolutionalGeometry, K: number, s: number, sb: number): Scope {
  let cache = firstConvolutionCache.get(net);
  if (!cache) firstConvolutionCache.set(net, (cache = new Map()));
  const memo = (key: string, compute: () => number): number => cache!.get(key) ?? cache!.set(key, compute()).get(key)!;
  // the one-convolution entries read them (formulas/cnn.json, condition L == 2): nothing to compute for deeper CNNs
  if (net.layers.length !== 1) return { pt: Infinity, ptb: Infinity, kt: Infinity };
  const layer = firstLayer(net);
  const count = G.channels[1]! * Math.max(0, G.channels[0]! * G.effectiveKernel[0]! - G.channels[1]!);
  // a layer with more (window, offset) pairs than the largest patch matrix is not computed: π_1 undetermined, κ_t the count
  if (G.positions[1]! * G.kernel[0]! > largestPatch) return { pt: Infinity, ptb: Infinity, kt: count };
  const pt = net.bias ? Infinity : memo(`pt ${s}`, () => patchRank(layer, s, false).rank ?? Infinity);
  const ptb = net.bias ? memo(`ptb ${sb}`, () => patchRank(layer, sb, true).rank ?? Infinity) : Infinity;
  const kt = memo(`kt ${K}`, () => kernelTangent(layer, K, usedInputIndices(net), G.toeplitzRank[0]!, count));
  return { pt, ptb, kt };
}

/**
 * HFt: the predicted rank(H_F) of the CNN above conv 1 on conv 1's output (src/cnn/tail.ts), which
 * bounds the block of H_F without conv 1 (cnn-above-first-HF, cnn-bias-above-first-HF); for two or three convolutions.
 */
function aboveFirstRank(net: Convolutional, dataRank: number, sources: Partial<Record<string, PredictedRank>>): number {
  if (net.layers.length < 2 || net.layers.length > 3) return Infinity;
  // with bias H_F reads the data through Σ̃ = G X̃ᵀ, of rank ≤ r̃ = min(N, r + 1): the CNN above (with its
  // biases) takes r̃ samples, so that its own augmented data rank min(r̃, c_1 u_1 + 1) is not below that of [Z_1; 1ᵀ]
  const above = aboveFirstConvolution(net, net.bias ? Math.min(net.samples, dataRank + 1) : dataRank)!;
  const predicted = catalogRanks(above, convolutionalScope(above), loadCatalog());
  if (predicted.formulas.HF) sources.HFt = predicted.formulas.HF;
  return predicted.ranks.HF ?? Infinity;
}

/** The merge symbols: the merged CNN's predictions (src/cnn/merge.ts), Infinity when nothing merges. */
function mergeSymbols(net: Convolutional, dataRank: number | undefined, effectiveKernel: readonly number[], s: number, used: readonly number[], sources: Partial<Record<string, PredictedRank>>): Scope {
  const merge = mergeOneByOne(net, effectiveKernel);
  if (!merge) return { merges: 0, HOm: Infinity, HFm: Infinity, Hm: Infinity, mc: Infinity, mup: 0, mw: Infinity, mq: Infinity };
  // the merged CNN's catalog ranks at its own scope (what predictConvolutional gives, without importing it)
  const merged = catalogRanks(merge.merged, convolutionalScope(merge.merged, dataRank), loadCatalog());
  // rank G ≤ its shape and ≤ s u_l (a sum over the s images and the used positions of conv l's output)
  const up = merge.up ? { mup: 1, mw: merge.up.hidden, mq: Math.min(merge.up.hidden, merge.up.gradientShape, s * used[merge.layer]!) } : { mup: 0, mw: Infinity, mq: Infinity };
  for (const [symbol, quantity] of [['HOm', 'HO'], ['HFm', 'HF'], ['Hm', 'H']] as const) if (merged.formulas[quantity]) sources[symbol] = merged.formulas[quantity];
  return { merges: 1, HOm: merged.ranks.HO ?? Infinity, HFm: merged.ranks.HF ?? Infinity, Hm: merged.ranks.H ?? Infinity, mc: merge.cost, ...up };
}
