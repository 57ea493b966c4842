/**
 * The activation pattern of a ReLU network on an integer instance, computed exactly:
 *   z_l = W̃_l ã_{l-1} (integers, BigInt), mask_l = [z_l > 0],  ã_l = [mask_l ⊙ z_l; 1 if bias]
 * With the masks fixed, f(x_i) = W̃_L D_{L-1,i} W̃_{L-1} ⋯ D_{1,i} W̃_1 x̃_i is multilinear in the
 * weights, relu'' = 0 away from the kink, and every entry of H, H_O and H_F (mse) is an integer:
 * a sum of products of weights, data and targets. The Hessian exists where no pre-activation sits
 * on the kink. A z_l[r] = 0 whose inputs (the entries of ã_{l-1} that unit r is connected to) are
 * all 0 is not a kink: z_l[r] then stays 0 under every small change of θ (those inputs are dead
 * units, or zero data), and the Hessian does not depend on its mask. Any other z_l[r] = 0 is a kink:
 * the instance is redrawn, deterministically from the seed (integerReluInstance).
 */
import { depth } from '../architecture/fullyConnected.js';
import { InputError } from '../errors.js';
import type { Matrix } from './matrix.js';
import type { NetworkInstance } from './networkInstance.js';

/** mask[i][l] (l = 1..L−1, index l): 1 where z_l > 0 at sample i, else 0. */
export type ActivationPattern = Float64Array[][];

export interface Kink {
  sample: number;
  layer: number;
  unit: number;
}

/**
 * The exact masks of an integer ReLU instance, or its first kink. `connected[l − 1]` (optional, 0/1,
 * the shape of W̃_l) says which inputs each unit reads (default: all, a dense layer).
 */
export function activationPattern(instance: NetworkInstance, connected?: readonly Matrix[]): { pattern: ActivationPattern } | { kink: Kink } {
  const net = instance.net;
  const L = depth(net);
  const X = instance.inputs;
  const big = instance.layers.map((layer) => Array.from(layer.data, integer));
  const pattern: ActivationPattern = [];
  for (let i = 0; i < net.samples; i++) {
    let a: bigint[] = [];
    for (let j = 0; j < X.rows; j++) a.push(integer(X.data[j * X.cols + i]!));
    if (net.bias) a.push(1n);
    const masks: Float64Array[] = [new Float64Array(0)];
    for (let l = 1; l < L; l++) {
      const layer = instance.layers[l - 1]!;
      const w = big[l - 1]!;
      const reads = connected?.[l - 1];
      const mask = new Float64Array(layer.rows);
      const next: bigint[] = [];
      for (let r = 0; r < layer.rows; r++) {
        let z = 0n;
        let live = false;
        for (let c = 0; c < layer.cols; c++) {
          z += w[r * layer.cols + c]! * a[c]!;
          if (a[c] !== 0n && (!reads || reads.data[r * layer.cols + c] !== 0)) live = true;
        }
        if (z === 0n && live) return { kink: { sample: i, layer: l, unit: r } };
        mask[r] = z > 0n ? 1 : 0;
        next.push(z > 0n ? z : 0n);
      }
      if (net.bias) next.push(1n);
      masks.push(mask);
      a = next;
    }
    pattern.push(masks);
  }
  return { pattern };
}

function integer(v: number): bigint {
  if (!Number.isInteger(v)) throw new InputError(`exact ReLU ranks need an integer instance (weights and data), got ${v}`);
  return BigInt(v);
}

/** Integer instances tried before giving up on an exact ReLU rank. */
export const maximumRedraws = 20;

/** The seed of the k-th redraw of `seed` (k ≥ 1): a fixed 32-bit mix, so a seed always gives the same instance. */
function redrawSeed(seed: number, k: number): number {
  let h = (seed ^ Math.imul(k, 0x9e3779b9)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * The first integer instance, among `draw(seed)`, `draw(redrawSeed(seed, 1))`, …, whose pre-activations
 * avoid the kink, with its pattern; `redraws` says how many were skipped. InputError after maximumRedraws.
 */
export function integerReluInstance<I>(
  seed: number,
  draw: (seed: number) => I,
  patternOf: (instance: I) => { pattern: ActivationPattern } | { kink: Kink },
  description: string,
): { instance: I; pattern: ActivationPattern; redraws: number } {
  let last: Kink | undefined;
  for (let k = 0; k <= maximumRedraws; k++) {
    const instance = draw(k === 0 ? seed : redrawSeed(seed, k));
    const found = patternOf(instance);
    if ('pattern' in found) return { instance, pattern: found.pattern, redraws: k };
    last = found.kink;
  }
  throw new InputError(
    `no exact ReLU rank for ${description}: seed ${seed} and its ${maximumRedraws} redraws all put a pre-activation exactly on the kink ` +
      `(last: sample ${last!.sample + 1}, layer ${last!.layer}, unit ${last!.unit + 1}); try another --seed`,
  );
}
