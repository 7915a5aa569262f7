// Shared by the dense softmax-family blocks (softmax.ts: MHA and GQA, fox.ts, stick-breaking.ts):
// validation, stores, the causal scores of the parallel form, grouped attention with a per-head score
// bias, and the closed form of dense causal softmax attention. The Q/K/V/O projections themselves
// (attnParams, projectQkv, projectOut, projectionEntries, splitHeadsTf, mergeHeadsTf) are
// block-sparse.ts's, shared by every attention block.
import type { Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { InputError } from '../../../core/errors.js';
import type { OperandStore } from '../../../core/ledger.js';
import type { Tf } from '../../train/tf.js';
import type { BlockConfig } from '../block.js';
import type { CountedAccess, CountedOp } from '../counter.js';
import { StepCounter } from '../counter.js';
import type { KvCache } from '../kv-cache.js';
import { attendSoftmax } from '../kv-cache.js';
import { attnDims, attnParams, maskBias, maskTf, mem, op, paramWords, passCounts, projectionEntries, softmaxEntries, validateAttn } from './block-sparse.js';

/** A real-valued option's allowed range lo ≤ v < hi. */
export interface RealRange {
  readonly lo: number;
  readonly hi: number;
}

/**
 * validateAttn (positive sizes, heads a multiple of kvHeads, known options) plus what the dense
 * blocks need: heads divides d, headDim = d / heads, and real-valued options in [lo, hi).
 */
export function validateDense(id: string, cfg: BlockConfig, real: Readonly<Record<string, RealRange>> = {}): void {
  for (const k of Object.keys(cfg.options)) {
    if (!(k in real)) throw new InputError(`${id}: options.${k} is not an option of this block (options: ${Object.keys(real).join(', ') || 'none'})`);
  }
  validateAttn(id, { ...cfg, options: {} }, {});
  if (cfg.d % cfg.heads !== 0) throw new InputError(`${id}: heads (${cfg.heads}) must divide d (${cfg.d})`);
  if (cfg.headDim !== cfg.d / cfg.heads) throw new InputError(`${id}: headDim must be d / heads = ${cfg.d / cfg.heads}, got ${cfg.headDim}`);
  for (const [k, r] of Object.entries(real)) {
    const v = cfg.options[k];
    if (v === undefined) throw new InputError(`${id}: options.${k} is required`);
    if (!Number.isFinite(v) || v < r.lo || v >= r.hi) throw new InputError(`${id}: options.${k} must be a number in [${r.lo}, ${r.hi}), got ${v}`);
  }
}

/** Weights (the Q/K/V/O projections plus `extraWeights`) and the KV cache of `positions` positions plus `extraKvPerPosition` words per position. */
export function denseStores(cfg: BlockConfig, positions: number, extraWeights = 0, extraKvPerPosition = 0): OperandStore[] {
  const { Hk, dh } = attnDims(cfg);
  return [
    { operand: 'weight', words: paramWords(attnParams(cfg)) + extraWeights, bits: 32 },
    { operand: 'kv', words: positions * (2 * Hk * dh + extraKvPerPosition), bits: 32 },
  ];
}

/** 0, 1, …, n−1. */
export const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * Softmax attention of the g query heads of KV group kvh over `positions`, each head's scores plus
 * bias(h, j) when given (scores' 'score-bias' adds), written into o (H·dh). Each cached key and value
 * is read once per group (2·|P|·dh kv reads), as block-sparse.ts's attendGroup does.
 */
export function attendGroupBiased(c: StepCounter, cache: KvCache, kvh: number, q: Float32Array, g: number, positions: readonly number[], scale: number, o: Float32Array, bias?: (h: number, j: number) => number): void {
  const dh = cache.headDim;
  const scratch = new StepCounter();
  for (let j = 0; j < g; j++) {
    const h = kvh * g + j;
    o.set(attendSoftmax(scratch, cache, kvh, q, h * dh, positions, scale, bias && ((p) => bias(h, p))), h * dh);
  }
  passCounts(c, scratch.take(), true);
  c.read('kv', 2 * positions.length * dh);
}

/**
 * Closed form of one dense causal softmax-attention step over n = L + 1 positions (projections, kv
 * append, H heads' scores, softmax and values, every key and value read once per KV head):
 *   mac projection d·H·dh + 2·d·Hk·dh + H·dh·d (weight reads the same), input read 3d + H·dh,
 *   output write H·dh + 2·Hk·dh + d, kv write 2·Hk·dh;
 *   mac score H·n·dh, mul score-scale H·n, softmax (cmp H·(n−1), add H·(2n−1), exp H·n, div H,
 *   mul H·n), mac value H·n·dh, kv read 2·Hk·n·dh.
 */
export function denseSoftmaxEntries(cfg: BlockConfig, n: number): { compute: CountedOp[]; memory: CountedAccess[] } {
  const { H, Hk, dh } = attnDims(cfg);
  const proj = projectionEntries(cfg);
  return {
    compute: [...proj.compute, op('mac', 'score', H * n * dh), op('mul', 'score-scale', H * n), ...softmaxEntries(H * n, H), op('mac', 'value', H * n * dh)],
    memory: [...proj.memory, mem('kv', 'read', 2 * Hk * n * dh)],
  };
}

/** Scaled scores of the parallel form, q [b, Hk, g·L, dh] · k [b, Hk, L, dh]ᵀ → [b, Hk, g, L, L] (query head kvh·g + j). */
export function scoresTf(tf: Tf, q: Tensor4D, k: Tensor4D, g: number, scale: number): Tensor {
  const [b, Hk, , L] = [q.shape[0], q.shape[1], q.shape[2], k.shape[2]];
  return tf.reshape(tf.mul(tf.matMul(q, k, false, true), scale), [b, Hk, g, L, L]);
}

/** [L, L] additive causal mask: 0 where key j ≤ query i, −10⁹ where j > i. */
export const causalBiasTf = (tf: Tf, L: number): Tensor => maskBias(tf, maskTf(tf, L, L, (i, j) => j <= i));

/** [L, L] 0/1 mask of key j strictly before query i. */
export const strictlyCausalTf = (tf: Tf, L: number): Tensor2D => maskTf(tf, L, L, (i, j) => j < i);

/**
 * log σ(x) = −softplus(−x) for the parallel forms. Not tf.logSigmoid: its customGrad closes over its
 * input without saving it, so the backward pass reads a disposed tensor whenever the input is an
 * intermediate result (tfjs 4.22, cpu and wasm: "Cannot read properties of undefined (reading 'backend')").
 */
export const logSigmoidTf = (tf: Tf, x: Tensor): Tensor => tf.neg(tf.softplus(tf.neg(x)));
