/**
 * π°_l: the dimension of the span Π_l of the patches of s generic images at map l−1, as conv l reads them, at
 * generic kernels of conv 1..l−1 (docs/cnn.md#several-convolutions-the-patches-at-a-generic-point):
 *
 *   Π_l = span{patch_t(z_k)},  z_k = T_{l-1}(w_{l-1}) ⋯ T_1(w_1) b_k,  k ≤ s,  t a used output position of conv l,
 *   π°_l = rank of the patch matrix P_l[(k, t), (i, e)] = z_k[i, s⃗⊙t⃗ + e⃗ − pad⃗]  (0 where the window reads padding).
 *
 * Every entry of P_l is a sum of at most m = ∏_{j<l} c_{j-1} κ_j monomials (paths through the kernels), each the
 * product of one entry of each of w_1, …, w_{l-1} and one image entry: degree l, coefficient 1. Its generic rank
 * comes from genericRank (src/linalg/genericRank.ts) with that degree at seeded random integer points: never above
 * the generic rank, below it with probability ≤ 1e-9. π°_l ≤ π_l = min(c_{l-1} e_l, h_{l-1} e_l, s u_l, c_0 g_l)
 * (the count, src/cnn/functionalColumns.ts), which is the proven bound handed to genericRank (a draw reaching it
 * stops). It is below the count where the patches of map l−1 are one fixed map of a shorter window of a lower map
 * (`in=11 ch=2; conv k=2 c=1 s=2; conv k=3 c=4 s=2 pad=1; conv k=2 c=4 pad=1`: map 2's patches read five entries
 * of the one-channel map 1, π°_3 = 5 against h_2 e_3 = 6) or a thin layer below limits them.
 *
 * undefined (not computed: the count stands) for l = 1 (π_1 is src/cnn/patchRank.ts), when one forward pass has
 * more than `largestForward` multiplications or the patch matrix more than `largestSpan` entries, or when the
 * points cannot be drawn large enough (d u ≥ B / 2).
 */
import type { Convolutional } from '../architecture/convolutional.js';
import { genericRank, pointRange } from '../linalg/index.js';
import { zeros } from '../numeric/matrix.js';
import { convolutionalGeometry, usedLayer } from './geometry.js';
import { boundedMemo, layersKey } from './memo.js';
import { convolutionPattern, outputShape } from './toeplitz.js';

/** Largest forward pass (pattern entries × images) and patch matrix (rows × columns) computed. */
export const largestForward = 2_000_000;
export const largestSpan = 250_000;

/** The seed of the random kernels, images and primes: π°_l is a property of the architecture and s. */
const spanSeed = 0x5a7e;

const cached = boundedMemo<number | undefined>(1024);

const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1);

/** π°_l for conv `l` ≥ 2 (1-based) on `images` generic images, bounded by `count`; undefined when not computed. */
export function patchSpanRank(net: Convolutional, l: number, images: number, count: number): number | undefined {
  if (l < 2 || l > net.layers.length) return undefined;
  if (images <= 0 || count <= 0) return 0;
  return cached(`span ${l} ${images} ${count} ${layersKey(net)}`, () => compute(net, l, images, count));
}

function compute(net: Convolutional, l: number, images: number, count: number): number | undefined {
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
  const width = channels[l - 1]! * product(top.layer.kernel);
  const height = images * topPositions;
  const degree = l;
  const terms = product(layers.map((x, j) => channels[j]! * product(x.kernel)));
  const B = pointRange(terms, degree);
  if (degree * count >= B / 2) return undefined;
  const patterns = layers.map((x) => convolutionPattern(x.geometry, false));
  const kernelSizes = patterns.map((p) => p.parameters);
  const inputSize = channels[0]! * product(net.input);
  const parameters = kernelSizes.reduce((a, b) => a + b, 0) + images * inputSize;
  // conv l's window entries for output channel 0: (used position index, column i·κ + e, input index)
  const topPattern = convolutionPattern(top.layer, false);
  const nOut = product(outputShape(top.layer));
  const usedPosition = new Map(top.rows.slice(0, topPositions).map((row, index) => [row, index]));
  const reads: { t: number; column: number; input: number }[] = [];
  for (let x = 0; x < topPattern.row.length; x++) {
    const t = usedPosition.get(topPattern.row[x]!);
    if (t === undefined || topPattern.param[x]! >= width || topPattern.row[x]! >= nOut) continue;
    reads.push({ t, column: topPattern.param[x]!, input: topPattern.col[x]! });
  }
  const build = (v: number[]) => {
    let offset = 0;
    const kernels = kernelSizes.map((size) => {
      const w = v.slice(offset, offset + size);
      offset += size;
      return w;
    });
    const P = zeros(height, width);
    for (let k = 0; k < images; k++) {
      let z = v.slice(offset + k * inputSize, offset + (k + 1) * inputSize);
      patterns.forEach((pattern, j) => {
        const out = new Array<number>(pattern.rows).fill(0);
        const w = kernels[j]!;
        for (let x = 0; x < pattern.row.length; x++) out[pattern.row[x]!]! += w[pattern.param[x]!]! * z[pattern.col[x]!]!;
        z = out;
      });
      for (const { t, column, input } of reads) P.data[(k * topPositions + t) * width + column] = z[input]!;
    }
    return P;
  };
  return genericRank(parameters, terms, build, spanSeed, count, degree).rank;
}
