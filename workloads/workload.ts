// A workload: a dataset, a model (layer graph with weights), the SNN input coding and a task metric.
import type { SampleSet } from '../harness/data.js';
import type { Model } from '../harness/model.js';

export interface Workload {
  readonly id: string;
  readonly title: string;
  readonly dataset: string;
  readonly task: 'classification';
  readonly metric: 'accuracy';
  /** Input coding used when the workload runs on a spiking backend. */
  readonly snnCoding: 'rate';
  /** Trains (or loads from the machine cache) the model and returns it with its data. */
  prepare(log: (line: string) => void): PreparedWorkload;
}

export interface PreparedWorkload {
  readonly model: Model;
  readonly train: SampleSet;
  readonly test: SampleSet;
  /** How the weights were obtained (training config, cache key, whether this run trained them). */
  readonly training: Readonly<Record<string, unknown>> & { readonly cacheKey: string; readonly fromCache: boolean };
}
