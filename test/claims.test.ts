// Efficiency claims: every operator and tolerance, quantities, baseline changes, JUnit/Markdown,
// and the `joulebench check` exit codes (0 hold, 1 fail or moved, 2 bad input).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareToBaseline } from '../claims/baseline.js';
import { checkCondition, describeCondition, evaluateClaims } from '../claims/evaluate.js';
import { junitXml, markdownSummary } from '../claims/outputs.js';
import type { ResultsDoc } from '../reports/results.js';
import { SMALL_RUN, listTree, runCli, tempDir } from './cli-helpers.js';

describe('conditions', () => {
  it.each([
    [{ '<': 1 }, 0.5, 'pass', 0.5],
    [{ '<': 1 }, 1, 'fail', 0],
    [{ '<=': 1 }, 1, 'pass', 0],
    [{ '<=': 2 }, 3, 'fail', -0.5],
    [{ '>': 1 }, 1.5, 'pass', 0.5],
    [{ '>': 1 }, 1, 'fail', 0],
    [{ '>=': 4 }, 4, 'pass', 0],
    [{ '>=': 4 }, 3, 'fail', -0.25],
    [{ '==': 3 }, 3, 'pass', -0],
    [{ '==': 3 }, 3.000001, 'fail', -(0.000001 / 3)],
    [{ within: { value: 100, rel: 0.01 } }, 100.9, 'pass', 0.001],
    [{ within: { value: 100, rel: 0.01 } }, 101.5, 'fail', -0.005],
    [{ within: { value: 100, abs: 2 } }, 98, 'pass', 0],
    [{ within: { value: 100, rel: 0.01, abs: 3 } }, 102.5, 'pass', 0.005],
    [{ '<=': 0 }, -0.2, 'pass', 0.2],
  ] as const)('%j with measured %d → %s (margin %d)', (cond, m, verdict, margin) => {
    const r = checkCondition(cond, m);
    expect(r.verdict).toBe(verdict);
    expect(r.margin).toBeCloseTo(margin, 12);
  });
  it('describe themselves readably', () => {
    expect(describeCondition({ '<=': 0.5 })).toBe('≤ 0.5');
    expect(describeCondition({ within: { value: 273.77, rel: 0.01 } })).toBe('within 1% of 273.77');
  });
});

let doc: ResultsDoc;
let cwd: string;
beforeAll(async () => {
  cwd = tempDir('claims');
  const r = await runCli([...SMALL_RUN, '-o', 'run'], cwd);
  if (r.code !== 0) throw new Error(r.stderr);
  doc = JSON.parse(readFileSync(join(cwd, 'run', 'results.json'), 'utf8')) as ResultsDoc;
});

describe('quantities', () => {
  it('read energies, ratios, differences, accuracies, metrics and constants from the results', () => {
    const ann = doc.configurations.find((c) => c.id === 'ann-dense')!;
    const snn = doc.configurations.find((c) => c.id === 'snn-if-T8')!;
    const e = (c: typeof ann, p: string) => c.energy.find((x) => x.profile === p)!;
    const rows = evaluateClaims(
      [
        { id: 'ratio', quantity: { ratio: [{ energy: 'snn-if-T8' }, { energy: 'ann-dense' }] }, condition: { '>': 0 }, profiles: ['ops-only-45nm', 'lemaire-2022'] },
        { id: 'acc', quantity: { difference: [{ accuracy: 'snn-if-T8' }, { accuracy: 'ann-dense' }] }, condition: { '<=': 1 } },
        { id: 'macs', quantity: { metric: 'Dense', config: 'ann-dense' }, condition: { '==': 784 * 256 + 256 * 10 } },
        { id: 'sigma', quantity: { metric: 'spikesPerSynapse', config: 'snn-if-T8', layer: 'fc1' }, condition: { '>': 0 } },
        { id: 'mem', quantity: { metric: 'memoryJ', config: 'snn-if-T8' }, condition: { '>': 0 }, profiles: ['lemaire-2022'] },
        { id: 'recompute', quantity: { product: [{ value: 203264 }, { constant: 'horowitz-45nm/fp32-mac' }] }, condition: { within: { value: e(ann, 'ops-only-45nm').totalJ, rel: 1e-12 } } },
      ],
      doc,
    );
    expect(rows.map((r) => [r.claim, r.profile])).toEqual([
      ['ratio', 'ops-only-45nm'],
      ['ratio', 'lemaire-2022'],
      ['acc', null],
      ['macs', null],
      ['sigma', null],
      ['mem', 'lemaire-2022'],
      ['recompute', null],
    ]);
    expect(rows[0].measured).toBe(e(snn, 'ops-only-45nm').totalJ / e(ann, 'ops-only-45nm').totalJ);
    expect(rows[1].measured).toBe(e(snn, 'lemaire-2022').totalJ / e(ann, 'lemaire-2022').totalJ);
    expect(rows[2].measured).toBe(snn.accuracy! - ann.accuracy!);
    expect(rows[4].measured).toBe(snn.ledger.layers[0].activity.spikesPerSynapse.mean);
    expect(rows[5].measured).toBe(e(snn, 'lemaire-2022').memoryJ);
    expect(rows.every((r) => r.verdict === 'pass')).toBe(true);
  });
  it('refuse what the results do not have, naming the claim, the field and what exists', () => {
    expect(() => evaluateClaims([{ id: 'x', quantity: { energy: 'snn-if-T99' }, condition: { '<': 1 }, profiles: ['ops-only-45nm'] }], doc)).toThrow(
      /claim x: quantity.energy: unknown configuration "snn-if-T99"; the results have ann-dense, snn-if-T4, snn-if-T8/,
    );
    expect(() => evaluateClaims([{ id: 'y', quantity: { energy: 'ann-dense' }, condition: { '<': 1 } }], doc)).toThrow(/claim y: quantity.energy: say which profile/);
    expect(() => evaluateClaims([{ id: 'z', quantity: { metric: 'Effective_ACs', config: 'ann-dense', layer: 'fc9' }, condition: { '<': 1 } }], doc)).toThrow(/unknown layer "fc9"; ann-dense has fc1, fc2/);
    expect(() => evaluateClaims([{ id: 'w', quantity: { constant: 'horowitz-45nm/fp64-mac' }, condition: { '<': 1 } }], doc)).toThrow(/unknown constant/);
    expect(() => evaluateClaims([{ id: 'v', quantity: { energy: 'ann-dense' }, condition: { '<': 1 }, profiles: ['loihi'] }], doc)).toThrow(/profile "loihi" was not priced/);
  });
});

