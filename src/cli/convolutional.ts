/**
 * The --cnn architecture flag, shared by predict, measure, compare and verify:
 *
 *   --cnn "in=16; conv k=3 c=4; conv k=3 c=4 s=2; K=3"          1D input of length 16
 *   --cnn "in=8x8 ch=3; conv k=3 c=8 pad=1; conv k=3 c=8 s=2; K=10"   2D, 3 input channels
 *
 * in=SIZE [ch=C] ; conv k=SIZE c=C [s=SIZE] [pad=SIZE] ; … ; K=K   (SIZE: n or hxw; a single number
 * means the same in every dimension). --samples, --bias, --loss and --act apply as for --widths.
 */
import { parseConvolutional, describeConvolutional, type Convolutional } from '../architecture/convolutional.js';
import type { Activation, Loss } from '../architecture/fullyConnected.js';
import { InputError } from '../errors.js';
import type { ConvolutionalMeasurement } from '../cnn/measure.js';
import type { ConvolutionalPrediction } from '../cnn/predict.js';
import { architectureJson, formulasJson, measurementJson, verifyResultJson } from '../serialize.js';
import { parseInteger } from './flags.js';
import type { CommandIO } from './command.js';
import {
  describeConvolutionalObservation,
  verifyConvolutional,
  type ConvolutionalClaim,
  type ConvolutionalVerifyOptions,
  type ConvolutionalVerifyResult,
} from '../cnn/verify.js';
import { textTable } from './table.js';

export const cnnOption = { cnn: { type: 'string' } } as const;

export const cnnUsage = `  --cnn "in=SIZE [ch=C]; conv k=SIZE c=C [s=SIZE] [pad=SIZE]; …; K=K"   a CNN instead of --widths (docs/cnn.md)`;

export function convolutionalFromFlags(values: { cnn?: string; widths?: string; samples?: string; bias?: boolean; loss?: string; act?: string }): Convolutional {
  if (values.widths !== undefined) throw new InputError('give either --widths (fully connected) or --cnn (convolutional), not both');
  return parseConvolutional(values.cnn ?? '', {
    samples: parseInteger(values.samples, '--samples', 1),
    bias: values.bias ?? false,
    loss: values.loss as Loss | undefined,
    activation: values.act as Activation | undefined,
  });
}

export function convolutionalPredictionJson(prediction: ConvolutionalPrediction) {
  return {
    architecture: architectureJson(prediction.architecture),
    p: prediction.p,
    r: prediction.r,
    s: prediction.s,
    ranks: { H: prediction.ranks.H ?? null, HO: prediction.ranks.HO ?? null, HF: prediction.ranks.HF ?? null },
    formulas: formulasJson(prediction.formulas),
  };
}

/** The geometry line of `predict --cnn`: what the bounds were computed from. */
function geometryLine(prediction: ConvolutionalPrediction): string {
  const S = prediction.scope as Record<string, number | number[]>;
  const list = (v: number | number[]) => (Array.isArray(v) ? v.map((x) => (Number.isFinite(x) ? x : '∞')).join(',') : String(v));
  return `  channels c = ${S.c0},${list(S.c!)}; positions n = ${S.n0},${list(S.n!)} (used ${S.u0},${list(S.u!)}); kernel elements ${list(S.k!)} (effective ${list(S.e!)})`;
}

export function formatConvolutionalPrediction(prediction: ConvolutionalPrediction): string {
  const rows = (['H', 'HO', 'HF'] as const).map((q) => {
    const f = prediction.formulas[q];
    return f ? [q, f.value, f.kind, f.status, f.formula] : [q, '—', 'no formula', '', ''];
  });
  return [
    `${prediction.description}: p = ${prediction.p}, r = ${prediction.r}, s = ${prediction.s}`,
    geometryLine(prediction),
    textTable(['', 'rank', 'kind', 'status', 'formula'], rows),
  ].join('\n');
}

