// Grouped and dilated 2-D convolutions (Conv2dLayer.groups / .dilation): tiny layers with given
// weights (zeros among them) on given inputs. Every expected number is worked out by hand in the
// comments from the weights and inputs written here, never read off the code; the random networks at
// the end are checked against onnxruntime and a brute-force count instead.
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { reuseFactors } from '../cost-models/accelerator.js';
import { totalEnergyJ } from '../cost-models/energy.js';
import { COST_MODELS } from '../cost-models/registry.js';
import { neuroBenchMetrics } from '../core/ledger.js';
import { createRng } from '../core/rng.js';
import { runBackend } from '../harness/backend.js';
import { createAnn, createAnnDense } from '../harness/backends/ann.js';
import { createAnnOrt } from '../harness/backends/ann-ort.js';
import type { Execution } from '../harness/backends/snn.js';
import { createSnn } from '../harness/backends/snn.js';
import { createSnnGraph, graphOfSpikingModel } from '../harness/backends/snn-graph.js';
import type { SpikingModel } from '../harness/convert.js';
import { convertToSnn } from '../harness/convert.js';
import type { SampleSet } from '../harness/data.js';
import { rasterEncoder } from '../harness/encoders.js';
import { planLayer } from '../harness/exec.js';
import { convForwardNaive } from '../harness/kernels/conv.js';
import { layerGeometry, validateModelShapes } from '../harness/layers.js';
import type { Conv2dLayer, Layer, Model } from '../harness/model.js';
import { activationOf, weightOutputChannel, windowDims } from '../harness/model.js';
import type { NeuronParams } from '../harness/neurons.js';
import { exportOnnx } from '../harness/onnx/export.js';
import { checkTrainable } from '../workloads/train/graph.js';
import { importOnnx } from '../workloads/onnx/import.js';
import { annLayer, roundProfile } from './cost-fixtures.js';
import type { GraphSpec } from './fixtures/onnx/build.js';
import { attrFloat, attrInt, attrInts, attrString, floatInit, onnxBytes } from './fixtures/onnx/build.js';
import { dense, layerByName, sampleSet } from './fixtures.js';

// ---------------------------------------------------------------------------------------------
// GROUPED: 4 → 4 channels, groups 2, 1×1 kernel, on a 1×2 input (positions p0, p1).
// Group 0 = input channels c0, c1 → output channels k0, k1; group 1 = c2, c3 → k2, k3.
// Weights [C][1][1][K/G = 2]: c0 [1, 0]  c1 [2, 3]  c2 [−1, 4]  c3 [0.5, −2]   (one zero: c0 → k1)
// so k0 = 1·c0 + 2·c1, k1 = 0·c0 + 3·c1, k2 = −1·c2 + 0.5·c3, k3 = 4·c2 − 2·c3. Bias [0.25, 0, 0, −1].
const GROUPED: Conv2dLayer = {
  kind: 'conv2d',
  name: 'grouped',
  inChannels: 4,
  outChannels: 4,
  groups: 2,
  inputHW: [1, 2],
  kernel: [1, 1],
  stride: [1, 1],
  padding: [0, 0],
  weight: Float32Array.from([1, 0, 2, 3, -1, 4, 0.5, -2]),
  bias: Float32Array.from([0.25, 0, 0, -1]),
  activation: 'identity',
};
// x channel-major [c][p]: c0 [1, 0], c1 [0, 2], c2 [3, 0], c3 [1, 1]
const GROUPED_X = Float32Array.from([1, 0, 0, 2, 3, 0, 1, 1]);

// DEPTHWISE: 3 → 3, groups 3, 2×2 kernel, stride 1, no padding, on 3×3 (output 2×2 per channel).
// Kernels (weights [c][fy][fx][1]): c0 [[1, 0], [0, 1]], c1 [[2, 2], [2, 2]], c2 [[0, 0], [0, −1]]
// (zeros: 2 in c0, 3 in c2 → 7 nonzero of 12). Bias 0.
const DEPTHWISE: Conv2dLayer = {
  kind: 'conv2d',
  name: 'depthwise',
  inChannels: 3,
  outChannels: 3,
  groups: 3,
  inputHW: [3, 3],
  kernel: [2, 2],
  stride: [1, 1],
  padding: [0, 0],
  weight: Float32Array.from([1, 0, 0, 1, 2, 2, 2, 2, 0, 0, 0, -1]),
  bias: Float32Array.from([0, 0, 0]),
  activation: 'identity',
};
// x: c0 [[1, 2, 0], [0, 1, 0], [0, 0, 3]], c1 [[0, 0, 0], [0, 1, 0], [0, 0, 0]], c2 [[5, 0, 0], [0, 0, 0], [0, 0, 1]]
const DEPTHWISE_X = Float32Array.from([1, 2, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 1]);

