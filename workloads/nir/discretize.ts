// NIR's neuron nodes are continuous-time ODEs (NIR's nir/ir/neuron.py and threshold.py):
//   I        dv/dt = R·I
//   LI       τ dv/dt = (v_leak − v) + R·I
//   IF       dv/dt = R·I                                   spike when v > v_threshold, then v ← v_reset
//   LIF      τ dv/dt = (v_leak − v) + R·I                  spike when v > v_threshold, then v ← v_reset
//   CubaLI   τ_syn dI/dt = −I + w_in·S ;  τ_mem dv/dt = (v_leak − v) + R·I
//   CubaLIF  the same, spike when v > v_threshold, then v ← v_reset
//   Threshold  z = 1 where x > threshold (stateless)
// This file turns one node, at a step dt (in the unit of the node's τ), into the harness's per-step
// neuron (harness/neurons.ts: `stepNeuron` with `NeuronParams` β, α, reset, refractory 0) plus what the
// graph around it must do: multiply the weights and bias of every synapse feeding it by `inputGain`,
// add `leakBias` to its bias, test v against `threshold`. Pure functions; anything the harness cannot
// represent exactly is one InputError line naming the node id, its type, the parameter and the fix.
//
// How a step's input is read (the value x_k the synapses deliver at step k):
// - I, LI, IF, LIF take a current I: x_k is held over the step [k·dt, (k+1)·dt) (zero-order hold).
//     exact  v ← β·v + R(1 − β)·x + (1 − β)·v_leak,   β = e^{−dt/τ}   (the ODE's solution at the step's end)
//     euler  v ← β·v + R·dt/τ·x + dt/τ·v_leak,          β = 1 − dt/τ
//     I, IF  v ← v + R·dt·x                              (both: the integral of a held current is exact)
//   v_leak is a constant input: it becomes `leakBias`, a bias added every step (exact, like the ODE).
// - CubaLI, CubaLIF take spikes S: x_k is the (weighted) count of spikes arriving in step k, each an
//   impulse at the step's start (S = Σ x_k·δ(t − k·dt)); v is sampled at the step's end.
//     exact  α = e^{−dt/τ_syn}, β = e^{−dt/τ_mem}; the harness's i ← α·i + g·x ; v ← β·v + i samples the
//            two-exponential impulse response v(t) = R·w_in·(e^{−t/τ_syn} − e^{−t/τ_mem})/(τ_syn − τ_mem)
//            exactly, with g = R·w_in·(α − β)/(τ_syn − τ_mem) (R·w_in·β·dt/τ² when τ_syn = τ_mem = τ)
//            and the harness's i = R·τ_syn·(α − β)/((τ_syn − τ_mem)·α) × NIR's I.
//     euler  α = 1 − dt/τ_syn, β = 1 − dt/τ_mem; I ← α·I + w_in·x/τ_syn, then v ← β·v + R·dt/τ_mem·I with
//            the updated I (current first, as Norse's CubaLIF module steps its synapse, then its LIF box);
//            g = R·w_in·dt/(τ_syn·τ_mem) (the exact g's limit as dt → 0), i = R·dt/τ_mem × I.
//   A nonzero v_leak is refused here: it would enter v directly while the harness's bias enters i.
// Spikes: NIR fires when v > v_threshold, the harness when v ≥ threshold; for float32 v these agree
// when `threshold` is the smallest float32 above v_threshold. Reset `to-v-reset` (NIR's) is the
// harness's reset to zero, so v_reset must be 0 (the harness's neurons also start at 0);
// `subtract` (v ← v − threshold, snnTorch's and Sinabs's default) ignores v_reset, so a nonzero one is
// refused as inconsistent.
//
// What the frameworks do when they import NIR (read in their sources):
// - snnTorch (snntorch/import_nir.py, import_from_nir, dt = 1e-4 by default): LIF β = 1 − dt/τ
//   (Euler), the input gain r·dt/τ folded into the threshold, reset to zero, v_leak must be 0; IF is
//   snn.Leaky with β = 1 and r = 1 required (reset by subtraction, snn.Leaky's default in
//   snntorch/_neurons/leaky.py); CubaLIF α = 1 − dt/τ_syn, β = 1 − dt/τ_mem, r = τ_mem/dt required,
//   w_in folded into the threshold, reset to zero.
// - Norse (norse/torch/utils/import_nir.py, from_nir, dt = 0.001 by default): LIF → LIFBoxCell, forward
//   Euler dv = dt/τ·(v_leak − v + i) (norse/torch/functional/lif_box.py), r ≠ 1 only warned about,
//   reset to a value (reset_value, v_reset 0); CubaLIF: w_in·x → an Euler leaky integrator with τ_syn
//   → r·I → LIFBoxCell; IF → IAFCell, v ← v + x with dt unused (norse/torch/functional/iaf.py).
// - Sinabs (sinabs/nir.py, from_nir, no dt): LIF → LIFSqueeze(tau_mem = τ, norm_input = False), τ read
//   in steps, exact decay e^{−1/τ} and v ← α·v + x (sinabs/layers/lif.py, layers/functional/lif.py),
//   reset by subtraction and several spikes per step possible (MembraneSubtract, MultiSpike defaults);
//   v_leak must be 0; LI needs r = 1 and v_leak = 0.
// joulebench's default: exact, to-v-reset.

