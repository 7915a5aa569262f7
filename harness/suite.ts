// Runs one workload on a set of backend configurations and collects predictions' accuracy and
// ledgers. Pure harness: no energy here.
import { InputError } from '../core/errors.js';
import { progressOf } from '../core/progress.js';
import type { Backend, RunHooks } from './backend.js';
import { accuracy, runBackend } from './backend.js';
import { createAnnOrt, onnxRuntimeInstalled } from './backends/ann-ort.js';
import { createAnn } from './backends/ann.js';
import type { QuantizedModel } from './quantize.js';
import { bitsForTimesteps, quantizeModel, validateQuantSpec } from './quantize.js';
import type { Coding, Execution, SnnKernel } from './backends/snn.js';
import { createSnn } from './backends/snn.js';
import type { NormMethod, SpikingModel } from './convert.js';
import { convertToSnn } from './convert.js';
import type { SampleSet } from './data.js';
import { takeSamples } from './data.js';
import type { Ledger } from '../core/ledger.js';
import type { Model } from './model.js';
import type { NeuronParams } from './neurons.js';

export const BACKEND_IDS = ['ann-dense', 'ann-sparse', 'ann-quant', 'snn'] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

export interface SuiteOptions {
  readonly backends: readonly BackendId[];
  readonly timesteps: readonly number[];
  readonly norm: NormMethod;
  /** Training samples used to measure activations for threshold balancing. */
  readonly calibrationSamples: number;
  readonly seed: number;
  readonly neuron: NeuronParams;
  readonly coding: Coding;
  readonly executions: readonly Execution[];
  /** Quantized ANN configurations (ann-quant): weight bits and activation bits, 'T' = ⌈log2(T+1)⌉ for each T. */
  readonly quant: readonly QuantArg[];
  /** Kernel of the dense ANN (default: the reference TypeScript kernels). */
  readonly kernel?: Kernel;
  /** Threads (default 1): the SNN's samples split across worker threads, the onnxruntime ANN's intra-op threads; the same results. */
  readonly threads?: number;
  /** A directly trained SNN to run instead of converting the ANN. */
  readonly trainedSnn?: SpikingModel;
}

export interface QuantArg {
  readonly weightBits: number;
  readonly actBits: number | 'T';
}

/** Parses "w8a8", "w4a4" or "w8aT" (activation bits matched to each T). */
export function parseQuantArg(text: string): QuantArg {
  const m = /^w(\d+)a(\d+|T)$/.exec(text);
  if (!m) throw new InputError(`quantization "${text}" is not of the form w<bits>a<bits> or w<bits>aT (e.g. w8a8, w4a4, w8aT)`);
  const q: QuantArg = { weightBits: Number(m[1]), actBits: m[2] === 'T' ? 'T' : Number(m[2]) };
  validateQuantSpec({ weightBits: q.weightBits, actBits: q.actBits === 'T' ? 1 : q.actBits });
  return q;
}

export interface ConfigurationRun {
  /** e.g. "ann-dense", "snn-if-T16", "snn-lif-T8-event". */
  readonly id: string;
  /** null when the samples have no labels. */
  readonly accuracy: number | null;
  readonly ledger: Ledger;
  /** Wall time of the backend run in ms (goes to the manifest, never to results.json). */
  readonly wallMs: number;
}

/** Configuration id of an SNN run: neuron model, T, and the execution when it is not time-stepped. */
export function snnConfigId(neuron: NeuronParams, T: number, execution: Execution): string {
  return `snn-${neuron.model}-T${T}${execution === 'event-driven' ? '-event' : ''}`;
}

/**
 * `js`: the TypeScript reference kernels everywhere; `onnxruntime`: the dense ANN on onnxruntime;
 * `fast`: the dense ANN on onnxruntime (on the reference kernel where the optional onnxruntime-node is
 * not installed) and the SNN on the WebAssembly kernels where they exist (harness/backends/snn.ts
 * `wasmRuns`). Every kernel gives the same predictions and ledger.
 */
export const KERNELS = ['js', 'onnxruntime', 'fast'] as const;
export type Kernel = (typeof KERNELS)[number];
/** What `run` uses unless told otherwise: the fast kernels (tests hold them to the reference's results). */
export const DEFAULT_KERNEL: Kernel = 'fast';

/** One backend configuration: what `runSuite` runs and a sweep caches. */
export type ConfigurationSpec =
  | { readonly kind: 'ann-dense'; /** onnxruntime instead of the reference TypeScript kernels (same ledger) */ readonly kernel?: 'js' | 'onnxruntime'; readonly threads?: number }
  | { readonly kind: 'ann-sparse' }
  | { readonly kind: 'ann-quant'; readonly weightBits: number; readonly actBits: number; /** the T whose ⌈log2(T+1)⌉ gave actBits */ readonly matchesT?: number }
  | { readonly kind: 'snn'; readonly timesteps: number; readonly neuron: NeuronParams; readonly coding: Coding; readonly execution: Execution; /** the WebAssembly kernels where they exist (same ledger) */ readonly kernel?: SnnKernel; /** worker threads splitting the samples (same ledger) */ readonly threads?: number };

export function configurationId(spec: ConfigurationSpec): string {
  switch (spec.kind) {
    case 'ann-dense':
    case 'ann-sparse':
      return spec.kind;
    case 'ann-quant':
      return `ann-w${spec.weightBits}a${spec.actBits}${spec.matchesT === undefined ? '' : `-T${spec.matchesT}`}`;
    case 'snn':
      return snnConfigId(spec.neuron, spec.timesteps, spec.execution);
  }
}

