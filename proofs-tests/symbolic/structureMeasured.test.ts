/**
 * The derivations' structural claims against exact measurements (integer instances, ranks over
 * Z/PZ for the engine's two primes, the larger of the two taken: rank mod P never exceeds the
 * rank over Q), on random small linear MSE networks:
 *   rank H_O = the staircase area Σ_l (u_l − u_{l−1}) v_l (with and without bias);
 *   rank H_O[l, l] = u_l v_l;
 *   block (l, m) of H_F has rank min(s, M_1..M_{l−1}, M_m..M_{L−1}) · min(M_l..M_{m−1});
 *   rank H_F ≤ Σ_l dim P_l (the structural bound), with equality when every hidden width ≥ s;
 *   block row l of H_F has rank q(M'_l + M'_{l−1} − q), M'_0 = M'_L = s, and rank H_F is their sum
 *   (the per-layer reading stated as "measured" in the H_F derivation);
 *   rank H = rank[H_O H_F], and dim(range H_O ∩ range H_F) = q(2s − q) (the "measured" overlap step).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullyConnected, type FullyConnected } from '../../src/architecture/fullyConnected.js';
import { exactFields, rankModPrime } from '../../src/linalg/index.js';
import { LinearNetworkHessian } from '../../src/numeric/linearNetworkHessian.js';
import { transpose, type Matrix } from '../../src/numeric/matrix.js';
import { sampleInstance } from '../../src/numeric/networkInstance.js';
import type { Expr } from '../../src/symbolic/expression.js';
import { substitute } from '../../src/symbolic/expression.js';
import { functionalBlockRank, functionalStructuralBound } from '../../src/symbolic/functionalDerivation.js';
import { layerBlockRank } from '../../src/symbolic/layerBlockDerivation.js';
import { evaluateExpression } from '../../src/symbolic/minPolynomial.js';
import { staircaseArea } from '../../src/symbolic/subspaceChains.js';
import { dataOutputRank, hiddenWidths, type SymbolicNetwork } from '../../src/symbolic/symbolicNetwork.js';

interface Measured {
  net: FullyConnected;
  point: Record<string, number>;
  HO: number;
  HF: number;
  H: number;
  sumOfRanges: number;
  blockRows: number[];
  blocks: number[];
  /** rank of H_F's block (l, m), l < m, keyed "l,m" */
  functionalBlocks: Record<string, number>;
}

function rows(m: Matrix, from: number, to: number): Matrix {
  return { rows: to - from, cols: m.cols, data: m.data.slice(from * m.cols, to * m.cols) };
}

function columns(m: Matrix, from: number, to: number): Matrix {
  const out = { rows: m.rows, cols: to - from, data: new Float64Array(m.rows * (to - from)) };
  for (let i = 0; i < m.rows; i++) out.data.set(m.data.subarray(i * m.cols + from, i * m.cols + to), i * (to - from));
  return out;
}

function besideEachOther(a: Matrix, b: Matrix): Matrix {
  const out = { rows: a.rows, cols: a.cols + b.cols, data: new Float64Array(a.rows * (a.cols + b.cols)) };
  for (let i = 0; i < a.rows; i++) {
    out.data.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * out.cols);
    out.data.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * out.cols + a.cols);
  }
  return out;
}

/** exact ranks of the parts, of the block rows of H_F and of the diagonal blocks of H_O = FᵀF (rank of F's column block) */
function measure(widths: number[], samples: number, bias: boolean, seed: number): Measured {
  const net = fullyConnected({ widths, samples, bias });
  const instance = sampleInstance(net, { seed, integer: true });
  const L = widths.length - 1;
  const point: Record<string, number> = { d: widths[0]!, K: widths[L]!, N: samples, r: Math.min(samples, widths[0]!) };
  hiddenWidths(L).forEach((name, i) => (point[name] = widths[i + 1]!));
  // every rank over each prime field, built in that field; the larger value is kept
  const perField = exactFields.map((field) => {
    const builder = new LinearNetworkHessian(instance, field);
    const parts = builder.parts();
    const bounds = [...builder.offsets, parts.parameters];
    const rank = (m: Matrix) => rankModPrime(m, field);
    return {
      HO: rank(parts.jacobian),
      HF: rank(parts.functional),
      H: rank(parts.hessian),
      sumOfRanges: rank(besideEachOther(transpose(parts.jacobian), parts.functional)),
      blockRows: Array.from({ length: L }, (_, l) => rank(rows(parts.functional, bounds[l]!, bounds[l + 1]!))),
      blocks: Array.from({ length: L }, (_, l) => rank(columns(parts.jacobian, bounds[l]!, bounds[l + 1]!))),
      functionalBlocks: Object.fromEntries(
        pairs(L).map(([l, m]) => [`${l},${m}`, rank(columns(rows(parts.functional, bounds[l - 1]!, bounds[l]!), bounds[m - 1]!, bounds[m]!))]),
      ),
    };
  });
  const larger = (a: number[], b: number[]) => a.map((x, i) => Math.max(x, b[i]!));
  const [a, b] = perField as [(typeof perField)[0], (typeof perField)[0]];
  return {
    net,
    point,
    HO: Math.max(a.HO, b.HO),
    HF: Math.max(a.HF, b.HF),
    H: Math.max(a.H, b.H),
    sumOfRanges: Math.max(a.sumOfRanges, b.sumOfRanges),
    blockRows: larger(a.blockRows, b.blockRows),
    blocks: larger(a.blocks, b.blocks),
    functionalBlocks: Object.fromEntries(Object.entries(a.functionalBlocks).map(([k, v]) => [k, Math.max(v, b.functionalBlocks[k]!)])),
  };
}

