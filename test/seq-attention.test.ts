// Dense softmax-family attention blocks: softmax (MHA), GQA, the Forgetting Transformer and
// stick-breaking attention. Hand-computed ledgers of tiny instances, counted decoders against the
// tfjs parallel forms, closed-form ledgers against the counted decoders, the special cases that tie
// the families together (GQA with kvHeads = heads, FoX with forget gates of 1), stick-breaking's
// early halting, gradients on the training backend, and validation.
import type { Tensor } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import type { BlockConfig, BlockWeights, SequenceBlock } from '../workloads/sequence/block.js';
import { foxBlock } from '../workloads/sequence/blocks/fox.js';
import { foxAcpBlock } from '../workloads/sequence/blocks/fox-acp.js';
import { gqaBlock, softmaxBlock } from '../workloads/sequence/blocks/softmax.js';
import { stickBreakingBlock } from '../workloads/sequence/blocks/stick-breaking.js';
import { StepCounter } from '../workloads/sequence/counter.js';
import { matVec } from '../workloads/sequence/ops.js';
import { loadTf } from '../workloads/train/tf.js';
import { countTable, decodeAll, maxAbsDiff, parallelOutputs, randomInputs, weightsFor } from './sequence-helpers.js';

const BLOCKS: readonly SequenceBlock[] = [softmaxBlock, gqaBlock, foxBlock, foxAcpBlock, stickBreakingBlock];

/** d = 16, 4 heads of 4, with kvHeads and options given. */
const cfg16 = (kvHeads: number, options: Record<string, number> = {}): BlockConfig => ({ d: 16, heads: 4, kvHeads, headDim: 4, options });

/** Every parameter moved by up to ±0.2 (zero-initialised biases included), so that a misplaced one shows. */
function jittered(block: SequenceBlock, cfg: BlockConfig, seed: number): BlockWeights {
  const w = weightsFor(block, cfg, seed);
  const rng = createRng(seed, 3);
  return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, v.map((x) => Math.fround(x + 0.4 * (rng.next() - 0.5)))]));
}

/**
 * The decoder's step at position 4 (4 tokens in context) against `expected` (its closed form too),
 * the stores afterwards against `expectedStores` (storesAt too); returns the step's activity.
 */
function expectStepAtPosition4(block: SequenceBlock, cfg: BlockConfig, expected: Record<string, number>, expectedStores: { weight: number; kv: number }) {
  block.validate(cfg);
  const counter = new StepCounter();
  const dec = block.decoder(jittered(block, cfg, 2), cfg, counter);
  for (const x of randomInputs(4, cfg.d, 4)) dec.step(x);
  counter.take();
  dec.step(randomInputs(1, cfg.d, 5)[0]);
  const activity = dec.activity();
  expect(countTable(counter.take())).toEqual(expected);
  expect(countTable(block.stepCounts(cfg, 4, activity))).toEqual(expected);
  const stores = [
    { operand: 'weight', words: expectedStores.weight, bits: 32 },
    { operand: 'kv', words: expectedStores.kv, bits: 32 },
  ];
  expect(dec.stores()).toEqual(stores);
  expect(block.storesAt(cfg, 4)).toEqual(stores);
  return activity;
}

// ---------------------------------------------------------------------------------------------
// Hand-computed ledgers: d = 8, 2 heads of dh = 4, the step at position 4 (L = 4, n = 5 positions).

const MHA: BlockConfig = { d: 8, heads: 2, kvHeads: 2, headDim: 4, options: {} };
const GQA1: BlockConfig = { ...MHA, kvHeads: 1 };

/** Softmax attention of 2 query heads over n = 5 positions (shared by MHA, GQA and FoX). */
const ATTEND_2x5 = {
  'mac/fp32/score': 2 * 5 * 4, // q_h·k_j: 2 heads × 5 positions × dh 4
  'mul/fp32/score-scale': 2 * 5, // × 1/√dh per score
  'cmp/fp32/softmax': 2 * (5 - 1), // running max
  'add/fp32/softmax': 2 * (5 + 4), // 5 subtracts of the max, 4 adds of the sum, per head
  'exp/fp32/softmax': 2 * 5,
  'div/fp32/softmax': 2, // 1/sum per head
  'mul/fp32/softmax': 2 * 5, // × 1/sum
  'mac/fp32/value': 2 * 5 * 4, // Σ p_j v_j
};

