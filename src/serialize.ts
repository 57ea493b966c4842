/**
 * The stable JSON shapes of predictions, measurements and verify results (docs/cli.md documents
 * them), one per kind of result for every architecture family; the architecture itself is its
 * family's shape (Family.json). Infinity (a gap above an exact zero) is written as null.
 */
import type { Architecture, FamilyPrediction } from './family/family.js';
import { familyOf } from './family/registry.js';
import { quantities } from './family/vocabulary.js';
import type { Observation, VerifyResult } from './verify/verify.js';
import type { Measurement, PartRank } from './numeric/measure.js';

export function architectureJson(net: Architecture): Record<string, unknown> {
  return familyOf(net).json(net);
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The formulas behind a prediction: id, kind, status, value, LaTeX per quantity. */
export function formulasJson(formulas: FamilyPrediction['formulas']) {
  return Object.fromEntries(
    Object.entries(formulas).map(([q, f]) => [q, { id: f.formula, kind: f.kind, status: f.status, ...(f.via ? { via: f.via } : {}), value: f.value, latex: f.latex }]),
  );
}

export function predictionJson(prediction: FamilyPrediction) {
  return {
    architecture: architectureJson(prediction.architecture),
    p: prediction.p,
    r: prediction.r,
    ...prediction.facts,
    s: prediction.s,
    ranks: Object.fromEntries(quantities.map((q) => [q, prediction.ranks[q] ?? null])),
    formulas: formulasJson(prediction.formulas),
    ...prediction.json,
  };
}

function partJson(part: PartRank) {
  if (part.exact) {
    const { primes, ranksModPrimes, upperBound, wrongAtMost } = part.exact;
    return { rank: part.rank, primes, ranksModPrimes, ...(wrongAtMost === undefined ? {} : { upperBound, wrongAtMost }) };
  }
  const n = part.numerical!;
  return {
    rank: part.rank,
    tolerance: n.tolerance,
    sigmaMax: n.sigmaMax,
    gap: n.gap ? { above: n.gap.above, below: n.gap.below, decades: finite(n.gap.decades) } : null,
    largestGapRank: n.largestGapRank,
    compression: part.compression ?? null,
    ...(n.undetermined
      ? {
          undetermined: {
            rankAtTolerance: n.undetermined.rankAtTolerance,
            candidates: n.undetermined.candidates,
            gapDecades: n.undetermined.gapDecades === null ? null : finite(n.undetermined.gapDecades),
            keptOverTolerance: n.undetermined.keptOverTolerance,
            rule: n.undetermined.rule,
          },
        }
      : {}),
  };
}

export function measurementJson(m: Measurement<Architecture>) {
  return {
    architecture: architectureJson(m.architecture),
    p: m.p,
    r: m.r,
    ranks: Object.fromEntries(quantities.filter((q) => q in m.ranks).map((q) => [q, m.ranks[q]])),
    method: m.method,
    seed: m.seed,
    ...(m.redraws ? { redraws: m.redraws } : {}),
    seconds: m.seconds,
    parts: Object.fromEntries(quantities.filter((q) => q in m.parts).map((q) => [q, partJson(m.parts[q])])),
  };
}

/** One architecture verify checked: the claimed and the measured rank. */
function observationJson(o: Observation<Architecture>) {
  return { architecture: architectureJson(o.architecture), instanceSeed: o.instanceSeed, r: o.r, predicted: o.predicted, measured: o.measured, method: o.method };
}

/** verify's result (docs/cli.md#verify): the same shape for every family. */
export function verifyResultJson(r: VerifyResult<Architecture>) {
  const o = r.counterexample;
  return {
    claim: r.claim,
    quantity: r.quantity,
    kind: r.kind,
    family: r.family,
    holds: r.holds,
    checked: r.checked,
    equal: r.equal,
    tightness: r.checked > 0 ? r.equal / r.checked : null,
    skipped: r.skipped,
    undetermined: r.undetermined,
    estimates: r.estimates,
    seed: r.seed,
    byDepth: Object.fromEntries(
      Object.entries(r.byDepth).map(([layers, [checked, equal]]) => [layers, { checked, equal, gaps: r.gaps[Number(layers)] ?? [] }]),
    ),
    counterexample: o ? observationJson(o) : null,
    reproduce: r.reproduce ?? null,
    loose: r.loose.map(observationJson),
  };
}
