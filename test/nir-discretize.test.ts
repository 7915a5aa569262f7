// NIR neuron semantics at a step dt: the per-step constants by hand, the harness's float32 neuron
// (stepNeuron) run with them against NIR's continuous-time solutions in closed form (a LIF neuron under
// a step current, a CubaLIF neuron's two-exponential response to one spike), and every refusal as one
// line naming the node, its type, the parameter and the fix. Expected values come from NIR's equations,
// never from the code under test.

import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { newNeuronState, stepNeuron } from '../harness/neurons.js';
import type { NirCubaLIF, NirIF, NirLI, NirLIF, NirTensor } from '../workloads/nir/graph.js';
import { discretizeNeuron, strictThreshold, type NirDiscreteNeuron, type NirDiscretizeOptions } from '../workloads/nir/discretize.js';

const N = 3;
const full = (v: number, n = N): NirTensor => ({ shape: [n], data: new Float64Array(n).fill(v) });
const EXACT: NirDiscretizeOptions = { discretization: 'exact', reset: 'to-v-reset' };
const EULER: NirDiscretizeOptions = { discretization: 'euler', reset: 'to-v-reset' };

const lif = (p: { tau: number; r: number; vTh?: number; vLeak?: number; vReset?: number }): NirLIF => ({
  type: 'LIF', tau: full(p.tau), r: full(p.r), v_leak: full(p.vLeak ?? 0), v_threshold: full(p.vTh ?? 1), v_reset: full(p.vReset ?? 0),
});
const cubaLif = (p: { tauSyn: number; tauMem: number; r: number; w: number; vTh?: number; vLeak?: number }): NirCubaLIF => ({
  type: 'CubaLIF', tau_syn: full(p.tauSyn), tau_mem: full(p.tauMem), r: full(p.r), v_leak: full(p.vLeak ?? 0),
  v_threshold: full(p.vTh ?? 1), v_reset: full(0), w_in: full(p.w),
});
const ifNode = (r: number, vTh: number, vReset = 0): NirIF => ({ type: 'IF', r: full(r), v_threshold: full(vTh), v_reset: full(vReset) });

/** Runs one harness neuron for `steps` steps, input current(k) at step k; returns v and i after each step and the spike steps. */
function simulate(d: NirDiscreteNeuron, steps: number, current: (k: number) => number) {
  const s = newNeuronState(1, d.params);
  const v: number[] = [];
  const i: number[] = [];
  const spikes: number[] = [];
  for (let k = 0; k < steps; k++) {
    if (stepNeuron(d.params, s, 0, Math.fround(d.inputGain * current(k)), d.leakBias, d.threshold, true)) spikes.push(k);
    v.push(s.v[0]);
    if (d.params.model === 'cuba') i.push(s.i[0]);
  }
  return { v, i, spikes };
}

