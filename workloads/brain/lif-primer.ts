// The LIF example of the brain-inspired-computing primer (shared/seeds/003_…, a Brian2 script):
//   dv/dt = (El − v + I) / τ  (unless refractory), τ = 10 ms, El = −60 mV, threshold v > Vt = −50 mV,
//   reset v = Vr = −60 mV, refractory 5 ms, method 'euler', dt = 0.1 ms (Brian2's default), 100 ms,
//   v(0) = El, constant input I (in volts, as in the script).
// The neuron is harness/neurons.ts's physical LIF (`primerNeuron`: a current held over each Euler step).
// Reproduced step by step as Brian2 schedules it: state update (skipped while refractory), then the
// threshold (only when not refractory), then the reset; a spike is recorded at the time t of the step
// that crosses. The closed form between spikes is v(t) = El + I·(1 − e^{−t/τ}), so a neuron at rest
// first crosses at t* = τ·ln(I / (I − (Vt − El))) when I > Vt − El, and never otherwise.
import type { LifSpec } from '../../harness/neurons.js';
import { LifPopulation, wholeSteps } from '../../harness/neurons.js';

export interface LifPrimerParams {
  readonly tauS: number;
  readonly elV: number;
  readonly vtV: number;
  readonly vrV: number;
  readonly refractoryS: number;
  readonly dtS: number;
  readonly durationS: number;
}

/** The primer's parameters, in SI units. */
export const PRIMER: LifPrimerParams = { tauS: 10e-3, elV: -60e-3, vtV: -50e-3, vrV: -60e-3, refractoryS: 5e-3, dtS: 0.1e-3, durationS: 100e-3 };

export interface LifPrimerRun {
  /** Spike times in seconds (multiples of dt). */
  readonly spikeTimesS: number[];
  /** Time steps simulated, state updates performed (refractory steps skip the update), threshold tests. */
  readonly steps: number;
  readonly updates: number;
  readonly thresholdTests: number;
}

/** The primer's neuron as a harness/neurons.ts LIF population: Euler on a held current, Brian2's refractoriness. */
export function primerNeuron(p: LifPrimerParams = PRIMER): LifSpec {
  return {
    tau: p.tauS,
    dt: p.dtS,
    discretization: 'euler',
    input: 'current',
    rest: p.elV,
    threshold: p.vtV,
    reset: p.vrV,
    refractory: p.refractoryS,
    // Brian2: not_refractory = (timestep(t − lastspike) >= timestep(refractory)): the period counts the spike's step
    refractoryCountsSpikeStep: true,
    duringRefractory: 'hold',
  };
}

/** Simulates the primer's neuron under constant input `inputV` (volts), exactly as its Brian2 script does. */
export function simulateLifPrimer(inputV: number, p: LifPrimerParams = PRIMER): LifPrimerRun {
  const steps = wholeSteps(p.durationS, p.dtS);
  const neuron = new LifPopulation(primerNeuron(p), 1);
  const spikeTimesS: number[] = [];
  let updates = 0;
  let thresholdTests = 0;
  for (let i = 0; i < steps; i++) {
    // a refractory step neither updates v nor tests the threshold
    if (!neuron.refractory(0)) {
      updates++;
      thresholdTests++;
    }
    if (neuron.step(0, inputV)) spikeTimesS.push(i * p.dtS);
  }
  return { spikeTimesS, steps, updates, thresholdTests };
}

/** First threshold crossing of the continuous dynamics from rest, or null when I ≤ Vt − El (v settles at El + I ≤ Vt). */
export function firstSpikeClosedFormS(inputV: number, p: LifPrimerParams = PRIMER): number | null {
  const gap = p.vtV - p.elV;
  if (inputV <= gap) return null;
  return p.tauS * Math.log(inputV / (inputV - gap));
}

/** Spike times of the continuous dynamics: first crossing, then one every refractory + crossing time (reset = rest). */
export function spikeTimesClosedFormS(inputV: number, p: LifPrimerParams = PRIMER): number[] {
  const first = firstSpikeClosedFormS(inputV, p);
  if (first === null) return [];
  const times: number[] = [];
  for (let t = first; t < p.durationS; t += p.refractoryS + first) times.push(t);
  return times;
}

/**
 * Spike times of the primer's forward-Euler recursion in closed form. From rest, Euler gives
 * v_n = El + I·(1 − (1 − h)^n) with h = dt/τ, so the first crossing is the first n with
 * (1 − h)^n < 1 − (Vt − El)/I; the spike is recorded at step n − 1 (the step that computed v_n).
 * After a spike at step s the neuron is refractory until step s + R (R = refractory/dt) and then
 * needs n updates again, so spikes repeat every R + n − 1 steps.
 */
export function spikeTimesEulerClosedFormS(inputV: number, p: LifPrimerParams = PRIMER): number[] {
  const gap = p.vtV - p.elV;
  if (inputV <= gap) return [];
  const h = p.dtS / p.tauS;
  const n = Math.floor(Math.log(1 - gap / inputV) / Math.log(1 - h)) + 1;
  const steps = Math.round(p.durationS / p.dtS);
  const refractorySteps = Math.round(p.refractoryS / p.dtS);
  const times: number[] = [];
  for (let step = n - 1; step < steps; step += refractorySteps + n - 1) times.push(step * p.dtS);
  return times;
}
