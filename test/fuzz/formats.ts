// In-process fuzzers of the parsers and validators, one campaign per input format. Each case writes
// the malformed document where the real loader reads it, calls the loader, and — when the document
// is accepted — drives it through the code that consumes it (pricing, claims evaluation, reports,
// sweep planning), so a value that slips past validation shows up as a crash or a bad number.
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { stringify as csvStringify } from 'csv-stringify/sync';
import * as resultsSchema from '../../reports/results-schema.js';
import { renderReport } from '../../reports/html.js';
import { energyCsv } from '../../reports/csv.js';
import { compareToBaseline } from '../../claims/baseline.js';
import { evaluateClaims } from '../../claims/evaluate.js';
import { parseClaimsFile, runArgsFromSpec } from '../../cli/check.js';
import { validateRunArgs } from '../../cli/run.js';
import { parseSweep } from '../../sweeps/spec.js';
import { planSweep } from '../../sweeps/run.js';
import { readProfileFile } from '../../cost-models/profile.js';
import type { HardwareProfile } from '../../cost-models/profile.js';
import { COST_MODELS, costModelFor } from '../../cost-models/registry.js';
import { parseConstantTable } from '../../cost-models/constants.js';
import { energyTableYaml } from '../../cost-models/energy-table.js';
import { bindHardwareFiles } from '../../cost-models/hardware.js';
import { importOnnx } from '../../workloads/onnx/import.js';
import { decodeModel, encodeModel } from '../../harness/onnx/proto.js';
import { auditLiterature, } from '../../claims/audit.js';
import { parseLiteratureFile } from '../../claims/literature.js';
import { auditMeasured } from '../../claims/measured.js';
import { parseMeasuredFile } from '../../claims/measured-file.js';
import { InputError } from '../../core/errors.js';
import { readCachedModel } from '../../workloads/model-cache.js';
import type { ResultsDoc } from '../../reports/results.js';
import type { CampaignOptions, Failure, Outcome } from './harness.js';
import { LARGE, REPO, badNumbersInCsv, badNumbersInDoc, classifyThrow, guard, runs } from './harness.js';
import type { DocSeed, Json, Mutant } from './mutate.js';
import { applyByteOps, applyTreeOps, byteOp, expandDeep, jsonText, mutatedText, treeOp, yamlText } from './mutate.js';
import type { Seeds } from './seeds.js';

const HANG_MS = 5000;
let counter = 0;

function caseDir(s: Seeds): string {
  const d = join(s.root, 'cases', String(++counter));
  mkdirSync(d, { recursive: true });
  return d;
}

const showMutant = (m: Mutant): string => `${m.how}\n--- file ---\n${m.text.slice(0, 800)}`;

/** A consumer of an accepted document may refuse it (InputError) but never crash. */
function consume(what: string, fn: () => unknown): Failure[] {
  try {
    fn();
    return [];
  } catch (e) {
    const o = classifyThrow(e);
    return o.failures.map((f) => ({ ...f, detail: `accepted, then ${what}: ${f.detail}` }));
  }
}

function numbersOf(what: string, doc: unknown): Failure[] {
  const bad = badNumbersInDoc(doc);
  return bad.length === 0 ? [] : [{ kind: 'non-finite/negative number', detail: `${what}: ${bad.join('; ')}` }];
}

/** Loads a results.json the way `report` and `check --baseline` do. */
function loadResults(path: string, text: string): ResultsDoc {
  const m = resultsSchema as unknown as Record<string, unknown>;
  if (typeof m.readResultsFile === 'function') return (m.readResultsFile as (r: unknown) => ResultsDoc)({ path, field: '--baseline', what: 'a results.json' });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return resultsSchema.parseResultsDoc(json, path);
}

function priceAll(profile: HardwareProfile, ledgers: readonly ResultsDoc['configurations'][number]['ledger'][]): Failure[] {
  const failures: Failure[] = [];
  for (const ledger of ledgers) {
    failures.push(
      ...consume(`pricing ${ledger.backend.id} under it`, () => {
        const priced = costModelFor(profile).price(ledger, profile);
        failures.push(...numbersOf(`energy of ${ledger.backend.id} priced under the accepted profile`, priced));
      }),
    );
  }
  return failures;
}

