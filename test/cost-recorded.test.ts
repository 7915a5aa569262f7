// Recorded layers (sequence blocks, LUT networks, learning phases) priced with memory, by hand: one
// decode step of a 2-head softmax attention at context L = 4, width d = 8 (head dim 4, MHA), with its
// weights, its KV cache and its per-step vectors, under every model; the refusals; break-even and the
// uncertainty analysis on ledgers with recorded layers.
//
// Round-number technology (test/cost-fixtures.ts): fp32 add 1 pJ, mult 4 pJ (MAC 5 pJ); SRAM per 64-bit
// access 0.001 pJ/bit × capacity + 10 pJ, a 32-bit word half of it; exp = 10 MACs = 50 pJ and
// div = 5 MACs = 25 pJ (cost-models/tech/op-equivalents.yaml).
import { describe, expect, it } from 'vitest';
import { breakEven } from '../cost-models/break-even.js';
import { OutOfRangeError } from '../cost-models/model.js';
import { COST_MODELS, getProfile } from '../cost-models/registry.js';
import { pairUncertainty, totalBounds, withConstantValues } from '../cost-models/uncertainty.js';
import type { RecordedKind } from '../core/geometry.js';
import type { ComputeRule, Ledger, MemoryRule, OperandStore } from '../core/ledger.js';
import { ActivityLog, brainGeometry, phaseLedger, stores } from '../workloads/brain/phase.js';
import { pJ, roundProfile } from './cost-fixtures.js';

const model = (id: string) => COST_MODELS.get(id)!;
const OPS = '\n  expMacs: op-equivalents/exp-macs\n  logMacs: op-equivalents/log-macs\n  divMacs: op-equivalents/div-macs';
const FIFO = '\n  fifoEntries: { value: 1000, unit: entries, source: t }';
const HIERARCHY = `\n  peRows: { value: 12, unit: PEs, source: t }\n  peCols: { value: 14, unit: PEs, source: t }\n  rfBits: { value: 1024, unit: bits, source: t }\n  gbBits: { value: 4096, unit: bits, source: t }`;
const fp = { numeric: 'fp', bits: 32 } as const;
const k = (n: number) => () => n;

/** A one-layer ledger of a recorded kind with constant counts per sample. */
function recordedLedger(family: 'ann' | 'snn', timesteps: number, kind: RecordedKind, compute: ComputeRule[], memory: MemoryRule[], layerStores: OperandStore[], act = {}): Ledger {
  const log = new ActivityLog(1, timesteps);
  log.add(0, act);
  const rules = { compute, memory, footprint: { weightBits: 0, biasBits: 0, stateBits: 0 }, neuron: null };
  return phaseLedger({ id: family === 'ann' ? 'attn-ann' : 'attn-snn', family, timesteps, params: {} }, 1, [{ name: 'attn', geometry: brainGeometry(kind, 8, 8, { weightCount: 0, denseSynOps: 0 }), log, rules, stores: layerStores }]);
}

// One decode step: Q, K, V, O projections 4·d² = 256 MACs (each weight read once, the input vector once
// per projection: 3·8 + 8 = 32 words, the output written once: 8); per head, scores over L = 4 cached keys
// (4·4 MACs, 4 scale multiplies), softmax (3 compares, 7 adds, 4 exp, 1 div, 4 multiplies), values (16 MACs);
// the KV cache holds 2·L·kvHeads·headDim = 64 words, all read once (64), the new key and value written (16).
const ATTN_COMPUTE: ComputeRule[] = [
  { op: 'mac', ...fp, purpose: 'projection', count: k(256) },
  { op: 'mac', ...fp, purpose: 'score', count: k(32) },
  { op: 'mul', ...fp, purpose: 'score-scale', count: k(8) },
  { op: 'cmp', ...fp, purpose: 'softmax', count: k(6) },
  { op: 'add', ...fp, purpose: 'softmax', count: k(14) },
  { op: 'exp', ...fp, purpose: 'softmax', count: k(8) },
  { op: 'div', ...fp, purpose: 'softmax', count: k(2) },
  { op: 'mul', ...fp, purpose: 'softmax', count: k(8) },
  { op: 'mac', ...fp, purpose: 'value', count: k(32) },
];
const ATTN_MEMORY: MemoryRule[] = [
  { operand: 'weight', action: 'read', bits: 32, count: k(256) },
  { operand: 'input', action: 'read', bits: 32, count: k(32) },
  { operand: 'kv', action: 'read', bits: 32, count: k(64) },
  { operand: 'kv', action: 'write', bits: 32, count: k(16) },
  { operand: 'output', action: 'write', bits: 32, count: k(8) },
];
const ATTN_STORES = stores({ weight: [256, 32], kv: [64, 32] });
const attn = recordedLedger('ann', 1, 'mixer-softmax', ATTN_COMPUTE, ATTN_MEMORY, ATTN_STORES);

