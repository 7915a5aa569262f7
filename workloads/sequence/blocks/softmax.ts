// Softmax attention with a KV cache: multi-head ('softmax', Vaswani et al. 2017) and grouped-query
// ('gqa', Ainslie et al. 2023, arXiv 2305.13245: kvHeads < heads, g = heads/kvHeads query heads share
// one cached key and value head).
//
//   q = x·W_q [d, H·dh],  k = x·W_k, v = x·W_v [d, Hk·dh],  no biases, scale 1/√dh
//   query head h (KV head ⌊h/g⌋) at position t:  o_h = Σ_{j≤t} softmax_j(q_h·k_j/√dh) v_j
//   y = [o_1 … o_H]·W_o [H·dh, d]
//
// Position-free: no RoPE or other encoding inside the block. The LM wrapper (lm.ts) is a NoPE stack;
// causal softmax attention without positions recovers order from the causal mask (Haviv et al. 2022,
// Kazemnejad et al. 2023), and FoX and stick-breaking attention need none, so every family of the
// comparison sees the same (absent) positional information.
//
// Step ledger at position t = L (L tokens in context, n = L + 1 positions attended), H = heads,
// Hk = kvHeads, g = H/Hk, dh = headDim:
//   mac projection d·H·dh + 2·d·Hk·dh + H·dh·d      weight read (same), input read 3d + H·dh,
//                                                    output write H·dh + 2·Hk·dh + d
//   kv write 2·Hk·dh (append k, v)
//   mac score H·n·dh, mul score-scale H·n
//   softmax: cmp H·(n−1), add H·(2n−1), exp H·n, div H, mul H·n
//   mac value H·n·dh
//   kv read 2·Hk·n·dh (each cached key and value once per KV head, shared by its g query heads)
// Stores after the step: weights 2·d·H·dh + 2·d·Hk·dh; kv 2·(L+1)·Hk·dh. activity(): none.
import type { Tensor, Tensor3D } from '@tensorflow/tfjs-core';
import type { Tf } from '../../train/tf.js';
import type { BlockConfig, BlockDecoder, BlockWeights, SequenceBlock } from '../block.js';
import type { StepCounter, StepCounts } from '../counter.js';
import { countsOf } from '../counter.js';
import { KvCache } from '../kv-cache.js';
import { attnDefaults, attnDims, attnParams, mergeHeadsTf, projectOut, projectQkv, splitHeadsTf } from './block-sparse.js';
import { attendGroupBiased, causalBiasTf, denseSoftmaxEntries, denseStores, scoresTf, upTo, validateDense } from './attention-common.js';

export function softmaxDecoder(w: BlockWeights, cfg: BlockConfig, counter: StepCounter): BlockDecoder {
  const { H, Hk, g, dh, scale } = attnDims(cfg);
  const cache = new KvCache(Hk, dh, counter);
  return {
    step(x: Float32Array): Float32Array {
      const { q, k, v } = projectQkv(counter, w, x, cfg);
      cache.append(k, v);
      const positions = upTo(cache.length);
      const o = new Float32Array(H * dh);
      for (let h = 0; h < Hk; h++) attendGroupBiased(counter, cache, h, q, g, positions, scale, o);
      return projectOut(counter, w, o, cfg);
    },
    activity: () => ({}),
    stores: () => denseStores(cfg, cache.length),
  };
}

/** Causal softmax attention, parallel over positions; `bias` [.., L, L] (broadcast to [b, Hk, g, L, L]) is added to the scaled scores. */
export function softmaxParallel(tf: Tf, w: Readonly<Record<string, Tensor>>, x: Tensor3D, cfg: BlockConfig, bias?: Tensor): Tensor3D {
  const [b, L] = x.shape;
  const { Hk, g, scale } = attnDims(cfg);
  const { q, k, v } = splitHeadsTf(tf, w, x, cfg);
  let s = tf.add(scoresTf(tf, q, k, g, scale), causalBiasTf(tf, L));
  if (bias) s = tf.add(s, bias);
  const p = tf.reshape(tf.softmax(s), [b, Hk, g * L, L]);
  return mergeHeadsTf(tf, w, tf.matMul(p, v), cfg, b, L);
}

function denseSoftmaxBlock(id: 'softmax' | 'gqa', title: string, source: string, kvHeadsOf: (heads: number) => number): SequenceBlock {
  return {
    id,
    title,
    family: 'ann',
    source,
    defaults(d: number): BlockConfig {
      const base = attnDefaults(id, d, {});
      return { ...base, kvHeads: kvHeadsOf(base.heads) };
    },
    validate: (cfg) => validateDense(id, cfg),
    params: (cfg) => attnParams(cfg),
    trainForward: (tf, w, x, cfg) => softmaxParallel(tf, w, x, cfg),
    decoder: (w, cfg, counter) => softmaxDecoder(w, cfg, counter),
    stepCounts: (cfg: BlockConfig, L: number): StepCounts => countsOf(denseSoftmaxEntries(cfg, L + 1)),
    storesAt: (cfg, L) => denseStores(cfg, L + 1),
  };
}

export const softmaxBlock: SequenceBlock = denseSoftmaxBlock('softmax', 'Softmax attention (multi-head, KV cache)', 'Vaswani et al. 2017, Attention Is All You Need (arXiv 1706.03762)', (heads) => heads);

/** Grouped-query attention; defaults to 2 query heads per KV head (kvHeads = heads/2, or 1 with one head). Accepts kvHeads = heads (MHA). */
export const gqaBlock: SequenceBlock = denseSoftmaxBlock('gqa', 'Grouped-query softmax attention (KV cache shared by head groups)', 'Ainslie et al. 2023, GQA (arXiv 2305.13245)', (heads) => (heads % 2 === 0 ? heads / 2 : heads));
