// claims/measured.yaml as data: its schema, reading, and the one sentence per chip profile that a
// run's report shows (read from the file alone; `joulebench audit` — claims/measured.ts — holds the
// recorded ratios to what the profiles compute). Kept apart from the audit so that rendering a report
// does not load the pricing.
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { readDocumentText } from '../core/documents.js';
import { parseYaml, validated } from '../core/input.js';
import { packageRoot } from '../core/paths.js';
import { PRINTED_UNITS, printedDigits } from './literature.js';

export const DEFAULT_MEASURED_FILE = join(packageRoot, 'claims', 'measured.yaml');

export const POWER_UNITS: Readonly<Record<string, number>> = { W: 1, mW: 1e-3, 'µW': 1e-6 };
const ENERGY_UNITS = Object.keys(PRINTED_UNITS).filter((u) => PRINTED_UNITS[u].energy);

const quantity = (units: readonly string[]) =>
  z.strictObject({
    printed: printedDigits,
    unit: z.string().refine((u) => units.includes(u), { message: `unit must be one of ${units.join(', ')}` }),
    /** Exact by definition (e.g. one inference per second): shown without rounding. */
    exact: z.boolean().optional(),
  });

const measuredSchema = z
  .strictObject({
    energy: quantity(ENERGY_UNITS).optional().describe('the energy per inference as printed'),
    power: quantity(Object.keys(POWER_UNITS)).optional().describe('the power as printed'),
    rate: quantity(['/s']).optional().describe('inferences per second as printed'),
    what: z.string().min(1),
  })
  .refine((m) => (m.energy !== undefined) !== (m.power !== undefined && m.rate !== undefined) && (m.power === undefined) === (m.rate === undefined), {
    message: 'give either energy (per inference) or power with rate (inferences per second)',
  });

const STATUSES = ['compared', 'not-compared'] as const;
export type MeasuredStatus = (typeof STATUSES)[number];

const rowSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes'),
    chip: z.string().min(1),
    /** The built-in profile held against the measurement; null for a chip joulebench has no profile of. */
    profile: z.string().min(1).nullable(),
    network: z.string().min(1).optional(),
    operatingPoint: z.string().min(1).optional(),
    /** The network's recorded activity (joulebench-activity), relative to this file. */
    activity: z.string().min(1).optional(),
    /** What the counts assume where the measured run's activity is not published. */
    assumed: z.string().min(1).optional(),
    measured: measuredSchema.optional(),
    source: z.string().min(1).optional(),
    evidence: z.enum(['P', 'S']).optional(),
    reference: z.string().min(1).optional(),
    /** Why the chip is not compared (required then). */
    why: z.string().min(1).optional(),
    note: z.string().optional(),
    /** What the audit must find: the status, and for a compared row modelled ÷ measured to 3 significant digits. */
    recorded: z.strictObject({ status: z.enum(STATUSES), ratio: printedDigits.optional() }),
  })
  .refine((r) => r.recorded.status === 'not-compared' || (r.network && r.operatingPoint && r.activity && r.assumed && r.measured && r.source && r.evidence && r.reference && r.profile && r.recorded.ratio), {
    message: 'a compared row needs profile, network, operatingPoint, activity, assumed, measured, source, evidence, reference and recorded.ratio',
    path: ['recorded'],
  })
  .refine((r) => r.recorded.status === 'compared' || (r.why !== undefined && r.activity === undefined && r.recorded.ratio === undefined), {
    message: 'a not-compared row says why (field `why`) and has no activity or recorded ratio',
    path: ['why'],
  });
export type MeasuredRow = z.infer<typeof rowSchema>;

export const measuredFileSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1 (the format version this joulebench reads)' }),
  description: z.string().min(1),
  rows: z.array(rowSchema).min(1),
});
export type MeasuredFile = z.infer<typeof measuredFileSchema>;

const FIX = 'see claims/measured.yaml and claims/README.md for the format';

export function parseMeasuredFile(text: string, origin: string): MeasuredFile {
  const file = validated(measuredFileSchema, parseYaml(text, origin), origin, FIX);
  const seen = new Set<string>();
  file.rows.forEach((r, i) => {
    if (seen.has(r.id)) throw InputError.at({ file: origin, field: `field rows.${i}.id`, problem: `"${r.id}" is used twice`, fix: 'give every row its own id' });
    seen.add(r.id);
  });
  return file;
}

export function readMeasuredFile(path: string, option = '--measured'): MeasuredFile {
  return parseMeasuredFile(readDocumentText({ path, field: option, what: 'a measured-vs-modelled file (claims/measured.yaml)' }), path);
}

/**
 * For each profile the file names: how it fared (the recorded ratios, or why it was not compared),
 * read from the file alone — the audit (`joulebench audit`, run by the tests) holds the recorded
 * ratios to what the profiles compute. For the chip section of a run's report.
 */
export function measuredByProfile(file: MeasuredFile = readMeasuredFile(DEFAULT_MEASURED_FILE)): ReadonlyMap<string, string> {
  const out = new Map<string, string[]>();
  for (const r of file.rows) {
    if (r.profile === null) continue;
    const text =
      r.recorded.status === 'compared'
        ? `modelled ÷ measured = ${r.recorded.ratio} on ${r.network}, ${r.operatingPoint} (claims/measured.yaml ${r.id})`
        : `no measurement compared: ${r.why!.trim()}`;
    out.set(r.profile, [...(out.get(r.profile) ?? []), text]);
  }
  return new Map([...out].map(([k, v]) => [k, v.join('; ')]));
}
