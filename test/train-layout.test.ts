// Weight and activation layouts between our Model ([C_in][kh][kw][C_out] conv weights, flat C×H×W
// activations) and tfjs (HWIO filters, NHWC activations): the same network must compute the same
// function on both sides, before and after training.
import { describe, expect, it } from 'vitest';
import { takeSamples } from '../harness/data.js';
import { planModel } from '../harness/exec.js';
import { predictAll } from '../harness/forward.js';
import type { Layer, Model } from '../harness/model.js';
import { activationOf } from '../harness/model.js';
import { createRng } from '../core/rng.js';
import { loadImageDataset } from '../workloads/datasets/idx-images.js';
import type { LayerSpec } from '../workloads/train/architecture.js';
import { buildModel, convWeightToHwio, describeArchitecture, hwioToConvWeight } from '../workloads/train/architecture.js';
import { accuracyOf, tfPredict, trainClassifier } from '../workloads/train/classifier.js';
import { createTfNet, disposeTfNet, exportModel, netForward } from '../workloads/train/graph.js';
import { loadTf } from '../workloads/train/tf.js';

/** Our plain-TS forward pass (the harness kernels), logits of one sample. */
function ourLogits(model: Model, x: Float32Array): Float32Array {
  let a = x;
  for (const p of planModel(model.layers)) {
    const y = new Float32Array(p.outSize);
    p.forward(a, y);
    if (activationOf(p.layer) === 'relu') for (let j = 0; j < y.length; j++) y[j] = Math.max(0, y[j]);
    a = y;
  }
  return a;
}

/** The model with biases drawn at random too (buildModel starts them at zero). */
function withRandomBiases(model: Model, seed: number): Model {
  const rng = createRng(seed);
  const layers = model.layers.map((l): Layer => (l.kind === 'dense' || l.kind === 'conv2d' ? { ...l, bias: l.bias.map(() => rng.next() - 0.5) } : l));
  return { ...model, layers };
}

// Two input channels (so NCHW ↔ NHWC matters), both pooling kinds, padded and unpadded convs.
const TINY: readonly LayerSpec[] = [
  { kind: 'conv', channels: 3, kernel: 3, padding: 1 },
  { kind: 'maxpool', size: 2 },
  { kind: 'conv', channels: 4, kernel: 3, padding: 0 },
  { kind: 'avgpool', size: 2 },
  { kind: 'dense', units: 6 },
];

describe('conv weight layout', () => {
  it('maps our [C][FY][FX][K] to HWIO [FY][FX][C][K] and back', () => {
    const layer = { inChannels: 2, outChannels: 3, kernel: [2, 4] as const, weight: Float32Array.from({ length: 48 }, (_, i) => i) };
    const hwio = convWeightToHwio(layer);
    // our (c=1, fy=1, fx=2, k=0) sits at ((1·2+1)·4+2)·3 = 42; in HWIO at ((1·4+2)·2+1)·3 = 39
    expect(hwio[39]).toBe(42);
    expect(hwio[0]).toBe(0);
    expect(Array.from(hwioToConvWeight(hwio, layer))).toEqual(Array.from(layer.weight));
    expect(() => hwioToConvWeight(new Float32Array(5), layer)).toThrow(/conv weight has 5 values, expected 48/);
  });

  it('names architectures', () => {
    expect(describeArchitecture(TINY, 5)).toBe('conv3x3(3,p1)-maxpool2-conv3x3(4)-avgpool2-dense6-dense5');
  });
});

describe('a tiny conv net in tfjs and in our kernels', () => {
  const model = withRandomBiases(buildModel('tiny-cnn', [2, 8, 8], TINY, 5, 3), 4);

  it('gives the same logits on random inputs (within 1e-5)', async () => {
    const tf = await loadTf('wasm');
    const rng = createRng(9);
    const n = 4;
    const x = Float32Array.from({ length: n * 128 }, () => rng.next());
    const net = createTfNet(tf, model);
    const logits = netForward(tf, net, tf.tensor2d(x, [n, 128])).arraySync();
    disposeTfNet(net);
    for (let s = 0; s < n; s++) {
      const ours = ourLogits(model, x.subarray(s * 128, (s + 1) * 128));
      expect(ours).toHaveLength(5);
      for (let j = 0; j < 5; j++) expect(Math.abs(ours[j] - logits[s][j])).toBeLessThan(1e-5);
    }
  });

  it('exports untrained variables back to the very same weights', async () => {
    const tf = await loadTf('wasm');
    const net = createTfNet(tf, model);
    const back = exportModel(net);
    disposeTfNet(net);
    back.layers.forEach((l, i) => {
      const orig = model.layers[i];
      if ((l.kind === 'dense' || l.kind === 'conv2d') && (orig.kind === 'dense' || orig.kind === 'conv2d')) {
        expect(Buffer.from(l.weight.buffer).equals(Buffer.from(orig.weight.buffer))).toBe(true);
        expect(Array.from(l.bias)).toEqual(Array.from(orig.bias));
      }
    });
  });
});

describe('a conv net trained on real MNIST', () => {
  it('has the same test predictions in our kernels as in tfjs', async () => {
    const tf = await loadTf('wasm');
    const train = loadImageDataset('mnist', 'train');
    const test = takeSamples(loadImageDataset('mnist', 'test'), 1000);
    const arch: LayerSpec[] = [{ kind: 'conv', channels: 4, kernel: 5, padding: 2 }, { kind: 'avgpool', size: 2 }, { kind: 'conv', channels: 8, kernel: 3, padding: 0 }, { kind: 'avgpool', size: 2 }, { kind: 'dense', units: 32 }];
    const cfg = { optimizer: 'momentum', learningRate: 0.05, momentum: 0.9, epochs: 1, batchSize: 32, weightDecay: 1e-4, seed: 2, trainSamples: 3000 } as const;
    const { model } = await trainClassifier(tf, buildModel('mnist-small-cnn', train.shape, arch, 10, 2), train, cfg);
    const theirs = tfPredict(tf, model, test);
    const ours = predictAll(model, test);
    let differ = 0;
    for (let i = 0; i < test.count; i++) if (ours[i] !== theirs[i]) differ++;
    expect(differ).toBeLessThanOrEqual(1); // an exact tie broken differently by float rounding, at most
    expect(accuracyOf(ours, test.labels)).toBeGreaterThan(0.8); // it learned (chance is 0.1)
    expect(Math.abs(accuracyOf(ours, test.labels) - accuracyOf(theirs, test.labels))).toBeLessThanOrEqual(0.001);
  });
});
