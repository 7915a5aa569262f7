// The one pricing service: every ledger joulebench prices (run, sweep, seq, brain, bench) goes
// through priceLedger, under one policy. A cost model that declines a ledger outside its valid range
// raises OutOfRangeError (cost-models/model.ts): that is a result, recorded as a refusal with the
// model's reason. Anything else thrown while pricing is a bug (or a bad input found earlier than it
// should have been) and propagates: it is never recorded as a refusal.
import type { Ledger } from '../core/ledger.js';
import { OutOfRangeError } from '../cost-models/model.js';
import type { PricedLedger } from '../cost-models/model.js';
import type { HardwareProfile } from '../cost-models/profile.js';
import { costModelFor } from '../cost-models/registry.js';

/** A ledger priced under one profile, or the model's refusal with its reason. */
export type PricingOutcome = { readonly ok: true; readonly priced: PricedLedger } | { readonly ok: false; readonly refused: string };

/** Prices `ledger` under `profile`: OutOfRangeError → a refusal naming the reason; any other error propagates. */
export function priceLedger(ledger: Ledger, profile: HardwareProfile): PricingOutcome {
  const model = costModelFor(profile);
  try {
    return { ok: true, priced: model.price(ledger, profile) };
  } catch (e) {
    if (e instanceof OutOfRangeError) return { ok: false, refused: e.message };
    throw e;
  }
}
