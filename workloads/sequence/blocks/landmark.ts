// Landmark attention ('landmark'), Mohtashami & Jaggi 2023 (arXiv 2305.16300; epfml/landmark-attention).
//
// The paper inserts a learned landmark token after every ℓ tokens (option `blockSize` = ℓ); the
// landmark's key represents its block. A query attends with a grouped softmax: one softmax over the
// landmarks of past blocks and the tokens of its own block; the weight a landmark gets is shared out
// among its block's tokens by a softmax within that block (token j of block b gets
// softmax_main(q·λ_b)·softmax_b(q·k_j)); the landmark's own value is not used. At inference the
// query retrieves the top-k blocks by landmark score (option `topK`) and attends only to them.
//
// Deviation (a one-layer block has no landmark token whose hidden state could summarise its block):
// the landmark key of block b is a learned projection of the block's mean-pooled key, computed once
// when the block completes and stored next to the cache,
//   λ_b = ((1/ℓ)·Σ_{j∈b} k_j)·W_lm[h] + b_lm[h]   per KV head h (W_lm [Hk, dh, dh], b_lm [Hk, dh]).
// Training and decoding use the same retrieval: top-k blocks among the ⌊t/ℓ⌋ complete past blocks
// (the paper trains without retrieval, over all landmarks), then the grouped softmax over the
// retrieved landmarks and the current block. λ learns through the grouped softmax (the landmark
// logits weight their blocks), not through the discrete top-k. Selection is per KV-head group (NSA
// style): the group's score of block b is Σ_{h∈group} scale·q_h·λ_b; with kvHeads = heads (default)
// it is the paper's per-head retrieval.
//
// Step ledger at position t = L, with H, Hk, g = H/Hk, dh as in block-sparse.ts, n_c = ⌊L/ℓ⌋
// (landmarks scored), k' = min(k, n_c) (blocks retrieved), r = L − n_c·ℓ + 1 (current block),
// n = k'·ℓ + r (positions attended per KV head), P = 1 if (L+1) mod ℓ = 0 else 0; every count is
// determined by L (the activity records which blocks, not how many):
//   mac projection, weight/input/output, kv write 2·Hk·dh: as block-sparse.ts
//   landmark (P): kv read Hk·ℓ·dh, add pool Hk·(ℓ−1)·dh, mul pool Hk·dh, mac landmark Hk·dh²,
//                 weight read Hk·dh², add bias Hk·dh, bias read Hk·dh, kv write Hk·dh
//   mac landmark-score H·n_c·dh, kv read Hk·n_c·dh, mul score-scale H·n_c + H·n
//   add top-k [n_c>k]·Hk·(g−1)·n_c, cmp top-k Hk·(k·(n_c−1) − k·(k−1)/2) when n_c > k
//   mac score H·n·dh, mac value H·n·dh, kv read 2·Hk·n·dh, mul grouped-softmax H·k'·ℓ
//   softmax (H main groups of k'+r, H·k' blocks of ℓ): with m = H·(k' + r + k'·ℓ), S = H·(1 + k'):
//     cmp m − S, add 2m − S, exp m, div S, mul m
// Stores after the step: weights d·H·dh + 2·d·Hk·dh + H·dh·d + Hk·dh² + Hk·dh;
// kv 2·(L+1)·Hk·dh + ⌊(L+1)/ℓ⌋·Hk·dh.
// activity(): attended (Hk·n), maxAttended (n), blocksScored (n_c), candidates (n_c), blocksSelected (k').
import type { Tensor, Tensor3D, Tensor4D } from '@tensorflow/tfjs-core';
import type { OperandStore } from '../../../core/ledger.js';
import type { Tf } from '../../train/tf.js';
import type { BlockConfig, BlockWeights, ParamSpec, SequenceBlock, StepActivity } from '../block.js';
import type { StepCounts } from '../counter.js';
import { StepCounter, countsOf } from '../counter.js';
import { KvCache, scores, weightedValues } from '../kv-cache.js';
import { dot, softmaxInPlace } from '../ops.js';
import type { SelectingDecoder } from './block-sparse.js';
import {
  appendAndSummarise,
  attnDefaults,
  attnDims,
  attnParams,
  blockKvStore,
  candidateMask,
  maskBias,
  maskTf,
  mem,
  mergeHeadsTf,
  op,
  paramWords,
  passCounts,
  poolEntries,
  poolKeys,
  poolKeysTf,
  projectOut,
  projectionEntries,
  selectionTf,
  softmaxEntries,
  splitHeadsTf,
  topK,
  topKCompares,
  validateAttn,
  withoutGradient,
} from './block-sparse.js';

