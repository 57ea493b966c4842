/**
 * The one linear-algebra layer every family uses (kernels in WebAssembly, c/ → linalg.wasm):
 * symmetric eigenvalues and eigenpairs, singular values and vectors, GEMM and Gram matrices,
 * rank by elimination modulo primes.
 */
export { symmetricEigenvalues, symmetricEigenvaluesWithMethod, type EigenvalueMethod, type SymmetricEigenvalues } from './symmetricEigenvalues.js';
export { symmetricEigensystem, type Eigensystem } from './symmetricEigensystem.js';
export { singularValueDecomposition, singularValues, type SingularValueDecomposition } from './singularValueDecomposition.js';
export { gramOfColumns, gramOfRows, multiply } from './gemm.js';
export { combineExactRanks, drawPrimes, exactFailureProbability, exactFields, exactRanks, failureProbability, log2MatrixMinorBound, log2MinorBound, primeSeed, primesForFailureProbability, rankModPrime, rankProfileModPrime, type ExactRank, type ExactRankTarget } from './exactRank.js';
export { genericPolynomialRank, genericRank, type GenericRank } from './genericRank.js';
export { awaitHelper, kernelMatrixBytes, oneThreadPerMeasurement, threadsActive, useThreads, wasmMemoryLimit } from './wasm.js';
