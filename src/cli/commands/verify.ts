import { findFormula, formulaKinds, loadCatalog, type FormulaKind } from '../../catalog/catalog.js';
import { convolutionalClaims, convolutionalConjectureClaim, convolutionalFormulaClaim, isConvolutionalFormula } from '../../cnn/verify.js';
import { verifyConvolutionalClaims } from '../convolutional.js';
import { InputError } from '../../errors.js';
import type { Quantity } from '../../numeric/measure.js';
import { verifyResultJson } from '../../serialize.js';
import type { ArchitectureRanges } from '../../verify/arbitraries.js';
import { catalogClaim, claimQuantities, conjectureClaim, formulaClaim, type Claim } from '../../verify/claim.js';
import { describeObservation, verify, type VerifyResult } from '../../verify/verify.js';
import type { Command, CommandIO } from '../command.js';
import { commonOptions, parseFlags, parseInteger } from '../flags.js';
import type { Activation, Loss } from '../../architecture/fullyConnected.js';

function parseRange(text: string | undefined, what: string, min: number): [number, number] | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!match) throw new InputError(`${what} must be a number or a range like 1-5, got "${text}"`);
  const lo = Number(match[1]);
  const hi = match[2] === undefined ? lo : Number(match[2]);
  if (lo < min || hi < lo) throw new InputError(`${what} ${text}: need ${min} ≤ min ≤ max`);
  return [lo, hi];
}

