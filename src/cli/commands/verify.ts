import { findFormula, InputError, reproduceCommand, families, familyNamed, familyNames, activations, losses, quantities, verifyResultJson, catalogClaim, conjectureClaim, familyClaims, type FormulaKind, type AnyFamily, type FamilyRanges, type Activation, type Loss, type Quantity, type Claim, type Architecture } from '../../index.js';
import { describeObservation, maximumRuns, verify, type VerifyResult } from '../../verify/verify.js';
import type { Command, CommandIO } from '../command.js';
import { commonOptions, parseChoice, parseFlags, parseInteger, type Options } from '../flags.js';
import { notDecidedLine, undeterminedNote } from '../undetermined.js';

/** Largest width, channel count or depth verify draws (each architecture is measured densely). */
const maximumRange = 64;

function parseRange(text: string | undefined, what: string, min: number): [number, number] | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d{1,6})(?:-(\d{1,6}))?$/.exec(text.trim());
  if (!match) throw new InputError(`${what} must be a number or a range like 1-5, got "${text.slice(0, 60)}"`);
  const lo = Number(match[1]);
  const hi = match[2] === undefined ? lo : Number(match[2]);
  if (lo < min || hi < lo) throw new InputError(`${what} ${text}: need ${min} ≤ min ≤ max`);
  if (hi > maximumRange) throw new InputError(`${what} ${text}: at most ${maximumRange} (every architecture drawn is measured densely)`);
  return [lo, hi];
}

const percent = (equal: number, checked: number): string => `${((100 * equal) / Math.max(1, checked)).toFixed(0)}%`;

function gapSummary(gaps: number[]): string {
  const sorted = [...gaps].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)]}, max ${sorted[sorted.length - 1]} (${sorted.length})`;
}

/** --loose: one line per architecture where the claim and the measured rank differ, with the command that measures it. */
function looseLines(claim: Claim, r: VerifyResult<Architecture>, io: CommandIO, word: string): void {
  for (const o of r.loose) {
    io.out(`    ${word} ${o.predicted}, rank ${o.measured} (${o.method}, r = ${o.r}): ${reproduceCommand(claim.family, o.architecture, { seed: o.instanceSeed, exact: o.method === 'exact' })}`);
  }
}

function report(claim: Claim, r: VerifyResult<Architecture>, io: CommandIO, json: boolean, loose: boolean): void {
  const family = claim.family;
  if (json) {
    io.out(JSON.stringify(verifyResultJson(r)));
    return;
  }
  if (r.holds && r.kind === 'estimate') {
    // the linear formulas applied to relu networks: never refuted, so "holds" would say nothing
    const byDepth = Object.entries(r.byDepth)
      .map(([layers, [checked, equal]]) => `${family.layersName(Number(layers))}: ${equal}/${checked}`)
      .join(', ');
    io.out(
      `estimate, not checked: ${claim.name} (${r.quantity}) is the linear network's rank, an estimate on every one of the ${r.checked} ${family.plural} tried (not a bound: never refuted); ` +
        `equal to the measured rank on ${r.equal} (${percent(r.equal, r.checked)}; ${byDepth}); ${r.skipped} drawn outside its domain${undeterminedNote(r)}; fast-check seed ${r.seed}`,
    );
    const missed = Object.entries(r.gaps).filter(([, list]) => list.length > 0);
    if (missed.length > 0) io.out(`  where they differ, estimate − rank: ${missed.map(([layers, list]) => `${family.layersName(Number(layers))}: ${gapSummary(list)}`).join('; ')}`);
    if (loose) looseLines(claim, r, io, 'estimate');
  } else if (r.holds) {
    const byDepth = Object.entries(r.byDepth)
      .map(([layers, [checked, equal]]) => `${family.layersName(Number(layers))}: ${equal}/${checked}`)
      .join(', ');
    const tight = r.kind === 'exact' ? '' : `; tight (bound = measured rank) on ${r.equal} of them (${percent(r.equal, r.checked)}; ${byDepth})`;
    const estimates = r.estimates > 0 ? ` (and ${r.estimates} where it is only an estimate, not checked)` : '';
    io.out(`holds: ${claim.name} (${r.kind}, ${r.quantity}) on all ${r.checked} ${family.plural} tried${estimates}${tight}; ${r.skipped} drawn outside its domain${undeterminedNote(r)}; fast-check seed ${r.seed}`);
    const missed = Object.entries(r.gaps).filter(([, list]) => list.length > 0);
    if (r.kind !== 'exact' && missed.length > 0) {
      io.out(`  where not tight, bound − rank: ${missed.map(([layers, list]) => `${family.layersName(Number(layers))}: ${gapSummary(list)}`).join('; ')}`);
      if (loose) looseLines(claim, r, io, 'bound');
    }
  } else if (r.counterexample) {
    io.out(`REFUTED: ${describeObservation(claim, r.counterexample)}`);
    io.out(`shrunk by fast-check (seed ${r.seed}) after ${r.checked} ${family.plural}; reproduce: ${r.reproduce}`);
  } else {
    io.out(`REFUTED: ${claim.name} (fast-check seed ${r.seed}); no counterexample could be replayed`);
  }
}

const depthOptions: Options = Object.fromEntries([...new Set(families.map((f) => f.depthFlag))].map((flag) => [flag, { type: 'string' }]));

