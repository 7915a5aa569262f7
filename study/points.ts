// Executing one sweep point (study layer): one backend configuration of an image workload on the
// first n test samples, a sequence LM of one family and task at one context length (trained once per
// family and task, cached), or one phase of a brain model (its plugin). The sweep plans points (sweeps/execute-models.ts), caches executions and prices them.
import type { Ledger } from '../core/ledger.js';
import { InputError } from '../core/errors.js';
import type { SampleSet } from '../harness/data.js';
import { takeRequested } from '../harness/data.js';
import type { BackendFactory, ConfigurationSpec } from '../harness/suite.js';
import { configurationId, runConfiguration } from '../harness/suite.js';
import { createRng } from '../core/rng.js';
import { BRAIN_PLUGINS } from '../workloads/brain/plugins.js';
import type { WorkloadPlugin } from '../workloads/plugin.js';
import { countsAtLengths, evaluateRecall, evaluateText, sequenceLedger } from '../workloads/sequence/evaluate.js';
import { recallSequence, recallVocab } from '../workloads/sequence/recall.js';
import { getBlock } from '../workloads/sequence/registry.js';
import { DEFAULT_STUDY, lmConfigFor, trainConfigFor } from '../workloads/sequence/study.js';
import type { StudyOptions } from '../workloads/sequence/study.js';
import { trainLm } from '../workloads/sequence/train.js';
import { brownTokens, VOCAB_SIZE } from '../workloads/text/brown-corpus.js';
import { activityFileSha256, readActivityFile } from '../workloads/imported/activity.js';
import { activityToLedger } from '../workloads/imported/ledger.js';

export interface SequencePlan {
  readonly kind: 'sequence';
  readonly workload: 'sequence';
  readonly family: string;
  readonly task: 'text' | 'recall';
  readonly contextLength: number;
  readonly d: number;
  readonly heads: number;
  readonly layers: number;
  readonly steps: number;
  /** Held-out windows (text) or recall sequences scored. */
  readonly samples: number;
  readonly seed: number;
}

/** A brain workload of sweeps → its plugin. */
export const BRAIN_WORKLOADS: ReadonlyMap<string, WorkloadPlugin> = new Map([...BRAIN_PLUGINS.values()].flatMap((plugin) => Object.keys(plugin.sweepWorkloads).map((w) => [w, plugin] as const)));


export interface BrainPlan {
  readonly kind: 'brain';
  readonly workload: string;
  readonly phase: string;
  /** The plugin's options, every default filled in. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** A point of `workload: imported`: an activity file (workloads/imported/), priced at every hardware point. */
export interface ImportedPlan {
  readonly kind: 'imported';
  readonly workload: 'imported';
  /** The file as the point names it (resolved against the current folder). */
  readonly activity: string;
  /** sha256 of its bytes when the sweep was planned: the execution's content key, checked again when it runs. */
  readonly sha256: string;
}

export interface ModelExecution {
  readonly id: string;
  readonly accuracy: number;
  readonly quality: { readonly metric: string; readonly value: number };
  readonly ledger: Ledger;
}

function studyOf(plan: SequencePlan): StudyOptions {
  return { ...DEFAULT_STUDY, families: [plan.family], tasks: [plan.task], d: plan.d, heads: plan.heads, layers: plan.layers, textSteps: plan.steps, recallSteps: plan.steps, seed: plan.seed };
}

/** Trains the point's model (or finds it in the cache): run before dispatching to workers, so each model trains once. */
export async function trainSequenceModel(plan: SequencePlan, log: (line: string) => void): Promise<void> {
  const o = studyOf(plan);
  const cfg = lmConfigFor(getBlock(plan.family), o, plan.task === 'text' ? VOCAB_SIZE : recallVocab(o.recall));
  await trainLm(cfg, trainConfigFor(o, plan.task), log);
}

/** Trains (cached) the family's LM for the task and measures quality and the decode step's ledger at the context length. */
export async function executeSequence(plan: SequencePlan, log: (line: string) => void): Promise<ModelExecution> {
  const o = studyOf(plan);
  const block = getBlock(plan.family);
  const L = plan.contextLength;
  const id = `${plan.family}-${plan.task}-L${L}`;
  const params = { family: plan.family, task: plan.task, contextLength: L, d: plan.d, heads: plan.heads, layers: plan.layers };
  if (plan.task === 'text') {
    const cfg = lmConfigFor(block, o, VOCAB_SIZE);
    const { weights } = await trainLm(cfg, trainConfigFor(o, 'text'), log);
    const test = brownTokens('test');
    const ev = evaluateText(cfg, weights, test, L, plan.samples);
    const at = countsAtLengths(cfg, weights, test, [L]).get(L)!;
    return { id, accuracy: Number.NaN, quality: { metric: 'bits_per_char', value: ev.bitsPerChar }, ledger: sequenceLedger(cfg, at, params) };
  }
  const cfg = lmConfigFor(block, o, recallVocab(o.recall));
  const { weights } = await trainLm(cfg, trainConfigFor(o, 'recall'), log);
  const ev = evaluateRecall(cfg, weights, o.recall, L, plan.samples, plan.seed);
  const seq = recallSequence(o.recall, L, createRng(plan.seed, 4, L)).tokens;
  const at = countsAtLengths(cfg, weights, seq, [L]).get(L)!;
  return { id, accuracy: ev.accuracy, quality: { metric: 'recall_accuracy', value: ev.accuracy }, ledger: sequenceLedger(cfg, at, params) };
}

/** Runs the brain model of the point and returns the ledger of its phase. */
export function executeBrain(plan: BrainPlan, log: (line: string) => void): ModelExecution {
  const plugin = BRAIN_WORKLOADS.get(plan.workload)!;
  const run = plugin.execute(plan.options, { log });
  const phases = run.phases.filter((x) => x.phase === plan.phase);
  // a sweep point runs one experiment (sweepWorkloads), so its phase names one ledger
  if (phases.length !== 1) throw new Error(`${plan.workload}: ${phases.length} ledgers of phase ${plan.phase}, expected 1`);
  const q = plugin.sweepQuality(run, phases[0]);
  return { id: `${plan.workload.replace(/^brain-/, '')}-${plan.phase}`, accuracy: q.accuracy, quality: { metric: q.metric, value: q.value }, ledger: phases[0].ledger };
}

/** Runs one backend configuration (from the workload's factory: converted or quantized once) on the first `samples` test samples. */
export async function executeImagePoint(factory: BackendFactory, spec: ConfigurationSpec, test: SampleSet, samples: number): Promise<{ id: string; accuracy: number; ledger: Ledger }> {
  const id = configurationId(spec);
  const run = await runConfiguration(id, factory.create(spec), takeRequested(test, samples, 'samples'));
  // a sweep's image workloads are built-in datasets, always labelled; NaN marks a missing accuracy in rows
  return { id, accuracy: run.accuracy ?? Number.NaN, ledger: run.ledger };
}

/** The ledger of an imported activity file (its accuracy, NaN where the file has none). */
export function executeImported(plan: ImportedPlan): { id: string; accuracy: number; ledger: Ledger } {
  const ref = { path: plan.activity, field: 'activity', what: 'a joulebench-activity JSON file' };
  if (activityFileSha256(ref) !== plan.sha256) throw new InputError(`activity ${plan.activity}: the file changed while the sweep ran; run the sweep again`);
  const doc = readActivityFile(ref);
  const { id, ledger } = activityToLedger(doc);
  return { id, accuracy: doc.accuracy ?? Number.NaN, ledger };
}
