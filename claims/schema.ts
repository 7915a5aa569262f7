// claims.yaml: efficiency claims as data. A claim names a quantity computed from a run's results
// (an energy, a ratio of two, an accuracy, a ledger metric, a constant or a published value) and a
// condition it must meet, under one or more hardware profiles. Modeled energies are deterministic,
// so claims gate exactly — no noise thresholds.
import { z } from 'zod';

const num = z.number({ error: 'must be a finite number' });

export type Quantity =
  | { readonly energy: string; readonly profile?: string }
  | { readonly accuracy: string }
  | { readonly metric: string; readonly config: string; readonly layer?: string }
  | { readonly value: number; readonly unit?: string; readonly source?: string }
  | { readonly constant: string }
  | { readonly ratio: readonly [Quantity, Quantity] }
  | { readonly difference: readonly [Quantity, Quantity] }
  | { readonly product: readonly Quantity[] }
  | { readonly sum: readonly Quantity[] };

export const quantitySchema: z.ZodType<Quantity> = z.lazy(() =>
  z.union([
    z.strictObject({ energy: z.string().min(1).describe('configuration id, e.g. snn-if-T16'), profile: z.string().min(1).optional() }),
    z.strictObject({ accuracy: z.string().min(1) }),
    z.strictObject({ metric: z.string().min(1), config: z.string().min(1), layer: z.string().min(1).optional() }),
    z.strictObject({ value: num, unit: z.string().optional(), source: z.string().optional() }),
    z.strictObject({ constant: z.string().min(1).describe('a constant id, e.g. horowitz-45nm/fp32-mac (value in SI units)') }),
    z.strictObject({ ratio: z.tuple([quantitySchema, quantitySchema]) }),
    z.strictObject({ difference: z.tuple([quantitySchema, quantitySchema]) }),
    z.strictObject({ product: z.array(quantitySchema).min(1) }),
    z.strictObject({ sum: z.array(quantitySchema).min(1) }),
  ]),
);

export type Condition =
  | { readonly '<': number }
  | { readonly '<=': number }
  | { readonly '>': number }
  | { readonly '>=': number }
  | { readonly '==': number }
  | { readonly within: { readonly value: number; readonly rel?: number; readonly abs?: number } };

export const conditionSchema: z.ZodType<Condition> = z.union([
  z.strictObject({ '<': num }),
  z.strictObject({ '<=': num }),
  z.strictObject({ '>': num }),
  z.strictObject({ '>=': num }),
  z.strictObject({ '==': num }),
  z.strictObject({
    within: z
      .strictObject({ value: num, rel: num.min(0).optional(), abs: num.min(0).optional() })
      .refine((w) => w.rel !== undefined || w.abs !== undefined, 'give a relative (rel) or absolute (abs) tolerance'),
  }),
]);

export const claimSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dots, dashes and underscores'),
  description: z.string().optional(),
  quantity: quantitySchema,
  condition: conditionSchema,
  /** The claim must hold under each of these profiles (energies without their own profile use it). */
  profiles: z.array(z.string().min(1)).min(1).optional(),
  source: z.string().optional(),
});
export type Claim = z.infer<typeof claimSchema>;

/** What to run to obtain the results (same names as `joulebench run` options). */
export const runSpecSchema = z.strictObject({
  workload: z.string().optional(),
  backends: z.array(z.string()).min(1).optional(),
  timesteps: z.array(z.number()).min(1).optional(),
  'cost-models': z.array(z.string()).min(1).optional(),
  samples: z.number().optional(),
  'calibration-samples': z.number().optional(),
  norm: z.string().optional(),
  seed: z.number().optional(),
  neuron: z.string().optional(),
  reset: z.string().optional(),
  beta: z.number().optional(),
  alpha: z.number().optional(),
  refractory: z.number().optional(),
  coding: z.string().optional(),
  execution: z.array(z.string()).min(1).optional(),
  quant: z.array(z.string()).optional(),
  /** Your own network and data (paths relative to the claims file): an ONNX model … */
  onnx: z.string().min(1).optional(),
  dataset: z.string().optional(),
  inputs: z.string().min(1).optional(),
  labels: z.string().min(1).optional(),
  /** … or a NIR graph at step dt, on inputs or an event folder. */
  nir: z.string().min(1).optional(),
  dt: z.number().optional(),
  discretization: z.string().optional(),
  'nir-reset': z.string().optional(),
  events: z.string().min(1).optional(),
  'bin-us': z.number().optional(),
  bins: z.number().optional(),
});
export type RunSpec = z.infer<typeof runSpecSchema>;

export const claimsFileSchema = z
  .strictObject({
    version: z.literal(1),
    description: z.string().optional(),
    /** A results.json to check (path relative to the claims file) … */
    results: z.string().min(1).optional(),
    /** … or a run to execute. */
    run: runSpecSchema.optional(),
    claims: z.array(claimSchema).min(1),
  })
  .refine((f) => (f.results === undefined) !== (f.run === undefined), { message: 'give exactly one of `results` (a results.json path) or `run` (what to run)' });
export type ClaimsFile = z.infer<typeof claimsFileSchema>;
