// Kohonen's self-organising map (SOM) as a workload with ledgers (issue 8).
//
// M = rows × cols units on a rectangular grid, each with a d-dim fp32 prototype w_m. One training
// step on input x:
//   best-matching unit (BMU): for every unit, ‖x − w_m‖² (d subtracts + d MACs), a running minimum
//   (1 compare per unit; ties go to the lower index);
//   neighbourhood update: h_m = exp(−D²(m, bmu) / (2σ²)) with D the grid distance, truncated at
//   D ≤ cutoff·σ (units further away get h < e^{−cutoff²/2} and are skipped: 1 compare per unit);
//   for the K units inside, w_m += α·h_m·(x − w_m) (d subtracts + d MACs each).
// The learning rate α and the width σ decay exponentially from (α₀, σ₀) at the first training sample
// to (α_end, σ_end) at the last: after each sample α ← α·r_α, σ ← σ·r_σ.
// Learning (BMU search + update, per training sample) and inference (BMU search, per test sample)
// are separate phases. Quality: quantisation error (mean ‖x − w_bmu‖ on test data), topographic
// error (fraction of test inputs whose 1st and 2nd BMUs are not grid neighbours, 8-neighbourhood),
// and accuracy when each unit is labelled by the majority label of the training inputs it wins.
import type { SampleSet } from '../../harness/data.js';
import { sampleInput, sampleSize } from '../../harness/data.js';
import { InputError } from '../../core/errors.js';
import type { LayerRules, SampleActivity } from '../../core/ledger.js';
import { createRng } from '../../core/rng.js';
import type { BrainPhase, PhaseLayer } from './phase.js';
import { ActivityLog, brainGeometry, phaseLedger, shuffle, stores } from './phase.js';

const FP = { bits: 32, numeric: 'fp' } as const;
/** Width of a grid squared distance in the lookup table (D² ≤ (rows−1)² + (cols−1)²). */
export const GRID_LUT_BITS = 8;

export interface Som {
  readonly rows: number;
  readonly cols: number;
  readonly dim: number;
  /** Prototypes, unit-major (M × d), fp32. */
  readonly w: Float32Array;
}

export function createSom(rows: number, cols: number, dim: number, seed: number): Som {
  for (const [k, v] of [['rows', rows], ['cols', cols]] as const) if (!Number.isInteger(v) || v < 1 || v > 64) throw new InputError(`SOM ${k} must be an integer in 1…64, got ${v}`);
  if (rows * cols < 2) throw new InputError('a SOM needs at least 2 units');
  const rng = createRng(seed, 0x50f);
  const w = new Float32Array(rows * cols * dim);
  for (let i = 0; i < w.length; i++) w[i] = rng.next();
  return { rows, cols, dim, w };
}

/** Squared grid distance between units a and b. */
export function gridD2(som: Som, a: number, b: number): number {
  const dy = Math.floor(a / som.cols) - Math.floor(b / som.cols);
  const dx = (a % som.cols) - (b % som.cols);
  return dy * dy + dx * dx;
}

/** 8-neighbourhood adjacency on the grid (a unit is not adjacent to itself). */
export function adjacent(som: Som, a: number, b: number): boolean {
  const dy = Math.abs(Math.floor(a / som.cols) - Math.floor(b / som.cols));
  const dx = Math.abs((a % som.cols) - (b % som.cols));
  return a !== b && dy <= 1 && dx <= 1;
}

export interface BmuResult {
  readonly best: number;
  readonly bestD2: number;
  /** The second-best unit (for the topographic error; tracking it is measurement, not counted). */
  readonly second: number;
  readonly secondD2: number;
}