/** pJ of one 32-bit word in an SRAM of `bits` bits (round technology). */
const sram32 = (bits: number) => (0.001 * bits + 10) / 2;
// compute: 320 MACs × 5 + 16 mul × 4 + 14 add + 6 cmp + 8 exp × 50 + 2 div × 25 = 1600 + 64 + 14 + 6 + 400 + 50
const COMPUTE = 2134;
// memory: weight SRAM 8192 bits (9.096 pJ) × 256; KV 2048 bits (6.024) × 80; the input vector, no store:
// its per-step traffic 32 words = 1024 bits (5.512) × 32; the output 8 words = 256 bits (5.128) × 8
const MEMORY = 256 * sram32(8192) + 80 * sram32(2048) + 32 * sram32(1024) + 8 * sram32(256);

describe('a 2-head attention step (L = 4, d = 8) priced by hand under every model', () => {
  it('ann-ideal-reuse: every op at its type and width, every access in a memory of its store size (5161.904 pJ)', () => {
    expect(MEMORY).toBeCloseTo(3027.904, 9);
    const priced = model('ann-ideal-reuse').price(attn, roundProfile('ann-ideal-reuse', '', OPS));
    expect(priced.totalJ).toBeCloseTo((COMPUTE + MEMORY) * pJ, 22);
    expect(priced.items.find((i) => i.operand === 'exp')!.energyJ).toBeCloseTo(8 * 50 * pJ, 22);
    expect(priced.items.find((i) => i.operand === 'kv' && i.action === 'read')).toMatchObject({ level: 'sram', count: 64 });
    expect(priced.unpriced).toEqual([]);
  });

  it('neuromorphic-core prices an ANN inter-token block too, as recorded: the same 5161.904 pJ here', () => {
    expect(model('neuromorphic-core').price(attn, roundProfile('neuromorphic-core', FIFO, OPS)).totalJ).toBeCloseTo((COMPUTE + MEMORY) * pJ, 22);
  });

  it('ann-no-reuse adds per MAC a read of the largest memory (weights), an input read and a partial-sum read + write (13118.384 pJ)', () => {
    // 320 MACs × (9.096 weight + 5.512 input + 2 × 5.128 psum in the output's 256-bit buffer) = 7956.48
    const perMac = 320 * (sram32(8192) + sram32(1024) + 2 * sram32(256));
    expect(perMac).toBeCloseTo(7956.48, 9);
    const priced = model('ann-no-reuse').price(attn, roundProfile('ann-no-reuse', '', OPS));
    expect(priced.totalJ).toBeCloseTo((COMPUTE + MEMORY + perMac) * pJ, 21);
    expect(priced.items.find((i) => i.operand === 'weight' && i.action === 'read')!.count).toBe(256 + 320);
    expect(priced.items.find((i) => i.operand === 'psum' && i.action === 'write')!.count).toBe(320);
  });

  it('accelerator: each access at the innermost level holding the store — input and output in the RF (≤ 1024 bits), the KV cache in the buffer (≤ 4096), the weights in DRAM', () => {
    // E_MAC = 5 pJ; weight 256 × 200 × 5, KV 80 × 6 × 5, input 32 × 1 × 5, output 8 × 1 × 5
    const hand = COMPUTE + 256 * 1000 + 80 * 30 + 32 * 5 + 8 * 5;
    expect(hand).toBe(260734);
    for (const id of ['accelerator-rs', 'accelerator-ws', 'accelerator-os']) {
      const priced = model(id).price(attn, roundProfile(id, HIERARCHY, OPS));
      expect(priced.totalJ).toBeCloseTo(hand * pJ, 19);
      expect(priced.items.filter((i) => i.component === 'memory').map((i) => `${i.operand}/${i.action}@${i.level}`)).toEqual(['weight/read@dram', 'input/read@rf', 'kv/read@gb', 'kv/write@gb', 'output/write@rf']);
    }
  });

  it('ops-only prices every MAC of a recorded layer (projections, scores, values: 320 × 4.6 pJ) and lists the rest', () => {
    const priced = model('ops-only').price(attn, getProfile('ops-only-45nm'));
    expect(priced.totalJ).toBeCloseTo(320 * 4.6 * pJ, 22);
    expect(priced.unpriced.map((u) => u.what)).toEqual(['mul (score-scale)', 'cmp (softmax)', 'add (softmax)', 'exp (softmax)', 'div (softmax)', 'mul (softmax)', 'weight read', 'input read', 'kv read', 'kv write', 'output write']);
  });

  it('built-in 45 nm profiles: an fp32 exp costs 10 × 4.6 pJ, a division 5 × 4.6 pJ', () => {
    const priced = model('ann-ideal-reuse').price(attn, getProfile('ann-ideal-reuse-45nm'));
    expect(priced.items.find((i) => i.operand === 'exp')!.energyJ).toBeCloseTo(8 * 46 * pJ, 20);
    expect(priced.items.find((i) => i.operand === 'div')!.energyJ).toBeCloseTo(2 * 23 * pJ, 20);
    expect(priced.constants.map((c) => c.id)).toEqual(expect.arrayContaining(['op-equivalents/exp-macs', 'op-equivalents/div-macs']));
  });
});

