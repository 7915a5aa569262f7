// A NIR graph (Neuromorphic Intermediate Representation; Pedersen et al., Nature Communications 2024)
// as typed data, and the checks that make it safe to execute: every edge names existing nodes, the
// shapes of connected nodes agree where NIR defines them, per-neuron parameter arrays have the
// population's size, and recurrent cycles are found (a neuron group feeding back to itself through
// a synapse node). Parameter names are NIR's own (the HDF5 dataset names), so reading and writing
// need no renaming table. Reading and writing files: read.ts and write.ts.

import { InputError } from '../../core/errors.js';

/** A parameter array: values in row-major order (as HDF5 and NumPy store them) and its shape. */
export interface NirTensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** Convolution padding: per spatial dimension, or NIR's (PyTorch's) 'same' / 'valid'. */
export type NirPadding = readonly number[] | 'same' | 'valid';

export interface NirInput { readonly type: 'Input'; readonly shape: readonly number[] }
export interface NirOutput { readonly type: 'Output'; readonly shape: readonly number[] }
/** y = W x + b, W of shape [out, in]. */
export interface NirAffine { readonly type: 'Affine'; readonly weight: NirTensor; readonly bias: NirTensor }
/** y = W x, W of shape [out, in]. */
export interface NirLinear { readonly type: 'Linear'; readonly weight: NirTensor }
/** y = s ⊙ x. */
export interface NirScale { readonly type: 'Scale'; readonly scale: NirTensor }
export interface NirFlatten {
  readonly type: 'Flatten';
  readonly start_dim: number;
  readonly end_dim: number;
  /** The input shape when the file gives it (otherwise inferred from the node before). */
  readonly input_type?: readonly number[];
}
interface NirConvBase {
  /** [C_out, C_in / groups, k…]. */
  readonly weight: NirTensor;
  /** [C_out]. */
  readonly bias: NirTensor;
  readonly stride: readonly number[];
  readonly padding: NirPadding;
  readonly dilation: readonly number[];
  readonly groups: number;
  /** The spatial input shape when the file gives it (otherwise inferred from the node before). */
  readonly input_shape?: readonly number[];
}
export interface NirConv1d extends NirConvBase { readonly type: 'Conv1d' }
export interface NirConv2d extends NirConvBase { readonly type: 'Conv2d' }
export interface NirPool2d {
  readonly type: 'SumPool2d' | 'AvgPool2d';
  readonly kernel_size: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
}
/** Heaviside step: 1 where x > threshold. */
export interface NirThreshold { readonly type: 'Threshold'; readonly threshold: NirTensor }
/** Integrator: dv/dt = R I. */
export interface NirI { readonly type: 'I'; readonly r: NirTensor }
/** Leaky integrator: τ dv/dt = (v_leak − v) + R I. */
export interface NirLI { readonly type: 'LI'; readonly tau: NirTensor; readonly r: NirTensor; readonly v_leak: NirTensor }
/** Integrate-and-fire: dv/dt = R I; spike when v > v_threshold, then v = v_reset. */
export interface NirIF { readonly type: 'IF'; readonly r: NirTensor; readonly v_threshold: NirTensor; readonly v_reset: NirTensor }
export interface NirLIF {
  readonly type: 'LIF';
  readonly tau: NirTensor;
  readonly r: NirTensor;
  readonly v_leak: NirTensor;
  readonly v_threshold: NirTensor;
  readonly v_reset: NirTensor;
}
/** Current-based LI: τ_syn dI/dt = −I + w_in S; τ_mem dv/dt = (v_leak − v) + R I. */
export interface NirCubaLI {
  readonly type: 'CubaLI';
  readonly tau_syn: NirTensor;
  readonly tau_mem: NirTensor;
  readonly r: NirTensor;
  readonly v_leak: NirTensor;
  readonly w_in: NirTensor;
}
export interface NirCubaLIF {
  readonly type: 'CubaLIF';
  readonly tau_syn: NirTensor;
  readonly tau_mem: NirTensor;
  readonly r: NirTensor;
  readonly v_leak: NirTensor;
  readonly v_threshold: NirTensor;
  readonly v_reset: NirTensor;
  readonly w_in: NirTensor;
}
/** y(t) = x(t − τ), τ per element. */
export interface NirDelay { readonly type: 'Delay'; readonly delay: NirTensor }
/** A nested graph; an edge to it feeds its Input node, an edge from it reads its Output node. */
export interface NirSubgraph { readonly type: 'NIRGraph'; readonly graph: NirGraph }

