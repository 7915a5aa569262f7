// What a report chart is (a Vega-Lite spec with an id and a title) and the pieces the sequence and
// brain charts share: fixed colours per name, so that two reports draw the same profile or family in
// the same colour, and log axes labelled at decades.
import type { TopLevelSpec } from 'vega-lite';

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** 20 distinguishable colours (Tableau 10 and a darker/lighter companion set). */
export const PALETTE: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#79706e',
  '#1f3b73', '#a0522d', '#2e8b57', '#8b0a50', '#6b8e23', '#483d8b', '#d2691e', '#008b8b', '#bc8f8f', '#000000',
];

/** The built-in profiles and sequence families, each with its own palette slot (its colour in every report). */
const FIXED: Readonly<Record<string, number>> = {
  // profiles (cost-models/profiles/*.yaml)
  'ops-only-45nm': 0,
  'ann-no-reuse-45nm': 1,
  'ann-ideal-reuse-45nm': 2,
  'eyeriss-rs-65nm': 3,
  'eyeriss-ws-65nm': 4,
  'neuromorphic-core-45nm': 5,
  'lemaire-2022': 6,
  loihi: 7,
  odin: 8,
  'spinnaker-1': 9,
  'spinnaker-2': 10,
  truenorth: 11,
  // sequence block families (workloads/sequence/registry.ts)
  softmax: 0,
  gqa: 10,
  fox: 1,
  'stick-breaking': 11,
  linear: 2,
  gla: 12,
  mamba: 4,
  'block-sparse': 8,
  landmark: 9,
  spikformer: 6,
  sdsa: 7,
  spikegpt: 3,
};

function hash(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * A colour scale for `domain` (in legend order): built-in names take their fixed colour; any other
 * name its hashed slot, moved on to the next free slot when a name of the same chart holds it.
 */
export function fixedColours(domain: readonly string[]): { domain: string[]; range: string[] } {
  const used = new Set<number>();
  const slot = new Map<string, number>();
  for (const name of domain) if (name in FIXED && !used.has(FIXED[name])) {
    slot.set(name, FIXED[name]);
    used.add(FIXED[name]);
  }
  for (const name of domain) {
    if (slot.has(name)) continue;
    let s = hash(name) % PALETTE.length;
    for (let i = 0; i < PALETTE.length && used.has(s); i++) s = (s + 1) % PALETTE.length;
    slot.set(name, s);
    used.add(s);
  }
  return { domain: [...domain], range: domain.map((n) => PALETTE[slot.get(n)!]) };
}

/** Colours by order of appearance (names that belong to one model, such as its layers). */
export function orderedColours(domain: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...domain], range: domain.map((_, i) => PALETTE[i % PALETTE.length]) };
}

/** Decades covering the positive values (at least two ticks: 1-2-5 steps when they span less than a decade). */
export function logTicks(values: readonly number[]): number[] {
  const pos = values.filter((x) => x > 0 && Number.isFinite(x));
  if (pos.length === 0) return [];
  const lo = Math.floor(Math.log10(Math.min(...pos)));
  const hi = Math.ceil(Math.log10(Math.max(...pos)));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) ticks.push(Number(`1e${e}`));
  if (hi - lo >= 2) return ticks;
  const fine: number[] = [];
  for (let e = lo; e <= hi; e++) for (const m of [1, 2, 5]) if (e < hi || m === 1) fine.push(Number(`${m}e${e}`));
  return fine;
}

/** The decade at or below the smallest positive value: a positive base for log-scale bars. */
export function logBase(values: readonly number[]): number {
  const pos = values.filter((x) => x > 0 && Number.isFinite(x));
  return pos.length > 0 ? Number(`1e${Math.floor(Math.log10(Math.min(...pos)))}`) : 1e-12;
}

/** A log axis of joules labelled at decades with an SI prefix ("10 nJ"). */
export function joulesAxis(values: readonly number[], title: string): Record<string, unknown> {
  return { title, values: logTicks(values), format: '~s', labelExpr: "replace(datum.label, regexp('([0-9])([^0-9.]*)$'), '$1 $2') + 'J'", grid: true };
}

/** Facet columns for n panels: all in one row up to 3, two by two for 4, else rows of 3. */
export function facetColumns(n: number): number {
  return n <= 3 ? Math.max(1, n) : n === 4 ? 2 : 3;
}

/** A legend wide enough for profile ids. */
export const LEGEND = { labelLimit: 260 } as const;

/**
 * A chart of one panel per value of `field` (in `order`), wrapped into rows (facetColumns); `panel`
 * is the Vega-Lite spec of one panel (its width, height, mark and encoding).
 */
export function facetChart<T extends Record<string, unknown>>(id: string, title: string, values: readonly T[], field: keyof T & string, order: readonly string[], panel: FacetPanel, resolve?: FacetSpec['resolve']): ChartSpec {
  const panels = new Set(values.map((v) => v[field])).size;
  return { id, title, spec: { $schema: VEGA_LITE_SCHEMA, data: { values: [...values] }, facet: { field, type: 'nominal', title: null, sort: [...order] }, columns: facetColumns(panels), ...(resolve ? { resolve } : {}), spec: panel } };
}

type FacetSpec = Extract<TopLevelSpec, { facet: unknown }>;
/** The spec of one panel of a facet chart. */
export type FacetPanel = FacetSpec['spec'];
/** A y encoding of a panel. */
export type YEncoding = NonNullable<NonNullable<Extract<FacetPanel, { mark: unknown }>['encoding']>['y']>;
