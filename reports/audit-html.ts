// The literature audit as HTML: a section (published vs recomputed vs memory-inclusive, findings,
// the memory model's assumptions, the constants used) that a report can embed, and a self-contained
// page around it. Every text from the literature file is escaped.
import type { AuditReport } from '../claims/audit.js';
import { AUDIT_HEADERS, auditRows, findingLines, summaryLine } from '../claims/literature-report.js';
import { escapeHtml, htmlPage, table } from './page.js';

export function renderAuditSection(report: AuditReport): string {
  const findings = report.rows
    .map((r) => `<li id="audit-${escapeHtml(r.entry.id)}"><strong>${escapeHtml(r.entry.id)}</strong> — ${escapeHtml(r.entry.model)}<ul>${findingLines(r).map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul></li>`)
    .join('\n');
  const constantRows = report.constants.map((c) => [c.id, `${c.value} ${c.unit}`, `${c.low} – ${c.high} ${c.unit}`, `[${c.evidence}]`, c.source]);
  return `<section class="audit">
<h2>Literature audit: published energy claims, recomputed</h2>
<p class="note">Each published figure recomputed from the counts and constants the claim itself states, within the rounding of every printed number; beside it, joulebench's memory-inclusive estimate for the same counts. A “+” marks an estimate (and its ratio) that lacks counts the claim did not state: a lower bound.</p>
<p>${escapeHtml(summaryLine(report))}</p>
${table(AUDIT_HEADERS, auditRows(report))}
<h3>Findings</h3>
<ul class="findings">
${findings}
</ul>
<h3>Memory model: ${escapeHtml(report.memoryModel.title)} (${escapeHtml(report.memoryModel.id)})</h3>
<ul>${report.memoryModel.assumptions.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>
<h3>Constants used</h3>
${table(['constant', 'value', 'range', 'evidence', 'source'], constantRows, 'wrap')}
<p class="note">Evidence: [P] primary source, [S] secondary copy, [I] inferred.</p>
</section>`;
}

/** A self-contained page (no network) holding the audit section, then `more` (trusted markup: the measured-vs-modelled section). */
export function renderAuditPage(report: AuditReport, more = ''): string {
  return htmlPage('joulebench — literature audit', `<p class="sub">${escapeHtml(report.description)} · ${escapeHtml(report.file)}</p>\n${renderAuditSection(report)}\n${more}`, []);
}
