// One counting vocabulary: the layer geometry as a union of geometric (loop-nest) and recorded kinds,
// each family one declared list, and the one ledger builder (core/ledger.ts) checked by hand.
import { describe, expect, it } from 'vitest';
import type { GeometricKind, GeometricLayerGeometry } from '../core/geometry.js';
import { GEOMETRIC_KINDS, RECORDED_KINDS, isGeometric, isGeometricKind, isRecorded, recordedGeometry } from '../core/geometry.js';
import type { LayerActivityRecorder, LayerRules, OperandStore } from '../core/ledger.js';
import { buildLayerLedger, buildLedger, isRecordedLayer, newActivityRecorder, storesFootprint } from '../core/ledger.js';
import { layerGeometry } from '../harness/layers.js';
import type { LayerKindName } from '../harness/model.js';
import { lutGeometry, lutShapes } from '../workloads/brain/lut/ledger.js';
import { DEFAULT_LUT } from '../workloads/brain/lut/network.js';
import { CONV } from './cost-fixtures.js';
import { TINY_FC1 } from './fixtures.js';

// Every layer kind of the feed-forward model is a geometric kind, and every geometric kind a layer kind
// (checked by the compiler: tsconfig.test.json type-checks this file).
const layerKindsAreGeometric: [LayerKindName] extends [GeometricKind] ? ([GeometricKind] extends [LayerKindName] ? true : false) : false = true;

const NO_FOOTPRINT = { weightBits: 0, biasBits: 0, stateBits: 0 };
const EMPTY_RULES: LayerRules = { compute: [], memory: [], footprint: NO_FOOTPRINT, neuron: null };
const STORES: OperandStore[] = [
  { operand: 'weight', words: 8, bits: 32 },
  { operand: 'state', words: 2, bits: 16 },
  { operand: 'weight', words: 4, bits: 8 },
];

/** A recorder of three samples over two timesteps with these per-sample counts. */
function threeSamples(inputs: number[], outputs: number[], synOps: number[], updates: number[]): LayerActivityRecorder {
  const rec = newActivityRecorder(3, 2);
  inputs.forEach((v, s) => (rec.inputEvents[s] = v));
  outputs.forEach((v, s) => (rec.outputEvents[s] = v));
  synOps.forEach((v, s) => (rec.synOps[s] = v));
  updates.forEach((v, s) => (rec.updates[s] = v));
  rec.inputPerStep.set([5, 7]); // 12 input events over the three samples
  rec.outputPerStep.set([3, 3]); // 6 output events
  return rec;
}

describe('the layer-kind union', () => {
  it('the two declared lists are disjoint: a geometric kind is never recorded and a recorded kind never geometric', () => {
    expect(layerKindsAreGeometric).toBe(true);
    for (const kind of RECORDED_KINDS) expect(GEOMETRIC_KINDS as readonly string[]).not.toContain(kind);
    for (const kind of GEOMETRIC_KINDS) {
      expect(isGeometricKind(kind)).toBe(true);
      const g: GeometricLayerGeometry = { ...layerGeometry(TINY_FC1), kind };
      expect(isGeometric(g)).toBe(true);
      expect(isRecorded(g)).toBe(false);
      expect(isRecordedLayer(buildLayerLedger(0, kind, g, 1, newActivityRecorder(1, 1), EMPTY_RULES))).toBe(false);
    }
    for (const kind of [...RECORDED_KINDS, 'mixer-softmax', 'mixer-mamba'] as const) {
      expect(isGeometricKind(kind)).toBe(false);
      const g = recordedGeometry(kind, 4, 2);
      expect(isRecorded(g)).toBe(true);
      expect(isGeometric(g)).toBe(false);
      expect(isRecordedLayer(buildLayerLedger(0, kind, g, 1, newActivityRecorder(1, 1), EMPTY_RULES, []))).toBe(true);
    }
  });

  it('the feed-forward layers are geometric and the LUT network\'s layers recorded', () => {
    expect([layerGeometry(TINY_FC1), layerGeometry(CONV)].map(isGeometric)).toEqual([true, true]);
    expect(lutShapes(DEFAULT_LUT).map(lutGeometry).every(isRecorded)).toBe(true);
  });

  it('a recorded layer carries its stores, last; a geometric layer has none', () => {
    const recorded = buildLayerLedger(0, 'som', recordedGeometry('som', 4, 2), 1, newActivityRecorder(1, 1), EMPTY_RULES, STORES);
    expect(Object.keys(recorded)).toEqual(['index', 'name', 'geometry', 'compute', 'memory', 'activity', 'perTimestep', 'footprint', 'neuron', 'stores']);
    expect(recorded.stores).toBe(STORES);
    const geometric = buildLayerLedger(0, 'fc1', layerGeometry(TINY_FC1), 1, newActivityRecorder(1, 1), EMPTY_RULES);
    expect(Object.keys(geometric)).toEqual(['index', 'name', 'geometry', 'compute', 'memory', 'activity', 'perTimestep', 'footprint', 'neuron']);
    // a caller without types (a ledger assembled from data) cannot build a recorded layer without stores
    const untyped = buildLayerLedger as (...args: unknown[]) => unknown;
    expect(() => untyped(0, 'som', recordedGeometry('som', 4, 2), 1, newActivityRecorder(1, 1), EMPTY_RULES)).toThrow(/layer som: a recorded layer \(kind "som"\) needs its stores/);
  });
});

