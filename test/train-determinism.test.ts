// Training is deterministic (same seed → bit-identical weights, another seed → other weights), in
// this process and in the child process that workloads train in; trained workloads cache and reload
// their weights and record accuracies that our backends reproduce.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnn } from '../harness/backends/snn.js';
import { modelAccuracy } from '../harness/forward.js';
import type { Model } from '../harness/model.js';
import { imageCnnWorkload } from '../workloads/image-cnn.js';
import { imageMlpWorkload } from '../workloads/image-mlp.js';
import { imageSurrogateWorkload } from '../workloads/image-snn.js';
import type { SurrogateWorkloadConfig } from '../workloads/image-snn.js';
import { loadImageDataset } from '../workloads/datasets/idx-images.js';
import { readCachedModel } from '../workloads/model-cache.js';
import { WORKLOADS } from '../workloads/registry.js';
import type { LayerSpec } from '../workloads/train/architecture.js';
import { buildModel } from '../workloads/train/architecture.js';
import { accuracyOf, trainClassifier } from '../workloads/train/classifier.js';
import type { ClassifierJob } from '../workloads/train/jobs.js';
import { runJob } from '../workloads/train/jobs.js';
import { trainInChild } from '../workloads/train/spawn.js';
import { trainSurrogate } from '../workloads/train/surrogate.js';
import type { SurrogateTrainingConfig } from '../workloads/train/surrogate.js';
import { loadTf } from '../workloads/train/tf.js';
import { tempDir } from './cli-helpers.js';

/** All weights and biases of a model as one byte string. */
function weightBytes(model: Model): Buffer {
  return Buffer.concat(model.layers.flatMap((l) => (l.kind === 'dense' || l.kind === 'conv2d' ? [Buffer.from(l.weight.buffer, l.weight.byteOffset, l.weight.byteLength), Buffer.from(l.bias.buffer, l.bias.byteOffset, l.bias.byteLength)] : [])));
}

const SMALL_CNN: readonly LayerSpec[] = [
  { kind: 'conv', channels: 3, kernel: 3, padding: 1 },
  { kind: 'avgpool', size: 2 },
  { kind: 'conv', channels: 4, kernel: 3, padding: 1 },
  { kind: 'avgpool', size: 2 },
  { kind: 'dense', units: 16 },
];
const CNN_CFG = { optimizer: 'momentum', learningRate: 0.05, momentum: 0.9, epochs: 1, batchSize: 32, weightDecay: 1e-4, seed: 1, trainSamples: 640 } as const;
const SG_CFG: SurrogateTrainingConfig = {
  optimizer: 'adam',
  learningRate: 0.005,
  momentum: 0,
  epochs: 1,
  batchSize: 40,
  seed: 1,
  trainSamples: 400,
  timesteps: 3,
  coding: 'rate',
  neuron: { model: 'if', reset: 'subtract', beta: 1 },
  threshold: 1,
  surrogate: { kind: 'fast-sigmoid', slope: 5 },
};

describe('same seed, same weights', () => {
  it('for a CNN trained with tfjs', async () => {
    const tf = await loadTf('wasm');
    const train = loadImageDataset('mnist', 'train');
    const run = async (seed: number) => weightBytes((await trainClassifier(tf, buildModel('c', train.shape, SMALL_CNN, 10, seed), train, { ...CNN_CFG, seed })).model);
    const a = await run(1);
    expect(a.equals(await run(1))).toBe(true);
    expect(a.equals(await run(2))).toBe(false);
  });

  it('for an SNN trained with surrogate gradients', async () => {
    const tf = await loadTf('wasm');
    const train = loadImageDataset('mnist', 'train');
    const run = async (seed: number) => weightBytes((await trainSurrogate(tf, buildModel('s', [784], [{ kind: 'dense', units: 16 }], 10, seed), train, { ...SG_CFG, seed })).model);
    const a = await run(1);
    expect(a.equals(await run(1))).toBe(true);
    expect(a.equals(await run(2))).toBe(false);
  });
});