function report(claim: Claim, r: VerifyResult, io: CommandIO, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(verifyResultJson(r)));
    return;
  }
  if (r.holds) {
    const tight = r.kind === 'exact' ? '' : `; equal to the measured rank on ${r.equal} of them (${((100 * r.equal) / Math.max(1, r.checked)).toFixed(0)}%)`;
    io.out(`holds: ${claim.name} (${r.kind}, ${r.quantity}) on all ${r.checked} architectures tried${tight}; ${r.skipped} drawn outside its domain; fast-check seed ${r.seed}`);
  } else {
    io.out(`REFUTED: ${describeObservation(claim, r.counterexample!)}`);
    io.out(`shrunk by fast-check (seed ${r.seed}) after ${r.checked} architectures; reproduce: ${r.reproduce}`);
  }
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'property-test a catalog formula or a conjecture against measured ranks',
  usage: `usage: hessian-rank verify (--formula ID | --all | --conjecture "EXPR" --quantity H|HO|HF [--kind exact|upper-bound|lower-bound])
                            [--runs N] [--seed S] [--loss mse|ce] [--bias] [--act linear|relu|tanh]
                            [--depth 1-5] [--width 1-12] [--json]
  Draws random architectures (fast-check), measures the quantity (exactly over prime fields for linear
  mse networks, float64 otherwise) and checks the claim. Exit 0 when it holds, 1 with a shrunk
  counterexample when refuted, 2 on bad input.
  Conjecture symbols: d K N r L p q s, M = [M_1..M_{L-1}] (sum(M), min(M), M[1]), w = [d, M.., K];
  functions: min max sum abs floor ceil sqrt log log2 log10 mod prod. Parsed by mathjs, never run as code.
  Conjectures are tried on linear mse networks without bias unless --loss/--bias/--act say otherwise.
  CNNs (docs/cnn.md): --family convolutional checks the catalog's CNN predictions and every CNN formula
  on random 1D/2D CNNs (--convolutions 1-3, --width: channels and K, --full-rank-data: N = 2d + 2
  instead of N on both sides of d), reporting each bound's tightness (share of CNNs where it
  equals the exact rank); --formula cnn-… checks one; with --conjecture it draws CNNs and allows the CNN
  symbols (c0 c n0 n u0 u k e t h g b y P x D). --all checks both families.`,
  run(argv, io) {
    const { values } = parseFlags(argv, {
      ...commonOptions,
      formula: { type: 'string' },
      all: { type: 'boolean' },
      conjecture: { type: 'string' },
      quantity: { type: 'string' },
      kind: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      loss: { type: 'string' },
      bias: { type: 'boolean' },
      act: { type: 'string' },
      depth: { type: 'string' },
      width: { type: 'string' },
      family: { type: 'string' },
      convolutions: { type: 'string' },
      'full-rank-data': { type: 'boolean' },
    });
    if (values.family !== undefined && !['fully-connected', 'convolutional'].includes(values.family)) {
      throw new InputError(`--family must be fully-connected or convolutional, got "${values.family}"`);
    }
    const convolutionalOnly = values.family === 'convolutional' && values.formula === undefined && values.all !== true && values.conjecture === undefined;
    const chosen = [values.formula !== undefined, values.all === true, values.conjecture !== undefined, convolutionalOnly].filter(Boolean).length;
    if (chosen !== 1) throw new InputError('give exactly one of --formula ID, --all, --conjecture "EXPR", --family convolutional');
    if (values.loss !== undefined && !['mse', 'ce'].includes(values.loss)) throw new InputError(`--loss must be mse or ce, got "${values.loss}"`);
    if (values.act !== undefined && !['linear', 'relu', 'tanh'].includes(values.act)) {
      throw new InputError(`--act must be linear, relu or tanh, got "${values.act}"`);
    }
    const ranges: ArchitectureRanges = {
      depth: parseRange(values.depth, '--depth', 1),
      width: parseRange(values.width, '--width', 1),
      loss: values.loss as Loss | undefined,
      bias: values.bias,
      activation: values.act as Activation | undefined,
    };
    const runs = parseInteger(values.runs, '--runs', 1) ?? 100;
    const seed = parseInteger(values.seed, '--seed') ?? 0;
    const cnnRanges = {
      convolutions: parseRange(values.convolutions, '--convolutions', 1),
      // --width bounds a CNN's channels and K, as it bounds the widths and K of a fully-connected network
      channels: ranges.width,
      outputs: ranges.width,
      fullRankData: values['full-rank-data'],
      loss: values.loss as Loss | undefined,
      bias: values.bias,
      activation: values.act as Activation | undefined,
      runs,
      seed,
    };
    const json = values.json ?? false;
    if (values.formula !== undefined && isConvolutionalFormula(values.formula)) {
      return verifyConvolutionalClaims([convolutionalFormulaClaim(findFormula(values.formula))], cnnRanges, io, json) > 0 ? 1 : 0;
    }
    if (convolutionalOnly) return verifyConvolutionalClaims(convolutionalClaims(), cnnRanges, io, json) > 0 ? 1 : 0;
    if (values.conjecture !== undefined && values.family === 'convolutional') {
      const quantity = values.quantity as Quantity | undefined;
      if (!quantity || !claimQuantities.includes(quantity)) throw new InputError('--conjecture needs --quantity H, HO or HF');
      const kind = (values.kind ?? 'exact') as FormulaKind;
      if (!formulaKinds.includes(kind) || kind === 'estimate') throw new InputError('--kind must be exact, upper-bound or lower-bound');
      const claim = convolutionalConjectureClaim(values.conjecture, quantity, kind);
      return verifyConvolutionalClaims([claim], { ...cnnRanges, loss: cnnRanges.loss ?? 'mse', bias: cnnRanges.bias ?? false, activation: cnnRanges.activation ?? 'linear' }, io, json) > 0 ? 1 : 0;
    }
    let claims: Claim[];
    if (values.conjecture !== undefined) {
      const quantity = values.quantity as Quantity | undefined;
      if (!quantity || !claimQuantities.includes(quantity)) throw new InputError('--conjecture needs --quantity H, HO or HF');
      const kind = (values.kind ?? 'exact') as FormulaKind;
      if (!formulaKinds.includes(kind) || kind === 'estimate') throw new InputError('--kind must be exact, upper-bound or lower-bound');
      claims = [conjectureClaim(values.conjecture, quantity, kind)];
      ranges.loss ??= 'mse';
      ranges.bias ??= false;
      ranges.activation ??= 'linear';
    } else if (values.formula !== undefined) {
      claims = [catalogClaim(values.formula)];
    } else {
      claims = loadCatalog()
        .filter((f) => f.entry.family === 'fully-connected' && claimQuantities.includes(f.entry.quantity as Quantity))
        .map(formulaClaim);
    }
    let refuted = 0;
    for (const claim of claims) {
      const result = verify(claim, { ...ranges, runs, seed });
      if (result.checked === 0) {
        if (claims.length === 1) {
          throw new InputError(`${claim.name} applies to none of the ${runs} architectures drawn; widen --depth/--width or set --loss/--bias/--act`);
        }
        io.out(`not checked: ${claim.name} applies to none of the architectures drawn`);
        continue;
      }
      report(claim, result, io, values.json ?? false);
      if (!result.holds) refuted++;
    }
    if (values.all === true) refuted += verifyConvolutionalClaims(convolutionalClaims(), cnnRanges, io, json);
    return refuted > 0 ? 1 : 0;
  },
};
