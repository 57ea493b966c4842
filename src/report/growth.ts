/**
 * How p and the ranks grow along a sweep at equally spaced values x_1 < x_2 < … (step h):
 *   Δ²p = p(x+2h) − 2p(x+h) + p(x)   constant ⇔ p is quadratic in x on these points,
 *   Δrank = rank(x+h) − rank(x)      constant ⇔ the rank is linear in x,
 * so constant Δ²p with constant Δrank is the √p law rank ∝ √p ([SBH21], [SHS23]: channels or widths
 * grow p quadratically, the ranks linearly). Differences of measured ranks and of predicted ones
 * are listed apart; a rank float64 left undetermined stops its series.
 */
import { quantities, type Quantity } from '../family/vocabulary.js';
import type { RankRecord } from './rankRecord.js';

/** Finite differences of a sequence sampled at equally spaced points. */
export function differences(values: readonly number[]): number[] {
  return values.slice(1).map((v, i) => v - values[i]!);
}

export interface Growth {
  /** the swept values' common step */
  step: number;
  pSecondDifferences: number[];
  measured: Partial<Record<Quantity, number[]>>;
  predicted: Partial<Record<Quantity, number[]>>;
  /** measured rank(H)/√p at each point (NaN where undetermined) */
  rankOverRootP: number[];
}

/** The growth of a sweep's records, or undefined unless they are at least 3 equally spaced values. */
export function sweepGrowth(records: readonly RankRecord[]): Growth | undefined {
  const x = records.map((r) => r.x);
  if (records.length < 3 || x.some((v) => v === undefined)) return undefined;
  const steps = differences(x as number[]);
  if (steps.some((s) => s !== steps[0] || s <= 0)) return undefined;
  const series = (pick: (r: RankRecord) => number | null): number[] | undefined => {
    const values = records.map(pick);
    return values.every((v): v is number => v !== null) ? differences(values) : undefined;
  };
  const measured: Growth['measured'] = {};
  const predicted: Growth['predicted'] = {};
  for (const q of quantities) {
    const m = records.every((r) => r.method !== 'predicted') ? series((r) => r.measured[q]) : undefined;
    if (m) measured[q] = m;
    const p = series((r) => r.predicted[q]);
    if (p) predicted[q] = p;
  }
  return {
    step: steps[0]!,
    pSecondDifferences: differences(differences(records.map((r) => r.p))),
    measured,
    predicted,
    rankOverRootP: records.map((r) => (r.measured.H === null ? NaN : r.measured.H / Math.sqrt(r.p))),
  };
}

const names: Record<Quantity, string> = { H: 'rank(H)', HO: 'rank(H_O)', HF: 'rank(H_F)' };
const list = (values: readonly number[]): string => (new Set(values).size === 1 ? `${values[0]} (constant)` : values.join(', '));

/** The growth as text lines under a sweep's table. */
export function growthText(growth: Growth, symbol: string): string[] {
  const lines = [`growth along ${symbol} (step ${growth.step}): p second differences ${list(growth.pSecondDifferences)}`];
  for (const q of quantities) {
    const m = growth.measured[q];
    if (m) lines.push(`  measured ${names[q]} first differences ${list(m)}`);
    const p = growth.predicted[q];
    if (p) lines.push(`  predicted ${names[q]} first differences ${list(p)}`);
  }
  if (growth.rankOverRootP.some((v) => !Number.isNaN(v))) {
    lines.push(`  measured rank(H)/√p: ${growth.rankOverRootP.map((v) => (Number.isNaN(v) ? '—' : v.toFixed(2))).join(', ')}`);
  }
  return lines;
}
