// Every command in README.md and the folder READMEs (*/README.md) runs as written (issue 16).
//
// The commands are read from the READMEs each time (fenced ```sh, ```bash, ```shell and ```console
// blocks; in a console block only the `$ ` lines), so a command added later is picked up. A line ending
// in `\` continues on the next; `for V in a b; do …; done` runs its body once per value; `&&` and `;`
// chains run part by part; a trailing `# comment` is not part of the command but may carry a marker.
//
// The rule, for each command, first match wins:
//   1. Marked not run: its comment, or a comment line above it in the same block, says
//      `not run by the tests: REASON` (your own files, hours of training, a Slurm array task …).
//   2. Recognised classes, skipped with their reason: `npm ci|test|pack|install|run build` (they install,
//      build or test the package: `npm test` is this suite, test/package-install.test.ts packs and
//      installs it) and `node dist/bench/…` (benchmarks: timings that take minutes; bench/README.md).
//   3. `needs Debian's python3-X` in its comment: run only where python3 imports X (`npm test` installs
//      it with scripts/system-deps.sh); elsewhere skipped, saying so.
//   4. `npx joulebench …`: run. With `long: the test runs it with OPTIONS` in its comment, each of those
//      options (e.g. `-n 200`) replaces the command's own value of it, or is added (the README says so
//      next to the command, so a reader knows the test ran a smaller one). In process through main()
//      (runCli); through the built launcher (bin/joulebench.js over dist/) where it starts worker
//      threads (`--jobs N`, `--threads N`), which load the compiled workers.
//      `exits N` in its comment: N is the exit code expected, else 0.
//   5. `cp` and `mkdir` (files a README block prepares): run as a process.
//   Anything else fails the test ("neither runnable nor marked"), so no command can escape silently.
//
// Commands of one README section (a `## ` heading, its `###` subsections included) run in order in one
// working folder, so that a command may read what an earlier one wrote (`export` → `run --nir`): a copy
// of this clone's files (tracked and new, not ignored: what a fresh clone holds, without node_modules and
// dist), with a cache folder of its own holding the pretrained MNIST MLP (test/global-setup.ts), so the
// MLP is not trained again. Nothing is written to the repository or the user's cache.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, isolatedCache, runCli, tempDir } from './cli-helpers.js';
import { pythonWith } from './python.js';

const ROOT = resolve(import.meta.dirname, '..');

// ---- reading the READMEs ----------------------------------------------------------------------------

/** One command line of a README block, after continuations are joined. */
export interface ReadmeLine {
  readonly file: string;
  /** Line number (1-based) where the command starts. */
  readonly line: number;
  /** The `## ` section it is in ('' before the first). */
  readonly section: string;
  /** The command as written, without its trailing comment. */
  readonly command: string;
  /** Its trailing comment and, first, the marker of a comment line above it in the block. */
  readonly comment: string;
}

const SHELL_FENCE = /^```\s*(sh|bash|shell|console)\s*$/;
const NOT_RUN = /not run by the tests: (.+?)\s*$/;

/** The command lines of the shell blocks of one README. */
export function extractCommands(file: string, text: string): ReadmeLine[] {
  const lines = text.split('\n');
  const found: ReadmeLine[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.*)$/.exec(lines[i]);
    if (heading) section = heading[1].trim();
    const fence = /^```/.test(lines[i]) ? SHELL_FENCE.exec(lines[i]) : null;
    if (!/^```/.test(lines[i])) continue;
    // a block of another language: skip to its end
    let j = i + 1;
    let blockMarker = '';
    for (; j < lines.length && !/^```\s*$/.test(lines[j]); j++) {
      if (fence === null) continue;
      let text = lines[j];
      if (fence[1] === 'console') {
        if (!text.startsWith('$ ')) continue;
        text = text.slice(2);
      }
      const start = j;
      while (/\\\s*$/.test(text) && j + 1 < lines.length) text = `${text.replace(/\s*\\\s*$/, '')} ${lines[++j].trim()}`;
      const trimmed = text.trim();
      if (trimmed === '') continue;
      if (trimmed.startsWith('#')) {
        const m = NOT_RUN.exec(trimmed);
        if (m) blockMarker = `not run by the tests: ${m[1]}`;
        continue; // a comment line (shebang, #SBATCH, an explanation)
      }
      const { command, comment } = splitComment(trimmed);
      found.push({ file, line: start + 1, section, command, comment: [blockMarker, comment].filter((s) => s !== '').join('; ') });
    }
    i = j;
  }
  return found;
}

