// Hardware descriptions of the peers read into profiles (issue 16): Accelergy ERT and ERT summary YAML,
// Timeloop/Accelergy architectures (v0.3 tree, v0.4 node list), Accelergy table CSVs with their extra
// columns; profiles that extend a built-in one and state only what differs; any node inside the
// scaling table; a warning when a compared pair sits on different nodes or voltages. Every expected
// value is worked by hand in the comment beside it (Accelergy energies are pJ).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importEnergyTable, parseAccelergyCsv } from '../cost-models/energy-table.js';
import { explainProfile } from '../cost-models/explain.js';
import { readArchitecture, readErtSummary, parseHardwareYaml } from '../cost-models/accelergy.js';
import { getProfile } from '../cost-models/registry.js';
import { operatingPointMismatch, techOf } from '../cost-models/tech.js';
import { parseResultsDoc } from '../reports/results-schema.js';
import { listTree, runCli, tempDir } from './cli-helpers.js';

/** Writes files into a new temp folder; returns the folder. */
function folder(prefix: string, files: Readonly<Record<string, string>>): string {
  const dir = tempDir(prefix);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

// A small design at the reference point of the base (45 nm, 0.9 V, 32-bit ops, 64-bit accesses), so
// only the conversions under test change the numbers.
const ERT = `ERT:
  version: '0.4'
  tables:
  - name: system.PE[0..7].mac
    actions:
    - {name: mac_random, arguments: null, energy: 0.4}
    - {name: mac_reused, arguments: null, energy: 0.3}
  - name: system.buf
    actions:
    - {name: read, arguments: {address_delta: 0, data_delta: 0}, energy: 2.0}
    - {name: read, arguments: {address_delta: 1, data_delta: 1}, energy: 4.0}
    - {name: write, arguments: {address_delta: 1, data_delta: 1}, energy: 6.0}
    - {name: leak, arguments: {}, energy: 0}
  - name: system.DRAM
    actions:
    - {name: read, arguments: null, energy: 100}
    - {name: write, arguments: null, energy: 140}
  - name: system.noc
    actions:
    - {name: transfer, arguments: null, energy: 1.0}
`;
const ARCH = `architecture:
  version: 0.3
  subtree:
  - name: system
    attributes: {technology: 45nm}
    local:
    - {name: DRAM, class: DRAM, attributes: {type: LPDDR4, width: 64}}
    - {name: buf, class: SRAM, attributes: {width: 32, depth: 256, latency: 1ns}}
    - {name: noc, class: wire, attributes: {length: 1mm}}
    subtree:
    - name: PE[0..7]
      local:
      - {name: mac, class: intmac, attributes: {datawidth: 32}}
`;
const PROFILE = 'extends: neuromorphic-core-45nm\nhardware: [ERT.yaml, arch.yaml]\n';

describe('an Accelergy ERT with its architecture, bound onto a profile that extends a built-in one', () => {
  const dir = folder('hw-ert', { 'ERT.yaml': ERT, 'arch.yaml': ARCH, 'my-core.yaml': PROFILE });
  const p = getProfile(join(dir, 'my-core.yaml'));
  const pJ = (role: string): number => p.constants[role].valueSI / 1e-12;

  it('splits the MAC in the base\'s add : multiply ratio (0.4 pJ × 0.1/3.2 and × 3.1/3.2)', () => {
    expect(p.id).toBe('my-core');
    expect(pJ('intAdd')).toBeCloseTo(0.0125, 10);
    expect(pJ('intMul')).toBeCloseTo(0.3875, 10);
    expect(p.constants.intAdd.valueSI).toBeCloseTo(1.25e-14, 24); // pJ → J
    expect([p.constants.intAdd.low, p.constants.intAdd.high]).toEqual([0.01, 0.015]); // one value: ±20%
    expect(p.constants.intAdd.rangeSource).toMatch(/assumed ±20% \(import default: the file gives one value\)/);
    expect(p.constants.intAdd.source).toMatch(/ERT\.yaml: ERT\.tables\.0 \(system\.PE\[0\.\.7\]\.mac\), action mac_random/);
    // fp ops, not in the hardware, stay the base's
    expect(p.constants.fpAdd.id).toBe('horowitz-45nm/fp32-add');
  });

  it('prices one SRAM per 64-bit access (mean of read 3 and write 6 pJ per 32-bit word, ×64/32 = 9 pJ), flat-packed', () => {
    expect(pJ('sramPackedAccess')).toBeCloseTo(9, 10);
    // the range is the file's own spread: 2–6 pJ per 32-bit access → 4–12 pJ per 64-bit access
    expect([p.constants.sramPackedAccess.low, p.constants.sramPackedAccess.high]).toEqual([4, 12]);
    expect(p.options.sramMode.value).toBe('flat-packed');
    // one 64-bit access of any SRAM costs 9 pJ at the reference node (factor 1); an 8-bit word 9/8
    const tech = techOf(p);
    expect(tech.nodeFactor).toBe(1);
    expect(tech.memoryJ(1e5, 8, 'weight').unitJ).toBeCloseTo(1.125e-12, 22);
  });

  it('prices DRAM per 64-bit access (mean of 100 and 140 pJ = 120 pJ, range 100–140)', () => {
    expect(pJ('dram')).toBeCloseTo(120, 10);
    expect([p.constants.dram.low, p.constants.dram.high]).toEqual([100, 140]);
  });

  it('keeps and lists what it does not use, and explain shows both lists', () => {
    const unused = p.hardware!.unused.join('\n');
    expect(unused).toMatch(/system\.noc \(wire\) transfer: no joulebench role for this component class \(energy 1 pJ kept here\)/);
    expect(unused).toMatch(/system\.PE\.mac \(intmac\) mac_reused 0\.3 pJ: a data-dependent variant/);
    expect(unused).toMatch(/system\.buf \(SRAM\) leak 0 pJ: static \(idle, leak\) energy/);
    const text = explainProfile(p);
    expect(text).toMatch(/hardware description: ERT\.yaml, arch\.yaml \(Accelergy energies in pJ, converted to joules\)/);
    expect(text).toMatch(/intAdd ← system\.PE\.mac \(intmac\) mac_random 0\.4 pJ/);
    expect(text).toMatch(/kept but not used/);
    expect(text).toMatch(/extends neuromorphic-core-45nm/);
  });
});

describe('a model whose memory costs are relative to a MAC', () => {
  it('binds the arithmetic and lists the memories it cannot take (Eyeriss prices DRAM in MACs)', () => {
    const dir = folder('hw-eyeriss', { 'ERT.yaml': ERT, 'arch.yaml': ARCH, 'e.yaml': 'extends: eyeriss-rs-65nm\nhardware: [ERT.yaml, arch.yaml]\n' });
    const p = getProfile(join(dir, 'e.yaml'));
    // 45 nm table at the profile's 1.0 V → reference 45 nm, 0.9 V: E(45, 0.9)/E(45, 1.0) = 0.84433 / 1.0177 (1.103 − 0.362 + 0.2767)
    const f = 0.84433 / (1.103 - 0.362 + 0.2767);
    expect(p.constants.intAdd.valueSI / 1e-12).toBeCloseTo(0.0125 * f, 6); // bound constants keep 6 significant digits
    expect(p.constants.dram.id).toBe('eyeriss-65nm/dram');
    expect(p.hardware!.unused.join('\n')).toMatch(/system\.DRAM \(DRAM\) read 100 pJ: the profile's model prices dram relative to a MAC \(xMAC\), not in joules; not bound/);
    expect(p.parameters.nodeNm.value).toBe(45); // the description's technology
  });
});

describe('ERT summaries and v0.4 architectures', () => {
  it('reads a table_summary\'s min, average and max, and a 0.2 summary\'s components', () => {
    const doc = parseHardwareYaml(
      'ERT_summary:\n  version: 0.4\n  table_summary:\n  - name: system.buf\n    actions:\n    - {name: read, average_energy: 3, max_energy: 4, min_energy: 2}\n    - {name: write, energy: 6}\n',
      's.yaml',
    );
    const a = readErtSummary(doc, 's.yaml');
    expect(a.map((x) => [x.component, x.actions[0], x.energyPJ, x.energiesPJ])).toEqual([
      ['system.buf', 'read', 3, [2, 3, 4]],
      ['system.buf', 'write', 6, [6]],
    ]);
    const old = readErtSummary(parseHardwareYaml("ERT_summary:\n  version: 0.2\n  components:\n    design.mac:\n      mac_random: {energy: 3}\n      read: {'average energy': 5, 'max energy': 8, 'min energy': 4}\n", 'o.yaml'), 'o.yaml');
    expect(old.map((x) => x.energiesPJ)).toEqual([[3], [4, 5, 8]]);
  });

  it('reads v0.4 nodes (tags dropped): a container\'s attributes reach the components after it', () => {
    const arch = readArchitecture(
      parseHardwareYaml(
        'architecture:\n  version: 0.4\n  nodes:\n  - !Container\n    name: system\n    attributes: {technology: "22nm"}\n  - !Component\n    name: DRAM\n    class: DRAM\n    attributes: {width: 64}\n  - !Container\n    name: PE[0..15]\n    attributes: {datawidth: 8}\n  - !Component\n    name: mac\n    class: intmac\n',
        'a.yaml',
      ),
      'a.yaml',
    );
    expect(Object.fromEntries(arch)).toEqual({
      'system.DRAM': { componentClass: 'DRAM', attributes: { technology: '22nm', width: 64 } },
      'system.PE.mac': { componentClass: 'intmac', attributes: { technology: '22nm', datawidth: 8 } },
    });
  });
});

// Accelergy's table-based plug-in (SRAM: technology,latency,width,depth,…,action,data_delta,address_delta,energy,area)
// and library plug-in (width|datawidth, add|read, COMPONENT blocks) shapes.
const SRAM_CSV = `technology,latency,width,depth,n_rd_ports,n_wr_ports,n_rd_wr_ports,n_banks,action,data_delta,address_delta,energy,area
45nm,5ns,64,1024,0,0,2,1,read,0,0,6,0
45nm,5ns,64,1024,0,0,2,1,write,0,0,6,0
45nm,5ns,64,8192,0,0,2,1,read,0,0,14,0
45nm,5ns,64,8192,0,0,2,1,idle,0,0,0,0
`;
const LIB_CSV = `# two components in one file, as the library plug-in writes them
COMPONENT: my_adder
technology,global_cycle_seconds,width|datawidth,energy,area,action
45nm,1e-9,16,0.05,200,add|read
45nm,1e-9,16,0,200,update|write
COMPONENT: my_multiplier
technology,global_cycle_seconds,width|datawidth,energy,area,action
45nm,1e-9,16,0.8,900,multiply|read
`;

describe('Accelergy table CSVs', () => {
  it('read extra columns (latency, ports, toggles, area) without complaint and keep them in the provenance', () => {
    const t = importEnergyTable(SRAM_CSV, 'SRAM.csv', { id: 'sram', source: 'my CACTI run' });
    expect([...t.constants.keys()]).toEqual(['sram/read-45nm-64b-d1024', 'sram/write-45nm-64b-d1024', 'sram/read-45nm-64b-d8192']);
    const c = t.constants.get('sram/read-45nm-64b-d1024')!;
    expect(c.valueSI).toBeCloseTo(6e-12, 22);
    expect(c.source).toMatch(/other columns latency=5ns, n_rd_ports=0, n_wr_ports=0, n_rd_wr_ports=2, n_banks=1, data_delta=0, address_delta=0, area=0/);
  });

  it('split OR\'ed headers and actions, start a component at each COMPONENT line, and leave zero rows out', () => {
    const { rows, skipped } = parseAccelergyCsv(LIB_CSV, 'lib.csv');
    expect(rows.map((r) => [r.line, r.component, r.widthBits, r.actions, r.energyPJ, r.extra])).toEqual([
      [4, 'my_adder', 16, ['add', 'read'], 0.05, { global_cycle_seconds: '1e-9', area: '200' }],
      [8, 'my_multiplier', 16, ['multiply', 'read'], 0.8, { global_cycle_seconds: '1e-9', area: '900' }],
    ]);
    expect(skipped).toEqual(['line 5: my_adder update|write has energy 0 (an idle, leak or gated action): left out, a zero is no per-op energy']);
  });

  it('bind adders and multipliers as given (16 → 32 bits: add ×2, multiply ×4) and fit a line through SRAMs of two capacities', () => {
    const dir = folder('hw-csv', { 'SRAM.csv': SRAM_CSV, 'lib.csv': LIB_CSV, 'p.yaml': 'extends: ann-ideal-reuse-45nm\nid: csv-chip\nhardware: [lib.csv, SRAM.csv]\n' });
    const p = getProfile(join(dir, 'p.yaml'));
    expect(p.constants.intAdd.valueSI / 1e-12).toBeCloseTo(0.1, 10); // 0.05 pJ × 32/16
    expect(p.constants.intMul.valueSI / 1e-12).toBeCloseTo(3.2, 10); // 0.8 pJ × (32/16)²
    // per 64-bit access: 6 pJ at 64 × 1024 = 65,536 bits, 14 pJ at 64 × 8192 = 524,288 bits:
    // slope = 8 / 458,752 = 1.74386e-5 pJ/bit, intercept = 6 − slope × 65,536 = 4.857143 pJ
    expect(p.constants.sramSlope.valueSI / 1e-12).toBeCloseTo(8 / 458752, 10);
    expect(p.constants.sramIntercept.valueSI / 1e-12).toBeCloseTo(6 - (8 / 458752) * 65536, 5);
    expect(p.options.sramMode.value).toBe('fit-packed');
    expect(p.parameters.nodeNm.value).toBe(45);
  });

  it('refuse a technology outside the scaling table, naming the file line', () => {
    const dir = folder('hw-180', { 'adder.csv': 'technology,width,action,energy\n180nm,32,add,0.9\n', 'p.yaml': 'extends: ann-ideal-reuse-45nm\nhardware: [adder.csv]\n' });
    expect(() => getProfile(join(dir, 'p.yaml'))).toThrow(/adder\.csv: line 2: technology: 180nm: technology node 180 nm is outside the Stillmaker–Baas table/);
  });
});

describe('profiles that state only what differs', () => {
  it('extends a built-in profile with user-facing names and shorthands: node: 22nm, vdd: 0.8 V, int-add: 0.05 pJ', () => {
    const dir = folder('hw-ext', { 'lean.yaml': 'extends: neuromorphic-core-45nm\nparameters:\n  node: 22nm\n  vdd: 0.8 V\nconstants:\n  int-add: 0.05 pJ\noptions:\n  memoryKind.weight: dram\n' });
    const p = getProfile(join(dir, 'lean.yaml'));
    const base = getProfile('neuromorphic-core-45nm');
    expect(p.id).toBe('lean');
    expect(p.title).toBe(`${base.title} — as lean.yaml changes it (now 22 nm, 0.8 V)`);
    expect([p.parameters.nodeNm.value, p.parameters.vddV.value, p.parameters.refNodeNm.value]).toEqual([22, 0.8, 45]);
    expect(p.parameters.nodeNm.source).toBe('set in lean.yaml');
    expect(p.constants.intAdd.valueSI).toBeCloseTo(5e-14, 24);
    expect(p.constants.intAdd.source).toBe('given in lean.yaml, no source stated');
    expect(p.constants.intMul).toBe(base.constants.intMul);
    expect(p.options['memoryKind.weight'].value).toBe('dram');
    expect(p.options.memoryKind.value).toBe(base.options.memoryKind.value);
  });

  it('prices 22 nm, inside the table, by the log-log interpolation: ×0.290773 from 45 nm at 0.9 V (hand value in cost-scaling.test.ts)', () => {
    const dir = folder('hw-22', { 'n22.yaml': 'extends: neuromorphic-core-45nm\nparameters: { nodeNm: 22 }\n' });
    const p = getProfile(join(dir, 'n22.yaml'));
    expect(techOf(p).nodeFactor).toBeCloseTo(0.290773, 5);
    expect(explainProfile(p)).toMatch(/22 nm is not a table row: interpolated log-log between the 20 nm and 32 nm rows/);
  });

  it('name the bad field and the fix', () => {
    const bad = (name: string, text: string): (() => unknown) => {
      const dir = folder('hw-bad', { [name]: text });
      return () => getProfile(join(dir, name));
    };
    expect(bad('a.yaml', 'extends: loihi-9\n')).toThrow(/a\.yaml: extends: "loihi-9" is not a built-in profile; use one of /);
    expect(bad('b.yaml', 'extends: neuromorphic-core-45nm\nparameters: { nodeNm: 200 }\n')).toThrow(/b\.yaml: field parameters\.nodeNm\.value: 200 is outside the model's valid range \[7, 130\]/);
    expect(bad('c.yaml', 'extends: neuromorphic-core-45nm\nconstants: { int-add: 0.05 }\n')).toThrow(/c\.yaml: constants\.int-add: 0\.05 has no unit; write the energy with its unit, e\.g\. intAdd: 0\.05 pJ/);
    expect(bad('d.yaml', 'extends: neuromorphic-core-45nm\nconstants: { fastAdd: 0.05 pJ }\n')).toThrow(/field constants\.fastAdd: model neuromorphic-core has no such role/);
    expect(bad('e.yaml', 'extends: neuromorphic-core-45nm\nmodel: ops-only\n')).toThrow(/e\.yaml: model: "ops-only" differs from the model of neuromorphic-core-45nm/);
    expect(bad('f.yaml', 'extends: neuromorphic-core-45nm\nparameters: { vdd: 0.8 mV }\n')).toThrow(/f\.yaml: parameters\.vdd: "0\.8 mV" is not a number in V/);
    expect(bad('ERT.yaml', ERT)).toThrow(/ERT\.yaml: \(root\): is an Accelergy\/Timeloop energy reference table \(ERT\) file, not a profile; write a profile that extends a built-in one and names it, e\.g\. "extends: neuromorphic-core-45nm" and "hardware: \[ERT\.yaml\]"/);
  });
});

describe('malformed hardware files', () => {
  it('give one InputError (never a TypeError) whatever shape a field takes', () => {
    const variants: [string, string, string][] = [
      ['ERT.yaml', 'ERT: 3\n', ARCH],
      ['ERT.yaml', 'ERT: {version: 0.4, tables: 7}\n', ARCH],
      ['ERT.yaml', 'ERT: {tables: [3, {name: x}]}\n', ARCH],
      ['ERT.yaml', 'ERT: {tables: [{name: x, actions: [{name: read, energy: lots}]}]}\n', ARCH],
      ['ERT.yaml', 'ERT: {tables: [{name: x, actions: [{name: read, energy: -1}]}]}\n', ARCH],
      ['ERT.yaml', 'ERT: {tables: [{name: system.buf, actions: [{name: read, energy: 1e9}]}]}\n', ARCH],
      ['ERT.yaml', 'ERT_summary: {table_summary: [{name: x, actions: [{name: r, average_energy: [1]}]}]}\n', ARCH],
      ['ERT.yaml', 'ART: {tables: [{name: x, area: 3}]}\n', ARCH],
      ['ERT.yaml', 'hello: world\n', ARCH],
      ['ERT.yaml', ERT, 'architecture: {version: 0.3, subtree: [{name: s, local: [{name: m}]}]}\n'],
      ['ERT.yaml', ERT, 'architecture: {version: 0.3, subtree: [{local: 5}]}\n'],
      ['ERT.yaml', ERT, 'architecture: {version: 0.4, nodes: [1, {class: 2}]}\n'],
      ['ERT.yaml', ERT, 'architecture: {subtree: [{name: s, attributes: [1], local: []}]}\n'],
      ['ERT.yaml', ERT, ARCH.replace('technology: 45nm', 'technology: 3nm')],
      ['ERT.yaml', ERT, ARCH.replace('width: 32, depth: 256', 'width: 0, depth: -1')],
    ];
    variants.forEach(([name, ert, arch], i) => {
      const dir = folder('hw-mal', { [name]: ert, 'arch.yaml': arch, [`p${i}.yaml`]: PROFILE });
      let error: unknown = null;
      try {
        getProfile(join(dir, `p${i}.yaml`));
      } catch (e) {
        error = e;
      }
      if (error !== null) {
        expect((error as Error).name, `variant ${i}: ${(error as Error).stack}`).toBe('InputError');
        expect((error as Error).message).not.toContain('\n');
      }
    });
    // a folder named as a hardware file
    const dir = folder('hw-dir', { 'p.yaml': 'extends: neuromorphic-core-45nm\nhardware: [.]\n' });
    expect(() => getProfile(join(dir, 'p.yaml'))).toThrow(/hardware\.0: .* is a directory; name the file itself/);
  });
});

describe('from the CLI', () => {
  it('a malformed hardware file is one line naming the field, exit 2, nothing written', async () => {
    const dir = folder('hw-cli-bad', {
      'ERT.yaml': ERT.replace('{name: mac_reused, arguments: null, energy: 0.3}', '{name: mac_reused, arguments: null}'),
      'arch.yaml': ARCH,
      'my-core.yaml': PROFILE,
    });
    const before = listTree(dir);
    for (const argv of [['run', '-c', 'my-core.yaml', '-o', 'out'], ['explain', 'my-core.yaml']]) {
      const r = await runCli(argv, dir);
      expect(r.code).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^joulebench: error: .*ERT\.yaml: ERT\.tables\.0\.actions\.1\.energy: missing; give the action's energy in pJ$/);
      expect(listTree(dir)).toEqual(before);
      expect(existsSync(join(dir, 'out'))).toBe(false);
    }
  });

  it('refuses two profiles with one id (a file extending a built-in profile and named like it)', async () => {
    const dir = folder('hw-cli-dup', { 'neuromorphic-core-45nm.yaml': 'extends: neuromorphic-core-45nm\nparameters: { vddV: 0.8 }\n' });
    const before = listTree(dir);
    const r = await runCli(['run', '-c', 'neuromorphic-core-45nm', 'neuromorphic-core-45nm.yaml', '-o', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toBe('joulebench: error: --cost-model: neuromorphic-core-45nm and neuromorphic-core-45nm.yaml both have the profile id "neuromorphic-core-45nm"; give each profile once, and a profile file its own id (field id, or another file name)');
    expect(listTree(dir)).toEqual(before);
  });

  it('warns once when a compared pair sits on different nodes or voltages, and records it', async () => {
    const dir = folder('hw-cli-warn', { 'core-22nm.yaml': 'extends: neuromorphic-core-45nm\nid: core-22nm\nparameters: { nodeNm: 22, vddV: 0.8 }\n' });
    expect(operatingPointMismatch(getProfile(join(dir, 'core-22nm.yaml')), getProfile('ann-ideal-reuse-45nm'))).toMatch(/different technology nodes and supply voltages: the SNN profile at 22 nm, 0\.8 V, the ANN profile at 45 nm, 0\.9 V/);
    expect(operatingPointMismatch(getProfile('neuromorphic-core-45nm'), getProfile('ann-ideal-reuse-45nm'))).toBeNull();
    const r = await runCli(['run', '-n', '60', '-T', '4', '--calibration-samples', '300', '--mc-samples', '0', '--quiet', '-c', 'core-22nm.yaml', 'ann-ideal-reuse-45nm', '-o', 'out'], dir);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.err.filter((l) => l.startsWith('joulebench: warning: pair core-22nm:ann-ideal-reuse-45nm compares different technology nodes and supply voltages'));
    expect(warnings).toHaveLength(1);
    const doc = parseResultsDoc(JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')));
    expect(doc.analysis.settings.pairs).toEqual([{ snnProfile: 'core-22nm', annProfile: 'ann-ideal-reuse-45nm', warning: expect.stringMatching(/^pair core-22nm:ann-ideal-reuse-45nm compares different technology nodes/) }]);
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toMatch(/<strong>Warning:<\/strong> pair core-22nm:ann-ideal-reuse-45nm/);
  });

  it('the committed examples parse (an ERT with its v0.3 architecture; table-plug-in CSVs)', async () => {
    const examples = join(import.meta.dirname, '..', 'cost-models', 'examples', 'accelergy-22nm');
    const a = getProfile(join(examples, 'neuromorphic-core-22nm.yaml'));
    expect(a.parameters.nodeNm.value).toBe(22);
    expect(a.hardware!.bound.length).toBeGreaterThanOrEqual(4);
    const b = getProfile(join(examples, 'ann-ideal-reuse-40nm.yaml'));
    expect(b.parameters.nodeNm.value).toBe(40);
    const r = await runCli(['explain', join(examples, 'neuromorphic-core-22nm.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/system\.chip\.noc \(wire\) transfer: no joulebench role/);
  });
});
