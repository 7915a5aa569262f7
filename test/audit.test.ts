// The literature audit (claims/literature.yaml, `joulebench audit`): every published figure and every
// stated count checked against its source; the recomputation reproduces what it should within the
// rounding of the printed digits, and names the slip where it does not (77 fJ/SOP, 3.7 vs 4.6 pJ, ACs
// priced as MACs); the memory-inclusive estimate against a hand computation; CLI exit codes, outputs
// and HTML escaping.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { auditLiterature, printedInterval } from '../claims/audit.js';
import type { AuditReport, AuditRow } from '../claims/audit.js';
import { DEFAULT_LITERATURE_FILE, parseLiteratureFile } from '../claims/literature.js';
import { InputError } from '../core/errors.js';
import type { LiteratureFile } from '../claims/literature.js';
import { listTree, runCli, tempDir } from './cli-helpers.js';

const TEXT = readFileSync(DEFAULT_LITERATURE_FILE, 'utf8');
const FILE = parseLiteratureFile(TEXT, DEFAULT_LITERATURE_FILE);
const REPORT = auditLiterature(FILE, DEFAULT_LITERATURE_FILE);
const row = (report: AuditReport, id: string): AuditRow => report.rows.find((r) => r.entry.id === id)!;
const W3 = 'workloads.md §3 (published per-model energy claims)';

// Every published figure the file encodes, typed here from the reference notes (shared/reference/).
const PUBLISHED: readonly [string, string, string, string][] = [
  ['spikingformer-8-512-log', '7.4635', 'mJ', `${W3}, Spikingformer row: "0.3473 G MAC × 4.6 + 6.5175 G AC × 0.9 = 7.4635 mJ (README log)"`],
  ['spikingformer-8-384', '4.69', 'mJ', `${W3}, Spikingformer row: "4.69 / 7.46 / 13.68 mJ"`],
  ['spikingformer-8-512', '7.46', 'mJ', `${W3}, Spikingformer row: "4.69 / 7.46 / 13.68 mJ"`],
  ['spikingformer-8-768', '13.68', 'mJ', `${W3}, Spikingformer row: "4.69 / 7.46 / 13.68 mJ"`],
  ['spikformer-preprint-8-384', '0.525', 'mJ', `${W3}, earlier-preprint row: "0.525 / 0.854 / 1.701 mJ for 6.82 / 11.09 / 22.09 G SOPs"; §2.1 "0.525 mJ / 6.82 G SOPs"`],
  ['spikformer-preprint-8-512', '0.854', 'mJ', `${W3}, earlier-preprint row`],
  ['spikformer-preprint-8-768', '1.701', 'mJ', `${W3}, earlier-preprint row`],
  ['spikformer-8-384', '7.73', 'mJ', `${W3}, Spikformer-8-384 row (ICLR'23 camera-ready)`],
  ['spikformer-8-512', '11.58', 'mJ', `${W3}, Spikformer-8-512 row`],
  ['spikformer-10-512', '13.90', 'mJ', `${W3}, Spikformer-10-512 row (secondary)`],
  ['spikformer-8-768', '21.48', 'mJ', `${W3}, Spikformer-8-768 row; §2.2 "against the original 21.48"`],
  ['spikformer-8-384-reevaluated', '12.43', 'mJ', `${W3}, re-evaluated row: "12.43 / 18.82 / 32.07 mJ"`],
  ['spikformer-8-512-reevaluated', '18.82', 'mJ', `${W3}, re-evaluated row`],
  ['spikformer-8-768-reevaluated', '32.07', 'mJ', `${W3}, re-evaluated row; §2.2 "gives 32.07 mJ"`],
  ['ann-transformer-8-512', '38.34', 'mJ', `${W3}, ANN Transformer-8-512 row (secondary)`],
  ['spike-driven-transformer-8-384', '3.90', 'mJ', `${W3}, Spike-driven Transformer row: "3.90 / 3.56 / 4.50 / 5.53 mJ"`],
  ['spike-driven-transformer-6-512', '3.56', 'mJ', `${W3}, Spike-driven Transformer row`],
  ['spike-driven-transformer-8-512', '4.50', 'mJ', `${W3}, Spike-driven Transformer row`],
  ['spike-driven-transformer-10-512', '5.53', 'mJ', `${W3}, Spike-driven Transformer row`],
  ['spike-driven-transformer-8-768', '6.09', 'mJ', `${W3}, Spike-driven Transformer 8-768 row`],
  ['sew-resnet-34-spikformer-v1', '0.299', 'mJ', `${W3}, SEW-ResNet row: "0.299 / 0.372 / 0.716 / 1.056 mJ (Spikformer v1, 77 fJ)"`],
  ['sew-resnet-50-spikformer-v1', '0.372', 'mJ', `${W3}, SEW-ResNet row`],
  ['sew-resnet-101-spikformer-v1', '0.716', 'mJ', `${W3}, SEW-ResNet row`],
  ['sew-resnet-152-spikformer-v1', '1.056', 'mJ', `${W3}, SEW-ResNet row`],
  ['sew-resnet-34-qkformer', '4.89', 'mJ', `${W3}, SEW-ResNet row: "4.89 / – / 8.91 / 12.89 mJ (QKFormer table, 0.9/4.6 pJ)"`],
  ['sew-resnet-101-qkformer', '8.91', 'mJ', `${W3}, SEW-ResNet row`],
  ['sew-resnet-152-qkformer', '12.89', 'mJ', `${W3}, SEW-ResNet row`],
  ['frontiers-2023-naive-sop', '273.77', '×', 'energy-models.md §5.4: "reports a 273.77× gain" (Frontiers 2023, doi 10.3389/fnins.2023.1091097, Table 3)'],
  ['izhikevich-table4-compute-ratio', '1360', '×', 'workloads.md §1, Table IV: "compute: 235,405,312 vs 172,800 (≈1360×)"'],
  ['izhikevich-table4-snn-compute', '172,800', '1', 'workloads.md §1, Table IV compute, SNN column'],
  ['izhikevich-table4-snn-footprint', '10,496,000', '1', 'workloads.md §1, Table IV: "footprint: 3,145,728 vs 10,496,000"'],
  ['izhikevich-table4-bandwidth-ratio', '1e4', '×', 'workloads.md §1, Table IV: "1,048,576 + 576·n_inp vs 120 + 30·n_inp (≈10⁴×)"'],
  ['izhikevich-rnn-table1-footprint', '4', 'M', 'workloads.md §1, Table I: "footprint n_t·2^{n_c}·n = 4M"'],
  ['izhikevich-rnn-table1-bandwidth', '5.4', 'K', 'workloads.md §1, Table I: "bandwidth per token 2·n_t·n_c + n_t·n = 5.4K"'],
];

