// Unsupervised STDP learning of MNIST features, Diehl & Cook style (Front. Comput. Neurosci. 2015),
// as a workload with separate learning and inference ledgers (issue 8).
//
// Network: C = 784 Poisson inputs (rate = pixel × intensity, 63.75 Hz at full intensity) → N
// excitatory LIF neurons, all-to-all with plastic weights w ∈ [0, w_max], adaptive thresholds and
// lateral inhibition. Time step dt = 1 ms; each image is presented for T = 350 steps; between images
// every potential, current, trace and refractory counter is reset (the 150 ms rest of the original,
// which lets them decay to ≈ 0). If an image draws fewer than 5 spikes, it is presented again at
// +32 Hz intensity (at most `maxPresentations` times), as in the original.
//
// Simplifications against the original (documented, deliberate): current-based synapses (an input
// spike adds w straight into the target's input current for that step) instead of conductances; the
// inhibitory population folded into direct lateral inhibition (each excitatory spike subtracts
// `inhibition` mV from every other excitatory neuron at the next step, as BindsNET's
// DiehlAndCook2015v2, with a stronger default: see DEFAULT_STDP); pair-based STDP with additive traces in the post-pre form (BindsNET's PostPre):
// a presynaptic spike depresses w_ij by η_pre·y_j, a postsynaptic spike potentiates it by η_post·x_i.
//
// One step t, in order:
//   1. encoding: every input with a nonzero pixel draws a Bernoulli spike with p = rate·dt;
//   2. (learning) trace decay: x_i ← x_i·e^{−dt/τ_pre}, y_j ← y_j·e^{−dt/τ_post};
//   3. input spikes: for each, cur_j += w_ij for every neuron j (synaptic ACs);
//      (learning) then w_ij ← max(0, w_ij − η_pre·y_j) for every j, and x_i += 1;
//   4. neuron update, every neuron: u_j ← u_j·e^{−dt/τ_m} + (refractory ? 0 : cur_j), cur_j ← 0,
//      (learning) θ_j ← θ_j·e^{−dt/τ_θ}; spike when not refractory and u_j > u_th + θ_j; then
//      u_j ← u_reset, refractory for the next `refractory` steps, (learning) θ_j += θ₊;
//   5. (learning) each post spike: w_ij ← min(w_max, w_ij + η_post·x_i) for every input i, y_j += 1;
//   6. each post spike subtracts `inhibition` from cur_k of every other neuron k (felt at step t+1).
// Potentials are relative to rest (u = v − v_rest): rest −65 mV, reset −60 mV, threshold −52 mV.
// Learning also normalises each neuron's incoming weights to sum to `normTotal` before each
// presentation. After learning, θ is frozen; each neuron is labelled with the class for which its
// mean spike count over labelling images is highest (never firing: unlabelled), and a test image
// is classified as the class whose labelled neurons have the highest mean spike count.
import type { SampleSet } from '../../harness/data.js';
import { sampleInput, sampleSize } from '../../harness/data.js';
import { InputError } from '../../core/errors.js';
import type { ComputeRule, LayerRules, SampleActivity } from '../../core/ledger.js';
import type { Rng } from '../../core/rng.js';
import { createRng } from '../../core/rng.js';
import type { LifSpec } from '../../harness/neurons.js';
import { LifPopulation, decayPerStep } from '../../harness/neurons.js';
import type { BrainPhase, PhaseLayer } from './phase.js';
import { ActivityLog, brainGeometry, phaseLedger, stores } from './phase.js';

export interface StdpParams {
  readonly neurons: number;
  /** Presentation length in 1 ms steps. */
  readonly steps: number;
  /** Input rate of a full-intensity pixel (Hz) at the first presentation. */
  readonly intensityHz: number;
  /** Rate added per repeated presentation (Hz). */
  readonly intensityStepHz: number;
  /** Output spikes an image must draw before it is not presented again. */
  readonly minSpikes: number;
  readonly maxPresentations: number;
  readonly tauMembraneMs: number;
  /** Reset and threshold potentials relative to rest (mV). */
  readonly uReset: number;
  readonly uThreshold: number;
  readonly refractoryMs: number;
  readonly thetaPlus: number;
  readonly tauThetaMs: number;
  /** Lateral inhibition (mV) each excitatory spike subtracts from every other neuron. */
  readonly inhibition: number;
  readonly tauPreMs: number;
  readonly tauPostMs: number;
  readonly etaPre: number;
  readonly etaPost: number;
  readonly wMax: number;
  /** Initial weights are uniform in [0, wInit). */
  readonly wInit: number;
  /** Sum each neuron's incoming weights is normalised to (78 for 784 inputs in the original). */
  readonly normTotal: number;
}

