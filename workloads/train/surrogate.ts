// Direct training of a spiking network with surrogate gradients: backpropagation through time over
// T unrolled steps in tfjs' autograd, with the spike's derivative (zero almost everywhere) replaced
// by a smooth surrogate in the backward pass only (Neftci, Mostafa & Zenke, "Surrogate gradient
// learning in spiking neural networks", IEEE Signal Processing Magazine 36(6), 2019).
//
// The forward pass is the discrete-time dynamics of harness/neurons.ts `stepNeuron`, operation for
// operation in float32, so that the exported SpikingModel behaves under our `createSnn` as it did in
// training:
//   current  c = b + W·s_in                (dense, conv, or average pooling of the layer below's spikes)
//   IF       v ← v + c        LIF   v ← β·v + c
//   spike    s = [v ≥ θ]
//   reset    v ← v − θ·s (subtract)   or   v ← v·(1 − s) (zero)
//   read-out v ← v + c (no leak, no threshold); the class is argmax v after T steps.
// Layers update in order within a step (a spike reaches the next layer in the same step), as in
// the snn backend. The loss is the softmax cross-entropy of the read-out's mean potential v_T / T.
// As in snnTorch, the reset term is detached from the graph (its spike carries no gradient).
import type { GradSaveFunc, Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { SampleSet } from '../../harness/data.js';
import { sampleSize } from '../../harness/data.js';
import { rateEncoder } from '../../harness/encoders.js';
import type { Model } from '../../harness/model.js';
import type { MembraneNeuron } from '../../harness/neurons.js';
import type { Rng } from '../../core/rng.js';
import { createRng } from '../../core/rng.js';
import type { OptimizerConfig } from './classifier.js';
import { checkOptimizerConfig, oneHotBatch, optimize } from './classifier.js';
import type { Activations, TfNet } from './graph.js';
import { createTfNet, disposeTfNet, exportModel, gatherInputs, layerLinear, variablesOf } from './graph.js';
import type { Tf } from './tf.js';

/**
 * The spike's surrogate derivative ∂S/∂v at x = v − θ:
 * - `fast-sigmoid` (SuperSpike: Zenke & Ganguli, Neural Computation 30(6), 2018; snnTorch
 *   `surrogate.fast_sigmoid`): 1 / (1 + k·|x|)², k = slope;
 * - `arctan` (Fang et al., ICCV 2021; SpikingJelly `surrogate.ATan`, snnTorch `surrogate.atan`):
 *   (α/2) / (1 + (π/2·α·x)²), α = slope.
 */
export interface Surrogate {
  readonly kind: 'fast-sigmoid' | 'arctan';
  readonly slope: number;
}

/** The surrogate derivative as a plain function (the reference the tfjs version is tested against). */
export function surrogateDerivative(s: Surrogate, x: number): number {
  if (s.kind === 'fast-sigmoid') return 1 / (1 + s.slope * Math.abs(x)) ** 2;
  const u = (Math.PI / 2) * s.slope * x;
  return s.slope / 2 / (1 + u * u);
}

function surrogateDerivativeTf(tf: Tf, s: Surrogate, x: Tensor): Tensor {
  if (s.kind === 'fast-sigmoid') return tf.reciprocal(tf.square(tf.add(1, tf.mul(s.slope, tf.abs(x)))));
  return tf.div(s.slope / 2, tf.add(1, tf.square(tf.mul((Math.PI / 2) * s.slope, x))));
}

/** s = [v ≥ θ] forward; ∂s/∂v = surrogate(v − θ) backward. */
export function spikeFn(tf: Tf, v: Tensor, threshold: number, s: Surrogate): Tensor {
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [vt, save] = args as [Tensor, GradSaveFunc];
    save([vt]);
    return {
      value: tf.cast(tf.greaterEqual(vt, threshold), 'float32'),
      gradFunc: (dy: Tensor, saved: Tensor[]) => tf.mul(dy, surrogateDerivativeTf(tf, s, tf.sub(saved[0], threshold))),
    };
  });
  return op(v);
}

