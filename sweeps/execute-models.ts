// Sweep executions of the non-image workloads: the sequence LMs of issue 7 (`workload: sequence`,
// one block family, task and context length per point) and the brain-inspired models of issue 8
// (`workload: brain-som | brain-stdp | brain-hopfield | brain-modern-hopfield | brain-lut`, one phase per
// point).
// Each yields one ledger and a quality metric; like image executions they are cached by content.
import { createHash } from 'node:crypto';
import { InputError, rethrowInputError } from '../core/errors.js';
import type { Ledger } from '../core/ledger.js';
import { createRng } from '../core/rng.js';
import { hopfieldCompletion } from '../workloads/brain/hopfield.js';
import { lutExperiment } from '../workloads/brain/lut/experiment.js';
import { DEFAULT_LUT } from '../workloads/brain/lut/network.js';
import type { BrainPhase } from '../workloads/brain/phase.js';
import { DEFAULT_SCHEDULE, somExperiment } from '../workloads/brain/som.js';
import { DEFAULT_STDP, stdpExperiment } from '../workloads/brain/stdp.js';
import type { DatasetId } from '../workloads/datasets/idx-images.js';
import { DATASET_IDS, loadImageDataset } from '../workloads/datasets/idx-images.js';
import { countsAtLengths, evaluateRecall, evaluateText, sequenceLedger } from '../workloads/sequence/evaluate.js';
import { recallSequence, recallVocab } from '../workloads/sequence/recall.js';
import { getBlock } from '../workloads/sequence/registry.js';
import { DEFAULT_STUDY, lmConfigFor, trainConfigFor } from '../workloads/sequence/study.js';
import type { StudyOptions } from '../workloads/sequence/study.js';
import { trainLm } from '../workloads/sequence/train.js';
import { brownTokens, VOCAB_SIZE } from '../workloads/text/brown-corpus.js';
import type { Point } from './spec.js';

/** Workload keys of `workload: sequence`. */
export const SEQUENCE_KEYS = ['family', 'task', 'context-length', 'd', 'heads', 'layers', 'steps'] as const;
/** Workload keys of the brain-* workloads. */
export const BRAIN_KEYS = ['phase', 'dataset', 'train', 'patterns', 'neurons', 'grid'] as const;

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

export const BRAIN_WORKLOADS = {
  'brain-som': ['learning', 'inference'],
  'brain-stdp': ['learning', 'labelling', 'inference'],
  'brain-hopfield': ['storage', 'recall'],
  'brain-modern-hopfield': ['storage', 'recall'],
  'brain-lut': ['learning', 'inference', 'generation'],
} as const;
type BrainWorkload = keyof typeof BRAIN_WORKLOADS;

export interface BrainPlan {
  readonly kind: 'brain';
  readonly workload: BrainWorkload;
  readonly phase: string;
  readonly dataset: DatasetId;
  /** Training images (som, stdp), stored patterns (hopfield) or training windows (lut). */
  readonly train: number;
  /** Test images (som, stdp), noisy probes (hopfield) or held-out characters (lut). */
  readonly samples: number;
  readonly neurons: number;
  readonly grid: string;
  readonly seed: number;
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
  const family = text(p, 'family', where, '');
  try {
    getBlock(family);
  } catch (e) {
    rethrowInputError(e, `${where}: family: `);
  }
  const task = text(p, 'task', where, 'text');
  if (task !== 'text' && task !== 'recall') throw new InputError(`${where}: task must be text or recall, got "${task}"`);
  const plan: SequencePlan = {
    kind: 'sequence',
    workload: 'sequence',
    family,
    task,
    contextLength: num(p, 'context-length', where, DEFAULT_STUDY.context),
    d: num(p, 'd', where, DEFAULT_STUDY.d),
    heads: num(p, 'heads', where, DEFAULT_STUDY.heads),
    layers: num(p, 'layers', where, DEFAULT_STUDY.layers),
    steps: num(p, 'steps', where, task === 'text' ? DEFAULT_STUDY.textSteps : DEFAULT_STUDY.recallSteps),
    samples: num(p, 'samples', where, DEFAULT_STUDY.evalWindows),
    seed: num(p, 'seed', where, DEFAULT_STUDY.seed, 0),
  };
  if (plan.d % plan.heads !== 0) throw new InputError(`${where}: heads (${plan.heads}) must divide d (${plan.d})`);
  if (task === 'recall' && plan.contextLength < 2 * (DEFAULT_STUDY.recall.pairs + DEFAULT_STUDY.recall.queries)) {
    throw new InputError(`${where}: context-length ${plan.contextLength} is shorter than a recall sequence without gap (${2 * (DEFAULT_STUDY.recall.pairs + DEFAULT_STUDY.recall.queries)})`);
  }
  return plan;
}

