// The family sections of a results.json: the `brain` section (kind brain), one schema per model, and the
// sequence study's options. The options and quality records each model writes (workloads/brain/plugins.ts)
// are zod schemas, so a document read back is checked before any view renders it (a hand-edited
// record is one line naming its field, never an internal error), and the published JSON Schema
// describes each model's record. Extra fields are allowed (a newer joulebench may add some); the ones
// the views read are required.
import { z } from 'zod';

const num = z.number({ error: 'must be a finite number' });
const count = num.min(0, 'must be ≥ 0');
const fraction = num.min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]');
const int = z.number().int();
const posInt = int.min(1);

const phases = z.array(z.strictObject({ experiment: z.string(), phase: z.string(), per: z.string(), samples: posInt, configuration: z.string() }));
const extra = z.array(z.strictObject({ name: z.string(), configuration: z.string() })).describe('priced ledgers that are not phases of the run (e.g. the Spiking Manifesto\'s tables)');
const common = { dataset: z.string(), phases, extra };

const hopfield = z.strictObject({
  model: z.literal('hopfield'),
  ...common,
  options: z.looseObject({ units: posInt, alphas: z.array(num), capacityNoise: fraction, capacityProbes: posInt, patterns: z.array(posInt), memories: z.array(posInt), noise: fraction, probes: posInt, beta: num.gt(0), maxSweeps: posInt, seed: int }),
  quality: z.looseObject({
    capacity: z.array(z.looseObject({ alpha: num, patterns: posInt, probes: posInt, fixedFraction: fraction, recalledFraction: fraction, meanOverlap: num, meanSweeps: count })),
    completion: z.array(z.looseObject({ model: z.enum(['classic', 'modern']), stored: posInt, probes: posInt, accuracy: fraction, bitError: fraction, probeBitError: fraction, meanSweeps: count, meanPairOverlap: num.nullable() })),
  }),
});

const somErrors = z.looseObject({ quantisationError: count, topographicError: fraction, accuracy: fraction, unlabelledUnits: int.min(0) });
const som = z.strictObject({
  model: z.literal('som'),
  ...common,
  options: z.looseObject({ grid: z.string().regex(/^\d+x\d+$/, 'must be ROWSxCOLS'), train: posInt, test: posInt, seed: int }),
  quality: z.looseObject({
    trained: somErrors,
    untrained: somErrors,
    meanUnitsUpdated: count,
    trainSamples: posInt,
    testSamples: posInt,
    schedule: z.looseObject({ alpha0: num, alphaEnd: num, sigma0: num, sigmaEnd: num, cutoff: num }),
  }),
});

const stdp = z.strictObject({
  model: z.literal('stdp'),
  ...common,
  options: z.looseObject({ neurons: posInt, steps: posInt, train: posInt, label: posInt, test: posInt, seed: int }),
  quality: z.looseObject({
    accuracy: fraction,
    silent: int.min(0),
    unlabelledNeurons: int.min(0),
    classNeurons: z.array(int.min(0)),
    meanPresentations: z.looseObject({ learning: count, inference: count }),
    trainSamples: posInt,
    labelSamples: posInt,
    testSamples: posInt,
    params: z.looseObject({ intensityHz: count }),
  }),
});

const traffic = z.looseObject({ words: count, lutRowWords: count, indexWords: count, gatherWords: count, rows: count, cmp: count, ac: count, exp: count });
const memoryView = z.looseObject({ paper: count, accesses: count, words: count, allWords: count, bytes: count, traffic });
const bandwidth = z.looseObject({ constant: count, perInput: count });
const lut = z.strictObject({
  model: z.literal('lut'),
  ...common,
  options: z.looseObject({ variant: z.string(), train: posInt, test: posInt, seed: int }),
  quality: z.looseObject({
    bpc: count,
    evaluatedTokens: posInt,
    fullContextBpc: count,
    fullContextTokens: int.min(0),
    unigramBpc: count,
    bigramBpc: count,
    trainCurve: z.array(num).min(1),
    trainSteps: posInt,
    trainTokens: posInt,
    split: z.string(),
    variant: z.string(),
    config: z.looseObject({ context: posInt, dim: posInt, layers: posInt, heads: int.min(0), ffn: z.boolean(), tables: posInt, comparisons: posInt, posBits: int.min(0), vocab: posInt, warmupSteps: int.min(0) }),
    derived: z.looseObject({
      footprint: z.looseObject({ tableWords: count, embedWords: count, peWords: count, total: count }),
      traffic: z.looseObject({ learning: traffic, inference: traffic, generation: traffic }),
      tableUse: z.array(z.looseObject({ name: z.string(), rows: count, distinctRows: count, deadFraction: fraction, entropyBits: count, maxEntropyBits: count })),
    }),
    manifesto: z.looseObject({
      tableI: z.looseObject({ params: z.looseObject({ n: posInt, nT: posInt, nC: posInt }), reproduced: z.looseObject({ footprint: count, bandwidth: count }), published: z.looseObject({ footprint: count, bandwidth: count }), memoryView }),
      tableIV: z.looseObject({
        snnParams: z.looseObject({ n: posInt, nT: posInt, nC: posInt, p: int.min(0), nInp: posInt }),
        annParams: z.looseObject({ d: posInt, dff: posInt, h: posInt }),
        snn: z.looseObject({ footprint: count, compute: count, computeCausal: count, bandwidth: bandwidth.extend({ value: count }) }),
        ann: z.looseObject({ footprint: count, compute: count, bandwidth: bandwidth.extend({ value: count }) }),
        published: z.looseObject({ snn: z.looseObject({ footprint: count, compute: count, bandwidth }), ann: z.looseObject({ footprint: count, compute: count, bandwidth }) }),
        memoryView,
      }),
    }),
  }),
});

/** kind "brain": a brain-inspired model (`joulebench brain`), one configuration per phase; its options and quality as the model writes them. */
export const brainSectionSchema = z
  .discriminatedUnion('model', [hopfield, som, stdp, lut])
  .describe('kind "brain": a brain-inspired model (`joulebench brain`), one configuration per phase');

/** The study options the sequence views read (the rest is recorded as written). */
export const sequenceOptionsSchema = z
  .looseObject({ tasks: z.array(z.enum(['text', 'recall'])).min(1), recallEvalLengths: z.array(posInt) })
  .describe('the study\'s options, every default filled in');