export type NirNode =
  | NirInput | NirOutput | NirAffine | NirLinear | NirScale | NirFlatten | NirConv1d | NirConv2d | NirPool2d
  | NirThreshold | NirI | NirLI | NirIF | NirLIF | NirCubaLI | NirCubaLIF | NirDelay | NirSubgraph;
export type NirNodeType = NirNode['type'];
export type NirEdge = readonly [from: string, to: string];

export interface NirGraph {
  /** Node id → node, in the file's order. */
  readonly nodes: ReadonlyMap<string, NirNode>;
  readonly edges: readonly NirEdge[];
}

/** How a parameter is stored: an array (float), a list of integers, one integer, or conv padding. */
export type NirParamKind = 'tensor' | 'ints' | 'int' | 'padding';
export interface NirParamSpec {
  readonly name: string;
  readonly kind: NirParamKind;
  /** Absent in some files; `fill` gives the default (per neuron) when it is a per-neuron array. */
  readonly optional?: { readonly fill?: { readonly like: string; readonly value: number } };
}

const t = (name: string): NirParamSpec => ({ name, kind: 'tensor' });
/** v_reset is absent in files written before NIR added it to IF/LIF/CubaLIF (NIR issue #142): 0. */
const V_RESET: NirParamSpec = { name: 'v_reset', kind: 'tensor', optional: { fill: { like: 'v_threshold', value: 0 } } };
/** w_in (CubaLI/CubaLIF input weight) defaults to 1 per neuron, as in NIR's nir/ir/neuron.py. */
const W_IN = (like: string): NirParamSpec => ({ name: 'w_in', kind: 'tensor', optional: { fill: { like, value: 1 } } });
const CONV: readonly NirParamSpec[] = [
  t('weight'), t('bias'), { name: 'stride', kind: 'ints' }, { name: 'padding', kind: 'padding' },
  { name: 'dilation', kind: 'ints' }, { name: 'groups', kind: 'int' }, { name: 'input_shape', kind: 'ints', optional: {} },
];
const POOL: readonly NirParamSpec[] = [
  { name: 'kernel_size', kind: 'ints' }, { name: 'stride', kind: 'ints' }, { name: 'padding', kind: 'ints' },
];

/** Every node type joulebench reads and its parameters (NIR's nir/ir/*.py and nir/serialization.py). */
export const NIR_PARAMS: { readonly [K in Exclude<NirNodeType, 'NIRGraph'>]: readonly NirParamSpec[] } = {
  Input: [{ name: 'shape', kind: 'ints' }],
  Output: [{ name: 'shape', kind: 'ints' }],
  Affine: [t('weight'), t('bias')],
  Linear: [t('weight')],
  Scale: [t('scale')],
  Flatten: [{ name: 'start_dim', kind: 'int' }, { name: 'end_dim', kind: 'int' }, { name: 'input_type', kind: 'ints', optional: {} }],
  Conv1d: CONV,
  Conv2d: CONV,
  SumPool2d: POOL,
  AvgPool2d: POOL,
  Threshold: [t('threshold')],
  I: [t('r')],
  LI: [t('tau'), t('r'), t('v_leak')],
  IF: [t('r'), t('v_threshold'), V_RESET],
  LIF: [t('tau'), t('r'), t('v_leak'), t('v_threshold'), V_RESET],
  CubaLI: [t('tau_syn'), t('tau_mem'), t('r'), t('v_leak'), W_IN('v_leak')],
  CubaLIF: [t('tau_syn'), t('tau_mem'), t('r'), t('v_leak'), t('v_threshold'), V_RESET, W_IN('v_threshold')],
  Delay: [t('delay')],
};

