// What the spiking sequence blocks (spikformer.ts, sdsa.ts, spikegpt.ts) share: their options and
// validation, the LIF population of the counted decoder (harness/neurons.ts `NeuronLayer`), its tfjs
// twin (surrogate-gradient spikes through workloads/train/surrogate.ts `spikeFn`), the rate read-out
// of a spike-driven projection, the closed-form counts of these pieces, and `qkvoBlock`: the frame
// of spikformer and sdsa (input LIF → Q, K, V LIFs → attention core → W_o), so that those two files
// hold only their attention.
//
// Conventions of the spiking blocks (per token x_t, length d):
//  - T timesteps per token (option `timesteps`, default 4), direct coding: x_t (or a real vector
//    derived from it) is the input current of an encoding LIF population at every step;
//  - LIF v ← β·v + (b + I), spike when v ≥ θ, reset to zero (SpikingJelly's hard reset, as Spikformer,
//    Spike-driven Transformer and SpikeGPT use); β = option `decay` (0.5: τ = 2, the papers' LIF),
//    θ = option `threshold` (1); attention neurons use option `attnThreshold` (0.5, as in both
//    papers' attn_lif / talking_heads_lif);
//  - membranes start from zero at every token: the T steps of one token are one "sample" (Spikformer's
//    functional.reset_net between samples); what carries information across tokens is the block's
//    own cache or state;
//  - BatchNorm is folded: at inference BN is a per-channel affine map, which folds into the linear
//    layer before it (scale into W, shift into a bias b). The blocks train that folded form directly
//    (a linear layer with a bias, no batch statistics);
//  - the block output is the mean over the T steps of its last projection (a non-spiking read-out
//    that integrates the projection's output, as harness/neurons.ts's read-out does), plus its bias.
//
// Counting (StepCounter, traffic convention of counter.ts):
//  - a LIF population of N neurons, per step: N leak multiplies, N integrate adds, N threshold
//    compares (fp32), + N bias adds and N bias reads when it has a bias; its N membrane potentials
//    read and written once (operand 'potential', 32-bit); its input current read once (32-bit words
//    of 'input', or of the operand that holds it); its N spikes written once as 1-bit 'output' words.
//    A reset to zero is a write the potential write already counts; it has no arithmetic;
//  - a spike × weight product is ops.ts `spikeMatVec`: per spike a weight row read and `outDim` ACs;
//    the spike vector read as 1-bit words; the current written once;
//  - integer work on spikes (attention score counts) is int32 ('int', 32 bits); a bitwise AND
//    of two spike vectors is counted as 1-bit integer multiplies ('mul', int, 1 bit), one per element.
import type { GradSaveFunc, Tensor, Tensor3D } from '@tensorflow/tfjs-core';
import { InputError } from '../../../core/errors.js';
import type { Operand, OperandStore } from '../../../core/ledger.js';
import type { NeuronParams } from '../../../harness/neurons.js';
import { NeuronLayer } from '../../../harness/neurons.js';
import type { Surrogate } from '../../train/surrogate.js';
import { spikeFn } from '../../train/surrogate.js';
import type { Tf } from '../../train/tf.js';
import type { BlockConfig, BlockDecoder, BlockWeights, ParamSpec, SequenceBlock, StepActivity } from '../block.js';
import type { CountedAccess, CountedOp, StepCounter, StepCounts } from '../counter.js';
import { countsOf } from '../counter.js';
import { spikeMatVec } from '../ops.js';

/** Surrogate derivative of every spiking block: arctan, α = 2 (SpikeGPT's `surrogate.ATan(alpha=2.0)`). */
export const SURROGATE: Surrogate = { kind: 'arctan', slope: 2 };

/** Width of the integer accumulators of spike counts (attention scores and sums, column sums). */
export const COUNT_BITS = 32;

