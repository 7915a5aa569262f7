// The sequence LM wrapper (lm.ts), its trainer and evaluation, with a minimal causal mixer as the
// block under test (a fixture: y_t = (mean_{j≤t} x_j)·W, its running sum the recurrent state), so
// the wrapper is checked independently of the real block families.

import type { Tensor, Tensor3D } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import type { SequenceBlock } from '../workloads/sequence/block.js';
import { countTable } from '../core/ledger.js';
import { evaluateText, sequenceLedger, countsAtLengths } from '../workloads/sequence/evaluate.js';
import type { LmConfig } from '../workloads/sequence/lm.js';
import { lmDecoder, lmForwardTf, lmParams } from '../workloads/sequence/lm.js';
import { matVec } from '../workloads/sequence/ops.js';
import { initParams } from '../workloads/sequence/params.js';
import { DEFAULT_RECALL } from '../workloads/sequence/recall.js';
import { trainLm } from '../workloads/sequence/train.js';
import { loadTf } from '../workloads/train/tf.js';
import { brownTokens } from '../workloads/text/brown-corpus.js';
import { tempDir } from './cli-helpers.js';

const causalMean: SequenceBlock = {
  id: 'causal-mean',
  title: 'causal mean (test fixture)',
  family: 'ann',
  source: 'test fixture',
  defaults: (d) => ({ d, heads: 1, kvHeads: 1, headDim: d, options: {} }),
  validate: () => {},
  params: (cfg) => [{ name: 'w', shape: [cfg.d, cfg.d], init: 'glorot' }],
  trainForward(tf, w, x, cfg) {
    const [b, L] = x.shape;
    const pos = tf.reshape(tf.range(1, L + 1), [1, L, 1]);
    // prefix sums as a lower-triangular product: tf.cumsum's gradient along a non-last axis comes back transposed in tfjs 4.22
    const tril = tf.tile(tf.expandDims(tf.linalg.bandPart(tf.ones([L, L]), -1, 0), 0), [b, 1, 1]) as Tensor3D;
    const mean = tf.div(tf.matMul(tril, x), pos);
    return tf.reshape(tf.matMul(tf.reshape(mean, [-1, cfg.d]), w.w as import('@tensorflow/tfjs-core').Tensor2D), x.shape) as Tensor3D;
  },
  decoder(w, cfg, c) {
    const sum = new Float32Array(cfg.d);
    let n = 0;
    return {
      step(x) {
        n++;
        for (let i = 0; i < cfg.d; i++) sum[i] = Math.fround(sum[i] + x[i]);
        c.read('state', cfg.d);
        c.op('add', 'state', cfg.d);
        c.write('state', cfg.d);
        const mean = sum.map((v) => Math.fround(v / n));
        c.op('div', 'mean', cfg.d);
        return matVec(c, mean, w.w, cfg.d, cfg.d, 'projection');
      },
      activity: () => ({}),
      stores: () => [{ operand: 'weight', words: cfg.d * cfg.d, bits: 32 }, { operand: 'state', words: cfg.d, bits: 32 }],
    };
  },
  stepCounts: () => ({ compute: [], memory: [] }),
  storesAt: () => [],
};

const cfgOf = (vocab: number, d = 8): LmConfig => ({ block: causalMean, blockConfig: causalMean.defaults(d), layers: 2, vocab, mlpWidth: 12 });

let cacheBefore: string | undefined;
beforeAll(() => {
  cacheBefore = process.env.JOULEBENCH_CACHE;
  process.env.JOULEBENCH_CACHE = tempDir('seq-lm');
});
afterAll(() => {
  if (cacheBefore === undefined) delete process.env.JOULEBENCH_CACHE;
  else process.env.JOULEBENCH_CACHE = cacheBefore;
});

