// Spike-driven self-attention (SDSA), Yao et al., "Spike-driven Transformer", NeurIPS 2023
// (github.com/BICLab/Spike-Driven-Transformer, module/ms_conv.py `MS_SSA_Conv`), made causal.
//
// SDSA(Q, K, V) = Q ⊗ SN(SUM_c(K ⊗ V)): Hadamard masks and a column sum over tokens, no softmax and
// no score matrix, O(N·D). Per token x_t, over T timesteps τ (spiking-common.ts):
//   s_x[τ]     = LIF(x_t)                                  the membrane-shortcut SN on the input
//   Q/K/V[τ]   = LIF(s_x[τ]·W_{q,k,v} + b_{q,k,v})          1×1 conv + BN, BN folded
//   C_t[τ]     = λ_h·C_{t−1}[τ] + K_t[τ] ⊗ V_t[τ]          causal LEAKY column sum per channel (head h)
//   S[τ]       = LIF_θa(C_t[τ])                            talking_heads_lif, θa = attnThreshold (0.5)
//   O[τ]       = Q[τ] ⊗ S[τ]
//   y_t        = (1/T)·Σ_τ O[τ]·W_o + b_o
// The leak (issue 18): the paper sums K ⊗ V over an image's N patches; made causal, a plain sum only
// grows, so a channel whose K and V have ever spiked together keeps S = 1 (C ≥ θa) for the rest of the
// sequence — S's firing rate climbs with position (9% at positions 0–3, 39% at 32–63 after 150 steps of
// training), O tends to Q, the attention carries "has ever happened" and nothing recent, and trained
// models were no better than the zero mixer on text (3.705 against 3.665 bits/char, README). The
// column sum therefore leaks like a membrane: channels of head h decay by λ_h = 1 − (1 − leak)·4^(−h)
// per token (option `leak`, 0.5: λ = 0.5, 0.875, 0.96875, 0.9921875 with 4 heads — memory horizons
// 1/(1 − λ) of 2, 8, 32 and 128 tokens; leak = 1 is the plain sum). Heads play no other part (every
// operation is per channel); `heads` only has to divide d.
// Decoding keeps C as a running state: T·d fp32 sums (operand 'state'), O(1) in L.
//
// Counts per token (activity summed over τ: sx, sq, sk, sv, skv = K⊗V coincidences, ssn = S spikes,
// so = O spikes):
//   ac/fp32/projection  = 3·sx·d + so·d                 (synaptic: spikes × fan-out)
//   mul/int1/mask       = 2·d·T                         (K⊗V and Q⊗S, a 1-bit AND per channel)
//   mul/fp32/decay      = d·T                           (C ← λ_h·C, every channel every step)
//   add/fp32/state      = skv                           (one increment per coincidence)
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
// The H decay factors λ_h are constants held beside the arithmetic, not memory reads (as the LIFs' β
// and θ are not).
// No layer is MAC: x_t is a current into the input LIF, every synaptic layer sees spikes.
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tf } from '../../train/tf.js';
import type { BlockConfig } from '../block.js';
import { LifLayer, lifEntries, lifTf, matMulTf, mem, need, op, qkvoBlock, spikingOptions, store } from './spiking-common.js';

const ID = 'sdsa';
/** λ_h = 1 − (1 − leak)·4^(−h): the column sum's decay per head (memory horizons 2, 8, 32, 128 tokens at leak 0.5). */
const leakOf = (cfg: BlockConfig, h: number) => Math.fround(1 - (1 - (cfg.options.leak ?? 0.5)) * 4 ** -h);

/**
 * Σ_{j ≤ t} of each step's [B·L, d] tensor over positions, as one product with the lower-triangular
 * [L, L] ones matrix. Not tf.cumsum: in tfjs 4.22 its gradient along an axis other than the last comes
 * back transposed (shape [B, d, L] for an input [B, L, d]; silently wrong when L = d).
 */
