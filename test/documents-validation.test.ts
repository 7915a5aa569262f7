// Documents read and written (issue 17): every results.json is checked against its schema before it
// is written and when it is read; a bad or hostile file (wrong version, truncated, NaN, empty, a
// folder) is one line naming the file, the field (or line and column) and the fix, exit 2, and never
// echoes the file; output paths are checked before any work; sweep folders are verified (sweep.json
// and a content hash per chunk); limits on grids, timesteps and --jobs; non-finite ONNX weights and
// conversion scales; JUnit and Markdown escape what they quote.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { junitXml, markdownSummary } from '../claims/outputs.js';
import { getProfile } from '../cost-models/registry.js';
import { convertToSnn } from '../harness/convert.js';
import { InputError } from '../core/errors.js';
import { jsonSyntaxError } from '../core/documents.js';
import { exportOnnx } from '../harness/onnx/export.js';
import type { ConfigurationRun } from '../harness/suite.js';
import { energyCsv } from '../reports/csv.js';
import { bencherMetricFormat, githubActionBenchmark } from '../reports/exports.js';
import { renderReport } from '../reports/html.js';
import { analysisSummary } from '../reports/analysis.js';
import type { ResultsDoc } from '../reports/results.js';
import { buildResults } from '../study/results.js';
import { RESULTS_SCHEMA_VERSION, parseResultsDoc } from '../reports/results-schema.js';
import { summaryRows } from '../reports/summary.js';
import { checkChunk, sweepLayout } from '../sweeps/run.js';
import { MAX_SWEEP_EXECUTIONS, parseSweep } from '../sweeps/spec.js';
import { importOnnx } from '../workloads/onnx/import.js';
import { annLayer, handLayer, handLedger, snnLayer } from './cost-fixtures.js';
import { dense, sampleSet } from './fixtures.js';
import type { MainResult } from './cli-helpers.js';
import { isolatedCache, listTree, runCli, tempDir } from './cli-helpers.js';

/** Exit 2 with exactly one line, no stack trace and no internal error, matching `msg`. */
function expectOneLine(r: MainResult, msg: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.err, r.stderr).toHaveLength(1);
  expect(r.err[0]).toMatch(/^joulebench: error: /);
  expect(r.err[0]).not.toMatch(/internal error|\bat .*\.[jt]s:\d+/);
  expect(r.err[0]).toMatch(msg);
}

const savedEnv = { cache: process.env.JOULEBENCH_CACHE, summary: process.env.GITHUB_STEP_SUMMARY };
beforeAll(() => {
  // our own cache (executions really run) holding a copy of the pretrained default model
  process.env.JOULEBENCH_CACHE = isolatedCache('docs-cache');
  delete process.env.GITHUB_STEP_SUMMARY;
});
afterAll(() => {
  if (savedEnv.cache === undefined) delete process.env.JOULEBENCH_CACHE;
  else process.env.JOULEBENCH_CACHE = savedEnv.cache;
  if (savedEnv.summary !== undefined) process.env.GITHUB_STEP_SUMMARY = savedEnv.summary;
});

// ---- hand-built results documents -------------------------------------------------------------

const FC = dense('fc', 4, 3, [[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]], [0, 0, 0], 'relu');
const WORKLOAD: ResultsDoc['workload'] = {
  id: 'tiny',
  title: 'a hand-built ledger',
  dataset: 'none',
  task: 'classification',
  metric: 'accuracy',
  layers: [{ name: 'fc', kind: 'dense', inputShape: [4], outputShape: [3], activation: 'relu' }],
  training: {},
  conversion: null,
};
const SNN_RUN: ConfigurationRun = { id: 'snn-if-T4', accuracy: 0.75, ledger: handLedger('snn', 4, [snnLayer(FC, 4, { inputEvents: 4, outputEvents: 2, synOps: 6, updates: 12 })]), wallMs: 0 };
/** An ANN that performs no operation at all: 0 J under ops-only (a zero denominator). */
const FREE_ANN: ConfigurationRun = { id: 'ann-dense', accuracy: 0.8, ledger: handLedger('ann', 1, [handLayer(0, FC, 1, { inputEvents: 4, outputEvents: 3, synOps: 12, updates: 0 }, {})]), wallMs: 0 };
const ANN: ConfigurationRun = { id: 'ann-dense', accuracy: 0.8, ledger: handLedger('ann', 1, [annLayer(FC, 4, 12)]), wallMs: 0 };

