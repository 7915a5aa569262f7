// NumPy .npy files (read with npm `npyjs`) and .npz archives (zips of .npy files, opened with npm
// `fflate`). The framing (magic, version, header length), the element type, the shape and the exact
// data length are checked here before npyjs decodes the values, so a bad file is one InputError and
// nothing is half-read. Fortran-order arrays are reordered to C order.
import { unzipSync, zipSync } from 'fflate';
import { parse as npyParse } from 'npyjs';
import { InputError, excerpt } from '../../core/errors.js';
import type { NumericArray } from './arrays.js';

/** The element types read, by NumPy type code (after the byte-order character), with their names. */
const DTYPES: Readonly<Record<string, { readonly name: string; readonly bytes: number }>> = {
  b1: { name: 'bool', bytes: 1 },
  i1: { name: 'int8', bytes: 1 },
  u1: { name: 'uint8', bytes: 1 },
  i2: { name: 'int16', bytes: 2 },
  u2: { name: 'uint16', bytes: 2 },
  i4: { name: 'int32', bytes: 4 },
  u4: { name: 'uint32', bytes: 4 },
  i8: { name: 'int64', bytes: 8 },
  u8: { name: 'uint64', bytes: 8 },
  f2: { name: 'float16', bytes: 2 },
  f4: { name: 'float32', bytes: 4 },
  f8: { name: 'float64', bytes: 8 },
};

/** What a refused type code is, for the message. */
const REFUSED_KINDS: Readonly<Record<string, string>> = {
  c: 'complex',
  U: 'unicode string',
  S: 'byte string',
  O: 'Python object',
  V: 'raw or structured',
  M: 'datetime',
  m: 'timedelta',
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const DTYPE_FIX = "save a numeric array (bool, int8–int64, uint8–uint64, float16–float64), e.g. numpy.save(f, a.astype('<f4'))";

function refuse(file: string, field: string, problem: string, fix: string): never {
  throw InputError.at({ file, field, problem, fix });
}

interface Framing {
  readonly dataOffset: number;
  readonly header: string;
}

/** Magic, version and header length; the header dict's text. */
function readFraming(bytes: Uint8Array, source: string): Framing {
  if (bytes.length === 0) refuse(source, 'file', 'is empty', 'give a .npy file written by numpy.save');
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    refuse(source, 'magic', 'is not a NumPy .npy file (it does not start with \\x93NUMPY)', 'save the array with numpy.save');
  }
  const major = bytes[6];
  if (major < 1 || major > 3) refuse(source, 'version', `is ${major}.${bytes[7]}; .npy versions 1.0, 2.0 and 3.0 are read`, 'save the array with numpy.save');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) refuse(source, 'header', `the file is truncated (${bytes.length} bytes)`, 'give the complete file');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = 8 + lengthBytes + headerLength;
  if (dataOffset > bytes.length) {
    refuse(source, 'header', `declares ${headerLength} header bytes but the file ends after ${bytes.length - 8 - lengthBytes}`, 'the file is truncated; give the complete file');
  }
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, dataOffset));
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!new RegExp(`['"]${key}['"]\\s*:`).test(header)) refuse(source, 'header', `has no '${key}' entry`, 'save the array with numpy.save');
  }
  return { dataOffset, header };
}

/** The element type from the header's descr: little-endian (or byte-sized) numeric types only. */
function readDtype(header: string, source: string): { code: string; name: string; bytes: number } {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  if (descr === undefined) refuse(source, 'descr', 'is a structured (record) type', `${DTYPE_FIX}; save each field as its own array`);
  const order = '<>|='.includes(descr[0] ?? '') ? descr[0] : '';
  const code = order === '' ? descr : descr.slice(1);
  const known = DTYPES[code];
  if (known === undefined) {
    const kind = REFUSED_KINDS[code[0] ?? ''] ?? 'unknown';
    refuse(source, 'descr', `'${excerpt(descr, 20)}' is a ${kind} type, not a numeric one`, DTYPE_FIX);
  }
  if (order !== '<' && order !== '|' && !(order === '' && known.bytes === 1)) {
    refuse(source, 'descr', `'${excerpt(descr, 20)}' is not little-endian`, `convert it: numpy.save(f, a.astype('<${code}'))`);
  }
  return { code, ...known };
}

/** Reorders Fortran-order values (first index fastest) into C order (last index fastest). */
function fortranToC<T extends { length: number; [i: number]: number }>(data: T, dims: readonly number[], make: (n: number) => T): T {
  const out = make(data.length);
  const rank = dims.length;
  const strides: number[] = [];
  let s = 1;
  for (let k = 0; k < rank; k++) {
    strides.push(s);
    s *= dims[k];
  }
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = data[src];
    for (let k = rank - 1; k >= 0; k--) {
      index[k]++;
      src += strides[k];
      if (index[k] < dims[k]) break;
      src -= strides[k] * dims[k];
      index[k] = 0;
    }
  }
  return out;
}

type Numbers = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** npyjs's values as numbers: booleans as 0/1, 64-bit integers as doubles. */
function asNumbers(data: unknown, code: string): Numbers {
  if (code === 'b1') return Uint8Array.from(data as ArrayLike<boolean | number>, (v) => (v ? 1 : 0));
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data, (v) => Number(v));
  return data as Numbers;
}

