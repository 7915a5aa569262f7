// Hopfield networks as workloads with ledgers (issue 8).
//
// Classic (Hopfield 1982): N binary units s ∈ {−1, +1}, weights W = (1/N)·Σ_μ ξ^μ ξ^μᵀ with a zero
// diagonal. The network keeps the integer Hebbian counts C = Σ_μ ξ^μ ξ^μᵀ (W = C/N): the positive
// factor 1/N never changes the sign of a local field, so it is never applied. Because patterns are
// ±1, storing one is N(N−1) additions of ±1 (ACs, the sign chosen by ξ_iξ_j) — the N² MACs of
// Hebbian storage for real-valued patterns. Recall is asynchronous: each sweep visits the units in a
// fresh seeded random order, unit i computes h_i = Σ_{j≠i} C_ij s_j (N−1 ACs: s_j = ±1 selects
// ±C_ij) and takes s_i = sign(h_i), keeping its state when h_i = 0; recall stops after the first
// sweep that changes nothing (a fixed point), or at a cap on sweeps.
//
// Modern (Ramsauer et al. 2020, arXiv:2008.02217): M stored d-dim patterns X = [x^1 … x^M],
// one update ξ ← X·softmax(β·Xᵀξ), then sign (ties keep the probe's bit) to return to a binary
// pattern. For ±1 patterns both products are sign-selected adds: M·d integer ACs for the scores
// Xᵀξ and M·d fp32 ACs for X·p — the 2·M·d MACs of the real-valued update.
import type { SampleSet } from '../../harness/data.js';
import { sampleInput } from '../../harness/data.js';
import { InputError } from '../../core/errors.js';
import type { LayerRules, SampleActivity } from '../../core/ledger.js';
import type { Rng } from '../../core/rng.js';
import { createRng } from '../../core/rng.js';
import type { BrainPhase } from './phase.js';
import { ActivityLog, brainGeometry, phaseLedger, shuffle, stores } from './phase.js';

/** A binary pattern: every entry −1 or +1. */
export type Bipolar = Int8Array;

/** Width of a stored Hebbian count C_ij (|C_ij| ≤ P ≤ 32767). */
export const HEBBIAN_BITS = 16;
/** Width of the local-field and score accumulators. */
export const ACC_BITS = 32;
/** The fp32 width of the softmax and of the modern network's second product. */
export const FP_BITS = 32;
const MAX_PATTERNS = 2 ** (HEBBIAN_BITS - 1) - 1;

// ---------------------------------------------------------------------------------------------
// Classic network

export interface ClassicHopfield {
  readonly n: number;
  /** Patterns stored so far. */
  stored: number;
  /** Hebbian counts C (row-major N×N, zero diagonal); the weights are W = C / N. */
  readonly c: Int16Array;
}

export function createClassic(n: number): ClassicHopfield {
  if (!Number.isInteger(n) || n < 2) throw new InputError(`a Hopfield network needs at least 2 units, got ${n}`);
  return { n, stored: 0, c: new Int16Array(n * n) };
}

/** The weights W = C / N (for inspection; recall uses C). */
export function classicWeights(net: ClassicHopfield): Float64Array {
  return Float64Array.from(net.c, (v) => v / net.n);
}

function checkBipolar(p: Bipolar, n: number, what: string): void {
  if (p.length !== n) throw new InputError(`${what} has ${p.length} entries; the network has ${n} units`);
  for (let i = 0; i < n; i++) if (p[i] !== 1 && p[i] !== -1) throw new InputError(`${what}: entry ${i} is ${p[i]}; patterns are ±1`);
}

/**
 * Hebbian storage of each pattern: C_ij += ξ_i ξ_j for every i ≠ j. Returns the storage phase: per
 * stored pattern N(N−1) ACs of ±1, each a read-modify-write of C_ij, and N + N(N−1) = N² reads of
 * pattern bits (ξ_i once per row, ξ_j once per pair).
 */