export const DEFAULT_STDP: StdpParams = {
  neurons: 100,
  steps: 350,
  intensityHz: 63.75,
  intensityStepHz: 32,
  minSpikes: 5,
  maxPresentations: 5,
  tauMembraneMs: 100,
  uReset: 5,
  uThreshold: 13,
  refractoryMs: 5,
  thetaPlus: 0.05,
  tauThetaMs: 1e7,
  // 17.5 mV (BindsNET's DiehlAndCook2015v2) leaves the winner-take-all too soft at this reduced scale:
  // on a validation split (training images 55000–55999; 5000 learning images) 17.5, 30, 60 and 100 mV
  // gave 63.9%, 72.0%, 79.9% and 78.5%.
  inhibition: 60,
  tauPreMs: 20,
  tauPostMs: 20,
  etaPre: 1e-4,
  etaPost: 1e-2,
  wMax: 1,
  wInit: 0.3,
  normTotal: 78,
};

/** The time step (ms): the workload's times are in ms, so dt/τ is exactly 1/τ. */
export const STDP_DT_MS = 1;

/**
 * The excitatory neurons as a harness/neurons.ts LIF population (potentials relative to rest, times
 * in ms): an input spike's weight is a charge added after the leak (exact decay e^{−dt/τ_m}); while
 * refractory the potential leaks and input is dropped; θ adapts (+θ₊ per spike, decay e^{−dt/τ_θ}).
 */
export function excitatoryNeuron(p: StdpParams): LifSpec {
  return {
    tau: p.tauMembraneMs,
    dt: STDP_DT_MS,
    discretization: 'exact',
    input: 'charge',
    rest: 0,
    threshold: p.uThreshold,
    reset: p.uReset,
    refractory: p.refractoryMs,
    refractoryCountsSpikeStep: false,
    duringRefractory: 'leak',
    adaptation: { increment: p.thetaPlus, tau: p.tauThetaMs },
  };
}

const FP = { bits: 32, numeric: 'fp' } as const;
const INT = { bits: 32, numeric: 'int' } as const;
/** Width of a spike event (an input or neuron address) in an event queue. */
export const SPIKE_BITS = 16;
/** Width of a pixel intensity read by the encoder. */
export const PIXEL_BITS = 8;

// ---------------------------------------------------------------------------------------------
// Plastic synapses: weights and pair-based traces

/** C × N plastic synapses, pre-major (w[i·N + j] joins input i to neuron j), with one trace per pre and per post neuron. */
export class StdpSynapses {
  readonly x: Float64Array;
  readonly y: Float64Array;
  private readonly ax: number;
  private readonly ay: number;
  constructor(
    readonly c: number,
    readonly n: number,
    readonly w: Float32Array,
    private readonly p: Pick<StdpParams, 'tauPreMs' | 'tauPostMs' | 'etaPre' | 'etaPost' | 'wMax' | 'normTotal'>,
  ) {
    if (w.length !== c * n) throw new Error(`StdpSynapses: ${w.length} weights for ${c} × ${n}`);
    this.x = new Float64Array(c);
    this.y = new Float64Array(n);
    this.ax = decayPerStep(p.tauPreMs, STDP_DT_MS);
    this.ay = decayPerStep(p.tauPostMs, STDP_DT_MS);
  }
  /** One 1 ms step of trace decay: C + N multiplies. */
  decay(): void {
    const { x, y, ax, ay } = this;
    for (let i = 0; i < x.length; i++) x[i] *= ax;
    for (let j = 0; j < y.length; j++) y[j] *= ay;
  }
  /** A presynaptic spike of input i: w_ij ← max(0, w_ij − η_pre·y_j) for every j (N read-modify-writes), then x_i += 1. */
  pre(i: number): void {
    const { w, y, n } = this;
    const eta = this.p.etaPre;
    const o = i * n;
    for (let j = 0; j < n; j++) {
      const v = w[o + j] - eta * y[j];
      w[o + j] = v < 0 ? 0 : v;
    }
    this.x[i] += 1;
  }
  /** A postsynaptic spike of neuron j: w_ij ← min(w_max, w_ij + η_post·x_i) for every i (C read-modify-writes), then y_j += 1. */
  post(j: number): void {
    const { w, x, n, c } = this;
    const eta = this.p.etaPost;
    const wMax = this.p.wMax;
    for (let i = 0; i < c; i++) {
      const v = w[i * n + j] + eta * x[i];
      w[i * n + j] = v > wMax ? wMax : v;
    }
    this.y[j] += 1;
  }
  /** Scales each neuron's incoming weights to sum to normTotal (a neuron whose weights are all 0 stays 0). */
  normalise(): void {
    const { w, n, c } = this;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < c; i++) s += w[i * n + j];
      const f = s > 0 ? this.p.normTotal / s : 0;
      for (let i = 0; i < c; i++) w[i * n + j] *= f;
    }
  }
  reset(): void {
    this.x.fill(0);
    this.y.fill(0);
  }
}

