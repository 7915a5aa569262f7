// A brain model's results document (`joulebench brain <model>`): each phase of each experiment the
// plugin ran (storage, learning, recall, inference …) and each extra ledger it offers becomes one
// configuration of the one results document, priced under every profile through the one pricing
// service (study/results.ts); the model's options and quality go to its `brain` section.
import type { HardwareProfile } from '../cost-models/profile.js';
import type { ResultsDoc } from '../reports/results.js';
import type { PluginRun, WorkloadPlugin } from '../workloads/plugin.js';
import type { StudyConfiguration } from './results.js';
import { buildResults } from './results.js';

/** A configuration id from an experiment and phase: "classic P=10" + "storage" → "classic-P=10-storage". */
export const brainConfigId = (experiment: string, phase: string): string => `${experiment} ${phase}`.replace(/[^A-Za-z0-9.=_-]+/g, '-');

export function buildBrainResults(plugin: WorkloadPlugin, options: Readonly<Record<string, unknown>>, run: PluginRun, profiles: readonly HardwareProfile[]): ResultsDoc {
  const seen = new Map<string, number>();
  const unique = (id: string): string => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}-${n}`; // the same experiment twice (e.g. a load given twice)
  };
  const phases = run.phases.map((p) => {
    const q = plugin.sweepQuality(run, p);
    const quality: Record<string, number> = { [q.metric]: q.value };
    if (Number.isFinite(q.accuracy) && q.metric !== 'accuracy') quality.accuracy = q.accuracy;
    return { record: p, id: unique(brainConfigId(p.experiment, p.phase)), quality };
  });
  const configurations: StudyConfiguration[] = [
    ...phases.map(({ record: p, id, quality }) => ({ id, accuracy: null, quality, labels: { model: plugin.id, experiment: p.experiment, phase: p.phase, per: p.per }, ledger: p.ledger })),
    ...run.extra.map((x) => ({ id: x.id, accuracy: null, labels: { model: plugin.id, name: x.name }, ledger: x.ledger })),
  ];
  const metric = phases.length > 0 ? Object.keys(phases[0].quality)[0] : 'none';
  return buildResults({
    kind: 'brain',
    workload: {
      id: `brain-${plugin.id}`,
      title: plugin.title,
      dataset: run.dataset,
      task: `phases: ${plugin.phases.join(', ')}`,
      metric,
      layers: [],
      training: { ...options },
      conversion: null,
    },
    samples: Math.max(1, ...run.phases.map((p) => p.ledger.samples)),
    seed: typeof options.seed === 'number' ? options.seed : 0,
    runs: configurations,
    profiles,
    // bounds over every constant's range for each total; no Monte Carlo
    monteCarloSamples: 0,
    brain: {
      model: plugin.id,
      dataset: run.dataset,
      options: { ...options },
      quality: run.quality,
      phases: phases.map(({ record: p, id }) => ({ experiment: p.experiment, phase: p.phase, per: p.per, samples: p.ledger.samples, configuration: id })),
      extra: run.extra.map((x) => ({ name: x.name, configuration: x.id })),
    },
  });
}

/** Executes a brain model (its plugin, validated options) and prices its phases into the results document. */
export function runBrainStudy(plugin: WorkloadPlugin, options: Readonly<Record<string, unknown>>, profiles: readonly HardwareProfile[], log: (line: string) => void): ResultsDoc {
  return buildBrainResults(plugin, options, plugin.execute(options, { log }), profiles);
}
