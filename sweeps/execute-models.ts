// Sweep executions of the non-image workloads: the sequence LMs of issue 7 (`workload: sequence`,
// one block family, task and context length per point) and the brain-inspired models
// (`workload: brain-hopfield | brain-modern-hopfield | brain-som | brain-stdp | brain-lut`, one phase per
// point). A brain point's keys are the sweep keys its plugin declares (workloads/brain/plugins.ts:
// the same options, defaults and checks as `joulebench brain`).
// Each yields one ledger and a quality metric; like image executions they are cached by content.
import { createHash } from 'node:crypto';
import { InputError, rethrowInputError } from '../core/errors.js';
import type { Ledger } from '../core/ledger.js';
import { createRng } from '../core/rng.js';
import { BRAIN_PLUGINS } from '../workloads/brain/plugins.js';
import { SEQUENCE_STUDY } from '../workloads/sequence/options.js';
import type { WorkloadPlugin } from '../workloads/plugin.js';
import { parseSweepOptions, sweepKeys } from '../workloads/plugin.js';
import { countsAtLengths, evaluateRecall, evaluateText, sequenceLedger } from '../workloads/sequence/evaluate.js';
import { recallSequence, recallVocab } from '../workloads/sequence/recall.js';
import { getBlock } from '../workloads/sequence/registry.js';
import { DEFAULT_STUDY, lmConfigFor, trainConfigFor } from '../workloads/sequence/study.js';
import type { StudyOptions } from '../workloads/sequence/study.js';
import { trainLm } from '../workloads/sequence/train.js';
import { brownTokens, VOCAB_SIZE } from '../workloads/text/brown-corpus.js';
import type { Point } from './spec.js';
export { BRAIN_KEYS, SEQUENCE_KEYS } from './keys.js';
import { SEQUENCE_KEYS } from './keys.js';

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

const num = (p: Point, k: string, where: string, fallback: number, min = 1): number => {
  const v = p[k] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new InputError(`${where}: ${k} must be an integer ≥ ${min}, got ${String(v)}`);
  return v;
};

const text = (p: Point, k: string, where: string, fallback: string): string => {
  const v = p[k] ?? fallback;
  if (typeof v !== 'string') throw new InputError(`${where}: ${k} must be given as text`);
  return v;
};

function onlyKeys(p: Point, where: string, workload: string, allowed: readonly string[]): void {
  for (const k of Object.keys(p)) {
    if (!['workload', 'samples', 'seed', ...allowed].includes(k)) throw new InputError(`${where}: key "${k}" does not apply to workload ${workload}; it takes ${['samples', 'seed', ...allowed].join(', ')}`);
  }
}

export function planSequence(p: Point, where: string): SequencePlan {
  onlyKeys(p, where, 'sequence', SEQUENCE_KEYS);
  if (p.family === undefined) throw new InputError(`${where}: family is missing; give one of ${DEFAULT_STUDY.families.join(', ')}`);
  // the keys the study declares (family, task, d, heads, layers, seed) pass its checks; a point is one family and one task
  const o = parseSweepOptions(SEQUENCE_STUDY, p, where, (g) => ({ task: 'text', ...g }));
  if (o.families.length !== 1) throw new InputError(`${where}: family must be one family, got ${o.families.length}`);
  if (o.task === 'both') throw new InputError(`${where}: task must be text or recall, got "both"`);
  const task = o.task;
  const plan: SequencePlan = {
    kind: 'sequence',
    workload: 'sequence',
    family: o.families[0],
    task,
    contextLength: num(p, 'context-length', where, DEFAULT_STUDY.context),
    d: o.d,
    heads: o.heads,
    layers: o.layers,
    steps: num(p, 'steps', where, task === 'text' ? DEFAULT_STUDY.textSteps : DEFAULT_STUDY.recallSteps),
    samples: num(p, 'samples', where, DEFAULT_STUDY.evalWindows),
    seed: o.seed,
  };
  if (task === 'recall' && plan.contextLength < 2 * (DEFAULT_STUDY.recall.pairs + DEFAULT_STUDY.recall.queries)) {
    throw new InputError(`${where}: context-length ${plan.contextLength} is shorter than a recall sequence without gap (${2 * (DEFAULT_STUDY.recall.pairs + DEFAULT_STUDY.recall.queries)})`);
  }
  return plan;
}

export function planBrain(p: Point, where: string, workload: string): BrainPlan {
  const plugin = BRAIN_WORKLOADS.get(workload);
  if (!plugin) throw new InputError(`${where}: workload "${workload}" is not known; brain workloads are ${[...BRAIN_WORKLOADS.keys()].join(', ')}`);
  const keys = sweepKeys(plugin.options);
  for (const k of Object.keys(p)) {
    if (k !== 'workload' && k !== 'phase' && !keys.has(k)) throw new InputError(`${where}: key "${k}" does not apply to workload ${workload}; it takes ${['phase', ...keys.keys()].join(', ')}`);
  }
  const phase = p.phase ?? plugin.phases[plugin.phases.length - 1];
  if (typeof phase !== 'string' || !plugin.phases.includes(phase)) throw new InputError(`${where}: phase "${String(phase)}" is not a phase of ${workload}; use ${plugin.phases.join(', ')}`);
  const options = parseSweepOptions(plugin, p, where, plugin.sweepWorkloads[workload]);
  return { kind: 'brain', workload, phase, options };
}

/** Content key of a sequence or brain execution: the plan, the code that computes it (`code`: a hash of the sources), the data version. */
export function contentKey(plan: SequencePlan | BrainPlan, code: string): string {
  return createHash('sha256').update(JSON.stringify({ plan, code, format: 2 })).digest('hex').slice(0, 24);
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
