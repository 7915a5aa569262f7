// `joulebench check <claims.yaml>`: evaluates efficiency claims (and optionally a baseline) and
// reports them as a table, JUnit XML and Markdown. Exit 0 when every claim holds and nothing moved,
// 1 otherwise, 2 on bad input (with nothing written).
import { appendFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compareToBaseline } from '../claims/baseline.js';
import type { Change } from '../claims/baseline.js';
import { evaluateClaims } from '../claims/evaluate.js';
import { CHANGE_HEADERS, CLAIM_HEADERS, changeRows, claimRows, junitXml, markdownSummary } from '../claims/outputs.js';
import type { ClaimsFile, RunSpec } from '../claims/schema.js';
import { claimsFileSchema } from '../claims/schema.js';
import { InputError } from '../core/errors.js';
import { checkWritableFile, readDocumentText } from '../core/documents.js';
import { parseYaml, validated } from '../core/input.js';
import type { BackendId } from '../harness/suite.js';
import type { ResultsDoc } from '../reports/results.js';
import { readResultsFile } from '../reports/results-schema.js';
import { textTable } from '../reports/summary.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from './errors.js';
import { checkOutputDir } from './output-dir.js';
import type { RunArgs } from './run.js';
import { DEFAULT_SUITE, computeRun, executeRun, validateRunArgs } from './run.js';
import { computeNirRun } from './run-nir.js';
import { writeFileAtomic } from '../core/atomic-write.js';

export interface CheckArgs {
  readonly file: string;
  readonly baseline?: string;
  /** Relative tolerance of the baseline comparison (0 = exact). */
  readonly tolerance: number;
  readonly junit?: string;
  readonly markdown?: string;
  /** Also write the run folder of a `run:` claims file here. */
  readonly out?: string;
  readonly force: boolean;
  readonly quiet: boolean;
}

export function parseClaimsFile(text: string, origin: string): ClaimsFile {
  const file = validated(claimsFileSchema, parseYaml(text, origin), origin, 'see claims/README.md for the claims file format');
  const ids = new Set<string>();
  for (const c of file.claims) {
    if (ids.has(c.id)) throw new InputError(`${origin}: claim id "${c.id}" is used twice; ids must be unique`);
    ids.add(c.id);
  }
  return file;
}

/** The `joulebench run` options of a claims file's `run:` (its file paths relative to the claims file, `base`). */
export function runArgsFromSpec(spec: RunSpec, out?: string, force = false, base = '.'): RunArgs {
  const d = DEFAULT_SUITE;
  const path = (p: string | undefined, key: string): Record<string, string> => (p === undefined ? {} : { [key]: resolve(base, p) });
  // a NIR graph decides its neurons and coding: the keys given are refused by name, as run's flags are
  const nir = spec.nir === undefined ? {} : {
    ...path(spec.nir, 'nir'), ...path(spec.events, 'events'),
    ...(spec.dt === undefined ? {} : { dt: spec.dt }), ...(spec.discretization === undefined ? {} : { discretization: spec.discretization }),
    ...(spec['nir-reset'] === undefined ? {} : { nirReset: spec['nir-reset'] }), ...(spec['bin-us'] === undefined ? {} : { binUs: spec['bin-us'] }), ...(spec.bins === undefined ? {} : { bins: spec.bins }),
    given: Object.keys(spec).map((k) => `--${k === 'cost-models' ? 'cost-model' : k}`),
  };
  return {
    ...nir,
    ...path(spec.onnx, 'onnx'), ...path(spec.inputs, 'inputs'), ...path(spec.labels, 'labels'),
    ...(spec.dataset === undefined ? {} : { dataset: spec.dataset }),
    workload: spec.workload ?? d.workload,
    backends: (spec.backends ?? (spec.nir === undefined ? d.backends : ['snn'])) as BackendId[],
    timesteps: spec.timesteps ?? d.timesteps,
    profiles: spec['cost-models'] ?? d.profiles,
    samples: spec.samples ?? d.samples,
    norm: spec.norm ?? d.norm,
    calibrationSamples: spec['calibration-samples'] ?? d.calibrationSamples,
    seed: spec.seed ?? d.seed,
    neuron: spec.neuron ?? d.neuron,
    reset: spec.reset ?? d.reset,
    ...(spec.beta === undefined ? {} : { beta: spec.beta }),
    ...(spec.alpha === undefined ? {} : { alpha: spec.alpha }),
    refractory: spec.refractory ?? d.refractory,
    ...(spec.coding === undefined ? {} : { coding: spec.coding }),
    executions: spec.execution ?? d.executions,
    quant: spec.quant ?? d.quant,
    ...(out === undefined ? {} : { out }),
    force,
    quiet: true,
  };
}

