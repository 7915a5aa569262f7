// A user's own arrays as SampleSets: .npy files written byte by byte (and by NumPy when python3-numpy
// is installed), .npz archives zipped by the test, IDX of any element type and rank; every refusal is
// one InputError line. Expected values are written by the test itself.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleFrame } from '../harness/data.js';
import { parseIdx, parseIdxArray } from '../harness/idx.js';
import { type NumericArray, samplesFromArrays } from '../workloads/datasets/arrays.js';
import { parseNpy, parseNpz } from '../workloads/datasets/npy.js';
import { loadUserSamples, readArrayFile, sniffArrayFormat } from '../workloads/datasets/user-data.js';
import { ascii, concat, f32, le, npy } from './data-readers-helpers.js';
import { refusal } from './data-readers-helpers.js';
import { pythonWith } from './python.js';

const f64 = (v: readonly number[]) => le(v, 8, (d, o, x) => d.setFloat64(o, x, true));
const i64 = (v: readonly number[]) => le(v, 8, (d, o, x) => d.setBigInt64(o, BigInt(x), true));

describe('.npy reader', () => {
  it('reads a float32 [2, 3] array written byte by byte, values exact, C order', () => {
    const a = parseNpy(npy('<f4', [2, 3], f32([0, 0.25, 0.5, 0.75, 1, -2])), 'x.npy');
    expect(a.dims).toEqual([2, 3]);
    expect(a.dtype).toBe('float32');
    expect(Array.from(a.data)).toEqual([0, 0.25, 0.5, 0.75, 1, -2]);
  });

  it('reads every numeric dtype: bool, int8–int64, uint8–uint64, float16–float64', () => {
    const cases: [string, string, Uint8Array, number[]][] = [
      ['|b1', 'bool', Uint8Array.from([1, 0, 1]), [1, 0, 1]],
      ['|i1', 'int8', Uint8Array.from([0xff, 0x80, 7]), [-1, -128, 7]],
      ['|u1', 'uint8', Uint8Array.from([255, 0, 9]), [255, 0, 9]],
      ['<i2', 'int16', le([-300, 2, 32767], 2, (d, o, x) => d.setInt16(o, x, true)), [-300, 2, 32767]],
      ['<u2', 'uint16', le([65535, 1, 2], 2, (d, o, x) => d.setUint16(o, x, true)), [65535, 1, 2]],
      ['<i4', 'int32', le([-70000, 0, 5], 4, (d, o, x) => d.setInt32(o, x, true)), [-70000, 0, 5]],
      ['<u4', 'uint32', le([4e9, 1, 2], 4, (d, o, x) => d.setUint32(o, x, true)), [4e9, 1, 2]],
      ['<i8', 'int64', i64([-5, 3, 2 ** 40]), [-5, 3, 2 ** 40]],
      ['<u8', 'uint64', le([7, 0, 2 ** 33], 8, (d, o, x) => d.setBigUint64(o, BigInt(x), true)), [7, 0, 2 ** 33]],
      // float16 bit patterns: 0x3C00 = 1, 0x3800 = 0.5, 0xC000 = −2.
      ['<f2', 'float16', le([0x3c00, 0x3800, 0xc000], 2, (d, o, x) => d.setUint16(o, x, true)), [1, 0.5, -2]],
      ['<f4', 'float32', f32([1.5, -0.125, 3]), [1.5, -0.125, 3]],
      ['<f8', 'float64', f64([0.1, -1e-300, 1e300]), [0.1, -1e-300, 1e300]],
    ];
    for (const [descr, name, bytes, values] of cases) {
      const a = parseNpy(npy(descr, [3], bytes), `${name}.npy`);
      expect([a.dtype, a.dims, Array.from(a.data)]).toEqual([name, [3], values]);
    }
  });

  it('reorders Fortran-order arrays into C order (rank 2 and 3), and reads version 2.0 headers', () => {
    // C order [[1, 2, 3], [4, 5, 6]] is stored column by column in Fortran order: 1 4 2 5 3 6.
    const two = parseNpy(npy('<f4', [2, 3], f32([1, 4, 2, 5, 3, 6]), { fortran: true }), 'f.npy');
    expect(Array.from(two.data)).toEqual([1, 2, 3, 4, 5, 6]);
    // a[i][j][k] = 100i + 10j + k at Fortran offset i + 2j + 4k (dims 2 × 2 × 3).
    const fortran: number[] = new Array(12);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 3; k++) fortran[i + 2 * j + 4 * k] = 100 * i + 10 * j + k;
    const three = parseNpy(npy('<i8', [2, 2, 3], i64(fortran), { fortran: true }), 'f3.npy');
    expect(Array.from(three.data)).toEqual([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]);
    const v2 = parseNpy(npy('<f8', [1, 2], f64([3, 4]), { version: 2 }), 'v2.npy');
    expect([v2.dims, Array.from(v2.data)]).toEqual([[1, 2], [3, 4]]);
  });

  it('reads a .npy inside a Node Buffer that shares a pool (no stray bytes from the pool)', () => {
    const file = npy('<f4', [2], f32([7, 8]));
    const pooled = Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(file)]).subarray(3);
    expect(Array.from(parseNpy(pooled, 'pooled.npy').data)).toEqual([7, 8]);
  });

  it('refuses, in one line each: empty, wrong magic, unknown version, truncated header or data, extra bytes', () => {
    const good = npy('<f4', [2, 2], f32([1, 2, 3, 4]));
    expect(refusal(() => parseNpy(new Uint8Array(0), 'e.npy')).message).toMatch(/^e\.npy: file: is empty; /);
    expect(refusal(() => parseNpy(ascii('PK not npy at all'), 'm.npy')).message).toMatch(/m\.npy: magic: is not a NumPy \.npy file/);
    const v9 = good.slice();
    v9[6] = 9;
    expect(refusal(() => parseNpy(v9, 'v.npy')).message).toMatch(/version: is 9\.0/);
    expect(refusal(() => parseNpy(good.subarray(0, 40), 't.npy')).message).toMatch(/t\.npy: header: declares 118 header bytes but the file ends after 30/);
    expect(refusal(() => parseNpy(good.subarray(0, good.length - 1), 't.npy')).message).toMatch(/data: .*needs 16 bytes but 15 follow \(the file is truncated\)/);
    expect(refusal(() => parseNpy(concat(good, Uint8Array.from([0, 0])), 'x.npy')).message).toMatch(/needs 16 bytes but 18 follow \(2 bytes follow the data\)/);
  });

  it('refuses complex, unicode, object, byte-string, structured and big-endian types, and malformed headers', () => {
    const data = new Uint8Array(16);
    // An unpadded header that leaves the float32 data at an offset that is not a multiple of 4.
    const unaligned = npy('', [4], data, { align: 1, dict: "{'descr': '<f4', 'fortran_order': False, 'shape': (4,)}" });
    expect((unaligned.length - 16) % 4).not.toBe(0);
    const cases: [string, Uint8Array, RegExp][] = [
      ['c.npy', npy('<c8', [2], data), /descr: '<c8' is a complex type, not a numeric one/],
      ['u.npy', npy('<U2', [2], data), /descr: '<U2' is a unicode string type/],
      ['o.npy', npy('|O', [2], data), /descr: '\|O' is a Python object type/],
      ['s.npy', npy('|S8', [2], data), /descr: '\|S8' is a byte string type/],
      ['b.npy', npy('>f4', [4], data), /descr: '>f4' is not little-endian; convert it: numpy\.save\(f, a\.astype\('<f4'\)\)/],
      ['r.npy', npy('', [2], data, { dict: "{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (2,), }" }), /descr: is a structured \(record\) type/],
      ['n.npy', npy('', [2], data, { dict: "{'descr': '<f4', 'fortran_order': False, }" }), /header: has no 'shape' entry/],
      ['a.npy', unaligned, /header: its length leaves the data unaligned for float32/],
      ['l.npy', npy('', [2], data, { dict: "{'descr': '<f8', 'fortran_order': False, 'shape': (2L,), }" }), /shape: is not a tuple of non-negative integers/],
    ];
    for (const [file, bytes, pattern] of cases) expect(refusal(() => parseNpy(bytes, file)).message).toMatch(pattern);
  });
});