describe('baseline comparison', () => {
  it('finds nothing when comparing a run with itself, even at tolerance 0', () => {
    expect(compareToBaseline(doc, doc, 0)).toEqual([]);
  });
  it('names the configuration, layer and counter that moved, and by how much', () => {
    const moved = structuredClone(doc) as ResultsDoc & { configurations: { ledger: { layers: { memory: { count: { mean: number } }[] }[] } }[] };
    const snn = moved.configurations.find((c) => (c as unknown as { id: string }).id === 'snn-if-T8')!;
    const before = snn.ledger.layers[0].memory[1].count.mean;
    (snn.ledger.layers[0].memory[1].count as { mean: number }).mean = before * 1.1;
    const changes = compareToBaseline(moved as ResultsDoc, doc, 1e-6);
    expect(changes).toHaveLength(1);
    expect(changes[0].what).toBe('snn-if-T8 / fc1 / weight read (32-bit words)');
    expect(changes[0].before).toBe(before);
    expect(changes[0].relative).toBeCloseTo(0.1, 12);
    expect(compareToBaseline(moved as ResultsDoc, doc, 0.2)).toEqual([]); // within tolerance
  });
  it('reports configurations added and removed', () => {
    const fewer = { ...doc, configurations: doc.configurations.slice(0, 2) };
    const changes = compareToBaseline(fewer, doc, 0);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.after === null && c.what.startsWith('snn-if-T8 / '))).toBe(true);
  });
});

describe('reports', () => {
  const rows = [
    { claim: 'a<b', description: 'x & y', profile: 'p', expected: '≤ 0.5', measured: 0.25, verdict: 'pass' as const, margin: 0.5 },
    { claim: 'c', description: 'd', profile: null, expected: '> 1', measured: 0.5, verdict: 'fail' as const, margin: -0.5 },
  ];
  it('JUnit XML has one escaped test case per claim × profile and counts failures', () => {
    const x = junitXml('joulebench', rows, [{ what: 'cfg / fc1 / weight read', before: 1, after: 2, relative: 1 }]);
    expect(x).toContain('<testsuite name="joulebench" tests="3" failures="2">');
    expect(x).toContain('name="a&lt;b [p]"');
    expect(x).toContain('<failure message="expected &gt; 1, measured 0.5000" type="ClaimFailed">d</failure>');
    expect(x).toContain('name="cfg / fc1 / weight read">\n      <failure message="1 → 2 (+100.00%)" type="MovedSinceBaseline"/>');
  });
  it('Markdown summary states the outcome and escapes table cells', () => {
    const md = markdownSummary('t', [{ ...rows[0], claim: 'a|b' }, rows[1]], []);
    expect(md).toContain('1 of 2 claims hold — **1 failed**.');
    expect(md).toContain('| a\\|b | p | ≤ 0.5 | 0.2500 | PASS | +50.00% |');
    expect(md).toContain('Nothing moved since the baseline.');
  });
});

