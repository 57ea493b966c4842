/**
 * rank(H_O), rank(H_F), rank(H) of a linear CNN f(x) = W T_{L-1} ⋯ T_1 x, derived from the Toeplitz
 * structure with symbolic sizes (src/symbolic/convolutionalNetwork.ts), as steps like the deep-linear
 * derivations; each bound the structure gives is named after the catalog entry (formulas/cnn.json)
 * it should equal, and docs/cnn.md#derivations argues each step in full:
 *
 *   H_O:  S = Σ_l {A_l T_l(dw_l) Z_{l-1}} ⊆ R^{K×N};  rank T_l ≤ t_l ⇒ rank Z_{L-1} ≤ z = min(r, t_1, …, t_{L-1});
 *         rank H_O ≤ min(Kr, q(r + K − q), Kz + a(r − z), Kz + Σ_{l<L-1} y_l + min(y_{L-1}, a(z′ − z)),
 *                        Kz + min(min(K, b n)(r − z), b max(0, c_0 g − b)))
 *   H_F:  L = 2: [[0, B], [Bᵀ, 0]], rank B ≤ c_1 min(c_0 e_1, s n_1);
 *         L ≥ 3: [[0, E], [Eᵀ, C]], hf_2 = 2x_2, hf_3 = min(2x_3 + min(P^f_3 − x_3, 2x_2 − 1), x_3 + γ), hf_j = 2x_j + min(P^f_j − x_j, hf_{j-1} − 1)
 *   H:    rank H ≤ rank H_O + rank H_F − dim(range H_O ∩ range H_F), the gradient in both ranges;
 *         one convolution: the overlap contains the input-side symmetries and what the dimension count forces.
 */
import type { Loss } from '../architecture/fullyConnected.js';
import { convolutionalSyntax } from '../architecture/convolutional.js';
import {
  binary,
  compare,
  constant,
  difference,
  maximum,
  minimum,
  power,
  product,
  substitute,
  sum,
  symbol,
  toTex,
  toText,
  type Expr,
} from './expression.js';
import type { DerivationStep } from './derivation.js';
import {
  channel,
  composedKernel,
  coupling,
  dataOutputRank,
  dataRank,
  denseParameters,
  effectiveChannels,
  effectiveKernel,
  expandedWidths,
  expansionBottleneck,
  functionalColumn,
  genericPatchSpan,
  symbolValues,
  functionalParameters,
  kernel,
  kernelBottleneck,
  outputs,
  positionCount,
  stackTangent,
  symmetryReduced,
  toeplitzBound,
  used,
  allPositionsUsed,
  augmentedDataRank,
  augmentedPatches,
  biasLayerNull,
  biasKernelNull,
  biasStackNull,
  biasStackTangentNull,
  biasShiftNull,
  channelNull,
  kernelNull,
  stackNull,
  biasCoupling,
  biasBlockNull,
  biasFunctionalColumn,
  biasFunctionalParameters,
  biasSymmetryReduced,
  dataThroughStack,
  denseRank,
  lowestCount,
  patchSpan,
  seenParameters,
  unseenFilters,
  type SymbolicConvolutional,
} from './convolutionalNetwork.js';
import { display } from './convolutionalAbbreviations.js';
import { firstConvolutionValues } from '../cnn/vocabulary.js';

export type ConvolutionalQuantity = 'HO' | 'HF' | 'H';

export interface ConvolutionalBound {
  quantity: ConvolutionalQuantity;
  /** what the structure gives: an upper bound, or the exact rank */
  kind: 'exact' | 'upper-bound';
  /** the catalog entry (formulas/cnn.json) this bound is, when there is one */
  catalogId?: string;
  /** short name of the argument */
  name: string;
  /** in the network's symbols (H bounds may use HO and HF, the best bounds on rank H_O and rank H_F) */
  expression: Expr;
  /** a bound that held on every CNN measured but is not derived (its step is a measured one) */
  conjectured?: true;
}

export interface ConvolutionalDerivation {
  network: SymbolicConvolutional;
  quantity: ConvolutionalQuantity;
  steps: DerivationStep[];
  /** every bound the steps give; the rank is at most their minimum */
  bounds: ConvolutionalBound[];
}

const K = (net: SymbolicConvolutional) => outputs(net);
const r = dataRank();
const ls = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const Ktext = (net: SymbolicConvolutional) => (net.architecture.loss === 'ce' ? 'K − 1' : 'K');

function layerText(net: SymbolicConvolutional, l: number): string {
  const { txt, tex } = display(net);
  const layer = net.architecture.layers[l - 1]!;
  const each = (v: readonly number[]) => (net.dims === 1 ? String(v[0]) : v.join('×'));
  const extras = [layer.stride.some((s) => s > 1) ? `stride ${each(layer.stride)}` : '', layer.padding.some((p) => p > 0) ? `padding ${each(layer.padding)}` : ''].filter(Boolean);
  return `conv ${l}: c${l - 1} → c${l} channels, kernel ${txt(kernel(net, l))}${extras.length ? `, ${extras.join(', ')}` : ''}`;
}

export function convolutionalSetup(net: SymbolicConvolutional): DerivationStep {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const sizes = net.dims === 1 ? 'n_l positions' : 'n_l = nh_l · nw_l positions (height × width), kernels κ_l = kh_l · kw_l';
  const relation = net.dims === 1 ? 'n_l = ⌊(n_{l−1} + 2 pad_l − k_l)/s_l⌋ + 1' : 'per axis, nh_l = ⌊(nh_{l−1} + 2 pad_l − kh_l)/s_l⌋ + 1 (and the same for w)';
  return {
    kind: 'setup',
    title: 'the network',
    get text() {
      return (
        `f(x) = W ${Lc === 1 ? 'T_1(w_1)' : `T_${Lc}(w_${Lc}) ⋯ T_1(w_1)`} x${net.architecture.bias ? ' with a bias per output channel of each convolution and per output of W' : ''}, L = ${net.depth} weight layers: ${ls(1, Lc).map((l) => layerText(net, l)).join('; ')}; ` +
        `then W ∈ R^{${Ktext(net)} × c${Lc} n${Lc}}. ${net.dims}D input with c0 channels, ${sizes}, ${relation}. ` +
        `T_l(w) = Σ_j w_j E_j (0/1 matrices, the Toeplitz pattern), c_l n_l × c_{l−1} n_{l−1}. Data X of rank r ≤ c0 u0; ` +
        `${net.architecture.loss === 'mse' ? 'MSE' : 'softmax cross-entropy (K − 1 outputs matter)'} loss; Z_l = T_l ⋯ T_1 X, A_l = W T_{L−1} ⋯ T_{l+1}.`
      );
    },
    latex:
      `f(x) = W\\,${Lc === 1 ? 'T_{1}(w_{1})' : `T_{${Lc}}(w_{${Lc}})\\cdots T_{1}(w_{1})`}\\,x,\\quad T_l(w) = \\sum_j w_j E_j \\in \\mathbb{R}^{c_l n_l \\times c_{l-1} n_{l-1}},\\quad W \\in \\mathbb{R}^{${net.architecture.loss === 'ce' ? 'K-1' : 'K'} \\times c_{${Lc}} n_{${Lc}}},\\quad \\operatorname{rank} X = r`,
  };
}

/** The geometry of this shape: which quantities have closed forms, which are counted. */
export function geometryStep(net: SymbolicConvolutional): DerivationStep {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const lines: string[] = [];
  // the LaTeX lines, written when the step's LaTeX is read
  const texLines: (() => string)[] = [];
  for (let l = 0; l <= Lc; l++) {
    const u = used(net, l);
    lines.push(`u${l} = ${allPositionsUsed(net, l) ? txt(u) + ' (every position is read)' : `u${l} (positions some output depends on)`}`);
    texLines.push(() => `u_{${l}} &= ${tex(u)}`);
  }
  for (let l = 1; l <= Lc; l++) {
    const e = effectiveKernel(net, l);
    const t = toeplitzBound(net, l);
    const padded = net.architecture.layers[l - 1]!.padding.some((p) => p > 0);
    const twoD = net.architecture.input.length > 1;
    lines.push(
      padded
        ? `e${l} counted on the padded windows (offsets that ever read a real input); t${l} = rank T${l} at a generic kernel, computed on the grid (at most Σ over used windows of min(c${l}, c${l - 1} · real inputs))`
        : twoD
          ? `e${l} = ${txt(e)}; t${l} = rank T${l} at a generic kernel, computed on the grid (at most min(c${l - 1}u${l - 1}, c${l}u${l}, u${l} min(c${l}, c${l - 1} e${l})); below it where the 2D kernel polynomials share zeros)`
          : `e${l} = ${txt(e)}, t${l} = ${txt(t)} (columns, rows, and u${l} row blocks of one window: min(c${l}, c${l - 1} e${l}) each)`,
    );
    texLines.push(() => `e_{${l}} &= ${tex(e)}`, () => `t_{${l}} &= ${tex(t)}`);
    const g = composedKernel(net, l);
    if (!g) lines.push(`g${l} = ∞ (a layer above the first pads: the stack is no single convolution)`);
    else if (g.type === 'SymbolNode') lines.push(`g${l} counted on the grid (composed offsets that read a real input)`);
    else lines.push(`g${l} = ${txt(g)}`);
  }
  return {
    kind: 'computation',
    title: 'the geometry of this shape',
    get text() {
      return (
        'Positions some output depends on, kernel offsets that read them, and the rank bound of each Toeplitz matrix (docs/cnn.md#geometry-what-can-matter): ' +
        `${lines.join('; ')}. Every t_l ≥ rank T_l: T_l restricted to used rows and columns has c_{l−1}u_{l−1} columns, c_l u_l rows, and each used window's block of c_l rows reads at most c_{l−1}·(real inputs) columns.`
      );
    },
    get latex() {
      return `\\begin{aligned} ${texLines.map((line) => line()).join(' \\\\ ')} \\end{aligned}`;
    },
  };
}

function grossStep(net: SymbolicConvolutional): DerivationStep {
  return net.architecture.loss === 'mse'
    ? {
        kind: 'computation',
        title: 'H_O is a Gram matrix',
        get text() {
          return 'For MSE ∇²ℓ = I, so rank H_O = rank J = dim S, S = S_1 + ⋯ + S_L ⊆ R^{K×N}, S_l = {A_l T_l(dw_l) Z_{l−1}} (l < L), S_L = {dW Z_{L−1}}.';
        },
        latex: `\\operatorname{rank} H_O = \\dim \\sum_{l=1}^{L} S_l,\\quad S_l = \\{A_l\\,T_l(\\mathrm{d}w_l)\\,Z_{l-1}\\},\\ S_L = \\{\\mathrm{d}W\\,Z_{L-1}\\}`,
      }
    : {
        kind: 'computation',
        title: 'cross-entropy: K becomes K − 1',
        get text() {
          return 'H_O = Σ_i J_iᵀ (diag π_i − π_i π_iᵀ) J_i; the softmax Hessian is invertible on 1^⊥ and kills 1, so range H_O is that of the MSE network with the K − 1 outputs P W (docs/cnn.md#cross-entropy).';
        },
        latex: `\\operatorname{rank} H_O = \\dim \\sum_{l=1}^{L} S_l \\text{ with } K-1 \\text{ outputs}`,
      };
}

/** π_1 (pt), π̃_1 (ptb) or κ_t (kt) has a value at this architecture (one convolution, determined on the grid). */
function determined(net: SymbolicConvolutional, name: 'pt' | 'ptb' | 'kt'): boolean {
  return net.convolutions === 1 && Number.isFinite(firstConvolutionValues(net.architecture)[name]);
}

/** One convolution: the kernel's directions beyond the dense layer, κ_t, a generic rank on full-rank data. */
function kernelTangentStep(net: SymbolicConvolutional, bound: Expr, bias: boolean): DerivationStep {
  const { txt } = display(net);
  return {
    kind: 'computation',
    title: 'one convolution: what the kernel adds to the dense layer',
    get text() {
      return (
        (bias ? 'With the dense bias the dense layer spans R^K ⊗ (row T(w) ⊕ 1) on augmented full-rank data, absorbing the convolution bias; modulo it ' : 'On full-rank data the dense layer spans R^K ⊗ row T(w); modulo it ') +
        'the kernel adds κ_t = dim({W T(dw)} + R^K ⊗ row T(w)) − K rank T(w) directions, the generic rank of the Jacobian [dw ↦ W′T(dw) | dW′ ↦ dW′T(w)] (K′ = min(K, c1 n1) outputs suffice) less K′ t1, computed on the grid ' +
        '(src/cnn/kernelTangent.ts; at most c1 max(0, c0 e1 − c1)). On data of lower rank the kernel\'s directions modulo the dense layer\'s are the image of these, and still lie in col W ⊗ (row X ⊖ row Z_1): ' +
        `rank H_O ≤ ${txt(bound)}.`
      );
    },
    latex: bias ? `\\operatorname{rank} H_O \\le K\\tilde z + \\min\\big(a(\\tilde r - \\tilde z),\\ \\kappa_t\\big)` : `\\operatorname{rank} H_O \\le Kz + \\min\\big(a(r - z),\\ \\kappa_t\\big)`,
  };
}

export function outerProductBounds(net: SymbolicConvolutional): { bounds: ConvolutionalBound[]; steps: DerivationStep[] } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const L = net.depth;
  const z = dataThroughStack(net);
  const a = denseRank(net);
  const q = expansionBottleneck(net);
  const y = ls(1, Lc).map((l) => symmetryReduced(net, l));
  const zp = Lc === 1 ? r : dataThroughStack(net, Lc - 1);
  const Kz = product(K(net), z);
  const trivial = product(K(net), r);
  const expansion = product(q, difference(sum(r, K(net)), q));
  const flag = sum(Kz, product(a, difference(r, z)));
  const symmetries = sum(Kz, ...y.slice(0, -1), minimum([y[Lc - 1]!, product(a, difference(zp, z))]));
  const g = composedKernel(net, Lc);
  const b = kernelBottleneck(net, Lc);
  const composed = g
    ? sum(Kz, minimum([product(minimum([K(net), product(b, positionCount(net, Lc))]), difference(r, z)), product(b, maximum([constant(0), difference(product(channel(0), g), b)]))]))
    : undefined;
  const steps: DerivationStep[] = [
    {
      kind: 'computation',
      title: 'the data pass through the Toeplitz matrices',
      get text() {
        return `Z_{L−1} = T_{L−1} ⋯ T_1 X, so rank Z_{L−1} ≤ min(r, rank T_1, …, rank T_{L−1}) ≤ z = ${txt(z)}.`;
      },
      get latex() {
        return `\\operatorname{rank} Z_{L-1} \\le z = ${tex(z)}`;
      },
    },
    {
      kind: 'computation',
      title: 'bound 1: the outputs',
      get text() {
        return `S ⊆ {E X : E ∈ R^{K×d}}, of dimension K r: rank H_O ≤ ${txt(trivial)}.`;
      },
      get latex() {
        return `\\operatorname{rank} H_O \\le ${tex(trivial)}`;
      },
    },
    {
      kind: 'theorem',
      title: 'bound 2: the Toeplitz expansion',
      get text() {
        return (
          `The CNN is a point of the deep linear network of widths (c0 u0, ${expandedWidths(net).map(txt).join(', ')}, ${Ktext(net)}) (its Toeplitz expansion on used positions); S is a subspace of that network's tangent image, ` +
          `and a rank at a special point never exceeds the generic one, so the deep-linear rank (derive --depth ${L}, proven) bounds it: rank H_O ≤ q(r + ${Ktext(net)} − q), q = ${txt(q)}.`
        );
      },
      get latex() {
        return `\\operatorname{rank} H_O \\le q\\,(r + K - q),\\quad q = ${tex(q)}`;
      },
      cites: ['SBH21'],
    },
    {
      kind: 'computation',
      title: 'bound 3: the dense layer spans the row space of Z_{L−1}',
      get text() {
        return (
          `S_L = R^K ⊗ row(Z_{L−1}) has dimension K·rank Z_{L−1} ≤ K z; every other S_l lies in col(W) ⊗ row(X), which modulo S_L has dimension ≤ a (r − rank Z_{L−1}), a = ${txt(a)}; ` +
          `the sum increases with rank Z_{L−1} (slope K − a ≥ 0), so z may replace it: rank H_O ≤ ${txt(flag)}.`
        );
      },
      get latex() {
        return `\\operatorname{rank} H_O \\le Kz + a\\,(r - z),\\quad a = ${tex(a)}`;
      },
    },
    {
      kind: 'computation',
      title: 'bound 4: channel mixing is absorbed',
      get text() {
        return (
          `T_l(G w) = (G ⊗ I) T_l(w) for G ∈ R^{c_l×c_l}: the mixing of conv l's output channels is absorbed by the layer above (A_l T_l(Gw_l) Z_{l−1} = A_{l+1} T_{l+1}(w_{l+1}∘G) Z_l ∈ S_{l+1}, and by W for l = L − 1), ` +
          `and conv l acts only through the h_{l−1}-dimensional channel space of map l−1: modulo the layers above, S_l adds at most y_l = c_l max(0, h_{l−1} e_l − c_l) directions ` +
          `(${ls(1, Lc).map((l) => `h${l - 1} = ${txt(effectiveChannels(net, l - 1))}`).join(', ')}). ` +
          `The last convolution adds at most min(y_{L−1}, a (z′ − z)) with z′ = ${txt(zp)} (bound 3 one layer down): rank H_O ≤ ${txt(symmetries)}.`
        );
      },
      get latex() {
        return `\\operatorname{rank} H_O \\le Kz + \\sum_{l<L-1} y_l + \\min\\big(y_{L-1},\\ a\\,(z' - z)\\big),\\quad ${ls(1, Lc).map((l) => `y_{${l}} = ${tex(y[l - 1]!)}`).join(',\\ ')}`;
      },
    },
  ];
  const bounds: ConvolutionalBound[] = [
    { quantity: 'HO', kind: 'upper-bound', name: 'outputs', expression: trivial },
    { quantity: 'HO', kind: 'upper-bound', name: 'Toeplitz expansion', expression: expansion },
    { quantity: 'HO', kind: 'upper-bound', name: 'dense layer', expression: flag },
    { quantity: 'HO', kind: 'upper-bound', name: 'channel symmetries', expression: symmetries, ...(Lc === 1 ? { catalogId: 'cnn-one-conv-HO' } : {}) },
  ];
  if (composed) {
    steps.push({
      kind: 'computation',
      title: 'bound 5: the stack is one convolution',
      get text() {
        return (
          `No convolution after the first pads, so P = T_{L−1} ⋯ T_1 is one convolution c0 → c${Lc} with a composed kernel of g${Lc} = ${txt(g!)} effective elements; as a c${Lc} × c0 g${Lc} matrix it factors through b = ${txt(b)} channels ` +
          `(c_i channels times the offsets of the layers above i), so W P = W′ T(v′) with v′ of b channels: the tangent space lies in that of a one-convolution CNN with b channels, whose bound 4 applies: rank H_O ≤ ${txt(composed)}.`
        );
      },
      get latex() {
        return `\\operatorname{rank} H_O \\le Kz + \\min\\big(\\min(K, b\\,n_{L-1})(r - z),\\ b\\max(0, c_0 g_{L-1} - b)\\big),\\quad b = ${tex(b)}`;
      },
    });
    bounds.push({ quantity: 'HO', kind: 'upper-bound', name: 'composed kernel', expression: composed });
  }
  const best = minimum(bounds.map((x) => x.expression));
  bounds.push({ quantity: 'HO', kind: 'upper-bound', name: 'the smallest of the bounds', catalogId: 'cnn-HO', expression: best });
  if (Lc === 1) {
    const tangent = sum(Kz, minimum([product(a, difference(r, z)), symbol('kt')]));
    steps.push(kernelTangentStep(net, tangent, false));
    bounds.push({ quantity: 'HO', kind: 'upper-bound', name: 'the kernel beyond the dense layer', catalogId: 'cnn-one-conv-tangent-HO', expression: tangent });
  }
  return { bounds, steps };
}