export interface SpikingOptions {
  /** Timesteps T per token. */
  readonly T: number;
  readonly threshold: number;
  /** Membrane decay β per step. */
  readonly beta: number;
  /** Threshold of the attention neurons (spikformer, sdsa). */
  readonly attnThreshold: number;
}

export const SPIKING_DEFAULTS = { timesteps: 4, threshold: 1, decay: 0.5 } as const;

export function spikingOptions(cfg: BlockConfig): SpikingOptions {
  const o = cfg.options;
  return { T: o.timesteps ?? SPIKING_DEFAULTS.timesteps, threshold: o.threshold ?? SPIKING_DEFAULTS.threshold, beta: o.decay ?? SPIKING_DEFAULTS.decay, attnThreshold: o.attnThreshold ?? 0.5 };
}

/** The harness neuron the decoders step: LIF, reset to zero, no refractory period. */
export function lifNeuron(o: SpikingOptions): NeuronParams {
  return { model: 'lif', reset: 'zero', beta: o.beta, alpha: 0, refractory: 0 };
}

/**
 * Checks a spiking block's configuration; throws an InputError naming the field. `known` lists the
 * options the block reads (unknown options are refused: a misspelt option would silently be ignored).
 */
export function validateSpiking(id: string, cfg: BlockConfig, known: readonly string[], extra: Readonly<Record<string, (v: number) => string | null>> = {}): void {
  const fail = (field: string, msg: string): never => {
    throw new InputError(`${id}: ${field} ${msg}`);
  };
  const posInt = (field: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) fail(field, `must be a positive integer, got ${v}`);
  };
  posInt('d', cfg.d);
  posInt('heads', cfg.heads);
  if (cfg.d % cfg.heads !== 0) fail('heads', `(${cfg.heads}) must divide d (${cfg.d})`);
  if (cfg.headDim !== cfg.d / cfg.heads) fail('headDim', `must be d / heads = ${cfg.d / cfg.heads}, got ${cfg.headDim}`);
  if (cfg.kvHeads !== cfg.heads) fail('kvHeads', `must equal heads (${cfg.heads}): spiking attention has one key/value head per query head, got ${cfg.kvHeads}`);
  for (const k of Object.keys(cfg.options)) if (!known.includes(k)) fail(`options.${k}`, `is not an option of ${id}; known: ${known.join(', ')}`);
  const o = cfg.options;
  if (o.timesteps !== undefined) posInt('options.timesteps', o.timesteps);
  if (o.threshold !== undefined && !(o.threshold > 0 && Number.isFinite(o.threshold))) fail('options.threshold', `must be a positive number, got ${o.threshold}`);
  if (o.decay !== undefined && !(o.decay > 0 && o.decay <= 1)) fail('options.decay', `(membrane decay β) must be in (0, 1], got ${o.decay}`);
  if (o.attnThreshold !== undefined && !(o.attnThreshold > 0 && Number.isFinite(o.attnThreshold))) fail('options.attnThreshold', `must be a positive number, got ${o.attnThreshold}`);
  for (const [k, check] of Object.entries(extra)) {
    const v = o[k];
    if (v === undefined) continue;
    const msg = check(v);
    if (msg) fail(`options.${k}`, msg);
  }
}

// ---------------------------------------------------------------------------------------------
// Counted decoder pieces

export interface LifLayerOptions {
  /** A bias added to the current every step (the folded BatchNorm shift). */
  readonly bias?: Float32Array;
  /** The operand the current is read from each step (32-bit words); null when its read is counted elsewhere. */
  readonly current?: Operand | null;
}

/** N LIF neurons stepped with harness/neurons.ts; counts per step as the header says. */
export class LifLayer {
  private readonly neurons: NeuronLayer;

  constructor(
    private readonly c: StepCounter,
    readonly size: number,
    threshold: number,
    o: SpikingOptions,
    private readonly opts: LifLayerOptions = {},
  ) {
    this.neurons = new NeuronLayer(lifNeuron(o), size, threshold);
  }

