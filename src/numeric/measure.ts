/**
 * Measured ranks of H, H_O and H_F for one random instance of an architecture.
 *
 * float64 (default): H and H_F from their eigenvalues, H_O from the eigenvalues of the Gram matrix
 * of its factor F (H_O = FᵀF has the nonzero eigenvalues of F Fᵀ); every part's tolerance is
 * τ = σ_max · p · ε relative to its own largest singular value (numpy's default).
 * exact: integer instance, every part built in Z/PZ, rank by elimination, for as many primes drawn
 * from (2^22, 2^23) as P(wrong rank) ≤ 1e-9 needs (exactPartRanks); rank(H_O) is rank(F). Only
 * linear and ReLU networks with mse loss have an integral Hessian.
 */
import { freemem, totalmem } from 'node:os';
import { describe, parameterCount, type FullyConnected } from '../architecture/fullyConnected.js';
import { InputError, TooLargeError } from '../errors.js';
import { exactFailureProbability, exactRanks, gramOfRows, kernelMatrixBytes, log2MatrixMinorBound, log2MinorBound, primeSeed, rankModPrime, symmetricEigenvalues, wasmMemoryLimit, type ExactRank, type ExactRankTarget } from '../linalg/index.js';
import { fullyConnectedRowSums, type AbsoluteRowSums } from './hadamardBound.js';
import { addGramInto, type HessianParts } from './hessianParts.js';
import type { MeasurementCost } from './measurementCost.js';
import { LinearNetworkHessian } from './linearNetworkHessian.js';
import { intoRing, transpose, zeros, type Matrix } from './matrix.js';
import { denseSharedWeightNetwork, sampleInstance, type NetworkInstance } from './networkInstance.js';
import { SharedWeightHessian } from './sharedWeightHessian.js';
import { numericalRank, type NumericalRank } from './numericalRank.js';
import { primeField, type PrimeField } from './ring.js';
import { spectraOfBoth } from './parallelSpectra.js';
import { spectrumValues, symmetricSpectrum } from './symmetricSpectrum.js';
import { floatRangeBasis } from './rangeCompression.js';
import { workMatrix } from './workspace.js';
import { compressedCost, compressedDimension, compressedExactRanks, compressedSpectra, compressionLimits, outerGram, outerGramDimension, outerGramSize } from './compressedLinearHessian.js';
import { costRates, eigenvalueFlops, eliminationUpdates, expectedPrimes } from './costModel.js';

import { exactActivations, isIntegral, isLinearMse, quantities, type Activation, type Loss, type Quantity } from '../family/vocabulary.js';
import { activationPattern, integerReluInstance, type ActivationPattern } from './activationPattern.js';
export { quantities, type Quantity, type MeasurementCost };

export interface MeasureOptions {
  seed?: number;
  exact?: boolean;
  /** skip the size guard */
  force?: boolean;
  /** real data (d × N) instead of Gaussian inputs */
  inputs?: Matrix;
  /** real targets (K × N) instead of drawn ones */
  targets?: Matrix;
  /** given weights θ (e.g. a trained model's, src/model/) instead of drawn ones */
  weights?: Float64Array;
  /** measure only these parts (default all three) */
  quantities?: readonly Quantity[];
  /** called as each phase starts, e.g. "eigenvalues of H and H_F (300×300)" (src/report/progressLine.ts draws them) */
  progress?: MeasureProgress;
}

/** A measurement's phases, reported as they start. */
export type MeasureProgress = (phase: string) => void;

/** "2300×2300" */
const square = (n: number): string => `${n}×${n}`;

export interface PartRank {
  /** null when float64 cannot decide it (numerical.undetermined says why; docs/theory.md) */
  rank: number | null;
  /** set when the eigenvalues were taken on Qᵀ P Q (rangeCompression.ts) */
  compression?: { dimension: number; residual: number };
  /** float64 measurements */
  numerical?: NumericalRank;
  /** exact measurements */
  exact?: ExactRank;
}

export interface Measurement<A = FullyConnected> {
  architecture: A;
  p: number;
  /** measured rank of the data matrix X (r = rank Σ_xx) */
  r: number;
  /** the measured parts (all three unless MeasureOptions.quantities asked for fewer); null: undetermined in float64 */
  ranks: Record<Quantity, number | null>;
  parts: Record<Quantity, PartRank>;
  method: 'float64' | 'exact';
  seed: number;
  seconds: number;
  /** exact ReLU ranks: integer instances skipped because a pre-activation sat on the kink (activationPattern.ts) */
  redraws?: number;
}

