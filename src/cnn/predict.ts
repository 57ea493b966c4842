/**
 * Prediction for CNNs: the catalog's convolutional formulas (formulas/cnn.json) evaluated on the
 * architecture's scope (src/cnn/vocabulary.ts), through the same selection as fully-connected
 * networks (src/catalog/predict.ts: exact before bounds; the tightest of several bounds; ./catalogRanks.ts).
 * H_O and H_F come first: H formulas may use them (rank H ≤ rank H_O + rank H_F − 1).
 */
import { convolutionalParameterCount, describeConvolutional, type Convolutional } from '../architecture/convolutional.js';
import { loadCatalog } from '../catalog/catalog.js';
import type { Scope } from '../catalog/expression.js';
import { checkDataRank, type PredictedRank } from '../catalog/predict.js';
import { catalogRanks } from './catalogRanks.js';
import { convolutionalDataRank, convolutionalScope } from './vocabulary.js';
import { InputError } from '../errors.js';

export interface ConvolutionalPrediction {
  architecture: Convolutional;
  description: string;
  p: number;
  /** rank of the data the network reads */
  r: number;
  s: number;
  ranks: Partial<Record<'H' | 'HO' | 'HF', number>>;
  formulas: Partial<Record<'H' | 'HO' | 'HF', PredictedRank>>;
  /** the scope the formulas were evaluated in (geometry, effective sizes, …) */
  scope: Scope;
}

export function predictConvolutional(net: Convolutional, options: { dataRank?: number } = {}, catalog = loadCatalog()): ConvolutionalPrediction {
  checkDataRank(options.dataRank);
  if (options.dataRank !== undefined && options.dataRank > convolutionalDataRank(net)) {
    throw new InputError(`data rank r = ${options.dataRank} exceeds ${convolutionalDataRank(net)}, the rank the network's inputs can have (min(N, channels × used positions))`);
  }
  const scope = convolutionalScope(net, options.dataRank);
  const { ranks, formulas } = catalogRanks(net, scope, catalog);
  return {
    architecture: net,
    description: describeConvolutional(net),
    p: convolutionalParameterCount(net),
    r: scope.r as number,
    s: scope.s as number,
    ranks,
    formulas,
    scope,
  };
}