export function resultsFormat(s: Seeds): CampaignOptions<Mutant> {
  const good = s.results as unknown as ResultsDoc;
  const claims = parseClaimsFile(yamlText(s.claims[0].doc), 'fixture-claims.yaml').claims;
  return {
    format: 'results.json',
    numRuns: runs(250, 2500),
    shrinkMs: LARGE ? 30_000 : 3000,
    arbitrary: mutatedText([{ name: 'seed-run results.json', doc: s.results }, ...s.otherResults], jsonText),
    show: showMutant,
    check: async (m) => {
      const path = join(caseDir(s), 'results.json');
      writeFileSync(path, m.text);
      return guard(
        () => loadResults(path, m.text),
        HANG_MS,
        (doc) => {
          const d = doc as ResultsDoc;
          const csvBad: Failure[] = [];
          return [
            ...numbersOf('accepted results.json holds', d),
            ...consume('check --baseline (compare)', () => compareToBaseline(good, d, 0)),
            ...consume('check --baseline (compare, reversed)', () => compareToBaseline(d, good, 0.1)),
            ...consume('claims evaluation', () => evaluateClaims(claims, d)),
            ...consume('energy.csv', () => {
              const bad = badNumbersInCsv(energyCsv(d));
              if (bad.length) csvBad.push({ kind: 'non-finite/negative number', detail: `energy.csv of an accepted results.json: ${bad.join('; ')}` });
            }),
            ...consume('report rendering', () => renderReport(d)),
            ...csvBad,
          ];
        },
      );
    },
  };
}

export function claimsFormat(s: Seeds): CampaignOptions<Mutant> {
  const doc = s.results as unknown as ResultsDoc;
  return {
    format: 'claims.yaml',
    numRuns: runs(300, 2000),
    shrinkMs: LARGE ? 30_000 : 3000,
    arbitrary: mutatedText(s.claims, yamlText),
    show: showMutant,
    check: async (m) =>
      guard(
        () => parseClaimsFile(m.text, 'claims.yaml'),
        HANG_MS,
        (file) => {
          const f = file as ReturnType<typeof parseClaimsFile>;
          const failures: Failure[] = [];
          failures.push(
            ...consume('claims evaluation against the seed results', () => {
              for (const r of evaluateClaims(f.claims, doc)) {
                const measured = (r as unknown as { measured?: unknown }).measured;
                if (typeof measured === 'number' && !Number.isFinite(measured)) failures.push({ kind: 'non-finite/negative number', detail: `accepted claims file: claim ${r.claim} measured ${measured}` });
              }
            }),
          );
          if (f.run) failures.push(...consume('validating its run: section as `joulebench run` arguments', () => validateRunArgs(runArgsFromSpec(f.run!))));
          return failures;
        },
      ),
  };
}

export function sweepFormat(s: Seeds): CampaignOptions<Mutant> {
  return {
    format: 'sweep.yaml',
    numRuns: runs(300, 2000),
    shrinkMs: LARGE ? 30_000 : 3000,
    arbitrary: mutatedText(s.sweeps, yamlText),
    show: showMutant,
    check: async (m) =>
      guard(
        () => parseSweep(m.text, 'sweep.yaml'),
        HANG_MS,
        (sweep) => {
          const sw = sweep as ReturnType<typeof parseSweep>;
          if (sw.executions.length * sw.hardware.length > 1e6) return [];
          return consume('planning the sweep (every point interpreted)', () => planSweep(sw));
        },
      ),
  };
}

export function profileFormat(s: Seeds): CampaignOptions<Mutant> {
  const ledgers = (s.results as unknown as ResultsDoc).configurations.map((c) => c.ledger);
  return {
    format: 'profile.yaml',
    numRuns: runs(300, 2000),
    shrinkMs: LARGE ? 30_000 : 3000,
    arbitrary: mutatedText(s.profiles, yamlText),
    show: showMutant,
    check: async (m) => {
      const path = join(caseDir(s), 'profile.yaml');
      writeFileSync(path, m.text);
      return guard(
        () => readProfileFile(path, (model) => COST_MODELS.get(model)),
        HANG_MS,
        (p) => [...numbersOf('accepted profile binds constants', (p as HardwareProfile).constants), ...priceAll(p as HardwareProfile, ledgers)],
      );
    },
  };
}

