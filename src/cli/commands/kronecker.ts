import { InputError, kroneckerStructure, type KroneckerReport, type LayerKroneckerReport, type FullyConnected, type Convolutional } from '../../index.js';
import { exactClaimsHold, kroneckerJson } from '../../kronecker/kroneckerJson.js';
import { blockParts, type BlockPart } from '../../kronecker/layerOutputHessian.js';
import type { Command } from '../command.js';
import { architectureFromFlags, architectureOptions, commonOptions, parseFlags, parseInteger } from '../flags.js';
import { textTable } from '../table.js';
import { primeSeed, type ExactRank } from '../../linalg/index.js';
import { dataFromFlags, dataOptions, dataUsage, withSamples } from '../dataFlags.js';
import { modelFromFlags, modelOptions, modelUsage } from '../modelFlags.js';
import { ProgressLine } from '../../report/progressLine.js';

const e2 = (x: number): string => (x === 0 ? '0' : x.toExponential(1));
const f3 = (x: number): string => x.toFixed(3);
const ratio = (x: number | null): string => (x === null ? '—' : Number.isFinite(x) ? x.toFixed(2) : '∞');
const partName = (part: BlockPart): string => (part === 'H' ? 'H' : '(H_O)');

function catalogCell(layer: LayerKroneckerReport, quantity: string): string {
  const c = layer.catalog[quantity];
  return c ? `${c.value} (${c.kind})` : '—';
}

/** The largest stated P(rank understated) of a layer's exact ranks: "≤ 3.1e-11", or "0 (certain)" when each is at its upper bound. */
function wrongCell(ranks: readonly ExactRank[]): string {
  const wrong = Math.max(...ranks.map((e) => e.wrongAtMost ?? 1));
  return wrong === 0 ? '0 (certain)' : `≤ ${wrong.toExponential(1)}`;
}

