// Post-training quantization for the quantized ANN backend (fake-quantized simulation in float32, as
// in PyTorch's fake-quant): weights symmetric per tensor to `weightBits` signed integers; activations
// (ReLU outputs, and the input pixels in [0, 1]) unsigned to `actBits` integers with a per-layer
// scale λ measured on calibration data (the same λ statistic as threshold balancing). The read-out
// layer's output stays at accumulator precision.
import { InputError } from '../core/errors.js';
import type { NormMethod } from './convert.js';
import { activationScale } from './convert.js';
import type { SampleSet } from './data.js';
import { takeSamples } from './data.js';
import { collectActivations } from './calibrate.js';
import { planModel } from './exec.js';
import type { Model } from './model.js';
import { isSynaptic } from './model.js';

export interface QuantSpec {
  readonly weightBits: number;
  readonly actBits: number;
}

export interface QuantizedModel {
  /** The model with weights replaced by their quantized values (biases stay at accumulator precision). */
  readonly model: Model;
  readonly spec: QuantSpec;
  /** Activation scale λ at each layer's output (1 for the read-out); the input scale is 1. */
  readonly actScales: readonly number[];
}

export function validateQuantSpec(q: QuantSpec): void {
  for (const [name, b] of [['weight', q.weightBits], ['activation', q.actBits]] as const) {
    if (!Number.isInteger(b) || b < 1 || b > 16) throw new InputError(`${name} bits must be an integer in [1, 16], got ${b}`);
  }
  if (q.weightBits < 2) throw new InputError('weight bits must be at least 2 (a sign bit and one magnitude bit)');
}

/** Symmetric signed quantization of a tensor to `bits` bits: values round(w/s)·s with s = max|w| / (2^(bits−1) − 1). */
export function quantizeSymmetric(w: Float32Array, bits: number): Float32Array {
  let m = 0;
  for (let i = 0; i < w.length; i++) m = Math.max(m, Math.abs(w[i]));
  const levels = 2 ** (bits - 1) - 1;
  if (m === 0) return new Float32Array(w.length);
  const s = m / levels;
  return Float32Array.from(w, (v) => Math.round(v / s) * s);
}

/** Unsigned quantization of activations in [0, λ] to `bits` bits, clamping above λ. */
export function quantizeUnsigned(a: Float32Array, bits: number, lambda: number): void {
  const levels = 2 ** bits - 1;
  const step = lambda / levels;
  for (let i = 0; i < a.length; i++) {
    const q = Math.round(a[i] / step);
    a[i] = (q < 0 ? 0 : q > levels ? levels : q) * step;
  }
}

/** The minimal activation width that carries as much information per neuron as T binary timesteps: ⌈log2(T+1)⌉ (Yan et al.). */
export function bitsForTimesteps(T: number): number {
  return Math.ceil(Math.log2(T + 1));
}

export function quantizeModel(model: Model, calibration: SampleSet, spec: QuantSpec, norm: NormMethod): QuantizedModel {
  validateQuantSpec(spec);
  const plans = planModel(model.layers);
  // λ per layer output from float activations on (at most 2000 of) the calibration samples
  const collected = collectActivations(plans, takeSamples(calibration, Math.min(calibration.count, 2000)), 4_000_000);
  const last = plans.length - 1;
  const actScales = plans.map((_, l) => (l === last ? 1 : activationScale(collected[l], norm)));
  const layers = model.layers.map((layer) => (isSynaptic(layer) ? { ...layer, weight: quantizeSymmetric(layer.weight, spec.weightBits) } : layer));
  return { model: { ...model, layers }, spec, actScales };
}
