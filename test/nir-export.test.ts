// A harness SNN written as NIR (workloads/nir/from-snn.ts) and read back by `nirToGraph`: the graph
// engine then reproduces createSnn (direct coding) spike for spike and count for count — IF, LIF and
// CUBA, a dense chain and a conv/pool chain; `joulebench export` writes the NIR file, the ONNX file and
// the .npz data that NumPy and h5py read, and `run --nir` on them gives the results of `run --coding
// direct`; the threshold mapping by hand; every refusal.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import { createSnn } from '../harness/backends/snn.js';
import { createSnnGraph } from '../harness/backends/snn-graph.js';
import type { SpikingModel } from '../harness/convert.js';
import type { SampleSet } from '../harness/data.js';
import type { Conv2dLayer, DenseLayer, Pool2dLayer } from '../harness/model.js';
import type { NeuronParams } from '../harness/neurons.js';
import { readResultsFile } from '../reports/results-schema.js';
import { nirThresholdOf, snnToNir } from '../workloads/nir/from-snn.js';
import { readNirBytes } from '../workloads/nir/read.js';
import { nirToGraph } from '../workloads/nir/to-graph.js';
import { writeNirBytes } from '../workloads/nir/write.js';
import { runCli, tempDir } from './cli-helpers.js';
import { pythonWith } from './python.js';

const rand = (n: number, seed: number, lo: number, hi: number) => {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r.next());
};

describe('nirThresholdOf: the largest float32 below the smallest float32 ≥ θ', () => {
  it('by hand', () => {
    // 1 is a float32: the float32 below it is 1 − 2⁻²⁴
    expect(nirThresholdOf(1)).toBe(1 - 2 ** -24);
    // 0.1 is not: the smallest float32 ≥ 0.1 is 13421773·2⁻²⁷ = 0.100000001490116…, the one below it 13421772·2⁻²⁷
    expect(nirThresholdOf(0.1)).toBe(13421772 * 2 ** -27);
    expect(nirThresholdOf(-1)).toBe(-(1 + 2 ** -23));
  });
});