export function storeClassic(net: ClassicHopfield, patterns: readonly Bipolar[]): BrainPhase {
  const { n, c } = net;
  if (net.stored + patterns.length > MAX_PATTERNS) throw new InputError(`cannot store ${net.stored + patterns.length} patterns: ${HEBBIAN_BITS}-bit Hebbian counts hold at most ${MAX_PATTERNS}`);
  const log = new ActivityLog(Math.max(1, patterns.length));
  patterns.forEach((p, s) => {
    checkBipolar(p, n, `pattern ${s}`);
    for (let i = 0; i < n; i++) {
      const a = p[i];
      const row = i * n;
      for (let j = 0; j < n; j++) if (j !== i) c[row + j] += a * p[j];
    }
    net.stored++;
    log.add(s, { inputEvents: n, synOps: n * (n - 1) });
  });
  return {
    phase: 'storage',
    per: 'stored pattern',
    ledger: phaseLedger(classicDescriptor(net), patterns.length, [{ name: 'hebbian', geometry: classicGeometry(n), log, rules: CLASSIC_STORAGE_RULES, stores: classicStores(n, false) }]),
  };
}

const syn = (a: SampleActivity) => a.synOps;
const upd = (a: SampleActivity) => a.updates;
const ins = (a: SampleActivity) => a.inputEvents;

const CLASSIC_STORAGE_RULES: LayerRules = {
  compute: [{ op: 'ac', bits: HEBBIAN_BITS, numeric: 'int', purpose: 'plasticity', count: syn }],
  memory: [
    { operand: 'input', action: 'read', bits: 1, count: (a) => a.inputEvents + a.synOps },
    { operand: 'weight', action: 'read', bits: HEBBIAN_BITS, count: syn },
    { operand: 'weight', action: 'write', bits: HEBBIAN_BITS, count: syn },
  ],
  footprint: { weightBits: 0, biasBits: 0, stateBits: 0 },
  neuron: null,
};

/** What a classic layer's memories hold: the pattern or probe (N bits), the N(N−1) Hebbian counts and, in recall, the N unit states. */
function classicStores(n: number, recall: boolean) {
  return stores({ input: [n, 1], weight: [n * (n - 1), HEBBIAN_BITS], ...(recall ? { state: [n, 1] as const } : {}) });
}

function classicGeometry(n: number) {
  // One full sweep reads every off-diagonal weight once: N(N−1) synaptic operations.
  return brainGeometry('hopfield', n, n, { fanIn: n - 1, fanOut: n - 1, weightCount: n * (n - 1), denseSynOps: n * (n - 1) });
}

function classicDescriptor(net: ClassicHopfield) {
  return { id: 'hopfield-classic', family: 'ann' as const, timesteps: 1, params: { units: net.n, stored: net.stored, weights: `int${HEBBIAN_BITS} Hebbian counts`, order: 'asynchronous, seeded random per sweep' } };
}

/**
 * Recall ledger rules, per probe: loading the probe (N input reads, N state writes), then per unit
 * update N−1 ACs with N−1 weight and N−1 state reads, the unit's own old state read, 1 compare
 * (sign of h) and 1 state write, plus 1 address from the random-order generator (an LFSR-style
 * address per update; the software's shuffle itself is not counted).
 */
function classicRecallRules(net: ClassicHopfield): LayerRules {
  const n = net.n;
  return {
    compute: [
      { op: 'ac', bits: ACC_BITS, numeric: 'int', purpose: 'synaptic', count: syn },
      { op: 'cmp', bits: ACC_BITS, numeric: 'int', purpose: 'threshold', count: upd },
      { op: 'index', bits: ACC_BITS, numeric: 'int', purpose: 'order', count: upd },
    ],
    memory: [
      { operand: 'input', action: 'read', bits: 1, count: ins },
      { operand: 'weight', action: 'read', bits: HEBBIAN_BITS, count: syn },
      { operand: 'state', action: 'read', bits: 1, count: (a) => a.synOps + a.updates },
      { operand: 'state', action: 'write', bits: 1, count: (a) => a.inputEvents + a.updates },
    ],
    footprint: { weightBits: n * (n - 1) * HEBBIAN_BITS, biasBits: 0, stateBits: n },
    neuron: null,
  };
}

