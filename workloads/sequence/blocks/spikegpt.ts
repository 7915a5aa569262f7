// SpikeGPT's spiking RWKV time-mixing, Zhu, Zhao, Li & Eshraghian, "SpikeGPT: Generative Pre-trained
// Language Model with Spiking Neural Networks", arXiv 2302.13939 (github.com/ridgerchu/SpikeGPT,
// src/model.py `RWKV_TimeMix`; the WKV recurrence of RWKV-4).
//
// Per token x_t (spiking-common.ts for the conventions):
//   token shift   x^k = x_{t−1} + μ_k ⊙ (x_t − x_{t−1})      (= μ_k·x_t + (1−μ_k)·x_{t−1}; x_{−1} = 0), same for v, r
//   spikes        s_k[τ] = LIF(x^k), s_v[τ] = LIF(x^v), s_r[τ] = LIF(x^r)       τ = 1…T, direct coding
//   projections   k = (1/T)·Σ_τ s_k[τ]·W_k,   v, r alike                         spike-driven: ACs
//   WKV           wkv_t = (Σ_{j<t} e^{k_j − (t−1−j)·w} v_j + e^{u + k_t} v_t) / (same without v_j),  w = e^decay
//   gate, output  y_t = (σ(r) ⊙ wkv_t)·W_o
// Where the spikes are: SpikeGPT applies a LIF to the time-mix block's output (over token positions,
// `lif1` in Block.forward) and claims binary inputs to its R/K/V projections; here the projections'
// inputs are spiked (T steps per token, like the other spiking blocks), so R, K and V are ACs on spikes,
// and the block's output stays real (the residual stream of lm.ts adds it).
// The output projection is MAC: its input σ(r) ⊙ wkv is real-valued (Spikingformer's rule: a layer
// counts as AC only when its input is strictly binary).
// The WKV recurrence runs once per token on the rate-decoded k, v, in RWKV-4's numerically stable
// form with state (a, b, p) per channel: numerator, denominator, running max exponent:
//   out:    q = max(p, u+k); e1 = e^{p−q}; e2 = e^{u+k−q}; wkv = (e1·a + e2·v)/(e1·b + e2)
//   update: q = max(p−w, k); e1 = e^{p−w−q}; e2 = e^{k−q}; a ← e1·a + e2·v; b ← e1·b + e2; p ← q
// w = e^decay is computed once when the decoder is built (a weight transform, like folding BN).
// The parallel form computes the same wkv as a softmax over positions j ≤ t of e_{t,j} = k_j −
// (t−1−j)·w (j < t), u + k_t (j = t): a [batch, L, d, L] tensor (at batch 16, d = 64: 17 M values at
// L = 128; measured faster on wasm than a chunked form, whose slices and concatenations dominate).
//
// Counts per token (activity: sk, sv, sr spikes of the three input LIFs, summed over τ); L plays no part:
//   ac/fp32/projection  = (sk + sv + sr)·d              (synaptic: spikes × fan-out)
//   mac/fp32/projection = d²                            (the output projection, real input)
//   add/fp32/token-shift = d,  mac/fp32/token-shift = 3·d
//   mul/fp32/leak, add/fp32/integrate, cmp/fp32/threshold = 3·d·T
//   add/fp32/readout    = 3·d·T,  mul/fp32/readout = 3·d
//   exp/fp32/wkv = 4·d, add/fp32/wkv = 6·d, cmp/fp32/wkv = 2·d, mul/fp32/wkv = 2·d, mac/fp32/wkv = 4·d, div/fp32/wkv = d
//   exp/fp32/gate = add/fp32/gate = div/fp32/gate = mul/fp32/gate = d
//   weight/read/32      = (sk + sv + sr)·d + d² + 3·d (μ) + 2·d (u, w)
//   state/read/32 = state/write/32 = d (x_{t−1}) + 3·d (a, b, p)
//   potential/read/32 = potential/write/32 = 3·d·T
//   input/read/32       = d (x_t) + 3·d·T (LIF currents) + d (the output projection's input)
//   input/read/1        = 3·d·T,   output/write/1 = 3·d·T,   output/write/32 = 3·d·T + d
import type { Tensor, Tensor3D } from '@tensorflow/tfjs-core';
import type { OperandStore } from '../../../core/ledger.js';
import type { Tf } from '../../train/tf.js';
import type { BlockConfig, BlockWeights, ParamSpec, StepActivity } from '../block.js';
import type { StepCounter, StepCounts } from '../counter.js';
import { countsOf } from '../counter.js';
import { matVec, sigmoid } from '../ops.js';
import type { SpikingBlock, SpikingDecoder } from './spiking-common.js';
import { LifLayer, RateReadout, SPIKING_DEFAULTS, StepRecord, entries, lifEntries, lifTf, matMulTf, mem, need, op, readoutEntries, spikingOptions, store, validateSpiking } from './spiking-common.js';