describe('per-step constants by hand', () => {
  // τ = 20 ms, dt = 1 ms: e^{−0.05} = 0.951229424500714
  const E005 = 0.951229424500714;
  it('LIF exact: β = e^{−dt/τ}, gain R(1 − β), v_leak as a bias v_leak(1 − β)', () => {
    const d = discretizeNeuron('n', lif({ tau: 0.02, r: 3, vLeak: 0.5 }), 0.001, EXACT);
    expect(d.params).toEqual({ model: 'lif', reset: 'zero', beta: expect.closeTo(E005, 14) as number, alpha: 0, refractory: 0 });
    expect(d.inputGain).toBeCloseTo(3 * (1 - E005), 14);
    expect(d.leakBias).toBeCloseTo(0.5 * (1 - E005), 14);
    expect(d.input).toBe('current');
    expect(d.spiking).toBe(true);
  });
  it('LIF Euler: β = 1 − dt/τ, gain R·dt/τ', () => {
    const d = discretizeNeuron('n', lif({ tau: 0.02, r: 3, vLeak: 0.5 }), 0.001, EULER);
    expect(d.params.beta).toBeCloseTo(0.95, 15);
    expect(d.inputGain).toBeCloseTo(0.15, 15);
    expect(d.leakBias).toBeCloseTo(0.025, 15);
  });
  it('IF and I: no leak, gain R·dt under both discretizations; I never fires', () => {
    for (const o of [EXACT, EULER]) {
      const d = discretizeNeuron('n', ifNode(2, 1), 0.001, o);
      expect(d.params).toEqual({ model: 'if', reset: 'zero', beta: 1, alpha: 0, refractory: 0 });
      expect(d.inputGain).toBeCloseTo(0.002, 15);
      const i = discretizeNeuron('i', { type: 'I', r: full(2) }, 0.001, o);
      expect(i.inputGain).toBeCloseTo(0.002, 15);
      expect([i.spiking, i.threshold]).toEqual([false, Infinity]);
    }
  });
  it('CubaLIF exact: α = e^{−dt/τ_syn}, β = e^{−dt/τ_mem}, gain R·w_in·(α − β)/(τ_syn − τ_mem)', () => {
    // τ_syn = 5 ms, τ_mem = 10 ms, dt = 1 ms: e^{−0.2} = 0.818730753077982, e^{−0.1} = 0.904837418035960
    const [a, b] = [0.818730753077982, 0.90483741803596];
    const d = discretizeNeuron('c', cubaLif({ tauSyn: 0.005, tauMem: 0.01, r: 2, w: 0.5 }), 0.001, EXACT);
    expect(d.params.model).toBe('cuba');
    expect(d.params.alpha).toBeCloseTo(a, 14);
    expect(d.params.beta).toBeCloseTo(b, 14);
    expect(d.inputGain).toBeCloseTo((2 * 0.5 * (a - b)) / (0.005 - 0.01), 10); // 17.2213329915956
    expect(d.currentScale).toBeCloseTo((2 * 0.005 * (a - b)) / ((0.005 - 0.01) * a), 10);
    expect(d.input).toBe('spikes');
  });
  it('CubaLIF exact with τ_syn = τ_mem = τ: gain R·w_in·β·dt/τ² (the limit)', () => {
    const d = discretizeNeuron('c', cubaLif({ tauSyn: 0.01, tauMem: 0.01, r: 1, w: 1 }), 0.001, EXACT);
    expect(d.inputGain).toBeCloseTo((0.90483741803596 * 0.001) / 0.0001, 10);
    // and continuous in τ_syn around it
    const near = discretizeNeuron('c', cubaLif({ tauSyn: 0.01 * (1 + 1e-9), tauMem: 0.01, r: 1, w: 1 }), 0.001, EXACT);
    expect(near.inputGain).toBeCloseTo(d.inputGain, 6);
  });
  it('CubaLIF Euler: α = 1 − dt/τ_syn, β = 1 − dt/τ_mem, gain R·w_in·dt/(τ_syn·τ_mem), current scale R·dt/τ_mem', () => {
    const d = discretizeNeuron('c', cubaLif({ tauSyn: 0.005, tauMem: 0.01, r: 2, w: 0.5 }), 0.001, EULER);
    expect(d.params.alpha).toBeCloseTo(0.8, 15);
    expect(d.params.beta).toBeCloseTo(0.9, 15);
    expect(d.inputGain).toBeCloseTo(20, 10);
    expect(d.currentScale).toBeCloseTo(0.2, 15);
  });
  it('the harness threshold is the smallest float32 above NIR\'s (v > θ ⟺ v ≥ threshold for float32 v)', () => {
    expect(strictThreshold(1)).toBe(1 + 2 ** -23);
    expect(strictThreshold(0.1)).toBe(Math.fround(0.1)); // fround(0.1) = 0.10000000149… > 0.1
    expect(strictThreshold(-1)).toBe(-(1 - 2 ** -24));
    expect(strictThreshold(0)).toBe(2 ** -149);
    expect(discretizeNeuron('n', lif({ tau: 0.02, r: 1, vTh: 1 }), 0.001, EXACT).vThreshold).toBe(1);
  });
  it('Threshold is a stateless comparator; subtract reset maps to the harness\'s subtraction', () => {
    const t = discretizeNeuron('th', { type: 'Threshold', threshold: full(0.5) }, 0.001);
    expect(t).toEqual({ kind: 'comparator', id: 'th', type: 'Threshold', threshold: 0.5 + 2 ** -24, vThreshold: 0.5 });
    expect(discretizeNeuron('n', lif({ tau: 0.02, r: 1 }), 0.001, { discretization: 'exact', reset: 'subtract' }).params.reset).toBe('subtract');
  });
});

