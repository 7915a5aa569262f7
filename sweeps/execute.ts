// Executing sweep points. An execution (workload point) is cached by content — workload, trained
// weights, backend configuration, data slice and the harness's source code — so a sweep re-run, a
// resumed sweep or a re-costing over hardware never runs a network twice. Pricing is a pure
// function of (ledger, profile) and is recomputed freely.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseNormMethod } from '../harness/convert.js';
import type { Coding, Execution } from '../harness/backends/snn.js';
import { CODINGS, EXECUTIONS } from '../harness/backends/snn.js';
import { InputError, rethrowInputError } from '../core/errors.js';
import type { Ledger } from '../core/ledger.js';
import type { NeuronModel, NeuronParams, ResetMode } from '../harness/neurons.js';
import { validateNeuron } from '../harness/neurons.js';
import { packageRoot } from '../core/paths.js';
import { cacheWritable } from '../core/verified-cache.js';
import { bitsForTimesteps } from '../harness/quantize.js';
import { CONFIGURATION_DEFAULTS, checkAlphaNeuron, checkTimesteps, checkTrainedSpiking, defaultAlpha, defaultBeta } from '../harness/run-options.js';
import { IMAGE_CONFIGURATION } from '../workloads/image-options.js';
import { parseSweepOptions } from '../workloads/plugin.js';
import type { ConfigurationSpec } from '../harness/suite.js';
import { BackendFactory, parseQuantArg } from '../harness/suite.js';
import { getWorkload } from '../workloads/registry.js';
import type { PreparedWorkload } from '../workloads/workload.js';
import type { Point } from './spec.js';
import { readExecution, writeExecution } from './execution-cache.js';
import type { BrainPlan, ImportedPlan, SequencePlan } from '../study/points.js';
import { executeBrain, executeImagePoint, executeImported, executeSequence } from '../study/points.js';
import { IMPORTED_KEYS, NON_IMAGE_KEYS } from './keys.js';
import { contentKey, planBrain, planImported, planSequence } from './execute-models.js';

/** What one workload point means once defaults are applied: an image network, a sequence LM, a brain model, or an imported activity file. */
export type ExecutionPlan = ImagePlan | SequencePlan | BrainPlan | ImportedPlan;
export type { BrainPlan, ImportedPlan, SequencePlan };

export interface ImagePlan {
  readonly kind: 'image';
  readonly workload: string;
  readonly spec: ConfigurationSpec;
  readonly samples: number;
  readonly calibrationSamples: number;
  readonly norm: string;
  readonly seed: number;
}

export interface ExecutionResult {
  readonly key: string;
  readonly id: string;
  /** Test accuracy where the task has one (NaN where it does not, e.g. bits per character). */
  readonly accuracy: number;
  /** The task's own quality metric (sequence and brain workloads). */
  readonly quality?: { readonly metric: string; readonly value: number };
  readonly ledger: Ledger;
}


function str(p: Point, k: string, where: string, fallback?: string): string {
  const v = p[k] ?? fallback;
  if (typeof v !== 'string') throw new InputError(`${where}: ${k} must be given as text`);
  return v;
}

function int(p: Point, k: 'timesteps', where: string): number {
  // the same checks (and limits) as the options of `joulebench run`
  return checkTimesteps(`${where}: ${k}`, p[k]);
}

