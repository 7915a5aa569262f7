// Pooling kernels over channel-major activations. Padding positions are ignored (not counted in the
// average, never the max), as ONNX AveragePool with count_include_pad = 0 and MaxPool do.
import type { Pool2dLayer } from '../model.js';
import { windowDims } from '../model.js';

export interface PoolPlan {
  readonly channels: number;
  readonly H: number;
  readonly W: number;
  readonly OY: number;
  readonly OX: number;
  /** For output position o = oy·OX + ox: the input positions of its window, windows[wOff[o] .. wOff[o+1]). */
  readonly wOff: Int32Array;
  readonly windows: Int32Array;
  /** For input position p: the output positions whose window contains it, outs[oOff[p] .. oOff[p+1]). */
  readonly oOff: Int32Array;
  readonly outs: Int32Array;
}

export function planPool(layer: Pool2dLayer): PoolPlan {
  const { H, W, FY, FX, SY, SX, PY, PX, OY, OX } = windowDims(layer);
  const wOff = new Int32Array(OY * OX + 1);
  const windows: number[] = [];
  const reverse: number[][] = Array.from({ length: H * W }, () => []);
  for (let oy = 0; oy < OY; oy++) {
    for (let ox = 0; ox < OX; ox++) {
      const o = oy * OX + ox;
      for (let fy = 0; fy < FY; fy++) {
        const iy = oy * SY + fy - PY;
        if (iy < 0 || iy >= H) continue;
        for (let fx = 0; fx < FX; fx++) {
          const ix = ox * SX + fx - PX;
          if (ix < 0 || ix >= W) continue;
          windows.push(iy * W + ix);
          reverse[iy * W + ix].push(o);
        }
      }
      wOff[o + 1] = windows.length;
    }
  }
  const oOff = new Int32Array(H * W + 1);
  for (let p = 0; p < H * W; p++) oOff[p + 1] = oOff[p] + reverse[p].length;
  return { channels: layer.channels, H, W, OY, OX, wOff, windows: Int32Array.from(windows), oOff, outs: Int32Array.from(reverse.flat()) };
}

/** Pooling forward for one sample. */
export function poolForward(plan: PoolPlan, kind: Pool2dLayer['kind'], x: Float32Array, y: Float32Array): void {
  const inPlane = plan.H * plan.W;
  const outPlane = plan.OY * plan.OX;
  for (let c = 0; c < plan.channels; c++) {
    for (let o = 0; o < outPlane; o++) {
      const a = plan.wOff[o];
      const b = plan.wOff[o + 1];
      if (kind === 'maxpool2d') {
        let m = -Infinity;
        for (let q = a; q < b; q++) m = Math.max(m, x[c * inPlane + plan.windows[q]]);
        y[c * outPlane + o] = m;
      } else {
        let s = 0;
        for (let q = a; q < b; q++) s += x[c * inPlane + plan.windows[q]];
        y[c * outPlane + o] = s / (b - a);
      }
    }
  }
}
