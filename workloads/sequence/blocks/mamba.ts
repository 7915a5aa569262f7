// Mamba-1 selective state-space block (Gu & Dao, "Mamba: Linear-Time Sequence Modeling with Selective
// State Spaces", 2023, arXiv 2312.00752; the `Mamba` module of state-spaces/mamba and its `step()`),
// with its defaults N = 16, d_conv = 4, E = 2, R = ⌈d/16⌉. With I = E·d (the inner width):
//
//   [x, z] = u·W_in                         W_in [d, 2I], no bias
//   x ← SiLU(causal depthwise conv1d(x))    width d_conv, per-channel weights [d_conv, I] and bias [I];
//                                           its state: the last d_conv − 1 inputs
//   [δ, B, C] = x·W_x                       W_x [I, R + 2N]
//   Δ = softplus(δ·W_dt + b_dt)             W_dt [R, I], b_dt [I]
//   Ā = exp(Δ ⊗ A),  A = −exp(A_log)        A_log [I, N]: S4D-real, A_log[e, n] = log(n + 1) + a[e, n]
//   h ← Ā ⊙ h + (Δ ⊙ x) ⊗ B                 h [I, N]   (the input term as ΔBx: I mults, then I·N MACs)
//   y = h·C + D ⊙ x;   y ← y ⊙ SiLU(z);   out = y·W_out      D [I], W_out [I, d]
//
// Mamba-1 has no heads: cfg.heads, kvHeads and headDim are not used. The parameter `A_log_offset` is
// a[e, n] above (zeros = the S4D-real initialization A = −(n + 1), which ParamSpec cannot express);
// the decoder folds A = −exp(log(n + 1) + a) once, as inference code does, and reads A as a weight.
// b_dt is drawn uniform in softplus⁻¹([0.001, 0.1]) (≈ Mamba's log-uniform Δ initialization) and W_dt
// uniform ±R^−½ (dt_init 'random'); the conv as PyTorch's Conv1d default (uniform ±d_conv^−½).
//
// The conv state is a ring buffer: each step reads the d_conv − 1 previous inputs and overwrites the
// oldest with the new one (I words written), instead of shifting the whole window.
//
// trainForward: the conv as d_conv shifted multiply-adds; the selective scan (discretization, h over
// time, h·C) as one custom op with its own backward (`selectiveScan`).
//
// Counts of one decode step (I = E·d):
//   mac/projection 2·d·I + I·(R + 2N) + R·I + I·d · add/bias 2I (conv, dt) · mac/conv I·d_conv ·
//   exp, add, div, mul/activation I each (SiLU after the conv) · exp, log, add/softplus I each ·
//   mul/discretize I·N + I (Δ⊗A, Δ⊙x) · exp/discretize I·N (Ā) · mul/state-decay I·N ·
//   mac/state-update I·N · mac/state-read I·N (h·C) · mac/skip I (D⊙x) ·
//   exp, add, div/output-gate I each, mul/output-gate 2I ·
//   weight/read 2·d·I + I·d_conv + I·(R + 2N) + R·I + I·N + I + I·d · bias/read 2I ·
//   input/read d + 2I + R · output/write 3I + R + 2N + d ·
//   state/read I·N + I·(d_conv − 1) · state/write I·N + I (the conv term only when d_conv > 1).
import type { GradSaveFunc, Tensor, Tensor3D } from '@tensorflow/tfjs-core';
import type { Tf } from '../../train/tf.js';
import type { OperandStore } from '../../../core/ledger.js';
import type { BlockConfig, BlockDecoder, BlockWeights, ParamSpec, SequenceBlock } from '../block.js';
import type { CountedOp, StepCounter, StepCounts } from '../counter.js';
import { countsOf } from '../counter.js';
import { matVec, silu, softplus } from '../ops.js';
import { fop, knownOptions, mac, positiveInt, project, rd, store, wr } from './linear.js';

