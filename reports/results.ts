// results.json: the deterministic record of a run (no timestamps, no host info: those go to
// manifest.json). Its JSON Schema is reports/results.schema.json; bump RESULTS_SCHEMA_VERSION
// (reports/results-schema.ts) whenever the shape changes. This file holds the document's types only:
// the study layer (study/results.ts) prices the ledgers and assembles the document; reports/ renders it.
import type { Constant } from '../cost-models/constants.js';
import type { EnergyItem } from '../cost-models/energy.js';
import type { UnpricedCount } from '../cost-models/model.js';
import type { ProfileParameter } from '../cost-models/profile.js';
import type { BreakEven } from '../cost-models/break-even.js';
import type { PairUncertainty, TotalUncertainty } from '../cost-models/uncertainty.js';
import type { BackendDescriptor, Ledger, NeuroBenchMetrics } from '../core/ledger.js';

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
  /** `warning`: the two profiles sit on different technology nodes or supply voltages (their ratio mixes technology and architecture). */
  readonly pairs: readonly { readonly snnProfile: string; readonly annProfile: string; readonly warning?: string }[];
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
  /** Task accuracy (fraction); null where the workload's metric is not an accuracy (sequence, brain phases: see quality). */
  readonly accuracy: number | null;
  /** The workload's own quality metrics for this configuration (bits_per_char, recall_accuracy …); absent for image runs. */
  readonly quality?: Readonly<Record<string, number>>;
  /** What the configuration is within its study (family, context length, experiment, phase …); absent for image runs. */
  readonly labels?: Readonly<Record<string, string | number>>;
  /** NeuroBench 2.x metrics (core/ledger.ts); documents before schema version 4 have no ConnectionSparsity. */
  readonly neurobench: Omit<NeuroBenchMetrics, 'ConnectionSparsity'> & { readonly ConnectionSparsity?: number };
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
  readonly accuracyDelta: number | null;
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

/** The workload family that produced a results document (one document type for every family). */
export type ResultsKind = 'image' | 'sequence' | 'brain';

/** The trained checkpoint a family's model was loaded from (workloads/sequence/checkpoint.ts); null: trained by the run. */
export interface SequenceCheckpointRecord {
  readonly name: string;
  readonly sha256: string;
  readonly stepsTrained: number;
  readonly stop: 'steps' | 'plateau' | 'cap';
  readonly rule: string;
}

/** One block family of the inter-token study: its quality and, per context length L, the configuration that holds its decode step. */
export interface SequenceFamilyRecord {
  readonly family: string;
  readonly title: string;
  readonly kind: 'ann' | 'snn';
  readonly source: string;
  readonly blockConfig: Readonly<Record<string, unknown>>;
  readonly parameters: number;
  readonly text: { readonly bitsPerChar: number; readonly characters: number; readonly lossCurve: readonly number[]; readonly checkpoint?: SequenceCheckpointRecord | null } | null;
  readonly recall: {
    readonly lossCurve: readonly number[];
    readonly byLength: readonly { readonly L: number; readonly accuracy: number; readonly queries: number }[];
    readonly checkpoint?: SequenceCheckpointRecord | null;
    /** Validation recall during the checkpoint's training (null when the model was trained by this run). */
    readonly validationCurve?: readonly { readonly step: number; readonly accuracy: number; readonly queries: number }[] | null;
  } | null;
  /** Configuration ids of the decode step at each context length L. */
  readonly energy: readonly { readonly L: number; readonly configuration: string }[];
  /** Why the family is below the study's quality floor (study/sequence-quality.ts); empty: it meets it. Absent in documents before issue 18. */
  readonly belowFloor?: readonly string[];
}

export interface SequenceSection {
  /** The study's options (every default filled in). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly families: readonly SequenceFamilyRecord[];
  /** The quality floor: the zero-mixer ablation's quality moved by the stated margins (null: the ablation did not run). */
  readonly floor?: {
    readonly reference: string;
    readonly bpcMargin: number;
    readonly recallMargin: number;
    readonly bitsPerChar: number | null;
    readonly recall: readonly { readonly L: number; readonly accuracy: number }[];
  } | null;
  /** Per profile and L, the Pareto front of energy per token against bits/char among the families that meet the floor. */
  readonly matched?: readonly { readonly profile: string; readonly L: number; readonly front: readonly { readonly family: string; readonly bitsPerChar: number; readonly energyJ: number }[] }[];
}

/** One phase of a brain model (storage, learning, recall, inference …) and the configuration that holds its ledger. */
export interface BrainPhaseRecord {
  readonly experiment: string;
  readonly phase: string;
  /** What one sample of the ledger is (an image, a probe, a token …). */
  readonly per: string;
  readonly samples: number;
  readonly configuration: string;
}

export interface BrainSection {
  readonly model: string;
  readonly dataset: string;
  /** The model's options (every default filled in). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The model's quality measures (model-specific: capacity curves, accuracy, bits per character …). */
  readonly quality: Readonly<Record<string, unknown>>;
  readonly phases: readonly BrainPhaseRecord[];
  /** Further priced ledgers that are not phases of the run (e.g. the Spiking Manifesto's Table I and IV layers). */
  readonly extra: readonly { readonly name: string; readonly configuration: string }[];
}

export interface ResultsDoc {
  readonly schema: 'joulebench/results';
  readonly schemaVersion: number;
  readonly kind: ResultsKind;
  readonly workload: {
    readonly id: string;
    readonly title: string;
    readonly dataset: string;
    readonly task: string;
    readonly metric: string;
    /** Classes of a classification task (chance accuracy 1/classes); absent where the task has none or did not record it. */
    readonly classes?: number;
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
  /** kind 'sequence' only: the inter-token study's families and quality. */
  readonly sequence?: SequenceSection;
  /** kind 'brain' only: the model's phases and quality. */
  readonly brain?: BrainSection;
}