export function compareConvolutional(predicted: ConvolutionalPrediction, measured: ConvolutionalMeasurement): string {
  const rows = (['H', 'HO', 'HF'] as const).map((q) => {
    const f = predicted.formulas[q];
    const m = measured.ranks[q];
    const verdict = !f ? 'no formula' : f.value === m ? 'equal' : f.kind === 'upper-bound' && m <= f.value ? `bound holds (${f.value - m} above)` : f.kind === 'estimate' ? `off by ${m - f.value}` : 'DIFFERS';
    return [q, f ? f.value : '—', m, f ? f.kind : '', f ? f.status : '', verdict, f ? f.formula : ''];
  });
  return [
    `${describeConvolutional(predicted.architecture)}: p = ${predicted.p}, r = ${measured.r}, s = ${predicted.s}`,
    textTable(['', 'predicted', 'measured', 'kind', 'status', 'verdict', 'formula'], rows),
    measured.method === 'exact'
      ? `measured exactly over Z/PZ, P = ${measured.parts.H.exact!.primes.join(', ')} (seed ${measured.seed}, ${measured.seconds.toFixed(2)} s)`
      : `measured in float64, τ = σ_max·p·ε per part (seed ${measured.seed}, ${measured.seconds.toFixed(2)} s)`,
  ].join('\n');
}

export function compareConvolutionalJson(predicted: ConvolutionalPrediction, measured: ConvolutionalMeasurement) {
  return { predicted: convolutionalPredictionJson(predicted), measured: measurementJson(measured) };
}

function gapSummary(gaps: number[]): string {
  const sorted = [...gaps].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)]}, max ${sorted[sorted.length - 1]} (${sorted.length} CNNs)`;
}

function percent(equal: number, checked: number): string {
  return `${((100 * equal) / Math.max(1, checked)).toFixed(0)}%`;
}

export function convolutionalVerifyJson(r: ConvolutionalVerifyResult) {
  return {
    ...verifyResultJson(r),
    family: 'convolutional',
    tightness: r.checked > 0 ? r.equal / r.checked : null,
    byConvolutions: Object.fromEntries(
      Object.entries(r.byDepth).map(([depth, [checked, equal]]) => [depth, { checked, equal, gaps: r.gaps[Number(depth)] ?? [] }]),
    ),
  };
}

/**
 * verify for CNN claims: each claim on `runs` random CNNs; bounds report their tightness, the share
 * of architectures where the bound equals the measured rank, overall and by number of convolutions.
 * Returns the number of refuted claims.
 */
export function verifyConvolutionalClaims(claims: ConvolutionalClaim[], options: ConvolutionalVerifyOptions, io: CommandIO, json: boolean): number {
  let refuted = 0;
  for (const claim of claims) {
    const r = verifyConvolutional(claim, options);
    if (r.checked === 0) {
      if (claims.length === 1) throw new InputError(`${claim.name} applies to none of the ${options.runs ?? 100} CNNs drawn; widen --convolutions or set --loss/--bias/--act`);
      io.out(`not checked: ${claim.name} applies to none of the CNNs drawn`);
      continue;
    }
    if (!r.holds) refuted++;
    if (json) {
      io.out(JSON.stringify(convolutionalVerifyJson(r)));
      continue;
    }
    if (r.holds) {
      const depths = Object.entries(r.byDepth)
        .map(([depth, [checked, equal]]) => `${depth} conv: ${equal}/${checked}`)
        .join(', ');
      const tight = r.kind === 'exact' ? '' : `; tight (bound = measured rank) on ${r.equal} of them (${percent(r.equal, r.checked)}; ${depths})`;
      io.out(`holds: ${claim.name} (${r.kind}, ${r.quantity}) on all ${r.checked} CNNs tried${tight}; ${r.skipped} drawn outside its domain; fast-check seed ${r.seed}`);
      const missed = Object.entries(r.gaps).filter(([, list]) => list.length > 0);
      if (r.kind !== 'exact' && missed.length > 0) io.out(`  where not tight, bound − rank: ${missed.map(([depth, list]) => `${depth} conv: ${gapSummary(list)}`).join('; ')}`);
    } else if (r.counterexample) {
      io.out(`REFUTED: ${describeConvolutionalObservation(claim, r.counterexample)}`);
      io.out(`shrunk by fast-check (seed ${r.seed}) after ${r.checked} CNNs; reproduce: ${r.reproduce}`);
    } else {
      io.out(`REFUTED: ${claim.name} (fast-check seed ${r.seed}); no counterexample could be replayed`);
    }
  }
  return refuted;
}
