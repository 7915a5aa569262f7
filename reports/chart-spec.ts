// What a report chart is (a Vega-Lite spec with an id and a title) and the pieces every report's
// charts share (run, sweep, sequence, brain, and the exported files): fixed colours per name, so that
// two reports draw the same profile or family in the same colour; one fixed colour and fill per energy
// category (component × operand / op); log axes labelled at decades with SI prefixes; panel widths that
// keep every chart inside the report's 1,200 px column; the config every chart is compiled with.
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
  'hala-point': 12,
  northpole: 13,
  'hala-point-dnn': 14,
  // sequence block families (workloads/sequence/registry.ts)
  softmax: 0,
  gqa: 10,
  fox: 1,
  'fox-acp': 16,
  'stick-breaking': 11,
  linear: 2,
  gla: 12,
  mamba: 4,
  mamba2: 14,
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
  const fine = fineLogTicks(values);
  const decades = fine.filter((t) => /^1e/.test(t.toExponential()));
  return decades.length >= 3 ? decades : fine;
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

/** Panel titles made of parts joined by ' · ' (pair of profiles · layer) are drawn one part a line, so they stay as narrow as their panel. */
export const PANEL_SEPARATOR = ' · ';
const PANEL_LABEL = `split(datum.label, '${PANEL_SEPARATOR}')`;

/**
 * A chart of one panel per value of `field` (in `order`), wrapped into rows (facetColumns); `panel`
 * is the Vega-Lite spec of one panel (its width, height, mark and encoding).
 */
export function facetChart<T extends Record<string, unknown>>(id: string, title: string, values: readonly T[], field: keyof T & string, order: readonly string[], panel: FacetPanel, resolve?: FacetSpec['resolve'], columns?: number): ChartSpec {
  const panels = new Set(values.map((v) => v[field])).size;
  return { id, title, spec: { $schema: VEGA_LITE_SCHEMA, data: { values: [...values] }, facet: { field, type: 'nominal', title: null, sort: [...order], header: { labelFontSize: 12, labelLimit: 0, labelExpr: PANEL_LABEL } }, columns: columns ?? facetColumns(panels), ...(resolve ? { resolve } : {}), spec: panel } };
}

type FacetSpec = Extract<TopLevelSpec, { facet: unknown }>;
/** The spec of one panel of a facet chart. */
export type FacetPanel = FacetSpec['spec'];
/** A y encoding of a panel. */
export type YEncoding = NonNullable<NonNullable<Extract<FacetPanel, { mark: unknown }>['encoding']>['y']>;

// ---------------------------------------------------------------------------------------------
// Energy categories: one fixed style per component × operand / op, the same in every report and export.

/** How a category's bar is filled: solid, or outlined (a light fill inside a stroke of the colour). */
export type CategoryFill = 'solid' | 'outlined';

export interface CategoryStyle {
  readonly colour: string;
  readonly fill: CategoryFill;
}

/**
 * Every energy category the cost models emit (`component: operand` of an EnergyItem; compute items
 * carry the op, memory items the operand, all-in items the chip figure), in legend order, each with
 * its own colour and fill. The 20 most common take the 20 colours of Tableau 20, solid; the rest
 * reuse a colour outlined. No two categories share colour and fill (test/report-colours.test.ts).
 */
export const CATEGORY_STYLES: Readonly<Record<string, CategoryStyle>> = {
  'compute: mac': { colour: '#4e79a7', fill: 'solid' },
  'compute: ac': { colour: '#f28e2b', fill: 'solid' },
  'compute: acc': { colour: '#59a14f', fill: 'solid' },
  'compute: add': { colour: '#b6992d', fill: 'solid' },
  'compute: mul': { colour: '#d37295', fill: 'solid' },
  'compute: cmp': { colour: '#79706e', fill: 'solid' },
  'compute: index': { colour: '#9d7660', fill: 'solid' },
  'compute: exp': { colour: '#4e79a7', fill: 'outlined' },
  'compute: log': { colour: '#f28e2b', fill: 'outlined' },
  'compute: div': { colour: '#59a14f', fill: 'outlined' },
  'memory: weight': { colour: '#e15759', fill: 'solid' },
  'memory: input': { colour: '#499894', fill: 'solid' },
  'memory: output': { colour: '#b07aa1', fill: 'solid' },
  'memory: bias': { colour: '#f1ce63', fill: 'solid' },
  'memory: potential': { colour: '#a0cbe8', fill: 'solid' },
  'memory: event': { colour: '#ffbe7d', fill: 'solid' },
  'memory: psum': { colour: '#8cd17d', fill: 'solid' },
  'memory: current': { colour: '#ff9d9a', fill: 'solid' },
  'memory: timestamp': { colour: '#86bcb6', fill: 'solid' },
  'memory: state': { colour: '#d4a6c8', fill: 'solid' },
  'memory: kv': { colour: '#fabfd2', fill: 'solid' },
  'memory: score': { colour: '#bab0ac', fill: 'solid' },
  'memory: address': { colour: '#d7b5a6', fill: 'solid' },
  'memory: lut_row': { colour: '#e15759', fill: 'outlined' },
  'memory: index': { colour: '#499894', fill: 'outlined' },
  'memory: trace': { colour: '#b07aa1', fill: 'outlined' },
  'all-in: synaptic-event': { colour: '#b6992d', fill: 'outlined' },
  'all-in: neuron-update': { colour: '#79706e', fill: 'outlined' },
  'all-in: spike': { colour: '#9d7660', fill: 'outlined' },
  'all-in: synaptic-update': { colour: '#d37295', fill: 'outlined' },
  'all-in: mac': { colour: '#f1ce63', fill: 'outlined' },
};

