// The built-in workloads, by id.
import { InputError } from '../core/errors.js';
import { imageCnnWorkload } from './image-cnn.js';
import { imageMlpWorkload } from './image-mlp.js';
import { imageSurrogateWorkload } from './image-snn.js';
import type { LayerSpec } from './train/architecture.js';
import type { ClassifierTrainingConfig } from './train/classifier.js';
import type { SurrogateWorkloadConfig } from './image-snn.js';
import type { Workload } from './workload.js';

const MLP_TRAINING = { hidden: [256], epochs: 2, batchSize: 64, learningRate: 0.1, momentum: 0.9, weightDecay: 5e-5, seed: 1 } as const;

/** LeNet-5 style (LeCun et al. 1998) with ReLU and average pooling, so that it converts to an SNN. */
const LENET5: readonly LayerSpec[] = [
  { kind: 'conv', channels: 6, kernel: 5, padding: 2 },
  { kind: 'avgpool', size: 2 },
  { kind: 'conv', channels: 16, kernel: 5, padding: 0 },
  { kind: 'avgpool', size: 2 },
  { kind: 'dense', units: 120 },
  { kind: 'dense', units: 84 },
];

/**
 * A small VGG-style net (Simonyan & Zisserman 2015: stacks of 3×3 convolutions between poolings),
 * narrow enough (8 and 16 channels, ≈1.3 M MACs per image) that our plain-TypeScript kernels
 * evaluate 10,000 images in seconds as an ANN and in minutes as an SNN at T = 32.
 */
const SMALL_VGG: readonly LayerSpec[] = [
  { kind: 'conv', channels: 8, kernel: 3, padding: 1 },
  { kind: 'conv', channels: 8, kernel: 3, padding: 1 },
  { kind: 'avgpool', size: 2 },
  { kind: 'conv', channels: 16, kernel: 3, padding: 1 },
  { kind: 'conv', channels: 16, kernel: 3, padding: 1 },
  { kind: 'avgpool', size: 2 },
  { kind: 'dense', units: 128 },
];

const CNN_TRAINING = { optimizer: 'momentum', learningRate: 0.05, momentum: 0.9, batchSize: 64, weightDecay: 0, seed: 1 } as const;
const LENET_TRAINING: ClassifierTrainingConfig = { ...CNN_TRAINING, epochs: 4 };
const VGG_TRAINING: ClassifierTrainingConfig = { ...CNN_TRAINING, epochs: 3 };

/** 784-256-10 IF network, rate-coded input, T = 8, trained directly (BPTT with a fast-sigmoid surrogate). */
const MLP_SG: SurrogateWorkloadConfig = {
  architecture: [{ kind: 'dense', units: 256 }],
  training: {
    optimizer: 'adam',
    learningRate: 0.002,
    momentum: 0,
    epochs: 4,
    batchSize: 64,
    seed: 1,
    timesteps: 8,
    coding: 'rate',
    neuron: { model: 'if', reset: 'subtract', beta: 1 },
    threshold: 1,
    surrogate: { kind: 'fast-sigmoid', slope: 5 },
  },
  evalSeed: 1,
};

const mnistMlp = imageMlpWorkload('mnist-mlp', 'MLP 784-256-10 (ReLU) on MNIST', 'mnist', MLP_TRAINING);
const fashionMlp = imageMlpWorkload('fashion-mnist-mlp', 'MLP 784-256-10 (ReLU) on Fashion-MNIST', 'fashion-mnist', MLP_TRAINING);

export const WORKLOADS: ReadonlyMap<string, Workload> = new Map(
  [
    mnistMlp,
    fashionMlp,
    imageCnnWorkload('mnist-lenet5', 'LeNet-5 CNN (ReLU, average pooling) on MNIST', 'mnist', LENET5, LENET_TRAINING),
    imageCnnWorkload('fashion-mnist-lenet5', 'LeNet-5 CNN (ReLU, average pooling) on Fashion-MNIST', 'fashion-mnist', LENET5, LENET_TRAINING),
    imageCnnWorkload('mnist-vgg', 'small VGG-style CNN (4 conv 3×3, average pooling) on MNIST', 'mnist', SMALL_VGG, VGG_TRAINING),
    imageCnnWorkload('fashion-mnist-vgg', 'small VGG-style CNN (4 conv 3×3, average pooling) on Fashion-MNIST', 'fashion-mnist', SMALL_VGG, VGG_TRAINING),
    imageSurrogateWorkload('mnist-mlp-sg', 'MLP 784-256-10 on MNIST: SNN trained directly with surrogate gradients (IF, T = 8), ANN baseline mnist-mlp', 'mnist', mnistMlp, MLP_SG),
    imageSurrogateWorkload('fashion-mnist-mlp-sg', 'MLP 784-256-10 on Fashion-MNIST: SNN trained directly with surrogate gradients (IF, T = 8), ANN baseline fashion-mnist-mlp', 'fashion-mnist', fashionMlp, MLP_SG),
  ].map((w) => [w.id, w]),
);

export function getWorkload(id: string): Workload {
  const w = WORKLOADS.get(id);
  if (!w) throw InputError.at({ field: 'workload', problem: `unknown workload "${id}"`, fix: `choose one of ${[...WORKLOADS.keys()].join(', ')} (joulebench list)` });
  return w;
}
