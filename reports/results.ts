// results.json: the deterministic record of a run (no timestamps, no host info: those go to
// manifest.json). Its JSON Schema is reports/results.schema.json; bump RESULTS_SCHEMA_VERSION
// whenever the shape changes.
import type { Constant } from '../cost-models/constants.js';
import type { EnergyItem } from '../cost-models/energy.js';
import { groupEnergyJ } from '../cost-models/energy.js';
import type { PricedLedger, UnpricedCount } from '../cost-models/model.js';
import type { HardwareProfile, ProfileParameter } from '../cost-models/profile.js';
import { costModelFor } from '../cost-models/registry.js';
import { OutOfRangeError } from '../cost-models/model.js';
import type { BackendDescriptor, Ledger, NeuroBenchMetrics } from '../harness/ledger.js';
import { neuroBenchMetrics } from '../harness/ledger.js';
import type { ConfigurationRun } from '../harness/suite.js';

export const RESULTS_SCHEMA_VERSION = 1;

export interface EnergyResult {
  readonly profile: string;
  readonly model: string;
  readonly totalJ: number;
  readonly computeJ: number;
  readonly memoryJ: number;
  readonly items: readonly EnergyItem[];
  readonly unpriced: readonly UnpricedCount[];
}

/** A profile whose model declined this configuration (outside its valid range), with its reason. */
export interface Refusal {
  readonly profile: string;
  readonly model: string;
  readonly reason: string;
}

export interface ConfigurationResult {
  readonly id: string;
  readonly backend: BackendDescriptor;
  readonly accuracy: number;
  readonly neurobench: NeuroBenchMetrics;
  readonly ledger: Ledger;
  readonly energy: readonly EnergyResult[];
  /** Profiles that refused to price this configuration (no energy under them). */
  readonly refused: readonly Refusal[];
}

export interface Comparison {
  readonly profile: string;
  readonly snn: string;
  readonly ann: string;
  /** E_SNN / E_ANN per inference: below 1 the SNN uses less energy. */
  readonly energyRatio: number;
  /** Accuracy of the SNN minus accuracy of the ANN (fractions). */
  readonly accuracyDelta: number;
}

export interface ResultsDoc {
  readonly schema: 'joulebench/results';
  readonly schemaVersion: number;
  readonly workload: {
    readonly id: string;
    readonly title: string;
    readonly dataset: string;
    readonly task: string;
    readonly metric: string;
    readonly layers: readonly { readonly name: string; readonly kind: string; readonly inputShape: readonly number[]; readonly outputShape: readonly number[]; readonly activation: string }[];
    readonly training: Readonly<Record<string, unknown>>;
    readonly conversion: Readonly<Record<string, unknown>> | null;
  };
  readonly samples: number;
  readonly seed: number;
  readonly profiles: readonly {
    readonly id: string;
    readonly model: string;
    readonly title: string;
    readonly description: string;
    readonly constants: Readonly<Record<string, string>>;
    readonly parameters: Readonly<Record<string, ProfileParameter>>;
  }[];
  /** Every constant any profile used, with value, unit, range and source. */
  readonly constants: readonly Constant[];
  readonly configurations: readonly ConfigurationResult[];
  readonly comparisons: readonly Comparison[];
}

export function priceConfiguration(run: ConfigurationRun, profiles: readonly HardwareProfile[]): { result: ConfigurationResult; priced: PricedLedger[] } {
  const priced: PricedLedger[] = [];
  const refused: Refusal[] = [];
  for (const p of profiles) {
    try {
      priced.push(costModelFor(p).price(run.ledger, p));
    } catch (e) {
      if (!(e instanceof OutOfRangeError)) throw e;
      refused.push({ profile: p.id, model: p.model, reason: e.message });
    }
  }
  const energy: EnergyResult[] = priced.map((p) => {
    const byComponent = groupEnergyJ(p.items, (i) => i.component);
    return {
      profile: p.profile,
      model: p.model,
      totalJ: p.totalJ,
      computeJ: byComponent.get('compute') ?? 0,
      memoryJ: byComponent.get('memory') ?? 0,
      items: p.items,
      unpriced: p.unpriced,
    };
  });
  return {
    result: { id: run.id, backend: run.ledger.backend, accuracy: run.accuracy, neurobench: neuroBenchMetrics(run.ledger), ledger: run.ledger, energy, refused },
    priced,
  };
}

export function buildResults(args: {
  workload: ResultsDoc['workload'];
  samples: number;
  seed: number;
  runs: readonly ConfigurationRun[];
  profiles: readonly HardwareProfile[];
}): ResultsDoc {
  const configurations: ConfigurationResult[] = [];
  const constants = new Map<string, Constant>();
  for (const run of args.runs) {
    const { result, priced } = priceConfiguration(run, args.profiles);
    configurations.push(result);
    for (const p of priced) for (const c of p.constants) constants.set(c.id, c);
  }
  const comparisons: Comparison[] = [];
  const ann = configurations.find((c) => c.backend.family === 'ann');
  if (ann) {
    for (const snn of configurations.filter((c) => c.backend.family === 'snn')) {
      for (const p of args.profiles) {
        const eAnn = ann.energy.find((e) => e.profile === p.id)?.totalJ;
        const eSnn = snn.energy.find((e) => e.profile === p.id)?.totalJ;
        if (eAnn === undefined || eSnn === undefined) continue; // a model refused one side
        comparisons.push({ profile: p.id, snn: snn.id, ann: ann.id, energyRatio: eSnn / eAnn, accuracyDelta: snn.accuracy - ann.accuracy });
      }
    }
  }
  return {
    schema: 'joulebench/results',
    schemaVersion: RESULTS_SCHEMA_VERSION,
    workload: args.workload,
    samples: args.samples,
    seed: args.seed,
    profiles: args.profiles.map((p) => ({
      id: p.id,
      model: p.model,
      title: p.title,
      description: p.description,
      constants: Object.fromEntries(Object.entries(p.constants).map(([role, c]) => [role, c.id])),
      parameters: p.parameters,
    })),
    constants: [...constants.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), // code-point order, locale-independent
    configurations,
    comparisons,
  };
}
