// Ledgers of the look-up-table network (issue 8): per phase, one ledger layer per LUT (each attention
// head, each FFN, the unembedder) plus the token embedder and the softmax. Hardware-independent
// counts; units are stated per entry:
//   compute   cmp fp32 'anchor' (u = x[a] − x[b] compared with 0: one op, the subtract included),
//             index int16 'hash' (set bit r of j: a shift-or), 'concat' (j_Q << (n_c+p) once per query,
//             then (j_K << p) | j_PE and | the query part: 2 per pair and table), 'flip' (j̄ = j XOR 2^r),
//             ac fp32 'synaptic' (one add per word of a gathered row), exp/log/add/cmp 'softmax',
//             learning: mac 'surrogate' (g = y_grad·(S[j̄] − S[j])), mac 'update' (S[j] −= lr·y_grad) …
//   memory    in words of the stated width: 'input' fp32 (the gathers x[a], x[b]), 'lut_row' fp32 (table
//             words: rows × y_dim), 'index' int16 (the V-index cache and PE indices; in learning also the
//             cached j and r_min), 'state' fp32 (cached u_min), 'psum' fp32 (gradient accumulators),
//             'output' fp32 (the residual stream z, logits), 'weight' fp32 (embedder, PE parameters).
// Table rows are also counted as rows: activity.outputEvents = rows read (see below), so a row can be
// priced as one access (the manifesto's Table IV unit) or as y_dim words (Table I's unit, the ledger's).
//
// Activity of a LUT layer, per sample (one token):
//   inputEvents  anchor comparisons (n_t·n_c per hashed vector)
//   synOps       forward ACs (words of the rows added, n_t·y_dim per LUT application)
//   outputEvents table rows read (forward: n_t per application; learning adds j and j̄ per table and the
//                PE-flip rows of attention)
//   updates      output words written (the accumulator, y_dim per output vector)
// Everything is a function of these and of the layer's shape: an attention layer's pairs per token are
// synOps/(n_t·n); its PE flips in learning are outputEvents − 3·n_t·pairs.
//
// Traffic convention (as workloads/sequence/counter.ts): within one token a datum crosses its memory
// once, except the gathers x[a], x[b] (each anchor read) and table rows (each gather a read).
import type { RecordedKind, RecordedLayerGeometry } from '../../../core/geometry.js';
import type { BackendDescriptor, ComputeRule, LayerLedger, LayerRules, Ledger, MemoryRule, OperandStore, SampleActivity } from '../../../core/ledger.js';
import { isRecordedLayer } from '../../../core/ledger.js';
import type { BrainPhase, PhaseLayer } from '../phase.js';
import { ActivityLog, brainGeometry, phaseLedger } from '../phase.js';
import type { LutConfig, LutHits, LutNetwork } from './network.js';

const FP = { numeric: 'fp', bits: 32 } as const;
/** Width of a table index as stored and computed (j of up to 16 bits, r_min). */
export const INDEX_BITS = 16;
const IDX = { numeric: 'int', bits: INDEX_BITS } as const;

export type LutRole = 'embed' | 'attention' | 'ffn' | 'unembed' | 'softmax';

/** One ledger layer of a LUT network. */
export interface LutLayerShape {
  readonly name: string;
  readonly role: LutRole;
  /** n_t, n_c, p and the index bits (n_c, or 2·n_c + p for attention); 0 for embed and softmax. */
  readonly tables: number;
  readonly comparisons: number;
  readonly posBits: number;
  readonly bits: number;
  readonly xDim: number;
  readonly yDim: number;
  /** Positions whose indices are cached (the context C). */
  readonly context: number;
  /** Attention: the first head of a layer also copies the running gradient (y_grad = x_grad) in learning. */
  readonly copiesGradient: boolean;
}

/** Words of one LUT's tables: n_t · 2^bits · y_dim. */
export const tableWords = (s: Pick<LutLayerShape, 'tables' | 'bits' | 'yDim'>): number => s.tables * 2 ** s.bits * s.yDim;

