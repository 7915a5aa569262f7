// Spikformer's spiking self-attention (SSA), Zhou et al., "Spikformer: When Spiking Neural Network
// Meets Transformer", ICLR 2023 (github.com/ZK-Zhou/spikformer), made causal for language modelling.
//
// Per token x_t, over T timesteps τ (conventions and counting: spiking-common.ts):
//   s_x[τ]        = LIF(x_t)                                     the input spikes (direct coding)
//   Q/K/V[τ]      = LIF(s_x[τ]·W_{q,k,v} + b_{q,k,v})            BN folded into W and b
//   A_h[τ]        = Σ_{j ≤ t} (Q_{t,h}[τ]·K_{j,h}[τ]) · V_{j,h}[τ]   per head, no softmax: integers
//   S[τ]          = LIF_θa(scale · A[τ])                         θa = attnThreshold (0.5), scale 0.125
//   y_t           = (1/T)·Σ_τ S[τ]·W_o + b_o
// The attention of step τ uses the spikes of step τ only (Spikformer computes Q·Kᵀ·V per timestep).
//
// Decoding keeps a KV cache of SPIKES: per timestep, the binary K and V of every position so far,
// 1-bit words (operand 'kv'). Without a softmax, Q·Kᵀ·V could also be kept as a running integer state
// KᵀV (T·H·dh² counts, O(1) in L); the cache is the form whose traffic grows with context, which is
// what Spikformer's parallel form implies, and it is what this decoder does and counts:
//  - score of position j (head h): for each query spike of the head, the key bit at that channel
//    is accumulated (an int32 AC): n_q(h) ACs per position, the key's dh bits read from the cache;
//    a head without query spikes does nothing (its scores are all zero);
//  - value: for each position with a nonzero score, the value's dh bits are read, and the score is
//    added to the sum of each channel where the value spiked (an int32 AC per value spike).
//
// Counts per token (n = L + 1 positions including the new one; activity summed over τ and heads:
// sx, sq, sk, sv, sa spikes of the input, Q, K, V and attention LIFs; activeHeads = (τ, h) with a
// query spike; attendedPositions = (τ, h, j) with a nonzero score; valueAcs = value ACs):
//   ac/fp32/projection  = 3·sx·d + sa·d                 (synaptic: spikes × fan-out)
//   ac/int32/score      = sq·n
//   ac/int32/value      = valueAcs
//   mul/fp32/leak, add/fp32/integrate, cmp/fp32/threshold = 5·d·T     (5 LIF populations of d)
//   add/fp32/bias       = 3·d·T + d,   mul/fp32/attn-scale = d·T
//   add/fp32/readout    = d·T,         mul/fp32/readout    = d
//   weight/read/32      = 3·sx·d + sa·d
//   bias/read/32        = 3·d·T + d
//   potential/read/32 = potential/write/32 = 5·d·T
//   input/read/32       = 5·d·T  (each LIF's current)      input/read/1 = 5·d·T (4 projections' spike inputs, the query)
//   output/write/1      = 5·d·T  (spikes)                  output/write/32 = 4·d·T + d (currents, the block output)
//   kv/write/1          = 2·d·T
//   kv/read/1           = activeHeads·n·dh + attendedPositions·dh
// No layer is MAC: the only real-valued input, x_t, drives the input LIF as a current with no
// synapses; every synaptic layer (Q, K, V, output projection) sees spikes (Spikingformer's rule).
import type { Tensor } from '@tensorflow/tfjs-core';
import type { BlockConfig } from '../block.js';
import { COUNT_BITS, LifLayer, lifEntries, lifTf, matMulTf, mem, need, op, qkvoBlock, spikingOptions, store } from './spiking-common.js';

const ID = 'spikformer';
const scaleOf = (cfg: BlockConfig) => cfg.options.scale ?? 0.125;

