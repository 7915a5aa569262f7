// Every ledger count of both backends on a 3-4-2 network, against hand computation.
import { describe, expect, it } from 'vitest';
import { createAnnDense } from '../harness/backends/ann.js';
import { createSnn } from '../harness/backends/snn.js';
import { rasterEncoder } from '../harness/encoders.js';
import { neuroBenchMetrics } from '../core/ledger.js';
import { TINY_MODEL, TINY_SNN, computeCount, layerByName, memoryCount, sampleSet } from './fixtures.js';

describe('ann-dense on the 3-4-2 network, input [1, 0, 0.5]', () => {
  // fc1: z = 1·row0 + 0.5·row2 + b = [0.85, 0.35, 1.2, -0.25] → ReLU → [0.85, 0.35, 1.2, 0]
  // fc2: 0.85·[1,0] + 0.35·[0,1] + 1.2·[0.5,-0.25] + [0, 0.05] = [1.45, 0.1] → class 0
  const run = createAnnDense(TINY_MODEL).run(sampleSet([[1, 0, 0.5]], [0]));
  const fc1 = layerByName(run.ledger, 'fc1');
  const fc2 = layerByName(run.ledger, 'fc2');

  it('predicts the hand-computed class', () => {
    expect(Array.from(run.predictions)).toEqual([0]);
  });

  it('counts every MAC, bias add and ReLU compare of a dense pass', () => {
    expect(computeCount(fc1, 'mac', 'synaptic')).toBe(12);
    expect(computeCount(fc1, 'add', 'bias')).toBe(4);
    expect(computeCount(fc1, 'cmp', 'activation')).toBe(4);
    expect(computeCount(fc2, 'mac', 'synaptic')).toBe(8);
    expect(computeCount(fc2, 'add', 'bias')).toBe(2);
    expect(computeCount(fc2, 'cmp', 'activation')).toBeUndefined(); // identity read-out
    expect(fc1.compute).toHaveLength(3);
    expect(fc2.compute).toHaveLength(2);
  });

  it('counts the memory traffic of the loop nest (one read of input and weight per MAC)', () => {
    expect(memoryCount(fc1, 'input', 'read')).toBe(12);
    expect(memoryCount(fc1, 'weight', 'read')).toBe(12);
    expect(memoryCount(fc1, 'bias', 'read')).toBe(4);
    expect(memoryCount(fc1, 'output', 'write')).toBe(4);
    expect(memoryCount(fc2, 'input', 'read')).toBe(8);
    expect(memoryCount(fc2, 'weight', 'read')).toBe(8);
    expect(memoryCount(fc2, 'bias', 'read')).toBe(2);
    expect(memoryCount(fc2, 'output', 'write')).toBe(2);
    for (const m of [...fc1.memory, ...fc2.memory]) expect(m.bits).toBe(32);
  });

  it('records activity: nonzero inputs, SOP and σ', () => {
    expect(fc1.activity.inputEvents.mean).toBe(2); // x has one zero
    expect(fc1.activity.outputEvents.mean).toBe(3); // one ReLU output is zero
    expect(fc1.activity.synOps.mean).toBe(8); // 2 nonzero inputs × fan-out 4
    expect(fc1.activity.spikesPerSynapse.mean).toBeCloseTo(8 / 12, 12);
    expect(fc1.activity.inputSparsity.mean).toBeCloseTo(1 / 3, 12);
    expect(fc2.activity.inputEvents.mean).toBe(3);
    expect(fc2.activity.outputRate.mean).toBe(1);
  });

  it('reports geometry and footprint', () => {
    expect(fc1.geometry).toMatchObject({ kind: 'dense', fanIn: 3, fanOut: 4, weightCount: 12, biasCount: 4, denseSynOps: 12, neurons: 4 });
    expect(fc1.footprint).toEqual({ weightBits: 12 * 32, biasBits: 4 * 32, stateBits: 0 });
  });

  it('gives NeuroBench metrics under their names', () => {
    const nb = neuroBenchMetrics(run.ledger);
    expect(nb.Dense).toBe(20); // 3·4 + 4·2, every weight and input taken as nonzero
    // effective: (nonzero input, nonzero weight) pairs; analog inputs → MACs.
    // fc1: input 0 reaches 4 nonzero weights, input 2 three (w[2][2] = 0) → 7;
    // fc2: inputs 0, 1, 2 (ReLU output [0.85, 0.35, 1.2, 0]) reach 1 + 1 + 2 nonzero weights → 4
    expect(nb.Effective_MACs).toBe(11);
    expect(nb.Effective_ACs).toBe(0);
    expect(nb.MembraneUpdates).toBe(0);
    expect(nb.ActivationSparsity).toBe(1 / 4); // fc1's ReLU: one of 4 outputs is zero; the read-out has no activation
    expect(nb.ConnectionSparsity).toBe(4 / 20); // fc1 has 1 zero weight, fc2 3, of 12 + 8
    expect(nb.Footprint).toBe(((12 + 4 + 8 + 2) * 32) / 8);
  });
});

