// Runs one workload on a set of backend configurations and collects predictions' accuracy and
// ledgers. Pure harness: no energy here.
import type { Backend } from './backend.js';
import { accuracy } from './backend.js';
import { createAnn } from './backends/ann.js';
import { bitsForTimesteps, quantizeModel, validateQuantSpec } from './quantize.js';
import type { Coding, Execution } from './backends/snn.js';
import { createSnn } from './backends/snn.js';
import type { NormMethod, SpikingModel } from './convert.js';
import { convertToSnn } from './convert.js';
import type { SampleSet } from './data.js';
import { takeSamples } from './data.js';
import type { Ledger } from './ledger.js';
import type { Model } from './model.js';
import type { NeuronParams } from './neurons.js';

export const BACKEND_IDS = ['ann-dense', 'ann-sparse', 'ann-quant', 'snn'] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

export interface SuiteOptions {
  readonly backends: readonly BackendId[];
  readonly timesteps: readonly number[];
  readonly norm: NormMethod;
  /** Training samples used to measure activations for threshold balancing. */
  readonly calibrationSamples: number;
  readonly seed: number;
  readonly neuron: NeuronParams;
  readonly coding: Coding;
  readonly executions: readonly Execution[];
  /** Quantized ANN configurations (ann-quant): weight bits and activation bits, 'T' = ⌈log2(T+1)⌉ for each T. */
  readonly quant: readonly QuantArg[];
}

export interface QuantArg {
  readonly weightBits: number;
  readonly actBits: number | 'T';
}

/** Parses "w8a8", "w4a4" or "w8aT" (activation bits matched to each T). */
export function parseQuantArg(text: string): QuantArg {
  const m = /^w(\d+)a(\d+|T)$/.exec(text);
  if (!m) throw new Error(`quantization "${text}" is not of the form w<bits>a<bits> or w<bits>aT (e.g. w8a8, w4a4, w8aT)`);
  const q: QuantArg = { weightBits: Number(m[1]), actBits: m[2] === 'T' ? 'T' : Number(m[2]) };
  validateQuantSpec({ weightBits: q.weightBits, actBits: q.actBits === 'T' ? 1 : q.actBits });
  return q;
}

export interface ConfigurationRun {
  /** e.g. "ann-dense", "snn-if-T16", "snn-lif-T8-event". */
  readonly id: string;
  readonly accuracy: number;
  readonly ledger: Ledger;
  /** Wall time of the backend run in ms (goes to the manifest, never to results.json). */
  readonly wallMs: number;
}

/** Configuration id of an SNN run: neuron model, T, and the execution when it is not time-stepped. */
export function snnConfigId(neuron: NeuronParams, T: number, execution: Execution): string {
  return `snn-${neuron.model}-T${T}${execution === 'event-driven' ? '-event' : ''}`;
}

export function runSuite(
  model: Model,
  train: SampleSet,
  test: SampleSet,
  opts: SuiteOptions,
  log: (line: string) => void,
): { runs: ConfigurationRun[]; snnModel: SpikingModel | null } {
  const runs: ConfigurationRun[] = [];
  const exec = (id: string, backend: Backend): void => {
    const started = performance.now();
    const r = backend.run(test);
    const wallMs = performance.now() - started;
    const acc = accuracy(r.predictions, test.labels);
    log(`  ${id.padEnd(18)} accuracy ${(acc * 100).toFixed(2)}%  (${(wallMs / 1000).toFixed(1)} s)`);
    runs.push({ id, accuracy: acc, ledger: r.ledger, wallMs });
  };
  if (opts.backends.includes('ann-dense')) exec('ann-dense', createAnn(model));
  if (opts.backends.includes('ann-sparse')) exec('ann-sparse', createAnn(model, { skipZeros: true }));
  if (opts.backends.includes('ann-quant')) {
    const calibration = takeSamples(train, opts.calibrationSamples);
    const done = new Set<string>();
    for (const qa of opts.quant) {
      const variants = qa.actBits === 'T' ? opts.timesteps.map((T) => ({ actBits: bitsForTimesteps(T), suffix: `-T${T}` })) : [{ actBits: qa.actBits, suffix: '' }];
      for (const v of variants) {
        const id = `ann-w${qa.weightBits}a${v.actBits}${v.suffix}`;
        const key = `${qa.weightBits}/${v.actBits}`;
        if (done.has(key) && v.suffix !== '') continue; // same bits as an explicit configuration
        done.add(key);
        exec(id, createAnn(model, { quantized: quantizeModel(model, calibration, { weightBits: qa.weightBits, actBits: v.actBits }, opts.norm) }));
      }
    }
  }
  let snnModel: SpikingModel | null = null;
  if (opts.backends.includes('snn')) {
    snnModel = convertToSnn(model, takeSamples(train, opts.calibrationSamples), opts.norm);
    for (const T of opts.timesteps) {
      for (const execution of opts.executions) {
        exec(snnConfigId(opts.neuron, T, execution), createSnn(snnModel, { timesteps: T, seed: opts.seed, neuron: opts.neuron, coding: opts.coding, execution }));
      }
    }
  }
  return { runs, snnModel };
}
