// Plain ANN inference without a ledger: predictions and accuracy of a model (used by training and
// by workloads to report the trained model's test accuracy).
import type { SampleSet } from './data.js';
import { sampleInput } from './data.js';
import { planModel } from './exec.js';
import { argmax } from './kernels/dense.js';
import type { Model } from './model.js';
import { activationOf } from './model.js';

export function predictAll(model: Model, set: SampleSet): Uint8Array {
  const plans = planModel(model.layers);
  const outs = plans.map((p) => new Float32Array(p.outSize));
  const predictions = new Uint8Array(set.count);
  for (let s = 0; s < set.count; s++) {
    let a = sampleInput(set, s);
    for (let l = 0; l < plans.length; l++) {
      const y = outs[l];
      plans[l].forward(a, y);
      if (activationOf(plans[l].layer) === 'relu') for (let j = 0; j < y.length; j++) if (y[j] < 0) y[j] = 0;
      a = y;
    }
    predictions[s] = argmax(a);
  }
  return predictions;
}

export function modelAccuracy(model: Model, set: SampleSet): number {
  const p = predictAll(model, set);
  let correct = 0;
  for (let s = 0; s < set.count; s++) if (p[s] === set.labels[s]) correct++;
  return correct / set.count;
}
