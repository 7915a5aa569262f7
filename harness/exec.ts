// Per-layer execution plans shared by every backend: one object per layer that knows how to run the
// layer's arithmetic (ANN forward, or scattering input events into accumulators) and how many outputs
// one input reaches. Plans are built once per model; kernels live in kernels/.
import { addRow } from './kernels/dense.js';
import { denseAffine } from './kernels/dense.js';
import type { ConvPlan } from './kernels/conv.js';
import { convForward, convScatter, planConv } from './kernels/conv.js';
import type { PoolPlan } from './kernels/pool.js';
import { planPool, poolForward } from './kernels/pool.js';
import type { GeometricLayerGeometry } from '../core/geometry.js';
import { layerGeometry } from './layers.js';
import type { Layer } from './model.js';


export interface LayerPlan {
  readonly layer: Layer;
  readonly geometry: GeometricLayerGeometry;
  readonly inSize: number;
  readonly outSize: number;
  /**
   * ANN forward of one sample: y ← the layer's output before its activation function (pooling: the
   * pooled values). Returns the nonzero inputs and the synaptic operations they cause.
   */
  forward(x: Float32Array, y: Float32Array): { nonzero: number; synOps: number };
  /**
   * Event scatter: adds, for each of the n input events idx[0..n), the weights it reaches into acc
   * (an average-pooling layer adds 1/window). Returns the synaptic operations performed.
   */
  scatter(idx: Int32Array, n: number, acc: Float32Array): number;
  /** Sets mark[j] = 1 for every output j that one of the n input events reaches (event-driven execution). */
  markTargets(idx: Int32Array, n: number, mark: Uint8Array): void;
  /** Outputs that input i reaches. */
  fanOutOf(i: number): number;
  /** Input-to-output operations of a dense pass: MACs of a synaptic layer, window elements of a pooling layer. */
  readonly denseOps: number;
}

function densePlan(layer: Extract<Layer, { kind: 'dense' }>, geometry: GeometricLayerGeometry): LayerPlan {
  const nIn = layer.inFeatures;
  const nOut = layer.outFeatures;
  return {
    layer,
    geometry,
    inSize: nIn,
    outSize: nOut,
    forward(x, y) {
      const nonzero = denseAffine(x, layer.weight, layer.bias, nIn, nOut, y);
      return { nonzero, synOps: nonzero * nOut };
    },
    scatter(idx, n, acc) {
      for (let k = 0; k < n; k++) addRow(layer.weight, idx[k], nOut, acc);
      return n * nOut;
    },
    markTargets(_idx, n, mark) {
      if (n > 0) mark.fill(1);
    },
    fanOutOf: () => nOut,
    denseOps: geometry.denseSynOps,
  };
}

function convLayerPlan(layer: Extract<Layer, { kind: 'conv2d' }>, geometry: GeometricLayerGeometry): LayerPlan {
  const plan: ConvPlan = planConv(layer);
  const HW = plan.H * plan.W;
  return {
    layer,
    geometry,
    inSize: plan.C * HW,
    outSize: plan.K * plan.OY * plan.OX,
    forward: (x, y) => convForward(plan, layer, x, y),
    scatter(idx, n, acc) {
      let ops = 0;
      for (let k = 0; k < n; k++) ops += convScatter(plan, layer.weight, idx[k], 1, acc);
      return ops;
    },
    markTargets(idx, n, mark) {
      const plane = plan.OY * plan.OX;
      for (let e = 0; e < n; e++) {
        const p = idx[e] % HW;
        for (let q = plan.offsets[p]; q < plan.offsets[p + 1]; q++) {
          const o = plan.pairs[2 * q + 1];
          for (let k = 0; k < plan.K; k++) mark[k * plane + o] = 1;
        }
      }
    },
    fanOutOf: (i) => plan.fanOut[i % HW],
    denseOps: geometry.denseSynOps,
  };
}

function poolLayerPlan(layer: Extract<Layer, { kind: 'avgpool2d' | 'maxpool2d' }>, geometry: GeometricLayerGeometry): LayerPlan {
  const plan: PoolPlan = planPool(layer);
  const inPlane = plan.H * plan.W;
  const outPlane = plan.OY * plan.OX;
  return {
    layer,
    geometry,
    inSize: plan.channels * inPlane,
    outSize: plan.channels * outPlane,
    forward(x, y) {
      poolForward(plan, layer.kind, x, y);
      let nonzero = 0;
      let synOps = 0;
      for (let i = 0; i < x.length; i++) {
        if (x[i] === 0) continue;
        nonzero++;
        const p = i % inPlane;
        synOps += plan.oOff[p + 1] - plan.oOff[p];
      }
      return { nonzero, synOps };
    },
    scatter(idx, n, acc) {
      if (layer.kind === 'maxpool2d') throw new Error(`layer ${layer.name}: max pooling has no event-driven form; use average pooling in spiking networks`);
      let ops = 0;
      for (let k = 0; k < n; k++) {
        const i = idx[k];
        const c = (i / inPlane) | 0;
        const p = i - c * inPlane;
        for (let q = plan.oOff[p]; q < plan.oOff[p + 1]; q++) {
          const o = plan.outs[q];
          acc[c * outPlane + o] += 1 / (plan.wOff[o + 1] - plan.wOff[o]);
        }
        ops += plan.oOff[p + 1] - plan.oOff[p];
      }
      return ops;
    },
    markTargets(idx, n, mark) {
      for (let e = 0; e < n; e++) {
        const i = idx[e];
        const c = (i / inPlane) | 0;
        const p = i - c * inPlane;
        for (let q = plan.oOff[p]; q < plan.oOff[p + 1]; q++) mark[c * outPlane + plan.outs[q]] = 1;
      }
    },
    fanOutOf: (i) => {
      const p = i % inPlane;
      return plan.oOff[p + 1] - plan.oOff[p];
    },
    denseOps: plan.channels * plan.windows.length,
  };
}

export function planLayer(layer: Layer): LayerPlan {
  const geometry = layerGeometry(layer);
  switch (layer.kind) {
    case 'dense':
      return densePlan(layer, geometry);
    case 'conv2d':
      return convLayerPlan(layer, geometry);
    case 'avgpool2d':
    case 'maxpool2d':
      return poolLayerPlan(layer, geometry);
  }
}

export function planModel(layers: readonly Layer[]): LayerPlan[] {
  return layers.map(planLayer);
}
