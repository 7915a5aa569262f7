// Technology constants as data with provenance. Every number a cost model multiplies by comes from a
// YAML table under cost-models/tech/, with its unit, source, evidence tag and an uncertainty range.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { parseYaml, validated } from '../core/input.js';
import { packageRoot } from '../core/paths.js';

/** [P] primary source, [S] secondary copy, [I] inferred/derived (see shared reference notes). */
export type Evidence = 'P' | 'S' | 'I';

/** Units a constant may be written in, with their factor to the SI unit. */
export const UNITS: Readonly<Record<string, { si: string; factor: number }>> = {
  ...energyUnits(),
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
 * Energy units: J with its SI prefixes (a, f, p, n, u or µ, m), per op, per access or per event (all
 * the same dimension, joules: "pJ/access" is the energy of one access), and per bit (J/bit: an energy
 * per bit moved, or the slope of an access energy in the memory's capacity).
 */
function energyUnits(): Record<string, { si: string; factor: number }> {
  const prefixes: Record<string, number> = { a: 1e-18, f: 1e-15, p: 1e-12, n: 1e-9, u: 1e-6, 'µ': 1e-6, m: 1e-3, '': 1 };
  const out: Record<string, { si: string; factor: number }> = {};
  for (const [prefix, factor] of Object.entries(prefixes)) {
    for (const per of ['', '/op', '/access', '/event']) out[`${prefix}J${per}`] = { si: 'J', factor };
    out[`${prefix}J/bit`] = { si: 'J/bit', factor };
  }
  return out;
}

/**
 * What a constant measures, by its SI unit: an energy (J), an energy per bit (J/bit), an energy
 * relative to one MAC (xMAC), a size (bits, entries), a voltage, a length, or a dimensionless
 * coefficient ('1', '1/V', '1/V^2': scaling polynomials and width exponents, which may be negative).
 */
export type Dimension = 'energy' | 'energy per bit' | 'relative energy' | 'size' | 'voltage' | 'length' | 'coefficient';

export function dimensionOf(siUnit: string): Dimension {
  switch (siUnit) {
    case 'J':
      return 'energy';
    case 'J/bit':
      return 'energy per bit';
    case 'xMAC':
      return 'relative energy';
    case 'bits':
    case 'entries':
      return 'size';
    case 'V':
      return 'voltage';
    case 'm':
      return 'length';
    default:
      return 'coefficient';
  }
}

/** The units of a dimension, as a user writes them (for error messages). */
export const DIMENSION_UNITS: Readonly<Record<Dimension, string>> = {
  energy: 'J or an SI prefix of it (aJ, fJ, pJ, nJ, uJ, mJ), optionally per op, access or event, e.g. pJ or pJ/access',
  'energy per bit': 'J/bit or an SI prefix of it (fJ/bit, pJ/bit)',
  'relative energy': 'xMAC (an energy as a multiple of one MAC)',
  size: 'bits, bytes, KiB or entries',
  voltage: 'V',
  length: 'nm',
  coefficient: "'1', '1/V' or '1/V^2'",
};

/**
 * Plausible windows (SI units) for the values, lows and highs of energies. A constant outside its
 * window is refused where it is read: it is a unit slip or a corrupt file, not a technology.
 *
 *  per-op energy (J), [1e-18, 1e-6]: one operation or one memory access. The smallest per-op figure
 *    joulebench carries is SATA-Sim's 16-bit 2:1 multiplexer, 1.72 fJ (low 1.38 fJ); 1 aJ is three
 *    decades below it and only ~350× the Landauer bound (kT·ln2 = 2.9e-21 J at 300 K), so nothing
 *    digital is cheaper. The largest is a 64-bit DRAM read, 1300–2600 pJ (Horowitz); 1 µJ is ~400×
 *    above it — a per-access figure of a microjoule is a whole-system figure or a unit slip (J for pJ).
 *  all-in energy (J), [1e-16, 1e-3]: a whole chip's energy divided by its events, leakage and routing
 *    inside. The lowest such figure in the reference notes is Hala Point's ≈67 fJ per 8-bit op
 *    (15 TOPS/W, §4); 0.1 fJ is ~700× below. The highest is SpiNNaker's ≈5.9 µJ per synaptic event in
 *    the cortical microcircuit (van Albada et al. 2018); 1 mJ is ~170× above.
 *  energy per bit (J/bit), [1e-21, 1e-9]: the smallest is the slope of Lemaire's SRAM fit in the
 *    capacity, 1.09e-17 J per access per bit of capacity (low 7.6e-18); the Landauer bound 2.9e-21 J
 *    rounds down to 1e-21. The largest per-bit transfer energies are DRAM's ≈20 pJ/bit (Yan et al.) and
 *    TrueNorth's 2 pJ/bit to the periphery; 1 nJ/bit is 50× above them.
 *  relative energy (xMAC), [1e-3, 1e5]: Eyeriss's access costs are 1–200 MACs and a division or
 *    transcendental op 3–16 MACs; an access a thousand times cheaper than a MAC, or 500× dearer than
 *    Eyeriss's DRAM, is not a technology either.
 * Sizes, voltages and lengths must be > 0; coefficients only finite (Stillmaker–Baas b is negative).
 */
export const PLAUSIBLE: Readonly<Record<'per-op' | 'all-in' | 'energy per bit' | 'relative energy', { readonly low: number; readonly high: number; readonly unit: string }>> = {
  'per-op': { low: 1e-18, high: 1e-6, unit: 'J' },
  'all-in': { low: 1e-16, high: 1e-3, unit: 'J' },
  'energy per bit': { low: 1e-21, high: 1e-9, unit: 'J/bit' },
  'relative energy': { low: 1e-3, high: 1e5, unit: 'xMAC' },
};

/** The plausible window of a constant of this SI unit in a table of this kind; null when only sign and finiteness are checked. */
export function plausibleWindow(siUnit: string, kind: ConstantKind): { readonly low: number; readonly high: number; readonly unit: string } | null {
  const d = dimensionOf(siUnit);
  if (d === 'energy') return PLAUSIBLE[kind];
  if (d === 'energy per bit' || d === 'relative energy') return PLAUSIBLE[d];
  return null;
}

/** Is a constant of this SI unit an energy (absolute, per bit or relative), so it must be > 0? */
export const isEnergyDimension = (siUnit: string): boolean => ['energy', 'energy per bit', 'relative energy'].includes(dimensionOf(siUnit));

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
  unit: z.string().refine((u) => u in UNITS, { message: `unit must be one of: an energy (J, aJ, fJ, pJ, nJ, uJ, mJ; per op, access or event, e.g. pJ/access), an energy per bit (pJ/bit, fJ/bit, J/bit), ${Object.keys(UNITS).filter((u) => !/J/.test(u)).join(', ')}` }),
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
  const parsed = { data: validated(tableSchema, parseYaml(text, origin), origin, 'see cost-models/tech/*.yaml for the constant table format') };
  const constants = new Map<string, Constant>();
  parsed.data.constants.forEach((c, i) => {
    const id = `${parsed.data.id}/${c.name}`;
    if (constants.has(id)) throw InputError.at({ file: origin, field: `constants.${i}.name`, problem: `constant ${c.name} is defined twice`, fix: 'give each constant of a table its own name' });
    const u = UNITS[c.unit];
    checkConstantValues(c, parsed.data.kind, origin, (key) => `constants.${i}.${key}`);
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
  });
  return { id: parsed.data.id, description: parsed.data.description, kind: parsed.data.kind, constants };
}

/**
 * The checks every constant passes where it is read (built-in and user tables, imported CSVs): its
 * value, low and high finite; the range low ≤ value ≤ high; energies (absolute, per bit, relative)
 * > 0 and inside their plausible window (PLAUSIBLE); sizes, voltages and lengths > 0.
 */
export function checkConstantValues(
  c: { readonly name: string; readonly value: number; readonly low: number; readonly high: number; readonly unit: string },
  kind: ConstantKind,
  file: string,
  /** The field path of the value, the low and the high in the file. */
  fieldOf: (key: 'value' | 'low' | 'high') => string,
): void {
  const u = UNITS[c.unit];
  const dim = dimensionOf(u.si);
  for (const key of ['value', 'low', 'high'] as const) {
    const v = c[key];
    const si = v * u.factor;
    const field = fieldOf(key);
    if (!Number.isFinite(v) || !Number.isFinite(si)) throw InputError.at({ file, field, problem: `${c.name}: ${v} ${c.unit} is not a finite number`, fix: 'give a finite number' });
    if (isEnergyDimension(u.si)) {
      if (!(v > 0)) {
        throw InputError.at({
          file,
          field,
          problem: `${c.name}: ${v} ${c.unit} is not a positive ${dim} (${v === 0 ? 'a zero energy makes ratios 0/0 = NaN and break-even points infinite' : 'a negative energy would be subtracted from totals'})`,
          fix: `give the ${dim} as a number > 0 in ${DIMENSION_UNITS[dim]}`,
        });
      }
      const w = plausibleWindow(u.si, kind)!;
      if (si < w.low || si > w.high) {
        const what = dim === 'energy' ? `${kind} energy` : dim;
        throw InputError.at({
          file,
          field,
          problem: `${c.name}: ${v} ${c.unit} (${si.toPrecision(3)} ${w.unit}) is outside the plausible window of a${/^[aeiou]/.test(what) ? 'n' : ''} ${what}, ${w.low}–${w.high} ${w.unit}`,
          fix: `check the number and its unit (pJ, not J?)${dim === 'energy' && kind === 'per-op' ? "; a whole chip's energy per event belongs in a table of kind all-in" : ''}`,
        });
      }
    } else if ((dim === 'size' || dim === 'voltage' || dim === 'length') && !(v > 0)) {
      throw InputError.at({ file, field, problem: `${c.name}: ${v} ${c.unit} is not a positive ${dim}`, fix: `give the ${dim} as a number > 0 in ${DIMENSION_UNITS[dim]}` });
    }
  }
  if (!(c.low <= c.value && c.value <= c.high)) {
    throw InputError.at({ file, field: `${fieldOf('low')}, ${fieldOf('high')}`, problem: `constant ${c.name}: range [${c.low}, ${c.high}] must contain the value ${c.value}`, fix: 'give low ≤ value ≤ high, in the same unit as the value' });
  }
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
