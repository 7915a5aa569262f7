// Default output folders of `run` and `price`: named after the model and the options that tell runs
// apart, so that two runs with different options never look alike, and `results/latest` pointing
// at the newest one. Loaded by the command handlers only (cli/main.ts keeps start-up light).
import { existsSync, lstatSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { tempSibling, writeFileAtomic } from '../core/atomic-write.js';

/** The folder default output folders go into, relative to the working directory. */
export const RESULTS_DIR = 'results';
/** A name part (model, file base name) is cut to this many characters; a whole name to NAME_MAX before the time. */
const PART_MAX = 40;
const NAME_MAX = 100;

/** `20261207-124000`: the local-independent UTC time of a run, to the second. */
export function timeStamp(date: Date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** Letters, digits, `.`, `-` and `+` only (any other run of characters becomes one `-`), cut to `max`. */
export function safePart(text: string, max = PART_MAX): string {
  const s = text.replace(/[^A-Za-z0-9.+-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return (s === '' ? 'x' : s).slice(0, max).replace(/[-.]+$/, '');
}

/** A model file's name without folders and extension (`models/LeNet v2.onnx` → `LeNet-v2`). */
export function fileBase(path: string): string {
  const base = basename(path);
  return safePart(base.slice(0, base.length - extname(base).length) || base);
}

const BACKEND_SHORT: Readonly<Record<string, string>> = { 'ann-dense': 'ann', 'ann-sparse': 'sparse', 'ann-quant': 'quant' };

export interface RunNameParts {
  /** The workload id, or the ONNX/NIR file (its base name is used). */
  readonly model: string;
  readonly backends: readonly string[];
  readonly timesteps: readonly number[];
  /** The SNN's neuron model (if, lif, cuba); left out for a NIR graph (its file defines them). */
  readonly neuron?: string;
  readonly coding?: string;
  /** SNN executions; only event-driven ones are named (time-stepped is the default). */
  readonly executions?: readonly string[];
  /** The dataset or the inputs file (its base name) of an --onnx or --nir run. */
  readonly data?: string;
  /** Further distinguishing parts, as given (e.g. `dt0.001`). */
  readonly extra?: readonly string[];
}

/**
 * `mnist-mlp_ann+snn-if-T4-8-16-32_rate`: the model, the backends (the SNN with its neuron model), the
 * T list where a backend depends on T, the coding of an SNN, the data of a user's model, and extras;
 * at most NAME_MAX characters, filesystem-safe.
 */
export function runName(p: RunNameParts): string {
  const snn = p.backends.includes('snn');
  const backends = p.backends.map((b) => (b === 'snn' ? `snn${p.neuron === undefined ? '' : `-${p.neuron}`}` : (BACKEND_SHORT[b] ?? b))).join('+');
  const usesT = snn || p.backends.includes('ann-quant');
  const parts = [
    safePart(p.model),
    `${backends}${usesT && p.timesteps.length > 0 ? `-T${p.timesteps.join('-')}` : ''}`,
    ...(snn && p.coding !== undefined ? [p.coding] : []),
    ...(snn && (p.executions ?? []).includes('event-driven') ? [p.executions!.length > 1 ? 'both-executions' : 'event'] : []),
    ...(p.data === undefined ? [] : [safePart(p.data)]),
    ...(p.extra ?? []).map((e) => safePart(e)),
  ];
  const name = parts.map((x) => safePart(x, NAME_MAX)).join('_');
  return name.length <= NAME_MAX ? name : name.slice(0, NAME_MAX).replace(/[-_.+]+$/, '');
}

/** `results/<name>_<time>`, or with `-2`, `-3` … where a folder of that name already exists (two runs in one second). */
export function defaultRunDir(name: string, date: Date = new Date()): string {
  const base = join(RESULTS_DIR, `${name}_${timeStamp(date)}`);
  let dir = base;
  for (let k = 2; existsSync(dir); k++) dir = `${base}-${k}`;
  return dir;
}

/**
 * Points `<folder of out>/latest` at the run folder `out`, after it was written completely: a
 * relative symbolic link, replaced atomically (a new link renamed over the old). Where links cannot
 * be made (some Windows setups), `latest.txt` holds the folder's path instead. A `latest` that is not
 * a link (a user's file or folder) is left alone. Returns what was written, or a warning.
 */
export function updateLatest(out: string): { written: string } | { warning: string } {
  const parent = dirname(out);
  const latest = join(parent, 'latest');
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(latest);
  } catch {
    existing = undefined;
  }
  if (existing !== undefined && !existing.isSymbolicLink()) return { warning: `${latest} exists and is not a link joulebench made; not pointing it at ${out}` };
  const target = relative(parent, out);
  try {
    if (existing !== undefined && readlinkSync(latest) === target) return { written: latest };
    const tmp = tempSibling(latest);
    rmSync(tmp, { force: true });
    symlinkSync(target, tmp, 'dir');
    renameSync(tmp, latest);
    return { written: latest };
  } catch {
    try {
      writeFileAtomic(join(parent, 'latest.txt'), `${out}\n`);
      return { written: join(parent, 'latest.txt') };
    } catch (e) {
      return { warning: `could not point ${latest} at ${out} (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
}