// ---------------------------------------------------------------------------------------------
// Ledger rules (functions of one image's activity; see the step list at the top)

/** Presentations of an image, from a layer whose `updates` are (presentations × T × per-step units). */
const presentations = (a: SampleActivity, perStep: number, steps: number) => a.updates / (perStep * steps);

/**
 * Poisson encoder, per image: a pixel read and a compare per Bernoulli draw (only nonzero pixels
 * draw; the random-number generator itself is not counted), one event written per input spike.
 * Activity: inputEvents = draws, outputEvents = input spikes; no synaptic ops and no neuron updates
 * (an encoder has no state), so models that price updates do not take draws for neurons.
 */
function encoderRules(): LayerRules {
  return {
    compute: [{ op: 'cmp', ...FP, purpose: 'encoding', count: (a) => a.inputEvents }],
    memory: [
      { operand: 'input', action: 'read', bits: PIXEL_BITS, count: (a) => a.inputEvents },
      { operand: 'output', action: 'write', bits: SPIKE_BITS, count: (a) => a.outputEvents },
    ],
    footprint: { weightBits: 0, biasBits: 0, stateBits: 0 },
    neuron: null,
  };
}

/**
 * Excitatory layer, per image. Activity: inputEvents = E input spikes, outputEvents = O neuron spikes,
 * synOps = E·N, updates = presentations·T·N. Per input spike and target: 1 AC, a weight read, a
 * current read-modify-write; per neuron spike: N − 1 inhibitory ACs into the other currents; per
 * neuron update: leak multiply, current add, threshold add (u_th + θ) and compare, refractory
 * compare, reads of u, cur, θ and the refractory counter, writes of u and cur (cleared); per spike:
 * the refractory counter and the event written. Per presentation: N potentials, currents and
 * refractory counters reset, and 1 compare of the spike total against minSpikes. Learning adds
 * θ's decay (1 multiply and 1 write per update) and its increase (1 add and 1 write per spike).
 */
