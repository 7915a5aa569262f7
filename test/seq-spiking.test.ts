// The spiking sequence blocks (workloads/sequence/blocks/spikformer.ts, sdsa.ts, spikegpt.ts): the
// counted decoder against the tfjs parallel form (identical spike trains), hand-counted ledgers of a
// tiny instance, the closed-form step counts against the decoder, event-driven synaptic work, and
// configuration errors.
import type { Tensor } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import type { BlockConfig, BlockWeights } from '../workloads/sequence/block.js';
import { sdsaBlock } from '../workloads/sequence/blocks/sdsa.js';
import { spikeGptBlock } from '../workloads/sequence/blocks/spikegpt.js';
import { spikformerBlock } from '../workloads/sequence/blocks/spikformer.js';
import type { SpikingBlock } from '../workloads/sequence/blocks/spiking-common.js';
import { StepCounter } from '../workloads/sequence/counter.js';
import { loadTf } from '../workloads/train/tf.js';
import { countTable, decodeAll, maxAbsDiff, randomInputs, weightsFor, blockTensors, inputTensor } from './sequence-helpers.js';

const BLOCKS: readonly SpikingBlock[] = [spikformerBlock, sdsaBlock, spikeGptBlock];

/** A configuration of `block` at width d with `heads` heads and T timesteps (other options: the defaults). */
function cfgOf(block: SpikingBlock, d: number, heads: number, T: number, options: Record<string, number> = {}): BlockConfig {
  const base = block.defaults(d);
  return { ...base, heads, kvHeads: heads, headDim: d / heads, options: { ...base.options, timesteps: T, ...options } };
}

/** The parallel form on the cpu backend (batch 1): outputs per position and, per stage, per step, the [L·N] spikes. */
async function parallelRun(block: SpikingBlock, cfg: BlockConfig, w: BlockWeights, xs: readonly Float32Array[]) {
  const tf = await loadTf('cpu');
  const L = xs.length;
  const tensors = blockTensors(tf, block, cfg, w);
  const out = block.parallelWithSpikes(tf, tensors, inputTensor(tf, xs, cfg.d), cfg);
  const y = (await out.y.data()) as Float32Array;
  const spikes = new Map<string, Float32Array[]>();
  for (const [stage, ts] of out.spikes) spikes.set(stage, await Promise.all(ts.map(async (t) => Float32Array.from(await t.data()))));
  return { ys: Array.from({ length: L }, (_, i) => y.slice(i * cfg.d, (i + 1) * cfg.d)), spikes };
}

/** Runs a fresh decoder over xs: outputs, counts, activity and, per stage, per step, the spikes of all positions [L·N]. */
function decoderRun(block: SpikingBlock, cfg: BlockConfig, w: BlockWeights, xs: readonly Float32Array[]) {
  const counter = new StepCounter();
  const dec = block.decoder(w, cfg, counter);
  const ys: Float32Array[] = [];
  const counts = [];
  const activity = [];
  const perStep: Map<string, readonly Float32Array[]>[] = [];
  for (const x of xs) {
    ys.push(dec.step(x));
    counts.push(counter.take());
    activity.push(dec.activity());
    perStep.push(new Map(dec.trains()));
  }
  const spikes = new Map<string, Float32Array[]>();
  for (const stage of perStep[0].keys()) {
    const T = perStep[0].get(stage)!.length;
    spikes.set(
      stage,
      Array.from({ length: T }, (_, t) => {
        const n = perStep[0].get(stage)![t].length;
        const all = new Float32Array(xs.length * n);
        perStep.forEach((m, i) => all.set(m.get(stage)![t], i * n));
        return all;
      }),
    );
  }
  return { ys, counts, activity, spikes, stores: dec.stores() };
}

const total = (a: Float32Array) => a.reduce((s, v) => s + v, 0);

