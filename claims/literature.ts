// claims/literature.yaml: published per-model energy claims as data — each with the counts and the
// constants the claim itself states, the number it published (as printed, so its rounding is known),
// and the status the audit is expected to find. `claims/audit.ts` recomputes them.
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { readDocumentText } from '../core/documents.js';
import { parseYaml, validated } from '../core/input.js';
import { packageRoot } from '../core/paths.js';

/** Units a printed number may carry: factor to SI and dimension (energy in joules, or a pure number). */
export const PRINTED_UNITS: Readonly<Record<string, { readonly factor: number; readonly energy: boolean }>> = {
  J: { factor: 1, energy: true },
  mJ: { factor: 1e-3, energy: true },
  'µJ': { factor: 1e-6, energy: true },
  nJ: { factor: 1e-9, energy: true },
  pJ: { factor: 1e-12, energy: true },
  fJ: { factor: 1e-15, energy: true },
  '1': { factor: 1, energy: false },
  '×': { factor: 1, energy: false },
  K: { factor: 1e3, energy: false },
  M: { factor: 1e6, energy: false },
  G: { factor: 1e9, energy: false },
};

export type Expr =
  | { readonly value: number }
  | { readonly input: string; readonly entry?: string }
  | { readonly constant: string }
  | { readonly published: string }
  | { readonly sum: readonly Expr[] }
  | { readonly product: readonly Expr[] }
  | { readonly difference: readonly [Expr, Expr] }
  | { readonly ratio: readonly [Expr, Expr] }
  | { readonly power: readonly [Expr, Expr] };

const num = z.number({ error: 'must be a finite number' });
const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'letters, digits and underscores, starting with a letter');
const entryId = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes');

export const exprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.union([
    z.strictObject({ value: num.describe('an exact number of the formula, e.g. the 2 of 2·n_t·n_c') }),
    z.strictObject({ input: name, entry: entryId.optional().describe('another entry whose input this is') }),
    z.strictObject({ constant: z.string().min(1).describe('a constant id, e.g. horowitz-45nm/fp32-add') }),
    z.strictObject({ published: entryId.describe('the published value of another entry') }),
    z.strictObject({ sum: z.array(exprSchema).min(1) }),
    z.strictObject({ product: z.array(exprSchema).min(1) }),
    z.strictObject({ difference: z.tuple([exprSchema, exprSchema]) }),
    z.strictObject({ ratio: z.tuple([exprSchema, exprSchema]) }),
    z.strictObject({ power: z.tuple([exprSchema, exprSchema]) }),
  ]),
);

const unit = z.string().refine((u) => u in PRINTED_UNITS, { message: `unit must be one of ${Object.keys(PRINTED_UNITS).join(', ')}` });
/** A number as the source printed it: digits, optional decimals, optional exponent; thousands commas allowed. */
export const printedDigits = z.string().regex(/^-?\d{1,3}(,\d{3})*(\.\d+)?(e-?\d+)?$|^-?\d+(\.\d+)?(e-?\d+)?$/, 'a number as printed in the source, e.g. "7.4635", "235,405,312" or "1e4" (quote it in YAML so trailing zeros survive)');

export const printedNumberSchema = z.strictObject({
  printed: printedDigits,
  unit,
  /** Rounding the printed digits imply: half a unit in the last digit (default), or to the nearest power of ten (for "≈10⁴"). */
  rounding: z.enum(['half-unit', 'order-of-magnitude']).optional(),
  /** For integers whose trailing zeros are not significant ("≈1360" to 3 figures). */
  significant: z.number().int().min(1).max(17, 'at most 17 (a double carries about 17 significant digits)').optional(),
  /** Exact by definition (a configuration parameter, a count written out in full): no rounding interval. */
  exact: z.boolean().optional(),
  /** How the source writes the number when it is not literally `printed` ("≈10⁴", "4M"). */
  quoted: z.string().optional(),
  what: z.string().optional(),
  source: z.string().optional(),
});
export type PrintedNumber = z.infer<typeof printedNumberSchema>;

const STATUSES = ['reproduced', 'off', 'not-recomputable'] as const;
export type AuditStatus = (typeof STATUSES)[number];

export const literatureEntrySchema = z
  .strictObject({
    id: entryId,
    model: z.string().min(1),
    /** The publication: paper, arXiv id or repository, and the table or section. */
    source: z.string().min(1),
    /** [P] the claim's own publication or its authors' code; [S] a third-party copy (re-check before trusting). */
    evidence: z.enum(['P', 'S']),
    /** Where in the project's reference notes (shared/reference/) the figures were taken from. */
    reference: z.strictObject({ file: z.string().regex(/^[a-z0-9-]+\.md$/, 'a file name in shared/reference/, e.g. workloads.md'), section: z.string().min(1) }),
    /** Verbatim fragments of the reference notes that state every printed number of the entry. */
    quotes: z.array(z.string().min(1)).min(1),
    published: printedNumberSchema,
    inputs: z.record(name, printedNumberSchema).optional(),
    formula: z.strictObject({ text: z.string().min(1), expr: exprSchema, assumption: z.string().optional() }).optional(),
    /** The operation counts joulebench's memory-inclusive estimate prices (energy claims only). */
    ops: z.strictObject({ mac: exprSchema.optional(), ac: exprSchema.optional(), omitted: z.string().optional() }).optional(),
    derived: z.array(z.strictObject({ label: z.string().min(1), expr: exprSchema, unit })).optional(),
    /** The status this audit finds; the audit fails (exit 1) when it finds another. */
    status: z.enum(STATUSES),
    /** Why the claim cannot be recomputed (required when status is not-recomputable). */
    why: z.string().optional(),
    note: z.string().optional(),
  })
  .refine((e) => (e.status === 'not-recomputable') === (e.formula === undefined), { message: 'give a formula exactly when the status is not not-recomputable', path: ['formula'] })
  .refine((e) => (e.status === 'not-recomputable') === (e.why !== undefined), { message: 'say why (field `why`) exactly when the status is not-recomputable', path: ['why'] })
  .refine((e) => e.ops === undefined || e.ops.mac !== undefined || e.ops.ac !== undefined, { message: 'name at least one of mac or ac', path: ['ops'] });
