// Constants are data with provenance; profiles bind them to cost-model roles. Published figures are
// checked against their sources; malformed files give one line naming the field.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinConstants, parseConstantTable } from '../cost-models/constants.js';
import { parseProfile } from '../cost-models/profile.js';
import { COST_MODELS, builtinProfileIds, builtinProfileTitles, getProfile } from '../cost-models/registry.js';
import { resultsJsonSchema } from '../reports/results-schema.js';

const req = (m: string) => COST_MODELS.get(m);

describe('built-in constants', () => {
  const c = builtinConstants();

  it('encode Horowitz ISSCC 2014 (45 nm) as published', () => {
    // Horowitz 2014 table (shared/reference/energy-models.md §3.1): int32 add 0.1, int32 mult 3.1,
    // fp32 add 0.9, fp32 mult 3.7 pJ; E_MAC(fp32) = 3.7 + 0.9 = 4.6 pJ (Frontiers 2023 Table 3).
    expect(c.get('horowitz-45nm/int32-add')!.value).toBe(0.1);
    expect(c.get('horowitz-45nm/int32-mult')!.value).toBe(3.1);
    expect(c.get('horowitz-45nm/fp32-add')!.value).toBe(0.9);
    expect(c.get('horowitz-45nm/fp32-mult')!.value).toBe(3.7);
    expect(c.get('horowitz-45nm/fp32-mac')!.value).toBe(4.6);
    expect(c.get('horowitz-45nm/fp32-mac')!.value).toBeCloseTo(c.get('horowitz-45nm/fp32-mult')!.value + c.get('horowitz-45nm/fp32-add')!.value, 12);
    expect(c.get('lemaire-2022/sram-slope')!.value).toBe(1.09e-5);
    expect(c.get('lemaire-2022/sram-intercept')!.value).toBe(13.2);
  });

  it('carry a unit, a source, an evidence tag and a range containing the value, in SI', () => {
    expect(c.size).toBeGreaterThanOrEqual(10);
    for (const k of c.values()) {
      expect(k.source.length, k.id).toBeGreaterThan(10);
      expect(k.rangeSource.length, k.id).toBeGreaterThan(5);
      expect(['P', 'S', 'I']).toContain(k.evidence);
      expect(k.lowSI).toBeLessThanOrEqual(k.valueSI);
      expect(k.highSI).toBeGreaterThanOrEqual(k.valueSI);
    }
    expect(c.get('horowitz-45nm/fp32-mac')!.valueSI).toBeCloseTo(4.6e-12, 24);
    expect(c.get('horowitz-45nm/fp32-mac')!.siUnit).toBe('J');
    expect(c.get('lemaire-2022/sram-slope')!.siUnit).toBe('J/bit');
  });
});

describe('constant tables reject malformed input, naming the field', () => {
  const base = (extra: string) => `id: t\ndescription: d\nconstants:\n  - name: x\n    unit: pJ\n    evidence: P\n    source: somewhere\n    rangeSource: assumed\n${extra}`;
  it('a range that excludes the value', () => expect(() => parseConstantTable(base('    value: 5\n    low: 1\n    high: 2\n'), 't.yaml')).toThrow(/^t\.yaml: constants\.0\.low, constants\.0\.high: constant x: range \[1, 2\] must contain the value 5; give low ≤ value ≤ high/));
  it('a missing value', () => expect(() => parseConstantTable(base('    low: 1\n    high: 2\n'), 't.yaml')).toThrow(/t\.yaml: field constants\.0\.value/));
  it('NaN written as .nan', () => expect(() => parseConstantTable(base('    value: .nan\n    low: 1\n    high: 2\n'), 't.yaml')).toThrow(/field constants\.0\.value: .*finite/));
  it('an unknown unit', () => expect(() => parseConstantTable(base('    value: 1\n    low: 1\n    high: 2\n').replace('unit: pJ', 'unit: furlongs'), 't.yaml')).toThrow(/field constants\.0\.unit: unit must be one of/));
  it('broken YAML', () => expect(() => parseConstantTable('id: [unclosed', 't.yaml')).toThrow(/^t\.yaml: not valid YAML/));
});

describe('hardware profiles', () => {
  const lemaire = readFileSync(resolve(import.meta.dirname, '..', 'cost-models', 'profiles', 'lemaire-2022.yaml'), 'utf8');

  it('built-in profiles load and bind every role of their model', () => {
    // grouped by cost model: the two literature estimates, the ANN models, the SNN core, all-in chips
    expect(builtinProfileIds()).toEqual([
      'lemaire-2022',
      'ops-only-45nm',
      'ann-no-reuse-45nm',
      'eyeriss-rs-65nm',
      'eyeriss-ws-65nm',
      'ann-ideal-reuse-45nm',
      'neuromorphic-core-45nm',
      'hala-point',
      'loihi',
      'odin',
      'spinnaker-1',
      'spinnaker-2',
      'truenorth',
      'hala-point-dnn',
      'northpole',
    ]);
    for (const id of builtinProfileIds()) {
      const p = getProfile(id);
      for (const role of COST_MODELS.get(p.model)!.constantRoles) expect(p.constants[role], `${id}.${role}`).toBeDefined();
    }
    expect(getProfile('lemaire-2022').parameters.fifoEntries.value).toBe(1000);
  });

  it('`list` reads the same ids, order and titles from the profile files alone as the loaded profiles have', () =>
    expect(builtinProfileTitles()).toEqual(builtinProfileIds().map((id) => ({ id, title: getProfile(id).title }))));

  it('refuse a parameter outside the model\'s valid range rather than extrapolating', () =>
    expect(() => parseProfile(lemaire.replace('value: 1000', 'value: -3'), 'p.yaml', req)).toThrow(/p\.yaml: field parameters\.fifoEntries\.value: -3 is outside the model's valid range \[1, 10000000\]/));
  it('refuse a wrong unit', () => expect(() => parseProfile(lemaire.replace('unit: entries', 'unit: bytes'), 'p.yaml', req)).toThrow(/field parameters\.fifoEntries\.unit: must be "entries"/));
  it('refuse an unknown constant', () => expect(() => parseProfile(lemaire.replace('horowitz-45nm/int32-add', 'horowitz-45nm/int33-add'), 'p.yaml', req)).toThrow(/field constants\.add: unknown constant "horowitz-45nm\/int33-add"/));
  it('refuse a missing role', () => expect(() => parseProfile(lemaire.replace(/\n  mul: .*\n/, '\n'), 'p.yaml', req)).toThrow(/field constants\.mul: missing/));
  it('refuse an unknown model', () => expect(() => parseProfile(lemaire.replace('model: lemaire-2022', 'model: timeloop'), 'p.yaml', req)).toThrow(/field model: unknown cost model "timeloop"/));
  it('refuse NaN parameters', () => expect(() => parseProfile(lemaire.replace('value: 1000', 'value: .nan'), 'p.yaml', req)).toThrow(/field parameters\.fifoEntries\.value: must be a finite number/));
});

describe('reports/results.schema.json', () => {
  it('is the schema the code generates (run `node bin/joulebench.js schema > reports/results.schema.json` after changes)', () => {
    const committed = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'reports', 'results.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(resultsJsonSchema())));
  });
});
