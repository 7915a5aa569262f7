// A small language model around one sequence-mixing block family, the same wrapper for every family
// so that the families differ only in their mixer (pre-norm residual stack, no positional encoding —
// the mixers carry order themselves, as NoPE transformers and recurrences do):
//
//   h₀ = E[token]                                  embedding [V, d]
//   per layer l:  h ← h + mixer_l(rms(h)·g1_l)      the family's SequenceBlock
//                 h ← h + W2·relu(W1·(rms(h)·g2_l) + b1) + b2     the token MLP [d, f], [f, d]
//   logits = (rms(h)·g_out)·W_out + b_out           [d, V]; softmax for the next-token distribution
//
// rms(x) = x / √(mean(x²) + ε). Spiking families spike inside their mixer; the wrapper's MLP is the
// same ANN for all families, so the comparison isolates inter-token processing.
import type { Scalar, Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import type { OperandStore } from '../../core/ledger.js';
import type { Tf } from '../train/tf.js';
import type { BlockConfig, BlockDecoder, BlockWeights, ParamSpec, SequenceBlock, StepActivity } from './block.js';
import type { StepCounts } from './counter.js';
import { StepCounter } from './counter.js';
import { matVec, softmaxInPlace } from './ops.js';

export const RMS_EPS = 1e-5;

export interface LmConfig {
  readonly block: SequenceBlock;
  readonly blockConfig: BlockConfig;
  readonly layers: number;
  readonly vocab: number;
  /** Width of the token MLP. */
  readonly mlpWidth: number;
}

const layerPrefix = (l: number) => `l${l}.`;

/** Every parameter of the model: embedding, per-layer norms, the block's own (prefixed `l<i>.mixer.`), the MLP, the head. */
export function lmParams(cfg: LmConfig): ParamSpec[] {
  const { d } = cfg.blockConfig;
  const f = cfg.mlpWidth;
  const out: ParamSpec[] = [{ name: 'embed', shape: [cfg.vocab, d], init: { uniform: [-0.5, 0.5] } }];
  for (let l = 0; l < cfg.layers; l++) {
    const p = layerPrefix(l);
    out.push({ name: `${p}norm1`, shape: [d], init: 'ones' });
    for (const s of cfg.block.params(cfg.blockConfig)) out.push({ ...s, name: `${p}mixer.${s.name}` });
    out.push(
      { name: `${p}norm2`, shape: [d], init: 'ones' },
      { name: `${p}mlp.w1`, shape: [d, f], init: 'glorot' },
      { name: `${p}mlp.b1`, shape: [f], init: 'zeros' },
      { name: `${p}mlp.w2`, shape: [f, d], init: 'glorot' },
      { name: `${p}mlp.b2`, shape: [d], init: 'zeros' },
    );
  }
  out.push({ name: 'normOut', shape: [d], init: 'ones' }, { name: 'head.w', shape: [d, cfg.vocab], init: 'glorot' }, { name: 'head.b', shape: [cfg.vocab], init: 'zeros' });
  return out;
}

/** The block's own weights of layer l, under the block's names. */
export function mixerWeights(cfg: LmConfig, w: BlockWeights, l: number): Record<string, Float32Array> {
  const p = `${layerPrefix(l)}mixer.`;
  const out: Record<string, Float32Array> = {};
  for (const s of cfg.block.params(cfg.blockConfig)) out[s.name] = w[p + s.name];
  return out;
}

function rmsTf(tf: Tf, x: Tensor, g: Tensor): Tensor {
  const ms = tf.mean(tf.square(x), -1, true);
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, RMS_EPS))), g);
}