  /** Membranes back to zero for a new token (no access counted: the first step overwrites them). */
  reset(): void {
    this.neurons.reset();
  }

  /** One timestep with input current `current` (length N): the spikes (0/1). */
  step(current: Float32Array): Float32Array {
    const N = this.size;
    const b = this.opts.bias;
    const s = new Float32Array(N);
    this.neurons.step(current, b, s);
    const c = this.c;
    c.op('mul', 'leak', N);
    c.op('add', 'integrate', N);
    c.op('cmp', 'threshold', N);
    if (b) {
      c.op('add', 'bias', N);
      c.read('bias', N);
    }
    c.read('potential', N);
    c.write('potential', N);
    const cur = this.opts.current === undefined ? 'input' : this.opts.current;
    if (cur) c.read(cur, N);
    c.write('output', N, 1);
    return s;
  }
}

export function countSpikes(s: Float32Array): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) n += s[i];
  return n;
}

/**
 * The rate read-out of a spike-driven projection W [inDim, outDim]: each step spikeMatVec's current
 * is added into an accumulator (outDim adds, 'readout'); `mean()` multiplies by 1/T (outDim multiplies).
 */
export class RateReadout {
  readonly acc: Float32Array;
  constructor(
    private readonly c: StepCounter,
    private readonly w: Float32Array,
    private readonly inDim: number,
    private readonly outDim: number,
  ) {
    this.acc = new Float32Array(outDim);
  }

  /** Adds s·W; returns the number of spikes. */
  add(s: Float32Array): number {
    const { y, spikes } = spikeMatVec(this.c, s, this.w, this.inDim, this.outDim, 'projection');
    for (let j = 0; j < this.outDim; j++) this.acc[j] = Math.fround(this.acc[j] + y[j]);
    this.c.op('add', 'readout', this.outDim);
    return spikes;
  }

  /** acc / T (as a multiply by 1/T); the accumulator starts again from zero. */
  mean(T: number): Float32Array {
    const inv = Math.fround(1 / T);
    const out = new Float32Array(this.outDim);
    for (let j = 0; j < this.outDim; j++) out[j] = Math.fround(this.acc[j] * inv);
    this.acc.fill(0);
    this.c.op('mul', 'readout', this.outDim);
    return out;
  }
}

/** y + b for the block's output bias: d adds, d bias reads, the output written once. */
function addOutputBias(c: StepCounter, y: Float32Array, b: Float32Array): Float32Array {
  for (let j = 0; j < y.length; j++) y[j] = Math.fround(y[j] + b[j]);
  c.op('add', 'bias', y.length);
  c.read('bias', y.length);
  c.write('output', y.length);
  return y;
}

/** Spike trains of one decode step: per stage, per timestep, the stage's spike vector. */
export type StepTrains = ReadonlyMap<string, readonly Float32Array[]>;

/** A spiking block's decoder also exposes the spike trains of its last step (for the equivalence tests). */
export interface SpikingDecoder extends BlockDecoder {
  trains(): StepTrains;
}

/** The parallel form with its spike trains: per stage, per timestep, a [batch·L, N] tensor (token-major rows). */
export interface ParallelSpiking {
  readonly y: Tensor;
  readonly spikes: ReadonlyMap<string, readonly Tensor[]>;
}

/** A spiking SequenceBlock whose decoder and parallel form expose their spike trains. */
export interface SpikingBlock extends SequenceBlock {
  decoder(...args: Parameters<SequenceBlock['decoder']>): SpikingDecoder;
  parallelWithSpikes(tf: Tf, w: Readonly<Record<string, Tensor>>, x: Tensor, cfg: BlockConfig): ParallelSpiking;
}

/** Spike trains of one step being recorded, and the activity counters of the step. */
export class StepRecord {
  act: Record<string, number> = {};
  trains = new Map<string, Float32Array[]>();

