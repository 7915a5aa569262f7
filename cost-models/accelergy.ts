// Hardware descriptions written by Accelergy and Timeloop, read into one list of component actions
// with their energies, so that a profile can take its technology from them (cost-models/hardware.ts).
//
// Formats (read from their public documentation and the files the tools write; written from scratch):
//  - Accelergy energy reference table, ERT.yaml (Accelergy 0.3/0.4): `ERT: { version, tables: [ { name:
//    <component path>, actions: [ { name: <action>, arguments: {…} | null, energy: <pJ> } … ] } … ] }`.
//    An action listed once per argument combination (e.g. `read` with address_delta/data_delta)
//    gives several energies; older files map table names to actions (`tables: { name: { action: … } }`).
//  - ERT_summary.yaml: `ERT_summary: { version, table_summary: [ { name, actions: [ { name, energy } |
//    { name, average_energy, max_energy, min_energy } ] } ] }`, or (Accelergy 0.2) `components:
//    { name: { action: { energy } | { 'average energy', 'max energy', 'min energy' } } }`.
//  - ART.yaml / ART_summary.yaml (areas): read and listed; joulebench prices energy only.
//  - Timeloop/Accelergy architecture: v0.3 `architecture: { version, subtree: [ { name, attributes,
//    local: [ { name, class, attributes } ], subtree: [ … ] } ] }` (attributes of a tree node apply to
//    everything under it, a component's own win); v0.4 `architecture: { version, nodes: [ !Container
//    { name, attributes }, !Component { name, class, attributes }, … ] }` (a container's attributes
//    apply to the nodes after it; `!Hierarchical` nodes nest `nodes`). Names like `PE[0..167]` are
//    arrays of identical components: the range is dropped when names are matched.
//  - Accelergy table-based and library plug-in CSVs: cost-models/energy-table.ts.
// Accelergy's energies are in pJ (its estimators report pJ; the library plug-in documents "energy
// for an action is given in pJ and the area in um^2"); they are converted to joules where bound.
import YAML from 'yaml';
import { InputError } from '../core/errors.js';
import type { CsvRow } from './energy-table.js';

/** One action of one component, with every energy the file gives for it (pJ; several: argument combinations or min/average/max). */
export interface HardwareAction {
  /** The component's path as the file names it, array ranges dropped (`system.chip.PE.mac`). */
  readonly component: string;
  /** The component's class when known (from an architecture file, a CSV's file or COMPONENT name), else undefined. */
  readonly componentClass?: string;
  /** The action's name and its aliases (a CSV action `add|read`). */
  readonly actions: readonly string[];
  /** Energies in pJ; one per argument combination (ERT), or a summary's min, average, max. */
  readonly energiesPJ: readonly number[];
  /** The representative energy (pJ): a summary's average, else the mean of energiesPJ. */
  readonly energyPJ: number;
  /** Attributes known for the component (technology, width/datawidth, depth …), from the file or the architecture. */
  readonly attributes: Readonly<Record<string, string | number>>;
  /** Where it was read: file and field or line. */
  readonly where: string;
}

/** Everything read from a set of hardware files. */
export interface HardwareDescription {
  readonly files: readonly string[];
  readonly actions: readonly HardwareAction[];
  /** Architecture leaves by component path: class and attributes (inherited ones included). */
  readonly architecture: ReadonlyMap<string, { readonly componentClass: string; readonly attributes: Readonly<Record<string, string | number>> }>;
  /** What was read but not used for energies (areas, empty tables), one line each. */
  readonly notes: readonly string[];
}

export type HardwareFileKind = 'ert' | 'ert-summary' | 'art' | 'architecture' | 'csv';

export const stripRanges = (name: string): string => name.replace(/\[[^\]]*\]/g, '');

type Attrs = Record<string, string | number>;

const asRecord = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

function attrsOf(v: unknown, where: string, file: string): Attrs {
  if (v === undefined || v === null) return {};
  const r = asRecord(v);
  if (!r) throw InputError.at({ file, field: where, problem: 'attributes must be a mapping of names to values', fix: 'write attributes: { technology: 45nm, datawidth: 16 }' });
  const out: Attrs = {};
  for (const [k, x] of Object.entries(r)) if (typeof x === 'string' || typeof x === 'number') out[k] = x;
  return out;
}

