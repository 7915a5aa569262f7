// `joulebench run`: workload → backends (ledgers) → cost models → results → report, written as one
// run folder: results.json (deterministic), energy.csv, report.html, manifest.json (time, host, timings).
import type { HardwareProfile } from '../cost-models/profile.js';
import { parseNormMethod } from '../harness/convert.js';
import type { NormMethod } from '../harness/convert.js';
import type { Coding, Execution } from '../harness/backends/snn.js';
import { CODINGS, EXECUTIONS } from '../harness/backends/snn.js';
import type { NeuronModel, NeuronParams, ResetMode } from '../harness/neurons.js';
import { validateNeuron } from '../harness/neurons.js';
import { checkAlphaNeuron, checkPositiveInt, checkSeed, checkTrainedSpiking, defaultAlpha, defaultBeta } from '../harness/run-options.js';
import type { BackendId } from '../harness/suite.js';
import type { Kernel, QuantArg } from '../harness/suite.js';
import { onnxRuntimeInstalled } from '../harness/backends/ann-ort.js';
import type { ResultsDoc } from '../reports/results.js';
import { runImageStudy } from '../study/image.js';
import { getWorkload } from '../workloads/registry.js';
import type { DatasetId } from '../workloads/datasets/idx-images.js';
import { DATASET_IDS } from '../workloads/datasets/idx-images.js';
import { loadOnnxFile } from '../workloads/onnx/import.js';
import { onnxUserWorkload, onnxWorkload } from '../workloads/onnx/workload.js';
import type { ArrayRef } from '../workloads/datasets/user-data.js';
import { checkPathText } from '../core/documents.js';
import type { Workload } from '../workloads/workload.js';
import { InputError, rethrowInputError } from '../core/errors.js';
import { UsageError } from './errors.js';
import { resolvePricing } from './pairs.js';
import { checkOutputDir } from './output-dir.js';
import { checkThreads, checkTimestepList, parseKernel, parseQuantList } from './run-checks.js';
import { runManifest, writeRun } from './run-output.js';
import { arrayRef, executeNirRun, type NirRunOptions } from './run-nir.js';

/** The built-in default suite: what `joulebench run` does with no options. */
export { DEFAULT_SUITE } from './defaults.js';

export interface RunArgs extends Partial<NirRunOptions> {
  readonly workload: string;
  /** A user's ONNX model to run instead of a built-in workload, on `dataset`. */
  readonly onnx?: string;
  readonly dataset?: string;
  /** A user's inputs for an --onnx model (.npy, .npz as FILE.npz:KEY, or IDX), instead of `dataset`. */
  readonly inputs?: string;
  /** Their labels (same formats); without them no accuracy is measured. */
  readonly labels?: string;
  readonly backends: readonly BackendId[];
  readonly timesteps: readonly number[];
  readonly profiles: readonly string[];
  readonly samples: number;
  readonly norm: string;
  readonly calibrationSamples: number;
  readonly seed: number;
  /** Neuron model of the SNN backend: if, lif or cuba. */
  readonly neuron: string;
  readonly reset: string;
  /** Membrane decay β; default 1 for IF, 0.9 for LIF and CUBA. */
  readonly beta?: number;
  /** Current decay α (CUBA); default 0.5. */
  readonly alpha?: number;
  readonly refractory: number;
  /** Input coding; the workload's default when omitted. */
  readonly coding?: string;
  readonly executions: readonly string[];
  /** Quantized ANN configurations, e.g. w8a8, w4a4, w8aT. */
  readonly quant: readonly string[];
  /** Kernels: fast (default: the ANN on onnxruntime, the SNN on WebAssembly), onnxruntime (the ANN only) or js (the reference). */
  readonly kernel?: string;
  /** Threads: the SNN's samples across worker threads, the onnxruntime ANN's intra-op threads (default 1). */
  readonly threads?: number;
  /** Output directory; omitted when results are only computed (e.g. by `joulebench check`). */
  readonly out?: string;
  readonly force: boolean;
  readonly quiet: boolean;
  /** (SNN profile):(ANN profile) pairs for break-even and uncertainty; default: the pairing rule of reports/results.ts. */
  readonly pairs?: readonly string[];
  /** Monte Carlo samples per total and pair (default 1000; 0: bounds only). */
  readonly monteCarloSamples?: number;
}

