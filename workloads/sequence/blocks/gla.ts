// Gated linear attention (Yang, Wang, Shen, Panda & Kim, "Gated Linear Attention Transformers with
// Hardware-Efficient Training", ICML 2024, arXiv 2312.06635; the `GatedLinearAttention` layer of
// fla-org/flash-linear-attention with its defaults: no feature map, no short conv, low-rank gate of
// rank 16, gate_logit_normalizer τ = 16, expand_k = 0.5, expand_v = 1, RMSNorm + swish output gate):
//
//   q = (x·Wq)/√dk,  k = x·Wk,  v = x·Wv                          per head: dk = expandK·headDim, dv = headDim
//   α = σ(x·Wα1·Wα2 + bα)^{1/τ} = exp(logσ(·)/τ)                   Wα1 [d, r], Wα2 [r, H·dk]
//   S_t = Diag(α_t)·S_{t−1} + k_t v_tᵀ,   o_t = q_tᵀ S_t            S ∈ R^{dk×dv} per head
//   o ← RMSNorm(o)·g  (per head, gains g [dv] shared by the heads; options.norm = 0 drops it)
//   o ← o ⊙ SiLU(x·Wr)  (options.gate = 0 drops it);   out = o·Wo
//
// trainForward runs the recurrence as a scan over time (`diagonalScan`, a custom op with its own
// backward scan), then reads every S_t with one batched matmul.
//
// Counts of one decode step (K = H·dk, V = H·dv, r = rank; [norm], [gate] ∈ {0, 1}):
//   mac/projection 2·d·K + d·V + V·d · mac/decay-gate d·r + r·K · add/bias K ·
//   exp/decay-gate 2K · log/decay-gate K · add/decay-gate 2K · cmp/decay-gate K · mul/decay-gate K ·
//   mul/scale K · mul/state-decay K·dv · mac/state-update K·dv · mac/state-read K·dv ·
//   [norm] mac/norm V, add/norm H, div/norm H, mul/norm 2V ·
//   [gate] mac/output-gate d·V, exp, add, div/output-gate V each, mul/output-gate 2V ·
//   weight/read 2·d·K + d·V + V·d + d·r + r·K + [norm] dv + [gate] d·V · bias/read K ·
//   input/read 4d + r + V + [gate] d · output/write 3K + V + r + d + [gate] V ·
//   state/read and state/write K·dv.
import type { GradSaveFunc, Tensor, Tensor3D } from '@tensorflow/tfjs-core';
import { InputError } from '../../../core/errors.js';
import type { OperandStore } from '../../../core/ledger.js';
import type { Tf } from '../../train/tf.js';
import type { BlockConfig, BlockDecoder, BlockWeights, ParamSpec, SequenceBlock } from '../block.js';
import type { StepCounter, StepCounts } from '../counter.js';
import { countsOf } from '../counter.js';
import { logSigmoid, matVec, silu } from '../ops.js';
import { checkHeads, fop, knownOptions, mac, positiveInt, project, rd, store, wr } from './linear.js';

/** ε of the per-head RMSNorm (fla's norm_eps). */
export const GLA_NORM_EPS = 1e-5;

const OPTIONS = ['expandK', 'rank', 'tau', 'norm', 'gate'] as const;

interface GlaShape {
  readonly d: number;
  readonly H: number;
  readonly dk: number;
  readonly dv: number;
  readonly K: number;
  readonly V: number;
  readonly r: number;
  readonly tau: number;
  readonly norm: boolean;
  readonly gate: boolean;
}

function shapeOf(cfg: BlockConfig): GlaShape {
  const o = cfg.options;
  const H = cfg.heads;
  const dv = cfg.headDim;
  const dk = Math.round(dv * (o.expandK ?? 0.5));
  return { d: cfg.d, H, dk, dv, K: H * dk, V: H * dv, r: o.rank ?? 16, tau: o.tau ?? 16, norm: (o.norm ?? 1) === 1, gate: (o.gate ?? 1) === 1 };
}

