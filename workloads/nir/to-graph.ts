// A NIR graph as the harness's SNN graph (harness/backends/snn-graph.ts): neuron groups joined by
// synapse paths, in any topology NIR draws — chains, skip connections, fan-in sums into a group,
// branches out of a group, recurrent cycles. A synapse path runs from the Input node or a neuron
// group to a neuron group through
//     [Flatten] (Affine | Linear | Conv1d | Conv2d) [Scale] [Flatten]     or     [Flatten] (SumPool2d | AvgPool2d) [Flatten]
// and every neuron group (I, LI, IF, LIF, CubaLI, CubaLIF, or Threshold: stateless comparators) sums the
// paths that reach it. The group
// feeding the Output node is read for predictions: its largest spike count over T when it spikes,
// its largest potential after T steps when it integrates (I, LI, CubaLI).
//
// Each group is discretized at dt neuron by neuron (discretize.ts `discretizeGroup`: NIR's per-neuron
// arrays): each neuron's input gain multiplies the weights and bias of every synapse into it, its
// leak bias (v_leak's pull) is added to its bias, its threshold and v_threshold become the group's
// (`v ≥ threshold` ⟺ NIR's `v > v_threshold`; reset by subtraction takes v_threshold off). A pooling
// path feeds its group through the harness's avgpool2d, which has no weights and delivers the window
// mean: the group's membrane is kept in units of 1/(gain·m) (m = k² for SumPool2d, 1 for AvgPool2d),
// its threshold and subtraction divided by gain·m (exact for spikes: scaling v by a positive constant
// scales its whole trajectory), so it must be the group's only input, with v_leak = 0.
// Cycles run with one step of delay (a synapse from a group updated later reads the previous step's
// spikes). The group order is the reverse post-order of a depth-first walk from the Input node along
// the paths in the file's edge order; the paths that close a cycle are the recurrent synapses.
//
// Anything else is one InputError line naming the node id, its type and the fix.

import { InputError } from '../../core/errors.js';
import type { GraphGroup, GraphSynapse, SpikingGraph } from '../../harness/backends/snn-graph.js';
import type { Conv2dLayer, DenseLayer, Pool2dLayer } from '../../harness/model.js';
import { DEFAULT_NIR_DISCRETIZATION, discretizeGroup, isNirNeuronNode, strictThreshold, type NirDiscreteGroup, type NirDiscretizeOptions, type NirNeuronNode } from './discretize.js';
import {
  nodeError, size as sizeOf, validateNirGraph,
  type NirAffine, type NirAnalysis, type NirConv1d, type NirConv2d, type NirGraph, type NirLinear, type NirNode, type NirPool2d, type NirScale, type NirThreshold,
} from './graph.js';

/** A graph to convert: a `NirFile` (its analysis is used), or a graph that is validated here. */
export type NirSource = NirGraph | { readonly analysis: NirAnalysis };

export interface NirToGraphOptions extends Partial<NirDiscretizeOptions> {
  /** The graph's id (default "nir"). */
  readonly id?: string;
}

export interface NirSnnGraph {
  readonly graph: SpikingGraph;
  /** What the conversion did, one line each (the discretization, foldings, recurrent synapses, the read-out). */
  readonly notes: readonly string[];
  readonly discretization: NirDiscretizeOptions;
}

/** The weight-carrying or pooling node of a path, with any Scale folded in. */
type PathSynapse =
  | { readonly kind: 'synapse'; readonly id: string; readonly layer: DenseLayer | Conv2dLayer; readonly scale: Float64Array }
  | { readonly kind: 'pool'; readonly id: string; readonly layer: Pool2dLayer; readonly factor: number };

/** A path from the Input node or a neuron group to a neuron group. */
interface Path {
  readonly from: string;
  readonly to: string;
  readonly synapse: PathSynapse;
}

const PATH = 'a synapse path is [Flatten] (Affine | Linear | Conv1d | Conv2d) [Scale] [Flatten] or [Flatten] (SumPool2d | AvgPool2d) [Flatten] from the Input node or a neuron group to a neuron group';
const PASS_THROUGH = new Set(['Flatten', 'Affine', 'Linear', 'Conv1d', 'Conv2d', 'Scale', 'SumPool2d', 'AvgPool2d']);
/** The nodes that become groups: neurons, and Threshold (a group of stateless comparators). */
const isGroupNode = (node: NirNode): node is NirNeuronNode | NirThreshold => isNirNeuronNode(node) || node.type === 'Threshold';