// DILATED: 1 → 1, 3×3 kernel, dilation 2, padding 2, stride 1, on 3×3: output ⌊(3 + 4 − 2·2 − 1)/1⌋ + 1 = 3.
// Kernel w = [[1, 2, 0], [3, 4, 5], [6, 7, 8]] (w[0][2] = 0), bias −1.
// Output (oy, ox) = Σ w[fy][fx]·x[oy + 2fy − 2][ox + 2fx − 2]; the taps that land inside, per axis:
//   o = 0: f = 1 → row 0, f = 2 → row 2;   o = 1: f = 1 → row 1;   o = 2: f = 0 → row 0, f = 1 → row 2.
const DILATED: Conv2dLayer = {
  kind: 'conv2d',
  name: 'dilated',
  inChannels: 1,
  outChannels: 1,
  dilation: [2, 2],
  inputHW: [3, 3],
  kernel: [3, 3],
  stride: [1, 1],
  padding: [2, 2],
  weight: Float32Array.from([1, 2, 0, 3, 4, 5, 6, 7, 8]),
  bias: Float32Array.from([-1]),
  activation: 'identity',
};
// x = [[1, 0, 1], [0, 2, 0], [0, 0, 3]]
const DILATED_X = Float32Array.from([1, 0, 1, 0, 2, 0, 0, 0, 3]);

function forward(layer: Conv2dLayer, x: Float32Array) {
  const plan = planLayer(layer);
  const y = new Float32Array(plan.outSize);
  const counts = plan.forward(x, y);
  return { plan, y: Array.from(y), ...counts };
}

describe('grouped conv 4 → 4, groups 2', () => {
  it('outputs, SOP, fan-outs, effective and dense counts, geometry', () => {
    const { plan, y, nonzero, synOps, effective, binary } = forward(GROUPED, GROUPED_X);
    // p0: c = [1, 0, 3, 1] → k0 = 1 + 0.25, k1 = 0, k2 = −3 + 0.5, k3 = 12 − 2 − 1
    // p1: c = [0, 2, 0, 1] → k0 = 4 + 0.25, k1 = 6, k2 = 0.5, k3 = −2 − 1
    expect(y).toEqual([1.25, 4.25, 0, 6, -2.5, 0.5, 9, -3]);
    expect(Array.from(convForwardNaive(GROUPED, GROUPED_X))).toEqual(y);
    // every input reaches 1 tap × the 2 output channels of its group
    expect(Array.from({ length: 8 }, (_, i) => plan.fanOutOf(i))).toEqual(Array(8).fill(2));
    // nonzero inputs: c0p0, c1p1, c2p0, c3p0, c3p1 → 5 × 2 SOP
    expect(nonzero).toBe(5);
    expect(synOps).toBe(10);
    // nonzero weights an input reaches: c0 1 (its k1 weight is 0), c1 2, c2 2, c3 2
    expect(Array.from(plan.effectiveFanOut)).toEqual([1, 1, 2, 2, 2, 2, 2, 2]);
    expect(effective).toBe(1 + 2 + 2 + 2 + 2);
    expect(binary).toBe(false); // 2 and 3 are inputs
    // NeuroBench Dense of one call: 8 inputs × 2 outputs each (no padding)
    expect(plan.denseConnectionOps).toBe(16);
    // weights K·(C/G)·FY·FX = 4·2·1·1 = 8, 7 nonzero; dense MACs K·(C/G)·OY·OX·FY·FX = 4·2·1·2 = 16;
    // fan-in C/G·FY·FX = 2; mean fan-out 16 / 8 inputs = 2; the nest: 2 groups of K 2 from C 2
    expect(layerGeometry(GROUPED)).toEqual({
      kind: 'conv2d',
      inputShape: [4, 1, 2],
      outputShape: [4, 1, 2],
      loops: { G: 2, K: 2, C: 2, OY: 1, OX: 2, FY: 1, FX: 1, SY: 1, SX: 1 },
      fanIn: 2,
      fanOut: 2,
      weightCount: 8,
      nonzeroWeights: 7,
      biasCount: 4,
      denseSynOps: 16,
      neurons: 8,
    });
  });

  it('an event reaches only its group: scatter and target marking', () => {
    const plan = planLayer(GROUPED);
    // event at c2p1 (index 2·2 + 1 = 5): k2p1 += −1, k3p1 += 4 (output indices 2·2 + 1 = 5 and 7)
    const acc = new Float32Array(8);
    expect(plan.scatter(Int32Array.of(5), 1, acc)).toBe(2);
    expect(Array.from(acc)).toEqual([0, 0, 0, 0, 0, -1, 0, 4]);
    const mark = new Uint8Array(8);
    plan.markTargets(Int32Array.of(5), 1, mark);
    expect(Array.from(mark)).toEqual([0, 0, 0, 0, 0, 1, 0, 1]);
    // event at c0p0 (index 0): k0p0 += 1, k1p0 += 0 (outputs 0 and 2)
    mark.fill(0);
    plan.markTargets(Int32Array.of(0), 1, mark);
    expect(Array.from(mark)).toEqual([1, 0, 1, 0, 0, 0, 0, 0]);
    expect(plan.effectiveOps(Int32Array.of(0, 5), 2)).toBe(1 + 2);
  });
});