/** A constant table, parsed alone and then bound by a profile (tables:) and priced. */
export function tableFormat(s: Seeds): CampaignOptions<Mutant> {
  const ledgers = (s.results as unknown as ResultsDoc).configurations.map((c) => c.ledger);
  return {
    format: 'constant table (tech/*.yaml)',
    numRuns: runs(300, 2000),
    shrinkMs: LARGE ? 30_000 : 3000,
    arbitrary: mutatedText(s.tables, yamlText),
    show: showMutant,
    check: async (m) => {
      const dir = caseDir(s);
      writeFileSync(join(dir, 'mine.yaml'), m.text);
      return guard(
        () => parseConstantTable(m.text, 'mine.yaml'),
        HANG_MS,
        (t) => {
          const table = t as ReturnType<typeof parseConstantTable>;
          const failures: Failure[] = [];
          for (const c of table.constants.values()) {
            if (!Number.isFinite(c.valueSI) || !Number.isFinite(c.lowSI) || !Number.isFinite(c.highSI)) failures.push({ kind: 'non-finite/negative number', detail: `accepted constant ${c.id}: value ${c.valueSI}, range [${c.lowSI}, ${c.highSI}] ${c.unit}` });
            else if (c.siUnit === 'J' && (c.valueSI < 0 || c.lowSI < 0)) failures.push({ kind: 'non-finite/negative number', detail: `accepted negative energy constant ${c.id} = ${c.value} ${c.unit} (range [${c.low}, ${c.high}])` });
          }
          // bind its first two energy constants as an ops-only profile's MAC and AC, and price
          const energies = [...table.constants.values()].filter((c) => c.siUnit === 'J' && c.kind === 'per-op');
          if (energies.length > 0 && failures.length === 0) {
            const profile = `id: mine\nmodel: ops-only\ntitle: t\ndescription: d\ntables: [mine.yaml]\nconstants:\n  mac: ${energies[0].id}\n  ac: ${energies[energies.length > 1 ? 1 : 0].id}\n`;
            writeFileSync(join(dir, 'p.yaml'), profile);
            failures.push(
              ...consume('a profile binding it', () => {
                const p = readProfileFile(join(dir, 'p.yaml'), (model) => COST_MODELS.get(model));
                failures.push(...priceAll(p, ledgers));
              }),
            );
          }
          return failures;
        },
      );
    },
  };
}

/** Accelergy-style energy tables: cell-level mutation of a valid CSV, then import and bind. */
export function energyTableFormat(s: Seeds): CampaignOptions<Mutant> {
  const ledgers = (s.results as unknown as ResultsDoc).configurations.map((c) => c.ledger);
  const cells = fc.record({ tree: fc.array(treeOp, { minLength: 1, maxLength: 4 }), raw: fc.boolean() }).map((r): Mutant => {
    const rows = applyTreeOps(s.csv as unknown as Json, r.tree);
    let text: string;
    if (Array.isArray(rows) && rows.every((x) => Array.isArray(x))) {
      const flat = (rows as Json[][]).map((row) => row.map((c) => (typeof c === 'string' ? c : c === null ? '' : typeof c === 'object' ? JSON.stringify(c) : String(c))));
      text = expandDeep(r.raw ? flat.map((row) => row.join(',')).join('\n') : csvStringify(flat));
    } else text = JSON.stringify(rows) ?? '';
    return { how: `energy table; cells ${JSON.stringify(r.tree)}`, text };
  });
  const arb = fc.oneof({ weight: 3, arbitrary: cells }, { weight: 2, arbitrary: mutatedText([{ name: 'csv', doc: s.csv.map((r) => r.join(',')).join('\n') }], (d) => String(d)) });
  return {
    format: 'energy table (CSV)',
    numRuns: runs(300, 2000),
    shrinkMs: LARGE ? 30_000 : 3000,
    arbitrary: arb,
    show: showMutant,
    check: async (m) => {
      const dir = caseDir(s);
      return guard(
        () => {
          const yaml = energyTableYaml(m.text, 'table.csv', { id: 'mine', rangeFraction: 0.2 });
          return { yaml, table: parseConstantTable(yaml, 'table.csv') };
        },
        HANG_MS,
        (v) => {
          const { table } = v as { table: ReturnType<typeof parseConstantTable> };
          const failures: Failure[] = [];
          for (const c of table.constants.values()) {
            if (!Number.isFinite(c.valueSI) || c.valueSI < 0 || !Number.isFinite(c.lowSI) || c.lowSI < 0 || !Number.isFinite(c.highSI)) failures.push({ kind: 'non-finite/negative number', detail: `accepted energy-table constant ${c.id} = ${c.value} ${c.unit}, range [${c.low}, ${c.high}]` });
          }
          const ids = [...table.constants.keys()];
          if (ids.length > 0 && failures.length === 0) {
            writeFileSync(join(dir, 'mine.csv'), m.text);
            writeFileSync(join(dir, 'p.yaml'), `id: mine\nmodel: ops-only\ntitle: t\ndescription: d\ntables: [mine.csv]\nconstants:\n  mac: ${ids[0]}\n  ac: ${ids[ids.length - 1]}\n`);
            failures.push(
              ...consume('a profile binding it (tables: [mine.csv])', () => {
                const p = readProfileFile(join(dir, 'p.yaml'), (model) => COST_MODELS.get(model));
                failures.push(...priceAll(p, ledgers));
              }),
            );
          }
          return failures;
        },
      );
    },
  };
}