describe('sequence LM wrapper', () => {
  it('gives the same next-token distribution from the counted decoder as from the tfjs parallel form', async () => {
    const cfg = cfgOf(20);
    const w = initParams(lmParams(cfg), createRng(3));
    const rng = createRng(4);
    const tokens = Array.from({ length: 10 }, () => rng.int(20));
    const tf = await loadTf('cpu');
    const tw: Record<string, Tensor> = {};
    for (const s of lmParams(cfg)) tw[s.name] = tf.tensor(w[s.name], [...s.shape]);
    const logits = lmForwardTf(tf, cfg, tw, tf.tensor2d(tokens, [1, 10], 'int32'));
    const probs = (await tf.softmax(logits).data()) as Float32Array;
    const dec = lmDecoder(cfg, w);
    tokens.forEach((t, i) => {
      const p = dec.step(t).probs;
      for (let v = 0; v < 20; v++) expect(Math.abs(p[v] - probs[i * 20 + v])).toBeLessThan(1e-5);
    });
  });

  it('counts the embedding, MLP and head of a step by hand', () => {
    const d = 8;
    const V = 20;
    const f = 12;
    const cfg = cfgOf(V, d);
    const step = lmDecoder(cfg, initParams(lmParams(cfg), createRng(3))).step(5);
    expect(countTable(step.counts.get('embedding')!)).toEqual({ 'weight/read/32': d, 'output/write/32': d });
    // MLP: rms norm (d MACs, 1 add, 1 div, 2d muls, d gains), W1 with bias (d·f MACs, f adds), relu (f compares), W2 with bias, residual
    expect(countTable(step.counts.get('l0.mlp')!)).toEqual({
      'mac/fp32/norm': d,
      'add/fp32/norm': 1,
      'div/fp32/norm': 1,
      'mul/fp32/norm': 2 * d,
      'mac/fp32/projection': d * f + f * d,
      'add/fp32/bias': f + d,
      'cmp/fp32/activation': f,
      'add/fp32/residual': d,
      'weight/read/32': d + d * f + f * d,
      'bias/read/32': f + d,
      'input/read/32': d + d + f + d,
      'output/write/32': f + d + d,
    });
    // head: norm, d·V MACs + V bias adds, softmax over V (V−1 compares, 2V−1 adds, V EXP, 1 div, V muls)
    const head = countTable(step.counts.get('head')!);
    expect(head['mac/fp32/projection']).toBe(d * V);
    expect(head['exp/fp32/softmax']).toBe(V);
    expect(head['cmp/fp32/softmax']).toBe(V - 1);
    expect(head['add/fp32/softmax']).toBe(2 * V - 1);
  });

  it('builds a per-token ledger whose layers carry their stores and sum the parts', () => {
    const cfg = cfgOf(96, 8);
    const w = initParams(lmParams(cfg), createRng(3));
    const ev = evaluateText(cfg, w, brownTokens('test'), 16, 2);
    expect(ev.characters).toBe(32);
    expect(ev.bitsPerChar).toBeGreaterThan(5); // untrained: near log2(96) = 6.58
    const ledger = sequenceLedger(cfg, ev.counts, { task: 'text' });
    expect(ledger.layers.map((l) => l.name)).toEqual(['embedding', 'l0.mixer', 'l0.mlp', 'l1.mixer', 'l1.mlp', 'head']);
    expect(ledger.layers[1].geometry.kind).toBe('mixer-causal-mean');
    expect(ledger.layers[1].stores).toContainEqual({ operand: 'state', words: 8, bits: 32 });
    const mix = ledger.layers[1].memory.find((m) => m.operand === 'state' && m.action === 'read')!;
    expect(mix.count.mean).toBe(8);
    const at = countsAtLengths(cfg, w, brownTokens('test'), [4, 12], 2);
    expect(at.get(12)!.steps).toBe(2);
  });

  it('trains deterministically and lowers the held-out loss', async () => {
    const cfg = cfgOf(96, 16);
    const t = { task: 'text' as const, steps: 40, batch: 8, context: 16, recallLengths: [32], recall: DEFAULT_RECALL, learningRate: 1e-2, warmup: 4, clipNorm: 1, seed: 7 };
    const a = await trainLm(cfg, t);
    expect(a.fromCache).toBe(false);
    const b = await trainLm(cfg, t);
    expect(b.fromCache).toBe(true);
    expect(Array.from(b.weights['head.w'])).toEqual(Array.from(a.weights['head.w']));
    process.env.JOULEBENCH_CACHE = tempDir('seq-lm-2');
    const c = await trainLm(cfg, t);
    expect(c.fromCache).toBe(false);
    expect(Array.from(c.weights['head.w'])).toEqual(Array.from(a.weights['head.w']));
    expect(a.lossCurve[a.lossCurve.length - 1]).toBeLessThan(a.lossCurve[0]);
    const before = evaluateText(cfg, initParams(lmParams(cfg), createRng(7, 1)), brownTokens('validation'), 16, 8).bitsPerChar;
    const after = evaluateText(cfg, a.weights, brownTokens('validation'), 16, 8).bitsPerChar;
    expect(after).toBeLessThan(before - 1);
  });
});
