import { InputError } from '../core/errors.js';
// The neuron library: leaky integrate-and-fire neurons as pure step functions over explicit state
// (structure of arrays, like Norse), with thin stateful wrappers. Three parts:
//
// 1. Time. A leaky state with time constant τ, stepped every dt, decays per step by
//      exact (zero-order hold)  β = exp(−dt/τ)      or      forward Euler  β = 1 − dt/τ;
//    `decayPerStep` / `timeConstantOf` convert between the two forms, `wholeSteps` turns a period
//    into steps. τ, dt and periods are in one unit (seconds in joulebench's physical parameter sets;
//    only the ratios count, so the STDP workload keeps its milliseconds and dt = 1 ms exactly).
//
// 2. Discrete-time neurons in float32 (the SNN backend, the spiking sequence blocks; mirrored in tfjs
//    by the surrogate-gradient trainer). Parameterised per step (β, α, refractory steps — the CLI's
//    `--beta`), or physically (`PhysicalNeuron`: τ_mem, τ_syn, dt, refractory period in seconds)
//    through `discreteNeuron` / `physicalNeuron`. One step, input I_syn and bias b:
//      IF    v ← v + (b + I_syn)
//      LIF   v ← β·v + (b + I_syn)
//      CUBA  i ← α·i + (b + I_syn) ;  v ← β·v + i      (current-based LIF: a synaptic-current state)
//    then: if v ≥ θ → spike, and v ← 0 (reset to zero) or v ← v − θ (reset by subtraction), and the
//    neuron holds v and ignores input for the next `refractory` steps. Arithmetic is float32
//    (Math.fround, in exactly this order) so that time-stepped and event-driven execution replay
//    bit-identical trajectories.
//
// 3. Neurons in physical units in float64 (the brain models: the primer's LIF, Diehl & Cook's
//    adaptive LIF): τ dv/dt = (v_rest − v) + R·I with a leak reversal v_rest, a threshold v_th
//    (spike when v > v_th + θ, strictly, as Brian2 and Diehl & Cook test it), a reset to v_reset, a
//    refractory period and an optional adaptive threshold θ (θ ← θ·exp(−dt/τ_θ) every step, θ += θ₊
//    per spike, while adapting). Input enters as a `current` R·I held over the step
//      euler  v ← v + dt·(v_rest − v + R·I)/τ        exact  v ← v∞ + (v − v∞)·β,  v∞ = v_rest + R·I
//    or as a `charge`: an instantaneous jump q after the leak (delta synapses)
//      v ← v_rest + (v − v_rest)·β + q               (β exact or Euler as chosen).
//    During the refractory period the neuron either holds v (`hold`, Brian2's "unless refractory")
//    or leaks without input (`leak`, Diehl & Cook / BindsNET); it never spikes.

// ---------------------------------------------------------------------------------------------
// 1. Time constants, steps and discretization

/** How a leak of time constant τ becomes a per-step decay: exp(−dt/τ) (`exact`) or 1 − dt/τ (`euler`). */
export type Discretization = 'exact' | 'euler';

/** Per-step decay β of a leaky state with time constant τ (τ = ∞: no leak, β = 1). τ and dt in one unit. */
export function decayPerStep(tau: number, dt: number, method: Discretization = 'exact'): number {
  if (!(tau > 0) || !(dt > 0) || !Number.isFinite(dt)) throw new Error(`a decay needs τ > 0 and a finite dt > 0, got τ = ${tau}, dt = ${dt}`);
  // Euler's β is negative for dt > τ (and unstable for dt > 2τ): callers that need a decay in (0, 1] check it (validateNeuron).
  return method === 'exact' ? Math.exp(-dt / tau) : 1 - dt / tau;
}

/** The time constant τ whose per-step decay over dt is β (the inverse of decayPerStep; β = 1 → ∞). */
export function timeConstantOf(beta: number, dt: number, method: Discretization = 'exact'): number {
  if (!(beta > 0 && beta <= 1) && !(method === 'euler' && beta === 0)) throw new Error(`a per-step decay must be in (0, 1], got ${beta}`);
  if (beta === 1) return Infinity;
  return method === 'exact' ? -dt / Math.log(beta) : dt / (1 - beta);
}

/** A period as a whole number of steps of dt (rounded to the nearest, as Brian2's timestep()). */
export function wholeSteps(period: number, dt: number): number {
  if (!(period >= 0) || !(dt > 0)) throw new Error(`a period needs period ≥ 0 and dt > 0, got ${period}, ${dt}`);
  return Math.round(period / dt);
}

