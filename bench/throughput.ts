// Throughput benchmark (not a test): images per second of the instrumented backends on the MNIST MLP
// and a LeNet-5-shaped CNN, against references measured in the same run — an uninstrumented forward
// pass of the same model ("counters off") and a plain dense matrix-product loop. Prints ratios, so
// the figures compare across machines. Usage: node dist/bench/throughput.js [images] [--only mlp|cnn|vgg]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { runBackend } from '../harness/backend.js';
import { createAnn } from '../harness/backends/ann.js';
import { createAnnOrt } from '../harness/backends/ann-ort.js';
import { exportOnnx } from '../harness/onnx/export.js';
import { createSnn, wasmRuns } from '../harness/backends/snn.js';
import { DEFAULT_NEURON } from '../harness/neurons.js';
import { convertToSnn } from '../harness/convert.js';
import type { SampleSet } from '../harness/data.js';
import { takeSamples } from '../harness/data.js';
import { predictAll } from '../harness/forward.js';
import type { DenseLayer, Layer, Model } from '../harness/model.js';
import type { SpikingModel } from '../harness/convert.js';
import { createRng } from '../core/rng.js';
import { loadImageDataset } from '../workloads/datasets/idx-images.js';
import { WORKLOADS } from '../workloads/registry.js';

const args = process.argv.slice(2);
const images = Number(args.find((a) => /^\d+$/.test(a)) ?? 2000);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
// --fast: only the references (raw onnxruntime, PyTorch) and the fast kernels, not the slow TypeScript rows
const fastOnly = args.includes('--fast');
const timesteps = args.includes('-T') ? args[args.indexOf('-T') + 1].split(',').map(Number) : [4, 32];

