/**
 * Calibration of the float64 decision rule (src/numeric/numericalRank.ts, docs/theory.md): random
 * linear mse architectures (fully connected and CNN, with and without bias) measured in float64 and
 * exactly over Z/PZ; for every part, where the float rank at τ differs from the exact rank, and how
 * the agreeing parts' evidence is spread (gap at the cut, σ_rank/τ, σ_rank+1/τ).
 *   node dist/bench/floatDecision.js [COUNT] [FAST_CHECK_SEED]      (default 500, 2026)
 */
import fc from 'fast-check';
import type { Convolutional } from '../src/architecture/convolutional.js';
import type { FullyConnected } from '../src/architecture/fullyConnected.js';
import { convolutionalArbitrary } from '../src/cnn/arbitraries.js';
import { measureConvolutional } from '../src/cnn/measure.js';
import { measure, quantities, type Measurement } from '../src/numeric/measure.js';
import { floatDecision } from '../src/numeric/numericalRank.js';
import { fullyConnectedArbitrary } from '../src/verify/arbitraries.js';

type Net = FullyConnected | Convolutional;
const count = Number(process.argv[2] ?? 500);
const seed = Number(process.argv[3] ?? 2026);
const architectures = fc.sample(
  fc.tuple(
    fc.oneof(fullyConnectedArbitrary({ depth: [1, 4], width: [1, 7], bias: 'any' }), convolutionalArbitrary({ convolutions: [1, 3], channels: [1, 3], bias: 'any' })),
    fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  ),
  { numRuns: count, seed },
);
const run = (net: Net, s: number, exact: boolean): Measurement<Net> =>
  net.kind === 'convolutional' ? measureConvolutional(net, { seed: s, exact, force: true }) : measure(net, { seed: s, exact, force: true });

interface Evidence {
  agree: boolean;
  flagged: boolean;
  gap: number;
  kept: number;
  dropped: number;
}
const rows: Evidence[] = [];
let failures = 0;
for (const [net, s] of architectures) {
  let float: Measurement<Net>;
  try {
    float = run(net, s, false);
  } catch (error) {
    failures++;
    console.log(`float64 failed (${(error as Error).message}) on ${JSON.stringify(net)} seed ${s}`);
    continue;
  }
  const exact = run(net, s, true);
  for (const q of quantities) {
    const n = float.parts[q].numerical!;
    const row = {
      agree: n.rank === exact.ranks[q],
      flagged: n.undetermined !== undefined,
      gap: n.gap ? n.gap.decades : Infinity,
      kept: n.rank > 0 ? n.smallestKept / n.tolerance : Infinity,
      dropped: n.gap ? n.gap.below / n.tolerance : 0,
    };
    rows.push(row);
    if (!row.agree) {
      console.log(
        `${q}: float64 ${n.rank} ≠ exact ${exact.ranks[q]}${row.flagged ? ' (flagged undetermined)' : ' (NOT flagged)'}: gap ${row.gap.toFixed(2)} decades, ` +
          `σ_rank = ${row.kept.toPrecision(3)} τ, σ_rank+1 = ${row.dropped.toPrecision(3)} τ on ${JSON.stringify(net)} seed ${s}`,
      );
    }
  }
}
const agreeing = rows.filter((r) => r.agree);
const min = (xs: number[]) => xs.reduce((a, b) => Math.min(a, b), Infinity);
const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0);
console.log(`${architectures.length} architectures (fast-check seed ${seed}), ${rows.length} parts, ${failures} float64 failures`);
console.log(`float64 ≠ exact: ${rows.length - agreeing.length} (${rows.filter((r) => !r.agree && !r.flagged).length} not flagged undetermined)`);
console.log(
  `agreeing parts: smallest gap at the cut ${min(agreeing.map((r) => r.gap)).toFixed(2)} decades, smallest σ_rank/τ ${min(agreeing.map((r) => r.kept)).toPrecision(3)}, ` +
    `largest σ_rank+1/τ ${max(agreeing.map((r) => r.dropped)).toPrecision(3)}; flagged undetermined by the rule (G = ${floatDecision.gapDecades}, A = ${floatDecision.keptOverTolerance}): ` +
    `${agreeing.filter((r) => r.flagged).length}`,
);
