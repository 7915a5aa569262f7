// Deterministic training of an ANN classifier (any chain of dense, conv and pooling layers from our
// `Model`) with tfjs' autograd: softmax cross-entropy, minibatches in an order drawn from our seeded
// Rng, SGD with momentum (cosine-annealed learning rate) or Adam. Same model, data, configuration and
// machine give bit-identical weights: the initial weights come from the Model, the data order from
// core/rng.ts, and tfjs' wasm kernels run single-threaded in a fixed order.
import type { Optimizer, Scalar, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { SampleSet } from '../../harness/data.js';
import { sampleSize } from '../../harness/data.js';
import type { Model } from '../../harness/model.js';
import { createRng } from '../../core/rng.js';
import { createTfNet, disposeTfNet, exportModel, gatherInputs, netForward, variablesOf } from './graph.js';
import type { TfNet } from './graph.js';
import type { Tf } from './tf.js';
import { progressOf } from '../../core/progress.js';

export interface OptimizerConfig {
  /** `momentum`: SGD with momentum, learning rate cosine-annealed to 0 over the run. `adam`: constant rate. */
  readonly optimizer: 'momentum' | 'adam';
  readonly learningRate: number;
  /** Momentum coefficient (momentum optimizer only). */
  readonly momentum: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Train on the first N training samples only (all when omitted). */
  readonly trainSamples?: number;
  readonly seed: number;
}

export interface ClassifierTrainingConfig extends OptimizerConfig {
  /** L2 penalty ½·λ·‖W‖² on weights (not biases), added to the loss. */
  readonly weightDecay: number;
}

export interface ClassifierTrainingResult {
  readonly model: Model;
  /** Mean training loss per epoch. */
  readonly epochLoss: readonly number[];
}

export function checkOptimizerConfig(cfg: OptimizerConfig): void {
  for (const k of ['epochs', 'batchSize'] as const) if (!Number.isInteger(cfg[k]) || cfg[k] < 1) throw new Error(`training ${k} must be a positive integer, got ${cfg[k]}`);
  if (!(cfg.learningRate > 0)) throw new Error(`training learningRate must be positive, got ${cfg.learningRate}`);
  if (cfg.trainSamples !== undefined && (!Number.isInteger(cfg.trainSamples) || cfg.trainSamples < 1)) throw new Error(`training trainSamples must be a positive integer, got ${cfg.trainSamples}`);
}

/** The optimizer and a per-step hook that sets its learning rate. */
export function makeOptimizer(tf: Tf, cfg: OptimizerConfig, totalSteps: number): { optimizer: Optimizer; beforeStep: (step: number) => void } {
  if (cfg.optimizer === 'adam') return { optimizer: tf.train.adam(cfg.learningRate), beforeStep: () => {} };
  const sgd = tf.train.momentum(cfg.learningRate, cfg.momentum);
  return { optimizer: sgd, beforeStep: (step) => sgd.setLearningRate(cfg.learningRate * 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps))) };
}

/** A fresh permutation of [0, n) per epoch, from stream (seed, 0x5eed): Fisher–Yates as in train-mlp.ts. */
export function epochOrders(n: number, seed: number): (epoch: number) => Uint32Array {
  const rng = createRng(seed, 0x5eed);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  let done = -1;
  return (epoch) => {
    if (epoch !== done + 1) throw new Error('epoch orders must be drawn in sequence');
    done = epoch;
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  };
}

/** One-hot labels [count, classes] of the samples order[start..end). */
export function oneHotBatch(tf: Tf, labels: Uint8Array, classes: number, order: ArrayLike<number>, start: number, end: number): Tensor2D {
  const y = new Float32Array((end - start) * classes);
  for (let k = start; k < end; k++) y[(k - start) * classes + labels[order[k]]] = 1;
  return tf.tensor2d(y, [end - start, classes]);
}

