/**
 * A linear CNN with symbolic sizes: f(x) = W T_{L-1}(w_{L-1}) ⋯ T_1(w_1) x, the shape (number of
 * convolutions, 1D or 2D, which layers stride or pad) taken from an architecture, every size a symbol:
 *
 *   c0, c1, …, c_{L-1}   channels             K   outputs (K − 1 for cross-entropy)
 *   k1, …, k_{L-1}       kernel elements κ_l  r   data rank (≤ c_0 u_0; min(N, c_0 u_0) for generic data)
 *   n0, …, n_{L-1}       positions n_l        N   samples
 *
 * In 2D every size is a product of per-axis sizes: κ_l = kh_l · kw_l, n_l = nh_l · nw_l.
 * n_l = ⌊(n_{l-1} + 2 pad_l − k_l)/s_l⌋ + 1 per axis (a relation the setup step states; the n_l stay symbols).
 * The combinatorial quantities of docs/cnn.md#geometry-what-can-matter are written in these symbols
 * where the architecture's regime gives a closed form, and kept as their own symbols otherwise:
 *
 *   u_l = n_l             when every position of map l is read by a used window (else the symbol u_l)
 *   e_l = κ_l             when conv l does not pad (else e_l: offsets that ever read a used, real input)
 *   t_l = min(c_{l-1} u_{l-1}, c_l u_l, u_l min(c_l, c_{l-1} e_l))   when conv l does not pad (else t_l)
 *   h_l = min(c_l, h_{l-1} e_l), h_0 = c_0
 *   g_j = ∏_axes (Σ_{l≤j} k_l − (j − 1))   for an unpadded stack with strides 1 below j (∞ when a
 *         layer 2..j pads; else the symbol g_j)
 *   b_j = min_{1≤i≤j} c_i ∏_{l=i+1}^{j} κ_l,   y_l = c_l max(0, h_{l-1} e_l − c_l),   P_j = Σ_{l<j} c_l c_{l-1} e_l
 *   τ_j, x_j   H_F's coupling bounds (src/cnn/vocabulary.ts, docs/cnn.md#several-convolutions-functional-hessian)
 *   ĥ_l, s_j   the channels the layers above conv l read, and the rank of what they send to conv j's stack
 *   A_l   kernels the input-side symmetries of conv l reach (src/cnn/inputSymmetry.ts): a symbol
 *   R_l   input shifts per channel conv l maps to a bias (src/cnn/inputSymmetry.ts): a symbol
 *   mix_l,m  κ_{l,m}, the dimension the blocks of layers m and m + 1 share in conv l's column of H_F (src/cnn/aboveMixing.ts):
 *         a symbol, computed on the grid, where it is above 1
 *   pg_l  the rank π°_l of the patches of the s images at map l−1 at generic kernels (src/cnn/patchSpan.ts): a symbol,
 *         computed on the grid (only where computed)
 *   pt, ptb, kt   one convolution: the patch matrix's rank π_1 (π̃_1 with bias; src/cnn/patchRank.ts) and the kernel's
 *         directions beyond the dense layer κ_t (src/cnn/kernelTangent.ts): symbols, computed on the grid
 *   τ̃_j, x̃_j, P̃_j   the same with bias (each convolution affine; src/cnn/vocabulary.ts, docs/cnn.md#bias)
 *   mc    a 1×1 merge's cost (src/cnn/merge.ts); HOm, HFm, Hm the merged CNN's derived bounds (symbols)
 *   mw, mq   for a merge of conv l ≥ 2: c_{l-1} and the bound on the overlap rank of the two terms of H_F
 *   HFt   the derived H_F bound of the CNN above conv 1 (src/cnn/tail.ts; two or three convolutions, with bias on r̃ samples), a symbol
 *
 * `values` gives every symbol its number at the architecture, so each expression can be evaluated
 * exactly; the tests compare those values with src/cnn/geometry.ts and the catalog.
 */
import { featureShapes, kernelElements, positions, type Convolutional } from '../architecture/convolutional.js';
import { convolutionalGeometry, type ConvolutionalGeometry } from '../cnn/geometry.js';
import { mergeOneByOne } from '../cnn/merge.js';
import { aboveFirstConvolution } from '../cnn/tail.js';
import { biasColumnDifferentials, biasGenericPatchSpans, biasOwnMixings, convolutionalDataRank, convolutionalScope, firstConvolutionValues, lastConvolutionNull, lastConvolutionTangent, patchSpans, columnMixings } from '../cnn/vocabulary.js';
import { constant, difference, maximum, minimum, product, sum, symbol, toText, type Expr } from './expression.js';
import { scalar, vector, type Value } from './symbolicNetwork.js';

export interface SymbolicConvolutional {
  architecture: Convolutional;
  geometry: ConvolutionalGeometry;
  /** number of convolutions, L − 1 */
  convolutions: number;
  /** L: the convolutions and the dense layer */
  depth: number;
  dims: number;
  /** expressions already built (the same tree object wherever a quantity recurs) */
  memo: Map<string, Expr | undefined>;
  /** the first 1×1 convolution that merges into its neighbour (src/cnn/merge.ts), if any */
  merge?: OneByOneMerge;
  /** two or three convolutions: the CNN above conv 1 on conv 1's output (src/cnn/tail.ts; with bias on r̃ samples), whose derived H_F bound is HFt */
  above?: SymbolicConvolutional;
}

export interface OneByOneMerge {
  /** the merged CNN, one convolution fewer, with its own symbols */
  net: SymbolicConvolutional;
  /** the 1×1 convolution l (l ≥ 2 merges into l − 1; l = 1 into conv 2) */
  layer: number;
  /** the rank of the reparametrisation's second-order term, mc */
  cost: Expr;
  /**
   * l ≥ 2: mw = c_{l-1}, the channels the merge removes, and mq = min(c_{l-1}, c_l, c_{l-2} e_{l-1}, s u_l),
   * the bound on the overlap rank of the two terms of H_F (src/cnn/merge.ts); undefined for l = 1
   */
  overlap?: { hidden: Expr; rank: Expr };
}

export function symbolicConvolutional(net: Convolutional): SymbolicConvolutional {
  const geometry = convolutionalGeometry(net);
  const symbolic: SymbolicConvolutional = { architecture: net, geometry, convolutions: net.layers.length, depth: net.layers.length + 1, dims: net.input.length, memo: new Map() };
  const merge = mergeOneByOne(net, geometry.effectiveKernel);
  if (merge) {
    symbolic.merge = { net: symbolicConvolutional(merge.merged), layer: merge.layer, cost: mergeCost(symbolic, merge.layer) };
    if (merge.up) symbolic.merge.overlap = mergeOverlap(symbolic, merge.layer);
  }
  if (net.layers.length === 2 || net.layers.length === 3) {
    // with bias the CNN above reads Σ̃′ = G [Z_1; 1ᵀ]ᵀ, of rank ≤ r̃ = min(N, r + 1): it takes r̃ samples
    const r = convolutionalDataRank(net, geometry);
    symbolic.above = symbolicConvolutional(aboveFirstConvolution(net, net.bias ? Math.min(net.samples, r + 1) : r)!);
  }
  return symbolic;
}

/**
 * mw = c_{l-1} and mq = min(c_{l-1}, c_l, c_{l-2} e_{l-1}, s u_l): G = ∇_v ℒ is c_l × c_{l-2} e_{l-1} and
 * a sum over the s residual images and the u_l used positions of conv l's output (src/cnn/merge.ts).
 */
function mergeOverlap(net: SymbolicConvolutional, layer: number): { hidden: Expr; rank: Expr } {
  const hidden = channel(layer - 1);
  if (net.architecture.bias) {
    // with bias G has the merged bias column and sums over the s̃ augmented images
    const st = minimum([augmentedDataRank(), outputs(net)]);
    return { hidden, rank: minimum([hidden, channel(layer), sum(product(channel(layer - 2), effectiveKernel(net, layer - 1)), constant(1)), product(st, used(net, layer))]) };
  }
  return { hidden, rank: minimum([hidden, channel(layer), product(channel(layer - 2), effectiveKernel(net, layer - 1)), product(dataOutputRank(net), used(net, layer))]) };
}

/**
 * mc: C = [[0, M], [Mᵀ, 0]] with M(dw_{l-1}, dw_l) = ⟨G, dw_l dw_{l-1}⟩, G a c_l × c_{l-2} e_{l-1} matrix:
 * rank C ≤ 2 c_{l-1} min(c_l, c_{l-2} e_{l-1}); a first 1×1 convolution merged into the second: 2 c_1 min(c_0, c_2 e_2).
 */
function mergeCost(net: SymbolicConvolutional, layer: number): Expr {
  if (layer === 1) return product(constant(2), channel(1), minimum([channel(0), product(channel(2), effectiveKernel(net, 2))]));
  // with bias G is c_l × (c_{l-2} e_{l-1} + 1): the merged bias is one more column
  const row = product(channel(layer - 2), effectiveKernel(net, layer - 1));
  return product(constant(2), channel(layer - 1), minimum([channel(layer), net.architecture.bias ? sum(row, constant(1)) : row]));
}

