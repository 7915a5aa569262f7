// A user's arrays (read from .npy, .npz or IDX) turned into a SampleSet: inputs [N, …] (static) or
// [N, T, …] (frames that are already spikes), labels [N] of non-negative integers. Every check runs
// before the set is built, and each failure is one InputError naming the file.
import type { SampleLayout, SampleSet } from '../../harness/data.js';
import { InputError } from '../../core/errors.js';

/** An n-dimensional numeric array in C order (last dimension fastest). */
export interface NumericArray {
  /** Where it came from, for messages: a file, or `file:key` inside an .npz. */
  readonly source: string;
  readonly dims: readonly number[];
  /** NumPy name of the stored element type: float32, uint8, bool, … */
  readonly dtype: string;
  readonly data: ArrayLike<number>;
}

export interface SampleOptions {
  /** The set's id, e.g. `inputs.npy`. */
  readonly id: string;
  /** `static`: inputs are [N, …sample]; `frames`: inputs are [N, T, …frame], already spikes. */
  readonly layout: 'static' | 'frames';
  /** Number of classes; default: the largest label + 1 (labels must be below it when given). */
  readonly classes?: number;
  /**
   * `auto` (default): static uint8 inputs are divided by 255 (as the MNIST loader does), everything
   * else is used as stored; `none`: always as stored.
   */
  readonly scale?: 'auto' | 'none';
  /** Refuse input values outside [0, 1] (what rate and latency coding need). */
  readonly requireUnitRange?: boolean;
}

export interface SampleDescription {
  readonly layout: SampleLayout;
  readonly count: number;
  /** False when no labels were given: the labels are zeros and accuracy means nothing. */
  readonly labelled: boolean;
  readonly classes: number;
  readonly inputDtype: string;
  readonly scaling: 'divided by 255' | 'as stored';
  /** Smallest and largest input value after scaling. */
  readonly min: number;
  readonly max: number;
}

export interface UserSamples {
  readonly set: SampleSet;
  readonly description: SampleDescription;
}

/** Labels are stored as bytes (SampleSet.labels), so at most 256 classes. */
const MAX_CLASSES = 256;

function refuse(file: string, field: string, problem: string, fix: string): never {
  throw InputError.at({ file, field, problem, fix });
}

function dimsText(dims: readonly number[]): string {
  return `[${dims.join(', ')}]`;
}

function checkInputShape(inputs: NumericArray, layout: SampleOptions['layout']): SampleLayout {
  const d = inputs.dims;
  const minRank = layout === 'static' ? 2 : 3;
  if (d.length < minRank) {
    const want = layout === 'static' ? '[N, …] (one sample per row)' : '[N, T, …] (N samples of T frames)';
    const fix = layout === 'static' ? 'reshape to [N, 1] or [N, features]' : 'give frames as [N, T, …frame] or read the inputs as static';
    refuse(inputs.source, 'shape', `is ${dimsText(d)}, inputs must be ${want}`, fix);
  }
  if (d[0] === 0) refuse(inputs.source, 'shape', `is ${dimsText(d)}: no samples`, 'give at least one sample');
  if (d.some((v) => v === 0)) refuse(inputs.source, 'shape', `is ${dimsText(d)}: a sample has no values`, 'every dimension must be at least 1');
  if (layout === 'static') return { kind: 'static', shape: d.slice(1) };
  return { kind: 'frames', timesteps: d[1], frameShape: d.slice(2) };
}

function checkLabels(labels: NumericArray, count: number, classes: number | undefined): { values: Uint8Array; classes: number } {
  if (labels.dims.length !== 1) {
    refuse(labels.source, 'shape', `is ${dimsText(labels.dims)}, labels must be [N] (one integer per sample)`, 'flatten them (labels.reshape(-1))');
  }
  if (labels.dims[0] !== count) {
    refuse(labels.source, 'shape', `holds ${labels.dims[0]} labels but the inputs hold ${count} samples`, 'give one label per input sample, in the same order');
  }
  const values = new Uint8Array(count);
  let max = 0;
  for (let i = 0; i < count; i++) {
    const v = labels.data[i];
    if (!Number.isInteger(v) || v < 0) {
      refuse(labels.source, `label ${i}`, `is ${v}; labels must be non-negative integers`, 'give class indices 0, 1, 2, …');
    }
    if (v >= MAX_CLASSES) refuse(labels.source, `label ${i}`, `is ${v}; at most ${MAX_CLASSES} classes are supported`, 'give class indices below 256');
    if (classes !== undefined && v >= classes) {
      refuse(labels.source, `label ${i}`, `is ${v} but there are ${classes} classes`, `give labels below ${classes} or a larger class count`);
    }
    values[i] = v;
    if (v > max) max = v;
  }
  return { values, classes: classes ?? max + 1 };
}

/** Where flat index `i` of a sample lies, as `sample s, index [a, b, …]` for messages. */
function position(i: number, dims: readonly number[]): string {
  const idx: number[] = [];
  let rest = i;
  for (let k = dims.length - 1; k >= 0; k--) {
    idx.unshift(rest % dims[k]);
    rest = Math.floor(rest / dims[k]);
  }
  return `[${idx.join(', ')}]`;
}

/**
 * Builds a SampleSet from inputs and (optional) labels, after checking every value: the shapes, finite
 * inputs (and within [0, 1] when asked), integer labels in range, and one label per sample.
 */
export function samplesFromArrays(inputs: NumericArray, labels: NumericArray | undefined, opts: SampleOptions): UserSamples {
  const layout = checkInputShape(inputs, opts.layout);
  const count = inputs.dims[0];
  if (opts.classes !== undefined && (!Number.isInteger(opts.classes) || opts.classes < 1 || opts.classes > MAX_CLASSES)) {
    refuse(inputs.source, 'classes', `must be an integer from 1 to ${MAX_CLASSES}, got ${opts.classes}`, 'give the number of classes');
  }
  const checked = labels === undefined ? undefined : checkLabels(labels, count, opts.classes);
  const divide = (opts.scale ?? 'auto') === 'auto' && opts.layout === 'static' && inputs.dtype === 'uint8';
  const values = new Float32Array(inputs.data.length);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const raw = inputs.data[i];
    if (!Number.isFinite(raw)) refuse(inputs.source, `value ${position(i, inputs.dims)}`, `is ${raw}; inputs must be finite numbers`, 'replace NaN and infinite values before saving');
    const v = divide ? raw / 255 : raw;
    if (opts.requireUnitRange === true && (v < 0 || v > 1)) {
      refuse(inputs.source, `value ${position(i, inputs.dims)}`, `is ${v}${divide ? ' (after dividing by 255)' : ''}; this coding needs inputs in [0, 1]`, 'scale the inputs to [0, 1] or use direct coding');
    }
    values[i] = v;
    if (!Number.isFinite(values[i])) refuse(inputs.source, `value ${position(i, inputs.dims)}`, `is ${raw}, beyond the float32 range`, 'scale the inputs to a float32 range');
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const shape = layout.kind === 'static' ? layout.shape : [layout.timesteps, ...layout.frameShape];
  const classes = checked?.classes ?? opts.classes ?? 1;
  const set: SampleSet = { id: opts.id, count, shape, inputs: values, labels: checked?.values ?? new Uint8Array(count), classes, ...(checked === undefined ? { labelled: false } : {}) };
  const description: SampleDescription = {
    layout,
    count,
    labelled: checked !== undefined,
    classes,
    inputDtype: inputs.dtype,
    scaling: divide ? 'divided by 255' : 'as stored',
    min,
    max,
  };
  return { set, description };
}
