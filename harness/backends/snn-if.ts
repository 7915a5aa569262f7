// SNN backend: integrate-and-fire neurons, reset by subtraction, rate-coded input, T timesteps.
// Each timestep: every neuron adds its bias, every incoming spike adds one weight row (an
// accumulate, AC), every spiking neuron compares its potential with the threshold and, on a spike,
// subtracts it. The read-out layer integrates without spiking; the class is its largest potential.
import type { Backend, BackendRun } from '../backend.js';
import type { SpikingLayer, SpikingModel } from '../convert.js';
import type { SampleSet } from '../data.js';
import { sampleInput } from '../data.js';
import { addRow, argmax } from '../kernels/dense.js';
import type { LayerRules, SampleActivity } from '../ledger.js';
import { buildLayerLedger, newActivityRecorder } from '../ledger.js';
import { layerGeometry } from '../layers.js';
import { createRng } from '../rng.js';
import type { SpikeEncoder } from '../encoders.js';
import { rateEncoder } from '../encoders.js';

const BITS = 32;

export interface SnnOptions {
  readonly timesteps: number;
  /** Seed of the input coder; sample i draws from stream (seed, i), so its spikes do not depend on which other samples run, or where. */
  readonly seed: number;
  /** Input encoder; rate (Bernoulli) coding when omitted. */
  readonly encoder?: SpikeEncoder;
}

/** Ledger rules of a dense layer of IF neurons (or the read-out integrator) over T timesteps. */
export function snnDenseRules(sl: SpikingLayer, timesteps: number): LayerRules {
  const nOut = sl.layer.outFeatures;
  const T = timesteps;
  const spiking = sl.neuron !== null;
  const word = { bits: BITS } as const;
  return {
    compute: [
      { op: 'ac', bits: BITS, numeric: 'fp', purpose: 'synaptic', count: (a) => a.inputEvents * nOut },
      { op: 'add', bits: BITS, numeric: 'fp', purpose: 'bias', count: () => nOut * T },
      ...(spiking
        ? ([
            { op: 'cmp', bits: BITS, numeric: 'fp', purpose: 'threshold', count: () => nOut * T },
            { op: 'add', bits: BITS, numeric: 'fp', purpose: 'reset', count: (a: SampleActivity) => a.outputEvents },
          ] as const)
        : []),
    ],
    memory: [
      { operand: 'input', action: 'read', ...word, count: (a) => a.inputEvents },
      { operand: 'weight', action: 'read', ...word, count: (a) => a.inputEvents * nOut },
      { operand: 'bias', action: 'read', ...word, count: () => nOut * T },
      { operand: 'potential', action: 'read', ...word, count: (a) => a.inputEvents * nOut + nOut * T },
      { operand: 'potential', action: 'write', ...word, count: (a) => a.inputEvents * nOut + nOut * T },
      // spiking layers emit spike events; the read-out writes its final potentials once
      { operand: 'output', action: 'write', ...word, count: spiking ? (a: SampleActivity) => a.outputEvents : () => nOut },
    ],
    footprint: { weightBits: sl.layer.weight.length * BITS, biasBits: nOut * BITS, stateBits: nOut * BITS },
    neuron: sl.neuron,
  };
}

export function createSnnIf(model: SpikingModel, options: SnnOptions): Backend {
  const T = options.timesteps;
  if (!Number.isInteger(T) || T < 1) throw new Error(`timesteps must be a positive integer, got ${T}`);
  const encoder = options.encoder ?? rateEncoder;
  return {
    descriptor: {
      id: 'snn-if',
      family: 'snn',
      timesteps: T,
      params: { neuron: 'if', reset: 'subtract', threshold: 1, coding: encoder.name, precision: 'fp32', seed: options.seed, conversion: model.conversion.method },
    },
    run(samples: SampleSet): BackendRun {
      const layers = model.layers;
      const nInput = layers[0].layer.inFeatures;
      const recs = layers.map(() => newActivityRecorder(samples.count, T));
      const potentials = layers.map((l) => new Float32Array(l.layer.outFeatures));
      // spike lists: indices of neurons that spiked this step, per layer output (index 0 = encoder)
      const spikeIdx = [new Int32Array(nInput), ...layers.map((l) => new Int32Array(l.layer.outFeatures))];
      const spikeCount = new Int32Array(layers.length + 1);
      const predictions = new Uint8Array(samples.count);
      for (let s = 0; s < samples.count; s++) {
        const x = sampleInput(samples, s);
        const rng = createRng(options.seed, s);
        for (const v of potentials) v.fill(0);
        for (let t = 0; t < T; t++) {
          spikeCount[0] = encoder.encode(x, t, rng, spikeIdx[0]);
          for (let l = 0; l < layers.length; l++) {
            const { layer, neuron, threshold } = layers[l];
            const v = potentials[l];
            const nOut = layer.outFeatures;
            const b = layer.bias;
            for (let j = 0; j < nOut; j++) v[j] += b[j];
            const inIdx = spikeIdx[l];
            const nIn = spikeCount[l];
            for (let k = 0; k < nIn; k++) addRow(layer.weight, inIdx[k], nOut, v);
            let nSpikes = 0;
            if (neuron !== null) {
              const outIdx = spikeIdx[l + 1];
              for (let j = 0; j < nOut; j++) {
                if (v[j] >= threshold) {
                  v[j] -= threshold;
                  outIdx[nSpikes++] = j;
                }
              }
            }
            spikeCount[l + 1] = nSpikes;
            const rec = recs[l];
            rec.inputEvents[s] += nIn;
            rec.outputEvents[s] += nSpikes;
            rec.inputPerStep[t] += nIn;
            rec.outputPerStep[t] += nSpikes;
          }
        }
        predictions[s] = argmax(potentials[layers.length - 1]);
      }
      const ledgerLayers = layers.map((sl, i) => buildLayerLedger(i, sl.layer.name, layerGeometry(sl.layer), T, recs[i], snnDenseRules(sl, T)));
      return { predictions, ledger: { backend: this.descriptor, samples: samples.count, layers: ledgerLayers } };
    },
  };
}