function memo<T extends Expr | undefined>(net: SymbolicConvolutional, key: string, build: () => T): T {
  if (!net.memo.has(key)) net.memo.set(key, build());
  return net.memo.get(key) as T;
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

const axes = (net: SymbolicConvolutional): string[] => (net.dims === 1 ? [''] : ['h', 'w']);

/** c_l */
export const channel = (l: number): Expr => symbol(`c${l}`);

/** κ_l (kh_l · kw_l in 2D) */
export function kernel(net: SymbolicConvolutional, l: number): Expr {
  return product(...axes(net).map((a) => symbol(`k${a}${l}`)));
}

/** n_l (nh_l · nw_l in 2D) */
export function positionCount(net: SymbolicConvolutional, l: number): Expr {
  return product(...axes(net).map((a) => symbol(`n${a}${l}`)));
}

/** K, or K − 1 for cross-entropy (the outputs the softmax distinguishes). */
export function outputs(net: SymbolicConvolutional): Expr {
  return net.architecture.loss === 'ce' ? difference(symbol('K'), constant(1)) : symbol('K');
}

const padded = (net: SymbolicConvolutional, l: number): boolean => net.architecture.layers[l - 1]!.padding.some((p) => p > 0);

/** whether u_l = n_l in this architecture */
export const allPositionsUsed = (net: SymbolicConvolutional, l: number): boolean => net.geometry.used[l] === net.geometry.positions[l];

/** u_l: used positions of map l */
export function used(net: SymbolicConvolutional, l: number): Expr {
  return allPositionsUsed(net, l) ? positionCount(net, l) : symbol(`u${l}`);
}

/** e_l: effective kernel elements of conv l */
export function effectiveKernel(net: SymbolicConvolutional, l: number): Expr {
  return padded(net, l) ? symbol(`e${l}`) : kernel(net, l);
}

/**
 * t_l, the generic rank of T_l on used rows and columns (src/cnn/toeplitzRank.ts): the count
 * min(c_{l-1}u_{l-1}, c_l u_l, u_l min(c_l, c_{l-1}e_l)) for an unpadded 1D convolution; in 2D the
 * kernel polynomials can share zeros and cut the rank below the count, and padding changes the
 * count per window, so there t_l stays a symbol, computed on the grid.
 */
export function toeplitzBound(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `t${l}`, () => {
    if (padded(net, l) || net.architecture.input.length > 1) return symbol(`t${l}`);
    return minimum([
      product(channel(l - 1), used(net, l - 1)),
      product(channel(l), used(net, l)),
      product(used(net, l), minimum([channel(l), product(channel(l - 1), effectiveKernel(net, l))])),
    ]);
  });
}

/** h_l: effective channels of map l */
export function effectiveChannels(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `h${l}`, () => {
    if (l === 0) return channel(0);
    return minimum([channel(l), product(effectiveChannels(net, l - 1), effectiveKernel(net, l))]);
  });
}

/** g_j: effective elements of the composed kernel of conv 1..j; undefined when it is infinite (a layer 2..j pads) */
export function composedKernel(net: SymbolicConvolutional, j: number): Expr | undefined {
  return memo(net, `g${j}`, () => {
    const layers = net.architecture.layers;
    if (layers.slice(1, j).some((layer) => layer.padding.some((p) => p > 0))) return undefined;
    const stridesOne = layers.slice(0, j - 1).every((layer) => layer.stride.every((s) => s === 1));
    if (!stridesOne || padded(net, 1)) return symbol(`g${j}`);
    // 1 + Σ_{l≤j} (k_l − 1) = Σ_{l≤j} k_l − (j − 1) per axis
    return product(...axes(net).map((a) => difference(sum(...Array.from({ length: j }, (_, i) => symbol(`k${a}${i + 1}`))), constant(j - 1))));
  });
}

/** b_j: the composed kernel of conv 1..j factors through min_i c_i ∏_{l=i+1}^{j} κ_l channels */
export function kernelBottleneck(net: SymbolicConvolutional, j: number): Expr {
  return memo(net, `b${j}`, () => {
    return minimum(Array.from({ length: j }, (_, k) => product(channel(k + 1), ...Array.from({ length: j - k - 1 }, (_, m) => kernel(net, k + 2 + m)))));
  });
}

/** y_l = c_l max(0, h_{l-1} e_l − c_l): conv l's parameters left after channel mixing is absorbed */
export function symmetryReduced(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `y${l}`, () => {
    return product(channel(l), maximum([constant(0), difference(product(effectiveChannels(net, l - 1), effectiveKernel(net, l)), channel(l))]));
  });
}

/**
 * ω_l: with bias, the dimension of the channel space of map l less its bias: ω_0 = c_0,
 * ω_1 = min(c_1, c_0 e_1), ω_l = min(c_l, e_l min(c_{l-1}, ω_{l-1} + 1)) (map l−1 with its bias spans ω_{l-1} + 1)
 */
export function biasEffectiveChannels(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `hb${l}`, () => {
    if (l === 0) return channel(0);
    const below = l === 1 ? channel(0) : minimum([channel(l - 1), sum(biasEffectiveChannels(net, l - 1), constant(1))]);
    return minimum([channel(l), product(below, effectiveKernel(net, l))]);
  });
}

/**
 * ỹ_l = c_l max(0, ω_{l-1} e_l − c_l): conv l's kernel directions left when its channel mixing is absorbed
 * by layer l+1 and every direction along 1ᵀ (the biases, and the kernel acting on map l−1's bias) by the dense bias
 */
export function biasSymmetryReduced(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `yb${l}`, () => {
    return product(channel(l), maximum([constant(0), difference(product(biasEffectiveChannels(net, l - 1), effectiveKernel(net, l)), channel(l))]));
  });
}

/** P_j = Σ_{l<j} c_l c_{l-1} e_l */
export function functionalParameters(net: SymbolicConvolutional, j: number): Expr {
  if (j <= 1) return constant(0);
  return sum(...Array.from({ length: j - 1 }, (_, i) => product(channel(i + 1), channel(i), effectiveKernel(net, i + 1))));
}

/**
 * π_1 = min(c_0 e_1, s u_1) (with bias π̃_1 = min(c_0 e_1 + 1, s̃ u_1)): the span of the patches conv 1
 * reads from the s images Σ's rows span (augmented with their residual sums when there is bias).
 * Conv 1's filters act on H_F only through it (docs/cnn.md#several-convolutions-functional-hessian).
 */
export function patchSpan(net: SymbolicConvolutional, bias = false): Expr {
  return memo(net, bias ? 'pib' : 'pi', () => {
    const row = product(channel(0), effectiveKernel(net, 1));
    return bias
      ? minimum([sum(row, constant(1)), product(minimum([augmentedDataRank(), outputs(net)]), used(net, 1))])
      : minimum([row, product(dataOutputRank(net), used(net, 1))]);
  });
}

/** c_1 (c_0 e_1 − π_1) (with bias c_1 (c_0 e_1 + 1 − π̃_1)): directions of conv 1's filters H_F does not see */
export function unseenFilters(net: SymbolicConvolutional, bias = false): Expr {
  const row = product(channel(0), effectiveKernel(net, 1));
  return product(channel(1), difference(bias ? sum(row, constant(1)) : row, patchSpan(net, bias)));
}

/** P^f_j = P_j − c_1 (c_0 e_1 − π_1): the parameters below layer j that H_F sees (with bias P̃_j − c_1 (c_0 e_1 + 1 − π̃_1)) */
export function seenParameters(net: SymbolicConvolutional, j: number, bias = false): Expr {
  return difference(bias ? biasFunctionalParameters(net, j) : functionalParameters(net, j), unseenFilters(net, bias));
}

/**
 * γ = 2 c_1 ρ + (m − ρ) min(c_1, π_1) + (π_1 − ρ) min(c_1, m), m = c_2 e_2, ρ = min(m, π_1) (with bias at π̃_1,
 * plus c_2): the bound x_3 + γ on the two lowest convolutions' block of H_F (the dimension count of
 * docs/cnn.md#several-convolutions-functional-hessian)
 */
export function lowestCount(net: SymbolicConvolutional, bias = false): Expr {
  const pi = patchSpan(net, bias);
  const m = product(channel(2), effectiveKernel(net, 2));
  const rho = minimum([m, pi]);
  const gamma = sum(
    product(constant(2), channel(1), rho),
    product(difference(m, rho), minimum([channel(1), pi])),
    product(difference(pi, rho), minimum([channel(1), m])),
  );
  return bias ? sum(gamma, channel(2)) : gamma;
}

/** data rank r, s = min(r, K), q = min(r, c_l u_l, K), M = [c_l u_l] */
export const dataRank = (): Expr => symbol('r');
export const dataOutputRank = (net: SymbolicConvolutional): Expr => minimum([dataRank(), outputs(net)]);
export const expandedWidths = (net: SymbolicConvolutional): Expr[] => Array.from({ length: net.convolutions }, (_, i) => product(channel(i + 1), used(net, i + 1)));
export const expansionBottleneck = (net: SymbolicConvolutional): Expr => minimum([dataRank(), ...expandedWidths(net), outputs(net)]);

/** the last layer's parameters K c_{L-1} n_{L-1} */
export const denseParameters = (net: SymbolicConvolutional): Expr => product(outputs(net), channel(net.convolutions), positionCount(net, net.convolutions));

