/**
 * Property-testing a claim against measured ranks: fast-check draws random architectures (and an
 * instance seed), the oracle measures the claimed quantity — exactly over prime fields when the
 * Hessian is integral (linear, mse), in float64 otherwise — and the claim must hold:
 *   exact: measured = predicted;  upper-bound: measured ≤ predicted;  lower-bound: measured ≥ predicted;
 *   estimate: never refuted, agreement is reported.
 * A refutation comes back shrunk to a minimal architecture, with the command that reproduces it.
 */
import fc from 'fast-check';
import type { FullyConnected } from '../architecture/fullyConnected.js';
import type { FormulaKind } from '../catalog/catalog.js';
import { findFormula } from '../catalog/catalog.js';
import { measure, type Measurement, type Quantity } from '../numeric/measure.js';
import { fullyConnectedArbitrary, type ArchitectureRanges } from './arbitraries.js';
import type { Claim } from './claim.js';

/** One checked architecture: the claimed and the measured rank. */
export interface Observation<A = FullyConnected> {
  architecture: A;
  instanceSeed: number;
  r: number;
  predicted: number;
  measured: number;
  kind: FormulaKind;
  method: 'float64' | 'exact';
}

export interface VerifyOptions extends ArchitectureRanges {
  /** architectures to try (default 100) */
  runs?: number;
  /** fast-check seed (default 0): the same seed tries the same architectures */
  seed?: number;
}

export interface VerifyResult<A = FullyConnected> {
  claim: string;
  quantity: string;
  kind: FormulaKind;
  holds: boolean;
  /** architectures on which the claim applied and was checked */
  checked: number;
  /** of those, where measured = predicted (tightness of a bound) */
  equal: number;
  /** architectures drawn outside the claim's domain */
  skipped: number;
  seed: number;
  counterexample?: Observation<A>;
  /** the command that reproduces the counterexample */
  reproduce?: string;
}

/** A claim about the Hessian ranks of architectures A (FC: src/verify/claim.ts; CNN: src/cnn/verify.ts). */
export interface ArchitectureClaim<A> {
  name: string;
  quantity: Quantity;
  kind: FormulaKind;
  predictFor(net: A, dataRank: number): { value: number; kind: FormulaKind } | undefined;
}

/** What verifying needs from an architecture family: random architectures, measurement, wording. */
export interface VerifyFamily<A, R> {
  arbitrary(ranges: R): fc.Arbitrary<A>;
  measure(net: A, options: { seed: number; exact: boolean; quantities: Quantity[]; force: boolean }): Pick<Measurement<A>, 'r' | 'ranks' | 'method'>;
  /** how a failing architecture is named, e.g. "widths 1,1, N = 1, mse, linear" */
  describe(net: A): string;
  /** the CLI command that measures it again */
  reproduce(o: Observation<A>): string;
  /** is the Hessian integral (then ranks are exact over prime fields) */
  integral(net: A): boolean;
}

export function holds(kind: FormulaKind, predicted: number, measured: number): boolean {
  switch (kind) {
    case 'exact':
      return measured === predicted;
    case 'upper-bound':
      return measured <= predicted;
    case 'lower-bound':
      return measured >= predicted;
    case 'estimate':
      return true;
  }
}

/** Measures the claim's quantity on one instance; undefined when the claim does not apply. */
export function observeWith<A, R>(family: VerifyFamily<A, R>, claim: ArchitectureClaim<A>, net: A, instanceSeed: number): Observation<A> | undefined {
  // r is read off the data first so that the claim is evaluated with the measured data rank
  const m = family.measure(net, { seed: instanceSeed, exact: family.integral(net), quantities: [claim.quantity], force: true });
  const predicted = claim.predictFor(net, m.r);
  if (!predicted) return undefined;
  return { architecture: net, instanceSeed, r: m.r, predicted: predicted.value, measured: m.ranks[claim.quantity], kind: predicted.kind, method: m.method };
}

export function describeObservationWith<A, R>(family: VerifyFamily<A, R>, claim: ArchitectureClaim<A>, o: Observation<A>): string {
  return (
    `${claim.name} (${o.kind}, ${claim.quantity}) fails on ${family.describe(o.architecture)}, instance seed ${o.instanceSeed}: ` +
    `predicted ${o.predicted}, measured ${o.measured} (${o.method}, r = ${o.r})`
  );
}

/** The fast-check property behind `verify`: throws a one-line description when the claim fails. */
export function claimPropertyWith<A, R>(
  family: VerifyFamily<A, R>,
  claim: ArchitectureClaim<A>,
  ranges: R,
  onObservation?: (o: Observation<A> | undefined) => void,
) {
  return fc.property(family.arbitrary(ranges), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (net, instanceSeed) => {
    const o = observeWith(family, claim, net, instanceSeed);
    onObservation?.(o);
    if (o && !holds(o.kind, o.predicted, o.measured)) throw new Error(describeObservationWith(family, claim, o));
  });
}

