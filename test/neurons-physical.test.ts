// The neuron library in physical units (harness/neurons.ts parts 1 and 3): β ↔ τ and refractory
// steps by hand, a single LIF neuron under a step current against the ODE's analytic first spike
// time with both discretizations, refractory hold vs leak and the adaptive threshold worked by hand,
// and the physical parameterization of the float32 neurons the SNN backend steps.
import { describe, expect, it } from 'vitest';
import type { LifSpec, NeuronParams } from '../harness/neurons.js';
import { LifPopulation, NeuronLayer, decayPerStep, discreteNeuron, integrateLif, lifRule, newLifState, newNeuronState, physicalNeuron, refractorySteps, stepLif, stepLifAll, stepNeuron, timeConstantOf, wholeSteps } from '../harness/neurons.js';
import { createRng } from '../core/rng.js';

const ms = 1e-3;
const mV = 1e-3;

describe('time constants and steps', () => {
  it('β from τ = 10 ms at dt = 1 ms: exact e^{−0.1} = 0.904837418…, Euler 1 − 0.1 = 0.9; and back', () => {
    expect(decayPerStep(10 * ms, 1 * ms)).toBeCloseTo(0.9048374180359595, 15);
    expect(decayPerStep(10 * ms, 1 * ms, 'euler')).toBeCloseTo(0.9, 15);
    expect(timeConstantOf(0.9048374180359595, 1 * ms)).toBeCloseTo(10 * ms, 15);
    expect(timeConstantOf(0.9, 1 * ms, 'euler')).toBeCloseTo(10 * ms, 15);
    // β = 0.5 per step is τ = dt/ln 2 = 1.4427 steps (exact) or 2 steps (Euler: SpikingJelly's τ = 2)
    expect(timeConstantOf(0.5, 1)).toBeCloseTo(1 / Math.LN2, 14);
    expect(timeConstantOf(0.5, 1, 'euler')).toBe(2);
  });
  it('no leak: τ = ∞ ↔ β = 1 in both directions', () => {
    expect(decayPerStep(Infinity, 1 * ms)).toBe(1);
    expect(decayPerStep(Infinity, 1 * ms, 'euler')).toBe(1);
    expect(timeConstantOf(1, 1 * ms)).toBe(Infinity);
  });
  it('refuses a decay outside (0, 1] and a non-positive τ or dt', () => {
    expect(() => timeConstantOf(1.2, 1)).toThrow(/\(0, 1\]/);
    expect(() => decayPerStep(0, 1)).toThrow(/τ > 0/);
    expect(() => decayPerStep(1, 0)).toThrow(/dt > 0/);
  });
  it('refractory periods in whole steps: 5 ms at 0.1 ms = 50 steps after the spike, 49 when the period includes the spike step (Brian2)', () => {
    expect(wholeSteps(5 * ms, 0.1 * ms)).toBe(50);
    expect(refractorySteps(5 * ms, 0.1 * ms)).toBe(50);
    expect(refractorySteps(5 * ms, 0.1 * ms, true)).toBe(49);
    expect(refractorySteps(0, 0.1 * ms, true)).toBe(0);
    expect(refractorySteps(2.6, 1)).toBe(3); // rounded to the nearest step
  });
});

