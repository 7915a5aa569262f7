// Sparse-selection attention blocks: top-k block-sparse (MoBA / NSA selection) and landmark attention.
import type { Tensor, Tensor3D, Tensor4D } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import type { BlockConfig, BlockWeights, SequenceBlock } from '../workloads/sequence/block.js';
import type { SelectingDecoder } from '../workloads/sequence/blocks/block-sparse.js';
import { blockSparseBlock, blockSparseDecoder, blockSparseSelectionTf, selectionLists } from '../workloads/sequence/blocks/block-sparse.js';
import { landmarkBlock, landmarkDecoder, landmarkSelectionTf } from '../workloads/sequence/blocks/landmark.js';
import { StepCounter } from '../workloads/sequence/counter.js';
import { KvCache, attendSoftmax } from '../workloads/sequence/kv-cache.js';
import { matVec } from '../workloads/sequence/ops.js';
import { loadTf } from '../workloads/train/tf.js';
import { countTable, decodeAll, maxAbsDiff, parallelOutputs, randomInputs, weightsFor, blockTensors, inputTensor } from './sequence-helpers.js';

const gqa = (options: Record<string, number>): BlockConfig => ({ d: 16, heads: 4, kvHeads: 2, headDim: 4, options });

/** Dense causal softmax attention from the same weights: every query head over all positions so far. */
function denseReference(cfg: BlockConfig, w: BlockWeights, xs: readonly Float32Array[]): Float32Array[] {
  const { d, heads: H, kvHeads: Hk, headDim: dh } = cfg;
  const g = H / Hk;
  const c = new StepCounter();
  const cache = new KvCache(Hk, dh, c);
  const scale = Math.fround(1 / Math.sqrt(dh));
  return xs.map((x, t) => {
    const q = matVec(c, x, w.wq, d, H * dh, 'q');
    cache.append(matVec(c, x, w.wk, d, Hk * dh, 'k'), matVec(c, x, w.wv, d, Hk * dh, 'v'));
    const all = Array.from({ length: t + 1 }, (_, j) => j);
    const o = new Float32Array(H * dh);
    for (let h = 0; h < H; h++) o.set(attendSoftmax(c, cache, Math.floor(h / g), q, h * dh, all, scale), h * dh);
    return matVec(c, o, w.wo, H * dh, d, 'o');
  });
}

/** The parallel form's selection per query and KV head, on the cpu backend. */
async function parallelSelection(
  select: (tf: Awaited<ReturnType<typeof loadTf>>, w: Record<string, Tensor>, x: Tensor3D, cfg: BlockConfig) => Tensor4D | null,
  block: SequenceBlock,
  cfg: BlockConfig,
  w: BlockWeights,
  xs: readonly Float32Array[],
): Promise<number[][][]> {
  const tf = await loadTf('cpu');
  const L = xs.length;
  const tensors = blockTensors(tf, block, cfg, w);
  const sel = select(tf, tensors, inputTensor(tf, xs, cfg.d), cfg);
  return selectionLists(sel, L, cfg.kvHeads);
}

/** Outputs and, per step, the blocks each KV head selected. */
function decodeSelecting(dec: SelectingDecoder, xs: readonly Float32Array[]) {
  const ys: Float32Array[] = [];
  const sel: (readonly (readonly number[])[])[] = [];
  for (const x of xs) {
    ys.push(dec.step(x));
    sel.push(dec.selected());
  }
  return { ys, sel };
}

function expectInvalid(block: SequenceBlock, cfg: BlockConfig, field: string): void {
  expect(() => block.validate(cfg)).toThrow(InputError);
  expect(() => block.validate(cfg)).toThrow(field);
}