/** The first `end` bytes in a fresh ArrayBuffer (a Node Buffer's `slice` is a view of a shared pool). */
function copyPrefix(bytes: Uint8Array, end: number): ArrayBuffer {
  const out = new Uint8Array(end);
  out.set(bytes.subarray(0, end));
  return out.buffer;
}

/** Reads one .npy file (bytes) into a C-order numeric array; `source` names it in errors. */
export function parseNpy(bytes: Uint8Array, source: string): NumericArray {
  const { dataOffset, header } = readFraming(bytes, source);
  const dtype = readDtype(header, source);
  if (dataOffset % dtype.bytes !== 0) refuse(source, 'header', `its length leaves the data unaligned for ${dtype.name}`, 'save the array with numpy.save (it pads the header)');
  let parsed;
  try {
    // Header first (no data), so that the shape is checked before any value is decoded.
    parsed = npyParse(copyPrefix(bytes, dataOffset), { convertFloat16: true });
  } catch (e) {
    refuse(source, 'header', `cannot be read (${excerpt(e instanceof Error ? e.message : e)})`, 'save the array with numpy.save');
  }
  const dims = parsed.shape;
  if (!dims.every((d) => Number.isInteger(d) && d >= 0)) refuse(source, 'shape', `is not a tuple of non-negative integers`, 'save the array with numpy.save');
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = count * dtype.bytes;
  const actual = bytes.length - dataOffset;
  if (actual !== expected) {
    const what = actual < expected ? 'the file is truncated' : `${actual - expected} bytes follow the data`;
    refuse(source, 'data', `the header's shape (${dims.join(', ')}) of ${dtype.name} needs ${expected} bytes but ${actual} follow (${what})`, 'give the complete file as numpy.save wrote it');
  }
  const values = asNumbers(npyParse(copyPrefix(bytes, dataOffset + expected)).data, dtype.code);
  const data = parsed.fortranOrder && dims.length > 1 ? fortranToC(values, dims, (n) => new (values.constructor as new (n: number) => Numbers)(n)) : values;
  return { source, dims, dtype: dtype.name, data };
}

/**
 * Reads one array of an .npz archive (numpy.savez or savez_compressed): the one named `key`, or the
 * only one when `key` is not given. `source` names the archive in errors.
 */
export function parseNpz(bytes: Uint8Array, source: string, key?: string): NumericArray {
  if (bytes.length === 0) refuse(source, 'file', 'is empty', 'give an .npz file written by numpy.savez');
  const names: string[] = [];
  let entries;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        if (!f.name.endsWith('.npy')) return false;
        names.push(f.name.slice(0, -4));
        return key === undefined || f.name === `${key}.npy`;
      },
    });
  } catch (e) {
    refuse(source, 'zip', `is not a readable .npz (zip) archive (${excerpt(e instanceof Error ? e.message : e)})`, 'give the complete file written by numpy.savez');
  }
  if (names.length === 0) refuse(source, 'arrays', 'the archive holds no .npy arrays', 'save arrays with numpy.savez(f, x=inputs, y=labels)');
  const list = names.map((n) => excerpt(n, 40)).join(', ');
  if (key === undefined && names.length > 1) refuse(source, 'key', `the archive holds ${names.length} arrays (${list})`, 'name the array to read');
  const name = key ?? names[0];
  const entry = entries[`${name}.npy`];
  if (entry === undefined) refuse(source, 'key', `no array named '${excerpt(name, 40)}' (the archive holds ${list})`, 'name one of the arrays it holds');
  return parseNpy(entry, `${source}:${name}`);
}

// ---------------------------------------------------------------------------------------------
// Writing (what numpy.save and numpy.savez write: format 1.0, a header padded to 64 bytes)

/** An array to write: float32 values or int64 labels, in C order. */
export type NpyArray =
  | { readonly dtype: 'float32'; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: 'int64'; readonly shape: readonly number[]; readonly data: ArrayLike<number> };

/** The bytes of a .npy file holding `a` (little-endian, C order). */
export function npyBytes(a: NpyArray): Uint8Array {
  const count = a.shape.reduce((x, y) => x * y, 1);
  if (a.data.length !== count) throw new Error(`npyBytes: ${a.data.length} values for shape [${a.shape.join(', ')}]`);
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  const dict = `{'descr': '${a.dtype === 'float32' ? '<f4' : '<i8'}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = `${dict.padEnd(total - 11, ' ')}\n`;
  const bytes = a.dtype === 'float32' ? 4 : 8;
  const out = new Uint8Array(total + count * bytes);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  for (let i = 0; i < count; i++) {
    if (a.dtype === 'float32') view.setFloat32(total + 4 * i, a.data[i], true);
    else view.setBigInt64(total + 8 * i, BigInt(a.data[i]), true);
  }
  return out;
}

/** The bytes of an .npz archive (numpy.savez: a stored zip of KEY.npy files), with a fixed time stamp so the same arrays give the same bytes. */
export function npzBytes(arrays: Readonly<Record<string, NpyArray>>): Uint8Array {
  const mtime = new Date(1980, 0, 1); // DOS time is local: built from local fields, read back by local fields
  return zipSync(Object.fromEntries(Object.entries(arrays).map(([k, a]) => [`${k}.npy`, [npyBytes(a), { level: 0, mtime }]])));
}
