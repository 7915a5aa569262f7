// An imported activity document as a joulebench Ledger, and a Ledger as an activity document.
//
// activityToLedger builds the ledger through the one ledger builder (core/ledger.ts) with the rules of
// the backend that would have run the network (snnLayerRules, annLayerRules) on each layer's plan
// (harness/exec.ts) built from a shape-only layer record (its weights are never read): so an imported
// ledger has the geometry, entries and activity of the same network run inside joulebench. Only
// means are known: each layer's activity is one "sample" holding the means, so every count's sd is 0
// and min = max = mean, while `samples` says how many samples the means are over.
// ledgerToActivity writes a joulebench ledger in the format (the round trip of the tests, and a way
// to hand a run's activity to another tool).
import type { Conv2dLayer, DenseLayer, Layer, Pool2dLayer } from '../../harness/model.js';
import { windowOutput } from '../../harness/model.js';
import { planLayer } from '../../harness/exec.js';
import type { LayerPlan } from '../../harness/exec.js';
import { annLayerRules } from '../../harness/backends/ann.js';
import { snnLayerRules } from '../../harness/backends/snn.js';
import { DEFAULT_NEURON } from '../../harness/neurons.js';
import type { NeuronModel } from '../../harness/neurons.js';
import type { BackendDescriptor, CountedLayer, Ledger, LayerLedger } from '../../core/ledger.js';
import { buildLedger, isRecordedLayer, newActivityRecorder } from '../../core/ledger.js';
import { InputError } from '../../core/errors.js';
import type { ActivityDoc, ActivityLayer, ActivityNeuron } from './activity.js';
import { ACTIVITY_FORMAT, ACTIVITY_VERSION } from './activity.js';

/**
 * The engine's layer record of an activity layer, its weights and biases zero: the plan's geometry and
 * sizes are the engine's, and its weight-dependent facts (nonzero weights) come from the file instead.
 */
function shapeOnlyLayer(l: ActivityLayer): Layer {
  const activation = l.neuron === 'relu' ? 'relu' : 'identity';
  const zeros = (n: number) => new Float32Array(n);
  if (l.kind === 'dense') {
    const dense: DenseLayer = { kind: 'dense', name: l.name, inFeatures: l.inputShape[0], outFeatures: l.outputShape[0], weight: zeros(l.weights), bias: zeros(l.outputShape[0]), activation };
    return dense;
  }
  const window = { inputHW: [l.inputShape[1], l.inputShape[2]] as const, kernel: l.kernel!, stride: l.stride!, padding: l.padding ?? ([0, 0] as const) };
  if (l.kind === 'conv2d') {
    const conv: Conv2dLayer = {
      kind: 'conv2d',
      name: l.name,
      inChannels: l.inputShape[0],
      outChannels: l.outputShape[0],
      ...window,
      ...(l.groups !== undefined && l.groups !== 1 ? { groups: l.groups } : {}),
      ...(l.dilation !== undefined && (l.dilation[0] !== 1 || l.dilation[1] !== 1) ? { dilation: l.dilation } : {}),
      weight: zeros(l.weights),
      bias: zeros(l.outputShape[0]),
      activation,
    };
    return conv;
  }
  const pool: Pool2dLayer = { kind: l.kind, name: l.name, channels: l.inputShape[0], ...window };
  return pool;
}

const isSpiking = (n: ActivityNeuron): n is NeuronModel => n === 'if' || n === 'lif' || n === 'cuba';

/** The backend descriptor and configuration id of an imported ledger. */
function describe(doc: ActivityDoc): { id: string; descriptor: BackendDescriptor } {
  const source = { source: 'imported', network: doc.network };
  if (doc.family === 'snn') {
    const models = [...new Set(doc.layers.map((l) => l.neuron).filter(isSpiking))];
    const resets = [...new Set(doc.layers.map((l) => l.reset).filter((r) => r !== undefined))];
    const execution = doc.execution ?? 'time-stepped';
    const neuron = models.length === 1 ? models[0] : models.length === 0 ? 'none' : 'mixed';
    return {
      id: doc.configuration ?? `snn-${neuron}-T${doc.timesteps}${execution === 'event-driven' ? '-event' : ''}`,
      descriptor: {
        id: 'snn',
        family: 'snn',
        timesteps: doc.timesteps,
        params: { ...source, neuron, reset: resets.length === 1 ? resets[0] : resets.length === 0 ? 'none' : 'mixed', coding: doc.layers[0].input === 'analog' ? 'direct' : 'spikes', execution, precision: 'fp32' },
      },
    };
  }
  const n = doc.numeric;
  const skipZeros = doc.engine === 'zero-skipping';
  // the ids and params of the ANN backend (harness/backends/ann.ts annConfig) for these widths
  const quantized = n !== undefined && n.kind === 'int' ? { weightBits: n.weightBits, actBits: n.activationBits } : null;
  const backendId = quantized ? 'ann-quant' : skipZeros ? 'ann-sparse' : 'ann-dense';
  const precision = quantized ? `w${quantized.weightBits}a${quantized.actBits}` : 'fp32';
  return {
    id: doc.configuration ?? (quantized ? `ann-${precision}` : backendId),
    descriptor: { id: backendId, family: 'ann', timesteps: 1, params: { ...source, precision, skipZeros, ...(quantized ?? {}) } },
  };
}