/**
 * hf_j: the H_F recursion on the parameters H_F sees, hf_2 = 2x_2,
 * hf_3 = min(2x_3 + min(P^f_3 − x_3, 2x_2 − 1), x_3 + γ) (the dimension count at the two lowest convolutions),
 * hf_j = 2x_j + min(P^f_j − x_j, hf_{j−1} − 1)
 */
export function functionalRecursion(net: SymbolicConvolutional, j: number): Expr {
  const x = coupling(net, j);
  if (j === 2) return product(constant(2), x);
  const step = sum(product(constant(2), x), minimum([difference(seenParameters(net, j), x), difference(functionalRecursion(net, j - 1), constant(1))]));
  return j === 3 ? minimum([step, sum(x, lowestCount(net))]) : step;
}

/** the recursion in the symbols x_j, P^f_j, γ (for display) */
function recursionShape(j: number): Expr {
  const x = symbol(`x${j}`);
  if (j === 2) return product(constant(2), x);
  const step = sum(product(constant(2), x), minimum([difference(symbol(`Pf${j}`), x), difference(recursionShape(j - 1), constant(1))]));
  return j === 3 ? minimum([step, sum(x, symbol('gamma'))]) : step;
}

const recursionIds: Record<number, string> = { 3: 'cnn-two-conv-HF', 4: 'cnn-three-conv-HF', 5: 'cnn-four-conv-HF' };

/**
 * With bias, the quantities read at a generic point (docs/cnn.md#bias-the-patches-and-the-mixings-at-a-generic-point): π̃°_l (pgb),
 * μ̃_i (mub) and κ̃_{l,m} (mix), each named with its value where the network has it.
 */
function biasGenericPointText(net: SymbolicConvolutional): string {
  const values = symbolValues(net);
  const named = (prefix: RegExp) => Object.keys(values).filter((name) => prefix.test(name)).map((name) => `${name} = ${values[name]}`);
  const spans = named(/^pgb\d+$/);
  const pushed = named(/^mub\d+(j\d+)?$/);
  const mixings = named(/^mix\d+m\d+$/);
  const differentials = named(/^cdb\d+$/);
  if (spans.length + pushed.length + mixings.length + differentials.length === 0) return '';
  return (
    'At a generic point (computed on the grid; docs/cnn.md#bias-the-patches-and-the-mixings-at-a-generic-point): ' +
    (spans.length > 0 ? `the augmented patches [patch_t(z_k); σ_k] of the s̃ images at map l−1 span π̃°_l (generic rank, below it with probability ≤ 10⁻⁹: ${spans.join(', ')}), so conv l's own directions span c_l π̃°_l and π̃_l takes it; ` : '') +
    (pushed.length > 0 ? `the mixings M(w_{i−1}, b_{i−1}) of map i−1 (and, conv i unpadded, its shifts) pushed into conv i's own directions (w_i M, Σ_e w_i[·,·,e] δ) span μ̃_i on the images (rank at a random point modulo a prime, never above its generic value: ${pushed.join(', ')}), so τ̃_i ≤ τ̃_{i−1} + c_i π̃°_i − μ̃_i; ` : '') +
    (mixings.length > 0 ? `the blocks of layers m and m + 1 share the mixings of map m in conv l's column (κ̃_{l,m}, ${mixings.join(', ')}), so U_l = min(c_l π̃_l, Σ_{m>l} x̃_m − Σ_{l<m<L} κ̃_{l,m}, x̃_{l+1} + A_l − κ̃_{l,l+1}); ` : '') +
    (differentials.length > 0
      ? `conv l's column lies in the image of the differential of its gradient G(a, z̃) over every array α above (G(α, z̃)) and every direction below of the form T_{l−1}(w_{l−1}) Δ + T_{l−1}(dw) z_{l−2} + B db σ (G(a, [·; 0])), whose generic rank ϑ_l bounds col̃_l (below it with probability ≤ 10⁻⁹: ${differentials.join(', ')}); `
      : '')
  );
}

/** h̃_j: the recursion with bias, h̃_2 = 2x̃_2, h̃_3 = min(2x̃_3 + min(P̃^f_3 − ν^F_3 − x̃_3, 2x̃_2), x̃_3 + γ̃ + c_2), h̃_j = 2x̃_j + min(P̃^f_j − ν^F_j − x̃_j, h̃_{j−1}) (docs/cnn.md#bias) */
export function biasRecursion(net: SymbolicConvolutional, j: number): Expr {
  const x = biasCoupling(net, j);
  if (j === 2) return product(constant(2), x);
  // the compression to ker E_j loses the null directions ν^F_j of conv j−1 (in ker E_j and in the kernel of the block below)
  const step = sum(product(constant(2), x), minimum([difference(difference(seenParameters(net, j, true), biasBlockNull(net, j)), x), biasRecursion(net, j - 1)]));
  return j === 3 ? minimum([step, sum(x, lowestCount(net, true))]) : step;
}

const biasRecursionIds: Record<number, string> = { 3: 'cnn-bias-two-conv-HF', 4: 'cnn-bias-three-conv-HF', 5: 'cnn-bias-four-conv-HF' };

export function functionalBounds(net: SymbolicConvolutional): { bounds: ConvolutionalBound[]; steps: DerivationStep[] } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const L = net.depth;
  const s = dataOutputRank(net);
  const q = expansionBottleneck(net);
  const steps: DerivationStep[] = [
    {
      kind: 'computation',
      title: 'H_F is the Hessian of a multilinear function',
      get text() {
        return `H_F = ∇²φ, φ(θ) = ⟨Σ, W T_{L−1}(w_{L−1}) ⋯ T_1(w_1)⟩ with Σ = G Xᵀ held fixed (G the residuals); generic targets make rank Σ = s = ${txt(s)}.`;
      },
      get latex() {
        return `H_F = \\nabla^2_\\theta \\langle \\Sigma,\\ W\\,T_{L-1}(w_{L-1})\\cdots T_1(w_1)\\rangle,\\quad \\operatorname{rank}\\Sigma = s = ${tex(s)}`;
      },
    },
  ];
  const parameters = sum(seenParameters(net, L), denseParameters(net));
  const expanded = difference(sum(product(constant(2), q, sum(...expandedWidths(net))), product(constant(2), q, s)), product(constant(L), power(q, 2)));
  const bounds: ConvolutionalBound[] = [];
  if (Lc === 1) {
    const patch = product(channel(1), minimum([product(channel(0), effectiveKernel(net, 1)), product(s, positionCount(net, 1))]));
    steps.push({
      kind: 'computation',
      title: 'one convolution: a bilinear form',
      get text() {
        return (
          `φ = ⟨Σ, W T_1(w)⟩ is bilinear in (w, W), so H_F = [[0, B], [Bᵀ, 0]] and rank H_F = 2 rank B, B: dw ↦ Σ T_1(dw)ᵀ ∈ R^{K × c1 n1}. ` +
          `Output channel o's block depends only on its filter dw_o, with entries ⟨dw_o, patch_t(Σ_k)⟩: rank B = c1 · rank of the patch matrix, which has c0 e1 columns that can be nonzero ` +
          `and at most s n1 independent rows (the rows of Σ span s images): rank H_F ≤ 2 ${txt(patch)}.`
        );
      },
      get latex() {
        return `H_F = \\begin{bmatrix} 0 & B \\\\ B^{\\top} & 0 \\end{bmatrix},\\quad \\operatorname{rank} B \\le ${tex(patch)}`;
      },
    });
    steps.push({
      kind: 'computation',
      title: 'the patch matrix: an upper bound, not always attained',
      get text() {
        return (
          'For generic data the rank of the patch matrix is its term rank — the largest set of nonzero entries with no two in a row or column, an entry being zero where the window reads padding (proven in 1D: docs/cnn.md#one-convolution-functional-hessian). ' +
          'That is min(c0 e1, s n1) except where padding leaves some windows only a few real offsets: in=2 ch=2; conv k=3 c=1 s=2 pad=2; K=3 with N = 8 has rank H_F = 10 < 12. So the bound is not exact in general.'
        );
      },
      get latex() {
        return `\\operatorname{rank} H_F = 2\\,c_1\\,\\nu \\le ${tex(product(constant(2), patch))},\\quad \\nu = \\text{term rank of the patch matrix}`;
      },
    });
    bounds.push({ quantity: 'HF', kind: 'upper-bound', name: 'bilinear blocks', catalogId: 'cnn-one-conv-HF', expression: product(constant(2), patch) });
    if (determined(net, 'pt')) {
      const exact = product(constant(2), channel(1), symbol('pt'));
      steps.push({
        kind: 'computation',
        title: 'the patch matrix of generic images: its rank',
        get text() {
          return (
            'The rows of Σ span a generic s-dimensional subspace of the data span, so rank B = c1 π1 with π1 the rank of the patch matrix of s generic images, ' +
            'at most its term rank ν (a nonzero minor needs a nonzero term). In 1D π1 = ν (docs/cnn.md#one-convolution-functional-hessian); otherwise π1 is the generic rank computed on the grid ' +
            `(seeded random integer images; certain when it reaches ν). π1 = pt here: rank H_F = ${txt(exact)}.`
          );
        },
        latex: `\operatorname{rank} H_F = 2\,c_1\,\pi_1,\quad \pi_1 = \operatorname{rank} P \le \nu`,
      });
      bounds.push({ quantity: 'HF', kind: 'exact', name: 'the patch matrix’s rank', catalogId: 'cnn-one-conv-patch-HF', expression: exact });
    }
  } else {
    const xs = ls(2, L).map((j) => coupling(net, j));
    const P = ls(2, L).map((j) => seenParameters(net, j));
    steps.push({
      kind: 'computation',
      title: 'conv 1 acts through the patches of the s images',
      get text() {
        return (
          `Every term of φ = Σ_k ⟨a_k, T_{L−1} ⋯ T_1 b_k⟩ (Σ = Σ_k g_k b_kᵀ over s images) reads conv 1's filters through z_1 = T_1(w_1) b_k, i.e. through ⟨ω_i, patch_u(b_k)⟩: ` +
          `a direction of ω_i orthogonal to the span of those patches (dimension π1 = ${txt(patchSpan(net))}: c0 e1 entries, at most s u1 patches) has zero rows and columns in H_F. ` +
          `So the parameters H_F sees below layer j are P^f_j = P_j − c1 (c0 e1 − π1) (the unseen ${txt(unseenFilters(net))}).`
        );
      },
      get latex() {
        return `\\pi_1 = ${tex(patchSpan(net))},\\quad P^f_j = P_j - c_1 (c_0 e_1 - \\pi_1)`;
      },
    });
    steps.push({
      kind: 'computation',
      title: 'block elimination',
      get text() {
        return (
          'Split θ = (θ′, W), θ′ the kernels; φ is linear in W, so H_F = [[0, E], [Eᵀ, C]], E(dθ′) = Σ dPᵀ, C = ∇²_{θ′}⟨WᵀΣ, P(θ′)⟩, and rank H_F = 2 rank E + rank(C compressed to ker E). ' +
          'rank E ≤ x_L (the tangent space of the convolution stack on s inputs, or the dense parameters); the compression has rank ≤ dim ker E less the unseen filter directions = P^f_L − rank E, and ≤ rank C − dim(range C ∩ range Eᵀ) ≤ rank C − 1 ' +
          '(Euler: C θ′ = (L − 2)∇φ′ ∈ range Eᵀ = (ker E)^⊥ is lost); C has the same structure one level down. Both are increasing in rank E and rank C, so the bounds may be substituted: ' +
          'hf_2 = 2x_2, hf_j = 2x_j + min(P^f_j − x_j, hf_{j−1} − 1).'
        );
      },
      latex: `H_F = \\begin{bmatrix} 0 & E \\\\ E^{\\top} & C \\end{bmatrix},\\quad \\mathrm{hf}_2 = 2x_2,\\ \\mathrm{hf}_j = 2x_j + \\min(P^f_j - x_j,\\ \\mathrm{hf}_{j-1} - 1)`,
    });
    const gamma = lowestCount(net);
    steps.push({
      kind: 'computation',
      title: 'the two lowest convolutions: a dimension count',
      get text() {
        return (
          'At the level of conv 1 and conv 2 (under conv 3 or the dense layer), φ″ = ⟨A, w2 w1⟩ with w2 the c2 e2 × c1 matrix of conv 2, w1 the c1 × c0 e1 matrix of conv 1 and A = Σ_k Σ_t a_k[o, t] patch-of-patches, ' +
          'linear in the top\'s weights a. range C = (R^{c1} ⊗ row A) ⊕ (col A ⊗ R^{c1}) has dimension 2 c1 ρ, ρ = rank A ≤ min(m, π1), m = c2 e2; range Eᵀ = {(w2ᵀΛ, Λ w1ᵀ) : Λ ∈ 𝒜}, 𝒜 the A of every a′. ' +
          'Eᵀ(Λ) lies in range C exactly when the columns of Λ w1ᵀ lie in col A and the rows of w2ᵀΛ in row A: at most (m − ρ) min(c1, π1) + (π1 − ρ) min(c1, m) linear conditions (the rows of every Λ lie in the π1-dimensional patch span), ' +
          'so dim(range C ∩ range Eᵀ) ≥ rank E − that, and 2 rank E + rank C − dim(range C ∩ range Eᵀ) ≤ rank E + γ, ' +
          `γ = 2 c1 ρ + (m − ρ) min(c1, π1) + (π1 − ρ) min(c1, m) = ${txt(gamma)} (increasing in ρ and rank E, so ρ ≤ min(m, π1) and rank E ≤ x_3 may be used): hf_3 ≤ x_3 + γ.`
        );
      },
      get latex() {
        return `\\mathrm{hf}_3 = \\min\\big(2x_3 + \\min(P^f_3 - x_3,\\ 2x_2 - 1),\\ x_3 + \\gamma\\big),\\quad \\gamma = ${tex(gamma)}`;
      },
    });
    const spans = ls(2, L - 1).filter((l) => genericPatchSpan(net, l));
    if (spans.length > 0) {
      steps.push({
        kind: 'computation',
        title: 'the patches at a generic point',
        get text() {
          return (
            `Conv i's own directions on the s images, T_i(dw_i) Z_{i−1}, take the values ⟨dw_i[o], patch_t(z_k)⟩: they span exactly c_i π°_i, π°_i the rank of the patch matrix of the s images at map i−1 ` +
            '(rows: image and used window of conv i; columns: c_{i−1} e_i channel-offset pairs), ≤ min(c_{i−1} e_i, h_{i−1} e_i, s u_i, c_0 g_i). Its entries are polynomials of degree i in the kernels of conv 1..i−1 and the images ' +
            '(sums of at most ∏_{j<i} c_{j−1} κ_j paths), so π°_i is their generic rank, computed on the grid at seeded random integer points (never above it; below it with probability ≤ 10⁻⁹) (docs/cnn.md#several-convolutions-the-patches-at-a-generic-point): ' +
            `${spans.map((l) => `π°${l} = pg${l} = ${symbolValues(net)[`pg${l}`]}`).join(', ')}. In τ_i the part c_i h_{i−1} e_i becomes c_i π°_i (Σ_{l<i} y_l + c_i π°_i and τ_{i−1} + c_i π°_i − 1; fewer images span fewer patches, so π°_i at s images serves s_j ≤ s), and π_l takes π°_l.`
          );
        },
        latex: `\\dim\\{T_i(\\mathrm{d}w_i) Z_{i-1}\\} = c_i\\,\\pi^\\circ_i,\\quad \\tau_i \\le \\min\\big(\\textstyle\\sum_{l<i} y_l + c_i \\pi^\\circ_i,\\ \\tau_{i-1} + c_i \\pi^\\circ_i - 1\\big)`,
      });
    }
    steps.push({
      kind: 'computation',
      title: 'the coupling bounds',
      get text() {
        return (
          'x_L ≤ min(K c_{L−1} n_{L−1}, τ_{L−1}); for conv j < L the block couples through Λ_j = (W T_{L−1} ⋯ T_{j+1})ᵀ Σ held at the point, whose channel vectors lie in a space of dimension ĥ_j ' +
          '(ĥ_{L−1} = min(c_{L−1}, s u_{L−1}), ĥ_l = min(c_l, ĥ_{l+1} e_{l+1})) and whose rank is ≤ s_j = min(s, ĥ_l u_l, l ≥ j): x_j ≤ min(ĥ_j c_{j−1} e_j, τ_{j−1} on s_j images); ' +
          'τ_i = min(s c_i u_i, Σ_{l<i} y_l + c_i h_{i−1} e_i, τ_{i−1} + c_i h_{i−1} e_i − 1, c_i min(c_0 g_i, s u_i), ρ(c_i + c_0 g_i − ρ), Σ_{l<i} c_l (π_l − c_l)_+ + c_i π_i, …), ρ = min(b_i, c_i, c_0 g_i) ' +
          '(the last: conv l\'s own directions span ≤ c_l π_l on the images, π_l the patch span, of which its channel mixings, c_l min(c_l, π_l), lie in conv l+1\'s) ' +
          `(the tangent space dP_i = T_i dP_{i−1} + T_i(dw_i) P_{i−1} of the stack evaluated on s images, whose two parts share P_i V — scaling w_{i−1} or w_i; its symmetries; the composed kernel per channel and as a rank-ρ matrix): ` +
          `${ls(2, L).map((j, i) => `x${j} = ${txt(xs[i]!)}`).join('; ')}; ${ls(2, L).map((j, i) => `P^f${j} = ${txt(P[i]!)}`).join('; ')}.`
        );
      },
      get latex() {
        return `\\begin{aligned} ${ls(2, L).map((j, i) => `x_{${j}} &= ${tex(xs[i]!)}`).join(' \\\\ ')} \\end{aligned}`;
      },
    });
    const recursion = functionalRecursion(net, L);
    steps.push({
      kind: 'computation',
      title: 'the recursion unrolled',
      get text() {
        return `rank H_F ≤ hf_${L} = ${txt(recursionShape(L))}.`;
      },
      get latex() {
        return `\\operatorname{rank} H_F \\le ${tex(recursionShape(L))}`;
      },
    });
    bounds.push({ quantity: 'HF', kind: 'upper-bound', name: 'block recursion', ...(recursionIds[L] ? { catalogId: recursionIds[L] } : {}), expression: recursion });
    const first = sum(coupling(net, L), seenParameters(net, L));
    steps.push({
      kind: 'computation',
      title: 'the first step alone',
      get text() {
        return `min(P^f_L − x_L, ·) ≤ P^f_L − x_L, so rank H_F ≤ 2x_L + P^f_L − x_L = x_L + P^f_L = ${txt(first)}.`;
      },
      latex: `\\operatorname{rank} H_F \\le x_{${L}} + P^f_{${L}}`,
    });
    bounds.push({ quantity: 'HF', kind: 'upper-bound', name: 'first step', catalogId: 'cnn-deep-HF', expression: first });
    if (net.above) {
      const seen = product(channel(1), patchSpan(net));
      const rest = sum(difference(functionalParameters(net, L), functionalParameters(net, 2)), denseParameters(net));
      const aboveBound = sum(product(constant(2), seen), minimum([difference(rest, seen), difference(symbol('HFt'), constant(1))]));
      steps.push({
        kind: 'computation',
        title: 'block elimination on conv 1',
        get text() {
          return (
            `φ is also linear in conv 1's kernel: with θ̃ everything above conv 1, H_F = [[0, F], [Fᵀ, C̃]], C̃ = ∇²_θ̃ φ with w1 held. C̃ is the functional Hessian of the CNN above conv 1 ` +
            `(derive --cnn "${convolutionalSyntax(net.above!.architecture)}" --samples ${net.above!.architecture.samples}) on the data Z1 = T1(w1) X, with the same residuals; ` +
            'at this special point its rank never exceeds that CNN\'s generic rank, so its derived bound HFt stands for it. rank F ≤ c1 π1 (conv 1\'s gradients T_1*(Σ_k β_k b_kᵀ) have their rows in the patch span of the s images), ' +
            'and C̃ θ̃ = (L − 2) ∇_θ̃ φ = (L − 2) Fᵀ(w1) (Euler; φ is multilinear in the layers above conv 1) lies in range Fᵀ = (ker F)^⊥: the compression loses it. ' +
            `So rank H_F ≤ 2 rank F + min(dim ker F, HFt − 1), increasing in rank F: rank H_F ≤ ${txt(aboveBound)}.`
          );
        },
        latex: `\\operatorname{rank} H_F \\le 2c_1\\pi_1 + \\min\\big(P_L - P_2 + K c_{L-1} n_{L-1} - c_1\\pi_1,\\ \\mathrm{HFt} - 1\\big)`,
      });
      bounds.push({ quantity: 'HF', kind: 'upper-bound', name: 'block elimination on conv 1', catalogId: 'cnn-above-first-HF', expression: aboveBound });
    }
    if (Lc === 2) {
      const seen = sum(product(channel(1), patchSpan(net)), product(s, channel(2), positionCount(net, 2)));
      const pencil = minimum([difference(product(constant(2), seen), symbol('sg')), sum(seen, product(channel(2), channel(1), effectiveKernel(net, 2)))]);
      steps.push({
        kind: 'computation',
        title: 'the pencil of conv 2\'s patches',
        get text() {
          return (
            'φ is linear in conv 2\'s kernel, so its block of H_F is zero on conv 2 itself: with U the directions of conv 1 and the dense layer, H_F = [[C, X], [Xᵀ, 0]], and eliminating ' +
            'with X gives rank H_F = 2 rank X + rank(C on ker Xᵀ). ker Xᵀ contains the directions I that H_F does not see (conv 1\'s filters orthogonal to the patches of the s images, ' +
            'the dense directions no residual reads; dim U − dim I ≤ c1 π1 + s c2 n2) and, with s = 1 (φ = Σ_j tr(V A_j w1 P_j), P_j the patches conv 2\'s offset j reads), the directions ' +
            '(w1 Q, −R V) of every (Q, R) with Q P_j = P_j R for all j, on which conv 2\'s rows give w1 (Q P_j − P_j R) V = 0. Modulo I they span ς dimensions (sg, the stabiliser of the pencil ' +
            '(P_j): a generic rank, src/cnn/pencilStabiliser.ts; ς = 1 for s > 1, from Q = I, R = I). C vanishes on I, so rank H_F ≤ 2 (dim U − dim ker Xᵀ) + dim ker Xᵀ − dim I ' +
            `≤ 2 (dim U − dim I) − ς, and ≤ dim U − dim I + rank X with rank X ≤ c2 c1 e2: rank H_F ≤ ${txt(pencil)}.`
          );
        },
        latex: `\\operatorname{rank} H_F \\le \\min\\big(2U - \\varsigma,\\ U + c_2 c_1 e_2\\big),\\quad U = c_1\\pi_1 + s\\,c_2 n_2`,
      });
      bounds.push({ quantity: 'HF', kind: 'upper-bound', name: 'the pencil of conv 2\'s patches', catalogId: 'cnn-two-conv-pencil-HF', expression: pencil });
    }
    const columns = ls(1, L).map((l) => functionalColumn(net, l));
    const columnBound = sum(...columns);
    const mixings = ls(1, L - 2).flatMap((l) => ls(l + 1, L - 1).map((m): [number, number] => [l, m])).filter(([l, m]) => symbolValues(net)[`mix${l}m${m}`] !== undefined);
    steps.push({
      kind: 'computation',
      title: 'the columns of H_F',
      get text() {
        return (
          'rank H_F ≤ Σ_l col_l, col_l the rank of layer l\'s column block (all rows). φ is linear in each layer, so the block of conv l is the Jacobian, in the other layers, of its gradient ' +
          'g_l = G(a, z) = Σ_k Σ_t a_k[·, t] ⊗ patch_t(z_k) (a_k = (W T_{L−1} ⋯ T_{l+1})ᵀ g_k from the layers above, z_k the s images at map l−1 from the layers below): its range is G(da, z) + G(a, dz). ' +
          'G(da, z) ⊆ R^{c_l} ⊗ Π_l, Π_l the span of the patches, dim ≤ π_l = min(c_{l−1} e_l, h_{l−1} e_l, s u_l, c_0 g_l) (a patch of map l−1 is the composed kernel applied to a window of c_0 g_l inputs); ' +
          'each layer m > l couples to conv l with rank ≤ x_m, and the blocks of layers m and m + 1 (l < m < L) share G(da(N), z) for every mixing N of map m ' +
          '(dw_m = N w_m moves the layers above conv l as dw_{m+1} = w_{m+1} ∘ N, or dW = W(N ⊗ I), does; N = I gives g_l = w_mᵀ(H_F)_{m,l}), a space of dimension κ_{l,m} ≥ 1, ' +
          'the rank of N ↦ G(da(N), z) at a seeded random point modulo a prime (never above its value at a generic point, so subtracting it is safe; the symbol mix_{l,m} where it is above 1' +
          `${mixings.length > 0 ? `: ${mixings.map(([l, m]) => `mix${l}m${m} = ${symbolValues(net)[`mix${l}m${m}`]}`).join(', ')}` : ''}); ` +
          'with 𝒰_m the row space of layer m\'s block, dim(𝒰_{l+1} + ⋯ + 𝒰_L) ≤ Σ dim 𝒰_m − Σ dim(𝒰_m ∩ 𝒰_{m+1}), so dim ≤ U_l = min(c_l π_l, Σ_{m>l} x_m − Σ_{l<m<L} κ_{l,m}). ' +
          'G(a, dz) has dim ≤ x_l and lies in V_l ⊗ R^{c_{l−1} e_l} (V_l the ĥ_l-dimensional channel space of Λ_l); it contains g_l too (Euler), so col_l ≤ U_l + x_l − 1 for 1 < l < L. ' +
          'Only the directions below that leave the channel spaces 𝒞_j (ρ_l = Σ_{j<l} (c_j − h_j) h_{j−1} e_j) take G(a, dz) out of V_l ⊗ (𝒞_{l−1} ⊗ R^{e_l}), and only the directions above that leave the read spaces V_m ' +
          '(ρ̂_l = (c_{L−1} − ĥ_{L−1}) s u_{L−1} + Σ_{l<m<L} (c_{m−1} − ĥ_{m−1}) ĥ_m e_m) take G(da, z) out of V_l ⊗ Π_l. The dense layer\'s block is Eᵀ, of rank ≤ x_L. ' +
          `Each count increases with π_l, ĥ_l, h_l and x_j, so their bounds may be used: ${ls(1, L).map((l, i) => `col${l} = ${txt(columns[i]!)}`).join('; ')}; rank H_F ≤ ${txt(columnBound)}.`
        );
      },
      latex: `\\operatorname{rank} H_F \\le \\sum_{l=1}^{${L}} \\mathrm{col}_l,\\quad \\mathrm{col}_{${L}} = x_{${L}},\\ \\mathrm{col}_l \\le \\min\\big(c_l c_{l-1} e_l,\\ U_l + x_l - 1,\\ \\dots\\big)`,
    });
    bounds.push({ quantity: 'HF', kind: 'upper-bound', name: 'columns', catalogId: 'cnn-columns-HF', expression: columnBound });
  }
  steps.push({
    kind: 'computation',
    title: 'the parameters H_F sees',
    get text() {
      return `Kernel entries that only ever multiply padding zeros give zero rows and columns, and so do the c1 (c0 e1 − π1) directions of conv 1's filters orthogonal to the patches of the s images, π1 = ${txt(patchSpan(net))}: rank H_F ≤ P^f_L + K c_{L−1} n_{L−1} = ${txt(parameters)}.`;
    },
    get latex() {
      return `\\operatorname{rank} H_F \\le P^f_{${L}} + K\\,c_{${Lc}}\\,n_{${Lc}} = ${tex(parameters)}`;
    },
  });
  bounds.push({ quantity: 'HF', kind: 'upper-bound', name: 'parameters', catalogId: 'cnn-parameters-HF', expression: parameters });
  steps.push({
    kind: 'theorem',
    title: 'the Toeplitz expansion',
    get text() {
      return `H_F = Φᵀ H_F^{FC} Φ with H_F^{FC} that of the deep linear network of widths (c0 u0, ${expandedWidths(net).map(txt).join(', ')}, ${Ktext(net)}) at this point: rank H_F ≤ 2q Σ_l c_l u_l + 2qs − Lq², q = ${txt(q)}.`;
    },
    get latex() {
      return `\\operatorname{rank} H_F \\le ${tex(expanded)}`;
    },
    cites: ['SBH21'],
  });
  bounds.push({ quantity: 'HF', kind: 'upper-bound', name: 'Toeplitz expansion', catalogId: 'cnn-expanded-HF', expression: expanded });
  return { bounds, steps };
}