describe('a spiking recorded layer', () => {
  // T = 2 steps; 20 spike events each read a weight row word and add it (ACs); the weights hold 4 words
  const spiking = recordedLedger(
    'snn',
    2,
    'mixer-spikformer',
    [{ op: 'ac', ...fp, purpose: 'synaptic', count: (a) => a.synOps }],
    [
      { operand: 'weight', action: 'read', bits: 32, count: (a) => a.synOps },
      { operand: 'potential', action: 'read', bits: 32, count: k(4) },
      { operand: 'potential', action: 'write', bits: 32, count: k(4) },
    ],
    stores({ weight: [4, 32], potential: [2, 32] }),
    { inputEvents: 10, synOps: 20, updates: 4 },
  );

  it('ann-ideal-reuse clamps per-event weight reads to one per stored word per step (20 → 2 × 4 = 8); neuromorphic-core keeps all 20', () => {
    const ideal = model('ann-ideal-reuse').price(spiking, roundProfile('ann-ideal-reuse', '', OPS));
    expect(ideal.items.find((i) => i.operand === 'weight')!.count).toBe(8);
    // 20 ACs × 1 + 8 weight reads × sram32(128) + 8 potential accesses × sram32(64)
    expect(ideal.totalJ).toBeCloseTo((20 + 8 * sram32(128) + 8 * sram32(64)) * pJ, 22);
    const core = model('neuromorphic-core').price(spiking, roundProfile('neuromorphic-core', FIFO, OPS));
    expect(core.totalJ).toBeCloseTo((20 + 20 * sram32(128) + 8 * sram32(64)) * pJ, 22);
  });

  it('all-in chips price it from its activity (20 synaptic events × 26 pJ on TrueNorth)', () => {
    expect(model('all-in-chip').price(spiking, getProfile('truenorth')).totalJ).toBeCloseTo(20 * 26 * pJ, 22);
  });

  it('break-even skips the recorded layer (no σ) instead of crashing; synOpMarginalJ refuses it', () => {
    const snn = { ledger: spiking, profile: roundProfile('neuromorphic-core', FIFO, OPS) };
    const ann = { ledger: attn, profile: roundProfile('ann-ideal-reuse', '', OPS) };
    const be = breakEven(snn, ann);
    expect(be.layers[0]).toMatchObject({ denseSynOps: 0, sigma: 0, snnPerSigmaJ: 0, sigmaStar: null, never: false });
    expect(be.layers[0].snnFixedJ).toBe(be.layers[0].snnJ);
    expect(be.network.snnPerSigmaJ).toBe(0);
    expect(() => model('neuromorphic-core').synOpMarginalJ!(spiking.layers[0], spiking, snn.profile)).toThrow(/recorded layer .* ∂E\/∂SOP is not defined/);
  });

  it('the uncertainty analysis varies the exp/div multiply-add counts: they move the ratio (tornado) and the bounds stay exact', () => {
    const u = pairUncertainty({ ledger: spiking, profile: getProfile('neuromorphic-core-45nm') }, { ledger: attn, profile: getProfile('ann-ideal-reuse-45nm') }, { samples: 200, seed: 3 }, 'recorded');
    const bar = (id: string) => u.tornado.find((t) => t.constant === id)!;
    expect(bar('op-equivalents/exp-macs').swing).toBeGreaterThan(0);
    expect(bar('op-equivalents/div-macs').swing).toBeGreaterThan(0);
    expect(bar('op-equivalents/log-macs').swing).toBe(0); // no log in either ledger
    expect(u.interval.ratioExact).toBe(true);
    expect(u.interval.ratio[0]).toBeLessThanOrEqual(u.monteCarlo!.ratio.p05);
    expect(u.monteCarlo!.ratio.p95).toBeLessThanOrEqual(u.interval.ratio[1]);
    // the ANN total's low bound prices exp at 6 MACs and div at 3 (every constant at its low end)
    const p = getProfile('ann-ideal-reuse-45nm');
    const low = model('ann-ideal-reuse').price(attn, withConstantValues(p, (c) => c.lowSI));
    expect(low.items.find((i) => i.operand === 'exp')!.energyJ).toBeCloseTo(8 * 6 * (2.96 + 0.72) * pJ, 20);
    expect(totalBounds(attn, p).lowJ).toBe(low.totalJ);
  });
});