export const NIR_NODE_TYPES: readonly NirNodeType[] = [...(Object.keys(NIR_PARAMS) as NirNodeType[]), 'NIRGraph'];

export function isNirNodeType(type: string): type is NirNodeType {
  return (NIR_NODE_TYPES as readonly string[]).includes(type);
}

/** Nodes whose every parameter is per element of one population (neurons, Scale, Threshold, Delay). */
const ELEMENTWISE: ReadonlySet<NirNodeType> = new Set(['Scale', 'Threshold', 'I', 'LI', 'IF', 'LIF', 'CubaLI', 'CubaLIF', 'Delay']);
/** Nodes that hold state across time steps: a cycle through one of them is a recurrence, not an algebraic loop. */
const STATEFUL: ReadonlySet<NirNodeType> = new Set(['I', 'LI', 'IF', 'LIF', 'CubaLI', 'CubaLIF', 'Delay']);
/** Nodes that carry synapses (weights or a scale): what a recurrent cycle feeds back through. */
const SYNAPTIC: ReadonlySet<NirNodeType> = new Set(['Affine', 'Linear', 'Scale', 'Conv1d', 'Conv2d']);

export const isStatefulNirNode = (node: NirNode): boolean => STATEFUL.has(node.type);

// ---------------------------------------------------------------------------------------------
// Errors

/** One line: `FILE: node "ID" (type "T"): PROBLEM; FIX`. */
export function nodeError(file: string | undefined, id: string, type: string, problem: string, fix: string): InputError {
  return InputError.at({ ...(file === undefined ? {} : { file }), field: `node ${JSON.stringify(id)} (type ${JSON.stringify(type)})`, problem, fix });
}

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const fmt = (shape: readonly number[] | undefined): string => (shape === undefined ? 'unknown' : `[${shape.join(', ')}]`);
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

// ---------------------------------------------------------------------------------------------
// Nested graphs

/**
 * Inlines nested graphs: a subgraph S's node c becomes `S.c`; an edge to S goes to S's Input node's
 * successors and an edge from S leaves from S's Output node's predecessors (S's Input and Output are
 * pass-throughs and disappear). Edges may also name `S.c` directly. A subgraph needs exactly one Input
 * and one Output node to be wired this way.
 */
export function flattenNirGraph(graph: NirGraph, file?: string): NirGraph {
  const nodes = new Map<string, NirNode>();
  /** Per subgraph id: the flattened ids its Input feeds, and the ids that feed its Output. */
  const entries = new Map<string, { into: string[]; outOf: string[] }>();
  const inner: NirEdge[] = [];
  for (const [id, node] of graph.nodes) {
    if (node.type !== 'NIRGraph') {
      nodes.set(id, node);
      continue;
    }
    const sub = flattenNirGraph(node.graph, file);
    const inputs = [...sub.nodes].filter(([, n]) => n.type === 'Input').map(([k]) => k);
    const outputs = [...sub.nodes].filter(([, n]) => n.type === 'Output').map(([k]) => k);
    if (inputs.length !== 1 || outputs.length !== 1) {
      throw nodeError(file, id, 'NIRGraph', `a nested graph needs one Input and one Output node, it has ${inputs.length} and ${outputs.length}`,
        'export the subgraph with a single Input and a single Output node, or flatten it in the exporter');
    }
    const [inId, outId] = [inputs[0], outputs[0]];
    entries.set(id, {
      into: sub.edges.filter(([a]) => a === inId).map(([, b]) => `${id}.${b}`),
      outOf: sub.edges.filter(([, b]) => b === outId).map(([a]) => `${id}.${a}`),
    });
    for (const [k, n] of sub.nodes) if (k !== inId && k !== outId) nodes.set(`${id}.${k}`, n);
    for (const [a, b] of sub.edges) if (a !== inId && b !== outId) inner.push([`${id}.${a}`, `${id}.${b}`]);
    // Input → Output directly: the subgraph passes its input through.
    if (sub.edges.some(([a, b]) => a === inId && b === outId)) {
      throw nodeError(file, id, 'NIRGraph', 'its Input is wired straight to its Output', 'remove the empty subgraph in the exporter');
    }
  }
  const edges: NirEdge[] = [];
  for (const [a, b] of graph.edges) {
    const froms = entries.get(a)?.outOf ?? [a];
    const tos = entries.get(b)?.into ?? [b];
    for (const f of froms) for (const to of tos) edges.push([f, to]);
  }
  return { nodes, edges: [...edges, ...inner] };
}

