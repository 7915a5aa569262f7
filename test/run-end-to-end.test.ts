// The real slice end to end through the CLI: MNIST → ANN and SNN → both cost models → run folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsDoc } from '../reports/results.js';
import { RESULTS_SCHEMA_VERSION, parseResultsDoc } from '../reports/results-schema.js';
import type { MainResult } from './cli-helpers.js';
import { SMALL_RUN, listTree, runCli, tempDir } from './cli-helpers.js';

let cwd: string;
let first: MainResult;
let second: MainResult;
const read = (run: string, file: string) => readFileSync(join(cwd, run, file), 'utf8');

beforeAll(async () => {
  cwd = tempDir('e2e');
  first = await runCli([...SMALL_RUN, '-o', 'a'], cwd);
  second = await runCli([...SMALL_RUN, '-o', 'b'], cwd);
});

describe('joulebench run (60 MNIST test samples, T 4 and 8)', () => {
  it('exits 0, prints the summary table and writes the four files', () => {
    expect(first.code, first.stderr).toBe(0);
    // the ratio columns are the pairs of profiles the analysis chose, then the energy under each profile
    // pairs of profiles by short keys, a legend first; every line within 100 columns
    expect(first.stdout).toMatch(/^pairs of profiles: P1 = ops-only-45nm \(SNN and ANN\); P2 = lemaire-2022 \(SNN and ANN\); P3 = SNN\s+neuromorphic-core-45nm vs ANN ann-ideal-reuse-45nm$/m);
    expect(first.stdout).toMatch(/^configuration\s+accuracy\s+E_SNN\/E_ANN P1\s+E_SNN\/E_ANN P2\s+E_SNN\/E_ANN P3$/m);
    expect(first.stdout).toMatch(/^ann-dense\s+\d+\.\d\d%\s+1 \(ANN\)\s+1 \(ANN\)\s+1 \(ANN\)$/m);
    expect(first.stdout).toMatch(/^configuration\s+ops-only-45nm energy\s+lemaire-2022 energy/m);
    expect(first.stdout).toMatch(/^ann-dense\s+935 nJ/m);
    // (the closing "wrote <folder>/{…}" line names the user's path and may be longer)
    for (const line of first.stdout.split('\n').filter((l) => !l.startsWith('wrote '))) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(first.stdout).toMatch(/^snn-if-T4\s+\d+\.\d\d%\s+\d\.\d{3}× \(\d\.\d\d–\d\.\d\d\)/m);
    // the verdict sentences are wrapped at 100 columns, continuation lines indented
    expect(first.stdout.replace(/\n {2}/g, ' ')).toMatch(/^ops-only-45nm vs ops-only-45nm: (at matched accuracy|with no SNN).* the SNN uses \d\.\d{3}× the ANN's energy/m);
    expect(first.stdout).toMatch(/^snn-if-T8\s+\d+\.\d\d%/m);
    expect(listTree(join(cwd, 'a'))).toEqual(['.joulebench-output.json', 'benchmark.json', 'bmf.json', 'energy.csv', 'manifest.json', 'report.html', 'results.json']);
  });

  it('writes byte-identical results.json, energy.csv and report.html for the same arguments', () => {
    expect(second.code).toBe(0);
    for (const f of ['results.json', 'energy.csv', 'report.html', 'benchmark.json', 'bmf.json']) expect(read('b', f), f).toBe(read('a', f));
    // the manifest is where time and host live
    expect(JSON.parse(read('a', 'manifest.json'))).toHaveProperty('createdAt');
    expect(read('a', 'results.json')).not.toMatch(/createdAt|hostname/);
  });

  it('writes results.json that matches its published schema', () => {
    const doc = parseResultsDoc(JSON.parse(read('a', 'results.json')));
    expect(doc.schema).toBe('joulebench/results');
    expect(doc.schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
    expect(doc.samples).toBe(60);
    expect(doc.configurations.map((c) => c.id)).toEqual(['ann-dense', 'snn-if-T4', 'snn-if-T8']);
  });

  it('prices the dense ANN at 203,264 MACs × 4.6 pJ under ops-only-45nm', () => {
    const doc = JSON.parse(read('a', 'results.json')) as ResultsDoc;
    const annOps = doc.configurations[0].energy.find((e) => e.profile === 'ops-only-45nm')!;
    expect(annOps.totalJ).toBeCloseTo((784 * 256 + 256 * 10) * 4.6e-12, 20);
    expect(doc.configurations[0].neurobench.Dense).toBe(203_264);
    expect(doc.configurations[0].accuracy).toBeGreaterThan(0.9);
    for (const c of doc.configurations) for (const e of c.energy) expect(e.computeJ + e.memoryJ).toBeCloseTo(e.totalJ, 20);
    // an SNN at more timesteps spikes more, so its event-driven energy grows with T
    const snnT = (id: string) => doc.configurations.find((c) => c.id === id)!.energy.find((e) => e.profile === 'lemaire-2022')!.totalJ;
    expect(snnT('snn-if-T8')).toBeGreaterThan(snnT('snn-if-T4'));
    const cmp = doc.comparisons.find((c) => c.profile === 'lemaire-2022' && c.snn === 'snn-if-T8')!;
    expect(cmp.energyRatio).toBeCloseTo(snnT('snn-if-T8') / doc.configurations[0].energy.find((e) => e.profile === 'lemaire-2022')!.totalJ, 12);
  });

  it('writes energy.csv rows that add up to each configuration total', () => {
    const doc = JSON.parse(read('a', 'results.json')) as ResultsDoc;
    const rows = parseCsv(read('a', 'energy.csv'), { columns: true }) as Record<string, string>[];
    for (const c of doc.configurations) {
      for (const e of c.energy) {
        const sum = rows.filter((r) => r.configuration === c.id && r.profile === e.profile).reduce((s, r) => s + Number(r.energy_j), 0);
        expect(sum).toBeCloseTo(e.totalJ, 18);
      }
    }
  });

  it('exports github-action-benchmark (customSmallerIsBetter) and Bencher BMF JSON with the same energies', () => {
    const doc = JSON.parse(read('a', 'results.json')) as ResultsDoc;
    const gab = JSON.parse(read('a', 'benchmark.json')) as { name: string; unit: string; value: number }[];
    const bmf = JSON.parse(read('a', 'bmf.json')) as Record<string, Record<string, { value: number }>>;
    expect(gab).toHaveLength(doc.configurations.reduce((n, c) => n + c.energy.length, 0));
    for (const c of doc.configurations) {
      expect(bmf[`mnist-mlp/${c.id}`].accuracy.value).toBe(c.accuracy);
      for (const e of c.energy) {
        expect(gab.find((g) => g.name === `mnist-mlp/${c.id}/${e.profile}`)).toMatchObject({ unit: 'J/inference', value: e.totalJ });
        expect(bmf[`mnist-mlp/${c.id}`][`energy-${e.profile}`].value).toBe(e.totalJ);
      }
    }
  });
});
