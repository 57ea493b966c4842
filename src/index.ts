/**
 * hessian-rank public API: what the CLI itself uses, and what a researcher's own test suite imports.
 *   predict(net)            closed-form ranks from the catalog
 *   measure(net, options)   measured ranks of H, H_O, H_F (float64, or exact over prime fields)
 *   verify(...)             property-test a catalog formula or a conjecture against measured ranks
 *   architecture arbitraries for fast-check
 */
export { fullyConnected, parameterCount, depth, describe, type FullyConnected, type FullyConnectedSpec, type Activation, type Loss } from './architecture/fullyConnected.js';
export { InputError, TooLargeError } from './errors.js';
export { families, familyOf, familyNamed } from './family/registry.js';
export { reproduceCommand, type Family, type AnyFamily, type Architecture, type FamilyPrediction, type FamilyRanges, type SharedSettings } from './family/family.js';
export { fullyConnectedFamily } from './family/fullyConnected/family.js';
export { convolutionalFamily } from './family/convolutional/family.js';
export { verdict, type Verdict } from './family/verdict.js';
export { quantities, activations, losses, isIntegral } from './family/vocabulary.js';
export { loadCatalog, findFormula, type FormulaEntry, type FormulaKind, type CompiledFormula } from './catalog/catalog.js';
export { predict, evaluateFormula, type Prediction } from './catalog/predict.js';
export { parseRankExpression, evaluateRankExpression } from './catalog/expression.js';
export { vocabulary, symbolMeanings, architectureScope } from './catalog/vocabulary.js';
export { measure, measureInstance, hessianParts, type Measurement, type MeasureOptions, type Quantity } from './numeric/measure.js';
export { sampleInstance, type NetworkInstance } from './numeric/networkInstance.js';
export { fromRows, toRows, zeros, type Matrix } from './numeric/matrix.js';
export { loadDataSet, loadTargets, type DataSet } from './data/dataSet.js';
export { readNpy, encodeNpy, type NpyArray } from './data/npy.js';
export { readOnnxNetwork, onnxArchitecture, type OnnxNetwork } from './model/onnxModel.js';
export { exportOnnx } from './model/onnxExport.js';
export { train, type TrainingOptions, type TrainingResult } from './train/train.js';
export { numericalRank, type NumericalRank } from './numeric/numericalRank.js';
export { symmetricEigenvalues } from './numeric/symmetricEigenvalues.js';
export { rankModPrime } from './numeric/exactRank.js';
export { predictionJson, measurementJson, architectureJson } from './serialize.js';
export { fullyConnectedArbitrary, type ArchitectureRanges } from './verify/arbitraries.js';
export { catalogClaim, conjectureClaim, formulaClaim, predictionClaim, familyClaims, type Claim } from './verify/claim.js';
export { verify, claimProperty, observe, type VerifyResult, type VerifyOptions, type Observation } from './verify/verify.js';
export { subject, type RankSubject, type DataSource } from './report/subject.js';
export { rankRecord, agreement, type RankRecord } from './report/rankRecord.js';
export { renderRankTable, rankTableDocument, type TableFormat } from './report/rankTable.js';
export { catalogLatex, catalogDocument, catalogMarkdown } from './report/catalogTable.js';
export { runSweep, sweepSubject, parseValues, type SweepSpec, type SweepVariable } from './report/sweep.js';
export { runSweepToFiles, type SweepOutputs } from './report/sweepRunner.js';
export { sweepFigure, parameterCountFigure, type Figure } from './report/figure.js';
export { renderSvg } from './report/svgPlot.js';
export { renderPgfplots, pgfplotsDocument } from './report/pgfplotsPlot.js';
export { paperFigures, findPaperFigure, type PaperFigure } from './report/paperFigures.js';
export { loadDigits, digitImages } from './report/digits.js';
export { compileLatex, pdfText, pdfToPng } from './report/latexCompile.js';
export { convolutional, parseConvolutional, convolutionalSyntax, describeConvolutional, convolutionalParameterCount, type Convolutional, type ConvolutionalSpec, type ConvolutionLayer } from './architecture/convolutional.js';
export { toeplitzMatrix, convolutionPattern, type ConvolutionGeometry, type WeightPattern } from './cnn/toeplitz.js';
export { sampleConvolutionalInstance, expandedInstance, type ConvolutionalInstance } from './cnn/convolutionalInstance.js';
export { measureConvolutional, convolutionalHessianParts, type ConvolutionalMeasurement } from './cnn/measure.js';
export { predictConvolutional, type ConvolutionalPrediction } from './cnn/predict.js';
export { convolutionalGeometry, type ConvolutionalGeometry } from './cnn/geometry.js';
export { convolutionalScope, convolutionalSymbols } from './cnn/vocabulary.js';
export { convolutionalArbitrary, type ConvolutionalRanges } from './cnn/arbitraries.js';
export { channelSweep, channelTemplates, growth, type ChannelSweepPoint } from './cnn/sweep.js';
export { decideIdentity, type IdentityResult, type Proof, type Refutation, type ProofCase } from './symbolic/minPolynomialIdentity.js';
export { derive } from './symbolic/deriveRank.js';
export { proveAgainstCatalog, type Derivation, type DerivationStep, type DerivedRank } from './symbolic/derivation.js';
export { parseExpression as parseSymbolicExpression, toText as symbolicText, toTex as symbolicTex } from './symbolic/expression.js';
export { instantiateFormula, type SymbolicNetwork } from './symbolic/symbolicNetwork.js';
export { deriveUniformFamily } from './symbolic/uniformFamily.js';
export { asymptotics } from './symbolic/asymptotics.js';
export { kroneckerStructure, type KroneckerReport, type KroneckerOptions, type LayerKroneckerReport } from './kronecker/kroneckerStructure.js';
export { kroneckerJson } from './kronecker/kroneckerJson.js';
export { layerHessians, type LayerHessian } from './kronecker/layerHessian.js';
export { nearestKronecker } from './kronecker/nearestKronecker.js';
export { exactKroneckerStructure } from './kronecker/exactKronecker.js';
