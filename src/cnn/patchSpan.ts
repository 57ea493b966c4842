/**
 * π°_l: the dimension of the span Π_l of the patches of s generic images at map l−1, as conv l reads them, at
 * generic kernels of conv 1..l−1 (docs/cnn.md#several-convolutions-the-patches-at-a-generic-point):
 *
 *   Π_l = span{patch_t(z_k)},  z_k = T_{l-1}(w_{l-1}) ⋯ T_1(w_1) b_k,  k ≤ s,  t a used output position of conv l,
 *   π°_l = rank of the patch matrix P_l[(k, t), (i, e)] = z_k[i, s⃗⊙t⃗ + e⃗ − pad⃗]  (0 where the window reads padding).
 *
 * Every entry of P_l is a sum of monomials (paths through the kernels), each the product of one entry of each of
 * w_1, …, w_{l-1} and one image entry: degree l, coefficient 1. Its generic rank comes from genericPolynomialRank
 * (src/linalg/genericRank.ts) at seeded random points modulo primes: never above the generic rank, below it with
 * probability ≤ 1e-9. π°_l ≤ π_l = min(c_{l-1} e_l, h_{l-1} e_l, s u_l, c_0 g_l) (the count,
 * src/cnn/functionalColumns.ts), which is the proven bound handed to it (a draw reaching it stops). It is below the
 * count where the patches of map l−1 are one fixed map of a shorter window of a lower map
 * (`in=11 ch=2; conv k=2 c=1 s=2; conv k=3 c=4 s=2 pad=1; conv k=2 c=4 pad=1`: map 2's patches read five entries
 * of the one-channel map 1, π°_3 = 5 against h_2 e_3 = 6) or a thin layer below limits them.
 *
 * With bias (docs/cnn.md#bias-the-patches-and-the-mixings-at-a-generic-point): π̃°_l, the rank of the augmented patch
 * matrix [P_l | σ] of s̃ generic augmented images (b_k, σ_k) under the affine stack, z_k = T_{l-1} ⋯ (T_1 b_k + B_1 b_1 σ_k) ⋯
 * + B_{l-1} b_{l-1} σ_k (every map carries its bias at every position, padding reads 0), the column σ the images' σ_k:
 * the span of conv l's augmented patches [patch_t(z_k); σ_k]. Every entry is a sum of monomials of degree ≤ l with
 * coefficient 1 (the paths from the input, and from each bias).
 *
 * undefined (not computed: the count stands) for l = 1 (π_1 is src/cnn/patchRank.ts), when one forward pass has
 * more than `largestForward` multiplications or the patch matrix more than `largestSpan` entries.
 */
import type { Convolutional } from '../architecture/convolutional.js';
import { genericPolynomialRank } from '../linalg/index.js';
import { rankModPrime } from '../linalg/exactRank.js';
import { multiplyTransposedModulo } from '../linalg/gemm.js';
import { zeros, type Matrix } from '../numeric/matrix.js';
import { RandomStream } from '../numeric/random.js';
import { exactSumLimit, primeField, reduceEntries } from '../numeric/ring.js';
import { convolutionalGeometry, stackKey, usedLayer } from './geometry.js';
import { boundedMemo } from './memo.js';
import { convolutionPattern, outputShape } from './toeplitz.js';

/** Largest forward pass (pattern entries × images) and patch matrix (rows × columns) computed. */
export const largestForward = 2_000_000;
export const largestSpan = 250_000;

/** The seed of the random kernels, images and primes: π°_l is a property of the architecture and s. */
const spanSeed = 0x5a7e;

const cached = boundedMemo<number | undefined>(1024);

const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1);

/**
 * π°_l for conv `l` ≥ 2 (1-based) on `images` generic images, bounded by `count`; with `bias`, π̃°_l on `images` generic
 * augmented images under the affine stack; undefined when not computed.
 */
export function patchSpanRank(net: Convolutional, l: number, images: number, count: number, bias = false): number | undefined {
  if (l < 2 || l > net.layers.length) return undefined;
  if (images <= 0 || count <= 0) return 0;
  // it reads conv 1..l and the positions of map l used above (stackKey): the CNNs derived from this one share it
  return cached(`span ${bias ? 'bias ' : ''}${l} ${images} ${count} ${stackKey(net, l)}`, () => compute(net, l, images, count, bias));
}