/** One activity layer's counted layer: its plan's geometry, its means as one sample, the family's rules. */
function countedLayer(doc: ActivityDoc, l: ActivityLayer, plan: LayerPlan, last: boolean): CountedLayer {
  const a = l.activity;
  const T = doc.timesteps;
  const rec = newActivityRecorder(1, T, { neurobench: a.neurobench !== undefined });
  if (a.neurobench !== undefined) {
    const nb = rec.neurobench!;
    nb.dense[0] = a.neurobench.dense;
    nb.effectiveMacs[0] = a.neurobench.effectiveMacs;
    nb.effectiveAcs[0] = a.neurobench.effectiveAcs;
    nb.activations[0] = a.neurobench.activations;
    nb.membraneUpdates[0] = a.neurobench.membraneUpdates ?? (isSpiking(l.neuron) ? (a.neuronUpdates ?? plan.outSize * T) : 0);
  }
  rec.inputEvents[0] = a.inputEvents;
  rec.outputEvents[0] = a.outputEvents;
  rec.synOps[0] = a.synapticOps;
  rec.updates[0] = a.neuronUpdates ?? (doc.family === 'snn' ? plan.outSize * T : 0);
  rec.inputPerStep.set(a.inputEventsPerTimestep);
  rec.outputPerStep.set(a.outputEventsPerTimestep);
  let rules;
  if (doc.family === 'snn') {
    const spiking = isSpiking(l.neuron);
    const neuron = { ...DEFAULT_NEURON, model: spiking ? (l.neuron as NeuronModel) : DEFAULT_NEURON.model, reset: l.reset ?? DEFAULT_NEURON.reset };
    rules = snnLayerRules(plan, { layer: plan.layer, spiking, threshold: 1 }, { neuron, execution: doc.execution ?? 'time-stepped', directInput: l.input === 'analog' });
  } else {
    const n = doc.numeric ?? { kind: 'fp' as const, weightBits: 32, activationBits: 32 };
    rules = annLayerRules(plan, { numeric: n.kind, weight: n.weightBits, act: n.activationBits }, doc.engine === 'zero-skipping', last);
  }
  // the weights that are not zero, as recorded (absent: every weight counts as nonzero)
  const { nonzeroWeights: _zeros, ...shapes } = plan.geometry;
  const geometry = l.nonzeroWeights === undefined ? shapes : { ...shapes, nonzeroWeights: l.nonzeroWeights };
  return { name: l.name, geometry, rec, rules };
}

/** The ledger of a checked activity document (parseActivity), and its configuration id. */
export function activityToLedger(doc: ActivityDoc): { id: string; ledger: Ledger } {
  const { id, descriptor } = describe(doc);
  const last = doc.layers.length - 1;
  const counted = doc.layers.map((l, i) => countedLayer(doc, l, planLayer(shapeOnlyLayer(l)), i === last));
  return { id, ledger: buildLedger(descriptor, doc.samples, counted, doc.timesteps) };
}

// ---------------------------------------------------------------------------------------------
// A joulebench ledger in the format

/** The smallest zero padding that gives `out` outputs along an axis (the ledger keeps output sizes, not padding). */
function paddingFor(input: number, kernel: number, stride: number, out: number, layer: string, dilation: number): number {
  for (let p = 0; p <= dilation * (kernel - 1); p++) if (windowOutput(input, kernel, stride, p, dilation) === out) return p;
  throw new Error(`layer ${layer}: no padding gives ${out} outputs from ${input} with kernel ${kernel} and stride ${stride}`);
}

