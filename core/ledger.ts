// The Ledger: what a backend did, per layer, in hardware-independent counts. No joules here.
//
// Counts are per inference (one sample), summarized over the evaluated samples (mean and spread).
// Memory entries are the accesses of the backend's own loop nest with one accumulator register and
// no other reuse; cost models that model a memory hierarchy derive per-level traffic from geometry
// and activity instead (see ARCHITECTURE.md).
import type { GeometricLayerGeometry, LayerGeometry, RecordedLayerGeometry } from './geometry.js';
import { isRecorded, shapeSize } from './geometry.js';
import type { Stat } from './stats.js';
import { summarize } from './stats.js';

/** Compute operation kinds. MAC = multiply-accumulate; AC = accumulate only (a spike adds a weight). */
export type OpKind = 'mac' | 'ac' | 'mul' | 'add' | 'cmp' | 'exp' | 'log' | 'div' | 'index';
export type Numeric = 'fp' | 'int';
/**
 * Operands whose memory traffic is recorded: synaptic layers use weight … psum; sequence blocks add
 * kv (the KV cache), state (recurrent state), score (attention scores of the current token); LUT
 * networks add lut_row (table rows) and index (cached table indices); learning adds trace.
 */
export type Operand =
  | 'weight'
  | 'input'
  | 'output'
  | 'bias'
  | 'potential'
  | 'current'
  | 'psum'
  | 'state'
  | 'kv'
  | 'score'
  | 'lut_row'
  | 'index'
  | 'trace'
  | 'address';
export type MemoryAction = 'read' | 'write';

export interface ComputeEntry {
  readonly op: OpKind;
  readonly bits: number;
  readonly numeric: Numeric;
  /** Why the op happens: 'synaptic', 'bias', 'activation', 'threshold', 'reset', 'leak', … */
  readonly purpose: string;
  readonly count: Stat;
}

export interface MemoryEntry {
  readonly operand: Operand;
  readonly action: MemoryAction;
  /** Width of one word in bits; `count` is in words. */
  readonly bits: number;
  readonly count: Stat;
}

export interface Activity {
  /** Nonzero inputs (ANN) or input spikes summed over all timesteps (SNN): Lemaire's θ_{l−1}. */
  readonly inputEvents: Stat;
  /** Nonzero outputs (ANN) or output spikes summed over all timesteps (SNN): Lemaire's θ_l. */
  readonly outputEvents: Stat;
  /** Synaptic operations that did work: input events × fan-out (SOP). */
  readonly synOps: Stat;
  /** σ = SOP / dense synaptic operations of one pass: spikes per synapse per inference. */
  readonly spikesPerSynapse: Stat;
  /** Neuron state updates per inference: neurons × T time-stepped, only the touched neurons event-driven. */
  readonly updates: Stat;
  /** Fraction of input elements that are zero, averaged over timesteps (NeuroBench ActivationSparsity, per layer input). */
  readonly inputSparsity: Stat;
  /** Output events per output neuron per timestep (firing rate for SNNs, density for ANNs). */
  readonly outputRate: Stat;
  /** What NeuroBench's hooks would count on this layer, per inference (see NeuroBenchLayerActivity). */
  readonly neurobench: NeuroBenchLayerActivity;
}

/**
 * One layer's counts as NeuroBench 2.x defines them (see "NeuroBench metrics" below), per inference,
 * summed over the layer's calls: an SNN calls every layer once per timestep.
 */
export interface NeuroBenchLayerActivity {
  /** Operations with every input and weight taken as 1 (bias and padding excluded): NeuroBench's Dense. 0 for pooling. */
  readonly dense: Stat;
  /** (nonzero input, nonzero weight) pairs of calls whose input holds a value other than 0 and ±1. */
  readonly effectiveMacs: Stat;
  /** (nonzero input, nonzero weight) pairs of calls whose input holds only 0 and ±1 (spikes). */
  readonly effectiveAcs: Stat;
  /** Output elements that pass an activation module (ReLU, or a spiking neuron: neurons × steps); 0 for other layers. */
  readonly activations: Stat;
  /** Membrane potentials written: every neuron at the first step, then those whose potential changed; 0 without spiking neurons. */
  readonly membraneUpdates: Stat;
}

