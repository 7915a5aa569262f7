// `joulebench run --onnx MODEL --inputs X.npy [--labels Y.npy]`: a user's ONNX model of a sample shape
// that is not MNIST's (2×6×6), on the user's own arrays. Accuracy is checked against a forward pass
// written out here by hand (a naive conv and dense loop, independent of the harness's kernels); without
// labels there is no accuracy but the same ledgers and energies.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import type { Conv2dLayer, DenseLayer, Model } from '../harness/model.js';
import { exportOnnx } from '../harness/onnx/export.js';
import { readResultsFile } from '../reports/results-schema.js';
import { runCli, tempDir } from './cli-helpers.js';
import { f32, le, npy } from './data-readers-helpers.js';

const rand = (n: number, seed: number, lo: number, hi: number) => {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r.next());
};

const conv: Conv2dLayer = { kind: 'conv2d', name: 'conv', inChannels: 2, outChannels: 3, inputHW: [6, 6], kernel: [3, 3], stride: [1, 1], padding: [0, 0], weight: rand(2 * 9 * 3, 1, -0.5, 0.6), bias: rand(3, 2, -0.1, 0.1), activation: 'relu' };
const fc: DenseLayer = { kind: 'dense', name: 'fc', inFeatures: 48, outFeatures: 4, weight: rand(48 * 4, 3, -0.4, 0.4), bias: rand(4, 4, -0.1, 0.1), activation: 'identity' };
const model: Model = { id: 'tiny', inputShape: [2, 6, 6], layers: [conv, fc] };

/** The forward pass by hand, in the layouts harness/model.ts documents: conv [C][kh][kw][K], ReLU, dense [in][out]. */
function handForward(x: Float32Array): number {
  const hidden = new Float64Array(48);
  for (let k = 0; k < 3; k++) {
    for (let oy = 0; oy < 4; oy++) {
      for (let ox = 0; ox < 4; ox++) {
        let s = conv.bias[k];
        for (let c = 0; c < 2; c++) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += conv.weight[convIndex(k, c, i, j)] * x[c * 36 + (oy + i) * 6 + (ox + j)];
        hidden[k * 16 + oy * 4 + ox] = Math.max(0, s);
      }
    }
  }
  let best = 0;
  let bestScore = -Infinity;
  for (let o = 0; o < 4; o++) {
    let s = fc.bias[o];
    for (let i = 0; i < 48; i++) s += fc.weight[i * 4 + o] * hidden[i]; // dense weights are [in][out]
    if (s > bestScore) [best, bestScore] = [o, s];
  }
  return best;
}

/** harness/model.ts stores conv weights as [C][kh][kw][K] (HWIO-like, channel first). */
const convIndex = (k: number, c: number, i: number, j: number) => ((c * 3 + i) * 3 + j) * 3 + k;

