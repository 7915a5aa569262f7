// Technology constants as data with provenance. Every number a cost model multiplies by comes from a
// YAML table under cost-models/tech/, with its unit, source, evidence tag and an uncertainty range.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { packageRoot } from '../harness/paths.js';

/** [P] primary source, [S] secondary copy, [I] inferred/derived (see shared reference notes). */
export type Evidence = 'P' | 'S' | 'I';

/** Units a constant may be written in, with their factor to the SI unit. */
export const UNITS: Readonly<Record<string, { si: string; factor: number }>> = {
  J: { si: 'J', factor: 1 },
  pJ: { si: 'J', factor: 1e-12 },
  fJ: { si: 'J', factor: 1e-15 },
  nJ: { si: 'J', factor: 1e-9 },
  uJ: { si: 'J', factor: 1e-6 },
  'pJ/bit': { si: 'J/bit', factor: 1e-12 },
  'fJ/bit': { si: 'J/bit', factor: 1e-15 },
  'J/bit': { si: 'J/bit', factor: 1 },
  entries: { si: 'entries', factor: 1 },
  bits: { si: 'bits', factor: 1 },
  bytes: { si: 'bits', factor: 8 },
  KiB: { si: 'bits', factor: 8192 },
  '1': { si: '1', factor: 1 },
  /** An energy relative to one MAC of the same datapath (Eyeriss's normalized access costs). */
  xMAC: { si: 'xMAC', factor: 1 },
  V: { si: 'V', factor: 1 },
  nm: { si: 'm', factor: 1e-9 },
  /** Stillmaker–Baas polynomial coefficients: normalized energy per V² and per V. */
  '1/V^2': { si: '1/V^2', factor: 1 },
  '1/V': { si: '1/V', factor: 1 },
};

/**
 * `per-op`: the energy of one operation or access, to be combined with others (the usual kind).
 * `all-in`: a whole chip's energy divided by its events; it already contains memory, routing and
 * leakage, so a model may never add memory or op terms to it (see cost-models/all-in.ts).
 */
export type ConstantKind = 'per-op' | 'all-in';

export interface Constant {
  /** Qualified id: `<table>/<name>`, e.g. `horowitz-45nm/fp32-add`. */
  readonly id: string;
  readonly value: number;
  readonly unit: string;
  /** The value in SI units (joules, bits …). */
  readonly valueSI: number;
  readonly siUnit: string;
  readonly lowSI: number;
  readonly highSI: number;
  readonly low: number;
  readonly high: number;
  readonly evidence: Evidence;
  readonly source: string;
  /** Where the low–high range comes from. */
  readonly rangeSource: string;
  readonly kind: ConstantKind;
  readonly note?: string;
}

const finite = z.number({ error: 'must be a finite number' });
const constantSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes'),
  value: finite,
  unit: z.string().refine((u) => u in UNITS, { message: `unit must be one of ${Object.keys(UNITS).join(', ')}` }),
  evidence: z.enum(['P', 'S', 'I']),
  source: z.string().min(1),
  low: finite,
  high: finite,
  rangeSource: z.string().min(1),
  note: z.string().optional(),
});
const tableSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  description: z.string(),
  kind: z.enum(['per-op', 'all-in']).default('per-op'),
  constants: z.array(constantSchema).min(1),
});

export interface ConstantTable {
  readonly id: string;
  readonly description: string;
  readonly kind: ConstantKind;
  readonly constants: ReadonlyMap<string, Constant>;
}

export function parseConstantTable(text: string, origin: string): ConstantTable {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new Error(`${origin}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const parsed = tableSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${origin}: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const constants = new Map<string, Constant>();
  for (const c of parsed.data.constants) {
    const id = `${parsed.data.id}/${c.name}`;
    if (constants.has(id)) throw new Error(`${origin}: constant ${c.name} is defined twice`);
    if (!(c.low <= c.value && c.value <= c.high)) {
      throw new Error(`${origin}: constant ${c.name}: range [${c.low}, ${c.high}] must contain the value ${c.value}`);
    }
    const u = UNITS[c.unit];
    constants.set(id, {
      id,
      value: c.value,
      unit: c.unit,
      valueSI: c.value * u.factor,
      siUnit: u.si,
      low: c.low,
      high: c.high,
      lowSI: c.low * u.factor,
      highSI: c.high * u.factor,
      evidence: c.evidence,
      source: c.source,
      rangeSource: c.rangeSource,
      kind: parsed.data.kind,
      ...(c.note === undefined ? {} : { note: c.note }),
    });
  }
  return { id: parsed.data.id, description: parsed.data.description, kind: parsed.data.kind, constants };
}

let builtinTables: Map<string, Constant> | undefined;

/** Every constant of the built-in tables in cost-models/tech/, by qualified id. */
export function builtinConstants(): ReadonlyMap<string, Constant> {
  if (builtinTables) return builtinTables;
  const dir = join(packageRoot, 'cost-models', 'tech');
  const all = new Map<string, Constant>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const origin = join('cost-models/tech', file);
    const table = parseConstantTable(readFileSync(join(dir, file), 'utf8'), origin);
    if (table.id !== file.replace(/\.yaml$/, '')) throw new Error(`${origin}: field id: "${table.id}" must match the file name`);
    for (const [id, c] of table.constants) all.set(id, c);
  }
  builtinTables = all;
  return all;
}

/** A built-in constant by qualified id (reference data a model reads directly, e.g. scaling coefficients). */
export function builtinConstant(id: string): Constant {
  const c = builtinConstants().get(id);
  if (!c) throw new Error(`built-in constant ${id} is missing from cost-models/tech/`);
  return c;
}
