// All-in chip figures (TrueNorth, Loihi, SpiNNaker 1 and 2, ODIN; energy-models.md §4): a chip's
// energy per synaptic event (and, where published, per neuron update and per output spike). Such a
// figure already contains the synaptic-memory read, the state access and (for whole-chip figures)
// routing and leakage, so adding memory terms to it would count them twice. That is impossible by
// construction here:
//  - this model's constants must come from a table of kind `all-in` (cost-models/tech/chips.yaml), and
//    every per-op model refuses all-in constants (profile.ts, assertKind), so one profile never mixes them;
//  - its items have component `all-in` only, and addBreakdowns refuses to merge all-in items with
//    compute or memory items of the same layer (energy.ts).
//
// Recorded layers (any kind but dense / conv / pool) of a spiking ledger — the STDP network's encoder,
// excitatory layer and read-out, spiking sequence blocks — are priced from their activity like any
// spiking layer (synaptic events, neuron updates, output spikes), unless they record real-valued
// arithmetic the chip's event figures do not cover (mac, exp, log, div): refused. A recorded layer that
// writes its weights is on-chip learning (STDP plasticity): each weight write is one synaptic update,
// priced at the chip's published learning figure (role learningUpdate; Loihi's ~120 pJ per synaptic
// update), and the layer's other ops (trace decays, the rule's arithmetic, normalisation) are listed as
// unpriced (inside that figure, or not published). A chip that publishes no learning figure refuses
// the layer — TrueNorth and SpiNNaker 1/2 (no on-chip learning figure), ODIN (it learns on chip, SDSP,
// but only its energy per SOP is carried here): joulebench never invents one. ANN ledgers are refused
// whatever their layers (a chip prices spike events).
//
// Graded spikes (Loihi 2, Hala Point: integer-valued spikes): with option `spikes: graded` a layer fed
// real values (a directly coded first layer, whose synaptic ops are MACs) is priced like any other —
// each synaptic op that did work (a nonzero input reaching one output) is one graded synaptic op at the
// chip's figure. With `spikes: binary` (the default, every chip before Loihi 2) such a layer is refused.
//
// The second model here, all-in-accelerator, is the same guard for an ANN accelerator whose published
// figure is a peak rate (TOPS/W: NorthPole, Hala Point running conventional DNNs): energy per MAC with
// memory (on chip), routing and the host inside. It prices an ANN ledger's MACs (synaptic, and a
// recorded layer's projections) only; its memory traffic, bias adds, activations and other elementwise
// ops are listed as unpriced (inside the figure, never added).
// A peak-rate figure is what a MAC costs with the system running flat out: a network that keeps the
// chip below its peak rate costs more per MAC, so the total is a lower bound there (said by explain).
// A per-frame (per-inference) figure measured on one network is never a constant of a profile: it
// prices only that network, so it is held as a measurement in claims/measured.yaml and compared with
// what these figures give for the same network (`joulebench audit`).
import type { LayerLedger, Ledger } from '../core/ledger.js';
import { isRecordedLayer } from '../core/ledger.js';
import type { EnergyItem, Term } from './energy.js';
import { termsToItems, totalEnergyJ } from './energy.js';
import { requireFamily } from './layer-facts.js';
import type { CostModel, PricedLedger, UnpricedCount } from './model.js';
import { OutOfRangeError } from './model.js';
import type { HardwareProfile } from './profile.js';
import { optionValue } from './profile.js';

export interface AllInTerm extends Term {
  readonly component: 'all-in';
  readonly level: 'chip';
}

/** Weight writes of a layer: on-chip learning when the layer is recorded (0 for inference layers). */
const weightWrites = (layer: LayerLedger): number => layer.memory.filter((m) => m.operand === 'weight' && m.action === 'write').reduce((a, m) => a + m.count.mean, 0);