import { decayPerStep, type Discretization, type NeuronParams } from '../../harness/neurons.js';
import { nodeError, type NirCubaLI, type NirCubaLIF, type NirI, type NirIF, type NirLI, type NirLIF, type NirTensor, type NirThreshold } from './graph.js';

export type NirNeuronNode = NirI | NirLI | NirIF | NirLIF | NirCubaLI | NirCubaLIF;
export type NirNeuronType = NirNeuronNode['type'];
/** `to-v-reset`: NIR's v ← v_reset after a spike; `subtract`: v ← v − threshold (snnTorch's, Sinabs's default). */
export type NirReset = 'to-v-reset' | 'subtract';

export interface NirDiscretizeOptions {
  readonly discretization: Discretization;
  readonly reset: NirReset;
  /** The file named in errors. */
  readonly file?: string;
}

export const DEFAULT_NIR_DISCRETIZATION: Omit<NirDiscretizeOptions, 'file'> = { discretization: 'exact', reset: 'to-v-reset' };

const NEURON_TYPES: readonly string[] = ['I', 'LI', 'IF', 'LIF', 'CubaLI', 'CubaLIF'] satisfies readonly NirNeuronType[];

export const isNirNeuronNode = (node: { readonly type: string }): node is NirNeuronNode => NEURON_TYPES.includes(node.type);

/** One NIR neuron node in the harness's per-step form. */
export interface NirDiscreteNeuron {
  readonly kind: 'neuron';
  readonly id: string;
  readonly type: NirNeuronType;
  readonly dt: number;
  readonly discretization: Discretization;
  /** For `stepNeuron` / `NeuronLayer`: model if (I, IF), lif (LI, LIF) or cuba (CubaLI, CubaLIF); refractory 0. */
  readonly params: NeuronParams;
  /** false for the integrators I, LI, CubaLI: `threshold` is +∞, so `stepNeuron` never fires. */
  readonly spiking: boolean;
  /** The harness's `v ≥ threshold`: the smallest float32 above v_threshold (NIR fires when v > v_threshold); +∞ for integrators. */
  readonly threshold: number;
  /** NIR's v_threshold (NaN for integrators). */
  readonly vThreshold: number;
  /** Multiplies the weights and bias of every synapse feeding the node. */
  readonly inputGain: number;
  /** Added to the node's (gain-scaled) bias every step: v_leak's pull (0 when v_leak = 0). */
  readonly leakBias: number;
  /** `current`: a step's input is held over the step; `spikes`: impulses at the step's start (CubaLI, CubaLIF). */
  readonly input: 'current' | 'spikes';
  /** The harness's synaptic current i per unit of NIR's I (CubaLI, CubaLIF; 0 otherwise). */
  readonly currentScale: number;
}

