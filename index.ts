// The library API of the joulebench package (`import { … } from 'joulebench'`): run a study, price a
// ledger under a cost model profile, load and validate a results document, evaluate claims. Each name
// is the function the command line uses (cli/, study/, cost-models/, reports/, claims/), re-exported
// here or wrapped only to take plain arguments; nothing is computed differently. Bad input throws an
// InputError (one line, the same message the command line prints); see README "Library API".
import { claimsResults, computeRunSpec, parseClaimsFile } from './cli/check.js';
import { runSpecSchema } from './claims/schema.js';
import type { RunSpec } from './claims/schema.js';
import { evaluateClaims } from './claims/evaluate.js';
import type { ClaimResult } from './claims/evaluate.js';
import { readDocumentText } from './core/documents.js';
import { validated } from './core/input.js';
import type { ResultsDoc } from './reports/results.js';
import { readResultsFile } from './reports/results-schema.js';

export { InputError } from './core/errors.js';
export type { Ledger, LayerLedger } from './core/ledger.js';
export type { HardwareProfile } from './cost-models/profile.js';
export type { PricedLedger } from './cost-models/model.js';
export type { EnergyItem } from './cost-models/energy.js';
export type { Constant } from './cost-models/constants.js';
export type { ResultsDoc, ConfigurationResult } from './reports/results.js';
export type { Claim, ClaimsFile, RunSpec } from './claims/schema.js';
export type { ClaimResult } from './claims/evaluate.js';
export type { PricingOutcome } from './study/pricing.js';

/** Cost model profiles: a built-in profile by id (`joulebench list`), or a profile YAML file by path; the built-in ids. */
export { getProfile, builtinProfileIds } from './cost-models/registry.js';
/** Prices a ledger under a profile: `{ ok: true, priced }` (totalJ, items, constants, unpriced) or the model's `{ ok: false, refused }`. */
export { priceLedger } from './study/pricing.js';
/** Validates a parsed results document (any supported schema version); the JSON Schema; the version written. */
export { parseResultsDoc, resultsJsonSchema, RESULTS_SCHEMA_VERSION } from './reports/results-schema.js';
/** Parses the YAML text of a claims file (`origin` names it in errors); evaluates claims against a results document. */
export { parseClaimsFile, evaluateClaims };

export interface RunStudyOptions {
  /** Folder that relative paths in the spec (onnx, nir, inputs, labels, events) are resolved against (default: the current folder). */
  readonly base?: string;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/**
 * Runs a study as `joulebench run` does and returns its results document (nothing is written). The
 * spec takes the keys of a claims file's `run:` (claims/README.md): workload, backends, timesteps,
 * cost-models, samples, … or your own network (onnx, nir, inputs, labels …); unset keys take run's
 * defaults. The first use of a workload trains it into the cache (`$JOULEBENCH_CACHE`).
 */
export function runStudy(spec: RunSpec = {}, options: RunStudyOptions = {}): Promise<ResultsDoc> {
  const checked = validated(runSpecSchema, spec, 'runStudy', 'see claims/README.md for the keys of run:');
  return computeRunSpec(checked, options.base ?? '.', options.log ?? (() => {}));
}

/** Reads and validates a results.json (versions 1–4; a bad file is one InputError naming the field). */
export function loadResults(path: string): ResultsDoc {
  return readResultsFile({ path, field: 'results', what: 'a results.json' });
}

/**
 * Evaluates a claims file as `joulebench check` does (without a baseline or outputs): against the
 * results its `results:` names, or by running its `run:`. Each row is a claim × profile with its
 * measured value, verdict ('pass' | 'fail') and margin.
 */
export async function checkClaims(file: string, options: Omit<RunStudyOptions, 'base'> = {}): Promise<ClaimResult[]> {
  const claims = parseClaimsFile(readDocumentText({ path: file, field: 'claims file', what: 'a claims file (YAML)' }), file);
  return evaluateClaims(claims.claims, await claimsResults(claims, file, options.log ?? (() => {})));
}
