// Generators of malformed inputs for the fuzz suite. Most mutate a VALID document (so they reach the
// code behind the first schema check): a mutation is data — a list of operations, each picking a spot
// by number — applied deterministically to the seed document, so fast-check shrinks a failing case to
// the fewest, simplest operations. The rest are fully random text or bytes.
import fc from 'fast-check';
import YAML from 'yaml';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Values a hostile file or argument might hold where something else is expected. */
export const HOSTILE_NUMBERS: readonly number[] = [
  Number.NaN, Infinity, -Infinity, -1, 0, -0, 0.5, -4.6e-12, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 4294967296, 1e21, 1.5, 3.7,
];
export const HOSTILE_STRINGS: readonly string[] = [
  '', ' ', '\n', 'a\nb', '\r\n', '\t', '\u0000', '\u001b[31mred\u001b[0m', '\u2028', 'NaN', 'Infinity', '-Infinity', '-1', '0x10', '1e999', '１２',
  '__proto__', 'constructor', 'toString', '../../../../etc/passwd', '/dev/null', 'results\u0000.json', 'literature-constants.yaml', 'results.json', '.', '..', 'x'.repeat(5000), 'ü'.repeat(300), '🙂', '%s%s%n', '${HOME}',
  'ops-only-45nm', 'snn', 'ann-dense', 'mnist-mlp',
];
export const HOSTILE_VALUES: readonly Json[] = [
  null, true, false, [], {}, [[]], { '': null }, JSON.parse('{"__proto__": 1}') as Json, [null], [1, 'a', null],
  ...HOSTILE_NUMBERS,
  ...HOSTILE_STRINGS,
];

/**
 * A deep nesting (recursion and stack depth in recursive schemas and parsers). In the tree it is a
 * marker string; `expandDeep` turns the serialized marker into the nested text (JSON, also valid YAML
 * flow), so the fuzzer itself never recurses over it.
 */
export const deepMarker = (depth: number): string => `DEEPNEST${depth}X`;
export function expandDeep(text: string): string {
  return text.replace(/"?DEEPNEST(\d+)X"?/g, (_, n: string) => `${'{"ratio": ['.repeat(Number(n))}{"value": 1}${', {"value": 1}]}'.repeat(Number(n))}`);
}

export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
  { weight: 2, arbitrary: fc.double() as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.constantFrom(40, 400, 3000).map((d) => deepMarker(d)) },
);

type Path = (string | number)[];

function paths(v: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k], [...prefix, k], out);
  return out;
}

function get(v: Json, p: Path): Json {
  let x: Json = v;
  for (const k of p) x = (x as Record<string | number, Json>)[k];
  return x;
}

function setAt(root: Json, p: Path, value: Json | undefined): Json {
  if (p.length === 0) return value === undefined ? null : value;
  const parent = get(root, p.slice(0, -1)) as Record<string | number, Json> | Json[];
  const k = p[p.length - 1];
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(k as number, 1);
    else parent[k as number] = value;
  } else if (value === undefined) delete parent[k as string];
  else Object.defineProperty(parent, k as string, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

/** One structural operation on a document tree; `at` picks the node (modulo the node count). */
export interface TreeOp {
  readonly op: 'replace' | 'delete' | 'splice' | 'duplicate' | 'empty' | 'wrap' | 'stringify' | 'negate' | 'scale' | 'add-key' | 'number';
  readonly at: number;
  readonly other: number;
  readonly value: Json;
}

export const treeOp: fc.Arbitrary<TreeOp> = fc.record({
  op: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'delete', 'splice', 'duplicate', 'empty', 'wrap', 'stringify', 'negate', 'negate', 'scale', 'add-key'),
  at: fc.nat(),
  other: fc.nat(),
  value: hostileValue,
});

/** Operations that keep a document's structure and change only its numbers (where wrong values hide). */
export const numberOp: fc.Arbitrary<TreeOp> = fc.record({
  op: fc.constantFrom('number', 'number', 'negate', 'scale'),
  at: fc.nat(),
  other: fc.nat(),
  value: fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.double()) as fc.Arbitrary<Json>,
});