function handDoc(ann: ConfigurationRun): ResultsDoc {
  return buildResults({ workload: WORKLOAD, samples: 1, seed: 1, runs: [ann, SNN_RUN], profiles: [getProfile('ops-only-45nm')], monteCarloSamples: 20 });
}

const HOSTILE = /NaN|Infinity|undefined/;

describe('results.json is valid before it is written', () => {
  it('a zero ANN energy gives a null ratio with a note and a skipped pair; the document validates, renders, exports and reports with no NaN or Infinity', async () => {
    const doc = handDoc(FREE_ANN);
    expect(doc.schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
    expect(doc.configurations[0].energy[0].totalJ).toBe(0);
    expect(doc.comparisons).toEqual([{ profile: 'ops-only-45nm', snn: 'snn-if-T4', ann: 'ann-dense', energyRatio: null, accuracyDelta: doc.comparisons[0].accuracyDelta, note: 'ann-dense costs 0 J under ops-only-45nm, so E_SNN / E_ANN has no value' }]);
    expect(doc.analysis.pairs).toEqual([]);
    expect(doc.analysis.skipped).toEqual([{ snnProfile: 'ops-only-45nm', annProfile: 'ops-only-45nm', snn: 'snn-if-T4', ann: 'ann-dense', reason: 'ann-dense costs 0 J under ops-only-45nm, so E_SNN / E_ANN has no value' }]);
    const json = `${JSON.stringify(doc, null, 1)}\n`;
    expect(parseResultsDoc(JSON.parse(json), 'r.json')).toEqual(doc);
    for (const text of [energyCsv(doc), JSON.stringify(githubActionBenchmark(doc)), JSON.stringify(bencherMetricFormat(doc)), analysisSummary(doc)]) expect(text).not.toMatch(HOSTILE);
    expect(summaryRows(doc).rows[1]).toEqual(['snn-if-T4', '75.00%', '–', expect.stringMatching(/J$/)]);
    expect(analysisSummary(doc)).toContain('no break-even or verdict for snn-if-T4 under ops-only-45nm vs ops-only-45nm: ann-dense costs 0 J');
    const html = renderReport(doc);
    expect(html).toContain('Pairs without an analysis');
    expect(html.replace(/<script[\s\S]*?<\/script>/g, '')).not.toMatch(HOSTILE);
    // and `report` re-renders it
    const dir = tempDir('docs-zero');
    writeFileSync(join(dir, 'results.json'), json);
    const r = await runCli(['report', dir, '--no-images']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('a document that fails its own schema is an internal error naming the field, never returned for writing', () => {
    const nan: ConfigurationRun = { ...ANN, accuracy: Number.NaN };
    let caught: unknown;
    try {
      buildResults({ workload: WORKLOAD, samples: 1, seed: 1, runs: [nan, SNN_RUN], profiles: [getProfile('ops-only-45nm')], monteCarloSamples: 0 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).not.toBeInstanceOf(InputError);
    expect((caught as Error).message).toMatch(/results\.json would not match its schema \(v4\) at configurations\[0\]\.accuracy: .*nothing was written/);
  });

  it('a converted layer that never fires on the calibration samples keeps λ = 1 and is named; non-finite activations are refused naming the layer', () => {
    const silent = dense('fc1', 2, 2, [[-1, -1], [-1, -1]], [-0.5, -0.5], 'relu');
    const out = dense('fc2', 2, 2, [[1, 0], [0, 1]], [0, 0], 'identity');
    const calib = sampleSet([[0.5, 1], [1, 0.2]], [0, 1]);
    const snn = convertToSnn({ id: 'silent', inputShape: [2], layers: [silent, out] }, calib, { kind: 'max' });
    expect(snn.conversion.scales).toEqual([1, 1]);
    expect(snn.conversion.unscaled).toEqual(['fc1']);
    expect(snn.layers.every((l) => l.layer.kind !== 'dense' || (l.layer.weight.every(Number.isFinite) && l.layer.bias.every(Number.isFinite)))).toBe(true);
    const huge = dense('fc1', 2, 2, [[3.4e38, 3.4e38], [3.4e38, 3.4e38]], [0, 0], 'relu');
    expect(() => convertToSnn({ id: 'huge', inputShape: [2], layers: [huge, out] }, calib, { kind: 'max' })).toThrow(/layer fc1: cannot be converted to spiking neurons: its activations on the calibration samples include Infinity; the weights are too large/);
    // the schema refuses a null (or non-positive) scale when a document is read back
    const doc = JSON.parse(JSON.stringify(handDoc(ANN)));
    doc.workload.conversion = { method: 'p99.9', calibrationSamples: 10, scales: [null, 1] };
    expect(() => parseResultsDoc(doc, 'r.json')).toThrow(/^r\.json: workload\.conversion\.scales\[0\]: .*; give a results\.json written by `joulebench run`/);
  });
});

describe('reading results.json: report, check --baseline, claims results:', () => {
  let dir: string;
  let good: string;
  const SECRET = 'SECRET-TOKEN-42';
  const bad: [string, string | null, RegExp][] = [
    ['version99.json', '{"schema":"joulebench/results","schemaVersion":99}', /version99\.json: schemaVersion: 99 is not supported; this joulebench reads results schema versions 1, 2, 3 and 4; run again/],
    ['bare99.json', '{"schemaVersion":99}', /bare99\.json: schema: is missing: this is not a joulebench results\.json/],
    ['truncated.json', null, /truncated\.json: line \d+, column \d+: not valid JSON: the text ends in the middle of a value \(is the file truncated\?\)/],
    ['types.json', null, /types\.json: configurations\[0\]\.energy\[0\]\.totalJ: must be a finite number; give a results\.json/],
    ['negative.json', null, /negative\.json: configurations\[0\]\.energy\[0\]\.items\[0\]\.energyJ: must be ≥ 0/],
    ['nan.json', null, /nan\.json: line \d+, column 13: not valid JSON: NaN and Infinity are not JSON numbers/],
    ['huge.json', null, /huge\.json: samples: .*(finite|Infinity|number)/],
    ['empty.json', '', /empty\.json: line 1, column 1: not valid JSON: the file is empty/],
    ['array.json', '[1, 2]', /array\.json: \(root\): must be a JSON object \(a joulebench results\.json\), got an array/],
    ['secret.json', `${SECRET} is not JSON\n`, /secret\.json: line 1, column 1: not valid JSON: a value .* was expected/],
    ['folder.json', null, /folder\.json: is a directory, not a file; name (a|the) results\.json/],
  ];

  beforeAll(() => {
    dir = tempDir('docs-read');
    const doc = handDoc(ANN);
    good = join(dir, 'good.json');
    const text = `${JSON.stringify(doc, null, 1)}\n`;
    writeFileSync(good, text);
    const files: Record<string, string> = {
      'truncated.json': text.slice(0, Math.floor(text.length / 2)),
      'types.json': text.replace(/"totalJ": [^,]+,/, '"totalJ": "lots",'),
      'negative.json': text.replace(/"energyJ": ([^,\n]+)/, '"energyJ": -$1'),
      'nan.json': text.replace(/"samples": 1,/, '"samples": NaN,'),
      'huge.json': text.replace(/"samples": 1,/, '"samples": 1e400,'),
    };
    for (const [name, content, _] of bad) {
      if (name === 'folder.json') mkdirSync(join(dir, name));
      else writeFileSync(join(dir, name), content ?? files[name]);
    }
  });

  it('each bad file is one line naming the file, the field or line:column and the fix (exit 2) for report, --baseline and results:, never echoing the file', async () => {
    for (const [name, , msg] of bad) {
      const path = join(dir, name);
      // report: the run folder's results.json
      const folder = join(dir, `run-${name}`);
      mkdirSync(folder);
      if (name === 'folder.json') mkdirSync(join(folder, 'results.json'));
      else writeFileSync(join(folder, 'results.json'), readFileSync(path));
      const rep = await runCli(['report', folder, '--no-images']);
      expectOneLine(rep, new RegExp(msg.source.replace(/^[a-z0-9]+\\\.json/, 'results\\.json')));
      expect(existsSync(join(folder, 'report.html'))).toBe(false);
      // check --baseline
      const claims = join(dir, `claims-${name}.yaml`);
      writeFileSync(claims, YAML.stringify({ version: 1, results: 'good.json', claims: [{ id: 'c', quantity: { energy: 'snn-if-T4', profile: 'ops-only-45nm' }, condition: { '>': 0 } }] }));
      const base = await runCli(['check', claims, '--baseline', path, '-q']);
      expectOneLine(base, msg);
      expect(base.stderr).toContain(path);
      // claims file `results:`
      writeFileSync(claims, YAML.stringify({ version: 1, results: name, claims: [{ id: 'c', quantity: { energy: 'snn-if-T4', profile: 'ops-only-45nm' }, condition: { '>': 0 } }] }));
      const res = await runCli(['check', claims, '-q']);
      expectOneLine(res, msg);
      for (const r of [rep, base, res]) expect(r.stderr + r.stdout).not.toContain(SECRET);
    }
  });

  it('the good document passes, and a version-1 document still reads (nothing skipped)', async () => {
    const claims = join(dir, 'claims-good.yaml');
    writeFileSync(claims, YAML.stringify({ version: 1, results: 'good.json', claims: [{ id: 'c', quantity: { energy: 'snn-if-T4', profile: 'ops-only-45nm' }, condition: { '>': 0 } }] }));
    const r = await runCli(['check', claims, '--baseline', good, '-q']);
    expect(r.code, r.stderr).toBe(0);
    // a version-3 document has no ConnectionSparsity and no NeuroBench counts per layer; version 4 needs both
    const v3 = JSON.parse(readFileSync(good, 'utf8'));
    v3.schemaVersion = 3;
    for (const c of v3.configurations) {
      delete c.neurobench.ConnectionSparsity;
      for (const l of c.ledger.layers) delete l.activity.neurobench;
    }
    expect(parseResultsDoc(v3, 'v3.json').configurations[0].neurobench.ConnectionSparsity).toBeUndefined();
    v3.schemaVersion = 4;
    expect(() => parseResultsDoc(v3, 'v4.json')).toThrow(/^v4\.json: configurations\[0\]\.neurobench\.ConnectionSparsity: /);
    const v1 = JSON.parse(readFileSync(good, 'utf8'));
    v1.schemaVersion = 1;
    delete v1.analysis.skipped;
    expect(parseResultsDoc(v1, 'v1.json').analysis.skipped).toEqual([]);
    delete v1.analysis.pairs;
    expect(() => parseResultsDoc(v1, 'v1.json')).toThrow(/^v1\.json: analysis\.pairs: /);
  });

  it('the JSON locator agrees with JSON.parse and points at the first error', () => {
    for (const ok of ['{}', '[]', ' {"a": [1, -2.5e-3, true, false, null, "x\\u00e9\\n"]} ', '0', '"s"']) expect(jsonSyntaxError(ok)).toBeNull();
    expect(jsonSyntaxError('{"a": 1,}')).toEqual({ offset: 8, problem: 'a property name in double quotes was expected' });
    expect(jsonSyntaxError('[1 2]')).toEqual({ offset: 3, problem: "a comma or ']' was expected" });
    expect(jsonSyntaxError('{"a": 01}')!.problem).toBe("a comma or '}' was expected");
    expect(jsonSyntaxError('{"a": -Infinity}')!.problem).toBe('Infinity is not a JSON number');
    expect(jsonSyntaxError('{} x')!.problem).toBe('more text follows the JSON value');
    expect(jsonSyntaxError('['.repeat(200000))!.problem).toMatch(/truncated/); // deep nesting: no stack overflow
  });
});

describe('a folder where a file is expected: one line, exit 2', () => {
  it('sweep <dir>, check <dir>, audit --file <dir>, --baseline <dir>, claims results: <dir>, run --onnx <dir>', async () => {
    const dir = tempDir('docs-dirs');
    const sub = join(dir, 'a-folder');
    mkdirSync(sub);
    writeFileSync(join(dir, 'good.json'), `${JSON.stringify(handDoc(ANN))}\n`);
    const claim = { id: 'c', quantity: { energy: 'snn-if-T4', profile: 'ops-only-45nm' }, condition: { '>': 0 } };
    writeFileSync(join(dir, 'c-results.yaml'), YAML.stringify({ version: 1, results: 'a-folder', claims: [claim] }));
    writeFileSync(join(dir, 'c-good.yaml'), YAML.stringify({ version: 1, results: 'good.json', claims: [claim] }));
    const cases: [string[], RegExp][] = [
      [['sweep', sub, '-o', join(dir, 'out')], /sweep file .*a-folder: is a directory, not a file; name a sweep file \(YAML\) itself/],
      [['check', sub], /claims file .*a-folder: is a directory, not a file; name a claims file \(YAML\) itself/],
      [['audit', '--file', sub], /--file .*a-folder: is a directory, not a file; name a literature file \(YAML\) itself/],
      [['check', join(dir, 'c-good.yaml'), '--baseline', sub], /--baseline .*a-folder: is a directory, not a file; name a results\.json itself/],
      [['check', join(dir, 'c-results.yaml')], /c-results\.yaml: field results: .*a-folder: is a directory, not a file/],
      [['run', '--onnx', sub, '-o', join(dir, 'run')], /ONNX model .*a-folder: is a directory, not a file; name the \.onnx file itself/],
    ];
    const before = listTree(dir);
    for (const [args, msg] of cases) expectOneLine(await runCli(args), msg);
    expect(listTree(dir)).toEqual(before);
  });
});

describe('output paths are checked before any work', () => {
  it('check --junit/--markdown and $GITHUB_STEP_SUMMARY: a folder, a missing folder or an unwritable one is refused first (even before the claims file is read)', async () => {
    const dir = tempDir('docs-out');
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'a-file'), 'x');
    // the claims file is broken too: the output path must be what is reported, so no work came first
    writeFileSync(join(dir, 'claims.yaml'), 'version: 1\nclaims: [');
    const cases: [string[], RegExp][] = [
      [['--junit', join(dir, 'taken')], /--junit .*taken: is a directory; give a file name/],
      [['--markdown', join(dir, 'no', 'such', 'm.md')], /--markdown .*m\.md: directory .*such does not exist; create it or choose another path/],
      [['--junit', join(dir, 'a-file', 'j.xml')], /--junit .*j\.xml: .*a-file (does not exist|is not a directory)/],
    ];
    const ro = join(dir, 'read-only');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    const root = process.getuid?.() === 0;
    if (!root) cases.push([['--junit', join(ro, 'j.xml')], /--junit .*j\.xml: cannot write in .*read-only \(EACCES\); choose a writable location/]);
    const before = listTree(dir);
    for (const [opts, msg] of cases) expectOneLine(await runCli(['check', join(dir, 'claims.yaml'), ...opts]), msg);
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'taken');
    try {
      expectOneLine(await runCli(['check', join(dir, 'claims.yaml')]), /GITHUB_STEP_SUMMARY .*taken: is a directory/);
    } finally {
      delete process.env.GITHUB_STEP_SUMMARY;
    }
    expect(listTree(dir)).toEqual(before);
    chmodSync(ro, 0o755);
  });

  it('audit --html/--markdown: a folder, a missing folder or a path under a file is refused before the audit', async () => {
    const dir = tempDir('docs-audit-out');
    writeFileSync(join(dir, 'a-file'), 'x');
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'lit.yaml'), 'not: [valid');
    const cases: [string[], RegExp][] = [
      [['--html', join(dir, 'taken')], /--html .*taken: is a directory; give a file name/],
      [['--markdown', join(dir, 'a-file', 'a.md')], /--markdown .*a\.md: .*a-file (does not exist|is not a directory)/],
      [['--html', join(dir, 'missing', 'a.html')], /--html .*a\.html: directory .*missing does not exist/],
    ];
    const before = listTree(dir);
    for (const [opts, msg] of cases) expectOneLine(await runCli(['audit', '--file', join(dir, 'lit.yaml'), ...opts]), msg);
    expect(listTree(dir)).toEqual(before);
  });
});

describe('sweep folders are verified', () => {
  const SWEEP = `version: 1
name: integrity
workload:
  fixed: { workload: mnist-mlp, samples: 100, calibration-samples: 300, timesteps: 4 }
  grid: { backend: [ann-dense, snn] }
hardware:
  grid: { profile: [ops-only-45nm, lemaire-2022] }
`;
  let dir: string;
  let spec: string;
  let fresh: string;
  beforeAll(async () => {
    dir = tempDir('docs-sweep');
    spec = join(dir, 'sweep.yaml');
    writeFileSync(spec, SWEEP);
    fresh = join(dir, 'fresh');
    const r = await runCli(['sweep', spec, '-o', fresh, '-q']);
    expect(r.code, r.stderr).toBe(0);
    for (const s of ['1/2', '2/2']) expect((await runCli(['sweep', spec, '--shard', s, '-o', join(dir, `s${s[0]}`), '-q'])).code).toBe(0);
  });
  const copy = (from: string, to: string): string => {
    mkdirSync(join(to, 'chunks'), { recursive: true });
    for (const f of listTree(from)) if (!f.endsWith('chunks')) writeFileSync(join(to, f), readFileSync(join(from, f)));
    return to;
  };

  it('every chunk carries a content hash; a forged row (NaN or negative energy, wrong key) fails even with a matching hash', () => {
    const text = readFileSync(join(fresh, 'chunks', '000001.csv'), 'utf8');
    expect(text).toMatch(/^# joulebench-chunk v1 sha256=[0-9a-f]{64}\n/);
    const sweep = parseSweep(SWEEP, 'sweep.yaml');
    const layout = sweepLayout(sweep);
    expect(checkChunk(text, sweep, layout, 1)).toHaveProperty('body');
    expect(checkChunk(text, sweep, layout, 0)).toEqual({ problem: expect.stringMatching(/does not match its content hash/) });
    expect(checkChunk(text.replace(/,ok,[0-9.e-]+,/, ',ok,0.5,'), sweep, layout, 1)).toEqual({ problem: expect.stringMatching(/does not match its content hash/) });
  });

  it('resume recomputes a corrupt chunk, saying so in one line; rows equal an undamaged run', async () => {
    const d = copy(fresh, join(dir, 'resume'));
    rmSync(join(d, 'rows.csv'));
    writeFileSync(join(d, 'chunks', '000000.csv'), 'configuration,energy_j\nann-dense,NaN\n');
    const r = await runCli(['sweep', spec, '-o', d]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.err.filter((l) => l.includes('000000.csv'))).toEqual([expect.stringMatching(/chunks\/000000\.csv: has no content-hash line .*; recomputing it$/)]);
    expect(r.stdout).toContain('1 already done');
    expect(readFileSync(join(d, 'rows.csv'), 'utf8')).toBe(readFileSync(join(fresh, 'rows.csv'), 'utf8'));
    expect(readFileSync(join(d, 'rows.csv'), 'utf8')).not.toMatch(HOSTILE);
  });

  it('a corrupt sweep.json stops resume, merge and report with one line naming it', async () => {
    const d = copy(fresh, join(dir, 'bad-meta'));
    writeFileSync(join(d, 'sweep.json'), readFileSync(join(d, 'sweep.json'), 'utf8').replace('"executions": 2', '"executions": "two"'));
    expectOneLine(await runCli(['sweep', spec, '-o', d]), /bad-meta\/sweep\.json: executions: .*pass --force to replace the folder/);
    expectOneLine(await runCli(['report', d, '--no-images']), /bad-meta\/sweep\.json: executions: .*expected number/);
    writeFileSync(join(d, 'sweep.json'), '{"schema": "joulebench/sweep", "version": 1, "hash": ');
    expectOneLine(await runCli(['merge', d, '-o', join(dir, 'm-meta')]), /bad-meta\/sweep\.json: line 1, column \d+: not valid JSON/);
    expect(existsSync(join(dir, 'm-meta'))).toBe(false);
  });

  it('merge and report refuse a corrupt chunk or rows.csv naming the file; merge writes nothing', async () => {
    const s2 = copy(join(dir, 's2'), join(dir, 's2-bad'));
    const chunk = join(s2, 'chunks', '000001.csv');
    writeFileSync(chunk, readFileSync(chunk, 'utf8').replace(/,ok,([0-9.e-]+),/, ',ok,-$1,'));
    const m = await runCli(['merge', join(dir, 's1'), s2, '-o', join(dir, 'm-chunk')]);
    expectOneLine(m, /s2-bad\/chunks\/000001\.csv: chunk: does not match its content hash .*; rerun the `joulebench sweep` command/);
    expect(existsSync(join(dir, 'm-chunk'))).toBe(false);
    const r = copy(fresh, join(dir, 'bad-chunk'));
    writeFileSync(join(r, 'chunks', '000000.csv'), '');
    expectOneLine(await runCli(['report', r, '--no-images']), /bad-chunk\/chunks\/000000\.csv: chunk: is empty/);
    const rows = copy(fresh, join(dir, 'bad-rows'));
    rmSync(join(rows, 'report.html'));
    writeFileSync(join(rows, 'rows.csv'), readFileSync(join(rows, 'rows.csv'), 'utf8').replace(/,ok,[0-9.e-]+,/, ',ok,NaN,'));
    expectOneLine(await runCli(['report', rows, '--no-images']), /bad-rows\/rows\.csv: content: is not the rows of this folder's chunks .*; rerun the `joulebench sweep` \(or `merge`\)/);
    expect(existsSync(join(rows, 'report.html'))).toBe(false);
  });

  it('merge of a folder without chunks/ writes nothing; the good shards still merge to the unsharded rows', async () => {
    const s1 = copy(join(dir, 's1'), join(dir, 's1-nochunks'));
    rmSync(join(s1, 'chunks'), { recursive: true });
    expectOneLine(await runCli(['merge', s1, join(dir, 's2'), '-o', join(dir, 'm-none')]), /s1-nochunks: merge: has no chunks\/ folder/);
    expect(existsSync(join(dir, 'm-none'))).toBe(false);
    const ok = await runCli(['merge', join(dir, 's1'), join(dir, 's2'), '-o', join(dir, 'merged')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(dir, 'merged', 'rows.csv'), 'utf8')).toBe(readFileSync(join(fresh, 'rows.csv'), 'utf8'));
  });
});

describe('limits', () => {
  it('a 10⁹-point grid is refused before it is expanded, saying how to split it', async () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    const text = YAML.stringify({ version: 1, name: 'huge', workload: { fixed: { workload: 'mnist-mlp', backend: 'snn' }, grid: { timesteps: values, seed: values, samples: values } }, hardware: { fixed: { profile: 'ops-only-45nm' } } });
    const t0 = performance.now();
    expect(() => parseSweep(text, 'huge.yaml')).toThrow(new RegExp(`huge\\.yaml: workload: expands to 1\\.00e\\+9 executions; a sweep file may have at most ${MAX_SWEEP_EXECUTIONS}; split it into several sweep files \\(e\\.g\\. one per value of workload\\.timesteps, which has 1000\\)`));
    expect(performance.now() - t0).toBeLessThan(2000);
    const dir = tempDir('docs-limits');
    writeFileSync(join(dir, 'huge.yaml'), text);
    expectOneLine(await runCli(['sweep', join(dir, 'huge.yaml'), '-o', join(dir, 'out')]), /expands to 1\.00e\+9 executions.*--shard/);
  });

  it('sweep keys get exactly the checks of `run` options (timesteps: 1e9, seed: -1)', async () => {
    const dir = tempDir('docs-keys');
    const sweep = (fixed: string) => `version: 1\nname: keys\nworkload:\n  fixed: { workload: mnist-mlp, backend: snn, ${fixed} }\nhardware:\n  fixed: { profile: ops-only-45nm }\n`;
    writeFileSync(join(dir, 't.yaml'), sweep('timesteps: 1e9'));
    expectOneLine(await runCli(['sweep', join(dir, 't.yaml'), '-o', join(dir, 'o')]), /workload point 1 .*: timesteps 1000000000 is above the supported maximum of 4096; give at most 4096 timesteps$/);
    expectOneLine(await runCli(['run', '-T', '1000000000', '-o', join(dir, 'r')]), /--timesteps 1000000000 is above the supported maximum of 4096; give at most 4096 timesteps$/);
    writeFileSync(join(dir, 's.yaml'), sweep('timesteps: 4, seed: -1'));
    expectOneLine(await runCli(['sweep', join(dir, 's.yaml'), '-o', join(dir, 'o')]), /: seed must be an integer in \[0, 4294967295\], got -1/);
    expectOneLine(await runCli(['run', '--seed', '-1', '-o', join(dir, 'r')]), /--seed must be an integer in \[0, 4294967295\], got -1/);
    expect(listTree(dir)).toEqual(['s.yaml', 't.yaml']);
  });

  it('--jobs beyond the CPUs (or the memory) is refused with the most this machine runs', async () => {
    const dir = tempDir('docs-jobs');
    writeFileSync(join(dir, 's.yaml'), 'version: 1\nname: j\nworkload:\n  fixed: { workload: mnist-mlp, backend: ann-dense }\nhardware:\n  fixed: { profile: ops-only-45nm }\n');
    const r = await runCli(['sweep', join(dir, 's.yaml'), '-o', join(dir, 'o'), '--jobs', String(availableParallelism() + 1)]);
    expectOneLine(r, new RegExp(`--jobs ${availableParallelism() + 1} is more than this machine can run: at most \\d+ \\(${availableParallelism()} CPUs; \\d+ workers of 512 MiB each in .* GiB of memory.*\\); use --jobs \\d+ or fewer`));
    expect(listTree(dir)).toEqual(['s.yaml']);
  });
});

describe('ONNX weights', () => {
  it.each([
    ['NaN', Number.NaN, /holds NaN at index 5/],
    ['Infinity', Number.POSITIVE_INFINITY, /holds Infinity at index 5/],
    ['-3.4e38', -3.4e38, /holds -3\.40e\+38 \(beyond ±1000000\) at index 5/],
  ])('a weight of %s is refused naming the initializer and node', async (_, value, msg) => {
    const fc = dense('fc', 784, 10, Array.from({ length: 784 }, () => Array.from({ length: 10 }, () => 0.01)), Array(10).fill(0), 'identity');
    fc.weight[5] = value;
    const bytes = exportOnnx({ id: 'bad', inputShape: [784], layers: [fc] });
    expect(() => importOnnx(bytes, 'bad.onnx')).toThrow(new RegExp(`^bad\\.onnx: initializer "[^"]+" \\(weight B of node 0 "fc" \\(Gemm\\)\\) ${msg.source}; weights must be finite numbers of magnitude ≤ 1000000`));
    const dir = tempDir('docs-onnx');
    writeFileSync(join(dir, 'bad.onnx'), bytes);
    expectOneLine(await runCli(['run', '--onnx', join(dir, 'bad.onnx'), '-b', 'ann-dense', '-o', join(dir, 'out')]), msg);
    expect(readdirSync(dir)).toEqual(['bad.onnx']);
  });
});

describe('JUnit and Markdown escape what they quote', () => {
  const row = { claim: 'c', description: 'bell\u0007 esc\u001b[31m nul\u0000 ffff\uffff lone\ud800 ok\ud83d\ude00 tab\t', profile: 'p', expected: '< 1', measured: 2, verdict: 'fail' as const, margin: -1 };
  it('JUnit XML holds no character XML 1.0 forbids; a pair of surrogates (an emoji) survives', () => {
    const x = junitXml('joulebench', [row], []);
    // eslint-disable-next-line no-control-regex
    expect(x).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(x).toContain('bell\\u0007 esc\\u001b[31m nul\\u0000 ffff\\uffff lone\\ud800 ok\ud83d\ude00 tab&#9;');
  });
  it('the Markdown summary (and $GITHUB_STEP_SUMMARY) escapes a claims file name and cells as text, not HTML', async () => {
    const md = markdownSummary('joulebench check <img src=x onerror=alert(1)>.yaml', [{ ...row, profile: '<b>p</b>' }], null);
    expect(md).not.toMatch(/<img|<b>/);
    expect(md).toContain('### joulebench check &lt;img src=x onerror=alert(1)&gt;.yaml');
    expect(md).toContain('| c | &lt;b&gt;p&lt;/b&gt; | &lt; 1 |');
    const dir = tempDir('docs-md');
    writeFileSync(join(dir, 'good.json'), `${JSON.stringify(handDoc(ANN))}\n`);
    const name = join(dir, '<img src=x onerror=alert(1)>.yaml');
    writeFileSync(name, YAML.stringify({ version: 1, results: 'good.json', claims: [{ id: 'c', description: 'x\u0001y', quantity: { energy: 'snn-if-T4', profile: 'ops-only-45nm' }, condition: { '>': 0 } }] }));
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary.md');
    try {
      const r = await runCli(['check', name, '--junit', join(dir, 'j.xml'), '--markdown', join(dir, 'm.md'), '-q']);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      delete process.env.GITHUB_STEP_SUMMARY;
    }
    for (const f of ['m.md', 'summary.md']) {
      expect(readFileSync(join(dir, f), 'utf8')).toContain('&lt;img src=x onerror=alert(1)&gt;.yaml');
      expect(readFileSync(join(dir, f), 'utf8')).not.toContain('<img');
    }
  });
});
