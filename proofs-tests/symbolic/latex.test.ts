/**
 * Every piece of LaTeX the symbolic layer emits renders with KaTeX (throwOnError: true): each
 * derivation step for every quantity, loss and bias at depths 1–6, the uniform family, the
 * asymptotics, the case lists of proofs and counterexamples, and the derive/prove --latex output.
 */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { asymptotics, growthTex } from '../../src/symbolic/asymptotics.js';
import type { Quantity } from '../../src/symbolic/derivation.js';
import { derive } from '../../src/symbolic/deriveRank.js';
import { parseExpression, toTex } from '../../src/symbolic/expression.js';
import { decideIdentity } from '../../src/symbolic/minPolynomialIdentity.js';
import { identityTex } from '../../src/symbolic/proofText.js';
import { deriveUniformFamily } from '../../src/symbolic/uniformFamily.js';

function expectRenders(latex: string, where: string): void {
  let error: unknown;
  try {
    katex.renderToString(latex, { throwOnError: true, displayMode: true });
  } catch (e) {
    error = e;
  }
  expect(error, `${where}: ${latex}`).toBeUndefined();
}

describe('LaTeX parses with KaTeX', () => {
  const cases: [Quantity, 'mse' | 'ce', boolean][] = [
    ['HO', 'mse', false], ['HO', 'ce', false], ['HO', 'mse', true], ['HO_block', 'mse', false], ['HO_block', 'mse', true],
    ['HF', 'mse', false], ['HF', 'ce', false], ['H', 'mse', false], ['H', 'ce', false],
  ];
  for (const [quantity, loss, bias] of cases) {
    it(`derivation steps: ${quantity}, ${loss}${bias ? ', bias' : ''}, depths 1–6`, () => {
      for (let depth = 1; depth <= 6; depth++) {
        const derivation = derive({ depth, loss, bias }, quantity);
        derivation.steps.forEach((step, i) => {
          expectRenders(step.latex, `depth ${depth} step ${i + 1} (${step.title})`);
          if (step.proof) identityTex(step.proof).forEach((line) => expectRenders(line, `depth ${depth} step ${i + 1} proof`));
        });
        for (const r of derivation.results) expectRenders(toTex(r.closedForm), `depth ${depth} result`);
      }
    });
  }

  it('the uniform family and the asymptotics', () => {
    for (const loss of ['mse', 'ce'] as const) {
      for (const quantity of ['HO', 'HF', 'H'] as const) for (const step of deriveUniformFamily(loss, quantity).steps) expectRenders(step.latex, `family ${quantity} ${step.title}`);
      for (const [regime, depth] of [['width', undefined], ['width', 2], ['width', 4], ['depth', undefined]] as const) {
        const report = asymptotics(regime, loss, depth);
        for (const g of report.growth) expectRenders(growthTex(g, report.variable), `${regime} ${g.name}`);
        expectRenders(report.ratio.tex, `${regime} ratio`);
        expectRenders(report.law.tex, `${regime} law`);
      }
    }
  });

  it('counterexamples, comparisons, sums and absolute values', () => {
    const refuted = decideIdentity(parseExpression('max(a, b) - min(a, b)'), parseExpression('abs(a - b) + (a == b)'));
    identityTex(refuted).forEach((line) => expectRenders(line, 'refutation'));
    // inequalities (with products inside min) and an undecided answer
    const inequality = decideIdentity(parseExpression('min(c * k, n)'), parseExpression('c * k'), { relation: '<=' });
    identityTex(inequality).forEach((line) => expectRenders(line, 'inequality'));
    const undecided = decideIdentity(parseExpression('a^2 - 3*a*b + 3*b^2'), parseExpression('1'), { relation: '>=' });
    expect(undecided.verdict).toBe('unknown');
    identityTex(undecided).forEach((line) => expectRenders(line, 'unknown'));
    for (const e of ['sum(M[i], i, 1, L - 1)', '(K - q) * (q < r)', 'abs(M1 - K) / 2', 'min(r, M1, K - 1)^2', '-(a - b)']) {
      expectRenders(toTex(parseExpression(e, { catalog: true })), e);
    }
  });

  it('derive --latex and prove --latex print lines of display math that render', async () => {
    for (const argv of [
      ['derive', '--depth', '3', '--latex', '--assume', 'M1 <= r', '--assume', 'M1 <= M2', '--assume', 'M1 <= K'],
      ['derive', '--uniform', '--latex'],
      ['derive', '--asymptotic', 'width', '--latex'],
      ['prove', 'min(a, b) + max(a, b)', 'a + b', '--latex'],
      ['prove', 'min(a, b)^2', 'min(a^2, b^2)', '--latex'],
      ['prove', 'min(a + b, c)', 'min(a, c) + min(b, c)', '--relation', '<=', '--latex'],
    ]) {
      const out: string[] = [];
      const code = await main(argv, { out: (l) => out.push(...l.split('\n')), err: () => {}, isTTY: false });
      expect(code, argv.join(' ')).toBe(0);
      const math = out.filter((l) => l.startsWith('\\['));
      expect(math.length).toBeGreaterThan(0);
      for (const line of math) expectRenders(line.replace(/^\\\[\s*/, '').replace(/\s*\\\]$/, ''), argv.join(' '));
    }
  });
});
