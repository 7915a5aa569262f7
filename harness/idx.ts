// Reader for the IDX format of MNIST and Fashion-MNIST (LeCun): big-endian header, then raw data.
// Accepts raw or gzip-compressed bytes (Fashion-MNIST ships gzipped). `parseIdx` reads unsigned
// bytes only (the MNIST files); `parseIdxArray` reads every IDX element type and any number of
// dimensions, and refuses a bad file with one InputError line.
import { gunzipSync } from 'node:zlib';
import { InputError } from '../core/errors.js';

export interface IdxArray {
  /** Dimension sizes, outermost first (e.g. [60000, 28, 28]). */
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** The IDX element types (third byte of the magic number) by their NumPy names. */
export type IdxElementType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** An IDX array of any element type and rank, values in C order (last dimension fastest). */
export interface IdxAnyArray {
  readonly dims: readonly number[];
  readonly type: IdxElementType;
  readonly data: IdxData;
}

interface ElementType {
  readonly name: IdxElementType;
  readonly bytes: number;
  /** Reads element i of the big-endian payload. */
  readonly read: (view: DataView, offset: number) => number;
}

const UBYTE = 0x08;

const ELEMENT_TYPES: ReadonlyMap<number, ElementType> = new Map([
  [UBYTE, { name: 'uint8', bytes: 1, read: (v, o) => v.getUint8(o) }],
  [0x09, { name: 'int8', bytes: 1, read: (v, o) => v.getInt8(o) }],
  [0x0b, { name: 'int16', bytes: 2, read: (v, o) => v.getInt16(o) }],
  [0x0c, { name: 'int32', bytes: 4, read: (v, o) => v.getInt32(o) }],
  [0x0d, { name: 'float32', bytes: 4, read: (v, o) => v.getFloat32(o) }],
  [0x0e, { name: 'float64', bytes: 8, read: (v, o) => v.getFloat64(o) }],
] as [number, ElementType][]);

const TYPED: Record<IdxElementType, new (n: number) => IdxData> = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

type Fail = (field: string, problem: string, fix: string) => never;

/**
 * The one IDX decoder: header, element type (`accept` says which codes the caller reads), exact
 * payload length. Every problem goes to `fail`, so nothing is returned half-read.
 */
function decodeIdx(bytes: Uint8Array, accept: (code: number) => boolean, typeHint: string, fail: Fail): IdxAnyArray {
  let raw = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = gunzipSync(bytes);
    } catch {
      fail('gzip', 'the file starts like gzip but does not decompress (truncated or corrupt)', 'give the complete .gz file or the uncompressed IDX file');
    }
  }
  if (raw.length === 0) fail('IDX header', 'the file is empty', 'give an IDX file (magic 0x0000, type, rank, dimensions, data)');
  if (raw.length < 4) fail('IDX header', `too short for an IDX header (${raw.length} bytes)`, 'give a complete IDX file');
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (view.getUint16(0) !== 0) fail('IDX header', 'bad IDX magic (first two bytes must be 0)', 'give an IDX file (or a .npy/.npz file)');
  const code = view.getUint8(2);
  const type = ELEMENT_TYPES.get(code);
  if (type === undefined || !accept(code)) fail('IDX header', `IDX element type 0x${code.toString(16)} is not supported (${typeHint})`, 'convert the data to one of those types');
  const rank = view.getUint8(3);
  if (rank < 1 || raw.length < 4 + 4 * rank) fail('IDX header', `IDX header declares ${rank} dimensions but the file is too short`, 'give a complete IDX file with at least one dimension');
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i);
    dims.push(d);
    count *= d;
  }
  const offset = 4 + 4 * rank;
  const payload = raw.length - offset;
  if (payload !== count * type.bytes) {
    const need = type.bytes === 1 ? '' : ` of ${type.bytes} bytes (${count * type.bytes} bytes)`;
    fail('IDX data', `IDX header declares ${count} elements (${dims.join('x')})${need} but ${payload} bytes follow`, 'the file is truncated or its header is wrong; give the complete file');
  }
  if (code === UBYTE) return { dims, type: type.name, data: raw.subarray(offset, offset + count) };
  const data = new TYPED[type.name](count);
  for (let i = 0; i < count; i++) data[i] = type.read(view, offset + i * type.bytes);
  return { dims, type: type.name, data };
}

export function parseIdx(bytes: Uint8Array, label = 'IDX data'): IdxArray {
  const array = decodeIdx(bytes, (code) => code === UBYTE, 'only unsigned bytes, 0x08', (_field, problem) => {
    throw new Error(`${label}: ${problem}`);
  });
  return { dims: array.dims, data: array.data as Uint8Array };
}

/**
 * Reads an IDX file of any element type (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32,
 * 0x0E float64; big-endian) and any rank; raw or gzipped. A bad file is one InputError naming `file`.
 */
export function parseIdxArray(bytes: Uint8Array, file: string): IdxAnyArray {
  return decodeIdx(bytes, () => true, '0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64', (field, problem, fix) => {
    throw InputError.at({ file, field, problem, fix });
  });
}

/** Encodes unsigned bytes as IDX (used by tests and by tools that write small datasets). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint8(2, UBYTE);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
