// Sweep points of the non-image workloads: the sequence LMs of issue 7 (`workload: sequence`,
// one block family, task and context length per point) and the brain-inspired models
// (`workload: brain-hopfield | brain-modern-hopfield | brain-som | brain-stdp | brain-lut`, one phase per
// point). A brain point's keys are the sweep keys its plugin declares (workloads/brain/plugins.ts:
// the same options, defaults and checks as `joulebench brain`).
// Planned here, executed by the study layer (study/points.ts): each yields one ledger and a quality
// metric; like image executions they are cached by content.
import { createHash } from 'node:crypto';
import { InputError } from '../core/errors.js';
import type { BrainPlan, ImportedPlan, SequencePlan } from '../study/points.js';
import { activityFileSha256, readActivityFile } from '../workloads/imported/activity.js';
import { BRAIN_WORKLOADS } from '../study/points.js';
import { SEQUENCE_STUDY } from '../workloads/sequence/options.js';
import { parseSweepOptions, sweepKeys } from '../workloads/plugin.js';
import { DEFAULT_STUDY } from '../workloads/sequence/study.js';
import type { Point } from './spec.js';
export { BRAIN_KEYS, SEQUENCE_KEYS } from './keys.js';
import { IMPORTED_KEYS, SEQUENCE_KEYS } from './keys.js';

const num = (p: Point, k: string, where: string, fallback: number, min = 1): number => {
  const v = p[k] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new InputError(`${where}: ${k} must be an integer ≥ ${min}, got ${String(v)}`);
  return v;
};

/** Refuses a key the point's workload does not take, naming the ones it does. */
function onlyKeys(p: Point, where: string, workload: string, allowed: readonly string[]): void {
  const takes = [...new Set(['samples', 'seed', ...allowed])];
  for (const k of Object.keys(p)) {
    if (k !== 'workload' && !takes.includes(k)) throw new InputError(`${where}: key "${k}" does not apply to workload ${workload}; it takes ${takes.join(', ')}`);
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
  onlyKeys(p, where, workload, ['phase', ...sweepKeys(plugin.options).keys()]);
  const phase = p.phase ?? plugin.phases[plugin.phases.length - 1];
  if (typeof phase !== 'string' || !plugin.phases.includes(phase)) throw new InputError(`${where}: phase "${String(phase)}" is not a phase of ${workload}; use ${plugin.phases.join(', ')}`);
  const options = parseSweepOptions(plugin, p, where, plugin.sweepWorkloads[workload]);
  return { kind: 'brain', workload, phase, options };
}

/**
 * A point of `workload: imported`: its activity file (a path from the current folder), read and
 * checked now, so a bad file stops the sweep before anything runs; its bytes' hash keys the execution.
 */
export function planImported(p: Point, where: string): ImportedPlan {
  for (const k of Object.keys(p)) {
    if (k !== 'workload' && !IMPORTED_KEYS.includes(k)) throw new InputError(`${where}: key "${k}" does not apply to workload imported; it takes ${IMPORTED_KEYS.join(', ')}`);
  }
  const activity = p.activity;
  if (typeof activity !== 'string') throw new InputError(`${where}: activity must name a joulebench-activity JSON file (see \`joulebench price\`)`);
  const ref = { path: activity, field: `${where}: activity`, what: 'a joulebench-activity JSON file' };
  readActivityFile(ref);
  return { kind: 'imported', workload: 'imported', activity, sha256: activityFileSha256(ref) };
}

/** Content key of a sequence, brain or imported execution: the plan, the code that computes it (`code`: a hash of the sources), the data version. */
export function contentKey(plan: SequencePlan | BrainPlan | ImportedPlan, code: string): string {
  return createHash('sha256').update(JSON.stringify({ plan, code, format: 2 })).digest('hex').slice(0, 24);
}

