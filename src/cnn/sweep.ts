/**
 * The √p law for CNNs: sweep the channels C of every convolution in a template and record p and the
 * ranks. With c_l = C, p = Σ_l C·C·κ_l + … is quadratic in C, while the predicted ranks are linear
 * in C once C is large enough (rank H_F ≈ 2s Σ_l c_l u_l-type terms, rank H_O saturates at K r):
 * rank ∝ √p. A library function, so that reports can plot it (src/report), and the CLI prints it.
 *
 * Template: the --cnn syntax with the letter C for the swept channel counts, e.g.
 *   "in=16; conv k=3 c=C; conv k=3 c=C; K=4"      (1D)
 *   "in=6x6; conv k=3 c=C pad=1; conv k=3 c=C; K=4" (2D)
 */
import { convolutionalParameterCount, parseConvolutional, type Convolutional, type ConvolutionalSpec } from '../architecture/convolutional.js';
import { InputError } from '../errors.js';
import type { Quantity } from '../numeric/measure.js';
import { convolutionalFamily } from '../family/convolutional/family.js';
import { quantities } from '../family/vocabulary.js';

export const channelTemplates = {
  1: 'in=16; conv k=3 c=C; conv k=3 c=C; K=4',
  2: 'in=6x6; conv k=3 c=C pad=1; conv k=3 c=C; K=4',
} as const;

export interface ChannelSweepPoint {
  channels: number;
  architecture: Convolutional;
  p: number;
  r: number;
  predicted: Partial<Record<Quantity, number>>;
  /** measured on a seeded random instance when asked for (channels ≤ measureUpTo) */
  /** null: undetermined in float64 */
  measured?: Record<Quantity, number | null>;
  method?: 'exact' | 'float64';
}

export interface ChannelSweepOptions {
  /** measure ranks for C up to this value (default: none) */
  measureUpTo?: number;
  exact?: boolean;
  seed?: number;
  /** N; default 2d as for every architecture */
  samples?: number;
  bias?: boolean;
  loss?: ConvolutionalSpec['loss'];
  activation?: ConvolutionalSpec['activation'];
  force?: boolean;
}

/** The template with C replaced by `channels`. */
export function channelInstance(template: string, channels: number, rest: Omit<ConvolutionalSpec, 'input' | 'inputChannels' | 'layers' | 'outputs'> = {}): Convolutional {
  if (!/\bc=C\b/.test(template)) throw new InputError(`the sweep template "${template}" has no c=C to sweep`);
  return parseConvolutional(template.replace(/\bc=C\b/g, `c=${channels}`), rest);
}

export function channelSweep(template: string, channels: readonly number[], options: ChannelSweepOptions = {}): ChannelSweepPoint[] {
  return channels.map((C) => {
    const net = channelInstance(template, C, { samples: options.samples, bias: options.bias, loss: options.loss, activation: options.activation });
    const point: ChannelSweepPoint = { channels: C, architecture: net, p: convolutionalParameterCount(net), r: 0, predicted: {} };
    if (options.measureUpTo !== undefined && C <= options.measureUpTo) {
      const m = convolutionalFamily.measure(net, { seed: options.seed ?? 0, exact: options.exact, force: options.force });
      point.measured = m.ranks;
      point.method = m.method;
      point.r = m.r;
    }
    const prediction = convolutionalFamily.predict(net, point.measured ? point.r : undefined);
    point.r = prediction.r;
    point.predicted = prediction.ranks;
    return point;
  });
}

/** Finite differences of a sequence sampled at consecutive C: constant first differences = linear. */
export function differences(values: readonly number[]): number[] {
  return values.slice(1).map((v, i) => v - values[i]!);
}

export interface GrowthSummary {
  /** p's second differences at consecutive C (constant 2a for p = aC² + bC + c) */
  pSecondDifferences: number[];
  /** each quantity's first differences at consecutive C (constant for a linear law) */
  rankDifferences: Partial<Record<Quantity, number[]>>;
  /** rank(H)/√p at each C */
  rankOverRootP: number[];
}

/** How p and the (predicted, or measured when given) ranks grow along consecutive channel counts. */
export function growth(points: readonly ChannelSweepPoint[], source: 'predicted' | 'measured' = 'predicted'): GrowthSummary {
  const series = (q: Quantity) => points.map((pt) => (source === 'measured' ? pt.measured?.[q] : pt.predicted[q]));
  const rankDifferences: GrowthSummary['rankDifferences'] = {};
  for (const q of quantities) {
    const values = series(q);
    if (values.every((v): v is number => v !== undefined && v !== null)) rankDifferences[q] = differences(values);
  }
  return {
    pSecondDifferences: differences(differences(points.map((pt) => pt.p))),
    rankDifferences,
    rankOverRootP: points.map((pt) => {
      const h = source === 'measured' ? pt.measured?.H : pt.predicted.H;
      return h === undefined || h === null ? NaN : h / Math.sqrt(pt.p);
    }),
  };
}
