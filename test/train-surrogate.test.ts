// Surrogate-gradient SNN training: the surrogate derivative, and the trainer's unrolled dynamics
// against our snn backend (createSnn), spike for spike on given rasters and prediction for
// prediction on real MNIST.
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs-core';
import { createSnn } from '../harness/backends/snn.js';
import { takeSamples } from '../harness/data.js';
import { rasterEncoder } from '../harness/encoders.js';
import { layerGeometry } from '../harness/layers.js';
import type { Layer, Model } from '../harness/model.js';
import { createRng } from '../core/rng.js';
import { loadImageDataset } from '../workloads/datasets/idx-images.js';
import type { LayerSpec } from '../workloads/train/architecture.js';
import { buildModel } from '../workloads/train/architecture.js';
import { accuracyOf } from '../workloads/train/classifier.js';
import { createTfNet, disposeTfNet } from '../workloads/train/graph.js';
import type { TrainableNeuron } from '../workloads/train/spiking-model.js';
import { neuronParams, toSpikingModel } from '../workloads/train/spiking-model.js';
import type { SpikingDynamics, SurrogateTrainingConfig } from '../workloads/train/surrogate.js';
import { checkDynamics, spikeFn, surrogateDerivative, surrogatePredict, trainSurrogate, unrollSnn } from '../workloads/train/surrogate.js';
import { loadTf } from '../workloads/train/tf.js';
import { sampleSet } from './fixtures.js';

describe('surrogate derivatives', () => {
  it('fast sigmoid 1/(1 + k|x|)² at hand-computed points', () => {
    const s = { kind: 'fast-sigmoid', slope: 5 } as const;
    expect(surrogateDerivative(s, 0)).toBe(1);
    expect(surrogateDerivative(s, 0.2)).toBeCloseTo(0.25, 15); // 1/(1+1)²
    expect(surrogateDerivative(s, -0.2)).toBeCloseTo(0.25, 15);
    expect(surrogateDerivative(s, 0.6)).toBeCloseTo(1 / 16, 15); // 1/(1+3)²
  });

  it('arctan (α/2)/(1 + (π/2·α·x)²) at hand-computed points', () => {
    const s = { kind: 'arctan', slope: 2 } as const;
    expect(surrogateDerivative(s, 0)).toBe(1);
    expect(surrogateDerivative(s, 1 / Math.PI)).toBeCloseTo(0.5, 15); // π/2·2·(1/π) = 1 → 1/(1+1)
    expect(surrogateDerivative(s, -3 / Math.PI)).toBeCloseTo(0.1, 15); // 1/(1+9)
  });

  it('the spike is a step at the threshold forward and the surrogate backward', async () => {
    const tf = await loadTf('wasm');
    const v = [0.5, 0.99, 1, 1.2, 3, -2];
    for (const s of [{ kind: 'fast-sigmoid', slope: 5 }, { kind: 'arctan', slope: 2 }] as const) {
      const x = tf.tensor1d(v);
      expect(Array.from(spikeFn(tf, x, 1, s).dataSync())).toEqual([0, 0, 1, 1, 1, 0]);
      const g = tf.grad((u: Tensor) => tf.sum(spikeFn(tf, u, 1, s)))(x).dataSync();
      v.forEach((vi, i) => expect(g[i]).toBeCloseTo(surrogateDerivative(s, vi - 1), 6));
    }
  });

  it('refuses dynamics it cannot train, in one line', () => {
    const ok: SpikingDynamics & { timesteps: number } = { neuron: { model: 'if', reset: 'subtract', beta: 1 }, threshold: 1, surrogate: { kind: 'fast-sigmoid', slope: 5 }, timesteps: 4 };
    expect(() => checkDynamics(ok)).not.toThrow();
    expect(() => checkDynamics({ ...ok, neuron: { model: 'cuba' as 'if', reset: 'zero', beta: 0.9 } })).toThrow(/handles if and lif neurons, not cuba/);
    expect(() => checkDynamics({ ...ok, neuron: { model: 'if', reset: 'zero', beta: 0.9 } })).toThrow(/IF neuron has no leak/);
    expect(() => checkDynamics({ ...ok, timesteps: 0 })).toThrow(/timesteps must be a positive integer/);
    expect(() => checkDynamics({ ...ok, surrogate: { kind: 'fast-sigmoid', slope: 0 } })).toThrow(/slope must be positive/);
  });
});

/** Output units of layer l. */
function unitsOf(model: Model, l: number): number {
  return layerGeometry(model.layers[l]).outputShape.reduce((a, b) => a * b, 1);
}

/** Weights in [−0.5, 1] and biases in [−0.25, 0.25], multiples of 1/16, so float32 sums are exact in any order. */
function quantized(model: Model, seed: number): Model {
  const rng = createRng(seed);
  const q = (lo: number, hi: number) => Math.round((lo + (hi - lo) * rng.next()) * 16) / 16;
  const layers = model.layers.map((l): Layer => (l.kind === 'dense' || l.kind === 'conv2d' ? { ...l, weight: l.weight.map(() => q(-0.5, 1)), bias: l.bias.map(() => q(-0.25, 0.25)) } : l));
  return { ...model, layers };
}

function randomRaster(inputs: number, T: number, p: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: T }, () => Array.from({ length: inputs }, (_, i) => i).filter(() => rng.next() < p));
}

