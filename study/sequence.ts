// Pricing the inter-token study (`joulebench seq`): each block family's decode-step ledger at every
// context length L (workloads/sequence/study.ts executes and counts) priced per token under each
// profile through the one pricing service, with the share of the energy per memory operand.
import type { Ledger } from '../core/ledger.js';
import { getProfile } from '../cost-models/registry.js';
import type { FamilyRun } from '../workloads/sequence/study.js';
import { priceLedger } from './pricing.js';

export type PricedPoint =
  | { readonly profile: string; readonly perTokenJ: number; readonly shares: Readonly<Record<string, number>> }
  | { readonly profile: string; readonly refused: string };

export interface EnergyAtLength {
  readonly L: number;
  readonly ledger: Ledger;
  readonly priced: readonly PricedPoint[];
}

/** A family's run with its decode step priced at every L. */
export interface FamilyResult extends Omit<FamilyRun, 'energy'> {
  readonly energy: readonly EnergyAtLength[];
}

/** Energy per token and its shares by memory operand ('kv', 'state', 'weight' …) and 'compute', under each profile (built-in id or file) or its refusal. */
export function priceDecodeStep(ledger: Ledger, profiles: readonly string[]): PricedPoint[] {
  return profiles.map((id) => {
    const outcome = priceLedger(ledger, getProfile(id));
    if (!outcome.ok) return { profile: id, refused: outcome.refused };
    const p = outcome.priced;
    const shares: Record<string, number> = {};
    for (const it of p.items) {
      const k = it.component === 'memory' ? it.operand : 'compute';
      shares[k] = (shares[k] ?? 0) + (p.totalJ === 0 ? 0 : it.energyJ / p.totalJ);
    }
    return { profile: id, perTokenJ: p.totalJ, shares };
  });
}

/** Every family's decode-step ledgers priced under `profiles`. */
export function priceFamilies(runs: readonly FamilyRun[], profiles: readonly string[]): FamilyResult[] {
  return runs.map((r) => ({ ...r, energy: r.energy.map((e) => ({ ...e, priced: priceDecodeStep(e.ledger, profiles) })) }));
}