/** `models`: the files whose weights were used (the first model, and the second of the seed overlap). */
export function formatKronecker(report: KroneckerReport, models: { first?: string; second?: string } = {}): string {
  const lines: string[] = [];
  const H = partName(report.part);
  const firstWeights = models.first ? `at the weights of ${models.first}` : `seed ${report.seeds[0]}`;
  const secondWeights = models.second ? `second model ${models.second}` : `second weight seed ${report.seeds[1]}`;
  lines.push(
    `${report.description}: layer-wise Kronecker structure, float64 ${firstWeights} ` +
      `(${secondWeights}), top k = ${report.top}${report.top === report.K ? ' = K' : ''}, ${report.seconds.toFixed(2)} s`,
  );
  if (report.primes) {
    lines.push('');
    lines.push(
      `Exact: (H_O)_l = (A_lᵀA_l) ⊗ (Z_{l-1}Z_{l-1}ᵀ) on the integer instance of seed ${report.seeds[0]}, in Z/PZ for P = ${report.primes.join(', ')} ` +
        `(drawn from (2^22, 2^23) with seed ${primeSeed(report.seeds[0])}); the block is F_lᵀF_l from the Jacobian, compared entry by entry with the Kronecker product; ` +
        'a rank stops at its proven upper bound (certain there), else takes as many primes as P(rank understated) ≤ 1e-9 needs (docs/theory.md#exact-rank-over-zpz)',
    );
    lines.push(
      textTable(
        ['layer', 'W', 'block = A⊗B', 'rank A_lᵀA_l', 'catalog', 'rank ZZᵀ', 'catalog', 'rank block', 'product', 'catalog HO_block', 'holds', 'P(a rank understated)'],
        report.layers.map((l) => {
          const e = l.exact!;
          return [
            l.shape.layer,
            `${l.shape.out}×${l.shape.in}`,
            e.blockIsKronecker ? 'yes' : 'NO',
            e.outputFactorRank.rank,
            catalogCell(l, 'HO_block_output_factor'),
            e.inputFactorRank.rank,
            catalogCell(l, 'HO_block_input_factor'),
            e.blockRank.rank,
            e.outputFactorRank.rank * e.inputFactorRank.rank,
            catalogCell(l, 'HO_block'),
            exactClaimsHold(l) ? 'yes' : 'REFUTED',
            wrongCell([e.outputFactorRank, e.inputFactorRank, e.blockRank]),
          ];
        }),
      ),
    );
    const compared = Math.min(...report.layers.map((l) => l.exact!.comparedPrimes.length));
    const missed = Math.max(...report.layers.map((l) => l.exact!.comparisonWrongAtMost));
    lines.push(`block = A⊗B compared on at least ${compared} prime(s) a layer: P(a difference missed) ≤ ${missed.toExponential(1)}`);
  }
  lines.push('');
  lines.push(
    'Block ranks (float64, τ = λ_max · p_l · ε) against the catalog and against the bounds read off this instance ' +
      '(min of Σ_i rank M_i, Σ_a dim span{x̃_i : row a of M_i ≠ 0}, dim Σ_i range M_i · dim span{x̃_i}; fully-connected layers; docs/kronecker.md)',
  );
  const boundCell = (b: LayerKroneckerReport['blockBounds']): string => (b ? `${b.bound} (${b.sampleBound}/${b.supportBound}/${b.factorBound})` : '—');
  const rankRows = report.layers.map((l) => {
    const row: (string | number)[] = [l.shape.layer, `${l.shape.out}×${l.shape.in}`, l.shape.size, l.outerProductRank.rank, catalogCell(l, 'HO_block'), boundCell(l.outerProductBounds)];
    if (report.part === 'H') row.push(l.blockRank.rank, boundCell(l.blockBounds));
    return row;
  });
  const rankHeader = ['layer', 'W', 'p_l', 'rank (H_O)_l', 'catalog HO_block', 'instance bound (sample/support/factor)'];
  if (report.part === 'H') rankHeader.push('rank H_l', 'instance bound');
  lines.push(textTable(rankHeader, rankRows));
  lines.push('');
  const convolutional = report.architecture.kind === 'convolutional';
  lines.push(
    (convolutional
      ? `Decoupling of ${H}_l = Σ_i Σ_{t,t'} M_i[t,t'] ⊗ patch_t patch_t'ᵀ (E over samples and positions, same-position terms: K-FAC)`
      : `Decoupling of ${H}_l = Σ_i M_i ⊗ x̃_i x̃_iᵀ`) +
      `: relative Frobenius errors (0 = exact Kronecker; the nearest product is the optimum, ` +
      `so its error is never larger) and overlaps of the top-k eigenspaces (1 = equal; random baseline k/p_l)`,
  );
  lines.push(
    textTable(
      ['layer', 'err N·E[M]⊗E[x̃x̃ᵀ]', 'err nearest A⊗B', 'σ₂/σ₁ of R', 'overlap E[M]⊗E[x̃x̃ᵀ]', 'overlap nearest', 'baseline k/p_l', 'k', 'λ_k/λ_{k+1}'],
      report.layers.map((l) => {
        const s = l.nearest.rearrangedSingularValues;
        return [
          l.shape.layer,
          e2(l.decoupling.relativeError),
          e2(l.nearest.relativeError),
          s.length > 1 && s[0]! > 0 ? e2(s[1]! / s[0]!) : '—',
          f3(l.decoupling.overlap),
          f3(l.nearest.overlap),
          f3(l.baseline),
          l.top,
          ratio(l.eigengap),
        ];
      }),
    ),
  );
  lines.push('');
  lines.push(
    `Top-k eigenvectors of ${H}_l reshaped to the weight's shape (exact Kronecker: rank 1, σ₂/σ₁ = 0, energy 1); ` +
      'rank at τ = the eigenvector\'s own error bound (docs/kronecker.md)',
  );
  lines.push(
    textTable(
      ['layer', 'W', 'ranks (eigenvectors 1..k)', 'max σ₂/σ₁', 'min rank-one energy σ₁²/Σσ²'],
      report.layers.map((l) => [
        l.shape.layer,
        `${l.shape.out}×${l.shape.in}`,
        l.reshaped.map((r) => r.rank).join(','),
        e2(Math.max(...l.reshaped.map((r) => r.secondRatio))),
        f3(Math.min(...l.reshaped.map((r) => r.rankOneEnergy))),
      ]),
    ),
  );
  lines.push('');
  const w = report.layers[0]?.outliers.window;
  lines.push(
    `Outliers (the k ≤ ${w} with the largest gap λ_k/λ_{k+1} among eigenvalues > λ_max·n·ε) against K = ${report.K}, ` +
      `and top-k eigenspace overlap between ${models.first ? `${models.first} and ${secondWeights}` : `weight seeds ${report.seeds[0]} and ${report.seeds[1]}`} (same data) against the baseline k/p_l`,
  );
  lines.push(
    textTable(
      ['layer', `outliers ${H}_l`, 'gap', 'outliers E[M_l]', 'gap', 'K', 'seed overlap', 'baseline k/p_l'],
      report.layers.map((l) => [
        l.shape.layer,
        l.outliers.count,
        ratio(l.outliers.gapRatio),
        l.outputMomentOutliers.count,
        ratio(l.outputMomentOutliers.gapRatio),
        report.K,
        f3(l.seedOverlap),
        f3(l.baseline),
      ]),
    ),
  );
  return lines.join('\n');
}

