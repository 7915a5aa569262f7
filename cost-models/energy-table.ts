// Accelergy-style energy tables (the table-based plug-in's CSV: one row per technology, width, action,
// energy) imported as a constant table, so a user's own characterisation can be bound to profile roles.
// Columns: technology, width (bits), action, energy — required; component, depth, unit (default pJ),
// low, high, evidence (P/S/I), source, rangeSource, area (ignored) — optional. Every row becomes one
// constant named <component->action-<technology>-<width>b; rows without a source, range or evidence
// take the import's defaults, which say so in the constant's provenance.
import { parse } from 'csv-parse/sync';
import YAML from 'yaml';
import type { ConstantTable } from './constants.js';
import { InputError } from '../core/errors.js';
import { UNITS, checkConstantValues, parseConstantTable } from './constants.js';

export interface EnergyTableDefaults {
  /** Table id (lower-case letters, digits, dashes). */
  readonly id: string;
  readonly description?: string;
  readonly source?: string;
  readonly evidence?: 'P' | 'S' | 'I';
  /** Relative half-width of the range for rows without low/high (0.2: ±20%). */
  readonly rangeFraction?: number;
}

const REQUIRED = ['technology', 'width', 'action', 'energy'] as const;
const KNOWN = new Set([...REQUIRED, 'component', 'depth', 'unit', 'low', 'high', 'evidence', 'source', 'rangesource', 'area']);
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');

/** The constant-table YAML text for an Accelergy-style CSV (what `joulebench import-energy-table` writes). */
export function energyTableYaml(csv: string, origin: string, d: EnergyTableDefaults): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(d.id)) {
    throw InputError.at({ file: origin, field: 'table id', problem: `"${d.id}" (from --id or the file name) is not lower-case letters, digits and dashes`, fix: 'give the table an id with --id, e.g. --id my-chip' });
  }
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), skip_empty_lines: true, trim: true, comment: '#' });
  } catch (e) {
    throw new InputError(`${origin}: not valid CSV (${(e as Error).message.split('\n')[0]})`);
  }
  if (records.length === 0) throw new InputError(`${origin}: no rows; expected a header technology,width,action,energy and one row per action`);
  const header = Object.keys(records[0]);
  for (const col of REQUIRED) if (!header.includes(col)) throw new InputError(`${origin}: column "${col}" is missing; the header must name technology, width, action and energy`);
  for (const col of header) if (!KNOWN.has(col)) throw new InputError(`${origin}: column "${col}" is not known; use technology, width, action, energy and optionally component, depth, unit, low, high, evidence, source, rangeSource, area`);
  const frac = d.rangeFraction ?? 0.2;
  const seen = new Map<string, number>();
  const constants = records.map((r, i) => {
    const line = i + 2;
    const where = (field: string) => `${origin}: line ${line}, field ${field}`;
    const num = (field: string, v: string | undefined): number => {
      const x = Number(v);
      if (v === undefined || v === '' || !Number.isFinite(x)) throw new InputError(`${where(field)}: "${v ?? ''}" is not a number`);
      return x;
    };
    const width = num('width', r.width);
    if (!Number.isInteger(width) || width < 1) throw new InputError(`${where('width')}: ${width} must be a positive whole number of bits`);
    const energy = num('energy', r.energy);
    const unit = r.unit || 'pJ';
    if (!(unit in UNITS) || UNITS[unit].si !== 'J') throw new InputError(`${where('unit')}: "${unit}" is not an energy unit (use pJ, fJ, nJ or J, optionally per op or access: an action's energy is per action, not per bit)`);
    if (!r.technology) throw new InputError(`${where('technology')}: empty; name the technology (e.g. 45nm)`);
    if (!r.action) throw new InputError(`${where('action')}: empty; name the action (e.g. read, write, mac)`);
    const name = slug([r.component, r.action, r.technology, `${width}b`, r.depth ? `d${r.depth}` : ''].filter(Boolean).join('-'));
    if (seen.has(name)) throw new InputError(`${origin}: line ${line}: same component, action, technology, width and depth as line ${seen.get(name)} (constant ${name})`);
    seen.set(name, line);
    const low = r.low ? num('low', r.low) : energy * (1 - frac);
    const high = r.high ? num('high', r.high) : energy * (1 + frac);
    // An Accelergy-style row is the energy of one action (per-op): the checks of every constant table
    // (sign, plausible window, range), reported at the CSV line.
    const columns = { value: 'field energy', low: 'field low', high: 'field high' } as const;
    checkConstantValues({ name, value: energy, low, high, unit }, 'per-op', origin, (key) => `line ${line}, ${columns[key]}`);
    const evidence = r.evidence || d.evidence || 'S';
    if (!['P', 'S', 'I'].includes(evidence)) throw new InputError(`${where('evidence')}: "${evidence}" must be P, S or I`);
    const source = r.source || d.source;
    if (!source) throw new InputError(`${where('source')}: no source; add a source column or give one for the whole table (--source)`);
    return {
      name,
      value: energy,
      unit,
      evidence,
      source: `${source} (Accelergy-style table row: ${[r.component, r.action, r.technology, `${width} bits`, r.depth ? `depth ${r.depth}` : ''].filter(Boolean).join(', ')})`,
      low,
      high,
      rangeSource: r.rangesource || (r.low || r.high ? 'given in the table' : `assumed ±${Math.round(frac * 100)}% (import default; the table gives no range)`),
    };
  });
  const text = YAML.stringify({ id: d.id, description: d.description ?? `Energy table imported from ${origin}`, constants });
  parseConstantTable(text, origin); // the same validation as every table
  return text;
}

export function importEnergyTable(csv: string, origin: string, d: EnergyTableDefaults): ConstantTable {
  return parseConstantTable(energyTableYaml(csv, origin, d), origin);
}
