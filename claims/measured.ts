// claims/measured.yaml: every chip profile held against what the chip was measured to spend on a
// real network. A compared row prices its recorded activity (claims/measured/*.json, the network's
// counts as the paper publishes them, with what was assumed) under the chip's profile — the same
// activityToLedger and priceLedger as `joulebench price` — and divides by the measured energy per
// inference (printed, or power ÷ rate). The audit fails when the ratio, to 3 significant digits, or a
// row's status is not the one the file records. Rows without a measurement say why.
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Constant } from '../cost-models/constants.js';
import type { PricedLedger } from '../cost-models/model.js';
import { getProfile } from '../cost-models/registry.js';
import { priceLedger } from '../study/pricing.js';
import { readActivityFile } from '../workloads/imported/activity.js';
import { activityToLedger } from '../workloads/imported/ledger.js';
import { escapeHtml, table } from '../reports/page.js';
import { formatJ } from '../reports/summary.js';
import { PRINTED_UNITS } from './literature.js';
import { mdCell } from '../reports/markdown.js';
import { POWER_UNITS } from './measured-file.js';
import type { MeasuredFile, MeasuredRow, MeasuredStatus } from './measured-file.js';

const valueOf = (q: { readonly printed: string; readonly unit: string }, factor: number): number => Number(q.printed.replace(/,/g, '')) * factor;

/** The measured energy per inference in joules: the printed energy, or power ÷ rate. */
export function measuredJ(m: NonNullable<MeasuredRow['measured']>): number {
  if (m.energy) return valueOf(m.energy, PRINTED_UNITS[m.energy.unit].factor);
  return valueOf(m.power!, POWER_UNITS[m.power!.unit]) / valueOf(m.rate!, 1);
}

export interface MeasuredResult {
  readonly row: MeasuredRow;
  readonly status: MeasuredStatus;
  readonly measuredJ: number | null;
  readonly modelled: PricedLedger | null;
  /** Modelled ÷ measured, or null. */
  readonly ratio: number | null;
  /** The ratio as recorded-style text (3 significant digits). */
  readonly ratioText: string | null;
  /** The command that recomputes the row's modelled figure on its own. */
  readonly command: string | null;
  readonly mismatch: string | null;
}

export interface MeasuredReport {
  readonly file: string;
  readonly description: string;
  readonly results: readonly MeasuredResult[];
  readonly mismatches: readonly MeasuredResult[];
  readonly constants: readonly Constant[];
}

/** Three significant digits, as the file records a ratio ("0.969", "0.0660", "1.02"). */
export const ratioDigits = (x: number): string => x.toPrecision(3);

export function auditMeasured(file: MeasuredFile, path: string): MeasuredReport {
  const results = file.rows.map((row, i): MeasuredResult => {
    const field = `rows.${i}`;
    if (row.recorded.status === 'not-compared') return { row, status: 'not-compared', measuredJ: null, modelled: null, ratio: null, ratioText: null, command: null, mismatch: null };
    const profile = (() => {
      try {
        return getProfile(row.profile!);
      } catch (e) {
        if (e instanceof InputError) throw InputError.at({ file: path, field: `field ${field}.profile`, problem: e.message, fix: 'name a built-in profile (joulebench list)' });
        throw e;
      }
    })();
    const activityPath = resolve(dirname(path), row.activity!);
    const doc = readActivityFile({ path: activityPath, field: `${path}: ${field}.activity`, what: 'a joulebench-activity file' });
    const outcome = priceLedger(activityToLedger(doc).ledger, profile);
    const measured = measuredJ(row.measured!);
    const command = `joulebench price ${join('claims', row.activity!)} -c ${profile.id}`;
    if (!outcome.ok) {
      return { row, status: 'not-compared', measuredJ: measured, modelled: null, ratio: null, ratioText: null, command, mismatch: `profile ${profile.id} refused the network: ${outcome.refused}` };
    }
    const ratio = outcome.priced.totalJ / measured;
    const text = ratioDigits(ratio);
    const mismatch = text === row.recorded.ratio ? null : `modelled ÷ measured is ${text}, the file records ${row.recorded.ratio}`;
    return { row, status: 'compared', measuredJ: measured, modelled: outcome.priced, ratio, ratioText: text, command, mismatch };
  });
  const constants = [...new Map(results.flatMap((r) => r.modelled?.constants ?? []).map((c) => [c.id, c])).values()];
  return { file: path, description: file.description, results, mismatches: results.filter((r) => r.mismatch !== null), constants };
}

export const MEASURED_HEADERS = ['chip', 'profile', 'network', 'measured', 'modelled', 'modelled ÷ measured', 'evidence'];
/** The terminal's narrower table: the network is said under each row. */
export const MEASURED_TERMINAL_HEADERS = MEASURED_HEADERS.filter((h) => h !== 'network');

