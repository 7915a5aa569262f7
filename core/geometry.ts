// Layer geometry: the hardware-independent facts of a layer that ledgers record and cost models
// price (shapes, loop bounds, fan-in/fan-out, weight count, dense synaptic operations). Types and
// pure helpers only: harness/layers.ts computes them for the feed-forward layer kinds, workloads
// that record their own layers (sequence blocks, brain models) fill them in directly.

/** The shape of one activation tensor without a batch dimension, channel-major (C, H, W). */
export type Shape = readonly number[];

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * The layer as a loop nest, in the problem dimensions of Timeloop/ZigZag: K output channels, C input
 * channels, OY×OX output positions, FY×FX kernel window, SY×SX stride. A dense layer is K = outputs,
 * C = inputs and 1 everywhere else. Pooling is per channel: K = channels, C = 1.
 */
export interface LoopNest {
  readonly K: number;
  readonly C: number;
  readonly OY: number;
  readonly OX: number;
  readonly FY: number;
  readonly FX: number;
  readonly SY: number;
  readonly SX: number;
}

export interface LayerGeometry {
  readonly kind: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly loops: LoopNest;
  /** Inputs each output sums over (C·FY·FX; window size for pooling). */
  readonly fanIn: number;
  /** Mean number of outputs one input reaches (= denseSynOps / inputs; exact K for dense layers). */
  readonly fanOut: number;
  readonly weightCount: number;
  readonly biasCount: number;
  /**
   * Synaptic operations of one dense pass = MACs of a dense ANN inference, padding positions included
   * (K·C·OY·OX·FY·FX); NeuroBench's `Dense`. 0 for layers without synapses (pooling).
   */
  readonly denseSynOps: number;
  /** Output units whose state a spiking backend keeps (neurons). */
  readonly neurons: number;
}
