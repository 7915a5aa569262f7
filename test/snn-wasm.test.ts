// The SNN backend's WebAssembly SIMD kernels (wasm/snn.ts → wasm/snn.wasm, harness/kernels/wasm.ts)
// against the TypeScript reference kernels, which stay the oracle: the same predictions and every
// ledger count (spikes per step, synaptic ops, NeuroBench's effective ops and changed membranes) for
// IF, LIF and CUBA × reset × refractory × rate, latency and direct coding, dense, conv/pool and grouped
// dilated conv nets, widths that are not multiples of
// the 4 SIMD lanes, thresholds that are and are not float32 values, and the trained MNIST MLP; the
// committed .wasm is what its source builds to.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import type { Coding, Execution, SnnKernel } from '../harness/backends/snn.js';
import { createSnn, wasmRuns } from '../harness/backends/snn.js';
import type { SpikingModel } from '../harness/convert.js';
import { convertToSnn, parseNormMethod } from '../harness/convert.js';
import type { SampleSet } from '../harness/data.js';
import { takeSamples } from '../harness/data.js';
import type { Conv2dLayer, DenseLayer } from '../harness/model.js';
import { wasmInstanceCounts } from '../harness/kernels/wasm.js';
import type { NeuronParams } from '../harness/neurons.js';
import { WORKLOADS } from '../workloads/registry.js';
import { runCli, tempDir } from './cli-helpers.js';

const ROOT = resolve(import.meta.dirname, '..');

const rand = (n: number, seed: number, lo: number, hi: number) => {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r.next());
};
const dense = (name: string, inF: number, outF: number, seed: number, lo: number, hi: number): DenseLayer => ({
  kind: 'dense', name, inFeatures: inF, outFeatures: outF, weight: rand(inF * outF, seed, lo, hi), bias: rand(outF, seed + 1, -0.05, 0.1), activation: 'relu',
});

// 23 inputs → 37 (not a multiple of 4) → 6 → 10 read-out; thresholds 0.7 (not a float32) and 1
const net: SpikingModel = {
  id: 'odd', inputShape: [23],
  layers: [
    { layer: dense('fc1', 23, 37, 1, -0.2, 0.5), spiking: true, threshold: 0.7 },
    { layer: dense('fc2', 37, 6, 3, -0.3, 0.6), spiking: true, threshold: 1 },
    { layer: { ...dense('fc3', 6, 10, 5, -0.5, 0.8), activation: 'identity' }, spiking: false, threshold: 1 },
  ],
  conversion: { method: 'given', calibrationSamples: 0, scales: [1, 1, 1] },
};
const set: SampleSet = { id: 'random', count: 13, shape: [23], inputs: rand(13 * 23, 9, 0, 1), labels: new Uint8Array(13).map((_, i) => i % 10), classes: 10 };

// a conv net: [1, 6, 6] → conv 3×3 pad 1 → 5 channels (not a multiple of 4) → avgpool 2 → conv 3×3 pad 1 → 3 → dense 27 → 10
const conv = (name: string, C: number, K: number, HW: number, seed: number): Conv2dLayer => ({
  kind: 'conv2d', name, inChannels: C, outChannels: K, inputHW: [HW, HW], kernel: [3, 3], stride: [1, 1], padding: [1, 1],
  weight: rand(C * 9 * K, seed, -0.25, 0.6), bias: rand(K, seed + 1, -0.05, 0.1), activation: 'relu',
});
const cnn: SpikingModel = {
  id: 'small-cnn', inputShape: [1, 6, 6],
  layers: [
    { layer: conv('conv1', 1, 5, 6, 11), spiking: true, threshold: 0.6 },
    { layer: { kind: 'avgpool2d', name: 'pool', channels: 5, inputHW: [6, 6], kernel: [2, 2], stride: [2, 2], padding: [0, 0] }, spiking: true, threshold: 0.45 },
    { layer: conv('conv2', 5, 3, 3, 13), spiking: true, threshold: 1 },
    { layer: { ...dense('fc', 27, 10, 15, -0.5, 0.8), activation: 'identity' }, spiking: false, threshold: 1 },
  ],
  conversion: { method: 'given', calibrationSamples: 0, scales: [1, 1, 1, 1] },
};
const images: SampleSet = { id: 'random', count: 11, shape: [1, 6, 6], inputs: rand(11 * 36, 17, 0, 1), labels: new Uint8Array(11), classes: 10 };

const neuronsIf: NeuronParams = { model: 'if', reset: 'subtract', beta: 1, alpha: 0, refractory: 0 };

