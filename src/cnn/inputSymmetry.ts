/**
 * Input-side symmetries of a convolution: the maps Q of its (used) input with T(w) Q = T(v) for every
 * kernel w, v depending linearly on w. They form an algebra 𝒬 = R^{c_{l-1} × c_{l-1}} ⊗ 𝒬_pos: any
 * mixing of the input channels (T(w)(C ⊗ I) = T(w∘C)), tensored with the position maps 𝒬_pos that
 * keep every window's pattern. dim 𝒬_pos is 1 for a sliding convolution (stride below the kernel),
 * e² for one window reading e real inputs (a dense layer), and in between for non-overlapping or
 * padded windows.
 *
 * Computation. Row t of S_e Q (S_e the 0/1 pattern of kernel offset e) is row pos(t, e) of Q, and it
 * must equal Σ_f V[e, f] S_f's row t for one matrix V over the effective offsets. Q is determined
 * by V, so dim 𝒬_pos = dim of the V satisfying
 *   (padding)      pos(t, e) padded  ⇒  V[e, f] = 0 for every f real in window t;
 *   (consistency)  pos(t, e) = pos(t′, e′) real  ⇒  V[e, y − st + pad] = V[e′, y − st′ + pad] for every
 *                  used real position y (an index outside the window, or at a padded coordinate, is 0).
 * Every constraint says "two unknowns are equal" or "an unknown is 0": union-find counts the free
 * classes. Per spatial dimension the distinct situations are few (windows repeat); a D-dimensional
 * situation is a product of per-dimension ones, so the cost does not grow with the input size.
 * docs/cnn.md (loss Hessian, one convolution) uses dim 𝒬 as the dimension of range H_O ∩ range H_F.
 */
import type { Convolutional } from '../architecture/convolutional.js';
import { genericRank, type GenericRank } from '../linalg/index.js';
import { zeros } from '../numeric/matrix.js';
import { InputError } from '../errors.js';

/**
 * Most steps the position symmetries of one convolution may take: per axis, the neighbourhoods read
 * and the entries of the situations built; then the union-find merges (one per combination of
 * per-axis entries). They grow about as kernel⁴ per axis (squared again in 2D) and as the positions
 * along an axis; measured: 5.8e6 steps (in=400, k=40) took 5.3 s, 1.4e7 (k=50) 14 s, 1.8e6 merges
 * (in=100x100, k=10) 5.3 s; k=100 or in=28x28 with k=13 pad=6 would take many minutes. Beyond the
 * budget the CNN is refused (exit 2) instead of running on.
 */
export const positionSymmetryBudget = 4_000_000;

function tooLarge(layer: number, kernel: readonly number[], steps: number): InputError {
  return new InputError(
    `conv layer ${layer + 1} (kernel ${kernel.join('x')}) is too large for the position symmetries the CNN bounds use: ` +
      `more than ${steps.toExponential(1)} steps, limit ${positionSymmetryBudget.toExponential(0)} (about a second per million); give smaller kernels or inputs`,
  );
}

interface PadSituation {
  e: number;
  padded: boolean;
  reals: number[];
}
interface PairSituation {
  e: number;
  e2: number;
  /** for each used real y in either window: the index into each window (null: outside or padded) */
  pairs: [number | null, number | null][];
}

interface DimensionSituations {
  effective: number[];
  pad: PadSituation[];
  pair: PairSituation[];
  /** steps taken (neighbourhoods read, entries built); above the budget the lists are left empty */
  steps: number;
}