describe('trained workloads', () => {
  const saved = process.env.JOULEBENCH_CACHE;
  beforeAll(() => {
    process.env.JOULEBENCH_CACHE = tempDir('train-cache');
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.JOULEBENCH_CACHE;
    else process.env.JOULEBENCH_CACHE = saved;
  });

  it('a job run in a child process hands back the very weights it gives in-process (the parent caches them)', async () => {
    const job: ClassifierJob = { kind: 'classifier', cacheId: 'job-cnn', key: 'inprocess', dataset: 'mnist', architecture: SMALL_CNN, training: CNN_CFG };
    const here = await runJob(job, () => {});
    const lines: string[] = [];
    const child = trainInChild({ ...job, key: 'child' }, (l) => lines.push(l));
    expect(lines.some((l) => /epoch 1\/1: loss/.test(l))).toBe(true);
    expect(weightBytes(child.model).equals(weightBytes(here.model))).toBe(true);
    expect(child.info).toEqual(here.info);
    expect(readCachedModel('job-cnn', 'child', () => {})).toBeNull(); // the child never writes the cache
    expect(() => trainInChild({ ...job, key: 'bad', architecture: [{ kind: 'conv', channels: 2, kernel: 3, padding: 3 }] }, () => {})).toThrow(/^training job-cnn failed: layer conv1: padding 3×3 must be smaller than the kernel 3×3 to train$/);
  });

  it('a CNN workload trains once, then loads its cached weights; our kernels reproduce its recorded accuracy', () => {
    const w = imageCnnWorkload('test-cnn', 'small CNN', 'mnist', SMALL_CNN, CNN_CFG);
    const lines: string[] = [];
    const first = w.prepare((l) => lines.push(l));
    expect(first.training.fromCache).toBe(false);
    expect(lines[0]).toMatch(/^training test-cnn \(conv3x3\(3,p1\)-avgpool2-conv3x3\(4,p1\)-avgpool2-dense16-dense10, 1 epochs over the first 640 images, momentum, seed 1; tfjs wasm, in a child process\) on 60000 mnist images/);
    const again = w.prepare(() => {});
    expect(again.training.fromCache).toBe(true);
    expect(again.training.cacheKey).toBe(first.training.cacheKey);
    expect(weightBytes(again.model).equals(weightBytes(first.model))).toBe(true);
    expect(modelAccuracy(again.model, again.test)).toBe(again.training.testAccuracy);
    expect(again.training.tfTestAccuracy).toBeCloseTo(again.training.testAccuracy as number, 3);
  });

  it('a surrogate-gradient workload gives the ANN baseline as its model and the trained SNN with how to run it', () => {
    const ann = imageMlpWorkload('test-mlp', 'tiny MLP', 'mnist', { hidden: [16], epochs: 1, batchSize: 64, learningRate: 0.1, momentum: 0.9, weightDecay: 0, seed: 1 });
    const cfg: SurrogateWorkloadConfig = { architecture: [{ kind: 'dense', units: 16 }], training: SG_CFG, evalSeed: 4 };
    const w = imageSurrogateWorkload('test-sg', 'tiny SNN', 'mnist', ann, cfg);
    const p = w.prepare(() => {});
    expect(p.model.layers.map((l) => l.name)).toEqual(['fc1', 'fc2']);
    expect(weightBytes(p.model).equals(weightBytes(ann.prepare(() => {}).model))).toBe(true);
    const s = p.spiking!;
    expect(s).toMatchObject({ timesteps: 3, coding: 'rate', neuron: { model: 'if', reset: 'subtract', beta: 1, alpha: 0, refractory: 0 }, seed: 4 });
    expect(s.model.id).toBe('test-sg-snn');
    expect(s.model.conversion.method).toBe('surrogate-gradient');
    const run = createSnn(s.model, { timesteps: s.timesteps, seed: s.seed, coding: s.coding, neuron: s.neuron }).run(p.test);
    expect(accuracyOf(run.predictions, p.test.labels)).toBe(s.testAccuracy);
    expect(s.testAccuracy).toBeGreaterThan(0.3); // it learned in 10 steps (chance is 0.1)
    expect(Math.abs((p.training.trainerTestAccuracy as number) - s.testAccuracy)).toBeLessThanOrEqual(0.001);
    expect(w.prepare(() => {}).training.fromCache).toBe(true);
    expect(() => imageSurrogateWorkload('x', 'x', 'fashion-mnist', ann, cfg)).toThrow(/workload x: its ANN baseline test-mlp is on mnist, not fashion-mnist/);
  });

  it('the registry has the CNN and surrogate-gradient workloads', () => {
    for (const id of ['mnist-lenet5', 'fashion-mnist-lenet5', 'mnist-vgg', 'fashion-mnist-vgg', 'mnist-mlp-sg', 'fashion-mnist-mlp-sg']) expect(WORKLOADS.get(id)?.dataset).toBe(id.startsWith('fashion') ? 'fashion-mnist' : 'mnist');
  });
});
