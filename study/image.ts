// An image-classifier study (`joulebench run`, `check`): the workload prepared (trained or from the
// cache), every backend configuration executed on the test samples (harness/suite.ts), and the
// ledgers priced into the one results document (study/results.ts). Nothing is written here.
import { CONFIGURATION_DEFAULTS } from '../harness/run-options.js';
import type { HardwareProfile } from '../cost-models/profile.js';
import { takeRequested } from '../harness/data.js';
import { layerGeometry } from '../harness/layers.js';
import { activationOf } from '../harness/model.js';
import type { SuiteOptions } from '../harness/suite.js';
import { runSuite } from '../harness/suite.js';
import type { ResultsDoc } from '../reports/results.js';
import type { Workload } from '../workloads/workload.js';
import { buildResults } from './results.js';

export interface ImageStudy {
  readonly workload: Workload;
  /** Test samples to evaluate (the first n of the test set). */
  readonly samples: number;
  readonly seed: number;
  /** The suite's options except those the prepared workload decides (a directly trained SNN's neuron and coding). */
  readonly suite: Omit<SuiteOptions, 'trainedSnn'>;
  readonly profiles: readonly HardwareProfile[];
  readonly pairs?: readonly (readonly [string, string])[];
  readonly monteCarloSamples?: number;
}

export interface ImageStudyRun {
  readonly doc: ResultsDoc;
  /** For the manifest: the training record's cache facts and each configuration's wall time. */
  readonly training: { readonly fromCache: boolean; readonly cacheKey: string; readonly seed: unknown };
  readonly timingsMs: { readonly prepare: number; readonly configurations: Readonly<Record<string, number>> };
}

export async function runImageStudy(s: ImageStudy, log: (line: string) => void): Promise<ImageStudyRun> {
  const t0 = performance.now();
  const prepared = s.workload.prepare(log);
  const tPrepared = performance.now();
  // the default count means "up to": a smaller set of the user's runs whole; an explicit larger -n is refused
  const test = takeRequested(prepared.test, s.samples, '--samples', CONFIGURATION_DEFAULTS.samples);
  log(`running ${s.workload.id} on ${test.count} ${prepared.test.id} samples`);
  const { runs, snnModel } = await runSuite(prepared.model, prepared.train, test, {
    ...s.suite,
    // a directly trained SNN runs with the neuron model and coding it was trained with
    neuron: prepared.spiking?.neuron ?? s.suite.neuron,
    coding: prepared.spiking?.coding ?? s.suite.coding,
    ...(prepared.spiking ? { trainedSnn: prepared.spiking.model } : {}),
  }, log);
  const { fromCache, ...training } = prepared.training;
  const doc = buildResults({
    workload: {
      id: s.workload.id,
      title: s.workload.title,
      dataset: s.workload.dataset,
      task: s.workload.task,
      metric: s.workload.metric,
      classes: test.classes,
      layers: prepared.model.layers.map((l) => {
        const g = layerGeometry(l);
        return { name: l.name, kind: l.kind, inputShape: [...g.inputShape], outputShape: [...g.outputShape], activation: activationOf(l) };
      }),
      training,
      conversion: snnModel ? { ...snnModel.conversion } : null,
    },
    samples: test.count,
    seed: s.seed,
    runs,
    profiles: s.profiles,
    ...(s.pairs ? { pairs: s.pairs } : {}),
    ...(s.monteCarloSamples === undefined ? {} : { monteCarloSamples: s.monteCarloSamples }),
  });
  return {
    doc,
    training: { fromCache, cacheKey: prepared.training.cacheKey, seed: (training as Record<string, unknown>).seed ?? null },
    timingsMs: { prepare: Math.round(tPrepared - t0), configurations: Object.fromEntries(runs.map((r) => [r.id, Math.round(r.wallMs)])) },
  };
}
