// Both cost models against hand computation on the 3-4-2 network, Lemaire's published worked values,
// and Lemaire's SRAM fit against the three Horowitz points it was fitted to.
import { linearRegression } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { createAnnDense } from '../harness/backends/ann.js';
import { createSnn } from '../harness/backends/snn.js';
import { rasterEncoder } from '../harness/encoders.js';
import { layerGeometry } from '../harness/layers.js';
import type { Ledger } from '../core/ledger.js';
import { buildLayerLedger, newActivityRecorder } from '../core/ledger.js';
import { builtinConstants } from '../cost-models/constants.js';
import { totalEnergyJ } from '../cost-models/energy.js';
import { lemaireModel, lemaireSramJ } from '../cost-models/lemaire-2022.js';
import { OutOfRangeError } from '../cost-models/model.js';
import { opsOnlyModel } from '../cost-models/ops-only.js';
import { parseProfile } from '../cost-models/profile.js';
import { COST_MODELS, getProfile } from '../cost-models/registry.js';
import { TINY_MODEL, TINY_SNN, dense, sampleSet } from './fixtures.js';

const pJ = 1e-12;
const ann = createAnnDense(TINY_MODEL).run(sampleSet([[1, 0, 0.5]], [0])).ledger;
const snn = createSnn(TINY_SNN, { timesteps: 2, seed: 7, encoder: rasterEncoder([[0, 2], [0]]) }).run(sampleSet([[1, 0, 0.5]], [0])).ledger;

describe('ops-only-45nm: E = MACs × 4.6 pJ + ACs × 0.9 pJ', () => {
  const profile = getProfile('ops-only-45nm');

  it('prices the ANN: (12 + 8) MACs × 4.6 pJ = 92 pJ', () => {
    const priced = opsOnlyModel.price(ann, profile);
    expect(priced.totalJ).toBeCloseTo(92 * pJ, 24);
    expect(priced.items.map((i) => [i.layer, i.operand, i.count])).toEqual([
      ['fc1', 'mac', 12],
      ['fc2', 'mac', 8],
    ]);
  });

  it('prices the SNN: (12 + 6) ACs × 0.9 pJ = 16.2 pJ, and lists what it leaves out', () => {
    const priced = opsOnlyModel.price(snn, profile);
    expect(priced.totalJ).toBeCloseTo(16.2 * pJ, 24);
    expect(priced.unpriced.find((u) => u.layer === 'fc1' && u.what === 'cmp (threshold)')?.count).toBe(8);
    expect(priced.unpriced.find((u) => u.layer === 'fc1' && u.what === 'potential write')?.count).toBe(20);
    expect(priced.items.every((i) => i.component === 'compute')).toBe(true);
  });

  it('names every constant it multiplied by, with its source', () => {
    const priced = opsOnlyModel.price(ann, profile);
    expect(priced.constants.map((c) => [c.id, c.value, c.unit])).toEqual([
      ['horowitz-45nm/fp32-mac', 4.6, 'pJ'],
      ['horowitz-45nm/fp32-add', 0.9, 'pJ'],
    ]);
  });
});

