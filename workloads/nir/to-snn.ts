// A feed-forward NIR graph as the harness's SNN (harness/backends/snn.ts: `createSnn`), for the graphs
// that engine runs exactly:
//   Input → ( [Flatten] → Affine | Linear | Conv2d → [Scale] → neuron group
//           | SumPool2d | AvgPool2d → neuron group ) … → Output
// The harness runs a sequence of layers, each a synaptic (dense, conv2d) or pooling (avgpool2d) layer
// whose outputs are neurons: `v ← β·v + (b + Σ w·x)`, spike when v ≥ threshold (per layer), all layers
// sharing one `NeuronParams` (model, β, α, reset). The last layer is the read-out, which integrates
// `v ← v + (b + Σ w·x)` without leak or spikes; the prediction is its largest potential after T steps.
//
// Each neuron group is discretized at dt by `discretizeNeuron` (discretize.ts): its input gain
// multiplies the weights and bias of the synapse before it, its leak bias (v_leak's pull) is added to
// that bias, its threshold becomes the layer's. A pooling node feeds its neuron group through the
// harness's avgpool2d layer, which has no weights: the harness's input is the window mean, so the
// group's membrane is kept in units of 1/(gain·m) (m = k² for SumPool2d, 1 for AvgPool2d) and the
// threshold divided by gain·m (exact for spikes: scaling v by a positive constant scales its whole
// trajectory; bit-exact in float32 when gain·m is a power of two). With direct coding the Input's
// values are the first synapse's input at every step: NIR's input current held over each step.
//
// Anything else is one InputError line naming the node id, its type and the fix.

import { InputError } from '../../core/errors.js';
import type { SpikingLayer, SpikingModel } from '../../harness/convert.js';
import type { Conv2dLayer, DenseLayer, Layer, Model, Pool2dLayer } from '../../harness/model.js';
import type { NeuronParams } from '../../harness/neurons.js';
import { DEFAULT_NIR_DISCRETIZATION, discretizeNeuron, isNirNeuronNode, strictThreshold, type NirDiscreteNeuron, type NirDiscretizeOptions } from './discretize.js';
import {
  nodeError, validateNirGraph,
  type NirAffine, type NirAnalysis, type NirConv2d, type NirGraph, type NirLinear, type NirNode, type NirPool2d, type NirScale,
} from './graph.js';

/** A graph to convert: a `NirFile` (its analysis is used), or a graph that is validated here. */
export type NirSource = NirGraph | { readonly analysis: NirAnalysis };

export interface NirToSnnOptions extends Partial<NirDiscretizeOptions> {
  /** The model's id (default "nir"). */
  readonly id?: string;
}

export interface NirSnn {
  /** The folded weights as a Model (ANN view: hidden layers relu, read-out identity). */
  readonly model: Model;
  /** For `createSnn(spiking, { coding: 'direct', neuron, timesteps, seed })`. */
  readonly spiking: SpikingModel;
  readonly neuron: NeuronParams;
  /** What the conversion did, one line each (the discretization, foldings, how predictions are made). */
  readonly notes: readonly string[];
}

/** A synapse waiting for its neuron group: weights in the harness's layout, one bias per output. */
interface PendingSynapse {
  readonly kind: 'synapse';
  readonly id: string;
  readonly layer: DenseLayer | Conv2dLayer;
  /** Per output channel (conv) or per output (dense): multiplies the weights and the bias (Scale nodes folded). */
  readonly scale: Float64Array;
}
interface PendingPool {
  readonly kind: 'pool';
  readonly id: string;
  readonly layer: Pool2dLayer;
  /** NIR's pool output over the harness's window mean: k² for SumPool2d, 1 for AvgPool2d. */
  readonly factor: number;
}

const SUPPORTED_CHAIN = 'the SNN engine runs chains Input → (Affine | Linear | Conv2d [→ Scale] | SumPool2d | AvgPool2d) → neuron group … → I → Output';

/**
 * The harness SNN of a feed-forward NIR graph at step dt (in the unit of the graph's τ), or one
 * InputError line naming the first node the engine cannot run exactly, its type and the fix.
 */
