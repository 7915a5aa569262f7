// Reads a NIR file (HDF5, as NIR's nir/serialization.py and the older nir/read.py + nir/write.py lay it
// out) into a typed, validated NirGraph, with h5wasm. Layout:
//   /version                 dataset (or root attribute): "0.1.x" or "0.2.x"
//   /node/type               "NIRGraph"
//   /node/edges              [E, 2] strings: (from, to) node ids
//   /node/nodes/<id>/type    the node's type ("Affine", "LIF", …), one dataset per parameter
// Format 0.1.x stores only the parameters (Input/Output `shape`, Flatten `input_type`); 0.2.x adds
// `input_type`/`output_type` groups (datasets `input`, `output`) to nodes and graphs, an optional
// `metadata` group, Conv `input_shape`, and CubaLIF/CubaLI `w_in`. IF/LIF/CubaLIF `v_reset` is absent
// in files written before NIR added it (0 then). Anything else is one InputError line.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Dataset, Group, OutputData } from 'h5wasm';
import { InputError } from '../../core/errors.js';
import {
  NIR_NODE_TYPES, NIR_PARAMS, isNirNodeType, nodeError, validateNirGraph,
  type NirAnalysis, type NirEdge, type NirGraph, type NirNode, type NirParamSpec, type NirTensor,
} from './graph.js';
import { NIR_FORMATS, h5Module, h5wasm, hdf5Reason, memPath, nirFormatOf, unlinkQuietly, type NirFormat } from './h5.js';

export interface NirFile {
  /** The file's `version` as written (e.g. "0.2.0"). */
  readonly version: string;
  readonly format: NirFormat;
  /** The graph as in the file (nested graphs kept). */
  readonly graph: NirGraph;
  /** Shapes and recurrent cycles of the graph with nested graphs inlined (validateNirGraph). */
  readonly analysis: NirAnalysis;
}

const SUPPORTED = `joulebench reads NIR files of format ${NIR_FORMATS.map((f) => `${f}.x`).join(' and ')}`;

/** Reads and validates a `.nir` file; every problem is one InputError line naming the file. */
export async function readNirFile(path: string): Promise<NirFile> {
  const label = basename(path);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw InputError.at({ file: path, field: 'file', problem: `cannot be read (${code})`, fix: 'give the path of a readable .nir file' });
  }
  return readNirBytes(bytes, label);
}

/** Reads and validates the bytes of a NIR file; `file` names it in errors. */
export async function readNirBytes(bytes: Uint8Array, file = 'NIR file'): Promise<NirFile> {
  if (!hasHdf5Signature(bytes)) {
    throw InputError.at({ file, field: 'file', problem: bytes.length === 0 ? 'is empty' : 'is not an HDF5 file (no HDF5 signature)',
      fix: 'give a .nir file written by NIR (nir.write) or an exporter that uses it' });
  }
  const module = await h5Module();
  const path = memPath('read');
  module.FS.writeFile(path, bytes);
  let f: InstanceType<typeof h5wasm.File> | undefined;
  try {
    f = new h5wasm.File(path, 'r');
    if (f.file_id < 0n) throw new Error('HDF5: the file could not be opened');
    const version = readVersion(f, file);
    const format = nirFormatOf(version);
    if (format === undefined) {
      throw InputError.at({ file, field: 'version', problem: `NIR format ${JSON.stringify(version)} is not supported`,
        fix: `${SUPPORTED}; export the network with nir 0.1 or 0.2` });
    }
    const root = f.get('node');
    if (!isGroup(root)) throw InputError.at({ file, field: 'node', problem: 'the file has no group "node"', fix: 'give a file written by nir.write' });
    const graph = readGraph(root, file, 'node');
    return { version, format, graph, analysis: validateNirGraph(graph, file) };
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (isHdf5Error(e)) {
      throw InputError.at({ file, field: 'file', problem: `the HDF5 file is truncated or damaged (${hdf5Reason(e)})`, fix: 'export or copy the .nir file again' });
    }
    throw e;
  } finally {
    try {
      f?.close();
    } catch {
      // a file that failed to open has nothing to close
    }
    unlinkQuietly(module, path);
  }
}