/**
 * Runs the property (`runs` architectures, fast-check `seed`) and counts what it saw before any
 * failure (shrinking runs are not counted); `onCounted` sees each counted observation.
 */
export function verifyWith<A, R>(
  family: VerifyFamily<A, R>,
  claim: ArchitectureClaim<A>,
  ranges: R,
  options: { runs?: number; seed?: number } = {},
  onCounted?: (o: Observation<A>) => void,
): VerifyResult<A> {
  const seed = options.seed ?? 0;
  let checked = 0;
  let equal = 0;
  let skipped = 0;
  let failing = false;
  const property = claimPropertyWith(family, claim, ranges, (o) => {
    if (failing) return; // shrinking: do not count
    if (!o) {
      skipped++;
      return;
    }
    checked++;
    if (o.measured === o.predicted) equal++;
    onCounted?.(o);
    if (!holds(o.kind, o.predicted, o.measured)) failing = true;
  });
  const details = fc.check(property, { numRuns: options.runs ?? 100, seed });
  const result: VerifyResult<A> = { claim: claim.name, quantity: claim.quantity, kind: claim.kind, holds: !details.failed, checked, equal, skipped, seed };
  if (details.failed && details.counterexample) {
    const [net, instanceSeed] = details.counterexample;
    const o = observeWith(family, claim, net, instanceSeed);
    if (o) {
      result.counterexample = o;
      result.reproduce = family.reproduce(o);
    }
  } else if (details.failed) {
    throw new Error(`verify stopped without a counterexample after ${details.numRuns} runs (${details.numSkips} skipped)`);
  }
  return result;
}

// ---- fully-connected networks ----

function describeFullyConnected(net: FullyConnected): string {
  return `widths ${net.widths.join(',')}, N = ${net.samples}${net.bias ? ', bias' : ''}, ${net.loss}, ${net.activation}`;
}

/** `hessian-rank measure <architecture flag> …` for an observation: the flags every family shares. */
export function measureCommand(
  architectureFlag: string,
  net: { samples: number; bias: boolean; loss: string; activation: string },
  o: Pick<Observation<unknown>, 'instanceSeed' | 'method'>,
): string {
  return [
    'hessian-rank measure',
    architectureFlag,
    `--samples ${net.samples}`,
    net.bias ? '--bias' : '',
    net.loss !== 'mse' ? `--loss ${net.loss}` : '',
    net.activation !== 'linear' ? `--act ${net.activation}` : '',
    `--seed ${o.instanceSeed}`,
    o.method === 'exact' ? '--exact' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function reproduceCommand(o: Observation): string {
  return measureCommand(`--widths ${o.architecture.widths.join(',')}`, o.architecture, o);
}

export const fullyConnectedFamily: VerifyFamily<FullyConnected, ArchitectureRanges> = {
  arbitrary: fullyConnectedArbitrary,
  measure: (net, options) => measure(net, options),
  describe: describeFullyConnected,
  reproduce: reproduceCommand,
  integral: (net) => net.activation === 'linear' && net.loss === 'mse',
};

/** Architecture ranges implied by a catalog formula's domain, unless the caller fixed them. */
export function rangesFor(claim: Claim, ranges: ArchitectureRanges): ArchitectureRanges {
  let domain;
  try {
    domain = findFormula(claim.name).entry.domain;
  } catch {
    return ranges; // a conjecture: the caller's ranges (default linear, mse, no bias)
  }
  return {
    ...ranges,
    bias: ranges.bias ?? domain.bias ?? 'any',
    loss: ranges.loss ?? (domain.loss?.length === 1 ? domain.loss[0] : 'any'),
    activation: ranges.activation ?? (domain.activation?.includes('linear') ? 'linear' : domain.activation?.[0]),
  };
}

export function observe(claim: Claim, net: FullyConnected, instanceSeed: number): Observation | undefined {
  return observeWith(fullyConnectedFamily, claim, net, instanceSeed);
}

export function describeObservation(claim: Claim, o: Observation): string {
  return describeObservationWith(fullyConnectedFamily, claim, o);
}

export function claimProperty(claim: Claim, ranges: ArchitectureRanges, onObservation?: (o: Observation | undefined) => void) {
  return claimPropertyWith(fullyConnectedFamily, claim, rangesFor(claim, ranges), onObservation);
}

export function verify(claim: Claim, options: VerifyOptions = {}): VerifyResult {
  return verifyWith(fullyConnectedFamily, claim, rangesFor(claim, options), options);
}
