// Linear attention (Katharopoulos, Vyas, Pappas & Fleuret, "Transformers are RNNs", ICML 2020;
// idiap/fast-transformers `CausalLinearAttention`): softmax(qkᵀ) replaced by the kernel φ(q)ᵀφ(k)
// with φ(x) = elu(x) + 1, so causal attention becomes a recurrence with a constant-size state:
//
//   per head h (dk = dv = headDim):   S ← S + φ(k)vᵀ      S ∈ R^{dk×dv}
//                                     z ← z + φ(k)        z ∈ R^{dk}
//                                     y = φ(q)ᵀS / (φ(q)ᵀz + ε)
//   q, k, v = x·Wq, x·Wk, x·Wv;  out = [y_1 … y_H]·Wo      (no biases)
//
// φ is evaluated branch-free as exp(min(x, 0)) + max(x, 0) (= elu(x) + 1): per element 1 compare,
// 1 EXP, 1 add, whatever the sign, so the ledger does not depend on the data.
//
// Counts of one decode step (P = H·dk; the state traffic does not depend on L):
//   mac/projection 4·d·P · cmp, exp, add/feature-map 2P each · mac/state-update H·dk·dv ·
//   add/state-update P (z) · mac/state-read H·dk·dv · mac/normalizer P (φ(q)ᵀz) · add/normalizer H (+ε) ·
//   div/normalizer H (its reciprocal) · mul/normalizer P (y scaled) ·
//   weight/read 4·d·P · input/read 3d + P · output/write 3P + d · state/read and state/write H·(dk·dv + dk).
import type { Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { InputError } from '../../../core/errors.js';
import type { OperandStore } from '../../../core/ledger.js';
import type { Tf } from '../../train/tf.js';
import type { BlockConfig, BlockDecoder, BlockWeights, ParamSpec, SequenceBlock } from '../block.js';
import type { CountedAccess, CountedOp, StepCounter, StepCounts } from '../counter.js';
import { countsOf } from '../counter.js';
import { matVec } from '../ops.js';

/** ε of the normalizer φ(q)ᵀz + ε (fast-transformers' default). */
export const LINEAR_EPS = 1e-6;

// ---------------------------------------------------------------------------------------------
// Helpers shared by the recurrent blocks (linear, gla, mamba)

/** Throws an InputError naming `field` unless v is a positive integer. */
export function positiveInt(block: string, field: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new InputError(`${block}: ${field} must be a positive integer, got ${v}`);
}

/** Throws an InputError naming the first option that is not one of `known`. */
export function knownOptions(block: string, cfg: BlockConfig, known: readonly string[]): void {
  for (const k of Object.keys(cfg.options)) if (!known.includes(k)) throw new InputError(`${block}: options.${k} is not an option of this family (known: ${known.join(', ')})`);
}

/** Checks d, heads, kvHeads (= heads: no grouped KV for a recurrent state) and headDim. */
export function checkHeads(block: string, cfg: BlockConfig): void {
  positiveInt(block, 'd', cfg.d);
  positiveInt(block, 'heads', cfg.heads);
  positiveInt(block, 'headDim', cfg.headDim);
  if (cfg.kvHeads !== cfg.heads) throw new InputError(`${block}: kvHeads must equal heads (${cfg.heads}), got ${cfg.kvHeads}: each head keeps its own state`);
}

export const mac = (purpose: string, count: number): CountedOp => ({ op: 'mac', numeric: 'fp', bits: 32, purpose, count });
export const fop = (op: CountedOp['op'], purpose: string, count: number): CountedOp => ({ op, numeric: 'fp', bits: 32, purpose, count });
export const rd = (operand: CountedAccess['operand'], count: number): CountedAccess => ({ operand, action: 'read', bits: 32, count });
export const wr = (operand: CountedAccess['operand'], count: number): CountedAccess => ({ operand, action: 'write', bits: 32, count });
export const store = (operand: OperandStore['operand'], words: number): OperandStore => ({ operand, words, bits: 32 });

/** [batch·L, inDim] · W[inDim, outDim] → [batch·L, outDim]. */
export function project(tf: Tf, x2: Tensor, w: Tensor): Tensor2D {
  return tf.matMul(x2 as Tensor2D, w as Tensor2D);
}

/** [b, L, H·p] → [b·H, L, p] (head-major batches for batched matmuls). */
export function splitHeads(tf: Tf, x: Tensor, b: number, L: number, H: number, p: number): Tensor3D {
  return tf.reshape(tf.transpose(tf.reshape(x, [b, L, H, p]), [0, 2, 1, 3]), [b * H, L, p]) as Tensor3D;
}

/** [b·H, L, p] → [b·L, H·p]. */
export function mergeHeads(tf: Tf, y: Tensor, b: number, L: number, H: number, p: number): Tensor2D {
  return tf.reshape(tf.transpose(tf.reshape(y, [b, H, L, p]), [0, 2, 1, 3]), [b * L, H * p]) as Tensor2D;
}

// ---------------------------------------------------------------------------------------------

/** φ(x) = elu(x) + 1 = exp(min(x, 0)) + max(x, 0), float32. */
function phi(x: number): number {
  return Math.fround(Math.fround(Math.exp(Math.min(x, 0))) + Math.max(x, 0));
}

function phiTf(tf: Tf, x: Tensor): Tensor {
  return tf.add(tf.exp(tf.minimum(x, 0)), tf.relu(x));
}

function linearCounts(cfg: BlockConfig): StepCounts {
  const { d, heads: H, headDim: p } = cfg;
  const P = H * p;
  return countsOf({
    compute: [
      mac('projection', 4 * d * P),
      fop('cmp', 'feature-map', 2 * P),
      fop('exp', 'feature-map', 2 * P),
      fop('add', 'feature-map', 2 * P),
      mac('state-update', H * p * p),
      fop('add', 'state-update', P),
      mac('state-read', H * p * p),
      mac('normalizer', P),
      fop('add', 'normalizer', H),
      fop('div', 'normalizer', H),
      fop('mul', 'normalizer', P),
    ],
    memory: [rd('weight', 4 * d * P), rd('input', 3 * d + P), wr('output', 3 * P + d), rd('state', H * (p * p + p)), wr('state', H * (p * p + p))],
  });
}

function linearStores(cfg: BlockConfig): OperandStore[] {
  const { d, heads: H, headDim: p } = cfg;
  return [store('weight', 4 * d * H * p), store('state', H * (p * p + p))];
}

export const linearAttentionBlock: SequenceBlock = {
  id: 'linear',
  title: 'Linear attention (φ = elu + 1)',
  family: 'ann',
  source: 'Katharopoulos et al., "Transformers are RNNs", ICML 2020 (arXiv 2006.16236); idiap/fast-transformers CausalLinearAttention',
  defaults: (d) => {
    const heads = d % 4 === 0 ? 4 : 1;
    return { d, heads, kvHeads: heads, headDim: d / heads, options: {} };
  },
  validate(cfg) {
    checkHeads('linear', cfg);
    knownOptions('linear', cfg, []);
  },
  params(cfg) {
    const P = cfg.heads * cfg.headDim;
    return [
      { name: 'wq', shape: [cfg.d, P], init: 'glorot' },
      { name: 'wk', shape: [cfg.d, P], init: 'glorot' },
      { name: 'wv', shape: [cfg.d, P], init: 'glorot' },
      { name: 'wo', shape: [P, cfg.d], init: 'glorot' },
    ] satisfies ParamSpec[];
  },
  /** Causal parallel form: A = (φ(Q)φ(K)ᵀ) ⊙ M (M lower-triangular with its diagonal), y = AV / (A·1 + ε). */
  trainForward(tf, w, x, cfg) {
    const [b, L, d] = x.shape;
    const { heads: H, headDim: p } = cfg;
    const x2 = tf.reshape(x, [b * L, d]);
    const q = phiTf(tf, splitHeads(tf, project(tf, x2, w.wq), b, L, H, p));
    const k = phiTf(tf, splitHeads(tf, project(tf, x2, w.wk), b, L, H, p));
    const v = splitHeads(tf, project(tf, x2, w.wv), b, L, H, p);
    const mask = new Float32Array(L * L);
    for (let i = 0; i < L; i++) for (let j = 0; j <= i; j++) mask[i * L + j] = 1;
    const a = tf.mul(tf.matMul(q as Tensor3D, k as Tensor3D, false, true), tf.tensor2d(mask, [L, L]));
    const num = tf.matMul(a as Tensor3D, v);
    const den = tf.add(tf.sum(a, -1, true), LINEAR_EPS);
    const y = mergeHeads(tf, tf.div(num, den), b, L, H, p);
    return tf.reshape(project(tf, y, w.wo), [b, L, d]) as Tensor3D;
  },
  decoder(w: BlockWeights, cfg: BlockConfig, c: StepCounter): BlockDecoder {
    const { d, heads: H, headDim: p } = cfg;
    const P = H * p;
    const S = new Float32Array(H * p * p); // head h, row i (key), column j (value): S[(h·p + i)·p + j]
    const z = new Float32Array(P);
    return {
      step(x) {
        const q = matVec(c, x, w.wq, d, P, 'projection');
        const k = matVec(c, x, w.wk, d, P, 'projection');
        const v = matVec(c, x, w.wv, d, P, 'projection');
        for (let i = 0; i < P; i++) {
          q[i] = phi(q[i]);
          k[i] = phi(k[i]);
        }
        c.op('cmp', 'feature-map', 2 * P);
        c.op('exp', 'feature-map', 2 * P);
        c.op('add', 'feature-map', 2 * P);
        c.read('state', H * (p * p + p));
        const y = new Float32Array(P);
        for (let h = 0; h < H; h++) {
          const o = h * p;
          // S += φ(k)vᵀ, z += φ(k)
          for (let i = 0; i < p; i++) {
            const ki = k[o + i];
            const row = (o + i) * p;
            for (let j = 0; j < p; j++) S[row + j] = Math.fround(S[row + j] + Math.fround(ki * v[o + j]));
            z[o + i] = Math.fround(z[o + i] + ki);
          }
          // y = φ(q)ᵀS / (φ(q)ᵀz + ε)
          let den = 0;
          for (let i = 0; i < p; i++) {
            const qi = q[o + i];
            const row = (o + i) * p;
            for (let j = 0; j < p; j++) y[o + j] = Math.fround(y[o + j] + Math.fround(qi * S[row + j]));
            den = Math.fround(den + Math.fround(qi * z[o + i]));
          }
          const inv = Math.fround(1 / Math.fround(den + LINEAR_EPS));
          for (let j = 0; j < p; j++) y[o + j] = Math.fround(y[o + j] * inv);
        }
        c.op('mac', 'state-update', H * p * p);
        c.op('add', 'state-update', P);
        c.op('mac', 'state-read', H * p * p);
        c.op('mac', 'normalizer', P);
        c.op('add', 'normalizer', H);
        c.op('div', 'normalizer', H);
        c.op('mul', 'normalizer', P);
        c.write('state', H * (p * p + p));
        return matVec(c, y, w.wo, P, d, 'projection');
      },
      activity: () => ({}),
      stores: () => linearStores(cfg),
    };
  },
  stepCounts: (cfg) => linearCounts(cfg),
  storesAt: (cfg) => linearStores(cfg),
};