  /** A new step: every activity key back to zero. */
  start(keys: readonly string[]): void {
    this.act = Object.fromEntries(keys.map((k) => [k, 0]));
    this.trains = new Map();
  }

  /** Records a stage's spikes at the next timestep and adds their number to `<stage>Spikes`. */
  spikes(stage: string, s: Float32Array): Float32Array {
    const list = this.trains.get(stage) ?? [];
    list.push(s);
    this.trains.set(stage, list);
    this.act[`${stage}Spikes`] += countSpikes(s);
    return s;
  }
}

/**
 * The front of spikformer and sdsa: the input LIF (current x) and Q, K, V = LIF(s_x·W + b). Records
 * the stages 'input', 'q', 'k', 'v'.
 */
class QkvFront {
  private readonly input: LifLayer;
  private readonly proj: { readonly p: 'q' | 'k' | 'v'; readonly w: Float32Array; readonly lif: LifLayer }[];

  constructor(
    private readonly c: StepCounter,
    w: Readonly<Record<string, Float32Array>>,
    private readonly d: number,
    o: SpikingOptions,
  ) {
    this.input = new LifLayer(c, d, o.threshold, o);
    this.proj = (['q', 'k', 'v'] as const).map((p) => ({ p, w: w[`w${p}`], lif: new LifLayer(c, d, o.threshold, o, { bias: w[`b${p}`] }) }));
  }

  reset(): void {
    this.input.reset();
    for (const p of this.proj) p.lif.reset();
  }

  step(x: Float32Array, r: StepRecord): { q: Float32Array; k: Float32Array; v: Float32Array } {
    const sx = r.spikes('input', this.input.step(x));
    const [q, k, v] = this.proj.map(({ p, w, lif }) => r.spikes(p, lif.step(spikeMatVec(this.c, sx, w, this.d, this.d, 'projection').y)));
    return { q, k, v };
  }
}

/**
 * Parameters of spikformer and sdsa: W and b of Q, K, V and the output projection. W_q, W_k, W_v start
 * at the scale BatchNorm would give their currents (which the folded form has no batch statistics
 * for): unit variance when a quarter of the d inputs spike, U(±√(12/d)) (Glorot's ±√(6/2d) leaves the
 * Q, K, V neurons firing a few percent, and the attention silent). W_o starts at zero (issue 18), as
 * the output projections of residual branches often do (Fixup, ReZero; GPT-2 scales them down): the
 * block starts as the zero mixer and adds to the residual stream only what training gives it. With
 * Glorot's W_o, a quarter of the d attention neurons firing adds rows of W_o as large as the token's
 * own embedding: noise the LM has to learn around first (small models trained briefly ended worse
 * than the zero mixer).
 */
function qkvoParams(d: number): ParamSpec[] {
  const a = Math.sqrt(12 / d);
  return ['q', 'k', 'v', 'o'].flatMap((p) => [
    { name: `w${p}`, shape: [d, d], init: p === 'o' ? ('zeros' as const) : { uniform: [-a, a] as const } },
    { name: `b${p}`, shape: [d], init: 'zeros' as const },
  ]);
}

// ---------------------------------------------------------------------------------------------
// tfjs pieces (the parallel form)

/**
 * A LIF population over T steps in tfjs: `current(t)` is its input current at step t ([rows, N]);
 * spikes through spikeFn (surrogate gradient); the reset to zero uses a detached spike, as
 * workloads/train/surrogate.ts `unrollSnn` does. Float32 operation for operation as `stepNeuron`:
 * v₀ = I₀, v_t = β·v_{t−1} + I_t, s = [v ≥ θ], v ← v·(1 − s).
 */
export function lifTf(tf: Tf, current: (t: number) => Tensor, T: number, threshold: number, beta: number): Tensor[] {
  const out: Tensor[] = [];
  let v: Tensor | null = null;
  for (let t = 0; t < T; t++) {
    v = v === null ? current(t) : tf.add(tf.mul(v, beta), current(t));
    out.push(spikeFn(tf, v, threshold, SURROGATE));
    const fired: Tensor = tf.cast(tf.greaterEqual(v, threshold), 'float32');
    v = tf.mul(v, tf.sub(1, fired));
  }
  return out;
}