describe('lemaire-2022 on the 3-4-2 network (32-bit words, FIFO of 1000 entries)', () => {
  const profile = getProfile('lemaire-2022');
  // E_ram(bits) = 1.09e-5 pJ/bit × bits + 13.2 pJ
  const ram = (elements: number) => (1.09e-5 * elements * 32 + 13.2) * pJ;

  it('prices the FNN layer by layer (Eq 2, 4, 6, 12 and addressing)', () => {
    const fc1 =
      3 * ram(3) + // input reads at the input memory
      12 * ram(12) + // weight reads
      4 * ram(4) + // bias reads
      4 * ram(4) + // output writes
      12 * 3.2 * pJ + // MACs: E_mul + E_add = 3.1 + 0.1
      4 * 0.1 * pJ + // bias accumulations
      12 * 0.1 * pJ; // addressing: one ACC per weight
    const fc2 = 4 * ram(4) + 8 * ram(8) + 2 * ram(2) + 2 * ram(2) + 8 * 3.2 * pJ + 2 * 0.1 * pJ + 8 * 0.1 * pJ;
    const priced = lemaireModel.price(ann, profile);
    expect(priced.totalJ).toBeCloseTo(fc1 + fc2, 22);
    expect(totalEnergyJ(priced.items.filter((i) => i.layer === 'fc1'))).toBeCloseTo(fc1, 22);
  });

  it('prices the SNN by events (Eq 5, 7, 8, 10, 13, 15, 2.4, 17.2)', () => {
    // fc1: θ_in = 3, θ_out = 3, N_out = 4, T = 2; fc2: θ_in = 3, read-out N_out = 2
    const fifo = ram(1000);
    const fc1 =
      3 * fifo + // input events from the FIFO
      12 * ram(12) + // one weight row per event: θ_in × N_out
      8 * ram(4) + // bias every step: N_out × T
      2 * 20 * ram(4) + // potentials read and written: θ_in·N_out + N_out·T each
      3 * fifo + // output spikes into the next FIFO
      (12 + 8 + 3) * 0.1 * pJ + // ACC: synaptic + bias + reset
      12 * 0.1 * pJ; // addressing θ_in × N_out
    const fc2 = 3 * fifo + 6 * ram(8) + 4 * ram(2) + 2 * 10 * ram(2) + 2 * ram(2) + (6 + 4 + 0) * 0.1 * pJ + 6 * 0.1 * pJ;
    const priced = lemaireModel.price(snn, profile);
    expect(totalEnergyJ(priced.items.filter((i) => i.layer === 'fc1'))).toBeCloseTo(fc1, 22);
    expect(priced.totalJ).toBeCloseTo(fc1 + fc2, 22);
    expect(priced.items.some((i) => i.action === 'leak')).toBe(false); // IF neurons do not leak
  });

  it('reproduces the worked example of Lemaire\'s formulas (N_in 3, N_out 4, T 2, 8-bit memory, θ_in 5, θ_out 3, FIFO 64)', () => {
    const layer = dense('fc', 3, 4, [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], [0, 0, 0, 0], 'relu');
    const rec = newActivityRecorder(1, 2);
    rec.inputEvents[0] = 5;
    rec.outputEvents[0] = 3;
    const word = { bits: 8 } as const;
    const entry = buildLayerLedger(0, 'fc', layerGeometry(layer), 2, rec, {
      compute: [],
      memory: [
        { operand: 'weight', action: 'read', ...word, count: (a) => a.inputEvents * 4 },
        { operand: 'potential', action: 'read', ...word, count: (a) => a.inputEvents * 4 + 8 },
      ],
      footprint: { weightBits: 96, biasBits: 32, stateBits: 32 },
      neuron: 'if',
    });
    const ledger = (family: 'ann' | 'snn'): Ledger => ({ backend: { id: 'x', family, timesteps: family === 'snn' ? 2 : 1, params: {} }, samples: 1, layers: [entry] });
    const p64 = parseProfile(
      `id: lemaire-fifo64\nmodel: lemaire-2022\ntitle: t\ndescription: d\nconstants: {add: horowitz-45nm/int32-add, mul: horowitz-45nm/int32-mult, sramSlope: lemaire-2022/sram-slope, sramIntercept: lemaire-2022/sram-intercept}\nparameters: {fifoEntries: {value: 64, unit: entries, source: test}, accessBits: {value: 64, unit: bits, source: test}}\n`,
      'test',
      (m) => COST_MODELS.get(m),
    );
    const sum = (items: ReturnType<typeof lemaireModel.price>['items'], pred: (i: (typeof items)[number]) => boolean) => totalEnergyJ(items.filter(pred)) / pJ;
    const s = lemaireModel.price(ledger('snn'), p64).items;
    expect(sum(s, (i) => i.component === 'memory')).toBeCloseTo(1214.4878976, 7);
    expect(sum(s, (i) => i.component === 'compute' && i.action !== 'addressing')).toBeCloseTo(3.1, 10);
    expect(sum(s, (i) => i.action === 'addressing')).toBeCloseTo(2.0, 10);
    const a = lemaireModel.price(ledger('ann'), p64).items;
    expect(sum(a, (i) => i.component === 'memory')).toBeCloseTo(303.616132, 7);
    expect(sum(a, (i) => i.component === 'compute' && i.action !== 'addressing')).toBeCloseTo(38.8, 10);
    expect(sum(a, (i) => i.action === 'addressing')).toBeCloseTo(1.2, 10);
    expect(sum(a, () => true)).toBeCloseTo(343.616132, 7);
  });

  it('refuses a layer mixing word widths instead of guessing', () => {
    const mixed: Ledger = { ...ann, layers: [{ ...ann.layers[0], memory: [{ ...ann.layers[0].memory[0], bits: 8 }, ...ann.layers[0].memory.slice(1)] }] };
    expect(() => lemaireModel.price(mixed, profile)).toThrow(OutOfRangeError);
  });
});

describe("Lemaire's SRAM fit", () => {
  const c = builtinConstants();
  const points = [
    [8_000 * 8, c.get('lemaire-2022/horowitz-sram-8kib')!.value],
    [32_000 * 8, c.get('lemaire-2022/horowitz-sram-32kib')!.value],
    [1_000_000 * 8, c.get('lemaire-2022/horowitz-sram-1mib')!.value],
  ];

  it('encodes Horowitz 10 / 20 / 100 pJ for 8 KB / 32 KB / 1 MB', () => {
    expect(points.map((p) => p[1])).toEqual([10, 20, 100]);
  });

  it('is the least-squares line through the three Horowitz points (decimal kB), rounded', () => {
    const { m, b } = linearRegression(points);
    expect(m).toBeCloseTo(1.086e-5, 8);
    expect(b).toBeCloseTo(13.21, 2);
    expect(c.get('lemaire-2022/sram-slope')!.value).toBeCloseTo(m, 7); // 1.09e-5
    expect(c.get('lemaire-2022/sram-intercept')!.value).toBeCloseTo(b, 1); // 13.2
  });

  it('gives the reference check values (E_ram per access)', () => {
    const profile = getProfile('lemaire-2022');
    expect(lemaireSramJ(65_536, profile) / pJ).toBeCloseTo(13.91, 2);
    expect(lemaireSramJ(262_144, profile) / pJ).toBeCloseTo(16.06, 2);
    expect(lemaireSramJ(8_388_608, profile) / pJ).toBeCloseTo(104.6, 1);
    expect(lemaireSramJ(589_824, profile) / pJ).toBeCloseTo(19.63, 2);
  });

  it('stays within 5 pJ of each Horowitz point it was fitted to', () => {
    const profile = getProfile('lemaire-2022');
    for (const [bits, e] of points) expect(Math.abs(lemaireSramJ(bits, profile) / pJ - e)).toBeLessThan(5);
  });
});
