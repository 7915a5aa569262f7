// The trainer's hand-placed gradients (workloads/train/ops.ts) against tfjs' own gradient kernels
// (MatMul, Conv2DBackpropInput, Conv2DBackpropFilter) on the pure-JS cpu backend.
import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { createRng } from '../core/rng.js';
import { checkTrainableConv, trainableConv, trainableDense } from '../workloads/train/ops.js';
import type { Tf } from '../workloads/train/tf.js';
import { loadTf } from '../workloads/train/tf.js';

function values(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => 2 * rng.next() - 1);
}

/** Gradients of Σ y ⊙ r with respect to x and w, as plain arrays. */
function gradsOf(tf: Tf, f: (x: Tensor, w: Tensor) => Tensor, x: Tensor, w: Tensor, r: Tensor): [Float32Array, Float32Array] {
  const [gx, gw] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(f(a, b), r)))([x, w]);
  return [gx.dataSync() as Float32Array, gw.dataSync() as Float32Array];
}

function expectClose(actual: Float32Array, expected: Float32Array, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  expect(worst).toBeLessThan(tol);
}

afterAll(async () => {
  await loadTf('wasm');
});

describe('conv gradients as forward convolutions', () => {
  const cases: { name: string; n: number; h: number; w: number; c: number; k: number; fy: number; fx: number; py: number; px: number }[] = [
    { name: '5×5, padding 2 (LeNet conv1 shape)', n: 3, h: 12, w: 12, c: 1, k: 4, fy: 5, fx: 5, py: 2, px: 2 },
    { name: '5×5, no padding, 6 → 16 channels', n: 2, h: 10, w: 10, c: 6, k: 16, fy: 5, fx: 5, py: 0, px: 0 },
    { name: '3×3, padding 1 (VGG shape)', n: 2, h: 7, w: 7, c: 3, k: 5, fy: 3, fx: 3, py: 1, px: 1 },
    { name: '3×5 kernel, padding [1, 2], non-square input', n: 2, h: 6, w: 9, c: 2, k: 3, fy: 3, fx: 5, py: 1, px: 2 },
  ];
  for (const cs of cases) {
    it(`${cs.name}: input and filter gradients equal tfjs' kernels`, async () => {
      const xs = values(cs.n * cs.h * cs.w * cs.c, 1);
      const ws = values(cs.fy * cs.fx * cs.c * cs.k, 2);
      const oy = cs.h + 2 * cs.py - cs.fy + 1;
      const ox = cs.w + 2 * cs.px - cs.fx + 1;
      const rs = values(cs.n * oy * ox * cs.k, 3);
      const shapes = { x: [cs.n, cs.h, cs.w, cs.c] as [number, number, number, number], w: [cs.fy, cs.fx, cs.c, cs.k] as [number, number, number, number], r: [cs.n, oy, ox, cs.k] as [number, number, number, number] };
      const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [cs.py, cs.py], [cs.px, cs.px], [0, 0]];
      const geometry = { kernel: [cs.fy, cs.fx] as const, padding: [cs.py, cs.px] as const };

      const cpu = await loadTf('cpu');
      const reference = gradsOf(cpu, (x, w) => cpu.conv2d(x as Tensor4D, w as Tensor4D, 1, pad), cpu.tensor4d(xs, shapes.x), cpu.tensor4d(ws, shapes.w), cpu.tensor4d(rs, shapes.r));
      const wasm = await loadTf('wasm');
      const x = wasm.tensor4d(xs, shapes.x);
      const w = wasm.tensor4d(ws, shapes.w);
      const r = wasm.tensor4d(rs, shapes.r);
      const ours = gradsOf(wasm, (a, b) => trainableConv(wasm, a as Tensor4D, b as Tensor4D, geometry, true), x, w, r);
      expectClose(ours[0], reference[0], 1e-5);
      expectClose(ours[1], reference[1], 1e-5);
      // The first-layer form (input is data) gives the same filter gradient.
      const [gw] = wasm.grads((b: Tensor) => wasm.sum(wasm.mul(trainableConv(wasm, x, b as Tensor4D, geometry, false), r)))([w]);
      expectClose(gw.dataSync() as Float32Array, reference[1], 1e-5);
      // and the forward value is tfjs' conv2d
      expectClose(trainableConv(wasm, x, w, geometry, true).dataSync() as Float32Array, wasm.conv2d(x, w, 1, pad).dataSync() as Float32Array, 1e-6);
    });
  }

  it('refuses strides other than 1 and padding as large as the kernel, naming the layer', () => {
    expect(() => checkTrainableConv('conv2', { kernel: [3, 3], padding: [1, 1], stride: [2, 2] })).toThrow(/layer conv2: the trainer handles stride-1 convolutions only/);
    expect(() => checkTrainableConv('conv1', { kernel: [3, 3], padding: [3, 1], stride: [1, 1] })).toThrow(/layer conv1: padding 3×1 must be smaller than the kernel 3×3/);
  });
});

describe('dense gradients with explicit transposes', () => {
  it('equal tfjs\' MatMul gradients', async () => {
    const [n, i, o] = [5, 7, 3];
    const xs = values(n * i, 4);
    const ws = values(i * o, 5);
    const rs = values(n * o, 6);
    const cpu = await loadTf('cpu');
    const reference = gradsOf(cpu, (x, w) => cpu.matMul(x as Tensor2D, w as Tensor2D), cpu.tensor2d(xs, [n, i]), cpu.tensor2d(ws, [i, o]), cpu.tensor2d(rs, [n, o]));
    const wasm = await loadTf('wasm');
    const x = wasm.tensor2d(xs, [n, i]);
    const w = wasm.tensor2d(ws, [i, o]);
    const r = wasm.tensor2d(rs, [n, o]);
    const ours = gradsOf(wasm, (a, b) => trainableDense(wasm, a as Tensor2D, b as Tensor2D, true), x, w, r);
    expectClose(ours[0], reference[0], 1e-6);
    expectClose(ours[1], reference[1], 1e-6);
    const [gw] = wasm.grads((b: Tensor) => wasm.sum(wasm.mul(trainableDense(wasm, x, b as Tensor2D, false), r)))([w]);
    expectClose(gw.dataSync() as Float32Array, reference[1], 1e-6);
  });
});