export interface RecallResult {
  readonly state: Bipolar;
  readonly sweeps: number;
  /** Unit updates performed (sweeps × N). */
  readonly updates: number;
  /** State changes over the whole recall. */
  readonly flips: number;
  /** True when the last sweep changed nothing (a fixed point was reached before the cap). */
  readonly converged: boolean;
  /** The units in the order they were updated, when asked for (tests). */
  readonly trace?: readonly { unit: number; field: number; state: number }[];
}

/** Asynchronous recall from `probe`; each sweep visits all units in a fresh random order from `rng`. */
export function recallClassic(net: ClassicHopfield, probe: Bipolar, rng: Rng, maxSweeps = 100, withTrace = false): RecallResult {
  const { n, c } = net;
  checkBipolar(probe, n, 'probe');
  if (!Number.isInteger(maxSweeps) || maxSweeps < 1) throw new InputError(`the sweep cap must be a positive integer, got ${maxSweeps}`);
  const s = Int8Array.from(probe);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const trace: { unit: number; field: number; state: number }[] = [];
  let sweeps = 0;
  let flips = 0;
  let converged = false;
  while (sweeps < maxSweeps) {
    shuffle(order, rng);
    sweeps++;
    let changed = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const row = i * n;
      let h = 0;
      for (let j = 0; j < n; j++) h += c[row + j] * s[j]; // C_ii = 0: the diagonal adds nothing (not counted)
      const next = h > 0 ? 1 : h < 0 ? -1 : s[i];
      if (next !== s[i]) {
        s[i] = next;
        changed++;
      }
      if (withTrace) trace.push({ unit: i, field: h, state: s[i] });
    }
    flips += changed;
    if (changed === 0) {
      converged = true;
      break;
    }
  }
  return { state: s, sweeps, updates: sweeps * n, flips, converged, ...(withTrace ? { trace } : {}) };
}

/** The recall phase of a set of recalls (one ledger sample per probe). */
export function classicRecallPhase(net: ClassicHopfield, results: readonly RecallResult[]): BrainPhase {
  const n = net.n;
  const log = new ActivityLog(Math.max(1, results.length));
  results.forEach((r, s) => log.add(s, { inputEvents: n, outputEvents: r.flips, synOps: r.updates * (n - 1), updates: r.updates }));
  return {
    phase: 'recall',
    per: 'probe',
    ledger: phaseLedger(classicDescriptor(net), results.length, [{ name: 'recall', geometry: classicGeometry(n), log, rules: classicRecallRules(net), stores: classicStores(n, true) }]),
  };
}

// ---------------------------------------------------------------------------------------------
// Modern network

export interface ModernHopfield {
  readonly d: number;
  readonly beta: number;
  /** Stored patterns, pattern-major (M × d). */
  readonly patterns: readonly Bipolar[];
}