/** HDF5's superblock signature, at offset 0 or after a user block (512, 1024, 2048, … bytes). */
function hasHdf5Signature(bytes: Uint8Array): boolean {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  for (let at = 0; at + sig.length <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (sig.every((b, i) => bytes[at + i] === b)) return true;
  }
  return false;
}

function isHdf5Error(e: unknown): boolean {
  return e instanceof Error && /HDF5|H5[A-Z]|RuntimeError|memory access out of bounds/.test(`${e.name} ${e.message}`);
}

const isGroup = (x: unknown): x is Group => x instanceof h5wasm.Group;
const isDataset = (x: unknown): x is Dataset => x instanceof h5wasm.Dataset;

function readVersion(f: Group, file: string): string {
  const entry = f.get('version');
  const raw: OutputData | null | undefined = isDataset(entry) ? entry.value : f.attrs.version?.value;
  const text = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  if (typeof text !== 'string') {
    throw InputError.at({ file, field: 'version', problem: raw === undefined || raw === null ? 'the file has no NIR version' : 'the NIR version is not a string',
      fix: `${SUPPORTED}; give a file written by nir.write (it stores the version)` });
  }
  return text;
}

function readString(g: Group, key: string): string | undefined {
  const d = g.get(key);
  if (!isDataset(d)) return undefined;
  const v = d.value;
  const s = Array.isArray(v) && v.length === 1 ? v[0] : v;
  return typeof s === 'string' ? s : undefined;
}

/** Keys a node may carry besides its parameters (format 0.2: declared types and metadata). */
const EXTRA_KEYS = ['type', 'input_type', 'output_type', 'metadata'];

function readGraph(g: Group, file: string, where: string): NirGraph {
  const nodesGroup = g.get('nodes');
  if (!isGroup(nodesGroup)) throw InputError.at({ file, field: `${where}/nodes`, problem: 'is missing', fix: 'give a file written by nir.write' });
  const nodes = new Map<string, NirNode>();
  for (const id of nodesGroup.keys()) {
    const ng = nodesGroup.get(id);
    if (!isGroup(ng)) throw nodeError(file, id, '?', 'is not an HDF5 group', 'give a file written by nir.write');
    nodes.set(id, readNode(ng, id, file, `${where}/nodes/${id}`));
  }
  return { nodes, edges: readEdges(g, file, where) };
}

function readEdges(g: Group, file: string, where: string): NirEdge[] {
  const d = g.get('edges');
  if (!isDataset(d)) throw InputError.at({ file, field: `${where}/edges`, problem: 'is missing', fix: 'give a file written by nir.write (a graph lists its edges)' });
  const v = d.value;
  const flat = (Array.isArray(v) ? v.flat(2) : []) as unknown[];
  const shape = d.shape ?? [];
  const pairs = shape.length === 2 ? shape[1] === 2 : shape.length === 1 && shape[0] === 0;
  if (!pairs || flat.some((x) => typeof x !== 'string') || flat.length % 2 !== 0) {
    throw InputError.at({ file, field: `${where}/edges`, problem: `must be [E, 2] strings (from, to), got shape [${shape.join(', ')}]`, fix: 'give a file written by nir.write' });
  }
  const edges: NirEdge[] = [];
  for (let i = 0; i < flat.length; i += 2) edges.push([flat[i] as string, flat[i + 1] as string]);
  return edges;
}