describe('depthwise conv 3 → 3, groups 3', () => {
  it('outputs, SOP, fan-outs, effective and dense counts, geometry', () => {
    const { plan, y, synOps, effective } = forward(DEPTHWISE, DEPTHWISE_X);
    // c0: y[oy][ox] = x[oy][ox] + x[oy+1][ox+1] → [1 + 1, 2 + 0, 0 + 0, 1 + 3] = [2, 2, 0, 4]
    // c1: 2 × window sum, every 2×2 window holds the centre 1 → [2, 2, 2, 2]
    // c2: −x[oy+1][ox+1] → [−x(1,1), −x(1,2), −x(2,1), −x(2,2)] = [0, 0, 0, −1]
    expect(y).toEqual([2, 2, 0, 4, 2, 2, 2, 2, 0, 0, 0, -1]);
    // windows covering a position of a 3×3 input (2×2 kernel, no padding): corners 1, edges 2, centre 4; × K/G = 1
    const fan = [1, 2, 1, 2, 4, 2, 1, 2, 1];
    expect(Array.from({ length: 27 }, (_, i) => plan.fanOutOf(i))).toEqual([...fan, ...fan, ...fan]);
    // nonzero inputs: c0 (0,0) 1, (0,1) 2, (1,1) 4, (2,2) 1; c1 (1,1) 4; c2 (0,0) 1, (2,2) 1 → 14
    expect(synOps).toBe(14);
    // effective fan-out: input (y, x) meets tap (y − oy, x − ox); c0's nonzero taps are (0,0), reached when
    // y ≤ 1 and x ≤ 1, and (1,1), when y ≥ 1 and x ≥ 1; c1's all four (= the fan-out); c2's only (1,1)
    expect(Array.from(plan.effectiveFanOut)).toEqual([1, 1, 0, 1, 2, 1, 0, 1, 1, ...fan, 0, 0, 0, 0, 1, 1, 0, 1, 1]);
    // c0: 1 + 1 + 2 + 1, c1: 4, c2: (0,0) 0 + (2,2) 1
    expect(effective).toBe(5 + 4 + 1);
    // Dense: 3 channels × (1 + 2 + 1 + 2 + 4 + 2 + 1 + 2 + 1 = 16) = 48 = K·(C/G)·OY·OX·FY·FX = 3·1·4·4
    expect(plan.denseConnectionOps).toBe(48);
    expect(layerGeometry(DEPTHWISE)).toMatchObject({
      loops: { G: 3, K: 1, C: 1, OY: 2, OX: 2, FY: 2, FX: 2, SY: 1, SX: 1 },
      fanIn: 4,
      fanOut: 48 / 27,
      weightCount: 12,
      nonzeroWeights: 7,
      denseSynOps: 48,
      neurons: 12,
    });
  });
});

describe('dilated conv, dilation 2, padding 2', () => {
  it('output size, outputs, SOP, fan-outs, effective and dense counts, geometry', () => {
    expect(windowDims(DILATED)).toMatchObject({ OY: 3, OX: 3, DY: 2, DX: 2 });
    const { plan, y, synOps, effective } = forward(DILATED, DILATED_X);
    // y(0,0) = w11·x00 + w12·x02 + w21·x20 + w22·x22 = 4 + 5 + 0 + 24 = 33
    // y(0,1) = w11·x01 + w21·x21 = 0;          y(0,2) = w10·x00 + w11·x02 + w20·x20 + w21·x22 = 3 + 4 + 0 + 21 = 28
    // y(1,0) = w11·x10 + w12·x12 = 0;          y(1,1) = w11·x11 = 8;          y(1,2) = w10·x10 + w11·x12 = 0
    // y(2,0) = w01·x00 + w02·x02 + w11·x20 + w12·x22 = 2 + 0 + 0 + 15 = 17
    // y(2,1) = w01·x01 + w11·x21 = 0;          y(2,2) = w00·x00 + w01·x02 + w10·x20 + w11·x22 = 1 + 2 + 0 + 12 = 15
    // minus the bias 1:
    expect(y).toEqual([32, -1, 27, -1, 7, -1, 16, -1, 14]);
    // taps per axis of an input at row y: y = 0 → f ∈ {0, 1} (o = 2, 0), y = 1 → f = 1 (o = 1), y = 2 → f ∈ {1, 2} (o = 2, 0);
    // fan-out = taps(y)·taps(x)·K: [2, 1, 2] ⊗ [2, 1, 2]
    expect(Array.from({ length: 9 }, (_, i) => plan.fanOutOf(i))).toEqual([4, 2, 4, 2, 1, 2, 4, 2, 4]);
    // nonzero inputs (0,0), (0,2), (1,1), (2,2): 4 + 4 + 1 + 4
    expect(synOps).toBe(13);
    // the zero weight w[0][2] is met only by inputs with f = 0 along y (y = 0) and f = 2 along x (x = 2): input (0,2)
    expect(Array.from(plan.effectiveFanOut)).toEqual([4, 2, 3, 2, 1, 2, 4, 2, 4]);
    expect(effective).toBe(4 + 3 + 1 + 4);
    // Dense without padding: Σ fan-out = (2 + 1 + 2)² = 25; the geometry's K·C·OY·OX·FY·FX = 81 counts the padded taps
    expect(plan.denseConnectionOps).toBe(25);
    expect(layerGeometry(DILATED)).toMatchObject({
      loops: { K: 1, C: 1, OY: 3, OX: 3, FY: 3, FX: 3, SY: 1, SX: 1, DY: 2, DX: 2 },
      fanIn: 9,
      fanOut: 81 / 9,
      weightCount: 9,
      nonzeroWeights: 8,
      denseSynOps: 81,
    });
    expect(layerGeometry(DILATED).loops.G).toBeUndefined();
  });

  it('ANN ledger of the dilated layer: SOP and NeuroBench counts', () => {
    // dilated (1×3×3) alone, analog input: effective MACs 12, Dense 25, SOP 13
    const model: Model = { id: 'dilated', inputShape: [1, 3, 3], layers: [DILATED] };
    const run = createAnnDense(model).run(sampleSet([Array.from(DILATED_X)], [0], 9));
    const nb = neuroBenchMetrics(run.ledger);
    expect(nb.Effective_MACs).toBe(12);
    expect(nb.Dense).toBe(25);
    expect(nb.ConnectionSparsity).toBe(1 / 9);
    expect(layerByName(run.ledger, 'dilated').activity.synOps.mean).toBe(13);
  });
});