describe('hand-computed ledgers of one decode step (d = 8, 2 heads, L = 4)', () => {
  it('softmax MHA', () => {
    const expected = {
      'mac/fp32/projection': 4 * 8 * 8, // Wq, Wk, Wv [8, 8] and Wo [8, 8] = 256
      ...ATTEND_2x5,
      'weight/read/32': 4 * 8 * 8,
      'input/read/32': 3 * 8 + 8, // x for Wq, Wk, Wv; o for Wo
      'output/write/32': 3 * 8 + 8, // q, k, v; y
      'kv/write/32': 2 * 2 * 4, // k and v of 2 KV heads
      'kv/read/32': 2 * 2 * 5 * 4, // every cached key and value of 2 KV heads over 5 positions = 80
    };
    // stores: kv = k and v × 5 positions × 2 KV heads × dh
    expectStepAtPosition4(softmaxBlock, MHA, expected, { weight: 4 * 8 * 8, kv: 2 * 5 * 2 * 4 });
  });

  it('GQA with 1 KV head: half the K/V projection and half the cache traffic', () => {
    const expected = {
      'mac/fp32/projection': 3 * 8 * 8, // Wq [8, 8], Wk and Wv [8, 4] (= 8·8 together), Wo [8, 8] = 192
      ...ATTEND_2x5, // both query heads still score all 5 positions
      'weight/read/32': 3 * 8 * 8,
      'input/read/32': 3 * 8 + 8,
      'output/write/32': 8 + 2 * 4 + 8, // q; k, v of one KV head; y
      'kv/write/32': 2 * 1 * 4,
      'kv/read/32': 2 * 1 * 5 * 4, // each key and value read once for the group of 2 query heads = 40
    };
    expectStepAtPosition4(gqaBlock, GQA1, expected, { weight: 3 * 8 * 8, kv: 2 * 5 * 1 * 4 });
  });

  it('FoX: softmax MHA plus the forget gate, the cumulative log-forget and one bias add per score', () => {
    const expected = {
      'mac/fp32/projection': 4 * 8 * 8,
      ...ATTEND_2x5,
      'mac/fp32/forget-gate': 2 * 8, // w_f·x per head
      'add/fp32/bias': 2, // + b_f
      'exp/fp32/forget-gate': 2, // log σ per head: 1 EXP, 1 LOG, 2 adds, 1 compare
      'log/fp32/forget-gate': 2,
      'add/fp32/forget-gate': 2 * 2,
      'cmp/fp32/forget-gate': 2,
      'add/fp32/forget-cumsum': 2, // c_4 = c_3 + log f_4 per head
      'add/fp32/score-bias': 2 * 5, // score − c_j per head and position
      'weight/read/32': 4 * 8 * 8 + 2 * 8, // + W_f [8, 2]
      'bias/read/32': 2,
      'input/read/32': 3 * 8 + 8 + 8, // x for Wq, Wk, Wv and W_f; o for Wo
      'output/write/32': 3 * 8 + 8 + 2, // q, k, v; y; the gate logits
      'kv/write/32': 2 * 2 * 4 + 2, // k, v; c_4 per head
      'kv/read/32': 2 * 2 * 5 * 4 + 2 * 4, // keys and values (80); c_0 … c_3 per head (8)
    };
    // stores: weights + W_f, b_f; kv = 5 positions × (k, v of 2 KV heads + c per head) = 90
    expectStepAtPosition4(foxBlock, MHA, expected, { weight: 4 * 8 * 8 + 2 * 8 + 2, kv: 5 * (2 * 2 * 4 + 2) });
  });

  it('stick-breaking with 1 KV head and a threshold that never fires: 4 pairs per head, no softmax', () => {
    const cfg: BlockConfig = { ...GQA1, options: { threshold: 1e-30 } };
    const expected = {
      'mac/fp32/projection': 3 * 8 * 8, // as GQA: 192
      'mac/fp32/score': 2 * 4 * 4, // 2 heads × 4 earlier positions (j < 4) × dh
      'mul/fp32/score-scale': 2 * 4,
      'cmp/fp32/stick-break': 2 * 4, // sign of z for the shared softplus
      'exp/fp32/stick-break': 2 * (2 * 4) + 2, // e^{−|z|} and exp(log β + R) per pair; exp R (the remainder) per head
      'log/fp32/stick-break': 2 * 4, // log(1 + e^{−|z|})
      'add/fp32/stick-break': 5 * 2 * 4, // 1 + e, log β, log(1 − β), log β + R, R + log(1 − β) per pair
      'cmp/fp32/halt': 2 * 4, // R < log ε after each pair
      'mac/fp32/value': 2 * 4 * 4 + 2 * 4, // A_j v_j per pair; r·v_4 per head
      'weight/read/32': 3 * 8 * 8,
      'input/read/32': 3 * 8 + 8,
      'output/write/32': 8 + 2 * 4 + 8,
      'kv/write/32': 2 * 1 * 4,
      'kv/read/32': (2 * 4 + 1) * 4, // keys and values of positions 0…3 once for the group; v_4 for the remainder
    };
    const activity = expectStepAtPosition4(stickBreakingBlock, cfg, expected, { weight: 3 * 8 * 8, kv: 2 * 5 * 1 * 4 });
    expect(activity).toEqual({ visited: 2 * 4, kvVisited: 4, maxVisited: 4, halted: 0 });
  });
});