/**
 * The null directions of H in the dense layer (docs/cnn.md#null-directions-of-the-dense-layer):
 * P_L + K z + s(c_{L-1} n_{L-1} − z) − (c_{L-1} − c_{L-2} e_{L-1})_+ (s n_{L-1} − c_{L-2} e_{L-1})_+.
 */
function denseNull(net: SymbolicConvolutional): { step: DerivationStep; expression: Expr } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const L = net.depth;
  const s = dataOutputRank(net);
  const z = dataThroughStack(net);
  const n = positionCount(net, Lc);
  const window = product(channel(Lc - 1), effectiveKernel(net, Lc));
  const positive = (e: Expr) => maximum([constant(0), e]);
  const expression = difference(
    sum(functionalParameters(net, L), product(K(net), z), product(s, difference(product(channel(Lc), n), z))),
    product(positive(difference(channel(Lc), window)), positive(difference(product(s, n), window))),
  );
  const step: DerivationStep = {
    kind: 'computation',
    title: 'null directions of H in the dense layer',
    get text() {
      return (
        `H(0, dW) = 0 when dW Z_{L−1} = 0 (H_O) and ∇_θ′⟨dWᵀΣ, T_{L−1} ⋯ T_1⟩ = 0 (H_F: its dense–dense block is zero). Such dW include (col Σ)^⊥ ⊗ (col Z_{L−1})^⊥, of dimension ≥ (K − s)(c${Lc} n${Lc} − z), ` +
        `and, independently, dW with dWᵀ g_j = Σ_η λ_η ν^{(η)}_j: λ_η a left null vector of the last kernel as a c${Lc} × c${Lc - 1} e${Lc} matrix, ν^{(η)} a solution of the patch system Σ_{j,t} ν_{j,t} patch_t(z_j) = 0 ` +
        `of the s images at feature map ${Lc - 1} (s n${Lc} unknowns, c${Lc - 1} e${Lc} equations); these kill T_${Lc}(w)ᵀ dWᵀ g_j, hence every coupling. Of the P_L + K c${Lc} n${Lc} parameters H sees, ` +
        `at least (K − s)(c${Lc} n${Lc} − z) + (c${Lc} − c${Lc - 1} e${Lc})_+ (s n${Lc} − c${Lc - 1} e${Lc})_+ are null directions: rank H ≤ ${txt(expression)}.`
      );
    },
    get latex() {
      return `\\operatorname{rank} H \\le P_{${L}} + Kz + s(c_{${Lc}} n_{${Lc}} - z) - (c_{${Lc}} - c_{${Lc - 1}} e_{${Lc}})_+ (s n_{${Lc}} - c_{${Lc - 1}} e_{${Lc}})_+ = ${tex(expression)}`;
    },
  };
  return { step, expression };
}

/**
 * The null directions of H in the dense layer, counted (docs/cnn.md#counting-the-null-directions-of-the-dense-layer):
 * P_L + K z + min(s(c_{L-1} n_{L-1} − z), x_L − 1, c_{L-1} min(c_{L-2} e_{L-1}, s n_{L-1}) − 1 + s(t_{L-1} − z)).
 */
function denseTangent(net: SymbolicConvolutional): { step: DerivationStep; expression: Expr } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const L = net.depth;
  const s = dataOutputRank(net);
  const z = dataThroughStack(net);
  const n = positionCount(net, Lc);
  const one = constant(1);
  const top = difference(product(channel(Lc), minimum([product(channel(Lc - 1), effectiveKernel(net, Lc)), product(s, n)])), one);
  const projected = minimum([
    product(s, difference(product(channel(Lc), n), z)),
    difference(coupling(net, L), one),
    sum(top, product(s, difference(toeplitzBound(net, Lc), z))),
  ]);
  const expression = sum(functionalParameters(net, L), product(K(net), z), projected);
  const step: DerivationStep = {
    kind: 'computation',
    title: 'null directions of H in the dense layer, counted',
    get text() {
      return (
        `H(0, dW) = 0 exactly when dW Z_{L−1} = 0 and dW ⊥ range E, E(dθ′) = Σ dPᵀ. Split dW along col Σ (s dimensions) and its complement: the complement gives (K − s)(c${Lc} n${Lc} − rank Z_{L−1}), ` +
        `and the part along col Σ is R^s ⊗ (col Z_{L−1})^⊥ (s(c${Lc} n${Lc} − rank Z_{L−1}) dimensions) less the dimension of range E projected onto it, dW ↦ dW Π (Π the projector onto (col Z_{L−1})^⊥). ` +
        `That projection kills Σ Pᵀ (the Euler direction: P Σᵀ = Z_{L−1} Gᵀ), so it is ≤ rank E − 1 ≤ x${L} − 1; and the lower layers' directions Σ (T_${Lc} dP_{<${Lc}})ᵀ project into s copies of col(Π T_${Lc}), of dimension rank T_${Lc} − rank Z_{L−1} ≤ t${Lc} − rank Z_{L−1}, ` +
        `while the last convolution's own directions T_${Lc}(dw) V on the s images V span ≤ c${Lc} min(c${Lc - 1} e${Lc}, s n${Lc}) dimensions, one of them (dw = w) projected to 0. ` +
        `The count decreases with rank Z_{L−1} (slope −K or −K + s), so z ≥ rank Z_{L−1} may replace it: rank H ≤ ${txt(expression)}.`
      );
    },
    get latex() {
      return `\\operatorname{rank} H \\le P_{${L}} + Kz + \\min\\big(s(c_{${Lc}} n_{${Lc}} - z),\\ x_{${L}} - 1,\\ c_{${Lc}}\\min(c_{${Lc - 1}} e_{${Lc}}, s n_{${Lc}}) - 1 + s(t_{${Lc}} - z)\\big) = ${tex(expression)}`;
    },
  };
  return { step, expression };
}

/**
 * Null directions of H on one layer each (docs/cnn.md#null-directions-of-the-kernels): the dense layer's,
 * the larger of the two counts, and per convolution l ≥ 2 the ν_l kernel directions that read only
 * channels map l−1 cannot carry.
 */
function layerNull(net: SymbolicConvolutional): { step: DerivationStep; expression: Expr; dense: Expr } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const L = net.depth;
  const s = dataOutputRank(net);
  const z = dataThroughStack(net);
  const n = positionCount(net, Lc);
  const one = constant(1);
  const positive = (e: Expr) => maximum([constant(0), e]);
  const window = product(channel(Lc - 1), effectiveKernel(net, Lc));
  const second = product(positive(difference(channel(Lc), window)), positive(difference(product(s, n), window)));
  const top = difference(product(channel(Lc), minimum([window, product(s, n)])), one);
  const dense = minimum([
    difference(product(s, difference(product(channel(Lc), n), z)), second),
    difference(coupling(net, L), one),
    sum(top, product(s, difference(toeplitzBound(net, Lc), z))),
  ]);
  const kernels = sum(...Array.from({ length: Lc }, (_, i) => channelNull(net, i + 1)));
  const denseCount = sum(functionalParameters(net, L), product(K(net), z), dense);
  const expression = difference(denseCount, kernels);
  const step: DerivationStep = {
    kind: 'computation',
    title: 'null directions of H in the kernels',
    get text() {
      return (
        `A direction v on one layer l alone is a null direction of H exactly when J v = 0 and H_F v = 0 (H_F's diagonal block of layer l is zero, so the layer-l block of Hv is J_lᵀ J v); directions on different layers are independent. ` +
        `For conv l ≥ 2 the channel vectors of feature map l−1 lie, for every input, in a subspace 𝒞_{l−1} of dimension ≤ h_{l−1} (𝒞_l = Σ_e w_l[·,·,e] 𝒞_{l−1}); the kernel directions b with b[·,·,e] 𝒞_{l−1} = 0 ` +
        `(≥ c_l (c_{l−1} − h_{l−1}) e_l of them) give T_l(b) Z_{l−1} = 0, hence J v = 0 and no coupling to the layers above (each passes through T_l(b) Z_{l−1} Gᵀ); their coupling to the layers below has rank ≤ x_l − 1 ` +
        `(≤ x_l for the block, and it misses the Euler direction: Σ_{j<l} ⟨w_j, (H_F)_{jl} b⟩ = (l − 1)⟨G, J_l b⟩ = 0). With the dense layer's count (the larger of the two above): rank H ≤ ${txt(expression)}.`
      );
    },
    get latex() {
      return `\\operatorname{rank} H \\le P_{${L}} + Kz + \\min(\\dots) - \\sum_{l=2}^{${Lc}} \\big(c_l (c_{l-1} - h_{l-1}) e_l - (x_l - 1)_+\\big)_+ = ${tex(expression)}`;
    },
  };
  return { step, expression, dense: denseCount };
}

/**
 * The kernel null directions of the form λ ⊗ μ (docs/cnn.md#null-directions-of-the-kernels-tensor-products):
 * ν̂_l ≥ ν_l per convolution, subtracted from the dense layer's count as in layerNull.
 */
/**
 * The dense layer's null directions with the last convolution's coupling counted at a generic kernel
 * (docs/cnn.md#null-directions-of-the-dense-layer-and-the-last-convolution-at-a-generic-kernel): the third count of the
 * dense layer's projected coupling is also ≤ ot, the generic rank ω of b ↦ T_{L-1}(b)V modulo col T_{L-1}(w)
 * when Z_{L-2} has full row rank (src/cnn/topTangent.ts).
 */