/** The shape of a dense measurement, as its cost depends on it. */
export interface DenseShape {
  /** p */
  parameters: number;
  /** NK, the rows of H_O's factor */
  jacobianRows: number;
  /** N */
  samples: number;
  /** L, the weight layers */
  layers: number;
  /** Σ_l nnz(W̃_l): p for a fully-connected network, the Toeplitz entries of a CNN */
  patternEntries: number;
  /** Σ_l units of layer l (the tangents the exact builder keeps per sample) */
  units: number;
  /** float64, linear mse: the size of H_O's Gram built from the factors (outerGram), no product of J */
  outerGram?: number;
}

/**
 * The one size guard of every family, for a dense measurement (costModel.ts; rates measured).
 * Memory: float64, six p × p matrices (H, H_F, the worker's copy, the kernels' copies) and the NK × p
 * Jacobian; exact, five p × p matrices, J, and the N · units · p tangents of the exact builder; plus
 * costRates.startBytes. Time: a start-up and the builder (N · Σ nnz W̃_l · p steps), then in float64
 * the eigenvalues of H and H_F ((4/3) p³ each) and of H_O's Gram matrix (g = min(NK, p): its NK·p·g
 * product and (4/3) g³; for linear mse g = outerGram when that is smaller, built from the factors); exact, for each prime, the builder in Z/PZ and the eliminations of H and H_F
 * (p × p) and of J (NK × p), with the expected number of primes of each part (expectedPrimes; u = p,
 * and g for H_O). Calibration: docs/benchmarks.md#size-guard-calibration.
 */
export function denseCost(shape: DenseShape, exact: boolean): MeasurementCost {
  const { parameters: p, jacobianRows, samples, layers, patternEntries, units } = shape;
  const r = costRates;
  const kernelBytes = kernelMatrixBytes(p);
  const g = Math.min(jacobianRows, p);
  const steps = samples * patternEntries * p;
  if (!exact) {
    const fromFactors = shape.outerGram !== undefined && shape.outerGram < g;
    const flops = 2 * eigenvalueFlops(p) + (fromFactors ? eigenvalueFlops(shape.outerGram!) : eigenvalueFlops(g) + jacobianRows * p * g);
    return {
      bytes: r.startBytes + 8 * (6 * p * p + jacobianRows * p),
      kernelBytes,
      seconds: r.startSeconds + steps / r.denseFloatStepsPerSecond + flops / r.eigenvalueFlopsPerSecond,
    };
  }
  const primes = expectedPrimes(p, layers);
  const outerPrimes = expectedPrimes(g, layers);
  const updates = 2 * primes * eliminationUpdates(p, p) + outerPrimes * eliminationUpdates(jacobianRows, p);
  return {
    bytes: r.startBytes + 8 * (5 * p * p + jacobianRows * p + samples * units * p),
    kernelBytes,
    seconds: r.startSeconds + (primes * steps) / r.denseExactStepsPerSecond + updates / r.eliminationUpdatesPerSecond,
  };
}

/** Default limits: 12 GiB (at most three quarters of this machine's memory) and 15 minutes. */
export const sizeLimits = { bytes: Math.min(12 * 2 ** 30, Math.floor(0.75 * totalmem())), seconds: 15 * 60 };

