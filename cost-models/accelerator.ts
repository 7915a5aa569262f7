// An ANN accelerator with a memory hierarchy DRAM → global buffer → PE array (network) → register
// file, priced Eyeriss-style (Chen, Emer, Sze, ISCA 2016; energy-models.md §3.3): every access at a
// level costs EC_level × E_MAC (RF 1×, array 2×, buffer 6×, DRAM 200×). Per datum, with reuse factors
// a (DRAM fetches), b (buffer), c (array), d (register file) whose product is the datum's uses:
//
//   weight / input:  a·EC_DRAM + a·b·EC_GB + a·b·c·EC_array + a·b·c·d·EC_RF
//   psum (output):   (2a−1)·EC_DRAM + 2a(b−1)·EC_GB + a·b·(c−1)·EC_array + 2abc(d−1)·EC_RF
//
// The dataflow and the capacities set the factors (an analytical model, not a mapper):
//  - uses per datum: weight OY·OX, input N/|X|, output C·FY·FX (N = dense MACs);
//  - register file (d) and array (c) reuse by dataflow:
//      weight-stationary  d_w = OY·OX; inputs multicast over min(K, cols) PEs; psums reduced over min(C·FY·FX, rows)
//      output-stationary  d_o = C·FY·FX; weights multicast over min(OY·OX, rows·cols) PEs
//      row-stationary     d_w = OX, d_x = FX/SX, d_o = FX (a filter row and an input row in each PE's RF);
//                         weights shared over min(OY, cols), inputs and psums over min(FY, rows)
//    each clamped so that c·d never exceeds the uses, and the RF must hold what the dataflow keeps there;
//  - DRAM (a): the largest tensor streams while the other two stay in the global buffer; when they do
//    not fit, they are tiled into buffer-sized pieces and the streamed tensor is re-fetched once per
//    tile (a = ⌈resident bits / buffer bits⌉); every other datum crosses DRAM once. b takes the rest.
// Layers run one after another with their inputs and outputs in DRAM.
// A grouped convolution (loop nest G > 1, K and C per group; core/geometry.ts) runs as its G group
// convolutions one after another: the multicast and reduction extents above are the group's K and
// C·FY·FX (an input is reused by its group's K output channels only; the uses per datum come from the
// dense MACs, which count the groups), and the buffer tiling sizes each group's share (every tensor's
// words / G). A dilated one (DX > 1) keeps in each PE's register file, row-stationary, the
// (FX − 1)·DX + 1 inputs a filter row spans.
//
// Recorded layers (sequence blocks, LUT networks, brain-model phases; cost-models/recorded.ts), of
// either family, have no loop nest to map: each recorded access is served by the innermost level that
// can hold the operand's whole store — a PE's register file when the store fits rfBits, else the global
// buffer when it fits gbBits, else DRAM — and costs EC_level × E_MAC as above (no array transfers). One
// access moves one datapath word; words narrower than it share the access (a b-bit word costs b/datapath
// bits of one, e.g. 1-bit spikes 1/32 of an fp32 access). E_MAC is the layer's own MAC (its first MAC
// entry, else its first op, else an int MAC as wide as its widest word); ops are priced at their type
// and width, exp/log/div as multiply-add equivalents.
import type { LayerLedger, Ledger, RecordedLayerLedger } from '../core/ledger.js';
import { loopGroups } from '../core/geometry.js';
import { isRecordedLayer } from '../core/ledger.js';
import type { EnergyItem, Term } from './energy.js';
import { termsToItems, totalEnergyJ } from './energy.js';
import { otherOpTerms } from './ann-reuse.js';
import { layerFacts, poolWindowReads, requireFamily } from './layer-facts.js';
import type { CostModel, PricedLedger } from './model.js';
import { OutOfRangeError } from './model.js';
import type { HardwareProfile } from './profile.js';
import type { RecordedPricing, ResolvedStore } from './recorded.js';
import { recordedLayerItems } from './recorded.js';
import type { Tech } from './tech.js';
import { ARITHMETIC_ROLES, NODE_PARAMETERS, OP_EQUIVALENT_ROLES, TECH_ROLE_UNITS, techOf } from './tech.js';

export type Dataflow = 'weight-stationary' | 'output-stationary' | 'row-stationary';
export const HIERARCHY_ROLES = ['rf', 'noc', 'globalBuffer', 'dram'] as const;

