// results.json: the deterministic record of a run (no timestamps, no host info: those go to
// manifest.json). Its JSON Schema is reports/results.schema.json; bump RESULTS_SCHEMA_VERSION
// (reports/results-schema.ts) whenever the shape changes. buildResults checks the document against
// that schema before returning it, so an invalid document is never written.
import type { Constant } from '../cost-models/constants.js';
import type { EnergyItem } from '../cost-models/energy.js';
import { groupEnergyJ } from '../cost-models/energy.js';
import type { PricedLedger, UnpricedCount } from '../cost-models/model.js';
import type { HardwareProfile, ProfileParameter } from '../cost-models/profile.js';
import { costModelFor } from '../cost-models/registry.js';
import { OutOfRangeError } from '../cost-models/model.js';
import type { BreakEven } from '../cost-models/break-even.js';
import { breakEven } from '../cost-models/break-even.js';
import type { PairUncertainty, TotalUncertainty } from '../cost-models/uncertainty.js';
import { pairUncertainty, totalUncertainty } from '../cost-models/uncertainty.js';
import type { BackendDescriptor, Ledger, NeuroBenchMetrics } from '../core/ledger.js';
import { neuroBenchMetrics } from '../core/ledger.js';
import type { ConfigurationRun } from '../harness/suite.js';
import { RESULTS_SCHEMA_VERSION, assertValidResultsDoc } from './results-schema.js';

export { RESULTS_SCHEMA_VERSION };

export interface EnergyResult {
  readonly profile: string;
  readonly model: string;
  readonly totalJ: number;
  readonly computeJ: number;
  readonly memoryJ: number;
  /** Energy of all-in chip figures (memory and routing inside; never combined with compute or memory). */
  readonly allInJ: number;
  /** The total over the range of every constant the profile binds: bounds and Monte Carlo quantiles. */
  readonly uncertainty: TotalUncertainty;
  readonly items: readonly EnergyItem[];
  readonly unpriced: readonly UnpricedCount[];
}

/** One SNN configuration against the ANN, each priced under its own profile of a (SNN, ANN) pair. */
export interface PairAnalysis {
  readonly snnProfile: string;
  readonly annProfile: string;
  readonly snn: string;
  readonly ann: string;
  readonly breakEven: BreakEven;
  readonly uncertainty: PairUncertainty;
}

export interface AnalysisSettings {
  /** Monte Carlo samples per total and per pair (0: bounds only). */
  readonly monteCarloSamples: number;
  readonly seed: number;
  readonly distribution: 'triangular(low, value, high)';
  /** (SNN profile, ANN profile) pairs analysed; chosen by the user or by the default rule. */
  readonly pairs: readonly { readonly snnProfile: string; readonly annProfile: string }[];
  readonly pairRule: string;
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
  /** E_SNN / E_ANN per inference: below 1 the SNN uses less energy; null when the ANN's energy is 0 (see note). */
  readonly energyRatio: number | null;
  /** Accuracy of the SNN minus accuracy of the ANN (fractions). */
  readonly accuracyDelta: number;
  /** Why energyRatio is null (present only then). */
  readonly note?: string;
}

/** A (SNN profile, ANN profile) pair whose break-even and uncertainty are undefined, and why. */
export interface SkippedPair {
  readonly snnProfile: string;
  readonly annProfile: string;
  readonly snn: string;
  readonly ann: string;
  readonly reason: string;
}

/** How the ANN was converted to the SNN (threshold balancing; see harness/convert.ts). */
export interface ConversionRecord {
  readonly method: string;
  readonly calibrationSamples: number;
  /** λ per layer (> 0). */
  readonly scales: readonly number[];
  /** ReLU layers without a positive calibration activation (λ left at 1). */
  readonly unscaled?: readonly string[];
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
    readonly conversion: ConversionRecord | null;
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
  readonly analysis: { readonly settings: AnalysisSettings; readonly pairs: readonly PairAnalysis[]; readonly skipped: readonly SkippedPair[] };
}

export const DEFAULT_MONTE_CARLO_SAMPLES = 1000;

export const PAIR_RULE =
  'a profile that prices both ANN and SNN ledgers is paired with itself; every profile that prices only SNN ledgers is paired with every profile that prices only ANN ledgers';

/** The default pairs: see PAIR_RULE (which families a profile priced is read off the priced configurations). */
export function defaultPairs(configurations: readonly ConfigurationResult[], profiles: readonly HardwareProfile[]): [string, string][] {
  const priced = (p: string, family: 'ann' | 'snn'): boolean => configurations.some((c) => c.backend.family === family && c.energy.some((e) => e.profile === p));
  const both = profiles.filter((p) => priced(p.id, 'ann') && priced(p.id, 'snn')).map((p) => p.id);
  const snnOnly = profiles.filter((p) => !priced(p.id, 'ann') && priced(p.id, 'snn')).map((p) => p.id);
  const annOnly = profiles.filter((p) => priced(p.id, 'ann') && !priced(p.id, 'snn')).map((p) => p.id);
  return [...both.map((p): [string, string] => [p, p]), ...snnOnly.flatMap((s) => annOnly.map((a): [string, string] => [s, a]))];
}