/** The results document of a claims file's `run:` (file paths relative to `base`); nothing is written. */
export async function computeRunSpec(spec: RunSpec, base: string, log: (line: string) => void): Promise<ResultsDoc> {
  const args = runArgsFromSpec(spec, undefined, false, base);
  return args.nir !== undefined ? (await computeNirRun({ ...args, nir: args.nir }, log)).doc : (await computeRun(args, validateRunArgs(args), log)).doc;
}

/** The results a claims file (read from `file`) is checked against: the results.json its `results:` names, or its `run:` run (nothing written). */
export async function claimsResults(claimsFile: ClaimsFile, file: string, log: (line: string) => void): Promise<ResultsDoc> {
  if (claimsFile.results !== undefined) return readResultsFile({ path: resolve(dirname(file), claimsFile.results), field: `${file}: field results:`, what: 'a results.json (relative to the claims file)' });
  return computeRunSpec(claimsFile.run!, dirname(file), log);
}

export async function executeCheck(a: CheckArgs, out: (line: string) => void, log: (line: string) => void): Promise<number> {
  if (!Number.isFinite(a.tolerance) || a.tolerance < 0) throw new UsageError(`--tolerance must be a number ≥ 0 (relative change), got ${a.tolerance}`);
  // every output must be writable before any work, so the verdict (exit 0 or 1) is never lost to a bad path
  if (a.junit) checkWritableFile(a.junit, '--junit');
  if (a.markdown) checkWritableFile(a.markdown, '--markdown');
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) checkWritableFile(summaryFile, 'GITHUB_STEP_SUMMARY', 'append');
  const claimsFile = parseClaimsFile(readDocumentText({ path: a.file, field: 'claims file', what: 'a claims file (YAML)' }), a.file);
  const baseline = a.baseline === undefined ? null : readResultsFile({ path: a.baseline, field: '--baseline', what: 'a results.json' });
  let doc: ResultsDoc;
  if (a.out !== undefined) {
    if (claimsFile.results !== undefined) throw new UsageError('--out: this claims file names a results.json, so there is no run to write');
    checkOutputDir(a.out, a.force);
    doc = (await executeRun(runArgsFromSpec(claimsFile.run!, a.out, a.force, dirname(a.file)), log)).doc;
  } else {
    doc = await claimsResults(claimsFile, a.file, log);
  }
  const results = evaluateClaims(claimsFile.claims, doc);
  const changes: Change[] | null = baseline === null ? null : compareToBaseline(doc, baseline, a.tolerance);
  out(textTable(CLAIM_HEADERS, claimRows(results)));
  if (changes !== null) {
    out('');
    out(changes.length === 0 ? `nothing moved since the baseline (tolerance ${a.tolerance})` : textTable(CHANGE_HEADERS, changeRows(changes)));
  }
  const failed = results.filter((r) => r.verdict === 'fail').length;
  out('');
  out(`${results.length - failed} of ${results.length} claims hold${changes && changes.length > 0 ? `; ${changes.length} quantities moved since the baseline` : ''}`);
  const title = `joulebench check ${a.file}`;
  if (a.junit) writeFileAtomic(a.junit, junitXml('joulebench', results, changes ?? []));
  const md = markdownSummary(title, results, changes);
  if (a.markdown) writeFileAtomic(a.markdown, md);
  if (summaryFile) appendFileSync(summaryFile, md);
  return failed > 0 || (changes !== null && changes.length > 0) ? EXIT_FAILURE : EXIT_OK;
}