const run = (model: SpikingModel, samples: SampleSet, neuron: NeuronParams, coding: Coding, kernel: SnnKernel, T = 9, execution: Execution = 'time-stepped') =>
  createSnn(model, { timesteps: T, seed: 4, neuron, coding, kernel, execution }).run(samples);

describe('WebAssembly kernels ≡ TypeScript reference kernels', () => {
  const neurons: NeuronParams[] = [
    { model: 'if', reset: 'subtract', beta: 1, alpha: 0, refractory: 0 },
    { model: 'if', reset: 'zero', beta: 1, alpha: 0, refractory: 2 },
    { model: 'lif', reset: 'subtract', beta: 0.9, alpha: 0, refractory: 0 },
    { model: 'lif', reset: 'zero', beta: 0.85, alpha: 0, refractory: 1 },
    { model: 'cuba', reset: 'subtract', beta: 0.9, alpha: 0.5, refractory: 0 },
    { model: 'cuba', reset: 'zero', beta: 0.8, alpha: 0.3, refractory: 2 },
  ];
  /** Both kernels on one network: the same predictions and ledger layers; not vacuous: every spiking layer fires, the first neither silently nor at every step. */
  const same = (model: SpikingModel, samples: SampleSet, neuron: NeuronParams, coding: Coding, execution: Execution = 'time-stepped'): void => {
    expect(wasmRuns(model)).toBe(true);
    const ref = run(model, samples, neuron, coding, 'js', 9, execution);
    const fast = run(model, samples, neuron, coding, 'wasm', 9, execution);
    expect(Array.from(fast.predictions)).toEqual(Array.from(ref.predictions));
    expect(fast.ledger.layers).toEqual(ref.ledger.layers);
    expect(fast.ledger.backend.params.kernel).toBe('wasm');
    for (const l of ref.ledger.layers.filter((_, i) => model.layers[i].spiking)) expect(l.activity.outputEvents.mean, l.name).toBeGreaterThan(0);
    expect(ref.ledger.layers[0].activity.outputEvents.mean).toBeLessThan(9 * ref.ledger.layers[0].geometry.neurons);
  };
  for (const neuron of neurons) {
    for (const coding of ['rate', 'latency', 'direct'] as const) {
      for (const execution of ['time-stepped', 'event-driven'] as const) {
        const name = `${neuron.model}, reset ${neuron.reset}, refractory ${neuron.refractory}, ${coding} coding, ${execution}`;
        it(`conv/pool/dense net: ${name}`, () => same(cnn, images, neuron, coding, execution));
        it(`dense net: ${name}`, () => same(net, set, neuron, coding, execution));
      }
    }
  }

  it('a module instance released by a run serves the next chain as a fresh one (another network, another execution)', () => {
    const lif: NeuronParams = { model: 'lif', reset: 'zero', beta: 0.9, alpha: 0, refractory: 1 };
    const before = wasmInstanceCounts();
    for (const [model, samples, execution] of [[cnn, images, 'time-stepped'], [net, set, 'event-driven'], [cnn, images, 'event-driven'], [net, set, 'time-stepped']] as const) {
      const fast = run(model, samples, lif, 'rate', 'wasm', 9, execution);
      const ref = run(model, samples, lif, 'rate', 'js', 9, execution);
      expect(fast.ledger.layers, execution).toEqual(ref.ledger.layers);
      expect(Array.from(fast.predictions)).toEqual(Array.from(ref.predictions));
    }
    // not vacuous: the later chains ran on released instances
    expect(wasmInstanceCounts().reused - before.reused).toBeGreaterThanOrEqual(3);
  });

  it('the module spike test of a draw (r ≤ its bound) equals the reference test r / 2^32 < p, at every kind of p', () => {
    // the module compares an integer draw r with a bound instead of r / 2^32 < p; the bound must be the largest
    // r that spikes: bound / 2^32 < p and (bound + 1) / 2^32 ≥ p, in exact arithmetic (BigInt: p = m·2^e)
    // the project's lib has no DOM typings: Node 20's WebAssembly API, typed here as harness/kernels/wasm.ts does
    const WA = (globalThis as unknown as { readonly WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (m: object, imports: object) => { readonly exports: unknown } } }).WebAssembly;
    const instance = new WA.Instance(new WA.Module(readFileSync(join(ROOT, 'wasm', 'snn.wasm'))), { env: { abort: () => {} } });
    const bound = (instance.exports as { rateDrawBound(p: number): number }).rateDrawBound;
    /** r / 2^32 < p exactly, for a float32 p > 0: compare r·2^k with p·2^(32+k) as integers. */
    const spikes = (r: bigint, p: number): boolean => {
      let k = 0n;
      let m = p;
      while (!Number.isInteger(m)) { m *= 2; k++; }
      return r * 2n ** k < BigInt(m) * 2n ** 32n;
    };
    const ps = [0.5, 0.25, 0.75, 2 ** -24, 1 - 2 ** -24, 3 * 2 ** -10, 2 ** -149, 1e-30, 0.999, 2 ** -32, 3 * 2 ** -33, 1 / 255, 128 / 255, 254 / 255, 0.1, 1, 1.5, 3e38];
    for (const p0 of ps) {
      const p = Math.fround(p0);
      const b = BigInt(bound(p) >>> 0);
      expect(spikes(b, p), `p = ${p}: the bound spikes`).toBe(true);
      if (b < 0xffffffffn) expect(spikes(b + 1n, p), `p = ${p}: bound + 1 does not`).toBe(false);
      else expect(p).toBeGreaterThanOrEqual(1 - 2 ** -32); // saturated: every draw spikes
    }
  });

  it('rate coding in the module draws as the reference at probabilities on a draw boundary (p·2^32 whole), at 1 and above, and at the smallest float32s', () => {
    const edge = [0.5, 0.25, 0.75, 2 ** -24, 1 - 2 ** -24, 1, 1.5, 0, 3 * 2 ** -10, 2 ** -149, 1e-30, 0.999, 2 ** -32, 3 * 2 ** -33];
    const inputs = Float32Array.from({ length: 29 * 23 }, (_, i) => edge[(i * 7 + Math.floor(i / 23)) % edge.length]);
    const boundary: SampleSet = { id: 'boundary', count: 29, shape: [23], inputs, labels: new Uint8Array(29), classes: 10 };
    const ref = run(net, boundary, neuronsIf, 'rate', 'js', 40);
    const fast = run(net, boundary, neuronsIf, 'rate', 'wasm', 40);
    expect(fast.ledger.layers).toEqual(ref.ledger.layers);
    expect(Array.from(fast.predictions)).toEqual(Array.from(ref.predictions));
    // not vacuous: p = 1.5 and 1 spike at every step, p = 0 never, so per step the input carries more than the saturated inputs alone
    const perInput = ref.ledger.layers[0].activity.inputEvents.mean;
    expect(perInput).toBeGreaterThan(40 * (23 * 2) / edge.length);
    expect(perInput).toBeLessThan(40 * 23);
  });

  it('the trained MNIST MLP, converted, rate-coded at T = 16: identical on 150 test images', () => {
    const prepared = WORKLOADS.get('mnist-mlp')!.prepare(() => {});
    const snn = convertToSnn(prepared.model, takeSamples(prepared.train, 500), parseNormMethod('p99.9'));
    const test = takeSamples(prepared.test, 150);
    const neuron: NeuronParams = { model: 'if', reset: 'subtract', beta: 1, alpha: 0, refractory: 0 };
    const ref = run(snn, test, neuron, 'rate', 'js', 16);
    const fast = run(snn, test, neuron, 'rate', 'wasm', 16);
    expect(Array.from(fast.predictions)).toEqual(Array.from(ref.predictions));
    expect(fast.ledger.layers).toEqual(ref.ledger.layers);
  });

  it('event-driven execution visits fewer neurons than time-stepped, on both kernels alike (the counts differ from time-stepped, the spikes do not)', () => {
    const lif: NeuronParams = { model: 'lif', reset: 'subtract', beta: 0.9, alpha: 0, refractory: 1 };
    const stepped = run(cnn, images, lif, 'latency', 'wasm', 9, 'time-stepped');
    const ed = run(cnn, images, lif, 'latency', 'wasm', 9, 'event-driven');
    expect(Array.from(ed.predictions)).toEqual(Array.from(stepped.predictions));
    ed.ledger.layers.forEach((l, i) => expect(l.activity.outputEvents).toEqual(stepped.ledger.layers[i].activity.outputEvents));
    // latency coding: one input event per pixel at most, so neurons no event reaches (and that cannot change on their own) are skipped
    ed.ledger.layers.forEach((l, i) => expect(l.activity.updates.mean).toBeLessThanOrEqual(stepped.ledger.layers[i].activity.updates.mean));
    expect(ed.ledger.layers[0].activity.updates.mean).toBeLessThan(0.9 * stepped.ledger.layers[0].activity.updates.mean);
    expect(ed.ledger.backend.params.kernel).toBe('wasm');
  });

  // a grouped, dilated conv: 4 → 6 channels in 2 groups, dilation 2, padding 2 (6×6 stays 6×6)
  const grouped: SpikingModel = {
    id: 'grouped', inputShape: [1, 6, 6],
    layers: [
      { layer: conv('conv1', 1, 4, 6, 31), spiking: true, threshold: 0.6 },
      { layer: { ...conv('g', 4, 6, 6, 33), weight: rand(4 * 9 * 3, 33, -0.25, 0.6), groups: 2, dilation: [2, 2], padding: [2, 2] }, spiking: true, threshold: 0.7 },
      { layer: { kind: 'avgpool2d', name: 'pool', channels: 6, inputHW: [6, 6], kernel: [2, 2], stride: [2, 2], padding: [0, 0] }, spiking: true, threshold: 0.45 },
      { layer: { ...dense('fc', 54, 10, 35, -0.5, 0.8), activation: 'identity' }, spiking: false, threshold: 1 },
    ],
    conversion: { method: 'given', calibrationSamples: 0, scales: [1, 1, 1, 1] },
  };
  for (const neuron of [neuronsIf, { model: 'cuba', reset: 'zero', beta: 0.8, alpha: 0.4, refractory: 1 }] as NeuronParams[]) {
    for (const coding of ['rate', 'direct'] as const) {
      for (const execution of ['time-stepped', 'event-driven'] as const) {
        it(`grouped, dilated conv net: ${neuron.model}, ${coding} coding, ${execution}`, () => same(grouped, images, neuron, coding, execution));
      }
    }
  }
});

