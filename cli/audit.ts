// `joulebench audit`: the literature audit — every published claim of claims/literature.yaml
// recomputed from its own counts and constants, beside joulebench's memory-inclusive estimate.
// Exit 0 when every claim gets the status the file records, 1 when one differs, 2 on bad input
// (with nothing written).
import { auditLiterature } from '../claims/audit.js';
import type { AuditReport } from '../claims/audit.js';
import { DEFAULT_LITERATURE_FILE, readLiteratureFile } from '../claims/literature.js';
import { AUDIT_HEADERS, auditMarkdown, auditRows, findingLines, summaryLine } from '../claims/literature-report.js';
import { renderAuditPage } from '../reports/audit-html.js';
import { MEASURED_TERMINAL_HEADERS, auditMeasured, measuredHtmlSection, measuredLines, measuredMarkdown, measuredRows, measuredSummaryLine } from '../claims/measured.js';
import { DEFAULT_MEASURED_FILE, readMeasuredFile } from '../claims/measured-file.js';
import type { MeasuredReport } from '../claims/measured.js';
import { TERMINAL_WIDTH, textTable, wrapText } from '../reports/summary.js';
import { checkWritableFile } from '../core/documents.js';
import { EXIT_FAILURE, EXIT_OK } from './errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';

export interface AuditArgs {
  /** A literature file; default claims/literature.yaml of the package. */
  readonly file?: string;
  readonly html?: string;
  readonly markdown?: string;
  /** A measured-vs-modelled file; default claims/measured.yaml of the package. */
  readonly measured?: string;
  /** Print only the table and the summary line (no findings). */
  readonly quiet: boolean;
}

export function auditText(report: AuditReport, quiet: boolean): string[] {
  const lines = [textTable(AUDIT_HEADERS, auditRows(report))];
  if (!quiet) {
    lines.push('', 'findings:');
    for (const r of report.rows) lines.push(`  ${r.entry.id}`, ...findingLines(r).map((l) => wrapText(`    ${l}`, TERMINAL_WIDTH, '      ')));
    lines.push('', wrapText(`memory model ${report.memoryModel.id}: ${report.memoryModel.title}`, TERMINAL_WIDTH, '  '), ...report.memoryModel.assumptions.map((a) => wrapText(`  - ${a}`, TERMINAL_WIDTH, '    ')));
  }
  lines.push('', wrapText(summaryLine(report)));
  return lines;
}

export function measuredText(report: MeasuredReport, quiet: boolean): string[] {
  const lines = ['', 'measured vs modelled (claims/measured.yaml): chip profiles held against published measurements', textTable(MEASURED_TERMINAL_HEADERS, measuredRows(report, false))];
  if (!quiet) {
    lines.push('', 'rows:');
    const indented = (l: string): string => wrapText(l, TERMINAL_WIDTH - 4, '  ').split('\n').map((x) => `    ${x}`).join('\n');
    for (const r of report.results) lines.push(`  ${r.row.id}`, ...measuredLines(r).map(indented));
  }
  lines.push('', wrapText(measuredSummaryLine(report)));
  return lines;
}

export function executeAudit(a: AuditArgs, out: (line: string) => void): number {
  const path = a.file ?? DEFAULT_LITERATURE_FILE;
  // outputs are checked before any work (folder exists and is writable, target not a folder)
  if (a.html) checkWritableFile(a.html, '--html');
  if (a.markdown) checkWritableFile(a.markdown, '--markdown');
  const report = auditLiterature(readLiteratureFile(path, '--file'), path);
  const measuredPath = a.measured ?? DEFAULT_MEASURED_FILE;
  const measured = auditMeasured(readMeasuredFile(measuredPath, '--measured'), measuredPath);
  for (const l of [...auditText(report, a.quiet), ...measuredText(measured, a.quiet)]) out(l);
  if (a.html) writeFileAtomic(a.html, renderAuditPage(report, measuredHtmlSection(measured)));
  if (a.markdown) writeFileAtomic(a.markdown, `${auditMarkdown(report)}\n${measuredMarkdown(measured)}`);
  return report.mismatches.length > 0 || measured.mismatches.length > 0 ? EXIT_FAILURE : EXIT_OK;
}
