// Issue 8's plasticity pricing: the brain models' learning phases carry their stores, so the
// memory-aware profiles price Hebbian storage, SOM updates and STDP learning with memory (no refusal for
// exp or div any more). By hand on a 2-synapse STDP plasticity ledger and a 4-unit Hopfield storage
// ledger, round-number technology (test/cost-fixtures.ts): fp32 add 1 pJ, mult 4 pJ, MAC 5 pJ, int32
// add 0.5 / mult 2 pJ (adds scale linearly with width, multipliers quadratically); SRAM per 64-bit access
// 0.001 pJ/bit × capacity + 10 pJ, a b-bit word b/64 of it; div = 5 MACs.
import { describe, expect, it } from 'vitest';
import { COST_MODELS, getProfile } from '../cost-models/registry.js';
import type { Bipolar } from '../workloads/brain/hopfield.js';
import { createClassic, storeClassic } from '../workloads/brain/hopfield.js';
import { ActivityLog, brainGeometry, phaseLedger } from '../workloads/brain/phase.js';
import type { Som } from '../workloads/brain/som.js';
import { trainSom } from '../workloads/brain/som.js';
import type { StdpParams } from '../workloads/brain/stdp.js';
import { DEFAULT_STDP, STDP_RULES, plasticityStores } from '../workloads/brain/stdp.js';
import { pJ, roundProfile } from './cost-fixtures.js';

const model = (id: string) => COST_MODELS.get(id)!;
const OPS = '\n  expMacs: op-equivalents/exp-macs\n  logMacs: op-equivalents/log-macs\n  divMacs: op-equivalents/div-macs';
const FIFO = '\n  fifoEntries: { value: 1000, unit: entries, source: t }';
const HIERARCHY = `\n  peRows: { value: 12, unit: PEs, source: t }\n  peCols: { value: 14, unit: PEs, source: t }\n  rfBits: { value: 1024, unit: bits, source: t }\n  gbBits: { value: 4096, unit: bits, source: t }`;
/** pJ of one b-bit word in an SRAM of `capacity` bits. */
const sram = (capacity: number, b: number) => ((0.001 * capacity + 10) * b) / 64;

describe('STDP plasticity on 2 synapses (inputs 0, 1 → one neuron), T = 4 steps, one presentation', () => {
  // the sequence of test/brain-stdp.test.ts: pre 0, pre 1, post, pre 0 → 3·N + 1·C = 5 weight updates, 12 trace decays
  const p: StdpParams = { ...DEFAULT_STDP, neurons: 1, steps: 4 };
  const log = new ActivityLog(1, 4);
  log.add(0, { inputEvents: 3, outputEvents: 1, synOps: 5, updates: 12 });
  const ledger = phaseLedger({ id: 'stdp', family: 'snn', timesteps: 4, params: {} }, 1, [
    { name: 'plasticity', geometry: brainGeometry('stdp-plasticity', 2, 1), log, rules: STDP_RULES.plasticity(p, 2), stores: plasticityStores(2, 1) },
  ]);
  // ops: 12 trace-decay mul × 4 + 4 trace add + 5 MACs × 5 + 5 clip cmp + 2 normalisation add + 1 div × 25 + 2 normalisation mul × 4
  const OPS_PJ = 48 + 4 + 25 + 5 + 2 + 25 + 8;
  // memories: the 2 weights (64 bits: 5.032 pJ per 32-bit word), the 3 traces (96 bits: 5.048 pJ)
  const w = sram(64, 32);
  const tr = sram(96, 32);

  it('the ledger: 9 weight reads, 7 writes, 21 trace reads, 19 writes; stores of 2 weights and 3 traces', () => {
    expect(OPS_PJ).toBe(117);
    expect(ledger.layers[0].memory.map((m) => [m.operand, m.action, m.count.mean])).toEqual([['weight', 'read', 9], ['weight', 'write', 7], ['trace', 'read', 21], ['trace', 'write', 19]]);
    expect(ledger.layers[0].stores).toEqual([{ operand: 'weight', words: 2, bits: 32 }, { operand: 'trace', words: 3, bits: 32 }]);
  });

  it('neuromorphic-core: every access as recorded (16 weight, 40 trace): 399.432 pJ', () => {
    const hand = OPS_PJ + 16 * w + 40 * tr;
    expect(hand).toBeCloseTo(399.432, 9);
    expect(model('neuromorphic-core').price(ledger, roundProfile('neuromorphic-core', FIFO, OPS)).totalJ).toBeCloseTo(hand * pJ, 22);
  });

  it('ann-ideal-reuse: reads at most one per stored word per step — weights 9 → 4 × 2 = 8, traces 21 → 4 × 3 = 12: 348.968 pJ', () => {
    const hand = OPS_PJ + (8 + 7) * w + (12 + 19) * tr;
    expect(hand).toBeCloseTo(348.968, 9);
    const priced = model('ann-ideal-reuse').price(ledger, roundProfile('ann-ideal-reuse', '', OPS));
    expect(priced.totalJ).toBeCloseTo(hand * pJ, 22);
    expect(priced.items.find((i) => i.operand === 'trace' && i.action === 'read')!.count).toBe(12);
  });

  it('accelerator: both stores fit a PE register file (≤ 1024 bits): 56 accesses × 1 × E_MAC (5 pJ) + ops = 397 pJ', () => {
    expect(model('accelerator-rs').price(ledger, roundProfile('accelerator-rs', HIERARCHY, OPS)).totalJ).toBeCloseTo((OPS_PJ + 56 * 5) * pJ, 22);
  });

  it('Loihi prices the 7 weight writes at its ~120 pJ synaptic (learning) update and lists the rule’s ops as unpriced', () => {
    const priced = model('all-in-chip').price(ledger, getProfile('loihi'));
    expect(priced.totalJ).toBeCloseTo(7 * 120 * pJ, 22);
    expect(priced.items).toEqual([{ layerIndex: 0, layer: 'plasticity', component: 'all-in', operand: 'synaptic-update', action: 'learn', level: 'chip', count: 7, energyJ: 7 * 120 * pJ }]);
    expect(priced.unpriced.map((u) => u.what)).toContain('div (normalisation; learning-rule op, inside the per-update figure or not published)');
  });

  it.each(['truenorth', 'odin', 'spinnaker-1', 'spinnaker-2'])('%s publishes no learning figure: the plasticity layer is refused, nothing invented', (id) => {
    expect(() => model('all-in-chip').price(ledger, getProfile(id))).toThrow(new RegExp(`layer plasticity learns on chip \\(7 weight writes per sample\\) but profile ${id} binds no published energy per synaptic \\(learning\\) update`));
  });

  it('ops-only prices the 5 plasticity MACs (4.6 pJ each), nothing else', () => {
    expect(model('ops-only').price(ledger, getProfile('ops-only-45nm')).totalJ).toBeCloseTo(5 * 4.6 * pJ, 22);
  });
});