/**
 * The harness SNN graph of a NIR graph at step dt (in the unit of the graph's τ), or one InputError
 * line naming the first node the engine cannot run exactly, its type and the fix.
 */
export function nirToGraph(source: NirSource, dt: number, options: NirToGraphOptions = {}): NirSnnGraph {
  const disc: NirDiscretizeOptions = {
    discretization: options.discretization ?? DEFAULT_NIR_DISCRETIZATION.discretization,
    reset: options.reset ?? DEFAULT_NIR_DISCRETIZATION.reset,
    ...(options.file === undefined ? {} : { file: options.file }),
  };
  const file = disc.file;
  const analysis = 'analysis' in source ? source.analysis : validateNirGraph(source, file);
  const { graph, shapes } = analysis;
  const nodeOf = (id: string): NirNode => graph.nodes.get(id) as NirNode;
  const refuse = (id: string, problem: string, fix: string): InputError => nodeError(file, id, nodeOf(id).type, problem, fix);
  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>();
  for (const id of graph.nodes.keys()) {
    succ.set(id, []);
    pred.set(id, []);
  }
  for (const [a, b] of graph.edges) {
    succ.get(a)!.push(b);
    pred.get(b)!.push(a);
  }
  const ids = (list: readonly string[]): string => list.map((n) => JSON.stringify(n)).join(' and ');

  // Node types the engine does not run.
  for (const [id, node] of graph.nodes) {
    if (node.type === 'Input' || node.type === 'Output' || PASS_THROUGH.has(node.type) || isGroupNode(node)) continue;
    const why: Partial<Record<string, [string, string]>> = {
      Delay: ['Delay nodes are not supported by the SNN engine yet', 'export the network without delays'],
    };
    const [problem, fix] = why[node.type] ?? [`${node.type} nodes are not supported by the SNN engine yet`, 'export the network with the supported nodes (Affine, Linear, Conv2d, Scale, Flatten, SumPool2d, AvgPool2d, I, LI, IF, LIF, CubaLI, CubaLIF)'];
    throw refuse(id, problem, fix);
  }
  const inputs = [...graph.nodes].filter(([, n]) => n.type === 'Input').map(([id]) => id);
  if (inputs.length !== 1) throw refuse(inputs[1], `the graph has ${inputs.length} Input nodes: several inputs are not supported by the SNN engine yet`, 'export the network with one Input node');
  const outputs = [...graph.nodes].filter(([, n]) => n.type === 'Output').map(([id]) => id);
  if (outputs.length !== 1) throw refuse(outputs[1], `the graph has ${outputs.length} Output nodes: the SNN engine reads one`, 'export the network with one Output node');
  const inputId = inputs[0];
  const outputId = outputs[0];

  /** Follows the path from `start` (a successor of `from`) to its neuron group or the Output node. */
  const walk = (from: string, start: string): { end: string; nodes: string[] } => {
    const nodes: string[] = [];
    let cur = start;
    while (PASS_THROUGH.has(nodeOf(cur).type)) {
      const ins = pred.get(cur)!;
      const outs = succ.get(cur)!;
      // fan-in right after the sources (a spike sum before the weights, as in SEW residual blocks): each source
      // becomes its own copy of the synapse, with the weights stored once; anywhere later it has no such form
      if (ins.length > 1 && (cur !== start || ins.some((n) => n !== inputId && !isGroupNode(nodeOf(n))))) {
        throw refuse(cur, `it sums the outputs of ${ids(ins)} inside a synapse path: the SNN engine sums sources right before a synapse or in a neuron group`,
          'give each source its own synapse node into the neuron group (the group sums them)');
      }
      if (outs.length > 1) {
        throw refuse(cur, `it feeds ${ids(outs)}: a synapse node's output feeding several nodes is not supported by the SNN engine yet`,
          'give each neuron group its own synapse node');
      }
      if (outs.length === 0) throw refuse(cur, 'its output goes nowhere (no edge out of it)', 'connect it to a neuron group, or remove it from the exported graph');
      nodes.push(cur);
      cur = outs[0];
    }
    if (cur === inputId) throw refuse(cur, `an edge from ${JSON.stringify(nodes[nodes.length - 1] ?? from)} leads back into the Input node`, 'export the network without edges into the Input node');
    return { end: cur, nodes };
  };

  // Every path out of the Input node and out of each neuron group.
  const paths: Path[] = [];
  let outputGroup: string | undefined;
  const sources = [inputId, ...[...graph.nodes].filter(([, n]) => isGroupNode(n)).map(([id]) => id)];
  for (const from of sources) {
    for (const start of succ.get(from)!) {
      const { end, nodes } = walk(from, start);
      const weighted = nodes.filter((n) => nodeOf(n).type !== 'Flatten');
      if (end === outputId) {
        if (weighted.length > 0) {
          throw refuse(weighted[0], 'the network ends in a synapse or pooling node, whose output is an instantaneous current: the SNN engine reads its prediction from a neuron group',
            'end the network with a neuron group (an I node integrates the current; a LIF group is read by spike counts) before the Output node');
        }
        if (from === inputId) throw refuse(outputId, 'the Input node is wired to the Output node with no neuron group between', 'export a network with at least one synapse and neuron group');
        outputGroup = from;
        continue;
      }
      paths.push({ from, to: end, synapse: pathSynapse(from, end, weighted) });
    }
  }
  if (outputGroup === undefined) throw refuse(outputId, 'no neuron group feeds the Output node', 'connect the last neuron group to the Output node');

  function pathSynapse(from: string, to: string, weighted: readonly string[]): PathSynapse {
    if (weighted.length === 0) {
      throw refuse(to, `it follows ${JSON.stringify(from)} (type ${JSON.stringify(nodeOf(from).type)}) with no synapse between them`,
        `put an Affine, Linear, Conv2d, SumPool2d or AvgPool2d node before it (${PATH})`);
    }
    const [first, ...rest] = weighted;
    const node = nodeOf(first);
    const inShape = shapes.get(first)!.input;
    let syn: PathSynapse;
    switch (node.type) {
      case 'Affine':
      case 'Linear':
        syn = denseSynapse(first, node);
        break;
      case 'Conv2d':
        syn = convSynapse(first, node, inShape, refuse);
        break;
      case 'Conv1d':
        // a 1-D convolution over [C, L] is the 2-D one over [C, 1, L] with a height-1 kernel: the same sums and counts
        syn = convSynapse(first, asConv2d(node), [inShape[0], 1, inShape[1]], refuse);
        break;
      case 'SumPool2d':
      case 'AvgPool2d':
        if (from === inputId) {
          throw refuse(first, 'the network starts with pooling: the SNN engine feeds the Input\'s values to a synapse with weights first',
            'start the network with an Affine, Linear or Conv2d node');
        }
        syn = poolSynapse(first, node, inShape, refuse);
        break;
      default:
        throw refuse(first, 'a Scale node is folded into the Affine, Linear or Conv2d node right before it, and there is none',
          'put the Scale node right after a synapse node, or fold it into the weights in the exporter');
    }
    for (const id of rest) {
      const n = nodeOf(id);
      if (n.type === 'Scale' && syn.kind === 'synapse') {
        syn = foldScale(id, n, syn, refuse);
        continue;
      }
      throw refuse(id, `it follows ${JSON.stringify(syn.id)} (type ${JSON.stringify(nodeOf(syn.id).type)}) with no neuron group between them: two synapse or pooling nodes in a row are not supported by the SNN engine yet`,
        `put a neuron group after ${JSON.stringify(syn.id)} (${PATH})`);
    }
    return syn;
  }

  // Group order: reverse post-order of a depth-first walk from the Input along the paths.
  const out = new Map<string, Path[]>();
  for (const p of paths) out.set(p.from, [...(out.get(p.from) ?? []), p]);
  const visited = new Set<string>();
  const post: string[] = [];
  const visit = (id: string): void => {
    visited.add(id);
    for (const p of out.get(id) ?? []) if (!visited.has(p.to)) visit(p.to);
    post.push(id);
  };
  visit(inputId);
  const order = post.reverse().filter((id) => id !== inputId);
  for (const id of sources.slice(1)) {
    if (!visited.has(id)) throw refuse(id, `no path from the Input node "${inputId}" reaches it`, 'connect it to the network, or remove it from the exported graph');
  }
  const index = new Map(order.map((id, i) => [id, i]));

  const notes: string[] = [
    `NIR neurons discretized at dt = ${dt} (${disc.discretization}, reset ${disc.reset}), parameters per neuron; the Input's values are each step's input (held over the step)`,
  ];
  const groups: NirDiscreteGroup[] = order.map((id) => discretizeGroup(id, nodeOf(id) as NirNeuronNode | NirThreshold, sizeOf(shapes.get(id)!.output), dt, disc));
  const bias = groups.map((g) => Float64Array.from(g.leakBias));
  /** Per group: thresholds and subtractions divided by gain·m where a pooling path feeds it. */
  const unit = groups.map((g) => new Float64Array(g.size).fill(1));
  const synapses: GraphSynapse[] = [];
  // a synapse node summing several sources is one copy per source: named by node and source, its bias and weights' storage counted once
  const copies = new Map<string, number>();
  for (const p of paths) copies.set(p.synapse.id, (copies.get(p.synapse.id) ?? 0) + 1);
  const seen = new Set<string>();
  for (const p of paths) {
    const to = index.get(p.to)!;
    const g = groups[to];
    const from = p.from === inputId ? 'input' as const : index.get(p.from)!;
    if (p.synapse.kind === 'synapse') {
      const shared = seen.has(p.synapse.id);
      seen.add(p.synapse.id);
      const layer = foldedLayer(p.synapse, g, shared ? null : bias[to], refuse);
      const name = copies.get(p.synapse.id)! > 1 ? `${p.synapse.id}<-${p.from}` : layer.name;
      synapses.push({ layer: { ...layer, name }, from, to, ...(shared ? { sharedWeights: true } : {}) });
      if (!shared && copies.get(p.synapse.id)! > 1) notes.push(`${p.synapse.id} sums ${copies.get(p.synapse.id)} sources before its weights: one synapse per source (${p.synapse.id}<-…), its weights and bias counted once`);
      continue;
    }
    const into = paths.filter((q) => q.to === p.to);
    if (into.length > 1) {
      throw refuse(p.to, `the pooling node ${JSON.stringify(p.synapse.id)} feeds it together with ${ids(into.filter((q) => q !== p).map((q) => q.synapse.id))}: the SNN engine's pooling delivers the window mean, which it rescales through the group's threshold, so pooling must be a group's only input`,
        'give the pooled group no other input, or use a Conv2d with fixed weights instead of the pooling node');
    }
    const gain0 = g.inputGain[0] * p.synapse.factor;
    for (let j = 0; j < g.size; j++) {
      if (g.leakBias[j] !== 0) {
        throw refuse(p.to, `its v_leak adds a bias of ${g.leakBias[j]} per step at neuron ${j}, and the pooling node ${JSON.stringify(p.synapse.id)} before it has no bias in the SNN engine`,
          'export the neuron group after pooling with v_leak = 0');
      }
      const gain = g.inputGain[j] * p.synapse.factor;
      if (!(gain > 0)) throw refuse(p.to, `its input gain is ${g.inputGain[j]} at neuron ${j}: the membrane after pooling cannot be rescaled`, 'export the neuron group with r > 0');
      if (!g.spiking && gain !== gain0) {
        throw refuse(p.to, 'its input gain differs across neurons, and an integrator read after pooling is compared across neurons in one unit', 'export the read-out group with one r and τ for all neurons');
      }
      unit[to][j] = gain;
    }
    synapses.push({ layer: p.synapse.layer, from, to });
    notes.push(`${p.synapse.id} → ${p.to}: the membrane is kept in units of 1/(gain·${p.synapse.factor}) (the SNN engine's avgpool2d delivers the window mean); thresholds divided alike`);
  }
  const recurrent = synapses.filter((s) => s.from !== 'input' && s.from >= s.to).map((s) => s.layer.name);
  if (recurrent.length > 0) notes.push(`recurrent synapses (the previous step's spikes): ${recurrent.join(', ')}`);
  const outIndex = index.get(outputGroup)!;
  notes.push(groups[outIndex].spiking
    ? `prediction: the neuron of ${JSON.stringify(outputGroup)} with the most spikes over T steps`
    : `prediction: the neuron of ${JSON.stringify(outputGroup)} (${groups[outIndex].type}, no spikes) with the largest potential after T steps`);

  const graphGroups: GraphGroup[] = groups.map((g, gi) => {
    const threshold = new Float64Array(g.size);
    const subtract = new Float64Array(g.size);
    for (let j = 0; j < g.size; j++) {
      threshold[j] = !g.spiking ? Infinity : unit[gi][j] === 1 ? g.threshold[j] : strictThreshold(g.vThreshold[j] / unit[gi][j]);
      subtract[j] = g.spiking ? g.vThreshold[j] / unit[gi][j] : 0;
    }
    const b = Float32Array.from(bias[gi]);
    if (!b.every(Number.isFinite)) throw refuse(g.id, 'its bias (the synapses\' biases times the input gain, plus v_leak\'s pull) overflows float32', 'check the exported biases, r and v_leak');
    return { name: g.id, size: g.size, spiking: g.spiking, dynamics: { model: g.model, reset: g.reset, beta: g.beta, alpha: g.alpha, threshold, subtract, bias: b } };
  });
  const input = nodeOf(inputId) as Extract<NirNode, { type: 'Input' }>;
  return { graph: { id: options.id ?? 'nir', inputShape: input.shape, groups: graphGroups, synapses, output: outIndex, origin: 'nir' }, notes, discretization: disc };
}

