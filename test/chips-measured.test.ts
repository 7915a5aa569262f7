// Issue 19: the NorthPole and Loihi 2 / Hala Point profiles (peak-rate figures as all-in energies per
// MAC or per graded synaptic op, each against the published numbers it is divided out of), the
// all-in-accelerator model and its guard, and the measured-vs-modelled table (claims/measured.yaml):
// every compared row's measured figure and joulebench figure recomputed by hand from the published
// numbers, the network's shapes and the profile's constants as the sources state them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { auditMeasured, measuredJ } from '../claims/measured.js';
import { DEFAULT_MEASURED_FILE, measuredByProfile, parseMeasuredFile } from '../claims/measured-file.js';
import { builtinConstants } from '../cost-models/constants.js';
import { explainProfile } from '../cost-models/explain.js';
import { OutOfRangeError } from '../cost-models/model.js';
import { parseProfile } from '../cost-models/profile.js';
import { COST_MODELS, getProfile } from '../cost-models/registry.js';
import { InputError } from '../core/errors.js';
import { listTree, runCli, tempDir } from './cli-helpers.js';
import { FC, annLayer, handLedger, pJ, snnLayer } from './cost-fixtures.js';

const fJ = 1e-15;
const C = builtinConstants();
const constant = (id: string) => C.get(id)!;
/** |a − b| within half a unit in the last of `sig` significant digits of b (a figure printed to `sig` digits). */
const printedAs = (a: number, b: number, sig: number) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(0.5 * 10 ** (Math.floor(Math.log10(Math.abs(b))) - sig + 1) * (1 + 1e-9));

// Published figures, typed here from their sources (shared/reference/energy-models.md §4 unless said).
const RACK_W = 30e3; // NorthPole 288-card rack (DeBole et al., arXiv 2511.15950): 30 kW
const RACK_OPS = 115e15; // 115 peta-ops/s INT4
const HALA_W = 2600; // Hala Point maximum power
const HALA_SOPS = 380e12; // 380T 8-bit synaptic ops/s
const HALA_NOPS = 240e12; // 240T neuron ops/s
const HALA_TOPS_W = 15e12; // "over 15 TOPS/W" on conventional DNNs, 8 bit

describe('the new chip constants against their sources', () => {
  it('NorthPole: the rack peak rate as energy per MAC (2 ops), one op per MAC at the low end, INT8 at the high end', () => {
    const c = constant('chips/northpole-rack-mac');
    printedAs(c.valueSI, (2 * RACK_W) / RACK_OPS, 4); // 0.5217 pJ
    printedAs(c.lowSI, RACK_W / RACK_OPS, 4); // 0.2609 pJ
    printedAs(c.highSI, (4 * RACK_W) / RACK_OPS, 5); // 1.0435 pJ
    expect([c.kind, c.evidence]).toEqual(['all-in', 'I']);
    expect(c.source).toMatch(/115 peta-ops\/s INT4 at 30 kW/);
  });
  it('Hala Point: maximum power over the peak synaptic rate; shared with neuron ops at the low end', () => {
    const c = constant('chips/hala-point-synaptic-op');
    printedAs(c.valueSI, HALA_W / HALA_SOPS, 4); // 6.842 pJ
    printedAs(c.lowSI, HALA_W / (HALA_SOPS + HALA_NOPS), 4); // 4.194 pJ
    expect(c.highSI).toBe(c.valueSI);
    expect([c.kind, c.evidence]).toEqual(['all-in', 'I']);
  });
  it('Hala Point on DNNs: 15 TOPS/W as energy per MAC (2 ops), one op per MAC at the low end', () => {
    const c = constant('chips/hala-point-dnn-mac');
    printedAs(c.valueSI, 2 / HALA_TOPS_W, 4); // 133.3 fJ
    printedAs(c.lowSI, 1 / HALA_TOPS_W, 4); // 66.67 fJ
    expect(c.highSI).toBe(c.valueSI);
    expect(c.unit).toBe('fJ');
  });
  it('the profiles bind them, and say that a peak rate prices nothing below the peak', () => {
    expect(getProfile('northpole').constants.mac.id).toBe('chips/northpole-rack-mac');
    expect(getProfile('hala-point-dnn').constants.mac.id).toBe('chips/hala-point-dnn-mac');
    expect(getProfile('hala-point').constants.synapticEvent.id).toBe('chips/hala-point-synaptic-op');
    expect(getProfile('hala-point').options.spikes.value).toBe('graded');
    for (const id of ['northpole', 'hala-point', 'hala-point-dnn']) expect(getProfile(id).description.replace(/\s+/g, ' ')).toMatch(/peak/);
  });
});

