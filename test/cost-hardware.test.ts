// Profiles 3–6 against hand computation on one FC layer and one conv layer (round-number technology
// from cost-fixtures.ts: fp add 1 pJ, fp mult 4 pJ, int add 0.5 pJ; SRAM per 64-bit access
// 0.001 pJ/bit × capacity + 10 pJ, 32-bit words cost half; Eyeriss costs RF 1, array 2, buffer 6, DRAM 200).
import { describe, expect, it } from 'vitest';
import { reuseFactors } from '../cost-models/accelerator.js';
import { totalEnergyJ } from '../cost-models/energy.js';
import { OutOfRangeError } from '../cost-models/model.js';
import { COST_MODELS, getProfile } from '../cost-models/registry.js';
import { CONV, FC, annLayer, handLedger, pJ, roundProfile, snnLayer } from './cost-fixtures.js';

const model = (id: string) => COST_MODELS.get(id)!;
/** SRAM word energy (pJ) of a 32-bit word in a memory of `words` 32-bit words. */
const sram = (words: number) => (0.001 * words * 32 + 10) / 2;

// FC 4→3: 2 nonzero inputs → 6 MACs with a nonzero input (of 12)
const annFc = handLedger('ann', 1, [annLayer(FC, 2, 6)]);
// conv 1→2, 4×4, 3×3: 16 inputs, 18 weights, 8 outputs, 72 MACs; 10 nonzero inputs → 45 nonzero MACs
const annConv = handLedger('ann', 1, [annLayer(CONV, 10, 45)]);

describe('ann-no-reuse: E = N·(E_MAC + E_rd,w + E_rd,x + E_rd,psum + E_wr,psum) + per-output terms', () => {
  const p = roundProfile('ann-no-reuse');
  it('FC layer by hand', () => {
    const perMac = 5 + sram(12) + sram(4) + 2 * sram(3); // 5 + 5.192 + 5.064 + 2·5.048
    const hand = 12 * perMac + 3 * sram(3) /* bias reads */ + 3 * sram(3) /* output writes */ + 3 * 1 /* bias add */ + 3 * 1; /* relu compare */
    expect(hand).toBeCloseTo(340.512, 9);
    expect(model('ann-no-reuse').price(annFc, p).totalJ).toBeCloseTo(hand * pJ, 22);
  });
  it('conv layer by hand', () => {
    const perMac = 5 + sram(18) + sram(16) + 2 * sram(8);
    const hand = 72 * perMac + 8 * sram(2) /* bias memory holds 2 */ + 8 * sram(8) + 8 + 8;
    expect(model('ann-no-reuse').price(annConv, p).totalJ).toBeCloseTo(hand * pJ, 22);
  });
});