describe('joulebench check', () => {
  const claimsFile = (cwdDir: string, claims: unknown[], extra: Record<string, unknown> = {}) => {
    const path = join(cwdDir, 'claims.yaml');
    writeFileSync(path, YAML.stringify({ version: 1, results: 'run/results.json', claims, ...extra }));
    return path;
  };
  const holds = { id: 'holds', quantity: { ratio: [{ energy: 'snn-if-T8' }, { energy: 'ann-dense' }] }, profiles: ['ops-only-45nm'], condition: { '<': 1 } };

  it('exits 0 when every claim holds, writing JUnit and Markdown and appending to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(cwd, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await runCli(['check', claimsFile(cwd, [holds]), '--junit', 'j.xml', '--markdown', 'm.md'], cwd, { GITHUB_STEP_SUMMARY: summary });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/holds\s+ops-only-45nm\s+< 1\s+0\.\d+\s+PASS/);
    expect(r.stdout).toContain('1 of 1 claims hold');
    expect(readFileSync(join(cwd, 'j.xml'), 'utf8')).toContain('failures="0"');
    expect(readFileSync(summary, 'utf8')).toMatch(/^# earlier step\n### joulebench check/);
  });
  it('exits 1 when a claim breaks, and says which', async () => {
    const broken = { ...holds, id: 'broken', condition: { '<': 0.01 } };
    const r = await runCli(['check', claimsFile(cwd, [holds, broken])], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/broken\s+ops-only-45nm\s+< 0\.01\s+\S+\s+FAIL/);
    expect(r.stdout).toContain('1 of 2 claims hold');
  });
  it('exits 1 when a quantity moved since the baseline, naming it', async () => {
    const base = JSON.parse(readFileSync(join(cwd, 'run', 'results.json'), 'utf8'));
    base.configurations[0].ledger.layers[1].compute[0].count.mean += 1;
    writeFileSync(join(cwd, 'base.json'), JSON.stringify(base));
    const r = await runCli(['check', claimsFile(cwd, [holds]), '--baseline', 'base.json'], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ann-dense / fc2 / mac synaptic (fp32)');
    expect((await runCli(['check', claimsFile(cwd, [holds]), '--baseline', 'run/results.json'], cwd)).code).toBe(0);
  });
  it('exits 2 on bad input with one line naming the field, writing nothing', async () => {
    const runResults = join(cwd, 'run', 'results.json');
    const cases: [unknown, RegExp][] = [
      [{ version: 1, results: runResults, claims: [{ ...holds, condition: { '≈': 1 } }] }, /claims.yaml: field claims.0.condition/],
      [{ version: 2, results: runResults, claims: [holds] }, /field version/],
      [{ version: 1, claims: [holds] }, /give exactly one of `results`/],
      [{ version: 1, results: runResults, claims: [holds, holds] }, /claim id "holds" is used twice/],
      [{ version: 1, results: 'missing.json', claims: [holds] }, /missing.json: no such file/],
      [{ version: 1, results: runResults, claims: [{ ...holds, quantity: { energy: 'snn-if-T1' } }] }, /claim holds: quantity.energy: unknown configuration "snn-if-T1"/],
    ];
    for (const [content, msg] of cases) {
      const dir = tempDir('claims-bad');
      writeFileSync(join(dir, 'claims.yaml'), YAML.stringify(content));
      const before = listTree(dir);
      const r = await runCli(['check', 'claims.yaml', '--junit', 'j.xml'], dir);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
      expect(listTree(dir)).toEqual(before);
    }
    const dir = tempDir('claims-bad');
    writeFileSync(join(dir, 'claims.yaml'), 'version: 1\nclaims: [unclosed');
    expect((await runCli(['check', 'claims.yaml'], dir)).stderr).toMatch(/claims.yaml: not valid YAML/);
    expect((await runCli(['check', 'nope.yaml'], dir)).stderr).toMatch(/claims file nope.yaml: no such file/);
  });
  it('the project\'s own claims file holds, and fails when one of its claims is broken', async () => {
    const own = resolve(import.meta.dirname, '..', 'claims', 'joulebench.yaml');
    const ok = await runCli(['check', own, '-q'], cwd);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const text = readFileSync(own, 'utf8').replace("condition: { '>': 1 }\n  - id: snn-accuracy", "condition: { '<': 1 }\n  - id: snn-accuracy");
    expect(text).not.toBe(readFileSync(own, 'utf8'));
    writeFileSync(join(cwd, 'own-broken.yaml'), text);
    const broken = await runCli(['check', 'own-broken.yaml', '-q'], cwd);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/memory-reverses-the-verdict\s+lemaire-2022\s+< 1\s+\S+\s+FAIL/);
  });
});
