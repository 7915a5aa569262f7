// Two bounds on an ANN with memory (the reconstruction of Dampfhoffer et al. 2023 in
// energy-models.md §1.3), priced with the same technology (tech.ts):
//
//  ann-no-reuse     every operand is fetched from its memory for every MAC (formula (a)):
//                   E = N·(E_MAC + E_rd,w + E_rd,x + E_rd,psum + E_wr,psum)
//  ann-ideal-reuse  the theoretical upper bound on ANN efficiency (formula (b)): every datum crosses
//                   its memory boundary once and zero inputs are skipped:
//                   E = (1 − s_x)·N·E_MAC + |W|·E_rd,w + |X|·E_rd,x + |Y|·E_wr,y
//
// Both add the per-output terms every ANN layer has: bias read, and the ops the backend recorded
// besides the synaptic MACs (bias add, activation, requantization, pooling) at their own widths; no-reuse
// also writes each final output once. Each operand lives in a memory sized to hold it (weights |W|·b_w
// bits, inputs |X|·b_x, outputs and partial sums |Y|·b); one word costs E_sram(capacity)·b/accessBits,
// or a DRAM access when the memory is larger than sramMaxBits. Grouped and dilated convolutions need
// nothing more: |W| (K·C/G·FY·FX), |X|, |Y| and N (the dense MACs) already count the groups, and
// ideal reuse has no dataflow to map.
//
// Recorded layers (any kind but dense / conv / pool: sequence blocks, LUT networks, brain-model phases;
// cost-models/recorded.ts) are priced from their recorded traffic, each operand in a memory sized by the
// layer's stores, whatever the ledger's family (a recorded spiking layer is what this machine would do
// to run it; a dense/conv/pool layer of a spiking ledger is still refused):
//  ann-ideal-reuse  as recorded (the recording convention already is once per datum per step), with the
//                   reads of each operand clamped to its store's words per timestep where a ledger
//                   recorded more (per-event spiking traffic, repeated sweeps, second passes);
//  ann-no-reuse     as recorded, plus formula (a)'s per-MAC fetches for every MAC entry: per MAC, one
//                   read of its stored operand from the largest memory the layer reads, one input read,
//                   and a partial-sum read and write.
import type { LayerLedger, Ledger } from '../core/ledger.js';
import { isRecordedLayer } from '../core/ledger.js';
import type { EnergyItem, Term } from './energy.js';
import { termsToItems, totalEnergyJ } from './energy.js';
import type { LayerFacts } from './layer-facts.js';
import { layerFacts, poolWindowReads, requireFamily } from './layer-facts.js';
import type { CostModel, PricedLedger, UnpricedCount } from './model.js';
import { OutOfRangeError, inLayer } from './model.js';
import type { HardwareProfile } from './profile.js';
import { recordedLayerItems, techRecordedPricing } from './recorded.js';
import type { MemoryOperand, Tech } from './tech.js';
import { ARITHMETIC_ROLES, MEMORY_OPTIONS, MEMORY_PARAMETERS, MEMORY_ROLES, NODE_PARAMETERS, OP_EQUIVALENT_ROLES, PACKED_SRAM_ROLE, TECH_ROLE_UNITS, techOf, validateMemoryOptions } from './tech.js';

type Reuse = 'none' | 'ideal';

/** Ops the backend recorded besides the synaptic ones, priced at their own type and width. */
export function otherOpTerms(layer: LayerLedger, tech: Tech, skip: readonly string[] = []): Term[] {
  return layer.compute
    .filter((c) => c.purpose !== 'synaptic' && !skip.includes(c.purpose))
    .map((c) => ({ component: 'compute', operand: c.op, action: c.purpose, level: 'alu', count: c.count.mean, unitJ: tech.opJ(c.op, c.numeric, c.bits) }));
}

function memoryTerm(tech: Tech, operand: MemoryOperand, action: 'read' | 'write', count: number, capacityWords: number, bits: number): Term {
  const m = tech.memoryJ(capacityWords * bits, bits, operand);
  return { component: 'memory', operand, action, level: m.level, count, unitJ: m.unitJ };
}