describe('the float32 neurons in physical units', () => {
  it('CUBA with τ_mem = 20 ms, τ_syn = 5 ms, 2 ms refractory at dt = 1 ms: β = e^{−1/20}, α = e^{−1/5}, 2 steps; and back', () => {
    const phys = { model: 'cuba', reset: 'subtract', tauMemS: 20 * ms, tauSynS: 5 * ms, dtS: 1 * ms, refractoryS: 2 * ms, discretization: 'exact' } as const;
    const p = discreteNeuron(phys);
    expect(p.beta).toBeCloseTo(Math.exp(-1 / 20), 15);
    expect(p.alpha).toBeCloseTo(Math.exp(-1 / 5), 15);
    expect(p.refractory).toBe(2);
    const back = physicalNeuron(p, 1 * ms);
    expect(back.tauMemS).toBeCloseTo(20 * ms, 14);
    expect(back.tauSynS).toBeCloseTo(5 * ms, 14);
    expect(back.refractoryS).toBeCloseTo(2 * ms, 15);
  });
  it('an IF neuron has β = 1 whatever τ_mem says; a LIF has no current decay', () => {
    const base = { reset: 'zero', tauMemS: 10 * ms, tauSynS: 5 * ms, dtS: 1 * ms, refractoryS: 0, discretization: 'euler' } as const;
    expect(discreteNeuron({ ...base, model: 'if' })).toEqual({ model: 'if', reset: 'zero', beta: 1, alpha: 0, refractory: 0 });
    const lif = discreteNeuron({ ...base, model: 'lif' });
    expect(lif).toMatchObject({ model: 'lif', reset: 'zero', alpha: 0, refractory: 0 });
    expect(lif.beta).toBeCloseTo(0.9, 15);
  });
  it('NeuronLayer steps every neuron as stepNeuron does: LIF β = 0.5, input 0.6 → v 0.6, 0.9, 1.05 → spike', () => {
    const p: NeuronParams = { model: 'lif', reset: 'subtract', beta: 0.5, alpha: 0, refractory: 0 };
    const layer = new NeuronLayer(p, 2, 1);
    const ref = newNeuronState(2, p);
    const spikes: number[][] = [];
    for (let t = 0; t < 4; t++) {
      const s = new Float32Array(2);
      const n = layer.step([0.6, 0.2], [0, 0.1], s);
      expect(n).toBe(s[0] + s[1]);
      spikes.push(Array.from(s));
      stepNeuron(p, ref, 0, 0.6, 0, 1, true);
      stepNeuron(p, ref, 1, 0.2, 0.1, 1, true);
    }
    expect(spikes).toEqual([[0, 0], [0, 0], [1, 0], [0, 0]]);
    expect(Array.from(layer.state.v)).toEqual(Array.from(ref.v));
    layer.reset();
    expect(Array.from(layer.state.v)).toEqual([0, 0]);
  });
});

/** A LIF neuron at rest under a constant current: the step of its first spike, or −1. */
function firstSpikeStep(spec: LifSpec, x: number, maxSteps: number): number {
  const pop = new LifPopulation(spec, 1);
  for (let k = 0; k < maxSteps; k++) if (pop.step(0, x)) return k;
  return -1;
}

describe('a single LIF neuron under a step current (τ dv/dt = v_rest − v + R·I)', () => {
  const spec = (discretization: 'exact' | 'euler', dt: number): LifSpec => ({
    tau: 20 * ms,
    dt,
    discretization,
    input: 'current',
    rest: -65 * mV,
    threshold: -50 * mV,
    reset: -65 * mV,
    refractory: 0,
    refractoryCountsSpikeStep: false,
    duringRefractory: 'hold',
  });
  // R·I = 20 mV against a 15 mV gap: t* = −τ·ln(1 − 15/20) = 20 ms · ln 4 = 27.726 ms
  const tStar = -20 * ms * Math.log(1 - 15 / 20);
  it.each([
    ['exact', 0.1 * ms],
    ['exact', 1 * ms],
    ['euler', 0.1 * ms],
    ['euler', 1 * ms],
  ] as const)('%s at dt = %f s: the first spike lands within one dt of t* = τ·ln 4', (d, dt) => {
    const k = firstSpikeStep(spec(d, dt), 20 * mV, 10000);
    // step k computes v((k + 1)·dt)
    const t = (k + 1) * dt;
    expect(Math.abs(t - tStar)).toBeLessThan(dt);
    // the exact discretization samples the ODE's solution, so it can only cross at or after t*
    if (d === 'exact') expect(t).toBeGreaterThanOrEqual(tStar);
  });
  it('the exact discretization reproduces v(t) = v_rest + R·I·(1 − e^{−t/τ}) at every step', () => {
    const r = lifRule(spec('exact', 1 * ms));
    let v = r.rest;
    for (let k = 1; k <= 5; k++) {
      v = integrateLif(r, v, 20 * mV);
      expect(v).toBeCloseTo(-65 * mV + 20 * mV * (1 - Math.exp(-k / 20)), 15);
    }
  });
  it('Euler at dt = 1 ms by hand: v₁ = −65 + 20/20 = −64 mV, v₂ = −64 + (−65 + 64 + 20)/20 = −63.05 mV', () => {
    const r = lifRule(spec('euler', 1 * ms));
    const v1 = integrateLif(r, -65 * mV, 20 * mV);
    expect(v1).toBeCloseTo(-64 * mV, 15);
    expect(integrateLif(r, v1, 20 * mV)).toBeCloseTo(-63.05 * mV, 15);
  });
  it('never fires when R·I ≤ v_th − v_rest (15 mV only approaches the threshold); fires at v > v_th, not at v = v_th', () => {
    expect(firstSpikeStep(spec('exact', 1 * ms), 15 * mV, 2000)).toBe(-1);
    const charge: LifSpec = { ...spec('exact', 1 * ms), input: 'charge', rest: 0, threshold: 1, reset: 0 };
    expect(firstSpikeStep(charge, 1, 1)).toBe(-1);
    expect(firstSpikeStep(charge, 1.0001, 1)).toBe(0);
  });
});