function compute(net: Convolutional, l: number, images: number, count: number, bias: boolean): number | undefined {
  const G = convolutionalGeometry(net);
  const channels = G.channels;
  // sizes from the geometry first: nothing of a large layer is built
  let forward = 0;
  for (let j = 1; j < l; j++) forward += channels[j]! * G.positions[j]! * channels[j - 1]! * G.kernel[j - 1]! * images;
  if (forward > largestForward || images * G.used[l]! * channels[l - 1]! * G.kernel[l - 1]! > largestSpan) return undefined;
  // layers 1..l−1 on the whole grid (unused positions cost little and change no used one)
  const layers = net.layers.slice(0, l - 1).map((layer, j) => ({ geometry: usedLayer(net, j + 1).layer, kernel: layer.kernel }));
  const top = usedLayer(net, l);
  const topPositions = top.rows.length / channels[l]!;
  const window = channels[l - 1]! * product(top.layer.kernel);
  // with bias the last column is σ_k
  const width = window + (bias ? 1 : 0);
  const height = images * topPositions;
  const degree = l;
  const patterns = layers.map((x) => convolutionPattern(x.geometry, false));
  // with bias each layer's parameters are its kernel, then its c_j biases; each image is followed by its σ_k
  const kernelSizes = patterns.map((p, j) => p.parameters + (bias ? channels[j + 1]! : 0));
  const inputSize = channels[0]! * product(net.input);
  const imageSize = inputSize + (bias ? 1 : 0);
  const parameters = kernelSizes.reduce((a, b) => a + b, 0) + images * imageSize;
  // conv l's window entries for output channel 0: (used position index, column i·κ + e, input index)
  const topPattern = convolutionPattern(top.layer, false);
  const nOut = product(outputShape(top.layer));
  const usedPosition = new Map(top.rows.slice(0, topPositions).map((row, index) => [row, index]));
  const reads: { t: number; column: number; input: number }[] = [];
  for (let x = 0; x < topPattern.row.length; x++) {
    const t = usedPosition.get(topPattern.row[x]!);
    if (t === undefined || topPattern.param[x]! >= window || topPattern.row[x]! >= nOut) continue;
    reads.push({ t, column: topPattern.param[x]!, input: topPattern.col[x]! });
  }
  const kernelAt: number[] = [];
  kernelSizes.reduce((at, size) => (kernelAt.push(at), at + size), 0);
  const imagesAt = kernelSizes.reduce((a, b) => a + b, 0);
  // P at the point w modulo p (p = Infinity: x % Infinity = x, the float64 values): every sum reduced past 2^52
  const evaluate = (w: Float64Array, p: number): Matrix => {
    // w: residues modulo p (genericPolynomialRank draws them so), or the ones of the coefficient sums (p = Infinity)
    const v = w;
    const P = zeros(height, width);
    for (let k = 0; k < images; k++) {
      const from = imagesAt + k * imageSize;
      let z: Float64Array = v.slice(from, from + inputSize);
      const sigma = bias ? v[from + inputSize]! : 0;
      patterns.forEach((pattern, j) => {
        const out = new Float64Array(pattern.rows);
        const at = kernelAt[j]!;
        const { row, col, param } = pattern;
        for (let x = 0; x < row.length; x++) {
          const sum = out[row[x]!]! + v[at + param[x]!]! * z[col[x]!]!;
          out[row[x]!] = sum >= exactSumLimit ? sum % p : sum;
        }
        if (bias) {
          // B_j b_j σ_k: channel o's bias at every position of map j
          const positions = pattern.rows / channels[j + 1]!;
          for (let y = 0; y < pattern.rows; y++) out[y] = (out[y]! + v[at + pattern.parameters + Math.floor(y / positions)]! * sigma) % p;
        }
        z = reduceEntries(out, p);
      });
      for (const { t, column, input } of reads) P.data[(k * topPositions + t) * width + column] = z[input]!;
      if (bias) for (let t = 0; t < topPositions; t++) P.data[(k * topPositions + t) * width + window] = sigma;
    }
    return P;
  };
  return genericPolynomialRank(parameters, degree, { modular: (field, w) => evaluate(w, field.prime), magnitude: (w) => evaluate(w, Infinity) }, spanSeed, count).rank;
}

/**
 * μ̃_i, with bias (docs/cnn.md#bias-the-patches-and-the-mixings-at-a-generic-point): the dimension of the directions of the
 * stack below conv i that are also conv i's own directions, on the s̃ augmented images at map i:
 *
 *   𝒫_i = { T_i(w_i M) Z_{i-1} + [conv i unpadded] B_i (Σ_e w_i[·,·,e] δ) σᵀ : M ∈ R^{c_{i-1}×c_{i-1}}, δ ∈ R^{c_{i-1}} },
 *
 * the channel mixing (dw_{i-1}, db_{i-1}) = M(w_{i-1}, b_{i-1}) of map i−1 (dz_{i-1} = M z_{i-1}, pushed to T_i(w_i)(M z_{i-1}) =
 * T_i(w_i M) z_{i-1}: conv i's own direction w_i M) and, when conv i does not pad, the shift db_{i-1} = δ (pushed to conv i's
 * own bias direction Σ_e w_i[·,·,e] δ). μ̃_i is the rank of (M, δ) ↦ 𝒫_i at one seeded random point (kernels, biases, images
 * and σ_k) modulo the prime 65521: never above the rank over Q at that integer point, which never exceeds the generic
 * dimension — the direction the bound needs, since μ̃_i is subtracted (no failure probability; an unlucky point only
 * loosens the bound). undefined (not computed: the count stands) for i < 2 or beyond `largestForward` multiplications.
 */
