// Hopfield networks (issue 8): a 4-unit classic net and a 2-pattern modern net worked by hand —
// weights, update traces and every ledger count — plus capacity behaviour on random patterns.
import { describe, expect, it } from 'vitest';
import type { Rng } from '../core/rng.js';
import { createRng } from '../core/rng.js';
import type { Bipolar } from '../workloads/brain/hopfield.js';
import {
  classicRecallPhase,
  classicWeights,
  corrupt,
  createClassic,
  hamming,
  hopfieldCapacity,
  meanPairOverlap,
  modernRecallPhase,
  nearestIsOriginal,
  overlap,
  recallClassic,
  retrieveModern,
  selectPatterns,
  storeClassic,
  storeModern,
} from '../workloads/brain/hopfield.js';
import { countTable } from '../core/ledger.js';
import type { SampleSet } from '../harness/data.js';

const bip = (...v: number[]): Bipolar => Int8Array.from(v);

/** An Rng whose int() plays back `ints` cyclically: Fisher–Yates then yields a chosen order. */
function scripted(ints: number[]): Rng {
  let k = 0;
  return { next: () => 0, int: () => ints[k++ % ints.length] };
}
// Fisher–Yates on [0,1,2,3] draws j for i = 3, 2, 1: (3, 2, 1) keeps the identity order; (0, 1, 1) gives [3, 2, 1, 0].
const IDENTITY = scripted([3, 2, 1]);
const REVERSED = () => scripted([0, 1, 1]);