describe('.npz reader', () => {
  const x = npy('<f4', [2, 2], f32([0, 0.5, 1, 0.25]));
  const y = npy('<i8', [2], i64([1, 0]));

  it('reads named arrays, stored or deflated, and the only array without a key', () => {
    for (const level of [0, 6] as const) {
      const zip = zipSync({ 'x.npy': x, 'y.npy': y }, { level });
      expect(Array.from(parseNpz(zip, 'd.npz', 'x').data)).toEqual([0, 0.5, 1, 0.25]);
      const labels = parseNpz(zip, 'd.npz', 'y');
      expect([labels.source, labels.dtype, Array.from(labels.data)]).toEqual(['d.npz:y', 'int64', [1, 0]]);
    }
    expect(Array.from(parseNpz(zipSync({ 'arr_0.npy': y }), 'one.npz').data)).toEqual([1, 0]);
  });

  it('refuses an ambiguous or unknown key, an archive without arrays, a truncated archive and a bad array inside', () => {
    const zip = zipSync({ 'x.npy': x, 'y.npy': y });
    expect(refusal(() => parseNpz(zip, 'd.npz')).message).toMatch(/d\.npz: key: the archive holds 2 arrays \(x, y\); name the array to read/);
    expect(refusal(() => parseNpz(zip, 'd.npz', 'z')).message).toMatch(/key: no array named 'z' \(the archive holds x, y\)/);
    expect(refusal(() => parseNpz(zipSync({ 'notes.txt': ascii('hi') }), 'n.npz')).message).toMatch(/arrays: the archive holds no \.npy arrays/);
    expect(refusal(() => parseNpz(zip.subarray(0, zip.length - 10), 't.npz', 'x')).message).toMatch(/t\.npz: zip: is not a readable \.npz \(zip\) archive/);
    expect(refusal(() => parseNpz(new Uint8Array(0), 'e.npz')).message).toMatch(/e\.npz: file: is empty/);
    const bad = zipSync({ 'x.npy': x.subarray(0, x.length - 3) });
    expect(refusal(() => parseNpz(bad, 'b.npz', 'x')).message).toMatch(/^b\.npz:x: data: .*truncated/);
  });
});

