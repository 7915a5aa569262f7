// NeuroBench 2.x metrics (definitions in core/ledger.ts) on tiny networks with given weights, some of
// them zero, and given binary and analog inputs. Every expected number is worked out by hand in the
// comments, from the weights and inputs written here.
import { describe, expect, it } from 'vitest';
import { createAnn, createAnnDense } from '../harness/backends/ann.js';
import type { Execution } from '../harness/backends/snn.js';
import { createSnn } from '../harness/backends/snn.js';
import type { SpikingModel } from '../harness/convert.js';
import { rasterEncoder } from '../harness/encoders.js';
import { planLayer } from '../harness/exec.js';
import { layerGeometry } from '../harness/layers.js';
import type { Conv2dLayer, Model } from '../harness/model.js';
import type { LayerActivityRecorder } from '../core/ledger.js';
import { buildLayerLedger, neuroBenchMetrics, newActivityRecorder } from '../core/ledger.js';
import { recordedGeometry } from '../core/geometry.js';
import { TINY_SNN, dense, layerByName, sampleSet } from './fixtures.js';

// A conv layer 1→2 channels, 2×2 kernel, stride 1, no padding, on a 3×3 input (output 2×2×2), ReLU.
// Weights [C_in][FY][FX][K]:      offset (0,0): k0 = 1, k1 = 0      offset (0,1): 0, 0
//                                 offset (1,0): k0 = 0, k1 = 3      offset (1,1): k0 = 2, k1 = 0
// so kernel k0 = [[1, 0], [0, 2]], kernel k1 = [[0, 0], [3, 0]]: 3 nonzero weights of 8.
// Bias: k0 0, k1 −3.5.
const WINDOW = { inputHW: [3, 3], kernel: [2, 2], stride: [1, 1], padding: [0, 0] } as const;
const CONV: Conv2dLayer = { kind: 'conv2d', name: 'conv', inChannels: 1, outChannels: 2, ...WINDOW, weight: Float32Array.from([1, 0, 0, 0, 0, 3, 2, 0]), bias: Float32Array.from([0, -3.5]), activation: 'relu' };
// A read-out 8 → 2 (input order k, oy, ox); rows are an input's fan-out: 9 nonzero weights of 16.
const READOUT = dense(
  'fc',
  8,
  2,
  [
    [1, 0],
    [1, 1],
    [0, 0],
    [0, 1],
    [1, 1],
    [2, 0],
    [0, 0],
    [1, 1],
  ],
  [0, 0],
  'identity',
);
const CONV_MODEL: Model = { id: 'tiny-conv', inputShape: [1, 3, 3], layers: [CONV, READOUT] };
const CONV_SNN: SpikingModel = {
  id: 'tiny-conv',
  inputShape: [1, 3, 3],
  layers: [
    { layer: CONV, spiking: true, threshold: 1 },
    { layer: READOUT, spiking: false, threshold: 1 },
  ],
  conversion: { method: 'given', calibrationSamples: 0, scales: [1, 1] },
};

