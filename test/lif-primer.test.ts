// The primer's LIF example: spike times against the closed-form solution of its ODE, within one dt,
// and the primer's own claim checked against its dynamics.
import { describe, expect, it } from 'vitest';
import { PRIMER, firstSpikeClosedFormS, simulateLifPrimer, spikeTimesClosedFormS, spikeTimesEulerClosedFormS } from '../workloads/brain/lif-primer.js';

const mV = 1e-3;

describe('the primer LIF neuron (τ 10 ms, threshold −50 mV, reset = rest = −60 mV, refractory 5 ms, Euler, dt 0.1 ms)', () => {
  it("does not spike at the primer's I = 2 mV: v settles at El + I = −58 mV, below the −50 mV threshold", () => {
    // The primer says it fires "at about 50 ms" (e.g. [50.3 ms, 97.1 ms]); its own equation says never.
    expect(simulateLifPrimer(2 * mV).spikeTimesS).toEqual([]);
    expect(firstSpikeClosedFormS(2 * mV)).toBeNull();
  });
  it('needs I > Vt − El = 10 mV to fire at all (10 mV only approaches the threshold)', () => {
    expect(simulateLifPrimer(10 * mV).spikeTimesS).toEqual([]);
    expect(simulateLifPrimer(10.5 * mV).spikeTimesS.length).toBeGreaterThan(0);
  });
  it.each([11, 12, 15, 20, 30, 50])('I = %d mV: the simulation equals the closed form of its Euler recursion, step for step', (I) => {
    const sim = simulateLifPrimer(I * mV).spikeTimesS.map((t) => Math.round(t / PRIMER.dtS));
    expect(sim).toEqual(spikeTimesEulerClosedFormS(I * mV).map((t) => Math.round(t / PRIMER.dtS)));
  });
  it.each([11, 12, 15, 20, 30, 50])('I = %d mV: spikes lead the ODE\'s by at most one dt (Brian2 stamps the step that crosses) plus Euler\'s t*·dt/(2τ), per cycle', (I) => {
    // forward Euler's (1 − h)^n decays faster than e^{−hn}, so it crosses t*·h/2 early (h = dt/τ)
    const sim = simulateLifPrimer(I * mV).spikeTimesS;
    const exact = spikeTimesClosedFormS(I * mV);
    expect(sim.length).toBe(exact.length);
    const tStar = firstSpikeClosedFormS(I * mV)!;
    const perCycle = (tStar * PRIMER.dtS) / (2 * PRIMER.tauS) + PRIMER.dtS;
    sim.forEach((t, k) => expect(Math.abs(t - exact[k])).toBeLessThanOrEqual((k + 1) * perCycle + 1e-12));
  });
  it('I = 12 mV, by hand: t* = 10 ms · ln(12 / 2) = 17.92 ms; then every 5 + 17.92 ms', () => {
    expect(firstSpikeClosedFormS(12 * mV)! * 1e3).toBeCloseTo(17.9176, 4);
    const sim = simulateLifPrimer(12 * mV);
    expect(sim.spikeTimesS.map((t) => +(t * 1e3).toFixed(1))).toEqual([17.8, 40.6, 63.4, 86.2]);
  });
  it('counts its work: one Euler update and one threshold test per non-refractory step', () => {
    const r = simulateLifPrimer(12 * mV);
    expect(r.steps).toBe(1000);
    expect(r.updates).toBe(1000 - 4 * 49); // each of the 4 spikes skips the next 49 steps (5 ms − the spike step)
    expect(r.thresholdTests).toBe(r.updates);
  });
});