// --cpu: CPU time of the process (user + system, all threads) instead of wall time — robust to other load on
// a shared machine for single-threaded configurations (not for the 2-thread rows, which it sums)
const cpuClock = args.includes('--cpu');
const clock = (): number => {
  if (!cpuClock) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * The best of `repeats` runs, repeated further until the runs add up to `minTotalMs` (at most 50): on a shared
 * machine whose speed changes for seconds at a time, a short reference (raw onnxruntime: ~20 ms) would
 * otherwise get many more chances at a quiet moment than a long row; every row gets the same time budget.
 */
async function time(fn: () => unknown, repeats = 3, minTotalMs = 2000): Promise<number> {
  let best = Infinity;
  let total = 0;
  for (let r = 0; r < 50 && (r < repeats || total < minTotalMs); r++) {
    const t0 = clock();
    await fn();
    const ms = clock() - t0;
    best = Math.min(best, ms);
    total += ms;
  }
  return best;
}

/** Raw onnxruntime on the same model: one session, whole test set per call, final output only. */
async function rawOrt(model: Model, set: SampleSet, threads: number): Promise<number> {
  const session = await InferenceSession.create(exportOnnx(model), { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  const size = set.inputs.length / set.count;
  const ms = await time(async () => {
    for (let start = 0; start < set.count; start += 1000) {
      const n = Math.min(1000, set.count - start);
      await session.run({ input: new Tensor('float32', set.inputs.subarray(start * size, (start + n) * size), [n, ...model.inputShape]) });
    }
  });
  // released: a multi-threaded session's spin-waiting pool would otherwise slow the rows measured after it
  await session.release();
  return ms;
}

/** Plain dense i-k-j loops over the model's dense layers, no zero skipping, no counting: the arithmetic floor of a JS engine. */
function plainDense(model: Model, set: SampleSet): void {
  const size = set.inputs.length / set.count;
  for (let s = 0; s < set.count; s++) {
    let a = set.inputs.subarray(s * size, (s + 1) * size);
    for (const l of model.layers) {
      if (l.kind !== 'dense') throw new Error('plainDense: dense layers only');
      const y = new Float32Array(l.outFeatures);
      y.set(l.bias);
      for (let i = 0; i < l.inFeatures; i++) {
        const xi = a[i];
        const row = i * l.outFeatures;
        for (let j = 0; j < l.outFeatures; j++) y[j] += xi * l.weight[row + j];
      }
      if (l.activation === 'relu') for (let j = 0; j < y.length; j++) if (y[j] < 0) y[j] = 0;
      a = y;
    }
  }
}

/** LeNet-5 shape with seeded He-uniform weights (throughput depends on shape and activity, not on training). */
function lenetShaped(): Model {
  const rng = createRng(5);
  const w = (n: number, fanIn: number) => Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * Math.sqrt(6 / fanIn));
  const layers: Layer[] = [
    { kind: 'conv2d', name: 'conv1', inChannels: 1, outChannels: 6, inputHW: [28, 28], kernel: [5, 5], stride: [1, 1], padding: [2, 2], weight: w(150, 25), bias: new Float32Array(6), activation: 'relu' },
    { kind: 'avgpool2d', name: 'pool1', channels: 6, inputHW: [28, 28], kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
    { kind: 'conv2d', name: 'conv2', inChannels: 6, outChannels: 16, inputHW: [14, 14], kernel: [5, 5], stride: [1, 1], padding: [0, 0], weight: w(2400, 150), bias: new Float32Array(16), activation: 'relu' },
    { kind: 'avgpool2d', name: 'pool2', channels: 16, inputHW: [10, 10], kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
    { kind: 'dense', name: 'fc1', inFeatures: 400, outFeatures: 120, weight: w(48000, 400), bias: new Float32Array(120), activation: 'relu' },
    { kind: 'dense', name: 'fc2', inFeatures: 120, outFeatures: 84, weight: w(10080, 120), bias: new Float32Array(84), activation: 'relu' },
    { kind: 'dense', name: 'fc3', inFeatures: 84, outFeatures: 10, weight: w(840, 84), bias: new Float32Array(10), activation: 'identity' },
  ];
  return { id: 'lenet5-shaped', inputShape: [1, 28, 28], layers };
}

interface Row {
  readonly model: string;
  readonly config: string;
  readonly ms: number;
}

const test = takeSamples(loadImageDataset('mnist', 'test'), images);
const train = loadImageDataset('mnist', 'train');
const rows: Row[] = [];
const models: [string, Model][] = [];
if (only === undefined || only === 'mlp') models.push(['mlp 784-256-10', WORKLOADS.get('mnist-mlp')!.prepare(() => {}).model]);
// the small VGG only when asked (--only vgg): its reference SNN runs take minutes
if (only === 'vgg') models.push(['small vgg', WORKLOADS.get('mnist-vgg')!.prepare(() => {}).model]);
if (only === undefined || only === 'cnn') {
  const trained = WORKLOADS.get('mnist-lenet5');
  models.push(['lenet5', trained ? trained.prepare(() => {}).model : lenetShaped()]);
}
for (const [name, model] of models) {
  const snnModel = convertToSnn(model, takeSamples(train, 1000), { kind: 'percentile', percentile: 99.9 });
  if (!fastOnly && model.layers.every((l) => l.kind === 'dense')) rows.push({ model: name, config: 'plain dense loop (reference)', ms: await time(() => plainDense(model, test)) });
  for (const threads of [1, 2]) {
    rows.push({ model: name, config: `raw onnxruntime, ${threads} thread${threads > 1 ? 's' : ''} (reference)`, ms: await rawOrt(model, test, threads) });
  }
  const ort = createAnnOrt(model, { threads: 1 });
  await runBackend(ort, takeSamples(test, 10)); // session creation outside the timing
  rows.push({ model: name, config: 'ann-dense on onnxruntime, 1 thread (instrumented)', ms: await time(() => runBackend(ort, test)) });
  if (!fastOnly) rows.push({ model: name, config: 'ANN forward, counters off', ms: await time(() => predictAll(model, test)) });
  rows.push({ model: name, config: 'ann-dense (instrumented)', ms: await time(() => createAnn(model).run(test), fastOnly ? 1 : 3) });
  const torch = model.layers.every((l) => l.kind === 'dense') ? torchLoop(snnModel, test, timesteps) : null;
  for (const T of timesteps) {
    if (torch !== null) rows.push({ model: name, config: `snn T=${T}: PyTorch time-stepped loop, 1 thread, batch 1000 (reference)`, ms: torch[String(T)] });
    for (const execution of fastOnly ? [] : (['time-stepped', 'event-driven'] as const)) {
      rows.push({ model: name, config: `snn T=${T} ${execution}`, ms: await time(() => createSnn(snnModel, { timesteps: T, seed: 1, execution }).run(test), T === 32 ? 1 : 3) });
    }
    // the WebAssembly SIMD kernels (same ledger), where they run this network
    if (wasmRuns(snnModel)) {
      for (const execution of ['time-stepped', 'event-driven'] as const) {
        rows.push({ model: name, config: `snn T=${T} ${execution}, wasm kernels`, ms: await time(() => createSnn(snnModel, { timesteps: T, seed: 1, execution, kernel: 'wasm' }).run(test)) });
      }
    }
  }
}

const ref = new Map(rows.filter((r) => r.config === 'ann-dense (instrumented)').map((r) => [r.model, r.ms]));
console.log(`images: ${images} MNIST test images, best of 3 (1 for T=32), ${cpuClock ? 'CPU time of the process' : 'wall time'}, node ${process.version}, single thread unless stated`);
const raw1 = new Map(rows.filter((r) => r.config.startsWith('raw onnxruntime, 1 thread')).map((r) => [r.model, r.ms]));
for (const [m, ms] of raw1) {
  const inst = rows.find((r) => r.model === m && r.config.startsWith('ann-dense on onnxruntime'))!;
  console.log(`${m}: instrumented onnxruntime runs at ${(ms / inst.ms).toFixed(2)}× raw onnxruntime throughput (1 thread each)`);
}
console.log(['model', 'configuration', 'ms', 'images/s', '× ann-dense time', 'SNN budget 1.5·T·ANN'].join(' | '));
for (const r of rows) {
  const base = ref.get(r.model)!;
  const T = /T=(\d+)/.exec(r.config)?.[1];
  const budget = T ? `${(r.ms / (1.5 * Number(T) * base)).toFixed(2)} of budget; ${(r.ms / (1.5 * Number(T) * raw1.get(r.model)!)).toFixed(2)} of 1.5·T·raw onnxruntime` : '';
  console.log([r.model, r.config, r.ms.toFixed(0), ((images / r.ms) * 1000).toFixed(0), (r.ms / base).toFixed(2), budget].join(' | '));
}

/**
 * The same converted SNN stepped by a plain PyTorch loop (bench/snn_torch_loop.py, Debian's
 * python3-torch, one thread): ms per T, or null when PyTorch is not installed.
 */
function torchLoop(snn: SpikingModel, set: SampleSet, timesteps: number[]): Record<string, number> | null {
  const dir = mkdtempSync(join(tmpdir(), 'joulebench-bench-torch-'));
  try {
    writeFileSync(join(dir, 'images.f32'), set.inputs);
    const layers = snn.layers.map((sl, k) => {
      const l = sl.layer as DenseLayer;
      const w = new Float32Array(l.weight.length);
      for (let i = 0; i < l.inFeatures; i++) for (let o = 0; o < l.outFeatures; o++) w[o * l.inFeatures + i] = l.weight[i * l.outFeatures + o];
      writeFileSync(join(dir, `w${k}.f32`), w);
      writeFileSync(join(dir, `b${k}.f32`), l.bias);
      return { in: l.inFeatures, out: l.outFeatures, threshold: sl.threshold, spiking: sl.spiking };
    });
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ images: set.count, timesteps, layers }));
    const script = resolve(import.meta.dirname, '..', '..', 'bench', 'snn_torch_loop.py');
    return JSON.parse(execFileSync('/usr/bin/python3', [script, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, JB_CPU: cpuClock ? '1' : '0' } })) as Record<string, number>;
  } catch {
    console.error('PyTorch reference not run: install Debian\'s python3-torch');
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
