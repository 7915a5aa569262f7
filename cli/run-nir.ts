// `joulebench run --nir FILE.nir --dt SECONDS (--inputs X | --events DIR)`: a user's spiking network
// from a NIR file, on the user's data. Every argument is checked before any work or write; the file is
// read (HDF5), its graph converted (workloads/nir/to-graph.ts), the data read as static inputs held
// over T steps or as frames (T from the data; event folders binned into frames), the study run
// (study/nir.ts) and the run folder written like any run's.
import { CONFIGURATION_DEFAULTS } from '../harness/run-options.js';
import { checkPathText } from '../core/documents.js';
import { InputError } from '../core/errors.js';
import { takeRequested, type SampleSet } from '../harness/data.js';
import type { GraphInput } from '../harness/backends/snn-graph.js';
import { checkPositiveInt, checkSeed, checkTimesteps } from '../harness/run-options.js';
import type { ResultsDoc } from '../reports/results.js';
import { runNirStudy } from '../study/nir.js';
import { samplesFromArrays } from '../workloads/datasets/arrays.js';
import { readEventFolder } from '../workloads/datasets/events.js';
import { readArrayFile, type ArrayRef } from '../workloads/datasets/user-data.js';
import type { NirDiscretizeOptions } from '../workloads/nir/discretize.js';
import { readNirFile } from '../workloads/nir/read.js';
import { nirToGraph } from '../workloads/nir/to-graph.js';
import { parseNormMethod } from '../harness/convert.js';
import { DEFAULT_NEURON } from '../harness/neurons.js';
import type { BackendId } from '../harness/suite.js';
import { loadOnnxFile } from '../workloads/onnx/import.js';
import { UsageError } from './errors.js';
import { checkOutputDir } from './output-dir.js';
import { resolvePricing } from './pairs.js';
import { checkThreads, checkTimestepList, parseKernel, parseQuantList } from './run-checks.js';
import { runManifest, writeRun } from './run-output.js';

export const DISCRETIZATIONS = ['exact', 'euler'] as const;
export const NIR_RESETS = ['to-v-reset', 'subtract'] as const;

/** The options only a NIR run has. */
export interface NirRunOptions {
  /** The NIR file (HDF5 .nir). */
  readonly nir: string;
  /** The step, in the unit of the file's time constants (seconds for snnTorch, Norse, Sinabs exports). */
  readonly dt: number;
  /** exact (default) or euler. */
  readonly discretization: string;
  /** to-v-reset (NIR's, default) or subtract. */
  readonly nirReset: string;
  /** A folder of N-MNIST/N-Caltech101 .bin event files in class subfolders, instead of --inputs. */
  readonly events: string;
  /** Bin width of --events in µs. */
  readonly binUs: number;
  /** Number of bins T of --events. */
  readonly bins: number;
  /** The options the user gave (as `--flag`), so that those a NIR graph decides itself are refused. */
  readonly given: readonly string[];
}

/** The arguments of `run` a NIR run reads. */
export interface NirRunArgs extends Partial<NirRunOptions> {
  readonly nir: string;
  /** The ANN the spiking network replaces, as ONNX: run on the same inputs by the ANN backends and compared. */
  readonly onnx?: string;
  readonly backends?: readonly string[];
  readonly quant?: readonly string[];
  readonly kernel?: string;
  /** Worker threads splitting the samples of each T (the graph engine) and the onnxruntime ANN's intra-op threads. */
  readonly threads?: number;
  readonly calibrationSamples?: number;
  readonly dataset?: string;
  readonly inputs?: string;
  readonly labels?: string;
  readonly timesteps: readonly number[];
  readonly profiles: readonly string[];
  readonly samples: number;
  readonly seed: number;
  readonly out?: string;
  readonly force: boolean;
  readonly pairs?: readonly string[];
  readonly monteCarloSamples?: number;
}