// Every count or parameter the file encodes as a claim's own input.
const INPUTS: readonly [string, string, string, string][] = [
  ['spikingformer-8-512-log', 'macs', '0.3473', `${W3}, Spikingformer row: "0.3473 G MAC"`],
  ['spikingformer-8-512-log', 'acs', '6.5175', `${W3}, Spikingformer row: "6.5175 G AC"`],
  ['spikingformer-8-512', 'macs', '0.3473', `${W3}, Spikingformer row`],
  ['spikingformer-8-512', 'acs', '6.5175', `${W3}, Spikingformer row`],
  ['spikformer-preprint-8-384', 'sops', '6.82', `${W3}, earlier-preprint row: "6.82 / 11.09 / 22.09 G SOPs"`],
  ['spikformer-preprint-8-512', 'sops', '11.09', `${W3}, earlier-preprint row`],
  ['spikformer-preprint-8-768', 'sops', '22.09', `${W3}, earlier-preprint row`],
  ['izhikevich-table4-compute-ratio', 'ann', '235,405,312', 'workloads.md §1, Table IV compute'],
  ['izhikevich-table4-compute-ratio', 'snn', '172,800', 'workloads.md §1, Table IV compute'],
  ...(['izhikevich-table4-snn-compute', 'izhikevich-table4-snn-footprint'] as const).flatMap((id) =>
    ([['n', '16'], ['n_t', '10'], ['n_c', '6']] as const).map(([k, v]): [string, string, string, string] => [id, k, v, 'workloads.md §1: "reproduced exactly by n = 16, n_t = 10, n_c = 6, p = 4, n_inp = 32"']),
  ),
  ['izhikevich-table4-snn-compute', 'n_inp', '32', 'workloads.md §1 reconciliation'],
  ['izhikevich-table4-snn-footprint', 'p', '4', 'workloads.md §1 reconciliation'],
  ['izhikevich-table4-bandwidth-ratio', 'ann_fixed', '1,048,576', 'workloads.md §1, Table IV bandwidth'],
  ['izhikevich-table4-bandwidth-ratio', 'ann_per_token', '576', 'workloads.md §1, Table IV bandwidth'],
  ['izhikevich-table4-bandwidth-ratio', 'snn_fixed', '120', 'workloads.md §1, Table IV bandwidth'],
  ['izhikevich-table4-bandwidth-ratio', 'snn_per_token', '30', 'workloads.md §1, Table IV bandwidth'],
  ['izhikevich-table4-bandwidth-ratio', 'n_inp', '32', 'workloads.md §1 reconciliation'],
  ...(['izhikevich-rnn-table1-footprint', 'izhikevich-rnn-table1-bandwidth'] as const).flatMap((id) =>
    ([['n', '64'], ['n_t', '64'], ['n_c', '10']] as const).map(([k, v]): [string, string, string, string] => [id, k, v, 'workloads.md §1: "A 5M spiking RNN (n = 64, n_t = 64, n_c = 10)"']),
  ),
];

