/**
 * How measure and compare word a float64 rank the decision rule does not decide
 * (src/numeric/numericalRank.ts, docs/theory.md#when-float64-decides-a-rank): "undetermined in
 * float64", with the evidence, and --exact suggested where the Hessian is integral; verify counts
 * such draws apart.
 */
import type { Measurement } from '../numeric/measure.js';
import { exactActivations, isIntegral, quantities } from '../family/vocabulary.js';
import type { Activation, Loss } from '../family/vocabulary.js';
import type { Undetermined } from '../numeric/numericalRank.js';

/** A measured rank as a table cell. */
export function rankCell(rank: number | null): string | number {
  return rank === null ? 'undetermined' : rank;
}

function evidence(u: Undetermined): string {
  const gap = u.gapDecades === null ? 'no value dropped' : Number.isFinite(u.gapDecades) ? `${u.gapDecades.toFixed(1)} decades` : 'exact zeros below';
  const kept = u.keptOverTolerance === null ? '—' : `${u.keptOverTolerance.toPrecision(3)} τ`;
  const [low, high] = u.candidates;
  return (
    `gap at the cut ${gap} (needs ≥ ${u.rule.gapDecades}), smallest kept σ = ${kept} (needs ≥ ${u.rule.keptOverTolerance} τ), ` +
    `τ = ${u.tolerance.toExponential(2)}; rank at τ ${u.rankAtTolerance}, candidate ranks ${low === high ? low : `${low}–${high}`}`
  );
}

/** One line per undetermined part, then what to do; nothing when every part is decided. */
export function undeterminedLines(m: Measurement<{ activation: Activation; loss: Loss }>): string[] {
  const lines: string[] = [];
  for (const q of quantities) {
    const u = m.parts[q]?.numerical?.undetermined;
    if (u) lines.push(`${q}: undetermined in float64: ${evidence(u)}`);
  }
  if (lines.length === 0) return lines;
  lines.push(
    isIntegral(m.architecture)
      ? 'rerun with --exact: this Hessian is integral on an integer instance, so its rank is exact over Z/PZ'
      : `no exact alternative: a ${m.architecture.activation} network with ${m.architecture.loss} loss has no integral Hessian (--exact needs mse and ${exactActivations.join(' or ')})`,
  );
  return lines;
}

/** verify: draws whose float64 rank was undetermined are counted apart, never as passes or failures. */
export function undeterminedNote(r: { undetermined: number }): string {
  return r.undetermined > 0 ? `; ${r.undetermined} undetermined in float64 (counted apart)` : '';
}

/** verify, when every draw in the claim's domain was undetermined. */
export function notDecidedLine(claim: string, r: { undetermined: number; skipped: number }): string {
  return `not decided: ${claim}: all ${r.undetermined} measured rank(s) in its domain were undetermined in float64${r.skipped > 0 ? `; ${r.skipped} drawn outside its domain` : ''}`;
}
