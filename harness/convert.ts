// ANN→SNN conversion by threshold balancing (Diehl et al. 2015; Rueckauer et al. 2017):
// each ReLU layer's activations are measured on training samples, and the weights are rescaled so
// that the chosen activation statistic λ maps to the firing threshold 1:
//   W'_l = W_l · λ_{l−1} / λ_l,   b'_l = b_l / λ_l,   threshold = 1.
// The read-out layer (identity activation) keeps λ_L = 1: it integrates its potential and the
// class is the neuron with the largest potential after T steps.
import type { SampleSet } from './data.js';
import { sampleInput } from './data.js';
import { collectActivations } from './calibrate.js';
import { InputError } from '../core/errors.js';
import { planModel } from './exec.js';
import { validateModelShapes } from './layers.js';
import type { Layer, Model } from './model.js';
import { activationOf, isSynaptic } from './model.js';

export type NormMethod = { readonly kind: 'max' } | { readonly kind: 'percentile'; readonly percentile: number };

export interface SpikingLayer {
  /** A synaptic layer with rescaled weights, or an average-pooling layer. */
  readonly layer: Layer;
  /** True for spiking layers; false for the read-out, which integrates its potential without spiking. */
  readonly spiking: boolean;
  readonly threshold: number;
}

export interface SpikingModel {
  readonly id: string;
  readonly inputShape: readonly number[];
  readonly layers: readonly SpikingLayer[];
  readonly conversion: {
    readonly method: string;
    readonly calibrationSamples: number;
    /** λ per layer: always a positive finite number. */
    readonly scales: readonly number[];
    /** ReLU layers that showed no positive activation on the calibration samples: λ is left at 1 (present only when some did). */
    readonly unscaled?: readonly string[];
  };
}

export function parseNormMethod(text: string): NormMethod {
  if (text === 'max') return { kind: 'max' };
  const m = /^p(\d+(?:\.\d+)?)$/.exec(text);
  if (m) {
    const p = Number(m[1]);
    if (p > 0 && p <= 100) return { kind: 'percentile', percentile: p };
  }
  throw new InputError(`normalization "${text}" is not known; use "max" or a percentile such as "p99.9"`);
}

export function normMethodName(m: NormMethod): string {
  return m.kind === 'max' ? 'max' : `p${m.percentile}`;
}

/** The λ statistic of a set of activations: the max, or the given percentile of the positive activations. */
export function activationScale(values: Float32Array, method: NormMethod): number {
  let positives = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > 0) positives++;
  if (positives === 0) return 1;
  const pos = new Float32Array(positives);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > 0) pos[k++] = values[i];
  if (method.kind === 'max') return pos.reduce((a, b) => (b > a ? b : a), 0);
  pos.sort();
  // Nearest-rank percentile: the smallest value with at least p% of the values at or below it.
  const rank = Math.max(1, Math.ceil((method.percentile / 100) * positives));
  return pos[rank - 1];
}

export function convertToSnn(model: Model, calibration: SampleSet, method: NormMethod): SpikingModel {
  validateModelShapes(model.inputShape, model.layers);
  const plans = planModel(model.layers);
  for (const p of plans) {
    if (p.layer.kind === 'maxpool2d') throw new InputError(`layer ${p.layer.name}: max pooling cannot be converted to spiking neurons; use average pooling for SNN conversion`);
  }
  const n = calibration.count;
  const collected = collectActivations(plans, calibration);
  const scales: number[] = [];
  const unscaled: string[] = [];
  let prev = 1; // inputs are already in [0, 1]
  const last = plans.length - 1;
  const spiking: SpikingLayer[] = plans.map((plan, l) => {
    const layer = plan.layer;
    if (!isSynaptic(layer)) {
      // Average pooling is linear: its outputs keep the scale of its inputs.
      scales.push(prev);
      return { layer, spiking: l !== last, threshold: 1 };
    }
    const readout = layer.activation !== 'relu';
    if (!readout) {
      // λ must be a positive finite number: activations that overflowed (or are NaN) give no threshold
      const values = collected[l];
      for (let k = 0; k < values.length; k++) {
        if (!Number.isFinite(values[k])) throw nonFinite(layer.name, `its activations on the calibration samples include ${values[k]}`);
      }
    }
    const lambda = readout ? 1 : activationScale(collected[l], method);
    // a layer that never fires on the calibration samples keeps λ = 1 (recorded, not a division by 0)
    if (!readout && !hasPositive(collected[l])) unscaled.push(layer.name);
    scales.push(lambda);
    const weight = new Float32Array(layer.weight.length);
    for (let k = 0; k < weight.length; k++) weight[k] = (layer.weight[k] * prev) / lambda;
    const bias = new Float32Array(layer.bias.length);
    for (let k = 0; k < bias.length; k++) bias[k] = layer.bias[k] / lambda;
    if (!weight.every(Number.isFinite) || !bias.every(Number.isFinite)) throw nonFinite(layer.name, 'its rescaled weights overflow float32');
    prev = lambda;
    return { layer: { ...layer, weight, bias }, spiking: !readout, threshold: 1 };
  });
  return {
    id: `${model.id}-snn`,
    inputShape: model.inputShape,
    layers: spiking,
    conversion: { method: normMethodName(method), calibrationSamples: n, scales, ...(unscaled.length > 0 ? { unscaled } : {}) },
  };
}

function hasPositive(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] > 0) return true;
  return false;
}

function nonFinite(layer: string, what: string): InputError {
  return InputError.at({
    field: `layer ${layer}`,
    problem: `cannot be converted to spiking neurons: ${what}`,
    fix: 'the weights are too large or not finite; check the trained or imported model (retrain, or re-export it) before running the SNN',
  });
}
