/**
 * derive: rank expressions derived from structure by the symbolic layer. --depth, --uniform and
 * --asymptotic: deep linear networks with symbolic widths (./deriveLinear.ts); the flag of a family
 * that derives (--cnn): that family's derivation of one architecture (Family.derive), evaluated at its
 * sizes and compared with the catalog. Each path imports its own part of the symbolic layer.
 */
import type { Loss } from '../../architecture/fullyConnected.js';
import { InputError } from '../../errors.js';
import { families, familyNames } from '../../family/registry.js';
import { quantities as parts, type Quantity as Part } from '../../family/vocabulary.js';
import type { Command } from '../command.js';
import { parseFlags, parseInteger, sharedFromFlags } from '../flags.js';

/** The families the symbolic layer derives per architecture (derive --cnn …): their flags name one. */
const derivable = families.filter((f) => f.derive !== undefined);
const derivableFlags = derivable.map((f) => `--${f.flag}`).join(' or ');

const options = {
  ...Object.fromEntries(derivable.map((f) => [f.flag, { type: 'string' } as const])),
  depth: { type: 'string' },
  uniform: { type: 'boolean' },
  samples: { type: 'string' },
  act: { type: 'string' },
  // refused: --family names an architecture family (verify); the uniform family is --uniform
  family: { type: 'string' },
  quantity: { type: 'string' },
  loss: { type: 'string' },
  bias: { type: 'boolean' },
  assume: { type: 'string', multiple: true },
  asymptotic: { type: 'string' },
  latex: { type: 'boolean' },
  json: { type: 'boolean' },
  proof: { type: 'boolean' },
  brief: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Deeper networks are fine for the engine; the bound keeps a typo from starting a long case split. */
export const maximumDepth = 12;

function requireLoss(text: string | undefined): Loss {
  if (text === undefined) return 'mse';
  if (text !== 'mse' && text !== 'ce') throw new InputError(`--loss must be mse or ce, got "${text}"`);
  return text;
}

export const deriveCommand: Command = {
  usage: `usage: hessian-rank derive --depth L [--quantity H|HO|HF|HO_block] [--loss mse|ce] [--bias]
                            [--assume "M1 <= d"]... [--latex] [--json] [--proof] [--brief]
       hessian-rank derive --uniform [--quantity H|HO|HF] [--loss mse|ce] [--latex] [--json]
       hessian-rank derive --asymptotic width|depth [--depth L] [--loss mse|ce] [--latex] [--json]
       hessian-rank derive --cnn "in=10 ch=2; conv k=2 c=5; K=3" [--samples N] [--quantity H|HO|HF] [--loss mse|ce] [--bias]
                            [--latex] [--json] [--proof] [--brief]
  --depth       number of weight matrices L (1..${maximumDepth}); symbols d, M1, …, M{L-1}, K, data rank r, samples N
  --quantity    one quantity (default: HO, HF and H); HO_block gives the diagonal blocks of H_O
  --assume      a relation between symbols, repeatable ("M1 <= d", "r = d", "N > d", "M1 < M2 <= K");
                the result is simplified under it (a bottleneck makes q one symbol and the rank a polynomial)
  --uniform     the uniform family: depth L and hidden width M as symbols
  --asymptotic  width (M → ∞) or depth (L → ∞): leading order of rank, p, rank/p and the √p law
  --cnn         a linear CNN (the syntax of measure --cnn): its ranks derived from the Toeplitz structure with
                symbolic channels c0.., kernel elements k1.., positions n0.. (2D: per axis), K, r; evaluated at
                its sizes (--samples N, default 2d) and compared with formulas/cnn.json; with --proof every
                identity is also decided case by case (one convolution only: seconds)
  --latex       each step as LaTeX (display math), ready for a paper
  --proof       print every case of every proof
  --brief       results and catalog proofs only
  --json        machine-readable (docs/cli.md#derive)
Background facts in every proof: symbols are positive integers, r ≤ d, r = min(N, d) when N occurs.`,
  async run(argv, io) {
    const { values } = parseFlags(argv, options);
    const flags = values as typeof values & { assume?: string[] };
    if (values.family !== undefined) {
      throw new InputError(`derive --family is now --uniform (depth L and hidden width M symbolic); --family names an architecture family (${familyNames()}) in verify`);
    }
    const loss = requireLoss(values.loss);
    const depth = parseInteger(values.depth, '--depth', 1);
    if (depth !== undefined && depth > maximumDepth) throw new InputError(`--depth ${depth} is beyond ${maximumDepth}; the case split grows about 2.2× per layer`);
    const named = derivable.filter((f) => (values as Record<string, unknown>)[f.flag] !== undefined);
    if (values.asymptotic !== undefined) {
      if (values.uniform || named.length > 0 || values.quantity !== undefined || flags.assume?.length) {
        throw new InputError('--asymptotic takes only --depth (for width), --loss, --latex, --json');
      }
      return (await import('./deriveLinear.js')).runAsymptotic(values.asymptotic, loss, depth, values, io);
    }
    if (named.length > 1) throw new InputError(`give either ${named.map((f) => `--${f.flag}`).join(' or ')}, not both`);
    const family = named[0];
    if (family !== undefined) {
      // the family derives the ranks of one architecture, evaluated at its sizes
      if (depth !== undefined || values.uniform || values.asymptotic !== undefined || flags.assume?.length) {
        throw new InputError(`--${family.flag} takes --samples, --quantity, --loss, --latex, --json, --proof, --brief (not --depth, --uniform, --asymptotic, --assume)`);
      }
      if (values.act !== undefined && values.act !== 'linear') throw new InputError(`derive --${family.flag} derives linear ${family.plural}; --act ${values.act} has no derivation here (its H_O bound: docs/cnn.md#relu-and-tanh-cnns; H and H_F: the linear ranks as estimates for relu, none for tanh)`);
      const quantity = values.quantity;
      if (quantity !== undefined && !parts.includes(quantity as Part)) throw new InputError(`--quantity must be one of ${parts.join(', ')} with --${family.flag}, got "${quantity}"`);
      const net = family.parse((values as Record<string, string>)[family.flag]!, sharedFromFlags({ samples: values.samples, bias: values.bias, loss }));
      const derivation = await family.derive!(net, {
        quantities: quantity !== undefined ? [quantity as Part] : parts,
        format: values.json ? 'json' : values.latex ? 'latex' : 'text',
        proof: values.proof ?? false,
        brief: values.brief ?? false,
      });
      derivation.lines.forEach((line) => io.out(line));
      const differing = derivation.differing;
      if (differing.length > 0) {
        io.err(`hessian-rank derive: ${differing.length} catalog entr${differing.length === 1 ? 'y differs' : 'ies differ'} from the derivation: ${differing.join(', ')}`);
        return 1;
      }
      return 0;
    }
    if (values.samples !== undefined || values.act !== undefined) throw new InputError(`--samples and --act go with ${derivableFlags}`);
    return (await import('./deriveLinear.js')).runLinear(loss, depth, flags.assume, values, io);
  },
};
