// A directly trained spiking network in the snn backend's terms (no tfjs here: workloads import this
// to rebuild a cached network without loading the trainer).
import type { SpikingModel } from '../../harness/convert.js';
import type { Model } from '../../harness/model.js';
import type { MembraneNeuron, NeuronParams } from '../../harness/neurons.js';

/** Neuron dynamics the surrogate-gradient trainer handles (harness/neurons.ts without CUBA or refractoriness). */
/** The neurons a surrogate-gradient SNN trains with: the library's IF/LIF subset (harness/neurons.ts). */
export type TrainableNeuron = MembraneNeuron;

/** The weights as a SpikingModel for `createSnn`: every layer spikes at `threshold` but the read-out. */
export function toSpikingModel(model: Model, threshold: number, id = model.id): SpikingModel {
  const last = model.layers.length - 1;
  for (const layer of model.layers) if (layer.kind === 'maxpool2d') throw new Error(`layer ${layer.name}: max pooling has no spiking form; use average pooling`);
  return {
    id,
    inputShape: model.inputShape,
    layers: model.layers.map((layer, i) => ({ layer, spiking: i !== last, threshold })),
    conversion: { method: 'surrogate-gradient', calibrationSamples: 0, scales: model.layers.map(() => 1) },
  };
}

/** The snn backend's neuron parameters for these dynamics. */
export function neuronParams(n: TrainableNeuron): NeuronParams {
  return { model: n.model, reset: n.reset, beta: n.beta, alpha: 0, refractory: 0 };
}