export interface Validated {
  readonly workload: Workload;
  readonly profiles: HardwareProfile[];
  readonly norm: NormMethod;
  readonly neuron: NeuronParams;
  readonly coding: Coding;
  readonly executions: Execution[];
  readonly quant: QuantArg[];
  readonly kernel: Kernel;
  readonly out: string | null;
  readonly pairs?: [string, string][];
}

function positiveInt(name: string, v: number): void {
  checkPositiveInt(`--${name}`, v); // shared with sweep keys (harness/run-options.ts)
}


/** A run option as the user writes it. */
const OPTION = (key: string): string => `--${key}`;

/** Validates every argument before any work or any write. */
export function validateRunArgs(a: RunArgs): Validated {
  let workload: Workload;
  if (a.labels !== undefined && a.inputs === undefined) throw new UsageError('--labels: only with --inputs (the labels of your own inputs)');
  if (a.inputs !== undefined && a.onnx === undefined) throw new UsageError('--inputs: only with --onnx or --nir (built-in workloads bring their own data); give --onnx MODEL.onnx --inputs X.npy');
  if (a.inputs !== undefined && a.dataset !== undefined) throw new UsageError('--dataset and --inputs are alternatives: give one');
  if (a.onnx !== undefined && a.inputs !== undefined) {
    checkPathText(a.inputs, '--inputs');
    if (a.labels !== undefined) checkPathText(a.labels, '--labels');
    const model = loadOnnxFile(a.onnx);
    if (a.backends.includes('snn')) {
      const maxpool = model.layers.find((l) => l.kind === 'maxpool2d');
      if (maxpool) throw new UsageError(`--onnx ${a.onnx}: layer ${maxpool.name} is max pooling, which has no spiking form; run the ANN backends only (-b ann-dense ann-sparse ann-quant) or re-export the model with average pooling`);
    }
    workload = onnxUserWorkload(a.onnx, arrayRef('--inputs', a.inputs), a.labels === undefined ? undefined : arrayRef('--labels', a.labels));
  } else if (a.onnx !== undefined) {
    const dataset = a.dataset ?? 'mnist';
    if (!(DATASET_IDS as readonly string[]).includes(dataset)) throw new UsageError(`--dataset: "${dataset}" is not known; use ${DATASET_IDS.join(' or ')}`);
    // Import now, so a bad file or an unconvertible model stops before any work.
    const model = loadOnnxFile(a.onnx);
    if (a.backends.includes('snn')) {
      const maxpool = model.layers.find((l) => l.kind === 'maxpool2d');
      if (maxpool) throw new UsageError(`--onnx ${a.onnx}: layer ${maxpool.name} is max pooling, which has no spiking form; run the ANN backends only (-b ann-dense ann-sparse ann-quant) or re-export the model with average pooling`);
    }
    workload = onnxWorkload(a.onnx, dataset as DatasetId);
  } else {
    if (a.dataset !== undefined) throw new UsageError('--dataset: only with --onnx (built-in workloads name their dataset)');
    try {
      workload = getWorkload(a.workload);
    } catch (e) {
      // the registry's InputError names the field `workload`; here it is the option
      if (e instanceof InputError && e.problem !== undefined) throw InputError.at({ ...e.problem, field: '--workload' });
      rethrowInputError(e, '--workload: ');
    }
  }
  if (a.backends.length === 0) throw new UsageError('--backend: give at least one backend (ann-dense, snn)');
  checkTimestepList(a.timesteps);
  positiveInt('samples', a.samples);
  positiveInt('calibration-samples', a.calibrationSamples);
  checkSeed('--seed', a.seed);
  const { profiles, pairs } = resolvePricing(a);
  let norm: NormMethod;
  try {
    norm = parseNormMethod(a.norm);
  } catch (e) {
    rethrowInputError(e, '--norm: ');
  }
  const model = a.neuron as NeuronModel;
  const neuron: NeuronParams = {
    model,
    reset: a.reset as ResetMode,
    beta: a.beta ?? defaultBeta(model),
    alpha: a.alpha ?? defaultAlpha(model),
    refractory: a.refractory,
  };
  try {
    validateNeuron(neuron);
  } catch (e) {
    // validateNeuron names the parameter (field); the option that set it is --<field>, --neuron for the model
    if (e instanceof InputError && e.problem !== undefined) throw InputError.at({ ...e.problem, field: `--${e.problem.field === 'model' ? 'neuron' : e.problem.field}` });
    throw e;
  }
  checkAlphaNeuron(OPTION, a.alpha, model);
  const coding = (a.coding ?? workload.snnCoding) as Coding;
  if (!CODINGS.includes(coding)) throw new UsageError(`--coding: "${coding}" is not known; use ${CODINGS.join(', ')}`);
  if (workload.trainedSpiking !== undefined) checkTrainedSpiking(OPTION, workload.id, workload.trainedSpiking, neuron, a.coding);
  if (a.executions.length === 0) throw new UsageError(`--execution: give at least one of ${EXECUTIONS.join(', ')}`);
  for (const e of a.executions) {
    if (!(EXECUTIONS as readonly string[]).includes(e)) throw new UsageError(`--execution: "${e}" is not known; use ${EXECUTIONS.join(' or ')}`);
  }
  if (new Set(a.executions).size !== a.executions.length) throw new UsageError('--execution: values repeat; give each once');
  const quant = parseQuantList(a.quant, a.backends.includes('ann-quant'));
  const kernel = parseKernel(a.kernel);
  checkThreads(a.threads);
  const out = a.out === undefined ? null : checkOutputDir(a.out, a.force);
  return { workload, profiles, norm, neuron, coding, executions: a.executions as Execution[], quant, kernel, out, ...(pairs ? { pairs } : {}) };
}

