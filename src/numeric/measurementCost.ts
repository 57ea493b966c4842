/**
 * What a measurement needs: memory in all, time, and the largest matrix one kernel call of
 * src/linalg copies into WebAssembly memory (an n × n matrix plus about 2n·64 doubles of panel
 * workspace), which cannot exceed wasmMemoryLimit (4 GiB, wasm32's address space).
 * Every measurement path estimates it (measure.ts denseCost, compressedLinearHessian.ts
 * compressedCost) and the one size guard (measure.ts checkSize) reads it.
 */
export interface MeasurementCost {
  bytes: number;
  seconds: number;
  kernelBytes: number;
}