/** Storage is writing each pattern into memory: per pattern d bit reads and d bit writes, no arithmetic. */
export function storeModern(d: number, beta: number, patterns: readonly Bipolar[]): { net: ModernHopfield; storage: BrainPhase } {
  if (!(beta > 0) || !Number.isFinite(beta)) throw new InputError(`--beta must be a positive number, got ${beta}`);
  if (patterns.length < 1) throw new InputError('a modern Hopfield network needs at least one stored pattern');
  patterns.forEach((p, i) => checkBipolar(p, d, `pattern ${i}`));
  const net: ModernHopfield = { d, beta, patterns };
  const log = new ActivityLog(patterns.length);
  patterns.forEach((_, s) => log.add(s, { inputEvents: d }));
  const rules: LayerRules = {
    compute: [],
    memory: [
      { operand: 'input', action: 'read', bits: 1, count: ins },
      { operand: 'weight', action: 'write', bits: 1, count: ins },
    ],
    footprint: { weightBits: 0, biasBits: 0, stateBits: 0 },
    neuron: null,
  };
  return { net, storage: { phase: 'storage', per: 'stored pattern', ledger: phaseLedger(modernDescriptor(net), patterns.length, [{ name: 'memory', geometry: modernGeometry(net), log, rules, stores: stores({ input: [d, 1], weight: [patterns.length * d, 1] }) }]) } };
}

function modernGeometry(net: ModernHopfield) {
  const m = net.patterns.length;
  return brainGeometry('modern-hopfield', net.d, m, { fanIn: net.d, fanOut: m, weightCount: m * net.d, denseSynOps: 2 * m * net.d, neurons: m });
}

function modernDescriptor(net: ModernHopfield) {
  return { id: 'hopfield-modern', family: 'ann' as const, timesteps: 1, params: { dim: net.d, stored: net.patterns.length, beta: net.beta, steps: 1 } };
}

export interface ModernRetrieval {
  readonly state: Bipolar;
  /** softmax(β·Xᵀξ): the attention over stored patterns. */
  readonly p: Float64Array;
  readonly scores: Int32Array;
}

/**
 * One retrieval step ξ ← sign(X·softmax(β·Xᵀξ)), computed as the ledger counts it:
 * pass 1, for each pattern m: score_m = Σ_k x_mk ξ_k (d integer ACs), written;
 * softmax: max over scores (M compares), e_m = exp(β·(score_m − max)) (M subtracts, M multiplies,
 * M exps, M adds into the sum), 1 division 1/sum, p_m = e_m/sum (M multiplies), each stage
 * reading and writing its M-vector once;
 * pass 2, for each dimension k: Σ_m x_mk p_m (M fp32 ACs), sign (1 compare), output bit written.
 */
export function retrieveModern(net: ModernHopfield, probe: Bipolar): ModernRetrieval {
  const { d, beta, patterns } = net;
  checkBipolar(probe, d, 'probe');
  const m = patterns.length;
  const scores = new Int32Array(m);
  for (let mu = 0; mu < m; mu++) {
    const x = patterns[mu];
    let acc = 0;
    for (let k = 0; k < d; k++) acc += x[k] * probe[k];
    scores[mu] = acc;
  }
  let max = -Infinity;
  for (let mu = 0; mu < m; mu++) if (scores[mu] > max) max = scores[mu];
  const p = new Float64Array(m);
  let sum = 0;
  for (let mu = 0; mu < m; mu++) {
    p[mu] = Math.exp(beta * (scores[mu] - max));
    sum += p[mu];
  }
  const inv = 1 / sum;
  for (let mu = 0; mu < m; mu++) p[mu] *= inv;
  const out = new Float64Array(d);
  for (let mu = 0; mu < m; mu++) {
    const x = patterns[mu];
    const pm = p[mu];
    for (let k = 0; k < d; k++) out[k] += x[k] * pm;
  }
  const state = new Int8Array(d);
  for (let k = 0; k < d; k++) state[k] = out[k] > 0 ? 1 : out[k] < 0 ? -1 : probe[k];
  return { state, p, scores };
}