const OPTIONS = ['N', 'dConv', 'expand', 'dtRank'] as const;

interface MambaShape {
  readonly d: number;
  /** Inner width E·d. */
  readonly I: number;
  readonly N: number;
  readonly dc: number;
  readonly R: number;
}

function shapeOf(cfg: BlockConfig): MambaShape {
  const o = cfg.options;
  return { d: cfg.d, I: (o.expand ?? 2) * cfg.d, N: o.N ?? 16, dc: o.dConv ?? 4, R: o.dtRank ?? Math.ceil(cfg.d / 16) };
}

/** softplus⁻¹(y) = log(e^y − 1). */
export const invSoftplus = (y: number) => Math.log(Math.expm1(y));

/**
 * The selective scan of Mamba-1 as one custom op (as state-spaces/mamba's selective_scan_fn is one
 * kernel with its own backward): for Δ, x [batch, L, I], A [I, N], B, C [batch, L, N],
 *   h_t = exp(Δ_t ⊗ A) ⊙ h_{t−1} + (Δ_t ⊙ x_t) ⊗ B_t,   y_t = h_t · C_t        → y [batch, L, I].
 * The forward is the decoder's float32 arithmetic in the decoder's order; the backward runs the
 * adjoint scan in reverse time (float64 accumulators) over the h_t and exp(Δ_t A) kept from the forward.
 */
export function selectiveScan(tf: Tf, delta: Tensor, A: Tensor, x: Tensor, Bm: Tensor, Cm: Tensor): Tensor {
  const [nb, L, I] = delta.shape;
  const N = A.shape[1]!;
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [dt, At, xt, Bt, Ct] = args as Tensor[];
    const dv = dt.dataSync() as Float32Array;
    const av = At.dataSync() as Float32Array;
    const xv = xt.dataSync() as Float32Array;
    const bv = Bt.dataSync() as Float32Array;
    const cv = Ct.dataSync() as Float32Array;
    const H = new Float32Array(nb * L * I * N); // h_t, index ((b·L + t)·I + e)·N + n
    const dA = new Float32Array(nb * L * I * N); // exp(Δ_t A)
    const y = new Float32Array(nb * L * I);
    for (let b = 0; b < nb; b++) {
      for (let t = 0; t < L; t++) {
        const bt = b * L + t;
        for (let e = 0; e < I; e++) {
          const de = dv[bt * I + e];
          const dx = Math.fround(de * xv[bt * I + e]);
          let acc = 0;
          for (let n = 0; n < N; n++) {
            const k = (bt * I + e) * N + n;
            const a = Math.fround(Math.exp(Math.fround(de * av[e * N + n])));
            const prev = t === 0 ? 0 : Math.fround(a * H[k - I * N]);
            const h = Math.fround(prev + Math.fround(dx * bv[bt * N + n]));
            dA[k] = a;
            H[k] = h;
            acc = Math.fround(acc + Math.fround(h * cv[bt * N + n]));
          }
          y[bt * I + e] = acc;
        }
      }
    }
    return {
      value: tf.tensor(y, [nb, L, I]),
      gradFunc: (dy: Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const gDelta = new Float32Array(nb * L * I);
        const gX = new Float32Array(nb * L * I);
        const gA = new Float64Array(I * N);
        const gB = new Float64Array(nb * L * N);
        const gC = new Float64Array(nb * L * N);
        const carry = new Float64Array(N); // ∂loss/∂h_t through h_{t+1}: exp(Δ_{t+1}A) ⊙ ∂loss/∂h_{t+1}
        for (let b = 0; b < nb; b++) {
          for (let e = 0; e < I; e++) {
            carry.fill(0);
            for (let t = L - 1; t >= 0; t--) {
              const bt = b * L + t;
              const de = dv[bt * I + e];
              const xe = xv[bt * I + e];
              const dx = de * xe;
              const gy = g[bt * I + e];
              let gDe = 0;
              let gDx = 0;
              for (let n = 0; n < N; n++) {
                const k = (bt * I + e) * N + n;
                const hPrev = t === 0 ? 0 : H[k - I * N];
                gC[bt * N + n] += gy * H[k];
                const gh = carry[n] + gy * cv[bt * N + n];
                const a = dA[k];
                const gaA = gh * hPrev * a; // ∂loss/∂(Δ·A)
                gDe += gaA * av[e * N + n];
                gA[e * N + n] += gaA * de;
                gDx += gh * bv[bt * N + n];
                gB[bt * N + n] += gh * dx;
                carry[n] = gh * a;
              }
              gDelta[bt * I + e] = gDe + gDx * xe;
              gX[bt * I + e] = gDx * de;
            }
          }
        }
        return [tf.tensor(gDelta, [nb, L, I]), tf.tensor(Float32Array.from(gA), [I, N]), tf.tensor(gX, [nb, L, I]), tf.tensor(Float32Array.from(gB), [nb, L, N]), tf.tensor(Float32Array.from(gC), [nb, L, N])];
      },
    };
  });
  return op(delta, A, x, Bm, Cm);
}

