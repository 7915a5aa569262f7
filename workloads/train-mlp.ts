// Deterministic training of a ReLU MLP with minibatch SGD + momentum and softmax cross-entropy.
// Same seed, data and code give bit-identical weights: all randomness comes from one seeded Rng,
// and arithmetic runs in a fixed order.
import type { SampleSet } from '../harness/data.js';
import { sampleInput, sampleSize } from '../harness/data.js';
import { accumulateOuter, argmax, backpropInput, denseAffine } from '../harness/kernels/dense.js';
import type { DenseLayer, Model } from '../harness/model.js';
import { createRng } from '../core/rng.js';
import { modelAccuracy } from '../harness/forward.js';

export interface MlpTrainingConfig {
  readonly hidden: readonly number[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly seed: number;
}

export interface TrainingLog {
  readonly epochLoss: readonly number[];
  readonly trainAccuracy: number;
}

export function initMlp(id: string, inputs: number, hidden: readonly number[], classes: number, seed: number): Model {
  const rng = createRng(seed, 0x1417);
  const sizes = [inputs, ...hidden, classes];
  const layers: DenseLayer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const last = l + 2 === sizes.length;
    // He-uniform for ReLU layers, Glorot-uniform for the linear read-out.
    const limit = last ? Math.sqrt(6 / (nIn + nOut)) : Math.sqrt(6 / nIn);
    const weight = new Float32Array(nIn * nOut);
    for (let k = 0; k < weight.length; k++) weight[k] = (2 * rng.next() - 1) * limit;
    layers.push({
      kind: 'dense',
      name: `fc${l + 1}`,
      inFeatures: nIn,
      outFeatures: nOut,
      weight,
      bias: new Float32Array(nOut),
      activation: last ? 'identity' : 'relu',
    });
  }
  return { id, inputShape: [inputs], layers };
}

/** Trains `model` in place on `train`; `onStep(step, totalSteps, epoch)` after each minibatch step (progress). */
export function trainMlp(model: Model, train: SampleSet, cfg: MlpTrainingConfig, onEpoch?: (epoch: number, loss: number) => void, onStep?: (step: number, totalSteps: number, epoch: number) => void): TrainingLog {
  const layers = model.layers as DenseLayer[];
  const L = layers.length;
  const rng = createRng(cfg.seed, 0x5eed);
  const acts: Float32Array[] = [new Float32Array(sampleSize(train)), ...layers.map((l) => new Float32Array(l.outFeatures))];
  const deltas = layers.map((l) => new Float32Array(l.outFeatures));
  const back = layers.map((l) => new Float32Array(l.inFeatures));
  const gradW = layers.map((l) => new Float32Array(l.weight.length));
  const gradB = layers.map((l) => new Float32Array(l.bias.length));
  const velW = layers.map((l) => new Float32Array(l.weight.length));
  const velB = layers.map((l) => new Float32Array(l.bias.length));
  const order = Uint32Array.from({ length: train.count }, (_, i) => i);
  const epochLoss: number[] = [];
  const totalSteps = cfg.epochs * Math.ceil(train.count / cfg.batchSize);
  let step = 0;
  for (let epoch = 0; epoch < cfg.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    let lossSum = 0;
    for (let start = 0; start < order.length; start += cfg.batchSize) {
      const end = Math.min(order.length, start + cfg.batchSize);
      for (let l = 0; l < L; l++) {
        gradW[l].fill(0);
        gradB[l].fill(0);
      }
      for (let k = start; k < end; k++) {
        const s = order[k];
        acts[0] = sampleInput(train, s);
        for (let l = 0; l < L; l++) {
          const layer = layers[l];
          denseAffine(acts[l], layer.weight, layer.bias, layer.inFeatures, layer.outFeatures, acts[l + 1]);
          if (layer.activation === 'relu') {
            const a = acts[l + 1];
            for (let j = 0; j < a.length; j++) if (a[j] < 0) a[j] = 0;
          }
        }
        // softmax cross-entropy on the logits
        const logits = acts[L];
        let mx = -Infinity;
        for (let j = 0; j < logits.length; j++) mx = Math.max(mx, logits[j]);
        let z = 0;
        for (let j = 0; j < logits.length; j++) z += Math.exp(logits[j] - mx);
        const label = train.labels[s];
        lossSum += Math.log(z) - (logits[label] - mx);
        const dOut = deltas[L - 1];
        for (let j = 0; j < logits.length; j++) dOut[j] = Math.exp(logits[j] - mx) / z - (j === label ? 1 : 0);
        for (let l = L - 1; l >= 0; l--) {
          const layer = layers[l];
          accumulateOuter(acts[l], deltas[l], layer.inFeatures, layer.outFeatures, gradW[l]);
          const gb = gradB[l];
          const d = deltas[l];
          for (let j = 0; j < gb.length; j++) gb[j] += d[j];
          if (l > 0) {
            backpropInput(layer.weight, deltas[l], layer.inFeatures, layer.outFeatures, back[l]);
            const prev = deltas[l - 1];
            const a = acts[l];
            for (let j = 0; j < prev.length; j++) prev[j] = a[j] > 0 ? back[l][j] : 0;
          }
        }
      }
      // cosine-annealed learning rate
      const lr = cfg.learningRate * 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps));
      step++;
      const scale = 1 / (end - start);
      for (let l = 0; l < L; l++) {
        const w = layers[l].weight;
        const g = gradW[l];
        const v = velW[l];
        for (let k = 0; k < w.length; k++) {
          v[k] = cfg.momentum * v[k] + g[k] * scale + cfg.weightDecay * w[k];
          w[k] -= lr * v[k];
        }
        const bb = layers[l].bias;
        const gbb = gradB[l];
        const vb = velB[l];
        for (let k = 0; k < bb.length; k++) {
          vb[k] = cfg.momentum * vb[k] + gbb[k] * scale;
          bb[k] -= lr * vb[k];
        }
      }
      onStep?.(step, totalSteps, epoch + 1);
    }
    epochLoss.push(lossSum / order.length);
    onEpoch?.(epoch + 1, lossSum / order.length);
  }
  return { epochLoss, trainAccuracy: modelAccuracy(model, train) };
}

/** Test accuracy of a trained model. */
export const mlpAccuracy = modelAccuracy;