// ---------------------------------------------------------------------------------------------
// Decoder ≡ parallel form, closed form ≡ counted decoder

const CASES: readonly [string, SequenceBlock, BlockConfig][] = [
  ['softmax (MHA)', softmaxBlock, cfg16(4)],
  ['gqa (4 heads, 2 KV heads)', gqaBlock, cfg16(2)],
  ['fox (4 heads, 2 KV heads)', foxBlock, cfg16(2)],
  ['fox-acp with ε = 1e-30: nothing prunable in 12 tokens (4 heads, 2 KV heads)', foxAcpBlock, cfg16(2, { epsilon: 1e-30 })],
  ['stick-breaking without halting (4 heads, 2 KV heads)', stickBreakingBlock, cfg16(2, { threshold: 0 })],
];

describe.each(CASES)('%s', (_name, block, cfg) => {
  it('counted decoder ≡ parallel form (L = 12)', async () => {
    block.validate(cfg);
    const w = jittered(block, cfg, 5);
    const xs = randomInputs(12, cfg.d, 9);
    const { ys } = decodeAll(block, cfg, w, xs);
    expect(maxAbsDiff(ys, await parallelOutputs(block, cfg, w, xs))).toBeLessThan(1e-5);
    expect(Math.max(...ys.map((y) => Math.max(...y.map(Math.abs))))).toBeGreaterThan(0.05); // not trivially zero
  });

  it('stepCounts ≡ the counted decoder at every position of a 12-token run', () => {
    const { counts, activity } = decodeAll(block, cfg, jittered(block, cfg, 6), randomInputs(12, cfg.d, 10));
    counts.forEach((c, L) => expect(countTable(block.stepCounts(cfg, L, activity[L]))).toEqual(countTable(c)));
  });
});

// ---------------------------------------------------------------------------------------------
// Special cases that tie the families together

describe('GQA', () => {
  it('with kvHeads = heads equals MHA (decoder and parallel form)', async () => {
    const cfg = cfg16(4);
    const w = jittered(softmaxBlock, cfg, 7);
    const xs = randomInputs(12, cfg.d, 11);
    expect(maxAbsDiff(decodeAll(gqaBlock, cfg, w, xs).ys, decodeAll(softmaxBlock, cfg, w, xs).ys)).toBe(0);
    expect(maxAbsDiff(await parallelOutputs(gqaBlock, cfg, w, xs), await parallelOutputs(softmaxBlock, cfg, w, xs))).toBe(0);
    expect(countTable(gqaBlock.stepCounts(cfg, 11, {}))).toEqual(countTable(softmaxBlock.stepCounts(cfg, 11, {})));
  });

  it('with 1 KV head equals MHA whose K/V heads are copies of it (query head h reads KV head ⌊h/g⌋)', async () => {
    const gqa = cfg16(1);
    const mha = cfg16(4);
    const w = jittered(gqaBlock, gqa, 8);
    // Wk, Wv [16, 4] → [16, 4·4]: the one KV head's columns repeated for each query head.
    const repeat = (m: Float32Array) => Float32Array.from({ length: 16 * 16 }, (_, i) => m[Math.floor(i / 16) * 4 + (i % 4)]);
    const wm = { ...w, wk: repeat(w.wk), wv: repeat(w.wv) };
    const xs = randomInputs(12, 16, 12);
    const ys = decodeAll(gqaBlock, gqa, w, xs).ys;
    expect(maxAbsDiff(ys, decodeAll(softmaxBlock, mha, wm, xs).ys)).toBeLessThan(1e-6);
    expect(maxAbsDiff(await parallelOutputs(gqaBlock, gqa, w, xs), ys)).toBeLessThan(1e-5);
  });
});