const ID = 'landmark';
const RULES = { blockSize: { min: 1 }, topK: { min: 1 } } as const;

function opts(cfg: BlockConfig) {
  return { B: cfg.options.blockSize, K: cfg.options.topK };
}

function landmarkParams(cfg: BlockConfig): ParamSpec[] {
  const { Hk, dh } = attnDims(cfg);
  const lim = Math.sqrt(3 / dh); // glorot for a dh×dh matrix per KV head
  return [...attnParams(cfg), { name: 'wlm', shape: [Hk, dh, dh], init: { uniform: [-lim, lim] } }, { name: 'blm', shape: [Hk, dh], init: 'zeros' }];
}

const stores = (cfg: BlockConfig, positions: number): OperandStore[] => [{ operand: 'weight', words: paramWords(landmarkParams(cfg)), bits: 32 }, blockKvStore(cfg, positions, opts(cfg).B)];

/** λ = m·W_lm[h] + b_lm[h]: dh² MACs ('landmark') and weight reads, dh bias adds and reads, dh kv writes (stored). */
function projectLandmark(c: StepCounter, w: BlockWeights, m: Float32Array, h: number, dh: number): Float32Array {
  const lam = w.blm.slice(h * dh, (h + 1) * dh);
  const W = w.wlm.subarray(h * dh * dh, (h + 1) * dh * dh);
  for (let i = 0; i < dh; i++) for (let j = 0; j < dh; j++) lam[j] = Math.fround(lam[j] + Math.fround(m[i] * W[i * dh + j]));
  c.op('mac', 'landmark', dh * dh);
  c.read('weight', dh * dh);
  c.op('add', 'bias', dh);
  c.read('bias', dh);
  c.write('kv', dh);
  return lam;
}

