// NIR benchmark (not a test): a 5-layer spiking conv net of N-MNIST size (2×34×34 input frames,
// T = 300 steps) written to a .nir file, read back, converted and run by the graph engine
// (harness/backends/snn-graph.ts, counting everything; its TypeScript and WebAssembly kernels), against a plain PyTorch loop of the same
// discretized network (Debian's python3-torch, bench/nir_nmnist_torch.py: conv2d / avg_pool2d /
// linear and the LIF/IF updates per step on a batch), the loop a user would otherwise write. Prints
// images/s, the ratio, and how many output spike counts agree.
// Usage: node dist/bench/nir-nmnist.js [samples=16] [T=300] [--threads N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createSnnGraph } from '../harness/backends/snn-graph.js';
import type { SampleSet } from '../harness/data.js';
import type { Conv2dLayer, DenseLayer } from '../harness/model.js';
import { createRng } from '../core/rng.js';
import type { NirEdge, NirGraph, NirNode, NirTensor } from '../workloads/nir/graph.js';
import { readNirBytes } from '../workloads/nir/read.js';
import { nirToGraph } from '../workloads/nir/to-graph.js';
import { writeNirBytes } from '../workloads/nir/write.js';

const args = process.argv.slice(2);
const positional = args.filter((a) => /^\d+$/.test(a)).map(Number);
const samples = positional[0] ?? 16;
const T = positional[1] ?? 300;
const threads = args.includes('--threads') ? Number(args[args.indexOf('--threads') + 1]) : 1;

const rng = createRng(2024);
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const random = (shape: number[], scale: number, bias = 0): NirTensor => ({ shape, data: Float64Array.from({ length: size(shape) }, () => bias + scale * (2 * rng.next() - 1)) });
const fill = (shape: number[], v: number): NirTensor => ({ shape, data: new Float64Array(size(shape)).fill(v) });
const lif = (shape: number[]): NirNode => ({ type: 'LIF', tau: fill(shape, 0.02), r: fill(shape, 1), v_leak: fill(shape, 0), v_threshold: fill(shape, 0.05), v_reset: fill(shape, 0) });
const ifNode = (shape: number[], theta: number): NirNode => ({ type: 'IF', r: fill(shape, 1000), v_threshold: fill(shape, theta), v_reset: fill(shape, 0) });

// conv1 2→12 5×5 (34 → 30) → LIF; SumPool 2 (→ 15) → IF; conv2 12→32 5×5 (→ 11) → LIF; SumPool 2 (→ 5) → IF; Flatten → Affine 800 → 10 → LIF
const nodes: [string, NirNode][] = [
  ['input', { type: 'Input', shape: [2, 34, 34] }],
  ['conv1', { type: 'Conv2d', weight: random([12, 2, 5, 5], 0.6, 0.1), bias: fill([12], 0), stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }],
  ['lif1', lif([12, 30, 30])],
  ['pool1', { type: 'SumPool2d', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0] }],
  ['if1', ifNode([12, 15, 15], 1.5)],
  ['conv2', { type: 'Conv2d', weight: random([32, 12, 5, 5], 0.25, 0.02), bias: fill([32], 0), stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }],
  ['lif2', lif([32, 11, 11])],
  ['pool2', { type: 'SumPool2d', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0] }],
  ['if2', ifNode([32, 5, 5], 1.5)],
  ['flat', { type: 'Flatten', start_dim: 0, end_dim: -1 }],
  ['fc', { type: 'Affine', weight: random([10, 800], 0.05, 0), bias: fill([10], 0) }],
  ['lif3', lif([10])],
  ['output', { type: 'Output', shape: [10] }],
];
const graph: NirGraph = { nodes: new Map(nodes), edges: nodes.slice(1).map(([id], i) => [nodes[i][0], id] as NirEdge) };

// N-MNIST-like input: about 4,000 events over 300 ms on 2×34×34 pixels, binned at 1 ms: ~0.6 % of the frame per step
const frame = 2 * 34 * 34;
const inputs = new Float32Array(samples * T * frame);
for (let i = 0; i < inputs.length; i++) inputs[i] = rng.next() < 0.006 ? 1 : 0;
const set: SampleSet = { id: 'nmnist-like', count: samples, shape: [T, 2, 34, 34], inputs, labels: new Uint8Array(samples), classes: 10 };

