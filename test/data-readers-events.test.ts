// N-MNIST / N-Caltech101 event files (40-bit events) written byte by byte with known events, binned
// into [T, 2, H, W] frames checked by hand; the folder-of-classes layout; every refusal is one line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleFrame } from '../harness/data.js';
import { NMNIST_SENSOR, binEvents, parseEventStream, readEventFile, readEventFolder } from '../workloads/datasets/events.js';
import { encodeEvents as encode, refusal, type Ev } from './data-readers-helpers.js';

/** Frame value at (step t, polarity p, row y, column x) of one sample [T, 2, H, W]. */
const at = (frames: Float32Array, h: number, w: number, t: number, p: number, y: number, x: number) => frames[((t * 2 + p) * h + y) * w + x];

// Four events on a 4 × 3 sensor (max x 3, max y 2): two ON events at (1, 2) in the first millisecond,
// one OFF at (0, 0) at 1000 µs, one OFF at (3, 1) at 2500 µs.
const EVENTS: Ev[] = [
  { x: 1, y: 2, p: 1, t: 0 },
  { x: 1, y: 2, p: 1, t: 999 },
  { x: 0, y: 0, p: 0, t: 1000 },
  { x: 3, y: 1, p: 0, t: 2500 },
];

describe('N-MNIST binary events', () => {
  it('decodes x, y, polarity and the 23-bit timestamp; a y = 240 marker adds 2^13 µs to later events', () => {
    const s = parseEventStream(encode([{ x: 33, y: 0, p: 1, t: 0x7fffff }, { x: 0, y: 33, p: 0, t: 0x012345 }]), 'a.bin');
    expect([s.count, Array.from(s.x), Array.from(s.y), Array.from(s.p), Array.from(s.t)]).toEqual([2, [33, 0], [0, 33], [1, 0], [8388607, 0x012345]]);
    // Bit layout of the first event, by hand: 33, 0, 1 << 7 | 0x7f, 0xff, 0xff.
    expect(Array.from(encode([{ x: 33, y: 0, p: 1, t: 0x7fffff }]))).toEqual([33, 0, 0xff, 0xff, 0xff]);
    const o = parseEventStream(encode([{ x: 1, y: 1, p: 0, t: 10 }, { x: 0, y: 240, p: 0, t: 0 }, { x: 2, y: 2, p: 1, t: 20 }]), 'o.bin');
    expect([o.count, Array.from(o.x), Array.from(o.t)]).toEqual([2, [1, 2], [10, 20 + 8192]]);
  });

  it('bins at a given width into [T, 2, H, W]: T, sensor and every nonzero entry by hand', () => {
    const s = parseEventStream(encode(EVENTS), 'e.bin');
    for (const values of ['binary', 'count'] as const) {
      const b = binEvents([s], { binUs: 1000, values });
      // Latest timestamp 2500 µs → T = ceil(2501 / 1000) = 3; sensor from the data: 4 wide, 3 high.
      expect([b.timesteps, b.binUs, b.sensor, b.droppedEvents, b.maxCount]).toEqual([3, 1000, { width: 4, height: 3 }, 0, 2]);
      expect(b.frames.length).toBe(3 * 2 * 3 * 4);
      const expected = new Float32Array(72);
      expected[((0 * 2 + 1) * 3 + 2) * 4 + 1] = values === 'binary' ? 1 : 2; // t 0, ON, (1, 2): two events
      expected[((1 * 2 + 0) * 3 + 0) * 4 + 0] = 1; // t 1, OFF, (0, 0)
      expected[((2 * 2 + 0) * 3 + 1) * 4 + 3] = 1; // t 2, OFF, (3, 1)
      expect(Array.from(b.frames)).toEqual(Array.from(expected));
    }
  });

  it('bins into a given number of bins (width from the latest event), or both (later events dropped)', () => {
    const s = parseEventStream(encode(EVENTS), 'e.bin');
    const two = binEvents([s], { bins: 2, sensor: { width: 4, height: 3 } });
    // width = ceil(2501 / 2) = 1251 µs: events at 0, 999, 1000 fall in bin 0, the one at 2500 in bin 1.
    expect([two.timesteps, two.binUs, two.droppedEvents]).toEqual([2, 1251, 0]);
    expect(at(two.frames, 3, 4, 0, 1, 2, 1)).toBe(1);
    expect(at(two.frames, 3, 4, 0, 0, 0, 0)).toBe(1);
    expect(at(two.frames, 3, 4, 1, 0, 1, 3)).toBe(1);
    expect(two.frames.reduce((a, v) => a + v, 0)).toBe(3);
    const cut = binEvents([s], { bins: 2, binUs: 1000 });
    expect([cut.timesteps, cut.droppedEvents, cut.frames.reduce((a, v) => a + v, 0)]).toEqual([2, 1, 2]);
  });

  it('refuses an empty file, a length that is not a multiple of 5, only overflow markers, bad binning options, events off the sensor', () => {
    expect(refusal(() => parseEventStream(new Uint8Array(0), 'e.bin')).message).toMatch(/^e\.bin: events: the file is empty/);
    expect(refusal(() => parseEventStream(encode(EVENTS).subarray(0, 17), 't.bin')).message).toMatch(/^t\.bin: events: 17 bytes is not a whole number of 5-byte events \(2 bytes left over: truncated\?\)/);
    expect(refusal(() => parseEventStream(encode([{ x: 0, y: 240, p: 0, t: 0 }]), 'm.bin')).message).toMatch(/only timestamp-overflow markers/);
    const s = parseEventStream(encode(EVENTS), 'e.bin');
    expect(refusal(() => binEvents([s], {})).message).toMatch(/binning: neither a bin width \(µs\) nor a number of bins is given/);
    expect(refusal(() => binEvents([s], { bins: 0 })).message).toMatch(/bins: must be a positive integer, got 0/);
    expect(refusal(() => binEvents([s], { binUs: 1.5 })).message).toMatch(/bin width \(µs\): must be a positive integer, got 1\.5/);
    expect(refusal(() => binEvents([s], { binUs: 10, sensor: { width: 3, height: 3 } })).message).toMatch(/^e\.bin: event 3: at x = 3, y = 1 lies outside the 3×3 sensor/);
  });
});

