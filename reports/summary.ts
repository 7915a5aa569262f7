// The summary table of a run (configuration × accuracy × energy under each profile), shared by the
// terminal output and the HTML report.
import { oneLine } from '../core/errors.js';
import type { ResultsDoc } from './results.js';
import { chanceWarnings } from './quality.js';

/** Formats joules with an SI prefix: 1.23e-6 → "1.23 µJ". */
export function formatJ(j: number): string {
  if (j === 0) return '0 J';
  const prefixes: [number, string][] = [[1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f']];
  for (const [f, p] of prefixes) if (Math.abs(j) >= f) return `${(j / f).toPrecision(3)} ${p}J`;
  return `${j.toExponential(2)} J`;
}

export const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** A configuration's own quality metrics ("bits_per_char 2.951, recall_accuracy 0.4500"), or null when it has none. */
export function qualityMetrics(c: ResultsDoc['configurations'][number]): string | null {
  const q = Object.entries(c.quality ?? {});
  return q.length === 0 ? null : q.map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(4)}`).join(', ');
}

/** The header of the ratio column of a (SNN profile, ANN profile) pair. */
export const ratioHeader = (snnProfile: string, annProfile: string): string => `E_SNN/E_ANN ${snnProfile === annProfile ? snnProfile : `${snnProfile} vs ${annProfile}`}`;

/**
 * The summary table: each configuration's accuracy (or quality), then, for an image run, E_SNN/E_ANN
 * under each (SNN profile, ANN profile) pair the analysis chose (hardware-aware profiles price one
 * family each, so a profile alone gives no ratio), then the energy under each profile.
 */
export function summaryRows(doc: ResultsDoc, pairHeader: (snnProfile: string, annProfile: string) => string = ratioHeader): { headers: string[]; rows: string[][] } {
  // an image run compares each configuration with its ANN; a sequence or brain run's configurations are different networks or phases
  const image = doc.kind === 'image';
  const pairs = image ? doc.analysis.settings.pairs : [];
  const ann = image ? doc.configurations.find((c) => c.backend.family === 'ann') : undefined;
  // a document without chosen pairs (nothing analysed) keeps a ratio per profile that priced the ANN
  const perProfile = image && pairs.length === 0;
  const headers = [
    'configuration',
    image ? 'accuracy' : 'quality',
    ...pairs.map((p) => pairHeader(p.snnProfile, p.annProfile)),
    ...doc.profiles.flatMap((p) => (perProfile ? [`${p.id} energy`, `${p.id} vs ANN`] : [`${p.id} energy`])),
  ];
  const ratio = (c: ResultsDoc['configurations'][number], snnProfile: string, annProfile: string): string => {
    if (c.id === ann?.id) return ann.energy.some((e) => e.profile === annProfile && e.totalJ > 0) ? '1 (ANN)' : '–';
    const a = doc.analysis.pairs.find((x) => x.snn === c.id && x.snnProfile === snnProfile && x.annProfile === annProfile);
    if (!a) return '–';
    const [lo, hi] = a.uncertainty.interval.ratio;
    return `${a.uncertainty.ratio.toFixed(3)}× (${lo.toFixed(2)}–${hi.toFixed(2)})`;
  };
  const chance = new Set(chanceWarnings(doc).map((w) => w.configuration));
  const rows = doc.configurations.map((c) => [
    c.id,
    c.accuracy !== null ? `${pct(c.accuracy)}${chance.has(c.id) ? ' (near chance)' : ''}` : (qualityMetrics(c) ?? '–'),
    ...pairs.map((p) => ratio(c, p.snnProfile, p.annProfile)),
    ...doc.profiles.flatMap((p) => {
      const e = c.energy.find((x) => x.profile === p.id);
      if (!perProfile) return [e ? formatJ(e.totalJ) : 'refused'];
      if (!e) return ['refused', '–'];
      const base = ann?.energy.find((x) => x.profile === p.id);
      // no ratio without a positive denominator (an ANN that costs 0 J under this profile)
      return [formatJ(e.totalJ), base && base.totalJ > 0 ? `${(e.totalJ / base.totalJ).toFixed(3)}×` : '–'];
    }),
  ]);
  return { headers, rows };
}


/** The terminal width tables and wrapped text keep within (columns). */
export const TERMINAL_WIDTH = 100;

/**
 * Renders rows as a fixed-width text table for the terminal. A table wider than `width` is split into
 * several, one under the other, each repeating the first `keys` columns (which name the row) and
 * taking as many further columns as fit.
 */
export function textTable(rawHeaders: readonly string[], rawRows: readonly (readonly string[])[], { width = TERMINAL_WIDTH, keys = 1 }: { width?: number; keys?: number } = {}): string {
  // names from user files (configurations, profiles, claims) must not break lines or drive the terminal
  const headers = rawHeaders.map(oneLine);
  const rows = rawRows.map((r) => r.map(oneLine));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const render = (cols: readonly number[]): string => {
    const line = (cells: readonly string[]): string => cols.map((i, k) => (k === 0 ? cells[i].padEnd(widths[i]) : cells[i].padStart(widths[i]))).join('  ').trimEnd();
    return [line(headers), cols.map((i) => '-'.repeat(widths[i])).join('  '), ...rows.map(line)].join('\n');
  };
  const k = Math.min(keys, headers.length);
  const keyCols = Array.from({ length: k }, (_, i) => i);
  const span = (cols: readonly number[]): number => cols.reduce((a, i) => a + widths[i], 0) + 2 * (cols.length - 1);
  const parts: number[][] = [];
  let part: number[] = [];
  for (let i = k; i < headers.length; i++) {
    if (part.length > 0 && span([...keyCols, ...part, i]) > width) {
      parts.push(part);
      part = [];
    }
    part.push(i);
  }
  if (part.length > 0 || parts.length === 0) parts.push(part);
  return parts.map((p) => render([...keyCols, ...p])).join('\n\n');
}

/** Text wrapped at word boundaries to lines of at most `width` columns (a longer word stays whole); `indent` starts the lines after the first. */
export function wrapText(text: string, width = TERMINAL_WIDTH, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const next = line === '' ? (lines.length > 0 ? indent : '') + word : `${line} ${word}`;
    if (line !== '' && next.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}