describe('a NIR LIF neuron under a step current vs the analytic spike times', () => {
  // τ dv/dt = −v + R·I from v = 0: v(t) = R·I·(1 − e^{−t/τ}) reaches θ at t* = −τ ln(1 − θ/(R·I)); reset to 0
  // restarts the same trajectory, so every interspike interval is t* as well.
  const [tau, R, I, theta] = [0.02, 2, 1, 1];
  const tStar = -tau * Math.log(1 - theta / (R * I)); // τ ln 2 = 13.86 ms
  for (const dt of [0.001, 0.0001]) {
    for (const o of [EXACT, EULER]) {
      it(`${o.discretization}, dt = ${dt * 1000} ms: the first spike within one dt of t*, and the intervals`, () => {
        const d = discretizeNeuron('n', lif({ tau, r: R, vTh: theta }), dt, o);
        const { spikes } = simulate(d, Math.ceil((5.5 * tStar) / dt), () => I);
        // a spike at step k is seen at the step's end, t = (k + 1)·dt
        const times = spikes.map((k) => (k + 1) * dt);
        expect(times.length).toBe(5);
        expect(Math.abs(times[0] - tStar)).toBeLessThan(dt);
        // exact steps sample the true trajectory: never before t*
        if (o.discretization === 'exact') expect(times[0]).toBeGreaterThanOrEqual(tStar);
        for (let n = 1; n < times.length; n++) {
          const isi = times[n] - times[n - 1];
          expect(isi).toBeCloseTo(times[0], 12);
          expect(Math.abs(isi - tStar)).toBeLessThan(dt);
        }
      });
    }
  }
  it('LI never fires and follows R·I·(1 − e^{−t/τ}); v_leak pulls v toward v_leak as v_leak·(1 − e^{−t/τ})', () => {
    const li: NirLI = { type: 'LI', tau: full(tau), r: full(R), v_leak: full(0) };
    const d = discretizeNeuron('li', li, 0.001, EXACT);
    const { v, spikes } = simulate(d, 100, () => I);
    expect(spikes).toEqual([]);
    for (const k of [1, 10, 99]) expect(v[k]).toBeCloseTo(R * I * (1 - Math.exp(-((k + 1) * 0.001) / tau)), 5);
    const leak = discretizeNeuron('n', lif({ tau, r: R, vTh: 10, vLeak: 0.5 }), 0.001, EXACT);
    const rest = simulate(leak, 100, () => 0);
    for (const k of [0, 10, 99]) expect(rest.v[k]).toBeCloseTo(0.5 * (1 - Math.exp(-((k + 1) * 0.001) / tau)), 6);
    // Euler by hand: v_k = 0.5·(1 − 0.95^k)
    const euler = simulate(discretizeNeuron('n', lif({ tau, r: R, vTh: 10, vLeak: 0.5 }), 0.001, EULER), 3, () => 0);
    [0.025, 0.04875, 0.0713125].forEach((x, k) => expect(euler.v[k]).toBeCloseTo(x, 7));
  });
});

describe('IF by hand: v += R·I·dt per step', () => {
  it('R = 2, dt = 1 ms, I = 150: 0.3 per step, a spike when v > 1, then v = 0 (or v − θ with subtract)', () => {
    const d = discretizeNeuron('if', ifNode(2, 1), 0.001, EXACT);
    const { v, spikes } = simulate(d, 6, () => 150);
    expect(v.map((x) => +x.toFixed(5))).toEqual([0.3, 0.6, 0.9, 0, 0.3, 0.6]);
    expect(spikes).toEqual([3]);
    const sub = simulate(discretizeNeuron('if', ifNode(2, 1), 0.001, { discretization: 'exact', reset: 'subtract' }), 5, () => 150);
    expect(sub.v.map((x) => +x.toFixed(5))).toEqual([0.3, 0.6, 0.9, 0.2, 0.5]);
  });
});

describe('CubaLIF: one input spike vs the two-exponential response', () => {
  // τ_syn dI/dt = −I + w_in·δ(t), τ_mem dv/dt = −v + R·I: I(t) = (w_in/τ_syn)·e^{−t/τ_syn},
  // v(t) = R·w_in·(e^{−t/τ_syn} − e^{−t/τ_mem})/(τ_syn − τ_mem).
  const [ts, tm, R, w, dt] = [0.005, 0.01, 2, 0.5, 0.001];
  it('exact: the harness samples v(t) and I(t) at every step\'s end (float32)', () => {
    const d = discretizeNeuron('c', cubaLif({ tauSyn: ts, tauMem: tm, r: R, w, vTh: 100 }), dt, EXACT);
    const { v, i, spikes } = simulate(d, 60, (k) => (k === 0 ? 1 : 0));
    expect(spikes).toEqual([]);
    for (let k = 0; k < 60; k++) {
      const t = (k + 1) * dt;
      const vt = (R * w * (Math.exp(-t / ts) - Math.exp(-t / tm))) / (ts - tm);
      expect(Math.abs(v[k] - vt)).toBeLessThan(2e-6 * Math.max(1, Math.abs(vt)));
      const It = (w / ts) * Math.exp(-t / ts);
      expect(Math.abs(i[k] / d.currentScale - It)).toBeLessThan(2e-6 * It);
    }
  });
  it('Euler, τ_syn = 2, τ_mem = 4, dt = 1, R = w_in = 1, by hand for 3 steps', () => {
    // I jumps by w_in/τ_syn = 0.5 and decays by 1 − 1/2; v ← (1 − 1/4)·v + (1/4)·I with the new I:
    // I = 0.5, 0.25, 0.125; v = 0.125, 0.75·0.125 + 0.0625 = 0.15625, 0.75·0.15625 + 0.03125 = 0.1484375
    const d = discretizeNeuron('c', cubaLif({ tauSyn: 2, tauMem: 4, r: 1, w: 1, vTh: 10 }), 1, EULER);
    const { v, i } = simulate(d, 3, (k) => (k === 0 ? 1 : 0));
    expect(v).toEqual([0.125, 0.15625, 0.1484375]);
    expect(i.map((x) => x / d.currentScale)).toEqual([0.5, 0.25, 0.125]);
  });
});