describe('claims/literature.yaml', () => {
  it('parses, with unique ids and at least the claims the issue names', () => {
    expect(FILE.entries.length).toBeGreaterThanOrEqual(30);
    expect(new Set(FILE.entries.map((e) => e.id)).size).toBe(FILE.entries.length);
  });
  it.each(PUBLISHED)('%s publishes %s %s — source: %s', (id, printed, unit) => {
    const e = FILE.entries.find((x) => x.id === id);
    expect(e, id).toBeDefined();
    expect(e!.published.printed).toBe(printed);
    expect(e!.published.unit).toBe(unit);
  });
  it.each(INPUTS)('%s states %s = %s — source: %s', (id, input, printed) => {
    expect(FILE.entries.find((x) => x.id === id)!.inputs![input].printed).toBe(printed);
  });
  it('encodes no published figure or input that the tables above do not check', () => {
    expect(FILE.entries.map((e) => e.id).sort()).toEqual(PUBLISHED.map((p) => p[0]).sort());
    const inputs = FILE.entries.flatMap((e) => Object.keys(e.inputs ?? {}).map((k) => `${e.id}/${k}`));
    expect(inputs.sort()).toEqual(INPUTS.map(([id, k]) => `${id}/${k}`).sort());
  });
  it('quotes every number it encodes from the notes', () => {
    for (const e of FILE.entries) {
      const numbers = [e.published.quoted ?? e.published.printed, ...Object.values(e.inputs ?? {}).map((i) => i.quoted ?? i.printed)];
      for (const n of numbers) expect(e.quotes.some((q) => q.includes(n)), `${e.id}: ${n} is in none of its quotes`).toBe(true);
    }
  });
  const quotesIn = (notes: string) => {
    for (const e of FILE.entries) {
      const text = readFileSync(join(notes, e.reference.file), 'utf8');
      for (const q of e.quotes) expect(text.includes(q), `${e.id}: "${q}" is not in ${join(notes, e.reference.file)}`).toBe(true);
    }
  };
  it('quotes the reference notes verbatim (the copies kept in claims/reference-notes/)', () => {
    quotesIn(resolve(import.meta.dirname, '..', 'claims', 'reference-notes'));
  });
  // The upstream notes sit beside the repository in development and CI; a clone elsewhere has only the copies.
  const upstream = resolve(import.meta.dirname, '..', '..', 'shared', 'reference');
  it.skipIf(!existsSync(upstream))('the quotes still appear in the upstream notes (shared/reference/, when present)', () => {
    quotesIn(upstream);
  });
});

describe('printed numbers stand for the interval their digits imply', () => {
  it.each([
    [{ printed: '7.4635', unit: 'mJ' }, 7.46345e-3, 7.46355e-3],
    [{ printed: '0.525', unit: 'mJ' }, 0.5245e-3, 0.5255e-3],
    [{ printed: '1360', significant: 3, unit: '×' }, 1355, 1365],
    [{ printed: '235,405,312', unit: '1', exact: true }, 235405312, 235405312],
    [{ printed: '5.4', unit: 'K' }, 5350, 5450],
    [{ printed: '1.5e3', unit: '1' }, 1450, 1550],
    [{ printed: '1e4', rounding: 'order-of-magnitude', unit: '×' }, 10 ** 3.5, 10 ** 4.5],
  ] as const)('%j → [%d, %d]', (p, lo, hi) => {
    const x = printedInterval(p);
    expect(x.lo).toBeCloseTo(lo, 12 - Math.ceil(Math.log10(hi)));
    expect(x.hi).toBeCloseTo(hi, 12 - Math.ceil(Math.log10(hi)));
  });
});

