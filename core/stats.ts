// Summary of a per-sample quantity: mean and spread over the evaluated samples.
import { max, mean, min, sampleStandardDeviation } from 'simple-statistics';

export interface Stat {
  readonly mean: number;
  /** Sample standard deviation over samples (0 for a single sample or a constant). */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: ArrayLike<number>): Stat {
  const n = values.length;
  if (n === 0) throw new Error('summarize: no samples');
  // typed arrays and arrays go to simple-statistics as they are (its loops index them: the same doubles, the
  // same results, and no copy of every per-sample series); anything else array-like is copied
  const arr = (ArrayBuffer.isView(values) || Array.isArray(values) ? values : Array.from(values)) as number[];
  const m = mean(arr);
  const lo = min(arr);
  const hi = max(arr);
  // A constant series has no spread; skip the float noise sampleStandardDeviation would add.
  const sd = n < 2 || lo === hi ? 0 : sampleStandardDeviation(arr);
  return { mean: m, sd, min: lo, max: hi };
}

/** A Stat of a quantity that does not vary between samples. */
export function constantStat(value: number): Stat {
  return { mean: value, sd: 0, min: value, max: value };
}