describe('block-sparse attention (MoBA / NSA selection)', () => {
  it('with all blocks selected (topK ≥ number of blocks) equals dense softmax attention, decoder and parallel form', async () => {
    const cfg = gqa({ blockSize: 4, topK: 5, window: 2 }); // 20 tokens: at most 4 complete past blocks
    const w = weightsFor(blockSparseBlock, cfg, 1);
    const xs = randomInputs(20, cfg.d, 2);
    const ref = denseReference(cfg, w, xs);
    const { ys, activity } = decodeAll(blockSparseBlock, cfg, w, xs);
    expect(maxAbsDiff(ys, ref)).toBe(0); // the same float32 ops in the same order
    expect(activity.map((a) => a.attended)).toEqual(xs.map((_, t) => cfg.kvHeads * (t + 1)));
    expect(maxAbsDiff(await parallelOutputs(blockSparseBlock, cfg, w, xs), ref)).toBeLessThan(1e-5);
  });

  it('decoder ≡ parallel form, including the selected blocks (L = 20, blockSize 4)', async () => {
    const cfg = gqa({ blockSize: 4, topK: 2, window: 3 });
    const w = weightsFor(blockSparseBlock, cfg, 3);
    const xs = randomInputs(20, cfg.d, 4);
    const { ys, sel } = decodeSelecting(blockSparseDecoder(w, cfg, new StepCounter()), xs);
    expect(maxAbsDiff(ys, await parallelOutputs(blockSparseBlock, cfg, w, xs))).toBeLessThan(1e-5);
    expect(sel).toEqual(await parallelSelection(blockSparseSelectionTf, blockSparseBlock, cfg, w, xs));
    expect(sel[19].map((s) => s.length)).toEqual([2, 2]); // 4 candidate blocks, 2 kept per KV head
  });

  it('a hand-computed ledger: d = 8, 2 heads, blockSize 2, topK 1, window 1, the step at L = 5', () => {
    const cfg: BlockConfig = { d: 8, heads: 2, kvHeads: 2, headDim: 4, options: { blockSize: 2, topK: 1, window: 1 } };
    const { counts, activity } = decodeAll(blockSparseBlock, cfg, weightsFor(blockSparseBlock, cfg, 5), randomInputs(6, 8, 6));
    // Position t = 5: current block 2 = {4, 5}; complete past blocks 0, 1 (⌊5/2⌋ = 2 > topK: scored);
    // the window {4} lies in the current block; one selected block of 2 → 4 positions per KV head.
    // Position 5 completes block 2 ((5+1) mod 2 = 0): its pooled key is computed and stored.
    expect(activity[5]).toMatchObject({ attended: 2 * 4, maxAttended: 4, blocksScored: 2 });
    const hand = {
      'mac/fp32/projection': 8 * 8 + 8 * 8 + 8 * 8 + 8 * 8, // q, k, v: d × H·dh = 8×8 each; out 8×8
      'weight/read/32': 4 * 64, // every projection matrix once
      'input/read/32': 4 * 8, // x for q, k, v; o for the output projection
      'output/write/32': 8 + 8 + 8 + 8, // q, k, v, y
      'kv/write/32': 2 * 2 * 4 + 2 * 4, // k and v appended (2 KV heads × 4) + 2 pooled keys of 4
      'add/fp32/pool': 2 * (2 - 1) * 4, // per KV head (B − 1)·dh
      'mul/fp32/pool': 2 * 4, // × 1/B per KV head
      'mac/fp32/block-score': 2 * 2 * 4, // 2 KV heads × 2 blocks × dh (one query head per group: no query sum)
      'cmp/fp32/top-k': 2 * (1 * (2 - 1) - 0), // per KV head k(n−1) − k(k−1)/2 with n = 2, k = 1
      'mac/fp32/score': 2 * 4 * 4, // 2 heads × 4 positions × dh
      'mul/fp32/score-scale': 2 * 4,
      'cmp/fp32/softmax': 2 * (4 - 1),
      'add/fp32/softmax': 2 * (4 + 4 - 1), // 4 subtracts + 3 sum adds per head
      'exp/fp32/softmax': 2 * 4,
      'div/fp32/softmax': 2,
      'mul/fp32/softmax': 2 * 4,
      'mac/fp32/value': 2 * 4 * 4,
      'kv/read/32': 2 * 2 * 4 + 2 * 2 * 4 + 2 * (2 * 4 * 4), // block 2's keys for pooling + 2 pooled keys + k and v of 4 positions, per KV head
    };
    expect(countTable(blockSparseBlock.stepCounts(cfg, 5, activity[5]))).toEqual(hand);
    expect(countTable(counts[5])).toEqual(hand);
  });

  it('stepCounts ≡ the counted decoder at every position of a 20-token run (GQA, window, selection)', () => {
    const cfg = gqa({ blockSize: 4, topK: 2, window: 3 });
    const { counts, activity } = decodeAll(blockSparseBlock, cfg, weightsFor(blockSparseBlock, cfg, 7), randomInputs(20, cfg.d, 8));
    counts.forEach((c, L) => expect(countTable(blockSparseBlock.stepCounts(cfg, L, activity[L])), `L = ${L}`).toEqual(countTable(c)));
  });

  it('storesAt ≡ the decoder stores after every step (weights; KV cache + pooled keys)', () => {
    const cfg = gqa({ blockSize: 4, topK: 2, window: 3 });
    const counter = new StepCounter();
    const dec = blockSparseBlock.decoder(weightsFor(blockSparseBlock, cfg, 9), cfg, counter);
    randomInputs(13, cfg.d, 10).forEach((x, L) => {
      dec.step(x);
      expect(dec.stores()).toEqual(blockSparseBlock.storesAt(cfg, L));
    });
    // After 13 tokens: 2·13·2·4 cached words + ⌊13/4⌋ = 3 pooled keys × 2 KV heads × 4.
    expect(blockSparseBlock.storesAt(cfg, 12)[1]).toEqual({ operand: 'kv', words: 2 * 13 * 2 * 4 + 3 * 2 * 4, bits: 32 });
  });

  it('attended positions per token stay ≤ topK·B + B + w whatever L, while the blocks scored grow as L/B', () => {
    const cfg: BlockConfig = { d: 8, heads: 2, kvHeads: 2, headDim: 4, options: { blockSize: 4, topK: 2, window: 3 } };
    const bound = 2 * 4 + 4 + 3;
    const { activity } = decodeAll(blockSparseBlock, cfg, weightsFor(blockSparseBlock, cfg, 11), randomInputs(160, cfg.d, 12));
    activity.forEach((a, t) => {
      expect(a.maxAttended).toBeLessThanOrEqual(bound);
      expect(a.blocksScored).toBe(Math.floor(t / 4) > 2 ? Math.floor(t / 4) : 0);
    });
    // The tight bound: k·B + max(B, w + 1) (the window overlaps the current block by all but w + 1 − r positions).
    expect(Math.max(...activity.map((a) => a.maxAttended))).toBe(2 * 4 + Math.max(4, 3 + 1));
    // Closed form at long contexts: attention work is flat, gate work is linear in L/B.
    const at = (L: number) => countTable(blockSparseBlock.stepCounts(cfg, L, { attended: 2 * bound }));
    for (const L of [1_000, 10_000, 100_000]) {
      expect(at(L)['mac/fp32/score']).toBe(2 * bound * 4);
      expect(at(L)['mac/fp32/block-score']).toBe(2 * Math.floor(L / 4) * 4);
    }
  });

  it('validate rejects bad configurations with an InputError naming the field', () => {
    const ok = blockSparseBlock.defaults(64);
    expect(() => blockSparseBlock.validate(ok)).not.toThrow();
    const bad = (patch: Partial<BlockConfig>, field: string) => expectInvalid(blockSparseBlock, { ...ok, ...patch }, field);
    bad({ options: { ...ok.options, blockSize: 0 } }, 'options.blockSize');
    bad({ options: { ...ok.options, topK: 1.5 } }, 'options.topK');
    bad({ options: { ...ok.options, window: -1 } }, 'options.window');
    bad({ options: { blockSize: 4, topK: 2 } }, 'options.window');
    bad({ options: { ...ok.options, stride: 2 } }, 'options.stride');
    bad({ kvHeads: 3 }, 'kvHeads');
    bad({ headDim: 0 }, 'headDim');
    expect(() => blockSparseBlock.defaults(0)).toThrow(InputError);
  });
});

