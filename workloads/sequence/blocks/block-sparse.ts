// Top-k block-sparse attention ('block-sparse'), in the style of MoBA (Lu et al. 2025,
// MoonshotAI/MoBA) and NSA's selection branch (Yuan et al. 2025, arXiv 2502.11089).
//
// The KV cache is split into blocks of B positions (option `blockSize`). When a block completes, its
// mean-pooled key k̄_b = (1/B)·Σ_{j∈b} k_j is computed once and stored next to the cache. The query at
// position t scores the n_c = ⌊t/B⌋ complete past blocks against their pooled keys, picks the top k
// (option `topK`), and attends with one softmax to the union of
//   the selected blocks, the current (partial) block ⌊t/B⌋·B … t, and the window t−w … t−1
// (option `window` = w, the last w positions of the context before the new token; w = 0: none).
//
// Selection is per KV-head group, as NSA does for GQA: every query head of a group attends to the same
// blocks, chosen by the group's score Σ_{h∈group} q_h·k̄_b = (Σ_h q_h)·k̄_b. With kvHeads = heads (the
// default) this is MoBA's per-head gate exactly. Gate scores are unscaled (a positive scale does not
// change the top k). When n_c ≤ k every complete block is selected and nothing is scored or compared.
// Ties go to the lower block index (the decoder's scan and tf.topk agree).
//
// The parallel form (training) builds the attention mask from tf.topk over the gate scores of each
// query's candidate blocks; the mask carries no gradient (MoBA's gate is not differentiable either:
// the pooled keys learn only through the keys they pool).
//
// Step ledger at position t = L (L tokens in context), with H = heads, Hk = kvHeads, g = H/Hk,
// dh = headDim, n_c = ⌊L/B⌋, s = n_c if n_c > k else 0 (blocks scored), P = 1 if (L+1) mod B = 0
// else 0 (the step completes a block), A = activity.attended (Σ over KV heads of the positions their
// group attends to; per KV head at most k·B + max(B, w + 1) ≤ k·B + B + w, whatever L):
//   mac  projection   d·H·dh + 2·d·Hk·dh + H·dh·d        weight read (same), input read 3d + H·dh,
//                                                         output write H·dh + 2·Hk·dh + d
//   kv write          2·Hk·dh (append) + P·Hk·dh (pooled key)
//   add  pool P·Hk·(B−1)·dh     mul pool P·Hk·dh         kv read P·Hk·B·dh (the block's keys)
//   add  block-score [s>0]·Hk·(g−1)·dh (group query sum)  mac block-score Hk·s·dh, kv read Hk·s·dh
//   cmp  top-k       [s>0]·Hk·(k·(s−1) − k·(k−1)/2)      (partial selection sort)
//   mac  score g·A·dh   mul score-scale g·A   mac value g·A·dh   kv read 2·A·dh (once per group)
//   softmax: cmp g·A − H, add 2·g·A − H, exp g·A, div H, mul g·A
// Stores after the step: weights d·H·dh + 2·d·Hk·dh + H·dh·d; kv 2·(L+1)·Hk·dh + ⌊(L+1)/B⌋·Hk·dh.
// activity(): attended (A), maxAttended (the largest KV head's), blocksScored (s), candidates (n_c),
// blocksSelected (min(k, n_c) per KV head). Only `attended` is data-dependent (the window may overlap
// a selected block); stepCounts needs only it and L.
//
// The Q/K/V/O projection code below (attnParams, projectQkv, …) is shared with landmark.ts.
import type { Tensor, Tensor2D, Tensor3D, Tensor4D } from '@tensorflow/tfjs-core';
import { InputError } from '../../../core/errors.js';
import type { OperandStore } from '../../../core/ledger.js';
import type { Tf } from '../../train/tf.js';
import type { BlockConfig, BlockDecoder, BlockWeights, ParamSpec, SequenceBlock, StepActivity } from '../block.js';
import type { CountedAccess, CountedOp, StepCounts } from '../counter.js';
import { StepCounter, countsOf } from '../counter.js';
import { KvCache, attendSoftmax } from '../kv-cache.js';
import { dot, matVec } from '../ops.js';