function topTangentNull(net: SymbolicConvolutional, more: Expr[] = []): { step: DerivationStep; dense: Expr } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const L = net.depth;
  const s = dataOutputRank(net);
  const z = dataThroughStack(net);
  const n = positionCount(net, Lc);
  const ot = symbol('ot');
  const window = product(channel(Lc - 1), effectiveKernel(net, Lc));
  const positive = (e: Expr) => maximum([constant(0), e]);
  const third = minimum([sum(difference(product(channel(Lc), minimum([window, product(s, n)])), constant(1)), product(s, difference(toeplitzBound(net, Lc), z))), ot, ...more]);
  const counted = minimum([
    difference(product(s, difference(product(channel(Lc), n), z)), product(positive(difference(channel(Lc), window)), positive(difference(product(s, n), window)))),
    difference(coupling(net, L), constant(1)),
    third,
  ]);
  const expression = sum(functionalParameters(net, L), product(K(net), z), counted);
  const step: DerivationStep = {
    kind: 'computation',
    title: 'the last convolution’s tangent modulo its column space',
    get text() {
      return (
        `The dense layer's null directions number K(c${Lc} n${Lc} − rank Z_{L−1}) − dim ℰΠ, ℰΠ the coupling Σ dPᵀ projected off col Z_{L−1}. When Z_{L−2} has full row rank on its used coordinates ` +
        `(t_j = c_j u_j for every convolution below the last, and r ≥ c${Lc - 1} u${Lc - 1}), col Z_{L−1} = col T_${Lc}(w): the lower layers' directions T_${Lc}(w) dP_{<${Lc}} V project to 0, and the last convolution's are ` +
        `T_${Lc}(b)V modulo col T_${Lc}(w), V the s images at map ${Lc - 1}, which range over all matrices as the targets vary: dim ℰΠ ≤ ω = rank_generic[(b, R) ↦ T_${Lc}(b)V − T_${Lc}(w)R] − min(s, c${Lc - 1} u${Lc - 1}) t${Lc} ` +
        `(src/cnn/topTangent.ts, seeded exact ranks; ot = ω, else the count c${Lc} c${Lc - 1} e${Lc} + s t${Lc}). So the third count is ≤ ot: rank H ≤ ${txt(expression)}, less the kernel null directions.`
      );
    },
    get latex() {
      return `\\dim \\mathcal{E}\\Pi \\le \\min\\big(c_{${Lc}}\\min(c_{${Lc - 1}} e_{${Lc}}, s n_{${Lc}}) - 1 + s(t_{${Lc}} - z),\\ \\omega\\big),\\quad \\operatorname{rank} H \\le ${tex(expression)} - \\sum_l \\hat\\nu_l`;
    },
  };
  return { step, dense: expression };
}

function tensorNullStep(net: SymbolicConvolutional): DerivationStep {
  const { txt } = display(net);
  const Lc = net.convolutions;
  const counts = Array.from({ length: Lc }, (_, i) => `ν̂${i + 1} = ${txt(kernelNull(net, i + 1))}`).join('; ');
  return {
    kind: 'computation',
    title: 'null directions λ ⊗ μ in the kernels',
    get text() {
      return (
        `A kernel direction b = λ ⊗ μ of conv l (b[o, i, e] = λ_o μ[i, e]) has T_l(b) = (λ ⊗ I) T_l^1(μ), T_l^1 the one-output-channel convolution. ` +
        `If A_l (λ ⊗ I) = 0 (A_l = W T_{L−1} ⋯ T_{l+1}: at least c_l − a_l such λ, a_l = min(c_l, K u_l, c_{l+1} e_{l+1})) then J b = 0 and every coupling to the layers below vanishes (it passes through A_l T_l(b)); ` +
        `if μ is orthogonal to the patches of the s images at map l−1 (c_{l−1} e_l entries, a patch span of dimension ≤ π_l = min(h_{l−1} e_l, s u_l)) then T_l^1(μ) Z_{l−1} Gᵀ = 0 and every coupling to the layers above vanishes. ` +
        `So (c_l − a_l)_+ (c_{l−1} e_l − π_l)_+ null directions of H lie in conv l's kernel; they meet the ν_l directions reading channels map l−1 cannot carry (b[·,·,e] 𝒞_{l−1} = 0) only in λ ⊗ (𝒞_{l−1} ⊗ R^{e_l})^⊥, ` +
        `so together at least ν′_l + (c_l − a_l)_+ (h_{l−1} e_l − π_l)_+, where ν′_l counts the directions reading 𝒞_{l−1}^⊥ against the coupling below only through the entries of dw_j (j < l) that leave 𝒞_j, (c_j − h_j) h_{j−1} e_j each (h_j = dim 𝒞_j for generic kernels), and x_l − 1: ν′_l = (c_l (c_{l−1} − h_{l−1}) e_l − min((x_l − 1)_+, Σ_{j<l} (c_j − h_j) h_{j−1} e_j))_+. A λ with w_{l+1} λ = 0 (≥ (c_l − c_{l+1} e_{l+1})_+ of them, l below the last convolution) kills every term of H v in which w_{l+1} is not differentiated; the coupling to conv l+1 reads μ through its patches and dw_{l+1} through dw_{l+1} λ: ≤ min(c_{l+1} e_{l+1}, π_l) conditions on μ per λ, so (c_l − c_{l+1} e_{l+1})_+ (c_{l−1} e_l − min(c_{l+1} e_{l+1}, π_l))_+ more. And every b in R^{c_l} ⊗ Π_l^⊥ (≥ c_l (c_{l−1} e_l − π_l) dimensions) has no coupling to the layers above; T_l(b) kills the s images in col Z_{l−1}, so J maps these b into R^K ⊗ (row Z_{l−1} less the images), ` +
        `of dimension ≤ K(z_{l−1} − s)_+ (z_0 = r), and on {J b = 0} the coupling to the layers below misses the Euler direction (≤ x_l − 1): at least c_l (c_{l−1} e_l − π_l) − K(z_{l−1} − s)_+ − (x_l − 1)_+ of them are null. ` +
        `Every count decreases with a_l, π_l, h_{l−1}, z_{l−1} and x_l, so their bounds may be used: ${counts}.`
      );
    },
    latex: `\\hat\\nu_l = \\max\\big((c_l - a_l)_+ (c_{l-1} e_l - \\pi_l)_+,\\ c_l (c_{l-1} e_l - \\pi_l)_+ - K(z_{l-1} - s)_+ - (x_l - 1)_+,\\ \\nu'_l + (c_l - a_l)_+ (h_{l-1} e_l - \\pi_l)_+,\\ (c_l - c_{l+1} e_{l+1})_+ (c_{l-1} e_l - \\min(c_{l+1} e_{l+1}, \\pi_l))_+\\big)`,
  };
}

export function lossHessianBounds(net: SymbolicConvolutional): { bounds: ConvolutionalBound[]; steps: DerivationStep[] } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const L = net.depth;
  const HO = symbol('HO');
  const HF = symbol('HF');
  const s = dataOutputRank(net);
  const q = expansionBottleneck(net);
  const parameters = sum(functionalParameters(net, L), denseParameters(net));
  const overlapOne = difference(sum(HO, HF), constant(1));
  const steps: DerivationStep[] = [
    {
      kind: 'computation',
      title: 'H is the sum of its two parts',
      get text() {
        return 'H = H_O + H_F, so range H ⊆ range H_O + range H_F and rank H ≤ rank H_O + rank H_F − dim(range H_O ∩ range H_F); HO and HF below are the best bounds on rank H_O and rank H_F (derive --quantity HO, HF).';
      },
      latex: `\\operatorname{rank} H \\le \\operatorname{rank} H_O + \\operatorname{rank} H_F - \\dim(\\operatorname{range} H_O \\cap \\operatorname{range} H_F)`,
    },
    {
      kind: 'computation',
      title: 'the gradient lies in both ranges',
      get text() {
        return (
          `∇ℒ = Jᵀ(F − Y) ∈ range H_O, and Euler's identity for the multilinear network gives H_F θ = (L − 1)∇ℒ ∈ range H_F; ∇ℒ ≠ 0 for generic targets. ` +
          `With the parameters H sees: rank H ≤ min(HO + HF − 1, P_L + K c_{L−1} n_{L−1}) = ${txt(minimum([overlapOne, parameters]))}.`
        );
      },
      get latex() {
        return `\\operatorname{rank} H \\le \\min\\big(\\mathrm{HO} + \\mathrm{HF} - 1,\\ ${tex(parameters)}\\big)`;
      },
    },
  ];
  const bounds: ConvolutionalBound[] = [{ quantity: 'H', kind: 'upper-bound', name: 'gradient overlap', catalogId: 'cnn-H', expression: minimum([overlapOne, parameters]) }];
  if (Lc === 1) {
    const z = dataThroughStack(net);
    const beta = binary('/', HF, constant(2));
    const n1 = positionCount(net, 1);
    const P2 = functionalParameters(net, 2);
    const count = difference(beta, product(s, difference(product(channel(1), n1), z)));
    // B(w·𝒬) has dimension ≥ A1 − dim ker B = A1 − (c1 c0 e1 − β)
    // inside Im_full = R^K ⊗ T(w)R^{c0 u0} (dimension K rank T ≤ K t1), which holds Im (K dim T(w)U) with codimension ≤ K (t1 − z)
    const overlap = maximum([constant(0), difference(sum(symbol('A1'), difference(beta, product(channel(1), channel(0), effectiveKernel(net, 1)))), product(K(net), difference(toeplitzBound(net, 1), z))), count]);
    const symmetric = difference(sum(P2, product(K(net), z), beta), overlap);
    const nullDirections = denseNull(net);
    const one = minimum([sum(P2, product(K(net), channel(1), n1)), overlapOne, symmetric, nullDirections.expression]);
    steps.push({
      kind: 'computation',
      title: 'one convolution: the ranges meet in the input-side symmetries',
      get text() {
        return (
          'range H_F = range Bᵀ ⊕ range B, range H_O = {(T*(Wᵀ N), N T(w)ᵀ) : N ∈ R^K ⊗ U} (U the data span); enlarging range Bᵀ to the whole kernel space (P_2 dimensions) gives ' +
          'dim(range H_O + range H_F) ≤ P_2 + β + dim Im − dim(Im ∩ range B), Im = R^K ⊗ T(w)U of dimension ≤ K z, β = rank B = HF/2. Im ∩ range B contains ' +
          '(1) what the dimension count forces, β + s·dim T(w)U − s c1 n1 (both lie in col Σ ⊗ R^{c1 n1}), and (2) what it keeps of B(w·𝒬), the input-side symmetries T(w)Q = T(v): ' +
          'B(v) = Σ Qᵀ T(w)ᵀ, so B(w·𝒬), of dimension ≥ A1 − dim ker B = A1 − (c1 c0 e1 − β) (src/cnn/inputSymmetry.ts), lies in Im_full = R^K ⊗ T(w)R^{c0 u0}, which holds Im with codimension ' +
          'K (rank T − dim T(w)U) ≤ K (t1 − dim T(w)U): at least A1 − c1 c0 e1 + β − K (t1 − dim T(w)U) of it is in Im (with full-rank data dim T(w)U = t1: all of it, which gives P_2 + K z + c1 c0 e1 − A1; no injectivity of B needed). ' +
          'The result increases with dim T(w)U, t1 and β and decreases with A1, so the bounds may be substituted: ' +
          `rank H ≤ ${txt(symmetric)}.`
        );
      },
      get latex() {
        return `\\operatorname{rank} H \\le P_2 + Kz + \\beta - \\max\\big(0,\\ A_1 - c_1 c_0 e_1 + \\beta - K(t_1 - z),\\ \\beta - s(c_1 n_1 - z)\\big),\\quad \\beta = \\tfrac12 \\mathrm{HF}`;
      },
    });
    steps.push(nullDirections.step);
    bounds.push({ quantity: 'H', kind: 'upper-bound', name: 'input-side symmetries and dense null directions', catalogId: 'cnn-one-conv-H', expression: one });
    const nk = kernelNull(net, 1);
    const less = (e: Expr) => difference(e, nk);
    const kernelNullOne = minimum([overlapOne, less(minimum([sum(P2, product(K(net), channel(1), n1)), symmetric, nullDirections.expression]))]);
    steps.push(tensorNullStep(net));
    bounds.push({ quantity: 'H', kind: 'upper-bound', name: 'and the kernel null directions λ ⊗ μ', catalogId: 'cnn-one-conv-kernel-null-H', expression: kernelNullOne });
  } else {
    const nullDirections = denseNull(net);
    steps.push(nullDirections.step);
    bounds.push({ quantity: 'H', kind: 'upper-bound', name: 'dense null directions', catalogId: 'cnn-dense-null-H', expression: nullDirections.expression });
    const counted = denseTangent(net);
    steps.push(counted.step);
    bounds.push({ quantity: 'H', kind: 'upper-bound', name: 'dense null directions, counted', catalogId: 'cnn-dense-tangent-H', expression: counted.expression });
    const layers = layerNull(net);
    steps.push(layers.step);
    bounds.push({ quantity: 'H', kind: 'upper-bound', name: 'null directions of the dense layer and of the kernels', catalogId: 'cnn-layer-null-H', expression: layers.expression });
    steps.push(tensorNullStep(net));
    const tensor = difference(layers.dense, sum(...Array.from({ length: Lc }, (_, i) => kernelNull(net, i + 1))));
    bounds.push({ quantity: 'H', kind: 'upper-bound', name: 'null directions of the dense layer and λ ⊗ μ in the kernels', catalogId: 'cnn-kernel-null-H', expression: tensor });
    const top = topTangentNull(net);
    steps.push(top.step);
    const kernels = sum(...Array.from({ length: Lc }, (_, i) => kernelNull(net, i + 1)));
    const generic = maximum([constant(0), difference(symbol('nt'), kernelNull(net, Lc))]);
    steps.push({
      kind: 'computation',
      title: 'null directions of the last convolution at a generic kernel',
      get text() {
        return (
          `A kernel direction b of conv ${Lc} with W T_${Lc}(b) = 0 and T_${Lc}(b) V = 0 (V the s images at map ${Lc - 1}) has J v = W T_${Lc}(b) Z_${Lc - 1} = 0, no coupling to the dense layer (it reads T_${Lc}(b) Z_${Lc - 1} Gᵀ) ` +
          `and none to the layers below (⟨G, W T_${Lc}(b) dZ_${Lc - 1}⟩ = 0). They number c${Lc} c${Lc - 1} e${Lc} less the generic rank of b ↦ (W T_${Lc}(b), T_${Lc}(b) V) (src/cnn/topTangent.ts, seeded exact ranks): ` +
          `nt null directions of H on conv ${Lc}, which replace ν̂_${Lc} where larger: rank H ≤ (the bound above) − ${txt(generic)}.`
        );
      },
      latex: `\\nu^*_{${Lc}} = \\big(c_{${Lc}} c_{${Lc - 1}} e_{${Lc}} - \\operatorname{rank}_{\\text{generic}}[b \\mapsto (W T_{${Lc}}(b), T_{${Lc}}(b) V)] \\big)_+`,
    });
    bounds.push({ quantity: 'H', kind: 'upper-bound', name: 'the dense layer and the last convolution at a generic kernel', catalogId: 'cnn-last-conv-null-H', expression: difference(difference(top.dense, kernels), generic) });
    const stacked = sum(...Array.from({ length: Lc }, (_, i) => stackNull(net, i + 1)));
    steps.push({
      kind: 'computation',
      title: 'null directions of each convolution under the stack above it',
      get text() {
        return (
          'A kernel direction b of conv l (zero elsewhere) is a null direction of H exactly when J v = 0 and every block of H_F v vanishes (H_F has no diagonal block). ' +
          'J v = W T_{L−1} ⋯ T_l(b) Z_{l−1} and the blocks on the layers above conv l, ⟨T_j(·), T_{j−1} ⋯ T_l(b) V W T_{L−1} ⋯ T_{j+1}⟩ and T_{L−1} ⋯ T_l(b) V (V = Z_{l−1} Gᵀ), ' +
          'depend on the kernels above, W, and the data only through a basis of its span pushed to map l−1 and the images V: their generic rank ρ_l (symbol rs_l, src/cnn/stackNull.ts, seeded exact ranks) ' +
          'leaves c_l c_{l−1} e_l − ρ_l directions at the point (a rank there never exceeds the generic one). On them the blocks on the layers below have rank ≤ x_l − 1: ' +
          'paired with the lower weights they give (l − 1)⟨G, J_l b⟩ = 0 (Euler), which is not zero on every b. So conv l has at least ' +
          'max(ν̂_l, ν*_l for the last convolution, c_l c_{l−1} e_l − ρ_l − (x_l − 1)_+) null directions of H on its own: ' +
          `The dense layer's coupling projected off col Z_{L−1} has dimension ≤ og = ω_g, the generic rank of (b, R) ↦ dP(b) V_0 + P B_0 R over every convolution's kernel less s ẑ_{L−1} ` +
          `(src/cnn/stackNull.ts; where Z_{L−2} has full row rank it is ot's count): rank H ≤ (the dense layer's count, its third term also ≤ og) − ${txt(stacked)}.`
        );
      },
      latex: `\\operatorname{rank} H \\le P_L + Kz + \\min(\\dots) - \\sum_{l=1}^{${Lc}} \\max\\big(\\hat\\nu_l,\\ [l = ${Lc}]\\,\\nu^*_{${Lc}},\\ c_l c_{l-1} e_l - \\rho_l - [l \\ge 2](x_l - 1)_+\\big)`,
    });
    bounds.push({ quantity: 'H', kind: 'upper-bound', name: 'null directions of each convolution under the stack above it', catalogId: 'cnn-stack-null-H', expression: difference(topTangentNull(net, [symbol('og')]).dense, stacked) });
  }
  const expanded = difference(sum(product(constant(2), q, sum(...expandedWidths(net))), product(q, sum(r, K(net)))), product(constant(L), power(q, 2)));
  steps.push({
    kind: 'theorem',
    title: 'the Toeplitz expansion',
    get text() {
      return `The CNN is a point of the deep linear network of widths (c0 u0, ${expandedWidths(net).map(txt).join(', ')}, ${Ktext(net)}): rank H ≤ 2q Σ_l c_l u_l + q(r + K) − Lq² = ${txt(expanded)}.`;
    },
    get latex() {
      return `\\operatorname{rank} H \\le ${tex(expanded)}`;
    },
    cites: ['SBH21'],
  });
  bounds.push({ quantity: 'H', kind: 'upper-bound', name: 'Toeplitz expansion', catalogId: 'cnn-expanded-H', expression: expanded });
  return { bounds, steps };
}

