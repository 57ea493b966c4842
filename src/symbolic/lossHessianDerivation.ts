/**
 * rank(H) of a deep linear network:
 *
 *   L = 1:  H_F = 0, so H = H_O and rank H = r K (K − 1 for cross-entropy)        (exact)
 *   L ≥ 2:  H = H_O + H_F, range H ⊆ range H_O + range H_F, so
 *           rank H ≤ rank H_O + rank H_F − dim(range H_O ∩ range H_F);
 *           [SBH21]: rank H ≤ 2q Σ_i M_i + q(r + K) − Lq², which is rank H_O + rank H_F − q(2s − q)
 *           (proven): the bound accounts for an overlap of q(2s − q) dimensions.
 */
import { constant, difference, power, product, sum, symbol, toTex, toText, type Expr } from './expression.js';
import { explicitClosedForm, proveForNetwork, type Derivation, type DerivationStep, type DerivedRank } from './derivation.js';
import { functionalRank } from './functionalDerivation.js';
import { outerProductRank, setupStep } from './outerProductDerivation.js';
import { proofSummary } from './proofText.js';
import { staircaseArea } from './subspaceChains.js';
import { bottleneck, dataOutputRank, hiddenWidths, outputRank, type SymbolicNetwork } from './symbolicNetwork.js';

const q = symbol('q');
const s = symbol('s');

export function lossHessianRank(net: SymbolicNetwork): DerivedRank {
  if (net.depth === 1) {
    const area = staircaseArea(net);
    return { quantity: 'H', kind: 'exact', structural: area, closedForm: area, definitions: [] };
  }
  const M = hiddenWidths(net.depth).map(symbol);
  const closedForm = difference(sum(product(constant(2), q, sum(...M)), product(q, sum(symbol('r'), outputRank(net)))), product(constant(net.depth), power(q, 2)));
  const definitions: [string, Expr][] = [['q', bottleneck(net)]];
  return { quantity: 'H', kind: 'upper-bound', structural: explicitClosedForm({ closedForm, definitions }), closedForm, definitions };
}

export function deriveLossHessian(net: SymbolicNetwork): Derivation {
  const steps: DerivationStep[] = [setupStep(net)];
  const result = lossHessianRank(net);
  if (net.depth === 1) {
    steps.push({
      kind: 'computation',
      title: 'no hidden layer',
      text: `With L = 1, f is linear in θ, so H_F = 0 and H = H_O; the H_O staircase has one rectangle: rank H = ${toText(result.structural)}.`,
      latex: `H = H_O,\\quad \\operatorname{rank} H = u_1 v_1 = ${toTex(result.structural)}`,
    });
    steps.push({ kind: 'result', title: 'rank of the loss Hessian', text: `rank H = ${toText(result.structural)}`, latex: `\\operatorname{rank} H = ${toTex(result.structural)}` });
    return { network: net, quantity: 'H', steps, results: [result] };
  }
  const outer = outerProductRank(net);
  const functional = functionalRank(net);
  steps.push({
    kind: 'computation',
    title: 'H is the sum of its two parts',
    text: 'H = H_O + H_F with both parts symmetric, so range H ⊆ range H_O + range H_F and rank H ≤ rank H_O + rank H_F − dim(range H_O ∩ range H_F).',
    latex: `\\operatorname{rank} H \\le \\operatorname{rank} H_O + \\operatorname{rank} H_F - \\dim(\\operatorname{range} H_O \\cap \\operatorname{range} H_F)`,
  });
  steps.push({
    kind: 'computation',
    title: 'the two parts',
    text: `From the H_O and H_F derivations: rank H_O = ${toText(outer.closedForm)}, rank H_F = ${toText(functional.closedForm)}, q = ${toText(bottleneck(net))}, s = ${toText(dataOutputRank(net))}.`,
    latex: `\\operatorname{rank} H_O = ${toTex(outer.closedForm)},\\quad \\operatorname{rank} H_F = ${toTex(functional.closedForm)}`,
  });
  steps.push({
    kind: 'theorem',
    title: 'the bound',
    text: `[SBH21]: rank H ≤ ${toText(result.closedForm)} (attained in their experiments and in this engine's exact measurements).`,
    latex: `\\operatorname{rank} H \\le ${toTex(result.closedForm)}`,
    cites: ['SBH21'],
  });
  const overlap = product(q, difference(product(constant(2), s), q));
  const sumOfParts = difference(sum(outer.closedForm, functional.closedForm), result.closedForm);
  const proof = proveForNetwork(net, sumOfParts, overlap);
  steps.push({
    kind: 'proof',
    title: 'what the bound leaves out',
    text: `${proofSummary(proof)}: rank H_O + rank H_F − (bound) = q(2s − q), so the bound is the sum of the parts less an overlap of q(2s − q) dimensions.`,
    latex: `${toTex(outer.closedForm)} + ${toTex(functional.closedForm)} - \\big(${toTex(result.closedForm)}\\big) = ${toTex(overlap)}`,
    proof,
  });
  steps.push({
    kind: 'measured',
    title: 'the overlap',
    text: 'Exact measurements find rank H = rank[H_O H_F] and dim(range H_O ∩ range H_F) = q(2s − q) (proofs-tests/symbolic/structureMeasured.test.ts); not proven here.',
    latex: `\\dim(\\operatorname{range} H_O \\cap \\operatorname{range} H_F) = q\\,(2s - q)`,
  });
  steps.push({
    kind: 'result',
    title: 'rank of the loss Hessian (upper bound)',
    text: `rank H ≤ ${toText(result.closedForm)}, q = ${toText(bottleneck(net))}`,
    latex: `\\operatorname{rank} H \\le ${toTex(result.closedForm)},\\quad q = ${toTex(bottleneck(net))}`,
  });
  return { network: net, quantity: 'H', steps, results: [result] };
}