/**
 * τ_i: the tangent space of conv 1..i evaluated on s inputs, ≤ each of
 * s c_i u_i (images), Σ_{l<i} y_l + c_i h_{i-1} e_i (symmetries), τ_{i-1} + c_i h_{i-1} e_i − 1 (dP_i = T_i dP_{i-1} + T_i(dw_i) P_{i-1},
 * both parts containing P_i),
 * c_i min(c_0 g_i, s u_i) and ρ(c_i + c_0 g_i − ρ), ρ = min(b_i, c_i, c_0 g_i) (the composed kernel).
 */
export function stackTangent(net: SymbolicConvolutional, i: number, images?: number): Expr {
  // images: evaluate the stack on s_j inputs (readImages(net, j)) instead of s
  return memo(net, images === undefined ? `tau${i}` : `tau${i}@${images}`, () => {
    const s = images === undefined ? dataOutputRank(net) : readImages(net, images);
    const own = product(channel(i), effectiveChannels(net, i - 1), effectiveKernel(net, i));
    const g = composedKernel(net, i);
    const terms: Expr[] = [
      product(s, channel(i), used(net, i)),
      sum(...Array.from({ length: i - 1 }, (_, l) => symmetryReduced(net, l + 1)), own),
    ];
    // T_i(dP_{i-1}) and T_i(dw_i) P_{i-1} both contain P_i (scale w_{i-1}, or w_i): the sum has one dimension less
    if (i > 1) terms.push(difference(sum(stackTangent(net, i - 1, images), own), constant(1)));
    // conv i's own directions T_i(dw_i) Z_{i-1} span exactly c_i π°_i (the patches at generic kernels, ≤ h_{i-1} e_i; at s
    // images, which serves every number of images ≤ s): the same two counts with it
    // conv l's own directions on the images span ≤ c_l π_l, of which its channel mixings (c_l min(c_l, π_l)) are absorbed
    // above: Σ_{l<i} c_l (π_l − c_l)_+ + c_i π_i
    if (i > 1) {
      const zero = constant(0);
      terms.push(
        sum(
          ...Array.from({ length: i - 1 }, (_, k) => product(channel(k + 1), maximum([zero, difference(columnPatchSpan(net, k + 1), channel(k + 1))]))),
          product(channel(i), columnPatchSpan(net, i)),
        ),
      );
    }
    const spanned = genericPatchSpan(net, i);
    if (spanned) {
      terms.push(sum(...Array.from({ length: i - 1 }, (_, l) => symmetryReduced(net, l + 1)), product(channel(i), spanned)));
      terms.push(difference(sum(stackTangent(net, i - 1, images), product(channel(i), spanned)), constant(1)));
    }
    // a 1×1 conv i ≥ 2: dw_i Z′ adds only (c_i − c_{i-1})_+ rank Z′ to w_i dZ′ (w_i M Z′ is a direction below), rank Z′ ≤ min(h_{i-1}, s u_i)
    if (i > 1 && net.architecture.layers[i - 1]!.kernel.every((k) => k === 1)) {
      terms.push(sum(stackTangent(net, i - 1, images), product(maximum([constant(0), difference(channel(i), channel(i - 1))]), minimum([effectiveChannels(net, i - 1), product(s, used(net, i))]))));
    }
    // the values (c_i × s u_i) have rank ≤ h_i everywhere: the tangent of the rank ≤ ρ matrices, ρ(c_i + s u_i − ρ)
    const values = product(s, used(net, i));
    const rank = minimum([effectiveChannels(net, i), values]);
    terms.push(product(rank, difference(sum(channel(i), values), rank)));
    if (g) {
      const composed = product(channel(0), g);
      const rho = minimum([kernelBottleneck(net, i), channel(i), composed]);
      terms.push(product(channel(i), minimum([composed, product(s, used(net, i))])));
      terms.push(product(rho, difference(sum(channel(i), composed), rho)));
    } else {
      terms.push(product(channel(i), product(s, used(net, i))));
    }
    return minimum(terms);
  });
}

/**
 * π°_l (l ≥ 2), the symbol pg{l}: the rank of the patches of the s images at map l−1 at generic kernels, computed on
 * the grid (src/cnn/patchSpan.ts, docs/cnn.md#several-convolutions-the-patches-at-a-generic-point); undefined where
 * it is not computed (then no term reads it)
 */
export function genericPatchSpan(net: SymbolicConvolutional, l: number): Expr | undefined {
  return memo(net, `pg${l}`, () => (l >= 2 && Number.isFinite(genericPatchSpanValues(net)[l]) ? symbol(`pg${l}`) : undefined));
}

/** π°_l at the architecture, index l (Infinity where not computed), at s = min(r, K) images (K − 1 for cross-entropy) */
function genericPatchSpanValues(net: SymbolicConvolutional): number[] {
  const a = net.architecture;
  const K = a.loss === 'ce' ? a.outputs - 1 : a.outputs;
  return patchSpans(a, net.geometry, Math.min(convolutionalDataRank(a, net.geometry), K));
}

/**
 * κ_{l,m} (l < m ≤ L − 1): the dimension the blocks of layers m and m + 1 share in conv l's column of H_F, the mixings of
 * map m (src/cnn/aboveMixing.ts, docs/cnn.md#several-convolutions-the-layers-above-share-a-channel-mixing): the symbol
 * mix{l}m{m}, computed on the grid, where it is above 1; else 1 (g_l, which every block contains)
 */
export function aboveMixing(net: SymbolicConvolutional, l: number, m: number): Expr {
  return memo(net, `mix${l}m${m}`, () => (aboveMixingValue(net, l, m) > 1 ? symbol(`mix${l}m${m}`) : constant(1)))!;
}

function aboveMixingValue(net: SymbolicConvolutional, l: number, m: number): number {
  // κ_{l,m}, or κ̃_{l,m} with bias (the columns of H_F read one or the other)
  return Math.max(1, columnMixings(net.architecture)[l]?.[m] ?? 1);
}

/** x_j: H_F's block coupling layer j to the layers below, ≤ min(parameters of layer j, τ_{j-1}); x_1 = 0 */
/**
 * ν_l = max(0, c_l (c_{l-1} − h_{l-1}) e_l − max(0, x_l − 1)): kernel directions of conv l that read
 * only the complement of the h_{l-1} channels map l−1 can carry, less the coupling to the layers below
 * (docs/cnn.md#null-directions-of-the-kernels); 0 for conv 1 (h_0 = c_0)
 */
export function channelNull(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `nu${l}`, () => {
    if (l === 1) return constant(0);
    const zero = constant(0);
    const unreached = product(channel(l), difference(channel(l - 1), effectiveChannels(net, l - 1)), effectiveKernel(net, l));
    return maximum([zero, difference(unreached, maximum([zero, difference(coupling(net, l), constant(1))]))]);
  });
}

/**
 * ν̂_l ≥ ν_l, the null directions of H in conv l's kernel (docs/cnn.md#null-directions-of-the-kernels-tensor-products):
 * λ ⊗ μ with λ in the (c_l − a_l)_+ output-channel combinations the layers above cannot see, a_l = min(c_l, K u_l,
 * c_{l+1} e_{l+1}), and μ orthogonal to the patches of the s images at map l−1, π_l = min(h_{l-1} e_l, s u_l):
 * and all of R^{c_l} ⊗ (patch span)^⊥ less K(z_{l-1} − s)_+ (J) and (x_l − 1)_+ (the coupling below; x_1 = 0, z_0 = r):
 * conv 1: max((c_1 − a_1)_+ (c_0 e_1 − π_1)_+, c_1 (c_0 e_1 − π_1)_+ − K(r − s));
 * conv l ≥ 2: max((c_l − a_l)_+ (c_{l-1} e_l − π_l)_+, c_l (c_{l-1} e_l − π_l)_+ − K(z_{l-1} − s)_+ − (x_l − 1)_+, ν′_l + (c_l − a_l)_+ (h_{l-1} e_l − π_l)_+),
 * ν′_l = (c_l (c_{l-1} − h_{l-1}) e_l − min((x_l − 1)_+, Σ_{j<l} (c_j − h_j) h_{j-1} e_j))_+ ≥ ν_l (the coupling below reaches only
 * the part of dw_j that leaves 𝒞_j).
 */