describe('weightOutputChannel: the output channel each stored weight feeds', () => {
  it('follows [C][kh][kw][K/G]: runs of K/G per input channel, offset by the group', () => {
    // GROUPED (K/G = 2, C/G = 2, 1×1): c0, c1 (group 0) → k0, k1; c2, c3 (group 1) → k2, k3
    expect(Array.from({ length: 8 }, (_, i) => weightOutputChannel(GROUPED)(i))).toEqual([0, 1, 0, 1, 2, 3, 2, 3]);
    // DEPTHWISE (2×2, K/G = 1): four taps of c0 → k0, of c1 → k1, of c2 → k2
    expect(Array.from({ length: 12 }, (_, i) => weightOutputChannel(DEPTHWISE)(i))).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    // 4 → 6, groups 2, 1×1: K/G = 3; c0, c1 → k0..k2; c2, c3 → k3..k5
    const wide: Conv2dLayer = { ...GROUPED, outChannels: 6, weight: new Float32Array(12), bias: new Float32Array(6) };
    expect(Array.from({ length: 12 }, (_, i) => weightOutputChannel(wide)(i))).toEqual([0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5]);
    // ungrouped: the fastest axis is k
    expect(Array.from({ length: 9 }, (_, i) => weightOutputChannel(DILATED)(i))).toEqual(Array(9).fill(0));
  });
});

describe('parameters a model must get right', () => {
  const bad = (over: Partial<Conv2dLayer>) => () => validateModelShapes([4, 1, 2], [{ ...GROUPED, ...over }]);
  it('groups must divide both channel counts; dilation must be positive integers', () => {
    expect(bad({ groups: 3 })).toThrow(/layer grouped: groups 3 must be a positive integer dividing both 4 input and 4 output channels/);
    expect(bad({ groups: 0 })).toThrow(/groups 0/);
    expect(bad({ dilation: [0, 1] })).toThrow(/dilation \[0, 1\] must be positive integers/);
    // a weight laid out for groups 1 (4·4 = 16 values) does not fit groups 2 (8)
    expect(bad({ weight: new Float32Array(16) })).toThrow(/weight has 16 values, expected 8/);
  });
  it('the trainer refuses grouped and dilated convolutions', () => {
    expect(() => checkTrainable({ id: 'g', inputShape: [4, 1, 2], layers: [GROUPED] })).toThrow(/layer grouped: the trainer handles ungrouped, undilated convolutions only \(groups 2, dilation 1×1\)/);
    expect(() => checkTrainable({ id: 'd', inputShape: [1, 3, 3], layers: [DILATED] })).toThrow(/groups 1, dilation 2×2/);
  });
});