// A conv/pool/dense chain on a 1×6×6 input: conv 3×3 pad 1 (1 → 2) → grouped dilated conv → avgpool 2 → dense 36 → 3 (read-out)
const conv: Conv2dLayer = { kind: 'conv2d', name: 'conv', inChannels: 1, outChannels: 2, inputHW: [6, 6], kernel: [3, 3], stride: [1, 1], padding: [1, 1], weight: rand(18, 1, -0.3, 0.6), bias: rand(2, 2, -0.05, 0.1), activation: 'relu' };
// a grouped, dilated conv after it (2 → 4 channels, groups 2, dilation 2, padding 2: 6×6 stays 6×6)
const grouped: Conv2dLayer = { kind: 'conv2d', name: 'grouped', inChannels: 2, outChannels: 4, groups: 2, dilation: [2, 2], inputHW: [6, 6], kernel: [3, 3], stride: [1, 1], padding: [2, 2], weight: rand(2 * 9 * 2, 9, -0.2, 0.5), bias: rand(4, 10, -0.05, 0.1), activation: 'relu' };
const pool: Pool2dLayer = { kind: 'avgpool2d', name: 'pool', channels: 4, inputHW: [6, 6], kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
const fc: DenseLayer = { kind: 'dense', name: 'fc', inFeatures: 36, outFeatures: 3, weight: rand(108, 3, -0.5, 0.8), bias: rand(3, 4, -0.1, 0.1), activation: 'identity' };
const cnn: SpikingModel = {
  id: 'tiny-cnn', inputShape: [1, 6, 6],
  layers: [{ layer: conv, spiking: true, threshold: 0.7 }, { layer: grouped, spiking: true, threshold: 0.5 }, { layer: pool, spiking: true, threshold: 0.4 }, { layer: fc, spiking: false, threshold: 1 }],
  conversion: { method: 'given', calibrationSamples: 0, scales: [1, 1, 1, 1] },
};
const fc1: DenseLayer = { kind: 'dense', name: 'fc1', inFeatures: 5, outFeatures: 6, weight: rand(30, 5, -0.4, 0.9), bias: rand(6, 6, -0.1, 0.1), activation: 'relu' };
const fc2: DenseLayer = { kind: 'dense', name: 'fc2', inFeatures: 6, outFeatures: 3, weight: rand(18, 7, -0.6, 0.6), bias: rand(3, 8, -0.1, 0.1), activation: 'identity' };
const mlp: SpikingModel = {
  id: 'tiny-mlp', inputShape: [5],
  layers: [{ layer: fc1, spiking: true, threshold: 1 }, { layer: fc2, spiking: false, threshold: 1 }],
  conversion: { method: 'given', calibrationSamples: 0, scales: [1, 1] },
};
const samplesOf = (shape: number[], n: number, seed: number): SampleSet => {
  const size = shape.reduce((a, b) => a * b, 1);
  return { id: 'random', count: n, shape, inputs: rand(n * size, seed, 0, 1), labels: new Uint8Array(n), classes: 3 };
};

describe('snnToNir → NIR file → nirToGraph runs as createSnn does (direct coding, T = 12)', () => {
  const neurons: NeuronParams[] = [
    { model: 'if', reset: 'subtract', beta: 1, alpha: 0, refractory: 0 },
    { model: 'lif', reset: 'zero', beta: 0.85, alpha: 0, refractory: 0 },
    { model: 'cuba', reset: 'subtract', beta: 0.9, alpha: 0.6, refractory: 0 },
  ];
  for (const [net, shape] of [[mlp, [5]], [cnn, [1, 6, 6]]] as const) {
    for (const neuron of neurons) {
      it(`${net.id}, ${neuron.model}, reset ${neuron.reset}`, async () => {
        const file = await readNirBytes(await writeNirBytes(snnToNir(net, neuron, { dt: 1e-3 }), '0.2.0'), 'x.nir');
        const graph = nirToGraph(file, 1e-3, { reset: neuron.reset === 'subtract' ? 'subtract' : 'to-v-reset' }).graph;
        const set = samplesOf([...shape], 20, 11);
        const a = createSnn(net, { timesteps: 12, seed: 1, neuron, coding: 'direct' }).run(set);
        const b = createSnnGraph(graph, { timesteps: 12, input: 'direct' }).run(set);
        expect(Array.from(b.predictions)).toEqual(Array.from(a.predictions));
        expect(b.ledger.layers.map((l) => l.name)).toEqual(a.ledger.layers.map((l) => l.name));
        b.ledger.layers.forEach((l, i) => {
          const m = a.ledger.layers[i];
          expect(l.perTimestep, l.name).toEqual(m.perTimestep);
          expect(l.activity.synOps, l.name).toEqual(m.activity.synOps);
          expect(l.compute, l.name).toEqual(m.compute);
          expect(l.memory, l.name).toEqual(m.memory);
        });
        // some spikes, not all: the comparison is not vacuous
        const spikes = a.ledger.layers[0].activity.outputEvents.mean;
        expect(spikes).toBeGreaterThan(0);
        expect(spikes).toBeLessThan(12 * a.ledger.layers[0].geometry.neurons);
      });
    }
  }

  it('refuses what NIR cannot express: a refractory period, a LIF without leak, CUBA without current memory', () => {
    const refuse = (neuron: NeuronParams, pattern: RegExp) => {
      expect(() => snnToNir(mlp, neuron)).toThrow(InputError);
      expect(() => snnToNir(mlp, neuron)).toThrow(pattern);
    };
    refuse({ model: 'if', reset: 'zero', beta: 1, alpha: 0, refractory: 2 }, /refractory: 2 steps: NIR neurons have no refractory period/);
    refuse({ model: 'lif', reset: 'zero', beta: 1, alpha: 0, refractory: 0 }, /beta: β = 1 \(no leak\) has no LIF time constant; export it as an IF network/);
    refuse({ model: 'cuba', reset: 'zero', beta: 0.9, alpha: 0, refractory: 0 }, /alpha: α = 0/);
  });
});

describe('joulebench export', () => {
  const cwd = tempDir('nir-export');

  it('writes NIR, ONNX and .npz files that h5py and NumPy read; run --nir on them gives run --coding direct\'s results', async () => {
    const r = await runCli(['export', '--workload', 'mnist-mlp', '--nir', 'mlp.nir', '--onnx', 'mlp.onnx', '--data', 'test.npz', '--samples', '60', '--calibration-samples', '200'], cwd);
    expect(r.stderr).toMatch(/the ANN converted to if neurons/);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(3);
    const python = pythonWith('numpy', 'h5py');
    if (python !== null) {
      const seen = execFileSync(python, ['-c', 'import numpy as np, h5py, json; d = np.load("test.npz"); f = h5py.File("mlp.nir"); print(json.dumps([list(d["x"].shape), str(d["x"].dtype), int(d["y"][0]), sorted(f["node/nodes"].keys()), f["version"][()].decode()]))'], { cwd, encoding: 'utf8' });
      // the first MNIST test digit is a 7
      expect(JSON.parse(seen)).toEqual([[60, 784], 'float32', 7, ['fc1', 'fc1_if', 'fc2', 'fc2_readout', 'input', 'output'], '0.2.0']);
    }
    const common = ['-T', '6', '-c', 'ops-only-45nm', 'neuromorphic-core-45nm', '--mc-samples', '0', '-q'];
    const nir = await runCli(['run', '--nir', 'mlp.nir', '--dt', '0.001', '--nir-reset', 'subtract', '--inputs', 'test.npz:x', '--labels', 'test.npz:y', ...common, '-o', 'nir-run'], cwd);
    expect(nir.stderr).toBe('');
    const own = await runCli(['run', '-w', 'mnist-mlp', '-b', 'snn', '--coding', 'direct', '-n', '60', '--calibration-samples', '200', ...common, '-o', 'own-run'], cwd);
    expect(own.code).toBe(0);
    const a = readResultsFile({ path: join(cwd, 'nir-run', 'results.json'), field: 'test', what: 'results' }).configurations[0];
    const b = readResultsFile({ path: join(cwd, 'own-run', 'results.json'), field: 'test', what: 'results' }).configurations[0];
    expect(a.accuracy).toBe(b.accuracy);
    expect(a.ledger.layers.map((l) => [l.name, l.compute, l.memory, l.activity.outputEvents])).toEqual(b.ledger.layers.map((l) => [l.name, l.compute, l.memory, l.activity.outputEvents]));
    expect(a.energy.map((e) => e.totalJ)).toEqual(b.energy.map((e) => e.totalJ));
    // the NIR graph beside the ANN it replaces (the exported ONNX) on the same inputs: one document with
    // the ANN's accuracy of a built-in run, and the comparisons and break-even of a run
    const both = await runCli(['run', '--nir', 'mlp.nir', '--onnx', 'mlp.onnx', '--dt', '0.001', '--nir-reset', 'subtract', '--inputs', 'test.npz:x', '--labels', 'test.npz:y', ...common, '-o', 'both-run'], cwd);
    expect(both.stderr).toBe('');
    const annOwn = await runCli(['run', '-w', 'mnist-mlp', '-b', 'ann-dense', '-n', '60', ...common, '-o', 'ann-run'], cwd);
    expect(annOwn.code).toBe(0);
    const d = readResultsFile({ path: join(cwd, 'both-run', 'results.json'), field: 'test', what: 'results' });
    const annRef = readResultsFile({ path: join(cwd, 'ann-run', 'results.json'), field: 'test', what: 'results' }).configurations[0];
    expect(d.configurations.map((c) => c.id)).toEqual(['ann-dense', 'snn-nir-T6']);
    expect(d.configurations[0].accuracy).toBe(annRef.accuracy);
    expect(d.configurations[0].energy.map((e) => e.totalJ)).toEqual(annRef.energy.map((e) => e.totalJ));
    // ops-only prices both families; neuromorphic-core prices only the SNN, so it pairs with nothing here
    expect(d.comparisons.map((c) => [c.profile, c.snn, c.ann])).toEqual([['ops-only-45nm', 'snn-nir-T6', 'ann-dense']]);
    expect(d.analysis.pairs.map((p) => [p.snnProfile, p.annProfile, p.snn])).toEqual([['ops-only-45nm', 'ops-only-45nm', 'snn-nir-T6']]);
    // the same arrays give the same archive bytes (a fixed zip time stamp)
    const before = readFileSync(join(cwd, 'test.npz'));
    await runCli(['export', '--workload', 'mnist-mlp', '--data', 'test.npz', '--samples', '60', '--force'], cwd);
    expect(readFileSync(join(cwd, 'test.npz')).equals(before)).toBe(true);
  });

  it.each([
    [[], /export: give at least one of --nir FILE\.nir, --onnx FILE\.onnx, --data FILE\.npz/],
    [['--nir', 'exists.nir'], /--nir exists\.nir: exists; add --force to replace it/],
    [['--nir', 'a.nir', '--workload', 'nope'], /--workload/],
    [['--nir', 'a.nir', '--dt', '0'], /--dt must be a finite number > 0/],
    [['--nir', 'a.nir', '--nir-version', '1.0.0'], /--nir-version: 1\.0\.0 is not a NIR format joulebench writes/],
    [['--nir', 'a.nir', '--coding', 'rate'], /Unknown argument: coding/],
    [['--nir', 'a.nir', '--neuron', 'lif', '--beta', '1'], /--beta/],
  ])('refuses %j in one line, exit 2, nothing written', async (extra, message) => {
    writeFileSync(join(cwd, 'exists.nir'), 'keep');
    const r = await runCli(['export', ...extra], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(cwd, 'a.nir'))).toBe(false);
    expect(readFileSync(join(cwd, 'exists.nir'), 'utf8')).toBe('keep');
  });
});
