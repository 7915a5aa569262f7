// A KV cache for softmax-family attention (MHA, GQA, FoX, stick-breaking, sparse and landmark
// attention): per KV head, the keys and values of every position so far, with counted traffic.
import type { StepCounter } from './counter.js';
import { softmaxInPlace } from './ops.js';

export class KvCache {
  /** keys[h] and values[h]: position-major, headDim values per position (capacity grows by doubling). */
  private keys: Float32Array[];
  private values: Float32Array[];
  length = 0;

  constructor(
    readonly kvHeads: number,
    readonly headDim: number,
    private readonly counter: StepCounter,
  ) {
    this.keys = Array.from({ length: kvHeads }, () => new Float32Array(64 * headDim));
    this.values = Array.from({ length: kvHeads }, () => new Float32Array(64 * headDim));
  }

  /** Appends one position: k and v hold kvHeads·headDim values (head-major); 2·kvHeads·headDim kv writes. */
  append(k: Float32Array, v: Float32Array): void {
    const dh = this.headDim;
    if (k.length !== this.kvHeads * dh || v.length !== this.kvHeads * dh) throw new Error(`KvCache.append: expected ${this.kvHeads * dh} values, got ${k.length} and ${v.length}`);
    if ((this.length + 1) * dh > this.keys[0].length) {
      for (let h = 0; h < this.kvHeads; h++) {
        const grow = (a: Float32Array) => {
          const b = new Float32Array(a.length * 2);
          b.set(a);
          return b;
        };
        this.keys[h] = grow(this.keys[h]);
        this.values[h] = grow(this.values[h]);
      }
    }
    for (let h = 0; h < this.kvHeads; h++) {
      this.keys[h].set(k.subarray(h * dh, (h + 1) * dh), this.length * dh);
      this.values[h].set(v.subarray(h * dh, (h + 1) * dh), this.length * dh);
    }
    this.length++;
    this.counter.write('kv', 2 * this.kvHeads * dh);
  }

  /** Key of position j, KV head h (no counting: callers count what they read). */
  key(h: number, j: number): Float32Array {
    return this.keys[h].subarray(j * this.headDim, (j + 1) * this.headDim);
  }

  value(h: number, j: number): Float32Array {
    return this.values[h].subarray(j * this.headDim, (j + 1) * this.headDim);
  }

  /** Words the cache holds: 2 · positions · kvHeads · headDim. */
  words(): number {
    return 2 * this.length * this.kvHeads * this.headDim;
  }
}

/**
 * Scores of query q (headDim values from offset qOff) against the keys at `positions` of KV head h:
 * s_j = scale · q·k_j + bias(j). Counts |P|·headDim score MACs, |P|·headDim kv reads, |P| multiplies
 * for the scale, and one add per position when a bias is given.
 */
export function scores(c: StepCounter, cache: KvCache, h: number, q: Float32Array, qOff: number, positions: readonly number[], scale: number, bias?: (j: number) => number): Float32Array {
  const dh = cache.headDim;
  const s = new Float32Array(positions.length);
  positions.forEach((j, i) => {
    const k = cache.key(h, j);
    let acc = 0;
    for (let t = 0; t < dh; t++) acc = Math.fround(acc + Math.fround(q[qOff + t] * k[t]));
    s[i] = Math.fround(acc * scale);
    if (bias) s[i] = Math.fround(s[i] + bias(j));
  });
  const n = positions.length;
  c.op('mac', 'score', n * dh);
  c.read('kv', n * dh);
  c.op('mul', 'score-scale', n);
  if (bias) c.op('add', 'score-bias', n);
  return s;
}

/** out[0..headDim) = Σ_i p_i · v_{positions[i]} of KV head h: |P|·headDim value MACs and kv reads. */
export function weightedValues(c: StepCounter, cache: KvCache, h: number, p: Float32Array, positions: readonly number[]): Float32Array {
  const dh = cache.headDim;
  const out = new Float32Array(dh);
  positions.forEach((j, i) => {
    const v = cache.value(h, j);
    const pi = p[i];
    for (let t = 0; t < dh; t++) out[t] = Math.fround(out[t] + Math.fround(pi * v[t]));
  });
  c.op('mac', 'value', positions.length * dh);
  c.read('kv', positions.length * dh);
  return out;
}

/** Softmax attention of one query head over `positions` of KV head h (scores, softmax, values). */
export function attendSoftmax(c: StepCounter, cache: KvCache, h: number, q: Float32Array, qOff: number, positions: readonly number[], scale: number, bias?: (j: number) => number): Float32Array {
  const s = scores(c, cache, h, q, qOff, positions, scale, bias);
  softmaxInPlace(c, s, s.length);
  return weightedValues(c, cache, h, s, positions);
}
