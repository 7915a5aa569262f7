// Assembling results.json (the study layer): each configuration's ledger priced under every profile
// through the one pricing service (study/pricing.ts: a model's refusal is recorded, anything else is
// an error), the SNN/ANN comparisons, and per (SNN profile, ANN profile) pair the break-even and the
// uncertainty analyses. The document is checked against its schema (reports/results-schema.ts) before
// it is returned, so an invalid document is never written; its types are in reports/results.ts.
import type { Constant } from '../cost-models/constants.js';
import { groupEnergyJ } from '../cost-models/energy.js';
import type { PricedLedger } from '../cost-models/model.js';
import { OutOfRangeError } from '../cost-models/model.js';
import type { HardwareProfile } from '../cost-models/profile.js';
import { breakEven } from '../cost-models/break-even.js';
import { operatingPointMismatch } from '../cost-models/tech.js';
import { pairUncertainty, totalUncertainty } from '../cost-models/uncertainty.js';
import { neuroBenchMetrics } from '../core/ledger.js';
import type { Ledger } from '../core/ledger.js';
import { RESULTS_SCHEMA_VERSION, assertValidResultsDoc } from '../reports/results-schema.js';
import type { BrainSection, Comparison, ConfigurationResult, EnergyResult, PairAnalysis, Refusal, ResultsDoc, ResultsKind, SequenceSection, SkippedPair } from '../reports/results.js';
import { priceLedger } from './pricing.js';

export const DEFAULT_MONTE_CARLO_SAMPLES = 1000;

export const NO_PAIRS_RULE = 'none: comparisons and break-even pair an image run\'s ANN with its SNN conversions; this run\'s configurations are different networks or phases';

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

/** One executed configuration, ready to price: an image backend run, a sequence decode step at L, a brain phase. */
export interface StudyConfiguration {
  readonly id: string;
  /** Task accuracy (fraction), or null where the workload's metric is not an accuracy. */
  readonly accuracy: number | null;
  readonly ledger: Ledger;
  readonly quality?: Readonly<Record<string, number>>;
  readonly labels?: Readonly<Record<string, string | number>>;
}

export function priceConfiguration(run: StudyConfiguration, profiles: readonly HardwareProfile[], mc = { samples: DEFAULT_MONTE_CARLO_SAMPLES, seed: 1 }): { result: ConfigurationResult; priced: PricedLedger[] } {
  const priced: PricedLedger[] = [];
  const refused: Refusal[] = [];
  for (const p of profiles) {
    const outcome = priceLedger(run.ledger, p);
    if (outcome.ok) priced.push(outcome.priced);
    else refused.push({ profile: p.id, model: p.model, reason: outcome.refused });
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
    result: {
      id: run.id,
      backend: run.ledger.backend,
      accuracy: run.accuracy,
      ...(run.quality !== undefined ? { quality: run.quality } : {}),
      ...(run.labels !== undefined ? { labels: run.labels } : {}),
      neurobench: neuroBenchMetrics(run.ledger),
      ledger: run.ledger,
      energy,
      refused,
    },
    priced,
  };
}

export function buildResults(args: {
  /** The workload family (default image: one ANN, its SNN conversions, comparisons and break-even). */
  kind?: ResultsKind;
  workload: ResultsDoc['workload'];
  samples: number;
  seed: number;
  runs: readonly StudyConfiguration[];
  /** kind 'sequence': the study's families and quality. */
  sequence?: SequenceSection;
  /** kind 'brain': the model's phases and quality. */
  brain?: BrainSection;
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
  const kind = args.kind ?? 'image';
  const comparisons: Comparison[] = [];
  // Comparisons and break-even pair an image run's ANN with its SNN conversions; the configurations of
  // a sequence or brain run are different networks (families, phases) with no one ANN to compare with.
  const ann = kind === 'image' ? configurations.find((c) => c.backend.family === 'ann') : undefined;
  if (ann) {
    for (const snn of configurations.filter((c) => c.backend.family === 'snn')) {
      for (const p of args.profiles) {
        const eAnn = ann.energy.find((e) => e.profile === p.id)?.totalJ;
        const eSnn = snn.energy.find((e) => e.profile === p.id)?.totalJ;
        if (eAnn === undefined || eSnn === undefined) continue; // a model refused one side
        // no accuracy without labels (a user's unlabelled inputs)
        const accuracyDelta = snn.accuracy !== null && ann.accuracy !== null ? snn.accuracy - ann.accuracy : null;
        if (eAnn > 0) comparisons.push({ profile: p.id, snn: snn.id, ann: ann.id, energyRatio: eSnn / eAnn, accuracyDelta });
        else comparisons.push({ profile: p.id, snn: snn.id, ann: ann.id, energyRatio: null, accuracyDelta, note: zeroAnnNote(ann.id, p.id) });
      }
    }
  }
  const pairs = kind !== 'image' ? [] : (args.pairs ?? defaultPairs(configurations, args.profiles));
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
    kind,
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
        pairs: pairs.map(([snnProfile, annProfile]) => {
          const sp = args.profiles.find((p) => p.id === snnProfile);
          const ap = args.profiles.find((p) => p.id === annProfile);
          const warning = sp && ap ? operatingPointMismatch(sp, ap) : null;
          return { snnProfile, annProfile, ...(warning ? { warning } : {}) };
        }),
        pairRule: kind !== 'image' ? NO_PAIRS_RULE : args.pairs ? 'given (--pair)' : PAIR_RULE,
      },
      pairs: analyses,
      skipped,
    },
    ...(args.sequence !== undefined ? { sequence: args.sequence } : {}),
    ...(args.brain !== undefined ? { brain: args.brain } : {}),
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
