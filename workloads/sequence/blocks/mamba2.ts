// Mamba-2 block (Dao & Gu, "Transformers are SSMs: Generalized Models and Efficient Algorithms Through
// Structured State Space Duality", ICML 2024, arXiv 2405.21060; the `Mamba2` module of
// state-spaces/mamba, mamba_ssm/modules/mamba2.py, and its `step()`), rmsnorm = True,
// norm_before_gate = False, D per head, no d_mlp part, no biases in the projections. Defaults at
// d = 64: N = 32 (d_state), P = 16 (headdim), expand E = 2, d_conv = 4, G = 1 (ngroups). With
// I = E·d (inner width), H = I/P heads, Ch = I + 2·G·N (conv channels):
//
//   [z, x, B, C, δ] = u·W_in                  W_in [d, 2I + 2GN + H], no bias, in that order
//   [x, B, C] ← SiLU(causal depthwise conv1d([x, B, C]))   width d_conv, weights [d_conv, Ch], bias [Ch];
//                                             its state: the last d_conv − 1 inputs (Ch channels)
//   Δ_h = softplus(δ_h + b_dt,h)              one scalar per head, b_dt [H]
//   A_h = −exp(A_log,h)                       one scalar per head (SSD's scalar-times-identity A)
//   per head h (group g = ⌊h·G/H⌋), p < P, n < N:
//     h[h,p,n] ← exp(Δ_h·A_h)·h[h,p,n] + (Δ_h·x[h,p])·B_g[n]      state [H, P, N] = I·N words
//     y[h,p]   = Σ_n h[h,p,n]·C_g[n] + D_h·x[h,p]                  D [H]
//   y ← RMSNorm_group(y ⊙ SiLU(z))·w_norm     gated RMSNorm (norm after the gate), groups of I/G, ε = 1e-5
//   out = y·W_out                             W_out [I, d]
//
// Initialization as the module's: b_dt uniform in softplus⁻¹([0.001, 0.1]) (the module draws Δ
// log-uniform in that range; mamba.ts makes the same approximation), A_log uniform in [0, log 16]
// (A log-uniform in [1, 16]; the module draws A uniform in [1, 16], which ParamSpec cannot express),
// D = 1, w_norm = 1, the conv as PyTorch's Conv1d default (uniform ±d_conv^−½), projections glorot.
// The decoder folds A_h = −exp(A_log,h) once, as inference code does, and reads A as a weight.
// The heads are the SSM's (H = E·d/P, options.P): cfg.heads, kvHeads and headDim are not used.
//
// trainForward: not the chunked SSD algorithm but the plain recurrence, as mamba.ts's selectiveScan
// custom op (correctness first): Mamba-2's recurrence is Mamba-1's with Δ and A constant across a
// head's P channels and N states (Δ[e] = Δ_h, A[e, n] = A_h for channel e of head h) and B, C
// shared by a group's channels, so each group runs one selectiveScan over its I/G channels.
//
// Counts of one decode step (I = E·d, H = I/P, Ch = I + 2GN, W = 2I + 2GN + H):
//   mac/projection d·W + I·d · add/bias Ch + H (conv, dt) · mac/conv Ch·d_conv ·
//   exp, add, div, mul/activation Ch each (SiLU after the conv) · exp, log, add/softplus H each ·
//   mul/discretize H + I (Δ·A per head, Δ·x per channel) · exp/discretize H (exp(ΔA) per head) ·
//   mul/state-decay I·N · mac/state-update I·N · mac/state-read I·N (h·C) · mac/skip I (D·x) ·
//   exp, add, div/output-gate I each, mul/output-gate 2I (SiLU(z) and y ⊙ it) ·
//   mac/norm I, add/norm G (+ε), div/norm G (1/√·, as lm.ts counts its RMSNorm), mul/norm 2I ·
//   weight/read d·W + Ch·d_conv + 2H (A, D) + I (w_norm) + I·d · bias/read Ch + H ·
//   input/read d + I · output/write W + d ·
//   state/read I·N + Ch·(d_conv − 1) · state/write I·N + Ch (the conv terms only when d_conv > 1).
// Stores: weights d·W + Ch·d_conv + Ch + 3H + I + I·d; state I·N; conv state Ch·(d_conv − 1).
import type { Tensor, Tensor3D } from '@tensorflow/tfjs-core';
import { InputError } from '../../../core/errors.js';
import type { OperandStore } from '../../../core/ledger.js';
import type { Tf } from '../../train/tf.js';
import type { BlockConfig, BlockDecoder, BlockWeights, ParamSpec, SequenceBlock } from '../block.js';
import type { StepCounter, StepCounts } from '../counter.js';
import { countsOf } from '../counter.js';
import { matVec, silu, softplus } from '../ops.js';
import { fop, knownOptions, mac, positiveInt, project, rd, store, wr } from './linear.js';
import { causalConvSiluTf, convRing, invSoftplus, selectiveScan, siluEntries, softplusEntries } from './mamba.js';