describe('a layer plan counts NeuroBench operations per input', () => {
  it('effective fan-out of a conv input: the nonzero weights its in-bounds kernel offsets reach', () => {
    // Input (y, x) reaches offset (fy, fx) when output (y − fy, x − fx) lies in the 2×2 output.
    // Nonzero weights per offset over k: (0,0) 1, (0,1) 0, (1,0) 1, (1,1) 1.
    // (0,0): offset (0,0) → 1        (0,1): (0,0),(0,1) → 1      (0,2): (0,1) → 0
    // (1,0): (0,0),(1,0) → 2         (1,1): all four → 3         (1,2): (0,1),(1,1) → 1
    // (2,0): (1,0) → 1               (2,1): (1,0),(1,1) → 2      (2,2): (1,1) → 1
    expect(Array.from(planLayer(CONV).effectiveFanOut)).toEqual([1, 1, 0, 2, 3, 1, 1, 2, 1]);
    expect(planLayer(CONV).denseConnectionOps).toBe(2 * 2 * 2 * 4); // K · OY · OX · FY·FX · C, no padding
    expect(Array.from(planLayer(READOUT).effectiveFanOut)).toEqual([1, 2, 0, 1, 2, 1, 0, 2]);
  });

  it('Dense of one call leaves zero padding out (the geometry counts it)', () => {
    // 2×2 kernel, padding 1 on a 3×3 input: output 4×4; every input reaches all 4 offsets
    // (output y + 1 − fy ∈ [0, 3]), so 9 inputs × 4 taps × K 2 = 72 real synapses, while
    // K·C·OY·OX·FY·FX = 2 · 1 · 16 · 4 = 128 counts the taps on padding too.
    const padded: Conv2dLayer = { ...CONV, padding: [1, 1] };
    expect(planLayer(padded).denseConnectionOps).toBe(72);
    expect(layerGeometry(padded).denseSynOps).toBe(128);
    // and every input reaches 1 + 0 + 1 + 1 nonzero weights
    expect(Array.from(planLayer(padded).effectiveFanOut)).toEqual(Array(9).fill(3));
  });

  it('geometry counts the nonzero weights; pooling has none', () => {
    expect(layerGeometry(CONV)).toMatchObject({ weightCount: 8, nonzeroWeights: 3 });
    expect(layerGeometry(READOUT)).toMatchObject({ weightCount: 16, nonzeroWeights: 9 });
    expect(layerGeometry({ kind: 'avgpool2d', name: 'p', channels: 2, inputHW: [2, 2], kernel: [2, 2], stride: [2, 2], padding: [0, 0] })).toMatchObject({ weightCount: 0, nonzeroWeights: 0 });
  });
});

describe('ANN on the conv net', () => {
  it('analog input: effective MACs, Dense, activation and connection sparsity, footprint', () => {
    // x = [[0.5, 0, 1], [0, 2, 0], [1, 0, 0]]: nonzero at (0,0), (0,2), (1,1), (2,0); 0.5 and 2 are not binary → MACs.
    // conv effective: 1 + 0 + 3 + 1 = 5. Conv outputs (k0: 1·x(oy,ox) + 2·x(oy+1,ox+1); k1: 3·x(oy+1,ox) − 3.5):
    //   k0 = [4.5, 0, 0, 2], k1 = [−3.5, 2.5, −0.5, −3.5] → ReLU → [4.5, 0, 0, 2, 0, 2.5, 0, 0]: 3 nonzero of 8.
    // fc: nonzero inputs 0, 3, 5 reach 1 + 1 + 1 nonzero weights → 3 MACs (4.5 is not binary).
    // logits: [4.5 + 2.5·2, 2] = [9.5, 2] → class 0.
    const run = createAnnDense(CONV_MODEL).run(sampleSet([[0.5, 0, 1, 0, 2, 0, 1, 0, 0]], [0]));
    expect(Array.from(run.predictions)).toEqual([0]);
    const nb = neuroBenchMetrics(run.ledger);
    expect(nb.Effective_MACs).toBe(5 + 3);
    expect(nb.Effective_ACs).toBe(0);
    expect(nb.Dense).toBe(32 + 16);
    expect(nb.ActivationSparsity).toBe(5 / 8); // the conv's ReLU outputs; the read-out has no activation
    expect(nb.ConnectionSparsity).toBe((5 + 7) / (8 + 16));
    expect(nb.MembraneUpdates).toBe(0);
    expect(nb.Footprint).toBe((8 + 2 + 16 + 2) * 4); // fp32 weights and biases, bytes
    const conv = layerByName(run.ledger, 'conv').activity;
    expect(conv.synOps.mean).toBe((1 + 1 + 4 + 1) * 2); // the engine's SOP: window positions reached × K, zero weights included
  });

  it('binary input: the conv counts ACs, the read-out (analog ReLU outputs) MACs', () => {
    // x = [[1, 0, 1], [0, 1, 0], [1, 0, 0]]: only 0 and 1 → ACs; conv effective again 1 + 0 + 3 + 1 = 5.
    // conv: k0 = [1 + 2, 0, 0, 1], k1 = [0, 3, 3, 0] − 3.5 → ReLU → [3, 0, 0, 1, 0, 0, 0, 0]
    // fc: nonzero inputs 0, 3 → 1 + 1 = 2 MACs (3 is not binary).
    const run = createAnnDense(CONV_MODEL).run(sampleSet([[1, 0, 1, 0, 1, 0, 1, 0, 0]], [0]));
    const nb = neuroBenchMetrics(run.ledger);
    expect(nb.Effective_ACs).toBe(5);
    expect(nb.Effective_MACs).toBe(2);
    expect(nb.ActivationSparsity).toBe(6 / 8);
  });

  it('averages over samples: the two inputs together give the means of both', () => {
    const run = createAnn(CONV_MODEL).run(sampleSet([[0.5, 0, 1, 0, 2, 0, 1, 0, 0], [1, 0, 1, 0, 1, 0, 1, 0, 0]], [0, 0]));
    const nb = neuroBenchMetrics(run.ledger);
    expect(nb.Effective_MACs).toBe((8 + 2) / 2);
    expect(nb.Effective_ACs).toBe((0 + 5) / 2);
    expect(nb.ActivationSparsity).toBe((5 + 6) / 16); // zeros over outputs, summed over samples
  });
});