export function nirToSnn(source: NirSource, dt: number, options: NirToSnnOptions = {}): NirSnn {
  const disc: NirDiscretizeOptions = {
    discretization: options.discretization ?? DEFAULT_NIR_DISCRETIZATION.discretization,
    reset: options.reset ?? DEFAULT_NIR_DISCRETIZATION.reset,
    ...(options.file === undefined ? {} : { file: options.file }),
  };
  const file = disc.file;
  const analysis = 'analysis' in source ? source.analysis : validateNirGraph(source, file);
  const { graph, shapes } = analysis;
  const typeOf = (id: string): string => (graph.nodes.get(id) as NirNode).type;
  const refuse = (id: string, problem: string, fix: string): InputError => nodeError(file, id, typeOf(id), problem, fix);

  // Recurrence first: a cycle has no chain order.
  if (analysis.cycles.length > 0) {
    const cycle = analysis.cycles[0];
    const at = cycle.synapses[0] ?? cycle.neurons[0];
    throw refuse(at, `it is on a recurrent cycle (${cycle.nodes.map((n) => JSON.stringify(n)).join(', ')}): recurrent connections are not supported by the SNN engine yet`,
      'export a feed-forward network (no edge back to an earlier node), or price it once recurrent layers are supported');
  }
  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>();
  for (const [a, b] of graph.edges) {
    succ.set(a, [...(succ.get(a) ?? []), b]);
    pred.set(b, [...(pred.get(b) ?? []), a]);
  }
  for (const id of graph.nodes.keys()) {
    const ins = pred.get(id) ?? [];
    const outs = succ.get(id) ?? [];
    if (ins.length > 1) {
      throw refuse(id, `it sums the outputs of ${ins.map((n) => JSON.stringify(n)).join(' and ')} (a fan-in or skip connection): fan-in sums are not supported by the SNN engine yet`,
        `export a chain in which every node has one predecessor (${SUPPORTED_CHAIN})`);
    }
    if (outs.length > 1) {
      throw refuse(id, `it feeds ${outs.map((n) => JSON.stringify(n)).join(' and ')} (a branch or skip connection): branches are not supported by the SNN engine yet`,
        `export a chain in which every node has one successor (${SUPPORTED_CHAIN})`);
    }
  }
  const inputs = [...graph.nodes].filter(([, n]) => n.type === 'Input').map(([id]) => id);
  if (inputs.length !== 1) {
    throw refuse(inputs[1], `the graph has ${inputs.length} Input nodes: several inputs are not supported by the SNN engine yet`, 'export the network with one Input node');
  }
  const chain: string[] = [];
  for (let id: string | undefined = inputs[0]; id !== undefined; id = succ.get(id)?.[0]) chain.push(id);
  const onChain = new Set(chain);
  for (const id of graph.nodes.keys()) {
    if (!onChain.has(id)) throw refuse(id, `it is not on the chain from the Input node "${inputs[0]}" to the Output node`, 'remove the unconnected node from the exported graph');
  }
  const lastId = chain[chain.length - 1];
  if (typeOf(lastId) !== 'Output') throw refuse(lastId, 'the chain from the Input node ends here, not at an Output node', 'connect the last node to an Output node');

  const input = graph.nodes.get(chain[0]) as Extract<NirNode, { type: 'Input' }>;
  const notes: string[] = [
    `NIR neurons discretized at dt = ${dt} (${disc.discretization}, reset ${disc.reset}); the Input's values are held over every step (direct coding)`,
  ];
  const layers: SpikingLayer[] = [];
  /** The discretized group of each layer (for the read-out check and the shared dynamics). */
  const groups: NirDiscreteNeuron[] = [];
  let pending: PendingSynapse | PendingPool | undefined;

  for (const id of chain.slice(1, -1)) {
    const node = graph.nodes.get(id) as NirNode;
    const shape = shapes.get(id);
    if (shape === undefined) throw new Error(`nir: no shapes for node ${id}`);
    const needsNeuron = (what: string): void => {
      if (pending !== undefined) {
        throw refuse(id, `it follows ${JSON.stringify(pending.id)} (type ${JSON.stringify(typeOf(pending.id))}) with no neuron group between them: ${what}`,
          `put a neuron group after ${JSON.stringify(pending.id)} (${SUPPORTED_CHAIN})`);
      }
    };
    switch (node.type) {
      case 'Flatten':
        // Row-major flattening keeps the channel-major order the harness's layers read.
        continue;
      case 'Affine':
      case 'Linear':
        needsNeuron('two synapse nodes in a row are not supported by the SNN engine yet');
        pending = denseSynapse(id, node);
        continue;
      case 'Conv2d':
        needsNeuron('two synapse nodes in a row are not supported by the SNN engine yet');
        pending = convSynapse(id, node, shape.input, refuse);
        continue;
      case 'Scale':
        if (pending?.kind !== 'synapse') {
          throw refuse(id, 'a Scale node is folded into the Affine, Linear or Conv2d node right before it, and there is none',
            'put the Scale node right after a synapse node, or fold it into the weights in the exporter');
        }
        pending = foldScale(id, node, pending, refuse);
        continue;
      case 'SumPool2d':
      case 'AvgPool2d':
        needsNeuron('a pooling node right after a synapse is not supported by the SNN engine yet');
        if (layers.length === 0) {
          throw refuse(id, 'the network starts with pooling: the SNN engine feeds the Input\'s values (direct coding) to a synaptic first layer only',
            'start the network with an Affine, Linear or Conv2d node');
        }
        pending = poolLayer(id, node, shape.input, refuse);
        continue;
      default:
        break;
    }
    if (!isNirNeuronNode(node)) {
      const why: Partial<Record<string, [string, string]>> = {
        Delay: ['Delay nodes are not supported by the SNN engine yet', 'export the network without delays'],
        Threshold: ['stateless Threshold nodes are not supported by the SNN engine yet (its layers spike through neurons)', 'use an IF or LIF neuron group instead of a Threshold node'],
        Conv1d: ['Conv1d is not supported by the SNN engine yet', 'export the convolution as a Conv2d with a height-1 kernel and input'],
      };
      const [problem, fix] = why[node.type] ?? [`${node.type} nodes are not supported by the SNN engine yet`, `export a chain of the supported nodes (${SUPPORTED_CHAIN})`];
      throw refuse(id, problem, fix);
    }
    if (pending === undefined) {
      throw refuse(id, 'a neuron group needs a synapse (Affine, Linear, Conv2d) or a pooling node right before it',
        'connect the neuron group after an Affine, Linear, Conv2d, SumPool2d or AvgPool2d node');
    }
    const group = discretizeNeuron(id, node, dt, disc);
    const from = pending;
    pending = undefined;
    if (from.kind === 'synapse') {
      layers.push(foldedSynapse(from, group));
    } else {
      if (group.leakBias !== 0) {
        throw refuse(id, `its v_leak adds a bias of ${group.leakBias} per step, and the pooling node ${JSON.stringify(from.id)} before it has no bias in the SNN engine`,
          'export the neuron group after pooling with v_leak = 0');
      }
      const gain = group.inputGain * from.factor;
      if (!(gain > 0)) throw refuse(id, `its input gain is ${group.inputGain}: the membrane after pooling cannot be rescaled`, 'export the neuron group with r > 0');
      layers.push({ layer: from.layer, spiking: group.spiking, threshold: group.spiking ? strictThreshold(group.vThreshold / gain) : 1 });
      notes.push(`${from.id} → ${id}: the membrane is kept in units of 1/${gain} (the SNN engine's avgpool2d feeds the window mean), threshold ${group.vThreshold} → ${group.vThreshold / gain}`);
    }
    groups.push(group);
  }
  if (pending !== undefined) {
    throw refuse(pending.id, 'the network ends in a synapse or pooling node, whose output is an instantaneous current: the SNN engine reads its prediction from an integrating read-out',
      'end the network with an I (integrator) node before the Output node');
  }
  if (layers.length === 0) throw refuse(lastId, 'the graph has no neuron group', 'export a network with at least one synapse and neuron group');

  // The read-out: the harness integrates v ← v + (b + Σ w·x) without leak or spikes.
  const readout = groups[groups.length - 1];
  if (readout.type === 'LI' || readout.type === 'CubaLI') {
    throw refuse(readout.id, `the SNN engine's read-out integrates without leak (v ← v + input), so the ${readout.type} node's leak (β = ${readout.params.beta} per step) cannot be represented`,
      'end the network with an I node (NIR\'s integrator, no leak), or export the read-out with a very long τ as an I node');
  }
  if (readout.spiking) {
    throw refuse(readout.id, 'the network ends in a spiking group, and the SNN engine predicts the class from its read-out\'s potential after T steps, not from spike counts',
      'end the network with an I (integrator) node after a last synapse, which the engine reads out by its largest potential');
  }
  notes.push(`prediction: the class of the largest potential of the read-out ${JSON.stringify(readout.id)} (an I node, integrating without leak) after T steps`);
  for (const g of groups.slice(0, -1)) {
    if (!g.spiking) {
      throw refuse(g.id, `a non-spiking ${g.type} node inside the network is not supported by the SNN engine yet (only its read-out integrates without spiking)`,
        'use a spiking neuron group (IF, LIF, CubaLIF) for hidden layers, and an I node as the read-out');
    }
  }

  // One NeuronParams for every spiking layer.
  const hidden = groups.slice(0, -1);
  const neuron: NeuronParams = hidden.length > 0 ? hidden[0].params : readout.params;
  for (const g of hidden.slice(1)) {
    const p = g.params;
    if (p.model !== neuron.model || p.beta !== neuron.beta || p.alpha !== neuron.alpha || p.reset !== neuron.reset) {
      throw refuse(g.id, `its dynamics (${describe(p)}) differ from ${JSON.stringify(hidden[0].id)}'s (${describe(neuron)}): mixed neuron dynamics are not supported by the SNN engine yet (one neuron model, β, α and reset for all layers)`,
        'export every hidden neuron group with the same type, τ and reset');
    }
  }

  const id = options.id ?? 'nir';
  const modelLayers: Layer[] = layers.map((l, i) => (l.layer.kind === 'dense' || l.layer.kind === 'conv2d' ? { ...l.layer, activation: i === layers.length - 1 ? 'identity' : 'relu' } : l.layer));
  const spikingLayers: SpikingLayer[] = layers.map((l, i) => ({ ...l, layer: modelLayers[i] }));
  const model: Model = { id, inputShape: input.shape, layers: modelLayers };
  const spiking: SpikingModel = {
    id: `${id}-snn`,
    inputShape: input.shape,
    layers: spikingLayers,
    conversion: { method: 'nir', calibrationSamples: 0, scales: layers.map(() => 1) },
  };
  return { model, spiking, neuron, notes };
}