const ID = 'mamba2';
const OPTIONS = ['N', 'P', 'expand', 'dConv', 'groups'] as const;

/** ε of the gated RMSNorm (the module's RMSNormGated eps). */
export const MAMBA2_NORM_EPS = 1e-5;

interface Mamba2Shape {
  readonly d: number;
  /** Inner width E·d. */
  readonly I: number;
  readonly N: number;
  /** Head width (headdim). */
  readonly P: number;
  readonly H: number;
  readonly G: number;
  readonly dc: number;
  /** Conv channels I + 2GN. */
  readonly Ch: number;
  /** In-projection width 2I + 2GN + H. */
  readonly W: number;
}

function shapeOf(cfg: BlockConfig): Mamba2Shape {
  const o = cfg.options;
  const I = (o.expand ?? 2) * cfg.d;
  const N = o.N ?? 32;
  const P = o.P ?? 16;
  const G = o.groups ?? 1;
  const H = I / P;
  return { d: cfg.d, I, N, P, H, G, dc: o.dConv ?? 4, Ch: I + 2 * G * N, W: 2 * I + 2 * G * N + H };
}

function mamba2Counts(s: Mamba2Shape): StepCounts {
  const { d, I, N, H, G, dc, Ch, W } = s;
  return countsOf({
    compute: [
      mac('projection', d * W + I * d),
      fop('add', 'bias', Ch + H),
      mac('conv', Ch * dc),
      ...siluEntries('activation', Ch),
      ...softplusEntries(H),
      fop('mul', 'discretize', H + I),
      fop('exp', 'discretize', H),
      fop('mul', 'state-decay', I * N),
      mac('state-update', I * N),
      mac('state-read', I * N),
      mac('skip', I),
      ...siluEntries('output-gate', I, I),
      mac('norm', I),
      fop('add', 'norm', G),
      fop('div', 'norm', G),
      fop('mul', 'norm', 2 * I),
    ],
    memory: [
      rd('weight', d * W + Ch * dc + 2 * H + I + I * d),
      rd('bias', Ch + H),
      rd('input', d + I),
      wr('output', W + d),
      rd('state', I * N + Ch * (dc - 1)),
      wr('state', I * N + (dc > 1 ? Ch : 0)),
    ],
  });
}

function mamba2Stores(s: Mamba2Shape): OperandStore[] {
  const { d, I, N, H, dc, Ch, W } = s;
  const weights = d * W + Ch * dc + Ch + 3 * H + I + I * d;
  return [store('weight', weights), store('state', I * N), ...(dc > 1 ? [store('state', Ch * (dc - 1))] : [])];
}

/** [..., H] per-head values → [..., H·P], each repeated over its head's P channels. */
function perChannel(tf: Tf, v: Tensor, H: number, P: number): Tensor {
  const lead = v.shape.slice(0, -1);
  return tf.reshape(tf.tile(tf.reshape(v, [...lead, H, 1]), [...lead.map(() => 1), 1, P]), [...lead, H * P]);
}