const bytes = await writeNirBytes(graph, '0.2.0');
const tRead = performance.now();
const file = await readNirBytes(bytes, 'bench.nir');
const net = nirToGraph(file, 1e-3);
const readMs = performance.now() - tRead;
const timed = (kernel: 'js' | 'wasm') => {
  const backend = createSnnGraph(net.graph, { timesteps: T, input: 'frames', kernel });
  backend.run({ ...set, count: 1, inputs: inputs.subarray(0, T * frame), labels: set.labels.subarray(0, 1) }); // warm-up
  const t0 = performance.now();
  const r = backend.run(set);
  return { run: r, ms: performance.now() - t0 };
};
const reference = timed('js');
const { run, ms } = timed('wasm');
if (JSON.stringify(run.ledger.layers) !== JSON.stringify(reference.run.ledger.layers)) throw new Error('the WebAssembly kernels counted differently from the reference');
const out = run.ledger.layers.find((l) => l.name === 'fc')!;

// The same folded network for PyTorch: weights in torch's layouts, per-step decay, thresholds, pooling as window means.
const dir = mkdtempSync(join(tmpdir(), 'joulebench-bench-nir-'));
const save = (name: string, data: Float32Array) => writeFileSync(join(dir, `${name}.f32`), data);
const meta: Record<string, unknown> = { samples, T, threads, groups: [] as unknown[] };
net.graph.synapses.forEach((s, i) => {
  const l = s.layer;
  if (l.kind === 'conv2d') save(`w${i}`, convToTorch(l));
  else if (l.kind === 'dense') save(`w${i}`, denseToTorch(l));
});
for (const g of net.graph.groups) {
  (meta.groups as unknown[]).push({ name: g.name, beta: g.dynamics.beta[0], threshold: g.dynamics.threshold[0], bias: g.dynamics.bias[0], model: g.dynamics.model });
}
save('inputs', inputs);
writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
const script = resolve(import.meta.dirname, '..', '..', 'bench', 'nir_nmnist_torch.py');
let torch: { ms: number; counts: number[] } | null = null;
try {
  torch = JSON.parse(execFileSync('/usr/bin/python3', [script, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as { ms: number; counts: number[] };
} catch (e) {
  console.error(`PyTorch reference not run (${(e as Error).message.split('\n')[0]}); install Debian's python3-torch`);
}
rmSync(dir, { recursive: true, force: true });

const ips = (msTotal: number) => (samples / msTotal) * 1000;
console.log(`NIR conv net 2×34×34 → 12c5 → pool → 32c5 → pool → 10, T = ${T}, ${samples} samples of N-MNIST-like frames (0.6 % events per step)`);
console.log(`read + convert the .nir file: ${readMs.toFixed(0)} ms`);
console.log(`joulebench graph engine, reference TypeScript kernels (counting): ${reference.ms.toFixed(0)} ms, ${ips(reference.ms).toFixed(2)} images/s`);
console.log(`joulebench graph engine, WebAssembly kernels (counting, same ledger): ${ms.toFixed(0)} ms, ${ips(ms).toFixed(2)} images/s; output spikes per sample ${out.activity.outputEvents.mean.toFixed(1)}`);
if (torch) {
  console.log(`PyTorch ${threads}-thread loop (batch ${samples}): ${torch.ms.toFixed(0)} ms, ${ips(torch.ms).toFixed(2)} images/s; output spikes per sample ${(torch.counts.reduce((a, b) => a + b, 0) / samples).toFixed(1)}`);
  console.log(`joulebench / PyTorch wall time: ${(ms / torch.ms).toFixed(2)}×`);
  // per-sample output spikes are not in the ledger (means only): compare the totals
  console.log(`output spikes, total: joulebench ${(out.activity.outputEvents.mean * samples).toFixed(0)}, PyTorch ${torch.counts.reduce((a, b) => a + b, 0)}`);
}
console.log(`spike rate per neuron and step: ${run.ledger.layers.map((l) => `${l.name} ${(100 * l.activity.outputRate.mean).toFixed(1)} %`).join(', ')}`);

function convToTorch(l: Conv2dLayer): Float32Array {
  const [kh, kw] = l.kernel;
  const out = new Float32Array(l.weight.length);
  for (let k = 0; k < l.outChannels; k++) {
    for (let c = 0; c < l.inChannels; c++) {
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) out[((k * l.inChannels + c) * kh + y) * kw + x] = l.weight[((c * kh + y) * kw + x) * l.outChannels + k];
    }
  }
  return out;
}

function denseToTorch(l: DenseLayer): Float32Array {
  const out = new Float32Array(l.weight.length);
  for (let i = 0; i < l.inFeatures; i++) for (let o = 0; o < l.outFeatures; o++) out[o * l.inFeatures + i] = l.weight[i * l.outFeatures + o];
  return out;
}
