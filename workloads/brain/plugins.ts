// The brain-inspired models as workload plugins (workloads/plugin.ts): Hopfield (classic and modern),
// the self-organising map and STDP on MNIST / Fashion-MNIST, Izhikevich's look-up-table network on the
// Brown corpus. Each declares its options once (defaults, validation, help); `joulebench brain <model>`
// and the sweep workloads `brain-<model>` are generated from the declaration.
import { progressOf } from '../../core/progress.js';
import type { DatasetId } from '../datasets/idx-images.js';
import { DATASET_IDS, loadImageDataset } from '../datasets/idx-images.js';
import type { OptionSpecs, PhaseLedger, PluginRun, WorkloadPlugin } from '../plugin.js';
import { fraction, intAtLeast, intIn, listOf, numberIn, oneOf, option, positive, textMatching } from '../plugin.js';
import type { BrainPhase } from './phase.js';
import { hopfieldCapacity, hopfieldCompletion } from './hopfield.js';
import { DEFAULT_SCHEDULE, somExperiment } from './som.js';
import { DEFAULT_STDP, stdpExperiment } from './stdp.js';
import { lutExperiment } from './lut/experiment.js';
import { PUBLISHED, TABLE_I_RNN, TABLE_IV_ANN, TABLE_IV_SNN, tableI, tableILedger, tableIView, tableIvAnn, tableIvLedger, tableIvSnn, tableIvView } from './lut/manifesto.js';
import type { LutConfig } from './lut/network.js';
import { DEFAULT_LUT } from './lut/network.js';

const seed = option({ type: 'number', schema: intAtLeast(0), default: 1, help: 'seed of every random choice (patterns, noise, order, initial weights, Poisson spikes)' });
const dataset = option({ type: 'string', schema: oneOf(DATASET_IDS), default: 'mnist' as DatasetId, choices: DATASET_IDS, help: 'image dataset' });

const phasesOf = (experiment: string, ...phases: BrainPhase[]): PhaseLedger[] => phases.map((p) => ({ experiment, phase: p.phase, per: p.per, ledger: p.ledger }));

// ---------------------------------------------------------------------------------------------
// Hopfield

const HOPFIELD_OPTIONS = {
  dataset,
  seed,
  units: option({ type: 'number', schema: intIn(10, 5000), default: 1000, sweep: false, help: 'units N of the random-pattern capacity test' }),
  alphas: option({ type: 'numbers', schema: listOf(numberIn(0, 1.0000001, 'a load P/N in (0, 1]'), 0), default: [0.05, 0.075, 0.1, 0.125, 0.138, 0.15, 0.175, 0.2, 0.225, 0.25], sweep: false, help: 'loads P/N of the capacity test (none: no capacity test)' }),
  capacityNoise: option({ type: 'number', schema: fraction, default: 0.1, sweep: false, help: 'fraction of bits flipped in capacity probes' }),
  capacityProbes: option({ type: 'number', schema: intIn(1, 10000), default: 50, sweep: false, help: 'probes per load' }),
  patterns: option({ type: 'numbers', schema: listOf(intIn(1, 32767), 0), default: [1, 2, 5, 10, 20, 50, 100], help: 'images stored in the classic network' }),
  memories: option({ type: 'numbers', schema: listOf(intIn(1, 60000), 0), default: [10, 100, 1000, 10000], sweep: false, help: 'images stored in the modern network' }),
  noise: option({ type: 'number', schema: fraction, default: 0.15, help: 'fraction of image bits flipped in probes' }),
  probes: option({ type: 'number', schema: intIn(1, 10000), default: 100, sweep: 'samples', help: 'noisy image probes per network' }),
  beta: option({ type: 'number', schema: positive, default: 1, help: 'inverse temperature β of the modern network' }),
  maxSweeps: option({ type: 'number', schema: intIn(1, 10000), default: 100, help: 'cap on asynchronous sweeps per recall' }),
} satisfies OptionSpecs;