/** Splits `cmd   # comment` at the first `#` outside quotes that starts a word. */
function splitComment(text: string): { command: string; comment: string } {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) return { command: text.slice(0, i).trim(), comment: text.slice(i + 1).trim() };
  }
  return { command: text.trim(), comment: '' };
}

/** Shell words of a command (quotes and backslashes as sh reads them; no globbing or expansion). */
export function words(command: string): string[] {
  const out: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < command.length && '"\\$`'.includes(command[i + 1])) word += command[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < command.length) word = (word ?? '') + command[++i];
    else if (/\s/.test(c)) {
      if (word !== null) out.push(word);
      word = null;
    } else word = (word ?? '') + c;
  }
  if (quote !== null) throw new Error(`unterminated ${quote} in: ${command}`);
  if (word !== null) out.push(word);
  return out;
}

/** Splits a line into the simple commands it runs in order: `for` loops unrolled, `&&` and `;` chains split. */
export function simpleCommands(command: string): string[][] {
  const loop = /^for\s+(\w+)\s+in\s+(.+?);\s*do\s+(.+?);?\s*done$/.exec(command);
  if (loop) {
    const [, name, values, body] = loop;
    return words(values).flatMap((v) => simpleCommands(body.replace(new RegExp(`\\$\\{${name}\\}|\\$${name}\\b`, 'g'), v)));
  }
  const parts: string[][] = [[]];
  for (const w of words(command.replace(/(&&|;)/g, ' $1 '))) {
    if (w === '&&' || w === ';') parts.push([]);
    else parts[parts.length - 1].push(w);
  }
  return parts.filter((p) => p.length > 0);
}

// ---- deciding what each command is --------------------------------------------------------------------

export type Decision =
  | { readonly kind: 'run'; readonly argv: readonly string[]; readonly via: 'main' | 'bin'; readonly exit: number; readonly smaller: string | null }
  | { readonly kind: 'process'; readonly argv: readonly string[] }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'unmarked' };

/** Short and long names of the options a `long:` marker may set, so `-n 200` replaces `--samples 2000`. */
const ALIASES: Readonly<Record<string, string>> = { '-n': '--samples', '-T': '--timesteps', '-w': '--workload', '-b': '--backend', '-c': '--cost-model', '-o': '--out', '-q': '--quiet', '-f': '--family', '-L': '--lengths' };
const canonical = (option: string) => ALIASES[option] ?? option;

/** Replaces (or adds) each option of `set` in `argv`: an option is a `-x` word and the non-option words after it. */
export function withOptions(argv: readonly string[], set: readonly string[]): string[] {
  const groups: string[][] = [];
  for (const w of set) {
    if (w.startsWith('-') || groups.length === 0) groups.push([w]);
    else groups[groups.length - 1].push(w);
  }
  let out = [...argv];
  for (const group of groups) {
    const name = canonical(group[0]);
    const kept: string[] = [];
    for (let i = 0; i < out.length; i++) {
      if (out[i].startsWith('-') && canonical(out[i]) === name) {
        while (i + 1 < out.length && !out[i + 1].startsWith('-')) i++;
      } else kept.push(out[i]);
    }
    out = [...kept, ...group];
  }
  return out;
}

const pythons = new Map<string, string | null>();