// ---------------------------------------------------------------------------------------------
// Validation

export interface NirNodeShapes {
  readonly input: readonly number[];
  readonly output: readonly number[];
}

/** A strongly connected set of nodes: activity circulates through `synapses` back into `neurons`. */
export interface NirCycle {
  readonly nodes: readonly string[];
  /** The stateful nodes on the cycle (neuron groups, delays). */
  readonly neurons: readonly string[];
  /** The weight-carrying nodes on the cycle (Affine, Linear, Conv, Scale): the recurrent synapses. */
  readonly synapses: readonly string[];
}

export interface NirAnalysis {
  /** The graph with nested graphs inlined (what the checks ran on). */
  readonly graph: NirGraph;
  /** Every node's input and output shape (batch dimension excluded). */
  readonly shapes: ReadonlyMap<string, NirNodeShapes>;
  readonly cycles: readonly NirCycle[];
}

/**
 * Checks a graph (nested graphs inlined first) and returns every node's shapes and the recurrent
 * cycles; the first problem found is thrown as one InputError naming the node, its type and the fix.
 */
export function validateNirGraph(graph: NirGraph, file?: string): NirAnalysis {
  const flat = flattenNirGraph(graph, file);
  for (const [id, node] of flat.nodes) checkParams(id, node, file);
  checkEdges(flat, file);
  const shapes = inferShapes(flat, file);
  const cycles = findCycles(flat, file);
  return { graph: flat, shapes, cycles };
}

function checkEdges(graph: NirGraph, file: string | undefined): void {
  for (const [a, b] of graph.edges) {
    for (const [end, other, role] of [[a, b, 'from'], [b, a, 'to']] as const) {
      if (!graph.nodes.has(end)) {
        const otherNode = graph.nodes.get(other);
        const problem = `the edge ${JSON.stringify(a)} → ${JSON.stringify(b)} comes ${role} ${JSON.stringify(end)}, which is not a node of the graph`;
        const fix = `name one of the graph's nodes (${excerptIds(graph)})`;
        if (otherNode !== undefined) throw nodeError(file, other, otherNode.type, problem, fix);
        throw InputError.at({ ...(file === undefined ? {} : { file }), field: 'edges', problem, fix });
      }
    }
  }
  const inputs = [...graph.nodes.values()].filter((n) => n.type === 'Input').length;
  const outputs = [...graph.nodes.values()].filter((n) => n.type === 'Output').length;
  if (inputs === 0 || outputs === 0) {
    throw InputError.at({ ...(file === undefined ? {} : { file }), field: 'node', problem: `the graph has ${inputs} Input and ${outputs} Output nodes`,
      fix: 'export the network with at least one Input and one Output node' });
  }
  for (const [id, node] of graph.nodes) {
    if (node.type === 'Input' && graph.edges.some(([, b]) => b === id)) {
      throw nodeError(file, id, node.type, 'an edge leads into an Input node', 'feed the network only through its Input nodes');
    }
    if (node.type === 'Output' && graph.edges.some(([a]) => a === id)) {
      throw nodeError(file, id, node.type, 'an edge leaves an Output node', 'connect the node before the Output node instead');
    }
  }
}

