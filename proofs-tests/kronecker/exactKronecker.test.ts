/**
 * Theorem ([SBH21]): for a linear network with MSE loss the outer-product Hessian's layer block is a
 * Kronecker product,
 *   (H_O)_l = (A_lᵀA_l) ⊗ (Z_{l-1}Z_{l-1}ᵀ),   rank (H_O)_l = rank(A_lᵀA_l) · rank(Z_{l-1}Z_{l-1}ᵀ),
 * and for generic instances the three ranks are the catalog's HO_block_output_factor,
 * HO_block_input_factor and HO_block (formulas/kronecker.json, deep-linear.json). Checked with no
 * tolerance: on integer instances in Z/PZ for primes drawn with a seed (random architectures, with and
 * without bias), and against the general float64 oracle on instances with small integer entries, where
 * every float64 operation is exact. Every exact rank the report gives states P(rank understated) ≤ 1e-9
 * (or 0 at its proven upper bound), and equals the rank over Q found by BigInt elimination.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { depth, fullyConnected, type FullyConnected } from '../../src/architecture/fullyConnected.js';
import { evaluateFormula, selectFormula } from '../../src/catalog/predict.js';
import { architectureScope } from '../../src/catalog/vocabulary.js';
import { exactKroneckerStructure } from '../../src/kronecker/exactKronecker.js';
import { kroneckerProduct } from '../../src/kronecker/kroneckerProduct.js';
import { layerShapes, outerProductBlock } from '../../src/kronecker/layerBlock.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import type { NetworkInstance } from '../../src/numeric/networkInstance.js';
import { sampleInstance } from '../../src/numeric/networkInstance.js';
import { NetworkHessian } from '../numeric/referenceNetworkHessian.js';
import { RandomStream } from '../../src/numeric/random.js';
import { fullyConnectedArbitrary } from '../../src/verify/arbitraries.js';
import { rankOverQ } from '../linalg/reference/rationalRank.js';

function catalogValue(net: FullyConnected, quantity: string, l: number): number {
  const scope = { ...architectureScope(net), l };
  const chosen = selectFormula(quantity, net, scope);
  if (!chosen) throw new Error(`no ${quantity} formula for ${JSON.stringify(net)}`);
  expect(chosen.kind).toBe('exact');
  return evaluateFormula(chosen.formula, scope);
}

describe('linear mse: (H_O)_l = (A_lᵀA_l) ⊗ (Z_{l-1}Z_{l-1}ᵀ) exactly in Z/PZ, rank = product = catalog', () => {
  for (const bias of [false, true]) {
    it(bias ? 'with bias' : 'without bias', () => {
      fc.assert(
        fc.property(fullyConnectedArbitrary({ depth: [1, 4], width: [1, 7], bias }), fc.integer({ min: 0, max: 1000 }), (net, seed) => {
          const structure = exactKroneckerStructure(sampleInstance(net, { seed, integer: true }));
          for (const layer of structure) {
            const l = layer.shape.layer;
            expect(layer.blockIsKronecker, `layer ${l}: block ≠ A⊗B`).toBe(true);
            expect(layer.blockRank.rank, `layer ${l}: rank ≠ product`).toBe(layer.outputFactorRank.rank * layer.inputFactorRank.rank);
            expect(layer.outputFactorRank.rank, `layer ${l}: output factor`).toBe(catalogValue(net, 'HO_block_output_factor', l));
            expect(layer.inputFactorRank.rank, `layer ${l}: input factor`).toBe(catalogValue(net, 'HO_block_input_factor', l));
            expect(layer.blockRank.rank, `layer ${l}: block`).toBe(catalogValue(net, 'HO_block', l));
          }
        }),
        { numRuns: 30, seed: 2026 },
      );
    });
  }
});

/** An instance with entries in [−3, 3]: every product and sum below stays far under 2^53. */
function smallIntegerInstance(net: FullyConnected, seed: number): NetworkInstance {
  const stream = new RandomStream(seed);
  const draw = (rows: number, cols: number) => ({ rows, cols, data: stream.integerArray(rows * cols, 3) });
  const layers = Array.from({ length: depth(net) }, (_, i) => draw(net.widths[i + 1]!, net.widths[i]! + (net.bias ? 1 : 0)));
  const K = net.widths[net.widths.length - 1]!;
  return { net, layers, inputs: draw(net.widths[0]!, net.samples), targets: draw(K, net.samples), integer: true, seed };
}

describe('the general oracle (no Kronecker structure assumed) gives exactly F_lᵀF_l = (A_lᵀA_l) ⊗ (Z_{l-1}Z_{l-1}ᵀ)', () => {
  const nets = [
    fullyConnected({ widths: [3, 4, 2], samples: 5 }),
    fullyConnected({ widths: [4, 3, 2, 3], samples: 6, bias: true }),
    fullyConnected({ widths: [2, 3, 3, 2, 2], samples: 3 }),
  ];
  for (const net of nets) {
    it(JSON.stringify(net.widths) + (net.bias ? ' bias' : ''), () => {
      const instance = smallIntegerInstance(net, 17);
      const F = new NetworkHessian(instance).jacobian();
      const linear = new LinearNetworkHessian(instance);
      for (const shape of layerShapes(net)) {
        const block = outerProductBlock(F, shape);
        const product = kroneckerProduct(linear.outputFactor(shape.layer, shape.layer), linear.inputFactor(shape.layer, shape.layer));
        // + 0 identifies −0 with 0: the comparison is of integers
        expect(Array.from(block.data, (v) => v + 0), `layer ${shape.layer}`).toEqual(Array.from(product.data, (v) => v + 0));
      }
    });
  }
});

describe('the exact section states its chance of a wrong rank, and its ranks are the ranks over Q', () => {
  it('P(rank understated) ≤ 1e-9 or 0 at the proven bound; comparison bound ≤ 1e-9; ranks = BigInt ranks of the float64 (exact) matrices', () => {
    fc.assert(
      fc.property(fullyConnectedArbitrary({ depth: [1, 4], width: [1, 6], bias: 'any' }), fc.nat(1000), (net, seed) => {
        const instance = smallIntegerInstance(net, seed);
        const structure = exactKroneckerStructure(instance);
        const linear = new LinearNetworkHessian(instance);
        const F = linear.jacobian();
        for (const layer of structure) {
          const l = layer.shape.layer;
          const reference = {
            output: rankOverQ(linear.outputFactor(l, l)),
            input: rankOverQ(linear.inputFactor(l, l)),
            block: rankOverQ(outerProductBlock(F, layer.shape)),
          };
          const exact = { output: layer.outputFactorRank, input: layer.inputFactorRank, block: layer.blockRank };
          for (const m of ['output', 'input', 'block'] as const) {
            const e = exact[m];
            expect(e.rank, `layer ${l} ${m}`).toBe(reference[m]);
            expect(reference[m], `layer ${l} ${m}: the proven bound`).toBeLessThanOrEqual(e.upperBound!);
            if (e.wrongAtMost === 0) expect(e.rank).toBe(e.upperBound);
            else expect(e.wrongAtMost).toBeLessThanOrEqual(1e-9);
          }
          expect(layer.comparisonWrongAtMost).toBeLessThanOrEqual(1e-9);
        }
      }),
      { numRuns: 40, seed: 4242 },
    );
  });
});
