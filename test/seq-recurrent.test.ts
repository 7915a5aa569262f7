// The recurrent sequence blocks (workloads/sequence/blocks/linear.ts, gla.ts, mamba.ts, mamba2.ts): their counted
// per-token decoders against their tfjs parallel forms, hand-computed ledgers of tiny instances, the
// closed-form ledgers against the counted decoders (and their independence of L), the custom scan
// ops' gradients, and validation.
import type { Tensor } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import type { BlockConfig, BlockWeights, SequenceBlock } from '../workloads/sequence/block.js';
import { glaBlock, diagonalScan } from '../workloads/sequence/blocks/gla.js';
import { linearAttentionBlock } from '../workloads/sequence/blocks/linear.js';
import { mambaBlock, selectiveScan } from '../workloads/sequence/blocks/mamba.js';
import { mamba2Block } from '../workloads/sequence/blocks/mamba2.js';
import { StepCounter } from '../workloads/sequence/counter.js';
import { loadTf } from '../workloads/train/tf.js';
import { countTable, decodeAll, maxAbsDiff, parallelOutputs, randomInputs, weightsFor } from './sequence-helpers.js';

const BLOCKS: readonly SequenceBlock[] = [linearAttentionBlock, glaBlock, mambaBlock, mamba2Block];

/** Every parameter moved by up to ±0.2 (gains, biases and zero-initialised parameters included), so that a misplaced one shows. */
function jittered(block: SequenceBlock, cfg: BlockConfig, seed: number): BlockWeights {
  const w = weightsFor(block, cfg, seed);
  const rng = createRng(seed, 3);
  return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, v.map((x) => Math.fround(x + 0.4 * (rng.next() - 0.5)))]));
}

