// The sweep execution cache (cacheDir()/executions): one entry per execution key, through
// core/verified-cache.ts. Besides hash and key, a read checks the ledger's structure and that
// every count in it is finite and ≥ 0 (a negative or NaN count would price into a negative or NaN
// energy in rows.csv), the accuracy (in [0, 1], or none) and the quality metric (finite, ≥ 0).
import { z } from 'zod';
import type { CacheKind, CacheLog } from '../core/verified-cache.js';
import { CacheEntryProblem, readEntry, writeEntry } from '../core/verified-cache.js';
import type { ExecutionResult } from './execute.js';

/** Entries before content hashes were the ExecutionResult itself. */
const EXECUTIONS: CacheKind = { folder: 'executions', format: 1, isLegacy: (doc) => typeof doc.key === 'string' && 'ledger' in doc };

const count = z.number().nonnegative(); // zod's numbers are finite
const stat = z.object({ mean: count, sd: count, min: count, max: count });
const layer = z.object({
  index: z.number().int().nonnegative(),
  name: z.string(),
  geometry: z.object({
    kind: z.string(),
    inputShape: z.array(count),
    outputShape: z.array(count),
    loops: z.record(z.string(), count),
    fanIn: count,
    fanOut: count,
    weightCount: count,
    biasCount: count,
    denseSynOps: count,
    neurons: count,
  }),
  compute: z.array(z.object({ op: z.string(), bits: count, numeric: z.enum(['fp', 'int']), purpose: z.string(), count: stat })),
  memory: z.array(z.object({ operand: z.string(), action: z.enum(['read', 'write']), bits: count, count: stat })),
  activity: z.object({ inputEvents: stat, outputEvents: stat, synOps: stat, spikesPerSynapse: stat, updates: stat, inputSparsity: stat, outputRate: stat }),
  perTimestep: z.object({ inputEvents: z.array(count), outputEvents: z.array(count) }),
  footprint: z.object({ weightBits: count, biasBits: count, stateBits: count }),
  neuron: z.string().nullable(),
  stores: z.array(z.object({ operand: z.string(), words: count, bits: count })).optional(),
});
const result = z.object({
  key: z.string(),
  id: z.string(),
  accuracy: z.number().min(0).max(1).nullable(), // null: NaN, a task without accuracy
  quality: z.object({ metric: z.string(), value: count }).optional(),
  ledger: z.object({
    backend: z.object({ id: z.string(), family: z.enum(['ann', 'snn']), timesteps: z.number().int().min(1), params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) }),
    samples: z.number().int().min(1),
    layers: z.array(layer).min(1),
  }),
});

function decodeExecution(payload: unknown, key: string): ExecutionResult {
  const r = result.safeParse(payload);
  if (!r.success) {
    const issue = r.error.issues[0];
    const at = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new CacheEntryProblem(`result${at}: ${issue.message}`);
  }
  const doc = payload as ExecutionResult & { accuracy: number | null };
  if (doc.key !== key) throw new CacheEntryProblem(`its result is that of key ${doc.key}, not of ${key}`);
  return { ...doc, accuracy: doc.accuracy ?? Number.NaN };
}

/** The cached execution, or null when missing or untrustworthy (said through `log`; the caller recomputes). */
export function readExecution(key: string, log: CacheLog): ExecutionResult | null {
  return readEntry(EXECUTIONS, key, key, (p) => decodeExecution(p, key), log);
}

/** Caches the execution when the cache can be written (a failure is said once; the caller keeps its result). */
export function writeExecution(r: ExecutionResult, log: CacheLog): void {
  writeEntry(EXECUTIONS, r.key, r.key, r, log);
}