/**
 * Accelergy/Timeloop hardware descriptions (the ERT and architecture of cost-models/examples/
 * accelergy-22nm): the mutated file is listed first in a profile's `hardware:` beside the two
 * originals, bound onto a built-in profile it extends, and priced.
 */
export function hardwareFormat(s: Seeds): CampaignOptions<Mutant> {
  const ledgers = (s.results as unknown as ResultsDoc).configurations.map((c) => c.ledger);
  const examples = join(REPO, 'cost-models', 'examples', 'accelergy-22nm');
  const seeds = ['ERT.yaml', 'architecture.yaml'].map((f) => ({ name: f, doc: YAML.parse(readFileSync(join(examples, f), 'utf8')) as Json }));
  return {
    format: 'hardware description (Accelergy/Timeloop YAML)',
    numRuns: runs(300, 2000),
    shrinkMs: LARGE ? 30_000 : 3000,
    arbitrary: mutatedText(seeds, yamlText),
    show: showMutant,
    check: async (m) => {
      const dir = caseDir(s);
      writeFileSync(join(dir, 'h.yaml'), m.text);
      for (const f of ['ERT.yaml', 'architecture.yaml']) copyFileSync(join(examples, f), join(dir, f));
      writeFileSync(join(dir, 'p.yaml'), 'extends: neuromorphic-core-45nm\nhardware: [h.yaml, ERT.yaml, architecture.yaml]\n');
      return guard(
        () => readProfileFile(join(dir, 'p.yaml'), (model) => COST_MODELS.get(model), bindHardwareFiles),
        HANG_MS,
        (p) => [...numbersOf('accepted hardware binds constants', (p as HardwareProfile).constants), ...priceAll(p as HardwareProfile, ledgers)],
      );
    },
  };
}

interface OnnxMutant {
  readonly how: string;
  readonly bytes: Uint8Array;
}

