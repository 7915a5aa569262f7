// Reference kernels for 2-D convolution in plain TypeScript over Float32Array, channel-major (C, H, W)
// activations and [C_in][FY][FX][C_out] weights. Both are written as scatters from nonzero inputs:
// an input value (or spike) at (c, y, x) reaches output (k, oy, ox) through kernel offset (fy, fx)
// when y + pad_y − fy = oy·stride_y (and likewise for x). Zero inputs cost nothing, which changes
// the wall time, never the result.
import type { Conv2dLayer } from '../model.js';
import { windowDims } from '../model.js';

/** Precomputed index tables of one conv layer (built once per layer, reused for every sample). */
export interface ConvPlan {
  readonly C: number;
  readonly H: number;
  readonly W: number;
  readonly K: number;
  readonly OY: number;
  readonly OX: number;
  readonly FY: number;
  readonly FX: number;
  /**
   * For input position p = y·W + x: the (fy·FX + fx, oy·OX + ox) pairs it reaches, flattened as
   * pairs[offsets[p] .. offsets[p+1]) of [kernelOffset, outputPosition] couples.
   */
  readonly offsets: Int32Array;
  readonly pairs: Int32Array;
  /** Outputs one input at position p reaches: (number of pairs) × K. */
  readonly fanOut: Int32Array;
}

export function planConv(layer: Conv2dLayer): ConvPlan {
  const { H, W, FY, FX, SY, SX, PY, PX, OY, OX } = windowDims(layer);
  const K = layer.outChannels;
  const offsets = new Int32Array(H * W + 1);
  const tmp: number[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let fy = 0; fy < FY; fy++) {
        const ny = y + PY - fy;
        if (ny < 0 || ny % SY !== 0) continue;
        const oy = ny / SY;
        if (oy >= OY) continue;
        for (let fx = 0; fx < FX; fx++) {
          const nx = x + PX - fx;
          if (nx < 0 || nx % SX !== 0) continue;
          const ox = nx / SX;
          if (ox >= OX) continue;
          tmp.push(fy * FX + fx, oy * OX + ox);
        }
      }
      offsets[y * W + x + 1] = tmp.length / 2;
    }
  }
  const fanOut = new Int32Array(H * W);
  for (let p = 0; p < H * W; p++) fanOut[p] = (offsets[p + 1] - offsets[p]) * K;
  return { C: layer.inChannels, H, W, K, OY, OX, FY, FX, offsets, pairs: Int32Array.from(tmp), fanOut };
}

/**
 * Adds `value` × the weights input `i` (flat CHW index) reaches into `acc` (K, OY, OX).
 * Returns the synaptic operations performed (outputs reached).
 */
export function convScatter(plan: ConvPlan, weight: Float32Array, i: number, value: number, acc: Float32Array): number {
  const HW = plan.H * plan.W;
  const c = (i / HW) | 0;
  const p = i - c * HW;
  const K = plan.K;
  const plane = plan.OY * plan.OX;
  const kk = plan.FY * plan.FX;
  const { offsets, pairs } = plan;
  for (let q = offsets[p]; q < offsets[p + 1]; q++) {
    const wBase = (c * kk + pairs[2 * q]) * K;
    const o = pairs[2 * q + 1];
    if (value === 1) {
      for (let k = 0; k < K; k++) acc[k * plane + o] += weight[wBase + k];
    } else {
      for (let k = 0; k < K; k++) acc[k * plane + o] += value * weight[wBase + k];
    }
  }
  return (offsets[p + 1] - offsets[p]) * K;
}

/**
 * y = b + conv(x) for one sample (pre-activation). Returns the number of nonzero inputs and the
 * synaptic operations they caused (the MACs a zero-skipping engine performs).
 */
export function convForward(plan: ConvPlan, layer: Conv2dLayer, x: Float32Array, y: Float32Array): { nonzero: number; synOps: number } {
  const plane = plan.OY * plan.OX;
  for (let k = 0; k < plan.K; k++) y.fill(layer.bias[k], k * plane, (k + 1) * plane);
  let nonzero = 0;
  let synOps = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === 0) continue;
    nonzero++;
    synOps += convScatter(plan, layer.weight, i, v, y);
  }
  return { nonzero, synOps };
}

/** Straightforward gather-form convolution (every output sums its window): the test oracle. */
export function convForwardNaive(layer: Conv2dLayer, x: Float32Array): Float32Array {
  const { H, W, FY, FX, SY, SX, PY, PX, OY, OX } = windowDims(layer);
  const C = layer.inChannels;
  const K = layer.outChannels;
  const y = new Float32Array(K * OY * OX);
  for (let k = 0; k < K; k++) {
    for (let oy = 0; oy < OY; oy++) {
      for (let ox = 0; ox < OX; ox++) {
        let s = layer.bias[k];
        for (let c = 0; c < C; c++) {
          for (let fy = 0; fy < FY; fy++) {
            const iy = oy * SY + fy - PY;
            if (iy < 0 || iy >= H) continue;
            for (let fx = 0; fx < FX; fx++) {
              const ix = ox * SX + fx - PX;
              if (ix < 0 || ix >= W) continue;
              s += x[c * H * W + iy * W + ix] * layer.weight[((c * FY + fy) * FX + fx) * K + k];
            }
          }
        }
        y[k * OY * OX + oy * OX + ox] = s;
      }
    }
  }
  return y;
}