/** Options of `run` that a NIR graph decides itself (its neurons, its coding, its backend). */
const NOT_FOR_NIR: Readonly<Record<string, string>> = {
  '--workload': 'the NIR file is the workload',
  '--dataset': 'a NIR graph runs on your own data: give --inputs X.npy or --events DIR',
  '--neuron': 'the NIR file defines its neurons',
  '--reset': 'the NIR file resets to v_reset; to reset by subtraction give --nir-reset subtract',
  '--beta': 'the NIR file gives τ; --dt sets the decay per step',
  '--alpha': 'the NIR file gives τ_syn; --dt sets the decay per step',
  '--refractory': 'NIR neurons have no refractory period',
  '--coding': 'the inputs are each step\'s input current (static inputs held over T steps, or frames)',
  '--norm': 'a NIR graph is run as trained, not converted',
  '--execution': 'a NIR graph runs time-stepped',
};

/** `FILE` or `FILE.npz:KEY` (an array inside a .npz archive). */
export function arrayRef(field: string, text: string): ArrayRef {
  const m = /^(.*\.npz):([^/\\:]+)$/i.exec(text);
  return m ? { file: m[1], field, key: m[2] } : { file: text, field };
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

function oneOf<T extends string>(option: string, value: string | undefined, known: readonly T[]): T {
  const v = value ?? known[0];
  if (!(known as readonly string[]).includes(v)) throw new UsageError(`${option}: "${v}" is not known; use ${known.join(' or ')}`);
  return v as T;
}

/** Checks every argument of a NIR run (before the file is read); throws one line naming the option. */
export function validateNirArgs(a: NirRunArgs) {
  for (const flag of a.given ?? []) {
    const why = NOT_FOR_NIR[flag];
    if (why !== undefined) throw new UsageError(`${flag}: not with --nir (${why}); drop it`);
  }
  const given = a.given ?? [];
  if (a.onnx === undefined) {
    for (const flag of ['--quant', '--calibration-samples']) {
      if (given.includes(flag)) throw new UsageError(`${flag}: only with --onnx ANN.onnx (the ANN a NIR graph is compared with); drop it, or give the ANN`);
    }
  }
  const backends = a.backends ?? (a.onnx === undefined ? ['snn'] : ['ann-dense', 'snn']);
  if (!backends.includes('snn')) throw new UsageError('--backend: a NIR run includes snn (the NIR graph); add it');
  const annBackends = backends.filter((b) => b !== 'snn');
  if (annBackends.length > 0 && a.onnx === undefined) throw new UsageError(`--backend ${annBackends[0]}: an ANN backend needs the ANN: give --onnx ANN.onnx (run on the same inputs and compared with the NIR graph)`);
  if (a.onnx !== undefined && annBackends.length === 0) throw new UsageError('--onnx: give an ANN backend to run it on (e.g. -b ann-dense snn)');
  if (a.onnx !== undefined && a.events !== undefined) throw new UsageError('--onnx: an ANN takes static inputs, an --events folder gives frames; give --inputs with static [N, …] arrays to compare the two');
  if (a.onnx !== undefined) checkPathText(a.onnx, '--onnx');
  if (a.dataset !== undefined) throw new UsageError(`--dataset: not with --nir (${NOT_FOR_NIR['--dataset']}); drop it`);
  checkPathText(a.nir, '--nir');
  if (a.dt === undefined) throw new UsageError('--dt: a NIR graph needs the simulation step, in the unit of its time constants (seconds for snnTorch, Norse and Sinabs exports), e.g. --dt 0.001');
  if (!(Number.isFinite(a.dt) && a.dt > 0)) throw new UsageError(`--dt must be a finite number > 0 (the step in the unit of the file's τ), got ${a.dt}`);
  const discretization: NirDiscretizeOptions = {
    discretization: oneOf('--discretization', a.discretization, DISCRETIZATIONS),
    reset: oneOf('--nir-reset', a.nirReset, NIR_RESETS),
    file: a.nir,
  };
  if (a.inputs === undefined && a.events === undefined) throw new UsageError('--inputs: a NIR graph runs on your data: give --inputs X.npy ([N, …input] held over T steps, or frames [N, T, …input]) or --events DIR (N-MNIST .bin files in class folders)');
  if (a.inputs !== undefined && a.events !== undefined) throw new UsageError('--inputs and --events are alternatives: give one');
  if (a.labels !== undefined && a.inputs === undefined) throw new UsageError('--labels: only with --inputs (an --events folder names the classes by its subfolders)');
  if (a.events === undefined && (a.binUs !== undefined || a.bins !== undefined)) throw new UsageError(`${a.binUs !== undefined ? '--bin-us' : '--bins'}: only with --events (the binning of event files)`);
  if (a.events !== undefined) {
    checkPathText(a.events, '--events');
    if (a.binUs === undefined && a.bins === undefined) throw new UsageError('--bin-us: give the bin width of the events in µs (e.g. --bin-us 1000), --bins T, or both');
    if (a.binUs !== undefined) checkPositiveInt('--bin-us', a.binUs);
    if (a.bins !== undefined) checkPositiveInt('--bins', a.bins);
  }
  if (a.inputs !== undefined) checkPathText(a.inputs, '--inputs');
  if (a.labels !== undefined) checkPathText(a.labels, '--labels');
  checkTimestepList(a.timesteps);
  checkPositiveInt('--samples', a.samples);
  checkSeed('--seed', a.seed);
  const pricing = resolvePricing(a);
  const quant = parseQuantList(a.quant ?? [], annBackends.includes('ann-quant'));
  const kernel = parseKernel(a.kernel);
  checkThreads(a.threads);
  if (a.calibrationSamples !== undefined) checkPositiveInt('--calibration-samples', a.calibrationSamples);
  // the ANN is read now, so a bad file stops before the NIR file and the data are read
  const ann = a.onnx === undefined ? null : { model: loadOnnxFile(a.onnx), backends: annBackends as BackendId[], quant, kernel };
  const out = a.out === undefined ? null : checkOutputDir(a.out, a.force);
  return { dt: a.dt, discretization, ...pricing, ann, kernel, out };
}

/** The user's samples as the graph takes them: static [N, …input] or frames [N, T, …input]. */
function loadNirSamples(a: NirRunArgs, inputShape: readonly number[]): { set: SampleSet; input: GraphInput; data: Record<string, unknown> } {
  if (a.events !== undefined) {
    if (inputShape.length !== 3 || inputShape[0] !== 2) {
      throw InputError.at({ file: a.nir, field: 'Input', problem: `the graph's input is ${shapeText(inputShape)}, and event frames are [2, H, W] (two polarities)`, fix: 'give --inputs with arrays of the graph\'s input shape' });
    }
    const { set, description } = readEventFolder(a.events, { ...(a.binUs === undefined ? {} : { binUs: a.binUs }), ...(a.bins === undefined ? {} : { bins: a.bins }), sensor: { width: inputShape[2], height: inputShape[1] } });
    const { layout: _layout, ...rest } = description;
    return { set, input: 'frames', data: { events: a.events, ...rest, timesteps: description.layout.kind === 'frames' ? description.layout.timesteps : 0 } };
  }
  const inputs = arrayRef('--inputs', a.inputs!);
  const x = readArrayFile(inputs);
  const y = a.labels === undefined ? undefined : readArrayFile(arrayRef('--labels', a.labels));
  let layout: 'static' | 'frames';
  let array = x;
  if (sameShape(x.dims.slice(1), inputShape)) layout = 'static';
  else if (sameShape(x.dims.slice(2), inputShape)) layout = 'frames';
  else if (x.dims.length >= 2 && size(x.dims.slice(1)) === size(inputShape)) {
    // the same values in another sample shape (an image [1, 28, 28] for a flat Input [784]): row-major order is kept
    layout = 'static';
    array = { ...x, dims: [x.dims[0], ...inputShape] };
  } else {
    throw InputError.at({ file: x.source, field: 'shape', problem: `is ${shapeText(x.dims)}, and the NIR graph's Input takes ${shapeText(inputShape)}`,
      fix: `give [N, ${inputShape.join(', ')}] (static inputs, held over T steps; any sample shape of ${size(inputShape)} values) or [N, T, ${inputShape.join(', ')}] (frames, one per step)` });
  }
  const { set, description } = samplesFromArrays(array, y, { id: inputs.key === undefined ? inputs.file : `${inputs.file}:${inputs.key}`, layout });
  return { set, input: layout === 'static' ? 'direct' : 'frames', data: { inputs: a.inputs, ...(a.labels === undefined ? {} : { labels: a.labels }), ...description } };
}

export async function executeNirRun(a: NirRunArgs, log: (line: string) => void): Promise<{ doc: ResultsDoc; out: string; summary: string }> {
  if (a.out === undefined) throw new UsageError('--out: an output directory is required');
  const { doc, manifest, out } = await computeNirRun(a, log);
  return { doc, out: out!, summary: writeRun(out!, doc, manifest, a.force) };
}

/** Checks the arguments, reads the file and the data, runs and prices the graph; nothing is written. */
export async function computeNirRun(a: NirRunArgs, log: (line: string) => void): Promise<{ doc: ResultsDoc; manifest: Record<string, unknown>; out: string | null }> {
  const v = validateNirArgs(a);
  const started = new Date();
  const t0 = performance.now();
  const file = await readNirFile(a.nir);
  const net = nirToGraph(file, v.dt, { ...v.discretization, id: 'nir' });
  const { set, input, data } = loadNirSamples(a, net.graph.inputShape);
  let timesteps = a.timesteps;
  if (input === 'frames') {
    const T = set.shape[0];
    if ((a.given ?? []).includes('--timesteps') && !(a.timesteps.length === 1 && a.timesteps[0] === T)) {
      throw new UsageError(`--timesteps: the frames give T = ${T}; drop --timesteps (or give ${T})`);
    }
    checkTimesteps('frames (T)', T);
    timesteps = [T];
  }
  const samples = takeRequested(set, a.samples, '--samples', CONFIGURATION_DEFAULTS.samples);
  if (v.ann !== null) {
    if (input !== 'direct') throw new UsageError(`--onnx: an ANN takes static inputs; ${a.inputs} holds frames [N, T, …]; give static [N, …] inputs to compare the two`);
    const annSize = v.ann.model.inputShape.reduce((x, y) => x * y, 1);
    if (annSize !== size(samples.shape)) {
      throw new UsageError(`--onnx ${a.onnx}: the ANN takes [${v.ann.model.inputShape.join(', ')}] (${annSize} values), the NIR graph's samples are [${samples.shape.join(', ')}]; give the ANN the spiking network replaces, on the same inputs`);
    }
  }
  const { doc, timingsMs } = await runNirStudy({
    source: { file: a.nir, version: file.version, dt: v.dt },
    kernel: v.kernel === 'fast' ? 'wasm' : 'js',
    ...(a.threads === undefined ? {} : { threads: a.threads }),
    net,
    samples,
    input,
    timesteps,
    seed: a.seed,
    profiles: v.profiles,
    ...(v.pairs ? { pairs: v.pairs } : {}),
    ...(a.monteCarloSamples === undefined ? {} : { monteCarloSamples: a.monteCarloSamples }),
    data,
    ...(v.ann === null ? {} : {
      ann: {
        file: a.onnx!, model: v.ann.model,
        suite: { backends: v.ann.backends, timesteps, norm: parseNormMethod('max'), calibrationSamples: a.calibrationSamples ?? samples.count, seed: a.seed, neuron: DEFAULT_NEURON, coding: 'direct', executions: ['time-stepped'], quant: v.ann.quant, kernel: v.ann.kernel, ...(a.threads === undefined ? {} : { threads: a.threads }) },
      },
    }),
  }, log);
  const manifest = runManifest(a, started, { seeds: { run: a.seed }, timingsMs: { ...timingsMs, total: Math.round(performance.now() - t0) } });
  return { doc, manifest, out: v.out };
}
