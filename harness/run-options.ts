// Values that `joulebench run` options and sweep workload keys share (timesteps, samples, seeds …),
// checked by this one code so a sweep accepts exactly what `run` accepts. `label` names the value
// as the user wrote it: `--timesteps`, or `sweep.yaml: workload point 3 (…): timesteps`.
import { InputError, excerpt } from '../core/errors.js';
import type { NeuronParams } from './neurons.js';

/**
 * Defaults of one backend configuration, the same for `joulebench run`'s options and a sweep point's
 * keys (declared here once: a sweep row and a run of the same configuration are the same numbers).
 */
export const CONFIGURATION_DEFAULTS = {
  /** Test samples evaluated (the first n of the test set). */
  samples: 10000,
  /** Training samples whose activations set the conversion's thresholds. */
  calibrationSamples: 10000,
  norm: 'p99.9',
  seed: 1,
  neuron: 'if',
  reset: 'subtract',
  refractory: 0,
  execution: 'time-stepped',
} as const;

/** Membrane decay per step when none is given: 1 (no leak) for IF, 0.9 for LIF and CUBA. */
export const defaultBeta = (model: string): number => (model === 'if' ? 1 : 0.9);
/** Synaptic current decay per step when none is given: 0.5 for CUBA (the others have no current state). */
export const defaultAlpha = (model: string): number => (model === 'cuba' ? 0.5 : 0);

/** The most SNN timesteps per inference a run (or a sweep point) may ask for. */
export const MAX_TIMESTEPS = 4096;
/** Seeds are 32-bit unsigned integers (core/rng.ts). */
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

/** How a directly trained SNN was trained: the neuron and coding its weights fix. */
export interface TrainedSpiking {
  readonly neuron: NeuronParams;
  readonly coding: string;
}

/**
 * The synaptic current decay exists only in cuba neurons: `alpha` given with another neuron would be
 * silently ignored, so it is refused. `label(key)` names the option as the user wrote it.
 */
export function checkAlphaNeuron(label: (key: string) => string, alpha: number | undefined, model: string): void {
  if (alpha !== undefined && model !== 'cuba') {
    throw bad(`${label('alpha')} ${alpha}:`, `the synaptic current decay exists only in cuba neurons, not ${model}`, `drop ${label('alpha')} or add ${label('neuron')} cuba`);
  }
}

/**
 * A directly trained SNN runs with the neuron and coding it was trained with: a neuron or coding asked
 * for that differs is refused (it would be silently ignored), naming the option and what training fixed.
 */
export function checkTrainedSpiking(label: (key: string) => string, id: string, trained: TrainedSpiking, asked: NeuronParams, coding: string | undefined): void {
  const t = trained.neuron;
  const fixed = `${id} is an SNN trained directly (surrogate gradients) with ${t.model} neurons (reset ${t.reset}, beta ${t.beta}, refractory ${t.refractory}) and ${trained.coding} coding, which training fixes`;
  const differs: [string, unknown, unknown][] = [
    ['neuron', asked.model, t.model],
    ['reset', asked.reset, t.reset],
    ['beta', asked.beta, t.beta],
    ['refractory', asked.refractory, t.refractory],
    ['coding', coding ?? trained.coding, trained.coding],
  ];
  const wrong = differs.find(([, given, wanted]) => given !== wanted);
  if (wrong) throw bad(`${label(wrong[0])} ${String(wrong[1])}:`, fixed, 'drop the option, or use a converted SNN such as mnist-mlp to choose the neuron');
}
