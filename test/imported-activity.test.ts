// Imported activity (`joulebench price`, workloads/imported/): a hand-written activity file against
// hand counts; joulebench runs exported with ledgerToActivity and priced again give the same ledger
// count for count and the same energy under every shipped profile; the price command writes a run
// folder that report, check and --baseline read; every bad input is one line, exit 2, nothing written.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countTable } from '../core/ledger.js';
import type { Ledger } from '../core/ledger.js';
import { builtinProfileIds, getProfile } from '../cost-models/registry.js';
import { createAnn } from '../harness/backends/ann.js';
import { createSnn } from '../harness/backends/snn.js';
import type { SpikingModel } from '../harness/convert.js';
import type { Conv2dLayer, DenseLayer, Model, Pool2dLayer } from '../harness/model.js';
import type { NeuronParams } from '../harness/neurons.js';
import { quantizeModel } from '../harness/quantize.js';
import { DEFAULT_NEURON } from '../harness/neurons.js';
import { priceConfiguration } from '../study/results.js';
import type { ActivityDoc } from '../workloads/imported/activity.js';
import { activityJsonSchema, parseActivity } from '../workloads/imported/activity.js';
import { activityToLedger, ledgerToActivity } from '../workloads/imported/ledger.js';
import { planExecution } from '../sweeps/execute.js';
import { runCli, tempDir } from './cli-helpers.js';
import { sampleSet } from './fixtures.js';

// ---------------------------------------------------------------------------------------------
// A hand-counted activity file: 3 inputs → dense 3×4 IF (reset subtract) → dense 4×2 read-out, T = 2

/**
 * The README's example file (workloads/imported/example.json): 3 inputs → dense 3×4 IF (reset by
 * subtraction) → dense 4×2 read-out, T = 2, means over 2 samples. fc1: input spikes per step 1.5 and
 * 0.5 → 2 per inference; each reaches 4 outputs → 8 synaptic ops; 4 neurons × 2 steps = 8 updates;
 * output spikes 1 + 1 = 2. fc2: its inputs are fc1's 2 spikes, × 2 outputs = 4 synaptic ops;
 * 2 × 2 = 4 updates; a read-out emits 0.
 */
const HAND = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'workloads', 'imported', 'example.json'), 'utf8')) as ActivityDoc;