type Refuse = (id: string, problem: string, fix: string) => InputError;

/** A Conv1d node as the Conv2d node over a height-1 input: weight [K, C, k] → [K, C, 1, k], stride, padding and dilation 1 in height. */
function asConv2d(node: NirConv1d): NirConv2d {
  const [K, C, k] = node.weight.shape;
  const padding = typeof node.padding === 'string' ? node.padding : [0, node.padding[0]];
  return { ...node, type: 'Conv2d', weight: { shape: [K, C, 1, k], data: node.weight.data }, stride: [1, node.stride[0]], padding, dilation: [1, node.dilation[0]] };
}

/** NIR's W [out, in] → the harness's [in][out]; Linear has no bias. */
function denseSynapse(id: string, node: NirAffine | NirLinear): PathSynapse {
  const [out, inF] = node.weight.shape;
  const weight = new Float32Array(inF * out);
  const w = node.weight.data;
  for (let o = 0; o < out; o++) for (let i = 0; i < inF; i++) weight[i * out + o] = w[o * inF + i];
  const bias = node.type === 'Affine' ? Float32Array.from(node.bias.data) : new Float32Array(out);
  const layer: DenseLayer = { kind: 'dense', name: id, inFeatures: inF, outFeatures: out, weight, bias, activation: 'relu' };
  return { kind: 'synapse', id, layer, scale: new Float64Array(out).fill(1) };
}

