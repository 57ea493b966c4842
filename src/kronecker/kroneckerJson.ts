/**
 * The JSON shape of `hessian-rank kronecker --json` (docs/kronecker.md describes each field).
 * Infinity (a gap above an exact zero) is written as null.
 */
import { architectureJson } from '../serialize.js';
import type { NumericalRank } from '../numeric/numericalRank.js';
import type { KroneckerReport, LayerKroneckerReport } from './kroneckerStructure.js';

const finite = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null);

function rankJson(n: NumericalRank) {
  return { rank: n.rank, tolerance: n.tolerance, largestGapRank: n.largestGapRank };
}

/** The claims the exact section checks, true when all hold (undefined when there is no exact section). */
export function exactClaimsHold(layer: LayerKroneckerReport): boolean | undefined {
  const e = layer.exact;
  if (!e) return undefined;
  const product = e.outputFactorRank.rank * e.inputFactorRank.rank;
  const c = layer.catalog;
  return (
    e.blockIsKronecker &&
    e.blockRank.rank === product &&
    (c.HO_block === undefined || c.HO_block.value === e.blockRank.rank) &&
    (c.HO_block_output_factor === undefined || c.HO_block_output_factor.value === e.outputFactorRank.rank) &&
    (c.HO_block_input_factor === undefined || c.HO_block_input_factor.value === e.inputFactorRank.rank)
  );
}

function layerJson(layer: LayerKroneckerReport) {
  const e = layer.exact;
  return {
    layer: layer.shape.layer,
    shape: { out: layer.shape.out, in: layer.shape.in, size: layer.shape.size },
    catalog: layer.catalog,
    exact: e
      ? {
          blockIsKronecker: e.blockIsKronecker,
          outputFactorRank: e.outputFactorRank.rank,
          inputFactorRank: e.inputFactorRank.rank,
          blockRank: e.blockRank.rank,
          ranksModPrimes: {
            outputFactor: e.outputFactorRank.ranksModPrimes,
            inputFactor: e.inputFactorRank.ranksModPrimes,
            block: e.blockRank.ranksModPrimes,
          },
          primes: { outputFactor: e.outputFactorRank.primes, inputFactor: e.inputFactorRank.primes, block: e.blockRank.primes },
          upperBounds: { outputFactor: e.outputFactorRank.upperBound, inputFactor: e.inputFactorRank.upperBound, block: e.blockRank.upperBound },
          wrongAtMost: { outputFactor: e.outputFactorRank.wrongAtMost, inputFactor: e.inputFactorRank.wrongAtMost, block: e.blockRank.wrongAtMost },
          comparison: { primes: e.comparedPrimes, wrongAtMost: e.comparisonWrongAtMost },
          claimsHold: exactClaimsHold(layer),
        }
      : null,
    outerProductRank: rankJson(layer.outerProductRank),
    outerProductBounds: layer.outerProductBounds,
    blockRank: rankJson(layer.blockRank),
    blockBounds: layer.blockBounds,
    top: layer.top,
    eigengap: finite(layer.eigengap),
    decoupling: {
      relativeError: layer.decoupling.relativeError,
      overlap: layer.decoupling.overlap,
      outputMomentRank: rankJson(layer.decoupling.outputMomentRank),
      inputMomentRank: rankJson(layer.decoupling.inputMomentRank),
    },
    nearest: layer.nearest,
    baseline: layer.baseline,
    reshaped: layer.reshaped.map((r) => ({
      index: r.index,
      eigenvalue: r.eigenvalue,
      rank: r.rank,
      tolerance: r.tolerance,
      secondRatio: r.secondRatio,
      rankOneEnergy: r.rankOneEnergy,
    })),
    outliers: { ...layer.outliers, gapRatio: finite(layer.outliers.gapRatio) },
    outputMomentOutliers: { ...layer.outputMomentOutliers, gapRatio: finite(layer.outputMomentOutliers.gapRatio) },
    seedOverlap: layer.seedOverlap,
  };
}

export function kroneckerJson(report: KroneckerReport) {
  return {
    architecture: architectureJson(report.architecture),
    part: report.part,
    K: report.K,
    seeds: report.seeds,
    top: report.top,
    primes: report.primes ?? null,
    seconds: report.seconds,
    layers: report.layers.map(layerJson),
  };
}