/** A 1×1 convolution merged into its neighbour: the CNN is the merged CNN reparametrised (docs/cnn.md#merging-11-convolutions). */
function mergeBounds(net: SymbolicConvolutional, quantity: ConvolutionalQuantity): { steps: DerivationStep[]; bounds: ConvolutionalBound[] } {
  const { txt, tex } = display(net);
  const merge = net.merge!;
  const l = merge.layer;
  const syntax = convolutionalSyntax(merge.net.architecture);
  const how =
    l === 1
      ? 'conv 1 is 1×1 with stride 1: T_2(w_2) T_1(w_1) = T_2(w_2 ∘ w_1), one convolution c0 → c2 with conv 2\'s kernel, stride and padding'
      : `conv ${l} is 1×1 without padding: T_${l}(w_${l}) T_${l - 1}(w_${l - 1}) = T′(w_${l} w_${l - 1}), one convolution c${l - 2} → c${l} with conv ${l - 1}'s kernel and padding and the product of the strides`;
  const bias = net.architecture.bias;
  const symbolName = { HO: 'HOm', HF: 'HFm', H: 'Hm' }[quantity];
  const expression = quantity === 'HO' ? symbol('HOm') : sum(symbol(symbolName), merge.cost);
  const label = { HO: 'H_O', HF: 'H_F', H: 'H' }[quantity];
  const affine = bias
    ? ` With bias the 1×1 convolution maps the per-channel constant B b${l - 1} to a per-channel constant: [v | v_b] = w${l} [w${l - 1} | b${l - 1}] + [0 | b${l}], one affine convolution, and G has the merged bias as one more column.`
    : '';
  const steps: DerivationStep[] = [
    {
      kind: 'computation',
      title: `a 1×1 convolution merges`,
      get text() {
        return (
          `${how}.${affine} The CNN is the merged CNN ${syntax} reparametrised by θ ↦ θ′ with Jacobian D: H_O = Dᵀ H′_O D, H_F = Dᵀ H′_F D + C, H = Dᵀ H′ D + C, ` +
          `where C couples only the two merged kernels, [[0, M], [Mᵀ, 0]] with M the bilinear form ⟨G, ·⟩ of the merged kernel's gradient, of rank ≤ mc = ${txt(merge.cost)}. ` +
          `The merged CNN's ranks at this point never exceed its generic ones, so its derived bounds (derive --cnn "${syntax}") HOm, HFm, Hm stand for them: rank ${label} ≤ ${txt(expression)}.`
        );
      },
      get latex() {
        return `\\operatorname{rank} ${label} \\le ${tex(expression)},\\quad \\mathrm{mc} = ${tex(merge.cost)}`;
      },
    },
  ];
  const ids = bias
    ? { HO: 'cnn-bias-merged-HO', HF: 'cnn-bias-merged-HF', H: 'cnn-bias-merged-H', overlap: 'cnn-bias-merged-overlap-HF', H_overlap: 'cnn-bias-merged-overlap-H' }
    : { HO: 'cnn-merged-HO', HF: 'cnn-merged-HF', H: 'cnn-merged-H', overlap: 'cnn-merged-overlap-HF', H_overlap: 'cnn-merged-overlap-H' };
  const id = ids[quantity];
  const bounds: ConvolutionalBound[] = [{ quantity, kind: 'upper-bound', name: 'merged 1×1 convolution', catalogId: id, expression }];
  if (quantity !== 'HO' && merge.overlap) {
    const { hidden, rank } = merge.overlap;
    // 2 mw q − q² (+ q with bias: the overlap must vanish on the bias column)
    const gain = bias ? sum(difference(product(constant(2), hidden, rank), power(rank, 2)), rank) : difference(product(constant(2), hidden, rank), power(rank, 2));
    const overlap = sum(symbol(symbolName), gain);
    const two = net.convolutions === 2;
    const claim = bias
      ? `rank ${label} ≤ ${symbolName} + 2 mw mq − mq² + mq = ${txt(overlap)}, mw = c${l - 1}, mq = ${txt(rank)} ≥ q = min(c${l - 1}, rank G) (2 c${l - 1} q − q² + q increases with q ≤ c${l - 1} and stays at c${l - 1}(c${l - 1} + 1) beyond, so the bound may replace it)`
      : `rank ${label} ≤ ${symbolName} + 2 mw mq − mq² = ${txt(overlap)}, mw = c${l - 1}, mq = ${txt(rank)} ≥ q = min(c${l - 1}, rank G) (2 c${l - 1} q − q² increases with q ≤ c${l - 1}, so the bound may replace it)`;
    if (quantity === 'HF' && two && bias) {
      steps.push({
        kind: 'computation',
        title: 'the two terms of H_F overlap (bias)',
        get text() {
          return (
            `As without bias, G = ∇_{[v | v_b]} φ′ does not depend on the kernels and biases; ρ = rank G ≤ mq (G has the bias column and sums over the s̃ augmented images), rank C = 2 c${l - 1} ρ. ` +
            `D also carries b${l}, whose component of Dᵀ(Λ, 0) is Λ's bias column, so Dᵀ(Λ, 0) = (w${l}ᵀΛ, Λ [w${l - 1} | b${l - 1}]ᵀ, Λ e_bias) lies in range C = {(dw${l}ᵀ G, G [dw${l - 1} | db${l - 1}]ᵀ, 0)} when Λ = Z G = G Y has a zero bias column: ` +
            `col G ⊗ (row G ∩ e_bias^⊥), of dimension ρ(ρ − 1) (G's bias column is generic), on which Dᵀ vanishes in (ρ − c${l - 1})_+ (ρ − 1 − c${l - 1})_+ dimensions. ` +
            `So rank H_F ≤ HFm + 2 c${l - 1} ρ − ρ(ρ − 1) + (ρ − c${l - 1})_+ (ρ − 1 − c${l - 1})_+ = HFm + 2 c${l - 1} q − q² + q, q = min(c${l - 1}, ρ): ${claim}.`
          );
        },
        get latex() {
          return `\\operatorname{rank} H_F \\le \\mathrm{HFm} + 2\\,\\mathrm{mw}\\,\\mathrm{mq} - \\mathrm{mq}^2 + \\mathrm{mq},\\quad \\mathrm{mw} = c_{${l - 1}},\\ \\mathrm{mq} = ${tex(rank)}`;
        },
      });
      bounds.push({ quantity, kind: 'upper-bound', name: 'merge overlap', catalogId: ids.overlap, expression: overlap });
      bounds.push(mergeImage(net, steps));
    } else if (quantity === 'HF' && two) {
      steps.push({
        kind: 'computation',
        title: 'the two terms of H_F overlap',
        get text() {
          return (
            `G = ∇_v φ′ does not depend on the kernels (φ′ = ⟨Σ, W T′(v)⟩ is linear in v): G = Σ_{k,t} a_{k,t} patch_t(b_k)ᵀ over the s images and the u${l} used positions, so ρ = rank G ≤ mq, and rank C = 2 c${l - 1} ρ. ` +
            `H′_F(0, dW) = (B dW, 0) with range B = R^{c${l}} ⊗ span{patch_t(b)} ⊇ col G ⊗ row G, and D is the identity on W, so Dᵀ(Λ, 0) = (w${l}ᵀΛ, Λ w${l - 1}ᵀ, 0) ∈ range Dᵀ H′_F D; ` +
            `for Λ = Z G = G Y this is C(w${l - 1} Yᵀ, Zᵀ w${l}) ∈ range C. For generic kernels (independent of G) the map Λ ↦ (w${l}ᵀΛ, Λ w${l - 1}ᵀ) has a kernel of dimension (ρ − c${l - 1})_+² on col G ⊗ row G, ` +
            `so the ranges meet in ≥ ρ² − (ρ − c${l - 1})_+² dimensions and rank H_F ≤ HFm + 2 c${l - 1} ρ − ρ² + (ρ − c${l - 1})_+² = HFm + 2 c${l - 1} q − q², q = min(c${l - 1}, ρ): ${claim}.`
          );
        },
        get latex() {
          return `\\operatorname{rank} H_F \\le \\mathrm{HFm} + 2\\,\\mathrm{mw}\\,\\mathrm{mq} - \\mathrm{mq}^2,\\quad \\mathrm{mw} = c_{${l - 1}},\\ \\mathrm{mq} = ${tex(rank)}`;
        },
      });
      bounds.push({ quantity, kind: 'upper-bound', name: 'merge overlap', catalogId: ids.overlap, expression: overlap });
      bounds.push(mergeImage(net, steps));
    } else if (quantity === 'H' && two) {
      const vanish = bias ? `(ρ − c${l - 1})_+ (ρ − 1 − c${l - 1})_+` : `(ρ − c${l - 1})_+²`;
      const count = bias ? `ρ(ρ − 1) − ${vanish}` : `ρ² − ${vanish}`;
      steps.push({
        kind: 'computation',
        title: `the two terms of H overlap${bias ? ' (bias)' : ''}`,
        get text() {
          return (
            `Pencil lemma: H′ = H′_O + H′_F with H′_O ⪰ 0 and H′_F linear in the residual, which generic targets leave free; with the residual scaled by t, ` +
            `a polynomial vector x(t) = Σ_j t^j x_j with (H′_O + t H′_F) x(t) = 0 has x_j′ᵀ H′_F x_j constant along j + j′ and zero at the ends, so x_jᵀ H′_O x_j = 0: every x_j lies in ker H′_O ∩ ker H′_F. ` +
            `So at generic points rank H′ = dim(range H′_O + range H′_F), and at this (special) point dim(range H′_O + range H′_F) ≤ the merged CNN's generic rank, bounded by Hm. ` +
            `range H ⊆ range H_O + range H_F ⊆ Dᵀ(range H′_O + range H′_F) + range C, and the overlap of ${ids.overlap} — Dᵀ(Λ, 0) with (Λ, 0) = H′_F(0, dW) ∈ range H′_F${bias ? ' and Λ e_bias = 0' : ''}, in range C, of dimension ≥ ${count} — lies in both terms: ` +
            `rank H ≤ Hm + 2 c${l - 1} ρ − (${count}) = ${bias ? `Hm + 2 c${l - 1} q − q² + q` : `Hm + 2 c${l - 1} q − q²`}, q = min(c${l - 1}, ρ): ${claim}.`
          );
        },
        get latex() {
          return `\\operatorname{rank} H \\le \\mathrm{Hm} + 2\\,\\mathrm{mw}\\,\\mathrm{mq} - \\mathrm{mq}^2${bias ? ' + \\mathrm{mq}' : ''},\\quad \\ker H' = \\ker H'_O \\cap \\ker H'_F,\\ \\mathrm{mq} = ${tex(rank)}`;
        },
      });
      bounds.push({ quantity, kind: 'upper-bound', name: 'merge overlap', catalogId: ids.H_overlap, expression: overlap });
    } else {
      if (!bias) {
        // three or more convolutions: the part of the overlap that holds at every point (Euler and the channel
        // mixing with Eᵀv = 0), docs/cnn.md#the-overlap-that-is-derived-for-three-or-more-convolutions
        const gradient = sum(symbol(symbolName), binary('/', merge.cost, constant(2)), product(hidden, rank), constant(-1));
        const space = quantity === 'HF' ? 'rank H′_F' : 'dim(range H′_O + range H′_F) (the pencil lemma: ≤ the merged CNN\'s generic rank H′, bounded by Hm)';
        steps.push({
          kind: 'computation',
          title: `the two terms of ${label} overlap in span{G} + U ⊗ row G`,
          get text() {
            return (
              `G = ∇_v φ′ does not depend on the kernels (φ′ is linear in v), ρ = rank G ≤ mc/(2 c${l - 1}) (G is c${l} × c${l - 2} e${l - 1}), rank C = 2 c${l - 1} ρ. ` +
              `Two vectors of range H′_F on the merged kernel alone hold at every point: Euler (H′_F θ′ = (n − 1)∇φ′) and freezing (H′_F θ′_v = ∇φ′ − (G, 0)) give (G, 0) = H′_F(θ′/(n − 1) − θ′_v); ` +
              `channel mixing (φ′ with u → uEᵀ equals φ′ with v → Eᵀv, u the layer above v) gives H′_F(uEᵀ on u) = (EG, 0) + the other layers' gradients of φ′ with v → Eᵀv, which vanish when Eᵀv = 0. ` +
              `So 𝒮 = span{G} + U ⊗ row G, U = col G ∩ (col v)^⊥, lies in range H′_F and in col G ⊗ row G, and Dᵀ(𝒮, 0) ⊆ Dᵀ range H′_F ∩ range C (Λ = ZG = GY gives Dᵀ(Λ, 0) = C(w${l - 1}Yᵀ, Zᵀw${l})). ` +
              `For generic w${l - 1}, w${l} (independent of G) w${l}ᵀG ≠ 0, U = col G ∩ (col w${l})^⊥ has dimension (ρ − c${l - 1})_+, and Dᵀ vanishes on 𝒮 only on U ⊗ (row G ∩ (row w${l - 1})^⊥): dim Dᵀ(𝒮, 0) ≥ 1 + c${l - 1}(ρ − c${l - 1})_+ when ρ ≥ 1. ` +
              `Hence rank ${label} ≤ ${space} + 2 c${l - 1} ρ − 1 − c${l - 1}(ρ − c${l - 1})_+ = ${symbolName} + c${l - 1}(ρ + min(ρ, c${l - 1})) − 1 ≤ ${symbolName} + mc/2 + mw mq − 1 = ${txt(gradient)} ` +
              `(ρ ≤ mc/(2 mw), min(ρ, c${l - 1}) ≤ mq; with ρ = 0, C = 0). The full overlap 2 mw mq − mq² needs all of col G ⊗ row G, which is not derived (below).`
            );
          },
          get latex() {
            return `\\operatorname{rank} ${label} \\le \\mathrm{${symbolName}} + \\tfrac{1}{2}\\mathrm{mc} + \\mathrm{mw}\\,\\mathrm{mq} - 1,\\quad \\mathrm{mw} = c_{${l - 1}},\\ \\mathrm{mq} = ${tex(rank)}`;
          },
        });
        bounds.push({ quantity, kind: 'upper-bound', name: 'merge overlap span{G} + U ⊗ row G', catalogId: quantity === 'HF' ? 'cnn-deep-merged-gradient-HF' : 'cnn-deep-merged-gradient-H', expression: gradient });
      }
      // three or more convolutions: the full overlap is measured, not derived, so it gives no bound here and
      // has no catalog entry (docs/cnn.md#merging-11-convolutions, "Three or more convolutions")
      steps.push({
        kind: 'measured',
        title: `the two terms of ${label} overlap: not derived for three or more convolutions`,
        get text() {
          return (
            `With layers other than W coupling to the merged kernel, the two-convolution argument stops at the containment (Λ, 0) ∈ range H′_F ` +
            `(with Λ ∈ col G ⊗ row G${bias ? ' and a zero bias column' : ''}; H′_F(0, dW) now has components on the other kernels). ` +
            `It held on every CNN measured, and so did ${claim}, but it is not derived, so it is not used: the merge gives ${symbolName} + mc ` +
            `(docs/cnn.md#${bias ? 'bias-' : ''}merging-11-convolutions).`
          );
        },
        latex: `\\operatorname{rank} ${label} \\le \\mathrm{${symbolName}} + 2\\,\\mathrm{mw}\\,\\mathrm{mq} - \\mathrm{mq}^2${bias ? ' + \\mathrm{mq}' : ''}\\ \\text{(measured, not derived; not used)}`,
      });
    }
  }
  return { steps, bounds };
}

/**
 * Two convolutions, the second 1×1: the image of the merge (docs/cnn.md#the-image-of-the-merge).
 * H_F = [[C, D_vᵀB], [BᵀD_v, 0]], rank BᵀD_v = c_2π − (c_2 − c_1)_+(π − c_1)_+ (with bias π̃ and
 * (π̃ − c_1 − 1)_+), so rank H_F ≤ 2E + min(P_3 − E, rank C − overlap).
 */
function mergeImage(net: SymbolicConvolutional, steps: DerivationStep[]): ConvolutionalBound {
  const { txt, tex } = display(net);
  const bias = net.architecture.bias;
  const { hidden, rank } = net.merge!.overlap!;
  const [c0, c1, c2] = [channel(0), channel(1), channel(2)];
  const s = bias ? minimum([augmentedDataRank(), K(net)]) : dataOutputRank(net);
  const row = product(c0, effectiveKernel(net, 1));
  const pm = minimum([bias ? sum(row, constant(1)) : row, product(s, positionCount(net, 2))]);
  const lost = product(maximum([constant(0), difference(c2, c1)]), maximum([constant(0), bias ? difference(difference(pm, c1), constant(1)) : difference(pm, c1)]));
  const E = difference(product(c2, pm), lost);
  const gain = bias ? sum(difference(product(constant(2), hidden, rank), power(rank, 2)), rank) : difference(product(constant(2), hidden, rank), power(rank, 2));
  const P3 = bias ? biasFunctionalParameters(net, 3) : functionalParameters(net, 3);
  const expression = sum(product(constant(2), E), minimum([difference(P3, E), gain]));
  steps.push({
    kind: 'computation',
    title: 'the image of the merge',
    get text() {
      return (
        `In the block form with θ′ = (${bias ? 'w1, b1, w2, b2' : 'w1, w2'}) and the dense W: H_F = [[C, D_vᵀB], [BᵀD_v, 0]], B the merged CNN's dense block (range R^{c2} ⊗ Π, Π the span of the ${bias ? 'augmented patches [patch; 1] of the s̃' : 'patches of the s'} images, dim π ≤ ${txt(pm)}) ` +
        `and D_v(${bias ? 'dw1, db1, dw2, db2) = dw2 [w1 | b1] + w2 [dw1 | db1] + [0 | db2]' : 'dw1, dw2) = dw2 w1 + w2 dw1'}, which is not onto when c1 < c2. ker D_vᵀ = (col w2)^⊥ ⊗ (row ${bias ? '[w1 | b1] + e_bias' : 'w1'})^⊥ meets R^{c2} ⊗ Π in ` +
        `(c2 − c1)_+ (π − c1${bias ? ' − 1' : ''})_+ dimensions for generic kernels, so E = rank BᵀD_v = ${txt(E)} (increasing in π). Block elimination: rank H_F ≤ 2E + min(dim ker E, rank C − dim(range C ∩ range Eᵀ)), ` +
        `with rank C = 2 c1 ρ and the overlap of the previous step (range Eᵀ = D_vᵀ(R^{c2} ⊗ Π)): rank H_F ≤ ${txt(expression)}.`
      );
    },
    get latex() {
      return `\\operatorname{rank} H_F \\le 2E + \\min\\big(${bias ? '\\tilde P_3' : 'P_3'} - E,\\ ${tex(gain)}\\big),\\quad E = ${tex(E)}`;
    },
  });
  return { quantity: 'HF', kind: 'upper-bound', name: 'image of the merge', catalogId: bias ? 'cnn-bias-merged-image-HF' : 'cnn-merged-image-HF', expression };
}

/**
 * Several convolutions with bias (docs/cnn.md#bias-several-convolutions-outer-product-hessian): the
 * bias-free bounds 2, 4, 5 on the affine stack.
 *   2̃: F = A X + β 1ᵀ with rank A ≤ q̃ = min(K, r, min t_l): q̃(r̃ + K − q̃) + K − q̃
 *   4̃: Kz̃ + Σ_{l<L-1} ỹ_l + min(ỹ_{L-1}, a(z̃′ − z̃)), ỹ_l = c_l max(0, ω_{l-1} e_l − c_l)
 *   5̃: no padding after conv 1: one affine convolution, kernel through b channels, bias into b_L:
 *       Kz̃ + min(min(K, b n)(r̃ − z̃), [2b ≤ c_0 g] b (c_0 g − b) + [2b > c_0 g] min(K, b n)(r̃ − z̃))
 */
