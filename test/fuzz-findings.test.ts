// The inputs the fuzz campaign (test/fuzz/) found still breaking a contract after the issue-17 fixes,
// each kept here as a plain regression test with the exact reproduction.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { getProfile } from '../cost-models/registry.js';
import { CacheEntryProblem, decodeEntry, encodeEntry } from '../core/verified-cache.js';
import type { CacheKind } from '../core/verified-cache.js';
import type { ConfigurationRun } from '../harness/suite.js';
import { buildResults } from '../study/results.js';
import { parseResultsDoc } from '../reports/results-schema.js';
import { breakEvenTable } from '../reports/analysis.js';
import type { MainResult } from './cli-helpers.js';
import { runCli, tempDir } from './cli-helpers.js';
import { FC, annLayer, handLedger, snnLayer } from './cost-fixtures.js';

function expectOneLineRefusal(r: MainResult, re: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toMatch(/^joulebench: error: /);
  expect(r.err[0]).toMatch(re);
}

describe('results.json constants', () => {
  const runs: ConfigurationRun[] = [
    { id: 'ann-dense', accuracy: 0.8, ledger: handLedger('ann', 1, [annLayer(FC, 4, 12)]), wallMs: 0 },
    { id: 'snn-if-T4', accuracy: 0.75, ledger: handLedger('snn', 4, [snnLayer(FC, 4, { inputEvents: 4, outputEvents: 2, synOps: 6, updates: 12 })]), wallMs: 0 },
  ];
  const doc = buildResults({ workload: { id: 'hand', title: 'hand', dataset: 'none', task: 'classification', metric: 'accuracy', layers: [], training: {}, conversion: null }, samples: 1, seed: 1, runs, profiles: [getProfile('ops-only-45nm')], monteCarloSamples: 0 } as unknown as Parameters<typeof buildResults>[0]);
  const energy = doc.constants.findIndex((c) => c.siUnit === 'J');

  it('a negative energy constant (value −4.6 pJ) is refused on read, naming the field', () => {
    const bad = structuredClone(doc) as unknown as { constants: Record<string, unknown>[] };
    Object.assign(bad.constants[energy], { value: -4.6, valueSI: -4.6e-12, low: -5, lowSI: -5e-12 });
    expect(() => parseResultsDoc(bad, 'neg.json')).toThrow(new RegExp(`neg\\.json: constants\\[${energy}\\]\\.(value|low): must be`));
  });
  it('a low end below zero (−5e-324) or above the value is refused', () => {
    const tiny = structuredClone(doc) as unknown as { constants: Record<string, unknown>[] };
    Object.assign(tiny.constants[energy], { lowSI: -5e-324 });
    expect(() => parseResultsDoc(tiny, 'tiny.json')).toThrow(/lowSI/);
    const order = structuredClone(doc) as unknown as { constants: Record<string, number>[] };
    order.constants[energy].lowSI = order.constants[energy].valueSI * 2;
    expect(() => parseResultsDoc(order, 'order.json')).toThrow(/valueSI: must lie in \[lowSI, highSI\]/);
  });
  it('the unchanged document still reads', () => {
    expect(parseResultsDoc(structuredClone(doc), 'ok.json').constants.length).toBe(doc.constants.length);
  });
  it('a pair whose break-even names a layer the first pair of its profiles does not (a renamed layer) renders as – instead of crashing the table', () => {
    const two = buildResults({ workload: { id: 'hand', title: 'hand', dataset: 'none', task: 'classification', metric: 'accuracy', layers: [], training: {}, conversion: null }, samples: 1, seed: 1,
      runs: [...runs, { ...runs[1], id: 'snn-if-T8' }], profiles: [getProfile('ops-only-45nm')], monteCarloSamples: 0 } as unknown as Parameters<typeof buildResults>[0]);
    const renamed = structuredClone(two) as unknown as { analysis: { pairs: { breakEven: { layers: { layer: string }[] } }[] } };
    expect(renamed.analysis.pairs).toHaveLength(2);
    renamed.analysis.pairs[1].breakEven.layers[0].layer = ':renamed';
    const table = breakEvenTable(parseResultsDoc(renamed, 'renamed.json'));
    expect(table.rows[0].slice(1)).toEqual([table.rows[0][1], table.rows[0][2], '–']);
  });
});