/** Ledger rules of one modern retrieval step (constant per probe; see retrieveModern). */
function modernRecallRules(net: ModernHopfield): LayerRules {
  const m = net.patterns.length;
  const d = net.d;
  const md = m * d;
  const k = (v: number) => () => v;
  return {
    compute: [
      { op: 'ac', bits: ACC_BITS, numeric: 'int', purpose: 'synaptic', count: k(md) },
      { op: 'cmp', bits: ACC_BITS, numeric: 'int', purpose: 'softmax', count: k(m) },
      { op: 'add', bits: FP_BITS, numeric: 'fp', purpose: 'softmax', count: k(2 * m) },
      { op: 'mul', bits: FP_BITS, numeric: 'fp', purpose: 'softmax', count: k(2 * m) },
      { op: 'exp', bits: FP_BITS, numeric: 'fp', purpose: 'softmax', count: k(m) },
      { op: 'div', bits: FP_BITS, numeric: 'fp', purpose: 'softmax', count: k(1) },
      { op: 'ac', bits: FP_BITS, numeric: 'fp', purpose: 'synaptic', count: k(md) },
      { op: 'cmp', bits: FP_BITS, numeric: 'fp', purpose: 'threshold', count: k(d) },
    ],
    memory: [
      { operand: 'weight', action: 'read', bits: 1, count: k(2 * md) },
      { operand: 'input', action: 'read', bits: 1, count: k(md) },
      { operand: 'state', action: 'write', bits: FP_BITS, count: k(3 * m) },
      { operand: 'state', action: 'read', bits: FP_BITS, count: k(3 * m + md) },
      { operand: 'output', action: 'write', bits: 1, count: k(d) },
    ],
    footprint: { weightBits: md, biasBits: 0, stateBits: m * FP_BITS },
    neuron: null,
  };
}

export function modernRecallPhase(net: ModernHopfield, probes: number): BrainPhase {
  const m = net.patterns.length;
  const log = new ActivityLog(Math.max(1, probes));
  for (let s = 0; s < probes; s++) log.add(s, { inputEvents: net.d, outputEvents: net.d, synOps: 2 * m * net.d, updates: m });
  return { phase: 'recall', per: 'probe', ledger: phaseLedger(modernDescriptor(net), probes, [{ name: 'retrieve', geometry: modernGeometry(net), log, rules: modernRecallRules(net), stores: stores({ weight: [m * net.d, 1], input: [net.d, 1], state: [m, FP_BITS], output: [net.d, 1] }) }]) };
}

// ---------------------------------------------------------------------------------------------
// Patterns, noise and scoring

export function randomPattern(n: number, rng: Rng): Bipolar {
  const p = new Int8Array(n);
  for (let i = 0; i < n; i++) p[i] = rng.next() < 0.5 ? -1 : 1;
  return p;
}

/** A copy of `p` with exactly round(fraction·n) entries flipped, chosen without replacement. */
export function corrupt(p: Bipolar, fraction: number, rng: Rng): Bipolar {
  if (!(fraction >= 0 && fraction <= 1)) throw new InputError(`noise must be a fraction in [0, 1], got ${fraction}`);
  const n = p.length;
  const flips = Math.round(fraction * n);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const out = Int8Array.from(p);
  for (let k = 0; k < flips; k++) {
    const j = k + rng.int(n - k);
    const t = idx[k];
    idx[k] = idx[j];
    idx[j] = t;
    out[idx[k]] = -out[idx[k]] as -1 | 1;
  }
  return out;
}

export function hamming(a: Bipolar, b: Bipolar): number {
  let h = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) h++;
  return h;
}

/** Overlap m = (1/N)·Σ a_i b_i ∈ [−1, 1]. */
export function overlap(a: Bipolar, b: Bipolar): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s / a.length;
}

/** True when `original` (index `index` of `stored`) is strictly the nearest stored pattern to `state` in Hamming distance. */
export function nearestIsOriginal(state: Bipolar, stored: readonly Bipolar[], index: number): boolean {
  const own = hamming(state, stored[index]);
  for (let mu = 0; mu < stored.length; mu++) if (mu !== index && hamming(state, stored[mu]) <= own) return false;
  return true;
}

/** Binarises an image: pixel > 0.5 → +1, else −1. */
export function binarise(x: ArrayLike<number>): Bipolar {
  const p = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) p[i] = x[i] > 0.5 ? 1 : -1;
  return p;
}

