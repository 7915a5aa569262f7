// `joulebench brain <hopfield|som|stdp|lut>`: the brain-inspired models of issue 8 — the classic ones
// on MNIST / Fashion-MNIST, Izhikevich's look-up-table network on the Brown corpus — each printing its
// quality metrics, its ledger per phase (storage or learning vs recall, inference or generation) and
// the energy of each phase under the cost-model profiles.
// A profile that does not cover a layer kind refuses it (OutOfRangeError): reported, never fatal.
import { builtinProfileIds, getProfile } from '../cost-models/registry.js';
import { priceLedger } from '../study/pricing.js';
import type { Ledger } from '../core/ledger.js';
import { formatJ, pct, textTable } from '../reports/summary.js';
import type { CapacityPoint, CompletionPoint } from '../workloads/brain/hopfield.js';
import { hopfieldCapacity, hopfieldCompletion } from '../workloads/brain/hopfield.js';
import type { BrainPhase } from '../workloads/brain/phase.js';
import { ledgerTotals } from '../workloads/brain/phase.js';
import { DEFAULT_SCHEDULE, somExperiment } from '../workloads/brain/som.js';
import { DEFAULT_STDP, stdpExperiment } from '../workloads/brain/stdp.js';
import type { LedgerTraffic } from '../workloads/brain/lut/ledger.js';
import { INDEX_BITS } from '../workloads/brain/lut/ledger.js';
import { lutExperiment } from '../workloads/brain/lut/experiment.js';
import { PUBLISHED, TABLE_I_RNN, TABLE_IV_ANN, TABLE_IV_SNN, tableI, tableILedger, tableIView, tableIvAnn, tableIvLedger, tableIvSnn, tableIvView } from '../workloads/brain/lut/manifesto.js';
import type { LutConfig } from '../workloads/brain/lut/network.js';
import { DEFAULT_LUT } from '../workloads/brain/lut/network.js';
import type { DatasetId } from '../workloads/datasets/idx-images.js';
import { DATASET_IDS, loadImageDataset } from '../workloads/datasets/idx-images.js';
import { UsageError } from './errors.js';
import { checkOutputDir, writeRunFolder } from './output-dir.js';

export const BRAIN_MODELS = ['hopfield', 'som', 'stdp', 'lut'] as const;
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
  // som, stdp and lut
  readonly train?: number;
  readonly test?: number;
  // lut
  readonly variant?: string;
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
  train: ['som', 'stdp', 'lut'],
  test: ['som', 'stdp', 'lut'],
  variant: ['lut'],
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

