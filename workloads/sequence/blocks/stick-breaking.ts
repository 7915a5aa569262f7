// Stick-breaking attention ('stick-breaking'), Tan, Shen, Yang, Courville & Panda, ICLR 2025
// (arXiv 2410.17980; shawntan/stickbreaking-attention, sb_attn with attend_current = False).
//
// Q/K/V/O projections as softmax.ts (MHA or GQA, no biases, scale 1/√dh, no positional encoding).
// Query head h at position i, keys j < i (the current token is not scored, as the reference's mask
// and `attend_current=False`):
//   z_ij = q_i·k_j/√dh,  β_ij = σ(z_ij)
//   A_ij = β_ij · Π_{j<k<i} (1 − β_ik)            (the most recent token breaks the stick first)
//   o_i  = Σ_{j<i} A_ij v_j + r_i v_i,   r_i = Π_{j<i} (1 − β_ij) = 1 − Σ_j A_ij
// The remainder r_i goes to the current token's value, as the reference does
// (o = o + rem[..., None] * v). There is no softmax normalizer.
//
// Decoder: in log space, walking j = i−1, i−2, … 0 with the log of the remaining stick R (R = 0
// at the start):  log β = log σ(z), log(1 − β) = log σ(−z) (one shared softplus), A_ij =
// exp(log β + R), R ← R + log(1 − β). **Early halting** (option `threshold` = ε, 0 = never): after a
// position, stop when exp(R) < ε (compare R < log ε); the remaining stick exp(R) goes to v_i, so
// r_i = exp(R) in every case. The positions not visited and the true remainder share exactly that
// stick, so each head's output moves by at most ε·max_j‖v_j − v_i‖_∞ ≤ 2ε·max|v| (before W_o).
// The parallel form (training) computes the unhalted attention: with ε = 0 the decoder equals it.
//
// log σ(z) and log σ(−z) share sp = log(1 + e^{−|z|}): log σ(z) = min(z, 0) − sp,
// log σ(−z) = min(−z, 0) − sp: per pair 1 compare (sign), 1 EXP, 1 LOG, 3 adds.
//
// Step ledger at position t = L, H, Hk, g, dh as in softmax.ts, V = activity.visited (pairs visited:
// Σ over query heads of the positions each walked; H·L without halting), K = activity.kvVisited
// (Σ over KV heads of the deepest walk of their g query heads; Hk·L without halting):
//   projections and kv write 2·Hk·dh: as softmax.ts
//   mac score V·dh, mul score-scale V
//   stick-break: cmp V, exp 2V + H (log σ, A, and exp R per head), log V, add 5V
//     (1 + e, log β, log(1 − β), log β + R, R + log(1 − β))
//   cmp halt V (only when ε > 0)
//   mac value V·dh + H·dh (the remainder's r_i·v_i)
//   kv read (2K + Hk)·dh (keys and values of visited positions once per KV head, and v_i)
// Stores after the step: as softmax.ts (the cache keeps every position; halting skips reads only).
// activity(): visited (V), kvVisited (K), maxVisited (the deepest walk), halted (query heads that
// stopped before position 0).
import type { Tensor, Tensor3D } from '@tensorflow/tfjs-core';
import type { Tf } from '../../train/tf.js';
import type { BlockConfig, BlockDecoder, BlockWeights, SequenceBlock, StepActivity } from '../block.js';
import type { StepCounter, StepCounts } from '../counter.js';
import { countsOf } from '../counter.js';
import { KvCache } from '../kv-cache.js';
import { attnDefaults, attnDims, attnParams, mem, mergeHeadsTf, need, op, projectOut, projectQkv, projectionEntries, splitHeadsTf } from './block-sparse.js';
import { denseStores, logSigmoidTf, scoresTf, strictlyCausalTf, validateDense } from './attention-common.js';

const ID = 'stick-breaking';

const threshold = (cfg: BlockConfig): number => cfg.options.threshold;

/** [log σ(z), log σ(−z)] with one shared softplus: 1 compare, 1 EXP, 1 LOG, 3 adds ('stick-break'). */
function logSigmoidPair(c: StepCounter, z: number): [number, number] {
  const sp = Math.fround(Math.log1p(Math.fround(Math.exp(-Math.abs(z)))));
  c.op('cmp', 'stick-break', 1);
  c.op('exp', 'stick-break', 1);
  c.op('log', 'stick-break', 1);
  c.op('add', 'stick-break', 3);
  return [Math.fround(Math.min(z, 0) - sp), Math.fround(Math.min(-z, 0) - sp)];
}

