// `joulebench brain <hopfield|som|stdp>`: the classic brain-inspired models of issue 8 run on
// MNIST / Fashion-MNIST, each printing its quality metrics, its ledger per phase (storage or
// learning vs recall or inference) and the energy of each phase under the cost-model profiles.
// A profile that does not cover a layer kind refuses it (OutOfRangeError): reported, never fatal.
import { costModelFor, builtinProfileIds, getProfile } from '../cost-models/registry.js';
import { OutOfRangeError } from '../cost-models/model.js';
import type { Ledger } from '../harness/ledger.js';
import { formatJ, pct, textTable } from '../reports/summary.js';
import type { CapacityPoint, CompletionPoint } from '../workloads/brain/hopfield.js';
import { hopfieldCapacity, hopfieldCompletion } from '../workloads/brain/hopfield.js';
import type { BrainPhase } from '../workloads/brain/phase.js';
import { ledgerTotals } from '../workloads/brain/phase.js';
import { DEFAULT_SCHEDULE, somExperiment } from '../workloads/brain/som.js';
import { DEFAULT_STDP, stdpExperiment } from '../workloads/brain/stdp.js';
import type { DatasetId } from '../workloads/datasets/idx-images.js';
import { DATASET_IDS, loadImageDataset } from '../workloads/datasets/idx-images.js';
import { UsageError } from './errors.js';
import { checkOutputDir, writeRunFolder } from './output-dir.js';

export const BRAIN_MODELS = ['hopfield', 'som', 'stdp'] as const;
export type BrainModel = (typeof BRAIN_MODELS)[number];

/** Options as given on the command line; undefined = the model's default. */
export interface BrainArgs {
  readonly model: string;
  readonly dataset: string;
  readonly seed: number;
  readonly profiles?: readonly string[];
  readonly out?: string;
  readonly force: boolean;
  readonly quiet: boolean;
  // hopfield
  readonly units?: number;
  readonly alphas?: readonly number[];
  readonly capacityNoise?: number;
  readonly capacityProbes?: number;
  readonly patterns?: readonly number[];
  readonly memories?: readonly number[];
  readonly noise?: number;
  readonly probes?: number;
  readonly beta?: number;
  readonly maxSweeps?: number;
  // som
  readonly grid?: string;
  // som and stdp
  readonly train?: number;
  readonly test?: number;
  // stdp
  readonly neurons?: number;
  readonly label?: number;
  readonly steps?: number;
}

const ONLY: Record<string, readonly BrainModel[]> = {
  units: ['hopfield'],
  alphas: ['hopfield'],
  capacityNoise: ['hopfield'],
  capacityProbes: ['hopfield'],
  patterns: ['hopfield'],
  memories: ['hopfield'],
  noise: ['hopfield'],
  probes: ['hopfield'],
  beta: ['hopfield'],
  maxSweeps: ['hopfield'],
  grid: ['som'],
  train: ['som', 'stdp'],
  test: ['som', 'stdp'],
  neurons: ['stdp'],
  label: ['stdp'],
  steps: ['stdp'],
};

const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function int(name: string, v: number | undefined, dflt: number, min: number, max: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < min || x > max) throw new UsageError(`${name} must be an integer in ${min}…${max}, got ${x}`);
  return x;
}

function fraction(name: string, v: number | undefined, dflt: number): number {
  const x = v ?? dflt;
  if (!(x >= 0 && x <= 1)) throw new UsageError(`${name} must be a fraction in [0, 1], got ${x}`);
  return x;
}

function ints(name: string, v: readonly number[] | undefined, dflt: readonly number[], min: number, max: number): number[] {
  const xs = [...(v ?? dflt)];
  if (xs.length === 0) throw new UsageError(`${name} needs at least one value`);
  for (const x of xs) int(name, x, 0, min, max);
  return xs;
}

// ---------------------------------------------------------------------------------------------
// Pricing

export type PhaseEnergy =
  | { readonly profile: string; readonly perSampleJ: number; readonly totalJ: number; readonly perLayerJ: readonly number[]; readonly unpricedCounts: number }
  | { readonly profile: string; readonly refused: string };