export function landmarkDecoder(w: BlockWeights, cfg: BlockConfig, counter: StepCounter): SelectingDecoder {
  const { H, Hk, g, dh, scale } = attnDims(cfg);
  const { B, K } = opts(cfg);
  const cache = new KvCache(Hk, dh, counter);
  const landmarks: Float32Array[][] = Array.from({ length: Hk }, () => []);
  let activity: StepActivity = {};
  let selected: number[][] = [];
  return {
    step(x: Float32Array): Float32Array {
      const { q, t } = appendAndSummarise(counter, w, x, cfg, cache, landmarks, B, (h, b) => projectLandmark(counter, w, poolKeys(counter, cache, h, b, B), h, dh));
      const nc = Math.floor(t / B);
      const kk = Math.min(K, nc);
      const cs = nc * B;
      const r = t - cs + 1;
      const o = new Float32Array(H * dh);
      selected = [];
      const scratch = new StepCounter();
      for (let h = 0; h < Hk; h++) {
        // Landmark logits of the group's heads: a[j][b] = scale·q_{h·g+j}·λ_b.
        const a = Array.from({ length: g }, (_, j) => {
          const s = new Float32Array(nc);
          for (let b = 0; b < nc; b++) s[b] = Math.fround(dot(counter, q, (h * g + j) * dh, landmarks[h][b], 0, dh, 'landmark-score') * scale);
          counter.op('mul', 'score-scale', nc);
          return s;
        });
        counter.read('kv', nc * dh);
        let sel: number[];
        if (nc <= K) sel = Array.from({ length: nc }, (_, i) => i);
        else {
          const G = Float32Array.from(a[0]);
          for (let j = 1; j < g; j++) for (let b = 0; b < nc; b++) G[b] = Math.fround(G[b] + a[j][b]);
          counter.op('add', 'top-k', (g - 1) * nc);
          sel = topK(counter, G, nc, K);
        }
        selected.push(sel);
        const positions: number[] = [];
        for (const b of sel) for (let j = b * B; j < (b + 1) * B; j++) positions.push(j);
        for (let j = cs; j <= t; j++) positions.push(j);
        for (let j = 0; j < g; j++) {
          const off = (h * g + j) * dh;
          const s = scores(scratch, cache, h, q, off, positions, scale);
          // Grouped softmax: main group = retrieved landmarks + current block; one softmax per retrieved block.
          const main = new Float32Array(kk + r);
          sel.forEach((b, i) => (main[i] = a[j][b]));
          main.set(s.subarray(kk * B), kk);
          softmaxInPlace(counter, main, kk + r);
          const p = new Float32Array(positions.length);
          for (let i = 0; i < kk; i++) {
            const blk = s.slice(i * B, (i + 1) * B);
            softmaxInPlace(counter, blk, B);
            for (let jj = 0; jj < B; jj++) p[i * B + jj] = Math.fround(main[i] * blk[jj]);
          }
          counter.op('mul', 'grouped-softmax', kk * B);
          p.set(main.subarray(kk), kk * B);
          o.set(weightedValues(scratch, cache, h, p, positions), off);
        }
        passCounts(counter, scratch.take(), true);
        counter.read('kv', 2 * positions.length * dh);
      }
      activity = { attended: Hk * (kk * B + r), maxAttended: kk * B + r, blocksScored: nc, candidates: nc, blocksSelected: kk };
      return projectOut(counter, w, o, cfg);
    },
    activity: () => activity,
    selected: () => selected,
    stores: () => stores(cfg, cache.length),
  };
}

interface Parallel {
  readonly y: Tensor3D;
  readonly sel: Tensor4D | null;
}

function landmarkParallel(tf: Tf, w: Readonly<Record<string, Tensor>>, x: Tensor3D, cfg: BlockConfig): Parallel {
  const [b, L] = x.shape;
  const { Hk, g, dh, scale } = attnDims(cfg);
  const { B, K } = opts(cfg);
  const { q, k, v } = splitHeadsTf(tf, w, x, cfg);
  const nb = Math.floor(L / B);
  // Token logits as rows (b, KV head, head in group, query t) × positions: rank-2 slices and pads
  // (the wasm backend slices, concatenates and splits rank-5 tensors slowly).
  const N = b * Hk * g * L;
  const cur = maskTf(tf, L, L, (t, p) => p <= t && p >= Math.floor(t / B) * B);
  const raw = tf.reshape(tf.mul(tf.matMul(q, k, false, true), scale), [b * Hk * g, L, L]);
  const sc = tf.reshape(tf.add(raw, maskBias(tf, cur)), [N, L]); // the current block's tokens, for the main group
  if (nb === 0) return { y: mergeHeadsTf(tf, w, tf.matMul(tf.reshape(tf.softmax(sc), [b, Hk, g * L, L]), v), cfg, b, L), sel: null };
  // Landmarks λ [b, Hk, nb, dh]: per KV head, pooled keys · W_lm[h] + b_lm[h].
  const pooled = tf.reshape(tf.transpose(poolKeysTf(tf, k, nb, B), [1, 0, 2, 3]), [Hk, b * nb, dh]);
  const lamH = tf.add(tf.matMul(pooled, w.wlm as Tensor3D), tf.reshape(w.blm, [Hk, 1, dh]));
  const lam = tf.transpose(tf.reshape(lamH, [Hk, b, nb, dh]), [1, 0, 2, 3]) as Tensor4D;
  const A = tf.reshape(tf.mul(tf.matMul(q, lam, false, true), scale), [b, Hk, g, L, nb]);
  const sel = selectionTf(tf, tf.sum(A, 2) as Tensor4D, candidateMask(tf, L, nb, B), K);
  const a = tf.reshape(tf.add(A, tf.expandDims(maskBias(tf, sel), 2)), [N, nb]);
  // Main group: one softmax over the retrieved landmarks (a) and the current block's tokens (sc).
  const m = withoutGradient(tf, (x, y) => tf.maximum(tf.max(x, 1, true), tf.max(y, 1, true)), a, sc); // for stability only
  const ea = tf.exp(tf.sub(a, m));
  const es = tf.exp(tf.sub(sc, m));
  const z = tf.add(tf.sum(ea, 1, true), tf.sum(es, 1, true));
  const alpha = tf.div(ea, z);
  const alphaTok = tf.div(es, z);
  // Within each past block: softmax of its tokens' logits, weighted by its landmark's share.
  const rawPast = tf.reshape(raw, [N, L]);
  const beta = tf.softmax(tf.reshape(nb * B < L ? tf.slice(rawPast, [0, 0], [N, nb * B]) : rawPast, [N, nb, B]));
  let past = tf.reshape(tf.mul(beta, tf.expandDims(alpha, 2)), [N, nb * B]);
  if (nb * B < L) past = tf.pad(past, [[0, 0], [0, L - nb * B]]);
  const p = tf.reshape(tf.add(past, alphaTok), [b, Hk, g * L, L]);
  return { y: mergeHeadsTf(tf, w, tf.matMul(p, v), cfg, b, L), sel };
}

