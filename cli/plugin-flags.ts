// Command-line flags generated from workload plugins' declared options (workloads/plugin.ts): one
// flag per option, its type, and help that names each plugin's meaning and default — so a default or
// a range is written once, in the plugin. Defaults are not given to yargs: an option left out reaches
// the plugin as undefined and takes the plugin's default (and "applies to … only" can be told).
import type { Argv } from 'yargs';
import type { OptionDeclaration, OptionSpec, OptionSpecs, OptionsOf } from '../workloads/plugin.js';
import { flagOf, parseOptions } from '../workloads/plugin.js';

/** What flags are generated from: a declaration's id and options. */
interface Declared {
  readonly id: string;
  readonly options: OptionSpecs;
}

const fmt = (v: unknown): string => (Array.isArray(v) ? (v.length === 0 ? 'none' : v.join(' ')) : String(v));

/** Adds every option of `plugins` (once per key; shared keys list each plugin's meaning and default) to `y`. */
export function addPluginFlags<T>(y: Argv<T>, plugins: readonly Declared[]): Argv<T> {
  const byKey = new Map<string, { plugin: Declared; spec: OptionSpec<unknown> }[]>();
  for (const plugin of plugins) {
    for (const [key, spec] of Object.entries(plugin.options)) {
      byKey.set(key, [...(byKey.get(key) ?? []), { plugin, spec }]);
    }
  }
  let out = y;
  for (const [key, uses] of byKey) {
    const spec = uses[0].spec;
    const same = uses.every((u) => u.spec.help === spec.help && fmt(u.spec.default) === fmt(spec.default));
    const choices = spec.choices ? ` (${spec.choices.join(', ')})` : '';
    const dflt = (o: OptionSpec<unknown>) => `(default ${o.defaultText ?? fmt(o.default)})`;
    const describe = same
      ? `${uses.length < plugins.length ? `${uses.map((u) => u.plugin.id).join(', ')}: ` : ''}${spec.help}${choices} ${dflt(spec)}`
      : uses.map((u) => `${u.plugin.id}: ${u.spec.help} ${dflt(u.spec)}`).join('; ');
    const flag = flagOf(key, spec);
    const alias = spec.alias !== undefined ? { alias: spec.alias } : {};
    if (spec.type === 'numbers') out = out.option(flag, { ...alias, type: 'array', number: true, requiresArg: true, describe });
    else if (spec.type === 'strings') out = out.option(flag, { ...alias, type: 'array', string: true, requiresArg: true, describe });
    else if (spec.type === 'number') out = out.option(flag, { ...alias, type: 'number', requiresArg: true, describe });
    else out = out.option(flag, { ...alias, type: 'string', requiresArg: true, describe });
  }
  return out;
}

/** The plugin options given on the command line (camelCase keys; options not given are left out). */
export function givenPluginOptions(args: Readonly<Record<string, unknown>>, plugins: readonly Declared[]): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const plugin of plugins) {
    for (const [key, spec] of Object.entries(plugin.options)) {
      const v = args[flagOf(key, spec)];
      if (v !== undefined) given[key] = v;
    }
  }
  return given;
}

/** The declaration's options from those given on the command line, every default filled in; a bad value is one line naming its flag. */
export function parseFlagOptions<S extends OptionSpecs>(declaration: OptionDeclaration<S>, given: Readonly<Record<string, unknown>>): OptionsOf<S> {
  return parseOptions(declaration, given, (key) => `--${flagOf(key, declaration.options[key])}`);
}
