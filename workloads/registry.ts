// The built-in workloads, by id.
import { imageMlpWorkload } from './image-mlp.js';
import type { Workload } from './workload.js';

const MLP_TRAINING = { hidden: [256], epochs: 2, batchSize: 64, learningRate: 0.1, momentum: 0.9, weightDecay: 5e-5, seed: 1 } as const;

export const WORKLOADS: ReadonlyMap<string, Workload> = new Map(
  [
    imageMlpWorkload('mnist-mlp', 'MLP 784-256-10 (ReLU) on MNIST', 'mnist', MLP_TRAINING),
    imageMlpWorkload('fashion-mnist-mlp', 'MLP 784-256-10 (ReLU) on Fashion-MNIST', 'fashion-mnist', MLP_TRAINING),
  ].map((w) => [w.id, w]),
);

export function getWorkload(id: string): Workload {
  const w = WORKLOADS.get(id);
  if (!w) throw new Error(`unknown workload "${id}"; known: ${[...WORKLOADS.keys()].join(', ')}`);
  return w;
}