describe('all-in-accelerator: an ANN accelerator\'s peak-rate energy per MAC', () => {
  const model = COST_MODELS.get('all-in-accelerator')!;
  const ann = handLedger('ann', 1, [annLayer(FC, 2, 6)]); // FC 4 → 3: 12 MACs, 3 bias adds, 3 activations

  it('prices the MACs only, and lists bias, activation and memory as unpriced (inside the figure)', () => {
    const p = model.price(ann, getProfile('northpole'));
    expect(p.totalJ).toBeCloseTo(12 * 0.5217 * pJ, 24);
    expect(p.items.map((i) => [i.component, i.operand, i.count])).toEqual([['all-in', 'mac', 12]]);
    expect(p.unpriced.map((u) => [u.what.split(' (')[0], u.count])).toEqual([['add', 3], ['cmp', 3], ['memory accesses', 12 + 12 + 3 + 3]]);
    expect(model.price(ann, getProfile('hala-point-dnn')).totalJ).toBeCloseTo(12 * 133.3 * fJ, 26);
  });
  it('refuses spiking ledgers and ops its figure says nothing of', () => {
    const snn = handLedger('snn', 2, [snnLayer(FC, 2, { inputEvents: 5, outputEvents: 2, synOps: 15, updates: 6 })]);
    expect(() => model.price(snn, getProfile('northpole'))).toThrow(/all-in-accelerator: prices ANN ledgers only/);
    const layer = ann.layers[0];
    const withExp = { ...ann, layers: [{ ...layer, compute: [...layer.compute, { ...layer.compute[0], op: 'exp' as const, purpose: 'softmax' }] }] };
    expect(() => model.price(withExp, getProfile('northpole'))).toThrow(OutOfRangeError);
    expect(() => model.price(withExp, getProfile('northpole'))).toThrow(/records exp ops \(softmax\); profile northpole's figure is an energy per MAC/);
  });
  it('the all-in guard holds both ways', () => {
    const req = (m: string) => COST_MODELS.get(m);
    expect(() => parseProfile('id: x\nmodel: all-in-accelerator\ntitle: t\ndescription: d\nconstants:\n  mac: horowitz-45nm/fp32-mac\n', 'p.yaml', req)).toThrow(
      /p\.yaml: field constants\.mac: horowitz-45nm\/fp32-mac is a per-op constant; model all-in-accelerator prices all-in chip figures only/,
    );
    const opsOnly = getProfile('ops-only-45nm');
    const text = `id: y\nmodel: ops-only\ntitle: t\ndescription: d\nconstants:\n${Object.entries(opsOnly.constants).map(([r, c]) => `  ${r}: ${r === 'mac' ? 'chips/northpole-rack-mac' : c.id}`).join('\n')}\n`;
    expect(() => parseProfile(text, 'q.yaml', req)).toThrow(/q\.yaml: field constants\.mac: chips\/northpole-rack-mac is an all-in chip figure .*all-in-chip \(spike events\) or all-in-accelerator \(MACs\)/);
  });
});

describe('graded spikes (Loihi 2)', () => {
  const snn = handLedger('snn', 2, [snnLayer(FC, 2, { inputEvents: 5, outputEvents: 2, synOps: 15, updates: 6 })]);
  const direct = { ...snn, layers: [{ ...snn.layers[0], compute: snn.layers[0].compute.map((c) => (c.purpose === 'synaptic' ? { ...c, op: 'mac' as const } : c)) }] };
  const chip = COST_MODELS.get('all-in-chip')!;

  it('hala-point prices each synaptic op at 6.842 pJ, binary or graded, neuron updates inside', () => {
    expect(chip.price(snn, getProfile('hala-point')).totalJ).toBeCloseTo(15 * 6.842 * pJ, 24);
    expect(chip.price(direct, getProfile('hala-point')).totalJ).toBeCloseTo(15 * 6.842 * pJ, 24);
    expect(chip.price(snn, getProfile('hala-point')).unpriced.map((u) => u.count)).toEqual([6]);
  });
  it('a chip of binary spikes still refuses a layer fed real values', () => {
    expect(() => chip.price(direct, getProfile('truenorth'))).toThrow(/direct coding\); profile truenorth prices binary spike events only \(option spikes: binary\)/);
  });
});

