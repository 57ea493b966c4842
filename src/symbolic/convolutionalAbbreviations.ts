/**
 * The named quantities of a CNN derivation (z, a, q, s, t_l, h_l, y_l, b, g, τ_i, x_j, P_j, r̃, s̃, z̃,
 * with bias P̃_j, τ̃_i, x̃_j; mc),
 * for display: a bound written out in the size symbols is long, so every subexpression whose text is
 * that of a named quantity is shown by its name, and the names used are listed with their definitions.
 * Display only: proofs and values use the explicit expressions.
 */
import { symbol, toTex, toText, type Expr } from './expression.js';
import {
  composedKernel,
  coupling,
  dataOutputRank,
  effectiveChannels,
  expansionBottleneck,
  functionalParameters,
  lowestCount,
  patchSpan,
  seenParameters,
  kernelBottleneck,
  outputs,
  stackTangent,
  augmentedDataRank,
  biasCoupling,
  biasFunctionalParameters,
  biasStackTangent,
  dataThroughStack,
  denseRank,
  symmetryReduced,
  toeplitzBound,
  readChannels,
  readImages,
  columnPatchSpan,
  functionalColumn,
  augmentedModel,
  biasFunctionalColumn,
  biasReadChannels,
  biasColumnPatchSpan,
  stackNull,
  kernelNull,
  type SymbolicConvolutional,
} from './convolutionalNetwork.js';
import { constant, minimum, sum } from './expression.js';

