// `joulebench run --nir FILE.nir --dt S (--inputs X [--labels Y] | --events DIR --bins T --bin-us W)`:
// NIR files the test writes (both format generations), run in process through main(), against counts
// worked out by hand; an N-MNIST event folder written byte by byte; every refusal is one line, exit 2,
// nothing written.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readResultsFile } from '../reports/results-schema.js';
import type { NirEdge, NirGraph, NirNode, NirTensor } from '../workloads/nir/graph.js';
import { writeNirBytes } from '../workloads/nir/write.js';
import { runCli, tempDir } from './cli-helpers.js';
import { encodeEvents, f32, le, npy } from './data-readers-helpers.js';
import { computeCount, layerByName } from './fixtures.js';

const tensor = (shape: number[], values: number[]): NirTensor => ({ shape, data: Float64Array.from(values) });
const fill = (shape: number[], v: number): NirTensor => tensor(shape, new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(v));
const graph = (nodes: [string, NirNode][], edges: NirEdge[]): NirGraph => ({ nodes: new Map(nodes), edges });
const i64 = (v: number[]) => le(v, 8, (d, o, x) => d.setBigInt64(o, BigInt(x), true));

// The recurrent CubaLIF net of test/nir-to-graph.test.ts (3): Euler at dt = 1, α = β = 0.5, gain 1; held
// input 1 → neuron 0 spikes at steps 2…9, neuron 1 (fed 0.5 by neuron 0's spike of the step before) at
// 5, 7, 9; the recurrent synapse reads 9 spikes × 2 outputs = 18 ACs; the read-out ends at [8, 3]: class 0.
const cuba: NirNode = {
  type: 'CubaLIF', tau_syn: fill([2], 2), tau_mem: fill([2], 2), r: fill([2], 4), v_leak: fill([2], 0),
  v_threshold: fill([2], 1), v_reset: fill([2], 0), w_in: fill([2], 1),
};
const recurrent = graph([
  ['in', { type: 'Input', shape: [1] }], ['fc1', { type: 'Affine', weight: tensor([2, 1], [1, 0]), bias: fill([2], 0) }], ['cuba', cuba],
  ['rec', { type: 'Linear', weight: tensor([2, 2], [0, 0, 0.5, 0]) }], ['fcout', { type: 'Linear', weight: tensor([2, 2], [1, 0, 0, 1]) }],
  ['readout', { type: 'I', r: fill([2], 1) }], ['out', { type: 'Output', shape: [2] }],
], [['in', 'fc1'], ['fc1', 'cuba'], ['cuba', 'rec'], ['rec', 'cuba'], ['cuba', 'fcout'], ['fcout', 'readout'], ['readout', 'out']]);

// An event-camera net on a 4×4 sensor: Conv2d 1×1 (2 polarities → 1 channel, weights 1) → IF θ = 0.5 (a
// spike at each pixel and bin with an event) → Flatten → Linear 16 → 2 (class 0 reads pixels (0,0) and
// (0,1), class 1 pixel (3,3)) → I.
const linear = new Array<number>(32).fill(0);
linear[0] = 1; // class 0 ← pixel y 0, x 0
linear[1] = 1; // class 0 ← pixel y 0, x 1
linear[16 + 15] = 1; // class 1 ← pixel y 3, x 3
const eventNet = graph([
  ['in', { type: 'Input', shape: [2, 4, 4] }],
  ['conv', { type: 'Conv2d', weight: fill([1, 2, 1, 1], 1), bias: fill([1], 0), stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }],
  ['if1', { type: 'IF', r: fill([1, 4, 4], 1), v_threshold: fill([1, 4, 4], 0.5), v_reset: fill([1, 4, 4], 0) }],
  ['flat', { type: 'Flatten', start_dim: 0, end_dim: -1 }],
  ['fc', { type: 'Linear', weight: tensor([2, 16], linear) }],
  ['readout', { type: 'I', r: fill([2], 1) }],
  ['out', { type: 'Output', shape: [2] }],
], [['in', 'conv'], ['conv', 'if1'], ['if1', 'flat'], ['flat', 'fc'], ['fc', 'readout'], ['readout', 'out']]);

const cwd = tempDir('nir-cli');
const QUICK = ['-c', 'ops-only-45nm', 'neuromorphic-core-45nm', '--mc-samples', '0', '-q'];