/** ONNX bytes: byte-level damage, or a decoded model with tree operations re-encoded (reaches the importer). */
export function onnxFormat(s: Seeds): CampaignOptions<OnnxMutant> {
  const decoded = s.onnx.map((o) => ({ name: o.name, doc: toJson(decodeModel(o.bytes)) }));
  const bytes = fc.record({ seed: fc.nat({ max: s.onnx.length - 1 }), ops: fc.array(byteOp, { minLength: 1, maxLength: 3 }) }).map((r): OnnxMutant => ({ how: `${s.onnx[r.seed].name}; bytes ${JSON.stringify(r.ops)}`, bytes: applyByteOps(s.onnx[r.seed].bytes, r.ops) }));
  const structural = fc
    .record({ seed: fc.nat({ max: decoded.length - 1 }), ops: fc.array(treeOp, { minLength: 1, maxLength: 3 }) })
    .map((r): OnnxMutant | null => {
      try {
        const doc = fromJson(applyTreeOps(decoded[r.seed].doc, r.ops));
        return { how: `${decoded[r.seed].name}; model tree ${JSON.stringify(r.ops)}`, bytes: encodeModel(doc as Record<string, unknown>) };
      } catch {
        return null; // not encodable as a ModelProto: the byte-level arm covers such files
      }
    })
    .filter((x): x is OnnxMutant => x !== null);
  const random = fc.uint8Array({ maxLength: 300 }).map((b): OnnxMutant => ({ how: 'random bytes', bytes: b }));
  return {
    format: 'onnx',
    numRuns: runs(150, 2000),
    shrinkMs: LARGE ? 30_000 : 3000,
    arbitrary: fc.oneof({ weight: 4, arbitrary: bytes }, { weight: 5, arbitrary: structural }, { weight: 1, arbitrary: random }),
    show: (m) => `${m.how}\n--- ${m.bytes.length} bytes (base64) ---\n${Buffer.from(m.bytes).toString('base64').slice(0, 400)}`,
    check: async (m) =>
      guard(
        () => importOnnx(m.bytes, 'model.onnx'),
        HANG_MS,
        (model) => {
          const failures: Failure[] = [];
          for (const l of (model as { layers: Record<string, unknown>[] }).layers) {
            for (const [k, v] of Object.entries(l)) {
              if (v instanceof Float32Array && v.some((x) => !Number.isFinite(x))) failures.push({ kind: 'non-finite/negative number', detail: `accepted model: layer ${String(l.name)}.${k} holds NaN or Infinity` });
            }
          }
          return failures;
        },
      ),
  };
}

/** Decoded protobuf objects hold Uint8Arrays (raw_data): as { $bytes: number[] } for tree mutation. */
function toJson(v: unknown): Json {
  if (v instanceof Uint8Array) return { $bytes: [...v] };
  if (Array.isArray(v)) return v.map(toJson);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v as Json;
}
function fromJson(v: Json): unknown {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v !== null && typeof v === 'object') {
    if ('$bytes' in v && Array.isArray(v.$bytes)) return Uint8Array.from((v.$bytes as number[]).map((x) => Number(x) & 255));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromJson(x)]));
  }
  return v;
}

/**
 * A claims/ audit file (literature.yaml, measured.yaml): mutated text written beside the files it
 * names (`setup`), audited; an accepted file's rows must hold finite, non-negative numbers (`bad`:
 * a row's id and what is wrong, per row).
 */
function auditFileFormat(s: Seeds, format: string, seeds: readonly DocSeed[], setup: (dir: string) => void, audit: (text: string, path: string) => unknown, bad: (report: unknown) => [string, string[]][]): CampaignOptions<Mutant> {
  return {
    format,
    numRuns: runs(50, 1000),
    shrinkMs: LARGE ? 30_000 : 3000,
    arbitrary: mutatedText(seeds, yamlText, 1),
    show: showMutant,
    check: async (m) => {
      const dir = caseDir(s);
      const path = join(dir, format);
      writeFileSync(path, m.text);
      setup(dir);
      return guard(
        () => audit(m.text, path),
        HANG_MS,
        (report) =>
          bad(report)
            .filter(([, b]) => b.length > 0)
            .map(([id, b]): Failure => ({ kind: 'non-finite/negative number', detail: `audit of an accepted file, ${id}: ${b.join('; ')}` }))
            .slice(0, 1),
      );
    },
  };
}

export function literatureFormat(s: Seeds): CampaignOptions<Mutant> {
  return auditFileFormat(
    s,
    'literature.yaml',
    s.literature,
    (dir) => copyFileSync(join(REPO, 'claims', 'literature-constants.yaml'), join(dir, 'literature-constants.yaml')),
    (text, path) => auditLiterature(parseLiteratureFile(text, path), path),
    (report) =>
      (report as { rows: { entry: { id: string }; recomputed: { value: number; lo: number; hi: number } | null; memory: unknown }[] }).rows.map((r) => {
        const bad = badNumbersInDoc({ memory: r.memory });
        if (r.recomputed && ![r.recomputed.value, r.recomputed.lo, r.recomputed.hi].every(Number.isFinite)) bad.push(`recomputed ${JSON.stringify(r.recomputed)}`);
        return [`entry ${r.entry.id}`, bad];
      }),
  );
}

