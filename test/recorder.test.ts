// The Python recorder (recorder/joulebench_record.py) on a hand-counted PyTorch SNN: Debian's
// python3-torch runs a 1×4×4 → conv 2×3×3 (pad 1) → LIF → avgpool 2×2 → LIF → dense 8→3 read-out
// network on a fixed spike raster; the file's counts are checked against hand counts, and pricing it
// against joulebench running the same network (same weights, same raster) inside its own engine.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countTable } from '../core/ledger.js';
import type { Ledger } from '../core/ledger.js';
import { builtinProfileIds, getProfile } from '../cost-models/registry.js';
import { createAnn } from '../harness/backends/ann.js';
import { createSnn } from '../harness/backends/snn.js';
import type { SpikingModel } from '../harness/convert.js';
import type { SpikeEncoder } from '../harness/encoders.js';
import type { Conv2dLayer, DenseLayer, Pool2dLayer } from '../harness/model.js';
import { priceConfiguration } from '../study/results.js';
import type { ActivityDoc } from '../workloads/imported/activity.js';
import { parseActivity } from '../workloads/imported/activity.js';
import { activityToLedger } from '../workloads/imported/ledger.js';
import { runCli, tempDir } from './cli-helpers.js';
import { pythonWith } from './python.js';
import { npzBytes } from '../workloads/datasets/npy.js';

const python = pythonWith('torch');
const RECORDER = resolve(import.meta.dirname, '..', 'recorder');

// Weights: multiples of 1/4, so every float32 sum is exact in any order (PyTorch's convolution and
// joulebench's event scatter add in different orders). Conv weights [K][C][FY][FX] as PyTorch holds them.
const CONV_W = [
  [[[0.5, 0, 0.25], [0.5, 0.75, 0], [0.25, 0.5, 0.5]]],
  [[[0, 0.25, 0], [1.0, 0.5, 0.25], [0, 0.25, 0.75]]],
]; // 18 weights, 5 of them zero: 13 nonzero
const FC_W = [
  [0.5, 0, 0.25, -0.5, 0.75, 0.25, 0, 1],
  [0, 0.5, 0.5, 0.25, -0.25, 0.5, 0.75, 0],
  [0.25, 0.25, 0, 0.5, 0.5, 0, 0.25, 0.5],
]; // [out][in]: 6 zeros, 18 nonzero
/** Input spikes per sample and step, as (row, column) of the 4×4 input. */
const RASTER: [number, number][][][] = [
  [[[0, 0], [1, 1]], [[1, 1]], [[3, 3], [2, 1]]], // sample A
  [[[0, 3]], [[0, 3], [2, 2]], []], // sample B
];
const T = 3;
const BETA = 0.5;

const SCRIPT = `
import json, sys
import torch
from torch import nn
sys.path.insert(0, ${JSON.stringify(RECORDER)})
import joulebench_record as jr

class Leaky(nn.Module):
    """snnTorch-like LIF (recognized by its class name): v = beta*v + x; spike when v >= 1; v -= 1."""
    def __init__(self, beta):
        super().__init__()
        self.beta, self.reset_mechanism, self.mem = beta, "subtract", None
    def reset_hidden(self):
        self.mem = None
    def forward(self, x):
        mem = x if self.mem is None else self.beta * self.mem + x
        spk = (mem >= 1.0).to(x.dtype)
        self.mem = mem - spk
        return spk

class MyNeuron(Leaky):
    """A user's own neuron, named to the recorder with neurons=... (its class name is not one it knows)."""

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 2, 3, padding=1, bias=False)
        self.lif1 = Leaky(${BETA})
        self.pool1 = nn.AvgPool2d(2)
        self.lif2 = MyNeuron(${BETA})
        self.fc = nn.Linear(8, 3, bias=False)
    def forward(self, x):
        x = self.lif1(self.conv1(x))
        x = self.lif2(self.pool1(x))
        return self.fc(x.flatten(1))

net = Net()
with torch.no_grad():
    net.conv1.weight.copy_(torch.tensor(${JSON.stringify(CONV_W)}))
    net.fc.weight.copy_(torch.tensor(${JSON.stringify(FC_W)}))
raster = ${JSON.stringify(RASTER)}
x = torch.zeros(${T}, ${RASTER.length}, 1, 4, 4)
for s, steps in enumerate(raster):
    for t, spikes in enumerate(steps):
        for (r, c) in spikes:
            x[t, s, 0, r, c] = 1.0
# a DataLoader-like iterable of (input [T, B, ...], labels) batches: one sample per batch
data = [(x[:, s:s + 1], torch.tensor([0])) for s in range(x.shape[1])]
doc = jr.record(net, data, network="hand-conv", neurons={net.lif2: "lif"}, dataset="hand raster")
jr.write(doc, sys.argv[1])
`;

