/**
 * The machinery under the public API (src/index.ts), exported as `_internals` for tests and
 * experiments: instances, oracles, rank kernels, CNN geometry, report rendering, the Kronecker
 * analysis. Not a stable interface: names and shapes may change with any release.
 */
export { parameterCount, depth, describe, type FullyConnectedSpec } from './architecture/fullyConnected.js';
export { describeConvolutional, type ConvolutionalSpec } from './architecture/convolutional.js';
export { evaluateFormula } from './catalog/predict.js';
export { vocabulary, architectureScope } from './catalog/vocabulary.js';
export { measureInstance, hessianParts } from './numeric/measure.js';
export { sampleInstance, type NetworkInstance } from './numeric/networkInstance.js';
export { numericalRank, type NumericalRank } from './numeric/numericalRank.js';
export { symmetricEigenvalues } from './linalg/index.js';
export { rankModPrime } from './linalg/index.js';
export { toeplitzMatrix, convolutionPattern, type ConvolutionGeometry } from './cnn/toeplitz.js';
export { sampleConvolutionalInstance, expandedInstance, type ConvolutionalInstance } from './cnn/convolutionalInstance.js';
export { measureConvolutional, convolutionalHessianParts } from './cnn/measure.js';
export { predictConvolutional } from './cnn/predict.js';
export { convolutionalGeometry, type ConvolutionalGeometry } from './cnn/geometry.js';
export { catalogLatex, catalogDocument, catalogMarkdown } from './report/catalogTable.js';
export { sweepSubject } from './report/sweep.js';
export { sweepFigure, parameterCountFigure, type Figure } from './report/figure.js';
export { renderSvg } from './report/svgPlot.js';
export { renderPgfplots, pgfplotsDocument } from './report/pgfplotsPlot.js';
export { paperFigures, findPaperFigure, type PaperFigure } from './report/paperFigures.js';
export { loadDigits, digitImages } from './report/digits.js';
export { compileLatex, pdfText, pdfToPng } from './report/latexCompile.js';
export { instantiateFormula, type SymbolicNetwork } from './symbolic/symbolicNetwork.js';
export { layerHessians, type LayerHessian } from './kronecker/layerHessian.js';
export { nearestKronecker } from './kronecker/nearestKronecker.js';
export { exactKroneckerStructure } from './kronecker/exactKronecker.js';
