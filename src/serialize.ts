/**
 * The stable JSON shapes of predictions and measurements (docs/cli.md documents them).
 * Infinity (a gap above an exact zero) is written as null.
 */
import { convolutionalSyntax, type Convolutional } from './architecture/convolutional.js';
import type { FullyConnected } from './architecture/fullyConnected.js';
import type { VerifyResult } from './verify/verify.js';
import type { Prediction } from './catalog/predict.js';
import type { Measurement, PartRank, Quantity } from './numeric/measure.js';

export function architectureJson(net: FullyConnected): ReturnType<typeof fullyConnectedJson>;
export function architectureJson(net: FullyConnected | Convolutional): ReturnType<typeof fullyConnectedJson> | ReturnType<typeof convolutionalJson>;
export function architectureJson(net: FullyConnected | Convolutional) {
  return net.kind === 'convolutional' ? convolutionalJson(net) : fullyConnectedJson(net);
}

function fullyConnectedJson(net: FullyConnected) {
  return { widths: [...net.widths], samples: net.samples, bias: net.bias, loss: net.loss, act: net.activation };
}

/** A CNN: its --cnn text (parsed back by --cnn) and the same fields spelled out. */
function convolutionalJson(net: Convolutional) {
  return {
    cnn: convolutionalSyntax(net),
    input: [...net.input],
    inputChannels: net.inputChannels,
    layers: net.layers.map((l) => ({ kernel: [...l.kernel], channels: l.channels, stride: [...l.stride], padding: [...l.padding] })),
    K: net.outputs,
    samples: net.samples,
    bias: net.bias,
    loss: net.loss,
    act: net.activation,
  };
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The formulas behind a prediction: id, kind, status, value, LaTeX per quantity. */
export function formulasJson(formulas: Prediction['formulas']) {
  return Object.fromEntries(
    Object.entries(formulas).map(([q, f]) => [q, { id: f.formula, kind: f.kind, status: f.status, value: f.value, latex: f.latex }]),
  );
}

export function predictionJson(prediction: Prediction) {
  return {
    architecture: architectureJson(prediction.architecture),
    p: prediction.p,
    r: prediction.r,
    q: prediction.q,
    s: prediction.s,
    ranks: { H: prediction.ranks.H ?? null, HO: prediction.ranks.HO ?? null, HF: prediction.ranks.HF ?? null },
    formulas: formulasJson(prediction.formulas),
    blocks: Object.fromEntries(Object.entries(prediction.blocks).map(([q, list]) => [q, list.map((b) => b.value)])),
  };
}

function partJson(part: PartRank) {
  if (part.exact) return { rank: part.rank, primes: part.exact.primes, ranksModPrimes: part.exact.ranksModPrimes };
  const n = part.numerical!;
  return {
    rank: part.rank,
    tolerance: n.tolerance,
    sigmaMax: n.sigmaMax,
    gap: n.gap ? { above: n.gap.above, below: n.gap.below, decades: finite(n.gap.decades) } : null,
    largestGapRank: n.largestGapRank,
    compression: part.compression ?? null,
  };
}

export function measurementJson(m: Measurement<FullyConnected | Convolutional>) {
  return {
    architecture: architectureJson(m.architecture),
    p: m.p,
    r: m.r,
    ranks: Object.fromEntries((['H', 'HO', 'HF'] as Quantity[]).filter((q) => q in m.ranks).map((q) => [q, m.ranks[q]])),
    method: m.method,
    seed: m.seed,
    seconds: m.seconds,
    parts: Object.fromEntries((['H', 'HO', 'HF'] as Quantity[]).filter((q) => q in m.parts).map((q) => [q, partJson(m.parts[q])])),
  };
}

/** verify's result (docs/cli.md#verify); the counterexample's architecture as architectureJson gives it. */
export function verifyResultJson(r: VerifyResult<FullyConnected> | VerifyResult<Convolutional>) {
  const o = r.counterexample;
  return {
    claim: r.claim,
    quantity: r.quantity,
    kind: r.kind,
    holds: r.holds,
    checked: r.checked,
    equal: r.equal,
    skipped: r.skipped,
    seed: r.seed,
    counterexample: o
      ? { architecture: architectureJson(o.architecture), instanceSeed: o.instanceSeed, r: o.r, predicted: o.predicted, measured: o.measured, method: o.method }
      : null,
    reproduce: r.reproduce ?? null,
  };
}