const NEURONS: TrainableNeuron[] = [
  { model: 'if', reset: 'subtract', beta: 1 },
  { model: 'if', reset: 'zero', beta: 1 },
  { model: 'lif', reset: 'subtract', beta: 0.75 },
  { model: 'lif', reset: 'zero', beta: 0.5 },
];

describe('the unrolled network in tfjs and createSnn', () => {
  const cases: { name: string; shape: number[]; arch: LayerSpec[]; p: number }[] = [
    { name: 'an MLP 12-6-3', shape: [12], arch: [{ kind: 'dense', units: 6 }], p: 0.45 },
    { name: 'a conv net (conv 2×2, average pooling, dense)', shape: [1, 5, 5], arch: [{ kind: 'conv', channels: 2, kernel: 2, padding: 0 }, { kind: 'avgpool', size: 2 }], p: 0.8 },
  ];
  for (const c of cases) {
    for (const neuron of NEURONS) {
      it(`${c.name}, ${neuron.model} with reset to ${neuron.reset}: the same spikes per layer and step on a raster, and the same class`, async () => {
        const tf = await loadTf('wasm');
        const T = 8;
        const model = quantized(buildModel('tiny-snn', c.shape, c.arch, 3, 1), 11);
        const size = c.shape.reduce((a, b) => a * b, 1);
        const d: SpikingDynamics = { neuron, threshold: 1, surrogate: { kind: 'fast-sigmoid', slope: 5 } };
        const fired = new Array<number>(c.arch.length).fill(0);
        for (const seed of [1, 2, 3]) {
          const raster = randomRaster(size, T, c.p, seed);
          const run = createSnn(toSpikingModel(model, 1), { timesteps: T, seed: 0, encoder: rasterEncoder(raster), neuron: neuronParams(neuron) }).run(sampleSet([new Array(size).fill(0.5)], [0], 3));
          const input = new Float32Array(T * size);
          raster.forEach((spikes, t) => spikes.forEach((i) => (input[t * size + i] = 1)));
          const net = createTfNet(tf, model);
          const { readout, spikes } = unrollSnn(tf, net, d, T, tf.tensor2d(input, [T, size]), false, true);
          const counts = spikes.map((layer) => layer.map((s) => tf.sum(s).dataSync()[0]));
          const predicted = tf.argMax(readout, 1).dataSync()[0];
          disposeTfNet(net);
          counts.forEach((perStep, l) => expect(perStep).toEqual(run.ledger.layers[l].perTimestep.outputEvents));
          expect(predicted).toBe(run.predictions[0]);
          counts.forEach((perStep, l) => (fired[l] += perStep.reduce((a, b) => a + b, 0)));
        }
        // not trivially silent, nor saturated: every spiking layer fires, and not on every step
        fired.forEach((n, l) => {
          expect(n).toBeGreaterThan(0);
          expect(n).toBeLessThan(3 * T * unitsOf(model, l));
        });
      });
    }
  }
});

describe('an SNN trained with surrogate gradients on real MNIST', () => {
  it('predicts in createSnn what it predicted in training (rate and direct coding)', async () => {
    const tf = await loadTf('wasm');
    const train = loadImageDataset('mnist', 'train');
    const test = takeSamples(loadImageDataset('mnist', 'test'), 300);
    const cfg: SurrogateTrainingConfig = {
      optimizer: 'adam',
      learningRate: 0.005,
      momentum: 0,
      epochs: 1,
      batchSize: 50,
      seed: 3,
      trainSamples: 2000,
      timesteps: 4,
      coding: 'rate',
      neuron: { model: 'lif', reset: 'subtract', beta: 0.9 },
      threshold: 1,
      surrogate: { kind: 'arctan', slope: 2 },
    };
    const { model, epochLoss } = await trainSurrogate(tf, buildModel('sg-small', [784], [{ kind: 'dense', units: 32 }], 10, 3), train, cfg);
    expect(epochLoss[0]).toBeLessThan(Math.log(10)); // below chance level
    for (const coding of ['rate', 'direct'] as const) {
      const trainer = surrogatePredict(tf, model, test, { ...cfg, coding }, 5);
      const backend = createSnn(toSpikingModel(model, 1), { timesteps: 4, seed: 5, coding, neuron: neuronParams(cfg.neuron) }).run(test).predictions;
      let differ = 0;
      for (let i = 0; i < test.count; i++) if (trainer[i] !== backend[i]) differ++;
      expect(differ).toBeLessThanOrEqual(1); // float summation order may flip a rare threshold crossing
      expect(accuracyOf(backend, test.labels)).toBeGreaterThan(0.6);
    }
  });

  it('exports a SpikingModel the snn backend accepts, and refuses max pooling', () => {
    const m = buildModel('m', [1, 4, 4], [{ kind: 'conv', channels: 2, kernel: 3, padding: 1 }, { kind: 'avgpool', size: 2 }], 3, 1);
    const s = toSpikingModel(m, 1.5);
    expect(s.layers.map((l) => [l.spiking, l.threshold])).toEqual([[true, 1.5], [true, 1.5], [false, 1.5]]);
    expect(s.conversion.method).toBe('surrogate-gradient');
    const withMax = buildModel('m', [1, 4, 4], [{ kind: 'conv', channels: 2, kernel: 3, padding: 1 }, { kind: 'maxpool', size: 2 }], 3, 1);
    expect(() => toSpikingModel(withMax, 1)).toThrow(/layer pool1: max pooling has no spiking form/);
  });
});