export interface Footprint {
  readonly weightBits: number;
  readonly biasBits: number;
  /** Neuron state kept between timesteps (membrane potentials, currents); 0 for a stateless ANN layer. */
  readonly stateBits: number;
}

/** What every layer's ledger records, whatever its kind. */
interface LayerLedgerBase {
  readonly index: number;
  readonly name: string;
  readonly compute: readonly ComputeEntry[];
  readonly memory: readonly MemoryEntry[];
  readonly activity: Activity;
  /** Mean over samples of input and output events at each timestep (length T; length 1 for an ANN). */
  readonly perTimestep: { readonly inputEvents: readonly number[]; readonly outputEvents: readonly number[] };
  readonly footprint: Footprint;
  /** Neuron kind at this layer's output, if spiking ('if', 'lif', …); null for ANN or non-spiking readout. */
  readonly neuron: string | null;
}

/** A loop-nest layer (dense / conv / pool): memory-aware models derive its traffic from geometry and activity. */
export interface GeometricLayerLedger extends LayerLedgerBase {
  readonly geometry: GeometricLayerGeometry;
  readonly stores?: undefined;
}

/**
 * A recorded layer (sequence blocks, LUT networks, brain models and their learning phases): its memory
 * entries are its traffic, once per datum per step, and `stores` say what each operand's memory holds;
 * a memory-aware cost model sizes an operand's memory by it (a KV cache at context L, a recurrent
 * state, LUT tables).
 */
export interface RecordedLayerLedger extends LayerLedgerBase {
  readonly geometry: RecordedLayerGeometry;
  readonly stores: readonly OperandStore[];
}

/** One layer's ledger; narrow with isRecordedLayer (decided by the geometry's kind, core/geometry.ts). */
export type LayerLedger = GeometricLayerLedger | RecordedLayerLedger;

/** A recorded layer: its geometry's kind is not one of GEOMETRIC_KINDS. */
export function isRecordedLayer(layer: LayerLedger): layer is RecordedLayerLedger {
  return isRecorded(layer.geometry);
}

/** The words one operand's memory holds, at `bits` per word. */
export interface OperandStore {
  readonly operand: Operand;
  readonly words: number;
  readonly bits: number;
}

