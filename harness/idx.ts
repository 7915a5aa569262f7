// Reader for the IDX format of MNIST and Fashion-MNIST (LeCun): big-endian header, then raw data.
// Accepts raw or gzip-compressed bytes (Fashion-MNIST ships gzipped).
import { gunzipSync } from 'node:zlib';

export interface IdxArray {
  /** Dimension sizes, outermost first (e.g. [60000, 28, 28]). */
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const UBYTE = 0x08;

export function parseIdx(bytes: Uint8Array, label = 'IDX data'): IdxArray {
  const raw = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  if (raw.length < 4) throw new Error(`${label}: too short for an IDX header (${raw.length} bytes)`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (view.getUint16(0) !== 0) throw new Error(`${label}: bad IDX magic (first two bytes must be 0)`);
  const type = view.getUint8(2);
  if (type !== UBYTE) throw new Error(`${label}: IDX element type 0x${type.toString(16)} is not supported (only unsigned bytes, 0x08)`);
  const rank = view.getUint8(3);
  if (rank < 1 || raw.length < 4 + 4 * rank) throw new Error(`${label}: IDX header declares ${rank} dimensions but the file is too short`);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i);
    dims.push(d);
    count *= d;
  }
  const offset = 4 + 4 * rank;
  if (raw.length - offset !== count) {
    throw new Error(`${label}: IDX header declares ${count} elements (${dims.join('x')}) but ${raw.length - offset} bytes follow`);
  }
  return { dims, data: raw.subarray(offset, offset + count) };
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