describe('a hand-written activity file', () => {
  const { id, ledger } = activityToLedger(parseActivity(HAND, 'hand.json'));

  it('becomes the ledger of the SNN engine: every entry a function of the recorded means', () => {
    expect(id).toBe('snn-if-T2');
    expect(ledger.backend).toMatchObject({ id: 'snn', family: 'snn', timesteps: 2, params: { neuron: 'if', reset: 'subtract', execution: 'time-stepped', coding: 'spikes' } });
    expect(ledger.samples).toBe(2);
    // fc1 (IF, reset by subtraction): AC per synaptic op 8; bias add, threshold compare per update 8;
    // a reset add per output spike 2; reads: input per event 2, weight per synaptic op 8, bias per update 8;
    // potential read and write per synaptic op and per update 8 + 8 = 16; output write per spike 2
    expect(countTable(ledger.layers[0])).toEqual({
      'ac/fp32/synaptic': 8, 'add/fp32/bias': 8, 'cmp/fp32/threshold': 8, 'add/fp32/reset': 2,
      'input/read/32': 2, 'weight/read/32': 8, 'bias/read/32': 8, 'potential/read/32': 16, 'potential/write/32': 16, 'output/write/32': 2,
    });
    // fc2 (read-out, no neuron): AC 4; bias adds 4 (updates); input reads 2; weight reads 4; bias reads 4;
    // potential 4 + 4 = 8 each way; its 2 potentials written once at the end
    expect(countTable(ledger.layers[1])).toEqual({
      'ac/fp32/synaptic': 4, 'add/fp32/bias': 4,
      'input/read/32': 2, 'weight/read/32': 4, 'bias/read/32': 4, 'potential/read/32': 8, 'potential/write/32': 8, 'output/write/32': 2,
    });
  });

  it('keeps geometry, per-step means and the rates of the recorded means (sd 0: only means are known)', () => {
    const fc1 = ledger.layers[0];
    expect(fc1.geometry).toMatchObject({ kind: 'dense', inputShape: [3], outputShape: [4], weightCount: 12, biasCount: 4, denseSynOps: 12, fanOut: 4, neurons: 4 });
    expect(fc1.perTimestep).toEqual({ inputEvents: [1.5, 0.5], outputEvents: [1, 1] });
    expect(fc1.activity.synOps).toEqual({ mean: 8, sd: 0, min: 8, max: 8 });
    expect(fc1.activity.spikesPerSynapse.mean).toBeCloseTo(8 / 12, 15); // σ = 8 / 12 dense ops
    expect(fc1.activity.inputSparsity.mean).toBeCloseTo(1 - 2 / (3 * 2), 15); // 2 events over 3 inputs × 2 steps
    expect(fc1.activity.outputRate.mean).toBeCloseTo(2 / (4 * 2), 15);
    expect(fc1.footprint).toEqual({ weightBits: 12 * 32, biasBits: 4 * 32, stateBits: 4 * 32 });
    expect(ledger.layers[1].neuron).toBeNull();
  });

  it('is priced: ops-only gives (8 + 4) ACs × 0.9 pJ (the Horowitz 45 nm fp32 add), per inference', () => {
    const { result } = priceConfiguration({ id, accuracy: null, ledger }, [getProfile('ops-only-45nm')], { samples: 0, seed: 1 });
    expect(result.energy[0].totalJ).toBeCloseTo(12 * 0.9e-12, 24);
  });
});

// ---------------------------------------------------------------------------------------------
// Round trip: joulebench runs → ledgerToActivity → JSON → activityToLedger, priced under every profile