/**
 * The minibatch loop shared by the trainers: per epoch a fresh permutation of the first n samples,
 * one optimizer step per batch on `batchLoss(order, start, end, epoch)` (built inside a tidy scope),
 * and a log line; the steps are the log's progress (core/progress.ts). Returns the mean loss per epoch.
 */
export function optimize(tf: Tf, cfg: OptimizerConfig, n: number, vars: Variable[], batchLoss: (order: Uint32Array, start: number, end: number, epoch: number) => Scalar, log: (line: string) => void): number[] {
  const { optimizer, beforeStep } = makeOptimizer(tf, cfg, cfg.epochs * Math.ceil(n / cfg.batchSize));
  const orders = epochOrders(n, cfg.seed);
  const epochLoss: number[] = [];
  let step = 0;
  const batches = Math.ceil(n / cfg.batchSize);
  const task = progressOf(log).task('training', cfg.epochs * batches, 'steps');
  try {
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      const started = Date.now();
      const order = orders(epoch);
      let lossSum = 0;
      for (let start = 0; start < n; start += cfg.batchSize) {
        const end = Math.min(n, start + cfg.batchSize);
        beforeStep(step++);
        const loss = tf.tidy(() => optimizer.minimize(() => batchLoss(order, start, end, epoch), true, vars) as Scalar);
        lossSum += loss.dataSync()[0] * (end - start);
        loss.dispose();
        task.update(step, `epoch ${epoch + 1}/${cfg.epochs}`);
      }
      epochLoss.push(lossSum / n);
      log(`  epoch ${epoch + 1}/${cfg.epochs}: loss ${(lossSum / n).toFixed(4)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  } finally {
    task.end();
    optimizer.dispose();
  }
  return epochLoss;
}

/** Trains a copy of `model` (its weights are the initial weights); returns the trained model. */
export async function trainClassifier(tf: Tf, model: Model, train: SampleSet, cfg: ClassifierTrainingConfig, log: (line: string) => void = () => {}): Promise<ClassifierTrainingResult> {
  checkOptimizerConfig(cfg);
  const n = Math.min(cfg.trainSamples ?? train.count, train.count);
  const size = sampleSize(train);
  const net = createTfNet(tf, model);
  try {
    const weights = net.layers.flatMap((l) => (l.weight ? [l.weight] : []));
    const epochLoss = optimize(tf, cfg, n, variablesOf(net), (order, start, end) => {
      const x = tf.tensor2d(gatherInputs(train.inputs, size, order, start, end), [end - start, size]);
      const y = oneHotBatch(tf, train.labels, train.classes, order, start, end);
      const ce = tf.losses.softmaxCrossEntropy(y, netForward(tf, net, x)) as Scalar;
      if (cfg.weightDecay === 0) return ce;
      const l2 = tf.addN(weights.map((w) => tf.sum(tf.square(w))));
      return tf.add(ce, tf.mul(0.5 * cfg.weightDecay, l2)) as Scalar;
    }, log);
    return { model: exportModel(net), epochLoss };
  } finally {
    disposeTfNet(net);
  }
}

/** Predictions of `model` computed by tfjs (the trainer's own view of the model), in batches. */
export function tfPredict(tf: Tf, model: Model, set: SampleSet, batch = 500): Uint8Array {
  const net: TfNet = createTfNet(tf, model);
  try {
    const size = sampleSize(set);
    const out = new Uint8Array(set.count);
    for (let start = 0; start < set.count; start += batch) {
      const end = Math.min(set.count, start + batch);
      const p = tf.tidy(() => tf.argMax(netForward(tf, net, tf.tensor2d(set.inputs.subarray(start * size, end * size), [end - start, size])), 1));
      out.set(p.dataSync() as Int32Array, start);
      p.dispose();
    }
    return out;
  } finally {
    disposeTfNet(net);
  }
}

export function accuracyOf(predictions: Uint8Array, labels: Uint8Array): number {
  let correct = 0;
  for (let i = 0; i < predictions.length; i++) if (predictions[i] === labels[i]) correct++;
  return correct / predictions.length;
}
