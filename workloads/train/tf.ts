// The autograd library of joulebench's trainers: TensorFlow.js core on its WebAssembly backend
// (XNNPACK with SIMD, one thread in Node). Only training imports this module; the harness never does.
//
// Why these three packages and not the umbrella @tensorflow/tfjs (290 MB, every backend):
// - @tensorflow/tfjs-core: tensors, ops, autograd (tape, customGrad), optimizers;
// - @tensorflow/tfjs-backend-wasm: the kernels (≈60× faster than the pure-JS cpu backend for a
//   LeNet-5 training step on this machine: 46 ms vs 3.0 s at batch 64);
// - @tensorflow/tfjs-layers: imported only for a side effect. tfjs-core's Node entry (a CommonJS
//   bundle) does not register the gradient functions of its ops, and its ES-module files
//   (`dist/register_all_gradients.js`) use extensionless imports that Node cannot load. tfjs-layers'
//   Node bundle registers all of them into tfjs-core's global registry, as the umbrella package does.
//
// The wasm backend has no Conv2DBackpropFilter kernel (tensorflow/tfjs#8474), and its
// Conv2DBackpropInput is a slow generic loop; conv.ts gives conv layers a gradient made of forward
// convolutions instead.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

export type Tf = typeof tf;
export type TfBackend = 'wasm' | 'cpu';

let current: Promise<Tf> | null = null;
let currentBackend: TfBackend | null = null;

/**
 * tfjs on the given backend (wasm unless a test compares against the pure-JS reference kernels),
 * single-threaded so that results are reproducible. Safe to call repeatedly.
 */
export function loadTf(backend: TfBackend = 'wasm'): Promise<Tf> {
  if (current && currentBackend === backend) return current;
  currentBackend = backend;
  current = (async () => {
    // PROD: no debug checks and no console banners (the cpu backend suggests tfjs-node, which cannot install here).
    tf.env().set('PROD', true);
    if (backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
    setThreadsCount(1);
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`tfjs: the ${backend} backend did not initialize; reinstall with \`npm ci\` (it ships in @tensorflow/tfjs-backend-${backend})`);
    await tf.ready();
    return tf;
  })();
  return current;
}