// ---------------------------------------------------------------------------------------------
// Shared with landmark.ts: options, projections, pooling, top-k selection, group attention, masks.

export interface AttnDims {
  readonly d: number;
  readonly H: number;
  readonly Hk: number;
  /** Query heads per KV head. */
  readonly g: number;
  readonly dh: number;
  readonly scale: number;
}

export function attnDims(cfg: BlockConfig): AttnDims {
  return { d: cfg.d, H: cfg.heads, Hk: cfg.kvHeads, g: cfg.heads / cfg.kvHeads, dh: cfg.headDim, scale: Math.fround(1 / Math.sqrt(cfg.headDim)) };
}

/** Q, K, V, O projections without biases: wq [d, H·dh], wk, wv [d, Hk·dh], wo [H·dh, d]; query head h uses KV head ⌊h/g⌋. */
export function attnParams(cfg: BlockConfig): ParamSpec[] {
  const { d, H, Hk, dh } = attnDims(cfg);
  return [
    { name: 'wq', shape: [d, H * dh], init: 'glorot' },
    { name: 'wk', shape: [d, Hk * dh], init: 'glorot' },
    { name: 'wv', shape: [d, Hk * dh], init: 'glorot' },
    { name: 'wo', shape: [H * dh, d], init: 'glorot' },
  ];
}

export const paramWords = (specs: readonly ParamSpec[]): number => specs.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);

/** A small default configuration: 4 heads (or 2, or 1, whichever divides d), MHA, headDim d/heads. */
export function attnDefaults(id: string, d: number, options: Record<string, number>): BlockConfig {
  if (!Number.isInteger(d) || d < 1) throw new InputError(`${id}: d must be a positive integer, got ${d}`);
  const heads = [4, 2, 1].find((h) => d % h === 0)!;
  return { d, heads, kvHeads: heads, headDim: d / heads, options };
}

/** An option's allowed range: an integer ≥ min. */
export type OptionRule = { readonly min: number };

export function validateAttn(id: string, cfg: BlockConfig, rules: Readonly<Record<string, OptionRule>>): void {
  const posInt = (field: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new InputError(`${id}: ${field} must be a positive integer, got ${v}`);
  };
  posInt('d', cfg.d);
  posInt('heads', cfg.heads);
  posInt('kvHeads', cfg.kvHeads);
  posInt('headDim', cfg.headDim);
  if (cfg.heads % cfg.kvHeads !== 0) throw new InputError(`${id}: heads (${cfg.heads}) must be a multiple of kvHeads (${cfg.kvHeads})`);
  for (const k of Object.keys(cfg.options)) {
    if (!(k in rules)) throw new InputError(`${id}: options.${k} is not an option of this block (options: ${Object.keys(rules).join(', ')})`);
  }
  for (const [k, r] of Object.entries(rules)) {
    const v = cfg.options[k];
    if (v === undefined) throw new InputError(`${id}: options.${k} is required`);
    if (!Number.isInteger(v) || v < r.min) throw new InputError(`${id}: options.${k} must be an integer ≥ ${r.min}, got ${v}`);
  }
}

/** q (H·dh), k and v (Hk·dh) of one token: three counted matVecs. */
export function projectQkv(c: StepCounter, w: BlockWeights, x: Float32Array, cfg: BlockConfig): { q: Float32Array; k: Float32Array; v: Float32Array } {
  const { d, H, Hk, dh } = attnDims(cfg);
  return { q: matVec(c, x, w.wq, d, H * dh, 'projection'), k: matVec(c, x, w.wk, d, Hk * dh, 'projection'), v: matVec(c, x, w.wv, d, Hk * dh, 'projection') };
}

