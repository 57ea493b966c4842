/**
 * Combinatorial geometry of a CNN: which positions, kernel offsets and channels can matter.
 * Everything is per spatial dimension (convolutions are separable in their index arithmetic), so it
 * costs O(L · size · kernel) whatever the channels: cheap for any architecture `predict` is asked about.
 *
 *   u_l  used positions of feature map l: those some output depends on. The last feature map is
 *        fully used (the dense layer reads all of it); map l−1's used positions are those read, at a
 *        real (not padded) coordinate, by a window of conv l centred on a used position of map l.
 *        u_0 < n_0 when a stride larger than the kernel skips input positions.
 *   e_l  effective kernel elements of conv l: offsets that read a used, real position for some used
 *        output position (padding can leave offsets that only ever see zeros).
 *   t_l  rank T_l restricted to used rows and columns at a generic kernel (src/cnn/toeplitzRank.ts),
 *        at most min(c_{l-1} u_{l-1}, c_l u_l, Σ_{used windows w} min(c_l, c_{l-1}·(real inputs of w))).
 *   h_l  effective channels: the channel vector at any position of map l lies in a space of
 *        dimension h_l = min(c_l, h_{l-1} e_l), h_0 = c_0.
 *   g_j  effective elements of the composed kernel of conv 1..j (a stack without padding after the
 *        first layer is one convolution: kernel k_1 + Σ_{l≥2} (k_l − 1)·s_1⋯s_{l-1}, stride s_1⋯s_j);
 *        Infinity when a layer 2..j pads (the composition is then no single convolution).
 *   Q_l  dim 𝒬_pos of conv l: position maps of its used input that its Toeplitz pattern absorbs
 *        (1 when windows slide over each other; src/cnn/inputSymmetry.ts).
 *   A_l  dim w·𝒬: the kernels v with T_l(w) Q = T_l(v), Q ∈ R^{c_{l-1}×c_{l-1}} ⊗ 𝒬_pos, at generic w.
 */
import { positions, type Convolutional } from '../architecture/convolutional.js';
import { absorbedKernelDimension, positionSymmetries, type PositionSymmetries } from './inputSymmetry.js';
import { toeplitzRank as toeplitzLayerRank } from './toeplitzRank.js';
import { boundedMemo, layersKey } from './memo.js';
import type { ConvolutionGeometry } from './toeplitz.js';

export interface ConvolutionalGeometry {
  /** spatial dimensions (1 or 2) */
  dims: number;
  /** c_0, c_1, …, c_{L-1} */
  channels: number[];
  /** n_0, …, n_{L-1} */
  positions: number[];
  /** u_0, …, u_{L-1} */
  used: number[];
  /** κ_l, l = 1..L-1 (index l − 1) */
  kernel: number[];
  /** e_l, l = 1..L-1 (index l − 1) */
  effectiveKernel: number[];
  /** t_l, l = 1..L-1 (index l − 1) */
  toeplitzRank: number[];
  /** h_0, …, h_{L-1} */
  effectiveChannels: number[];
  /** g_j, j = 1..L-1 (index j − 1) */
  composedKernel: number[];
  /** dim 𝒬_pos of conv l (src/cnn/inputSymmetry.ts), l = 1..L-1 (index l − 1) */
  positionSymmetry: number[];
  /** dim w·𝒬 of conv l: kernels its input-side symmetries reach (src/cnn/inputSymmetry.ts) */
  absorbedKernel: number[];
  /** input shifts per channel that conv l maps to a bias (src/cnn/inputSymmetry.ts) */
  shifts: number[];
}

const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1);

interface DimensionLayer {
  size: number;
  kernel: number;
  stride: number;
  padding: number;
  outSize: number;
}

/** Used coordinates of every feature map along one dimension (index 0 = input). */
function usedCoordinates(layers: DimensionLayer[]): Set<number>[] {
  const used: Set<number>[] = new Array(layers.length + 1);
  used[layers.length] = new Set(Array.from({ length: layers[layers.length - 1]!.outSize }, (_, i) => i));
  for (let l = layers.length - 1; l >= 0; l--) {
    const { size, kernel, stride, padding } = layers[l]!;
    const set = new Set<number>();
    for (const t of used[l + 1]!) {
      for (let e = 0; e < kernel; e++) {
        const u = stride * t + e - padding;
        if (u >= 0 && u < size) set.add(u);
      }
    }
    used[l] = set;
  }
  return used;
}

function perDimension(net: Convolutional): { layers: DimensionLayer[]; used: Set<number>[] }[] {
  return Array.from({ length: net.input.length }, (_, j) => {
    let size = net.input[j]!;
    const layers: DimensionLayer[] = net.layers.map((layer) => {
      const outSize = Math.floor((size + 2 * layer.padding[j]! - layer.kernel[j]!) / layer.stride[j]!) + 1;
      const d = { size, kernel: layer.kernel[j]!, stride: layer.stride[j]!, padding: layer.padding[j]!, outSize };
      size = outSize;
      return d;
    });
    return { layers, used: usedCoordinates(layers) };
  });
}