export interface BackendDescriptor {
  readonly id: string;
  readonly family: 'ann' | 'snn';
  /** Timesteps per inference (1 for an ANN). */
  readonly timesteps: number;
  /** Backend parameters that shaped the counts (coding, neuron, reset, precision …), for the record. */
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

export interface Ledger {
  readonly backend: BackendDescriptor;
  readonly samples: number;
  readonly layers: readonly LayerLedger[];
}

// ---------------------------------------------------------------------------------------------
// NeuroBench metrics
//
// NeuroBench 2.x's definitions, read in its documentation (docs/metrics/workload_metrics/*.rst,
// docs/metrics/static_metrics/*.rst) and source (neurobench/metrics/workload/synaptic_operations.py,
// activation_sparsity.py, membrane_updates.py; metrics/static/connection_sparsity.py, footprint.py;
// metrics/utils/layers/macs.py, binary_copy.py, input.py; hooks/neuron.py; blocks/layer.py,
// activation.py; models/snntorch_models.py). No code of it is used here.
//
// - Calls. NeuroBench hooks the connection layers (Linear, Conv1d/2d/3d, RNN cells) and the
//   activation modules (nn.ReLU, nn.Sigmoid, snnTorch SpikingNeuron) and counts every forward call.
//   Its snnTorch wrapper calls the whole network once per timestep, so an SNN layer is counted T
//   times per sample, a direct-coded first layer included (its analog input is fed every step,
//   although joulebench computes that current once). Every count is summed over calls and samples
//   and divided by the samples.
// - Dense: per call, the layer run on an all-ones input with all-ones weights and the bias zeroed,
//   summed over its outputs: the (output, weight) pairs whose input lies inside the input (zero
//   padding excluded). Pooling and normalization are not counted in any metric.
// - Effective_MACs / Effective_ACs: per call, the layer run on the binarized input (nonzero → 1) with
//   binarized weights (nonzero → 1), bias zeroed: the pairs (nonzero input, nonzero weight). A call
//   whose input holds only 0, 1 and −1 counts ACs ("spiking"), any other value makes it MACs.
//   NeuroBench tests a whole batch tensor per call; joulebench tests each sample's call, which is
//   the same when every sample of a call agrees (spikes always do; analog inputs almost always).
// - ActivationSparsity: zero outputs of the activation modules over all their outputs, summed over
//   modules, timesteps and samples (a ratio of sums; 0 when there is none). A spiking layer's output
//   is its spikes (neurons × T per sample), a ReLU layer's its rectified values; pooling, a layer
//   without activation and joulebench's non-spiking read-out (an integrator without threshold, the
//   sum of the last connection layer's outputs, not a SpikingNeuron) are not activation modules.
// - MembraneUpdates: per spiking-neuron module, all its neurons at the first call, then per call the
//   neurons whose membrane potential after the call differs from before it; summed, per sample.
//   joulebench compares its stored potential (after reset), snnTorch's (before the next step's
//   reset): a reset alone can fall one step later there. The non-spiking read-out is not counted.
// - ConnectionSparsity: zero weights over all weights of the connection layers (weights, not
//   biases, of Linear/Conv; RNN cells also count their biases). NeuroBench rounds it to 4 decimals;
//   joulebench does not. Recorded layers count their weights as nonzero unless they say otherwise.
// - Footprint: bytes of the model's parameters and buffers (PyTorch), zero weights included. Here:
//   weights and biases at their stored widths, plus the neuron state one sample keeps (snnTorch's
//   membrane buffer, batch 1); snnTorch's scalar neuron constants (β, θ: a few bytes per layer) are
//   not counted.

/** NeuroBench-named totals over a ledger, per inference (means over samples; see the definitions above). */
export interface NeuroBenchMetrics {
  readonly Footprint: number; // bytes of weights, biases and state
  readonly ConnectionSparsity: number;
  readonly Dense: number;
  readonly Effective_MACs: number;
  readonly Effective_ACs: number;
  readonly MembraneUpdates: number;
  readonly ActivationSparsity: number;
}

export function neuroBenchMetrics(ledger: Ledger): NeuroBenchMetrics {
  let footprintBits = 0;
  let weights = 0;
  let zeroWeights = 0;
  let dense = 0;
  let macs = 0;
  let acs = 0;
  let membraneUpdates = 0;
  let activations = 0;
  let nonzeroActivations = 0;
  for (const layer of ledger.layers) {
    const nb = layer.activity.neurobench;
    footprintBits += layer.footprint.weightBits + layer.footprint.biasBits + layer.footprint.stateBits;
    weights += layer.geometry.weightCount;
    zeroWeights += layer.geometry.weightCount - (layer.geometry.nonzeroWeights ?? layer.geometry.weightCount);
    dense += nb.dense.mean;
    macs += nb.effectiveMacs.mean;
    acs += nb.effectiveAcs.mean;
    membraneUpdates += nb.membraneUpdates.mean;
    if (nb.activations.mean > 0) {
      activations += nb.activations.mean;
      nonzeroActivations += layer.activity.outputEvents.mean;
    }
  }
  return {
    Footprint: footprintBits / 8,
    ConnectionSparsity: weights === 0 ? 0 : zeroWeights / weights,
    Dense: dense,
    Effective_MACs: macs,
    Effective_ACs: acs,
    MembraneUpdates: membraneUpdates,
    ActivationSparsity: activations === 0 ? 0 : (activations - nonzeroActivations) / activations,
  };
}

// ---------------------------------------------------------------------------------------------
// Building a ledger from per-sample activity

/** Per-sample activity that a backend collects for one layer while it runs. */
export interface LayerActivityRecorder {
  readonly inputEvents: Float64Array; // per sample
  readonly outputEvents: Float64Array; // per sample
  /** Synaptic operations that did work, per sample (Σ over input events of the outputs each reaches). */
  readonly synOps: Float64Array;
  /** Neuron state updates, per sample (neurons × T when time-stepped; fewer when event-driven). */
  readonly updates: Float64Array;
  readonly inputPerStep: Float64Array; // summed over samples, per timestep
  readonly outputPerStep: Float64Array;
  /**
   * Timesteps actually simulated per sample, where a model runs a sample for more than `timesteps`
   * (STDP presents an image again until it draws enough spikes); absent: `timesteps` for every sample.
   * Input sparsity and output rate are per simulated element-step.
   */
  readonly stepsPerSample?: Float64Array;
  /**
   * NeuroBench's counts of this layer per sample (NeuroBenchLayerActivity), recorded by the
   * backends that run geometric layers (`newActivityRecorder(n, T, { neurobench: true })`). Absent
   * (recorded layers: NeuroBench's hooks do not see them as such), they are read off the rest:
   * Dense = the geometry's dense synaptic ops, effective MACs / ACs = the layer's synaptic compute
   * entries of op mac / ac, and a spiking layer (rules' neuron set) has neurons × steps activations
   * and `updates` membrane updates.
   */
  readonly neurobench?: NeuroBenchRecorder;
}

/**
 * Per-sample NeuroBench counts of one layer; a backend adds to them at every call of the layer (once
 * per timestep in an SNN), sample s at index s:
 *   dense[s]           += plan.denseConnectionOps                    (harness/exec.ts LayerPlan)
 *   effectiveAcs[s]    += plan.effectiveOps(idx, n)                  (spike events: binary input)
 *   effectiveMacs[s] or effectiveAcs[s] += forward(x, y).effective   (dense input; by forward's `binary`)
 *   activations[s]     += neurons, when the layer's output passes a ReLU or spiking neurons
 *   membraneUpdates[s] += neurons at the first step, then the neurons whose potential changed
 */
export interface NeuroBenchRecorder {
  readonly dense: Float64Array;
  readonly effectiveMacs: Float64Array;
  readonly effectiveAcs: Float64Array;
  readonly activations: Float64Array;
  readonly membraneUpdates: Float64Array;
}

export function newActivityRecorder(samples: number, timesteps: number, options: { readonly neurobench?: boolean } = {}): LayerActivityRecorder {
  const perSample = () => new Float64Array(samples);
  return {
    inputEvents: perSample(),
    outputEvents: perSample(),
    synOps: perSample(),
    updates: perSample(),
    inputPerStep: new Float64Array(timesteps),
    outputPerStep: new Float64Array(timesteps),
    ...(options.neurobench ? { neurobench: { dense: perSample(), effectiveMacs: perSample(), effectiveAcs: perSample(), activations: perSample(), membraneUpdates: perSample() } } : {}),
  };
}

/** One sample's activity in one layer: what data-dependent ledger counts are functions of. */
export interface SampleActivity {
  readonly inputEvents: number;
  readonly outputEvents: number;
  readonly synOps: number;
  readonly updates: number;
}
export type ComputeRule = Omit<ComputeEntry, 'count'> & { readonly count: (a: SampleActivity) => number };
export type MemoryRule = Omit<MemoryEntry, 'count'> & { readonly count: (a: SampleActivity) => number };

/** A per-sample rate of a layer's activity, as a function of one sample's activity and its index. */
export type RateRule = (a: SampleActivity, sample: number) => number;

export interface LayerRules {
  readonly compute: readonly ComputeRule[];
  readonly memory: readonly MemoryRule[];
  readonly footprint: Footprint;
  readonly neuron: string | null;
  /**
   * The rates where a layer declares them instead of having them measured (a sequence decode step
   * reads and writes whole vectors; a LUT gathers from a dense vector). Each one absent: input
   * sparsity = 1 − input events / (inputs · steps), output rate = output events / (neurons · steps).
   */
  readonly rates?: { readonly inputSparsity?: RateRule; readonly outputRate?: RateRule };
}

/**
 * The one ledger builder: evaluates a layer's rules on every sample's activity and summarizes them
 * (mean, sd, min, max over samples): its compute and memory entries, activity (σ against the dense
 * synaptic ops, input sparsity and output rate per simulated element-step), per-timestep means,
 * footprint and neuron; a recorded layer also carries its stores.
 */
export function buildLayerLedger(index: number, name: string, geometry: GeometricLayerGeometry, timesteps: number, rec: LayerActivityRecorder, rules: LayerRules): GeometricLayerLedger;
export function buildLayerLedger(index: number, name: string, geometry: RecordedLayerGeometry, timesteps: number, rec: LayerActivityRecorder, rules: LayerRules, stores: readonly OperandStore[]): RecordedLayerLedger;
export function buildLayerLedger(index: number, name: string, geometry: LayerGeometry, timesteps: number, rec: LayerActivityRecorder, rules: LayerRules, stores?: readonly OperandStore[]): LayerLedger {
  return layerLedger(index, { name, geometry, rec, rules, stores } as CountedLayer, timesteps);
}

/** One layer as counted: its geometry, per-sample activity and rules, and (recorded layers) its stores. */
export type CountedLayer =
  | { readonly name: string; readonly geometry: GeometricLayerGeometry; readonly rec: LayerActivityRecorder; readonly rules: LayerRules; readonly stores?: undefined }
  | { readonly name: string; readonly geometry: RecordedLayerGeometry; readonly rec: LayerActivityRecorder; readonly rules: LayerRules; readonly stores: readonly OperandStore[] };

/** A ledger of counted layers (indexed in order), each summarized at `timesteps` (default: the backend's). */
export function buildLedger(backend: BackendDescriptor, samples: number, layers: readonly CountedLayer[], timesteps = backend.timesteps): Ledger {
  return { backend, samples, layers: layers.map((l, i) => layerLedger(i, l, timesteps)) };
}

function layerLedger(index: number, layer: CountedLayer, timesteps: number): LayerLedger {
  const { name, geometry, rec, rules } = layer;
  const n = rec.inputEvents.length;
  const steps = (s: number): number => rec.stepsPerSample?.[s] ?? timesteps;
  // one activity record refilled per sample (the rules read it and keep nothing): no object per sample and rule
  const a = { inputEvents: 0, outputEvents: 0, synOps: 0, updates: 0 };
  const perSampleIndexed = (f: (a: SampleActivity, s: number) => number): Stat => {
    const out = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      a.inputEvents = rec.inputEvents[s];
      a.outputEvents = rec.outputEvents[s];
      a.synOps = rec.synOps[s];
      a.updates = rec.updates[s];
      out[s] = f(a, s);
    }
    return summarize(out);
  };
  const perSample = (f: (a: SampleActivity) => number): Stat => perSampleIndexed((a) => f(a));
  const rates = {
    inputSparsity: rules.rates?.inputSparsity ?? ((a: SampleActivity, s: number) => 1 - a.inputEvents / (shapeSize(geometry.inputShape) * steps(s))),
    outputRate: rules.rates?.outputRate ?? ((a: SampleActivity, s: number) => a.outputEvents / (geometry.neurons * steps(s))),
  };
  const activity: Activity = {
    inputEvents: perSample((a) => a.inputEvents),
    outputEvents: perSample((a) => a.outputEvents),
    synOps: perSample((a) => a.synOps),
    spikesPerSynapse: perSample((a) => (geometry.denseSynOps === 0 ? 0 : a.synOps / geometry.denseSynOps)),
    inputSparsity: perSampleIndexed(rates.inputSparsity),
    outputRate: perSampleIndexed(rates.outputRate),
    updates: perSample((a) => a.updates),
    neurobench: rec.neurobench ? recordedNeuroBench(rec.neurobench) : derivedNeuroBench(),
  };
  function recordedNeuroBench(nb: NeuroBenchRecorder): NeuroBenchLayerActivity {
    return { dense: summarize(nb.dense), effectiveMacs: summarize(nb.effectiveMacs), effectiveAcs: summarize(nb.effectiveAcs), activations: summarize(nb.activations), membraneUpdates: summarize(nb.membraneUpdates) };
  }
  function derivedNeuroBench(): NeuroBenchLayerActivity {
    const synaptic = (op: OpKind) => (a: SampleActivity) => rules.compute.reduce((sum, c) => (c.purpose === 'synaptic' && c.op === op ? sum + c.count(a) : sum), 0);
    const spiking = rules.neuron !== null;
    return {
      dense: perSample(() => geometry.denseSynOps),
      effectiveMacs: perSample(synaptic('mac')),
      effectiveAcs: perSample(synaptic('ac')),
      activations: perSampleIndexed((_a, s) => (spiking ? geometry.neurons * steps(s) : 0)),
      membraneUpdates: perSample((a) => (spiking ? a.updates : 0)),
    };
  }
  const counted = {
    compute: rules.compute.map(({ count, ...rest }) => ({ ...rest, count: perSample(count) })),
    memory: rules.memory.map(({ count, ...rest }) => ({ ...rest, count: perSample(count) })),
    activity,
    perTimestep: {
      inputEvents: Array.from(rec.inputPerStep, (v) => v / n),
      outputEvents: Array.from(rec.outputPerStep, (v) => v / n),
    },
    footprint: rules.footprint,
    neuron: rules.neuron,
  };
  // a recorded layer's stores come last (the key order results documents serialize)
  if (!isRecorded(geometry)) return { index, name, geometry, ...counted };
  if (layer.stores === undefined) throw new Error(`layer ${name}: a recorded layer (kind "${geometry.kind}") needs its stores`);
  return { index, name, geometry, ...counted, stores: layer.stores };
}