describe('ann-ideal-reuse: E = (1 − s_x)·N·E_MAC + |W|·E_rd,w + |X|·E_rd,x + |Y|·E_wr,y + bias', () => {
  const p = roundProfile('ann-ideal-reuse');
  it('FC layer by hand', () => {
    const hand = 6 * 5 + 12 * sram(12) + 4 * sram(4) + 3 * sram(3) + 3 * sram(3) + 3 + 3;
    expect(hand).toBeCloseTo(148.848, 9);
    const priced = model('ann-ideal-reuse').price(annFc, p);
    expect(priced.totalJ).toBeCloseTo(hand * pJ, 22);
    expect(priced.items.find((i) => i.operand === 'weight')!.count).toBe(12); // each weight read once
  });
  it('conv layer by hand: each weight read once although it is used OY·OX = 4 times', () => {
    const hand = 45 * 5 + 18 * sram(18) + 16 * sram(16) + 8 * sram(2) + 8 * sram(8) + 8 + 8;
    expect(model('ann-ideal-reuse').price(annConv, p).totalJ).toBeCloseTo(hand * pJ, 22);
  });
  it('never costs more than no reuse on the same ledger', () => {
    for (const l of [annFc, annConv]) expect(model('ann-ideal-reuse').price(l, p).totalJ).toBeLessThan(model('ann-no-reuse').price(l, roundProfile('ann-no-reuse')).totalJ);
  });
  it('a memory larger than sramMaxBits is refused, not priced as DRAM: the fit is not extrapolated', () => {
    // conv weights: 18 words × 32 bits = 576 bits > a fit declared valid up to 550 bits
    const small = roundProfile('ann-ideal-reuse').parameters;
    const p2 = { ...p, parameters: { ...small, sramMaxBits: { ...small.sramMaxBits, value: 550 } } };
    expect(() => model('ann-ideal-reuse').price(annConv, p2)).toThrow(OutOfRangeError);
    expect(() => model('ann-ideal-reuse').price(annConv, p2)).toThrow(/^layer conv: profile round-ann-ideal-reuse: the weight SRAM holds 576 bits .*above sramMaxBits = 550.*declare it \(options: memoryKind\.weight: \{ value: dram/);
  });
  it('DRAM only where the profile declares it (memoryKind.<operand>), whatever the size', () => {
    const p3 = roundProfile('ann-ideal-reuse', '', '', '  memoryKind.weight: { value: dram, source: weights off chip }');
    const items = model('ann-ideal-reuse').price(annConv, p3).items;
    const weight = items.find((i) => i.operand === 'weight')!;
    expect(weight.level).toBe('dram'); // 576 bits, far below any SRAM limit: DRAM because declared
    expect(weight.energyJ).toBeCloseTo(18 * 500 * pJ, 22); // 1000 pJ per 64-bit access · 32/64 per word
    expect(items.find((i) => i.operand === 'input')).toMatchObject({ level: 'sram' }); // not declared: the profile's memoryKind (sram)
    // the whole profile in DRAM: every access 500 pJ; ops as before (45 MACs × 5 pJ, 8 bias adds, 8 compares)
    const all = roundProfile('ann-ideal-reuse', '', '', '  memoryKind: { value: dram, source: everything off chip }');
    const hand = (18 + 16 + 8 + 8) * 500 + 45 * 5 + 8 + 8;
    expect(model('ann-ideal-reuse').price(annConv, all).totalJ).toBeCloseTo(hand * pJ, 22);
  });
  it('refuses spiking ledgers', () => {
    expect(() => model('ann-ideal-reuse').price(handLedger('snn', 2, [snnLayer(FC, 2, { inputEvents: 5, outputEvents: 2, synOps: 15, updates: 6 })]), p)).toThrow(OutOfRangeError);
  });
});

describe('neuromorphic-core: per event, per synaptic op, per update, per spike', () => {
  const p = roundProfile('neuromorphic-core', '\n  fifoEntries: { value: 1000, unit: entries, source: t }');
  // FIFO of 1000 two-bit addresses (4 inputs, 3 outputs): (0.001·2000 + 10)·2/64 = 0.375 pJ
  const fifo = ((0.001 * 2000 + 10) * 2) / 64;
  const addr = 0.5 * (2 / 32); // a 2-bit address add
  const act = { inputEvents: 5, outputEvents: 2, synOps: 15, updates: 6 };

  it('IF FC layer by hand', () => {
    const hand =
      5 * fifo + // input events read from the FIFO
      15 * (sram(12) + 2 * sram(3) + 1 + addr) + // per SOP: weight, potential read + write, AC, address
      6 * (2 * sram(3) + sram(3)) + // per update: potential read + write, bias read
      6 * 1 + 6 * 1 + 2 * 1 + // bias adds, threshold compares, resets
      2 * fifo; // output spikes into the next FIFO
    expect(hand).toBeCloseTo(352.27775, 9);
    const ledger = handLedger('snn', 2, [snnLayer(FC, 2, act)]);
    expect(model('neuromorphic-core').price(ledger, p).totalJ).toBeCloseTo(hand * pJ, 22);
    expect(model('neuromorphic-core').synOpMarginalJ!(ledger.layers[0], ledger, p)).toBeCloseTo((sram(12) + 2 * sram(3) + 1 + addr + fifo / 3) * pJ, 22);
  });

  it('LIF adds a leak multiply per update; CUBA adds a current read-modify-write, decay and add per update', () => {
    const price = (n: 'if' | 'lif' | 'cuba') => model('neuromorphic-core').price(handLedger('snn', 2, [snnLayer(FC, 2, act, n)]), p).totalJ / pJ;
    expect(price('lif') - price('if')).toBeCloseTo(6 * 4, 9);
    expect(price('cuba') - price('lif')).toBeCloseTo(6 * (2 * sram(3)) + 6 * 4 + 6 * 1, 9);
  });

  it('event-driven execution adds a timestamp read and write per update', () => {
    const td = model('neuromorphic-core').price(handLedger('snn', 2, [snnLayer(FC, 2, act)], { execution: 'time-stepped' }), p).totalJ;
    const ed = model('neuromorphic-core').price(handLedger('snn', 2, [snnLayer(FC, 2, act)], { execution: 'event-driven' }), p).totalJ;
    expect((ed - td) / pJ).toBeCloseTo(6 * 2 * sram(3), 9);
  });

  it('conv layer by hand (16 inputs, 8 neurons, 18 weights)', () => {
    const a = { inputEvents: 12, outputEvents: 3, synOps: 50, updates: 16 };
    const fifoIn = ((0.001 * 1000 * 4 + 10) * 4) / 64; // 4-bit addresses of 16 inputs
    const fifoOut = ((0.001 * 1000 * 3 + 10) * 3) / 64; // 3-bit addresses of 8 outputs
    const hand = 12 * fifoIn + 50 * (sram(18) + 2 * sram(8) + 1 + 0.5 * (3 / 32)) + 16 * (2 * sram(8) + sram(2)) + 16 + 16 + 3 + 3 * fifoOut;
    expect(model('neuromorphic-core').price(handLedger('snn', 2, [snnLayer(CONV, 2, a)]), p).totalJ).toBeCloseTo(hand * pJ, 22);
  });

  it('a read-out layer writes its outputs once instead of spikes', () => {
    const items = model('neuromorphic-core').price(handLedger('snn', 2, [snnLayer(FC, 2, act, null)]), p).items;
    const out = items.find((i) => i.operand === 'output')!;
    expect(out.count).toBe(3);
    expect(out.energyJ).toBeCloseTo(3 * sram(3) * pJ, 22);
    expect(items.some((i) => i.operand === 'event' && i.action === 'write')).toBe(false);
  });

  it('refuses ANN ledgers', () => expect(() => model('neuromorphic-core').price(annFc, p)).toThrow(/prices spiking ledgers only/));
});

describe('accelerator (Eyeriss-style hierarchy and dataflow)', () => {
  const params = (gb: number) => `\n  peRows: { value: 12, unit: PEs, source: t }\n  peCols: { value: 14, unit: PEs, source: t }\n  rfBits: { value: 4160, unit: bits, source: t }\n  gbBits: { value: ${gb}, unit: bits, source: t }`;
  const hw = { peRows: 12, peCols: 14, rfBits: 4160, gbBits: 1e6 };
  const bits = { weight: 32, input: 32, accumulator: 32 };

  it('row-stationary reuse factors of the conv layer by hand', () => {
    const r = reuseFactors(annConv.layers[0], 'row-stationary', hw, bits);
    // weights: 4 uses = d (OX = 2) × c (OY = 2); inputs: 72/16 = 4.5 uses, d = FX = 3, c = min(FY, 4.5/3) = 1.5;
    // psums: 9 accumulations = d (FX = 3) × c (FY = 3); everything crosses DRAM once, b takes the rest (1)
    expect(r.w).toEqual({ a: 1, b: 1, c: 2, d: 2 });
    expect(r.x).toEqual({ a: 1, b: 1, c: 1.5, d: 3 });
    expect(r.o).toEqual({ a: 1, b: 1, c: 3, d: 3 });
  });

  it('row-stationary conv layer energy by hand (E_MAC = 5 pJ)', () => {
    const w = 18 * (200 + 6 + 2 * 2 + 4 * 1); // a·DRAM + ab·GB + abc·array + abcd·RF
    const x = 16 * (200 + 6 + 1.5 * 2 + 4.5 * 1);
    const o = 8 * (1 * 200 + 0 + 1 * 1 * (3 - 1) * 2 + 2 * 3 * (3 - 1) * 1); // (2a−1)·DRAM + 2a(b−1)·GB + ab(c−1)·array + 2abc(d−1)·RF
    const hand = (w + x + o + 2 * 200) /* biases from DRAM */ * 5 + 72 * 5 + 8 + 8;
    expect(hand).toBe(47356);
    expect(model('accelerator-rs').price(annConv, roundProfile('accelerator-rs', params(1e6))).totalJ).toBeCloseTo(hand * pJ, 20);
  });

  it('weight-stationary keeps each weight in the RF for all OY·OX uses; output-stationary each psum for all C·FY·FX', () => {
    const ws = reuseFactors(annConv.layers[0], 'weight-stationary', hw, bits);
    expect(ws.w.d).toBe(4);
    expect(ws.x.c).toBe(2); // inputs multicast over min(K = 2, 14) PEs
    const os = reuseFactors(annConv.layers[0], 'output-stationary', hw, bits);
    expect(os.o).toEqual({ a: 1, b: 1, c: 1, d: 9 });
    expect(os.w.c).toBe(4);
  });

  it('FC layer: no reuse to exploit at batch 1, every weight crosses every level once', () => {
    const r = reuseFactors(annFc.layers[0], 'row-stationary', hw, bits);
    expect(r.w).toEqual({ a: 1, b: 1, c: 1, d: 1 });
    const e = model('accelerator-rs').price(annFc, roundProfile('accelerator-rs', params(1e6)));
    const weight = totalEnergyJ(e.items.filter((i) => i.operand === 'weight'));
    expect(weight).toBeCloseTo(12 * (200 + 6 + 2 + 1) * 5 * pJ, 22);
  });

  it('a global buffer too small for the resident tensors re-fetches the streamed one per tile', () => {
    // conv 1→1, 6×6 input, 3×3: inputs 36 words (1152 bits) stream; weights 9 + outputs 16 (800 bits)
    // stay in a 512-bit buffer as ⌈800/512⌉ = 2 tiles, so each input is fetched from DRAM twice and read
    // twice more from the buffer per fetch (uses 144/36 = 4; output-stationary keeps no input in the RF)
    const one = annLayer({ ...CONV, outChannels: 1, inputHW: [6, 6], weight: new Float32Array(9), bias: new Float32Array(1) }, 36, 144);
    expect(reuseFactors(one, 'output-stationary', { ...hw, gbBits: 512 }, bits).x).toEqual({ a: 2, b: 2, c: 1, d: 1 });
    expect(reuseFactors(one, 'output-stationary', { ...hw, gbBits: 1024 }, bits).x).toEqual({ a: 1, b: 4, c: 1, d: 1 });
  });

  it('refuses a row-stationary mapping whose filter row does not fit the register file', () => {
    expect(() => reuseFactors(annConv.layers[0], 'row-stationary', { ...hw, rfBits: 100 }, bits)).toThrow(/needs 224 bits of register file per PE/);
  });

  it('the built-in Eyeriss profile scales the MAC from 45 nm, 0.9 V to 65 nm, 1.0 V', () => {
    const p = getProfile('eyeriss-rs-65nm');
    const e = model('accelerator-rs').price(annFc, p);
    const mac = e.items.find((i) => i.operand === 'mac')!;
    const factor = (3.755 - 4.398 + 1.975) / (1.103 * 0.81 - 0.362 * 0.9 + 0.2767);
    expect(mac.energyJ / mac.count).toBeCloseTo(4.6e-12 * factor, 22);
  });
});
