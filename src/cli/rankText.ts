/**
 * The text the rank commands print, for every family: a prediction, a measurement, and the two side
 * by side with the verdict of src/family/verdict.ts.
 */
import { verdict } from '../family/verdict.js';
import { quantities } from '../family/vocabulary.js';
import type { Architecture, FamilyPrediction } from '../family/family.js';
import type { Measurement } from '../numeric/measure.js';
import { textTable } from './table.js';
import type { ExactRank } from '../linalg/index.js';
import { rankCell, undeterminedLines } from './undetermined.js';

function headline(prediction: FamilyPrediction, r: number): string {
  const facts = Object.entries(prediction.facts).map(([name, value]) => `, ${name} = ${value}`).join('');
  return `${prediction.description}: p = ${prediction.p}, r = ${r}${facts}, s = ${prediction.s}`;
}

export function formatPrediction(prediction: FamilyPrediction): string {
  const rows = quantities.map((q) => {
    const f = prediction.formulas[q];
    return f ? [q, f.value, rankShare(f.value, prediction.p), f.kind, f.status, formulaCell(f)] : [q, '—', '—', 'no formula', '', ''];
  });
  return [headline(prediction, prediction.r), textTable(['', 'rank', 'rank/p', 'kind', 'status', 'formula'], rows), ...prediction.notes].join('\n');
}

/** The formula's id, and the conjectured entries its value reads when it is not conjectured itself. */
function formulaCell(f: { formula: string; via?: string[] }): string {
  return f.via ? `${f.formula} (reads ${f.via.join(', ')})` : f.formula;
}

/** rank/p to three significant digits: how rank-deficient the part is. */
export function rankShare(rank: number, p: number): string {
  return p > 0 ? (rank / p).toPrecision(3) : '—';
}

/** "mod 5327587, 7732657: 30, 30; P(wrong) ≤ 2.1e-11", or "…; = its upper bound u, certain". */
export function exactEvidence(e: ExactRank): string {
  const ranks = e.ranksModPrimes.every((r) => r === e.ranksModPrimes[0]) && e.ranksModPrimes.length > 1 ? `${e.ranksModPrimes[0]} each` : e.ranksModPrimes.join(', ');
  const bound = e.wrongAtMost === undefined ? '' : e.wrongAtMost === 0 ? `; = its upper bound ${e.upperBound}, certain` : `; P(wrong) ≤ ${e.wrongAtMost.toExponential(1)}`;
  return `mod ${e.primes.join(', ')}: ${ranks}${bound}`;
}

export function formatMeasurement(m: Measurement<Architecture>, description: string): string {
  const rows = quantities.map((q) => {
    const part = m.parts[q];
    if (part.exact) return [q, rankCell(part.rank), exactEvidence(part.exact)];
    const n = part.numerical!;
    const gap = n.gap ? (Number.isFinite(n.gap.decades) ? `${n.gap.decades.toFixed(1)} decades` : 'exact zeros below') : '—';
    return [q, rankCell(part.rank), n.tolerance.toExponential(2), gap, n.largestGapRank];
  });
  const header = m.method === 'exact' ? ['', 'rank', 'exact: rank mod each prime; P(rank understated)'] : ['', 'rank', 'tolerance τ', 'gap at cut', 'rank at largest gap'];
  const compression = m.parts.H?.compression ?? m.parts.HF?.compression ?? m.parts.HO?.compression;
  return [
    `${description}: p = ${m.p}, measured r = ${m.r}, ${m.method}, seed ${m.seed}, ${m.seconds.toFixed(2)} s`,
    textTable(header, rows),
    ...(m.redraws ? [`the integer instance of seed ${m.seed} put a pre-activation exactly on the ReLU kink; redrawn ${m.redraws} time(s) (docs/theory.md#exact-relu-ranks)`] : []),
    ...instanceLines(m),
    ...undeterminedLines(m),
    ...(compression
      ? [`eigenvalues taken on the ${compression.dimension}-dimensional subspace that contains the ranges (docs/theory.md#range-compression); containment certified to a relative residual ≤ ${(Number.EPSILON * Math.sqrt(m.p)).toExponential(1)}`]
      : []),
  ].join('\n');
}

/** What a ReLU rank is: the rank at this instance (docs/theory.md#exact-relu-ranks). */
function instanceLines(m: Measurement<Architecture>): string[] {
  if (m.architecture.activation !== 'relu') return [];
  return [
    m.method === 'exact'
      ? 'an exact ReLU rank is the rank at this integer instance, its activation pattern fixed; --seeds A:B gives the distribution'
      : 'a ReLU rank is the rank at this instance, its activation pattern fixed; --exact --seeds A:B gives the distribution of exact ranks',
  ];
}

/** "up to 8 primes from (2^22, 2^23) a part, each rank understated with probability ≤ 6.1e-10". */
function exactSummary(m: Measurement<Architecture>): string {
  const parts = Object.values(m.parts).filter((part) => part.exact);
  const most = Math.max(...parts.map((part) => part.exact!.primes.length));
  const wrong = Math.max(...parts.map((part) => part.exact!.wrongAtMost ?? 0));
  return `up to ${most} prime(s) from (2^22, 2^23) a part, ${wrong === 0 ? 'every rank at its upper bound (certain)' : `each rank understated with probability ≤ ${wrong.toExponential(1)}`}`;
}

/** Predicted next to measured, with each formula's verdict. */
export function formatComparison(predicted: FamilyPrediction, measured: Measurement<Architecture>): string {
  const rows = quantities.map((q) => {
    const f = predicted.formulas[q];
    const m = measured.ranks[q];
    return [q, f ? f.value : '—', rankCell(m), f ? f.kind : '', f ? f.status : '', verdict(f?.kind, f?.value, m).text, f ? formulaCell(f) : ''];
  });
  const gap = measured.parts.H.numerical?.gap;
  return [
    headline(predicted, measured.r),
    textTable(['', 'predicted', 'measured', 'kind', 'status', 'verdict', 'formula'], rows),
    ...undeterminedLines(measured),
    // what the prediction of a relu or tanh network means, and what its measured rank is
    ...(typeof predicted.json.note === 'string' ? [predicted.json.note] : []),
    ...instanceLines(measured),
    measured.method === 'exact'
      ? `measured exactly over Z/PZ, ${exactSummary(measured)} (seed ${measured.seed}, ${measured.seconds.toFixed(2)} s)`
      : `measured in float64, τ = σ_max·p·ε per part (seed ${measured.seed}, ${measured.seconds.toFixed(2)} s); rank(H) gap at the cut: ${
          gap ? (Number.isFinite(gap.decades) ? gap.decades.toFixed(1) + ' decades' : 'exact zeros below') : 'none (full rank)'
        }`,
  ].join('\n');
}
