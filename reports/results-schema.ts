// The published schema of results.json, as a zod schema (validation) from which the JSON Schema file
// reports/results.schema.json is generated (`joulebench schema > reports/results.schema.json`; a test
// checks the committed file is current). Bump RESULTS_SCHEMA_VERSION on any change.
//
// Every document is validated twice: before it is written (a document that fails its own schema is a
// bug, so nothing is written and the error is internal) and when it is read back (`report`,
// `check --baseline`, claims `results:`), where a bad file is one line naming the file, the JSON field
// path (or line and column) and the fix. No NaN, Infinity, negative count or negative energy passes.
import { z } from 'zod';
import type { ResultsDoc } from './results.js';
import { InputError, excerpt } from '../core/errors.js';
import type { DocumentRef } from '../core/documents.js';
import { fieldPath, jsonTypeName, parseJsonDocument, readDocumentText, validateDocument } from '../core/documents.js';
import { brainSectionSchema, sequenceOptionsSchema } from './family-schemas.js';

/**
 * 2: a ratio whose denominator is 0 is null with a note (was: a number that could not be written);
 * pairs whose ratio is undefined are listed under analysis.skipped; counts, energies, rates and
 * conversion scales are checked to be finite and ≥ 0.
 * 3: one document for every workload family. `kind` (image | sequence | brain) follows
 * schemaVersion; sequence runs (`joulebench seq`, was seq.json "joulebench-seq/1") and brain runs
 * (`joulebench brain`, was brain.json "joulebench-brain/1") write results.json too: each priced ledger
 * is a configuration (accuracy null, `quality` and `labels` instead) and the family's own record is
 * under `sequence` or `brain`; recorded layers carry `stores`. An image run's document differs from
 * version 2 only by `schemaVersion` and `kind`.
 * 4: NeuroBench 2.x's exact definitions (core/ledger.ts): every layer's activity carries `neurobench`
 * (Dense, effective MACs and ACs, activations, membrane updates as NeuroBench's hooks count them),
 * geometric layers' geometry `nonzeroWeights`, and a configuration's `neurobench` block adds
 * ConnectionSparsity; its Dense, Effective_*, MembraneUpdates and ActivationSparsity follow the new
 * definitions (older documents keep the values they were written with).
 */
export const RESULTS_SCHEMA_VERSION = 4;
/** Versions `report` and `check` read (versions 1 and 2 read as kind "image"; a version-1 document reads with nothing skipped). */
export const SUPPORTED_RESULTS_SCHEMA_VERSIONS: readonly number[] = [1, 2, 3, 4];

const num = z.number({ error: 'must be a finite number' });
// bounds as min/max (not refinements), so that the published JSON Schema carries them too
const count = num.min(0, 'must be ≥ 0');
const fraction = num.min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]');
const int = z.number().int();
const nonNegInt = int.min(0);
const stat = z.strictObject({ mean: num, sd: count, min: num, max: num }).describe('per-inference value over the evaluated samples');
const countStat = z.strictObject({ mean: count, sd: count, min: count, max: count }).describe('per-inference count over the evaluated samples');

const geometry = z.strictObject({
  kind: z.string(),
  inputShape: z.array(nonNegInt),
  outputShape: z.array(nonNegInt),
  loops: z
    .strictObject({
      G: nonNegInt.optional().describe('groups of a grouped convolution (absent: 1); K and C are then per group'),
      K: nonNegInt,
      C: nonNegInt,
      OY: nonNegInt,
      OX: nonNegInt,
      FY: nonNegInt,
      FX: nonNegInt,
      SY: nonNegInt,
      SX: nonNegInt,
      DY: nonNegInt.optional().describe('dilation along Y (absent: 1)'),
      DX: nonNegInt.optional().describe('dilation along X (absent: 1)'),
    })
    .describe('the layer as a loop nest (Timeloop/ZigZag problem dimensions)'),
  fanIn: nonNegInt,
  fanOut: count.describe('mean outputs one input reaches'),
  weightCount: nonNegInt,
  nonzeroWeights: nonNegInt.optional().describe('weights that are not zero (absent: all of them)'),
  biasCount: nonNegInt,
  denseSynOps: count.describe('synaptic operations of one dense pass (an integer for loop-nest layers; a mean over decode positions for some recorded layers)'),
  neurons: nonNegInt,
});