function excitatoryRules(p: StdpParams, c: number, learning: boolean): LayerRules {
  const n = p.neurons;
  const pres = (a: SampleActivity) => presentations(a, n, p.steps);
  const inhibitory = (a: SampleActivity) => a.outputEvents * (n - 1);
  const compute: ComputeRule[] = [
    { op: 'ac', ...FP, purpose: 'synaptic', count: (a) => a.synOps },
    { op: 'ac', ...FP, purpose: 'inhibition', count: inhibitory },
    { op: 'mul', ...FP, purpose: 'leak', count: (a) => a.updates },
    { op: 'add', ...FP, purpose: 'current', count: (a) => a.updates },
    { op: 'add', ...FP, purpose: 'threshold', count: (a) => a.updates },
    { op: 'cmp', ...FP, purpose: 'threshold', count: (a) => a.updates },
    { op: 'cmp', ...INT, purpose: 'refractory', count: (a) => a.updates },
    { op: 'cmp', ...INT, purpose: 'intensity', count: pres },
  ];
  if (learning) compute.push({ op: 'mul', ...FP, purpose: 'adaptation', count: (a) => a.updates }, { op: 'add', ...FP, purpose: 'adaptation', count: (a) => a.outputEvents });
  const rmw = (a: SampleActivity) => a.synOps + inhibitory(a) + a.updates;
  return {
    compute,
    memory: [
      { operand: 'input', action: 'read', bits: SPIKE_BITS, count: (a) => a.inputEvents },
      { operand: 'weight', action: 'read', bits: 32, count: (a) => a.synOps },
      { operand: 'current', action: 'read', bits: 32, count: rmw },
      { operand: 'current', action: 'write', bits: 32, count: (a) => rmw(a) + n * pres(a) },
      { operand: 'potential', action: 'read', bits: 32, count: (a) => a.updates },
      { operand: 'potential', action: 'write', bits: 32, count: (a) => a.updates + n * pres(a) },
      { operand: 'state', action: 'read', bits: 32, count: (a) => 2 * a.updates },
      { operand: 'state', action: 'write', bits: 32, count: (a) => a.outputEvents + n * pres(a) + (learning ? a.updates + a.outputEvents : 0) },
      { operand: 'output', action: 'write', bits: SPIKE_BITS, count: (a) => a.outputEvents },
    ],
    // the C × N plastic weights; per neuron u, cur, θ and the refractory counter
    footprint: { weightBits: c * n * 32, biasBits: 0, stateBits: n * 4 * 32 },
    neuron: 'lif',
  };
}

/**
 * Plasticity, per training image. Activity: inputEvents = E pre spikes, outputEvents = O post spikes,
 * synOps = weight updates E·N + O·C, updates = trace decays presentations·T·(C + N). Per weight
 * update: a trace read, 1 MAC (w ± η·trace), 1 clip compare, a weight read-modify-write; per trace
 * decay: 1 multiply and a read-modify-write; per spike: its trace incremented (1 add, RMW). Per
 * presentation: the C + N traces reset, and the weights normalised (per neuron C adds and C reads
 * for the sum, 1 division, C multiplies with C reads and writes). The traces are operand 'trace'. Their
 * decay is clock-driven: a multiply by the constant e^{−dt/τ} (computed once per run, not counted), so
 * no EXP per step; an event-driven implementation would pay 1 EXP per trace per event instead (lazy
 * decay from the last update, workloads.md §2.4).
 */
function plasticityRules(p: StdpParams, c: number): LayerRules {
  const n = p.neurons;
  const pres = (a: SampleActivity) => presentations(a, c + n, p.steps);
  const events = (a: SampleActivity) => a.inputEvents + a.outputEvents;
  return {
    compute: [
      { op: 'mul', ...FP, purpose: 'trace-decay', count: (a) => a.updates },
      { op: 'add', ...FP, purpose: 'trace', count: events },
      { op: 'mac', ...FP, purpose: 'plasticity', count: (a) => a.synOps },
      { op: 'cmp', ...FP, purpose: 'clip', count: (a) => a.synOps },
      { op: 'add', ...FP, purpose: 'normalisation', count: (a) => c * n * pres(a) },
      { op: 'div', ...FP, purpose: 'normalisation', count: (a) => n * pres(a) },
      { op: 'mul', ...FP, purpose: 'normalisation', count: (a) => c * n * pres(a) },
    ],
    memory: [
      { operand: 'weight', action: 'read', bits: 32, count: (a) => a.synOps + 2 * c * n * pres(a) },
      { operand: 'weight', action: 'write', bits: 32, count: (a) => a.synOps + c * n * pres(a) },
      { operand: 'trace', action: 'read', bits: 32, count: (a) => a.synOps + a.updates + events(a) },
      { operand: 'trace', action: 'write', bits: 32, count: (a) => a.updates + events(a) + (c + n) * pres(a) },
    ],
    footprint: { weightBits: 0, biasBits: 0, stateBits: (c + n) * 32 },
    neuron: null,
  };
}

/**
 * Read-out, per inference image: each neuron spike increments its counter (1 integer add, RMW);
 * per image the N counters are read and summed into their class (N adds), each class sum is scaled by
 * 1/(neurons in the class) (1 multiply) and the largest taken (1 compare per class); counters reset.
 * Activity: inputEvents = O, updates = N.
 */
