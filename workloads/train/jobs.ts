// Training jobs: everything one training run needs, as plain JSON data, so that a workload can hand
// it to a child process (spawn.ts) and tests can run it in-process. A job trains and evaluates with
// our own kernels; the child hands the result to its parent, which caches it under the job's key.
import { createSnn } from '../../harness/backends/snn.js';
import { modelAccuracy } from '../../harness/forward.js';
import type { Model } from '../../harness/model.js';
import type { DatasetId } from '../datasets/idx-images.js';
import { loadImageDataset } from '../datasets/idx-images.js';
import type { LayerSpec } from './architecture.js';
import { buildModel } from './architecture.js';
import type { ClassifierTrainingConfig } from './classifier.js';
import { accuracyOf, tfPredict, trainClassifier } from './classifier.js';
import { neuronParams, toSpikingModel } from './spiking-model.js';
import type { SurrogateTrainingConfig } from './surrogate.js';
import { surrogatePredict, trainSurrogate } from './surrogate.js';
import { loadTf } from './tf.js';
import type { ProgressMode } from '../../core/progress.js';

interface JobBase {
  /** The cached model's id (also its cache file name). */
  readonly cacheId: string;
  /** The cache key the parent stores the result under (the child's hand-over carries it as a check). */
  readonly key: string;
  readonly dataset: DatasetId;
  /** Layers before the read-out (a dense layer with one unit per class). */
  readonly architecture: readonly LayerSpec[];
}

export interface ClassifierJob extends JobBase {
  readonly kind: 'classifier';
  readonly training: ClassifierTrainingConfig;
}

export interface SurrogateJob extends JobBase {
  readonly kind: 'surrogate';
  readonly training: SurrogateTrainingConfig;
  /** Input-coder seed of the test-set evaluation (the snn backend's `seed`). */
  readonly evalSeed: number;
}

/** A job as handed to the child: `progress` set when it draws its progress live on file descriptor 4 (the parent's stderr). */
export type TrainingJob = (ClassifierJob | SurrogateJob) & { readonly progress?: ProgressMode };

export interface JobResult {
  readonly model: Model;
  /** The training record stored with the weights (deterministic: no timings). */
  readonly info: Record<string, unknown>;
}

/** Trains and evaluates; logs progress and the wall time. */
export async function runJob(job: TrainingJob, log: (line: string) => void): Promise<JobResult> {
  const tf = await loadTf('wasm');
  const train = loadImageDataset(job.dataset, 'train');
  const test = loadImageDataset(job.dataset, 'test');
  const initial = buildModel(job.cacheId, train.shape, job.architecture, train.classes, job.training.seed);
  const started = Date.now();
  let result: JobResult;
  if (job.kind === 'classifier') {
    const trained = await trainClassifier(tf, initial, train, job.training, log);
    const seconds = (Date.now() - started) / 1000;
    // Our kernels' accuracy is the workload's; tfjs' own is kept beside it as a check of the export.
    const testAccuracy = modelAccuracy(trained.model, test);
    const tfTestAccuracy = accuracyOf(tfPredict(tf, trained.model, test), test.labels);
    log(`  trained in ${seconds.toFixed(1)} s: test accuracy ${(testAccuracy * 100).toFixed(2)}% (tfjs: ${(tfTestAccuracy * 100).toFixed(2)}%)`);
    result = { model: trained.model, info: { epochLoss: trained.epochLoss, testAccuracy, tfTestAccuracy } };
  } else {
    const cfg = job.training;
    const trained = await trainSurrogate(tf, initial, train, cfg, log);
    const seconds = (Date.now() - started) / 1000;
    const snn = createSnn(toSpikingModel(trained.model, cfg.threshold), { timesteps: cfg.timesteps, seed: job.evalSeed, coding: cfg.coding, neuron: neuronParams(cfg.neuron) });
    const testAccuracy = accuracyOf(snn.run(test).predictions, test.labels);
    const trainerTestAccuracy = accuracyOf(surrogatePredict(tf, trained.model, test, cfg, job.evalSeed), test.labels);
    log(`  trained in ${seconds.toFixed(1)} s: test accuracy at T = ${cfg.timesteps} ${(testAccuracy * 100).toFixed(2)}% (trainer: ${(trainerTestAccuracy * 100).toFixed(2)}%)`);
    result = { model: trained.model, info: { epochLoss: trained.epochLoss, testAccuracy, trainerTestAccuracy, evalSeed: job.evalSeed } };
  }
  return result;
}