function causalSumTf(tf: Tf, xs: readonly Tensor[], B: number, L: number, cfg: BlockConfig): Tensor[] {
  const T = xs.length;
  const { d, heads: H } = cfg;
  const dh = d / H;
  // per head h, decay powers D_h[i, j] = λ_h^(i−j) (j ≤ i); C = D_h · X over positions, channel by channel
  const decay = new Float32Array(H * L * L);
  for (let h = 0; h < H; h++) for (let i = 0; i < L; i++) for (let j = 0; j <= i; j++) decay[(h * L + i) * L + j] = Math.fround(leakOf(cfg, h) ** (i - j));
  // [T, B, L, H, dh] → [H, L, T·B·dh]
  const byHead = tf.reshape(tf.transpose(tf.reshape(tf.stack(xs as Tensor[]), [T, B, L, H, dh]), [3, 2, 0, 1, 4]), [H, L, T * B * dh]);
  const sums = tf.reshape(matMulTf(tf, tf.tensor3d(decay, [H, L, L]), byHead), [H, L, T, B, dh]);
  return tf.unstack(tf.reshape(tf.transpose(sums, [2, 3, 1, 0, 4]), [T, B * L, d]));
}

export const sdsaBlock = qkvoBlock(
  {
    id: ID,
    title: 'Spike-driven self-attention (causal column sum)',
    source: 'Yao et al., Spike-driven Transformer, NeurIPS 2023 (github.com/BICLab/Spike-Driven-Transformer)',
    options: { attnThreshold: 0.5, leak: 0.5 },
    checks: { leak: (v) => (v > 0 && v <= 1 ? null : `(the column sum's decay of head 0) must be in (0, 1], got ${v}`) },
  },
  {
    activity: ['kvSpikes', 'snSpikes', 'outSpikes'],
    outStage: 'out',
    neurons: (cfg) => cfg.d,
    parallel(tf, { q, k, v }, cfg, B, L) {
      const o = spikingOptions(cfg);
      const colsum = causalSumTf(tf, k.map((kt, t) => tf.mul(kt, v[t])), B, L, cfg);
      const sn = lifTf(tf, (t) => colsum[t], o.T, o.attnThreshold, o.beta);
      return new Map([['sn', sn], ['out', q.map((qt, t) => tf.mul(qt, sn[t]))]]);
    },
    decoder(cfg, c, r) {
      const { d } = cfg;
      const o = spikingOptions(cfg);
      const sn = new LifLayer(c, d, o.attnThreshold, o, { current: null });
      const colsum = Array.from({ length: o.T }, () => new Float32Array(d));
      const leak = Float32Array.from({ length: d }, (_, i) => leakOf(cfg, Math.floor(i / (d / cfg.heads))));
      return {
        reset: () => sn.reset(),
        step(t, q, k, v) {
          // K ⊗ V into the column sum: read both spike vectors, AND them, increment where both spiked
          c.read('input', 2 * d, 1);
          c.op('mul', 'mask', d, 'int', 1);
          c.read('state', d);
          c.op('mul', 'decay', d);
          let kv = 0;
          for (let i = 0; i < d; i++) {
            colsum[t][i] = Math.fround(colsum[t][i] * leak[i]);
            if (k[i] === 1 && v[i] === 1) {
              colsum[t][i]++;
              kv++;
            }
          }
          c.op('add', 'state', kv);
          c.write('state', d);
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
      e.memory.push(mem('input', 'read', 2 * d * T, 1), mem('state', 'read', d * T), mem('state', 'write', d * T));
      e.compute.push(op('mul', 'mask', 2 * d * T, 'int', 1), op('mul', 'decay', d * T), op('add', 'state', need(ID, a, 'kvSpikes')));
      lifEntries(e, d, T, { current: null }); // S: its current is the state read
      e.memory.push(mem('input', 'read', 2 * d * T, 1), mem('output', 'write', d * T, 1));
    },
    /** The state does not grow with L: T·d leaky column sums (fp32). */
    stores: (cfg) => [store('state', spikingOptions(cfg).T * cfg.d)],
  },
);