function excerptIds(graph: NirGraph): string {
  const ids = [...graph.nodes.keys()];
  const shown = ids.slice(0, 8).map((k) => JSON.stringify(k)).join(', ');
  return ids.length > 8 ? `${shown}, … ${ids.length} in all` : shown;
}

/** Per-node parameter shapes: one population shape for elementwise nodes, weight ranks, bias sizes. */
function checkParams(id: string, node: NirNode, file: string | undefined): void {
  const bad = (problem: string, fix: string): never => {
    throw nodeError(file, id, node.type, problem, fix);
  };
  for (const spec of node.type === 'NIRGraph' ? [] : NIR_PARAMS[node.type]) {
    const value = (node as unknown as Record<string, unknown>)[spec.name];
    if (spec.kind === 'tensor') {
      const v = value as NirTensor;
      if (v.data.length !== size(v.shape)) bad(`${spec.name} holds ${v.data.length} values for shape ${fmt(v.shape)}`, 'write the parameter with its full shape');
      for (const x of v.data) if (!Number.isFinite(x)) bad(`${spec.name} holds a value that is not finite (${x})`, 'export finite parameters');
    }
    if (spec.kind === 'ints' && value !== undefined) {
      for (const x of value as readonly number[]) if (!Number.isInteger(x)) bad(`${spec.name} must be integers, got ${fmt(value as number[])}`, 'write integer sizes');
    }
  }
  switch (node.type) {
    case 'Input':
    case 'Output':
      if (node.shape.length === 0 || node.shape.some((d) => !(d > 0))) bad(`shape must be positive sizes, got ${fmt(node.shape)}`, 'give the shape of one sample without the batch dimension');
      return;
    case 'Affine':
    case 'Linear': {
      const w = node.weight.shape;
      if (w.length !== 2) bad(`weight must be a matrix [out, in], got shape ${fmt(w)}`, 'export the weight as a 2-D matrix (batched weights are not supported)');
      if (node.type === 'Affine' && !sameShape(node.bias.shape, [w[0]])) bad(`bias has shape ${fmt(node.bias.shape)}, the weight's ${w[0]} outputs need [${w[0]}]`, 'give one bias per output');
      return;
    }
    case 'Conv1d':
    case 'Conv2d': {
      const dims = node.type === 'Conv1d' ? 1 : 2;
      const w = node.weight.shape;
      if (w.length !== dims + 2) bad(`weight must have shape [C_out, C_in/groups, ${dims === 1 ? 'k' : 'kH, kW'}], got ${fmt(w)}`, `export a ${dims}-D convolution weight`);
      if (!(node.groups >= 1) || w[0] % node.groups !== 0) bad(`groups = ${node.groups} must divide the ${w[0]} output channels`, 'export the convolution with a valid group count');
      if (!sameShape(node.bias.shape, [w[0]])) bad(`bias has shape ${fmt(node.bias.shape)}, the ${w[0]} output channels need [${w[0]}]`, 'give one bias per output channel');
      for (const [name, v] of [['stride', node.stride], ['dilation', node.dilation]] as const) {
        if (v.length !== dims || v.some((x) => x < 1)) bad(`${name} must be ${dims} positive integers, got ${fmt(v)}`, `give ${name} per spatial dimension`);
      }
      if (typeof node.padding !== 'string' && (node.padding.length !== dims || node.padding.some((x) => x < 0))) {
        bad(`padding must be ${dims} non-negative integers, 'same' or 'valid', got ${fmt(node.padding)}`, 'give padding per spatial dimension');
      }
      if (node.input_shape !== undefined && (node.input_shape.length !== dims || node.input_shape.some((x) => x < 1))) {
        bad(`input_shape must be ${dims} positive sizes, got ${fmt(node.input_shape)}`, 'give the spatial input size without channels');
      }
      return;
    }
    case 'SumPool2d':
    case 'AvgPool2d':
      for (const [name, v, min] of [['kernel_size', node.kernel_size, 1], ['stride', node.stride, 1], ['padding', node.padding, 0]] as const) {
        if (v.length !== 2 || v.some((x) => x < min)) bad(`${name} must be 2 integers ≥ ${min}, got ${fmt(v)}`, `give ${name} as [height, width]`);
      }
      return;
    case 'NIRGraph':
    case 'Flatten':
      return;
    default: {
      // Elementwise nodes: every parameter array has the population's shape.
      const specs = NIR_PARAMS[node.type];
      const first = (node as unknown as Record<string, NirTensor>)[specs[0].name];
      for (const spec of specs.slice(1)) {
        const p = (node as unknown as Record<string, NirTensor>)[spec.name];
        if (!sameShape(p.shape, first.shape)) {
          bad(`${spec.name} has shape ${fmt(p.shape)} but ${specs[0].name} has ${fmt(first.shape)}: every per-neuron parameter needs the population's shape`,
            `write ${spec.name} with one value per neuron (shape ${fmt(first.shape)})`);
        }
      }
      if (first.shape.length === 0 || size(first.shape) === 0) bad(`${specs[0].name} must have one value per element, got shape ${fmt(first.shape)}`, 'write the parameters per element (shape [n] or [C, H, W])');
    }
  }
}

