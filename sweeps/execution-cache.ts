// The sweep execution cache (cacheDir()/executions): one entry per execution key, through
// core/verified-cache.ts. Besides hash and key, a read checks the entry against the published schema
// (reports/results-schema.ts executionSchema: the ledger as results.json holds it): every count
// finite and ≥ 0 (a negative or NaN count would price into a negative or NaN energy in rows.csv),
// the accuracy in [0, 1] or none, the quality metric finite and ≥ 0.
import type { CacheKind, CacheLog } from '../core/verified-cache.js';
import { CacheEntryProblem, readEntry, writeEntry } from '../core/verified-cache.js';
import { executionSchema } from '../reports/results-schema.js';
import type { ExecutionResult } from './execute.js';

/** Entries before content hashes were the ExecutionResult itself. */
const EXECUTIONS: CacheKind = { folder: 'executions', format: 1, isLegacy: (doc) => typeof doc.key === 'string' && 'ledger' in doc };

function decodeExecution(payload: unknown, key: string): ExecutionResult {
  const r = executionSchema.safeParse(payload);
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