/** Per-dimension situations of conv `layer` (0-based) given the used output coordinates. */
function dimensionSituations(size: number, kernel: number, stride: number, padding: number, usedOutputs: readonly number[], budget = Infinity): DimensionSituations {
  const real = (x: number): boolean => x >= 0 && x < size;
  const pos = (t: number, e: number): number => stride * t + e - padding;
  const effectiveSet = new Set<number>();
  for (const t of usedOutputs) for (let e = 0; e < kernel; e++) if (real(pos(t, e))) effectiveSet.add(e);
  const effective = [...effectiveSet].sort((a, b) => a - b);
  const pad = new Map<string, PadSituation>();
  const pair = new Map<string, PairSituation>();
  const used = new Set<number>();
  for (const t of usedOutputs) for (let e = 0; e < kernel; e++) if (real(pos(t, e))) used.add(pos(t, e));
  const index = (t: number, y: number): number | null => {
    const a = y - stride * t + padding;
    return a >= 0 && a < kernel && real(y) ? a : null;
  };
  const sorted = [...usedOutputs].sort((a, b) => a - b);
  const usedOutputSet = new Set(usedOutputs);
  // Window t's situations are read in coordinates relative to t, so two windows with the same
  // neighbourhood (which overlapping windows are used; which positions around them are real, used)
  // give the same situations: each neighbourhood is worked out once (an input of a million
  // positions has a handful), keeping the first-seen order.
  const reach = Math.floor((kernel - 1) / stride);
  const seen = new Set<string>();
  // every used window reads its neighbourhood: a lower bound on the steps, known before any
  const keyLength = 2 * reach + 1 + 2 * reach * stride + kernel;
  if (usedOutputs.length * keyLength > budget) return { effective, pad: [], pair: [], steps: usedOutputs.length * keyLength };
  let steps = 0;
  for (const t of sorted) {
    let neighbourhood = '';
    for (let t2 = t - reach; t2 <= t + reach; t2++) neighbourhood += usedOutputSet.has(t2) ? '1' : '0';
    for (let y = stride * (t - reach) - padding; y <= stride * (t + reach) - padding + kernel - 1; y++) neighbourhood += !real(y) ? '0' : used.has(y) ? '2' : '1';
    steps += neighbourhood.length;
    if (steps > budget) return { effective, pad: [], pair: [], steps };
    if (seen.has(neighbourhood)) continue;
    seen.add(neighbourhood);
    const reals = effective.filter((f) => real(pos(t, f)));
    for (const e of effective) {
      const situation = { e, padded: !real(pos(t, e)), reals };
      pad.set(JSON.stringify(situation), situation);
    }
    // only the windows that overlap window t (|stride·(t2 − t)| < kernel), in increasing order
    for (let t2 = t - reach; t2 <= t + reach; t2++) {
      if (!usedOutputSet.has(t2)) continue;
      // the used real positions in either window (window t covers stride·t − pad … + kernel − 1): O(kernel), not O(input)
      const from = Math.min(stride * t, stride * t2) - padding;
      const to = Math.max(stride * t, stride * t2) - padding + kernel - 1;
      steps += to - from + 1;
      if (steps > budget) return { effective, pad: [], pair: [], steps };
      const ys: number[] = [];
      for (let y = from; y <= to; y++) if (used.has(y) && (index(t, y) !== null || index(t2, y) !== null)) ys.push(y);
      for (const e of effective) {
        const x = pos(t, e);
        if (!real(x)) continue;
        const e2 = x - stride * t2 + padding;
        if (e2 < 0 || e2 >= kernel) continue;
        steps += ys.length;
        if (steps > budget) return { effective, pad: [], pair: [], steps };
        const situation: PairSituation = { e, e2, pairs: ys.map((y) => [index(t, y), index(t2, y)]) };
        pair.set(JSON.stringify(situation), situation);
      }
    }
  }
  return { effective, pad: [...pad.values()], pair: [...pair.values()], steps };
}

/**
 * Every combination of one entry per list, in the order of cartesian (the last list fastest): `visit` gets the sum of the
 * chosen entries, or −1 when one of them is −1.
 */
function forEachCombination(lists: readonly number[][], visit: (sum: number) => void): void {
  const walk = (j: number, at: number): void => {
    if (j === lists.length) return visit(at);
    for (const x of lists[j]!) walk(j + 1, at < 0 || x < 0 ? -1 : at + x);
  };
  walk(0, 0);
}

/** forEachCombination over lists of pairs, summing each side apart. */
function forEachPair(lists: readonly (readonly (readonly [number, number])[])[], visit: (a: number, b: number) => void): void {
  const walk = (j: number, a: number, b: number): void => {
    if (j === lists.length) return visit(a, b);
    for (const [x, y] of lists[j]!) walk(j + 1, a < 0 || x < 0 ? -1 : a + x, b < 0 || y < 0 ? -1 : b + y);
  };
  walk(0, 0, 0);
}