/** Indices (channel-major, positions row-major) of the input coordinates some output depends on. */
export function usedInputIndices(net: Convolutional): number[] {
  const perDim = perDimension(net);
  let flat = [0];
  perDim.forEach(({ used }, j) => {
    const sorted = [...used[0]!].sort((a, b) => a - b);
    flat = flat.flatMap((prefix) => sorted.map((x) => prefix * net.input[j]! + x));
  });
  const n0 = net.input.reduce((a, b) => a * b, 1);
  return Array.from({ length: net.inputChannels }, (_, i) => flat.map((x) => i * n0 + x)).flat();
}

/**
 * Conv `l` (1-based) as a layer (channels, input shape, kernel, stride, padding), its output shape, and
 * the flat indices of its used input coordinates and used output coordinates (channel-major, positions
 * row-major), the rows and columns of T_l the CNN bounds read.
 */
export function usedLayer(net: Convolutional, l: number): UsedLayer {
  // once per architecture and layer: every generic rank of the CNN lists the used rows and columns of its layers (never modified)
  return usedLayers(`${l} ${layersKey(net)}`, () => computeUsedLayer(net, l));
}

/**
 * The key of a quantity that reads only the stack up to conv l: the input shape, c_0, conv 1..l and the positions of map l
 * the layers above use. The CNNs one bound derives from an architecture (the merged CNN, the CNN above conv 1) change some
 * layers and keep those below, so they share these quantities (src/cnn/patchSpan.ts: π°_l, π̃°_l, μ̃_l).
 */
export function stackKey(net: Convolutional, l: number): string {
  const { rows, layer } = usedLayer(net, l);
  return JSON.stringify([net.input, net.inputChannels, net.layers.slice(0, l), rows.slice(0, rows.length / layer.outputChannels)]);
}

interface UsedLayer {
  layer: ConvolutionGeometry;
  outShape: number[];
  rows: number[];
  cols: number[];
}

const usedLayers = boundedMemo<UsedLayer>(256);

function computeUsedLayer(net: Convolutional, l: number): UsedLayer {
  const perDim = perDimension(net);
  const channels = [net.inputChannels, ...net.layers.map((x) => x.channels)];
  const flat = (which: number, shape: number[]): number[] => {
    let indices = [0];
    perDim.forEach((p, j) => {
      const sorted = [...p.used[which]!].sort((a, b) => a - b);
      indices = indices.flatMap((prefix) => sorted.map((x) => prefix * shape[j]! + x));
    });
    return indices;
  };
  const input = perDim.map((p) => p.layers[l - 1]!.size);
  const outShape = perDim.map((p) => p.layers[l - 1]!.outSize);
  const layer: ConvolutionGeometry = {
    inputChannels: channels[l - 1]!,
    outputChannels: channels[l]!,
    input,
    kernel: perDim.map((p) => p.layers[l - 1]!.kernel),
    stride: perDim.map((p) => p.layers[l - 1]!.stride),
    padding: perDim.map((p) => p.layers[l - 1]!.padding),
  };
  const nIn = product(input);
  const nOut = product(outShape);
  const inPositions = flat(l - 1, input);
  const outPositions = flat(l, outShape);
  return {
    layer,
    outShape,
    cols: Array.from({ length: channels[l - 1]! }, (_, i) => inPositions.map((x) => i * nIn + x)).flat(),
    rows: Array.from({ length: channels[l]! }, (_, o) => outPositions.map((x) => o * nOut + x)).flat(),
  };
}

const geometries = boundedMemo<ConvolutionalGeometry>(512);
const layerSymmetries = boundedMemo<PositionSymmetries>(256);
const absorbedKernels = boundedMemo<number>(256);

/** The geometry of an architecture, computed once per input shape and layers (src/cnn/memo.ts; derive reads it for the symbolic network and for predict). */
export function convolutionalGeometry(net: Convolutional): ConvolutionalGeometry {
  return geometries(layersKey(net), () => computeGeometry(net));
}

