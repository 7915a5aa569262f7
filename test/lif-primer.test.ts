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
  it('I = 12 mV, by hand: the ODE crosses at t* = 10 ms · ln(12 / 2) = 17.92 ms; Euler at step 178 = 17.8 ms, then every 228 steps', () => {
    // ODE: v(t) = El + I(1 − e^{−t/τ}) reaches Vt when e^{−t/τ} = 1 − 10/12 = 1/6: t* = τ ln 6 = 17.9176 ms.
    expect(firstSpikeClosedFormS(12 * mV)! * 1e3).toBeCloseTo(17.9176, 4);
    // Euler, h = dt/τ = 0.01: v_n = El + I(1 − 0.99^n) crosses at the first n with 0.99^n < 1/6,
    // n > ln 6 / −ln 0.99 = 1.791759 / 0.0100503 = 178.28, so n = 179 updates; Brian2 records the
    // step that computed v_179, step 178 = 17.8 ms. After a spike, 50 refractory steps (5 ms / 0.1 ms),
    // then 179 more updates, the last of which is recorded: a period of 50 + 178 = 228 steps = 22.8 ms.
    // Spikes at 17.8, 40.6, 63.4, 86.2 ms; the next (109.0 ms) lies beyond the 100 ms run.
    const sim = simulateLifPrimer(12 * mV);
    expect(sim.spikeTimesS.map((t) => Math.round(t / PRIMER.dtS))).toEqual([178, 406, 634, 862]);
  });
  it('counts its work: one Euler update and one threshold test per non-refractory step', () => {
    const r = simulateLifPrimer(12 * mV);
    expect(r.steps).toBe(1000);
    expect(r.updates).toBe(1000 - 4 * 49); // each of the 4 spikes skips the next 49 steps (5 ms − the spike step)
    expect(r.thresholdTests).toBe(r.updates);
  });
});