export function decide(argv: readonly string[], comment: string): Decision {
  const notRun = /not run by the tests: ([^;]+)/.exec(comment);
  if (notRun) return { kind: 'skip', reason: `marked: ${notRun[1].trim()}` };
  const [program, sub] = argv;
  if (program === 'npm' && (['ci', 'test', 'pack', 'install', 'i'].includes(sub) || (sub === 'run' && argv[2] === 'build')))
    return { kind: 'skip', reason: `npm ${sub === 'run' ? 'run build' : sub}: installs, builds or tests the package (npm test is this suite; test/package-install.test.ts packs and installs it)` };
  if (program === 'node' && sub?.startsWith('dist/bench/')) return { kind: 'skip', reason: 'a benchmark (node dist/bench/…): timings that take minutes, see bench/README.md' };
  const needs = /needs Debian's python3-([\w-]+)/.exec(comment);
  const pyModule = needs ? needs[1].replace(/-/g, '_') : null; // python3-torch → import torch
  if (pyModule !== null) {
    if (!pythons.has(pyModule)) pythons.set(pyModule, pythonWith(pyModule));
    if (pythons.get(pyModule) === null) return { kind: 'skip', reason: `needs Debian's python3-${needs![1]}, not installed here (npm test installs it)` };
  }
  if (program === 'npx' && sub === 'joulebench') {
    const long = /long: the test runs it with ([^;]+)/.exec(comment);
    const smaller = long ? long[1].trim() : null;
    const args = smaller === null ? argv.slice(2) : withOptions(argv.slice(2), words(smaller));
    const threads = args.some((a, i) => (a === '--jobs' || a === '--threads') && args[i + 1] !== '1');
    const exit = /\bexits (\d+)\b/.exec(comment);
    return { kind: 'run', argv: args, via: threads ? 'bin' : 'main', exit: exit ? Number(exit[1]) : 0, smaller };
  }
  if (program === 'python3' && pyModule !== null) return { kind: 'process', argv: [pythons.get(pyModule)!, ...argv.slice(1)] };
  if (program === 'cp' || program === 'mkdir') return { kind: 'process', argv };
  return { kind: 'unmarked' };
}

// ---- the working folder of a section --------------------------------------------------------------------

/** The files a fresh clone holds (tracked, and new ones git does not ignore), relative to the root. */
function cloneFiles(): string[] {
  const r = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ls-files failed: ${r.stderr}`);
  return r.stdout.split('\0').filter((f) => f !== '' && !f.startsWith('node_modules') && statSync(join(ROOT, f), { throwIfNoEntry: false })?.isFile() === true);
}

function cloneInto(dir: string, files: readonly string[]): void {
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(dir, f));
  }
}

// ---- the READMEs --------------------------------------------------------------------------------------

function readmes(): string[] {
  const nested = readdirSync(ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules' && d.name !== 'dist')
    .map((d) => `${d.name}/README.md`)
    .filter((f) => statSync(join(ROOT, f), { throwIfNoEntry: false })?.isFile() === true);
  return ['README.md', ...nested.sort()];
}

const ALL = readmes().flatMap((f) => extractCommands(f, readFileSync(join(ROOT, f), 'utf8')));

interface Planned {
  readonly at: ReadmeLine;
  readonly argv: readonly string[];
  readonly decision: Decision;
}
const PLAN: Planned[] = ALL.flatMap((at) => simpleCommands(at.command).map((argv) => ({ at, argv, decision: decide(argv, at.comment) })));

const where = (p: Planned) => `${p.at.file}:${p.at.line}`;
const shown = (argv: readonly string[]) => argv.map((a) => (/^[\w./:=@%+,-]+$/.test(a) ? a : `'${a}'`)).join(' ');

describe('reading README commands', () => {
  it('joins continuations, unrolls for loops, splits chains and strips comments', () => {
    const text = ['## S', '```sh', 'npx joulebench run \\', '  -n 5   # long: the test runs it with -n 2', '# not run by the tests: yours', 'for i in 1 2; do npx joulebench x --shard $i/2 -o s-$i; done', '```', '```yaml', 'run: npx joulebench check', '```', '```console', '$ npm ci && npx joulebench list', 'output line', '```'].join('\n');
    const lines = extractCommands('R.md', text);
    expect(lines.map((l) => [l.line, l.section, l.command, l.comment])).toEqual([
      [3, 'S', 'npx joulebench run -n 5', 'long: the test runs it with -n 2'],
      [6, 'S', 'for i in 1 2; do npx joulebench x --shard $i/2 -o s-$i; done', 'not run by the tests: yours'],
      [12, 'S', 'npm ci && npx joulebench list', ''],
    ]);
    expect(simpleCommands(lines[1].command)).toEqual([['npx', 'joulebench', 'x', '--shard', '1/2', '-o', 's-1'], ['npx', 'joulebench', 'x', '--shard', '2/2', '-o', 's-2']]);
    expect(simpleCommands(lines[2].command)).toEqual([['npm', 'ci'], ['npx', 'joulebench', 'list']]);
    expect(decide(['npx', 'joulebench', 'run', '-w', 'm', '--samples', '2000', '-o', 'o'], 'long: the test runs it with -n 200')).toMatchObject({ kind: 'run', argv: ['run', '-w', 'm', '-o', 'o', '-n', '200'] });
    expect(decide(['scripts/x.sh'], 'a comment')).toEqual({ kind: 'unmarked' });
  });

  it('every command is runnable, a recognised class, or marked not run with a reason', () => {
    expect(ALL.length).toBeGreaterThan(20);
    const unmarked = PLAN.filter((p) => p.decision.kind === 'unmarked').map((p) => `${where(p)}: ${shown(p.argv)}`);
    expect(unmarked, 'neither runnable nor marked: add `# not run by the tests: REASON` or make it runnable').toEqual([]);
  });
});

