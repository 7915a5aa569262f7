// NIR import, first step: files the tests write with h5wasm (both format generations) read back into
// typed, validated graphs; every refusal is one InputError line naming the node, its type and the fix.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pythonWith } from './python.js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import type { NirGraph, NirNode, NirTensor } from '../workloads/nir/graph.js';
import { h5Module, h5wasm } from '../workloads/nir/h5.js';
import { readNirBytes, readNirFile } from '../workloads/nir/read.js';
import { writeNirBytes, writeNirFile } from '../workloads/nir/write.js';
import { tempDir } from './cli-helpers.js';

/** A Python with h5py (Debian's python3-h5py), to write files with an HDF5 library other than h5wasm. */
const H5PY = pythonWith('h5py', 'numpy');

const tensor = (shape: number[], f: (i: number) => number = (i) => 0.5 + i / 8): NirTensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float64Array.from({ length: n }, (_, i) => f(i)) };
};
const full = (shape: number[], v: number): NirTensor => tensor(shape, () => v);
const graph = (nodes: [string, NirNode][], edges: [string, string][]): NirGraph => ({ nodes: new Map(nodes), edges });
const chain = (nodes: [string, NirNode][]): NirGraph =>
  graph(nodes, nodes.slice(1).map(([id], i) => [nodes[i][0], id] as [string, string]));

/** Every node type in one graph: a conv front end, pooling, flatten, dense layers and each neuron model. */
function everyNodeType(): NirGraph {
  const n = 4;
  return chain([
    ['in', { type: 'Input', shape: [2, 8] }],
    ['c1', { type: 'Conv1d', weight: tensor([2, 2, 3]), bias: tensor([2]), stride: [1], padding: [1], dilation: [1], groups: 1, input_shape: [8] }],
    ['r1', { type: 'Flatten', start_dim: 0, end_dim: -1, input_type: [2, 8] }],
    ['fc0', { type: 'Linear', weight: tensor([2 * 4 * 4, 16]) }],
    ['f0', { type: 'Flatten', start_dim: 0, end_dim: 0, input_type: [32] }],
    ['fcx', { type: 'Affine', weight: tensor([2 * 6 * 6, 32]), bias: tensor([72]) }],
    ['lifx', { type: 'LIF', tau: full([2, 6, 6], 0.01), r: full([2, 6, 6], 1), v_leak: full([2, 6, 6], 0), v_threshold: full([2, 6, 6], 1), v_reset: full([2, 6, 6], 0) }],
    ['c2', { type: 'Conv2d', weight: tensor([4, 1, 3, 3]), bias: tensor([4]), stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 2, input_shape: [6, 6] }],
    ['sp', { type: 'SumPool2d', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0] }],
    ['ap', { type: 'AvgPool2d', kernel_size: [3, 3], stride: [3, 3], padding: [0, 0] }],
    ['fl', { type: 'Flatten', start_dim: 0, end_dim: -1 }],
    ['fc', { type: 'Affine', weight: tensor([n, 4]), bias: tensor([n]) }],
    ['sc', { type: 'Scale', scale: tensor([n]) }],
    ['i', { type: 'I', r: full([n], 1) }],
    ['li', { type: 'LI', tau: full([n], 0.02), r: full([n], 1), v_leak: full([n], 0) }],
    ['if', { type: 'IF', r: full([n], 1), v_threshold: full([n], 1), v_reset: full([n], 0.25) }],
    ['lin', { type: 'Linear', weight: tensor([n, n]) }],
    ['cli', { type: 'CubaLI', tau_syn: full([n], 0.005), tau_mem: full([n], 0.01), r: full([n], 1), v_leak: full([n], 0), w_in: full([n], 2) }],
    ['clif', { type: 'CubaLIF', tau_syn: full([n], 0.005), tau_mem: full([n], 0.01), r: full([n], 1), v_leak: full([n], 0), v_threshold: full([n], 1), v_reset: full([n], 0), w_in: full([n], 1) }],
    ['th', { type: 'Threshold', threshold: full([n], 0.5) }],
    ['d', { type: 'Delay', delay: full([n], 0.001) }],
    ['out', { type: 'Output', shape: [n] }],
  ]);
}