describe('landmark attention', () => {
  it('decoder ≡ parallel form, including the retrieved blocks (L = 20, blockSize 4)', async () => {
    const cfg = gqa({ blockSize: 4, topK: 2 });
    const w = weightsFor(landmarkBlock, cfg, 13);
    const xs = randomInputs(20, cfg.d, 14);
    const { ys, sel } = decodeSelecting(landmarkDecoder(w, cfg, new StepCounter()), xs);
    expect(maxAbsDiff(ys, await parallelOutputs(landmarkBlock, cfg, w, xs))).toBeLessThan(1e-5);
    expect(sel).toEqual(await parallelSelection(landmarkSelectionTf, landmarkBlock, cfg, w, xs));
    expect(sel[19].map((s) => s.length)).toEqual([2, 2]);
  });

  it('a hand-computed ledger: d = 8, 2 heads, blockSize 2, topK 1, the step at L = 5', () => {
    const cfg: BlockConfig = { d: 8, heads: 2, kvHeads: 2, headDim: 4, options: { blockSize: 2, topK: 1 } };
    const { counts, activity } = decodeAll(landmarkBlock, cfg, weightsFor(landmarkBlock, cfg, 15), randomInputs(6, 8, 16));
    // Position t = 5: landmarks of blocks 0, 1 scored; 1 retrieved (2 positions) + current block {4, 5}.
    // Position 5 completes block 2: its landmark is pooled, projected and stored.
    expect(activity[5]).toMatchObject({ attended: 2 * 4, maxAttended: 4, blocksScored: 2, blocksSelected: 1 });
    const hand = {
      'mac/fp32/projection': 4 * 8 * 8, // q, k, v, out: 8×8 each
      'weight/read/32': 4 * 64 + 2 * 4 * 4, // the projections + W_lm of both KV heads (dh×dh), read on completion
      'input/read/32': 4 * 8,
      'output/write/32': 4 * 8,
      'kv/write/32': 2 * 2 * 4 + 2 * 4, // k, v appended + 2 landmarks of dh
      'add/fp32/pool': 2 * (2 - 1) * 4,
      'mul/fp32/pool': 2 * 4,
      'mac/fp32/landmark': 2 * 4 * 4, // pooled key (dh) × W_lm (dh×dh) per KV head
      'add/fp32/bias': 2 * 4, // + b_lm
      'bias/read/32': 2 * 4,
      'mac/fp32/landmark-score': 2 * 2 * 4, // 2 heads × 2 landmarks × dh
      'mul/fp32/score-scale': 2 * 2 + 2 * 4, // landmark logits + token logits (4 positions), per head
      'cmp/fp32/top-k': 2 * (1 * (2 - 1)), // per KV head k(n−1) − k(k−1)/2, n = 2, k = 1
      'mac/fp32/score': 2 * 4 * 4,
      // Per head two softmaxes: the main group (1 landmark + 2 current tokens = 3) and the retrieved block (2).
      'cmp/fp32/softmax': 2 * ((3 - 1) + (2 - 1)),
      'add/fp32/softmax': 2 * ((3 + 3 - 1) + (2 + 2 - 1)),
      'exp/fp32/softmax': 2 * (3 + 2),
      'div/fp32/softmax': 2 * 2,
      'mul/fp32/softmax': 2 * (3 + 2),
      'mul/fp32/grouped-softmax': 2 * 1 * 2, // landmark weight × in-block weight, per head per retrieved position
      'mac/fp32/value': 2 * 4 * 4,
      'kv/read/32': 2 * 2 * 4 + 2 * 2 * 4 + 2 * (2 * 4 * 4), // keys pooled + 2 landmarks + k and v of 4 positions, per KV head
    };
    expect(countTable(landmarkBlock.stepCounts(cfg, 5, activity[5]))).toEqual(hand);
    expect(countTable(counts[5])).toEqual(hand);
  });

  it('stepCounts ≡ the counted decoder at every position of a 20-token run (GQA)', () => {
    const cfg = gqa({ blockSize: 4, topK: 2 });
    const { counts, activity } = decodeAll(landmarkBlock, cfg, weightsFor(landmarkBlock, cfg, 17), randomInputs(20, cfg.d, 18));
    counts.forEach((c, L) => expect(countTable(landmarkBlock.stepCounts(cfg, L, activity[L])), `L = ${L}`).toEqual(countTable(c)));
  });

  it('storesAt ≡ the decoder stores after every step (weights incl. W_lm, b_lm; KV cache + landmarks)', () => {
    const cfg = gqa({ blockSize: 4, topK: 2 });
    const dec = landmarkBlock.decoder(weightsFor(landmarkBlock, cfg, 19), cfg, new StepCounter());
    randomInputs(13, cfg.d, 20).forEach((x, L) => {
      dec.step(x);
      expect(dec.stores()).toEqual(landmarkBlock.storesAt(cfg, L));
    });
    expect(landmarkBlock.storesAt(cfg, 12)[0].words).toBe(16 * 16 + 2 * 16 * 8 + 16 * 16 + 2 * 4 * 4 + 2 * 4);
  });

  it('attended positions per token stay ≤ topK·ℓ + ℓ whatever L, while the landmarks scored grow as L/ℓ', () => {
    const cfg: BlockConfig = { d: 8, heads: 2, kvHeads: 2, headDim: 4, options: { blockSize: 4, topK: 2 } };
    const { activity } = decodeAll(landmarkBlock, cfg, weightsFor(landmarkBlock, cfg, 21), randomInputs(160, cfg.d, 22));
    activity.forEach((a, t) => {
      expect(a.maxAttended).toBeLessThanOrEqual(2 * 4 + 4);
      expect(a.blocksScored).toBe(Math.floor(t / 4));
    });
    for (const L of [1_000, 10_000, 100_000]) {
      const t = countTable(landmarkBlock.stepCounts(cfg, L, {}));
      expect(t['mac/fp32/score']).toBeLessThanOrEqual(2 * (2 * 4 + 4) * 4);
      expect(t['mac/fp32/landmark-score']).toBe(2 * Math.floor(L / 4) * 4);
    }
  });

  it('validate rejects bad configurations with an InputError naming the field', () => {
    const ok = landmarkBlock.defaults(64);
    expect(() => landmarkBlock.validate(ok)).not.toThrow();
    const bad = (patch: Partial<BlockConfig>, field: string) => expectInvalid(landmarkBlock, { ...ok, ...patch }, field);
    bad({ options: { ...ok.options, blockSize: -2 } }, 'options.blockSize');
    bad({ options: { ...ok.options, topK: 0 } }, 'options.topK');
    bad({ options: { ...ok.options, window: 4 } }, 'options.window'); // no window in landmark attention
    bad({ heads: 0 }, 'heads');
    bad({ d: 7.5 }, 'd');
  });
});