/** The same raster for joulebench: sample s's input value i encodes its spike steps as bits (bit t: a spike at step t). */
function rasterInputs(): number[][] {
  return RASTER.map((steps) => {
    const x = new Array<number>(16).fill(0);
    steps.forEach((spikes, t) => {
      for (const [r, c] of spikes) x[r * 4 + c] += 2 ** t;
    });
    return x;
  });
}
const bitRaster: SpikeEncoder = {
  name: 'raster',
  encode(x, t, _rng, out) {
    let n = 0;
    for (let i = 0; i < x.length; i++) if ((Math.round(x[i]) >> t) & 1) out[n++] = i;
    return n;
  },
};

/** The network in joulebench's layouts: conv [C][FY][FX][K], dense [in][out], LIF β = 0.5 throughout. */
function joulebenchRun() {
  const convW = new Float32Array(18);
  for (let k = 0; k < 2; k++) for (let fy = 0; fy < 3; fy++) for (let fx = 0; fx < 3; fx++) convW[(fy * 3 + fx) * 2 + k] = CONV_W[k][0][fy][fx];
  const fcW = new Float32Array(24);
  for (let o = 0; o < 3; o++) for (let i = 0; i < 8; i++) fcW[i * 3 + o] = FC_W[o][i];
  const conv: Conv2dLayer = { kind: 'conv2d', name: 'conv1', inChannels: 1, outChannels: 2, inputHW: [4, 4], kernel: [3, 3], stride: [1, 1], padding: [1, 1], weight: convW, bias: new Float32Array(2), activation: 'relu' };
  const pool: Pool2dLayer = { kind: 'avgpool2d', name: 'pool1', channels: 2, inputHW: [4, 4], kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
  const fc: DenseLayer = { kind: 'dense', name: 'fc', inFeatures: 8, outFeatures: 3, weight: fcW, bias: new Float32Array(3), activation: 'identity' };
  const model: SpikingModel = {
    id: 'hand-conv',
    inputShape: [1, 4, 4],
    layers: [{ layer: conv, spiking: true, threshold: 1 }, { layer: pool, spiking: true, threshold: 1 }, { layer: fc, spiking: false, threshold: 1 }],
    conversion: { method: 'given', calibrationSamples: 0, scales: [1, 1, 1] },
  };
  const inputs = rasterInputs();
  const samples = { id: 'hand/raster', count: inputs.length, shape: [1, 4, 4], inputs: Float32Array.from(inputs.flat()), labels: new Uint8Array(inputs.length), classes: 3 };
  return createSnn(model, { timesteps: T, seed: 1, neuron: { model: 'lif', reset: 'subtract', beta: BETA, alpha: 0, refractory: 0 }, encoder: bitRaster }).run(samples).ledger;
}

const REL = 1e-12; // means summed in another order than the run's (see test/imported-activity.test.ts)
const near = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b));

