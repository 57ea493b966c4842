/**
 * Leading-order growth of rank, p and rank/p for the uniform family (depth L, hidden width M):
 *
 *   width  (M → ∞, L, d, K, r fixed; M ≥ s so q = s):
 *          rank H ~ 2s(L − 1)·M,  p ~ (L − 2)·M²  (L ≥ 3),  rank/p ~ 2s(L − 1)/((L − 2)M) → 0,
 *          rank H ~ 2s(L − 1)/√(L − 2) · √p          — the √p law;
 *   depth  (L → ∞, M, d, K, r fixed):
 *          rank H ~ q(2M − q)·L,  p ~ M²·L,  rank/p → q(2M − q)/M²  — rank linear in p.
 *
 * Computed from the family's closed forms as polynomials in the growing variable.
 */
import type { Loss } from '../architecture/fullyConnected.js';
import { InputError } from '../errors.js';
import { constant, substitute, symbol, symbolTex, toText, type Expr } from './expression.js';
import { MinPolynomialCompiler } from './minPolynomial.js';
import { Polynomial } from './polynomial.js';
import * as Q from './rational.js';
import { familyParameters, familyRank } from './uniformFamily.js';

export type Regime = 'width' | 'depth';

export interface Growth {
  /** "rank H", "rank H_O", "rank H_F", "p" */
  name: string;
  tex: string;
  /** the exact expression in the regime (q = s substituted for width) */
  exact: Polynomial;
  /** leading term: coefficient · variable^degree */
  coefficient: Polynomial;
  degree: number;
}

export interface AsymptoticReport {
  regime: Regime;
  variable: 'M' | 'L';
  loss: Loss;
  depth?: number;
  assumptions: string[];
  growth: Growth[];
  /** rank H / p ~ ratio · variable^ratioDegree */
  ratio: { text: string; tex: string; degree: number };
  /** rank H as a function of p at leading order */
  law: { text: string; tex: string; exponent: string };
}

function polynomialOf(e: Expr): Polynomial {
  const compiler = new MinPolynomialCompiler();
  const skeleton = compiler.compile(e);
  if (skeleton.kind !== 'poly') throw new Error(`internal: ${toText(e)} is not a polynomial`);
  return skeleton.poly;
}

/** c as text/LaTeX, with its content factored out: 2Ls − 2s → 2 * s * (L - 1); `compound` if it is a sum */
function factored(c: Polynomial): { text: string; tex: string; compound: boolean } {
  const { factor, quotient } = c.content();
  const tex = (p: Polynomial) => p.toTex(symbolTex);
  if (quotient.equals(Polynomial.one)) return { text: factor.toString(), tex: tex(factor), compound: false };
  if (factor.equals(Polynomial.one)) return { text: quotient.toString(), tex: tex(quotient), compound: quotient.termCount() > 1 };
  const several = quotient.termCount() > 1;
  return {
    text: `${factor} * ${several ? `(${quotient})` : quotient}`,
    tex: `${tex(factor)}\\,${several ? `\\left(${tex(quotient)}\\right)` : tex(quotient)}`,
    compound: false,
  };
}

const paren = (f: { text: string; compound: boolean }) => (f.compound ? `(${f.text})` : f.text);
const parenTex = (f: { tex: string; compound: boolean }) => (f.compound ? `\\left(${f.tex}\\right)` : f.tex);

function leading(name: string, tex: string, exact: Polynomial, variable: string): Growth {
  const degree = exact.degreeIn(variable);
  return { name, tex, exact, coefficient: exact.coefficientOf(variable, degree), degree };
}

function powerText(variable: string, degree: number): { text: string; tex: string } {
  if (degree === 0) return { text: '', tex: '' };
  if (degree === 1) return { text: variable, tex: symbolTex(variable) };
  return { text: `${variable}^${degree}`, tex: `${symbolTex(variable)}^{${degree}}` };
}