/** claims/measured.yaml: the measured-vs-modelled rows, their activity files beside them. */
export function measuredFormat(s: Seeds): CampaignOptions<Mutant> {
  return auditFileFormat(
    s,
    'measured.yaml',
    s.measured,
    (dir) => cpSync(join(REPO, 'claims', 'measured'), join(dir, 'measured'), { recursive: true }),
    (text, path) => auditMeasured(parseMeasuredFile(text, path), path),
    (report) =>
      (report as { results: { row: { id: string }; measuredJ: number | null; ratio: number | null; modelled: { totalJ: number } | null }[] }).results.map((r) => [
        `row ${r.row.id}`,
        badNumbersInDoc({ measuredJ: r.measuredJ, ratio: r.ratio, modelledJ: r.modelled?.totalJ ?? null }),
      ]),
  );
}

export type { Outcome };

/**
 * The trained-weights cache: a damaged entry (JSON tree, text or a flipped character of the base64
 * weights) must be refused — the weights are retrained — never read as different weights.
 */
export function modelCacheFormat(s: Seeds): CampaignOptions<Mutant> | null {
  const dir = join(s.cache, 'models');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^mnist-mlp-[0-9a-f]+\.json$/.test(f)) : [];
  if (files.length === 0) return null;
  const file = files[0];
  const key = /-([0-9a-f]+)\.json$/.exec(file)![1];
  const text = readFileSync(join(dir, file), 'utf8');
  const read = (cache: string): unknown => {
    const before = process.env.JOULEBENCH_CACHE;
    process.env.JOULEBENCH_CACHE = cache;
    try {
      return (readCachedModel as (id: string, key: string, log: (l: string) => void) => unknown)('mnist-mlp', key, () => {});
    } finally {
      if (before === undefined) delete process.env.JOULEBENCH_CACHE;
      else process.env.JOULEBENCH_CACHE = before;
    }
  };
  const clean = read(s.cache);
  if (clean === null) return null; // an entry of an older format: nothing to compare with
  const cleanJson = weightsJson(clean);
  const charFlips = fc.record({ at: fc.nat(), ch: fc.constantFrom('A', 'B', '/', '+', '0', '9', 'z', '=', '"', '.', '-') }).map((r): Mutant => {
    const i = r.at % text.length;
    return { how: `flip char ${i} (${JSON.stringify(text[i])} → ${JSON.stringify(r.ch)})`, text: text.slice(0, i) + r.ch + text.slice(i + 1) };
  });
  return {
    format: 'model cache (models/*.json)',
    numRuns: runs(60, 600),
    shrinkMs: 5000,
    arbitrary: fc.oneof({ weight: 2, arbitrary: charFlips }, { weight: 2, arbitrary: mutatedText([{ name: file, doc: JSON.parse(text) as Json }], (d) => JSON.stringify(d), 1) }),
    show: (m) => `${m.how}\n--- entry (${m.text.length} chars) ---\n${m.text.slice(0, 300)}`,
    check: async (m) => {
      const cache = caseDir(s);
      mkdirSync(join(cache, 'models'));
      writeFileSync(join(cache, 'models', file), m.text);
      return guard(
        () => read(cache),
        HANG_MS,
        (got) => (got === null || weightsJson(got) === cleanJson ? [] : [{ kind: 'wrong numbers', detail: `a damaged model cache entry was read as different weights (${m.how.slice(0, 120)})` }]),
      );
    },
  };
}

function weightsJson(v: unknown): string {
  const model = ((v as { model?: unknown }).model ?? v) as { layers: Record<string, unknown>[]; inputShape: unknown };
  return JSON.stringify({ inputShape: model.inputShape, layers: model.layers.map((l) => Object.fromEntries(Object.entries(l).map(([k, x]) => [k, x instanceof Float32Array ? Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64') : x]))) });
}