/** A big-endian IDX file: magic 0x0000, type code, rank, dims, then `payload`. */
function idx(code: number, dims: readonly number[], payload: Uint8Array): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(head.buffer);
  view.setUint8(2, code);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  return concat(head, payload);
}
const be = (values: readonly number[], size: number, set: (v: DataView, o: number, x: number) => void) => le(values, size, set);

describe('IDX of any element type and rank', () => {
  it('reads int8, int16, int32, float32 and float64 (big-endian), rank 1 to 4, raw or gzipped', () => {
    const cases: [number, string, number[], Uint8Array, number[]][] = [
      [0x09, 'int8', [3], Uint8Array.from([0xfe, 1, 0x7f]), [-2, 1, 127]],
      [0x0b, 'int16', [1, 3], be([-2, 513, 7], 2, (d, o, x) => d.setInt16(o, x)), [-2, 513, 7]],
      [0x0c, 'int32', [3, 1, 1], be([-70000, 1, 2], 4, (d, o, x) => d.setInt32(o, x)), [-70000, 1, 2]],
      [0x0d, 'float32', [1, 1, 1, 3], be([0.5, -1.25, 8], 4, (d, o, x) => d.setFloat32(o, x)), [0.5, -1.25, 8]],
      [0x0e, 'float64', [3], be([0.1, 2, -3], 8, (d, o, x) => d.setFloat64(o, x)), [0.1, 2, -3]],
    ];
    for (const [code, name, dims, payload, values] of cases) {
      for (const bytes of [idx(code, dims, payload), gzipSync(idx(code, dims, payload))]) {
        const a = parseIdxArray(bytes, 'a.idx');
        expect([a.type, a.dims, Array.from(a.data)]).toEqual([name, dims, values]);
      }
    }
  });

  it('refuses an empty file, bad magic, an unknown type, a short header, a truncated body, corrupt gzip', () => {
    const f32idx = idx(0x0d, [2], be([1, 2], 4, (d, o, x) => d.setFloat32(o, x)));
    expect(refusal(() => parseIdxArray(new Uint8Array(0), 'e')).message).toMatch(/^e: IDX header: the file is empty/);
    expect(refusal(() => parseIdxArray(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 1, 5]), 'm')).message).toMatch(/^m: IDX header: bad IDX magic/);
    expect(refusal(() => parseIdxArray(idx(0x0a, [1], Uint8Array.from([0])), 't')).message).toMatch(/IDX element type 0xa is not supported \(0x08 uint8, /);
    expect(refusal(() => parseIdxArray(Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 1]), 's')).message).toMatch(/declares 2 dimensions but the file is too short/);
    expect(refusal(() => parseIdxArray(f32idx.subarray(0, f32idx.length - 1), 'c')).message).toMatch(/^c: IDX data: IDX header declares 2 elements \(2\) of 4 bytes \(8 bytes\) but 7 bytes follow/);
    expect(refusal(() => parseIdxArray(gzipSync(f32idx).subarray(0, 12), 'g.gz')).message).toMatch(/^g\.gz: gzip: the file starts like gzip but does not decompress/);
    // The MNIST reader keeps reading unsigned bytes only.
    expect(() => parseIdx(f32idx, 'f')).toThrow(/f: IDX element type 0xd is not supported \(only unsigned bytes, 0x08\)/);
  });
});

