// Cost-model throughput (not a test): layer × profile evaluations per second when re-costing cached
// ledgers over many hardware points, the inner loop of a sweep. Reference in the same run: a plain
// loop summing the same ledgers' compute counts (the floor of touching the data at all).
// Usage: node dist/bench/costing.js [hardware points, default 1000]
import { builtinProfileIds, costModelFor, getProfile } from '../cost-models/registry.js';
import { priceLedger } from '../study/pricing.js';
import type { HardwareProfile } from '../cost-models/profile.js';
import { takeSamples } from '../harness/data.js';
import type { Ledger } from '../core/ledger.js';
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

// hardware points: every built-in profile, the technology-scaled ones at several nodes
const NODES = [130, 90, 65, 45, 32, 20, 16, 14, 10, 7];
const base = builtinProfileIds().map((id) => getProfile(id));
const profiles: HardwareProfile[] = Array.from({ length: points }, (_, i) => {
  const p = base[i % base.length];
  const node = p.parameters.nodeNm;
  return node ? { ...p, parameters: { ...p.parameters, nodeNm: { ...node, value: NODES[Math.floor(i / base.length) % NODES.length] } } } : p;
});
// which (profile, ledger) pairs a model prices (the others it refuses by design)
const pairs: [HardwareProfile, Ledger][] = [];
for (const p of profiles) {
  for (const l of ledgers) {
    if (priceLedger(l, p).ok) pairs.push([p, l]);
  }
}

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
  for (const [p, l] of pairs) total += costModelFor(p).price(l, p).totalJ;
  return total;
});
const floor = best(() => {
  let total = 0;
  for (const [, l] of pairs) for (const layer of l.layers) for (const c of layer.compute) total += c.count.mean;
  return total;
});
const evals = pairs.reduce((n, [, l]) => n + l.layers.length, 0);
console.log(`${profiles.length} hardware points (${base.length} built-in profiles, nodes varied) × ${ledgers.length} cached ledgers (${layers} layers): ${pairs.length} priced pairs = ${evals} layer × profile evaluations`);
console.log(`price():  ${priced.ms.toFixed(1)} ms → ${((evals / priced.ms) * 1000).toExponential(2)} evaluations/s`);
console.log(`floor:    ${floor.ms.toFixed(1)} ms (touch every compute count once) → price() is ${(priced.ms / floor.ms).toFixed(1)}× the floor`);