export function kernelNull(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `nk${l}`, () => {
    const zero = constant(0);
    const positive = (e: Expr) => maximum([zero, e]);
    const s = dataOutputRank(net);
    const K = outputs(net);
    const Lc = net.convolutions;
    const seen = minimum([channel(l), product(K, used(net, l)), ...(l < Lc ? [product(channel(l + 1), effectiveKernel(net, l + 1))] : [])]);
    const unseen = positive(difference(channel(l), seen));
    const window = product(effectiveChannels(net, l - 1), effectiveKernel(net, l));
    const patches = minimum([window, product(s, used(net, l))]);
    const tensor = product(unseen, positive(difference(product(channel(l - 1), effectiveKernel(net, l)), patches)));
    const below = l === 1 ? difference(dataRank(), s) : positive(difference(dataThroughStack(net, l - 1), s));
    const orthogonal = difference(product(channel(l), positive(difference(product(channel(l - 1), effectiveKernel(net, l)), patches))), sum(product(K, below), ...(l === 1 ? [] : [positive(difference(coupling(net, l), constant(1)))])));
    // λ with w_{l+1} λ = 0: only the couplings through dw_{l+1} remain, ≤ min(c_{l+1} e_{l+1}, π_l) conditions on μ
    const nextKernel = l < Lc ? product(channel(l + 1), effectiveKernel(net, l + 1)) : undefined;
    const next = nextKernel ? [product(positive(difference(channel(l), nextKernel)), positive(difference(product(channel(l - 1), effectiveKernel(net, l)), minimum([nextKernel, patches]))))] : [];
    if (l === 1) return maximum([tensor, orthogonal, ...next]);
    // ν_l with the coupling below counted through the channels it reaches: Σ_{j<l} (c_j − h_j) h_{j-1} e_j
    const reach = sum(...range(1, l - 1).map((j) => product(difference(channel(j), effectiveChannels(net, j)), effectiveChannels(net, j - 1), effectiveKernel(net, j))));
    const unreached = product(channel(l), difference(channel(l - 1), effectiveChannels(net, l - 1)), effectiveKernel(net, l));
    const reading = positive(difference(unreached, minimum([positive(difference(coupling(net, l), constant(1))), reach])));
    return maximum([tensor, orthogonal, ...next, sum(reading, product(unseen, positive(difference(window, patches))))]);
  });
}

/**
 * The null directions of H on conv l alone under the stack above it (docs/cnn.md#null-directions-of-a-convolution-under-the-stack-above-it):
 * max(ν̂_l, ν*_{L-1} for the last convolution, c_l c_{l-1} e_l − ρ_l − (x_l − 1)_+), ρ_l (symbol rs_l) the generic rank of
 * b ↦ (J v, the blocks of H_F v on the layers above conv l), computed on the grid (src/cnn/stackNull.ts); x_1 = 0.
 */
export function stackNull(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `ns${l}`, () => {
    const entries = product(channel(l), channel(l - 1), effectiveKernel(net, l));
    // the coupling below on them: ≤ x_l − 1 (Euler), and ≤ s (c_{l-1} u_{l-1} − ẑ_{l-1}) (the lower stack's tangent off col Z_{l-1})
    const below =
      l === 1
        ? constant(0)
        : minimum([maximum([constant(0), difference(coupling(net, l), constant(1))]), product(dataOutputRank(net), difference(product(channel(l - 1), used(net, l - 1)), symbol(`rz${l - 1}`)))]);
    const counted = difference(difference(entries, symbol(`rs${l}`)), below);
    return maximum([kernelNull(net, l), ...(l === net.convolutions ? [symbol('nt')] : []), counted]);
  });
}

export function coupling(net: SymbolicConvolutional, j: number): Expr {
  return memo(net, `x${j}`, () => {
    if (j === 1) return constant(0);
    if (j === net.depth) return minimum([denseParameters(net), stackTangent(net, j - 1)]);
    // conv j < L couples through Λ_j: ĥ_j of its output channels, the stack below on s_j images
    return minimum([product(readChannels(net, j), channel(j - 1), effectiveKernel(net, j)), stackTangent(net, j - 1, j)]);
  });
}

/**
 * ĥ_l: the channels the layers above conv l read. Λ_l = (W T_{L-1} ⋯ T_{l+1})ᵀ Σ has its channel vectors
 * in a space of dimension ĥ_{L-1} = min(c_{L-1}, s u_{L-1}), ĥ_l = min(c_l, ĥ_{l+1} e_{l+1})
 * (docs/cnn.md#several-convolutions-functional-hessian)
 */
export function readChannels(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `hd${l}`, () => {
    if (l === net.convolutions) return minimum([channel(l), product(dataOutputRank(net), used(net, l))]);
    return minimum([channel(l), product(readChannels(net, l + 1), effectiveKernel(net, l + 1))]);
  });
}

/**
 * π_l = min(c_{l-1} e_l, h_{l-1} e_l, s u_l, c_0 g_l): the span of the patches of the s images at map l−1
 * (the composed-kernel term only where g_l is finite); src/cnn/functionalColumns.ts
 */
export function columnPatchSpan(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `pz${l}`, () => {
    const g = composedKernel(net, l);
    return minimum([
      product(channel(l - 1), effectiveKernel(net, l)),
      product(effectiveChannels(net, l - 1), effectiveKernel(net, l)),
      product(dataOutputRank(net), used(net, l)),
      ...(g ? [product(channel(0), g)] : []),
      ...(genericPatchSpan(net, l) ? [genericPatchSpan(net, l)!] : []),
    ]);
  });
}

/**
 * col_l: the bound on the rank of layer l's column block of H_F (conv l = 1..L−1; l = L the dense layer),
 * as src/cnn/functionalColumns.ts (docs/cnn.md#several-convolutions-the-columns-of-h_f)
 */
export function functionalColumn(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `cf${l}`, () => {
    const L = net.depth;
    if (l === L) return coupling(net, L);
    const zero = constant(0);
    const one = constant(1);
    const positive = (e: Expr) => maximum([zero, e]);
    const s = dataOutputRank(net);
    const c = channel(l);
    const hd = readChannels(net, l);
    const pi = columnPatchSpan(net, l);
    const n = product(channel(l - 1), effectiveKernel(net, l));
    const above = sum(...range(l + 1, L).map((m) => coupling(net, m)));
    // the blocks of layers m and m + 1 share the mixings of map m: κ_{l,m} ≥ 1 (the symbol mix{l}m{m} where it is above 1)
    const shared = range(l + 1, L - 1).map((m) => aboveMixing(net, l, m));
    const U = minimum([product(c, pi), positive(difference(above, shared.length > 0 ? sum(...shared) : constant(0)))]);
    const leaveAbove = sum(
      product(difference(channel(L - 1), readChannels(net, L - 1)), s, used(net, L - 1)),
      ...range(l + 1, L - 1).map((m) => product(difference(channel(m - 1), readChannels(net, m - 1)), readChannels(net, m), effectiveKernel(net, m))),
    );
    if (l === 1) return minimum([U, sum(product(hd, pi), minimum([U, leaveAbove]))]);
    const w = product(effectiveChannels(net, l - 1), effectiveKernel(net, l));
    const leaveBelow = sum(...range(1, l - 1).map((j) => product(difference(channel(j), effectiveChannels(net, j)), effectiveChannels(net, j - 1), effectiveKernel(net, j))));
    const D = coupling(net, l);
    return minimum([
      product(c, n),
      positive(difference(sum(U, D), one)),
      sum(product(hd, n), minimum([U, product(difference(c, hd), pi), leaveAbove])),
      sum(product(c, pi), minimum([D, product(hd, difference(n, pi))])),
      sum(product(c, pi), minimum([D, product(hd, difference(w, pi))]), minimum([D, leaveBelow])),
      sum(product(hd, w), minimum([D, leaveBelow]), minimum([U, leaveAbove])),
    ]);
  });
}

/** s_j = min(s, ĥ_l u_l for l = j..L−1) ≥ rank Λ_j: the images the stack below conv j is evaluated on */
export function readImages(net: SymbolicConvolutional, j: number): Expr {
  return memo(net, `sd${j}`, () => minimum([dataOutputRank(net), ...range(j, net.convolutions).map((l) => product(readChannels(net, l), used(net, l)))]));
}

/** z = min(r, t_1, …, t_j) (rank Z_j ≤ z) */
export function dataThroughStack(net: SymbolicConvolutional, j = net.convolutions): Expr {
  return minimum([dataRank(), ...range(1, j).map((l) => toeplitzBound(net, l))]);
}

/** P̃_j = Σ_{l<j} c_l (c_{l-1} e_l + 1): the kernels and biases of the convolutions below layer j */
export function biasFunctionalParameters(net: SymbolicConvolutional, j: number): Expr {
  if (j <= 1) return constant(0);
  return sum(...Array.from({ length: j - 1 }, (_, i) => product(channel(i + 1), sum(product(channel(i), effectiveKernel(net, i + 1)), constant(1)))));
}

/**
 * τ̃_i: the tangent space of the affine stack conv 1..i evaluated on the s̃ = min(r̃, K) augmented
 * images, ≤ each of s̃ c_i u_i, τ̃_{i-1} + c_i min(π̂_i, s̃ u_i) − 1 (dz_i = T_i dz_{i-1} + T_i(dw_i) z_{i-1}
 * + B_i db_i; both parts contain T_i z_{i-1}; π̂_i the span of conv i's augmented patches), and without padding above the first layer (one affine convolution)
 * c_i min(c_0 g_i + 1, s̃ u_i) and ρ(c_i + c_0 g_i − ρ) + c_i, ρ = min(b_i, c_i, c_0 g_i); and the
 * parameters of conv 1..i less the channel mixings of maps 1..i−1, P̃_{i+1} − Σ_{l<i} c_l min(c_l, c_{l-1} e_l + 1);
 * for i ≥ 2, τ̃_{i-1} + c_i (ϖ e_i + 1) − min(c_i e_i, c_{i-1}) ϖ − [conv i unpadded] min(c_i, c_{i-1}) (conv i's own directions less
 * the mixings and shifts of map i−1), and for a 1×1 conv i τ̃_{i-1} + (c_i − c_{i-1})_+ min(ω*_{i-1} + 1, s̃ u_i)
 * (docs/cnn.md#bias-the-columns-of-h_f).
 */