const arr = (dims: number[], data: number[], dtype = 'float32', source = 'in.npy'): NumericArray => ({ source, dims, dtype, data });

describe('arrays → SampleSet', () => {
  it('static inputs [N, …]: uint8 divided by 255, floats as stored, labels and classes', () => {
    const u8 = samplesFromArrays(arr([2, 1, 2], [0, 255, 51, 102], 'uint8'), arr([2], [3, 1], 'int64', 'y.npy'), { id: 'mine', layout: 'static' });
    expect(u8.set.shape).toEqual([1, 2]);
    expect(Array.from(u8.set.inputs)).toEqual([0, 1, 0.2, 0.4].map((v) => Math.fround(v)));
    expect(Array.from(u8.set.labels)).toEqual([3, 1]);
    expect([u8.set.count, u8.set.classes, u8.set.id]).toEqual([2, 4, 'mine']);
    expect(u8.description).toMatchObject({ layout: { kind: 'static', shape: [1, 2] }, labelled: true, scaling: 'divided by 255', min: 0, max: 1, classes: 4 });
    const f = samplesFromArrays(arr([2, 2], [-1, 2, 0.5, 0]), undefined, { id: 'f', layout: 'static', classes: 10 });
    expect(Array.from(f.set.inputs)).toEqual([-1, 2, 0.5, 0]);
    expect(f.description).toMatchObject({ labelled: false, scaling: 'as stored', min: -1, max: 2, classes: 10 });
    expect(Array.from(f.set.labels)).toEqual([0, 0]);
    const none = samplesFromArrays(arr([1, 2], [255, 0], 'uint8'), undefined, { id: 'n', layout: 'static', scale: 'none' });
    expect(Array.from(none.set.inputs)).toEqual([255, 0]);
  });

  it('spiking frames [N, T, …]: T from the data, no scaling, frames addressable per step', () => {
    // 2 samples × T = 3 × frame [2]: sample s, step t, unit u holds 10s + 2t + u (uint8: never divided).
    const data: number[] = [];
    for (let s = 0; s < 2; s++) for (let t = 0; t < 3; t++) for (let u = 0; u < 2; u++) data.push(10 * s + 2 * t + u);
    const r = samplesFromArrays(arr([2, 3, 2], data, 'uint8'), arr([2], [0, 1]), { id: 'fr', layout: 'frames' });
    expect(r.description.layout).toEqual({ kind: 'frames', timesteps: 3, frameShape: [2] });
    expect(r.set.shape).toEqual([3, 2]);
    expect(r.description.scaling).toBe('as stored');
    expect(Array.from(sampleFrame(r.set, 3, 1, 2))).toEqual([14, 15]);
  });

  it('refuses bad shapes, mismatched labels, bad labels, NaN/Inf and out-of-range values, in one line each', () => {
    const x = arr([2, 2], [0, 0.5, 1, 0]);
    const cases: [() => unknown, RegExp][] = [
      [() => samplesFromArrays(arr([4], [1, 2, 3, 4]), undefined, { id: 'i', layout: 'static' }), /^in\.npy: shape: is \[4\], inputs must be \[N, …\]/],
      [() => samplesFromArrays(x, undefined, { id: 'i', layout: 'frames' }), /shape: is \[2, 2\], inputs must be \[N, T, …\]/],
      [() => samplesFromArrays(arr([0, 3], []), undefined, { id: 'i', layout: 'static' }), /shape: is \[0, 3\]: no samples/],
      [() => samplesFromArrays(arr([2, 0], []), undefined, { id: 'i', layout: 'static' }), /a sample has no values/],
      [() => samplesFromArrays(x, arr([3], [0, 1, 1], 'int64', 'y.npy'), { id: 'i', layout: 'static' }), /^y\.npy: shape: holds 3 labels but the inputs hold 2 samples/],
      [() => samplesFromArrays(x, arr([2, 1], [0, 1], 'int64', 'y.npy'), { id: 'i', layout: 'static' }), /^y\.npy: shape: is \[2, 1\], labels must be \[N\]/],
      [() => samplesFromArrays(x, arr([2], [0, -1], 'int64', 'y.npy'), { id: 'i', layout: 'static' }), /^y\.npy: label 1: is -1; labels must be non-negative integers/],
      [() => samplesFromArrays(x, arr([2], [0.5, 1], 'float32', 'y.npy'), { id: 'i', layout: 'static' }), /label 0: is 0\.5; labels must be non-negative integers/],
      [() => samplesFromArrays(x, arr([2], [0, 300], 'int64', 'y.npy'), { id: 'i', layout: 'static' }), /label 1: is 300; at most 256 classes/],
      [() => samplesFromArrays(x, arr([2], [0, 5], 'int64', 'y.npy'), { id: 'i', layout: 'static', classes: 5 }), /label 1: is 5 but there are 5 classes/],
      [() => samplesFromArrays(x, undefined, { id: 'i', layout: 'static', classes: 0 }), /classes: must be an integer from 1 to 256, got 0/],
      [() => samplesFromArrays(arr([2, 2], [0, 1, NaN, 0]), undefined, { id: 'i', layout: 'static' }), /^in\.npy: value \[1, 0\]: is NaN; inputs must be finite numbers/],
      [() => samplesFromArrays(arr([1, 2], [0, -Infinity]), undefined, { id: 'i', layout: 'static' }), /value \[0, 1\]: is -Infinity/],
      [() => samplesFromArrays(arr([1, 2], [0, 1e300], 'float64'), undefined, { id: 'i', layout: 'static' }), /value \[0, 1\]: is 1e\+300, beyond the float32 range/],
      [() => samplesFromArrays(arr([1, 2], [0, 1.5]), undefined, { id: 'i', layout: 'static', requireUnitRange: true }), /value \[0, 1\]: is 1\.5; this coding needs inputs in \[0, 1\]/],
    ];
    for (const [f, pattern] of cases) expect(refusal(f).message).toMatch(pattern);
  });
});

