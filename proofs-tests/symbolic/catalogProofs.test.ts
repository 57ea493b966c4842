/**
 * Every catalog formula for deep linear networks equals the expression derived from structure,
 * for depths 1–6, as proven by the min-polynomial decision procedure:
 *   H_O (MSE, CE, and the bias entries), the diagonal blocks of H_O (MSE, bias), H_F, H and the
 *   one-layer entries. The uniform family agrees with the catalog at depths 2–6 (every M_i = M).
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { proveAgainstCatalog, type CatalogProof, type Quantity } from '../../src/symbolic/derivation.js';
import { derive } from '../../src/symbolic/deriveRank.js';
import { toText } from '../../src/symbolic/expression.js';
import { proofSummary } from '../../src/symbolic/proofText.js';
import type { SymbolicNetwork } from '../../src/symbolic/symbolicNetwork.js';
import { deriveUniformFamily, proveFamilyAgainstCatalog } from '../../src/symbolic/uniformFamily.js';

const depths = [1, 2, 3, 4, 5, 6];

/** the networks each derivation covers */
const covered: { quantity: Quantity; loss: 'mse' | 'ce'; bias: boolean; depths: number[] }[] = [
  { quantity: 'HO', loss: 'mse', bias: false, depths },
  { quantity: 'HO', loss: 'ce', bias: false, depths },
  { quantity: 'HO', loss: 'mse', bias: true, depths },
  { quantity: 'HO', loss: 'ce', bias: true, depths },
  { quantity: 'HO_block', loss: 'mse', bias: false, depths },
  { quantity: 'HO_block', loss: 'mse', bias: true, depths },
  { quantity: 'HF', loss: 'mse', bias: false, depths },
  { quantity: 'HF', loss: 'ce', bias: false, depths },
  { quantity: 'H', loss: 'mse', bias: false, depths },
  { quantity: 'H', loss: 'ce', bias: false, depths },
  { quantity: 'HF', loss: 'mse', bias: true, depths: [1] },
  { quantity: 'H', loss: 'mse', bias: true, depths: [1] },
  { quantity: 'H', loss: 'ce', bias: true, depths: [1] },
];

const proven = new Set<string>();

function explain(net: SymbolicNetwork, p: CatalogProof): string {
  return `${p.id} at depth ${net.depth}${p.layer ? `, layer ${p.layer}` : ''}: ${proofSummary(p.result)}; derived ${toText(p.result.lhs)}, catalog ${toText(p.result.rhs)}`;
}

describe('each derived rank is proven equal to its catalog entry', () => {
  for (const { quantity, loss, bias, depths: ds } of covered) {
    it(`${quantity}, ${loss}${bias ? ', with bias' : ''}, depths ${ds.join(', ')}`, () => {
      for (const depth of ds) {
        const net: SymbolicNetwork = { depth, loss, bias };
        const proofs = proveAgainstCatalog(derive(net, quantity));
        expect(proofs.length, `no catalog entry applies to ${quantity} at depth ${depth}`).toBeGreaterThan(0);
        for (const p of proofs) {
          expect(p.result.verdict, explain(net, p)).toBe('proven');
          proven.add(p.id);
        }
      }
    });
  }

  it('covers every deep-linear formula without bias, and the bias formulas for H_O and its blocks', () => {
    const required = ['linear-mse-HO', 'linear-mse-HF', 'linear-mse-H', 'linear-mse-L1-HF', 'linear-mse-L1-H', 'linear-ce-HO', 'linear-ce-HF', 'linear-ce-H', 'linear-ce-L1-H', 'linear-mse-HO-block'];
    const biasEntries = loadCatalog()
      .filter((f) => f.entry.id.startsWith('linear-bias') && ['HO', 'HO_block'].includes(f.entry.quantity))
      .map((f) => f.entry.id);
    for (const id of [...required, ...biasEntries]) expect(proven.has(id), `${id} was not proven by any derivation`).toBe(true);
  });
});

describe('the uniform family (depth L, width M) agrees with the catalog at depths 2–6', () => {
  for (const loss of ['mse', 'ce'] as const) {
    for (const quantity of ['HO', 'HF', 'H'] as const) {
      it(`${quantity}, ${loss}`, () => {
        const family = deriveUniformFamily(loss, quantity);
        for (const step of family.steps) if (step.proof) expect(step.proof.verdict, step.title).toBe('proven');
        const proofs = proveFamilyAgainstCatalog(family);
        expect(proofs.map((p) => p.depth).sort()).toEqual(expect.arrayContaining([2, 3, 4, 5, 6]));
        for (const p of proofs) expect(p.result.verdict, `${p.id} at depth ${p.depth}: ${proofSummary(p.result)}`).toBe('proven');
      });
    }
  }
});
