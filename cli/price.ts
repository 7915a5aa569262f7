// `joulebench price ACTIVITY.json…`: activity recorded elsewhere (the joulebench-activity format,
// workloads/imported/) priced like a run. Each file becomes one configuration's ledger through the
// one ledger builder; the study layer prices them into the same results document a `run` writes
// (kind image), written as the same run folder, so `report`, `check` and `--baseline` read it like
// any run's. Every argument and every file is checked before anything is written.
import { checkPathText } from '../core/documents.js';
import type { ResultsDoc } from '../reports/results.js';
import { priceActivities } from '../study/imported.js';
import { activityFileSha256, readActivityFile } from '../workloads/imported/activity.js';
import { UsageError } from './errors.js';
import { checkOutputDir } from './output-dir.js';
import { resolvePricing } from './pairs.js';
import { runManifest, writeRun } from './run-output.js';

export interface PriceArgs {
  /** Activity files (joulebench-activity JSON); each is one configuration. */
  readonly files: readonly string[];
  readonly profiles: readonly string[];
  readonly out: string;
  readonly force: boolean;
  /** (SNN profile):(ANN profile) pairs for break-even and uncertainty; default: the pairing rule of study/results.ts. */
  readonly pairs?: readonly string[];
  readonly monteCarloSamples?: number;
}

export function executePrice(a: PriceArgs, log: (line: string) => void): { doc: ResultsDoc; out: string; summary: string } {
  if (a.files.length === 0) throw new UsageError('give at least one activity file: joulebench price ACTIVITY.json');
  for (const f of a.files) checkPathText(f, 'activity file');
  const { profiles, pairs } = resolvePricing(a);
  const out = checkOutputDir(a.out, a.force);
  const refs = a.files.map((file) => ({ path: file, field: 'activity file', what: 'a joulebench-activity JSON file' }));
  const docs = refs.map((ref) => ({ file: ref.path, doc: readActivityFile(ref) }));
  log(`pricing ${docs.length} imported configuration${docs.length === 1 ? '' : 's'} under ${profiles.length} profile${profiles.length === 1 ? '' : 's'}`);
  const started = new Date();
  const doc = priceActivities(docs, profiles, { ...(pairs ? { pairs } : {}), ...(a.monteCarloSamples === undefined ? {} : { monteCarloSamples: a.monteCarloSamples }) });
  const manifest = runManifest(a, started, { files: refs.map((ref) => ({ path: ref.path, sha256: activityFileSha256(ref) })) });
  return { doc, out, summary: writeRun(out, doc, manifest, a.force) };
}
