// Spiking workloads trained directly with surrogate gradients (workloads/train/surrogate.ts). The
// workload pairs the SNN with the ANN of the same architecture trained as an ANN (another
// workload's model), so a suite compares ANN and SNN at equal size: `model` is that ANN, and
// `spiking` the directly trained SNN with the T, coding and neuron it was trained for.
import type { DatasetId } from './datasets/idx-images.js';
import type { ClassifierRecipe } from './image-classifier.js';
import { imageWorkload, loadOrTrain } from './image-classifier.js';
import { cacheKey } from './model-cache.js';
import type { LayerSpec } from './train/architecture.js';
import { describeArchitecture } from './train/architecture.js';
import { neuronParams, toSpikingModel } from './train/spiking-model.js';
import type { SurrogateTrainingConfig } from './train/surrogate.js';
import { architectureModel, epochsText, TFJS_TRAINER_VERSION, trainJobInChild } from './image-cnn.js';
import type { Workload } from './workload.js';

export interface SurrogateWorkloadConfig {
  readonly architecture: readonly LayerSpec[];
  readonly training: SurrogateTrainingConfig;
  /** Input-coder seed of the accuracy recorded at training time (the snn backend's `seed`). */
  readonly evalSeed: number;
}

export function surrogateRecipe(c: SurrogateWorkloadConfig): ClassifierRecipe {
  const t = c.training;
  return {
    config: { architecture: c.architecture, ...t, evalSeed: c.evalSeed },
    version: TFJS_TRAINER_VERSION,
    architecture: architectureModel(c.architecture, t.seed),
    summary: (train) =>
      `${describeArchitecture(c.architecture, train.classes)} SNN, ${t.neuron.model.toUpperCase()} neurons, ${t.coding} coding, T = ${t.timesteps}, ${t.surrogate.kind} surrogate (slope ${t.surrogate.slope}), ${epochsText(t, train.count)}, ${t.optimizer}, seed ${t.seed}; tfjs wasm, in a child process`,
    train: (ctx) => trainJobInChild(ctx, { kind: 'surrogate', cacheId: ctx.cacheId, key: ctx.key, dataset: ctx.dataset, architecture: c.architecture, training: t, evalSeed: c.evalSeed }),
  };
}

/** `ann`: the workload whose model is the ANN baseline (same dataset and architecture). */
export function imageSurrogateWorkload(id: string, title: string, dataset: DatasetId, ann: Workload, c: SurrogateWorkloadConfig): Workload {
  if (ann.dataset !== dataset) throw new Error(`workload ${id}: its ANN baseline ${ann.id} is on ${ann.dataset}, not ${dataset}`);
  const recipe = surrogateRecipe(c);
  const workload = imageWorkload(id, title, dataset, (log) => {
    const base = ann.prepare(log);
    const snn = loadOrTrain(`${id}-snn`, dataset, recipe, log);
    const t = c.training;
    const testAccuracy = snn.info.testAccuracy;
    if (typeof testAccuracy !== 'number') throw new Error(`workload ${id}: the cached SNN has no recorded test accuracy`);
    return {
      model: base.model,
      train: snn.train,
      test: snn.test,
      spiking: { model: toSpikingModel(snn.model, t.threshold), timesteps: t.timesteps, coding: t.coding, neuron: neuronParams(t.neuron), testAccuracy, seed: c.evalSeed },
      training: {
        ...recipe.config,
        ...snn.info,
        ann: base.training,
        // Both sets of weights determine the results.
        cacheKey: cacheKey([base.training.cacheKey, snn.key]),
        fromCache: base.training.fromCache && snn.fromCache,
      },
    };
  });
  return { ...workload, trainedSpiking: { neuron: neuronParams(c.training.neuron), coding: c.training.coding } };
}