describe('FoX', () => {
  /** FoX weights whose forget gate is the constant σ(bias): W_f = 0, b_f = bias. */
  const gated = (w: BlockWeights, bias: number): BlockWeights => ({ ...w, wf: new Float32Array(w.wf.length), bf: new Float32Array(w.bf.length).fill(bias) });

  it('with every forget gate forced to 1 (b_f = 50) equals softmax attention (decoder and parallel form)', async () => {
    const cfg = cfg16(2);
    const w = gated(jittered(foxBlock, cfg, 9), 50);
    const xs = randomInputs(12, cfg.d, 13);
    const soft = decodeAll(softmaxBlock, cfg, w, xs).ys;
    expect(maxAbsDiff(decodeAll(foxBlock, cfg, w, xs).ys, soft)).toBeLessThan(1e-6);
    expect(maxAbsDiff(await parallelOutputs(foxBlock, cfg, w, xs), await parallelOutputs(softmaxBlock, cfg, w, xs))).toBeLessThan(1e-6);
  });

  it('with every forget gate near 0 (b_f = −40) attends to the current token only: y_t = v_t·W_o', () => {
    const cfg = cfg16(2);
    const w = gated(jittered(foxBlock, cfg, 10), -40);
    const xs = randomInputs(6, cfg.d, 14);
    const c = new StepCounter();
    const expected = xs.map((x) => {
      const v = matVec(c, x, w.wv, 16, 8, 'v'); // 2 KV heads of 4
      const o = Float32Array.from({ length: 16 }, (_, i) => v[Math.floor(i / 8) * 4 + (i % 4)]); // query head h reads KV head ⌊h/2⌋
      return matVec(c, o, w.wo, 16, 16, 'o');
    });
    expect(maxAbsDiff(decodeAll(foxBlock, cfg, w, xs).ys, expected)).toBeLessThan(1e-5);
  });
});

