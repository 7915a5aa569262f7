// Input encoders of spiking backends: each turns one sample into input spike events per timestep.
// An encoder is a pure function of (sample, timestep, rng); the backend owns the rng stream so that
// results do not depend on sample order.
import type { Rng } from '../core/rng.js';

export interface SpikeEncoder {
  /** Short name recorded in the backend descriptor, e.g. "rate". */
  readonly name: string;
  /**
   * Writes the indices of the inputs that spike at timestep t into `out` and returns their number.
   * `x` holds the sample's inputs scaled to [0, 1].
   */
  encode(x: Float32Array, t: number, rng: Rng, out: Int32Array): number;
}

/** Rate (Bernoulli) coding: input i spikes at each timestep with probability x_i. */
export const rateEncoder: SpikeEncoder = {
  name: 'rate',
  encode(x, _t, rng, out) {
    let n = 0;
    for (let i = 0; i < x.length; i++) {
      const p = x[i];
      if (p > 0 && rng.next() < p) out[n++] = i;
    }
    return n;
  },
};

/**
 * A fixed spike raster, the same for every sample: `raster[t]` lists the input indices that spike at
 * timestep t. Used to drive a network with given spikes (tests, hand-computed examples).
 */
export function rasterEncoder(raster: readonly (readonly number[])[]): SpikeEncoder {
  return {
    name: 'raster',
    encode(x, t, _rng, out) {
      const spikes = raster[t] ?? [];
      for (let k = 0; k < spikes.length; k++) {
        const i = spikes[k];
        if (!Number.isInteger(i) || i < 0 || i >= x.length) throw new Error(`raster: input index ${i} at timestep ${t} is outside [0, ${x.length})`);
        out[k] = i;
      }
      return spikes.length;
    },
  };
}

/**
 * Latency (time-to-first-spike) coding: input i spikes once, at step round((1 − x_i)·(T − 1)), so
 * brighter inputs spike earlier; zero inputs never spike.
 */
export function latencyEncoder(timesteps: number): SpikeEncoder {
  return {
    name: 'latency',
    encode(x, t, _rng, out) {
      let n = 0;
      for (let i = 0; i < x.length; i++) {
        const p = x[i];
        if (p > 0 && Math.round((1 - p) * (timesteps - 1)) === t) out[n++] = i;
      }
      return n;
    },
  };
}
