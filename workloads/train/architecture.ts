// Network architectures as data, built into our `Model` with seeded initial weights (core/rng.ts),
// and the weight layout conversions between our Model and tfjs.
//
// Our layouts: dense [in][out] row-major; conv [C_in][FY][FX][C_out]; activations flat C×H×W.
// tfjs: dense [in][out] (the same); conv filters HWIO = [FY][FX][C_in][C_out]; activations NHWC.
// The trainer keeps dense layers in our layout by flattening activations in C×H×W order
// (graph.ts transposes NHWC → NCHW before a dense layer), so only conv filters change layout.
import type { Activation, Conv2dLayer, Layer, Model } from '../../harness/model.js';
import type { Shape } from '../../core/geometry.js';
import { shapeSize } from '../../core/geometry.js';
import { layerGeometry, validateModelShapes } from '../../harness/layers.js';
import { createRng } from '../../core/rng.js';

/** One layer of an architecture; a dense read-out with one unit per class follows the last one. */
export type LayerSpec =
  | { readonly kind: 'conv'; readonly channels: number; readonly kernel: number; readonly padding: number }
  | { readonly kind: 'avgpool' | 'maxpool'; readonly size: number }
  | { readonly kind: 'dense'; readonly units: number };

/** A short name of the architecture, e.g. "conv5x5(6,p2)-avgpool2-dense120-dense10". */
export function describeArchitecture(specs: readonly LayerSpec[], classes: number): string {
  const parts = specs.map((s) => {
    if (s.kind === 'conv') return `conv${s.kernel}x${s.kernel}(${s.channels}${s.padding ? `,p${s.padding}` : ''})`;
    if (s.kind === 'dense') return `dense${s.units}`;
    return `${s.kind}${s.size}`;
  });
  return [...parts, `dense${classes}`].join('-');
}

/**
 * Builds the model with initial weights drawn from stream (seed, 0x1417, layer): He-uniform
 * (limit √(6/fan_in)) for ReLU layers, Glorot-uniform (√(6/(fan_in + fan_out))) for the linear
 * read-out; biases zero. Every synaptic layer but the read-out has a ReLU.
 */
export function buildModel(id: string, inputShape: Shape, specs: readonly LayerSpec[], classes: number, seed: number): Model {
  const layers: Layer[] = [];
  let shape: number[] = [...inputShape];
  const all: LayerSpec[] = [...specs, { kind: 'dense', units: classes }];
  let convs = 0;
  let pools = 0;
  let denses = 0;
  all.forEach((spec, index) => {
    const last = index === all.length - 1;
    const activation: Activation = last ? 'identity' : 'relu';
    const rng = createRng(seed, 0x1417, index);
    let layer: Layer;
    if (spec.kind === 'dense') {
      const inFeatures = shapeSize(shape);
      const limit = last ? Math.sqrt(6 / (inFeatures + spec.units)) : Math.sqrt(6 / inFeatures);
      const weight = new Float32Array(inFeatures * spec.units);
      for (let k = 0; k < weight.length; k++) weight[k] = (2 * rng.next() - 1) * limit;
      layer = { kind: 'dense', name: `fc${++denses}`, inFeatures, outFeatures: spec.units, weight, bias: new Float32Array(spec.units), activation };
    } else {
      if (shape.length !== 3) throw new Error(`layer ${index + 1} (${spec.kind}): needs a C×H×W input, got shape [${shape.join(', ')}]`);
      const [C, H, W] = shape;
      if (spec.kind === 'conv') {
        const k = spec.kernel;
        const fanIn = C * k * k;
        const limit = last ? Math.sqrt(6 / (fanIn + spec.channels * k * k)) : Math.sqrt(6 / fanIn);
        const weight = new Float32Array(C * k * k * spec.channels);
        for (let i = 0; i < weight.length; i++) weight[i] = (2 * rng.next() - 1) * limit;
        layer = {
          kind: 'conv2d',
          name: `conv${++convs}`,
          inputHW: [H, W],
          kernel: [k, k],
          stride: [1, 1],
          padding: [spec.padding, spec.padding],
          inChannels: C,
          outChannels: spec.channels,
          weight,
          bias: new Float32Array(spec.channels),
          activation,
        };
      } else {
        if (last) throw new Error('the read-out must be a dense layer');
        layer = { kind: spec.kind === 'avgpool' ? 'avgpool2d' : 'maxpool2d', name: `pool${++pools}`, inputHW: [H, W], kernel: [spec.size, spec.size], stride: [spec.size, spec.size], padding: [0, 0], channels: C };
      }
    }
    layers.push(layer);
    shape = [...layerGeometry(layer).outputShape];
  });
  validateModelShapes(inputShape, layers);
  return { id, inputShape: [...inputShape], layers };
}

type ConvShape = Pick<Conv2dLayer, 'inChannels' | 'outChannels' | 'kernel'>;

/** Our conv weight [C][FY][FX][K] → tfjs HWIO [FY][FX][C][K]. */
export function convWeightToHwio(layer: ConvShape & Pick<Conv2dLayer, 'weight'>): Float32Array {
  return permuteConv(layer.weight, layer, true);
}

/** tfjs HWIO [FY][FX][C][K] → our conv weight [C][FY][FX][K]. */
export function hwioToConvWeight(hwio: Float32Array, layer: ConvShape): Float32Array {
  return permuteConv(hwio, layer, false);
}

function permuteConv(values: Float32Array, layer: ConvShape, toHwio: boolean): Float32Array {
  const { inChannels: C, outChannels: K } = layer;
  const [FY, FX] = layer.kernel;
  if (values.length !== C * FY * FX * K) throw new Error(`conv weight has ${values.length} values, expected ${C * FY * FX * K}`);
  const out = new Float32Array(values.length);
  for (let c = 0; c < C; c++)
    for (let fy = 0; fy < FY; fy++)
      for (let fx = 0; fx < FX; fx++) {
        const ours = ((c * FY + fy) * FX + fx) * K;
        const hwio = ((fy * FX + fx) * C + c) * K;
        if (toHwio) out.set(values.subarray(ours, ours + K), hwio);
        else out.set(values.subarray(hwio, hwio + K), ours);
      }
  return out;
}
