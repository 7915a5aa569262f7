// MLP workloads on MNIST-format image datasets, trained by joulebench's own deterministic SGD
// (train-mlp.ts, plain TypeScript, no library).
import type { DatasetId } from './datasets/idx-images.js';
import type { ClassifierRecipe } from './image-classifier.js';
import { imageClassifierWorkload } from './image-classifier.js';
import { writeCachedModel } from './model-cache.js';
import type { MlpTrainingConfig } from './train-mlp.js';
import { initMlp, mlpAccuracy, trainMlp } from './train-mlp.js';
import type { Workload } from './workload.js';

/** Bump when the trainer's arithmetic changes, so cached weights are retrained. */
const TRAINER_VERSION = 1;

export function mlpRecipe(cfg: MlpTrainingConfig): ClassifierRecipe {
  return {
    config: cfg,
    version: TRAINER_VERSION,
    summary: (train) => `${[train.inputs.length / train.count, ...cfg.hidden, train.classes].join('-')}, ${cfg.epochs} epochs, seed ${cfg.seed}`,
    train({ cacheId, key, train, test, log }) {
      const model = initMlp(cacheId, train.inputs.length / train.count, cfg.hidden, train.classes, cfg.seed);
      const started = Date.now();
      const result = trainMlp(model, train, cfg, (epoch, loss) => log(`  epoch ${epoch}/${cfg.epochs}: loss ${loss.toFixed(4)}`));
      const info = { epochLoss: result.epochLoss, trainAccuracy: result.trainAccuracy, testAccuracy: mlpAccuracy(model, test) };
      log(`  trained in ${((Date.now() - started) / 1000).toFixed(1)} s: train accuracy ${(result.trainAccuracy * 100).toFixed(2)}%`);
      writeCachedModel(key, model, info);
      return { model, info };
    },
  };
}

export function imageMlpWorkload(id: string, title: string, dataset: DatasetId, cfg: MlpTrainingConfig): Workload {
  return imageClassifierWorkload(id, title, dataset, mlpRecipe(cfg));
}