export const hopfieldPlugin: WorkloadPlugin<typeof HOPFIELD_OPTIONS> = {
  id: 'hopfield',
  title: 'Hopfield networks: classic capacity on random patterns, classic and modern completion of binarised images',
  options: HOPFIELD_OPTIONS,
  check: (o) => (o.patterns.length + o.memories.length === 0 ? { option: 'patterns', problem: 'and --memories are both empty: store images in at least one network' } : null),
  phases: ['storage', 'recall'],
  execute(o, { log }): PluginRun {
    log(`hopfield: capacity on random patterns, N = ${o.units} …`);
    const capacity = hopfieldCapacity({ units: o.units, alphas: o.alphas, noise: o.capacityNoise, probes: o.capacityProbes, seed: o.seed, maxSweeps: o.maxSweeps });
    log(`hopfield: completion of binarised ${o.dataset} …`);
    const completion = hopfieldCompletion({ train: loadImageDataset(o.dataset, 'train'), classicPatterns: o.patterns, modernPatterns: o.memories, noise: o.noise, probes: o.probes, beta: o.beta, seed: o.seed, maxSweeps: o.maxSweeps });
    return {
      dataset: o.dataset,
      phases: [
        ...completion.flatMap((c) => phasesOf(`${c.model} ${c.model === 'classic' ? 'P' : 'M'}=${c.stored}`, c.storage, c.recall)),
        ...capacity.flatMap((c) => phasesOf(`capacity N=${o.units} P/N=${c.alpha}`, c.recall)),
      ],
      quality: {
        capacity: capacity.map(({ recall: _r, ...rest }) => rest),
        completion: completion.map(({ storage: _s, recall: _r, ...rest }) => rest),
      },
      extra: [],
    };
  },
  // a sweep point stores one set of images in one network (no capacity test)
  sweepWorkloads: {
    'brain-hopfield': (g) => ({ ...g, alphas: [], patterns: g.patterns ?? [10], memories: [] }),
    'brain-modern-hopfield': ({ patterns, ...g }) => ({ ...g, alphas: [], patterns: [], memories: patterns ?? [10] }),
  },
  sweepQuality(run) {
    const c = (run.quality.completion as { accuracy: number }[])[0];
    return { accuracy: c.accuracy, metric: 'completion_accuracy', value: c.accuracy };
  },
};

// ---------------------------------------------------------------------------------------------
// SOM

const SOM_OPTIONS = {
  dataset,
  seed,
  grid: option({
    type: 'string',
    schema: textMatching(/^\d+x\d+$/, 'ROWSxCOLS such as 10x10'),
    default: '10x10',
    help: 'map size ROWSxCOLS',
  }),
  train: option({ type: 'number', schema: intIn(1, 60000), default: 10000, help: 'training images (one pass)' }),
  test: option({ type: 'number', schema: intIn(1, 10000), default: 10000, sweep: 'samples', help: 'test images' }),
} satisfies OptionSpecs;

export const somPlugin: WorkloadPlugin<typeof SOM_OPTIONS> = {
  id: 'som',
  title: 'Self-organising map (Kohonen): one pass of learning, then best-matching-unit inference',
  options: SOM_OPTIONS,
  check: (o) => {
    const [rows, cols] = o.grid.split('x').map(Number);
    return rows < 1 || cols < 1 || rows > 64 || cols > 64 || rows * cols < 2 ? { option: 'grid', problem: `must have 1…64 rows and columns and at least 2 units, got ${o.grid}` } : null;
  },
  phases: ['learning', 'inference'],
  execute(o, { log }): PluginRun {
    const [rows, cols] = o.grid.split('x').map(Number);
    log(`som: ${rows}×${cols} map on ${o.train} ${o.dataset} training images …`);
    const r = somExperiment({ train: loadImageDataset(o.dataset, 'train'), test: loadImageDataset(o.dataset, 'test'), rows, cols, trainSamples: o.train, testSamples: o.test, schedule: DEFAULT_SCHEDULE, seed: o.seed });
    const meanUnitsUpdated = r.learning.ledger.layers[1].activity.updates.mean;
    return {
      dataset: o.dataset,
      phases: phasesOf(`som ${rows}x${cols}`, r.learning, r.inference),
      quality: { trained: r.quality, untrained: r.untrained, meanUnitsUpdated, trainSamples: r.trainSamples, testSamples: r.testSamples, schedule: DEFAULT_SCHEDULE },
      extra: [],
    };
  },
  sweepWorkloads: { 'brain-som': (g) => g },
  sweepQuality(run) {
    const q = run.quality.trained as { accuracy: number; quantisationError: number };
    return { accuracy: q.accuracy, metric: 'quantisation_error', value: q.quantisationError };
  },
};