export function projectOut(c: StepCounter, w: BlockWeights, o: Float32Array, cfg: BlockConfig): Float32Array {
  const { d, H, dh } = attnDims(cfg);
  return matVec(c, o, w.wo, H * dh, d, 'projection');
}

/** Closed form of projectQkv + KvCache.append + projectOut. */
export function projectionEntries(cfg: BlockConfig): { compute: CountedOp[]; memory: CountedAccess[] } {
  const { d, H, Hk, dh } = attnDims(cfg);
  const macs = d * H * dh + 2 * d * Hk * dh + H * dh * d;
  return {
    compute: [op('mac', 'projection', macs)],
    memory: [mem('weight', 'read', macs), mem('input', 'read', 3 * d + H * dh), mem('output', 'write', H * dh + 2 * Hk * dh + d), mem('kv', 'write', 2 * Hk * dh)],
  };
}

/** poolKeys on every KV head when the step completes a block (P = 1), in closed form (its kv reads are the caller's). */
export const poolEntries = (cfg: BlockConfig, P: number, B: number): CountedOp[] => [op('add', 'pool', P * cfg.kvHeads * (B - 1) * cfg.headDim), op('mul', 'pool', P * cfg.kvHeads * cfg.headDim)];

export const op = (o: CountedOp['op'], purpose: string, count: number): CountedOp => ({ op: o, numeric: 'fp', bits: 32, purpose, count });
export const mem = (operand: CountedAccess['operand'], action: CountedAccess['action'], count: number): CountedAccess => ({ operand, action, bits: 32, count });

/**
 * Mean of the B keys of block b, KV head h: B·dh kv reads, (B−1)·dh adds and dh multiplies by 1/B
 * ('pool'). Storing the result is the caller's (a pooled key is written; a landmark is projected first).
 */
export function poolKeys(c: StepCounter, cache: KvCache, h: number, b: number, B: number): Float32Array {
  const dh = cache.headDim;
  const m = Float32Array.from(cache.key(h, b * B));
  for (let j = b * B + 1; j < (b + 1) * B; j++) {
    const k = cache.key(h, j);
    for (let i = 0; i < dh; i++) m[i] = Math.fround(m[i] + k[i]);
  }
  const inv = Math.fround(1 / B);
  for (let i = 0; i < dh; i++) m[i] = Math.fround(m[i] * inv);
  c.read('kv', B * dh);
  c.op('add', 'pool', (B - 1) * dh);
  c.op('mul', 'pool', dh);
  return m;
}

/** Compares of a partial selection sort picking the top k of n (k < n): Σ_{i<k} (n−1−i). */
export const topKCompares = (n: number, k: number): number => (k < n ? k * (n - 1) - (k * (k - 1)) / 2 : 0);

/**
 * The indices of the k largest of s[0..n), ascending. k ≥ n selects all without comparing; otherwise a
 * partial selection sort (ties: lower index), topKCompares(n, k) compares ('top-k').
 */
export function topK(c: StepCounter, s: Float32Array, n: number, k: number): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  const taken = new Uint8Array(n);
  const out: number[] = [];
  for (let r = 0; r < k; r++) {
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      if (best < 0 || s[i] > s[best]) best = i;
    }
    taken[best] = 1;
    out.push(best);
  }
  c.op('cmp', 'top-k', topKCompares(n, k));
  return out.sort((a, b) => a - b);
}

/** Σ of the query heads of KV group kvh (g·dh values from q): (g−1)·dh adds for `purpose`. */
export function groupQuery(c: StepCounter, q: Float32Array, kvh: number, g: number, dh: number, purpose: string): Float32Array {
  const qs = q.slice(kvh * g * dh, (kvh * g + 1) * dh);
  for (let j = 1; j < g; j++) {
    const off = (kvh * g + j) * dh;
    for (let i = 0; i < dh; i++) qs[i] = Math.fround(qs[i] + q[off + i]);
  }
  c.op('add', purpose, (g - 1) * dh);
  return qs;
}