export const kroneckerCommand: Command = {
  usage: `usage: hessian-rank kronecker (--widths d,M1,...,K | --cnn SPEC) [--samples N] [--bias] [--loss mse|ce] [--act linear|relu|tanh]
                               [--seed S] [--second-seed S2] [--top k] [--part H|HO] [--window w] [--force] [--json]
  --seed         seed of weights, data and targets (default 0); linear mse networks also get the exact section
                 on the integer instance of this seed
  --second-seed  seed of the second model's weights for the seed overlap (default S + 1; same data and targets)
  --top          k, dimension of the compared top eigenspaces and number of reshaped eigenvectors (default K)
  --part         the Hessian whose layer blocks are decoupled: H (default) or HO (the outer-product part)
  --window       outliers are searched among the top w eigenvalues (default 3K)
  --force        run even when the size guard estimates more than 15 minutes
  --cnn "in=…; conv k=… c=…; K=…"  a CNN instead of --widths (docs/cnn.md)
${dataUsage}
${modelUsage}
  --second-model FILE.onnx  the second model of the top-eigenspace overlap (e.g. the same network trained
                 from another seed) instead of weights drawn from --second-seed
                 (convolution blocks over the kernel's c_l × c_{l-1}κ_l [+1] layout; no exact section, no catalog)
  exit code 1 when an exact claim (block = A⊗B, rank = product = catalog) is refuted. On a terminal a
  progress line shows the phases (blocks, exact factors, each layer); nothing when stderr is a pipe or file.`,
  run(argv, io) {
    const { values } = parseFlags(argv, {
      ...architectureOptions,
      ...commonOptions,
      seed: { type: 'string' },
      'second-seed': { type: 'string' },
      top: { type: 'string' },
      part: { type: 'string' },
      window: { type: 'string' },
      force: { type: 'boolean' },
      ...dataOptions,
      ...modelOptions,
      'second-model': { type: 'string' },
    });
    const flags = withSamples(values);
    const model = modelFromFlags(flags);
    const { family, net } = model ?? architectureFromFlags(flags);
    const second = values['second-model'] === undefined ? undefined : modelFromFlags({ ...flags, model: values['second-model'] });
    if (second && !model) throw new InputError('--second-model needs --model (the first trained model)');
    if (second && JSON.stringify(second.net) !== JSON.stringify(net)) throw new InputError(`--second-model ${second.file} is not the same architecture as --model ${model!.file}`);
    const loaded = dataFromFlags(values, { ...family.shape(net), loss: net.loss });
    const part = (values.part ?? 'H') as BlockPart;
    if (!blockParts.includes(part)) throw new InputError(`--part must be one of ${blockParts.join(', ')}, got "${values.part}"`);
    // the phases on one line of a terminal (nothing when stderr is not one)
    const line = new ProgressLine(process.stderr);
    let report: KroneckerReport;
    try {
      report = kroneckerStructure(net as FullyConnected | Convolutional, {
        seed: parseInteger(values.seed, '--seed') ?? 0,
        secondSeed: parseInteger(values['second-seed'], '--second-seed'),
        top: parseInteger(values.top, '--top', 1),
        window: parseInteger(values.window, '--window', 1),
        part,
        force: values.force,
        inputs: loaded.inputs,
        targets: loaded.targets,
        weights: model?.weights,
        secondWeights: second?.weights,
        progress: line.report,
      });
    } finally {
      line.finish();
    }
    if (loaded.data) report.description += `, data ${loaded.data.name}`;
    io.out(values.json ? JSON.stringify(kroneckerJson(report)) : formatKronecker(report, { first: model?.file, second: second?.file }));
    return report.layers.some((l) => exactClaimsHold(l) === false) ? 1 : 0;
  },
};
