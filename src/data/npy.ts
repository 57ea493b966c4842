/**
 * NumPy's .npy format, version 1.0–3.0: the magic "\x93NUMPY", a version, a little-endian header length
 * (2 bytes in 1.0, 4 bytes in 2.0/3.0), a Python dict literal
 *   {'descr': '<f8', 'fortran_order': False, 'shape': (N, d), }
 * and then the raw array, row-major (C order) or column-major (Fortran order).
 *
 * Read: little-endian (or byte-order-free) float32/float64 and integer arrays, returned as float64 in
 * C order; big-endian, complex, object, bool and string arrays are refused with one line naming the
 * dtype. Written: float64 or int64, C order, version 1.0 (what numpy.save writes for them).
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';

export interface NpyArray {
  /** e.g. [N, d] or [N, C, H, W]; [] for a scalar */
  readonly shape: readonly number[];
  /** the values in C (row-major) order, as float64 */
  readonly data: Float64Array;
  /** numpy's dtype string, e.g. '<f4' */
  readonly dtype: string;
  /** whether the dtype is an integer type (class indices) */
  readonly integer: boolean;
}

const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

interface ElementType {
  bytes: number;
  integer: boolean;
  read(view: DataView, offset: number): number;
}

const elementTypes: Record<string, ElementType> = {
  f4: { bytes: 4, integer: false, read: (v, o) => v.getFloat32(o, true) },
  f8: { bytes: 8, integer: false, read: (v, o) => v.getFloat64(o, true) },
  i1: { bytes: 1, integer: true, read: (v, o) => v.getInt8(o) },
  u1: { bytes: 1, integer: true, read: (v, o) => v.getUint8(o) },
  i2: { bytes: 2, integer: true, read: (v, o) => v.getInt16(o, true) },
  u2: { bytes: 2, integer: true, read: (v, o) => v.getUint16(o, true) },
  i4: { bytes: 4, integer: true, read: (v, o) => v.getInt32(o, true) },
  u4: { bytes: 4, integer: true, read: (v, o) => v.getUint32(o, true) },
  i8: { bytes: 8, integer: true, read: (v, o) => Number(v.getBigInt64(o, true)) },
  u8: { bytes: 8, integer: true, read: (v, o) => Number(v.getBigUint64(o, true)) },
};

function headerField(header: string, key: string, pattern: string, what: string): string {
  const match = new RegExp(`['"]${key}['"]\\s*:\\s*(${pattern})`).exec(header);
  if (!match) throw new InputError(`${what}: the .npy header has no readable '${key}' (${header.trim()})`);
  return match[1]!;
}

/** Parses the bytes of a .npy file; `what` names it in errors. */
export function parseNpy(bytes: Uint8Array, what: string): NpyArray {
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new InputError(`${what} is not a .npy file (no \\x93NUMPY magic)`);
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major < 1 || major > 3) throw new InputError(`${what}: .npy version ${major}.${bytes[7]} is not supported (1.0–3.0)`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLength > bytes.length) throw new InputError(`${what}: the .npy header runs past the end of the file`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = headerField(header, 'descr', `'[^']*'|"[^"]*"`, what).slice(1, -1);
  const fortran = headerField(header, 'fortran_order', 'True|False', what) === 'True';
  const shapeText = headerField(header, 'shape', '\\([^)]*\\)', what);
  const shape = shapeText
    .slice(1, -1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      if (!/^\d+L?$/.test(s)) throw new InputError(`${what}: shape ${shapeText} is not a tuple of sizes`);
      return Number(s.replace('L', ''));
    });
  const order = descr[0];
  const type = elementTypes[descr.slice(1)];
  if (!type || !['<', '|', '='].includes(order ?? '') || (order === '|' && type.bytes > 1)) {
    const why = order === '>' ? 'big-endian arrays are not supported; save with .astype("<f8")' : 'supported: float32, float64 and integer types, little-endian';
    throw new InputError(`${what}: dtype '${descr}' is not supported (${why})`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLength;
  if (bytes.length - offset < count * type.bytes) {
    throw new InputError(`${what}: shape (${shape.join(', ')}) of ${descr} needs ${count * type.bytes} bytes, the file holds ${bytes.length - offset}`);
  }
  const data = new Float64Array(count);
  if (!fortran || shape.length < 2) {
    for (let i = 0; i < count; i++) data[i] = type.read(view, offset + i * type.bytes);
  } else {
    // element k in Fortran order has multi-index (k mod s_0, ⌊k/s_0⌋ mod s_1, …); place it at its C index
    const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
    const index = new Array<number>(shape.length).fill(0);
    for (let k = 0; k < count; k++) {
      let c = 0;
      for (let axis = 0; axis < shape.length; axis++) c += index[axis]! * strides[axis]!;
      data[c] = type.read(view, offset + k * type.bytes);
      for (let axis = 0; axis < shape.length; axis++) {
        if (++index[axis]! < shape[axis]!) break;
        index[axis] = 0;
      }
    }
  }
  return { shape, data, dtype: descr, integer: type.integer };
}

export function readNpy(file: string): NpyArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseNpy(bytes, file);
}

/** The bytes of a version 1.0 .npy file holding `data` (C order) as '<f8' or '<i8'. */
export function encodeNpy(shape: readonly number[], data: ArrayLike<number>, dtype: '<f8' | '<i8' = '<f8'): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // the data start at a multiple of 64 bytes; the header ends with a newline
  const padded = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(padded - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(padded + 8 * data.length);
  out.set(magic, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  for (let i = 0; i < data.length; i++) {
    if (dtype === '<f8') view.setFloat64(padded + 8 * i, data[i]!, true);
    else view.setBigInt64(padded + 8 * i, BigInt(data[i]!), true);
  }
  return out;
}