function cartesian<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]]);
}

class UnionFind {
  private readonly parent: number[];
  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]!]!;
      x = this.parent[x]!;
    }
    return x;
  }
  union(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b);
  }
}

/** A basis of 𝒬_pos: each element is the 0/1 matrix V (m × m, m effective offsets) of one free class. */
export interface PositionSymmetries {
  /** effective kernel elements of the layer */
  m: number;
  /** per basis element, the flat indices e·m + f where V[e, f] = 1 */
  basis: number[][];
  /**
   * dim of the input shifts ρ (one channel) with T(w) ρ constant on every output channel for every
   * w: ρ(pos(t, e)) = α_e, α_e = α_e′ where windows overlap, α_e = 0 where offset e is padded in
   * some window. A bias absorbs them (1 for a sliding convolution without padding).
   */
  shifts: number;
}

/**
 * 𝒬_pos of conv `layer` (0-based): the position maps of its used input that every kernel's
 * Toeplitz pattern absorbs. `usedOutputs[j]` lists the used output coordinates along dimension j.
 */
export function positionSymmetries(net: Convolutional, layer: number, inputSizes: readonly number[], usedOutputs: readonly (readonly number[])[]): PositionSymmetries {
  const spec = net.layers[layer]!;
  const dims = inputSizes.map((size, j) => dimensionSituations(size, spec.kernel[j]!, spec.stride[j]!, spec.padding[j]!, usedOutputs[j]!, positionSymmetryBudget));
  for (const d of dims) if (d.steps > positionSymmetryBudget) throw tooLarge(layer, spec.kernel, d.steps);
  // the merges below: one per combination of per-axis entries
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  const merges =
    dims.reduce((n, d) => n * sum(d.pair.map((c) => c.pairs.length)), 1) + dims.reduce((n, d) => n * sum(d.pad.map((c) => c.reals.length)), 1);
  if (merges > positionSymmetryBudget) throw tooLarge(layer, spec.kernel, merges);
  // unknowns V[e, f], e and f tuples of effective offsets, flattened in the order of cartesian(effective lists) (the last
  // axis fastest); one extra node for 0
  const radix: number[] = new Array<number>(dims.length);
  let m = 1;
  for (let j = dims.length - 1; j >= 0; j--) {
    radix[j] = m;
    m *= dims[j]!.effective.length;
  }
  // the flat contribution of offset x along axis j, or −1 (outside the window, padded, or not an effective offset)
  const axisIndex = dims.map((d, j) => {
    const index = new Map<number, number>();
    d.effective.forEach((x, i) => index.set(x, i * radix[j]!));
    return (x: number | null): number => (x === null ? -1 : (index.get(x) ?? -1));
  });
  const zero = m * m;
  const sets = new UnionFind(m * m + 1);
  const offsetOf = (e: readonly number[]): number => e.reduce((at, x, j) => at + axisIndex[j]!(x), 0);
  for (const combo of cartesian(dims.map((d) => d.pad))) {
    if (!combo.some((c) => c.padded)) continue;
    const e = offsetOf(combo.map((c) => c.e)) * m;
    const reals = combo.map((c, j) => c.reals.map((x) => axisIndex[j]!(x)));
    forEachCombination(reals, (f) => sets.union(f < 0 ? zero : e + f, zero));
  }
  for (const combo of cartesian(dims.map((d) => d.pair))) {
    const e = offsetOf(combo.map((c) => c.e)) * m;
    const e2 = offsetOf(combo.map((c) => c.e2)) * m;
    // per axis, each used y's pair of indices as flat contributions (−1: no unknown, the node 0)
    const pairs = combo.map((c, j) => c.pairs.map(([a, b]) => [axisIndex[j]!(a), axisIndex[j]!(b)] as const));
    forEachPair(pairs, (f, f2) => sets.union(f < 0 ? zero : e + f, f2 < 0 ? zero : e2 + f2));
  }
  // shifts: union-find over the offsets (node m is 0)
  const offsetSets = new UnionFind(m + 1);
  for (const combo of cartesian(dims.map((d) => d.pad))) {
    if (combo.some((c) => c.padded)) offsetSets.union(offsetOf(combo.map((c) => c.e)), m);
  }
  for (const combo of cartesian(dims.map((d) => d.pair))) {
    offsetSets.union(offsetOf(combo.map((c) => c.e)), offsetOf(combo.map((c) => c.e2)));
  }
  const shiftClasses = new Set<number>();
  for (let i = 0; i < m; i++) if (offsetSets.find(i) !== offsetSets.find(m)) shiftClasses.add(offsetSets.find(i));
  const zeroRoot = sets.find(zero);
  const classes = new Map<number, number[]>();
  for (let i = 0; i < m * m; i++) {
    const root = sets.find(i);
    if (root === zeroRoot) continue;
    if (!classes.has(root)) classes.set(root, []);
    classes.get(root)!.push(i);
  }
  return { m, basis: [...classes.values()], shifts: shiftClasses.size };
}