describe('refusals, one line each', () => {
  it('lemaire-2022 refuses recorded layers', () => {
    expect(() => model('lemaire-2022').price(attn, getProfile('lemaire-2022'))).toThrow(/^lemaire-2022: layer attn is a recorded layer \(kind "mixer-softmax"\); Lemaire et al\.'s formulas are for dense and conv layers/);
  });

  it('a persistent operand with traffic but no store is refused, naming the layer and the operand', () => {
    const noKv = recordedLedger('ann', 1, 'mixer-softmax', ATTN_COMPUTE, ATTN_MEMORY, stores({ weight: [256, 32] }));
    for (const id of ['ann-ideal-reuse', 'ann-no-reuse']) expect(() => model(id).price(noKv, roundProfile(id, '', OPS))).toThrow(OutOfRangeError);
    expect(() => model('neuromorphic-core').price(noKv, roundProfile('neuromorphic-core', FIFO, OPS))).toThrow(/layer attn \(kind "mixer-softmax"\) records 80 kv accesses but no 'kv' store/);
    expect(() => model('accelerator-rs').price(noKv, roundProfile('accelerator-rs', HIERARCHY, OPS))).toThrow(/no 'kv' store/);
  });

  it('a profile that binds no multiply-add count for exp refuses ledgers with exp', () => {
    expect(() => model('ann-ideal-reuse').price(attn, roundProfile('ann-ideal-reuse'))).toThrow(/op "exp" needs the constant role expMacs/);
  });

  it('all-in chips refuse ANN ledgers and spiking layers with real-valued arithmetic', () => {
    expect(() => model('all-in-chip').price(attn, getProfile('loihi'))).toThrow(/prices spiking ledgers only/);
    const softmaxSnn = recordedLedger('snn', 2, 'mixer-spikformer', ATTN_COMPUTE, ATTN_MEMORY, ATTN_STORES);
    expect(() => model('all-in-chip').price(softmaxSnn, getProfile('loihi'))).toThrow(/layer attn \(kind "mixer-spikformer"\) records mac ops \(projection\); a chip's per-event figures cover spike events/);
  });

  it('an all-in accelerator prices every MAC of a recorded ANN layer (projection, score, value) and refuses exp it has no figure for', () => {
    const noSoftmax = recordedLedger('ann', 1, 'mixer-linear', ATTN_COMPUTE.filter((c) => c.op !== 'exp' && c.op !== 'div'), ATTN_MEMORY, ATTN_STORES);
    const priced = model('all-in-accelerator').price(noSoftmax, getProfile('northpole'));
    expect(priced.totalJ).toBeCloseTo((256 + 32 + 32) * 0.5217 * pJ, 24); // the rack's 0.5217 pJ per MAC
    expect(priced.unpriced.map((u) => [u.what.split(' (')[0], u.count])).toEqual([['mul', 8], ['cmp', 6], ['add', 14], ['mul', 8], ['memory accesses', 256 + 32 + 64 + 16 + 8]]);
    expect(() => model('all-in-accelerator').price(attn, getProfile('northpole'))).toThrow(/layer attn \(kind "mixer-softmax"\) records exp ops \(softmax\)/);
  });

  it('a dense layer of the other family still refuses the ledger', () => {
    const mixed: Ledger = { ...attn, backend: { ...attn.backend, family: 'snn' }, layers: [{ ...attn.layers[0], geometry: { ...attn.layers[0].geometry, kind: 'dense' }, stores: undefined }] };
    expect(() => model('ann-ideal-reuse').price(mixed, roundProfile('ann-ideal-reuse', '', OPS))).toThrow(/prices ANN ledgers only/);
  });
});
