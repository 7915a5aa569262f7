// ANN backends. One engine, three configurations:
//   ann-dense  — every multiply-accumulate is performed and counted, zeros included (fp32);
//   ann-sparse — zero-skipping: only nonzero inputs cost MACs, plus the zero detection and the
//                index (address) traffic a compressed activation list needs (fp32);
//   ann-quant  — fake-quantized weights and activations (e.g. int8, int4, or the ⌈log2(T+1)⌉-bit
//                activations that match a T-step SNN), dense or zero-skipping, integer ops.
// The kernels always skip zeros for speed; the ledger records the work of the configured engine.
import type { Backend, BackendRun, RunHooks } from '../backend.js';
import type { SampleSet } from '../data.js';
import { sampleInput } from '../data.js';
import type { LayerPlan } from '../exec.js';
import { planModel } from '../exec.js';
import { argmax } from '../kernels/dense.js';
import type { ComputeRule, LayerActivityRecorder, LayerRules, MemoryRule, SampleActivity } from '../../core/ledger.js';
import { buildLedger, newActivityRecorder } from '../../core/ledger.js';
import { validateModelShapes } from '../layers.js';
import type { Model } from '../model.js';
import { activationOf, isSynaptic } from '../model.js';
import type { QuantizedModel } from '../quantize.js';
import { quantizeUnsigned } from '../quantize.js';

const FP_BITS = 32;
const ACC_BITS = 32;

export interface AnnOptions {
  /** Count only the work of nonzero inputs (and the index traffic that needs). */
  readonly skipZeros?: boolean;
  /** Run the quantized model instead of the float one. */
  readonly quantized?: QuantizedModel;
}

interface Widths {
  readonly numeric: 'fp' | 'int';
  readonly weight: number;
  readonly act: number;
}

/** Ledger rules of one layer under the given engine; counts per inference. */
export function annLayerRules(plan: LayerPlan, w: Widths, skipZeros: boolean, last: boolean): LayerRules {
  const layer = plan.layer;
  const g = plan.geometry;
  const outs = plan.outSize;
  const inSize = plan.inSize;
  const dense = plan.denseOps;
  const ops = skipZeros ? (a: SampleActivity) => a.synOps : () => dense;
  const outBits = last ? ACC_BITS : w.act;
  const quant = w.numeric === 'int';
  const indexBits = Math.max(1, Math.ceil(Math.log2(inSize)));
  const compute: ComputeRule[] = [];
  const memory: MemoryRule[] = [];
  if (skipZeros) {
    compute.push({ op: 'cmp', bits: w.act, numeric: w.numeric, purpose: 'zero-detect', count: () => inSize });
  }
  if (isSynaptic(layer)) {
    compute.push(
      { op: 'mac', bits: w.weight, numeric: w.numeric, purpose: 'synaptic', count: ops },
      { op: 'add', bits: quant ? ACC_BITS : FP_BITS, numeric: w.numeric, purpose: 'bias', count: () => outs },
    );
    if (layer.activation === 'relu') compute.push({ op: 'cmp', bits: quant ? ACC_BITS : FP_BITS, numeric: w.numeric, purpose: 'activation', count: () => outs });
    memory.push({ operand: 'input', action: 'read', bits: w.act, count: ops }, { operand: 'weight', action: 'read', bits: w.weight, count: ops }, { operand: 'bias', action: 'read', bits: quant ? ACC_BITS : FP_BITS, count: () => outs });
  } else if (layer.kind === 'avgpool2d') {
    compute.push({ op: 'add', bits: quant ? ACC_BITS : FP_BITS, numeric: w.numeric, purpose: 'pool', count: ops }, { op: 'mul', bits: quant ? ACC_BITS : FP_BITS, numeric: w.numeric, purpose: 'pool', count: () => outs });
    memory.push({ operand: 'input', action: 'read', bits: w.act, count: ops });
  } else {
    compute.push({ op: 'cmp', bits: w.act, numeric: w.numeric, purpose: 'pool', count: ops });
    memory.push({ operand: 'input', action: 'read', bits: w.act, count: ops });
  }
  if (skipZeros) {
    // a compressed activation list: one index written per nonzero input, one read per operation that uses it
    memory.push({ operand: 'address', action: 'write', bits: indexBits, count: (a) => a.inputEvents }, { operand: 'address', action: 'read', bits: indexBits, count: ops });
  }
  if (quant && !last) {
    compute.push({ op: 'mul', bits: ACC_BITS, numeric: 'int', purpose: 'requantize', count: () => outs }, { op: 'cmp', bits: ACC_BITS, numeric: 'int', purpose: 'clamp', count: () => outs });
  }
  memory.push({ operand: 'output', action: 'write', bits: outBits, count: () => outs });
  return {
    compute,
    memory,
    footprint: { weightBits: g.weightCount * w.weight, biasBits: g.biasCount * (quant ? ACC_BITS : FP_BITS), stateBits: 0 },
    neuron: null,
  };
}