describe.each(BLOCKS.map((b) => [b.id, b] as const))('%s: recurrent and parallel forms', (_id, block) => {
  it('give the same outputs (counted decoder vs trainForward, L = 16)', async () => {
    const cfg = block.defaults(16);
    block.validate(cfg);
    const w = jittered(block, cfg, 5);
    const xs = randomInputs(16, cfg.d, 9);
    const { ys } = decodeAll(block, cfg, w, xs);
    const ref = await parallelOutputs(block, cfg, w, xs);
    expect(maxAbsDiff(ys, ref)).toBeLessThan(1e-5);
    expect(Math.max(...ys.map((y) => Math.max(...y.map(Math.abs))))).toBeGreaterThan(0.05); // not trivially zero
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-computed ledgers of tiny instances: one decode step at position 4 (after 4 tokens).

function ledgerAtPosition4(block: SequenceBlock, cfg: BlockConfig) {
  block.validate(cfg);
  const { counts } = decodeAll(block, cfg, jittered(block, cfg, 2), randomInputs(5, cfg.d, 4));
  return { closed: countTable(block.stepCounts(cfg, 4, {})), counted: countTable(counts[4]) };
}

describe('hand-computed ledgers of one decode step', () => {
  it('linear attention, d = 8, 2 heads of 4', () => {
    const cfg: BlockConfig = { d: 8, heads: 2, kvHeads: 2, headDim: 4, options: {} };
    // P = H·dk = 8
    const expected = {
      'mac/fp32/projection': 4 * 8 * 8, // Wq, Wk, Wv [8, 8] and Wo [8, 8]
      'cmp/fp32/feature-map': 2 * 8, // φ of q and k: sign test
      'exp/fp32/feature-map': 2 * 8, // exp(min(x, 0))
      'add/fp32/feature-map': 2 * 8, // + max(x, 0)
      'mac/fp32/state-update': 2 * 4 * 4, // S += φ(k)vᵀ per head
      'add/fp32/state-update': 2 * 4, // z += φ(k)
      'mac/fp32/state-read': 2 * 4 * 4, // φ(q)ᵀS
      'mac/fp32/normalizer': 2 * 4, // φ(q)ᵀz
      'add/fp32/normalizer': 2, // + ε per head
      'div/fp32/normalizer': 2, // 1 / (φ(q)ᵀz + ε) per head
      'mul/fp32/normalizer': 2 * 4, // y scaled
      'weight/read/32': 4 * 8 * 8,
      'input/read/32': 3 * 8 + 8, // x for Wq, Wk, Wv; y for Wo
      'output/write/32': 3 * 8 + 8, // q, k, v; out
      'state/read/32': 2 * (4 * 4 + 4), // S and z per head
      'state/write/32': 2 * (4 * 4 + 4),
    };
    const { closed, counted } = ledgerAtPosition4(linearAttentionBlock, cfg);
    expect(closed).toEqual(expected);
    expect(counted).toEqual(expected);
    expect(linearAttentionBlock.storesAt(cfg, 4)).toEqual([
      { operand: 'weight', words: 4 * 8 * 8, bits: 32 },
      { operand: 'state', words: 2 * (4 * 4 + 4), bits: 32 },
    ]);
  });

  it('GLA, d = 8, 2 heads (dv = 4, dk = 2), gate rank 2, norm and output gate', () => {
    const cfg: BlockConfig = { d: 8, heads: 2, kvHeads: 2, headDim: 4, options: { expandK: 0.5, rank: 2, tau: 16, norm: 1, gate: 1 } };
    // K = H·dk = 4, V = H·dv = 8, r = 2
    const expected = {
      'mac/fp32/projection': 8 * 4 + 8 * 4 + 8 * 8 + 8 * 8, // Wq [8,4], Wk [8,4], Wv [8,8], Wo [8,8]
      'mac/fp32/decay-gate': 8 * 2 + 2 * 4, // Wα1 [8,2], Wα2 [2,4]
      'add/fp32/bias': 4, // + bα
      'exp/fp32/decay-gate': 4 + 4, // log σ (1 EXP each) and α = exp(log σ / τ)
      'log/fp32/decay-gate': 4, // log σ
      'add/fp32/decay-gate': 2 * 4, // log σ: 2 adds each
      'cmp/fp32/decay-gate': 4, // log σ: branch
      'mul/fp32/decay-gate': 4, // · 1/τ
      'mul/fp32/scale': 4, // q / √dk
      'mul/fp32/state-decay': 2 * 2 * 4, // Diag(α)·S per head
      'mac/fp32/state-update': 2 * 2 * 4, // + k vᵀ
      'mac/fp32/state-read': 2 * 2 * 4, // qᵀS
      'mac/fp32/norm': 2 * 4, // Σ o² per head
      'add/fp32/norm': 2, // + ε per head
      'div/fp32/norm': 2, // 1/√· per head
      'mul/fp32/norm': 2 * 2 * 4, // o · inv · g
      'mac/fp32/output-gate': 8 * 8, // Wr [8, 8]
      'exp/fp32/output-gate': 8, // SiLU: σ
      'add/fp32/output-gate': 8,
      'div/fp32/output-gate': 8,
      'mul/fp32/output-gate': 8 + 8, // SiLU's x·σ(x), then o ⊙ gate
      'weight/read/32': 8 * 4 + 8 * 4 + 8 * 8 + 8 * 8 + 8 * 2 + 2 * 4 + 4 + 8 * 8, // …, norm gains [4], Wr
      'bias/read/32': 4,
      'input/read/32': 5 * 8 + 2 + 8, // x for Wq, Wk, Wv, Wα1, Wr; the rank-2 vector for Wα2; o for Wo
      'output/write/32': 4 + 4 + 8 + 2 + 4 + 8 + 8, // q, k, v, Wα1, α, gate, out
      'state/read/32': 2 * 2 * 4,
      'state/write/32': 2 * 2 * 4,
    };
    const { closed, counted } = ledgerAtPosition4(glaBlock, cfg);
    expect(closed).toEqual(expected);
    expect(counted).toEqual(expected);
    expect(glaBlock.storesAt(cfg, 4)).toEqual([
      { operand: 'weight', words: 8 * 4 + 8 * 4 + 8 * 8 + 8 * 2 + 2 * 4 + 4 + 4 + 8 * 8 + 8 * 8, bits: 32 }, // Wq Wk Wv Wα1 Wα2 bα gains Wr Wo
      { operand: 'state', words: 2 * 2 * 4, bits: 32 },
    ]);
  });

  it('Mamba, d = 8, N = 4, E = 2, d_conv = 4, R = 1', () => {
    const cfg: BlockConfig = { d: 8, heads: 1, kvHeads: 1, headDim: 16, options: { N: 4, dConv: 4, expand: 2, dtRank: 1 } };
    // I = E·d = 16
    const expected = {
      'mac/fp32/projection': 8 * 32 + 16 * (1 + 2 * 4) + 1 * 16 + 16 * 8, // in_proj [8,32], x_proj [16,9], dt_proj [1,16], out_proj [16,8]
      'add/fp32/bias': 16 + 16, // conv bias, dt bias
      'mac/fp32/conv': 16 * 4, // depthwise, width 4
      'exp/fp32/activation': 16, // SiLU after the conv
      'add/fp32/activation': 16,
      'div/fp32/activation': 16,
      'mul/fp32/activation': 16,
      'exp/fp32/softplus': 16, // Δ = softplus(·)
      'log/fp32/softplus': 16,
      'add/fp32/softplus': 16,
      'mul/fp32/discretize': 16 * 4 + 16, // Δ⊗A, Δ⊙x
      'exp/fp32/discretize': 16 * 4, // Ā = exp(ΔA): Ed·N EXP
      'mul/fp32/state-decay': 16 * 4, // Ā ⊙ h
      'mac/fp32/state-update': 16 * 4, // + (Δx)⊗B
      'mac/fp32/state-read': 16 * 4, // h·C
      'mac/fp32/skip': 16, // + D⊙x
      'exp/fp32/output-gate': 16, // SiLU(z)
      'add/fp32/output-gate': 16,
      'div/fp32/output-gate': 16,
      'mul/fp32/output-gate': 16 + 16, // SiLU's x·σ(x), then y ⊙ gate
      'weight/read/32': 8 * 32 + 16 * 4 + 16 * 9 + 1 * 16 + 16 * 4 + 16 + 16 * 8, // in_proj, conv, x_proj, dt_proj, A, D, out_proj
      'bias/read/32': 16 + 16,
      'input/read/32': 8 + 16 + 1 + 16, // u, x, δ, y into the four projections
      'output/write/32': 32 + 9 + 16 + 8, // [x, z], [δ, B, C], Δ, out
      'state/read/32': 16 * 4 + 16 * 3, // h, and the conv's 3 previous inputs
      'state/write/32': 16 * 4 + 16, // h, and the new input into the conv ring
    };
    const { closed, counted } = ledgerAtPosition4(mambaBlock, cfg);
    expect(closed).toEqual(expected);
    expect(counted).toEqual(expected);
    expect(mambaBlock.storesAt(cfg, 4)).toEqual([
      { operand: 'weight', words: 8 * 32 + 16 * 4 + 16 + 16 * 9 + 1 * 16 + 16 + 16 * 4 + 16 + 16 * 8, bits: 32 }, // in_proj, conv w+b, x_proj, dt_proj w+b, A_log, D, out_proj
      { operand: 'state', words: 16 * 4, bits: 32 },
      { operand: 'state', words: 16 * 3, bits: 32 },
    ]);
  });

  it('Mamba-2, d = 8, N = 4, P = 4, E = 2, d_conv = 4, 2 groups', () => {
    const cfg: BlockConfig = { d: 8, heads: 1, kvHeads: 1, headDim: 16, options: { N: 4, P: 4, expand: 2, dConv: 4, groups: 2 } };
    // I = 16, H = 16/4 = 4 heads, conv channels Ch = 16 + 2·2·4 = 32, in_proj width W = 2·16 + 2·2·4 + 4 = 52
    const expected = {
      'mac/fp32/projection': 8 * 52 + 16 * 8, // in_proj [8, 52] → z, x, B, C, δ; out_proj [16, 8]
      'add/fp32/bias': 32 + 4, // conv bias per channel; + b_dt per head
      'mac/fp32/conv': 32 * 4, // depthwise over x, B and C, width 4
      'exp/fp32/activation': 32, // SiLU after the conv
      'add/fp32/activation': 32,
      'div/fp32/activation': 32,
      'mul/fp32/activation': 32,
      'exp/fp32/softplus': 4, // Δ per head
      'log/fp32/softplus': 4,
      'add/fp32/softplus': 4,
      'mul/fp32/discretize': 4 + 16, // Δ_h·A_h per head; Δ_h·x per channel
      'exp/fp32/discretize': 4, // exp(Δ_h·A_h): one per head, not per state
      'mul/fp32/state-decay': 16 * 4, // every one of H·P·N = 64 states decays
      'mac/fp32/state-update': 16 * 4, // + (Δx)·B_g[n]
      'mac/fp32/state-read': 16 * 4, // Σ_n h·C_g[n]
      'mac/fp32/skip': 16, // + D_h·x
      'exp/fp32/output-gate': 16, // SiLU(z)
      'add/fp32/output-gate': 16,
      'div/fp32/output-gate': 16,
      'mul/fp32/output-gate': 16 + 16, // SiLU's x·σ(x), then y ⊙ SiLU(z)
      'mac/fp32/norm': 16, // Σ y² over each group of 8
      'add/fp32/norm': 2, // + ε per group
      'div/fp32/norm': 2, // 1/√· per group
      'mul/fp32/norm': 2 * 16, // y·inv·w_norm
      'weight/read/32': 8 * 52 + 32 * 4 + 4 + 4 + 16 + 16 * 8, // in_proj, conv, A, D, w_norm, out_proj
      'bias/read/32': 32 + 4, // conv bias, b_dt
      'input/read/32': 8 + 16, // u into in_proj, y into out_proj
      'output/write/32': 52 + 8, // zxbcdt, out
      'state/read/32': 16 * 4 + 32 * 3, // the SSM state, and the conv's 3 previous inputs of 32 channels
      'state/write/32': 16 * 4 + 32, // the SSM state, the new input into the conv ring
    };
    const { closed, counted } = ledgerAtPosition4(mamba2Block, cfg);
    expect(closed).toEqual(expected);
    expect(counted).toEqual(expected);
    expect(mamba2Block.storesAt(cfg, 4)).toEqual([
      { operand: 'weight', words: 8 * 52 + 32 * 4 + 32 + 4 + 4 + 4 + 16 + 16 * 8, bits: 32 }, // in_proj, conv w+b, b_dt, A_log, D, w_norm, out_proj
      { operand: 'state', words: 4 * 4 * 4, bits: 32 }, // H·P·N
      { operand: 'state', words: 32 * 3, bits: 32 },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe.each(BLOCKS.map((b) => [b.id, b] as const))('%s: closed-form ledger', (_id, block) => {
  it('equals the counted decoder at every position of a 16-token run', () => {
    const cfg = block.defaults(16);
    const { counts, activity } = decodeAll(block, cfg, jittered(block, cfg, 7), randomInputs(16, cfg.d, 8));
    counts.forEach((c, t) => expect(countTable(c), `position ${t}`).toEqual(countTable(block.stepCounts(cfg, t, activity[t]))));
  });

  it('is the same at L = 4 and L = 4096, and so are the stores (the state does not grow with L)', () => {
    const cfg = block.defaults(64);
    expect(countTable(block.stepCounts(cfg, 4096, {}))).toEqual(countTable(block.stepCounts(cfg, 4, {})));
    expect(block.storesAt(cfg, 4096)).toEqual(block.storesAt(cfg, 4));
  });

  it("gives the decoder's stores, whose weight store holds every parameter", () => {
    const cfg = block.defaults(16);
    const w = jittered(block, cfg, 1);
    const xs = randomInputs(6, cfg.d, 2);
    const dec = block.decoder(w, cfg, new StepCounter());
    for (const x of xs) dec.step(x);
    expect(dec.stores()).toEqual(block.storesAt(cfg, 6));
    const params = block.params(cfg).reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
    expect(block.storesAt(cfg, 6).filter((s) => s.operand === 'weight').reduce((s, x) => s + x.words, 0)).toBe(params);
  });
});

// ---------------------------------------------------------------------------------------------

describe('GLA with α forced to 1', () => {
  it('equals un-normalized causal linear attention without a feature map, y_t = Wo·Σ_{s≤t} (q_t·k_s/√dk) v_s', async () => {
    const cfg: BlockConfig = { d: 8, heads: 2, kvHeads: 2, headDim: 4, options: { expandK: 0.5, rank: 2, tau: 16, norm: 0, gate: 0 } };
    glaBlock.validate(cfg);
    const w: Record<string, Float32Array> = { ...weightsFor(glaBlock, cfg, 3), ba: new Float32Array(4).fill(40) }; // σ(40)^{1/16} = 1 in float32
    const L = 12;
    const xs = randomInputs(L, 8, 6);
    const proj = (x: Float32Array, m: Float32Array, out: number) => Array.from({ length: out }, (_, j) => x.reduce((s, xi, i) => s + xi * m[i * out + j], 0));
    const q = xs.map((x) => proj(x, w.wq, 4));
    const k = xs.map((x) => proj(x, w.wk, 4));
    const v = xs.map((x) => proj(x, w.wv, 8));
    const direct = xs.map((_, t) => {
      const o = new Float32Array(8);
      for (let h = 0; h < 2; h++)
        for (let s = 0; s <= t; s++) {
          const score = (q[t][2 * h] * k[s][2 * h] + q[t][2 * h + 1] * k[s][2 * h + 1]) / Math.sqrt(2);
          for (let j = 0; j < 4; j++) o[4 * h + j] += score * v[s][4 * h + j];
        }
      return Float32Array.from(proj(o, w.wo, 8));
    });
    const scale = Math.max(...direct.map((y) => Math.max(...y.map(Math.abs))));
    expect(scale).toBeGreaterThan(0.1);
    expect(maxAbsDiff(decodeAll(glaBlock, cfg, w, xs).ys, direct) / scale).toBeLessThan(1e-5);
    expect(maxAbsDiff(await parallelOutputs(glaBlock, cfg, w, xs), direct) / scale).toBeLessThan(1e-5);
  });
});

describe('Mamba-2 against the paper\'s recurrence written out in float64', () => {
  it('2 groups, 4 heads: decoder and parallel form equal y = W_out·RMSNorm_g((Σ_n h·C_g + D_h·x) ⊙ SiLU(z))', async () => {
    const cfg: BlockConfig = { d: 8, heads: 1, kvHeads: 1, headDim: 16, options: { N: 3, P: 4, expand: 2, dConv: 3, groups: 2 } };
    mamba2Block.validate(cfg);
    const w = jittered(mamba2Block, cfg, 21);
    const [d, I, N, P, H, G, dc] = [8, 16, 3, 4, 4, 2, 3];
    const Ch = I + 2 * G * N;
    const W = 2 * I + 2 * G * N + H;
    const xs = randomInputs(10, d, 22);
    const silu = (v: number) => v / (1 + Math.exp(-v));
    const hist: number[][] = []; // raw [x, B, C] of every step
    const h = new Float64Array(H * P * N);
    const direct = xs.map((u) => {
      const zx = Array.from({ length: W }, (_, j) => u.reduce((s, ui, i) => s + ui * w.in_proj[i * W + j], 0));
      const z = zx.slice(0, I); // order [z, x, B, C, δ]
      hist.push(zx.slice(I, I + Ch));
      const t = hist.length - 1;
      const xbc = Array.from({ length: Ch }, (_, e) => {
        let acc = w.conv_b[e];
        for (let j = 0; j < dc; j++) {
          const s = t - (dc - 1) + j;
          if (s >= 0) acc += w.conv_w[j * Ch + e] * hist[s][e];
        }
        return silu(acc);
      });
      const y = new Float64Array(I);
      for (let hd = 0; hd < H; hd++) {
        const g = Math.floor(hd / (H / G)); // heads 0, 1 → group 0; 2, 3 → group 1
        const dt = Math.log1p(Math.exp(zx[I + Ch + hd] + w.dt_bias[hd]));
        const decay = Math.exp(-dt * Math.exp(w.A_log[hd]));
        for (let p = 0; p < P; p++) {
          const e = hd * P + p;
          for (let n = 0; n < N; n++) {
            const k = e * N + n;
            h[k] = decay * h[k] + dt * xbc[e] * xbc[I + g * N + n];
            y[e] += h[k] * xbc[I + G * N + g * N + n];
          }
          y[e] = (y[e] + w.D[hd] * xbc[e]) * silu(z[e]);
        }
      }
      for (let g = 0; g < G; g++) {
        const part = y.subarray(g * (I / G), (g + 1) * (I / G));
        const inv = 1 / Math.sqrt(part.reduce((s, v) => s + v * v, 0) / part.length + 1e-5);
        part.forEach((v, i) => (part[i] = v * inv * w.norm_w[g * (I / G) + i]));
      }
      return Float32Array.from({ length: d }, (_, j) => y.reduce((s, v, e) => s + v * w.out_proj[e * d + j], 0));
    });
    const scale = Math.max(...direct.map((y) => Math.max(...y.map(Math.abs))));
    expect(scale).toBeGreaterThan(0.1);
    expect(maxAbsDiff(decodeAll(mamba2Block, cfg, w, xs).ys, direct) / scale).toBeLessThan(1e-5);
    expect(maxAbsDiff(await parallelOutputs(mamba2Block, cfg, w, xs), direct) / scale).toBeLessThan(1e-5);
  });
});

// ---------------------------------------------------------------------------------------------
// The hand-written backward scans against tfjs autograd of the same recurrences written in tfjs ops.

async function gradientsOf(f: (ins: Tensor[]) => Tensor, inputs: { shape: number[]; lo?: number; hi?: number }[], seed: number): Promise<Float32Array[]> {
  const tf = await loadTf('cpu');
  const rng = createRng(seed, 5);
  const ts = inputs.map((s) => tf.tensor(Float32Array.from({ length: s.shape.reduce((a, b) => a * b, 1) }, () => (s.lo ?? -1) + ((s.hi ?? 1) - (s.lo ?? -1)) * rng.next()), s.shape));
  const grads = tf.grads((...xs: Tensor[]) => f(xs))(ts);
  const out = await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array));
  tf.dispose([...ts, ...grads]);
  return out;
}

function maxRelDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let m = 0;
  a.forEach((x, i) => x.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i][j]) / (1e-3 + Math.abs(b[i][j]))))));
  return m;
}

describe('custom scan ops', () => {
  it("diagonalScan's gradient equals autograd of the per-step recurrence", async () => {
    const tf = await loadTf('cpu');
    const shape = [2, 5, 3];
    const weight = tf.tensor(Float32Array.from({ length: 30 }, (_, i) => Math.sin(i + 1)), shape);
    const loss = (h: Tensor) => tf.sum(tf.mul(h, weight));
    const ins = [{ shape, lo: 0.5, hi: 1 }, { shape }];
    const custom = await gradientsOf(([a, b]) => loss(diagonalScan(tf, a, b)), ins, 1);
    const reference = await gradientsOf(([a, b]) => {
      const hs: Tensor[] = [tf.slice(b, [0, 0, 0], [2, 1, 3])];
      for (let t = 1; t < 5; t++) hs.push(tf.add(tf.mul(tf.slice(a, [0, t, 0], [2, 1, 3]), hs[t - 1]), tf.slice(b, [0, t, 0], [2, 1, 3])));
      return loss(tf.concat(hs, 1));
    }, ins, 1);
    expect(maxRelDiff(custom, reference)).toBeLessThan(1e-4);
  });

  it("selectiveScan's gradients (Δ, A, x, B, C) equal autograd of the per-step recurrence", async () => {
    const tf = await loadTf('cpu');
    const [nb, L, I, N] = [2, 5, 3, 2];
    const weight = tf.tensor(Float32Array.from({ length: nb * L * I }, (_, i) => Math.cos(i + 1)), [nb, L, I]);
    const loss = (y: Tensor) => tf.sum(tf.mul(y, weight));
    const ins = [{ shape: [nb, L, I], lo: 0.01, hi: 0.5 }, { shape: [I, N], lo: -3, hi: -0.5 }, { shape: [nb, L, I] }, { shape: [nb, L, N] }, { shape: [nb, L, N] }];
    const custom = await gradientsOf(([dt, A, x, B, C]) => loss(selectiveScan(tf, dt, A, x, B, C)), ins, 2);
    const reference = await gradientsOf(([dt, A, x, B, C]) => {
      const ys: Tensor[] = [];
      let h: Tensor = tf.zeros([nb, I, N]);
      for (let t = 0; t < L; t++) {
        const d = tf.reshape(tf.slice(dt, [0, t, 0], [nb, 1, I]), [nb, I, 1]);
        const xt = tf.reshape(tf.slice(x, [0, t, 0], [nb, 1, I]), [nb, I, 1]);
        const bt = tf.reshape(tf.slice(B, [0, t, 0], [nb, 1, N]), [nb, 1, N]);
        const ct = tf.reshape(tf.slice(C, [0, t, 0], [nb, 1, N]), [nb, 1, N]);
        h = tf.add(tf.mul(tf.exp(tf.mul(d, A)), h), tf.mul(tf.mul(d, xt), bt));
        ys.push(tf.reshape(tf.sum(tf.mul(h, ct), -1), [nb, 1, I]));
      }
      return loss(tf.concat(ys, 1));
    }, ins, 2);
    expect(maxRelDiff(custom, reference)).toBeLessThan(1e-4);
  });

  it.each(BLOCKS.map((b) => [b.id, b] as const))('%s: every parameter gets a finite, nonzero gradient on the wasm backend (the trainer’s)', async (_id, block) => {
    const tf = await loadTf('wasm');
    try {
      const cfg = block.defaults(16);
      const w = jittered(block, cfg, 4);
      const vars = block.params(cfg).map((p) => tf.variable(tf.tensor(w[p.name], [...p.shape]), true, `seqrec_${block.id}_${p.name}`));
      const named = Object.fromEntries(block.params(cfg).map((p, i) => [p.name, vars[i] as Tensor]));
      const x = tf.tensor3d(Float32Array.from(randomInputs(2 * 8, cfg.d, 3).flatMap((v) => [...v])), [2, 8, cfg.d]);
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(block.trainForward(tf, named, x, cfg))) as import('@tensorflow/tfjs-core').Scalar, vars);
      expect(Number.isFinite((await value.data())[0])).toBe(true);
      for (const p of block.params(cfg)) {
        const g = (await grads[`seqrec_${block.id}_${p.name}`].data()) as Float32Array;
        expect(g.every(Number.isFinite), p.name).toBe(true);
        expect(g.some((v) => v !== 0), p.name).toBe(true);
      }
      tf.dispose([value, x, ...vars, ...Object.values(grads)]);
    } finally {
      await loadTf('cpu');
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('validate', () => {
  it.each(BLOCKS.map((b) => [b.id, b] as const))('%s accepts its defaults', (_id, block) => {
    for (const d of [8, 16, 64]) expect(() => block.validate(block.defaults(d))).not.toThrow();
  });

  const bad: [SequenceBlock, (c: BlockConfig) => BlockConfig, RegExp][] = [
    [linearAttentionBlock, (c) => ({ ...c, heads: 0 }), /heads must be a positive integer/],
    [linearAttentionBlock, (c) => ({ ...c, headDim: 2.5 }), /headDim/],
    [linearAttentionBlock, (c) => ({ ...c, kvHeads: 1 }), /kvHeads must equal heads/],
    [linearAttentionBlock, (c) => ({ ...c, options: { window: 4 } }), /options\.window/],
    [glaBlock, (c) => ({ ...c, options: { ...c.options, expandK: 0.3 } }), /options\.expandK/],
    [glaBlock, (c) => ({ ...c, options: { ...c.options, rank: 0 } }), /options\.rank/],
    [glaBlock, (c) => ({ ...c, options: { ...c.options, tau: -1 } }), /options\.tau/],
    [glaBlock, (c) => ({ ...c, options: { ...c.options, norm: 2 } }), /options\.norm must be 0 or 1/],
    [glaBlock, (c) => ({ ...c, d: 0 }), /gla: d must be a positive integer/],
    [mambaBlock, (c) => ({ ...c, options: { ...c.options, N: 0 } }), /options\.N must be a positive integer/],
    [mambaBlock, (c) => ({ ...c, options: { ...c.options, dConv: 1.5 } }), /options\.dConv/],
    [mambaBlock, (c) => ({ ...c, options: { ...c.options, heads: 2 } }), /options\.heads is not an option/],
    [mambaBlock, (c) => ({ ...c, d: -8 }), /mamba: d must be a positive integer/],
    [mamba2Block, (c) => ({ ...c, options: { ...c.options, P: 3 } }), /mamba2: options\.P \(3\) must divide the inner width expand × d = 32/],
    [mamba2Block, (c) => ({ ...c, options: { ...c.options, groups: 3 } }), /mamba2: options\.groups \(3\) must divide the number of heads/],
    [mamba2Block, (c) => ({ ...c, options: { ...c.options, N: 0 } }), /mamba2: options\.N must be a positive integer/],
    [mamba2Block, (c) => ({ ...c, options: { ...c.options, dtRank: 2 } }), /mamba2: options\.dtRank is not an option/],
  ];
  it.each(bad.map(([b, f, re], i) => [`${b.id} #${i}`, b, f, re] as const))('%s: an InputError naming the field', (_name, block, f, re) => {
    const cfg = f(block.defaults(16));
    expect(() => block.validate(cfg)).toThrow(InputError);
    expect(() => block.validate(cfg)).toThrow(re);
  });
});
