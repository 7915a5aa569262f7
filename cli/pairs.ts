// --cost-model, --pair SNN:ANN and --mc-samples of `joulebench run`: the profiles that price the
// ledgers, which (SNN profile, ANN profile) pairs the break-even and uncertainty analysis covers, and
// how many Monte Carlo samples it draws.
import type { HardwareProfile } from '../cost-models/profile.js';
import { getProfile } from '../cost-models/registry.js';
import { rethrowInputError } from '../core/errors.js';
import { UsageError } from './errors.js';

/** The profiles of --cost-model, the --pair pairs and the --mc-samples count, checked before any work. */
export function resolvePricing(a: { readonly profiles: readonly string[]; readonly pairs?: readonly string[]; readonly monteCarloSamples?: number }): { profiles: HardwareProfile[]; pairs?: [string, string][] } {
  if (a.profiles.length === 0) throw new UsageError('--cost-model: give at least one cost model profile');
  const profiles = a.profiles.map((id) => {
    try {
      return getProfile(id);
    } catch (e) {
      rethrowInputError(e, '--cost-model: ');
    }
  });
  // results are keyed by profile id: two profiles with one id (a file extending a built-in profile
  // and named like it, or a profile given twice) would overwrite each other's energies
  profiles.forEach((p, i) => {
    const j = profiles.findIndex((q) => q.id === p.id);
    if (j < i) throw new UsageError(`--cost-model: ${a.profiles[j]} and ${a.profiles[i]} both have the profile id "${p.id}"; give each profile once, and a profile file its own id (field id, or another file name)`);
  });
  const pairs = a.pairs === undefined ? undefined : parsePairArgs(a.pairs, profiles.map((p) => p.id));
  if (a.monteCarloSamples !== undefined) checkMonteCarloSamples(a.monteCarloSamples);
  return { profiles, ...(pairs ? { pairs } : {}) };
}

export function parsePairArgs(texts: readonly string[], profiles: readonly string[]): [string, string][] {
  return texts.map((t) => {
    const m = /^([^:]+):([^:]+)$/.exec(t);
    if (!m) throw new UsageError(`--pair: "${t}" is not SNN-PROFILE:ANN-PROFILE, e.g. --pair neuromorphic-core-45nm:ann-ideal-reuse-45nm`);
    for (const id of [m[1], m[2]]) {
      if (!profiles.includes(id)) throw new UsageError(`--pair: profile "${id}" is not among the run's cost models (${profiles.join(', ')}); add it with --cost-model`);
    }
    return [m[1], m[2]];
  });
}

export function checkMonteCarloSamples(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new UsageError(`--mc-samples must be an integer in [0, 1000000] (0: interval bounds only), got ${n}`);
}
