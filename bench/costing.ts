// Cost-model throughput (not a test): layer × profile evaluations per second when re-costing cached
// ledgers over many hardware points, the inner loop of a sweep. Reference in the same run: a plain
// loop summing the same ledgers' compute counts (the floor of touching the data at all).
// Usage: node dist/bench/costing.js [hardware points, default 1000]
import { costModelFor, getProfile } from '../cost-models/registry.js';
import type { HardwareProfile } from '../cost-models/profile.js';
import { takeSamples } from '../harness/data.js';
import type { Ledger } from '../harness/ledger.js';
import { BackendFactory, configurationId, runConfiguration } from '../harness/suite.js';
import type { ConfigurationSpec } from '../harness/suite.js';
import { DEFAULT_NEURON } from '../harness/neurons.js';
import { WORKLOADS } from '../workloads/registry.js';

const points = Number(process.argv[2] ?? 1000);
const prepared = WORKLOADS.get('mnist-mlp')!.prepare(() => {});
const factory = new BackendFactory(prepared.model, prepared.train, { kind: 'percentile', percentile: 99.9 }, 1000, 1);
const specs: ConfigurationSpec[] = [{ kind: 'ann-dense' }, ...[4, 8, 16, 32].map((T) => ({ kind: 'snn', timesteps: T, neuron: DEFAULT_NEURON, coding: 'rate', execution: 'time-stepped' }) as const)];
const test = takeSamples(prepared.test, 200);
const ledgers: Ledger[] = [];
for (const s of specs) ledgers.push((await runConfiguration(configurationId(s), factory.create(s), test)).ledger);
const layers = ledgers.reduce((n, l) => n + l.layers.length, 0);

// hardware points: the two built-in profiles with FIFO depths spread over the valid range
const base = [getProfile('ops-only-45nm'), getProfile('lemaire-2022')];
const profiles: HardwareProfile[] = Array.from({ length: points }, (_, i) => {
  const p = base[i % 2];
  return p.model === 'lemaire-2022' ? { ...p, parameters: { ...p.parameters, fifoEntries: { ...p.parameters.fifoEntries, value: 16 + i } } } : p;
});

function best(fn: () => number, repeats = 5): { ms: number; check: number } {
  let ms = Infinity;
  let check = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    check = fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, check };
}

const priced = best(() => {
  let total = 0;
  for (const p of profiles) {
    const model = costModelFor(p);
    for (const l of ledgers) total += model.price(l, p).totalJ;
  }
  return total;
});
const floor = best(() => {
  let total = 0;
  for (let i = 0; i < profiles.length; i++) for (const l of ledgers) for (const layer of l.layers) for (const c of layer.compute) total += c.count.mean;
  return total;
});
const evals = profiles.length * layers;
console.log(`${profiles.length} hardware points × ${ledgers.length} cached ledgers (${layers} layers) = ${evals} layer × profile evaluations`);
console.log(`price():  ${priced.ms.toFixed(1)} ms → ${((evals / priced.ms) * 1000).toExponential(2)} evaluations/s`);
console.log(`floor:    ${floor.ms.toFixed(1)} ms (touch every compute count once) → price() is ${(priced.ms / floor.ms).toFixed(1)}× the floor`);
