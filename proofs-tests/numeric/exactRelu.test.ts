/**
 * Exact ranks of ReLU networks (mse), fully connected and CNN, with and without bias:
 *   over Z/PZ the shared-weight builder (dense patterns for fully-connected networks) is the linear
 *   builder on linear networks, entry by entry; on small integer ReLU instances (every float64
 *   operation exact) its J and H_F are those of the independent dense float64 builder
 *   (proofs-tests/numeric/referenceNetworkHessian.ts) for fully-connected networks, and of its own
 *   float64 run for CNNs, reduced modulo P, entry by entry;
 *   the exact rank of an integer instance is the float64 rank of the Hessian of that same instance
 *   wherever float64 decides it (docs/theory.md#when-float64-decides-a-rank);
 *   a kink (a pre-activation exactly 0 with a live input) makes the instance be redrawn
 *   deterministically, and a clear error after maximumRedraws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolutionalArbitrary } from '../../src/cnn/arbitraries.js';
import { sampleConvolutionalInstance, type ConvolutionalInstance } from '../../src/cnn/convolutionalInstance.js';
import { convolutionalHessianParts, measureConvolutionalInstance } from '../../src/cnn/measure.js';
import { SharedWeightHessian } from '../../src/numeric/sharedWeightHessian.js';
import { convolutionalActivationPattern } from '../../src/cnn/convolutionalActivationPattern.js';
import { InputError } from '../../src/errors.js';
import { activationPattern, integerReluInstance, maximumRedraws } from '../../src/numeric/activationPattern.js';
import { exactFields } from '../../src/linalg/index.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import type { Matrix } from '../../src/numeric/matrix.js';
import { exactReluRanks, floatPartRanks, quantities } from '../../src/numeric/measure.js';
import { denseSharedWeightNetwork, sampleInstance, type NetworkInstance } from '../../src/numeric/networkInstance.js';
import { NetworkHessian as ReferenceNetworkHessian } from './referenceNetworkHessian.js';
import type { PrimeField } from '../../src/numeric/ring.js';
import { fullyConnectedArbitrary } from '../../src/verify/arbitraries.js';

const field = exactFields[0]!;

function expectEqualModP(name: string, exact: Matrix, float: Matrix, F: PrimeField): void {
  expect(exact.rows).toBe(float.rows);
  expect(exact.cols).toBe(float.cols);
  for (let k = 0; k < exact.data.length; k++) {
    if (exact.data[k] !== F.fromInteger(float.data[k]!)) throw new Error(`${name}[${Math.floor(k / exact.cols)}, ${k % exact.cols}]: ${exact.data[k]} ≠ ${float.data[k]} mod ${F.prime}`);
  }
}

/** Entries in [−3, 3]: shallow small networks then compute exactly in float64. */
function smallIntegers<T extends { integer: boolean }>(instance: T, keys: (keyof T)[]): T {
  const shrink = (v: number) => (((v % 7) + 7) % 7) - 3;
  const out = { ...instance };
  for (const key of keys) {
    const value = instance[key] as unknown;
    if (value instanceof Float64Array) (out[key] as unknown) = value.map(shrink);
    else if (Array.isArray(value)) (out[key] as unknown) = value.map((m: Matrix) => ({ ...m, data: m.data.map(shrink) }));
    else (out[key] as unknown) = { ...(value as Matrix), data: (value as Matrix).data.map(shrink) };
  }
  return out;
}

// The four properties that count compared instances run at a fixed seed: how many random instances land
// on a kink varies with the draw, and an unseeded run once compared 7 CNNs, one short of the floor.
describe('the forward-over-reverse builder over Z/PZ', () => {
  it('equals the linear builder on integer linear mse networks (J and H_F, every entry)', () => {
    fc.assert(
      fc.property(fullyConnectedArbitrary({ depth: [1, 4], width: [1, 5], bias: 'any' }), fc.nat(), (net, seed) => {
        const instance = sampleInstance(net, { seed, integer: true });
        const ours = new SharedWeightHessian(denseSharedWeightNetwork(instance), 'linear', 'mse', { field, pattern: [] });
        const linear = new LinearNetworkHessian(instance, field).parts();
        expectEqualModP('J', ours.jacobian(), linear.jacobian, { ...field, fromInteger: (v) => v });
        expectEqualModP('H_F', ours.functional(), linear.functional, { ...field, fromInteger: (v) => v });
      }),
      { numRuns: 25 },
    );
  });

  it('is the float64 builder reduced mod P on small integer relu instances (fully connected)', () => {
    let compared = 0;
    fc.assert(
      fc.property(fullyConnectedArbitrary({ depth: [1, 3], width: [1, 4], bias: 'any', activation: 'relu' }), fc.nat(), (net, seed) => {
        const instance = smallIntegers(sampleInstance(net, { seed, integer: true }), ['layers', 'inputs', 'targets'] as (keyof NetworkInstance)[]);
        const found = activationPattern(instance);
        if ('kink' in found) return;
        compared++;
        const exact = new SharedWeightHessian(denseSharedWeightNetwork(instance), 'relu', 'mse', { field, pattern: found.pattern });
        const float = new ReferenceNetworkHessian(instance); // the independent dense float64 builder
        expectEqualModP('J', exact.jacobian(), float.jacobian(), field);
        expectEqualModP('H_F', exact.functional(), float.functional(), field);
      }),
      { seed: 2026, numRuns: 40 },
    );
    expect(compared).toBeGreaterThan(10);
  });

  it('is the float64 builder reduced mod P on small integer relu CNNs (the shared-weight builder)', () => {
    let compared = 0;
    fc.assert(
      fc.property(convolutionalArbitrary({ convolutions: [1, 2], channels: [1, 2], outputs: [1, 2], dims: [1], bias: 'any', activation: 'relu' }), fc.nat(), (net, seed) => {
        const instance = smallIntegers(sampleConvolutionalInstance(net, { seed, integer: true }), ['theta', 'inputs', 'targets'] as (keyof ConvolutionalInstance)[]);
        const found = convolutionalActivationPattern(instance);
        if ('kink' in found) return;
        compared++;
        const exact = new SharedWeightHessian(instance, 'relu', 'mse', { field, pattern: found.pattern });
        const float = new SharedWeightHessian(instance, 'relu', 'mse');
        expectEqualModP('J', exact.jacobian(), float.jacobian(), field);
        expectEqualModP('H_F', exact.functional(), float.functional(), field);
      }),
      { seed: 2026, numRuns: 30 },
    );
    expect(compared).toBeGreaterThan(8);
  });
});