/** Logits [batch, L, V] for tokens [batch, L] (int32), causal. */
export function lmForwardTf(tf: Tf, cfg: LmConfig, w: Readonly<Record<string, Tensor>>, tokens: Tensor2D): Tensor3D {
  const [b, L] = tokens.shape;
  const { d } = cfg.blockConfig;
  // a one-hot product rather than tf.gather: gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks
  const onehot = tf.oneHot(tf.reshape(tokens, [b * L]) as import('@tensorflow/tfjs-core').Tensor1D, cfg.vocab);
  let h = tf.reshape(tf.matMul(onehot, w.embed as Tensor2D), [b, L, d]) as Tensor3D;
  for (let l = 0; l < cfg.layers; l++) {
    const p = layerPrefix(l);
    const mw: Record<string, Tensor> = {};
    for (const s of cfg.block.params(cfg.blockConfig)) mw[s.name] = w[`${p}mixer.${s.name}`];
    h = tf.add(h, cfg.block.trainForward(tf, mw, rmsTf(tf, h, w[`${p}norm1`]) as Tensor3D, cfg.blockConfig)) as Tensor3D;
    const u = tf.reshape(rmsTf(tf, h, w[`${p}norm2`]), [b * L, d]);
    const hid = tf.relu(tf.add(tf.matMul(u as Tensor2D, w[`${p}mlp.w1`] as Tensor2D), w[`${p}mlp.b1`]));
    const m = tf.add(tf.matMul(hid as Tensor2D, w[`${p}mlp.w2`] as Tensor2D), w[`${p}mlp.b2`]);
    h = tf.add(h, tf.reshape(m, [b, L, d])) as Tensor3D;
  }
  const o = tf.reshape(rmsTf(tf, h, w.normOut), [b * L, d]) as Tensor2D;
  return tf.reshape(tf.add(tf.matMul(o, w['head.w'] as Tensor2D), w['head.b']), [b, L, cfg.vocab]) as Tensor3D;
}

/**
 * Mean next-token cross-entropy (nats) of `tokens` [batch, L+1]: inputs are the first L, targets the
 * last L; positions before `lossFrom` (per row) are not scored when given (recall scores answers only).
 */
export function lmLossTf(tf: Tf, cfg: LmConfig, w: Readonly<Record<string, Tensor>>, inputs: Tensor2D, targets: Tensor2D, mask?: Tensor2D): Scalar {
  const logits = lmForwardTf(tf, cfg, w, inputs);
  const [b, L] = inputs.shape;
  const flat = tf.reshape(logits, [b * L, cfg.vocab]) as Tensor2D;
  const logp = tf.logSoftmax(flat);
  const onehot = tf.oneHot(tf.reshape(targets, [b * L]) as import('@tensorflow/tfjs-core').Tensor1D, cfg.vocab);
  const nll = tf.neg(tf.sum(tf.mul(logp, onehot), -1));
  if (!mask) return tf.mean(nll) as Scalar;
  const m = tf.reshape(mask, [b * L]);
  return tf.div(tf.sum(tf.mul(nll, m)), tf.maximum(tf.sum(m), 1)) as Scalar;
}

// ---------------------------------------------------------------------------------------------
// Counted per-token decoding

/** rms(x)·g with its ops: d MACs (Σx²), 1 add (ε), 1 division (the reciprocal square root), 2d multiplies; gains read once. */
function rmsCounted(c: StepCounter, x: Float32Array, g: Float32Array): Float32Array {
  const d = x.length;
  let ss = 0;
  for (let i = 0; i < d; i++) ss = Math.fround(ss + Math.fround(x[i] * x[i]));
  const inv = Math.fround(1 / Math.sqrt(Math.fround(ss / d) + RMS_EPS));
  const y = new Float32Array(d);
  for (let i = 0; i < d; i++) y[i] = Math.fround(Math.fround(x[i] * inv) * g[i]);
  c.op('mac', 'norm', d);
  c.op('add', 'norm', 1);
  c.op('div', 'norm', 1);
  c.op('mul', 'norm', 2 * d);
  c.read('weight', d);
  c.read('input', d);
  return y;
}

/** The parts of the model a decode step passes through; each becomes one ledger layer. */
export type LmPart = 'embedding' | `l${number}.mixer` | `l${number}.mlp` | 'head';