function readoutRules(classes: number): LayerRules {
  return {
    compute: [
      { op: 'add', ...INT, purpose: 'readout', count: (a) => a.inputEvents + a.updates },
      { op: 'mul', ...FP, purpose: 'readout', count: () => classes },
      { op: 'cmp', ...FP, purpose: 'readout', count: () => classes },
    ],
    memory: [
      { operand: 'state', action: 'read', bits: 32, count: (a) => a.inputEvents + a.updates },
      { operand: 'state', action: 'write', bits: 32, count: (a) => a.inputEvents + a.updates },
      { operand: 'output', action: 'write', bits: 32, count: () => 1 },
    ],
    footprint: { weightBits: 0, biasBits: 0, stateBits: 0 },
    neuron: null,
  };
}

// ---------------------------------------------------------------------------------------------
// The network

export interface StdpNetwork {
  readonly params: StdpParams;
  readonly inputs: number;
  readonly syn: StdpSynapses;
  /** Adaptive threshold offsets θ_j (mV). */
  readonly theta: Float64Array;
}

function checkParams(p: StdpParams): void {
  if (!Number.isInteger(p.neurons) || p.neurons < 1 || p.neurons > 4000) throw new InputError(`--neurons must be an integer in 1…4000, got ${p.neurons}`);
  if (!Number.isInteger(p.steps) || p.steps < 1 || p.steps > 10000) throw new InputError(`the presentation must be an integer in 1…10000 steps, got ${p.steps}`);
  if (!Number.isInteger(p.maxPresentations) || p.maxPresentations < 1) throw new InputError(`maxPresentations must be a positive integer, got ${p.maxPresentations}`);
  for (const k of ['intensityHz', 'tauMembraneMs', 'tauPreMs', 'tauPostMs', 'tauThetaMs', 'wMax', 'normTotal'] as const) {
    if (!(p[k] > 0) || !Number.isFinite(p[k])) throw new InputError(`STDP ${k} must be a positive number, got ${p[k]}`);
  }
  for (const k of ['etaPre', 'etaPost', 'thetaPlus', 'inhibition', 'wInit', 'intensityStepHz', 'refractoryMs'] as const) {
    if (!(p[k] >= 0) || !Number.isFinite(p[k])) throw new InputError(`STDP ${k} must be a non-negative number, got ${p[k]}`);
  }
}

export function createStdpNetwork(inputs: number, p: StdpParams, seed: number): StdpNetwork {
  checkParams(p);
  const rng = createRng(seed, 0x57d9);
  const w = new Float32Array(inputs * p.neurons);
  for (let i = 0; i < w.length; i++) w[i] = rng.next() * p.wInit;
  return { params: p, inputs, syn: new StdpSynapses(inputs, p.neurons, w, p), theta: new Float64Array(p.neurons) };
}

/** A presentation's input: pixel intensities in [0, 1] and the stream its Poisson spikes draw from. */
export interface InputSource {
  readonly pixels: ArrayLike<number>;
  readonly rng: Rng;
}

export interface PresentationLogs {
  readonly encoder: ActivityLog;
  readonly excitatory: ActivityLog;
  readonly plasticity: ActivityLog | null;
}

interface Scratch {
  /** The excitatory neurons (u, refractory counters; θ is the network's). */
  readonly lif: LifPopulation;
  readonly cur: Float64Array;
  readonly counts: Int32Array;
}

function scratch(net: StdpNetwork): Scratch {
  const n = net.params.neurons;
  return { lif: new LifPopulation(excitatoryNeuron(net.params), n, net.theta), cur: new Float64Array(n), counts: new Int32Array(n) };
}

/**
 * One presentation of T steps at `rateHz` (full-intensity pixel). Adds the neurons' spike counts to
 * `s.counts`, the activity to `logs` (sample `sample`) and returns the spikes drawn.
 */
