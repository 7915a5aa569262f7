// CNN (and any dense/conv/pooling chain) workloads on MNIST-format datasets, trained with tfjs'
// autograd (workloads/train/) in a child process, deterministically, and cached like the MLPs.
import type { Model } from '../harness/model.js';
import type { DatasetId } from './datasets/idx-images.js';
import type { ClassifierRecipe, TrainContext } from './image-classifier.js';
import { imageClassifierWorkload } from './image-classifier.js';
import { readCachedModel } from './model-cache.js';
import type { LayerSpec } from './train/architecture.js';
import { describeArchitecture } from './train/architecture.js';
import type { ClassifierTrainingConfig } from './train/classifier.js';
import type { ClassifierJob, SurrogateJob } from './train/jobs.js';
import { trainInChild } from './train/spawn.js';
import type { Workload } from './workload.js';

/** Bump when the tfjs trainer's arithmetic changes, so cached weights are retrained. */
export const TFJS_TRAINER_VERSION = 1;

/** Runs a job in a child process and reads back what it cached. */
export function trainJobInChild(ctx: TrainContext, job: ClassifierJob | SurrogateJob): { model: Model; info: Record<string, unknown> } {
  trainInChild(job, ctx.log);
  const trained = readCachedModel(ctx.cacheId, ctx.key);
  if (!trained) throw new Error(`training ${ctx.cacheId}: the trainer finished but left no readable cache entry`);
  return trained;
}

export function cnnRecipe(architecture: readonly LayerSpec[], training: ClassifierTrainingConfig): ClassifierRecipe {
  return {
    config: { architecture, ...training },
    version: TFJS_TRAINER_VERSION,
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