export function findBmu(som: Som, x: ArrayLike<number>): BmuResult {
  const { dim: d, w } = som;
  const m = som.rows * som.cols;
  let best = -1;
  let bestD2 = Infinity;
  let second = -1;
  let secondD2 = Infinity;
  for (let u = 0; u < m; u++) {
    const o = u * d;
    let acc = 0;
    for (let k = 0; k < d; k++) {
      const diff = x[k] - w[o + k];
      acc += diff * diff;
    }
    if (acc < bestD2) {
      second = best;
      secondD2 = bestD2;
      best = u;
      bestD2 = acc;
    } else if (acc < secondD2) {
      second = u;
      secondD2 = acc;
    }
  }
  return { best, bestD2, second, secondD2 };
}

/** Neighbourhood update around `bmu`: returns K, the number of units updated. */
export function updateSom(som: Som, x: ArrayLike<number>, bmu: number, alpha: number, sigma: number, cutoff: number): number {
  const { dim: d, w } = som;
  const m = som.rows * som.cols;
  const s2 = sigma * sigma;
  const r2 = cutoff * cutoff * s2;
  const c = 0.5 / s2;
  let k = 0;
  for (let u = 0; u < m; u++) {
    const d2 = gridD2(som, bmu, u); // a row of the M × M grid-distance table
    if (d2 > r2) continue;
    k++;
    const g = alpha * Math.exp(-d2 * c);
    const o = u * d;
    for (let i = 0; i < d; i++) w[o + i] += g * (x[i] - w[o + i]);
  }
  return k;
}

export interface SomSchedule {
  readonly alpha0: number;
  readonly alphaEnd: number;
  readonly sigma0: number;
  readonly sigmaEnd: number;
  /** Neighbourhood truncation radius in units of σ. */
  readonly cutoff: number;
}

export const DEFAULT_SCHEDULE: SomSchedule = { alpha0: 0.5, alphaEnd: 0.01, sigma0: 5, sigmaEnd: 0.5, cutoff: 3 };

function checkSchedule(s: SomSchedule): void {
  for (const k of ['alpha0', 'alphaEnd', 'sigma0', 'sigmaEnd', 'cutoff'] as const) {
    if (!(s[k] > 0) || !Number.isFinite(s[k])) throw new InputError(`SOM ${k} must be a positive number, got ${s[k]}`);
  }
  if (s.alpha0 > 1 || s.alphaEnd > 1) throw new InputError(`SOM learning rates must be at most 1, got ${s.alpha0} → ${s.alphaEnd}`);
}

const M_OF = (som: Som) => som.rows * som.cols;

/** BMU-search rules per input: M·d subtracts and MACs, reads of every prototype and input element, M compares, the BMU index written. */
function bmuRules(som: Som): LayerRules {
  const m = M_OF(som);
  const md = m * som.dim;
  return {
    compute: [
      { op: 'add', ...FP, purpose: 'distance', count: () => md },
      { op: 'mac', ...FP, purpose: 'synaptic', count: () => md },
      { op: 'cmp', ...FP, purpose: 'bmu', count: () => m },
    ],
    memory: [
      { operand: 'weight', action: 'read', bits: 32, count: () => md },
      { operand: 'input', action: 'read', bits: 32, count: () => md },
      { operand: 'output', action: 'write', bits: 32, count: () => 1 },
    ],
    footprint: { weightBits: md * 32, biasBits: 0, stateBits: 0 },
    neuron: null,
  };
}

/**
 * Update rules per training input, K = updated units (the sample's `updates`): the schedule
 * (α, σ decays, σ², the cutoff radius², 1/(2σ²): 4 multiplies and 1 division), a grid-distance table
 * row read and 1 cutoff compare per unit, then per updated unit 2 multiplies and 1 exp (h, α·h), and
 * per updated weight 1 subtract, 1 MAC, a weight read-modify-write and an input read.
 */