describe('FoX adaptive computation pruning (fox-acp)', () => {
  it('defaults ε to the authors\' tolerance e^−10 (forgetting-transformer README: log_pruning_tolerance = -10.0)', () => {
    expect(foxAcpBlock.defaults(64).options.epsilon).toBe(Math.exp(-10));
    expect(foxAcpBlock.defaults(64).options.epsilon).toBeCloseTo(4.54e-5, 7);
  });
  /** Weights whose forget gate of head h is the constant σ(b[h]): W_f = 0, b_f = b. */
  const gatedBy = (w: BlockWeights, b: readonly number[]): BlockWeights => ({ ...w, wf: new Float32Array(w.wf.length), bf: Float32Array.from(b) });
  /** The bound on |Δy| against unpruned FoX: 2ε·max|v|·max_c Σ_r |W_o[r, c]| (header of fox-acp.ts). */
  function outputBound(w: BlockWeights, xs: readonly Float32Array[], cfg: BlockConfig, eps: number): number {
    const c = new StepCounter();
    const kv = cfg.kvHeads * cfg.headDim;
    const maxV = Math.max(...xs.map((x) => Math.max(...matVec(c, x, w.wv, cfg.d, kv, 'v').map(Math.abs))));
    let woNorm = 0;
    for (let col = 0; col < cfg.d; col++) {
      let s = 0;
      for (let r = 0; r < cfg.heads * cfg.headDim; r++) s += Math.abs(w.wo[r * cfg.d + col]);
      woNorm = Math.max(woNorm, s);
    }
    return 2 * eps * maxV * woNorm;
  }

  it('hand-built gates (head 0 never forgets, head 1 forgets everything): the step at position 4 prunes exactly head 1’s 4 earlier positions', () => {
    const cfg: BlockConfig = { ...MHA, options: { epsilon: 1e-4 } };
    foxAcpBlock.validate(cfg);
    // log σ(50) ≈ −2·10⁻²² per step: D ≈ 0 ≥ δ, all 5 positions kept. log σ(−40) = −40 per step:
    // D_4,3 = −40 < δ = ln 10⁻⁴ − ln 5 − 2U (≈ −11 − 2U; U = ‖q‖·max‖k‖/2 is a few units here), so
    // head 1 keeps only the current position, having read and tested c_3 alone.
    const w = gatedBy(jittered(foxAcpBlock, cfg, 2), [50, -40]);
    const counter = new StepCounter();
    const dec = foxAcpBlock.decoder(w, cfg, counter);
    const xs = randomInputs(5, 8, 4);
    xs.slice(0, 4).forEach((x) => dec.step(x));
    counter.take();
    dec.step(xs[4]);
    const activity = dec.activity();
    expect(activity).toEqual({ kept: 5 + 1, kvKept: 5 + 1, examined: 4 + 1, pruned: 4 });
    const expected = {
      'mac/fp32/projection': 4 * 8 * 8,
      'mac/fp32/forget-gate': 2 * 8, // as FoX
      'add/fp32/bias': 2,
      'exp/fp32/forget-gate': 2,
      'log/fp32/forget-gate': 2,
      'add/fp32/forget-gate': 2 * 2,
      'cmp/fp32/forget-gate': 2,
      'add/fp32/forget-cumsum': 2,
      'mac/fp32/acp-bound': 2 * 4 + 2 * 4, // ‖k‖² of the new key per KV head, ‖q_h‖² per head
      'cmp/fp32/acp-bound': 2, // running max of ‖k‖² per KV head
      'log/fp32/acp-bound': 1, // log n
      'add/fp32/acp-bound': 1 + 2, // log ε − log n; δ_h per head
      'mul/fp32/acp-bound': 2 * 2, // ‖q‖²·max‖k‖², ·2/√dh per head
      'div/fp32/acp-bound': 2, // √ per head
      'add/fp32/acp-test': 4 + 1, // D = c_4 − c_j: head 0 for j = 3…0, head 1 for j = 3 (pruned: the walk stops)
      'cmp/fp32/acp-test': 4 + 1, // D < δ, as many
      'mac/fp32/score': (5 + 1) * 4, // 5 kept positions of head 0, 1 of head 1, dh = 4
      'mul/fp32/score-scale': 5 + 1,
      'add/fp32/score-bias': 5 + 1, // − c_j per kept position
      'cmp/fp32/softmax': 4 + 0, // n − 1 per head
      'add/fp32/softmax': 9 + 1, // 2n − 1 per head
      'exp/fp32/softmax': 5 + 1,
      'div/fp32/softmax': 2,
      'mul/fp32/softmax': 5 + 1,
      'mac/fp32/value': (5 + 1) * 4,
      'weight/read/32': 4 * 8 * 8 + 2 * 8,
      'bias/read/32': 2,
      'input/read/32': 3 * 8 + 8 + 8,
      'output/write/32': 3 * 8 + 8 + 2,
      'kv/write/32': 2 * 2 * 4 + 2, // k, v; c_4 per head
      'kv/read/32': (4 + 1) + 2 * 4 * (5 + 1), // the 5 c_j tested; keys and values of 5 positions (KV head 0) and 1 (KV head 1)
      'state/read/32': 2, // the key-norm maxima
      'state/write/32': 2,
    };
    expect(countTable(counter.take())).toEqual(expected);
    expect(countTable(foxAcpBlock.stepCounts(cfg, 4, activity))).toEqual(expected);
    const stores = [
      { operand: 'weight', words: 4 * 8 * 8 + 2 * 8 + 2, bits: 32 },
      { operand: 'kv', words: 5 * (2 * 2 * 4 + 2), bits: 32 },
      { operand: 'state', words: 2, bits: 32 },
    ];
    expect(dec.stores()).toEqual(stores);
    expect(foxAcpBlock.storesAt(cfg, 4)).toEqual(stores);
    // the output: unpruned FoX's within the bound (head 1's pruned weights are e^{−40k}, not even ε)
    const fox = decodeAll(foxBlock, MHA, w, xs).ys;
    expect(maxAbsDiff(decodeAll(foxAcpBlock, cfg, w, xs).ys, fox)).toBeLessThan(1e-6);
  });

  it('prunes, per head and step, exactly the positions with c_t − c_j < ln ε − ln n − 2‖q‖·max‖k‖/√dh (computed here in float64), within the bound of FoX', () => {
    const eps = 1e-4;
    const cfg = cfg16(2, { epsilon: eps });
    // per-head forget gates: log σ(b) = −1.00, ≈ 0, −2.13, −0.31 per step
    const b = [-Math.log(Math.E - 1), 50, -2, 1];
    const w = gatedBy(jittered(foxAcpBlock, cfg, 17), b);
    const L = 40;
    const xs = randomInputs(L, 16, 18);
    const { ys, counts, activity } = decodeAll(foxAcpBlock, cfg, w, xs);
    const proj = (x: Float32Array, m: Float32Array, out: number) => Array.from({ length: out }, (_, j) => x.reduce((s, xi, i) => s + xi * m[i * out + j], 0));
    const logf = b.map((v) => -Math.log1p(Math.exp(-v)));
    const kNorm = xs.map((x) => {
      const k = proj(x, w.wk, 8);
      return [0, 1].map((kvh) => Math.hypot(...k.slice(kvh * 4, kvh * 4 + 4)));
    });
    let prunedSomewhere = 0;
    xs.forEach((x, t) => {
      const q = proj(x, w.wq, 16);
      let kept = 0;
      let kvKept = 0;
      for (let kvh = 0; kvh < 2; kvh++) {
        let group = 0;
        for (let i = 0; i < 2; i++) {
          const h = kvh * 2 + i;
          const U = (Math.hypot(...q.slice(h * 4, h * 4 + 4)) * Math.max(...kNorm.slice(0, t + 1).map((n) => n[kvh]))) / 2;
          const delta = Math.log(eps) - Math.log(t + 1) - 2 * U;
          let k = 0;
          for (let j = 0; j <= t; j++) if ((t - j) * logf[h] >= delta) k++; // c_t − c_j = (t − j)·log f
          kept += k;
          group = Math.max(group, k);
        }
        kvKept += group;
      }
      expect(activity[t].kept, `position ${t}`).toBe(kept);
      expect(activity[t].kvKept, `position ${t}`).toBe(kvKept);
      expect(activity[t].pruned).toBe(4 * (t + 1) - kept);
      prunedSomewhere += activity[t].pruned;
      expect(countTable(foxAcpBlock.stepCounts(cfg, t, activity[t])), `position ${t}`).toEqual(countTable(counts[t]));
    });
    expect(prunedSomewhere).toBeGreaterThan(0);
    expect(activity[L - 1].pruned).toBeGreaterThan(0);
    const fox = decodeAll(foxBlock, cfg16(2), w, xs).ys;
    const diff = maxAbsDiff(ys, fox);
    expect(diff).toBeLessThanOrEqual(outputBound(w, xs, cfg, eps) + 1e-6);
    // the ledger is FoX's minus what was skipped: fewer score MACs than FoX's H·n·dh at the last step
    expect(countTable(counts[L - 1])['mac/fp32/score']).toBe(activity[L - 1].kept * 4);
    expect(activity[L - 1].kept).toBeLessThan(4 * L);
  });

  it('with ε so small that nothing is pruned, gives FoX’s outputs exactly and FoX’s ledger plus the bound’s and tests’ ops', () => {
    const cfg = cfg16(2, { epsilon: 1e-30 });
    const w = jittered(foxAcpBlock, cfg, 19);
    const xs = randomInputs(10, 16, 20);
    const acp = decodeAll(foxAcpBlock, cfg, w, xs);
    const fox = decodeAll(foxBlock, cfg16(2), w, xs);
    expect(maxAbsDiff(acp.ys, fox.ys)).toBe(0);
    const t = 9;
    expect(acp.activity[t]).toEqual({ kept: 4 * 10, kvKept: 2 * 10, examined: 4 * 9, pruned: 0 });
    const a = countTable(acp.counts[t]);
    const f = countTable(fox.counts[t]);
    const extra = { 'mac/fp32/acp-bound': (2 + 4) * 4, 'cmp/fp32/acp-bound': 2, 'log/fp32/acp-bound': 1, 'add/fp32/acp-bound': 1 + 4, 'mul/fp32/acp-bound': 2 * 4, 'div/fp32/acp-bound': 4, 'add/fp32/acp-test': 4 * 9, 'cmp/fp32/acp-test': 4 * 9, 'state/read/32': 2, 'state/write/32': 2 };
    expect(a).toEqual({ ...f, ...extra });
  });
});

