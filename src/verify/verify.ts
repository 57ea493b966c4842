/**
 * Property-testing a claim against measured ranks, for every architecture family: fast-check draws
 * random architectures of the claim's family (Family.arbitrary) and an instance seed, the family's
 * oracle measures the claimed quantity — exactly over prime fields when the Hessian is integral
 * (linear, mse), in float64 otherwise — and the measurement must stand to the claim as
 * src/family/verdict.ts says:
 *   exact: measured = predicted;  upper-bound: measured ≤ predicted;  lower-bound: measured ≥ predicted;
 *   estimate: never refuted, agreement is reported.
 * A float64 rank the decision rule does not decide (docs/theory.md#when-float64-decides-a-rank) is
 * neither a pass nor a failure: such draws are counted apart as `undetermined`.
 * The result counts where a bound equals the measured rank (tightness), overall and by the number of
 * layers the family counts; a refutation comes back shrunk to a minimal architecture, with the
 * command that reproduces it.
 */
import fc from 'fast-check';
import type { FullyConnected } from '../architecture/fullyConnected.js';
import { findFormula, type FormulaKind } from '../catalog/catalog.js';
import { InputError, TooLargeError } from '../errors.js';
import { reproduceCommand, type AnyFamily, type Architecture, type FamilyRanges } from '../family/family.js';
import { verdict } from '../family/verdict.js';
import { isIntegral } from '../family/vocabulary.js';
import type { ArchitectureClaim, Claim } from './claim.js';

export type { ArchitectureClaim, Claim };

/** One checked architecture: the claimed and the measured rank. */
export interface Observation<A extends Architecture = FullyConnected> {
  architecture: A;
  instanceSeed: number;
  r: number;
  predicted: number;
  /** null: undetermined in float64 */
  measured: number | null;
  kind: FormulaKind;
  method: 'float64' | 'exact';
}

/** Most runs a verify may ask for (each measures one architecture). */
export const maximumRuns = 10_000;

/** Largest single measurement verify makes (it measures every architecture it draws). */
export const verifyLimits = { bytes: 2 ** 30, seconds: 60 };

export interface VerifyOptions extends FamilyRanges {
  /** architectures to try (default 100, at most maximumRuns) */
  runs?: number;
  /** fast-check seed (default 0): the same seed tries the same architectures */
  seed?: number;
}

export interface VerifyResult<A extends Architecture = FullyConnected> {
  claim: string;
  /** the family's name */
  family: string;
  quantity: string;
  kind: FormulaKind;
  holds: boolean;
  /** architectures on which the claim applied and was checked */
  checked: number;
  /** of those, where measured = predicted (tightness of a bound) */
  equal: number;
  /** architectures drawn outside the claim's domain */
  skipped: number;
  /** architectures where float64 could not decide the measured rank (neither checked nor refuted) */
  undetermined: number;
  /**
   * architectures where the claim was only an estimate (a linear formula for relu): never refuted, so
   * counted apart from `checked`; a claim that was an estimate everywhere is reported with kind
   * `estimate`, and then `checked`, `equal`, `byDepth`, `gaps` describe those estimates
   */
  estimates: number;
  seed: number;
  /** checked architectures by the number of layers the family counts: [checked, equal] */
  byDepth: Record<number, [number, number]>;
  /** predicted − measured wherever they differ, by the number of layers */
  gaps: Record<number, number[]>;
  /** every checked architecture where the claim and the measured rank differ (a bound not tight), in the order drawn */
  loose: Observation<A>[];
  counterexample?: Observation<A>;
  /** the command that reproduces the counterexample */
  reproduce?: string;
}

/** Does the measurement stand to the claim? An undetermined rank (null) contradicts nothing. */
export function holds(kind: FormulaKind, predicted: number, measured: number | null): boolean {
  return verdict(kind, predicted, measured).holds;
}

/** Measures the claim's quantity on one instance; undefined when the claim does not apply. */
export function observe<A extends Architecture>(claim: ArchitectureClaim<A>, net: A, instanceSeed: number): Observation<A> | undefined {
  // r is read off the data first so that the claim is evaluated with the measured data rank
  const m = claim.family.measure(net, { seed: instanceSeed, exact: isIntegral(net), quantities: [claim.quantity], force: true });
  const predicted = claim.predictFor(net, m.r);
  if (!predicted) return undefined;
  return { architecture: net, instanceSeed, r: m.r, predicted: predicted.value, measured: m.ranks[claim.quantity], kind: predicted.kind, method: m.method };
}

export function describeObservation<A extends Architecture>(claim: ArchitectureClaim<A>, o: Observation<A>): string {
  const net = o.architecture;
  const name = claim.family.name === 'fully-connected'
    ? `widths ${claim.family.syntax(net)}, N = ${net.samples}${net.bias ? ', bias' : ''}, ${net.loss}, ${net.activation}`
    : claim.family.describe(net);
  return `${claim.name} (${o.kind}, ${claim.quantity}) fails on ${name}, instance seed ${o.instanceSeed}: predicted ${o.predicted}, measured ${o.measured} (${o.method}, r = ${o.r})`;
}

