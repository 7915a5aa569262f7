// Convolution and pooling kernels against straightforward oracles, and time-stepped vs event-driven
// SNN execution on a small CNN: identical spikes, fewer neuron updates event-driven.
import { describe, expect, it } from 'vitest';
import { createAnnDense } from '../harness/backends/ann.js';
import type { Coding } from '../harness/backends/snn.js';
import { createSnn } from '../harness/backends/snn.js';
import type { SpikingModel } from '../harness/convert.js';
import { convertToSnn } from '../harness/convert.js';
import { planLayer } from '../harness/exec.js';
import { convForwardNaive } from '../harness/kernels/conv.js';
import { layerGeometry } from '../harness/layers.js';
import type { Conv2dLayer, Layer, Model, Pool2dLayer } from '../harness/model.js';
import type { NeuronParams } from '../harness/neurons.js';
import { createRng } from '../core/rng.js';
import { computeCount, layerByName, memoryCount, sampleSet } from './fixtures.js';

function randomArray(n: number, seed: number, lo = -1, hi = 1, zeroFraction = 0): Float32Array {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => (r.next() < zeroFraction ? 0 : lo + (hi - lo) * r.next()));
}

function conv(name: string, C: number, K: number, hw: [number, number], k: number, stride: number, pad: number, seed: number): Conv2dLayer {
  return { kind: 'conv2d', name, inChannels: C, outChannels: K, inputHW: hw, kernel: [k, k], stride: [stride, stride], padding: [pad, pad], weight: randomArray(C * k * k * K, seed, -0.5, 0.5), bias: randomArray(K, seed + 1, -0.1, 0.2), activation: 'relu' };
}

describe('conv2d kernel', () => {
  it.each([
    ['3×3, stride 1, pad 1', 3, 1, 1],
    ['5×5, stride 1, pad 2', 5, 1, 2],
    ['3×3, stride 2, pad 0', 3, 2, 0],
    ['2×2, stride 2, pad 1', 2, 2, 1],
  ])('scatter form equals the gather oracle (%s)', (_name, k, stride, pad) => {
    const layer = conv('c', 3, 4, [7, 6], k, stride, pad, 11);
    const x = randomArray(3 * 7 * 6, 5, 0, 1, 0.4);
    const plan = planLayer(layer);
    const y = new Float32Array(plan.outSize);
    const { nonzero, synOps } = plan.forward(x, y);
    const ref = convForwardNaive(layer, x);
    for (let j = 0; j < y.length; j++) expect(y[j]).toBeCloseTo(ref[j], 5);
    expect(nonzero).toBe(x.filter((v) => v !== 0).length);
    // synOps: Σ over nonzero inputs of the outputs each reaches
    let expected = 0;
    for (let i = 0; i < x.length; i++) if (x[i] !== 0) expected += plan.fanOutOf(i);
    expect(synOps).toBe(expected);
  });

  it('counts border fan-out exactly: a 3×3 pad-1 kernel reaches 4 positions from a corner, 9 from the interior', () => {
    const layer = conv('c', 1, 2, [5, 5], 3, 1, 1, 3);
    const plan = planLayer(layer);
    expect(plan.fanOutOf(0)).toBe(4 * 2);
    expect(plan.fanOutOf(2 * 5 + 2)).toBe(9 * 2);
    expect(plan.fanOutOf(0 * 5 + 2)).toBe(6 * 2);
    // every real synapse counted once: Σ fan-out = K·C·OY·OX·FY·FX minus the padding taps
    let total = 0;
    for (let i = 0; i < 25; i++) total += plan.fanOutOf(i);
    expect(total).toBe(2 * 5 * 5 * 9 - 2 * (4 * 5 * 3 - 4)); // 4 edges × 5 positions × 3 taps, corners counted twice
    expect(layerGeometry(layer)).toMatchObject({ loops: { K: 2, C: 1, OY: 5, OX: 5, FY: 3, FX: 3, SY: 1, SX: 1 }, denseSynOps: 450, weightCount: 18, neurons: 50 });
  });
});

