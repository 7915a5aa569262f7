// The one way joulebench reads and writes its caches under cacheDir() (trained weights, sequence LM
// checkpoints, sweep executions), so a damaged, stale or foreign entry never reaches a result and a
// cache that cannot be written never stops a run.
//
// An entry is a JSON envelope {joulebench: 'cache-entry', kind, format, key, sha256, payload}: sha256
// covers kind, format, key and the payload's JSON. On read the envelope, the hash, the key (the entry
// must be the one asked for, not another copied over it) and the payload's structure (the caller's
// `decode`: shapes, finite numbers, non-negative counts) are checked. Anything wrong is said in one
// line naming the file and the caller recomputes; its new entry replaces the bad one atomically.
// Entries written before entries carried a hash are stale: recomputed, said once per folder.
//
// Whether the cache can be written is probed once per cache folder and thread with a real write
// (permission bits say nothing to root; a read-only mount or a full disk only shows on writing). A
// cache that cannot be written is still read; nothing is written to it, said once. A write that fails
// later (ENOSPC) is said once, caching stops for the rest of the process, and the caller goes on with
// the result it holds in memory.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import { writeFileAtomic } from './atomic-write.js';
import { oneLine } from './errors.js';
import { cacheDir } from './paths.js';
import { warnOf } from './log.js';

export type CacheLog = (line: string) => void;

/** What is wrong with an entry's payload, said by a kind's `decode` (the message completes "cache entry FILE: …"). */
export class CacheEntryProblem extends Error {
  override readonly name = 'CacheEntryProblem';
}

/** One kind of cache: its folder under cacheDir() and the version of its payload layout. */
export interface CacheKind {
  /** Sub-folder of cacheDir(), e.g. `models`. */
  readonly folder: string;
  /** Bumped when the payload's layout changes; entries of another format are stale. */
  readonly format: number;
  /** Recognizes an entry written by joulebench before entries carried a content hash. */
  isLegacy(doc: Readonly<Record<string, unknown>>): boolean;
}

const MARK = 'cache-entry';

export function entryPath(kind: CacheKind, name: string): string {
  return join(cacheDir(), kind.folder, `${name}.json`);
}

const digest = (kind: CacheKind, key: string, payloadJson: string): string =>
  createHash('sha256').update(JSON.stringify([kind.folder, kind.format, key])).update('\n').update(payloadJson).digest('hex');

/** The entry's bytes: the envelope around the payload (NaN and ±Infinity in it become null, as JSON has it). */
export function encodeEntry(kind: CacheKind, key: string, payload: unknown): string {
  const json = JSON.stringify(payload);
  return `{"joulebench":"${MARK}","kind":${JSON.stringify(kind.folder)},"format":${kind.format},"key":${JSON.stringify(key)},"sha256":"${digest(kind, key, json)}","payload":${json}}`;
}

/** No entry joulebench writes is nested deeper than this (a ledger is about 8 levels); deeper is damage. */
const MAX_PAYLOAD_DEPTH = 64;