/** Swaps the last two axes. */
function swapLast(tf: Tf, t: Tensor): Tensor {
  const perm = t.shape.map((_, i) => i);
  [perm[t.rank - 2], perm[t.rank - 1]] = [perm[t.rank - 1], perm[t.rank - 2]];
  return tf.transpose(t, perm);
}

/**
 * a·b over the last two axes (same batch axes), with ∂a = dy·bᵀ and ∂b = aᵀ·dy computed through
 * explicit transposes: the wasm backend's MatMul is ≈10× slower with a transposed operand, which
 * tfjs' own MatMul gradient uses (workloads/train/ops.ts measures it).
 */
export function matMulTf(tf: Tf, a: Tensor, b: Tensor): Tensor {
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [at, bt, save] = args as [Tensor, Tensor, GradSaveFunc];
    save([at, bt]);
    return {
      value: tf.matMul(at, bt),
      gradFunc: (dy: Tensor, saved: Tensor[]) => [tf.matMul(dy, swapLast(tf, saved[1])), tf.matMul(swapLast(tf, saved[0]), dy)],
    };
  });
  return op(a, b);
}

/** Spikes S (T tensors [rows, inDim]) through W [inDim, outDim] (+ b): the T currents [rows, outDim], in one matMul. */
export function projectSpikesTf(tf: Tf, spikes: readonly Tensor[], w: Tensor, b?: Tensor): Tensor[] {
  const all = matMulTf(tf, tf.concat(spikes as Tensor[], 0), w);
  return tf.split(b ? tf.add(all, b) : all, spikes.length, 0);
}

/** The rate read-out of a projection: mean over T of S_t·W, as (Σ_t S_t·W)·(1/T): [rows, outDim]. */
export function readoutTf(tf: Tf, spikes: readonly Tensor[], w: Tensor): Tensor {
  const cur = projectSpikesTf(tf, spikes, w);
  return tf.mul(tf.addN(cur), Math.fround(1 / spikes.length));
}

/**
 * QkvFront in tfjs on X [rows, d]: the T spike tensors of each stage. Q, K and V run as one product
 * with [W_q | W_k | W_v] and one LIF population of 3d neurons: element for element the same arithmetic
 * as three, in a third of the ops.
 */
function qkvFrontTf(tf: Tf, w: Readonly<Record<string, Tensor>>, X: Tensor, o: SpikingOptions): { input: Tensor[]; q: Tensor[]; k: Tensor[]; v: Tensor[] } {
  const input = lifTf(tf, () => X, o.T, o.threshold, o.beta);
  const cur = projectSpikesTf(tf, input, tf.concat([w.wq, w.wk, w.wv], 1), tf.concat([w.bq, w.bk, w.bv], 0));
  const qkv = lifTf(tf, (t) => cur[t], o.T, o.threshold, o.beta).map((s) => tf.split(s, 3, 1));
  return { input, q: qkv.map((s) => s[0]), k: qkv.map((s) => s[1]), v: qkv.map((s) => s[2]) };
}

// ---------------------------------------------------------------------------------------------
// Closed forms

export const op = (o: CountedOp['op'], purpose: string, count: number, numeric: CountedOp['numeric'] = 'fp', bits = 32): CountedOp => ({ op: o, numeric, bits, purpose, count });
export const mem = (operand: Operand, action: CountedAccess['action'], count: number, bits = 32): CountedAccess => ({ operand, action, bits, count });

export interface Entries {
  readonly compute: CountedOp[];
  readonly memory: CountedAccess[];
}

export const entries = (): Entries => ({ compute: [], memory: [] });

