// Hostile constants and the two memory corrections (issue 17).
//  1. Energy constants are checked where they are read — constant tables, a user's profile and its
//     tables, Accelergy-style CSVs, and the binding of a constant to a role: units by dimension, values
//     by sign and a plausible window; each failure is one line naming the file, the field and the fix.
//  2. The numeric guard: no priced item is NaN, Infinity or negative; an overflow is a refusal.
//  3. SRAM vs DRAM follows the profile's declared memory kind, never a size threshold; an SRAM beyond
//     the fit's valid capacity is refused.
//  4. Word packing: each SRAM mode against its source (Lemaire et al. 2022's two modes, as carried by
//     shared/reference/energy-models.md §2), and which mode each built-in profile uses.
// Expected values are derived by hand from the published formulas and constants, never read off the code.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { UNITS, parseConstantTable } from '../cost-models/constants.js';
import { importEnergyTable } from '../cost-models/energy-table.js';
import { addBreakdowns, energyItem, termsToItems, totalEnergyJ } from '../cost-models/energy.js';
import { explainProfile } from '../cost-models/explain.js';
import { lemaireModel } from '../cost-models/lemaire-2022.js';
import { OutOfRangeError } from '../cost-models/model.js';
import { parseProfile } from '../cost-models/profile.js';
import { COST_MODELS, getProfile } from '../cost-models/registry.js';
import { techOf } from '../cost-models/tech.js';
import { withConstantValues } from '../cost-models/uncertainty.js';
import { layerGeometry } from '../harness/layers.js';
import type { Ledger } from '../core/ledger.js';
import { buildLayerLedger, newActivityRecorder } from '../core/ledger.js';
import { runCli, tempDir } from './cli-helpers.js';
import { FC, annLayer, handLedger, pJ, snnLayer } from './cost-fixtures.js';
import { dense } from './fixtures.js';

const req = (m: string) => COST_MODELS.get(m);
const model = (id: string) => COST_MODELS.get(id)!;

/** The YAML of built-in profile `id` as a user's copy, with some roles rebound, extra roles and `options:` lines. */
function copyOf(id: string, change: { readonly constants?: Readonly<Record<string, string>>; readonly options?: string } = {}): string {
  const p = getProfile(id);
  const refs = { ...Object.fromEntries(Object.entries(p.constants).map(([r, c]) => [r, c.id])), ...change.constants };
  const params = Object.entries(p.parameters).map(([n, v]) => `  ${n}: { value: ${v.value}, unit: ${v.unit}, source: s }`);
  return `id: mine\nmodel: ${p.model}\ntitle: t\ndescription: d\nconstants:\n${Object.entries(refs).map(([r, ref]) => `  ${r}: ${ref}`).join('\n')}\nparameters:\n${params.join('\n')}\n${change.options ? `options:\n${change.options}\n` : ''}`;
}

/** A one-constant table of `kind` with this value, unit and range. */
const table = (value: string, unit: string, low: string, high: string, kind = 'per-op') =>
  `id: mine\nkind: ${kind}\ndescription: d\nconstants:\n  - { name: mac, value: ${value}, unit: '${unit}', evidence: I, source: my own figure, low: ${low}, high: ${high}, rangeSource: assumed }\n`;

/** Throws an InputError whose message is exactly one line matching `re`. */
function refusedWith(f: () => unknown, re: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a refusal').toBeInstanceOf(InputError);
  const msg = (err as Error).message;
  expect(msg).not.toMatch(/\n/);
  expect(msg).toMatch(re);
}

