// Lemaire et al., "An Analytical Estimation of Spiking Neural Networks Energy Efficiency", ICONIP 2022
// (arXiv:2210.13107), following the authors' implementation (LEAT-EDGE/qualia-plugin-snn,
// EnergyEstimationMetric.py, "ICONIP" memory mode). Equation numbers are the paper's.
//
// Every access is priced at E_ram(m), m the memory that holds the operand (bits = elements × word
// width), in one of the code's two memory modes (option sramMode, energy-models.md §2):
//   fit-per-access  "ICONIP" mode, the paper's: E_ram(m) = slope · bits(m) + intercept per access;
//   flat-packed     "new" mode (T. Louis): words packed into one 64-bit access to an 8 KiB block,
//                   E_ram = sramPackedAccess / (accessBits / word bits) = 10 pJ / (64 / bits).
// Ops: MAC = E_mul + E_add, ACC = E_add.
// θ_in / θ_out are the input / output events per inference summed over the T timesteps.
// Recorded layers (sequence blocks, LUT networks, brain-model phases: any kind but dense / conv / pool)
// are refused: the formulas derive every count from a dense or conv geometry.
import type { GeometricLayerLedger, LayerLedger, Ledger } from '../core/ledger.js';
import { isRecordedLayer } from '../core/ledger.js';
import type { EnergyItem } from './energy.js';
import { energyItem, totalEnergyJ } from './energy.js';
import type { CostModel, PricedLedger } from './model.js';
import { OutOfRangeError } from './model.js';
import type { HardwareProfile } from './profile.js';
import { optionValue } from './profile.js';
import { PACKED_SRAM_ROLE, SRAM_MODE_MEANINGS, validateMemoryOptions } from './tech.js';

/** One priced term before it becomes an EnergyItem. */
interface Term {
  readonly component: 'compute' | 'memory';
  readonly operand: string;
  readonly action: string;
  readonly level: string;
  readonly count: number;
  readonly unitJ: number;
}

/** Lemaire's SRAM access energy for a memory of `bits` bits, in joules (the ICONIP capacity fit). */
export function lemaireSramJ(bits: number, profile: HardwareProfile): number {
  return profile.constants.sramSlope.valueSI * bits + profile.constants.sramIntercept.valueSI;
}

/** The energy of one `wordBits` access to a memory of `memoryBits`, in the profile's sramMode. */
export function lemaireAccessJ(memoryBits: number, wordBits: number, profile: HardwareProfile): number {
  if (optionValue(profile, 'sramMode') === 'flat-packed') return (profile.constants[PACKED_SRAM_ROLE].valueSI * wordBits) / profile.parameters.accessBits.value;
  return lemaireSramJ(memoryBits, profile);
}

/** Word width (bits) the ledger records for an operand; Lemaire prices all memories at one width. */
function wordBits(layer: LayerLedger): number {
  const widths = new Set(layer.memory.map((m) => m.bits));
  if (widths.size !== 1) throw new OutOfRangeError(`lemaire-2022: layer ${layer.name} mixes word widths (${[...widths].join(', ')} bits); the model assumes one memory width`, layer.name);
  return [...widths][0];
}

/** Lemaire's formulas are for dense layers (conv still to come): recorded and pooling layers are refused. */
function requireDense(layer: LayerLedger): asserts layer is GeometricLayerLedger {
  const kind = layer.geometry.kind;
  if (isRecordedLayer(layer)) throw new OutOfRangeError(`lemaire-2022: layer ${layer.name} is a recorded layer (kind "${kind}"); Lemaire et al.'s formulas are for dense and conv layers, not recorded traffic`);
  if (kind !== 'dense') throw new OutOfRangeError(`lemaire-2022: layer ${layer.name} is of kind "${kind}"; this model covers fully connected layers only so far`);
}

