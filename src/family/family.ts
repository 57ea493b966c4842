/**
 * An architecture family: something whose Hessian ranks we predict and measure.
 *
 * Every command and report meets an architecture only through this interface: a family parses its
 * architectures (from its CLI flag, a batch line or a JSON value), names them, counts their
 * parameters p, knows the largest data rank r their inputs allow, predicts ranks of H, H_O, H_F
 * from the catalog, measures them (float64 or exactly over Z/PZ, through the shared machinery of
 * src/numeric/measure.ts), draws random ones for fast-check, writes the command that measures one
 * again, and gives its JSON shape; a family the symbolic layer knows also derives its ranks from
 * structure (`derive`, optional). The families are listed once, in src/family/registry.ts; adding
 * one is a new folder plus one line there (docs/families.md).
 */
import type fc from 'fast-check';
import type { FormulaKind, FormulaStatus } from '../catalog/catalog.js';
import type { Scope } from '../catalog/expression.js';
import type { Measurement, MeasurementCost, MeasureOptions } from '../numeric/measure.js';
import type { Activation, Loss, Quantity } from './vocabulary.js';

/** What every architecture has, whatever its family. */
export interface Architecture {
  /** the family's name, e.g. 'fully-connected' */
  readonly kind: string;
  readonly bias: boolean;
  readonly activation: Activation;
  readonly loss: Loss;
  /** N, the number of samples */
  readonly samples: number;
}

/** The settings every family shares: given by --samples, --bias, --loss, --act or a batch line's fields. */
export interface SharedSettings {
  samples?: number;
  bias?: boolean;
  loss?: Loss;
  activation?: Activation;
}

/** One predicted rank: the catalog formula that gave it. */
export interface PredictedRank {
  value: number;
  formula: string;
  kind: FormulaKind;
  /** how the value is known: the formula's catalog `status`, or `conjectured` when it reads a conjectured entry's rank */
  status: FormulaStatus;
  /** the conjectured entries the value reads, when the formula itself is not conjectured */
  via?: string[];
  latex: string;
}

/** A family's prediction: the shared fields, and its own (FC: q and block ranks; CNN: geometry). */
export interface FamilyPrediction<A extends Architecture = Architecture> {
  architecture: A;
  description: string;
  p: number;
  /** the data rank the formulas were evaluated at */
  r: number;
  s: number;
  ranks: Partial<Record<Quantity, number>>;
  formulas: Partial<Record<Quantity, PredictedRank>>;
  /** the family's own numbers, shown after r in the headline (e.g. q = 3) and kept in JSON */
  facts: Record<string, number>;
  /** the family's own JSON fields (e.g. blocks) */
  json: Record<string, unknown>;
  /** lines shown under the prediction table (e.g. block ranks, the geometry of a CNN) */
  notes: string[];
}

/** What `derive --<flag>` prints of a family's derivation. */
export interface DeriveOptions {
  /** the parts shown (all three are derived: H needs the other two) */
  quantities: readonly Quantity[];
  format: 'text' | 'latex' | 'json';
  /** decide every identity case by case and print every case */
  proof: boolean;
  /** results and catalog comparisons only (text) */
  brief: boolean;
}

/** A family's derivation of one architecture's ranks, ready to print. */
export interface FamilyDerivation {
  /** the lines for stdout */
  lines: string[];
  /** ids of the catalog entries the derivation contradicts (derive exits 1 when there are any) */
  differing: string[];
}

/** Random architectures for verify: ranges every family reads its own way. */
export interface FamilyRanges {
  /** [min, max] of the layers the family counts (Family.layers: L weight matrices, or convolutions) */
  depth?: [number, number];
  /** [min, max] widths / channels and K */
  width?: [number, number];
  bias?: boolean | 'any';
  loss?: Loss | 'any';
  activation?: Activation | 'any';
  /** N chosen so that the data have full rank, instead of N on both sides of d */
  fullRankData?: boolean;
  /** a family's own ranges (e.g. a CNN's dims, channels, outputs) */
  [own: string]: unknown;
}

/** Sizes shown in tables. */
export interface Shape {
  /** N */
  samples: number;
  /** d, the input dimension */
  inputDimension: number;
  /** K */
  outputs: number;
  /** L, the number of weight layers */
  depth: number;
}

