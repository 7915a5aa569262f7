// NIR graphs as the harness's SNN graph (workloads/nir/to-graph.ts), run by the graph engine
// (harness/backends/snn-graph.ts) with the Input's values held over every step (direct) or as frames,
// against hand simulations of NIR's equations: a LIF layer (per-neuron τ too), an IF conv net with
// SumPool2d, a recurrent CubaLIF group, a skip connection; the graph engine against createSnn on a
// chain; and every refusal of what the engine cannot run exactly.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { createSnn } from '../harness/backends/snn.js';
import { createSnnGraph, graphOfSpikingModel, type SpikingGraph } from '../harness/backends/snn-graph.js';
import type { SampleSet } from '../harness/data.js';
import type { SpikeEncoder } from '../harness/encoders.js';
import { createRng } from '../core/rng.js';
import type { DenseLayer } from '../harness/model.js';
import { newNeuronState, stepGroup } from '../harness/neurons.js';
import type { NirEdge, NirGraph, NirNode, NirTensor } from '../workloads/nir/graph.js';
import { readNirBytes } from '../workloads/nir/read.js';
import { nirToGraph } from '../workloads/nir/to-graph.js';
import { writeNirBytes } from '../workloads/nir/write.js';
import { TINY_SNN, computeCount, layerByName, memoryCount, sampleSet } from './fixtures.js';

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

/** Every graph run here (held inputs), remembered so that the last test runs it again on the WebAssembly kernels. */
const ran: { graph: SpikingGraph; T: number; samples: SampleSet }[] = [];
const direct = (g: ReturnType<typeof nirToGraph>, T: number) => {
  const backend = createSnnGraph(g.graph, { timesteps: T, input: 'direct' });
  return { run: (samples: SampleSet) => (ran.push({ graph: g.graph, T, samples }), backend.run(samples)) };
};

