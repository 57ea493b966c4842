/**
 * .npy files: what numpy.save writes (C or Fortran order, float32/float64, integers) reads back as the
 * same array in C order; other dtypes are refused with one line naming them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy } from '../../src/data/npy.js';
import { InputError } from '../../src/errors.js';

/** A version 1.0 file with any descr and order, values written by `write` element by element. */
function npyFile(descr: string, fortran: boolean, shape: number[], bytesPerValue: number, write: (view: DataView, offset: number, value: number) => void, values: number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const padded = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(padded - 11, ' ') + '\n';
  const out = new Uint8Array(padded + bytesPerValue * values.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  values.forEach((v, i) => write(view, padded + i * bytesPerValue, v));
  return out;
}

/** The Fortran (column-major) order of a C-ordered array. */
function fortranOrder(shape: number[], c: number[]): number[] {
  const out: number[] = [];
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((x, y) => x * y, 1));
  const count = c.length;
  const index = shape.map(() => 0);
  for (let k = 0; k < count; k++) {
    out.push(c[index.reduce((s, v, a) => s + v * strides[a]!, 0)]!);
    for (let a = 0; a < shape.length; a++) {
      if (++index[a]! < shape[a]!) break;
      index[a] = 0;
    }
  }
  return out;
}

const arrays = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
  .chain((shape) => fc.tuple(fc.constant(shape), fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })));

describe('.npy reader', () => {
  it('reads back what it writes (float64, int64)', () => {
    fc.assert(
      fc.property(arrays, ([shape, values]) => {
        for (const dtype of ['<f8', '<i8'] as const) {
          const array = parseNpy(encodeNpy(shape, values, dtype), 'test.npy');
          expect(array.shape).toEqual(shape);
          expect(Array.from(array.data)).toEqual(values);
          expect(array.integer).toBe(dtype === '<i8');
        }
      }),
    );
  });

  it('reads a Fortran-ordered array as the same array in C order (float32)', () => {
    fc.assert(
      fc.property(arrays, ([shape, values]) => {
        const file = npyFile('<f4', true, shape, 4, (v, o, x) => v.setFloat32(o, x / 8, true), fortranOrder(shape, values));
        expect(Array.from(parseNpy(file, 'f.npy').data)).toEqual(values.map((x) => x / 8));
      }),
    );
  });

  it.each([
    ['>f8', 'big-endian'],
    ['<c16', "'<c16'"],
    ['|b1', "'|b1'"],
    ['|O', "'|O'"],
    ['<U3', "'<U3'"],
  ])('refuses dtype %s with one line', (descr, named) => {
    const file = npyFile(descr, false, [2], 8, () => {}, [0, 0]);
    expect(() => parseNpy(file, 'x.npy')).toThrow(InputError);
    expect(() => parseNpy(file, 'x.npy')).toThrow(named);
  });

  it('refuses a file that is not .npy, or too short for its shape', () => {
    expect(() => parseNpy(new TextEncoder().encode('hello world, not numpy'), 'x.npy')).toThrow(/not a \.npy file/);
    const file = encodeNpy([3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => parseNpy(file.subarray(0, file.length - 8), 'x.npy')).toThrow(/needs 72 bytes/);
  });
});