export function biasStackTangent(net: SymbolicConvolutional, i: number, images?: number): Expr {
  // images: evaluate the stack on s̃_j augmented images (biasReadImages(net, j)) instead of s̃
  return memo(net, images === undefined ? `taub${i}` : `taub${i}@${images}`, () => {
    const st = images === undefined ? minimum([augmentedDataRank(), outputs(net)]) : biasReadImages(net, images);
    // π̃°_i (the symbol pgb{i}): conv i's augmented patches at generic kernels and biases, where computed
    const spanned = biasGenericPatchSpan(net, i);
    const own = product(channel(i), minimum([augmentedPatches(net, i), product(st, used(net, i)), ...(spanned ? [spanned] : [])]));
    // the two parts share T_i z_{i-1} (scaling w_1, b_1, …, b_{i-1}, or dw_i = w_i): one dimension less
    // what conv i adds to the stack below (τ̃_{i-1} written once: its tree is shared, and rendered per reference):
    // its own directions less T_i z_{i-1} (the two share it: scaling w_1, b_1, …, b_{i-1}, or dw_i = w_i); less the mixings w_i M
    // and (unpadded) the shifts (0, Σ_e w_i[·,·,e] δ) of map i−1 on the model space of its augmented patches,
    // c_i (ϖ e_i + 1) − min(c_i e_i, c_{i-1}) ϖ − [unpadded] min(c_i, c_{i-1}); for a 1×1 conv i, [dw_i | db_i][Z′; σ] modulo
    // col w_i ⊗ row[Z′; σ], (c_i − c_{i-1})_+ min(ω*_{i-1} + 1, s̃ u_i)
    const terms: Expr[] = [product(st, channel(i), used(net, i))];
    if (i === 1) terms.push(own);
    else {
      const one = constant(1);
      const padded = net.architecture.layers[i - 1]!.padding.some((pad) => pad > 0);
      const varpi = padded ? minimum([channel(i - 1), sum(linearChannels(net, i - 1), one)]) : linearChannels(net, i - 1);
      const mixed = product(minimum([product(channel(i), effectiveKernel(net, i)), channel(i - 1)]), varpi);
      const model = product(channel(i), sum(product(varpi, effectiveKernel(net, i)), one));
      const added = [difference(own, one), padded ? difference(model, mixed) : difference(model, sum(mixed, minimum([channel(i), channel(i - 1)])))];
      if (net.architecture.layers[i - 1]!.kernel.every((k) => k === 1)) {
        added.push(product(maximum([constant(0), difference(channel(i), channel(i - 1))]), minimum([sum(linearChannels(net, i - 1), one), product(st, used(net, i))])));
      }
      // conv i's own directions less the mixings and shifts of map i−1 pushed into them, μ̃_i at these images (the symbol mub{i},
      // or mub{i}j{j} on the s̃_j images of x̃_j; docs/cnn.md#bias-the-patches-and-the-mixings-at-a-generic-point)
      const pushed = ownMixing(net, i, images);
      if (pushed) added.push(difference(own, pushed));
      terms.push(sum(biasStackTangent(net, i - 1, images), minimum(added)));
    }
    // the channel mixings of maps 1..i−1 leave z_i fixed: A[w_l | b_l] with −w_{l+1}A, of rank c_l min(c_l, c_{l-1} e_l + 1)
    if (i > 1) {
      // with the bias shifts (b_l + δ, b_{l+1} − Σ_e w_{l+1}[·,·,e] δ) when conv l+1 does not pad: c_l min(c_l + 1, c_{l-1} e_l + 1)
      const shift = (l: number) => net.architecture.layers[l]!.padding.every((pad) => pad === 0);
      const mixings = range(1, i - 1).map((l) => product(channel(l), minimum([shift(l) ? sum(channel(l), constant(1)) : channel(l), sum(product(channel(l - 1), effectiveKernel(net, l)), constant(1))])));
      terms.push(difference(biasFunctionalParameters(net, i + 1), sum(...mixings)));
    }
    // a 1×1 conv 1 under conv 2: dz_2 = T_2(V) x̃ + B β on the augmented input x̃ = [x; σ] (zero-padded by conv 2):
    // per output channel ≤ (c_0 + [conv 2 pads]) e_2 + 1 augmented patches (unpadded, the constant channel joins the bias)
    if (i === 2 && net.architecture.layers[0]!.kernel.every((k) => k === 1)) {
      const padded = net.architecture.layers[1]!.padding.some((pad) => pad > 0);
      terms.push(product(channel(2), minimum([sum(product(padded ? sum(channel(0), constant(1)) : channel(0), effectiveKernel(net, 2)), constant(1)), product(st, used(net, 2))])));
    }
    const g = composedKernel(net, i);
    if (g) {
      const composed = product(channel(0), g);
      const rho = minimum([kernelBottleneck(net, i), channel(i), composed]);
      terms.push(product(channel(i), minimum([sum(composed, constant(1)), product(st, used(net, i))])));
      terms.push(sum(product(rho, difference(sum(channel(i), composed), rho)), channel(i)));
    }
    return minimum(terms);
  });
}

/**
 * π̃°_l (l ≥ 2), the symbol pgb{l}: with bias, the rank of the augmented patches of the s̃ augmented images at map l−1 under the
 * affine stack at generic kernels and biases, computed on the grid (src/cnn/patchSpan.ts); undefined where not computed
 */
export function biasGenericPatchSpan(net: SymbolicConvolutional, l: number): Expr | undefined {
  return memo(net, `pgb${l}`, () => (l >= 2 && Number.isFinite(biasGenericPatchSpans(net.architecture)[l] ?? Infinity) ? symbol(`pgb${l}`) : undefined));
}

/**
 * μ̃_i (i ≥ 2), the symbol mub{i} (at the s̃ images) or mub{i}j{j} (at the s̃_j images of x̃_j): with bias, the mixings and shifts
 * of map i−1 pushed into conv i's own directions (src/cnn/patchSpan.ts ownMixingRank); undefined where not computed
 */
export function ownMixing(net: SymbolicConvolutional, i: number, images?: number): Expr | undefined {
  const name = images === undefined ? `mub${i}` : `mub${i}j${images}`;
  return memo(net, name, () => (ownMixingValue(net, i, images) !== undefined ? symbol(name) : undefined));
}

function ownMixingValue(net: SymbolicConvolutional, i: number, images?: number): number | undefined {
  if (!net.architecture.bias || i < 2) return undefined;
  const { full, read } = biasOwnMixings(net.architecture);
  const value = images === undefined ? full[i] : read[images]?.[i];
  return value === undefined ? undefined : Math.max(1, value);
}

/**
 * π̂_l: with bias, the augmented patches [patch_t(z); σ] conv l reads from map l−1 (z = u + b σ at every real
 * slot) span ≤ c_0 e_1 + 1 dimensions for conv 1, ω_{l-1} e_l + 1 when conv l does not pad, and
 * min(c_{l-1}, ω_{l-1} + 1) e_l + 1 when it does (a padded slot is 0, not b σ)
 */
export function augmentedPatches(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `pb${l}`, () => {
    const one = constant(1);
    if (l === 1) return sum(product(channel(0), effectiveKernel(net, 1)), one);
    const padded = net.architecture.layers[l - 1]!.padding.some((pad) => pad > 0);
    const reach = padded ? minimum([channel(l - 1), sum(biasEffectiveChannels(net, l - 1), one)]) : biasEffectiveChannels(net, l - 1);
    return sum(product(reach, effectiveKernel(net, l)), one);
  });
}

/**
 * ν̃_l: with bias, null directions of H on conv l alone (docs/cnn.md#bias-null-directions-on-one-layer).
 * Conv 1: c_1 (c_0 e_1 + 1 − min(c_0 e_1 + 1, N u_1, r u_1 + 1)), the (kernel, bias) directions vanishing on
 * the augmented patches of the N samples. Conv l ≥ 2: the larger of c_l (c_{l-1} − min(c_{l-1}, ω_{l-1} + 1)) e_l
 * − (x̃_l − 1)_+ (kernel directions reading no channel of map l−1) and c_l (c_{l-1} e_l + 1 − min(c_{l-1} e_l + 1,
 * N u_l, π̂_l)) − x̃_l ((kernel, bias) directions vanishing on map l−1's augmented patches), and 0.
 */
export function biasLayerNull(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `nub${l}`, () => {
    const zero = constant(0);
    const one = constant(1);
    const row = sum(product(channel(l - 1), effectiveKernel(net, l)), one);
    if (l === 1) return product(channel(1), difference(row, minimum([row, product(symbol('N'), used(net, 1)), sum(product(dataRank(), used(net, 1)), one)])));
    const reach = minimum([channel(l - 1), sum(biasEffectiveChannels(net, l - 1), one)]);
    const below = maximum([zero, difference(biasCoupling(net, l), one)]);
    // conv 2: these directions read conv 1's directions only through the c_1 − reach channels they see
    const st = minimum([augmentedDataRank(), outputs(net)]);
    const coupling = l === 2 ? minimum([below, product(difference(channel(1), reach), minimum([augmentedPatches(net, 1), product(st, used(net, 1))]))]) : below;
    const unreached = difference(product(channel(l), difference(channel(l - 1), reach), effectiveKernel(net, l)), coupling);
    const silent = difference(product(channel(l), difference(row, minimum([row, product(symbol('N'), used(net, l)), augmentedPatches(net, l)]))), biasCoupling(net, l));
    return maximum([zero, unreached, silent]);
  });
}

