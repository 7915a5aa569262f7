// `joulebench explain` prints every constant with value, unit, range and source; `import-energy-table`
// turns an Accelergy-style CSV into a constant table a user profile can bind; bad input gives one line
// naming the file, line and field.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importEnergyTable } from '../cost-models/energy-table.js';
import { explainProfile } from '../cost-models/explain.js';
import { COST_MODELS, builtinProfileIds, getProfile } from '../cost-models/registry.js';
import { runCli, tempDir } from './cli-helpers.js';
import { FC, handLedger, snnLayer } from './cost-fixtures.js';

describe('explain', () => {
  it('names every constant of every built-in profile with value, unit, range, evidence and source', () => {
    for (const id of builtinProfileIds()) {
      const p = getProfile(id);
      const text = explainProfile(p);
      for (const c of Object.values(p.constants)) {
        expect(text, `${id} ${c.id}`).toContain(`${c.id} = ${c.value} ${c.unit}`);
        expect(text).toContain(c.source.replace(/\s+/g, ' ').trim());
      }
      for (const [name, v] of Object.entries(p.parameters)) expect(text).toContain(`${name} = ${v.value} ${v.unit}`);
    }
  });

  it('shows the node scaling factor and the all-in warning', () => {
    expect(explainProfile(getProfile('eyeriss-rs-65nm'))).toMatch(/45 nm, 0\.9 V → 65 nm, 1 V = ×1\.578/);
    expect(explainProfile(getProfile('truenorth'))).toMatch(/all-in: memory, routing and leakage are inside these figures/);
    expect(explainProfile(getProfile('truenorth'))).toMatch(/neuronUpdate: \(not bound/);
  });

  it('from the CLI; an unknown profile is one line and exit code 2', async () => {
    const dir = tempDir('explain');
    const ok = await runCli(['explain', 'loihi'], dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/synapticEvent: chips\/loihi-synaptic-op = 23\.6 pJ {2}\[23\.6 – 35\.4 pJ\] {2}\[P\]/);
    const bad = await runCli(['explain', 'loihi-3'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^joulebench: error: unknown cost model profile "loihi-3"; known: /);
  });
});

const CSV = `technology,width,action,energy,component,source
45nm,32,add,0.1,adder,my synthesis run 2025
45nm,8,add,0.03,adder,my synthesis run 2025
45nm,32,read,5,sram,CACTI 7 at 8 KB
`;

describe('Accelergy-style energy tables', () => {
  it('become constants with provenance and a default range', () => {
    const t = importEnergyTable(CSV, 'mine.csv', { id: 'mine' });
    expect([...t.constants.keys()]).toEqual(['mine/adder-add-45nm-32b', 'mine/adder-add-45nm-8b', 'mine/sram-read-45nm-32b']);
    const c = t.constants.get('mine/sram-read-45nm-32b')!;
    expect([c.value, c.unit, c.valueSI, c.low, c.high, c.evidence]).toEqual([5, 'pJ', 5e-12, 4, 6, 'S']);
    expect(c.source).toMatch(/^CACTI 7 at 8 KB \(Accelergy-style table row: sram, read, 45nm, 32 bits\)/);
    expect(c.rangeSource).toMatch(/assumed ±20% \(import default/);
  });

  it('refuse bad rows with file, line, field and fix', () => {
    expect(() => importEnergyTable(CSV.replace('0.03', 'lots'), 'mine.csv', { id: 'mine' })).toThrow(/^mine\.csv: line 3, field energy: "lots" is not a number$/);
    expect(() => importEnergyTable(CSV.replace(',source', '').replace(/,my synthesis run 2025|,CACTI 7 at 8 KB/g, ''), 'mine.csv', { id: 'mine' })).toThrow(/line 2, field source: no source; add a source column or give one for the whole table \(--source\)/);
    expect(() => importEnergyTable('technology,width,energy\n45nm,8,1\n', 'x.csv', { id: 'x' })).toThrow(/x\.csv: column "action" is missing/);
    expect(() => importEnergyTable(CSV.replace('45nm,8,add', '45nm,32,add'), 'mine.csv', { id: 'mine' })).toThrow(/line 3: same component, action, technology, width and depth as line 2/);
    expect(() => importEnergyTable('technology,width,action,energy,source\n45nm,8,read,-1,s\n', 'n.csv', { id: 'n' })).toThrow(/n\.csv: line 2, field energy: .*is not a positive energy/);
  });

  it('keep columns they do not use (latency, area, a colour) in the provenance instead of refusing them', () => {
    const t = importEnergyTable(CSV.replace('energy,component', 'energy,colour').replace(/,adder,/g, ',red,'), 'mine.csv', { id: 'mine' });
    expect(t.constants.get('mine/add-45nm-32b')!.source).toMatch(/other columns colour=red/);
  });

  it('a user profile binds an imported table and prices with it', () => {
    const dir = tempDir('energy-table');
    writeFileSync(join(dir, 'chip.csv'), 'technology,width,action,energy,source\n28nm,32,synaptic-event,5,measured on my board\n');
    writeFileSync(
      join(dir, 'my-chip.yaml'),
      'id: my-chip\nmodel: all-in-chip\ntitle: t\ndescription: d\ntables: [chip.csv]\nconstants:\n  synapticEvent: chip/synaptic-event-28nm-32b\n',
    );
    // a CSV table is per-op: binding it to the all-in model is refused by the guard …
    expect(() => getProfile(join(dir, 'my-chip.yaml'))).toThrow(/is a per-op constant; model all-in-chip prices all-in chip figures only/);
    // … so a user's chip figure goes in a YAML table of kind all-in
    writeFileSync(join(dir, 'chip2.yaml'), 'id: chip2\nkind: all-in\ndescription: d\nconstants:\n  - { name: sop, value: 5, unit: pJ, evidence: P, source: measured on my board, low: 4, high: 6, rangeSource: board-to-board spread }\n');
    writeFileSync(join(dir, 'my-chip2.yaml'), 'id: my-chip2\nmodel: all-in-chip\ntitle: t\ndescription: d\ntables: [chip2.yaml]\nconstants:\n  synapticEvent: chip2/sop\n');
    const p = getProfile(join(dir, 'my-chip2.yaml'));
    const ledger = handLedger('snn', 2, [snnLayer(FC, 2, { inputEvents: 5, outputEvents: 2, synOps: 15, updates: 6 })]);
    expect(COST_MODELS.get('all-in-chip')!.price(ledger, p).totalJ).toBeCloseTo(75e-12, 24);
  });

  it('import-energy-table from the CLI prints or writes the YAML', async () => {
    const dir = tempDir('import');
    writeFileSync(join(dir, 'mine.csv'), CSV);
    const r = await runCli(['import-energy-table', 'mine.csv'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^id: mine\n/);
    expect(r.stdout).toContain('name: sram-read-45nm-32b');
    const w = await runCli(['import-energy-table', 'mine.csv', '--id', 'lab', '-o', 'lab.yaml'], dir);
    expect(w.stdout).toMatch(/wrote lab\.yaml: table lab/);
    const bad = await runCli(['import-energy-table', 'missing.csv'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^joulebench: error: missing\.csv: no such file/);
  });
});
