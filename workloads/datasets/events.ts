// Event streams in the N-MNIST / N-Caltech101 binary format (Orchard et al. 2015), binned into
// already-spiking frames [T, 2, H, W]. Each event is 40 bits, 5 bytes, big-endian:
//   bits 39–32 x (pixels), bits 31–24 y, bit 23 polarity (0 OFF, 1 ON), bits 22–0 timestamp (µs).
// As in the dataset's own reader, an event with y = 240 is not an event but a timestamp overflow
// marker: every later timestamp gains 2^13 µs. Channel 0 of a frame holds OFF events, channel 1 ON.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readDocumentBytes } from '../../core/documents.js';
import { InputError, excerpt, fileSystemInputError } from '../../core/errors.js';
import type { SampleLayout, SampleSet } from '../../harness/data.js';

export interface EventStream {
  readonly source: string;
  readonly count: number;
  readonly x: Uint8Array;
  readonly y: Uint8Array;
  /** 0 OFF, 1 ON. */
  readonly p: Uint8Array;
  /** Microseconds, overflow markers applied. */
  readonly t: Float64Array;
}

export interface SensorSize {
  readonly width: number;
  readonly height: number;
}

/** The N-MNIST sensor (the ATIS crop): 34 × 34 pixels. */
export const NMNIST_SENSOR: SensorSize = { width: 34, height: 34 };

const EVENT_BYTES = 5;
const OVERFLOW_Y = 240;
const OVERFLOW_US = 2 ** 13;

function refuse(file: string, field: string, problem: string, fix: string): never {
  throw InputError.at({ file, field, problem, fix });
}

/** Decodes one file's bytes; an empty file or a length that is not a multiple of 5 is refused. */
export function parseEventStream(bytes: Uint8Array, source: string): EventStream {
  if (bytes.length === 0) refuse(source, 'events', 'the file is empty (no events)', 'give an N-MNIST/N-Caltech101 .bin file with at least one event');
  if (bytes.length % EVENT_BYTES !== 0) {
    refuse(source, 'events', `${bytes.length} bytes is not a whole number of 5-byte events (${bytes.length % EVENT_BYTES} bytes left over: truncated?)`, 'give the complete .bin file');
  }
  const records = bytes.length / EVENT_BYTES;
  const x = new Uint8Array(records);
  const y = new Uint8Array(records);
  const p = new Uint8Array(records);
  const t = new Float64Array(records);
  let n = 0;
  let offset = 0;
  for (let r = 0; r < records; r++) {
    const b = r * EVENT_BYTES;
    if (bytes[b + 1] === OVERFLOW_Y) {
      offset += OVERFLOW_US;
      continue;
    }
    x[n] = bytes[b];
    y[n] = bytes[b + 1];
    p[n] = bytes[b + 2] >> 7;
    t[n] = ((bytes[b + 2] & 0x7f) << 16) + (bytes[b + 3] << 8) + bytes[b + 4] + offset;
    n++;
  }
  if (n === 0) refuse(source, 'events', 'the file holds only timestamp-overflow markers, no events', 'give a .bin file with at least one event');
  return { source, count: n, x: x.subarray(0, n), y: y.subarray(0, n), p: p.subarray(0, n), t: t.subarray(0, n) };
}

export interface BinOptions {
  /** Width of one time bin in µs; with `bins` too, events at or after bins × binUs are dropped (counted). */
  readonly binUs?: number;
  /** Number of bins T; alone, the bin width is ceil((latest timestamp + 1) / T) over all streams. */
  readonly bins?: number;
  /** Sensor size; default: the largest x and y over all streams, plus 1. */
  readonly sensor?: SensorSize;
  /** `binary` (default): 1 where a pixel had an event in the bin; `count`: the number of events. */
  readonly values?: 'binary' | 'count';
}

export interface BinnedFrames {
  /** streams × T × 2 × H × W, stream-major. */
  readonly frames: Float32Array;
  readonly timesteps: number;
  readonly binUs: number;
  readonly sensor: SensorSize;
  /** Events at or after timesteps × binUs (only when both were given). */
  readonly droppedEvents: number;
  /** Most events of one pixel, polarity and bin (above 1: binary frames merged events). */
  readonly maxCount: number;
}

function positiveInteger(v: number | undefined, field: string, source: string): number | undefined {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) refuse(source, field, `must be a positive integer, got ${v}`, `give ${field} ≥ 1`);
  return v;
}

/**
 * Bins streams into frames [T, 2, H, W] each, with one T, bin width and sensor for all (time starts
 * at 0 µs, the recording's start). `origin` names the streams in errors about the options.
 */
