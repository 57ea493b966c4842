/**
 * The IDX format of MNIST and Fashion-MNIST (optionally gzipped): two zero bytes, a type byte
 * (0x08 = unsigned byte), the number of dimensions n, n big-endian 32-bit sizes, then the values in
 * row-major order. Images are N × 28 × 28 (idx3), labels N (idx1).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../errors.js';

export interface IdxArray {
  readonly shape: readonly number[];
  /** the unsigned bytes in row-major order */
  readonly data: Uint8Array;
}

export function parseIdx(bytes: Uint8Array, what: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new InputError(`${what} is not an IDX file`);
  if (bytes[2] !== 0x08) throw new InputError(`${what}: IDX type 0x${bytes[2]!.toString(16)} is not supported (unsigned bytes, 0x08)`);
  const dimensions = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: dimensions }, (_, i) => view.getUint32(4 + 4 * i, false));
  const start = 4 + 4 * dimensions;
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - start < count) throw new InputError(`${what}: shape ${shape.join('×')} needs ${count} bytes, the file holds ${bytes.length - start}`);
  return { shape, data: bytes.subarray(start, start + count) };
}

/** Reads an IDX file, gunzipping it when its name ends in .gz. */
export function readIdx(file: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseIdx(file.endsWith('.gz') ? gunzipSync(bytes) : bytes, file);
}
