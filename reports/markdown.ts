// Markdown tables of the views (GitHub step summaries, README tables, `--markdown` files).

/**
 * Text for one Markdown table cell or heading: HTML markup characters as entities (GitHub renders raw
 * HTML in step summaries), pipes escaped, line breaks as spaces, other control characters dropped.
 */
export function mdCell(s: string): string {
  return s
    .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
    .replace(/\|/g, '\\|')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/** A Markdown table: the header row, its rule, one row per entry (cells escaped by mdCell; headers as given). */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n');
}
