// A tiny hand-computable network (3-4-2) and the helpers the tests share.
import type { SpikingModel } from '../harness/convert.js';
import type { SampleSet } from '../harness/data.js';
import type { LayerLedger, Ledger } from '../core/ledger.js';
import type { DenseLayer, Model } from '../harness/model.js';

export function dense(name: string, inF: number, outF: number, weight: number[][], bias: number[], activation: 'relu' | 'identity'): DenseLayer {
  return { kind: 'dense', name, inFeatures: inF, outFeatures: outF, weight: Float32Array.from(weight.flat()), bias: Float32Array.from(bias), activation };
}

/**
 * fc1 (3→4, ReLU) and fc2 (4→2, read-out). Weights are [in][out]: row i is input i's fan-out.
 * Row 1 of fc1 is large so that any (wrong) use of input 1 shows in the results.
 */
export const TINY_FC1 = dense(
  'fc1',
  3,
  4,
  [
    [0.6, 0.2, 1.2, -0.5],
    [9, 9, 9, 9],
    [0.5, 0.1, 0.0, 0.5],
  ],
  [0, 0.1, 0, 0],
  'relu',
);
export const TINY_FC2 = dense(
  'fc2',
  4,
  2,
  [
    [1, 0],
    [0, 1],
    [0.5, -0.25],
    [0, 2],
  ],
  [0, 0.05],
  'identity',
);

export const TINY_MODEL: Model = { id: 'tiny-3-4-2', inputShape: [3], layers: [TINY_FC1, TINY_FC2] };

/** The same network as an SNN with threshold 1 (no rescaling), IF neurons in fc1, read-out fc2. */
export const TINY_SNN: SpikingModel = {
  id: 'tiny-3-4-2',
  inputShape: [3],
  layers: [
    { layer: TINY_FC1, spiking: true, threshold: 1 },
    { layer: TINY_FC2, spiking: false, threshold: 1 },
  ],
  conversion: { method: 'given', calibrationSamples: 0, scales: [1, 1] },
};

export function sampleSet(inputs: number[][], labels: number[], classes = 2): SampleSet {
  return {
    id: 'tiny/test',
    count: inputs.length,
    shape: [inputs[0].length],
    inputs: Float32Array.from(inputs.flat()),
    labels: Uint8Array.from(labels),
    classes,
  };
}

/** Mean count of the compute entry with this op and purpose (undefined when absent). */
export function computeCount(layer: LayerLedger, op: string, purpose: string): number | undefined {
  return layer.compute.find((c) => c.op === op && c.purpose === purpose)?.count.mean;
}

export function memoryCount(layer: LayerLedger, operand: string, action: 'read' | 'write'): number | undefined {
  return layer.memory.find((m) => m.operand === operand && m.action === action)?.count.mean;
}

export function layerByName(ledger: Ledger, name: string): LayerLedger {
  const l = ledger.layers.find((x) => x.name === name);
  if (!l) throw new Error(`no layer ${name}`);
  return l;
}
