// Shared by the data-reader tests: a refusal must be an InputError of one line; .npy files written
// byte by byte as numpy.save lays them out.
import { expect } from 'vitest';
import { InputError } from '../core/errors.js';

/** The InputError `f` throws; fails the test when it throws anything else, or nothing. */
export function refusal(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).not.toMatch(/\n/);
    return e as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

export const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface NpyHeader {
  readonly fortran?: boolean;
  readonly version?: 1 | 2;
  /** The dict text as written (default: built from descr, fortran and shape). */
  readonly dict?: string;
  /** Pad the header so the data starts at a multiple of this (NumPy: 64). */
  readonly align?: number;
}

/** A .npy file as numpy.save lays it out: magic, version, header length, dict, padding, newline, data. */
export function npy(descr: string, shape: readonly number[], data: Uint8Array, h: NpyHeader = {}): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = h.dict ?? `{'descr': '${descr}', 'fortran_order': ${h.fortran === true ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const version = h.version ?? 1;
  const pre = version === 1 ? 10 : 12;
  const align = h.align ?? 64;
  const total = Math.ceil((pre + dict.length + 1) / align) * align;
  const header = `${dict.padEnd(total - pre - 1, ' ')}\n`;
  const lead = new Uint8Array(pre);
  lead.set([0x93, ...ascii('NUMPY'), version, 0]);
  const view = new DataView(lead.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  return concat(lead, ascii(header), data);
}

/** Little-endian bytes of `values` written through `set` (a DataView setter) at `size` bytes each. */
export function le(values: readonly number[], size: number, set: (v: DataView, o: number, x: number) => void): Uint8Array {
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((x, i) => set(view, i * size, x));
  return out;
}
export const f32 = (v: readonly number[]) => le(v, 4, (d, o, x) => d.setFloat32(o, x, true));

/** One N-MNIST event: pixel, polarity (1 ON, 0 OFF), timestamp in µs. */
export interface Ev {
  readonly x: number;
  readonly y: number;
  readonly p: 0 | 1;
  readonly t: number;
}

/** An N-MNIST/N-Caltech101 .bin file: 5 bytes per event: x, y, then polarity in bit 7 and the 23-bit timestamp (µs), big-endian. */
export function encodeEvents(events: readonly Ev[]): Uint8Array {
  const out = new Uint8Array(events.length * 5);
  events.forEach((e, i) => out.set([e.x, e.y, (e.p << 7) | ((e.t >> 16) & 0x7f), (e.t >> 8) & 0xff, e.t & 0xff], i * 5));
  return out;
}
