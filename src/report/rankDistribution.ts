/**
 * The distribution of a measured rank over instance seeds A..B (measure --seeds A:B): an exact ReLU
 * rank is the rank at one instance (its activation pattern fixed), so a ReLU architecture has a
 * distribution of ranks, not one rank. For each part: min, median (the lower middle value), max,
 * and how many instances gave each rank; undetermined float64 ranks are counted apart.
 */
import type { Quantity } from '../family/vocabulary.js';

export interface RankDistribution {
  /** instances measured */
  count: number;
  /** null when every instance was undetermined */
  min: number | null;
  median: number | null;
  max: number | null;
  /** rank → number of instances, ascending ranks */
  histogram: [number, number][];
  /** instances whose float64 rank was undetermined */
  undetermined: number;
}

export function rankDistribution(values: readonly (number | null)[]): RankDistribution {
  const decided = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const counts = new Map<number, number>();
  for (const v of decided) counts.set(v, (counts.get(v) ?? 0) + 1);
  return {
    count: values.length,
    min: decided.length > 0 ? decided[0]! : null,
    median: decided.length > 0 ? decided[Math.floor((decided.length - 1) / 2)]! : null,
    max: decided.length > 0 ? decided[decided.length - 1]! : null,
    histogram: [...counts.entries()].sort((a, b) => a[0] - b[0]),
    undetermined: values.length - decided.length,
  };
}

/** One distribution per part from the measured ranks of several instances. */
export function rankDistributions(measured: readonly Partial<Record<Quantity, number | null>>[], parts: readonly Quantity[]): Record<Quantity, RankDistribution> {
  return Object.fromEntries(parts.map((q) => [q, rankDistribution(measured.map((m) => m[q] ?? null))])) as Record<Quantity, RankDistribution>;
}
