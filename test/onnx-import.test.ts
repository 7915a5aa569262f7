// ONNX import ("bring your own model") and export: round trips of a native MLP and CNN with identical
// predictions on real MNIST, a real PyTorch export against PyTorch's own logits, the layouts and
// folds other exporters produce (Gemm transB, MatMul + Add, BatchNormalization, OIHW), and the
// errors a user gets for graphs joulebench cannot represent.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnnDense } from '../harness/backends/ann.js';
import { createSnn } from '../harness/backends/snn.js';
import { convertToSnn } from '../harness/convert.js';
import type { SampleSet } from '../harness/data.js';
import { sampleInput, takeSamples } from '../harness/data.js';
import { InputError } from '../core/errors.js';
import { planModel } from '../harness/exec.js';
import { predictAll } from '../harness/forward.js';
import { convForwardNaive } from '../harness/kernels/conv.js';
import type { Conv2dLayer, DenseLayer, Layer, Model } from '../harness/model.js';
import { activationOf } from '../harness/model.js';
import { createRng } from '../core/rng.js';
import { loadImageDataset } from '../workloads/datasets/idx-images.js';
import { exportOnnx } from '../harness/onnx/export.js';
import { importOnnx, loadOnnxFile } from '../workloads/onnx/import.js';
import { onnxWorkload } from '../workloads/onnx/workload.js';
import { getWorkload } from '../workloads/registry.js';
import type { GraphSpec, NodeSpec } from './fixtures/onnx/build.js';
import { attrFloat, attrInt, attrInts, attrString, floatInit, int64Init, onnxBytes } from './fixtures/onnx/build.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/onnx', import.meta.url));
/** PyTorch's own outputs for a fixture model (written by make-torch-cnn.py). */
function torchExpected(name: string): { ops: string[]; samples: number; logits: number[][]; predictions: number[] } {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8'));
}
const tmp = mkdtempSync(join(tmpdir(), 'joulebench-onnx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const mnist = takeSamples(loadImageDataset('mnist', 'test'), 300);

function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r.next());
}