/**
 * h_t = a_t ⊙ h_{t−1} + b_t along axis 1 (h_{−1} = 0) for a, b of the same shape [batch, L, …];
 * returns every h_t, stacked on axis 1. A custom op: forward and backward are float32 loops over the
 * data (the backward scan runs in reverse: g_t = dy_t + a_{t+1} ⊙ g_{t+1}, ∂b_t = g_t,
 * ∂a_t = g_t ⊙ h_{t−1}). Written as L slices and a tfjs multiply-add per position, a scan is far
 * slower on the wasm backend, whose Slice kernel copies the whole source tensor out of the heap for
 * every slice (L² traffic).
 */
export function diagonalScan(tf: Tf, a: Tensor, b: Tensor): Tensor {
  if (a.shape.length < 2 || a.shape.join() !== b.shape.join()) throw new Error(`diagonalScan: a [${a.shape}] and b [${b.shape}] must have one shape [batch, L, …]`);
  const [B, L] = a.shape;
  const M = a.size / (B * L);
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [at, bt, save] = args as [Tensor, Tensor, GradSaveFunc];
    const av = at.dataSync() as Float32Array;
    const bv = bt.dataSync() as Float32Array;
    const h = new Float32Array(av.length);
    for (let i = 0; i < B; i++) {
      const base = i * L * M;
      for (let m = 0; m < M; m++) h[base + m] = bv[base + m];
      for (let t = 1; t < L; t++) {
        const o = base + t * M;
        for (let m = 0; m < M; m++) h[o + m] = Math.fround(Math.fround(av[o + m] * h[o - M + m]) + bv[o + m]);
      }
    }
    const value = tf.tensor(h, at.shape);
    save([at, value]);
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const dyv = dy.dataSync() as Float32Array;
        const sa = saved[0].dataSync() as Float32Array;
        const sh = saved[1].dataSync() as Float32Array;
        const ga = new Float32Array(sa.length);
        const gb = new Float32Array(sa.length);
        for (let i = 0; i < B; i++) {
          const base = i * L * M;
          for (let t = L - 1; t >= 0; t--) {
            const o = base + t * M;
            for (let m = 0; m < M; m++) {
              const g = t === L - 1 ? dyv[o + m] : Math.fround(dyv[o + m] + Math.fround(sa[o + M + m] * gb[o + M + m]));
              gb[o + m] = g;
              ga[o + m] = t === 0 ? 0 : Math.fround(g * sh[o - M + m]);
            }
          }
        }
        return [tf.tensor(ga, saved[0].shape), tf.tensor(gb, saved[0].shape)];
      },
    };
  });
  return op(a, b);
}

function glaCounts(s: GlaShape): StepCounts {
  const { d, H, dv, K, V, r } = s;
  const n = s.norm ? 1 : 0;
  const g = s.gate ? 1 : 0;
  return countsOf({
    compute: [
      mac('projection', 2 * d * K + d * V + V * d),
      mac('decay-gate', d * r + r * K),
      fop('add', 'bias', K),
      fop('exp', 'decay-gate', 2 * K),
      fop('log', 'decay-gate', K),
      fop('add', 'decay-gate', 2 * K),
      fop('cmp', 'decay-gate', K),
      fop('mul', 'decay-gate', K),
      fop('mul', 'scale', K),
      fop('mul', 'state-decay', K * dv),
      mac('state-update', K * dv),
      mac('state-read', K * dv),
      mac('norm', n * V),
      fop('add', 'norm', n * H),
      fop('div', 'norm', n * H),
      fop('mul', 'norm', n * 2 * V),
      mac('output-gate', g * d * V),
      fop('exp', 'output-gate', g * V),
      fop('add', 'output-gate', g * V),
      fop('div', 'output-gate', g * V),
      fop('mul', 'output-gate', g * 2 * V),
    ],
    memory: [
      rd('weight', 2 * d * K + d * V + V * d + d * r + r * K + n * dv + g * d * V),
      rd('bias', K),
      rd('input', 4 * d + r + V + g * d),
      wr('output', 3 * K + V + r + d + g * V),
      rd('state', K * dv),
      wr('state', K * dv),
    ],
  });
}