describe('SNN on the conv net with a given raster', () => {
  // T = 2; t0 spikes at inputs 0 (0,0) and 4 (1,1), t1 at 2 (0,2) and 6 (2,0). IF, threshold 1, subtract.
  // t0: conv input current k0 = [1 + 2, 0, 0, 1], k1 = [0, 3, 0, 0]; v = current + bias
  //     = [3, 0, 0, 1 | −3.5, −0.5, −3.5, −3.5] → k0(0,0) and k0(1,1) spike (v ≥ 1) → v = [2, 0, 0, 0 | …]
  //     all 8 potentials count (first step).
  // t1: (0,2) reaches offset (0,1) only (zero weights), (2,0) offset (1,0): k1(1,0) += 3.
  //     k0 = [2, 0, 0, 0] + 0 → k0(0,0) spikes again (v 2 → 1), the other three k0 do not change;
  //     k1 = [−7, −4, −4, −7]: all four change → 1 + 4 = 5 updates.
  // conv effective ACs: t0 1 + 3, t1 0 + 1 = 5. fc: t0 spikes {0, 3} reach 1 + 1, t1 {0} 1 → 3.
  const raster = rasterEncoder([
    [0, 4],
    [2, 6],
  ]);
  it.each<Execution>(['time-stepped', 'event-driven'])('%s: effective ACs, T × Dense, membrane updates, activation sparsity', (execution) => {
    const run = createSnn(CONV_SNN, { timesteps: 2, seed: 1, encoder: raster, execution }).run(sampleSet([[0, 0, 0, 0, 0, 0, 0, 0, 0]], [0]));
    const conv = layerByName(run.ledger, 'conv');
    expect(conv.perTimestep.outputEvents).toEqual([2, 1]);
    const nb = neuroBenchMetrics(run.ledger);
    expect(nb.Effective_ACs).toBe(5 + 3);
    expect(nb.Effective_MACs).toBe(0);
    expect(nb.Dense).toBe(2 * (32 + 16));
    expect(nb.MembraneUpdates).toBe(8 + 5);
    expect(nb.ActivationSparsity).toBe(13 / 16); // 3 spikes in 8 neurons × 2 steps
    expect(nb.ConnectionSparsity).toBe(12 / 24);
  });
});