export interface SpikingDynamics {
  /** The harness neuron's own parameters (β per step; harness/neurons.ts converts from τ and dt). */
  readonly neuron: MembraneNeuron;
  readonly threshold: number;
  readonly surrogate: Surrogate;
}

export interface SurrogateTrainingConfig extends OptimizerConfig, SpikingDynamics {
  readonly timesteps: number;
  /** `rate`: Bernoulli spikes (harness rateEncoder); `direct`: the real-valued input every step. */
  readonly coding: 'rate' | 'direct';
}

export function checkDynamics(d: SpikingDynamics & { readonly timesteps: number }): void {
  if (!Number.isInteger(d.timesteps) || d.timesteps < 1) throw new Error(`timesteps must be a positive integer, got ${d.timesteps}`);
  if (d.neuron.model !== 'if' && d.neuron.model !== 'lif') throw new Error(`surrogate-gradient training handles if and lif neurons, not ${d.neuron.model}`);
  if (d.neuron.model === 'if' && d.neuron.beta !== 1) throw new Error('an IF neuron has no leak: beta must be 1');
  if (!(d.neuron.beta > 0 && d.neuron.beta <= 1)) throw new Error(`beta must be in (0, 1], got ${d.neuron.beta}`);
  if (!(d.threshold > 0)) throw new Error(`threshold must be positive, got ${d.threshold}`);
  if (!(d.surrogate.slope > 0)) throw new Error(`surrogate slope must be positive, got ${d.surrogate.slope}`);
  if (d.surrogate.kind !== 'fast-sigmoid' && d.surrogate.kind !== 'arctan') throw new Error(`surrogate "${d.surrogate.kind}" is not known; use fast-sigmoid or arctan`);
}

export interface Unrolled {
  /** Read-out potential after T steps [N, classes]. */
  readonly readout: Tensor2D;
  /** Spikes of every spiking layer at every step, [layer][t] (only when asked for). */
  readonly spikes: Tensor[][];
}

/**
 * Runs the network for T steps on a batch of N samples. `input` holds the first layer's input at
 * every step, time-major [T·N, size] (row t·N + n: sample n at step t), or, with `constantInput`
 * (direct coding), the real-valued [N, size] batch fed at every step.
 *
 * Without recurrent connections a layer's input at every step is known once the layer below has
 * run all T steps, so each layer runs its synaptic op once on all T·N rows (one large op instead of
 * T small ones, and one weight gradient) and then its neuron dynamics step by step: the same
 * arithmetic, element for element, as stepping every layer within each step.
 */
export function unrollSnn(tf: Tf, net: TfNet, d: SpikingDynamics, T: number, input: Tensor2D, constantInput: boolean, recordSpikes = false): Unrolled {
  const L = net.layers.length;
  const { model, reset, beta } = d.neuron;
  const spikes: Tensor[][] = [];
  let a: Activations = { t: input, form: 'flat' };
  for (let l = 0; l < L; l++) {
    const cur = layerLinear(tf, net.layers[l], a, l === 0);
    const steps = l === 0 && constantInput ? Array.from({ length: T }, () => cur.t) : tf.split(cur.t, T, 0);
    let v = steps[0];
    if (l === L - 1) {
      for (let t = 1; t < T; t++) v = tf.add(v, steps[t]);
      return { readout: tf.reshape(v, [v.shape[0], -1]) as Tensor2D, spikes };
    }
    const out: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      if (t > 0) v = tf.add(model === 'lif' ? tf.mul(v, beta) : v, steps[t]);
      const s = spikeFn(tf, v, d.threshold, d.surrogate);
      const fired = tf.cast(tf.greaterEqual(v, d.threshold), 'float32'); // the reset's spike, detached
      v = reset === 'subtract' ? tf.sub(v, tf.mul(fired, d.threshold)) : tf.mul(v, tf.sub(1, fired));
      out.push(s);
    }
    if (recordSpikes) spikes.push(out);
    a = { t: tf.concat(out, 0), form: cur.form };
  }
  throw new Error('a network needs a read-out layer');
}