const layerNeuroBench = z
  .strictObject({ dense: countStat, effectiveMacs: countStat, effectiveAcs: countStat, activations: countStat, membraneUpdates: countStat })
  .describe("the layer's counts as NeuroBench 2.x's hooks count them, per inference, over all its calls (T in an SNN)");

/** A layer's ledger; before version 4 its activity had no `neurobench`. */
const layerLedgerFor = (v4: boolean) => z.strictObject({
  index: nonNegInt,
  name: z.string(),
  geometry,
  compute: z.array(z.strictObject({ op: z.string(), bits: nonNegInt, numeric: z.enum(['fp', 'int']), purpose: z.string(), count: countStat })),
  memory: z.array(z.strictObject({ operand: z.string(), action: z.enum(['read', 'write']), bits: nonNegInt, count: countStat })),
  activity: z.strictObject({ inputEvents: countStat, outputEvents: countStat, synOps: countStat, spikesPerSynapse: countStat, updates: countStat, inputSparsity: countStat, outputRate: countStat, neurobench: v4 ? layerNeuroBench : layerNeuroBench.optional() }),
  perTimestep: z.strictObject({ inputEvents: z.array(count), outputEvents: z.array(count) }),
  footprint: z.strictObject({ weightBits: count, biasBits: count, stateBits: count }),
  neuron: z.string().nullable(),
  stores: z
    .array(z.strictObject({ operand: z.string(), words: count, bits: nonNegInt }))
    .optional()
    .describe('recorded layers: the words each operand\'s memory holds (a KV cache at context L, a recurrent state, LUT tables)'),
});