function presentOnce(net: StdpNetwork, src: InputSource, rateHz: number, learn: boolean, s: Scratch, logs: PresentationLogs, sample: number): number {
  const p = net.params;
  const { syn, inputs: c } = net;
  const n = p.neurons;
  const w = syn.w;
  const lif = s.lif;
  lif.reset();
  s.cur.fill(0);
  if (learn) {
    syn.reset();
    syn.normalise();
  }
  const active: number[] = [];
  const prob: number[] = [];
  for (let i = 0; i < c; i++) {
    if (src.pixels[i] > 0) {
      active.push(i);
      prob.push(src.pixels[i] * rateHz * 1e-3);
    }
  }
  const draws = active.length;
  let total = 0;
  const spikesIn: number[] = [];
  const spikesOut: number[] = [];
  for (let t = 0; t < p.steps; t++) {
    // 1. encoding
    spikesIn.length = 0;
    for (let k = 0; k < draws; k++) if (src.rng.next() < prob[k]) spikesIn.push(active[k]);
    // 2. trace decay
    if (learn) syn.decay();
    // 3. input spikes
    for (const i of spikesIn) {
      const o = i * n;
      for (let j = 0; j < n; j++) s.cur[j] += w[o + j];
      if (learn) syn.pre(i);
    }
    // 4. neuron update
    spikesOut.length = 0;
    lif.stepAll(s.cur, learn, spikesOut);
    s.cur.fill(0);
    // 5. potentiation, 6. lateral inhibition felt at the next step
    for (const j of spikesOut) {
      if (learn) syn.post(j);
      s.counts[j]++;
      for (let k = 0; k < n; k++) if (k !== j) s.cur[k] -= p.inhibition;
    }
    total += spikesOut.length;
    const e = spikesIn.length;
    const o = spikesOut.length;
    logs.encoder.add(sample, { inputEvents: draws, outputEvents: e }, t);
    logs.excitatory.add(sample, { inputEvents: e, outputEvents: o, synOps: e * n, updates: n }, t);
    logs.plasticity?.add(sample, { inputEvents: e, outputEvents: o, synOps: e * n + o * c, updates: c + n }, t);
  }
  for (const log of [logs.encoder, logs.excitatory, logs.plasticity]) log?.addSteps(sample, p.steps);
  return total;
}

export interface PresentResult {
  readonly counts: Int32Array;
  readonly presentations: number;
}

/** Presents an image until it draws `minSpikes` spikes or `maxPresentations` is reached, raising the intensity each time. */
export function present(net: StdpNetwork, src: (presentation: number) => InputSource, learn: boolean, logs: PresentationLogs, sample: number): PresentResult {
  const p = net.params;
  const s = scratch(net);
  let k = 0;
  for (;;) {
    s.counts.fill(0);
    const spikes = presentOnce(net, src(k), p.intensityHz + k * p.intensityStepHz, learn, s, logs, sample);
    k++;
    if (spikes >= p.minSpikes || k >= p.maxPresentations) break;
  }
  return { counts: s.counts, presentations: k };
}

export function newLogs(samples: number, steps: number, learning: boolean): PresentationLogs {
  // an image is presented again (at a higher rate) until it draws enough spikes: each log counts the steps run
  return { encoder: new ActivityLog(samples, steps, true), excitatory: new ActivityLog(samples, steps, true), plasticity: learning ? new ActivityLog(samples, steps, true) : null };
}

function descriptor(net: StdpNetwork, learning: boolean) {
  const p = net.params;
  return {
    id: 'stdp-diehl-cook',
    family: 'snn' as const,
    timesteps: p.steps,
    params: { neurons: p.neurons, inputs: net.inputs, dtMs: 1, coding: 'poisson', intensityHz: p.intensityHz, rule: 'pair-based post-pre STDP, additive traces', plasticity: learning, inhibition: p.inhibition, etaPre: p.etaPre, etaPost: p.etaPost },
  };
}

/**
 * The layers both phases share, with what their memories hold: the encoder reads the image's C pixels
 * and writes a step's input spikes into a queue of at most C events; the excitatory layer reads that
 * queue, the C × N weights, and per neuron u, cur and (θ, refractory counter), and writes its spikes
 * into a queue of at most N events.
 */
function sharedLayers(net: StdpNetwork, logs: PresentationLogs, learning: boolean): PhaseLayer[] {
  const n = net.params.neurons;
  const c = net.inputs;
  return [
    {
      name: 'poisson-encoder',
      geometry: brainGeometry('poisson-encoder', c, c, { fanIn: 1, fanOut: 1, weightCount: 0, denseSynOps: 0 }),
      log: logs.encoder,
      rules: encoderRules(),
      stores: stores({ input: [c, PIXEL_BITS], output: [c, SPIKE_BITS] }),
    },
    {
      name: 'excitatory',
      geometry: brainGeometry('stdp-lif', c, n),
      log: logs.excitatory,
      rules: excitatoryRules(net.params, c, learning),
      stores: stores({ input: [c, SPIKE_BITS], weight: [c * n, 32], current: [n, 32], potential: [n, 32], state: [2 * n, 32], output: [n, SPIKE_BITS] }),
    },
  ];
}

