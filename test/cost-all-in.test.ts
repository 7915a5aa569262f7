// Profile 7, all-in chip figures, and the guard that makes adding memory terms to them impossible:
// at the profile (per-op and all-in constants never meet), in the items (component all-in only) and in
// the breakdown monoid (addBreakdowns refuses to mix them in one layer).
import { describe, expect, it } from 'vitest';
import { addBreakdowns } from '../cost-models/energy.js';
import type { EnergyItem } from '../cost-models/energy.js';
import { OutOfRangeError } from '../cost-models/model.js';
import { parseProfile } from '../cost-models/profile.js';
import { COST_MODELS, getProfile } from '../cost-models/registry.js';
import { FC, annLayer, handLedger, pJ, snnLayer } from './cost-fixtures.js';

const req = (m: string) => COST_MODELS.get(m);
const allIn = COST_MODELS.get('all-in-chip')!;
const act = { inputEvents: 5, outputEvents: 2, synOps: 15, updates: 6 };
const snn = handLedger('snn', 2, [snnLayer(FC, 2, act)]);

describe('all-in chip profiles price events with published figures only', () => {
  it('TrueNorth: 26 pJ per synaptic event, nothing else', () => {
    const priced = allIn.price(snn, getProfile('truenorth'));
    expect(priced.totalJ).toBeCloseTo(15 * 26 * pJ, 24);
    expect(priced.items.map((i) => [i.component, i.operand, i.count])).toEqual([['all-in', 'synaptic-event', 15]]);
    expect(priced.unpriced[0].what).toMatch(/neuron updates/);
  });

  it('Loihi: 23.6 pJ per synaptic op + 81 pJ per neuron update + 1.7 pJ per output spike', () => {
    expect(allIn.price(snn, getProfile('loihi')).totalJ).toBeCloseTo((15 * 23.6 + 6 * 81 + 2 * 1.7) * pJ, 22);
  });

  it('SpiNNaker 1 and 2, ODIN', () => {
    expect(allIn.price(snn, getProfile('spinnaker-1')).totalJ).toBeCloseTo((15 * 43 + 6 * 100) * 1e-9, 18);
    expect(allIn.price(snn, getProfile('spinnaker-2')).totalJ).toBeCloseTo(15 * 450 * pJ + 6 * 2.19e-9, 20);
    expect(allIn.price(snn, getProfile('odin')).totalJ).toBeCloseTo(15 * 12.7 * pJ, 22);
  });

  it('every item of every all-in profile is an all-in component', () => {
    for (const id of ['truenorth', 'loihi', 'spinnaker-1', 'spinnaker-2', 'odin']) {
      expect(allIn.price(snn, getProfile(id)).items.every((i) => i.component === 'all-in' && i.level === 'chip'), id).toBe(true);
    }
  });

  it('refuses ANN ledgers and direct-coded (MAC) inputs', () => {
    expect(() => allIn.price(handLedger('ann', 1, [annLayer(FC, 2, 6)]), getProfile('truenorth'))).toThrow(OutOfRangeError);
    const direct = { ...snn.layers[0], compute: snn.layers[0].compute.map((c) => (c.purpose === 'synaptic' ? { ...c, op: 'mac' as const } : c)) };
    expect(() => allIn.price({ ...snn, layers: [direct] }, getProfile('truenorth'))).toThrow(/direct coding/);
  });
});

describe('the all-in guard', () => {
  const truenorth = 'id: x\nmodel: all-in-chip\ntitle: t\ndescription: d\nconstants:\n  synapticEvent: chips/truenorth-synaptic-event\n';

  it('an all-in profile cannot bind a memory (per-op) constant', () => {
    expect(() => parseProfile(`${truenorth}  neuronUpdate: lemaire-2022/sram-intercept\n`, 'p.yaml', req)).toThrow(
      /p\.yaml: field constants\.neuronUpdate: lemaire-2022\/sram-intercept is a per-op constant; model all-in-chip prices all-in chip figures only/,
    );
  });

  it('an all-in profile has no memory role to bind', () => {
    expect(() => parseProfile(`${truenorth}  sramSlope: lemaire-2022/sram-slope\n`, 'p.yaml', req)).toThrow(/field constants\.sramSlope: model all-in-chip has no such role/);
  });

  it('a per-op model cannot take an all-in figure as one of its terms', () => {
    const core = getProfile('neuromorphic-core-45nm');
    const text = `id: y\nmodel: neuromorphic-core\ntitle: t\ndescription: d\nconstants:\n${Object.entries(core.constants).map(([r, c]) => `  ${r}: ${r === 'fpAdd' ? 'chips/loihi-synaptic-op' : c.id}`).join('\n')}\nparameters:\n${Object.entries(core.parameters).map(([n, p]) => `  ${n}: { value: ${p.value}, unit: ${p.unit}, source: s }`).join('\n')}\n`;
    expect(() => parseProfile(text, 'q.yaml', req)).toThrow(/q\.yaml: field constants\.fpAdd: chips\/loihi-synaptic-op is an all-in chip figure \(it already contains memory, routing and leakage\)/);
  });

  it('breakdowns refuse to add memory terms to an all-in layer (and all-in to per-op)', () => {
    const allInItems = allIn.price(snn, getProfile('truenorth')).items;
    const memory: EnergyItem = { layerIndex: 0, layer: 'fc', component: 'memory', operand: 'weight', action: 'read', level: 'sram', count: 15, energyJ: 1e-10 };
    expect(() => addBreakdowns(allInItems, [memory])).toThrow(/layer fc: an all-in chip figure cannot be added to per-op memory terms/);
    expect(() => addBreakdowns([memory], allInItems)).toThrow(/cannot be added to per-op compute or memory terms/);
    // the monoid still works within each kind
    expect(addBreakdowns(allInItems, allInItems)[0].count).toBe(30);
    expect(addBreakdowns([memory], [{ ...memory, layerIndex: 1, layer: 'fc2' }])).toHaveLength(2);
  });
});