export function ownMixingRank(net: Convolutional, i: number, images: number): number | undefined {
  if (i < 2 || i > net.layers.length || images <= 0) return undefined;
  // it reads conv 1..i and the positions of map i used above (stackKey)
  return mixingCache(`own mixing ${i} ${images} ${stackKey(net, i)}`, () => computeOwnMixing(net, i, images));
}

const mixingCache = boundedMemo<number | undefined>(1024);

/** Z/65521Z: products of two residues stay below 2^32, sums of up to 2^21 of them exact in float64 */
const ownMixingField = primeField(65_521);
const ownMixingSeed = 0x6d1e;

function computeOwnMixing(net: Convolutional, i: number, images: number): number | undefined {
  const G = convolutionalGeometry(net);
  const channels = G.channels;
  let forward = 0;
  for (let j = 1; j < i; j++) forward += channels[j]! * G.positions[j]! * channels[j - 1]! * G.kernel[j - 1]! * images;
  const below = channels[i - 1]!;
  const columns = below * below + below;
  if (forward > largestForward || images * G.used[i]! * channels[i]! * columns > largestSpan) return undefined;
  const p = ownMixingField.prime;
  const random = new RandomStream(ownMixingSeed);
  const draw = (n: number): Float64Array => {
    const values = new Float64Array(n);
    for (let x = 0; x < n; x++) values[x] = random.integer(1, p - 1);
    return values;
  };
  const patterns = net.layers.slice(0, i - 1).map((_, j) => convolutionPattern(usedLayer(net, j + 1).layer, false));
  const top = usedLayer(net, i);
  const topPattern = convolutionPattern(top.layer, false);
  const topPositions = top.rows.length / channels[i]!;
  const nOut = product(outputShape(top.layer));
  const kappa = product(top.layer.kernel);
  const window = below * kappa;
  // the index among the used positions of each row of conv i's output channel 0, −1 where unused
  const usedPosition = new Int32Array(topPattern.rows).fill(-1);
  top.rows.slice(0, topPositions).forEach((row, index) => (usedPosition[row] = index));
  const padded = net.layers[i - 1]!.padding.some((pad) => pad > 0);
  // the patches of the images at map i−1 (rows (k, t), columns (channel, offset)) and σ_k, modulo p
  const P = new Float64Array(images * topPositions * window);
  const sigma: number[] = [];
  const weights = patterns.map((pattern, j) => ({ w: draw(pattern.parameters), b: draw(channels[j + 1]!) }));
  for (let k = 0; k < images; k++) {
    let z: Float64Array = draw(channels[0]! * product(net.input));
    const s = random.integer(1, p - 1);
    sigma.push(s);
    patterns.forEach((pattern, j) => {
      const out = new Float64Array(pattern.rows);
      const { w, b } = weights[j]!;
      const { row, col, param } = pattern;
      for (let x = 0; x < row.length; x++) out[row[x]!] = out[row[x]!]! + w[param[x]!]! * z[col[x]!]!;
      const positions = pattern.rows / channels[j + 1]!;
      for (let y = 0; y < pattern.rows; y++) out[y] = (out[y]! + ((b[Math.floor(y / positions)]! * s) % p)) % p;
      z = out;
    });
    for (let x = 0; x < topPattern.row.length; x++) {
      const t = usedPosition[topPattern.row[x]!]!;
      if (t < 0 || topPattern.param[x]! >= window || topPattern.row[x]! >= nOut) continue;
      P[(k * topPositions + t) * window + topPattern.param[x]!] = z[topPattern.col[x]!]!;
    }
  }
  // conv i's kernel w_i[o, a, e] and the matrix of (M, δ) ↦ values: column (a, b) is M = E_ab, (w_i M)[o, b, e] = w_i[o, a, e];
  // column c_{i-1}² + a is δ = e_a, conv i's own bias Σ_e w_i[o, a, e] on σ (unpadded only)
  const wi = draw(channels[i]! * window);
  const rows = channels[i]! * images * topPositions;
  const M = zeros(rows, columns);
  // V[(o, a), ((k, t), b)] = Σ_e w_i[o, a, e] P[(k, t), b·κ + e]: the kernel rows (o, a) against the patch rows ((k, t), b), one
  // product modulo p (the same residues as summing each entry and reducing it)
  const V = multiplyTransposedModulo(
    { rows: channels[i]! * below, cols: kappa, data: wi },
    { rows: images * topPositions * below, cols: kappa, data: P },
    p,
  );
  for (let o = 0; o < channels[i]!; o++) {
    for (let a = 0; a < below; a++) {
      let shift = 0;
      for (let e = 0; e < kappa; e++) shift += wi[o * window + a * kappa + e]!;
      const from = (o * below + a) * V.cols;
      for (let k = 0; k < images; k++)
        for (let t = 0; t < topPositions; t++) {
          const r = (o * images + k) * topPositions + t;
          const patch = (k * topPositions + t) * below;
          for (let b = 0; b < below; b++) M.data[r * columns + a * below + b] = V.data[from + patch + b]!;
          if (!padded) M.data[r * columns + below * below + a] = ((shift % p) * sigma[k]!) % p;
        }
    }
  }
  return rankModPrime(M, ownMixingField);
}
