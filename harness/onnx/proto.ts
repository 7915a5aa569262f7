// The ONNX protobuf schema (the vendored subset in onnx.proto, parsed at run time by protobufjs) and
// plain-object views of the messages joulebench reads and writes. The .proto file is read from the
// package root, so this works from the sources and from dist/ alike (tsc does not copy .proto files).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { packageRoot } from '../../core/paths.js';

export const ONNX_PROTO_PATH = join(packageRoot, 'harness', 'onnx', 'onnx.proto');

/** TensorProto.DataType values joulebench handles, and names for every type (for error messages). */
export const FLOAT = 1;
export const INT32 = 6;
export const INT64 = 7;
const DATA_TYPE_NAMES = ['UNDEFINED', 'FLOAT', 'UINT8', 'INT8', 'UINT16', 'INT16', 'INT32', 'INT64', 'STRING', 'BOOL', 'FLOAT16', 'DOUBLE', 'UINT32', 'UINT64', 'COMPLEX64', 'COMPLEX128', 'BFLOAT16'];

export function dataTypeName(t: number | undefined): string {
  return `${DATA_TYPE_NAMES[t ?? 0] ?? 'unknown'} (${t ?? 0})`;
}

/** AttributeProto.AttributeType values used by the exporter. */
export const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

// Plain objects as protobufjs's toObject({ longs: Number, arrays: true }) returns them: repeated
// fields are always arrays, optional fields are absent when unset, int64 values are numbers.
export interface OnnxTensor {
  readonly name?: string;
  readonly dims: readonly number[];
  readonly data_type?: number;
  readonly raw_data?: Uint8Array;
  readonly float_data: readonly number[];
  readonly int32_data: readonly number[];
  readonly int64_data: readonly number[];
  readonly data_location?: number;
}

export interface OnnxAttribute {
  readonly name?: string;
  readonly type?: number;
  readonly f?: number;
  readonly i?: number;
  readonly s?: Uint8Array;
  readonly t?: OnnxTensor;
  readonly floats: readonly number[];
  readonly ints: readonly number[];
}

export interface OnnxNode {
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly name?: string;
  readonly op_type?: string;
  readonly domain?: string;
  readonly attribute: readonly OnnxAttribute[];
}

export interface OnnxDim {
  readonly dim_value?: number;
  readonly dim_param?: string;
}

export interface OnnxValueInfo {
  readonly name?: string;
  readonly type?: { readonly tensor_type?: { readonly elem_type?: number; readonly shape?: { readonly dim: readonly OnnxDim[] } } };
}

export interface OnnxGraph {
  readonly node: readonly OnnxNode[];
  readonly name?: string;
  readonly initializer: readonly OnnxTensor[];
  readonly input: readonly OnnxValueInfo[];
  readonly output: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  readonly ir_version?: number;
  readonly opset_import: readonly { readonly domain?: string; readonly version?: number }[];
  readonly producer_name?: string;
  readonly producer_version?: string;
  readonly doc_string?: string;
  readonly graph?: OnnxGraph;
}

let modelType: protobuf.Type | undefined;

function modelProto(): protobuf.Type {
  if (!modelType) {
    const root = protobuf.parse(readFileSync(ONNX_PROTO_PATH, 'utf8'), { keepCase: true }).root;
    modelType = root.lookupType('onnx.ModelProto');
  }
  return modelType;
}

/** Decodes ModelProto bytes; throws protobufjs's error on malformed input. */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  const type = modelProto();
  return type.toObject(type.decode(bytes), { longs: Number, enums: Number, arrays: true }) as OnnxModel;
}

/** Encodes a ModelProto given as a plain object (int64 fields as numbers, bytes as Uint8Array). */
export function encodeModel(model: Record<string, unknown>): Uint8Array {
  const type = modelProto();
  const problem = type.verify(model);
  if (problem) throw new Error(`ONNX export: invalid ModelProto: ${problem}`);
  return type.encode(type.fromObject(model)).finish();
}

/** Float32 values as little-endian bytes (ONNX raw_data), independent of the host's byte order. */
export function floatsToRaw(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

/**
 * Little-endian float32 raw_data as a fresh, aligned Float32Array. protobufjs hands raw_data back as
 * a view into the file's buffer at an arbitrary offset, so it is read through a DataView (a copy).
 */
export function rawToFloats(raw: Uint8Array): Float32Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float32Array(raw.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
