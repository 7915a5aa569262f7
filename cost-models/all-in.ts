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
import type { LayerLedger, Ledger } from '../core/ledger.js';
import { isRecordedLayer } from '../core/ledger.js';
import type { EnergyItem, Term } from './energy.js';
import { termsToItems, totalEnergyJ } from './energy.js';
import { requireFamily } from './layer-facts.js';
import type { CostModel, PricedLedger, UnpricedCount } from './model.js';
import { OutOfRangeError } from './model.js';
import type { HardwareProfile } from './profile.js';

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
  if (syn && syn.op !== 'ac' && syn.count.mean > 0) {
    throw new OutOfRangeError(`all-in-chip: layer ${layer.name} performs ${syn.op} ops on real-valued inputs (direct coding); a chip's energy per synaptic event covers spike events only — use rate or latency coding`, layer.name);
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
