// Labelled samples as backends consume them: a flat Float32Array of inputs scaled to [0, 1].
import type { Shape } from '../core/geometry.js';
import { shapeSize } from '../core/geometry.js';

export interface SampleSet {
  /** Dataset id and split, e.g. "mnist/test". */
  readonly id: string;
  readonly count: number;
  /** Shape of one sample (e.g. [1, 28, 28]). */
  readonly shape: Shape;
  /** count × size(shape) values in [0, 1], sample-major. */
  readonly inputs: Float32Array;
  readonly labels: Uint8Array;
  readonly classes: number;
}

export function sampleSize(set: SampleSet): number {
  return shapeSize(set.shape);
}

/** The first `count` samples (a view, no copy). */
export function takeSamples(set: SampleSet, count: number): SampleSet {
  if (!Number.isInteger(count) || count < 1) throw new Error(`sample count must be a positive integer, got ${count}`);
  const n = Math.min(count, set.count);
  const size = sampleSize(set);
  return { ...set, count: n, inputs: set.inputs.subarray(0, n * size), labels: set.labels.subarray(0, n) };
}

export function sampleInput(set: SampleSet, index: number): Float32Array {
  const size = sampleSize(set);
  return set.inputs.subarray(index * size, (index + 1) * size);
}
