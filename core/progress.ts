// Progress of long work (training steps, a configuration's samples, a sweep's executions) with counts,
// rate and ETA. The code doing the work knows nothing about terminals: it asks the log for its
// progress (`progressOf(log)`, a no-op unless the command attached one) and reports counts. The
// renderer decides how they look: on a terminal one line redrawn in place (carriage return); in CI
// or a pipe plain lines at a modest rate, never carriage returns. `--quiet` attaches none.

/** One piece of work of `total` units (`update` with the units done so far, `end` when it stops). */
export interface ProgressTask {
  /** `detail` replaces the part after the counts (e.g. the epoch under training). */
  update(done: number, detail?: string): void;
  /** The task ended (finished or failed): a terminal line is cleared for the lines that follow. */
  end(): void;
}

export interface Progress {
  /**
   * Set when this progress draws on the process's own stderr: the mode a child process (a trainer,
   * workloads/train/spawn.ts) draws its own progress in, live, on that stderr.
   */
  readonly childMode?: ProgressMode;
  /** Starts a task: `label` names it (e.g. "[3/5] snn-if-T16"), `unit` its counts (samples, steps). */
  task(label: string, total: number, unit: string): ProgressTask;
}

/** How progress shows: `tty` redraws one line; `plain` prints whole lines now and then. */
export type ProgressMode = 'tty' | 'plain';

const NO_TASK: ProgressTask = { update() {}, end() {} };
const NO_PROGRESS: Progress = { task: () => NO_TASK };

/** The progress a log carries (cli attaches one unless --quiet), else one that shows nothing. */
export function progressOf(log: (line: string) => void): Progress {
  return (log as { progress?: Progress }).progress ?? NO_PROGRESS;
}

/** Whether the log shows progress at all (so that callers skip work only progress needs). */
export function hasProgress(log: (line: string) => void): boolean {
  return (log as { progress?: Progress }).progress !== undefined;
}

/** `tty` on an interactive stderr outside CI (CI=true or any other non-empty CI value but "false"/"0"), else `plain`. */
export function progressModeOf(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): ProgressMode {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stream.isTTY === true && !ci && env.TERM !== 'dumb' ? 'tty' : 'plain';
}

/** 75 s → "1m15s", 4000 s → "1h06m", 8 s → "8s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function formatRate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return `– ${unit}/s`;
  return perSecond >= 10 ? `${Math.round(perSecond)} ${unit}/s` : perSecond >= 1 ? `${perSecond.toFixed(1)} ${unit}/s` : `${(1 / perSecond).toFixed(1)} s/${unit.replace(/s$/, '')}`;
}

/** "label 40/100 samples (40%), 12 samples/s, ETA 5s[, detail]": the counts of one moment. */
export function progressText(label: string, done: number, total: number, unit: string, elapsedMs: number, detail?: string): string {
  const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const eta = done >= total ? `in ${formatDuration(elapsedMs / 1000)}` : done > 0 && rate > 0 ? `ETA ${formatDuration((total - done) / rate)}` : 'ETA ?';
  return `${label} ${done}/${total} ${unit} (${pct}%), ${formatRate(rate, unit)}, ${eta}${detail ? `, ${detail}` : ''}`;
}

export interface ProgressRendererOptions {
  readonly mode: ProgressMode;
  /** Whole lines (plain mode, and the log lines in tty mode); no newline at the end. */
  readonly line: (text: string) => void;
  /** Plain mode's progress lines, when they go elsewhere than `line`. */
  readonly progressLine?: (text: string) => void;
  /** Set when the renderer draws on the process's own stderr (see Progress.childMode). */
  readonly ownStderr?: boolean;
  /** Raw writes to the terminal (tty mode): the redrawn line. */
  readonly raw?: (text: string) => void;
  /** Plain mode: a task prints nothing before it has run this long (quick work stays quiet); default 2000 ms or JOULEBENCH_PROGRESS_DELAY_MS. */
  readonly delayMs?: number;
  /** Terminal width for the redrawn line (default 100). */
  readonly columns?: number;
  readonly now?: () => number;
}

/** Plain mode prints a line at most per 10 % of a task, or after 30 s without one. */
const PLAIN_STEP = 0.1;
const PLAIN_MAX_SILENCE_MS = 30_000;
/** Terminal redraws at most this often. */
const TTY_REDRAW_MS = 100;

/**
 * A log (lines as before) carrying a progress renderer. In tty mode a log line first clears the
 * progress line, which the next update redraws.
 */
export function progressLog(o: ProgressRendererOptions, warn?: (line: string) => void): ((line: string) => void) & { readonly progress: Progress; readonly warn?: (line: string) => void } {
  const now = o.now ?? (() => performance.now());
  const envDelay = Number(process.env.JOULEBENCH_PROGRESS_DELAY_MS);
  const delayMs = o.delayMs ?? (process.env.JOULEBENCH_PROGRESS_DELAY_MS !== undefined && Number.isFinite(envDelay) && envDelay >= 0 ? envDelay : 2000);
  const raw = o.raw ?? ((t: string) => process.stderr.write(t));
  const columns = Math.max(40, o.columns ?? 100);
  let drawn = false; // a tty progress line is on screen
  const clear = () => {
    if (drawn) raw('\r\x1b[K');
    drawn = false;
  };
  const log = (line: string) => {
    if (o.mode === 'tty') clear();
    o.line(line);
  };
  const progressLine = o.progressLine ?? o.line;
  const progress: Progress = {
    ...(o.ownStderr === true ? { childMode: o.mode } : {}),
    task(label, total, unit) {
      const started = now();
      let lastAt = started; // plain: when the last line was printed (or the task started)
      let lastDone = 0;
      let printed = false;
      let lastDraw = -Infinity;
      let ended = false;
      return {
        update(done, detail) {
          if (ended) return;
          const t = now();
          const text = () => progressText(label, done, total, unit, t - started, detail);
          if (o.mode === 'tty') {
            if (t - lastDraw < TTY_REDRAW_MS && done < total) return;
            lastDraw = t;
            const width = 20;
            const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : width;
            const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text()}`;
            raw(`\r\x1b[K${line.length >= columns ? `${line.slice(0, columns - 2)}…` : line}`);
            drawn = true;
            return;
          }
          if (t - started < delayMs) return;
          const stepped = total > 0 && (done - lastDone) / total >= PLAIN_STEP;
          const silent = t - lastAt >= PLAIN_MAX_SILENCE_MS && done > lastDone;
          const first = !printed && done > 0 && done < total; // the first line once the delay passed
          if (!(stepped || silent || first) || (printed && done >= total && !stepped)) return;
          printed = true;
          lastAt = t;
          lastDone = done;
          progressLine(text());
        },
        end() {
          ended = true;
          if (o.mode === 'tty') clear();
        },
      };
    },
  };
  return Object.assign(log, { progress }, warn === undefined ? {} : { warn });
}
