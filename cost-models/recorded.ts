// Recorded layers: every layer kind other than dense / conv / pool — sequence blocks (softmax attention
// with a KV cache, linear attention and state-space recurrences, sparse and spiking attention), LUT
// networks, the learning and recall phases of the brain models. Their traffic cannot be derived from a
// dense geometry, so their ledger records it (workloads/sequence/counter.ts): the memory entries ARE the
// per-step traffic, each datum crossing its memory once per step (weights once per token at batch 1,
// each cached key/value once per head group, a recurrent state read and written once); spiking recorded
// layers record per-event traffic (a weight row per spike). The layer's `stores` say what each operand's
// memory holds, so a memory-aware model can size that memory.
//
// One function prices a recorded layer for every tech-based model (recordedLayerTerms): each compute
// entry at tech.opJ(op, numeric, bits) (exp, log and div as multiply-add equivalents, tech.ts); each
// memory entry at the energy of one access to a memory of the operand's store size. The models differ
// only in how they size a level and in two switches:
//  - clampReads (ann-ideal-reuse): the reads of an operand are at most its store's words per timestep
//    (each datum crosses its memory at most once per step). The sequence convention already meets it;
//    it binds where a ledger records more: per-event spiking traffic, Hopfield's repeated sweeps, the
//    modern Hopfield network's second pass over X. Each read entry of the operand is scaled by the same
//    factor min(1, steps·words / reads).
//  - perMacFetches (ann-no-reuse): on top of the recorded traffic, formula (a)'s per-MAC fetches for
//    every MAC entry of n MACs at width b: n reads of the MAC's stored operand from the largest memory
//    the layer reads (weights, KV cache, tables: whichever the layer's MACs stream through, an upper
//    choice), n reads of its input from the input memory, and n reads plus n writes of a b-bit partial
//    sum in the psum memory (a 'psum' store or traffic, else the output memory). Nothing is held in a
//    register between MACs.
//
// Which memory serves an operand (operandStore), in order:
//  1. the layer's stores for the operand (several entries add: an LM mixer's norm gains and the
//     block's projections are both 'weight');
//  2. 'bias' without a store: the weight store (parameters kept together);
//  3. the per-step vectors (input, output, score, psum, address) without a store: a buffer as large as
//     the operand's recorded per-step traffic, max over read and write of Σ count·bits / timesteps —
//     the step's vector when it crosses once, an upper bound when a vector is read several times;
//     for no-reuse's per-MAC fetches an operand with no traffic and no store is the geometry's
//     input or output vector;
//  4. otherwise (weight, kv, state, lut_row, index, trace, potential, current without a store) the
//     layer is refused with an OutOfRangeError naming the layer and the operand: a persistent memory's
//     size is not in the traffic.
import type { GeometricLayerLedger, LayerLedger, MemoryEntry, Numeric, OpKind, Operand, RecordedLayerLedger } from '../core/ledger.js';
import { isRecordedLayer } from '../core/ledger.js';
import { shapeSize } from '../core/geometry.js';
import type { EnergyItem, Term } from './energy.js';
import { addBreakdowns, termsToItems } from './energy.js';
import { OutOfRangeError } from './model.js';
import type { Tech } from './tech.js';

/** Operands that hold one step's vectors: without a store, sized by their recorded per-step traffic. */
export const TRANSIENT_OPERANDS: readonly Operand[] = ['input', 'output', 'score', 'psum', 'address'];

/** The memory that serves one operand of a recorded layer. */
export interface ResolvedStore {
  /** Words it holds (at their own widths; several stores of the operand add). */
  readonly words: number;
  /** Its capacity in bits. */
  readonly capacityBits: number;
  /** Where the size comes from. */
  readonly from: 'store' | 'weight store' | 'per-step traffic' | 'geometry';
}

function explicitStore(layer: RecordedLayerLedger, operand: Operand): ResolvedStore | null {
  // `?? []`: a ledger read back from an old cache entry may lack stores
  const s = (layer.stores ?? []).filter((x) => x.operand === operand);
  if (s.length === 0) return null;
  return { words: s.reduce((a, x) => a + x.words, 0), capacityBits: s.reduce((a, x) => a + x.words * x.bits, 0), from: 'store' };
}

/** The largest per-step traffic of an operand (reads or writes), as a buffer; null without traffic. */
function trafficStore(layer: RecordedLayerLedger, operand: Operand, steps: number): ResolvedStore | null {
  let best: ResolvedStore | null = null;
  for (const action of ['read', 'write'] as const) {
    const es = layer.memory.filter((m) => m.operand === operand && m.action === action);
    const bits = es.reduce((a, m) => a + m.count.mean * m.bits, 0) / steps;
    if (bits > 0 && (best === null || bits > best.capacityBits)) best = { words: es.reduce((a, m) => a + m.count.mean, 0) / steps, capacityBits: bits, from: 'per-step traffic' };
  }
  return best;
}

/** The memory that serves `operand` in a recorded layer (rules 1–3 above); null when it cannot be sized. */
export function operandStore(layer: RecordedLayerLedger, operand: Operand, steps: number): ResolvedStore | null {
  const own = explicitStore(layer, operand);
  if (own) return own;
  if (operand === 'bias') {
    const w = explicitStore(layer, 'weight');
    if (w) return { ...w, from: 'weight store' };
  }
  return TRANSIENT_OPERANDS.includes(operand) ? trafficStore(layer, operand, steps) : null;
}