/**
 * SiLU(causal depthwise conv1d(x)) of the parallel form, x [b, L, Ch], weights [dc, Ch], bias [Ch]:
 * out_t = bias + Σ_j w[j]·x_{t−(dc−1)+j} (zeros before the start) as dc shifted multiply-adds.
 */
export function causalConvSiluTf(tf: Tf, x: Tensor, convW: Tensor, convB: Tensor, dc: number): Tensor {
  const [b, L, Ch] = x.shape;
  const xp = tf.pad(x, [
    [0, 0],
    [dc - 1, 0],
    [0, 0],
  ]);
  const cw = tf.unstack(convW, 0);
  let conv: Tensor = convB;
  for (let j = 0; j < dc; j++) conv = tf.add(conv, tf.mul(cw[j], tf.slice(xp, [0, j, 0], [b, L, Ch])));
  return tf.mul(conv, tf.sigmoid(conv));
}

/**
 * The decoder's causal depthwise conv over Ch channels, then SiLU: a ring of the dc − 1 previous
 * inputs (slot t mod (dc − 1) holds x_t), read once and the oldest slot overwritten by the new input.
 * Per step: mac/conv Ch·dc, add/bias Ch, SiLU (exp, add, div, mul/activation Ch each), weight read
 * Ch·dc, bias read Ch, state read Ch·(dc − 1), state write Ch (when dc > 1).
 */
export function convRing(Ch: number, dc: number, convW: Float32Array, convB: Float32Array): (c: StepCounter, x: Float32Array) => Float32Array {
  const ring = new Float32Array((dc - 1) * Ch);
  let t = 0;
  return (c, xin) => {
    const out = new Float32Array(Ch);
    for (let e = 0; e < Ch; e++) {
      let acc = convB[e];
      for (let j = 0; j < dc - 1; j++) {
        const slot = (t + j) % (dc - 1); // x_{t−(dc−1)+j}
        acc = Math.fround(acc + Math.fround(convW[j * Ch + e] * ring[slot * Ch + e]));
      }
      acc = Math.fround(acc + Math.fround(convW[(dc - 1) * Ch + e] * xin[e]));
      out[e] = silu(c, acc, 'activation');
    }
    if (dc > 1) ring.set(xin, (t % (dc - 1)) * Ch);
    t++;
    c.op('mac', 'conv', Ch * dc);
    c.op('add', 'bias', Ch);
    c.read('weight', Ch * dc);
    c.read('bias', Ch);
    c.read('state', Ch * (dc - 1));
    if (dc > 1) c.write('state', Ch);
    return out;
  };
}

/** n SiLUs for `purpose` (ops.ts silu: exp, add, div, mul n each) and `extraMul` further multiplies. */
export const siluEntries = (purpose: string, n: number, extraMul = 0): CountedOp[] => [fop('exp', purpose, n), fop('add', purpose, n), fop('div', purpose, n), fop('mul', purpose, n + extraMul)];

