/**
 * fast-check arbitraries for architectures, for `verify` and for a researcher's own test suite:
 *
 *   fc.assert(fc.property(fullyConnectedArbitrary({ depth: [2, 4] }), (net) => …))
 *
 * N is drawn on both sides of d (1..2d+2) so that both r = N and r = d occur.
 */
import fc from 'fast-check';

/** resolution of the sample-count draw: N = 1 + ⌊(k / 2^20)(2d + 2)⌋, k uniform on 0..2^20 − 1 */
const sampleDenominator = 2 ** 20;
import { fullyConnected, type Activation, type FullyConnected, type Loss } from '../architecture/fullyConnected.js';
import { activations, losses } from '../family/vocabulary.js';

export interface ArchitectureRanges {
  /** [min, max] number of weight matrices L (default [1, 5]) */
  depth?: [number, number];
  /** [min, max] of every width d, M_i, K (default [1, 12]) */
  width?: [number, number];
  /** fixed, or 'any' to draw it (default false) */
  bias?: boolean | 'any';
  loss?: Loss | 'any';
  activation?: Activation | 'any';
}

export function fullyConnectedArbitrary(ranges: ArchitectureRanges = {}): fc.Arbitrary<FullyConnected> {
  const [minDepth, maxDepth] = ranges.depth ?? [1, 5];
  const [minWidth, maxWidth] = ranges.width ?? [1, 12];
  const loss = ranges.loss ?? 'mse';
  const bias = ranges.bias ?? false;
  const activation = ranges.activation ?? 'linear';
  const lossArb = loss === 'any' ? fc.constantFrom<Loss>(...losses) : fc.constant(loss);
  return fc
    .record({
      widths: fc.array(fc.integer({ min: minWidth, max: maxWidth }), { minLength: minDepth + 1, maxLength: maxDepth + 1 }),
      bias: bias === 'any' ? fc.boolean() : fc.constant(bias),
      activation: activation === 'any' ? fc.constantFrom<Activation>(...activations) : fc.constant(activation),
      loss: lossArb,
      // N uniform on 1..2d+2: an integer numerator, since fc.double draws uniformly over the
      // representable doubles of [0, 1] (almost all of them below 1e-3, so N would almost always be 1)
      sampleFraction: fc.integer({ min: 0, max: sampleDenominator - 1 }).map((k) => k / sampleDenominator),
    })
    .map(({ widths, bias: b, activation: a, loss: l, sampleFraction }) => {
      // cross-entropy needs K ≥ 2
      const w = l === 'ce' && widths[widths.length - 1]! < 2 ? [...widths.slice(0, -1), 2] : widths;
      const samples = 1 + Math.floor(sampleFraction * (2 * w[0]! + 2));
      return fullyConnected({ widths: w, bias: b, activation: a, loss: l, samples });
    });
}