/**
 * Random weights (weightsFor) with the projections W scaled by 3: at d = 16 and L = 10 the initial
 * weights leave the attention neurons of spikformer and sdsa nearly silent (1–2 % of neuron-steps),
 * which would test little; scaled, every stage fires at 10–35 %. Their W_o starts at zero (a trained
 * block's is not): here it is drawn like W_q (another seed), so that the outputs compared are not all zero.
 */
function lively(block: SpikingBlock, cfg: BlockConfig, seed: number): BlockWeights {
  const w = { ...weightsFor(block, cfg, seed) };
  if (block !== spikeGptBlock) w.wo = weightsFor(block, cfg, seed + 100).wq;
  return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, /^w[qkvor]$/.test(k) ? v.map((x) => 3 * x) : v]));
}

describe.each(BLOCKS.map((b) => [b.id, b] as const))('%s: decoder and parallel form', (_id, block) => {
  it('produce identical spike trains and outputs within 1e-5 (L = 10, T = 4)', async () => {
    const cfg = cfgOf(block, 16, 2, 4);
    block.validate(cfg);
    const w = lively(block, cfg, 5);
    const xs = randomInputs(10, cfg.d, 6, 2);
    const par = await parallelRun(block, cfg, w, xs);
    const dec = decoderRun(block, cfg, w, xs);
    expect([...dec.spikes.keys()].sort()).toEqual([...par.spikes.keys()].sort());
    for (const [stage, steps] of par.spikes) {
      expect(steps.length).toBe(4);
      steps.forEach((s, t) => expect(Array.from(dec.spikes.get(stage)![t]), `${stage} at step ${t}`).toEqual(Array.from(s)));
    }
    // the trains are not trivial: every stage spikes, none everywhere
    for (const [stage, steps] of par.spikes) {
      const fired = steps.reduce((s, a) => s + total(a), 0);
      expect(fired, stage).toBeGreaterThan(0);
      expect(fired, stage).toBeLessThan(steps.length * steps[0].length);
    }
    expect(maxAbsDiff(dec.ys, par.ys)).toBeLessThan(1e-5);
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-computed ledgers: L = 4 tokens, d = 8, 2 heads (dh = 4), T = 2, θ = 1, β = 0.5.
// An input LIF driven by a constant current x spikes
//   x = 1:    τ0 v = 1 ≥ 1 → spike, reset 0;  τ1 v = 0.5·0 + 1 = 1 → spike      (2 spikes)
//   x = 0.75: τ0 v = 0.75;                    τ1 v = 0.375 + 0.75 = 1.125 → spike (1 spike, at τ1)
//   x = 0:    never.
// With W = I and b = 0, a LIF fed by spikes s gets current s: it spikes exactly where s does (1 ≥ 1),
// so Q = K = V = the input spikes.

const d = 8;
const T = 2;
const identity = () => {
  const m = new Float32Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = 1;
  return m;
};
const vec = (vals: Record<number, number>) => {
  const v = new Float32Array(d);
  for (const [i, x] of Object.entries(vals)) v[Number(i)] = x;
  return v;
};
/** Tokens 0–3: spikes of the input LIF per token: {0}×2 · {0,1}×2 + {7} at τ1 · none · {0,1}×2. */
const HAND_X = [vec({ 0: 1 }), vec({ 0: 1, 1: 1, 7: 0.75 }), vec({}), vec({ 0: 1, 1: 1 })];
const qkvoIdentity = (): BlockWeights => ({ wq: identity(), bq: vec({}), wk: identity(), bk: vec({}), wv: identity(), bv: vec({}), wo: identity(), bo: vec({}) });

/** The step at token 3 (L = 3) counted by the decoder and by stepCounts equals `expected`; the stores after it equal `stores`. */
function expectLedger(block: SpikingBlock, cfg: BlockConfig, run: ReturnType<typeof decoderRun>, expected: Record<string, number>, stores: Record<string, [number, number]>) {
  expect(countTable(run.counts[3])).toEqual(expected);
  expect(countTable(block.stepCounts(cfg, 3, run.activity[3]))).toEqual(expected);
  expect(run.stores).toEqual(Object.entries(stores).map(([operand, [words, bits]]) => ({ operand, words, bits })));
}

describe('hand-computed ledgers (L = 4, d = 8, 2 heads, T = 2)', () => {
  it('spikformer: spike KV cache, integer scores on spikes, decayed and normalised per head', () => {
    // scale 0.5, attention threshold 0.5, leak 0.5: head 0 (channels 0–3) weighs the position k back λ0^k = 0.5^k, head 1
    // (channels 4–7) λ1^k = 0.875^k (λ1 = 1 − 0.5/4); the current of a channel of head h is A·0.5/Z_h(n) with the
    // weighted sum A = Σ_j λ^(n−1−j)·score_j·V_j and Z_h(n) = Σ_{k<n} λ^k: Z0 = 1, 1.5, 1.75, 1.875; Z1 = 1, 1.875, …
    // (a neuron that spiked at τ0 restarts from zero at τ1: v = the current again)
    const cfg = cfgOf(spikformerBlock, d, 2, T, { scale: 0.5 });
    const run = decoderRun(spikformerBlock, cfg, qkvoIdentity(), HAND_X);
    // token 0 (n = 1): τ0 and τ1: q = {0}, head 0 scores K_0 = {0}: 1 → A[0] = 1, current 0.5/1 = 0.5 → attention spike {0}
    // token 1 (n = 2): τ0 q = {0,1}: head 0 scores K_1 = {0,1}: 2 (weight 2), K_0 = {0}: 1 (weight 0.5) → A = [2.5, 2],
    //                  current A·0.5/1.5 = [0.83, 0.67] → {0,1}
    //                  τ1 q = {0,1,7}: head 0 as τ0; head 1 (q = {7}) scores K_1 = {7}: 1 → A[7] = 1, current
    //                  0.5/1.875 = 0.27 < 0.5 (its membrane was 0 at τ0) → no spike: {0,1}
    // token 2: no input spikes, so no Q/K/V spikes: nothing attends (K_2, V_2 are empty rows of the cache)
    // token 3 (n = 4): q = {0,1} at both steps; head 0 scores K_3: 2 (weight 2), K_2: 0, K_1: 2 (weight 2·0.25), K_0: 1
    //                  (weight 0.125) → 3 attended positions per step, value ACs 2 + 2 + 1 = 5 per step,
    //                  A = [2.625, 2.5], current A·0.5/1.875 = [0.7, 0.67] → {0,1}
    expect(run.activity).toEqual([
      { inputSpikes: 2, qSpikes: 2, kSpikes: 2, vSpikes: 2, attnSpikes: 2, activeHeads: 2, attendedPositions: 2, valueAcs: 2 },
      { inputSpikes: 5, qSpikes: 5, kSpikes: 5, vSpikes: 5, attnSpikes: 4, activeHeads: 3, attendedPositions: 2 + 2 + 1, valueAcs: 3 + 3 + 1 },
      { inputSpikes: 0, qSpikes: 0, kSpikes: 0, vSpikes: 0, attnSpikes: 0, activeHeads: 0, attendedPositions: 0, valueAcs: 0 },
      { inputSpikes: 4, qSpikes: 4, kSpikes: 4, vSpikes: 4, attnSpikes: 4, activeHeads: 2, attendedPositions: 6, valueAcs: 10 },
    ]);
    // y = mean over τ of the attention spikes (W_o = I)
    expect(Array.from(run.ys[1])).toEqual(Array.from(vec({ 0: 1, 1: 1 })));
    expect(Array.from(run.ys[2])).toEqual(Array.from(vec({})));
    expect(Array.from(run.ys[3])).toEqual(Array.from(vec({ 0: 1, 1: 1 })));
    // the step at token 3 (L = 3 in context, n = 4 positions): sx = sq = sa = 4
    const expected = {
      'ac/fp32/projection': 3 * 4 * d + 4 * d, // Q, K, V: 4 input spikes × 8 targets each; W_o: 4 attention spikes × 8
      'ac/int32/score': 4 * 4, // 4 query spikes × 4 positions
      'ac/fp32/value': 10, // the weighted score added per value spike
      'mul/fp32/decay': 2 * 3 + 6, // per active (step, head) the running λ^k over 3 positions back; a score × λ^k per attended position
      'mul/fp32/attn-norm': 2, // Z_h ← λ_h·Z_h + 1 and the factor 0.5/Z_h, once per token per head
      'add/fp32/attn-norm': 2,
      'div/fp32/attn-norm': 2,
      'mul/fp32/leak': 5 * d * T, // input, Q, K, V, attention LIFs: 8 neurons × 2 steps each
      'add/fp32/integrate': 5 * d * T,
      'cmp/fp32/threshold': 5 * d * T,
      'add/fp32/bias': 3 * d * T + d, // Q, K, V biases every step; the output bias once
      'mul/fp32/attn-scale': d * T,
      'add/fp32/readout': d * T,
      'mul/fp32/readout': d,
      'weight/read/32': 3 * 4 * d + 4 * d, // a weight row per spike
      'bias/read/32': 3 * d * T + d,
      'potential/read/32': 5 * d * T,
      'potential/write/32': 5 * d * T,
      'input/read/32': 5 * d * T, // each LIF's current
      'input/read/1': 4 * d * T + d * T, // the spike inputs of Q, K, V, W_o; the query
      'output/write/1': 5 * d * T, // the spikes of the 5 LIFs
      'output/write/32': 4 * d * T + d, // currents of Q, K, V, W_o; the block output
      'kv/write/1': 2 * d * T, // K and V bits appended per step
      'kv/read/1': 2 * 4 * 4 + 6 * 4, // 2 active (step, head) × 4 keys × 4 bits; 6 attended values × 4 bits
      'state/read/32': 2, // the 2 heads' normalisers Z_h
      'state/write/32': 2,
    };
    expectLedger(spikformerBlock, cfg, run, expected, { weight: [4 * d * d + 4 * d, 32], potential: [5 * d, 32], kv: [2 * T * 4 * d, 1], state: [2, 32] });
  });

  it('sdsa: Hadamard masks and the running column sum', () => {
    const cfg = cfgOf(sdsaBlock, d, 2, T);
    const run = decoderRun(sdsaBlock, cfg, qkvoIdentity(), HAND_X);
    // K ⊗ V = the input spikes; the column sum C[τ] leaks by λ per token — channels 0–3 (head 0) λ = 0.5,
    // channels 4–7 (head 1) λ = 1 − 0.5/4 = 0.875 — and adds them per channel; S = LIF_0.5(C) spikes where C ≥ 0.5
    // (the LIF starts from zero each token and resets on a spike, so at each step v = C[τ] for a neuron that fired)
    // token 0: C = [1] at both steps → S = {0}, O = Q ⊗ S = {0}
    // token 1: C τ0 = [0.5 + 1, 1], τ1 = [1.5, 1, …, C7 = 1] → S = {0,1}, {0,1,7}; O = Q ⊗ S = the same
    // token 2: no new spikes, C leaks: τ0 [0.75, 0.5], τ1 [0.75, 0.5, …, C7 = 0.875] → S still spikes (5 spikes), but Q = ∅ so O = ∅
    // token 3: 2 coincidences per step: C = [1.375, 1.25] (+ C7 = 0.765625 at τ1); S = {0,1}, {0,1,7}; O = {0,1} at both steps
    expect(run.activity).toEqual([
      { inputSpikes: 2, qSpikes: 2, kSpikes: 2, vSpikes: 2, kvSpikes: 2, snSpikes: 2, outSpikes: 2 },
      { inputSpikes: 5, qSpikes: 5, kSpikes: 5, vSpikes: 5, kvSpikes: 5, snSpikes: 5, outSpikes: 5 },
      { inputSpikes: 0, qSpikes: 0, kSpikes: 0, vSpikes: 0, kvSpikes: 0, snSpikes: 5, outSpikes: 0 },
      { inputSpikes: 4, qSpikes: 4, kSpikes: 4, vSpikes: 4, kvSpikes: 4, snSpikes: 5, outSpikes: 4 },
    ]);
    expect(Array.from(run.ys[1])).toEqual(Array.from(vec({ 0: 1, 1: 1, 7: 0.5 })));
    expect(Array.from(run.ys[2])).toEqual(Array.from(vec({})));
    expect(Array.from(run.ys[3])).toEqual(Array.from(vec({ 0: 1, 1: 1 })));
    const expected = {
      'ac/fp32/projection': 3 * 4 * d + 4 * d, // Q, K, V: 4 input spikes × 8; W_o: 4 spikes of O × 8
      'mul/int1/mask': 2 * d * T, // K ⊗ V and Q ⊗ S, 8 bits each, per step
      'mul/fp32/decay': d * T, // C ← λ·C, every channel every step
      'add/fp32/state': 4, // one increment per K–V coincidence
      'mul/fp32/leak': 5 * d * T, // input, Q, K, V, S
      'add/fp32/integrate': 5 * d * T,
      'cmp/fp32/threshold': 5 * d * T,
      'add/fp32/bias': 3 * d * T + d,
      'add/fp32/readout': d * T,
      'mul/fp32/readout': d,
      'weight/read/32': 3 * 4 * d + 4 * d,
      'bias/read/32': 3 * d * T + d,
      'potential/read/32': 5 * d * T,
      'potential/write/32': 5 * d * T,
      'state/read/32': d * T, // C[τ] read once per step (it is also S's current) …
      'state/write/32': d * T, // … and written once
      'input/read/32': 4 * d * T, // currents of the input, Q, K, V LIFs
      'input/read/1': 3 * d * T + 4 * d * T + d * T, // Q/K/V inputs; K, V, Q, S for the masks; O into W_o
      'output/write/1': 5 * d * T + d * T, // LIF spikes and O
      'output/write/32': 4 * d * T + d,
    };
    expectLedger(sdsaBlock, cfg, run, expected, { weight: [4 * d * d + 4 * d, 32], potential: [5 * d, 32], state: [T * d, 32] });
  });

  it('spikegpt: token shift, spiking R/K/V, the WKV recurrence and a MAC output projection', () => {
    const cfg = cfgOf(spikeGptBlock, d, 2, T);
    // μ_k = μ_r = 1 (the current token), μ_v = 0 (the previous one); W = I; decay 0 (w = e⁰ = 1), u = 0
    const w: BlockWeights = { mixK: vec({}).fill(1), mixV: vec({}), mixR: vec({}).fill(1), wk: identity(), wv: identity(), wr: identity(), wo: identity(), decay: vec({}), first: vec({}) };
    const xs = [vec({ 0: 1, 1: 0.75 }), vec({ 1: 1, 2: 1 }), vec({}), vec({ 0: 1, 1: 1, 2: 1, 3: 1 })];
    const run = decoderRun(spikeGptBlock, cfg, w, xs);
    // K and R spike on x_t: 2 + 1, 2 + 2, 0, 4 × 2; V spikes on x_{t−1}: 0, 3, 4, 0
    expect(run.activity).toEqual([
      { kSpikes: 3, vSpikes: 0, rSpikes: 3 },
      { kSpikes: 4, vSpikes: 3, rSpikes: 4 },
      { kSpikes: 0, vSpikes: 4, rSpikes: 0 },
      { kSpikes: 8, vSpikes: 0, rSpikes: 8 },
    ]);
    // the rate-decoded projections: spike count / T per channel; wkv as a softmax over j ≤ t of
    // e_{t,j} = k_j − (t−1−j)·w (j < t), u + k_t (j = t); y = σ(r) ⊙ wkv (W_o = I)
    const rate = (x: Float32Array) => Array.from(x, (v) => (v >= 1 ? 1 : v >= 0.75 ? 0.5 : 0));
    const ks = xs.map(rate);
    const vs = [new Array(d).fill(0), ...xs.slice(0, 3).map(rate)];
    xs.forEach((_, t) => {
      for (let c = 0; c < d; c++) {
        const e = Array.from({ length: t + 1 }, (_, j) => (j < t ? ks[j][c] - (t - 1 - j) : ks[t][c]));
        const wkv = e.reduce((s, ej, j) => s + Math.exp(ej) * vs[j][c], 0) / e.reduce((s, ej) => s + Math.exp(ej), 0);
        expect(run.ys[t][c]).toBeCloseTo(wkv / (1 + Math.exp(-ks[t][c])), 6);
      }
    });
    const expected = {
      'ac/fp32/projection': (8 + 0 + 8) * d, // K, V, R: spikes × 8 targets
      'mac/fp32/projection': d * d, // W_o: its input σ(r) ⊙ wkv is real
      'add/fp32/token-shift': d, // x_t − x_{t−1}
      'mac/fp32/token-shift': 3 * d, // x_{t−1} + μ ⊙ (x_t − x_{t−1}) for k, v, r
      'mul/fp32/leak': 3 * d * T, // the k, v, r input LIFs
      'add/fp32/integrate': 3 * d * T,
      'cmp/fp32/threshold': 3 * d * T,
      'add/fp32/readout': 3 * d * T,
      'mul/fp32/readout': 3 * d,
      'exp/fp32/wkv': 4 * d, // 2 for the output, 2 for the state update, per channel
      'add/fp32/wkv': 6 * d,
      'cmp/fp32/wkv': 2 * d,
      'mul/fp32/wkv': 2 * d,
      'mac/fp32/wkv': 4 * d,
      'div/fp32/wkv': d,
      'exp/fp32/gate': d, // σ(r)
      'add/fp32/gate': d,
      'div/fp32/gate': d,
      'mul/fp32/gate': d, // σ(r) ⊙ wkv
      'weight/read/32': 16 * d + d * d + 3 * d + 2 * d, // weight rows per spike, W_o, μ, (u, w)
      'state/read/32': d + 3 * d, // x_{t−1}; a, b, p
      'state/write/32': d + 3 * d,
      'potential/read/32': 3 * d * T,
      'potential/write/32': 3 * d * T,
      'input/read/32': d + 3 * d * T + d, // x_t; the LIF currents; W_o's input
      'input/read/1': 3 * d * T,
      'output/write/1': 3 * d * T,
      'output/write/32': 3 * d * T + d,
    };
    expectLedger(spikeGptBlock, cfg, run, expected, { weight: [4 * d * d + 5 * d, 32], potential: [3 * d, 32], state: [4 * d, 32] });
  });
});

describe.each(BLOCKS.map((b) => [b.id, b] as const))('%s: counts', (_id, block) => {
  it('stepCounts equals the counted decoder at every position of a 10-token run, and storesAt its stores', () => {
    const cfg = cfgOf(block, 16, 2, 3);
    const w = lively(block, cfg, 8);
    const run = decodeAll(block, cfg, w, randomInputs(10, cfg.d, 9, 2));
    run.counts.forEach((c, L) => expect(countTable(block.stepCounts(cfg, L, run.activity[L])), `position ${L}`).toEqual(countTable(c)));
    const counter = new StepCounter();
    const dec = block.decoder(w, cfg, counter);
    randomInputs(10, cfg.d, 9, 2).forEach((x) => dec.step(x));
    expect(dec.stores()).toEqual(block.storesAt(cfg, 9));
  });

  it('does synaptic work per spike: ACs are spikes × fan-out, and zero input costs no synaptic AC', () => {
    const cfg = cfgOf(block, 16, 2, 4);
    const w = lively(block, cfg, 10);
    // the spikes that drive each synaptic layer (input of Q/K/V, of W_o; spikegpt: the k, v, r inputs)
    const driving: Record<string, (spikes: Map<string, Float32Array[]>) => number> = {
      spikformer: (s) => 3 * s.get('input')!.reduce((a, x) => a + total(x), 0) + s.get('attn')!.reduce((a, x) => a + total(x), 0),
      sdsa: (s) => 3 * s.get('input')!.reduce((a, x) => a + total(x), 0) + s.get('out')!.reduce((a, x) => a + total(x), 0),
      spikegpt: (s) => ['k', 'v', 'r'].reduce((a, k) => a + s.get(k)!.reduce((b, x) => b + total(x), 0), 0),
    };
    const acsOf = (scale: number) => {
      const run = decoderRun(block, cfg, w, randomInputs(6, cfg.d, 11, scale));
      const acs = run.counts.reduce((a, c) => a + (countTable(c)['ac/fp32/projection'] ?? 0), 0);
      return { acs, spikes: driving[block.id](run.spikes), macs: run.counts.map((c) => countTable(c)['mac/fp32/projection'] ?? 0) };
    };
    const low = acsOf(1);
    const high = acsOf(3);
    expect(low.spikes).toBeGreaterThan(0);
    expect(high.spikes).toBeGreaterThan(low.spikes);
    expect(low.acs).toBe(low.spikes * cfg.d);
    expect(high.acs).toBe(high.spikes * cfg.d);
    const zero = acsOf(0);
    expect(zero.acs).toBe(0);
    expect(zero.spikes).toBe(0);
    // only spikegpt has a MAC layer: W_o, whose input σ(r) ⊙ wkv is real, d² MACs whatever the spikes
    expect(zero.macs).toEqual(new Array(6).fill(block.id === 'spikegpt' ? cfg.d * cfg.d : 0));
  });
});

describe('configuration errors', () => {
  const bad: [SpikingBlock, (c: BlockConfig) => BlockConfig, RegExp][] = [
    [spikformerBlock, (c) => ({ ...c, options: { ...c.options, timesteps: 0 } }), /spikformer: options\.timesteps must be a positive integer, got 0/],
    [spikformerBlock, (c) => ({ ...c, options: { ...c.options, scale: -1 } }), /spikformer: options\.scale must be a positive number/],
    [spikformerBlock, (c) => ({ ...c, heads: 3, headDim: 16 / 3 }), /spikformer: heads \(3\) must divide d \(16\)/],
    [spikformerBlock, (c) => ({ ...c, kvHeads: 1 }), /spikformer: kvHeads must equal heads/],
    [sdsaBlock, (c) => ({ ...c, options: { ...c.options, decay: 1.5 } }), /sdsa: options\.decay \(membrane decay β\) must be in \(0, 1\]/],
    [sdsaBlock, (c) => ({ ...c, options: { ...c.options, attnThreshold: 0 } }), /sdsa: options\.attnThreshold must be a positive number/],
    [sdsaBlock, (c) => ({ ...c, headDim: 4 }), /sdsa: headDim must be d \/ heads = 8/],
    [spikeGptBlock, (c) => ({ ...c, options: { ...c.options, threshold: 0 } }), /spikegpt: options\.threshold must be a positive number, got 0/],
    [spikeGptBlock, (c) => ({ ...c, options: { ...c.options, scale: 0.125 } }), /spikegpt: options\.scale is not an option of spikegpt/],
    [spikeGptBlock, (c) => ({ ...c, d: 0 }), /spikegpt: d must be a positive integer/],
  ];
  it.each(bad.map(([b, f, re], i) => [i, b, f, re] as const))('case %i is refused with an InputError naming the field', (_i, block, change, re) => {
    const cfg = cfgOf(block, 16, 2, 4);
    expect(() => block.validate(cfg)).not.toThrow();
    expect(() => block.validate(change(cfg))).toThrow(InputError);
    expect(() => block.validate(change(cfg))).toThrow(re);
  });

  it('stepCounts refuses an activity without the spike counts it needs', () => {
    const cfg = cfgOf(spikformerBlock, 16, 2, 4);
    expect(() => spikformerBlock.stepCounts(cfg, 3, {})).toThrow(/spikformer: stepCounts needs the activity "inputSpikes"/);
  });
});