export const mamba2Block: SequenceBlock = {
  id: ID,
  title: 'Mamba-2 (SSD: scalar decay per head, B and C shared per group)',
  family: 'ann',
  source: 'Dao & Gu, "Transformers are SSMs: Generalized Models and Efficient Algorithms Through Structured State Space Duality", ICML 2024 (arXiv 2405.21060); state-spaces/mamba Mamba2.step',
  defaults: (d) => ({ d, heads: 1, kvHeads: 1, headDim: 2 * d, options: { N: 32, P: 16, expand: 2, dConv: 4, groups: 1 } }),
  validate(cfg) {
    positiveInt(ID, 'd', cfg.d);
    knownOptions(ID, cfg, OPTIONS);
    for (const f of OPTIONS) if (cfg.options[f] !== undefined) positiveInt(ID, `options.${f}`, cfg.options[f]);
    const { I, P, H, G } = shapeOf(cfg);
    if (I % P !== 0) throw new InputError(`${ID}: options.P (${P}) must divide the inner width expand × d = ${I}`);
    if (H % G !== 0) throw new InputError(`${ID}: options.groups (${G}) must divide the number of heads expand × d / P = ${H}`);
  },
  params(cfg) {
    const { d, I, H, dc, Ch, W } = shapeOf(cfg);
    const cb = 1 / Math.sqrt(dc);
    return [
      { name: 'in_proj', shape: [d, W], init: 'glorot' },
      { name: 'conv_w', shape: [dc, Ch], init: { uniform: [-cb, cb] } },
      { name: 'conv_b', shape: [Ch], init: { uniform: [-cb, cb] } },
      { name: 'dt_bias', shape: [H], init: { uniform: [invSoftplus(0.001), invSoftplus(0.1)] } },
      { name: 'A_log', shape: [H], init: { uniform: [0, Math.log(16)] } },
      { name: 'D', shape: [H], init: 'ones' },
      { name: 'norm_w', shape: [I], init: 'ones' },
      { name: 'out_proj', shape: [I, d], init: 'glorot' },
    ] satisfies ParamSpec[];
  },
  trainForward(tf, w, u, cfg) {
    const { I, N, P, H, G, dc, Ch } = shapeOf(cfg);
    const [b, L, d] = u.shape;
    const [z, xbc0, dtRaw] = tf.split(project(tf, tf.reshape(u, [b * L, d]), w.in_proj), [I, Ch, H], 1);
    const xbc = causalConvSiluTf(tf, tf.reshape(xbc0, [b, L, Ch]), w.conv_w, w.conv_b, dc);
    const [x, Bm, Cm] = tf.split(xbc, [I, G * N, G * N], 2);
    const delta = perChannel(tf, tf.reshape(tf.softplus(tf.add(dtRaw, w.dt_bias)), [b, L, H]), H, P); // [b, L, I]
    const A = tf.tile(tf.reshape(perChannel(tf, tf.neg(tf.exp(w.A_log)), H, P), [I, 1]), [1, N]); // [I, N]
    const Ig = I / G;
    const ys: Tensor[] = [];
    for (let g = 0; g < G; g++) {
      const ch = (t: Tensor) => tf.slice(t, [0, 0, g * Ig], [b, L, Ig]);
      const st = (t: Tensor) => tf.slice(t, [0, 0, g * N], [b, L, N]);
      ys.push(selectiveScan(tf, ch(delta), tf.slice(A, [g * Ig, 0], [Ig, N]), ch(x), st(Bm), st(Cm)));
    }
    let y: Tensor = G === 1 ? ys[0] : tf.concat(ys, 2);
    y = tf.add(y, tf.mul(perChannel(tf, w.D, H, P), x));
    const zz = tf.reshape(z, [b, L, I]);
    y = tf.reshape(tf.mul(y, tf.mul(zz, tf.sigmoid(zz))), [b * L, G, Ig]);
    y = tf.mul(tf.reshape(tf.mul(y, tf.rsqrt(tf.add(tf.mean(tf.square(y), -1, true), MAMBA2_NORM_EPS))), [b * L, I]), w.norm_w);
    return tf.reshape(project(tf, y, w.out_proj), [b, L, d]) as Tensor3D;
  },
  decoder(w: BlockWeights, cfg: BlockConfig, c: StepCounter): BlockDecoder {
    const s = shapeOf(cfg);
    const { d, I, N, P, H, G, dc, Ch } = s;
    const A = Float32Array.from(w.A_log, (a) => -Math.exp(a));
    const state = new Float32Array(I * N); // head h, channel p, state n: [(h·P + p)·N + n]
    const conv = convRing(Ch, dc, w.conv_w, w.conv_b);
    const Ig = I / G;
    return {
      step(u) {
        const zxbcdt = matVec(c, u, w.in_proj, d, s.W, 'projection');
        const xbc = conv(c, zxbcdt.subarray(I, I + Ch));
        const x = xbc.subarray(0, I);
        // Δ_h = softplus(δ_h + b_dt,h), exp(Δ_h·A_h)
        const dA = new Float32Array(H);
        const dt = new Float32Array(H);
        for (let h = 0; h < H; h++) {
          dt[h] = softplus(c, Math.fround(zxbcdt[I + Ch + h] + w.dt_bias[h]), 'softplus');
          dA[h] = Math.fround(Math.exp(Math.fround(dt[h] * A[h])));
        }
        c.op('add', 'bias', H);
        c.read('bias', H);
        c.op('mul', 'discretize', H + I);
        c.op('exp', 'discretize', H);
        c.read('weight', 2 * H); // A and D
        c.read('state', I * N);
        const y = new Float32Array(I);
        for (let h = 0; h < H; h++) {
          const g = Math.floor(h / (H / G));
          const Bo = I + g * N;
          const Co = I + G * N + g * N;
          for (let p = 0; p < P; p++) {
            const e = h * P + p;
            const dx = Math.fround(dt[h] * x[e]);
            let acc = 0;
            for (let n = 0; n < N; n++) {
              const k = e * N + n;
              state[k] = Math.fround(Math.fround(dA[h] * state[k]) + Math.fround(dx * xbc[Bo + n]));
              acc = Math.fround(acc + Math.fround(state[k] * xbc[Co + n]));
            }
            y[e] = Math.fround(acc + Math.fround(w.D[h] * x[e]));
          }
        }
        c.op('mul', 'state-decay', I * N);
        c.op('mac', 'state-update', I * N);
        c.op('mac', 'state-read', I * N);
        c.op('mac', 'skip', I);
        c.write('state', I * N);
        // gate, then RMSNorm per group (norm_before_gate = False)
        for (let e = 0; e < I; e++) y[e] = Math.fround(y[e] * silu(c, zxbcdt[e], 'output-gate'));
        c.op('mul', 'output-gate', I);
        for (let g = 0; g < G; g++) {
          let ss = 0;
          for (let e = g * Ig; e < (g + 1) * Ig; e++) ss = Math.fround(ss + Math.fround(y[e] * y[e]));
          const inv = Math.fround(1 / Math.sqrt(Math.fround(Math.fround(ss / Ig) + MAMBA2_NORM_EPS)));
          for (let e = g * Ig; e < (g + 1) * Ig; e++) y[e] = Math.fround(Math.fround(y[e] * inv) * w.norm_w[e]);
        }
        c.op('mac', 'norm', I);
        c.op('add', 'norm', G);
        c.op('div', 'norm', G);
        c.op('mul', 'norm', 2 * I);
        c.read('weight', I);
        return matVec(c, y, w.out_proj, I, d, 'projection');
      },
      activity: () => ({}),
      stores: () => mamba2Stores(s),
    };
  },
  stepCounts: (cfg) => mamba2Counts(shapeOf(cfg)),
  storesAt: (cfg) => mamba2Stores(shapeOf(cfg)),
};