const ID = 'spikegpt';
const OPTIONS = ['timesteps', 'threshold', 'decay'] as const;
const STREAMS = ['k', 'v', 'r'] as const;
const f = Math.fround;

function params(cfg: BlockConfig): ParamSpec[] {
  const { d } = cfg;
  return [
    ...STREAMS.map((s) => ({ name: `mix${s.toUpperCase()}`, shape: [d], init: { uniform: [0, 1] as const } })),
    ...[...STREAMS, 'o'].map((s) => ({ name: `w${s}`, shape: [d, d], init: 'glorot' as const })),
    // RWKV's time_decay spread at layer 0 (−5 … 3) and time_first log(0.3)
    { name: 'decay', shape: [d], init: { uniform: [-5, 3] as const } },
    { name: 'first', shape: [d], init: { constant: Math.log(0.3) } },
  ];
}

/** wkv of k, v [B, L, d] as a causal softmax over positions (see the header): a [B, L, d, L] tensor. */
function wkvTf(tf: Tf, k: Tensor, v: Tensor, decay: Tensor, first: Tensor): Tensor {
  const [, L, d] = k.shape;
  const back = new Float32Array(L * L); // −(t−1−j) for j < t
  const eye = new Float32Array(L * L);
  const future = new Float32Array(L * L); // a large negative logit for j > t
  for (let t = 0; t < L; t++) {
    for (let j = 0; j < L; j++) {
      if (j < t) back[t * L + j] = -(t - 1 - j);
      else if (j === t) eye[t * L + j] = 1;
      else future[t * L + j] = -1e9;
    }
  }
  const col = (a: Float32Array) => tf.tensor3d(a, [L, 1, L]);
  const perChannel = (p: Tensor) => tf.reshape(p, [1, d, 1]);
  const m = tf.add(tf.add(tf.mul(col(back), perChannel(tf.exp(decay))), tf.mul(col(eye), perChannel(first))), col(future)); // [L, d, L]
  const byPosition = (a: Tensor) => tf.expandDims(tf.transpose(a, [0, 2, 1]), 1); // [B, 1, d, L]
  const p = tf.softmax(tf.add(byPosition(k), m)); // [B, L, d, L]
  return tf.sum(tf.mul(p, byPosition(v)), -1); // [B, L, d]
}

function parallel(tf: Tf, w: Readonly<Record<string, Tensor>>, x: Tensor, cfg: BlockConfig) {
  const [B, L, d] = x.shape;
  const o = spikingOptions(cfg);
  const prev = L === 1 ? tf.zeros([B, 1, d]) : tf.concat([tf.zeros([B, 1, d]), tf.slice(x, [0, 0, 0], [B, L - 1, d])], 1);
  const diff = tf.sub(x, prev);
  // the three streams k, v, r side by side: currents [3, B·L, d], one LIF population, one batched product
  const cur = tf.stack(STREAMS.map((s) => tf.reshape(tf.add(prev, tf.mul(diff, w[`mix${s.toUpperCase()}`])), [B * L, d])));
  const sp = lifTf(tf, () => cur, o.T, o.threshold, o.beta);
  const spikes = new Map<string, Tensor[]>();
  const perStream = sp.map((s) => tf.unstack(s));
  STREAMS.forEach((s, i) => spikes.set(s, perStream.map((u) => u[i])));
  const all = matMulTf(tf, tf.concat(sp, 1), tf.stack(STREAMS.map((s) => w[`w${s}`]))); // [3, T·B·L, d]
  const [k, v, r] = tf.unstack(tf.mul(tf.sum(tf.reshape(all, [3, o.T, B * L, d]), 1), Math.fround(1 / o.T)));
  const wkv = tf.reshape(wkvTf(tf, tf.reshape(k, [B, L, d]), tf.reshape(v, [B, L, d]), w.decay, w.first), [B * L, d]);
  const y = matMulTf(tf, tf.mul(tf.sigmoid(r), wkv), w.wo);
  return { y: tf.reshape(y, [B, L, d]), spikes };
}

const ACTIVITY = ['kSpikes', 'vSpikes', 'rSpikes'];

