// Reference kernels for 2-D convolution in plain TypeScript over Float32Array, channel-major (C, H, W)
// activations and [C_in][FY][FX][C_out/groups] weights (harness/model.ts, Conv2dLayer). Both are written
// as scatters from nonzero inputs: an input value (or spike) at (c, y, x) reaches output (k, oy, ox)
// through kernel offset (fy, fx) when y + pad_y − fy·dilation_y = oy·stride_y (and likewise for x) and k
// is one of the output channels of c's group. Zero inputs cost nothing, which changes the wall time,
// never the result.
import type { Conv2dLayer } from '../model.js';
import { convGroups, windowDims } from '../model.js';

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
  /** Input channels per group (C/groups): input channel c belongs to group ⌊c / Cg⌋. */
  readonly Cg: number;
  /** Output channels per group (K/groups): the run of weights one input scatters per kernel offset. */
  readonly Kg: number;
  /**
   * For input position p = y·W + x: the (fy·FX + fx, oy·OX + ox) pairs it reaches, flattened as
   * pairs[offsets[p] .. offsets[p+1]) of [kernelOffset, outputPosition] couples.
   */
  readonly offsets: Int32Array;
  readonly pairs: Int32Array;
  /** Outputs one input at position p reaches (whatever its channel): (number of pairs) × Kg. */
  readonly fanOut: Int32Array;
}

export function planConv(layer: Conv2dLayer): ConvPlan {
  const { H, W, FY, FX, SY, SX, PY, PX, DY, DX, OY, OX } = windowDims(layer);
  const K = layer.outChannels;
  const G = convGroups(layer);
  const Kg = K / G;
  const offsets = new Int32Array(H * W + 1);
  const tmp: number[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let fy = 0; fy < FY; fy++) {
        const ny = y + PY - fy * DY;
        if (ny < 0 || ny % SY !== 0) continue;
        const oy = ny / SY;
        if (oy >= OY) continue;
        for (let fx = 0; fx < FX; fx++) {
          const nx = x + PX - fx * DX;
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
  for (let p = 0; p < H * W; p++) fanOut[p] = (offsets[p + 1] - offsets[p]) * Kg;
  return { C: layer.inChannels, H, W, K, OY, OX, FY, FX, Cg: layer.inChannels / G, Kg, offsets, pairs: Int32Array.from(tmp), fanOut };
}

/** The first output channel input channel c reaches (its group's first; 0 without groups). */
export function firstOutputChannel(plan: ConvPlan, c: number): number {
  return plan.Kg === plan.K ? 0 : ((c / plan.Cg) | 0) * plan.Kg;
}

/**
 * Adds `value` × the weights input `i` (flat CHW index) reaches into `acc` (K, OY, OX).
 * Returns the synaptic operations performed (outputs reached).
 */
export function convScatter(plan: ConvPlan, weight: Float32Array, i: number, value: number, acc: Float32Array): number {
  const HW = plan.H * plan.W;
  const c = (i / HW) | 0;
  const p = i - c * HW;
  const Kg = plan.Kg;
  const plane = plan.OY * plan.OX;
  const kk = plan.FY * plan.FX;
  const base = firstOutputChannel(plan, c) * plane;
  const { offsets, pairs } = plan;
  for (let q = offsets[p]; q < offsets[p + 1]; q++) {
    const wBase = (c * kk + pairs[2 * q]) * Kg;
    const o = base + pairs[2 * q + 1];
    if (value === 1) {
      for (let k = 0; k < Kg; k++) acc[k * plane + o] += weight[wBase + k];
    } else {
      for (let k = 0; k < Kg; k++) acc[k * plane + o] += value * weight[wBase + k];
    }
  }
  return (offsets[p + 1] - offsets[p]) * Kg;
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

/** Straightforward gather-form convolution (every output sums its window over its group's inputs): the test oracle. */
export function convForwardNaive(layer: Conv2dLayer, x: Float32Array): Float32Array {
  const { H, W, FY, FX, SY, SX, PY, PX, DY, DX, OY, OX } = windowDims(layer);
  const K = layer.outChannels;
  const G = convGroups(layer);
  const Cg = layer.inChannels / G;
  const Kg = K / G;
  const y = new Float32Array(K * OY * OX);
  for (let k = 0; k < K; k++) {
    const g = Math.floor(k / Kg);
    for (let oy = 0; oy < OY; oy++) {
      for (let ox = 0; ox < OX; ox++) {
        let s = layer.bias[k];
        for (let c = g * Cg; c < (g + 1) * Cg; c++) {
          for (let fy = 0; fy < FY; fy++) {
            const iy = oy * SY + fy * DY - PY;
            if (iy < 0 || iy >= H) continue;
            for (let fx = 0; fx < FX; fx++) {
              const ix = ox * SX + fx * DX - PX;
              if (ix < 0 || ix >= W) continue;
              s += x[c * H * W + iy * W + ix] * layer.weight[((c * FY + fy) * FX + fx) * Kg + (k - g * Kg)];
            }
          }
        }
        y[k * OY * OX + oy * OX + ox] = s;
      }
    }
  }
  return y;
}
