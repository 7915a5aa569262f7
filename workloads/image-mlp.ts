// MLP workloads on MNIST-format image datasets, trained by joulebench's own deterministic SGD
// (train-mlp.ts, plain TypeScript, no library).
import type { SampleSet } from '../harness/data.js';
import type { DatasetId } from './datasets/idx-images.js';
import type { ClassifierRecipe } from './image-classifier.js';
import { imageClassifierWorkload } from './image-classifier.js';
import type { MlpTrainingConfig } from './train-mlp.js';
import { initMlp, mlpAccuracy, trainMlp } from './train-mlp.js';
import type { Workload } from './workload.js';
import { progressOf } from '../core/progress.js';

/** Bump when the trainer's arithmetic changes, so cached weights are retrained. */
const TRAINER_VERSION = 1;

export function mlpRecipe(cfg: MlpTrainingConfig): ClassifierRecipe {
  const architecture = (cacheId: string, train: SampleSet) => initMlp(cacheId, train.inputs.length / train.count, cfg.hidden, train.classes, cfg.seed);
  return {
    config: cfg,
    version: TRAINER_VERSION,
    summary: (train) => `${[train.inputs.length / train.count, ...cfg.hidden, train.classes].join('-')}, ${cfg.epochs} epochs, seed ${cfg.seed}`,
    architecture,
    train({ cacheId, train, test, log }) {
      const model = architecture(cacheId, train);
      const started = Date.now();
      const task = progressOf(log).task(`training ${cacheId}`, cfg.epochs * Math.ceil(train.count / cfg.batchSize), 'steps');
      let result: ReturnType<typeof trainMlp>;
      try {
        result = trainMlp(
          model,
          train,
          cfg,
          // on a terminal the epoch's line replaces the progress line; the next step draws it again
          (epoch, loss) => log(`  epoch ${epoch}/${cfg.epochs}: loss ${loss.toFixed(4)}`),
          (step, _total, epoch) => task.update(step, `epoch ${epoch}/${cfg.epochs}`),
        );
      } finally {
        task.end();
      }
      const info = { epochLoss: result.epochLoss, trainAccuracy: result.trainAccuracy, testAccuracy: mlpAccuracy(model, test) };
      log(`  trained in ${((Date.now() - started) / 1000).toFixed(1)} s: train accuracy ${(result.trainAccuracy * 100).toFixed(2)}%`);
      return { model, info };
    },
  };
}

export function imageMlpWorkload(id: string, title: string, dataset: DatasetId, cfg: MlpTrainingConfig): Workload {
  return imageClassifierWorkload(id, title, dataset, mlpRecipe(cfg));
}