// input [1, 4, 4] → conv 2×3×3 pad 1 → [2, 4, 4] → avgpool 2×2 s2 → [2, 2, 2] → dense 8 → 3 (read-out)
// weights: a fixed pattern with zeros, so that some synapses carry nothing
const pattern = (n: number, scale: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : (((i * 7) % 11) - 4) * scale));
const conv: Conv2dLayer = { kind: 'conv2d', name: 'conv1', inChannels: 1, outChannels: 2, inputHW: [4, 4], kernel: [3, 3], stride: [1, 1], padding: [1, 1], weight: pattern(18, 0.15), bias: Float32Array.from([0.05, 0]), activation: 'relu' };
const pool: Pool2dLayer = { kind: 'avgpool2d', name: 'pool1', channels: 2, inputHW: [4, 4], kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
const fc: DenseLayer = { kind: 'dense', name: 'fc', inFeatures: 8, outFeatures: 3, weight: pattern(24, 0.3), bias: Float32Array.from([0, 0.1, -0.1]), activation: 'identity' };
const MODEL: Model = { id: 'tiny-conv', inputShape: [1, 4, 4], layers: [conv, pool, fc] };
const SNN: SpikingModel = {
  id: 'tiny-conv-snn',
  inputShape: [1, 4, 4],
  layers: [{ layer: conv, spiking: true, threshold: 1 }, { layer: pool, spiking: true, threshold: 1 }, { layer: fc, spiking: false, threshold: 1 }],
  conversion: { method: 'given', calibrationSamples: 0, scales: [1, 1, 1] },
};
/** Six samples of 16 pixels in [0, 1], some zero. */
const SAMPLES = sampleSet(Array.from({ length: 6 }, (_, s) => Array.from({ length: 16 }, (_, i) => ((i * 3 + s * 5) % 7 === 0 ? 0 : ((i * 13 + s * 7) % 10) / 9))), [0, 1, 2, 0, 1, 2], 3);

// a grouped, dilated conv: input [2, 5, 5] → conv 4 channels in 2 groups, 3×3 dilated [2, 1], padding [2, 2]
// → [4, 5, 7] (rows: ⌊(5 + 4 − 2·2 − 1) / 1⌋ + 1 = 5, columns: ⌊(5 + 4 − 2 − 1) / 1⌋ + 1 = 7) → dense 140 → 3
const gconv: Conv2dLayer = { kind: 'conv2d', name: 'gconv', inChannels: 2, outChannels: 4, groups: 2, dilation: [2, 1], inputHW: [5, 5], kernel: [3, 3], stride: [1, 1], padding: [2, 2], weight: pattern(36, 0.2), bias: new Float32Array(4), activation: 'relu' };
const gfc: DenseLayer = { kind: 'dense', name: 'fc', inFeatures: 140, outFeatures: 3, weight: pattern(420, 0.05), bias: new Float32Array(3), activation: 'identity' };
const GMODEL: Model = { id: 'grouped', inputShape: [2, 5, 5], layers: [gconv, gfc] };
const GSNN: SpikingModel = { id: 'grouped-snn', inputShape: [2, 5, 5], layers: [{ layer: gconv, spiking: true, threshold: 1 }, { layer: gfc, spiking: false, threshold: 1 }], conversion: { method: 'given', calibrationSamples: 0, scales: [1, 1] } };
const GSAMPLES = sampleSet(Array.from({ length: 4 }, (_, s) => Array.from({ length: 50 }, (_, i) => ((i * 5 + s * 3) % 4 === 0 ? 0 : ((i * 11 + s) % 10) / 9))), [0, 1, 2, 0], 3);

const neuron = (over: Partial<NeuronParams>): NeuronParams => ({ ...DEFAULT_NEURON, ...over });
const RUNS: [string, () => Ledger][] = [
  ['snn-if-T6 (rate coding)', () => createSnn(SNN, { timesteps: 6, seed: 3 }).run(SAMPLES).ledger],
  ['snn-lif-T5-event (event-driven)', () => createSnn(SNN, { timesteps: 5, seed: 4, neuron: neuron({ model: 'lif', beta: 0.9 }), execution: 'event-driven' }).run(SAMPLES).ledger],
  ['snn-cuba-T4 (direct coding, reset to zero)', () => createSnn(SNN, { timesteps: 4, seed: 5, neuron: neuron({ model: 'cuba', beta: 0.9, alpha: 0.5, reset: 'zero' }), coding: 'direct' }).run(SAMPLES).ledger],
  ['ann-dense', () => createAnn(MODEL).run(SAMPLES).ledger],
  ['ann-sparse', () => createAnn(MODEL, { skipZeros: true }).run(SAMPLES).ledger],
  ['snn-if-T5 (grouped, dilated conv)', () => createSnn(GSNN, { timesteps: 5, seed: 6 }).run(GSAMPLES).ledger],
  ['ann-dense (grouped, dilated conv)', () => createAnn(GMODEL).run(GSAMPLES).ledger],
  ['ann-w4a6 (quantized)', () => createAnn(MODEL, { quantized: quantizeModel(MODEL, SAMPLES, { weightBits: 4, actBits: 6 }, { kind: 'max' }) }).run(SAMPLES).ledger],
];

/**
 * Relative tolerance of the round trip: the imported ledger holds each count's mean, and a count that
 * is a sum of two activities (potential reads = synOps + updates) is mean(a) + mean(b) there but
 * mean(a + b) in the run: the same number rounded in a different order (a few ulps, ~1e-16).
 */
const REL = 1e-12;
const near = (a: number, b: number): boolean => Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b));