/**
 * The first `count` images of `set` taken round-robin over classes (the 1st image of class 0, of
 * class 1 … of class 9, then the 2nd of each …), binarised, with their labels.
 */
export function selectPatterns(set: SampleSet, count: number): { patterns: Bipolar[]; labels: number[] } {
  const byClass: number[][] = Array.from({ length: set.classes }, () => []);
  const perClass = Math.ceil(count / set.classes);
  for (let i = 0; i < set.count; i++) {
    const l = set.labels[i];
    if (byClass[l].length < perClass) byClass[l].push(i);
  }
  const patterns: Bipolar[] = [];
  const labels: number[] = [];
  for (let r = 0; r < perClass && patterns.length < count; r++) {
    for (let cl = 0; cl < set.classes && patterns.length < count; cl++) {
      const i = byClass[cl][r];
      if (i === undefined) continue;
      patterns.push(binarise(sampleInput(set, i)));
      labels.push(cl);
    }
  }
  if (patterns.length < count) throw new InputError(`${set.id} has only ${patterns.length} images for ${count} patterns`);
  return { patterns, labels };
}

// ---------------------------------------------------------------------------------------------
// Experiments

export interface CapacityOptions {
  readonly units: number;
  /** Loads P/N to test; P = round(α·N). */
  readonly alphas: readonly number[];
  readonly noise: number;
  /** Probes per load (the first min(P, probes) stored patterns). */
  readonly probes: number;
  readonly seed: number;
  readonly maxSweeps: number;
}

export interface CapacityPoint {
  readonly alpha: number;
  readonly patterns: number;
  readonly probes: number;
  /** Fraction of probed patterns that are exact fixed points (a sweep from the pattern changes nothing). */
  readonly fixedFraction: number;
  /** Fraction recalled from a noisy probe: final overlap with the pattern ≥ RECALL_OVERLAP. */
  readonly recalledFraction: number;
  readonly meanOverlap: number;
  readonly meanSweeps: number;
  readonly recall: BrainPhase;
}

/** Overlap a recall must reach to count as recalled (≤ 5% of bits wrong). */
export const RECALL_OVERLAP = 0.9;

/** Random ±1 patterns at increasing load P/N: exact fixed points and recall from noise (capacity ≈ 0.138·N). */
export function hopfieldCapacity(o: CapacityOptions): CapacityPoint[] {
  return o.alphas.map((alpha, a) => {
    const p = Math.max(1, Math.round(alpha * o.units));
    const rng = createRng(o.seed, 1, a);
    const patterns = Array.from({ length: p }, () => randomPattern(o.units, rng));
    const net = createClassic(o.units);
    storeClassic(net, patterns);
    const probes = Math.min(p, o.probes);
    let fixed = 0;
    let recalled = 0;
    let overlapSum = 0;
    let sweepSum = 0;
    const results: RecallResult[] = [];
    for (let q = 0; q < probes; q++) {
      const self = recallClassic(net, patterns[q], createRng(o.seed, 2, a, q), 1);
      if (self.flips === 0) fixed++;
      const r = recallClassic(net, corrupt(patterns[q], o.noise, createRng(o.seed, 3, a, q)), createRng(o.seed, 4, a, q), o.maxSweeps);
      results.push(r);
      const m = overlap(r.state, patterns[q]);
      overlapSum += m;
      sweepSum += r.sweeps;
      if (m >= RECALL_OVERLAP) recalled++;
    }
    return { alpha, patterns: p, probes, fixedFraction: fixed / probes, recalledFraction: recalled / probes, meanOverlap: overlapSum / probes, meanSweeps: sweepSum / probes, recall: classicRecallPhase(net, results) };
  });
}