/**
 * NIR's W [K, C/groups, kh, kw] → the harness's [C][kh][kw][K/groups] (input channel c's run covers the
 * output channels of its group); groups and dilation as given, symmetric padding.
 */
function convSynapse(id: string, node: NirConv2d, inShape: readonly number[], refuse: Refuse): PathSynapse {
  const [K, Cg, kh, kw] = node.weight.shape;
  const G = node.groups;
  const C = Cg * G;
  const Kg = K / G;
  const [dy, dx] = [node.dilation[0], node.dilation[1]];
  let padding: [number, number];
  if (node.padding === 'valid') padding = [0, 0];
  else if (node.padding === 'same') {
    // PyTorch's 'same' pads d·(k − 1) in all, split evenly only when it is even (stride 1)
    const [spanY, spanX] = [dy * (kh - 1), dx * (kw - 1)];
    if (spanY % 2 !== 0 || spanX % 2 !== 0 || node.stride.some((s) => s !== 1)) {
      throw refuse(id, `padding 'same' with kernel ${kh}×${kw}, dilation [${dy}, ${dx}] and stride [${node.stride.join(', ')}] pads unevenly, and the SNN engine pads every side alike`,
        'export an odd kernel with stride 1, or explicit symmetric padding');
    }
    padding = [spanY / 2, spanX / 2];
  } else padding = [node.padding[0], node.padding[1]];
  const weight = new Float32Array(C * kh * kw * Kg);
  const w = node.weight.data;
  for (let k = 0; k < K; k++) {
    const g = Math.floor(k / Kg);
    for (let cg = 0; cg < Cg; cg++) {
      const c = g * Cg + cg;
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) weight[((c * kh + y) * kw + x) * Kg + (k - g * Kg)] = w[((k * Cg + cg) * kh + y) * kw + x];
    }
  }
  const layer: Conv2dLayer = {
    kind: 'conv2d', name: id, inChannels: C, outChannels: K, inputHW: [inShape[1], inShape[2]], kernel: [kh, kw],
    stride: [node.stride[0], node.stride[1]], padding, weight, bias: Float32Array.from(node.bias.data), activation: 'relu',
    ...(G === 1 ? {} : { groups: G }), ...(dy === 1 && dx === 1 ? {} : { dilation: [dy, dx] as const }),
  };
  return { kind: 'synapse', id, layer, scale: new Float64Array(K).fill(1) };
}

