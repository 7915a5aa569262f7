// Ops-only estimate (the SNN literature's usual one): E = Σ synaptic MACs · E_MAC + Σ synaptic ACs · E_AC.
// Memory, neuron updates, biases and addressing are not priced; they are returned as `unpriced`.
import type { Ledger } from '../harness/ledger.js';
import type { EnergyItem } from './energy.js';
import { totalEnergyJ } from './energy.js';
import type { CostModel, PricedLedger, UnpricedCount } from './model.js';
import type { HardwareProfile } from './profile.js';

export const opsOnlyModel: CostModel = {
  id: 'ops-only',
  description: 'E = synaptic MACs × E_MAC + synaptic ACs × E_AC; no memory (the estimate most SNN papers use).',
  constantRoles: ['mac', 'ac'],
  parameters: {},
  price(ledger: Ledger, profile: HardwareProfile): PricedLedger {
    const { mac, ac } = profile.constants;
    const items: EnergyItem[] = [];
    const unpriced: UnpricedCount[] = [];
    for (const layer of ledger.layers) {
      for (const c of layer.compute) {
        const priced = c.purpose === 'synaptic' && (c.op === 'mac' || c.op === 'ac');
        if (!priced) {
          unpriced.push({ layer: layer.name, what: `${c.op} (${c.purpose})`, count: c.count.mean });
          continue;
        }
        const unit = c.op === 'mac' ? mac : ac;
        items.push({
          layerIndex: layer.index,
          layer: layer.name,
          component: 'compute',
          operand: c.op,
          action: c.purpose,
          level: 'alu',
          count: c.count.mean,
          energyJ: c.count.mean * unit.valueSI,
        });
      }
      for (const m of layer.memory) unpriced.push({ layer: layer.name, what: `${m.operand} ${m.action}`, count: m.count.mean });
    }
    return { profile: profile.id, model: 'ops-only', totalJ: totalEnergyJ(items), items, constants: [mac, ac], unpriced };
  },
  synOpMarginalJ(layer, _ledger, profile) {
    const syn = layer.compute.find((c) => c.purpose === 'synaptic');
    return syn?.op === 'mac' ? profile.constants.mac.valueSI : profile.constants.ac.valueSI;
  },
};