describe('threads: the samples split across worker threads', () => {
  const lif: NeuronParams = { model: 'lif', reset: 'subtract', beta: 0.9, alpha: 0, refractory: 0 };
  for (const kernel of ['js', 'wasm'] as const) {
    for (const threads of [2, 3]) {
      // 11 and 13 samples in 2 or 3 chunks: chunks of unequal size (5, 5, 3), one not dividing N
      it(`${kernel} kernels, ${threads} threads: the one-thread ledger and predictions (each sample keeps its coder stream)`, async () => {
        for (const [model, samples] of [[cnn, images], [net, set]] as const) {
          const one = createSnn(model, { timesteps: 7, seed: 4, neuron: lif, coding: 'rate', kernel }).run(samples);
          const backend = createSnn(model, { timesteps: 7, seed: 4, neuron: lif, coding: 'rate', kernel, threads });
          const many = await backend.runAsync!(samples);
          expect(Array.from(many.predictions)).toEqual(Array.from(one.predictions));
          expect(many.ledger).toEqual(one.ledger);
        }
      });
    }
  }
});

describe('wasm/snn.wasm', () => {
  it('is what `npm run build:wasm` builds from wasm/snn.ts (AssemblyScript, pinned; reproducible)', () => {
    const out = join(tempDir('wasm-build'), 'snn.wasm');
    execFileSync(join(ROOT, 'node_modules', '.bin', 'asc'), ['wasm/snn.ts', '-O3', '--noAssert', '--runtime', 'stub', '--enable', 'simd', '-o', out], { cwd: ROOT, stdio: 'pipe' });
    expect(readFileSync(out).equals(readFileSync(join(ROOT, 'wasm', 'snn.wasm')))).toBe(true);
    // the build command is the package script's
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['build:wasm']).toBe('asc wasm/snn.ts -O3 --noAssert --runtime stub --enable simd -o wasm/snn.wasm');
  });
});

describe('run --kernel fast --threads 2', () => {
  it('writes the same results.json as the reference kernels (ANN on onnxruntime, SNN on WebAssembly)', async () => {
    const cwd = tempDir('kernel-fast');
    const args = ['run', '-b', 'ann-dense', 'snn', '-T', '4', '8', '-n', '300', '--calibration-samples', '500', '-c', 'ops-only-45nm', 'neuromorphic-core-45nm', '--mc-samples', '50', '-q'];
    const a = await runCli([...args, '--kernel', 'js', '-o', 'js'], cwd);
    const b = await runCli([...args, '--kernel', 'fast', '--threads', '2', '-o', 'fast'], cwd);
    expect(a.code).toBe(0);
    expect(b.stderr).toBe('');
    // the same document but for the record of which kernels ran (backend.params.kernel: onnxruntime, wasm)
    const read = (dir: string) => readFileSync(join(cwd, dir, 'results.json'), 'utf8');
    const unkernel = (text: string) => text.replace(/,\n\s*"kernel": "(onnxruntime|wasm)"/g, '');
    expect(read('fast')).toMatch(/"kernel": "wasm"/);
    expect(unkernel(read('fast'))).toBe(read('js'));
  });
});