export function binEvents(streams: readonly EventStream[], opts: BinOptions, origin = 'events'): BinnedFrames {
  let binUs = positiveInteger(opts.binUs, 'bin width (µs)', origin);
  const bins = positiveInteger(opts.bins, 'bins', origin);
  if (binUs === undefined && bins === undefined) refuse(origin, 'binning', 'neither a bin width (µs) nor a number of bins is given', 'give a bin width in µs or a number of bins T');
  if (opts.sensor !== undefined) {
    positiveInteger(opts.sensor.width, 'sensor width', origin);
    positiveInteger(opts.sensor.height, 'sensor height', origin);
  }
  let latest = 0;
  let maxX = 0;
  let maxY = 0;
  for (const s of streams) {
    for (let i = 0; i < s.count; i++) {
      if (s.t[i] > latest) latest = s.t[i];
      if (s.x[i] > maxX) maxX = s.x[i];
      if (s.y[i] > maxY) maxY = s.y[i];
      if (opts.sensor !== undefined && (s.x[i] >= opts.sensor.width || s.y[i] >= opts.sensor.height)) {
        refuse(s.source, `event ${i}`, `at x = ${s.x[i]}, y = ${s.y[i]} lies outside the ${opts.sensor.width}×${opts.sensor.height} sensor`, 'give the right sensor size or leave it to the data');
      }
    }
  }
  binUs ??= Math.ceil((latest + 1) / (bins as number));
  const timesteps = bins ?? Math.ceil((latest + 1) / binUs);
  const sensor = opts.sensor ?? { width: maxX + 1, height: maxY + 1 };
  const plane = sensor.width * sensor.height;
  const frameSize = 2 * plane;
  const sampleSize = timesteps * frameSize;
  const frames = new Float32Array(streams.length * sampleSize);
  let dropped = 0;
  let maxCount = 0;
  streams.forEach((s, k) => {
    const base = k * sampleSize;
    for (let i = 0; i < s.count; i++) {
      const bin = Math.floor(s.t[i] / binUs);
      if (bin >= timesteps) {
        dropped++;
        continue;
      }
      const at = base + bin * frameSize + s.p[i] * plane + s.y[i] * sensor.width + s.x[i];
      const c = frames[at] + 1;
      frames[at] = c;
      if (c > maxCount) maxCount = c;
    }
  });
  if ((opts.values ?? 'binary') === 'binary') {
    for (let i = 0; i < frames.length; i++) if (frames[i] > 1) frames[i] = 1;
  }
  return { frames, timesteps, binUs, sensor, droppedEvents: dropped, maxCount };
}

/** Reads one event file and bins it (see binEvents): frames [T, 2, H, W]. */
export function readEventFile(file: string, opts: BinOptions): BinnedFrames {
  const bytes = readDocumentBytes({ path: file, field: 'events', what: 'an N-MNIST/N-Caltech101 .bin file' });
  return binEvents([parseEventStream(bytes, file)], opts, file);
}

export interface EventFolderOptions extends BinOptions {
  /** The set's id; default: the folder. */
  readonly id?: string;
  /** Read at most this many files of each class (the first in name order). */
  readonly maxPerClass?: number;
}

export interface EventFolderDescription {
  readonly layout: SampleLayout;
  readonly count: number;
  /** Class folder names; label i is classNames[i] (numeric names: label = the number). */
  readonly classNames: readonly string[];
  readonly binUs: number;
  readonly sensor: SensorSize;
  readonly droppedEvents: number;
  readonly maxCount: number;
  readonly values: 'binary' | 'count';
}

function listDir(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') refuse(dir, 'folder', 'no such folder', 'check the path');
    if (code === 'ENOTDIR') refuse(dir, 'folder', 'is not a folder', 'name a folder of class subfolders (e.g. Train/ with 0/ … 9/)');
    throw fileSystemInputError(e) ?? e;
  }
}

/**
 * A folder of class subfolders of .bin event files (the N-MNIST layout `Train/0/*.bin … Train/9/*.bin`)
 * as a SampleSet of frames [T, 2, H, W]. Subfolders named by integers give those labels; otherwise
 * labels are the subfolders' indices in name order. Other files are ignored; a class without .bin
 * files is refused.
 */
export function readEventFolder(dir: string, opts: EventFolderOptions): { set: SampleSet; description: EventFolderDescription } {
  const maxPerClass = positiveInteger(opts.maxPerClass, 'files per class', dir);
  const classDirs = listDir(dir)
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (classDirs.length === 0) refuse(dir, 'folder', 'holds no class subfolders', 'name a folder with one subfolder of .bin files per class (e.g. 0/ … 9/)');
  const numeric = classDirs.every((n) => /^\d+$/.test(n));
  const named = numeric ? [...classDirs].sort((a, b) => Number(a) - Number(b)) : classDirs;
  const labelOf = (name: string, index: number) => (numeric ? Number(name) : index);
  const classes = numeric ? Math.max(...named.map(Number)) + 1 : named.length;
  if (classes > 256) refuse(dir, 'classes', `${classes} classes; at most 256 are supported`, 'use fewer classes');
  const streams: EventStream[] = [];
  const labels: number[] = [];
  named.forEach((name, index) => {
    const sub = join(dir, name);
    let files = listDir(sub)
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.bin'))
      .map((e) => e.name)
      .sort();
    if (files.length === 0) refuse(sub, 'folder', 'holds no .bin event files', 'remove the empty class folder or add its files');
    if (maxPerClass !== undefined) files = files.slice(0, maxPerClass);
    for (const f of files) {
      const path = join(sub, f);
      streams.push(parseEventStream(readDocumentBytes({ path, field: 'events', what: 'an N-MNIST/N-Caltech101 .bin file' }), path));
      labels.push(labelOf(name, index));
    }
  });
  const binned = binEvents(streams, opts, dir);
  const frameShape = [2, binned.sensor.height, binned.sensor.width];
  const set: SampleSet = {
    id: opts.id ?? excerpt(dir, 200),
    count: streams.length,
    shape: [binned.timesteps, ...frameShape],
    inputs: binned.frames,
    labels: Uint8Array.from(labels),
    classes,
  };
  const description: EventFolderDescription = {
    layout: { kind: 'frames', timesteps: binned.timesteps, frameShape },
    count: streams.length,
    classNames: named,
    binUs: binned.binUs,
    sensor: binned.sensor,
    droppedEvents: binned.droppedEvents,
    maxCount: binned.maxCount,
    values: opts.values ?? 'binary',
  };
  return { set, description };
}
