// An imported-activity study (`joulebench price`): each activity file (the joulebench-activity format,
// workloads/imported/) becomes one configuration's ledger through the one ledger builder, priced into
// the results document a `run` writes (kind image: an ANN beside SNNs gets the comparisons,
// break-even and verdicts of a run). Nothing is written here.
import { basename } from 'node:path';
import type { HardwareProfile } from '../cost-models/profile.js';
import { InputError, excerpt } from '../core/errors.js';
import type { ResultsDoc } from '../reports/results.js';
import type { ActivityDoc } from '../workloads/imported/activity.js';
import { activityToLedger } from '../workloads/imported/ledger.js';
import type { StudyConfiguration } from './results.js';
import { buildResults } from './results.js';

/** The results document of the activity files (nothing is written). */
export function priceActivities(docs: readonly { readonly file: string; readonly doc: ActivityDoc }[], profiles: readonly HardwareProfile[], options: { readonly pairs?: readonly (readonly [string, string])[]; readonly monteCarloSamples?: number } = {}): ResultsDoc {
  const runs: StudyConfiguration[] = [];
  const seen = new Map<string, string>();
  for (const { file, doc } of docs) {
    const { id, ledger } = activityToLedger(doc);
    const earlier = seen.get(id);
    if (earlier !== undefined) throw InputError.at({ file, field: 'configuration', problem: `"${excerpt(id, 40)}" is the configuration of ${excerpt(earlier, 80)} too`, fix: 'give each file its own "configuration" id' });
    seen.set(id, file);
    runs.push({ id, accuracy: doc.accuracy ?? null, ledger });
  }
  const first = docs[0].doc;
  const networks = [...new Set(docs.map((d) => d.doc.network))];
  const datasets = [...new Set(docs.map((d) => d.doc.dataset).filter((d) => d !== undefined))];
  return buildResults({
    workload: {
      id: `imported:${networks.join('+')}`,
      title: `${networks.join(', ')} (imported activity)`,
      dataset: datasets.length > 0 ? datasets.join(', ') : 'not recorded',
      task: 'imported activity',
      metric: 'accuracy',
      layers: first.layers.map((l) => ({ name: l.name, kind: l.kind, inputShape: [...l.inputShape], outputShape: [...l.outputShape], activation: l.neuron })),
      training: {
        source: 'imported activity (joulebench price)',
        files: docs.map(({ file, doc }) => ({ file: basename(file), network: doc.network, family: doc.family, timesteps: doc.timesteps, samples: doc.samples, ...(doc.source ? { source: doc.source } : {}) })),
      },
      conversion: null,
    },
    samples: Math.max(...docs.map((d) => d.doc.samples)),
    seed: 0,
    runs,
    profiles,
    ...(options.pairs ? { pairs: options.pairs } : {}),
    ...(options.monteCarloSamples === undefined ? {} : { monteCarloSamples: options.monteCarloSamples }),
  });
}