/** A Threshold node: a stateless comparator, z = 1 where x ≥ threshold (the smallest float32 above NIR's). */
export interface NirDiscreteComparator {
  readonly kind: 'comparator';
  readonly id: string;
  readonly type: 'Threshold';
  readonly threshold: number;
  readonly vThreshold: number;
}

/**
 * The harness's per-step form of NIR neuron node `id` at step dt (the unit of the node's τ), or throws
 * one InputError line naming the node, its type, the parameter and the fix. A Threshold node is a
 * stateless comparator (dt does not enter).
 */
export function discretizeNeuron(id: string, node: NirThreshold, dt: number, options?: NirDiscretizeOptions): NirDiscreteComparator;
export function discretizeNeuron(id: string, node: NirNeuronNode, dt: number, options?: NirDiscretizeOptions): NirDiscreteNeuron;
export function discretizeNeuron(
  id: string,
  node: NirNeuronNode | NirThreshold,
  dt: number,
  options: NirDiscretizeOptions = DEFAULT_NIR_DISCRETIZATION,
): NirDiscreteNeuron | NirDiscreteComparator {
  /** The one value of a per-neuron parameter (every neuron alike). */
  const uniform = (name: string, t: NirTensor): void => {
    const v = t.data[0];
    const k = t.data.findIndex((x) => x !== v && !(Number.isNaN(x) && Number.isNaN(v)));
    if (k >= 0) {
      throw nodeError(options.file, id, node.type, `${name} differs across neurons (${v} at index 0, ${t.data[k]} at index ${k}); this form has one parameter set per node`,
        `give every neuron of the node the same ${name}, or discretize it per neuron (discretizeGroup)`);
    }
  };
  for (const [name, value] of Object.entries(node)) if (typeof value === 'object' && value !== null && 'data' in value) uniform(name, value as NirTensor);
  return discretizeNeuronAt(id, node, dt, options, 0);
}