/** A recurrent CubaLIF layer: the neurons feed back to themselves through an Affine (NIR's RNN examples). */
function recurrentCubaLif(nested: boolean): NirGraph {
  const h = 3;
  const cuba: NirNode = { type: 'CubaLIF', tau_syn: full([h], 0.005), tau_mem: full([h], 0.01), r: full([h], 1), v_leak: full([h], 0), v_threshold: full([h], 1), v_reset: full([h], 0), w_in: full([h], 1) };
  const rec: NirNode = { type: 'Affine', weight: tensor([h, h], (i) => (i % 4 === 0 ? 0 : -0.25)), bias: full([h], 0) };
  if (!nested) {
    return graph([
      ['input', { type: 'Input', shape: [2] }], ['fc1', { type: 'Affine', weight: tensor([h, 2]), bias: tensor([h]) }],
      ['lif1', cuba], ['w_rec', rec], ['fc2', { type: 'Linear', weight: tensor([1, h]) }], ['output', { type: 'Output', shape: [1] }],
    ], [['input', 'fc1'], ['fc1', 'lif1'], ['lif1', 'w_rec'], ['w_rec', 'lif1'], ['lif1', 'fc2'], ['fc2', 'output']]);
  }
  // snnTorch's RSynaptic export: the recurrence is a subgraph with its own Input and Output.
  const sub = graph([
    ['input', { type: 'Input', shape: [h] }], ['lif', cuba], ['w_rec', rec], ['output', { type: 'Output', shape: [h] }],
  ], [['input', 'lif'], ['lif', 'w_rec'], ['w_rec', 'lif'], ['lif', 'output']]);
  return graph([
    ['input', { type: 'Input', shape: [2] }], ['fc1', { type: 'Affine', weight: tensor([h, 2]), bias: tensor([h]) }],
    ['lif1', { type: 'NIRGraph', graph: sub }], ['fc2', { type: 'Linear', weight: tensor([1, h]) }], ['output', { type: 'Output', shape: [1] }],
  ], [['input', 'fc1'], ['fc1', 'lif1'], ['lif1', 'fc2'], ['fc2', 'output']]);
}

/** A conv IF net with SumPool2d (NIR paper's CNN shape, small): 2×10×10 → conv → IF → pool → flatten → dense → IF. */
function convIf(): NirGraph {
  const ifNode = (shape: number[]): NirNode => ({ type: 'IF', r: full(shape, 1), v_threshold: full(shape, 1), v_reset: full(shape, 0) });
  return chain([
    ['input', { type: 'Input', shape: [2, 10, 10] }],
    ['0', { type: 'Conv2d', weight: tensor([4, 2, 3, 3]), bias: tensor([4]), stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, input_shape: [10, 10] }],
    ['1', ifNode([4, 10, 10])],
    ['2', { type: 'SumPool2d', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0] }],
    ['3', { type: 'Flatten', start_dim: 0, end_dim: -1, input_type: [4, 5, 5] }],
    ['4', { type: 'Affine', weight: tensor([3, 100]), bias: tensor([3]) }],
    ['5', ifNode([3])],
    ['output', { type: 'Output', shape: [3] }],
  ]);
}

/** Graphs equal: same node ids in order, same types, parameters equal value for value. */
function expectSameGraph(a: NirGraph, b: NirGraph): void {
  expect([...b.nodes.keys()]).toEqual([...a.nodes.keys()]);
  expect(b.edges).toEqual(a.edges);
  for (const [id, na] of a.nodes) {
    const nb = b.nodes.get(id) as NirNode;
    if (na.type === 'NIRGraph' && nb.type === 'NIRGraph') expectSameGraph(na.graph, nb.graph);
    else expect(plain(nb)).toEqual(plain(na));
  }
}
/** The graph as a 0.1 file stores it: convolutions without input_shape. */
function withoutInputShape(g: NirGraph): NirGraph {
  const strip = (n: NirNode): NirNode => {
    if (n.type === 'Conv1d' || n.type === 'Conv2d') {
      const { input_shape: _dropped, ...rest } = n;
      return rest;
    }
    return n.type === 'NIRGraph' ? { type: 'NIRGraph', graph: withoutInputShape(n.graph) } : n;
  };
  return { nodes: new Map([...g.nodes].map(([id, n]) => [id, strip(n)])), edges: g.edges };
}
const plain = (n: NirNode): unknown =>
  JSON.parse(JSON.stringify(n, (_k, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v)));