/** Prices a ledger under each profile; a refusal (or any pricing failure) becomes a per-profile state. */
export function priceLedger(ledger: Ledger, profiles: readonly string[]): PhaseEnergy[] {
  return profiles.map((id) => {
    const profile = getProfile(id);
    try {
      const priced = costModelFor(profile).price(ledger, profile);
      const perLayerJ = ledger.layers.map(() => 0);
      for (const item of priced.items) perLayerJ[item.layerIndex] += item.energyJ;
      return { profile: id, perSampleJ: priced.totalJ, totalJ: priced.totalJ * ledger.samples, perLayerJ, unpricedCounts: priced.unpriced.reduce((s, u) => s + u.count, 0) };
    } catch (e) {
      return { profile: id, refused: e instanceof OutOfRangeError ? (e as Error).message : `pricing failed: ${(e as Error).message}` };
    }
  });
}

interface NamedPhase {
  /** e.g. "classic P=10" */
  readonly label: string;
  readonly phase: BrainPhase;
}

function count(n: number): string {
  const abs = Math.abs(n);
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [f, u] of units) if (abs >= f) return `${(n / f).toPrecision(3)} ${u}`;
  return Number.isInteger(n) ? String(n) : n.toPrecision(3);
}

function ledgerRows(phases: readonly NamedPhase[]): string[][] {
  return phases.flatMap(({ label, phase }) =>
    phase.ledger.layers.map((l) => {
      let ops = 0;
      let acc = 0;
      let top = { what: '–', n: 0 };
      for (const c of l.compute) {
        ops += c.count.mean;
        if (c.count.mean > top.n) top = { what: `${c.op} ${c.purpose}`, n: c.count.mean };
      }
      for (const m of l.memory) acc += m.count.mean;
      return [label, phase.phase, l.name, phase.per, String(phase.ledger.samples), count(ops), count(acc), top.n > 0 ? `${top.what} (${count(top.n)})` : '–'];
    }),
  );
}

/** One row per phase × profile that priced it (refusals are summarised separately). */
function energyTable(phases: readonly NamedPhase[], priced: ReadonlyMap<NamedPhase, PhaseEnergy[]>): string {
  const rows = phases.flatMap((np) =>
    priced.get(np)!.flatMap((e) => ('refused' in e ? [] : [[np.label, np.phase.phase, np.phase.per, String(np.phase.ledger.samples), e.profile, formatJ(e.perSampleJ), formatJ(e.totalJ)]])),
  );
  return textTable(['experiment', 'phase', 'per', 'samples', 'profile', 'energy per sample', 'phase total'], rows);
}

/** Per-layer energy per sample, for phases with more than one layer (e.g. STDP learning: dynamics vs plasticity). */
function layerEnergyTable(phases: readonly NamedPhase[], priced: ReadonlyMap<NamedPhase, PhaseEnergy[]>): string | null {
  const rows = phases
    .filter((np) => np.phase.ledger.layers.length > 1)
    .flatMap((np) =>
      priced.get(np)!.flatMap((e) =>
        'refused' in e ? [] : np.phase.ledger.layers.map((l, i) => [np.label, np.phase.phase, e.profile, l.name, formatJ(e.perLayerJ[i]), e.perSampleJ === 0 ? '–' : pct(e.perLayerJ[i] / e.perSampleJ)]),
      ),
    );
  return rows.length === 0 ? null : textTable(['experiment', 'phase', 'profile', 'layer', 'energy per sample', 'share of phase'], rows);
}

/** Per profile: which phases it refused, and its distinct reasons (at most two shown). */
function refusalNotes(phases: readonly NamedPhase[], priced: ReadonlyMap<NamedPhase, PhaseEnergy[]>, profiles: readonly string[]): string[] {
  const notes: string[] = [];
  for (const id of profiles) {
    const refused = phases.flatMap((np) => priced.get(np)!.filter((e): e is { profile: string; refused: string } => e.profile === id && 'refused' in e));
    if (refused.length === 0) continue;
    const reasons = [...new Set(refused.map((e) => e.refused))];
    const which = refused.length === phases.length ? 'every phase' : `${refused.length} of ${phases.length} phases`;
    notes.push(`${id} refused ${which}: ${reasons.slice(0, 2).join(' | ')}${reasons.length > 2 ? ` (and ${reasons.length - 2} more reasons)` : ''}`);
  }
  return notes;
}