// Small entries (|entry| ≤ 3): with entries up to 2^20 the Hessian is graded (bias rows of order 1 next to
// weight rows of order 2^40), and float64 misses true eigenvalues below τ behind a wide gap, e.g. 1-2-1,
// bias, relu, N = 1, seed 0: exact rank(H) 3, float64 2 with a gap of 17 decades (docs/theory.md).
describe('an exact ReLU rank is the float64 rank of the same integer instance, wherever float64 decides it', () => {
  it('fully connected (mse, with and without bias)', () => {
    let compared = 0;
    fc.assert(
      fc.property(fullyConnectedArbitrary({ depth: [1, 4], width: [1, 6], bias: 'any', activation: 'relu' }), fc.nat(), (net, seed) => {
        const instance = smallIntegers(sampleInstance(net, { seed, integer: true }), ['layers', 'inputs', 'targets'] as (keyof NetworkInstance)[]);
        const found = activationPattern(instance);
        if ('kink' in found) return;
        compared++;
        const exact = exactReluRanks(instance, found.pattern, quantities);
        const float = floatPartRanks(new ReferenceNetworkHessian(instance).parts(), quantities, instance.inputs);
        for (const q of quantities) if (float.ranks[q] !== null) expect(`${q} ${float.ranks[q]}`).toBe(`${q} ${exact.ranks[q]}`);
      }),
      { seed: 2026, numRuns: 40 },
    );
    expect(compared).toBeGreaterThan(10);
  });

  it('CNN (mse, with and without bias)', () => {
    let compared = 0;
    fc.assert(
      fc.property(convolutionalArbitrary({ convolutions: [1, 2], channels: [1, 3], bias: 'any', activation: 'relu' }), fc.nat(), (net, seed) => {
        const instance = smallIntegers(sampleConvolutionalInstance(net, { seed, integer: true }), ['theta', 'inputs', 'targets'] as (keyof ConvolutionalInstance)[]);
        const found = convolutionalActivationPattern(instance);
        if ('kink' in found) return;
        compared++;
        const exact = measureConvolutionalInstance(instance, true, quantities, found.pattern);
        const float = measureConvolutionalInstance(instance, false, quantities);
        expect(convolutionalHessianParts(instance).parameters).toBe(instance.parameters);
        for (const q of quantities) if (float.ranks[q] !== null) expect(`${q} ${float.ranks[q]}`).toBe(`${q} ${exact.ranks[q]}`);
      }),
      { seed: 2026, numRuns: 80 },
    );
    // a draw with a pre-activation exactly 0 (a kink) is skipped: with N up to 2d + 2 most are (18 of 80 compared at this seed)
    console.log(`CNN: ${compared} of 80 draws compared`);
    expect(compared).toBeGreaterThan(8);
  });
});

describe('instances on the kink', () => {
  const kink = { kink: { sample: 0, layer: 1, unit: 0 } };
  it('are redrawn deterministically from the seed', () => {
    const seen: number[] = [];
    const drawn = integerReluInstance(5, (s) => (seen.push(s), s), () => (seen.length < 3 ? kink : { pattern: [] }), 'a network');
    expect(drawn.redraws).toBe(2);
    expect(seen[0]).toBe(5);
    const again: number[] = [];
    integerReluInstance(5, (s) => (again.push(s), s), () => (again.length < 3 ? kink : { pattern: [] }), 'a network');
    expect(again).toEqual(seen);
    expect(new Set(seen).size).toBe(3);
  });

  it('give one clear error when every redraw is on the kink', () => {
    expect(() => integerReluInstance(0, (s) => s, () => kink, 'a network')).toThrow(InputError);
    expect(() => integerReluInstance(0, (s) => s, () => kink, 'a network')).toThrow(new RegExp(`no exact ReLU rank for a network: seed 0 and its ${maximumRedraws} redraws`));
  });
});