function biasOuterProductBounds(net: SymbolicConvolutional, zt: Expr, rt: Expr, a: Expr, steps: DerivationStep[]): ConvolutionalBound[] {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const Kz = product(K(net), zt);
  const qb = minimum([K(net), r, ...ls(1, Lc).map((l) => toeplitzBound(net, l))]);
  const linear = sum(product(qb, difference(sum(rt, K(net)), qb)), difference(K(net), qb));
  const y = ls(1, Lc).map((l) => biasSymmetryReduced(net, l));
  const ztp = minimum([rt, sum(minimum(ls(1, Lc - 1).map((l) => toeplitzBound(net, l))), constant(1))]);
  const symmetries = sum(Kz, ...y.slice(0, -1), minimum([y[Lc - 1]!, product(a, difference(ztp, zt))]));
  steps.push(
    {
      kind: 'computation',
      title: 'bound 2: the linear part has low rank',
      get text() {
        return (
          `F = A X + β 1ᵀ with A = W T_{L−1} ⋯ T_1 of rank m ≤ q̃ = ${txt(qb)} and β the composed bias; at a generic point A is a smooth point of the rank-m matrices, so dF ∈ {dA X + dβ 1ᵀ : dA tangent there}, ` +
          `of dimension ≤ m r + (K − m) min(m, r) + K − [1 ∈ row X] m = m(r̃ + K − m) + K − m when m ≤ r (and ≤ K r̃ otherwise), increasing in m: rank H_O ≤ ${txt(linear)}.`
        );
      },
      get latex() {
        return `\\operatorname{rank} H_O \\le \\tilde q(\\tilde r + K - \\tilde q) + K - \\tilde q,\\quad \\tilde q = ${tex(qb)}`;
      },
    },
    {
      kind: 'computation',
      title: 'bound 4: channel mixing and the directions along 1ᵀ are absorbed',
      get text() {
        return (
          `Every bias direction moves the output by A_l B_l db_l 1ᵀ ∈ R^K ⊗ 1ᵀ, absorbed by the dense bias; so is conv l's kernel acting on map l−1's bias (A_l T_l(dw_l) B_{l−1} b_{l−1} 1ᵀ). ` +
          `What is left acts on the channel space of map l−1 less its bias, of dimension ω_{l−1} (ω_0 = c0, ω_1 = min(c1, c0 e1), ω_l = min(c_l, e_l min(c_{l−1}, ω_{l−1} + 1))), and (G w_l, G b_l) gives dz_l = (G ⊗ I) Z_l, absorbed by layer l + 1 (w_{l+1}∘G; by W for l = L − 1): ` +
          `modulo the layers above and the dense bias S_l adds at most ỹ_l = c_l max(0, ω_{l−1} e_l − c_l) ` +
          `(${y.map((e, i) => `ỹ${i + 1} = ${txt(e)}`).join(', ')}); the last convolution at most min(ỹ_{L−1}, a(z̃′ − z̃)), z̃′ = ${txt(ztp)}: rank H_O ≤ ${txt(symmetries)}.`
        );
      },
      get latex() {
        return `\\operatorname{rank} H_O \\le K\\tilde z + \\sum_{l<L-1} \\tilde y_l + \\min\\big(\\tilde y_{L-1},\\ a(\\tilde z' - \\tilde z)\\big),\\quad ${y.map((e, i) => `\\tilde y_{${i + 1}} = ${tex(e)}`).join(',\\ ')}`;
      },
    },
  );
  const bounds: ConvolutionalBound[] = [
    { quantity: 'HO', kind: 'upper-bound', name: 'rank of the linear part', expression: linear },
    { quantity: 'HO', kind: 'upper-bound', name: 'channel symmetries and bias shifts', expression: symmetries },
  ];
  const g = composedKernel(net, Lc);
  if (g) {
    const b = kernelBottleneck(net, Lc);
    const C = product(channel(0), g);
    const mod = product(minimum([K(net), product(b, positionCount(net, Lc))]), difference(rt, zt));
    const small = compare('<=', product(constant(2), b), C);
    const composed = sum(Kz, minimum([mod, sum(product(small, b, difference(C, b)), product(compare('>', product(constant(2), b), C), mod))]));
    steps.push({
      kind: 'computation',
      title: 'bound 5: the affine stack is one affine convolution',
      get text() {
        return (
          `No convolution after the first pads, so the stack is one convolution c0 → c${Lc} with a composed kernel of g${Lc} = ${txt(g)} effective elements and one bias per channel (an unpadded convolution maps a per-channel constant to one); ` +
          `the kernel, a c${Lc} × c0 g${Lc} matrix of rank ρ ≤ b = ${txt(b)}, factors through ρ channels, W P = W′ T(v′), and W B β is absorbed by the dense bias: the tangent space lies in that of a one-convolution CNN with ρ channels and a dense bias, ` +
          `K z̃ + min(min(K, ρ n)(r̃ − z̃), ρ max(0, c0 g − ρ)); ρ(c0 g − ρ) increases up to b only when 2b ≤ c0 g, so the symmetry term is used there: rank H_O ≤ ${txt(composed)}.`
        );
      },
      get latex() {
        return `\\operatorname{rank} H_O \\le K\\tilde z + \\min\\big(\\min(K, b\\,n_{L-1})(\\tilde r - \\tilde z),\\ [2b \\le c_0 g_{L-1}]\\, b\\,(c_0 g_{L-1} - b)\\big),\\quad b = ${tex(b)}`;
      },
    });
    bounds.push({ quantity: 'HO', kind: 'upper-bound', name: 'composed affine kernel', expression: composed });
  }
  return bounds;
}

/**
 * Bias by affine augmentation (docs/cnn.md#bias): X̃ = [X; 1ᵀ], T̃_l = [T_l | B b_l], W̃ = [W | b_L].
 *   H_O: K r̃; K z̃ + a (r̃ − z̃); one convolution: K z̃ + min(a (r̃ − z̃), c_1 max(0, c_0 e_1 − c_1))
 *   H_F: one convolution 2 c_1 min(c_0 e_1 + 1, s̃ n_1); deeper dim θ′ + rank E ≤ P_L + Σ c_l + min(K, s̃) c_{L-1} n_{L-1}
 *   H:   parameters, and rank H_O + rank H_F (no Euler identity: an affine network is not homogeneous);
 *        one convolution: the overlap f (A_1 + c_0 R_1), read off exact ranks (measured)
 */
export function biasBounds(net: SymbolicConvolutional, quantity: ConvolutionalQuantity): { bounds: ConvolutionalBound[]; steps: DerivationStep[] } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const L = net.depth;
  const rt = augmentedDataRank();
  const st = minimum([rt, K(net)]);
  const zt = minimum([rt, sum(minimum(ls(1, Lc).map((l) => toeplitzBound(net, l))), constant(1))]);
  const a = denseRank(net);
  const n = positionCount(net, Lc);
  const biases = sum(...ls(1, Lc).map(channel));
  const parameters = sum(functionalParameters(net, L), biases, product(K(net), sum(product(channel(Lc), n), constant(1))));
  const steps: DerivationStep[] = [
    {
      kind: 'computation',
      title: 'affine augmentation',
      get text() {
        return (
          `X̃ = [X; 1ᵀ] has rank r̃ = ${txt(rt)} for generic data (1 lies in row X only when N ≤ c0 u0); a convolution with bias is T̃ = [T | B b] acting on [z; 1] (B[(o,t), o] = 1), the dense layer W̃ = [W | b_L]; ` +
          `s̃ = ${txt(st)} is the rank of Σ̃ = G X̃ᵀ.`
        );
      },
      get latex() {
        return `\\tilde X = \\begin{bmatrix} X \\\\ \\mathbf{1}^{\\top} \\end{bmatrix},\\quad \\tilde r = ${tex(rt)},\\quad \\tilde s = ${tex(st)}`;
      },
    },
  ];
  const bounds: ConvolutionalBound[] = [];
  if (quantity === 'HO') {
    const outputsBound = product(K(net), rt);
    const dense = sum(product(K(net), zt), product(a, difference(rt, zt)));
    steps.push({
      kind: 'computation',
      title: 'the dense layer with its bias spans the augmented row space',
      get text() {
        return (
          `The image lies in {E X̃}: K r̃. The dense layer with its bias spans R^K ⊗ row[Z̃_{L−1}; 1ᵀ], of dimension ≤ K z̃, z̃ = ${txt(zt)} (rank T_l ≤ t_l, plus the ones row); ` +
          `modulo it every other direction lies in col W ⊗ row X̃: a (r̃ − z̃) more, a = ${txt(a)}. Increasing in z̃, so the bound may be substituted.`
        );
      },
      get latex() {
        return `\\operatorname{rank} H_O \\le \\min\\big(K\\tilde r,\\ K\\tilde z + a(\\tilde r - \\tilde z)\\big),\\quad \\tilde z = ${tex(zt)}`;
      },
    });
    bounds.push({ quantity, kind: 'upper-bound', name: 'outputs', expression: outputsBound });
    bounds.push({ quantity, kind: 'upper-bound', name: 'dense layer', expression: dense });
    if (Lc === 1) {
      const symmetric = sum(product(K(net), zt), minimum([product(a, difference(rt, zt)), product(channel(1), maximum([constant(0), difference(product(channel(0), effectiveKernel(net, 1)), channel(1))]))]));
      steps.push({
        kind: 'computation',
        title: 'one convolution: mixing and bias shifts are absorbed',
        get text() {
          return (
            'Of the c1 (c0 e1 + 1) parameters of the convolution, the maps (dw, db) = (Gw, Gb + β) are absorbed: channel mixing by the dense weights, the bias shift β by the dense bias (W B β 1ᵀ ∈ R^K ⊗ 1ᵀ); ' +
            `c1 max(0, c0 e1 − c1) directions are left: rank H_O ≤ ${txt(symmetric)}.`
          );
        },
        latex: `\\operatorname{rank} H_O \\le K\\tilde z + \\min\\big(a(\\tilde r - \\tilde z),\\ c_1 \\max(0, c_0 e_1 - c_1)\\big)`,
      });
      bounds.push({ quantity, kind: 'upper-bound', name: 'channel symmetries and bias shifts', catalogId: 'cnn-bias-one-conv-HO', expression: symmetric });
      const tangent = sum(product(K(net), zt), minimum([product(a, difference(rt, zt)), symbol('kt')]));
      steps.push(kernelTangentStep(net, tangent, true));
      bounds.push({ quantity, kind: 'upper-bound', name: 'the kernel beyond the dense layer', catalogId: 'cnn-bias-one-conv-tangent-HO', expression: tangent });
    } else {
      const more = biasOuterProductBounds(net, zt, rt, a, steps);
      bounds.push(...more);
      bounds.push({ quantity, kind: 'upper-bound', name: 'the smallest of the bounds', catalogId: 'cnn-bias-HO', expression: minimum([outputsBound, ...more.map((x) => x.expression), dense]) });
    }
  } else if (quantity === 'HF') {
    if (Lc === 1) {
      const patch = product(constant(2), channel(1), minimum([sum(product(channel(0), effectiveKernel(net, 1)), constant(1)), product(st, positionCount(net, 1))]));
      steps.push({
        kind: 'computation',
        title: 'one convolution: a bilinear form with the bias column',
        get text() {
          return (
            'The dense bias enters linearly (zero rows of H_F); between (kernel, conv bias) and W, H_F = [[0, B̃], [B̃ᵀ, 0]] with B̃(dw, db) = Σ T(dw)ᵀ + σ (B db)ᵀ, σ = G 1 the residual sums: ' +
            `per output channel the patch matrix gains the column σ and has at most s̃ n1 independent rows: rank H_F ≤ ${txt(patch)}.`
          );
        },
        get latex() {
          return `\\operatorname{rank} H_F \\le ${tex(patch)}`;
        },
      });
      steps.push({
        kind: 'computation',
        title: 'the augmented patch matrix: an upper bound, not always attained',
        get text() {
          return 'Equality needs the augmented patch matrix to reach min(c0 e1 + 1, s̃ n1), which padding can prevent: in=4 ch=2; conv k=4 c=1 s=3 pad=3; K=3 with bias and N = 20 has rank H_F = 16 < 18 (docs/cnn.md#bias). So the bound is not exact in general.';
        },
        get latex() {
          return `\\operatorname{rank} H_F \\le ${tex(patch)}`;
        },
      });
      bounds.push({ quantity, kind: 'upper-bound', name: 'bilinear blocks', catalogId: 'cnn-bias-one-conv-HF', expression: patch });
      if (determined(net, 'ptb')) {
        const exact = product(constant(2), channel(1), symbol('ptb'));
        steps.push({
          kind: 'computation',
          title: 'the augmented patch matrix of generic images: its rank',
          get text() {
            return (
              'The rows of Σ̃ = G X̃ᵀ are s̃ generic augmented images (b_j, σ_j), so rank B̃ = c1 π̃1 with π̃1 the rank of the patch matrix with the column σ_j on the rows of image j, ' +
              `at most its term rank; π̃1 is the generic rank computed on the grid (seeded random integer images; certain when it reaches the term rank). π̃1 = ptb here: rank H_F = ${txt(exact)}.`
            );
          },
          latex: `\operatorname{rank} H_F = 2\,c_1\,\tilde\pi_1,\quad \tilde\pi_1 = \operatorname{rank} [P \mid \sigma]`,
        });
        bounds.push({ quantity, kind: 'exact', name: 'the augmented patch matrix’s rank', catalogId: 'cnn-bias-one-conv-patch-HF', expression: exact });
      }
    } else {
      const blocks = sum(functionalParameters(net, L), biases, product(minimum([K(net), st]), channel(Lc), n));
      const seenBlocks = sum(difference(sum(functionalParameters(net, L), biases), unseenFilters(net, true)), product(minimum([K(net), st]), channel(Lc), n));
      steps.push({
        kind: 'computation',
        title: 'block elimination, bounded by its blocks',
        get text() {
          return (
            'The dense bias enters linearly; with θ′ the kernels and convolution biases, H_F = [[0, E], [Eᵀ, C]] has rank ≤ dim θ′ + rank E, and E: dθ′ ↦ Σ̃ dPᵀ maps into matrices with columns in col Σ̃: ' +
            `rank E ≤ min(K, s̃) c_{L−1} n_{L−1}. So rank H_F ≤ ${txt(blocks)}. ` +
            `Conv 1's filters and biases act only through the span of the augmented patches [patch_u(b_k); σ_k] of the s̃ images (π̃1 = ${txt(patchSpan(net, true))} dimensions): ` +
            `the other c1 (c0 e1 + 1 − π̃1) directions have zero rows, so rank H_F ≤ P̃^f_L + min(K, s̃) c_{L−1} n_{L−1} = ${txt(seenBlocks)}.`
          );
        },
        get latex() {
          return `\\operatorname{rank} H_F \\le \\tilde P^f_{${L}} + \\min(K, \\tilde s)\\,c_{${Lc}} n_{${Lc}},\\quad \\tilde P^f_j = \\tilde P_j - c_1(c_0 e_1 + 1 - \\tilde\\pi_1),\\ \\tilde\\pi_1 = ${tex(patchSpan(net, true))}`;
        },
      });
      bounds.push({ quantity, kind: 'upper-bound', name: 'blocks', catalogId: 'cnn-bias-HF', expression: seenBlocks });
      const xs = ls(2, L).map((j) => biasCoupling(net, j));
      const recursion = biasRecursion(net, L);
      steps.push({
        kind: 'computation',
        title: 'the block recursion on the affine stack',
        get text() {
          return (
            'Each layer z_l = T_l(w_l) z_{l−1} + B_l b_l 1ᵀ is linear in its own (w_l, b_l), so the block elimination of the bias-free recursion applies level by level, with three changes: ' +
            'the top layer\'s bias multiplies no other parameter (zero rows); the coupling of layer j with the layers below factors through the affine stack evaluated on the s̃ augmented images, ' +
            'x̃_L ≤ min(K c_{L−1} n_{L−1}, τ̃_{L−1}), and for conv j < L, whose block couples through Λ_j = (W T_{L−1} ⋯ T_{j+1})ᵀ Σ̃ (the biases above multiply nothing below) with channel vectors in a space of dimension ĥ̃_j (ĥ̃_{L−1} = min(c_{L−1}, s̃ u_{L−1}), ĥ̃_l = min(c_l, ĥ̃_{l+1} e_{l+1})) and rank ≤ s̃_j = min(s̃, ĥ̃_l u_l, l ≥ j), x̃_j ≤ min(ĥ̃_j c_{j−1} e_j, τ̃_{j−1} on s̃_j images); τ̃_i = min(s̃ c_i u_i, τ̃_{i−1} + c_i min(π̂_i, s̃ u_i) − 1 (the two share T_i z_{i−1}; π̂_i the span of the augmented patches of conv i), c_i min(c_0 g_i + 1, s̃ u_i), ρ(c_i + c_0 g_i − ρ) + c_i), ρ = min(b_i, c_i, c_0 g_i); ' +
            `and no Euler direction is lost (the affine stack is not homogeneous): h̃_2 = 2x̃_2, h̃_j = 2x̃_j + min(P̃^f_j − ν^F_j − x̃_j, h̃_{j−1}), P̃^f_j = Σ_{l<j} c_l (c_{l−1} e_l + 1) − c1 (c0 e1 + 1 − π̃1) (conv 1 through its augmented patches). ` +
            'At level j ≥ 3 the compression also loses the null directions ν^F_j = (c_{j−1} − ĥ̃_{j−1})(c_{j−2} e_{j−1} + 1 − min(π̂_{j−1}, s̃_j u_{j−1}))_+ of conv j−1: λ ⊗ μ with λ off the channels Λ_{j−1} reads and μ orthogonal to the augmented patches the stack below layer j is read on (dz_{j−1} = 0 there, so E_j vanishes on them, and so does their coupling to the layers below): P̃^f_j − ν^F_j − x̃_j. ' +
            `At conv 1 and conv 2 the dimension count of the bias-free recursion holds with π̃1 and c2 more conditions (conv 2's bias couples only with the layer above, so an element of range Eᵀ in range C has a zero bias part): ` +
            `h̃_3 = min(2x̃_3 + min(P̃^f_3 − x̃_3, 2x̃_2), x̃_3 + γ̃ + c2), γ̃ + c2 = ${txt(lowestCount(net, true))}. ` +
            `${ls(2, L).map((j, i) => `x̃${j} = ${txt(xs[i]!)}`).join('; ')}: rank H_F ≤ ${txt(recursion)}.`
          );
        },
        latex: `\\tilde h_2 = 2\\tilde x_2,\\ \\tilde h_3 = \\min\\big(2\\tilde x_3 + \\min(\\tilde P^f_3 - \\tilde x_3,\\ 2\\tilde x_2),\\ \\tilde x_3 + \\tilde\\gamma + c_2\\big),\\ \\tilde h_j = 2\\tilde x_j + \\min(\\tilde P^f_j - \\tilde x_j,\\ \\tilde h_{j-1}),\\quad \\operatorname{rank} H_F \\le \\tilde h_{${L}}`,
      });
      bounds.push({ quantity, kind: 'upper-bound', name: 'block recursion', ...(biasRecursionIds[L] ? { catalogId: biasRecursionIds[L] } : {}), expression: recursion });
      if (net.above) {
        const seen = product(channel(1), patchSpan(net, true));
        const rest = sum(difference(biasFunctionalParameters(net, L), biasFunctionalParameters(net, 2)), denseParameters(net));
        const aboveBound = sum(product(constant(2), seen), minimum([difference(rest, seen), symbol('HFt')]));
        steps.push({
          kind: 'computation',
          title: 'block elimination on conv 1 (bias)',
          get text() {
            return (
              `φ is linear in conv 1's kernel and bias together (z1 = [T1(w1) | B b1] x̃): with θ̃ everything above conv 1 but the dense bias (zero rows), H_F = [[0, F], [Fᵀ, C̃]], C̃ = ∇²_θ̃ φ with (w1, b1) held. ` +
              `C̃ is the functional Hessian of the bias CNN above conv 1 (derive --cnn "${convolutionalSyntax(net.above!.architecture)}" --bias --samples ${net.above!.architecture.samples}) on the data Z1 = T1(w1) X + B b1 1ᵀ with the same residuals. ` +
              'The network is affine in its input, so H_F reads the data only through Σ̃′ = G [Z1; 1ᵀ]ᵀ, of rank ≤ min(K, r̃, c1 u1 + 1); with r̃ samples the CNN above has generic Σ̃′ of that rank, so at this special point its derived bound HFt stands for rank C̃. ' +
              `rank F ≤ c1 π̃1 (conv 1's gradients have their rows in the span of the augmented patches of the s̃ images, π̃1 = ${txt(patchSpan(net, true))}). ` +
              'No Euler direction is lost: the CNN above is affine, not homogeneous, in θ̃. ' +
              `So rank H_F ≤ 2 rank F + min(dim θ̃ − rank F, HFt), increasing in rank F: rank H_F ≤ ${txt(aboveBound)}.`
            );
          },
          latex: `\\operatorname{rank} H_F \\le 2c_1\\tilde\\pi_1 + \\min\\big(\\tilde P_L - \\tilde P_2 + K c_{L-1} n_{L-1} - c_1\\tilde\\pi_1,\\ \\mathrm{HFt}\\big)`,
        });
        bounds.push({ quantity, kind: 'upper-bound', name: 'block elimination on conv 1', catalogId: 'cnn-bias-above-first-HF', expression: aboveBound });
      }
      const columns = ls(1, L).map((l) => biasFunctionalColumn(net, l));
      const columnBound = sum(...columns);
      steps.push({
        kind: 'computation',
        title: 'the columns of H_F (bias)',
        get text() {
          return (
            'rank H_F ≤ Σ_l col̃_l, col̃_l the rank of layer l\'s (kernel, bias) column block (all rows; the dense bias has zero rows). φ is affine in each layer and linear in its (w_l, b_l), so the block of conv l is the Jacobian, in the other layers, of its gradient ' +
            'G(a, z̃) = Σ_k Σ_t a_k[·, t] ⊗ [patch_t(z_k); σ_k] (the s̃ augmented images: z_k map l−1 on image k, σ_k its residual sum; a_k from the linear part above): its range is G(da, z̃) + G(a, dz̃). ' +
            'G(da, z̃) ⊆ R^{c_l} ⊗ Π̃_l, the augmented patches, dim ≤ π̃_l = min(c_{l−1} e_l + 1, s̃ u_l, w̃_l, π̂_l, c_0 g_l + 1); they lie in the model space 𝒲_l = 𝒰*_{l−1}^{e_l} ⊕ 0 + span[β̄; …; β̄; 1] (unpadded; (𝒰*_{l−1} + span β̄)^{e_l} ⊕ R when conv l pads), of dimension w̃_l = ϖ_{l−1} e_l + 1, 𝒰*_j the channel space of map j less its per-channel constant β̄_j (dim ≤ ω*_j). ' +
            'Each layer m > l couples to conv l with rank ≤ x̃_m and its block contains g_l (φ is linear in (w_m, b_m) up to terms without layer l); the layers above conv l+1 reach conv l only through the s̃ arrays they send to map l+1 (≤ s̃ c_{l+1} u_{l+1} dimensions): dim ≤ U_l = min(c_l π̃_l, Σ_{m>l} x̃_m − (L − l − 1), x̃_{l+1} + A_l − 1). ' +
            'G(a, dz̃) has dim ≤ x̃_l, lies in V_l ⊗ (R^{c_{l−1} e_l} ⊕ 0) (a direction below never moves σ; V_l the ĥ̃_l channels Λ_l reads), and only the directions below that leave the spaces 𝒰*_j, ρ̃_l = Σ_{j<l} (c_j − ω*_j) w̃_j of them, take it out of V_l ⊗ 𝒲_l; ' +
            'no Euler direction is shared (the affine stack is not homogeneous: its scaling moves z_{l−1} but not σ). The dense layer\'s block is Eᵀ, of rank ≤ x̃_L. ' +
            `Each count increases with π̃_l, w̃_l, ĥ̃_l, ω*_j and x̃_j, so their bounds may be used. ` +
            biasGenericPointText(net) +
            `${ls(1, L).map((l, i) => `col̃${l} = ${txt(columns[i]!)}`).join('; ')}; rank H_F ≤ ${txt(columnBound)}.`
          );
        },
        latex: `\\operatorname{rank} H_F \\le \\sum_{l=1}^{${L}} \\widetilde{\\mathrm{col}}_l,\\quad \\widetilde{\\mathrm{col}}_{${L}} = \\tilde x_{${L}},\\ \\widetilde{\\mathrm{col}}_l \\le \\min\\big(c_l(c_{l-1} e_l + 1),\\ U_l + \\tilde x_l,\\ \\dots\\big)`,
      });
      bounds.push({ quantity, kind: 'upper-bound', name: 'columns', catalogId: 'cnn-bias-columns-HF', expression: columnBound });
    }
  } else {
    const HO = symbol('HO');
    const HF = symbol('HF');
    if (Lc === 1) {
      const s = dataOutputRank(net);
      void s;
      const f = product(
        compare('==', HF, product(constant(2), channel(1), sum(product(channel(0), effectiveKernel(net, 1)), constant(1)))),
        compare('>=', channel(1), product(channel(0), symbol('R1'))),
      );
      // the symmetries' image lies in Im′ of all M, which holds the data's Im′ with codimension ≤ K (t1 + 1 − r̃)_+
      const codimension = product(K(net), maximum([constant(0), difference(sum(toeplitzBound(net, 1), constant(1)), rt)]));
      const overlap = minimum([parameters, difference(sum(HO, HF), product(f, maximum([constant(0), difference(sum(symbol('A1'), product(channel(0), symbol('R1'))), codimension)])))]);
      steps.push({
        kind: 'computation',
        title: 'the parameters H sees; the ranges need not meet',
        get text() {
          return 'rank H ≤ P_2 + c1 + K(c1 n1 + 1), the parameters. An affine network is not homogeneous, so Euler\'s identity no longer puts the gradient in range H_F: rank H ≤ rank H_O + rank H_F, with no overlap forced.';
        },
        get latex() {
          return `\\operatorname{rank} H \\le \\min\\big(${tex(parameters)},\\ \\mathrm{HO} + \\mathrm{HF}\\big)`;
        },
      });
      steps.push({
        kind: 'computation',
        title: 'the ranges meet in the input-side symmetries',
        get text() {
          return (
            'range H_F ⊆ 𝒦̃ ⊕ range B̃ (𝒦̃ the P̃_2 = c1 (c0 e1 + 1) convolution parameters; the dense bias has zero rows) and range H_O ⊆ {(T̃*(WᵀM), M T̃(w, b)ᵀ, M 1) : M ∈ R^K ⊗ row X̃}, so ' +
            'rank H ≤ P̃_2 + rank B̃ + dim Im′ − dim(Im′ ∩ range B̃), Im′ = {(M T̃ᵀ, M 1) : M ∈ R^K ⊗ row X̃}, of dimension ≤ rank H_O (the projection of range H_O on the dense layer). ' +
            'For an input-side symmetry Q̃ = [[Q, q], [0, 0]] of the augmented convolution (T(w)Q = T(v), Q in the channel and position maps; T(w)q = B c, q a per-channel shift), M = Σ̃Q̃ᵀ gives (B̃(v, c), 0) in Im′_all (every M allowed) ∩ range B̃: ' +
            'these (v, c) span A1 + min(c1, c0 R1) dimensions, and B̃ is injective when rank H_F = 2 P̃_2. Im′_all has dimension K (rank T1 + 1), and Im′ ≥ K min(r̃, rank T1 + 1) for generic data (the augmented samples span r̃ = min(N, r + 1) dimensions, and the augmented convolution keeps min(r̃, rank T1 + 1) of them), ' +
            'so at least A1 + c0 R1 − K (t1 + 1 − r̃)_+ of those directions lie in Im′ (with full-rank augmented data, r = c0 u0 and N > r, all of them). So with f = ' +
            `${txt(f)} (c1 ≥ c0 R1: the shifts reach c0 R1 independent biases), rank H ≤ HO + HF − f max(0, A1 + c0 R1 − K (t1 + 1 − r̃)_+): rank H ≤ ${txt(overlap)}.`
          );
        },
        latex: `\\operatorname{rank} H \\le \\min\\big(p',\\ \\mathrm{HO} + \\mathrm{HF} - f\\max(0,\\ A_1 + c_0 R_1 - K(t_1 + 1 - \\tilde r)_+)\\big)`,
      });
      bounds.push({ quantity, kind: 'upper-bound', name: 'input-side symmetries of the augmented convolution', catalogId: 'cnn-bias-one-conv-H', expression: overlap });
      const nulls = biasOneConvolutionNullBound(net, rt, st);
      steps.push(nulls.step);
      bounds.push({ quantity, kind: 'upper-bound', name: 'null directions on the convolution and on the dense layer, counted by their conditions', catalogId: 'cnn-bias-one-conv-null-H', expression: nulls.expression });
      bounds.push({ quantity, kind: 'upper-bound', name: 'null directions on the dense layer and λ ⊗ μ̃ in the convolution', catalogId: 'cnn-bias-one-conv-kernel-null-H', expression: nulls.families });
    } else {
      const sumBound = minimum([parameters, sum(HO, HF)]);
      steps.push({
        kind: 'computation',
        title: 'the parameters H sees, and the two parts',
        get text() {
          return (
            'rank H ≤ P_L + Σ c_l + K(c_{L−1} n_{L−1} + 1), the parameters; an affine network is not homogeneous, so no direction is known to lie in both ranges: ' +
            `rank H ≤ ${txt(sumBound)}.`
          );
        },
        get latex() {
          return `\\operatorname{rank} H \\le \\min\\big(${tex(parameters)},\\ \\mathrm{HO} + \\mathrm{HF}\\big)`;
        },
      });
      bounds.push({ quantity, kind: 'upper-bound', name: 'parameters and the sum of the parts', catalogId: 'cnn-bias-H', expression: sumBound });
      const layers = biasLayerNullBound(net, zt, st);
      steps.push(layers.step);
      bounds.push({ quantity, kind: 'upper-bound', name: 'null directions on one layer', catalogId: 'cnn-bias-layer-null-H', expression: layers.expression });
      const kernels = biasKernelNullStep(net, layers.dense);
      steps.push(kernels.step);
      bounds.push({ quantity, kind: 'upper-bound', name: 'and the kernel null directions λ ⊗ μ̃', catalogId: 'cnn-bias-kernel-null-H', expression: kernels.expression });
      const stacked = biasStackNullStep(net, layers.dense);
      steps.push(stacked.step);
      bounds.push({ quantity, kind: 'upper-bound', name: 'null directions of each convolution under the stack above it, with bias', catalogId: 'cnn-bias-stack-null-H', expression: stacked.expression });
      if (net.convolutions === 3) {
        const tangent = biasStackTangentStep(net, layers.denseWith);
        steps.push(tangent.step);
        bounds.push({ quantity, kind: 'upper-bound', name: 'the coupling below through the lower stack’s tangent off col Z̃, with bias', catalogId: 'cnn-bias-stack-tangent-null-H', expression: tangent.expression });
      }
      const shifts = biasShiftNullStep(net, layers.dense);
      steps.push(shifts.step);
      bounds.push({ quantity, kind: 'upper-bound', name: 'and the kernels of conv 2 off the linear part of map 1', catalogId: 'cnn-bias-shift-null-H', expression: shifts.expression });
      const dense = biasDenseProjectedStep(net, layers.denseWith);
      steps.push(dense.step);
      bounds.push({ quantity, kind: 'upper-bound', name: 'and the dense layer’s coupling at a generic point', catalogId: 'cnn-bias-dense-null-H', expression: dense.expression });
    }
  }
  return { bounds, steps };
}