describe('classic Hopfield, 4 units, ξ¹ = (+ + − −), ξ² = (+ − + −), by hand', () => {
  const xi1 = bip(1, 1, -1, -1);
  const xi2 = bip(1, -1, 1, -1);
  const build = () => {
    const net = createClassic(4);
    const storage = storeClassic(net, [xi1, xi2]);
    return { net, storage };
  };

  it('stores C = ξ¹ξ¹ᵀ + ξ²ξ²ᵀ with a zero diagonal: only C₀₃ = C₁₂ = −2 survive; W = C/4', () => {
    const { net } = build();
    // ξ¹ξ¹ᵀ row 0 = (1, 1, −1, −1), ξ²ξ²ᵀ row 0 = (1, −1, 1, −1): sum (2, 0, 0, −2), diagonal zeroed
    expect(Array.from(net.c)).toEqual([0, 0, 0, -2, 0, 0, -2, 0, 0, -2, 0, 0, -2, 0, 0, 0]);
    expect(Array.from(classicWeights(net))).toEqual([0, 0, 0, -0.5, 0, 0, -0.5, 0, 0, -0.5, 0, 0, -0.5, 0, 0, 0]);
    expect(net.stored).toBe(2);
  });

  it('storage ledger per pattern: N(N−1) = 12 ACs of ±1, 12 weight read-modify-writes, N² = 16 pattern-bit reads', () => {
    const { storage } = build();
    expect(storage.phase).toBe('storage');
    expect(storage.ledger.samples).toBe(2);
    expect(countTable(storage.ledger.layers[0])).toEqual({ 'ac/int16/plasticity': 12, 'input/read/1': 16, 'weight/read/16': 12, 'weight/write/16': 12 });
  });

  it('both patterns are fixed points: h = C·ξ has the sign of ξ everywhere (h = (2, 2, −2, −2) for ξ¹)', () => {
    const { net } = build();
    const r = recallClassic(net, xi1, IDENTITY, 10, true);
    expect(r.trace!.slice(0, 4)).toEqual([
      { unit: 0, field: 2, state: 1 },
      { unit: 1, field: 2, state: 1 },
      { unit: 2, field: -2, state: -1 },
      { unit: 3, field: -2, state: -1 },
    ]);
    expect([r.sweeps, r.flips, r.converged]).toEqual([1, 0, true]);
    expect(Array.from(recallClassic(net, xi2, IDENTITY, 10).state)).toEqual(Array.from(xi2));
  });

  it('from ξ¹ with unit 0 flipped, order 0,1,2,3: unit 0 sees h₀ = C₀₃·s₃ = 2 and flips back; the 2nd sweep changes nothing', () => {
    const { net } = build();
    const r = recallClassic(net, bip(-1, 1, -1, -1), IDENTITY, 10, true);
    expect(r.trace).toEqual([
      { unit: 0, field: 2, state: 1 },
      { unit: 1, field: 2, state: 1 },
      { unit: 2, field: -2, state: -1 },
      { unit: 3, field: -2, state: -1 },
      { unit: 0, field: 2, state: 1 },
      { unit: 1, field: 2, state: 1 },
      { unit: 2, field: -2, state: -1 },
      { unit: 3, field: -2, state: -1 },
    ]);
    expect(Array.from(r.state)).toEqual(Array.from(xi1));
    expect([r.sweeps, r.updates, r.flips, r.converged]).toEqual([2, 8, 1, true]);
  });

  it('the same probe in order 3,2,1,0 ends in the spurious mirror state −ξ²: unit 3 sees h₃ = C₃₀·s₀ = 2 first', () => {
    const { net } = build();
    const r = recallClassic(net, bip(-1, 1, -1, -1), REVERSED(), 10, true);
    expect(r.trace!.slice(0, 4)).toEqual([
      { unit: 3, field: 2, state: 1 },
      { unit: 2, field: -2, state: -1 },
      { unit: 1, field: 2, state: 1 },
      { unit: 0, field: -2, state: -1 },
    ]);
    expect(Array.from(r.state)).toEqual([-1, 1, -1, 1]);
    expect([r.sweeps, r.flips]).toEqual([2, 1]);
  });

  it('keeps its state when the local field is 0 (ties), and stops at the sweep cap', () => {
    const net = createClassic(2); // nothing stored: every field is 0
    const r = recallClassic(net, bip(1, -1), createRng(1), 3);
    expect(Array.from(r.state)).toEqual([1, -1]);
    expect([r.sweeps, r.flips, r.converged]).toEqual([1, 0, true]);
  });

  it('recall ledger per probe, by hand for the 2-sweep recall: 8 updates × 3 ACs, 8 compares, every read and write', () => {
    const { net } = build();
    const r = recallClassic(net, bip(-1, 1, -1, -1), scripted([3, 2, 1]), 10);
    const phase = classicRecallPhase(net, [r]);
    expect(phase.phase).toBe('recall');
    const layer = phase.ledger.layers[0];
    expect(countTable(layer)).toEqual({
      'ac/int32/synaptic': 24, // 8 updates × (N − 1) = 3 sign-selected adds of C_ij
      'cmp/int32/threshold': 8,
      'index/int32/order': 8,
      'input/read/1': 4, // the probe, loaded once
      'weight/read/16': 24,
      'state/read/1': 32, // 24 neighbour states + 8 own states
      'state/write/1': 12, // 4 loads + 8 updates
    });
    expect(layer.activity.outputEvents.mean).toBe(1); // one flip
    expect(layer.geometry).toMatchObject({ kind: 'hopfield', fanIn: 3, weightCount: 12, denseSynOps: 12, neurons: 4 });
    expect(layer.footprint).toEqual({ weightBits: 12 * 16, biasBits: 0, stateBits: 4 });
  });

  it('refuses a non-±1 pattern and more patterns than 16-bit counts hold, in one line', () => {
    expect(() => storeClassic(createClassic(3), [bip(1, 0, 1)])).toThrow(/pattern 0: entry 1 is 0; patterns are ±1/);
    const net = createClassic(2);
    net.stored = 32767;
    expect(() => storeClassic(net, [bip(1, 1)])).toThrow(/at most 32767/);
  });
});

describe('classic Hopfield capacity on random patterns (≈ 0.138·N)', () => {
  const points = hopfieldCapacity({ units: 200, alphas: [0.05, 0.3], noise: 0.1, probes: 10, seed: 7, maxSweeps: 50 });
  it('P = 0.05·N = 10 patterns: all are fixed points and all are recalled from 10% noise', () => {
    expect(points[0].patterns).toBe(10);
    expect(points[0].fixedFraction).toBe(1);
    expect(points[0].recalledFraction).toBe(1);
    expect(points[0].meanOverlap).toBe(1);
  });
  it('P = 0.3·N = 60 patterns: beyond capacity, most are neither fixed points nor recalled', () => {
    expect(points[1].patterns).toBe(60);
    expect(points[1].fixedFraction).toBeLessThan(0.2);
    expect(points[1].recalledFraction).toBeLessThan(0.5);
    expect(points[1].meanOverlap).toBeLessThan(0.8);
  });
  it('records a recall ledger per load: more sweeps past capacity cost more ACs per probe', () => {
    const acs = points.map((p) => countTable(p.recall.ledger.layers[0])['ac/int32/synaptic']);
    expect(acs[0]).toBe(points[0].meanSweeps * 200 * 199);
    expect(acs[1]).toBeGreaterThan(acs[0]);
  });
});

