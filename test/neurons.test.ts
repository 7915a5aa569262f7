// Hand-computed neuron traces for IF, LIF and current-based LIF, both resets, refractory period.
import { describe, expect, it } from 'vitest';
import type { NeuronParams } from '../harness/neurons.js';
import { newNeuronState, selfActive, stepNeuron, validateNeuron } from '../harness/neurons.js';

/** Runs one neuron (bias b, threshold 1) on an input sequence; returns spike steps and potentials. */
function trace(p: NeuronParams, inputs: number[], b = 0): { spikes: number[]; v: number[]; i: number[] } {
  const s = newNeuronState(1, p);
  const spikes: number[] = [];
  const v: number[] = [];
  const i: number[] = [];
  inputs.forEach((x, t) => {
    if (stepNeuron(p, s, 0, x, b, 1, true)) spikes.push(t);
    v.push(s.v[0]);
    i.push(p.model === 'cuba' ? s.i[0] : 0);
  });
  return { spikes, v, i };
}

const IF: NeuronParams = { model: 'if', reset: 'subtract', beta: 1, alpha: 0, refractory: 0 };

describe('IF neuron', () => {
  it('reset by subtraction keeps the residue: 0.6 per step → v 0.6, 1.2→0.2, 0.8, 1.4→0.4', () => {
    const r = trace(IF, [0.6, 0.6, 0.6, 0.6]);
    expect(r.spikes).toEqual([1, 3]);
    expect(r.v.map((x) => +x.toFixed(6))).toEqual([0.6, 0.2, 0.8, 0.4]);
  });
  it('reset to zero drops it: v 0.6, 1.2→0, 0.6, 1.2→0', () => {
    const r = trace({ ...IF, reset: 'zero' }, [0.6, 0.6, 0.6, 0.6]);
    expect(r.spikes).toEqual([1, 3]);
    expect(r.v.map((x) => +x.toFixed(6))).toEqual([0.6, 0, 0.6, 0]);
  });
  it('integrates its bias every step: b = 0.3 alone fires at step 3 (1.2 ≥ 1)', () => {
    const r = trace(IF, [0, 0, 0, 0, 0], 0.3);
    expect(r.spikes).toEqual([3]);
    expect(r.v[3]).toBeCloseTo(0.2, 6);
  });
  it('refractory period: ignores input for 1 step after each spike', () => {
    // v: 0.6, 1.2→0.2 (spike, ref 1), 0.2 (ignored), 0.8, 1.4→0.4 (spike), 0.4 (ignored)
    const r = trace({ ...IF, refractory: 1 }, [0.6, 0.6, 0.6, 0.6, 0.6, 0.6]);
    expect(r.spikes).toEqual([1, 4]);
    expect(r.v.map((x) => +x.toFixed(6))).toEqual([0.6, 0.2, 0.2, 0.8, 0.4, 0.4]);
  });
});

describe('LIF neuron (β = 0.5)', () => {
  const LIF: NeuronParams = { model: 'lif', reset: 'subtract', beta: 0.5, alpha: 0, refractory: 0 };
  it('leaks: 0.6 per step → v 0.6, 0.9, 1.05→0.05, 0.625', () => {
    const r = trace(LIF, [0.6, 0.6, 0.6, 0.6]);
    expect(r.spikes).toEqual([2]);
    expect(r.v.map((x) => +x.toFixed(5))).toEqual([0.6, 0.9, 0.05, 0.625]);
  });
  it('reset to zero: v 0.6, 0.9, 1.05→0, 0.6', () => {
    const r = trace({ ...LIF, reset: 'zero' }, [0.6, 0.6, 0.6, 0.6]);
    expect(r.spikes).toEqual([2]);
    expect(r.v.map((x) => +x.toFixed(5))).toEqual([0.6, 0.9, 0, 0.6]);
  });
  it('never reaches threshold on a constant input below (1 − β)·θ: 0.4 → v → 0.8', () => {
    const r = trace(LIF, new Array(30).fill(0.4));
    expect(r.spikes).toEqual([]);
    expect(r.v[29]).toBeCloseTo(0.8, 5);
  });
});

describe('current-based LIF (α = β = 0.5)', () => {
  const CUBA: NeuronParams = { model: 'cuba', reset: 'subtract', beta: 0.5, alpha: 0.5, refractory: 0 };
  it('keeps firing from its decaying current after the input stops', () => {
    // t0: i = 1,   v = 1    → spike → 0
    // t1: i = 1.5, v = 1.5  → spike → 0.5
    // t2: i = 0.75, v = 0.25 + 0.75 = 1 → spike → 0   (no input at t2)
    // t3: i = 0.375, v = 0.375
    const r = trace(CUBA, [1, 1, 0, 0]);
    expect(r.spikes).toEqual([0, 1, 2]);
    expect(r.i.map((x) => +x.toFixed(6))).toEqual([1, 1.5, 0.75, 0.375]);
    expect(r.v.map((x) => +x.toFixed(6))).toEqual([0, 0.5, 0, 0.375]);
  });
  it('reset to zero', () => {
    const r = trace({ ...CUBA, reset: 'zero' }, [1, 1, 0, 0]);
    // t0 v=1→0; t1 i=1.5 v=1.5→0; t2 i=.75 v=.75; t3 i=.375 v=.375+.375=.75
    expect(r.spikes).toEqual([0, 1]);
    expect(r.v.map((x) => +x.toFixed(6))).toEqual([0, 0, 0.75, 0.75]);
  });
});

describe('read-out and activity rules', () => {
  it('the read-out integrates input and bias without leak or threshold', () => {
    const p: NeuronParams = { model: 'lif', reset: 'subtract', beta: 0.5, alpha: 0, refractory: 0 };
    const s = newNeuronState(1, p);
    for (const x of [2, 2, 2]) expect(stepNeuron(p, s, 0, x, 0.5, 1, false)).toBe(false);
    expect(s.v[0]).toBe(7.5);
  });
  it('a neuron is self-active with a positive bias, a potential at threshold, a refractory count or a CUBA current', () => {
    const p: NeuronParams = { model: 'cuba', reset: 'subtract', beta: 0.5, alpha: 0.5, refractory: 2 };
    const s = newNeuronState(1, p);
    expect(selfActive(p, s, 0, 0, 1, true)).toBe(false);
    expect(selfActive(p, s, 0, 0.1, 1, true)).toBe(true);
    s.i[0] = 0.2;
    expect(selfActive(p, s, 0, 0, 1, true)).toBe(true);
    s.i[0] = 0;
    s.ref[0] = 1;
    expect(selfActive(p, s, 0, -1, 1, true)).toBe(true);
  });
  it('rejects parameters outside their ranges', () => {
    expect(() => validateNeuron({ ...IF, beta: 0.9 })).toThrow(/IF neuron has no leak/);
    expect(() => validateNeuron({ model: 'lif', reset: 'subtract', beta: 1.5, alpha: 0, refractory: 0 })).toThrow(/beta .* \(0, 1\]/);
    expect(() => validateNeuron({ model: 'cuba', reset: 'subtract', beta: 0.9, alpha: 1, refractory: 0 })).toThrow(/alpha/);
    expect(() => validateNeuron({ ...IF, refractory: -1 })).toThrow(/refractory/);
    expect(() => validateNeuron({ ...IF, reset: 'half' as never })).toThrow(/reset "half"/);
  });
});