function pairs(L: number): [number, number][] {
  const result: [number, number][] = [];
  for (let l = 1; l <= L; l++) for (let m = l + 1; m <= L; m++) result.push([l, m]);
  return result;
}

const value = (e: Expr, point: Record<string, number>): number => Number(evaluateExpression(e, point).n);

const architecture = fc.record({
  widths: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 3, maxLength: 5 }),
  samples: fc.integer({ min: 1, max: 7 }),
  seed: fc.integer({ min: 0, max: 1000 }),
});

describe('structural claims agree with exact measurements', () => {
  it('rank H_O is the staircase area; each diagonal block has rank u_l v_l (with and without bias)', () => {
    fc.assert(
      fc.property(architecture, fc.boolean(), ({ widths, samples, seed }, bias) => {
        const m = measure(widths, samples, bias, seed);
        const net: SymbolicNetwork = { depth: widths.length - 1, loss: 'mse', bias };
        const where = `${widths.join('-')}, N=${samples}${bias ? ', bias' : ''}`;
        expect(m.HO, `rank H_O at ${where}`).toBe(value(staircaseArea(net), m.point));
        m.blocks.forEach((b, i) => expect(b, `block ${i + 1} at ${where}`).toBe(value(layerBlockRank(net, i + 1).structural, m.point)));
      }),
      { numRuns: 60 },
    );
  });

  it('H_F: block ranks as derived; the structural bound holds (tight without a narrow layer); block rows have rank q(M′_l + M′_{l−1} − q) and add up; the overlap with H_O is q(2s − q)', () => {
    fc.assert(
      fc.property(architecture, ({ widths, samples, seed }) => {
        const m = measure(widths, samples, false, seed);
        const L = widths.length - 1;
        const net: SymbolicNetwork = { depth: L, loss: 'mse', bias: false };
        const where = `${widths.join('-')}, N=${samples}`;
        const s = value(dataOutputRank(net), m.point);
        const hidden = widths.slice(1, L);
        const q = Math.min(m.point.r!, ...hidden, m.point.K!);
        for (const [l, mm] of pairs(L)) {
          const predicted = value(substitute(functionalBlockRank(net, l, mm), { s: dataOutputRank(net) }), m.point);
          expect(m.functionalBlocks[`${l},${mm}`], `H_F block (${l},${mm}) at ${where}`).toBe(predicted);
        }
        const bound = value(substitute(functionalStructuralBound(net), { s: dataOutputRank(net) }), m.point);
        expect(m.HF, `rank H_F ≤ bound at ${where}`).toBeLessThanOrEqual(bound);
        if (hidden.every((w) => w >= s)) expect(m.HF, `bound attained at ${where}`).toBe(bound);
        const primed = [s, ...hidden, s];
        m.blockRows.forEach((b, i) => expect(b, `block row ${i + 1} at ${where}`).toBe(q * (primed[i + 1]! + primed[i]! - q)));
        expect(m.HF, `rank H_F = Σ block rows at ${where}`).toBe(m.blockRows.reduce((a, b) => a + b, 0));
        expect(m.H, `rank H = rank[H_O H_F] at ${where}`).toBe(m.sumOfRanges);
        expect(m.HO + m.HF - m.sumOfRanges, `overlap at ${where}`).toBe(q * (2 * s - q));
      }),
      { numRuns: 60 },
    );
  });
});
