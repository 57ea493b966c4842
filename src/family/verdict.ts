/**
 * How a measured rank stands to a predicted one, written once for every command and report:
 *   exact        measured = predicted: equal; otherwise DIFFERS
 *   upper-bound  measured ≤ predicted: holds (tight when equal); otherwise DIFFERS
 *   lower-bound  measured ≥ predicted: holds (tight when equal); otherwise DIFFERS
 *   estimate     never refuted: equal, or off by measured − predicted
 * A measured rank that float64 could not decide (null; docs/theory.md#when-float64-decides-a-rank)
 * is 'undetermined': it neither confirms nor contradicts anything.
 */
import type { FormulaKind } from '../catalog/catalog.js';

export type VerdictStatus = 'equal' | 'holds' | 'off' | 'differs' | 'none' | 'undetermined';

export interface Verdict {
  status: VerdictStatus;
  /** false only when the measurement contradicts an exact formula or a bound */
  holds: boolean;
  /** one phrase for tables: "equal", "bound holds (2 above)", "off by −1", "DIFFERS", "no formula" */
  text: string;
}

export function verdict(kind: FormulaKind | null | undefined, predicted: number | null | undefined, measured: number | null): Verdict {
  if (kind === null || kind === undefined || predicted === null || predicted === undefined) return { status: 'none', holds: true, text: 'no formula' };
  if (measured === null) return { status: 'undetermined', holds: true, text: 'undetermined' };
  if (predicted === measured) return { status: 'equal', holds: true, text: 'equal' };
  switch (kind) {
    case 'estimate':
      return { status: 'off', holds: true, text: `off by ${measured - predicted}` };
    case 'upper-bound':
      return measured < predicted
        ? { status: 'holds', holds: true, text: `bound holds (${predicted - measured} above)` }
        : { status: 'differs', holds: false, text: 'DIFFERS' };
    case 'lower-bound':
      return measured > predicted
        ? { status: 'holds', holds: true, text: `bound holds (${measured - predicted} below)` }
        : { status: 'differs', holds: false, text: 'DIFFERS' };
    case 'exact':
      return { status: 'differs', holds: false, text: 'DIFFERS' };
  }
}
