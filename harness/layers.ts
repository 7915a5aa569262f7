// Geometry of each layer kind of the feed-forward model (`Layer`, model.ts): the facts of
// core/geometry.ts (shapes, loop bounds, fan-in/fan-out, weight count, dense synaptic operations)
// computed from a layer record: the geometric kinds (GEOMETRIC_KINDS). A new layer kind adds one case here
// and its name there.
import type { GeometricLayerGeometry, LoopNest, Shape } from '../core/geometry.js';
import { shapeSize } from '../core/geometry.js';
import type { Layer } from './model.js';
import { convDilation, convGroups, windowDims } from './model.js';

export function layerGeometry(layer: Layer): GeometricLayerGeometry {
  switch (layer.kind) {
    case 'dense':
      return {
        kind: 'dense',
        inputShape: [layer.inFeatures],
        outputShape: [layer.outFeatures],
        loops: { K: layer.outFeatures, C: layer.inFeatures, OY: 1, OX: 1, FY: 1, FX: 1, SY: 1, SX: 1 },
        fanIn: layer.inFeatures,
        fanOut: layer.outFeatures,
        weightCount: layer.inFeatures * layer.outFeatures,
        nonzeroWeights: nonzeroCount(layer.weight),
        biasCount: layer.outFeatures,
        denseSynOps: layer.inFeatures * layer.outFeatures,
        neurons: layer.outFeatures,
      };
    case 'conv2d': {
      const { H, W, FY, FX, SY, SX, DY, DX, OY, OX } = windowDims(layer);
      const K = layer.outChannels;
      const C = layer.inChannels;
      const G = convGroups(layer);
      // each output channel sums over the C/G input channels of its group
      const Cg = C / G;
      const dense = K * Cg * OY * OX * FY * FX;
      // the loop nest of a grouped conv is G convolutions of K/G outputs from C/G inputs (core/geometry.ts)
      const loops: LoopNest = {
        ...(G !== 1 ? { G } : {}),
        K: K / G,
        C: Cg,
        OY,
        OX,
        FY,
        FX,
        SY,
        SX,
        ...(DY !== 1 || DX !== 1 ? { DY, DX } : {}),
      };
      return {
        kind: 'conv2d',
        inputShape: [C, H, W],
        outputShape: [K, OY, OX],
        loops,
        fanIn: Cg * FY * FX,
        fanOut: dense / (C * H * W),
        weightCount: K * Cg * FY * FX,
        nonzeroWeights: nonzeroCount(layer.weight),
        biasCount: K,
        denseSynOps: dense,
        neurons: K * OY * OX,
      };
    }
    case 'avgpool2d':
    case 'maxpool2d': {
      const { H, W, FY, FX, SY, SX, OY, OX } = windowDims(layer);
      const K = layer.channels;
      return {
        kind: layer.kind,
        inputShape: [K, H, W],
        outputShape: [K, OY, OX],
        loops: { K, C: 1, OY, OX, FY, FX, SY, SX },
        fanIn: FY * FX,
        fanOut: (K * OY * OX * FY * FX) / (K * H * W),
        weightCount: 0,
        nonzeroWeights: 0,
        biasCount: 0,
        denseSynOps: 0,
        neurons: K * OY * OX,
      };
    }
  }
}

/** Elements of a weight array that are not zero (−0 is zero). */
export function nonzeroCount(w: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) n++;
  return n;
}

/** Checks every layer's parameters and that consecutive layers' shapes agree; throws naming the layer. */
export function validateModelShapes(inputShape: Shape, layers: readonly Layer[]): void {
  let size = shapeSize(inputShape);
  for (const layer of layers) {
    if (layer.kind !== 'dense') {
      const dims = [...layer.inputHW, ...layer.kernel, ...layer.stride];
      if (dims.some((d) => !Number.isInteger(d) || d < 1) || layer.padding.some((p) => !Number.isInteger(p) || p < 0)) {
        throw new Error(`layer ${layer.name}: input size, kernel and stride must be positive integers and padding ≥ 0`);
      }
    }
    if (layer.kind === 'conv2d') {
      const G = convGroups(layer);
      if (!Number.isInteger(G) || G < 1 || layer.inChannels % G !== 0 || layer.outChannels % G !== 0) {
        throw new Error(`layer ${layer.name}: groups ${G} must be a positive integer dividing both ${layer.inChannels} input and ${layer.outChannels} output channels`);
      }
      if (convDilation(layer).some((d) => !Number.isInteger(d) || d < 1)) throw new Error(`layer ${layer.name}: dilation [${convDilation(layer).join(', ')}] must be positive integers`);
    }
    const g = layerGeometry(layer);
    if (g.outputShape.some((d) => d < 1)) throw new Error(`layer ${layer.name}: the window does not fit the input (output shape ${g.outputShape.join('×')})`);
    if (shapeSize(g.inputShape) !== size) {
      throw new Error(`layer ${layer.name}: expects ${shapeSize(g.inputShape)} inputs but the previous layer gives ${size}`);
    }
    if (layer.kind === 'dense' || layer.kind === 'conv2d') {
      if (layer.weight.length !== g.weightCount) throw new Error(`layer ${layer.name}: weight has ${layer.weight.length} values, expected ${g.weightCount}`);
      if (layer.bias.length !== g.biasCount) throw new Error(`layer ${layer.name}: bias has ${layer.bias.length} values, expected ${g.biasCount}`);
    }
    size = shapeSize(g.outputShape);
  }
}
