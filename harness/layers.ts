// Geometry of each layer kind: the hardware-independent facts that cost models and ledgers need
// (shapes, fan-in/fan-out, weight count, dense synaptic operations). A new layer kind adds one entry.
import type { Layer, Shape } from './model.js';
import { shapeSize } from './model.js';

export interface LayerGeometry {
  readonly kind: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  /** Inputs each output neuron sums over. */
  readonly fanIn: number;
  /** Outputs each input reaches (the work one input event triggers). */
  readonly fanOut: number;
  readonly weightCount: number;
  readonly biasCount: number;
  /** Synaptic operations of one dense pass (= MACs of a dense ANN inference); NeuroBench's `Dense`. */
  readonly denseSynOps: number;
  /** Neurons (outputs) whose state a spiking backend keeps. */
  readonly neurons: number;
}

export function layerGeometry(layer: Layer): LayerGeometry {
  switch (layer.kind) {
    case 'dense':
      return {
        kind: 'dense',
        inputShape: [layer.inFeatures],
        outputShape: [layer.outFeatures],
        fanIn: layer.inFeatures,
        fanOut: layer.outFeatures,
        weightCount: layer.inFeatures * layer.outFeatures,
        biasCount: layer.outFeatures,
        denseSynOps: layer.inFeatures * layer.outFeatures,
        neurons: layer.outFeatures,
      };
  }
}

/** Checks that consecutive layers' shapes agree; throws naming the first mismatching layer. */
export function validateModelShapes(inputShape: Shape, layers: readonly Layer[]): void {
  let size = shapeSize(inputShape);
  for (const layer of layers) {
    const g = layerGeometry(layer);
    if (shapeSize(g.inputShape) !== size) {
      throw new Error(`layer ${layer.name}: expects ${shapeSize(g.inputShape)} inputs but the previous layer gives ${size}`);
    }
    if (layer.weight.length !== g.weightCount) throw new Error(`layer ${layer.name}: weight has ${layer.weight.length} values, expected ${g.weightCount}`);
    if (layer.bias.length !== g.biasCount) throw new Error(`layer ${layer.name}: bias has ${layer.bias.length} values, expected ${g.biasCount}`);
    size = shapeSize(g.outputShape);
  }
}
