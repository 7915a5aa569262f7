// The interface every inter-token (sequence-mixing) block implements: softmax attention and its
// variants, linear attention and state-space recurrences, sparse attention, spiking-transformer
// attention. A block maps a sequence of d-dimensional vectors to another, causally.
//
// Each block exists twice, like Norse's functional/module split:
//  - `trainForward`: the parallel (whole-sequence) form in tfjs autograd, for training;
//  - `decoder`: the recurrent per-token form in plain TypeScript (float32), with every op and memory
//    access counted in a StepCounter. Both compute the same function (tested per block).
// `stepCounts` is the decode step's ledger in closed form as a function of context length L and the
// step's data-dependent activity (selected blocks, halting point, spike counts); tests check it
// against the counted decoder, and energy-vs-L curves evaluate it at any L without running.
import type { Tensor, Tensor3D } from '@tensorflow/tfjs-core';
import type { OperandStore } from '../../core/ledger.js';
import type { Tf } from '../train/tf.js';
import type { StepCounter, StepCounts } from './counter.js';

export interface BlockConfig {
  /** Model width (input and output size of the block). */
  readonly d: number;
  /** Query heads. */
  readonly heads: number;
  /** Key/value heads (GQA groups heads/kvHeads query heads per KV head; = heads for MHA). */
  readonly kvHeads: number;
  /** Per-head width (d / heads unless a family says otherwise). */
  readonly headDim: number;
  /** Family-specific integer or real options (block size, top-k, window, state size, timesteps …). */
  readonly options: Readonly<Record<string, number>>;
}

/** A trainable parameter: name, shape, and its deterministic initialisation. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /**
   * 'glorot': uniform ±√(6/(fanIn+fanOut)) with fanIn = shape[0], fanOut = shape[last];
   * 'zeros' / 'ones'; { constant }; { uniform: [lo, hi] }.
   */
  readonly init: 'glorot' | 'zeros' | 'ones' | { readonly constant: number } | { readonly uniform: readonly [number, number] };
}

export type BlockWeights = Readonly<Record<string, Float32Array>>;

/** Data-dependent quantities of one decode step that its ledger depends on (empty for dense blocks). */
export type StepActivity = Readonly<Record<string, number>>;

export interface BlockDecoder {
  /** Consumes the next token's input x (length d) and returns the block's output (length d), counting into the counter. */
  step(x: Float32Array): Float32Array;
  /** The activity of the last step (what `stepCounts` needs besides L). */
  activity(): StepActivity;
  /** What each operand's memory holds now: weights, the KV cache or recurrent state (grows with L where it does). */
  stores(): OperandStore[];
}

export interface SequenceBlock {
  /** CLI id, e.g. 'softmax', 'gqa', 'fox', 'linear', 'mamba', 'spikformer'. */
  readonly id: string;
  readonly title: string;
  /** 'snn' for spiking blocks (their activity is spikes), 'ann' otherwise. */
  readonly family: 'ann' | 'snn';
  /** The paper (and code) the block follows. */
  readonly source: string;
  /**
   * The family whose trained weights this one prices, where its training is that family's (the same
   * parameters and parallel form; its own options act only when decoding, as FoX's pruning does): the
   * study loads or trains that family's model, and no checkpoint of its own is made.
   */
  readonly trainsAs?: string;
  /** A small default configuration at width d (heads, options). */
  defaults(d: number): BlockConfig;
  /** Throws an InputError naming the field if the configuration is invalid. */
  validate(cfg: BlockConfig): void;
  params(cfg: BlockConfig): readonly ParamSpec[];
  /** Causal parallel form: x [batch, L, d] → [batch, L, d]; `w` holds a tensor per ParamSpec name. */
  trainForward(tf: Tf, w: Readonly<Record<string, Tensor>>, x: Tensor3D, cfg: BlockConfig): Tensor3D;
  /** A fresh per-token decoder (empty cache/state) over trained weights. */
  decoder(w: BlockWeights, cfg: BlockConfig, counter: StepCounter): BlockDecoder;
  /** The decode step's counts in closed form: L tokens already in context, the new one at position L. */
  stepCounts(cfg: BlockConfig, L: number, activity: StepActivity): StepCounts;
  /** The stores at context L (after the step at position L): the closed form of decoder.stores(). */
  storesAt(cfg: BlockConfig, L: number): OperandStore[];
}