/** "about 40 s", "about 3 min", "about 2 h", "about 3 days". */
export function humanDuration(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `about ${Math.round(seconds / 3600)} h`;
  return `about ${Math.round(seconds / 86400)} days`;
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/**
 * Refuses (TooLargeError, one line) a measurement beyond sizeLimits unless forced, and one that needs
 * more memory than this machine has (os.totalmem) or a matrix larger than WebAssembly memory holds,
 * forced or not.
 */
export function checkSize(description: string, p: number, cost: MeasurementCost, force = false, machineBytes = totalmem()): void {
  const { bytes, seconds, kernelBytes } = cost;
  if (kernelBytes > wasmMemoryLimit) {
    throw new TooLargeError(
      `${description} has p = ${p} parameters: one of its matrices needs about ${gib(kernelBytes)} inside the ` +
        `linear-algebra kernels, beyond WebAssembly's ${gib(wasmMemoryLimit)}: not run, even with --force`,
    );
  }
  if (bytes > machineBytes) {
    throw new TooLargeError(
      `${description} has p = ${p} parameters: measuring it needs about ${gib(bytes)} and ${humanDuration(seconds)}, ` +
        `and this machine has ${gib(machineBytes)} of memory (${gib(freemem())} free): not run, even with --force`,
    );
  }
  if (force) return;
  if (bytes > sizeLimits.bytes || seconds > sizeLimits.seconds) {
    throw new TooLargeError(
      `${description} has p = ${p} parameters: measuring it needs about ${gib(bytes)} and ${humanDuration(seconds)} ` +
        `(limits ${gib(sizeLimits.bytes)}, ${humanDuration(sizeLimits.seconds)}); pass --force to run it anyway`,
    );
  }
}

/** Resources of measuring a fully-connected network, on the path measure takes (linearPath). */
export function estimateCost(net: FullyConnected, exact = false): MeasurementCost {
  return linearPath(net, exact).cost;
}

/**
 * The path of a fully-connected network and its cost: compressed (compressedLinearHessian.ts) for a
 * linear network where it runs, in float64 only when its estimate is below the dense one; else dense.
 */
function linearPath(net: FullyConnected, exact: boolean): { compressed: boolean; cost: MeasurementCost } {
  const p = parameterCount(net);
  const units = net.widths.slice(1).reduce((a, b) => a + b, 0);
  const shape = { parameters: p, jacobianRows: net.samples * net.widths[net.widths.length - 1]!, samples: net.samples, layers: net.widths.length - 1, patternEntries: p, units };
  const dense = denseCost(isLinearMse(net) ? { ...shape, outerGram: outerGramDimension(net) } : shape, exact);
  const compressed = compressedCost(net, exact);
  return compressed && (exact || compressed.seconds < dense.seconds) ? { compressed: true, cost: compressed } : { compressed: false, cost: dense };
}

/**
 * H, H_F and H_O's factor; for linear mse also H_O's Gram from the factors (outerGram) where it is
 * smaller than J's, and with `reuse` H and H_F in workspace.ts's matrices (valid until the next
 * measurement: for callers done with them before they return).
 */
export function hessianParts(instance: NetworkInstance, reuse = false): HessianParts {
  const net = instance.net;
  if (!isLinearMse(net)) return new SharedWeightHessian(denseSharedWeightNetwork(instance), net.activation, net.loss).parts();
  const h = new LinearNetworkHessian(instance);
  const parts = h.parts(reuse ? workMatrix : undefined);
  // (Object.assign, not a spread: reading parts.jacobian would build J)
  return outerGramSize(h) < Math.min(h.residuals.rows * h.residuals.cols, parts.parameters) ? Object.assign(parts, { outerGram: () => outerGram(h) }) : parts;
}

/** Eigenvalues of Fᵀ F through the smaller of F Fᵀ and Fᵀ F. */
export function gramEigenvalues(factor: Matrix): Float64Array {
  const gram = gramOfRows(factor.rows <= factor.cols ? factor : transpose(factor));
  return symmetricEigenvalues(gram);
}

/** What exact ranks need from a model's structured builder over Z/PZ. */
export interface ExactHessianBuilder {
  /** J (NK × p): rank(H_O) = rank(J) */
  jacobian(): Matrix;
  /** adds H_F into a p × p matrix */
  addFunctional(out: Matrix): void;
  /** adds H_O into a p × p matrix; without it H_O is added as Jᵀ J */
  addOuterProduct?(out: Matrix): void;
}

/** What the number of primes of an exact measurement rests on (src/linalg/exactRank.ts, docs/theory.md). */
export interface ExactEvidence {
  /** the measurement's seed: the primes are drawn from the stream of primeSeed(seed) */
  seed: number;
  /** upper bounds of the row 1-norms of H_F and H_O (hadamardBound.ts) */
  rowSums: () => AbsoluteRowSums;
  /** proven upper bounds of the ranks over Q (default p) */
  rankBounds?: Partial<Record<Quantity, number>>;
}

/**
 * Exact ranks of the wanted parts over Z/PZ, and the data rank r (of `data`, the inputs the network
 * reads), shared by every architecture family, through exactRanks (src/linalg/exactRank.ts): part q
 * has log₂H_q the Hadamard bound of an r × r minor, r ≤ u_q (log2MinorBound of the row bounds), so
 * that P(rank understated) ≤ 1e-9 with primes drawn from the stream of primeSeed(seed); a part
 * stops early once its rank modulo a prime reaches u_q (then it is certain).
 */
export function exactPartRanks(
  p: number,
  wanted: readonly Quantity[],
  builderOver: (field: PrimeField) => ExactHessianBuilder,
  data: Matrix,
  evidence: ExactEvidence,
  compressedOver?: (field: PrimeField, wanted: readonly Quantity[]) => Partial<Record<Quantity, number>> | undefined,
  progress?: MeasureProgress,
): Omit<Measurement<never>, 'seconds' | 'architecture' | 'seed'> {
  const rows = evidence.rowSums();
  const rowBound: Record<Quantity, ArrayLike<number>> = { HF: rows.functional, HO: rows.outer, H: rows.functional.map((v, a) => v + rows.outer[a]!) };
  const bound = (q: Quantity): number => Math.min(p, evidence.rankBounds?.[q] ?? p);
  type Target = Quantity | 'data';
  const targets = { data: { log2H: log2MatrixMinorBound(data), upperBound: Math.min(data.rows, data.cols) } } as Record<Target, ExactRankTarget>;
  for (const q of wanted) targets[q] = { log2H: log2MinorBound(rowBound[q], bound(q)), upperBound: bound(q) };
  const exact = exactRanks<Target>(targets, primeSeed(evidence.seed), (field, todo) => {
    const got: Partial<Record<Target, number>> = {};
    if (todo.includes('data')) got.data = rankModPrime(intoRing(data, field), field);
    const parts = todo.filter((q): q is Quantity => q !== 'data');
    if (parts.length === 0) return got;
    const mod = `mod ${field.prime}`;
    if (compressedOver) progress?.(`${mod}: ranks through the block structure`);
    return { ...got, ...(compressedOver?.(field, parts) ?? denseExactRanks(p, parts, builderOver(field), field, mod, progress)) };
  }, exactFailureProbability);
  const parts = {} as Record<Quantity, PartRank>;
  for (const q of wanted) parts[q] = { rank: exact[q].rank, exact: exact[q] };
  return { p, r: exact.data.rank, ranks: ranksOf(parts), parts, method: 'exact' };
}

/** The wanted parts' ranks modulo one prime from the dense builder (p × p matrices, J). */
function denseExactRanks(p: number, wanted: readonly Quantity[], builder: ExactHessianBuilder, field: PrimeField, mod: string, progress?: MeasureProgress): Partial<Record<Quantity, number>> {
  const ranks: Partial<Record<Quantity, number>> = {};
  const needJacobian = wanted.includes('HO') || (wanted.includes('H') && !builder.addOuterProduct);
  if (needJacobian) progress?.(`${mod}: building J`);
  const jacobian = needJacobian ? builder.jacobian() : undefined;
  if (wanted.includes('HO')) {
    progress?.(`${mod}: rank of J (${jacobian!.rows}×${jacobian!.cols})`);
    ranks.HO = rankModPrime(jacobian!, field);
  }
  if (wanted.includes('H') || wanted.includes('HF')) {
    progress?.(`${mod}: building H_F`);
    const functional = workMatrix('functional', p, p);
    builder.addFunctional(functional);
    if (wanted.includes('HF')) {
      progress?.(`${mod}: rank of H_F (${square(p)})`);
      ranks.HF = rankModPrime(functional, field);
    }
    if (wanted.includes('H')) {
      progress?.(`${mod}: rank of H (${square(p)})`);
      if (builder.addOuterProduct) builder.addOuterProduct(functional);
      else addGramInto(functional, jacobian!, field);
      ranks.H = rankModPrime(functional, field);
    }
  }
  return ranks;
}

/**
 * float64 ranks of the wanted parts: H and H_F from their eigenvalues (on both cores), H_O from the
 * Gram matrix of its factor. r is the numerical rank of `data`. Shared by every architecture family.
 */
export function floatPartRanks(
  built: HessianParts,
  wanted: readonly Quantity[],
  data: Matrix,
  progress?: MeasureProgress,
): Omit<Measurement<never>, 'seconds' | 'architecture' | 'seed'> {
  const p = built.parameters;
  const parts = {} as Record<Quantity, PartRank>;
  const symmetric = (['H', 'HF'] as const).filter((q) => wanted.includes(q));
  const matrices = symmetric.map((q) => (q === 'H' ? built.hessian : built.functional));
  if (symmetric.length > 0) progress?.(`eigenvalues of ${symmetric.map((q) => (q === 'H' ? 'H' : 'H_F')).join(' and ')} (${square(p)})`);
  const spectra = matrices.length === 2 ? spectraOfBoth(matrices[0]!, matrices[1]!) : matrices.map((m) => symmetricSpectrum(m));
  symmetric.forEach((q, i) => {
    parts[q] = floatPart(numericalRank(spectra[i]!.eigenvalues, p));
  });
  if (wanted.includes('HO')) {
    const gram = built.outerGram?.();
    progress?.(`rank of H_O (Gram of J, ${square(gram ? gram.rows : Math.min(built.jacobian.rows, built.jacobian.cols))})`);
    parts.HO = floatPart(numericalRank(gram ? symmetricEigenvalues(gram) : gramEigenvalues(built.jacobian), p));
  }
  const r = numericalRank(gramEigenvalues(transpose(data)), Math.max(data.rows, data.cols)).rank;
  return { p, r, ranks: ranksOf(parts), parts, method: 'float64' };
}

export function measureInstance(
  instance: NetworkInstance,
  exact: boolean,
  wanted: readonly Quantity[] = quantities,
  progress?: MeasureProgress,
): Omit<Measurement, 'seconds' | 'architecture' | 'seed'> {
  const p = parameterCount(instance.net);
  if (exact && instance.net.activation === 'relu') {
    const found = activationPattern(instance);
    if ('kink' in found) throw new InputError(`this integer instance puts a pre-activation exactly on the ReLU kink (sample ${found.kink.sample + 1}, layer ${found.kink.layer})`);
    return exactReluRanks(instance, found.pattern, wanted, progress);
  }
  if (exact) {
    const compressed = p >= compressionMinimumParameters ? (field: PrimeField, todo: readonly Quantity[]) => compressedExactRanks(instance, field, todo) : undefined;
    return exactPartRanks(p, wanted, (field) => new LinearNetworkHessian(instance, field), instance.inputs, fullyConnectedEvidence(instance), compressed, progress);
  }
  if (instance.net.activation === 'linear' && linearPath(instance.net, false).compressed) {
    progress?.('eigenvalues through the block structure');
    const compressed = linearCompressedRanks(instance, wanted);
    if (compressed) return compressed;
  }
  progress?.(`building H, H_O, H_F (p = ${p})`);
  return floatPartRanks(hessianParts(instance, true), wanted, instance.inputs, progress);
}

/**
 * The linear branch: Qᵀ H Q, Qᵀ H_F Q and H_O's Gram built from the block structure, never a p × p
 * matrix (compressedLinearHessian.ts); undefined when S is too large to pay off or a certificate
 * fails, and the dense path decides.
 */
function linearCompressedRanks(instance: NetworkInstance, wanted: readonly Quantity[]): Omit<Measurement, 'seconds' | 'architecture' | 'seed'> | undefined {
  const h = new LinearNetworkHessian(instance);
  const basis = floatRangeBasis(h);
  const p = basis.parameters;
  if (basis.dimension >= p) return undefined;
  const spectra = compressedSpectra(h, basis, wanted);
  if (!spectra) return undefined;
  const parts = {} as Record<Quantity, PartRank>;
  for (const q of wanted) {
    const spectrum = spectra[q]!;
    parts[q] = floatPart(numericalRank(spectrumValues(spectrum, p), p));
    if (spectrum.compression) parts[q].compression = { dimension: spectrum.compression.dimension, residual: spectrum.compression.residual };
  }
  const data = instance.inputs;
  const r = numericalRank(gramEigenvalues(transpose(data)), Math.max(data.rows, data.cols)).rank;
  return { p, r, ranks: ranksOf(parts), parts, method: 'float64' };
}

/** The exact path compresses from this p on (compressedExactRanks). */
const compressionMinimumParameters = compressionLimits.minimumParameters;

/** A float64 part: its rank at τ, or null when the decision rule (numericalRank.ts) does not decide it. */
function floatPart(numerical: NumericalRank): PartRank {
  return { rank: numerical.undetermined ? null : numerical.rank, numerical };
}

function ranksOf(parts: Record<Quantity, PartRank>): Record<Quantity, number | null> {
  return Object.fromEntries(Object.entries(parts).map(([q, part]) => [q, part.rank])) as Record<Quantity, number | null>;
}

/** Checks a measurement's options (seed, exact, quantities): InputError on anything else. */
export function checkMeasureOptions(options: MeasureOptions): void {
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) throw new InputError(`the seed must be an integer, got ${String(options.seed)}`);
  if (options.exact !== undefined && typeof options.exact !== 'boolean') throw new InputError(`exact must be true or false, got ${String(options.exact)}`);
  if (options.progress !== undefined && typeof options.progress !== 'function') throw new InputError('progress must be a function (phase: string) => void');
  if (options.quantities !== undefined) {
    if (!Array.isArray(options.quantities) || options.quantities.length === 0) throw new InputError('quantities must list some of H, HO, HF');
    for (const q of options.quantities) if (!quantities.includes(q)) throw new InputError(`quantity must be one of ${quantities.join(', ')}, got ${String(q)}`);
  }
}