describe('stick-breaking early halting', () => {
  const eps = 0.05;
  const halting = cfg16(2, { threshold: eps });

  it('visits fewer pairs than the unhalted walk, and stepCounts follows the activity', () => {
    const w = jittered(stickBreakingBlock, halting, 11);
    const { counts, activity } = decodeAll(stickBreakingBlock, halting, w, randomInputs(12, 16, 15));
    expect(activity[11].visited).toBeLessThan(4 * 11);
    expect(activity.some((a) => a.halted > 0)).toBe(true);
    counts.forEach((c, L) => {
      expect(activity[L].visited).toBeLessThanOrEqual(4 * L);
      expect(activity[L].kvVisited).toBeLessThanOrEqual(2 * activity[L].maxVisited);
      expect(countTable(stickBreakingBlock.stepCounts(halting, L, activity[L]))).toEqual(countTable(c));
    });
    expect(() => stickBreakingBlock.stepCounts(halting, 5, {})).toThrow(/activity\.visited/);
  });

  it('changes each output by at most 2ε·max|v|·max_c Σ_r |W_o[r, c]| against the unhalted decoder', () => {
    const w = jittered(stickBreakingBlock, halting, 11);
    const xs = randomInputs(12, 16, 15);
    const halted = decodeAll(stickBreakingBlock, halting, w, xs).ys;
    const full = decodeAll(stickBreakingBlock, { ...halting, options: { threshold: 0 } }, w, xs).ys;
    const c = new StepCounter();
    const maxV = Math.max(...xs.map((x) => Math.max(...matVec(c, x, w.wv, 16, 8, 'v').map(Math.abs))));
    let woNorm = 0;
    for (let col = 0; col < 16; col++) {
      let s = 0;
      for (let r = 0; r < 16; r++) s += Math.abs(w.wo[r * 16 + col]);
      woNorm = Math.max(woNorm, s);
    }
    const diff = maxAbsDiff(halted, full);
    expect(diff).toBeGreaterThan(0); // halting did change something
    expect(diff).toBeLessThanOrEqual(2 * eps * maxV * woNorm);
  });

  it('gives the first token its own value (the whole stick is the remainder)', () => {
    const cfg = cfg16(2, { threshold: 0 });
    const w = jittered(stickBreakingBlock, cfg, 12);
    const x = randomInputs(1, 16, 16)[0];
    const c = new StepCounter();
    const v = matVec(c, x, w.wv, 16, 8, 'v');
    const o = Float32Array.from({ length: 16 }, (_, i) => v[Math.floor(i / 8) * 4 + (i % 4)]);
    expect(maxAbsDiff(decodeAll(stickBreakingBlock, cfg, w, [x]).ys, [matVec(c, o, w.wo, 16, 16, 'o')])).toBeLessThan(1e-6);
  });
});

