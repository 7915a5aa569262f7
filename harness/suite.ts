// Runs one workload on a set of backend configurations and collects predictions' accuracy and
// ledgers. Pure harness: no energy here.
import type { Backend } from './backend.js';
import { accuracy } from './backend.js';
import { createAnnDense } from './backends/ann-dense.js';
import { createSnnIf } from './backends/snn-if.js';
import type { NormMethod, SpikingModel } from './convert.js';
import { convertToSnn } from './convert.js';
import type { SampleSet } from './data.js';
import { takeSamples } from './data.js';
import type { Ledger } from './ledger.js';
import type { Model } from './model.js';

export const BACKEND_IDS = ['ann-dense', 'snn-if'] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

export interface SuiteOptions {
  readonly backends: readonly BackendId[];
  readonly timesteps: readonly number[];
  readonly norm: NormMethod;
  /** Training samples used to measure activations for threshold balancing. */
  readonly calibrationSamples: number;
  readonly seed: number;
}

export interface ConfigurationRun {
  /** e.g. "ann-dense", "snn-if-T16". */
  readonly id: string;
  readonly accuracy: number;
  readonly ledger: Ledger;
  /** Wall time of the backend run in ms (goes to the manifest, never to results.json). */
  readonly wallMs: number;
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
    log(`  ${id.padEnd(14)} accuracy ${(acc * 100).toFixed(2)}%  (${(wallMs / 1000).toFixed(1)} s)`);
    runs.push({ id, accuracy: acc, ledger: r.ledger, wallMs });
  };
  if (opts.backends.includes('ann-dense')) exec('ann-dense', createAnnDense(model));
  let snnModel: SpikingModel | null = null;
  if (opts.backends.includes('snn-if')) {
    snnModel = convertToSnn(model, takeSamples(train, opts.calibrationSamples), opts.norm);
    for (const T of opts.timesteps) exec(`snn-if-T${T}`, createSnnIf(snnModel, { timesteps: T, seed: opts.seed }));
  }
  return { runs, snnModel };
}