/** Runs a recording script (its argument: the file to write) and reads the activity file it wrote. */
function recorded(script: string): { dir: string; file: string; doc: ActivityDoc } {
  const dir = tempDir('recorder');
  const file = join(dir, 'activity.json');
  writeFileSync(join(dir, 'record.py'), script);
  const r = spawnSync(python!, [join(dir, 'record.py'), file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the recorder failed: ${r.stderr}`);
  return { dir, file, doc: JSON.parse(readFileSync(file, 'utf8')) as ActivityDoc };
}

/** The imported ledger against joulebench's run: geometry, per-step events, every entry, NeuroBench counts, energy under every shipped profile. */
function expectSameAsRun(original: Ledger, imported: Ledger): void {
  original.layers.forEach((o, i) => {
    const m = imported.layers[i];
    expect(m.geometry).toEqual(o.geometry);
    expect(m.perTimestep).toEqual(o.perTimestep);
    const [a, b] = [countTable(o), countTable(m)];
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const k of Object.keys(a)) expect(near(b[k], a[k]), `${o.name} ${k}: ${b[k]} vs ${a[k]}`).toBe(true);
    for (const k of ['dense', 'effectiveMacs', 'effectiveAcs', 'activations', 'membraneUpdates'] as const) expect(m.activity.neurobench[k].mean, `${o.name} ${k}`).toBe(o.activity.neurobench[k].mean);
  });
  const profiles = builtinProfileIds().map((p) => getProfile(p));
  const mc = { samples: 0, seed: 1 };
  const a = priceConfiguration({ id: 'c', accuracy: null, ledger: original }, profiles, mc).result;
  const b = priceConfiguration({ id: 'c', accuracy: null, ledger: imported }, profiles, mc).result;
  expect(b.energy.map((e) => e.profile)).toEqual(a.energy.map((e) => e.profile));
  a.energy.forEach((e, i) => expect(near(b.energy[i].totalJ, e.totalJ), `${e.profile}`).toBe(true));
}

describe.skipIf(python === null)('recorder/joulebench_record.py with PyTorch', () => {
  const { dir, file, doc } = recorded(SCRIPT);

  it('writes the hand-counted activity of the first layer', () => {
    expect(doc).toMatchObject({ format: 'joulebench-activity', version: 1, network: 'hand-conv', family: 'snn', timesteps: 3, samples: 2, dataset: 'hand raster' });
    const conv = doc.layers[0];
    expect(conv).toMatchObject({ name: 'conv1', kind: 'conv2d', inputShape: [1, 4, 4], outputShape: [2, 4, 4], kernel: [3, 3], stride: [1, 1], padding: [1, 1], weights: 18, nonzeroWeights: 13, neuron: 'lif', reset: 'subtract', input: 'spikes' });
    // input spikes: A 2 + 1 + 2 = 5, B 1 + 2 + 0 = 3 → mean 4; per step (2+1)/2, (1+2)/2, (2+0)/2
    expect(conv.activity.inputEvents).toBe(4);
    expect(conv.activity.inputEventsPerTimestep).toEqual([1.5, 1.5, 1]);
    // a 3×3 window with padding 1 on 4×4: a pixel reaches (rows it reaches) × (columns) output positions,
    // 2 on an edge row/column, 3 inside; × K = 2 channels. A: (0,0) 4 + (1,1) 9; (1,1) 9; (3,3) 4 + (2,1) 9
    // → (13 + 9 + 13)·2 = 70; B: (0,3) 4; (0,3) 4 + (2,2) 9 → (4 + 13)·2 = 34; mean 52
    expect(conv.activity.synapticOps).toBe(52);
    expect(conv.activity.neuronUpdates).toBe(2 * 4 * 4 * 3); // 32 neurons × 3 steps
    // NeuroBench Dense: per step Σ over the 16 pixels of their reach × 2 channels: 4 corners × 4 +
    // 8 edge pixels × 6 + 4 inner × 9 = 100, × 2 = 200; × 3 steps = 600
    expect(conv.activity.neurobench?.dense).toBe(600);
    expect(conv.activity.neurobench?.effectiveMacs).toBe(0); // spikes: accumulates only
    expect(conv.activity.neurobench?.activations).toBe(96);
  });

  it('records the pooling layer, the user-named neuron and the read-out', () => {
    const [, pool, fc] = doc.layers;
    expect(pool).toMatchObject({ name: 'pool1', kind: 'avgpool2d', inputShape: [2, 4, 4], outputShape: [2, 2, 2], kernel: [2, 2], stride: [2, 2], padding: [0, 0], weights: 0, neuron: 'lif', reset: 'subtract' });
    expect(fc).toMatchObject({ name: 'fc', kind: 'dense', inputShape: [8], outputShape: [3], weights: 24, nonzeroWeights: 18, neuron: 'none', input: 'spikes' });
    // the read-out integrates: no output events; its inputs are pool1's spikes, each reaching 3 outputs
    expect(fc.activity.outputEvents).toBe(0);
    expect(fc.activity.inputEvents).toBe(pool.activity.outputEvents);
    expect(fc.activity.synapticOps).toBe(3 * fc.activity.inputEvents);
    // each pool output takes a 2×2 window with no padding, so every input spike reaches 1 output
    expect(pool.activity.synapticOps).toBe(pool.activity.inputEvents);
    expect(pool.activity.inputEvents).toBe(doc.layers[0].activity.outputEvents);
  });

  it('gives the ledger and energy of the same network run inside joulebench, under every shipped profile', () => {
    const original = joulebenchRun();
    expect(original.layers[0].activity.outputEvents.mean).toBeGreaterThan(0); // the raster makes conv1 spike
    expectSameAsRun(original, activityToLedger(parseActivity(doc, file)).ledger);
  });

  it('is priced by `joulebench price`', async () => {
    const out = await runCli(['price', file, '-c', 'neuromorphic-core-45nm', '--mc-samples', '0', '-q', '-o', join(dir, 'out')], dir);
    expect(out.err).toEqual([]);
    expect(out.code).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
    expect(results.configurations.map((c: { id: string }) => c.id)).toEqual(['snn-lif-T3']);
  });
});

// ---------------------------------------------------------------------------------------------
// A grouped, dilated conv: input [2, 5, 5] → Conv2d(2, 4, 3, groups 2, dilation (2, 1), padding 2)
// → LIF → dense 140 → 3 read-out, T = 2, one sample

/** PyTorch weights [K][C/G][kh][kw], multiples of 1/4 (exact sums). */
const GCONV_W = Array.from({ length: 4 }, (_, k) => [Array.from({ length: 3 }, (_, fy) => Array.from({ length: 3 }, (_, fx) => (((k * 9 + fy * 3 + fx) % 5) - 1) * 0.25))]);
const GFC_W = Array.from({ length: 3 }, (_, o) => Array.from({ length: 140 }, (_, i) => (((o * 7 + i) % 6) - 2) * 0.25));
/** Spikes per step as (channel, row, column). */
const GRASTER: [number, number, number][][] = [[[0, 0, 0], [1, 2, 2], [0, 4, 1]], [[1, 0, 4], [0, 2, 3]]];

const GSCRIPT = SCRIPT.slice(0, SCRIPT.indexOf('class Net(nn.Module):')) + `
net = nn.Sequential(nn.Conv2d(2, 4, 3, groups=2, dilation=(2, 1), padding=2, bias=False), Leaky(${BETA}), nn.Flatten(), nn.Linear(140, 3, bias=False))
with torch.no_grad():
    net[0].weight.copy_(torch.tensor(${JSON.stringify(GCONV_W)}))
    net[3].weight.copy_(torch.tensor(${JSON.stringify(GFC_W)}))
x = torch.zeros(2, 1, 2, 5, 5)
for t, spikes in enumerate(${JSON.stringify(GRASTER)}):
    for (c, r, q) in spikes:
        x[t, 0, c, r, q] = 1.0
jr.write(jr.record(net, [x], network="grouped"), sys.argv[1])
`;

describe.skipIf(python === null)('recorder/joulebench_record.py on a grouped, dilated convolution', () => {
  const { file, doc } = recorded(GSCRIPT);

  it('records groups, dilation and the exact synaptic ops', () => {
    const conv = doc.layers[0];
    expect(conv).toMatchObject({ kind: 'conv2d', inputShape: [2, 5, 5], outputShape: [4, 5, 7], kernel: [3, 3], stride: [1, 1], padding: [2, 2], groups: 2, dilation: [2, 1], weights: 36 });
    // rows: output oy reads input rows oy + 2·fy − 2 (fy = 0, 1, 2): input row y is read by the oy in
    // {y + 2, y, y − 2} ∩ [0, 4]; columns: ox reads x = ox + fx − 2, so input column x by ox in {x .. x + 2} ∩ [0, 6] (3 always).
    // row reach: y = 0 → {2, 0} 2; y = 2 → {4, 2, 0} 3; y = 4 → {4, 2} 2. Each event reaches K/G = 2 channels.
    // step 0: (0,0) 2·3, (2,2) 3·3, (4,1) 2·3 → 21 positions; step 1: (0,4) 2·3, (2,3) 3·3 → 15; × 2 channels
    expect(conv.activity.inputEventsPerTimestep).toEqual([3, 2]);
    expect(conv.activity.synapticOps).toBe((21 + 15) * 2);
  });

  it('prices to the energy of the same network run inside joulebench', () => {
    // joulebench's layout [C][kh][kw][K/G]: channel c of group g = ⌊c / (C/G)⌋ feeds output channels g·(K/G) + j
    const convW = new Float32Array(36);
    for (let c = 0; c < 2; c++) for (let fy = 0; fy < 3; fy++) for (let fx = 0; fx < 3; fx++) for (let j = 0; j < 2; j++) convW[((c * 3 + fy) * 3 + fx) * 2 + j] = GCONV_W[c * 2 + j][0][fy][fx];
    const fcW = new Float32Array(420);
    for (let o = 0; o < 3; o++) for (let i = 0; i < 140; i++) fcW[i * 3 + o] = GFC_W[o][i];
    const conv: Conv2dLayer = { kind: 'conv2d', name: 'conv', inChannels: 2, outChannels: 4, groups: 2, dilation: [2, 1], inputHW: [5, 5], kernel: [3, 3], stride: [1, 1], padding: [2, 2], weight: convW, bias: new Float32Array(4), activation: 'relu' };
    const fc: DenseLayer = { kind: 'dense', name: 'fc', inFeatures: 140, outFeatures: 3, weight: fcW, bias: new Float32Array(3), activation: 'identity' };
    const model: SpikingModel = { id: 'grouped', inputShape: [2, 5, 5], layers: [{ layer: conv, spiking: true, threshold: 1 }, { layer: fc, spiking: false, threshold: 1 }], conversion: { method: 'given', calibrationSamples: 0, scales: [1, 1] } };
    const x = new Array<number>(50).fill(0);
    GRASTER.forEach((spikes, t) => {
      for (const [c, row, col] of spikes) x[c * 25 + row * 5 + col] += 2 ** t;
    });
    const samples = { id: 'grouped/raster', count: 1, shape: [2, 5, 5], inputs: Float32Array.from(x), labels: new Uint8Array(1), classes: 3 };
    const original = createSnn(model, { timesteps: 2, seed: 1, neuron: { model: 'lif', reset: 'subtract', beta: BETA, alpha: 0, refractory: 0 }, encoder: bitRaster }).run(samples).ledger;
    expectSameAsRun(original, activityToLedger(parseActivity(doc, file)).ledger);
  });
});

describe.skipIf(python === null)('recorder/joulebench_record.py refusals', () => {
  it('names the module and the reason for what joulebench cannot count', () => {
    const script = `${SCRIPT.slice(0, SCRIPT.indexOf('class Net(nn.Module):'))}
cases = {
    "hidden": nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 2)),
    "ceil": nn.Sequential(nn.AvgPool2d(2, ceil_mode=True), Leaky(0.5), nn.Flatten(), nn.Linear(4, 2)),
    "circular": nn.Sequential(nn.Conv2d(1, 1, 3, padding=1, padding_mode="circular"), Leaky(0.5)),
    "empty": nn.Sequential(Leaky(0.5)),
}
shapes = {"hidden": (2, 1, 4), "ceil": (2, 1, 1, 3, 3), "circular": (2, 1, 1, 3, 3), "empty": (2, 1, 4)}
for name, net in cases.items():
    try:
        jr.record(net, [torch.ones(shapes[name])], network=name)
        print(name, "recorded")
    except jr.RecordError as e:
        print(name, "|", e)
`;
    const dir = tempDir('recorder-refusals');
    writeFileSync(join(dir, 'bad.py'), script);
    const r = spawnSync(python!, [join(dir, 'bad.py')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^hidden \| 0: no spiking neuron module follows it, and only the read-out \(last\) layer of an SNN may be non-spiking/);
    expect(lines[1]).toMatch(/^ceil \| AvgPool2d: ceil_mode=True/);
    expect(lines[2]).toMatch(/^circular \| Conv2d: padding_mode 'circular'; joulebench counts zero padding only/);
    expect(lines[3]).toMatch(/^empty \| .*a neuron module that follows no Linear \/ Conv2d \/ pooling module/);
  });
});

describe.skipIf(python === null)('recorder/joulebench_record.py on an ANN', () => {
  // dense 3 → 4 ReLU → dense 4 → 2, weights and inputs multiples of 1/4 (exact sums); PyTorch's [out][in]
  const W1 = [[0.5, -0.25, 0], [0, 0.75, -0.5], [-1, 0.25, 0.5], [0.25, 0, 0]];
  const W2 = [[1, -0.5, 0.25, 0], [0, 0.5, -0.75, 1]];
  const X = [[1, 0, 0.5], [0, 0.25, 0.75], [0.5, 0.5, 0]];
  const script = `${SCRIPT.slice(0, SCRIPT.indexOf('class Net(nn.Module):'))}
net = nn.Sequential(nn.Linear(3, 4, bias=False), nn.ReLU(), nn.Linear(4, 2, bias=False))
with torch.no_grad():
    net[0].weight.copy_(torch.tensor(${JSON.stringify(W1)}))
    net[2].weight.copy_(torch.tensor(${JSON.stringify(W2)}))
jr.write(jr.record(net, [(torch.tensor(${JSON.stringify(X)}), None)], network="ann", family="ann"), sys.argv[1])
`;
  const { file, doc } = recorded(script);

  it('records nonzero inputs and outputs, every MAC counted where the input is nonzero', () => {
    expect(doc).toMatchObject({ family: 'ann', timesteps: 1, samples: 3 });
    const [fc1, fc2] = doc.layers;
    expect(fc1).toMatchObject({ kind: 'dense', neuron: 'relu', weights: 12, nonzeroWeights: 8 });
    expect(fc2).toMatchObject({ kind: 'dense', neuron: 'none', weights: 8, nonzeroWeights: 6 });
    // nonzero inputs 2, 2, 2 → mean 2; each reaches 4 outputs
    expect(fc1.activity.inputEvents).toBe(2);
    expect(fc1.activity.synapticOps).toBe(8);
    // fc1 outputs after ReLU: x1 = [1, 0, .5] → [.5, −.25, −.75, .25] → 2 nonzero; x2 = [0, .25, .75] →
    // [−.0625, −.1875, .4375, 0] → 1; x3 = [.5, .5, 0] → [.125, .375, −.375, .125] → 3: mean 2
    expect(fc1.activity.outputEvents).toBe(2);
    expect(fc2.activity.inputEvents).toBe(2);
  });

  it('prices to the energy of joulebench\'s dense ANN on the same inputs', () => {
    const dense = (name: string, w: number[][], activation: 'relu' | 'identity'): DenseLayer => {
      const weight = new Float32Array(w.length * w[0].length);
      w.forEach((row, o) => row.forEach((v, i) => (weight[i * w.length + o] = v)));
      return { kind: 'dense', name, inFeatures: w[0].length, outFeatures: w.length, weight, bias: new Float32Array(w.length), activation };
    };
    const samples = { id: 'ann/x', count: 3, shape: [3], inputs: Float32Array.from(X.flat()), labels: new Uint8Array(3), classes: 2 };
    const original = createAnn({ id: 'ann', inputShape: [3], layers: [dense('fc1', W1, 'relu'), dense('fc2', W2, 'identity')] }).run(samples).ledger;
    expectSameAsRun(original, activityToLedger(parseActivity(doc, file)).ledger);
  });
});

describe.skipIf(python === null)('recorder/example.py, the README\'s runnable recording', () => {
  it('records its LIF net on an exported-style .npz and the file prices: 2 layers, 200 samples, T = 16', async () => {
    const dir = tempDir('recorder-example');
    const x = new Float32Array(200 * 784).map((_, i) => ((i * 37) % 101) / 100);
    writeFileSync(join(dir, 'data.npz'), npzBytes({ x: { dtype: 'float32', shape: [200, 784], data: x }, y: { dtype: 'int64', shape: [200], data: new Array<number>(200).fill(0) } }));
    const r = spawnSync(python!, [join(RECORDER, 'example.py'), 'data.npz', 'activity.json'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/wrote activity\.json: 2 layers, 200 samples, T = 16/);
    const doc = parseActivity(JSON.parse(readFileSync(join(dir, 'activity.json'), 'utf8')), 'activity.json');
    expect(doc.layers.map((l) => [l.kind, l.neuron])).toEqual([['dense', 'lif'], ['dense', 'lif']]);
    const priced = await runCli(['price', 'activity.json', '-c', 'ops-only-45nm', '--mc-samples', '0', '-q', '-o', 'out'], dir);
    expect(priced.stderr).toBe('');
    expect(priced.code).toBe(0);
  });
});
