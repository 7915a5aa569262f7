// The literature audit as rows and lines shared by the terminal, Markdown and HTML renderings:
// published beside recomputed beside joulebench's memory-inclusive estimate, then the findings.
import { mdCell } from '../reports/markdown.js';
import { formatJ } from '../reports/summary.js';
import type { AuditReport, AuditRow } from './audit.js';
import { displayDigits, formatIn, publishedText } from './audit.js';

export const AUDIT_HEADERS = ['claim', 'model', 'evidence', 'published', 'recomputed', 'status', 'memory-inclusive', 'memory-incl. ÷ published'];

const STATUS_TEXT = { reproduced: 'reproduced', off: 'OFF', 'not-recomputable': 'not recomputable' } as const;

export function statusText(r: AuditRow): string {
  const s = STATUS_TEXT[r.status];
  return r.status === r.recorded ? s : `${s} (recorded: ${STATUS_TEXT[r.recorded]})`;
}

export function auditRows(report: AuditReport): string[][] {
  return report.rows.map((r) => [
    r.entry.id,
    r.entry.model,
    `[${r.entry.evidence}]`,
    publishedText(r.entry.published),
    r.recomputed === null ? '–' : formatIn(r.recomputed.value, r.entry.published.unit, displayDigits(r.entry)),
    statusText(r),
    r.memory === null ? '–' : `${formatJ(r.memory.totalJ)}${r.memory.omitted ? ' +' : ''}`,
    r.memory === null ? '–' : `${r.memory.ratio.toPrecision(3)}×${r.memory.omitted ? ' +' : ''}`,
  ]);
}

/** One line per entry that needs explaining: findings of off and not-recomputable claims, formulas, derived values, notes. */
export function findingLines(r: AuditRow): string[] {
  const e = r.entry;
  const lines: string[] = [];
  if (e.formula) lines.push(`formula: ${e.formula.text}${e.formula.assumption ? ` (${e.formula.assumption})` : ''}`);
  lines.push(`${STATUS_TEXT[r.status]}: ${r.finding}`);
  if (r.memory) {
    const m = r.memory;
    const counts = [m.macs > 0 ? `${formatIn(m.macs, 'G', 5)} MAC` : null, m.acs > 0 ? `${formatIn(m.acs, 'G', 5)} AC` : null].filter(Boolean).join(' + ');
    lines.push(`memory-inclusive: ${counts} → compute ${formatJ(m.computeJ)} + memory ${formatJ(m.memoryJ)} = ${formatJ(m.totalJ)}${m.omitted ? `; + marks a lower bound: ${m.omitted}` : ''}`);
  }
  for (const d of r.derived) lines.push(`${d.label}: ${formatIn(d.valueSI, d.unit, 4)}`);
  if (e.note) lines.push(`note: ${e.note.trim()}`);
  lines.push(`source: ${e.source}; notes: ${e.reference.file} ${e.reference.section}`);
  return lines;
}

export function summaryLine(report: AuditReport): string {
  const count = (s: string) => report.rows.filter((r) => r.status === s).length;
  const base = `${report.rows.length} published figures: ${count('reproduced')} reproduced, ${count('off')} off, ${count('not-recomputable')} not recomputable from the notes`;
  return report.mismatches.length === 0
    ? `${base}; every status is the one recorded`
    : `${base}; ${report.mismatches.length} differ from the recorded status: ${report.mismatches.map((r) => r.entry.id).join(', ')}`;
}

export function auditMarkdown(report: AuditReport): string {
  const out = [
    '### Literature audit: published energy claims recomputed from their own counts and constants',
    '',
    summaryLine(report),
    '',
    `| ${AUDIT_HEADERS.join(' | ')} |`,
    `| ${AUDIT_HEADERS.map(() => '---').join(' | ')} |`,
    ...auditRows(report).map((row) => `| ${row.map(mdCell).join(' | ')} |`),
    '',
    '#### Findings',
    '',
  ];
  for (const r of report.rows) {
    out.push(`- **${mdCell(r.entry.id)}**`);
    for (const l of findingLines(r)) out.push(`  - ${mdCell(l)}`);
  }
  out.push('', `#### Memory model: ${mdCell(report.memoryModel.title)} (${report.memoryModel.id})`, '');
  for (const a of report.memoryModel.assumptions) out.push(`- ${mdCell(a)}`);
  return `${out.join('\n')}\n`;
}