describe('refractoriness and adaptive threshold by hand (charges, τ = 10 ms, dt = 1 ms, β = e^{−0.1})', () => {
  const b = Math.exp(-0.1);
  const base: LifSpec = { tau: 10, dt: 1, discretization: 'exact', input: 'charge', rest: 0, threshold: 1, reset: 0.5, refractory: 2, refractoryCountsSpikeStep: false, duringRefractory: 'hold' };
  const trace = (spec: LifSpec, xs: number[], adapt = false) => {
    const pop = new LifPopulation(spec, 1);
    const spikes: number[] = [];
    const v: number[] = [];
    const theta: number[] = [];
    xs.forEach((x, t) => {
      if (pop.step(0, x, adapt)) spikes.push(t);
      v.push(pop.state.v[0]);
      theta.push(pop.state.theta.length ? pop.state.theta[0] : 0);
    });
    return { spikes, v, theta };
  };
  it('hold: after the spike at t = 0 (v → 0.5) the next 2 steps keep v = 0.5 and drop their input; then it leaks', () => {
    const r = trace(base, [2, 1, 1, 0]);
    expect(r.spikes).toEqual([0]);
    expect(r.v).toEqual([0.5, 0.5, 0.5, 0.5 * b]);
  });
  it('leak: the refractory steps leak v (0.5·β, 0.5·β²) without input and cannot spike', () => {
    const r = trace({ ...base, duringRefractory: 'leak' }, [2, 5, 5, 0]);
    expect(r.spikes).toEqual([0]);
    expect(r.v).toEqual([0.5, 0.5 * b, 0.5 * b * b, 0.5 * b * b * b]);
  });
  it('the period counting the spike step (Brian2) holds one step fewer', () => {
    // t = 2 integrates again: 0.5·β + 1 = 1.45 > 1 spikes (reset to 0.5); with 2 steps after the spike it would be held
    expect(trace({ ...base, refractoryCountsSpikeStep: true }, [2, 0, 1, 0]).spikes).toEqual([0, 2]);
    expect(trace(base, [2, 0, 1, 0]).spikes).toEqual([0]);
  });
  it('θ: +0.5 per spike, ×e^{−1/10} per step while adapting; the threshold is 1 + θ; frozen when not adapting', () => {
    const spec: LifSpec = { ...base, refractory: 0, reset: 0, adaptation: { increment: 0.5, tau: 10 } };
    const a = Math.exp(-1 / 10);
    // t0: θ decays from 0, spike (2 > 1), θ = 0.5; t1..t3: θ = 0.5a, 0.5a², 0.5a³;
    // t3: a charge of 1.4 on v = 0 against 1 + 0.5a³ = 1.3704 spikes, θ = 0.5a³ + 0.5
    const r = trace(spec, [2, 0, 0, 1.4], true);
    expect(r.spikes).toEqual([0, 3]);
    expect(r.theta[0]).toBe(0.5);
    expect(r.theta[2]).toBeCloseTo(0.5 * a * a, 15);
    expect(r.theta[3]).toBeCloseTo(0.5 * a ** 3 + 0.5, 15);
    // a charge of 1.3 stays below 1 + 0.5a³ at t3
    expect(trace(spec, [2, 0, 0, 1.3], true).spikes).toEqual([0]);
    // not adapting: θ neither grows nor decays
    const frozen = new LifPopulation(spec, 1, Float64Array.from([0.25]));
    expect(frozen.step(0, 1.2)).toBe(false); // 1.2 ≤ 1.25
    expect(frozen.step(0, 0.2)).toBe(true); // 1.2β + 0.2 = 1.2858 > 1.25
    expect(frozen.state.theta[0]).toBe(0.25);
  });
  it('lifRule: the per-step constants of a spec', () => {
    const r = lifRule({ ...base, adaptation: { increment: 0.05, tau: 1e7 } });
    expect(r.beta).toBe(Math.exp(-1 / 10));
    expect(r.thetaDecay).toBe(Math.exp(-1 / 1e7));
    expect(r.thetaIncrement).toBe(0.05);
    expect(r.refractorySteps).toBe(2);
    expect(lifRule(base).thetaDecay).toBe(1);
  });
  it('a population starts at rest and resets to rest, keeping θ', () => {
    const theta = Float64Array.from([0.3, 0]);
    const pop = new LifPopulation({ ...base, rest: -0.2 }, 2, theta);
    expect(Array.from(pop.state.v)).toEqual([-0.2, -0.2]);
    pop.step(0, 5);
    pop.reset();
    expect(Array.from(pop.state.v)).toEqual([-0.2, -0.2]);
    expect(Array.from(pop.state.ref)).toEqual([0, 0]);
    expect(pop.state.theta).toBe(theta);
  });
});