// ---------------------------------------------------------------------------------------------
// STDP

const STDP_OPTIONS = {
  dataset,
  seed,
  neurons: option({ type: 'number', schema: intIn(1, 4000), default: DEFAULT_STDP.neurons, help: 'excitatory neurons' }),
  steps: option({ type: 'number', schema: intIn(1, 10000), default: DEFAULT_STDP.steps, help: '1 ms steps per image presentation' }),
  train: option({ type: 'number', schema: intIn(1, 59999), default: 5000, help: 'training images (one pass, unsupervised)' }),
  label: option({ type: 'number', schema: intIn(1, 59999), default: 1000, help: 'training images that label the neurons, after the learning ones' }),
  test: option({ type: 'number', schema: intIn(1, 10000), default: 1000, sweep: 'samples', help: 'test images' }),
} satisfies OptionSpecs;

export const stdpPlugin: WorkloadPlugin<typeof STDP_OPTIONS> = {
  id: 'stdp',
  title: 'STDP (Diehl & Cook style): unsupervised learning, labelling and inference of adaptive LIF neurons',
  options: STDP_OPTIONS,
  check: (o) => (o.train + o.label > 60000 ? { option: 'train', problem: `+ --label must be at most the 60000 training images, got ${o.train + o.label}` } : null),
  phases: ['learning', 'labelling', 'inference'],
  execute(o, { log }): PluginRun {
    const params = { ...DEFAULT_STDP, neurons: o.neurons, steps: o.steps };
    log(`stdp: ${o.neurons} neurons learning from ${o.train} ${o.dataset} images …`);
    const r = stdpExperiment({
      train: loadImageDataset(o.dataset, 'train'),
      test: loadImageDataset(o.dataset, 'test'),
      trainSamples: o.train,
      labelSamples: o.label,
      testSamples: o.test,
      params,
      seed: o.seed,
      progress: (phase, done, total) => log(`stdp: ${phase} ${done}/${total}`),
    });
    return {
      dataset: o.dataset,
      phases: phasesOf(`stdp N=${o.neurons}`, r.learning, r.labelling, r.inference),
      quality: { accuracy: r.accuracy, silent: r.silent, unlabelledNeurons: r.unlabelledNeurons, classNeurons: r.classNeurons, meanPresentations: r.meanPresentations, trainSamples: r.trainSamples, labelSamples: r.labelSamples, testSamples: r.testSamples, params },
      extra: [],
    };
  },
  sweepWorkloads: { 'brain-stdp': (g) => g },
  sweepQuality(run) {
    const a = run.quality.accuracy as number;
    return { accuracy: a, metric: 'accuracy', value: a };
  },
};

// ---------------------------------------------------------------------------------------------
// LUT network

export const LUT_VARIANTS = ['full', 'attention-only', 'ffn-only'] as const;

export function lutConfig(variant: (typeof LUT_VARIANTS)[number]): LutConfig {
  return variant === 'attention-only' ? { ...DEFAULT_LUT, ffn: false } : variant === 'ffn-only' ? { ...DEFAULT_LUT, heads: 0 } : DEFAULT_LUT;
}

