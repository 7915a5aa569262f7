// One published JSON Schema (reports/results.schema.json, the committed file) validates what every
// command writes: the results.json of `run`, `seq` and `brain`, and the sweep executions that sweep rows
// are priced from. The validator is Ajv (draft 2020-12), an implementation independent of the zod
// schema the file is generated from; a document joulebench would never write fails it.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseResultsDoc } from '../reports/results-schema.js';
import { isolatedCache, runCli, tempDir } from './cli-helpers.js';

const schema = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'reports', 'results.schema.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ strict: false, allErrors: false }).compile(schema);
const errorsOf = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ');

const read = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

describe('one JSON Schema for every document joulebench writes', () => {
  const cwd = tempDir('documents-schema');
  const cache = isolatedCache('documents-schema-cache');
  const docs = new Map<string, unknown>();
  let executions: unknown[] = [];

  beforeAll(async () => {
    const env = { JOULEBENCH_CACHE: cache };
    const runs: [string, string[]][] = [
      ['run', ['run', '-n', '40', '-T', '4', '-c', 'ops-only-45nm', 'ann-ideal-reuse-45nm', '--mc-samples', '20', '-q', '-o', 'run']],
      ['seq', ['seq', '-f', 'softmax', 'spikformer', '--text-steps', '2', '--recall-steps', '2', '--batch', '2', '--context', '16', '--d', '8', '--heads', '1', '--layers', '1', '--mlp-width', '8', '--eval-windows', '2', '--recall-sequences', '2', '--recall-lengths', '16', '--recall-train-lengths', '16', '-L', '16', '32', '-c', 'ops-only-45nm', 'eyeriss-rs-65nm', 'lemaire-2022', '-q', '-o', 'seq']],
      ['brain', ['brain', 'som', '--grid', '3x3', '--train', '50', '--test', '20', '-c', 'ops-only-45nm', 'loihi', '-q', '-o', 'brain']],
    ];
    for (const [name, argv] of runs) {
      const r = await runCli(argv, cwd, env);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      docs.set(name, read(join(cwd, name, 'results.json')));
    }
    writeFileSync(
      join(cwd, 's.yaml'),
      'version: 1\nname: docs\nworkload:\n  zip:\n    workload: [mnist-mlp, brain-hopfield]\n    backend: [snn, null]\n    timesteps: [4, null]\n    patterns: [null, 3]\n    samples: [20, 5]\nhardware:\n  grid: { profile: [ops-only-45nm] }\n',
    );
    const s = await runCli(['sweep', 's.yaml', '-o', 'sweep', '-q'], cwd, env);
    expect(s.code, s.stderr).toBe(0);
    const dir = join(cache, 'executions');
    executions = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => (read(join(dir, f)) as { payload: unknown }).payload);
  }, 600_000);

  it('seq and brain folders carry the exports: energy per token or per sample, and the quality metrics (Bencher Metric Format)', () => {
    const bmf = read(join(cwd, 'seq', 'bmf.json')) as Record<string, Record<string, { value: number }>>;
    const seq = docs.get('seq') as { configurations: { id: string; quality: Record<string, number>; energy: { profile: string; totalJ: number }[] }[] };
    for (const c of seq.configurations) {
      expect(bmf[`sequence/${c.id}`].bits_per_char.value).toBe(c.quality.bits_per_char);
      for (const e of c.energy) expect(bmf[`sequence/${c.id}`][`energy-${e.profile}`].value).toBe(e.totalJ);
    }
    const gab = read(join(cwd, 'brain', 'benchmark.json')) as { name: string; unit: string }[];
    expect(gab[0]).toMatchObject({ name: 'brain-som/som-3x3-learning/ops-only-45nm', unit: 'J/sample' });
  });

  it.each(['run', 'seq', 'brain'])('validates the results.json of %s', (name) => {
    const doc = docs.get(name) as { kind: string };
    expect(validate(doc), errorsOf()).toBe(true);
    expect(doc.kind).toBe(name === 'run' ? 'image' : name === 'seq' ? 'sequence' : 'brain');
    // and the zod schema it is generated from reads it back
    expect(() => parseResultsDoc(doc)).not.toThrow();
  });

  it('validates the sweep executions that the rows were priced from (an image configuration and a brain phase)', () => {
    expect(executions.map((e) => (e as { id: string }).id).sort()).toEqual(['hopfield-recall', 'snn-if-T4']);
    for (const e of executions) expect(validate(e), errorsOf()).toBe(true);
  });

  it('refuses documents joulebench would never write', () => {
    const run = structuredClone(docs.get('run')) as { configurations: { energy: { totalJ: number }[]; ledger: { layers: { activity: { inputSparsity: { mean: number } } }[] } }[] };
    run.configurations[0].energy[0].totalJ = -1e-9;
    expect(validate(run)).toBe(false);
    const seq = structuredClone(docs.get('seq')) as { kind: string };
    seq.kind = 'video';
    expect(validate(seq)).toBe(false);
    const brain = structuredClone(docs.get('brain')) as { configurations: { accuracy: number | null }[] };
    brain.configurations[0].accuracy = 1.5;
    expect(validate(brain)).toBe(false);
    const execution = structuredClone(executions[0]) as { ledger: { samples: number } };
    execution.ledger.samples = 0;
    expect(validate(execution)).toBe(false);
    // a negative sparsity (what the LUT network's ledger held before its rates were declared)
    const sparse = structuredClone(docs.get('run')) as typeof run;
    sparse.configurations[0].ledger.layers[0].activity.inputSparsity.mean = -1;
    expect(validate(sparse)).toBe(false);
  });

  it('says what JSON Schema cannot: a brain phase naming a configuration the document lacks is refused when read', () => {
    const brain = structuredClone(docs.get('brain')) as { brain: { phases: { configuration: string }[] } };
    brain.brain.phases[0].configuration = 'som-9x9-learning';
    expect(validate(brain)).toBe(true); // cross-references are beyond JSON Schema
    expect(() => parseResultsDoc(brain, 'b.json')).toThrow(/b\.json: brain\.phases\[0\]\.configuration.*names configuration "som-9x9-learning", which the document does not hold/);
  });

  it('joulebench check gates claims on a seq and a brain results.json: energies, ratios, quality metrics; an accuracy a phase does not have is one line', async () => {
    const seq = docs.get('seq') as { sequence: { families: { text: { bitsPerChar: number } }[] } };
    writeFileSync(
      join(cwd, 'seq-claims.yaml'),
      `version: 1\nresults: seq/results.json\nclaims:\n` +
        `  - { id: bpc, quantity: { metric: bits_per_char, config: softmax-L16 }, condition: { within: { value: ${seq.sequence.families[0].text.bitsPerChar}, rel: 1.0e-12 } } }\n` +
        `  - { id: kv-grows, quantity: { ratio: [{ energy: softmax-L32 }, { energy: softmax-L16 }] }, profiles: [eyeriss-rs-65nm], condition: { '>': 1 } }\n`,
    );
    const ok = await runCli(['check', 'seq-claims.yaml'], cwd);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/bpc\s.*PASS/);
    expect(ok.stdout).toMatch(/kv-grows\s.*PASS/);
    writeFileSync(join(cwd, 'seq-refused.yaml'), "version: 1\nresults: seq/results.json\nclaims:\n  - { id: refused, quantity: { energy: softmax-L16, profile: lemaire-2022 }, condition: { '>': 0 } }\n");
    const refused = await runCli(['check', 'seq-refused.yaml'], cwd);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/profile "lemaire-2022" refused to price softmax-L16: /);
    writeFileSync(join(cwd, 'brain-claims.yaml'), 'version: 1\nresults: brain/results.json\nclaims:\n  - { id: acc, quantity: { accuracy: som-3x3-inference }, condition: { ">": 0 } }\n');
    const bad = await runCli(['check', 'brain-claims.yaml'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.err).toHaveLength(1);
    expect(bad.stderr).toMatch(/som-3x3-inference has no accuracy \(a brain run\); use `metric: <name>, config: som-3x3-inference` with one of its quality metrics: quantisation_error, accuracy/);
  });

  it('a hand-edited model record that a view would read is refused by report in one line naming the field (never an internal error)', async () => {
    const cases: [string, (d: Record<string, any>) => void, RegExp][] = [
      ['brain', (d) => void (d.brain.quality.trained.quantisationError = 'low'), /brain\.quality\.trained\.quantisationError: must be a finite number/],
      ['brain', (d) => void delete d.brain.options.grid, /brain\.options\.grid: /],
      ['brain', (d) => void (d.brain.model = 'boltzmann'), /brain\.model: /],
      ['seq', (d) => void (d.sequence.options.tasks = ['translation']), /sequence\.options\.tasks\[0\]: /],
    ];
    for (const [i, [name, edit, message]] of cases.entries()) {
      const doc = structuredClone(docs.get(name)) as Record<string, any>;
      edit(doc);
      const dir = join(cwd, `edited-${i}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'results.json'), JSON.stringify(doc));
      const r = await runCli(['report', dir, '--no-images'], cwd);
      expect(r.code, r.stderr).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error/);
    }
  });
});