// ---------------------------------------------------------------------------------------------
// Spiking: the grouped layer (bias 0) spiking, then a read-out 8 → 2 whose row i is [1, 0] for
// i < 4 (the k0, k1 outputs) and [0, 1] otherwise: one nonzero weight per input.
const GROUPED_SNN_LAYER: Conv2dLayer = { ...GROUPED, bias: new Float32Array(4) };
const READOUT = dense('fc', 8, 2, [[1, 0], [1, 0], [1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [0, 1]], [0, 0], 'identity');
const GROUPED_SNN: SpikingModel = {
  id: 'grouped-snn',
  inputShape: [4, 1, 2],
  layers: [
    { layer: GROUPED_SNN_LAYER, spiking: true, threshold: 1 },
    { layer: READOUT, spiking: false, threshold: 1 },
  ],
  conversion: { method: 'given', calibrationSamples: 0, scales: [1, 1] },
};
const IF: NeuronParams = { model: 'if', reset: 'subtract', beta: 1, alpha: 0, refractory: 0 };
// T = 2. t0 spikes at inputs 0 (c0p0), 3 (c1p1), 4 (c2p0); t1 at 6 (c3p0), 7 (c3p1). IF, threshold 1, subtract.
// Outputs in order k0p0 k0p1 k1p0 k1p1 k2p0 k2p1 k3p0 k3p1 (indices 0..7).
// t0: c0p0 → k0p0 += 1, k1p0 += 0; c1p1 → k0p1 += 2, k1p1 += 3; c2p0 → k2p0 += −1, k3p0 += 4
//     v = [1, 2, 0, 3, −1, 0, 4, 0] → spikes at 0, 1, 3, 6 (v ≥ 1) → v = [0, 1, 0, 2, −1, 0, 3, 0]
// t1: c3p0 → k2p0 += 0.5, k3p0 += −2; c3p1 → k2p1 += 0.5, k3p1 += −2
//     v = [0, 1, 0, 2, −0.5, 0.5, 1, −2] → spikes at 1, 3, 6 → v = [0, 0, 0, 1, −0.5, 0.5, 0, −2]
//     potentials that changed at t1: 1, 3, 4, 5, 6, 7 → 6 (all 8 count at t0)
// conv SOP: 3 events × 2 + 2 × 2 = 10; effective ACs: t0 1 + 2 + 2, t1 2 + 2 = 9; Dense 2 steps × 16.
// read-out: t0 spikes {0, 1, 3, 6} reach 4 nonzero weights, t1 {1, 3, 6} 3 → 7 ACs; Dense 2 × 16.
const RASTER = [
  [0, 3, 4],
  [6, 7],
];
const ZERO_INPUT = (): SampleSet => sampleSet([[0, 0, 0, 0, 0, 0, 0, 0]], [0]);

describe('spiking backend on the grouped layer with a given raster', () => {
  it.each<Execution>(['time-stepped', 'event-driven'])('%s: spikes, SOP and NeuroBench counts by hand', (execution) => {
    const run = createSnn(GROUPED_SNN, { timesteps: 2, seed: 1, encoder: rasterEncoder(RASTER), neuron: IF, execution }).run(ZERO_INPUT());
    const conv = layerByName(run.ledger, 'grouped');
    expect(conv.perTimestep.inputEvents).toEqual([3, 2]);
    expect(conv.perTimestep.outputEvents).toEqual([4, 3]);
    expect(conv.activity.synOps.mean).toBe(10);
    expect(conv.activity.neurobench!.effectiveAcs.mean).toBe(9);
    expect(conv.activity.neurobench!.dense.mean).toBe(32);
    expect(conv.activity.neurobench!.membraneUpdates.mean).toBe(8 + 6);
    if (execution === 'time-stepped') expect(conv.activity.updates.mean).toBe(8 * 2);
    const nb = neuroBenchMetrics(run.ledger);
    expect(nb.Effective_ACs).toBe(9 + 7);
    expect(nb.Effective_MACs).toBe(0);
    expect(nb.Dense).toBe(2 * (16 + 16));
    expect(nb.MembraneUpdates).toBe(14);
    expect(nb.ActivationSparsity).toBe(9 / 16); // 7 spikes in 8 neurons × 2 steps
  });

  it('the graph engine gives the same spikes and counts from the same frames', () => {
    const chain = createSnn(GROUPED_SNN, { timesteps: 2, seed: 1, encoder: rasterEncoder(RASTER), neuron: IF }).run(ZERO_INPUT());
    // frames [T][4·1·2]: t0 ones at 0, 3, 4; t1 at 6, 7
    const frames: SampleSet = { id: 'raster', count: 1, shape: [2, 4, 1, 2], inputs: Float32Array.from([1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]), labels: Uint8Array.of(0), classes: 2 };
    const graph = createSnnGraph(graphOfSpikingModel(GROUPED_SNN, IF), { timesteps: 2, input: 'frames' }).run(frames);
    const a = layerByName(chain.ledger, 'grouped');
    const b = layerByName(graph.ledger, 'grouped');
    expect(b.perTimestep).toEqual(a.perTimestep);
    expect(b.perTimestep.outputEvents).toEqual([4, 3]);
    expect(b.activity.synOps).toEqual(a.activity.synOps);
    expect(b.activity.neurobench).toEqual(a.activity.neurobench);
  });
});

// ---------------------------------------------------------------------------------------------
// Random networks: kernels against the gather oracle and a brute-force synapse count; onnxruntime
// against the TypeScript forward.
function randomArray(n: number, seed: number, lo = -1, hi = 1, zeroFraction = 0): Float32Array {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => (r.next() < zeroFraction ? 0 : lo + (hi - lo) * r.next()));
}

function conv(name: string, C: number, K: number, groups: number, hw: [number, number], k: [number, number], stride: [number, number], pad: [number, number], dilation: [number, number], seed: number): Conv2dLayer {
  return { kind: 'conv2d', name, inChannels: C, outChannels: K, groups, dilation, inputHW: hw, kernel: k, stride, padding: pad, weight: randomArray((C * k[0] * k[1] * K) / groups, seed, -0.5, 0.5, 0.2), bias: randomArray(K, seed + 1, -0.1, 0.2), activation: 'relu' };
}

/** Outputs input i reaches, counted from the definition: (k, oy, ox, fy, fx) with k in i's group and the tap on i. */
function bruteFanOut(l: Conv2dLayer, i: number): number {
  const { H, W, FY, FX, SY, SX, PY, PX, DY, DX, OY, OX } = windowDims(l);
  const G = l.groups ?? 1;
  const c = Math.floor(i / (H * W));
  const y = Math.floor((i % (H * W)) / W);
  const x = i % W;
  let n = 0;
  for (let k = 0; k < l.outChannels; k++) {
    if (Math.floor(k / (l.outChannels / G)) !== Math.floor(c / (l.inChannels / G))) continue;
    for (let oy = 0; oy < OY; oy++) for (let ox = 0; ox < OX; ox++) for (let fy = 0; fy < FY; fy++) for (let fx = 0; fx < FX; fx++) if (oy * SY + fy * DY - PY === y && ox * SX + fx * DX - PX === x) n++;
  }
  return n;
}