describe('the one ledger builder', () => {
  // dense 4 → 2 (8 synapses, 2 neurons), T = 2; three samples:
  //   input events [2, 4, 6], output events [1, 1, 4], synaptic ops [4, 8, 12], updates [4, 4, 4]
  const rules: LayerRules = {
    compute: [{ op: 'ac', numeric: 'fp', bits: 32, purpose: 'synaptic', count: (a) => a.synOps }],
    memory: [{ operand: 'output', action: 'write', bits: 8, count: (a) => a.outputEvents + 1 }],
    footprint: { weightBits: 256, biasBits: 64, stateBits: 64 },
    neuron: 'if',
  };
  const dense = layerGeometry({ ...TINY_FC1, inFeatures: 4, outFeatures: 2, weight: new Float32Array(8), bias: new Float32Array(2) });
  const layer = buildLayerLedger(3, 'fc', dense, 2, threeSamples([2, 4, 6], [1, 1, 4], [4, 8, 12], [4, 4, 4]), rules);

  it('summarizes every count over the samples: mean, sample sd, min, max (by hand)', () => {
    const a = layer.activity;
    expect(a.inputEvents).toEqual({ mean: 4, sd: 2, min: 2, max: 6 }); // sd √(((−2)² + 0 + 2²)/2) = 2
    expect(a.outputEvents.mean).toBe(2);
    expect(a.outputEvents.sd).toBeCloseTo(Math.sqrt(3), 12); // √((1 + 1 + 4)/2)
    expect([a.outputEvents.min, a.outputEvents.max]).toEqual([1, 4]);
    expect(a.synOps).toEqual({ mean: 8, sd: 4, min: 4, max: 12 });
    expect(a.updates).toEqual({ mean: 4, sd: 0, min: 4, max: 4 });
    // σ = SOP / 8 dense synaptic ops: [0.5, 1, 1.5]
    expect(a.spikesPerSynapse).toEqual({ mean: 1, sd: 0.5, min: 0.5, max: 1.5 });
    // input sparsity 1 − in/(4 inputs · 2 steps): [0.75, 0.5, 0.25]
    expect(a.inputSparsity).toEqual({ mean: 0.5, sd: 0.25, min: 0.25, max: 0.75 });
    // output rate out/(2 neurons · 2 steps): [0.25, 0.25, 1]
    expect(a.outputRate.mean).toBe(0.5);
    expect(a.outputRate.sd).toBeCloseTo(Math.sqrt(0.1875), 12);
    expect([a.outputRate.min, a.outputRate.max]).toEqual([0.25, 1]);
  });

  it('evaluates each entry rule on each sample, and gives per-timestep means, footprint and neuron', () => {
    expect(layer.compute).toEqual([{ op: 'ac', numeric: 'fp', bits: 32, purpose: 'synaptic', count: { mean: 8, sd: 4, min: 4, max: 12 } }]);
    expect(layer.memory).toHaveLength(1);
    expect(layer.memory[0]).toMatchObject({ operand: 'output', action: 'write', bits: 8, count: { mean: 3, min: 2, max: 5 } });
    expect(layer.memory[0].count.sd).toBeCloseTo(Math.sqrt(3), 12);
    expect(layer.perTimestep).toEqual({ inputEvents: [5 / 3, 7 / 3], outputEvents: [1, 1] });
    expect([layer.index, layer.name, layer.footprint, layer.neuron]).toEqual([3, 'fc', rules.footprint, 'if']);
  });

  it('rates per simulated step where a model says how many steps each sample ran, or as the rules declare them', () => {
    const rec = { ...threeSamples([2, 4, 6], [1, 1, 4], [4, 8, 12], [4, 4, 4]), stepsPerSample: Float64Array.from([2, 4, 8]) };
    const stepped = buildLayerLedger(0, 'lif', recordedGeometry('stdp-lif', 4, 2), 2, rec, rules, []);
    // 1 − in/(4 · steps): [0.75, 0.75, 0.8125]; out/(2 · steps): [0.25, 0.125, 0.25]
    expect(stepped.activity.inputSparsity.mean).toBeCloseTo(2.3125 / 3, 12);
    expect([stepped.activity.inputSparsity.min, stepped.activity.inputSparsity.max]).toEqual([0.75, 0.8125]);
    expect(stepped.activity.outputRate.mean).toBeCloseTo(0.625 / 3, 12);
    expect([stepped.activity.outputRate.min, stepped.activity.outputRate.max]).toEqual([0.125, 0.25]);
    const declared = buildLayerLedger(0, 'fc', dense, 2, threeSamples([2, 4, 6], [1, 1, 4], [4, 8, 12], [4, 4, 4]), { ...rules, rates: { inputSparsity: () => 0, outputRate: (_a, s) => s } });
    expect(declared.activity.inputSparsity).toEqual({ mean: 0, sd: 0, min: 0, max: 0 });
    expect(declared.activity.outputRate).toEqual({ mean: 1, sd: 1, min: 0, max: 2 });
  });

  it('a ledger indexes its layers in order, at the backend\'s timesteps unless told', () => {
    const backend = { id: 't', family: 'snn' as const, timesteps: 2, params: {} };
    const ledger = buildLedger(backend, 3, [
      { name: 'fc', geometry: dense, rec: threeSamples([2, 4, 6], [1, 1, 4], [4, 8, 12], [4, 4, 4]), rules },
      { name: 'som', geometry: recordedGeometry('som', 2, 2), rec: threeSamples([2, 2, 2], [1, 1, 1], [0, 0, 0], [0, 0, 0]), rules: EMPTY_RULES, stores: STORES },
    ]);
    expect(ledger.backend).toBe(backend);
    expect(ledger.samples).toBe(3);
    expect(ledger.layers.map((l) => [l.index, l.name, isRecordedLayer(l)])).toEqual([
      [0, 'fc', false],
      [1, 'som', true],
    ]);
    expect(ledger.layers[0]).toEqual({ ...layer, index: 0 });
    expect(ledger.layers[1].activity.inputSparsity.mean).toBe(0.5); // 1 − 2/(2 · 2)
    expect(buildLedger(backend, 3, [{ name: 'som', geometry: recordedGeometry('som', 2, 2), rec: threeSamples([2, 2, 2], [1, 1, 1], [0, 0, 0], [0, 0, 0]), rules: EMPTY_RULES, stores: [] }], 1).layers[0].activity.inputSparsity.mean).toBe(0);
  });

  it('the footprint of stores: weight stores as weights, every other store as state', () => {
    expect(storesFootprint(STORES)).toEqual({ weightBits: 8 * 32 + 4 * 8, biasBits: 0, stateBits: 2 * 16 });
    expect(storesFootprint([])).toEqual(NO_FOOTPRINT);
  });
});