/** Binary vectors of d channels, one per position, in one growing byte array. */
class SpikeRows {
  private data: Uint8Array;
  length = 0;
  constructor(private readonly d: number) {
    this.data = new Uint8Array(64 * d);
  }
  push(s: Float32Array): void {
    if ((this.length + 1) * this.d > this.data.length) {
      const grown = new Uint8Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    for (let i = 0; i < this.d; i++) this.data[this.length * this.d + i] = s[i];
    this.length++;
  }
  bit(j: number, i: number): number {
    return this.data[j * this.d + i];
  }
}

export const spikformerBlock = qkvoBlock(
  {
    id: ID,
    title: 'Spikformer spiking self-attention (causal, spike KV cache)',
    source: 'Zhou et al., Spikformer: When Spiking Neural Network Meets Transformer, ICLR 2023 (github.com/ZK-Zhou/spikformer)',
    options: { attnThreshold: 0.5, scale: 0.125 },
    checks: { scale: (v) => (v > 0 && Number.isFinite(v) ? null : `must be a positive number, got ${v}`) },
  },
  {
    activity: ['attnSpikes', 'activeHeads', 'attendedPositions', 'valueAcs'],
    outStage: 'attn',
    neurons: (cfg) => cfg.d,
    parallel(tf, { q, k, v }, cfg, B, L) {
      const o = spikingOptions(cfg);
      const { T } = o;
      const { d, heads: H, headDim: dh } = cfg;
      // [T·B, H, L, dh] (keys [T·B, H, dh, L]): timestep and batch together, one attention per (τ, sample, head)
      const heads = (s: Tensor[], perm: number[]) => tf.transpose(tf.reshape(tf.stack(s), [T * B, L, H, dh]), perm);
      const causal = new Float32Array(L * L);
      for (let i = 0; i < L; i++) for (let j = 0; j <= i; j++) causal[i * L + j] = 1;
      const scores = tf.mul(matMulTf(tf, heads(q, [0, 2, 1, 3]), heads(k, [0, 2, 3, 1])), tf.tensor2d(causal, [L, L]));
      const att = tf.reshape(tf.transpose(matMulTf(tf, scores, heads(v, [0, 2, 1, 3])), [0, 2, 1, 3]), [T, B * L, d]);
      const cur = tf.unstack(tf.mul(att, Math.fround(scaleOf(cfg))));
      return new Map([['attn', lifTf(tf, (t) => cur[t], T, o.attnThreshold, o.beta)]]);
    },
    decoder(cfg, c, r) {
      const { d, heads: H, headDim: dh } = cfg;
      const o = spikingOptions(cfg);
      const scale = Math.fround(scaleOf(cfg));
      const attn = new LifLayer(c, d, o.attnThreshold, o);
      const keys = Array.from({ length: o.T }, () => new SpikeRows(d));
      const values = Array.from({ length: o.T }, () => new SpikeRows(d));
      return {
        reset: () => attn.reset(),
        step(t, q, k, v) {
          keys[t].push(k);
          values[t].push(v);
          c.write('kv', 2 * d, 1);
          c.read('input', d, 1); // the query spikes
          const sum = new Float32Array(d); // integer attention sums
          const n = keys[t].length;
          let valueAcs = 0;
          for (let h = 0; h < H; h++) {
            const qi: number[] = [];
            for (let i = h * dh; i < (h + 1) * dh; i++) if (q[i] === 1) qi.push(i);
            if (qi.length === 0) continue;
            r.act.activeHeads++;
            c.op('ac', 'score', qi.length * n, 'int', COUNT_BITS);
            c.read('kv', n * dh, 1);
            for (let j = 0; j < n; j++) {
              let score = 0;
              for (const i of qi) score += keys[t].bit(j, i);
              if (score === 0) continue;
              r.act.attendedPositions++;
              c.read('kv', dh, 1);
              for (let i = h * dh; i < (h + 1) * dh; i++) {
                if (values[t].bit(j, i) === 0) continue;
                sum[i] += score;
                valueAcs++;
              }
            }
          }
          c.op('ac', 'value', valueAcs, 'int', COUNT_BITS);
          r.act.valueAcs += valueAcs;
          const cur = new Float32Array(d);
          for (let i = 0; i < d; i++) cur[i] = Math.fround(sum[i] * scale);
          c.op('mul', 'attn-scale', d);
          return r.spikes('attn', attn.step(cur));
        },
      };
    },
    counts(e, cfg, L, a) {
      const { d, headDim: dh } = cfg;
      const { T } = spikingOptions(cfg);
      const n = L + 1;
      e.memory.push(mem('kv', 'write', 2 * d * T, 1), mem('input', 'read', d * T, 1));
      e.compute.push(op('ac', 'score', need(ID, a, 'qSpikes') * n, 'int', COUNT_BITS), op('ac', 'value', need(ID, a, 'valueAcs'), 'int', COUNT_BITS), op('mul', 'attn-scale', d * T));
      e.memory.push(mem('kv', 'read', need(ID, a, 'activeHeads') * n * dh + need(ID, a, 'attendedPositions') * dh, 1));
      lifEntries(e, d, T); // attention LIF
    },
    /** Per timestep, the K and V bits of the L + 1 positions. */
    stores: (cfg, L) => [store('kv', 2 * spikingOptions(cfg).T * (L + 1) * cfg.d, 1)],
  },
);