/** Prices a phase's ledger under each profile (study/pricing.ts): a model's refusal becomes a per-profile state, anything else is an error. */
export function pricePhase(ledger: Ledger, profiles: readonly string[]): PhaseEnergy[] {
  return profiles.map((id) => {
    const outcome = priceLedger(ledger, getProfile(id));
    if (!outcome.ok) return { profile: id, refused: outcome.refused };
    const { priced } = outcome;
    const perLayerJ = ledger.layers.map(() => 0);
    for (const item of priced.items) perLayerJ[item.layerIndex] += item.energyJ;
    return { profile: id, perSampleJ: priced.totalJ, totalJ: priced.totalJ * ledger.samples, perLayerJ, unpricedCounts: priced.unpriced.reduce((s, u) => s + u.count, 0) };
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
  if (model === 'lut') {
    if (args.dataset !== 'mnist' && args.dataset !== 'brown') throw new UsageError(`lut trains on the Brown corpus (character level); --dataset ${args.dataset} does not apply`);
  } else if (!(DATASET_IDS as readonly string[]).includes(args.dataset)) throw new UsageError(`--dataset must be one of ${DATASET_IDS.join(', ')}, got "${args.dataset}"`);
  if (!Number.isInteger(args.seed)) throw new UsageError(`--seed must be an integer, got ${args.seed}`);
  const known = builtinProfileIds();
  const profiles = [...(args.profiles ?? known)];
  for (const p of profiles) if (!known.includes(p)) throw new UsageError(`--cost-model: unknown profile "${p}"; known: ${known.join(', ')}`);
  const outDir = args.out === undefined ? null : checkOutputDir(args.out, args.force);
  const dataset = (model === 'lut' ? 'brown' : args.dataset) as DatasetId;

  const run = model === 'hopfield' ? runHopfield : model === 'som' ? runSom : runStdp;
  const report = model === 'lut' ? runLut(args, profiles, log) : run(args, dataset, log);
  const priced = new Map(report.phases.map((np) => [np, pricePhase(np.phase.ledger, profiles)] as const));

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
    writeRunFolder(outDir, 'brain', new Map([['brain.json', `${JSON.stringify(doc, null, 1)}\n`]]), args.force);
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

// ---------------------------------------------------------------------------------------------
// lut: Izhikevich's look-up-table network on the Brown corpus, with the manifesto's Table I and IV

const LUT_VARIANTS = ['full', 'attention-only', 'ffn-only'] as const;
const n0 = (x: number): string => (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: 1 }));

function lutConfig(variant: string | undefined): LutConfig {
  const v = variant ?? 'full';
  if (!(LUT_VARIANTS as readonly string[]).includes(v)) throw new UsageError(`--variant must be one of ${LUT_VARIANTS.join(', ')}, got "${v}"`);
  return v === 'attention-only' ? { ...DEFAULT_LUT, ffn: false } : v === 'ffn-only' ? { ...DEFAULT_LUT, heads: 0 } : DEFAULT_LUT;
}

/** One row per phase: the table traffic per sample in words and in rows, and the op counts. */
function trafficRow(name: string, per: string, t: LedgerTraffic): string[] {
  return [name, per, n0(t.words), n0(t.lutRowWords), n0(t.rows), n0(t.indexWords), n0(t.gatherWords), n0(t.cmp), n0(t.ac), n0(t.exp)];
}

/** A ledger layer's counts in explicit units (keys of core/ledger.ts countTable: op/numeric bits/purpose, operand/action/bits). */
function lutLedgerRows(np: NamedPhase): string[][] {
  return np.phase.ledger.layers.map((l) => {
    const lut = l.geometry.kind.startsWith('lut-');
    const sum = (f: (k: { op?: string; purpose?: string; operand?: string; action?: string }) => boolean) =>
      l.compute.filter((c) => f({ op: c.op, purpose: c.purpose })).reduce((s, c) => s + c.count.mean, 0) + l.memory.filter((m) => f({ operand: m.operand, action: m.action })).reduce((s, m) => s + m.count.mean, 0);
    return [
      np.phase.phase,
      l.name,
      n0(sum((k) => k.op === 'cmp')),
      n0(sum((k) => k.op === 'index')),
      n0(lut ? sum((k) => k.operand === 'input' && k.action === 'read') : 0),
      n0(lut ? l.activity.outputEvents.mean : 0),
      n0(sum((k) => k.operand === 'lut_row' && k.action === 'read')),
      n0(sum((k) => k.operand === 'lut_row' && k.action === 'write')),
      n0(sum((k) => k.operand === 'index' && k.action === 'read')),
      n0(sum((k) => k.operand === 'index' && k.action === 'write')),
      n0(sum((k) => k.op === 'ac')),
      n0(sum((k) => k.op === 'mac')),
      n0(sum((k) => k.op === 'exp')),
      n0(sum((k) => k.action === 'write')),
    ];
  });
}

function runLut(args: BrainArgs, profiles: readonly string[], log: (line: string) => void): BrainReport {
  const cfg = lutConfig(args.variant);
  const trainSteps = int('--train', args.train, 6000, 1, 10_000_000);
  const testTokens = int('--test', args.test, 20000, 1, 1_000_000);
  const fullContextTokens = Math.min(testTokens, 2000);
  log(`lut: ${trainSteps} training windows of ${cfg.context + 1} Brown-corpus characters …`);
  const r = lutExperiment({ config: cfg, trainSteps, testTokens, fullContextTokens, seed: args.seed, progress: (done, total, bpc) => log(`lut: step ${done}/${total}, training loss ${bpc.toFixed(3)} bits/char`) });
  const q = r.quality;
  const d = r.derived;
  const variant = args.variant ?? 'full';
  const lines: string[] = [
    `Izhikevich look-up-table network (${variant}): context ${cfg.context}, n = ${cfg.dim}, ${cfg.layers} layers × (${[cfg.heads > 0 ? `${cfg.heads} attention heads` : '', cfg.ffn ? 'FFN' : ''].filter((x) => x).join(' + ')}), n_t = ${cfg.tables} tables per LUT, n_c = ${cfg.comparisons} anchor pairs${cfg.heads > 0 ? `, p = ${cfg.posBits} positional bits (attention index ${2 * cfg.comparisons + cfg.posBits} bits)` : ''}, vocabulary ${cfg.vocab} characters`,
    `Trained by main.c's surrogate-gradient SGD on ${n0(q.trainSteps)} random windows of the Brown corpus train split (${n0(q.trainTokens)} predicted characters), lr warm-up ${cfg.warmupSteps} steps; held out: the ${q.split} split. Time: training ${r.seconds.train.toFixed(1)} s, evaluation ${r.seconds.evaluate.toFixed(1)} s.`,
    '',
    'Quality: bits per character (lower is better) on held-out text',
    textTable(
      ['model', `bpc, ${n0(q.evaluatedTokens)} chars in blocks of ${cfg.context} (0–${cfg.context - 1} chars of context)`, `bpc at full context (${cfg.context - 1} chars), ${n0(q.fullContextTokens)} windows`, 'training loss, first → last tenth'],
      [
        ['LUT network', q.bpc.toFixed(3), q.fullContextBpc.toFixed(3), `${q.trainCurve[0].toFixed(3)} → ${q.trainCurve[q.trainCurve.length - 1].toFixed(3)}`],
        ['unigram (add-one, train split)', q.unigramBpc.toFixed(3), '–', '–'],
        ['bigram (add-one, train split)', q.bigramBpc.toFixed(3), '–', '–'],
      ],
    ),
    '',
    `Footprint: ${n0(d.footprint.total)} words (32-bit) = ${n0(d.footprint.tableWords)} table words + ${n0(d.footprint.embedWords)} embedder + ${n0(d.footprint.peWords)} positional-encoding parameters (${((d.footprint.total * 4) / 2 ** 20).toFixed(1)} MiB).`,
    'Traffic per sample (means). Units: words = 32-bit words except index words (16-bit); rows = table rows (a row is y_dim words); gathers = x[a], x[b] reads; cmp = anchor compares; AC = float adds',
    textTable(
      ['phase', 'per', 'memory words (all)', 'lut_row words read', 'rows read', 'index words', 'gather words', 'cmp', 'AC', 'EXP'],
      [trafficRow('learning', 'training token', d.traffic.learning), trafficRow('inference', 'evaluated token', d.traffic.inference), trafficRow('generation', 'generated char (window recomputed)', d.traffic.generation)],
    ),
    '',
    `Table use over the ${n0(q.evaluatedTokens)} evaluated characters (dead rows = never read; entropy of the row hits per table, mean over tables, against log2(rows))`,
    textTable(
      ['LUT', 'rows (all tables)', 'distinct rows touched', 'dead rows', 'hit entropy (bits)', 'max (bits)'],
      d.tableUse.map((u) => [u.name, n0(u.rows), n0(u.distinctRows), pct(u.deadFraction), u.entropyBits.toFixed(2), u.maxEntropyBits.toFixed(0)]),
    ),
    '',
    `LUT ledger per layer and phase, per sample (cmp, index ops: counts; gathers, row words, writes: 32-bit words; index r/w: ${INDEX_BITS}-bit words; rows: table rows)`,
    textTable(
      ['phase', 'layer', 'cmp', 'index ops', 'gathers', 'rows read', 'row words read', 'row words written', 'index read', 'index write', 'AC', 'MAC', 'EXP', 'all writes'],
      [r.learning, r.inference, r.generation].flatMap((phase) => lutLedgerRows({ label: '', phase })),
    ),
    '',
    ...manifestoLines(profiles),
  ];
  const label = `lut ${variant} C=${cfg.context} n=${cfg.dim} L=${cfg.layers} H=${cfg.heads} n_t=${cfg.tables} n_c=${cfg.comparisons}`;
  return {
    phases: [
      { label, phase: r.learning },
      { label, phase: r.inference },
      { label, phase: r.generation },
    ],
    quality: { ...q, variant, config: cfg, derived: d, manifesto: manifestoDoc() },
    lines,
  };
}

function manifestoDoc() {
  return {
    tableI: { params: TABLE_I_RNN, reproduced: tableI(), published: PUBLISHED.tableI, memoryView: tableIView() },
    tableIV: { snnParams: TABLE_IV_SNN, annParams: TABLE_IV_ANN, snn: tableIvSnn(), ann: tableIvAnn(), published: { snn: PUBLISHED.tableIvSnn, ann: PUBLISHED.tableIvAnn }, memoryView: tableIvView() },
  };
}

/** Table I and IV from their formulas, joulebench's counts of the same layers, and their energy per profile. */
function manifestoLines(profiles: readonly string[]): string[] {
  const t1 = tableI();
  const s4 = tableIvSnn();
  const a4 = tableIvAnn();
  const P = PUBLISHED;
  const { n, nT, nC, p, nInp } = TABLE_IV_SNN;
  const aff = (c: number, k: number) => `${n0(c)} + ${n0(k)}·n_inp`;
  const v1 = tableIView();
  const v4 = tableIvView();
  const ledgers = [
    { name: `Table I spiking-RNN LUT (n = ${TABLE_I_RNN.n}, n_t = ${TABLE_I_RNN.nT}, n_c = ${TABLE_I_RNN.nC}), per token`, ledger: tableILedger() },
    { name: `Table IV SNN layer (attention + FFN LUT), per new token, ${nInp} cached tokens`, ledger: tableIvLedger() },
  ];
  const priced = ledgers.map((l) => pricePhase(l.ledger, profiles));
  const reasons = new Map<string, string[]>();
  const energyRows = profiles.map((id, k) => [
    id,
    ...priced.map((ps) => {
      const e = ps[k];
      if ('refused' in e) {
        reasons.set(id, [...new Set([...(reasons.get(id) ?? []), e.refused])]);
        return 'refused';
      }
      return formatJ(e.perSampleJ);
    }),
  ]);
  return [
    `Spiking Manifesto (Izhikevich, arXiv:2512.11843) Table I and Table IV from their formulas. Table IV's SNN column is reproduced by n = ${n}, n_t = ${nT}, n_c = ${nC}, p = ${p}, n_inp = ${nInp}; ANN column d = ${TABLE_IV_ANN.d}, d_ff = ${TABLE_IV_ANN.dff}, h = ${TABLE_IV_ANN.h}.`,
    textTable(
      ['table', 'quantity', 'formula', 'manifesto', 'reproduced'],
      [
        ['I (spiking RNN)', 'footprint (words)', 'n_t·2^n_c·n', '4M', n0(t1.footprint)],
        ['I (spiking RNN)', 'bandwidth per token (words)', '2·n_t·n_c + n_t·n', '5.4K', n0(t1.bandwidth)],
        ['IV SNN layer', 'footprint (words)', 'n_t·2^(2n_c+p)·n + n_t·2^n_c·n', n0(P.tableIvSnn.footprint), n0(s4.footprint)],
        ['IV SNN layer', 'compute (all n_inp² pairs)', 'n_inp²·n_t·n + n_inp·n_t·n + n_inp·2·n_t·n_c', n0(P.tableIvSnn.compute), n0(s4.compute)],
        ['IV SNN layer', 'compute (causal pairs, as main.c)', 'n_inp(n_inp−1)/2·n_t·n + …', '–', n0(s4.computeCausal)],
        ['IV SNN layer', 'bandwidth per new token (row = 1 access)', '2·n_t·n_c + n_inp·(n_t + 2·n_t)', aff(P.tableIvSnn.bandwidth.constant, P.tableIvSnn.bandwidth.perInput), `${aff(s4.bandwidth.constant, s4.bandwidth.perInput)} = ${n0(s4.bandwidth.value)}`],
        ['IV ANN layer', 'footprint (words)', '4d² + 2·d·d_ff', n0(P.tableIvAnn.footprint), n0(a4.footprint)],
        ['IV ANN layer', 'compute', 'n_inp·(12d² + 4·d·d_ff) + n_inp²·d (our fit)', n0(P.tableIvAnn.compute), n0(a4.compute)],
        ['IV ANN layer', 'bandwidth per new token', '4d² + n_inp·(d + d/h) (d/h: our fit)', aff(P.tableIvAnn.bandwidth.constant, P.tableIvAnn.bandwidth.perInput), `${aff(a4.bandwidth.constant, a4.bandwidth.perInput)} = ${n0(a4.bandwidth.value)}`],
      ],
    ),
    `Ratios: compute ANN/SNN ${(a4.compute / s4.compute).toFixed(0)}× (${(a4.compute / s4.computeCausal).toFixed(0)}× with causal pairs); bandwidth ANN/SNN ${(a4.bandwidth.value / s4.bandwidth.value).toFixed(0)}× at n_inp = ${nInp} with rows as one access, ${(a4.bandwidth.value / v4.words).toFixed(0)}× in words; footprint SNN/ANN ${(s4.footprint / a4.footprint).toFixed(2)}× (the SNN layer holds more).`,
    '',
    'Memory-inclusive view: the same layers in joulebench ledgers (inference rules of the LUT workload), table traffic with a row as one access vs in 32-bit words (indices 16-bit)',
    textTable(
      ['layer', 'manifesto', 'unit', 'accesses (row = 1)', 'words (row = n words)', 'all memory words', 'bytes', 'rows', 'cmp', 'AC'],
      [
        ['Table I RNN LUT', n0(v1.paper), 'words', n0(v1.accesses), n0(v1.words), n0(v1.allWords), n0(v1.bytes), n0(v1.traffic.rows), n0(v1.traffic.cmp), n0(v1.traffic.ac)],
        ['Table IV attention LUT', n0(v4.paper), 'accesses', n0(v4.accesses), n0(v4.words), n0(v4.allWords), n0(v4.bytes), n0(v4.traffic.rows), n0(v4.traffic.cmp), n0(v4.traffic.ac)],
      ],
    ),
    `(Table I counts n_t·n row words, so it agrees with the words column; Table IV counts a row of n = ${n} words as one access, ${(v4.words / v4.accesses).toFixed(1)}× fewer than the words a memory delivers. 'all memory words' adds the index-cache write and the residual read-modify-write.)`,
    '',
    'Energy of those layers per token under each profile (the ledgers above; refusals below):',
    textTable(['profile', ...ledgers.map((l) => l.name)], energyRows),
    ...[...reasons].map(([id, rs]) => `${id} refused: ${rs.slice(0, 2).join(' | ')}`),
  ];
}