export function annLayerTerms(layer: LayerLedger, reuse: Reuse, tech: Tech, f: LayerFacts = layerFacts(layer)): Term[] {
  const g = layer.geometry;
  const b = f.bits;
  const terms: Term[] = [];
  if (f.synapticLayer) {
    const mac = f.synaptic;
    if (!mac || mac.op !== 'mac') throw new OutOfRangeError(`layer ${layer.name}: an ANN layer with weights must record synaptic MACs`, layer.name);
    const eMac = tech.opJ('mac', mac.numeric, mac.bits);
    if (reuse === 'none') {
      const n = mac.count.mean; // the MACs the backend performed (dense: all of them; zero-skipping: the nonzero ones)
      terms.push(
        { component: 'compute', operand: 'mac', action: 'synaptic', level: 'alu', count: n, unitJ: eMac },
        memoryTerm(tech, 'weight', 'read', n, g.weightCount, b.weight),
        memoryTerm(tech, 'input', 'read', n, f.inputs, b.input),
        memoryTerm(tech, 'psum', 'read', n, f.outputs, b.accumulator),
        memoryTerm(tech, 'psum', 'write', n, f.outputs, b.accumulator),
      );
    } else {
      terms.push(
        // (1 − s_x)·N: only MACs with a nonzero input happen (zero-skipping, free in the bound)
        { component: 'compute', operand: 'mac', action: 'synaptic', level: 'alu', count: layer.activity.synOps.mean, unitJ: eMac },
        memoryTerm(tech, 'weight', 'read', g.weightCount, g.weightCount, b.weight),
        memoryTerm(tech, 'input', 'read', f.inputs, f.inputs, b.input),
      );
    }
    if (g.biasCount > 0) terms.push(memoryTerm(tech, 'bias', 'read', f.outputs, g.biasCount, b.bias));
  } else {
    // pooling: every window element is read (no reuse) or every input once (ideal)
    terms.push(memoryTerm(tech, 'input', 'read', reuse === 'none' ? poolWindowReads(layer) : f.inputs, f.inputs, b.input));
  }
  terms.push(memoryTerm(tech, 'output', 'write', f.outputs, f.outputs, b.output));
  terms.push(...otherOpTerms(layer, tech, reuse === 'ideal' ? ['zero-detect'] : []));
  return terms;
}

function annReuseModel(reuse: Reuse): CostModel {
  const id = reuse === 'none' ? 'ann-no-reuse' : 'ann-ideal-reuse';
  return {
    id,
    description:
      reuse === 'none'
        ? 'ANN with no data reuse: every MAC fetches its weight and input and reads and writes its partial sum in memory (Dampfhoffer et al. 2023 reconstruction (a)); recorded layers (sequence blocks, LUT networks, learning phases) as recorded plus those per-MAC fetches.'
        : 'ANN with ideal data reuse and zero-skipping, the upper bound on ANN efficiency: every datum crosses its memory once, zero inputs cost no MAC (Dampfhoffer et al. 2023 reconstruction (b)); recorded layers (sequence blocks, LUT networks, learning phases) as recorded, reads at most one per stored word per step.',
    constantRoles: [...ARITHMETIC_ROLES, ...MEMORY_ROLES],
    optionalConstantRoles: [...OP_EQUIVALENT_ROLES, PACKED_SRAM_ROLE],
    roleUnits: TECH_ROLE_UNITS,
    parameters: { ...NODE_PARAMETERS, ...MEMORY_PARAMETERS },
    options: MEMORY_OPTIONS,
    validate: validateMemoryOptions,
    price(ledger: Ledger, profile: HardwareProfile): PricedLedger {
      requireFamily(ledger, 'ann', id, 'price the SNN with an SNN profile (neuromorphic-core, all-in chips) and compare the pair', true);
      const tech = techOf(profile);
      const recorded = techRecordedPricing(tech, { clampReads: reuse === 'ideal', perMacFetches: reuse === 'none' });
      const items: EnergyItem[] = [];
      const unpriced: UnpricedCount[] = [];
      for (const layer of ledger.layers) {
        if (isRecordedLayer(layer)) {
          items.push(...inLayer(layer.name, () => recordedLayerItems(layer, ledger.backend.timesteps, recorded)));
          continue;
        }
        items.push(...termsToItems(layer.index, layer.name, inLayer(layer.name, () => annLayerTerms(layer, reuse, tech))));
        for (const m of layer.memory.filter((x) => x.operand === 'address')) unpriced.push({ layer: layer.name, what: `address ${m.action}`, count: m.count.mean });
        if (reuse === 'ideal') for (const c of layer.compute.filter((x) => x.purpose === 'zero-detect')) unpriced.push({ layer: layer.name, what: 'cmp (zero-detect; free in the ideal bound)', count: c.count.mean });
      }
      return { profile: profile.id, model: id, totalJ: totalEnergyJ(items), items, constants: tech.constants, unpriced };
    },
  };
}

export const annNoReuseModel = annReuseModel('none');
export const annIdealReuseModel = annReuseModel('ideal');