export type LiteratureEntry = z.infer<typeof literatureEntrySchema>;

const sramSchema = z.strictObject({ constant: z.string().min(1), accessBits: z.number().int().positive(), scaling: z.string().min(1) });
const perOpSchema = z.strictObject({ compute: z.string().min(1), reads: z.number().int().min(0), writes: z.number().int().min(0), what: z.string().min(1) });

export const memoryModelSchema = z.strictObject({
  id: entryId,
  title: z.string().min(1),
  /** Word width of weights, inputs and membrane potentials (the claims price fp32 arithmetic). */
  wordBits: z.number().int().positive(),
  wordBitsSource: z.string().min(1),
  /** Energy of one SRAM access of `accessBits`, scaled to one word; writes cost as much as reads. */
  sram: sramSchema,
  mac: perOpSchema,
  ac: perOpSchema,
  leftOut: z.array(z.string().min(1)).min(1),
});
export type MemoryModel = z.infer<typeof memoryModelSchema>;

export const alternativeSchema = z.strictObject({
  replace: z.string().min(1),
  with: z.string().min(1),
  says: z.string().min(1),
});

export const literatureFileSchema = z.strictObject({
  version: z.literal(1),
  description: z.string().optional(),
  /** Extra constant tables (paths relative to this file), in the format of cost-models/tech/*.yaml. */
  constantTables: z.array(z.string().min(1)).optional(),
  memoryModel: memoryModelSchema,
  /** Known slips to test when a claim does not reproduce: one constant used in place of another. */
  alternatives: z.array(alternativeSchema),
  entries: z.array(literatureEntrySchema).min(1),
});
export type LiteratureFile = z.infer<typeof literatureFileSchema>;

export const DEFAULT_LITERATURE_FILE = join(packageRoot, 'claims', 'literature.yaml');

/** Names every input an expression reads (of this entry, or of another entry). */
export function exprInputs(e: Expr): { input: string; entry?: string }[] {
  if ('input' in e) return [e];
  const parts = 'sum' in e ? e.sum : 'product' in e ? e.product : 'difference' in e ? e.difference : 'ratio' in e ? e.ratio : 'power' in e ? e.power : [];
  return parts.flatMap(exprInputs);
}

/** Every published-value reference of an expression. */
export function exprPublished(e: Expr): string[] {
  if ('published' in e) return [e.published];
  const parts = 'sum' in e ? e.sum : 'product' in e ? e.product : 'difference' in e ? e.difference : 'ratio' in e ? e.ratio : 'power' in e ? e.power : [];
  return parts.flatMap(exprPublished);
}

/** Parses and validates a literature file: schema, unique ids, and that every reference resolves. */
export function parseLiteratureFile(text: string, origin: string): LiteratureFile {
  const file = validated(literatureFileSchema, parseYaml(text, origin), origin, 'see claims/README.md for the literature file format');
  const byId = new Map<string, LiteratureEntry>();
  file.entries.forEach((e, i) => {
    if (byId.has(e.id)) throw new InputError(`${origin}: field entries.${i}.id: "${e.id}" is used twice; ids must be unique`);
    byId.set(e.id, e);
  });
  file.entries.forEach((e, i) => {
    const exprs: [string, Expr][] = [];
    if (e.formula) exprs.push([`entries.${i}.formula.expr`, e.formula.expr]);
    if (e.ops?.mac) exprs.push([`entries.${i}.ops.mac`, e.ops.mac]);
    if (e.ops?.ac) exprs.push([`entries.${i}.ops.ac`, e.ops.ac]);
    (e.derived ?? []).forEach((d, k) => exprs.push([`entries.${i}.derived.${k}.expr`, d.expr]));
    for (const [field, x] of exprs) {
      for (const ref of exprInputs(x)) {
        const owner = ref.entry === undefined ? e : byId.get(ref.entry);
        if (!owner) throw new InputError(`${origin}: field ${field}: unknown entry "${ref.entry}"`);
        if (!owner.inputs || !(ref.input in owner.inputs)) {
          const known = Object.keys(owner.inputs ?? {});
          throw new InputError(`${origin}: field ${field}: entry ${owner.id} has no input "${ref.input}"; ${known.length > 0 ? `its inputs are ${known.join(', ')}` : 'it has no inputs'}`);
        }
      }
      for (const ref of exprPublished(x)) if (!byId.has(ref)) throw new InputError(`${origin}: field ${field}: unknown entry "${ref}"`);
    }
  });
  return file;
}

/** Reads a literature file; a missing file or a folder is one line naming the option. */
export function readLiteratureFile(path: string, option = '--file'): LiteratureFile {
  return parseLiteratureFile(readDocumentText({ path, field: option, what: 'a literature file (YAML)' }), path);
}