/** Applies the operations to a deep copy of `doc`, preferring leaves of numbers when `numericBias`. */
export function applyTreeOps(doc: Json, ops: readonly TreeOp[]): Json {
  let root: Json = structuredClone(doc);
  for (const o of ops) {
    const all = paths(root);
    const p = all[o.at % all.length];
    const node = get(root, p);
    switch (o.op) {
      case 'replace':
        root = setAt(root, p, structuredClone(o.value));
        break;
      case 'delete':
        root = setAt(root, p, undefined);
        break;
      case 'splice': {
        const src = all[o.other % all.length];
        root = setAt(root, p, structuredClone(get(root, src)));
        break;
      }
      case 'duplicate':
        if (Array.isArray(node) && node.length > 0) node.push(structuredClone(node[o.other % node.length]));
        else if (p.length > 0 && Array.isArray(get(root, p.slice(0, -1)))) (get(root, p.slice(0, -1)) as Json[]).push(structuredClone(node));
        break;
      case 'empty':
        root = setAt(root, p, Array.isArray(node) ? [] : node !== null && typeof node === 'object' ? {} : typeof node === 'string' ? '' : 0);
        break;
      case 'wrap':
        root = setAt(root, p, [node]);
        break;
      case 'stringify':
        root = setAt(root, p, typeof node === 'string' ? Number(node) : JSON.stringify(node) ?? 'undefined');
        break;
      case 'negate': {
        // pick a numeric leaf near `at`: the numbers are where wrong values hide
        const nums = all.filter((q) => typeof get(root, q) === 'number');
        if (nums.length === 0) break;
        const q = nums[o.at % nums.length];
        const x = get(root, q) as number;
        root = setAt(root, q, x === 0 ? -1 : -x);
        break;
      }
      case 'number': {
        const nums = all.filter((q) => typeof get(root, q) === 'number');
        if (nums.length === 0) break;
        root = setAt(root, nums[o.at % nums.length], typeof o.value === 'number' ? o.value : Number.NaN);
        break;
      }
      case 'scale': {
        const nums = all.filter((q) => typeof get(root, q) === 'number');
        if (nums.length === 0) break;
        const q = nums[o.at % nums.length];
        const f = [1e300, -1e300, 1e-300, 0, 0.5, 1e6][o.other % 6];
        root = setAt(root, q, (get(root, q) as number) * f);
        break;
      }
      case 'add-key':
        if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
          const key = ['__proto__', 'constructor', 'extra', '', 'x\ny', 'toString'][o.other % 6];
          Object.defineProperty(node, key, { value: structuredClone(o.value), enumerable: true, writable: true, configurable: true });
        }
        break;
    }
  }
  return root;
}

/** Text-level damage after serialization: truncation, inserted junk, removed or repeated lines. */
export interface TextOp {
  readonly op: 'truncate' | 'insert' | 'delete-line' | 'dup-line' | 'replace-char' | 'bom' | 'crlf' | 'tab-indent' | 'alias-bomb';
  readonly at: number;
  readonly text: string;
}

export const textOp: fc.Arbitrary<TextOp> = fc.record({
  op: fc.constantFrom('truncate', 'insert', 'insert', 'delete-line', 'dup-line', 'replace-char', 'bom', 'crlf', 'tab-indent', 'alias-bomb'),
  at: fc.nat(),
  text: fc.oneof(
    fc.constantFrom(':', '- ', '{', '}', '[', ']', '"', "'", '\n', '\t', '\u0000', '&a ', '*a', '!!binary ', '<<: ', '#', ',', '\\', '\ufeff', ': .nan', ': -.inf', '---\n', '...\n', '%YAML 1.1\n'),
    fc.string({ unit: 'binary', maxLength: 12 }),
  ),
});