describe('audit of a user literature file', () => {
  const lit = YAML.parse(readFileSync(join(import.meta.dirname, '..', 'claims', 'literature.yaml'), 'utf8')) as { entries: { id: string; published: Record<string, unknown>; recompute?: unknown }[]; constantTables?: string[] };
  function writeLit(mutate: (doc: typeof lit) => void): string {
    const dir = tempDir('audit-fuzz');
    const doc = structuredClone(lit);
    mutate(doc);
    doc.constantTables = (doc.constantTables ?? []).map((t) => join(import.meta.dirname, '..', 'claims', t));
    writeFileSync(join(dir, 'lit.yaml'), YAML.stringify(doc));
    return dir;
  }
  it('a formula whose inputs overflow to Infinity is refused, not "reproduced"', async () => {
    const dir = writeLit((d) => {
      const text = JSON.stringify(d.entries.find((e) => e.id === 'izhikevich-table4-snn-compute'));
      expect(text).toContain('{"value":2}');
      const i = d.entries.findIndex((e) => e.id === 'izhikevich-table4-snn-compute');
      d.entries[i] = JSON.parse(text.replace('{"value":2}', '{"value":1e308}'));
    });
    expectOneLineRefusal(await runCli(['audit', '--file', 'lit.yaml', '-q'], dir), /lit\.yaml: field entries\.\d+\.formula\..*: evaluates to a non-finite number/);
  });
  it('significant: 3000000 is refused by the schema (a double holds about 17 digits), not a RangeError', async () => {
    const dir = writeLit((d) => {
      d.entries[0].published.significant = 3_000_000;
    });
    expectOneLineRefusal(await runCli(['audit', '--file', 'lit.yaml', '-q'], dir), /significant: at most 17/);
  });
});

describe('paths holding a NUL character', () => {
  it('claims results: "run/\\0results.json" is one line naming the field, not ERR_INVALID_ARG_VALUE', async () => {
    const dir = tempDir('nul-claims');
    writeFileSync(join(dir, 'c.yaml'), 'version: 1\nresults: "run/\\0results.json"\nclaims:\n  - id: x\n    quantity: { metric: Effective_MACs, config: ann-dense }\n    condition: { ">=": 0 }\n');
    expectOneLineRefusal(await runCli(['check', 'c.yaml', '-q'], dir), /run\/\\u0000results\.json: contains a NUL character/);
  });
  it('-o, --junit and --markdown with a NUL are refused before any work', async () => {
    const dir = tempDir('nul-out');
    expectOneLineRefusal(await runCli(['run', '-o', 'a\0b', '-n', '10', '-q'], dir), /--out .*NUL character/);
    writeFileSync(join(dir, 'c.yaml'), 'version: 1\nresults: r.json\nclaims:\n  - id: x\n    quantity: { metric: Effective_MACs, config: ann-dense }\n    condition: { ">=": 0 }\n');
    expectOneLineRefusal(await runCli(['check', 'c.yaml', '--junit', 'j\0.xml'], dir), /--junit .*NUL character/);
    expectOneLineRefusal(await runCli(['check', 'c.yaml', '--markdown', 'm\0.md'], dir), /--markdown .*NUL character/);
  });
});

describe('cache entries nested thousands of levels deep', () => {
  it('are damaged entries (CacheEntryProblem), not a stack overflow', () => {
    const kind: CacheKind = { folder: 'test', format: 1, isLegacy: () => false };
    const good = encodeEntry(kind, 'k', { ratio: [1, 2] });
    expect(decodeEntry(kind, good, 'k', (p) => p)).toEqual({ ratio: [1, 2] });
    const deep = good.replace(/"payload":\{"ratio":\[1,2\]\}/, `"payload":${'{"ratio":['.repeat(6000)}1${']}'.repeat(6000)}`);
    expect(deep).not.toBe(good);
    expect(() => decodeEntry(kind, deep, 'k', (p) => p)).toThrow(CacheEntryProblem);
    expect(() => decodeEntry(kind, deep, 'k', (p) => p)).toThrow(/nested .* levels deep/);
  });
});
