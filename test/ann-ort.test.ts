// The onnxruntime kernel of the dense ANN gives the same predictions and ledger as the reference
// TypeScript kernels, on the trained MNIST MLP and on a CNN with conv, average and max pooling.
import { describe, expect, it } from 'vitest';
import { runBackend } from '../harness/backend.js';
import { createAnn } from '../harness/backends/ann.js';
import { createAnnOrt } from '../harness/backends/ann-ort.js';
import { takeSamples } from '../harness/data.js';
import type { Layer, Model } from '../harness/model.js';
import { createRng } from '../core/rng.js';
import { loadImageDataset } from '../workloads/datasets/idx-images.js';
import { getWorkload } from '../workloads/registry.js';

function cnn(): Model {
  const r = createRng(12);
  const w = (n: number, s: number) => Float32Array.from({ length: n }, () => (2 * r.next() - 1) * s);
  const layers: Layer[] = [
    { kind: 'conv2d', name: 'conv1', inChannels: 1, outChannels: 4, inputHW: [28, 28], kernel: [5, 5], stride: [1, 1], padding: [2, 2], weight: w(100, 0.4), bias: w(4, 0.1), activation: 'relu' },
    { kind: 'avgpool2d', name: 'pool1', channels: 4, inputHW: [28, 28], kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
    { kind: 'conv2d', name: 'conv2', inChannels: 4, outChannels: 6, inputHW: [14, 14], kernel: [3, 3], stride: [2, 2], padding: [1, 1], weight: w(216, 0.3), bias: w(6, 0.1), activation: 'relu' },
    { kind: 'maxpool2d', name: 'pool2', channels: 6, inputHW: [7, 7], kernel: [2, 2], stride: [2, 2], padding: [1, 1] },
    { kind: 'dense', name: 'fc', inFeatures: 96, outFeatures: 10, weight: w(960, 0.3), bias: w(10, 0.1), activation: 'identity' },
  ];
  return { id: 'cnn', inputShape: [1, 28, 28], layers };
}

describe('ann-dense on onnxruntime', () => {
  const test = takeSamples(loadImageDataset('mnist', 'test'), 700);
  it.each([
    ['the trained MNIST MLP', () => getWorkload('mnist-mlp').prepare(() => {}).model],
    ['a CNN with conv, average and max pooling', cnn],
  ])('matches the TypeScript kernels on %s: predictions, and every ledger count', async (_name, build) => {
    const model = build();
    const js = createAnn(model).run(test);
    const ort = await runBackend(createAnnOrt(model, { batch: 256 }), test);
    expect(Array.from(ort.predictions)).toEqual(Array.from(js.predictions));
    expect(ort.ledger.backend.params.kernel).toBe('onnxruntime');
    expect(ort.ledger.layers.map((l) => [l.compute, l.memory, l.activity, l.perTimestep])).toEqual(js.ledger.layers.map((l) => [l.compute, l.memory, l.activity, l.perTimestep]));
  });
});