/** A Scale after a synapse multiplies each output's weights and bias: per output (dense) or per channel (conv). */
function foldScale(id: string, node: NirScale, syn: Extract<PathSynapse, { kind: 'synapse' }>, refuse: Refuse): PathSynapse {
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

function poolSynapse(id: string, node: NirPool2d, inShape: readonly number[], refuse: Refuse): PathSynapse {
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

/**
 * The synapse with its target group's per-neuron input gain (and any Scale) in its weights, a zero
 * bias, and its bias (times scale and gain) added to the group's bias. A convolution's gain must be
 * one per output channel (its weights are shared across the channel's neurons). A further copy of a
 * synapse that sums several sources adds no bias (`groupBias` null).
 */
function foldedLayer(syn: Extract<PathSynapse, { kind: 'synapse' }>, group: NirDiscreteGroup, groupBias: Float64Array | null, refuse: Refuse): DenseLayer | Conv2dLayer {
  const l = syn.layer;
  const outputs = syn.scale.length;
  const plane = group.size / outputs;
  const gain = new Float64Array(outputs);
  for (let o = 0; o < outputs; o++) {
    gain[o] = group.inputGain[o * plane];
    for (let p = 0; p < plane; p++) {
      const j = o * plane + p;
      if (group.inputGain[j] !== gain[o]) {
        throw refuse(group.id, `its input gain (from r, τ and w_in) differs within output channel ${o} of the convolution ${JSON.stringify(syn.id)} (${gain[o]} and ${group.inputGain[j]}); a convolution shares its weights across a channel`,
          'export the neuron group with one r, τ and w_in per channel');
      }
      if (groupBias !== null) groupBias[j] += l.bias[o] * syn.scale[o] * gain[o];
    }
  }
  const weight = new Float32Array(l.weight.length);
  const outputOf = weightOutput(l);
  for (let k = 0; k < weight.length; k++) {
    const o = outputOf(k);
    weight[k] = l.weight[k] * syn.scale[o] * gain[o];
  }
  if (!weight.every(Number.isFinite)) {
    throw refuse(syn.id, 'its weights times the input gain of the neuron group after it overflow float32', 'check the exported weights and the neuron group\'s r');
  }
  return { ...l, weight, bias: new Float32Array(outputs) };
}

/** The output (dense) or output channel (conv, grouped too) that weight entry k of a layer feeds. */
function weightOutput(l: DenseLayer | Conv2dLayer): (k: number) => number {
  if (l.kind === 'dense') return (k) => k % l.outFeatures;
  const G = l.groups ?? 1;
  const Kg = l.outChannels / G;
  const perChannel = l.kernel[0] * l.kernel[1] * Kg; // weights of one input channel
  const Cg = l.inChannels / G;
  return (k) => Math.floor(Math.floor(k / perChannel) / Cg) * Kg + (k % Kg);
}
