/**
 * A symmetric matrix handed to the eigenvalue kernels with a NaN or infinite entry. Every input is
 * checked finite where it is read (data, targets, ONNX weights), so a non-finite matrix means float64
 * overflowed while building it from finite but huge values: bad input (exit 2), not a bug.
 */
import { InputError } from '../errors.js';

export class NonFiniteMatrixError extends InputError {
  constructor() {
    super('float64 overflowed: a matrix built from the network has a non-finite entry (the data, targets or weights are too large in magnitude for float64; rescale them)');
  }
}
