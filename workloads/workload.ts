// A workload: a dataset, a model (layer graph with weights), the SNN input coding and a task metric.
import type { Coding } from '../harness/backends/snn.js';
import type { SpikingModel } from '../harness/convert.js';
import type { SampleSet } from '../harness/data.js';
import type { Model } from '../harness/model.js';
import type { NeuronParams } from '../harness/neurons.js';

export interface Workload {
  readonly id: string;
  readonly title: string;
  readonly dataset: string;
  readonly task: 'classification';
  readonly metric: 'accuracy';
  /** Input coding used when the workload runs on a spiking backend. */
  readonly snnCoding: 'rate';
  /** A directly trained SNN's neuron and coding, known before `prepare()` (the snn backend runs with them). */
  readonly trainedSpiking?: Pick<TrainedSpikingNetwork, 'neuron' | 'coding'>;
  /** Trains (or loads from the machine cache) the model and returns it with its data. */
  prepare(log: (line: string) => void): PreparedWorkload;
}

export interface PreparedWorkload {
  readonly model: Model;
  readonly train: SampleSet;
  readonly test: SampleSet;
  /** How the weights were obtained (training config, cache key, whether this run trained them). */
  readonly training: Readonly<Record<string, unknown>> & { readonly cacheKey: string; readonly fromCache: boolean };
  /**
   * A spiking network trained directly (not converted from `model`), with the settings it was
   * trained for; absent when the workload's SNNs come from ANN→SNN conversion of `model`.
   */
  readonly spiking?: TrainedSpikingNetwork;
}

/** A directly trained SNN and how to run it: `createSnn(model, { timesteps, coding, neuron, seed })`. */
export interface TrainedSpikingNetwork {
  readonly model: SpikingModel;
  /** The T it was trained at. */
  readonly timesteps: number;
  readonly coding: Extract<Coding, 'rate' | 'direct'>;
  readonly neuron: NeuronParams;
  /** Test accuracy the snn backend measured at `timesteps` with input-coder seed `seed`, when it was trained. */
  readonly testAccuracy: number;
  readonly seed: number;
}
