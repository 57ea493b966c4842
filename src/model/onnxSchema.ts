/**
 * ONNX's protobuf schema (data/onnx/onnx.proto, ONNX 1.12 as Debian's python3-onnx ships it), read by
 * protobufjs: decoding a .onnx file into plain objects and encoding one. No protobuf is parsed by hand.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Protobuf from 'protobufjs';
import { packageRoot } from '../catalog/catalog.js';
import { InputError } from '../errors.js';

const require = createRequire(import.meta.url);

/** TensorProto.DataType values the models use. */
export const tensorTypes = { float: 1, int64: 7, double: 11 } as const;

export interface TensorObject {
  name?: string;
  dims?: number[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  doubleData?: number[];
  int64Data?: number[];
}

export interface AttributeObject {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  ints?: number[];
  s?: Uint8Array;
  t?: TensorObject;
}

export interface NodeObject {
  input?: string[];
  output?: string[];
  name?: string;
  opType: string;
  domain?: string;
  attribute?: AttributeObject[];
}

export interface ValueInfoObject {
  name: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: { dimValue?: number; dimParam?: string }[] } } };
}

export interface GraphObject {
  node?: NodeObject[];
  name?: string;
  initializer?: TensorObject[];
  input?: ValueInfoObject[];
  output?: ValueInfoObject[];
}

export interface ModelObject {
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  opsetImport?: { domain?: string; version?: number }[];
  graph?: GraphObject;
}

let modelType: Protobuf.Type | undefined;

function modelProto(): Protobuf.Type {
  if (!modelType) {
    const protobuf = require('protobufjs') as typeof Protobuf;
    modelType = protobuf.loadSync(join(packageRoot(), 'data', 'onnx', 'onnx.proto')).lookupType('onnx.ModelProto');
  }
  return modelType;
}

/** The ModelProto in `bytes` as plain objects (int64 as numbers, bytes as Uint8Array). */
export function decodeModel(bytes: Uint8Array, what: string): ModelObject {
  const type = modelProto();
  let message: Protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch (error) {
    throw new InputError(`${what} is not an ONNX model (${(error as Error).message.split('\n')[0]})`);
  }
  return type.toObject(message, { longs: Number, bytes: Uint8Array, defaults: false, arrays: true }) as ModelObject;
}

/** The bytes of a ModelProto given as plain objects. */
export function encodeModel(model: ModelObject): Uint8Array {
  const type = modelProto();
  return type.encode(type.fromObject(model as Record<string, unknown>)).finish();
}