describe('pooling kernels', () => {
  const pool = (kind: Pool2dLayer['kind']): Pool2dLayer => ({ kind, name: 'p', channels: 2, inputHW: [4, 4], kernel: [2, 2], stride: [2, 2], padding: [0, 0] });
  const x = Float32Array.from({ length: 32 }, (_, i) => i % 5);
  it('average pooling averages each 2×2 window per channel', () => {
    const plan = planLayer(pool('avgpool2d'));
    const y = new Float32Array(8);
    plan.forward(x, y);
    // channel 0, window (0,0): inputs 0,1,4,5 → values 0,1,4,0 → 1.25
    expect(y[0]).toBe((0 + 1 + 4 + 0) / 4);
    expect(y[7]).toBe((x[16 + 10] + x[16 + 11] + x[16 + 14] + x[16 + 15]) / 4);
  });
  it('max pooling takes the window maximum', () => {
    const plan = planLayer(pool('maxpool2d'));
    const y = new Float32Array(8);
    plan.forward(x, y);
    expect(y[0]).toBe(4);
  });
});

/** conv(1→4, 3×3, pad 1) on 8×8 → ReLU → avgpool 2 → dense 64→6 ReLU → dense 6→3 read-out. */
function smallCnn(): Model {
  const layers: Layer[] = [
    conv('conv1', 1, 4, [8, 8], 3, 1, 1, 21),
    { kind: 'avgpool2d', name: 'pool1', channels: 4, inputHW: [8, 8], kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
    { kind: 'dense', name: 'fc1', inFeatures: 64, outFeatures: 6, weight: randomArray(64 * 6, 31, -0.4, 0.6), bias: randomArray(6, 32, -0.1, 0.1), activation: 'relu' },
    { kind: 'dense', name: 'fc2', inFeatures: 6, outFeatures: 3, weight: randomArray(18, 41), bias: randomArray(3, 42, -0.1, 0.1), activation: 'identity' },
  ];
  return { id: 'small-cnn', inputShape: [1, 8, 8], layers };
}

// Sparse "images": mostly dark with a few bright blobs, so conv events reach few neurons.
const images = Array.from({ length: 6 }, (_, s) => Array.from(randomArray(64, 100 + s, 0, 1, 0.8)));
const set = sampleSet(images, [0, 1, 2, 0, 1, 2], 3);

describe('SNN on a small CNN', () => {
  const snn: SpikingModel = convertToSnn(smallCnn(), set, { kind: 'max' });

  const neurons: [string, NeuronParams][] = [
    ['IF, subtract', { model: 'if', reset: 'subtract', beta: 1, alpha: 0, refractory: 0 }],
    ['IF, zero, refractory 2', { model: 'if', reset: 'zero', beta: 1, alpha: 0, refractory: 2 }],
    ['LIF β 0.8', { model: 'lif', reset: 'subtract', beta: 0.8, alpha: 0, refractory: 0 }],
    ['CUBA α 0.5 β 0.8', { model: 'cuba', reset: 'subtract', beta: 0.8, alpha: 0.5, refractory: 1 }],
  ];
  const codings: Coding[] = ['rate', 'latency', 'direct'];

  for (const [name, neuron] of neurons) {
    for (const coding of codings) {
      it(`${name}, ${coding} coding: time-stepped and event-driven give identical spikes and predictions`, () => {
        const ts = createSnn(snn, { timesteps: 12, seed: 9, neuron, coding, execution: 'time-stepped' }).run(set);
        const ed = createSnn(snn, { timesteps: 12, seed: 9, neuron, coding, execution: 'event-driven' }).run(set);
        expect(Array.from(ed.predictions)).toEqual(Array.from(ts.predictions));
        for (const name of ['conv1', 'pool1', 'fc1']) {
          const a = layerByName(ts.ledger, name);
          const b = layerByName(ed.ledger, name);
          expect(b.perTimestep).toEqual(a.perTimestep);
          expect(b.activity.outputEvents).toEqual(a.activity.outputEvents);
          expect(b.activity.synOps).toEqual(a.activity.synOps);
          expect(b.activity.updates.mean).toBeLessThanOrEqual(a.activity.updates.mean);
          // NeuroBench's counts belong to the network and its input, not to the execution
          expect(b.activity.neurobench).toEqual(a.activity.neurobench);
        }
        expect(layerByName(ts.ledger, 'conv1').activity.outputEvents.mean).toBeGreaterThan(0);
      });
    }
  }

  it('event-driven visits fewer conv neurons than neurons × T, and records timestamp traffic', () => {
    const neuron: NeuronParams = { model: 'lif', reset: 'subtract', beta: 0.8, alpha: 0, refractory: 0 };
    // zero biases so that only neurons reached by events are visited
    const noBias: SpikingModel = { ...snn, layers: snn.layers.map((l) => (l.layer.kind === 'conv2d' ? { ...l, layer: { ...l.layer, bias: new Float32Array(l.layer.bias.length) } } : l)) };
    const ts = createSnn(noBias, { timesteps: 8, seed: 3, neuron, execution: 'time-stepped' }).run(set);
    const ed = createSnn(noBias, { timesteps: 8, seed: 3, neuron, execution: 'event-driven' }).run(set);
    const a = layerByName(ts.ledger, 'conv1');
    const b = layerByName(ed.ledger, 'conv1');
    expect(a.activity.updates.mean).toBe(4 * 8 * 8 * 8);
    expect(b.activity.updates.mean).toBeLessThan(0.9 * a.activity.updates.mean);
    expect(computeCount(b, 'cmp', 'threshold')).toBe(b.activity.updates.mean);
    expect(computeCount(b, 'mul', 'leak')).toBe(b.activity.updates.mean);
    expect(memoryCount(b, 'state', 'read')).toBe(b.activity.updates.mean);
    expect(memoryCount(a, 'state', 'read')).toBeUndefined();
    expect(memoryCount(b, 'potential', 'write')).toBe(b.activity.synOps.mean + b.activity.updates.mean);
  });

  it('direct coding multiplies the real-valued input once (MACs) and feeds it every step', () => {
    const r = createSnn(snn, { timesteps: 5, seed: 1, coding: 'direct' }).run(set);
    const conv1 = layerByName(r.ledger, 'conv1');
    const ann = layerByName(createAnnDense(smallCnn()).run(set).ledger, 'conv1');
    expect(computeCount(conv1, 'mac', 'synaptic')).toBe(ann.activity.synOps.mean); // zero-skipped MACs, once
    expect(computeCount(conv1, 'ac', 'synaptic')).toBeUndefined();
    expect(computeCount(layerByName(r.ledger, 'fc1'), 'ac', 'synaptic')).toBeGreaterThan(0);
  });

  it('latency coding emits at most one spike per input', () => {
    const r = createSnn(snn, { timesteps: 10, seed: 1, coding: 'latency' }).run(set);
    const nonzero = images.map((im) => im.filter((v) => v > 0).length);
    const conv1 = layerByName(r.ledger, 'conv1');
    expect(conv1.activity.inputEvents.mean).toBeCloseTo(nonzero.reduce((a, b) => a + b, 0) / nonzero.length, 10);
  });

  it('refuses max pooling in a spiking network', () => {
    const m = smallCnn();
    const withMax: Model = { ...m, layers: m.layers.map((l) => (l.kind === 'avgpool2d' ? { ...l, kind: 'maxpool2d' as const } : l)) };
    expect(() => convertToSnn(withMax, set, { kind: 'max' })).toThrow(/pool1: max pooling cannot be converted/);
  });
});
