// Image-classification workloads on MNIST-format datasets whose weights joulebench trains itself,
// deterministically, once per machine: the shared caching logic of every trained workload (MLP,
// CNNs, surrogate-gradient SNNs). A recipe says what determines the weights and how to train them.
import type { SampleSet } from '../harness/data.js';
import type { Model } from '../harness/model.js';
import { cacheWritable } from '../core/verified-cache.js';
import type { DatasetId } from './datasets/idx-images.js';
import { loadImageDataset } from './datasets/idx-images.js';
import { cacheKey, readCachedModel, writeCachedModel } from './model-cache.js';
import type { PreparedWorkload, Workload } from './workload.js';

export interface TrainContext {
  /** Cache id of the model (its `id`, and the cache file's name). */
  readonly cacheId: string;
  readonly key: string;
  readonly dataset: DatasetId;
  readonly train: SampleSet;
  readonly test: SampleSet;
  readonly log: (line: string) => void;
}

export interface ClassifierRecipe {
  /** Everything besides the data that determines the weights: hashed into the cache key. */
  readonly config: object;
  /** Bumped when the trainer's arithmetic changes, so cached weights are retrained. */
  readonly version: number;
  /** What the log says is being trained, e.g. "784-256-10, 2 epochs, seed 1". */
  readonly summary: (train: SampleSet) => string;
  /** The untrained model (id = cacheId): the layers and shapes a cached entry must have. */
  architecture(cacheId: string, train: SampleSet): Model;
  /**
   * Trains the model (id = ctx.cacheId) and returns it with its training record (deterministic values
   * only: it goes into results.json); `loadOrTrain` caches it.
   */
  train(ctx: TrainContext): { model: Model; info: Record<string, unknown> };
}

export interface LoadedModel {
  readonly model: Model;
  readonly info: Record<string, unknown>;
  readonly key: string;
  readonly fromCache: boolean;
  readonly train: SampleSet;
  readonly test: SampleSet;
}

/** The recipe's model from the machine cache, trained (and cached) first when missing. */
export function loadOrTrain(cacheId: string, dataset: DatasetId, recipe: ClassifierRecipe, log: (line: string) => void): LoadedModel {
  const train = loadImageDataset(dataset, 'train');
  const test = loadImageDataset(dataset, 'test');
  const inputs = train.inputs.length / train.count;
  // The key's fields and their order are those of the first MLP workloads, so their caches stay valid.
  const key = cacheKey({ id: cacheId, dataset, cfg: recipe.config, TRAINER_VERSION: recipe.version, train: train.count, test: test.count, inputs, bytes: checksum(train.inputs) });
  const cached = readCachedModel(cacheId, key, log, recipe.architecture(cacheId, train));
  if (cached) return { model: cached.model, info: cached.info, key, fromCache: true, train, test };
  log(`training ${cacheId} (${recipe.summary(train)}) on ${train.count} ${dataset} images; ${cacheWritable(log) ? 'cached after this run' : 'not cached'}`);
  const { model, info } = recipe.train({ cacheId, key, dataset, train, test, log });
  writeCachedModel(key, model, info, log);
  return { model, info, key, fromCache: false, train, test };
}

/** A classification workload on one of the image datasets, prepared by `prepare`. */
export function imageWorkload(id: string, title: string, dataset: DatasetId, prepare: (log: (line: string) => void) => PreparedWorkload): Workload {
  return { id, title, dataset, task: 'classification', metric: 'accuracy', snnCoding: 'rate', prepare };
}

/** A workload whose ANN is trained by the recipe. */
export function imageClassifierWorkload(id: string, title: string, dataset: DatasetId, recipe: ClassifierRecipe): Workload {
  return imageWorkload(id, title, dataset, (log) => {
    const m = loadOrTrain(id, dataset, recipe, log);
    return { model: m.model, train: m.train, test: m.test, training: { ...recipe.config, ...m.info, cacheKey: m.key, fromCache: m.fromCache } };
  });
}

/** A cheap content fingerprint of the training inputs (sum of every 97th value, in order). */
function checksum(values: Float32Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i += 97) s = (s * 31 + Math.round(values[i] * 255)) % 2147483647;
  return s;
}