/**
 * Refractory steps after the spike's own step. `countsSpikeStep`: the period is the window
 * [t_spike, t_spike + period) that includes the spike's step (Brian2), so one step fewer follows it.
 */
export function refractorySteps(period: number, dt: number, countsSpikeStep = false): number {
  const n = wholeSteps(period, dt);
  return countsSpikeStep ? Math.max(0, n - 1) : n;
}

// ---------------------------------------------------------------------------------------------
// 2. Discrete-time neurons (float32)

export type NeuronModel = 'if' | 'lif' | 'cuba';
export type ResetMode = 'subtract' | 'zero';

/** The discrete-time parameterization: decays per step and the refractory period in steps. */
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

/** The IF/LIF neurons without synaptic current or refractory period: what the surrogate-gradient trainer unrolls in tfjs. */
export type MembraneNeuron = Pick<NeuronParams, 'reset' | 'beta'> & { readonly model: 'if' | 'lif' };

export const DEFAULT_NEURON: NeuronParams = { model: 'if', reset: 'subtract', beta: 1, alpha: 0, refractory: 0 };

/** The same neurons in physical units (seconds). */
export interface PhysicalNeuron {
  readonly model: NeuronModel;
  readonly reset: ResetMode;
  /** Membrane time constant τ_mem (s); ignored for IF (no leak). */
  readonly tauMemS: number;
  /** Synaptic-current time constant τ_syn (s), CUBA only. */
  readonly tauSynS: number;
  readonly dtS: number;
  /** Refractory period after the spike's step (s), rounded to whole steps. */
  readonly refractoryS: number;
  readonly discretization: Discretization;
}

/** β, α and refractory steps of a physically given neuron. */
export function discreteNeuron(p: PhysicalNeuron): NeuronParams {
  const decay = (tau: number) => decayPerStep(tau, p.dtS, p.discretization);
  return {
    model: p.model,
    reset: p.reset,
    beta: p.model === 'if' ? 1 : decay(p.tauMemS),
    alpha: p.model === 'cuba' ? decay(p.tauSynS) : 0,
    refractory: refractorySteps(p.refractoryS, p.dtS),
  };
}

