/**
 * Property-testing CNN claims against measured ranks, as src/verify/verify.ts does for
 * fully-connected networks: fast-check draws random CNNs (src/cnn/arbitraries.ts) and an instance
 * seed, the oracle measures the claimed part (exactly over two prime fields for linear mse CNNs,
 * float64 otherwise) and the claim must hold (exact: =, upper-bound: ≤, lower-bound: ≥). For bounds
 * the result counts the architectures where the bound equals the measured rank (tightness).
 *
 * Two kinds of claims: one catalog formula (checked where its domain applies), or the catalog's
 * prediction for a quantity (the tightest applicable formula, src/cnn/predict.ts) — the number a
 * researcher reads off `predict`, so its tightness share is the headline.
 */
import { convolutionalSyntax, describeConvolutional, type Convolutional } from '../architecture/convolutional.js';
import type { CompiledFormula, FormulaKind } from '../catalog/catalog.js';
import { findFormula, loadCatalog } from '../catalog/catalog.js';
import { applicableKind, evaluateFormula } from '../catalog/predict.js';
import { InputError } from '../errors.js';
import type { Quantity } from '../numeric/measure.js';
import { claimPropertyWith, describeObservationWith, measureCommand, observeWith, verifyWith, type ArchitectureClaim, type Observation, type VerifyFamily, type VerifyResult } from '../verify/verify.js';
import { convolutionalArbitrary, type ConvolutionalRanges } from './arbitraries.js';
import { measureConvolutional } from './measure.js';
import { predictConvolutional } from './predict.js';
import { convolutionalScope, convolutionalSymbols } from './vocabulary.js';
import { expressionClaim } from '../verify/claim.js';
import { vocabulary } from '../catalog/vocabulary.js';

export type ConvolutionalClaim = ArchitectureClaim<Convolutional>;
export type ConvolutionalObservation = Observation<Convolutional>;

export interface ConvolutionalVerifyResult extends VerifyResult<Convolutional> {
  /** architectures where the claim applied, by number of convolutions: [checked, equal] */
  byDepth: Record<number, [number, number]>;
  /** predicted − measured on every architecture where they differ, by number of convolutions */
  gaps: Record<number, number[]>;
}

export interface ConvolutionalVerifyOptions extends ConvolutionalRanges {
  runs?: number;
  seed?: number;
}

/** A catalog formula of the convolutional family. */
export function convolutionalFormulaClaim(formula: CompiledFormula): ConvolutionalClaim {
  if (formula.entry.family !== 'convolutional') throw new InputError(`formula ${formula.entry.id} is not a CNN formula`);
  const quantity = formula.entry.quantity as Quantity;
  return {
    name: formula.entry.id,
    quantity,
    kind: formula.entry.kind,
    predictFor(net, dataRank) {
      const scope = convolutionalScope(net, dataRank);
      if (formula.expression.symbols.includes('HO') || formula.expression.symbols.includes('HF')) {
        const prediction = predictConvolutional(net, { dataRank });
        if (prediction.ranks.HO === undefined || prediction.ranks.HF === undefined) return undefined;
        Object.assign(scope, { HO: prediction.ranks.HO, HF: prediction.ranks.HF });
      }
      const kind = applicableKind(formula, net, scope);
      return kind ? { value: evaluateFormula(formula, scope), kind } : undefined;
    },
  };
}

/** The catalog's prediction of `quantity` (the tightest applicable CNN formula). */
export function convolutionalPredictionClaim(quantity: Quantity): ConvolutionalClaim {
  return {
    name: `predicted rank(${quantity})`,
    quantity,
    kind: 'upper-bound',
    predictFor(net, dataRank) {
      const chosen = predictConvolutional(net, { dataRank }).formulas[quantity];
      return chosen ? { value: chosen.value, kind: chosen.kind } : undefined;
    },
  };
}

export function convolutionalClaims(): ConvolutionalClaim[] {
  const formulas = loadCatalog().filter((f) => f.entry.family === 'convolutional').map(convolutionalFormulaClaim);
  return [...(['HO', 'HF', 'H'] as Quantity[]).map(convolutionalPredictionClaim), ...formulas];
}