export function lemaireLayerTerms(layer: LayerLedger, timesteps: number, family: 'ann' | 'snn', profile: HardwareProfile): Term[] {
  const g = layer.geometry;
  requireDense(layer);
  const bits = wordBits(layer);
  const eAdd = profile.constants.add.valueSI;
  const eMul = profile.constants.mul.valueSI;
  const eMac = eAdd + eMul;
  const nIn = g.fanIn;
  const nOut = g.fanOut;
  const ram = (elements: number): number => lemaireAccessJ(elements * bits, bits, profile);
  const eInput = ram(nIn);
  const eWeights = ram(g.weightCount);
  const eBias = ram(g.biasCount);
  const eOutput = ram(nOut);
  if (family === 'ann') {
    return [
      { component: 'memory', operand: 'input', action: 'read', level: 'sram', count: nIn, unitJ: eInput }, // Eq 4
      { component: 'memory', operand: 'weight', action: 'read', level: 'sram', count: nIn * nOut, unitJ: eWeights }, // Eq 6.2f
      { component: 'memory', operand: 'bias', action: 'read', level: 'sram', count: nOut, unitJ: eBias }, // Eq 6.2s
      { component: 'memory', operand: 'output', action: 'write', level: 'sram', count: nOut, unitJ: eOutput }, // Eq 12
      { component: 'compute', operand: 'mac', action: 'synaptic', level: 'alu', count: nIn * nOut, unitJ: eMac }, // Eq 2.1
      { component: 'compute', operand: 'acc', action: 'bias', level: 'alu', count: nOut, unitJ: eAdd }, // Eq 2.2
      { component: 'compute', operand: 'acc', action: 'addressing', level: 'alu', count: nIn * nOut, unitJ: eAdd }, // FC addressing
    ];
  }
  const T = timesteps;
  const thetaIn = layer.activity.inputEvents.mean;
  const thetaOut = layer.activity.outputEvents.mean;
  const leaky = layer.neuron === 'lif';
  const spiking = layer.neuron !== null;
  const eFifo = ram(profile.parameters.fifoEntries.value);
  const potentialAccesses = thetaIn * nOut + nOut * T; // Eq 10 (read) / Eq 15 (write)
  return [
    { component: 'memory', operand: 'input', action: 'read', level: 'fifo', count: thetaIn, unitJ: eFifo }, // Eq 5
    { component: 'memory', operand: 'weight', action: 'read', level: 'sram', count: thetaIn * nOut, unitJ: eWeights }, // Eq 8f
    { component: 'memory', operand: 'bias', action: 'read', level: 'sram', count: nOut * T, unitJ: eBias }, // Eq 7s
    { component: 'memory', operand: 'potential', action: 'read', level: 'sram', count: potentialAccesses, unitJ: eOutput },
    { component: 'memory', operand: 'potential', action: 'write', level: 'sram', count: potentialAccesses, unitJ: eOutput },
    // Eq 13: spikes go to the next layer's FIFO; a non-spiking read-out writes its N_out potentials once (as Eq 12)
    spiking
      ? { component: 'memory', operand: 'output', action: 'write', level: 'fifo', count: thetaOut, unitJ: eFifo }
      : { component: 'memory', operand: 'output', action: 'write', level: 'sram', count: nOut, unitJ: eOutput },
    ...(leaky ? [{ component: 'compute', operand: 'mac', action: 'leak', level: 'alu', count: T * nOut, unitJ: eMac } as const] : []), // Eq 2.3
    // Eq 2.4 as corrected in the authors' code: θ_in·N_out synaptic + T·N_out bias + θ_out reset
    { component: 'compute', operand: 'acc', action: 'synaptic', level: 'alu', count: thetaIn * nOut, unitJ: eAdd },
    { component: 'compute', operand: 'acc', action: 'bias', level: 'alu', count: T * nOut, unitJ: eAdd },
    { component: 'compute', operand: 'acc', action: 'reset', level: 'alu', count: thetaOut, unitJ: eAdd },
    // Eq 17.2 as written in the paper: θ_in·N_out. (The authors' code computes rate·T·N_out, N_in times
    // smaller, contradicting its own docstring; SpikingJelly's port follows the equation, as we do.)
    { component: 'compute', operand: 'acc', action: 'addressing', level: 'alu', count: thetaIn * nOut, unitJ: eAdd },
  ];
}

/** ∂E/∂SOP of an SNN layer: weight read, potential read + write, synaptic and addressing ACC, and 1/N_out of an input event's FIFO read. */
export function lemaireSynOpMarginalJ(layer: LayerLedger, profile: HardwareProfile): number {
  const g = layer.geometry;
  requireDense(layer);
  const bits = wordBits(layer);
  const ram = (elements: number): number => lemaireAccessJ(elements * bits, bits, profile);
  const eAdd = profile.constants.add.valueSI;
  return ram(g.weightCount) + 2 * ram(g.fanOut) + 2 * eAdd + ram(profile.parameters.fifoEntries.value) / g.fanOut;
}

export const lemaireModel: CostModel = {
  id: 'lemaire-2022',
  description: 'Lemaire et al. ICONIP 2022: memory accesses (SRAM energy linear in memory size) + ops + addressing, FNN and event-driven SNN.',
  constantRoles: ['add', 'mul', 'sramSlope', 'sramIntercept'],
  optionalConstantRoles: [PACKED_SRAM_ROLE],
  roleUnits: { add: 'J', mul: 'J', sramSlope: 'J/bit', sramIntercept: 'J', [PACKED_SRAM_ROLE]: 'J' },
  parameters: {
    fifoEntries: { unit: 'entries', min: 1, max: 1e7, integer: true },
    accessBits: { unit: 'bits', min: 8, max: 1024, integer: true },
  },
  options: {
    sramMode: {
      values: ['fit-per-access', 'flat-packed'],
      default: 'fit-per-access',
      description: "which of the authors' two memory modes prices an access",
      meanings: { 'fit-per-access': SRAM_MODE_MEANINGS['fit-per-access'], 'flat-packed': SRAM_MODE_MEANINGS['flat-packed'] },
    },
  },
  validate: validateMemoryOptions,
  price(ledger: Ledger, profile: HardwareProfile): PricedLedger {
    const items: EnergyItem[] = [];
    for (const layer of ledger.layers) {
      for (const t of lemaireLayerTerms(layer, ledger.backend.timesteps, ledger.backend.family, profile)) {
        items.push(energyItem({ layerIndex: layer.index, layer: layer.name, component: t.component, operand: t.operand, action: t.action, level: t.level, count: t.count }, t.unitJ));
      }
    }
    const c = profile.constants;
    const memory = optionValue(profile, 'sramMode') === 'flat-packed' ? [c[PACKED_SRAM_ROLE]] : [c.sramSlope, c.sramIntercept];
    return { profile: profile.id, model: 'lemaire-2022', totalJ: totalEnergyJ(items), items, constants: [c.add, c.mul, ...memory], unpriced: [] };
  },
  synOpMarginalJ: (layer, _ledger, profile) => lemaireSynOpMarginalJ(layer, profile),
};