/** Runs the validated configuration and builds its results document and manifest (nothing is written). */
export async function computeRun(a: RunArgs, v: Validated, log: (line: string) => void): Promise<{ doc: ResultsDoc; manifest: Record<string, unknown> }> {
  const started = new Date();
  const t0 = performance.now();
  if (v.kernel === 'fast' && a.backends.includes('ann-dense') && !onnxRuntimeInstalled()) log('onnxruntime-node (optional) is not installed: the dense ANN runs on the TypeScript kernel (the same ledger, slower)');
  const { doc, training, timingsMs } = await runImageStudy(
    {
      workload: v.workload,
      samples: a.samples,
      seed: a.seed,
      suite: { backends: a.backends, timesteps: a.timesteps, norm: v.norm, calibrationSamples: a.calibrationSamples, seed: a.seed, neuron: v.neuron, coding: v.coding, executions: v.executions, quant: v.quant, kernel: v.kernel, ...(a.threads === undefined ? {} : { threads: a.threads }) },
      profiles: v.profiles,
      ...(v.pairs ? { pairs: v.pairs } : {}),
      ...(a.monteCarloSamples === undefined ? {} : { monteCarloSamples: a.monteCarloSamples }),
    },
    log,
  );
  const manifest = runManifest(a, started, {
    seeds: { run: a.seed, training: training.seed },
    training: { fromCache: training.fromCache, cacheKey: training.cacheKey },
    timingsMs: { ...timingsMs, total: Math.round(performance.now() - t0) },
  });
  return { doc, manifest };
}

export async function executeRun(a: RunArgs, log: (line: string) => void): Promise<{ doc: ResultsDoc; out: string; summary: string }> {
  if (a.out === undefined) throw new UsageError('--out: an output directory is required');
  if (a.nir !== undefined) return executeNirRun({ ...a, nir: a.nir }, log);
  const v = validateRunArgs(a);
  const { doc, manifest } = await computeRun(a, v, log);
  const out = v.out!;
  return { doc, out, summary: writeRun(out, doc, manifest, a.force) };
}