/** Largest matrix (entries) absorbedKernelDimension builds; above it, the lower bound c_0 min(c_0, c_l e). */
const largestSystem = 250_000;

/** The seed of the random kernels and of their primes: dim w·𝒬 is a property of the architecture. */
export const absorbedKernelSeed = 0x5eed;

/** The rank of Q ↦ wQ at random integer kernels, and what it rests on (see absorbedKernelDimension). */
export interface AbsorbedKernelRank extends GenericRank {
  /** the matrix M's shape, for the size guard */
  rows: number;
  cols: number;
}

/**
 * rank of the linear map Q ↦ v(w, Q) (Q ∈ R^{c_in × c_in} ⊗ 𝒬_pos) at random kernels w, as the matrix
 * M(w) (rows (o, b, f), columns (a, b′, j)) whose entries are sums of at most m entries of w: its generic
 * rank by genericRank (src/linalg/genericRank.ts: seeded kernels modulo seeded primes; never above the
 * generic rank, below it with probability ≤ 1e-9).
 */
export function absorbedKernelRank(symmetries: PositionSymmetries, inChannels: number, outChannels: number, seed = absorbedKernelSeed): AbsorbedKernelRank {
  const { m, basis } = symmetries;
  const rows = outChannels * inChannels * m;
  const cols = inChannels * inChannels * basis.length;
  const build = (w: Float64Array) => {
    const M = zeros(rows, cols);
    // column (a, b, j) = E_ab ⊗ B_j;  (w_o (E_ab ⊗ B_j))[b, f] = Σ_e w[o, a, e] B_j[e, f]
    for (let a = 0; a < inChannels; a++) {
      for (let b = 0; b < inChannels; b++) {
        basis.forEach((entries, j) => {
          const col = (a * inChannels + b) * basis.length + j;
          for (let o = 0; o < outChannels; o++) {
            for (const flat of entries) {
              const e = Math.floor(flat / m);
              const f = flat % m;
              const row = (o * inChannels + b) * m + f;
              M.data[row * cols + col]! += w[(o * inChannels + a) * m + e]!;
            }
          }
        });
      }
    }
    return M;
  };
  return { ...genericRank(outChannels * inChannels * m, m, build, seed), rows, cols };
}

/**
 * dim w·𝒬 = dim{v(w, Q) : Q ∈ R^{c_in × c_in} ⊗ 𝒬_pos} at a generic kernel w (c_out × c_in × m):
 * the kernels T(w) Q = T(v) reaches, as absorbedKernelRank at seeded random integer kernels: never
 * above the generic dimension, and below it with probability ≤ 1e-9 (docs/cnn.md). Large systems
 * return the dimension of the channel mixings alone, c_in · min(c_in, c_out m) (Q ∈ R^{c_in×c_in} ⊗ I),
 * which is also never above it.
 */
export function absorbedKernelDimension(symmetries: PositionSymmetries, inChannels: number, outChannels: number): number {
  const { m, basis } = symmetries;
  const channelOnly = inChannels * Math.min(inChannels, outChannels * m);
  const rows = outChannels * inChannels * m;
  const cols = inChannels * inChannels * basis.length;
  if (rows * cols > largestSystem) return channelOnly;
  return Math.max(channelOnly, absorbedKernelRank(symmetries, inChannels, outChannels).rank);
}