describe('the recomputation', () => {
  it('finds every status the file records', () => {
    expect(REPORT.mismatches.map((r) => r.entry.id)).toEqual([]);
    expect(REPORT.rows.filter((r) => r.status === 'reproduced').map((r) => r.entry.id)).toEqual([
      'spikingformer-8-512-log',
      'spikingformer-8-512',
      'izhikevich-table4-compute-ratio',
      'izhikevich-table4-snn-compute',
      'izhikevich-table4-snn-footprint',
      'izhikevich-rnn-table1-footprint',
      'izhikevich-rnn-table1-bandwidth',
    ]);
  });
  it("reproduces Spikingformer-8-512's 7.4635 mJ: 0.3473 G MAC × 4.6 pJ + 6.5175 G AC × 0.9 pJ, within the rounding of all three printed numbers", () => {
    const r = row(REPORT, 'spikingformer-8-512-log');
    expect(r.status).toBe('reproduced');
    expect(r.recomputed!.value).toBeCloseTo(0.3473e9 * 4.6e-12 + 6.5175e9 * 0.9e-12, 15); // 7.46333 mJ
    expect(r.recomputed!.lo).toBeCloseTo(0.34725e9 * 4.6e-12 + 6.51745e9 * 0.9e-12, 15); // 7.463055 mJ
    expect(r.recomputed!.hi).toBeCloseTo(0.34735e9 * 4.6e-12 + 6.51755e9 * 0.9e-12, 15); // 7.463605 mJ
    expect(r.recomputed!.hi).toBeGreaterThanOrEqual(7.46345e-3); // overlaps the printed 7.4635's [7.46345, 7.46355]
    expect(row(REPORT, 'spikingformer-8-512').status).toBe('reproduced'); // and the table's 7.46 mJ
  });
  it('flags the Spikformer preprint: its figures imply 77 fJ per SOP, not the 0.9 pJ of E_AC', () => {
    for (const [id, mj, gsop] of [['spikformer-preprint-8-384', 0.525, 6.82], ['spikformer-preprint-8-512', 0.854, 11.09], ['spikformer-preprint-8-768', 1.701, 22.09]] as const) {
      const r = row(REPORT, id);
      expect(r.status).toBe('off');
      expect(r.recomputed!.value).toBeCloseTo(gsop * 1e9 * 0.9e-12, 15);
      expect(r.finding).toMatch(/the published figure implies 77\.0 fJ per operation, where the formula has 0\.9 pJ \(horowitz-45nm\/fp32-add \[P\]\)/);
      expect(r.finding).toMatch(/prices a SOP at the figure of Spikformer's first preprint: 77 fJ \(spikformer-v1\/sop \[I\]\) instead of 0\.9 pJ .* which reproduces it/);
      const implied = (mj * 1e-3) / (gsop * 1e9);
      expect(implied).toBeGreaterThan(76.96e-15); // the range literature-constants.yaml gives 77 fJ
      expect(implied).toBeLessThan(77.04e-15);
    }
  });
  it("finds Izhikevich's compute ratio (1362 ≈ 1360×) and SNN columns, but not ≈10⁴× bandwidth at the context that reproduces them", () => {
    expect(row(REPORT, 'izhikevich-table4-compute-ratio').recomputed!.value).toBeCloseTo(235405312 / 172800, 12);
    expect(row(REPORT, 'izhikevich-table4-snn-compute').recomputed!.value).toBe(32 * 32 * 10 * 16 + 32 * 10 * 16 + 32 * 2 * 10 * 6);
    expect(row(REPORT, 'izhikevich-table4-snn-footprint').recomputed!.value).toBe(10 * 2 ** 16 * 16 + 10 * 2 ** 6 * 16);
    const bw = row(REPORT, 'izhikevich-table4-bandwidth-ratio');
    expect(bw.status).toBe('off');
    expect(bw.recomputed!.value).toBeCloseTo((1048576 + 576 * 32) / (120 + 30 * 32), 12); // 987.97
    expect(bw.derived[0].valueSI).toBeCloseTo(1048576 / 120, 12); // 8738: the most it can be
  });
  it('derives, for claims without counts, only what their published figures and constants imply', () => {
    const re = row(REPORT, 'spikformer-8-768-reevaluated');
    expect(re.status).toBe('not-recomputable');
    expect(re.recomputed).toBeNull();
    expect(re.derived[0].valueSI).toBeCloseTo((32.07e-3 - 21.48e-3) / (4.6e-12 - 0.9e-12), 3); // 2.862 G ops moved AC → MAC
    expect(row(REPORT, 'frontiers-2023-naive-sop').derived[0].valueSI).toBeCloseTo((273.77 * 0.9) / 4.6, 12);
    expect(row(REPORT, 'frontiers-2023-naive-sop').finding).toMatch(/#OP_ANN and #OP_SNN/);
  });
});

/** The Spikingformer entry with another published figure, to see what the audit says about it. */
function variant(published: string): { file: LiteratureFile; report: AuditReport } {
  const doc = YAML.parse(TEXT);
  const e = doc.entries.find((x: { id: string }) => x.id === 'spikingformer-8-512-log');
  e.published.printed = published;
  e.status = 'off';
  doc.entries = [e];
  const file = parseLiteratureFile(YAML.stringify(doc), DEFAULT_LITERATURE_FILE);
  return { file, report: auditLiterature(file, DEFAULT_LITERATURE_FILE) };
}

describe('the audit names the slip when a figure does not reproduce', () => {
  it('3.7 pJ used for a MAC where the claim states 4.6 pJ', () => {
    const r = variant('7.1508').report.rows[0]; // 0.3473 × 3.7 + 6.5175 × 0.9 = 7.15076 mJ
    expect(r.status).toBe('off');
    expect(r.finding).toMatch(/prices a MAC at the multiply alone: 3\.7 pJ \(horowitz-45nm\/fp32-mult \[P\]\) instead of 4\.6 pJ \(horowitz-45nm\/fp32-mac \[P\]\) gives 7\.15076 mJ, which reproduces it/);
  });
  it('ACs priced as MACs (the spike-vs-nonspike classification)', () => {
    const r = variant('31.578').report.rows[0]; // (0.3473 + 6.5175) × 4.6 = 31.578 mJ
    expect(r.finding).toMatch(/prices the ACs as MACs/);
  });
  it('and says only how far off a figure is when no known slip explains it', () => {
    const r = variant('9.9').report.rows[0];
    expect(r.status).toBe('off');
    expect(r.finding).toMatch(/^recomputes to 7\.463 mJ \(7\.46305–7\.4636 mJ\), outside the 9\.85–9\.95 mJ that the published 9\.9 mJ stands for; published ÷ recomputed = 1\.33$/);
  });
});

describe('the memory-inclusive estimate', () => {
  it('matches a hand computation for Spikingformer-8-512 (an 8 KB SRAM word = 10 pJ × 32/64 = 5 pJ)', () => {
    const m = row(REPORT, 'spikingformer-8-512-log').memory!;
    const word = (10e-12 * 32) / 64;
    const mac = 0.3473e9 * (4.6e-12 + 2 * word); // weight + input read: 5.07058 mJ
    const ac = 6.5175e9 * (0.9e-12 + 3 * word); // weight read + membrane read and write: 103.62825 mJ
    expect(m.totalJ).toBeCloseTo(mac + ac, 15); // 108.69883 mJ
    expect(m.computeJ).toBeCloseTo(0.3473e9 * 4.6e-12 + 6.5175e9 * 0.9e-12, 15);
    expect(m.memoryJ).toBeCloseTo((0.3473e9 * 2 + 6.5175e9 * 3) * word, 15);
    expect(m.ratio).toBeCloseTo((mac + ac) / 7.4635e-3, 10); // 14.56×
    expect(m.omitted).toBeNull();
    expect(REPORT.memoryModel.wordJ).toBeCloseTo(word, 24);
  });
  it('prices only the counts a claim states, and says what is missing', () => {
    const m = row(REPORT, 'spikformer-preprint-8-384').memory!;
    expect(m.macs).toBe(0);
    expect(m.totalJ).toBeCloseTo(6.82e9 * (0.9e-12 + 15e-12), 15);
    expect(m.omitted).toMatch(/first \(encoding\) layer's MACs are not stated/);
  });
  it('lists its assumptions with the constants they use, and what it leaves out', () => {
    const a = REPORT.memoryModel.assumptions.join('\n');
    expect(a).toContain('10 pJ (lemaire-2022/horowitz-sram-8kib [S]) per 64-bit access × 32/64 = 5.00 pJ');
    expect(a).toContain('each MAC = 4.6 pJ (horowitz-45nm/fp32-mac [P]) + (2 reads + 0 writes) × 5.00 pJ = 14.6 pJ');
    expect(a).toContain('each AC (SOP) = 0.9 pJ (horowitz-45nm/fp32-add [P]) + (2 reads + 1 write) × 5.00 pJ = 15.9 pJ');
    expect(a).toMatch(/left out: DRAM traffic/);
    expect(a).toMatch(/left out: neuron updates/);
  });
});

describe('joulebench audit', () => {
  const tables = [resolve(import.meta.dirname, '..', 'claims', 'literature-constants.yaml')];
  /** The built-in literature file, changed by `mutate`, for a file outside the package (its constant table by absolute path). */
  const bad = (mutate: (doc: Record<string, unknown> & { entries: Record<string, unknown>[] }) => void): string => {
    const doc = YAML.parse(TEXT);
    doc.constantTables = tables;
    mutate(doc);
    return YAML.stringify(doc);
  };

  it('exits 0, prints the table and findings, and writes self-contained HTML and Markdown', async () => {
    const cwd = tempDir('audit');
    const r = await runCli(['audit', '--html', 'audit.html', '--markdown', 'audit.md'], cwd);
    expect(r.code, r.stderr).toBe(0);
    // the table is wider than 100 columns: split into parts that each repeat the claim column
    expect(r.stdout).toMatch(/^spikingformer-8-512-log\s+Spikingformer-8-512\s+\[P\]\s+7\.4635 mJ$/m);
    expect(r.stdout).toMatch(/^spikingformer-8-512-log\s+7\.46333 mJ\s+reproduced\s+109 mJ$/m);
    expect(r.stdout).toMatch(/^spikingformer-8-512-log\s+14\.6×$/m);
    expect(r.stdout).toMatch(/^spikformer-preprint-8-384\s+.*0\.525 mJ$/m);
    expect(r.stdout).toMatch(/^spikformer-preprint-8-384\s+6\.138 mJ\s+OFF/m);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    // the summary line is wrapped at 100 columns
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('34 published figures: 7 reproduced, 4 off, 23 not recomputable from the notes; every status is the one recorded');
    const html = readFileSync(join(cwd, 'audit.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<td>spikingformer-8-512-log</td>');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i); // no network
    expect(readFileSync(join(cwd, 'audit.md'), 'utf8')).toContain('| spikformer-preprint-8-384 | Spikformer-8-384 (earlier preprint) | [P] | 0.525 mJ | 6.138 mJ | OFF |');
  });
  it('shows text from the literature file as text in HTML, never as markup', async () => {
    const cwd = tempDir('audit-html');
    writeFileSync(join(cwd, 'lit.yaml'), bad((d) => {
      d.entries[0].model = '<script>alert("model")</script>';
      d.entries[0].note = 'x < y & "z" <img src=x onerror=alert(1)>';
    }));
    const r = await runCli(['audit', '--file', 'lit.yaml', '--html', 'a.html', '-q'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(cwd, 'a.html'), 'utf8');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;model&quot;)&lt;/script&gt;');
    expect(html).toContain('x &lt; y &amp; &quot;z&quot; &lt;img src=x onerror=alert(1)&gt;');
  });
  it('exits 1 when a claim no longer gets the status the file records, naming it', async () => {
    const cwd = tempDir('audit-mismatch');
    writeFileSync(join(cwd, 'lit.yaml'), bad((d) => {
      d.entries.find((e) => e.id === 'spikformer-preprint-8-512')!.status = 'reproduced';
    }));
    const r = await runCli(['audit', '--file', 'lit.yaml', '-q'], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/spikformer-preprint-8-512\s+.*OFF \(recorded: reproduced\)/);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('1 differ from the recorded status: spikformer-preprint-8-512');
  });
  it('refuses a bad literature file with one line naming the file, the field and the fix', () => {
    const cases: [string, RegExp][] = [
      ['entries: [unclosed', /^lit\.yaml: not valid YAML/],
      [bad((d) => (d.version = 2)), /^lit\.yaml: field version/],
      [bad((d) => (d.entries[2].frobnicate = 1)), /^lit\.yaml: field entries\.2: Unrecognized key: "frobnicate"/],
      [bad((d) => delete d.entries[2].why), /field entries\.2\.why: say why \(field `why`\) exactly when the status is not-recomputable/],
      [bad((d) => ((d.entries[0].published as { printed: unknown }).printed = 7.4635)), /field entries\.0\.published\.printed: .*expected string/i],
      [bad((d) => ((d.entries[0].published as { printed: unknown }).printed = 'seven')), /field entries\.0\.published\.printed: a number as printed in the source/],
      [bad((d) => ((d.entries[0].published as { unit: unknown }).unit = 'kWh')), /field entries\.0\.published\.unit: unit must be one of/],
      [bad((d) => (d.entries[1].id = d.entries[0].id)), /field entries\.1\.id: "spikingformer-8-512-log" is used twice/],
      [bad((d) => ((d.entries[0].ops as { mac: unknown }).mac = { input: 'flops' })), /field entries\.0\.ops\.mac: entry spikingformer-8-512-log has no input "flops"; its inputs are macs, acs/],
      [bad((d) => ((d.entries[0].formula as { expr: unknown }).expr = { sum: [{ input: 'macs' }, { constant: 'horowitz-45nm/fp32-add' }] })), /field entries\.0\.formula\.expr\.sum: adds an energy to a pure number/],
      [bad((d) => ((d.entries[0].formula as { expr: unknown }).expr = { input: 'macs' })), /field entries\.0\.formula\.expr: gives a pure number but the published figure is in mJ/],
      [bad((d) => (d.alternatives as unknown[]).splice(0, 1, { replace: 'horowitz-45nm/fp32-mac', with: 'horowitz-45nm/fp64-mac', says: 'x' })), /field alternatives\.0\.with: unknown constant "horowitz-45nm\/fp64-mac"/],
      [bad((d) => (d.constantTables = ['missing.yaml'])), /field constantTables\.0: .*missing\.yaml: no such file/],
    ];
    for (const [text, msg] of cases) {
      let error: unknown;
      try {
        auditLiterature(parseLiteratureFile(text, 'lit.yaml'), 'lit.yaml');
      } catch (e) {
        error = e;
      }
      expect(error, String(msg)).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(msg);
      expect((error as Error).message).not.toContain('\n');
    }
  });
  it('exits 2 on a bad literature file, with that one line and nothing written', async () => {
    for (const [text, msg] of [
      ['entries: [unclosed', /lit\.yaml: not valid YAML/],
      [bad((d) => ((d.entries[0].formula as { expr: unknown }).expr = { constant: 'horowitz-45nm/fp64-mac' })), /lit\.yaml: field entries\.0\.formula\.expr\.constant: unknown constant "horowitz-45nm\/fp64-mac"/],
    ] as const) {
      const cwd = tempDir('audit-bad');
      writeFileSync(join(cwd, 'lit.yaml'), text);
      const before = listTree(cwd);
      const r = await runCli(['audit', '--file', 'lit.yaml', '--html', 'a.html', '--markdown', 'a.md'], cwd);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/^joulebench: error: /);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
      expect(listTree(cwd)).toEqual(before);
    }
  });
  it('exits 2 on a missing file or an unwritable output', async () => {
    const cwd = tempDir('audit-args');
    expect((await runCli(['audit', '--file', 'nope.yaml'], cwd)).stderr).toMatch(/^joulebench: error: --file nope\.yaml: no such file\n$/);
    const r = await runCli(['audit', '--html', 'no/such/dir/a.html'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--html no\/such\/dir\/a\.html: directory .* does not exist/);
    expect((await runCli(['audit', '--markdown', '.'], cwd)).stderr).toMatch(/^joulebench: error: --markdown \.: is a directory; give a file name\n$/);
    expect(listTree(cwd)).toEqual([]);
  });
});