/** The configurations a suite runs, in order. */
export function expandConfigurations(opts: SuiteOptions): ConfigurationSpec[] {
  const specs: ConfigurationSpec[] = [];
  const kernel = opts.kernel ?? 'js';
  const threads = (opts.threads ?? 1) > 1 ? { threads: opts.threads } : {};
  // `fast` without the optional onnxruntime-node: the dense ANN on the reference kernel (same ledger; params.kernel says which ran)
  const ort = kernel === 'onnxruntime' || (kernel === 'fast' && onnxRuntimeInstalled());
  if (opts.backends.includes('ann-dense')) specs.push(ort ? { kind: 'ann-dense', kernel: 'onnxruntime', ...threads } : { kind: 'ann-dense' });
  if (opts.backends.includes('ann-sparse')) specs.push({ kind: 'ann-sparse' });
  if (opts.backends.includes('ann-quant')) {
    const done = new Set<string>();
    for (const qa of opts.quant) {
      const variants = qa.actBits === 'T' ? opts.timesteps.map((T) => ({ actBits: bitsForTimesteps(T), matchesT: T as number | undefined })) : [{ actBits: qa.actBits, matchesT: undefined }];
      for (const v of variants) {
        const key = `${qa.weightBits}/${v.actBits}`;
        if (done.has(key) && v.matchesT !== undefined) continue; // same bits as a configuration already listed
        done.add(key);
        specs.push({ kind: 'ann-quant', weightBits: qa.weightBits, actBits: v.actBits, ...(v.matchesT === undefined ? {} : { matchesT: v.matchesT }) });
      }
    }
  }
  if (opts.backends.includes('snn')) {
    for (const T of opts.timesteps) {
      for (const execution of opts.executions) specs.push({ kind: 'snn', timesteps: T, neuron: opts.neuron, coding: opts.coding, execution, ...(kernel === 'fast' ? { kernel: 'wasm' as const } : {}), ...threads });
    }
  }
  return specs;
}

/** Builds backends for configurations of one model, converting or quantizing it once per need. */
export class BackendFactory {
  private snn: SpikingModel | null;
  private readonly quantized = new Map<string, QuantizedModel>();
  /**
   * `trainedSnn`: a spiking network trained directly (surrogate gradients); the snn backend then runs
   * it instead of converting `model`.
   */
  constructor(
    private readonly model: Model,
    private readonly train: SampleSet,
    private readonly norm: NormMethod,
    private readonly calibrationSamples: number,
    private readonly seed: number,
    trainedSnn?: SpikingModel,
  ) {
    this.snn = trainedSnn ?? null;
  }

  /** The converted SNN, if one was needed so far. */
  get spikingModel(): SpikingModel | null {
    return this.snn;
  }

  create(spec: ConfigurationSpec): Backend {
    switch (spec.kind) {
      case 'ann-dense':
        return spec.kernel === 'onnxruntime' ? createAnnOrt(this.model, spec.threads === undefined ? {} : { threads: spec.threads }) : createAnn(this.model);
      case 'ann-sparse':
        return createAnn(this.model, { skipZeros: true });
      case 'ann-quant': {
        const key = `${spec.weightBits}/${spec.actBits}`;
        let q = this.quantized.get(key);
        if (!q) {
          q = quantizeModel(this.model, takeSamples(this.train, this.calibrationSamples), { weightBits: spec.weightBits, actBits: spec.actBits }, this.norm);
          this.quantized.set(key, q);
        }
        return createAnn(this.model, { quantized: q });
      }
      case 'snn':
        this.snn ??= convertToSnn(this.model, takeSamples(this.train, this.calibrationSamples), this.norm);
        return createSnn(this.snn, { timesteps: spec.timesteps, seed: this.seed, neuron: spec.neuron, coding: spec.coding, execution: spec.execution, ...(spec.kernel === undefined ? {} : { kernel: spec.kernel }), ...(spec.threads === undefined ? {} : { threads: spec.threads }) });
    }
  }
}

/** Runs one backend on the test set: accuracy, ledger and wall time (`hooks.onProgress` as samples finish). */
export async function runConfiguration(id: string, backend: Backend, test: SampleSet, hooks: RunHooks = {}): Promise<ConfigurationRun> {
  const started = performance.now();
  const r = await runBackend(backend, test, hooks);
  const wallMs = performance.now() - started;
  return { id, accuracy: test.labelled === false ? null : accuracy(r.predictions, test.labels), ledger: r.ledger, wallMs };
}

export async function runSuite(
  model: Model,
  train: SampleSet,
  test: SampleSet,
  opts: SuiteOptions,
  log: (line: string) => void,
): Promise<{ runs: ConfigurationRun[]; snnModel: SpikingModel | null }> {
  const factory = new BackendFactory(model, train, opts.norm, opts.calibrationSamples, opts.seed, opts.trainedSnn);
  const runs: ConfigurationRun[] = [];
  const specs = expandConfigurations(opts);
  const progress = progressOf(log);
  for (const [i, spec] of specs.entries()) {
    const id = configurationId(spec);
    const backend = factory.create(spec);
    // progress per configuration: samples done of the test set, with rate and ETA (the log's renderer decides how it shows)
    const task = progress.task(`[${i + 1}/${specs.length}] ${id}`, test.count, 'samples');
    let run: ConfigurationRun;
    try {
      run = await runConfiguration(id, backend, test, { onProgress: (done) => task.update(done) });
    } finally {
      task.end();
    }
    log(`  ${id.padEnd(18)} accuracy ${run.accuracy === null ? '– (no labels)' : `${(run.accuracy * 100).toFixed(2)}%`}  (${(run.wallMs / 1000).toFixed(1)} s)`);
    runs.push(run);
  }
  return { runs, snnModel: factory.spikingModel };
}
