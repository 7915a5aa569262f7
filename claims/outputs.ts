// Claim-check outputs: a text table for the terminal, JUnit XML for CI test reporters, Markdown for
// pull-request summaries ($GITHUB_STEP_SUMMARY).
import type { Change } from './baseline.js';
import type { ClaimResult } from './evaluate.js';

const num = (x: number): string => (Number.isInteger(x) && Math.abs(x) < 1e15 ? String(x) : x.toPrecision(4));
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;

export function claimRows(results: readonly ClaimResult[]): string[][] {
  return results.map((r) => [r.claim, r.profile ?? '–', r.expected, num(r.measured), r.verdict.toUpperCase(), pct(r.margin)]);
}
export const CLAIM_HEADERS = ['claim', 'profile', 'expected', 'measured', 'verdict', 'margin'];

export function changeRows(changes: readonly Change[]): string[][] {
  return changes.map((c) => [c.what, c.before === null ? 'added' : num(c.before), c.after === null ? 'removed' : num(c.after), c.relative === null ? '' : pct(c.relative)]);
}
export const CHANGE_HEADERS = ['moved since baseline', 'baseline', 'now', 'change'];

const xml = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** JUnit XML: one test case per claim × profile, one per moved quantity (failed). */
export function junitXml(suite: string, results: readonly ClaimResult[], changes: readonly Change[]): string {
  const cases = results.map((r) => {
    const name = `${r.claim}${r.profile ? ` [${r.profile}]` : ''}`;
    const body = r.verdict === 'pass' ? '' : `\n      <failure message="${xml(`expected ${r.expected}, measured ${num(r.measured)}`)}" type="ClaimFailed">${xml(r.description)}</failure>\n    `;
    return `    <testcase classname="${xml(suite)}.claims" name="${xml(name)}">${body}</testcase>`;
  });
  for (const c of changes) {
    const msg = `${c.before === null ? 'added' : num(c.before)} → ${c.after === null ? 'removed' : num(c.after)}${c.relative === null ? '' : ` (${pct(c.relative)})`}`;
    cases.push(`    <testcase classname="${xml(suite)}.baseline" name="${xml(c.what)}">\n      <failure message="${xml(msg)}" type="MovedSinceBaseline"/>\n    </testcase>`);
  }
  const failures = results.filter((r) => r.verdict === 'fail').length + changes.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${cases.length}" failures="${failures}">\n  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function mdTable(headers: readonly string[], rows: readonly string[][]): string {
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n');
}

export function markdownSummary(title: string, results: readonly ClaimResult[], changes: readonly Change[] | null): string {
  const failed = results.filter((r) => r.verdict === 'fail').length;
  const parts = [`### ${mdCell(title)}`, '', `${results.length - failed} of ${results.length} claims hold${failed > 0 ? ` — **${failed} failed**` : ''}.`, '', mdTable(CLAIM_HEADERS, claimRows(results))];
  if (changes !== null) {
    parts.push('', changes.length === 0 ? 'Nothing moved since the baseline.' : `**${changes.length} quantities moved since the baseline:**`, '');
    if (changes.length > 0) parts.push(mdTable(CHANGE_HEADERS, changeRows(changes)));
  }
  return `${parts.join('\n')}\n`;
}