const KNOWN_CATEGORIES = Object.keys(CATEGORY_STYLES);

/**
 * The style of a category. A category no built-in cost model emits (a plugin's own operand) takes a
 * colour by a hash of its name, drawn with a dashed outline: the same in every report, whatever else
 * the chart holds.
 */
export function categoryStyle(category: string): CategoryStyle & { readonly dashed: boolean } {
  const known = CATEGORY_STYLES[category];
  if (known) return { ...known, dashed: false };
  return { colour: PALETTE[hash(category) % PALETTE.length], fill: 'outlined', dashed: true };
}

/** Categories in legend order: the built-in ones in CATEGORY_STYLES order, then any other by name. */
export function sortCategories(categories: Iterable<string>): string[] {
  const set = new Set(categories);
  return [...KNOWN_CATEGORIES.filter((c) => set.has(c)), ...[...set].filter((c) => !(c in CATEGORY_STYLES)).sort()];
}

/**
 * The encodings that draw `field` (holding category names) in each category's fixed style: colour,
 * fill opacity and stroke share one domain, so the legend is one list with each category's swatch.
 */
export function categoryEncoding(field: string, categories: Iterable<string>, title: string): Record<string, unknown> {
  const domain = sortCategories(categories);
  const styles = domain.map(categoryStyle);
  // the legend's swatches take each category's fill too (vega-lite would draw them all solid)
  const legend = { ...LEGEND, orient: 'top', direction: 'horizontal', columns: Math.min(6, Math.max(1, domain.length)), title, symbolStrokeWidth: 1.5, encode: { symbols: { update: { fillOpacity: { scale: 'fillOpacity', field: 'value' } } } } };
  return {
    color: { field, type: 'nominal', sort: domain, title, scale: { domain, range: styles.map((s) => s.colour) }, legend },
    fillOpacity: { field, type: 'nominal', sort: domain, title, scale: { type: 'ordinal', domain, range: styles.map((s) => (s.fill === 'solid' ? 1 : 0.3)) }, legend },
    strokeDash: { field, type: 'nominal', sort: domain, title, scale: { domain, range: styles.map((s) => (s.dashed ? [3, 2] : [1, 0])) }, legend },
    stroke: { field, type: 'nominal', sort: domain, title, scale: { domain, range: styles.map((s) => s.colour) }, legend },
  };
}

// ---------------------------------------------------------------------------------------------
// Layout: every chart fits the report's column.

/** The width of the report's column (page.ts: body max-width); no chart may be wider. */
export const PAGE_WIDTH = 1200;

/**
 * The width of one facet panel when `columns` panels share a row: the column less room for the y
 * axis and title of each panel (`axis`), the row headers and a legend at the side (`side`).
 */
export function panelWidth(columns: number, { side = 0, axis = 80, max = 420, min = 90 } = {}): number {
  return Math.max(min, Math.min(max, Math.floor((PAGE_WIDTH - 60 - side) / Math.max(1, columns) - axis)));
}

/** The config every chart is compiled with (page.ts and chart-export.ts): full legend labels, quantitative labels that never overlap. */
export const CHART_CONFIG = {
  legend: { labelLimit: 0, titleLimit: 0 },
  axisQuantitative: { labelOverlap: 'greedy', labelFlush: false },
  header: { labelLimit: 0 },
  font: 'DejaVu Sans, Verdana, sans-serif',
} as const;

/** A spec with the shared config merged under its own. */
export function withChartConfig(spec: TopLevelSpec): TopLevelSpec {
  const own = (spec as { config?: Record<string, unknown> }).config ?? {};
  return { ...spec, config: { ...CHART_CONFIG, ...own } } as TopLevelSpec;
}

/**
 * A log axis of joules with SI prefixes ("10 nJ") at decades (1-2-5 steps over less than two
 * decades, or always with `fine`, for panels with their own scales), labels kept apart.
 */
export function logJoulesAxis(values: readonly number[], title: string, fine = false): Record<string, unknown> {
  const axis = { ...joulesAxis(values, title), labelOverlap: 'greedy' };
  return fine ? { ...axis, values: fineLogTicks(values) } : axis;
}

/** 1-2-5 ticks over every decade the positive values span. */
export function fineLogTicks(values: readonly number[]): number[] {
  const pos = values.filter((x) => x > 0 && Number.isFinite(x));
  if (pos.length === 0) return [];
  const lo = Math.floor(Math.log10(Math.min(...pos)));
  const hi = Math.ceil(Math.log10(Math.max(...pos)));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) for (const m of [1, 2, 5]) if (e < hi || m === 1) ticks.push(Number(`${m}e${e}`));
  return ticks;
}

/** A linear axis of joules with SI prefixes ("20 µJ") and a few ticks. */
export function linearJoulesAxis(title: string): Record<string, unknown> {
  return { title, format: '~s', tickCount: 5, labelExpr: "datum.value === 0 ? '0' : replace(datum.label, regexp('([0-9])([^0-9.]*)$'), '$1 $2') + 'J'" };
}