export const verifyCommand: Command = {
  usage: `usage: hessian-rank verify (--formula ID | --all | --family NAME | --conjecture "EXPR" --quantity H|HO|HF [--kind exact|upper-bound|lower-bound])
                            [--family ${families.map((f) => f.name).join('|')}] [--runs N] [--seed S] [--loss mse|ce] [--bias]
                            [--act linear|relu|tanh] [--width 1-12] ${families.map((f) => `[--${f.depthFlag} …]`).join(' ')} [--full-rank-data] [--loose] [--json]
  Draws random architectures of the claim's family (fast-check), measures the quantity (exactly over
  prime fields for linear mse networks, float64 otherwise) and checks the claim. Exit 0 when it holds,
  1 with a shrunk counterexample when refuted, 2 on bad input.
  --formula ID     one catalog formula, on its own family
  --all            every family's predictions and formulas; --family NAME alone: that family's
  --conjecture     "EXPR" about --quantity, on --family (default fully-connected). Symbols, fully-connected:
                   d K N r L p q s, M = [M_1..M_{L-1}] (sum(M), min(M), M[1]), w = [d, M.., K]; CNNs also
                   c0 c n0 n u0 u k e t h g b y P x D (docs/cnn.md); functions: min max sum abs floor ceil
                   sqrt log log2 log10 mod prod; operators + - * / ^ ( ) and comparisons. Parsed by mathjs,
                   never run as code. Tried on linear mse networks without bias unless --loss/--bias/--act say otherwise.
  --runs N         architectures per claim (default 100, at most ${maximumRuns})
  --width a-b      every width (fully-connected: d, M_i, K; CNNs: channels and K), at most ${maximumRange}
  --depth a-b      fully-connected: the number of weight matrices L (default 1-5)
  --convolutions a-b  CNNs: the number of convolutions (default 1-3)
  --full-rank-data CNNs: N = 2d + 2 instead of N on both sides of d
  --loose          list every architecture where a bound is not tight (bound, rank, the measure command)
  Bounds report their tightness: the share of architectures where the bound equals the measured rank.`,
  run(argv, io) {
    const { values } = parseFlags(argv, {
      ...commonOptions,
      ...depthOptions,
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
      width: { type: 'string' },
      family: { type: 'string' },
      'full-rank-data': { type: 'boolean' },
      loose: { type: 'boolean' },
    });
    const chosenFamily = values.family !== undefined ? familyNamed(values.family) : undefined;
    const familyOnly = chosenFamily !== undefined && values.formula === undefined && values.all !== true && values.conjecture === undefined;
    const chosen = [values.formula !== undefined, values.all === true, values.conjecture !== undefined, familyOnly].filter(Boolean).length;
    if (chosen !== 1) throw new InputError(`give exactly one of --formula ID, --all, --conjecture "EXPR", --family ${familyNames().replace(/, /g, '|')}`);
    if (values.formula !== undefined && chosenFamily) throw new InputError('--formula checks its formula on its own family: drop --family');
    if (values.conjecture === undefined && (values.quantity !== undefined || values.kind !== undefined)) {
      throw new InputError('--quantity and --kind go with --conjecture');
    }
    const loss = parseChoice<Loss>(values.loss, losses, '--loss');
    const activation = parseChoice<Activation>(values.act, activations, '--act');
    const runs = parseInteger(values.runs, '--runs', 1, maximumRuns) ?? 100;
    const seed = parseInteger(values.seed, '--seed') ?? 0;
    const width = parseRange(values.width, '--width', 1);
    const rangesOf = (family: AnyFamily): FamilyRanges => ({
      depth: parseRange((values as Record<string, string | undefined>)[family.depthFlag], `--${family.depthFlag}`, 1),
      width,
      loss,
      bias: values.bias,
      activation,
      fullRankData: values['full-rank-data'],
    });
    const json = values.json ?? false;
    let claims: Claim[];
    if (values.conjecture !== undefined) {
      const quantity = parseChoice<Quantity>(values.quantity, quantities, '--quantity');
      if (!quantity) throw new InputError('--conjecture needs --quantity H, HO or HF');
      const kind = parseChoice<FormulaKind>(values.kind, ['exact', 'upper-bound', 'lower-bound'], '--kind') ?? 'exact';
      claims = [conjectureClaim(values.conjecture, quantity, kind, chosenFamily)];
    } else if (values.formula !== undefined) {
      findFormula(values.formula);
      claims = [catalogClaim(values.formula)];
    } else {
      claims = (chosenFamily ? [chosenFamily] : families).flatMap(familyClaims);
    }
    let refuted = 0;
    for (const claim of claims) {
      const ranges = rangesOf(claim.family);
      if (values.conjecture !== undefined) {
        ranges.loss ??= 'mse';
        ranges.bias ??= false;
        ranges.activation ??= 'linear';
      }
      const result = verify(claim, { ...ranges, runs, seed });
      if (result.checked === 0 && result.undetermined > 0) {
        io.out(json ? JSON.stringify(verifyResultJson(result)) : notDecidedLine(claim.name, result));
        continue;
      }
      if (result.checked === 0) {
        if (claims.length === 1) {
          throw new InputError(`${claim.name} applies to none of the ${runs} ${claim.family.plural} drawn; widen --${claim.family.depthFlag}/--width or set --loss/--bias/--act`);
        }
        io.out(`not checked: ${claim.name} applies to none of the ${claim.family.plural} drawn`);
        continue;
      }
      report(claim, result, io, json, values.loose ?? false);
      if (!result.holds) refuted++;
    }
    return refuted > 0 ? 1 : 0;
  },
};