export function applyTextOps(text: string, ops: readonly TextOp[]): string {
  let t = text;
  for (const o of ops) {
    const n = Math.max(1, t.length);
    const i = o.at % n;
    const lines = t.split('\n');
    const li = o.at % Math.max(1, lines.length);
    switch (o.op) {
      case 'truncate':
        t = t.slice(0, i);
        break;
      case 'insert':
        t = t.slice(0, i) + o.text + t.slice(i);
        break;
      case 'delete-line':
        lines.splice(li, 1);
        t = lines.join('\n');
        break;
      case 'dup-line':
        lines.splice(li, 0, lines[li] ?? '');
        t = lines.join('\n');
        break;
      case 'replace-char':
        t = t.slice(0, i) + (o.text[0] ?? '') + t.slice(i + 1);
        break;
      case 'bom':
        t = `\ufeff${t}`;
        break;
      case 'crlf':
        t = t.replace(/\n/g, '\r\n');
        break;
      case 'tab-indent':
        lines[li] = `\t${lines[li] ?? ''}`;
        t = lines.join('\n');
        break;
      case 'alias-bomb':
        t = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n${t}`;
        break;
    }
  }
  return t;
}

/** A malformed document: described (for the report) and serialized. */
export interface Mutant {
  readonly how: string;
  readonly text: string;
}

export interface DocSeed {
  readonly name: string;
  readonly doc: Json;
}

/**
 * Malformed text of a document format: ~80% a valid seed with tree and/or text operations, the rest
 * fully random text. `serialize` writes a tree (YAML or JSON).
 */
export function mutatedText(seeds: readonly DocSeed[], serialize: (doc: Json) => string, randomWeight = 2): fc.Arbitrary<Mutant> {
  const fromSeed = fc
    .record({
      seed: fc.nat({ max: seeds.length - 1 }),
      tree: fc.array(treeOp, { minLength: 0, maxLength: 4 }),
      text: fc.array(textOp, { minLength: 0, maxLength: 2 }),
    })
    .filter((r) => r.tree.length + r.text.length > 0)
    .map((r) => {
      const s = seeds[r.seed];
      let text: string;
      const doc = applyTreeOps(s.doc, r.tree);
      try {
        text = applyTextOps(expandDeep(serialize(doc)), r.text);
      } catch {
        text = applyTextOps(expandDeep(safeJson(doc, Infinity)), r.text);
      }
      return { how: `seed ${s.name}; tree ${safeJson(r.tree)}; text ${safeJson(r.text)}; ${firstDiff(serialize(s.doc), text)}`, text };
    });
  const numbers = fc
    .record({ seed: fc.nat({ max: seeds.length - 1 }), tree: fc.array(numberOp, { minLength: 1, maxLength: 3 }) })
    .map((r) => {
      const s = seeds[r.seed];
      const text = serialize(applyTreeOps(s.doc, r.tree));
      return { how: `seed ${s.name}; numbers ${safeJson(r.tree)}; ${firstDiff(serialize(s.doc), text)}`, text };
    });
  const random = fc
    .oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), fc.jsonValue().map((v) => serialize(v as Json)))
    .map((text) => ({ how: 'random text', text }));
  return fc.oneof({ weight: 5, arbitrary: fromSeed }, { weight: 4, arbitrary: numbers }, { weight: randomWeight, arbitrary: random });
}

/** Where a mutant first differs from its seed: `line N: "seed line" → "mutant line"`. */
export function firstDiff(seed: string, mutant: string): string {
  const a = seed.split('\n');
  const b = mutant.split('\n');
  const i = b.findIndex((l, k) => l !== a[k]);
  if (i < 0) return b.length < a.length ? `truncated after line ${b.length}` : 'same text';
  return `first change at line ${i + 1}: ${JSON.stringify((a[i] ?? '').slice(0, 120))} → ${JSON.stringify(b[i].slice(0, 120))}`;
}

/** JSON.stringify that survives very deep values (shown abbreviated). */
export function safeJson(v: unknown, max = 2000): string {
  try {
    const t = JSON.stringify(v) ?? 'undefined';
    return t.length > max ? `${t.slice(0, max)}…(${t.length} chars)` : t;
  } catch {
    return '"(too deep to print)"';
  }
}

export const yamlText = (doc: Json): string => YAML.stringify(doc, { aliasDuplicateObjects: false });
export const jsonText = (doc: Json): string => `${JSON.stringify(doc, null, 1)}\n`;

/** Byte-level damage of a binary file (ONNX). */
export interface ByteOp {
  readonly op: 'flip' | 'truncate' | 'insert' | 'delete' | 'dup' | 'ff' | 'zero';
  readonly at: number;
  readonly len: number;
  readonly bytes: readonly number[];
}

export const byteOp: fc.Arbitrary<ByteOp> = fc.record({
  op: fc.constantFrom('flip', 'flip', 'truncate', 'insert', 'delete', 'dup', 'ff', 'zero'),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 64 }),
  bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }),
});

export function applyByteOps(input: Uint8Array, ops: readonly ByteOp[]): Uint8Array {
  let b = Uint8Array.from(input);
  for (const o of ops) {
    const i = b.length === 0 ? 0 : o.at % b.length;
    switch (o.op) {
      case 'flip':
        if (b.length > 0) b[i] ^= o.bytes[0] || 0x80;
        break;
      case 'truncate':
        b = b.slice(0, i);
        break;
      case 'insert':
        b = Uint8Array.from([...b.slice(0, i), ...o.bytes, ...b.slice(i)]);
        break;
      case 'delete':
        b = Uint8Array.from([...b.slice(0, i), ...b.slice(i + o.len)]);
        break;
      case 'dup':
        b = Uint8Array.from([...b.slice(0, i + o.len), ...b.slice(i, i + o.len), ...b.slice(i + o.len)]);
        break;
      case 'ff':
        b.fill(0xff, i, i + Math.min(o.len, 10));
        break;
      case 'zero':
        b.fill(0, i, i + o.len);
        break;
    }
  }
  return b;
}