// ---- running them, one test per README section -------------------------------------------------------------

interface Ran {
  readonly p: Planned;
  readonly seconds: number | null;
}
const ran: Ran[] = [];
const sections = [...new Map(PLAN.map((p) => [`${p.at.file} § ${p.at.section}`, p.at] as const)).keys()];

describe('README commands run as written', () => {
  const files = cloneFiles();
  for (const name of sections) {
    const plan = PLAN.filter((p) => `${p.at.file} § ${p.at.section}` === name);
    const runnable = plan.filter((p) => p.decision.kind === 'run' || p.decision.kind === 'process');
    it.skipIf(runnable.length === 0)(name, async () => {
      const cwd = tempDir('readme');
      cloneInto(cwd, files);
      const cache = isolatedCache('readme-cache');
      for (const p of plan) {
        const d = p.decision;
        if (d.kind === 'skip' || d.kind === 'unmarked') {
          ran.push({ p, seconds: null });
          continue;
        }
        const t0 = performance.now();
        let code: number | null;
        let printed: string;
        if (d.kind === 'process') {
          const r = spawnSync(d.argv[0], d.argv.slice(1), { cwd, encoding: 'utf8', env: { ...process.env, JOULEBENCH_CACHE: cache } });
          code = r.status;
          printed = `${r.stdout}${r.stderr}`;
        } else {
          const r = d.via === 'bin' ? cli(d.argv, cwd, { JOULEBENCH_CACHE: cache }) : await runCli(d.argv, cwd, { JOULEBENCH_CACHE: cache });
          code = r.code;
          printed = `${r.stdout}${r.stderr}`;
        }
        ran.push({ p, seconds: (performance.now() - t0) / 1000 });
        const expected = d.kind === 'run' ? d.exit : 0;
        expect(code, `${where(p)}: ${shown(p.argv)} exited ${code} in ${cwd} (kept):\n${printed.slice(-3000)}`).toBe(expected);
      }
      rmSync(cwd, { recursive: true, force: true }); // a failed section's folder is kept, to look at
    }, 600_000);
  }
});

afterAll(() => {
  const rows = PLAN.map((p) => {
    const r = ran.find((x) => x.p === p);
    const d = p.decision;
    const how = d.kind === 'run' && d.smaller !== null ? `with ${d.smaller}` : 'as written';
    const what = d.kind === 'skip' ? `skipped (${d.reason})` : d.kind === 'unmarked' ? 'UNMARKED' : r === undefined ? `not reached (runs ${how})` : `ran ${how}`;
    const time = r?.seconds != null ? `${r.seconds.toFixed(1)} s` : '';
    return `${where(p).padEnd(22)} ${time.padStart(7)}  ${what}: ${shown(p.argv).slice(0, 110)}`;
  });
  const count = (file: string, k: (d: Decision) => boolean) => PLAN.filter((p) => p.at.file === file && k(p.decision)).length;
  const summary = readmes().map((f) => `${f}: ${count(f, (d) => (d.kind === 'run' && d.smaller === null) || d.kind === 'process')} run as written, ${count(f, (d) => d.kind === 'run' && d.smaller !== null)} with a smaller sample, ${count(f, (d) => d.kind === 'skip')} skipped`);
  console.log(`README commands (${PLAN.length}):\n${rows.join('\n')}\n${summary.join('\n')}`);
});
