// Values that `joulebench run` options and sweep workload keys share (timesteps, samples, seeds …),
// checked by this one code so a sweep accepts exactly what `run` accepts. `label` names the value
// as the user wrote it: `--timesteps`, or `sweep.yaml: workload point 3 (…): timesteps`.
import { InputError, excerpt } from './errors.js';

/** The most SNN timesteps per inference a run (or a sweep point) may ask for. */
export const MAX_TIMESTEPS = 4096;
/** Seeds are 32-bit unsigned integers (harness/rng.ts). */
export const MAX_SEED = 0xffffffff;

function shown(v: unknown): string {
  return typeof v === 'number' && Number.isNaN(v) ? 'NaN (not a number)' : excerpt(v, 40);
}

function bad(label: string, problem: string, fix: string): InputError {
  return new InputError(`${label} ${problem}; ${fix}`, { field: label, problem, fix });
}

/** A whole number ≥ 1 (samples, calibration samples, timesteps). */
export function checkPositiveInt(label: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !Number.isInteger(v) || v < 1) throw bad(label, `must be a positive integer, got ${shown(v)}`, 'give a whole number ≥ 1');
  return v;
}

/** SNN timesteps per inference: a whole number in [1, MAX_TIMESTEPS]. */
export function checkTimesteps(label: string, v: unknown): number {
  const T = checkPositiveInt(label, v);
  if (T > MAX_TIMESTEPS) throw bad(label, `${T} is above the supported maximum of ${MAX_TIMESTEPS}`, `give at most ${MAX_TIMESTEPS} timesteps`);
  return T;
}

/** A seed: a whole number in [0, MAX_SEED]. */
export function checkSeed(label: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_SEED) throw bad(label, `must be an integer in [0, ${MAX_SEED}], got ${shown(v)}`, 'give a whole number such as 1');
  return v;
}
