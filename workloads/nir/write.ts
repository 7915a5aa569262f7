// Writes a NirGraph as a NIR file (HDF5, the layout read.ts reads) with h5wasm, in format 0.1.x or
// 0.2.x: both store `version`, `node/type` = "NIRGraph", `node/edges` and one group per node with its
// `type` and parameters (arrays as float64, integers as int64, strings UTF-8). Format 0.1 writes what
// nir 0.1's nir/write.py wrote: no declared types, no conv `input_shape`, and `v_reset` / `w_in` only
// when they differ from their defaults (0 and 1). Format 0.2 adds the `input_type/input` and
// `output_type/output` groups on every node and graph, as nir/serialization.py does.

import type { Group } from 'h5wasm';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { InputError } from '../../core/errors.js';
import { NIR_PARAMS, validateNirGraph, type NirGraph, type NirNode, type NirNodeShapes, type NirTensor } from './graph.js';
import { NIR_FORMATS, h5Module, h5wasm, memPath, nirFormatOf, unlinkQuietly, type NirFormat } from './h5.js';

/** The bytes of a NIR file holding `graph`, with `version` (e.g. "0.1.1", "0.2.0") as its format. */
export async function writeNirBytes(graph: NirGraph, version: string): Promise<Uint8Array> {
  const format = nirFormatOf(version);
  if (format === undefined) {
    throw InputError.at({ field: 'version', problem: `NIR format ${JSON.stringify(version)} cannot be written`,
      fix: `give a version of format ${NIR_FORMATS.map((f) => `${f}.x`).join(' or ')}` });
  }
  const { shapes } = validateNirGraph(graph);
  const module = await h5Module();
  const path = memPath('write');
  try {
    const f = new h5wasm.File(path, 'w');
    try {
      f.create_dataset({ name: 'version', data: version });
      writeGraph(f.create_group('node'), graph, format, shapes, '');
    } finally {
      f.close();
    }
    return module.FS.readFile(path);
  } finally {
    unlinkQuietly(module, path);
  }
}

/** Writes `graph` to `path` (atomically: a temporary renamed into place). */
export async function writeNirFile(graph: NirGraph, path: string, version: string): Promise<void> {
  writeFileAtomic(path, await writeNirBytes(graph, version));
}

function writeGraph(g: Group, graph: NirGraph, format: NirFormat, shapes: ReadonlyMap<string, NirNodeShapes>, prefix: string): void {
  g.create_dataset({ name: 'type', data: 'NIRGraph' });
  const edges = graph.edges.flatMap(([a, b]) => [a, b]);
  if (edges.length > 0) g.create_dataset({ name: 'edges', data: edges, shape: [graph.edges.length, 2] });
  else g.create_dataset({ name: 'edges', data: new Float64Array(0), shape: [0, 2] });
  const nodes = g.create_group('nodes', true);
  for (const [id, node] of graph.nodes) writeNode(nodes.create_group(id), node, format, shapes, `${prefix}${id}`);
  if (format === '0.2') {
    const ofType = (type: 'Input' | 'Output'): [string, readonly number[]][] =>
      [...graph.nodes].flatMap(([id, n]) => (n.type === type ? [[id, n.shape] as [string, readonly number[]]] : []));
    writeTypes(g.create_group('input_type'), ofType('Input'));
    writeTypes(g.create_group('output_type'), ofType('Output'));
  }
}

function writeTypes(g: Group, entries: readonly (readonly [string, readonly number[]])[]): void {
  for (const [key, shape] of entries) writeInts(g, key, shape);
}

function writeInts(g: Group, name: string, values: readonly number[], scalar = false): void {
  g.create_dataset({ name, data: BigInt64Array.from(values, (v) => BigInt(v)), shape: scalar ? [] : [values.length], dtype: '<q' });
}

function writeTensor(g: Group, name: string, t: NirTensor): void {
  g.create_dataset({ name, data: Float64Array.from(t.data), shape: [...t.shape], dtype: '<d' });
}

const allEqual = (t: NirTensor, value: number): boolean => t.data.every((x) => x === value);

function writeNode(g: Group, node: NirNode, format: NirFormat, shapes: ReadonlyMap<string, NirNodeShapes>, path: string): void {
  if (node.type === 'NIRGraph') {
    writeGraph(g, node.graph, format, shapes, `${path}.`);
    return;
  }
  g.create_dataset({ name: 'type', data: node.type });
  const fields = node as unknown as Record<string, unknown>;
  for (const spec of NIR_PARAMS[node.type]) {
    const value = fields[spec.name];
    if (value === undefined) continue;
    if (format === '0.1') {
      if (spec.name === 'input_shape') continue;
      const fill = spec.optional?.fill;
      if (fill !== undefined && allEqual(value as NirTensor, fill.value)) continue;
    }
    if (spec.kind === 'tensor') writeTensor(g, spec.name, value as NirTensor);
    else if (typeof value === 'string') g.create_dataset({ name: spec.name, data: value });
    else if (spec.kind === 'int') writeInts(g, spec.name, [value as number], true);
    else writeInts(g, spec.name, value as readonly number[]);
  }
  const shape = shapes.get(path);
  if (format === '0.2' && shape !== undefined) {
    if (node.type !== 'Flatten') writeTypes(g.create_group('input_type'), [['input', shape.input]]);
    writeTypes(g.create_group('output_type'), [['output', shape.output]]);
  }
}
