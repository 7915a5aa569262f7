// A user's spiking network from a NIR file (`joulebench run --nir`): the graph (workloads/nir/to-graph.ts)
// run by the graph engine (harness/backends/snn-graph.ts) on the user's samples — static inputs held
// over T steps for each T asked, or frames whose T comes from the data — and every ledger priced into
// the one results document (study/results.ts), kind `image`; with the ANN it replaces (ONNX), that ANN
// on the same samples, so the document holds the comparisons and break-even of a run. Nothing is written here.
import { progressOf } from '../core/progress.js';
import type { HardwareProfile } from '../cost-models/profile.js';
import type { BackendRun } from '../harness/backend.js';
import { accuracy, runBackend } from '../harness/backend.js';
import type { GraphInput } from '../harness/backends/snn-graph.js';
import { createSnnGraph } from '../harness/backends/snn-graph.js';
import type { SampleSet } from '../harness/data.js';
import { layerGeometry } from '../harness/layers.js';
import type { ConfigurationRun, SuiteOptions } from '../harness/suite.js';
import { runSuite } from '../harness/suite.js';
import type { Model } from '../harness/model.js';
import type { ResultsDoc } from '../reports/results.js';
import type { NirSnnGraph } from '../workloads/nir/to-graph.js';
import { buildResults } from './results.js';

export interface NirStudy {
  /** The file as the user named it, and what it is (NIR version), for the record. */
  readonly source: { readonly file: string; readonly version: string; readonly dt: number };
  /** The graph engine's kernels: the WebAssembly ones (`wasm`) or the TypeScript reference (`js`); the same results. */
  readonly kernel?: 'js' | 'wasm';
  /** Worker threads that split the samples (default 1); the same results. */
  readonly threads?: number;
  readonly net: NirSnnGraph;
  readonly samples: SampleSet;
  /** How the samples feed the graph: held static inputs, or frames (T from the data). */
  readonly input: GraphInput;
  /** One configuration per T (frames: the frames' T only). */
  readonly timesteps: readonly number[];
  readonly seed: number;
  readonly profiles: readonly HardwareProfile[];
  readonly pairs?: readonly (readonly [string, string])[];
  readonly monteCarloSamples?: number;
  /** What the samples are (their file, layout, scaling), for the record. */
  readonly data: Readonly<Record<string, unknown>>;
  /** The ANN the spiking network replaces (an ONNX file), run by the ANN backends on the same samples and compared. */
  readonly ann?: { readonly file: string; readonly model: Model; readonly suite: SuiteOptions };
}

export interface NirStudyRun {
  readonly doc: ResultsDoc;
  readonly timingsMs: { readonly configurations: Readonly<Record<string, number>> };
}

/** Configuration id of a NIR graph run at T steps. */
export const nirConfigId = (T: number): string => `snn-nir-T${T}`;

export async function runNirStudy(s: NirStudy, log: (line: string) => void): Promise<NirStudyRun> {
  const { graph, notes, discretization } = s.net;
  log(`running ${s.source.file} (NIR ${s.source.version}: ${graph.groups.length} neuron groups, ${graph.synapses.length} synapses) on ${s.samples.count} samples of ${s.samples.id}`);
  for (const note of notes) log(`  ${note}`);
  const runs: ConfigurationRun[] = [];
  if (s.ann !== undefined) {
    // the ANN's inputs are the same samples in its own input shape (row-major order kept)
    const annSamples: SampleSet = { ...s.samples, shape: [...s.ann.model.inputShape] };
    log(`running the ANN ${s.ann.file} on the same samples`);
    runs.push(...(await runSuite(s.ann.model, annSamples, annSamples, s.ann.suite, log)).runs);
  }
  for (const T of s.timesteps) {
    const t0 = performance.now();
    const backend = createSnnGraph(graph, { timesteps: T, input: s.input, params: { dt: s.source.dt, discretization: discretization.discretization, nirReset: discretization.reset }, ...(s.kernel === undefined ? {} : { kernel: s.kernel }), ...(s.threads === undefined ? {} : { threads: s.threads }) });
    const id = nirConfigId(T);
    const task = progressOf(log).task(`${id} (${s.timesteps.indexOf(T) + 1}/${s.timesteps.length})`, s.samples.count, 'samples');
    let run: BackendRun;
    try {
      run = await runBackend(backend, s.samples, { onProgress: (done) => task.update(done) });
    } finally {
      task.end();
    }
    const acc = s.samples.labelled === false ? null : accuracy(run.predictions, s.samples.labels);
    runs.push({ id, accuracy: acc, ledger: run.ledger, wallMs: performance.now() - t0 });
    log(`  ${id}: ${acc === null ? 'no labels' : `accuracy ${(acc * 100).toFixed(2)}%`}`);
  }
  const groupOf = (to: number) => graph.groups[to];
  const doc = buildResults({
    workload: {
      id: `nir:${s.source.file}`,
      title: `NIR graph ${s.source.file}`,
      dataset: s.samples.id,
      task: 'classification',
      metric: 'accuracy',
      ...(s.samples.labelled === false ? {} : { classes: s.samples.classes }),
      layers: graph.synapses.map((syn) => {
        const g = layerGeometry(syn.layer);
        const group = groupOf(syn.to);
        return { name: syn.layer.name, kind: syn.layer.kind, inputShape: [...g.inputShape], outputShape: [...g.outputShape], activation: `${group.dynamics.model}${group.spiking ? '' : ' (integrator)'} → ${group.name}` };
      }),
      training: { origin: 'nir', file: s.source.file, ...(s.ann === undefined ? {} : { ann: s.ann.file }), nirVersion: s.source.version, dt: s.source.dt, discretization: discretization.discretization, reset: discretization.reset, input: s.input, data: s.data, notes: [...notes] },
      conversion: null,
    },
    samples: s.samples.count,
    seed: s.seed,
    runs,
    profiles: s.profiles,
    ...(s.pairs ? { pairs: s.pairs } : {}),
    ...(s.monteCarloSamples === undefined ? {} : { monteCarloSamples: s.monteCarloSamples }),
  });
  return { doc, timingsMs: { configurations: Object.fromEntries(runs.map((r) => [r.id, Math.round(r.wallMs)])) } };
}