function updateRules(som: Som): LayerRules {
  const m = M_OF(som);
  const kd = (a: SampleActivity) => a.synOps;
  const k = (a: SampleActivity) => a.updates;
  return {
    compute: [
      { op: 'mul', ...FP, purpose: 'schedule', count: () => 4 },
      { op: 'div', ...FP, purpose: 'schedule', count: () => 1 },
      { op: 'cmp', ...FP, purpose: 'neighbourhood', count: () => m },
      { op: 'mul', ...FP, purpose: 'neighbourhood', count: (a) => 2 * a.updates },
      { op: 'exp', ...FP, purpose: 'neighbourhood', count: k },
      { op: 'add', ...FP, purpose: 'plasticity', count: kd },
      { op: 'mac', ...FP, purpose: 'plasticity', count: kd },
    ],
    memory: [
      { operand: 'lut_row', action: 'read', bits: GRID_LUT_BITS, count: () => m },
      { operand: 'weight', action: 'read', bits: 32, count: kd },
      { operand: 'input', action: 'read', bits: 32, count: kd },
      { operand: 'weight', action: 'write', bits: 32, count: kd },
    ],
    // the prototypes are counted once, in the BMU layer; the state here is the M × M grid-distance table
    footprint: { weightBits: 0, biasBits: 0, stateBits: m * m * GRID_LUT_BITS },
    neuron: null,
  };
}

function somDescriptor(som: Som, schedule: SomSchedule | null) {
  return {
    id: 'som',
    family: 'ann' as const,
    timesteps: 1,
    params: { rows: som.rows, cols: som.cols, dim: som.dim, ...(schedule ? { ...schedule } : {}), neighbourhood: 'gaussian, truncated' },
  };
}

/** What the BMU search's memories hold: the M × d prototypes, the input (d values), the BMU index. */
const bmuStores = (som: Som) => stores({ weight: [M_OF(som) * som.dim, 32], input: [som.dim, 32], output: [1, 32] });
const bmuGeometry = (som: Som) => brainGeometry('som', som.dim, M_OF(som));
const updateGeometry = (som: Som) => brainGeometry('som-update', som.dim, M_OF(som));

/** Trains on `inputs` (each a d-vector) in order; returns the learning phase (one ledger sample per input). */
export function trainSom(som: Som, inputs: readonly ArrayLike<number>[], schedule: SomSchedule = DEFAULT_SCHEDULE): BrainPhase {
  checkSchedule(schedule);
  const n = inputs.length;
  if (n < 1) throw new InputError('SOM training needs at least one sample');
  const steps = Math.max(1, n - 1);
  const ra = (schedule.alphaEnd / schedule.alpha0) ** (1 / steps);
  const rs = (schedule.sigmaEnd / schedule.sigma0) ** (1 / steps);
  let alpha = schedule.alpha0;
  let sigma = schedule.sigma0;
  const bmuLog = new ActivityLog(n);
  const updLog = new ActivityLog(n);
  const m = M_OF(som);
  const d = som.dim;
  inputs.forEach((x, s) => {
    if (x.length !== d) throw new InputError(`SOM input ${s} has ${x.length} values; the map has ${d}`);
    const { best } = findBmu(som, x);
    const k = updateSom(som, x, best, alpha, sigma, schedule.cutoff);
    alpha *= ra;
    sigma *= rs;
    bmuLog.add(s, { inputEvents: d, outputEvents: 1, synOps: m * d, updates: m });
    updLog.add(s, { inputEvents: d, outputEvents: k, synOps: k * d, updates: k });
  });
  const layers: PhaseLayer[] = [
    { name: 'bmu-search', geometry: bmuGeometry(som), log: bmuLog, rules: bmuRules(som), stores: bmuStores(som) },
    { name: 'neighbourhood-update', geometry: updateGeometry(som), log: updLog, rules: updateRules(som), stores: stores({ lut_row: [M_OF(som) * M_OF(som), GRID_LUT_BITS], weight: [M_OF(som) * som.dim, 32], input: [som.dim, 32] }) },
  ];
  return { phase: 'learning', per: 'training image', ledger: phaseLedger(somDescriptor(som, schedule), n, layers) };
}