describe('refusals: one line naming the node, its type, the parameter and the fix', () => {
  const refusal = (f: () => unknown, type: string, param: string): void => {
    let e: unknown;
    try {
      f();
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(InputError);
    const m = (e as Error).message;
    expect(m).not.toMatch(/\n/);
    expect(m).toContain('node "L1"');
    expect(m).toContain(`(type "${type}")`);
    expect(m).toContain(param);
    expect(m).toMatch(/; \S/); // problem; fix
  };
  const uneven = (values: number[]): NirTensor => ({ shape: [values.length], data: Float64Array.from(values) });
  it('non-uniform per-neuron parameters', () => {
    refusal(() => discretizeNeuron('L1', { ...lif({ tau: 0.02, r: 1 }), tau: uneven([0.02, 0.02, 0.03]) }, 0.001), 'LIF', 'tau differs across neurons');
    refusal(() => discretizeNeuron('L1', { ...lif({ tau: 0.02, r: 1 }), v_threshold: uneven([1, 2, 1]) }, 0.001), 'LIF', 'v_threshold');
    refusal(() => discretizeNeuron('L1', { ...cubaLif({ tauSyn: 0.005, tauMem: 0.01, r: 1, w: 1 }), w_in: uneven([1, 1, 0.5]) }, 0.001), 'CubaLIF', 'w_in');
  });
  it('v_leak a current-based neuron cannot represent, v_reset ≠ 0 under either reset', () => {
    refusal(() => discretizeNeuron('L1', cubaLif({ tauSyn: 0.005, tauMem: 0.01, r: 1, w: 1, vLeak: -0.1 }), 0.001), 'CubaLIF', 'v_leak');
    refusal(() => discretizeNeuron('L1', lif({ tau: 0.02, r: 1, vReset: 0.2 }), 0.001, EXACT), 'LIF', 'v_reset');
    refusal(() => discretizeNeuron('L1', ifNode(1, 1, 0.2), 0.001, { discretization: 'exact', reset: 'subtract' }), 'IF', 'v_reset is 0.2, which reset by subtraction ignores');
  });
  it('a step dt that is not a finite number > 0', () => {
    for (const dt of [0, -0.001, NaN, Infinity]) refusal(() => discretizeNeuron('L1', lif({ tau: 0.02, r: 1 }), dt), 'LIF', 'dt');
    refusal(() => discretizeNeuron('L1', ifNode(1, 1), NaN), 'IF', 'dt');
  });
  it('Euler at dt ≥ τ (a per-step decay ≤ 0); exact is fine there', () => {
    refusal(() => discretizeNeuron('L1', lif({ tau: 0.001, r: 1 }), 0.001, EULER), 'LIF', 'tau');
    refusal(() => discretizeNeuron('L1', cubaLif({ tauSyn: 0.0005, tauMem: 0.01, r: 1, w: 1 }), 0.001, EULER), 'CubaLIF', 'tau_syn');
    expect(discretizeNeuron('L1', lif({ tau: 0.001, r: 1 }), 0.001, EXACT).params.beta).toBeCloseTo(Math.exp(-1), 15);
  });
  it('time constants ≤ 0 and non-finite parameters', () => {
    refusal(() => discretizeNeuron('L1', lif({ tau: 0, r: 1 }), 0.001), 'LIF', 'tau must be > 0');
    refusal(() => discretizeNeuron('L1', lif({ tau: 0.02, r: NaN }), 0.001), 'LIF', 'r is NaN');
    refusal(() => discretizeNeuron('L1', { type: 'Threshold', threshold: full(Infinity) }, 0.001), 'Threshold', 'threshold is Infinity');
  });
  it('names the file when given', () => {
    expect(() => discretizeNeuron('L1', lif({ tau: 0.02, r: 1 }), -1, { ...EXACT, file: 'net.nir' })).toThrow(/^net\.nir: node "L1" \(type "LIF"\): .*dt/);
  });
});
