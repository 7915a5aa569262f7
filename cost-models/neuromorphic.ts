// An event-driven neuromorphic core (the SNN side of the Dampfhoffer et al. 2023 reconstruction,
// energy-models.md §1.3), priced with the same technology as the ANN bounds (tech.ts):
//
//   per input event      read its address from the layer's input FIFO
//   per synaptic op      read the weight, read-modify-write the accumulator (membrane potential; the
//                        synaptic current for current-based neurons), one accumulate, one address add
//                        (e_SOP = E_rd,w + E_rd,V + E_ACC + E_wr,V)
//   per neuron update    read-modify-write the membrane potential, read the bias, and the ops the backend
//                        recorded per update (bias add, threshold compare, LIF leak multiply, CUBA current
//                        decay and add): the clock-driven leak term N_out·T·(E_rd,V + E_MUL + E_wr,V) of a
//                        LIF layer; a CUBA layer also read-modify-writes its current every update
//   event-driven         a timestamp read and write per update (lazy leak)
//   per output spike     write its address into the next layer's FIFO (routing), a reset add
//   read-out layer       write its N_out outputs once
//
// Each memory is sized to what it holds (weights, one state word per neuron, FIFO of fifoEntries event
// addresses of ⌈log2(inputs)⌉ bits). No data reuse: every synaptic event re-reads its weight.
//
// Recorded layers (sequence blocks, LUT networks, brain-model phases; cost-models/recorded.ts) of
// EITHER family are priced as recorded on the core's technology and memories — each op at its type and
// width, each access in a memory sized by the layer's stores, no reuse and no clamping (a spiking
// recorded layer already records its per-event traffic; an inter-token ANN block run on the core is a
// fair question). Only the dense/conv/pool layers of an ANN ledger are still refused.
import type { LayerLedger, Ledger } from '../core/ledger.js';
import { isRecordedLayer } from '../core/ledger.js';
import type { EnergyItem, Term } from './energy.js';
import { termsToItems, totalEnergyJ } from './energy.js';
import { otherOpTerms } from './ann-reuse.js';
import { layerFacts, requireFamily } from './layer-facts.js';
import type { CostModel, PricedLedger } from './model.js';
import { inLayer } from './model.js';
import type { HardwareProfile } from './profile.js';
import { recordedLayerItems, refuseRecordedMarginal, techRecordedPricing } from './recorded.js';
import type { Tech } from './tech.js';
import { ARITHMETIC_ROLES, MEMORY_OPTIONS, MEMORY_PARAMETERS, MEMORY_ROLES, NODE_PARAMETERS, OP_EQUIVALENT_ROLES, PACKED_SRAM_ROLE, TECH_ROLE_UNITS, techOf, validateMemoryOptions } from './tech.js';

const addressBits = (n: number): number => Math.max(1, Math.ceil(Math.log2(Math.max(2, n))));

/** Per-unit energies of one spiking layer on the core. */
export function coreUnitEnergies(layer: LayerLedger, tech: Tech, fifoEntries: number) {
  const f = layerFacts(layer);
  const g = layer.geometry;
  const cuba = layer.neuron === 'cuba';
  const stateBits = f.bits.accumulator;
  // one state word per neuron; each state operand in the memory the profile declares for it
  const stateOf = (operand: 'potential' | 'current' | 'timestamp') => tech.memoryJ(g.neurons * stateBits, stateBits, operand);
  const inAddr = addressBits(f.inputs);
  const outAddr = addressBits(f.outputs);
  const syn = f.synaptic;
  return {
    f,
    cuba,
    /** The memory the synaptic ops accumulate into: the membrane potential, or the current of CUBA neurons. */
    state: stateOf(cuba ? 'current' : 'potential'),
    potential: stateOf('potential'),
    /** The memory of another state operand (CUBA's current, the lazy leak's timestamps), priced only where used. */
    stateOf,
    inFifo: tech.memoryJ(fifoEntries * inAddr, inAddr, 'event'),
    outFifo: tech.memoryJ(fifoEntries * outAddr, outAddr, 'event'),
    weight: f.synapticLayer ? tech.memoryJ(g.weightCount * f.bits.weight, f.bits.weight, 'weight') : null,
    bias: g.biasCount > 0 ? tech.memoryJ(g.biasCount * f.bits.bias, f.bits.bias, 'bias') : null,
    output: tech.memoryJ(f.outputs * f.bits.output, f.bits.output, 'output'),
    synOpJ: syn ? tech.opJ(syn.op, syn.numeric, syn.bits) : tech.opJ('add', 'fp', stateBits),
    synOp: syn?.op ?? 'ac',
    addressJ: tech.opJ('index', 'int', outAddr),
  };
}

