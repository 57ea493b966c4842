/**
 * hessian-rank public API: what the CLI's rank commands use, and what a researcher's own test suite
 * imports (docs/api.md).
 *   families, familyOf(net)     the architecture families (docs/families.md): parse, predict, measure, arbitrary
 *   predict(net), measure(net)  fully-connected shortcuts: catalog ranks; measured ranks (float64 or exact)
 *   verify(claim), claimProperty(claim)  property-test a catalog formula, a prediction or a conjecture
 *   verdict(kind, predicted, measured)   how a measurement stands to a prediction
 *   *Json                       the stable JSON shapes (docs/cli.md)
 * Everything else (instances, oracles, kernels, renderers) is under `_internals`, not a stable interface.
 */
export { InputError, TooLargeError } from './errors.js';
export { families, familyOf, familyNamed, familyNames } from './family/registry.js';
export { reproduceCommand, type Family, type AnyFamily, type Architecture, type DeriveOptions, type FamilyDerivation, type FamilyPrediction, type FamilyRanges, type SharedSettings } from './family/family.js';
export { fullyConnectedFamily } from './family/fullyConnected/family.js';
export { convolutionalFamily } from './family/convolutional/family.js';
export { verdict, type Verdict } from './family/verdict.js';
export { quantities, activations, losses, isIntegral, type Quantity, type Activation, type Loss } from './family/vocabulary.js';
export { fullyConnected, type FullyConnected } from './architecture/fullyConnected.js';
export { convolutional, parseConvolutional, type Convolutional } from './architecture/convolutional.js';
export { loadCatalog, findFormula, type FormulaEntry, type FormulaKind, type CompiledFormula } from './catalog/catalog.js';
export { predict, type Prediction } from './catalog/predict.js';
export { measure, type Measurement, type MeasureOptions } from './numeric/measure.js';
export { fromRows, toRows, zeros, type Matrix } from './numeric/matrix.js';
export { loadDataSet, loadTargets, type DataSet } from './data/dataSet.js';
export { readNpy, encodeNpy, type NpyArray } from './data/npy.js';
export { readOnnxNetwork, onnxArchitecture, type OnnxNetwork } from './model/onnxModel.js';
export { exportOnnx } from './model/onnxExport.js';
export { train, type TrainingOptions, type TrainingResult } from './train/train.js';
export { predictionJson, measurementJson, architectureJson, verifyResultJson } from './serialize.js';
export { fullyConnectedArbitrary } from './verify/arbitraries.js';
export { convolutionalArbitrary } from './cnn/arbitraries.js';
export { catalogClaim, conjectureClaim, formulaClaim, predictionClaim, familyClaims, type Claim } from './verify/claim.js';
export { verify, claimProperty, maximumRuns, type VerifyResult, type VerifyOptions, type Observation } from './verify/verify.js';
export { subject, type RankSubject, type DataSource } from './report/subject.js';
export { rankRecord, agreement, type RankRecord } from './report/rankRecord.js';
export { renderRankTable, rankTableDocument, type TableFormat } from './report/rankTable.js';
export { runSweep, parseValues, type SweepSpec, type SweepVariable } from './report/sweep.js';
export { runSweepToFiles, type SweepOutputs } from './report/sweepRunner.js';
export { decideIdentity, type IdentityResult, type Proof, type ProofCase } from './symbolic/minPolynomialIdentity.js';
export { derive } from './symbolic/deriveRank.js';
export { proveAgainstCatalog, type Derivation, type DerivationStep, type DerivedRank } from './symbolic/derivation.js';
export { deriveUniformFamily } from './symbolic/uniformFamily.js';
export { asymptotics } from './symbolic/asymptotics.js';
export { kroneckerStructure, type KroneckerReport, type LayerKroneckerReport } from './kronecker/kroneckerStructure.js';
export { kroneckerJson } from './kronecker/kroneckerJson.js';
export * as _internals from './internals.js';