/**
 * Exact ranks of a ReLU mse network at one integer instance, its activation pattern fixed: the
 * forward-over-reverse builder (src/numeric/sharedWeightHessian.ts on dense patterns) run in Z/PZ, H_F as its
 * own sum.
 */
export function exactReluRanks(
  instance: NetworkInstance,
  pattern: ActivationPattern,
  wanted: readonly Quantity[],
  progress?: MeasureProgress,
): Omit<Measurement, 'seconds' | 'architecture' | 'seed'> {
  return exactPartRanks(
    parameterCount(instance.net),
    wanted,
    (field) => exactBuilder(new SharedWeightHessian(denseSharedWeightNetwork(instance), 'relu', 'mse', { field, pattern }), field),
    instance.inputs,
    fullyConnectedEvidence(instance),
    undefined,
    progress,
  );
}

/**
 * The evidence of a fully-connected integer instance (linear or ReLU): row bounds from the absolute
 * instance; rank bounds NK for H_O and, for linear networks, dim S (compressedDimension: the
 * ranges of H and H_F lie in S over Q, docs/theory.md#range-compression).
 */
export function fullyConnectedEvidence(instance: NetworkInstance): ExactEvidence {
  const net = instance.net;
  const NK = net.samples * net.widths[net.widths.length - 1]!;
  const S = net.activation === 'linear' ? compressedDimension(net) : undefined;
  return {
    seed: instance.seed,
    rowSums: () => fullyConnectedRowSums(instance),
    rankBounds: { HO: Math.min(NK, S?.outer ?? NK, S?.exact.outer ?? NK), ...(S ? { H: S.dimension, HF: S.dimension } : {}) },
  };
}

