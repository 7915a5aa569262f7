// The model representation: a sequence of layers, each a plain data record with its weights.
// Layer kinds are open: every kind registers its shape rule and geometry in `layers.ts`, and each
// backend registers how it executes that kind and which ledger entries it records.

export type Shape = readonly number[];

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

/** Every layer kind the model representation knows. Later kinds (conv, pooling, attention, LUT, …) join this union. */
export type Layer = DenseLayer;
export type LayerKindName = Layer['kind'];

export interface Model {
  readonly id: string;
  /** Shape of one input sample, without a batch dimension. */
  readonly inputShape: Shape;
  readonly layers: readonly Layer[];
}

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