/**
 * Softmax attention of the g query heads of KV group kvh over the same positions (attendSoftmax per
 * head), with the traffic convention's reads: each cached key and value read once per group (2·|P|·dh),
 * not once per head. Writes the heads' outputs into o (H·dh).
 */
export function attendGroup(c: StepCounter, cache: KvCache, kvh: number, q: Float32Array, g: number, positions: readonly number[], scale: number, o: Float32Array): void {
  const dh = cache.headDim;
  const scratch = new StepCounter();
  for (let j = 0; j < g; j++) {
    const h = kvh * g + j;
    o.set(attendSoftmax(scratch, cache, kvh, q, h * dh, positions, scale), h * dh);
  }
  passCounts(c, scratch.take(), true);
  c.read('kv', 2 * positions.length * dh);
}

/** Adds counts to c; with dropKvReads, all but the kv reads (the caller counts those once per group). */
export function passCounts(c: StepCounter, s: StepCounts, dropKvReads: boolean): void {
  for (const e of s.compute) c.op(e.op, e.purpose, e.count, e.numeric, e.bits);
  for (const e of s.memory) {
    if (dropKvReads && e.operand === 'kv' && e.action === 'read') continue;
    if (e.action === 'read') c.read(e.operand, e.count, e.bits);
    else c.write(e.operand, e.count, e.bits);
  }
}

/** Softmax entries of `heads` softmaxes over `n` values in all (ops.ts softmaxInPlace summed). */
export function softmaxEntries(n: number, heads: number, purpose = 'softmax'): CountedOp[] {
  return [op('cmp', purpose, n - heads), op('add', purpose, 2 * n - heads), op('exp', purpose, n), op('div', purpose, heads), op('mul', purpose, n)];
}

/** Parallel-form heads: q [b, Hk, g·L, dh] (query head h = kvh·g + j), k and v [b, Hk, L, dh]. */
export function splitHeadsTf(tf: Tf, w: Readonly<Record<string, Tensor>>, x: Tensor3D, cfg: BlockConfig): { q: Tensor4D; k: Tensor4D; v: Tensor4D } {
  const [b, L, d] = x.shape;
  const { Hk, g, dh } = attnDims(cfg);
  const x2 = tf.reshape(x, [b * L, d]) as Tensor2D;
  // x·W [b·L, Hk·grp·dh] → [b, L, Hk, grp, dh] → [b, Hk, grp, L, dh] → [b, Hk, grp·L, dh]
  const heads = (m: Tensor, grp: number) => tf.reshape(tf.transpose(tf.reshape(tf.matMul(x2, m as Tensor2D), [b, L, Hk, grp, dh]), [0, 2, 3, 1, 4]), [b, Hk, grp * L, dh]) as Tensor4D;
  return { q: heads(w.wq, g), k: heads(w.wk, 1), v: heads(w.wv, 1) };
}

/** Heads' outputs o [b, Hk, g·L, dh] → x [b, L, d] through wo. */
export function mergeHeadsTf(tf: Tf, w: Readonly<Record<string, Tensor>>, o: Tensor, cfg: BlockConfig, b: number, L: number): Tensor3D {
  const { d, H, Hk, g, dh } = attnDims(cfg);
  const o2 = tf.reshape(tf.transpose(tf.reshape(o, [b, Hk, g, L, dh]), [0, 3, 1, 2, 4]), [b * L, H * dh]) as Tensor2D;
  return tf.reshape(tf.matMul(o2, w.wo as Tensor2D), [b, L, d]) as Tensor3D;
}

/** Mean-pooled keys of the nb complete blocks: k [b, Hk, L, dh] → [b, Hk, nb, dh]. */
export function poolKeysTf(tf: Tf, k: Tensor4D, nb: number, B: number): Tensor4D {
  const [b, Hk, , dh] = k.shape;
  return tf.mean(tf.reshape(tf.slice(k, [0, 0, 0, 0], [b, Hk, nb * B, dh]), [b, Hk, nb, B, dh]), 3) as Tensor4D;
}

