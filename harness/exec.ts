// Per-layer execution plans shared by every backend: one object per layer that knows how to run the
// layer's arithmetic (ANN forward, or scattering input events into accumulators) and how many outputs
// one input reaches. Plans are built once per model; kernels live in kernels/.
import { addRow } from './kernels/dense.js';
import { denseAffine } from './kernels/dense.js';
import type { ConvPlan } from './kernels/conv.js';
import { convForward, convScatter, firstOutputChannel, planConv } from './kernels/conv.js';
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
  forward(x: Float32Array, y: Float32Array): ForwardCounts;
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
  // NeuroBench's counts (definitions in core/ledger.ts, "NeuroBench metrics"); record them with a
  // recorder's `neurobench` arrays (core/ledger.ts NeuroBenchRecorder) at every call of the layer.
  /** Nonzero weights that input i reaches: the effective synaptic operations of one event at i; 0 for pooling (no weights). */
  readonly effectiveFanOut: Int32Array;
  /** Effective synaptic operations of the n input events idx[0..n): Σ effectiveFanOut over them (spikes: ACs). */
  effectiveOps(idx: Int32Array, n: number): number;
  /** Operations of one call with every input and weight taken as nonzero, zero padding excluded: NeuroBench's Dense of one call; 0 for pooling. */
  readonly denseConnectionOps: number;
}

/** What one ANN forward call counts (LayerPlan.forward). */
export interface ForwardCounts {
  /** Nonzero inputs. */
  readonly nonzero: number;
  /** Outputs the nonzero inputs reach (SOP). */
  readonly synOps: number;
  /** Effective synaptic operations: Σ over nonzero inputs of the nonzero weights each reaches (LayerPlan.effectiveFanOut). */
  readonly effective: number;
  /** Every input is 0, 1 or −1: NeuroBench counts the call's effective operations as ACs, else as MACs. */
  readonly binary: boolean;
}

/** Effective operations and binary test of one dense input vector x (see ForwardCounts). */
export function effectiveOfInput(x: Float32Array, effectiveFanOut: Int32Array): { effective: number; binary: boolean } {
  let effective = 0;
  let binary = true;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === 0) continue;
    effective += effectiveFanOut[i];
    if (v !== 1 && v !== -1) binary = false;
  }
  return { effective, binary };
}

function sumOver(fan: Int32Array, idx: Int32Array, n: number): number {
  let ops = 0;
  for (let k = 0; k < n; k++) ops += fan[idx[k]];
  return ops;
}

function sumAll(fan: ArrayLike<number>, size: number): number {
  let ops = 0;
  for (let i = 0; i < size; i++) ops += fan[i];
  return ops;
}

function densePlan(layer: Extract<Layer, { kind: 'dense' }>, geometry: GeometricLayerGeometry): LayerPlan {
  const nIn = layer.inFeatures;
  const nOut = layer.outFeatures;
  // input i's outgoing weights are row i of the [nIn][nOut] matrix
  const effectiveFanOut = new Int32Array(nIn);
  for (let i = 0; i < nIn; i++) {
    let k = 0;
    for (let j = i * nOut; j < (i + 1) * nOut; j++) if (layer.weight[j] !== 0) k++;
    effectiveFanOut[i] = k;
  }
  return {
    layer,
    geometry,
    inSize: nIn,
    outSize: nOut,
    forward(x, y) {
      const nonzero = denseAffine(x, layer.weight, layer.bias, nIn, nOut, y);
      return { nonzero, synOps: nonzero * nOut, ...effectiveOfInput(x, effectiveFanOut) };
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
    effectiveFanOut,
    effectiveOps: (idx, n) => sumOver(effectiveFanOut, idx, n),
    denseConnectionOps: nIn * nOut,
  };
}

function convLayerPlan(layer: Extract<Layer, { kind: 'conv2d' }>, geometry: GeometricLayerGeometry): LayerPlan {
  const plan: ConvPlan = planConv(layer);
  const HW = plan.H * plan.W;
  // input (c, p) reaches, through each (kernel offset, output position) pair of p, the nonzero
  // weights w[c][offset][j] over the Kg output channels of c's group (all K without groups)
  const kk = plan.FY * plan.FX;
  const Kg = plan.Kg;
  const nonzeroOverK = new Int32Array(plan.C * kk);
  for (let r = 0; r < plan.C * kk; r++) {
    let n = 0;
    for (let k = 0; k < Kg; k++) if (layer.weight[r * Kg + k] !== 0) n++;
    nonzeroOverK[r] = n;
  }
  const effectiveFanOut = new Int32Array(plan.C * HW);
  for (let c = 0; c < plan.C; c++) {
    for (let p = 0; p < HW; p++) {
      let n = 0;
      for (let q = plan.offsets[p]; q < plan.offsets[p + 1]; q++) n += nonzeroOverK[c * kk + plan.pairs[2 * q]];
      effectiveFanOut[c * HW + p] = n;
    }
  }
  return {
    layer,
    geometry,
    inSize: plan.C * HW,
    outSize: plan.K * plan.OY * plan.OX,
    forward: (x, y) => ({ ...convForward(plan, layer, x, y), ...effectiveOfInput(x, effectiveFanOut) }),
    scatter(idx, n, acc) {
      let ops = 0;
      for (let k = 0; k < n; k++) ops += convScatter(plan, layer.weight, idx[k], 1, acc);
      return ops;
    },
    markTargets(idx, n, mark) {
      const plane = plan.OY * plan.OX;
      for (let e = 0; e < n; e++) {
        const c = (idx[e] / HW) | 0;
        const p = idx[e] - c * HW;
        const base = firstOutputChannel(plan, c) * plane;
        for (let q = plan.offsets[p]; q < plan.offsets[p + 1]; q++) {
          const o = base + plan.pairs[2 * q + 1];
          for (let k = 0; k < Kg; k++) mark[k * plane + o] = 1;
        }
      }
    },
    fanOutOf: (i) => plan.fanOut[i % HW],
    denseOps: geometry.denseSynOps,
    effectiveFanOut,
    effectiveOps: (idx, n) => sumOver(effectiveFanOut, idx, n),
    // every input channel reaches its group's Kg output channels at each (offset, position) pair of its position
    denseConnectionOps: plan.C * sumAll(plan.fanOut, HW),
  };
}

function poolLayerPlan(layer: Extract<Layer, { kind: 'avgpool2d' | 'maxpool2d' }>, geometry: GeometricLayerGeometry): LayerPlan {
  const plan: PoolPlan = planPool(layer);
  const inPlane = plan.H * plan.W;
  const outPlane = plan.OY * plan.OX;
  const effectiveFanOut = new Int32Array(plan.channels * inPlane); // no weights: NeuroBench counts no pooling
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
      return { nonzero, synOps, ...effectiveOfInput(x, effectiveFanOut) };
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
    effectiveFanOut,
    effectiveOps: () => 0,
    denseConnectionOps: 0,
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
