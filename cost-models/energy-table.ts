// Accelergy-style energy tables (the table-based and library plug-ins' CSVs: one row per component
// parameterization and action, e.g. `technology,latency,datawidth,num_pipeline_stages,action,energy,area`)
// imported as a constant table, so a user's own characterisation can be bound to profile roles.
// Columns: technology, action, energy — required; width (or datawidth, memory_width, word-bits, or an
// OR'ed header like `width|datawidth`) — required by import-energy-table; component, depth (or
// memory_depth), unit (default pJ: Accelergy's energies are pJ), low, high, evidence (P/S/I), source,
// rangeSource — optional; any other column (latency, global_cycle_seconds, n_banks, area …) is kept
// in the constant's provenance and otherwise ignored. `#` starts a comment, `*` or an empty cell is a
// wildcard (no value), an action `add|read` names aliases (the first names the constant), a line
// `COMPONENT: name` starts a block of rows for that component with its own header (the library
// plug-in's multi-component files). Rows of energy 0 of an idle, leak, gated, reused, write, update or
// fill action are left out and listed (a zero is no per-op energy); a zero for any other action is
// refused. Every row becomes one constant named <component->action-<technology>-<width>b; rows
// without a source, range or evidence take the import's defaults, which say so in the provenance.
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

/** Header names (an OR'ed header `a|b` is split) and the field each one fills. */
const ALIASES: Readonly<Record<string, string>> = {
  technology: 'technology',
  action: 'action',
  energy: 'energy',
  width: 'width',
  datawidth: 'width',
  memory_width: 'width',
  'word-bits': 'width',
  word_bits: 'width',
  depth: 'depth',
  memory_depth: 'depth',
  component: 'component',
  unit: 'unit',
  low: 'low',
  high: 'high',
  evidence: 'evidence',
  source: 'source',
  rangesource: 'rangesource',
};
const REQUIRED = ['technology', 'action', 'energy'] as const;
/** Actions whose energy may be 0 in Accelergy's tables (static, gated, or "not meaningful" as the library plug-in fills write/update): such rows are left out and listed; any other zero is refused. */
const ZERO_ENERGY_ACTIONS = /^(idle|leak|update|write|fill|\w+_gated|\w+_reused)$/i;
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');

/** One row of an Accelergy-style CSV, energies also in pJ. */
export interface CsvRow {
  readonly line: number;
  readonly component?: string;
  readonly technology: string;
  /** The technology as a node in nm (`45nm`, `45`, `40 nm`), when it reads as one. */
  readonly technologyNm?: number;
  readonly widthBits?: number;
  readonly depth?: number;
  /** The action and its aliases (`add|read`). */
  readonly actions: readonly string[];
  readonly energy: number;
  readonly unit: string;
  readonly energyPJ: number;
  readonly low?: number;
  readonly high?: number;
  readonly lowPJ?: number;
  readonly highPJ?: number;
  readonly evidence?: string;
  readonly source?: string;
  readonly rangeSource?: string;
  /** Columns joulebench does not use (latency, area, n_banks …), kept for provenance. */
  readonly extra: Readonly<Record<string, string>>;
}

export function technologyNm(t: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(nm)?\s*$/i.exec(t);
  return m ? Number(m[1]) : undefined;
}

