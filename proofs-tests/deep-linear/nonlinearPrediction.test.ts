/**
 * What predict claims for relu and tanh networks is what the measurements show
 * (docs/formulas.md#relu-and-tanh-networks):
 *   rank(H_O) ≤ min(p, N k, min_j N min(M_j, k) + p_{>j})   at every instance (k = K, or K − 1 for ce),
 * checked against exact ReLU ranks (mse, integer instances with their exact activation pattern) and
 * float64 tanh ranks (mse and ce, where float64 decides them); relu's H and H_F are labelled as the
 * linear network's ranks, not bounds; tanh's H and H_F have no formula, and the note says why.
 * A failure prints the shrunk architecture and instance seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullyConnected, type FullyConnected } from '../../src/architecture/fullyConnected.js';
import { nonlinearNotes, predict } from '../../src/catalog/predict.js';
import { measure } from '../../src/numeric/measure.js';
import { fullyConnectedArbitrary } from '../../src/verify/arbitraries.js';

const label = (net: FullyConnected, seed: number): string =>
  `widths ${net.widths.join(',')}, N = ${net.samples}${net.bias ? ', bias' : ''}, ${net.loss}, ${net.activation}, seed ${seed}`;

describe('relu and tanh predictions against measurements', () => {
  it('relu: rank(H_O) ≤ the bound on exact ranks; H and H_F are estimates labelled as the linear network’s ranks', () => {
    fc.assert(
      fc.property(fullyConnectedArbitrary({ depth: [2, 4], width: [1, 7], activation: 'relu', bias: 'any' }), fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const m = measure(net, { seed, exact: true, quantities: ['HO'] });
        const prediction = predict(net, { dataRank: m.r });
        expect(prediction.formulas.HO?.kind, label(net, seed)).toBe('upper-bound');
        expect(m.ranks.HO!, label(net, seed)).toBeLessThanOrEqual(prediction.ranks.HO!);
        for (const q of ['H', 'HF'] as const) expect(prediction.formulas[q]?.kind ?? 'none', label(net, seed)).not.toBe('exact');
        expect(prediction.note).toBe(nonlinearNotes.relu);
      }),
      { numRuns: 30, seed: 11 },
    );
  });

  it('tanh: rank(H_O) ≤ the bound wherever float64 decides it; no H or H_F formula', () => {
    fc.assert(
      fc.property(fullyConnectedArbitrary({ depth: [2, 4], width: [1, 7], activation: 'tanh', bias: 'any', loss: 'any' }), fc.integer({ min: 0, max: 1000 }), (net, seed) => {
        const m = measure(net, { seed, quantities: ['HO'] });
        const prediction = predict(net, { dataRank: m.r });
        expect(prediction.formulas.HO?.kind, label(net, seed)).toBe('upper-bound');
        if (m.ranks.HO !== null) expect(m.ranks.HO, label(net, seed)).toBeLessThanOrEqual(prediction.ranks.HO!);
        expect(prediction.formulas.H, label(net, seed)).toBeUndefined();
        expect(prediction.formulas.HF, label(net, seed)).toBeUndefined();
        expect(prediction.note).toBe(nonlinearNotes.tanh);
      }),
      { numRuns: 30, seed: 12 },
    );
  });

  it('10-7-7-1-9, ce, tanh, N = 21: the bound 30 holds (measured 28), the linear value 17 was below the measurement', () => {
    const net = fullyConnected({ widths: [10, 7, 7, 1, 9], samples: 21, loss: 'ce', activation: 'tanh' });
    const prediction = predict(net);
    expect(prediction.ranks.HO).toBe(30);
    const m = measure(net, { seed: 0 });
    expect(m.ranks.HO).toBe(28);
    expect(m.ranks.HO!).toBeGreaterThan(17);
  });
});