// ---------------------------------------------------------------------------------------------
// Training backend

describe('trainForward on the training backend (wasm)', () => {
  it.each(BLOCKS.map((b) => [b.id, b] as const))('%s: gives finite, non-zero gradients for every parameter', async (_id, block) => {
    const tf = await loadTf('wasm');
    const cfg = block.defaults(16);
    const w = jittered(block, cfg, 13);
    const specs = block.params(cfg);
    const xs = randomInputs(2 * 10, 16, 17);
    const flat = new Float32Array(2 * 10 * 16);
    xs.forEach((x, i) => flat.set(x, i * 16));
    const x = tf.tensor3d(flat, [2, 10, 16]);
    const target = tf.tensor3d(Float32Array.from({ length: flat.length }, (_, i) => Math.sin(i)), [2, 10, 16]);
    const params = specs.map((p) => tf.tensor(w[p.name], [...p.shape]));
    const grads = tf.grads((...ps: Tensor[]) => {
      const named = Object.fromEntries(specs.map((p, i) => [p.name, ps[i]]));
      return tf.sum(tf.mul(block.trainForward(tf, named, x, cfg), target));
    })(params);
    const norms = await Promise.all(grads.map(async (g) => Math.max(...(await g.data()).map(Math.abs))));
    norms.forEach((n, i) => {
      expect(Number.isFinite(n), specs[i].name).toBe(true);
      expect(n, specs[i].name).toBeGreaterThan(0);
    });
    tf.dispose([x, target, ...params, ...grads]);
  });
});

