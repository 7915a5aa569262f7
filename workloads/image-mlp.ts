// MLP workloads on MNIST-format image datasets, trained deterministically by joulebench itself.
import { validateModelShapes } from '../harness/layers.js';
import type { DatasetId } from './datasets/idx-images.js';
import { loadImageDataset } from './datasets/idx-images.js';
import { cacheKey, readCachedModel, writeCachedModel } from './model-cache.js';
import type { MlpTrainingConfig } from './train-mlp.js';
import { initMlp, mlpAccuracy, trainMlp } from './train-mlp.js';
import type { PreparedWorkload, Workload } from './workload.js';

/** Bump when the trainer's arithmetic changes, so cached weights are retrained. */
const TRAINER_VERSION = 1;

export function imageMlpWorkload(id: string, title: string, dataset: DatasetId, cfg: MlpTrainingConfig): Workload {
  return {
    id,
    title,
    dataset,
    task: 'classification',
    metric: 'accuracy',
    snnCoding: 'rate',
    prepare(log): PreparedWorkload {
      const train = loadImageDataset(dataset, 'train');
      const test = loadImageDataset(dataset, 'test');
      const inputs = train.inputs.length / train.count;
      const key = cacheKey({ id, dataset, cfg, TRAINER_VERSION, train: train.count, test: test.count, inputs, bytes: checksum(train.inputs) });
      const cached = readCachedModel(id, key);
      if (cached) {
        validateModelShapes(cached.model.inputShape, cached.model.layers);
        return { model: cached.model, train, test, training: { ...cfg, ...cached.info, cacheKey: key, fromCache: true } };
      }
      log(`training ${id} (${[inputs, ...cfg.hidden, train.classes].join('-')}, ${cfg.epochs} epochs, seed ${cfg.seed}) on ${train.count} ${dataset} images; cached after this run`);
      const model = initMlp(id, inputs, cfg.hidden, train.classes, cfg.seed);
      const started = Date.now();
      const result = trainMlp(model, train, cfg, (epoch, loss) => log(`  epoch ${epoch}/${cfg.epochs}: loss ${loss.toFixed(4)}`));
      const info = { epochLoss: result.epochLoss, trainAccuracy: result.trainAccuracy, testAccuracy: mlpAccuracy(model, test) };
      log(`  trained in ${((Date.now() - started) / 1000).toFixed(1)} s: train accuracy ${(result.trainAccuracy * 100).toFixed(2)}%`);
      writeCachedModel(key, model, info);
      return { model, train, test, training: { ...cfg, ...info, cacheKey: key, fromCache: false } };
    },
  };
}

/** A cheap content fingerprint of the training inputs (sum of every 97th value, in order). */
function checksum(values: Float32Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i += 97) s = (s * 31 + Math.round(values[i] * 255)) % 2147483647;
  return s;
}