/** Ranges implied by a catalog formula's domain (activation, loss, bias, a fixed depth), unless the caller fixed them. */
export function rangesFor(claim: Claim, ranges: FamilyRanges): FamilyRanges {
  let domain;
  try {
    domain = findFormula(claim.name).entry.domain;
  } catch {
    // a conjecture or a prediction: the caller's ranges (a conjecture: default linear, mse, no bias)
    return ranges;
  }
  // a fixed depth, alone or first in a conjunction ("L == 2 and pt <= c0 * e[1]")
  const fixedDepth = /^L == (\d+)(?: and .*)?$/.exec(domain.condition ?? '');
  return {
    ...ranges,
    depth: ranges.depth ?? (fixedDepth ? [claim.family.layersAt(Number(fixedDepth[1])), claim.family.layersAt(Number(fixedDepth[1]))] : undefined),
    bias: ranges.bias ?? domain.bias ?? 'any',
    // mse when the formula covers it: exact ranks (cross-entropy is checked with --loss ce, in float64)
    loss: ranges.loss ?? (domain.loss?.includes('mse') ? 'mse' : domain.loss?.length === 1 ? domain.loss[0] : 'any'),
    activation: ranges.activation ?? (domain.activation?.includes('linear') ? 'linear' : domain.activation?.[0]),
  };
}

/** The fast-check property behind `verify`: throws a one-line description when the claim fails. */
export function claimProperty<A extends Architecture>(claim: ArchitectureClaim<A>, ranges: FamilyRanges = {}, onObservation?: (o: Observation<A> | undefined) => void) {
  const family: AnyFamily = claim.family;
  return fc.property(family.arbitrary(rangesFor(claim, ranges)) as fc.Arbitrary<A>, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (net, instanceSeed) => {
    const cost = family.cost(net, isIntegral(net));
    if (cost.bytes > verifyLimits.bytes || cost.seconds > verifyLimits.seconds) {
      throw new TooLargeError(
        `verify drew ${family.describe(net)} (p = ${family.parameters(net)}), beyond what it measures per architecture ` +
          `(${verifyLimits.bytes / 2 ** 30} GiB, ${verifyLimits.seconds} s); narrow --width or --${family.depthFlag}`,
      );
    }
    const o = observe(claim, net, instanceSeed);
    onObservation?.(o);
    if (o && !holds(o.kind, o.predicted, o.measured)) throw new Error(describeObservation(claim, o));
  });
}

/**
 * Runs the property (`runs` architectures, fast-check `seed`) and counts what it saw before any
 * failure (shrinking runs are not counted).
 */
export function verify<A extends Architecture = FullyConnected>(claim: ArchitectureClaim<A>, options: VerifyOptions = {}): VerifyResult<A> {
  const seed = options.seed ?? 0;
  const runs = options.runs ?? 100;
  if (!Number.isSafeInteger(runs) || runs < 1 || runs > maximumRuns) throw new InputError(`runs must be an integer from 1 to ${maximumRuns}, got ${String(runs)}`);
  if (!Number.isSafeInteger(seed)) throw new InputError(`seed must be an integer, got ${String(seed)}`);
  let checked = 0;
  let equal = 0;
  let skipped = 0;
  let undetermined = 0;
  let estimates = 0;
  let failing = false;
  const byDepth: Record<number, [number, number]> = {};
  const gaps: Record<number, number[]> = {};
  const loose: Observation<A>[] = [];
  // the same tallies for the draws where the claim is only an estimate
  const estimated = { equal: 0, byDepth: {} as Record<number, [number, number]>, gaps: {} as Record<number, number[]>, loose: [] as Observation<A>[] };
  const property = claimProperty(claim, options, (o) => {
    if (failing) return; // shrinking: do not count
    if (!o) {
      skipped++;
      return;
    }
    if (o.measured === null) {
      undetermined++;
      return;
    }
    const layers = claim.family.layers(o.architecture);
    if (o.kind === 'estimate') {
      estimates++;
      estimated.byDepth[layers] ??= [0, 0];
      estimated.byDepth[layers]![0]++;
      if (o.measured === o.predicted) {
        estimated.equal++;
        estimated.byDepth[layers]![1]++;
      } else {
        (estimated.gaps[layers] ??= []).push(o.predicted - o.measured);
        estimated.loose.push(o);
      }
      return;
    }
    checked++;
    byDepth[layers] ??= [0, 0];
    byDepth[layers]![0]++;
    if (o.measured === o.predicted) {
      equal++;
      byDepth[layers]![1]++;
    } else {
      (gaps[layers] ??= []).push(o.predicted - o.measured);
      loose.push(o);
    }
    if (!holds(o.kind, o.predicted, o.measured)) failing = true;
  });
  const details = fc.check(property, { numRuns: runs, seed });
  if (details.failed && details.errorInstance instanceof TooLargeError) throw details.errorInstance;
  const result: VerifyResult<A> = {
    claim: claim.name,
    family: claim.family.name,
    quantity: claim.quantity,
    kind: claim.kind,
    holds: !details.failed,
    checked,
    equal,
    skipped,
    undetermined,
    estimates,
    seed,
    byDepth,
    gaps,
    loose,
    // a claim that was an estimate on every architecture tried (relu) is reported as one, not as a bound that held
    ...(checked === 0 && estimates > 0 ? { kind: 'estimate' as const, checked: estimates, equal: estimated.equal, byDepth: estimated.byDepth, gaps: estimated.gaps, loose: estimated.loose } : {}),
  };
  if (details.failed && details.counterexample) {
    const [net, instanceSeed] = details.counterexample;
    const o = observe(claim, net, instanceSeed);
    if (o) {
      result.counterexample = o;
      result.reproduce = reproduceCommand(claim.family, o.architecture, { seed: o.instanceSeed, exact: o.method === 'exact' });
    }
  } else if (details.failed) {
    throw new Error(`verify stopped without a counterexample after ${details.numRuns} runs (${details.numSkips} skipped)`);
  }
  return result;
}