/** The rows of the measured-vs-modelled table (Markdown, HTML; without the network column for the terminal). */
export function measuredRows(report: MeasuredReport, network = true): string[][] {
  return report.results.map((r) => [
    r.row.chip,
    r.row.profile ?? '(none)',
    ...(network ? [r.row.network ?? '–'] : []),
    r.measuredJ === null ? 'none found' : formatJ(r.measuredJ),
    r.modelled === null ? '–' : formatJ(r.modelled.totalJ),
    r.ratioText === null ? 'not compared' : `${r.ratioText}×${r.mismatch ? ` (recorded: ${r.row.recorded.ratio})` : ''}`,
    r.row.evidence ? `[${r.row.evidence}]` : '–',
  ]);
}

/** A priced ledger's items summed per operand and unit energy: "1728000 synaptic-event × 23.6 pJ + …". */
export function modelledTerms(p: PricedLedger): string {
  const terms = new Map<string, { count: number; unitJ: number; operand: string }>();
  for (const i of p.items) {
    const unitJ = i.energyJ / i.count;
    const key = `${i.operand}\u0000${unitJ}`;
    const t = terms.get(key) ?? { count: 0, unitJ, operand: i.operand };
    t.count += i.count;
    terms.set(key, t);
  }
  return [...terms.values()].map((t) => `${t.count} ${t.operand} × ${formatJ(t.unitJ)}`).join(' + ');
}

/** What to say under a row: operating point, measurement, assumption, command, source; or why not compared. */
export function measuredLines(r: MeasuredResult): string[] {
  const x = r.row;
  if (x.recorded.status === 'not-compared') return [`not compared: ${x.why!.trim()}`];
  const m = x.measured!;
  const printed = m.energy ? `${m.energy.printed} ${m.energy.unit}` : `${m.power!.printed} ${m.power!.unit} ÷ ${m.rate!.printed} ${m.rate!.unit}`;
  const lines = [
    `network: ${x.network}; operating point: ${x.operatingPoint}`,
    `measured: ${m.what}: ${printed} = ${formatJ(r.measuredJ!)} per inference`,
    `assumed: ${x.assumed!.trim()}`,
  ];
  if (r.modelled) lines.push(`modelled: ${modelledTerms(r.modelled)} = ${formatJ(r.modelled.totalJ)} under ${r.modelled.profile}`);
  if (r.mismatch) lines.push(`MISMATCH: ${r.mismatch}`);
  lines.push(`reproduce: ${r.command}`);
  if (x.note) lines.push(`note: ${x.note.trim()}`);
  lines.push(`source: ${x.source!.trim()}; notes: ${x.reference}`);
  return lines;
}

export function measuredSummaryLine(report: MeasuredReport): string {
  const compared = report.results.filter((r) => r.status === 'compared');
  const chips = new Set(compared.map((r) => r.row.chip));
  const base = `measured vs modelled: ${compared.length} measurements on ${chips.size} chips compared, ${report.results.length - compared.length} chips without one`;
  return report.mismatches.length === 0 ? `${base}; every ratio is the one recorded` : `${base}; ${report.mismatches.length} differ from the file: ${report.mismatches.map((r) => r.row.id).join(', ')}`;
}


export function measuredMarkdown(report: MeasuredReport): string {
  const out = [
    '### Measured vs modelled: chip profiles held against published measurements',
    '',
    measuredSummaryLine(report),
    '',
    `| ${MEASURED_HEADERS.join(' | ')} |`,
    `| ${MEASURED_HEADERS.map(() => '---').join(' | ')} |`,
    ...measuredRows(report).map((row) => `| ${row.map(mdCell).join(' | ')} |`),
    '',
  ];
  for (const r of report.results) {
    out.push(`- **${mdCell(r.row.id)}** (${mdCell(r.row.chip)})`);
    for (const l of measuredLines(r)) out.push(`  - ${mdCell(l)}`);
  }
  return `${out.join('\n')}\n`;
}

export function measuredHtmlSection(report: MeasuredReport): string {
  const items = report.results
    .map((r) => `<li id="measured-${escapeHtml(r.row.id)}"><strong>${escapeHtml(r.row.id)}</strong> — ${escapeHtml(r.row.chip)}<ul>${measuredLines(r).map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul></li>`)
    .join('\n');
  const constantRows = report.constants.map((c) => [c.id, `${c.value} ${c.unit}`, `${c.low} – ${c.high} ${c.unit}`, `[${c.evidence}]`, c.source]);
  return `<section class="audit measured">
<h2>Measured vs modelled: chip profiles held against published measurements</h2>
<p class="note">Each measured energy per inference (printed, or power ÷ rate) beside what the chip's profile gives for the same network and activity (recorded activity in claims/measured/, priced as <code>joulebench price</code> prices it). Where the measured run's activity is not published, what was assumed is said.</p>
<p>${escapeHtml(measuredSummaryLine(report))}</p>
${table(MEASURED_HEADERS, measuredRows(report), 'wrap')}
<ul class="findings">
${items}
</ul>
<h3>Profile constants used</h3>
${table(['constant', 'value', 'range', 'evidence', 'source'], constantRows, 'wrap')}
</section>`;
}
