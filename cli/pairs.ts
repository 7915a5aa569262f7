// --pair SNN:ANN and --mc-samples of `joulebench run`: which (SNN profile, ANN profile) pairs the
// break-even and uncertainty analysis covers, and how many Monte Carlo samples it draws.
import { UsageError } from './errors.js';

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
