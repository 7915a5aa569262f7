// The one pricing service (study/pricing.ts) and its one policy: a cost model's OutOfRangeError is a
// recorded refusal with the model's reason; any other exception (an InputError that is not a refusal,
// a bug) propagates. The callers (run's priceConfiguration, sweep rows, brain phases, the sequence
// study) record refusals through it and let bugs through.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../core/errors.js';
import { OutOfRangeError } from '../cost-models/model.js';
import { COST_MODELS, getProfile } from '../cost-models/registry.js';
import { buildBrainResults } from '../study/brain.js';
import { somPlugin } from '../workloads/brain/plugins.js';
import { priceExecution, sweepLayout } from '../sweeps/run.js';
import { parseSweep } from '../sweeps/spec.js';
import { priceLedger } from '../study/pricing.js';
import { priceConfiguration } from '../study/results.js';
import { buildSequenceResults } from '../study/sequence.js';
import { DEFAULT_STUDY } from '../workloads/sequence/study.js';
import { DEFAULT_SCHEDULE, createSom, somInferencePhase } from '../workloads/brain/som.js';

/** A recorded (non-geometric) ledger: one SOM best-matching-unit search per test image. */
const somLedger = somInferencePhase(createSom(2, 2, 4, 1), 3).ledger;
const opsOnly = getProfile('ops-only-45nm');
const lemaire = getProfile('lemaire-2022');

/** Makes the cost model of `profile` throw `error` (the hand-made failing model), until afterEach restores it. */
function failWith(profile: typeof opsOnly, error: Error): void {
  vi.spyOn(COST_MODELS.get(profile.model)!, 'price').mockImplementation(() => {
    throw error;
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('priceLedger: the one policy', () => {
  it('prices a ledger the model covers', () => {
    const r = priceLedger(somLedger, opsOnly);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.priced.totalJ).toBeGreaterThan(0);
  });

  it("records a model's OutOfRangeError as a refusal naming its reason", () => {
    failWith(opsOnly, new OutOfRangeError('layer fc: 4096 entries is outside the valid range [1, 2048]', 'fc'));
    expect(priceLedger(somLedger, opsOnly)).toEqual({ ok: false, refused: 'layer fc: 4096 entries is outside the valid range [1, 2048]' });
  });

  it('a real refusal: lemaire-2022 declines a recorded layer, with its reason', () => {
    const r = priceLedger(somLedger, lemaire);
    expect(r).toEqual({ ok: false, refused: expect.stringMatching(/bmu-search is a recorded layer \(kind "som"\)/) });
  });

  it.each([
    ['a bug (TypeError)', new TypeError("Cannot read properties of undefined (reading 'mean')")],
    ['a plain Error', new Error('invariant broken')],
    ['an InputError that is not a refusal', new InputError('profile x: unknown constant')],
  ])('%s propagates: it is never recorded as a refusal', (_name, error) => {
    failWith(opsOnly, error);
    expect(() => priceLedger(somLedger, opsOnly)).toThrow(error);
  });
});

describe('the callers record refusals through it and let anything else through', () => {
  it('brain: a refused phase is a per-profile state with the reason; a bug throws', () => {
    const errors = { quantisationError: 1, topographicError: 0.1, accuracy: 0.5, unlabelledUnits: 0 };
    const quality = { trained: errors, untrained: errors, meanUnitsUpdated: 2, trainSamples: 3, testSamples: 3, schedule: DEFAULT_SCHEDULE };
    const run = { dataset: 'mnist', phases: [{ experiment: 'som 2x2', phase: 'inference', per: 'test image', ledger: somLedger }], quality, extra: [] };
    const options = { dataset: 'mnist', seed: 1, grid: '2x2', train: 3, test: 3 };
    const doc = buildBrainResults(somPlugin as never, options, run, [opsOnly, lemaire]);
    const c = doc.configurations[0];
    expect(c.energy.map((e) => e.profile)).toEqual(['ops-only-45nm']);
    expect(c.refused).toEqual([{ profile: 'lemaire-2022', model: 'lemaire-2022', reason: expect.stringMatching(/recorded layer/) }]);
    failWith(opsOnly, new TypeError('boom'));
    expect(() => buildBrainResults(somPlugin as never, options, run, [opsOnly])).toThrow('boom');
  });

  it('sweeps: a refused hardware point is a row with status refused and the reason in note; a bug throws', () => {
    const sweep = parseSweep('version: 1\nname: t\nworkload:\n  fixed: { workload: brain-som, dataset: mnist, phase: inference, samples: 3 }\nhardware:\n  grid:\n    profile: [ops-only-45nm, lemaire-2022]\n', 'sweep.yaml');
    const layout = sweepLayout(sweep);
    const profiles = [opsOnly, lemaire];
    const rows = priceExecution(sweep, layout, sweep.executions[0], { id: 'som-inference', accuracy: 0.5, ledger: somLedger }, profiles);
    const col = (row: (string | number)[], name: string) => row[layout.columns.indexOf(name)];
    expect(col(rows[0], 'status')).toBe('ok');
    expect(col(rows[1], 'status')).toBe('refused');
    expect(col(rows[1], 'energy_j')).toBe('');
    expect(String(col(rows[1], 'note'))).toMatch(/bmu-search is a recorded layer/);
    failWith(lemaire, new RangeError('index out of bounds'));
    expect(() => priceExecution(sweep, layout, sweep.executions[0], { id: 'som-inference', accuracy: 0.5, ledger: somLedger }, profiles)).toThrow(RangeError);
  });

  it('run: priceConfiguration records the refusal with profile, model and reason', () => {
    const { result, priced } = priceConfiguration({ id: 'som', accuracy: 0.5, ledger: somLedger }, [opsOnly, lemaire], { samples: 0, seed: 1 });
    expect(priced.map((p) => p.profile)).toEqual(['ops-only-45nm']);
    expect(result.refused).toEqual([{ profile: 'lemaire-2022', model: 'lemaire-2022', reason: expect.stringMatching(/recorded layer/) }]);
  });

  it('seq: the decode step refused by a profile is recorded; an InputError from a model is not (it used to be)', () => {
    const run = { family: 'f', title: 'F', kind: 'ann', source: 's', blockConfig: { d: 4 } as never, parameters: 1, text: null, recall: null, energy: [{ L: 8, ledger: somLedger }] } as const;
    const o = { ...DEFAULT_STUDY, families: ['f'], tasks: ['text'] as const, profiles: ['ops-only-45nm', 'lemaire-2022'] };
    const doc = buildSequenceResults([run], o, [opsOnly, lemaire]);
    expect(doc.configurations[0].refused).toEqual([{ profile: 'lemaire-2022', model: 'lemaire-2022', reason: expect.stringMatching(/recorded layer/) }]);
    expect(doc.configurations[0].energy.map((e) => e.profile)).toEqual(['ops-only-45nm']);
    failWith(opsOnly, new InputError('not a refusal'));
    expect(() => buildSequenceResults([run], o, [opsOnly])).toThrow('not a refusal');
  });
});