export interface Family<A extends Architecture = Architecture> {
  /** the architectures' `kind`, e.g. 'fully-connected' */
  readonly name: string;
  /** the CLI flag (without --) and the batch / JSON key that names an architecture, e.g. 'widths' */
  readonly flag: string;
  /** how the flag reads in usage texts, e.g. '--widths d,M1,...,K' */
  readonly flagUsage: string;
  /** one line for usage texts: what the flag means */
  readonly flagHelp: string;
  /** what verify calls many of them, e.g. 'CNNs' */
  readonly plural: string;
  /** verify's flag for the range of FamilyRanges.depth, e.g. 'depth' (L) or 'convolutions' */
  readonly depthFlag: string;
  /** the variables a sweep may vary for this family (besides samples) */
  readonly sweepVariables: readonly string[];

  /** the flag's text into an architecture (InputError on bad text) */
  parse(text: string, shared: SharedSettings): A;
  /** a batch line's or JSON value of the family's key (InputError on a wrong type) */
  fromJson(value: unknown, shared: SharedSettings): A;
  /** the flag's text for an architecture (parse(syntax(net)) gives net back) */
  syntax(net: A): string;
  /** a table's first column: the architecture and the settings that differ from the defaults, e.g. "25-5-10, relu" */
  label(net: A): string;
  /** one line, e.g. "25-5-10-10, relu, N=50" */
  describe(net: A): string;
  /** the architecture as JSON (the one shape of this family; parse back with fromJson + shared fields) */
  json(net: A): Record<string, unknown>;
  parameters(net: A): number;
  shape(net: A): Shape;
  /** the symbols a conjecture about this family may use (docs/formulas.md, docs/cnn.md) */
  readonly symbols: readonly string[];
  /** the values of the catalog's symbols for `net` at data rank r (default: the generic dataRank) */
  scope(net: A, dataRank?: number): Scope;
  /** the largest data rank r the inputs of `net` can have (generic data): min(N, what the network reads) */
  dataRank(net: A): number;
  predict(net: A, dataRank?: number): FamilyPrediction<A>;
  /** measured ranks of H, H_O, H_F on a seeded random instance (the size guard applies unless force) */
  measure(net: A, options?: MeasureOptions): Measurement<A>;
  /** rough resources of a dense measurement, for the size guard */
  cost(net: A, exact: boolean): MeasurementCost;
  arbitrary(ranges: FamilyRanges): fc.Arbitrary<A>;
  /** the architecture at one value of a swept variable ('samples' or one of sweepVariables) */
  vary(net: A, variable: string, value: number): A;
  /** the number of layers FamilyRanges.depth counts (L for fully-connected networks, convolutions for CNNs) */
  layers(net: A): number;
  /** how verify names that number in its tightness report, e.g. "L=2" or "2 conv" */
  layersName(count: number): string;
  /** that number for a network of depth L (L weight layers) */
  layersAt(L: number): number;
  /**
   * The symbolic layer's derivation of the ranks of `net` from its structure, with symbolic sizes,
   * evaluated at its sizes and compared with the catalog (`derive --<flag>`); absent when the family
   * has none. Linear networks only: derive refuses --act for it. Asynchronous, so that a family can
   * import the symbolic layer only when a derivation is asked for.
   */
  derive?(net: A, options: DeriveOptions): Promise<FamilyDerivation>;
}

/** A family of unknown architecture type, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFamily = Family<any>;

/** `hessian-rank measure …` for one architecture and instance: the command that measures it again. */
export function reproduceCommand(family: AnyFamily, net: Architecture, options: { seed: number; exact: boolean }): string {
  const syntax = family.syntax(net);
  const quoted = /^[\w,.-]+$/.test(syntax) ? syntax : `"${syntax}"`;
  return [
    'hessian-rank measure',
    `--${family.flag} ${quoted}`,
    `--samples ${net.samples}`,
    net.bias ? '--bias' : '',
    net.loss !== 'mse' ? `--loss ${net.loss}` : '',
    net.activation !== 'linear' ? `--act ${net.activation}` : '',
    `--seed ${options.seed}`,
    options.exact ? '--exact' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** `text` followed by the settings that differ from the defaults: a table's first column. */
export function withSettings(text: string, net: Architecture): string {
  return [text, net.bias ? 'bias' : '', net.activation === 'linear' ? '' : net.activation, net.loss === 'mse' ? '' : net.loss]
    .filter((part) => part !== '')
    .join(', ');
}