export function lmParts(cfg: LmConfig): LmPart[] {
  const parts: LmPart[] = ['embedding'];
  for (let l = 0; l < cfg.layers; l++) parts.push(`l${l}.mixer`, `l${l}.mlp`);
  parts.push('head');
  return parts;
}

/** One decode step's result: the next-token distribution, and per part its counts and (mixers) activity. */
export interface LmStep {
  readonly probs: Float32Array;
  readonly counts: ReadonlyMap<LmPart, StepCounts>;
  readonly activity: ReadonlyMap<LmPart, StepActivity>;
}

export interface LmDecoder {
  step(token: number): LmStep;
  /** Stores per part after the last step (weights; KV cache or state for mixers). */
  stores(): ReadonlyMap<LmPart, OperandStore[]>;
}

const weightStore = (words: number): OperandStore => ({ operand: 'weight', words, bits: 32 });

export function lmDecoder(cfg: LmConfig, w: BlockWeights): LmDecoder {
  const { d } = cfg.blockConfig;
  const f = cfg.mlpWidth;
  const V = cfg.vocab;
  const counters = new Map<LmPart, StepCounter>(lmParts(cfg).map((p) => [p, new StepCounter()]));
  const mixers: BlockDecoder[] = [];
  for (let l = 0; l < cfg.layers; l++) mixers.push(cfg.block.decoder(mixerWeights(cfg, w, l), cfg.blockConfig, counters.get(`l${l}.mixer`)!));
  return {
    step(token: number): LmStep {
      if (!Number.isInteger(token) || token < 0 || token >= V) throw new Error(`token ${token} is outside the vocabulary 0…${V - 1}`);
      const ce = counters.get('embedding')!;
      let h: Float32Array = w.embed.slice(token * d, (token + 1) * d);
      ce.read('weight', d);
      ce.write('output', d);
      const activity = new Map<LmPart, StepActivity>();
      for (let l = 0; l < cfg.layers; l++) {
        const p = layerPrefix(l);
        const cm = counters.get(`l${l}.mixer`)!;
        const y = mixers[l].step(rmsCounted(cm, h, w[`${p}norm1`]));
        activity.set(`l${l}.mixer`, mixers[l].activity());
        h = addResidual(cm, h, y);
        const cf = counters.get(`l${l}.mlp`)!;
        const hid = matVec(cf, rmsCounted(cf, h, w[`${p}norm2`]), w[`${p}mlp.w1`], d, f, 'projection', w[`${p}mlp.b1`]);
        for (let i = 0; i < f; i++) if (hid[i] < 0) hid[i] = 0;
        cf.op('cmp', 'activation', f);
        h = addResidual(cf, h, matVec(cf, hid, w[`${p}mlp.w2`], f, d, 'projection', w[`${p}mlp.b2`]));
      }
      const ch = counters.get('head')!;
      const probs = matVec(ch, rmsCounted(ch, h, w.normOut), w['head.w'], d, V, 'projection', w['head.b']);
      softmaxInPlace(ch, probs, V);
      const counts = new Map<LmPart, StepCounts>();
      for (const [part, c] of counters) counts.set(part, c.take());
      return { probs, counts, activity };
    },
    stores(): ReadonlyMap<LmPart, OperandStore[]> {
      const m = new Map<LmPart, OperandStore[]>();
      m.set('embedding', [weightStore(V * d)]);
      for (let l = 0; l < cfg.layers; l++) {
        m.set(`l${l}.mixer`, [weightStore(d), ...mixers[l].stores()]);
        m.set(`l${l}.mlp`, [weightStore(d + d * f + f + f * d + d)]);
      }
      m.set('head', [weightStore(d + d * V + V)]);
      return m;
    },
  };
}

/** h + y: d adds; the residual stream read once and written once. */
function addResidual(c: StepCounter, h: Float32Array, y: Float32Array): Float32Array {
  const out = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) out[i] = Math.fround(h[i] + y[i]);
  c.op('add', 'residual', h.length);
  c.read('input', h.length);
  c.write('output', h.length);
  return out;
}