/** Neuron `j` of node `id` (its j-th element of every per-neuron parameter) in the harness's per-step form. */
function discretizeNeuronAt(
  id: string,
  node: NirNeuronNode | NirThreshold,
  dt: number,
  options: NirDiscretizeOptions,
  j: number,
): NirDiscreteNeuron | NirDiscreteComparator {
  const refuse = (problem: string, fix: string): never => {
    throw nodeError(options.file, id, node.type, problem, fix);
  };
  /** Neuron j's value of a per-neuron parameter (a one-element array serves every neuron), finite. */
  const uniform = (name: string, t: NirTensor): number => {
    if (t.data.length === 0) return refuse(`${name} has no elements`, 'export the node with at least one neuron');
    const v = t.data.length === 1 ? t.data[0] : t.data[j];
    if (!Number.isFinite(v)) return refuse(`${name} is ${v}${t.data.length > 1 ? ` at neuron ${j}` : ''}`, `give a finite ${name}`);
    return v;
  };
  if (node.type === 'Threshold') {
    const theta = uniform('threshold', node.threshold);
    return { kind: 'comparator', id, type: 'Threshold', threshold: strictThreshold(theta), vThreshold: theta };
  }
  if (!(dt > 0) || !Number.isFinite(dt)) {
    refuse(`the step dt must be a finite number > 0, got ${dt}`, 'give --dt in the unit of the file\'s time constants (seconds for files exported by snnTorch, Norse and Sinabs), e.g. 0.001');
  }
  const method = options.discretization;
  const tau = (name: string, t: NirTensor): number => {
    const v = uniform(name, t);
    if (!(v > 0)) refuse(`${name} must be > 0, got ${v}`, `export the node with a positive ${name}`);
    if (method === 'euler' && !(dt < v)) {
      refuse(`forward Euler at dt = ${dt} with ${name} = ${v} gives a per-step decay 1 − dt/${name} = ${1 - dt / v} ≤ 0`,
        `give --dt smaller than ${name} (a tenth of it or less for accuracy), or use the exact discretization`);
    }
    return v;
  };
  /** The harness's threshold and reset of a spiking node. */
  const firing = (vThreshold: NirTensor, vReset: NirTensor): { threshold: number; vThreshold: number; reset: NeuronParams['reset'] } => {
    const theta = uniform('v_threshold', vThreshold);
    const r = uniform('v_reset', vReset);
    if (r !== 0 && options.reset === 'to-v-reset') {
      refuse(`v_reset is ${r}, the harness's neurons start at 0 and reset to 0`, 'export the network with v_reset = 0 (potentials shifted by −v_reset)');
    } else if (r !== 0) {
      refuse(`v_reset is ${r}, which reset by subtraction ignores`, 'use reset to-v-reset (NIR\'s) with v_reset = 0, or export v_reset = 0');
    }
    return { threshold: strictThreshold(theta), vThreshold: theta, reset: options.reset === 'subtract' ? 'subtract' : 'zero' };
  };
  const integrator = { threshold: Infinity, vThreshold: NaN, reset: 'zero' as const };
  const base = { kind: 'neuron' as const, id, type: node.type, dt, discretization: method };

  switch (node.type) {
    case 'I':
    case 'IF': {
      const R = uniform('r', node.r);
      const f = node.type === 'IF' ? firing(node.v_threshold, node.v_reset) : integrator;
      return {
        ...base, params: { model: 'if', reset: f.reset, beta: 1, alpha: 0, refractory: 0 }, spiking: node.type === 'IF',
        threshold: f.threshold, vThreshold: f.vThreshold, inputGain: R * dt, leakBias: 0, input: 'current', currentScale: 0,
      };
    }
    case 'LI':
    case 'LIF': {
      const t = tau('tau', node.tau);
      const R = uniform('r', node.r);
      const vLeak = uniform('v_leak', node.v_leak);
      const f = node.type === 'LIF' ? firing(node.v_threshold, node.v_reset) : integrator;
      // the fraction of the way to v∞ = v_leak + R·I covered in one step
      const k = method === 'exact' ? -Math.expm1(-dt / t) : dt / t;
      return {
        ...base, params: { model: 'lif', reset: f.reset, beta: decayPerStep(t, dt, method), alpha: 0, refractory: 0 }, spiking: node.type === 'LIF',
        threshold: f.threshold, vThreshold: f.vThreshold, inputGain: R * k, leakBias: vLeak * k, input: 'current', currentScale: 0,
      };
    }
    case 'CubaLI':
    case 'CubaLIF': {
      const ts = tau('tau_syn', node.tau_syn);
      const tm = tau('tau_mem', node.tau_mem);
      const R = uniform('r', node.r);
      const w = uniform('w_in', node.w_in);
      const vLeak = uniform('v_leak', node.v_leak);
      if (vLeak !== 0) {
        refuse(`v_leak is ${vLeak}: it enters the membrane directly, which the harness's current-based neuron (bias into the current) cannot represent`,
          'export the network with v_leak = 0 (potentials shifted by −v_leak), or use LIF nodes');
      }
      const f = node.type === 'CubaLIF' ? firing(node.v_threshold, node.v_reset) : integrator;
      const alpha = decayPerStep(ts, dt, method);
      const beta = decayPerStep(tm, dt, method);
      let gain: number;
      let currentScale: number;
      if (method === 'exact') {
        const q = twoExponentialQuotient(ts, tm, dt);
        gain = R * w * q;
        currentScale = (R * ts * q) / alpha;
      } else {
        gain = (R * w * dt) / (ts * tm);
        currentScale = (R * dt) / tm;
      }
      return {
        ...base, params: { model: 'cuba', reset: f.reset, beta, alpha, refractory: 0 }, spiking: node.type === 'CubaLIF',
        threshold: f.threshold, vThreshold: f.vThreshold, inputGain: gain, leakBias: 0, input: 'spikes', currentScale,
      };
    }
  }
}

/**
 * (e^{−dt/τ_syn} − e^{−dt/τ_mem}) / (τ_syn − τ_mem), the two-exponential kernel's value at dt over R·w_in,
 * computed without cancellation: β·expm1(dt·(τ_syn − τ_mem)/(τ_syn·τ_mem)) / (τ_syn − τ_mem), β·dt/τ² at τ_syn = τ_mem.
 */
