// Spikformer's spiking self-attention (SSA), Zhou et al., "Spikformer: When Spiking Neural Network
// Meets Transformer", ICLR 2023 (github.com/ZK-Zhou/spikformer), made causal for language modelling.
//
// Per token x_t, over T timesteps τ (conventions and counting: spiking-common.ts):
//   s_x[τ]        = LIF(x_t)                                     the input spikes (direct coding)
//   Q/K/V[τ]      = LIF(s_x[τ]·W_{q,k,v} + b_{q,k,v})            BN folded into W and b
//   A_h[τ]        = Σ_{j ≤ t} λ_h^(t−j) · (Q_{t,h}[τ]·K_{j,h}[τ]) · V_{j,h}[τ]    per head, no softmax
//   S[τ]          = LIF_θa(A[τ] · scale / Z_h(t+1))              θa = attnThreshold (0.5), scale 4,
//                                                                Z_h(n) = Σ_{k<n} λ_h^k
//   y_t           = (1/T)·Σ_τ S[τ]·W_o + b_o
// The attention of step τ uses the spikes of step τ only (Spikformer computes Q·Kᵀ·V per timestep).
//
// Decay and normalisation (issue 18). Spikformer scales Q·Kᵀ·V by 0.125 over an image's N = 64 patches;
// made causal with that fixed scale, the sum covers t + 1 positions, so the attention neurons' current
// grows with position (a function of how many positions there are as much as of content), and the sum
// has no notion of recency: with no positional encoding in the LM (lm.ts), no head can find the
// previous characters. Trained on text, the attention LIFs went from 28% of neuron-steps firing at
// initialisation to 6.6%, and the model was no better than the zero mixer (README). Dividing by the
// positions alone (the causal mean) did not help either: it fixes the drift, not the recency. Here each head h weighs the position k back by λ_h^k, λ_h = 1 − (1 − leak)·4^(−h)
// (option `leak`, 0.5: λ = 0.5, 0.875, 0.96875, 0.9921875 with 4 heads — memory horizons of 2, 8, 32
// and 128 tokens; leak = 1 is the plain sum), and divides the weighted sum by its total weight
// Z_h(t+1) (the causal mean at leak = 1), times `scale` (4). Spikformer's 0.125 over its 64 patches
// would be 8 for a mean; at the ablation test's scale (test/seq-ablation.test.ts: d = 32, 1 layer, 400
// steps) scales 1, 2, 4, 8, 16, 32 gave 3.573, 3.568, 3.603, 3.630, 3.642, 3.650 bits/char (zero
// mixer 3.663), and at the study's (d = 64, 2 layers, 150 text / 200 recall steps) 2, 4, 8 gave
// 3.553, 3.604, 3.616 bits/char but recall at L = 32/64 of 12.5/7.5%, 16.3/17.5%, 16.3/18.8% (zero
// mixer 3.665, 7.5/7.5%): 4 is the smallest that keeps recall. The scores stay integer counts of
// coinciding spikes; the decay makes the value sums real.
// Both forms use the same float32 tables (decayTables): λ^k as a running product, Z by its recurrence.
//
// Decoding keeps a KV cache of SPIKES: per timestep, the binary K and V of every position so far,
// 1-bit words (operand 'kv'), and per head the running normaliser Z_h (operand 'state', H words):
//  - once per token, per head: Z_h ← λ_h·Z_h + 1 and the factor scale/Z_h (a multiply, an add, a division);
//  - score of position j (head h): for each query spike of the head, the key bit at that channel
//    is accumulated (an int32 AC): n_q(h) ACs per position, the key's dh bits read from the cache;
//    a head without query spikes does nothing (its scores are all zero);
//  - positions newest first, λ_h^k kept as a running product (n − 1 multiplies per active head); a
//    nonzero score is multiplied by it (one multiply per attended position), the value's dh bits are
//    read, and the weighted score is added to the sum of each channel where the value spiked (an fp32
//    AC per value spike);
//  - the sums times the head's factor: d multiplies per step.
//
// Counts per token (n = L + 1 positions including the new one; activity summed over τ and heads:
// sx, sq, sk, sv, sa spikes of the input, Q, K, V and attention LIFs; activeHeads = (τ, h) with a
// query spike; attendedPositions = (τ, h, j) with a nonzero score; valueAcs = value ACs):
//   ac/fp32/projection  = 3·sx·d + sa·d                 (synaptic: spikes × fan-out)
//   ac/int32/score      = sq·n
//   ac/fp32/value       = valueAcs
//   mul/fp32/decay      = activeHeads·(n − 1) + attendedPositions
//   mul/fp32/attn-norm = add/fp32/attn-norm = div/fp32/attn-norm = H
//   mul/fp32/leak, add/fp32/integrate, cmp/fp32/threshold = 5·d·T     (5 LIF populations of d)
//   add/fp32/bias       = 3·d·T + d,   mul/fp32/attn-scale = d·T
//   add/fp32/readout    = d·T,         mul/fp32/readout    = d
//   weight/read/32      = 3·sx·d + sa·d
//   bias/read/32        = 3·d·T + d
//   potential/read/32 = potential/write/32 = 5·d·T
//   state/read/32 = state/write/32 = H
//   input/read/32       = 5·d·T  (each LIF's current)      input/read/1 = 5·d·T (4 projections' spike inputs, the query)
//   output/write/1      = 5·d·T  (spikes)                  output/write/32 = 4·d·T + d (currents, the block output)
//   kv/write/1          = 2·d·T
//   kv/read/1           = activeHeads·n·dh + attendedPositions·dh
// The H decays λ_h are constants beside the arithmetic, not memory reads (as the LIFs' β and θ are not).
// No layer is MAC: the only real-valued input, x_t, drives the input LIF as a current with no
// synapses; every synaptic layer (Q, K, V, output projection) sees spikes (Spikingformer's rule).
import type { Tensor } from '@tensorflow/tfjs-core';
import type { BlockConfig } from '../block.js';
import { COUNT_BITS, LifLayer, lifEntries, lifTf, matMulTf, mem, need, op, qkvoBlock, spikingOptions, store } from './spiking-common.js';

