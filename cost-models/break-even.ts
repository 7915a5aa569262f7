// Break-even analysis of a (SNN profile, ANN profile) pair: per layer and per network, the spikes per
// synapse σ* at which the SNN costs what the ANN costs (energy-models.md §1.3: σ* = E_ANN,l / (N_syn,l ·
// e_SOP) once the SNN's σ-independent costs are taken off), and the SNN's energy as a function of σ.
//
// Every SNN model is affine in the layer's synaptic ops with the outputs held fixed, so
//   E_SNN,l(σ) = F_l + σ·N_l·m_l,   m_l = ∂E/∂SOP (the model's synOpMarginalJ),
//   F_l = E_SNN,l(observed) − SOP_l·m_l   (neuron updates, biases, output spikes …),
//   σ*_l = (E_ANN,l − F_l) / (N_l·m_l); when E_ANN,l ≤ F_l the SNN layer never breaks even (σ* = 0).
// For the network, σ* is the one σ shared by every synaptic layer at which the totals are equal, and
// k* is the factor on the observed activity of every layer at which they are equal.
//
// Recorded layers (any kind but dense / conv / pool: sequence blocks, LUT networks, brain-model phases)
// have no σ: their counts are as recorded, not a function of synaptic ops. They are skipped — reported
// with N = 0, σ = 0, σ* = null, their whole SNN energy as the σ-independent part F — so they enter the
// network totals (E_ANN, E_SNN, F) but not Σ N or the per-σ slope.
import type { Ledger } from '../core/ledger.js';
import { isRecordedLayer } from '../core/ledger.js';
import { groupEnergyJ } from './energy.js';
import type { PricedLedger } from './model.js';
import { OutOfRangeError } from './model.js';
import type { HardwareProfile } from './profile.js';
import { costModelFor } from './registry.js';

export interface LayerBreakEven {
  readonly layerIndex: number;
  readonly layer: string;
  readonly kind: string;
  /** N_l: dense synaptic operations of one pass (0 for pooling and for recorded layers, which have no σ). */
  readonly denseSynOps: number;
  /** σ the SNN showed (SOP / N). */
  readonly sigma: number;
  readonly annJ: number;
  readonly snnJ: number;
  /** F_l: the SNN layer's energy at σ = 0 with its outputs unchanged. */
  readonly snnFixedJ: number;
  /** N_l·m_l: what one more spike per synapse costs the layer. */
  readonly snnPerSigmaJ: number;
  /** σ*; null for layers without synapses and recorded layers (they have no σ). */
  readonly sigmaStar: number | null;
  /** True when the SNN layer costs more than the ANN layer even at σ = 0 (σ* is then 0). */
  readonly never: boolean;
}

export interface NetworkBreakEven {
  /** Σ SOP / Σ N over the synaptic layers. */
  readonly sigma: number;
  readonly annJ: number;
  readonly snnJ: number;
  readonly snnFixedJ: number;
  readonly snnPerSigmaJ: number;
  /** The σ, equal in every synaptic layer, at which the network totals are equal. */
  readonly sigmaStar: number;
  /** The factor on every layer's observed activity at which the totals are equal (below 1: the SNN must be sparser). */
  readonly activityScaleStar: number;
  readonly never: boolean;
}

export interface BreakEven {
  readonly layers: readonly LayerBreakEven[];
  readonly network: NetworkBreakEven;
}

export interface PricedSide {
  readonly ledger: Ledger;
  readonly profile: HardwareProfile;
  /** The ledger priced under the profile (priced again when omitted). */
  readonly priced?: PricedLedger;
}

export function breakEven(snn: PricedSide, ann: PricedSide): BreakEven {
  if (snn.ledger.backend.family !== 'snn') throw new OutOfRangeError(`break-even: ${snn.ledger.backend.id} is not a spiking configuration`);
  const snnModel = costModelFor(snn.profile);
  if (!snnModel.synOpMarginalJ) throw new OutOfRangeError(`break-even: model ${snnModel.id} (profile ${snn.profile.id}) does not say what one more synaptic op costs, so σ* cannot be computed`);
  const sl = snn.ledger.layers;
  const al = ann.ledger.layers;
  if (sl.length !== al.length || sl.some((l, i) => l.name !== al[i].name || l.geometry.denseSynOps !== al[i].geometry.denseSynOps)) {
    throw new OutOfRangeError(`break-even: the SNN (${sl.map((l) => l.name).join(', ')}) and the ANN (${al.map((l) => l.name).join(', ')}) do not have the same layers`);
  }
  const snnByLayer = groupEnergyJ((snn.priced ?? snnModel.price(snn.ledger, snn.profile)).items, (i) => String(i.layerIndex));
  const annByLayer = groupEnergyJ((ann.priced ?? costModelFor(ann.profile).price(ann.ledger, ann.profile)).items, (i) => String(i.layerIndex));
  const layers: LayerBreakEven[] = sl.map((layer) => {
    const n = isRecordedLayer(layer) ? 0 : layer.geometry.denseSynOps;
    const sop = layer.activity.synOps.mean;
    const snnJ = snnByLayer.get(String(layer.index)) ?? 0;
    const annJ = annByLayer.get(String(layer.index)) ?? 0;
    const m = n > 0 ? snnModel.synOpMarginalJ!(layer, snn.ledger, snn.profile) : 0;
    const fixed = snnJ - sop * m;
    const perSigma = n * m;
    const raw = perSigma > 0 ? (annJ - fixed) / perSigma : null;
    return {
      layerIndex: layer.index,
      layer: layer.name,
      kind: layer.geometry.kind,
      denseSynOps: n,
      sigma: n > 0 ? sop / n : 0,
      annJ,
      snnJ,
      snnFixedJ: fixed,
      snnPerSigmaJ: perSigma,
      sigmaStar: raw === null ? null : Math.max(0, raw),
      never: raw !== null && raw <= 0,
    };
  });
  const sum = (f: (l: LayerBreakEven) => number): number => layers.reduce((s, l) => s + f(l), 0);
  const annJ = sum((l) => l.annJ);
  const snnJ = sum((l) => l.snnJ);
  const fixed = sum((l) => l.snnFixedJ);
  const perSigma = sum((l) => l.snnPerSigmaJ);
  const observedVariable = sum((l) => l.sigma * l.snnPerSigmaJ);
  const n = sum((l) => l.denseSynOps);
  const sigmaStar = perSigma > 0 ? (annJ - fixed) / perSigma : 0;
  const scale = observedVariable > 0 ? (annJ - fixed) / observedVariable : 0;
  return {
    layers,
    network: {
      sigma: n > 0 ? sum((l) => l.sigma * l.denseSynOps) / n : 0,
      annJ,
      snnJ,
      snnFixedJ: fixed,
      snnPerSigmaJ: perSigma,
      sigmaStar: Math.max(0, sigmaStar),
      activityScaleStar: Math.max(0, scale),
      never: annJ <= fixed,
    },
  };
}