describe('snn-if on the 3-4-2 network with a given input raster', () => {
  // Raster: t0 inputs {0, 2} spike, t1 input {0}. Threshold 1, reset by subtraction.
  // fc1 t0: v = b + row0 + row2 = [1.1, 0.4, 1.2, 0.0] → neurons 0, 2 spike → v = [0.1, 0.4, 0.2, 0]
  // fc1 t1: v += b + row0      = [0.7, 0.7, 1.4, -0.5] → neuron 2 spikes    → v = [0.7, 0.7, 0.4, -0.5]
  // fc2 t0: spikes {0, 2}: v = b + [1,0] + [0.5,-0.25] = [1.5, -0.2];  t1: spike {2}: v = [2.0, -0.4] → class 0
  const T = 2;
  const run = createSnn(TINY_SNN, { timesteps: T, seed: 7, encoder: rasterEncoder([[0, 2], [0]]) }).run(sampleSet([[1, 0, 0.5]], [0]));
  const fc1 = layerByName(run.ledger, 'fc1');
  const fc2 = layerByName(run.ledger, 'fc2');

  it('predicts the hand-computed class', () => {
    expect(Array.from(run.predictions)).toEqual([0]);
    expect(run.ledger.backend).toMatchObject({ id: 'snn', family: 'snn', timesteps: 2, params: { neuron: 'if', coding: 'raster', execution: 'time-stepped' } });
  });

  it('counts spikes per layer and per timestep', () => {
    expect(fc1.activity.inputEvents.mean).toBe(3); // θ_in = 2 + 1
    expect(fc1.activity.outputEvents.mean).toBe(3); // θ_out = 2 + 1
    expect(fc1.perTimestep.inputEvents).toEqual([2, 1]);
    expect(fc1.perTimestep.outputEvents).toEqual([2, 1]);
    expect(fc2.activity.inputEvents.mean).toBe(3);
    expect(fc2.activity.outputEvents.mean).toBe(0); // the read-out integrates without spiking
  });

  it('counts ACs per input spike × fan-out, bias adds and compares per neuron per step, resets per spike', () => {
    expect(computeCount(fc1, 'ac', 'synaptic')).toBe(3 * 4);
    expect(computeCount(fc1, 'add', 'bias')).toBe(4 * T);
    expect(computeCount(fc1, 'cmp', 'threshold')).toBe(4 * T);
    expect(computeCount(fc1, 'add', 'reset')).toBe(3);
    expect(computeCount(fc1, 'mac', 'synaptic')).toBeUndefined();
    expect(computeCount(fc2, 'ac', 'synaptic')).toBe(3 * 2);
    expect(computeCount(fc2, 'add', 'bias')).toBe(2 * T);
    expect(computeCount(fc2, 'cmp', 'threshold')).toBeUndefined();
    expect(computeCount(fc2, 'add', 'reset')).toBeUndefined();
  });

  it('counts memory traffic per event: weight rows per spike, potentials per AC and per step', () => {
    expect(memoryCount(fc1, 'input', 'read')).toBe(3);
    expect(memoryCount(fc1, 'weight', 'read')).toBe(12);
    expect(memoryCount(fc1, 'bias', 'read')).toBe(8);
    expect(memoryCount(fc1, 'potential', 'read')).toBe(12 + 8);
    expect(memoryCount(fc1, 'potential', 'write')).toBe(12 + 8);
    expect(memoryCount(fc1, 'output', 'write')).toBe(3);
    expect(memoryCount(fc2, 'input', 'read')).toBe(3);
    expect(memoryCount(fc2, 'weight', 'read')).toBe(6);
    expect(memoryCount(fc2, 'bias', 'read')).toBe(4);
    expect(memoryCount(fc2, 'potential', 'read')).toBe(6 + 4);
    expect(memoryCount(fc2, 'potential', 'write')).toBe(6 + 4);
    expect(memoryCount(fc2, 'output', 'write')).toBe(2); // final potentials, once
  });

  it('derives σ, firing rate and sparsity from the spike counts', () => {
    expect(fc1.activity.synOps.mean).toBe(12);
    expect(fc1.activity.spikesPerSynapse.mean).toBe(1); // 12 SOP / 12 synapses
    expect(fc2.activity.spikesPerSynapse.mean).toBe(0.75); // 6 / 8
    expect(fc1.activity.outputRate.mean).toBe(3 / (4 * T));
    expect(fc1.activity.inputSparsity.mean).toBe(1 - 3 / (3 * T));
    expect(fc1.footprint).toEqual({ weightBits: 384, biasBits: 128, stateBits: 128 });
  });

  it('gives NeuroBench metrics: effective ACs, every step dense, membrane updates of the spiking layer', () => {
    const nb = neuroBenchMetrics(run.ledger);
    // fc1: t0 spikes {0, 2} reach 4 + 3 nonzero weights, t1 {0} 4 → 11;
    // fc2: t0 spikes {0, 2} reach 1 + 2, t1 {2} 2 → 5
    expect(nb.Effective_ACs).toBe(16);
    expect(nb.Effective_MACs).toBe(0);
    // fc1 (spiking): all 4 potentials at t0, then all 4 change at t1; the read-out is no spiking layer
    expect(nb.MembraneUpdates).toBe(8);
    expect(nb.Dense).toBe(T * 20);
    expect(nb.ActivationSparsity).toBe(5 / 8); // fc1: 3 spikes in 4 neurons × 2 steps
  });
});