function decoder(w: BlockWeights, cfg: BlockConfig, c: StepCounter): SpikingDecoder {
  const { d } = cfg;
  const o = spikingOptions(cfg);
  const { T } = o;
  const streams = STREAMS.map((s) => ({ s, mix: w[`mix${s.toUpperCase()}`], lif: new LifLayer(c, d, o.threshold, o), readout: new RateReadout(c, w[`w${s}`], d, d) }));
  const decayRate = Float32Array.from(w.decay, (x) => f(Math.exp(x)));
  const u = w.first;
  const xPrev = new Float32Array(d);
  const a = new Float32Array(d);
  const b = new Float32Array(d);
  const p = new Float32Array(d).fill(-1e38);
  const r = new StepRecord();
  return {
    step(x: Float32Array): Float32Array {
      r.start(ACTIVITY);
      // token shift
      const diff = new Float32Array(d);
      for (let i = 0; i < d; i++) diff[i] = f(x[i] - xPrev[i]);
      c.op('add', 'token-shift', d);
      c.op('mac', 'token-shift', 3 * d);
      c.read('input', d);
      c.read('state', d);
      c.read('weight', 3 * d);
      const proj = streams.map(({ s, mix, lif, readout }) => {
        const cur = new Float32Array(d);
        for (let i = 0; i < d; i++) cur[i] = f(xPrev[i] + f(diff[i] * mix[i]));
        lif.reset();
        for (let t = 0; t < T; t++) readout.add(r.spikes(s, lif.step(cur)));
        return readout.mean(T);
      });
      xPrev.set(x);
      c.write('state', d);
      const [k, v, rr] = proj;
      // WKV (RWKV-4, per channel)
      const out = new Float32Array(d);
      for (let i = 0; i < d; i++) {
        const ww = f(u[i] + k[i]);
        let q = Math.max(p[i], ww);
        let e1 = f(Math.exp(f(p[i] - q)));
        let e2 = f(Math.exp(f(ww - q)));
        const wkv = f(f(f(e1 * a[i]) + f(e2 * v[i])) / f(f(e1 * b[i]) + e2));
        const decayed = f(p[i] - decayRate[i]);
        q = Math.max(decayed, k[i]);
        e1 = f(Math.exp(f(decayed - q)));
        e2 = f(Math.exp(f(k[i] - q)));
        a[i] = f(f(e1 * a[i]) + f(e2 * v[i]));
        b[i] = f(f(e1 * b[i]) + e2);
        p[i] = q;
        out[i] = f(sigmoid(c, rr[i], 'gate') * wkv);
      }
      c.op('add', 'wkv', 6 * d);
      c.op('cmp', 'wkv', 2 * d);
      c.op('exp', 'wkv', 4 * d);
      c.op('mul', 'wkv', 2 * d);
      c.op('mac', 'wkv', 4 * d);
      c.op('div', 'wkv', d);
      c.read('state', 3 * d);
      c.write('state', 3 * d);
      c.read('weight', 2 * d);
      c.op('mul', 'gate', d);
      return matVec(c, out, w.wo, d, d, 'projection');
    },
    activity: (): StepActivity => ({ ...r.act }),
    stores: () => storesAt(cfg, 0),
    trains: () => r.trains,
  };
}

function stepCounts(cfg: BlockConfig, _L: number, act: StepActivity): StepCounts {
  const { d } = cfg;
  const { T } = spikingOptions(cfg);
  const e = entries();
  e.compute.push(op('add', 'token-shift', d), op('mac', 'token-shift', 3 * d));
  e.memory.push(mem('input', 'read', d), mem('state', 'read', d), mem('weight', 'read', 3 * d), mem('state', 'write', d));
  for (const s of STREAMS) {
    lifEntries(e, d, T);
    readoutEntries(e, need(ID, act, `${s}Spikes`), d, d, T);
  }
  e.compute.push(op('add', 'wkv', 6 * d), op('cmp', 'wkv', 2 * d), op('exp', 'wkv', 4 * d), op('mul', 'wkv', 2 * d), op('mac', 'wkv', 4 * d), op('div', 'wkv', d));
  e.memory.push(mem('state', 'read', 3 * d), mem('state', 'write', 3 * d), mem('weight', 'read', 2 * d));
  e.compute.push(op('exp', 'gate', d), op('add', 'gate', d), op('div', 'gate', d), op('mul', 'gate', d));
  e.compute.push(op('mac', 'projection', d * d));
  e.memory.push(mem('weight', 'read', d * d), mem('input', 'read', d), mem('output', 'write', d));
  return countsOf(e);
}

/** Weights (W_k, W_v, W_r, W_o, μ_k, μ_v, μ_r, decay, first), 3·d membranes, state x_{t−1}, a, b, p: nothing grows with L. */
function storesAt(cfg: BlockConfig, _L: number): OperandStore[] {
  const { d } = cfg;
  return [store('weight', 4 * d * d + 5 * d), store('potential', 3 * d), store('state', 4 * d)];
}

export const spikeGptBlock: SpikingBlock = {
  id: ID,
  title: "SpikeGPT's spiking RWKV time-mixing",
  family: 'snn',
  source: 'Zhu et al., SpikeGPT: Generative Pre-trained Language Model with Spiking Neural Networks, arXiv 2302.13939 (github.com/ridgerchu/SpikeGPT)',
  defaults: (d) => ({ d, heads: 1, kvHeads: 1, headDim: d, options: { ...SPIKING_DEFAULTS } }),
  validate: (cfg) => validateSpiking(ID, cfg, OPTIONS),
  params,
  trainForward: (tf, w, x, cfg) => parallel(tf, w, x, cfg).y as Tensor3D,
  parallelWithSpikes: parallel,
  decoder,
  stepCounts,
  storesAt,
};
