// Checks every command's option values the same way, after yargs has parsed them and before any
// command runs: an option without its value, an empty value, a scalar option given twice, a number
// that is not finite — each is one UsageError naming the option, never a silent default.
import { excerpt } from '../core/errors.js';
import { UsageError } from './errors.js';

/** What yargs knows of the options of the command being parsed (`getOptions()`, untyped in @types/yargs). */
export interface OptionsMeta {
  readonly string: readonly string[];
  readonly number: readonly string[];
  readonly array: readonly string[];
  readonly boolean: readonly string[];
  readonly alias: Readonly<Record<string, readonly string[]>>;
  readonly key: Readonly<Record<string, unknown>>;
}

export function optionsOf(parser: unknown): OptionsMeta {
  return (parser as { getOptions(): OptionsMeta }).getOptions();
}

/** The long name of an option or alias key, e.g. `o` → `--out`. */
function optionName(key: string, meta: OptionsMeta): string {
  const long = Object.entries(meta.alias).find(([k, aliases]) => k === key || aliases.includes(key))?.[0] ?? key;
  return long.length === 1 ? `-${long}` : `--${long}`;
}

/**
 * Refuses, naming the option: a scalar option given more than once (yargs would collect an array
 * or keep the last), an empty string, and a number that is NaN or infinite. `positionals` are named
 * `<name>`.
 */
export function checkOptionValues(args: Readonly<Record<string, unknown>>, meta: OptionsMeta, positionals: ReadonlySet<string>): void {
  const aliases = new Set(Object.values(meta.alias).flat());
  for (const key of Object.keys(meta.key)) {
    if (aliases.has(key) || key === 'help' || key === 'version') continue;
    const value = args[key];
    if (value === undefined) continue;
    const name = positionals.has(key) ? `<${key}>` : optionName(key, meta);
    if (!meta.array.includes(key) && Array.isArray(value)) {
      throw new UsageError(`${name}: given ${value.length} times (${value.map((v) => excerpt(v, 40)).join(', ')}); give it once`);
    }
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (meta.number.includes(key)) {
      for (const v of values) if (typeof v !== 'number' || !Number.isFinite(v)) throw new UsageError(`${name} must be a finite number, got ${excerpt(String(v), 40)}`);
    } else if (meta.string.includes(key)) {
      for (const v of values) if (v === '') throw new UsageError(`${name}: is empty; give a value`);
    }
  }
}

/** yargs' "Not enough arguments following: o" (a `requiresArg` option without its value) as our one line. */
export function missingValueError(msg: string, meta: OptionsMeta): UsageError | undefined {
  const m = /^Not enough arguments following: (.+)$/.exec(msg);
  if (!m) return undefined;
  const name = optionName(m[1], meta);
  return new UsageError(`${name}: needs a value, and none follows it; give one (write ${name}=VALUE for a value that starts with -)`);
}