beforeAll(async () => {
  writeFileSync(join(cwd, 'rec.nir'), await writeNirBytes(recurrent, '0.2.0'));
  writeFileSync(join(cwd, 'rec-0.1.nir'), await writeNirBytes(recurrent, '0.1.1'));
  writeFileSync(join(cwd, 'events.nir'), await writeNirBytes(eventNet, '0.2.0'));
  const bytes = await writeNirBytes(recurrent, '0.2.0');
  writeFileSync(join(cwd, 'truncated.nir'), bytes.subarray(0, Math.floor(bytes.length / 2)));
  writeFileSync(join(cwd, 'delay.nir'), await writeNirBytes(graph([
    ['in', { type: 'Input', shape: [1] }], ['fc1', { type: 'Linear', weight: tensor([1, 1], [1]) }], ['lif', { type: 'IF', r: fill([1], 1), v_threshold: fill([1], 1), v_reset: fill([1], 0) }],
    ['delay', { type: 'Delay', delay: fill([1], 1) }], ['fc2', { type: 'Linear', weight: tensor([1, 1], [1]) }], ['readout', { type: 'I', r: fill([1], 1) }], ['out', { type: 'Output', shape: [1] }],
  ], [['in', 'fc1'], ['fc1', 'lif'], ['lif', 'delay'], ['delay', 'fc2'], ['fc2', 'readout'], ['readout', 'out']]), '0.2.0'));
  writeFileSync(join(cwd, 'x.npy'), npy('<f4', [3, 1], f32([1, 1, 1])));
  writeFileSync(join(cwd, 'y.npy'), npy('<i8', [3], i64([0, 0, 1])));
  writeFileSync(join(cwd, 'wrong.npy'), npy('<f4', [3, 2], f32([1, 1, 1, 1, 1, 1])));
  writeFileSync(join(cwd, 'frames.npy'), npy('<f4', [1, 9, 1], f32([1, 1, 1, 1, 1, 1, 1, 1, 1])));
  // class 0: ON at (0,0) twice in bin 0 (one binary frame value), OFF at (1,0) in bin 1; class 1: ON at (3,3) in bin 2
  for (const [cls, events] of [['0', [{ x: 0, y: 0, p: 1, t: 100 }, { x: 0, y: 0, p: 1, t: 200 }, { x: 1, y: 0, p: 0, t: 1500 }]], ['1', [{ x: 3, y: 3, p: 1, t: 2500 }]]] as const) {
    mkdirSync(join(cwd, 'Test', cls), { recursive: true });
    writeFileSync(join(cwd, 'Test', cls, 'a.bin'), encodeEvents(events));
  }
});

