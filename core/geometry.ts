// Layer geometry: the hardware-independent facts of a layer that ledgers record and cost models
// price (shapes, loop bounds, fan-in/fan-out, weight count, dense synaptic operations). Types and
// pure helpers only: harness/layers.ts computes them for the geometric (loop-nest) kinds; workloads
// that record their own layers (sequence blocks, brain models, the LUT network) build them with
// recordedGeometry.

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
 *
 * A grouped convolution (G > 1) is, as in Timeloop's grouped-CNN problem and ZigZag's G dimension,
 * G independent convolutions: K and C are then the output and input channels of ONE group (the
 * layer has G·K output and G·C input channels; dense MACs G·K·C·OY·OX·FY·FX), so an input is reused
 * by the K output channels of its group only and a partial sum reduces over C·FY·FX. DY×DX is the
 * dilation: kernel tap (fy, fx) reads input row oy·SY + fy·DY − padding (likewise along X). G, DY and
 * DX are absent when 1, so an ungrouped, undilated layer's nest is K, C, OY, OX, FY, FX, SY, SX only.
 */
export interface LoopNest {
  /** Groups (absent: 1). */
  readonly G?: number;
  readonly K: number;
  readonly C: number;
  readonly OY: number;
  readonly OX: number;
  readonly FY: number;
  readonly FX: number;
  readonly SY: number;
  readonly SX: number;
  /** Dilation along Y and X (absent: 1). */
  readonly DY?: number;
  readonly DX?: number;
}

/** The groups of a loop nest (1 when absent). */
export function loopGroups(loops: LoopNest): number {
  return loops.G ?? 1;
}

/** The facts every layer has, whatever its kind. */
interface GeometryFacts {
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly loops: LoopNest;
  /** Inputs each output sums over (C·FY·FX, C per group; window size for pooling). */
  readonly fanIn: number;
  /** Mean number of outputs one input reaches (= denseSynOps / inputs; exact K for dense layers). */
  readonly fanOut: number;
  readonly weightCount: number;
  /**
   * Weights that are not zero (NeuroBench's ConnectionSparsity counts the others; its effective
   * synaptic operations skip them). Absent: every weight counts as nonzero (recorded layers).
   */
  readonly nonzeroWeights?: number;
  readonly biasCount: number;
  /**
   * Synaptic operations of one dense pass = MACs of a dense ANN inference, padding positions included
   * (G·K·C·OY·OX·FY·FX of the loop nest; NeuroBench's `Dense` excludes the padding, LayerPlan.denseConnectionOps).
   * 0 for layers without synapses (pooling).
   */
  readonly denseSynOps: number;
  /** Output units whose state a spiking backend keeps (neurons). */
  readonly neurons: number;
}

// ---------------------------------------------------------------------------------------------
// The two families of layer kinds. Each family is one declared list; whether a layer is geometric or
// recorded is decided by membership, never by matching names.

/**
 * Geometric kinds: the feed-forward backends' loop nests (harness/layers.ts). Memory-aware cost models
 * derive their per-level traffic from the loop nest and the activity.
 */
export const GEOMETRIC_KINDS = ['dense', 'conv2d', 'avgpool2d', 'maxpool2d'] as const;
export type GeometricKind = (typeof GEOMETRIC_KINDS)[number];

/**
 * Recorded kinds: layers that record their traffic once per datum per step (ARCHITECTURE.md, "Recorded
 * layers") and carry their stores (LayerLedger). A new recorded layer kind adds its name here.
 */
export const RECORDED_KINDS = [
  // the sequence LM's parts (workloads/sequence/evaluate.ts); its mixers are `mixer-<block id>`
  'embedding',
  'token-mlp',
  'lm-head',
  // brain models and their learning phases (workloads/brain/)
  'hopfield',
  'modern-hopfield',
  'som',
  'som-update',
  'poisson-encoder',
  'stdp-lif',
  'stdp-plasticity',
  'vote',
  // the look-up-table network (workloads/brain/lut/; its token embedder is 'embedding')
  'lut-attention',
  'lut-ffn',
  'lut-unembed',
  'softmax',
] as const;
/** A recorded kind: a declared one, or a sequence block's mixer `mixer-<block id>`. */
export type RecordedKind = (typeof RECORDED_KINDS)[number] | `mixer-${string}`;

export interface GeometricLayerGeometry extends GeometryFacts {
  readonly kind: GeometricKind;
}

export interface RecordedLayerGeometry extends GeometryFacts {
  readonly kind: RecordedKind;
}

/** A layer's geometry: a loop-nest kind, or a recorded one (narrow with isGeometric / isRecorded). */
export type LayerGeometry = GeometricLayerGeometry | RecordedLayerGeometry;

const GEOMETRIC: ReadonlySet<string> = new Set(GEOMETRIC_KINDS);

/** True for the loop-nest kinds of GEOMETRIC_KINDS. */
export function isGeometricKind(kind: string): kind is GeometricKind {
  return GEOMETRIC.has(kind);
}

/** The geometry of a loop-nest layer. */
export function isGeometric(g: LayerGeometry): g is GeometricLayerGeometry {
  return isGeometricKind(g.kind);
}

/** The geometry of a recorded layer: every kind that is not geometric (the complement, by construction). */
export function isRecorded(g: LayerGeometry): g is RecordedLayerGeometry {
  return !isGeometricKind(g.kind);
}

/**
 * The geometry of a fully connected recorded layer: `inputs` → `outputs`, one weight and one dense
 * synaptic op per pair and a neuron per output unless told otherwise, no biases.
 */
export function recordedGeometry(
  kind: RecordedKind,
  inputs: number,
  outputs: number,
  over: Partial<Pick<GeometryFacts, 'fanIn' | 'fanOut' | 'weightCount' | 'denseSynOps' | 'neurons'>> = {},
): RecordedLayerGeometry {
  return {
    kind,
    inputShape: [inputs],
    outputShape: [outputs],
    loops: { K: outputs, C: inputs, OY: 1, OX: 1, FY: 1, FX: 1, SY: 1, SX: 1 },
    fanIn: over.fanIn ?? inputs,
    fanOut: over.fanOut ?? outputs,
    weightCount: over.weightCount ?? inputs * outputs,
    biasCount: 0,
    denseSynOps: over.denseSynOps ?? inputs * outputs,
    neurons: over.neurons ?? outputs,
  };
}
