// Workload plugins: a workload family (a brain model, the sequence study …) declares its options once
// — type, default, validation (zod) and help — and its phases, and executes into ledgers. The CLI's
// flags (cli/plugin-flags.ts) and the sweep keys (sweeps/execute-models.ts) are generated from the
// declaration, so a default exists in one place and a value is checked by one rule wherever it comes
// from. Execution knows nothing of joules: the study layer prices what `execute` returns.
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import type { Ledger } from '../core/ledger.js';

/** One declared option. `T` is its value after validation. */
export interface OptionSpec<T> {
  /** How it is given on a command line: one number, several numbers, one word, several words. */
  readonly type: 'number' | 'numbers' | 'string' | 'strings';
  /** Command-line flag without the dashes (default: the kebab-case of the option's key). */
  readonly flag?: string;
  /** A one-letter alias of the flag. */
  readonly alias?: string;
  /** Validation; its messages read after the option's name ("must be an integer in 1…10, got 0"). */
  readonly schema: z.ZodType<T>;
  readonly default: T;
  readonly help: string;
  /** Sweep point key (default: the kebab-case of the option's key); false: not a sweep key. */
  readonly sweep?: string | false;
  /** Allowed words, for `type: 'string'` options with a fixed set (shown in --help). */
  readonly choices?: readonly string[];
  /** How --help states the default when it is not a plain value (e.g. "1 for if, 0.9 for lif and cuba"). */
  readonly defaultText?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec<unknown>>>;
export type OptionsOf<S extends OptionSpecs> = { readonly [K in keyof S]: S[K] extends OptionSpec<infer T> ? T : never };

/** A ledger of one phase of one experiment (classic P=10 storage, SOM learning, LUT generation …). */
export interface PhaseLedger {
  readonly experiment: string;
  readonly phase: string;
  /** What one sample of the ledger is (an image, a probe, a token …). */
  readonly per: string;
  readonly ledger: Ledger;
}

export interface PluginRun {
  /** The data the model ran on. */
  readonly dataset: string;
  readonly phases: readonly PhaseLedger[];
  /** The model's quality measures (JSON). */
  readonly quality: Readonly<Record<string, unknown>>;
  /** Further ledgers worth pricing beside the phases (e.g. the layers of a paper's table). */
  readonly extra: readonly { readonly id: string; readonly name: string; readonly ledger: Ledger }[];
}

export interface PluginContext {
  readonly log: (line: string) => void;
}

/** A sweep point's quality: the accuracy column (NaN where none) and the workload's own metric. */
export interface SweepQuality {
  readonly accuracy: number;
  readonly metric: string;
  readonly value: number;
}

/** A workload family's declared options: what the CLI's flags and the sweep keys are generated from. */
export interface OptionDeclaration<S extends OptionSpecs = OptionSpecs> {
  readonly id: string;
  readonly title: string;
  readonly options: S;
  /** Checks that span options (one line naming them), after each option passed its own schema. */
  readonly check?: (o: OptionsOf<S>) => { readonly option: keyof S & string; readonly problem: string } | null;
}

/** A workload family that runs as one model with phases (the brain models). */
export interface WorkloadPlugin<S extends OptionSpecs = OptionSpecs> extends OptionDeclaration<S> {
  /** Phase names, in execution order. */
  readonly phases: readonly string[];
  execute(o: OptionsOf<S>, ctx: PluginContext): PluginRun;
  /**
   * Sweep workloads this plugin serves (`workload: <id>` in a sweep): each maps a point's option
   * values to the plugin's (a sweep point runs one experiment, so lists become one value).
   */
  readonly sweepWorkloads: Readonly<Record<string, (given: Readonly<Record<string, unknown>>) => Record<string, unknown>>>;
  /** The accuracy and quality metric of a phase's sweep row. */
  sweepQuality(run: PluginRun, phase: PhaseLedger): SweepQuality;
}

/** "capacityNoise" → "capacity-noise". */
export const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The command-line flag of an option, without dashes. */
export const flagOf = (key: string, spec: OptionSpec<unknown>): string => spec.flag ?? kebab(key);

/** The sweep key of an option, or null. */
export function sweepKeyOf(key: string, spec: OptionSpec<unknown>): string | null {
  return spec.sweep === false ? null : (spec.sweep ?? kebab(key));
}

/** Sweep key → option key, for every option that is a sweep key. */
export function sweepKeys(specs: OptionSpecs): Map<string, string> {
  return new Map(Object.entries(specs).flatMap(([k, spec]) => {
    const key = sweepKeyOf(k, spec);
    return key === null ? [] : [[key, k] as const];
  }));
}

/** Validates a sweep point's values of `declaration`'s options (keys: sweep keys; errors name `where` and the sweep key). */
export function parseSweepOptions<S extends OptionSpecs>(declaration: OptionDeclaration<S>, given: Readonly<Record<string, unknown>>, where: string, preset: (g: Record<string, unknown>) => Record<string, unknown> = (g) => g): OptionsOf<S> {
  const keys = sweepKeys(declaration.options);
  const byOption = new Map([...keys].map(([sweep, option]) => [option, sweep]));
  const values: Record<string, unknown> = {};
  for (const [sweep, option] of keys) if (given[sweep] !== undefined) values[option] = given[sweep];
  return parseOptions(declaration, preset(values), (option) => `${where}: ${byOption.get(option) ?? option}`);
}

/** Defaults of every option. */
export function defaultsOf<S extends OptionSpecs>(specs: S): OptionsOf<S> {
  return Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, s.default])) as OptionsOf<S>;
}

/**
 * Validates the options given (keys of the declaration; undefined = the default) and fills in the
 * defaults. A bad value is one InputError: `nameOf(key)` then the schema's message.
 */
