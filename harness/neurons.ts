import { InputError } from '../core/errors.js';
// Spiking neuron models as pure per-neuron step functions over explicit state (like Norse): the
// backends are thin loops around them. Discrete time, one step per timestep:
//   IF    v ← v + b + I_syn
//   LIF   v ← β·v + b + I_syn
//   CUBA  i ← α·i + b + I_syn ;  v ← β·v + i      (current-based LIF: an extra synaptic-current state)
// then: if v ≥ θ → spike, and v ← 0 (reset to zero) or v ← v − θ (reset by subtraction), and the
// neuron ignores input and holds v for `refractory` steps. Arithmetic is float32 (Math.fround) so that
// time-stepped and event-driven execution replay bit-identical trajectories.

export type NeuronModel = 'if' | 'lif' | 'cuba';
export type ResetMode = 'subtract' | 'zero';

export interface NeuronParams {
  readonly model: NeuronModel;
  readonly reset: ResetMode;
  /** Membrane decay per step β (LIF, CUBA); 1 for IF. */
  readonly beta: number;
  /** Synaptic-current decay per step α (CUBA only). */
  readonly alpha: number;
  /** Steps a neuron ignores input after a spike. */
  readonly refractory: number;
}

export const DEFAULT_NEURON: NeuronParams = { model: 'if', reset: 'subtract', beta: 1, alpha: 0, refractory: 0 };

/** Checks parameter ranges; throws naming the parameter. */
export function validateNeuron(p: NeuronParams): void {
  const bad = (field: keyof NeuronParams, problem: string, fix: string) => InputError.at({ field, problem, fix });
  if (!['if', 'lif', 'cuba'].includes(p.model)) throw bad('model', `neuron model "${p.model}" is not known`, 'use if, lif or cuba');
  if (!['subtract', 'zero'].includes(p.reset)) throw bad('reset', `reset "${p.reset}" is not known`, 'use subtract or zero');
  if (!(p.beta > 0 && p.beta <= 1)) throw bad('beta', `beta (membrane decay) must be in (0, 1], got ${p.beta}`, 'give a decay per step such as 0.9');
  if (p.model === 'if' && p.beta !== 1) throw bad('beta', 'an IF neuron has no leak: beta must be 1', 'use lif for a leak');
  if (p.model === 'cuba' && !(p.alpha >= 0 && p.alpha < 1)) throw bad('alpha', `alpha (current decay) must be in [0, 1), got ${p.alpha}`, 'give a decay per step such as 0.5');
  if (!Number.isInteger(p.refractory) || p.refractory < 0) throw bad('refractory', `refractory period must be a whole number of steps ≥ 0, got ${p.refractory}`, 'give 0 or more steps');
}

/** State of a layer of neurons (structure of arrays). */
export interface NeuronState {
  readonly v: Float32Array;
  /** Synaptic current (CUBA); empty otherwise. */
  readonly i: Float32Array;
  /** Remaining refractory steps. */
  readonly ref: Int32Array;
}

export function newNeuronState(n: number, p: NeuronParams): NeuronState {
  return { v: new Float32Array(n), i: new Float32Array(p.model === 'cuba' ? n : 0), ref: new Int32Array(n) };
}

export function resetNeuronState(s: NeuronState): void {
  s.v.fill(0);
  s.i.fill(0);
  s.ref.fill(0);
}

const f = Math.fround;

/**
 * One timestep of neuron j with synaptic input `input` and bias b. Returns true when it spikes.
 * `spiking` false is the read-out: it integrates (without leak or threshold) and never spikes.
 */
export function stepNeuron(p: NeuronParams, s: NeuronState, j: number, input: number, b: number, threshold: number, spiking: boolean): boolean {
  if (!spiking) {
    s.v[j] = f(s.v[j] + f(b + input));
    return false;
  }
  if (s.ref[j] > 0) {
    s.ref[j]--;
    return false;
  }
  let v = s.v[j];
  if (p.model === 'cuba') {
    const cur = f(f(p.alpha * s.i[j]) + f(b + input));
    s.i[j] = cur;
    v = f(f(p.beta * v) + cur);
  } else if (p.model === 'lif') {
    v = f(f(p.beta * v) + f(b + input));
  } else {
    v = f(v + f(b + input));
  }
  if (v >= threshold) {
    v = p.reset === 'zero' ? 0 : f(v - threshold);
    s.v[j] = v;
    s.ref[j] = p.refractory;
    return true;
  }
  s.v[j] = v;
  return false;
}

/**
 * Whether neuron j can change without input, so event-driven execution must visit it every step:
 * a positive bias, a nonzero synaptic current, a potential already at threshold, or a refractory count.
 */
export function selfActive(p: NeuronParams, s: NeuronState, j: number, b: number, threshold: number, spiking: boolean): boolean {
  if (!spiking) return b !== 0;
  return b > 0 || s.v[j] >= threshold || s.ref[j] > 0 || (p.model === 'cuba' && s.i[j] !== 0);
}