/** n softplus (ops.ts softplus: exp, log, add n each). */
export const softplusEntries = (n: number): CountedOp[] => [fop('exp', 'softplus', n), fop('log', 'softplus', n), fop('add', 'softplus', n)];

function mambaCounts(s: MambaShape): StepCounts {
  const { d, I, N, dc, R } = s;
  return countsOf({
    compute: [
      mac('projection', 2 * d * I + I * (R + 2 * N) + R * I + I * d),
      fop('add', 'bias', 2 * I),
      mac('conv', I * dc),
      ...siluEntries('activation', I),
      ...softplusEntries(I),
      fop('mul', 'discretize', I * N + I),
      fop('exp', 'discretize', I * N),
      fop('mul', 'state-decay', I * N),
      mac('state-update', I * N),
      mac('state-read', I * N),
      mac('skip', I),
      ...siluEntries('output-gate', I, I),
    ],
    memory: [
      rd('weight', 2 * d * I + I * dc + I * (R + 2 * N) + R * I + I * N + I + I * d),
      rd('bias', 2 * I),
      rd('input', d + 2 * I + R),
      wr('output', 3 * I + R + 2 * N + d),
      rd('state', I * N + I * (dc - 1)),
      wr('state', I * N + (dc > 1 ? I : 0)),
    ],
  });
}

function mambaStores(s: MambaShape): OperandStore[] {
  const { d, I, N, dc, R } = s;
  const weights = 2 * d * I + I * dc + I + I * (R + 2 * N) + R * I + I + I * N + I + I * d;
  return [store('weight', weights), store('state', I * N), ...(dc > 1 ? [store('state', I * (dc - 1))] : [])];
}

