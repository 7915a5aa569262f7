// Labelled samples as backends consume them: a flat Float32Array of inputs scaled to [0, 1].
import type { Shape } from '../core/geometry.js';
import { shapeSize } from '../core/geometry.js';
import { InputError } from '../core/errors.js';

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
  /** false: the samples came without labels (their `labels` are placeholders; no accuracy is measured). */
  readonly labelled?: boolean;
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

/**
 * The first `count` samples, refusing (naming `field`) a count beyond the set instead of silently running
 * fewer — unless `count` is the option's default (`defaultCount`), which means "up to that many".
 */
export function takeRequested(set: SampleSet, count: number, field: string, defaultCount?: number): SampleSet {
  if (count > set.count && count !== defaultCount) {
    throw InputError.at({ field, problem: `asks for ${count} samples, but ${set.id} has ${set.count}`, fix: `give ${set.count} or fewer` });
  }
  return takeSamples(set, count);
}

export function sampleInput(set: SampleSet, index: number): Float32Array {
  const size = sampleSize(set);
  return set.inputs.subarray(index * size, (index + 1) * size);
}

/**
 * How one sample's values are laid out: a static input (coded into spikes by the backend), or frames
 * that are already spikes, `timesteps` frames of `frameShape` each (the SampleSet's shape is then
 * [timesteps, ...frameShape], frame-major).
 */
export type SampleLayout =
  | { readonly kind: 'static'; readonly shape: Shape }
  | { readonly kind: 'frames'; readonly timesteps: number; readonly frameShape: Shape };

/** Frame `t` of sample `index` of a set laid out as `timesteps` frames (a view, no copy). */
export function sampleFrame(set: SampleSet, timesteps: number, index: number, t: number): Float32Array {
  const size = sampleSize(set);
  if (size % timesteps !== 0) throw new Error(`a sample of ${size} values does not split into ${timesteps} frames`);
  const frame = size / timesteps;
  const start = index * size + t * frame;
  return set.inputs.subarray(start, start + frame);
}