const LUT_OPTIONS = {
  seed,
  variant: option({ type: 'string', schema: oneOf(LUT_VARIANTS), default: 'full' as (typeof LUT_VARIANTS)[number], choices: LUT_VARIANTS, help: 'which blocks: full, attention-only or ffn-only' }),
  train: option({ type: 'number', schema: intIn(1, 10_000_000), default: 6000, help: `training windows of ${DEFAULT_LUT.context + 1} characters` }),
  test: option({ type: 'number', schema: intIn(1, 1_000_000), default: 20000, sweep: 'samples', help: 'held-out characters evaluated' }),
} satisfies OptionSpecs;

export const lutPlugin: WorkloadPlugin<typeof LUT_OPTIONS> = {
  id: 'lut',
  title: "Izhikevich's look-up-table network (Spiking Manifesto) on the Brown corpus, with the manifesto's Table I and IV",
  options: LUT_OPTIONS,
  phases: ['learning', 'inference', 'generation'],
  execute(o, { log }): PluginRun {
    const cfg = lutConfig(o.variant);
    log(`lut: ${o.train} training windows of ${cfg.context + 1} Brown-corpus characters …`);
    const task = progressOf(log).task('lut training', o.train, 'steps');
    let r: ReturnType<typeof lutExperiment>;
    try {
      r = lutExperiment({ config: cfg, trainSteps: o.train, testTokens: o.test, fullContextTokens: Math.min(o.test, 2000), seed: o.seed, progress: (done, total, bpc) => {
        task.update(done, `loss ${bpc.toFixed(3)} bits/char`);
        log(`lut: step ${done}/${total}, training loss ${bpc.toFixed(3)} bits/char`);
      } });
    } finally {
      task.end();
    }
    log(`lut: training ${r.seconds.train.toFixed(1)} s, evaluation ${r.seconds.evaluate.toFixed(1)} s`);
    const label = `lut ${o.variant} C=${cfg.context} n=${cfg.dim} L=${cfg.layers} H=${cfg.heads} n_t=${cfg.tables} n_c=${cfg.comparisons}`;
    return {
      dataset: 'brown',
      phases: phasesOf(label, r.learning, r.inference, r.generation),
      quality: { ...r.quality, variant: o.variant, config: cfg, derived: r.derived, manifesto: manifestoDoc() },
      extra: [
        { id: 'manifesto-table-I', name: `Table I spiking-RNN LUT (n = ${TABLE_I_RNN.n}, n_t = ${TABLE_I_RNN.nT}, n_c = ${TABLE_I_RNN.nC}), per token`, ledger: tableILedger() },
        { id: 'manifesto-table-IV', name: `Table IV SNN layer (attention + FFN LUT), per new token, ${TABLE_IV_SNN.nInp} cached tokens`, ledger: tableIvLedger() },
      ],
    };
  },
  sweepWorkloads: { 'brain-lut': (g) => g },
  sweepQuality(run) {
    return { accuracy: Number.NaN, metric: 'bits_per_char', value: run.quality.bpc as number };
  },
};

function manifestoDoc() {
  return {
    tableI: { params: TABLE_I_RNN, reproduced: tableI(), published: PUBLISHED.tableI, memoryView: tableIView() },
    tableIV: { snnParams: TABLE_IV_SNN, annParams: TABLE_IV_ANN, snn: tableIvSnn(), ann: tableIvAnn(), published: { snn: PUBLISHED.tableIvSnn, ann: PUBLISHED.tableIvAnn }, memoryView: tableIvView() },
  };
}

// ---------------------------------------------------------------------------------------------

/** Every brain model, by its CLI name (`joulebench brain <id>`). */
export const BRAIN_PLUGINS: ReadonlyMap<string, WorkloadPlugin> = new Map<string, WorkloadPlugin>([
  ['hopfield', hopfieldPlugin as unknown as WorkloadPlugin],
  ['som', somPlugin as unknown as WorkloadPlugin],
  ['stdp', stdpPlugin as unknown as WorkloadPlugin],
  ['lut', lutPlugin as unknown as WorkloadPlugin],
]);