export interface ReuseFactors {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

export interface AcceleratorGeometry {
  readonly peRows: number;
  readonly peCols: number;
  readonly rfBits: number;
  readonly gbBits: number;
}

interface Tensor {
  readonly words: number;
  readonly bits: number;
  readonly uses: number;
  /** RF and array reuse before clamping. */
  readonly d: number;
  readonly c: number;
}

/** Reuse factors of weights, inputs and outputs of one synaptic layer under a dataflow. */
export function reuseFactors(layer: LayerLedger, dataflow: Dataflow, hw: AcceleratorGeometry, bits: { weight: number; input: number; accumulator: number }): { w: ReuseFactors; x: ReuseFactors; o: ReuseFactors } {
  const g = layer.geometry;
  // K and C of one group (core/geometry.ts: a grouped conv's nest is G convolutions of K from C)
  const { K, C, OY, OX, FY, FX, SX } = g.loops;
  const G = loopGroups(g.loops);
  const DX = g.loops.DX ?? 1;
  const n = g.denseSynOps;
  const inputs = n === 0 ? 0 : g.inputShape.reduce((p, q) => p * q, 1);
  const outputs = g.outputShape.reduce((p, q) => p * q, 1);
  const rf = (need: number, what: string): void => {
    if (need > hw.rfBits) throw new OutOfRangeError(`${dataflow}: layer ${layer.name} needs ${need} bits of register file per PE (${what}) but the profile gives ${hw.rfBits}; this dataflow cannot map it`, layer.name);
  };
  let dw = 1, dx = 1, dout = 1, cw = 1, cx = 1, cout = 1;
  if (dataflow === 'weight-stationary') {
    rf(bits.weight, 'one weight');
    dw = OY * OX;
    cx = Math.min(K, hw.peCols);
    cout = Math.min(C * FY * FX, hw.peRows);
  } else if (dataflow === 'output-stationary') {
    rf(bits.accumulator, 'one partial sum');
    dout = C * FY * FX;
    cw = Math.min(OY * OX, hw.peRows * hw.peCols);
  } else {
    const span = (FX - 1) * DX + 1; // the inputs one filter row spans (FX without dilation)
    rf(FX * bits.weight + span * bits.input + bits.accumulator, `a filter row of ${FX} weights, ${span} inputs and a partial sum`);
    dw = OX;
    dx = Math.max(1, FX / SX);
    dout = FX;
    cw = Math.min(OY, hw.peCols);
    cx = Math.min(FY, hw.peRows);
    cout = Math.min(FY, hw.peRows);
  }
  const t: Record<'w' | 'x' | 'o', Tensor> = {
    w: { words: g.weightCount, bits: bits.weight, uses: n / g.weightCount, d: dw, c: cw },
    x: { words: inputs, bits: bits.input, uses: n / inputs, d: dx, c: cx },
    o: { words: outputs, bits: bits.accumulator, uses: n / outputs, d: dout, c: cout },
  };
  // the buffer holds one group's share of each tensor at a time (G = 1: the whole layer)
  const sizes = (['w', 'x', 'o'] as const).map((k) => (t[k].words * t[k].bits) / G);
  const total = sizes[0] + sizes[1] + sizes[2];
  const streamed = (['w', 'x', 'o'] as const)[sizes.indexOf(Math.max(...sizes))];
  const tiles = Math.max(1, Math.ceil((total - (t[streamed].words * t[streamed].bits) / G) / hw.gbBits));
  const factors = (k: 'w' | 'x' | 'o'): ReuseFactors => {
    const { uses } = t[k];
    const d = Math.min(t[k].d, uses);
    const c = Math.min(t[k].c, uses / d);
    const a = Math.min(k === streamed ? tiles : 1, uses / (c * d));
    return { a, b: uses / (a * c * d), c, d };
  };
  return { w: factors('w'), x: factors('x'), o: factors('o') };
}

/** Accesses per datum at each level: reads for weights and inputs, reads and writes for partial sums. */
export function accessesPerDatum(r: ReuseFactors, psum: boolean): { level: 'dram' | 'gb' | 'noc' | 'rf'; action: string; count: number }[] {
  const { a, b, c, d } = r;
  if (!psum) {
    return [
      { level: 'dram', action: 'read', count: a },
      { level: 'gb', action: 'read', count: a * b },
      { level: 'noc', action: 'transfer', count: a * b * c },
      { level: 'rf', action: 'read', count: a * b * c * d },
    ];
  }
  return [
    { level: 'dram', action: 'write', count: a },
    { level: 'dram', action: 'read', count: a - 1 },
    { level: 'gb', action: 'read', count: a * (b - 1) },
    { level: 'gb', action: 'write', count: a * (b - 1) },
    { level: 'noc', action: 'transfer', count: a * b * (c - 1) },
    { level: 'rf', action: 'read', count: a * b * c * (d - 1) },
    { level: 'rf', action: 'write', count: a * b * c * (d - 1) },
  ];
}

const EC_ROLE = { dram: 'dram', gb: 'globalBuffer', noc: 'noc', rf: 'rf' } as const;

/** The innermost level that holds a whole store: the register file, the global buffer, else DRAM. */
export function levelHolding(store: ResolvedStore, hw: AcceleratorGeometry): 'rf' | 'gb' | 'dram' {
  return store.capacityBits <= hw.rfBits ? 'rf' : store.capacityBits <= hw.gbBits ? 'gb' : 'dram';
}

/** A recorded layer on the hierarchy: each access at EC_level × E_MAC of the layer's datapath. */
function recordedOnHierarchy(layer: RecordedLayerLedger, tech: Tech, hw: AcceleratorGeometry, ec: (level: keyof typeof EC_ROLE) => number): RecordedPricing {
  const unit = layer.compute.find((c) => c.op === 'mac') ?? layer.compute[0];
  const datapathBits = unit ? unit.bits : Math.max(1, ...layer.memory.map((m) => m.bits));
  const eMac = unit ? tech.opJ('mac', unit.numeric, unit.bits) : tech.opJ('mac', 'int', datapathBits);
  return {
    opJ: tech.opJ,
    access: (store, wordBits) => {
      const level = levelHolding(store, hw);
      // words narrower than the datapath word share its access (1-bit spikes: 32 per fp32 access)
      return { level, unitJ: ec(level) * eMac * Math.min(1, wordBits / datapathBits) };
    },
    clampReads: false,
    perMacFetches: false,
  };
}

function acceleratorModel(dataflow: Dataflow, id: string): CostModel {
  return {
    id,
    description: `ANN accelerator, ${dataflow} dataflow: DRAM → global buffer → PE array → register file, each access priced at Eyeriss's relative cost × E_MAC; the dataflow and the buffer and register-file capacities set the reuse at each level. Recorded layers (sequence blocks, LUT networks, learning phases): each access at the innermost level that holds the operand's store.`,
    constantRoles: [...ARITHMETIC_ROLES, ...HIERARCHY_ROLES],
    optionalConstantRoles: OP_EQUIVALENT_ROLES,
    // the hierarchy's access costs are multiples of the layer's own MAC (Eyeriss's normalized costs)
    roleUnits: { ...TECH_ROLE_UNITS, rf: 'xMAC', noc: 'xMAC', globalBuffer: 'xMAC', dram: 'xMAC' },
    parameters: {
      ...NODE_PARAMETERS,
      peRows: { unit: 'PEs', min: 1, max: 4096, integer: true },
      peCols: { unit: 'PEs', min: 1, max: 4096, integer: true },
      rfBits: { unit: 'bits', min: 8, max: 1e7, integer: true },
      gbBits: { unit: 'bits', min: 1024, max: 1e10, integer: true },
    },
    price(ledger: Ledger, profile: HardwareProfile): PricedLedger {
      requireFamily(ledger, 'ann', id, 'price the SNN with an SNN profile (neuromorphic-core, all-in chips) and compare the pair', true);
      const tech = techOf(profile, false);
      const P = profile.parameters;
      const hw: AcceleratorGeometry = { peRows: P.peRows.value, peCols: P.peCols.value, rfBits: P.rfBits.value, gbBits: P.gbBits.value };
      const ec = (level: keyof typeof EC_ROLE): number => profile.constants[EC_ROLE[level]].valueSI;
      const items: EnergyItem[] = [];
      for (const layer of ledger.layers) {
        if (isRecordedLayer(layer)) {
          items.push(...recordedLayerItems(layer, ledger.backend.timesteps, recordedOnHierarchy(layer, tech, hw, ec)));
          continue;
        }
        const f = layerFacts(layer);
        const terms: Term[] = [];
        const unitOp = f.synaptic ?? layer.compute[0];
        const eMac = tech.opJ('mac', unitOp?.numeric ?? 'fp', unitOp?.bits ?? f.bits.accumulator);
        const access = (operand: string, level: keyof typeof EC_ROLE, action: string, count: number): Term => ({ component: 'memory', operand, action, level, count, unitJ: ec(level) * eMac });
        if (f.synapticLayer) {
          if (!f.synaptic || f.synaptic.op !== 'mac') throw new OutOfRangeError(`layer ${layer.name}: an ANN layer with weights must record synaptic MACs`, layer.name);
          const r = reuseFactors(layer, dataflow, hw, f.bits);
          const words = { weight: layer.geometry.weightCount, input: f.inputs, psum: f.outputs };
          for (const [operand, rf, psum] of [['weight', r.w, false], ['input', r.x, false], ['psum', r.o, true]] as const) {
            for (const x of accessesPerDatum(rf, psum)) terms.push(access(operand, x.level, x.action, words[operand] * x.count));
          }
          if (layer.geometry.biasCount > 0) terms.push(access('bias', 'dram', 'read', layer.geometry.biasCount));
          terms.push({ component: 'compute', operand: 'mac', action: 'synaptic', level: 'alu', count: f.synaptic.count.mean, unitJ: eMac });
        } else {
          terms.push(access('input', 'dram', 'read', f.inputs), access('input', 'rf', 'read', poolWindowReads(layer)), access('output', 'dram', 'write', f.outputs));
        }
        terms.push(...otherOpTerms(layer, tech));
        items.push(...termsToItems(layer.index, layer.name, terms));
      }
      const constants = [...tech.constants, ...HIERARCHY_ROLES.map((r) => profile.constants[r])];
      return { profile: profile.id, model: id, totalJ: totalEnergyJ(items), items, constants, unpriced: [] };
    },
  };
}

export const acceleratorModels: readonly CostModel[] = [
  acceleratorModel('row-stationary', 'accelerator-rs'),
  acceleratorModel('weight-stationary', 'accelerator-ws'),
  acceleratorModel('output-stationary', 'accelerator-os'),
];
