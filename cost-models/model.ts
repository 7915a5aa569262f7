// A cost model is a pure function (Ledger, HardwareProfile) → priced energy breakdown.
import { InputError } from '../core/errors.js';
import type { LayerLedger, Ledger } from '../core/ledger.js';
import type { Constant } from './constants.js';
import type { EnergyItem } from './energy.js';
import type { HardwareProfile, ProfileRequirements } from './profile.js';

/** A ledger count the model deliberately does not price (so reports can show what it leaves out). */
export interface UnpricedCount {
  readonly layer: string;
  readonly what: string;
  readonly count: number;
}

export interface PricedLedger {
  readonly profile: string;
  readonly model: string;
  readonly totalJ: number;
  readonly items: readonly EnergyItem[];
  /** Every constant the pricing multiplied by, with its provenance. */
  readonly constants: readonly Constant[];
  readonly unpriced: readonly UnpricedCount[];
}

export interface CostModel extends ProfileRequirements {
  readonly id: string;
  readonly description: string;
  price(ledger: Ledger, profile: HardwareProfile): PricedLedger;
  /**
   * For models that price spiking ledgers: the energy one more synaptic operation adds to this layer
   * (its share of the input event included, outputs held fixed): ∂E_layer/∂SOP. Models are affine in
   * SOP, so E_layer(σ) = E_layer(observed) + (σ·N − SOP)·this; break-even analysis needs it. Not
   * defined on recorded layers (cost-models/recorded.ts: their counts are as recorded, not a function of
   * SOP): the tech-based models and ops-only refuse them, and break-even skips them.
   */
  synOpMarginalJ?(layer: LayerLedger, ledger: Ledger, profile: HardwareProfile): number;
}

/** Raised when a model is asked to price something outside its valid range; it never extrapolates. */
export class OutOfRangeError extends InputError {
  override readonly name: string = 'OutOfRangeError';
  /** The layer the refusal is about, when the code that raised it named it (in the message too). */
  readonly layer?: string;
  constructor(message: string, layer?: string) {
    super(message);
    if (layer !== undefined) this.layer = layer;
  }
}

/**
 * Runs a layer's pricing; a refusal that does not name the layer yet (a memory beyond the SRAM fit, an
 * op without an energy: raised by the technology, which does not know the layer) gets its name.
 */
export function inLayer<T>(layer: string, price: () => T): T {
  try {
    return price();
  } catch (e) {
    if (e instanceof OutOfRangeError && e.layer === undefined) throw new OutOfRangeError(`layer ${layer}: ${e.message}`, layer);
    throw e;
  }
}