describe('nirToGraph: a LIF layer with an integrator read-out', () => {
  const net = nirToGraph(lifNet, DT);
  const hand = [handLif(2.7, T), handLif(1.9, T)];

  it('the hand simulation spikes where worked out above', () => {
    expect(hand[0].spikes.flatMap((s, k) => (s ? [k + 1] : []))).toEqual([3, 6, 9, 12]);
    expect(hand[1].spikes.flatMap((s, k) => (s ? [k + 1] : []))).toEqual([4, 8, 12]);
  });

  it('gives a LIF group with β = e^{−dt/τ}, reset to zero, the gain folded into the weights and the biases into the group', () => {
    const [lif1, out1] = net.graph.groups;
    expect([lif1.name, out1.name]).toEqual(['lif1', 'out1']);
    expect(lif1.dynamics.model).toBe('lif');
    expect(lif1.dynamics.reset).toBe('zero');
    expect(lif1.dynamics.beta[0]).toBeCloseTo(0.8187307531, 10);
    expect(net.graph.synapses.map((s) => [s.layer.name, s.from, s.to])).toEqual([['fc1', 'input', 0], ['fc2', 0, 1]]);
    const fc1 = net.graph.synapses[0].layer as DenseLayer;
    // [in][out] with R(1 − β) = 2·0.18127 folded in; group bias R(1 − β)·b + (1 − β)·v_leak
    const g = 2 * (1 - Math.exp(-0.2));
    expect(Array.from(fc1.weight)).toEqual([1, 0.25, 0.5, 1].map((w) => Math.fround(w * g)));
    expect(Array.from(fc1.bias)).toEqual([0, 0]);
    expect(lif1.dynamics.bias[0]).toBeCloseTo(0.2 * (1 - Math.exp(-0.2)), 6);
    expect(lif1.dynamics.bias[1]).toBeCloseTo(0.1 * g + 0.2 * (1 - Math.exp(-0.2)), 6);
    expect(lif1.dynamics.threshold[0]).toBeGreaterThan(1);
    expect(lif1.dynamics.threshold[0]).toBeLessThan(1 + 1e-6);
    expect(out1.spiking).toBe(false);
    expect(net.notes.join('\n')).toMatch(/largest potential after T steps/);
  });

  it('the group, stepped by stepGroup, follows the hand membrane step by step', () => {
    const lif1 = net.graph.groups[0];
    const fc1 = net.graph.synapses[0].layer as DenseLayer;
    const st = newNeuronState(2, { model: 'lif', reset: 'zero', beta: 1, alpha: 0, refractory: 0 });
    const spikes = new Int32Array(2);
    const current = Float32Array.from([0, 1], (j) => Math.fround(X[0] * fc1.weight[j] + X[1] * fc1.weight[2 + j]));
    for (let k = 0; k < T; k++) {
      const n = stepGroup(lif1.dynamics, st, current, spikes);
      for (let j = 0; j < 2; j++) {
        expect(Array.from(spikes.subarray(0, n)).includes(j)).toBe(hand[j].spikes[k]);
        expect(st.v[j]).toBeCloseTo(hand[j].v[k], 5);
      }
    }
  });

  it('the graph engine spikes at the hand steps, counts them and predicts class 1', () => {
    const run = direct(net, T).run(sampleSet([X], [1]));
    const perStep = hand[0].spikes.map((s, k) => Number(s) + Number(hand[1].spikes[k]));
    const fc1 = layerByName(run.ledger, 'fc1');
    expect(fc1.perTimestep.outputEvents).toEqual(perStep);
    expect(fc1.activity.outputEvents.mean).toBe(7);
    // the input is held: its 2 nonzero values × 2 outputs are multiplied once per sample
    expect(computeCount(fc1, 'mac', 'synaptic')).toBe(4);
    expect(computeCount(fc1, 'mul', 'leak')).toBe(2 * T);
    // the read-out receives the 7 spikes, each reaching its 2 outputs (dense)
    expect(layerByName(run.ledger, 'fc2').activity.synOps.mean).toBe(14);
    expect(computeCount(layerByName(run.ledger, 'fc2'), 'ac', 'synaptic')).toBe(14);
    expect(Array.from(run.predictions)).toEqual([1]);
  });

  it('reads the same network back from a NIR file (0.2 and 0.1 layouts)', async () => {
    for (const version of ['0.2.0', '0.1.1']) {
      const file = await readNirBytes(await writeNirBytes(lifNet, version), 'lif.nir');
      const again = nirToGraph(file, DT, { file: 'lif.nir' });
      expect(Array.from((again.graph.synapses[0].layer as DenseLayer).weight)).toEqual(Array.from((net.graph.synapses[0].layer as DenseLayer).weight));
      expect(again.graph.groups[0].dynamics).toEqual(net.graph.groups[0].dynamics);
    }
  });

  it('per-neuron τ: each neuron follows its own hand solution (τ = 5 ms and 10 ms)', () => {
    const het = chain([
      ['in', { type: 'Input', shape: [2] }],
      ['fc1', affine([[1, 0.5], [0.25, 1]], [0, 0.1])],
      ['lif1', { ...(lif(2, TAU, 2, 0.2, 1) as object), tau: tensor([2], [TAU, 2 * TAU]) } as NirNode],
      ['fc2', linear([[0, 1], [1, 0]])],
      ['out1', integrator(2, 1)],
      ['out', { type: 'Output', shape: [2] }],
    ]);
    const run = direct(nirToGraph(het, DT), T).run(sampleSet([X], [1]));
    // neuron 1 at τ = 10 ms: v∞ = 1.9, β = e^{−0.1}: v = 1.9(1 − β^k) = 0.181, 0.344, 0.491, 0.624, 0.744, 0.853, 0.952, 1.041 → spike at 8
    const beta1 = Math.exp(-0.1);
    let u = 0;
    const n1: number[] = [];
    for (let k = 1; k <= T; k++) {
      u = 1.9 + (u - 1.9) * beta1;
      if (u > 1) { n1.push(k); u = 0; }
    }
    expect(n1).toEqual([8]);
    const perStep = hand[0].spikes.map((s, k) => Number(s) + Number(n1.includes(k + 1)));
    expect(layerByName(run.ledger, 'fc1').perTimestep.outputEvents).toEqual(perStep);
  });

  it('a spiking last group is read by spike counts; an LI read-out leaks (and its leak is counted)', () => {
    const spikingOut = chain([['in', { type: 'Input', shape: [2] }], ['fc1', affine([[1, 0.5], [0.25, 1]], [0, 0.1])], ['lif1', lif(2, TAU, 2, 0.2, 1)], ['out', { type: 'Output', shape: [2] }]]);
    const sp = nirToGraph(spikingOut, DT);
    expect(sp.notes.join('\n')).toMatch(/the most spikes over T steps/);
    // neuron 0 spikes 4 times, neuron 1 3 times (above): class 0
    expect(Array.from(direct(sp, T).run(sampleSet([X], [0])).predictions)).toEqual([0]);
    const li: NirNode = { type: 'LI', tau: fill([2], TAU), r: fill([2], 1), v_leak: fill([2], 0) };
    const liOut = chain([['in', { type: 'Input', shape: [2] }], ['fc1', affine([[1, 0], [0, 1]], [0, 0])], ['li', li], ['out', { type: 'Output', shape: [2] }]]);
    const run = direct(nirToGraph(liOut, DT), 4).run(sampleSet([[0.5, 1]], [1]));
    expect(Array.from(run.predictions)).toEqual([1]);
    expect(computeCount(layerByName(run.ledger, 'fc1'), 'mul', 'leak')).toBe(8);
    expect(computeCount(layerByName(run.ledger, 'fc1'), 'cmp', 'threshold')).toBeUndefined();
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
describe('nirToGraph: an IF conv net with SumPool2d', () => {
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
  const net = nirToGraph(g, 1);

  it('maps conv → IF, SumPool2d → IF onto conv2d and avgpool2d synapses with the k² folded into the pooled group\'s threshold', () => {
    expect(net.graph.groups.map((grp) => grp.dynamics.model)).toEqual(['if', 'if', 'if']);
    expect(net.graph.synapses.map((s) => s.layer.kind)).toEqual(['conv2d', 'avgpool2d', 'dense']);
    // the harness's pool feeds the window mean (count/4): NIR's θ = 2 on the count is 0.5 on the mean
    const t = net.graph.groups[1].dynamics.threshold[0];
    expect(t).toBeGreaterThan(0.5);
    expect(t).toBeLessThan(0.5 + 1e-7);
  });

  it('the graph engine gives the hand-counted spikes and class', () => {
    const run = direct(net, 10).run(sampleSet([x], [1]));
    expect(layerByName(run.ledger, 'conv').activity.outputEvents.mean).toBe(32);
    expect(layerByName(run.ledger, 'pool').activity.outputEvents.mean).toBe(8);
    expect(layerByName(run.ledger, 'pool').perTimestep.outputEvents).toEqual([0, 1, 1, 1, 0, 2, 0, 1, 1, 1]);
    // each of the 32 conv spikes reaches its one pooling window
    expect(layerByName(run.ledger, 'pool').activity.synOps.mean).toBe(32);
    expect(Array.from(run.predictions)).toEqual([1]);
  });
});

// ---------------------------------------------------------------------------------------------
// (3) A recurrent CubaLIF group, forward Euler at dt = 1 with τ_syn = τ_mem = 2, R = 4, w_in = 1:
//   α = β = 1 − 1/2 = 0.5, gain R·w_in·dt/(τ_syn·τ_mem) = 1: i ← 0.5·i + x; v ← 0.5·v + i; spike when v > 1, v ← 0
//   Input x = [1] held; fc1 W = [[1], [0]]; rec (cuba → rec → cuba, one step of delay) W = [[0, 0], [0.5, 0]]
//   neuron 0 (x = 1 every step): i = 1, 1.5, 1.75, 1.875 …; v = 1 (not > 1), 2↑, 1.75↑, 1.875↑ … → spikes at 2, 3, …, 9
//   neuron 1 (0.5 from step 3: neuron 0's spike of the step before):
//     s3 i 0.5 v 0.5; s4 i 0.75 v 1.0 (not > 1); s5 i 0.875 v 1.375↑; s6 i 0.9375 v 0.9375; s7 i 0.96875 v 1.4375↑;
//     s8 i 0.984375 v 0.984375; s9 i 0.9921875 v 1.484375↑ → spikes at 5, 7, 9
//   per step: [0, 1, 1, 1, 2, 1, 2, 1, 2] = 11 spikes (every value dyadic: exact in float32)
//   rec reads step t − 1's spikes at steps 2…9: neuron 0's at 2…8 (7) and neuron 1's at 5, 7 (2) = 9 events × 2 outputs = 18 ACs
//   read-out Linear [[1, 0], [0, 1]] → I (r = 1, dt = 1): 11 events × 2 = 22 ACs; potentials [8, 3] → class 0
describe('nirToGraph: a recurrent CubaLIF group', () => {
  const cuba: NirNode = {
    type: 'CubaLIF', tau_syn: fill([2], 2), tau_mem: fill([2], 2), r: fill([2], 4), v_leak: fill([2], 0),
    v_threshold: fill([2], 1), v_reset: fill([2], 0), w_in: fill([2], 1),
  };
  const g = graph([
    ['in', { type: 'Input', shape: [1] }], ['fc1', affine([[1], [0]], [0, 0])], ['cuba', cuba], ['rec', linear([[0, 0], [0.5, 0]])],
    ['fcout', linear([[1, 0], [0, 1]])], ['readout', integrator(2, 1)], ['out', { type: 'Output', shape: [2] }],
  ], [['in', 'fc1'], ['fc1', 'cuba'], ['cuba', 'rec'], ['rec', 'cuba'], ['cuba', 'fcout'], ['fcout', 'readout'], ['readout', 'out']]);
  const net = nirToGraph(g, 1, { discretization: 'euler' });

  it('orders the groups, marks the edge back into the group as a recurrent synapse', () => {
    expect(net.graph.groups.map((grp) => grp.name)).toEqual(['cuba', 'readout']);
    expect(net.graph.synapses.map((s) => [s.layer.name, s.from, s.to])).toEqual([['fc1', 'input', 0], ['rec', 0, 0], ['fcout', 0, 1]]);
    expect(net.notes.join('\n')).toMatch(/recurrent synapses \(the previous step's spikes\): rec/);
    expect(Array.from(net.graph.groups[0].dynamics.alpha)).toEqual([0.5, 0.5]);
  });

  it('spikes and counts as worked out by hand', () => {
    const run = direct(net, 9).run(sampleSet([[1]], [0]));
    const fc1 = layerByName(run.ledger, 'fc1');
    const rec = layerByName(run.ledger, 'rec');
    const fcout = layerByName(run.ledger, 'fcout');
    expect(fc1.perTimestep.outputEvents).toEqual([0, 1, 1, 1, 2, 1, 2, 1, 2]);
    expect(fc1.activity.updates.mean).toBe(18);
    expect(computeCount(fc1, 'mul', 'current-decay')).toBe(18);
    expect(rec.activity.inputEvents.mean).toBe(9);
    expect(computeCount(rec, 'ac', 'synaptic')).toBe(18);
    // a further synapse into the group: its events only (no updates, bias, leak or output of its own)
    expect(rec.activity.updates.mean).toBe(0);
    expect(computeCount(rec, 'add', 'bias')).toBeUndefined();
    expect(memoryCount(rec, 'current', 'write')).toBe(18);
    expect(memoryCount(rec, 'weight', 'read')).toBe(18);
    expect(rec.footprint.stateBits).toBe(0);
    expect(fc1.footprint.stateBits).toBe(2 * 2 * 32);
    expect(computeCount(fcout, 'ac', 'synaptic')).toBe(22);
    expect(Array.from(run.predictions)).toEqual([0]);
  });
});

// ---------------------------------------------------------------------------------------------
// (4) A skip connection: in → fc1 → if1 → fc2 → if2, and if1 → skip → if2 (the group sums both), dt = 1, r = 1
//   x = 1, fc1 W = 0.6: if1 v = 0.6, 1.2↑, 0.6, 1.2↑ … → spikes at 2, 4, 6, 8 (T = 8)
//   if2 gets 0.5 (fc2) + 0.25 (skip) = 0.75 at each of those steps: v 0.75, 1.5↑, 0.75, 1.5↑ → spikes at 4, 8
describe('nirToGraph: a skip connection sums into one group', () => {
  const g = graph([
    ['in', { type: 'Input', shape: [1] }], ['fc1', linear([[0.6]])], ['if1', ifNode([1], 1)], ['fc2', linear([[0.5]])], ['skip', linear([[0.25]])],
    ['if2', ifNode([1], 1)], ['fcout', linear([[1]])], ['readout', integrator(1, 1)], ['out', { type: 'Output', shape: [1] }],
  ], [['in', 'fc1'], ['fc1', 'if1'], ['if1', 'fc2'], ['if1', 'skip'], ['fc2', 'if2'], ['skip', 'if2'], ['if2', 'fcout'], ['fcout', 'readout'], ['readout', 'out']]);

  it('spikes at the hand steps; the second synapse counts its own events', () => {
    const run = direct(nirToGraph(g, 1), 8).run(sampleSet([[1]], [0], 1));
    expect(layerByName(run.ledger, 'fc1').perTimestep.outputEvents).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(layerByName(run.ledger, 'fc2').perTimestep.outputEvents).toEqual([0, 0, 0, 1, 0, 0, 0, 1]);
    expect(layerByName(run.ledger, 'fc2').activity.synOps.mean).toBe(4);
    expect(layerByName(run.ledger, 'skip').activity.synOps.mean).toBe(4);
    expect(layerByName(run.ledger, 'skip').activity.updates.mean).toBe(0);
    expect(layerByName(run.ledger, 'fc2').activity.updates.mean).toBe(8);
  });
});

// ---------------------------------------------------------------------------------------------
// (4a) Spikes summed before one weight matrix (a SEW-style residual add): if1 and if0 both feed `both`
//   x = 1 held, IF θ = 1 (dt = 1, r = 1): if1 gets 0.6 → spikes at 2, 4, 6; if0 gets 0.3 → spike at 4 (T = 6)
//   both = Affine [[0.5]], bias 0.1 (once, not per source) → if2: 0.1 per step plus 0.5 per source spike:
//   v 0.1, 0.7, 0.8, 1.9↑ (0.9 + 0.5 + 0.5), 0.1, 0.7 → one spike, at 4 (a bias counted twice would fire at 3)
//   one synapse per source: both<-if1 3 events, both<-if0 1 event; the weights stored once
describe('nirToGraph: sources summed before a synapse become one synapse per source', () => {
  const g = graph([
    ['in', { type: 'Input', shape: [1] }], ['fc1', linear([[0.6]])], ['if1', ifNode([1], 1)], ['fc0', linear([[0.3]])], ['if0', ifNode([1], 1)],
    ['both', affine([[0.5]], [0.1])], ['if2', ifNode([1], 1)], ['fcout', linear([[1]])], ['readout', integrator(1, 1)], ['out', { type: 'Output', shape: [1] }],
  ], [['in', 'fc1'], ['fc1', 'if1'], ['in', 'fc0'], ['fc0', 'if0'], ['if1', 'both'], ['if0', 'both'], ['both', 'if2'], ['if2', 'fcout'], ['fcout', 'readout'], ['readout', 'out']]);
  it('spikes at the hand steps, counts each source\'s events, stores the weights and the bias once', () => {
    const net = nirToGraph(g, 1);
    const run = direct(net, 6).run(sampleSet([[1]], [0], 1));
    const a = layerByName(run.ledger, 'both<-if1');
    const b = layerByName(run.ledger, 'both<-if0');
    expect(a.perTimestep.outputEvents).toEqual([0, 0, 0, 1, 0, 0]);
    expect([a.activity.synOps.mean, b.activity.synOps.mean]).toEqual([3, 1]);
    expect([a.footprint.weightBits, b.footprint.weightBits]).toEqual([32, 0]);
    expect(net.notes.join('\n')).toMatch(/both sums 2 sources before its weights/);
  });
});

// ---------------------------------------------------------------------------------------------
// (4b) A Threshold node: a stateless comparator per neuron, z = 1 where its input > θ (per-neuron θ = [0.25, 2])
//   x = [0.5, 1.5] through the identity: neuron 0 (0.5 > 0.25) fires at every step, neuron 1 (1.5 ≤ 2) never;
//   T = 4: 4 spikes, read-out [4, 0] → class 0; per step one bias add and one compare per neuron (8 each), no leak
describe('nirToGraph: a Threshold node is a group of stateless comparators', () => {
  const g = chain([
    ['in', { type: 'Input', shape: [2] }], ['fc1', affine([[1, 0], [0, 1]], [0, 0])], ['thr', { type: 'Threshold', threshold: tensor([2], [0.25, 2]) }],
    ['fcout', linear([[1, 0], [0, 1]])], ['readout', integrator(2, 1)], ['out', { type: 'Output', shape: [2] }],
  ]);
  it('fires where its input exceeds each neuron\'s threshold, with no state and no leak', () => {
    const run = direct(nirToGraph(g, 1), 4).run(sampleSet([[0.5, 1.5]], [0]));
    const fc1 = layerByName(run.ledger, 'fc1');
    expect(fc1.perTimestep.outputEvents).toEqual([1, 1, 1, 1]);
    expect(fc1.neuron).toBe('threshold');
    expect(computeCount(fc1, 'cmp', 'threshold')).toBe(8);
    expect(computeCount(fc1, 'add', 'bias')).toBe(8);
    expect(computeCount(fc1, 'mul', 'leak')).toBeUndefined();
    expect(Array.from(run.predictions)).toEqual([0]);
    // NeuroBench: its 8 outputs are activations (4 ones); a comparator has no membrane
    expect(fc1.activity.neurobench.activations.mean).toBe(8);
    expect(fc1.activity.neurobench.membraneUpdates.mean).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// (4c) Conv1d is a height-1 Conv2d: x [1, 5] = [1, 0, 0.5, 0, 1] held, kernel [1, 0, 1], valid → 3 outputs
//   y = [x0 + x2, x1 + x3, x2 + x4] = [1.5, 0, 1.5]; IF θ = 1 (dt = 1, r = 1): neurons 0 and 2 fire every step, T = 3: 6 spikes
//   the held input: its 3 nonzero values reach 1, 3 and 1 outputs (5 MACs, once); NeuroBench's effective pairs
//   skip the zero tap: x0 → y0, x2 → y0 and y2, x4 → y2 = 4 per step
//   read-out Linear [[1, 0, 0], [0, 0, 2]] → I: [3, 6] → class 1
describe('nirToGraph: a Conv1d node', () => {
  const conv1d: NirNode = { type: 'Conv1d', weight: tensor([1, 1, 3], [1, 0, 1]), bias: fill([1], 0), stride: [1], padding: [0], dilation: [1], groups: 1 };
  const g = chain([
    ['in', { type: 'Input', shape: [1, 5] }], ['conv', conv1d], ['if1', ifNode([1, 3], 1)], ['flat', { type: 'Flatten', start_dim: 0, end_dim: -1 }],
    ['fc', linear([[1, 0, 0], [0, 0, 2]])], ['readout', integrator(2, 1)], ['out', { type: 'Output', shape: [2] }],
  ]);
  it('runs as the hand-worked height-1 convolution', () => {
    const net = nirToGraph(g, 1);
    expect(net.graph.synapses[0].layer).toMatchObject({ kind: 'conv2d', inputHW: [1, 5], kernel: [1, 3], padding: [0, 0] });
    const run = direct(net, 3).run(sampleSet([[1, 0, 0.5, 0, 1]], [1]));
    const conv = layerByName(run.ledger, 'conv');
    expect(conv.activity.outputEvents.mean).toBe(6);
    expect(computeCount(conv, 'mac', 'synaptic')).toBe(5);
    expect(conv.activity.neurobench.effectiveMacs.mean).toBe(3 * 4);
    expect(Array.from(run.predictions)).toEqual([1]);
  });
});

// ---------------------------------------------------------------------------------------------
// (4d) A grouped, dilated Conv2d: input [2, 1, 3], groups 2 (channel k reads input channel k only), kernel
//   1×2 with dilation [1, 2] (taps at x and x + 2), valid → 1 output per channel; weights k0 [1, 1], k1 [2, 1]
//   ch0 = [0.5, 0, 0.25] → y0 = 0.5 + 0.25 = 0.75; ch1 = [0.1, 0.2, 0.3] → y1 = 2·0.1 + 0.3 = 0.5
//   IF θ = 1, dt = 1: y0: v 0.75, 1.5↑, 0.75, 1.5↑ → spikes at 2, 4; y1: v 0.5, 1.0 (not > 1), 1.5↑, 0.5 → spike at 3
//   held input: the nonzero values reached by a tap: ch0 x0, x2 (x1 is 0), ch1 x0, x2 (x1 reaches no tap): 4 MACs
//   read-out Linear [[1, 0], [0, 1]] → I: [2, 1] → class 0
describe('nirToGraph: a grouped, dilated Conv2d', () => {
  const conv: NirNode = { type: 'Conv2d', weight: tensor([2, 1, 1, 2], [1, 1, 2, 1]), bias: fill([2], 0), stride: [1, 1], padding: [0, 0], dilation: [1, 2], groups: 2 };
  const g = chain([
    ['in', { type: 'Input', shape: [2, 1, 3] }], ['conv', conv], ['if1', ifNode([2, 1, 1], 1)], ['flat', { type: 'Flatten', start_dim: 0, end_dim: -1 }],
    ['fc', linear([[1, 0], [0, 1]])], ['readout', integrator(2, 1)], ['out', { type: 'Output', shape: [2] }],
  ]);
  it('runs as worked out by hand', () => {
    const net = nirToGraph(g, 1);
    expect(net.graph.synapses[0].layer).toMatchObject({ kind: 'conv2d', groups: 2, dilation: [1, 2], kernel: [1, 2] });
    const run = direct(net, 4).run(sampleSet([[0.5, 0, 0.25, 0.1, 0.2, 0.3]], [0]));
    const c = layerByName(run.ledger, 'conv');
    expect(c.perTimestep.outputEvents).toEqual([0, 1, 1, 1]);
    expect(computeCount(c, 'mac', 'synaptic')).toBe(4);
    expect(c.geometry.weightCount).toBe(4);
    expect(Array.from(run.predictions)).toEqual([0]);
  });
});

// ---------------------------------------------------------------------------------------------
// (5) The graph engine against createSnn on the same chain and the same input spikes
describe('createSnnGraph on a chain matches createSnn spike for spike and count for count', () => {
  const T5 = 6;
  const rng = createRng(7, 0);
  const rasters = [0, 1, 2].map(() => Array.from({ length: T5 * 3 }, () => (rng.next() < 0.5 ? 1 : 0)));
  for (const neuron of [
    { model: 'if', reset: 'subtract', beta: 1, alpha: 0, refractory: 0 },
    { model: 'lif', reset: 'zero', beta: 0.8, alpha: 0, refractory: 0 },
    { model: 'cuba', reset: 'subtract', beta: 0.9, alpha: 0.5, refractory: 0 },
  ] as const) {
    it(`${neuron.model}, reset ${neuron.reset}`, () => {
      const graphRun = createSnnGraph(graphOfSpikingModel(TINY_SNN, neuron), { timesteps: T5, input: 'frames' });
      rasters.forEach((raster, s) => {
        const encoder: SpikeEncoder = {
          name: 'given',
          encode(_x, t, _rng, out) {
            let n = 0;
            for (let i = 0; i < 3; i++) if (raster[t * 3 + i] === 1) out[n++] = i;
            return n;
          },
        };
        const chainRun = createSnn(TINY_SNN, { timesteps: T5, seed: 1, neuron, encoder }).run(sampleSet([[0, 0, 0]], [0]));
        const frames: SampleSet = { id: 'raster', count: 1, shape: [T5, 3], inputs: Float32Array.from(raster), labels: Uint8Array.from([0]), classes: 2 };
        const run = graphRun.run(frames);
        expect(Array.from(run.predictions), `sample ${s}`).toEqual(Array.from(chainRun.predictions));
        const strip = (l: (typeof run.ledger.layers)[number]) => ({ name: l.name, compute: l.compute, memory: l.memory, activity: l.activity, perTimestep: l.perTimestep, footprint: l.footprint, neuron: l.neuron });
        expect(run.ledger.layers.map(strip), `sample ${s}`).toEqual(chainRun.ledger.layers.map(strip));
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// (6) refusals: one InputError line naming the node id, its type and the fix

/** nirToGraph(g, dt) throws one InputError line matching `pattern`. */
function refuses(g: NirGraph, pattern: RegExp, dt = DT): void {
  const run = (): unknown => nirToGraph(g, dt);
  expect(run).toThrow(InputError);
  expect(run).toThrow(/^[^\n]+$/);
  expect(run).toThrow(pattern);
}

describe('nirToGraph refuses what the engine cannot run exactly', () => {
  const fc = (): NirNode => affine([[1, 0], [0, 1]], [0, 0]);
  const head2: [string, NirNode][] = [['in', { type: 'Input', shape: [2] }], ['fc1', fc()], ['lif1', lif(2, TAU, 1, 0, 1)]];
  const tail: [string, NirNode][] = [['fcout', linear([[1, 0], [0, 1]])], ['readout', integrator(2, 1)], ['out', { type: 'Output', shape: [2] }]];

  it('a Delay node', () => {
    refuses(chain([...head2, ['delay', { type: 'Delay', delay: fill([2], 1e-3) }], ...tail]), /node "delay" \(type "Delay"\): Delay nodes are not supported by the SNN engine yet; export the network without delays/);
  });

  it('sources summed inside a synapse path, and a synapse node feeding two groups', () => {
    // a current (fc2's output) summed with spikes before a weight matrix
    const fanIn = graph([...head2, ['fc2', fc()], ['both', fc()], ['lif3', lif(2, TAU, 1, 0, 1)], ...tail],
      [['in', 'fc1'], ['fc1', 'lif1'], ['in', 'fc2'], ['fc2', 'both'], ['lif1', 'both'], ['both', 'lif3'], ['lif3', 'fcout'], ['fcout', 'readout'], ['readout', 'out']]);
    refuses(fanIn, /node "both" \(type "Affine"\): it sums the outputs of "fc2" and "lif1" inside a synapse path.*; give each source its own synapse node/);
    const fanOut = graph([...head2, ['lif2', lif(2, TAU, 1, 0, 1)], ['fc2', fc()], ...tail],
      [['in', 'fc1'], ['fc1', 'lif1'], ['lif1', 'fc2'], ['fc2', 'lif2'], ['fc2', 'fcout'], ['lif2', 'fcout'], ['fcout', 'readout'], ['readout', 'out']]);
    refuses(fanOut, /node "(fc2|fcout)" \(type "(Affine|Linear)"\): it (feeds|sums)/);
  });

  it('two synapses in a row, a neuron group without a synapse before it, a network ending in a synapse', () => {
    refuses(chain([head2[0], head2[1], ['fc2', fc()], ['lif1', lif(2, TAU, 1, 0, 1)], ...tail]), /node "fc2" \(type "Affine"\): it follows "fc1" \(type "Affine"\) with no neuron group between them.*; put a neuron group after "fc1"/);
    refuses(chain([...head2, ['lif2', lif(2, TAU, 1, 0, 1)], ...tail]), /node "lif2" \(type "LIF"\): it follows "lif1" \(type "LIF"\) with no synapse between them/);
    refuses(chain([...head2, ['fcout', fc()], ['out', { type: 'Output', shape: [2] }]]), /node "fcout" \(type "Affine"\): the network ends in a synapse or pooling node.*; end the network with a neuron group/);
  });

  it('uneven same padding, a conv group whose gain differs within a channel, pooling that shares its group with another synapse', () => {
    const conv: NirNode = { type: 'Conv2d', weight: fill([1, 1, 2, 2], 1), bias: fill([1], 0), stride: [1, 1], padding: 'same', dilation: [1, 1], groups: 1 };
    const rest: [string, NirNode][] = [['flat', { type: 'Flatten', start_dim: 0, end_dim: -1 }], ['fc', affine([[1, 0, 0, 0], [0, 1, 0, 0]], [0, 0])], ['readout', integrator(2, 1)], ['out', { type: 'Output', shape: [2] }]];
    refuses(chain([['in', { type: 'Input', shape: [1, 2, 2] }], ['conv', conv], ['if1', ifNode([1, 2, 2], 1)], ...rest]), /node "conv" \(type "Conv2d"\): padding 'same' with kernel 2×2, dilation \[1, 1\] and stride \[1, 1\] pads unevenly/, 1);
    const conv1: NirNode = { type: 'Conv2d', weight: fill([1, 1, 3, 3], 1), bias: fill([1], 0), stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };
    const uneven: NirNode = { type: 'IF', r: tensor([1, 2, 2], [1, 2, 1, 1]), v_threshold: fill([1, 2, 2], 1), v_reset: fill([1, 2, 2], 0) };
    refuses(chain([['in', { type: 'Input', shape: [1, 4, 4] }], ['conv', conv1], ['if1', uneven], ...rest]), /node "if1" \(type "IF"\): its input gain .* differs within output channel 0 of the convolution "conv".*; export the neuron group with one r, τ and w_in per channel/, 1);
    const pool: NirNode = { type: 'SumPool2d', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0] };
    const mixed = graph([['in', { type: 'Input', shape: [1, 4, 4] }], ['conv', conv1 as NirNode], ['if0', ifNode([1, 2, 2], 1)], ['pool', pool], ['fcs', linear([[1, 0, 0, 0]])],
      ['flat', { type: 'Flatten', start_dim: 0, end_dim: -1 }], ['if1', ifNode([1, 1, 1], 1)], ['fc', linear([[1], [0]])], ['readout', integrator(2, 1)], ['out', { type: 'Output', shape: [2] }]],
    [['in', 'conv'], ['conv', 'if0'], ['if0', 'pool'], ['pool', 'if1'], ['if0', 'flat'], ['flat', 'fcs'], ['fcs', 'if1'], ['if1', 'fc'], ['fc', 'readout'], ['readout', 'out']]);
    refuses(mixed, /node "if1" \(type "IF"\): the pooling node "pool" feeds it together with "fcs".*; give the pooled group no other input/, 1);
  });

  it('a group no path from the Input reaches', () => {
    const g = graph([...head2, ['lone', lif(2, TAU, 1, 0, 1)], ['fcl', fc()], ...tail],
      [['in', 'fc1'], ['fc1', 'lif1'], ['lone', 'fcl'], ['fcl', 'lone'], ['lif1', 'fcout'], ['fcout', 'readout'], ['readout', 'out']]);
    refuses(g, /node "lone" \(type "LIF"\): no path from the Input node "in" reaches it/);
  });
});

// ---------------------------------------------------------------------------------------------
// (7) The WebAssembly kernels run every graph above as the TypeScript reference kernels do
describe('createSnnGraph with kernel wasm', () => {
  it('gives the reference kernels\' predictions and ledger layers on every graph run above (recurrent, skip, SEW sum, Threshold, Conv1d, grouped dilated conv, pooling, CubaLIF, per-neuron τ, LI read-out)', () => {
    expect(ran.length).toBeGreaterThan(10);
    for (const { graph: g, T, samples } of ran) {
      const ref = createSnnGraph(g, { timesteps: T, input: 'direct' }).run(samples);
      const fast = createSnnGraph(g, { timesteps: T, input: 'direct', kernel: 'wasm' }).run(samples);
      expect(Array.from(fast.predictions), g.id).toEqual(Array.from(ref.predictions));
      expect(fast.ledger.layers, g.id).toEqual(ref.ledger.layers);
      expect(fast.ledger.backend.params.kernel).toBe('wasm');
    }
  });

  it('binary frames (events) on a conv/pool net: the same', () => {
    const g = nirToGraph(chain([
      ['in', { type: 'Input', shape: [2, 6, 6] }],
      ['conv', { type: 'Conv2d', weight: tensor([3, 2, 3, 3], Array.from({ length: 54 }, (_, i) => ((i * 7) % 11) / 20 - 0.1)), bias: fill([3], 0.01), stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 }],
      ['lif1', lif(108, 0.02, 1, 0, 0.3)],
      ['pool', { type: 'SumPool2d', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0] }],
      ['if2', ifNode([3, 3, 3], 1)],
      ['flat', { type: 'Flatten', start_dim: 0, end_dim: -1 }],
      ['fc', linear(Array.from({ length: 4 }, (_, o) => Array.from({ length: 27 }, (_, i) => ((i + o) % 5) / 4)))],
      ['readout', integrator(4, 1)],
      ['out', { type: 'Output', shape: [4] }],
    ]), 1e-3);
    const T = 12;
    const frames: SampleSet = { id: 'frames', count: 3, shape: [T, 2, 6, 6], inputs: Float32Array.from({ length: 3 * T * 72 }, (_, i) => ((i * 2654435761) >>> 0) % 7 === 0 ? 1 : 0), labels: new Uint8Array(3), classes: 4 };
    const ref = createSnnGraph(g.graph, { timesteps: T, input: 'frames' }).run(frames);
    const fast = createSnnGraph(g.graph, { timesteps: T, input: 'frames', kernel: 'wasm' }).run(frames);
    expect(ref.ledger.layers[0].activity.outputEvents.mean).toBeGreaterThan(0);
    expect(Array.from(fast.predictions)).toEqual(Array.from(ref.predictions));
    expect(fast.ledger.layers).toEqual(ref.ledger.layers);
  });
});