describe('snn-if aggregation over samples', () => {
  it('summarizes per-sample counts with mean and spread', () => {
    // sample 0: raster as above; sample 1 uses the same raster (raster encoders ignore the input),
    // so the spread is zero; a second backend with a rate coder on an all-zero input gives no spikes.
    const zero = createSnn(TINY_SNN, { timesteps: 3, seed: 1 }).run(sampleSet([[0, 0, 0]], [0]));
    const fc1 = layerByName(zero.ledger, 'fc1');
    expect(fc1.activity.inputEvents.mean).toBe(0);
    expect(computeCount(fc1, 'ac', 'synaptic')).toBe(0);
    expect(computeCount(fc1, 'add', 'bias')).toBe(12); // bias still integrates every step
    const two = createSnn(TINY_SNN, { timesteps: 2, seed: 7, encoder: rasterEncoder([[0, 2], [0]]) }).run(sampleSet([[1, 0, 0.5], [0, 1, 0]], [0, 1]));
    const w = layerByName(two.ledger, 'fc1').memory.find((m) => m.operand === 'weight')!;
    expect(w.count).toEqual({ mean: 12, sd: 0, min: 12, max: 12 });
  });

  it('draws rate-coded spikes from stream (seed, sample index): reproducible, and unaffected by the other samples', () => {
    const s0 = [0.9, 0, 0.4];
    const s1 = [0.2, 0, 0.7];
    const run = (inputs: number[][], seed: number) => createSnn(TINY_SNN, { timesteps: 16, seed }).run(sampleSet(inputs, inputs.map(() => 0)));
    const fc1 = (r: ReturnType<typeof run>) => layerByName(r.ledger, 'fc1');
    const both = run([s0, s1], 3);
    expect(fc1(run([s0, s1], 3))).toEqual(fc1(both));
    const alone = fc1(run([s0], 3)).activity.inputEvents.mean;
    expect(alone).toBeGreaterThan(0);
    expect([fc1(both).activity.inputEvents.min, fc1(both).activity.inputEvents.max]).toContain(alone);
    // another seed draws another raster
    expect(fc1(run([s0, s1], 4)).perTimestep.inputEvents).not.toEqual(fc1(both).perTimestep.inputEvents);
  });
});
