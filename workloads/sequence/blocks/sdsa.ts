// Spike-driven self-attention (SDSA), Yao et al., "Spike-driven Transformer", NeurIPS 2023
// (github.com/BICLab/Spike-Driven-Transformer, module/ms_conv.py `MS_SSA_Conv`), made causal.
//
// SDSA(Q, K, V) = Q ⊗ SN(SUM_c(K ⊗ V)): Hadamard masks and a column sum over tokens, no softmax and
// no score matrix, O(N·D). Per token x_t, over T timesteps τ (spiking-common.ts):
//   s_x[τ]     = LIF(x_t)                                  the membrane-shortcut SN on the input
//   Q/K/V[τ]   = LIF(s_x[τ]·W_{q,k,v} + b_{q,k,v})          1×1 conv + BN, BN folded
//   C_t[τ]     = Σ_{j ≤ t} K_j[τ] ⊗ V_j[τ]                 causal column sum: integer counts per channel
//   S[τ]       = LIF_θa(C_t[τ])                            talking_heads_lif, θa = attnThreshold (0.5)
//   O[τ]       = Q[τ] ⊗ S[τ]
//   y_t        = (1/T)·Σ_τ O[τ]·W_o + b_o
// Heads play no part (every operation is per channel); `heads` only has to divide d.
// Decoding keeps C as a running state: T·d int32 counts (operand 'state'), O(1) in L. Note that the
// column sum only grows, so a channel whose K and V have ever spiked together at step τ keeps S = 1
// once C ≥ θa: the causal form saturates to O = Q over long contexts (the paper's non-causal sum over
// an image's patches does not have that problem).
//
// Counts per token (activity summed over τ: sx, sq, sk, sv, skv = K⊗V coincidences, ssn = S spikes,
// so = O spikes):
//   ac/fp32/projection  = 3·sx·d + so·d                 (synaptic: spikes × fan-out)
//   mul/int1/mask       = 2·d·T                         (K⊗V and Q⊗S, a 1-bit AND per channel)
//   add/int32/state     = skv                           (one increment per coincidence)
//   mul/fp32/leak, add/fp32/integrate, cmp/fp32/threshold = 5·d·T
//   add/fp32/bias       = 3·d·T + d
//   add/fp32/readout    = d·T,   mul/fp32/readout = d
//   weight/read/32      = 3·sx·d + so·d,   bias/read/32 = 3·d·T + d
//   potential/read/32 = potential/write/32 = 5·d·T
//   state/read/32 = state/write/32 = d·T               (C[τ] read once, serving S's current, written once)
//   input/read/32       = 4·d·T  (currents of the input, Q, K, V LIFs)
//   input/read/1        = 3·d·T + 4·d·T + d·T           (projection inputs, the masks' operands, the output projection's input)
//   output/write/1      = 5·d·T + d·T                   (spikes, O)
//   output/write/32     = 4·d·T + d
// No layer is MAC: x_t is a current into the input LIF, every synaptic layer sees spikes.
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tf } from '../../train/tf.js';
import { COUNT_BITS, LifLayer, lifEntries, lifTf, matMulTf, mem, need, op, qkvoBlock, spikingOptions, store } from './spiking-common.js';

const ID = 'sdsa';

/**
 * Σ_{j ≤ t} of each step's [B·L, d] tensor over positions, as one product with the lower-triangular
 * [L, L] ones matrix. Not tf.cumsum: in tfjs 4.22 its gradient along an axis other than the last comes
 * back transposed (shape [B, d, L] for an input [B, L, d]; silently wrong when L = d).
 */
function causalSumTf(tf: Tf, xs: readonly Tensor[], B: number, L: number, d: number): Tensor[] {
  const T = xs.length;
  const tril = new Float32Array(L * L);
  for (let i = 0; i < L; i++) for (let j = 0; j <= i; j++) tril[i * L + j] = 1;
  const byPosition = tf.reshape(tf.transpose(tf.reshape(tf.stack(xs as Tensor[]), [T, B, L, d]), [2, 0, 1, 3]), [L, T * B * d]);
  const sums = tf.reshape(matMulTf(tf, tf.tensor2d(tril, [L, L]), byPosition), [L, T, B, d]);
  return tf.unstack(tf.reshape(tf.transpose(sums, [1, 2, 0, 3]), [T, B * L, d]));
}

export const sdsaBlock = qkvoBlock(
  {
    id: ID,
    title: 'Spike-driven self-attention (causal column sum)',
    source: 'Yao et al., Spike-driven Transformer, NeurIPS 2023 (github.com/BICLab/Spike-Driven-Transformer)',
    options: { attnThreshold: 0.5 },
  },
  {
    activity: ['kvSpikes', 'snSpikes', 'outSpikes'],
    outStage: 'out',
    neurons: (cfg) => cfg.d,
    parallel(tf, { q, k, v }, cfg, B, L) {
      const o = spikingOptions(cfg);
      const colsum = causalSumTf(tf, k.map((kt, t) => tf.mul(kt, v[t])), B, L, cfg.d);
      const sn = lifTf(tf, (t) => colsum[t], o.T, o.attnThreshold, o.beta);
      return new Map([['sn', sn], ['out', q.map((qt, t) => tf.mul(qt, sn[t]))]]);
    },
    decoder(cfg, c, r) {
      const { d } = cfg;
      const o = spikingOptions(cfg);
      const sn = new LifLayer(c, d, o.attnThreshold, o, { current: null });
      const colsum = Array.from({ length: o.T }, () => new Int32Array(d));
      return {
        reset: () => sn.reset(),
        step(t, q, k, v) {
          // K ⊗ V into the column sum: read both spike vectors, AND them, increment where both spiked
          c.read('input', 2 * d, 1);
          c.op('mul', 'mask', d, 'int', 1);
          c.read('state', d, COUNT_BITS);
          let kv = 0;
          for (let i = 0; i < d; i++) {
            if (k[i] === 1 && v[i] === 1) {
              colsum[t][i]++;
              kv++;
            }
          }
          c.op('add', 'state', kv, 'int', COUNT_BITS);
          c.write('state', d, COUNT_BITS);
          r.act.kvSpikes += kv;
          const s = r.spikes('sn', sn.step(Float32Array.from(colsum[t])));
          // Q ⊗ S
          c.read('input', 2 * d, 1);
          c.op('mul', 'mask', d, 'int', 1);
          const out = new Float32Array(d);
          for (let i = 0; i < d; i++) out[i] = q[i] * s[i];
          c.write('output', d, 1);
          return r.spikes('out', out);
        },
      };
    },
    counts(e, cfg, _L, a) {
      const { d } = cfg;
      const { T } = spikingOptions(cfg);
      e.memory.push(mem('input', 'read', 2 * d * T, 1), mem('state', 'read', d * T, COUNT_BITS), mem('state', 'write', d * T, COUNT_BITS));
      e.compute.push(op('mul', 'mask', 2 * d * T, 'int', 1), op('add', 'state', need(ID, a, 'kvSpikes'), 'int', COUNT_BITS));
      lifEntries(e, d, T, { current: null }); // S: its current is the state read
      e.memory.push(mem('input', 'read', 2 * d * T, 1), mem('output', 'write', d * T, 1));
    },
    /** The state does not grow with L: T·d column sums. */
    stores: (cfg) => [store('state', spikingOptions(cfg).T * cfg.d, COUNT_BITS)],
  },
);