/** A constant [rows, cols] 0/1 mask. */
export function maskTf(tf: Tf, rows: number, cols: number, f: (r: number, c: number) => boolean): Tensor2D {
  const a = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (f(r, c)) a[r * cols + c] = 1;
  return tf.tensor2d(a, [rows, cols]);
}

/** 0 where mask is 1, −10⁹ where it is 0 (added to logits before a softmax: exp underflows to exactly 0). */
export const maskBias = (tf: Tf, mask: Tensor): Tensor => tf.mul(tf.sub(mask, 1), 1e9);

/**
 * The selection mask [b, Hk, L, nb] (1 = block selected for that query) from group scores
 * G [b, Hk, L, nb]: the top k among each query's candidates (cand [L, nb]), by tf.topk; all candidates
 * when k ≥ nb. No gradient flows through it (the selection is a discrete choice).
 */
export function selectionTf(tf: Tf, G: Tensor4D, cand: Tensor2D, k: number): Tensor4D {
  const nb = G.shape[3];
  if (k >= nb) return tf.mul(tf.onesLike(G), cand) as Tensor4D;
  return withoutGradient(tf, (s) => {
    const { indices } = tf.topk(tf.add(s, tf.mul(tf.sub(cand, 1), 1e30)), k);
    return tf.mul(tf.cast(tf.sum(tf.oneHot(indices, nb), -2), 'float32'), cand);
  }, G) as Tensor4D;
}

/** f(inputs) as a constant of the tape: its ops are not recorded and its inputs get zero gradients (a stop-gradient). */
export function withoutGradient(tf: Tf, f: (...inputs: Tensor[]) => Tensor, ...inputs: Tensor[]): Tensor {
  return tf.customGrad((...args: unknown[]) => {
    const xs = args.slice(0, inputs.length) as Tensor[];
    return { value: tf.tidy(() => f(...xs)), gradFunc: () => xs.map((x) => tf.zerosLike(x)) };
  })(...inputs);
}

/** Block b of the candidates of query t: complete past blocks, b < ⌊t/B⌋. */
export const candidateMask = (tf: Tf, L: number, nb: number, B: number): Tensor2D => maskTf(tf, L, nb, (t, b) => b < Math.floor(t / B));

/** The selection as lists: [query][KV head] → selected blocks ascending (for tests and inspection). */
export async function selectionLists(sel: Tensor4D | null, L: number, Hk: number): Promise<number[][][]> {
  const out = Array.from({ length: L }, () => Array.from({ length: Hk }, () => [] as number[]));
  if (!sel) return out;
  const nb = sel.shape[3];
  const a = await sel.data();
  for (let h = 0; h < Hk; h++) for (let t = 0; t < L; t++) for (let b = 0; b < nb; b++) if (a[(h * L + t) * nb + b] > 0.5) out[t][h].push(b);
  return out;
}

/** A decoder that also tells which blocks each KV head selected in the last step. */
export interface SelectingDecoder extends BlockDecoder {
  selected(): readonly (readonly number[])[];
}

/** The KV cache of `positions` positions plus one pooled key (or landmark) per complete block of B, per KV head. */
export function blockKvStore(cfg: BlockConfig, positions: number, B: number): OperandStore {
  const { Hk, dh } = attnDims(cfg);
  return { operand: 'kv', words: 2 * positions * Hk * dh + Math.floor(positions / B) * Hk * dh, bits: 32 };
}

/**
 * One decode step's common start: projects x, appends k and v to the cache and, when position t
 * completes a block of B, stores one summary key per KV head (`summarise(h, block)`: a pooled key, a
 * landmark). Returns q and t.
 */
export function appendAndSummarise(
  counter: StepCounter,
  w: BlockWeights,
  x: Float32Array,
  cfg: BlockConfig,
  cache: KvCache,
  summaries: Float32Array[][],
  B: number,
  summarise: (h: number, block: number) => Float32Array,
): { q: Float32Array; t: number } {
  const t = cache.length;
  const { q, k, v } = projectQkv(counter, w, x, cfg);
  cache.append(k, v);
  if ((t + 1) % B === 0) for (let h = 0; h < cfg.kvHeads; h++) summaries[h].push(summarise(h, (t + 1) / B - 1));
  return { q, t };
}