/** operandStore, or the refusal naming the layer and the operand (rule 4). */
export function requireStore(layer: RecordedLayerLedger, operand: Operand, steps: number): ResolvedStore {
  const s = operandStore(layer, operand, steps);
  if (s) return s;
  const words = layer.memory.filter((m) => m.operand === operand).reduce((a, m) => a + m.count.mean, 0);
  throw new OutOfRangeError(
    `layer ${layer.name} (kind "${layer.geometry.kind}") records ${words} ${operand} accesses but no '${operand}' store, so the memory that serves them cannot be sized; the ledger must give the layer's stores (OperandStore in core/ledger.ts)`,
  );
}

/** How one tech-based model prices the parts of a recorded layer. */
export interface RecordedPricing {
  /** Energy of one op of this kind, numeric type and width (tech.opJ). */
  opJ(op: OpKind, numeric: Numeric, bits: number): number;
  /** Level and energy of one `wordBits` access to the memory that holds `store`. */
  access(store: ResolvedStore, wordBits: number, operand: Operand): { readonly level: string; readonly unitJ: number };
  /** Ideal reuse: reads of an operand at most its store's words per step. */
  readonly clampReads: boolean;
  /** No reuse: formula (a)'s operand fetches and partial-sum read and write per MAC. */
  readonly perMacFetches: boolean;
}

/** The factor on an operand's reads that keeps them at most `steps × store words` (1 when not clamped). */
function readFactor(layer: RecordedLayerLedger, operand: Operand, store: ResolvedStore, steps: number): number {
  const reads = layer.memory.filter((m) => m.operand === operand && m.action === 'read').reduce((a, m) => a + m.count.mean, 0);
  const limit = steps * store.words;
  return reads > limit ? limit / reads : 1;
}

/** The terms of one recorded layer: every compute entry and every memory entry (module header for the rules). */
export function recordedLayerTerms(layer: RecordedLayerLedger, steps: number, p: RecordedPricing): Term[] {
  const terms: Term[] = layer.compute.map((c) => ({ component: 'compute', operand: c.op, action: c.purpose, level: 'alu', count: c.count.mean, unitJ: p.opJ(c.op, c.numeric, c.bits) }));
  const mem = (operand: Operand, action: string, count: number, store: ResolvedStore, bits: number): Term => {
    const a = p.access(store, bits, operand);
    return { component: 'memory', operand, action, level: a.level, count, unitJ: a.unitJ };
  };
  for (const m of layer.memory) {
    const store = requireStore(layer, m.operand, steps);
    const f = p.clampReads && m.action === 'read' ? readFactor(layer, m.operand, store, steps) : 1;
    terms.push(mem(m.operand, m.action, m.count.mean * f, store, m.bits));
  }
  if (p.perMacFetches) terms.push(...perMacTerms(layer, steps, mem));
  return terms;
}

/** ann-no-reuse's per-MAC fetches of a recorded layer (module header). */
function perMacTerms(layer: RecordedLayerLedger, steps: number, mem: (operand: Operand, action: string, count: number, store: ResolvedStore, bits: number) => Term): Term[] {
  const macs = layer.compute.filter((c) => c.op === 'mac' && c.count.mean > 0);
  if (macs.length === 0) return [];
  const read = [...new Set(layer.memory.filter((m: MemoryEntry) => m.action === 'read').map((m) => m.operand))].map((operand) => ({ operand, store: requireStore(layer, operand, steps) }));
  if (read.length === 0) throw new OutOfRangeError(`ann-no-reuse: layer ${layer.name} records MACs but no memory reads, so there is no memory their operands come from`);
  const stored = read.reduce((a, b) => (b.store.capacityBits > a.store.capacityBits ? b : a));
  const vector = (operand: Operand, fallback: Operand | null, elements: number, bits: number): ResolvedStore =>
    operandStore(layer, operand, steps) ?? (fallback ? operandStore(layer, fallback, steps) : null) ?? { words: elements, capacityBits: elements * bits, from: 'geometry' };
  return macs.flatMap((c) => {
    const n = c.count.mean;
    const input = vector('input', null, shapeSize(layer.geometry.inputShape), c.bits);
    const psum = vector('psum', 'output', shapeSize(layer.geometry.outputShape), c.bits);
    return [mem(stored.operand, 'read', n, stored.store, c.bits), mem('input', 'read', n, input, c.bits), mem('psum', 'read', n, psum, c.bits), mem('psum', 'write', n, psum, c.bits)];
  });
}

/** A recorded layer's energy items (equal keys merged: a recorded read and a per-MAC read of one memory add). */
export function recordedLayerItems(layer: RecordedLayerLedger, steps: number, p: RecordedPricing): EnergyItem[] {
  return addBreakdowns(termsToItems(layer.index, layer.name, recordedLayerTerms(layer, steps, p)));
}

/** Pricing on a technology with capacity-sized SRAM and DRAM (tech.memoryJ): ann-no-reuse, ann-ideal-reuse, neuromorphic-core. */
export function techRecordedPricing(tech: Tech, mode: Pick<RecordedPricing, 'clampReads' | 'perMacFetches'>): RecordedPricing {
  return { opJ: tech.opJ, access: (store, wordBits, operand) => tech.memoryJ(store.capacityBits, wordBits, operand), ...mode };
}

/** synOpMarginalJ is not defined on a recorded layer: its counts are as recorded, not a function of SOP. */
export function refuseRecordedMarginal(layer: LayerLedger, model: string): asserts layer is GeometricLayerLedger {
  if (isRecordedLayer(layer)) {
    throw new OutOfRangeError(`${model}: layer ${layer.name} is a recorded layer (kind "${layer.geometry.kind}"); its counts are as recorded, not a function of synaptic ops, so ∂E/∂SOP is not defined (break-even analysis skips such layers)`);
  }
}