/** The parallel form's retrieval [b, Hk, L, nb] (null when no block completes within L). */
export function landmarkSelectionTf(tf: Tf, w: Readonly<Record<string, Tensor>>, x: Tensor3D, cfg: BlockConfig): Tensor4D | null {
  return landmarkParallel(tf, w, x, cfg).sel;
}

export const landmarkBlock: SequenceBlock = {
  id: ID,
  title: 'Landmark attention (top-k block retrieval, grouped softmax)',
  family: 'ann',
  source: 'Mohtashami & Jaggi 2023, Landmark Attention (arXiv 2305.16300; epfml/landmark-attention)',
  defaults: (d) => attnDefaults(ID, d, { blockSize: 16, topK: 2 }),
  validate: (cfg) => validateAttn(ID, cfg, RULES),
  params: (cfg) => landmarkParams(cfg),
  trainForward: (tf, w, x, cfg) => landmarkParallel(tf, w, x, cfg).y,
  decoder: (w, cfg, counter) => landmarkDecoder(w, cfg, counter),
  stepCounts(cfg: BlockConfig, L: number): StepCounts {
    const { H, Hk, g, dh } = attnDims(cfg);
    const { B, K } = opts(cfg);
    const nc = Math.floor(L / B);
    const kk = Math.min(K, nc);
    const r = L - nc * B + 1;
    const n = kk * B + r;
    const P = (L + 1) % B === 0 ? 1 : 0;
    const proj = projectionEntries(cfg);
    return countsOf({
      compute: [
        ...proj.compute,
        ...poolEntries(cfg, P, B),
        op('mac', 'landmark', P * Hk * dh * dh),
        op('add', 'bias', P * Hk * dh),
        op('mac', 'landmark-score', H * nc * dh),
        op('mul', 'score-scale', H * nc + H * n),
        op('add', 'top-k', nc > K ? Hk * (g - 1) * nc : 0),
        op('cmp', 'top-k', Hk * topKCompares(nc, K)),
        op('mac', 'score', H * n * dh),
        ...softmaxEntries(H * (kk + r + kk * B), H * (1 + kk)),
        op('mul', 'grouped-softmax', H * kk * B),
        op('mac', 'value', H * n * dh),
      ],
      memory: [
        ...proj.memory,
        mem('weight', 'read', P * Hk * dh * dh),
        mem('bias', 'read', P * Hk * dh),
        mem('kv', 'write', P * Hk * dh),
        mem('kv', 'read', P * Hk * B * dh + Hk * nc * dh + 2 * Hk * n * dh),
      ],
    });
  },
  storesAt: (cfg, L) => stores(cfg, L + 1),
};
