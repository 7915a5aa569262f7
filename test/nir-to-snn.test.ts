// A feed-forward NIR graph as the harness's SNN (workloads/nir/to-snn.ts), run by createSnn with direct
// coding (the Input's values are a current held over every step) against hand simulations of NIR's
// equations, and every refusal of what the engine cannot run exactly.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { createSnn } from '../harness/backends/snn.js';
import type { DenseLayer } from '../harness/model.js';
import { newNeuronState, stepNeuron } from '../harness/neurons.js';
import type { NirEdge, NirGraph, NirNode, NirTensor } from '../workloads/nir/graph.js';
import { readNirBytes } from '../workloads/nir/read.js';
import { nirToSnn } from '../workloads/nir/to-snn.js';
import { writeNirBytes } from '../workloads/nir/write.js';
import { layerByName, sampleSet } from './fixtures.js';

const tensor = (shape: number[], values: number[]): NirTensor => ({ shape, data: Float64Array.from(values) });
const fill = (shape: number[], v: number): NirTensor => tensor(shape, new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(v));
const graph = (nodes: [string, NirNode][], edges: NirEdge[]): NirGraph => ({ nodes: new Map(nodes), edges });
/** A chain: each node feeds the next. */
const chain = (nodes: [string, NirNode][]): NirGraph => graph(nodes, nodes.slice(1).map(([id], i) => [nodes[i][0], id] as NirEdge));

const lif = (n: number, tau: number, r: number, vLeak: number, theta: number): NirNode => ({
  type: 'LIF', tau: fill([n], tau), r: fill([n], r), v_leak: fill([n], vLeak), v_threshold: fill([n], theta), v_reset: fill([n], 0),
});
const ifNode = (shape: number[], theta: number): NirNode => ({ type: 'IF', r: fill(shape, 1), v_threshold: fill(shape, theta), v_reset: fill(shape, 0) });
const integrator = (n: number, r: number): NirNode => ({ type: 'I', r: fill([n], r) });
const affine = (w: number[][], b: number[]): NirNode => ({ type: 'Affine', weight: tensor([w.length, w[0].length], w.flat()), bias: tensor([b.length], b) });
const linear = (w: number[][]): NirNode => ({ type: 'Linear', weight: tensor([w.length, w[0].length], w.flat()) });

// ---------------------------------------------------------------------------------------------
// (1) 2 inputs → Affine → 2 LIF → Linear → I read-out
//   dt = 1 ms, τ = 5 ms, R = 2, v_leak = 0.2, θ = 1; W = [[1, 0.5], [0.25, 1]], b = [0, 0.1]; x = [1, 0.5]
//   I = W x + b = [1.25, 0.85]; v∞ = v_leak + R·I = [2.7, 1.9]
//   exact held-current solution over a step: v ← v∞ + (v − v∞)·β, β = e^{−0.2} = 0.81873; spike when v > 1, v ← 0
//   neuron 0: v = 2.7(1 − β^k) = 0.489, 0.890, 1.218 → spikes at steps 3, 6, 9, 12
//   neuron 1: v = 1.9(1 − β^k) = 0.344, 0.626, 0.857, 1.046 → spikes at steps 4, 8, 12
//   read-out: Linear [[0, 1], [1, 0]] swaps the two, I with r = 1 integrates R·dt·spikes: [3 ms, 4 ms] → class 1
const DT = 1e-3;
const TAU = 5e-3;
const lifNet = chain([
  ['in', { type: 'Input', shape: [2] }],
  ['fc1', affine([[1, 0.5], [0.25, 1]], [0, 0.1])],
  ['lif1', lif(2, TAU, 2, 0.2, 1)],
  ['fc2', linear([[0, 1], [1, 0]])],
  ['out1', integrator(2, 1)],
  ['out', { type: 'Output', shape: [2] }],
]);
const X = [1, 0.5];
const T = 12;

/** NIR's LIF equations solved exactly over each held-input step, in float64: potentials (before reset) and spikes per step. */
function handLif(vInf: number, steps: number): { v: number[]; spikes: boolean[] } {
  const beta = Math.exp(-DT / TAU);
  const v: number[] = [];
  const spikes: boolean[] = [];
  let u = 0;
  for (let k = 0; k < steps; k++) {
    u = vInf + (u - vInf) * beta;
    const s = u > 1;
    v.push(s ? 0 : u);
    spikes.push(s);
    if (s) u = 0;
  }
  return { v, spikes };
}