describe('1. energy constants are checked where a table is read', () => {
  it('a negative energy (−4.6 pJ) is refused naming the file, the field and the fix', () =>
    refusedWith(() => parseConstantTable(table('-4.6', 'pJ', '-5', '-4'), 'mine.yaml'), /^mine\.yaml: constants\.0\.value: mac: -4\.6 pJ is not a positive energy \(a negative energy would be subtracted from totals\); give the energy as a number > 0 in J/));

  it('a zero energy is refused (it makes E_SNN/E_ANN 0/0 = NaN)', () =>
    refusedWith(() => parseConstantTable(table('0', 'pJ', '0', '0'), 'mine.yaml'), /^mine\.yaml: constants\.0\.value: mac: 0 pJ is not a positive energy \(a zero energy makes ratios 0\/0 = NaN/));

  it('1.7e308 J is refused by the plausible window (it would overflow to Infinity, null in results.json)', () =>
    refusedWith(() => parseConstantTable(table('1.7e308', 'J', '1.7e308', '1.7e308'), 'mine.yaml'), /^mine\.yaml: constants\.0\.value: mac: 1\.7e\+308 J .* outside the plausible window of a per-op energy, 1e-18–0\.000001 J; check the number and its unit/));

  it('a per-op energy must lie in [1 aJ, 1 µJ]; an all-in chip figure in [0.1 fJ, 1 mJ]', () => {
    // 4.6 written in J instead of pJ: 4.6 J per MAC
    refusedWith(() => parseConstantTable(table('4.6', 'J', '4', '5'), 'mine.yaml'), /constants\.0\.value: mac: 4\.6 J .*outside the plausible window/);
    // 5.9 µJ per synaptic event is a whole-system figure (SpiNNaker, van Albada 2018): not per-op …
    refusedWith(() => parseConstantTable(table('5.9', 'uJ', '5', '6'), 'mine.yaml'), /a whole chip's energy per event belongs in a table of kind all-in/);
    // … but a valid all-in figure
    expect(parseConstantTable(table('5.9', 'uJ', '5', '6', 'all-in'), 'mine.yaml').constants.get('mine/mac')!.valueSI).toBeCloseTo(5.9e-6, 18);
    // 0.5 aJ is below the window (1e-18 J)
    refusedWith(() => parseConstantTable(table('0.5', 'aJ', '0.4', '0.6'), 'mine.yaml'), /outside the plausible window of a per-op energy/);
    // SATA-Sim's 2:1 mux (1.72 fJ), the smallest built-in per-op energy, is inside
    expect(parseConstantTable(table('1.72', 'fJ', '1.376', '2.064'), 'mine.yaml').constants.get('mine/mac')!.valueSI).toBeCloseTo(1.72e-15, 27);
  });

  it('low and high are checked like the value (the bounds and Monte Carlo use them)', () => {
    refusedWith(() => parseConstantTable(table('4.6', 'pJ', '-1', '5'), 'mine.yaml'), /^mine\.yaml: constants\.0\.low: mac: -1 pJ is not a positive energy/);
    refusedWith(() => parseConstantTable(table('4.6', 'pJ', '4', '1e300'), 'mine.yaml'), /^mine\.yaml: constants\.0\.high: mac: 1e\+300 pJ .*outside the plausible window/);
    refusedWith(() => parseConstantTable(table('4.6', 'pJ', '5', '6'), 'mine.yaml'), /constants\.0\.low, constants\.0\.high: constant mac: range \[5, 6\] must contain the value 4\.6/);
  });

  it('energies per bit and relative energies must be > 0 and plausible; coefficients may be negative', () => {
    refusedWith(() => parseConstantTable(table('-1.09e-5', 'pJ/bit', '-2e-5', '-1e-5'), 't.yaml'), /mac: -0\.0000109 pJ\/bit is not a positive energy per bit/);
    refusedWith(() => parseConstantTable(table('1', 'J/bit', '1', '1'), 't.yaml'), /outside the plausible window of an energy per bit, 1e-21–1e-9 J\/bit/);
    refusedWith(() => parseConstantTable(table('0', 'xMAC', '0', '1'), 't.yaml'), /mac: 0 xMAC is not a positive relative energy/);
    refusedWith(() => parseConstantTable(table('1e9', 'xMAC', '1e9', '1e9'), 't.yaml'), /outside the plausible window of a relative energy, 0\.001–100000 xMAC/);
    // a Stillmaker–Baas coefficient is negative by nature (45 nm b = −0.362 /V)
    expect(parseConstantTable(table('-0.362', '1/V', '-0.362', '-0.362'), 't.yaml').constants.get('mine/mac')!.value).toBe(-0.362);
    refusedWith(() => parseConstantTable(table('0', 'bits', '0', '0'), 't.yaml'), /mac: 0 bits is not a positive size/);
  });

  it('energy units: J and its SI prefixes, per op, access or event (all joules) and per bit', () => {
    for (const [u, f] of [['aJ', 1e-18], ['fJ', 1e-15], ['pJ', 1e-12], ['pJ/access', 1e-12], ['pJ/op', 1e-12], ['nJ/event', 1e-9], ['uJ', 1e-6], ['µJ', 1e-6], ['mJ', 1e-3], ['J', 1]] as const) {
      expect(UNITS[u], u).toEqual({ si: 'J', factor: f });
    }
    expect(UNITS['fJ/bit']).toEqual({ si: 'J/bit', factor: 1e-15 });
    expect(parseConstantTable(table('4.6', 'pJ/access', '4', '5'), 't.yaml').constants.get('mine/mac')!.valueSI).toBeCloseTo(4.6e-12, 24);
    refusedWith(() => parseConstantTable(table('4.6', 'pj', '4', '5'), 't.yaml'), /^t\.yaml: field constants\.0\.unit: unit must be one of: an energy \(J, aJ, fJ, pJ/);
  });

  it('every built-in constant passes the same checks (they are read through the same parser)', () => {
    for (const id of ['ops-only-45nm', 'truenorth', 'eyeriss-rs-65nm', 'neuromorphic-core-45nm']) expect(() => getProfile(id)).not.toThrow();
  });
});

describe('1. a constant bound to a role must have the role\'s dimension', () => {
  const core = (role: string, ref: string) => copyOf('ann-ideal-reuse-45nm', { constants: { [role]: ref } });

  it('a scaling coefficient bound as an energy is refused (it priced an MLP at −1.35e4 J)', () =>
    refusedWith(
      () => parseProfile(core('intAdd', 'stillmaker-baas-2017/45nm-b'), 'my-profile.yaml', req),
      /^my-profile\.yaml: constants\.intAdd: stillmaker-baas-2017\/45nm-b is -0\.362 1\/V, a coefficient, but model ann-ideal-reuse uses intAdd as an energy \(J\); bind a constant in J or an SI prefix of it/,
    ));

  it('a constant in bits bound as an energy is refused', () =>
    refusedWith(() => parseProfile(core('dram', 'horowitz-45nm/access-width'), 'my-profile.yaml', req), /^my-profile\.yaml: constants\.dram: horowitz-45nm\/access-width is 64 bits, a size, but model ann-ideal-reuse uses dram as an energy \(J\)/));

  it('an energy per bit bound as an energy, an energy bound as a slope, a relative energy bound as an energy: refused', () => {
    refusedWith(() => parseProfile(core('sramIntercept', 'lemaire-2022/sram-slope'), 'p.yaml', req), /constants\.sramIntercept: lemaire-2022\/sram-slope is 0\.0000109 pJ\/bit, an energy per bit, but model ann-ideal-reuse uses sramIntercept as an energy \(J\)/);
    refusedWith(() => parseProfile(core('sramSlope', 'lemaire-2022/sram-intercept'), 'p.yaml', req), /constants\.sramSlope: .* an energy, but model ann-ideal-reuse uses sramSlope as an energy per bit \(J\/bit\); bind a constant in J\/bit/);
    refusedWith(() => parseProfile(core('fpAdd', 'eyeriss-65nm/rf'), 'p.yaml', req), /constants\.fpAdd: eyeriss-65nm\/rf is 1 xMAC, a relative energy, but model ann-ideal-reuse uses fpAdd as an energy/);
    refusedWith(() => parseProfile(core('expMacs', 'horowitz-45nm/fp32-mac'), 'p.yaml', req), /constants\.expMacs: .* an energy, but model ann-ideal-reuse uses expMacs as a relative energy \(xMAC\)/);
    const ops = 'id: o\nmodel: ops-only\ntitle: t\ndescription: d\nconstants:\n  mac: width-scaling/mul-exponent\n  ac: horowitz-45nm/fp32-add\n';
    refusedWith(() => parseProfile(ops, 'o.yaml', req), /^o\.yaml: constants\.mac: width-scaling\/mul-exponent is 2 1, a coefficient, but model ops-only uses mac as an energy \(J\)/);
  });

  it('from the CLI, a user profile with a −4.6 pJ table or a coefficient as an energy is one line and exit 2, nothing written', async () => {
    const dir = tempDir('cost-validation');
    writeFileSync(join(dir, 'neg.yaml'), table('-4.6', 'pJ', '-5', '-4'));
    writeFileSync(join(dir, 'my-profile.yaml'), 'id: my-profile\nmodel: ops-only\ntitle: t\ndescription: d\ntables: [neg.yaml]\nconstants:\n  mac: mine/mac\n  ac: horowitz-45nm/fp32-add\n');
    writeFileSync(join(dir, 'coef.yaml'), core('fpAdd', 'stillmaker-baas-2017/45nm-b'));
    const explain = await runCli(['explain', 'my-profile.yaml'], dir);
    expect(explain.code).toBe(2);
    expect(explain.stderr.trim().split('\n')).toHaveLength(1);
    expect(explain.stderr).toMatch(/neg\.yaml: constants\.0\.value: mac: -4\.6 pJ is not a positive energy .*; give the energy as a number > 0/);
    const run = await runCli(['run', '-n', '20', '-T', '4', '-c', 'my-profile.yaml', '-o', 'out'], dir, { JOULEBENCH_CACHE: join(dir, 'cache') });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/neg\.yaml: constants\.0\.value: mac: -4\.6 pJ is not a positive energy/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const coef = await runCli(['explain', 'coef.yaml'], dir);
    expect(coef.code).toBe(2);
    expect(coef.stderr).toMatch(/coef\.yaml: constants\.fpAdd: stillmaker-baas-2017\/45nm-b is -0\.362 1\/V, a coefficient, but model ann-ideal-reuse uses fpAdd as an energy \(J\)/);
  });
});

describe('1. Accelergy-style CSV energies are checked at their line', () => {
  const csv = (energy: string, extra = '') => `technology,width,action,energy,source${extra ? ',unit' : ''}\n45nm,32,add,0.1,synthesis${extra ? `,${extra}` : ''}\n45nm,32,mac,${energy},synthesis${extra ? `,${extra}` : ''}\n`;
  it('zero, negative, absurd and per-bit energies are refused naming file, line, field and fix', () => {
    refusedWith(() => importEnergyTable(csv('0'), 'mine.csv', { id: 'mine' }), /^mine\.csv: line 3, field energy: mac-45nm-32b: 0 pJ is not a positive energy \(a zero energy makes ratios 0\/0 = NaN and break-even points infinite\); give the energy as a number > 0 in J/);
    refusedWith(() => importEnergyTable(csv('-4.6'), 'mine.csv', { id: 'mine' }), /^mine\.csv: line 3, field energy: mac-45nm-32b: -4\.6 pJ is not a positive energy/);
    refusedWith(() => importEnergyTable(csv('1.7e308'), 'mine.csv', { id: 'mine' }), /^mine\.csv: line 3, field energy: mac-45nm-32b: 1\.7e\+308 pJ .*outside the plausible window of a per-op energy/);
    refusedWith(() => importEnergyTable(csv('4.6', 'pJ/bit'), 'mine.csv', { id: 'mine' }), /^mine\.csv: line 2, field unit: "pJ\/bit" is not an energy unit/);
    refusedWith(() => importEnergyTable('technology,width,action,energy,low,high,source\n45nm,32,mac,4.6,5,6,s\n', 'mine.csv', { id: 'mine' }), /^mine\.csv: line 2, field low, line 2, field high: constant mac-45nm-32b: range \[5, 6\] must contain the value 4\.6/);
    refusedWith(() => importEnergyTable(csv('4.6'), 'My Table!.csv', { id: '-my-' }), /^My Table!\.csv: table id: "-my-" .*; give the table an id with --id/);
  });
  it('a valid row in pJ/access imports as joules', () => {
    expect(importEnergyTable(csv('4.6', 'pJ/access'), 'mine.csv', { id: 'mine' }).constants.get('mine/mac-45nm-32b')!.valueSI).toBeCloseTo(4.6e-12, 24);
  });
});

describe('2. the numeric guard: no priced item is NaN, Infinity or negative', () => {
  const base = { layerIndex: 0, layer: 'fc', component: 'compute', operand: 'mac', action: 'synaptic', level: 'alu' } as const;
  it('items with a non-finite or negative count or unit energy are refused, naming the layer, the item and the constant', () => {
    expect(() => energyItem({ ...base, count: 3 }, -4.6e-12, 'mine/mac')).toThrow(/^layer fc: compute mac synaptic \(alu\): energy per unit -4\.6e-12 J \(constant mine\/mac\) is not a finite number ≥ 0/);
    expect(() => energyItem({ ...base, count: Number.NaN }, 1e-12)).toThrow(OutOfRangeError);
    expect(() => energyItem({ ...base, count: -1 }, 1e-12)).toThrow(/count -1 is not a finite number ≥ 0/);
    expect(() => termsToItems(0, 'fc', [{ component: 'memory', operand: 'weight', action: 'read', level: 'sram', count: 2, unitJ: Number.POSITIVE_INFINITY }])).toThrow(/^layer fc: memory weight read \(sram\): energy per unit Infinity J/);
    expect(() => energyItem({ ...base, count: 1e300 }, 1e10, 'mine/mac')).toThrow(/^layer fc: compute mac synaptic \(alu\): 1e\+300 × 10000000000 J \(constant mine\/mac\) overflows/);
    expect(energyItem({ ...base, count: 3 }, 4.6e-12).energyJ).toBeCloseTo(13.8e-12, 24);
  });
  it('sums that overflow are refused: merging rows, and the total', () => {
    const big = energyItem({ ...base, count: 1 }, 1e308);
    expect(() => addBreakdowns([big], [big])).toThrow(/^layer fc: adding compute mac synaptic \(alu\) rows overflows/);
    expect(() => totalEnergyJ([big, { ...big, operand: 'ac' }])).toThrow(/^layer fc: the total of 2 items is not a finite number of joules/);
  });
  it('every model goes through the guard: huge counts × huge constants are a refusal, not Infinity', () => {
    const ledger = handLedger('ann', 1, [annLayer(FC, 4, 12)]);
    // constants that bypass table validation (as the uncertainty analysis substitutes values)
    const huge = (id: string, v = 1e300) => withConstantValues(getProfile(id), () => v);
    const corrupt = { ...ledger, layers: [{ ...ledger.layers[0], compute: ledger.layers[0].compute.map((c) => ({ ...c, count: { ...c.count, mean: 1e300 } })) }] };
    expect(() => model('ops-only').price(corrupt, huge('ops-only-45nm'))).toThrow(/^layer fc: compute mac synaptic \(alu\): 1e\+300 × 1e\+300 J \(constant horowitz-45nm\/fp32-mac\) overflows/);
    for (const id of ['ann-ideal-reuse-45nm', 'ann-no-reuse-45nm', 'eyeriss-rs-65nm', 'lemaire-2022']) {
      expect(() => model(getProfile(id).model).price(corrupt, huge(id, 1e307)), id).toThrow(OutOfRangeError);
    }
    const negative = withConstantValues(getProfile('ann-ideal-reuse-45nm'), (c) => -c.valueSI);
    expect(() => model('ann-ideal-reuse').price(ledger, negative)).toThrow(/is not a finite number ≥ 0/);
  });
});

describe('3. SRAM vs DRAM: the declared memory kind, never the size', () => {
  const ideal = getProfile('ann-ideal-reuse-45nm');
  // Lemaire's published fit, by hand: E(C) = 1.09e-5 pJ/bit × C + 13.2 pJ per 64-bit access
  const fit = (bits: number) => 1.09e-5 * bits + 13.2;
  const MiB = 8 * 2 ** 20; // 8,388,608 bits

  it('a 1 MiB SRAM (the fit\'s own top point) costs E(1 MiB)·16/64 ≈ 26.16 pJ per 16-bit word, not a DRAM access', () => {
    expect(fit(MiB)).toBeCloseTo(104.6358272, 7); // the reference notes' check value: 104.6 pJ
    const m = techOf(ideal).memoryJ(MiB, 16, 'weight');
    expect(m.level).toBe('sram');
    expect(m.unitJ / pJ).toBeCloseTo(104.6358272 / 4, 7); // 26.1589568 pJ; it was 1950·16/64 = 487.5 pJ (DRAM)
  });

  it('a dense layer whose fp32 weights fill exactly 1 MiB (512×512) reads them from SRAM at E(1 MiB)/2 per word', () => {
    const fc = dense('big', 512, 512, Array.from({ length: 512 }, () => new Array<number>(512).fill(0)), new Array<number>(512).fill(0), 'relu');
    const items = model('ann-ideal-reuse').price(handLedger('ann', 1, [annLayer(fc, 512, 0)]), ideal).items;
    const w = items.find((i) => i.operand === 'weight')!;
    expect(w.level).toBe('sram');
    expect(w.energyJ / pJ).toBeCloseTo((262_144 * fit(MiB)) / 2, 3);
  });

  it('the built-ins declare sram-spill-dram: a store that fits 1 MiB is SRAM, one bit more lives in DRAM (1950·16/64 = 487.5 pJ per 16-bit word)', () => {
    expect(ideal.options?.memoryKind?.value).toBe('sram-spill-dram');
    expect(techOf(ideal).memoryJ(MiB, 16, 'kv')).toMatchObject({ level: 'sram' });
    expect(techOf(ideal).memoryJ(MiB, 16, 'kv').unitJ / pJ).toBeCloseTo(104.6358272 / 4, 7);
    expect(techOf(ideal).memoryJ(MiB + 1, 16, 'kv').level).toBe('dram');
    expect(techOf(ideal).memoryJ(MiB + 1, 16, 'kv').unitJ / pJ).toBeCloseTo(487.5, 9);
  });

  it('a profile that declares plain sram refuses one bit more than the fit covers, naming the operand, the layer and the fix', () => {
    const strict = parseProfile(copyOf('ann-ideal-reuse-45nm', { options: '  memoryKind: { value: sram, source: s }' }), 's.yaml', req);
    const coreStrict = parseProfile(copyOf('neuromorphic-core-45nm', { options: '  memoryKind: { value: sram, source: s }' }), 'c.yaml', req);
    expect(() => techOf(strict).memoryJ(MiB + 1, 16, 'kv')).toThrow(OutOfRangeError);
    expect(() => techOf(strict).memoryJ(MiB + 1, 16, 'kv')).toThrow(/the kv SRAM holds 8388609 bits .*above sramMaxBits = 8388608.*memoryKind\.kv: \{ value: dram/);
    // through a model: fp32 weights of 513×512 = 8,404,992 bits > 1 MiB
    const fc = dense('big', 513, 512, Array.from({ length: 513 }, () => new Array<number>(512).fill(0)), new Array<number>(512).fill(0), 'relu');
    expect(() => model('ann-ideal-reuse').price(handLedger('ann', 1, [annLayer(fc, 513, 0)]), strict)).toThrow(/^layer big: profile mine: the weight SRAM holds 8404992 bits/);
    const snn = handLedger('snn', 2, [snnLayer(fc, 2, { inputEvents: 5, outputEvents: 2, synOps: 2560, updates: 1024 }, 'if')]);
    expect(() => model('neuromorphic-core').price(snn, coreStrict)).toThrow(/^layer big: .*the weight SRAM holds 8404992 bits/);
  });

  it('DRAM where the profile says DRAM: 1950 pJ per 64-bit access, 16-bit words packed = 487.5 pJ, at any size', () => {
    const text = (options: string) => copyOf('ann-ideal-reuse-45nm', { options });
    const kv = parseProfile(text('  memoryKind.kv: { value: dram, source: the KV cache is off chip }'), 'p.yaml', req);
    expect(techOf(kv).memoryJ(64, 16, 'kv').level).toBe('dram');
    expect(techOf(kv).memoryJ(64, 16, 'kv').unitJ / pJ).toBeCloseTo((1950 * 16) / 64, 9); // 487.5 pJ for a 64-bit KV cache
    expect(techOf(kv).memoryJ(64 * MiB, 16, 'kv').unitJ / pJ).toBeCloseTo(487.5, 9);
    expect(techOf(kv).memoryJ(64, 16, 'weight').level).toBe('sram'); // other operands keep the profile's kind
    refusedWith(() => parseProfile(text('  memoryKind: { value: hbm, source: s }'), 'p.yaml', req), /^p\.yaml: options\.memoryKind\.value: "hbm" is not a value of option memoryKind; use one of sram, dram, sram-spill-dram$/);
    refusedWith(() => parseProfile(text('  memoryKind.kvcache: { value: dram, source: s }'), 'p.yaml', req), /^p\.yaml: options\.memoryKind\.kvcache: "kvcache" is not a key of option memoryKind; refine memoryKind by one of weight, input/);
    refusedWith(() => parseProfile(text('  packing: { value: yes, source: s }'), 'p.yaml', req), /^p\.yaml: options\.packing: model ann-ideal-reuse has no such option; use memoryKind, sramMode$/);
  });

  it('every built-in memory profile declares its memory kind and SRAM mode, shown by explain', () => {
    for (const id of ['ann-ideal-reuse-45nm', 'ann-no-reuse-45nm', 'neuromorphic-core-45nm']) {
      const text = explainProfile(getProfile(id));
      expect(text, id).toMatch(/\n {2}memoryKind = sram-spill-dram: a declared two-level hierarchy: on-chip SRAM sized to hold the operand up to sramMaxBits/);
      expect(text, id).toMatch(/\n {2}sramMode = fit-packed: the capacity fit is the energy of one accessBits-wide access; b-bit words are packed/);
      expect(getProfile(id).parameters.sramMaxBits.value).toBe(MiB);
    }
    expect(explainProfile(getProfile('lemaire-2022'))).toMatch(/\n {2}sramMode = fit-per-access: Lemaire et al\.'s ICONIP mode/);
  });
});

describe('4. word packing: each SRAM mode against its source (Lemaire et al. 2022, energy-models.md §2)', () => {
  const p = getProfile('ann-ideal-reuse-45nm');
  const withMode = (mode: string, packed = false) =>
    parseProfile(copyOf('ann-ideal-reuse-45nm', { constants: packed ? { sramPackedAccess: 'lemaire-2022/sram-packed-64b' } : {}, options: `  sramMode: { value: ${mode}, source: s }` }), 'm.yaml', req);

  it('the new mode\'s constant is the code\'s 10 pJ per 64-bit access [P-code]', () => {
    const t = withMode('flat-packed', true).constants.sramPackedAccess;
    expect([t.value, t.unit, t.valueSI, t.evidence]).toEqual([10, 'pJ', 10e-12, 'P']);
  });

  it('flat-packed (Lemaire\'s "new" mode): 10 pJ / (64 / bits) — 2.5 pJ per 16-bit word, 5 pJ per 32-bit word, whatever the capacity', () => {
    const t = techOf(withMode('flat-packed', true));
    expect(t.memoryJ(65_536, 16, 'weight').unitJ / pJ).toBeCloseTo(10 / (64 / 16), 12); // 2.5
    expect(t.memoryJ(8 * 2 ** 20, 16, 'weight').unitJ / pJ).toBeCloseTo(2.5, 12); // 8 KiB blocks: size does not matter
    expect(t.memoryJ(32 * 8 * 2 ** 20, 32, 'weight').unitJ / pJ).toBeCloseTo(10 / (64 / 32), 12); // 5, no capacity limit
  });

  it('flat-packed needs its constant: a profile that does not bind sramPackedAccess is refused', () =>
    refusedWith(() => withMode('flat-packed'), /^m\.yaml: constants\.sramPackedAccess: missing; sramMode flat-packed prices every SRAM access at this flat energy; bind it/));

  it('fit-per-access (Lemaire\'s ICONIP mode): E_ram(bits) per access whatever the word width — the reference check values', () => {
    const t = techOf(withMode('fit-per-access'));
    // energy-models.md §2 check values of E_ram(bits): 65,536 → 13.91 pJ; 262,144 → 16.06; 8,388,608 → 104.6; 589,824 → 19.63
    expect(t.memoryJ(65_536, 16, 'weight').unitJ / pJ).toBeCloseTo(13.91, 2);
    expect(t.memoryJ(262_144, 8, 'weight').unitJ / pJ).toBeCloseTo(16.06, 2);
    expect(t.memoryJ(8_388_608, 32, 'weight').unitJ / pJ).toBeCloseTo(104.6, 1);
    expect(t.memoryJ(589_824, 16, 'weight').unitJ / pJ).toBeCloseTo(19.63, 2);
  });

  it('fit-packed (the built-ins, [I]): the fit is one 64-bit access, words packed — 3.47 pJ per 16-bit word at 8 KB, not 2.5', () => {
    const t = techOf(p);
    expect(t.memoryJ(64_000, 16, 'weight').unitJ / pJ).toBeCloseTo((1.09e-5 * 64_000 + 13.2) / 4, 9); // 3.4744 pJ
    expect(t.memoryJ(65_536, 16, 'weight').unitJ / pJ).toBeCloseTo(13.91 / 4, 2);
  });

  it('the lemaire-2022 model offers both of the authors\' modes; its worked example under the new mode is 1.25 pJ per 8-bit access', () => {
    // the worked example of test/cost-models.test.ts: N_in 3, N_out 4, T 2, 8-bit memory, θ_in 5, θ_out 3
    const layer = dense('fc', 3, 4, [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], [0, 0, 0, 0], 'relu');
    const rec = newActivityRecorder(1, 2);
    rec.inputEvents[0] = 5;
    rec.outputEvents[0] = 3;
    const entry = buildLayerLedger(0, 'fc', layerGeometry(layer), 2, rec, {
      compute: [],
      memory: [{ operand: 'weight', action: 'read', bits: 8, count: (a) => a.inputEvents * 4 }],
      footprint: { weightBits: 96, biasBits: 32, stateBits: 32 },
      neuron: 'if',
    });
    const ledger = (family: 'ann' | 'snn'): Ledger => ({ backend: { id: 'x', family, timesteps: family === 'snn' ? 2 : 1, params: {} }, samples: 1, layers: [entry] });
    const flat = parseProfile(
      'id: l\nmodel: lemaire-2022\ntitle: t\ndescription: d\nconstants: {add: horowitz-45nm/int32-add, mul: horowitz-45nm/int32-mult, sramSlope: lemaire-2022/sram-slope, sramIntercept: lemaire-2022/sram-intercept, sramPackedAccess: lemaire-2022/sram-packed-64b}\nparameters: {fifoEntries: {value: 64, unit: entries, source: t}, accessBits: {value: 64, unit: bits, source: t}}\noptions: {sramMode: {value: flat-packed, source: t}}\n',
      'l.yaml',
      req,
    );
    const memory = (family: 'ann' | 'snn') => totalEnergyJ(lemaireModel.price(ledger(family), flat).items.filter((i) => i.component === 'memory')) / pJ;
    // every access 10 pJ·8/64 = 1.25 pJ. SNN: FIFO reads θ_in 5, weights θ_in·N_out 20, bias N_out·T 8,
    // potential reads and writes θ_in·N_out + N_out·T = 28 each, output spikes θ_out 3: 92 accesses
    expect(memory('snn')).toBeCloseTo(92 * 1.25, 9);
    // ANN: inputs 3, weights 12, biases 4, outputs 4: 23 accesses
    expect(memory('ann')).toBeCloseTo(23 * 1.25, 9);
    expect(lemaireModel.price(ledger('ann'), flat).constants.map((c) => c.id)).toContain('lemaire-2022/sram-packed-64b');
  });
});
