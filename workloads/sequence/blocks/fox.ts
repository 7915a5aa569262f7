// Forgetting Transformer attention ('fox'), Lin, Nikishin, He & Courville, ICLR 2025 (arXiv 2503.02130;
// zhixuan-lin/forgetting-transformer, fgate_type 'full', no RoPE, no output gate/norm, no QK-norm,
// no KV-shift — the basic FoX layer, not "FoX (Pro)").
//
// Softmax attention (softmax.ts, MHA or GQA) with a scalar forget gate per query head:
//   f_t,h = σ(x_t·w_f,h + b_f,h)       W_f [d, H], b_f [H]   (the official fgate_proj, bias = True)
//   c_t,h = Σ_{l≤t} log f_l,h          cumulative log-forget, kept per position next to the cache
//   o_t,h = Σ_{j≤t} softmax_j(q_h·k_j/√dh + c_t,h − c_j,h) v_j
// D_tj = c_t − c_j = Σ_{l=j+1..t} log f_l (the paper's bias). The decoder adds −c_j,h to each score:
// c_t,h is the same for every j of a row and softmax is shift-invariant, so the result is the same
// with one add per (head, position), the paper's H·L adds. log f is computed as log σ directly
// (stable, one EXP and one LOG), as the official code's logsigmoid does.
//
// The cumulative scalars c_j,h are stored with the KV cache (operand 'kv'): they grow with L like
// the keys, are written once when their position is appended and read once per step with their
// key, so they are priced in the same memory as the cache. The parallel form uses c_i − c_j (the
// paper's form); the two agree to float32 rounding.
//
// Step ledger at position t = L (n = L + 1), H, Hk, g, dh as in softmax.ts:
//   every softmax.ts count, plus
//   mac forget-gate H·d (weight read H·d, input read d, output write H), add bias H (bias read H)
//   log σ per head: exp H, log H, add 2H, cmp H (purpose forget-gate)
//   add forget-cumsum H (c_t = c_{t−1} + log f_t)
//   add score-bias H·n (score − c_j)
//   kv read H·L (c_j for j < L; c_{L−1} also serves the cumsum; c_L stays in a register)
//   kv write H (c_L)
// Stores after the step: weights 2·d·H·dh + 2·d·Hk·dh + H·d + H; kv (L+1)·(2·Hk·dh + H).
// activity(): none.
import type { Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import type { Tf } from '../../train/tf.js';
import type { BlockConfig, BlockDecoder, BlockWeights, ParamSpec, SequenceBlock } from '../block.js';
import type { CountedAccess, CountedOp, StepCounter, StepCounts } from '../counter.js';
import { countsOf } from '../counter.js';
import { KvCache } from '../kv-cache.js';
import { logSigmoid, matVec } from '../ops.js';
import { attnDefaults, attnDims, attnParams, mem, op, projectOut, projectQkv } from './block-sparse.js';
import { attendGroupBiased, denseSoftmaxEntries, denseStores, logSigmoidTf, upTo, validateDense } from './attention-common.js';
import { softmaxParallel } from './softmax.js';

const ID = 'fox';

/** The attention projections, then the forget gate: wf [d, H] (glorot), bf [H] (zeros, as the official fgate_proj). */
export function foxParams(cfg: BlockConfig): ParamSpec[] {
  return [...attnParams(cfg), { name: 'wf', shape: [cfg.d, cfg.heads], init: 'glorot' }, { name: 'bf', shape: [cfg.heads], init: 'zeros' }];
}

export const foxStores = (cfg: BlockConfig, positions: number) => denseStores(cfg, positions, cfg.heads * cfg.d + cfg.heads, cfg.heads);

/**
 * The cumulative log-forgets c_j,h of every position so far, kept next to the KV cache. `append`
 * computes position t's gates (W_f, b_f, log σ: forget-gate ops) and c_t = c_{t−1} + log f_t
 * (H forget-cumsum adds, H kv writes); the reads of c_j (c_{t−1} for the cumsum among them) are
 * the caller's to count.
 */
export class LogForgets {
  /** c[j·H + h]. */
  private c: Float32Array;
  length = 0;

  constructor(private readonly H: number) {
    this.c = new Float32Array(64 * H);
  }

  append(counter: StepCounter, w: BlockWeights, x: Float32Array, d: number): void {
    const { H } = this;
    const t = this.length;
    const z = matVec(counter, x, w.wf, d, H, 'forget-gate', w.bf);
    if ((t + 1) * H > this.c.length) {
      const grown = new Float32Array(this.c.length * 2);
      grown.set(this.c);
      this.c = grown;
    }
    for (let h = 0; h < H; h++) {
      const prev = t > 0 ? this.c[(t - 1) * H + h] : 0;
      this.c[t * H + h] = Math.fround(prev + logSigmoid(counter, z[h], 'forget-gate'));
    }
    counter.op('add', 'forget-cumsum', H);
    counter.write('kv', H);
    this.length++;
  }

  at(j: number, h: number): number {
    return this.c[j * this.H + h];
  }
}

export function foxDecoder(w: BlockWeights, cfg: BlockConfig, counter: StepCounter): BlockDecoder {
  const { d, H, Hk, g, dh, scale } = attnDims(cfg);
  const cache = new KvCache(Hk, dh, counter);
  const c = new LogForgets(H);
  return {
    step(x: Float32Array): Float32Array {
      const t = cache.length;
      const { q, k, v } = projectQkv(counter, w, x, cfg);
      cache.append(k, v);
      c.append(counter, w, x, d);
      counter.read('kv', H * t);
      const positions = upTo(t + 1);
      const o = new Float32Array(H * dh);
      for (let kvh = 0; kvh < Hk; kvh++) attendGroupBiased(counter, cache, kvh, q, g, positions, scale, o, (h, j) => -c.at(j, h));
      return projectOut(counter, w, o, cfg);
    },
    activity: () => ({}),
    stores: () => foxStores(cfg, cache.length),
  };
}

/** The forget-gate bias [b, Hk, g, L, L]: c_i − c_j per query head (h = kvh·g + j). */
export function forgetBiasTf(tf: Tf, w: Readonly<Record<string, Tensor>>, x: Tensor3D, cfg: BlockConfig): Tensor {
  const [b, L, d] = x.shape;
  const { H, Hk, g } = attnDims(cfg);
  const z = tf.add(tf.matMul(tf.reshape(x, [b * L, d]) as Tensor2D, w.wf as Tensor2D), w.bf);
  const logf = tf.transpose(tf.reshape(logSigmoidTf(tf, z), [b, L, H]), [0, 2, 1]); // [b, H, L]
  const c = tf.reshape(tf.cumsum(logf, 2), [b, Hk, g, L]);
  return tf.sub(tf.expandDims(c, 4), tf.expandDims(c, 3));
}

/** Closed form of LogForgets.append: the gate projection, log σ and the cumsum per head, c_t written. */
export function forgetGateEntries(cfg: BlockConfig): { compute: CountedOp[]; memory: CountedAccess[] } {
  const { d, heads: H } = cfg;
  return {
    compute: [op('mac', 'forget-gate', H * d), op('add', 'bias', H), op('exp', 'forget-gate', H), op('log', 'forget-gate', H), op('add', 'forget-gate', 2 * H), op('cmp', 'forget-gate', H), op('add', 'forget-cumsum', H)],
    memory: [mem('weight', 'read', H * d), mem('input', 'read', d), mem('bias', 'read', H), mem('output', 'write', H), mem('kv', 'write', H)],
  };
}

export const foxBlock: SequenceBlock = {
  id: ID,
  title: 'Forgetting Transformer attention (softmax with a scalar forget gate per head)',
  family: 'ann',
  source: 'Lin et al., ICLR 2025, Forgetting Transformer (arXiv 2503.02130; zhixuan-lin/forgetting-transformer)',
  defaults: (d) => attnDefaults(ID, d, {}),
  validate: (cfg) => validateDense(ID, cfg),
  params: (cfg) => foxParams(cfg),
  trainForward: (tf, w, x, cfg) => softmaxParallel(tf, w, x, cfg, forgetBiasTf(tf, w, x, cfg)),
  decoder: (w, cfg, counter) => foxDecoder(w, cfg, counter),
  stepCounts(cfg: BlockConfig, L: number): StepCounts {
    const H = cfg.heads;
    const n = L + 1;
    const base = denseSoftmaxEntries(cfg, n);
    const gate = forgetGateEntries(cfg);
    return countsOf({
      compute: [...base.compute, ...gate.compute, op('add', 'score-bias', H * n)],
      memory: [...base.memory, ...gate.memory, mem('kv', 'read', H * L)],
    });
  },
  storesAt: (cfg, L) => foxStores(cfg, L + 1),
};