/** The footprint of what a layer's stores hold: weight stores as weights, every other store as state. */
export function storesFootprint(stores: readonly OperandStore[]): Footprint {
  let weightBits = 0;
  let stateBits = 0;
  for (const s of stores) {
    if (s.operand === 'weight') weightBits += s.words * s.bits;
    else stateBits += s.words * s.bits;
  }
  return { weightBits, biasBits: 0, stateBits };
}

/** The keys of a compute or memory entry, with its count per sample (a mean, or one step's exact number). */
type Counted = { readonly count: number | Stat };
type KeyedCompute = Counted & Pick<ComputeEntry, 'op' | 'numeric' | 'bits' | 'purpose'>;
type KeyedMemory = Counted & Pick<MemoryEntry, 'operand' | 'action' | 'bits'>;

/**
 * A layer's ledger (mean counts per sample) or one step's counts as one flat table: compute entries
 * keyed `op/numeric bits/purpose` (e.g. `ac/int32/synaptic`), memory entries `operand/action/bits`
 * (e.g. `weight/read/16`). Equal keys add. For hand-checked tests and terse reports.
 */
export function countTable(entries: { readonly compute: readonly KeyedCompute[]; readonly memory: readonly KeyedMemory[] }): Record<string, number> {
  const t: Record<string, number> = {};
  const add = (k: string, v: number | Stat) => {
    t[k] = (t[k] ?? 0) + (typeof v === 'number' ? v : v.mean);
  };
  for (const c of entries.compute) add(`${c.op}/${c.numeric}${c.bits}/${c.purpose}`, c.count);
  for (const m of entries.memory) add(`${m.operand}/${m.action}/${m.bits}`, m.count);
  return t;
}