/** Nesting depth of a parsed JSON value, without recursion (a hostile file may nest thousands of levels). */
function nestingDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > max) max = d + 1;
    if (max > MAX_PAYLOAD_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Thrown by `decodeEntry` for an entry written by an earlier joulebench (stale, not damaged). */
class StaleEntry extends Error {}

/**
 * The payload of an entry's text after checking envelope, hash and key, through `decode` (which
 * checks the structure and throws CacheEntryProblem). Throws CacheEntryProblem on any damage.
 */
export function decodeEntry<T>(kind: CacheKind, text: string, key: string, decode: (payload: unknown) => T): T {
  if (text.length === 0) throw new CacheEntryProblem('the file is empty');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CacheEntryProblem(`not valid JSON (${(e as Error).message}; ${text.length} characters)`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new CacheEntryProblem(`JSON of the wrong shape (${Array.isArray(doc) ? 'an array' : typeof doc === 'object' ? 'null' : `a ${typeof doc}`}, not a cache entry)`);
  const env = doc as Record<string, unknown>;
  if (env.joulebench !== MARK) {
    if (kind.isLegacy(env)) throw new StaleEntry();
    throw new CacheEntryProblem('JSON of the wrong shape (not a joulebench cache entry)');
  }
  if (env.kind !== kind.folder) throw new CacheEntryProblem(`it holds a "${String(env.kind)}" entry, not a "${kind.folder}" one`);
  if (env.format !== kind.format) {
    if (typeof env.format === 'number' && Number.isInteger(env.format) && env.format < kind.format) throw new StaleEntry();
    throw new CacheEntryProblem(`format ${JSON.stringify(env.format)} is not the format ${kind.format} this joulebench writes`);
  }
  if (typeof env.key !== 'string' || typeof env.sha256 !== 'string' || !('payload' in env)) throw new CacheEntryProblem('JSON of the wrong shape (key, sha256 or payload missing)');
  const depth = nestingDepth(env.payload);
  if (depth > MAX_PAYLOAD_DEPTH) throw new CacheEntryProblem(`nested ${depth} levels deep, more than the ${MAX_PAYLOAD_DEPTH} any entry joulebench writes has`);
  if (digest(kind, env.key, JSON.stringify(env.payload)) !== env.sha256) throw new CacheEntryProblem('its content hash does not match its contents (damaged or edited)');
  if (env.key !== key) throw new CacheEntryProblem(`it is the entry of key ${env.key}, not of ${key} (copied or renamed)`);
  return decode(env.payload);
}

// Writability, per cache folder (the value of cacheDir()) and thread. A worker thread inherits the
// environment its parent had when it was created, so the parent's finding reaches the workers through
// JOULEBENCH_CACHE_UNWRITABLE and they do not repeat the line; a child process probes for itself.
const UNWRITABLE_ENV = 'JOULEBENCH_CACHE_UNWRITABLE';
const writable = new Map<string, boolean>();
const staleSaid = new Set<string>();

function errorCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : oneLine((e as Error)?.message ?? String(e));
}

function markUnwritable(dir: string): void {
  writable.set(dir, false);
  process.env[UNWRITABLE_ENV] = dir;
}

/**
 * Whether entries can be written to the cache: probed once per folder with a real write (a small
 * file created and removed). When not, says so once through `log`.
 */
export function cacheWritable(log: CacheLog): boolean {
  const dir = cacheDir();
  const known = writable.get(dir);
  if (known !== undefined) return known;
  if (!isMainThread && process.env[UNWRITABLE_ENV] === dir) {
    writable.set(dir, false); // already said by the thread that started this one
    return false;
  }
  const probe = join(dir, `.write-probe-${process.pid}-${threadId}-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, 'joulebench cache write probe\n');
    rmSync(probe);
    writable.set(dir, true);
    return true;
  } catch (e) {
    try {
      rmSync(probe, { force: true });
    } catch {
      // nothing was created, or it cannot be removed either: the cache is unusable all the same
    }
    markUnwritable(dir);
    warnOf(log)(oneLine(`cache ${dir} is not writable (${errorCode(e)}); continuing without caching`));
    return false;
  }
}

/**
 * The entry's value, or null when it is missing or cannot be trusted (said in one line through `log`;
 * the caller recomputes it and writes it again). `decode` checks the payload's structure.
 */
export function readEntry<T>(kind: CacheKind, name: string, key: string, decode: (payload: unknown) => T, log: CacheLog): T | null {
  cacheWritable(log); // the first use of the cache in a run says whether it can be written
  const path = entryPath(kind, name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null; // no such entry
    warnOf(log)(oneLine(`cache entry ${path} cannot be read (${errorCode(e)}); recomputing it`));
    return null;
  }
  try {
    return decodeEntry(kind, text, key, decode);
  } catch (e) {
    if (e instanceof StaleEntry) {
      const folder = join(cacheDir(), kind.folder);
      if (!staleSaid.has(folder)) {
        staleSaid.add(folder);
        warnOf(log)(oneLine(`cache entries in ${folder} were written by an earlier joulebench (no content hash) and are stale; recomputing them (first: ${path})`));
      }
      return null;
    }
    if (e instanceof CacheEntryProblem) {
      warnOf(log)(oneLine(`cache entry ${path} is corrupt: ${e.message}; recomputing it`));
      return null;
    }
    throw e;
  }
}

/**
 * Writes the entry atomically when the cache is writable. A failure (full disk, read-only media) is
 * said once and turns caching off for the rest of the process; the caller keeps its result.
 * Returns whether the entry was written.
 */
export function writeEntry(kind: CacheKind, name: string, key: string, payload: unknown, log: CacheLog): boolean {
  if (!cacheWritable(log)) return false;
  const path = entryPath(kind, name);
  try {
    mkdirSync(join(cacheDir(), kind.folder), { recursive: true });
    writeFileAtomic(path, encodeEntry(kind, key, payload));
    return true;
  } catch (e) {
    markUnwritable(cacheDir());
    warnOf(log)(oneLine(`could not write cache entry ${path} (${errorCode(e)}); continuing without caching`));
    return false;
  }
}

// Payload helpers shared by the kinds.

/** A Float32Array as base64 of its little-endian bytes. */
export const encodeF32 = (a: Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** Decodes `encodeF32`'s text for `what` (named in problems): canonical base64, `length` values when given, every value finite. */
export function decodeF32(what: string, text: unknown, length?: number): Float32Array {
  if (typeof text !== 'string') throw new CacheEntryProblem(`${what} is not base64 text`);
  const buf = Buffer.from(text, 'base64');
  if (buf.byteLength % 4 !== 0 || buf.toString('base64') !== text) throw new CacheEntryProblem(`${what} is not the base64 of float32 values`);
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  if (length !== undefined && out.length !== length) throw new CacheEntryProblem(`${what} has ${out.length} values, expected ${length}`);
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new CacheEntryProblem(`${what}[${bad}] is ${out[bad]}`);
  return out;
}

/** Checks that every number in a JSON value is finite (and ≥ 0 when `nonNegative`); names the first that is not. */
export function checkNumbers(what: string, value: unknown, nonNegative: boolean): void {
  const walk = (v: unknown, at: string): void => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || (nonNegative && v < 0)) throw new CacheEntryProblem(`${at} is ${v}${nonNegative ? ' (must be finite and ≥ 0)' : ' (must be finite)'}`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
  };
  walk(value, what);
}

/** `value` as a plain object, or a problem naming `what`. */
export function objectOf(what: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CacheEntryProblem(`${what} is not an object (JSON of the wrong shape)`);
  return value as Record<string, unknown>;
}