export function asymptotics(regime: Regime, loss: Loss, depth?: number): AsymptoticReport {
  if (depth !== undefined && regime === 'depth') throw new InputError('--asymptotic depth lets the depth grow; drop --depth');
  if (depth !== undefined && depth < 2) throw new InputError('--asymptotic width needs a depth ≥ 2 (a hidden layer to widen)');
  const variable = regime === 'width' ? 'M' : 'L';
  const fix = (e: Expr): Expr => {
    let x = e;
    if (regime === 'width') x = substitute(x, { q: symbol('s') }); // M ≥ s makes q = min(r, M, K) = s
    if (depth !== undefined) x = substitute(x, { L: constant(depth) });
    return x;
  };
  const names: [string, string, 'H' | 'HO' | 'HF'][] = [
    ['rank H', '\\operatorname{rank} H', 'H'],
    ['rank H_O', '\\operatorname{rank} H_O', 'HO'],
    ['rank H_F', '\\operatorname{rank} H_F', 'HF'],
  ];
  const growth = names.map(([name, tex, quantity]) => leading(name, tex, polynomialOf(fix(familyRank(loss, quantity).closedForm)), variable));
  growth.push(leading('p', 'p', polynomialOf(fix(familyParameters())), variable));
  const rank = growth[0]!;
  const p = growth[3]!;
  const ratioDegree = rank.degree - p.degree;
  // a constant denominator is divided out: 6s / (2M) reads 3s / M
  const constantBottom = p.coefficient.constantValue();
  const top = factored(constantBottom ? rank.coefficient.scale(Q.divide(Q.one, constantBottom)) : rank.coefficient);
  const bottom = factored(constantBottom ? Polynomial.one : p.coefficient);
  const lawTop = factored(rank.coefficient);
  const lawBottom = factored(p.coefficient);
  const up = powerText(variable, Math.max(0, ratioDegree));
  const down = powerText(variable, Math.max(0, -ratioDegree));
  const numerator = { text: [paren(top), up.text].filter(Boolean).join(' * '), tex: [parenTex(top), up.tex].filter(Boolean).join('\\,') };
  const denominatorParts = [bottom.text === '1' ? '' : paren(bottom), down.text].filter(Boolean);
  const denominator = {
    text: denominatorParts.length > 1 ? `(${denominatorParts.join(' * ')})` : denominatorParts.join(''),
    tex: [bottom.tex === '1' ? '' : bottom.tex, down.tex].filter(Boolean).join('\\,'),
  };
  const ratio = {
    degree: ratioDegree,
    text: denominator.text ? `${numerator.text} / ${denominator.text}` : numerator.text,
    tex: denominator.tex ? `\\frac{${numerator.tex}}{${denominator.tex}}` : numerator.tex,
  };
  // rank ~ c_r v^a, p ~ c_p v^b  ⇒  rank ~ c_r / c_p^{a/b} · p^{a/b}
  const a = rank.degree;
  const b = p.degree;
  let law: AsymptoticReport['law'];
  if (a === b) {
    const unit = bottom.text === '1';
    law = {
      exponent: '1',
      text: `rank H ≈ ${paren(top)}${unit ? '' : ` / ${bottom.text.includes(' ') ? `(${bottom.text})` : bottom.text}`} * p`,
      tex: `\\operatorname{rank} H \\approx ${unit ? parenTex(top) : `\\frac{${top.tex}}{${bottom.tex}}`}\\,p`,
    };
  } else if (2 * a === b) {
    const unit = lawBottom.text === '1';
    law = {
      exponent: '1/2',
      text: `rank H ≈ ${paren(lawTop)}${unit ? '' : ` / sqrt(${lawBottom.text})`} * sqrt(p)`,
      tex: `\\operatorname{rank} H \\approx ${unit ? parenTex(lawTop) : `\\frac{${lawTop.tex}}{\\sqrt{${lawBottom.tex}}}`}\\,\\sqrt{p}`,
    };
  } else {
    law = {
      exponent: `${a}/${b}`,
      text: `rank H ≈ ${paren(lawTop)} / (${lawBottom.text})^(${a}/${b}) * p^(${a}/${b})`,
      tex: `\\operatorname{rank} H \\approx \\frac{${lawTop.tex}}{(${lawBottom.tex})^{${a}/${b}}}\\,p^{${a}/${b}}`,
    };
  }
  const assumptions =
    regime === 'width'
      ? [
          `M → ∞ with ${depth !== undefined ? `L = ${depth}` : 'L ≥ 3 (at L = 2, p = (d + K)M is linear in M: use --depth 2)'}, d, K, r fixed`,
          'M ≥ s, so q = min(r, M, K) = s = min(r, K)' + (loss === 'ce' ? ' (K − 1 for cross-entropy)' : ''),
        ]
      : ['L → ∞ with M, d, K, r fixed', `q = min(r, M, ${loss === 'ce' ? 'K − 1' : 'K'}) and s = min(r, ${loss === 'ce' ? 'K − 1' : 'K'}) stay fixed`];
  return { regime, variable, loss, depth, assumptions, growth, ratio, law };
}

/** one growth row as text: "rank H = … ~ c * M" */
export function growthText(g: Growth, variable: string): string {
  const lead = factored(g.coefficient);
  const v = powerText(variable, g.degree);
  const leadText = g.degree === 0 ? lead.text : `${lead.text === '1' ? '' : `${paren(lead)} * `}${v.text}`;
  return `${g.name} = ${g.exact}  ~  ${leadText}`;
}

export function growthTex(g: Growth, variable: string): string {
  const lead = factored(g.coefficient);
  const v = powerText(variable, g.degree);
  const leadTex = g.degree === 0 ? lead.tex : `${lead.tex === '1' ? '' : `${parenTex(lead)}\\,`}${v.tex}`;
  return `${g.tex} = ${g.exact.toTex(symbolTex)} \\sim ${leadTex}`;
}