/** A plastic (learning) recorded layer: its weight writes at the chip's learning figure, or the refusal. */
function learningTerms(layer: LayerLedger, profile: HardwareProfile): AllInTerm[] {
  const figure = profile.constants.learningUpdate;
  if (!figure) {
    throw new OutOfRangeError(
      `all-in-chip: layer ${layer.name} learns on chip (${Number(weightWrites(layer).toPrecision(6))} weight writes per sample) but profile ${profile.id} binds no published energy per synaptic (learning) update (role learningUpdate); joulebench does not invent one — price learning with a per-op profile (neuromorphic-core) or a chip that publishes it (loihi)`,
    );
  }
  return [{ component: 'all-in', operand: 'synaptic-update', action: 'learn', level: 'chip', count: weightWrites(layer), unitJ: figure.valueSI }];
}

export function allInLayerTerms(layer: LayerLedger, profile: HardwareProfile): AllInTerm[] {
  const c = profile.constants;
  if (isRecordedLayer(layer) && weightWrites(layer) > 0) return learningTerms(layer, profile);
  const real = isRecordedLayer(layer) ? layer.compute.find((x) => ['mac', 'exp', 'log', 'div'].includes(x.op) && x.count.mean > 0) : undefined;
  if (real) {
    throw new OutOfRangeError(`all-in-chip: layer ${layer.name} (kind "${layer.geometry.kind}") records ${real.op} ops (${real.purpose}); a chip's per-event figures cover spike events, neuron updates and spikes only`, layer.name);
  }
  const syn = layer.compute.find((x) => x.purpose === 'synaptic');
  if (syn && syn.op !== 'ac' && syn.count.mean > 0 && optionValue(profile, 'spikes') !== 'graded') {
    throw new OutOfRangeError(`all-in-chip: layer ${layer.name} performs ${syn.op} ops on real-valued inputs (direct coding); profile ${profile.id} prices binary spike events only (option spikes: binary) — use rate or latency coding, or a chip with graded spikes (hala-point)`, layer.name);
  }
  const a = layer.activity;
  const terms: AllInTerm[] = [{ component: 'all-in', operand: 'synaptic-event', action: 'event', level: 'chip', count: a.synOps.mean, unitJ: c.synapticEvent.valueSI }];
  if (c.neuronUpdate) terms.push({ component: 'all-in', operand: 'neuron-update', action: 'update', level: 'chip', count: a.updates.mean, unitJ: c.neuronUpdate.valueSI });
  if (c.outputSpike && layer.neuron !== null) terms.push({ component: 'all-in', operand: 'spike', action: 'route', level: 'chip', count: a.outputEvents.mean, unitJ: c.outputSpike.valueSI });
  return terms;
}

export const allInChipModel: CostModel = {
  id: 'all-in-chip',
  description: "A neuromorphic chip's published energy per synaptic event (and per neuron update / output spike / on-chip learning update where published). All-in: memory and routing are inside the figures and can never be added on top.",
  constantRoles: ['synapticEvent'],
  optionalConstantRoles: ['neuronUpdate', 'outputSpike', 'learningUpdate'],
  constantKind: 'all-in',
  roleUnits: { synapticEvent: 'J', neuronUpdate: 'J', outputSpike: 'J', learningUpdate: 'J' },
  parameters: {},
  options: {
    spikes: {
      values: ['binary', 'graded'],
      default: 'binary',
      description: 'what one synaptic event carries',
      meanings: {
        binary: 'a binary spike: a layer fed real values (direct coding, MACs) is refused',
        graded: 'a graded (integer-valued) spike: each synaptic op of a layer fed real values is one graded synaptic op at the same figure (Loihi 2)',
      },
    },
  },
  price(ledger: Ledger, profile: HardwareProfile): PricedLedger {
    requireFamily(ledger, 'snn', 'all-in-chip', 'a neuromorphic chip figure prices spike events; price the ANN with an ANN profile and compare the pair');
    const items: EnergyItem[] = [];
    const unpriced: UnpricedCount[] = [];
    for (const layer of ledger.layers) {
      items.push(...termsToItems(layer.index, layer.name, allInLayerTerms(layer, profile)));
      if (isRecordedLayer(layer) && weightWrites(layer) > 0) {
        for (const c of layer.compute) unpriced.push({ layer: layer.name, what: `${c.op} (${c.purpose}; learning-rule op, inside the per-update figure or not published)`, count: c.count.mean });
      } else if (!profile.constants.neuronUpdate) {
        unpriced.push({ layer: layer.name, what: 'neuron updates (no separate figure: inside the all-in synaptic-event figure, or not published)', count: layer.activity.updates.mean });
      }
    }
    const constants = ['synapticEvent', 'neuronUpdate', 'outputSpike', 'learningUpdate'].flatMap((r) => (profile.constants[r] ? [profile.constants[r]] : []));
    if (items.some((i) => i.component !== 'all-in')) throw new Error('all-in-chip: internal error, a per-op item in an all-in breakdown');
    return { profile: profile.id, model: 'all-in-chip', totalJ: totalEnergyJ(items), items, constants, unpriced };
  },
  synOpMarginalJ(_layer: LayerLedger, _ledger: Ledger, profile: HardwareProfile): number {
    return profile.constants.synapticEvent.valueSI;
  },
};