/** A builder of H_F and J over Z/PZ as exactPartRanks needs it. */
export function exactBuilder(built: { jacobian(): Matrix; functional(): Matrix }, field: PrimeField): ExactHessianBuilder {
  return {
    jacobian: () => built.jacobian(),
    addFunctional(out) {
      const functional = built.functional().data;
      for (let k = 0; k < functional.length; k++) out.data[k] = field.add(out.data[k]!, functional[k]!);
    },
  };
}

/** The one line that refuses --exact where the Hessian is not integral. */
export function checkExact(net: { activation: Activation; loss: Loss }): void {
  if (!isIntegral(net)) {
    throw new InputError(
      `--exact needs mse loss and a ${exactActivations.join(' or ')} network (only then is the Hessian integral on an integer instance); ${net.activation} with ${net.loss} is not`,
    );
  }
}

export function measure(net: FullyConnected, options: MeasureOptions = {}): Measurement {
  checkMeasureOptions(options);
  const seed = options.seed ?? 0;
  const exact = options.exact ?? false;
  if (exact) checkExact(net);
  checkSize(describe(net), parameterCount(net), estimateCost(net, exact), options.force);
  const started = performance.now();
  if (exact && net.activation === 'relu' && options.weights === undefined) {
    const drawn = integerReluInstance(seed, (s) => sampleInstance(net, { seed: s, integer: true, inputs: options.inputs, targets: options.targets }), (i) => activationPattern(i), describe(net));
    const result = exactReluRanks(drawn.instance, drawn.pattern, options.quantities ?? quantities, options.progress);
    return { architecture: net, seed, ...result, seconds: (performance.now() - started) / 1000, ...(drawn.redraws > 0 ? { redraws: drawn.redraws } : {}) };
  }
  const instance = sampleInstance(net, { seed, integer: exact, inputs: options.inputs, targets: options.targets, weights: options.weights });
  const result = measureInstance(instance, exact, options.quantities, options.progress);
  return { architecture: net, seed, ...result, seconds: (performance.now() - started) / 1000 };
}