describe('SNN with direct coding: NeuroBench calls the first layer every step', () => {
  // TINY_SNN: fc1 rows [0.6, 0.2, 1.2, −0.5], [9, 9, 9, 9], [0.5, 0.1, 0, 0.5], bias [0, 0.1, 0, 0], IF;
  // fc2 rows [1, 0], [0, 1], [0.5, −0.25], [0, 2] (read-out). T = 2.
  it('analog input: MACs at each step', () => {
    // x = [1, 0, 0.5]: effective per step 4 + 3 = 7 MACs (0.5 is not binary), × 2 steps.
    // current + bias = [0.85, 0.35, 1.2, −0.25]: t0 v = that → neuron 2 spikes (v 0.2);
    // t1 v = [1.7, 0.7, 1.4, −0.5] → neurons 0, 2 spike. Membrane: 4 at t0, all 4 change at t1.
    // fc2: t0 {2} reaches 2 nonzero weights, t1 {0, 2} 1 + 2 → 5 ACs.
    const run = createSnn(TINY_SNN, { timesteps: 2, seed: 1, coding: 'direct' }).run(sampleSet([[1, 0, 0.5]], [0]));
    expect(layerByName(run.ledger, 'fc1').perTimestep.outputEvents).toEqual([1, 2]);
    const nb = neuroBenchMetrics(run.ledger);
    expect(nb.Effective_MACs).toBe(14);
    expect(nb.Effective_ACs).toBe(5);
    expect(nb.Dense).toBe(2 * (12 + 8));
    expect(nb.MembraneUpdates).toBe(8);
    expect(nb.ActivationSparsity).toBe(5 / 8);
    // the engine computes the direct current once: its own SOP count is one pass (2 inputs × 4)
    expect(layerByName(run.ledger, 'fc1').activity.synOps.mean).toBe(8);
  });

  it('binary input: ACs at each step', () => {
    // x = [1, 0, 1]: 7 ACs per step. current + bias = [1.1, 0.4, 1.2, 0]:
    // t0 neurons 0, 2 spike → v = [0.1, 0.4, 0.2, 0]; t1 v = [1.2, 0.8, 1.4, 0] → 0, 2 spike;
    // neuron 3 stays at 0 → membrane 4 + 3. fc2: {0, 2} at both steps → 2 · (1 + 2) ACs.
    const run = createSnn(TINY_SNN, { timesteps: 2, seed: 1, coding: 'direct' }).run(sampleSet([[1, 0, 1]], [0]));
    const nb = neuroBenchMetrics(run.ledger);
    expect(nb.Effective_MACs).toBe(0);
    expect(nb.Effective_ACs).toBe(14 + 6);
    expect(nb.MembraneUpdates).toBe(7);
  });

  it.each<Execution>(['time-stepped', 'event-driven'])('%s: a leaking potential counts at every step it changes, skipped or not', (execution) => {
    // LIF β = 0.5, one input spike at t0 on input 2 of a 3 → 4 → 2 net whose fc1 bias is 0:
    // fc1 v(t0) = row 2 = [0.5, 0.1, 0, 0.5], no spike; then v halves each step: neurons 0, 1, 3 change
    // at t1, t2, t3 (0.5 → 0.25 → 0.125 → 0.0625, exact in float32), neuron 2 stays 0.
    // Membrane updates: 4 + 3 · 3 = 13. Event-driven skips them after t0 and must still count them.
    const fc1 = { ...TINY_SNN.layers[0].layer, bias: Float32Array.from([0, 0, 0, 0]) };
    const model: SpikingModel = { ...TINY_SNN, layers: [{ ...TINY_SNN.layers[0], layer: fc1 }, TINY_SNN.layers[1]] };
    const neuron = { model: 'lif', beta: 0.5, alpha: 0, reset: 'subtract', refractory: 0 } as const;
    const run = createSnn(model, { timesteps: 4, seed: 1, encoder: rasterEncoder([[2]]), neuron, execution }).run(sampleSet([[0, 0, 0]], [0]));
    expect(neuroBenchMetrics(run.ledger).MembraneUpdates).toBe(13);
  });
});

describe('recorded layers without NeuroBench counts', () => {
  it('read them off the ledger: dense synaptic ops, synaptic entries by op, spiking neurons × steps', () => {
    // a recorded 2 → 3 spiking layer over 2 steps, one sample: 4 input events, 6 synaptic ACs,
    // 2 output spikes, 6 updates; nothing recorded for NeuroBench
    const rec: LayerActivityRecorder = { ...newActivityRecorder(1, 2), inputEvents: Float64Array.of(4), outputEvents: Float64Array.of(2), synOps: Float64Array.of(6), updates: Float64Array.of(6) };
    const layer = buildLayerLedger(0, 'lif', recordedGeometry('stdp-lif', 2, 3), 2, rec, {
      compute: [{ op: 'ac', bits: 32, numeric: 'fp', purpose: 'synaptic', count: (a) => a.synOps }],
      memory: [],
      footprint: { weightBits: 0, biasBits: 0, stateBits: 0 },
      neuron: 'lif',
    }, []);
    const nb = layer.activity.neurobench;
    expect([nb.dense.mean, nb.effectiveMacs.mean, nb.effectiveAcs.mean, nb.activations.mean, nb.membraneUpdates.mean]).toEqual([6, 0, 6, 3 * 2, 6]);
    expect(layer.geometry.nonzeroWeights).toBeUndefined(); // every weight counts as nonzero
  });
});
