// Our `Model` as a tfjs computation: trainable variables made from the model's weights (so the
// initial weights are ours, drawn from core/rng.ts, never tfjs' RNG), a forward pass per layer,
// and the export of trained variables back into our layouts.
//
// Activations travel between layers either flat in C×H×W order ([N, C·H·W], what dense layers and
// our kernels use) or as NHWC images ([N, H, W, C], what tfjs' conv and pooling ops use); each layer
// converts what it receives to the form it needs.
import type { Tensor, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs-core';
import { layerGeometry } from '../../harness/layers.js';
import type { Layer, Model } from '../../harness/model.js';
import { activationOf, isGroupedOrDilated } from '../../harness/model.js';
import { shapeSize } from '../../core/geometry.js';
import { convWeightToHwio, hwioToConvWeight } from './architecture.js';
import { checkTrainableConv, trainableConv, trainableDense } from './ops.js';
import type { Tf } from './tf.js';

export interface TfLayer {
  readonly layer: Layer;
  /** Dense [in][out] or conv HWIO filter; null for pooling. */
  readonly weight: Variable | null;
  readonly bias: Variable | null;
}

export interface TfNet {
  readonly model: Model;
  readonly layers: readonly TfLayer[];
}

/** An activation batch and its form. */
export interface Activations {
  readonly t: Tensor;
  readonly form: 'flat' | 'nhwc';
}

/** Checks that the trainer can build every layer; throws naming the first it cannot. */
export function checkTrainable(model: Model): void {
  for (const layer of model.layers) {
    if (layer.kind === 'conv2d') {
      if (isGroupedOrDilated(layer)) throw new Error(`layer ${layer.name}: the trainer handles ungrouped, undilated convolutions only (groups ${layer.groups ?? 1}, dilation ${(layer.dilation ?? [1, 1]).join('×')})`);
      checkTrainableConv(layer.name, layer);
    }
    if ((layer.kind === 'avgpool2d' || layer.kind === 'maxpool2d') && (layer.padding[0] !== 0 || layer.padding[1] !== 0)) {
      throw new Error(`layer ${layer.name}: the trainer handles unpadded pooling only`);
    }
  }
}

/** Variables initialized from the model's weights (trainable). */
export function createTfNet(tf: Tf, model: Model): TfNet {
  checkTrainable(model);
  const layers = model.layers.map((layer): TfLayer => {
    if (layer.kind === 'dense') {
      return { layer, weight: tf.variable(tf.tensor2d(layer.weight, [layer.inFeatures, layer.outFeatures])), bias: tf.variable(tf.tensor1d(layer.bias)) };
    }
    if (layer.kind === 'conv2d') {
      const shape: [number, number, number, number] = [layer.kernel[0], layer.kernel[1], layer.inChannels, layer.outChannels];
      return { layer, weight: tf.variable(tf.tensor4d(convWeightToHwio(layer), shape)), bias: tf.variable(tf.tensor1d(layer.bias)) };
    }
    return { layer, weight: null, bias: null };
  });
  return { model, layers };
}

export function disposeTfNet(net: TfNet): void {
  for (const l of net.layers) {
    l.weight?.dispose();
    l.bias?.dispose();
  }
}

export function variablesOf(net: TfNet): Variable[] {
  return net.layers.flatMap((l) => (l.weight && l.bias ? [l.weight, l.bias] : []));
}

function toFlat(tf: Tf, a: Activations): Tensor2D {
  const n = a.t.shape[0];
  if (a.form === 'flat') return a.t as Tensor2D;
  const chw = tf.transpose(a.t, [0, 3, 1, 2]);
  return tf.reshape(chw, [n, shapeSize(chw.shape.slice(1))]);
}

function toNhwc(tf: Tf, a: Activations, chw: readonly number[]): Tensor4D {
  if (a.form === 'nhwc') return a.t as Tensor4D;
  const [C, H, W] = chw;
  const n = a.t.shape[0];
  if (C === 1) return tf.reshape(a.t, [n, H, W, 1]);
  return tf.transpose(tf.reshape(a.t, [n, C, H, W]), [0, 2, 3, 1]);
}

/**
 * The layer's synaptic (or pooling) operation before its activation function, bias included.
 * `dataInput`: the input is data (not a function of any variable), so no input gradient is needed.
 */
export function layerLinear(tf: Tf, l: TfLayer, a: Activations, dataInput: boolean): Activations {
  const layer = l.layer;
  if (layer.kind === 'dense') return { t: tf.add(trainableDense(tf, toFlat(tf, a), l.weight as Tensor2D, !dataInput), l.bias as Tensor), form: 'flat' };
  const x = toNhwc(tf, a, layerGeometry(layer).inputShape);
  if (layer.kind === 'conv2d') {
    const y = trainableConv(tf, x, l.weight as Tensor4D, layer, !dataInput);
    return { t: tf.add(y, l.bias as Tensor), form: 'nhwc' };
  }
  const pool = layer.kind === 'avgpool2d' ? tf.avgPool : tf.maxPool;
  return { t: pool(x, [layer.kernel[0], layer.kernel[1]], [layer.stride[0], layer.stride[1]], 'valid'), form: 'nhwc' };
}

/** Logits [N, classes] of a batch of flat C×H×W inputs [N, size]. */
export function netForward(tf: Tf, net: TfNet, x: Tensor2D): Tensor2D {
  let a: Activations = { t: x, form: 'flat' };
  net.layers.forEach((l, i) => {
    a = layerLinear(tf, l, a, i === 0);
    if (activationOf(l.layer) === 'relu') a = { t: tf.relu(a.t), form: a.form };
  });
  return toFlat(tf, a);
}

/** The model with the net's current variable values, in our layouts. */
export function exportModel(net: TfNet, id = net.model.id): Model {
  const layers = net.layers.map(({ layer, weight, bias }): Layer => {
    if (!weight || !bias) return layer;
    const w = weight.dataSync() as Float32Array;
    const b = Float32Array.from(bias.dataSync() as Float32Array);
    if (layer.kind === 'conv2d') return { ...layer, weight: hwioToConvWeight(w, layer), bias: b };
    if (layer.kind === 'dense') return { ...layer, weight: Float32Array.from(w), bias: b };
    return layer;
  });
  return { id, inputShape: net.model.inputShape, layers };
}

/** Flat inputs [count, size] of the given samples, copied in order. */
export function gatherInputs(inputs: Float32Array, size: number, indices: ArrayLike<number>, start: number, end: number): Float32Array {
  const out = new Float32Array((end - start) * size);
  for (let k = start; k < end; k++) {
    const s = indices[k];
    out.set(inputs.subarray(s * size, (s + 1) * size), (k - start) * size);
  }
  return out;
}
