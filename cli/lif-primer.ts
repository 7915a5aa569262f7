// `joulebench lif-primer`: the primer's LIF example for several input currents — spike times of its
// Euler simulation (as Brian2 runs it) beside the closed-form solution of its ODE.
import { textTable } from '../reports/summary.js';
import { PRIMER, simulateLifPrimer, spikeTimesClosedFormS } from '../workloads/brain/lif-primer.js';
import { UsageError } from './errors.js';

export function executeLifPrimer(currentsMv: readonly number[], out: (line: string) => void): void {
  for (const c of currentsMv) if (!Number.isFinite(c)) throw new UsageError(`--current must be numbers in mV, got ${c}`);
  const ms = (ts: readonly number[]) => (ts.length === 0 ? 'none' : ts.map((t) => (t * 1e3).toFixed(2)).join(', '));
  const rows = currentsMv.map((I) => {
    const r = simulateLifPrimer(I * 1e-3);
    return [I.toString(), ms(r.spikeTimesS), ms(spikeTimesClosedFormS(I * 1e-3)), String(r.updates), String(r.thresholdTests)];
  });
  out(`LIF primer: τ = ${PRIMER.tauS * 1e3} ms, El = Vr = ${PRIMER.elV * 1e3} mV, Vt = ${PRIMER.vtV * 1e3} mV, refractory ${PRIMER.refractoryS * 1e3} ms, Euler dt = ${PRIMER.dtS * 1e3} ms, ${PRIMER.durationS * 1e3} ms`);
  out(textTable(['I (mV)', 'spike times, Euler as Brian2 (ms)', 'spike times, ODE closed form (ms)', 'updates', 'threshold tests'], rows));
  out('');
  out(`The neuron fires only when I > Vt − El = ${+((PRIMER.vtV - PRIMER.elV) * 1e3).toFixed(6)} mV: at the primer's I = 2 mV it settles at −58 mV and never spikes.`);
}