/** Compute a peak-rate accelerator figure does not price separately (inside the all-in figure, or not published). */
const REAL_OPS_REFUSED = ['exp', 'log', 'div'];

export function acceleratorLayerTerms(layer: LayerLedger, profile: HardwareProfile): AllInTerm[] {
  const refused = layer.compute.find((x) => REAL_OPS_REFUSED.includes(x.op) && x.count.mean > 0);
  if (refused) {
    throw new OutOfRangeError(`all-in-accelerator: layer ${layer.name} (kind "${layer.geometry.kind}") records ${refused.op} ops (${refused.purpose}); profile ${profile.id}'s figure is an energy per MAC and says nothing of ${refused.op}`, layer.name);
  }
  const macs = layer.compute.filter((x) => x.op === 'mac').reduce((a, x) => a + x.count.mean, 0);
  return [{ component: 'all-in', operand: 'mac', action: 'compute', level: 'chip', count: macs, unitJ: profile.constants.mac.valueSI }];
}

export const allInAcceleratorModel: CostModel = {
  id: 'all-in-accelerator',
  description:
    "An ANN accelerator's published peak-rate figure (TOPS/W: NorthPole, Hala Point on conventional DNNs) as energy per MAC, all-in: on-chip memory, routing and host are inside the figure and can never be added on top. Prices MACs; memory traffic, biases, activations and elementwise ops are listed as unpriced. At the system's peak rate only: below it a MAC costs more, so a total is a lower bound there.",
  constantRoles: ['mac'],
  constantKind: 'all-in',
  roleUnits: { mac: 'J' },
  parameters: {},
  price(ledger: Ledger, profile: HardwareProfile): PricedLedger {
    requireFamily(ledger, 'ann', 'all-in-accelerator', 'an accelerator\'s energy per MAC prices ANN ledgers; price spiking ledgers with a chip profile (hala-point, loihi, truenorth …)');
    const items: EnergyItem[] = [];
    const unpriced: UnpricedCount[] = [];
    for (const layer of ledger.layers) {
      items.push(...termsToItems(layer.index, layer.name, acceleratorLayerTerms(layer, profile)));
      for (const c of layer.compute) if (c.op !== 'mac' && c.count.mean > 0) unpriced.push({ layer: layer.name, what: `${c.op} (${c.purpose}; inside the all-in figure or not published)`, count: c.count.mean });
      const words = layer.memory.reduce((a, m) => a + m.count.mean, 0);
      if (words > 0) unpriced.push({ layer: layer.name, what: 'memory accesses (on-chip, inside the all-in figure)', count: words });
    }
    if (items.some((i) => i.component !== 'all-in')) throw new Error('all-in-accelerator: internal error, a per-op item in an all-in breakdown');
    return { profile: profile.id, model: 'all-in-accelerator', totalJ: totalEnergyJ(items), items, constants: [profile.constants.mac], unpriced };
  },
};