/**
 * ν̂̃_l ≥ ν̃_l: with bias, the kernel null directions of H on conv l alone (docs/cnn.md#bias-null-directions-of-the-kernels).
 * With π̃_l = min(π̂_l, s̃ u_l) (the augmented patches of the s̃ augmented images) and ã_l = min(c_l, K u_l,
 * min_{j>l} c_j ∏_{i=l+1}^{j} e_i) (λ ↦ A_l (λ ⊗ I) factors through the composed kernels applied to λ), the largest of
 * ν̃_l; (c_l − ã_l)_+ (c_{l-1} e_l + 1 − π̃_l)_+ (λ ⊗ μ̃: λ unseen above, μ̃ = (kernel, bias) orthogonal to the augmented
 * patches); c_l (c_{l-1} e_l + 1 − π̃_l)_+ − K(z̃_{l-1} − s̃)_+ − x̃_l (all of R^{c_l} ⊗ Π̃_l^⊥ less J and the coupling below);
 * (c_l − c_{l+1} e_{l+1})_+ (c_{l-1} e_l + 1 − min(c_{l+1} e_{l+1}, π̃_l))_+ (λ killed by the next kernel); and for l ≥ 2
 * ν̃ᵃ_l + (c_l − ã_l)_+ (ϱ_{l-1} e_l + 1 − π̃_l)_+ (the directions reading no channel of map l−1, ϱ_{l-1} = min(c_{l-1}, ω_{l-1} + 1),
 * share with Λ ⊗ Π̃_l^⊥ only Λ ⊗ ((𝒞 ⊗ R^{e_l})^⊥ ⊕ 0)).
 */
/**
 * ω*_l: with bias, the channel space of the linear part of map l (map l less its per-channel constant): an unpadded
 * convolution maps the constant of map l−1 to a constant, so ω*_l = min(c_l, ω*_{l-1} e_l), and
 * min(c_l, min(c_{l-1}, ω*_{l-1} + 1) e_l) when conv l pads (ω*_0 = c_0).
 */
export function linearChannels(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `hl${l}`, () => {
    if (l === 0) return channel(0);
    const below = padded(net, l) ? minimum([channel(l - 1), sum(linearChannels(net, l - 1), constant(1))]) : linearChannels(net, l - 1);
    return minimum([channel(l), product(below, effectiveKernel(net, l))]);
  });
}

/** π*_l ≤ π̂_l: the augmented patches conv l reads span ≤ (ω*_{l-1}, or min(c_{l-1}, ω*_{l-1} + 1) when conv l pads) e_l + 1 */
export function linearPatches(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `pl${l}`, () => {
    if (l === 1) return augmentedPatches(net, 1);
    const below = padded(net, l) ? minimum([channel(l - 1), sum(linearChannels(net, l - 1), constant(1))]) : linearChannels(net, l - 1);
    return minimum([augmentedPatches(net, l), sum(product(below, effectiveKernel(net, l)), constant(1))]);
  });
}

export function biasKernelNull(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `nkb${l}`, () => {
    const zero = constant(0);
    const one = constant(1);
    const positive = (e: Expr) => maximum([zero, e]);
    const Lc = net.convolutions;
    const K = outputs(net);
    const st = minimum([augmentedDataRank(), K]);
    const row = sum(product(channel(l - 1), effectiveKernel(net, l)), one);
    const patches = minimum([linearPatches(net, l), product(st, used(net, l))]);
    // (kernel, bias) directions vanishing on map l−1's augmented patches of every input (ν̃_l's second count with π*_l)
    const silent = difference(product(channel(l), difference(row, minimum([row, product(symbol('N'), used(net, l)), linearPatches(net, l)]))), biasCoupling(net, l));
    const composed: Expr[] = [];
    for (let j = l + 1; j <= Lc; j++) composed.push(product(channel(j), ...range(l + 1, j).map((i) => effectiveKernel(net, i))));
    const seen = minimum([channel(l), product(K, used(net, l)), ...composed]);
    const unseen = positive(difference(channel(l), seen));
    const free = positive(difference(row, patches));
    const tensor = product(unseen, free);
    const below = minimum([augmentedDataRank(), ...range(1, l - 1).map((j) => sum(toeplitzBound(net, j), one))]);
    const orthogonal = difference(product(channel(l), free), sum(product(K, positive(difference(below, st))), biasCoupling(net, l)));
    // λ killed by the kernels above: w_{l+1} λ = 0, or w_j ⋯ w_{l+1} λ = 0 through a chain of one-offset convolutions;
    // [λ's, conditions on μ̃ per λ]
    const killed: [Expr, Expr][] = [];
    if (l < Lc) {
      const nextKernel = product(channel(l + 1), effectiveKernel(net, l + 1));
      killed.push([positive(difference(channel(l), nextKernel)), minimum([nextKernel, patches])]);
    }
    for (let j = l + 1; j <= Lc && net.geometry.effectiveKernel[j - 1] === 1; j++) {
      killed.push([positive(difference(channel(l), minimum(range(l + 1, j).map(channel)))), minimum([channel(j), patches])]);
    }
    const terms: Expr[] = [biasLayerNull(net, l), silent, tensor, orthogonal, ...killed.map(([lambdas, conditions]) => product(lambdas, positive(difference(row, conditions))))];
    if (l >= 2) {
      const reach = minimum([channel(l - 1), sum(linearChannels(net, l - 1), one)]);
      const couplingBelow = maximum([zero, difference(biasCoupling(net, l), one)]);
      const coupling = l === 2 ? minimum([couplingBelow, product(difference(channel(1), reach), minimum([augmentedPatches(net, 1), product(st, used(net, 1))]))]) : couplingBelow;
      const unreached = positive(difference(product(channel(l), difference(channel(l - 1), reach), effectiveKernel(net, l)), coupling));
      const window = sum(product(reach, effectiveKernel(net, l)), one);
      const shared = [product(unseen, positive(difference(window, patches))), ...killed.map(([lambdas, conditions]) => product(lambdas, positive(difference(window, conditions))))];
      terms.push(sum(unreached, maximum(shared)));
    }
    return maximum(terms);
  });
}

/**
 * With bias, the null directions of H on conv l alone under the stack above it
 * (docs/cnn.md#bias-null-directions-of-a-convolution-under-the-stack-above-it): max(ν̂̃_l, c_l (c_{l-1} e_l + 1) − ρ̃_l − x̃_l),
 * ρ̃_l (symbol rsb_l) the generic rank of (b, β) ↦ (J v, the blocks of H_F v on the layers above conv l) on the augmented
 * maps, computed on the grid (src/cnn/stackNull.ts); conv 1 has no coupling below.
 */
export function biasStackNull(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `nsb${l}`, () => {
    const entries = product(channel(l), sum(product(channel(l - 1), effectiveKernel(net, l)), constant(1)));
    // the coupling below on them: ≤ x̃_l, and ≤ s̃ (c_{l-1} u_{l-1} + 1 − ẑ̃_{l-1}) (the lower stack's tangent at the s̃ augmented images off col Z̃_{l-1})
    const st = minimum([augmentedDataRank(), outputs(net)]);
    const below =
      l === 1
        ? constant(0)
        : minimum([maximum([constant(0), biasCoupling(net, l)]), product(st, difference(sum(product(channel(l - 1), used(net, l - 1)), constant(1)), symbol(`rzb${l - 1}`)))]);
    return maximum([biasKernelNull(net, l), difference(difference(entries, symbol(`rsb${l}`)), below)]);
  });
}

/**
 * With bias, the null directions of H on conv l alone with the coupling below bounded by the lower stack's tangent off col Z̃_{l-1}
 * (docs/cnn.md#bias-the-lower-stacks-tangent-off-col-z_j): max(ν̃^s_l, c_l (c_{l-1} e_l + 1) − ρ̃_l − ω̃_{l-1}) for l ≥ 2, ω̃_{l-1}
 * (symbol owb_{l-1}) computed on the grid (src/cnn/stackNull.ts).
 */
export function biasStackTangentNull(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `nsp${l}`, () => {
    if (l === 1) return biasStackNull(net, l);
    const entries = product(channel(l), sum(product(channel(l - 1), effectiveKernel(net, l)), constant(1)));
    return maximum([biasStackNull(net, l), difference(difference(entries, symbol(`rsb${l}`)), symbol(`owb${l - 1}`))]);
  });
}

/**
 * ν̃^s_l (biasStackNull) with, on an unpadded conv 2, the directions off the linear part of map 1 whose bias absorbs the shift
 * (docs/cnn.md#bias-the-shift-absorbed-by-conv-2): c_2 (c_1 − ω*_1) e_2 − min(x̃_2, (c_1 − ω*_1) min(c_0 e_1 + 1, s̃ u_1)).
 */