describe('event files on disk: one file, a folder of class subfolders', () => {
  const root = mkdtempSync(join(tmpdir(), 'jb-events-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, bytes: Uint8Array) => {
    const path = join(root, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, bytes);
    return path;
  };

  it('reads one file', () => {
    const b = readEventFile(write('one.bin', encode(EVENTS)), { binUs: 1000, sensor: NMNIST_SENSOR });
    expect([b.timesteps, b.sensor, b.frames.length]).toEqual([3, { width: 34, height: 34 }, 3 * 2 * 34 * 34]);
    expect(at(b.frames, 34, 34, 2, 0, 1, 3)).toBe(1);
  });

  it('reads Train/<digit>/*.bin into a SampleSet of frames with labels from the folder names', () => {
    write('Train/0/00002.bin', encode([{ x: 0, y: 0, p: 1, t: 5 }]));
    write('Train/0/00001.bin', encode([{ x: 33, y: 33, p: 0, t: 2999 }]));
    write('Train/2/00007.bin', encode(EVENTS));
    write('Train/README.txt', new Uint8Array([1]));
    write('Train/2/notes.txt', new Uint8Array([1]));
    const { set, description } = readEventFolder(join(root, 'Train'), { binUs: 1000, sensor: NMNIST_SENSOR, id: 'nmnist/train' });
    // Files in name order within classes in numeric order; classes = largest label + 1.
    expect([set.id, set.count, Array.from(set.labels), set.classes, set.shape]).toEqual(['nmnist/train', 3, [0, 0, 2], 3, [3, 2, 34, 34]]);
    expect(description).toMatchObject({ layout: { kind: 'frames', timesteps: 3, frameShape: [2, 34, 34] }, classNames: ['0', '2'], binUs: 1000, droppedEvents: 0, values: 'binary' });
    expect(at(sampleFrame(set, 3, 0, 2), 34, 34, 0, 0, 33, 33)).toBe(1); // 00001.bin: OFF (33, 33) at 2999 µs → step 2
    expect(at(sampleFrame(set, 3, 1, 0), 34, 34, 0, 1, 0, 0)).toBe(1); // 00002.bin: ON (0, 0) at 5 µs → step 0
    expect(at(sampleFrame(set, 3, 2, 0), 34, 34, 0, 1, 2, 1)).toBe(1);
    expect(set.inputs.reduce((a, v) => a + v, 0)).toBe(1 + 1 + 3);
    const first = readEventFolder(join(root, 'Train'), { bins: 1, maxPerClass: 1 });
    expect([first.set.count, Array.from(first.set.labels), first.description.sensor]).toEqual([2, [0, 2], { width: 34, height: 34 }]);
  });

  it('labels named class folders by their index in name order (N-Caltech101 layout)', () => {
    write('Caltech/cars/a.bin', encode([{ x: 1, y: 1, p: 0, t: 0 }]));
    write('Caltech/airplanes/b.bin', encode([{ x: 0, y: 0, p: 1, t: 0 }]));
    const { set, description } = readEventFolder(join(root, 'Caltech'), { bins: 1 });
    expect([Array.from(set.labels), set.classes, description.classNames, set.shape]).toEqual([[0, 1], 2, ['airplanes', 'cars'], [1, 2, 2, 2]]);
  });

  it('refuses a missing folder, no class folders, an empty class folder and a bad file inside (named)', () => {
    expect(refusal(() => readEventFolder(join(root, 'missing'), { bins: 1 })).message).toMatch(/missing: folder: no such folder/);
    mkdirSync(join(root, 'flat'), { recursive: true });
    write('flat/x.bin', encode(EVENTS));
    expect(refusal(() => readEventFolder(join(root, 'flat'), { bins: 1 })).message).toMatch(/flat: folder: holds no class subfolders/);
    mkdirSync(join(root, 'Hole/1'), { recursive: true });
    write('Hole/0/a.bin', encode(EVENTS));
    expect(refusal(() => readEventFolder(join(root, 'Hole'), { bins: 1 })).message).toMatch(/Hole\/1: folder: holds no \.bin event files/);
    write('Bad/0/ok.bin', encode(EVENTS));
    write('Bad/1/cut.bin', encode(EVENTS).subarray(0, 12));
    expect(refusal(() => readEventFolder(join(root, 'Bad'), { bins: 1 })).message).toMatch(/Bad\/1\/cut\.bin: events: 12 bytes is not a whole number/);
    write('Big/0/a.bin', encode([{ x: 40, y: 0, p: 0, t: 0 }]));
    expect(refusal(() => readEventFolder(join(root, 'Big'), { bins: 1, sensor: NMNIST_SENSOR })).message).toMatch(/Big\/0\/a\.bin: event 0: at x = 40, y = 0 lies outside the 34×34 sensor/);
    expect(refusal(() => readEventFolder(join(root, 'Train'), { bins: 1, maxPerClass: 0 })).message).toMatch(/files per class: must be a positive integer/);
  });
});
