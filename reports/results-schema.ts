// The published schema of results.json, as a zod schema (validation) from which the JSON Schema file
// reports/results.schema.json is generated (`joulebench schema > reports/results.schema.json`; a test
// checks the committed file is current). Bump RESULTS_SCHEMA_VERSION in results.ts on any change.
import { z } from 'zod';
import { RESULTS_SCHEMA_VERSION } from './results.js';
import type { ResultsDoc } from './results.js';

const num = z.number({ error: 'must be a finite number' });
const count = num.refine((x) => x >= 0, 'must be ≥ 0');
const stat = z.strictObject({ mean: num, sd: count, min: num, max: num }).describe('per-inference value over the evaluated samples');

const geometry = z.strictObject({
  kind: z.string(),
  inputShape: z.array(z.number().int()),
  outputShape: z.array(z.number().int()),
  loops: z
    .strictObject({ K: z.number().int(), C: z.number().int(), OY: z.number().int(), OX: z.number().int(), FY: z.number().int(), FX: z.number().int(), SY: z.number().int(), SX: z.number().int() })
    .describe('the layer as a loop nest (Timeloop/ZigZag problem dimensions)'),
  fanIn: z.number().int(),
  fanOut: count.describe('mean outputs one input reaches'),
  weightCount: z.number().int(),
  biasCount: z.number().int(),
  denseSynOps: z.number().int(),
  neurons: z.number().int(),
});

const layerLedger = z.strictObject({
  index: z.number().int(),
  name: z.string(),
  geometry,
  compute: z.array(z.strictObject({ op: z.string(), bits: z.number().int(), numeric: z.enum(['fp', 'int']), purpose: z.string(), count: stat })),
  memory: z.array(z.strictObject({ operand: z.string(), action: z.enum(['read', 'write']), bits: z.number().int(), count: stat })),
  activity: z.strictObject({ inputEvents: stat, outputEvents: stat, synOps: stat, spikesPerSynapse: stat, updates: stat, inputSparsity: stat, outputRate: stat }),
  perTimestep: z.strictObject({ inputEvents: z.array(num), outputEvents: z.array(num) }),
  footprint: z.strictObject({ weightBits: count, biasBits: count, stateBits: count }),
  neuron: z.string().nullable(),
});

const backend = z.strictObject({
  id: z.string(),
  family: z.enum(['ann', 'snn']),
  timesteps: z.number().int().min(1),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

const energyItem = z.strictObject({
  layerIndex: z.number().int(),
  layer: z.string(),
  component: z.enum(['compute', 'memory', 'all-in']),
  operand: z.string(),
  action: z.string(),
  level: z.string(),
  count,
  energyJ: count,
});

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
});

const quantiles = z.strictObject({ p05: num, p50: num, p95: num });
const interval = z.tuple([num, num]).describe('[low, high]');

const totalUncertainty = z
  .strictObject({ lowJ: num, highJ: num, monteCarlo: quantiles.nullable() })
  .describe('the total with every constant at its low and at its high end (bounds), and Monte Carlo quantiles');

const layerBreakEven = z.strictObject({
  layerIndex: z.number().int(),
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
    ratio: num.describe('E_SNN / E_ANN at the constants\' values'),
    interval: z.strictObject({ snnJ: interval, annJ: interval, ratio: interval, ratioExact: z.boolean().describe('true: the exact range of the ratio over every constant\'s range; false: an outer bound') }),
    monteCarlo: z.strictObject({ samples: z.number().int(), snnJ: quantiles, annJ: quantiles, ratio: quantiles, pSnnCheaper: num }).nullable(),
    verdict: z.enum(['snn-cheaper', 'ann-cheaper', 'uncertain']).describe('holds over the whole range of every constant, else uncertain'),
    tornado: z.array(z.strictObject({ constant: z.string(), ratioAtLow: num, ratioAtHigh: num, swing: count, flipsVerdict: z.boolean() })),
  }),
});

export const resultsSchema = z
  .strictObject({
    schema: z.literal('joulebench/results'),
    schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
    workload: z.strictObject({
      id: z.string(),
      title: z.string(),
      dataset: z.string(),
      task: z.string(),
      metric: z.string(),
      layers: z.array(z.strictObject({ name: z.string(), kind: z.string(), inputShape: z.array(z.number().int()), outputShape: z.array(z.number().int()), activation: z.string() })),
      training: z.record(z.string(), z.unknown()),
      conversion: z.record(z.string(), z.unknown()).nullable(),
    }),
    samples: z.number().int().min(1),
    seed: z.number().int().min(0),
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
        accuracy: num,
        neurobench: z.strictObject({ Footprint: count, Dense: count, Effective_MACs: count, Effective_ACs: count, MembraneUpdates: count, ActivationSparsity: num }),
        ledger: z.strictObject({ backend, samples: z.number().int().min(1), layers: z.array(layerLedger) }),
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
    comparisons: z.array(z.strictObject({ profile: z.string(), snn: z.string(), ann: z.string(), energyRatio: num, accuracyDelta: num })),
    analysis: z
      .strictObject({
        settings: z.strictObject({
          monteCarloSamples: z.number().int().min(0),
          seed: z.number().int().min(0),
          distribution: z.literal('triangular(low, value, high)'),
          pairs: z.array(z.strictObject({ snnProfile: z.string(), annProfile: z.string() })),
          pairRule: z.string(),
        }),
        pairs: z.array(pairAnalysis),
      })
      .describe('break-even σ* and uncertainty of each SNN configuration against the ANN under (SNN profile, ANN profile) pairs'),
  })
  .describe('joulebench results.json: the deterministic record of one run (energies in joules, counts per inference)');

/** Validates a parsed results.json; throws one line naming the first offending field. */
export function parseResultsDoc(value: unknown, origin = 'results.json'): ResultsDoc {
  const r = resultsSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${origin}: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data as ResultsDoc;
}

/** The JSON Schema (draft 2020-12) of results.json. */
export function resultsJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://joulebench.dev/schemas/results-v${RESULTS_SCHEMA_VERSION}.json`,
    title: 'joulebench results.json',
    ...z.toJSONSchema(resultsSchema, { target: 'draft-2020-12', unrepresentable: 'any' }),
  };
}