/** Reads an Accelergy-style CSV: its rows (energy > 0) and the rows left out (energy 0), one line each. */
export function parseAccelergyCsv(csv: string, origin: string): { rows: CsvRow[]; skipped: string[] } {
  // blocks: the library plug-in's `COMPONENT: name` lines start a block with its own header
  const lines = csv.split(/\r?\n/);
  const blocks: { component?: string; first: number; text: string }[] = [];
  let cur: { component?: string; first: number; lines: string[] } = { first: 1, lines: [] };
  lines.forEach((l, i) => {
    const m = /^\s*COMPONENT:\s*(\S+)\s*$/i.exec(l);
    if (m) {
      blocks.push({ ...(cur.component ? { component: cur.component } : {}), first: cur.first, text: cur.lines.join('\n') });
      cur = { component: m[1], first: i + 2, lines: [] };
    } else cur.lines.push(l);
  });
  blocks.push({ ...(cur.component ? { component: cur.component } : {}), first: cur.first, text: cur.lines.join('\n') });
  const rows: CsvRow[] = [];
  const skipped: string[] = [];
  for (const b of blocks) {
    if (b.text.replace(/#.*$/gm, '').trim() === '') continue;
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parse(b.text, { skip_empty_lines: true, trim: true, comment: '#', relax_column_count: false, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    } catch (e) {
      throw new InputError(`${origin}: not valid CSV (${(e as Error).message.split('\n')[0]})`);
    }
    if (records.length === 0) continue;
    const header = records[0].record.map((h) => h.trim());
    const at = new Map<string, number>();
    const extraCols: [string, number][] = [];
    header.forEach((h, i) => {
      const names = h.toLowerCase().split('|').map((x) => x.trim());
      const field = names.map((n) => ALIASES[n]).find((f) => f !== undefined);
      if (field !== undefined && !at.has(field)) at.set(field, i);
      else extraCols.push([h, i]);
    });
    for (const col of REQUIRED) {
      if (!at.has(col)) throw new InputError(`${origin}: column "${col}" is missing; the header must name technology, action and energy (and width or datawidth); other columns (latency, area …) are kept and ignored`);
    }
    for (const { record, info } of records.slice(1)) {
      const line = b.first - 1 + info.lines;
      const cell = (f: string): string | undefined => {
        const i = at.get(f);
        const v = i === undefined ? undefined : record[i]?.trim();
        return v === undefined || v === '' || v === '*' ? undefined : v;
      };
      const where = (field: string) => `${origin}: line ${line}, field ${field}`;
      const num = (field: string, v: string | undefined): number => {
        const x = Number(v);
        if (v === undefined || v === '' || !Number.isFinite(x)) throw new InputError(`${where(field)}: "${v ?? ''}" is not a number`);
        return x;
      };
      const energy = num('energy', cell('energy'));
      const technology = cell('technology');
      if (!technology) throw new InputError(`${where('technology')}: empty; name the technology (e.g. 45nm)`);
      const action = cell('action');
      if (!action) throw new InputError(`${where('action')}: empty; name the action (e.g. read, write, mac_random)`);
      const actions = action.split('|').map((x) => x.trim()).filter(Boolean);
      if (energy === 0 && actions.some((x) => ZERO_ENERGY_ACTIONS.test(x))) {
        skipped.push(`line ${line}: ${[b.component ?? cell('component'), actions.join('|')].filter(Boolean).join(' ')} has energy 0 (an idle, leak or gated action): left out, a zero is no per-op energy`);
        continue;
      }
      const unit = cell('unit') ?? 'pJ';
      if (!(unit in UNITS) || UNITS[unit].si !== 'J') throw new InputError(`${where('unit')}: "${unit}" is not an energy unit (use pJ, fJ, nJ or J, optionally per op or access: an action's energy is per action, not per bit)`);
      const toPJ = UNITS[unit].factor / 1e-12;
      const w = cell('width');
      const widthBits = w === undefined ? undefined : num('width', w);
      if (widthBits !== undefined && (!Number.isInteger(widthBits) || widthBits < 1)) throw new InputError(`${where('width')}: ${widthBits} must be a positive whole number of bits`);
      const dp = cell('depth');
      const depth = dp === undefined ? undefined : num('depth', dp);
      if (depth !== undefined && !(depth > 0)) throw new InputError(`${where('depth')}: ${depth} must be a positive number of words`);
      const low = cell('low') === undefined ? undefined : num('low', cell('low'));
      const high = cell('high') === undefined ? undefined : num('high', cell('high'));
      const extra: Record<string, string> = {};
      for (const [h, i] of extraCols) {
        const v = record[i]?.trim();
        if (v !== undefined && v !== '' && v !== '*') extra[h] = v;
      }
      const component = b.component ?? cell('component');
      const nm = technologyNm(technology);
      rows.push({
        line,
        ...(component === undefined ? {} : { component }),
        technology,
        ...(nm === undefined ? {} : { technologyNm: nm }),
        ...(widthBits === undefined ? {} : { widthBits }),
        ...(depth === undefined ? {} : { depth }),
        actions,
        energy,
        unit,
        energyPJ: energy * toPJ,
        ...(low === undefined ? {} : { low, lowPJ: low * toPJ }),
        ...(high === undefined ? {} : { high, highPJ: high * toPJ }),
        ...(cell('evidence') === undefined ? {} : { evidence: cell('evidence') }),
        ...(cell('source') === undefined ? {} : { source: cell('source') }),
        ...(cell('rangesource') === undefined ? {} : { rangeSource: cell('rangesource') }),
        extra,
      });
    }
  }
  if (rows.length === 0 && skipped.length === 0) throw new InputError(`${origin}: no rows; expected a header technology,width,action,energy and one row per action`);
  return { rows, skipped };
}

/** The constant-table YAML text for an Accelergy-style CSV (what `joulebench import-energy-table` writes). */
export function energyTableYaml(csv: string, origin: string, d: EnergyTableDefaults): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(d.id)) {
    throw InputError.at({ file: origin, field: 'table id', problem: `"${d.id}" (from --id or the file name) is not lower-case letters, digits and dashes`, fix: 'give the table an id with --id, e.g. --id my-chip' });
  }
  const { rows, skipped } = parseAccelergyCsv(csv, origin);
  if (rows.length === 0) throw new InputError(`${origin}: every row has energy 0; no per-op energy to import`);
  const frac = d.rangeFraction ?? 0.2;
  const seen = new Map<string, number>();
  const constants = rows.map((r) => {
    const line = r.line;
    const where = (field: string) => `${origin}: line ${line}, field ${field}`;
    if (r.widthBits === undefined) throw new InputError(`${where('width')}: no width; give the column width (or datawidth, memory_width, word-bits) in bits for every row`);
    const width = r.widthBits;
    const energy = r.energy;
    const unit = r.unit;
    const action = r.actions[0];
    let name = slug([r.component, action, r.technology, `${width}b`, r.depth ? `d${r.depth}` : ''].filter(Boolean).join('-'));
    const extraText = Object.entries(r.extra).map(([k, v]) => `${k}=${v}`).join(', ');
    // Accelergy's tables may give one action at several settings of other columns (n_banks, data_delta …)
    if (seen.has(name) && extraText !== '') name = slug(`${name}-${Object.entries(r.extra).map(([k, v]) => `${k}-${v}`).join('-')}`);
    if (seen.has(name)) throw new InputError(`${origin}: line ${line}: same component, action, technology, width and depth as line ${seen.get(name)} (constant ${name})`);
    seen.set(name, line);
    const low = r.low ?? energy * (1 - frac);
    const high = r.high ?? energy * (1 + frac);
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
      source: `${source} (Accelergy-style table row: ${[r.component, r.actions.join('|'), r.technology, `${width} bits`, r.depth ? `depth ${r.depth}` : '', extraText ? `other columns ${extraText}` : ''].filter(Boolean).join(', ')})`,
      low,
      high,
      rangeSource: r.rangeSource || (r.low !== undefined || r.high !== undefined ? 'given in the table' : `assumed ±${Math.round(frac * 100)}% (import default; the table gives no range)`),
    };
  });
  const text = `${skipped.map((x) => `# left out: ${x}\n`).join('')}${YAML.stringify({ id: d.id, description: d.description ?? `Energy table imported from ${origin}`, constants })}`;
  parseConstantTable(text, origin); // the same validation as every table
  return text;
}

export function importEnergyTable(csv: string, origin: string, d: EnergyTableDefaults): ConstantTable {
  return parseConstantTable(energyTableYaml(csv, origin, d), origin);
}
