// A user's own data as a SampleSet: inputs and labels from NumPy .npy / .npz or IDX files (any
// element type, any shape), told apart by their first bytes, not by their names.
import { readDocumentBytes } from '../../core/documents.js';
import { InputError, excerpt } from '../../core/errors.js';
import { parseIdxArray } from '../../harness/idx.js';
import { type NumericArray, type SampleOptions, type UserSamples, samplesFromArrays } from './arrays.js';
import { parseNpy, parseNpz } from './npy.js';

/** One array in a file: the path as the user gave it, the option that named it, an .npz key. */
export interface ArrayRef {
  readonly file: string;
  /** The option or field that named the file (e.g. `--inputs`), for errors. */
  readonly field: string;
  /** The array inside an .npz archive; default: its only array. */
  readonly key?: string;
}

export type ArrayFormat = 'npy' | 'npz' | 'idx';

/** The format of a file from its first bytes: \x93NUMPY (.npy), a zip header (.npz), else IDX. */
export function sniffArrayFormat(bytes: Uint8Array): ArrayFormat {
  const starts = (prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);
  if (starts([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return 'npy';
  if (starts([0x50, 0x4b, 0x03, 0x04]) || starts([0x50, 0x4b, 0x05, 0x06])) return 'npz';
  return 'idx';
}

/** Reads the array `ref` names (.npy, .npz or IDX, raw or gzipped); every problem is one InputError. */
export function readArrayFile(ref: ArrayRef): NumericArray {
  const bytes = readDocumentBytes({ path: ref.file, field: ref.field, what: 'a .npy, .npz or IDX file' });
  const format = sniffArrayFormat(bytes);
  if (ref.key !== undefined && format !== 'npz') {
    throw InputError.at({ file: ref.file, field: 'key', problem: `'${excerpt(ref.key, 40)}' names an array, but only an .npz archive holds named arrays`, fix: 'drop the key, or give the .npz file' });
  }
  if (format === 'npy') return parseNpy(bytes, ref.file);
  if (format === 'npz') return parseNpz(bytes, ref.file, ref.key);
  const idx = parseIdxArray(bytes, ref.file);
  return { source: ref.file, dims: idx.dims, dtype: idx.type, data: idx.data };
}

/**
 * Reads inputs and (optionally) labels and builds the SampleSet with its description (layout, T of
 * frames, scaling, value range). The set's id defaults to the inputs' file name.
 */
export function loadUserSamples(inputs: ArrayRef, labels: ArrayRef | undefined, opts: Omit<SampleOptions, 'id'> & { readonly id?: string }): UserSamples {
  const x = readArrayFile(inputs);
  const y = labels === undefined ? undefined : readArrayFile(labels);
  return samplesFromArrays(x, y, { ...opts, id: opts.id ?? (inputs.key === undefined ? inputs.file : `${inputs.file}:${inputs.key}`) });
}