export function isConvolutionalFormula(id: string): boolean {
  return findFormula(id).entry.family === 'convolutional';
}

export function reproduceConvolutional(o: ConvolutionalObservation): string {
  return measureCommand(`--cnn "${convolutionalSyntax(o.architecture)}"`, o.architecture, o);
}

export const convolutionalFamily: VerifyFamily<Convolutional, ConvolutionalRanges> = {
  arbitrary: convolutionalArbitrary,
  measure: (net, options) => measureConvolutional(net, options),
  describe: describeConvolutional,
  reproduce: reproduceConvolutional,
  integral: (net) => net.activation === 'linear' && net.loss === 'mse',
};

export function describeConvolutionalObservation(claim: ConvolutionalClaim, o: ConvolutionalObservation): string {
  return describeObservationWith(convolutionalFamily, claim, o);
}

/** Measures the claim's quantity on one instance; undefined when the claim does not apply. */
export function observeConvolutional(claim: ConvolutionalClaim, net: Convolutional, instanceSeed: number): ConvolutionalObservation | undefined {
  return observeWith(convolutionalFamily, claim, net, instanceSeed);
}

/** Architecture ranges implied by a formula's domain (linear mse without bias for the CNN catalog). */
function rangesFor(claim: ConvolutionalClaim, ranges: ConvolutionalRanges): ConvolutionalRanges {
  let domain;
  try {
    domain = findFormula(claim.name).entry.domain;
  } catch {
    domain = { activation: ['linear'], loss: ['mse'], bias: false } as const;
  }
  const conditionDepth = /^L == (\d+)$/.exec(domain.condition ?? '');
  return {
    ...ranges,
    convolutions: ranges.convolutions ?? (conditionDepth ? [Number(conditionDepth[1]) - 1, Number(conditionDepth[1]) - 1] : undefined),
    bias: ranges.bias ?? domain.bias ?? 'any',
    loss: ranges.loss ?? (domain.loss?.length === 1 ? domain.loss[0] : 'any'),
    activation: ranges.activation ?? (domain.activation?.includes('linear') ? 'linear' : domain.activation?.[0]),
  };
}

export function convolutionalClaimProperty(
  claim: ConvolutionalClaim,
  ranges: ConvolutionalRanges,
  onObservation?: (o: ConvolutionalObservation | undefined) => void,
) {
  return claimPropertyWith(convolutionalFamily, claim, rangesFor(claim, ranges), onObservation);
}

/** verify for CNNs, with tightness by number of convolutions and the distance of missed bounds. */
export function verifyConvolutional(claim: ConvolutionalClaim, options: ConvolutionalVerifyOptions = {}): ConvolutionalVerifyResult {
  const byDepth: Record<number, [number, number]> = {};
  const gaps: Record<number, number[]> = {};
  const result = verifyWith(convolutionalFamily, claim, rangesFor(claim, options), options, (o) => {
    const depth = o.architecture.layers.length;
    byDepth[depth] ??= [0, 0];
    byDepth[depth]![0]++;
    if (o.measured === o.predicted) byDepth[depth]![1]++;
    else (gaps[depth] ??= []).push(o.predicted - o.measured);
  });
  return { ...result, byDepth, gaps };
}

/** A researcher's conjecture over the CNN vocabulary (formulas/cnn.json), e.g. "K * r" for HO. */
export function convolutionalConjectureClaim(source: string, quantity: Quantity, kind: FormulaKind = 'exact'): ConvolutionalClaim {
  const symbols = [...vocabulary.filter((s) => s !== 'l'), ...loadCatalogVocabulary()];
  return expressionClaim(source, quantity, kind, symbols, convolutionalScope);
}

/** The extra symbols formulas/cnn.json declares (those of the scope; HO and HF only exist for H formulas). */
function loadCatalogVocabulary(): string[] {
  return Object.keys(convolutionalSymbols).filter((s) => !['z', 'a', 'zp', 'HO', 'HF'].includes(s));
}