/** The physical reading of discrete-time parameters at step dt (IF: τ_mem = ∞; no current: τ_syn = 0). */
export function physicalNeuron(p: NeuronParams, dtS: number, discretization: Discretization = 'exact'): PhysicalNeuron {
  const tauSynS = p.model === 'cuba' && p.alpha > 0 ? timeConstantOf(p.alpha, dtS, discretization) : 0;
  return { model: p.model, reset: p.reset, tauMemS: timeConstantOf(p.beta, dtS, discretization), tauSynS, dtS, refractoryS: p.refractory * dtS, discretization };
}

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
 * A group of neurons with parameters per neuron (NIR's per-neuron arrays): one model and reset for
 * the group; per neuron the membrane decay β, the current decay α (cuba), the threshold compared
 * against (+∞: an integrator that never fires), what a spike subtracts under reset `subtract`, and a
 * constant input (bias) per step. Refractory 0. `stepGroup` applies `stepNeuron`'s update with these
 * per-neuron values in the same float32 rounding order, so a group whose arrays are constant steps
 * exactly like `stepNeuron` (an IF group with threshold +∞ is the harness's integrating read-out).
 */
export interface GroupDynamics {
  /** A neuron model, or `threshold`: a stateless comparator (NIR's Threshold), v = b + input each step. */
  readonly model: NeuronModel | 'threshold';
  readonly reset: ResetMode;
  readonly beta: Float64Array;
  /** Per neuron for cuba; empty otherwise. */
  readonly alpha: Float64Array;
  readonly threshold: Float64Array;
  /** What reset `subtract` takes off v after a spike (NIR: v_threshold). */
  readonly subtract: Float64Array;
  readonly bias: Float32Array;
}

/**
 * One timestep of every neuron of a group with synaptic input `input` (one value per neuron).
 * Writes the indices of the neurons that spiked to `spikes` and returns how many; when `changed` is
 * given, adds to changed[0] the number of neurons whose potential changed.
 */
export function stepGroup(d: GroupDynamics, s: NeuronState, input: Float32Array, spikes: Int32Array, changed?: Int32Array): number {
  const n = s.v.length;
  const { beta, threshold, bias } = d;
  const zero = d.reset === 'zero';
  let k = 0;
  let moved = 0;
  for (let j = 0; j < n; j++) {
    const before = s.v[j];
    let v: number;
    if (d.model === 'cuba') {
      const cur = f(f(d.alpha[j] * s.i[j]) + f(bias[j] + input[j]));
      s.i[j] = cur;
      v = f(f(beta[j] * s.v[j]) + cur);
    } else if (d.model === 'lif') {
      v = f(f(beta[j] * s.v[j]) + f(bias[j] + input[j]));
    } else if (d.model === 'threshold') {
      v = f(bias[j] + input[j]);
    } else {
      v = f(s.v[j] + f(bias[j] + input[j]));
    }
    if (v >= threshold[j]) {
      v = zero ? 0 : f(v - d.subtract[j]);
      spikes[k++] = j;
    }
    s.v[j] = v;
    if (v !== before) moved++;
  }
  if (changed !== undefined) changed[0] += moved;
  return k;
}

/**
 * Whether neuron j can change without input, so event-driven execution must visit it every step:
 * a positive bias, a nonzero synaptic current, a potential already at threshold, or a refractory count.
 */
export function selfActive(p: NeuronParams, s: NeuronState, j: number, b: number, threshold: number, spiking: boolean): boolean {
  if (!spiking) return b !== 0;
  return b > 0 || s.v[j] >= threshold || s.ref[j] > 0 || (p.model === 'cuba' && s.i[j] !== 0);
}

/** A population of N spiking neurons with one threshold: `stepNeuron` over every neuron per step. */
export class NeuronLayer {
  readonly state: NeuronState;
  constructor(
    readonly params: NeuronParams,
    readonly size: number,
    readonly threshold: number,
  ) {
    validateNeuron(params);
    this.state = newNeuronState(size, params);
  }
  reset(): void {
    resetNeuronState(this.state);
  }
  /** One timestep: input current (and bias) per neuron; sets spikes[j] = 1 for each neuron that fires, returns how many did. */
  step(current: ArrayLike<number>, bias: ArrayLike<number> | undefined, spikes: Float32Array): number {
    let n = 0;
    for (let j = 0; j < this.size; j++) {
      if (stepNeuron(this.params, this.state, j, current[j], bias ? bias[j] : 0, this.threshold, true)) {
        spikes[j] = 1;
        n++;
      }
    }
    return n;
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Neurons in physical units (float64)

/** A LIF population in physical units (see the header, part 3). Times in one unit, potentials in one unit. */
export interface LifSpec {
  /** Membrane time constant τ and step dt. */
  readonly tau: number;
  readonly dt: number;
  readonly discretization: Discretization;
  /** `current`: R·I held over the step; `charge`: a jump added after the leak. */
  readonly input: 'current' | 'charge';
  /** Leak reversal (resting) potential. */
  readonly rest: number;
  /** Spike when v > threshold (+ θ). */
  readonly threshold: number;
  /** Potential after a spike. */
  readonly reset: number;
  /** Refractory period (same unit as dt), rounded to whole steps. */
  readonly refractory: number;
  /** Whether the period includes the spike's own step (Brian2) or follows it. */
  readonly refractoryCountsSpikeStep: boolean;
  /** While refractory: hold v, or leak without input. */
  readonly duringRefractory: 'hold' | 'leak';
  /** Adaptive threshold: θ += increment per spike, decaying with time constant tau (while adapting). */
  readonly adaptation?: { readonly increment: number; readonly tau: number };
}

/** A LifSpec with its per-step constants. */
export interface LifRule extends LifSpec {
  /** Membrane decay per step. */
  readonly beta: number;
  readonly refractorySteps: number;
  /** θ's decay per step (1 without adaptation) and increment per spike (0 without). */
  readonly thetaDecay: number;
  readonly thetaIncrement: number;
}

export function lifRule(spec: LifSpec): LifRule {
  if (!(spec.tau > 0) || !(spec.dt > 0)) throw new Error(`a LIF population needs τ > 0 and dt > 0, got τ = ${spec.tau}, dt = ${spec.dt}`);
  const a = spec.adaptation;
  return {
    ...spec,
    beta: decayPerStep(spec.tau, spec.dt, spec.discretization),
    refractorySteps: refractorySteps(spec.refractory, spec.dt, spec.refractoryCountsSpikeStep),
    thetaDecay: a ? decayPerStep(a.tau, spec.dt) : 1,
    thetaIncrement: a ? a.increment : 0,
  };
}

/** State of a float64 LIF population (structure of arrays). */
export interface LifState {
  readonly v: Float64Array;
  /** Remaining refractory steps. */
  readonly ref: Int32Array;
  /** Adaptive threshold offsets θ; empty without adaptation. May outlive v (a network's learned θ). */
  readonly theta: Float64Array;
}

/** n neurons at rest; `theta` shares an existing θ array (else a new one, empty without adaptation). */
export function newLifState(n: number, r: LifRule, theta?: Float64Array): LifState {
  const v = new Float64Array(n);
  if (r.rest !== 0) v.fill(r.rest);
  return { v, ref: new Int32Array(n), theta: theta ?? new Float64Array(r.adaptation ? n : 0) };
}

/** Back to rest, not refractory; θ is kept (it is learned). */
export function resetLifState(r: LifRule, s: LifState): void {
  s.v.fill(r.rest);
  s.ref.fill(0);
}

/** The membrane update of one step with input x (a current R·I or a charge, per the rule). */
export function integrateLif(r: LifRule, v: number, x: number): number {
  if (r.input === 'charge') return r.rest + (v - r.rest) * r.beta + x;
  if (r.discretization === 'euler') return v + (r.dt * (r.rest - v + x)) / r.tau;
  const vInf = r.rest + x;
  return vInf + (v - vInf) * r.beta;
}

/**
 * One step of neuron j with input x: refractory bookkeeping, the membrane update (held or input-free
 * while refractory), θ's decay when `adapt`, then the threshold test and reset. Returns true on a spike.
 */
export function stepLif(r: LifRule, s: LifState, j: number, x: number, adapt: boolean): boolean {
  const refractory = s.ref[j] > 0;
  if (refractory) s.ref[j]--;
  if (!refractory || r.duringRefractory === 'leak') s.v[j] = integrateLif(r, s.v[j], refractory ? 0 : x);
  const theta = s.theta;
  if (adapt) theta[j] *= r.thetaDecay;
  if (refractory) return false;
  if (!(s.v[j] > (theta.length === 0 ? r.threshold : r.threshold + theta[j]))) return false;
  s.v[j] = r.reset;
  s.ref[j] = r.refractorySteps;
  if (adapt) theta[j] += r.thetaIncrement;
  return true;
}

/**
 * One step of every neuron: `stepLif(r, s, j, x[j], adapt)` for j = 0 … n − 1 in order, pushing the
 * index of each neuron that fires. The same arithmetic with the rule's constants read once (a loop
 * calling stepLif runs the STDP workload's neurons ~1.5× slower); the tests hold the two bit-identical.
 */
export function stepLifAll(r: LifRule, s: LifState, x: ArrayLike<number>, adapt: boolean, spikes: number[]): void {
  const { v, ref, theta } = s;
  const { threshold, reset, thetaDecay, thetaIncrement, rest, beta } = r;
  const holds = r.duringRefractory === 'hold';
  const charge = r.input === 'charge';
  const adaptive = theta.length > 0;
  for (let j = 0; j < v.length; j++) {
    const refractory = ref[j] > 0;
    if (refractory) ref[j]--;
    // integrateLif, its charge case written out (the hot loop of the STDP workload)
    if (!refractory || !holds) v[j] = charge ? rest + (v[j] - rest) * beta + (refractory ? 0 : x[j]) : integrateLif(r, v[j], refractory ? 0 : x[j]);
    if (adapt) theta[j] *= thetaDecay;
    if (refractory || !(v[j] > (adaptive ? threshold + theta[j] : threshold))) continue;
    v[j] = reset;
    ref[j] = r.refractorySteps;
    if (adapt) theta[j] += thetaIncrement;
    spikes.push(j);
  }
}

/** A population of n float64 LIF neurons: `stepLif` with its state. */
export class LifPopulation {
  readonly rule: LifRule;
  readonly state: LifState;
  constructor(
    spec: LifSpec,
    readonly size: number,
    theta?: Float64Array,
  ) {
    this.rule = lifRule(spec);
    this.state = newLifState(size, this.rule, theta);
  }
  reset(): void {
    resetLifState(this.rule, this.state);
  }
  /** Whether neuron j is refractory at its next step (it will not integrate input or spike). */
  refractory(j: number): boolean {
    return this.state.ref[j] > 0;
  }
  step(j: number, x: number, adapt = false): boolean {
    return stepLif(this.rule, this.state, j, x, adapt);
  }
  /** One step of every neuron with inputs x; pushes the indices of those that fire onto `spikes`. */
  stepAll(x: ArrayLike<number>, adapt: boolean, spikes: number[]): void {
    stepLifAll(this.rule, this.state, x, adapt, spikes);
  }
}