/** Reads a required activity value. */
export function need(id: string, a: StepActivity, key: string): number {
  const v = a[key];
  if (v === undefined || !Number.isFinite(v)) throw new Error(`${id}.stepCounts: activity.${key} is missing`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// The block

const ID = 'block-sparse';
const RULES = { blockSize: { min: 1 }, topK: { min: 1 }, window: { min: 0 } } as const;

function opts(cfg: BlockConfig) {
  return { B: cfg.options.blockSize, K: cfg.options.topK, w: cfg.options.window };
}

const stores = (cfg: BlockConfig, positions: number): OperandStore[] => [{ operand: 'weight', words: paramWords(attnParams(cfg)), bits: 32 }, blockKvStore(cfg, positions, opts(cfg).B)];

/** The positions a query at t attends to, ascending: selected blocks ∪ window t−w…t−1 ∪ current block. */
function attendedPositions(sel: readonly number[], t: number, B: number, w: number): number[] {
  const set = new Set<number>();
  for (const b of sel) for (let j = b * B; j < (b + 1) * B; j++) set.add(j);
  for (let j = Math.max(0, t - w); j < t; j++) set.add(j);
  for (let j = Math.floor(t / B) * B; j <= t; j++) set.add(j);
  return [...set].sort((a, b) => a - b);
}

export function blockSparseDecoder(w: BlockWeights, cfg: BlockConfig, counter: StepCounter): SelectingDecoder {
  const { H, Hk, g, dh, scale } = attnDims(cfg);
  const { B, K, w: win } = opts(cfg);
  const cache = new KvCache(Hk, dh, counter);
  const pooled: Float32Array[][] = Array.from({ length: Hk }, () => []);
  let activity: StepActivity = {};
  let selected: number[][] = [];
  return {
    step(x: Float32Array): Float32Array {
      const { q, t } = appendAndSummarise(counter, w, x, cfg, cache, pooled, B, (h, b) => {
        counter.write('kv', dh);
        return poolKeys(counter, cache, h, b, B);
      });
      const nc = Math.floor(t / B);
      const o = new Float32Array(H * dh);
      let attended = 0;
      let maxAttended = 0;
      selected = [];
      for (let h = 0; h < Hk; h++) {
        let sel: number[];
        if (nc <= K) sel = Array.from({ length: nc }, (_, i) => i);
        else {
          const qs = groupQuery(counter, q, h, g, dh, 'block-score');
          const s = new Float32Array(nc);
          for (let b = 0; b < nc; b++) s[b] = dot(counter, qs, 0, pooled[h][b], 0, dh, 'block-score');
          counter.read('kv', nc * dh);
          sel = topK(counter, s, nc, K);
        }
        selected.push(sel);
        const positions = attendedPositions(sel, t, B, win);
        attended += positions.length;
        maxAttended = Math.max(maxAttended, positions.length);
        attendGroup(counter, cache, h, q, g, positions, scale, o);
      }
      activity = { attended, maxAttended, blocksScored: nc > K ? nc : 0, candidates: nc, blocksSelected: Math.min(K, nc) };
      return projectOut(counter, w, o, cfg);
    },
    activity: () => activity,
    selected: () => selected,
    stores: () => stores(cfg, cache.length),
  };
}

/** The parallel form's selection [b, Hk, L, nb] (null when no block completes within L). */
export function blockSparseSelectionTf(tf: Tf, w: Readonly<Record<string, Tensor>>, x: Tensor3D, cfg: BlockConfig): Tensor4D | null {
  return blockSparseParallel(tf, w, x, cfg).sel;
}

function blockSparseParallel(tf: Tf, w: Readonly<Record<string, Tensor>>, x: Tensor3D, cfg: BlockConfig): { y: Tensor3D; sel: Tensor4D | null } {
  const [b, L] = x.shape;
  const { Hk, g, dh, scale } = attnDims(cfg);
  const { B, K, w: win } = opts(cfg);
  const { q, k, v } = splitHeadsTf(tf, w, x, cfg);
  const nb = Math.floor(L / B);
  // Always allowed: the current block up to t, and the window t−w … t−1.
  let allow: Tensor = maskTf(tf, L, L, (t, p) => p <= t && (p >= Math.floor(t / B) * B || p >= t - win));
  let sel: Tensor4D | null = null;
  if (nb > 0) {
    const pooled = poolKeysTf(tf, k, nb, B);
    const qs = tf.sum(tf.reshape(q, [b, Hk, g, L, dh]), 2) as Tensor4D;
    const G = tf.matMul(qs, pooled, false, true) as Tensor4D;
    sel = selectionTf(tf, G, candidateMask(tf, L, nb, B), K);
    const expand = maskTf(tf, nb, L, (blk, p) => Math.floor(p / B) === blk);
    const always = allow;
    // Selected blocks' positions ∪ the always-allowed ones (a constant of the tape).
    allow = withoutGradient(tf, (m) => tf.maximum(tf.reshape(tf.matMul(tf.reshape(m, [b * Hk * L, nb]) as Tensor2D, expand), [b, Hk, L, L]), always), sel);
  } else allow = tf.reshape(allow, [1, 1, L, L]);
  const bias = tf.expandDims(maskBias(tf, allow), 2); // [b|1, Hk|1, 1, L, L]
  const s = tf.reshape(tf.mul(tf.matMul(q, k, false, true), scale), [b, Hk, g, L, L]);
  const p = tf.reshape(tf.softmax(tf.add(s, bias)), [b, Hk, g * L, L]);
  return { y: mergeHeadsTf(tf, w, tf.matMul(p, v), cfg, b, L), sel };
}

export const blockSparseBlock: SequenceBlock = {
  id: ID,
  title: 'Top-k block-sparse attention (MoBA / NSA selection)',
  family: 'ann',
  source: 'Lu et al. 2025, MoBA (MoonshotAI/MoBA); Yuan et al. 2025, NSA (arXiv 2502.11089)',
  defaults: (d) => attnDefaults(ID, d, { blockSize: 16, topK: 2, window: 16 }),
  validate: (cfg) => validateAttn(ID, cfg, RULES),
  params: (cfg) => attnParams(cfg),
  trainForward: (tf, w, x, cfg) => blockSparseParallel(tf, w, x, cfg).y,
  decoder: (w, cfg, counter) => blockSparseDecoder(w, cfg, counter),
  stepCounts(cfg: BlockConfig, L: number, activity: StepActivity): StepCounts {
    const { H, Hk, g, dh } = attnDims(cfg);
    const { B, K } = opts(cfg);
    const A = need(ID, activity, 'attended');
    const nc = Math.floor(L / B);
    const s = nc > K ? nc : 0;
    const P = (L + 1) % B === 0 ? 1 : 0;
    const proj = projectionEntries(cfg);
    return countsOf({
      compute: [
        ...proj.compute,
        ...poolEntries(cfg, P, B),
        op('add', 'block-score', s > 0 ? Hk * (g - 1) * dh : 0),
        op('mac', 'block-score', Hk * s * dh),
        op('cmp', 'top-k', Hk * topKCompares(s, K)),
        op('mac', 'score', g * A * dh),
        op('mul', 'score-scale', g * A),
        ...softmaxEntries(g * A, H),
        op('mac', 'value', g * A * dh),
      ],
      memory: [...proj.memory, mem('kv', 'write', P * Hk * dh), mem('kv', 'read', P * Hk * B * dh + Hk * s * dh + 2 * A * dh)],
    });
  },
  storesAt: (cfg, L) => stores(cfg, L + 1),
};