describe('nirToSnn: a LIF layer with an integrator read-out', () => {
  const net = nirToSnn(lifNet, DT);
  const hand = [handLif(2.7, T), handLif(1.9, T)];

  it('the hand simulation spikes where worked out above', () => {
    expect(hand[0].spikes.flatMap((s, k) => (s ? [k + 1] : []))).toEqual([3, 6, 9, 12]);
    expect(hand[1].spikes.flatMap((s, k) => (s ? [k + 1] : []))).toEqual([4, 8, 12]);
  });

  it('gives one LIF NeuronParams with β = e^{−dt/τ}, reset to zero, and a dense layer per synapse', () => {
    expect(net.neuron.model).toBe('lif');
    expect(net.neuron.reset).toBe('zero');
    expect(net.neuron.beta).toBeCloseTo(0.8187307531, 10);
    expect(net.spiking.layers.map((l) => [l.layer.name, l.spiking])).toEqual([['fc1', true], ['fc2', false]]);
    const fc1 = net.spiking.layers[0].layer as DenseLayer;
    // [in][out] with R(1 − β) = 2·0.18127 folded in; bias R(1 − β)·b + (1 − β)·v_leak
    const g = 2 * (1 - Math.exp(-0.2));
    expect(Array.from(fc1.weight)).toEqual([1, 0.25, 0.5, 1].map((w) => Math.fround(w * g)));
    expect(fc1.bias[0]).toBeCloseTo(0.2 * (1 - Math.exp(-0.2)), 6);
    expect(fc1.bias[1]).toBeCloseTo(0.1 * g + 0.2 * (1 - Math.exp(-0.2)), 6);
    expect(net.spiking.layers[0].threshold).toBeGreaterThan(1);
    expect(net.spiking.layers[0].threshold).toBeLessThan(1 + 1e-6);
    expect(net.notes.join('\n')).toMatch(/largest potential of the read-out "out1"/);
  });

  it('the folded layer, stepped by the harness neuron, follows the hand membrane step by step', () => {
    const layer = net.spiking.layers[0];
    const fc1 = layer.layer as DenseLayer;
    const st = newNeuronState(2, net.neuron);
    for (let k = 0; k < T; k++) {
      for (let j = 0; j < 2; j++) {
        const current = Math.fround(X[0] * fc1.weight[j] + X[1] * fc1.weight[2 + j]);
        const spiked = stepNeuron(net.neuron, st, j, current, fc1.bias[j], layer.threshold, true);
        expect(spiked).toBe(hand[j].spikes[k]);
        expect(st.v[j]).toBeCloseTo(hand[j].v[k], 5);
      }
    }
  });

  for (const execution of ['time-stepped', 'event-driven'] as const) {
    it(`createSnn (${execution}, direct coding) spikes at the hand steps and predicts class 1`, () => {
      const run = createSnn(net.spiking, { timesteps: T, seed: 1, neuron: net.neuron, coding: 'direct', execution }).run(sampleSet([X], [1]));
      const perStep = hand[0].spikes.map((s, k) => Number(s) + Number(hand[1].spikes[k]));
      expect(layerByName(run.ledger, 'fc1').perTimestep.outputEvents).toEqual(perStep);
      expect(layerByName(run.ledger, 'fc1').activity.outputEvents.mean).toBe(7);
      // the read-out receives the 7 spikes, each reaching its 2 outputs (dense)
      expect(layerByName(run.ledger, 'fc2').activity.synOps.mean).toBe(14);
      expect(Array.from(run.predictions)).toEqual([1]);
    });
  }

  it('reads the same network back from a NIR file (0.2 and 0.1 layouts)', async () => {
    for (const version of ['0.2.0', '0.1.1']) {
      const file = await readNirBytes(await writeNirBytes(lifNet, version), 'lif.nir');
      const again = nirToSnn(file, DT, { file: 'lif.nir' });
      expect(Array.from((again.spiking.layers[0].layer as DenseLayer).weight)).toEqual(Array.from((net.spiking.layers[0].layer as DenseLayer).weight));
      expect(again.neuron).toEqual(net.neuron);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// (2) IF conv net with SumPool2d, dt = 1 (R·dt = 1: v ← v + I, spike when v > θ, v ← 0)
//   x [1, 2, 4] = [[1, 0.5, 0.25, 0], [1, 0.75, 0, 0]]; conv 1×1, 1 → 2 channels, weights [1, 0.5]: currents x and x/2
//   IF θ = 1: current c spikes every p steps with p the least k where k·c > 1:
//     c = 1 → 2, 0.75 → 2, 0.5 → 3, 0.375 → 3, 0.25 → 5, 0.125 → 9, 0 → never
//   T = 10: p2 spikes at 2,4,6,8,10 (5), p3 at 3,6,9 (3), p5 at 5,10 (2), p9 at 9 (1)
//   channel 0: 5+3+2+0 + 5+5+0+0 = 20 spikes; channel 1: (0.5, 0.25, 0.125, 0; 0.5, 0.375, 0, 0) 3+2+1 + 3+3 = 12
//   SumPool 2×2 stride 2 → windows A (ch0 left), B (ch0 right), C (ch1 left), D (ch1 right), IF θ = 2:
//     A: three p2 + one p3: counts s2 3, s3 1, s4 3, s6 4, s8 3, s9 1, s10 3 → v 3↑, 1, 4↑, 4↑, 3↑, 1, 4↑ → spikes 2,4,6,8,10
//     B: one p5: v 1 at s5, 2 at s10 (not > 2) → none
//     C: p3, p5, p3, p3: counts s3 3, s5 1, s6 3, s9 3, s10 1 → v 3↑, 1, 4↑, 3↑, 1 → spikes 3, 6, 9
//     D: one p9: v 1 → none
//   read-out Affine [[0,0,1,0],[1,0,0,0]] → I: [C, A] = [3, 5] → class 1
describe('nirToSnn: an IF conv net with SumPool2d', () => {
  const conv: NirNode = {
    type: 'Conv2d', weight: tensor([2, 1, 1, 1], [1, 0.5]), bias: tensor([2], [0, 0]), stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1,
  };
  const g = chain([
    ['in', { type: 'Input', shape: [1, 2, 4] }],
    ['conv', conv],
    ['if1', ifNode([2, 2, 4], 1)],
    ['pool', { type: 'SumPool2d', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0] }],
    ['if2', ifNode([2, 1, 2], 2)],
    ['flat', { type: 'Flatten', start_dim: 0, end_dim: -1 }],
    ['fc', affine([[0, 0, 1, 0], [1, 0, 0, 0]], [0, 0])],
    ['readout', integrator(2, 1)],
    ['out', { type: 'Output', shape: [2] }],
  ]);
  const x = [1, 0.5, 0.25, 0, 1, 0.75, 0, 0];
  const net = nirToSnn(g, 1);

  it('maps conv → IF, SumPool2d → IF onto conv2d and avgpool2d layers with the k² folded into the pool layer\'s threshold', () => {
    expect(net.neuron).toEqual({ model: 'if', reset: 'zero', beta: 1, alpha: 0, refractory: 0 });
    expect(net.spiking.layers.map((l) => l.layer.kind)).toEqual(['conv2d', 'avgpool2d', 'dense']);
    // the harness's pool feeds the window mean (count/4): NIR's θ = 2 on the count is 0.5 on the mean
    expect(net.spiking.layers[1].threshold).toBeGreaterThan(0.5);
    expect(net.spiking.layers[1].threshold).toBeLessThan(0.5 + 1e-7);
  });

  for (const execution of ['time-stepped', 'event-driven'] as const) {
    it(`createSnn (${execution}) gives the hand-counted spikes and class`, () => {
      const run = createSnn(net.spiking, { timesteps: 10, seed: 1, neuron: net.neuron, coding: 'direct', execution }).run(sampleSet([x], [1]));
      expect(layerByName(run.ledger, 'conv').activity.outputEvents.mean).toBe(32);
      expect(layerByName(run.ledger, 'pool').activity.outputEvents.mean).toBe(8);
      expect(layerByName(run.ledger, 'pool').perTimestep.outputEvents).toEqual([0, 1, 1, 1, 0, 2, 0, 1, 1, 1]);
      expect(Array.from(run.predictions)).toEqual([1]);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// (3) refusals: one InputError line naming the node id, its type and the fix

/** nirToSnn(g, dt) throws one InputError line matching `pattern`. */
function refuses(g: NirGraph, pattern: RegExp, dt = DT): void {
  const run = (): unknown => nirToSnn(g, dt);
  expect(run).toThrow(InputError);
  expect(run).toThrow(/^[^\n]+$/);
  expect(run).toThrow(pattern);
}

describe('nirToSnn refuses what the engine cannot run exactly', () => {
  const fc = (): NirNode => affine([[1, 0], [0, 1]], [0, 0]);
  const tail: [string, NirNode][] = [['fcout', linear([[1, 0], [0, 1]])], ['readout', integrator(2, 1)], ['out', { type: 'Output', shape: [2] }]];

  it('a recurrent CubaLIF group (a cycle)', () => {
    const cuba: NirNode = {
      type: 'CubaLIF', tau_syn: fill([2], 2e-3), tau_mem: fill([2], 5e-3), r: fill([2], 1), v_leak: fill([2], 0),
      v_threshold: fill([2], 1), v_reset: fill([2], 0), w_in: fill([2], 1),
    };
    const g = graph([['in', { type: 'Input', shape: [2] }], ['fc1', fc()], ['cuba', cuba], ['rec', fc()], ...tail],
      [['in', 'fc1'], ['fc1', 'cuba'], ['cuba', 'rec'], ['rec', 'cuba'], ['cuba', 'fcout'], ['fcout', 'readout'], ['readout', 'out']]);
    refuses(g, /node "rec" \(type "Affine"\): it is on a recurrent cycle .*not supported by the SNN engine yet; export a feed-forward network/);
  });

  it('a skip connection', () => {
    const g = graph([['in', { type: 'Input', shape: [2] }], ['fc1', fc()], ['lif1', lif(2, TAU, 1, 0, 1)], ['fc2', fc()], ['lif2', lif(2, TAU, 1, 0, 1)], ['skip', fc()], ...tail],
      [['in', 'fc1'], ['fc1', 'lif1'], ['lif1', 'fc2'], ['fc2', 'lif2'], ['lif1', 'skip'], ['skip', 'lif2'], ['lif2', 'fcout'], ['fcout', 'readout'], ['readout', 'out']]);
    refuses(g, /node "lif1" \(type "LIF"\): it feeds "fc2" and "skip" \(a branch or skip connection\).*not supported by the SNN engine yet; export a chain/);
  });

  it('mixed τ across layers', () => {
    const g = chain([['in', { type: 'Input', shape: [2] }], ['fc1', fc()], ['lif1', lif(2, TAU, 1, 0, 1)], ['fc2', fc()], ['lif2', lif(2, 2 * TAU, 1, 0, 1)], ...tail]);
    refuses(g, /node "lif2" \(type "LIF"\): its dynamics \(lif, β = 0\.9048.*\) differ from "lif1"'s \(lif, β = 0\.8187.*mixed neuron dynamics are not supported by the SNN engine yet.*; export every hidden neuron group with the same type, τ and reset/);
  });

  it('a Delay node', () => {
    const g = chain([['in', { type: 'Input', shape: [2] }], ['fc1', fc()], ['lif1', lif(2, TAU, 1, 0, 1)], ['delay', { type: 'Delay', delay: fill([2], 1e-3) }], ...tail]);
    refuses(g, /node "delay" \(type "Delay"\): Delay nodes are not supported by the SNN engine yet; export the network without delays/);
  });

  it('a spiking last group (the engine predicts from the read-out potential, not spike counts) and a leaky LI read-out', () => {
    const spikingOut = chain([['in', { type: 'Input', shape: [2] }], ['fc1', fc()], ['lif1', lif(2, TAU, 1, 0, 1)], ['out', { type: 'Output', shape: [2] }]]);
    refuses(spikingOut, /node "lif1" \(type "LIF"\): the network ends in a spiking group.*not from spike counts; end the network with an I/);
    const li: NirNode = { type: 'LI', tau: fill([2], TAU), r: fill([2], 1), v_leak: fill([2], 0) };
    const liOut = chain([['in', { type: 'Input', shape: [2] }], ['fc1', fc()], ['li', li], ['out', { type: 'Output', shape: [2] }]]);
    refuses(liOut, /node "li" \(type "LI"\): the SNN engine's read-out integrates without leak/);
  });

  it('a Threshold node, a dilated convolution and per-neuron heterogeneous parameters', () => {
    const thr = chain([['in', { type: 'Input', shape: [2] }], ['fc1', fc()], ['thr', { type: 'Threshold', threshold: fill([2], 1) }], ...tail]);
    refuses(thr, /node "thr" \(type "Threshold"\): stateless Threshold nodes are not supported/);
    const conv: NirNode = { type: 'Conv2d', weight: fill([1, 1, 2, 2], 1), bias: fill([1], 0), stride: [1, 1], padding: [0, 0], dilation: [2, 2], groups: 1 };
    const dil = chain([['in', { type: 'Input', shape: [1, 4, 4] }], ['conv', conv], ['if1', ifNode([1, 2, 2], 1)], ['flat', { type: 'Flatten', start_dim: 0, end_dim: -1 }],
      ['fc', affine([[1, 0, 0, 0], [0, 1, 0, 0]], [0, 0])], ['readout', integrator(2, 1)], ['out', { type: 'Output', shape: [2] }]]);
    refuses(dil, /node "conv" \(type "Conv2d"\): dilation \[2, 2\]: dilated convolutions are not supported by the SNN engine yet; export the convolution with dilation 1/, 1);
    const het = chain([['in', { type: 'Input', shape: [2] }], ['fc1', fc()], ['lif1', { ...(lif(2, TAU, 1, 0, 1) as object), tau: tensor([2], [TAU, 2 * TAU]) } as NirNode], ...tail]);
    refuses(het, /node "lif1" \(type "LIF"\): tau differs across neurons/);
  });
});
