// `joulebench export --workload W [--nir FILE.nir] [--onnx FILE.onnx] [--data FILE.npz]`: a built-in
// workload's networks and test data in the ecosystem's formats — its SNN (converted from the ANN with
// the run's options, or trained directly) as a NIR graph, its ANN as ONNX, its first test samples as
// an .npz archive (x: float32 [N, …], y: int64 [N]) — so other tools read them, and `run --nir` /
// `run --onnx --inputs` price them as a user's own network and data. Every path is checked before work.
import { CONFIGURATION_DEFAULTS } from '../harness/run-options.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { InputError, rethrowInputError } from '../core/errors.js';
import { convertToSnn, parseNormMethod, type SpikingModel } from '../harness/convert.js';
import { takeRequested, takeSamples } from '../harness/data.js';
import { exportOnnx } from '../harness/onnx/export.js';
import { validateNeuron, type NeuronModel, type NeuronParams, type ResetMode } from '../harness/neurons.js';
import { checkPositiveInt, defaultAlpha, defaultBeta } from '../harness/run-options.js';
import { npzBytes } from '../workloads/datasets/npy.js';
import { checkNirNeuron, snnToNir } from '../workloads/nir/from-snn.js';
import { nirFormatOf } from '../workloads/nir/h5.js';
import { writeNirBytes } from '../workloads/nir/write.js';
import { getWorkload } from '../workloads/registry.js';
import { UsageError } from './errors.js';
import { checkOutputFile } from './output-dir.js';

export interface ExportArgs {
  readonly workload: string;
  readonly nir?: string;
  readonly onnx?: string;
  readonly data?: string;
  /** Test samples in --data. */
  readonly samples: number;
  /** The step the SNN's per-step constants stand for, in seconds (NIR's time unit). */
  readonly dt: number;
  /** NIR format version written. */
  readonly nirVersion: string;
  readonly norm: string;
  readonly calibrationSamples: number;
  readonly neuron: string;
  readonly reset: string;
  readonly beta?: number;
  readonly alpha?: number;
  readonly refractory: number;
  readonly force: boolean;
}

export async function executeExport(a: ExportArgs, log: (line: string) => void): Promise<string[]> {
  if (a.nir === undefined && a.onnx === undefined && a.data === undefined) throw new UsageError('export: give at least one of --nir FILE.nir, --onnx FILE.onnx, --data FILE.npz');
  const workload = (() => {
    try {
      return getWorkload(a.workload);
    } catch (e) {
      rethrowInputError(e, '--workload: ');
    }
  })();
  for (const [option, path] of [['--nir', a.nir], ['--onnx', a.onnx], ['--data', a.data]] as const) if (path !== undefined) checkOutputFile(path, a.force, option);
  if (!(Number.isFinite(a.dt) && a.dt > 0)) throw new UsageError(`--dt must be a finite number > 0 (seconds per step), got ${a.dt}`);
  if (nirFormatOf(a.nirVersion) === undefined) throw new UsageError(`--nir-version: ${a.nirVersion} is not a NIR format joulebench writes; give 0.2.0 or 0.1.1`);
  checkPositiveInt('--samples', a.samples);
  checkPositiveInt('--calibration-samples', a.calibrationSamples);
  const norm = (() => {
    try {
      return parseNormMethod(a.norm);
    } catch (e) {
      rethrowInputError(e, '--norm: ');
    }
  })();
  const model = a.neuron as NeuronModel;
  const neuron: NeuronParams = { model, reset: a.reset as ResetMode, beta: a.beta ?? defaultBeta(model), alpha: a.alpha ?? defaultAlpha(model), refractory: a.refractory };
  try {
    validateNeuron(neuron);
  } catch (e) {
    if (e instanceof InputError && e.problem !== undefined) throw InputError.at({ ...e.problem, field: `--${e.problem.field === 'model' ? 'neuron' : e.problem.field}` });
    throw e;
  }
  if (a.nir !== undefined) {
    try {
      checkNirNeuron(workload.trainedSpiking?.neuron ?? neuron);
    } catch (e) {
      if (e instanceof InputError && e.problem !== undefined) throw InputError.at({ ...e.problem, field: `--${e.problem.field}` });
      throw e;
    }
  }
  const prepared = workload.prepare(log);
  const written: string[] = [];
  if (a.nir !== undefined) {
    let snn: SpikingModel;
    let params: NeuronParams;
    if (prepared.spiking !== undefined) {
      snn = prepared.spiking.model;
      params = prepared.spiking.neuron;
      log(`${workload.id}: its directly trained SNN (${params.model}, reset ${params.reset}, trained at T = ${prepared.spiking.timesteps} with ${prepared.spiking.coding} coding)`);
    } else {
      snn = convertToSnn(prepared.model, takeSamples(prepared.train, a.calibrationSamples), norm);
      params = neuron;
      log(`${workload.id}: the ANN converted to ${params.model} neurons (threshold balancing ${a.norm} on ${Math.min(a.calibrationSamples, prepared.train.count)} training samples), reset ${params.reset}`);
    }
    const graph = snnToNir(snn, params, { dt: a.dt });
    writeFileAtomic(a.nir, await writeNirBytes(graph, a.nirVersion));
    written.push(`${a.nir} (NIR ${a.nirVersion}; run it with: joulebench run --nir ${a.nir} --dt ${a.dt}${params.reset === 'subtract' ? ' --nir-reset subtract' : ''} --inputs …)`);
  }
  if (a.onnx !== undefined) {
    writeFileAtomic(a.onnx, exportOnnx(prepared.model));
    written.push(`${a.onnx} (the ANN as ONNX)`);
  }
  if (a.data !== undefined) {
    const test = takeRequested(prepared.test, a.samples, '--samples', CONFIGURATION_DEFAULTS.samples);
    writeFileAtomic(a.data, npzBytes({
      x: { dtype: 'float32', shape: [test.count, ...prepared.model.inputShape], data: test.inputs },
      y: { dtype: 'int64', shape: [test.count], data: test.labels },
    }));
    written.push(`${a.data} (x: ${test.count} ${test.id} samples [${[test.count, ...prepared.model.inputShape].join(', ')}] float32 in [0, 1], y: their labels)`);
  }
  return written;
}
