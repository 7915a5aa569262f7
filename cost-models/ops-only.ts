// Ops-only estimate (the SNN literature's usual one): E = Σ synaptic MACs · E_MAC + Σ synaptic ACs · E_AC.
// Memory, neuron updates, biases and addressing are not priced; they are returned as `unpriced`.
// In a recorded layer (sequence blocks, LUT networks, brain-model phases: any kind but dense / conv /
// pool) every MAC and every AC is priced, whatever its purpose (projections, attention scores and
// values, spiking SOPs, LUT-row adds, Hebbian and STDP weight updates): their purposes are the layer's
// own, not 'synaptic'. Everything else (exp, div, compares, memory) is listed as unpriced.
import type { LayerLedger, Ledger } from '../core/ledger.js';
import { isRecordedLayer } from '../core/ledger.js';
import type { EnergyItem } from './energy.js';
import { energyItem, totalEnergyJ } from './energy.js';
import type { CostModel, PricedLedger, UnpricedCount } from './model.js';
import type { HardwareProfile } from './profile.js';
import { refuseRecordedMarginal } from './recorded.js';

/** Does ops-only price this compute entry: MAC and AC, synaptic ones only outside recorded layers. */
const isPriced = (layer: LayerLedger, c: LayerLedger['compute'][number]): boolean => (c.op === 'mac' || c.op === 'ac') && (c.purpose === 'synaptic' || isRecordedLayer(layer));

export const opsOnlyModel: CostModel = {
  id: 'ops-only',
  description: 'E = synaptic MACs × E_MAC + synaptic ACs × E_AC; no memory (the estimate most SNN papers use). In recorded layers (sequence blocks, LUT networks, learning phases) every MAC and AC, whatever its purpose.',
  constantRoles: ['mac', 'ac'],
  roleUnits: { mac: 'J', ac: 'J' },
  parameters: {},
  price(ledger: Ledger, profile: HardwareProfile): PricedLedger {
    const { mac, ac } = profile.constants;
    const items: EnergyItem[] = [];
    const unpriced: UnpricedCount[] = [];
    for (const layer of ledger.layers) {
      for (const c of layer.compute) {
        if (!isPriced(layer, c)) {
          unpriced.push({ layer: layer.name, what: `${c.op} (${c.purpose})`, count: c.count.mean });
          continue;
        }
        const unit = c.op === 'mac' ? mac : ac;
        items.push(energyItem({ layerIndex: layer.index, layer: layer.name, component: 'compute', operand: c.op, action: c.purpose, level: 'alu', count: c.count.mean }, unit.valueSI, unit.id));
      }
      for (const m of layer.memory) unpriced.push({ layer: layer.name, what: `${m.operand} ${m.action}`, count: m.count.mean });
    }
    return { profile: profile.id, model: 'ops-only', totalJ: totalEnergyJ(items), items, constants: [mac, ac], unpriced };
  },
  synOpMarginalJ(layer, _ledger, profile) {
    refuseRecordedMarginal(layer, 'ops-only');
    const syn = layer.compute.find((c) => c.purpose === 'synaptic');
    return syn?.op === 'mac' ? profile.constants.mac.valueSI : profile.constants.ac.valueSI;
  },
};