type Refuse = (id: string, problem: string, fix: string) => InputError;

function describe(p: NeuronParams): string {
  return `${p.model}, β = ${p.beta}${p.model === 'cuba' ? `, α = ${p.alpha}` : ''}, reset ${p.reset}`;
}

/** NIR's W [out, in] → the harness's [in][out]; Linear has no bias. */
function denseSynapse(id: string, node: NirAffine | NirLinear): PendingSynapse {
  const [out, inF] = node.weight.shape;
  const weight = new Float32Array(inF * out);
  const w = node.weight.data;
  for (let o = 0; o < out; o++) for (let i = 0; i < inF; i++) weight[i * out + o] = w[o * inF + i];
  const bias = node.type === 'Affine' ? Float32Array.from(node.bias.data) : new Float32Array(out);
  const layer: DenseLayer = { kind: 'dense', name: id, inFeatures: inF, outFeatures: out, weight, bias, activation: 'relu' };
  return { kind: 'synapse', id, layer, scale: new Float64Array(out).fill(1) };
}

/** NIR's W [K, C, kh, kw] → the harness's [C][kh][kw][K]; groups 1, dilation 1, symmetric padding. */
function convSynapse(id: string, node: NirConv2d, inShape: readonly number[], refuse: Refuse): PendingSynapse {
  const [K, C, kh, kw] = node.weight.shape;
  if (node.groups !== 1) throw refuse(id, `groups = ${node.groups}: grouped convolutions are not supported by the SNN engine yet`, 'export the convolution with groups = 1');
  if (node.dilation.some((d) => d !== 1)) throw refuse(id, `dilation [${node.dilation.join(', ')}]: dilated convolutions are not supported by the SNN engine yet`, 'export the convolution with dilation 1');
  let padding: [number, number];
  if (node.padding === 'valid') padding = [0, 0];
  else if (node.padding === 'same') {
    if (kh % 2 === 0 || kw % 2 === 0 || node.stride.some((s) => s !== 1)) {
      throw refuse(id, `padding 'same' with kernel ${kh}×${kw} and stride [${node.stride.join(', ')}] pads unevenly, and the SNN engine pads every side alike`,
        'export an odd kernel with stride 1, or explicit symmetric padding');
    }
    padding = [(kh - 1) / 2, (kw - 1) / 2];
  } else padding = [node.padding[0], node.padding[1]];
  const weight = new Float32Array(C * kh * kw * K);
  const w = node.weight.data;
  for (let k = 0; k < K; k++) {
    for (let c = 0; c < C; c++) {
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) weight[((c * kh + y) * kw + x) * K + k] = w[((k * C + c) * kh + y) * kw + x];
    }
  }
  const layer: Conv2dLayer = {
    kind: 'conv2d', name: id, inChannels: C, outChannels: K, inputHW: [inShape[1], inShape[2]], kernel: [kh, kw],
    stride: [node.stride[0], node.stride[1]], padding, weight, bias: Float32Array.from(node.bias.data), activation: 'relu',
  };
  return { kind: 'synapse', id, layer, scale: new Float64Array(K).fill(1) };
}