export const mambaBlock: SequenceBlock = {
  id: 'mamba',
  title: 'Mamba-1 selective SSM',
  family: 'ann',
  source: 'Gu & Dao, "Mamba: Linear-Time Sequence Modeling with Selective State Spaces", 2023 (arXiv 2312.00752); state-spaces/mamba Mamba.step',
  defaults: (d) => ({ d, heads: 1, kvHeads: 1, headDim: 2 * d, options: { N: 16, dConv: 4, expand: 2, dtRank: Math.ceil(d / 16) } }),
  validate(cfg) {
    positiveInt('mamba', 'd', cfg.d);
    knownOptions('mamba', cfg, OPTIONS);
    for (const f of OPTIONS) if (cfg.options[f] !== undefined) positiveInt('mamba', `options.${f}`, cfg.options[f]);
  },
  params(cfg) {
    const { d, I, N, dc, R } = shapeOf(cfg);
    const cb = 1 / Math.sqrt(dc);
    const rb = 1 / Math.sqrt(R);
    return [
      { name: 'in_proj', shape: [d, 2 * I], init: 'glorot' },
      { name: 'conv_w', shape: [dc, I], init: { uniform: [-cb, cb] } },
      { name: 'conv_b', shape: [I], init: { uniform: [-cb, cb] } },
      { name: 'x_proj', shape: [I, R + 2 * N], init: 'glorot' },
      { name: 'dt_proj', shape: [R, I], init: { uniform: [-rb, rb] } },
      { name: 'dt_bias', shape: [I], init: { uniform: [invSoftplus(0.001), invSoftplus(0.1)] } },
      { name: 'A_log_offset', shape: [I, N], init: 'zeros' },
      { name: 'D', shape: [I], init: 'ones' },
      { name: 'out_proj', shape: [I, d], init: 'glorot' },
    ] satisfies ParamSpec[];
  },
  trainForward(tf, w, u, cfg) {
    const { I, N, dc, R } = shapeOf(cfg);
    const [b, L, d] = u.shape;
    const u2 = tf.reshape(u, [b * L, d]);
    const [x0, z] = tf.split(project(tf, u2, w.in_proj), [I, I], 1);
    const x = causalConvSiluTf(tf, tf.reshape(x0, [b, L, I]), w.conv_w, w.conv_b, dc); // [b, L, I]
    const [dtl, Bm, Cm] = tf.split(project(tf, tf.reshape(x, [b * L, I]), w.x_proj), [R, N, N], 1);
    const delta = tf.reshape(tf.softplus(tf.add(project(tf, dtl, w.dt_proj), w.dt_bias)), [b, L, I]);
    const logN = tf.tensor2d(Float32Array.from({ length: I * N }, (_, i) => Math.log((i % N) + 1)), [I, N]);
    const A = tf.neg(tf.exp(tf.add(logN, w.A_log_offset)));
    let y: Tensor = selectiveScan(tf, delta, A, x, tf.reshape(Bm, [b, L, N]), tf.reshape(Cm, [b, L, N]));
    y = tf.add(y, tf.mul(w.D, x));
    const zz = tf.reshape(z, [b, L, I]);
    y = tf.mul(y, tf.mul(zz, tf.sigmoid(zz)));
    return tf.reshape(project(tf, tf.reshape(y, [b * L, I]), w.out_proj), [b, L, d]) as Tensor3D;
  },
  decoder(w: BlockWeights, cfg: BlockConfig, c: StepCounter): BlockDecoder {
    const s = shapeOf(cfg);
    const { d, I, N, dc, R } = s;
    const A = Float32Array.from(w.A_log_offset, (a, i) => -Math.exp(Math.fround(Math.fround(Math.log((i % N) + 1)) + a)));
    const h = new Float32Array(I * N);
    const conv = convRing(I, dc, w.conv_w, w.conv_b);
    return {
      step(u) {
        const xz = matVec(c, u, w.in_proj, d, 2 * I, 'projection');
        const x = conv(c, xz.subarray(0, I));
        const xdbl = matVec(c, x, w.x_proj, I, R + 2 * N, 'projection');
        const delta = matVec(c, xdbl.subarray(0, R), w.dt_proj, R, I, 'projection', w.dt_bias);
        for (let e = 0; e < I; e++) delta[e] = softplus(c, delta[e], 'softplus');
        const B = xdbl.subarray(R, R + N);
        const C = xdbl.subarray(R + N, R + 2 * N);
        // selective scan step: h ← exp(Δ⊗A) ⊙ h + (Δ⊙x)⊗B;  y = h·C + D⊙x
        c.read('weight', I * N + I);
        c.read('state', I * N);
        const y = new Float32Array(I);
        for (let e = 0; e < I; e++) {
          const de = delta[e];
          const dx = Math.fround(de * x[e]);
          let acc = 0;
          for (let n = 0; n < N; n++) {
            const k = e * N + n;
            const dA = Math.fround(Math.exp(Math.fround(de * A[k])));
            h[k] = Math.fround(Math.fround(dA * h[k]) + Math.fround(dx * B[n]));
            acc = Math.fround(acc + Math.fround(h[k] * C[n]));
          }
          y[e] = Math.fround(acc + Math.fround(w.D[e] * x[e]));
        }
        c.op('mul', 'discretize', I * N + I);
        c.op('exp', 'discretize', I * N);
        c.op('mul', 'state-decay', I * N);
        c.op('mac', 'state-update', I * N);
        c.op('mac', 'state-read', I * N);
        c.op('mac', 'skip', I);
        c.write('state', I * N);
        for (let e = 0; e < I; e++) y[e] = Math.fround(y[e] * silu(c, xz[I + e], 'output-gate'));
        c.op('mul', 'output-gate', I);
        return matVec(c, y, w.out_proj, I, d, 'projection');
      },
      activity: () => ({}),
      stores: () => mambaStores(s),
    };
  },
  stepCounts: (cfg) => mambaCounts(shapeOf(cfg)),
  storesAt: (cfg) => mambaStores(shapeOf(cfg)),
};