/**
 * One convolution with bias, null directions of H on each layer (docs/cnn.md#bias-one-convolution-null-directions-on-each-layer):
 * rank H ≤ P̃_2 + K(m + 1) − ν_dense − ν_conv, m = c_1 n_1, with two counts of each:
 *   ν_dense ≥ K(m + 1 − z̃) − min(P̃_2 − c_1 − 1, β̃ − c_1) − min(c_1 + 1 − ε, m + 1 − z̃),  ε = max([N > r], r̃ − c_0 u_0 + min(c_1, c_0 R_1)),
 *   ν_conv ≥ P̃_2 − β̃ − min(K, m)(r̃ − s̃),  β̃ = HF/2           (cnn-bias-one-conv-null-H)
 *   ν_dense ≥ (K − s̃)(m + 1 − z̃) + (c_1 − c_0 e_1)_+ (s̃ n_1 − c_0 e_1 − 1)_+,  ν_conv ≥ ν̂̃_1   (cnn-bias-one-conv-kernel-null-H)
 */
function biasOneConvolutionNullBound(net: SymbolicConvolutional, rt: Expr, st: Expr): { step: DerivationStep; expression: Expr; families: Expr } {
  const { txt, tex } = display(net);
  const zero = constant(0);
  const one = constant(1);
  const positive = (e: Expr) => maximum([zero, e]);
  const Kn = K(net);
  const c1 = channel(1);
  const c0e1 = product(channel(0), effectiveKernel(net, 1));
  const m = product(c1, positionCount(net, 1));
  const Pt = biasFunctionalParameters(net, 2);
  const beta = binary('/', symbol('HF'), constant(2));
  const zt = minimum([rt, sum(toeplitzBound(net, 1), one)]);
  const free = difference(sum(m, one), zt);
  const offResidual = product(difference(Kn, st), free);
  const leftNull = product(positive(difference(c1, c0e1)), positive(difference(product(st, positionCount(net, 1)), sum(c0e1, one))));
  const shifts = minimum([c1, product(channel(0), symbol('R1'))]);
  const epsilon = maximum([compare('>', symbol('N'), r), sum(difference(rt, product(channel(0), used(net, 0))), shifts)]);
  const family = minimum([difference(sum(c1, one), epsilon), free]);
  const conditions = sum(minimum([difference(Pt, sum(c1, one)), difference(beta, c1)]), family);
  const dense = difference(product(Kn, free), conditions);
  const conv = positive(difference(Pt, sum(beta, product(minimum([Kn, m]), difference(rt, st)))));
  const parameters = sum(Pt, product(Kn, sum(m, one)));
  // two entries rather than one with the larger of each pair of counts: the minimum of the two is as tight where one
  // pair wins, and each is decided case by case in seconds (the maxima of both pairs together are not)
  const expression = difference(difference(parameters, dense), conv);
  const families = difference(difference(parameters, sum(offResidual, leftNull)), biasKernelNull(net, 1));
  const step: DerivationStep = {
    kind: 'computation',
    title: 'one convolution: null directions on the convolution and on the dense layer',
    get text() {
      return (
        `F is affine in (w, b) and in (W, b_L), so H_F's diagonal blocks vanish: a direction on one layer is a null direction of H exactly when J v = 0 and H_F v = 0, and those on the two layers are independent: rank H ≤ P̃_2 + K(c1 n1 + 1) − ν_dense − ν_conv. ` +
        `Dense layer: [dW | db] with [dW | db] Z̃ = 0 (Z̃ = [Z_1; 1ᵀ], rank ≤ z̃ = ${txt(zt)}) and T̃*(dWᵀ Σ̃) = 0. Off col Σ̃: (K − s̃)(c1 n1 + 1 − z̃); along it, λ ⊗ ν with λ a left null vector of the c1 × c0 e1 kernel and ν a solution of the augmented patch system of the s̃ images (c0 e1 + 1 equations): (c1 − c0 e1)_+ (s̃ n1 − c0 e1 − 1)_+. ` +
        `Or count the conditions: the coupling of D ∈ R^K ⊗ (col Z̃)^⊥ is ⟨Dᵀ G, [T̃(dv) X̃; 0]⟩ over the conv directions dv; on ℱ = span{(w, 0)} ⊕ {(0, β)} (c1 + 1 directions) [T̃(dv) X̃; 0] = [B β′; −λ] 1ᵀ modulo col Z̃ (since [T(w) X; 0] = Z̃ − [B b; 1] 1ᵀ and T̃(0, β) X̃ = B β 1ᵀ), so ℱ's conditions read D only through Dᵀ G 1 on V = [B R^{c1}; 0] + R e: ≤ dim V − dim(V ∩ col Z̃) ≤ c1 + 1 − ε, ` +
        `ε = ${txt(epsilon)} (e ∈ col X̃ when N > r, and col X̃ meets {(x, σ) : T(w) x ∈ range B} — the per-channel input shifts, min(c1, c0 R1) of them — in ≥ r̃ − c0 u0 + min(c1, c0 R1) dimensions, mapped injectively into V ∩ col Z̃), and ≤ c1 n1 + 1 − z̃; ` +
        `the other directions add ≤ min(P̃_2 − c1 − 1, β̃ − c1) (the bias directions give c1 independent couplings G 1 (B β)ᵀ), β̃ = HF/2. Decreasing in rank Z̃ ≤ z̃. ` +
        `Convolution: (dw, db) is null when W Y′ = 0 and Y′ G′ = 0, Y′ = T̃(dw, db) Ũ on the r̃ augmented data directions and G′ of rank s̃; the image of (dw, db) ↦ (W Y′, Y′ G′) has dimension ≤ β̃ + min(K, c1 n1)(r̃ − s̃) (over a value of Y′ G′ the values of W Y′ differ by some A ∈ col W ⊗ R^{r̃} with A G′ = 0), and ν̂̃1 counts the λ ⊗ μ̃ null directions. The condition count with the image count: rank H ≤ ${txt(expression)}; the two families of the dense layer with ν̂̃1: rank H ≤ ${txt(families)}.`
      );
    },
    get latex() {
      return `\\operatorname{rank} H \\le \\min\\big(${tex(expression)},\\ ${tex(families)}\\big)`;
    },
  };
  return { step, expression, families };
}

/**
 * With bias, null directions of H supported on one layer (docs/cnn.md#bias-null-directions-on-one-layer):
 * P̃_L + K z̃ + min(s̃(c_{L-1} n_{L-1} + 1 − z̃), x̃_L, c_{L-1} min(π̂_{L-1}, s̃ n_{L-1}) + s̃(min(c_{L-1} n_{L-1} + 1,
 * t_{L-1} + 1) − z̃) − 1) − Σ_l ν̃_l.
 */
