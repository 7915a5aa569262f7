// Summary of a per-sample quantity: mean and spread over the evaluated samples.
import { mean } from 'simple-statistics';

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
  // the mean by simple-statistics (its compensated sum); min and max in one pass
  const m = mean(arr);
  let lo = arr[0];
  let hi = arr[0];
  for (let i = 1; i < n; i++) {
    const v = arr[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // A constant series has no spread; skip the float noise the deviations would add. Otherwise
  // simple-statistics' sampleStandardDeviation, √(Σ(x − mean)² / (n − 1)) with its mean and loop, without
  // summing the series a second time for the mean it already has (test/core.test.ts checks the identity).
  if (n < 2 || lo === hi) return { mean: m, sd: 0, min: lo, max: hi };
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const dv = arr[i] - m;
    ss += dv * dv;
  }
  return { mean: m, sd: Math.sqrt(ss / (n - 1)), min: lo, max: hi };
}

/** A Stat of a quantity that does not vary between samples. */
export function constantStat(value: number): Stat {
  return { mean: value, sd: 0, min: value, max: value };
}