/** Writes a raw HDF5 file with h5wasm directly (for layouts write.ts never produces). */
async function rawFile(build: (f: InstanceType<typeof h5wasm.File>) => void): Promise<Uint8Array> {
  const module = await h5Module();
  const path = `/raw-${Math.random().toString(36).slice(2)}.h5`;
  const f = new h5wasm.File(path, 'w');
  build(f);
  f.close();
  const bytes = module.FS.readFile(path);
  module.FS.unlink(path);
  return bytes;
}

async function refusal(bytes: Uint8Array | Promise<Uint8Array>, file = 'net.nir'): Promise<string> {
  try {
    await readNirBytes(await bytes, file);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    expect(message.startsWith(`${file}: `)).toBe(true);
    return message;
  }
  throw new Error('expected a refusal');
}

describe('NIR files: read what was written, both format generations', () => {
  for (const version of ['0.1.1', '0.2.0']) {
    it(`every node type round-trips through a ${version} file`, async () => {
      const g = everyNodeType();
      const read = await readNirBytes(await writeNirBytes(g, version), 'all.nir');
      // Format 0.1 has no conv input_shape (nir 0.1's write.py): it reads back without it.
      expect(read.version).toBe(version);
      expect(read.format).toBe(version.slice(0, 3));
      expectSameGraph(version === '0.1.1' ? withoutInputShape(g) : g, read.graph);
      const types = new Set([...read.graph.nodes.values()].map((n) => n.type));
      expect([...types].sort()).toEqual(['Affine', 'AvgPool2d', 'Conv1d', 'Conv2d', 'CubaLI', 'CubaLIF', 'Delay', 'Flatten', 'I', 'IF', 'LI', 'LIF',
        'Input', 'Linear', 'Output', 'Scale', 'SumPool2d', 'Threshold'].sort());
      // Shapes inferred by hand: conv1d keeps 8 (pad 1, k 3); conv2d over [2,6,6] (groups 2) → [4,6,6]; pool 2 → [4,3,3]; pool 3 → [4,1,1].
      expect(read.analysis.shapes.get('c1')).toEqual({ input: [2, 8], output: [2, 8] });
      expect(read.analysis.shapes.get('c2')?.output).toEqual([4, 6, 6]);
      expect(read.analysis.shapes.get('sp')?.output).toEqual([4, 3, 3]);
      expect(read.analysis.shapes.get('ap')?.output).toEqual([4, 1, 1]);
      expect(read.analysis.shapes.get('fl')?.output).toEqual([4]);
      // A LIF with [2, 6, 6] parameters after an Affine of 72 outputs takes [72] and gives [2, 6, 6]: the
      // conv after it (2 = 1 × groups 2 channels) knows its input even in 0.1 files (no input_shape).
      expect(read.analysis.shapes.get('lifx')).toEqual({ input: [72], output: [2, 6, 6] });
      expect(read.analysis.shapes.get('c2')?.input).toEqual([2, 6, 6]);
      expect(read.analysis.cycles).toEqual([]);
    });
  }

  it('format 0.1 writes the 0.1 layout: no declared types, v_reset and w_in only when not default', async () => {
    const module = await h5Module();
    const inspect = async (version: string): Promise<{ lif: string[]; clif: string[]; conv: string[]; input: string[] }> => {
      const bytes = await writeNirBytes(everyNodeType(), version);
      module.FS.writeFile('/inspect.h5', bytes);
      const f = new h5wasm.File('/inspect.h5', 'r');
      const keys = (p: string): string[] => (f.get(`node/nodes/${p}`) as InstanceType<typeof h5wasm.Group>).keys().sort();
      const out = { lif: keys('lifx'), clif: keys('clif'), conv: keys('c2'), input: keys('in') };
      f.close();
      module.FS.unlink('/inspect.h5');
      return out;
    };
    const v1 = await inspect('0.1.0');
    expect(v1.lif).toEqual(['r', 'tau', 'type', 'v_leak', 'v_threshold']);
    expect(v1.clif).toEqual(['r', 'tau_mem', 'tau_syn', 'type', 'v_leak', 'v_threshold']);
    expect(v1.conv).toEqual(['bias', 'dilation', 'groups', 'padding', 'stride', 'type', 'weight']);
    expect(v1.input).toEqual(['shape', 'type']);
    const v2 = await inspect('0.2.0');
    expect(v2.lif).toEqual(['input_type', 'output_type', 'r', 'tau', 'type', 'v_leak', 'v_reset', 'v_threshold']);
    expect(v2.conv).toContain('input_shape');
    expect(v2.input).toEqual(['input_type', 'output_type', 'shape', 'type']);
  });

  it('a 0.1 file without v_reset / w_in reads them as 0 and 1 per neuron; a 0.2 Input without shape uses input_type/input', async () => {
    const bytes = await rawFile((f) => {
      f.create_attribute('version', '0.1.0');
      const g = f.create_group('node');
      g.create_dataset({ name: 'type', data: 'NIRGraph' });
      g.create_dataset({ name: 'edges', data: ['in', 'l', 'l', 'out'], shape: [2, 2] });
      const nodes = g.create_group('nodes');
      const inp = nodes.create_group('in');
      inp.create_dataset({ name: 'type', data: 'Input' });
      inp.create_dataset({ name: 'shape', data: new BigInt64Array([2n]), shape: [1], dtype: '<q' });
      const l = nodes.create_group('l');
      l.create_dataset({ name: 'type', data: 'CubaLIF' });
      for (const k of ['tau_syn', 'tau_mem', 'r', 'v_leak', 'v_threshold']) l.create_dataset({ name: k, data: new Float32Array([0.5, 0.25]), shape: [2], dtype: '<f' });
      const out = nodes.create_group('out');
      out.create_dataset({ name: 'type', data: 'Output' });
      out.create_group('output_type').create_dataset({ name: 'output', data: new BigInt64Array([2n]), shape: [1], dtype: '<q' });
    });
    const read = await readNirBytes(bytes, 'old.nir');
    expect(read.version).toBe('0.1.0');
    const l = read.graph.nodes.get('l');
    if (l?.type !== 'CubaLIF') throw new Error('CubaLIF expected');
    expect(Array.from(l.v_reset.data)).toEqual([0, 0]);
    expect(Array.from(l.w_in.data)).toEqual([1, 1]);
    expect(Array.from(l.tau_syn.data)).toEqual([0.5, 0.25]);
    expect(read.graph.nodes.get('out')).toEqual({ type: 'Output', shape: [2] });
  });

  it('a recurrent CubaLIF graph: the cycle through the Affine is found, flat and as a nested subgraph', async () => {
    for (const [nested, version] of [[false, '0.2.0'], [true, '0.1.1'], [true, '0.2.0']] as const) {
      const g = recurrentCubaLif(nested);
      const read = await readNirBytes(await writeNirBytes(g, version), 'rnn.nir');
      expectSameGraph(g, read.graph);
      const p = nested ? 'lif1.' : '';
      const [lif, wRec] = nested ? ['lif1.lif', 'lif1.w_rec'] : ['lif1', 'w_rec'];
      expect(read.analysis.cycles).toEqual([{ nodes: [lif, wRec], neurons: [lif], synapses: [wRec] }]);
      expect(read.analysis.shapes.get(`${p}${nested ? 'lif' : 'lif1'}`)).toEqual({ input: [3], output: [3] });
      if (nested) expect(read.analysis.graph.edges).toContainEqual(['fc1', 'lif1.lif']);
    }
  });

  it('a conv IF net with SumPool2d: shapes through conv, pool and flatten', async () => {
    const dir = tempDir('nir');
    for (const version of ['0.1.1', '0.2.0']) {
      const path = join(dir, `cnn-${version}.nir`);
      await writeNirFile(convIf(), path, version);
      const read = await readNirFile(path);
      expectSameGraph(version === '0.1.1' ? withoutInputShape(convIf()) : convIf(), read.graph);
      expect(read.analysis.shapes.get('1')).toEqual({ input: [4, 10, 10], output: [4, 10, 10] });
      expect(read.analysis.shapes.get('2')).toEqual({ input: [4, 10, 10], output: [4, 5, 5] });
      expect(read.analysis.shapes.get('3')?.output).toEqual([100]);
      expect(read.analysis.shapes.get('5')).toEqual({ input: [3], output: [3] });
    }
  });

  it.skipIf(H5PY === null)('reads a file written by h5py the way nir.write lays it out (Debian python3-h5py)', async () => {
    const dir = tempDir('nir-h5py');
    const path = join(dir, 'py.nir');
    const script = [
      'import sys, h5py, numpy as np',
      'f = h5py.File(sys.argv[1], "w")',
      'f.create_dataset("version", data="0.2.0", dtype=h5py.string_dtype())',
      'g = f.create_group("node"); g.create_dataset("type", data="NIRGraph", dtype=h5py.string_dtype())',
      'g.create_dataset("edges", data=np.array([[b"input", b"fc"], [b"fc", b"lif"], [b"lif", b"output"]]))',
      'n = g.create_group("nodes")',
      'i = n.create_group("input"); i.create_dataset("type", data="Input", dtype=h5py.string_dtype()); i.create_dataset("shape", data=np.array([2]))',
      'a = n.create_group("fc"); a.create_dataset("type", data="Affine", dtype=h5py.string_dtype())',
      'a.create_dataset("weight", data=np.array([[1, 2], [3, 4], [5, 6]], dtype=np.float32), compression="gzip"); a.create_dataset("bias", data=np.zeros(3, dtype=np.float32))',
      'l = n.create_group("lif"); l.create_dataset("type", data="LIF", dtype=h5py.string_dtype())',
      'for k, v in [("tau", 0.01), ("r", 1.0), ("v_leak", 0.0), ("v_threshold", 1.0)]: l.create_dataset(k, data=np.full(3, v, dtype=np.float32))',
      'o = n.create_group("output"); o.create_dataset("type", data="Output", dtype=h5py.string_dtype()); o.create_dataset("shape", data=np.array([3]))',
      'f.close()',
    ].join('\n');
    execFileSync(H5PY!, ['-c', script, path]);
    const read = await readNirFile(path);
    expect(read.version).toBe('0.2.0');
    expect(read.graph.edges).toEqual([['input', 'fc'], ['fc', 'lif'], ['lif', 'output']]);
    const fc = read.graph.nodes.get('fc');
    if (fc?.type !== 'Affine') throw new Error('Affine expected');
    expect(fc.weight.shape).toEqual([3, 2]);
    expect(Array.from(fc.weight.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(read.analysis.shapes.get('lif')).toEqual({ input: [3], output: [3] });
  });
});


describe('NIR files: every refusal is one line naming the node, its type and the fix', () => {
  const wrap = (g: NirGraph, version = '0.2.0'): Promise<Uint8Array> => writeNirBytes(g, version);
  const lifNode = (n: number): NirNode => ({ type: 'LIF', tau: full([n], 0.01), r: full([n], 1), v_leak: full([n], 0), v_threshold: full([n], 1), v_reset: full([n], 0) });

  it('an unknown node type', async () => {
    const bytes = await rawFile((f) => {
      f.create_dataset({ name: 'version', data: '0.2.0' });
      const g = f.create_group('node');
      g.create_dataset({ name: 'type', data: 'NIRGraph' });
      g.create_dataset({ name: 'edges', data: ['0', '3'], shape: [1, 2] });
      const nodes = g.create_group('nodes');
      const a = nodes.create_group('0');
      a.create_dataset({ name: 'type', data: 'Input' });
      a.create_dataset({ name: 'shape', data: new BigInt64Array([1n, 4n, 4n, 4n]), shape: [4], dtype: '<q' });
      nodes.create_group('3').create_dataset({ name: 'type', data: 'Conv3d' });
    });
    const message = await refusal(bytes);
    expect(message).toMatch(/^net\.nir: node "3" \(type "Conv3d"\): not supported; joulebench reads Input, Output, Affine, .*NIRGraph; replace the node in the exporter$/);
  });

  it('an edge to a missing node', async () => {
    const g = chain([['in', { type: 'Input', shape: [2] }], ['fc', { type: 'Linear', weight: tensor([2, 2]) }], ['out', { type: 'Output', shape: [2] }]]);
    const bytes = await rawFile((f) => {
      f.create_dataset({ name: 'version', data: '0.2.0' });
      const root = f.create_group('node');
      root.create_dataset({ name: 'type', data: 'NIRGraph' });
      root.create_dataset({ name: 'edges', data: ['in', 'fc', 'fc', 'lif9', 'fc', 'out'], shape: [3, 2] });
      const nodes = root.create_group('nodes', true);
      for (const [id, n] of g.nodes) {
        const ng = nodes.create_group(id);
        ng.create_dataset({ name: 'type', data: n.type });
        if (n.type === 'Linear') ng.create_dataset({ name: 'weight', data: Float64Array.from(n.weight.data), shape: [2, 2], dtype: '<d' });
        else ng.create_dataset({ name: 'shape', data: new BigInt64Array([2n]), shape: [1], dtype: '<q' });
      }
    });
    expect(await refusal(bytes)).toBe('net.nir: node "fc" (type "Linear"): the edge "fc" → "lif9" comes to "lif9", which is not a node of the graph; name one of the graph\'s nodes ("in", "fc", "out")');
  });

  it('a per-neuron parameter of the wrong shape, and a layer whose size does not match its sender', async () => {
    const bad = chain([['in', { type: 'Input', shape: [3] }], ['fc', { type: 'Linear', weight: tensor([3, 3]) }],
      ['lif', { ...(lifNode(3) as Extract<NirNode, { type: 'LIF' }>), v_threshold: full([2], 1) }], ['out', { type: 'Output', shape: [3] }]]);
    // write.ts validates first: write the bad graph through a raw file instead.
    const bytes = await rawFile((f) => writeRaw(f, bad));
    expect(await refusal(bytes)).toBe('net.nir: node "lif" (type "LIF"): v_threshold has shape [2] but tau has [3]: every per-neuron parameter needs the population\'s shape; write v_threshold with one value per neuron (shape [3])');
    const mismatch = chain([['in', { type: 'Input', shape: [3] }], ['fc', { type: 'Linear', weight: tensor([4, 3]) }], ['lif', lifNode(3)], ['out', { type: 'Output', shape: [3] }]]);
    expect(await refusal(rawFile((f) => writeRaw(f, mismatch)))).toBe(
      'net.nir: node "lif" (type "LIF"): its parameters are for 3 elements (tau has shape [3]) but it receives [4] (4 values); write tau and the other per-neuron parameters with one value per element (4)');
    const bias = chain([['in', { type: 'Input', shape: [3] }], ['fc', { type: 'Affine', weight: tensor([2, 3]), bias: tensor([3]) }], ['out', { type: 'Output', shape: [2] }]]);
    expect(await refusal(rawFile((f) => writeRaw(f, bias)))).toMatch(/node "fc" \(type "Affine"\): bias has shape \[3\], the weight's 2 outputs need \[2\]; give one bias per output$/);
  });

  it('a missing required parameter', async () => {
    const g = chain([['in', { type: 'Input', shape: [3] }], ['lif', lifNode(3)], ['out', { type: 'Output', shape: [3] }]]);
    const bytes = await rawFile((f) => writeRaw(f, g, { skip: 'tau' }));
    expect(await refusal(bytes)).toBe('net.nir: node "lif" (type "LIF"): the required parameter "tau" is missing; export the node with tau');
  });

  it('an unknown parameter, and an algebraic loop (a cycle without a neuron)', async () => {
    const g = chain([['in', { type: 'Input', shape: [3] }], ['lif', lifNode(3)], ['out', { type: 'Output', shape: [3] }]]);
    expect(await refusal(rawFile((f) => writeRaw(f, g, { extra: 'beta' })))).toMatch(/node "lif" \(type "LIF"\): has the unknown parameter "beta"; a LIF node has tau, r, v_leak, v_threshold, v_reset; /);
    const loop = graph([['in', { type: 'Input', shape: [2] }], ['a', { type: 'Linear', weight: tensor([2, 2]) }], ['b', { type: 'Linear', weight: tensor([2, 2]) }], ['out', { type: 'Output', shape: [2] }]],
      [['in', 'a'], ['a', 'b'], ['b', 'a'], ['b', 'out']]);
    expect(await refusal(wrap(loop).catch(() => rawFile((f) => writeRaw(f, loop))))).toMatch(/node "a" \(type "Linear"\): it is on a cycle without a neuron or delay \("a" → "b"\).*; put a neuron group or a Delay on every feedback path$/);
  });

  it('a truncated file, a non-HDF5 file, an empty file, an unreadable path', async () => {
    const bytes = await wrap(convIf());
    const truncated = await refusal(bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(truncated).toMatch(/^net\.nir: file: the HDF5 file is truncated or damaged \(.*\); export or copy the \.nir file again$/);
    expect(await refusal(new TextEncoder().encode('{"nodes": []}\n'))).toBe('net.nir: file: is not an HDF5 file (no HDF5 signature); give a .nir file written by NIR (nir.write) or an exporter that uses it');
    expect(await refusal(new Uint8Array(0))).toMatch(/^net\.nir: file: is empty; /);
    await expect(readNirFile('/nonexistent/x.nir')).rejects.toThrow('/nonexistent/x.nir: file: cannot be read (ENOENT); give the path of a readable .nir file');
    // The file on disk is named by its base name.
    const dir = tempDir('nir');
    writeFileSync(join(dir, 'cut.nir'), bytes.subarray(0, 600));
    await expect(readNirFile(join(dir, 'cut.nir'))).rejects.toThrow(/^cut\.nir: file: the HDF5 file is truncated or damaged/);
  });

  it('a version not supported, and a file without one', async () => {
    const g = convIf();
    const v1 = await rawFile((f) => writeRaw(f, g, { version: '1.0.0' }));
    expect(await refusal(v1)).toBe('net.nir: version: NIR format "1.0.0" is not supported; joulebench reads NIR files of format 0.1.x and 0.2.x; export the network with nir 0.1 or 0.2');
    const none = await rawFile((f) => writeRaw(f, g, { version: null }));
    expect(await refusal(none)).toMatch(/^net\.nir: version: the file has no NIR version; /);
    await expect(writeNirBytes(g, '0.3.0')).rejects.toThrow('version: NIR format "0.3.0" cannot be written; give a version of format 0.1.x or 0.2.x');
  });
});

/** Writes a graph with h5wasm directly, skipping write.ts's validation (to make malformed files). */
function writeRaw(f: InstanceType<typeof h5wasm.File>, g: NirGraph, opts: { skip?: string; extra?: string; version?: string | null } = {}): void {
  if (opts.version !== null) f.create_dataset({ name: 'version', data: opts.version ?? '0.2.0' });
  const root = f.create_group('node');
  root.create_dataset({ name: 'type', data: 'NIRGraph' });
  root.create_dataset({ name: 'edges', data: g.edges.flat(), shape: [g.edges.length, 2] });
  const nodes = root.create_group('nodes', true);
  for (const [id, n] of g.nodes) {
    const ng = nodes.create_group(id);
    for (const [key, value] of Object.entries(n)) {
      if (key === opts.skip) continue;
      if (typeof value === 'string') ng.create_dataset({ name: key, data: value });
      else if (typeof value === 'number') ng.create_dataset({ name: key, data: BigInt64Array.from([BigInt(value)]), shape: [], dtype: '<q' });
      else if (Array.isArray(value)) ng.create_dataset({ name: key, data: BigInt64Array.from(value as number[], (v) => BigInt(v)), shape: [value.length], dtype: '<q' });
      else {
        const t = value as NirTensor;
        ng.create_dataset({ name: key, data: Float64Array.from(t.data), shape: [...t.shape], dtype: '<d' });
      }
    }
    if (opts.extra !== undefined && n.type !== 'Input' && n.type !== 'Output') ng.create_dataset({ name: opts.extra, data: new Float64Array([1]), shape: [1], dtype: '<d' });
  }
}
