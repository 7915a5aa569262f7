// Activations of every layer on calibration samples (after ReLU), for statistics such as the λ of
// threshold balancing and of activation quantization. A deterministic stride subsamples layers
// whose activations would exceed `maxValues`, keeping memory bounded for large conv layers.
import type { SampleSet } from './data.js';
import { sampleInput } from './data.js';
import type { LayerPlan } from './exec.js';
import { activationOf } from './model.js';

export const MAX_CALIBRATION_VALUES = 8_000_000;

export function collectActivations(plans: readonly LayerPlan[], calibration: SampleSet, maxValues = MAX_CALIBRATION_VALUES): Float32Array[] {
  const n = calibration.count;
  const strides = plans.map((p) => Math.max(1, Math.ceil((n * p.outSize) / maxValues)));
  const collected = plans.map((p, l) => new Float32Array(Math.ceil((n * p.outSize) / strides[l])));
  const filled = plans.map(() => 0);
  const counters = plans.map(() => 0);
  const outs = plans.map((p) => new Float32Array(p.outSize));
  for (let s = 0; s < n; s++) {
    let a = sampleInput(calibration, s);
    for (let l = 0; l < plans.length; l++) {
      const y = outs[l];
      plans[l].forward(a, y);
      if (activationOf(plans[l].layer) === 'relu') for (let j = 0; j < y.length; j++) if (y[j] < 0) y[j] = 0;
      const stride = strides[l];
      const buf = collected[l];
      for (let j = 0; j < y.length; j++) {
        if (counters[l]++ % stride === 0) buf[filled[l]++] = y[j];
      }
      a = y;
    }
  }
  return collected.map((c, l) => c.subarray(0, filled[l]));
}