const ls = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** [name, definition] in the order a reader needs them (each may use the earlier ones). */
export function namedQuantities(net: SymbolicConvolutional): [string, Expr][] {
  const Lc = net.convolutions;
  const L = net.depth;
  const named: [string, Expr][] = [
    ['s', dataOutputRank(net)],
    ['q', expansionBottleneck(net)],
    ...ls(1, Lc).map((l): [string, Expr] => [`t${l}`, toeplitzBound(net, l)]),
    ['z', dataThroughStack(net)],
    ...(Lc > 1 ? [['zp', dataThroughStack(net, Lc - 1)] as [string, Expr]] : []),
    ['a', denseRank(net)],
    ...ls(1, Lc).map((l): [string, Expr] => [`h${l}`, effectiveChannels(net, l)]),
    ...ls(1, Lc).map((l): [string, Expr] => [`y${l}`, symmetryReduced(net, l)]),
    ...ls(1, Lc).map((j): [string, Expr] => [`b${j}`, kernelBottleneck(net, j)]),
    ...ls(1, Lc).flatMap((j): [string, Expr][] => {
      const g = composedKernel(net, j);
      return g ? [[`g${j}`, g]] : [];
    }),
    ...ls(1, Lc).map((i): [string, Expr] => [`tau${i}`, stackTangent(net, i)]),
    // what the layers above conv j read: ĥ_l channels, s_j images, and the stack below conv j on them
    ...ls(1, Lc).map((l): [string, Expr] => [`hd${l}`, readChannels(net, l)]),
    ...ls(2, Lc).map((j): [string, Expr] => [`sd${j}`, readImages(net, j)]),
    ...ls(2, Lc).flatMap((j): [string, Expr][] => ls(1, j - 1).map((i): [string, Expr] => [`tau${i}s${j}`, stackTangent(net, i, j)])),
    ...ls(2, L).map((j): [string, Expr] => [`x${j}`, coupling(net, j)]),
    ...ls(2, L).map((j): [string, Expr] => [`P${j}`, functionalParameters(net, j)]),
    // conv 1 through the patches of the s images: π_1, P^f_j, and the count γ of the two lowest convolutions
    ['pi1', patchSpan(net)],
    ...ls(2, L).map((j): [string, Expr] => [`Pf${j}`, seenParameters(net, j)]),
    ...(Lc > 1 ? [['gamma', lowestCount(net)] as [string, Expr]] : []),
    // the columns of H_F: the patch spans π_l and the bounds col_l on each conv's column block
    ...(Lc > 1 ? ls(2, Lc).map((l): [string, Expr] => [`pz${l}`, columnPatchSpan(net, l)]) : []),
    ...(Lc > 1 ? ls(1, Lc).map((l): [string, Expr] => [`col${l}`, functionalColumn(net, l)]) : []),
    // the null directions of each convolution: ν̂_l (the tensor products) and under the stack above it (cnn-stack-null-H)
    ...(Lc > 1 ? ls(1, Lc).map((l): [string, Expr] => [`nk${l}`, kernelNull(net, l)]) : []),
    ...(Lc > 1 ? ls(1, Lc).map((l): [string, Expr] => [`ns${l}`, stackNull(net, l)]) : []),
  ];
  if (net.architecture.bias) {
    const rt = augmentedDataRank();
    named.push(['rt', rt], ['st', minimum([rt, outputs(net)])]);
    named.push(['zt', minimum([rt, sum(minimum(ls(1, Lc).map((l) => toeplitzBound(net, l))), constant(1))])]);
    // the affine stack's tangent τ̃_i, couplings x̃_j and parameters P̃_j (the bias recursion)
    named.push(...ls(2, L).map((j): [string, Expr] => [`Pt${j}`, biasFunctionalParameters(net, j)]));
    named.push(...ls(1, Lc).map((i): [string, Expr] => [`taut${i}`, biasStackTangent(net, i)]));
    named.push(...ls(2, L).map((j): [string, Expr] => [`xt${j}`, biasCoupling(net, j)]));
    named.push(['pit1', patchSpan(net, true)], ...ls(2, L).map((j): [string, Expr] => [`Pft${j}`, seenParameters(net, j, true)]));
    if (Lc > 1) named.push(['gammat', lowestCount(net, true)]);
    // the columns of H_F with bias: ĥ̃_l, the model spaces w̃_l and spans π̃_l of the augmented patches, and the bounds col̃_l
    if (Lc > 1) {
      named.push(...ls(1, Lc).map((l): [string, Expr] => [`hdt${l}`, biasReadChannels(net, l)]));
      named.push(...ls(2, Lc).map((l): [string, Expr] => [`wt${l}`, augmentedModel(net, l)]));
      named.push(...ls(2, Lc).map((l): [string, Expr] => [`pzt${l}`, biasColumnPatchSpan(net, l)]));
      named.push(...ls(1, Lc).map((l): [string, Expr] => [`colt${l}`, biasFunctionalColumn(net, l)]));
    }
  }
  if (net.merge) named.push(['mc', net.merge.cost]);
  if (net.merge?.overlap) named.push(['mq', net.merge.overlap.rank]);
  // a quantity that is a single symbol already reads as itself
  return named.filter(([, e]) => e.type !== 'SymbolNode' && e.type !== 'ConstantNode');
}

/**
 * toText of a node, rendered once per node: expressions are immutable and the derivation shares its
 * subtrees (memoized per network), so abbreviating many bounds would otherwise render the same
 * subtrees again for every bound and at every depth.
 */
const texts = new WeakMap<Expr, string>();
function textOf(node: Expr): string {
  let text = texts.get(node);
  if (text === undefined) texts.set(node, (text = toText(node)));
  return text;
}

/** The number of nodes of a tree (parentheses not counted: they render as their content), once per node. */
const sizes = new WeakMap<Expr, number>();
function sizeOf(node: Expr): number {
  let size = sizes.get(node);
  if (size === undefined) {
    let children = 0;
    node.forEach((child) => (children += sizeOf(child)));
    sizes.set(node, (size = (node.type === 'ParenthesisNode' ? 0 : 1) + children));
  }
  return size;
}

/**
 * e with every subexpression equal (as text) to a named quantity replaced by its name; the names
 * used. The root itself is kept with keepRoot (for "q = min(r, …)", which must not read "q = q").
 */