describe('files: .npy, .npz and IDX told apart by content', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jb-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('loads inputs and labels from .npy, from one .npz, and from IDX files', () => {
    const xs = write('x.npy', npy('<f4', [2, 1, 2], f32([0, 1, 0.5, 0.25])));
    const ys = write('y.npy', npy('<i8', [2], i64([2, 0])));
    const fromNpy = loadUserSamples({ file: xs, field: '--inputs' }, { file: ys, field: '--labels' }, { layout: 'static' });
    expect([fromNpy.set.id, fromNpy.set.shape, Array.from(fromNpy.set.labels), fromNpy.set.classes]).toEqual([xs, [1, 2], [2, 0], 3]);
    const z = write('d.npz', zipSync({ 'x.npy': npy('<f4', [2, 1, 2], f32([0, 1, 0.5, 0.25])), 'y.npy': npy('<i8', [2], i64([2, 0])) }));
    const fromNpz = loadUserSamples({ file: z, field: '--inputs', key: 'x' }, { file: z, field: '--labels', key: 'y' }, { layout: 'static' });
    expect(fromNpz.set.id).toBe(`${z}:x`);
    expect(Array.from(fromNpz.set.inputs)).toEqual(Array.from(fromNpy.set.inputs));
    const xi = write('x-idx', idx(0x08, [2, 2], Uint8Array.from([0, 255, 51, 0])));
    const yi = write('y-idx.gz', gzipSync(idx(0x08, [2], Uint8Array.from([1, 0]))));
    const fromIdx = loadUserSamples({ file: xi, field: '--inputs' }, { file: yi, field: '--labels' }, { layout: 'static' });
    expect([Array.from(fromIdx.set.inputs), Array.from(fromIdx.set.labels)]).toEqual([[0, 1, Math.fround(0.2), 0], [1, 0]]);
    expect([sniffArrayFormat(npy('<f4', [1], f32([1]))), sniffArrayFormat(zipSync({})), sniffArrayFormat(Uint8Array.from([0, 0, 8, 1]))]).toEqual(['npy', 'npz', 'idx']);
  });

  it('refuses a missing file, a folder, a key on a non-.npz file, and inputs/labels that disagree', () => {
    expect(refusal(() => readArrayFile({ file: join(dir, 'nope.npy'), field: '--inputs' })).message).toMatch(/^--inputs .*nope\.npy: no such file/);
    expect(refusal(() => readArrayFile({ file: dir, field: '--inputs' })).message).toMatch(/is a directory, not a file/);
    const xs = write('k.npy', npy('<f4', [1, 1], f32([1])));
    expect(refusal(() => readArrayFile({ file: xs, field: '--inputs', key: 'x' })).message).toMatch(/key: 'x' names an array, but only an \.npz archive holds named arrays/);
    const ys = write('k-labels.npy', npy('<i8', [2], i64([0, 1])));
    expect(refusal(() => loadUserSamples({ file: xs, field: '--inputs' }, { file: ys, field: '--labels' }, { layout: 'static' })).message).toMatch(/holds 2 labels but the inputs hold 1 samples/);
  });
});

