// Long-horizon benchmark (not a test; issue 15): a sparse network simulated for 1 s of biological time
// at dt = 0.1 ms — 784 Poisson inputs at 10 Hz → 256 LIF → 10 LIF (τ = 20 ms, β = e^{−dt/τ}), 10,000
// steps, one sample — on the reference TypeScript kernels and on the WebAssembly kernels (the same
// ledger). Prints synaptic events per second of wall time; issue 15's target is 13.5 M/s (what Brian2's
// C++ standalone mode reaches on this machine kind). Usage: node dist/bench/long-horizon.js [steps=10000]
import { createSnn } from '../harness/backends/snn.js';
import type { SpikingModel } from '../harness/convert.js';
import type { SampleSet } from '../harness/data.js';
import type { DenseLayer } from '../harness/model.js';
import type { NeuronParams } from '../harness/neurons.js';
import { createRng } from '../core/rng.js';

const steps = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10000);
const dt = 1e-4;
const rng = createRng(11);
const dense = (name: string, inF: number, outF: number, hi: number): DenseLayer => ({
  kind: 'dense', name, inFeatures: inF, outFeatures: outF, weight: Float32Array.from({ length: inF * outF }, () => hi * rng.next()), bias: new Float32Array(outF), activation: 'relu',
});
const model: SpikingModel = {
  id: 'poisson-784-256-10', inputShape: [784],
  layers: [{ layer: dense('hidden', 784, 256, 0.02), spiking: true, threshold: 1 }, { layer: dense('out', 256, 10, 0.05), spiking: true, threshold: 1 }],
  conversion: { method: 'given', calibrationSamples: 0, scales: [1, 1] },
};
const neuron: NeuronParams = { model: 'lif', reset: 'zero', beta: Math.exp(-dt / 0.02), alpha: 0, refractory: 0 };
// every input fires with probability rate·dt per step (Bernoulli: the rate encoder of x = 10 Hz · 0.1 ms)
const sample: SampleSet = { id: 'poisson-10Hz', count: 1, shape: [784], inputs: new Float32Array(784).fill(10 * dt), labels: new Uint8Array(1), classes: 10 };

console.log(`784 Poisson inputs (10 Hz) → 256 LIF → 10 LIF, dt = 0.1 ms, ${steps} steps (${(steps * dt).toFixed(1)} s), batch 1, node ${process.version}`);
const results: { kernel: string; execution: string; ms: number; events: number }[] = [];
for (const [kernel, execution] of [['js', 'time-stepped'], ['wasm', 'time-stepped'], ['js', 'event-driven'], ['wasm', 'event-driven']] as const) {
  const backend = createSnn(model, { timesteps: steps, seed: 1, neuron, coding: 'rate', kernel, execution });
  backend.run(sample); // warm-up
  let best = Infinity;
  let events = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const run = backend.run(sample);
    best = Math.min(best, performance.now() - t0);
    events = run.ledger.layers.reduce((a, l) => a + l.activity.synOps.mean, 0);
  }
  results.push({ kernel, execution, ms: best, events });
}
for (const r of results) {
  console.log(`${r.kernel.padEnd(5)} kernels, ${r.execution.padEnd(12)}: ${r.ms.toFixed(1)} ms, ${(r.events / 1e6).toFixed(2)} M synaptic events, ${((r.events / r.ms) * 1e3 / 1e6).toFixed(1)} M events/s (target 13.5)`);
}
if (results.some((r) => r.events !== results[0].events)) throw new Error('the kernels or executions counted different synaptic events');