export function biasShiftNull(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `nab${l}`, () => {
    const kernelNull = biasStackNull(net, l);
    if (l !== 2 || padded(net, 2)) return kernelNull;
    const off = difference(channel(1), linearChannels(net, 1));
    const st = minimum([augmentedDataRank(), outputs(net)]);
    const through = product(off, minimum([augmentedPatches(net, 1), product(st, used(net, 1))]));
    return maximum([kernelNull, difference(product(channel(2), off, effectiveKernel(net, 2)), minimum([biasCoupling(net, 2), through]))]);
  });
}

/**
 * x̃_j: with bias, H_F's block coupling layer j to the (affine) layers below, ≤ min(parameters of layer j, τ̃_{j-1});
 * for conv j < L through Λ_j = (W T_{L-1} ⋯ T_{j+1})ᵀ Σ̃: ĥ̃_j of its output channels, the stack on s̃_j images
 * (docs/cnn.md#bias-the-channels-read-a-11-conv-1-and-the-block-elimination-on-conv-1)
 */
export function biasCoupling(net: SymbolicConvolutional, j: number): Expr {
  return memo(net, `xb${j}`, () => {
    if (j === 1) return constant(0);
    if (j === net.depth) return minimum([denseParameters(net), biasStackTangent(net, j - 1)]);
    return minimum([product(biasReadChannels(net, j), channel(j - 1), effectiveKernel(net, j)), biasStackTangent(net, j - 1, j)]);
  });
}

/** ĥ̃_l: with bias, the channels the layers above conv l read, ĥ̃_{L-1} = min(c_{L-1}, s̃ u_{L-1}), ĥ̃_l = min(c_l, ĥ̃_{l+1} e_{l+1}) */
export function biasReadChannels(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `hdb${l}`, () => {
    if (l === net.convolutions) return minimum([channel(l), product(minimum([augmentedDataRank(), outputs(net)]), used(net, l))]);
    return minimum([channel(l), product(biasReadChannels(net, l + 1), effectiveKernel(net, l + 1))]);
  });
}

/**
 * ν^F_j: with bias, null directions of H_F at level j ≥ 3 of the block recursion: conv j−1's λ ⊗ μ with λ off the
 * ĥ̃_{j-1} channels Λ_{j-1} reads and μ orthogonal to map j−2's augmented patches on the s̃_j images (s̃ at j = L),
 * (c_{j-1} − ĥ̃_{j-1}) (c_{j-2} e_{j-1} + 1 − min(π̂_{j-1}, s̃_j u_{j-1}))_+; 0 below level 3
 */
export function biasBlockNull(net: SymbolicConvolutional, j: number): Expr {
  return memo(net, `nfb${j}`, () => {
    if (j < 3) return constant(0);
    const l = j - 1;
    const images = j === net.depth ? minimum([augmentedDataRank(), outputs(net)]) : biasReadImages(net, j);
    const row = sum(product(channel(l - 1), effectiveKernel(net, l)), constant(1));
    return product(difference(channel(l), biasReadChannels(net, l)), maximum([constant(0), difference(row, minimum([augmentedPatches(net, l), product(images, used(net, l))]))]));
  });
}

/** s̃_j = min(s̃, ĥ̃_l u_l for l = j..L−1) ≥ rank Λ_j with bias: the augmented images the stack below conv j is evaluated on */
export function biasReadImages(net: SymbolicConvolutional, j: number): Expr {
  return memo(net, `sdb${j}`, () => minimum([augmentedDataRank(), outputs(net), ...range(j, net.convolutions).map((l) => product(biasReadChannels(net, l), used(net, l)))]));
}

/** w̃_l: with bias, the model space of conv l's augmented patches, c_0 e_1 + 1 for conv 1, min(c_{l-1} e_l + 1, ϖ_{l-1} e_l + 1) above */
export function augmentedModel(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `wb${l}`, () => {
    const one = constant(1);
    if (l === 1) return sum(product(channel(0), effectiveKernel(net, 1)), one);
    const varpi = padded(net, l) ? minimum([channel(l - 1), sum(linearChannels(net, l - 1), one)]) : linearChannels(net, l - 1);
    return minimum([sum(product(channel(l - 1), effectiveKernel(net, l)), one), sum(product(varpi, effectiveKernel(net, l)), one)]);
  });
}

/** π̃_l = min(c_{l-1} e_l + 1, s̃ u_l, w̃_l, π̂_l, c_0 g_l + 1): with bias, the span of conv l's augmented patches on the s̃ images */
export function biasColumnPatchSpan(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `pzb${l}`, () => {
    const one = constant(1);
    const g = composedKernel(net, l);
    const terms = [
      sum(product(channel(l - 1), effectiveKernel(net, l)), one),
      product(minimum([augmentedDataRank(), outputs(net)]), used(net, l)),
      augmentedModel(net, l),
      augmentedPatches(net, l),
      ...(g ? [sum(product(channel(0), g), one)] : []),
      ...(biasGenericPatchSpan(net, l) ? [biasGenericPatchSpan(net, l)!] : []),
    ];
    // conv 1's row, model, π̂ and composed kernel are all c_0 e_1 + 1: each distinct term once
    const seen = new Set<string>();
    return minimum(terms.filter((t) => !seen.has(toText(t)) && seen.add(toText(t)) !== undefined));
  });
}

/**
 * col̃_l: with bias, the bound on the rank of layer l's (kernel, bias) column block of H_F (conv l = 1..L−1; l = L the dense
 * layer), as biasFunctionalColumns in src/cnn/functionalColumns.ts (docs/cnn.md#bias-the-columns-of-h_f)
 */
export function biasFunctionalColumn(net: SymbolicConvolutional, l: number): Expr {
  return memo(net, `cfb${l}`, () => {
    const L = net.depth;
    if (l === L) return biasCoupling(net, L);
    const zero = constant(0);
    const one = constant(1);
    const positive = (e: Expr) => maximum([zero, e]);
    const st = minimum([augmentedDataRank(), outputs(net)]);
    const c = channel(l);
    const hd = biasReadChannels(net, l);
    const row = sum(product(channel(l - 1), effectiveKernel(net, l)), one);
    const w = augmentedModel(net, l);
    const pi = biasColumnPatchSpan(net, l);
    const above = sum(...range(l + 1, L).map((m) => biasCoupling(net, m)));
    // the blocks of layers m and m + 1 share the mixings of map m: κ̃_{l,m} ≥ 1 (the symbol mix{l}m{m} where above 1)
    const shared = (from: number): Expr => {
      const parts = range(from, L - 1).map((m) => aboveMixing(net, l, m));
      const named = parts.filter((part) => toText(part) !== '1');
      const ones = constant(parts.length - named.length);
      return named.length === 0 ? ones : parts.length === named.length ? sum(...named) : sum(ones, ...named);
    };
    const bounds = [product(c, pi), positive(difference(above, shared(l + 1)))];
    if (l + 1 < L) {
      // the layers above conv l+1 reach conv l only through the s̃ arrays they send to map l+1
      const higher = minimum([positive(difference(sum(...range(l + 2, L).map((m) => biasCoupling(net, m))), shared(l + 2))), product(st, channel(l + 1), used(net, l + 1))]);
      bounds.push(positive(difference(sum(biasCoupling(net, l + 1), higher), aboveMixing(net, l, l + 1))));
    }
    const U = minimum(bounds);
    const leaveAbove = sum(
      product(difference(channel(L - 1), biasReadChannels(net, L - 1)), st, used(net, L - 1)),
      ...range(l + 1, L - 1).map((m) => product(difference(channel(m - 1), biasReadChannels(net, m - 1)), biasReadChannels(net, m), effectiveKernel(net, m))),
    );
    if (l === 1) return minimum([U, sum(product(hd, pi), minimum([U, leaveAbove]))]);
    const leaveBelow = sum(...range(1, l - 1).map((j) => product(difference(channel(j), linearChannels(net, j)), augmentedModel(net, j))));
    const D = biasCoupling(net, l);
    // ϑ_l (the symbol cdb{l}): the rank of the differential of conv l's gradient, computed on the grid (src/cnn/columnDifferential.ts)
    const theta = biasColumnDifferentials(net.architecture)[l];
    return minimum([
      product(c, row),
      sum(U, D),
      sum(product(c, pi), minimum([D, product(hd, difference(row, pi))])),
      sum(product(c, pi), minimum([D, product(hd, difference(w, pi))]), minimum([D, leaveBelow])),
      sum(product(hd, w), minimum([D, leaveBelow]), minimum([U, leaveAbove])),
      sum(product(hd, row), minimum([U, product(difference(c, hd), pi), leaveAbove])),
      ...(theta !== undefined ? [symbol(`cdb${l}`)] : []),
    ]);
  });
}

/** a = min(K, c_{L-1} n_{L-1}): the rank of the dense layer */
export function denseRank(net: SymbolicConvolutional): Expr {
  const Lc = net.convolutions;
  return minimum([outputs(net), product(channel(Lc), positionCount(net, Lc))]);
}

/** r̃ = rank [X; 1ᵀ] = min(N, r + 1), s̃ = min(r̃, K), z̃ = min(r̃, t_1 + 1, …, t_{L-1} + 1) */
export function augmentedDataRank(): Expr {
  return minimum([symbol('N'), sum(dataRank(), constant(1))]);
}