/** Output length of a convolution or pooling along one dimension (PyTorch's formula, NIR's calculate_conv_output). */
export function convOutputLength(n: number, kernel: number, stride: number, padding: number, dilation: number): number {
  return Math.floor((n + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1);
}

/** NIR's calc_flatten_output: dimensions start_dim..end_dim (end −1: the last) multiplied into one. */
export function flattenShape(input: readonly number[], startDim: number, endDim: number): number[] | undefined {
  const n = input.length;
  const start = startDim < 0 ? n + startDim : startDim;
  const end = endDim < 0 ? n + endDim : endDim;
  if (start < 0 || end >= n || start > end) return undefined;
  return [...input.slice(0, start), size(input.slice(start, end + 1)), ...input.slice(end + 1)];
}

/** The input shape a node declares by itself (from its parameters), if any. */
function declaredInput(node: NirNode): readonly number[] | undefined {
  switch (node.type) {
    case 'Input':
    case 'Output':
      return node.shape;
    case 'Affine':
    case 'Linear':
      return [node.weight.shape[1]];
    case 'Conv1d':
    case 'Conv2d':
      return node.input_shape === undefined ? undefined : [node.weight.shape[1] * node.groups, ...node.input_shape];
    case 'Flatten':
      return node.input_type;
    case 'SumPool2d':
    case 'AvgPool2d':
    case 'NIRGraph':
      return undefined;
    default:
      return (node as unknown as Record<string, NirTensor>)[NIR_PARAMS[node.type][0].name].shape;
  }
}

/** A node's output shape from its input shape, or a problem with that input. */
function outputFor(node: NirNode, input: readonly number[]): readonly number[] | string {
  switch (node.type) {
    case 'Input':
    case 'Output':
      return node.shape;
    case 'Affine':
    case 'Linear':
      return [node.weight.shape[0]];
    case 'Conv1d':
    case 'Conv2d': {
      const dims = node.type === 'Conv1d' ? 1 : 2;
      const cin = node.weight.shape[1] * node.groups;
      if (input.length !== dims + 1 || input[0] !== cin) return `a convolution over ${cin} channels needs an input [${cin}, ${dims === 1 ? 'N' : 'H, W'}], got ${fmt(input)}`;
      const out = [node.weight.shape[0]];
      for (let i = 0; i < dims; i++) {
        const k = node.weight.shape[2 + i];
        const n = input[1 + i];
        const len = node.padding === 'same' ? n : convOutputLength(n, k, node.stride[i], node.padding === 'valid' ? 0 : node.padding[i], node.dilation[i]);
        if (len < 1) return `the kernel does not fit the input ${fmt(input)}`;
        out.push(len);
      }
      return out;
    }
    case 'SumPool2d':
    case 'AvgPool2d': {
      if (input.length !== 3) return `2-D pooling needs an input [C, H, W], got ${fmt(input)}`;
      const out = [input[0]];
      for (let i = 0; i < 2; i++) {
        const len = convOutputLength(input[1 + i], node.kernel_size[i], node.stride[i], node.padding[i], 1);
        if (len < 1) return `the pooling window does not fit the input ${fmt(input)}`;
        out.push(len);
      }
      return out;
    }
    case 'Flatten':
      return flattenShape(input, node.start_dim, node.end_dim) ?? `start_dim ${node.start_dim} and end_dim ${node.end_dim} do not fit the input ${fmt(input)}`;
    case 'NIRGraph':
      return 'nested graphs are inlined before shapes are checked';
    default: {
      // An elementwise node whose parameters have a spatial shape ([C, H, W]) gives its output that
      // shape, so a convolution after it knows its input even when the sender was flat.
      const own = declaredInput(node) as readonly number[];
      return own.length > 1 && size(own) === size(input) ? own : input;
    }
  }
}

/**
 * Forward shape inference from the Input nodes (NIR's NIRGraph._forward_type_inference), checking
 * each edge: what a node sends must have the size the next node takes (a fan-in sums inputs of one
 * size); spatial nodes (Conv, pooling, Flatten) without a declared input shape take the sender's.
 */
function inferShapes(graph: NirGraph, file: string | undefined): Map<string, NirNodeShapes> {
  const input = new Map<string, readonly number[]>();
  const output = new Map<string, readonly number[]>();
  const senders = new Map<string, string[]>();
  for (const [a, b] of graph.edges) senders.set(b, [...(senders.get(b) ?? []), a]);
  // Elementwise nodes take the sender's shape (a neuron group after a convolution keeps [C, H, W]
  // even when its parameters are stored flat); only a node no sender reaches uses its own.
  for (const [id, node] of graph.nodes) {
    const declared = declaredInput(node);
    if (declared !== undefined && !ELEMENTWISE.has(node.type)) input.set(id, declared);
  }
  const nodeOf = (id: string): NirNode => graph.nodes.get(id) as NirNode;
  propagate(graph, senders, input, output, file);
  for (const [id, node] of graph.nodes) {
    if (!input.has(id) && ELEMENTWISE.has(node.type)) input.set(id, declaredInput(node) as readonly number[]);
  }
  propagate(graph, senders, input, output, file);
  const shapes = new Map<string, NirNodeShapes>();
  for (const [id, node] of graph.nodes) {
    const inShape = input.get(id);
    const outShape = output.get(id);
    if (inShape === undefined || outShape === undefined) {
      throw nodeError(file, id, node.type, 'its input shape cannot be determined (no Input node reaches it and it declares none)',
        node.type === 'Conv1d' || node.type === 'Conv2d' ? 'export the convolution with input_shape, or connect it to an Input node' : 'connect the node to an Input node of the graph');
    }
    const own = declaredInput(node);
    if (ELEMENTWISE.has(node.type) && own !== undefined && size(own) !== size(inShape)) {
      const first = NIR_PARAMS[node.type as Exclude<NirNodeType, 'NIRGraph'>][0].name;
      throw nodeError(file, id, node.type, `its parameters are for ${size(own)} elements (${first} has shape ${fmt(own)}) but it receives ${fmt(inShape)} (${size(inShape)} values)`,
        `write ${first} and the other per-neuron parameters with one value per element (${size(inShape)})`);
    }
    for (const s of senders.get(id) ?? []) {
      const sent = output.get(s) as readonly number[];
      if (size(sent) !== size(inShape)) {
        throw nodeError(file, id, node.type, `it takes ${fmt(inShape)} (${size(inShape)} values) but ${JSON.stringify(s)} (type ${JSON.stringify(nodeOf(s).type)}) sends ${fmt(sent)} (${size(sent)} values)`,
          'make the shapes of connected nodes agree (a parameter of the wrong shape, or a missing Flatten)');
      }
      const spatial = node.type === 'Conv1d' || node.type === 'Conv2d' || node.type === 'SumPool2d' || node.type === 'AvgPool2d';
      if (spatial && sent.length > 1 && !sameShape(sent, inShape)) {
        throw nodeError(file, id, node.type, `it takes ${fmt(inShape)} but ${JSON.stringify(s)} sends ${fmt(sent)}`, 'make the spatial shapes of connected nodes agree');
      }
    }
    shapes.set(id, { input: inShape, output: outShape });
  }
  return shapes;
}

function propagate(graph: NirGraph, senders: ReadonlyMap<string, string[]>, input: Map<string, readonly number[]>,
  output: Map<string, readonly number[]>, file: string | undefined): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const [id, node] of graph.nodes) {
      if (!input.has(id)) {
        const known = (senders.get(id) ?? []).find((s) => output.has(s));
        if (known !== undefined) {
          input.set(id, output.get(known) as readonly number[]);
          changed = true;
        }
      }
      const inShape = input.get(id);
      if (inShape !== undefined && !output.has(id)) {
        const out = outputFor(node, inShape);
        if (typeof out === 'string') throw nodeError(file, id, node.type, out, 'export the node with shapes that fit the node before it');
        output.set(id, out);
        changed = true;
      }
    }
  }
}