export function priceConfiguration(run: ConfigurationRun, profiles: readonly HardwareProfile[], mc = { samples: DEFAULT_MONTE_CARLO_SAMPLES, seed: 1 }): { result: ConfigurationResult; priced: PricedLedger[] } {
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
    const profile = profiles.find((x) => x.id === p.profile)!;
    return {
      profile: p.profile,
      model: p.model,
      totalJ: p.totalJ,
      computeJ: byComponent.get('compute') ?? 0,
      memoryJ: byComponent.get('memory') ?? 0,
      allInJ: byComponent.get('all-in') ?? 0,
      uncertainty: totalUncertainty(run.ledger, profile, mc, `total|${run.id}|${p.profile}`),
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
  /** (SNN profile id, ANN profile id) pairs to analyse; default: defaultPairs. */
  pairs?: readonly (readonly [string, string])[];
  /** Monte Carlo samples per total and pair (default DEFAULT_MONTE_CARLO_SAMPLES; 0: bounds only). */
  monteCarloSamples?: number;
}): ResultsDoc {
  const mc = { samples: args.monteCarloSamples ?? DEFAULT_MONTE_CARLO_SAMPLES, seed: args.seed };
  const configurations: ConfigurationResult[] = [];
  const constants = new Map<string, Constant>();
  for (const run of args.runs) {
    const { result, priced } = priceConfiguration(run, args.profiles, mc);
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
        const accuracyDelta = snn.accuracy - ann.accuracy;
        if (eAnn > 0) comparisons.push({ profile: p.id, snn: snn.id, ann: ann.id, energyRatio: eSnn / eAnn, accuracyDelta });
        else comparisons.push({ profile: p.id, snn: snn.id, ann: ann.id, energyRatio: null, accuracyDelta, note: zeroAnnNote(ann.id, p.id) });
      }
    }
  }
  const pairs = args.pairs ?? defaultPairs(configurations, args.profiles);
  const analyses: PairAnalysis[] = [];
  const skipped: SkippedPair[] = [];
  if (ann) {
    const profileById = new Map(args.profiles.map((p) => [p.id, p]));
    for (const [snnId, annId] of pairs) {
      const sp = profileById.get(snnId);
      const ap = profileById.get(annId);
      if (!sp || !ap) throw new OutOfRangeError(`pair ${snnId}:${annId}: both profiles must be among the run's cost models (${args.profiles.map((p) => p.id).join(', ')})`);
      const snnConfigs = configurations.filter((c) => c.backend.family === 'snn' && c.energy.some((e) => e.profile === snnId));
      if (args.pairs && (snnConfigs.length === 0 || !ann.energy.some((e) => e.profile === annId))) {
        const why = snnConfigs.length === 0 ? `${snnId} priced no SNN configuration` : `${annId} did not price ${ann.id}`;
        const reason = configurations.flatMap((c) => c.refused.filter((r) => r.profile === (snnConfigs.length === 0 ? snnId : annId)).map((r) => r.reason))[0];
        throw new OutOfRangeError(`--pair ${snnId}:${annId}: ${why}${reason ? ` (${reason})` : ''}; give the SNN profile first, the ANN profile second`);
      }
      if (!ann.energy.some((e) => e.profile === annId)) continue; // the ANN profile refused the ANN
      const annEnergy = ann.energy.find((e) => e.profile === annId)!;
      for (const snn of snnConfigs) {
        const names = { snnProfile: snnId, annProfile: annId, snn: snn.id, ann: ann.id };
        // E_SNN / E_ANN is undefined when the ANN can cost 0 J (at its constants' values or low ends)
        if (!(annEnergy.totalJ > 0 && annEnergy.uncertainty.lowJ > 0)) {
          skipped.push({ ...names, reason: annEnergy.totalJ > 0 ? `${ann.id} costs 0 J under ${annId} at the low end of its constants' ranges, so the bounds of E_SNN / E_ANN have no value` : zeroAnnNote(ann.id, annId) });
          continue;
        }
        const snnSide = { ledger: snn.ledger, profile: sp };
        const annSide = { ledger: ann.ledger, profile: ap };
        const analysis: PairAnalysis = {
          ...names,
          breakEven: breakEven(snnSide, annSide),
          uncertainty: pairUncertainty(snnSide, annSide, mc, `pair|${snn.id}|${snnId}|${ann.id}|${annId}`),
        };
        const bad = firstNonFinite(analysis);
        if (bad !== null) skipped.push({ ...names, reason: `the analysis has no finite value (${bad} is not a finite number)` });
        else analyses.push(analysis);
      }
    }
  }
  const doc: ResultsDoc = {
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
    analysis: {
      settings: {
        monteCarloSamples: mc.samples,
        seed: mc.seed,
        distribution: 'triangular(low, value, high)',
        pairs: pairs.map(([snnProfile, annProfile]) => ({ snnProfile, annProfile })),
        pairRule: args.pairs ? 'given (--pair)' : PAIR_RULE,
      },
      pairs: analyses,
      skipped,
    },
  };
  assertValidResultsDoc(doc);
  return doc;
}

function zeroAnnNote(ann: string, profile: string): string {
  return `${ann} costs 0 J under ${profile}, so E_SNN / E_ANN has no value`;
}

/** The path of the first number in `value` that is NaN or infinite, or null. */
function firstNonFinite(value: unknown, path = ''): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path || '(value)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = firstNonFinite(value[i], `${path}[${i}]`);
      if (p !== null) return p;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const p = firstNonFinite(v, path ? `${path}.${k}` : k);
      if (p !== null) return p;
    }
  }
  return null;
}