function activityLayer(ledger: Ledger, layer: LayerLedger): ActivityLayer {
  if (isRecordedLayer(layer)) throw new InputError(`layer ${layer.name}: a recorded layer (kind ${layer.geometry.kind}) has no ${ACTIVITY_FORMAT} form; export image runs (dense, conv2d, pooling)`);
  const g = layer.geometry;
  const snn = ledger.backend.family === 'snn';
  const synaptic = layer.compute.find((c) => c.purpose === 'synaptic');
  const relu = layer.compute.some((c) => c.purpose === 'activation');
  const neuron: ActivityNeuron = layer.neuron !== null ? (layer.neuron as ActivityNeuron) : relu ? 'relu' : 'none';
  const spiking = isSpiking(neuron);
  const nb = layer.activity.neurobench;
  const window =
    g.kind === 'dense'
      ? {}
      : {
          kernel: [g.loops.FY, g.loops.FX] as [number, number],
          stride: [g.loops.SY, g.loops.SX] as [number, number],
          padding: [paddingFor(g.inputShape[1], g.loops.FY, g.loops.SY, g.loops.OY, layer.name, g.loops.DY ?? 1), paddingFor(g.inputShape[2], g.loops.FX, g.loops.SX, g.loops.OX, layer.name, g.loops.DX ?? 1)] as [number, number],
          ...(g.loops.G !== undefined && g.loops.G !== 1 ? { groups: g.loops.G } : {}),
          ...(g.loops.DY !== undefined || g.loops.DX !== undefined ? { dilation: [g.loops.DY ?? 1, g.loops.DX ?? 1] as [number, number] } : {}),
        };
  return {
    name: layer.name,
    kind: g.kind,
    inputShape: [...g.inputShape],
    outputShape: [...g.outputShape],
    ...window,
    weights: g.weightCount,
    ...(g.nonzeroWeights !== undefined ? { nonzeroWeights: g.nonzeroWeights } : {}),
    neuron,
    ...(spiking ? { reset: layer.compute.some((c) => c.purpose === 'reset') ? ('subtract' as const) : ('zero' as const) } : {}),
    ...(snn ? { input: synaptic?.op === 'mac' ? ('analog' as const) : ('spikes' as const) } : {}),
    activity: {
      inputEvents: layer.activity.inputEvents.mean,
      outputEvents: layer.activity.outputEvents.mean,
      inputEventsPerTimestep: [...layer.perTimestep.inputEvents],
      outputEventsPerTimestep: [...layer.perTimestep.outputEvents],
      synapticOps: layer.activity.synOps.mean,
      ...(snn ? { neuronUpdates: layer.activity.updates.mean } : {}),
      neurobench: {
        dense: nb.dense.mean,
        effectiveMacs: nb.effectiveMacs.mean,
        effectiveAcs: nb.effectiveAcs.mean,
        activations: nb.activations.mean,
        membraneUpdates: nb.membraneUpdates.mean,
      },
    },
  };
}

/**
 * A joulebench ledger of the feed-forward backends (an image run's configuration) as an activity
 * document: each layer's geometry, neuron and mean activity; the engine (execution, zero skipping,
 * widths) read off its entries. Padding is the smallest that gives the recorded output size (the
 * ledger keeps output sizes; any padding that gives them gives the same geometry).
 */
export function ledgerToActivity(ledger: Ledger, meta: { readonly network: string; readonly configuration?: string; readonly accuracy?: number | null; readonly dataset?: string }): ActivityDoc {
  const snn = ledger.backend.family === 'snn';
  const layers = ledger.layers.map((l) => activityLayer(ledger, l));
  const first = ledger.layers[0];
  const mac = first.compute.find((c) => c.purpose === 'synaptic' && c.op === 'mac');
  const quantized = !snn && mac !== undefined && mac.numeric === 'int';
  const actBits = first.memory.find((m) => m.operand === 'input' && m.action === 'read')?.bits ?? 32;
  return {
    format: ACTIVITY_FORMAT,
    version: ACTIVITY_VERSION,
    network: meta.network,
    ...(meta.configuration !== undefined ? { configuration: meta.configuration } : {}),
    family: ledger.backend.family,
    timesteps: ledger.backend.timesteps,
    samples: ledger.samples,
    ...(meta.accuracy !== undefined ? { accuracy: meta.accuracy } : {}),
    ...(meta.dataset !== undefined ? { dataset: meta.dataset } : {}),
    ...(snn ? { execution: ledger.layers.some((l) => l.memory.some((m) => m.operand === 'state')) ? ('event-driven' as const) : ('time-stepped' as const) } : {}),
    ...(!snn ? { engine: ledger.layers.some((l) => l.compute.some((c) => c.purpose === 'zero-detect')) ? ('zero-skipping' as const) : ('dense' as const) } : {}),
    numeric: quantized ? { kind: 'int', weightBits: mac.bits, activationBits: actBits } : { kind: 'fp', weightBits: 32, activationBits: 32 },
    source: { exporter: 'joulebench ledgerToActivity', backend: ledger.backend.id },
    layers,
  };
}
