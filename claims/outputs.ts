// Claim-check outputs: a text table for the terminal, JUnit XML for CI test reporters, Markdown for
// pull-request summaries ($GITHUB_STEP_SUMMARY). Text from user files (claim descriptions, file
// names, configuration and profile names) is escaped for each format: characters XML 1.0 forbids are
// written as visible \uXXXX escapes, and Markdown cells never carry raw HTML.
import { markdownTable, mdCell } from '../reports/markdown.js';
import type { Change } from './baseline.js';
import type { ClaimResult } from './evaluate.js';

const num = (x: number): string => (Number.isInteger(x) && Math.abs(x) < 1e15 ? String(x) : x.toPrecision(4));
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;

export function claimRows(results: readonly ClaimResult[]): string[][] {
  return results.map((r) => [r.claim, r.profile ?? '–', r.expected, num(r.measured), r.verdict.toUpperCase(), pct(r.margin)]);
}
export const CLAIM_HEADERS = ['claim', 'profile', 'expected', 'measured', 'verdict', 'margin'];

/** The relative change as text: '' when added or removed, 'from 0' when the baseline was 0. */
const changeText = (c: Change): string => (c.relative !== null ? pct(c.relative) : c.before === 0 && c.after !== null ? 'from 0' : '');

export function changeRows(changes: readonly Change[]): string[][] {
  return changes.map((c) => [c.what, c.before === null ? 'added' : num(c.before), c.after === null ? 'removed' : num(c.after), changeText(c)]);
}
export const CHANGE_HEADERS = ['moved since baseline', 'baseline', 'now', 'change'];

/**
 * Text as XML 1.0 character data or attribute value: markup characters as entities; tab, newline and
 * carriage return as character references (attribute values keep them); characters XML 1.0 does not
 * allow at all (other C0 controls, U+FFFE/U+FFFF, unpaired surrogates) as a visible \uXXXX.
 */
export function xml(s: string): string {
  return s.replace(/[<>&"'\t\n\r]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => {
    switch (c) {
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '&':
        return '&amp;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      case '\t':
        return '&#9;';
      case '\n':
        return '&#10;';
      case '\r':
        return '&#13;';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

/** JUnit XML: one test case per claim × profile, one per moved quantity (failed). */
export function junitXml(suite: string, results: readonly ClaimResult[], changes: readonly Change[]): string {
  const cases = results.map((r) => {
    const name = `${r.claim}${r.profile ? ` [${r.profile}]` : ''}`;
    const body = r.verdict === 'pass' ? '' : `\n      <failure message="${xml(`expected ${r.expected}, measured ${num(r.measured)}`)}" type="ClaimFailed">${xml(r.description)}</failure>\n    `;
    return `    <testcase classname="${xml(suite)}.claims" name="${xml(name)}">${body}</testcase>`;
  });
  for (const c of changes) {
    const rel = changeText(c);
    const msg = `${c.before === null ? 'added' : num(c.before)} → ${c.after === null ? 'removed' : num(c.after)}${rel === '' ? '' : ` (${rel})`}`;
    cases.push(`    <testcase classname="${xml(suite)}.baseline" name="${xml(c.what)}">\n      <failure message="${xml(msg)}" type="MovedSinceBaseline"/>\n    </testcase>`);
  }
  const failures = results.filter((r) => r.verdict === 'fail').length + changes.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${cases.length}" failures="${failures}">\n  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}

export function markdownSummary(title: string, results: readonly ClaimResult[], changes: readonly Change[] | null): string {
  const failed = results.filter((r) => r.verdict === 'fail').length;
  const parts = [`### ${mdCell(title)}`, '', `${results.length - failed} of ${results.length} claims hold${failed > 0 ? ` — **${failed} failed**` : ''}.`, '', markdownTable(CLAIM_HEADERS, claimRows(results))];
  if (changes !== null) {
    parts.push('', changes.length === 0 ? 'Nothing moved since the baseline.' : `**${changes.length} quantities moved since the baseline:**`, '');
    if (changes.length > 0) parts.push(markdownTable(CHANGE_HEADERS, changeRows(changes)));
  }
  return `${parts.join('\n')}\n`;
}