/** Interprets one workload point; throws naming the point and key. */
export function planExecution(p: Point, where: string): ExecutionPlan {
  const workload = str(p, 'workload', where);
  if (workload === 'sequence') return planSequence(p, where);
  if (workload.startsWith('brain-')) return planBrain(p, where, workload);
  if (workload === 'imported') return planImported(p, where);
  const wrong = Object.keys(p).find((k) => NON_IMAGE_KEYS.includes(k));
  if (wrong) throw new InputError(`${where}: ${wrong} applies to ${IMPORTED_KEYS.includes(wrong) ? 'the imported workload' : 'the sequence and brain-* workloads'} only, not ${workload}`);
  try {
    getWorkload(workload);
  } catch (e) {
    rethrowInputError(e, `${where}: `);
  }
  // one configuration's options: declared once with run's flags (workloads/image-options.ts)
  const o = parseSweepOptions(IMAGE_CONFIGURATION, p, where);
  const backend = str(p, 'backend', where);
  let spec: ConfigurationSpec;
  if (backend === 'ann-dense' || backend === 'ann-sparse') spec = { kind: backend };
  else if (backend === 'ann-quant') {
    const text = str(p, 'quant', where, 'w8a8');
    let q;
    try {
      q = parseQuantArg(text);
    } catch (e) {
      rethrowInputError(e, `${where}: quant: `);
    }
    if (q.actBits === 'T') {
      const T = int(p, 'timesteps', where);
      spec = { kind: 'ann-quant', weightBits: q.weightBits, actBits: bitsForTimesteps(T), matchesT: T };
    } else spec = { kind: 'ann-quant', weightBits: q.weightBits, actBits: q.actBits };
  } else if (backend === 'snn') {
    const model = o.neuron as NeuronModel;
    const neuron: NeuronParams = { model, reset: o.reset as ResetMode, beta: o.beta ?? defaultBeta(model), alpha: o.alpha ?? defaultAlpha(model), refractory: o.refractory };
    const key = (k: string) => k;
    const coding = (o.coding ?? getWorkload(workload).snnCoding) as Coding;
    try {
      validateNeuron(neuron);
      // the same checks as `run`'s options (harness/run-options.ts)
      checkAlphaNeuron(key, o.alpha, model);
      const trained = getWorkload(workload).trainedSpiking;
      if (trained !== undefined) checkTrainedSpiking(key, workload, trained, neuron, o.coding);
    } catch (e) {
      rethrowInputError(e, `${where}: `);
    }
    if (!CODINGS.includes(coding)) throw new InputError(`${where}: coding "${coding}" is not known; use ${CODINGS.join(', ')}`);
    const execution = str(p, 'execution', where, CONFIGURATION_DEFAULTS.execution) as Execution;
    if (!EXECUTIONS.includes(execution)) throw new InputError(`${where}: execution "${execution}" is not known; use ${EXECUTIONS.join(' or ')}`);
    spec = { kind: 'snn', timesteps: int(p, 'timesteps', where), neuron, coding, execution };
  } else throw new InputError(`${where}: backend "${backend}" is not known; use ann-dense, ann-sparse, ann-quant or snn`);
  try {
    parseNormMethod(o.norm);
  } catch (e) {
    rethrowInputError(e, `${where}: `);
  }
  return { kind: 'image', workload, spec, samples: o.samples, calibrationSamples: o.calibrationSamples, norm: o.norm, seed: o.seed };
}

let codeVersion: string | undefined;
/** A hash of the source that determines ledgers (core/, harness/ and workloads/), so code changes invalidate cached executions. */
export function harnessCodeVersion(): string {
  if (codeVersion) return codeVersion;
  const h = createHash('sha256');
  for (const dir of ['core', 'harness', 'workloads']) {
    const root = join(packageRoot, dir);
    const files = (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.ts')).sort();
    for (const f of files) h.update(relative(packageRoot, join(root, f))).update(readFileSync(join(root, f)));
  }
  codeVersion = h.digest('hex').slice(0, 16);
  return codeVersion;
}

export function executionKey(plan: ImagePlan, prepared: PreparedWorkload): string {
  const content = { plan, weights: prepared.training.cacheKey, test: prepared.test.id, code: harnessCodeVersion(), format: 1 };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 24);
}

/** Prepared workloads and backend factories, shared by the executions of one process. */
export class ExecutionContext {
  private readonly prepared = new Map<string, PreparedWorkload>();
  private readonly factories = new Map<string, BackendFactory>();
  /**
   * `log`: progress; `cacheLog`: what is wrong with the cache (a corrupt entry, a cache that cannot
   * be written), `log` unless given (a worker thread, silent otherwise, still says those). Whether
   * the cache can be written is checked here, once, before anything runs.
   */
  constructor(
    readonly log: (line: string) => void,
    private readonly cacheLog: (line: string) => void = log,
  ) {
    cacheWritable(cacheLog);
  }

  prepare(workload: string): PreparedWorkload {
    let p = this.prepared.get(workload);
    if (!p) {
      p = getWorkload(workload).prepare(this.log);
      this.prepared.set(workload, p);
    }
    return p;
  }

  /** The execution's result, from the cache when present (`cached` says which). */
  async execute(plan: ExecutionPlan): Promise<{ result: ExecutionResult; cached: boolean }> {
    const prepared = plan.kind === 'image' ? this.prepare(plan.workload) : null;
    const key = plan.kind === 'image' ? executionKey(plan, prepared!) : contentKey(plan, harnessCodeVersion());
    const hit = readExecution(key, this.cacheLog);
    if (hit) return { result: hit, cached: true };
    if (plan.kind !== 'image') {
      const r = plan.kind === 'sequence' ? await executeSequence(plan, this.log) : plan.kind === 'brain' ? executeBrain(plan, this.log) : executeImported(plan);
      const result: ExecutionResult = { key, ...r };
      writeExecution(result, this.cacheLog);
      return { result, cached: false };
    }
    const fKey = `${plan.workload}|${plan.norm}|${plan.calibrationSamples}|${plan.seed}`;
    let factory = this.factories.get(fKey);
    if (!factory) {
      factory = new BackendFactory(prepared!.model, prepared!.train, parseNormMethod(plan.norm), plan.calibrationSamples, plan.seed, prepared!.spiking?.model);
      this.factories.set(fKey, factory);
    }
    const result: ExecutionResult = { key, ...(await executeImagePoint(factory, plan.spec, prepared!.test, plan.samples)) };
    writeExecution(result, this.cacheLog);
    return { result, cached: false };
  }
}