const LAYERS: [string, Conv2dLayer][] = [
  ['grouped 4 → 6, groups 2, 3×3, pad 1', conv('a', 4, 6, 2, [6, 5], [3, 3], [1, 1], [1, 1], [1, 1], 1)],
  ['depthwise 6, 3×3, dilation 2, pad 2', conv('b', 6, 6, 6, [6, 6], [3, 3], [1, 1], [2, 2], [2, 2], 2)],
  ['depth multiplier 2 (3 → 6, groups 3), stride 2, dilation [1, 2]', conv('c', 3, 6, 3, [7, 7], [2, 3], [2, 2], [1, 2], [1, 2], 3)],
  ['ungrouped, dilation 3, stride 2', conv('d', 2, 3, 1, [9, 8], [3, 2], [2, 1], [0, 1], [3, 3], 4)],
];

describe('random grouped and dilated layers', () => {
  it.each(LAYERS)('%s: scatter = gather oracle; fan-out = brute force; Dense = Σ fan-out', (_name, layer) => {
    const plan = planLayer(layer);
    const x = randomArray(plan.inSize, 9, 0, 1, 0.4);
    const y = new Float32Array(plan.outSize);
    const { synOps } = plan.forward(x, y);
    const ref = convForwardNaive(layer, x);
    for (let j = 0; j < y.length; j++) expect(y[j]).toBeCloseTo(ref[j], 5);
    const fan = Array.from({ length: plan.inSize }, (_, i) => bruteFanOut(layer, i));
    expect(Array.from({ length: plan.inSize }, (_, i) => plan.fanOutOf(i))).toEqual(fan);
    expect(synOps).toBe(fan.reduce((s, f, i) => s + (x[i] !== 0 ? f : 0), 0));
    expect(plan.denseConnectionOps).toBe(fan.reduce((a, b) => a + b, 0));
    // event scatter = the dense forward without bias
    const idx = Int32Array.from(Array.from(x.keys()).filter((i) => x[i] !== 0));
    const acc = new Float32Array(plan.outSize);
    const ones = Float32Array.from(x, (v) => (v !== 0 ? 1 : 0));
    const refOnes = convForwardNaive({ ...layer, bias: new Float32Array(layer.outChannels) }, ones);
    plan.scatter(idx, idx.length, acc);
    for (let j = 0; j < acc.length; j++) expect(acc[j]).toBeCloseTo(refOnes[j], 5);
    const mark = new Uint8Array(plan.outSize);
    plan.markTargets(idx, idx.length, mark);
    // the outputs marked are those some event reaches through a tap (whatever the weight)
    const reached = new Uint8Array(plan.outSize);
    const wOnes = { ...layer, weight: new Float32Array(layer.weight.length).fill(1), bias: new Float32Array(layer.outChannels) };
    convForwardNaive(wOnes, ones).forEach((v, j) => (reached[j] = v > 0 ? 1 : 0));
    expect(Array.from(mark)).toEqual(Array.from(reached));
  });
});

/** grouped conv → depthwise dilated conv → strided dilated conv → dense, ReLU between. */
function groupedNet(): Model {
  const layers: Layer[] = [
    conv('g1', 4, 6, 2, [6, 6], [3, 3], [1, 1], [1, 1], [1, 1], 11),
    conv('dw', 6, 6, 6, [6, 6], [3, 3], [1, 1], [2, 2], [2, 2], 12),
    conv('d2', 6, 4, 1, [6, 6], [2, 2], [2, 2], [1, 1], [1, 2], 13),
    { kind: 'dense', name: 'fc', inFeatures: 4 * 4 * 3, outFeatures: 3, weight: randomArray(48 * 3, 14), bias: randomArray(3, 15, -0.1, 0.1), activation: 'identity' },
  ];
  return { id: 'grouped-net', inputShape: [4, 6, 6], layers };
}

describe('conversion to a spiking network', () => {
  it.each(['rate', 'direct'] as const)('%s coding: time-stepped and event-driven give identical spikes and counts on the grouped, dilated net', (coding) => {
    const model = groupedNet();
    const set: SampleSet = { id: 'random', count: 4, shape: [4, 6, 6], inputs: randomArray(4 * 144, 31, 0, 1, 0.5), labels: new Uint8Array(4), classes: 3 };
    const snn = convertToSnn(model, set, { kind: 'max' });
    const neuron: NeuronParams = { model: 'lif', reset: 'subtract', beta: 0.9, alpha: 0, refractory: 0 };
    const ts = createSnn(snn, { timesteps: 6, seed: 4, neuron, coding, execution: 'time-stepped' }).run(set);
    const ed = createSnn(snn, { timesteps: 6, seed: 4, neuron, coding, execution: 'event-driven' }).run(set);
    expect(Array.from(ed.predictions)).toEqual(Array.from(ts.predictions));
    for (const name of ['g1', 'dw', 'd2']) {
      const a = layerByName(ts.ledger, name);
      const b = layerByName(ed.ledger, name);
      expect(b.perTimestep).toEqual(a.perTimestep);
      expect(b.activity.synOps).toEqual(a.activity.synOps);
      expect(b.activity.neurobench).toEqual(a.activity.neurobench);
    }
    expect(layerByName(ts.ledger, 'dw').activity.inputEvents.mean).toBeGreaterThan(0);
  });
});

