// ANN backend, dense: every multiply-accumulate of every layer is performed and counted, zeros included.
// fp32 weights and activations.
import type { Backend, BackendRun } from '../backend.js';
import type { SampleSet } from '../data.js';
import { sampleInput } from '../data.js';
import { argmax, denseAffine } from '../kernels/dense.js';
import type { LayerRules } from '../ledger.js';
import { buildLayerLedger, newActivityRecorder } from '../ledger.js';
import { layerGeometry } from '../layers.js';
import type { DenseLayer, Model } from '../model.js';

const BITS = 32;

/** Ledger rules of a dense layer run densely: counts per inference as functions of activity. */
export function annDenseRules(layer: DenseLayer): LayerRules {
  const nIn = layer.inFeatures;
  const nOut = layer.outFeatures;
  const relu = layer.activation === 'relu';
  const word = { bits: BITS } as const;
  return {
    compute: [
      { op: 'mac', bits: BITS, numeric: 'fp', purpose: 'synaptic', count: () => nIn * nOut },
      { op: 'add', bits: BITS, numeric: 'fp', purpose: 'bias', count: () => nOut },
      ...(relu ? [{ op: 'cmp', bits: BITS, numeric: 'fp', purpose: 'activation', count: () => nOut } as const] : []),
    ],
    memory: [
      { operand: 'input', action: 'read', ...word, count: () => nIn * nOut },
      { operand: 'weight', action: 'read', ...word, count: () => nIn * nOut },
      { operand: 'bias', action: 'read', ...word, count: () => nOut },
      { operand: 'output', action: 'write', ...word, count: () => nOut },
    ],
    footprint: { weightBits: nIn * nOut * BITS, biasBits: nOut * BITS, stateBits: 0 },
    neuron: null,
  };
}

export function createAnnDense(model: Model): Backend {
  return {
    descriptor: { id: 'ann-dense', family: 'ann', timesteps: 1, params: { precision: 'fp32' } },
    run(samples: SampleSet): BackendRun {
      const layers = model.layers;
      const recs = layers.map(() => newActivityRecorder(samples.count, 1));
      const outs = layers.map((l) => new Float32Array(l.outFeatures));
      const predictions = new Uint8Array(samples.count);
      for (let s = 0; s < samples.count; s++) {
        let a = sampleInput(samples, s);
        for (let l = 0; l < layers.length; l++) {
          const layer = layers[l];
          const y = outs[l];
          const nonzeroIn = denseAffine(a, layer.weight, layer.bias, layer.inFeatures, layer.outFeatures, y);
          let nonzeroOut = 0;
          if (layer.activation === 'relu') {
            for (let j = 0; j < y.length; j++) if (y[j] > 0) nonzeroOut++; else y[j] = 0;
          } else {
            for (let j = 0; j < y.length; j++) if (y[j] !== 0) nonzeroOut++;
          }
          const rec = recs[l];
          rec.inputEvents[s] = nonzeroIn;
          rec.outputEvents[s] = nonzeroOut;
          rec.inputPerStep[0] += nonzeroIn;
          rec.outputPerStep[0] += nonzeroOut;
          a = y;
        }
        predictions[s] = argmax(a);
      }
      const ledgerLayers = layers.map((layer, i) => buildLayerLedger(i, layer.name, layerGeometry(layer), 1, recs[i], annDenseRules(layer)));
      return { predictions, ledger: { backend: this.descriptor, samples: samples.count, layers: ledgerLayers } };
    },
  };
}