function energyOf(v: unknown, file: string, field: string): number {
  const x = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
    throw InputError.at({ file, field, problem: `${JSON.stringify(v) ?? 'nothing'} is not an energy`, fix: 'give the energy as a number ≥ 0 in pJ (Accelergy\'s unit)' });
  }
  return x;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Parses YAML that may carry Timeloop v0.4 tags (!Component, !Container …): tags are dropped, the maps kept. */
export function parseHardwareYaml(text: string, file: string): unknown {
  const doc = YAML.parseDocument(text, { logLevel: 'silent', uniqueKeys: false });
  if (doc.errors.length > 0) throw new InputError(`${file}: not valid YAML (${doc.errors[0].message.split('\n')[0]})`);
  try {
    return doc.toJS(); // at most 100 aliases, as parseYaml (core/input.ts)
  } catch (e) {
    throw new InputError(`${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
}

/** Which Accelergy/Timeloop document a parsed YAML file is, by its top-level key; null when none. */
export function hardwareFileKind(doc: unknown): Exclude<HardwareFileKind, 'csv'> | null {
  const r = asRecord(doc);
  if (!r) return null;
  if ('ERT' in r) return 'ert';
  if ('ERT_summary' in r) return 'ert-summary';
  if ('ART' in r || 'ART_summary' in r) return 'art';
  if ('architecture' in r) return 'architecture';
  return null;
}

/** The actions of an ERT.yaml. */
export function readErt(doc: unknown, file: string): HardwareAction[] {
  const ert = asRecord(asRecord(doc)?.ERT);
  if (!ert) throw InputError.at({ file, field: 'ERT', problem: 'must be a mapping with version and tables', fix: 'give the ERT.yaml Accelergy wrote (ERT: { version: 0.4, tables: [...] })' });
  const tables = ert.tables;
  const out: HardwareAction[] = [];
  const add = (name: string, action: string, entries: readonly unknown[], field: string): void => {
    const energies = entries.map((e, k) => energyOf(asRecord(e)?.energy ?? e, file, entries.length > 1 ? `${field}.${k}.energy` : `${field}.energy`));
    out.push({ component: stripRanges(name), actions: [action], energiesPJ: energies, energyPJ: mean(energies), attributes: {}, where: `${file}: ${field}` });
  };
  if (Array.isArray(tables)) {
    tables.forEach((t, i) => {
      const table = asRecord(t);
      if (!table || typeof table.name !== 'string') throw InputError.at({ file, field: `ERT.tables.${i}.name`, problem: 'missing; every table names its component', fix: 'give each table a name (the component path) and its actions' });
      const actions = table.actions;
      if (!Array.isArray(actions)) throw InputError.at({ file, field: `ERT.tables.${i}.actions`, problem: 'must be a list of { name, arguments, energy }', fix: 'give the actions Accelergy wrote for the component' });
      // one ERT action per argument combination: group them by name
      const byName = new Map<string, { entries: unknown[] }>();
      actions.forEach((a, j) => {
        const ar = asRecord(a);
        if (!ar || typeof ar.name !== 'string') throw InputError.at({ file, field: `ERT.tables.${i}.actions.${j}.name`, problem: 'missing; every action has a name', fix: 'give each action a name (read, write, mac_random …) and its energy' });
        if (!('energy' in ar)) throw InputError.at({ file, field: `ERT.tables.${i}.actions.${j}.energy`, problem: 'missing', fix: 'give the action\'s energy in pJ' });
        const g = byName.get(ar.name) ?? { entries: [] };
        g.entries.push(ar);
        byName.set(ar.name, g);
      });
      for (const [name, g] of byName) {
        const energies = g.entries.map((e) => energyOf(asRecord(e)!.energy, file, `ERT.tables.${i}.actions.${actions.indexOf(e)}.energy`));
        out.push({
          component: stripRanges(table.name),
          actions: [name],
          energiesPJ: energies,
          energyPJ: mean(energies),
          attributes: {},
          where: `${file}: ERT.tables.${i} (${table.name}), action ${name}${g.entries.length > 1 ? ` (${g.entries.length} argument combinations)` : ''}`,
        });
      }
    });
  } else if (asRecord(tables)) {
    for (const [name, t] of Object.entries(asRecord(tables)!)) {
      for (const [action, v] of Object.entries(asRecord(t) ?? {})) add(name, action, Array.isArray(v) ? v : [v], `ERT.tables.${name}.${action}`);
    }
  } else {
    throw InputError.at({ file, field: 'ERT.tables', problem: 'missing; an ERT lists its components\' tables', fix: 'give the ERT.yaml Accelergy wrote (ERT: { version: 0.4, tables: [...] })' });
  }
  return out;
}

/** The actions of an ERT_summary.yaml (Accelergy 0.3/0.4 `table_summary`, or 0.2 `components`). */
export function readErtSummary(doc: unknown, file: string): HardwareAction[] {
  const s = asRecord(asRecord(doc)?.ERT_summary);
  if (!s) throw InputError.at({ file, field: 'ERT_summary', problem: 'must be a mapping', fix: 'give the ERT_summary.yaml Accelergy wrote' });
  const out: HardwareAction[] = [];
  const one = (component: string, action: string, v: unknown, field: string): void => {
    const r = asRecord(v) ?? {};
    const pick = (...keys: string[]): unknown => keys.map((k) => r[k]).find((x) => x !== undefined);
    const avg = pick('average_energy', 'average energy');
    if (avg !== undefined) {
      const a = energyOf(avg, file, `${field}.average_energy`);
      const lo = energyOf(pick('min_energy', 'min energy') ?? avg, file, `${field}.min_energy`);
      const hi = energyOf(pick('max_energy', 'max energy') ?? avg, file, `${field}.max_energy`);
      out.push({ component: stripRanges(component), actions: [action], energiesPJ: [lo, a, hi], energyPJ: a, attributes: {}, where: `${file}: ${field}` });
      return;
    }
    const e = energyOf(r.energy ?? v, file, `${field}.energy`);
    out.push({ component: stripRanges(component), actions: [action], energiesPJ: [e], energyPJ: e, attributes: {}, where: `${file}: ${field}` });
  };
  if (Array.isArray(s.table_summary)) {
    s.table_summary.forEach((t, i) => {
      const table = asRecord(t);
      if (!table || typeof table.name !== 'string') throw InputError.at({ file, field: `ERT_summary.table_summary.${i}.name`, problem: 'missing', fix: 'give each table summary its component name' });
      const actions = Array.isArray(table.actions) ? table.actions : [];
      actions.forEach((a, j) => {
        const ar = asRecord(a);
        if (!ar || typeof ar.name !== 'string') throw InputError.at({ file, field: `ERT_summary.table_summary.${i}.actions.${j}.name`, problem: 'missing', fix: 'give each action its name' });
        one(table.name as string, ar.name, ar, `ERT_summary.table_summary.${i}.actions.${j}`);
      });
    });
  } else if (asRecord(s.components)) {
    for (const [name, t] of Object.entries(asRecord(s.components)!)) for (const [action, v] of Object.entries(asRecord(t) ?? {})) one(name, action, v, `ERT_summary.components.${name}.${action}`);
  } else {
    throw InputError.at({ file, field: 'ERT_summary.table_summary', problem: 'missing', fix: 'give the ERT_summary.yaml Accelergy wrote (table_summary: [...])' });
  }
  return out;
}

/** The leaves of a Timeloop/Accelergy architecture (v0.3 subtree/local or v0.4 nodes). */
export function readArchitecture(doc: unknown, file: string): Map<string, { componentClass: string; attributes: Attrs }> {
  const arch = asRecord(asRecord(doc)?.architecture);
  if (!arch) throw InputError.at({ file, field: 'architecture', problem: 'must be a mapping with version and subtree (v0.3) or nodes (v0.4)', fix: 'give a Timeloop/Accelergy architecture file' });
  const leaves = new Map<string, { componentClass: string; attributes: Attrs }>();
  const join = (prefix: string, name: string): string => (prefix ? `${prefix}.${name}` : name);
  const leaf = (node: Record<string, unknown>, prefix: string, inherited: Attrs, field: string): void => {
    if (typeof node.name !== 'string') throw InputError.at({ file, field: `${field}.name`, problem: 'missing; every component has a name', fix: 'name the component' });
    if (typeof node.class !== 'string') throw InputError.at({ file, field: `${field}.class`, problem: `component ${node.name} has no class`, fix: 'give its Accelergy class (intmac, SRAM, DRAM, smartbuffer_SRAM …)' });
    leaves.set(join(prefix, stripRanges(node.name)), { componentClass: node.class, attributes: { ...inherited, ...attrsOf(node.attributes, `${field}.attributes`, file) } });
  };
  const walk03 = (node: Record<string, unknown>, prefix: string, inherited: Attrs, field: string): void => {
    if (typeof node.name !== 'string') throw InputError.at({ file, field: `${field}.name`, problem: 'missing; every tree node has a name', fix: 'name it (e.g. system, chip, PE[0..167])' });
    const path = join(prefix, stripRanges(node.name));
    const attrs = { ...inherited, ...attrsOf(node.attributes, `${field}.attributes`, file) };
    (Array.isArray(node.local) ? node.local : []).forEach((l, i) => leaf(asRecord(l) ?? {}, path, attrs, `${field}.local.${i}`));
    (Array.isArray(node.subtree) ? node.subtree : []).forEach((s, i) => walk03(asRecord(s) ?? {}, path, attrs, `${field}.subtree.${i}`));
  };
  const walk04 = (nodes: unknown[], prefix: string, inherited: Attrs, field: string): void => {
    let attrs = inherited;
    let path = prefix;
    nodes.forEach((n, i) => {
      const node = asRecord(n) ?? {};
      if (Array.isArray(node.nodes)) walk04(node.nodes, join(path, stripRanges(String(node.name ?? ''))).replace(/\.$/, ''), { ...attrs, ...attrsOf(node.attributes, `${field}.${i}.attributes`, file) }, `${field}.${i}.nodes`);
      else if (node.class !== undefined) leaf(node, path, attrs, `${field}.${i}`);
      else {
        // a container: its attributes apply to the nodes after it
        attrs = { ...attrs, ...attrsOf(node.attributes, `${field}.${i}.attributes`, file) };
        if (typeof node.name === 'string') path = join(path, stripRanges(node.name));
      }
    });
  };
  if (Array.isArray(arch.subtree)) arch.subtree.forEach((s, i) => walk03(asRecord(s) ?? {}, '', {}, `architecture.subtree.${i}`));
  else if (Array.isArray(arch.nodes)) walk04(arch.nodes, '', {}, 'architecture.nodes');
  else throw InputError.at({ file, field: 'architecture.subtree', problem: 'missing (v0.3) and no nodes list (v0.4) either', fix: 'give a Timeloop/Accelergy architecture (subtree/local or nodes)' });
  if (leaves.size === 0) throw InputError.at({ file, field: 'architecture', problem: 'has no component (nothing with a class)', fix: 'give the architecture its components' });
  return leaves;
}

/** The actions of CSV rows (a component per row or per file: Accelergy's table files are named after their component class). */
export function csvActions(rows: readonly CsvRow[], file: string, fileComponent: string): HardwareAction[] {
  return rows.map((r) => {
    const attributes: Attrs = { ...r.extra, technology: r.technology };
    if (r.widthBits !== undefined) attributes.width = r.widthBits;
    if (r.depth !== undefined) attributes.depth = r.depth;
    const component = r.component ?? fileComponent;
    return {
      component,
      componentClass: component,
      actions: r.actions,
      energiesPJ: [r.lowPJ ?? r.energyPJ, r.energyPJ, r.highPJ ?? r.energyPJ].filter((x, i, xs) => xs.indexOf(x) === i),
      energyPJ: r.energyPJ,
      attributes,
      where: `${file}: line ${r.line}`,
    };
  });
}

/** Matches each action to its architecture leaf (exact path, else a unique leaf with the same last name), adding class and attributes. */
export function withArchitecture(actions: readonly HardwareAction[], arch: HardwareDescription['architecture']): HardwareAction[] {
  return actions.map((a) => {
    let hit = arch.get(a.component);
    if (!hit) {
      const last = a.component.split('.').pop()!;
      const byLast = [...arch.entries()].filter(([k]) => k.split('.').pop() === last || k.endsWith(`.${a.component}`));
      if (byLast.length === 1) hit = byLast[0][1];
    }
    if (!hit) return a;
    return { ...a, componentClass: a.componentClass ?? hit.componentClass, attributes: { ...hit.attributes, ...a.attributes } };
  });
}