/** The inference phase: one BMU search per input. */
export function somInferencePhase(som: Som, samples: number): BrainPhase {
  const log = new ActivityLog(Math.max(1, samples));
  const m = M_OF(som);
  for (let s = 0; s < samples; s++) log.add(s, { inputEvents: som.dim, outputEvents: 1, synOps: m * som.dim, updates: m });
  return { phase: 'inference', per: 'test image', ledger: phaseLedger(somDescriptor(som, null), samples, [{ name: 'bmu-search', geometry: bmuGeometry(som), log, rules: bmuRules(som), stores: bmuStores(som) }]) };
}

export interface SomQuality {
  readonly quantisationError: number;
  readonly topographicError: number;
  /** Accuracy with units labelled by majority vote; null without labels. */
  readonly accuracy: number;
  /** Units that won no labelling input (their test inputs count as wrong). */
  readonly unlabelledUnits: number;
}

/** Majority label of the inputs each unit wins (−1: won none; ties go to the lower label). */
export function labelUnits(som: Som, set: SampleSet, count: number): Int32Array {
  const m = M_OF(som);
  const votes = new Int32Array(m * set.classes);
  for (let i = 0; i < count; i++) votes[findBmu(som, sampleInput(set, i)).best * set.classes + set.labels[i]]++;
  const labels = new Int32Array(m).fill(-1);
  for (let u = 0; u < m; u++) {
    let top = 0;
    for (let c = 0; c < set.classes; c++) {
      const v = votes[u * set.classes + c];
      if (v > top) {
        top = v;
        labels[u] = c;
      }
    }
  }
  return labels;
}

export function evaluateSom(som: Som, test: SampleSet, count: number, unitLabels: Int32Array): SomQuality {
  let qe = 0;
  let te = 0;
  let correct = 0;
  for (let i = 0; i < count; i++) {
    const r = findBmu(som, sampleInput(test, i));
    qe += Math.sqrt(r.bestD2);
    if (!adjacent(som, r.best, r.second)) te++;
    if (unitLabels[r.best] === test.labels[i]) correct++;
  }
  let unlabelled = 0;
  for (const l of unitLabels) if (l < 0) unlabelled++;
  return { quantisationError: qe / count, topographicError: te / count, accuracy: correct / count, unlabelledUnits: unlabelled };
}

export interface SomExperimentOptions {
  readonly train: SampleSet;
  readonly test: SampleSet;
  readonly rows: number;
  readonly cols: number;
  readonly trainSamples: number;
  readonly testSamples: number;
  readonly schedule: SomSchedule;
  readonly seed: number;
}

export interface SomExperiment {
  readonly som: Som;
  readonly quality: SomQuality;
  /** Quality of the untrained (random) map, for reference. */
  readonly untrained: SomQuality;
  readonly learning: BrainPhase;
  readonly inference: BrainPhase;
  readonly trainSamples: number;
  readonly testSamples: number;
}

/**
 * Trains a map on the first `trainSamples` training images (in a seeded random order), labels its
 * units with the same images, and evaluates the first `testSamples` test images.
 */
export function somExperiment(o: SomExperimentOptions): SomExperiment {
  const nTrain = Math.min(o.trainSamples, o.train.count);
  const nTest = Math.min(o.testSamples, o.test.count);
  if (nTrain < 1 || nTest < 1) throw new InputError('the SOM needs at least one training and one test sample');
  const som = createSom(o.rows, o.cols, sampleSize(o.train), o.seed);
  const untrained = evaluateSom(som, o.test, nTest, labelUnits(som, o.train, nTrain));
  const order = Int32Array.from({ length: nTrain }, (_, i) => i);
  shuffle(order, createRng(o.seed, 0x50e));
  const learning = trainSom(som, Array.from(order, (i) => sampleInput(o.train, i)), o.schedule);
  const quality = evaluateSom(som, o.test, nTest, labelUnits(som, o.train, nTrain));
  return { som, quality, untrained, learning, inference: somInferencePhase(som, nTest), trainSamples: nTrain, testSamples: nTest };
}
