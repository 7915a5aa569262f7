// Progress and warning lines. A command's log prints progress; `--quiet` drops progress but never a
// warning (a corrupt cache entry recomputed, a cache that cannot be written): a quiet log carries the
// warning channel as a property, and code that warns calls `warnOf(log)`.

export type Log = ((line: string) => void) & { readonly warn?: (line: string) => void };

/** A log that drops progress lines and prints warnings through `warn`. */
export function quietLog(warn: (line: string) => void): Log {
  return Object.assign((_line: string) => {}, { warn });
}

/** Where a warning goes: the log's warning channel when it has one, else the log itself. */
export function warnOf(log: (line: string) => void): (line: string) => void {
  return (log as Log).warn ?? log;
}