/** The learning phase ledger (one sample per training image): encoder, excitatory dynamics with adaptation, plasticity (the C × N weights and C + N traces). */
export function learningPhase(net: StdpNetwork, logs: PresentationLogs, samples: number): BrainPhase {
  const p = net.params;
  const c = net.inputs;
  if (!logs.plasticity) throw new Error('learningPhase: the logs hold no plasticity activity');
  const layers: PhaseLayer[] = [
    ...sharedLayers(net, logs, true),
    { name: 'plasticity', geometry: brainGeometry('stdp-plasticity', c, p.neurons), log: logs.plasticity, rules: plasticityRules(p, c), stores: plasticityStores(c, p.neurons) },
  ];
  return { phase: 'learning', per: 'training image', ledger: phaseLedger(descriptor(net, true), samples, layers) };
}

/** What the plasticity layer's memories hold: the C × N weights and the C + N traces. */
export function plasticityStores(c: number, n: number) {
  return stores({ weight: [c * n, 32], trace: [c + n, 32] });
}

/** An inference (or labelling) phase ledger: encoder, excitatory dynamics with θ frozen, read-out (N spike counters and a sum per class). */
export function inferencePhase(net: StdpNetwork, logs: PresentationLogs, samples: number, classes: number, phase = 'inference', per = 'test image'): BrainPhase {
  const p = net.params;
  const readout = new ActivityLog(samples);
  for (let s = 0; s < samples; s++) readout.add(s, { inputEvents: logs.excitatory.rec.outputEvents[s], outputEvents: 1, updates: p.neurons });
  const layers: PhaseLayer[] = [
    ...sharedLayers(net, logs, false),
    {
      name: 'readout',
      geometry: brainGeometry('vote', p.neurons, classes, { weightCount: 0, denseSynOps: 0 }),
      log: readout,
      rules: readoutRules(classes),
      stores: stores({ state: [p.neurons + classes, 32], output: [1, 32] }),
    },
  ];
  return { phase, per, ledger: phaseLedger(descriptor(net, false), samples, layers) };
}

// ---------------------------------------------------------------------------------------------
// Labelling and classification (Diehl & Cook)

/** Each neuron's class: highest mean spike count over the labelling images of that class; −1 if it never fired. */
export function assignLabels(counts: readonly Int32Array[], labels: ArrayLike<number>, classes: number): Int32Array {
  const n = counts[0]?.length ?? 0;
  const sums = new Float64Array(classes * n);
  const perClass = new Float64Array(classes);
  counts.forEach((cnt, s) => {
    const l = labels[s];
    perClass[l]++;
    for (let j = 0; j < n; j++) sums[l * n + j] += cnt[j];
  });
  const out = new Int32Array(n).fill(-1);
  for (let j = 0; j < n; j++) {
    let best = 0;
    for (let l = 0; l < classes; l++) {
      if (perClass[l] === 0) continue;
      const rate = sums[l * n + j] / perClass[l];
      if (rate > best) {
        best = rate;
        out[j] = l;
      }
    }
  }
  return out;
}