describe('stepLifAll (the population loop) ≡ stepLif neuron by neuron, bit for bit', () => {
  const base: LifSpec = { tau: 10, dt: 1, discretization: 'exact', input: 'charge', rest: 0, threshold: 1, reset: 0.2, refractory: 2, refractoryCountsSpikeStep: false, duringRefractory: 'leak' };
  it.each([
    ['charge, exact, leak, adaptive', { ...base, adaptation: { increment: 0.3, tau: 20 } }],
    ['charge, Euler, hold, rest −0.1', { ...base, discretization: 'euler', duringRefractory: 'hold', rest: -0.1 }],
    ['current, Euler, hold (the primer’s kind)', { ...base, input: 'current', discretization: 'euler', duringRefractory: 'hold', refractoryCountsSpikeStep: true }],
    ['current, exact, leak, adaptive', { ...base, input: 'current', adaptation: { increment: 0.1, tau: 5 } }],
  ] as [string, LifSpec][])('%s', (_, spec) => {
    const r = lifRule(spec);
    const n = 16;
    const a = newLifState(n, r);
    const b = newLifState(n, r);
    const rng = createRng(4, 2);
    let fired = 0;
    for (let t = 0; t < 200; t++) {
      const x = Float64Array.from({ length: n }, () => 3 * rng.next() - 0.5);
      const adapt = t < 150;
      const one: number[] = [];
      for (let j = 0; j < n; j++) if (stepLif(r, a, j, x[j], adapt)) one.push(j);
      const all: number[] = [];
      stepLifAll(r, b, x, adapt, all);
      expect(all).toEqual(one);
      fired += all.length;
    }
    expect(fired).toBeGreaterThan(20);
    expect(Array.from(b.v)).toEqual(Array.from(a.v));
    expect(Array.from(b.ref)).toEqual(Array.from(a.ref));
    expect(Array.from(b.theta)).toEqual(Array.from(a.theta));
  });
});