/** The value of every symbol the expressions above can use, at the architecture. */
export function symbolValues(net: SymbolicConvolutional): Record<string, number> {
  const a = net.architecture;
  const G = net.geometry;
  const shapes = featureShapes(a);
  const values: Record<string, number> = { K: a.outputs, N: a.samples, r: convolutionalDataRank(a, G), ot: lastConvolutionTangent(a, G, convolutionalDataRank(a, G)), nt: lastConvolutionNull(a, G) };
  G.channels.forEach((c, l) => (values[`c${l}`] = c));
  axes(net).forEach((axis, j) => {
    const pick = (shape: readonly number[]) => (net.dims === 1 ? shape.reduce((x, y) => x * y, 1) : shape[j]!);
    shapes.forEach((shape, l) => (values[`n${axis}${l}`] = pick(shape)));
    a.layers.forEach((layer, i) => (values[`k${axis}${i + 1}`] = pick(layer.kernel)));
  });
  const kappa = kernelElements(a);
  positions(a).forEach((_, l) => (values[`u${l}`] = G.used[l]!));
  // ρ_l of every convolution at the generic data rank (src/cnn/stackNull.ts; the entries where not computed)
  const stack = convolutionalScope(a);
  (stack.rs as number[]).forEach((rho, i) => (values[`rs${i + 1}`] = rho));
  (stack.rz as number[]).forEach((rank, i) => (values[`rz${i + 1}`] = rank));
  values.og = stack.og as number;
  values.sg = stack.sg as number;
  // with bias, ρ̃_l over conv l's kernel and bias on the augmented maps (src/cnn/stackNull.ts; the entries where not computed)
  (stack.rsb as number[]).forEach((rho, i) => (values[`rsb${i + 1}`] = rho));
  (stack.rzb as number[]).forEach((rank, i) => (values[`rzb${i + 1}`] = rank));
  // with bias, ω̃_j: the lower stack's tangent off col Z̃_j (three convolutions; src/cnn/stackNull.ts; the count where not computed)
  (stack.owb as number[]).forEach((omega, j) => (values[`owb${j + 1}`] = omega));
  kappa.forEach((_, i) => {
    values[`e${i + 1}`] = G.effectiveKernel[i]!;
    values[`t${i + 1}`] = G.toeplitzRank[i]!;
    values[`g${i + 1}`] = G.composedKernel[i]!;
    values[`A${i + 1}`] = G.absorbedKernel[i]!;
    values[`R${i + 1}`] = G.shifts[i]!;
  });
  for (let l = 1; l < net.convolutions; l++) {
    for (let m = l + 1; m <= net.convolutions; m++) {
      const value = aboveMixingValue(net, l, m);
      if (value > 1) values[`mix${l}m${m}`] = value;
    }
  }
  genericPatchSpanValues(net).forEach((value, l) => {
    if (Number.isFinite(value)) values[`pg${l}`] = value;
  });
  // with bias, ϑ_l (src/cnn/columnDifferential.ts)
  biasColumnDifferentials(a).forEach((value, l) => {
    if (value !== undefined) values[`cdb${l}`] = value;
  });
  // with bias, π̃°_l and μ̃_i (src/cnn/patchSpan.ts)
  biasGenericPatchSpans(a).forEach((value, l) => {
    if (l >= 2 && Number.isFinite(value)) values[`pgb${l}`] = value;
  });
  for (let i = 2; i <= net.convolutions; i++) {
    const full = ownMixingValue(net, i);
    if (full !== undefined) values[`mub${i}`] = full;
    for (let j = i + 1; j < net.depth; j++) {
      const read = ownMixingValue(net, i, j);
      if (read !== undefined) values[`mub${i}j${j}`] = read;
    }
  }
  // Infinity (several convolutions, or not determined) is left out, as an infinite composed kernel is
  for (const [name, value] of Object.entries(firstConvolutionValues(a))) if (Number.isFinite(value)) values[name] = value;
  return values;
}

/**
 * The catalog vocabulary (src/cnn/vocabulary.ts) written in this network's symbols, for writing a
 * formulas/cnn.json entry symbolically. An infinite composed kernel becomes the symbol `infinity`
 * (such an instance is not compared symbolically); HO and HF stay symbols (the predicted ranks).
 */
export function convolutionalVocabulary(net: SymbolicConvolutional): Map<string, Value> {
  const Lc = net.convolutions;
  const conv = range(1, Lc);
  const scope = new Map<string, Value>();
  const s = dataOutputRank(net);
  scope.set('K', scalar(outputs(net)));
  scope.set('L', scalar(constant(net.depth)));
  scope.set('s', scalar(s));
  scope.set('q', scalar(expansionBottleneck(net)));
  scope.set('M', vector(expandedWidths(net)));
  scope.set('w', vector([product(channel(0), used(net, 0)), ...expandedWidths(net), outputs(net)]));
  scope.set('c0', scalar(channel(0)));
  scope.set('c', vector(conv.map(channel)));
  scope.set('n0', scalar(positionCount(net, 0)));
  scope.set('n', vector(conv.map((l) => positionCount(net, l))));
  scope.set('u0', scalar(used(net, 0)));
  scope.set('u', vector(conv.map((l) => used(net, l))));
  scope.set('k', vector(conv.map((l) => kernel(net, l))));
  scope.set('e', vector(conv.map((l) => effectiveKernel(net, l))));
  scope.set('t', vector(conv.map((l) => toeplitzBound(net, l))));
  scope.set('h', vector(conv.map((l) => effectiveChannels(net, l))));
  scope.set('g', vector(conv.map((j) => composedKernel(net, j) ?? symbol('infinity'))));
  scope.set('b', vector(conv.map((j) => kernelBottleneck(net, j))));
  scope.set('y', vector(conv.map((l) => symmetryReduced(net, l))));
  scope.set('P', vector(range(1, net.depth).map((j) => functionalParameters(net, j))));
  scope.set('x', vector(range(1, net.depth).map((j) => coupling(net, j))));
  scope.set('nu', vector(conv.map((l) => channelNull(net, l))));
  scope.set('hd', vector(conv.map((l) => readChannels(net, l))));
  scope.set('pz', vector(conv.map((l) => columnPatchSpan(net, l))));
  scope.set('cf', vector(range(1, net.depth).map((l) => functionalColumn(net, l))));
  scope.set('nk', vector(conv.map((l) => kernelNull(net, l))));
  scope.set('A', vector(conv.map((l) => symbol(`A${l}`))));
  scope.set('ot', scalar(symbol('ot')));
  scope.set('nt', scalar(symbol('nt')));
  scope.set('og', scalar(symbol('og')));
  scope.set('rs', vector(conv.map((l) => symbol(`rs${l}`))));
  scope.set('rz', vector(range(1, net.convolutions - 1).map((l) => symbol(`rz${l}`))));
  scope.set('ns', vector(conv.map((l) => stackNull(net, l))));
  scope.set('R', vector(conv.map((l) => symbol(`R${l}`))));
  // one convolution: π_1, π̃_1 (src/cnn/patchRank.ts) and κ_t (src/cnn/kernelTangent.ts), computed on the grid
  scope.set('pt', scalar(symbol('pt')));
  scope.set('ptb', scalar(symbol('ptb')));
  scope.set('kt', scalar(symbol('kt')));
  // two convolutions, s = 1: ς, the stabiliser of conv 2's patch pencil (src/cnn/pencilStabiliser.ts)
  scope.set('sg', scalar(symbol('sg')));
  scope.set('xb', vector(range(1, net.depth).map((j) => biasCoupling(net, j))));
  scope.set('cfb', vector(range(1, net.depth).map((l) => biasFunctionalColumn(net, l))));
  scope.set('nfb', vector(range(1, net.depth).map((j) => biasBlockNull(net, j))));
  scope.set('pb', vector(conv.map((l) => augmentedPatches(net, l))));
  scope.set('nub', vector(conv.map((l) => biasLayerNull(net, l))));
  scope.set('nkb', vector(conv.map((l) => biasKernelNull(net, l))));
  scope.set('rsb', vector(conv.map((l) => symbol(`rsb${l}`))));
  scope.set('rzb', vector(range(1, net.convolutions - 1).map((l) => symbol(`rzb${l}`))));
  scope.set('nsb', vector(conv.map((l) => biasStackNull(net, l))));
  scope.set('owb', vector(conv.map((j) => symbol(`owb${j}`))));
  scope.set('nsp', vector(conv.map((l) => biasStackTangentNull(net, l))));
  scope.set('nab', vector(conv.map((l) => biasShiftNull(net, l))));
  scope.set('hb', vector(conv.map((l) => biasEffectiveChannels(net, l))));
  scope.set('yb', vector(conv.map((l) => biasSymmetryReduced(net, l))));
  scope.set('Pb', vector(range(1, net.depth).map((j) => biasFunctionalParameters(net, j))));
  scope.set('merges', scalar(constant(net.merge ? 1 : 0)));
  scope.set('mup', scalar(constant(net.merge?.overlap ? 1 : 0)));
  if (net.merge) scope.set('mc', scalar(net.merge.cost));
  if (net.merge?.overlap) {
    scope.set('mw', scalar(net.merge.overlap.hidden));
    scope.set('mq', scalar(net.merge.overlap.rank));
  }
  scope.set('D', scalar(constant(net.dims)));
  return scope;
}
