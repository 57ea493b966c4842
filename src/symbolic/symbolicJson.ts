/**
 * JSON shapes of the symbolic layer's answers (docs/cli.md#derive, #prove): derivations with
 * their steps, results, simplifications and catalog proofs; identity proofs and counterexamples.
 */
import { toTex, toText } from './expression.js';
import type { CatalogProof, Derivation, DerivationStep, DerivedRank } from './derivation.js';
import { explicitClosedForm } from './derivation.js';
import type { IdentityResult } from './minPolynomialIdentity.js';
import type { SimplifiedRank } from './simplifiedRank.js';
import { symbolTex } from './expression.js';

export function identityJson(result: IdentityResult, withCases = true): Record<string, unknown> {
  const base = {
    verdict: result.verdict,
    relation: result.relation,
    lhs: toText(result.lhs),
    rhs: toText(result.rhs),
    symbols: result.symbols,
    assumptions: result.assumptions,
  };
  if (result.verdict === 'proven') {
    return {
      ...base,
      caseCount: result.cases.length,
      ...(withCases
        ? {
            cases: result.cases.map((c) => ({
              conditions: c.conditions.map((x) => x.text),
              values: c.choices.map((x) => x.text),
              polynomial: c.lhs.toString(),
              ...(result.relation === '==' ? {} : { rhsPolynomial: c.rhs.toString(), certificate: c.certificate }),
              latex: `${c.conditions.map((x) => x.tex).join(',\\ ')} \\Rightarrow ${c.lhs.toTex(symbolTex)}`,
            })),
          }
        : {}),
    };
  }
  if (result.verdict === 'unknown') {
    return {
      ...base,
      reason: result.reason,
      provenCases: result.cases.length,
      open: result.open.map(({ case: c, reason }) => ({
        conditions: c.conditions.map((x) => x.text),
        values: c.choices.map((x) => x.text),
        lhs: c.lhs.toString(),
        rhs: c.rhs.toString(),
        reason,
      })),
    };
  }
  return {
    ...base,
    point: result.point,
    lhsValue: result.lhsValue,
    rhsValue: result.rhsValue,
    failingCase: {
      conditions: result.failingCase.conditions.map((x) => x.text),
      values: result.failingCase.choices.map((x) => x.text),
      lhs: result.failingCase.lhs.toString(),
      rhs: result.failingCase.rhs.toString(),
    },
  };
}

export function stepJson(step: DerivationStep, withCases: boolean): Record<string, unknown> {
  return {
    kind: step.kind,
    title: step.title,
    text: step.text,
    latex: step.latex,
    ...(step.cites ? { cites: step.cites } : {}),
    ...(step.proof ? { proof: identityJson(step.proof, withCases) } : {}),
  };
}

export function rankJson(result: DerivedRank): Record<string, unknown> {
  return {
    quantity: result.quantity,
    ...(result.layer !== undefined ? { layer: result.layer } : {}),
    kind: result.kind,
    closedForm: toText(result.closedForm),
    latex: toTex(result.closedForm),
    definitions: Object.fromEntries(result.definitions.map(([n, v]) => [n, toText(v)])),
    explicit: toText(explicitClosedForm(result)),
    structural: toText(result.structural),
  };
}

export function simplifiedJson(s: SimplifiedRank, withCases: boolean): Record<string, unknown> {
  return {
    closedForm: toText(s.closedForm),
    definitions: Object.fromEntries(s.definitions.map(([n, v]) => [n, toText(v)])),
    explicit: toText(s.explicit),
    latex: toTex(s.explicit),
    polynomial: s.polynomial?.toString() ?? null,
    proof: identityJson(s.proof, withCases),
  };
}

export function catalogProofJson(p: CatalogProof, withCases: boolean): Record<string, unknown> {
  return {
    id: p.id,
    ...(p.layer !== undefined ? { layer: p.layer } : {}),
    conditions: p.conditions.map(toText),
    proof: identityJson(p.result, withCases),
  };
}

export function derivationJson(
  derivation: Derivation,
  catalog: CatalogProof[],
  simplified: (SimplifiedRank | undefined)[],
  withCases: boolean,
): Record<string, unknown> {
  return {
    quantity: derivation.quantity,
    steps: derivation.steps.map((s) => stepJson(s, withCases)),
    results: derivation.results.map((r, i) => ({
      ...rankJson(r),
      ...(simplified[i] ? { underAssumptions: simplifiedJson(simplified[i]!, withCases) } : {}),
      catalog: catalog.filter((c) => c.layer === r.layer).map((c) => catalogProofJson(c, withCases)),
    })),
  };
}
