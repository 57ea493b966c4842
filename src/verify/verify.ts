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
import { measure } from '../numeric/measure.js';
import { fullyConnectedArbitrary, type ArchitectureRanges } from './arbitraries.js';
import type { Claim } from './claim.js';

export interface Observation {
  architecture: FullyConnected;
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

export interface VerifyResult {
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
  counterexample?: Observation;
  /** the command that reproduces the counterexample */
  reproduce?: string;
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
export function observe(claim: Claim, net: FullyConnected, instanceSeed: number): Observation | undefined {
  const exact = net.activation === 'linear' && net.loss === 'mse';
  // r is read off the data first so that the claim is evaluated with the measured data rank
  const m = measure(net, { seed: instanceSeed, exact, quantities: [claim.quantity], force: true });
  const predicted = claim.predictFor(net, m.r);
  if (!predicted) return undefined;
  return {
    architecture: net,
    instanceSeed,
    r: m.r,
    predicted: predicted.value,
    measured: m.ranks[claim.quantity],
    kind: predicted.kind,
    method: m.method,
  };
}

export function describeObservation(claim: Claim, o: Observation): string {
  const net = o.architecture;
  return (
    `${claim.name} (${o.kind}, ${claim.quantity}) fails on widths ${net.widths.join(',')}, N = ${net.samples}` +
    `${net.bias ? ', bias' : ''}, ${net.loss}, ${net.activation}, instance seed ${o.instanceSeed}: ` +
    `predicted ${o.predicted}, measured ${o.measured} (${o.method}, r = ${o.r})`
  );
}

export function reproduceCommand(o: Observation): string {
  const net = o.architecture;
  return [
    'hessian-rank measure',
    `--widths ${net.widths.join(',')}`,
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

/** The fast-check property behind `verify`: throws a one-line description when the claim fails. */
export function claimProperty(claim: Claim, ranges: ArchitectureRanges, onObservation?: (o: Observation | undefined) => void) {
  return fc.property(fullyConnectedArbitrary(rangesFor(claim, ranges)), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (net, instanceSeed) => {
    const o = observe(claim, net, instanceSeed);
    onObservation?.(o);
    if (o && !holds(o.kind, o.predicted, o.measured)) throw new Error(describeObservation(claim, o));
  });
}

export function verify(claim: Claim, options: VerifyOptions = {}): VerifyResult {
  const seed = options.seed ?? 0;
  let checked = 0;
  let equal = 0;
  let skipped = 0;
  let failing = false;
  let last: Observation | undefined;
  const property = claimProperty(claim, options, (o) => {
    last = o;
    if (failing) return; // shrinking: do not count
    if (!o) skipped++;
    else {
      checked++;
      if (o.measured === o.predicted) equal++;
      if (!holds(o.kind, o.predicted, o.measured)) failing = true;
    }
  });
  const details = fc.check(property, { numRuns: options.runs ?? 100, seed });
  const result: VerifyResult = { claim: claim.name, quantity: claim.quantity, kind: claim.kind, holds: !details.failed, checked, equal, skipped, seed };
  if (details.failed && details.counterexample) {
    const [net, instanceSeed] = details.counterexample;
    const o = observe(claim, net, instanceSeed) ?? last;
    if (o) {
      result.counterexample = o;
      result.reproduce = reproduceCommand(o);
    }
  } else if (details.failed) {
    throw new Error(`verify stopped without a counterexample after ${details.numRuns} runs (${details.numSkips} skipped)`);
  }
  return result;
}