/** A Scale after a synapse multiplies each output's weights and bias: per output (dense) or per channel (conv). */
function foldScale(id: string, node: NirScale, syn: PendingSynapse, refuse: Refuse): PendingSynapse {
  const s = node.scale.data;
  const outputs = syn.scale.length;
  const plane = s.length / outputs;
  const scale = new Float64Array(outputs);
  for (let o = 0; o < outputs; o++) {
    const v = s[o * plane];
    for (let p = 1; p < plane; p++) {
      if (s[o * plane + p] !== v) {
        throw refuse(id, `its scale differs within output channel ${o} of ${JSON.stringify(syn.id)} (${v} and ${s[o * plane + p]}); the SNN engine's convolution has one weight set per channel`,
          'export one scale per output channel, or fold the Scale into the weights in the exporter');
      }
    }
    scale[o] = syn.scale[o] * v;
  }
  return { ...syn, scale };
}

function poolLayer(id: string, node: NirPool2d, inShape: readonly number[], refuse: Refuse): PendingPool {
  if (node.padding.some((p) => p !== 0)) {
    throw refuse(id, `padding [${node.padding.join(', ')}]: the SNN engine's pooling divides a border window by the taps inside the input, which NIR's ${node.type} does not`,
      'export the pooling node with padding 0');
  }
  const [kh, kw] = node.kernel_size;
  const layer: Pool2dLayer = {
    kind: 'avgpool2d', name: id, channels: inShape[0], inputHW: [inShape[1], inShape[2]], kernel: [kh, kw],
    stride: [node.stride[0], node.stride[1]], padding: [0, 0],
  };
  return { kind: 'pool', id, layer, factor: node.type === 'SumPool2d' ? kh * kw : 1 };
}

/** The synapse with the group's input gain (and any Scale) in its weights and bias, and its leak bias added. */
function foldedSynapse(syn: PendingSynapse, group: NirDiscreteNeuron): SpikingLayer {
  const l = syn.layer;
  const outputs = syn.scale.length;
  const weight = new Float32Array(l.weight.length);
  for (let k = 0; k < weight.length; k++) weight[k] = l.weight[k] * syn.scale[k % outputs] * group.inputGain;
  const bias = new Float32Array(outputs);
  for (let o = 0; o < outputs; o++) bias[o] = l.bias[o] * syn.scale[o] * group.inputGain + group.leakBias;
  if (!weight.every(Number.isFinite) || !bias.every(Number.isFinite)) {
    throw InputError.at({ field: `node ${JSON.stringify(syn.id)}`, problem: 'its weights times the input gain overflow float32', fix: 'check the exported weights and the neuron group\'s r' });
  }
  return { layer: { ...l, weight, bias }, spiking: group.spiking, threshold: group.spiking ? group.threshold : 1 };
}
