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

/** NeuroBench-named totals over a ledger, per inference (means over samples). */
export interface NeuroBenchMetrics {
  readonly Footprint: number; // bytes of weights, biases and state
  readonly Dense: number;
  readonly Effective_MACs: number;
  readonly Effective_ACs: number;
  readonly MembraneUpdates: number;
  readonly ActivationSparsity: number;
}

export function neuroBenchMetrics(ledger: Ledger): NeuroBenchMetrics {
  let footprintBits = 0;
  let dense = 0;
  let macs = 0;
  let acs = 0;
  let membraneUpdates = 0;
  let sparsityWeighted = 0;
  let sparsityWeight = 0;
  for (const layer of ledger.layers) {
    footprintBits += layer.footprint.weightBits + layer.footprint.biasBits + layer.footprint.stateBits;
    dense += layer.geometry.denseSynOps;
    for (const c of layer.compute) {
      if (c.purpose !== 'synaptic') continue;
      if (c.op === 'mac') macs += c.count.mean;
      if (c.op === 'ac') acs += c.count.mean;
    }
    if (layer.neuron !== null || ledger.backend.family === 'snn') membraneUpdates += layer.activity.updates.mean;
    const inputs = shapeSize(layer.geometry.inputShape);
    sparsityWeighted += layer.activity.inputSparsity.mean * inputs;
    sparsityWeight += inputs;
  }
  return {
    Footprint: footprintBits / 8,
    Dense: dense,
    Effective_MACs: macs,
    Effective_ACs: acs,
    MembraneUpdates: membraneUpdates,
    ActivationSparsity: sparsityWeight === 0 ? 0 : sparsityWeighted / sparsityWeight,
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
}

export function newActivityRecorder(samples: number, timesteps: number): LayerActivityRecorder {
  return {
    inputEvents: new Float64Array(samples),
    outputEvents: new Float64Array(samples),
    synOps: new Float64Array(samples),
    updates: new Float64Array(samples),
    inputPerStep: new Float64Array(timesteps),
    outputPerStep: new Float64Array(timesteps),
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
  const perSampleIndexed = (f: (a: SampleActivity, s: number) => number): Stat => {
    const out = new Float64Array(n);
    for (let s = 0; s < n; s++) out[s] = f({ inputEvents: rec.inputEvents[s], outputEvents: rec.outputEvents[s], synOps: rec.synOps[s], updates: rec.updates[s] }, s);
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
  };
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