/** The class whose assigned neurons have the highest mean spike count (ties: the lower class; no spikes: −1). */
export function classify(counts: Int32Array, assignment: Int32Array, classes: number): number {
  const sums = new Float64Array(classes);
  const members = new Float64Array(classes);
  for (let j = 0; j < counts.length; j++) {
    const l = assignment[j];
    if (l < 0) continue;
    sums[l] += counts[j];
    members[l]++;
  }
  let best = -1;
  let top = 0;
  for (let l = 0; l < classes; l++) {
    if (members[l] === 0) continue;
    const r = sums[l] / members[l];
    if (r > top) {
      top = r;
      best = l;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// The experiment

export interface StdpExperimentOptions {
  readonly train: SampleSet;
  readonly test: SampleSet;
  readonly trainSamples: number;
  readonly labelSamples: number;
  readonly testSamples: number;
  readonly params: StdpParams;
  readonly seed: number;
  /** Progress callback (images done, phase). */
  readonly progress?: (phase: string, done: number, total: number) => void;
}

export interface StdpExperiment {
  readonly accuracy: number;
  /** Test images that drew no spike at all (classified as wrong). */
  readonly silent: number;
  readonly unlabelledNeurons: number;
  /** Neurons assigned to each class. */
  readonly classNeurons: readonly number[];
  readonly learning: BrainPhase;
  readonly labelling: BrainPhase;
  readonly inference: BrainPhase;
  readonly trainSamples: number;
  readonly labelSamples: number;
  readonly testSamples: number;
  readonly meanPresentations: { readonly learning: number; readonly labelling: number; readonly inference: number };
}

/**
 * Learns on the first `trainSamples` training images (in order, one pass), labels neurons on the
 * next `labelSamples` training images, then classifies the first `testSamples` test images.
 * Image k of a phase draws its Poisson spikes from stream (seed, phase, k, presentation).
 */
export function stdpExperiment(o: StdpExperimentOptions): StdpExperiment {
  const nTrain = Math.min(o.trainSamples, o.train.count);
  const nLabel = Math.min(o.labelSamples, o.train.count - nTrain);
  const nTest = Math.min(o.testSamples, o.test.count);
  if (nTrain < 1 || nLabel < 1 || nTest < 1) throw new InputError(`STDP needs at least one training, one labelling and one test image (got ${nTrain}, ${nLabel}, ${nTest})`);
  const c = sampleSize(o.train);
  const p = o.params;
  const net = createStdpNetwork(c, p, o.seed);
  const poisson = (set: SampleSet, index: number, phase: number) => (k: number): InputSource => ({ pixels: sampleInput(set, index), rng: createRng(o.seed, phase, index, k) });

  const trainLogs = newLogs(nTrain, p.steps, true);
  let trainPres = 0;
  for (let s = 0; s < nTrain; s++) {
    trainPres += present(net, poisson(o.train, s, 1), true, trainLogs, s).presentations;
    if ((s + 1) % 500 === 0) o.progress?.('learning', s + 1, nTrain);
  }

  const labelLogs = newLogs(nLabel, p.steps, false);
  const labelCounts: Int32Array[] = [];
  const labelLabels: number[] = [];
  let labelPres = 0;
  for (let s = 0; s < nLabel; s++) {
    const idx = nTrain + s;
    const r = present(net, poisson(o.train, idx, 2), false, labelLogs, s);
    labelCounts.push(r.counts);
    labelLabels.push(o.train.labels[idx]);
    labelPres += r.presentations;
  }
  o.progress?.('labelling', nLabel, nLabel);
  const assignment = assignLabels(labelCounts, labelLabels, o.train.classes);

  const testLogs = newLogs(nTest, p.steps, false);
  let correct = 0;
  let silent = 0;
  let testPres = 0;
  for (let s = 0; s < nTest; s++) {
    const r = present(net, poisson(o.test, s, 3), false, testLogs, s);
    testPres += r.presentations;
    let any = 0;
    for (const v of r.counts) any += v;
    if (any === 0) silent++;
    if (classify(r.counts, assignment, o.test.classes) === o.test.labels[s]) correct++;
  }
  o.progress?.('inference', nTest, nTest);
  const classNeurons = Array.from({ length: o.train.classes }, (_, l) => assignment.filter((a) => a === l).length);
  return {
    accuracy: correct / nTest,
    silent,
    unlabelledNeurons: assignment.filter((a) => a < 0).length,
    classNeurons,
    learning: learningPhase(net, trainLogs, nTrain),
    labelling: inferencePhase(net, labelLogs, nLabel, o.train.classes, 'labelling', 'labelling image'),
    inference: inferencePhase(net, testLogs, nTest, o.test.classes),
    trainSamples: nTrain,
    labelSamples: nLabel,
    testSamples: nTest,
    meanPresentations: { learning: trainPres / nTrain, labelling: labelPres / nLabel, inference: testPres / nTest },
  };
}

/** The ledger rules of each STDP layer (for hand-checked tests of a layer in isolation). */
export const STDP_RULES = { encoder: encoderRules, excitatory: excitatoryRules, plasticity: plasticityRules, readout: readoutRules } as const;