export function abbreviate(e: Expr, named: [string, Expr][], keepRoot = false): { shown: Expr; used: Set<string> } {
  const bySize = namesBySize(named);
  const nameOf = (node: Expr): string | undefined => {
    const bucket = bySize.get(sizeOf(node));
    if (!bucket) return undefined;
    if (bucket.length === 1 && bucket[0]![1] === node) return bucket[0]![0];
    const text = textOf(node);
    let found: string | undefined;
    for (const [n, x] of bucket) if (textOf(x) === text) found = n;
    return found;
  };
  const used = new Set<string>();
  // a subtree shared by several paths (the derivation shares them) is abbreviated once
  const done = new Map<Expr, Expr>();
  const walk = (node: Expr, root = false): Expr => {
    const name = root ? undefined : nameOf(node);
    if (name) {
      used.add(name);
      return symbol(name);
    }
    let shown = done.get(node);
    if (!shown) done.set(node, (shown = node.map((child) => walk(child))));
    return shown;
  };
  return { shown: walk(e, keepRoot), used };
}

/**
 * The named quantities by node count, for each list once: equal texts have equal node counts, so a node of
 * another size is no named quantity and is not rendered to check; the named quantities of one size are compared
 * by text (the last of equal texts names it), rendered only when a node of that size is met, except that a node
 * that is the only named quantity of its size needs no text at all.
 */
const bySizes = new WeakMap<[string, Expr][], Map<number, [string, Expr][]>>();
function namesBySize(named: [string, Expr][]): Map<number, [string, Expr][]> {
  let bySize = bySizes.get(named);
  if (bySize) return bySize;
  bySize = new Map<number, [string, Expr][]>();
  for (const [n, x] of named) {
    const size = sizeOf(x);
    const bucket = bySize.get(size);
    if (bucket) bucket.push([n, x]);
    else bySize.set(size, [[n, x]]);
  }
  bySizes.set(named, bySize);
  return bySize;
}

const cache = new WeakMap<SymbolicConvolutional, [string, Expr][]>();

/** namedQuantities, built once per network. */
export function cachedQuantities(net: SymbolicConvolutional): [string, Expr][] {
  let named = cache.get(net);
  if (!named) cache.set(net, (named = namedQuantities(net)));
  return named;
}

const displays = new WeakMap<SymbolicConvolutional, { txt: (e: Expr) => string; tex: (e: Expr) => string }>();

/** Text and LaTeX of an expression of this network with its named quantities abbreviated (below the root); once per network. */
export function display(net: SymbolicConvolutional): { txt: (e: Expr) => string; tex: (e: Expr) => string } {
  let shown = displays.get(net);
  if (shown) return shown;
  const named = cachedQuantities(net);
  // the text and the LaTeX of one expression share its abbreviation
  const shortened = new WeakMap<Expr, Expr>();
  const short = (e: Expr): Expr => {
    let abbreviated = shortened.get(e);
    if (!abbreviated) shortened.set(e, (abbreviated = abbreviate(e, named, true).shown));
    return abbreviated;
  };
  // each rendered once (a step's text and LaTeX are written whenever they are read)
  const texts = new WeakMap<Expr, string>();
  const latex = new WeakMap<Expr, string>();
  const once = (cache: WeakMap<Expr, string>, render: (e: Expr) => string) => (e: Expr): string => {
    let text = cache.get(e);
    if (text === undefined) cache.set(e, (text = render(short(e))));
    return text;
  };
  shown = { txt: once(texts, toText), tex: once(latex, toTex) };
  displays.set(net, shown);
  return shown;
}

/** The definitions a set of shown expressions needs, themselves abbreviated, in reading order. */
export function definitionsFor(used: Set<string>, named: [string, Expr][]): [string, Expr][] {
  const needed = new Set(used);
  const shown = new Map<string, Expr>();
  for (let i = named.length - 1; i >= 0; i--) {
    const [name, e] = named[i]!;
    if (!needed.has(name)) continue;
    const { shown: s, used: inner } = abbreviate(e, named.slice(0, i), true);
    shown.set(name, s);
    inner.forEach((n) => needed.add(n));
  }
  return named.filter(([n]) => shown.has(n)).map(([n]) => [n, shown.get(n)!]);
}