function glaStores(s: GlaShape): OperandStore[] {
  const { d, dv, K, V, r } = s;
  const weights = 2 * d * K + d * V + V * d + d * r + r * K + K + (s.norm ? dv : 0) + (s.gate ? d * V : 0);
  return [store('weight', weights), store('state', K * dv)];
}

export const glaBlock: SequenceBlock = {
  id: 'gla',
  title: 'Gated linear attention',
  family: 'ann',
  source: 'Yang et al., "Gated Linear Attention Transformers with Hardware-Efficient Training", ICML 2024 (arXiv 2312.06635); fla-org/flash-linear-attention GatedLinearAttention',
  defaults: (d) => {
    const heads = d % 4 === 0 && d >= 8 ? 4 : 1;
    return { d, heads, kvHeads: heads, headDim: d / heads, options: { expandK: 0.5, rank: 16, tau: 16, norm: 1, gate: 1 } };
  },
  validate(cfg) {
    checkHeads('gla', cfg);
    knownOptions('gla', cfg, OPTIONS);
    const o = cfg.options;
    const expandK = o.expandK ?? 0.5;
    const dk = cfg.headDim * expandK;
    if (!(expandK > 0) || !Number.isInteger(dk)) throw new InputError(`gla: options.expandK × headDim must be a positive integer (the per-head key width), got ${expandK} × ${cfg.headDim}`);
    positiveInt('gla', 'options.rank', o.rank ?? 16);
    const tau = o.tau ?? 16;
    if (!(tau > 0 && Number.isFinite(tau))) throw new InputError(`gla: options.tau must be a positive number, got ${tau}`);
    for (const f of ['norm', 'gate'] as const) if (o[f] !== undefined && o[f] !== 0 && o[f] !== 1) throw new InputError(`gla: options.${f} must be 0 or 1, got ${o[f]}`);
  },
  params(cfg) {
    const s = shapeOf(cfg);
    const out: ParamSpec[] = [
      { name: 'wq', shape: [s.d, s.K], init: 'glorot' },
      { name: 'wk', shape: [s.d, s.K], init: 'glorot' },
      { name: 'wv', shape: [s.d, s.V], init: 'glorot' },
      { name: 'wa1', shape: [s.d, s.r], init: 'glorot' },
      { name: 'wa2', shape: [s.r, s.K], init: 'glorot' },
      { name: 'ba', shape: [s.K], init: 'zeros' },
    ];
    if (s.norm) out.push({ name: 'gnorm', shape: [s.dv], init: 'ones' });
    if (s.gate) out.push({ name: 'wr', shape: [s.d, s.V], init: 'glorot' });
    out.push({ name: 'wo', shape: [s.V, s.d], init: 'glorot' });
    return out;
  },
  trainForward(tf, w, x, cfg) {
    const s = shapeOf(cfg);
    const [b, L, d] = x.shape;
    const { H, dk, dv } = s;
    const x2 = tf.reshape(x, [b * L, d]);
    const q = tf.reshape(tf.mul(project(tf, x2, w.wq), Math.fround(1 / Math.sqrt(dk))), [b * L * H, 1, dk]);
    const k = tf.reshape(project(tf, x2, w.wk), [b, L, H, dk, 1]);
    const v = tf.reshape(project(tf, x2, w.wv), [b, L, H, 1, dv]);
    const z = tf.add(project(tf, project(tf, x2, w.wa1), w.wa2), w.ba);
    // log σ(z) = −softplus(−z) (tf.logSigmoid's custom gradient fails under variableGrads in tfjs 4.22)
    const alpha = tf.reshape(tf.exp(tf.mul(tf.neg(tf.softplus(tf.neg(z))), Math.fround(1 / s.tau))), [b, L, H, dk, 1]);
    const kv = tf.mul(k, v); // [b, L, H, dk, dv]
    const states = diagonalScan(tf, tf.mul(alpha, tf.onesLike(kv)), kv);
    let o: Tensor = tf.reshape(tf.matMul(q as Tensor3D, tf.reshape(states, [b * L * H, dk, dv]) as Tensor3D), [b * L, H, dv]);
    if (s.norm) o = tf.mul(tf.mul(o, tf.rsqrt(tf.add(tf.mean(tf.square(o), -1, true), GLA_NORM_EPS))), w.gnorm);
    o = tf.reshape(o, [b * L, H * dv]);
    if (s.gate) {
      const g = project(tf, x2, w.wr);
      o = tf.mul(o, tf.mul(g, tf.sigmoid(g)));
    }
    return tf.reshape(project(tf, o, w.wo), [b, L, d]) as Tensor3D;
  },
  decoder(w: BlockWeights, cfg: BlockConfig, c: StepCounter): BlockDecoder {
    const s = shapeOf(cfg);
    const { d, H, dk, dv, K, V, r } = s;
    const S = new Float32Array(K * dv); // head h, key i, value j: S[(h·dk + i)·dv + j]
    const scale = Math.fround(1 / Math.sqrt(dk));
    const invTau = Math.fround(1 / s.tau);
    return {
      step(x) {
        const q = matVec(c, x, w.wq, d, K, 'projection');
        const k = matVec(c, x, w.wk, d, K, 'projection');
        const v = matVec(c, x, w.wv, d, V, 'projection');
        const alpha = matVec(c, matVec(c, x, w.wa1, d, r, 'decay-gate'), w.wa2, r, K, 'decay-gate', w.ba);
        for (let i = 0; i < K; i++) {
          alpha[i] = Math.fround(Math.exp(Math.fround(logSigmoid(c, alpha[i], 'decay-gate') * invTau)));
          q[i] = Math.fround(q[i] * scale);
        }
        c.op('mul', 'decay-gate', K);
        c.op('exp', 'decay-gate', K);
        c.op('mul', 'scale', K);
        c.read('state', K * dv);
        let o = new Float32Array(V);
        for (let h = 0; h < H; h++) {
          for (let i = 0; i < dk; i++) {
            const a = alpha[h * dk + i];
            const ki = k[h * dk + i];
            const qi = q[h * dk + i];
            const row = (h * dk + i) * dv;
            for (let j = 0; j < dv; j++) {
              S[row + j] = Math.fround(Math.fround(a * S[row + j]) + Math.fround(ki * v[h * dv + j]));
              o[h * dv + j] = Math.fround(o[h * dv + j] + Math.fround(qi * S[row + j]));
            }
          }
        }
        c.op('mul', 'state-decay', K * dv);
        c.op('mac', 'state-update', K * dv);
        c.op('mac', 'state-read', K * dv);
        c.write('state', K * dv);
        if (s.norm) {
          const g = w.gnorm;
          for (let h = 0; h < H; h++) {
            let ss = 0;
            for (let j = 0; j < dv; j++) ss = Math.fround(ss + Math.fround(o[h * dv + j] * o[h * dv + j]));
            const inv = Math.fround(1 / Math.sqrt(Math.fround(Math.fround(ss / dv) + GLA_NORM_EPS)));
            for (let j = 0; j < dv; j++) o[h * dv + j] = Math.fround(Math.fround(o[h * dv + j] * inv) * g[j]);
          }
          c.op('mac', 'norm', V);
          c.op('add', 'norm', H);
          c.op('div', 'norm', H);
          c.op('mul', 'norm', 2 * V);
          c.read('weight', dv);
        }
        if (s.gate) {
          const g = matVec(c, x, w.wr, d, V, 'output-gate');
          const gated = new Float32Array(V);
          for (let j = 0; j < V; j++) gated[j] = Math.fround(o[j] * silu(c, g[j], 'output-gate'));
          c.op('mul', 'output-gate', V);
          o = gated;
        }
        return matVec(c, o, w.wo, V, d, 'projection');
      },
      activity: () => ({}),
      stores: () => glaStores(s),
    };
  },
  stepCounts: (cfg) => glaCounts(shapeOf(cfg)),
  storesAt: (cfg) => glaStores(shapeOf(cfg)),
};