describe.each(RUNS)('round trip of %s', (_name, run) => {
  const original = run();
  const file = JSON.parse(JSON.stringify(ledgerToActivity(original, { network: 'tiny-conv', configuration: 'c' }))) as unknown;
  const imported = activityToLedger(parseActivity(file, 'tiny.json')).ledger;

  it('gives the same ledger, count for count (means; sd 0 where only means are known)', () => {
    expect(imported.samples).toBe(original.samples);
    expect(imported.backend.family).toBe(original.backend.family);
    expect(imported.backend.timesteps).toBe(original.backend.timesteps);
    expect(imported.layers).toHaveLength(original.layers.length);
    original.layers.forEach((o, i) => {
      const m = imported.layers[i];
      expect(m.name).toBe(o.name);
      expect(m.geometry).toEqual(o.geometry);
      expect(m.footprint).toEqual(o.footprint);
      expect(m.neuron).toBe(o.neuron);
      expect(m.perTimestep).toEqual(o.perTimestep);
      const [a, b] = [countTable(o), countTable(m)];
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      for (const k of Object.keys(a)) expect(near(b[k], a[k]), `${o.name} ${k}: ${b[k]} vs ${a[k]}`).toBe(true);
      const { neurobench: nbO, ...statsO } = o.activity;
      const { neurobench: nbM, ...statsM } = m.activity;
      for (const k of Object.keys(statsO) as (keyof typeof statsO)[]) expect(near(statsM[k].mean, statsO[k].mean) || statsM[k].mean === statsO[k].mean, `${o.name} ${k}`).toBe(true);
      for (const k of Object.keys(nbO) as (keyof typeof nbO)[]) expect(nbM[k].mean, `${o.name} neurobench ${k}`).toBe(nbO[k].mean);
    });
  });

  it('costs the same energy under every shipped profile (and is refused by the same ones)', () => {
    const profiles = builtinProfileIds().map((p) => getProfile(p));
    const mc = { samples: 0, seed: 1 };
    const a = priceConfiguration({ id: 'c', accuracy: null, ledger: original }, profiles, mc).result;
    const b = priceConfiguration({ id: 'c', accuracy: null, ledger: imported }, profiles, mc).result;
    expect(b.refused.map((r) => r.profile)).toEqual(a.refused.map((r) => r.profile));
    expect(b.energy.map((e) => e.profile)).toEqual(a.energy.map((e) => e.profile));
    expect(a.energy.length).toBeGreaterThan(0);
    a.energy.forEach((e, i) => {
      expect(near(b.energy[i].totalJ, e.totalJ), `${e.profile}: ${b.energy[i].totalJ} vs ${e.totalJ}`).toBe(true);
      expect(near(b.energy[i].uncertainty.lowJ, e.uncertainty.lowJ) && near(b.energy[i].uncertainty.highJ, e.uncertainty.highJ)).toBe(true);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The published schema

describe('workloads/imported/activity.schema.json', () => {
  it('is the schema the code generates (run `node bin/joulebench.js schema --activity > workloads/imported/activity.schema.json` after changes)', () => {
    const committed = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'workloads', 'imported', 'activity.schema.json'), 'utf8'));
    expect(committed).toEqual(activityJsonSchema());
  });
});

// ---------------------------------------------------------------------------------------------
// The command

const PRICE = ['-c', 'ops-only-45nm', 'neuromorphic-core-45nm', 'ann-ideal-reuse-45nm', '--mc-samples', '0', '-q'];

describe('joulebench price', () => {
  it('writes a run folder from an ANN and an SNN file that report, check and --baseline read', async () => {
    const dir = tempDir('price');
    const snn = ledgerToActivity(createSnn(SNN, { timesteps: 6, seed: 3 }).run(SAMPLES).ledger, { network: 'tiny-conv', configuration: 'snn-if-T6', accuracy: 0.5 });
    const ann = ledgerToActivity(createAnn(MODEL).run(SAMPLES).ledger, { network: 'tiny-conv', configuration: 'ann-dense', accuracy: 0.5 });
    writeFileSync(join(dir, 'snn.json'), JSON.stringify(snn));
    writeFileSync(join(dir, 'ann.json'), JSON.stringify(ann));
    const r = await runCli(['price', 'ann.json', 'snn.json', ...PRICE, '-o', 'out'], dir);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['.joulebench-output.json', 'benchmark.json', 'bmf.json', 'energy.csv', 'manifest.json', 'report.html', 'results.json']);
    const doc = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
    expect(doc.kind).toBe('image');
    expect(doc.workload.id).toBe('imported:tiny-conv');
    expect(doc.configurations.map((c: { id: string }) => c.id)).toEqual(['ann-dense', 'snn-if-T6']);
    // an ANN beside an SNN: the comparisons and pair analyses of a run
    expect(doc.comparisons.length).toBeGreaterThan(0);
    expect(doc.analysis.pairs.length).toBeGreaterThan(0);
    // the same bytes again
    const again = await runCli(['price', 'ann.json', 'snn.json', ...PRICE, '-o', 'out2'], dir);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'out2', 'results.json'), 'utf8')).toBe(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
    expect((await runCli(['report', 'out', '--no-images'], dir)).code).toBe(0);
    writeFileSync(
      join(dir, 'claims.yaml'),
      ['version: 1', 'results: out/results.json', 'claims:', '  - id: memory-counts', '    quantity: { ratio: [{ energy: snn-if-T6 }, { energy: ann-dense }] }', '    profiles: [ops-only-45nm]', "    condition: { '>': 0 }", ''].join('\n'),
    );
    const check = await runCli(['check', 'claims.yaml', '-q'], dir);
    expect(check.err).toEqual([]);
    expect(check.code).toBe(0);
    expect(check.out.join('\n')).toMatch(/memory-counts\s+ops-only-45nm\s+> 0\s+\S+\s+PASS/);
    // the second folder as the baseline of the first: nothing moved
    const baseline = await runCli(['check', 'claims.yaml', '--baseline', 'out2/results.json', '-q'], dir);
    expect(baseline.err).toEqual([]);
    expect(baseline.code).toBe(0);
  });

  it('is a sweep workload: every hardware point prices the file, at the energies `price` gives', async () => {
    const dir = tempDir('price-sweep');
    writeFileSync(join(dir, 'snn.json'), JSON.stringify(ledgerToActivity(createSnn(SNN, { timesteps: 6, seed: 3 }).run(SAMPLES).ledger, { network: 'tiny-conv', configuration: 'snn-if-T6' })));
    writeFileSync(join(dir, 'ann.json'), JSON.stringify(ledgerToActivity(createAnn(MODEL).run(SAMPLES).ledger, { network: 'tiny-conv', configuration: 'ann-dense' })));
    writeFileSync(
      join(dir, 's.yaml'),
      ['version: 1', 'name: imported', 'workload:', '  fixed: { workload: imported }', '  grid: { activity: [ann.json, snn.json] }', 'hardware:', '  grid: { profile: [ops-only-45nm, neuromorphic-core-45nm] }', ''].join('\n'),
    );
    const sweep = await runCli(['sweep', 's.yaml', '-o', 'sweep', '-q'], dir);
    expect(sweep.err).toEqual([]);
    expect(sweep.code).toBe(0);
    const priced = await runCli(['price', 'ann.json', 'snn.json', '-c', 'ops-only-45nm', 'neuromorphic-core-45nm', '--mc-samples', '0', '-q', '-o', 'priced'], dir);
    expect(priced.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'priced', 'results.json'), 'utf8'));
    const [header, ...rows] = readFileSync(join(dir, 'sweep', 'rows.csv'), 'utf8').trimEnd().split('\n').map((l) => l.split(','));
    const col = (name: string) => header.indexOf(name);
    expect(rows).toHaveLength(4); // 2 files × 2 profiles
    for (const r of rows) {
      const c = doc.configurations.find((x: { id: string }) => x.id === r[col('configuration')]);
      const e = c.energy.find((x: { profile: string }) => x.profile === r[col('profile')]);
      if (r[col('status')] === 'refused') expect(e).toBeUndefined(); // the neuromorphic core prices spiking ledgers only
      else expect(Number(r[col('energy_j')])).toBe(e.totalJ);
    }
    expect(rows.filter((r) => r[col('status')] === 'ok')).toHaveLength(3);
  });

  it('refuses a sweep point whose activity file is bad before anything runs', async () => {
    const dir = tempDir('price-sweep-bad');
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ ...HAND, version: 2 }));
    writeFileSync(join(dir, 's.yaml'), ['version: 1', 'name: imported', 'workload:', '  fixed: { workload: imported, activity: a.json }', 'hardware:', '  fixed: { profile: ops-only-45nm }', ''].join('\n'));
    const r = await runCli(['sweep', 's.yaml', '-o', 'sweep', '-q'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/a\.json: version: 2 is not supported/);
    expect(existsSync(join(dir, 'sweep'))).toBe(false);
  });

  it('refuses two files of one configuration id, naming the second and the fix', async () => {
    const dir = tempDir('price-twice');
    writeFileSync(join(dir, 'a.json'), JSON.stringify(HAND));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(HAND));
    const r = await runCli(['price', 'a.json', 'b.json', ...PRICE, '-o', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toEqual(['joulebench: error: b.json: configuration: "snn-if-T2" is the configuration of a.json too; give each file its own "configuration" id']);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('names the keys of an imported sweep point', () => {
    expect(() => planExecution({ workload: 'mnist-mlp', backend: 'ann-dense', activity: 'a.json' }, 'p')).toThrow(/p: activity applies to the imported workload only, not mnist-mlp/);
    expect(() => planExecution({ workload: 'imported', activity: 'a.json', backend: 'snn' }, 'p')).toThrow(/p: key "backend" does not apply to workload imported; it takes activity/);
    expect(() => planExecution({ workload: 'imported' }, 'p')).toThrow(/p: activity must name a joulebench-activity JSON file/);
    expect(() => planExecution({ workload: 'imported', activity: join(tempDir('no-file'), 'missing.json') }, 'p')).toThrow(/p: activity .*missing\.json: no such file/);
  });

  const bad: [string, string | null, RegExp][] = [
    ['malformed JSON', '{"format": "joulebench-activity", "version": 1,\n  "layers": [}', /a\.json: line 2, column \d+: not valid JSON/],
    ['NaN (not JSON)', '{"format": "joulebench-activity", "version": 1, "samples": NaN}', /a\.json: line 1, column \d+: not valid JSON/],
    ['wrong version', JSON.stringify({ ...HAND, version: 2 }), /a\.json: version: 2 is not supported; this joulebench reads joulebench-activity version 1/],
    ['not an activity file', JSON.stringify({ schema: 'joulebench/results' }), /a\.json: format: is missing: this is not a joulebench-activity document/],
    ['unknown layer kind', JSON.stringify({ ...HAND, layers: [{ ...HAND.layers[0], kind: 'lstm' }, HAND.layers[1]] }), /a\.json: layers\[0\]\.kind: must be one of dense, conv2d, avgpool2d, maxpool2d/],
    ['negative count', JSON.stringify({ ...HAND, layers: [HAND.layers[0], { ...HAND.layers[1], activity: { ...HAND.layers[1].activity, synapticOps: -4 } }] }), /a\.json: layers\[1\]\.activity\.synapticOps: must be ≥ 0/],
    ['shapes that do not chain', JSON.stringify({ ...HAND, layers: [HAND.layers[0], { ...HAND.layers[1], inputShape: [5], weights: 10 }] }), /a\.json: layers\[1\]\.inputShape: holds 5 values but layer fc1 before it gives 4/],
    ['per-step means that do not add up', JSON.stringify({ ...HAND, layers: [{ ...HAND.layers[0], activity: { ...HAND.layers[0].activity, inputEventsPerTimestep: [1, 0.5] } }, HAND.layers[1]] }), /layers\[0\]\.activity\.inputEvents: 2 is not the sum of inputEventsPerTimestep \(1\.5\)/],
    ['a dense layer whose ops are not events × outputs', JSON.stringify({ ...HAND, layers: [{ ...HAND.layers[0], activity: { ...HAND.layers[0].activity, synapticOps: 7 } }, HAND.layers[1]] }), /layers\[0\]\.activity\.synapticOps: a dense layer's input events each reach all 4 outputs/],
    ['a wrong conv output shape', JSON.stringify({ ...HAND, layers: [{ name: 'c', kind: 'conv2d', inputShape: [1, 4, 4], outputShape: [2, 4, 4], kernel: [3, 3], stride: [1, 1], weights: 18, neuron: 'if', reset: 'subtract', activity: { inputEvents: 0, outputEvents: 0, inputEventsPerTimestep: [0, 0], outputEventsPerTimestep: [0, 0], synapticOps: 0 } }] }), /layers\[0\]\.outputShape: \[2, 4, 4\] is not what the window gives: \[2, 2, 2\]/],
    ['a spiking neuron in an ANN', JSON.stringify({ ...HAND, family: 'ann', timesteps: 1 }), /a\.json: layers\[0\]\.neuron: if is a spiking neuron; give relu or none for an ANN layer, or family "snn"/],
    ['a non-spiking hidden SNN layer', JSON.stringify({ ...HAND, layers: [{ ...HAND.layers[0], neuron: 'none', reset: undefined, activity: { ...HAND.layers[0].activity, outputEvents: 0, outputEventsPerTimestep: [0, 0] } }, HAND.layers[1]] }), /layers\[0\]\.neuron: only the read-out \(last\) layer of an SNN may be non-spiking/],
    ['a weight count that is not the shapes\'', JSON.stringify({ ...HAND, layers: [{ ...HAND.layers[0], weights: 11 }, HAND.layers[1]] }), /layers\[0\]\.weights: 11 is not the weight count of its shapes \(12\); give inputs × outputs/],
    ['time-stepped updates that are not neurons × steps', JSON.stringify({ ...HAND, layers: [{ ...HAND.layers[0], activity: { ...HAND.layers[0].activity, neuronUpdates: 5 } }, HAND.layers[1]] }), /layers\[0\]\.activity\.neuronUpdates: time-stepped execution updates every neuron at every step: 4 × 2 = 8, got 5/],
    ['an unknown field', JSON.stringify({ ...HAND, spikes: 3 }), /a\.json: \(root\): Unrecognized key: "spikes"/],
    ['groups that do not divide the channels', JSON.stringify({ ...HAND, layers: [{ name: 'c', kind: 'conv2d', inputShape: [3, 4, 4], outputShape: [2, 4, 4], kernel: [3, 3], stride: [1, 1], padding: [1, 1], groups: 2, weights: 27, neuron: 'if', reset: 'subtract', activity: { inputEvents: 0, outputEvents: 0, inputEventsPerTimestep: [0, 0], outputEventsPerTimestep: [0, 0], synapticOps: 0 } }] }), /layers\[0\]\.groups: 2 does not divide the 3 input and 2 output channels/],
    ['groups on a pooling layer', JSON.stringify({ ...HAND, layers: [{ ...{ name: 'c', kind: 'conv2d', inputShape: [3, 4, 4], outputShape: [2, 4, 4], kernel: [3, 3], stride: [1, 1], padding: [1, 1], groups: 2, weights: 27, neuron: 'if', reset: 'subtract', activity: { inputEvents: 0, outputEvents: 0, inputEventsPerTimestep: [0, 0], outputEventsPerTimestep: [0, 0], synapticOps: 0 } }, kind: 'avgpool2d', outputShape: [3, 4, 4], weights: 0 }] }), /layers\[0\]\.groups: applies to conv2d layers only/],
    ['a missing file', null, /activity file missing\.json: no such file/],
  ];
  it.each(bad)('refuses %s: one line naming the field, exit 2, nothing written', async (_what, text, message) => {
    const dir = tempDir('price-bad');
    if (text !== null) writeFileSync(join(dir, 'a.json'), text);
    const r = await runCli(['price', text === null ? 'missing.json' : 'a.json', ...PRICE, '-o', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^joulebench: error: /);
    expect(r.err[0]).toMatch(message);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