const backend = z.strictObject({
  id: z.string(),
  family: z.enum(['ann', 'snn']),
  timesteps: z.number().int().min(1),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

const ledgerSchemaFor = (v4: boolean) => z.strictObject({ backend, samples: int.min(1), layers: z.array(layerLedgerFor(v4)).min(1) });
/** A ledger: the backend, the samples its counts are over, and each layer's counts (every workload family). */
export const ledgerSchema = ledgerSchemaFor(true);

/**
 * A sweep execution, the source of a sweep's rows (one workload point: its configuration id, accuracy
 * or quality metric and ledger, cached by content and priced once per hardware point).
 */
export const executionSchema = z
  .strictObject({
    key: z.string(),
    id: z.string(),
    accuracy: fraction.nullable().describe('null where the workload has no accuracy'),
    quality: z.strictObject({ metric: z.string(), value: count }).optional(),
    ledger: ledgerSchema,
  })
  .describe('joulebench sweep execution: the ledger and quality behind the rows of one workload point');

const energyItem = z.strictObject({
  layerIndex: nonNegInt,
  layer: z.string(),
  component: z.enum(['compute', 'memory', 'all-in']),
  operand: z.string(),
  action: z.string(),
  level: z.string(),
  count,
  energyJ: count,
});

/** SI units of constants that cannot be ≤ 0: energies, energies per bit, multiples of a MAC, sizes, voltages, lengths. */
const POSITIVE_SI_UNITS: readonly string[] = ['J', 'J/bit', 'xMAC', 'bits', 'entries', 'V', 'm'];

const constant = z.strictObject({
  id: z.string(),
  value: num,
  unit: z.string(),
  valueSI: num,
  siUnit: z.string(),
  lowSI: num,
  highSI: num,
  low: num,
  high: num,
  evidence: z.enum(['P', 'S', 'I']),
  source: z.string(),
  rangeSource: z.string(),
  kind: z.enum(['per-op', 'all-in']).describe('all-in: a chip figure that already contains memory and routing (never combined with per-op terms)'),
  note: z.string().optional(),
}).superRefine((c, ctx) => {
  // Every constant: low ≤ value ≤ high. Energies (J, J/bit, multiples of a MAC) and sizes are > 0;
  // only dimensionless coefficients (scaling-fit terms) may be negative.
  if (!(c.lowSI <= c.valueSI && c.valueSI <= c.highSI)) ctx.addIssue({ code: 'custom', path: ['valueSI'], message: `must lie in [lowSI, highSI] = [${c.lowSI}, ${c.highSI}], got ${c.valueSI}` });
  if (!(c.low <= c.value && c.value <= c.high)) ctx.addIssue({ code: 'custom', path: ['value'], message: `must lie in [low, high] = [${c.low}, ${c.high}], got ${c.value}` });
  if (POSITIVE_SI_UNITS.includes(c.siUnit)) {
    for (const key of ['value', 'valueSI', 'low', 'lowSI', 'high', 'highSI'] as const) {
      if (!(c[key] > 0)) ctx.addIssue({ code: 'custom', path: [key], message: `must be > 0 for a constant in ${c.siUnit}, got ${c[key]}` });
    }
  }
});

const quantiles = z.strictObject({ p05: count, p50: count, p95: count });
const interval = z.tuple([count, count]).describe('[low, high]');

const totalUncertainty = z
  .strictObject({ lowJ: count, highJ: count, monteCarlo: quantiles.nullable() })
  .describe('the total with every constant at its low and at its high end (bounds), and Monte Carlo quantiles');

const layerBreakEven = z.strictObject({
  layerIndex: nonNegInt,
  layer: z.string(),
  kind: z.string(),
  denseSynOps: count,
  sigma: count.describe('spikes per synapse the SNN showed'),
  annJ: count,
  snnJ: count,
  snnFixedJ: num.describe('SNN layer energy at σ = 0 with its outputs unchanged: E_SNN(σ) = snnFixedJ + σ·snnPerSigmaJ'),
  snnPerSigmaJ: count,
  sigmaStar: count.nullable().describe('σ at which the SNN layer costs what the ANN layer costs; null for layers without synapses'),
  never: z.boolean().describe('the SNN layer costs more than the ANN layer even at σ = 0'),
});

const pairAnalysis = z.strictObject({
  snnProfile: z.string(),
  annProfile: z.string(),
  snn: z.string(),
  ann: z.string(),
  breakEven: z.strictObject({
    layers: z.array(layerBreakEven),
    network: z.strictObject({ sigma: count, annJ: count, snnJ: count, snnFixedJ: num, snnPerSigmaJ: count, sigmaStar: count, activityScaleStar: count, never: z.boolean() }),
  }),
  uncertainty: z.strictObject({
    ratio: count.describe('E_SNN / E_ANN at the constants\' values'),
    interval: z.strictObject({ snnJ: interval, annJ: interval, ratio: interval, ratioExact: z.boolean().describe('true: the exact range of the ratio over every constant\'s range; false: an outer bound') }),
    monteCarlo: z.strictObject({ samples: nonNegInt, snnJ: quantiles, annJ: quantiles, ratio: quantiles, pSnnCheaper: fraction }).nullable(),
    verdict: z.enum(['snn-cheaper', 'ann-cheaper', 'uncertain']).describe('holds over the whole range of every constant, else uncertain'),
    tornado: z.array(z.strictObject({ constant: z.string(), ratioAtLow: count, ratioAtHigh: count, swing: count, flipsVerdict: z.boolean() })),
  }),
});

const conversion = z
  .strictObject({
    method: z.string(),
    calibrationSamples: nonNegInt,
    scales: z.array(num.gt(0, 'must be > 0')).describe('λ per layer: the activation statistic mapped to the firing threshold 1'),
    unscaled: z.array(z.string()).optional().describe('ReLU layers with no positive activation on the calibration samples: λ left at 1'),
  })
  .describe('how the ANN was converted to the SNN (threshold balancing)');

const comparison = z
  .strictObject({
    profile: z.string(),
    snn: z.string(),
    ann: z.string(),
    energyRatio: count.nullable().describe('E_SNN / E_ANN; null when the ANN\'s energy is 0 (see note)'),
    accuracyDelta: num.nullable().describe('SNN accuracy minus ANN accuracy; null when the samples have no labels'),
    note: z.string().optional().describe('why energyRatio is null'),
  })
  .refine((c) => (c.energyRatio === null) === (c.note !== undefined), { message: 'a null energyRatio needs a note, and only a null one has it', path: ['note'] });

const skippedPair = z
  .strictObject({ snnProfile: z.string(), annProfile: z.string(), snn: z.string(), ann: z.string(), reason: z.string() })
  .describe('a pair whose break-even and uncertainty are undefined (e.g. the ANN costs 0 J under the ANN profile)');

const RESULTS_KINDS = ['image', 'sequence', 'brain'] as const;

const checkpointRecord = z
  .strictObject({ name: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), stepsTrained: int.min(1), stop: z.enum(['steps', 'plateau', 'cap']), rule: z.string() })
  .nullable()
  .optional()
  .describe('the trained checkpoint the model was loaded from (null: trained by this run)');

const sequenceSection = z
  .strictObject({
    options: sequenceOptionsSchema,
    families: z.array(
      z.strictObject({
        family: z.string(),
        title: z.string(),
        kind: z.enum(['ann', 'snn']),
        source: z.string(),
        blockConfig: z.record(z.string(), z.unknown()),
        parameters: nonNegInt,
        text: z.strictObject({ bitsPerChar: count, characters: nonNegInt, lossCurve: z.array(num), checkpoint: checkpointRecord }).nullable(),
        recall: z
          .strictObject({
            lossCurve: z.array(num),
            byLength: z.array(z.strictObject({ L: int.min(1), accuracy: fraction, queries: nonNegInt })),
            checkpoint: checkpointRecord,
            validationCurve: z.array(z.strictObject({ step: int.min(1), accuracy: fraction, queries: nonNegInt })).nullable().optional().describe('validation recall during the checkpoint\'s training'),
          })
          .nullable(),
        energy: z.array(z.strictObject({ L: int.min(1), configuration: z.string() })).describe('the configuration holding the decode step at context length L'),
        belowFloor: z.array(z.string()).optional().describe('why the family is below the quality floor (empty: it meets it)'),
      }),
    ),
    floor: z
      .strictObject({
        reference: z.string(),
        bpcMargin: num,
        recallMargin: num,
        bitsPerChar: num.nullable(),
        recall: z.array(z.strictObject({ L: int.min(1), accuracy: num })),
      })
      .nullable()
      .optional()
      .describe('the quality floor: the zero-mixer ablation\'s bits/char minus bpcMargin, its recall at each L plus recallMargin'),
    matched: z
      .array(z.strictObject({ profile: z.string(), L: int.min(1), front: z.array(z.strictObject({ family: z.string(), bitsPerChar: num, energyJ: num })) }))
      .optional()
      .describe('per profile and L, the Pareto front of energy per token against bits/char among families that meet the floor'),
  })
  .describe('kind "sequence": the inter-token study (`joulebench seq`)');

/** The schema of a results.json of `version` (the current one unless reading an older file). */
function resultsSchemaFor(version: number) {
  const v3 = version >= 3;
  const v4 = version >= 4;
  return z
  .strictObject({
    schema: z.literal('joulebench/results'),
    schemaVersion: z.literal(version),
    // versions 1 and 2 had no kind: every run was an image run
    kind: v3 ? z.enum(RESULTS_KINDS).describe('the workload family: image classifiers (`run`), sequence (`seq`), brain (`brain`)') : z.literal('image').default('image'),
    workload: z.strictObject({
      id: z.string(),
      title: z.string(),
      dataset: z.string(),
      task: z.string(),
      metric: z.string(),
      classes: int.min(1).optional().describe('classes of a classification task (chance accuracy 1/classes)'),
      layers: z.array(z.strictObject({ name: z.string(), kind: z.string(), inputShape: z.array(nonNegInt), outputShape: z.array(nonNegInt), activation: z.string() })),
      training: z.record(z.string(), z.unknown()),
      conversion: conversion.nullable(),
    }),
    samples: int.min(1),
    seed: nonNegInt,
    profiles: z.array(
      z.strictObject({
        id: z.string(),
        model: z.string(),
        title: z.string(),
        description: z.string(),
        constants: z.record(z.string(), z.string()),
        parameters: z.record(z.string(), z.strictObject({ value: num, unit: z.string(), source: z.string() })),
      }),
    ),
    constants: z.array(constant).describe('every constant any profile multiplied by, with provenance'),
    configurations: z.array(
      z.strictObject({
        id: z.string(),
        backend,
        accuracy: v3 ? fraction.nullable().describe('null where the metric is not an accuracy (see quality)') : fraction,
        quality: z.record(z.string(), num).optional().describe('the workload\'s own metrics (bits_per_char, recall_accuracy …)'),
        labels: z.record(z.string(), z.union([z.string(), num])).optional().describe('what the configuration is within its study (family, context length, phase …)'),
        neurobench: z
          .strictObject({ Footprint: count, ConnectionSparsity: v4 ? fraction : fraction.optional(), Dense: count, Effective_MACs: count, Effective_ACs: count, MembraneUpdates: count, ActivationSparsity: fraction })
          .describe('NeuroBench 2.x metrics per inference (definitions in core/ledger.ts; ConnectionSparsity from version 4)'),
        ledger: v4 ? ledgerSchema : ledgerSchemaFor(false),
        energy: z.array(
          z.strictObject({
            profile: z.string(),
            model: z.string(),
            totalJ: count,
            computeJ: count,
            memoryJ: count,
            allInJ: count,
            uncertainty: totalUncertainty,
            items: z.array(energyItem),
            unpriced: z.array(z.strictObject({ layer: z.string(), what: z.string(), count })),
          }),
        ),
        refused: z.array(z.strictObject({ profile: z.string(), model: z.string(), reason: z.string() })).describe('profiles whose model declined this configuration, and why'),
      }),
    ),
    comparisons: z.array(comparison),
    analysis: z
      .strictObject({
        settings: z.strictObject({
          monteCarloSamples: nonNegInt,
          seed: nonNegInt,
          distribution: z.literal('triangular(low, value, high)'),
          pairs: z.array(z.strictObject({ snnProfile: z.string(), annProfile: z.string(), warning: z.string().optional().describe('set when the two profiles sit on different technology nodes or supply voltages') })),
          pairRule: z.string(),
        }),
        pairs: z.array(pairAnalysis),
        // version 1 had no `skipped`: it reads as nothing skipped
        skipped: version === 1 ? z.array(skippedPair).default([]) : z.array(skippedPair),
      })
      .describe('break-even σ* and uncertainty of each SNN configuration against the ANN under (SNN profile, ANN profile) pairs'),
    sequence: sequenceSection.optional(),
    brain: brainSectionSchema.optional(),
  })
  .superRefine((d, ctx) => {
    // the family's section is present exactly for its kind, and it names configurations of this document
    for (const k of ['sequence', 'brain'] as const) {
      if ((d.kind === k) !== (d[k] !== undefined)) ctx.addIssue({ code: 'custom', path: [k], message: d.kind === k ? `is required for kind "${k}"` : `belongs to kind "${k}" only, not "${d.kind}"` });
    }
    const ids = new Set(d.configurations.map((c) => c.id));
    if (ids.size !== d.configurations.length) ctx.addIssue({ code: 'custom', path: ['configurations'], message: 'configuration ids must be unique' });
    const named = [
      ...(d.sequence?.families.flatMap((f, i) => f.energy.map((e, j) => ({ id: e.configuration, path: ['sequence', 'families', i, 'energy', j, 'configuration'] }))) ?? []),
      ...(d.brain?.phases.map((p, i) => ({ id: p.configuration, path: ['brain', 'phases', i, 'configuration'] })) ?? []),
      ...(d.brain?.extra.map((p, i) => ({ id: p.configuration, path: ['brain', 'extra', i, 'configuration'] })) ?? []),
    ];
    for (const n of named) if (!ids.has(n.id)) ctx.addIssue({ code: 'custom', path: n.path, message: `names configuration "${n.id}", which the document does not hold` });
  })
  .describe('joulebench results.json: the deterministic record of one run of any workload family (energies in joules, counts per inference or per sample)');
}

export const resultsSchema = resultsSchemaFor(RESULTS_SCHEMA_VERSION);
const readSchemas = new Map(SUPPORTED_RESULTS_SCHEMA_VERSIONS.map((v) => [v, v === RESULTS_SCHEMA_VERSION ? resultsSchema : resultsSchemaFor(v)]));

const READ_FIX = 'give a results.json written by `joulebench run`, `seq` or `brain` (its schema: `joulebench schema`), or run again to re-create it';

/**
 * Validates a parsed results.json read from `file`: one line naming the file, the JSON field path,
 * what is wrong and the fix; the document kind and version are checked first, so another file or
 * another version is named as such rather than by its first differing field.
 */
export function parseResultsDoc(value: unknown, file = 'results.json'): ResultsDoc {
  const at = (field: string, problem: string, fix = READ_FIX) => InputError.at({ file, field, problem, fix });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw at('(root)', `must be a JSON object (a joulebench results.json), got ${jsonTypeName(value)}`);
  const v = value as Record<string, unknown>;
  if (v.schema !== 'joulebench/results') throw at('schema', v.schema === undefined ? 'is missing: this is not a joulebench results.json' : `must be "joulebench/results", got ${excerpt(v.schema, 40)}`);
  const version = v.schemaVersion;
  const schema = typeof version === 'number' ? readSchemas.get(version) : undefined;
  if (schema === undefined) {
    throw at(
      'schemaVersion',
      `${version === undefined ? 'is missing' : `${excerpt(version, 20)} is not supported`}; this joulebench reads results schema versions ${SUPPORTED_RESULTS_SCHEMA_VERSIONS.slice(0, -1).join(', ')} and ${SUPPORTED_RESULTS_SCHEMA_VERSIONS.at(-1)}`,
      'run again with this joulebench to re-create the file, or read it with the joulebench that wrote it',
    );
  }
  return validateDocument(schema, value, file, READ_FIX) as ResultsDoc;
}

/** Reads and validates a results.json named by `ref` (a folder, a missing, empty or truncated file: one line each). */
export function readResultsFile(ref: DocumentRef): ResultsDoc {
  const text = readDocumentText(ref);
  return parseResultsDoc(parseJsonDocument(text, ref.path, READ_FIX), ref.path);
}

/**
 * Checks a document about to be written against the current schema. A failure is a bug (the numbers
 * come from joulebench itself), so it is an internal error, and nothing is written.
 */
export function assertValidResultsDoc(doc: ResultsDoc): void {
  const r = resultsSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`results.json would not match its schema (v${RESULTS_SCHEMA_VERSION}) at ${fieldPath(issue.path)}: ${issue.message}; nothing was written (this is a bug in joulebench)`);
  }
}

/**
 * The JSON Schema (draft 2020-12) of joulebench's documents: a results.json of any kind (run, seq,
 * brain) or a sweep execution (the source of sweep rows) — one schema, one set of definitions.
 */
export function resultsJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://joulebench.dev/schemas/results-v${RESULTS_SCHEMA_VERSION}.json`,
    title: 'joulebench results.json and sweep executions',
    ...z.toJSONSchema(z.union([resultsSchema, executionSchema]), { target: 'draft-2020-12', unrepresentable: 'any' }),
  };
}