// ---------------------------------------------------------------------------------------------
// Validation

describe('validate', () => {
  it.each(BLOCKS.map((b) => [b.id, b] as const))('%s accepts its defaults', (_id, block) => {
    for (const d of [8, 16, 64]) expect(() => block.validate(block.defaults(d))).not.toThrow();
  });

  it('gqa defaults to 2 query heads per KV head; the others to MHA', () => {
    expect(gqaBlock.defaults(64)).toMatchObject({ heads: 4, kvHeads: 2, headDim: 16 });
    for (const b of [softmaxBlock, foxBlock, foxAcpBlock, stickBreakingBlock]) expect(b.defaults(64)).toMatchObject({ heads: 4, kvHeads: 4, headDim: 16 });
  });

  const bad: [SequenceBlock, (c: BlockConfig) => BlockConfig, RegExp][] = [
    [softmaxBlock, (c) => ({ ...c, heads: 3, kvHeads: 3 }), /heads \(3\) must divide d \(16\)/],
    [gqaBlock, (c) => ({ ...c, kvHeads: 3 }), /heads \(4\) must be a multiple of kvHeads \(3\)/],
    [softmaxBlock, (c) => ({ ...c, headDim: 8 }), /headDim must be d \/ heads/],
    [softmaxBlock, (c) => ({ ...c, d: 0 }), /softmax: d must be a positive integer/],
    [gqaBlock, (c) => ({ ...c, kvHeads: 0 }), /kvHeads must be a positive integer/],
    [foxBlock, (c) => ({ ...c, heads: -4 }), /fox: heads must be a positive integer/],
    [foxBlock, (c) => ({ ...c, options: { window: 4 } }), /options\.window is not an option/],
    [foxAcpBlock, (c) => ({ ...c, options: { epsilon: 0 } }), /fox-acp: options\.epsilon must be greater than 0/],
    [foxAcpBlock, (c) => ({ ...c, options: { epsilon: 1 } }), /fox-acp: options\.epsilon must be a number in \[0, 1\)/],
    [foxAcpBlock, (c) => ({ ...c, options: {} }), /fox-acp: options\.epsilon is required/],
    [foxAcpBlock, (c) => ({ ...c, options: { epsilon: 1e-4, window: 4 } }), /fox-acp: options\.window is not an option/],
    [stickBreakingBlock, (c) => ({ ...c, options: { threshold: 1 } }), /options\.threshold must be a number in \[0, 1\)/],
    [stickBreakingBlock, (c) => ({ ...c, options: { threshold: -1e-4 } }), /options\.threshold/],
    [stickBreakingBlock, (c) => ({ ...c, options: {} }), /options\.threshold is required/],
  ];
  it.each(bad.map(([b, f, re], i) => [`${b.id} #${i}`, b, f, re] as const))('%s: an InputError naming the field', (_name, block, f, re) => {
    const cfg = f(block.defaults(16));
    expect(() => block.validate(cfg)).toThrow(InputError);
    expect(() => block.validate(cfg)).toThrow(re);
  });
});