export function parseOptions<S extends OptionSpecs>(plugin: OptionDeclaration<S>, given: Readonly<Record<string, unknown>>, nameOf: (key: string) => string): OptionsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(plugin.options)) {
    const v = given[key];
    if (v === undefined) {
      out[key] = spec.default;
      continue;
    }
    const r = spec.schema.safeParse(v);
    if (!r.success) throw new InputError(`${nameOf(key)} ${r.error.issues[0].message}`);
    out[key] = r.data;
  }
  const o = out as OptionsOf<S>;
  const bad = plugin.check?.(o) ?? null;
  if (bad !== null) throw new InputError(`${nameOf(bad.option)} ${bad.problem}`);
  return o;
}

// ---------------------------------------------------------------------------------------------
// Schemas with messages that read after an option's name

const show = (x: unknown): string => (typeof x === 'string' ? JSON.stringify(x) : typeof x === 'number' ? String(x) : JSON.stringify(x) ?? String(x));

/** A number that passes `ok`, else "must be <what>, got <value>". */
function numberWhere(ok: (x: number) => boolean, what: string): z.ZodType<number> {
  return z.unknown().transform((x, ctx) => {
    if (typeof x !== 'number' || !Number.isFinite(x) || !ok(x)) {
      ctx.addIssue({ code: 'custom', message: typeof x === 'number' && !Number.isFinite(x) ? `must be a finite number, got ${show(x)}` : `must be ${what}, got ${show(x)}` });
      return z.NEVER;
    }
    return x;
  });
}

export const intIn = (min: number, max: number): z.ZodType<number> => numberWhere((x) => Number.isInteger(x) && x >= min && x <= max, `an integer in ${min}…${max}`);
export const intAtLeast = (min: number): z.ZodType<number> => numberWhere((x) => Number.isInteger(x) && x >= min, `an integer ≥ ${min}`);
export const fraction: z.ZodType<number> = numberWhere((x) => x >= 0 && x <= 1, 'a fraction in [0, 1]');
export const positive: z.ZodType<number> = numberWhere((x) => x > 0, 'a positive number');
export const numberIn = (lo: number, hi: number, what: string): z.ZodType<number> => numberWhere((x) => x > lo && x < hi, what);
/** A number in [lo, hi). */
export const numberFrom = (lo: number, hi: number, what: string): z.ZodType<number> => numberWhere((x) => x >= lo && x < hi, what);

/** A list of values each passing `item`, at least `min` long (a single value is a list of one). */
export function listOf(item: z.ZodType<number>, min = 1): z.ZodType<number[]> {
  return z.unknown().transform((v, ctx) => {
    const xs = Array.isArray(v) ? v : [v];
    if (xs.length < min) {
      ctx.addIssue({ code: 'custom', message: min === 1 ? 'needs at least one value' : `needs at least ${min} values` });
      return z.NEVER;
    }
    const out: number[] = [];
    for (const x of xs) {
      const r = item.safeParse(x);
      if (!r.success) {
        ctx.addIssue({ code: 'custom', message: r.error.issues[0].message });
        return z.NEVER;
      }
      out.push(r.data);
    }
    return out;
  });
}

/** One of `words`. */
export function oneOf<W extends string>(words: readonly W[]): z.ZodType<W> {
  return z.unknown().transform((x, ctx) => {
    if (typeof x !== 'string' || !(words as readonly string[]).includes(x)) {
      ctx.addIssue({ code: 'custom', message: `must be one of ${words.join(', ')}, got ${show(x)}` });
      return z.NEVER;
    }
    return x as W;
  });
}

/** Text matching `pattern`, else "must be <what>, got <value>". */
export function textMatching(pattern: RegExp, what: string): z.ZodType<string> {
  return z.unknown().transform((x, ctx) => {
    if (typeof x !== 'string' || !pattern.test(x)) {
      ctx.addIssue({ code: 'custom', message: `must be ${what}, got ${show(x)}` });
      return z.NEVER;
    }
    return x;
  });
}

/** A list of words, each one of `words` (a single word is a list of one). */
export function wordsOf(words: readonly string[], what: string, min = 1): z.ZodType<string[]> {
  return z.unknown().transform((v, ctx) => {
    const xs = Array.isArray(v) ? v : [v];
    if (xs.length < min) {
      ctx.addIssue({ code: 'custom', message: 'needs at least one value' });
      return z.NEVER;
    }
    const bad = xs.find((x) => typeof x !== 'string' || !words.includes(x));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `must name ${what} (${words.join(', ')}), got ${show(bad)}` });
      return z.NEVER;
    }
    return xs as string[];
  });
}

/**
 * A schema from a check function of harness/run-options.ts style, `check(label, value)`, which throws an
 * InputError whose problem and fix read after the label: the message is the same wherever it is shown.
 */
export function fromCheck<T>(check: (label: string, v: unknown) => T): z.ZodType<T> {
  return z.unknown().transform((v, ctx) => {
    try {
      return check('', v);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      ctx.addIssue({ code: 'custom', message: e.problem !== undefined ? `${e.problem.problem}; ${e.problem.fix}` : e.message.trim() });
      return z.NEVER;
    }
  });
}

/** Any finite number (its range is checked where it meets other options). */
export const finite: z.ZodType<number> = numberWhere(() => true, 'a finite number');

/** Any text (checked where it meets other options). */
export const text: z.ZodType<string> = z.unknown().transform((x, ctx) => {
  if (typeof x !== 'string') {
    ctx.addIssue({ code: 'custom', message: `must be given as text, got ${show(x)}` });
    return z.NEVER;
  }
  return x;
});

/** Declares an option (typed by its schema). */
export function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}