describe('ONNX', () => {
  const model = groupedNet();
  const samples: SampleSet = { id: 'random', count: 12, shape: [4, 6, 6], inputs: randomArray(12 * 144, 21, 0, 1, 0.4), labels: new Uint8Array(12), classes: 3 };

  it('export → onnxruntime gives the TypeScript forward of every layer', async () => {
    const session = await InferenceSession.create(exportOnnx(model, { layerOutputs: true }));
    const out = await session.run({ input: new Tensor('float32', samples.inputs, [12, 4, 6, 6]) });
    const plans = model.layers.map(planLayer);
    for (let s = 0; s < 12; s++) {
      let a = samples.inputs.slice(s * 144, (s + 1) * 144);
      plans.forEach((plan, l) => {
        const y = new Float32Array(plan.outSize);
        plan.forward(a, y);
        if (activationOf(plan.layer) === 'relu') for (let j = 0; j < y.length; j++) y[j] = Math.max(0, y[j]);
        const ort = out[session.outputNames[l]].data as Float32Array;
        for (let j = 0; j < y.length; j++) expect(ort[s * plan.outSize + j]).toBeCloseTo(y[j], 5);
        a = y;
      });
    }
  });

  it('the onnxruntime backend gives the TypeScript backend\'s predictions and ledger', async () => {
    const js = createAnn(model).run(samples);
    const ort = await runBackend(createAnnOrt(model, { batch: 5 }), samples);
    expect(Array.from(ort.predictions)).toEqual(Array.from(js.predictions));
    expect(ort.ledger.layers.map((l) => [l.geometry, l.compute, l.memory, l.activity, l.perTimestep])).toEqual(js.ledger.layers.map((l) => [l.geometry, l.compute, l.memory, l.activity, l.perTimestep]));
    expect(layerByName(js.ledger, 'dw').activity.synOps.mean).toBeGreaterThan(0);
  });

  it('export → import gives the same layers back (groups, dilation, weights)', () => {
    const back = importOnnx(exportOnnx(model), 'grouped.onnx');
    back.layers.forEach((l, i) => {
      const orig = model.layers[i];
      expect(l.name).toBe(orig.name);
      if (orig.kind === 'conv2d' && l.kind === 'conv2d') {
        expect(l.groups ?? 1).toBe(orig.groups);
        expect(l.dilation ?? [1, 1]).toEqual(orig.dilation);
        expect([l.kernel, l.stride, l.padding, l.inChannels, l.outChannels]).toEqual([orig.kernel, orig.stride, orig.padding, orig.inChannels, orig.outChannels]);
        expect(Array.from(l.weight)).toEqual(Array.from(orig.weight));
        expect(Array.from(l.bias)).toEqual(Array.from(orig.bias));
      }
    });
  });

  it('imports a hand-written grouped Conv (OIHW) with a BatchNormalization, and a dilated SAME Conv', () => {
    // Conv 4 → 4, group 2, 1×1, ONNX weight OIHW [4][2][1][1]: row k lists the weights of k's group's
    // input channels: k0 [1, 2], k1 [0, 3], k2 [−1, 0.5], k3 [4, −2], the GROUPED layer above.
    // BN scale [1, 2, 1, 0.5], B [0, 0, 1, 0], mean 0, var 1 − ε … take ε = 0 and var 1: s = scale.
    const spec: GraphSpec = {
      input: { name: 'x', dims: ['N', 4, 1, 2] },
      output: 'y',
      nodes: [
        { op: 'Conv', name: 'gconv', inputs: ['x', 'W'], outputs: ['c'], attrs: [attrInt('group', 2), attrInts('kernel_shape', [1, 1])] },
        { op: 'BatchNormalization', name: 'bn', inputs: ['c', 's', 'b', 'm', 'v'], outputs: ['y'], attrs: [attrFloat('epsilon', 0)] },
      ],
      initializers: [
        floatInit('W', [4, 2, 1, 1], [1, 2, 0, 3, -1, 0.5, 4, -2]),
        floatInit('s', [4], [1, 2, 1, 0.5]),
        floatInit('b', [4], [0, 0, 1, 0]),
        floatInit('m', [4], [0, 0, 0, 0]),
        floatInit('v', [4], [1, 1, 1, 1]),
      ],
    };
    const l = importOnnx(onnxBytes(spec), 'g.onnx').layers[0] as Conv2dLayer;
    expect(l.groups).toBe(2);
    expect(l.dilation).toBeUndefined();
    // [C][1][1][K/G]: c0 → (k0, k1) = (1, 0), c1 → (2, 3), c2 → (k2, k3) = (−1, 4), c3 → (0.5, −2); then
    // BN scales k1 by 2 and k3 by 0.5: c0 [1, 0], c1 [2, 6], c2 [−1, 2], c3 [0.5, −1]; bias [0, 0, 1, 0]
    expect(Array.from(l.weight)).toEqual([1, 0, 2, 6, -1, 2, 0.5, -1]);
    expect(Array.from(l.bias)).toEqual([0, 0, 1, 0]);

    // a 3×3 kernel with dilation 2 spans 5 inputs: SAME on 7×7 pads (5 − 1)/2 = 2 each side, output 7×7
    const same: GraphSpec = {
      input: { name: 'x', dims: ['N', 1, 7, 7] },
      output: 'y',
      nodes: [{ op: 'Conv', name: 'dconv', inputs: ['x', 'W'], outputs: ['y'], attrs: [attrInts('dilations', [2, 2]), attrString('auto_pad', 'SAME_UPPER')] }],
      initializers: [floatInit('W', [1, 1, 3, 3], [1, 2, 0, 3, 4, 5, 6, 7, 8])],
    };
    const d = importOnnx(onnxBytes(same), 'd.onnx');
    const dl = d.layers[0] as Conv2dLayer;
    expect([dl.dilation, dl.padding, dl.groups]).toEqual([[2, 2], [2, 2], undefined]);
    expect(layerGeometry(dl).outputShape).toEqual([1, 7, 7]);
  });
});

