/**
 * Theorem checks for the outer-product Hessian of linear CNNs with bias and several convolutions
 * (docs/cnn.md#bias-several-convolutions-outer-product-hessian), against exact ranks over two prime
 * fields. With r̃ = min(N, r + 1), z̃ = min(r̃, min_l t_l + 1), a = min(K, c_{L-1} n_{L-1}), each of
 *
 *   2̃  q̃(r̃ + K − q̃) + K − q̃,  q̃ = min(K, r, min_l t_l)          (F = A X + β 1ᵀ, rank A ≤ q̃)
 *   4̃  K z̃ + Σ_{l<L-1} ỹ_l + min(ỹ_{L-1}, a(z̃′ − z̃)),  z̃′ = min(r̃, min_{l<L-1} t_l + 1),  ỹ_l = c_l max(0, ω_{l-1} e_l − c_l),
 *       ω_0 = c_0, ω_1 = min(c_1, c_0 e_1), ω_l = min(c_l, e_l min(c_{l-1}, ω_{l-1} + 1))
 *       (every direction along 1ᵀ — the biases, and a kernel acting on the bias of the map below — is absorbed by
 *       the dense bias; the channel mixing of conv l by layer l+1; ω_l is map l's channel space less its bias)
 *   5̃  no padding after conv 1, 2b ≤ c_0 g:  K z̃ + min(min(K, b n_{L-1})(r̃ − z̃), b (c_0 g − b)),  b = b_{L-1}, g = g_{L-1}
 *       (the stack is one affine convolution whose kernel factors through b channels; its bias goes into the dense bias)
 *
 * is an upper bound on rank H_O on its own. A failure prints the shrunk CNN (fast-check) and the ranks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutional, describeConvolutional, type Convolutional } from '../../src/architecture/convolutional.js';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { convolutionalGeometry } from '../../src/cnn/geometry.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { convolutionalScope } from '../../src/cnn/vocabulary.js';

/** Bias CNNs with 2–3 convolutions, N drawn on 1..2d+2 (both sides of the input dimension). */
const biasCNNs = fc
  .tuple(convolutionalArbitrary({ convolutions: [2, 3], bias: true, fullRankData: true }), fc.integer({ min: 0, max: 2 ** 20 - 1 }))
  .map(([net, k]): Convolutional => convolutional({ ...net, samples: 1 + Math.floor((k / 2 ** 20) * net.samples) }));

/** The three bounds, computed from the architecture by the definitions above. */
function bounds(net: Convolutional): { linear: number; symmetries: number; composed: number } {
  const G = convolutionalGeometry(net);
  const scope = convolutionalScope(net);
  const Lc = net.layers.length;
  const K = scope.K as number;
  const r = scope.r as number;
  const c = G.channels;
  const e = G.effectiveKernel;
  const t = G.toeplitzRank;
  const rt = Math.min(net.samples, r + 1);
  const zt = Math.min(rt, Math.min(...t) + 1);
  const ztp = Math.min(rt, Math.min(...t.slice(0, Lc - 1)) + 1);
  const a = Math.min(K, c[Lc]! * G.positions[Lc]!);
  const qt = Math.min(K, r, ...t);
  const linear = qt * (rt + K - qt) + K - qt;
  const omega = [c[0]!];
  for (let l = 1; l <= Lc; l++) omega.push(Math.min(c[l]!, e[l - 1]! * (l === 1 ? c[0]! : Math.min(c[l - 1]!, omega[l - 1]! + 1))));
  const yb = Array.from({ length: Lc }, (_, i) => c[i + 1]! * Math.max(0, omega[i]! * e[i]! - c[i + 1]!));
  expect(scope.yb, `${describeConvolutional(net)}: ỹ`).toEqual(yb);
  const symmetries = K * zt + yb.slice(0, -1).reduce((x, y) => x + y, 0) + Math.min(yb[Lc - 1]!, a * (ztp - zt));
  const g = G.composedKernel[Lc - 1]!;
  const b = (scope.b as number[])[Lc - 1]!;
  const modulo = Math.min(K, b * G.positions[Lc]!) * (rt - zt);
  const composed = Number.isFinite(g) ? K * zt + Math.min(modulo, 2 * b <= c[0]! * g ? b * (c[0]! * g - b) : modulo) : Infinity;
  return { linear, symmetries, composed };
}

describe('bias CNNs with several convolutions: the outer-product Hessian', () => {
  it('each of the bounds 2̃ (low-rank linear part), 4̃ (channel mixing and the directions along 1ᵀ absorbed) and 5̃ (one affine convolution) is ≥ the exact rank H_O', () => {
    fc.assert(
      fc.property(biasCNNs, (net) => {
        const { HO } = measureConvolutional(net, { exact: true, seed: 3 }).ranks;
        const b = bounds(net);
        const where = `${describeConvolutional(net)}, N = ${net.samples}: rank H_O = ${HO}, bounds ${JSON.stringify(b)}`;
        expect(HO, where).toBeLessThanOrEqual(b.linear);
        expect(HO, where).toBeLessThanOrEqual(b.symmetries);
        expect(HO, where).toBeLessThanOrEqual(b.composed);
      }),
      { numRuns: 60, seed: 13 },
    );
  });

  it('one-channel stacks: in=8; conv k=3 c=1; conv k=3 c=1; K=4, N = 20 has rank H_O = 24 = bound 4̃ (K z̃ + ỹ_1 + min(ỹ_2, a(z̃′ − z̃)) = 20 + 2 + 2), where K z̃ + a(r̃ − z̃) gives 36', () => {
    const net = convolutional({ input: [8], inputChannels: 1, layers: [{ kernel: 3, channels: 1 }, { kernel: 3, channels: 1 }], outputs: 4, samples: 20, bias: true });
    const { HO } = measureConvolutional(net, { exact: true, seed: 3 }).ranks;
    expect(bounds(net).symmetries).toBe(24);
    expect(HO).toBe(24);
  });
});