/** Strongly connected components (Tarjan) with more than one node or a self-edge. */
function findCycles(graph: NirGraph, file: string | undefined): NirCycle[] {
  const next = new Map<string, string[]>();
  for (const [a, b] of graph.edges) next.set(a, [...(next.get(a) ?? []), b]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  // Iterative Tarjan: deep chains (thousands of nodes) must not overflow the call stack.
  for (const root of graph.nodes.keys()) {
    if (index.has(root)) continue;
    const work: { id: string; i: number }[] = [{ id: root, i: 0 }];
    index.set(root, counter); low.set(root, counter); counter++;
    stack.push(root); onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const succ = next.get(frame.id) ?? [];
      if (frame.i < succ.length) {
        const w = succ[frame.i++];
        if (!index.has(w)) {
          index.set(w, counter); low.set(w, counter); counter++;
          stack.push(w); onStack.add(w);
          work.push({ id: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(w) as number));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent) as number, low.get(frame.id) as number));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          comp.push(w);
        } while (w !== frame.id);
        components.push(comp);
      }
    }
  }
  const order = [...graph.nodes.keys()];
  const cycles: NirCycle[] = [];
  for (const comp of components) {
    const selfLoop = comp.length === 1 && graph.edges.some(([a, b]) => a === comp[0] && b === comp[0]);
    if (comp.length < 2 && !selfLoop) continue;
    const nodes = order.filter((id) => comp.includes(id));
    const typeOf = (id: string): NirNodeType => (graph.nodes.get(id) as NirNode).type;
    const neurons = nodes.filter((id) => STATEFUL.has(typeOf(id)));
    if (neurons.length === 0) {
      throw nodeError(file, nodes[0], typeOf(nodes[0]), `it is on a cycle without a neuron or delay (${nodes.map((n) => JSON.stringify(n)).join(' → ')}): an algebraic loop has no value at any time step`,
        'put a neuron group or a Delay on every feedback path');
    }
    cycles.push({ nodes, neurons, synapses: nodes.filter((id) => SYNAPTIC.has(typeOf(id))) });
  }
  return cycles;
}

/** Elementwise node types (their parameters are per neuron or per element). */
export const isElementwiseNirType = (type: NirNodeType): boolean => ELEMENTWISE.has(type);