export interface CompletionOptions {
  readonly train: SampleSet;
  /** Classic network: numbers of stored images to test. */
  readonly classicPatterns: readonly number[];
  /** Modern network: numbers of stored images to test. */
  readonly modernPatterns: readonly number[];
  readonly noise: number;
  readonly probes: number;
  readonly beta: number;
  readonly seed: number;
  readonly maxSweeps: number;
}

export interface CompletionPoint {
  readonly model: 'classic' | 'modern';
  readonly stored: number;
  readonly probes: number;
  /** Fraction of probes whose recalled state is strictly nearest (Hamming) to the original among the stored patterns. */
  readonly accuracy: number;
  /** Mean fraction of bits of the recalled state that differ from the original. */
  readonly bitError: number;
  /** Mean fraction of bits of the noisy probe that differ from the original (the noise actually applied). */
  readonly probeBitError: number;
  readonly meanSweeps: number;
  /** Mean |overlap| between pairs of stored patterns (classic only; 0 for random patterns, large for images). */
  readonly meanPairOverlap: number | null;
  readonly storage: BrainPhase;
  readonly recall: BrainPhase;
}

/** Mean |(1/N)·ξ^μ·ξ^ν| over pairs μ < ν (null for fewer than 2 patterns). */
export function meanPairOverlap(patterns: readonly Bipolar[]): number | null {
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < patterns.length; a++) {
    for (let b = a + 1; b < patterns.length; b++) {
      sum += Math.abs(overlap(patterns[a], patterns[b]));
      pairs++;
    }
  }
  return pairs === 0 ? null : sum / pairs;
}

/**
 * Completion of noisy binarised images. Probe q corrupts stored pattern q mod P with its own noise
 * stream (seed, q), so classic and modern networks of the same size see the same probes.
 */
export function hopfieldCompletion(o: CompletionOptions): CompletionPoint[] {
  const d = o.train.shape.reduce((a, b) => a * b, 1);
  const largest = Math.max(0, ...o.classicPatterns, ...o.modernPatterns);
  const { patterns: all } = selectPatterns(o.train, largest);
  const probeOf = (stored: number, q: number) => corrupt(all[q % stored], o.noise, createRng(o.seed, 5, q));
  const score = (model: 'classic' | 'modern', stored: number, states: Bipolar[], sweeps: number[], storage: BrainPhase, recall: BrainPhase): CompletionPoint => {
    const patterns = all.slice(0, stored);
    let hits = 0;
    let bits = 0;
    let probeBits = 0;
    states.forEach((s, q) => {
      if (nearestIsOriginal(s, patterns, q % stored)) hits++;
      bits += hamming(s, patterns[q % stored]) / d;
      probeBits += hamming(probeOf(stored, q), patterns[q % stored]) / d;
    });
    const n = states.length;
    const pairOverlap = model === 'classic' ? meanPairOverlap(patterns) : null;
    return { model, stored, probes: n, accuracy: hits / n, bitError: bits / n, probeBitError: probeBits / n, meanSweeps: sweeps.reduce((a, b) => a + b, 0) / n, meanPairOverlap: pairOverlap, storage, recall };
  };
  const points: CompletionPoint[] = [];
  for (const p of o.classicPatterns) {
    const net = createClassic(d);
    const storage = storeClassic(net, all.slice(0, p));
    const results = Array.from({ length: o.probes }, (_, q) => recallClassic(net, probeOf(p, q), createRng(o.seed, 6, q), o.maxSweeps));
    points.push(score('classic', p, results.map((r) => r.state), results.map((r) => r.sweeps), storage, classicRecallPhase(net, results)));
  }
  for (const m of o.modernPatterns) {
    const { net, storage } = storeModern(d, o.beta, all.slice(0, m));
    const states = Array.from({ length: o.probes }, (_, q) => retrieveModern(net, probeOf(m, q)).state);
    points.push(score('modern', m, states, states.map(() => 1), storage, modernRecallPhase(net, o.probes)));
  }
  return points;
}