const NUMPY = pythonWith('numpy');

describe.skipIf(NUMPY === null)('files written by NumPy itself (python3-numpy)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jb-numpy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('reads np.save (C and Fortran order, float32/float64/int64/bool/uint8) and np.savez / savez_compressed', () => {
    const script = [
      'import numpy as np, sys',
      'd = sys.argv[1]',
      'a = (np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 23)',
      "np.save(d + '/c.npy', a)",
      "np.save(d + '/f.npy', np.asfortranarray(a.astype(np.float64)))",
      "np.save(d + '/y.npy', np.array([2, 0]))",
      "np.save(d + '/b.npy', np.array([[True, False], [False, True]]))",
      "np.save(d + '/u.npy', np.array([[0, 255]], dtype=np.uint8))",
      "np.save(d + '/frames.npy', (np.arange(2 * 3 * 4).reshape(2, 3, 4) % 2).astype(np.uint8))",
      "np.savez(d + '/p.npz', x=a, y=np.array([2, 0]))",
      "np.savez_compressed(d + '/z.npz', x=a, y=np.array([2, 0]))",
    ].join('\n');
    const run = spawnSync(NUMPY!, ['-c', script, dir], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const expected = Array.from({ length: 24 }, (_, i) => Math.fround(i / 23));
    const read = (name: string, key?: string) => readArrayFile({ file: join(dir, name), field: '--inputs', ...(key === undefined ? {} : { key }) });
    const c = read('c.npy');
    expect([c.dtype, c.dims, Array.from(c.data)]).toEqual(['float32', [2, 3, 4], expected]);
    const f = read('f.npy');
    expect([f.dtype, f.dims, Array.from(f.data, Math.fround)]).toEqual(['float64', [2, 3, 4], expected]);
    expect(Array.from(read('y.npy').data)).toEqual([2, 0]);
    expect(read('y.npy').dtype).toBe('int64');
    expect([read('b.npy').dtype, Array.from(read('b.npy').data)]).toEqual(['bool', [1, 0, 0, 1]]);
    for (const z of ['p.npz', 'z.npz']) {
      expect(Array.from(read(z, 'x').data)).toEqual(expected);
      expect(Array.from(read(z, 'y').data)).toEqual([2, 0]);
    }
    const u = loadUserSamples({ file: join(dir, 'u.npy'), field: '--inputs' }, undefined, { layout: 'static' });
    expect(Array.from(u.set.inputs)).toEqual([0, 1]);
    const frames = loadUserSamples({ file: join(dir, 'frames.npy'), field: '--inputs' }, { file: join(dir, 'y.npy'), field: '--labels' }, { layout: 'frames' });
    expect(frames.description.layout).toEqual({ kind: 'frames', timesteps: 3, frameShape: [4] });
    expect(Array.from(sampleFrame(frames.set, 3, 1, 2))).toEqual([0, 1, 0, 1]);
  });
});
