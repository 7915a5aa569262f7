// CNN (and any dense/conv/pooling chain) workloads on MNIST-format datasets, trained with tfjs'
// autograd (workloads/train/) in a child process, deterministically, and cached like the MLPs.
import type { SampleSet } from '../harness/data.js';
import type { Model } from '../harness/model.js';
import type { DatasetId } from './datasets/idx-images.js';
import type { ClassifierRecipe, TrainContext } from './image-classifier.js';
import { imageClassifierWorkload } from './image-classifier.js';
import type { CachedModel } from './model-cache.js';
import type { LayerSpec } from './train/architecture.js';
import { buildModel, describeArchitecture } from './train/architecture.js';
import type { ClassifierTrainingConfig } from './train/classifier.js';
import type { ClassifierJob, SurrogateJob } from './train/jobs.js';
import { trainInChild } from './train/spawn.js';
import type { Workload } from './workload.js';

/** Bump when the tfjs trainer's arithmetic changes, so cached weights are retrained. */
export const TFJS_TRAINER_VERSION = 1;

/** Runs a job in a child process and returns what it trained (`loadOrTrain` caches it). */
export function trainJobInChild(ctx: TrainContext, job: ClassifierJob | SurrogateJob): CachedModel {
  return trainInChild(job, ctx.log);
}

/** The untrained model of an architecture: what a cached entry's shapes must be. */
export const architectureModel =
  (architecture: readonly LayerSpec[], seed: number) =>
  (cacheId: string, train: SampleSet): Model =>
    buildModel(cacheId, train.shape, architecture, train.classes, seed);

export function cnnRecipe(architecture: readonly LayerSpec[], training: ClassifierTrainingConfig): ClassifierRecipe {
  return {
    config: { architecture, ...training },
    version: TFJS_TRAINER_VERSION,
    architecture: architectureModel(architecture, training.seed),
    summary: (train) => `${describeArchitecture(architecture, train.classes)}, ${epochsText(training, train.count)}, ${training.optimizer}, seed ${training.seed}; tfjs wasm, in a child process`,
    train: (ctx) => trainJobInChild(ctx, { kind: 'classifier', cacheId: ctx.cacheId, key: ctx.key, dataset: ctx.dataset, architecture, training }),
  };
}

export function imageCnnWorkload(id: string, title: string, dataset: DatasetId, architecture: readonly LayerSpec[], training: ClassifierTrainingConfig): Workload {
  return imageClassifierWorkload(id, title, dataset, cnnRecipe(architecture, training));
}

/** "3 epochs", or "3 epochs over the first 20000 images" when training uses a subset. */
export function epochsText(training: { readonly epochs: number; readonly trainSamples?: number }, available: number): string {
  const subset = training.trainSamples !== undefined && training.trainSamples < available ? ` over the first ${training.trainSamples} images` : '';
  return `${training.epochs} epochs${subset}`;
}