function unpricedNotes(phases: readonly NamedPhase[], priced: ReadonlyMap<NamedPhase, PhaseEnergy[]>, profiles: readonly string[]): string[] {
  const lines: string[] = [];
  for (const id of profiles) {
    let unpriced = 0;
    let total = 0;
    for (const np of phases) {
      const e = priced.get(np)!.find((x) => x.profile === id)!;
      if ('refused' in e) continue;
      unpriced += e.unpricedCounts * np.phase.ledger.samples;
      const t = ledgerTotals(np.phase.ledger);
      total += (t.ops + t.accesses) * np.phase.ledger.samples;
    }
    if (unpriced > 0) lines.push(`${id} lists ${pct(unpriced / total)} of the counted ops and memory accesses of the phases it priced as unpriced.`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// The command

export interface BrainReport {
  readonly phases: readonly NamedPhase[];
  readonly quality: unknown;
  readonly lines: readonly string[];
}

function checkModel(model: string): BrainModel {
  if (!(BRAIN_MODELS as readonly string[]).includes(model)) throw new UsageError(`unknown brain model "${model}"; choose one of ${BRAIN_MODELS.join(', ')}`);
  return model as BrainModel;
}

export function executeBrain(args: BrainArgs, out: (line: string) => void, log: (line: string) => void): void {
  const model = checkModel(args.model);
  for (const [key, models] of Object.entries(ONLY)) {
    if ((args as unknown as Record<string, unknown>)[key] !== undefined && !models.includes(model)) throw new UsageError(`${flag(key)} applies to ${models.join(' and ')} only, not ${model}`);
  }
  if (!(DATASET_IDS as readonly string[]).includes(args.dataset)) throw new UsageError(`--dataset must be one of ${DATASET_IDS.join(', ')}, got "${args.dataset}"`);
  if (!Number.isInteger(args.seed)) throw new UsageError(`--seed must be an integer, got ${args.seed}`);
  const known = builtinProfileIds();
  const profiles = [...(args.profiles ?? known)];
  for (const p of profiles) if (!known.includes(p)) throw new UsageError(`--cost-model: unknown profile "${p}"; known: ${known.join(', ')}`);
  const outDir = args.out === undefined ? null : checkOutputDir(args.out, args.force);
  const dataset = args.dataset as DatasetId;

  const run = model === 'hopfield' ? runHopfield : model === 'som' ? runSom : runStdp;
  const report = run(args, dataset, log);
  const priced = new Map(report.phases.map((np) => [np, priceLedger(np.phase.ledger, profiles)] as const));

  for (const l of report.lines) out(l);
  out('');
  out('Ledger per phase (counts per sample, means):');
  out(textTable(['experiment', 'phase', 'layer', 'per', 'samples', 'ops', 'memory accesses', 'largest op count'], ledgerRows(report.phases)));
  out('');
  out('Energy per phase (each profile that priced it; refusals below):');
  out(energyTable(report.phases, priced));
  const byLayer = layerEnergyTable(report.phases, priced);
  if (byLayer !== null) {
    out('');
    out('Energy per layer:');
    out(byLayer);
  }
  out('');
  for (const n of [...unpricedNotes(report.phases, priced, profiles), ...refusalNotes(report.phases, priced, profiles)]) out(n);

  if (outDir !== null) {
    const { out: _o, force: _f, quiet: _q, ...options } = args;
    const doc = {
      schema: 'joulebench-brain/1',
      model,
      dataset,
      seed: args.seed,
      options,
      profiles,
      quality: report.quality,
      phases: report.phases.map((np) => ({ experiment: np.label, phase: np.phase.phase, per: np.phase.per, samples: np.phase.ledger.samples, energy: priced.get(np), ledger: np.phase.ledger })),
    };
    writeRunFolder(outDir, new Map([['brain.json', `${JSON.stringify(doc, null, 1)}\n`]]), args.force);
    out(`\nwrote ${args.out}/brain.json`);
  }
}

function runHopfield(args: BrainArgs, dataset: DatasetId, log: (line: string) => void): BrainReport {
  const units = int('--units', args.units, 1000, 10, 5000);
  const alphas = [...(args.alphas ?? [0.05, 0.075, 0.1, 0.125, 0.138, 0.15, 0.175, 0.2, 0.225, 0.25])];
  for (const a of alphas) if (!(a > 0 && a <= 1)) throw new UsageError(`--alphas must be loads P/N in (0, 1], got ${a}`);
  const capacityNoise = fraction('--capacity-noise', args.capacityNoise, 0.1);
  const capacityProbes = int('--capacity-probes', args.capacityProbes, 50, 1, 10000);
  const patterns = ints('--patterns', args.patterns, [1, 2, 5, 10, 20, 50, 100], 1, 32767);
  const memories = ints('--memories', args.memories, [10, 100, 1000, 10000], 1, 60000);
  const noise = fraction('--noise', args.noise, 0.15);
  const probes = int('--probes', args.probes, 100, 1, 10000);
  const beta = args.beta ?? 1;
  if (!(beta > 0) || !Number.isFinite(beta)) throw new UsageError(`--beta must be a positive number, got ${beta}`);
  const maxSweeps = int('--max-sweeps', args.maxSweeps, 100, 1, 10000);

  log(`hopfield: capacity on random patterns, N = ${units} …`);
  const capacity: CapacityPoint[] = hopfieldCapacity({ units, alphas, noise: capacityNoise, probes: capacityProbes, seed: args.seed, maxSweeps });
  log(`hopfield: completion of binarised ${dataset} …`);
  const train = loadImageDataset(dataset, 'train');
  const completion: CompletionPoint[] = hopfieldCompletion({ train, classicPatterns: patterns, modernPatterns: memories, noise, probes, beta, seed: args.seed, maxSweeps });

  const lines = [
    `Classic Hopfield capacity: N = ${units} units, random ±1 patterns, ${capacityProbes} probes per load (the first stored patterns), recall from ${pct(capacityNoise)} flipped bits; recalled = final overlap ≥ 0.9`,
    textTable(
      ['P/N', 'P', 'fixed points', 'recalled', 'mean overlap', 'mean sweeps'],
      capacity.map((c) => [c.alpha.toFixed(3), String(c.patterns), pct(c.fixedFraction), pct(c.recalledFraction), c.meanOverlap.toFixed(3), c.meanSweeps.toFixed(1)]),
    ),
    '',
    `Completion of binarised ${dataset} training images (pixel > 0.5 → +1), ${pct(noise)} of the 784 bits flipped, ${probes} probes; accuracy = recalled state strictly nearest (Hamming) to the original among the stored images. Classic capacity 0.138·N = ${(0.138 * 784).toFixed(0)}; modern β = ${beta}, one step.`,
    textTable(
      ['network', 'stored', 'accuracy', 'bit error after', 'bit error before', 'mean sweeps', 'mean |overlap| between stored'],
      completion.map((c) => [c.model, String(c.stored), pct(c.accuracy), pct(c.bitError), pct(c.probeBitError), c.model === 'classic' ? c.meanSweeps.toFixed(1) : '1 step', c.meanPairOverlap === null ? '–' : c.meanPairOverlap.toFixed(3)]),
    ),
  ];
  const phases: NamedPhase[] = [
    ...completion.flatMap((c) => {
      const label = `${c.model} ${c.model === 'classic' ? 'P' : 'M'}=${c.stored}`;
      return [{ label, phase: c.storage }, { label, phase: c.recall }];
    }),
    ...capacity.map((c) => ({ label: `capacity N=${units} P/N=${c.alpha}`, phase: c.recall })),
  ];
  const quality = {
    capacity: capacity.map(({ recall: _r, ...rest }) => rest),
    completion: completion.map(({ storage: _s, recall: _r, ...rest }) => rest),
  };
  return { phases, quality, lines };
}

function parseGrid(g: string | undefined): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(g ?? '10x10');
  if (!m) throw new UsageError(`--grid must be ROWSxCOLS such as 10x10, got "${g}"`);
  const rows = Number(m[1]);
  const cols = Number(m[2]);
  if (rows < 1 || cols < 1 || rows > 64 || cols > 64 || rows * cols < 2) throw new UsageError(`--grid: ${rows}x${cols} must have 1…64 rows and columns and at least 2 units`);
  return [rows, cols];
}

function runSom(args: BrainArgs, dataset: DatasetId, log: (line: string) => void): BrainReport {
  const [rows, cols] = parseGrid(args.grid);
  const trainSamples = int('--train', args.train, 10000, 1, 60000);
  const testSamples = int('--test', args.test, 10000, 1, 10000);
  log(`som: ${rows}×${cols} map on ${trainSamples} ${dataset} training images …`);
  const r = somExperiment({ train: loadImageDataset(dataset, 'train'), test: loadImageDataset(dataset, 'test'), rows, cols, trainSamples, testSamples, schedule: DEFAULT_SCHEDULE, seed: args.seed });
  const s = DEFAULT_SCHEDULE;
  const k = r.learning.ledger.layers[1].activity.updates.mean;
  const lines = [
    `Self-organising map ${rows}×${cols} on ${dataset}: one pass over ${r.trainSamples} training images (seeded order), α ${s.alpha0} → ${s.alphaEnd}, σ ${s.sigma0} → ${s.sigmaEnd} (exponential), Gaussian neighbourhood cut at ${s.cutoff}σ (mean ${k.toFixed(1)} of ${rows * cols} units updated per image); evaluated on ${r.testSamples} test images`,
    textTable(
      ['map', 'quantisation error', 'topographic error', 'accuracy (majority-labelled units)', 'unlabelled units'],
      [
        ['trained', r.quality.quantisationError.toFixed(3), pct(r.quality.topographicError), pct(r.quality.accuracy), String(r.quality.unlabelledUnits)],
        ['untrained (random init)', r.untrained.quantisationError.toFixed(3), pct(r.untrained.topographicError), pct(r.untrained.accuracy), String(r.untrained.unlabelledUnits)],
      ],
    ),
  ];
  const label = `som ${rows}x${cols}`;
  return { phases: [{ label, phase: r.learning }, { label, phase: r.inference }], quality: { trained: r.quality, untrained: r.untrained, meanUnitsUpdated: k, trainSamples: r.trainSamples, testSamples: r.testSamples, schedule: s }, lines };
}

function runStdp(args: BrainArgs, dataset: DatasetId, log: (line: string) => void): BrainReport {
  const neurons = int('--neurons', args.neurons, DEFAULT_STDP.neurons, 1, 4000);
  const steps = int('--steps', args.steps, DEFAULT_STDP.steps, 1, 10000);
  const trainSamples = int('--train', args.train, 5000, 1, 59999);
  const labelSamples = int('--label', args.label, 1000, 1, 59999);
  const testSamples = int('--test', args.test, 1000, 1, 10000);
  if (trainSamples + labelSamples > 60000) throw new UsageError(`--train + --label must be at most the 60000 training images, got ${trainSamples + labelSamples}`);
  const params = { ...DEFAULT_STDP, neurons, steps };
  log(`stdp: ${neurons} neurons learning from ${trainSamples} ${dataset} images …`);
  const r = stdpExperiment({ train: loadImageDataset(dataset, 'train'), test: loadImageDataset(dataset, 'test'), trainSamples, labelSamples, testSamples, params, seed: args.seed, progress: (phase, done, total) => log(`stdp: ${phase} ${done}/${total}`) });
  const act = (p: BrainPhase, layer: number) => p.ledger.layers[layer].activity;
  const lines = [
    `STDP (Diehl & Cook style) on ${dataset}: ${neurons} adaptive LIF neurons with lateral inhibition, 784 Poisson inputs (≤ ${params.intensityHz} Hz), ${steps} ms per image at dt = 1 ms; unsupervised learning on ${r.trainSamples} training images (one pass), neurons labelled on the next ${r.labelSamples}, tested on ${r.testSamples} test images`,
    textTable(
      ['accuracy', 'silent test images', 'unlabelled neurons', 'neurons per class 0…9', 'input spikes / image (learn, test)', 'neuron spikes / image (learn, test)', 'presentations / image (learn, test)'],
      [
        [
          pct(r.accuracy),
          String(r.silent),
          String(r.unlabelledNeurons),
          r.classNeurons.join(' '),
          `${act(r.learning, 1).inputEvents.mean.toFixed(0)}, ${act(r.inference, 1).inputEvents.mean.toFixed(0)}`,
          `${act(r.learning, 1).outputEvents.mean.toFixed(1)}, ${act(r.inference, 1).outputEvents.mean.toFixed(1)}`,
          `${r.meanPresentations.learning.toFixed(3)}, ${r.meanPresentations.inference.toFixed(3)}`,
        ],
      ],
    ),
  ];
  const label = `stdp N=${neurons}`;
  return {
    phases: [
      { label, phase: r.learning },
      { label, phase: r.labelling },
      { label, phase: r.inference },
    ],
    quality: { accuracy: r.accuracy, silent: r.silent, unlabelledNeurons: r.unlabelledNeurons, classNeurons: r.classNeurons, meanPresentations: r.meanPresentations, trainSamples: r.trainSamples, labelSamples: r.labelSamples, testSamples: r.testSamples, params },
    lines,
  };
}