function readNode(g: Group, id: string, file: string, where: string): NirNode {
  const type = readString(g, 'type');
  if (type === undefined) throw nodeError(file, id, '?', 'has no "type" string', 'give a file written by nir.write (every node names its type)');
  if (!isNirNodeType(type)) {
    throw nodeError(file, id, type, 'not supported', `joulebench reads ${NIR_NODE_TYPES.join(', ')}; replace the node in the exporter`);
  }
  if (type === 'NIRGraph') return { type, graph: readGraph(g, file, where) };
  const specs = NIR_PARAMS[type];
  const known = new Set([...specs.map((s) => s.name), ...EXTRA_KEYS]);
  for (const key of g.keys()) {
    if (!known.has(key)) {
      throw nodeError(file, id, type, `has the unknown parameter ${JSON.stringify(key)}`,
        `a ${type} node has ${specs.map((s) => s.name).join(', ')}; export it with a supported NIR version`);
    }
  }
  const params: Record<string, unknown> = { type };
  for (const spec of specs) {
    const d = g.get(spec.name);
    if (d === null || d === undefined) {
      const fromType = (type === 'Input' || type === 'Output') && spec.name === 'shape' ? declaredType(g, type === 'Input' ? 'input' : 'output') : undefined;
      if (fromType !== undefined) params[spec.name] = fromType;
      else if (spec.optional === undefined) {
        throw nodeError(file, id, type, `the required parameter ${JSON.stringify(spec.name)} is missing`, `export the node with ${spec.name}`);
      }
      continue;
    }
    if (!isDataset(d)) throw nodeError(file, id, type, `parameter ${JSON.stringify(spec.name)} is not a dataset`, 'give a file written by nir.write');
    params[spec.name] = readParam(d, spec, type, (problem) => nodeError(file, id, type, `parameter ${JSON.stringify(spec.name)} ${problem}`, `export ${spec.name} as NIR defines it`));
  }
  for (const spec of specs) {
    const fill = spec.optional?.fill;
    if (params[spec.name] === undefined && fill !== undefined) {
      const like = params[fill.like] as NirTensor;
      params[spec.name] = { shape: like.shape, data: new Float64Array(like.data.length).fill(fill.value) } satisfies NirTensor;
    }
  }
  if (type === 'Conv2d') for (const key of ['stride', 'dilation', 'padding']) params[key] = perDimension(params[key], 2);
  if (type === 'SumPool2d' || type === 'AvgPool2d') for (const key of ['kernel_size', 'stride', 'padding']) params[key] = perDimension(params[key], 2);
  return params as unknown as NirNode;
}

/** An int written once for every spatial dimension (PyTorch's `stride=2`) becomes one per dimension. */
function perDimension(value: unknown, dims: number): unknown {
  return Array.isArray(value) && value.length === 1 ? new Array<number>(dims).fill(value[0] as number) : value;
}

/** Format 0.2's `input_type/input` (`output_type/output`) when a node lacks `shape`. */
function declaredType(g: Group, key: 'input' | 'output'): number[] | undefined {
  const group = g.get(`${key}_type`);
  if (!isGroup(group)) return undefined;
  const d = group.get(key);
  return isDataset(d) ? numbers(d.value) : undefined;
}

function numbers(v: OutputData | null): number[] | undefined {
  if (v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return [Number(v)];
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, Number);
  if (Array.isArray(v)) {
    const out: number[] = [];
    for (const x of v.flat(8)) {
      if (typeof x !== 'number' && typeof x !== 'bigint' && typeof x !== 'boolean') return undefined;
      out.push(Number(x));
    }
    return out;
  }
  return undefined;
}

function readParam(d: Dataset, spec: NirParamSpec, type: string, bad: (problem: string) => InputError): unknown {
  const value = d.value;
  const shape = d.shape ?? [];
  if (spec.kind === 'padding' && typeof value === 'string') {
    if (value !== 'same' && value !== 'valid') throw bad(`is ${JSON.stringify(value)}; a string padding must be "same" or "valid"`);
    return value;
  }
  const values = numbers(value);
  if (values === undefined) throw bad(`must be numeric, got a dataset of type ${JSON.stringify(String(d.dtype))}`);
  switch (spec.kind) {
    case 'tensor':
      return { shape: [...shape], data: Float64Array.from(values) } satisfies NirTensor;
    case 'int':
      if (values.length !== 1 || !Number.isInteger(values[0])) throw bad(`must be one integer, got ${values.length} values`);
      return values[0];
    default:
      if (shape.length > 1) throw bad(`must be a list of integers, got shape [${shape.join(', ')}] (${type})`);
      return values;
  }
}