function biasLayerNullBound(net: SymbolicConvolutional, zt: Expr, st: Expr): { step: DerivationStep; expression: Expr; dense: Expr; denseWith: (bound: Expr) => Expr } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const L = net.depth;
  const one = constant(1);
  const width = sum(product(channel(Lc), positionCount(net, Lc)), one);
  const top = product(channel(Lc), minimum([augmentedPatches(net, Lc), product(st, positionCount(net, Lc))]));
  // with a per-channel input shift (R_{L-1} ≥ 1) the biases in the range of Σ_e α_e w_e land in the lower part too
  const shared = product(compare('>=', symbol(`R${Lc}`), one), difference(sum(minimum([channel(Lc), channel(Lc - 1)]), compare('>=', positionCount(net, Lc), constant(2))), one));
  const projectedTerms = [
    product(st, difference(width, zt)),
    biasCoupling(net, L),
    difference(sum(top, product(st, difference(minimum([width, sum(toeplitzBound(net, Lc), one)]), zt))), sum(one, shared)),
  ];
  const projected = minimum(projectedTerms);
  // the dense count with one more bound on its projected coupling (cnn-bias-stack-tangent-null-H)
  const denseWith = (bound: Expr): Expr => sum(biasFunctionalParameters(net, L), product(K(net), zt), minimum([...projectedTerms, bound]));
  const kernels = sum(...ls(1, Lc).map((l) => biasLayerNull(net, l)));
  const dense = sum(biasFunctionalParameters(net, L), product(K(net), zt), projected);
  const expression = difference(dense, kernels);
  const step: DerivationStep = {
    kind: 'computation',
    title: 'null directions of H on one layer',
    get text() {
      return (
        `F is affine in each layer's (w_l, b_l), so H_F's diagonal block of a layer is zero and a direction v on one layer alone is a null direction of H exactly when J v = 0 and H_F v = 0; directions on different layers are independent. ` +
        `Dense layer: [dW | db] with [dW | db] Z̃_{L−1} = 0 and ∇_θ′⟨dWᵀ G, Z_{L−1}⟩ = 0 (the bias multiplies nothing); split along col Σ̃ (s̃ dimensions): K(c${Lc} n${Lc} + 1 − rank Z̃_{L−1}) directions less the dimension of range E, padded with a zero bias column and projected off col Z̃_{L−1}, ` +
        `which is ≤ s̃(c${Lc} n${Lc} + 1 − rank Z̃), ≤ x̃${L}, and ≤ the last convolution's (kernel, bias) directions on the s̃ augmented images (c${Lc} min(π̂${Lc}, s̃ n${Lc}), π̂ the span of the augmented patches) plus s̃ copies of the projection of [col T_${Lc}; 0] ` +
        `(col Z̃ ⊆ [col T_${Lc}; 0] + span[B b_${Lc}; 1]: ≤ t${Lc} + 1 − rank Z̃), less the last convolution's directions that land in that part: dw = w (T_${Lc}(w) z_${Lc - 1}), and when conv ${Lc} maps a per-channel input shift to a bias (R${Lc} ≥ 1) the biases B β ∈ col T_${Lc}, β in the range of Σ_e α_e w[·,·,e] (min(c${Lc}, c${Lc - 1}) of them; with dw = w, independent when n${Lc} ≥ 2: two positions read different inputs); decreasing in rank Z̃ ≤ z̃. ` +
        `Conv 1: the (kernel, bias) directions vanishing on the augmented patches [patch_t(x_i); 1] of the N samples (≤ min(c0 e1 + 1, N u1, r u1 + 1) of them span) change no z_1: null. ` +
        `Conv l ≥ 2: the kernel directions reading no channel of map l−1 (bias included, ≤ ω_{l−1} + 1 of c_{l−1}) change no z_l, and their coupling to the layers below misses the scaling of w_1, b_1, …, b_{l−1} (rank ≤ x̃_l − 1), and for conv 2 reads conv 1's directions only through the c1 − min(c1, ω1 + 1) channels off map 1's channel space (rank ≤ (c1 − min(c1, ω1 + 1)) min(c0 e1 + 1, s̃ u1)); ` +
        `the (kernel, bias) directions vanishing on map l−1's augmented patches (≤ min(c_{l−1} e_l + 1, N u_l, π̂_l)) change no z_l either, with coupling rank ≤ x̃_l. rank H ≤ ${txt(expression)}.`
      );
    },
    get latex() {
      return `\\operatorname{rank} H \\le \\tilde P_{${L}} + K\\tilde z + \\min\\big(\\tilde s(c_{${Lc}} n_{${Lc}} + 1 - \\tilde z),\\ \\tilde x_{${L}},\\ c_{${Lc}}\\min(\\hat\\pi_{${Lc}}, \\tilde s n_{${Lc}}) + \\tilde s(t_{${Lc}} + 1 - \\tilde z) - \\delta\\big) - \\sum_l \\tilde\\nu_l = ${tex(expression)}`;
    },
  };
  return { step, expression, dense, denseWith };
}

/**
 * With bias, the kernel null directions λ ⊗ μ̃ (docs/cnn.md#bias-null-directions-of-the-kernels): the dense layer's
 * count of biasLayerNullBound less ν̂̃_l ≥ ν̃_l per convolution.
 */
function biasKernelNullStep(net: SymbolicConvolutional, dense: Expr): { step: DerivationStep; expression: Expr } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const expression = difference(dense, sum(...ls(1, Lc).map((l) => biasKernelNull(net, l))));
  const counts = ls(1, Lc).map((l) => `ν̂̃${l} = ${txt(biasKernelNull(net, l))}`).join('; ');
  const step: DerivationStep = {
    kind: 'computation',
    title: 'null directions λ ⊗ μ̃ in the kernels, with bias',
    get text() {
      return (
        `A (kernel, bias) direction (λ ⊗ μ, λ γ) of conv l has T_l(λ ⊗ μ) z + B(λγ) = (λ ⊗ I)(T_l^1(μ) z + γ 1): it acts through the channel combination λ and μ̃ = (μ, γ) ∈ R^{c_{l−1} e_l + 1}. ` +
        `If A_l (λ ⊗ I) = 0 (A_l = W T_{L−1} ⋯ T_{l+1}, the linear part above conv l; λ ↦ A_l (λ ⊗ I) has rank ≤ ã_l = min(c_l, K u_l, c_j ∏_{i=l+1}^{j} e_i for j > l), through the composed kernels applied to λ) then J v = 0 and no coupling to the layers below (each passes through A_l (λ ⊗ I)); ` +
        `if μ̃ is orthogonal to the augmented patches [patch_t(v); σ] of the s̃ augmented images Z̃_{l−1} Gᵀ at the used positions (≤ π̃_l = min(π̂_l, s̃ u_l) of them span) then the coupling to every layer above, tr(∂A_l (λ ⊗ I)(T_l^1(μ) Z_{l−1} + γ 1 1ᵀ) Gᵀ), vanishes: (c_l − ã_l)_+ (c_{l−1} e_l + 1 − π̃_l)_+ null directions. ` +
        `A λ with w_{l+1} λ = 0 leaves only the coupling to conv l+1's kernel, which reads μ̃ through the augmented patches and dw_{l+1} through dw_{l+1} λ: (c_l − c_{l+1} e_{l+1})_+ (c_{l−1} e_l + 1 − min(c_{l+1} e_{l+1}, π̃_l))_+. ` +
        `Every (b, β) with each output channel orthogonal to the augmented patches has no coupling above; J maps them into R^K ⊗ (row Z̃_{l−1} less the images), ≤ K(z̃_{l−1} − s̃)_+ (z̃_{l−1} = min(r̃, t_1 + 1, …, t_{l−1} + 1)), and the coupling below has rank ≤ x̃_l: c_l (c_{l−1} e_l + 1 − π̃_l)_+ − K(z̃_{l−1} − s̃)_+ − x̃_l. ` +
        `The directions reading no channel of map l−1 (ν̃_l's first count) meet Λ ⊗ Π̃_l^⊥ only in Λ ⊗ ((𝒞 ⊗ R^{e_l})^⊥ ⊕ 0), dim 𝒞 ≤ ϱ_{l−1} = min(c_{l−1}, ω_{l−1} + 1): together ≥ that count + (c_l − ã_l)_+ (ϱ_{l−1} e_l + 1 − π̃_l)_+. ` +
        `Every count decreases with the bounds it uses: ${counts}; rank H ≤ ${txt(expression)}.`
      );
    },
    get latex() {
      return `\\hat{\\tilde\\nu}_l = \\max\\big(\\tilde\\nu_l,\\ (c_l - \\tilde a_l)_+ (c_{l-1} e_l + 1 - \\tilde\\pi_l)_+,\\ c_l (c_{l-1} e_l + 1 - \\tilde\\pi_l)_+ - K(\\tilde z_{l-1} - \\tilde s)_+ - \\tilde x_l,\\ \\dots\\big),\\quad \\operatorname{rank} H \\le ${tex(expression)}`;
    },
  };
  return { step, expression };
}

/**
 * With bias, null directions of each convolution under the stack above it
 * (docs/cnn.md#bias-null-directions-of-a-convolution-under-the-stack-above-it): ν̂̃_l raised to c_l (c_{l-1} e_l + 1) − ρ̃_l − x̃_l.
 */
function biasStackNullStep(net: SymbolicConvolutional, dense: Expr): { step: DerivationStep; expression: Expr } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const expression = difference(dense, sum(...ls(1, Lc).map((l) => biasStackNull(net, l))));
  const step: DerivationStep = {
    kind: 'computation',
    title: 'null directions of each convolution under the stack above it, with bias',
    get text() {
      return (
        'A (kernel, bias) direction (b, β) of conv l (zero elsewhere) is a null direction of H exactly when J v = 0 and every block of H_F v vanishes (F is affine in (w_l, b_l): no diagonal block). ' +
        'J v = W T_{L−1} ⋯ T_{l+1} T̃_l(b, β) Z̃_{l−1} with T̃_l(b, β) = [T_l(b) | B_l β] on the augmented map Z̃_{l−1} = [Z_{l−1}; 1ᵀ], and the blocks on the kernels above conv l and on W read T̃_l(b, β) Ṽ, Ṽ = Z̃_{l−1} Gᵀ (the biases above multiply nothing below them: no block). ' +
        'These depend on the kernels above, W, and the data only through a basis of the augmented data span pushed through the affine layers below (kernels and biases) and the s̃ augmented images: their generic rank ρ̃_l (symbol rsb_l, src/cnn/stackNull.ts, seeded exact ranks) ' +
        'leaves c_l (c_{l−1} e_l + 1) − ρ̃_l directions at the point (a rank there never exceeds the generic one). On them the blocks on the layers below have rank ≤ x̃_l (with bias no Euler direction is subtracted; conv 1 has none). So conv l has at least ' +
        `max(ν̂̃_l, c_l (c_{l−1} e_l + 1) − ρ̃_l − x̃_l) null directions of H on its own: rank H ≤ ${txt(expression)}.`
      );
    },
    get latex() {
      return `\\operatorname{rank} H \\le ${tex(expression)},\\quad \\tilde\\rho_l = \\operatorname{rank}_{\\text{generic}}\\big[(b, \\beta) \\mapsto (J v,\\ H_F v \\text{ above conv } l)\\big]`;
    },
  };
  return { step, expression };
}

/**
 * With bias and three convolutions, the coupling to the layers below bounded by the lower stack's tangent off col Z̃_j
 * (docs/cnn.md#bias-the-lower-stacks-tangent-off-col-z_j): the dense count with ω̃_{L-1} in its min, and each conv l ≥ 2's
 * count with ω̃_{l-1} for the coupling below.
 */
function biasStackTangentStep(net: SymbolicConvolutional, denseWith: (bound: Expr) => Expr): { step: DerivationStep; expression: Expr } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const omega = symbol(`owb${Lc}`);
  // the dense count P̃_L + K z̃ + min(…) with ω̃_{L-1} in the min
  const withTangent = denseWith(omega);
  const expression = difference(withTangent, sum(...ls(1, Lc).map((l) => biasStackTangentNull(net, l))));
  const step: DerivationStep = {
    kind: 'computation',
    title: 'the coupling below through the lower stack’s tangent off col Z̃, with bias',
    get text() {
      return (
        `Both couplings to the layers below read the affine stack's tangent at the s̃ augmented images, dZ_j(dθ) Gᵀ, only modulo col Z̃_j: on conv l's directions that J and the blocks above annihilate, A_l T̃_l(b, β) vanishes on col Z̃_{l−1}; on the dense directions with J v = 0, W̃′ vanishes on col Z̃_{L−1}. ` +
        'With X̃ = B̃_0 C and C Gᵀ = M_1 M_2, that tangent modulo col Z̃_j has dimension ω̃_j = rank[(dθ, R) ↦ [dZ_j(dθ) B̃_0 M_1; 0] + B̃_j R] − σ̃ ẑ̃_j, a generic rank of the forward maps and the data span (symbol owb_j, src/cnn/stackNull.ts, seeded exact ranks). ' +
        `So conv l ≥ 2 has at least c_l (c_{l−1} e_l + 1) − ρ̃_l − ω̃_{l−1} null directions, and the dense layer adds at most K z̃ + ω̃_{L−1}: rank H ≤ ${txt(expression)}.`
      );
    },
    get latex() {
      return `\\operatorname{rank} H \\le ${tex(expression)},\\quad \\tilde\\omega_j = \\operatorname{rank}_{\\text{generic}}\\big[(d\\theta, R) \\mapsto [dZ_j(d\\theta) V_0; 0] + \\tilde B_j R\\big] - \\tilde\\sigma \\hat{\\tilde z}_j`;
    },
  };
  return { step, expression };
}

/**
 * With bias, cnn-bias-stack-null-H with ν̃^s_2 raised on an unpadded conv 2 (docs/cnn.md#bias-the-shift-absorbed-by-conv-2).
 */
function biasShiftNullStep(net: SymbolicConvolutional, dense: Expr): { step: DerivationStep; expression: Expr } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const expression = difference(dense, sum(...ls(1, Lc).map((l) => biasShiftNull(net, l))));
  const step: DerivationStep = {
    kind: 'computation',
    title: 'the shift of map 1 absorbed by the bias of conv 2',
    get text() {
      return (
        `Map 1 is U_1 + b1 at every position (the bias is added at every output of conv 1, padded or not), with the channel vectors of U_1 = T1(w1) X in the ω*1-dimensional column space 𝒰_1 of w1 (ω*1 = min(c1, c0 e1)). ` +
        (net.architecture.layers.length >= 2 && !net.architecture.layers[1]!.padding.some((p) => p > 0)
        ? `Conv 2 does not pad, so a kernel b ∈ 𝒰_1^⊥ ⊗ R^{e2} maps map 1 to the per-channel constant Σ_e ⟨b_e, b1⟩, and with the bias −Σ_e ⟨b_e, b1⟩ the direction leaves z_2 unchanged on every input: J v = 0 and no coupling to the layers above. ` +
          `Its coupling to conv 1, ⟨Λ_2, T2(b) dz_1⟩, reads dz_1 = T̃1(dw1, db1) x̃ only through the c1 − ω*1 channels off 𝒰_1, on the s̃ augmented images: rank ≤ min(x̃2, (c1 − ω*1) min(c0 e1 + 1, s̃ u1)). ` +
          `So conv 2 has at least c2 (c1 − ω*1) e2 − min(x̃2, (c1 − ω*1) min(c0 e1 + 1, s̃ u1)) = ${txt(biasShiftNull(net, 2))} null directions with ν̃^s_2 (the larger count holds). `
        : 'Conv 2 pads (or there is none above conv 1 but the dense layer), so the counts are those of ν̃^s_l. ') +
        `rank H ≤ ${txt(expression)}.`
      );
    },
    get latex() {
      return `\\operatorname{rank} H \\le ${tex(expression)}`;
    },
  };
  return { step, expression };
}

/**
 * With bias, cnn-bias-shift-null-H with the dense layer's coupling also ≤ ω̃_g (symbol owb_{L-1}), its projection off col Z̃_{L-1} at a
 * generic point over every kernel and bias (docs/cnn.md#bias-the-dense-layers-coupling-at-a-generic-point).
 */
function biasDenseProjectedStep(net: SymbolicConvolutional, denseWith: (bound: Expr) => Expr): { step: DerivationStep; expression: Expr } {
  const { txt, tex } = display(net);
  const Lc = net.convolutions;
  const expression = difference(denseWith(symbol(`owb${Lc}`)), sum(...ls(1, Lc).map((l) => biasShiftNull(net, l))));
  const step: DerivationStep = {
    kind: 'computation',
    title: 'the dense layer’s coupling at a generic point, with bias',
    get text() {
      return (
        `A direction V = [dW | db] of the dense layer is a null direction of H exactly when V Z̃_${Lc} = 0 and its coupling to the convolutions, tr(V [dZ_${Lc}(dθ); 0] Gᵀ), vanishes (the constant coordinate never moves). ` +
        `dZ_${Lc}(dθ) = dP̃(dθ) X̃, the augmented stack's tangent over every kernel and bias, and X̃ Gᵀ = B̃_0 M_1 M_2 (B̃_0 a basis of col X̃, s̃′ = min(s̃, r̃, c0 u0 + 1) images, M_2 of full row rank): the rank of V ↦ (V Z̃, coupling) is K z + dim(𝒯 mod col Z̃_${Lc} ⊗ R^{s̃′}), z = rank Z̃_${Lc}, 𝒯 = {[dP̃(dθ) B̃_0 M_1; 0]}. ` +
        `dim(𝒯 + col Z̃ ⊗ R^{s̃′}) never exceeds its generic rank R̃_g over the kernels, biases, B̃_0 (in the data's family) and M_1 (src/cnn/stackNull.ts, seeded exact ranks), and z ≥ ẑ̃_{L−1}, its generic rank: the dense layer's rank is ≤ K z + R̃_g − s̃′ z ≤ K z̃ + ω̃_g with ω̃_g = R̃_g − s̃′ ẑ̃_{L−1} = owb${Lc} (augmentedProjectedRank at map L−1). ` +
        `rank H ≤ ${txt(expression)}.`
      );
    },
    get latex() {
      return `\\operatorname{rank} H \\le ${tex(expression)},\\quad \\tilde\\omega_g = \\operatorname{rank}_{\\text{generic}}\\big[(b, \\beta, R) \\mapsto [d\\tilde P(b, \\beta) \\tilde V_0; 0] + \\tilde P \\tilde B_0 R\\big] - \\tilde s' \\hat{\\tilde z}_{L-1}`;
    },
  };
  return { step, expression };
}

export function deriveConvolutional(net: SymbolicConvolutional, quantity: ConvolutionalQuantity): ConvolutionalDerivation {
  const { txt, tex } = display(net);
  const steps: DerivationStep[] = [convolutionalSetup(net), geometryStep(net)];
  if (quantity === 'HO') steps.push(grossStep(net));
  const bias = net.architecture.bias;
  const { bounds, steps: more } = bias ? biasBounds(net, quantity) : quantity === 'HO' ? outerProductBounds(net) : quantity === 'HF' ? functionalBounds(net) : lossHessianBounds(net);
  steps.push(...more);
  if (net.merge) {
    const merged = mergeBounds(net, quantity);
    steps.push(...merged.steps);
    bounds.splice(quantity === 'HO' ? bounds.length - 1 : bounds.length, 0, ...merged.bounds);
  }
  const named = bounds.filter((b) => b.name !== 'the smallest of the bounds');
  const conjectured = named.filter((b) => b.conjectured);
  const best = minimum(named.map((b) => b.expression));
  const label = { HO: 'H_O', HF: 'H_F', H: 'H' }[quantity];
  steps.push({
    kind: 'result',
    title: `rank of ${label}`,
    get text() {
      return (
        `rank ${label} ≤ the smallest of the ${named.length} bounds above${quantity === 'H' ? ', with HO and HF the smallest bounds on rank H_O and rank H_F' : ''}` +
        (conjectured.length ? ` (conjectured where ${conjectured.map((b) => b.catalogId ?? b.name).join(', ')} is the smallest: measured, not derived).` : '.')
      );
    },
    // the smallest of many long bounds exceeds what KaTeX expands in one display: then the bounds are named (each has its own step)
    get latex() {
      return bestLatex(label, tex(best), named);
    },
  });
  return { network: net, quantity, steps, bounds };
}

/** Longest display written out in full in the result step (longer ones exceed KaTeX's expansion limit). */
const longestResult = 6000;

/** rank ≤ the minimum of the bounds, written out, or by the bounds' names where that is too long to display. */
function bestLatex(label: string, best: string, named: readonly { name: string; catalogId?: string }[]): string {
  if (best.length <= longestResult) return `\\operatorname{rank} ${label} \\le ${best}`;
  const names = named.map((b) => `\\text{${(b.catalogId ?? b.name).replace(/[{}\\]/g, '')}}`);
  return `\\operatorname{rank} ${label} \\le \\min\\big(${names.join(',\\ ')}\\big)`;
}

/** The three derivations (H needs the bounds on H_O and H_F). */
export function deriveConvolutionalRanks(net: SymbolicConvolutional): ConvolutionalDerivation[] {
  return (['HO', 'HF', 'H'] as const).map((q) => deriveConvolutional(net, q));
}

/** The loss a CNN's derivation uses (for display). */
export const lossOf = (net: SymbolicConvolutional): Loss => net.architecture.loss;

/** A one-line description: the architecture and the symbols. */
export function describeConvolutionalShape(net: SymbolicConvolutional): string {
  return `${convolutionalSyntax(net.architecture)} (${net.convolutions} convolution${net.convolutions === 1 ? '' : 's'}, ${net.dims}D; L = ${net.depth})`;
}

/** Substitutes HO and HF (H bounds) by the given expressions or numbers. */
export function withParts(e: Expr, HO: Expr, HF: Expr): Expr {
  return substitute(e, { HO, HF });
}