/**
 * Rate-coded input spikes of samples order[start..end), time-major [T][count][size] (see unrollSnn);
 * sample s draws from rngFor(s) through the harness rateEncoder, step after step.
 */
export function rateSpikes(inputs: Float32Array, size: number, T: number, order: ArrayLike<number>, start: number, end: number, rngFor: (sample: number) => Rng): Float32Array {
  const count = end - start;
  const out = new Float32Array(T * count * size);
  const idx = new Int32Array(size);
  for (let k = start; k < end; k++) {
    const s = order[k];
    const x = inputs.subarray(s * size, (s + 1) * size);
    const rng = rngFor(s);
    for (let t = 0; t < T; t++) {
      const base = (t * count + (k - start)) * size;
      const n = rateEncoder.encode(x, t, rng, idx);
      for (let e = 0; e < n; e++) out[base + idx[e]] = 1;
    }
  }
  return out;
}

/** The first layer's input of a batch: rate-coded spikes [T·count, size], or the samples [count, size] (direct). */
function batchInput(tf: Tf, set: SampleSet, T: number, coding: 'rate' | 'direct', order: ArrayLike<number>, start: number, end: number, rngFor: (sample: number) => Rng): Tensor2D {
  const size = sampleSize(set);
  const count = end - start;
  if (coding === 'direct') return tf.tensor2d(gatherInputs(set.inputs, size, order, start, end), [count, size]);
  return tf.tensor2d(rateSpikes(set.inputs, size, T, order, start, end, rngFor), [T * count, size]);
}

export interface SurrogateTrainingResult {
  readonly model: Model;
  readonly epochLoss: readonly number[];
}

/** Trains a copy of `model` (its weights are the initial weights) as a spiking network. */
export async function trainSurrogate(tf: Tf, model: Model, train: SampleSet, cfg: SurrogateTrainingConfig, log: (line: string) => void = () => {}): Promise<SurrogateTrainingResult> {
  checkOptimizerConfig(cfg);
  checkDynamics(cfg);
  const n = Math.min(cfg.trainSamples ?? train.count, train.count);
  const T = cfg.timesteps;
  const net = createTfNet(tf, model);
  try {
    const epochLoss = optimize(tf, cfg, n, variablesOf(net), (order, start, end, epoch) => {
      // Input spikes of sample s in this epoch come from stream (seed, 0x7a1e, epoch, s).
      const x = batchInput(tf, train, T, cfg.coding, order, start, end, (s) => createRng(cfg.seed, 0x7a1e, epoch, s));
      const y = oneHotBatch(tf, train.labels, train.classes, order, start, end);
      const { readout } = unrollSnn(tf, net, cfg, T, x, cfg.coding === 'direct');
      return tf.losses.softmaxCrossEntropy(y, tf.div(readout, T)) as Scalar;
    }, log);
    return { model: exportModel(net), epochLoss };
  } finally {
    disposeTfNet(net);
  }
}

/**
 * Predictions of the spiking network as the trainer computes them. Under rate coding, sample i of
 * `set` draws its input spikes from stream (seed, i) through the harness rateEncoder, exactly as
 * `createSnn(…, { seed })` does, so the two see the same spikes.
 */
export function surrogatePredict(tf: Tf, model: Model, set: SampleSet, d: SpikingDynamics & { readonly timesteps: number; readonly coding: 'rate' | 'direct' }, seed: number, batch = 250): Uint8Array {
  checkDynamics(d);
  const net = createTfNet(tf, model);
  try {
    const out = new Uint8Array(set.count);
    const order = Array.from({ length: set.count }, (_, i) => i);
    for (let start = 0; start < set.count; start += batch) {
      const end = Math.min(set.count, start + batch);
      const p = tf.tidy(() => {
        const x = batchInput(tf, set, d.timesteps, d.coding, order, start, end, (s) => createRng(seed, s));
        return tf.argMax(unrollSnn(tf, net, d, d.timesteps, x, d.coding === 'direct').readout, 1);
      });
      out.set(p.dataSync() as Int32Array, start);
      p.dispose();
    }
    return out;
  } finally {
    disposeTfNet(net);
  }
}