export function coreLayerTerms(layer: LayerLedger, eventDriven: boolean, tech: Tech, fifoEntries: number): Term[] {
  const u = coreUnitEnergies(layer, tech, fifoEntries);
  const a = layer.activity;
  const sop = a.synOps.mean;
  const upd = a.updates.mean;
  const acc = u.cuba ? 'current' : 'potential';
  const mem = (operand: string, action: string, count: number, m: { level: string; unitJ: number }): Term => ({ component: 'memory', operand, action, level: m.level, count, unitJ: m.unitJ });
  const terms: Term[] = [
    mem('event', 'read', a.inputEvents.mean, u.inFifo),
    ...(u.weight ? [mem('weight', 'read', sop, u.weight)] : []),
    mem(acc, 'read', sop, u.state),
    mem(acc, 'write', sop, u.state),
    { component: 'compute', operand: u.synOp, action: 'synaptic', level: 'alu', count: sop, unitJ: u.synOpJ },
    { component: 'compute', operand: 'index', action: 'addressing', level: 'alu', count: sop, unitJ: u.addressJ },
    mem('potential', 'read', upd, u.potential),
    mem('potential', 'write', upd, u.potential),
    ...(u.cuba ? [mem('current', 'read', upd, u.stateOf('current')), mem('current', 'write', upd, u.stateOf('current'))] : []),
    ...(u.bias ? [mem('bias', 'read', upd, u.bias)] : []),
    ...(eventDriven ? [mem('timestamp', 'read', upd, u.stateOf('timestamp')), mem('timestamp', 'write', upd, u.stateOf('timestamp'))] : []),
    ...otherOpTerms(layer, tech),
    layer.neuron !== null ? mem('event', 'write', a.outputEvents.mean, u.outFifo) : mem('output', 'write', u.f.outputs, u.output),
  ];
  return terms;
}

const fifoOf = (p: HardwareProfile): number => p.parameters.fifoEntries.value;

export const neuromorphicCoreModel: CostModel = {
  id: 'neuromorphic-core',
  description:
    'Event-driven neuromorphic core: per synaptic event a weight read, a membrane (or current) read-modify-write, an accumulate and an address add; per neuron update a state read-modify-write, bias and the recorded neuron ops (leak, CUBA current); spikes through FIFOs (Dampfhoffer et al. 2023 reconstruction). Recorded layers (sequence blocks, LUT networks, learning phases) of either family as recorded, each operand in a memory of its store size.',
  constantRoles: [...ARITHMETIC_ROLES, ...MEMORY_ROLES],
  optionalConstantRoles: [...OP_EQUIVALENT_ROLES, PACKED_SRAM_ROLE],
  roleUnits: TECH_ROLE_UNITS,
  parameters: { ...NODE_PARAMETERS, ...MEMORY_PARAMETERS, fifoEntries: { unit: 'entries', min: 1, max: 1e7, integer: true } },
  options: MEMORY_OPTIONS,
  validate: validateMemoryOptions,
  price(ledger: Ledger, profile: HardwareProfile): PricedLedger {
    requireFamily(ledger, 'snn', 'neuromorphic-core', 'price the ANN with an ANN profile (ann-no-reuse, ann-ideal-reuse, eyeriss) and compare the pair', true);
    const tech = techOf(profile);
    const eventDriven = ledger.backend.params.execution === 'event-driven';
    const recorded = techRecordedPricing(tech, { clampReads: false, perMacFetches: false });
    const items: EnergyItem[] = [];
    for (const layer of ledger.layers) {
      if (isRecordedLayer(layer)) items.push(...inLayer(layer.name, () => recordedLayerItems(layer, ledger.backend.timesteps, recorded)));
      else items.push(...termsToItems(layer.index, layer.name, inLayer(layer.name, () => coreLayerTerms(layer, eventDriven, tech, fifoOf(profile)))));
    }
    return { profile: profile.id, model: 'neuromorphic-core', totalJ: totalEnergyJ(items), items, constants: tech.constants, unpriced: [] };
  },
  synOpMarginalJ(layer: LayerLedger, _ledger: Ledger, profile: HardwareProfile): number {
    refuseRecordedMarginal(layer, 'neuromorphic-core');
    const u = coreUnitEnergies(layer, techOf(profile), fifoOf(profile));
    const fanOut = layer.geometry.fanOut;
    return (u.weight?.unitJ ?? 0) + 2 * u.state.unitJ + u.synOpJ + u.addressJ + (fanOut > 0 ? u.inFifo.unitJ / fanOut : 0);
  },
};