describe('run --onnx with your own inputs and labels', () => {
  const cwd = tempDir('onnx-user');
  const N = 8;
  const inputs = rand(N * 72, 9, 0, 1);
  const predicted = Array.from({ length: N }, (_, s) => handForward(inputs.subarray(s * 72, (s + 1) * 72)));
  // the first 6 labels agree with the hand forward pass, the last 2 do not: ANN accuracy 6/8
  const labels = predicted.map((p, s) => (s < 6 ? p : (p + 1) % 4));

  beforeAll(() => {
    writeFileSync(join(cwd, 'tiny.onnx'), exportOnnx(model));
    writeFileSync(join(cwd, 'x.npy'), npy('<f4', [N, 2, 6, 6], f32([...inputs])));
    writeFileSync(join(cwd, 'y.npy'), npy('<i8', [N], le(labels, 8, (d, o, v) => d.setBigInt64(o, BigInt(v), true))));
    writeFileSync(join(cwd, 'wide.npy'), npy('<f4', [N, 72], f32([...inputs].map((v) => v * 2))));
  });

  it('measures the ANN accuracy the hand-written forward pass gives, and writes ledgers and energies of ANN and SNN', async () => {
    const r = await runCli(['run', '--onnx', 'tiny.onnx', '--inputs', 'x.npy', '--labels', 'y.npy', '-T', '4', '--calibration-samples', '8', '-c', 'ops-only-45nm', '--mc-samples', '0', '-q', '-o', 'out'], cwd);
    // the untrained tiny net converted at T = 4 may sit near chance on 8 samples: then its one warning, nothing else
    expect(r.stderr).toMatch(/^(joulebench: warning: snn-if-T4: accuracy [^\n]* is near chance \(25\.00% for 4 classes on 8 samples\)[^\n]*\n)?$/);
    expect(r.code).toBe(0);
    const doc = readResultsFile({ path: join(cwd, 'out', 'results.json'), field: 'test', what: 'results' });
    expect(doc.workload.dataset).toBe('user:x.npy');
    expect(doc.samples).toBe(N);
    const ann = doc.configurations.find((c) => c.id === 'ann-dense')!;
    expect(ann.accuracy).toBe(6 / 8);
    // the dense pass: 2·9·3·16 conv MACs + 48·4 dense MACs per sample
    expect(ann.neurobench.Dense).toBe(2 * 9 * 3 * 16 + 48 * 4);
    expect(doc.configurations.map((c) => c.id)).toEqual(['ann-dense', 'snn-if-T4']);
    expect(doc.workload.training).toMatchObject({ data: { inputs: 'x.npy', samples: N, sampleShape: [2, 6, 6], labelled: true } });
  });

  it('without labels: no accuracy, the same energies', async () => {
    const args = ['run', '--onnx', 'tiny.onnx', '-T', '4', '--calibration-samples', '8', '-c', 'ops-only-45nm', '--mc-samples', '0', '-q'];
    await runCli([...args, '--inputs', 'x.npy', '--labels', 'y.npy', '-o', 'labelled'], cwd);
    const r = await runCli([...args, '--inputs', 'x.npy', '-o', 'unlabelled'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const a = readResultsFile({ path: join(cwd, 'labelled', 'results.json'), field: 'test', what: 'results' });
    const b = readResultsFile({ path: join(cwd, 'unlabelled', 'results.json'), field: 'test', what: 'results' });
    expect(b.configurations.map((c) => c.accuracy)).toEqual([null, null]);
    expect(b.comparisons.every((c) => c.accuracyDelta === null)).toBe(true);
    expect(b.configurations.map((c) => c.energy[0].totalJ)).toEqual(a.configurations.map((c) => c.energy[0].totalJ));
    expect(readFileSync(join(cwd, 'unlabelled', 'report.html'), 'utf8')).not.toContain('accuracy-energy');
  });

  it.each([
    [['--inputs', 'x.npy'], /--inputs: only with --onnx/],
    [['--onnx', 'tiny.onnx', '--labels', 'y.npy'], /--labels: only with --inputs/],
    [['--onnx', 'tiny.onnx', '--inputs', 'x.npy', '--dataset', 'mnist'], /--dataset and --inputs are alternatives/],
    [['--onnx', 'tiny.onnx', '--inputs', 'wide.npy'], /wide\.npy: value \[0, 1\]: is 1\.05\d*; this coding needs inputs in \[0, 1\]/],
    [['--onnx', 'tiny.onnx', '--inputs', 'missing.npy'], /missing\.npy/],
  ])('refuses %j in one line, exit 2, nothing written', async (extra, message) => {
    const dir = tempDir('onnx-user-bad');
    for (const f of ['tiny.onnx', 'x.npy', 'y.npy', 'wide.npy']) writeFileSync(join(dir, f), readFileSync(join(cwd, f)));
    const r = await runCli(['run', ...extra, '-T', '4', '-o', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('without -n all 8 samples run (the tests above); asking for more than there are is refused, not clamped', async () => {
    const r = await runCli(['run', '--onnx', 'tiny.onnx', '--inputs', 'x.npy', '-n', '9', '-T', '4', '-q', '-o', 'more'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^joulebench: error: --samples: asks for 9 samples, but user:x\.npy has 8; give 8 or fewer\n$/);
  });

  it('a claims file\'s run: with inputs and no samples runs all of them too', async () => {
    const yaml = ['version: 1', 'run:', '  onnx: tiny.onnx', '  inputs: x.npy', '  labels: y.npy', '  timesteps: [4]', '  calibration-samples: 8', '  cost-models: [ops-only-45nm]', 'claims:', '  - id: all-eight', '    quantity: { accuracy: ann-dense }', "    condition: { '==': 0.75 }", ''].join('\n');
    writeFileSync(join(cwd, 'claims.yaml'), yaml);
    const r = await runCli(['check', 'claims.yaml', '-q'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 of 1 claims hold/);
  });

  it('a sample shape the model does not take names both shapes', async () => {
    writeFileSync(join(cwd, 'flat.npy'), npy('<f4', [N, 70], f32([...inputs.subarray(0, N * 70)])));
    const r = await runCli(['run', '--onnx', 'tiny.onnx', '--inputs', 'flat.npy', '-T', '4', '-o', 'flat-out'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the model input is \[2, 6, 6\] \(72 values\) but user:flat\.npy samples are \[70\] \(70 values\)/);
  });
});