export function planBrain(p: Point, where: string, workload: string): BrainPlan {
  if (!(workload in BRAIN_WORKLOADS)) throw new InputError(`${where}: workload "${workload}" is not known; brain workloads are ${Object.keys(BRAIN_WORKLOADS).join(', ')}`);
  const w = workload as BrainWorkload;
  onlyKeys(p, where, w, BRAIN_KEYS);
  const phases: readonly string[] = BRAIN_WORKLOADS[w];
  const phase = text(p, 'phase', where, phases[phases.length - 1]);
  if (!phases.includes(phase)) throw new InputError(`${where}: phase "${phase}" is not a phase of ${w}; use ${phases.join(', ')}`);
  const dataset = text(p, 'dataset', where, 'mnist');
  if (!(DATASET_IDS as readonly string[]).includes(dataset)) throw new InputError(`${where}: dataset must be one of ${DATASET_IDS.join(', ')}, got "${dataset}"`);
  const hopfield = w === 'brain-hopfield' || w === 'brain-modern-hopfield';
  const grid = text(p, 'grid', where, '10x10');
  if (!/^\d+x\d+$/.test(grid)) throw new InputError(`${where}: grid must be ROWSxCOLS such as 10x10, got "${grid}"`);
  return {
    kind: 'brain',
    workload: w,
    phase,
    dataset: dataset as DatasetId,
    train: hopfield ? num(p, 'patterns', where, 10) : num(p, 'train', where, w === 'brain-som' ? 10000 : w === 'brain-lut' ? 6000 : 5000),
    samples: num(p, 'samples', where, hopfield ? 100 : w === 'brain-lut' ? 20000 : 1000),
    neurons: num(p, 'neurons', where, DEFAULT_STDP.neurons),
    grid,
    seed: num(p, 'seed', where, 1, 0),
  };
}

/** Content key of a sequence or brain execution: the plan, the code that computes it, the data version. */
export function contentKey(plan: SequencePlan | BrainPlan): string {
  return createHash('sha256').update(JSON.stringify({ plan, code: harnessCode(), format: 1 })).digest('hex').slice(0, 24);
}

let codeVersionFn: (() => string) | null = null;
/** Set by execute.ts (which owns the source hash) to avoid an import cycle. */
export function useCodeVersion(f: () => string): void {
  codeVersionFn = f;
}
const harnessCode = (): string => (codeVersionFn ? codeVersionFn() : 'unknown');

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

function pickPhase(plan: BrainPlan, phases: Readonly<Record<string, BrainPhase>>): Ledger {
  return phases[plan.phase].ledger;
}

/** Runs the brain model and returns the ledger of the requested phase. */
export function executeBrain(plan: BrainPlan, log: (line: string) => void): ModelExecution {
  const id = `${plan.workload.replace(/^brain-/, '')}-${plan.phase}`;
  if (plan.workload === 'brain-som') {
    const [rows, cols] = plan.grid.split('x').map(Number);
    log(`som ${plan.grid}: ${plan.train} training images`);
    const r = somExperiment({ train: loadImageDataset(plan.dataset, 'train'), test: loadImageDataset(plan.dataset, 'test'), rows, cols, trainSamples: plan.train, testSamples: plan.samples, schedule: DEFAULT_SCHEDULE, seed: plan.seed });
    return { id, accuracy: r.quality.accuracy, quality: { metric: 'quantisation_error', value: r.quality.quantisationError }, ledger: pickPhase(plan, { learning: r.learning, inference: r.inference }) };
  }
  if (plan.workload === 'brain-stdp') {
    log(`stdp N=${plan.neurons}: ${plan.train} training images`);
    const r = stdpExperiment({ train: loadImageDataset(plan.dataset, 'train'), test: loadImageDataset(plan.dataset, 'test'), trainSamples: plan.train, labelSamples: 1000, testSamples: plan.samples, params: { ...DEFAULT_STDP, neurons: plan.neurons }, seed: plan.seed });
    return { id, accuracy: r.accuracy, quality: { metric: 'accuracy', value: r.accuracy }, ledger: pickPhase(plan, { learning: r.learning, labelling: r.labelling, inference: r.inference }) };
  }
  if (plan.workload === 'brain-lut') {
    log(`lut: ${plan.train} training windows`);
    const r = lutExperiment({ config: DEFAULT_LUT, trainSteps: plan.train, testTokens: plan.samples, fullContextTokens: Math.min(plan.samples, 2000), seed: plan.seed });
    return { id, accuracy: Number.NaN, quality: { metric: 'bits_per_char', value: r.quality.bpc }, ledger: pickPhase(plan, { learning: r.learning, inference: r.inference, generation: r.generation }) };
  }
  const modern = plan.workload === 'brain-modern-hopfield';
  log(`${modern ? 'modern' : 'classic'} hopfield: ${plan.train} stored images`);
  const points = hopfieldCompletion({ train: loadImageDataset(plan.dataset, 'train'), classicPatterns: modern ? [] : [plan.train], modernPatterns: modern ? [plan.train] : [], noise: 0.15, probes: plan.samples, beta: 1, seed: plan.seed, maxSweeps: 100 });
  const pt = points[0];
  return { id, accuracy: pt.accuracy, quality: { metric: 'completion_accuracy', value: pt.accuracy }, ledger: pickPhase(plan, { storage: pt.storage, recall: pt.recall }) };
}