describe('training the parallel forms', () => {
  it('gradients pass around the discrete selection; the landmark projection learns through the grouped softmax', async () => {
    const tf = await loadTf('cpu');
    for (const block of [blockSparseBlock, landmarkBlock]) {
      const cfg: BlockConfig = { ...gqa({ blockSize: 4, topK: 1 }), options: block === blockSparseBlock ? { blockSize: 4, topK: 1, window: 2 } : { blockSize: 4, topK: 1 } };
      const w = weightsFor(block, cfg, 23);
      const x = tf.tensor3d(Float32Array.from(randomInputs(2 * 16, cfg.d, 24).flatMap((r) => [...r])), [2, 16, cfg.d]);
      const names = block.params(cfg).map((p) => p.name);
      const vars = block.params(cfg).map((p) => tf.tensor(w[p.name], [...p.shape]));
      const grads = tf.grads((...ts: Tensor[]) => tf.sum(tf.square(block.trainForward(tf, Object.fromEntries(names.map((n, i) => [n, ts[i]])), x, cfg))))(vars);
      const norms = await Promise.all(grads.map(async (g) => (await tf.norm(g).data())[0]));
      names.forEach((n, i) => {
        expect(Number.isFinite(norms[i]), `${block.id} ${n}`).toBe(true);
        expect(norms[i], `${block.id} ${n}`).toBeGreaterThan(0);
      });
    }
  });
});