/** `LifLayer.step` over T steps of N neurons. */
export function lifEntries(e: Entries, N: number, T: number, opts: { bias?: boolean; current?: Operand | null } = {}): void {
  e.compute.push(op('mul', 'leak', N * T), op('add', 'integrate', N * T), op('cmp', 'threshold', N * T));
  if (opts.bias) {
    e.compute.push(op('add', 'bias', N * T));
    e.memory.push(mem('bias', 'read', N * T));
  }
  e.memory.push(mem('potential', 'read', N * T), mem('potential', 'write', N * T));
  const cur = opts.current === undefined ? 'input' : opts.current;
  if (cur) e.memory.push(mem(cur, 'read', N * T));
  e.memory.push(mem('output', 'write', N * T, 1));
}

/** T spikeMatVec calls with `spikes` spikes in all: ACs and weight rows per spike, spike vectors and currents. */
export function spikeProjectionEntries(e: Entries, spikes: number, inDim: number, outDim: number, T: number): void {
  e.compute.push(op('ac', 'projection', spikes * outDim));
  e.memory.push(mem('weight', 'read', spikes * outDim), mem('input', 'read', inDim * T, 1), mem('output', 'write', outDim * T));
}

/** A RateReadout over T steps: the projection, T·outDim accumulating adds, outDim multiplies by 1/T. */
export function readoutEntries(e: Entries, spikes: number, inDim: number, outDim: number, T: number): void {
  spikeProjectionEntries(e, spikes, inDim, outDim, T);
  e.compute.push(op('add', 'readout', outDim * T), op('mul', 'readout', outDim));
}

/** QkvFront over T steps: the input LIF, and per projection its spike product and its biased LIF. */
function qkvFrontEntries(e: Entries, inputSpikes: number, d: number, T: number): void {
  lifEntries(e, d, T);
  for (let p = 0; p < 3; p++) {
    spikeProjectionEntries(e, inputSpikes, d, d, T);
    lifEntries(e, d, T, { bias: true });
  }
}

/** addOutputBias. */
function outputBiasEntries(e: Entries, d: number): void {
  e.compute.push(op('add', 'bias', d));
  e.memory.push(mem('bias', 'read', d), mem('output', 'write', d));
}

export const store = (operand: Operand, words: number, bits = 32): OperandStore => ({ operand, words, bits });

