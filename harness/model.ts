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

/** 2-D convolution (cross-correlation, as in ONNX/PyTorch), zero padding, no groups or dilation. */
export interface Conv2dLayer extends WindowParams {
  readonly kind: 'conv2d';
  readonly name: string;
  readonly inChannels: number;
  readonly outChannels: number;
  /**
   * Layout [inChannels][kernelH][kernelW][outChannels]: the weights one input event scatters to, per
   * kernel offset, are one contiguous run of outChannels values. (ONNX's OIHW is transposed on import.)
   */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly activation: Activation;
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

/** Output size of a convolution or pooling window along one axis. */
export function windowOutput(input: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((input + 2 * padding - kernel) / stride) + 1;
}

/** The sizes of a sliding window as scalars: input H×W, kernel FY×FX, stride, padding, output OY×OX. */
export interface WindowDims {
  readonly H: number;
  readonly W: number;
  readonly FY: number;
  readonly FX: number;
  readonly SY: number;
  readonly SX: number;
  readonly PY: number;
  readonly PX: number;
  readonly OY: number;
  readonly OX: number;
}

export function windowDims(p: WindowParams): WindowDims {
  const [H, W] = p.inputHW;
  const [FY, FX] = p.kernel;
  const [SY, SX] = p.stride;
  const [PY, PX] = p.padding;
  return { H, W, FY, FX, SY, SX, PY, PX, OY: windowOutput(H, FY, SY, PY), OX: windowOutput(W, FX, SX, PX) };
}

/** The activation at a layer's output: pooling passes values through unchanged. */
export function activationOf(layer: Layer): Activation {
  return isSynaptic(layer) ? layer.activation : 'identity';
}
