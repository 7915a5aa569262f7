// sweep.yaml: a design-space sweep as data. Workload-side axes (what runs: workload, backend, T,
// neuron, coding, …) and hardware-side axes (how it is priced: profile and its parameters) are
// expanded separately — every execution is priced at every hardware point, so re-costing over
// hardware never re-runs a workload. Each side is a grid (cartesian product) and/or zip (lists
// iterated together) over fixed values.
import { z } from 'zod';
import { parseYaml, validated } from '../core/input.js';
import { InputError } from '../core/errors.js';
export { WORKLOAD_KEYS } from './keys.js';
import { WORKLOAD_KEYS } from './keys.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** null in an axis means "not set at this point" (e.g. a parameter only some profiles have). */
const axes = z.record(z.string(), z.array(scalar).min(1));

const sideSchema = z.strictObject({
  fixed: z.record(z.string(), scalar).default({}),
  grid: axes.default({}),
  zip: axes.default({}),
});

export const sweepSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dots, dashes and underscores'),
  description: z.string().optional(),
  workload: sideSchema,
  hardware: sideSchema,
});
export type SweepSpec = z.infer<typeof sweepSchema>;

/** Workload-side keys and their meaning (same names as `joulebench run` options). */

/** Hardware-side keys: `profile`, and `param.<name>` overriding a profile parameter. */
export const HARDWARE_KEYS = ['profile'] as const;

export type Point = Readonly<Record<string, string | number | boolean>>;

/**
 * Limits of one sweep file. Every point is held in memory and gets a chunk file (six-digit names), so
 * a grid's size is checked before it is expanded: a typo such as 10⁹ points is refused at once.
 */
export const MAX_SWEEP_EXECUTIONS = 100_000;
export const MAX_SWEEP_HARDWARE_POINTS = 10_000;
/** Rows of rows.csv (executions × hardware points). */
export const MAX_SWEEP_ROWS = 1_000_000;

/** The number of points a side expands to, and the axis with the most values (to say how to split). */
function sidePoints(side: SweepSpec['workload']): { points: number; largest: { key: string; values: number } | null } {
  const zipKeys = Object.keys(side.zip);
  let points = zipKeys.length === 0 ? 1 : side.zip[zipKeys[0]].length;
  let largest: { key: string; values: number } | null = zipKeys.length === 0 ? null : { key: zipKeys[0], values: points };
  for (const [k, values] of Object.entries(side.grid)) {
    points *= values.length;
    if (largest === null || values.length > largest.values) largest = { key: k, values: values.length };
  }
  return { points, largest };
}

/** Refuses a sweep above the limits, before anything is expanded, saying how to split it. */
export function checkSweepSize(spec: SweepSpec, origin: string): void {
  const w = sidePoints(spec.workload);
  const h = sidePoints(spec.hardware);
  const split = (side: 'workload' | 'hardware', largest: { key: string; values: number } | null) =>
    `split it into several sweep files${largest ? ` (e.g. one per value of ${side}.${largest.key}, which has ${largest.values})` : ''}, each within the limit, and run each (with --shard i/N to spread one over machines); merge joins only the shards of one file`;
  const fmt = (x: number) => (x >= 1e6 ? x.toExponential(2) : String(x));
  if (w.points > MAX_SWEEP_EXECUTIONS) {
    throw InputError.at({ file: origin, field: 'workload', problem: `expands to ${fmt(w.points)} executions; a sweep file may have at most ${MAX_SWEEP_EXECUTIONS}`, fix: split('workload', w.largest) });
  }
  if (h.points > MAX_SWEEP_HARDWARE_POINTS) {
    throw InputError.at({ file: origin, field: 'hardware', problem: `expands to ${fmt(h.points)} hardware points; a sweep file may have at most ${MAX_SWEEP_HARDWARE_POINTS}`, fix: split('hardware', h.largest) });
  }
  if (w.points * h.points > MAX_SWEEP_ROWS) {
    throw InputError.at({ file: origin, field: 'workload × hardware', problem: `${w.points} executions × ${h.points} hardware points give ${fmt(w.points * h.points)} rows; a sweep file may have at most ${MAX_SWEEP_ROWS}`, fix: split('workload', w.largest) });
  }
}

function expandSide(side: SweepSpec['workload'], where: string): Point[] {
  const zipKeys = Object.keys(side.zip);
  const zipLen = zipKeys.length === 0 ? 1 : side.zip[zipKeys[0]].length;
  for (const k of zipKeys) {
    if (side.zip[k].length !== zipLen) throw new InputError(`${where}.zip.${k}: has ${side.zip[k].length} values but ${zipKeys[0]} has ${zipLen}; zipped lists must have equal lengths`);
  }
  const all = [...Object.keys(side.fixed), ...Object.keys(side.grid), ...zipKeys];
  const dup = all.find((k, i) => all.indexOf(k) !== i);
  if (dup) throw new InputError(`${where}: key "${dup}" appears in more than one of fixed, grid and zip`);
  type Raw = Record<string, string | number | boolean | null>;
  let points: Raw[] = [];
  for (let i = 0; i < zipLen; i++) points.push(Object.fromEntries(zipKeys.map((k) => [k, side.zip[k][i]])));
  for (const [k, values] of Object.entries(side.grid)) {
    points = points.flatMap((p) => values.map((v) => ({ ...p, [k]: v })));
  }
  return points.map((p) => Object.fromEntries(Object.entries({ ...side.fixed, ...p }).filter(([, v]) => v !== null)) as Point);
}

export interface ExpandedSweep {
  readonly spec: SweepSpec;
  readonly executions: Point[];
  readonly hardware: Point[];
}

export function parseSweep(text: string, origin: string): ExpandedSweep {
  const spec = validated(sweepSchema, parseYaml(text, origin), origin, 'see sweeps/README.md for the sweep file format');
  for (const k of [...Object.keys(spec.workload.fixed), ...Object.keys(spec.workload.grid), ...Object.keys(spec.workload.zip)]) {
    if (!(WORKLOAD_KEYS as readonly string[]).includes(k)) throw new InputError(`${origin}: field workload: unknown key "${k}"; use ${WORKLOAD_KEYS.join(', ')}`);
  }
  for (const k of [...Object.keys(spec.hardware.fixed), ...Object.keys(spec.hardware.grid), ...Object.keys(spec.hardware.zip)]) {
    if (k !== 'profile' && !/^param\.[A-Za-z][A-Za-z0-9]*$/.test(k)) throw new InputError(`${origin}: field hardware: unknown key "${k}"; use profile or param.<parameter name>`);
  }
  return expandSweep(spec, origin);
}

/** Expands a validated spec into its execution and hardware points, in a fixed order. */
export function expandSweep(spec: SweepSpec, origin: string): ExpandedSweep {
  checkSweepSize(spec, origin);
  const executions = expandSide(spec.workload, `${origin}: field workload`);
  const hardware = expandSide(spec.hardware, `${origin}: field hardware`);
  if (!hardware.every((h) => typeof h.profile === 'string')) throw new InputError(`${origin}: field hardware: every hardware point needs a profile`);
  return { spec, executions, hardware };
}

/** sweep.json: the spec of the sweep a folder holds, and its hash (checked against the spec when read). */
export const sweepMetaSchema = z.strictObject({
  schema: z.literal('joulebench/sweep'),
  version: z.literal(1),
  hash: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hexadecimal digits'),
  spec: sweepSchema,
  executions: z.number().int().min(0),
  hardwarePoints: z.number().int().min(1),
});
export type SweepMeta = z.infer<typeof sweepMetaSchema>;