const ID = 'spikformer';
const scaleOf = (cfg: BlockConfig) => Math.fround(cfg.options.scale ?? 4);
/** λ_h = 1 − (1 − leak)·4^(−h): head h's decay of a score per position back (option `leak`, 0.5). */
const decayOf = (cfg: BlockConfig, h: number) => Math.fround(1 - (1 - (cfg.options.leak ?? 0.5)) * 4 ** -h);

/**
 * The float32 tables both forms use, per head h: D_h[k] = λ_h^k as the running product fround(D[k−1]·λ_h)
 * (D[0] = 1), and the factor scale/Z_h(n) of the n positions' weighted sum, Z_h(0) = 0,
 * Z_h(n) = fround(fround(λ_h·Z_h(n−1)) + 1) = Σ_{k<n} λ_h^k (the decoder's running normaliser).
 */
function decayTables(cfg: BlockConfig, L: number): { powers: Float32Array[]; factors: Float32Array[] } {
  const powers: Float32Array[] = [];
  const factors: Float32Array[] = [];
  for (let h = 0; h < cfg.heads; h++) {
    const lambda = decayOf(cfg, h);
    const p = new Float32Array(L);
    const f = new Float32Array(L);
    let z = 0;
    for (let k = 0; k < L; k++) {
      p[k] = k === 0 ? 1 : Math.fround(p[k - 1] * lambda);
      z = Math.fround(Math.fround(lambda * z) + 1);
      f[k] = Math.fround(scaleOf(cfg) / z);
    }
    powers.push(p);
    factors.push(f);
  }
  return { powers, factors };
}

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
    options: { attnThreshold: 0.5, scale: 4, leak: 0.5 },
    checks: {
      scale: (v) => (v > 0 && Number.isFinite(v) ? null : `must be a positive number, got ${v}`),
      leak: (v) => (v > 0 && v <= 1 ? null : `(the score decay of head 0) must be in (0, 1], got ${v}`),
    },
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
      // per head: the causal decay mask D_h[i − j] (j ≤ i) and the factor scale/Z_h(i + 1) of row i
      const { powers, factors } = decayTables(cfg, L);
      const mask = new Float32Array(H * L * L);
      for (let h = 0; h < H; h++) for (let i = 0; i < L; i++) for (let j = 0; j <= i; j++) mask[(h * L + i) * L + j] = powers[h][i - j];
      const factor = new Float32Array(H * L);
      for (let h = 0; h < H; h++) factor.set(factors[h], h * L);
      const scores = tf.mul(matMulTf(tf, heads(q, [0, 2, 1, 3]), heads(k, [0, 2, 3, 1])), tf.tensor3d(mask, [H, L, L]));
      const att = tf.mul(matMulTf(tf, scores, heads(v, [0, 2, 1, 3])), tf.tensor3d(factor, [H, L, 1]));
      const cur = tf.unstack(tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [T, B * L, d]));
      return new Map([['attn', lifTf(tf, (t) => cur[t], T, o.attnThreshold, o.beta)]]);
    },
    decoder(cfg, c, r) {
      const { d, heads: H, headDim: dh } = cfg;
      const o = spikingOptions(cfg);
      const scale = scaleOf(cfg);
      const lambda = Float32Array.from({ length: H }, (_, h) => decayOf(cfg, h));
      const z = new Float32Array(H); // running normalisers Σ_{k<n} λ_h^k (state)
      const factor = new Float32Array(H);
      const attn = new LifLayer(c, d, o.attnThreshold, o);
      const keys = Array.from({ length: o.T }, () => new SpikeRows(d));
      const values = Array.from({ length: o.T }, () => new SpikeRows(d));
      return {
        reset: () => attn.reset(),
        step(t, q, k, v) {
          if (t === 0) {
            // a new token: Z_h ← λ_h·Z_h + 1 and its factor scale/Z_h, once per token
            c.read('state', H);
            for (let h = 0; h < H; h++) {
              z[h] = Math.fround(Math.fround(lambda[h] * z[h]) + 1);
              factor[h] = Math.fround(scale / z[h]);
            }
            c.op('mul', 'attn-norm', H);
            c.op('add', 'attn-norm', H);
            c.op('div', 'attn-norm', H);
            c.write('state', H);
          }
          keys[t].push(k);
          values[t].push(v);
          c.write('kv', 2 * d, 1);
          c.read('input', d, 1); // the query spikes
          const sum = new Float32Array(d); // decayed attention sums
          const n = keys[t].length;
          let valueAcs = 0;
          let attended = 0;
          for (let h = 0; h < H; h++) {
            const qi: number[] = [];
            for (let i = h * dh; i < (h + 1) * dh; i++) if (q[i] === 1) qi.push(i);
            if (qi.length === 0) continue;
            r.act.activeHeads++;
            c.op('ac', 'score', qi.length * n, 'int', COUNT_BITS);
            c.read('kv', n * dh, 1);
            // newest first: the position k back weighs λ^k, a running product (n − 1 multiplies)
            let power = 1;
            for (let j = n - 1; j >= 0; j--) {
              if (j < n - 1) power = Math.fround(power * lambda[h]);
              let score = 0;
              for (const i of qi) score += keys[t].bit(j, i);
              if (score === 0) continue;
              r.act.attendedPositions++;
              attended++;
              const weight = Math.fround(score * power);
              c.read('kv', dh, 1);
              for (let i = h * dh; i < (h + 1) * dh; i++) {
                if (values[t].bit(j, i) === 0) continue;
                sum[i] = Math.fround(sum[i] + weight);
                valueAcs++;
              }
            }
            c.op('mul', 'decay', n - 1);
          }
          c.op('mul', 'decay', attended); // score × λ^k per attended position
          c.op('ac', 'value', valueAcs);
          r.act.valueAcs += valueAcs;
          const cur = new Float32Array(d);
          for (let h = 0; h < H; h++) for (let i = h * dh; i < (h + 1) * dh; i++) cur[i] = Math.fround(sum[i] * factor[h]);
          c.op('mul', 'attn-scale', d);
          return r.spikes('attn', attn.step(cur));
        },
      };
    },
    counts(e, cfg, L, a) {
      const { d, heads: H, headDim: dh } = cfg;
      const { T } = spikingOptions(cfg);
      const n = L + 1;
      e.memory.push(mem('state', 'read', H), mem('state', 'write', H), mem('kv', 'write', 2 * d * T, 1), mem('input', 'read', d * T, 1));
      e.compute.push(op('mul', 'attn-norm', H), op('add', 'attn-norm', H), op('div', 'attn-norm', H));
      e.compute.push(op('ac', 'score', need(ID, a, 'qSpikes') * n, 'int', COUNT_BITS), op('mul', 'decay', need(ID, a, 'activeHeads') * (n - 1) + need(ID, a, 'attendedPositions')), op('ac', 'value', need(ID, a, 'valueAcs')), op('mul', 'attn-scale', d * T));
      e.memory.push(mem('kv', 'read', need(ID, a, 'activeHeads') * n * dh + need(ID, a, 'attendedPositions') * dh, 1));
      lifEntries(e, d, T); // attention LIF
    },
    /** Per timestep, the K and V bits of the L + 1 positions; the H running normalisers. */
    stores: (cfg, L) => [store('kv', 2 * spikingOptions(cfg).T * (L + 1) * cfg.d, 1), store('state', cfg.heads)],
  },
);