function computeGeometry(net: Convolutional): ConvolutionalGeometry {
  const dims = net.input.length;
  const channels = [net.inputChannels, ...net.layers.map((l) => l.channels)];
  const n = positions(net);
  const perDim = perDimension(net);
  const Lc = net.layers.length;
  const used = Array.from({ length: Lc + 1 }, (_, l) => product(perDim.map((p) => p.used[l]!.size)));
  const effectiveKernel: number[] = [];
  const toeplitzRank: number[] = [];
  for (let l = 0; l < Lc; l++) {
    // per dimension: effective offsets, and the number of real inputs of every used window
    const offsets = perDim.map(({ layers, used: u }) => {
      const { size, kernel, stride, padding } = layers[l]!;
      const seen = new Set<number>();
      const realCounts: number[] = [];
      for (const t of u[l + 1]!) {
        let real = 0;
        for (let e = 0; e < kernel; e++) {
          const x = stride * t + e - padding;
          if (x >= 0 && x < size) {
            seen.add(e);
            real++;
          }
        }
        realCounts.push(real);
      }
      return { effective: seen.size, realCounts };
    });
    effectiveKernel.push(product(offsets.map((o) => o.effective)));
    // Σ over used windows (a product grid of per-dimension windows) of min(c_l, c_{l-1}·real), summed
    // over the grid of distinct per-dimension counts with their multiplicities (a few, not n_h·n_w windows)
    const histogram = (counts: number[]): Map<number, number> => {
      const h = new Map<number, number>();
      for (const r of counts) h.set(r, (h.get(r) ?? 0) + 1);
      return h;
    };
    let windows = new Map([[1, 1]]);
    for (const o of offsets) {
      const next = new Map<number, number>();
      for (const [w, times] of windows) for (const [r, rTimes] of histogram(o.realCounts)) next.set(w * r, (next.get(w * r) ?? 0) + times * rTimes);
      windows = next;
    }
    let blockSum = 0;
    for (const [real, times] of windows) blockSum += times * Math.min(channels[l + 1]!, channels[l]! * real);
    const count = Math.min(channels[l]! * used[l]!, channels[l + 1]! * used[l + 1]!, blockSum);
    toeplitzRank.push(
      toeplitzLayerRank(
        {
          inputChannels: channels[l]!,
          outputChannels: channels[l + 1]!,
          input: perDim.map((p) => p.layers[l]!.size),
          kernel: perDim.map((p) => p.layers[l]!.kernel),
          stride: perDim.map((p) => p.layers[l]!.stride),
          padding: perDim.map((p) => p.layers[l]!.padding),
        },
        perDim.map((p) => p.layers[l]!.outSize),
        perDim.map((p) => [...p.used[l]!].sort((a, b) => a - b)),
        perDim.map((p) => [...p.used[l + 1]!].sort((a, b) => a - b)),
        count,
      ),
    );
  }
  const effectiveChannels = [channels[0]!];
  for (let l = 1; l <= Lc; l++) effectiveChannels.push(Math.min(channels[l]!, effectiveChannels[l - 1]! * effectiveKernel[l - 1]!));
  const composedKernel: number[] = [];
  for (let j = 1; j <= Lc; j++) {
    const padded = net.layers.slice(1, j).some((layer) => layer.padding.some((p) => p > 0));
    if (padded) {
      composedKernel.push(Infinity);
      continue;
    }
    const counts = perDim.map(({ layers, used: u }) => {
      // reachable composed offsets e_1 + s_1 e_2 + s_1 s_2 e_3 + …
      let reach = new Set([0]);
      let stride = 1;
      for (let l = 0; l < j; l++) {
        const next = new Set<number>();
        for (const r of reach) for (let e = 0; e < layers[l]!.kernel; e++) next.add(r + stride * e);
        reach = next;
        stride *= layers[l]!.stride;
      }
      const { size, padding } = layers[0]!;
      const effective = new Set<number>();
      for (const t of u[j]!) for (const e of reach) if (stride * t + e - padding >= 0 && stride * t + e - padding < size) effective.add(e);
      return effective.size;
    });
    composedKernel.push(product(counts));
  }
  // once per layer, input size and used outputs (the CNNs derived from one architecture share most layers)
  const symmetries = net.layers.map((layer, l) => {
    const sizes = perDim.map((p) => p.layers[l]!.size);
    const usedOutputs = perDim.map((p) => [...p.used[l + 1]!].sort((a, b) => a - b));
    return layerSymmetries(JSON.stringify([layer, sizes, usedOutputs]), () => positionSymmetries(net, l, sizes, usedOutputs));
  });
  const absorbed = symmetries.map((q, l) =>
    absorbedKernels(JSON.stringify([net.layers[l], perDim.map((p) => p.layers[l]!.size), perDim.map((p) => [...p.used[l + 1]!].sort((a, b) => a - b)), channels[l]]), () =>
      absorbedKernelDimension(q, channels[l]!, channels[l + 1]!),
    ),
  );
  return {
    dims,
    channels,
    positions: n,
    used,
    kernel: net.layers.map((layer) => product(layer.kernel)),
    effectiveKernel,
    toeplitzRank,
    effectiveChannels,
    composedKernel,
    positionSymmetry: symmetries.map((q) => q.basis.length),
    absorbedKernel: absorbed,
    shifts: symmetries.map((q) => q.shifts),
  };
}