describe('modern Hopfield, one step ξ ← sign(X·softmax(β·Xᵀξ)), by hand', () => {
  const x1 = bip(1, 1, -1);
  const x2 = bip(1, -1, 1);
  const beta = Math.log(3) / 4;
  it('from x¹ with bit 0 flipped: scores (1, −3), p = (3/4, 1/4) at β = ln 3 / 4, X·p = (1, ½, −½) → x¹', () => {
    const { net } = storeModern(3, beta, [x1, x2]);
    const r = retrieveModern(net, bip(-1, 1, -1));
    expect(Array.from(r.scores)).toEqual([1, -3]);
    expect(r.p[0]).toBeCloseTo(0.75, 12);
    expect(r.p[1]).toBeCloseTo(0.25, 12);
    expect(Array.from(r.state)).toEqual([1, 1, -1]);
  });
  it('a sum of exactly 0 keeps the probe bit (β → 0 averages the two patterns: X·p = (1, 0, 0))', () => {
    const { net } = storeModern(3, 1e-300, [x1, x2]);
    expect(Array.from(retrieveModern(net, bip(-1, 1, -1)).state)).toEqual([1, 1, -1]);
    expect(Array.from(retrieveModern(net, bip(-1, -1, 1)).state)).toEqual([1, -1, 1]);
  });
  it('ledger per probe (M = 2, d = 3): 2·M·d = 12 ACs, M exps, softmax arithmetic, 2·M·d pattern-bit reads', () => {
    const { net, storage } = storeModern(3, beta, [x1, x2]);
    expect(countTable(storage.ledger.layers[0])).toEqual({ 'input/read/1': 3, 'weight/write/1': 3 });
    const layer = modernRecallPhase(net, 5).ledger.layers[0];
    expect(countTable(layer)).toEqual({
      'ac/int32/synaptic': 6, // scores Xᵀξ
      'cmp/int32/softmax': 2, // max
      'add/fp32/softmax': 4, // score − max, running sum
      'mul/fp32/softmax': 4, // β·(…), e·(1/sum)
      'exp/fp32/softmax': 2,
      'div/fp32/softmax': 1,
      'ac/fp32/synaptic': 6, // X·p
      'cmp/fp32/threshold': 3, // sign
      'weight/read/1': 12,
      'input/read/1': 6,
      'state/write/32': 6, // scores, exps, p
      'state/read/32': 12, // 3·M + M·d (p re-read per dimension)
      'output/write/1': 3,
    });
    expect(modernRecallPhase(net, 5).ledger.samples).toBe(5);
  });
  it('refuses β ≤ 0', () => {
    expect(() => storeModern(3, 0, [x1])).toThrow(/--beta must be a positive number/);
  });
});

describe('patterns, noise and scoring', () => {
  it('corrupt flips exactly round(f·N) distinct bits', () => {
    const p = new Int8Array(100).fill(1);
    const q = corrupt(p, 0.15, createRng(3));
    expect(hamming(p, q)).toBe(15);
    expect(overlap(p, q)).toBeCloseTo(0.7, 12);
  });
  it('nearestIsOriginal demands a strictly nearest original (a tie is a failure)', () => {
    const stored = [bip(1, 1, 1, 1), bip(-1, -1, 1, 1)];
    expect(nearestIsOriginal(bip(1, 1, 1, -1), stored, 0)).toBe(true);
    expect(nearestIsOriginal(bip(1, -1, 1, 1), stored, 0)).toBe(false); // distance 1 to both
  });
  it('meanPairOverlap of (+ + − −) and (+ − + −) is 0; of identical patterns 1', () => {
    expect(meanPairOverlap([bip(1, 1, -1, -1), bip(1, -1, 1, -1)])).toBe(0);
    expect(meanPairOverlap([bip(1, -1), bip(1, -1)])).toBe(1);
    expect(meanPairOverlap([bip(1, -1)])).toBeNull();
  });
  it('selectPatterns takes images round-robin over classes and binarises at 0.5', () => {
    const set: SampleSet = { id: 'toy/train', count: 6, shape: [2], classes: 2, inputs: Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.6, 0.6, 0.5, 0.51, 0, 0, 1, 1]), labels: Uint8Array.from([0, 0, 1, 0, 1, 1]) };
    const { patterns, labels } = selectPatterns(set, 3);
    expect(labels).toEqual([0, 1, 0]);
    expect(patterns.map((p) => Array.from(p))).toEqual([[1, -1], [1, 1], [-1, 1]]);
    expect(() => selectPatterns(set, 7)).toThrow(/only 6 images for 7 patterns/);
  });
});