describe('run --nir', () => {
  it('a recurrent CubaLIF net on held inputs: the hand-counted spikes, ACs and predictions', async () => {
    const r = await runCli(['run', '--nir', 'rec.nir', '--dt', '1', '--discretization', 'euler', '--inputs', 'x.npy', '--labels', 'y.npy', '-T', '9', ...QUICK, '-o', 'out'], cwd);
    // 2 of 3 right on a 2-class task cannot be told from guessing: the one warning is that
    expect(r.stderr).toMatch(/^joulebench: warning: snn-nir-T9: accuracy 66\.67% is near chance \(50\.00% for 2 classes on 3 samples\)[^\n]*\n$/);
    expect(r.code).toBe(0);
    const doc = readResultsFile({ path: join(cwd, 'out', 'results.json'), field: 'test', what: 'results' });
    expect(doc.configurations.map((c) => c.id)).toEqual(['snn-nir-T9']);
    const c = doc.configurations[0];
    // every sample predicts class 0; the labels say 0, 0, 1
    expect(c.accuracy).toBeCloseTo(2 / 3, 12);
    expect(c.ledger.layers.map((l) => l.name)).toEqual(['fc1', 'rec', 'fcout']);
    expect(layerByName(c.ledger, 'fc1').perTimestep.outputEvents).toEqual([0, 1, 1, 1, 2, 1, 2, 1, 2]);
    expect(computeCount(layerByName(c.ledger, 'rec'), 'ac', 'synaptic')).toBe(18);
    expect(computeCount(layerByName(c.ledger, 'fcout'), 'ac', 'synaptic')).toBe(22);
    expect(c.energy.map((e) => e.profile)).toEqual(['ops-only-45nm', 'neuromorphic-core-45nm']);
    expect(c.energy.every((e) => e.totalJ > 0)).toBe(true);
    expect(doc.workload.training).toMatchObject({ origin: 'nir', nirVersion: '0.2.0', dt: 1, discretization: 'euler', reset: 'to-v-reset', input: 'direct' });
  });

  it('the same network in the NIR 0.1 layout gives the same configurations', async () => {
    const args = ['--dt', '1', '--discretization', 'euler', '--inputs', 'x.npy', '-T', '9', ...QUICK];
    await runCli(['run', '--nir', 'rec.nir', ...args, '-o', 'v2'], cwd);
    const r = await runCli(['run', '--nir', 'rec-0.1.nir', ...args, '-o', 'v1'], cwd);
    expect(r.code).toBe(0);
    const a = readResultsFile({ path: join(cwd, 'v2', 'results.json'), field: 'test', what: 'results' });
    const b = readResultsFile({ path: join(cwd, 'v1', 'results.json'), field: 'test', what: 'results' });
    expect(b.configurations).toEqual(a.configurations);
    // no labels: no accuracy
    expect(a.configurations[0].accuracy).toBeNull();
  });

  it('two worker threads give the results of one (held inputs in chunks of 2 and 1; event frames in chunks of 1)', async () => {
    for (const data of [['--inputs', 'x.npy', '--labels', 'y.npy', '-T', '9'], ['--events', 'Test', '--bins', '3', '--bin-us', '1000']]) {
      const net = data[0] === '--events' ? 'events.nir' : 'rec.nir';
      const one = await runCli(['run', '--nir', net, '--dt', '1', '--discretization', 'euler', ...data, ...QUICK, '-o', 'one', '--force'], cwd);
      const two = await runCli(['run', '--nir', net, '--dt', '1', '--discretization', 'euler', ...data, ...QUICK, '--threads', '2', '-o', 'two', '--force'], cwd);
      expect(one.code, one.stderr).toBe(0);
      expect(two.code, two.stderr).toBe(0);
      expect(readFileSync(join(cwd, 'two', 'results.json'), 'utf8')).toBe(readFileSync(join(cwd, 'one', 'results.json'), 'utf8'));
    }
  });

  it('frames [N, T, …] are used as they are: T comes from the data', async () => {
    const r = await runCli(['run', '--nir', 'rec.nir', '--dt', '1', '--discretization', 'euler', '--inputs', 'frames.npy', ...QUICK, '-o', 'frames-out'], cwd);
    expect(r.stderr).toBe('');
    const doc = readResultsFile({ path: join(cwd, 'frames-out', 'results.json'), field: 'test', what: 'results' });
    expect(doc.configurations.map((c) => c.id)).toEqual(['snn-nir-T9']);
    // binary frames of ones: the same spikes as the held input, each input spike an event (9 × 2 ACs)
    const fc1 = layerByName(doc.configurations[0].ledger, 'fc1');
    expect(fc1.perTimestep.outputEvents).toEqual([0, 1, 1, 1, 2, 1, 2, 1, 2]);
    expect(computeCount(fc1, 'ac', 'synaptic')).toBe(18);
    expect(computeCount(fc1, 'mac', 'synaptic')).toBeUndefined();
  });

  it('an N-MNIST event folder binned into frames: hand-counted events and both classes right', async () => {
    const r = await runCli(['run', '--nir', 'events.nir', '--dt', '1', '--events', 'Test', '--bins', '3', '--bin-us', '1000', ...QUICK, '-o', 'ev-out'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = readResultsFile({ path: join(cwd, 'ev-out', 'results.json'), field: 'test', what: 'results' });
    const c = doc.configurations[0];
    expect(c.id).toBe('snn-nir-T3');
    expect(c.accuracy).toBe(1);
    // sample 0: 2 frame events (the two ON events of bin 0 are one binary value), sample 1: 1 → mean 1.5
    expect(layerByName(c.ledger, 'conv').activity.inputEvents.mean).toBe(1.5);
    expect(layerByName(c.ledger, 'conv').activity.outputEvents.mean).toBe(1.5);
    // each conv spike reaches both classes of the dense read-out: 3 events × 2 / 2 samples
    expect(computeCount(layerByName(c.ledger, 'fc'), 'ac', 'synaptic')).toBe(3);
  });

  it.each([
    [['--nir', 'rec.nir', '--inputs', 'x.npy'], /^joulebench: error: --dt: a NIR graph needs the simulation step/],
    [['--nir', 'rec.nir', '--dt', '-1', '--inputs', 'x.npy'], /--dt must be a finite number > 0/],
    [['--nir', 'rec.nir', '--dt', '1', '--inputs', 'x.npy', '--neuron', 'lif'], /--neuron: not with --nir \(the NIR file defines its neurons\); drop it/],
    [['--nir', 'rec.nir', '--dt', '1', '--inputs', 'x.npy', '--onnx', 'm.onnx'], /ONNX model m\.onnx: cannot read the file/],
    [['--nir', 'rec.nir', '--dt', '1', '--inputs', 'x.npy', '-b', 'ann-dense', 'snn'], /--backend ann-dense: an ANN backend needs the ANN: give --onnx ANN.onnx/],
    [['--nir', 'rec.nir', '--dt', '1', '--inputs', 'x.npy', '--quant', 'w8a8'], /--quant: only with --onnx ANN.onnx/],
    [['--nir', 'rec.nir', '--dt', '1', '--inputs', 'x.npy', '--threads', '0'], /--threads must be an integer from 1 to 64, got 0/],
    [['--nir', 'rec.nir', '--dt', '1', '--inputs', 'x.npy', '--discretization', 'rk4'], /--discretization: "rk4" is not known; use exact or euler/],
    [['--nir', 'rec.nir', '--dt', '1'], /--inputs: a NIR graph runs on your data/],
    [['--nir', 'rec.nir', '--dt', '1', '--inputs', 'x.npy', '--events', 'Test'], /--inputs and --events are alternatives/],
    [['--nir', 'rec.nir', '--dt', '1', '--events', 'Test', '--labels', 'y.npy'], /--labels: only with --inputs/],
    [['--nir', 'rec.nir', '--dt', '1', '--inputs', 'x.npy', '--bins', '3'], /--bins: only with --events/],
    [['--nir', 'rec.nir', '--dt', '1', '--events', 'Test'], /--bin-us: give the bin width/],
    [['--nir', 'rec.nir', '--dt', '1', '--inputs', 'wrong.npy'], /wrong\.npy: shape: is \[3, 2\], and the NIR graph's Input takes \[1\]; give \[N, 1\] \(static inputs, held over T steps; any sample shape of 1 values\) or \[N, T, 1\]/],
    [['--nir', 'rec.nir', '--dt', '1', '--inputs', 'frames.npy', '-T', '5'], /--timesteps: the frames give T = 9; drop --timesteps/],
    [['--nir', 'truncated.nir', '--dt', '1', '--inputs', 'x.npy'], /truncated\.nir: file: /],
    [['--nir', 'missing.nir', '--dt', '1', '--inputs', 'x.npy'], /missing\.nir/],
    [['--nir', 'delay.nir', '--dt', '1', '--inputs', 'x.npy'], /delay\.nir: node "delay" \(type "Delay"\): Delay nodes are not supported by the SNN engine yet; export the network without delays/],
    [['--nir', 'events.nir', '--dt', '1', '--inputs', 'x.npy'], /x\.npy: shape: is \[3, 1\], and the NIR graph's Input takes \[2, 4, 4\]/],
  ])('refuses %j in one line, exit 2, nothing written', async (extra, message) => {
    const out = `bad-${Math.random().toString(36).slice(2)}`;
    const r = await runCli(['run', ...extra, '-o', out], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(cwd, out))).toBe(false);
  });

  it('a claims file runs the NIR graph and gates it: accuracy and energy claims, exit 0 when they hold, 1 when one fails', async () => {
    const claims = (bound: number) => [
      'version: 1',
      'run:',
      '  nir: rec.nir',
      '  dt: 1',
      '  discretization: euler',
      '  inputs: x.npy',
      '  labels: y.npy',
      '  timesteps: [9]',
      '  cost-models: [ops-only-45nm]',
      'claims:',
      '  - id: accuracy',
      '    quantity: { accuracy: snn-nir-T9 }',
      `    condition: { '>=': ${bound} }`,
      '  - id: recurrent-acs',
      '    quantity: { metric: synOps, config: snn-nir-T9, layer: rec }',
      "    condition: { '==': 18 }",
      '',
    ].join('\n');
    mkdirSync(join(cwd, 'gate'), { recursive: true });
    for (const f of ['rec.nir', 'x.npy', 'y.npy']) writeFileSync(join(cwd, 'gate', f), readFileSync(join(cwd, f)));
    writeFileSync(join(cwd, 'gate', 'holds.yaml'), claims(0.6));
    writeFileSync(join(cwd, 'gate', 'fails.yaml'), claims(0.9));
    // run from another folder: the claims file's paths are relative to it
    const ok = await runCli(['check', 'gate/holds.yaml', '-q'], cwd);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/2 of 2 claims hold/);
    const bad = await runCli(['check', 'gate/fails.yaml', '-q'], cwd);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/1 of 2 claims hold/);
  });
});