/** The activity value `key`, or an error naming it (stepCounts needs the measured spike counts). */
export function need(id: string, a: Readonly<Record<string, number>>, key: string): number {
  const v = a[key];
  if (v === undefined || !Number.isFinite(v) || v < 0) throw new InputError(`${id}: stepCounts needs the activity "${key}" (a spike count ≥ 0), got ${v}`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// The frame of spikformer and sdsa: input LIF → Q, K, V LIFs → the block's attention core, which
// yields a spike vector O[τ] per step → y = (1/T)·Σ_τ O[τ]·W_o + b_o.

/** What a block puts between Q, K, V and the output projection. */
export interface AttentionCore {
  /** Activity keys of the core (besides the front's inputSpikes, qSpikes, kSpikes, vSpikes). */
  readonly activity: readonly string[];
  /** The stage whose spikes feed W_o (its activity key is `${outStage}Spikes`). */
  readonly outStage: string;
  /** LIF neurons of the core (its membranes; the front has 4·d). */
  readonly neurons: (cfg: BlockConfig) => number;
  /** Parallel form: the core's stages (including outStage), per step [B·L, N], from Q, K, V of x [B, L, d]. */
  parallel(tf: Tf, qkv: { readonly q: Tensor[]; readonly k: Tensor[]; readonly v: Tensor[] }, cfg: BlockConfig, B: number, L: number): Map<string, Tensor[]>;
  /** Counted decoder: `step` runs timestep τ of the current token and returns outStage's spikes (recorded in r). */
  decoder(cfg: BlockConfig, c: StepCounter, r: StepRecord): { reset(): void; step(t: number, q: Float32Array, k: Float32Array, v: Float32Array): Float32Array };
  /** Closed form of the core's part of a step (the front and the read-out are added around it). */
  counts(e: Entries, cfg: BlockConfig, L: number, a: StepActivity): void;
  /** The core's cache or state at context L. */
  stores(cfg: BlockConfig, L: number): OperandStore[];
}

export interface QkvoMeta {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  /** The core's options and their defaults (besides timesteps, threshold, decay). */
  readonly options: Readonly<Record<string, number>>;
  readonly checks?: Readonly<Record<string, (v: number) => string | null>>;
}

/** A SpikingBlock from the frame and a core. Default configuration: 4 heads. */
export function qkvoBlock(meta: QkvoMeta, core: AttentionCore): SpikingBlock {
  const { id } = meta;
  const storesAt = (cfg: BlockConfig, L: number): OperandStore[] => [store('weight', 4 * cfg.d * cfg.d + 4 * cfg.d), store('potential', 4 * cfg.d + core.neurons(cfg)), ...core.stores(cfg, L)];
  const parallelWithSpikes = (tf: Tf, w: Readonly<Record<string, Tensor>>, x: Tensor, cfg: BlockConfig): ParallelSpiking => {
    const [B, L, d] = x.shape;
    const front = qkvFrontTf(tf, w, tf.reshape(x, [B * L, d]), spikingOptions(cfg));
    const stages = core.parallel(tf, front, cfg, B, L);
    const y = tf.reshape(tf.add(readoutTf(tf, stages.get(core.outStage)!, w.wo), w.bo), [B, L, d]);
    return { y, spikes: new Map([['input', front.input], ['q', front.q], ['k', front.k], ['v', front.v], ...stages]) };
  };
  return {
    id,
    title: meta.title,
    family: 'snn',
    source: meta.source,
    defaults: (d) => ({ d, heads: 4, kvHeads: 4, headDim: d / 4, options: { ...SPIKING_DEFAULTS, ...meta.options } }),
    validate: (cfg) => validateSpiking(id, cfg, [...Object.keys(SPIKING_DEFAULTS), ...Object.keys(meta.options)], meta.checks),
    params: (cfg) => qkvoParams(cfg.d),
    trainForward: (tf, w, x, cfg) => parallelWithSpikes(tf, w, x, cfg).y as Tensor3D,
    parallelWithSpikes,
    decoder(w: BlockWeights, cfg: BlockConfig, c: StepCounter): SpikingDecoder {
      const { d } = cfg;
      const o = spikingOptions(cfg);
      const front = new QkvFront(c, w, d, o);
      const readout = new RateReadout(c, w.wo, d, d);
      const r = new StepRecord();
      const att = core.decoder(cfg, c, r);
      const keys = ['inputSpikes', 'qSpikes', 'kSpikes', 'vSpikes', ...core.activity];
      let steps = 0;
      return {
        step(x: Float32Array): Float32Array {
          r.start(keys);
          front.reset();
          att.reset();
          for (let t = 0; t < o.T; t++) {
            const { q, k, v } = front.step(x, r);
            readout.add(att.step(t, q, k, v));
          }
          steps++;
          return addOutputBias(c, readout.mean(o.T), w.bo);
        },
        activity: (): StepActivity => ({ ...r.act }),
        stores: () => storesAt(cfg, steps - 1),
        trains: () => r.trains,
      };
    },
    stepCounts(cfg: BlockConfig, L: number, a: StepActivity): StepCounts {
      const { d } = cfg;
      const { T } = spikingOptions(cfg);
      const e = entries();
      qkvFrontEntries(e, need(id, a, 'inputSpikes'), d, T);
      core.counts(e, cfg, L, a);
      readoutEntries(e, need(id, a, `${core.outStage}Spikes`), d, d, T);
      outputBiasEntries(e, d);
      return countsOf(e);
    },
    storesAt,
  };
}
