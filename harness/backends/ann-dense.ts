// ANN backend, dense: every multiply-accumulate of every layer is performed and counted, zeros
// included. fp32 weights and activations. (The kernels skip zeros for speed; the ledger counts the
// dense work a dense engine does.)
import type { Backend, BackendRun } from '../backend.js';
import type { SampleSet } from '../data.js';
import { sampleInput } from '../data.js';
import type { LayerPlan } from '../exec.js';
import { planModel } from '../exec.js';
import { argmax } from '../kernels/dense.js';
import type { LayerRules } from '../ledger.js';
import { buildLayerLedger, newActivityRecorder } from '../ledger.js';
import type { Model } from '../model.js';
import { activationOf } from '../model.js';
import { validateModelShapes } from '../layers.js';

const BITS = 32;

/** Ledger rules of one layer run densely: counts per inference (constant: a dense pass does the same work for every input). */
export function annDenseRules(plan: LayerPlan): LayerRules {
  const layer = plan.layer;
  const g = plan.geometry;
  const outs = plan.outSize;
  const ops = plan.denseOps;
  const word = { bits: BITS } as const;
  const fp = { bits: BITS, numeric: 'fp' } as const;
  if (layer.kind === 'dense' || layer.kind === 'conv2d') {
    return {
      compute: [
        { op: 'mac', ...fp, purpose: 'synaptic', count: () => ops },
        { op: 'add', ...fp, purpose: 'bias', count: () => outs },
        ...(layer.activation === 'relu' ? [{ op: 'cmp', ...fp, purpose: 'activation', count: () => outs } as const] : []),
      ],
      memory: [
        { operand: 'input', action: 'read', ...word, count: () => ops },
        { operand: 'weight', action: 'read', ...word, count: () => ops },
        { operand: 'bias', action: 'read', ...word, count: () => outs },
        { operand: 'output', action: 'write', ...word, count: () => outs },
      ],
      footprint: { weightBits: g.weightCount * BITS, biasBits: g.biasCount * BITS, stateBits: 0 },
      neuron: null,
    };
  }
  const avg = layer.kind === 'avgpool2d';
  return {
    compute: avg
      ? [
          { op: 'add', ...fp, purpose: 'pool', count: () => ops },
          { op: 'mul', ...fp, purpose: 'pool', count: () => outs },
        ]
      : [{ op: 'cmp', ...fp, purpose: 'pool', count: () => ops }],
    memory: [
      { operand: 'input', action: 'read', ...word, count: () => ops },
      { operand: 'output', action: 'write', ...word, count: () => outs },
    ],
    footprint: { weightBits: 0, biasBits: 0, stateBits: 0 },
    neuron: null,
  };
}

export function createAnnDense(model: Model): Backend {
  validateModelShapes(model.inputShape, model.layers);
  const plans = planModel(model.layers);
  return {
    descriptor: { id: 'ann-dense', family: 'ann', timesteps: 1, params: { precision: 'fp32' } },
    run(samples: SampleSet): BackendRun {
      const recs = plans.map(() => newActivityRecorder(samples.count, 1));
      const outs = plans.map((p) => new Float32Array(p.outSize));
      const predictions = new Uint8Array(samples.count);
      for (let s = 0; s < samples.count; s++) {
        let a = sampleInput(samples, s);
        for (let l = 0; l < plans.length; l++) {
          const plan = plans[l];
          const y = outs[l];
          const { nonzero, synOps } = plan.forward(a, y);
          let nonzeroOut = 0;
          if (activationOf(plan.layer) === 'relu') {
            for (let j = 0; j < y.length; j++) if (y[j] > 0) nonzeroOut++; else y[j] = 0;
          } else {
            for (let j = 0; j < y.length; j++) if (y[j] !== 0) nonzeroOut++;
          }
          const rec = recs[l];
          rec.inputEvents[s] = nonzero;
          rec.outputEvents[s] = nonzeroOut;
          rec.synOps[s] = synOps;
          rec.updates[s] = 0;
          rec.inputPerStep[0] += nonzero;
          rec.outputPerStep[0] += nonzeroOut;
          a = y;
        }
        predictions[s] = argmax(a);
      }
      const ledgerLayers = plans.map((p, i) => buildLayerLedger(i, p.layer.name, p.geometry, 1, recs[i], annDenseRules(p)));
      return { predictions, ledger: { backend: this.descriptor, samples: samples.count, layers: ledgerLayers } };
    },
  };
}
