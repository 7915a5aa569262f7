// The model representation: a sequence of layers, each a plain data record with its weights.
// Layer kinds are open: every kind registers its shape rule and geometry in `layers.ts`, and each
// backend registers how it executes that kind and which ledger entries it records.
//
// Activations are flat Float32Arrays in channel-major (C, H, W) order, as in ONNX and MNIST's
// [1, 28, 28]; a dense layer takes whatever precedes it flattened (no separate flatten layer).
import type { Shape } from '../core/geometry.js';

/** Activation applied at the output of a synaptic layer (ANN view; an SNN backend maps it to a neuron). */
export type Activation = 'relu' | 'identity';

/** Fully connected layer: y = act(x · W + b), W stored row-major as [inFeatures][outFeatures]. */
export interface DenseLayer {
  readonly kind: 'dense';
  readonly name: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Row-major [inFeatures][outFeatures]: row i holds input i's fan-out, so one input event reads one contiguous row. */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly activation: Activation;
}

/** A sliding window over a 2-D input: convolution and pooling. */
export interface WindowParams {
  /** Input height and width. */
  readonly inputHW: readonly [number, number];
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  /** Zero padding on each side (top = bottom, left = right). */
  readonly padding: readonly [number, number];
}

/**
 * 2-D convolution (cross-correlation, as in ONNX/PyTorch), zero padding, optionally grouped and dilated.
 *
 * Groups (ONNX `group`, PyTorch `groups`): input and output channels are split into `groups` equal
 * consecutive blocks; output channel k of group g = ⌊k / (outChannels/groups)⌋ sums over the
 * inChannels/groups input channels of group g only (depthwise: groups = inChannels). Dilation (ONNX
 * `dilations`, PyTorch `dilation`): kernel tap (fy, fx) reads the input at (oy·stride + fy·dilation −
 * padding, …); the output size along an axis is ⌊(H + 2p − d·(k − 1) − 1)/s⌋ + 1.
 */
export interface Conv2dLayer extends WindowParams {
  readonly kind: 'conv2d';
  readonly name: string;
  readonly inChannels: number;
  readonly outChannels: number;
  /** Channel groups (absent: 1); divides inChannels and outChannels. */
  readonly groups?: number;
  /** Spacing of the kernel taps along H and W (absent: [1, 1]). */
  readonly dilation?: readonly [number, number];
  /**
   * Layout [inChannels][kernelH][kernelW][outChannels/groups]: the weights one input event of channel
   * c scatters to, per kernel offset, are one contiguous run over the output channels of c's group
   * (k = g·outChannels/groups + j for run index j, g = ⌊c / (inChannels/groups)⌋), so weightCount =
   * inChannels·kh·kw·outChannels/groups. With groups = 1 this is [inChannels][kh][kw][outChannels].
   * (ONNX's OIHW, [outChannels][inChannels/groups][kh][kw], is transposed on import.)
   */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly activation: Activation;
}

/** A conv layer's groups (1 when absent). */
export function convGroups(layer: Conv2dLayer): number {
  return layer.groups ?? 1;
}

/** A conv layer's dilation [DY, DX] ([1, 1] when absent). */
export function convDilation(layer: Conv2dLayer): readonly [number, number] {
  return layer.dilation ?? [1, 1];
}

/** True when a conv layer is grouped or dilated (the fields the trainer and some exports do not handle). */
export function isGroupedOrDilated(layer: Conv2dLayer): boolean {
  const [dy, dx] = convDilation(layer);
  return convGroups(layer) !== 1 || dy !== 1 || dx !== 1;
}

/**
 * The output channel weight i of a dense or conv layer feeds (to scale weights per output channel, as
 * a folded BatchNormalization does). Output channels are the fastest axis of both layouts ([in][out]
 * and [C][kh][kw][K/G]); with groups, input channel c's runs hold the K/G channels of c's group:
 * k = ⌊⌊i / (kh·kw·K/G)⌋ / (C/G)⌋·K/G + i mod K/G.
 */
export function weightOutputChannel(layer: DenseLayer | Conv2dLayer): (i: number) => number {
  if (layer.kind === 'dense') return (i) => i % layer.outFeatures;
  const G = convGroups(layer);
  const Kg = layer.outChannels / G;
  if (G === 1) return (i) => i % Kg;
  const perInput = layer.kernel[0] * layer.kernel[1] * Kg;
  const Cg = layer.inChannels / G;
  return (i) => Math.floor(Math.floor(i / perInput) / Cg) * Kg + (i % Kg);
}

/** Average or max pooling over each channel separately. */
export interface Pool2dLayer extends WindowParams {
  readonly kind: 'avgpool2d' | 'maxpool2d';
  readonly name: string;
  readonly channels: number;
}

/** Every layer kind the model representation knows. Later kinds (attention, LUT, …) join this union. */
export type Layer = DenseLayer | Conv2dLayer | Pool2dLayer;
export type LayerKindName = Layer['kind'];
/** Layers with weights, whose inputs reach outputs through synapses. */
export type SynapticLayer = DenseLayer | Conv2dLayer;

export function isSynaptic(layer: Layer): layer is SynapticLayer {
  return layer.kind === 'dense' || layer.kind === 'conv2d';
}

export interface Model {
  readonly id: string;
  /** Shape of one input sample, without a batch dimension. */
  readonly inputShape: Shape;
  readonly layers: readonly Layer[];
}

/** Output size of a convolution or pooling window along one axis (dilation d spaces the kernel taps d apart). */
export function windowOutput(input: number, kernel: number, stride: number, padding: number, dilation = 1): number {
  return Math.floor((input + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** The sizes of a sliding window as scalars: input H×W, kernel FY×FX, stride, padding, dilation, output OY×OX. */
export interface WindowDims {
  readonly H: number;
  readonly W: number;
  readonly FY: number;
  readonly FX: number;
  readonly SY: number;
  readonly SX: number;
  readonly PY: number;
  readonly PX: number;
  /** Dilation (1 for pooling and undilated convolutions). */
  readonly DY: number;
  readonly DX: number;
  readonly OY: number;
  readonly OX: number;
}

export function windowDims(p: WindowParams & { readonly dilation?: readonly [number, number] }): WindowDims {
  const [H, W] = p.inputHW;
  const [FY, FX] = p.kernel;
  const [SY, SX] = p.stride;
  const [PY, PX] = p.padding;
  const [DY, DX] = p.dilation ?? [1, 1];
  return { H, W, FY, FX, SY, SX, PY, PX, DY, DX, OY: windowOutput(H, FY, SY, PY, DY), OX: windowOutput(W, FX, SX, PX, DX) };
}

/** The activation at a layer's output: pooling passes values through unchanged. */
export function activationOf(layer: Layer): Activation {
  return isSynaptic(layer) ? layer.activation : 'identity';
}