export function stickBreakingDecoder(w: BlockWeights, cfg: BlockConfig, counter: StepCounter): BlockDecoder {
  const { H, Hk, g, dh, scale } = attnDims(cfg);
  const eps = threshold(cfg);
  const logEps = eps > 0 ? Math.log(eps) : -Infinity;
  const cache = new KvCache(Hk, dh, counter);
  let activity: StepActivity = {};
  return {
    step(x: Float32Array): Float32Array {
      const t = cache.length;
      const { q, k, v } = projectQkv(counter, w, x, cfg);
      cache.append(k, v);
      const o = new Float32Array(H * dh);
      let visited = 0;
      let kvVisited = 0;
      let maxVisited = 0;
      let halted = 0;
      for (let kvh = 0; kvh < Hk; kvh++) {
        let deepest = 0;
        for (let hg = 0; hg < g; hg++) {
          const h = kvh * g + hg;
          const qOff = h * dh;
          const oh = o.subarray(h * dh, (h + 1) * dh);
          let R = 0;
          let m = 0;
          for (let j = t - 1; j >= 0; j--) {
            const kj = cache.key(kvh, j);
            let acc = 0;
            for (let i = 0; i < dh; i++) acc = Math.fround(acc + Math.fround(q[qOff + i] * kj[i]));
            const z = Math.fround(acc * scale);
            const [logBeta, logRest] = logSigmoidPair(counter, z);
            const a = Math.fround(Math.exp(Math.fround(logBeta + R)));
            const vj = cache.value(kvh, j);
            for (let i = 0; i < dh; i++) oh[i] = Math.fround(oh[i] + Math.fround(a * vj[i]));
            R = Math.fround(R + logRest);
            m++;
            if (eps > 0 && R < logEps) {
              if (j > 0) halted++;
              break;
            }
          }
          const rem = Math.fround(Math.exp(R));
          const vt = cache.value(kvh, t);
          for (let i = 0; i < dh; i++) oh[i] = Math.fround(oh[i] + Math.fround(rem * vt[i]));
          counter.op('mac', 'score', m * dh);
          counter.op('mul', 'score-scale', m);
          counter.op('exp', 'stick-break', m + 1);
          counter.op('add', 'stick-break', 2 * m);
          if (eps > 0) counter.op('cmp', 'halt', m);
          counter.op('mac', 'value', (m + 1) * dh);
          visited += m;
          deepest = Math.max(deepest, m);
        }
        counter.read('kv', (2 * deepest + 1) * dh);
        kvVisited += deepest;
        maxVisited = Math.max(maxVisited, deepest);
      }
      activity = { visited, kvVisited, maxVisited, halted };
      return projectOut(counter, w, o, cfg);
    },
    activity: () => activity,
    stores: () => denseStores(cfg, cache.length),
  };
}

/** The unhalted stick-breaking attention, parallel over positions (differentiable: masked elementwise ops, a reverse cumulative sum over keys and matmuls; no per-position loop). */
function stickBreakingParallel(tf: Tf, w: Readonly<Record<string, Tensor>>, x: Tensor3D, cfg: BlockConfig): Tensor3D {
  const [b, L] = x.shape;
  const { Hk, g, dh, scale } = attnDims(cfg);
  const { q, k, v } = splitHeadsTf(tf, w, x, cfg);
  const N = b * Hk * g; // (batch, KV head, head in group) slices of [query i, key j]
  const z = tf.reshape(scoresTf(tf, q, k, g, scale), [N, L, L]);
  const before = strictlyCausalTf(tf, L); // [i, j]: 1 where j < i
  const logBeta = logSigmoidTf(tf, z);
  const logRest = tf.mul(logSigmoidTf(tf, tf.neg(z)), before); // log(1 − β_ik), zero where k ≥ i
  // S_ij = Σ_{k>j} log(1 − β_ik) (k < i by the mask): an exclusive reverse cumulative sum over keys.
  const S = tf.cumsum(logRest, 2, true, true);
  const A = tf.mul(tf.exp(tf.add(logBeta, S)), before);
  const attended = tf.matMul(tf.reshape(A, [b, Hk, g * L, L]), v);
  // The remainder r_i = Π_{j<i} (1 − β_ij) times v_i: [b, Hk, g, L, 1] · v [b, Hk, 1, L, dh].
  const rem = tf.reshape(tf.exp(tf.sum(logRest, 2)), [b, Hk, g, L, 1]);
  const own = tf.reshape(tf.mul(rem, tf.expandDims(v, 2)), [b, Hk, g * L, dh]);
  return mergeHeadsTf(tf, w, tf.add(attended, own), cfg, b, L);
}

export const stickBreakingBlock: SequenceBlock = {
  id: ID,
  title: 'Stick-breaking attention (no softmax normalizer, early halting in decoding)',
  family: 'ann',
  source: 'Tan et al., ICLR 2025, Scaling Stick-Breaking Attention (arXiv 2410.17980; shawntan/stickbreaking-attention)',
  defaults: (d) => attnDefaults(ID, d, { threshold: 1e-4 }),
  validate: (cfg) => validateDense(ID, cfg, { threshold: { lo: 0, hi: 1 } }),
  params: (cfg) => attnParams(cfg),
  trainForward: (tf, w, x, cfg) => stickBreakingParallel(tf, w, x, cfg),
  decoder: (w, cfg, counter) => stickBreakingDecoder(w, cfg, counter),
  stepCounts(cfg: BlockConfig, L: number, activity: StepActivity): StepCounts {
    const { H, Hk, dh } = attnDims(cfg);
    const halting = threshold(cfg) > 0;
    // Without halting every head walks all L positions; with it the walk depends on the data.
    const V = halting ? need(ID, activity, 'visited') : H * L;
    const K = halting ? need(ID, activity, 'kvVisited') : Hk * L;
    const proj = projectionEntries(cfg);
    return countsOf({
      compute: [
        ...proj.compute,
        op('mac', 'score', V * dh),
        op('mul', 'score-scale', V),
        op('cmp', 'stick-break', V),
        op('exp', 'stick-break', 2 * V + H),
        op('log', 'stick-break', V),
        op('add', 'stick-break', 5 * V),
        op('cmp', 'halt', halting ? V : 0),
        op('mac', 'value', V * dh + H * dh),
      ],
      memory: [...proj.memory, mem('kv', 'read', (2 * K + Hk) * dh)],
    });
  },
  storesAt: (cfg, L) => denseStores(cfg, L + 1),
};