// ---------------------------------------------------------------------------------------------
// Cost models. The accelerator reads K and C of the loop nest as one group's; ann-ideal-reuse prices
// |W|, |X|, |Y| and the MACs, which the geometry already counts with the groups.
describe('cost models on grouped convolutions', () => {
  const hw = { peRows: 12, peCols: 14, rfBits: 4160, gbBits: 1e6 };
  const bits = { weight: 32, input: 32, accumulator: 32 };
  // DEPTHWISE (3 channels, 2×2 on 3×3 → 2×2): dense MACs 48, 12 weights, 27 inputs, 12 outputs
  const dw = annLayer(DEPTHWISE, 27, 48);

  it('weight-stationary: an input is multicast to its group\'s one output channel, not to all 3', () => {
    const ws = reuseFactors(dw, 'weight-stationary', hw, bits);
    // inputs: uses 48/27; c = min(K per group = 1, 14) = 1 (ungrouped it would be min(3, 14) = 3)
    expect(ws.x.c).toBe(1);
    // psums reduce over min(C/G·FY·FX = 4, 12 rows) = 4, the group's whole window (uses 48/12 = 4)
    expect(ws.o.c).toBe(4);
    // weights stay in the RF for all OY·OX = 4 uses
    expect(ws.w.d).toBe(4);
  });

  it('output-stationary keeps a psum for the C/G·FY·FX = 4 accumulations of its group', () => {
    expect(reuseFactors(dw, 'output-stationary', hw, bits).o).toEqual({ a: 1, b: 1, c: 1, d: 4 });
  });

  it('a grouped layer costs G × one group\'s convolution, the buffer tiled per group', () => {
    // groups 2, 4 → 4, 3×3 on 6×6, no padding: each group is a 2 → 2 conv on 6×6 (out 4×4).
    // Per group: weights 2·2·9 = 36 words, inputs 72, outputs 32 (×32 bits); with a 2048-bit buffer the
    // streamed inputs (2304 bits) are re-fetched ⌈(1152 + 1024)/2048⌉ = 2 times — per group, so the same
    // factors as one group alone; the whole layer's tensors would need ⌈(2304 + 2048)/2048⌉ = 3 tiles.
    const grouped: Conv2dLayer = { ...conv('g', 4, 4, 2, [6, 6], [3, 3], [1, 1], [0, 0], [1, 1], 5), activation: 'relu' };
    const one: Conv2dLayer = { ...conv('g', 2, 2, 1, [6, 6], [3, 3], [1, 1], [0, 0], [1, 1], 6), activation: 'relu' };
    const gl = annLayer(grouped, 144, 1152);
    const ol = annLayer(one, 72, 576);
    const small = { ...hw, gbBits: 2048 };
    expect(reuseFactors(gl, 'output-stationary', small, bits).x).toEqual(reuseFactors(ol, 'output-stationary', small, bits).x);
    expect(reuseFactors(gl, 'output-stationary', small, bits).x.a).toBe(2);
    const params = `\n  peRows: { value: 12, unit: PEs, source: t }\n  peCols: { value: 14, unit: PEs, source: t }\n  rfBits: { value: 4160, unit: bits, source: t }\n  gbBits: { value: 2048, unit: bits, source: t }`;
    for (const id of ['accelerator-rs', 'accelerator-ws', 'accelerator-os', 'ann-ideal-reuse', 'ann-no-reuse']) {
      const model = COST_MODELS.get(id)!;
      const profile = roundProfile(id, id.startsWith('accelerator') ? params : undefined);
      const ledger = (l: typeof gl) => ({ backend: { id: 'ann-dense', family: 'ann' as const, timesteps: 1, params: {} }, samples: 1, layers: [l] });
      const priced = (l: typeof gl) => model.price(ledger(l), profile).items;
      if (id.startsWith('accelerator')) expect(totalEnergyJ(priced(gl))).toBeCloseTo(2 * totalEnergyJ(priced(ol)), 22);
      // the bounds count every access twice one group's (each memory is sized by the whole layer, so the unit costs differ)
      else expect(priced(gl).map((i) => [i.operand, i.action, i.count])).toEqual(priced(ol).map((i) => [i.operand, i.action, 2 * i.count]));
    }
  });

  it('row-stationary: a dilated filter row spans (FX − 1)·DX + 1 inputs in the register file', () => {
    // DILATED: FX 3, DX 2 → 5 inputs; 3 weights + 5 inputs + 1 psum, 32 bits each = 288 bits
    const dl = annLayer(DILATED, 4, 13);
    expect(() => reuseFactors(dl, 'row-stationary', { ...hw, rfBits: 280 }, bits)).toThrow(/layer dilated needs 288 bits of register file per PE \(a filter row of 3 weights, 5 inputs and a partial sum\)/);
    expect(() => reuseFactors(dl, 'row-stationary', { ...hw, rfBits: 288 }, bits)).not.toThrow();
  });
});