describe('Hebbian storage of two patterns in a 4-unit Hopfield network, per stored pattern', () => {
  const bip = (...v: number[]): Bipolar => Int8Array.from(v);
  const storage = storeClassic(createClassic(4), [bip(1, 1, -1, -1), bip(1, -1, 1, -1)]).ledger;
  // 12 int16 ACs (0.25 pJ each); 16 pattern-bit reads from a 4-bit memory (0.1563125 pJ per bit);
  // 12 reads and 12 writes of 16-bit counts in a 12 × 16 = 192-bit memory (2.548 pJ per word)
  const bit = sram(4, 1);
  const count = sram(192, 16);

  it('carries its stores: the pattern (4 bits) and the N(N − 1) Hebbian counts (12 × 16 bits)', () => {
    expect(storage.layers[0].stores).toEqual([{ operand: 'input', words: 4, bits: 1 }, { operand: 'weight', words: 12, bits: 16 }]);
  });

  it('neuromorphic-core and ann-no-reuse (no MACs to add fetches for): 66.653 pJ; ann-ideal-reuse reads each pattern bit once: 64.77725 pJ', () => {
    const recorded = 12 * 0.25 + 16 * bit + 24 * count;
    expect(recorded).toBeCloseTo(66.653, 9);
    expect(model('neuromorphic-core').price(storage, roundProfile('neuromorphic-core', FIFO, OPS)).totalJ).toBeCloseTo(recorded * pJ, 22);
    expect(model('ann-no-reuse').price(storage, roundProfile('ann-no-reuse', '', OPS)).totalJ).toBeCloseTo(recorded * pJ, 22);
    const ideal = 12 * 0.25 + 4 * bit + 24 * count;
    expect(ideal).toBeCloseTo(64.77725, 9);
    expect(model('ann-ideal-reuse').price(storage, roundProfile('ann-ideal-reuse', '', OPS)).totalJ).toBeCloseTo(ideal * pJ, 22);
  });

  it('accelerator: everything in the register file at E_MAC of an int16 MAC (2/4 + 0.5/2 = 0.75 pJ), 1-bit pattern reads packed 16 to an access: 24 × 0.75 + 16 × 0.75/16 + 3 = 21.75 pJ', () => {
    expect(model('accelerator-ws').price(storage, roundProfile('accelerator-ws', HIERARCHY, OPS)).totalJ).toBeCloseTo(21.75 * pJ, 22);
  });
});

describe('the built-in memory-aware profiles price every learning phase, exp and div included', () => {
  const som: Som = { rows: 2, cols: 2, dim: 2, w: Float32Array.from([0, 0, 1, 0, 0, 1, 1, 1]) };
  const learning = trainSom(som, [[0.2, 0.1], [0.9, 0.9]], { alpha0: 0.5, alphaEnd: 0.25, sigma0: 1, sigmaEnd: 0.4, cutoff: 3 }).ledger;
  it.each(['ann-no-reuse-45nm', 'ann-ideal-reuse-45nm', 'eyeriss-rs-65nm', 'eyeriss-ws-65nm', 'neuromorphic-core-45nm'])('%s prices the SOM update (exp per neighbour, a division per schedule step)', (id) => {
    const p = getProfile(id);
    const priced = model(p.model).price(learning, p);
    expect(priced.totalJ).toBeGreaterThan(0);
    expect(priced.items.filter((i) => i.layer === 'neighbourhood-update' && (i.operand === 'exp' || i.operand === 'div')).length).toBe(2);
    expect(priced.items.some((i) => i.operand === 'lut_row')).toBe(true);
  });
});