export function twoExponentialQuotient(tauSyn: number, tauMem: number, dt: number): number {
  const beta = Math.exp(-dt / tauMem);
  const d = tauSyn - tauMem;
  if (d === 0) return (beta * dt) / (tauSyn * tauMem);
  return (beta * Math.expm1((dt * d) / (tauSyn * tauMem))) / d;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/**
 * The smallest float32 strictly above θ: for a float32 v, `v ≥ strictThreshold(θ)` ⟺ `v > θ`, which
 * turns NIR's strict firing test into the harness's `v ≥ threshold`.
 */
export function strictThreshold(theta: number): number {
  if (!Number.isFinite(theta)) throw new Error(`a threshold must be finite, got ${theta}`);
  const r = Math.fround(theta);
  if (r > theta) return r;
  f32[0] = r;
  if (r === 0) i32[0] = 1; // +0 and −0: the smallest positive subnormal
  else if (r > 0) i32[0] += 1;
  else i32[0] -= 1; // toward zero: the magnitude of a negative float32 shrinks as its bits decrease
  return f32[0];
}

/** A neuron node discretized neuron by neuron: the per-neuron values of `NirDiscreteNeuron`. */
export interface NirDiscreteGroup {
  readonly id: string;
  readonly type: NirNeuronType | 'Threshold';
  readonly size: number;
  /** A neuron model, or `threshold` for NIR's stateless Threshold (z = 1 where its input > threshold). */
  readonly model: NeuronParams['model'] | 'threshold';
  readonly reset: NeuronParams['reset'];
  readonly spiking: boolean;
  readonly beta: Float64Array;
  /** Per neuron for CubaLI/CubaLIF; empty otherwise. */
  readonly alpha: Float64Array;
  readonly threshold: Float64Array;
  readonly vThreshold: Float64Array;
  readonly inputGain: Float64Array;
  readonly leakBias: Float64Array;
}

/**
 * Node `id` of `size` neurons discretized at dt neuron by neuron (NIR's per-neuron parameter arrays;
 * a parameter of one element serves every neuron). Refusals as `discretizeNeuron`'s, naming the neuron.
 */
export function discretizeGroup(id: string, node: NirNeuronNode | NirThreshold, size: number, dt: number, options: NirDiscretizeOptions = DEFAULT_NIR_DISCRETIZATION): NirDiscreteGroup {
  if (node.type === 'Threshold') {
    // a comparator: its input each step against the threshold, no state, no time constant (dt does not enter)
    const g: NirDiscreteGroup = {
      id, type: 'Threshold', size, model: 'threshold', reset: 'zero', spiking: true, beta: new Float64Array(size).fill(1), alpha: new Float64Array(0),
      threshold: new Float64Array(size), vThreshold: new Float64Array(size), inputGain: new Float64Array(size).fill(1), leakBias: new Float64Array(size),
    };
    for (let j = 0; j < size; j++) {
      const c = discretizeNeuronAt(id, node, dt, options, j) as NirDiscreteComparator;
      g.threshold[j] = c.threshold;
      g.vThreshold[j] = c.vThreshold;
    }
    return g;
  }
  const at = (j: number): NirDiscreteNeuron => discretizeNeuronAt(id, node, dt, options, j) as NirDiscreteNeuron;
  const first = at(0);
  const cuba = first.params.model === 'cuba';
  const g: NirDiscreteGroup = {
    id, type: node.type, size, model: first.params.model, reset: first.params.reset, spiking: first.spiking,
    beta: new Float64Array(size), alpha: new Float64Array(cuba ? size : 0), threshold: new Float64Array(size),
    vThreshold: new Float64Array(size), inputGain: new Float64Array(size), leakBias: new Float64Array(size),
  };
  for (let j = 0; j < size; j++) {
    const d = j === 0 ? first : at(j);
    g.beta[j] = d.params.beta;
    if (cuba) g.alpha[j] = d.params.alpha;
    g.threshold[j] = d.threshold;
    g.vThreshold[j] = d.vThreshold;
    g.inputGain[j] = d.inputGain;
    g.leakBias[j] = d.leakBias;
  }
  return g;
}