/** The model's output vectors (after the last layer's activation) for every sample. */
function outputs(model: Model, set: SampleSet): Float32Array[] {
  const plans = planModel(model.layers);
  return Array.from({ length: set.count }, (_, s) => {
    let a = sampleInput(set, s);
    for (const p of plans) {
      const y = new Float32Array(p.outSize);
      p.forward(a, y);
      if (activationOf(p.layer) === 'relu') for (let j = 0; j < y.length; j++) y[j] = Math.max(0, y[j]);
      a = y;
    }
    return a;
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The InputError message a thunk throws (fails the test when it throws nothing or another error). */
function inputError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

const relu = (x: string, y: string, name = `${y}_relu`): NodeSpec => ({ op: 'Relu', name, inputs: [x], outputs: [y] });

/** conv(1→4, 3×3, pad 1, ReLU) → avgpool 2 → conv(4→6, 3×3, stride 2, ReLU) → [maxpool 2] → dense → dense, seeded weights. */
function nativeCnn(withMaxPool: boolean): Model {
  const conv = (name: string, C: number, K: number, hw: [number, number], stride: number, pad: number, seed: number): Conv2dLayer => ({
    kind: 'conv2d', name, inChannels: C, outChannels: K, inputHW: hw, kernel: [3, 3], stride: [stride, stride], padding: [pad, pad],
    weight: randomArray(C * 9 * K, seed, -0.5, 0.6), bias: randomArray(K, seed + 1, -0.1, 0.1), activation: 'relu',
  });
  const layers: Layer[] = [
    conv('conv1', 1, 4, [28, 28], 1, 1, 1),
    { kind: 'avgpool2d', name: 'pool1', channels: 4, inputHW: [28, 28], kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
    conv('conv2', 4, 6, [14, 14], 2, 0, 3), // → 6×6×6
  ];
  let features = 6 * 6 * 6;
  if (withMaxPool) {
    layers.push({ kind: 'maxpool2d', name: 'pool2', channels: 6, inputHW: [6, 6], kernel: [3, 3], stride: [2, 2], padding: [1, 1] }); // → 6×3×3
    features = 6 * 3 * 3;
  }
  layers.push(
    { kind: 'dense', name: 'fc1', inFeatures: features, outFeatures: 16, weight: randomArray(features * 16, 5, -0.3, 0.3), bias: randomArray(16, 6, -0.1, 0.1), activation: 'relu' },
    { kind: 'dense', name: 'fc2', inFeatures: 16, outFeatures: 10, weight: randomArray(160, 7), bias: randomArray(10, 8, -0.1, 0.1), activation: 'identity' },
  );
  return { id: withMaxPool ? 'cnn-max' : 'cnn-avg', inputShape: [1, 28, 28], layers };
}

function expectSameLayers(actual: readonly Layer[], expected: readonly Layer[]): void {
  expect(actual.map((l) => l.name)).toEqual(expected.map((l) => l.name));
  // toEqual compares typed arrays element by element with Object.is: bit-identical weights and biases.
  expect(actual).toEqual(expected);
}

describe('ONNX round trip (export → import)', () => {
  it('the trained MNIST MLP comes back with identical layers and bit-identical predictions', () => {
    const native = getWorkload('mnist-mlp').prepare(() => {}).model;
    const imported = importOnnx(exportOnnx(native), 'mlp.onnx');
    expect(imported.id).toBe('onnx:mlp');
    expect(imported.inputShape).toEqual(native.inputShape);
    expectSameLayers(imported.layers, native.layers);
    const a = createAnnDense(native).run(mnist);
    const b = createAnnDense(imported).run(mnist);
    expect(Array.from(b.predictions)).toEqual(Array.from(a.predictions));
    expect(b.ledger).toEqual(a.ledger);
    // a trained model, not a degenerate one: most of the 300 images are classified right
    expect(Array.from(a.predictions).filter((p, i) => p === mnist.labels[i]).length).toBeGreaterThan(270);
  });

  it.each([true, false])('a CNN (conv, avgpool, strided conv, maxpool %s, dense) comes back bit-identical', (withMaxPool) => {
    const native = nativeCnn(withMaxPool);
    const imported = importOnnx(exportOnnx(native), 'cnn.onnx');
    expect(imported.inputShape).toEqual([1, 28, 28]);
    expectSameLayers(imported.layers, native.layers);
    const ya = outputs(native, mnist);
    const yb = outputs(imported, mnist);
    for (let s = 0; s < mnist.count; s++) expect(maxAbsDiff(yb[s], ya[s])).toBe(0);
    expect(Array.from(predictAll(imported, mnist))).toEqual(Array.from(predictAll(native, mnist)));
  });

  it('an imported average-pooling CNN converts to the SNN backend exactly like the native one', () => {
    const native = nativeCnn(false);
    const imported = importOnnx(exportOnnx(native), 'cnn.onnx');
    const calibration = takeSamples(loadImageDataset('mnist', 'train'), 50);
    const few = takeSamples(mnist, 12);
    const run = (m: Model) => createSnn(convertToSnn(m, calibration, { kind: 'max' }), { timesteps: 8, seed: 4 }).run(few);
    const a = run(native);
    const b = run(imported);
    expect(Array.from(b.predictions)).toEqual(Array.from(a.predictions));
    expect(b.ledger).toEqual(a.ledger);
    expect(b.ledger.layers[0].activity.outputEvents.mean).toBeGreaterThan(0);
  });

  it('a max-pooling model imports and runs on the ANN backend; SNN conversion refuses it with the usual error', () => {
    const imported = importOnnx(exportOnnx(nativeCnn(true)), 'cnn.onnx');
    expect(createAnnDense(imported).run(takeSamples(mnist, 5)).predictions.length).toBe(5);
    expect(() => convertToSnn(imported, takeSamples(mnist, 5), { kind: 'max' })).toThrow(/pool2: max pooling cannot be converted/);
  });

  it('exports a dense layer after an image input with a Flatten, and a conv after a vector input with a Reshape', () => {
    const fc: DenseLayer = { kind: 'dense', name: 'fc', inFeatures: 784, outFeatures: 10, weight: randomArray(7840, 1), bias: randomArray(10, 2), activation: 'identity' };
    const imageInput = importOnnx(exportOnnx({ id: 'a', inputShape: [1, 28, 28], layers: [fc] }), 'a.onnx');
    expect(imageInput.inputShape).toEqual([1, 28, 28]);
    expectSameLayers(imageInput.layers, [fc]);
    const conv = nativeCnn(false).layers[0];
    const vectorInput = importOnnx(exportOnnx({ id: 'b', inputShape: [784], layers: [conv] }), 'b.onnx');
    expect(vectorInput.inputShape).toEqual([784]);
    expectSameLayers(vectorInput.layers, [conv]);
  });
});

describe.each([
  ['torch-cnn', 'maxpool2d', ['Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'BatchNormalization', 'Relu', 'Gemm']],
  ['torch-cnn-avg', 'avgpool2d', ['Conv', 'Relu', 'Constant', 'Pad', 'AveragePool', 'Flatten', 'Gemm', 'BatchNormalization', 'Relu', 'Gemm']],
])('a real PyTorch export, %s (torch.onnx.export, opset 13; see fixtures/onnx/make-torch-cnn.py)', (name, pool, ops) => {
  const model = loadOnnxFile(join(FIXTURES, `${name}.onnx`));
  const expected = torchExpected(name);

  it('has the PyTorch graph ops and imports as conv(ReLU) → pool → dense(ReLU, BN folded) → dense', () => {
    expect(expected.ops).toEqual(ops);
    expect(model.id).toBe(`onnx:${name}`);
    expect(model.inputShape).toEqual([1, 28, 28]);
    expect(model.layers.map((l) => [l.kind, activationOf(l)])).toEqual([
      ['conv2d', 'relu'],
      [pool, 'identity'],
      ['dense', 'relu'],
      ['dense', 'identity'],
    ]);
    expect(model.layers[1]).toMatchObject({ kernel: [4, 4], stride: [4, 4], padding: [0, 0] });
    expect(model.layers[2]).toMatchObject({ inFeatures: 196, outFeatures: 32 });
  });

  it("matches PyTorch's logits on the first 64 MNIST test images (max abs diff < 1e-4, same classes)", () => {
    const set = takeSamples(mnist, expected.samples);
    const ours = outputs(model, set);
    let worst = 0;
    for (let s = 0; s < set.count; s++) worst = Math.max(worst, maxAbsDiff(ours[s], expected.logits[s]));
    expect(worst).toBeLessThan(1e-4);
    expect(Array.from(predictAll(model, set))).toEqual(expected.predictions);
  });
});

it('the PyTorch average-pooling CNN converts to a spiking network and runs on the SNN backend', () => {
  const model = loadOnnxFile(join(FIXTURES, 'torch-cnn-avg.onnx'));
  const snn = convertToSnn(model, takeSamples(loadImageDataset('mnist', 'train'), 200), { kind: 'max' });
  const few = takeSamples(mnist, 20);
  const r = createSnn(snn, { timesteps: 32, seed: 1 }).run(few);
  expect(r.ledger.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
  expect(r.ledger.layers[0].activity.outputEvents.mean).toBeGreaterThan(0);
  // a working conversion, not noise: most of the 20 images get the ANN's class
  const ann = predictAll(model, few);
  expect(Array.from(r.predictions).filter((p, i) => p === ann[i]).length).toBeGreaterThanOrEqual(12);
});

// ---- hand-built graphs: what other exporters write ------------------------------------------------

const W23 = [
  [0.5, -1, 2],
  [1.5, 0.25, -0.75],
]; // [in=2][out=3]

function gemmGraph(transB: 0 | 1, extra: { alpha?: number; beta?: number } = {}): GraphSpec {
  const B = transB ? [0, 1, 2].flatMap((j) => W23.map((row) => row[j])) : W23.flat();
  const attrs = [attrInt('transB', transB), ...(extra.alpha !== undefined ? [attrFloat('alpha', extra.alpha)] : []), ...(extra.beta !== undefined ? [attrFloat('beta', extra.beta)] : [])];
  return {
    input: { name: 'x', dims: ['batch', 2] },
    output: 'y',
    nodes: [{ op: 'Gemm', name: 'fc', inputs: ['x', 'W', 'b'], outputs: ['y'], attrs }],
    initializers: [floatInit('W', transB ? [3, 2] : [2, 3], B), floatInit('b', [3], [0.1, 0.2, 0.3])],
  };
}

describe('Gemm and MatMul layouts', () => {
  it('transB=0 ([in, out]) and transB=1 ([out, in], as PyTorch writes) give the same dense layer', () => {
    const a = importOnnx(onnxBytes(gemmGraph(0)), 'a.onnx').layers[0] as DenseLayer;
    const b = importOnnx(onnxBytes(gemmGraph(1)), 'b.onnx').layers[0] as DenseLayer;
    expect(Array.from(a.weight)).toEqual(W23.flat());
    expect(b).toEqual(a);
    expect(a).toMatchObject({ kind: 'dense', name: 'fc', inFeatures: 2, outFeatures: 3, activation: 'identity' });
    expect(Array.from(a.bias)).toEqual(Array.from(Float32Array.from([0.1, 0.2, 0.3])));
  });

  it('folds alpha into the weights and beta into the bias', () => {
    const l = importOnnx(onnxBytes(gemmGraph(1, { alpha: 2, beta: 0.5 })), 'a.onnx').layers[0] as DenseLayer;
    expect(Array.from(l.weight)).toEqual(W23.flat().map((w) => 2 * w));
    expect(Array.from(l.bias)).toEqual(Array.from(Float32Array.from([0.05, 0.1, 0.15])));
  });

  it('reads float_data initializers like raw_data ones', () => {
    const spec = gemmGraph(0);
    const l = importOnnx(onnxBytes({ ...spec, initializers: [floatInit('W', [2, 3], W23.flat(), 'float_data'), floatInit('b', [3], [0.1, 0.2, 0.3], 'float_data')] }), 'a.onnx');
    expect(l.layers[0]).toEqual(importOnnx(onnxBytes(spec), 'b.onnx').layers[0]);
  });

  it('tf2onnx/Keras style: MatMul + Add(bias) + Relu → MatMul + Add → trailing Softmax', () => {
    const W1 = randomArray(784 * 8, 11);
    const b1 = randomArray(8, 12);
    const W2 = randomArray(80, 13);
    const b2 = randomArray(10, 14);
    const model = importOnnx(
      onnxBytes({
        input: { name: 'input_1', dims: ['unk__6', 784] },
        output: 'probs',
        nodes: [
          { op: 'MatMul', name: 'dense/MatMul', inputs: ['input_1', 'dense/kernel'], outputs: ['m1'] },
          { op: 'Add', name: 'dense/BiasAdd', inputs: ['m1', 'dense/bias'], outputs: ['a1'] },
          relu('a1', 'r1', 'dense/Relu'),
          { op: 'MatMul', name: 'dense_1/MatMul', inputs: ['r1', 'dense_1/kernel'], outputs: ['m2'] },
          { op: 'Add', name: 'dense_1/BiasAdd', inputs: ['dense_1/bias', 'm2'], outputs: ['a2'] }, // bias first: Add commutes
          { op: 'Softmax', name: 'dense_1/Softmax', inputs: ['a2'], outputs: ['probs'], attrs: [attrInt('axis', -1)] },
        ],
        initializers: [floatInit('dense/kernel', [784, 8], W1), floatInit('dense/bias', [8], b1), floatInit('dense_1/kernel', [8, 10], W2), floatInit('dense_1/bias', [10], b2)],
      }),
      'keras.onnx',
    );
    expectSameLayers(model.layers, [
      { kind: 'dense', name: 'dense/MatMul', inFeatures: 784, outFeatures: 8, weight: W1, bias: b1, activation: 'relu' },
      { kind: 'dense', name: 'dense_1/MatMul', inFeatures: 8, outFeatures: 10, weight: W2, bias: b2, activation: 'identity' },
    ]);
  });

  it('PyTorch style with a Reshape to [-1, features] instead of Flatten, Identity and Dropout as no-ops', () => {
    const conv = nativeCnn(false).layers[0] as Conv2dLayer;
    const convW = new Float32Array(conv.weight.length); // OIHW
    for (let k = 0; k < 4; k++) for (let j = 0; j < 9; j++) convW[k * 9 + j] = conv.weight[j * 4 + k];
    const fcW = randomArray(10 * 4 * 14 * 14, 21); // [out][in] for transB=1
    const model = importOnnx(
      onnxBytes({
        input: { name: 'x', dims: [1, 1, 28, 28] },
        output: 'y',
        nodes: [
          { op: 'Identity', name: 'id', inputs: ['x'], outputs: ['x1'] },
          { op: 'Conv', name: 'conv', inputs: ['x1', 'cw', 'cb'], outputs: ['c'], attrs: [attrInts('kernel_shape', [3, 3]), attrInts('pads', [1, 1, 1, 1]), attrInts('strides', [1, 1]), attrInts('dilations', [1, 1]), attrInt('group', 1)] },
          relu('c', 'r'),
          { op: 'MaxPool', name: 'pool', inputs: ['r'], outputs: ['p'], attrs: [attrInts('kernel_shape', [2, 2]), attrInts('strides', [2, 2]), attrInt('ceil_mode', 1)] },
          { op: 'Reshape', name: 'flat', inputs: ['p', 'shape'], outputs: ['f'] },
          { op: 'Dropout', name: 'drop', inputs: ['f'], outputs: ['d'] },
          { op: 'Gemm', name: 'fc', inputs: ['d', 'fw', 'fb'], outputs: ['y'], attrs: [attrFloat('alpha', 1), attrFloat('beta', 1), attrInt('transB', 1)] },
        ],
        initializers: [floatInit('cw', [4, 1, 3, 3], convW), floatInit('cb', [4], conv.bias), int64Init('shape', [-1, 784]), floatInit('fw', [10, 784], fcW), floatInit('fb', [10], new Float32Array(10))],
      }),
      'torchish.onnx',
    );
    expect(model.layers.map((l) => l.kind)).toEqual(['conv2d', 'maxpool2d', 'dense']);
    expect(model.layers[0]).toEqual({ ...conv, name: 'conv' });
    expect(model.layers[1]).toMatchObject({ channels: 4, inputHW: [28, 28], kernel: [2, 2], stride: [2, 2], padding: [0, 0] });
    expect(model.layers[2]).toMatchObject({ inFeatures: 784, outFeatures: 10 });
  });

  /** What torch.onnx.export writes for x.view(x.size(0), -1) with a symbolic batch (opset 13), after a conv. */
  function dynamicView(target: NodeSpec[]): GraphSpec {
    const conv = nativeCnn(false).layers[0] as Conv2dLayer;
    const constant = (out: string, value: ReturnType<typeof int64Init>): NodeSpec => ({ op: 'Constant', name: out, inputs: [], outputs: [out], attrs: [{ name: 'value', type: 4, t: value }] });
    return {
      input: { name: 'x', dims: ['batch', 1, 28, 28] },
      output: 'y',
      nodes: [
        { op: 'Conv', name: '/c/Conv', inputs: ['x', 'c.weight', 'c.bias'], outputs: ['c'], attrs: [attrInts('kernel_shape', [3, 3]), attrInts('pads', [1, 1, 1, 1])] },
        relu('c', 'r', '/Relu'),
        { op: 'Shape', name: '/Shape', inputs: ['r'], outputs: ['shape'] },
        constant('/Constant_output_0', { ...int64Init('', [0]), dims: [] }),
        { op: 'Gather', name: '/Gather', inputs: ['shape', '/Constant_output_0'], outputs: ['n'], attrs: [attrInt('axis', 0)] },
        constant('axes0', int64Init('', [0])),
        { op: 'Unsqueeze', name: '/Unsqueeze', inputs: ['n', 'axes0'], outputs: ['n1'] },
        constant('minus1', int64Init('', [-1])),
        ...target,
        { op: 'Reshape', name: '/Reshape', inputs: ['r', 'target'], outputs: ['f'] },
        { op: 'Gemm', name: '/f/Gemm', inputs: ['f', 'f.weight', 'f.bias'], outputs: ['y'], attrs: [attrInt('transB', 1)] },
      ],
      initializers: [floatInit('c.weight', [4, 1, 3, 3], new Float32Array(36).fill(0.25)), floatInit('c.bias', [4], [0, 0, 0, 0]), floatInit('f.weight', [10, 4 * 28 * 28], randomArray(10 * 4 * 28 * 28, 3)), floatInit('f.bias', [10], new Float32Array(10))],
    };
  }

  it('PyTorch x.view(x.size(0), -1) with a symbolic batch (Shape → Gather → Unsqueeze → Concat → Reshape) imports like a Flatten', () => {
    const model = importOnnx(onnxBytes(dynamicView([{ op: 'Concat', name: '/Concat', inputs: ['n1', 'minus1'], outputs: ['target'], attrs: [attrInt('axis', 0)] }])), 'view.onnx');
    expect(model.layers.map((l) => [l.kind, activationOf(l)])).toEqual([
      ['conv2d', 'relu'],
      ['dense', 'identity'],
    ]);
    expect(model.layers[1]).toMatchObject({ inFeatures: 4 * 28 * 28, outFeatures: 10 });
    const moved = dynamicView([{ op: 'Concat', name: '/Concat', inputs: ['minus1', 'n1'], outputs: ['target'], attrs: [attrInt('axis', 0)] }]);
    expect(inputError(() => importOnnx(onnxBytes(moved), 'view.onnx'))).toMatch(/node 9 "\/Reshape" \(Reshape\): its target shape \[-1, N\] moves the batch dimension/);
  });

  it('a Relu after MaxPool moves onto the conv before it (relu∘max = max∘relu); a Relu of ReLU outputs is a no-op', () => {
    const conv = nativeCnn(false).layers[0] as Conv2dLayer;
    const convW = new Float32Array(conv.weight.length);
    for (let k = 0; k < 4; k++) for (let j = 0; j < 9; j++) convW[k * 9 + j] = conv.weight[j * 4 + k];
    const model = importOnnx(
      onnxBytes({
        input: { name: 'x', dims: ['N', 1, 28, 28] },
        output: 'r2',
        nodes: [
          { op: 'Conv', name: 'conv', inputs: ['x', 'cw', 'cb'], outputs: ['c'], attrs: [attrInts('pads', [1, 1, 1, 1])] },
          { op: 'MaxPool', name: 'pool', inputs: ['c'], outputs: ['p'], attrs: [attrInts('kernel_shape', [2, 2]), attrInts('strides', [2, 2])] },
          relu('p', 'r'),
          { op: 'GlobalAveragePool', name: 'gap', inputs: ['r'], outputs: ['g'] },
          relu('g', 'r2'),
        ],
        initializers: [floatInit('cw', [4, 1, 3, 3], convW), floatInit('cb', [4], conv.bias)],
      }),
      'relu-after-pool.onnx',
    );
    expect(model.layers[0]).toEqual({ ...conv, name: 'conv', activation: 'relu' });
    expect(model.layers[2]).toMatchObject({ kind: 'avgpool2d', channels: 4, inputHW: [14, 14], kernel: [14, 14], stride: [1, 1] });
  });
});

describe('Pad', () => {
  const W = new Float32Array(2 * 1 * 3 * 3).fill(0.5);
  const padGraph = (pads: number[], next: NodeSpec): GraphSpec => ({
    input: { name: 'x', dims: ['N', 1, 5, 5] },
    output: next.outputs[0],
    nodes: [{ op: 'Pad', name: 'pad', inputs: ['x', 'pads'], outputs: ['p'], attrs: [attrString('mode', 'constant')] }, next],
    initializers: [int64Init('pads', pads), floatInit('W', [2, 1, 3, 3], W)],
  });
  const conv: NodeSpec = { op: 'Conv', name: 'conv', inputs: ['p', 'W'], outputs: ['y'], attrs: [attrInts('pads', [1, 0, 1, 0])] };

  it('symmetric zero padding before a Conv adds to the Conv\'s padding', () => {
    const model = importOnnx(onnxBytes(padGraph([0, 0, 1, 2, 0, 0, 1, 2], conv)), 'pad.onnx');
    expect(model.layers).toHaveLength(1);
    expect(model.layers[0]).toMatchObject({ kind: 'conv2d', inputHW: [5, 5], padding: [2, 2] });
  });

  it('nonzero padding before anything but a Conv, and asymmetric padding, are refused naming the Pad node', () => {
    const pool: NodeSpec = { op: 'MaxPool', name: 'mp', inputs: ['p'], outputs: ['y'], attrs: [attrInts('kernel_shape', [2, 2])] };
    expect(inputError(() => importOnnx(onnxBytes(padGraph([0, 0, 1, 1, 0, 0, 1, 1], pool)), 'pad.onnx'))).toMatch(/node 0 "pad" \(Pad\): zero padding \[1, 1\] is followed by node 1 "mp" \(MaxPool\), not by a Conv/);
    expect(inputError(() => importOnnx(onnxBytes(padGraph([0, 0, 0, 0, 0, 0, 1, 1], conv)), 'pad.onnx'))).toMatch(/node 0 "pad" \(Pad\): pads=\[0, 0, 0, 0, 0, 0, 1, 1\] .* are not supported/);
  });
});

describe('BatchNormalization folding', () => {
  const gamma = [2, 0.5];
  const beta = [0.25, -4];
  const mean = [0.5, -0.25];
  const variance = [4, 0.09];
  const eps = 0.01;
  const bn = (x: string, y: string): NodeSpec => ({ op: 'BatchNormalization', name: 'bn', inputs: [x, 'g', 'be', 'mu', 'var'], outputs: [y], attrs: [attrFloat('epsilon', eps)] });
  const bnInits = [floatInit('g', [2], gamma), floatInit('be', [2], beta), floatInit('mu', [2], mean), floatInit('var', [2], variance)];
  const hand = (z: number, k: number) => (gamma[k] * (z - mean[k])) / Math.sqrt(variance[k] + eps) + beta[k];

  it('into a Gemm: output equals γ·(Wx + b − μ)/√(σ² + ε) + β computed by hand', () => {
    const W = [
      [1, -2],
      [0.5, 3],
      [-1, 0.25],
    ]; // [in=3][out=2]
    const b = [0.1, -0.3];
    const model = importOnnx(
      onnxBytes({
        input: { name: 'x', dims: ['N', 3] },
        output: 'y',
        nodes: [{ op: 'Gemm', name: 'fc', inputs: ['x', 'W', 'b'], outputs: ['z'] }, bn('z', 'y')],
        initializers: [floatInit('W', [3, 2], W.flat()), floatInit('b', [2], b), ...bnInits],
      }),
      'bn.onnx',
    );
    expect(model.layers).toHaveLength(1);
    const x = [0.2, -1, 0.7];
    const [y] = outputs(model, { id: 't', count: 1, shape: [3], inputs: Float32Array.from(x), labels: new Uint8Array(1), classes: 2 });
    for (let k = 0; k < 2; k++) {
      const z = x[0] * W[0][k] + x[1] * W[1][k] + x[2] * W[2][k] + b[k];
      expect(y[k]).toBeCloseTo(hand(z, k), 5);
    }
    // folded values: W'[i][k] = W[i][k]·s_k, b'_k = (b_k − μ_k)·s_k + β_k with s_k = γ_k/√(σ²_k + ε)
    const s = [2 / Math.sqrt(4.01), 0.5 / Math.sqrt(0.1)];
    const l = model.layers[0] as DenseLayer;
    expect(l.weight[1]).toBeCloseTo(-2 * s[1], 6);
    expect(l.bias[0]).toBeCloseTo((0.1 - 0.5) * s[0] + 0.25, 6);
  });

  it('into a Conv (per output channel), followed by Relu', () => {
    // 1 input channel, 2 output channels, 2×2 kernel on a 2×2 image (one output position each)
    const Woihw = [1, 2, 3, 4, -1, 0.5, 0, 2];
    const model = importOnnx(
      onnxBytes({
        input: { name: 'x', dims: ['N', 1, 2, 2] },
        output: 'r',
        nodes: [{ op: 'Conv', name: 'conv', inputs: ['x', 'W'], outputs: ['z'], attrs: [attrInts('kernel_shape', [2, 2])] }, bn('z', 'y'), relu('y', 'r')],
        initializers: [floatInit('W', [2, 1, 2, 2], Woihw), ...bnInits],
      }),
      'bn-conv.onnx',
    );
    const x = [0.5, 0.25, -0.5, 1];
    const [y] = outputs(model, { id: 't', count: 1, shape: [1, 2, 2], inputs: Float32Array.from(x), labels: new Uint8Array(1), classes: 2 });
    const z = [0, 1].map((k) => x.reduce((acc, v, j) => acc + v * Woihw[k * 4 + j], 0));
    expect(y[0]).toBeCloseTo(Math.max(0, hand(z[0], 0)), 5);
    expect(y[1]).toBeCloseTo(Math.max(0, hand(z[1], 1)), 5);
    expect(hand(z[0], 0)).toBeGreaterThan(0); // the check is not vacuous: one channel passes the ReLU…
    expect(hand(z[1], 1)).toBeLessThan(0); // …and one is clipped
    expect(activationOf(model.layers[0])).toBe('relu');
  });
});

describe('Conv weights: ONNX OIHW → [C][kh][kw][K]', () => {
  it('agrees with a convolution written directly in OIHW indexing (hand case: 2→3 channels, 2×3 kernel, stride 2×1, pad 1×0)', () => {
    const [K, C, FY, FX] = [3, 2, 2, 3];
    const [H, W] = [4, 5];
    const oihw = Float32Array.from({ length: K * C * FY * FX }, (_, i) => ((i * 7) % 11) - 5); // distinct small integers: exact sums
    const bias = [1, -2, 0.5];
    const model = importOnnx(
      onnxBytes({
        input: { name: 'x', dims: ['N', C, H, W] },
        output: 'y',
        nodes: [{ op: 'Conv', name: 'conv', inputs: ['x', 'W', 'B'], outputs: ['y'], attrs: [attrInts('kernel_shape', [FY, FX]), attrInts('strides', [2, 1]), attrInts('pads', [1, 0, 1, 0])] }],
        initializers: [floatInit('W', [K, C, FY, FX], oihw), floatInit('B', [K], bias)],
      }),
      'conv.onnx',
    );
    const layer = model.layers[0] as Conv2dLayer;
    expect(layer).toMatchObject({ inChannels: C, outChannels: K, inputHW: [H, W], kernel: [FY, FX], stride: [2, 1], padding: [1, 0] });
    // the transposed layout itself: weight[c][y][x][k] = OIHW[k][c][y][x]
    expect(layer.weight[((1 * FY + 1) * FX + 2) * K + 2]).toBe(oihw[((2 * C + 1) * FY + 1) * FX + 2]);
    const x = Float32Array.from({ length: C * H * W }, (_, i) => (i % 4) - 1);
    const OY = Math.floor((H + 2 - FY) / 2) + 1;
    const OX = W - FX + 1;
    const expected: number[] = [];
    for (let k = 0; k < K; k++) {
      for (let oy = 0; oy < OY; oy++) {
        for (let ox = 0; ox < OX; ox++) {
          let s = bias[k];
          for (let c = 0; c < C; c++) {
            for (let fy = 0; fy < FY; fy++) {
              for (let fx = 0; fx < FX; fx++) {
                const iy = oy * 2 + fy - 1;
                const ix = ox + fx;
                if (iy >= 0 && iy < H) s += oihw[((k * C + c) * FY + fy) * FX + fx] * x[(c * H + iy) * W + ix];
              }
            }
          }
          expected.push(s);
        }
      }
    }
    expect(Array.from(convForwardNaive(layer, x))).toEqual(expected);
    // and the harness's scatter kernel agrees
    const plan = planModel(model.layers)[0];
    const y = new Float32Array(plan.outSize);
    plan.forward(x, y);
    expect(Array.from(y)).toEqual(expected);
  });

  it('auto_pad SAME_UPPER with an odd kernel becomes symmetric padding', () => {
    const model = importOnnx(
      onnxBytes({
        input: { name: 'x', dims: ['N', 1, 6, 6] },
        output: 'y',
        nodes: [{ op: 'Conv', name: 'conv', inputs: ['x', 'W'], outputs: ['y'], attrs: [attrString('auto_pad', 'SAME_UPPER')] }],
        initializers: [floatInit('W', [1, 1, 5, 5], new Float32Array(25).fill(1))],
      }),
      'same.onnx',
    );
    expect(model.layers[0]).toMatchObject({ padding: [2, 2], inputHW: [6, 6] });
  });
});

// ---- errors ------------------------------------------------------------------------------------------

function mlpSpec(nodes: NodeSpec[], initializers = [floatInit('W', [4, 3], randomArray(12, 1)), floatInit('b', [3], [0, 0, 0])]): GraphSpec {
  return { input: { name: 'x', dims: ['N', 4] }, output: nodes[nodes.length - 1].outputs[0], nodes, initializers };
}
const gemm: NodeSpec = { op: 'Gemm', name: 'fc', inputs: ['x', 'W', 'b'], outputs: ['z'] };

describe('import errors name the file, the node and the fix', () => {
  it('an unsupported op (LSTM) names the op and the node', () => {
    const msg = inputError(() => importOnnx(onnxBytes(mlpSpec([gemm, { op: 'LSTM', name: 'lstm_1', inputs: ['z'], outputs: ['h'] }])), 'rnn.onnx'));
    expect(msg).toMatch(/^rnn\.onnx: node 1 "lstm_1" \(LSTM\): op LSTM is not supported; supported ops: Gemm, MatMul/);
  });

  it('an op with a known alternative says what to do (Sigmoid → ReLU; Mul → fold the scale)', () => {
    expect(inputError(() => importOnnx(onnxBytes(mlpSpec([gemm, { op: 'Sigmoid', name: 'sig', inputs: ['z'], outputs: ['s'] }])), 'm.onnx'))).toMatch(/node 1 "sig" \(Sigmoid\).*retrain with ReLU/);
    expect(inputError(() => importOnnx(onnxBytes(mlpSpec([{ op: 'Mul', inputs: ['x', 'b'], outputs: ['s'] }, gemm])), 'm.onnx'))).toMatch(/^m\.onnx: node 0 \(Mul\): op Mul is not supported; element-wise scaling/);
  });

  it('an op from another domain is refused', () => {
    const msg = inputError(() => importOnnx(onnxBytes(mlpSpec([{ ...gemm, domain: 'com.microsoft', op: 'FusedGemm' }])), 'm.onnx'));
    expect(msg).toMatch(/node 0 "fc" \(FusedGemm\): op domain "com\.microsoft" is not supported/);
  });

  it('a residual Add of two activations', () => {
    const spec = mlpSpec(
      [
        { op: 'Gemm', name: 'fc', inputs: ['x', 'W', 'b'], outputs: ['z'] },
        relu('z', 'r'),
        { op: 'Gemm', name: 'fc2', inputs: ['r', 'W2'], outputs: ['z2'] },
        { op: 'Add', name: 'skip', inputs: ['z2', 'r'], outputs: ['y'] },
      ],
      [floatInit('W', [4, 3], randomArray(12, 1)), floatInit('b', [3], [0, 0, 0]), floatInit('W2', [3, 3], randomArray(9, 2))],
    );
    expect(inputError(() => importOnnx(onnxBytes(spec), 'res.onnx'))).toMatch(/node 3 "skip" \(Add\): adds two activations; residual connections are not supported/);
  });

  it('malformed bytes: garbage, a truncated file, an empty file', () => {
    const good = exportOnnx(nativeCnn(false));
    expect(inputError(() => importOnnx(new TextEncoder().encode('this is not an onnx file'), 'junk.onnx'))).toMatch(/^junk\.onnx: not a valid ONNX model: .*check that the file is a complete \.onnx file/);
    expect(inputError(() => importOnnx(good.subarray(0, good.length - 100), 'cut.onnx'))).toMatch(/^cut\.onnx: not a valid ONNX model/);
    expect(inputError(() => importOnnx(new Uint8Array(0), 'empty.onnx'))).toMatch(/^empty\.onnx: not a valid ONNX model: no ir_version/);
  });

  it('a non-float32 initializer names the initializer and its type', () => {
    const f64 = { name: 'W', dims: [4, 3], data_type: 11, raw_data: new Uint8Array(96) };
    const msg = inputError(() => importOnnx(onnxBytes(mlpSpec([gemm], [f64, floatInit('b', [3], [0, 0, 0])])), 'f64.onnx'));
    expect(msg).toMatch(/initializer "W" \(weight B of node 0 "fc" \(Gemm\)\) has data type DOUBLE \(11\); only float32 \(1\) weights are supported/);
  });

  it('weights in an external data file', () => {
    const ext = { name: 'W', dims: [4, 3], data_type: 1, data_location: 1, external_data: [{ key: 'location', value: 'w.bin' }] };
    expect(inputError(() => importOnnx(onnxBytes(mlpSpec([gemm], [ext, floatInit('b', [3], [0, 0, 0])])), 'ext.onnx'))).toMatch(/initializer "W" .*external data file; save the model with all tensors inside/);
  });

  const convSpec = (attrs: ReturnType<typeof attrInt>[], wDims = [4, 1, 3, 3]): GraphSpec => ({
    input: { name: 'x', dims: ['N', 2, 8, 8] },
    output: 'y',
    nodes: [{ op: 'Conv', name: 'conv1', inputs: ['x', 'W'], outputs: ['y'], attrs }],
    initializers: [floatInit('W', wDims, new Float32Array(wDims.reduce((a, b) => a * b, 1)))],
  });

  it('a group that does not divide the channels, a dilated window that does not fit, asymmetric padding', () => {
    // the input has 2 channels: group 3 does not divide them; group 2 with weights of 2 channels per group asks for 4
    expect(inputError(() => importOnnx(onnxBytes(convSpec([attrInt('group', 3)])), 'g.onnx'))).toMatch(/node 0 "conv1" \(Conv\): group=3 must be a positive integer dividing the 2 input channels/);
    expect(inputError(() => importOnnx(onnxBytes(convSpec([attrInt('group', 2)], [4, 2, 3, 3])), 'g.onnx'))).toMatch(/weight expects 2 input channels per group × group=2 but the input has 2 channels/);
    expect(inputError(() => importOnnx(onnxBytes(convSpec([attrInt('group', 2)], [3, 1, 3, 3])), 'g.onnx'))).toMatch(/3 output channels are not divisible by group=2/);
    // dilation 4 spreads a 3-tap kernel over 4·2 + 1 = 9 > 8 inputs
    expect(inputError(() => importOnnx(onnxBytes(convSpec([attrInts('dilations', [4, 4])], [4, 2, 3, 3])), 'd.onnx'))).toMatch(/a 3×3 window \(dilation 4×4\) does not fit the 8×8 input/);
    expect(inputError(() => importOnnx(onnxBytes(convSpec([attrInts('pads', [0, 0, 1, 1])], [4, 2, 3, 3])), 'p.onnx'))).toMatch(/asymmetric padding pads=\[0, 0, 1, 1\] is not supported/);
  });

  it('AveragePool with count_include_pad=1 and padding; ceil_mode that changes the output size', () => {
    const pool = (attrs: ReturnType<typeof attrInt>[]): GraphSpec => ({
      input: { name: 'x', dims: ['N', 2, 7, 7] },
      output: 'y',
      nodes: [{ op: 'AveragePool', name: 'ap', inputs: ['x'], outputs: ['y'], attrs: [attrInts('kernel_shape', [2, 2]), attrInts('strides', [2, 2]), ...attrs] }],
      initializers: [],
    });
    expect(inputError(() => importOnnx(onnxBytes(pool([attrInts('pads', [1, 1, 1, 1]), attrInt('count_include_pad', 1)])), 'a.onnx'))).toMatch(/"ap" \(AveragePool\): count_include_pad=1 with padding is not supported/);
    expect(inputError(() => importOnnx(onnxBytes(pool([attrInt('ceil_mode', 1)])), 'a.onnx'))).toMatch(/ceil_mode=1 gives a 4×4 output where floor gives 3×3/);
  });

  it('a Softmax that is not the last node, a branch, a Gemm on an image, a BatchNormalization after ReLU', () => {
    expect(inputError(() => importOnnx(onnxBytes(mlpSpec([gemm, { op: 'Softmax', name: 'sm', inputs: ['z'], outputs: ['s'] }, relu('s', 'r')])), 'm.onnx'))).toMatch(/node 1 "sm" \(Softmax\): is not the last node/);
    expect(inputError(() => importOnnx(onnxBytes(mlpSpec([relu('x', 'r1', 'a'), relu('x', 'r2', 'b'), { ...gemm, inputs: ['r1', 'W', 'b'] }])), 'm.onnx'))).toMatch(/tensor "x" feeds 2 nodes \(node 0 "a" \(Relu\), node 1 "b" \(Relu\)\); joulebench imports a single chain/);
    const onImage: GraphSpec = { input: { name: 'x', dims: ['N', 1, 2, 2] }, output: 'z', nodes: [gemm], initializers: [floatInit('W', [4, 3], randomArray(12, 1)), floatInit('b', [3], [0, 0, 0])] };
    expect(inputError(() => importOnnx(onnxBytes(onImage), 'm.onnx'))).toMatch(/node 0 "fc" \(Gemm\): needs a 2-D input \[N, features\] but gets \[N, 1, 2, 2\]; insert a Flatten before it/);
    const bnAfterRelu = mlpSpec(
      [gemm, relu('z', 'r'), { op: 'BatchNormalization', name: 'bn', inputs: ['r', 'g', 'g', 'g', 'g'], outputs: ['y'] }],
      [floatInit('W', [4, 3], randomArray(12, 1)), floatInit('b', [3], [0, 0, 0]), floatInit('g', [3], [1, 1, 1])],
    );
    expect(inputError(() => importOnnx(onnxBytes(bnAfterRelu), 'm.onnx'))).toMatch(/node 2 "bn" \(BatchNormalization\): BatchNormalization must directly follow a Gemm, MatMul or Conv \(before its Relu\)/);
  });

  it('a model input with a symbolic sample dimension, and a missing file', () => {
    const spec = { ...mlpSpec([gemm]), input: { name: 'x', dims: ['N', 'features'] } };
    expect(inputError(() => importOnnx(onnxBytes(spec), 'm.onnx'))).toMatch(/input "x" dimension 1 is symbolic \("features"\); only the batch dimension \(0\) may be symbolic/);
    expect(inputError(() => loadOnnxFile(join(tmp, 'missing.onnx')))).toMatch(/missing\.onnx: cannot read the file \(ENOENT\); check the path/);
  });
});

describe('onnxWorkload', () => {
  it('loads the file (no training) with a filename-based id and content hash', () => {
    const path = join(tmp, 'my-cnn.onnx');
    writeFileSync(path, exportOnnx(nativeCnn(false)));
    const w = onnxWorkload(path, 'mnist');
    expect(w.id).toBe('onnx:my-cnn');
    expect(w.dataset).toBe('mnist');
    const lines: string[] = [];
    const prepared = w.prepare((l) => lines.push(l));
    expectSameLayers(prepared.model.layers, nativeCnn(false).layers);
    expect(prepared.test.id).toBe('mnist/test');
    expect(prepared.training).toMatchObject({ source: 'onnx', file: 'my-cnn.onnx', fromCache: false });
    expect(prepared.training.cacheKey).toMatch(/^[0-9a-f]{64}$/);
    expect(lines.join('\n')).toMatch(/loaded my-cnn\.onnx \(conv1 conv2d 1→4 3×3 relu, pool1 avgpool2d 2×2/);
  });

  it('refuses a model whose input does not match the dataset, naming both sizes', () => {
    const path = join(tmp, 'wrong.onnx');
    writeFileSync(path, onnxBytes(mlpSpec([gemm])));
    expect(inputError(() => onnxWorkload(path, 'mnist').prepare(() => {}))).toMatch(/wrong\.onnx: the model input is \[4\] \(4 values\) but mnist\/test samples are \[1, 28, 28\] \(784 values\)/);
  });

  it('refuses a model whose output count differs from the classes', () => {
    const path = join(tmp, 'outputs.onnx');
    const fc: DenseLayer = { kind: 'dense', name: 'fc', inFeatures: 784, outFeatures: 7, weight: new Float32Array(784 * 7), bias: new Float32Array(7), activation: 'identity' };
    writeFileSync(path, exportOnnx({ id: 'x', inputShape: [784], layers: [fc] }));
    expect(inputError(() => onnxWorkload(path, 'mnist').prepare(() => {}))).toMatch(/the model gives 7 outputs but mnist\/test has 10 classes/);
  });
});