/** Backend id and configuration name of an ANN engine. */
export function annConfig(opts: AnnOptions): { backendId: string; precision: string } {
  const q = opts.quantized?.spec;
  const precision = q ? `w${q.weightBits}a${q.actBits}` : 'fp32';
  return { backendId: q ? 'ann-quant' : opts.skipZeros ? 'ann-sparse' : 'ann-dense', precision };
}

export function createAnn(model: Model, opts: AnnOptions = {}): Backend {
  const skipZeros = opts.skipZeros ?? false;
  const q = opts.quantized;
  const net = q ? q.model : model;
  validateModelShapes(net.inputShape, net.layers);
  const plans = planModel(net.layers);
  const widths: Widths = q ? { numeric: 'int', weight: q.spec.weightBits, act: q.spec.actBits } : { numeric: 'fp', weight: FP_BITS, act: FP_BITS };
  const { backendId, precision } = annConfig(opts);
  const descriptor = { id: backendId, family: 'ann' as const, timesteps: 1, params: { precision, skipZeros, ...(q ? { weightBits: q.spec.weightBits, actBits: q.spec.actBits } : {}) } };
  const last = plans.length - 1;
  return {
    descriptor,
    run(samples: SampleSet, hooks: RunHooks = {}): BackendRun {
      const recs = plans.map(() => newActivityRecorder(samples.count, 1, { neurobench: true }));
      const outs = plans.map((p) => new Float32Array(p.outSize));
      const xq = new Float32Array(plans[0].inSize);
      const predictions = new Uint8Array(samples.count);
      for (let s = 0; s < samples.count; s++) {
        let a = sampleInput(samples, s);
        if (q) {
          xq.set(a);
          quantizeUnsigned(xq, q.spec.actBits, 1);
          a = xq;
        }
        for (let l = 0; l < plans.length; l++) {
          const plan = plans[l];
          const y = outs[l];
          const { nonzero, synOps, effective, binary } = plan.forward(a, y);
          const relu = activationOf(plan.layer) === 'relu';
          if (relu) for (let j = 0; j < y.length; j++) if (y[j] < 0) y[j] = 0;
          if (q && l !== last) quantizeUnsigned(y, q.spec.actBits, q.actScales[l]);
          let nonzeroOut = 0;
          for (let j = 0; j < y.length; j++) if (y[j] !== 0) nonzeroOut++;
          const rec = recs[l];
          rec.inputEvents[s] = nonzero;
          rec.outputEvents[s] = nonzeroOut;
          rec.synOps[s] = synOps;
          rec.inputPerStep[0] += nonzero;
          rec.outputPerStep[0] += nonzeroOut;
          recordNeuroBench(rec, s, plan, effective, binary, relu);
          a = y;
        }
        predictions[s] = argmax(a);
        hooks.onProgress?.(s + 1, samples.count);
      }
      const counted = plans.map((p, i) => ({ name: p.layer.name, geometry: p.geometry, rec: recs[i], rules: annLayerRules(p, widths, skipZeros, i === last) }));
      return { predictions, ledger: buildLedger(descriptor, samples.count, counted) };
    },
  };
}

/**
 * One ANN layer call's NeuroBench counts (core/ledger.ts): Dense, its effective operations as MACs
 * or ACs by whether its input is binary, and its outputs as activations where a ReLU follows it.
 */
export function recordNeuroBench(rec: LayerActivityRecorder, s: number, plan: LayerPlan, effective: number, binary: boolean, relu: boolean): void {
  const nb = rec.neurobench;
  if (!nb) throw new Error(`layer ${plan.layer.name}: the activity recorder has no NeuroBench counts`);
  nb.dense[s] += plan.denseConnectionOps;
  (binary ? nb.effectiveAcs : nb.effectiveMacs)[s] += effective;
  if (relu) nb.activations[s] += plan.outSize;
}

/** The dense fp32 ANN (every MAC performed). */
export function createAnnDense(model: Model): Backend {
  return createAnn(model);
}
