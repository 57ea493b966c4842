/**
 * Proofs and counterexamples of the decision procedure as text and LaTeX: a one-line summary,
 * and the full case list (each case: its conditions, the atoms' values, the common polynomial);
 * and the steps of a derivation as numbered lines of text or LaTeX.
 */
import type { DerivationStep } from './derivation.js';
import { toTex, toText } from './expression.js';
import type { IdentityResult, ProofCase, SideRelation } from './minPolynomialIdentity.js';

const relationText: Record<SideRelation, [string, string]> = {
  '==': ['=', '='],
  '<=': ['<=', '\\le'],
  '<': ['<', '<'],
  '>=': ['>=', '\\ge'],
  '>': ['>', '>'],
};

const texSymbol = (name: string): string => {
  const m = /^([A-Za-z])(\d+)$/.exec(name);
  return m ? `${m[1]}_{${m[2]}}` : name.length === 1 ? name : `\\mathrm{${name}}`;
};

export function proofSummary(result: IdentityResult): string {
  if (result.verdict === 'proven') {
    const n = result.cases.length;
    return `proven by the decision procedure (${n} case${n === 1 ? '' : 's'})`;
  }
  if (result.verdict === 'unknown') return `unknown: ${result.reason}`;
  return `refuted: at ${pointText(result.point)} the left side is ${result.lhsValue} and the right side ${result.rhsValue}`;
}

export function pointText(point: Record<string, number>): string {
  return Object.entries(point)
    .map(([s, v]) => `${s} = ${v}`)
    .join(', ');
}

export function caseText(c: ProofCase, index: number, relation: SideRelation = '=='): string {
  const when = c.conditions.length > 0 ? c.conditions.map((x) => x.text).join(', ') : 'always';
  const values = c.choices.length > 0 ? `; ${c.choices.map((x) => x.text).join(', ')}` : '';
  if (relation === '==') return `case ${index + 1}: ${when}${values}  ⇒  both sides = ${c.lhs}`;
  const because = c.certificate ? `  (${c.certificate})` : '';
  return `case ${index + 1}: ${when}${values}  ⇒  ${c.lhs} ${relationText[relation][0]} ${c.rhs}${because}`;
}

export function caseTex(c: ProofCase, relation: SideRelation = '=='): string {
  const when = c.conditions.length > 0 ? c.conditions.map((x) => x.tex).join(',\\ ') : '\\text{always}';
  if (relation === '==') return `${when} \\;\\Rightarrow\\; ${c.lhs.toTex(texSymbol)}`;
  return `${when} \\;\\Rightarrow\\; ${c.lhs.toTex(texSymbol)} ${relationText[relation][1]} ${c.rhs.toTex(texSymbol)}`;
}

/** The proof or counterexample as lines of text. */
export function identityText(result: IdentityResult): string[] {
  const lines = [`${toText(result.lhs)}  ${relationText[result.relation][0]}  ${toText(result.rhs)}`];
  lines.push(`for all positive integers ${result.symbols.join(', ')}${result.assumptions.length > 0 ? ` with ${result.assumptions.join(', ')}` : ''}`);
  if (result.verdict === 'proven') {
    lines.push(`PROVEN: ${result.cases.length} case${result.cases.length === 1 ? '' : 's'} (the orderings of the symbols inside min/max that matter; ties go to the first argument)`);
    result.cases.forEach((c, i) => lines.push(`  ${caseText(c, i, result.relation)}`));
  } else if (result.verdict === 'unknown') {
    lines.push(`UNKNOWN: ${result.reason}`);
    lines.push(`  ${result.cases.length} case${result.cases.length === 1 ? '' : 's'} proven, ${result.open.length} open`);
    result.open.slice(0, 5).forEach(({ case: c, reason }) => {
      lines.push(`  open: ${c.conditions.map((x) => x.text).join(', ') || '(no split)'}${c.choices.length ? `; ${c.choices.map((x) => x.text).join(', ')}` : ''}`);
      lines.push(`    ${reason}`);
    });
    if (result.open.length > 5) lines.push(`  … and ${result.open.length - 5} more open cases`);
  } else {
    lines.push(`REFUTED: counterexample ${pointText(result.point)}`);
    lines.push(`  left side = ${result.lhsValue}, right side = ${result.rhsValue}`);
    const c = result.failingCase;
    lines.push(`  in the case ${c.conditions.map((x) => x.text).join(', ') || '(no split)'}${c.choices.length ? `; ${c.choices.map((x) => x.text).join(', ')}` : ''}`);
    lines.push(`  where the left side is ${c.lhs} and the right side ${c.rhs}`);
  }
  return lines;
}

/** The proof or counterexample in LaTeX (math mode lines). */
export function identityTex(result: IdentityResult): string[] {
  const lines = [`${toTex(result.lhs)} ${relationText[result.relation][1]} ${toTex(result.rhs)}`];
  if (result.verdict === 'proven') {
    for (const c of result.cases) lines.push(caseTex(c, result.relation));
  } else if (result.verdict === 'unknown') {
    lines.push(`\\text{undecided: ${result.open.length} open case${result.open.length === 1 ? '' : 's'}${result.open.length === 0 ? ' (too many cases)' : ''}}`);
  } else {
    const point = Object.entries(result.point).map(([s, v]) => `${texSymbol(s)} = ${v}`).join(',\\ ');
    lines.push(`\\text{counterexample: } ${point}:\\quad ${result.lhsValue} \\ne ${result.rhsValue}`);
  }
  return lines;
}

/** A derivation step as text: "n. (kind [cites]) title", its statement, and with showCases every case of its proof. */
export function stepLines(step: DerivationStep, index: number, showCases: boolean): string[] {
  const cites = step.cites ? ` [${step.cites.join(', ')}]` : '';
  const lines = [`${String(index + 1).padStart(2)}. (${step.kind}${cites}) ${step.title}`, `    ${step.text}`];
  if (showCases && step.proof?.verdict === 'proven') step.proof.cases.forEach((c, i) => lines.push(`      ${caseText(c, i)}`));
  return lines;
}

/** A derivation step as LaTeX: a comment "% n. (kind [cites]) title" and its statement in display math. */
export function stepTexLines(step: DerivationStep, index: number): string[] {
  return [`% ${index + 1}. (${step.kind}${step.cites ? ` [${step.cites.join(', ')}]` : ''}) ${step.title}`, `\\[ ${step.latex} \\]`];
}