describe('explain shows each new profile with its sources', () => {
  it.each([
    ['northpole', ['chips/northpole-rack-mac = 0.5217 pJ', 'DeBole et al., arXiv 2511.15950', 'model all-in-accelerator', 'a total is a lower bound there']],
    ['hala-point', ['chips/hala-point-synaptic-op = 6.842 pJ', 'Intel release as reported by eeNews Europe', 'spikes = graded', 'Shrestha et al. 2024']],
    ['hala-point-dnn', ['chips/hala-point-dnn-mac = 133.3 fJ', '"over 15 TOPS/W"', '[66.67 – 133.3 fJ]']],
  ] as const)('%s', async (id, texts) => {
    const text = explainProfile(getProfile(id));
    for (const t of texts) expect(text).toContain(t);
    expect(text).toContain('all-in: memory, routing and leakage are inside these figures');
    const r = await runCli(['explain', id], tempDir('explain-chip'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(texts[0]);
  });
});

// The measured-vs-modelled table, recomputed by hand.
const KWS = { inputs: 390, hidden: 256, outputs: 29, T: 10 }; // abr/power_benchmarks models.py; T assumed (claims/measured.yaml)
const kwsSynOps = KWS.T * (KWS.inputs * KWS.hidden + KWS.hidden * KWS.hidden + KWS.hidden * KWS.outputs); // every input and neuron spiking every step
const kwsUpdates = KWS.T * (2 * KWS.hidden + KWS.outputs);
const kwsSpikes = KWS.T * 2 * KWS.hidden; // the read-out does not spike
const TN_EVENTS = 2 ** 20 * 20 * 128; // Merolla 2014: 2^20 neurons × 20 Hz × 128 active synapses, per second
const LLM_MACS = 3e9; // a 3B-parameter model, every weight once per token (assumed)

const HAND: Readonly<Record<string, { measuredJ: number; modelledJ: number }>> = {
  // 72 mW for 1 s; 26 pJ per synaptic event (Merolla 2014)
  'truenorth-merolla-2014': { measuredJ: 72e-3, modelledJ: TN_EVENTS * 26 * pJ },
  // 0.00027 J per inference (Blouw et al. 2019); Loihi 23.6 pJ per synaptic op, 81 pJ per neuron update, 1.7 pJ per spike (Davies et al. 2018)
  'loihi-blouw-2019-kws': { measuredJ: 0.00027, modelledJ: kwsSynOps * 23.6 * pJ + kwsUpdates * 81 * pJ + kwsSpikes * 1.7 * pJ },
  // 672 W ÷ 28,356 tokens/s (Appuswamy et al. 2024); 0.5217 pJ per MAC (the rack's peak rate)
  'northpole-appuswamy-2024-llm': { measuredJ: 672 / 28356, modelledJ: LLM_MACS * 0.5217 * pJ },
};

describe('measured vs modelled (claims/measured.yaml)', () => {
  const TEXT = readFileSync(DEFAULT_MEASURED_FILE, 'utf8');
  const FILE = parseMeasuredFile(TEXT, DEFAULT_MEASURED_FILE);
  const REPORT = auditMeasured(FILE, DEFAULT_MEASURED_FILE);

  it('compares at least three chips, and says for every other chip profile why not', () => {
    const compared = REPORT.results.filter((r) => r.status === 'compared');
    expect(compared.map((r) => r.row.id).sort()).toEqual(Object.keys(HAND).sort());
    expect(new Set(compared.map((r) => r.row.chip)).size).toBeGreaterThanOrEqual(3);
    const chipProfiles = ['truenorth', 'loihi', 'spinnaker-1', 'spinnaker-2', 'odin', 'hala-point', 'hala-point-dnn', 'northpole'];
    expect(chipProfiles.every((p) => FILE.rows.some((r) => r.profile === p))).toBe(true);
    for (const r of REPORT.results.filter((x) => x.status !== 'compared')) expect(r.row.why!.length, r.row.id).toBeGreaterThan(40);
    expect(REPORT.mismatches).toEqual([]);
  });
  it('the activity files hold the counts the papers give (and the stated assumptions)', () => {
    const syn = (file: string) => (JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'claims', file), 'utf8')) as { layers: { activity: { synapticOps: number } }[] }).layers.reduce((a, l) => a + l.activity.synapticOps, 0);
    expect(syn('measured/truenorth-merolla-2014.json')).toBe(TN_EVENTS);
    expect(syn('measured/loihi-blouw-2019-kws.json')).toBe(kwsSynOps);
    expect(syn('measured/northpole-appuswamy-2024-llm.json')).toBe(LLM_MACS);
  });
  it.each(Object.entries(HAND))('%s: measured and modelled recomputed by hand, ratio as recorded', (id, hand) => {
    const r = REPORT.results.find((x) => x.row.id === id)!;
    expect(r.measuredJ! / hand.measuredJ).toBeCloseTo(1, 12);
    expect(measuredJ(r.row.measured!) / hand.measuredJ).toBeCloseTo(1, 12);
    expect(r.modelled!.totalJ / hand.modelledJ).toBeCloseTo(1, 12);
    expect(r.ratioText).toBe((hand.modelledJ / hand.measuredJ).toPrecision(3));
    expect(r.row.recorded.ratio).toBe((hand.modelledJ / hand.measuredJ).toPrecision(3));
  });
  it('the ratios: TrueNorth 0.969 (a calibration), Loihi 0.153, NorthPole 0.0660', () => {
    expect(REPORT.results.filter((r) => r.ratioText).map((r) => [r.row.profile, r.ratioText])).toEqual([
      ['truenorth', '0.969'],
      ['loihi', '0.153'],
      ['northpole', '0.0660'],
    ]);
  });
  it('each row is one command: `joulebench price <activity> -c <profile>` gives the same joules', async () => {
    for (const r of REPORT.results.filter((x) => x.status === 'compared')) {
      const cwd = tempDir('measured-price');
      const [, , file, , profile] = r.command!.split(' ');
      const run = await runCli(['price', resolve(import.meta.dirname, '..', file), '-c', profile, '-o', 'out', '-q'], cwd);
      expect(run.code, run.stderr).toBe(0);
      const doc = JSON.parse(readFileSync(join(cwd, 'out', 'results.json'), 'utf8')) as { configurations: { energy: { profile: string; totalJ: number }[] }[] };
      expect(doc.configurations[0].energy.find((e) => e.profile === profile)!.totalJ / HAND[r.row.id].modelledJ).toBeCloseTo(1, 12);
      // the report's chip section says how the profile fared
      expect(readFileSync(join(cwd, 'out', 'report.html'), 'utf8')).toContain(`modelled ÷ measured = ${r.row.recorded.ratio} on`);
    }
  });
  it('the report sentence of each profile comes from the file: a ratio, or why not', () => {
    const m = measuredByProfile(FILE);
    expect(m.get('loihi')).toMatch(/^modelled ÷ measured = 0\.153 on keyword spotter 390-256-256-29/);
    expect(m.get('hala-point')).toMatch(/^no measurement compared: no measured energy of a network/);
    expect(m.has('speck')).toBe(false);
  });

  /** The built-in file with its activity paths made absolute (for a copy elsewhere), changed by `mutate`. */
  const changed = (mutate: (doc: { rows: Record<string, unknown>[] }) => void): string => {
    const doc = YAML.parse(TEXT) as { rows: Record<string, unknown>[] };
    for (const r of doc.rows) if (typeof r.activity === 'string') r.activity = resolve(import.meta.dirname, '..', 'claims', r.activity);
    mutate(doc);
    return YAML.stringify(doc);
  };

  it('`joulebench audit` prints the table, exits 0, and writes it to Markdown and HTML', async () => {
    const cwd = tempDir('audit-measured');
    const r = await runCli(['audit', '--html', 'a.html', '--markdown', 'a.md'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^TrueNorth\s+truenorth\s+72\.0 mJ\s+69\.8 mJ\s+0\.969×\s+\[S\]$/m);
    expect(r.stdout).toMatch(/^Loihi\s+loihi\s+270 µJ\s+41\.2 µJ\s+0\.153×\s+\[S\]$/m);
    expect(r.stdout).toMatch(/^NorthPole\s+northpole\s+23\.7 mJ\s+1\.57 mJ\s+0\.0660×\s+\[P\]$/m);
    expect(r.stdout).toMatch(/reproduce: joulebench price claims\/measured\/loihi-blouw-2019-kws\.json -c loihi/);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('measured vs modelled: 3 measurements on 3 chips compared, 6 chips without one; every ratio is the one recorded');
    expect(readFileSync(join(cwd, 'a.md'), 'utf8')).toContain('| Loihi | loihi | keyword spotter 390-256-256-29 (ABR, abr/power_benchmarks models.py) | 270 µJ | 41.2 µJ | 0.153× | [S] |');
    const html = readFileSync(join(cwd, 'a.html'), 'utf8');
    expect(html).toContain('<li id="measured-northpole-appuswamy-2024-llm">');
    expect(html).toContain('chips/northpole-rack-mac');
  });
  it('exits 1 when a ratio is no longer the one recorded, naming the row', async () => {
    const cwd = tempDir('audit-measured-mismatch');
    writeFileSync(join(cwd, 'm.yaml'), changed((d) => ((d.rows[1].recorded as { ratio: string }).ratio = '0.200')));
    const r = await runCli(['audit', '--measured', 'm.yaml', '-q'], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Loihi\s+loihi\s+270 µJ\s+41\.2 µJ\s+0\.153× \(recorded: 0\.200\)/m);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('1 differ from the file: loihi-blouw-2019-kws');
  });
  it('refuses a bad file with one line naming the field and the fix (exit 2, nothing written)', async () => {
    const cases: [string, RegExp][] = [
      [changed((d) => delete (d.rows[0].recorded as Record<string, unknown>).ratio), /m\.yaml: field rows\.0\.recorded: a compared row needs profile, network/],
      [changed((d) => ((d.rows[2].measured as Record<string, unknown>).energy = { printed: '1', unit: 'mJ' })), /field rows\.2\.measured: give either energy \(per inference\) or power with rate/],
      [changed((d) => ((d.rows[2].measured as { rate: { unit: string } }).rate.unit = '/h')), /field rows\.2\.measured\.rate\.unit: unit must be one of \/s/],
      [changed((d) => (d.rows[3].activity = 'x.json')), /field rows\.3\.why: a not-compared row says why/],
      [changed((d) => (d.rows[1].id = d.rows[0].id)), /field rows\.1\.id: "truenorth-merolla-2014" is used twice/],
    ];
    for (const [text, msg] of cases) {
      let error: unknown;
      try {
        parseMeasuredFile(text, 'm.yaml');
      } catch (e) {
        error = e;
      }
      expect(error, String(msg)).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(msg);
      expect((error as Error).message).not.toContain('\n');
    }
    const cwd = tempDir('audit-measured-bad');
    for (const [text, msg] of [
      [changed((d) => (d.rows[0].profile = 'truenorth-2')), /m\.yaml: field rows\.0\.profile: .*truenorth-2.*name a built-in profile/],
      [changed((d) => (d.rows[0].activity = 'missing.json')), /missing\.json: no such file/],
    ] as const) {
      writeFileSync(join(cwd, 'm.yaml'), text);
      const before = listTree(cwd);
      const r = await runCli(['audit', '--measured', 'm.yaml', '--html', 'a.html'], cwd);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
      expect(listTree(cwd)).toEqual(before);
    }
  });
});