/** The ledger layers of a network config, in forward order. */
export function lutShapes(cfg: LutConfig): LutLayerShape[] {
  const { tables, comparisons: nc, posBits: p, dim: n, context: C, vocab } = cfg;
  const lut = (name: string, role: LutRole, bits: number, yDim: number, copiesGradient = false): LutLayerShape => ({ name, role, tables, comparisons: nc, posBits: role === 'attention' ? p : 0, bits, xDim: n, yDim, context: C, copiesGradient });
  const none = (name: string, role: LutRole, xDim: number, yDim: number): LutLayerShape => ({ name, role, tables: 0, comparisons: 0, posBits: 0, bits: 0, xDim, yDim, context: C, copiesGradient: false });
  const out: LutLayerShape[] = [none('embed', 'embed', vocab, n)];
  for (let l = 0; l < cfg.layers; l++) {
    for (let h = 0; h < cfg.heads; h++) out.push(lut(`L${l}.head${h}`, 'attention', 2 * nc + p, n, h === 0));
    if (cfg.ffn) out.push(lut(`L${l}.ffn`, 'ffn', nc, n));
  }
  out.push(lut('unembed', 'unembed', nc, vocab), none('softmax', 'softmax', vocab, vocab));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rules

const c = (op: ComputeRule['op'], w: typeof FP | typeof IDX, purpose: string, count: (a: SampleActivity) => number): ComputeRule => ({ op, ...w, purpose, count });
const m = (operand: MemoryRule['operand'], action: MemoryRule['action'], bits: number, count: (a: SampleActivity) => number): MemoryRule => ({ operand, action, bits, count });

/**
 * A LUT layer's rules. Inference, per application: n_t·n_c anchor cmps, as many hash shift-ors,
 * 2·n_t·n_c input gathers, n_t rows read (n_t·y_dim words), n_t·y_dim ACs; the FFN read-modify-writes
 * its residual z once (n words each way), the unembedder writes its logits (y_dim). Attention per
 * token: the new position hashed once (its n_t indices written to the V-index cache), n_t query
 * shifts, and per earlier position (pair) and table: 2 concat ops, 2 index reads (j_K, j_PE), 1 row;
 * then z read-modify-written once. Learning adds per table of each application: r_min tracking
 * (1 cmp per comparison), j/r_min/u_min cached and read back, rows j and j̄ read, g (y_dim subtracts
 * and MACs), U′ (1 add, 3 mul, 1 div), 2 anchor-gradient read-modify-writes, y_dim update MACs and
 * the row written. Attention also recomputes its PE indices each step (n_t·p cmps with 0 and as many
 * r_min cmps per token), makes 3 |u| compares per pair and table, reads j_Q and u_min of the query
 * per query and j_K, j_PE, r_min, u_min of the key and PE per pair; each PE flip reads one more row,
 * costs another g and U′, 1 flip and one PE-gradient read-modify-write; PE is updated once per window
 * (n_t·p MACs per token).
 */
export function lutLayerRules(s: LutLayerShape, learning: boolean): LayerRules {
  const { tables: t, yDim: y, xDim: n, posBits: p } = s;
  const footprint = { weightBits: tableWords(s) * 32, biasBits: 0, stateBits: s.role === 'attention' ? (2 * s.context - 1) * t * INDEX_BITS : 0 };
  if (s.role === 'embed') {
    return { compute: [], memory: [m('weight', 'read', 32, () => y), m('output', 'write', 32, (a) => a.updates)], footprint: { weightBits: n * y * 32, biasBits: 0, stateBits: 0 }, neuron: null };
  }
  if (s.role === 'softmax') {
    const V = y;
    // inference: max (V−1 cmp), x − max (V adds), Σ e (V−1 adds), log p_t = x_t − max − log Σ (1 add, 1 log);
    // learning: max, x − max, Σ e, the loss log (1), then 1/Σ, V multiplies and p_t − 1 (1 add); the gradient written.
    const compute = [c('cmp', FP, 'softmax', () => V - 1), c('add', FP, 'softmax', () => 2 * V), c('exp', FP, 'softmax', () => V), c('log', FP, 'softmax', () => 1)];
    if (learning) compute.push(c('div', FP, 'softmax', () => 1), c('mul', FP, 'softmax', () => V));
    return {
      compute,
      memory: [m('input', 'read', 32, () => V), m('output', 'write', 32, () => (learning ? V : 1))],
      footprint: { weightBits: 0, biasBits: 0, stateBits: 0 },
      neuron: null,
    };
  }
  const apps = (a: SampleActivity) => a.synOps / (t * y);
  const pe = learning && s.role === 'attention' ? t * p : 0; // PE index bits recomputed per token in learning
  const compute: ComputeRule[] = [
    c('cmp', FP, 'anchor', (a) => a.inputEvents),
    c('index', IDX, 'hash', (a) => a.inputEvents + pe),
    c('ac', FP, 'synaptic', (a) => a.synOps),
  ];
  const memory: MemoryRule[] = [m('input', 'read', 32, (a) => 2 * a.inputEvents), m('lut_row', 'read', 32, (a) => a.outputEvents * y)];
  if (s.role !== 'unembed') memory.push(m('output', 'read', 32, () => y)); // the residual z
  memory.push(m('output', 'write', 32, (a) => a.updates));
  if (s.role === 'attention') {
    // apps = pairs; learning rebuilds j of each pair in the backward pass
    compute.push(c('index', IDX, 'concat', (a) => t + (learning ? 4 : 2) * t * apps(a)));
    if (!learning) memory.push(m('index', 'write', INDEX_BITS, () => t), m('index', 'read', INDEX_BITS, (a) => 2 * t * apps(a)));
  }
  if (learning) {
    // gradient terms: one per table and application, plus the PE flips of attention
    const flips = (a: SampleActivity) => (s.role === 'attention' ? a.outputEvents - 3 * t * apps(a) : 0);
    const grads = (a: SampleActivity) => t * apps(a) + flips(a);
    compute.push(
      c('cmp', FP, 'r_min', (a) => a.inputEvents + pe),
      c('index', IDX, 'flip', grads),
      c('add', FP, 'surrogate', (a) => grads(a) * (y + 1)),
      c('mac', FP, 'surrogate', (a) => grads(a) * y),
      c('mul', FP, 'surrogate', (a) => 3 * grads(a)),
      c('div', FP, 'surrogate', grads),
      c('add', FP, 'gradient', (a) => 2 * t * apps(a) + flips(a)),
      c('mac', FP, 'update', (a) => y * t * apps(a) + pe),
    );
    const rmw = (a: SampleActivity) => 2 * t * apps(a) + flips(a);
    memory.push(
      m('lut_row', 'write', 32, (a) => y * t * apps(a)),
      m('psum', 'read', 32, (a) => y + rmw(a) + (s.role === 'ffn' || s.copiesGradient ? n : 0) + pe),
      m('psum', 'write', 32, (a) => rmw(a) + (s.role === 'ffn' || s.copiesGradient ? n : 0) + pe),
    );
    if (s.role === 'attention') {
      compute.push(c('cmp', FP, 'position', () => pe), c('cmp', FP, 'surrogate', (a) => 3 * t * apps(a)));
      memory.push(
        m('weight', 'read', 32, () => 2 * pe),
        m('weight', 'write', 32, () => pe),
        m('index', 'write', INDEX_BITS, () => 4 * t),
        m('state', 'write', 32, () => 2 * t),
        m('index', 'read', INDEX_BITS, (a) => 2 * t + 5 * t * apps(a) + flips(a)),
        m('state', 'read', 32, (a) => t + 2 * t * apps(a)),
      );
    } else {
      memory.push(m('index', 'write', INDEX_BITS, () => 2 * t), m('state', 'write', 32, () => t), m('index', 'read', INDEX_BITS, () => 2 * t), m('state', 'read', 32, () => t));
    }
  }
  // a LUT gathers 2·n_t·n_c elements of a dense float vector x (more reads than x has elements):
  // x holds no zeros to skip, so its input sparsity is 0, not 1 − gathers / n
  return { compute, memory, footprint, neuron: null, rates: { inputSparsity: () => 0 } };
}

/** What each operand's memory holds (LayerLedger.stores), for memory-aware cost models. */
export function lutLayerStores(s: LutLayerShape, learning: boolean): OperandStore[] {
  const { tables: t, context: C, xDim: n, yDim: y } = s;
  if (s.role === 'embed') return [{ operand: 'weight', words: n * y, bits: 32 }];
  if (s.role === 'softmax') return [{ operand: 'input', words: y, bits: 32 }, ...(learning ? [{ operand: 'output' as const, words: C * y, bits: 32 }] : [])];
  const stores: OperandStore[] = [{ operand: 'lut_row', words: tableWords(s), bits: 32 }];
  if (s.role === 'attention') {
    // the V-index cache (C positions × n_t) and the PE index table (C − 1 distances × n_t); learning
    // also caches r_min for both, u_min, and holds the PE parameters and the gradients
    stores.push({ operand: 'index', words: (learning ? 2 : 1) * (2 * C - 1) * t, bits: INDEX_BITS });
    if (learning) stores.push({ operand: 'state', words: (2 * C - 1) * t, bits: 32 }, { operand: 'weight', words: C * t * s.posBits, bits: 32 }, { operand: 'psum', words: 2 * C * n + C * t * s.posBits, bits: 32 });
  } else if (learning) {
    stores.push({ operand: 'index', words: 2 * C * t, bits: INDEX_BITS }, { operand: 'state', words: C * t, bits: 32 }, { operand: 'psum', words: C * (n + y), bits: 32 });
  }
  return stores;
}

const KIND = { embed: 'embedding', attention: 'lut-attention', ffn: 'lut-ffn', unembed: 'lut-unembed', softmax: 'softmax' } as const satisfies Record<LutRole, RecordedKind>;
/** The kinds of the LUTs proper (attention heads, FFNs, the unembedder): what they gather are table rows. */
const TABLE_KINDS: ReadonlySet<RecordedKind> = new Set([KIND.attention, KIND.ffn, KIND.unembed]);

/** A LUT layer proper (not the embedder or the softmax): its activity.outputEvents are table rows read. */
export function isLutTable(layer: LayerLedger): boolean {
  return isRecordedLayer(layer) && TABLE_KINDS.has(layer.geometry.kind);
}

export function lutGeometry(s: LutLayerShape): RecordedLayerGeometry {
  if (s.role === 'embed') return brainGeometry(KIND.embed, s.xDim, s.yDim, { fanIn: 1, weightCount: s.xDim * s.yDim, denseSynOps: 0 });
  if (s.role === 'softmax') return brainGeometry(KIND.softmax, s.xDim, s.yDim, { fanIn: s.xDim, weightCount: 0, denseSynOps: 0 });
  // every table word is a synapse: σ = words added / words held
  const words = tableWords(s);
  return brainGeometry(KIND[s.role], s.xDim, s.yDim, { fanIn: s.tables, fanOut: s.yDim, weightCount: words, denseSynOps: words, neurons: s.yDim });
}

/** A phase ledger from per-layer logs; every layer carries its stores. `tokens` overrides the sample count. */
export function lutPhaseLedger(backend: BackendDescriptor, samples: number, shapes: readonly LutLayerShape[], logs: readonly ActivityLog[], learning: boolean, tokens = samples): Ledger {
  const layers: PhaseLayer[] = shapes.map((s, i) => ({ name: s.name, geometry: lutGeometry(s), log: logs[i], rules: lutLayerRules(s, learning), stores: lutLayerStores(s, learning) }));
  return phaseLedger(backend, tokens, layers);
}

// ---------------------------------------------------------------------------------------------
// Activity of one token, by position

/** Adds one evaluated token at position `pos` (pos earlier tokens in its context) to the inference logs. */
export function logInferenceToken(shapes: readonly LutLayerShape[], logs: readonly ActivityLog[], sample: number, pos: number): void {
  shapes.forEach((s, i) => logs[i].add(sample, inferenceActivity(s, pos)));
}

/** One token's activity at position `pos`: its LUT applications are 1 (attention: `pos` pairs). */
export function inferenceActivity(s: LutLayerShape, pos: number): Partial<SampleActivity> {
  const { tables: t, comparisons: nc, yDim: y } = s;
  if (s.role === 'embed') return { updates: y };
  if (s.role === 'softmax') return { inputEvents: y, updates: 1 };
  const apps = s.role === 'attention' ? pos : 1;
  return { inputEvents: t * nc, synOps: t * y * apps, outputEvents: t * apps, updates: y };
}

/**
 * One training window of C tokens, as per-token means: attention pairs C(C−1)/2 per window, rows read
 * 3 per pair and table (forward j; backward j and j̄) plus the PE flips; others 1 application per token.
 */
export function learningActivity(s: LutLayerShape, peFlips: number): Partial<SampleActivity> {
  const { tables: t, comparisons: nc, yDim: y, context: C } = s;
  if (s.role === 'embed') return { updates: y };
  if (s.role === 'softmax') return { inputEvents: y, updates: y };
  const apps = s.role === 'attention' ? (C - 1) / 2 : 1;
  return { inputEvents: t * nc, synOps: t * y * apps, outputEvents: 3 * t * apps + peFlips / C, updates: y };
}

export function lutBackend(cfg: LutConfig, phase: string): BackendDescriptor {
  return {
    id: 'lut-izhikevich',
    family: 'snn',
    timesteps: 1,
    params: {
      phase,
      context: cfg.context,
      dim: cfg.dim,
      layers: cfg.layers,
      heads: cfg.heads,
      ffn: cfg.ffn,
      tables: cfg.tables,
      comparisons: cfg.comparisons,
      posBits: cfg.posBits,
      vocab: cfg.vocab,
      rowUnit: 'activity.outputEvents = table rows read; lut_row memory entries are in 32-bit words (rows × y_dim)',
      indexBits: INDEX_BITS,
      ...(phase === 'learning' ? { sample: `training token; each sample's counts are the per-token means of one ${cfg.context}-token window` } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Derived metrics

export interface LutTableUse {
  readonly name: string;
  readonly rows: number;
  /** Rows hit at least once, over all tables of the LUT. */
  readonly distinctRows: number;
  readonly deadFraction: number;
  /** Mean over tables of the row-hit entropy (bits), and its maximum log2(rows). */
  readonly entropyBits: number;
  readonly maxEntropyBits: number;
  readonly hits: number;
}

/** Distinct rows touched and hit entropy of each LUT from its row-hit counters (n_t × rows). */
export function tableUse(name: string, hits: Uint32Array, tables: number): LutTableUse {
  const rows = hits.length / tables;
  let distinct = 0;
  let entropy = 0;
  let total = 0;
  for (let i = 0; i < tables; i++) {
    let n = 0;
    for (let j = 0; j < rows; j++) n += hits[i * rows + j];
    total += n;
    let h = 0;
    for (let j = 0; j < rows; j++) {
      const k = hits[i * rows + j];
      if (k === 0) continue;
      distinct++;
      const q = k / n;
      h -= q * Math.log2(q);
    }
    entropy += h;
  }
  return { name, rows: rows * tables, distinctRows: distinct, deadFraction: 1 - distinct / (rows * tables), entropyBits: entropy / tables, maxEntropyBits: Math.log2(rows), hits: total };
}

export function networkTableUse(net: LutNetwork, hits: LutHits): LutTableUse[] {
  const t = net.cfg.tables;
  const out: LutTableUse[] = [];
  net.layers.forEach((L, l) => {
    L.heads.forEach((_, h) => out.push(tableUse(`L${l}.head${h}`, hits.heads[l][h], t)));
    const f = hits.ffn[l];
    if (f) out.push(tableUse(`L${l}.ffn`, f, t));
  });
  out.push(tableUse('unembed', hits.unembed, t));
  return out;
}

export interface LedgerTraffic {
  /** All memory words per sample (every operand; index words are 16-bit, the others 32-bit). */
  readonly words: number;
  readonly lutRowWords: number;
  readonly indexWords: number;
  /** The anchor gathers x[a], x[b] of the LUT layers. */
  readonly gatherWords: number;
  /** Table rows read per sample (activity.outputEvents of the LUT layers). */
  readonly rows: number;
  /** Anchor compares, ACs, EXPs. */
  readonly cmp: number;
  readonly ac: number;
  readonly exp: number;
}

/** Per-sample means of a ledger's traffic in words and rows, and its cmp/AC/EXP counts. */
export function ledgerTraffic(ledger: Ledger): LedgerTraffic {
  const t = { words: 0, lutRowWords: 0, indexWords: 0, gatherWords: 0, rows: 0, cmp: 0, ac: 0, exp: 0 };
  for (const l of ledger.layers) {
    const lut = isLutTable(l);
    if (lut) t.rows += l.activity.outputEvents.mean;
    for (const e of l.memory) {
      const n = e.count.mean;
      t.words += n;
      if (e.operand === 'lut_row' && e.action === 'read') t.lutRowWords += n;
      if (e.operand === 'index') t.indexWords += n;
      if (lut && e.operand === 'input' && e.action === 'read') t.gatherWords += n;
    }
    for (const e of l.compute) {
      if (e.op === 'cmp' && e.purpose === 'anchor') t.cmp += e.count.mean;
      if (e.op === 'ac') t.ac += e.count.mean;
      if (e.op === 'exp') t.exp += e.count.mean;
    }
  }
  return t;
}

/** Words a network holds: tables, embedder, PE parameters (n_t·C·p per head). */
export function networkFootprint(net: LutNetwork): { tableWords: number; embedWords: number; peWords: number; total: number } {
  const tableWordsTotal = net.luts().reduce((s, l) => s + l.words, 0);
  const peWords = net.layers.reduce((s, L) => s + L.heads.reduce((q, h) => q + h.pe.length, 0), 0);
  return { tableWords: tableWordsTotal, embedWords: net.embed.length, peWords, total: tableWordsTotal + net.embed.length + peWords };
}

export type { BrainPhase };
